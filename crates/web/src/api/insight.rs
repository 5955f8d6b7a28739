//! The figures (统计分析) through the API, as the dashboard shows and exports them, and the
//! count of students each organization registers for them.

use super::{ApiJson, ApiQuery};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use dangjian_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct DashboardParams {
    /// The organization whose subtree is counted; the caller's first scope when left out.
    under: Option<i64>,
}

/// The dashboard's figures for a subtree, computed from the records.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "insight", operation_id = "get_dashboard", params(DashboardParams),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub(crate) async fn dashboard(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DashboardParams>,
) -> Result<Json<dangjian_app::insight::Dashboard>, ApiError> {
    let d = st
        .app
        .insight()
        .dashboard(&caller.actor, q.under.map(OrgId::new))
        .await?;
    Ok(Json(d.as_ref().clone()))
}

/// The dashboard's figures as the spreadsheet the dashboard exports.
#[utoipa::path(get, path = "/api/v1/dashboard.xlsx", tag = "insight", operation_id = "export_dashboard", params(DashboardParams),
    responses((status = 200, body = inline(super::contract::File), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn dashboard_xlsx(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DashboardParams>,
) -> Result<Response, ApiError> {
    let bytes = st
        .app
        .insight()
        .dashboard_xlsx(&caller.actor, q.under.map(OrgId::new))
        .await?;
    Ok(crate::download::xlsx("党建统计.xlsx", "dashboard", bytes))
}

/// The students an organization has (在校学生数), for the ratio of members to students.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StudentsBody {
    students: u64,
}

/// Registers how many students an organization has (who may change the organization).
#[utoipa::path(put, path = "/api/v1/orgs/{id}/students", tag = "insight", operation_id = "set_org_students",
    params(("id" = i64, Path)), request_body = StudentsBody,
    responses((status = 200, body = StudentsBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn set_students(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::OrgNamed>,
    ApiJson(b): ApiJson<StudentsBody>,
) -> Result<Json<StudentsBody>, ApiError> {
    st.app
        .insight()
        .set_students(&caller.actor, id, b.students)
        .await?;
    Ok(Json(b))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dashboard))
        .routes(routes!(dashboard_xlsx))
        .routes(routes!(set_students))
}
