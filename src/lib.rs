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

// The importer makes and drops millions of small strings (a cell, a checked field, a
// statement's values) on two threads at once; glibc's allocator spent a fifth of a
// 100,000-row import in its own locks and free lists.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
