//! Importing resident lists (daftar penduduk: the biodata columns of Dukcapil's exports
//! or an office's own list) through the register import's machinery: the same reading
//! and guards, a header found by its spellings, every row accounted for with a reason,
//! the same error workbook, and one transaction per file (a dry run rolls back).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::read::{self, Lembar, Nilai};
use super::{
    CatatanBaris, HasilBerkas, ImportError, InfoLembar, Jumlah, Ringkasan, alasan_label, peta,
    sheet, value,
};
use crate::domain::daftar::Daftar;
use crate::domain::identity;
use crate::domain::penduduk::DataPenduduk;
use crate::domain::permohonan::nomor_rt;
use crate::domain::teks;
use crate::store::{HasilBarisPenduduk, Register};

/// Header spellings (compared by `peta::key`) of each resident field; `tanggal_lahir`
/// and `jenis_kelamin` are checked against the NIK, `abaikan` is read past.
const KOLOM: &[(&str, &[&str])] = &[
    (
        "nik",
        &[
            "nik",
            "noinduk",
            "nomorindukkependudukan",
            "nonik",
            "noktp",
            "nomorktp",
            "nikktp",
        ],
    ),
    (
        "kk",
        &[
            "nokk",
            "nomorkk",
            "kk",
            "nokartukeluarga",
            "nomorkartukeluarga",
            "nkk",
        ],
    ),
    (
        "nama",
        &["nama", "namalengkap", "namapenduduk", "namaanggotakeluarga"],
    ),
    (
        "tempat_lahir",
        &["tempatlahir", "tmptlahir", "tmplahir", "tptlahir"],
    ),
    (
        "tanggal_lahir",
        &["tanggallahir", "tgllahir", "tgllhr", "tanggallhr"],
    ),
    (
        "jenis_kelamin",
        &["jeniskelamin", "jk", "lp", "kelamin", "jenkel"],
    ),
    ("agama", &["agama"]),
    (
        "pendidikan",
        &[
            "pendidikan",
            "pendidikanterakhir",
            "pendidikandalamkk",
            "pddkakhir",
        ],
    ),
    ("pekerjaan", &["pekerjaan", "jenispekerjaan"]),
    (
        "status_perkawinan",
        &[
            "statusperkawinan",
            "statuskawin",
            "perkawinan",
            "stskawin",
            "statkwn",
        ],
    ),
    (
        "shdk",
        &[
            "shdk",
            "hubungan",
            "hubungankeluarga",
            "hubungandalamkeluarga",
            "statushubungandalamkeluarga",
            "stathbkel",
        ],
    ),
    (
        "kewarganegaraan",
        &["kewarganegaraan", "warganegara", "kwn"],
    ),
    ("alamat", &["alamat", "alamatlengkap", "alamatrumah"]),
    ("rt", &["rt", "nort"]),
    ("rw", &["rw", "norw"]),
    (
        "telepon",
        &["telepon", "notelp", "telp", "nohp", "hp", "nowa", "nomorhp"],
    ),
    ("abaikan", &["no", "nomor", "nourut", "ket", "keterangan"]),
];

fn kolom_of(label: &str) -> Option<&'static str> {
    let k = peta::key(label);
    KOLOM
        .iter()
        .find(|(_, spellings)| spellings.contains(&k.as_str()))
        .map(|(f, _)| *f)
}

/// How the run is done.
pub struct Opsi<'a> {
    pub oleh: &'a str,
    pub at: DateTime<FixedOffset>,
    /// The date the list was true: an older list fills gaps and never overwrites newer
    /// data (a request, a later list).
    pub berlaku: NaiveDate,
    pub uji: bool,
}

struct Header {
    row: u32,
    columns: Vec<(u32, &'static str)>,
}

fn find_header(l: &Lembar) -> Option<Header> {
    let ((r0, c0), (r1, c1)) = l.bounds()?;
    for row in r0..=r1.min(sheet::HEADER_ROWS - 1) {
        let mut columns: Vec<(u32, &'static str)> = Vec::new();
        for c in c0..=c1 {
            if let Some(k) = kolom_of(&l.get(row, c).text())
                && (k == "abaikan" || !columns.iter().any(|(_, o)| *o == k))
            {
                columns.push((c, k));
            }
        }
        let has = |k: &str| columns.iter().any(|(_, o)| *o == k);
        let known = columns.iter().filter(|(_, k)| *k != "abaikan").count();
        if has("nik") && has("nama") && known >= 4 {
            return Some(Header { row, columns });
        }
    }
    None
}

enum Baris {
    Lewati(&'static str),
    Tolak(&'static str, String),
    Data(DataPenduduk),
}

fn one_line(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn data_row(l: &Lembar, h: &Header, cells: &[Nilai], c0: u32, opsi: &Opsi) -> Baris {
    static EMPTY: Nilai = Nilai::Kosong;
    let get = |k: &str| -> &Nilai {
        h.columns
            .iter()
            .find(|(_, o)| *o == k)
            .map_or(&EMPTY, |(c, _)| &cells[(c - c0) as usize])
    };
    for (_, k) in &h.columns {
        if let Nilai::Galat(e) = get(k) {
            return Baris::Tolak("galat_sel", format!("kolom {k} berisi galat {e}"));
        }
    }
    let nik_cell = get("nik");
    let (nik, as_number) = value::nomor_identitas(nik_cell);
    if nik.is_empty() {
        return Baris::Tolak("nik_kosong", "NIK kosong".into());
    }
    let info = match identity::parse_nik(&nik, opsi.at.date_naive()) {
        Ok(i) => i,
        Err(e) => return Baris::Tolak(sheet::nik_code(&e), e.to_string()),
    };
    if as_number {
        // The NIK is the resident's key: a guessed last digit would make another person.
        return Baris::Tolak(
            "nik_presisi_hilang",
            "NIK tersimpan sebagai angka di Excel, yang hanya menyimpan 15 angka; tulis NIK sebagai teks lalu impor lagi".into(),
        );
    }
    let nama = get("nama").text();
    if nama.trim().is_empty() {
        return Baris::Tolak("nama_kosong", "nama kosong".into());
    }
    let mut data = BTreeMap::new();
    match teks::periksa(&one_line(&nama), teks::NAMA_MAKS) {
        Ok(n) => data.insert("nama".to_string(), n),
        Err(e) => return Baris::Tolak("teks_tidak_sah", format!("nama {e}")),
    };
    let kk_cell = get("kk");
    if !kk_cell.is_empty() {
        let (kk, kk_number) = value::nomor_identitas(kk_cell);
        match identity::parse_kk(&kk) {
            Ok(kk) if !kk_number => {
                data.insert("kk".into(), kk);
            }
            Ok(_) => {
                return Baris::Tolak(
                    "kk_tidak_sah",
                    "No. KK tersimpan sebagai angka (angka ke-16 hilang); tulis sebagai teks"
                        .into(),
                );
            }
            Err(e) => return Baris::Tolak("kk_tidak_sah", e.to_string()),
        }
    }
    // What the NIK says must agree with the columns that say it again.
    let jk = get("jenis_kelamin").text();
    if !jk.trim().is_empty() {
        match Daftar::JenisKelamin.cari(&jk) {
            Ok(w) if (w == "Perempuan") != info.perempuan => {
                return Baris::Tolak(
                    "nik_tidak_cocok",
                    format!("jenis kelamin {w}, padahal NIK-nya menyatakan sebaliknya"),
                );
            }
            Ok(_) => {}
            Err(e) => return Baris::Tolak("nilai_tidak_dikenal", e),
        }
    }
    if let value::Tanggal::Ok(d) = value::tanggal(
        get("tanggal_lahir"),
        l.epoch_1904,
        NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid"),
        opsi.at.date_naive(),
    ) && d != info.tanggal_lahir
    {
        return Baris::Tolak(
            "nik_tidak_cocok",
            format!(
                "tanggal lahir {}, padahal NIK-nya menyatakan {}",
                crate::domain::calendar::tanggal(d),
                crate::domain::calendar::tanggal(info.tanggal_lahir)
            ),
        );
    }
    for (k, _, daftar) in crate::domain::penduduk::KOLOM {
        if matches!(k, "nama" | "kk") {
            continue;
        }
        let v = one_line(&get(k).text());
        if v.is_empty() {
            continue;
        }
        let checked = match (k, daftar) {
            (_, Some(d)) => d
                .cari(&v)
                .map(str::to_string)
                .map_err(|e| ("nilai_tidak_dikenal", e)),
            ("rt" | "rw", _) => value::rt(&v)
                .ok_or_else(|| format!("`{v}`"))
                .and_then(|n| nomor_rt(&n))
                .map_err(|e| {
                    (
                        "rt_rw_tidak_sah",
                        format!("{k}: {e} bukan nomor 1 sampai 999"),
                    )
                }),
            ("telepon", _) => {
                crate::domain::permohonan::nomor_telepon(&v).map_err(|e| ("telepon_tidak_sah", e))
            }
            ("alamat", _) => teks::periksa(&v, teks::ALAMAT_MAKS)
                .map_err(|e| ("teks_tidak_sah", format!("alamat {e}"))),
            _ => teks::periksa(&v, teks::ISIAN_MAKS)
                .map_err(|e| ("teks_tidak_sah", format!("{k} {e}"))),
        };
        match checked {
            Ok(v) => {
                data.insert(k.to_string(), v);
            }
            Err((kode, pesan)) => return Baris::Tolak(kode, pesan),
        }
    }
    Baris::Data(DataPenduduk {
        nik: info.nik,
        data,
        berlaku: opsi.berlaku,
    })
}

/// Checks the rows a sheet (or a block of it) answers for under its header; `signed`
/// carries over from block to block: rows under the signature are not data.
fn rows(l: &Lembar, h: &Header, opsi: &Opsi, signed: &mut bool, mut each: impl FnMut(u32, Baris)) {
    let Some(((_, c0), (r1, c1))) = l.bounds() else {
        return;
    };
    let nik_col = h.columns.iter().find(|(_, k)| *k == "nik").map(|(c, _)| *c);
    for row in (h.row + 1).max(l.mulai())..=r1 {
        let cells: Vec<Nilai> = (c0..=c1).map(|c| l.isi(row, c)).collect();
        if *signed {
            each(row, Baris::Lewati("tanda_tangan"));
            continue;
        }
        if cells.iter().all(Nilai::is_empty) {
            each(row, Baris::Lewati("kosong"));
            continue;
        }
        let nik_like =
            nik_col.is_some_and(|c| value::nomor_identitas(&l.isi(row, c)).0.len() >= 10);
        let texts = || {
            cells.iter().filter_map(|v| match v {
                Nilai::Teks(t) if !t.trim().is_empty() => Some(t.as_str()),
                _ => None,
            })
        };
        if !nik_like && texts().any(sheet::signature_line) {
            *signed = true;
            each(row, Baris::Lewati("tanda_tangan"));
            continue;
        }
        if !nik_like && sheet::column_numbers(&cells) {
            each(row, Baris::Lewati("nomor_kolom"));
            continue;
        }
        if !nik_like
            && texts().any(|t| {
                let k = peta::key(t);
                ["jumlah", "total", "subtotal"]
                    .iter()
                    .any(|p| k.starts_with(p))
            })
        {
            each(row, Baris::Lewati("jumlah"));
            continue;
        }
        each(row, data_row(l, h, &cells, c0, opsi));
    }
}

struct Dibaca {
    berkas: String,
    lembar: Vec<InfoLembar>,
    catatan: Vec<CatatanBaris>,
    jumlah: Jumlah,
}

/// What the reading core hands the register's core, in the file's order.
enum Langkah {
    /// A sheet begins: read under its header, or passed over.
    Lembar(InfoLembar),
    /// A row, with its cells when a note must show them.
    Baris(u32, Baris, super::Asli),
    /// A NIK already met earlier in the same file.
    Ganda(u32, super::Asli),
}

/// Why a file's transaction was rolled back.
enum Henti {
    /// The file cannot be read whole: refused, nothing of it kept.
    Ditolak(String),
    Galat(ImportError),
}

impl From<crate::store::RegisterError> for Henti {
    fn from(e: crate::store::RegisterError) -> Self {
        Henti::Galat(e.into())
    }
}

/// Reads one file and hands each good row to the register inside the file's
/// transaction while calamine is still parsing the rows after it (`read::stream`): one
/// core reads and checks, the other writes. A file that turns out unreadable halfway is
/// refused whole (`Err(Ok(words))`) and its transaction rolled back.
fn import_file(
    reg: &mut Register,
    path: &Path,
    opsi: &Opsi,
) -> Result<Dibaca, Result<String, ImportError>> {
    let berkas = super::file_name(path);
    let bytes = std::fs::read(path)
        .map_err(|e| Ok(read::Refusal::Unreadable(e.to_string()).to_string()))?;
    let mut d = Dibaca {
        berkas: berkas.clone(),
        lembar: Vec::new(),
        catatan: Vec::new(),
        jumlah: Jumlah::default(),
    };
    let done = reg.impor_penduduk(opsi.oleh, opsi.at, !opsi.uji, |imp| {
        let mut refused: Option<read::Refusal> = None;
        let mut failed: Option<ImportError> = None;
        let read_and_check = |emit: &mut dyn FnMut(Langkah)| {
            let mut header: Option<Header> = None;
            let mut signed = false;
            let mut seen: HashSet<String> = HashSet::new();
            let r = read::stream(bytes, &mut |l, first| {
                if first {
                    signed = false;
                    header = None;
                    if let Some(kode) = super::lembar_tanpa_isi(&l) {
                        emit(Langkah::Lembar(InfoLembar::dilewati(&l, kode)));
                        return;
                    }
                    let Some(h) = find_header(&l) else {
                        emit(Langkah::Lembar(InfoLembar::dilewati(
                            &l,
                            "bukan_daftar_penduduk",
                        )));
                        return;
                    };
                    emit(Langkah::Lembar(InfoLembar::dibaca(&l, h.row)));
                    header = Some(h);
                }
                let Some(h) = &header else { return };
                rows(&l, h, opsi, &mut signed, |row, b| {
                    emit(match b {
                        Baris::Data(p) if !seen.insert(p.nik.clone()) => {
                            Langkah::Ganda(row, super::originals(&l, row))
                        }
                        Baris::Tolak(..) => Langkah::Baris(row, b, super::originals(&l, row)),
                        b => Langkah::Baris(row, b, Vec::new()),
                    })
                });
            });
            refused = r.err();
        };
        let mut info: Option<InfoLembar> = None;
        let j = &mut d.jumlah;
        let catatan = &mut d.catatan;
        let lembar = &mut d.lembar;
        super::pipelined(read_and_check, |langkah| {
            if failed.is_some() {
                return;
            }
            let note = |info: &InfoLembar, row: u32, hasil: &str, kode: &str, asli| CatatanBaris {
                berkas: berkas.clone(),
                lembar: info.nama.clone(),
                baris: row + 1,
                hasil: hasil.into(),
                kode: kode.into(),
                alasan: alasan_label(kode).into(),
                nomor_register: None,
                asli,
            };
            let (row, b, asli) = match langkah {
                Langkah::Lembar(l) => {
                    lembar.extend(info.replace(l));
                    return;
                }
                Langkah::Ganda(row, asli) => (row, None, asli),
                Langkah::Baris(row, b, asli) => (row, Some(b), asli),
            };
            let Some(info) = info.as_mut() else { return };
            info.dibaca += 1;
            j.dibaca += 1;
            match b {
                None => {
                    j.ganda += 1;
                    catatan.push(note(info, row, "ganda", "ganda_dalam_berkas", asli));
                }
                Some(Baris::Lewati(kode)) => {
                    j.dilewati += 1;
                    *j.dilewati_per_alasan.entry(kode.into()).or_default() += 1;
                }
                Some(Baris::Tolak(kode, pesan)) => {
                    j.ditolak += 1;
                    *j.ditolak_per_alasan.entry(kode.into()).or_default() += 1;
                    catatan.push(CatatanBaris {
                        alasan: pesan,
                        ..note(info, row, "ditolak", kode, asli)
                    });
                }
                Some(Baris::Data(p)) => {
                    let sumber = format!(
                        "impor daftar penduduk: {berkas}, lembar {}, baris {}",
                        info.nama,
                        row + 1
                    );
                    match imp.gabung(&p, &sumber) {
                        Ok(HasilBarisPenduduk::Sama) => {
                            j.ganda += 1;
                            catatan.push(note(info, row, "ganda", "sudah_tercatat", Vec::new()));
                        }
                        Ok(_) => j.diimpor += 1,
                        Err(e) => failed = Some(e.into()),
                    }
                }
            }
        });
        lembar.extend(info);
        match (refused, failed) {
            (Some(r), _) => Err(Henti::Ditolak(r.to_string())),
            (None, Some(e)) => Err(Henti::Galat(e)),
            (None, None) => Ok(()),
        }
    });
    match done {
        Ok(()) => Ok(d),
        Err(Henti::Ditolak(words)) => Err(Ok(words)),
        Err(Henti::Galat(e)) => Err(Err(e)),
    }
}

/// Imports the resident lists (or, with `uji`, checks them and writes nothing); a file
/// that cannot be read whole is refused and writes nothing.
pub fn run(reg: &mut Register, files: &[PathBuf], opsi: &Opsi) -> Result<Ringkasan, ImportError> {
    let mut r = Ringkasan {
        uji: opsi.uji,
        isi: "daftar penduduk",
        berkas: Vec::new(),
        jumlah: Jumlah::default(),
        baris: Vec::new(),
        saran_peta: Vec::new(),
    };
    for f in files {
        let d = match import_file(reg, f, opsi) {
            Ok(d) => d,
            Err(Ok(galat)) => {
                r.berkas.push(HasilBerkas {
                    berkas: super::file_name(f),
                    status: "ditolak".into(),
                    galat: Some(galat),
                    jumlah: Jumlah::default(),
                    lembar: Vec::new(),
                });
                continue;
            }
            Err(Err(e)) => return Err(e),
        };
        r.jumlah.add(&d.jumlah);
        r.baris.extend(d.catatan);
        r.berkas.push(HasilBerkas {
            berkas: d.berkas,
            status: if opsi.uji { "uji" } else { "diimpor" }.into(),
            galat: None,
            jumlah: d.jumlah,
            lembar: d.lembar,
        });
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dukcapil_headers_are_known() {
        for (label, k) in [
            ("NIK", "nik"),
            ("No. KK", "kk"),
            ("Nama Lengkap", "nama"),
            ("Tgl. Lahir", "tanggal_lahir"),
            ("L/P", "jenis_kelamin"),
            ("Pendidikan Dalam KK", "pendidikan"),
            ("Status Hubungan Dalam Keluarga", "shdk"),
            ("STATUS PERKAWINAN", "status_perkawinan"),
        ] {
            assert_eq!(kolom_of(label), Some(k), "{label}");
        }
    }
}
