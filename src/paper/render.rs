//! The Typst world: templates (embedded, overridden file by file by the workspace's
//! `typst-templates/`), fonts (embedded), and one document's data as `/data.json`.
//! Built once per process; `render` turns a template and its data into PDF/A-2b bytes.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::config::workspace::{TEMPLATES_DIR, Workspace};
use crate::paper::documents;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Where a document's data is read from by its template: `json("/data.json")`.
pub const DATA_PATH: &str = "/data.json";
/// The verification QR code, drawn by the program as SVG.
pub const QR_PATH: &str = "/qr.svg";

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("templat `{0}` tidak ada (bawaan maupun di folder kerja)")]
    NoTemplate(String),
    #[error("{0}")]
    Template(Diagnostics),
    #[error("{path}: tidak dapat dibaca: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("ekspor PDF gagal: {0}")]
    Pdf(String),
}

/// Typst's errors, each with the template's file, line and column.
#[derive(Debug, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hints: Vec<String>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "templat tidak dapat dicetak:")?;
        for d in &self.0 {
            write!(f, "\n  ")?;
            match (&d.file, d.line, d.column) {
                (Some(file), Some(l), Some(c)) => write!(f, "{file}:{l}:{c}: ")?,
                (Some(file), _, _) => write!(f, "{file}: ")?,
                _ => {}
            }
            write!(f, "{}", d.message)?;
            for h in &d.hints {
                write!(f, "\n    petunjuk: {h}")?;
            }
        }
        Ok(())
    }
}

/// One file the world can serve: where it came from (for messages) and its bytes.
struct Entry {
    origin: String,
    bytes: Bytes,
    source: Option<Source>,
}

/// The parts of the world shared by every document of the process.
pub struct Renderer {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    files: HashMap<FileId, Entry>,
    data_id: FileId,
    qr_id: FileId,
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// What to print, with what data, and the PDF's metadata.
pub struct Job<'a> {
    /// Template path inside `typst-templates/`, e.g. `surat/sk-usaha.typ`.
    pub template: &'a str,
    /// The JSON document the template reads from `/data.json`.
    pub data: &'a [u8],
    /// SVG for `/qr.svg`, when the document has one.
    pub qr_svg: Option<&'a str>,
    /// Stable identifier of this document (gives the PDF its `/ID`).
    pub ident: &'a str,
    /// The document's own date: the PDF's creation date, so the bytes never depend on
    /// the clock.
    pub date: NaiveDate,
}

impl Renderer {
    /// Builds the world: the embedded templates and fonts, then the workspace's own
    /// `typst-templates/` folder (if any) over them, file by file.
    pub fn new(workspace_templates: Option<&Path>) -> Result<Renderer, RenderError> {
        let mut files: HashMap<FileId, Entry> = HashMap::new();
        let mut fonts = Vec::new();
        for (rel, bytes) in embedded::TEMPLATES {
            files.insert(
                file_id(&format!("/{rel}")),
                Entry {
                    origin: format!("typst-templates/{rel} (bawaan)"),
                    bytes: Bytes::new(*bytes),
                    source: None,
                },
            );
        }
        for (_, bytes) in embedded::FONTS {
            fonts.extend(Font::iter(Bytes::new(*bytes)));
        }
        if let Some(dir) = workspace_templates.filter(|d| d.is_dir()) {
            let mut found = Vec::new();
            walk(dir, &mut found).map_err(|e| RenderError::Io {
                path: dir.display().to_string(),
                source: e,
            })?;
            for path in found {
                let rel = path
                    .strip_prefix(dir)
                    .expect("walked under dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&path).map_err(|e| RenderError::Io {
                    path: path.display().to_string(),
                    source: e,
                })?;
                let ext = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("")
                    .to_lowercase();
                if matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
                    fonts.extend(Font::iter(Bytes::new(bytes)));
                } else if VirtualPath::new(format!("/{rel}")).is_ok() {
                    files.insert(
                        file_id(&format!("/{rel}")),
                        Entry {
                            origin: path.display().to_string(),
                            bytes: Bytes::new(bytes),
                            source: None,
                        },
                    );
                }
            }
        }
        // Parse every Typst source once; documents share the parsed trees.
        for (id, entry) in files.iter_mut() {
            if id.vpath().get_with_slash().ends_with(".typ") {
                let text = String::from_utf8_lossy(entry.bytes.as_slice()).into_owned();
                entry.source = Some(Source::new(*id, text));
            }
        }
        let book = FontBook::from_fonts(&fonts);
        Ok(Renderer {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
            files,
            data_id: file_id(DATA_PATH),
            qr_id: file_id(QR_PATH),
        })
    }

    /// Adds the fonts installed on this computer (after the embedded ones, which keep
    /// their priority in the font book).
    pub fn add_system_fonts(&mut self) {
        let mut dirs: Vec<PathBuf> = vec![
            "/usr/share/fonts".into(),
            "/usr/local/share/fonts".into(),
            "C:\\Windows\\Fonts".into(),
            "/Library/Fonts".into(),
        ];
        if let Some(home) = std::env::var_os("HOME") {
            dirs.push(PathBuf::from(&home).join(".fonts"));
            dirs.push(PathBuf::from(&home).join(".local/share/fonts"));
        }
        let mut found = Vec::new();
        for d in dirs.iter().filter(|d| d.is_dir()) {
            let _ = walk(d, &mut found);
        }
        for path in found {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_lowercase();
            if matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc")
                && let Ok(bytes) = std::fs::read(&path)
            {
                self.fonts.extend(Font::iter(Bytes::new(bytes)));
            }
        }
        self.book = LazyHash::new(FontBook::from_fonts(&self.fonts));
    }

    /// Adds a file the templates can read (e.g. the office logo at `/aset/logo.png`).
    pub fn add_file(&mut self, path: &str, origin: &str, bytes: Vec<u8>) {
        self.files.insert(
            file_id(path),
            Entry {
                origin: origin.to_string(),
                bytes: Bytes::new(bytes),
                source: None,
            },
        );
    }

    /// Whether the world has this template.
    pub fn has_template(&self, template: &str) -> bool {
        self.files.contains_key(&file_id(&format!("/{template}")))
    }

    /// Compiles `job` and exports it as PDF/A-2b.
    pub fn render(&self, job: &Job) -> Result<Vec<u8>, RenderError> {
        let main = file_id(&format!("/{}", job.template.trim_start_matches('/')));
        if !self.files.contains_key(&main) {
            return Err(RenderError::NoTemplate(job.template.to_string()));
        }
        let world = DocWorld {
            renderer: self,
            main,
            data: Bytes::new(job.data.to_vec()),
            qr: job.qr_svg.map(|s| Bytes::from_string(s.to_string())),
        };
        let result = typst::compile::<PagedDocument>(&world);
        let document = result
            .output
            .map_err(|errors| RenderError::Template(world.diagnostics(&errors)))?;
        let date = Datetime::from_ymd_hms(
            job.date.year(),
            job.date.month() as u8,
            job.date.day() as u8,
            0,
            0,
            0,
        )
        .expect("valid date");
        let options = PdfOptions {
            ident: Smart::Custom(job.ident.to_string()),
            creator: Smart::Custom(Some("kelurahan".into())),
            timestamp: Timestamp::new_local(date, 7 * 60),
            page_ranges: None,
            standards: PdfStandards::new(&[PdfStandard::A_2b])
                .map_err(|e| RenderError::Pdf(format!("{e:?}")))?,
            // PDF/A-2b does not need tags, and they make tables many times larger.
            tagged: false,
            pretty: false,
        };
        let pdf = typst_pdf::pdf(&document, &options)
            .map_err(|errors| RenderError::Template(world.diagnostics(&errors)))?;
        // comemo's caches are process-wide and never shrink by themselves.
        typst::comemo::evict(3);
        Ok(pdf)
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// The world as one document sees it: the shared renderer plus this document's data.
struct DocWorld<'a> {
    renderer: &'a Renderer,
    main: FileId,
    data: Bytes,
    qr: Option<Bytes>,
}

impl DocWorld<'_> {
    fn diagnostics(&self, errors: &[SourceDiagnostic]) -> Diagnostics {
        Diagnostics(
            errors
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| {
                    let file = d.span.id();
                    let (line, column) = match (file, self.range(d.span)) {
                        (Some(id), Some(range)) => match self.source(id) {
                            Ok(src) => {
                                let lines = src.lines();
                                (
                                    lines.byte_to_line(range.start).map(|l| l + 1),
                                    lines.byte_to_column(range.start).map(|c| c + 1),
                                )
                            }
                            Err(_) => (None, None),
                        },
                        _ => (None, None),
                    };
                    Diagnostic {
                        file: file.map(|id| self.origin(id)),
                        line,
                        column,
                        message: d.message.to_string(),
                        hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
                    }
                })
                .collect(),
        )
    }

    fn origin(&self, id: FileId) -> String {
        if id == self.renderer.data_id {
            return "data dokumen (/data.json)".into();
        }
        self.renderer
            .files
            .get(&id)
            .map(|e| e.origin.clone())
            .unwrap_or_else(|| id.vpath().get_with_slash().to_string())
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.renderer.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.renderer.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.renderer.files.get(&id).and_then(|e| e.source.clone()) {
            Some(s) => Ok(s),
            None => Err(FileError::NotFound(
                id.vpath().get_with_slash().to_string().into(),
            )),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.renderer.data_id {
            return Ok(self.data.clone());
        }
        if id == self.renderer.qr_id
            && let Some(qr) = &self.qr
        {
            return Ok(qr.clone());
        }
        match self.renderer.files.get(&id) {
            Some(e) => Ok(e.bytes.clone()),
            None => Err(FileError::NotFound(
                id.vpath().get_with_slash().to_string().into(),
            )),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.renderer.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // Documents take their dates from their data, never from the clock.
        None
    }
}

/// The renderer for a workspace: its template overrides and its logo.
pub fn for_workspace(ws: &Workspace) -> Result<Renderer, RenderError> {
    let mut r = Renderer::new(Some(&ws.dir.join(TEMPLATES_DIR)))?;
    if ws.profil.dokumen.font_sistem {
        r.add_system_fonts();
    }
    if let Some(vpath) = documents::logo_path(&ws.profil) {
        let file = ws.dir.join(ws.profil.kantor.logo.trim());
        let bytes = std::fs::read(&file).map_err(|e| RenderError::Io {
            path: file.display().to_string(),
            source: e,
        })?;
        r.add_file(&vpath, &file.display().to_string(), bytes);
    }
    Ok(r)
}

/// The QR code of a verification text, as an SVG the template places.
pub fn qr_svg(text: &str) -> String {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .expect("a short text always fits a QR code");
    let w = code.width();
    let quiet = 2;
    let size = w + 2 * quiet;
    let mut path = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = (i % w + quiet, i / w + quiet);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

/// A workspace's renderer, built the first time a document is needed and reused.
pub struct LazyRenderer<'a> {
    ws: &'a Workspace,
    cell: std::sync::OnceLock<Renderer>,
}

impl<'a> LazyRenderer<'a> {
    pub fn new(ws: &'a Workspace) -> Self {
        LazyRenderer {
            ws,
            cell: std::sync::OnceLock::new(),
        }
    }

    pub fn get(&self) -> Result<&Renderer, RenderError> {
        if let Some(r) = self.cell.get() {
            return Ok(r);
        }
        let r = for_workspace(self.ws)?;
        Ok(self.cell.get_or_init(|| r))
    }
}
