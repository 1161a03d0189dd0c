//! `kelurahan`: the letter service and reporting of a kelurahan office, as one program.
//! The modules are layers, each importing only from those above it in this list; see
//! ARCHITECTURE.md for the map and `tests/integration/layers.rs` for the check.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod paper;
pub mod services;
pub mod store;
pub mod util;
pub mod web;
