//! Logging in and out, and what a session carries: the cookie (only its token's SHA-256
//! is stored), the CSRF token every form must carry, the extractor of the logged-in
//! person (`SesiAktif`).

use super::*;

pub(super) fn random_hex(bytes: usize) -> Result<String, WebError> {
    Ok(crate::util::acak::random_hex(bytes)?)
}

pub(super) fn sha256_hex(s: &str) -> String {
    crate::util::acak::sha256_hex(s.as_bytes())
}

/// Compares two tokens in time that does not depend on where they differ.
pub(super) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Whether the browser reached us over TLS: the program serves plain http, so TLS means
/// a reverse proxy in front (nginx, Caddy) that says so in `X-Forwarded-Proto`.
pub(super) fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

pub(super) fn set_cookie(
    headers: &HeaderMap,
    name: &str,
    value: &str,
    path: &str,
    max_age: i64,
) -> HeaderValue {
    let secure = if over_tls(headers) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    ))
    .expect("cookie of hex and ASCII")
}

/// The logged-in person of a request; without a live session, the login page.
pub struct SesiAktif(pub Sesi);

impl FromRequestParts<App> for SesiAktif {
    type Rejection = Gagal;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, COOKIE_SESI) else {
            return Err(Gagal::Ke("/masuk"));
        };
        let app = app.clone();
        let now = (app.now)();
        let sesi = blocking(move || {
            let (_, reg) = app.open().map_err(internal)?;
            reg.session(&sha256_hex(&token), now).map_err(internal)
        })
        .await?;
        match sesi {
            Some(s) => Ok(SesiAktif(s)),
            None => Err(Gagal::Ke("/masuk?habis=1")),
        }
    }
}

/// Refuses a form whose CSRF token is not the session's.
pub(super) fn check_csrf(sesi: &Sesi, token: &str) -> Result<(), Gagal> {
    if same_token(&sesi.csrf, token) {
        Ok(())
    } else {
        Err(gagal(
            StatusCode::FORBIDDEN,
            "Formulir ini kedaluwarsa atau tidak berasal dari halaman ini. Muat ulang halaman lalu coba lagi.",
        ))
    }
}

#[derive(Deserialize)]
pub(super) struct HabisQuery {
    habis: Option<String>,
}

/// The office's name for the login page, so a clerk knows whose page it is.
fn nama_kantor(app: &App) -> Option<String> {
    app.workspace().ok().map(|ws| {
        format!(
            "{}, {}",
            ws.profil.kantor.kelurahan, ws.profil.kantor.kecamatan
        )
    })
}

pub(super) async fn masuk_form(
    State(app): State<App>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<HabisQuery>,
) -> Result<Response, Gagal> {
    let token = random_hex(32).map_err(internal)?;
    let pesan = q
        .habis
        .is_some()
        .then_some("Sesi Anda sudah berakhir. Silakan masuk lagi.");
    let kantor = blocking(move || Ok(nama_kantor(&app))).await?;
    let mut res = pages::masuk(&token, pesan, None, kantor.as_deref()).into_response();
    res.headers_mut().append(
        SET_COOKIE,
        set_cookie(&headers, COOKIE_MASUK, &token, "/masuk", 3600),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub(super) struct MasukForm {
    nama: String,
    sandi: String,
    csrf: String,
}

pub(super) async fn masuk(
    State(app): State<App>,
    headers: HeaderMap,
    form: Result<Form<MasukForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    let Ok(Form(form)) = form else {
        return Err(gagal(
            StatusCode::BAD_REQUEST,
            "Isian formulir tidak lengkap.",
        ));
    };
    let expected = cookie(&headers, COOKIE_MASUK).unwrap_or_default();
    if expected.is_empty() || !same_token(&expected, &form.csrf) {
        return Err(gagal(
            StatusCode::FORBIDDEN,
            "Formulir masuk kedaluwarsa. Buka halaman masuk lagi.",
        ));
    }
    let now = (app.now)();
    let nama = form.nama.clone();
    let app_kantor = app.clone();
    let result = blocking(move || {
        let (_, mut reg) = app.open().map_err(internal)?;
        match pengguna::masuk(&mut reg, &form.nama, &form.sandi, now) {
            Ok(p) => {
                let token = random_hex(32).map_err(internal)?;
                let csrf = random_hex(32).map_err(internal)?;
                reg.create_session(
                    p.id,
                    &sha256_hex(&token),
                    &csrf,
                    now,
                    now + Duration::hours(LAMA_SESI_JAM),
                )
                .map_err(internal)?;
                Ok(Ok(token))
            }
            Err(PenggunaError::Register(e)) => Err(internal(e)),
            Err(e) => Ok(Err(e.to_string())),
        }
    })
    .await?;
    match result {
        Ok(token) => {
            let mut res = Redirect::to("/").into_response();
            res.headers_mut().append(
                SET_COOKIE,
                set_cookie(&headers, COOKIE_SESI, &token, "/", LAMA_SESI_JAM * 3600),
            );
            res.headers_mut().append(
                SET_COOKIE,
                set_cookie(&headers, COOKIE_MASUK, "", "/masuk", 0),
            );
            Ok(res)
        }
        Err(pesan) => {
            // A fresh form token for the next try.
            let token = random_hex(32).map_err(internal)?;
            let kantor = blocking(move || Ok(nama_kantor(&app_kantor))).await?;
            let mut res = (
                StatusCode::UNAUTHORIZED,
                pages::masuk(&token, Some(&pesan), Some(&nama), kantor.as_deref()),
            )
                .into_response();
            res.headers_mut().append(
                SET_COOKIE,
                set_cookie(&headers, COOKIE_MASUK, &token, "/masuk", 3600),
            );
            Ok(res)
        }
    }
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

pub(super) async fn keluar(
    State(app): State<App>,
    SesiAktif(sesi): SesiAktif,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Gagal> {
    let token = form.map(|f| f.0.csrf).unwrap_or_default();
    check_csrf(&sesi, &token)?;
    let cookie_token = cookie(&headers, COOKIE_SESI).unwrap_or_default();
    blocking(move || {
        let (_, mut reg) = app.open().map_err(internal)?;
        reg.end_session(&sha256_hex(&cookie_token))
            .map_err(internal)
    })
    .await?;
    let mut res = Redirect::to("/masuk").into_response();
    res.headers_mut()
        .append(SET_COOKIE, set_cookie(&headers, COOKIE_SESI, "", "/", 0));
    Ok(res)
}
