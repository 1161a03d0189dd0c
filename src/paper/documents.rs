//! What each printed document says: the data handed to its Typst template as
//! `/data.json`, assembled from register records and the office profile. Pure.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::config::workspace::{Kertas, PenandaTangan, Petugas, Profil};
use crate::domain::identity;
use crate::domain::katalog::JenisSurat;
use crate::domain::permohonan::Permohonan;

/// Virtual path of the office logo, when the profile names one.
pub fn logo_path(profil: &Profil) -> Option<String> {
    let logo = profil.kantor.logo.trim();
    if logo.is_empty() {
        return None;
    }
    let ext = std::path::Path::new(logo)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("png")
        .to_lowercase();
    Some(format!("/aset/logo.{ext}"))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KantorData {
    pub pemerintah: String,
    pub kecamatan: String,
    pub kelurahan: String,
    pub nama: String,
    pub nama_kecamatan: String,
    pub nama_kota: String,
    pub kota_surat: String,
    pub alamat_lengkap: String,
    pub email: String,
    pub logo: Option<String>,
}

impl KantorData {
    pub fn from(profil: &Profil) -> Self {
        let k = &profil.kantor;
        let mut alamat = format!("{}, Kode Pos {}, Email: {}", k.alamat, k.kode_pos, k.email);
        if !k.telepon.trim().is_empty() {
            alamat.push_str(&format!(", Telp. {}", k.telepon.trim()));
        }
        KantorData {
            pemerintah: k.pemerintah.clone(),
            kecamatan: k.kecamatan.clone(),
            kelurahan: k.kelurahan.clone(),
            nama: k.nama.clone(),
            nama_kecamatan: k.nama_kecamatan.clone(),
            nama_kota: k.nama_kota.clone(),
            kota_surat: k.kota_surat.clone(),
            alamat_lengkap: alamat,
            email: k.email.clone(),
            logo: logo_path(profil),
        }
    }
}

pub fn kertas(profil: &Profil) -> &'static str {
    match profil.dokumen.kertas {
        Kertas::F4 => "f4",
        Kertas::A4 => "a4",
    }
}

/// The applicant as a letter prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PemohonData {
    pub nama: String,
    pub nik: String,
    pub kk: Option<String>,
    pub jenis_kelamin: Option<String>,
    pub tempat_lahir: Option<String>,
    pub tanggal_lahir: Option<String>,
    pub agama: Option<String>,
    pub pekerjaan: Option<String>,
    pub status_perkawinan: Option<String>,
    pub kewarganegaraan: Option<String>,
    pub alamat_lengkap: String,
    pub rt: Option<String>,
    pub rw: Option<String>,
    pub telepon: Option<String>,
}

impl PemohonData {
    pub fn from(p: &Permohonan, profil: &Profil) -> Self {
        // The NIK was checked when the request was written; what it encodes is read
        // back here (sex, birth date) so that no one types them twice.
        let info = identity::parse_nik(&p.nik, p.tanggal).ok();
        let get = |k: &str| p.isian.get(k).cloned();
        let k = &profil.kantor;
        let mut alamat = p.alamat.clone().unwrap_or_default();
        if let Some(rt) = &p.rt {
            alamat.push_str(&format!(" RT {rt}"));
        }
        if let Some(rw) = &p.rw {
            alamat.push_str(&format!(" RW {rw}"));
        }
        let alamat = format!(
            "{}{}Kelurahan {}, Kecamatan {}, {}",
            alamat.trim(),
            if alamat.trim().is_empty() { "" } else { ", " },
            k.nama,
            k.nama_kecamatan,
            k.nama_kota
        );
        PemohonData {
            nama: p.nama.clone(),
            nik: p.nik.clone(),
            kk: p.kk.clone(),
            jenis_kelamin: info.as_ref().map(|i| {
                if i.perempuan {
                    "Perempuan"
                } else {
                    "Laki-laki"
                }
                .to_string()
            }),
            tempat_lahir: get("tempat_lahir"),
            tanggal_lahir: info.map(|i| i.tanggal_lahir.to_string()),
            agama: get("agama"),
            pekerjaan: get("pekerjaan"),
            status_perkawinan: get("status_perkawinan"),
            kewarganegaraan: get("kewarganegaraan").or(Some("WNI".into())),
            alamat_lengkap: alamat,
            rt: p.rt.clone(),
            rw: p.rw.clone(),
            telepon: p.telepon.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenandaTanganData {
    /// "Lurah Rawasari" when the Seklur signs on the Lurah's behalf (a.n.).
    pub atas_nama: Option<String>,
    pub jabatan: String,
    pub nama: String,
    pub pangkat: Option<String>,
    pub nip: Option<String>,
}

impl PenandaTanganData {
    pub fn from(profil: &Profil, who: PenandaTangan) -> Self {
        match who {
            PenandaTangan::Lurah => Self::official(&profil.pejabat.lurah),
            PenandaTangan::Seklur => PenandaTanganData {
                atas_nama: Some(profil.pejabat.lurah.jabatan.clone()),
                ..Self::official(&profil.pejabat.seklur)
            },
        }
    }

    /// An official signing in their own name.
    pub fn official(p: &Petugas) -> Self {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        PenandaTanganData {
            atas_nama: None,
            jabatan: p.jabatan.clone(),
            nama: p.nama.clone(),
            pangkat: opt(&p.pangkat),
            nip: opt(&p.nip),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatalData {
    pub tanggal: String,
    pub alasan: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuratData {
    pub judul: String,
    pub nomor: String,
    /// ISO date; the template writes it in Indonesian.
    pub tanggal: String,
    pub kode_verifikasi: String,
    pub nomor_register: String,
    pub batal: Option<BatalData>,
    /// The office's public address for checking this letter, when it has one.
    #[serde(default)]
    pub alamat_verifikasi: Option<String>,
}

/// Everything a letter template reads. Stored with the letter when it is issued, so a
/// reprint says exactly what the original said, whatever the profile says later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterData {
    pub kertas: String,
    pub kantor: KantorData,
    pub surat: SuratData,
    pub pemohon: PemohonData,
    pub keperluan: Option<String>,
    pub isian: BTreeMap<String, String>,
    pub penanda_tangan: PenandaTanganData,
    /// What each NIK in the letter's own fields encodes (sex, birth date), for the words
    /// that follow a person's sex (almarhum/almarhumah) and an age.
    #[serde(default)]
    pub nik_isian: BTreeMap<String, NikData>,
    /// The people each list field names (`ahli_waris`, `pengikut`), with what their NIK
    /// encodes.
    #[serde(default)]
    pub orang: BTreeMap<String, Vec<OrangData>>,
}

/// One person on a letter's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrangData {
    pub nama: String,
    pub nik: String,
    pub hubungan: String,
    pub jenis_kelamin: Option<String>,
    pub tanggal_lahir: Option<String>,
}

/// What a NIK says of its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NikData {
    pub jenis_kelamin: String,
    pub perempuan: bool,
    pub tanggal_lahir: String,
}

impl NikData {
    /// What a valid NIK says; `None` for one that does not read.
    fn of(nik: &str, day: NaiveDate) -> Option<NikData> {
        let info = identity::parse_nik(nik, day).ok()?;
        Some(NikData {
            jenis_kelamin: if info.perempuan {
                "Perempuan"
            } else {
                "Laki-laki"
            }
            .to_string(),
            perempuan: info.perempuan,
            tanggal_lahir: info.tanggal_lahir.to_string(),
        })
    }
}

/// The facts of an issued letter that are not in the request.
#[derive(Debug, Clone)]
pub struct LetterFacts<'a> {
    pub nomor: &'a str,
    pub tanggal: NaiveDate,
    pub kode_verifikasi: &'a str,
    pub penanda_tangan: PenandaTangan,
}

pub fn letter(profil: &Profil, jenis: &JenisSurat, p: &Permohonan, s: &LetterFacts) -> LetterData {
    LetterData {
        kertas: kertas(profil).to_string(),
        kantor: KantorData::from(profil),
        surat: SuratData {
            judul: jenis.nama.clone(),
            nomor: s.nomor.to_string(),
            tanggal: s.tanggal.to_string(),
            kode_verifikasi: s.kode_verifikasi.to_string(),
            nomor_register: p.nomor_register.clone(),
            batal: None,
            alamat_verifikasi: profil.dokumen.url_verifikasi(s.kode_verifikasi),
        },
        pemohon: PemohonData::from(p, profil),
        keperluan: p
            .keperluan
            .clone()
            .or_else(|| Some(jenis.keperluan.clone()).filter(|k| !k.trim().is_empty())),
        isian: p.isian.clone(),
        penanda_tangan: PenandaTanganData::from(profil, s.penanda_tangan),
        nik_isian: jenis
            .isian
            .iter()
            .filter(|i| i.tipe == crate::domain::katalog::TipeIsian::Nik)
            .filter_map(|i| {
                let nik = NikData::of(p.isian.get(&i.kunci)?, p.tanggal)?;
                Some((i.kunci.clone(), nik))
            })
            .collect(),
        orang: jenis
            .isian
            .iter()
            .filter(|i| i.tipe == crate::domain::katalog::TipeIsian::DaftarOrang)
            .filter_map(|i| {
                let list =
                    crate::domain::orang::parse_daftar(p.isian.get(&i.kunci)?, p.tanggal).ok()?;
                Some((
                    i.kunci.clone(),
                    list.into_iter()
                        .map(|o| {
                            let info = identity::parse_nik(&o.nik, p.tanggal).ok();
                            OrangData {
                                jenis_kelamin: info
                                    .as_ref()
                                    .map(|i| if i.perempuan { "P" } else { "L" }.to_string()),
                                tanggal_lahir: info.map(|i| i.tanggal_lahir.to_string()),
                                nama: o.nama,
                                nik: o.nik,
                                hubungan: o.hubungan,
                            }
                        })
                        .collect(),
                ))
            })
            .collect(),
    }
}

/// A letter type as its application form prints it.
#[derive(Debug, Clone, Serialize)]
pub struct FormJenis {
    pub kode: String,
    pub nama: String,
    pub isian: Vec<FormField>,
    pub berkas: Vec<FormField>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormField {
    pub label: String,
    pub wajib: bool,
    /// Lines to write on: more for a list of people.
    pub baris: u8,
}

/// The application form of one letter type (`blanko/permohonan.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationForm {
    pub kertas: String,
    pub kantor: KantorData,
    pub jenis: FormJenis,
}

pub fn application_form(profil: &Profil, j: &JenisSurat) -> ApplicationForm {
    // The identity fields are printed by the form itself; list only the type's own.
    const IDENTITY: [&str; 5] = [
        "tempat_lahir",
        "agama",
        "pekerjaan",
        "status_perkawinan",
        "kewarganegaraan",
    ];
    ApplicationForm {
        kertas: kertas(profil).into(),
        kantor: KantorData::from(profil),
        jenis: FormJenis {
            kode: j.kode.clone(),
            nama: j.nama.clone(),
            isian: j
                .isian
                .iter()
                .filter(|i| !IDENTITY.contains(&i.kunci.as_str()))
                .map(|i| FormField {
                    label: if i.tipe == crate::domain::katalog::TipeIsian::DaftarOrang {
                        format!("{} (nama; NIK; hubungan)", i.label)
                    } else {
                        i.label.clone()
                    },
                    wajib: i.wajib,
                    baris: if i.tipe == crate::domain::katalog::TipeIsian::DaftarOrang {
                        4
                    } else {
                        1
                    },
                })
                .collect(),
            berkas: j
                .berkas
                .iter()
                .map(|b| FormField {
                    label: b.nama.clone(),
                    wajib: b.wajib,
                    baris: 1,
                })
                .collect(),
        },
    }
}

/// A refusal as the receipt and the routing slip print it.
#[derive(Debug, Clone, Serialize)]
pub struct Penolakan {
    pub waktu: String,
    pub oleh: String,
    pub alasan: String,
}

impl Penolakan {
    fn of(p: &Permohonan, tz: chrono_tz::Tz) -> Option<Penolakan> {
        let r = p
            .riwayat
            .iter()
            .find(|r| r.ke == crate::domain::workflow::Tahap::Ditolak)?;
        Some(Penolakan {
            waktu: crate::domain::calendar::waktu(&r.waktu, tz),
            oleh: format!("{} ({})", r.oleh, r.peran.label()),
            alasan: r.catatan.clone().unwrap_or_else(|| "-".into()),
        })
    }
}

/// One request on a receipt (tanda terima berkas).
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptRequest {
    pub nomor_register: String,
    pub tanggal: String,
    pub nama: String,
    /// The receipt leaves the office with the applicant: NIK masked.
    pub nik_samaran: String,
    pub jenis: String,
    pub kanal: String,
    pub berkas: Vec<crate::domain::permohonan::Berkas>,
    pub standar_hari: u32,
    pub petugas: String,
    pub ditolak: Option<Penolakan>,
    /// The tracking code of the status page, and its address when the office has one.
    pub kode_lacak: Option<String>,
    pub alamat_lacak: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub kertas: String,
    pub kantor: KantorData,
    pub permohonan: Option<ReceiptRequest>,
}

pub fn receipt(profil: &Profil, filled: Option<(&Permohonan, &JenisSurat)>) -> Receipt {
    Receipt {
        kertas: kertas(profil).into(),
        kantor: KantorData::from(profil),
        permohonan: filled.map(|(p, j)| ReceiptRequest {
            nomor_register: p.nomor_register.clone(),
            tanggal: p.tanggal.to_string(),
            nama: p.nama.clone(),
            nik_samaran: identity::mask(&p.nik),
            jenis: j.nama.clone(),
            kanal: p.kanal.label().into(),
            berkas: p.berkas.clone(),
            standar_hari: j.standar_layanan_hari,
            petugas: p
                .riwayat
                .iter()
                .find(|r| r.ke == crate::domain::workflow::Tahap::Diterima)
                .map(|r| r.oleh.clone())
                .unwrap_or_else(|| profil.pejabat.operator.nama.clone()),
            ditolak: Penolakan::of(p, profil.tz()),
            kode_lacak: p
                .kode_lacak
                .as_deref()
                .map(|k| crate::domain::permohonan::kode_lacak_cetak(p.id, k)),
            alamat_lacak: p.kode_lacak.as_deref().and_then(|k| {
                profil
                    .dokumen
                    .url_lacak(&crate::domain::permohonan::kode_lacak_cetak(p.id, k))
            }),
        }),
    }
}

/// One row of the routing slip: who, what, when.
#[derive(Debug, Clone, Serialize)]
pub struct RoutingStep {
    /// The SOP stage this step brings the request to.
    pub tahap: u8,
    pub peran: String,
    pub nama: Option<String>,
    pub langkah: String,
    pub waktu: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoutingRequest {
    pub nomor_register: String,
    pub tanggal: String,
    pub nama: String,
    pub jenis: String,
    pub nomor_surat: Option<String>,
}

/// The routing slip (lembar kendali) that travels with the paper file.
#[derive(Debug, Clone, Serialize)]
pub struct RoutingSlip {
    pub kertas: String,
    pub kantor: KantorData,
    pub permohonan: Option<RoutingRequest>,
    pub langkah: Vec<RoutingStep>,
    pub ditolak: Option<Penolakan>,
}

pub fn routing_slip(
    profil: &Profil,
    filled: Option<(&Permohonan, &JenisSurat, Option<&str>)>,
    tz: chrono_tz::Tz,
) -> RoutingSlip {
    use crate::domain::workflow::Tahap;
    let pj = &profil.pejabat;
    // One row per SOP step, numbered as the SOP numbers its stages.
    let steps: [(u8, &str, Option<&Petugas>, &str, Tahap); 6] = [
        (
            1,
            "Pemohon",
            None,
            "Mengajukan permohonan dengan berkas persyaratan",
            Tahap::Diajukan,
        ),
        (
            2,
            "Operator",
            Some(&pj.operator),
            "Memeriksa berkas, mencatat di buku register, memberi tahu pemohon",
            Tahap::Diterima,
        ),
        (
            3,
            "Kasi Pem & Pelum",
            Some(&pj.kasi_pem),
            "Menerima berkas dari Operator, meneruskan ke Koordinator",
            Tahap::Diteruskan,
        ),
        (
            4,
            "Koordinator",
            Some(&pj.koordinator),
            "Menindaklanjuti berkas dan menerbitkan surat",
            Tahap::Ditindaklanjuti,
        ),
        (
            5,
            "Koordinator",
            Some(&pj.koordinator),
            "Melaporkan hasil kepada Seklur",
            Tahap::DilaporkanKeSeklur,
        ),
        (
            6,
            "Seklur",
            Some(&pj.seklur),
            "Melaporkan hasil kepada Lurah (paraf Lurah: mengetahui)",
            Tahap::DilaporkanKeLurah,
        ),
    ];
    let langkah = steps
        .iter()
        .map(|(no, peran, petugas, langkah, tahap)| {
            let done = filled.and_then(|(p, _, _)| p.riwayat.iter().find(|r| r.ke == *tahap));
            RoutingStep {
                tahap: *no,
                peran: peran.to_string(),
                nama: done
                    .map(|r| r.oleh.clone())
                    .or_else(|| petugas.map(|p| p.nama.clone())),
                langkah: langkah.to_string(),
                waktu: done.map(|r| crate::domain::calendar::waktu(&r.waktu, tz)),
            }
        })
        .collect();
    RoutingSlip {
        kertas: kertas(profil).into(),
        kantor: KantorData::from(profil),
        permohonan: filled.map(|(p, j, nomor_surat)| RoutingRequest {
            nomor_register: p.nomor_register.clone(),
            tanggal: p.tanggal.to_string(),
            nama: p.nama.clone(),
            jenis: j.nama.clone(),
            nomor_surat: nomor_surat.map(String::from),
        }),
        langkah,
        ditolak: filled.and_then(|(p, _, _)| Penolakan::of(p, tz)),
    }
}

/// The KUA's marriage models N2, N4, N5: the office, and when filled, the applicant (one
/// calon), the request's own fields (the other calon, the parents, the akad) and what
/// each NIK in them encodes.
#[derive(Debug, Clone, Serialize)]
pub struct ModelNikahData {
    pub kertas: String,
    pub kantor: KantorData,
    pub pemohon: Option<PemohonData>,
    pub isian: BTreeMap<String, String>,
    pub nik_isian: BTreeMap<String, NikData>,
}

pub fn model_nikah(profil: &Profil, p: Option<&Permohonan>) -> ModelNikahData {
    let nik_isian = p.map_or_else(BTreeMap::new, |p| {
        p.isian
            .iter()
            .filter(|(k, _)| k.ends_with("_nik"))
            .filter_map(|(k, v)| Some((k.clone(), NikData::of(v, p.tanggal)?)))
            .collect()
    });
    ModelNikahData {
        kertas: kertas(profil).into(),
        kantor: KantorData::from(profil),
        pemohon: p.map(|p| PemohonData::from(p, profil)),
        isian: p.map(|p| p.isian.clone()).unwrap_or_default(),
        nik_isian,
    }
}

/// Blank register pages (buku register).
#[derive(Debug, Clone, Serialize)]
pub struct RegisterPages {
    pub kertas: String,
    pub kantor: KantorData,
    pub halaman: u32,
    pub baris: u32,
}

pub fn register_pages(profil: &Profil, halaman: u32) -> RegisterPages {
    RegisterPages {
        kertas: kertas(profil).into(),
        kantor: KantorData::from(profil),
        halaman,
        baris: 15,
    }
}

/// The data of both monthly reports (`laporan/koordinator.typ`, `laporan/rekap.typ`).
/// The detail rows carry the masked NIK only.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData<'a> {
    pub kertas: String,
    pub kantor: KantorData,
    pub rujukan: String,
    /// The report's date (ISO), when it was first made.
    pub tanggal: String,
    pub angka: &'a crate::paper::figures::Figures,
    pub koordinator: PenandaTanganData,
    pub seklur: PenandaTanganData,
    pub lurah: PenandaTanganData,
    /// A draft: the templates mark every page SEMENTARA.
    pub sementara: bool,
}

pub fn report<'a>(
    profil: &Profil,
    figures: &'a crate::paper::figures::Figures,
    rujukan: &str,
    tanggal: NaiveDate,
    sementara: bool,
) -> ReportData<'a> {
    ReportData {
        kertas: kertas(profil).into(),
        kantor: KantorData::from(profil),
        rujukan: rujukan.to_string(),
        tanggal: tanggal.to_string(),
        angka: figures,
        koordinator: PenandaTanganData::official(&profil.pejabat.koordinator),
        seklur: PenandaTanganData::official(&profil.pejabat.seklur),
        lurah: PenandaTanganData::official(&profil.pejabat.lurah),
        sementara,
    }
}

/// The data of a quarter's or a year's report (`laporan/periode.typ`): figures only, no
/// request's identity.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodeData<'a> {
    pub kertas: String,
    pub kantor: KantorData,
    pub rujukan: String,
    /// The report's date (ISO), when it was first made.
    pub tanggal: String,
    pub angka: &'a crate::paper::figures::FiguresPeriode,
    pub koordinator: PenandaTanganData,
    pub seklur: PenandaTanganData,
    pub lurah: PenandaTanganData,
    /// Never a draft; the shared page layout asks.
    pub sementara: bool,
}

pub fn periode_report<'a>(
    profil: &Profil,
    figures: &'a crate::paper::figures::FiguresPeriode,
    rujukan: &str,
    tanggal: NaiveDate,
) -> PeriodeData<'a> {
    PeriodeData {
        kertas: kertas(profil).into(),
        kantor: KantorData::from(profil),
        rujukan: rujukan.to_string(),
        tanggal: tanggal.to_string(),
        angka: figures,
        koordinator: PenandaTanganData::official(&profil.pejabat.koordinator),
        seklur: PenandaTanganData::official(&profil.pejabat.seklur),
        lurah: PenandaTanganData::official(&profil.pejabat.lurah),
        sementara: false,
    }
}
