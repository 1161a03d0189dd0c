//! Standard output: the one writer every command prints through. A write that fails is an
//! error (`OutputError`, exit code 3), never a panic; a reader that went away is no error.

use std::fmt;
use std::io::{self, Write};

/// Standard output, written with `write!`/`writeln!`; each write is flushed at once, so a
/// failure is seen by the command that wrote, not lost at exit.
///
/// When the reader has closed the pipe (`… | head`), the rest of the output is dropped
/// without a word and the command ends as it would have: exit 0 when it succeeded, but a
/// letter that is not genuine (`verifikasi`) or a run that failed still says so by its
/// exit code.
#[derive(Debug, Default)]
pub struct Out {
    reader_gone: bool,
}

impl Out {
    pub fn new() -> Out {
        Out::default()
    }

    /// What `write!` and `writeln!` call.
    pub fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> Result<(), OutputError> {
        if self.reader_gone {
            return Ok(());
        }
        let mut stdout = io::stdout().lock();
        match stdout.write_fmt(args).and_then(|()| stdout.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.reader_gone = true;
                Ok(())
            }
            r => r.map_err(OutputError),
        }
    }

    /// Writes `text` as it is (tables and CSV end with their own newline).
    pub fn text(&mut self, text: &str) -> Result<(), OutputError> {
        self.write_fmt(format_args!("{text}"))
    }
}

/// Standard output could not be written (exit code 3), e.g. the disk is full.
#[derive(Debug, thiserror::Error)]
#[error("keluaran tidak dapat ditulis: {}", reason(.0))]
pub struct OutputError(pub io::Error);

fn reason(e: &io::Error) -> String {
    let words = match e.kind() {
        io::ErrorKind::StorageFull => "ruang penyimpanan penuh",
        io::ErrorKind::QuotaExceeded => "kuota penyimpanan habis",
        io::ErrorKind::PermissionDenied => "tidak diizinkan",
        io::ErrorKind::ReadOnlyFilesystem => "sistem berkas hanya-baca",
        _ => return e.to_string(),
    };
    match e.raw_os_error() {
        Some(code) => format!("{words} (galat OS {code})"),
        None => words.to_string(),
    }
}
