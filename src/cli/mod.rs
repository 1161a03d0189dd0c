//! The command line: parses arguments, opens the workspace and the register, calls the
//! stages, prints the result. Returns errors; `main.rs` prints them and exits.

pub mod args;
mod localize;
mod show;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{CommandFactory, FromArgMatches};
use serde::Serialize;

use crate::config::catalog::CatalogError;
use crate::config::toml_file::TomlError;
use crate::config::workspace::{InitOutcome, PenandaTangan, Workspace, WorkspaceError};
use crate::demo::{self, DemoOptions};
use crate::domain::calendar::{self, Bulan};
use crate::domain::permohonan::{self, Masukan};
use crate::domain::workflow::{Peran, Tahap};
use crate::paper::blanko;
use crate::services::surat;
use crate::store::{Filter, Register, RegisterError};
use args::{Cli, Command, Format, PenandaTanganArg, PeranArg, PermohonanCmd};

/// Wrong usage of the command line (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Some files given to `impor` could not be read whole and were refused (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{0} berkas ditolak utuh (lihat di atas); tidak ada baris dari berkas itu yang diimpor")]
pub struct RefusedFiles(pub usize);

/// Exit codes, as documented in README: 0 done, 1 refused by a rule or bad data,
/// 2 wrong usage or configuration.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let config = err.chain().any(|c| {
        c.is::<UsageError>()
            || c.is::<WorkspaceError>()
            || c.is::<CatalogError>()
            || c.is::<TomlError>()
            || matches!(
                c.downcast_ref::<crate::services::jobs::JobError>(),
                Some(
                    crate::services::jobs::JobError::UnknownJob(..)
                        | crate::services::jobs::JobError::BadPeriod { .. }
                )
            )
            || c.is::<crate::config::jadwal::ScheduleError>()
            || matches!(
                c.downcast_ref::<crate::services::outbox::MailError>(),
                Some(crate::services::outbox::MailError::Config(_))
            )
            || matches!(
                c.downcast_ref::<RegisterError>(),
                Some(RegisterError::NewerSchema { .. })
            )
            || matches!(
                c.downcast_ref::<crate::paper::import::ImportError>(),
                Some(
                    crate::paper::import::ImportError::Peta(_)
                        | crate::paper::import::ImportError::PetaIo(..)
                )
            )
    });
    if config { 2 } else { 1 }
}

/// The full clap command, in Indonesian.
pub fn command() -> clap::Command {
    localize::localize(Cli::command(), true)
}

/// Runs the program with these arguments (the first is the program's name).
pub fn run<I, T>(argv: I) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = match command().try_get_matches_from(argv) {
        Ok(m) => m,
        Err(e) => match localize::error_message(&e) {
            None => {
                print!("{}", localize::usage_words(&e.render().to_string()));
                return Ok(());
            }
            Some(msg) => return Err(UsageError(msg).into()),
        },
    };
    let cli = Cli::from_arg_matches(&matches).map_err(|e| UsageError(e.to_string()))?;
    let dir = cli.dir.clone();
    match cli.command {
        Command::Init => init(&dir.unwrap_or_else(|| PathBuf::from("."))),
        Command::Periksa => periksa(&workdir(dir)),
        Command::Demo(a) => run_demo(&dir.unwrap_or_else(|| PathBuf::from("demo")), a),
        Command::Katalog(a) => katalog(&workdir(dir), a),
        Command::Permohonan(cmd) => permohonan(&workdir(dir), *cmd),
        Command::Surat(a) => surat_cmd(&workdir(dir), a),
        Command::Verifikasi(a) => verifikasi(&workdir(dir), a),
        Command::Blanko(a) => blanko_cmd(&workdir(dir), a),
        Command::Laporan(args::LaporanCmd::Bulanan(a)) => laporan_bulanan(&workdir(dir), a),
        Command::Ekspor(args::EksporCmd::Register(a)) => ekspor_register(&workdir(dir), a),
        Command::Impor(a) => impor(&workdir(dir), a),
        Command::Pengguna(cmd) => pengguna_cmd(&workdir(dir), cmd),
        Command::Web(a) => Ok(crate::web::serve(workdir(dir), a.alamat)?),
        Command::Kirim(a) => kirim(&workdir(dir), a),
        Command::Surel(cmd) => surel_cmd(&workdir(dir), cmd),
        Command::Jadwal(cmd) => jadwal_cmd(&workdir(dir), cmd),
        Command::Layani => layani(&workdir(dir)),
    }
}

fn ekspor_register(dir: &Path, a: args::EksporRegisterArgs) -> Result<()> {
    let (ws, reg) = open(dir)?;
    let today = calendar::now(ws.profil.tz()).date_naive();
    let out = a.keluar.clone().unwrap_or_else(|| {
        ws.dir.join(format!(
            "output/ekspor/register-{}.xlsx",
            a.tahun.map_or("semua".to_string(), |t| t.to_string())
        ))
    });
    let n = crate::services::laporan::export_register(&ws, &reg, a.tahun, &out, today)?;
    println!("{n} permohonan diekspor ke {}", out.display());
    Ok(())
}

/// A new password: one line from stdin with `--sandi-stdin`, else typed twice at a
/// terminal prompt that does not echo.
fn read_password(from_stdin: bool) -> Result<String> {
    use std::io::{BufRead, IsTerminal};
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("kata sandi tidak dapat dibaca dari masukan standar")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(UsageError(
            "tidak ada terminal untuk mengetik kata sandi; pakai --sandi-stdin".into(),
        )
        .into());
    }
    let first =
        rpassword::prompt_password("Kata sandi baru: ").context("kata sandi tidak dapat dibaca")?;
    let again = rpassword::prompt_password("Ulangi kata sandi: ")
        .context("kata sandi tidak dapat dibaca")?;
    if first != again {
        return Err(UsageError("kedua kata sandi tidak sama".into()).into());
    }
    Ok(first)
}

fn pengguna_cmd(dir: &Path, cmd: args::PenggunaCmd) -> Result<()> {
    use crate::domain::pengguna::PeranPengguna;
    use crate::services::pengguna;
    let (ws, mut reg) = open(dir)?;
    let now = calendar::now(ws.profil.tz());
    match cmd {
        args::PenggunaCmd::Tambah(a) => {
            let peran = match a.peran {
                args::PeranPenggunaArg::Operator => PeranPengguna::Operator,
                args::PeranPenggunaArg::Kasi => PeranPengguna::Kasi,
                args::PeranPenggunaArg::Koordinator => PeranPengguna::Koordinator,
                args::PeranPenggunaArg::Seklur => PeranPengguna::Seklur,
                args::PeranPenggunaArg::Lurah => PeranPengguna::Lurah,
                args::PeranPenggunaArg::Admin => PeranPengguna::Admin,
            };
            // The name is checked before anyone is asked to type a password.
            let nama = pengguna::check_nama(&a.nama)?;
            let sandi = read_password(a.sandi_stdin)?;
            let p = pengguna::tambah(&mut reg, &nama, peran, &sandi, now)?;
            println!("akun {} ({}) ditambahkan", p.nama, p.peran);
        }
        args::PenggunaCmd::Daftar(a) => {
            no_csv(a.format)?;
            let list = reg.users()?;
            if a.format == Format::Json {
                print_json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|p| {
                        vec![
                            p.nama.clone(),
                            p.peran.to_string(),
                            if p.aktif { "aktif" } else { "nonaktif" }.into(),
                            match p.kunci_sampai {
                                Some(k) if k > now => {
                                    format!(
                                        "terkunci sampai {}",
                                        calendar::waktu(&k, ws.profil.tz())
                                    )
                                }
                                _ => "-".into(),
                            },
                        ]
                    })
                    .collect();
                print!(
                    "{}",
                    show::table(&["Nama", "Peran", "Status", "Kunci"], &rows)
                );
            }
        }
        args::PenggunaCmd::Sandi(a) => {
            let p = reg.user(&a.nama)?;
            let sandi = read_password(a.sandi_stdin)?;
            let p = pengguna::ganti_sandi(&mut reg, &p.nama, &sandi, now)?;
            println!("kata sandi {} diganti", p.nama);
        }
        args::PenggunaCmd::Nonaktif(a) => {
            let p = reg.set_user_active(&a.nama, false, now)?;
            println!("akun {} dinonaktifkan", p.nama);
        }
        args::PenggunaCmd::Aktif(a) => {
            let p = reg.set_user_active(&a.nama, true, now)?;
            println!("akun {} diaktifkan", p.nama);
        }
    }
    Ok(())
}

fn impor(dir: &Path, a: args::ImporArgs) -> Result<()> {
    no_csv(a.format)?;
    let (ws, mut reg) = open(dir)?;
    let now = calendar::now(ws.profil.tz());
    let peta = crate::paper::import::load_peta(&ws.dir, &ws.katalog, a.peta.as_deref())?;
    let opsi = crate::paper::import::Opsi {
        peta: &peta,
        katalog: &ws.katalog,
        penomoran: ws.profil.penomoran_surat(),
        oleh: &a.oleh,
        at: now,
        uji: a.uji,
    };
    let r = crate::paper::import::run(&mut reg, &a.berkas, &opsi)?;
    let laporan = a.laporan.clone().or_else(|| {
        a.uji
            .then(|| ws.dir.join("output/impor/laporan-impor-uji.xlsx"))
    });
    if let Some(path) = &laporan {
        let xlsx = crate::paper::import::laporan::workbook(&r, now.date_naive())?;
        crate::util::files::write_atomic(path, &xlsx)
            .with_context(|| format!("laporan impor {} tidak dapat ditulis", path.display()))?;
    }
    match a.format {
        args::Format::Json => {
            let mut v = serde_json::to_value(&r)?;
            v["laporan"] = serde_json::json!(laporan.as_ref().map(|p| p.display().to_string()));
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        _ => print!("{}", show::impor(&r, laporan.as_deref())),
    }
    let refused = r.refused();
    if refused > 0 {
        return Err(RefusedFiles(refused).into());
    }
    Ok(())
}

fn laporan_bulanan(dir: &Path, a: args::BulananArgs) -> Result<()> {
    no_csv(a.format)?;
    let (ws, mut reg) = open(dir)?;
    let now = calendar::now(ws.profil.tz());
    let bulan = match &a.bulan {
        Some(b) => b
            .parse::<Bulan>()
            .map_err(|e| UsageError(format!("--bulan: {e}")))?,
        None => crate::services::laporan::default_month(&now),
    };
    let r = crate::paper::render::for_workspace(&ws)?;
    let (made, sent) = crate::services::laporan::make_and_send(
        &ws, &mut reg, &r, bulan, now, a.kirim,
    )
    .map_err(|e| match e {
        crate::services::laporan::LaporanError::BelumTerjadi(_) => {
            anyhow::Error::new(UsageError(format!("--bulan: {e}")))
        }
        e => e.into(),
    })?;
    if a.format == Format::Json {
        let mut v = serde_json::to_value(&made).context("JSON")?;
        if let Some(d) = &sent {
            v["surel"] = serde_json::json!({ "id": d.surel.id, "pengiriman": d.kirim });
        }
        return print_json(&v);
    }
    let f = &made.angka.ringkas;
    println!(
        "Laporan bulan {}: {} permohonan, {} surat terbit, {} ditolak.",
        bulan.nama(),
        f.jumlah,
        f.surat_terbit,
        f.ditolak
    );
    println!(
        "Dicatat dilaporkan ke Seklur: {} permohonan; ke Lurah: {} permohonan.",
        made.ke_seklur, made.ke_lurah
    );
    for b in &made.berkas {
        println!("{}", b.display());
    }
    if let Some(d) = sent {
        println!(
            "Surel {} ({}) diantrekan ke {}.",
            d.surel.id,
            d.surel.subjek,
            d.surel.kepada.join(", ")
        );
        print_send(&d.kirim);
    }
    Ok(())
}

fn print_send(s: &crate::services::outbox::SendSummary) {
    println!(
        "Pengiriman: {} terkirim, {} akan dicoba lagi, {} gagal.",
        s.terkirim, s.dicoba_lagi, s.gagal
    );
    for p in &s.pesan {
        println!("  {p}");
    }
}

fn kirim(dir: &Path, a: args::KirimArgs) -> Result<()> {
    no_csv(a.format)?;
    let (ws, mut reg) = open(dir)?;
    let now = calendar::now(ws.profil.tz());
    let s = crate::services::outbox::send_due(&ws, &mut reg, now)?;
    if a.format == Format::Json {
        print_json(&s)?;
    } else {
        print_send(&s);
    }
    if s.gagal > 0 {
        return Err(MailFailed(s.gagal).into());
    }
    Ok(())
}

fn jadwal_cmd(dir: &Path, cmd: args::JadwalCmd) -> Result<()> {
    let (ws, mut reg) = open(dir)?;
    let jadwal = crate::config::jadwal::load(&ws.dir)?;
    let now = calendar::now(ws.profil.tz());
    match cmd {
        args::JadwalCmd::Daftar(a) => {
            no_csv(a.format)?;
            let list = crate::services::jobs::overview(&ws, &reg, now)?;
            if a.format == Format::Json {
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|j| {
                    vec![
                        j.nama.clone(),
                        if j.aktif { "aktif" } else { "mati" }.into(),
                        j.cron.clone(),
                        j.berikutnya.join("; "),
                        j.terakhir_teks(),
                    ]
                })
                .collect();
            print!(
                "{}",
                show::table(
                    &["Jadwal", "Status", "Cron", "Berikutnya (WIB)", "Terakhir"],
                    &rows
                )
            );
        }
        args::JadwalCmd::Jalankan(a) => {
            no_csv(a.format)?;
            let (reports, missed) = match &a.tugas {
                Some(nama) => {
                    let j = jadwal.iter().find(|j| &j.nama == nama).ok_or_else(|| {
                        crate::services::jobs::JobError::UnknownJob(
                            nama.clone(),
                            jadwal
                                .iter()
                                .map(|j| j.nama.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        )
                    })?;
                    let periode = match &a.periode {
                        Some(p) => p.clone(),
                        None => match j.due(&now).last() {
                            Some(t) => j.tugas.period(t),
                            None => j.tugas.period(&now.with_timezone(&j.tz)),
                        },
                    };
                    (
                        vec![crate::services::jobs::run(&ws, &mut reg, j, &periode, now)?],
                        vec![],
                    )
                }
                None => crate::services::jobs::run_due(&ws, &mut reg, &jadwal, now)?,
            };
            if a.format == Format::Json {
                print_json(&serde_json::json!({ "dijalankan": reports, "terlewat": missed }))?;
            } else {
                if reports.is_empty() {
                    println!("Tidak ada tugas yang waktunya tiba.");
                }
                for r in &reports {
                    println!("{} [{}] {}: {}", r.jadwal, r.periode, r.status, r.hasil);
                }
                for m in &missed {
                    println!("Perhatian: {m}");
                }
            }
            if reports.iter().any(|r| r.status == "gagal") {
                return Err(RunFailed.into());
            }
        }
    }
    Ok(())
}

fn layani(dir: &Path) -> Result<()> {
    let (ws, mut reg) = open(dir)?;
    let jadwal = crate::config::jadwal::load(&ws.dir)?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst))
        .context("penangan sinyal tidak dapat dipasang")?;
    let tz = ws.profil.tz();
    let mut log = |line: &str| {
        // One line per event, with the time; no personal data is ever part of it.
        eprintln!("{} {line}", calendar::waktu(&calendar::now(tz), tz));
    };
    crate::services::jobs::serve(&ws, &mut reg, &jadwal, &stop, &mut log)?;
    Ok(())
}

/// A scheduled run failed (exit 1); its error is in the runs table.
#[derive(Debug, thiserror::Error)]
#[error("ada tugas terjadwal yang gagal; lihat `kelurahan jadwal daftar`")]
pub struct RunFailed;

/// Some messages failed for good (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0} surel gagal dikirim; lihat `kelurahan surel daftar --status gagal`")]
pub struct MailFailed(pub usize);

fn surel_cmd(dir: &Path, cmd: args::SurelCmd) -> Result<()> {
    let (ws, mut reg) = open(dir)?;
    let tz = ws.profil.tz();
    match cmd {
        args::SurelCmd::Daftar(a) => {
            no_csv(a.format)?;
            let status = a.status.map(|s| match s {
                args::StatusSurel::Antre => crate::domain::surel::StatusSurel::Antre,
                args::StatusSurel::Mengirim => crate::domain::surel::StatusSurel::Mengirim,
                args::StatusSurel::Terkirim => crate::domain::surel::StatusSurel::Terkirim,
                args::StatusSurel::Gagal => crate::domain::surel::StatusSurel::Gagal,
            });
            let list = reg.list_mail(status)?;
            if a.format == Format::Json {
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|m| {
                    vec![
                        m.id.to_string(),
                        m.status.to_string(),
                        m.percobaan.to_string(),
                        calendar::waktu(&m.dibuat, tz),
                        m.subjek.clone(),
                        m.galat.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            print!(
                "{}",
                show::table(
                    &["No", "Status", "Coba", "Dibuat", "Subjek", "Galat terakhir"],
                    &rows
                )
            );
        }
        args::SurelCmd::Ulang(a) => {
            let m = reg.mail_retry(a.id, calendar::now(tz))?;
            println!("Surel {} diantrekan lagi: {}", m.id, m.subjek);
        }
    }
    Ok(())
}

fn blanko_cmd(dir: &Path, a: args::BlankoArgs) -> Result<()> {
    use args::BentukArg;
    no_csv(a.format)?;
    let (ws, reg) = open(dir)?;
    let out = a
        .keluar
        .clone()
        .unwrap_or_else(|| ws.dir.join("output/blanko"));
    let r = crate::paper::render::for_workspace(&ws)?;
    let request = |id: &str| -> Result<crate::domain::permohonan::Permohonan> {
        Ok(reg.get(reg.resolve(id)?)?)
    };
    let printed = match (a.semua, a.bentuk, a.untuk.as_deref()) {
        (true, _, _) => blanko::all(&ws, &r, &out)?,
        (false, Some(BentukArg::Permohonan), Some(jenis)) => {
            if ws.katalog.jenis(jenis).is_none() {
                return Err(UsageError(format!(
                    "jenis surat `{jenis}` tidak ada di katalog; pilihan: {}",
                    ws.katalog.kode_list()
                ))
                .into());
            }
            vec![blanko::application(&ws, &r, jenis, &out)?]
        }
        (false, Some(BentukArg::Permohonan), None) => ws
            .katalog
            .jenis
            .iter()
            .map(|j| blanko::application(&ws, &r, &j.kode, &out))
            .collect::<Result<Vec<_>, _>>()?,
        (false, Some(BentukArg::TandaTerima), id) => {
            let p = id.map(request).transpose()?;
            vec![blanko::receipt(&ws, &r, p.as_ref(), &out)?]
        }
        (false, Some(BentukArg::LembarKendali), id) => {
            let p = id.map(request).transpose()?;
            let s = match &p {
                Some(p) => reg.letter_of(p.id)?,
                None => None,
            };
            vec![blanko::routing_slip(
                &ws,
                &r,
                p.as_ref().map(|p| (p, s.as_ref())),
                &out,
            )?]
        }
        (false, Some(BentukArg::Register), _) => vec![blanko::register_pages(&ws, &r, &out)?],
        (false, None, _) => {
            return Err(UsageError("tulis bentuk blanko atau --semua".into()).into());
        }
    };
    if a.format == Format::Json {
        print_json(&printed)?;
    } else {
        for p in &printed {
            println!("{}", p.berkas.display());
        }
        println!("{} blanko dicetak.", printed.len());
    }
    Ok(())
}

/// Not a letter the office issued (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("surat tidak sah atau tidak dikenal")]
pub struct NotVerified;

fn verifikasi(dir: &Path, a: args::VerifikasiArgs) -> Result<()> {
    no_csv(a.format)?;
    let (ws, reg) = open(dir)?;
    let verdict = match (&a.berkas, &a.kode) {
        (Some(file), _) => {
            let bytes = std::fs::read(file)
                .with_context(|| format!("{} tidak dapat dibaca", file.display()))?;
            surat::verify_file(&ws, &reg, &bytes)?
        }
        (None, Some(code)) => surat::verify_code(&ws, &reg, code)?,
        (None, None) => return Err(UsageError("tulis BERKAS atau --kode KODE".into()).into()),
    };
    if a.format == Format::Json {
        print_json(&verdict)?;
    } else {
        println!("{}", verdict.pesan);
        if let (Some(n), Some(reg_no)) = (&verdict.nomor, &verdict.nomor_register) {
            println!("  Nomor surat     : {n}");
            println!(
                "  Jenis           : {}",
                verdict.jenis.clone().unwrap_or_default()
            );
            println!(
                "  Tanggal         : {}",
                verdict
                    .tanggal
                    .as_deref()
                    .and_then(|t| calendar::parse_tanggal(t).ok())
                    .map(calendar::tanggal)
                    .unwrap_or_default()
            );
            println!("  No. register    : {reg_no}");
        }
    }
    if verdict.sah {
        Ok(())
    } else {
        Err(NotVerified.into())
    }
}

fn surat_cmd(dir: &Path, a: args::SuratArgs) -> Result<()> {
    let (ws, mut reg) = open(dir)?;
    let now = calendar::now(ws.profil.tz());
    if let Some(args::SuratCmd::Batal(b)) = a.aksi {
        no_csv(b.format)?;
        let id = reg.resolve(&b.id)?;
        let s = reg.void_letter(id, &b.oleh, &b.alasan, now)?;
        if b.format == Format::Json {
            return print_json(&s);
        }
        println!(
            "Surat {} dibatalkan: {}. Nomornya tetap tercatat dan tidak dipakai lagi.",
            s.nomor,
            b.alasan.trim()
        );
        return Ok(());
    }
    no_csv(a.format)?;
    match (&a.id, &a.bulan) {
        (Some(id), _) => {
            let id = reg.resolve(id)?;
            reg.get(id)?;
            let s = reg.letter_to_print(id)?;
            let renderer = crate::paper::render::for_workspace(&ws)?;
            let pdf = surat::print(&ws, &renderer, &s)?;
            let out = match &a.keluar {
                Some(f) => f.clone(),
                None => ws.dir.join(surat::print_path(&s)),
            };
            crate::util::files::write_atomic(&out, &pdf)
                .with_context(|| format!("{} tidak dapat ditulis", out.display()))?;
            if a.format == Format::Json {
                print_json(&serde_json::json!({ "surat": s, "berkas": out }))?;
            } else {
                let status = if s.batal.is_some() { " (BATAL)" } else { "" };
                println!("Surat {}{status} dicetak ke {}", s.nomor, out.display());
            }
        }
        (None, Some(bulan)) => {
            let bulan: Bulan = bulan
                .parse()
                .map_err(|e| UsageError(format!("--bulan: {e}")))?;
            let out = a.keluar.clone().unwrap_or_else(|| {
                ws.dir.join(format!(
                    "output/surat/{:04}/{:02}",
                    bulan.tahun, bulan.bulan
                ))
            });
            let workers = a
                .pekerja
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
            let r = surat::print_month(&ws, &reg, bulan, &out, workers)?;
            if a.format == Format::Json {
                print_json(&r)?;
            } else {
                println!(
                    "{} surat bulan {} dicetak ke {} ({} di antaranya batal).",
                    r.jumlah,
                    bulan.nama(),
                    r.folder.display(),
                    r.batal
                );
            }
        }
        (None, None) => {
            return Err(UsageError(
                "tulis nomor permohonan, --bulan TAHUN-BULAN, atau `surat batal`".into(),
            )
            .into());
        }
    }
    Ok(())
}

fn workdir(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| PathBuf::from("."))
}

fn print_json<T: Serialize>(v: &T) -> Result<()> {
    println!(
        "{}",
        serde_json::to_string_pretty(v).context("tidak dapat menulis JSON")?
    );
    Ok(())
}

fn no_csv(format: Format) -> Result<()> {
    if format == Format::Csv {
        return Err(UsageError("format csv hanya untuk `permohonan daftar`".into()).into());
    }
    Ok(())
}

fn init(dir: &Path) -> Result<()> {
    match Workspace::init(dir)? {
        InitOutcome::AlreadyExists(files) => {
            println!(
                "{} sudah berisi folder kerja ({}); tidak ada yang diubah.",
                dir.display(),
                files.join(", ")
            );
        }
        InitOutcome::Created => {
            let ws = Workspace::open(dir)?;
            Register::open(&ws.db_path(), ws.profil.tz())?;
            println!(
                "Folder kerja dibuat di {}: kelurahan.toml, kelurahan.db, output/.\n\
                 Sesuaikan kelurahan.toml (nama pejabat, NIP, kode unit), lalu jalankan `kelurahan periksa`.",
                dir.display()
            );
        }
    }
    Ok(())
}

fn open(dir: &Path) -> Result<(Workspace, Register)> {
    let ws = Workspace::open(dir)?;
    let reg = Register::open(&ws.db_path(), ws.profil.tz())?;
    Ok((ws, reg))
}

fn periksa(dir: &Path) -> Result<()> {
    let (ws, reg) = open(dir)?;
    let total: i64 = reg.count_by_tahap()?.iter().map(|c| c.jumlah).sum();
    println!("kelurahan.toml: baik ({})", ws.profil.kantor.kelurahan);
    println!("katalog: baik, {} jenis surat", ws.katalog.jenis.len());
    println!(
        "basis data: baik, skema versi {}, {} permohonan",
        reg.schema_version()?,
        total
    );
    Ok(())
}

fn katalog(dir: &Path, a: args::KatalogArgs) -> Result<()> {
    no_csv(a.format)?;
    let ws = Workspace::open(dir)?;
    match (&a.kode, a.format) {
        (None, Format::Json) => print_json(&ws.katalog)?,
        (None, _) => print!("{}", show::katalog(&ws.katalog)),
        (Some(k), fmt) => {
            let j = ws.katalog.jenis(k).ok_or_else(|| {
                UsageError(format!(
                    "jenis surat `{k}` tidak ada di katalog; pilihan: {}",
                    ws.katalog.kode_list()
                ))
            })?;
            if fmt == Format::Json {
                print_json(j)?;
            } else {
                print!("{}", show::jenis(&ws.katalog, k).unwrap_or_default());
            }
        }
    }
    Ok(())
}

fn run_demo(dir: &Path, a: args::DemoArgs) -> Result<()> {
    no_csv(a.format)?;
    let tz = crate::config::workspace::Profil::builtin().tz();
    let now = calendar::now(tz);
    let today = now.date_naive();
    let hingga = match &a.hingga {
        Some(s) => calendar::parse_tanggal(s).map_err(|e| UsageError(format!("--hingga: {e}")))?,
        None => today,
    };
    if hingga > today {
        return Err(UsageError("--hingga tidak boleh di masa depan".into()).into());
    }
    let cutoff = if hingga == today {
        now
    } else {
        calendar::at(tz, hingga, 23, 59)
    };
    let summary = demo::run(
        dir,
        &DemoOptions {
            hingga,
            cutoff,
            jumlah: a.jumlah,
        },
    )?;
    if a.format == Format::Json {
        print_json(&summary)
    } else {
        print!("{}", show::demo(&summary));
        Ok(())
    }
}

fn peran(p: PeranArg) -> Peran {
    match p {
        PeranArg::Operator => Peran::Operator,
        PeranArg::Kasi => Peran::Kasi,
        PeranArg::Koordinator => Peran::Koordinator,
        PeranArg::Seklur => Peran::Seklur,
        PeranArg::Lurah => Peran::Lurah,
    }
}

fn permohonan(dir: &Path, cmd: PermohonanCmd) -> Result<()> {
    let (ws, mut reg) = open(dir)?;
    let tz = ws.profil.tz();
    let now = calendar::now(tz);
    match cmd {
        PermohonanCmd::Baru(a) => {
            let a = *a;
            no_csv(a.format)?;
            let mut isian = Vec::new();
            for pair in &a.isian {
                let (k, v) = pair.split_once('=').ok_or_else(|| {
                    UsageError(format!("--isian `{pair}` harus ditulis NAMA=NILAI"))
                })?;
                isian.push((k.to_string(), v.to_string()));
            }
            let masukan = Masukan {
                jenis: a.jenis,
                nama: a.nama,
                nik: a.nik,
                kk: a.kk,
                alamat: a.alamat,
                rt: a.rt,
                rw: a.rw,
                telepon: a.telepon,
                kanal: Some(a.kanal),
                keperluan: a.keperluan,
                isian,
                berkas: a.berkas,
                tanggal: a.tanggal,
            };
            let baru = permohonan::periksa(&masukan, &ws.katalog, now.date_naive())?;
            let oleh = a
                .oleh
                .unwrap_or_else(|| ws.profil.pejabat.operator.nama.clone());
            let p = reg.create(&baru, &oleh, now)?;
            if a.format == Format::Json {
                print_json(&p)?;
            } else {
                println!(
                    "Permohonan {} dicatat: {}, atas nama {}.",
                    p.nomor_register,
                    ws.katalog
                        .jenis(&p.jenis)
                        .map_or(p.jenis.as_str(), |j| j.nama.as_str()),
                    p.nama
                );
                println!("{}", show::next_step(&p));
            }
        }
        PermohonanCmd::Daftar(a) => {
            let filter = Filter {
                tahap: a
                    .tahap
                    .as_deref()
                    .map(str::parse::<Tahap>)
                    .transpose()
                    .map_err(|e| UsageError(format!("--tahap: {e}")))?,
                jenis: match a.jenis {
                    Some(j) if ws.katalog.jenis(&j).is_none() => {
                        return Err(UsageError(format!(
                            "--jenis: jenis surat `{j}` tidak ada di katalog; pilihan: {}",
                            ws.katalog.kode_list()
                        ))
                        .into());
                    }
                    j => j,
                },
                bulan: a
                    .bulan
                    .as_deref()
                    .map(str::parse::<Bulan>)
                    .transpose()
                    .map_err(|e| UsageError(format!("--bulan: {e}")))?,
                tahun: None,
                cari: a.cari.clone(),
            };
            let list = reg.list(&filter)?;
            match a.format {
                Format::Json => print_json(&list)?,
                Format::Csv => print!("{}", show::daftar_csv(&list)),
                Format::Tabel => print!("{}", show::daftar(&list)),
            }
        }
        PermohonanCmd::Lihat(a) => {
            no_csv(a.format)?;
            let p = reg.get(reg.resolve(&a.id)?)?;
            let letter = reg.letter_of(p.id)?;
            let lama = reg.legacy_letter_of(p.id)?;
            if a.format == Format::Json {
                let mut v = serde_json::to_value(&p).context("JSON")?;
                v["surat"] = serde_json::to_value(&letter).context("JSON")?;
                v["surat_lama"] = serde_json::to_value(&lama).context("JSON")?;
                print_json(&v)?;
            } else {
                print!(
                    "{}",
                    show::lihat(&p, letter.as_ref(), lama.as_ref(), &ws.katalog, tz)
                );
            }
        }
        PermohonanCmd::Berkas(a) => {
            no_csv(a.format)?;
            if a.ada.is_empty() && a.tidak_ada.is_empty() {
                return Err(
                    UsageError("tulis --ada KODE,... atau --tidak-ada KODE,...".into()).into(),
                );
            }
            let id = reg.resolve(&a.id)?;
            let p = reg.set_papers(id, &a.ada, &a.tidak_ada, now)?;
            if a.format == Format::Json {
                print_json(&p)?;
            } else {
                println!("Berkas permohonan {} diperbarui.", p.nomor_register);
                println!("{}", show::next_step(&p));
            }
        }
        PermohonanCmd::Lanjut(a) => {
            no_csv(a.format)?;
            let id = reg.resolve(&a.id)?;
            let renderer = crate::paper::render::LazyRenderer::new(&ws);
            let p = surat::advance(
                &mut reg,
                &ws,
                &renderer,
                id,
                peran(a.peran),
                &a.oleh,
                a.catatan.as_deref(),
                now,
                a.penanda_tangan.map(|t| match t {
                    PenandaTanganArg::Lurah => PenandaTangan::Lurah,
                    PenandaTanganArg::Seklur => PenandaTangan::Seklur,
                }),
            )?;
            let letter = if p.tahap == Tahap::Ditindaklanjuti {
                reg.letter_of(p.id)?
            } else {
                None
            };
            if a.format == Format::Json {
                // The request as `lihat` shows it, with the letter issued by this move.
                let mut v = serde_json::to_value(&p).context("JSON")?;
                v["surat"] = serde_json::to_value(&letter).context("JSON")?;
                print_json(&v)?;
            } else {
                println!(
                    "Permohonan {} sekarang tahap {} ({}).",
                    p.nomor_register,
                    p.tahap.kode(),
                    p.tahap.label()
                );
                if let Some(s) = letter {
                    println!(
                        "Surat terbit: nomor {}, kode verifikasi {}, berkas {}",
                        s.nomor,
                        s.kode_verifikasi,
                        ws.dir.join(&s.berkas).display()
                    );
                }
                println!("{}", show::next_step(&p));
            }
        }
        PermohonanCmd::Tolak(a) => {
            no_csv(a.format)?;
            let id = reg.resolve(&a.id)?;
            let p = reg.reject(id, peran(a.peran), &a.oleh, &a.alasan, now)?;
            if a.format == Format::Json {
                print_json(&p)?;
            } else {
                println!(
                    "Permohonan {} ditolak: {}",
                    p.nomor_register,
                    a.alasan.trim()
                );
            }
        }
    }
    Ok(())
}
