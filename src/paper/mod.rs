//! Layer 4, what goes on paper and into figures: documents' data, the Typst world,
//! blank forms, the report figures and workbooks, and the importer of old registers.

pub mod blanko;
pub mod documents;
pub mod figures;
pub mod import;
pub mod render;
pub mod workbook;

use render::RenderError;
use workbook::ExportError;

/// What can go wrong putting a document on paper or in a workbook.
#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Workbook(#[from] ExportError),
    #[error("jenis surat `{0}` tidak ada di katalog")]
    UnknownType(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error(
        "permohonan {0} bukan permohonan pengantar nikah; model N2, N4 dan N5 hanya untuk pengantar-nikah"
    )]
    NotMarriage(String),
}
