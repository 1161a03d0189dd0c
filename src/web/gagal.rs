//! Why a request stops: an error page in Indonesian, or a trip to the login page; and
//! running register work off the async threads.

use super::*;

/// Why a request stops: an error page in Indonesian with no detail a stranger should
/// see, or a trip to another page (the login page).
pub enum Gagal {
    Halaman(StatusCode, String),
    Ke(&'static str),
}

/// An error page's words, left on the response for `error_pages` to lay out with the
/// person's menu and the way back to where they were.
#[derive(Clone)]
pub(super) struct GalatPesan(pub StatusCode, pub String);

impl IntoResponse for Gagal {
    fn into_response(self) -> Response {
        match self {
            Gagal::Halaman(status, pesan) => {
                let mut res = (status, pages::galat(status, &pesan, None, None)).into_response();
                res.extensions_mut().insert(GalatPesan(status, pesan));
                res
            }
            Gagal::Ke(to) => Redirect::to(to).into_response(),
        }
    }
}

/// Lays out every error page with the menu of the person logged in (if any) and a link
/// back to the request the failed step was about, so a refusal is never a dead end.
pub(super) async fn error_pages(State(app): State<App>, req: Request, next: Next) -> Response {
    let token = sesi::cookie(req.headers(), COOKIE_SESI);
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let Some(GalatPesan(status, pesan)) = res
        .extensions()
        .get::<GalatPesan>()
        .cloned()
        .or_else(|| refused_by_the_framework(&res))
    else {
        return res;
    };
    let now = (app.now)();
    let sesi = match token {
        Some(t) => blocking(move || {
            let (_, reg) = app.open().map_err(internal)?;
            reg.session(&sesi::sha256_hex(&t), now).map_err(internal)
        })
        .await
        .ok()
        .flatten(),
        None => None,
    };
    // `/permohonan/12/lanjut` -> back to `/permohonan/12`.
    let kembali = path
        .strip_prefix("/permohonan/")
        .and_then(|rest| rest.split('/').next())
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        .map(|id| format!("/permohonan/{id}"));
    (
        status,
        pages::galat(status, &pesan, sesi.as_ref(), kembali.as_deref()),
    )
        .into_response()
}

/// Words for what the router refused before any handler ran (an address it does not
/// know, a form's address opened as a page, a number that is not one): its plain-text
/// answer is English and names Rust types, so the page says it in its own words.
fn refused_by_the_framework(res: &Response) -> Option<GalatPesan> {
    let status = res.status();
    let html = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html || !status.is_client_error() {
        return None;
    }
    let pesan = match status {
        StatusCode::NOT_FOUND => "Halaman ini tidak ada. Periksa alamatnya.",
        StatusCode::METHOD_NOT_ALLOWED => {
            "Alamat ini adalah tombol sebuah formulir, bukan halaman. Buka halamannya, lalu tekan tombolnya lagi bila masih perlu."
        }
        StatusCode::PAYLOAD_TOO_LARGE => "Isian yang dikirim terlalu besar.",
        StatusCode::TOO_MANY_REQUESTS | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            return None;
        }
        _ => "Alamat atau isian formulir ini tidak terbaca. Muat ulang halaman, lalu coba lagi.",
    };
    Some(GalatPesan(status, pesan.to_string()))
}

pub(super) fn gagal(status: StatusCode, pesan: &str) -> Gagal {
    Gagal::Halaman(status, pesan.to_string())
}

/// A server-side failure: logged in full (it names no person), shown in general words.
pub(super) fn internal(e: impl std::fmt::Display) -> Gagal {
    let _ = writeln!(std::io::stderr(), "galat server: {e}");
    gagal(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Terjadi galat di server. Coba lagi; bila berulang, hubungi pengelola program.",
    )
}

/// Runs register work off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Gagal> + Send + 'static,
) -> Result<T, Gagal> {
    tokio::task::spawn_blocking(f).await.map_err(internal)?
}
