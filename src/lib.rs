//! `kelurahan`: the letter service and reporting of a kelurahan office, as one program.
//! See ARCHITECTURE.md for the map.

pub mod calendar;
pub mod catalog;
pub mod cli;
pub mod demo;
pub mod files;
pub mod identity;
pub mod model;
pub mod register;
pub mod toml_file;
pub mod workflow;
pub mod workspace;
