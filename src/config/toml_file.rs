//! Reading the program's own TOML files (profile, catalog, later schedules) into typed
//! structs, with errors in Indonesian that name the file, the key and the line.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// A TOML file that could not be read into its expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlError {
    pub file: PathBuf,
    /// 1-based line and column, when the parser knows them.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted key path, e.g. `pejabat.lurah.nip`.
    pub key: Option<String>,
    /// What is wrong, in Indonesian.
    pub message: String,
}

impl fmt::Display for TomlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, " baris {line}")?;
            if let Some(col) = self.column {
                write!(f, ", kolom {col}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "kunci `{key}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for TomlError {}

/// Parses `text` (the content of `file`) into `T`.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, TomlError> {
    let de = toml::Deserializer::parse(text).map_err(|e| from_toml(file, text, &e, None))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        from_toml(file, text, &inner, Some(path))
    })
}

fn from_toml(file: &Path, text: &str, err: &toml::de::Error, path: Option<String>) -> TomlError {
    let (line, column) = match err.span() {
        Some(span) => {
            let (l, c) = line_col(text, span.start);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    let (message, unknown) = translate(err.message());
    // For an unknown key serde reports the parent's path; name the key itself.
    let key = match (path.filter(|p| p != "."), unknown) {
        (Some(p), Some(k)) if p == k || p.ends_with(&format!(".{k}")) => Some(p),
        (Some(p), Some(k)) => Some(format!("{p}.{k}")),
        (None, Some(k)) => Some(k),
        (Some(p), None) => Some(p),
        (None, None) => None,
    };
    TomlError {
        file: file.to_path_buf(),
        line,
        column,
        key,
        message,
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Turns serde's and toml's English into Indonesian for the common cases; returns the
/// message and, for an unknown key, the key's name.
fn translate(msg: &str) -> (String, Option<String>) {
    let first = msg.lines().next().unwrap_or(msg).trim();
    if let Some(rest) = first.strip_prefix("unknown field `") {
        let (name, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = tail
            .trim_start_matches(',')
            .trim()
            .strip_prefix("expected one of ")
            .or_else(|| {
                tail.trim_start_matches(',')
                    .trim()
                    .strip_prefix("expected ")
            })
            .map(|s| format!("; yang dikenal: {s}"))
            .unwrap_or_default();
        return (
            format!("kunci tidak dikenal{expected}"),
            Some(name.to_string()),
        );
    }
    if let Some(rest) = first.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return (
            format!("kunci `{name}` wajib ada tetapi tidak ditemukan"),
            None,
        );
    }
    if let Some(rest) = first.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            format!(
                "jenis nilai salah: tertulis {}, seharusnya {}",
                kind_id(found),
                kind_id(expected)
            ),
            None,
        );
    }
    if let Some(rest) = first.strip_prefix("unknown variant `") {
        let (name, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = tail
            .trim_start_matches(',')
            .trim()
            .strip_prefix("expected one of ")
            .or_else(|| {
                tail.trim_start_matches(',')
                    .trim()
                    .strip_prefix("expected ")
            })
            .unwrap_or("?");
        return (
            format!("nilai `{name}` tidak dikenal; pilihan: {expected}"),
            None,
        );
    }
    if first.starts_with("duplicate key") {
        return ("kunci ditulis dua kali".to_string(), None);
    }
    (format!("penulisan TOML salah: {first}"), None)
}

fn kind_id(s: &str) -> String {
    let s = s.trim();
    let word = |w: &str| w.to_string();
    if s.starts_with("string") || s.starts_with("a string") {
        return word("teks (string)");
    }
    if s.starts_with("integer") || s.starts_with("i64") || s.starts_with("u") && s.len() <= 4 {
        return word("bilangan bulat");
    }
    if s.starts_with("boolean") || s.starts_with("a boolean") {
        return word("true/false");
    }
    if s.starts_with("sequence") || s.starts_with("a sequence") {
        return word("daftar [ ... ]");
    }
    if s.starts_with("map") || s.starts_with("struct") || s.starts_with("a map") {
        return word("tabel [ ... ]");
    }
    if s.starts_with("floating") || s.starts_with("f64") {
        return word("bilangan pecahan");
    }
    s.to_string()
}

/// The line (1-based) where a dotted key such as `kantor.kode_pos` is written, for
/// errors found after parsing. Understands `[table]` headers and `key = value` lines,
/// which is all the program's own files use.
pub fn line_of(text: &str, dotted: &str) -> Option<usize> {
    let (table, key) = match dotted.rsplit_once('.') {
        Some((t, k)) => (t, k),
        None => ("", dotted),
    };
    let mut current = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(h) = line.strip_prefix('[') {
            current = h
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            continue;
        }
        if current == table
            && let Some((k, _)) = line.split_once('=')
            && k.trim().trim_matches('"') == key
        {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        kantor: Inner,
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        nama: String,
        #[serde(default)]
        nomor: u32,
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let text = "[kantor]\nnama = \"x\"\nnamaa = \"y\"\n";
        let e = parse::<Outer>(Path::new("k.toml"), text).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("kantor.namaa"));
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().contains("kunci tidak dikenal"), "{e}");
    }

    #[test]
    fn wrong_type_is_named_with_its_line() {
        let text = "[kantor]\nnama = \"x\"\nnomor = \"tiga\"\n";
        let e = parse::<Outer>(Path::new("k.toml"), text).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("kantor.nomor"));
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("bilangan bulat"), "{e}");
    }

    #[test]
    fn syntax_error_has_a_line() {
        let text = "[kantor]\nnama = \n";
        let e = parse::<Outer>(Path::new("k.toml"), text).unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
