//! `kelurahan`: the letter service and reporting of a kelurahan office, as one program.
//! See ARCHITECTURE.md for the map.

pub mod blanko;
pub mod calendar;
pub mod catalog;
pub mod cli;
pub mod demo;
pub mod documents;
pub mod export;
pub mod files;
pub mod identity;
pub mod import;
pub mod laporan;
pub mod mail;
pub mod model;
pub mod numbering;
pub mod pengguna;
pub mod register;
pub mod render;
pub mod report;
pub mod schedule;
pub mod surat;
pub mod toml_file;
pub mod web;
pub mod workflow;
pub mod workspace;
