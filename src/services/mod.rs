//! Layer 5, the use cases both faces call: issue, reprint and void a letter; complete a
//! request before its letter; residents; make and
//! send the reports; the outbox; the scheduler's jobs; accounts and the login check;
//! who may do what; a role's worklist; the WhatsApp texts.

pub mod akses;
pub mod arsip;
pub mod jobs;
pub mod lacak;
pub mod laporan;
pub mod outbox;
pub mod pekerjaan;
pub mod penduduk;
pub mod pengguna;
pub mod permohonan;
pub mod surat;
pub mod whatsapp;
