//! Why a request stops: an error page in Indonesian, or a trip to the login page; and
//! running register work off the async threads.

use super::*;

/// Why a request stops: an error page in Indonesian with no detail a stranger should
/// see, or a trip to another page (the login page).
pub enum Gagal {
    Halaman(StatusCode, String),
    Ke(&'static str),
}

impl IntoResponse for Gagal {
    fn into_response(self) -> Response {
        match self {
            Gagal::Halaman(status, pesan) => (status, pages::galat(status, &pesan)).into_response(),
            Gagal::Ke(to) => Redirect::to(to).into_response(),
        }
    }
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
