//! Layer 2, configuration: the workspace folder and its profile (`kelurahan.toml`), the
//! catalog of letter types, the schedules, and the TOML reading they share.

pub mod catalog;
pub mod jadwal;
pub mod toml_file;
pub mod workspace;
