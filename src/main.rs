//! The `kelurahan` binary: runs the command line and turns its result into an exit code.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A clock set by hand but mistyped must not silently become the real one.
    if let Err(e) = kelurahan::domain::calendar::check_clock() {
        galat(&e);
        return ExitCode::from(2);
    }
    match kelurahan::cli::run(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            galat(&kelurahan::cli::message(&err));
            ExitCode::from(kelurahan::cli::exit_code(&err))
        }
    }
}

/// `galat: …` on stderr; a stderr that cannot be written changes nothing but the words.
fn galat(e: &dyn std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "galat: {e}");
}
