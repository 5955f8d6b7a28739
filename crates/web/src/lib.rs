//! The web layer: server-rendered pages (askama + htmx) and the JSON API under `/api/v1`.
//! Handlers parse and render; every decision is the app's.

mod api;
mod assets;
mod auth;
mod download;
mod error;
mod ical;
mod local_path;
mod ops;
mod pages;
mod security;
mod upload;

pub use auth::{CSRF_COOKIE, SESSION_COOKIE};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum_htmx::AutoVaryLayer;
use dangjian_app::App;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;
use std::time::Duration;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// `/metrics`, when a scraper's token is configured; otherwise the endpoint is not there.
    pub metrics: Option<MetricsEndpoint>,
}

/// The Prometheus endpoint and the token a scraper sends as `Authorization: Bearer`: the
/// request counts by route are nobody else's business.
#[derive(Clone)]
pub struct MetricsEndpoint {
    pub handle: PrometheusHandle,
    pub token: String,
}

/// Forms and JSON bodies; uploads have their own, larger limit checked again by the app.
const BODY_LIMIT: usize = 1024 * 1024;
pub(crate) const UPLOAD_LIMIT: usize = 201 * 1024 * 1024;

/// The whole application: pages, API, assets and operations endpoints.
pub fn router(state: AppState) -> Router {
    // Sign-in attempts from one address: a burst of 10, then one every 2 seconds.
    let governor = GovernorConfigBuilder::default()
        .per_second(2)
        .burst_size(10)
        .finish()
        .map(Arc::new);
    let mut sign_in = pages::sign_in_routes().merge(api::sign_in_routes());
    if let Some(config) = governor {
        sign_in = sign_in.layer(GovernorLayer::new(config));
    }
    let router = Router::new()
        // Pages that answer a fragment to htmx and the whole page otherwise say so in `Vary`.
        .merge(pages::routes().layer(AutoVaryLayer))
        .merge(sign_in)
        .merge(api::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::resolve,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .merge(assets::routes())
        .merge(ops::routes())
        .with_state(state)
        .layer(axum::middleware::from_fn(error::translate_rejections));
    ops::wrap(router, Duration::from_secs(30)).layer(axum::middleware::from_fn(security::headers))
}
