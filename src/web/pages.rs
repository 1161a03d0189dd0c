//! The web page's HTML (maud: checked at compile time, every value escaped): the
//! layout, the login form, error pages, today's work.

use axum::http::StatusCode;
use maud::{DOCTYPE, Markup, html};

use crate::config::workspace::Workspace;
use crate::domain::calendar;
use crate::domain::daftar::Daftar;
use crate::domain::katalog::{JenisSurat, TipeIsian};
use crate::domain::pengguna::PeranPengguna;
use crate::domain::pengguna::Sesi;
use crate::domain::periode::Periode;
use crate::domain::permohonan::{Masalah, Masukan, Permohonan};
use crate::domain::surat::{Surat, SuratLama};
use crate::domain::workflow::Tahap;
use crate::services::akses;

/// One style sheet for every page (no inline style: the policy forbids it). Phone first
/// where it matters: a list table becomes one card per row under 40rem, each cell with
/// its column's name (`data-label`); a table of label and value stays a table; any other
/// wide table scrolls inside its own box, never the page. The register's filters fold
/// under "Saring" on a phone; on a PC, where the browser lets a style unfold a
/// `details` box (`::details-content`), they are always shown and "Saring" is not.
const CSS: &str = "
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font-family:system-ui,sans-serif;font-size:1rem;line-height:1.45;margin:0;color:#1d2330;background:#f6f7f9;overflow-wrap:break-word}
a{color:#0b4f8a}
header{background:#17456b;color:#fff;padding:.3rem 1rem;display:flex;flex-wrap:wrap;gap:0 1rem;align-items:center}
header a{color:#fff}
header .judul{font-weight:700;padding:.45rem 0}
header nav{display:flex;flex-wrap:wrap;gap:0 .2rem}
header nav a{display:inline-block;padding:.45rem .45rem}
header .akun{margin-left:auto;display:flex;flex-wrap:wrap;justify-content:flex-end;align-items:center;gap:.25rem .75rem;padding:.2rem 0}
header .akun form{margin:0}
header .akun button{min-height:2.25rem;padding:.3rem .8rem;background:#fff;color:#17456b;border-color:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:.6rem 0 1rem}
h2{font-size:1.3rem;line-height:1.25;margin:1.6rem 0 .6rem}
h3{font-size:1.1rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #c9ced6;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#e4e9f0}
table.data th{width:14rem}
.gulir{overflow-x:auto;max-width:100%}
.lewat{color:#a31515;font-weight:600}
.pesan{background:#fff3cd;border:1px solid #e0c36a;padding:.5rem .75rem;border-radius:4px}
.pesan.berhasil{background:#e3f1e6;border-color:#8cc49a}
.galat{background:#fde2e2;border:1px solid #d88;padding:.5rem .75rem;border-radius:4px}
.keadaan{background:#e7eef6;border-left:6px solid #17456b;padding:.5rem .75rem;margin:0 0 1rem}
.keadaan p{margin:.2rem 0}
.keadaan.berhenti{background:#fde2e2;border-left-color:#8a1c1c}
.keadaan.selesai{background:#e3f1e6;border-left-color:#1c6b3a}
.ada{color:#1c6b3a;font-weight:600}.belum{color:#a31515;font-weight:600}
ul.berkas{list-style:none;padding:0}ul.berkas li{padding:.15rem 0}
label{display:block;margin:.7rem 0 .25rem}
label.centang{display:flex;gap:.6rem;align-items:flex-start;margin:.15rem 0;padding:.35rem 0;cursor:pointer}
input[type=checkbox],input[type=radio]{width:1.25rem;height:1.25rem;margin:.1rem 0 0;flex:none}
input[type=text],input[type=password],input[type=search],select,textarea{width:100%;max-width:22rem;min-height:2.75rem;padding:.4rem .55rem;font-size:1rem;font-family:inherit;color:inherit;background:#fff;border:1px solid #8a94a6;border-radius:4px}
input[type=search]{-webkit-appearance:none;appearance:none}
.unggah{position:relative;display:flex;flex-wrap:wrap;gap:.4rem .8rem;align-items:center;margin:.3rem 0}
input[type=file].pilih-berkas{position:absolute;left:0;top:0;width:1px;height:1px;margin:0;padding:0;border:0;opacity:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
label.tombol-berkas{display:inline-block;margin:0;padding:.6rem 1rem;min-height:2.75rem;background:#fff;color:#17456b;border:2px solid #17456b;border-radius:4px;font-weight:600;line-height:1.2;cursor:pointer}
input.pilih-berkas:focus-visible+label.tombol-berkas{outline:3px solid #0b4f8a;outline-offset:2px}
input.pilih-berkas:invalid~.berkas-dipilih,input.pilih-berkas:valid~.berkas-belum{display:none}
.berkas-dipilih{color:#1c6b3a;font-weight:600}.berkas-belum{color:#4a5261}
textarea{max-width:36rem}
fieldset{border:1px solid #c9ced6;border-radius:4px;margin:0 0 1rem;padding:.4rem 1rem 1rem;min-width:0}
legend{font-weight:600;padding:0 .3rem}
.bantuan{margin:.1rem 0 .3rem;font-size:.9rem;color:#4a5261}
button{min-height:2.75rem;padding:.5rem 1rem;font-size:1rem;font-family:inherit;line-height:1.2;color:#1d2330;background:#fff;border:1px solid #6b7586;border-radius:4px;cursor:pointer}
button.utama{background:#1c6b3a;border-color:#1c6b3a;color:#fff;font-weight:600}
button.bahaya{background:#fff;color:#8a1c1c;border:2px solid #8a1c1c;font-weight:600}
.baris{display:flex;gap:.5rem;max-width:22rem}.baris input{flex:1;min-width:0}
fieldset.anggota{max-width:36rem}
a.tombol{display:inline-block;padding:.6rem 1rem;background:#17456b;color:#fff;text-decoration:none;border:1px solid #17456b;border-radius:4px;line-height:1.2}
a.tombol.kedua{background:#fff;color:#17456b}
.tombol-baris{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
form.saring{max-width:60rem;margin:0 0 1rem}
form.saring .baris{max-width:36rem}
form.saring .baris button{flex:none}
form.saring p.bantuan{margin:.3rem 0 .2rem}
details.saring summary{cursor:pointer;padding:.6rem 0;color:#0b4f8a;font-weight:600}
details.saring summary .bantuan{font-weight:400}
.saring-isi{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:0 1rem;align-items:end}
.saring-isi label{margin-top:.3rem}
form.saring select{max-width:none}
nav.halaman{margin:1rem 0}
.buat-laporan{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:1rem;margin:0 0 1rem}
form.laporan{background:#fff;border:1px solid #c9ced6;border-radius:4px;padding:.2rem 1rem .6rem}
form.laporan h2{font-size:1.15rem;margin:.7rem 0 .2rem}
form.laporan select{max-width:none}
details.akhiri{margin-top:1.2rem;border-top:1px solid #c9ced6;padding-top:.3rem}
details.akhiri summary{cursor:pointer;color:#8a1c1c;padding:.5rem 0}
dl.ringkas dt{font-weight:600;margin-top:.4rem}dl.ringkas dd{margin:0}
ul.pilihan{list-style:none;padding:0;max-width:36rem}ul.pilihan li a{display:block;padding:.55rem .75rem;margin:0 0 .3rem;background:#fff;border:1px solid #c9ced6;border-radius:4px;text-decoration:none}
@media (max-width:40rem){
main{padding:.75rem}
h1{font-size:1.45rem}
header{padding:.2rem .75rem}
header .judul{flex-basis:100%;padding-bottom:0}
header nav{margin-left:-.45rem}
table.data th{width:40%}
table.daftar,table.daftar tbody,table.daftar tr,table.daftar td{display:block;width:100%}
table.daftar{background:none}
table.daftar thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
table.daftar tr{background:#fff;border:1px solid #c9ced6;border-radius:4px;margin:0 0 .6rem;padding:.35rem .6rem}
table.daftar td{display:flow-root;border:0;padding:.2rem 0 .2rem 8.5rem}
table.daftar td::before{content:attr(data-label);float:left;width:8rem;margin-left:-8.5rem;font-weight:600;color:#4a5261}
table:not(.daftar):not(.data):not(.tetap){display:block;overflow-x:auto}
input[type=text],input[type=password],input[type=search],select,textarea,.baris,form.saring .baris{max-width:none}
}
@supports selector(::details-content){
@media (min-width:40.01rem){
details.saring>summary{display:none}
details.saring::details-content{content-visibility:visible}
}
}
";

/// The pages' one style sheet, served as `/gaya.css`.
pub fn css() -> &'static str {
    CSS
}

/// The Content-Security-Policy of every response: nothing but this site's own style
/// sheet, images and forms; no script at all, no framing.
pub fn content_security_policy() -> String {
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'"
        .to_string()
}

fn layout(judul: &str, sesi: Option<&Sesi>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (judul) " — kelurahan" }
                link rel="stylesheet" href="/gaya.css";
            }
            body {
                header {
                    a.judul href="/" { "Pelayanan Surat Kelurahan" }
                    @if let Some(s) = sesi {
                        nav aria-label="Menu" {
                            a href="/register" { "Register" }
                            @if s.pengguna.peran == PeranPengguna::Operator {
                                a href="/permohonan/baru" { "Permohonan baru" }
                            }
                            @if akses::boleh(s.pengguna.peran, akses::Tindakan::LihatPenduduk).is_ok() {
                                a href="/penduduk" { "Penduduk" }
                            }
                            a href="/blanko" { "Blanko" }
                            a href="/laporan" { "Laporan" }
                            @if s.pengguna.peran == PeranPengguna::Admin {
                                a href="/impor" { "Impor" }
                                a href="/surel" { "Kotak keluar" }
                                a href="/jadwal" { "Jadwal" }
                            }
                        }
                        div.akun {
                            span { (s.pengguna.nama) " (" (peran_label(s.pengguna.peran)) ")" }
                            form method="post" action="/keluar" {
                                input type="hidden" name="csrf" value=(s.csrf);
                                button type="submit" { "Keluar" }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

pub fn peran_label(p: PeranPengguna) -> &'static str {
    p.label()
}

pub fn masuk(csrf: &str, pesan: Option<&str>, nama: Option<&str>, kantor: Option<&str>) -> Markup {
    layout(
        "Masuk",
        None,
        html! {
            h1 { "Masuk" }
            @if let Some(k) = kantor {
                p { "Pelayanan surat pengantar " strong { (k) } }
            }
            @if let Some(p) = pesan {
                p.galat role="alert" { (p) }
            }
            form method="post" action="/masuk" {
                input type="hidden" name="csrf" value=(csrf);
                label for="nama" { "Nama" }
                input type="text" id="nama" name="nama" autocomplete="username" required
                    value=(nama.unwrap_or_default());
                label for="sandi" { "Kata sandi" }
                input type="password" id="sandi" name="sandi" autocomplete="current-password" required;
                p { button.utama type="submit" { "Masuk" } }
            }
        },
    )
}

/// The public verification page (`/v/{kode}`): only what `verifikasi --kode` shows —
/// number, date, type, the holder's masked name, valid or void. No login, no NIK.
pub fn verifikasi(kelurahan: &str, kode: &str, v: &crate::services::surat::Verdict) -> Markup {
    layout(
        "Verifikasi surat",
        None,
        html! {
            h1 { "Verifikasi surat " (kelurahan) }
            p { "Kode verifikasi: " strong { (kode) } }
            @if v.sah {
                p.pesan role="status" { "SAH — surat ini diterbitkan oleh " (kelurahan) "." }
            } @else {
                p.galat role="alert" { (v.pesan) }
            }
            @if let Some(n) = &v.nomor {
                dl {
                    dt { "Nomor surat" } dd { (n) }
                    dt { "Jenis" } dd { (v.jenis.clone().unwrap_or_default()) }
                    dt { "Tanggal" } dd {
                        (v.tanggal.as_deref()
                            .and_then(|t| crate::domain::calendar::parse_tanggal(t).ok())
                            .map(crate::domain::calendar::tanggal)
                            .unwrap_or_default())
                    }
                    dt { "Atas nama" } dd { (v.nama_samaran.clone().unwrap_or_default()) }
                }
                p { "Cocokkan data ini dengan surat yang Anda pegang." }
            }
        },
    )
}

/// The applicant's status page: what the tracking code may tell, nothing personal.
pub fn lacak(kelurahan: &str, s: &crate::services::lacak::Lacak) -> Markup {
    layout(
        "Status permohonan",
        None,
        html! {
            h1 { "Status permohonan surat" }
            p { (kelurahan) }
            p.pesan role="status" { (s.keadaan) "." }
            dl {
                dt { "Nomor register" } dd { (s.nomor_register) }
                dt { "Jenis surat" } dd { (s.jenis) }
                dt { "Diajukan" } dd { (calendar::tanggal(s.tanggal)) }
                dt { "Langkah terakhir" } dd { (calendar::tanggal(s.langkah_terakhir)) }
                @if let Some(d) = s.perkiraan_surat {
                    dt { "Perkiraan surat selesai" } dd { (calendar::hari_tanggal(d)) }
                }
            }
            p.bantuan { "Halaman ini tidak menampilkan nama atau NIK. Simpan tanda terima Anda; tunjukkan saat mengambil surat." }
        },
    )
}

/// An error page: the message as a sentence, the person's menu, and the way back to the
/// request the step was about.
pub fn galat(
    status: StatusCode,
    pesan: &str,
    sesi: Option<&Sesi>,
    kembali: Option<&str>,
) -> Markup {
    // One sentence in the page's words: capital first, a full stop last, no backticks or
    // command-line options from a message the command line shares.
    let mut kalimat = layar(pesan.trim());
    if let Some(first) = kalimat.chars().next() {
        kalimat.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    if !kalimat.ends_with(['.', '!', '?']) {
        kalimat.push('.');
    }
    let judul = if status == StatusCode::NOT_FOUND {
        "Tidak ditemukan"
    } else {
        "Tidak dapat dilanjutkan"
    };
    layout(
        judul,
        sesi,
        html! {
            h1 { (judul) }
            p.galat role="alert" { (kalimat) }
            p.tombol-baris {
                @if let Some(href) = kembali {
                    a.tombol href=(href) { "Kembali ke permohonan" }
                }
                @if sesi.is_some() {
                    a.tombol.kedua href="/" { "Pekerjaan hari ini" }
                } @else {
                    a.tombol.kedua href="/" { "Halaman utama" }
                }
            }
        },
    )
}

/// Today's work, a page at a time in the service's order (the service chose the page).
pub fn beranda(ws: &Workspace, sesi: &Sesi, w: &crate::services::pekerjaan::Pekerjaan) -> Markup {
    let (jumlah, halaman, pages) = (w.jumlah, w.halaman, w.jumlah_halaman);
    let dari = (halaman - 1) * super::PER_HALAMAN;
    let sampai = dari + w.daftar.len();
    let link = |n: usize| format!("/?halaman={n}");
    layout(
        "Pekerjaan hari ini",
        Some(sesi),
        html! {
            h1 { "Pekerjaan hari ini" }
            p { (ws.profil.kantor.kelurahan) }
            @let lewat = w.lewat;
            @if w.menunggu_laporan > 0 {
                p.pesan { (w.menunggu_laporan) " permohonan yang suratnya sudah terbit menunggu laporan bulanan; "
                    "laporan bulan ini mencatatnya (tahap 5 dan 6) sekaligus. "
                    a href="/laporan" { "Buka laporan" } }
            }
            @if w.tahap.is_empty() {
                // Roles that oversee: what stands where, and the month's reports.
                h2 { "Kedudukan permohonan" }
                table.tetap {
                    thead { tr { th { "Tahap" } th { "Jumlah" } } }
                    tbody {
                        @for c in &w.per_tahap {
                            tr { td { (c.tahap.label()) } td { (c.jumlah) } }
                        }
                    }
                }
                p.tombol-baris {
                    a.tombol href="/laporan" { "Laporan" }
                    a.tombol href="/register" { "Buku register" }
                    @if sesi.pengguna.peran == PeranPengguna::Admin {
                        a.tombol href="/impor" { "Impor register lama" }
                        a.tombol href="/surel" { "Kotak keluar surel" }
                        a.tombol href="/jadwal" { "Jadwal" }
                    }
                }
            } @else if w.daftar.is_empty() {
                p.pesan { "Tidak ada permohonan yang menunggu langkah Anda." }
            } @else {
                p { (jumlah) " permohonan menunggu langkah Anda (tahap: "
                    (w.tahap.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")) ")"
                    @if lewat > 0 { "; " strong.lewat { (lewat) " sudah lewat standar layanan dan belum bersurat" } }
                    @if pages > 1 { "; ditampilkan " (dari + 1) "–" (sampai) } "."
                    @if pages > 1 { " Yang lewat standar lebih dulu, lalu yang paling lama menunggu." } }
                table.daftar {
                    thead { tr {
                        th { "No. Register" } th { "Pemohon" } th { "Jenis surat" }
                        th { "Tahap" } th { "Menunggu" } th { "Sejak masuk" }
                    } }
                    tbody {
                        @for m in &w.daftar {
                            tr {
                                td data-label="No. Register" { a href={ "/permohonan/" (m.p.id) } { (m.p.nomor_register) } }
                                td data-label="Pemohon" { (m.p.nama) }
                                td data-label="Jenis surat" { (m.jenis_nama) }
                                td data-label="Tahap" { (m.p.tahap.label()) }
                                td data-label="Menunggu" { (m.hari_di_tahap) " hari kerja" }
                                td data-label="Sejak masuk" class=[m.lewat_standar.then_some("lewat")] {
                                    (m.hari_sejak_masuk) " dari " (m.standar_hari) " hari kerja"
                                    @if m.lewat_standar { " (lewat standar)" }
                                }
                            }
                        }
                    }
                }
                @if pages > 1 {
                    (halaman_nav(halaman, pages, link))
                }
            }
        },
    )
}

/// The links between the pages of a list: the previous and the next page, and where
/// this one stands.
fn halaman_nav(halaman: usize, pages: usize, link: impl Fn(usize) -> String) -> Markup {
    html! {
        nav.halaman aria-label="Halaman daftar" {
            p.tombol-baris {
                @if halaman > 1 { a.tombol href=(link(halaman - 1)) rel="prev" { "‹ Sebelumnya" } }
                span { "Halaman " (halaman) " dari " (pages) }
                @if halaman < pages { a.tombol href=(link(halaman + 1)) rel="next" { "Berikutnya ›" } }
            }
        }
    }
}

/// The button of the move into `ke`.
fn tombol(ke: Tahap) -> &'static str {
    match ke {
        Tahap::Diterima => "Terima: berkas lengkap, catat di register",
        Tahap::Diteruskan => "Teruskan ke Koordinator",
        Tahap::Ditindaklanjuti => "Tindak lanjuti dan terbitkan surat",
        Tahap::DilaporkanKeSeklur => "Laporkan ke Seklur",
        Tahap::DilaporkanKeLurah => "Laporkan ke Lurah",
        Tahap::Diajukan | Tahap::Ditolak | Tahap::Dibatalkan => "Lanjutkan",
    }
}

pub fn permohonan(
    ws: &Workspace,
    sesi: &Sesi,
    p: &Permohonan,
    surat: Option<&Surat>,
    lama: Option<&SuratLama>,
    perubahan: &[crate::store::PerubahanTercatat],
) -> Markup {
    let tz = ws.profil.tz();
    let jenis = ws.katalog.jenis(&p.jenis);
    let mine = sesi.pengguna.peran.sop();
    let next = p.tahap.next().filter(|(_, by)| Some(*by) == mine);
    // Refusing is the step of the role whose turn it is (the Operator checking papers,
    // the Kasi passing on, the Koordinator acting), not of anyone who opens the page.
    let can_refuse =
        p.tahap < Tahap::Ditindaklanjuti && p.tahap.next().is_some_and(|(_, by)| Some(by) == mine);
    // Accepting needs every required paper: the button waits until they are ticked.
    let kurang_berkas = p.berkas_kurang();
    let next = next.filter(|(ke, _)| *ke != Tahap::Diterima || kurang_berkas.is_empty());
    // The applicant's withdrawal is recorded by the Operator, who speaks with them.
    let can_cancel = p.tahap < Tahap::Ditindaklanjuti
        && sesi.pengguna.peran.sop() == Some(crate::domain::workflow::Peran::Operator);
    let bisa_lengkapi = p.tahap.isian_dapat_diubah()
        && akses::boleh(sesi.pengguna.peran, akses::Tindakan::LengkapiPermohonan).is_ok();
    let kurang_isi = p.tahap == Tahap::Diajukan
        && mine == Some(crate::domain::workflow::Peran::Operator)
        && !kurang_berkas.is_empty();
    let ada_langkah = next.is_some() || can_refuse || can_cancel || kurang_isi;
    // How it ended, when it ended without a letter: the history's last entry, its note
    // the reason (refused by the office, or withdrawn by the applicant).
    let akhir = p
        .riwayat
        .iter()
        .rev()
        .find(|r| r.ke == p.tahap)
        .filter(|_| p.tahap.tanpa_surat());
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    layout(
        &format!("Permohonan {}", p.nomor_register),
        Some(sesi),
        html! {
            h1 { "Permohonan " (p.nomor_register) }
            // Where it stands, first: a refusal or a withdrawal with its reason, in full,
            // for the clerk the applicant asks why.
            @if let Some(r) = akhir {
                div.keadaan.berhenti role="status" {
                    p { strong { (p.tahap.label()) } ", dicatat oleh " (r.oleh) " (" (r.peran.label()) "), "
                        (calendar::waktu(&r.waktu, tz)) "." }
                    @if let Some(c) = &r.catatan {
                        p { @if p.tahap == Tahap::Ditolak { "Alasan penolakan: " } @else { "Alasan pemohon: " } strong { (c) } }
                    }
                }
            } @else if let Some((_, by)) = p.tahap.next() {
                div.keadaan role="status" {
                    p { "Tahap: " strong { (p.tahap.label()) } ". "
                        @if Some(by) == mine { "Menunggu langkah Anda. " a href="#langkah" { "Ke langkah Anda" } }
                        @else { "Menunggu " (by.label()) "." } }
                }
            } @else {
                div.keadaan.selesai role="status" {
                    p { "Tahap: " strong { (p.tahap.label()) } "." }
                }
            }
            table.data {
                tr { th { "Jenis surat" } td { (jenis.map_or(p.jenis.as_str(), |j| j.nama.as_str())) } }
                @if let Some(a) = &p.jenis_asal {
                    tr { th { "Tertulis di buku lama" } td { (a) } }
                }
                tr { th { "Tanggal" } td { (calendar::hari_tanggal(p.tanggal)) } }
                tr { th { "Kanal" } td { (p.kanal.label()) } }
                tr { th { "Tahap" } td { (p.tahap.label()) } }
                tr { th { "Nama" } td { (p.nama) } }
                tr { th { "NIK" } td { (p.nik) } }
                tr { th { "No. KK" } td { (dash(&p.kk)) } }
                tr { th { "Alamat" } td { (dash(&p.alamat)) } }
                tr { th { "RT / RW" } td { (dash(&p.rt)) " / " (dash(&p.rw)) } }
                tr { th { "Telepon" } td { (dash(&p.telepon)) } }
                tr { th { "Keperluan" } td { (dash(&p.keperluan)) } }
                // What the letter will print, in the catalog's order.
                @if let Some(j) = jenis {
                    @for i in &j.isian {
                        @if let Some(v) = p.isian.get(&i.kunci) {
                            tr { th { (i.label) } td { (v) } }
                        }
                    }
                }
            }
            @if let Some(j) = jenis.filter(|_| p.tahap.isian_dapat_diubah()) {
                @let kurang = crate::services::surat::kurang(j, p);
                @if !kurang.is_empty() {
                    div.galat role="alert" {
                        p { "Surat belum dapat diterbitkan; isian berikut masih kosong:" }
                        ul { @for (_, label, _) in &kurang { li { (label) } } }
                        @if bisa_lengkapi {
                            p { a.tombol href={ "/permohonan/" (p.id) "/lengkapi" } { "Lengkapi isian" } }
                        } @else {
                            p { "Operator atau Koordinator melengkapinya." }
                        }
                    }
                }
            }
            h2 { "Berkas persyaratan" }
            @if p.berkas.is_empty() {
                p { "Tidak tercatat (permohonan dari register lama)." }
            }
            @if p.tahap == Tahap::Diajukan && sesi.pengguna.peran == PeranPengguna::Operator && !p.berkas.is_empty() {
                // Papers brought later are ticked here, before the request is accepted.
                form method="post" action={ "/permohonan/" (p.id) "/berkas" } {
                    input type="hidden" name="csrf" value=(sesi.csrf);
                    @for b in &p.berkas {
                        label.centang {
                            input type="checkbox" name="berkas" value=(b.kode) checked[b.ada];
                            span { (b.nama) @if !b.wajib { " (bila berlaku)" } }
                        }
                    }
                    p { button type="submit" { "Simpan berkas" } }
                }
            } @else {
                ul.berkas {
                    @for b in &p.berkas {
                        li {
                            @if b.ada { span.ada { "✓ Ada:" } } @else { span.belum { "✗ Belum ada:" } }
                            " " (b.nama) @if !b.wajib { " (bila berlaku)" }
                        }
                    }
                }
            }
            @if let Some(s) = surat {
                h2 { "Surat" }
                p { "Nomor " (s.nomor) ", " (calendar::tanggal(s.tanggal)) "."
                    @if s.batal.is_some() { " " strong { "Dibatalkan." } } }
                p { a.tombol href={ "/permohonan/" (p.id) "/surat.pdf" } { "Cetak surat (PDF)" } }
            }
            @if let Some(l) = lama {
                h2 { "Surat (dari register lama)" }
                p { "Nomor " (l.nomor) @if let Some(t) = l.tanggal { ", " (calendar::tanggal(t)) } ". Tidak ada PDF-nya." }
            }
            h2 { "Cetak" }
            p.tombol-baris {
                a.tombol.kedua href={ "/permohonan/" (p.id) "/tanda-terima.pdf" } { "Tanda terima berkas" }
                a.tombol.kedua href={ "/permohonan/" (p.id) "/lembar-kendali.pdf" } { "Lembar kendali" }
                @if p.jenis == "pengantar-nikah" {
                    a.tombol.kedua href={ "/permohonan/" (p.id) "/model-n2.pdf" } { "Model N2: kehendak nikah" }
                    a.tombol.kedua href={ "/permohonan/" (p.id) "/model-n4.pdf" } { "Model N4: persetujuan" }
                    a.tombol.kedua href={ "/permohonan/" (p.id) "/model-n5.pdf" } { "Model N5: izin orang tua" }
                }
            }
            @if let Some((href, what)) = crate::services::whatsapp::wa_link(p, jenis.map_or(p.jenis.as_str(), |j| j.nama.as_str()), &ws.profil.kantor.kelurahan, surat, p.kode_lacak.as_deref().and_then(|k| ws.profil.dokumen.url_lacak(&crate::domain::permohonan::kode_lacak_cetak(p.id, k))).as_deref()) {
                p { a href=(href) target="_blank" rel="noopener noreferrer" { (what) " lewat WhatsApp" } }
            }
            @if ada_langkah {
                h2 id="langkah" { "Langkah Anda" }
            }
            @if kurang_isi {
                p.pesan { "Permohonan diterima setelah semua berkas wajib ada. Belum ada: "
                    (kurang_berkas.join("; ")) ". Centang berkas yang dibawa pemohon di atas, atau tolak bila pemohon tidak melengkapinya." }
            }
            @if let Some((ke, _)) = next {
                form method="post" action={ "/permohonan/" (p.id) "/lanjut" } {
                    input type="hidden" name="csrf" value=(sesi.csrf);
                    input type="hidden" name="dari" value=(p.tahap.kode());
                    label for="catatan" { "Catatan (boleh kosong)" }
                    input type="text" id="catatan" name="catatan";
                    p { button.utama type="submit" { (tombol(ke)) } }
                }
            }
            // Ending a request is a second, deliberate step: folded away, its own look,
            // and a box to tick (works without script).
            @if can_refuse {
                details.akhiri {
                    summary { "Tolak permohonan…" }
                    form method="post" action={ "/permohonan/" (p.id) "/tolak" } {
                        input type="hidden" name="csrf" value=(sesi.csrf);
                        label for="alasan" { "Alasan penolakan (dibaca pemohon)" }
                        input type="text" id="alasan" name="alasan" required;
                        label.centang { input type="checkbox" name="yakin" value="ya" required; span { "Ya, tolak permohonan ini" } }
                        p { button.bahaya type="submit" { "Tolak permohonan" } }
                    }
                }
            }
            @if can_cancel {
                details.akhiri {
                    summary { "Pemohon membatalkan…" }
                    form method="post" action={ "/permohonan/" (p.id) "/batalkan" } {
                        input type="hidden" name="csrf" value=(sesi.csrf);
                        label for="alasan-batal" { "Alasan pemohon membatalkan" }
                        input type="text" id="alasan-batal" name="alasan" required;
                        label.centang { input type="checkbox" name="yakin" value="ya" required; span { "Ya, pemohon membatalkan permohonan ini" } }
                        p { button.bahaya type="submit" { "Catat pembatalan oleh pemohon" } }
                    }
                }
            }
            @if !perubahan.is_empty() {
                h2 { "Isian yang diubah" }
                table.daftar {
                    thead { tr { th { "Waktu" } th { "Oleh" } th { "Isian" } th { "Semula" } th { "Menjadi" } } }
                    tbody {
                        @for c in perubahan {
                            tr {
                                td data-label="Waktu" { (calendar::waktu(&c.waktu, tz)) }
                                td data-label="Oleh" { (c.oleh) }
                                td data-label="Isian" { (label_isian(jenis, &c.perubahan.kolom)) }
                                td data-label="Semula" { (c.perubahan.lama.as_deref().unwrap_or("(kosong)")) }
                                td data-label="Menjadi" { (c.perubahan.baru.as_deref().unwrap_or("(kosong)")) }
                            }
                        }
                    }
                }
            }
            h2 { "Riwayat" }
            table.daftar {
                thead { tr { th { "Waktu" } th { "Tahap" } th { "Oleh" } th { "Catatan" } } }
                tbody {
                    @for r in &p.riwayat {
                        tr {
                            td data-label="Waktu" { (calendar::waktu(&r.waktu, tz)) }
                            td data-label="Tahap" { (r.ke.label()) }
                            td data-label="Oleh" { (r.oleh) " (" (r.peran.label()) ")" }
                            td data-label="Catatan" { (r.catatan.clone().unwrap_or_else(|| "-".into())) }
                        }
                    }
                }
            }
        },
    )
}

/// What the new-request form holds, as typed (kept when the form comes back with
/// problems).
#[derive(Debug, Clone, Default)]
pub struct Isian {
    pub csrf: String,
    pub jenis: String,
    pub nama: String,
    pub nik: String,
    pub kk: String,
    pub alamat: String,
    pub rt: String,
    pub rw: String,
    pub telepon: String,
    pub kanal: String,
    pub keperluan: String,
    pub tanggal: String,
    /// `isian:KUNCI` fields.
    pub isian: Vec<(String, String)>,
    pub berkas: Vec<String>,
}

impl Isian {
    pub fn from_pairs(pairs: &[(String, String)]) -> Isian {
        let mut f = Isian::default();
        for (k, v) in pairs {
            let v = v.clone();
            match k.as_str() {
                "csrf" => f.csrf = v,
                "jenis" => f.jenis = v,
                "nama" => f.nama = v,
                "nik" => f.nik = v,
                "kk" => f.kk = v,
                "alamat" => f.alamat = v,
                "rt" => f.rt = v,
                "rw" => f.rw = v,
                "telepon" => f.telepon = v,
                "kanal" => f.kanal = v,
                "keperluan" => f.keperluan = v,
                "tanggal" => f.tanggal = v,
                "berkas" => f.berkas.push(v),
                other => {
                    if let Some(key) = other.strip_prefix("isian:") {
                        f.isian.push((key.to_string(), v));
                    }
                }
            }
        }
        f
    }

    /// The same input the command line builds from its options, its dates read as the
    /// office writes them (`29-11-2026`) and given as the intake reads them.
    pub fn masukan(&self, j: &JenisSurat) -> Masukan {
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
        Masukan {
            jenis: self.jenis.clone(),
            nama: self.nama.clone(),
            nik: self.nik.clone(),
            kk: opt(&self.kk),
            alamat: opt(&self.alamat),
            rt: opt(&self.rt),
            rw: opt(&self.rw),
            telepon: opt(&self.telepon),
            kanal: opt(&self.kanal),
            keperluan: opt(&self.keperluan),
            isian: self
                .isian
                .iter()
                .map(|(k, v)| (k.clone(), isian_terbaca(j, k, v)))
                .collect(),
            berkas: self.berkas.clone(),
            tanggal: opt(&self.tanggal).map(|t| tanggal_iso(&t)),
        }
    }

    /// The dates typed that cannot be read, each as a problem of its field (the intake's
    /// names: `tanggal`, `isian KUNCI`), so the form says which one and how to write it.
    pub fn masalah_tanggal(&self, j: &JenisSurat) -> Vec<Masalah> {
        let bad = |v: &str| !v.trim().is_empty() && baca_tanggal(v).is_none();
        let masalah = |field: String, v: &str| Masalah {
            field,
            pesan: format!(
                "“{}” tidak terbaca sebagai tanggal; tulis hari-bulan-tahun, misalnya 29-11-2026",
                v.trim()
            ),
        };
        let mut out = Vec::new();
        if bad(&self.tanggal) {
            out.push(masalah("tanggal".into(), &self.tanggal));
        }
        for i in j.isian.iter().filter(|i| i.tipe == TipeIsian::Tanggal) {
            let v = self.isian(&i.kunci);
            if bad(v) {
                out.push(masalah(format!("isian {}", i.kunci), v));
            }
        }
        out
    }

    /// Takes the fields a resident look-up filled into `m`.
    pub fn ambil(&mut self, m: &Masukan) {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        self.nama = m.nama.clone();
        self.kk = o(&m.kk);
        self.alamat = o(&m.alamat);
        self.rt = o(&m.rt);
        self.rw = o(&m.rw);
        self.telepon = o(&m.telepon);
        self.isian = m.isian.clone();
    }

    /// The family members ticked: (people list key, NIK), from `anggota:KUNCI` = NIK.
    pub fn anggota(pairs: &[(String, String)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .filter_map(|(k, nik)| Some((k.strip_prefix("anggota:")?.to_string(), nik.clone())))
            .collect()
    }

    /// What the register holds for `p`, as the completion form shows it.
    pub fn of(p: &Permohonan) -> Isian {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        Isian {
            jenis: p.jenis.clone(),
            nama: p.nama.clone(),
            nik: p.nik.clone(),
            kk: o(&p.kk),
            alamat: o(&p.alamat),
            rt: o(&p.rt),
            rw: o(&p.rw),
            telepon: o(&p.telepon),
            kanal: p.kanal.to_string(),
            keperluan: o(&p.keperluan),
            tanggal: p.tanggal.to_string(),
            isian: p
                .isian
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            ..Isian::default()
        }
    }

    /// The change the completion form asks for: every field it shows, an emptied one
    /// cleared; fields of the request the form does not show are kept.
    pub fn ubahan(&self, j: &JenisSurat) -> crate::domain::permohonan::Ubahan {
        let s = |v: &str| Some(v.to_string());
        crate::domain::permohonan::Ubahan {
            alamat: s(&self.alamat),
            rt: s(&self.rt),
            rw: s(&self.rw),
            kk: s(&self.kk),
            telepon: s(&self.telepon),
            keperluan: s(&self.keperluan),
            isian: j
                .isian
                .iter()
                .map(|i| {
                    (
                        i.kunci.clone(),
                        isian_terbaca(j, &i.kunci, self.isian(&i.kunci)),
                    )
                })
                .collect(),
        }
    }

    fn isian(&self, key: &str) -> &str {
        self.isian
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A date as the office writes it, day first (`29-11-2026`, `29/11/2026`, `29.11.2026`,
/// the day and month in one or two digits), or as ISO (`2026-11-29`). The web page's
/// one reading of a typed date: the form field is text, so it reads the same in any
/// browser's language; the intake then checks the date as the command line's.
pub fn baca_tanggal(s: &str) -> Option<chrono::NaiveDate> {
    let parts: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    if ![a, b, c]
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|x| x.is_ascii_digit()))
    {
        return None;
    }
    let (y, m, d) = match (a.len(), b.len(), c.len()) {
        (4, 1..=2, 1..=2) => (a, b, c),
        (1..=2, 1..=2, 4) => (c, b, a),
        _ => return None,
    };
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A typed date as the intake reads it (ISO); what cannot be read stays as typed, and
/// [`Isian::masalah_tanggal`] names it.
fn tanggal_iso(v: &str) -> String {
    baca_tanggal(v).map_or_else(|| v.to_string(), |d| d.to_string())
}

/// A date as a form shows it, `29-11-2026`; what cannot be read stays as typed.
fn tanggal_tampil(v: &str) -> String {
    baca_tanggal(v).map_or_else(|| v.to_string(), |d| d.format("%d-%m-%Y").to_string())
}

/// A type's field as the intake reads it: a date field's date as ISO, any other as typed.
fn isian_terbaca(j: &JenisSurat, kunci: &str, v: &str) -> String {
    let tanggal = j
        .isian
        .iter()
        .any(|i| i.kunci == kunci && i.tipe == TipeIsian::Tanggal);
    if tanggal {
        tanggal_iso(v)
    } else {
        v.to_string()
    }
}

/// A date field: text, written day first whatever the browser's language.
fn kolom_tanggal(
    label: &str,
    name: &str,
    value: &str,
    wajib: bool,
    masalah: &[&Masalah],
) -> Markup {
    let bantuan = format!("{name}-format");
    html! {
        label for=(name) { (label) @if wajib { " *" } }
        p.bantuan id=(bantuan) { "Hari-bulan-tahun, misalnya 29-11-2026." }
        input type="text" id=(name) name=(name) value=(tanggal_tampil(value)) required[wajib]
            placeholder="hh-bb-tttt" autocomplete="off" aria-describedby=(bantuan);
        @for m in masalah { p.galat { (layar(&m.pesan)) } }
    }
}

pub fn pilih_jenis(ws: &Workspace, sesi: &Sesi, nik: Option<&str>) -> Markup {
    layout(
        "Permohonan baru",
        Some(sesi),
        html! {
            h1 { "Permohonan baru" }
            p { "Pilih jenis surat:" }
            ul.pilihan {
                @for j in &ws.katalog.jenis {
                    li { a href={ "/permohonan/baru?jenis=" (j.kode) @if let Some(n) = nik { "&nik=" (n) } } { (j.nama) } }
                }
            }
        },
    )
}

/// The applicant's fields and the type's own, as the new-request form and the
/// completion form both show them; `lengkapi` leaves out name and NIK, which identify
/// the request and are not changed.
fn kolom_isian(
    j: &JenisSurat,
    f: &Isian,
    masalah: &[Masalah],
    lengkapi: bool,
    bantuan: &Bantuan,
) -> Markup {
    let field = |label: &str, name: &str, value: &str, wajib: bool, kind: &str| {
        // The intake names an extra field `isian KUNCI`; the form `isian:KUNCI`.
        let key = name.replacen("isian:", "isian ", 1);
        let problems: Vec<&Masalah> = masalah.iter().filter(|m| m.field == key).collect();
        html! {
            label for=(name) { (label) @if wajib { " *" } }
            input type=(kind) id=(name) name=(name) value=(value) required[wajib] inputmode=[papan(name)];
            @for m in problems { p.galat { (layar(&m.pesan)) } }
        }
    };
    // A fixed list (religion, marital status, ...) is a dropdown of the list's words.
    let pilihan = |label: &str, name: &str, value: &str, wajib: bool, d: Daftar| {
        let key = name.replacen("isian:", "isian ", 1);
        let problems: Vec<&Masalah> = masalah.iter().filter(|m| m.field == key).collect();
        html! {
            label for=(name) { (label) @if wajib { " *" } }
            select id=(name) name=(name) required[wajib] {
                option value="" { "— pilih —" }
                @for w in d.pilihan() {
                    option value=(w) selected[w == value] { (w) }
                }
            }
            @for m in problems { p.galat { (layar(&m.pesan)) } }
        }
    };
    // People besides the applicant: one per line, `Nama; NIK; Hubungan`.
    let daftar_orang = |label: &str, name: &str, value: &str, wajib: bool| {
        let key = name.replacen("isian:", "isian ", 1);
        let problems: Vec<&Masalah> = masalah.iter().filter(|m| m.field == key).collect();
        let value = value.replace(" | ", "\n");
        let kunci = name.trim_start_matches("isian:");
        html! {
            label for=(name) { (label) @if wajib { " *" } }
            p.bantuan { "Satu orang per baris: Nama; NIK; Hubungan (misalnya: Siti Aminah; 1571094506900003; Anak)" }
            textarea id=(name) name=(name) rows="4" required[wajib] { (value) }
            @if !bantuan.anggota.is_empty() {
                // Family members from the KK: ticked ones are added to the list when
                // the form is sent.
                fieldset.anggota {
                    legend { "Ambil dari anggota KK" }
                    @for a in &bantuan.anggota {
                        @if !value.contains(a.nik.as_str()) {
                            label.centang {
                                input type="checkbox" name={ "anggota:" (kunci) } value=(a.nik);
                                span { (a.nama()) " (" (a.get("shdk").unwrap_or("anggota keluarga")) ")" }
                            }
                        }
                    }
                }
            }
            @for m in problems { p.galat { (layar(&m.pesan)) } }
        }
    };
    let perlu = |k: &str| j.identitas_wajib.iter().any(|x| x == k);
    let isian = |i: &crate::domain::katalog::Isian| {
        let name = format!("isian:{}", i.kunci);
        let wajib = i.wajib || perlu(&i.kunci);
        let value = match f.isian(&i.kunci) {
            "" => i.bawaan.as_deref().unwrap_or(""),
            v => v,
        };
        if let Some(d) = i.tipe.daftar() {
            pilihan(&i.label, &name, value, wajib, d)
        } else if i.tipe == TipeIsian::DaftarOrang {
            daftar_orang(&i.label, &name, value, wajib)
        } else if i.tipe == TipeIsian::Tanggal {
            let key = format!("isian {}", i.kunci);
            let problems: Vec<&Masalah> = masalah.iter().filter(|m| m.field == key).collect();
            kolom_tanggal(&i.label, &name, value, wajib, &problems)
        } else {
            field(&i.label, &name, value, wajib, "text")
        }
    };
    // The identity the letter prints sits with the applicant; the type's own fields
    // follow in their own box.
    let (identitas, sendiri): (Vec<_>, Vec<_>) = j.isian.iter().partition(|i| perlu(&i.kunci));
    html! {
        fieldset {
            legend { "Pemohon" }
            @if lengkapi {
                p { strong { "Nama: " } (f.nama) }
                p { strong { "NIK: " } (f.nik) }
            } @else {
                // The NIK first: a resident already served fills the rest.
                label for="nik" { "NIK (16 angka) *" }
                div.baris {
                    input type="text" id="nik" name="nik" value=(f.nik) required inputmode="numeric";
                    button type="submit" name="aksi" value="cari" formnovalidate { "Cari" }
                }
                p.bantuan { "Penduduk yang pernah dilayani: tekan Cari, isian diambil dari datanya." }
                @for m in masalah.iter().filter(|m| m.field == "nik") { p.galat { (layar(&m.pesan)) } }
                (field("Nama", "nama", &f.nama, true, "text"))
            }
            (field("No. KK", "kk", &f.kk, perlu("kk"), "text"))
            (field("Alamat", "alamat", &f.alamat, perlu("alamat"), "text"))
            (field("RT", "rt", &f.rt, perlu("rt"), "text"))
            (field("RW", "rw", &f.rw, perlu("rw"), "text"))
            (field("Telepon / WhatsApp", "telepon", &f.telepon, perlu("telepon"), "text"))
            (field("Keperluan", "keperluan", &f.keperluan, false, "text"))
        }
        @if !identitas.is_empty() {
            fieldset {
                legend { "Identitas pemohon" }
                @for i in &identitas { (isian(i)) }
            }
        }
        @if !sendiri.is_empty() {
            fieldset {
                legend { "Isian " (j.nama) }
                @for i in &sendiri { (isian(i)) }
            }
        }
    }
}

/// The keyboard a phone offers for a field of numbers: digits for the KK, RT and RW, a
/// phone pad for the telephone.
fn papan(name: &str) -> Option<&'static str> {
    match name {
        "kk" | "rt" | "rw" => Some("numeric"),
        "telepon" => Some("tel"),
        _ => None,
    }
}

/// A message written for the command line, as a page shows it: quoted values in
/// quotation marks instead of backticks, command-line options left out.
fn layar(pesan: &str) -> String {
    let mut out = String::new();
    let mut open = true;
    for c in pesan.chars() {
        if c == '`' {
            out.push(if open { '“' } else { '”' });
            open = !open;
        } else {
            out.push(c);
        }
    }
    // "(mis. --isian agama=Islam)" and the like name a command-line option.
    out.split(' ')
        .filter(|w| !w.starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A field's name as the forms show it, from the name the intake and the record of
/// changes use (`kk`, `alamat`, `isian agama`).
fn label_isian(j: Option<&JenisSurat>, field: &str) -> String {
    match field {
        "kk" => "No. KK".into(),
        "nik" => "NIK".into(),
        "rt" => "RT".into(),
        "rw" => "RW".into(),
        "telepon" => "Telepon / WhatsApp".into(),
        other => match other.strip_prefix("isian ") {
            Some(k) => j
                .and_then(|j| j.isian.iter().find(|i| i.kunci == k))
                .map_or_else(|| sentence_case(&k.replace('_', " ")), |i| i.label.clone()),
            None => sentence_case(other),
        },
    }
}

/// `alamat` → `Alamat`.
fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The problems of a form, each with the field's label as the form shows it.
fn daftar_masalah(j: &JenisSurat, judul: &str, masalah: &[Masalah]) -> Markup {
    let label = |field: &str| label_isian(Some(j), field);
    html! {
        @if !masalah.is_empty() {
            div.galat role="alert" {
                p { (judul) }
                ul { @for m in masalah { li { (label(&m.field)) ": " (layar(&m.pesan)) } } }
            }
        }
    }
}

/// What the new-request form offers beside what was typed: the fields just filled
/// from the resident, and the members of the applicant's KK to pick for a people list.
#[derive(Debug, Clone, Default)]
pub struct Bantuan {
    /// `None`: no look-up; `Some(empty)`: the NIK is not a known resident.
    pub diisi: Option<Vec<String>>,
    pub anggota: Vec<crate::domain::penduduk::Penduduk>,
}

pub fn baru(
    sesi: &Sesi,
    j: &JenisSurat,
    f: &Isian,
    masalah: &[Masalah],
    bantuan: &Bantuan,
) -> Markup {
    layout(
        "Permohonan baru",
        Some(sesi),
        html! {
            h1 { (j.nama) }
            @match &bantuan.diisi {
                Some(d) if d.is_empty() => p.pesan role="status" { "NIK ini belum tercatat sebagai penduduk; isi datanya, dan data itu tercatat saat permohonan dicatat." },
                Some(d) => p.pesan role="status" { "Diisi dari data penduduk: " (d.join(", ")) ". Periksa dengan pemohon; yang diubah di sini memperbarui datanya." },
                None => {},
            }
            (daftar_masalah(j, "Permohonan belum dicatat. Perbaiki isian berikut:", masalah))
            p.bantuan { "Isian bertanda * wajib diisi." }
            form method="post" action="/permohonan/baru" {
                input type="hidden" name="csrf" value=(sesi.csrf);
                input type="hidden" name="jenis" value=(j.kode);
                fieldset {
                    legend { "Diajukan" }
                    label.centang { input type="radio" name="kanal" value="langsung" checked[f.kanal != "whatsapp"]; span { "Datang langsung" } }
                    label.centang { input type="radio" name="kanal" value="whatsapp" checked[f.kanal == "whatsapp"]; span { "WhatsApp" } }
                    (kolom_tanggal("Tanggal", "tanggal", &f.tanggal, true,
                        &masalah.iter().filter(|m| m.field == "tanggal").collect::<Vec<_>>()))
                }
                (kolom_isian(j, f, masalah, false, bantuan))
                fieldset {
                    legend { "Berkas persyaratan yang dibawa" }
                    @for b in &j.berkas {
                        label.centang {
                            input type="checkbox" name="berkas" value=(b.kode) checked[f.berkas.contains(&b.kode)];
                            span { (b.nama) @if !b.wajib { " (bila berlaku)" } }
                        }
                    }
                    @for m in masalah.iter().filter(|m| m.field == "berkas") { p.galat { (layar(&m.pesan)) } }
                }
                p { button.utama type="submit" { "Catat permohonan" } }
            }
        },
    )
}

/// The form that completes or corrects a request before its letter, filled with what
/// the register holds (or, when it comes back with problems, with what was typed).
pub fn lengkapi(
    sesi: &Sesi,
    p: &Permohonan,
    j: &JenisSurat,
    f: &Isian,
    masalah: &[Masalah],
) -> Markup {
    layout(
        &format!("Lengkapi permohonan {}", p.nomor_register),
        Some(sesi),
        html! {
            h1 { "Lengkapi permohonan " (p.nomor_register) }
            p { (j.nama) ". Setiap perubahan dicatat di riwayat permohonan (siapa, kapan, dari apa menjadi apa)." }
            (daftar_masalah(j, "Isian belum disimpan. Perbaiki isian berikut:", masalah))
            p.bantuan { "Isian bertanda * wajib diisi." }
            form method="post" action={ "/permohonan/" (p.id) "/lengkapi" } {
                input type="hidden" name="csrf" value=(sesi.csrf);
                input type="hidden" name="dari" value=(p.tahap.kode());
                (kolom_isian(j, f, masalah, true, &Bantuan::default()))
                p.tombol-baris {
                    button.utama type="submit" { "Simpan isian" }
                    a href={ "/permohonan/" (p.id) } { "Kembali tanpa menyimpan" }
                }
            }
        },
    )
}

/// The resident search: part of a name, a whole NIK or KK.
pub fn penduduk_cari(
    sesi: &Sesi,
    cari: &str,
    found: &[crate::domain::penduduk::Penduduk],
    pesan: Option<&str>,
) -> Markup {
    layout(
        "Penduduk",
        Some(sesi),
        html! {
            h1 { "Penduduk" }
            p.bantuan { "Setiap pencarian dicatat atas nama Anda (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi)." }
            form method="get" action="/penduduk" {
                label for="cari" { "Cari nama (sebagian), NIK utuh, atau No. KK utuh" }
                div.baris {
                    input type="text" id="cari" name="cari" value=(cari) required minlength="2";
                    button type="submit" { "Cari" }
                }
            }
            @if let Some(p) = pesan { p.galat role="alert" { (p) } }
            @if !cari.trim().is_empty() && pesan.is_none() {
                @if found.is_empty() {
                    p { "Tidak ada penduduk yang cocok." }
                } @else {
                    table.daftar {
                        thead { tr { th { "Nama" } th { "NIK" } th { "Alamat" } } }
                        tbody {
                            @for r in found {
                                tr {
                                    td data-label="Nama" { a href={ "/penduduk?nik=" (r.nik) } { (r.nama()) } }
                                    td data-label="NIK" { (crate::domain::identity::mask(&r.nik)) }
                                    td data-label="Alamat" { (r.get("alamat").unwrap_or("-"))
                                        @if let (Some(rt), Some(rw)) = (r.get("rt"), r.get("rw")) { " RT " (rt) "/RW " (rw) } }
                                }
                            }
                        }
                    }
                    @if found.len() == crate::services::penduduk::BATAS_CARI {
                        p { "Ditampilkan " (found.len()) " pertama; persempit pencarian." }
                    }
                }
            }
        },
    )
}

/// One resident: the latest data, their requests and letters, their family, and every
/// change of their data.
pub fn penduduk(ws: &Workspace, sesi: &Sesi, r: &crate::services::penduduk::Rincian) -> Markup {
    let p = &r.penduduk;
    let tz = ws.profil.tz();
    // One row per event (a request, an import row, a correction), its fields listed.
    let mut events: Vec<Vec<&crate::store::RiwayatPenduduk>> = Vec::new();
    for c in &r.riwayat {
        match events.last_mut() {
            Some(all)
                if all[0].waktu == c.waktu
                    && all[0].sumber == c.sumber
                    && all[0].oleh == c.oleh =>
            {
                all.push(c)
            }
            _ => events.push(vec![c]),
        }
    }
    layout(
        &format!("Penduduk {}", p.nama()),
        Some(sesi),
        html! {
            h1 { (p.nama()) }
            table.data {
                tr { th { "NIK" } td { (p.nik) } }
                @if let (Some(jk), Some(lahir)) = (r.jenis_kelamin, r.tanggal_lahir) {
                    tr { th { "Jenis kelamin" } td { (jk) } }
                    tr { th { "Tanggal lahir" } td { (calendar::tanggal(lahir)) } }
                }
                @for (k, label, _) in crate::domain::penduduk::KOLOM {
                    @if let Some(v) = p.get(k).filter(|_| k != "nama") {
                        tr { th { (label) } td { (v) } }
                    }
                }
                tr { th { "Data per tanggal" } td { (calendar::tanggal(p.berlaku)) } }
            }
            @if sesi.pengguna.peran == PeranPengguna::Operator {
                p { a.tombol href={ "/permohonan/baru?nik=" (p.nik) } { "Permohonan baru untuk " (p.nama()) } }
            }
            h2 { "Permohonan" }
            @if r.permohonan.is_empty() { p { "Belum ada." } }
            @else {
                table.daftar {
                    thead { tr { th { "No. register" } th { "Tanggal" } th { "Jenis surat" } th { "Tahap" } } }
                    tbody {
                        @for q in &r.permohonan {
                            tr {
                                td data-label="No. register" { a href={ "/permohonan/" (q.id) } { (q.nomor_register) } }
                                td data-label="Tanggal" { (calendar::tanggal(q.tanggal)) }
                                td data-label="Jenis surat" { (ws.katalog.jenis(&q.jenis).map_or(q.jenis.as_str(), |j| j.nama.as_str())) }
                                td data-label="Tahap" { (q.tahap.label()) }
                            }
                        }
                    }
                }
            }
            @if !r.keluarga.is_empty() {
                h2 { "Anggota keluarga lain (KK yang sama)" }
                ul {
                    @for a in &r.keluarga {
                        li { a href={ "/penduduk?nik=" (a.nik) } { (a.nama()) } " — " (a.get("shdk").unwrap_or("anggota keluarga")) }
                    }
                }
            }
            h2 { "Riwayat perubahan data" }
            table.daftar {
                thead { tr { th { "Waktu" } th { "Oleh" } th { "Sumber" } th { "Perubahan" } } }
                tbody {
                    @for all in &events {
                        @let first = all[0];
                        tr {
                            td data-label="Waktu" { (calendar::waktu(&first.waktu, tz)) }
                            td data-label="Oleh" { (first.oleh) }
                            td data-label="Sumber" { (first.sumber) }
                            td data-label="Perubahan" {
                                @for c in all {
                                    (crate::domain::penduduk::label(&c.perubahan.kolom)) ": "
                                    @if let Some(l) = &c.perubahan.lama { (l) " → " }
                                    (c.perubahan.baru.as_ref().map_or_else(|| "(dihapus)".to_string(), |_| c.perubahan.baru_terbaca()))
                                    br;
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub fn register(
    ws: &Workspace,
    sesi: &Sesi,
    q: &super::CariQuery,
    list: &[Permohonan],
    total: usize,
    halaman: usize,
    today: chrono::NaiveDate,
) -> Markup {
    let pages = total.div_ceil(super::PER_HALAMAN).max(1);
    // The months a clerk picks from: the last three years, newest first.
    let mut months = Vec::new();
    let mut b = calendar::Bulan::of(today);
    for _ in 0..36 {
        months.push(b);
        b = b.prev();
    }
    // The filters in force, by their names (as the handler reads them).
    let aktif: Vec<String> = [
        q.bulan.parse::<calendar::Bulan>().ok().map(|b| b.nama()),
        q.tahap.parse::<Tahap>().ok().map(|t| t.label().to_string()),
        ws.katalog.jenis(&q.jenis).map(|j| j.nama.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|c| match c {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (c as char).to_string()
                }
                b' ' => "+".to_string(),
                _ => format!("%{c:02X}"),
            })
            .collect()
    };
    let hapus_saringan = format!("/register?cari={}", enc(&q.cari));
    let link = |n: usize| {
        format!(
            "/register?cari={}&tahap={}&jenis={}&bulan={}&halaman={n}",
            enc(&q.cari),
            enc(&q.tahap),
            enc(&q.jenis),
            enc(&q.bulan)
        )
    };
    layout(
        "Register",
        Some(sesi),
        html! {
            h1 { "Buku register" }
            // The search box first; the other filters fold under "Saring" on a phone,
            // unfolded while one of them is chosen (a value the handler would not apply
            // is not one).
            form.saring method="get" action="/register" {
                label for="cari" { "Cari" }
                div.baris {
                    input type="search" id="cari" name="cari" value=(q.cari) aria-describedby="cari-bantuan" enterkeyhint="search";
                    button.utama type="submit" { "Cari" }
                }
                p.bantuan id="cari-bantuan" { "Nama dari awal katanya (aminah, siti am), nomor register (0001 atau 0001/2026), nomor surat, atau NIK utuh." }
                details.saring open[!aktif.is_empty()] {
                    summary { "Saring"
                        @if aktif.is_empty() { span.bantuan { " menurut bulan, tahap atau jenis surat" } }
                        @else { ": " (aktif.join(" · ")) } }
                    div.saring-isi {
                        div {
                            label for="bulan" { "Bulan" }
                            select id="bulan" name="bulan" {
                                option value="" { "Semua bulan" }
                                @for m in &months {
                                    option value=(m.to_string()) selected[q.bulan == m.to_string()] { (m.nama()) }
                                }
                            }
                        }
                        div {
                            label for="tahap" { "Tahap" }
                            select id="tahap" name="tahap" {
                                option value="" { "Semua tahap" }
                                @for t in Tahap::ALL {
                                    option value=(t.kode()) selected[q.tahap == t.kode()] { (t.label()) }
                                }
                            }
                        }
                        div {
                            label for="jenis" { "Jenis surat" }
                            select id="jenis" name="jenis" {
                                option value="" { "Semua jenis" }
                                @for j in &ws.katalog.jenis {
                                    option value=(j.kode) selected[q.jenis == j.kode] { (j.nama) }
                                }
                            }
                        }
                    }
                    @if !aktif.is_empty() {
                        p { a href=(hapus_saringan) { "Hapus saringan" } }
                    }
                }
            }
            p { (total) " permohonan"
                @if pages > 1 { ", halaman " (halaman) " dari " (pages) " (terbaru lebih dulu)" } "." }
            @if !list.is_empty() {
                table.daftar {
                    thead { tr { th { "No. Register" } th { "Tanggal" } th { "Nama" } th { "NIK" } th { "Jenis" } th { "Tahap" } } }
                    tbody {
                        @for p in list {
                            tr {
                                td data-label="No. Register" { a href={ "/permohonan/" (p.id) } { (p.nomor_register) } }
                                td data-label="Tanggal" { (calendar::tanggal(p.tanggal)) }
                                td data-label="Nama" { (p.nama) }
                                // A list is seen over a shoulder: the NIK masked, in full on the request's page.
                                td data-label="NIK" { (crate::domain::identity::mask(&p.nik)) }
                                td data-label="Jenis" { (ws.katalog.jenis(&p.jenis).map_or(p.jenis.as_str(), |j| j.nama.as_str())) }
                                td data-label="Tahap" { (p.tahap.label()) }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                p.tombol-baris {
                    @if halaman > 1 { a.tombol href=(link(halaman - 1)) { "‹ Lebih baru" } }
                    @if halaman < pages { a.tombol href=(link(halaman + 1)) { "Lebih lama ›" } }
                }
            }
        },
    )
}

pub fn blanko(ws: &Workspace, sesi: &Sesi) -> Markup {
    layout(
        "Blanko",
        Some(sesi),
        html! {
            h1 { "Blanko" }
            h2 { "Formulir permohonan" }
            ul.pilihan {
                @for j in &ws.katalog.jenis {
                    li { a href={ "/blanko/permohonan-" (j.kode) ".pdf" } { (j.nama) } }
                }
            }
            h2 { "Lainnya" }
            ul.pilihan {
                li { a href="/blanko/tanda-terima.pdf" { "Tanda terima berkas" } }
                li { a href="/blanko/lembar-kendali.pdf" { "Lembar kendali" } }
                li { a href="/blanko/buku-register.pdf" { "Halaman buku register" } }
            }
            h2 { "Model nikah KUA (ditandatangani calon pengantin dan orang tua)" }
            ul.pilihan {
                li { a href="/blanko/model-n2.pdf" { "Model N2: permohonan kehendak nikah" } }
                li { a href="/blanko/model-n4.pdf" { "Model N4: persetujuan calon pengantin" } }
                li { a href="/blanko/model-n5.pdf" { "Model N5: surat izin orang tua" } }
            }
        },
    )
}

/// What the reports page shows: the periods to choose from (newest first, the first one
/// chosen; `true` when its report is made already), the reports made with their files,
/// and the line that says what was just made.
pub struct HalamanLaporan {
    pub bulan: Vec<(calendar::Bulan, bool)>,
    pub triwulan: Vec<(Periode, bool)>,
    pub tahun: Vec<(Periode, bool)>,
    pub dibuat_bulan: Vec<(calendar::Bulan, [String; 3])>,
    pub dibuat_periode: Vec<(Periode, [String; 2])>,
    pub pesan: Option<String>,
}

/// One of the reports page's forms.
struct LaporanForm {
    judul: &'static str,
    action: &'static str,
    id: &'static str,
    name: &'static str,
    label: &'static str,
    /// Value, name as the office says it, made already.
    pilihan: Vec<(String, String, bool)>,
    bantuan: Option<&'static str>,
    tombol: &'static str,
}

pub fn laporan(sesi: &Sesi, h: &HalamanLaporan) -> Markup {
    let can_make = akses::boleh(sesi.pengguna.peran, akses::Tindakan::BuatLaporan).is_ok();
    // One form per kind of report: a period chosen from a list, sent to the office's
    // mail if ticked.
    let buat = |f: LaporanForm| {
        let kirim = format!("kirim-{}", f.id);
        html! {
            form.laporan method="post" action=(f.action) {
                h2 { (f.judul) }
                input type="hidden" name="csrf" value=(sesi.csrf);
                label for=(f.id) { (f.label) }
                select id=(f.id) name=(f.name) required {
                    @for (i, (value, nama, made)) in f.pilihan.iter().enumerate() {
                        option value=(value) selected[i == 0] {
                            (nama) @if *made { " (sudah dibuat)" }
                        }
                    }
                }
                @if let Some(b) = f.bantuan {
                    p.bantuan { (b) }
                }
                label.centang for=(kirim) {
                    input type="checkbox" id=(kirim) name="kirim" value="ya";
                    span { "Kirim juga ke surel kantor" }
                }
                p { button.utama type="submit" { (f.tombol) } }
            }
        }
    };
    layout(
        "Laporan",
        Some(sesi),
        html! {
            h1 { "Laporan" }
            @if let Some(p) = &h.pesan {
                p.pesan.berhasil role="status" { (p) }
            }
            @if can_make {
                div.buat-laporan {
                    (buat(LaporanForm {
                        judul: "Laporan bulanan",
                        action: "/laporan/buat",
                        id: "bulan",
                        name: "bulan",
                        label: "Bulan",
                        pilihan: h.bulan.iter().map(|(b, made)| (b.to_string(), b.nama(), *made)).collect(),
                        bantuan: Some("Laporan Koordinator kepada Seklur dan rekap Seklur kepada Lurah. Surat yang terbit pada bulan itu dicatat sudah dilaporkan. Bulan yang sedang berjalan belum dapat dilaporkan."),
                        tombol: "Buat laporan bulanan",
                    }))
                    (buat(LaporanForm {
                        judul: "Laporan triwulan",
                        action: "/laporan/periode",
                        id: "triwulan",
                        name: "periode",
                        label: "Triwulan",
                        pilihan: h.triwulan.iter().map(|(p, made)| (p.to_string(), p.nama(), *made)).collect(),
                        bantuan: Some("Triwulan I: Januari–Maret, II: April–Juni, III: Juli–September, IV: Oktober–Desember."),
                        tombol: "Buat laporan triwulan",
                    }))
                    (buat(LaporanForm {
                        judul: "Laporan tahunan",
                        action: "/laporan/periode",
                        id: "tahun",
                        name: "periode",
                        label: "Tahun",
                        pilihan: h.tahun.iter().map(|(p, made)| (p.to_string(), p.nama(), *made)).collect(),
                        bantuan: None,
                        tombol: "Buat laporan tahunan",
                    }))
                }
            }
            h2 { "Laporan bulanan yang sudah dibuat" }
            @if h.dibuat_bulan.is_empty() {
                p { "Belum ada laporan bulanan yang dibuat." }
            }
            @for (b, files) in &h.dibuat_bulan {
                h3 { (b.nama()) }
                ul {
                    li { a href={ "/laporan/" (b) "/" (files[0]) } { "Laporan Koordinator kepada Seklur (PDF)" } }
                    li { a href={ "/laporan/" (b) "/" (files[1]) } { "Rekap Seklur kepada Lurah (PDF)" } }
                    li { a href={ "/laporan/" (b) "/" (files[2]) } { "Buku kerja Excel" } }
                }
            }
            h2 { "Laporan triwulan dan tahunan yang sudah dibuat" }
            @if h.dibuat_periode.is_empty() {
                p { "Belum ada laporan triwulan atau tahunan yang dibuat." }
            }
            @for (p, files) in &h.dibuat_periode {
                h3 { (p.nama()) }
                ul {
                    li { a href={ "/laporan/" (p) "/" (files[0]) } { "Laporan kepada Lurah (PDF)" } }
                    li { a href={ "/laporan/" (p) "/" (files[1]) } { "Buku kerja Excel" } }
                }
            }
        },
    )
}

pub fn surel(sesi: &Sesi, list: &[crate::domain::surel::Surel], tz: chrono_tz::Tz) -> Markup {
    layout(
        "Kotak keluar",
        Some(sesi),
        html! {
            h1 { "Kotak keluar surel" }
            @if list.is_empty() { p { "Kotak keluar kosong." } }
            @else {
                table.daftar {
                    thead { tr { th { "Dibuat" } th { "Subjek" } th { "Kepada" } th { "Status" } th { "Percobaan" } th { "Keterangan" } } }
                    tbody {
                        @for m in list {
                            tr {
                                td data-label="Dibuat" { (calendar::waktu(&m.dibuat, tz)) }
                                td data-label="Subjek" { (m.subjek) }
                                td data-label="Kepada" { (m.kepada.join(", ")) }
                                td data-label="Status" { (sentence_case(&m.status.to_string())) }
                                td data-label="Percobaan" { (m.percobaan) }
                                td data-label="Keterangan" { @if let Some(g) = &m.galat { (g) } @else if let Some(t) = m.terkirim { "Terkirim " (calendar::waktu(&t, tz)) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// One schedule as the page lists it.
pub struct JadwalBaris {
    /// The schedule's name in its file (`laporan-bulanan`).
    pub nama: String,
    /// The file it was read from, as the configuration names it.
    pub berkas: String,
    pub aktif: bool,
    pub berikutnya: Vec<String>,
    pub terakhir: String,
}

pub fn jadwal(sesi: &Sesi, rows: &[JadwalBaris]) -> Markup {
    layout(
        "Jadwal",
        Some(sesi),
        html! {
            h1 { "Jadwal otomatis" }
            table.daftar {
                thead { tr { th { "Jadwal" } th { "Keadaan" } th { "Berikutnya" } th { "Terakhir" } } }
                tbody {
                    @for r in rows {
                        tr {
                            td data-label="Jadwal" {
                                (judul_jadwal(&r.nama)) br;
                                small.bantuan { (nama_berkas(&r.berkas)) }
                            }
                            td data-label="Keadaan" { @if r.aktif { "Aktif" } @else { "Mati" } }
                            td data-label="Berikutnya" { @for (i, b) in r.berikutnya.iter().enumerate() { @if i > 0 { br; } (b) } }
                            td data-label="Terakhir" { (r.terakhir) }
                        }
                    }
                }
            }
        },
    )
}

/// A schedule's name as a title: `laporan-bulanan` → `Laporan bulanan`. (The schedule
/// files have no title of their own; their `nama` is the key runs are kept under.)
fn judul_jadwal(nama: &str) -> String {
    sentence_case(nama.replace(['-', '_'], " ").trim())
}

/// The file name of a schedule's file, without its folder: `laporan-bulanan.toml
/// (bawaan)` for one shipped in the program.
fn nama_berkas(berkas: &str) -> &str {
    let end = berkas.rfind(".toml").unwrap_or(berkas.len());
    let start = berkas[..end].rfind(['/', '\\']).map_or(0, |i| i + 1);
    &berkas[start..]
}

pub fn impor_form(sesi: &Sesi) -> Markup {
    layout(
        "Impor register lama",
        Some(sesi),
        html! {
            h1 { "Impor buku register Excel lama" }
            p { "Berkas xls, xlsx, xlsb atau ods. Langkah pertama hanya memeriksa (tidak ada yang ditulis); hasilnya ditampilkan bersama laporan baris yang ditolak, lalu Anda memutuskan untuk mengimpor." }
            form method="post" action="/impor/uji" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(sesi.csrf);
                // The browser's own file button speaks the browser's language: it is
                // hidden (still focused by the keyboard and read by a screen reader),
                // and a label in the page's words opens it. Whether files are chosen
                // shows without script: the field is required, so it is valid once
                // chosen.
                p { strong { "Berkas register" } }
                div.unggah {
                    input.pilih-berkas type="file" id="berkas" name="berkas" multiple required
                        accept=".xls,.xlsx,.xlsb,.ods" aria-describedby="berkas-bantuan";
                    label.tombol-berkas for="berkas" { "Pilih berkas…" }
                    span.berkas-belum { "Belum ada berkas dipilih." }
                    span.berkas-dipilih { "✓ Berkas sudah dipilih; tekan Periksa." }
                }
                p.bantuan id="berkas-bantuan" { "Diterima: .xlsx, .xls dan .xlsb (Excel) serta .ods (LibreOffice); boleh beberapa berkas sekaligus." }
                p { button.utama type="submit" { "Periksa" } }
            }
        },
    )
}

/// The summary of a dry run (with the button to import) or of an import.
pub fn impor_hasil(
    sesi: &Sesi,
    r: &crate::paper::import::Ringkasan,
    token: Option<&str>,
) -> Markup {
    let j = &r.jumlah;
    // A dry run says what would happen, in its own words.
    let diimpor = if r.uji { "Akan diimpor" } else { "Diimpor" };
    let hasil = |status: &str| match (status, r.uji) {
        ("ditolak", _) => "Ditolak utuh",
        (_, true) => "Diperiksa",
        _ => "Diimpor",
    };
    layout(
        "Hasil impor",
        Some(sesi),
        html! {
            h1 { @if r.uji { "Hasil pemeriksaan (belum diimpor)" } @else { "Hasil impor" } }
            table.daftar {
                thead { tr { th { "Berkas" } th { "Hasil" } th { "Dibaca" } th { (diimpor) } th { "Ditandai" } th { "Ditolak" } th { "Ganda" } th { "Dilewati" } } }
                tbody {
                    @for b in &r.berkas {
                        tr {
                            td data-label="Berkas" { (b.berkas) }
                            td data-label="Hasil" { (hasil(&b.status)) }
                            @if let Some(g) = &b.galat {
                                td data-label="Sebabnya" colspan="6" { (g) }
                            } @else {
                                td data-label="Dibaca" { (b.jumlah.dibaca) }
                                td data-label=(diimpor) { (b.jumlah.diimpor) }
                                td data-label="Ditandai" { (b.jumlah.ditandai) }
                                td data-label="Ditolak" { (b.jumlah.ditolak) }
                                td data-label="Ganda" { (b.jumlah.ganda) }
                                td data-label="Dilewati" { (b.jumlah.dilewati) }
                            }
                        }
                    }
                }
            }
            p { "Jumlah: " (j.dibaca) " baris dibaca = " (j.diimpor) @if r.uji { " akan diimpor + " } @else { " diimpor + " } (j.ditolak) " ditolak + " (j.ganda) " ganda + " (j.dilewati) " dilewati." }
            @if !r.saran_peta.is_empty() {
                h2 { "Jenis surat yang tidak dikenal" }
                p { "Periksa jenis yang paling mirip; bila benar, pengelola menambahkan baris ini ke bagian [jenis] peta-impor.toml di folder kerja, lalu impor lagi." }
                table.daftar {
                    thead { tr { th { "Tertulis" } th { "Baris" } th { "Paling mirip" } th { "Baris untuk peta-impor.toml" } } }
                    tbody {
                        @for s in &r.saran_peta {
                            tr {
                                td data-label="Tertulis" { (s.tertulis) }
                                td data-label="Baris" { (s.jumlah) }
                                td data-label="Paling mirip" { (s.nama.as_deref().unwrap_or("(tidak ada yang mirip)")) }
                                td data-label="Untuk peta" { code { (s.baris) } }
                            }
                        }
                    }
                }
            }
            @for (title, map) in [("Ditolak", &j.ditolak_per_alasan), ("Ditandai (tetap diimpor)", &j.ditandai_per_alasan), ("Dilewati", &j.dilewati_per_alasan)] {
                @if !map.is_empty() {
                    h2 { (title) }
                    ul { @for (kode, n) in map { li { (n) " — " (crate::paper::import::alasan_label(kode)) } } }
                }
            }
            @for b in &r.berkas {
                @for l in b.lembar.iter().filter(|l| l.alasan.is_some()) {
                    p { (b.berkas) ": lembar " (l.nama) " dilewati (" (l.alasan.clone().unwrap_or_default()) ")." }
                }
            }
            @if let Some(t) = token {
                p { a href={ "/impor/" (t) "/laporan.xlsx" } { "Unduh laporan baris yang ditolak dan ditandai (Excel)" } }
                @if r.refused() < r.berkas.len() {
                    form method="post" action="/impor/jalankan" {
                        input type="hidden" name="csrf" value=(sesi.csrf);
                        input type="hidden" name="token" value=(t);
                        p { button.utama type="submit" { "Impor sekarang" } }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_read_day_first_or_as_iso_and_nothing_else() {
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        for (typed, want) in [
            ("29-11-2026", d(2026, 11, 29)),
            ("29/11/2026", d(2026, 11, 29)),
            ("29.11.2026", d(2026, 11, 29)),
            (" 1-2-2026 ", d(2026, 2, 1)),
            ("2026-11-29", d(2026, 11, 29)),
            ("31-02-2026", None),
            ("2026-13-01", None),
            ("29-11-26", None),
            ("11-29-2026", None),
            ("29 11 2026", None),
            ("29-11-2026-1", None),
            ("+1-11-2026", None),
            ("", None),
            ("besok", None),
        ] {
            assert_eq!(baca_tanggal(typed), want, "{typed:?}");
        }
        assert_eq!(tanggal_tampil("2026-11-29"), "29-11-2026");
        assert_eq!(tanggal_tampil("29/11/2026"), "29-11-2026");
        assert_eq!(tanggal_tampil("31-02-2026"), "31-02-2026");
        assert_eq!(tanggal_iso("29/11/2026"), "2026-11-29");
        assert_eq!(tanggal_iso("kemarin"), "kemarin");
    }

    #[test]
    fn a_schedule_is_titled_in_words_and_its_file_named_without_its_folder() {
        assert_eq!(judul_jadwal("laporan-bulanan"), "Laporan bulanan");
        assert_eq!(judul_jadwal("kirim_ulang"), "Kirim ulang");
        assert_eq!(
            nama_berkas("schedules/laporan-bulanan.toml (bawaan)"),
            "laporan-bulanan.toml (bawaan)"
        );
        assert_eq!(
            nama_berkas("/srv/kantor (lama)/schedules/cadangan.toml"),
            "cadangan.toml"
        );
    }
}
