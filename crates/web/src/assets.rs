//! CSS, JS and icons, embedded in the binary at build time. Third-party code comes from npm.

use crate::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Own;

#[derive(RustEmbed)]
#[folder = "node_modules/htmx.org/dist/"]
#[include = "htmx.min.js"]
struct Htmx;

#[derive(RustEmbed)]
#[folder = "node_modules/echarts/dist/"]
#[include = "echarts.min.js"]
struct Echarts;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/{file}", get(asset))
        .route(
            "/favicon.svg",
            get(|| asset(Path("favicon.svg".to_owned()))),
        )
        .route(
            "/favicon.ico",
            get(|| async { Redirect::permanent("/favicon.svg") }),
        )
}

/// Whether a path is one of these files: the same for everyone, so they may be cached.
pub(crate) fn serves(path: &str) -> bool {
    path.starts_with("/static/") || path == "/favicon.svg" || path == "/favicon.ico"
}

async fn asset(Path(file): Path<String>) -> Response {
    let Some(content) = Own::get(&file)
        .or_else(|| Htmx::get(&file))
        .or_else(|| Echarts::get(&file))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = match file.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        content.data,
    )
        .into_response()
}
