//! clap speaks English; office staff read Indonesian. This turns the built command's
//! headings, help flags and the common parse errors into Indonesian.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{about-with-newline}\nPenggunaan: {usage}\n\n{all-args}{after-help}";

/// Applies Indonesian headings and help texts to `cmd` and all its subcommands.
pub fn localize(cmd: Command, root: bool) -> Command {
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("Perintah")
        .subcommand_value_name("PERINTAH")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .mut_args(localize_arg)
        .arg(
            Arg::new("bantuan")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Tampilkan bantuan ini")
                .help_heading("Opsi"),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("versi")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Tampilkan versi program")
                .help_heading("Opsi"),
        );
    }
    cmd.mut_subcommands(|s| localize(s, false))
}

fn localize_arg(a: Arg) -> Arg {
    let heading = if a.is_positional() { "Argumen" } else { "Opsi" };
    let mut help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    // A switch (`--uji`) takes no value: its true/false is not a choice to list.
    let takes_value = a.get_action().takes_values();
    if takes_value && !values.is_empty() {
        help.push_str(&format!(" (pilihan: {})", values.join(", ")));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() {
        help.push_str(&format!(" [bawaan: {}]", defaults.join(", ")));
    }
    if let Some(env) = a.get_env() {
        help.push_str(&format!(" [env: {}]", env.to_string_lossy()));
    }
    let a = a
        .help_heading(heading)
        .help(help.trim().to_string())
        .hide_env(true);
    if a.get_action().takes_values() {
        a.hide_possible_values(true).hide_default_value(true)
    } else {
        a
    }
}

fn ctx(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// clap's usage lines say `[OPTIONS]`; the office reads `[OPSI]`.
pub fn usage_words(s: &str) -> String {
    s.replace("[OPTIONS]", "[OPSI]")
}

/// An Indonesian message for a parse error; `None` for help and version output.
pub fn error_message(e: &clap::Error) -> Option<String> {
    let arg = ctx(e, ContextKind::InvalidArg);
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            format!(
                "perintah belum lengkap.\n\n{}",
                usage_words(&e.render().to_string())
            )
        }
        ErrorKind::UnknownArgument => format!("opsi `{arg}` tidak dikenal"),
        ErrorKind::InvalidSubcommand => format!(
            "perintah `{}` tidak dikenal",
            ctx(e, ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue => {
            let valid = ctx(e, ContextKind::ValidValue);
            let value = ctx(e, ContextKind::InvalidValue);
            if valid.is_empty() {
                format!("nilai `{value}` tidak sah untuk {arg}")
            } else {
                format!("nilai `{value}` tidak sah untuk {arg}; pilihan: {valid}")
            }
        }
        ErrorKind::MissingRequiredArgument => {
            format!("opsi wajib belum diisi: {arg}")
        }
        ErrorKind::ArgumentConflict => format!(
            "{arg} tidak boleh dipakai bersama {}",
            ctx(e, ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("jumlah nilai untuk {arg} salah")
        }
        ErrorKind::ValueValidation => format!("nilai untuk {arg} tidak sah"),
        _ => e
            .to_string()
            .trim_start_matches("error: ")
            .trim()
            .to_string(),
    };
    let usage = usage_words(&ctx(e, ContextKind::Usage));
    let usage = usage.trim().trim_start_matches("Usage:").trim().to_string();
    if usage.is_empty() || msg.contains("Penggunaan:") {
        Some(msg)
    } else {
        Some(format!(
            "{msg}\n\nPenggunaan: {usage}\nKetik --help untuk bantuan."
        ))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_is_well_formed() {
        // clap checks its own invariants for every subcommand here, not at run time.
        super::super::command().debug_assert();
    }
}
