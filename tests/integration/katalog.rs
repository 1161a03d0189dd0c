//! Every letter type the office issues, printed from realistic data: one page each, its own
//! fields in it, and its wording pinned by a golden text (`tests/golden/surat/KODE.txt`).
//! A change of wording is a reviewed diff: `KELURAHAN_GOLDEN=tulis cargo test katalog`
//! writes the new texts.

use std::path::Path;

use crate::letters::pdf_text;
use crate::{NIK_L, NIK_P, Ws};

/// A type, the papers brought, its own fields, the applicant's marital status and NIK,
/// and words its letter must carry.
struct Kasus {
    jenis: &'static str,
    berkas: &'static str,
    isian: &'static [&'static str],
    status: &'static str,
    agama: &'static str,
    nik: &'static str,
    harus: &'static [&'static str],
}

const AHLI_WARIS: &str =
    "ahli_waris=Siti Aminah; 1571094506900003; Istri | Budi Santoso; 1571091203850021; Anak";

const KASUS: &[Kasus] = &[
    Kasus {
        jenis: "pengantar-nikah",
        berkas: "pengantar-rt,kk-ktp-nikah,pas-foto-nikah,pbb",
        status: "Belum Kawin",
        agama: "Islam",
        nik: NIK_L,
        isian: &[
            "calon_nama=Siti Aminah",
            "ayah_nama=Hasan Basri",
            "ayah_nik=1571090101550003",
            "ayah_tempat_lahir=Jambi",
            "ayah_agama=Islam",
            "ayah_pekerjaan=Pensiunan",
            "ayah_alamat=Jl. Kapten Pattimura No. 12",
            "ibu_nama=Halimah",
            "ibu_tempat_lahir=Kerinci",
            "ibu_tanggal_lahir=1960-02-01",
            "ibu_agama=Islam",
            "ibu_pekerjaan=Mengurus rumah tangga",
            "ibu_alamat=Jl. Kapten Pattimura No. 12",
        ],
        harus: &[
            "Model N1",
            "FORMULIR PENGANTAR NIKAH",
            "PENGANTAR NIKAH",
            "Status pernikahan : Jejaka",
            "Adalah benar anak dari pernikahan seorang pria",
            "Hasan Basri",
            "1 Januari 1955",
            "dengan seorang wanita",
            "1 Februari 1960",
            "mengingat sumpah jabatan",
        ],
    },
    Kasus {
        jenis: "sk-kematian-pasangan",
        berkas: "pengantar-rt,kk-ktp,akta-kematian",
        status: "Cerai Mati",
        agama: "Islam",
        nik: NIK_P,
        isian: &[
            "pemohon_bin=Hasan Basri",
            "almarhum_nama=Rahmat Hidayat",
            "almarhum_bin=Abdul Muthalib",
            "almarhum_nik=1571091203850021",
            "almarhum_tempat_lahir=Jambi",
            "almarhum_agama=Islam",
            "almarhum_pekerjaan=Wiraswasta",
            "almarhum_alamat=Jl. Kapten Pattimura No. 12",
            "tanggal_meninggal=2025-03-10",
            "tempat_meninggal=RSUD Raden Mattaher Jambi",
        ],
        harus: &[
            "Model N6",
            "SURAT KETERANGAN KEMATIAN",
            "Rahmat Hidayat",
            "Bin : Abdul Muthalib",
            "Telah meninggal dunia pada tanggal : 10 Maret 2025",
            "adalah suami dari",
            "Binti : Hasan Basri",
        ],
    },
    Kasus {
        jenis: "pengantar-perkawinan",
        berkas: "pengantar-rt,kk-ktp-nikah,surat-gereja",
        status: "Belum Kawin",
        agama: "Katolik",
        nik: NIK_P,
        isian: &[
            "calon_nama=Yohanes Simanjuntak",
            "calon_nik=1571091203850021",
            "calon_alamat=Jl. Sumbawa No. 3, Jambi",
            "tempat_perkawinan=Gereja Katedral Santa Teresia Jambi",
            "tanggal_perkawinan=2026-12-19",
            "ayah_nama=Paulus Sinaga",
            "ibu_nama=Maria Lumban Gaol",
        ],
        harus: &[
            "SURAT PENGANTAR PERKAWINAN",
            "Yohanes Simanjuntak",
            "Gereja Katedral",
            "19 Desember 2026",
            "Pencatatan Sipil",
        ],
    },
    Kasus {
        jenis: "sk-domisili",
        berkas: "pengantar-rt,kk-ktp",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_P,
        isian: &["lama_tinggal=12 tahun"],
        harus: &["SURAT KETERANGAN DOMISILI", "12 tahun"],
    },
    Kasus {
        jenis: "sktm",
        berkas: "pengantar-rt,kk-ktp,pernyataan-tidak-mampu",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_P,
        isian: &["penghasilan=Rp1.500.000", "jumlah_tanggungan=4"],
        harus: &["SURAT KETERANGAN TIDAK MAMPU", "400.10.4.4/", "Rp1.500.000"],
    },
    Kasus {
        jenis: "sk-usaha",
        berkas: "pengantar-rt,kk-ktp,pbb",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_P,
        isian: &[
            "nama_usaha=Kedai Kopi Batanghari",
            "jenis_usaha=Kuliner",
            "alamat_usaha=Jl. Aroepala No. 3",
            "mulai_usaha=2018",
        ],
        harus: &["SURAT KETERANGAN USAHA", "Kedai Kopi Batanghari"],
    },
    Kasus {
        jenis: "sk-belum-menikah",
        berkas: "pengantar-rt,kk-ktp,pernyataan-belum-menikah",
        status: "Belum Kawin",
        agama: "Islam",
        nik: NIK_P,
        isian: &[],
        harus: &[
            "SURAT KETERANGAN BELUM MENIKAH",
            "belum pernah menikah",
            "Belum Kawin",
        ],
    },
    Kasus {
        jenis: "pengantar-kematian",
        berkas: "pengantar-rt,kk-ktp,ktp-almarhum",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_P,
        isian: &[
            "almarhum_nama=Abdul Muthalib",
            "almarhum_nik=1571091203500021",
            "almarhum_alamat=Jl. Kapten Pattimura No. 12",
            "tanggal_meninggal=2026-11-01",
            "tempat_meninggal=RSUD Raden Mattaher",
            "hubungan_pelapor=Anak",
        ],
        harus: &[
            "SURAT PENGANTAR KEMATIAN",
            "dari almarhum,",
            "Minggu, 1 November 2026",
        ],
    },
    Kasus {
        jenis: "pengantar-pindah",
        berkas: "pengantar-rt,kk-ktp",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_P,
        isian: &[
            "alamat_tujuan=Kel. Sukarami, Kota Palembang",
            "alasan_pindah=Pekerjaan",
            "pengikut=Rahmat Hidayat; 1571091203850021; Suami | Nur Aini; 1571094101150002; Anak",
        ],
        harus: &[
            "SURAT PENGANTAR PINDAH",
            "Kota Palembang",
            "2 orang",
            "Rahmat Hidayat",
            "1571094101150002",
            "Suami",
        ],
    },
    Kasus {
        jenis: "pengantar-skck",
        berkas: "pengantar-rt,kk-ktp,pas-foto-4x6",
        status: "Belum Kawin",
        agama: "Islam",
        nik: NIK_L,
        isian: &[],
        harus: &["SURAT PENGANTAR SKCK", "100.2.2.5/", "Catatan Kepolisian"],
    },
    Kasus {
        jenis: "sk-kelahiran",
        berkas: "pengantar-rt,kk-ktp,keterangan-lahir,buku-nikah",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_L,
        isian: &[
            "bayi_nama=Muhammad Alif",
            "bayi_jenis_kelamin=L",
            "bayi_tanggal_lahir=2026-11-10",
            "bayi_tempat_lahir=RS Siloam Jambi",
            "bayi_jam_lahir=07.45 WIB",
            "anak_ke=2",
            "ayah_nama=Rahmat Hidayat",
            "ayah_nik=1571091203850021",
            "ibu_nama=Siti Aminah",
            "ibu_nik=1571094506900003",
            "hubungan_pelapor=Ayah",
        ],
        harus: &[
            "SURAT KETERANGAN KELAHIRAN",
            "Muhammad Alif",
            "Laki-laki",
            "Selasa, 10 November 2026",
            "selaku ayah",
        ],
    },
    Kasus {
        jenis: "sk-kematian",
        berkas: "pengantar-rt,kk-ktp,ktp-almarhum",
        status: "Cerai Mati",
        agama: "Islam",
        nik: NIK_P,
        isian: &[
            "almarhum_nama=Rahmat Hidayat",
            "almarhum_nik=1571091203850021",
            "almarhum_alamat=Jl. Kapten Pattimura No. 12",
            "tanggal_meninggal=2026-10-05",
            "tempat_meninggal=Rumah",
            "sebab_meninggal=Sakit",
            "hubungan_pelapor=Istri",
        ],
        harus: &[
            "SURAT KETERANGAN KEMATIAN",
            "istri dari almarhum berikut",
            "Umur : 41 tahun",
            "Taspen",
        ],
    },
    Kasus {
        jenis: "sk-ahli-waris",
        berkas: "pengantar-rt,kk-ktp,akta-kematian,kk-ktp-ahli-waris,pernyataan-ahli-waris",
        status: "Cerai Mati",
        agama: "Islam",
        nik: NIK_P,
        isian: &[
            "almarhum_nama=Abdul Muthalib",
            "almarhum_nik=1571091203500021",
            "tanggal_meninggal=2026-08-17",
            "tempat_meninggal=Jambi",
            AHLI_WARIS,
        ],
        harus: &[
            "SURAT KETERANGAN AHLI WARIS",
            "ahli waris dari almarhum",
            "Budi Santoso",
            "Istri",
            "12 Maret 1985",
        ],
    },
    Kasus {
        jenis: "sk-domisili-usaha",
        berkas: "pengantar-rt,kk-ktp,pbb",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_P,
        isian: &[
            "nama_usaha=Toko Sembako Berkah",
            "jenis_usaha=Perdagangan eceran",
            "alamat_usaha=Jl. Aroepala No. 9",
            "mulai_usaha=2020",
        ],
        harus: &[
            "SURAT KETERANGAN DOMISILI USAHA",
            "Toko Sembako Berkah",
            "500.2.2.4/",
        ],
    },
    Kasus {
        jenis: "pengantar-kk",
        berkas: "pengantar-rt,kk-ktp",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_L,
        isian: &[
            "jenis_permohonan=Perubahan data (penambahan anggota keluarga)",
            "anggota=Rahmat Hidayat; 1571091203850021; Kepala Keluarga | Siti Aminah; 1571094506900003; Istri",
        ],
        harus: &[
            "SURAT PENGANTAR KARTU KELUARGA",
            "penambahan anggota",
            "Kepala Keluarga",
        ],
    },
    Kasus {
        jenis: "pengantar-ktp",
        berkas: "pengantar-rt,kk-asli",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_P,
        isian: &["jenis_permohonan=Pengganti KTP yang hilang"],
        harus: &[
            "SURAT PENGANTAR KTP ELEKTRONIK",
            "Kartu Keluarga nomor 1571090101100001",
            "hilang",
        ],
    },
    Kasus {
        jenis: "sk-penghasilan",
        berkas: "pengantar-rt,kk-ktp,pernyataan-penghasilan",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_L,
        isian: &[
            "penghasilan=Rp2.500.000",
            "sumber_penghasilan=Pedagang sayur",
        ],
        harus: &[
            "SURAT KETERANGAN PENGHASILAN",
            "Rp2.500.000",
            "Pedagang sayur",
        ],
    },
    Kasus {
        jenis: "sk-janda-duda",
        berkas: "pengantar-rt,kk-ktp,akta-cerai-kematian-pasangan",
        status: "Cerai Mati",
        agama: "Islam",
        nik: NIK_P,
        isian: &[
            "pasangan_nama=Rahmat Hidayat",
            "tanggal_peristiwa=2025-03-10",
        ],
        harus: &[
            "SURAT KETERANGAN JANDA Nomor",
            "janda cerai mati",
            "suaminya, Rahmat Hidayat, telah meninggal dunia",
        ],
    },
    Kasus {
        jenis: "sk-beda-identitas",
        berkas: "pengantar-rt,kk-ktp,dokumen-berbeda",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_P,
        isian: &[
            "dokumen_pertama=KTP",
            "data_pertama=Siti Aminah, lahir 5 Juni 1990",
            "dokumen_kedua=Ijazah SMA",
            "data_kedua=Siti Aminah binti Hasan, lahir 5 Juni 1990",
        ],
        harus: &[
            "SURAT KETERANGAN BEDA IDENTITAS",
            "satu orang yang sama",
            "Ijazah SMA",
        ],
    },
    Kasus {
        jenis: "sk-belum-memiliki-rumah",
        berkas: "pengantar-rt,kk-ktp,pernyataan-belum-punya-rumah",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_L,
        isian: &["status_tempat_tinggal=menyewa"],
        harus: &[
            "SURAT KETERANGAN BELUM MEMILIKI RUMAH",
            "belum memiliki rumah sendiri",
            "menyewa",
        ],
    },
    Kasus {
        jenis: "sk-domisili-lembaga",
        berkas: "pengantar-rt,ktp-pengurus,akta-lembaga",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_L,
        isian: &[
            "nama_lembaga=Yayasan Pendidikan Al-Ikhlas",
            "bidang_lembaga=Pendidikan anak usia dini",
            "alamat_lembaga=Jl. Aroepala No. 21",
            "akta_pendirian=No. 12 Tahun 2019",
            "jabatan_pemohon=Ketua",
        ],
        harus: &[
            "SURAT KETERANGAN DOMISILI LEMBAGA",
            "Yayasan Pendidikan Al-Ikhlas",
            "200.1.4.4/",
        ],
    },
    Kasus {
        jenis: "pengantar-kehilangan",
        berkas: "pengantar-rt,kk-ktp,kronologi-kehilangan",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_P,
        isian: &[
            "barang_hilang=Dompet berisi KTP dan ATM",
            "tanggal_kehilangan=2026-11-12",
            "tempat_kehilangan=Pasar Angso Duo",
        ],
        harus: &[
            "SURAT PENGANTAR KEHILANGAN",
            "Pasar Angso Duo",
            "12 November 2026",
        ],
    },
    Kasus {
        jenis: "pengantar-izin-keramaian",
        berkas: "pengantar-rt,kk-ktp,susunan-acara,persetujuan-tetangga",
        status: "Kawin",
        agama: "Islam",
        nik: NIK_L,
        isian: &[
            "nama_acara=Resepsi pernikahan",
            "tanggal_acara=2026-12-20",
            "waktu_acara=10.00-16.00 WIB",
            "tempat_acara=Halaman rumah, Jl. Kapten Pattimura No. 12",
            "hiburan=Organ tunggal",
            "jumlah_tamu=300",
        ],
        harus: &[
            "SURAT PENGANTAR IZIN KERAMAIAN",
            "Minggu, 20 Desember 2026",
            "300.1.4/",
        ],
    },
];

fn issue_kasus(ws: &Ws, id: usize, k: &Kasus) -> serde_json::Value {
    let status = format!("status_perkawinan={}", k.status);
    let agama = format!("agama={}", k.agama);
    let mut args = vec![
        "permohonan",
        "baru",
        "--jenis",
        k.jenis,
        "--nama",
        if k.nik == NIK_P {
            "Siti Aminah"
        } else {
            "Rahmat Hidayat"
        },
        "--nik",
        k.nik,
        "--kk",
        "1571090101100001",
        "--alamat",
        crate::ALAMAT,
        "--rt",
        "9",
        "--rw",
        "3",
        "--berkas",
        k.berkas,
        "--isian",
        "tempat_lahir=Jambi",
        "pekerjaan=Wiraswasta",
        &status,
        &agama,
    ];
    args.extend_from_slice(k.isian);
    let out = ws.run(&args);
    assert!(
        out.status.success(),
        "{}: {}",
        k.jenis,
        String::from_utf8_lossy(&out.stderr)
    );
    crate::letters::issue(ws, &id.to_string(), &[])
}

/// The letter's text as read back, lines kept, with what changes from run to run (the
/// verification code) written as X.
fn golden_text(pdf: &Path, kode: &str) -> String {
    let bytes = std::fs::read(pdf).unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let mut out = String::new();
    for line in text.replace(kode, "XXXX-XXXX-XXXX").lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn every_catalog_type_prints_a_one_page_letter_with_its_own_words() {
    crate::during_report_month();
    let ws = Ws::init();
    let katalog = ws.json(&["katalog"]);
    let types: Vec<&str> = katalog["jenis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["kode"].as_str().unwrap())
        .collect();
    assert!(types.len() >= 20, "{types:?}");
    for t in &types {
        assert!(KASUS.iter().any(|k| k.jenis == *t), "no case for {t}");
    }
    let golden_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/surat");
    let write = std::env::var("KELURAHAN_GOLDEN").is_ok_and(|v| v == "tulis");
    let mut differ = Vec::new();
    for (i, k) in KASUS.iter().enumerate() {
        let p = issue_kasus(&ws, i + 1, k);
        let pdf = ws.dir.join(p["surat"]["berkas"].as_str().unwrap());
        // To look at them as pages: KELURAHAN_SIMPAN_PDF=/some/folder.
        if let Some(dir) = std::env::var_os("KELURAHAN_SIMPAN_PDF") {
            std::fs::copy(&pdf, Path::new(&dir).join(format!("{}.pdf", k.jenis))).unwrap();
        }
        assert_eq!(
            lopdf::Document::load(&pdf).unwrap().get_pages().len(),
            1,
            "{}: one page",
            k.jenis
        );
        let text = pdf_text(&pdf);
        for h in k.harus {
            assert!(text.contains(h), "{}: «{h}» missing from:\n{text}", k.jenis);
        }
        assert!(!text.contains("almarhum/almarhumah"), "{}: {text}", k.jenis);
        let golden = golden_text(&pdf, p["surat"]["kode_verifikasi"].as_str().unwrap());
        let file = golden_dir.join(format!("{}.txt", k.jenis));
        if write {
            std::fs::create_dir_all(&golden_dir).unwrap();
            std::fs::write(&file, &golden).unwrap();
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(golden.as_str()) {
            differ.push(format!("{}:\n{golden}", file.display()));
        }
    }
    assert!(
        differ.is_empty(),
        "the wording changed (review, then KELURAHAN_GOLDEN=tulis):\n{}",
        differ.join("\n")
    );
}

/// How far right the text of a page reaches, in points: each text run's start (Typst
/// places every run with its own `cm`) plus the advance of its glyphs, from the widths the
/// embedded fonts declare (`/W`) and the run's kerning.
fn rightmost_text(pdf: &Path) -> (f64, f64, usize) {
    use lopdf::{Document, Object, content::Content};
    let doc = Document::load(pdf).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let page_dict = doc.get_dictionary(page).unwrap();
    let mb = page_dict.get(b"MediaBox").unwrap().as_array().unwrap();
    let num = |o: &Object| {
        o.as_float()
            .map(f64::from)
            .or_else(|_| o.as_i64().map(|i| i as f64))
            .unwrap()
    };
    let page_width = num(&mb[2]) - num(&mb[0]);
    let deref = |o: &Object| match o {
        Object::Reference(r) => doc.get_object(*r).unwrap().clone(),
        o => o.clone(),
    };
    // Glyph widths per font resource name.
    let mut widths: std::collections::HashMap<Vec<u8>, (std::collections::HashMap<u32, f64>, f64)> =
        Default::default();
    for (name, font) in doc.get_page_fonts(page).unwrap() {
        let desc = deref(&font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0]);
        let desc = desc.as_dict().unwrap();
        let dw = desc.get(b"DW").map(num).unwrap_or(1000.0);
        let mut w = std::collections::HashMap::new();
        if let Ok(arr) = desc.get(b"W") {
            let arr = deref(arr);
            let arr = arr.as_array().unwrap();
            let mut i = 0;
            while i < arr.len() {
                let first = num(&arr[i]) as u32;
                match deref(&arr[i + 1]) {
                    Object::Array(list) => {
                        for (k, v) in list.iter().enumerate() {
                            w.insert(first + k as u32, num(v));
                        }
                        i += 2;
                    }
                    last => {
                        for c in first..=(num(&last) as u32) {
                            w.insert(c, num(&arr[i + 2]));
                        }
                        i += 3;
                    }
                }
            }
        }
        widths.insert(name, (w, dw));
    }
    let content = Content::decode(&doc.get_page_content(page)).unwrap();
    let (mut x, mut font, mut size) = (0.0, Vec::new(), 0.0);
    let (mut right, mut glyphs) = (0.0f64, 0usize);
    for op in content.operations {
        match op.operator.as_str() {
            "cm" => x = num(&op.operands[4]),
            "Tf" => {
                font = op.operands[0].as_name().unwrap().to_vec();
                size = num(&op.operands[1]);
            }
            "TJ" => {
                let (w, dw) = &widths[&font];
                let mut advance = 0.0;
                for item in op.operands[0].as_array().unwrap() {
                    match item {
                        Object::String(bytes, _) => {
                            for pair in bytes.chunks(2) {
                                let gid = (u32::from(pair[0]) << 8)
                                    | u32::from(*pair.get(1).unwrap_or(&0));
                                advance += w.get(&gid).copied().unwrap_or(*dw) / 1000.0 * size;
                                glyphs += 1;
                            }
                        }
                        other => advance -= num(other) / 1000.0 * size,
                    }
                }
                right = right.max(x + advance);
            }
            _ => {}
        }
    }
    (right, page_width, glyphs)
}

/// A name of 120 letters typed without a space (the longest a name may be), and long
/// unbroken values in the other fields, stay inside the right margin (2 cm): measured
/// from each text run's position and its glyphs' widths in the PDF.
#[test]
fn an_unbroken_name_stays_inside_the_margin() {
    let ws = Ws::init();
    let nama = format!("Siti{}", "a".repeat(116));
    let alamat = format!("Jl.{}", "X".repeat(150));
    let usaha = format!("nama_usaha={}", "W".repeat(180));
    ws.ok(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-usaha",
        "--nama",
        &nama,
        "--nik",
        NIK_P,
        "--alamat",
        &alamat,
        "--rt",
        "9",
        "--rw",
        "3",
        "--berkas",
        "pengantar-rt,kk-ktp,pbb",
        "--isian",
        "tempat_lahir=Jambi",
        "agama=Islam",
        "pekerjaan=Wiraswasta",
        "status_perkawinan=Kawin",
        &usaha,
        "jenis_usaha=Kuliner",
        "alamat_usaha=Jl. Aroepala",
        "mulai_usaha=2019",
    ]);
    let p = crate::letters::issue(&ws, "1", &[]);
    let pdf = ws.dir.join(p["surat"]["berkas"].as_str().unwrap());
    assert_eq!(
        lopdf::Document::load(&pdf).unwrap().get_pages().len(),
        1,
        "still one page"
    );
    let (right, width, glyphs) = rightmost_text(&pdf);
    assert!(glyphs > 500, "the text was read: {glyphs} glyphs");
    let margin = 2.0 / 2.54 * 72.0;
    // A justified line may end in a space, which counts here but is not seen: 4 pt.
    assert!(
        right <= width - margin + 4.0,
        "text reaches {right:.1} pt; the margin starts at {:.1} pt",
        width - margin
    );
}

/// The KUA's models the couple and their parents sign (N2, N4, N5) print blank, and filled
/// from a marriage request: suami and istri by the sex in the applicant's NIK, bin and
/// binti from the fathers' names; one page each. Another type of request is refused.
#[test]
fn the_marriage_models_n2_n4_n5_print_blank_and_filled() {
    let ws = Ws::init();
    let mut args = vec![
        "permohonan",
        "baru",
        "--jenis",
        "pengantar-nikah",
        "--nama",
        "Siti Aminah",
        "--nik",
        NIK_P,
        "--berkas",
        "pengantar-rt,kk-ktp-nikah,pas-foto-nikah,pbb",
        "--alamat",
        crate::ALAMAT,
        "--rt",
        "9",
        "--rw",
        "3",
        "--isian",
        "tempat_lahir=Jambi",
        "agama=Islam",
        "pekerjaan=Guru",
        "status_perkawinan=Belum Kawin",
        "calon_nama=Rahmat Hidayat",
        "calon_nik=1571091203850021",
        "calon_ayah_nama=Abdul Muthalib",
        "ayah_nama=Hasan Basri",
        "ibu_nama=Halimah",
        "akad_tempat=Masjid Agung Al-Falah",
        "maskawin=Seperangkat alat salat",
    ];
    args.retain(|a| !a.is_empty());
    ws.ok(&args);
    for (model, words) in [
        (
            "n2",
            &[
                "Model N2",
                "FORMULIR PERMOHONAN KEHENDAK NIKAH",
                "Calon Suami : Rahmat Hidayat",
                "Calon Istri : Siti Aminah",
                "Masjid Agung Al-Falah",
                "Kepala KUA Kecamatan Alam Barajo",
            ][..],
        ),
        (
            "n4",
            &[
                "Model N4",
                "PERSETUJUAN CALON PENGANTIN",
                "Bin : Abdul Muthalib",
                "Binti : Hasan Basri",
                "setuju untuk melangsungkan pernikahan",
            ],
        ),
        (
            "n5",
            &[
                "Model N5",
                "SURAT IZIN ORANG TUA",
                "Hasan Basri",
                "Halimah",
                "memberikan izin kepada anak kami",
                "Rahmat Hidayat",
            ],
        ),
    ] {
        let filled = ws.json(&["blanko", model, "1"]);
        let file = Path::new(filled[0]["berkas"].as_str().unwrap()).to_path_buf();
        let text = pdf_text(&file);
        for w in words {
            assert!(text.contains(w), "{model}: «{w}» missing from {text}");
        }
        if model == "n2" {
            assert!(
                !text.contains(NIK_P),
                "N2 names the couple, it prints no NIK"
            );
        }
        let blank = ws.json(&["blanko", model]);
        let file = Path::new(blank[0]["berkas"].as_str().unwrap()).to_path_buf();
        assert_eq!(
            lopdf::Document::load(&file).unwrap().get_pages().len(),
            1,
            "{model}"
        );
        assert!(!pdf_text(&file).contains("Siti Aminah"), "{model}: blank");
    }
    ws.baru("Budi Santoso");
    let err = ws.fails(1, &["blanko", "n4", "2"]);
    assert!(err.contains("bukan permohonan pengantar nikah"), "{err}");
}

/// Each type's own required fields are named when missing, at intake, for every type in
/// the catalog (the identity given, the type's fields left out).
#[test]
fn every_type_names_its_missing_required_fields_at_intake() {
    let ws = Ws::init();
    let katalog = ws.json(&["katalog"]);
    for j in katalog["jenis"].as_array().unwrap() {
        let kode = j["kode"].as_str().unwrap();
        let berkas: Vec<&str> = j["berkas"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["wajib"] == true)
            .map(|b| b["kode"].as_str().unwrap())
            .collect();
        let berkas = berkas.join(",");
        let mut args = vec![
            "permohonan",
            "baru",
            "--jenis",
            kode,
            "--nama",
            "Siti Aminah",
            "--nik",
            NIK_P,
            "--kk",
            "1571090101100001",
            "--berkas",
            &berkas,
        ];
        args.extend_from_slice(&crate::IDENTITAS);
        let wajib: Vec<&str> = j["isian"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["wajib"] == true)
            .map(|i| i["kunci"].as_str().unwrap())
            .collect();
        if wajib.is_empty() {
            continue;
        }
        let err = ws.fails(1, &args);
        for k in wajib {
            assert!(
                err.contains(&format!("isian {k}: ")) && err.contains(&format!("--isian {k}=")),
                "{kode}: «{k}» not named in: {err}"
            );
        }
    }
    assert_eq!(ws.snapshot(), serde_json::json!([]), "nothing written");
}

/// A 2 x 2 red and blue PNG, made for this test.
const LOGO_PNG: [u8; 74] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0,
    0, 0, 253, 212, 154, 115, 0, 0, 0, 17, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 0, 68, 12,
    96, 242, 63, 0, 27, 242, 3, 253, 243, 231, 75, 177, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96,
    130,
];

/// The letterhead carries the office's logo and telephone line when the profile has them.
#[test]
fn the_letterhead_carries_the_logo_and_the_telephone() {
    let ws = Ws::init();
    std::fs::write(ws.dir.join("logo.png"), LOGO_PNG).unwrap();
    let profile = ws.dir.join("kelurahan.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(
        &profile,
        text.replacen("telepon = \"\"", "telepon = \"(0741) 570123\"", 1)
            .replacen("logo = \"\"", "logo = \"logo.png\"", 1),
    )
    .unwrap();
    ws.baru("Siti Aminah");
    let p = crate::letters::issue(&ws, "1", &[]);
    let pdf = ws.dir.join(p["surat"]["berkas"].as_str().unwrap());
    assert!(pdf_text(&pdf).contains("Telp. (0741) 570123"));
    let doc = lopdf::Document::load(&pdf).unwrap();
    let images = doc
        .objects
        .values()
        .filter(|o| {
            o.as_stream().is_ok_and(|s| {
                s.dict
                    .get(b"Subtype")
                    .and_then(|v| v.as_name())
                    .is_ok_and(|n| n == b"Image")
            })
        })
        .count();
    assert!(images >= 1, "the logo is in the letter as an image");
}
