//! Layer 0, leaf helpers that know nothing of the office: owner-only atomic files,
//! randomness and hashing.

pub mod acak;
pub mod files;
