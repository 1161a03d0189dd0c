//! The office's web page (`kelurahan web`): axum on tokio, HTML rendered on the server in
//! Indonesian, logins per person with a role, session cookies and CSRF tokens. Every
//! rule is the library's own: handlers call the same functions as the command line.

mod gagal;
mod pages;
mod pool;
mod sesi;

use gagal::{Gagal, blocking, error_pages, gagal, internal};
use sesi::{SesiAktif, check_csrf, keluar, masuk, masuk_form, random_hex};

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Form, FromRequestParts, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Duration, FixedOffset};
use serde::Deserialize;

use crate::config::workspace::{Workspace, WorkspaceError};
use crate::domain::calendar;
use crate::domain::pengguna::Sesi;
use crate::domain::periode::Periode;
use crate::services::akses::{self, Tindakan};
use crate::services::pengguna::{self, PenggunaError};
use crate::store::RegisterError;

/// The session cookie: HttpOnly, SameSite=Strict, the whole site.
pub const COOKIE_SESI: &str = "kelurahan_sesi";
/// The login form's own CSRF cookie, before there is a session.
pub const COOKIE_MASUK: &str = "kelurahan_masuk";
/// A session lasts a working day.
pub const LAMA_SESI_JAM: i64 = 12;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Arsip(#[from] crate::services::arsip::ArsipError),
    #[error("alamat {0} tidak dapat dipakai: {1}")]
    Bind(String, std::io::Error),
    #[error("server web berhenti karena galat: {0}")]
    Serve(std::io::Error),
    #[error(transparent)]
    Random(#[from] crate::util::acak::AcakError),
}

/// What every handler shares: where the workspace is, and its parsed profile and idle
/// register connections (a connection serves one request at a time).
#[derive(Clone)]
pub struct App {
    dir: Arc<PathBuf>,
    /// The parsed workspace and idle register connections, shared by the requests.
    pool: Arc<pool::Pool>,
    /// Test hook: the clock, so that session expiry is tested without waiting.
    now: Arc<dyn Fn() -> DateTime<FixedOffset> + Send + Sync>,
    /// Requests to the public pages per client address in the current minute.
    publik: Arc<std::sync::Mutex<(std::time::Instant, std::collections::HashMap<String, u32>)>>,
}

/// How many requests one address may make to the public pages (`/lacak`, `/v`) in a
/// minute: plenty for an applicant, too few to try codes.
pub const BATAS_PUBLIK_PER_MENIT: u32 = 30;

impl App {
    pub fn new(dir: PathBuf) -> App {
        // The clock reads in the office's zone; a workspace that does not open yet is
        // refused by each page in its own words.
        let tz = Workspace::open(&dir).map_or(calendar::WIB, |ws| ws.profil.tz());
        App {
            dir: Arc::new(dir),
            pool: Arc::default(),
            now: Arc::new(move || calendar::now(tz)),
            publik: Arc::new(std::sync::Mutex::new((
                std::time::Instant::now(),
                std::collections::HashMap::new(),
            ))),
        }
    }

    /// The same app with another clock (tests).
    pub fn with_clock(
        dir: PathBuf,
        now: impl Fn() -> DateTime<FixedOffset> + Send + Sync + 'static,
    ) -> App {
        App {
            dir: Arc::new(dir),
            pool: Arc::default(),
            now: Arc::new(now),
            publik: Arc::new(std::sync::Mutex::new((
                std::time::Instant::now(),
                std::collections::HashMap::new(),
            ))),
        }
    }

    /// The workspace and the register, as the command line opens them; kept open between
    /// requests while their files are unchanged (`pool`).
    fn open(&self) -> Result<(Arc<Workspace>, pool::Pooled), WebError> {
        self.pool.open(&self.dir)
    }

    /// The workspace alone.
    fn workspace(&self) -> Result<Arc<Workspace>, WebError> {
        self.pool.workspace(&self.dir)
    }
}

/// The router: every page and form of the web page.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(beranda))
        .route("/masuk", get(masuk_form).post(masuk))
        .route("/keluar", post(keluar))
        .route("/register", get(register))
        .route("/permohonan/baru", get(baru_form).post(baru))
        .route("/permohonan/{id}", get(permohonan))
        .route("/permohonan/{id}/lanjut", post(lanjut))
        .route("/permohonan/{id}/tolak", post(tolak))
        .route("/permohonan/{id}/batalkan", post(batalkan))
        .route("/permohonan/{id}/berkas", post(berkas))
        .route(
            "/permohonan/{id}/lengkapi",
            get(lengkapi_form).post(lengkapi),
        )
        .route("/permohonan/{id}/surat.pdf", get(surat_pdf))
        .route("/permohonan/{id}/{bentuk}", get(formulir_terisi))
        .route("/penduduk", get(penduduk_page))
        .route("/blanko", get(blanko_page))
        .route("/impor", get(impor_page))
        .route(
            "/impor/uji",
            post(impor_uji).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_MAKS)),
        )
        .route("/impor/jalankan", post(impor_jalankan))
        .route("/impor/{token}/laporan.xlsx", get(impor_laporan))
        .route("/surel", get(surel_page))
        .route("/jadwal", get(jadwal_page))
        .route("/laporan", get(laporan_page))
        .route("/laporan/buat", post(laporan_buat))
        .route("/laporan/periode", post(laporan_periode))
        .route("/laporan/{bulan}/{berkas}", get(laporan_berkas))
        .route("/blanko/{berkas}", get(blanko_pdf))
        .route(
            "/v/{kode}",
            get(verifikasi).layer(middleware::from_fn_with_state(app.clone(), batas_publik)),
        )
        .route(
            "/lacak/{kode}",
            get(lacak).layer(middleware::from_fn_with_state(app.clone(), batas_publik)),
        )
        .route("/gaya.css", get(gaya))
        .fallback(tidak_ada)
        .layer(middleware::from_fn_with_state(app.clone(), error_pages))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(log_request))
        .with_state(app)
}

/// The public pages' limit per client address: past it, 429 and words to wait.
async fn batas_publik(State(app): State<App>, req: Request, next: Next) -> Response {
    let alamat = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map_or_else(|| "tanpa-alamat".to_string(), |c| c.0.ip().to_string());
    let lewat = {
        let mut guard = app.publik.lock().unwrap_or_else(|e| e.into_inner());
        let (mulai, hitung) = &mut *guard;
        if mulai.elapsed() >= std::time::Duration::from_secs(60) {
            *mulai = std::time::Instant::now();
            hitung.clear();
        }
        let n = hitung.entry(alamat).or_insert(0);
        *n += 1;
        *n > BATAS_PUBLIK_PER_MENIT
    };
    if lewat {
        return gagal(
            StatusCode::TOO_MANY_REQUESTS,
            "Terlalu banyak permintaan dari alamat ini. Tunggu satu menit, lalu coba lagi.",
        )
        .into_response();
    }
    next.run(req).await
}

/// The applicant's status page: no login, only the stage and the dates.
async fn lacak(
    State(app): State<App>,
    axum::extract::Path(kode): axum::extract::Path<String>,
) -> Result<Response, Gagal> {
    let page = blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        let status = crate::services::lacak::status(&ws, &reg, &kode).map_err(internal)?;
        match status {
            Some(s) => Ok(pages::lacak(&ws.profil.kantor.kelurahan, &s)),
            None => Err(gagal(
                StatusCode::NOT_FOUND,
                "Kode lacak tidak dikenal. Periksa kode pada tanda terima Anda (angka, tanda hubung, lalu 16 huruf dan angka).",
            )),
        }
    })
    .await?;
    Ok(page.into_response())
}

/// An address the page does not have: the error page (with the menu), not the
/// browser's own.
async fn tidak_ada() -> Gagal {
    gagal(
        StatusCode::NOT_FOUND,
        "Halaman ini tidak ada. Periksa alamatnya.",
    )
}

async fn gaya() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::css(),
    )
        .into_response()
}

/// What every response tells the browser: run no script and load nothing from
/// elsewhere (the pages have no script; their style is the one style sheet `/gaya.css`,
/// no inline style), never be framed, never guess a type, send no referrer, and keep
/// nothing in the cache — a page or file may hold a NIK, and after "Keluar" the Back
/// button must not show it again.
async fn security_headers(req: Request, next: Next) -> Response {
    use axum::http::HeaderValue;
    use axum::http::header;
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&pages::content_security_policy())
            .expect("the policy is plain ASCII"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, max-age=0"),
    );
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    res
}

/// The public check of a letter by the code on it (the address in its QR code): no login,
/// the same verdict as `kelurahan verifikasi --kode`, shown without the NIK.
async fn verifikasi(
    State(app): State<App>,
    axum::extract::Path(kode): axum::extract::Path<String>,
) -> Result<Response, Gagal> {
    if kode.len() > 40 || !kode.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(gagal(
            StatusCode::NOT_FOUND,
            "Kode verifikasi tidak dikenal.",
        ));
    }
    blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        let v = crate::services::surat::verify_code(&ws, &reg, &kode).map_err(internal)?;
        let status = if v.nomor.is_some() {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        Ok((
            status,
            pages::verifikasi(&ws.profil.kantor.kelurahan, &kode, &v),
        )
            .into_response())
    })
    .await
}

/// The runtime the page is served on: two threads take requests, and at most
/// [`PAGES_AT_ONCE`] work on the register at a time while the rest wait their turn. With
/// fifty clients at once, fifty threads each with a connection and its cache made the
/// server grow past a gigabyte and answer no sooner: the office PC has two cores.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(PAGES_AT_ONCE)
        .enable_all()
        .build()
}

/// Requests that work on the register at the same time (see [`runtime`]).
pub const PAGES_AT_ONCE: usize = 6;

/// Serves until Ctrl-C or SIGTERM; a request in progress finishes first.
pub fn serve(dir: PathBuf, alamat: SocketAddr) -> Result<(), WebError> {
    // Fail early, before binding, on a workspace that does not open.
    App::new(dir.clone()).open()?;
    let rt = runtime().map_err(WebError::Serve)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(alamat)
            .await
            .map_err(|e| WebError::Bind(alamat.to_string(), e))?;
        let _ = writeln!(
            std::io::stderr(),
            "kelurahan web: melayani http://{alamat}/ (berhenti dengan Ctrl-C)"
        );
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let tx = std::sync::Mutex::new(Some(tx));
        // The same handler as `layani`: SIGTERM and Ctrl-C.
        let _ = ctrlc::set_handler(move || {
            if let Some(tx) = tx.lock().ok().and_then(|mut t| t.take()) {
                let _ = tx.send(());
            }
        });
        axum::serve(
            listener,
            router(App::new(dir)).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = rx.await;
        })
        .await
        .map_err(WebError::Serve)
    })
}

/// One line per request: method, path (never the query, which may hold a NIK
/// searched for), status, time taken.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let start = std::time::Instant::now();
    let res = next.run(req).await;
    // Never a panic over a closed stderr: the request is served whatever the log does.
    let _ = writeln!(
        std::io::stderr(),
        "{} {method} {path} {} {} ms",
        // UTC, marked as such: the log is read beside other services' logs.
        calendar::now(calendar::WIB)
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%dT%H:%M:%SZ"),
        res.status().as_u16(),
        start.elapsed().as_millis()
    );
    res
}

#[derive(Deserialize, Default)]
struct HalamanQuery {
    /// 1-based; anything else is read by [`pilih_halaman`].
    #[serde(default)]
    halaman: String,
}

/// The page of a list of `jumlah` rows asked for by `?halaman=N` (1-based), as one that
/// exists: what is not a number is the first page, a number past the end the last.
fn pilih_halaman(diminta: &str, jumlah: usize) -> usize {
    let pages = jumlah.div_ceil(PER_HALAMAN).max(1);
    let s = diminta.trim();
    let n = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a number is past the end too.
        s.parse::<usize>().unwrap_or(usize::MAX)
    } else {
        1
    };
    n.clamp(1, pages)
}

/// Today's work: what waits for this person's role, and how long it has waited, a page
/// at a time.
async fn beranda(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    q: Result<axum::extract::Query<HalamanQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Gagal> {
    let diminta = q.map(|q| q.0.halaman).unwrap_or_default();
    let now = (app.now)();
    let page = blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        // The service knows how many pages there are, and keeps the page within them.
        let halaman = pilih_halaman(&diminta, usize::MAX);
        let work = crate::services::pekerjaan::Pekerjaan::of(
            &ws,
            &reg,
            sesi.pengguna.peran,
            now,
            halaman,
            PER_HALAMAN,
        )
        .map_err(internal)?;
        Ok(pages::beranda(&ws, &sesi, &work))
    })
    .await?;
    Ok(page.into_response())
}

/// What a library error means for the person at the screen: the rule's own words for a
/// refused move (409) or an unknown request (404); anything else is the server's.
fn refused(e: crate::services::surat::SuratError) -> Gagal {
    use crate::services::surat::SuratError;
    match e {
        SuratError::Register(RegisterError::NotFound(n)) => gagal(
            StatusCode::NOT_FOUND,
            &format!("Permohonan {n} tidak ditemukan."),
        ),
        SuratError::Register(
            e @ (RegisterError::Move(_)
            | RegisterError::NoLetter(_)
            | RegisterError::LegacyLetter(..)),
        ) => gagal(StatusCode::CONFLICT, &e.to_string()),
        other => internal(other),
    }
}

/// The SOP role of the person logged in; an administrator has none.
fn sop_role(sesi: &Sesi) -> Result<crate::domain::workflow::Peran, Gagal> {
    sesi.pengguna.peran.sop().ok_or_else(|| {
        gagal(
            StatusCode::FORBIDDEN,
            "Peran Anda tidak menjalankan tahap SOP; masuk dengan akun petugas yang bertugas.",
        )
    })
}

/// A request: its data, papers, history, letter, and the buttons of this person's step.
async fn permohonan(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, Gagal> {
    let page = blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        let p = reg.get(id).map_err(|e| refused(e.into()))?;
        let surat = reg.letter_of(id).map_err(internal)?;
        let lama = reg.legacy_letter_of(id).map_err(internal)?;
        let perubahan = reg.changes_of(id).map_err(internal)?;
        Ok(pages::permohonan(
            &ws,
            &sesi,
            &p,
            surat.as_ref(),
            lama.as_ref(),
            &perubahan,
        ))
    })
    .await?;
    Ok(page.into_response())
}

/// The stage a page showed (its hidden `dari`), which a change from it must still find.
fn tahap_asal(dari: &str) -> Result<crate::domain::workflow::Tahap, Gagal> {
    dari.parse().map_err(|_| {
        gagal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Formulir ini tidak menyebut tahap permohonan yang ditampilkan. Muat ulang halaman permohonan lalu coba lagi.",
        )
    })
}

#[derive(Deserialize)]
struct LanjutForm {
    csrf: String,
    /// The stage the page showed when the button was pressed.
    #[serde(default)]
    dari: String,
    #[serde(default)]
    catatan: String,
}

/// This person's step: the move the SOP gives their role, recorded under their name;
/// into stage 4 it issues the letter.
async fn lanjut(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Path(id): axum::extract::Path<i64>,
    form: Result<Form<LanjutForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    let form = form.map(|f| f.0).ok();
    check_csrf(&sesi, form.as_ref().map_or("", |f| f.csrf.as_str()))?;
    let peran = sop_role(&sesi)?;
    let form = form.expect("checked by the CSRF step");
    // The stage the page showed: a request moved on since (a second click, a colleague)
    // is refused with who moved it.
    let dari = tahap_asal(&form.dari)?;
    let catatan = form.catatan;
    let now = (app.now)();
    blocking(move || {
        let (ws, mut reg) = app.open().map_err(internal)?;
        let renderer = crate::paper::render::LazyRenderer::new(&ws);
        let catatan = catatan.trim();
        crate::services::surat::advance(
            &mut reg,
            &ws,
            &renderer,
            id,
            dari,
            peran,
            &sesi.pengguna.nama,
            (!catatan.is_empty()).then_some(catatan),
            now,
            None,
        )
        .map_err(refused)
    })
    .await?;
    Ok(Redirect::to(&format!("/permohonan/{id}")).into_response())
}

#[derive(Deserialize, Default)]
struct PendudukQuery {
    #[serde(default)]
    cari: String,
    /// One resident's page; in the query, which the log never writes.
    #[serde(default)]
    nik: String,
}

/// Residents: a search box, and one resident's page with their requests and family.
async fn penduduk_page(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Query(q): axum::extract::Query<PendudukQuery>,
) -> Result<Response, Gagal> {
    allowed(&sesi, Tindakan::LihatPenduduk)?;
    let now = (app.now)();
    blocking(move || {
        use crate::services::penduduk::{self as layanan, PendudukError};
        let (ws, mut reg) = app.open().map_err(internal)?;
        let oleh = sesi.pengguna.nama.clone();
        if !q.nik.trim().is_empty() {
            return match layanan::lihat(&mut reg, &q.nik, &oleh, now) {
                Ok(r) => Ok(pages::penduduk(&ws, &sesi, &r).into_response()),
                Err(e @ (PendudukError::TidakAda(_) | PendudukError::Isian(_))) => {
                    Err(gagal(StatusCode::NOT_FOUND, &e.to_string()))
                }
                Err(e) => Err(internal(e)),
            };
        }
        let found = if q.cari.trim().is_empty() {
            Ok(Vec::new())
        } else {
            layanan::cari(&mut reg, &q.cari, &oleh, now)
        };
        let (found, pesan) = match found {
            Ok(f) => (f, None),
            Err(PendudukError::Isian(m)) => (Vec::new(), Some(m)),
            Err(e) => return Err(internal(e)),
        };
        Ok(pages::penduduk_cari(&sesi, &q.cari, &found, pesan.as_deref()).into_response())
    })
    .await
}

/// The form that completes a request's fields before its letter.
async fn lengkapi_form(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, Gagal> {
    allowed(&sesi, Tindakan::LengkapiPermohonan)?;
    let page = blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        let p = reg.get(id).map_err(|e| refused(e.into()))?;
        let j = jenis_of(&ws, &p)?;
        if !p.tahap.isian_dapat_diubah() {
            return Err(gagal(
                StatusCode::CONFLICT,
                &format!(
                    "Permohonan {} sudah pada tahap {}; isiannya hanya dapat diubah sebelum surat terbit.",
                    p.nomor_register,
                    p.tahap.label()
                ),
            ));
        }
        Ok(pages::lengkapi(&sesi, &p, j, &pages::Isian::of(&p), &[]))
    })
    .await?;
    Ok(page.into_response())
}

/// The request's type in the catalog (a request of a type since removed cannot be
/// completed: its form is unknown).
fn jenis_of<'a>(
    ws: &'a Workspace,
    p: &crate::domain::permohonan::Permohonan,
) -> Result<&'a crate::domain::katalog::JenisSurat, Gagal> {
    ws.katalog.jenis(&p.jenis).ok_or_else(|| {
        gagal(
            StatusCode::CONFLICT,
            &format!("Jenis surat “{}” tidak ada di katalog.", p.jenis),
        )
    })
}

/// Saves the completion form through the same function as `permohonan lengkapi`.
async fn lengkapi(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Path(id): axum::extract::Path<i64>,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    let Ok(Form(pairs)) = form else {
        return Err(gagal(
            StatusCode::BAD_REQUEST,
            "Isian formulir tidak terbaca.",
        ));
    };
    let f = pages::Isian::from_pairs(&pairs);
    check_csrf(&sesi, &f.csrf)?;
    allowed(&sesi, Tindakan::LengkapiPermohonan)?;
    let dari = tahap_asal(
        pairs
            .iter()
            .find(|(k, _)| k == "dari")
            .map_or("", |(_, v)| v),
    )?;
    let now = (app.now)();
    blocking(move || {
        use crate::services::permohonan::LengkapiError;
        let (ws, mut reg) = app.open().map_err(internal)?;
        let p = reg.get(id).map_err(|e| refused(e.into()))?;
        let j = jenis_of(&ws, &p)?;
        let ubahan = f.ubahan(j);
        // A date that cannot be read comes back with the intake's other problems, and
        // nothing is saved (a request moved on meanwhile is the service's to say).
        let tanggal = f.masalah_tanggal(j);
        if !tanggal.is_empty() && p.tahap == dari {
            let today = now.with_timezone(&ws.profil.tz()).date_naive();
            let lain = crate::domain::permohonan::ubah(&p, &ubahan, &ws.katalog, today)
                .err()
                .map(|e| e.0);
            let shown = pages::Isian {
                nama: p.nama.clone(),
                nik: p.nik.clone(),
                ..f
            };
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                pages::lengkapi(&sesi, &p, j, &shown, &gabung_masalah(tanggal, lain)),
            )
                .into_response());
        }
        match crate::services::permohonan::lengkapi(
            &mut reg,
            &ws,
            id,
            Some(dari),
            &ubahan,
            &sesi.pengguna.nama,
            now,
        ) {
            Ok(_) => Ok(Redirect::to(&format!("/permohonan/{id}")).into_response()),
            Err(LengkapiError::Input(e)) => {
                // The page shows the request's name and NIK, not what the form sent.
                let shown = pages::Isian {
                    nama: p.nama.clone(),
                    nik: p.nik.clone(),
                    ..f
                };
                Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    pages::lengkapi(&sesi, &p, j, &shown, &e.0),
                )
                    .into_response())
            }
            Err(LengkapiError::Register(e @ RegisterError::SudahBerlanjut { .. })) => {
                Err(gagal(StatusCode::CONFLICT, &e.to_string()))
            }
            Err(LengkapiError::Register(e)) => Err(refused(e.into())),
        }
    })
    .await
}

#[derive(Deserialize)]
struct TolakForm {
    csrf: String,
    #[serde(default)]
    alasan: String,
}

/// How a request ends without a letter from the page: refused by the office, or
/// withdrawn by the applicant (recorded by the Operator).
#[derive(Clone, Copy)]
enum Akhir {
    Tolak,
    Batal,
}

async fn tolak(
    state: State<App>,
    sesi: SesiAktif,
    id: axum::extract::Path<i64>,
    form: Result<Form<TolakForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    akhiri(state, sesi, id, form, Akhir::Tolak).await
}

/// The applicant withdrew: recorded by the Operator with their reason.
async fn batalkan(
    state: State<App>,
    sesi: SesiAktif,
    id: axum::extract::Path<i64>,
    form: Result<Form<TolakForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    akhiri(state, sesi, id, form, Akhir::Batal).await
}

async fn akhiri(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Path(id): axum::extract::Path<i64>,
    form: Result<Form<TolakForm>, axum::extract::rejection::FormRejection>,
    akhir: Akhir,
) -> Result<Response, Gagal> {
    let form = form.map(|f| f.0).ok();
    check_csrf(&sesi, form.as_ref().map_or("", |f| f.csrf.as_str()))?;
    let peran = sop_role(&sesi)?;
    let alasan = form.map(|f| f.alasan).unwrap_or_default();
    let now = (app.now)();
    blocking(move || {
        let (_, mut reg) = app.open().map_err(internal)?;
        let oleh = &sesi.pengguna.nama;
        match akhir {
            Akhir::Tolak => reg.reject(id, peran, oleh, &alasan, now),
            Akhir::Batal => reg.cancel(id, peran, oleh, &alasan, now),
        }
        .map_err(|e| refused(e.into()))
    })
    .await?;
    Ok(Redirect::to(&format!("/permohonan/{id}")).into_response())
}

/// The letter as PDF, named by its number (never by a person).
async fn surat_pdf(
    State(app): State<App>,
    SesiAktif(_): SesiAktif,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, Gagal> {
    let (nomor, pdf) = blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        reg.get(id).map_err(|e| refused(e.into()))?;
        let s = reg.letter_to_print(id).map_err(|e| refused(e.into()))?;
        let renderer = crate::paper::render::for_workspace(&ws).map_err(internal)?;
        let pdf = crate::services::surat::print(&ws, &renderer, &s).map_err(internal)?;
        Ok((s.nomor, pdf))
    })
    .await?;
    let name = crate::domain::numbering::file_stem(&nomor);
    Ok(pdf_response(&format!("{name}.pdf"), pdf))
}

/// Refuses what the person's role may not do (the rule is `services::akses`).
fn allowed(sesi: &Sesi, t: Tindakan) -> Result<(), Gagal> {
    akses::boleh(sesi.pengguna.peran, t).map_err(|e| gagal(StatusCode::FORBIDDEN, e.0))
}

#[derive(Deserialize)]
struct JenisQuery {
    jenis: Option<String>,
    /// From a resident's page: the form is filled from this resident.
    nik: Option<String>,
}

/// The new-request form: first the letter type, then that type's own form.
async fn baru_form(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Query(q): axum::extract::Query<JenisQuery>,
) -> Result<Response, Gagal> {
    allowed(&sesi, Tindakan::CatatPermohonan)?;
    let now = (app.now)();
    let page = blocking(move || {
        let (ws, mut reg) = app.open().map_err(internal)?;
        let mut form = pages::Isian {
            tanggal: now.with_timezone(&ws.profil.tz()).date_naive().to_string(),
            nik: q.nik.clone().unwrap_or_default(),
            ..pages::Isian::default()
        };
        Ok(match q.jenis.as_deref().and_then(|k| ws.katalog.jenis(k)) {
            Some(j) => {
                // From a resident's page: the form comes filled.
                let cari = !form.nik.trim().is_empty();
                let bantuan = bantu(&mut reg, &ws, j, &mut form, cari, &sesi.pengguna.nama, now)?;
                pages::baru(&sesi, j, &form, &[], &bantuan).into_response()
            }
            None => pages::pilih_jenis(&ws, &sesi, q.nik.as_deref()).into_response(),
        })
    })
    .await?;
    Ok(page)
}

/// What the new-request form offers: with `cari`, the fields filled from the resident
/// with the form's NIK; for a type with a people list, the members of the form's KK.
fn bantu(
    reg: &mut crate::store::Register,
    ws: &Workspace,
    jenis: &crate::domain::katalog::JenisSurat,
    f: &mut pages::Isian,
    cari: bool,
    oleh: &str,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<pages::Bantuan, Gagal> {
    use crate::domain::identity::normalize_number;
    use crate::services::penduduk as layanan;
    let mut bantuan = pages::Bantuan::default();
    if cari {
        let mut m = f.masukan(jenis);
        let diisi = layanan::isi_permohonan(reg, ws, &mut m, oleh, now).map_err(internal)?;
        f.ambil(&m);
        bantuan.diisi = Some(diisi);
    }
    let kk = normalize_number(&f.kk);
    let daftar_orang = jenis
        .isian
        .iter()
        .any(|i| i.tipe == crate::domain::katalog::TipeIsian::DaftarOrang);
    if daftar_orang && kk.len() == 16 {
        let nik = normalize_number(&f.nik);
        bantuan.anggota = layanan::keluarga(reg, &kk, oleh, now)
            .map_err(internal)?
            .into_iter()
            .filter(|a| a.nik != nik)
            .collect();
    }
    Ok(bantuan)
}

/// Registers a request through the same intake check as the command line.
async fn baru(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    let Ok(Form(pairs)) = form else {
        return Err(gagal(
            StatusCode::BAD_REQUEST,
            "Isian formulir tidak terbaca.",
        ));
    };
    let mut f = pages::Isian::from_pairs(&pairs);
    check_csrf(&sesi, &f.csrf)?;
    allowed(&sesi, Tindakan::CatatPermohonan)?;
    let cari = pairs.iter().any(|(k, v)| k == "aksi" && v == "cari");
    let now = (app.now)();
    blocking(move || {
        let (ws, mut reg) = app.open().map_err(internal)?;
        let Some(jenis) = ws.katalog.jenis(&f.jenis) else {
            return Ok(pages::pilih_jenis(&ws, &sesi, None).into_response());
        };
        let oleh = sesi.pengguna.nama.clone();
        // Family members ticked join their people list, whichever button was pressed.
        crate::services::penduduk::tambah_anggota(
            &mut reg,
            &mut f.isian,
            &pages::Isian::anggota(&pairs),
            &oleh,
            now,
        )
        .map_err(internal)?;
        let bantuan = bantu(&mut reg, &ws, jenis, &mut f, cari, &oleh, now)?;
        if cari {
            return Ok(pages::baru(&sesi, jenis, &f, &[], &bantuan).into_response());
        }
        let today = now.with_timezone(&ws.profil.tz()).date_naive();
        let tanggal = f.masalah_tanggal(jenis);
        match crate::domain::permohonan::periksa(&f.masukan(jenis), &ws.katalog, today) {
            Ok(baru) if tanggal.is_empty() => {
                let p = reg.create(&baru, &oleh, now).map_err(internal)?;
                Ok(Redirect::to(&format!("/permohonan/{}", p.id)).into_response())
            }
            checked => {
                let masalah = gabung_masalah(tanggal, checked.err().map(|e| e.0));
                Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    pages::baru(&sesi, jenis, &f, &masalah, &bantuan),
                )
                    .into_response())
            }
        }
    })
    .await
}

/// The form's own problems (dates it could not read) and the intake's on the other
/// fields: one list, so every field is mended in one go.
fn gabung_masalah(
    mut tanggal: Vec<crate::domain::permohonan::Masalah>,
    lain: Option<Vec<crate::domain::permohonan::Masalah>>,
) -> Vec<crate::domain::permohonan::Masalah> {
    let lain: Vec<_> = lain
        .unwrap_or_default()
        .into_iter()
        .filter(|m| !tanggal.iter().any(|t| t.field == m.field))
        .collect();
    tanggal.extend(lain);
    tanggal
}

#[derive(Deserialize, Default)]
pub struct CariQuery {
    #[serde(default)]
    pub cari: String,
    #[serde(default)]
    pub tahap: String,
    #[serde(default)]
    pub jenis: String,
    /// `2026-10`, chosen from a list of months.
    #[serde(default)]
    pub bulan: String,
    /// 1-based.
    #[serde(default)]
    pub halaman: String,
}

/// Rows per page of the register and of today's work.
pub const PER_HALAMAN: usize = 50;

/// The register with search and filters, newest first, a page at a time.
async fn register(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Query(q): axum::extract::Query<CariQuery>,
) -> Result<Response, Gagal> {
    let now = (app.now)();
    let page = blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        let filter = crate::store::Filter {
            tahap: q.tahap.parse().ok(),
            jenis: ws.katalog.jenis(&q.jenis).map(|j| j.kode.clone()),
            bulan: q.bulan.parse().ok(),
            cari: Some(q.cari.clone()),
            ..Default::default()
        };
        // First as if the register were as long as any can be (an offset SQL still
        // takes), then, past its end, its last page.
        let mut halaman = pilih_halaman(&q.halaman, u32::MAX as usize);
        let (mut list, total) = reg
            .list_page(&filter, (halaman - 1) * PER_HALAMAN, PER_HALAMAN)
            .map_err(internal)?;
        if halaman > pilih_halaman(&q.halaman, total) {
            halaman = pilih_halaman(&q.halaman, total);
            list = reg
                .list_page(&filter, (halaman - 1) * PER_HALAMAN, PER_HALAMAN)
                .map_err(internal)?
                .0;
        }
        let today = now.with_timezone(&ws.profil.tz()).date_naive();
        Ok(pages::register(
            &ws, &sesi, &q, &list, total, halaman, today,
        ))
    })
    .await?;
    Ok(page.into_response())
}

fn pdf_response(name: &str, pdf: Vec<u8>) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        pdf,
    )
        .into_response()
}

/// Prints through the same `blanko` functions as the command line (into
/// `output/blanko/`), and serves the file written.
fn printed(p: crate::paper::blanko::Printed) -> Result<(String, Vec<u8>), Gagal> {
    let name = p
        .berkas
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(&p.berkas).map_err(internal)?;
    Ok((name, bytes))
}

/// A request's receipt (`tanda-terima.pdf`) or routing slip (`lembar-kendali.pdf`), filled.
async fn formulir_terisi(
    State(app): State<App>,
    SesiAktif(_): SesiAktif,
    axum::extract::Path((id, bentuk)): axum::extract::Path<(i64, String)>,
) -> Result<Response, Gagal> {
    let (name, pdf) = blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        let p = reg.get(id).map_err(|e| refused(e.into()))?;
        let r = crate::paper::render::for_workspace(&ws).map_err(internal)?;
        let out = ws.dir.join("output/blanko");
        let done = match bentuk.as_str() {
            "tanda-terima.pdf" => crate::paper::blanko::receipt(&ws, &r, Some(&p), &out),
            "lembar-kendali.pdf" => {
                let s = reg.letter_of(id).map_err(internal)?;
                crate::paper::blanko::routing_slip(&ws, &r, Some((&p, s.as_ref())), &out)
            }
            name => match (model_nikah(name), p.jenis.as_str()) {
                (Some(m), "pengantar-nikah") => {
                    crate::paper::blanko::model_nikah(&ws, &r, m, Some(&p), &out)
                }
                _ => return Err(gagal(StatusCode::NOT_FOUND, "Halaman ini tidak ada.")),
            },
        }
        .map_err(internal)?;
        printed(done)
    })
    .await?;
    Ok(pdf_response(&name, pdf))
}

async fn blanko_page(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
) -> Result<Response, Gagal> {
    let page = blocking(move || {
        let ws = app.workspace().map_err(internal)?;
        Ok(pages::blanko(&ws, &sesi))
    })
    .await?;
    Ok(page.into_response())
}

/// A blank form: `permohonan-KODE.pdf`, `tanda-terima.pdf`, `lembar-kendali.pdf`,
/// `buku-register.pdf`.
async fn blanko_pdf(
    State(app): State<App>,
    SesiAktif(_): SesiAktif,
    axum::extract::Path(berkas): axum::extract::Path<String>,
) -> Result<Response, Gagal> {
    let (name, pdf) = blocking(move || {
        let ws = app.workspace().map_err(internal)?;
        let r = crate::paper::render::for_workspace(&ws).map_err(internal)?;
        let out = ws.dir.join("output/blanko");
        let not_found = || gagal(StatusCode::NOT_FOUND, "Blanko ini tidak ada.");
        let done = match berkas.as_str() {
            "tanda-terima.pdf" => crate::paper::blanko::receipt(&ws, &r, None, &out),
            "lembar-kendali.pdf" => crate::paper::blanko::routing_slip(&ws, &r, None, &out),
            "buku-register.pdf" => crate::paper::blanko::register_pages(&ws, &r, &out),
            other if model_nikah(other).is_some() => {
                let m = model_nikah(other).expect("matched");
                crate::paper::blanko::model_nikah(&ws, &r, m, None, &out)
            }
            other => {
                let kode = other
                    .strip_prefix("permohonan-")
                    .and_then(|k| k.strip_suffix(".pdf"))
                    .ok_or_else(not_found)?;
                if ws.katalog.jenis(kode).is_none() {
                    return Err(not_found());
                }
                crate::paper::blanko::application(&ws, &r, kode, &out)
            }
        }
        .map_err(internal)?;
        printed(done)
    })
    .await?;
    Ok(pdf_response(&name, pdf))
}

/// The KUA's marriage model a form name asks for: `model-n2.pdf`, `model-n4.pdf`,
/// `model-n5.pdf`.
fn model_nikah(name: &str) -> Option<crate::paper::blanko::ModelNikah> {
    use crate::paper::blanko::ModelNikah;
    match name {
        "model-n2.pdf" => Some(ModelNikah::N2),
        "model-n4.pdf" => Some(ModelNikah::N4),
        "model-n5.pdf" => Some(ModelNikah::N5),
        _ => None,
    }
}

/// How many months, quarters and years back the reports page offers.
const BULAN_PILIHAN: usize = 36;
const TRIWULAN_PILIHAN: usize = 12;
const TAHUN_PILIHAN: usize = 3;

#[derive(Deserialize)]
struct LaporanQuery {
    dibuat: Option<String>,
}

/// The reports: the forms to make a month's, a quarter's or a year's (periods that are
/// over, chosen from a list), and the files of those made.
async fn laporan_page(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Query(q): axum::extract::Query<LaporanQuery>,
) -> Result<Response, Gagal> {
    use crate::domain::periode::JenisPeriode;
    let now = (app.now)();
    let page = blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        let now = now.with_timezone(&ws.profil.tz()).fixed_offset();
        let made = reg.reported_periods().map_err(internal)?;
        let is_made = |key: String| made.contains(&key);
        let mut bulan = Vec::new();
        let mut b = crate::services::laporan::default_month(&now);
        for _ in 0..BULAN_PILIHAN {
            bulan.push((b, is_made(b.to_string())));
            b = b.prev();
        }
        let back = |jenis: JenisPeriode, n: usize| {
            let mut out = Vec::new();
            let mut p = crate::services::laporan::default_periode(jenis, &now);
            for _ in 0..n {
                out.push((p, is_made(p.to_string())));
                p = p.prev();
            }
            out
        };
        let dibuat_bulan = reg
            .report_months()
            .map_err(internal)?
            .into_iter()
            .filter_map(|m| m.parse::<calendar::Bulan>().ok())
            .map(|m| (m, crate::services::laporan::report_file_names(m, false)))
            .collect();
        let dibuat_periode = made
            .iter()
            .filter_map(|k| k.parse::<Periode>().ok())
            .map(|p| (p, crate::services::laporan::period_file_names(p)))
            .collect();
        // What was just made, in words; anything else in the address is not repeated.
        let pesan = q.dibuat.as_deref().and_then(|d| {
            if let Ok(b) = d.parse::<calendar::Bulan>() {
                Some(format!("Laporan bulan {} sudah dibuat.", b.nama()))
            } else {
                d.parse::<Periode>()
                    .ok()
                    .map(|p| format!("Laporan {} sudah dibuat.", p.nama()))
            }
        });
        Ok(pages::laporan(
            &sesi,
            &pages::HalamanLaporan {
                bulan,
                triwulan: back(JenisPeriode::Triwulan, TRIWULAN_PILIHAN),
                tahun: back(JenisPeriode::Tahunan, TAHUN_PILIHAN),
                dibuat_bulan,
                dibuat_periode,
                pesan,
            },
        ))
    })
    .await?;
    Ok(page.into_response())
}

#[derive(Deserialize)]
struct BuatForm {
    csrf: String,
    #[serde(default)]
    bulan: String,
    #[serde(default)]
    kirim: Option<String>,
}

/// Makes a month's reports (the Koordinator's, the Seklur's, or the administrator's
/// hand), recording the moves to stages 5 and 6 as the command line does; optionally
/// queues the mail to the office and sends what is due.
async fn laporan_buat(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    form: Result<Form<BuatForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    let form = form.map(|f| f.0).ok();
    check_csrf(&sesi, form.as_ref().map_or("", |f| f.csrf.as_str()))?;
    allowed(&sesi, Tindakan::BuatLaporan)?;
    let form = form.expect("checked by the CSRF step");
    let now = (app.now)();
    let bulan: calendar::Bulan = form.bulan.trim().parse().map_err(|_| {
        gagal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Bulan laporan tidak dikenal. Pilih bulan dari daftar di halaman laporan.",
        )
    })?;
    let kirim = form.kirim.is_some();
    blocking(move || {
        let (ws, mut reg) = app.open().map_err(internal)?;
        let r = crate::paper::render::for_workspace(&ws).map_err(internal)?;
        crate::services::laporan::make_and_send(&ws, &mut reg, &r, bulan, now, kirim).map_err(
            |e| match e {
                crate::services::laporan::LaporanError::BelumTerjadi(b) => gagal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &format!("Bulan {b} belum terjadi."),
                ),
                crate::services::laporan::LaporanError::BelumSelesai(b) => gagal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &format!(
                        "Bulan {b} belum selesai. Laporan sebulan dibuat sesudah bulan itu \
                         berakhir, agar semua surat bulan itu termasuk."
                    ),
                ),
                e => internal(e),
            },
        )?;
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&format!("/laporan?dibuat={bulan}")).into_response())
}

#[derive(Deserialize)]
struct PeriodeForm {
    csrf: String,
    /// `2026-Q4` or `2026`, chosen from the page's list.
    #[serde(default)]
    periode: String,
    #[serde(default)]
    kirim: Option<String>,
}

/// Makes a quarter's or a year's report through the same service as `laporan triwulan`
/// and `laporan tahunan`, by the same hands as the monthly reports; optionally queues
/// the mail to the office and sends what is due.
async fn laporan_periode(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    form: Result<Form<PeriodeForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    use crate::services::laporan::LaporanError;
    let form = form.map(|f| f.0).ok();
    check_csrf(&sesi, form.as_ref().map_or("", |f| f.csrf.as_str()))?;
    allowed(&sesi, Tindakan::BuatLaporan)?;
    let form = form.expect("checked by the CSRF step");
    let periode: Periode = form.periode.trim().parse().map_err(|_| {
        gagal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Periode laporan tidak dikenal. Pilih triwulan atau tahun dari daftar di halaman laporan.",
        )
    })?;
    let kirim = form.kirim.is_some();
    let now = (app.now)();
    blocking(move || {
        let (ws, mut reg) = app.open().map_err(internal)?;
        let r = crate::paper::render::for_workspace(&ws).map_err(internal)?;
        crate::services::laporan::make_and_send_periode(&ws, &mut reg, &r, periode, now, kirim)
            .map_err(|e| match e {
                LaporanError::PeriodeBelumTerjadi(n) => gagal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &format!("{n} belum terjadi."),
                ),
                LaporanError::PeriodeBelumSelesai(n) => {
                    let (jenis, itu) = match periode.jenis() {
                        crate::domain::periode::JenisPeriode::Triwulan => ("triwulan", "triwulan"),
                        crate::domain::periode::JenisPeriode::Tahunan => ("tahunan", "tahun"),
                    };
                    gagal(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        &format!(
                            "{n} belum selesai. Laporan {jenis} dibuat sesudah {itu} itu \
                             berakhir, agar semua bulannya termasuk."
                        ),
                    )
                }
                e => internal(e),
            })?;
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&format!("/laporan?dibuat={periode}")).into_response())
}

/// A report's file: a month's (`/laporan/2026-10/rekap-seklur-2026-10.pdf`) or a
/// quarter's or a year's (`/laporan/2026-Q4/laporan-triwulan-2026-Q4.pdf`), by its own
/// name only.
async fn laporan_berkas(
    State(app): State<App>,
    SesiAktif(_): SesiAktif,
    axum::extract::Path((bulan, berkas)): axum::extract::Path<(String, String)>,
) -> Result<Response, Gagal> {
    let not_found = || gagal(StatusCode::NOT_FOUND, "Berkas laporan ini tidak ada.");
    let (key, names): (String, Vec<String>) = if let Ok(b) = bulan.parse::<calendar::Bulan>() {
        (
            b.to_string(),
            crate::services::laporan::report_file_names(b, false).to_vec(),
        )
    } else if let Ok(p) = bulan.parse::<Periode>() {
        (
            p.to_string(),
            crate::services::laporan::period_file_names(p).to_vec(),
        )
    } else {
        return Err(not_found());
    };
    if key != bulan || !names.contains(&berkas) {
        return Err(not_found());
    }
    let name = berkas.clone();
    let bytes = blocking(move || {
        let ws = app.workspace().map_err(internal)?;
        let path = ws.dir.join("output/laporan").join(&key).join(&name);
        std::fs::read(&path).map_err(|_| not_found())
    })
    .await?;
    let kind = if berkas.ends_with(".pdf") {
        "application/pdf"
    } else {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, kind.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{berkas}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn surel_page(State(app): State<App>, SesiAktif(sesi): SesiAktif) -> Result<Response, Gagal> {
    allowed(&sesi, Tindakan::KelolaProgram)?;
    let page = blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        let list = reg.list_mail(None).map_err(internal)?;
        Ok(pages::surel(&sesi, &list, ws.profil.tz()))
    })
    .await?;
    Ok(page.into_response())
}

async fn jadwal_page(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
) -> Result<Response, Gagal> {
    allowed(&sesi, Tindakan::KelolaProgram)?;
    let now = (app.now)();
    let page = blocking(move || {
        let (ws, reg) = app.open().map_err(internal)?;
        let rows: Vec<pages::JadwalBaris> = crate::services::jobs::overview(&ws, &reg, now)
            .map_err(internal)?
            .into_iter()
            .map(|j| pages::JadwalBaris {
                terakhir: j.terakhir_teks(),
                nama: j.nama,
                berkas: j.berkas,
                aktif: j.aktif,
                berikutnya: j.berikutnya,
            })
            .collect();
        Ok(pages::jadwal(&sesi, &rows))
    })
    .await?;
    Ok(page.into_response())
}

async fn impor_page(SesiAktif(sesi): SesiAktif) -> Result<Response, Gagal> {
    allowed(&sesi, Tindakan::Impor)?;
    Ok(pages::impor_form(&sesi).into_response())
}

/// Where an upload waits between its dry run and its import.
fn upload_dir(ws: &Workspace, token: &str) -> Result<PathBuf, Gagal> {
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(gagal(StatusCode::NOT_FOUND, "Unggahan ini tidak ada."));
    }
    Ok(ws.dir.join("output/impor/unggahan").join(token))
}

/// The uploaded files of a dry run, in the order chosen: each in a numbered folder of its
/// own under its own (safe) name, so that no name (`laporan.xlsx`, `.register.xlsx`, two
/// files of one name) is lost or clashes with the dry run's report beside them.
fn upload_files(dir: &std::path::Path) -> Result<Vec<PathBuf>, Gagal> {
    let gone = || {
        gagal(
            StatusCode::NOT_FOUND,
            "Unggahan ini tidak ada lagi (unggahan disimpan sehari); unggah ulang.",
        )
    };
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|_| gone())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let mut files = Vec::new();
    for f in folders {
        let mut inside: Vec<PathBuf> = std::fs::read_dir(&f)
            .map_err(|_| gone())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        inside.sort();
        files.extend(inside);
    }
    if files.is_empty() {
        return Err(gone());
    }
    Ok(files)
}

/// An uploaded file's name as kept: its last part only, characters a file system and a
/// report show safely, at most 120 characters with its extension kept.
fn safe_upload_name(name: &str) -> String {
    let base: String = std::path::Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "._- ()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let base = base.trim().to_string();
    if base.is_empty() || base.chars().all(|c| c == '.') {
        return "berkas".into();
    }
    const MAKS: usize = 120;
    if base.chars().count() <= MAKS {
        return base;
    }
    let ext: String = match base.rfind('.') {
        Some(i) if base.len() - i <= 6 => base[i..].to_string(),
        _ => String::new(),
    };
    let stem: String = base.chars().take(MAKS - ext.chars().count()).collect();
    format!("{stem}{ext}")
}

/// Removes uploads older than a day: a dry run not followed by its import leaves no
/// spreadsheet of residents' data lying in the workspace.
fn clean_old_uploads(ws: &Workspace) {
    let root = ws.dir.join("output/impor/unggahan");
    let Ok(entries) = std::fs::read_dir(&root) else {
        return;
    };
    let day = std::time::Duration::from_secs(24 * 3600);
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > day);
        if old {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Words for an upload that did not arrive whole: too big, or cut off.
fn upload_error(e: axum::extract::multipart::MultipartError) -> Gagal {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        gagal(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "Berkas terlalu besar: unggahan paling banyak {} MB sekaligus. Unggah berkas satu per satu, atau pecah buku kerjanya per tahun.",
                UPLOAD_MAKS / (1024 * 1024)
            ),
        )
    } else {
        gagal(
            StatusCode::BAD_REQUEST,
            "Unggahan terputus sebelum selesai; coba unggah lagi.",
        )
    }
}

/// The most one upload may carry, all files together.
const UPLOAD_MAKS: usize = 64 * 1024 * 1024;

fn import_opsi<'a>(
    ws: &'a Workspace,
    peta: &'a crate::paper::import::Peta,
    oleh: &'a str,
    now: DateTime<FixedOffset>,
    uji: bool,
) -> crate::paper::import::Opsi<'a> {
    crate::paper::import::Opsi {
        peta,
        katalog: &ws.katalog,
        penomoran: ws.profil.penomoran_surat(),
        oleh,
        at: now,
        uji,
    }
}

/// Upload and dry run: the files are kept under a random token, checked with `--uji`
/// semantics, and the summary offers the import itself.
async fn impor_uji(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, Gagal> {
    allowed(&sesi, Tindakan::Impor)?;
    let mut csrf = String::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(upload_error)?;
        match (name.as_str(), file_name) {
            ("csrf", _) => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            ("berkas", Some(f)) if !bytes.is_empty() => {
                files.push((safe_upload_name(&f), bytes.to_vec()));
            }
            _ => {}
        }
    }
    check_csrf(&sesi, &csrf)?;
    if files.is_empty() {
        return Err(gagal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Pilih sedikitnya satu berkas register.",
        ));
    }
    let now = (app.now)();
    let token = random_hex(16).map_err(internal)?;
    let page = blocking(move || {
        let (ws, mut reg) = app.open().map_err(internal)?;
        clean_old_uploads(&ws);
        let dir = upload_dir(&ws, &token)?;
        for (i, (name, bytes)) in files.iter().enumerate() {
            let path = dir.join(format!("{:02}", i + 1)).join(name);
            crate::util::files::write_atomic(&path, bytes).map_err(internal)?;
        }
        let peta = crate::paper::import::load_peta(&ws.dir, &ws.katalog, None).map_err(internal)?;
        let paths = upload_files(&dir)?;
        let r = crate::paper::import::run(
            &mut reg,
            &paths,
            &import_opsi(&ws, &peta, &sesi.pengguna.nama, now, true),
        )
        .map_err(internal)?;
        let xlsx = crate::paper::import::laporan::workbook(
            &r,
            now.with_timezone(&ws.profil.tz()).date_naive(),
        )
        .map_err(internal)?;
        crate::util::files::write_atomic(&dir.join("laporan.xlsx"), &xlsx).map_err(internal)?;
        Ok(pages::impor_hasil(&sesi, &r, Some(&token)))
    })
    .await?;
    Ok(page.into_response())
}

#[derive(Deserialize)]
struct JalankanForm {
    csrf: String,
    token: String,
}

/// The import itself, of the files the dry run checked.
async fn impor_jalankan(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    form: Result<Form<JalankanForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    allowed(&sesi, Tindakan::Impor)?;
    let form = form.map(|f| f.0).ok();
    check_csrf(&sesi, form.as_ref().map_or("", |f| f.csrf.as_str()))?;
    let token = form.map(|f| f.token).unwrap_or_default();
    let now = (app.now)();
    let page = blocking(move || {
        let (ws, mut reg) = app.open().map_err(internal)?;
        let dir = upload_dir(&ws, &token)?;
        let paths = upload_files(&dir)?;
        let peta = crate::paper::import::load_peta(&ws.dir, &ws.katalog, None).map_err(internal)?;
        let r = crate::paper::import::run(
            &mut reg,
            &paths,
            &import_opsi(&ws, &peta, &sesi.pengguna.nama, now, false),
        )
        .map_err(internal)?;
        // Imported: the uploaded copies are not kept.
        let _ = std::fs::remove_dir_all(&dir);
        Ok(pages::impor_hasil(&sesi, &r, None))
    })
    .await?;
    Ok(page.into_response())
}

async fn impor_laporan(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Result<Response, Gagal> {
    allowed(&sesi, Tindakan::Impor)?;
    let bytes = blocking(move || {
        let ws = app.workspace().map_err(internal)?;
        let dir = upload_dir(&ws, &token)?;
        std::fs::read(dir.join("laporan.xlsx"))
            .map_err(|_| gagal(StatusCode::NOT_FOUND, "Laporan impor ini tidak ada."))
    })
    .await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"laporan-impor.xlsx\"".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The Operator ticks the papers brought later (only while the request is at stage 1:
/// the register refuses otherwise, in the SOP's words).
async fn berkas(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    axum::extract::Path(id): axum::extract::Path<i64>,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    let pairs = form.map(|f| f.0).unwrap_or_default();
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    check_csrf(&sesi, csrf)?;
    allowed(&sesi, Tindakan::CatatPermohonan)?;
    let ticked: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "berkas")
        .map(|(_, v)| v.clone())
        .collect();
    let now = (app.now)();
    blocking(move || {
        let (_, mut reg) = app.open().map_err(internal)?;
        let p = reg.get(id).map_err(|e| refused(e.into()))?;
        let missing: Vec<String> = p
            .berkas
            .iter()
            .filter(|b| !ticked.contains(&b.kode))
            .map(|b| b.kode.clone())
            .collect();
        reg.set_papers(id, &ticked, &missing, now)
            .map_err(|e| match e {
                RegisterError::UnknownPaper { .. } => gagal(StatusCode::CONFLICT, &e.to_string()),
                other => refused(other.into()),
            })
    })
    .await?;
    Ok(Redirect::to(&format!("/permohonan/{id}")).into_response())
}
