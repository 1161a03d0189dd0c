//! The WhatsApp messages for an applicant who asked over WhatsApp: the text that fits
//! where the request stands, as a `wa.me` link the clerk opens. Nothing is sent by the
//! program; no NIK is ever in a message.

use crate::domain::permohonan::{Kanal, Permohonan};
use crate::domain::surat::Surat;
use crate::domain::workflow::Tahap;

/// Percent-encoding for a URL's query value (RFC 3986 unreserved characters kept).
fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An Indonesian mobile number in WhatsApp's international form: `0812…` and `+62812…`
/// become `62812…`.
pub fn wa_number(telepon: &str) -> Option<String> {
    let digits: String = telepon.chars().filter(char::is_ascii_digit).collect();
    let n = if let Some(rest) = digits.strip_prefix('0') {
        format!("62{rest}")
    } else if digits.starts_with("62") {
        digits
    } else if digits.starts_with('8') {
        format!("62{digits}")
    } else {
        return None;
    };
    (10..=15).contains(&n.len()).then_some(n)
}

/// The ready message for an applicant who asked over WhatsApp, fitting where the
/// request stands, as a `wa.me` link the clerk opens on their own phone or computer.
/// Nothing is sent by the program and nothing is stored outside the register.
/// `lacak`: the request's public status page, when the office has one; the message
/// then ends with it, so the applicant checks progress without calling.
pub fn wa_link(
    p: &Permohonan,
    jenis_nama: &str,
    kelurahan: &str,
    surat: Option<&Surat>,
    lacak: Option<&str>,
) -> Option<(String, &'static str)> {
    if p.kanal != Kanal::Whatsapp {
        return None;
    }
    let nomor = wa_number(p.telepon.as_deref()?)?;
    let kurang = p.berkas_kurang();
    let (text, what) = match (p.tahap, surat) {
        (Tahap::Ditolak, _) => (
            format!(
                "Yth. {}, mohon maaf, permohonan {jenis_nama} Anda (No. {}) di {kelurahan} tidak dapat kami proses: {}.",
                p.nama,
                p.nomor_register,
                p.riwayat
                    .last()
                    .and_then(|r| r.catatan.clone())
                    .unwrap_or_else(|| "lihat keterangan petugas".into())
            ),
            "Kabari: ditolak",
        ),
        (_, Some(s)) if s.batal.is_none() => (
            format!(
                "Yth. {}, surat {jenis_nama} Anda (No. {}) sudah selesai dan dapat diambil di kantor {kelurahan} pada jam kerja dengan membawa KTP asli. Terima kasih.",
                p.nama, s.nomor
            ),
            "Kabari: surat siap diambil",
        ),
        (Tahap::Diajukan, _) if !kurang.is_empty() => (
            format!(
                "Yth. {}, permohonan {jenis_nama} Anda (No. {}) di {kelurahan} belum dapat diproses karena berkas berikut belum ada: {}. Mohon dilengkapi. Terima kasih.",
                p.nama,
                p.nomor_register,
                kurang.join(", ")
            ),
            "Kabari: berkas kurang",
        ),
        _ => (
            format!(
                "Yth. {}, permohonan {jenis_nama} Anda sudah kami terima di {kelurahan} dengan nomor register {}. Kami kabari lagi bila surat sudah siap. Terima kasih.",
                p.nama, p.nomor_register
            ),
            "Kabari: permohonan diterima",
        ),
    };
    let text = match lacak {
        Some(url) if !p.tahap.tanpa_surat() => {
            format!("{text} Keadaan permohonan dapat dilihat di {url}")
        }
        _ => text,
    };
    Some((
        format!("https://wa.me/{nomor}?text={}", url_encode(&text)),
        what,
    ))
}
