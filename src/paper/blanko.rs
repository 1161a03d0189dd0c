//! Blank forms (blanko) and the two that also print filled for one request: which
//! forms exist, the data each gets, and where they are written.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::workspace::Workspace;
use crate::domain::permohonan::Permohonan;
use crate::domain::surat::Surat;
use crate::paper::PaperError;
use crate::paper::documents;
use crate::paper::render::{Job, Renderer};
use crate::util::files;

/// Blank forms carry a fixed date, so printing them again gives the same bytes.
const BLANK_DATE: NaiveDate = NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");

#[derive(Debug, Clone, Serialize)]
pub struct Printed {
    pub nama: String,
    pub berkas: PathBuf,
}

type Result<T> = std::result::Result<T, PaperError>;

fn write(out: &Path, name: &str, pdf: &[u8]) -> Result<Printed> {
    let path = out.join(name);
    files::write_atomic(&path, pdf).map_err(|e| PaperError::Io(path.display().to_string(), e))?;
    Ok(Printed {
        nama: name.to_string(),
        berkas: path,
    })
}

fn render<T: Serialize>(
    r: &Renderer,
    template: &str,
    data: &T,
    ident: &str,
    date: NaiveDate,
) -> Result<Vec<u8>> {
    render_qr(r, template, data, ident, date, None)
}

fn render_qr<T: Serialize>(
    r: &Renderer,
    template: &str,
    data: &T,
    ident: &str,
    date: NaiveDate,
    qr_svg: Option<&str>,
) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(data).expect("form data serializes");
    Ok(r.render(&Job {
        template,
        data: &json,
        qr_svg,
        ident,
        date,
    })?)
}

/// The blank application form of one letter type.
pub fn application(ws: &Workspace, r: &Renderer, jenis: &str, out: &Path) -> Result<Printed> {
    let j = ws
        .katalog
        .jenis(jenis)
        .ok_or_else(|| PaperError::UnknownType(jenis.to_string()))?;
    let data = documents::application_form(&ws.profil, j);
    let pdf = render(
        r,
        "blanko/permohonan.typ",
        &data,
        &format!("blanko permohonan {}", j.kode),
        BLANK_DATE,
    )?;
    write(out, &format!("permohonan-{}.pdf", j.kode), &pdf)
}

/// The receipt, blank or for one request.
pub fn receipt(
    ws: &Workspace,
    r: &Renderer,
    p: Option<&Permohonan>,
    out: &Path,
) -> Result<Printed> {
    let filled = match p {
        Some(p) => Some((
            p,
            ws.katalog
                .jenis(&p.jenis)
                .ok_or_else(|| PaperError::UnknownType(p.jenis.clone()))?,
        )),
        None => None,
    };
    let data = documents::receipt(&ws.profil, filled);
    let (name, ident, date) = match p {
        Some(p) => (
            format!("tanda-terima-{}.pdf", p.nomor_register.replace('/', "-")),
            format!("tanda terima {}", p.nomor_register),
            p.tanggal,
        ),
        None => (
            "tanda-terima.pdf".into(),
            "blanko tanda terima".into(),
            BLANK_DATE,
        ),
    };
    // The status page's address in a QR code, when the office has a public address.
    let qr = data
        .permohonan
        .as_ref()
        .and_then(|p| p.alamat_lacak.as_deref())
        .map(crate::paper::render::qr_svg);
    let pdf = render_qr(
        r,
        "blanko/tanda-terima.typ",
        &data,
        &ident,
        date,
        qr.as_deref(),
    )?;
    write(out, &name, &pdf)
}

/// The routing slip, blank or for one request (with its letter number if issued).
pub fn routing_slip(
    ws: &Workspace,
    r: &Renderer,
    p: Option<(&Permohonan, Option<&Surat>)>,
    out: &Path,
) -> Result<Printed> {
    let filled = match p {
        Some((p, s)) => Some((
            p,
            ws.katalog
                .jenis(&p.jenis)
                .ok_or_else(|| PaperError::UnknownType(p.jenis.clone()))?,
            s.map(|s| s.nomor.as_str()),
        )),
        None => None,
    };
    let data = documents::routing_slip(&ws.profil, filled, ws.profil.tz());
    let (name, ident, date) = match p {
        Some((p, _)) => (
            format!("lembar-kendali-{}.pdf", p.nomor_register.replace('/', "-")),
            format!("lembar kendali {}", p.nomor_register),
            p.tanggal,
        ),
        None => (
            "lembar-kendali.pdf".into(),
            "blanko lembar kendali".into(),
            BLANK_DATE,
        ),
    };
    let pdf = render(r, "blanko/lembar-kendali.typ", &data, &ident, date)?;
    write(out, &name, &pdf)
}

/// Blank register pages.
pub fn register_pages(ws: &Workspace, r: &Renderer, out: &Path) -> Result<Printed> {
    let data = documents::register_pages(&ws.profil, 2);
    let pdf = render(
        r,
        "blanko/register.typ",
        &data,
        "blanko buku register",
        BLANK_DATE,
    )?;
    write(out, "buku-register.pdf", &pdf)
}

/// The KUA's marriage forms that the couple and their parents sign (Kepdirjen Bimas
/// Islam No. 473 Tahun 2020), printed blank or filled from a marriage request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelNikah {
    /// Permohonan kehendak nikah.
    N2,
    /// Persetujuan calon pengantin.
    N4,
    /// Surat izin orang tua.
    N5,
}

impl ModelNikah {
    fn kode(self) -> &'static str {
        match self {
            ModelNikah::N2 => "n2",
            ModelNikah::N4 => "n4",
            ModelNikah::N5 => "n5",
        }
    }
}

/// Model N2, N4 or N5, blank or filled from request `p` (a `pengantar-nikah`).
pub fn model_nikah(
    ws: &Workspace,
    r: &Renderer,
    model: ModelNikah,
    p: Option<&Permohonan>,
    out: &Path,
) -> Result<Printed> {
    if let Some(p) = p
        && p.jenis != "pengantar-nikah"
    {
        return Err(PaperError::NotMarriage(p.nomor_register.clone()));
    }
    let data = documents::model_nikah(&ws.profil, p);
    let kode = model.kode();
    let template = format!("blanko/model-{kode}.typ");
    let (name, ident, date) = match p {
        Some(p) => (
            format!("model-{kode}-{}.pdf", p.nomor_register.replace('/', "-")),
            format!("model {kode} {}", p.nomor_register),
            p.tanggal,
        ),
        None => (
            format!("model-{kode}.pdf"),
            format!("blanko model {kode}"),
            BLANK_DATE,
        ),
    };
    let pdf = render(r, &template, &data, &ident, date)?;
    write(out, &name, &pdf)
}

/// Every blank form: one application form per letter type, the receipt, the routing
/// slip and the register pages.
pub fn all(ws: &Workspace, r: &Renderer, out: &Path) -> Result<Vec<Printed>> {
    let mut done = Vec::new();
    for j in &ws.katalog.jenis {
        done.push(application(ws, r, &j.kode, out)?);
    }
    done.push(receipt(ws, r, None, out)?);
    done.push(routing_slip(ws, r, None, out)?);
    done.push(register_pages(ws, r, out)?);
    for m in [ModelNikah::N2, ModelNikah::N4, ModelNikah::N5] {
        done.push(model_nikah(ws, r, m, None, out)?);
    }
    Ok(done)
}
