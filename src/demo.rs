//! `kelurahan demo`: a workspace with a deterministic synthetic register (about three
//! months of requests in every stage), made through the same checks and register calls
//! as real work, so that a newcomer sees the whole program with one command.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Timelike, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

use crate::config::workspace::{InitOutcome, Workspace, WorkspaceError};
use crate::domain::calendar::{self, Bulan};
use crate::domain::katalog::TipeIsian;
use crate::domain::permohonan::{self, Masukan};
use crate::domain::workflow::Peran;
use crate::services::surat::{self, SuratError};
use crate::store::{Register, RegisterError, TahapCount};

/// Marks a folder made by `demo`, which `demo` may wipe and make again.
pub const MARKER: &str = ".kelurahan-demo";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "{0} sudah berisi folder kerja yang bukan buatan `kelurahan demo`; demo tidak menimpanya. Pilih --dir lain"
    )]
    RealWorkspace(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Surat(#[from] SuratError),
    #[error(transparent)]
    Render(#[from] crate::paper::render::RenderError),
    #[error(transparent)]
    Paper(#[from] crate::paper::PaperError),
    #[error(transparent)]
    Laporan(#[from] crate::services::laporan::LaporanError),
    #[error(transparent)]
    Mail(#[from] crate::services::outbox::MailError),
    #[error("data demo ditolak oleh pemeriksaan ({0}); ini cacat program")]
    Generator(String),
}

#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The last day of the demo period.
    pub hingga: NaiveDate,
    /// Events after this instant are not written (it is "now" in the demo).
    pub cutoff: DateTime<FixedOffset>,
    pub jumlah: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub dir: PathBuf,
    /// Letters issued (stage 4 and beyond), written under `output/surat/`.
    pub surat: i64,
    /// Blank forms written under `output/blanko/`.
    pub blanko: usize,
    /// The last complete month's reports.
    pub laporan: Vec<PathBuf>,
    pub jumlah: usize,
    pub dari: NaiveDate,
    pub hingga: NaiveDate,
    pub per_tahap: Vec<TahapCount>,
    pub per_jenis: Vec<(String, String, usize)>,
    pub per_kanal: Vec<(String, usize)>,
}

/// Makes (or makes again) the demo workspace in `dir`.
pub fn run(dir: &Path, opts: &DemoOptions) -> Result<DemoSummary, DemoError> {
    let io = |p: &Path, e| DemoError::Io(p.display().to_string(), e);
    if dir.join(crate::config::workspace::PROFILE_FILE).exists()
        || dir.join(crate::config::workspace::DATABASE_FILE).exists()
    {
        if !dir.join(MARKER).exists() {
            return Err(DemoError::RealWorkspace(dir.display().to_string()));
        }
        for f in ["kelurahan.db", "kelurahan.db-wal", "kelurahan.db-shm"] {
            match std::fs::remove_file(dir.join(f)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(io(&dir.join(f), e));
                }
                _ => {}
            }
        }
        let out = dir.join(crate::config::workspace::OUTPUT_DIR);
        if out.exists() {
            std::fs::remove_dir_all(&out).map_err(|e| io(&out, e))?;
        }
        std::fs::remove_file(dir.join(crate::config::workspace::PROFILE_FILE))
            .map_err(|e| io(dir, e))?;
    }
    match Workspace::init(dir)? {
        InitOutcome::Created => {}
        InitOutcome::AlreadyExists(_) => unreachable!("cleared above"),
    }
    crate::util::files::write_atomic(
        &dir.join(MARKER),
        b"Folder ini dibuat oleh `kelurahan demo`; `kelurahan demo` boleh menimpanya.\n",
    )
    .map_err(|e| io(dir, e))?;
    let ws = Workspace::open(dir)?;
    let mut reg = Register::open(&ws.db_path(), ws.profil.tz())?;
    let tz = ws.profil.tz();
    let dari = opts.hingga - Duration::days(90);
    let plans = plan(&ws, tz, dari, opts);
    let renderer = crate::paper::render::LazyRenderer::new(&ws);

    let mut per_jenis: Vec<(String, String, usize)> = ws
        .katalog
        .jenis
        .iter()
        .map(|j| (j.kode.clone(), j.nama.clone(), 0))
        .collect();
    let mut per_kanal = vec![("langsung".to_string(), 0), ("whatsapp".to_string(), 0)];
    let mut made = 0;
    // Married applicants by sex (NIK, KK), to make families of afterwards.
    let mut pasangan: [Vec<(String, String)>; 2] = [Vec::new(), Vec::new()];
    for p in plans {
        if p.submitted > opts.cutoff {
            continue;
        }
        let baru = permohonan::periksa(&p.masukan, &ws.katalog, p.submitted.date_naive())
            .map_err(|e| DemoError::Generator(e.to_string()))?;
        let created = reg.create(&baru, &ws.profil.pejabat.operator.nama, p.submitted)?;
        made += 1;
        if baru.isian.get("status_perkawinan").map(String::as_str) == Some("Kawin")
            && let Some(kk) = &baru.kk
        {
            let perempuan = baru.nik[6..8].parse::<u32>().is_ok_and(|d| d > 40);
            pasangan[usize::from(perempuan)].push((baru.nik.clone(), kk.clone()));
        }
        if let Some(j) = per_jenis.iter_mut().find(|j| j.0 == baru.jenis) {
            j.2 += 1;
        }
        if let Some(k) = per_kanal.iter_mut().find(|k| k.0 == baru.kanal.kode()) {
            k.1 += 1;
        }
        for ev in p.events {
            if ev.at() > opts.cutoff {
                break;
            }
            match ev {
                Event::Papers { at, kode } => {
                    reg.set_papers(created.id, &kode, &[], at)?;
                }
                Event::Advance {
                    at,
                    peran,
                    oleh,
                    catatan,
                } => {
                    let dari = reg.get(created.id)?.tahap;
                    surat::advance(
                        &mut reg,
                        &ws,
                        &renderer,
                        created.id,
                        dari,
                        peran,
                        &oleh,
                        catatan.as_deref(),
                        at,
                        None,
                    )?;
                }
                Event::Reject {
                    at,
                    peran,
                    oleh,
                    alasan,
                } => {
                    reg.reject(created.id, peran, &oleh, &alasan, at)?;
                }
                Event::Cancel { at, oleh, alasan } => {
                    reg.cancel(created.id, Peran::Operator, &oleh, &alasan, at)?;
                }
            }
        }
    }
    families(&mut reg, &ws, &pasangan, opts.cutoff)?;
    let blanko = crate::paper::blanko::all(&ws, renderer.get()?, &dir.join("output/blanko"))?.len();
    let bulan = report_month(tz, opts);
    // The report's mail is left as an .eml in output/outbox/ by the file transport.
    let (laporan, _) = crate::services::laporan::make_and_send(
        &ws,
        &mut reg,
        renderer.get()?,
        bulan,
        opts.cutoff,
        true,
    )?;
    Ok(DemoSummary {
        dir: dir.to_path_buf(),
        surat: reg.count_letters()?,
        blanko,
        laporan: laporan.berkas,
        jumlah: made,
        dari,
        hingga: opts.hingga,
        per_tahap: reg.count_by_tahap()?,
        per_jenis,
        per_kanal,
    })
}

/// Twelve couples among the married applicants: the wife's resident record takes her
/// husband's KK, with their relation, as the Operator would correct them; so the demo
/// shows families (`penduduk keluarga`, the KK members offered on the web form).
fn families(
    reg: &mut Register,
    ws: &Workspace,
    pasangan: &[Vec<(String, String)>; 2],
    at: DateTime<FixedOffset>,
) -> Result<(), DemoError> {
    let oleh = &ws.profil.pejabat.operator.nama;
    for ((suami, kk), (istri, _)) in pasangan[0].iter().zip(&pasangan[1]).take(12) {
        let isian: [(&String, Vec<(String, String)>); 2] = [
            (suami, vec![("shdk".into(), "Kepala Keluarga".into())]),
            (
                istri,
                vec![("shdk".into(), "Istri".into()), ("kk".into(), kk.clone())],
            ),
        ];
        for (nik, isian) in isian {
            crate::services::penduduk::ubah(reg, nik, &isian, oleh, at)
                .map_err(|e| DemoError::Generator(e.to_string()))?;
        }
    }
    Ok(())
}

/// The month whose reports the demo makes: the last complete one once this month's
/// first weekly Koordinator report (Friday) and the Seklur's recap (third working day)
/// have happened, as in the simulated office; the month before it until then.
fn report_month(tz: Tz, opts: &DemoOptions) -> Bulan {
    let this = Bulan::of(opts.hingga);
    let mut friday = this.first_day();
    while friday.weekday() != Weekday::Fri {
        friday = friday.succ_opt().expect("date in range");
    }
    let recap = calendar::at(tz, nth_working_day(this, 3), 10, 0);
    let weekly = calendar::at(tz, friday, 15, 0);
    if recap <= opts.cutoff && weekly <= opts.cutoff {
        this.prev()
    } else {
        this.prev().prev()
    }
}

/// A small, fast, deterministic generator (SplitMix64): the demo must not change
/// between machines or versions of a random-number crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

enum Event {
    Papers {
        at: DateTime<FixedOffset>,
        kode: Vec<String>,
    },
    Advance {
        at: DateTime<FixedOffset>,
        peran: Peran,
        oleh: String,
        catatan: Option<String>,
    },
    Reject {
        at: DateTime<FixedOffset>,
        peran: Peran,
        oleh: String,
        alasan: String,
    },
    /// The applicant withdraws; the Operator records it.
    Cancel {
        at: DateTime<FixedOffset>,
        oleh: String,
        alasan: String,
    },
}

impl Event {
    fn at(&self) -> DateTime<FixedOffset> {
        match self {
            Event::Papers { at, .. }
            | Event::Advance { at, .. }
            | Event::Reject { at, .. }
            | Event::Cancel { at, .. } => *at,
        }
    }
}

struct Plan {
    submitted: DateTime<FixedOffset>,
    masukan: Masukan,
    events: Vec<Event>,
}

const LAKI: &[&str] = &[
    "Ahmad",
    "Muhammad",
    "Rahmat",
    "Hendra",
    "Dedi",
    "Syahrial",
    "Zulkifli",
    "Arif",
    "Fauzan",
    "Ridwan",
    "Iwan",
    "Budi",
    "Agus",
    "Rudi",
    "Firdaus",
    "Hasan",
    "Ilham",
    "Joko",
    "Yusuf",
    "Taufik",
    "Andi",
    "Fadli",
    "Rizki",
    "Azwar",
    "Herman",
    "Syamsul",
    "Darmawan",
    "Irwansyah",
    "Masagus",
    "Kemas",
    "Erwin",
    "Sofyan",
];
const PEREMPUAN: &[&str] = &[
    "Siti",
    "Nurhayati",
    "Fitri",
    "Rina",
    "Yuliana",
    "Dewi",
    "Sri",
    "Rahmawati",
    "Nurul",
    "Indah",
    "Wulan",
    "Aisyah",
    "Fatimah",
    "Lestari",
    "Mardiana",
    "Nurjanah",
    "Erni",
    "Yanti",
    "Rosmiati",
    "Halimah",
    "Putri",
    "Nyimas",
    "Desi",
    "Elvira",
];
const BELAKANG_L: &[&str] = &[
    "Saputra",
    "Hidayat",
    "Pratama",
    "Harahap",
    "Siregar",
    "Nasution",
    "Lubis",
    "Hasibuan",
    "Wijaya",
    "Susanto",
    "Kurniawan",
    "Setiawan",
    "Rahman",
    "Hakim",
    "Syahputra",
    "Gultom",
    "Effendi",
    "Ramadhan",
    "Anwar",
    "Amri",
    "Chaniago",
    "Sembiring",
];
const BELAKANG_P: &[&str] = &[
    "Saputri",
    "Rahmawati",
    "Lestari",
    "Handayani",
    "Harahap",
    "Siregar",
    "Nasution",
    "Wulandari",
    "Susanti",
    "Marlina",
    "Oktaviani",
    "Puspita",
    "Sari",
    "Anggraini",
    "Novita",
];
const JALAN: &[&str] = &[
    "Jl. Kapten Pattimura",
    "Jl. Sersan Anwar Bay",
    "Jl. Lingkar Barat I",
    "Jl. A. Bakharuddin",
    "Jl. Aroepala",
    "Lrg. Melati",
    "Lrg. Kenanga",
    "Lrg. Sepakat",
    "Perum Citra Raya City Blok C",
    "Perum Kembar Lestari",
];
const TEMPAT_LAHIR: &[&str] = &[
    "Jambi",
    "Jambi",
    "Jambi",
    "Jambi",
    "Muara Bulian",
    "Kuala Tungkal",
    "Sungai Penuh",
    "Bangko",
    "Palembang",
    "Padang",
    "Medan",
    "Muara Tebo",
];
const PEKERJAAN: &[&str] = &[
    "Wiraswasta",
    "Karyawan Swasta",
    "Pelajar/Mahasiswa",
    "Mengurus Rumah Tangga",
    "Pegawai Negeri Sipil",
    "Buruh Harian Lepas",
    "Pedagang",
    "Belum/Tidak Bekerja",
];
const USAHA: &[(&str, &str)] = &[
    ("Warung Makan", "Kuliner"),
    ("Toko Kelontong", "Perdagangan eceran"),
    ("Bengkel Motor", "Jasa perbaikan kendaraan"),
    ("Laundry Kiloan", "Jasa binatu"),
    ("Kedai Kopi", "Kuliner"),
    ("Konter Pulsa", "Perdagangan eceran"),
    ("Penjahit", "Jasa jahit pakaian"),
];
/// How a request ends early: refused by the office, or (the last) withdrawn by the
/// applicant, which the Operator records as a withdrawal, not a refusal.
const TOLAK_AWAL: &[&str] = &[
    "Pemohon bukan warga Kelurahan Rawasari; diarahkan ke kelurahan domisili",
    "Data KK tidak sesuai dengan KTP; pemohon diminta memperbarui data di Dukcapil",
    BATAL,
];
const BATAL: &str = "Pemohon tidak jadi mengurus; keperluannya batal";

/// (code, weight in percent) of letter types in the demo.
const JENIS: &[(&str, u64)] = &[
    ("sk-domisili", 18),
    ("sktm", 14),
    ("sk-usaha", 11),
    ("pengantar-skck", 10),
    ("pengantar-nikah", 9),
    ("sk-belum-menikah", 7),
    ("pengantar-pindah", 6),
    ("pengantar-ktp", 6),
    ("pengantar-kk", 5),
    ("pengantar-kematian", 4),
    ("sk-kelahiran", 3),
    ("sk-domisili-usaha", 3),
    ("sk-penghasilan", 2),
    ("sk-kematian", 1),
    ("sk-ahli-waris", 1),
];

/// `1900000` -> `Rp1.900.000`
fn rupiah(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("Rp{out}")
}

fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The first office moment (Mon–Fri, 07:30–15:30) at or after `t`.
fn office_time(tz: Tz, t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let local = t.with_timezone(&tz);
    let mut d = local.date_naive();
    let minutes = local.hour() * 60 + local.minute();
    if is_working_day(d) && (450..930).contains(&minutes) {
        return t;
    }
    if is_working_day(d) && minutes < 450 {
        return calendar::at(tz, d, 7, 30);
    }
    loop {
        d = d.succ_opt().expect("date in range");
        if is_working_day(d) {
            return calendar::at(tz, d, 7, 30);
        }
    }
}

/// `t` plus `minutes` of office time.
fn after(tz: Tz, t: DateTime<FixedOffset>, minutes: i64) -> DateTime<FixedOffset> {
    let mut t = office_time(tz, t);
    let mut left = minutes;
    loop {
        let local = t.with_timezone(&tz);
        let end = calendar::at(tz, local.date_naive(), 15, 30);
        let room = (end - t).num_minutes();
        if left < room {
            return t + Duration::minutes(left);
        }
        left -= room;
        t = office_time(tz, end + Duration::minutes(1));
    }
}

fn nth_working_day(m: Bulan, n: u32) -> NaiveDate {
    let mut d = m.first_day();
    let mut seen = 0;
    loop {
        if is_working_day(d) {
            seen += 1;
            if seen == n {
                return d;
            }
        }
        d = d.succ_opt().expect("date in range");
    }
}

fn nik(rng: &mut Rng, birth: NaiveDate, perempuan: bool, kecamatan: &str) -> String {
    let day = birth.day() + if perempuan { 40 } else { 0 };
    format!(
        "{kecamatan}{day:02}{:02}{:02}{:04}",
        birth.month(),
        birth.year() % 100,
        rng.range(1, 9999)
    )
}

fn birth(rng: &mut Rng, today: NaiveDate, min_age: i64, max_age: i64) -> NaiveDate {
    today - Duration::days(rng.range(min_age * 365 + 10, max_age * 365))
}

fn person(rng: &mut Rng, perempuan: bool) -> String {
    if perempuan {
        format!("{} {}", rng.pick(PEREMPUAN), rng.pick(BELAKANG_P))
    } else {
        format!("{} {}", rng.pick(LAKI), rng.pick(BELAKANG_L))
    }
}

fn plan(ws: &Workspace, tz: Tz, dari: NaiveDate, opts: &DemoOptions) -> Vec<Plan> {
    let mut rng = Rng(0x5241_5741_5341_5249); // "RAWASARI"
    let pj = &ws.profil.pejabat;
    let days: Vec<NaiveDate> = dari.iter_days().take_while(|d| *d <= opts.hingga).collect();
    let mut plans = Vec::new();
    for _ in 0..opts.jumlah {
        let kanal_wa = rng.chance(35);
        // Counters are open on working days; WhatsApp messages come every day.
        let day = loop {
            let d = *rng.pick(&days);
            if is_working_day(d) || (kanal_wa && rng.chance(40)) {
                break d;
            }
        };
        let submitted = if kanal_wa {
            calendar::at(tz, day, rng.range(6, 21) as u32, rng.range(0, 59) as u32)
        } else {
            calendar::at(tz, day, rng.range(8, 14) as u32, rng.range(0, 59) as u32)
        };
        let mut w = rng.below(100);
        let jenis = JENIS
            .iter()
            .find(|(_, p)| {
                if w < *p {
                    true
                } else {
                    w -= p;
                    false
                }
            })
            .map_or("sk-domisili", |(k, _)| k);
        let Some(def) = ws.katalog.jenis(jenis) else {
            continue;
        };
        let perempuan = rng.chance(50);
        let (min_age, max_age) = match jenis {
            "pengantar-nikah" => (20, 35),
            "pengantar-skck" | "sk-belum-menikah" => (18, 30),
            "sk-kelahiran" => (20, 40),
            _ => (21, 70),
        };
        let lahir = birth(&mut rng, day, min_age, max_age);
        let kecamatan = if rng.chance(85) { "157109" } else { "157105" };
        let nama = person(&mut rng, perempuan);
        let mut masukan = Masukan {
            jenis: jenis.to_string(),
            nik: nik(&mut rng, lahir, perempuan, kecamatan),
            kk: Some(format!(
                "157109{:02}{:02}{:02}{:04}",
                rng.range(1, 28),
                rng.range(1, 12),
                rng.range(5, 24),
                rng.range(1, 9999)
            )),
            alamat: Some(format!("{} No. {}", rng.pick(JALAN), rng.range(1, 120))),
            rt: Some(rng.range(1, 40).to_string()),
            rw: Some(rng.range(1, 9).to_string()),
            telepon: Some(format!("08{}", rng.range(1_100_000_000, 1_399_999_999))),
            kanal: Some(if kanal_wa { "whatsapp" } else { "langsung" }.into()),
            tanggal: Some(day.to_string()),
            nama: nama.clone(),
            ..Default::default()
        };
        // Who reports a death: a child, a sibling, or the spouse (then of the other sex).
        let hubungan = *rng.pick(&["Anak", "Saudara", "Pasangan"]);
        let (hubungan, almarhum_perempuan) = match hubungan {
            "Pasangan" if perempuan => ("Istri", false),
            "Pasangan" => ("Suami", true),
            other => (other, rng.chance(50)),
        };
        for isian in &def.isian {
            let v = match isian.kunci.as_str() {
                "tempat_lahir" => rng.pick(TEMPAT_LAHIR).to_string(),
                // The KUA's N1 is for Muslim couples.
                "agama" if jenis == "pengantar-nikah" => "Islam".to_string(),
                "agama" => if rng.chance(90) {
                    "Islam"
                } else {
                    *rng.pick(&["Kristen", "Katolik", "Buddha"])
                }
                .to_string(),
                "pekerjaan" => rng.pick(PEKERJAAN).to_string(),
                "status_perkawinan" => match jenis {
                    "pengantar-nikah" | "sk-belum-menikah" | "pengantar-skck" => "Belum Kawin",
                    _ if rng.chance(75) => "Kawin",
                    _ => *rng.pick(&["Belum Kawin", "Cerai Mati"]),
                }
                .to_string(),
                "kewarganegaraan" => "WNI".to_string(),
                "calon_nama" => person(&mut rng, !perempuan),
                "calon_nik" => {
                    let b = birth(&mut rng, day, 20, 35);
                    nik(&mut rng, b, !perempuan, "157101")
                }
                "calon_tempat_lahir" => rng.pick(TEMPAT_LAHIR).to_string(),
                "calon_alamat" => {
                    format!("{} No. {}, Kota Jambi", rng.pick(JALAN), rng.range(1, 90))
                }
                // A birth is reported by a parent: that parent is the applicant.
                "ayah_nama" if jenis == "sk-kelahiran" && !perempuan => nama.clone(),
                "ibu_nama" if jenis == "sk-kelahiran" && perempuan => nama.clone(),
                "ayah_nik" if jenis == "sk-kelahiran" && !perempuan => masukan.nik.clone(),
                "ibu_nik" if jenis == "sk-kelahiran" && perempuan => masukan.nik.clone(),
                "ayah_nik" | "ibu_nik" if jenis == "sk-kelahiran" => continue,
                "bayi_jam_lahir" => format!("{:02}.{:02} WIB", rng.range(0, 23), rng.range(0, 59)),
                "anak_ke" => rng.range(1, 4).to_string(),
                "ayah_nama" | "calon_ayah_nama" => {
                    format!("{} {}", rng.pick(LAKI), rng.pick(BELAKANG_L))
                }
                "ayah_tempat_lahir" | "ibu_tempat_lahir" => rng.pick(TEMPAT_LAHIR).to_string(),
                "ayah_agama" | "ibu_agama" => "Islam".to_string(),
                "ayah_pekerjaan" | "ibu_pekerjaan" => rng.pick(PEKERJAAN).to_string(),
                "ayah_alamat" | "ibu_alamat" => masukan.alamat.clone().unwrap_or_default(),
                "bayi_nama" => person(&mut rng, perempuan),
                "bayi_jenis_kelamin" => {
                    if perempuan { "Perempuan" } else { "Laki-laki" }.to_string()
                }
                "bayi_tanggal_lahir" => (day - Duration::days(rng.range(1, 20))).to_string(),
                "bayi_tempat_lahir" => rng
                    .pick(&[
                        "RSUD Raden Mattaher Jambi",
                        "RS Siloam Jambi",
                        "Bidan Praktik Mandiri",
                    ])
                    .to_string(),
                "jenis_permohonan" if jenis == "pengantar-ktp" => rng
                    .pick(&[
                        "Perekaman KTP elektronik baru",
                        "Pengganti KTP yang hilang",
                        "Pengganti KTP yang rusak",
                    ])
                    .to_string(),
                "jenis_permohonan" => rng
                    .pick(&[
                        "Kartu Keluarga baru",
                        "Perubahan data (penambahan anggota keluarga)",
                        "Pengganti KK yang hilang",
                    ])
                    .to_string(),
                "sumber_penghasilan" => rng.pick(PEKERJAAN).to_string(),
                "ibu_nama" => format!("{} {}", rng.pick(PEREMPUAN), rng.pick(BELAKANG_P)),
                "ayah_nik" | "ibu_nik" => {
                    let b = birth(&mut rng, lahir, 20, 35);
                    nik(&mut rng, b, isian.kunci == "ibu_nik", "157109")
                }
                "nama_usaha" | "jenis_usaha" => {
                    let (n, k) = USAHA[(rng.below(USAHA.len() as u64)) as usize];
                    if isian.kunci == "nama_usaha" {
                        format!("{n} {}", nama.split(' ').next().unwrap_or("Berkah"))
                    } else {
                        k.to_string()
                    }
                }
                "alamat_usaha" => format!("{} No. {}", rng.pick(JALAN), rng.range(1, 120)),
                "mulai_usaha" => format!("{}", day.year() - rng.range(1, 12) as i32),
                "lama_tinggal" => format!("{} tahun", rng.range(1, 25)),
                "penghasilan" => rupiah(rng.range(8, 25) * 100_000),
                "jumlah_tanggungan" => rng.range(1, 6).to_string(),
                "almarhum_nama" => person(&mut rng, almarhum_perempuan),
                "almarhum_alamat" => masukan.alamat.clone().unwrap_or_default(),
                "almarhum_nik" => {
                    let b = birth(&mut rng, day, 55, 90);
                    nik(&mut rng, b, almarhum_perempuan, "157109")
                }
                "tanggal_meninggal" => (day - Duration::days(rng.range(0, 10))).to_string(),
                "tempat_meninggal" => rng
                    .pick(&["Rumah", "RSUD Raden Mattaher Jambi", "RS Siloam Jambi"])
                    .to_string(),
                "sebab_meninggal" => rng.pick(&["Sakit", "Usia lanjut"]).to_string(),
                "hubungan_pelapor" if jenis == "sk-kelahiran" => {
                    if perempuan { "Ibu" } else { "Ayah" }.to_string()
                }
                "hubungan_pelapor" => hubungan.to_string(),
                "alamat_tujuan" => rng
                    .pick(&[
                        "Kel. Simpang Rimbo, Kec. Alam Barajo, Kota Jambi",
                        "Kel. Mendalo Darat, Kab. Muaro Jambi",
                        "Kel. Sukarami, Kota Palembang",
                        "Kel. Bengkong Laut, Kota Batam",
                    ])
                    .to_string(),
                "alasan_pindah" => rng
                    .pick(&["Pekerjaan", "Ikut keluarga", "Pendidikan"])
                    .to_string(),
                "jumlah_pengikut" => rng.range(0, 4).to_string(),
                _ if isian.wajib => match isian.tipe {
                    TipeIsian::Tanggal => day.to_string(),
                    TipeIsian::Angka => "1".into(),
                    TipeIsian::Nik => nik(&mut rng, lahir, perempuan, "157109"),
                    TipeIsian::Teks => "Contoh".into(),
                    TipeIsian::DaftarOrang => {
                        let b = birth(&mut rng, day, 1, 30);
                        let anak = person(&mut rng, perempuan);
                        format!("{anak}; {}; Anak", nik(&mut rng, b, perempuan, "157109"))
                    }
                    t => t
                        .daftar()
                        .and_then(|d| d.pilihan().next())
                        .unwrap_or_default()
                        .to_string(),
                },
                _ => continue,
            };
            masukan.isian.push((isian.kunci.clone(), v));
        }

        let wajib: Vec<String> = def
            .berkas
            .iter()
            .filter(|b| b.wajib)
            .map(|b| b.kode.clone())
            .collect();
        let lengkap = rng.chance(84);
        let mut dibawa: Vec<String> = wajib.clone();
        if !lengkap {
            let drop = rng.below(wajib.len() as u64) as usize;
            dibawa.remove(drop);
        }
        if let Some(b) = def.berkas.iter().find(|b| !b.wajib)
            && rng.chance(25)
        {
            dibawa.push(b.kode.clone());
        }
        masukan.berkas = dibawa.clone();

        let mut events = Vec::new();
        // Step 2: the Operator answers; a WhatsApp request waits for office hours.
        let mut t = after(
            tz,
            submitted,
            if kanal_wa {
                rng.range(10, 240)
            } else {
                rng.range(5, 30)
            },
        );
        if !lengkap {
            let kurang: Vec<String> = wajib
                .iter()
                .filter(|k| !dibawa.contains(k))
                .cloned()
                .collect();
            if rng.chance(60) {
                t = after(tz, t, rng.range(240, 1800));
                events.push(Event::Papers {
                    at: t,
                    kode: kurang,
                });
                t = after(tz, t, rng.range(5, 20));
            } else {
                let names: Vec<String> = def
                    .berkas
                    .iter()
                    .filter(|b| kurang.contains(&b.kode))
                    .map(|b| b.nama.clone())
                    .collect();
                events.push(Event::Reject {
                    at: after(tz, t, rng.range(1200, 3000)),
                    peran: Peran::Operator,
                    oleh: pj.operator.nama.clone(),
                    alasan: format!(
                        "Berkas tidak dilengkapi dalam 3 hari kerja: {}",
                        names.join("; ")
                    ),
                });
                plans.push(Plan {
                    submitted,
                    masukan,
                    events,
                });
                continue;
            }
        }
        events.push(Event::Advance {
            at: t,
            peran: Peran::Operator,
            oleh: pj.operator.nama.clone(),
            catatan: Some(
                if kanal_wa {
                    "Berkas lengkap; pemohon diberi tahu melalui WhatsApp"
                } else {
                    "Berkas lengkap; dicatat di buku register"
                }
                .into(),
            ),
        });
        if rng.chance(4) {
            let at = after(tz, t, rng.range(30, 400));
            let peran = *rng.pick(&[Peran::Kasi, Peran::Koordinator]);
            let alasan = rng.pick(TOLAK_AWAL).to_string();
            events.push(if alasan == BATAL {
                Event::Cancel {
                    at,
                    oleh: pj.operator.nama.clone(),
                    alasan,
                }
            } else {
                Event::Reject {
                    at,
                    peran,
                    oleh: pj.kasi_pem.nama.clone(),
                    alasan,
                }
            });
            plans.push(Plan {
                submitted,
                masukan,
                events,
            });
            continue;
        }
        // Step 3 and 4: the Kasi passes the file on, the Koordinator acts on it. A few
        // files wait days, so the demo has requests over the service standard.
        t = after(tz, t, rng.range(20, 360));
        events.push(Event::Advance {
            at: t,
            peran: Peran::Kasi,
            oleh: pj.kasi_pem.nama.clone(),
            catatan: None,
        });
        let wait = if rng.chance(12) {
            rng.range(480, 2400)
        } else {
            rng.range(30, 420)
        };
        t = after(tz, t, wait);
        events.push(Event::Advance {
            at: t,
            peran: Peran::Koordinator,
            oleh: pj.koordinator.nama.clone(),
            catatan: Some("Surat diterbitkan".into()),
        });
        // Step 5: the Koordinator reports each Friday afternoon, and in the monthly
        // report on the first working day of the next month, whichever comes first.
        let local = t.with_timezone(&tz);
        let mut friday = local.date_naive();
        while friday.weekday() != Weekday::Fri || calendar::at(tz, friday, 15, 0) <= t {
            friday = friday.succ_opt().expect("date in range");
        }
        let weekly = calendar::at(tz, friday, 15, 0);
        let monthly = calendar::at(tz, nth_working_day(Bulan::of(day).next(), 1), 8, 0);
        let (t5, note5) = if monthly > t && monthly < weekly {
            (
                monthly,
                format!("Laporan bulanan Koordinator {}", Bulan::of(day).nama()),
            )
        } else {
            (
                weekly,
                format!(
                    "Laporan mingguan Koordinator, {}",
                    calendar::tanggal(friday)
                ),
            )
        };
        events.push(Event::Advance {
            at: t5,
            peran: Peran::Koordinator,
            oleh: pj.koordinator.nama.clone(),
            catatan: Some(note5),
        });
        // Step 6: the Seklur's monthly recap to the Lurah, on the third working day.
        let mut m = Bulan::of(t5.with_timezone(&tz).date_naive());
        let t6 = loop {
            let at = calendar::at(tz, nth_working_day(m, 3), 10, 0);
            if at > t5 {
                break at;
            }
            m = m.next();
        };
        events.push(Event::Advance {
            at: t6,
            peran: Peran::Seklur,
            oleh: pj.seklur.nama.clone(),
            catatan: Some(format!(
                "Rekap Sekretaris Lurah kepada Lurah, {}",
                m.prev().nama()
            )),
        });
        plans.push(Plan {
            submitted,
            masukan,
            events,
        });
    }
    plans.sort_by_key(|p| p.submitted);
    let reported_until = report_month(tz, opts)
        .next()
        .first_day()
        .pred_opt()
        .expect("date in range");
    hold_latest(&mut plans, opts.cutoff, reported_until);
    plans
}

/// Leaves the most recent requests waiting at each stage before the Seklur's recap, so
/// that the demo shows work in progress whatever day it is made on: their next steps
/// simply have not happened yet. Requests the demo's monthly report will cover are
/// passed over where possible, since the report moves them on.
fn hold_latest(plans: &mut [Plan], cutoff: DateTime<FixedOffset>, reported_until: NaiveDate) {
    // Number of forward moves each held request keeps: 0 = still `diajukan`.
    let holds = [4usize, 3, 3, 3, 2, 2, 1, 1, 0, 0];
    let mut taken = vec![false; plans.len()];
    for keep in holds {
        let moves_done = |p: &Plan| {
            p.events
                .iter()
                .filter(|e| matches!(e, Event::Advance { .. }) && e.at() <= cutoff)
                .count()
        };
        let eligible = |i: usize, p: &Plan, after_report: bool| {
            !taken[i]
                && p.submitted <= cutoff
                && !p
                    .events
                    .iter()
                    .any(|e| matches!(e, Event::Reject { .. } | Event::Cancel { .. }))
                && moves_done(p) >= keep
                && (!after_report || p.submitted.date_naive() > reported_until)
        };
        let pick = (0..plans.len())
            .rev()
            .find(|&i| eligible(i, &plans[i], true))
            .or_else(|| {
                (0..plans.len())
                    .rev()
                    .find(|&i| eligible(i, &plans[i], false))
            });
        let Some(i) = pick else { continue };
        taken[i] = true;
        let mut moves = 0;
        plans[i].events.retain(|e| match e {
            Event::Papers { .. } => keep > 0,
            _ => {
                moves += 1;
                moves <= keep
            }
        });
    }
}
