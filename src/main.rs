//! The `kelurahan` binary: runs the command line and turns its result into an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    match kelurahan::cli::run(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("galat: {err:#}");
            ExitCode::from(kelurahan::cli::exit_code(&err))
        }
    }
}
