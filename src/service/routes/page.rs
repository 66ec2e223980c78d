//! `GET /`: the preview page, one self-contained HTML file (no external
//! assets) mirroring the portal's Send Fax dialog.

use axum::http::header;
use axum::response::IntoResponse;

const PAGE: &str = include_str!("../page.html");

pub async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The page needs nothing from elsewhere; say so to the browser.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'; form-action 'self'",
            ),
        ],
        PAGE,
    )
}
