//! Headers every response carries so that a browser holds our pages to what they need: no
//! script but our own files, no framing by another site, no guessing of content types, no
//! address sent to other sites, https kept once used, and nothing personal kept in a cache.

use crate::auth::is_https;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Scripts only from our own files: the pages carry no inline script or `on…=` handler (the
/// charts' figures ride in a JSON data block, which is never run, and htmx is told not to
/// evaluate attributes). Styles are held to our own file too, since no template needs a
/// style attribute; only script (ECharts, through the DOM) sets styles, which CSP allows.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; \
                   base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// One year, as browsers expect for HSTS to be worth it.
const HSTS: &str = "max-age=31536000";

pub(crate) async fn headers(req: Request, next: Next) -> Response {
    // Sent only over https, which the app knows from the proxy's `X-Forwarded-Proto` as it
    // does for the Secure flag of its cookies.
    let https = is_https(req.headers());
    let cacheable = crate::assets::serves(req.uri().path());
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    // Pages, API answers, exports, attachments and the calendar feed all show someone's
    // data; only the embedded assets are the same for everyone.
    if !cacheable {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
