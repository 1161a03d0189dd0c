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
    let Some(GalatPesan(status, pesan)) = res.extensions().get::<GalatPesan>().cloned() else {
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
