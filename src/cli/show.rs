//! How the command line prints records: tables for people, JSON and CSV for scripts.

use std::fmt::Write;

use chrono_tz::Tz;

use crate::demo::DemoSummary;
use crate::domain::calendar;
use crate::domain::identity;
use crate::domain::katalog::Katalog;
use crate::domain::permohonan::Permohonan;
use crate::domain::surat::Surat;
use crate::domain::workflow::Tahap;

/// Left-aligned columns, widths by characters.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                let pad = widths[i] - c.chars().count();
                s.push_str(c);
                s.push_str(&" ".repeat(pad + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    out.push_str(&line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

fn tahap_label(t: Tahap) -> String {
    match t.nomor() {
        Some(n) => format!("{n} {}", t.kode()),
        None => t.kode().to_string(),
    }
}

/// The register as a table; NIK masked, since a screen is seen by more than one person.
pub fn daftar(list: &[Permohonan]) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|p| {
            vec![
                p.nomor_register.clone(),
                p.tanggal.to_string(),
                p.jenis.clone(),
                p.nama.clone(),
                identity::mask(&p.nik),
                p.kanal.kode().to_string(),
                tahap_label(p.tahap),
            ]
        })
        .collect();
    let mut out = table(
        &[
            "No. Register",
            "Tanggal",
            "Jenis",
            "Nama",
            "NIK",
            "Kanal",
            "Tahap",
        ],
        &rows,
    );
    let _ = writeln!(out, "\nJumlah: {} permohonan", list.len());
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// RFC 4180 CSV, one row per request, NIK and KK in full (scripts need them).
pub fn daftar_csv(list: &[Permohonan]) -> String {
    let mut out = String::from(
        "id,nomor_register,tanggal,jenis,nama,nik,kk,alamat,rt,rw,telepon,kanal,keperluan,tahap\r\n",
    );
    for p in list {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let cells = [
            p.id.to_string(),
            p.nomor_register.clone(),
            p.tanggal.to_string(),
            p.jenis.clone(),
            p.nama.clone(),
            p.nik.clone(),
            o(&p.kk),
            o(&p.alamat),
            o(&p.rt),
            o(&p.rw),
            o(&p.telepon),
            p.kanal.kode().to_string(),
            o(&p.keperluan),
            p.tahap.kode().to_string(),
        ];
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// One request in full: data, checklist, history, and what comes next.
pub fn lihat(
    p: &Permohonan,
    surat: Option<&Surat>,
    lama: Option<&crate::domain::surat::SuratLama>,
    perubahan: &[crate::store::PerubahanTercatat],
    katalog: &Katalog,
    tz: Tz,
) -> String {
    let jenis = katalog.jenis(&p.jenis);
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let mut o = String::new();
    let _ = writeln!(o, "Permohonan {} (id {})", p.nomor_register, p.id);
    let mut kv = |k: &str, v: String| {
        let _ = writeln!(o, "  {k:<14}: {v}");
    };
    kv(
        "Jenis surat",
        format!(
            "{} ({})",
            jenis.map_or(p.jenis.as_str(), |j| j.nama.as_str()),
            p.jenis
        ),
    );
    if let Some(a) = &p.jenis_asal {
        kv("Di buku lama", format!("\"{a}\""));
    }
    kv("Tanggal", calendar::hari_tanggal(p.tanggal));
    kv("Kanal", p.kanal.label().to_string());
    kv(
        "Tahap",
        format!("{} ({})", tahap_label(p.tahap), p.tahap.label()),
    );
    kv("Nama", p.nama.clone());
    kv("NIK", p.nik.clone());
    kv("No. KK", dash(&p.kk));
    kv(
        "Alamat",
        format!(
            "{}{}{}",
            dash(&p.alamat),
            p.rt.as_ref()
                .map(|r| format!(", RT {r}"))
                .unwrap_or_default(),
            p.rw.as_ref()
                .map(|r| format!(" / RW {r}"))
                .unwrap_or_default()
        ),
    );
    kv("Telepon", dash(&p.telepon));
    kv(
        "Keperluan",
        p.keperluan
            .clone()
            .or_else(|| jenis.map(|j| format!("{} (bawaan)", j.keperluan)))
            .unwrap_or_else(|| "-".into()),
    );
    if !p.isian.is_empty() {
        let _ = writeln!(o, "Isian:");
        // In the catalog's order, then anything the catalog no longer knows.
        let known: Vec<(&str, &str)> = jenis
            .map(|j| {
                j.isian
                    .iter()
                    .map(|i| (i.kunci.as_str(), i.label.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        for (k, label) in &known {
            if let Some(v) = p.isian.get(*k) {
                let _ = writeln!(o, "  {label}: {v}");
            }
        }
        for (k, v) in p
            .isian
            .iter()
            .filter(|(k, _)| !known.iter().any(|(kk, _)| kk == k))
        {
            let _ = writeln!(o, "  {k}: {v}");
        }
    }
    let _ = writeln!(o, "Berkas persyaratan:");
    if p.berkas.is_empty() {
        let _ = writeln!(o, "  (tidak tercatat; permohonan dari register lama)");
    }
    for b in &p.berkas {
        let mark = if b.ada { "[x]" } else { "[ ]" };
        let note = if b.wajib { "" } else { "  (bersyarat)" };
        let _ = writeln!(o, "  {mark} {} — {}{note}", b.kode, b.nama);
    }
    if let Some(l) = lama {
        let _ = writeln!(o, "Surat (dari register lama, tanpa PDF):");
        let _ = writeln!(o, "  Nomor          : {}", l.nomor);
        if let Some(t) = l.tanggal {
            let _ = writeln!(o, "  Tanggal        : {}", calendar::tanggal(t));
        }
    }
    if let Some(s) = surat {
        let _ = writeln!(o, "Surat:");
        let _ = writeln!(o, "  Nomor          : {}", s.nomor);
        let _ = writeln!(o, "  Tanggal        : {}", calendar::tanggal(s.tanggal));
        let _ = writeln!(o, "  Kode verifikasi: {}", s.kode_verifikasi);
        let _ = writeln!(o, "  Berkas         : {}", s.berkas);
        if let Some(b) = &s.batal {
            let _ = writeln!(
                o,
                "  BATAL          : {} oleh {}: {}",
                calendar::waktu(&b.waktu, tz),
                b.oleh,
                b.alasan
            );
        }
    }
    if !perubahan.is_empty() {
        let _ = writeln!(o, "Perubahan isian:");
        for c in perubahan {
            let _ = writeln!(
                o,
                "  {}  oleh {}: {}",
                calendar::waktu(&c.waktu, tz),
                c.oleh,
                self::perubahan(&c.perubahan)
            );
        }
    }
    if let Some(j) = jenis
        && matches!(
            p.tahap,
            Tahap::Diajukan | Tahap::Diterima | Tahap::Diteruskan
        )
    {
        let kurang = crate::services::surat::kurang(j, p);
        if !kurang.is_empty() {
            let _ = writeln!(
                o,
                "Belum dapat diterbitkan suratnya; yang kosong: {} (lengkapi dengan `kelurahan permohonan lengkapi {} ...`)",
                kurang
                    .iter()
                    .map(|(_, label, how)| format!("{label} ({how})"))
                    .collect::<Vec<_>>()
                    .join(", "),
                p.nomor_register
            );
        }
    }
    let _ = writeln!(o, "Riwayat:");
    for r in &p.riwayat {
        let arrow = match r.dari {
            Some(d) => format!("{} → {}", d.kode(), r.ke.kode()),
            None => format!("→ {}", r.ke.kode()),
        };
        let _ = write!(
            o,
            "  {}  {arrow}  oleh {} ({})",
            calendar::waktu(&r.waktu, tz),
            r.oleh,
            r.peran.label()
        );
        if let Some(c) = &r.catatan {
            let _ = write!(o, " — {c}");
        }
        o.push('\n');
    }
    let _ = writeln!(o, "{}", next_step(p));
    o
}

/// A line telling who does what next.
pub fn next_step(p: &Permohonan) -> String {
    let kurang = p.berkas_kurang();
    match p.tahap.next() {
        None if p.tahap == Tahap::Ditolak => {
            "Permohonan ini ditolak; tidak ada langkah berikutnya.".into()
        }
        None if p.tahap == Tahap::Dibatalkan => {
            "Permohonan ini dibatalkan atas permintaan pemohon; tidak ada langkah berikutnya."
                .into()
        }
        None => "Permohonan ini selesai.".into(),
        Some((Tahap::Diterima, _)) if !kurang.is_empty() => format!(
            "Langkah berikutnya: berkas belum lengkap ({}). Lengkapi dengan `kelurahan permohonan berkas {} --ada KODE`, atau tolak.",
            kurang.join("; "),
            p.nomor_register
        ),
        Some((next, peran)) => format!(
            "Langkah berikutnya: {} → {}: `kelurahan permohonan lanjut {} --peran {} --oleh NAMA`",
            peran.label(),
            next.kode(),
            p.nomor_register,
            peran.kode()
        ),
    }
}

pub fn katalog(k: &Katalog) -> String {
    let rows: Vec<Vec<String>> = k
        .jenis
        .iter()
        .map(|j| {
            vec![
                j.kode.clone(),
                j.nama.clone(),
                j.kode_klasifikasi.clone(),
                format!("{} hari kerja", j.standar_layanan_hari),
            ]
        })
        .collect();
    table(&["Kode", "Jenis surat", "Klasifikasi", "Standar"], &rows)
}

pub fn jenis(k: &Katalog, kode: &str) -> Option<String> {
    let j = k.jenis(kode)?;
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", j.nama, j.kode);
    let _ = writeln!(o, "  Kode klasifikasi : {}", j.kode_klasifikasi);
    let _ = writeln!(o, "  Templat          : {}", j.templat);
    let _ = writeln!(
        o,
        "  Standar layanan  : {} hari kerja",
        j.standar_layanan_hari
    );
    let _ = writeln!(o, "  Keperluan bawaan : {}", j.keperluan);
    let _ = writeln!(o, "Berkas persyaratan (--berkas KODE,...):");
    for b in &j.berkas {
        let w = if b.wajib { "wajib" } else { "bersyarat" };
        let _ = writeln!(o, "  {:<26} {:<10} {}", b.kode, w, b.nama);
    }
    let perlu = |k: &str| j.identitas_wajib.iter().any(|x| x == k);
    let luar: Vec<&str> = crate::domain::katalog::IDENTITAS_LUAR_ISIAN
        .iter()
        .filter(|(k, _, _)| perlu(k))
        .map(|(_, _, flag)| *flag)
        .collect();
    if !luar.is_empty() {
        let _ = writeln!(o, "Wajib diisi: {}", luar.join(", "));
    }
    let _ = writeln!(o, "Isian (--isian KUNCI=NILAI):");
    for i in &j.isian {
        let w = if i.wajib || perlu(&i.kunci) {
            "wajib"
        } else {
            "boleh"
        };
        let t = serde_json::to_value(i.tipe)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let mut line = format!("  {:<26} {:<6} {:<18} {}", i.kunci, w, t, i.label);
        if let Some(d) = i.tipe.daftar() {
            line.push_str(&format!(
                " ({})",
                d.pilihan().collect::<Vec<_>>().join(", ")
            ));
        }
        if let Some(b) = &i.bawaan {
            line.push_str(&format!(" [bawaan: {b}]"));
        }
        let _ = writeln!(o, "{line}");
    }
    Some(o)
}

pub fn demo(s: &DemoSummary) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Folder kerja demo dibuat di {}: {} permohonan, {} sampai {}.\n",
        s.dir.display(),
        s.jumlah,
        calendar::tanggal(s.dari),
        calendar::tanggal(s.hingga)
    );
    let rows: Vec<Vec<String>> = s
        .per_tahap
        .iter()
        .map(|c| {
            vec![
                tahap_label(c.tahap),
                c.tahap.label().to_string(),
                c.jumlah.to_string(),
            ]
        })
        .collect();
    o.push_str(&table(&["Tahap", "Keterangan", "Jumlah"], &rows));
    o.push('\n');
    // The types the demo's requests asked for; the rest of the catalog is not listed.
    let rows: Vec<Vec<String>> = s
        .per_jenis
        .iter()
        .filter(|(_, _, c)| *c > 0)
        .map(|(k, n, c)| vec![k.clone(), n.clone(), c.to_string()])
        .collect();
    o.push_str(&table(&["Jenis", "Nama", "Jumlah"], &rows));
    o.push('\n');
    let kanal: Vec<String> = s
        .per_kanal
        .iter()
        .map(|(k, c)| format!("{k} {c}"))
        .collect();
    let _ = writeln!(o, "Kanal: {}", kanal.join(", "));
    let _ = writeln!(
        o,
        "Surat terbit: {} PDF di {}; blanko: {} PDF di {}",
        s.surat,
        s.dir.join("output/surat").display(),
        s.blanko,
        s.dir.join("output/blanko").display()
    );
    for l in &s.laporan {
        let _ = writeln!(o, "Laporan bulanan: {}", l.display());
    }
    let _ = writeln!(
        o,
        "\nLihat buku registernya: kelurahan --dir {} permohonan daftar",
        s.dir.display()
    );
    o
}

/// The import's summary: per file, then reasons; every row read is accounted for.
pub fn impor(r: &crate::paper::import::Ringkasan, laporan: Option<&std::path::Path>) -> String {
    use crate::paper::import::alasan_label;
    let mut out = String::new();
    if r.uji {
        out.push_str(&format!(
            "UJI IMPOR {}: tidak ada yang ditulis.\n\n",
            r.isi.to_uppercase()
        ));
    }
    let rows: Vec<Vec<String>> = r
        .berkas
        .iter()
        .map(|b| {
            let j = &b.jumlah;
            let mut row = vec![b.berkas.clone(), b.status.clone()];
            if b.galat.is_some() {
                row.extend(std::iter::repeat_n("-".to_string(), 6));
            } else {
                row.extend(
                    [
                        j.dibaca, j.diimpor, j.ditandai, j.ditolak, j.ganda, j.dilewati,
                    ]
                    .map(|n| n.to_string()),
                );
            }
            row
        })
        .collect();
    out.push_str(&table(
        &[
            "Berkas", "Hasil", "Dibaca", "Diimpor", "Ditandai", "Ditolak", "Ganda", "Dilewati",
        ],
        &rows,
    ));
    for b in &r.berkas {
        if let Some(g) = &b.galat {
            let _ = writeln!(out, "\n{}: DITOLAK UTUH: {g}", b.berkas);
        }
        let skipped: Vec<String> = b
            .lembar
            .iter()
            .filter_map(|l| l.alasan.as_ref().map(|a| format!("{} ({a})", l.nama)))
            .collect();
        if !skipped.is_empty() {
            let _ = writeln!(
                out,
                "\n{}: lembar dilewati: {}",
                b.berkas,
                skipped.join(", ")
            );
        }
    }
    let j = &r.jumlah;
    for (title, map) in [
        ("Ditolak", &j.ditolak_per_alasan),
        ("Ditandai (tetap diimpor, periksa)", &j.ditandai_per_alasan),
        ("Dilewati (bukan data)", &j.dilewati_per_alasan),
    ] {
        if map.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for (kode, n) in map {
            let _ = writeln!(out, "  {n:>6}  {} [{kode}]", alasan_label(kode));
        }
    }
    if !r.saran_peta.is_empty() {
        let _ = writeln!(
            out,
            "\nJenis surat yang tidak dikenal (periksa, lalu salin baris yang benar ke bagian [jenis] peta-impor.toml dan impor lagi):"
        );
        for s in &r.saran_peta {
            let mirip = match &s.nama {
                Some(n) => format!("paling mirip: {n}"),
                None => "tidak mirip jenis mana pun; ganti KODE".into(),
            };
            let _ = writeln!(out, "  {:>6}  {}  ({mirip})", s.jumlah, s.baris);
        }
    }
    let _ = writeln!(
        out,
        "\nJumlah: {} baris dibaca = {} diimpor + {} ditolak + {} ganda + {} dilewati ({} yang diimpor ditandai).",
        j.dibaca, j.diimpor, j.ditolak, j.ganda, j.dilewati, j.ditandai
    );
    if let Some(p) = laporan {
        let _ = writeln!(out, "Laporan baris ditolak dan ditandai: {}", p.display());
    } else if j.ditolak + j.ditandai > 0 {
        out.push_str("Tulis --laporan BERKAS.xlsx untuk daftar baris yang ditolak dan ditandai.\n");
    }
    out
}

/// What one round of sending the outbox did, with a line per message that needs attention.
pub fn pengiriman(s: &crate::services::outbox::SendSummary) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Pengiriman: {} terkirim, {} akan dicoba lagi, {} gagal.",
        s.terkirim, s.dicoba_lagi, s.gagal
    );
    for p in &s.pesan {
        let _ = writeln!(o, "  {p}");
    }
    o
}

/// One changed field: `alamat: Jl. Lama → Jl. Baru`.
pub fn perubahan(c: &crate::domain::permohonan::Perubahan) -> String {
    format!(
        "{}: {} → {}",
        c.kolom,
        c.lama.as_deref().unwrap_or("(kosong)"),
        c.baru.as_deref().unwrap_or("(kosong)")
    )
}
