//! Layer 1, plain data and pure rules: the records (requests, letters, mail, runs,
//! accounts, reports, residents), the SOP state machine, identity checks, numbering, the calendar
//! and the catalog's shape. No IO, no SQL, no configuration files.

pub mod calendar;
pub mod daftar;
pub mod identity;
pub mod jalan;
pub mod katalog;
pub mod laporan;
pub mod numbering;
pub mod orang;
pub mod penduduk;
pub mod pengguna;
pub mod periode;
pub mod permohonan;
pub mod surat;
pub mod surel;
pub mod teks;
pub mod workflow;
