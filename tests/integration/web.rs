//! The web page through its router (no network): logins, sessions, CSRF, today's work.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Duration;
use kelurahan::web::{App, COOKIE_MASUK, COOKIE_SESI, router};
use tower::ServiceExt;

use crate::Ws;

struct Res {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    location: Option<String>,
    cookies: Vec<String>,
    body: String,
}

async fn send(app: &App, req: Request<Body>) -> Res {
    let res = router(app.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string());
    let cookies = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    Res {
        status,
        headers,
        location,
        cookies,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::get(path);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::empty()).unwrap()
}

fn post(path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Request<Body> {
    let body = form
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
        .collect::<Vec<_>>()
        .join("&");
    let mut r =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::from(body)).unwrap()
}

/// The value of `name=` in a Set-Cookie line.
fn cookie_value<'a>(cookies: &'a [String], name: &str) -> Option<&'a str> {
    cookies
        .iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .map(|rest| rest.split(';').next().unwrap())
}

/// The hidden CSRF field of the first form on a page.
fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
    page[at..at + 64].to_string()
}

fn account(ws: &Ws, nama: &str, peran: &str, sandi: &str) {
    let mut reg = kelurahan::store::Register::open(
        &ws.dir.join("kelurahan.db"),
        kelurahan::domain::calendar::WIB,
    )
    .unwrap();
    let now = kelurahan::domain::calendar::now(kelurahan::domain::calendar::WIB);
    kelurahan::services::pengguna::tambah(&mut reg, nama, peran.parse().unwrap(), sandi, now)
        .unwrap();
}

/// Logs in and returns the session cookie header.
async fn login(app: &App, nama: &str, sandi: &str) -> String {
    let form = send(app, get("/masuk", None)).await;
    let token = cookie_value(&form.cookies, COOKIE_MASUK)
        .unwrap()
        .to_string();
    let res = send(
        app,
        post(
            "/masuk",
            Some(&format!("{COOKIE_MASUK}={token}")),
            &[("nama", nama), ("sandi", sandi), ("csrf", &token)],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    format!(
        "{COOKIE_SESI}={}",
        cookie_value(&res.cookies, COOKIE_SESI).unwrap()
    )
}

#[tokio::test]
async fn a_login_opens_a_session_with_safe_cookies() {
    let ws = Ws::init();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());

    // No session: the login page.
    let res = send(&app, get("/", None)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location.as_deref(), Some("/masuk"));

    let form = send(&app, get("/masuk", None)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<html lang=\"id\">"));
    assert!(form.body.contains("Kata sandi"));
    assert!(
        form.body.contains("KELURAHAN RAWASARI"),
        "the page names the office"
    );
    let token = cookie_value(&form.cookies, COOKIE_MASUK)
        .unwrap()
        .to_string();
    assert!(form.cookies[0].contains("HttpOnly") && form.cookies[0].contains("SameSite=Strict"));
    assert_eq!(csrf_of(&form.body), token);
    let with = format!("{COOKIE_MASUK}={token}");

    // A login form that did not come from the page is refused.
    let res = send(
        &app,
        post(
            "/masuk",
            None,
            &[
                ("nama", "Rina Marlina"),
                ("sandi", "sandi-operator-1"),
                ("csrf", &token),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("kedaluwarsa"));

    // A wrong password: the form again, the name kept, the words of the library.
    let res = send(
        &app,
        post(
            "/masuk",
            Some(&with),
            &[
                ("nama", "Rina Marlina"),
                ("sandi", "salah-sandinya"),
                ("csrf", &token),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.body.contains("nama atau kata sandi salah"));
    assert!(res.body.contains("value=\"Rina Marlina\""));

    let res = send(
        &app,
        post(
            "/masuk",
            Some(&with),
            &[
                ("nama", "rina marlina"),
                ("sandi", "sandi-operator-1"),
                ("csrf", &token),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location.as_deref(), Some("/"));
    let sesi = res
        .cookies
        .iter()
        .find(|c| c.starts_with(COOKIE_SESI))
        .unwrap();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(sesi.contains(part), "{sesi}");
    }
    let value = cookie_value(&res.cookies, COOKIE_SESI).unwrap();
    // Only a hash of the token is kept.
    let stored: String = ws
        .db()
        .query_row("SELECT token FROM sesi", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, value);
    assert_eq!(stored.len(), 64);

    let page = send(&app, get("/", Some(&format!("{COOKIE_SESI}={value}")))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Rina Marlina (Operator)"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn each_role_sees_what_waits_for_it() {
    let ws = Ws::init();
    ws.baru("<script>alert(1)</script> Siti");
    ws.baru("Budi Santoso");
    ws.ok(&[
        "permohonan",
        "lanjut",
        "2",
        "--peran",
        "operator",
        "--oleh",
        "Rina",
    ]);
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    account(&ws, "Bambang Kasi", "kasi", "sandi-kasi-0001");
    account(&ws, "Pak Admin", "admin", "sandi-admin-001");
    let app = App::new(ws.dir.clone());

    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let page = send(&app, get("/", Some(&op))).await.body;
    assert!(
        page.contains("1 permohonan menunggu langkah Anda"),
        "{page}"
    );
    // Names are data, never markup.
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt; Siti"),
        "{page}"
    );
    assert!(!page.contains("<script>"));
    assert!(!page.contains("Budi Santoso"));

    let kasi = login(&app, "Bambang Kasi", "sandi-kasi-0001").await;
    let page = send(&app, get("/", Some(&kasi))).await.body;
    assert!(page.contains("Budi Santoso"), "{page}");
    assert!(page.contains("Diterima"));
    assert!(!page.contains("Siti"));

    let admin = login(&app, "Pak Admin", "sandi-admin-001").await;
    let page = send(&app, get("/", Some(&admin))).await.body;
    assert!(page.contains("Kedudukan permohonan"), "{page}");
    assert!(
        page.contains("Impor register lama") && page.contains("/laporan"),
        "{page}"
    );

    // The Koordinator: an issued letter is not work (its report is the month's), and
    // is never marked late; it is counted as waiting for the monthly report.
    crate::letters::issue(&ws, "1", &[]);
    ws.ok(&[
        "permohonan",
        "lanjut",
        "2",
        "--peran",
        "kasi",
        "--oleh",
        "Bambang",
    ]);
    account(&ws, "Andi Koordinator", "koordinator", "sandi-koordinator");
    let ko = login(&app, "Andi Koordinator", "sandi-koordinator").await;
    let page = send(&app, get("/", Some(&ko))).await.body;
    assert!(
        page.contains("1 permohonan menunggu langkah Anda"),
        "{page}"
    );
    assert!(
        page.contains("Budi Santoso") && !page.contains("Siti"),
        "{page}"
    );
    assert!(
        page.contains("1 permohonan yang suratnya sudah terbit menunggu laporan bulanan"),
        "{page}"
    );
}

/// A worklist counts a request's wait in its stage from its latest move, and its wait
/// since it came in from its date; the stages' counts take the finished requests as the
/// total less the rest, which must still add up.
#[test]
fn a_worklist_counts_from_the_latest_move_and_stages_add_up() {
    use chrono::{DateTime, NaiveDate};
    use kelurahan::domain::calendar::{self, WIB};
    use kelurahan::domain::pengguna::PeranPengguna;
    use kelurahan::domain::workflow::Tahap;
    use kelurahan::services::pekerjaan::Pekerjaan;
    let ws = Ws::init();
    // Received on Monday 2 November, accepted on Thursday 12 November.
    crate::set_clock("2026-11-02T09:00:00+07:00");
    ws.json(&crate::with_identity(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-domisili",
        "--nama",
        "Budi Santoso",
        "--nik",
        crate::NIK_L,
        "--berkas",
        "pengantar-rt,kk-ktp",
        "--tanggal",
        "2026-11-02",
    ]));
    crate::set_clock("2026-11-12T09:00:00+07:00");
    ws.ok(&[
        "permohonan",
        "lanjut",
        "1",
        "--peran",
        "operator",
        "--oleh",
        "Rina",
    ]);
    ws.baru("Siti Aminah");
    ws.baru("Ani Lestari");
    ws.ok(&[
        "permohonan",
        "tolak",
        "3",
        "--peran",
        "operator",
        "--oleh",
        "Rina",
        "--alasan",
        "Pengantar RT belum dibawa",
    ]);

    let workspace = kelurahan::config::workspace::Workspace::open(&ws.dir).unwrap();
    let reg = kelurahan::store::Register::open(&ws.dir.join("kelurahan.db"), WIB).unwrap();
    let libur = workspace.profil.holidays();
    let monday = DateTime::parse_from_rfc3339("2026-11-16T10:00:00+07:00").unwrap();
    let kasi = Pekerjaan::of(&workspace, &reg, PeranPengguna::Kasi, monday, 1, 50).unwrap();
    assert_eq!(kasi.daftar.len(), 1);
    let m = &kasi.daftar[0];
    assert_eq!(m.p.nama, "Budi Santoso");
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let in_stage = calendar::working_days_between(day(12), day(16), &libur);
    let since = calendar::working_days_between(day(2), day(16), &libur);
    assert!(since > in_stage, "{since} > {in_stage}");
    assert_eq!(m.hari_di_tahap, in_stage);
    assert_eq!(m.hari_sejak_masuk, since);

    let stage = |t: Tahap| kasi.per_tahap.iter().find(|c| c.tahap == t).unwrap().jumlah;
    assert_eq!(stage(Tahap::Diajukan), 1);
    assert_eq!(stage(Tahap::Diterima), 1);
    assert_eq!(stage(Tahap::Ditolak), 1);
    assert_eq!(stage(Tahap::DilaporkanKeLurah), 0);
    assert_eq!(kasi.per_tahap.iter().map(|c| c.jumlah).sum::<i64>(), 3);
}

#[tokio::test]
async fn logout_needs_the_session_token_and_sessions_expire() {
    let ws = Ws::init();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());
    let sesi = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let page = send(&app, get("/", Some(&sesi))).await.body;
    let csrf = csrf_of(&page);

    // A form without the session's CSRF token is refused, and changes nothing.
    let res = send(&app, post("/keluar", Some(&sesi), &[("csrf", "0")])).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = send(&app, post("/keluar", Some(&sesi), &[])).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        send(&app, get("/", Some(&sesi))).await.status,
        StatusCode::OK
    );

    // Twelve hours on, the session is over.
    let later = App::with_clock(ws.dir.clone(), || {
        kelurahan::domain::calendar::now(kelurahan::domain::calendar::WIB) + Duration::hours(13)
    });
    let res = send(&later, get("/", Some(&sesi))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location.as_deref(), Some("/masuk?habis=1"));
    assert!(
        send(&later, get("/masuk?habis=1", None))
            .await
            .body
            .contains("Sesi Anda sudah berakhir")
    );

    let res = send(&app, post("/keluar", Some(&sesi), &[("csrf", &csrf)])).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        res.cookies
            .iter()
            .any(|c| c.starts_with(&format!("{COOKIE_SESI}=;")) && c.contains("Max-Age=0"))
    );
    assert_eq!(
        send(&app, get("/", Some(&sesi))).await.status,
        StatusCode::SEE_OTHER
    );
    let left: i64 = ws
        .db()
        .query_row("SELECT COUNT(*) FROM sesi", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_request_goes_from_the_operator_to_the_letter_under_each_name() {
    let ws = Ws::init();
    let p = ws.baru("Siti Aminah");
    let id = p["id"].as_i64().unwrap().to_string();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    account(&ws, "Bambang Kasi", "kasi", "sandi-kasi-0001");
    account(&ws, "Andi Koordinator", "koordinator", "sandi-koor-0001");
    account(&ws, "Pak Admin", "admin", "sandi-admin-001");
    let app = App::new(ws.dir.clone());
    let page_of = |who: String| {
        let app = app.clone();
        let id = id.clone();
        async move { send(&app, get(&format!("/permohonan/{id}"), Some(&who))).await }
    };

    let kasi = login(&app, "Bambang Kasi", "sandi-kasi-0001").await;
    let page = page_of(kasi.clone()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("/lanjut"), "not the Kasi's step yet");
    // Posting it anyway: the library's refusal, in its words, and nothing written.
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/lanjut"),
            Some(&kasi),
            &[("dari", "diajukan"), ("csrf", &csrf_of(&page.body))],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("Operator"), "{}", res.body);

    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let page = page_of(op.clone()).await;
    assert!(page.body.contains("Terima: berkas lengkap"));
    // Without the session's token the move is refused.
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/lanjut"),
            Some(&op),
            &[("dari", "diajukan"), ("csrf", "x")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(ws.json(&["permohonan", "lihat", &id])["tahap"], "diajukan");
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/lanjut"),
            Some(&op),
            &[("dari", "diajukan"), ("csrf", &csrf_of(&page.body))],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    let page = page_of(kasi.clone()).await;
    send(
        &app,
        post(
            &format!("/permohonan/{id}/lanjut"),
            Some(&kasi),
            &[("dari", "diterima"), ("csrf", &csrf_of(&page.body))],
        ),
    )
    .await;

    let admin = login(&app, "Pak Admin", "sandi-admin-001").await;
    let page = page_of(admin.clone()).await;
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/lanjut"),
            Some(&admin),
            &[("dari", "diteruskan"), ("csrf", &csrf_of(&page.body))],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let koor = login(&app, "Andi Koordinator", "sandi-koor-0001").await;
    let page = page_of(koor.clone()).await;
    assert!(page.body.contains("Tindak lanjuti dan terbitkan surat"));
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/lanjut"),
            Some(&koor),
            &[("dari", "diteruskan"), ("csrf", &csrf_of(&page.body))],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    // The history names the people who logged in, not typed names.
    let v = ws.json(&["permohonan", "lihat", &id]);
    assert_eq!(v["tahap"], "ditindaklanjuti");
    let oleh: Vec<&str> = v["riwayat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["oleh"].as_str().unwrap())
        .collect();
    assert_eq!(
        oleh[1..],
        ["Rina Marlina", "Bambang Kasi", "Andi Koordinator"]
    );

    // The letter, as a PDF named by its number.
    let res = router(app.clone())
        .oneshot(get(&format!("/permohonan/{id}/surat.pdf"), Some(&op)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    let nomor = v["surat"]["nomor"].as_str().unwrap();
    assert!(
        disposition.contains(&kelurahan::domain::numbering::file_stem(nomor)),
        "{disposition}"
    );
    assert!(!disposition.contains("Siti"));
    let pdf = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    let file = ws.dir.join("unduhan.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = crate::letters::pdf_text(&file);
    assert!(
        text.contains("SITI AMINAH") || text.contains("Siti Aminah"),
        "{text}"
    );
    assert!(text.contains(nomor), "{text}");
}

#[tokio::test]
async fn a_refusal_needs_a_reason_and_comes_before_the_letter() {
    let ws = Ws::init();
    let p = ws.baru("Budi Santoso");
    let id = p["id"].as_i64().unwrap().to_string();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let page = send(&app, get(&format!("/permohonan/{id}"), Some(&op)))
        .await
        .body;
    let csrf = csrf_of(&page);
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/tolak"),
            Some(&op),
            &[("csrf", &csrf), ("alasan", " ")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("alasan"), "{}", res.body);
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/tolak"),
            Some(&op),
            &[("csrf", &csrf), ("alasan", "KTP kedaluwarsa")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let v = ws.json(&["permohonan", "lihat", &id]);
    assert_eq!(v["tahap"], "ditolak");
    assert_eq!(v["riwayat"][1]["oleh"], "Rina Marlina");
    assert_eq!(v["riwayat"][1]["catatan"], "KTP kedaluwarsa");
    let res = send(&app, get("/permohonan/999", Some(&op))).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(!res.body.contains("panicked") && !res.body.contains("rusqlite"));
}

#[tokio::test]
async fn the_operator_registers_a_request_from_the_catalog_form() {
    let ws = Ws::init();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    account(&ws, "Bambang Kasi", "kasi", "sandi-kasi-0001");
    let app = App::new(ws.dir.clone());
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;

    let list = send(&app, get("/permohonan/baru", Some(&op))).await.body;
    assert!(
        list.contains("/permohonan/baru?jenis=pengantar-nikah"),
        "{list}"
    );
    let form = send(&app, get("/permohonan/baru?jenis=sk-usaha", Some(&op)))
        .await
        .body;
    // The type's own fields and papers come from the catalog.
    assert!(form.contains("name=\"isian:nama_usaha\""), "{form}");
    assert!(
        form.contains("name=\"berkas\" value=\"pengantar-rt\""),
        "{form}"
    );
    let csrf = csrf_of(&form);

    let fields = |nik: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("jenis", "sk-usaha".to_string()),
            ("kanal", "whatsapp".to_string()),
            ("nama", "Siti Aminah".to_string()),
            ("nik", nik.to_string()),
            ("telepon", "081234567890".to_string()),
            ("isian:nama_usaha", "Warung Bu Siti".to_string()),
            ("isian:jenis_usaha", "Warung makan".to_string()),
            ("isian:alamat_usaha", "Jl. Sumbawa No. 3".to_string()),
            ("isian:mulai_usaha", "2019".to_string()),
            ("alamat", crate::ALAMAT.to_string()),
            ("rt", "9".to_string()),
            ("rw", "3".to_string()),
            ("isian:tempat_lahir", "Jambi".to_string()),
            ("isian:agama", "Islam".to_string()),
            ("isian:pekerjaan", "Pedagang".to_string()),
            ("isian:status_perkawinan", "Kawin".to_string()),
            ("isian:kewarganegaraan", "WNI".to_string()),
            ("berkas", "pengantar-rt".to_string()),
            ("berkas", "kk-ktp".to_string()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
    let send_form = |v: Vec<(&'static str, String)>, who: String| {
        let app = app.clone();
        async move {
            let pairs: Vec<(&str, &str)> = v.iter().map(|(k, x)| (*k, x.as_str())).collect();
            send(&app, post("/permohonan/baru", Some(&who), &pairs)).await
        }
    };

    // A wrong NIK: the form again, with the intake's own words and what was typed.
    let res = send_form(as_refs(&fields("123")), op.clone()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("NIK harus 16 angka"), "{}", res.body);
    assert!(res.body.contains("value=\"Warung Bu Siti\""));
    assert_eq!(ws.snapshot().as_array().unwrap().len(), 0);

    // Only the Operator registers.
    let kasi = login(&app, "Bambang Kasi", "sandi-kasi-0001").await;
    assert_eq!(
        send(&app, get("/permohonan/baru", Some(&kasi)))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let res = send_form(fields(crate::NIK_P), op.clone()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let v = ws.json(&["permohonan", "lihat", "1"]);
    assert_eq!(v["kanal"], "whatsapp");
    assert_eq!(v["isian"]["nama_usaha"], "Warung Bu Siti");
    let ada: Vec<&str> = v["berkas"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["ada"] == true)
        .map(|b| b["kode"].as_str().unwrap())
        .collect();
    assert_eq!(ada, ["pengantar-rt", "kk-ktp"]);
    assert!(
        v["riwayat"][0]["catatan"]
            .as_str()
            .unwrap()
            .contains("Rina Marlina"),
        "{v}"
    );
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/permohonan/{}", v["id"]).as_str())
    );
}

#[tokio::test]
async fn a_whatsapp_request_offers_the_message_that_fits_its_stage() {
    let ws = Ws::init();
    let p = ws.json(&crate::with_identity(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-domisili",
        "--nama",
        "Siti Aminah",
        "--nik",
        crate::NIK_P,
        "--kanal",
        "whatsapp",
        "--telepon",
        "0812-3456-7890",
        "--berkas",
        "pengantar-rt",
    ]));
    let id = p["id"].as_i64().unwrap().to_string();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let page = send(&app, get(&format!("/permohonan/{id}"), Some(&op)))
        .await
        .body;
    // A paper is missing: the message names it; the number is in international form.
    assert!(page.contains("https://wa.me/6281234567890?text="), "{page}");
    assert!(page.contains("Kabari: berkas kurang"), "{page}");
    assert!(page.contains("belum%20ada"), "{page}");
    // No NIK in the message.
    let href = &page[page.find("https://wa.me/").unwrap()..];
    let href = &href[..href.find('"').unwrap()];
    assert!(!href.contains(crate::NIK_P), "{href}");

    // A request taken at the counter offers nothing.
    let walk_in = ws.baru("Budi Santoso");
    let page = send(
        &app,
        get(&format!("/permohonan/{}", walk_in["id"]), Some(&op)),
    )
    .await
    .body;
    assert!(!page.contains("wa.me"));
}

#[tokio::test]
async fn the_register_is_searched_by_name_number_and_only_a_whole_nik() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let budi = ws.json(&crate::with_identity(&[
        "permohonan",
        "baru",
        "--jenis",
        "sktm",
        "--nama",
        "Budi_Santoso 100%",
        "--nik",
        crate::NIK_L,
        "--berkas",
        "pengantar-rt",
    ]));
    // "0002/2026" typed the short way, "2/2026".
    let (urut, tahun) = budi["nomor_register"]
        .as_str()
        .unwrap()
        .split_once('/')
        .unwrap();
    let short = format!("cari={}%2F{tahun}", urut.trim_start_matches('0'));
    account(&ws, "Bambang Kasi", "kasi", "sandi-kasi-0001");
    let app = App::new(ws.dir.clone());
    let kasi = login(&app, "Bambang Kasi", "sandi-kasi-0001").await;
    let search = |q: &str| {
        let app = app.clone();
        let kasi = kasi.clone();
        let url = format!("/register?{q}");
        async move { send(&app, get(&url, Some(&kasi))).await.body }
    };
    let all = search("").await;
    assert!(all.contains("2 permohonan."), "{all}");
    // Lists mask the NIK.
    assert!(!all.contains(crate::NIK_P) && all.contains("1571xxxxxxxx0003"));
    let by_name = search("cari=aminah").await;
    assert!(
        by_name.contains("1 permohonan.") && by_name.contains("Siti Aminah"),
        "{by_name}"
    );
    // A search with a filter beside it finds what both allow.
    assert!(
        search("cari=aminah&tahap=diajukan")
            .await
            .contains("1 permohonan.")
    );
    assert!(
        search("cari=aminah&tahap=ditolak")
            .await
            .contains("0 permohonan.")
    );
    assert!(search("cari=AMINAH+siti").await.contains("0 permohonan."));
    // A search made only of punctuation is no wildcard: it finds nothing.
    assert!(search("cari=%25").await.contains("0 permohonan."));
    assert!(search("cari=_").await.contains("0 permohonan."));
    let found = search(&short).await;
    assert!(
        found.contains("1 permohonan.") && found.contains("Budi_Santoso"),
        "{found}"
    );
    // A NIK is found only whole; its digits fish for nothing.
    assert!(
        search(&format!("cari={}", crate::NIK_P))
            .await
            .contains("1 permohonan.")
    );
    assert!(search("cari=15710945").await.contains("0 permohonan."));
    assert!(
        search("cari=&tahap=diajukan&jenis=sktm")
            .await
            .contains("1 permohonan.")
    );
    // The sequence number alone finds it in any year: "0002" and "2".
    for q in ["cari=0002", "cari=2"] {
        let found = search(q).await;
        assert!(
            found.contains("1 permohonan.") && found.contains("Budi_Santoso"),
            "{found}"
        );
    }
    // A month is chosen by its name; a month without requests lists none.
    let month = &budi["tanggal"].as_str().unwrap()[..7];
    let page = search("").await;
    assert!(
        page.contains(&format!("<option value=\"{month}\"")),
        "{page}"
    );
    assert!(
        search(&format!("bulan={month}"))
            .await
            .contains("2 permohonan.")
    );
    assert!(search("bulan=2001-01").await.contains("0 permohonan."));
    // The same search on the command line.
    let v = ws.json(&["permohonan", "daftar", "--cari", "aminah"]);
    assert_eq!(v.as_array().unwrap().len(), 1);
    // A name found from two of its words is one request, listed once.
    ws.baru("Aminah binti Aminah");
    let twice = search("cari=aminah").await;
    assert!(twice.contains("2 permohonan."), "{twice}");
    assert_eq!(twice.matches("Aminah binti Aminah").count(), 1, "{twice}");
}

/// Any page of the register, with or without a filter, is the same slice of it, newest
/// first, whichever end the page is found from (a page past the middle is counted from the
/// oldest request).
#[test]
fn every_page_of_the_register_is_its_slice_of_the_whole() {
    use kelurahan::domain::calendar::WIB;
    use kelurahan::store::{Filter, Register};
    let ws = Ws::init();
    // Over two calendar years, so pages cross from one year's numbers to the other's.
    let start = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    crate::many_requests(&ws, 137, |i| start + Duration::days(3 * i as i64));
    let reg = Register::open(&ws.dir.join("kelurahan.db"), WIB).unwrap();
    let one_year = Filter {
        tahun: Some(2025),
        ..Filter::default()
    };
    for f in [Filter::default(), one_year] {
        let mut all: Vec<i64> = reg.list(&f).unwrap().into_iter().map(|p| p.id).collect();
        all.reverse();
        assert!(all.len() > 20, "{}", all.len());
        for limit in [50, 13] {
            for offset in (0..=all.len() + 3).step_by(7) {
                let (page, total) = reg.list_page(&f, offset, limit).unwrap();
                let ids: Vec<i64> = page.iter().map(|p| p.id).collect();
                let want = &all[offset.min(all.len())..(offset + limit).min(all.len())];
                assert_eq!(total, all.len());
                assert_eq!(ids, want, "offset {offset}, limit {limit}");
            }
        }
    }
}

/// A long register is shown a page at a time, newest first, with links between pages
/// that keep the search.
#[tokio::test]
async fn the_register_pages_through_a_long_register() {
    let ws = Ws::init();
    let today = kelurahan::domain::calendar::now(kelurahan::domain::calendar::WIB).date_naive();
    crate::many_requests(&ws, 120, |_| today);
    account(&ws, "Bambang Kasi", "kasi", "sandi-kasi-0001");
    let app = App::new(ws.dir.clone());
    let kasi = login(&app, "Bambang Kasi", "sandi-kasi-0001").await;
    let first = send(&app, get("/register?cari=Pemohon", Some(&kasi)))
        .await
        .body;
    assert!(
        first.contains("120 permohonan, halaman 1 dari 3"),
        "{first}"
    );
    assert!(
        first.contains("Pemohon Nomor 119") && !first.contains("Pemohon Nomor 69<"),
        "newest first"
    );
    assert!(
        first.contains("halaman=2") && first.contains("cari=Pemohon"),
        "{first}"
    );
    let third = send(&app, get("/register?cari=Pemohon&halaman=3", Some(&kasi)))
        .await
        .body;
    assert!(
        third.contains("halaman 3 dari 3") && third.contains("Pemohon Nomor 0<"),
        "{third}"
    );
    assert_eq!(third.matches("/permohonan/").count(), 20, "{third}");
    // A page past the end is the last one, a page that is no number the first.
    for q in ["halaman=4", "halaman=99999999999999999999999"] {
        let res = send(
            &app,
            get(&format!("/register?cari=Pemohon&{q}"), Some(&kasi)),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{q}");
        assert!(
            res.body.contains("halaman 3 dari 3") && res.body.contains("Pemohon Nomor 0<"),
            "{q}: {}",
            res.body
        );
    }
    let res = send(&app, get("/register?cari=Pemohon&halaman=-1", Some(&kasi))).await;
    assert!(res.body.contains("halaman 1 dari 3"), "{}", res.body);
}

#[tokio::test]
async fn forms_print_blank_and_filled_from_the_page() {
    let ws = Ws::init();
    let p = ws.baru("Siti Aminah");
    let id = p["id"].as_i64().unwrap();
    let nomor = p["nomor_register"].as_str().unwrap().to_string();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;

    let page = send(&app, get("/blanko", Some(&op))).await.body;
    let types = ws.json(&["katalog"])["jenis"].as_array().unwrap().len();
    assert_eq!(page.matches("/blanko/permohonan-").count(), types, "{page}");
    let pdf_text = |path: String| {
        let app = app.clone();
        let op = op.clone();
        let dir = ws.dir.clone();
        async move {
            let res = router(app).oneshot(get(&path, Some(&op))).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
            let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
                .await
                .unwrap();
            let file = dir.join("unduhan.pdf");
            std::fs::write(&file, &bytes).unwrap();
            crate::letters::pdf_text(&file)
        }
    };
    let text = pdf_text("/blanko/permohonan-sktm.pdf".into()).await;
    assert!(text.to_uppercase().contains("TIDAK MAMPU"), "{text}");
    let text = pdf_text(format!("/permohonan/{id}/tanda-terima.pdf")).await;
    assert!(text.contains(&nomor), "{text}");
    let text = pdf_text(format!("/permohonan/{id}/lembar-kendali.pdf")).await;
    assert!(text.contains(&nomor), "{text}");
    let text = pdf_text("/blanko/model-n4.pdf".into()).await;
    assert!(text.contains("PERSETUJUAN CALON PENGANTIN"), "{text}");
    for missing in [
        "/blanko/permohonan-sakti.pdf",
        "/blanko/kelurahan.toml",
        &format!("/permohonan/{id}/kelurahan.db"),
        // A domicile request has no marriage models.
        &format!("/permohonan/{id}/model-n4.pdf"),
    ] {
        assert_eq!(
            send(&app, get(missing, Some(&op))).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn the_coordinator_makes_the_months_reports_and_anyone_downloads_them() {
    crate::during_report_month();
    let ws = Ws::init();
    let p = ws.baru("Siti Aminah");
    let id = p["id"].as_i64().unwrap().to_string();
    crate::letters::issue(&ws, &id, &[]);
    account(&ws, "Andi Koordinator", "koordinator", "sandi-koor-0001");
    account(&ws, "Bu Lurah", "lurah", "sandi-lurah-001");
    crate::report_month_over();
    let app = App::with_clock(ws.dir.clone(), || {
        chrono::DateTime::parse_from_rfc3339("2026-12-01T08:00:00+07:00").unwrap()
    });
    let koor = login(&app, "Andi Koordinator", "sandi-koor-0001").await;
    let lurah = login(&app, "Bu Lurah", "sandi-lurah-001").await;
    let bulan = p["tanggal"].as_str().unwrap()[..7].to_string();

    // The Lurah reads reports; making them is not the Lurah's step.
    let page = send(&app, get("/laporan", Some(&lurah))).await.body;
    assert!(!page.contains("/laporan/buat"));
    let res = send(
        &app,
        post(
            "/laporan/buat",
            Some(&lurah),
            &[("csrf", &csrf_of(&page)), ("bulan", &bulan)],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let page = send(&app, get("/laporan", Some(&koor))).await.body;
    assert!(page.contains("Belum ada laporan"));
    let res = send(
        &app,
        post(
            "/laporan/buat",
            Some(&koor),
            &[("csrf", &csrf_of(&page)), ("bulan", "2999-01")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The month still running is not reported yet.
    let res = send(
        &app,
        post(
            "/laporan/buat",
            Some(&koor),
            &[("csrf", &csrf_of(&page)), ("bulan", "2026-12")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("belum selesai"), "{}", res.body);
    let res = send(
        &app,
        post(
            "/laporan/buat",
            Some(&koor),
            &[
                ("csrf", &csrf_of(&page)),
                ("bulan", &bulan),
                ("kirim", "ya"),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    // The request was reported (stages 5 and 6), and the mail went to the outbox.
    assert_eq!(
        ws.json(&["permohonan", "lihat", &id])["tahap"],
        "dilaporkan_ke_lurah"
    );
    let outbox: Vec<_> = std::fs::read_dir(ws.dir.join("output/outbox"))
        .unwrap()
        .collect();
    assert_eq!(outbox.len(), 1);

    let page = send(&app, get("/laporan", Some(&lurah))).await.body;
    let link = format!("/laporan/{bulan}/rekap-seklur-{bulan}.pdf");
    assert!(page.contains(&link), "{page}");
    let res = router(app.clone())
        .oneshot(get(&link, Some(&lurah)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    // Only the report files of a real month are served.
    for bad in [
        format!("/laporan/{bulan}/..%2F..%2Fkelurahan.toml"),
        "/laporan/2026-13/laporan-2026-13.xlsx".to_string(),
        format!("/laporan/{bulan}/kelurahan.db"),
    ] {
        assert_eq!(
            send(&app, get(&bad, Some(&lurah))).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
}

/// The reports page offers months by name ("Desember 2026") from a list, never a
/// `2026-12` to type, and only periods that are over.
#[tokio::test]
async fn the_reports_page_offers_months_quarters_and_years_by_name() {
    let ws = Ws::init();
    account(&ws, "Andi Koordinator", "koordinator", "sandi-koor-0001");
    account(&ws, "Bu Lurah", "lurah", "sandi-lurah-001");
    let app = App::with_clock(ws.dir.clone(), || {
        chrono::DateTime::parse_from_rfc3339("2027-01-05T08:00:00+07:00").unwrap()
    });
    let koor = login(&app, "Andi Koordinator", "sandi-koor-0001").await;
    let lurah = login(&app, "Bu Lurah", "sandi-lurah-001").await;

    let page = send(&app, get("/laporan", Some(&koor))).await.body;
    assert!(
        page.contains("<select id=\"bulan\" name=\"bulan\" required>")
            && page.contains("<option value=\"2026-12\" selected>Desember 2026</option>")
            && page.contains("<option value=\"2026-10\">Oktober 2026</option>"),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"2026-Q4\" selected>Triwulan IV 2026</option>")
            && page.contains("<option value=\"2026-Q3\">Triwulan III 2026</option>")
            && page.contains("<option value=\"2026\" selected>Tahun 2026</option>")
            && page.contains("<option value=\"2025\">Tahun 2025</option>"),
        "{page}"
    );
    // Nothing to type, and nothing still running offered.
    assert!(!page.contains("pattern=") && !page.contains("TAHUN-BULAN"));
    for running in ["2027-01", "2027-Q1", "2027"] {
        assert!(!page.contains(&format!("value=\"{running}\"")), "{running}");
    }
    // The Lurah reads the reports; making them is not the Lurah's step.
    let page = send(&app, get("/laporan", Some(&lurah))).await.body;
    assert!(!page.contains("/laporan/buat") && !page.contains("/laporan/periode"));
    assert!(page.contains("Belum ada laporan"));

    // A month's value from anywhere but the list is refused in words.
    let page = send(&app, get("/laporan", Some(&koor))).await.body;
    for bad in ["2026-13", "Oktober 2026", ""] {
        let res = send(
            &app,
            post(
                "/laporan/buat",
                Some(&koor),
                &[("csrf", &csrf_of(&page)), ("bulan", bad)],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(
            res.body
                .contains("Bulan laporan tidak dikenal. Pilih bulan dari daftar"),
            "{}",
            res.body
        );
    }
}

/// A quarter's and a year's report are made from the page through the same service as
/// `laporan triwulan` / `laporan tahunan`, by the hands that make the month's: the PDF
/// and the workbook, listed and downloaded after; a bad period, or one not over, is
/// refused in Indonesian words and writes nothing.
#[tokio::test]
async fn the_quarter_and_the_year_are_reported_from_the_page() {
    let ws = Ws::init();
    account(&ws, "Andi Koordinator", "koordinator", "sandi-koor-0001");
    account(&ws, "Sri Seklur", "seklur", "sandi-seklur-01");
    account(&ws, "Bu Lurah", "lurah", "sandi-lurah-001");
    let app = App::with_clock(ws.dir.clone(), || {
        chrono::DateTime::parse_from_rfc3339("2027-01-05T08:00:00+07:00").unwrap()
    });
    let koor = login(&app, "Andi Koordinator", "sandi-koor-0001").await;
    let seklur = login(&app, "Sri Seklur", "sandi-seklur-01").await;
    let lurah = login(&app, "Bu Lurah", "sandi-lurah-001").await;
    let folder = ws.dir.join("output/laporan");

    // Not the Lurah's step: refused, nothing written.
    let page = send(&app, get("/laporan", Some(&lurah))).await.body;
    let res = send(
        &app,
        post(
            "/laporan/periode",
            Some(&lurah),
            &[("csrf", &csrf_of(&page)), ("periode", "2026-Q4")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    assert!(!folder.join("2026-Q4").exists());
    // Nor without the form's token.
    let res = send(
        &app,
        post(
            "/laporan/periode",
            Some(&koor),
            &[("csrf", "0"), ("periode", "2026-Q4")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);

    // Refused in words, with nothing written: not a period, not over, not begun.
    let page = send(&app, get("/laporan", Some(&koor))).await.body;
    let csrf = csrf_of(&page);
    for (periode, words) in [
        (
            "2026-Q5",
            "Periode laporan tidak dikenal. Pilih triwulan atau tahun dari daftar",
        ),
        ("Triwulan IV 2026", "Periode laporan tidak dikenal"),
        ("", "Periode laporan tidak dikenal"),
        (
            "2027-Q1",
            "Triwulan I 2027 belum selesai. Laporan triwulan dibuat sesudah triwulan itu berakhir",
        ),
        (
            "2027",
            "Tahun 2027 belum selesai. Laporan tahunan dibuat sesudah tahun itu berakhir",
        ),
        ("2027-Q2", "Triwulan II 2027 belum terjadi."),
        ("2030", "Tahun 2030 belum terjadi."),
    ] {
        let res = send(
            &app,
            post(
                "/laporan/periode",
                Some(&koor),
                &[("csrf", &csrf), ("periode", periode)],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{periode}");
        assert!(res.body.contains(words), "{periode}: {}", res.body);
        // A sentence for a person: no backticks, no command-line option, with the menu.
        assert!(
            !res.body.contains('`')
                && !res.body.contains("--")
                && res.body.contains("href=\"/laporan\""),
            "{}",
            res.body
        );
    }
    assert!(!folder.exists() || std::fs::read_dir(&folder).unwrap().next().is_none());

    // The Koordinator makes the quarter's and sends it; the Seklur the year's.
    let res = send(
        &app,
        post(
            "/laporan/periode",
            Some(&koor),
            &[("csrf", &csrf), ("periode", "2026-Q4"), ("kirim", "ya")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some("/laporan?dibuat=2026-Q4"));
    let page = send(&app, get("/laporan", Some(&seklur))).await.body;
    let res = send(
        &app,
        post(
            "/laporan/periode",
            Some(&seklur),
            &[("csrf", &csrf_of(&page)), ("periode", "2026")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    for file in [
        "2026-Q4/laporan-triwulan-2026-Q4.pdf",
        "2026-Q4/laporan-triwulan-2026-Q4.xlsx",
        "2026/laporan-tahunan-2026.pdf",
        "2026/laporan-tahunan-2026.xlsx",
    ] {
        assert!(folder.join(file).is_file(), "{file}");
    }
    // Only the quarter was sent.
    let outbox: Vec<_> = std::fs::read_dir(ws.dir.join("output/outbox"))
        .unwrap()
        .collect();
    assert_eq!(outbox.len(), 1);

    // The page says what was made, lists both, and marks them made in the lists.
    let page = send(&app, get("/laporan?dibuat=2026-Q4", Some(&koor)))
        .await
        .body;
    assert!(
        page.contains("Laporan Triwulan IV 2026 sudah dibuat."),
        "{page}"
    );
    assert!(
        page.contains(">Triwulan IV 2026 (sudah dibuat)<")
            && page.contains(">Tahun 2026 (sudah dibuat)<"),
        "{page}"
    );
    // Words only for a period: anything else in the address is not repeated.
    let other = send(&app, get("/laporan?dibuat=Anda+diberhentikan", Some(&koor)))
        .await
        .body;
    assert!(!other.contains("diberhentikan") && !other.contains("sudah dibuat."));

    // Anyone logged in downloads them; only the report's own files are served.
    let page = send(&app, get("/laporan", Some(&lurah))).await.body;
    for (link, magic) in [
        (
            "/laporan/2026-Q4/laporan-triwulan-2026-Q4.pdf",
            &b"%PDF"[..],
        ),
        ("/laporan/2026-Q4/laporan-triwulan-2026-Q4.xlsx", &b"PK"[..]),
        ("/laporan/2026/laporan-tahunan-2026.pdf", &b"%PDF"[..]),
        ("/laporan/2026/laporan-tahunan-2026.xlsx", &b"PK"[..]),
    ] {
        assert!(page.contains(&format!("href=\"{link}\"")), "{link}: {page}");
        let res = router(app.clone())
            .oneshot(get(link, Some(&lurah)))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{link}");
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
            .await
            .unwrap();
        assert!(bytes.starts_with(magic), "{link}");
    }
    for bad in [
        "/laporan/2026-Q4/laporan-tahunan-2026.pdf",
        "/laporan/2026-q4/laporan-triwulan-2026-Q4.pdf",
        "/laporan/2026-Q4/..%2F2026%2Flaporan-tahunan-2026.pdf",
        "/laporan/2026-Q5/laporan-triwulan-2026-Q5.pdf",
    ] {
        assert_eq!(
            send(&app, get(bad, Some(&lurah))).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }

    // The same report as the command line's: recorded once, the same bytes again.
    let pdf = std::fs::read(folder.join("2026-Q4/laporan-triwulan-2026-Q4.pdf")).unwrap();
    crate::set_clock("2027-01-05T09:00:00+07:00");
    let made = ws.json(&["laporan", "triwulan", "--triwulan", "2026-Q4"]);
    assert_eq!(made["rujukan"], "LTW-2026-Q4");
    assert_eq!(
        std::fs::read(folder.join("2026-Q4/laporan-triwulan-2026-Q4.pdf")).unwrap(),
        pdf
    );
}

#[tokio::test]
async fn the_administrator_sees_the_outbox_and_the_schedules() {
    let ws = Ws::init();
    account(&ws, "Pak Admin", "admin", "sandi-admin-001");
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());
    let admin = login(&app, "Pak Admin", "sandi-admin-001").await;
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let page = send(&app, get("/jadwal", Some(&admin))).await.body;
    for name in ["laporan-bulanan", "kirim-ulang", "cadangan"] {
        assert!(page.contains(name), "{page}");
    }
    assert!(
        send(&app, get("/surel", Some(&admin)))
            .await
            .body
            .contains("Kotak keluar kosong")
    );
    assert_eq!(
        send(&app, get("/surel", Some(&op))).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, get("/jadwal", Some(&op))).await.status,
        StatusCode::FORBIDDEN
    );
}

/// A multipart/form-data body with the CSRF field and files.
fn multipart(csrf: &str, files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----kelurahan-uji-batas";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn an_upload_is_checked_first_then_imported_on_confirmation() {
    let ws = Ws::init();
    account(&ws, "Pak Admin", "admin", "sandi-admin-001");
    let app = App::new(ws.dir.clone());
    let admin = login(&app, "Pak Admin", "sandi-admin-001").await;
    let page = send(&app, get("/impor", Some(&admin))).await.body;
    let csrf = csrf_of(&page);
    let fixture = |n: &str| {
        std::fs::read(format!(
            "{}/tests/fixtures/impor/{n}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let upload = |csrf: String| {
        let (kind, body) = multipart(
            &csrf,
            &[
                ("../../register-2022.xls", fixture("register-2022.xls")),
                ("rusak-csv.xls", fixture("rusak-csv.xls")),
            ],
        );
        Request::post("/impor/uji")
            .header(header::COOKIE, &admin)
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .unwrap()
    };
    // Without the token, nothing is kept.
    assert_eq!(
        send(&app, upload("0".into())).await.status,
        StatusCode::FORBIDDEN
    );

    let res = send(&app, upload(csrf.clone())).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("Hasil pemeriksaan (belum diimpor)"));
    assert!(
        res.body
            .contains("44 baris dibaca = 23 akan diimpor + 9 ditolak + 1 ganda + 11 dilewati"),
        "{}",
        res.body
    );
    assert!(res.body.contains("CSV"), "the refused file says why");
    // A dry run's own words: nothing "diimpor" yet, a refused file "ditolak utuh".
    assert!(res.body.contains("<th>Akan diimpor</th>") && res.body.contains("Diperiksa"));
    assert!(
        res.body.contains("Ditolak utuh") && !res.body.contains(">uji<"),
        "{}",
        res.body
    );
    assert_eq!(
        ws.snapshot().as_array().unwrap().len(),
        0,
        "a dry run writes nothing"
    );
    let at = res.body.find("/impor/").unwrap();
    let token = res.body[at + 7..at + 39].to_string();
    // The upload kept its own name only, in a numbered folder inside its token's folder.
    let dir = ws.dir.join(format!("output/impor/unggahan/{token}"));
    assert!(dir.join("01/register-2022.xls").is_file());
    assert!(dir.join("02/rusak-csv.xls").is_file());
    assert!(dir.join("laporan.xlsx").is_file());
    let report = router(app.clone())
        .oneshot(get(&format!("/impor/{token}/laporan.xlsx"), Some(&admin)))
        .await
        .unwrap();
    assert_eq!(report.status(), StatusCode::OK);

    let res = send(
        &app,
        post(
            "/impor/jalankan",
            Some(&admin),
            &[("csrf", &csrf), ("token", &token)],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("Hasil impor"));
    assert!(
        !dir.exists(),
        "the uploaded copies are removed once imported"
    );
    let all = ws.snapshot();
    assert_eq!(all.as_array().unwrap().len(), 23);
    assert!(
        all[0]["riwayat"][0]["catatan"]
            .as_str()
            .unwrap()
            .ends_with("oleh Pak Admin"),
        "{}",
        all[0]
    );
    for bad in ["../x", "zz"] {
        let res = send(
            &app,
            post(
                "/impor/jalankan",
                Some(&admin),
                &[("csrf", &csrf), ("token", bad)],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn papers_brought_later_are_ticked_before_the_request_is_accepted() {
    let ws = Ws::init();
    let p = ws.json(&crate::with_identity(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-domisili",
        "--nama",
        "Siti Aminah",
        "--nik",
        crate::NIK_P,
        "--berkas",
        "pengantar-rt",
    ]));
    let id = p["id"].as_i64().unwrap().to_string();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let page = send(&app, get(&format!("/permohonan/{id}"), Some(&op)))
        .await
        .body;
    let csrf = csrf_of(&page);
    // No accept button while a paper is missing: the page says what is missing instead.
    assert!(!page.contains("Terima: berkas lengkap"), "{page}");
    assert!(
        page.contains("Belum ada: Fotokopi KK dan KTP pemohon"),
        "{page}"
    );
    // Accepting anyway (an old page) is refused by the SOP, in its words, on a page with
    // the menu and the way back to the request.
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/lanjut"),
            Some(&op),
            &[("dari", "diajukan"), ("csrf", &csrf)],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("berkas"), "{}", res.body);
    assert!(
        res.body.contains(&format!("href=\"/permohonan/{id}\"")),
        "{}",
        res.body
    );
    assert!(res.body.contains("Kembali ke permohonan"), "{}", res.body);
    assert!(
        res.body.contains("href=\"/register\""),
        "the menu: {}",
        res.body
    );
    assert!(
        res.body.contains("role=\"alert\">Permohonan"),
        "a sentence: {}",
        res.body
    );
    // Refusing is the Operator's step at stage 1: other roles do not get the form.
    for (nama, peran, sandi) in [
        ("Bambang Kasi", "kasi", "sandi-kasi-0001"),
        ("Bu Seklur", "seklur", "sandi-seklur-01"),
        ("Pak Lurah", "lurah", "sandi-lurah-001"),
    ] {
        account(&ws, nama, peran, sandi);
        let c = login(&app, nama, sandi).await;
        let page = send(&app, get(&format!("/permohonan/{id}"), Some(&c)))
            .await
            .body;
        assert!(!page.contains("/tolak"), "{peran}: {page}");
    }
    assert!(page.contains("/tolak") && page.contains("Ya, tolak permohonan ini"));
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/berkas"),
            Some(&op),
            &[
                ("csrf", &csrf),
                ("berkas", "pengantar-rt"),
                ("berkas", "kk-ktp"),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/lanjut"),
            Some(&op),
            &[("dari", "diajukan"), ("csrf", &csrf)],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(ws.json(&["permohonan", "lihat", &id])["tahap"], "diterima");
    // After stage 1 the checklist is the Operator's record and no longer changes.
    let res = send(
        &app,
        post(
            &format!("/permohonan/{id}/berkas"),
            Some(&op),
            &[("csrf", &csrf)],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn cookies_are_secure_behind_a_tls_proxy() {
    let ws = Ws::init();
    let app = App::new(ws.dir.clone());
    let plain = send(&app, get("/masuk", None)).await;
    assert!(!plain.cookies[0].contains("Secure"), "{:?}", plain.cookies);
    let req = Request::get("/masuk")
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    let tls = send(&app, req).await;
    assert!(tls.cookies[0].ends_with("; Secure"), "{:?}", tls.cookies);
}

/// The server survives every upload: a sheet with a cell at XFD1048576 and an .xls with
/// one at IV65536 are refused by their span, in words, and the next page still answers.
#[tokio::test]
async fn a_sparse_spreadsheet_upload_is_refused_and_the_server_goes_on() {
    let ws = Ws::init();
    account(&ws, "Pak Admin", "admin", "sandi-admin-001");
    let app = App::new(ws.dir.clone());
    let admin = login(&app, "Pak Admin", "sandi-admin-001").await;
    let page = send(&app, get("/impor", Some(&admin))).await.body;
    let csrf = csrf_of(&page);

    let tmp = tempfile::TempDir::new().unwrap();
    let xlsx = tmp.path().join("jarang.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.write_string(0, 0, "Nama").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(&xlsx).unwrap();
    let xls = crate::import::xls_with(&[(0, 0, "Nama"), (65535, 255, "x")]);
    let (kind, body) = multipart(
        &csrf,
        &[
            ("jarang.xlsx", std::fs::read(&xlsx).unwrap()),
            ("jarang.xls", xls),
        ],
    );
    let res = send(
        &app,
        Request::post("/impor/uji")
            .header(header::COOKIE, &admin)
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(
        res.body.contains("XFD1048576") && res.body.contains("IV65536"),
        "both refused by their span: {}",
        res.body
    );
    let again = send(&app, get("/impor", Some(&admin))).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(ws.snapshot(), serde_json::json!([]));
}

/// A bank, a KUA or a police station checks a letter from anywhere: with the office's
/// public address in the profile, the letter points to `/v/{kode}`, which answers without
/// login with the number, date, type, the masked name and whether it stands.
#[tokio::test]
async fn a_letter_is_verified_by_anyone_at_its_public_address() {
    let ws = Ws::init();
    let profile = ws.dir.join("kelurahan.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(
        &profile,
        text.replace(
            "alamat_verifikasi = \"\"",
            "alamat_verifikasi = \"https://rawasari.example.go.id/v/{kode}\"",
        ),
    )
    .unwrap();
    ws.baru("Siti Aminah");
    let p = crate::letters::issue(&ws, "1", &[]);
    let kode = p["surat"]["kode_verifikasi"].as_str().unwrap().to_string();
    let letter = crate::letters::pdf_text(&ws.dir.join(p["surat"]["berkas"].as_str().unwrap()));
    assert!(
        letter.contains(&format!("https://rawasari.example.go.id/v/{kode}")),
        "{letter}"
    );

    let app = App::new(ws.dir.clone());
    let res = send(&app, get(&format!("/v/{kode}"), None)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    for expected in [
        "SAH",
        "S*** A*****",
        "Surat Keterangan Domisili",
        p["surat"]["nomor"].as_str().unwrap(),
    ] {
        assert!(
            res.body.contains(expected),
            "«{expected}» missing: {}",
            res.body
        );
    }
    assert!(!res.body.contains(crate::NIK_P) && !res.body.contains("Siti Aminah"));
    // Typed from the paper in lower case without dashes, it is the same letter.
    let loose = kode.to_lowercase().replace('-', "");
    assert_eq!(
        send(&app, get(&format!("/v/{loose}"), None)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, get("/v/AAAA-BBBB-CCCC", None)).await.status,
        StatusCode::NOT_FOUND
    );
    ws.ok(&[
        "surat",
        "batal",
        "1",
        "--oleh",
        "Rina",
        "--alasan",
        "salah ketik nama",
    ]);
    let res = send(&app, get(&format!("/v/{kode}"), None)).await;
    assert!(res.body.contains("TIDAK BERLAKU"), "{}", res.body);
    assert!(!res.body.contains("SAH —"), "{}", res.body);

    // An address without {kode} is refused, naming the key.
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(&profile, text.replace("/v/{kode}\"", "/v/\"")).unwrap();
    let err = ws.fails(2, &["periksa"]);
    assert!(
        err.contains("alamat_verifikasi") && err.contains("{kode}"),
        "{err}"
    );
}

/// The request page shows what the letter will print (RT/RW, phone, the type's fields and
/// the identity), and says which fields still keep the letter from being issued.
#[tokio::test]
async fn the_request_page_shows_what_the_letter_prints_and_what_is_missing() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    // A request registered while its type asked less: the letter cannot be issued yet.
    ws.baru_tanpa_identitas("Budi Santoso", crate::NIK_L);
    account(&ws, "Andi Koordinator", "koordinator", "sandi-koor-0001");
    let app = App::new(ws.dir.clone());
    let koor = login(&app, "Andi Koordinator", "sandi-koor-0001").await;

    let page = send(&app, get("/permohonan/1", Some(&koor))).await.body;
    for shown in [
        "RT / RW",
        "009 / 003",
        "Agama",
        "Islam",
        "Status perkawinan",
        "Kawin",
    ] {
        assert!(page.contains(shown), "«{shown}» missing: {page}");
    }
    assert!(!page.contains("Surat belum dapat diterbitkan"), "{page}");
    let page = send(&app, get("/permohonan/2", Some(&koor))).await.body;
    assert!(
        page.contains("Surat belum dapat diterbitkan")
            && page.contains("<li>Agama</li>")
            && page.contains("href=\"/permohonan/2/lengkapi\""),
        "{page}"
    );
}

/// A request that cannot have its letter yet is completed from the web page, through the
/// same check and record as `permohonan lengkapi`: a wrong value comes back with what was
/// typed and the field's label; the saved change is listed with the clerk's name; the
/// letter then issues. A role that does not complete requests, a stale page and an issued
/// letter are refused.
#[tokio::test]
async fn a_request_is_completed_from_the_web_page_before_its_letter() {
    let ws = Ws::init();
    ws.baru_tanpa_identitas("Budi Santoso", crate::NIK_L);
    ws.to_koordinator("1");
    account(&ws, "Andi Koordinator", "koordinator", "sandi-koor-0001");
    account(&ws, "Sari Seklur", "seklur", "sandi-seklur-001");
    let app = App::new(ws.dir.clone());
    let koor = login(&app, "Andi Koordinator", "sandi-koor-0001").await;
    let seklur = login(&app, "Sari Seklur", "sandi-seklur-001").await;

    let res = send(&app, get("/permohonan/1/lengkapi", Some(&seklur))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let form = send(&app, get("/permohonan/1/lengkapi", Some(&koor))).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("Budi Santoso")
            && form.body.contains("name=\"isian:agama\"")
            && form.body.contains("value=\"diteruskan\""),
        "{}",
        form.body
    );
    let csrf = csrf_of(&form.body);
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("dari", "diteruskan"),
        ("alamat", crate::ALAMAT),
        ("rt", "9"),
        ("rw", "3"),
        ("isian:tempat_lahir", "Jambi"),
        ("isian:tanggal_lahir", "1985-03-12"),
        ("isian:agama", "Islma"),
        ("isian:pekerjaan", "Wiraswasta"),
        ("isian:status_perkawinan", "Kawin"),
    ];
    let res = send(&app, post("/permohonan/1/lengkapi", Some(&koor), &fields)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body.contains("Agama: ") && res.body.contains("value=\"Wiraswasta\""),
        "{}",
        res.body
    );
    assert!(
        ws.db()
            .query_row("SELECT count(*) FROM perubahan", [], |r| r.get::<_, i64>(0))
            .unwrap()
            == 0
    );

    fields.retain(|(k, _)| *k != "isian:agama");
    fields.push(("isian:agama", "Islam"));
    let res = send(&app, post("/permohonan/1/lengkapi", Some(&koor), &fields)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = send(&app, get("/permohonan/1", Some(&koor))).await.body;
    assert!(
        page.contains("Isian yang diubah")
            && page.contains("Andi Koordinator")
            // The field by its label, as the form shows it, not by its key.
            && page.contains("data-label=\"Isian\">Agama<")
            && !page.contains("isian agama")
            && !page.contains("Surat belum dapat diterbitkan"),
        "{page}"
    );
    let lihat = ws.ok(&["permohonan", "lihat", "1"]);
    assert!(
        lihat.contains("oleh Andi Koordinator: isian agama: (kosong) → Islam"),
        "{lihat}"
    );

    // The same form sent again from a page that showed another stage is refused.
    let res = send(
        &app,
        post(
            "/permohonan/1/lengkapi",
            Some(&koor),
            &[("csrf", &csrf), ("dari", "diajukan"), ("rt", "10")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);

    let res = send(
        &app,
        post(
            "/permohonan/1/lanjut",
            Some(&koor),
            &[("csrf", &csrf), ("dari", "diteruskan")],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = send(&app, get("/permohonan/1/lengkapi", Some(&koor))).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.body.contains("sebelum surat terbit"), "{}", res.body);
}

/// On the new-request form, "Cari" fills the form from the resident with that NIK
/// (without JavaScript, nothing registered), offers the members of their KK for a people
/// list, and the member ticked joins the list with their NIK and relation. The resident's
/// page shows their requests; each look-up is logged under the clerk's name; a role that
/// does not serve requests is refused.
#[tokio::test]
async fn the_form_is_filled_from_the_resident_and_family_members_are_picked() {
    let ws = Ws::init();
    let kk = crate::penduduk::KK;
    crate::penduduk::keluarga(&ws, true);
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    account(&ws, "Sari Seklur", "seklur", "sandi-seklur-001");
    let app = App::new(ws.dir.clone());
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let seklur = login(&app, "Sari Seklur", "sandi-seklur-001").await;

    let form = send(
        &app,
        get("/permohonan/baru?jenis=pengantar-pindah", Some(&op)),
    )
    .await;
    let csrf = csrf_of(&form.body);
    assert!(form.body.contains("value=\"cari\""), "{}", form.body);
    let res = send(
        &app,
        post(
            "/permohonan/baru",
            Some(&op),
            &[
                ("csrf", &csrf),
                ("jenis", "pengantar-pindah"),
                ("aksi", "cari"),
                ("nik", crate::NIK_L),
                ("tanggal", ""),
                // A browser sends the empty fields too.
                ("nama", ""),
                ("isian:tempat_lahir", ""),
                ("isian:agama", ""),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    for shown in [
        "Diisi dari data penduduk",
        "value=\"Budi Santoso\"",
        "value=\"Jl. Kapten Pattimura No. 12\"",
        &format!("value=\"{kk}\""),
        &format!("name=\"anggota:pengikut\" value=\"{}\"", crate::NIK_P),
        "Siti Aminah (Istri)",
        "value=\"Jambi\"",
        "<option value=\"Islam\" selected>",
    ] {
        assert!(res.body.contains(shown), "«{shown}» missing: {}", res.body);
    }
    assert_eq!(
        ws.snapshot().as_array().unwrap().len(),
        2,
        "nothing registered"
    );

    let res = send(
        &app,
        post(
            "/permohonan/baru",
            Some(&op),
            &[
                ("csrf", &csrf),
                ("jenis", "pengantar-pindah"),
                ("kanal", "langsung"),
                ("tanggal", ""),
                ("nik", crate::NIK_L),
                ("nama", "Budi Santoso"),
                ("kk", kk),
                ("alamat", crate::ALAMAT),
                ("rt", "9"),
                ("rw", "3"),
                ("isian:tempat_lahir", "Jambi"),
                ("isian:agama", "Islam"),
                ("isian:pekerjaan", "Wiraswasta"),
                ("isian:status_perkawinan", "Kawin"),
                ("isian:kewarganegaraan", "WNI"),
                ("isian:alamat_tujuan", "Jl. Diponegoro No. 5, Kota Padang"),
                ("isian:alasan_pindah", "Pekerjaan"),
                ("isian:pengikut", ""),
                ("anggota:pengikut", crate::NIK_P),
                ("berkas", "pengantar-rt"),
                ("berkas", "kk-ktp"),
            ],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let p = ws.json(&["permohonan", "lihat", "3"]);
    assert_eq!(
        p["isian"]["pengikut"],
        format!("Siti Aminah; {}; Istri", crate::NIK_P)
    );

    let page = send(
        &app,
        get(&format!("/penduduk?nik={}", crate::NIK_L), Some(&op)),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Budi Santoso")
            && page.body.contains("0003/")
            && page.body.contains("Siti Aminah"),
        "{}",
        page.body
    );
    // From the resident's page, a new request comes filled.
    assert!(
        page.body
            .contains(&format!("/permohonan/baru?nik={}", crate::NIK_L))
    );
    let choose = send(
        &app,
        get(&format!("/permohonan/baru?nik={}", crate::NIK_L), Some(&op)),
    )
    .await;
    assert!(
        choose
            .body
            .contains(&format!("jenis=sktm&amp;nik={}", crate::NIK_L)),
        "{}",
        choose.body
    );
    let filled = send(
        &app,
        get(
            &format!("/permohonan/baru?jenis=sktm&nik={}", crate::NIK_L),
            Some(&op),
        ),
    )
    .await;
    assert!(
        filled.body.contains("value=\"Budi Santoso\"")
            && filled.body.contains("Diisi dari data penduduk"),
        "{}",
        filled.body
    );
    let found = send(&app, get("/penduduk?cari=santoso", Some(&op))).await;
    assert!(found.body.contains("1571xxxxxxxx0021"), "{}", found.body);
    let res = send(&app, get("/penduduk?cari=santoso", Some(&seklur))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let log = ws.json(&["penduduk", "akses", "--nik", crate::NIK_L]);
    let by_rina: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["oleh"] == "Rina Marlina")
        .map(|a| a["tindakan"].as_str().unwrap())
        .collect();
    assert_eq!(
        by_rina,
        ["cari", "isi", "lihat", "keluarga", "keluarga", "isi"]
    );
}

/// Every response carries the headers that keep a page with a NIK out of frames, other
/// sites' scripts and the browser's cache; the style sheet is the page's only resource.
#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let ws = Ws::init();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    ws.baru("Siti Aminah");
    for (path, cookie) in [
        ("/masuk", None),
        ("/", Some(op.as_str())),
        ("/permohonan/1", Some(op.as_str())),
        ("/register", Some(op.as_str())),
        ("/gaya.css", None),
        ("/v/TIDAK-ADA", None),
        ("/tidak-ada", Some(op.as_str())),
    ] {
        let res = send(&app, get(path, cookie)).await;
        let h = |name: &str| {
            res.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_else(|| panic!("{path}: no {name}"))
        };
        let csp = h("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("script-src"),
            "{csp}"
        );
        assert_eq!(h("x-frame-options"), "DENY", "{path}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
        assert!(h("cache-control").contains("no-store"), "{path}");
    }
    // No page needs what the policy forbids: no script, no inline style.
    let page = send(&app, get("/permohonan/1", Some(&op))).await.body;
    assert!(!page.contains("<script") && !page.contains("<style") && !page.contains(" style="));
    assert!(page.contains("href=\"/gaya.css\""));
    let css = send(&app, get("/gaya.css", None)).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.headers["content-type"], "text/css; charset=utf-8");
    assert!(css.body.contains("font"));
}

/// What the router refuses by itself (an unknown address, a form's address opened as a
/// page, a number that is not one) is an error page in the page's own words, with the
/// menu and, for a request's address, the way back to it; never the framework's English.
#[tokio::test]
async fn an_address_the_page_does_not_know_is_an_error_page_in_words() {
    let ws = Ws::init();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    ws.baru("Siti Aminah");
    for (path, status, words, back) in [
        (
            "/tidak-ada",
            StatusCode::NOT_FOUND,
            "Halaman ini tidak ada.",
            false,
        ),
        (
            "/permohonan/abc",
            StatusCode::BAD_REQUEST,
            "Alamat atau isian formulir ini tidak terbaca.",
            false,
        ),
        (
            "/permohonan/1/lanjut",
            StatusCode::METHOD_NOT_ALLOWED,
            "Alamat ini adalah tombol sebuah formulir, bukan halaman.",
            true,
        ),
    ] {
        let res = send(&app, get(path, Some(&op))).await;
        assert_eq!(res.status, status, "{path}");
        assert!(
            res.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        assert!(res.body.contains(words), "{path}: {}", res.body);
        assert!(
            res.body.contains("href=\"/register\""),
            "the menu: {}",
            res.body
        );
        assert!(
            !res.body.contains("Invalid") && !res.body.contains("i64") && !res.body.contains('`'),
            "{path}: {}",
            res.body
        );
        assert_eq!(
            res.body
                .contains("href=\"/permohonan/1\">Kembali ke permohonan"),
            back,
            "{path}: {}",
            res.body
        );
    }
    // Without a session, the same words and no menu.
    let res = send(&app, get("/tidak-ada", None)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.body.contains("Halaman ini tidak ada.") && !res.body.contains("/register"));
}

/// A new password, or a lock after five wrong guesses, ends every open session of the
/// account: whoever held the old password is out.
#[tokio::test]
async fn a_password_change_or_a_lock_ends_the_accounts_sessions() {
    let ws = Ws::init();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    account(&ws, "Bambang Kasi", "kasi", "sandi-kasi-0001");
    let app = App::new(ws.dir.clone());
    let pc = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let phone = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let other = login(&app, "Bambang Kasi", "sandi-kasi-0001").await;
    for c in [&pc, &phone, &other] {
        assert_eq!(send(&app, get("/", Some(c))).await.status, StatusCode::OK);
    }
    let mut reg = kelurahan::store::Register::open(
        &ws.dir.join("kelurahan.db"),
        kelurahan::domain::calendar::WIB,
    )
    .unwrap();
    let now = kelurahan::domain::calendar::now(kelurahan::domain::calendar::WIB);
    kelurahan::services::pengguna::ganti_sandi(&mut reg, "Rina Marlina", "sandi-baru-rina-2", now)
        .unwrap();
    for c in [&pc, &phone] {
        let res = send(&app, get("/", Some(c))).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "the old session is over");
        assert!(
            res.location
                .as_deref()
                .is_some_and(|l| l.starts_with("/masuk")),
            "{:?}",
            res.location
        );
    }
    assert_eq!(
        send(&app, get("/", Some(&other))).await.status,
        StatusCode::OK,
        "another person's session goes on"
    );

    // Five wrong guesses lock the account and end the session opened before them.
    let fresh = login(&app, "Rina Marlina", "sandi-baru-rina-2").await;
    for _ in 0..5 {
        let _ =
            kelurahan::services::pengguna::masuk(&mut reg, "Rina Marlina", "tebakan-salah", now);
    }
    let res = send(&app, get("/", Some(&fresh))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
}

/// Uploads keep every safe name (even `laporan.xlsx`, a leading dot, 300 characters),
/// refuse a body over the limit in words that say so, and are cleaned after a day.
#[tokio::test]
async fn uploads_keep_their_names_say_when_too_big_and_are_cleaned() {
    let ws = Ws::init();
    account(&ws, "Pak Admin", "admin", "sandi-admin-001");
    let app = App::new(ws.dir.clone());
    let admin = login(&app, "Pak Admin", "sandi-admin-001").await;
    let csrf = csrf_of(&send(&app, get("/impor", Some(&admin))).await.body);
    let xlsx = std::fs::read(format!(
        "{}/tests/fixtures/impor/register-1904.xlsx",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let long = format!("{}.xlsx", "r".repeat(300));
    // A leftover of an old dry run, two days old, is cleaned on the next upload.
    let stale = ws
        .dir
        .join("output/impor/unggahan/0123456789abcdef0123456789abcdef");
    std::fs::create_dir_all(stale.join("01")).unwrap();
    std::fs::write(stale.join("01/lama.xlsx"), b"x").unwrap();
    let two_days = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
    std::fs::File::options()
        .write(true)
        .open(stale.join("01/lama.xlsx"))
        .unwrap()
        .set_modified(two_days)
        .unwrap();
    std::fs::File::open(&stale)
        .unwrap()
        .set_modified(two_days)
        .unwrap();

    let (kind, body) = multipart(
        &csrf,
        &[
            ("laporan.xlsx", xlsx.clone()),
            (".register.xlsx", xlsx.clone()),
            (&long, xlsx.clone()),
        ],
    );
    let res = send(
        &app,
        Request::post("/impor/uji")
            .header(header::COOKIE, &admin)
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("laporan.xlsx"), "{}", res.body);
    assert!(res.body.contains(".register.xlsx"), "{}", res.body);
    let kept = format!("{}.xlsx", "r".repeat(115));
    assert!(
        res.body.contains(&kept),
        "a long name is shortened, its extension kept"
    );
    assert!(!stale.exists(), "an upload older than a day is removed");

    // Over the limit: 413 and words that say what to do.
    let (kind, body) = multipart(&csrf, &[("besar.xlsx", vec![b'x'; 65 * 1024 * 1024])]);
    let res = send(
        &app,
        Request::post("/impor/uji")
            .header(header::COOKIE, &admin)
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert!(res.body.contains("Berkas terlalu besar"), "{}", res.body);
    assert!(res.body.contains("64 MB"), "{}", res.body);
}

/// The applicant's status page: the receipt's tracking code opens it without login; it
/// shows the stage and dates and never the name or NIK; an unknown code is 404; too many
/// requests from one address are refused.
#[tokio::test]
async fn an_applicant_checks_the_status_without_login_and_sees_nothing_personal() {
    let ws = Ws::init();
    let p = ws.baru("Siti Aminah");
    let acak = p["kode_lacak"]
        .as_str()
        .expect("every request has a code")
        .to_string();
    assert_eq!(acak.len(), 16);
    let kode = format!("{}-{acak}", p["id"]);
    let app = App::new(ws.dir.clone());
    let res = send(&app, get(&format!("/lacak/{kode}"), None)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("berkas sedang diperiksa"), "{}", res.body);
    assert!(res.body.contains(p["nomor_register"].as_str().unwrap()));
    assert!(res.body.contains("Perkiraan surat selesai"), "{}", res.body);
    assert!(
        !res.body.contains("Siti") && !res.body.contains(crate::NIK_P),
        "{}",
        res.body
    );
    assert!(!res.body.contains("1571"), "not even a masked NIK");
    crate::letters::issue(&ws, "1", &[]);
    let res = send(&app, get(&format!("/lacak/{}", kode.to_lowercase()), None)).await;
    assert!(res.body.contains("Surat sudah selesai"), "{}", res.body);
    assert!(!res.body.contains("Perkiraan surat selesai"));
    let other = format!("2-{acak}");
    let wrong = format!("1-{}", "0".repeat(16));
    for bad in [
        other.as_str(),
        wrong.as_str(),
        "../kelurahan",
        "1-ZZZZZZZZZZZZZZZZ",
    ] {
        let res = send(&app, get(&format!("/lacak/{bad}"), None)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{bad}");
    }
    // The receipt carries the code.
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let pdf = router(app.clone())
        .oneshot(get("/permohonan/1/tanda-terima.pdf", Some(&op)))
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(pdf.into_body(), 1 << 24)
        .await
        .unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    assert!(text.contains(&format!("Kode lacak: {kode}")), "{text}");
    // One address may ask 30 times a minute; the 31st and later are refused.
    let fresh = App::new(ws.dir.clone());
    for _ in 0..kelurahan::web::BATAS_PUBLIK_PER_MENIT {
        let res = send(&fresh, get(&format!("/lacak/{kode}"), None)).await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let res = send(&fresh, get(&format!("/lacak/{kode}"), None)).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.body.contains("Tunggu satu menit"), "{}", res.body);
}

/// The page keeps the workspace and register connections open between requests; a
/// register restored from last night's backup (a new file in its place) and an edited
/// profile are what the next request sees, never the old file through an old connection.
#[tokio::test]
async fn a_restored_register_and_an_edited_profile_are_seen_at_once() {
    let ws = Ws::init();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());
    let sesi = login(&app, "Rina Marlina", "sandi-operator-1").await;
    ws.baru("Siti Aminah");
    let page = send(&app, get("/register", Some(&sesi))).await;
    assert!(page.body.contains("Siti Aminah"), "{}", page.body);

    // Last night's backup, then a day's work the disk takes with it.
    let backup = ws.dir.join("cadangan.db");
    ws.db()
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])
        .unwrap();
    ws.baru("Budi Santoso");
    let page = send(&app, get("/register", Some(&sesi))).await;
    assert!(page.body.contains("Budi Santoso"));

    // Restored: the backup takes the register's place.
    for side in ["kelurahan.db-wal", "kelurahan.db-shm"] {
        let _ = std::fs::remove_file(ws.dir.join(side));
    }
    std::fs::rename(&backup, ws.dir.join("kelurahan.db")).unwrap();
    let page = send(&app, get("/register", Some(&sesi))).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Siti Aminah"), "{}", page.body);
    assert!(!page.body.contains("Budi Santoso"), "the old file was read");

    // The office renames itself in the profile: the login page says so at once.
    let toml = ws.dir.join("kelurahan.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let edited = text.replace(
        "kelurahan = \"KELURAHAN RAWASARI\"",
        "kelurahan = \"KELURAHAN RAWASARI BARU\"",
    );
    assert_ne!(edited, text);
    std::fs::write(&toml, edited).unwrap();
    let page = send(&app, get("/masuk", None)).await;
    assert!(
        page.body.contains("KELURAHAN RAWASARI BARU"),
        "{}",
        page.body
    );
}

/// The names of the applicants a worklist page lists, in its order.
fn applicants_listed(page: &str) -> Vec<String> {
    page.split("data-label=\"Pemohon\">")
        .skip(1)
        .map(|rest| rest[..rest.find('<').unwrap()].to_string())
        .collect()
}

/// A long worklist is shown fifty rows at a time, in the service's order (late first,
/// then the longest waits), with the whole count and links between its pages; a page
/// asked for that does not exist is the nearest one that does.
#[tokio::test]
async fn todays_work_is_shown_fifty_at_a_time_in_the_services_order() {
    use kelurahan::domain::calendar::{self, WIB};
    let ws = Ws::init();
    let now = calendar::now(WIB);
    let today = now.date_naive();
    // Received over the last forty days: some late, some not, many on the same day.
    crate::many_requests(&ws, 120, |i| today - Duration::days((i % 40) as i64));
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::with_clock(ws.dir.clone(), move || now);
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;

    let workspace = kelurahan::config::workspace::Workspace::open(&ws.dir).unwrap();
    let reg = kelurahan::store::Register::open(&ws.dir.join("kelurahan.db"), WIB).unwrap();
    // The whole list on one page, in the service's order: the late ones first, then the
    // longest waits.
    let all = kelurahan::services::pekerjaan::Pekerjaan::of(
        &workspace,
        &reg,
        kelurahan::domain::pengguna::PeranPengguna::Operator,
        now,
        1,
        1000,
    )
    .unwrap();
    assert_eq!(
        (all.jumlah, all.daftar.len(), all.jumlah_halaman),
        (120, 120, 1)
    );
    let keys: Vec<(bool, i64)> = all
        .daftar
        .iter()
        .map(|m| (m.lewat_standar, m.hari_sejak_masuk))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] >= w[1]),
        "late first, then longest waits: {keys:?}"
    );
    assert!(keys.iter().any(|k| k.0) && keys.iter().any(|k| !k.0));
    assert_eq!(all.lewat, keys.iter().filter(|k| k.0).count());
    let order: Vec<String> = all.daftar.into_iter().map(|m| m.p.nama).collect();

    let page = |q: &'static str| {
        let app = app.clone();
        let op = op.clone();
        async move {
            let res = send(&app, get(&format!("/{q}"), Some(&op))).await;
            assert_eq!(res.status, StatusCode::OK, "{q}: {}", res.body);
            res.body
        }
    };
    let first = page("").await;
    assert!(
        first.contains("120 permohonan menunggu langkah Anda")
            && first.contains("ditampilkan 1–50."),
        "{first}"
    );
    assert_eq!(
        applicants_listed(&first),
        order[..50],
        "the service's order"
    );
    assert!(first.contains("href=\"/?halaman=2\""), "{first}");
    assert!(first.contains("Berikutnya") && !first.contains("Sebelumnya"));
    assert!(first.contains("Halaman 1 dari 3"), "{first}");

    let second = page("?halaman=2").await;
    assert!(second.contains("ditampilkan 51–100."), "{second}");
    assert_eq!(applicants_listed(&second), order[50..100]);
    assert!(
        second.contains("href=\"/?halaman=1\"") && second.contains("href=\"/?halaman=3\""),
        "{second}"
    );

    let last = page("?halaman=3").await;
    assert!(last.contains("ditampilkan 101–120."), "{last}");
    assert_eq!(applicants_listed(&last), order[100..]);
    assert!(last.contains("Sebelumnya") && !last.contains("Berikutnya"));

    // Past the end: the last page; not a page number: the first. Never an error.
    for q in ["?halaman=4", "?halaman=99999999999999999999999"] {
        assert!(page(q).await.contains("ditampilkan 101–120."), "{q}");
    }
    for q in [
        "?halaman=0",
        "?halaman=-2",
        "?halaman=dua",
        "?halaman=",
        "?halaman=2&halaman=3",
        "?halaman=%FF",
    ] {
        let body = page(q).await;
        assert!(body.contains("ditampilkan 1–50."), "{q}: {body}");
        assert_eq!(applicants_listed(&body), order[..50], "{q}");
    }

    // A list that fits one page says nothing of pages.
    ws.ok(&[
        "permohonan",
        "lanjut",
        "1",
        "--peran",
        "operator",
        "--oleh",
        "Rina",
    ]);
    account(&ws, "Bambang Kasi", "kasi", "sandi-kasi-0001");
    let kasi = login(&app, "Bambang Kasi", "sandi-kasi-0001").await;
    let body = send(&app, get("/?halaman=5", Some(&kasi))).await.body;
    assert!(
        body.contains("1 permohonan menunggu langkah Anda"),
        "{body}"
    );
    assert!(
        !body.contains("ditampilkan") && !body.contains("halaman="),
        "{body}"
    );
}

/// On a phone the register's search box comes first and the other filters fold under
/// "Saring", unfolded while one of them is chosen; the search button sits by the box.
#[tokio::test]
async fn the_registers_filters_fold_under_one_summary_unless_one_is_chosen() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    account(&ws, "Bambang Kasi", "kasi", "sandi-kasi-0001");
    let app = App::new(ws.dir.clone());
    let kasi = login(&app, "Bambang Kasi", "sandi-kasi-0001").await;
    let page = |q: &str| {
        let app = app.clone();
        let kasi = kasi.clone();
        let url = format!("/register{q}");
        async move { send(&app, get(&url, Some(&kasi))).await.body }
    };

    let plain = page("?cari=siti").await;
    let at = |what: &str| {
        plain
            .find(what)
            .unwrap_or_else(|| panic!("{what} not in {plain}"))
    };
    // The box and its button, then the folded filters, then the results.
    assert!(
        at("id=\"cari\"") < at("<details class=\"saring\">"),
        "{plain}"
    );
    assert!(at(">Cari</button>") < at("<details class=\"saring\">"));
    assert!(at("<details class=\"saring\">") < at("id=\"tahap\""));
    assert!(at("id=\"jenis\"") < at("1 permohonan."));
    assert!(at("<summary>Saring") < at("id=\"bulan\""));
    assert!(plain.contains("Siti Aminah"));

    // A filter chosen: the box is open and its summary names what is chosen, with the way
    // back to the search alone.
    let filtered = page("?cari=siti&tahap=diajukan&jenis=sk-domisili").await;
    assert!(
        filtered.contains("<details class=\"saring\" open>"),
        "{filtered}"
    );
    assert!(
        filtered.contains("Saring: Diajukan · Surat Keterangan Domisili"),
        "{filtered}"
    );
    assert!(
        filtered.contains("href=\"/register?cari=siti\">Hapus saringan"),
        "{filtered}"
    );
    assert!(filtered.contains("1 permohonan."), "{filtered}");
    // A value the register does not apply is no filter.
    let unknown = page("?tahap=bukan-tahap").await;
    assert!(unknown.contains("<details class=\"saring\">"), "{unknown}");

    // The style folds them on a phone only.
    let css = send(&app, get("/gaya.css", None)).await.body;
    assert!(
        css.contains("details.saring>summary{display:none}")
            && css.contains("details.saring::details-content{content-visibility:visible}"),
        "{css}"
    );
}

/// Dates are text typed day first, as the office writes them, whatever the browser's
/// language: `29-11-2026`, `29/11/2026` or `2026-11-29` are read, shown back as
/// `29-11-2026`; one that cannot be read is refused naming its field, with the intake's
/// other problems, and nothing is written.
#[tokio::test]
async fn dates_are_typed_day_first_in_any_browser() {
    use kelurahan::domain::calendar::{self, WIB};
    let ws = Ws::init();
    account(&ws, "Rina Marlina", "operator", "sandi-operator-1");
    let app = App::new(ws.dir.clone());
    let op = login(&app, "Rina Marlina", "sandi-operator-1").await;
    let today = calendar::now(WIB).date_naive();
    let dmy = |d: chrono::NaiveDate, sep: &str| d.format(&format!("%d{sep}%m{sep}%Y")).to_string();
    let yesterday = today - Duration::days(1);
    let before = today - Duration::days(2);

    let form = send(
        &app,
        get("/permohonan/baru?jenis=pengantar-kehilangan", Some(&op)),
    )
    .await
    .body;
    assert!(!form.contains("type=\"date\""), "{form}");
    assert!(
        form.contains(&format!(
            "type=\"text\" id=\"tanggal\" name=\"tanggal\" value=\"{}\"",
            dmy(today, "-")
        )),
        "{form}"
    );
    assert!(
        form.contains(
            "type=\"text\" id=\"isian:tanggal_kehilangan\" name=\"isian:tanggal_kehilangan\" value=\"\""
        ),
        "{form}"
    );
    assert!(form.contains("placeholder=\"hh-bb-tttt\""), "{form}");
    assert!(form.contains("Hari-bulan-tahun, misalnya 29-11-2026."));
    let csrf = csrf_of(&form);

    let tanggal = dmy(yesterday, "/");
    let hilang = dmy(before, "-");
    let fields = |nik: &'static str, hilang: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("csrf", csrf.clone()),
            ("jenis", "pengantar-kehilangan".into()),
            ("kanal", "langsung".into()),
            ("tanggal", tanggal.clone()),
            ("nama", "Siti Aminah".into()),
            ("nik", nik.into()),
            ("alamat", crate::ALAMAT.into()),
            ("rt", "9".into()),
            ("rw", "3".into()),
            ("isian:tempat_lahir", "Jambi".into()),
            ("isian:agama", "Islam".into()),
            ("isian:pekerjaan", "Wiraswasta".into()),
            ("isian:status_perkawinan", "Kawin".into()),
            ("isian:kewarganegaraan", "WNI".into()),
            ("isian:barang_hilang", "Dompet".into()),
            ("isian:tanggal_kehilangan", hilang.into()),
            ("isian:tempat_kehilangan", "Pasar Angso Duo".into()),
            ("berkas", "pengantar-rt".into()),
            ("berkas", "kk-ktp".into()),
            ("berkas", "kronologi-kehilangan".into()),
        ]
    };
    let send_form = |v: Vec<(&'static str, String)>, path: String| {
        let app = app.clone();
        let op = op.clone();
        async move {
            let pairs: Vec<(&str, &str)> = v.iter().map(|(k, x)| (*k, x.as_str())).collect();
            send(&app, post(&path, Some(&op), &pairs)).await
        }
    };

    // A date that cannot be read, and a wrong NIK: both said at once, nothing written.
    let res = send_form(fields("123", "31-02-2026"), "/permohonan/baru".into()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body.contains(
            "Tanggal kehilangan: “31-02-2026” tidak terbaca sebagai tanggal; tulis hari-bulan-tahun, misalnya 29-11-2026"
        ),
        "{}",
        res.body
    );
    assert!(res.body.contains("NIK harus 16 angka"), "{}", res.body);
    assert!(
        res.body.contains("value=\"31-02-2026\""),
        "what was typed is kept"
    );
    // The date read is shown back day first.
    assert!(
        res.body.contains(&format!(
            "name=\"tanggal\" value=\"{}\"",
            dmy(yesterday, "-")
        )),
        "{}",
        res.body
    );
    assert_eq!(ws.snapshot().as_array().unwrap().len(), 0);

    // Day first with slashes or dashes: read as the office means them.
    let hilang: &'static str = Box::leak(hilang.into_boxed_str());
    let res = send_form(fields(crate::NIK_P, hilang), "/permohonan/baru".into()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let v = ws.json(&["permohonan", "lihat", "1"]);
    assert_eq!(v["tanggal"], yesterday.to_string());
    assert_eq!(v["isian"]["tanggal_kehilangan"], before.to_string());

    // The completion form shows the date as the office writes it, and takes ISO too.
    let form = send(&app, get("/permohonan/1/lengkapi", Some(&op)))
        .await
        .body;
    assert!(!form.contains("type=\"date\""), "{form}");
    assert!(
        form.contains(&format!(
            "name=\"isian:tanggal_kehilangan\" value=\"{}\"",
            dmy(before, "-")
        )),
        "{form}"
    );
    let lengkapi = |hilang: &str| -> Vec<(&'static str, String)> {
        vec![
            ("csrf", csrf_of(&form)),
            ("dari", "diajukan".into()),
            ("alamat", crate::ALAMAT.into()),
            ("rt", "9".into()),
            ("rw", "3".into()),
            ("isian:tempat_lahir", "Jambi".into()),
            ("isian:agama", "Islma".into()),
            ("isian:pekerjaan", "Wiraswasta".into()),
            ("isian:status_perkawinan", "Kawin".into()),
            ("isian:kewarganegaraan", "WNI".into()),
            ("isian:barang_hilang", "Dompet".into()),
            ("isian:tanggal_kehilangan", hilang.into()),
            ("isian:tempat_kehilangan", "Pasar Angso Duo".into()),
        ]
    };
    let res = send_form(lengkapi("2026-11-32"), "/permohonan/1/lengkapi".into()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body
            .contains("Tanggal kehilangan: “2026-11-32” tidak terbaca sebagai tanggal"),
        "{}",
        res.body
    );
    assert!(res.body.contains("Agama: "), "the intake's problems too");
    let changes = || {
        ws.db()
            .query_row("SELECT count(*) FROM perubahan", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    assert_eq!(changes(), 0);
    let mut fixed = lengkapi(&today.to_string());
    fixed.retain(|(k, _)| *k != "isian:agama");
    fixed.push(("isian:agama", "Islam".into()));
    let res = send_form(fixed, "/permohonan/1/lengkapi".into()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let v = ws.json(&["permohonan", "lihat", "1"]);
    assert_eq!(v["isian"]["tanggal_kehilangan"], today.to_string());
    assert_eq!(changes(), 1);
}

/// The import form's file button reads Indonesian whatever the browser's language: the
/// browser's own control is hidden but still there (focusable, labelled), a label in the
/// page's words opens it, and the page says what is chosen and which files are taken.
#[tokio::test]
async fn the_import_forms_file_button_is_in_the_pages_words() {
    let ws = Ws::init();
    account(&ws, "Pak Admin", "admin", "sandi-admin-001");
    let app = App::new(ws.dir.clone());
    let admin = login(&app, "Pak Admin", "sandi-admin-001").await;
    let page = send(&app, get("/impor", Some(&admin))).await.body;
    assert!(
        page.contains(
            "<input class=\"pilih-berkas\" type=\"file\" id=\"berkas\" name=\"berkas\" multiple required"
        ),
        "{page}"
    );
    assert!(
        page.contains("<label class=\"tombol-berkas\" for=\"berkas\">Pilih berkas…</label>"),
        "{page}"
    );
    assert!(
        page.contains("Belum ada berkas dipilih.") && page.contains("Berkas sudah dipilih"),
        "{page}"
    );
    assert!(
        page.contains("aria-describedby=\"berkas-bantuan\"")
            && page.contains("id=\"berkas-bantuan\">Diterima: .xlsx, .xls dan .xlsb (Excel) serta .ods (LibreOffice)"),
        "{page}"
    );
    // Hidden from sight only: a hidden control (display:none) could not take the
    // keyboard's focus.
    let css = send(&app, get("/gaya.css", None)).await.body;
    let rule = css
        .split('\n')
        .find(|l| l.starts_with("input[type=file].pilih-berkas{"))
        .unwrap_or_else(|| panic!("{css}"));
    assert!(
        rule.contains("position:absolute")
            && rule.contains("width:1px")
            && !rule.contains("display:none"),
        "{rule}"
    );
    assert!(css.contains("input.pilih-berkas:focus-visible+label.tombol-berkas{outline"));
    assert!(css.contains(
        "input.pilih-berkas:invalid~.berkas-dipilih,input.pilih-berkas:valid~.berkas-belum{display:none}"
    ));
}

/// The schedules page names each schedule in words, its file in small print (without
/// the folder it lives in).
#[tokio::test]
async fn schedules_are_listed_by_a_title_in_words() {
    let ws = Ws::init();
    std::fs::create_dir_all(ws.dir.join("schedules")).unwrap();
    std::fs::write(
        ws.dir.join("schedules/cadangan-mingguan.toml"),
        "nama = \"cadangan-mingguan\"\ncron = \"0 0 22 * * 6\"\ntugas = \"cadangan\"\n",
    )
    .unwrap();
    account(&ws, "Pak Admin", "admin", "sandi-admin-001");
    let app = App::new(ws.dir.clone());
    let admin = login(&app, "Pak Admin", "sandi-admin-001").await;
    let res = send(&app, get("/jadwal", Some(&admin))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = res.body;
    for (judul, berkas) in [
        ("Laporan bulanan", "laporan-bulanan.toml (bawaan)"),
        ("Laporan triwulan", "laporan-triwulan.toml (bawaan)"),
        ("Laporan tahunan", "laporan-tahunan.toml (bawaan)"),
        ("Kirim ulang", "kirim-ulang.toml (bawaan)"),
        ("Cadangan", "cadangan.toml (bawaan)"),
        ("Cadangan mingguan", "cadangan-mingguan.toml"),
    ] {
        let cell =
            format!("data-label=\"Jadwal\">{judul}<br><small class=\"bantuan\">{berkas}</small>");
        assert!(page.contains(&cell), "{cell} in {page}");
    }
    assert!(
        !page.contains(ws.dir.to_str().unwrap()),
        "no folder: {page}"
    );
}
