//! The official calendar (节假日安排) through the API, as its page keeps it: the holidays on
//! weekdays and the weekend days worked that the working-day rules (公示 ≥ 5 working days)
//! count on. Everyone reads it; the organization department keeps it.

use super::{ApiJson, List};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dangjian_app::AppError;
use dangjian_domain::FieldError;
use dangjian_domain::calendar::CalendarDay;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A day the official calendar changes.
#[derive(Serialize, ToSchema)]
pub(crate) struct CalendarDayView {
    on: chrono::NaiveDate,
    /// True for a weekend day worked (调休上班), false for a day off (放假).
    working: bool,
    note: String,
}

/// The changed days, in date order.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar", operation_id = "list_calendar_days",
    responses((status = 200, body = List<CalendarDayView>)))]
pub(crate) async fn list(
    State(st): State<AppState>,
    _caller: Caller,
) -> Result<Json<List<CalendarDayView>>, ApiError> {
    let days = st.app.development().calendar_days().await?;
    Ok(Json(List {
        total: days.len() as u64,
        items: days
            .into_iter()
            .map(|(d, note)| CalendarDayView {
                on: d.on,
                working: d.working,
                note,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CalendarDayBody {
    /// True for a weekend day worked (调休上班), false for a day off (放假).
    working: bool,
    /// What the day is (国庆节…), one line of at most 100 characters.
    note: String,
}

fn day(on: &str) -> Result<chrono::NaiveDate, ApiError> {
    dangjian_domain::people::parse_date(on, "on", "日期")
        .map_err(AppError::from)?
        .ok_or_else(|| ApiError(FieldError::new("on", "日期", "请填写日期").into()))
}

/// Sets a day of the calendar (organization department).
#[utoipa::path(put, path = "/api/v1/calendar/{on}", tag = "calendar", operation_id = "set_calendar_day",
    params(("on" = chrono::NaiveDate, Path)), request_body = CalendarDayBody,
    responses((status = 200, body = CalendarDayView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn set(
    State(st): State<AppState>,
    caller: Caller,
    Path(on): Path<String>,
    ApiJson(b): ApiJson<CalendarDayBody>,
) -> Result<Json<CalendarDayView>, ApiError> {
    let on = day(&on)?;
    let d = CalendarDay {
        on,
        working: b.working,
    };
    let note = st
        .app
        .development()
        .set_calendar_day(&caller.actor, d, &b.note)
        .await?;
    Ok(Json(CalendarDayView {
        on,
        working: b.working,
        note,
    }))
}

/// Takes a day off the calendar: it is an ordinary day again.
#[utoipa::path(delete, path = "/api/v1/calendar/{on}", tag = "calendar", operation_id = "remove_calendar_day",
    params(("on" = chrono::NaiveDate, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn remove(
    State(st): State<AppState>,
    caller: Caller,
    Path(on): Path<String>,
) -> Result<StatusCode, ApiError> {
    let on = day(&on)?;
    st.app
        .development()
        .remove_calendar_day(&caller.actor, on)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(set, remove))
}
