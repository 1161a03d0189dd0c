//! The monthly figures on a register built by hand, against numbers worked out by hand:
//! December 2026 with a holiday (25th), a weekend, a refused request, an open one, late
//! and on-time ones, and one whose letter is issued in January.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use kelurahan::config::workspace::Workspace;
use kelurahan::domain::calendar::{self, Bulan, WIB};
use kelurahan::domain::permohonan::{self, Masukan};
use kelurahan::domain::workflow::{Peran, Tahap};
use kelurahan::paper::figures::{self, Input};
use kelurahan::paper::render::LazyRenderer;
use kelurahan::services::surat;
use kelurahan::store::{Filter, Register};

use crate::{NIK_L, NIK_P, Ws};

fn d(s: &str) -> NaiveDate {
    calendar::parse_tanggal(s).unwrap()
}

/// A request dated `tanggal`, moved at the given (date, hour) moments by the SOP roles.
fn request(
    ws: &Workspace,
    reg: &mut Register,
    r: &LazyRenderer,
    nik: &str,
    tanggal: &str,
    moves: &[(&str, u32)],
    tolak: Option<&str>,
) -> i64 {
    let baru = permohonan::periksa(
        &Masukan {
            jenis: "sk-domisili".into(),
            nama: format!("Pemohon {tanggal}"),
            nik: nik.into(),
            berkas: vec!["pengantar-rt".into(), "kk-ktp".into()],
            tanggal: Some(tanggal.into()),
            alamat: Some(crate::ALAMAT.into()),
            rt: Some("9".into()),
            rw: Some("3".into()),
            isian: [
                ("tempat_lahir", "Jambi"),
                ("agama", "Islam"),
                ("pekerjaan", "Wiraswasta"),
                ("status_perkawinan", "Kawin"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .to_vec(),
            ..Default::default()
        },
        &ws.katalog,
        d(tanggal),
    )
    .unwrap();
    let p = reg
        .create(&baru, "Operator", calendar::at(WIB, d(tanggal), 8, 30))
        .unwrap();
    let roles = [Peran::Operator, Peran::Kasi, Peran::Koordinator];
    for ((day, hour), peran) in moves.iter().zip(roles) {
        let at = calendar::at(WIB, d(day), *hour, 0);
        let dari = peran.langkah().unwrap();
        surat::advance(reg, ws, r, p.id, dari, peran, "Petugas", None, at, None).unwrap();
    }
    if let Some(alasan) = tolak {
        reg.reject(
            p.id,
            Peran::Operator,
            "Operator",
            alasan,
            calendar::at(WIB, d(tanggal), 11, 0),
        )
        .unwrap();
    }
    p.id
}

#[test]
fn december_worked_out_by_hand() {
    let w = Ws::init();
    let ws = Workspace::open(&w.dir).unwrap();
    let mut reg = Register::open(&ws.db_path(), ws.profil.tz()).unwrap();
    let r = LazyRenderer::new(&ws);

    // November: one letter the same day.
    request(
        &ws,
        &mut reg,
        &r,
        NIK_P,
        "2026-11-16",
        &[("2026-11-16", 9), ("2026-11-16", 10), ("2026-11-16", 13)],
        None,
    );
    // A: Tue 1 Dec to Wed 2 Dec: 1 working day, on time.
    request(
        &ws,
        &mut reg,
        &r,
        NIK_P,
        "2026-12-01",
        &[("2026-12-01", 9), ("2026-12-01", 10), ("2026-12-02", 10)],
        None,
    );
    // E: refused the day it came.
    request(
        &ws,
        &mut reg,
        &r,
        NIK_L,
        "2026-12-03",
        &[],
        Some("Berkas tidak lengkap"),
    );
    // C: Mon 7 Dec to Thu 10 Dec: 3 working days, late.
    request(
        &ws,
        &mut reg,
        &r,
        NIK_L,
        "2026-12-07",
        &[("2026-12-07", 9), ("2026-12-08", 9), ("2026-12-10", 9)],
        None,
    );
    // B: Thu 24 Dec to Mon 28 Dec over Christmas and a weekend: 1 working day, on time.
    request(
        &ws,
        &mut reg,
        &r,
        NIK_P,
        "2026-12-24",
        &[("2026-12-24", 9), ("2026-12-24", 10), ("2026-12-28", 9)],
        None,
    );
    // F: Tue 29 Dec, accepted, still waiting for the Kasi on Mon 4 Jan: 3 working days.
    request(
        &ws,
        &mut reg,
        &r,
        NIK_L,
        "2026-12-29",
        &[("2026-12-29", 9)],
        None,
    );
    // D: Wed 30 Dec, letter Mon 4 Jan over New Year: 2 working days, late.
    request(
        &ws,
        &mut reg,
        &r,
        NIK_P,
        "2026-12-30",
        &[("2026-12-30", 9), ("2026-12-31", 9), ("2027-01-04", 9)],
        None,
    );

    let bulan: Bulan = "2026-12".parse().unwrap();
    let requests = reg
        .list(&Filter {
            bulan: Some(bulan),
            ..Filter::default()
        })
        .unwrap();
    let previous = reg
        .list(&Filter {
            bulan: Some(bulan.prev()),
            ..Filter::default()
        })
        .unwrap();
    let trend = reg
        .count_by_month("2026-01".parse().unwrap(), bulan)
        .unwrap();
    let letters = reg.letters_in(bulan).unwrap();
    let libur: BTreeSet<NaiveDate> = [d("2026-12-25"), d("2027-01-01")].into();
    let f = figures::figures(&Input {
        bulan,
        requests: &requests,
        previous: &previous,
        trend: &trend,
        letters: &letters,
        katalog: &ws.katalog,
        libur: &libur,
        tz: WIB,
        per: d("2027-01-04"),
    });

    assert_eq!(f.ringkas.jumlah, 6);
    assert_eq!(f.ringkas.surat_terbit, 4);
    assert_eq!(f.ringkas.ditolak, 1);
    // Request to letter: 1, 3, 1, 2 -> median 1.5, 90th percentile 3.
    assert_eq!(f.waktu_layanan.n, 4);
    assert_eq!(f.waktu_layanan.median, Some(1.5));
    assert_eq!(f.waktu_layanan.p90, Some(3.0));
    assert_eq!(f.ringkas.tepat_waktu_persen, Some(50.0));
    // Over the one-day standard: C (3), F (3, still open), D (2).
    let name = |t: NaiveDate| match t.to_string().as_str() {
        "2026-12-07" => "C",
        "2026-12-29" => "F",
        "2026-12-30" => "D",
        _ => "?",
    };
    let late: Vec<(&str, Option<i64>)> = f
        .lewat_standar
        .iter()
        .map(|x| (name(x.tanggal), x.hari))
        .collect();
    assert_eq!(late, [("C", Some(3)), ("F", Some(3)), ("D", Some(2))]);
    // Steps: checking 0,0,0,0,0; Kasi 0,1,0,1; Koordinator 1,2,1,1.
    let step = |i: usize| {
        (
            f.waktu_tahap[i].waktu.n,
            f.waktu_tahap[i].waktu.median,
            f.waktu_tahap[i].waktu.p90,
        )
    };
    assert_eq!(step(0), (5, Some(0.0), Some(0.0)));
    assert_eq!(step(1), (4, Some(0.5), Some(1.0)));
    assert_eq!(step(2), (4, Some(1.0), Some(2.0)));
    assert_eq!(f.tahap_terlama.as_ref().unwrap().ke, Tahap::Ditindaklanjuti);
    let stage = |t: Tahap| f.per_tahap.iter().find(|x| x.tahap == t).unwrap().jumlah;
    assert_eq!(stage(Tahap::Diterima), 1);
    assert_eq!(stage(Tahap::Ditindaklanjuti), 4);
    assert_eq!(stage(Tahap::Ditolak), 1);
    assert_eq!(f.alasan_tolak, [("Berkas tidak lengkap".to_string(), 1)]);
    // Letters dated in December: A, C, B (D's is dated 4 January).
    assert_eq!(f.surat_terbit, 3);
    let domisili = f
        .per_jenis
        .iter()
        .find(|j| j.kode == "sk-domisili")
        .unwrap();
    assert_eq!(
        (
            domisili.jumlah,
            domisili.surat_terbit,
            domisili.ditolak,
            domisili.diproses,
            domisili.lewat_standar
        ),
        (6, 4, 1, 1, 3)
    );
    // November for comparison, and the trend.
    assert_eq!(f.bulan_lalu.jumlah, 1);
    assert_eq!(f.bulan_lalu.waktu_median, Some(0.0));
    assert_eq!(f.bulan_lalu.tepat_waktu_persen, Some(100.0));
    assert_eq!(f.tren.len(), 12);
    assert_eq!(f.tren[10].1, 1);
    assert_eq!(f.tren[11].1, 6);
}
