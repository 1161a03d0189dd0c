//! Embeds `typst-templates/` in the binary: the Typst templates and the fonts, as lists
//! of (relative path, bytes) that the render module serves as its default files.

use std::fs;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("typst-templates");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut templates = String::new();
    let mut fonts = String::new();
    for f in files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let ext = f
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_lowercase();
        let line = format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            f.display().to_string()
        );
        match ext.as_str() {
            "ttf" | "otf" => fonts.push_str(&line),
            "typ" | "svg" | "png" | "jpg" | "jpeg" | "json" => templates.push_str(&line),
            _ => {}
        }
    }
    let code = format!(
        "/// Template files under `typst-templates/`.\npub static TEMPLATES: &[(&str, &[u8])] = &[\n{templates}];\n\
         /// Font files under `typst-templates/fonts/`.\npub static FONTS: &[(&str, &[u8])] = &[\n{fonts}];\n"
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    fs::write(out, code).unwrap();
}
