//! Thought reports (思想汇报) through the API: one's own and those handed to one as a mentor,
//! handing one in, answering one, one report, and an organization's reports of a year.

use super::ApiJson;
use super::meetings::YearParams;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use dangjian_app::thought_report::{ReportView, ThoughtReportRecord};
use dangjian_domain::ids::{OrgId, PersonId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A mentor's answer.
#[derive(Serialize, ToSchema)]
pub(crate) struct AnswerView {
    text: String,
    by_person_id: i64,
    by_name: String,
    /// Milliseconds since 1970 (UTC).
    at: i64,
}

/// A thought report with its writer, mentors and answer.
#[derive(Serialize, ToSchema)]
pub(crate) struct ThoughtReportView {
    id: i64,
    person_id: i64,
    writer_name: String,
    org_id: i64,
    title: String,
    body: String,
    handed_in_on: chrono::NaiveDate,
    /// The mentors it was handed to (培养联系人), by person id; empty before step 5.
    mentor_ids: Vec<i64>,
    mentor_names: Vec<String>,
    answer: Option<AnswerView>,
    /// Whether the caller may answer it.
    may_answer: bool,
}

impl From<ReportView> for ThoughtReportView {
    fn from(v: ReportView) -> Self {
        let ThoughtReportRecord {
            id,
            person_id,
            org_id,
            report,
            handed_in_on,
            mentor_ids,
            answer,
            ..
        } = v.report;
        Self {
            id,
            person_id: person_id.get(),
            writer_name: v.writer_name,
            org_id: org_id.get(),
            title: report.title,
            body: report.body,
            handed_in_on,
            mentor_ids: mentor_ids.into_iter().map(PersonId::get).collect(),
            mentor_names: v.mentor_names,
            answer: answer.map(|a| AnswerView {
                text: a.text,
                by_person_id: a.by_person_id.get(),
                by_name: a.by_name,
                at: a.at,
            }),
            may_answer: v.may_answer,
        }
    }
}

fn views(v: Vec<ReportView>) -> Vec<ThoughtReportView> {
    v.into_iter().map(ThoughtReportView::from).collect()
}

/// The caller's own reports and those handed to them as a mentor.
#[derive(Serialize, ToSchema)]
pub(crate) struct MyThoughtReportsView {
    /// Whether the caller's person hands in reports (applicant to probationary member).
    hands_in: bool,
    /// Their mentors now, by name.
    mentor_names: Vec<String>,
    /// Their reports, newest first, at most 200.
    mine: Vec<ThoughtReportView>,
    /// Reports handed to them as a mentor, unanswered first, at most 200.
    to_answer: Vec<ThoughtReportView>,
}

/// The caller's own thought reports and those they answer as a mentor.
#[utoipa::path(get, path = "/api/v1/my/thought-reports", operation_id = "list_my_thought_reports", tag = "development",
    responses((status = 200, body = MyThoughtReportsView)))]
pub(crate) async fn mine(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<MyThoughtReportsView>, ApiError> {
    let r = st
        .app
        .development()
        .my_thought_reports(&caller.actor)
        .await?;
    Ok(Json(MyThoughtReportsView {
        hands_in: r.hands_in,
        mentor_names: r.mentor_names,
        mine: views(r.mine),
        to_answer: views(r.to_answer),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HandInBody {
    title: String,
    body: String,
}

/// Hands in a thought report of the caller's own; their mentors are told.
#[utoipa::path(post, path = "/api/v1/my/thought-reports", operation_id = "hand_in_thought_report", tag = "development",
    request_body = HandInBody,
    responses((status = 201, body = ThoughtReportView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn hand_in(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<HandInBody>,
) -> Result<(StatusCode, Json<ThoughtReportView>), ApiError> {
    let stored = st
        .app
        .development()
        .hand_in_thought_report(&caller.actor, &b.title, &b.body)
        .await?;
    let view = st
        .app
        .development()
        .thought_report(&caller.actor, stored.id)
        .await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// One thought report, for its writer, its mentors and the organization.
#[utoipa::path(get, path = "/api/v1/thought-reports/{id}", operation_id = "get_thought_report", tag = "development",
    params(("id" = i64, Path)),
    responses((status = 200, body = ThoughtReportView), (status = 404, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<ThoughtReportView>, ApiError> {
    Ok(Json(
        st.app
            .development()
            .thought_report(&caller.actor, id)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswerBody {
    answer: String,
}

/// Answers a report handed to the caller as a mentor, once; its writer is told.
#[utoipa::path(post, path = "/api/v1/thought-reports/{id}/answer", operation_id = "answer_thought_report", tag = "development",
    params(("id" = i64, Path)), request_body = AnswerBody,
    responses((status = 200, body = ThoughtReportView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn answer(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<AnswerBody>,
) -> Result<Json<ThoughtReportView>, ApiError> {
    st.app
        .development()
        .answer_thought_report(&caller.actor, id, &b.answer)
        .await?;
    Ok(Json(
        st.app
            .development()
            .thought_report(&caller.actor, id)
            .await?
            .into(),
    ))
}

/// An organization's thought reports in a year, and who handed in none.
#[derive(Serialize, ToSchema)]
pub(crate) struct OrgThoughtReportsView {
    items: Vec<ThoughtReportView>,
    total: u64,
    /// The organization's applicants to probationary members with no report in the year.
    silent: Vec<String>,
}

/// The thought reports of an organization's subtree in a year, newest first, at most 200.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/thought-reports", operation_id = "list_org_thought_reports", tag = "development",
    params(("id" = i64, Path), YearParams),
    responses((status = 200, body = OrgThoughtReportsView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn of_org(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    Query(q): Query<YearParams>,
) -> Result<Json<OrgThoughtReportsView>, ApiError> {
    let year = q.year(&st)?;
    let r = st
        .app
        .development()
        .thought_reports_of_org(&caller.actor, id, year)
        .await?;
    Ok(Json(OrgThoughtReportsView {
        total: r.total,
        items: views(r.reports),
        silent: r.silent.into_iter().map(|(name, _)| name).collect(),
    }))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mine, hand_in))
        .routes(routes!(get))
        .routes(routes!(answer))
        .routes(routes!(of_org))
}
