//! The audit trail through the API, for the auditor.

use super::{ApiQuery, List, PageParams};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use dangjian_app::AuditFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Serialize, ToSchema)]
pub(crate) struct AuditView {
    seq: i64,
    /// Unix milliseconds.
    at: i64,
    actor_id: Option<i64>,
    actor_name: String,
    action: String,
    entity: String,
    entity_id: Option<i64>,
    client_ip: Option<String>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    prev_hash: String,
    hash: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    /// 1-based page number.
    #[param(minimum = 1, maximum = 10_000_000)]
    page: Option<u64>,
    /// Rows per page (default 20).
    #[param(minimum = 1, maximum = 500)]
    per_page: Option<u64>,
    /// The acting username.
    actor: Option<String>,
    /// The kind of record: `org`, `account`, `grant`, `attachment`, …
    entity: Option<String>,
    entity_id: Option<i64>,
    /// An action or its prefix: `org.create`, `account.`
    action: Option<String>,
    /// From this instant (Unix milliseconds).
    from: Option<i64>,
    /// Before this instant (Unix milliseconds).
    to: Option<i64>,
}

/// Searches the audit trail, newest first. Auditor only.
#[utoipa::path(get, path = "/api/v1/audit", operation_id = "search_audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = List<AuditView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn search(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<List<AuditView>>, ApiError> {
    let paging = PageParams {
        page: q.page,
        per_page: q.per_page,
    }
    .paging()?;
    let filter = AuditFilter {
        actor: q.actor,
        entity: q.entity,
        entity_id: q.entity_id,
        action: q.action,
        from_ms: q.from,
        to_ms: q.to,
    };
    let page = st
        .app
        .audit()
        .search(&caller.actor, &filter, paging)
        .await?;
    Ok(Json(List {
        total: page.total,
        items: page
            .items
            .into_iter()
            .map(|e| AuditView {
                seq: e.seq,
                at: e.at_ms,
                actor_id: e.record.actor_id.map(|a| a.get()),
                actor_name: e.record.actor_name,
                action: e.record.action,
                entity: e.record.entity,
                entity_id: e.record.entity_id,
                client_ip: e.record.client_ip,
                before: e.record.before,
                after: e.record.after,
                prev_hash: e.prev_hash,
                hash: e.hash,
            })
            .collect(),
    }))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}
