//! Member development through the API: a person's record, recording a step, a subtree's board.

use super::{ApiJson, List};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dangjian_app::development::StepRecord;
use dangjian_app::development::{BoardRow, StepInput};
use dangjian_domain::FieldError;
use dangjian_domain::development::{DecisionBody, RollCall, Step, StepDetail};
use dangjian_domain::ids::{OrgId, PersonId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A recorded step of a person's development.
#[derive(Serialize, ToSchema)]
pub(crate) struct StepView {
    id: i64,
    #[schema(value_type = super::contract::StepCode)]
    step: String,
    /// Its number in the 细则 (1–25); none for the publicity.
    number: Option<u8>,
    label: String,
    on: chrono::NaiveDate,
    #[schema(value_type = super::contract::DecisionBodyCode)]
    body: String,
    /// What the step recorded, tagged by `kind`: `plain`, `recommendation`, `hearing`, `members`,
    /// `review`, `training`, `publicity`, `vote` or `confirmation`.
    #[schema(value_type = Object)]
    detail: serde_json::Value,
    note: String,
    recorded_by_name: String,
    /// The deadline this step passed and its source, when recorded late by override.
    breach: Option<String>,
    override_reason: Option<String>,
}

impl From<StepRecord> for StepView {
    fn from(s: StepRecord) -> Self {
        Self {
            id: s.id,
            step: s.entry.step.code().to_owned(),
            number: s.entry.step.number(),
            label: s.entry.step.label().to_owned(),
            on: s.entry.on,
            body: s.entry.body.code().to_owned(),
            detail: serde_json::to_value(&s.entry.detail).unwrap_or_default(),
            note: s.note,
            recorded_by_name: s.recorded_by_name,
            breach: s.breach.map(|(m, b)| format!("{m}（{b}）")),
            override_reason: s.override_reason,
        }
    }
}

/// The next deadline of a development.
#[derive(Serialize, ToSchema)]
pub(crate) struct DueView {
    #[schema(value_type = super::contract::StepCode)]
    step: String,
    by: chrono::NaiveDate,
    overdue: bool,
}

/// A person's development record (发展纪实).
#[derive(Serialize, ToSchema)]
pub(crate) struct DevelopmentView {
    #[schema(value_type = super::contract::StageCode)]
    stage: String,
    /// Ended without membership (probation cancelled).
    ended: bool,
    /// The steps that may be recorded next.
    #[schema(value_type = Vec<super::contract::StepCode>)]
    next_steps: Vec<String>,
    due: Option<DueView>,
    steps: Vec<StepView>,
}

/// A person's development record: the steps recorded, the stage, what may come next.
#[utoipa::path(get, path = "/api/v1/people/{id}/development", tag = "development", operation_id = "get_development",
    params(("id" = i64, Path)),
    responses((status = 200, body = DevelopmentView), (status = 404, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
) -> Result<Json<DevelopmentView>, ApiError> {
    let v = st.app.development().of_person(&caller.actor, id).await?;
    Ok(Json(DevelopmentView {
        stage: v.stage.code().to_owned(),
        ended: v.ended,
        next_steps: v.next_steps.iter().map(|s| s.code().to_owned()).collect(),
        due: v.due.map(|(step, by, overdue)| DueView {
            step: step.code().to_owned(),
            by,
            overdue,
        }),
        steps: v.steps.into_iter().map(StepView::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepBody {
    #[schema(value_type = super::contract::StepCode)]
    step: String,
    /// Not in the future.
    #[schema(value_type = chrono::NaiveDate)]
    on: String,
    /// The decision body when not the step's default.
    #[schema(value_type = Option<super::contract::DecisionBodyCode>)]
    body: Option<String>,
    /// What the step records, tagged by `kind`; left out for steps with nothing more. A vote
    /// (steps 15 and 23) names the held 支部党员大会 it was taken at and its ballots, as
    /// `{"kind":"vote","meeting_id":123,"count":{"yes":12,"no":3,"abstain":0}}`; its day is
    /// the meeting's, and who was entitled and who attended come from `roll`.
    #[schema(value_type = Option<Object>)]
    detail: Option<serde_json::Value>,
    /// Mentors (step 5) or sponsors (step 9), by person id.
    #[serde(default)]
    member_ids: Vec<i64>,
    /// The roll of a vote (steps 15 and 23), required: every full member of the branch
    /// entitled to vote on the meeting's day, with `call` `present`, `written` or `absent`,
    /// present exactly where the meeting's sign-in has them present. It sets `entitled`,
    /// `attending` and `written` of the count.
    #[serde(default)]
    roll: Vec<RollBody>,
    #[serde(default)]
    note: String,
    /// Why a deadline was passed (organization department only).
    override_reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RollBody {
    person_id: i64,
    #[schema(value_type = super::contract::RollCallCode)]
    call: String,
}

/// Records a step if the steps before it are done and its rules hold (细则); a refusal names
/// the rule and its source.
#[utoipa::path(post, path = "/api/v1/people/{id}/development", tag = "development", operation_id = "record_development_step",
    params(("id" = i64, Path)), request_body = StepBody,
    responses((status = 201, body = StepView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn record(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::PersonNamed>,
    ApiJson(b): ApiJson<StepBody>,
) -> Result<(StatusCode, Json<StepView>), ApiError> {
    let invalid =
        |field, label, message: &str| ApiError(FieldError::new(field, label, message).into());
    let step = Step::parse(&b.step).ok_or_else(|| invalid("step", "步骤", "不是发展党员的步骤"))?;
    let on = dangjian_domain::people::parse_date(&b.on, "on", "日期")
        .map_err(|e| ApiError(e.into()))?
        .ok_or_else(|| invalid("on", "日期", "不能为空"))?;
    let body = b
        .body
        .as_deref()
        .map(|c| {
            DecisionBody::parse(c).ok_or_else(|| invalid("body", "决定机关", "不是可选的决定机关"))
        })
        .transpose()?;
    let detail = match b.detail {
        None => StepDetail::Plain,
        Some(v) => serde_json::from_value(v)
            .map_err(|_| invalid("detail", "登记内容", "格式不符，见 OpenAPI 文档"))?,
    };
    let roll = b
        .roll
        .iter()
        .map(|r| {
            RollCall::parse(&r.call)
                .map(|call| (PersonId::new(r.person_id), call))
                .ok_or_else(|| invalid("roll", "到会名单", "call 应为 present、written 或 absent"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let stored = st
        .app
        .development()
        .record_step(
            &caller.actor,
            id,
            StepInput {
                step,
                on,
                body,
                detail,
                member_ids: b.member_ids.into_iter().map(PersonId::new).collect(),
                roll,
                note: b.note,
                override_reason: b.override_reason,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

/// One person on a development board.
#[derive(Serialize, ToSchema)]
pub(crate) struct BoardRowView {
    person_id: i64,
    name: String,
    org_name: String,
    #[schema(value_type = super::contract::StageCode)]
    stage: String,
    #[schema(value_type = Option<super::contract::StepCode>)]
    next_step: Option<String>,
    due: Option<DueView>,
}

impl From<BoardRow> for BoardRowView {
    fn from(r: BoardRow) -> Self {
        Self {
            person_id: r.person_id.get(),
            name: r.name,
            org_name: r.org_name,
            stage: r.stage.code().to_owned(),
            next_step: r.next.map(|s| s.code().to_owned()),
            due: r.due.map(|(step, by, overdue)| DueView {
                step: step.code().to_owned(),
                by,
                overdue,
            }),
        }
    }
}

/// What is due in a subtree's development work: deadlines passed or within 30 days, soonest
/// first (at most 500 people a stage are looked at).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/development/due", tag = "development", operation_id = "list_development_due",
    params(("id" = i64, Path)),
    responses((status = 200, body = List<BoardRowView>), (status = 404, body = ErrorBody)))]
pub(crate) async fn due(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
) -> Result<Json<List<BoardRowView>>, ApiError> {
    let board = st.app.development().board(&caller.actor, id).await?;
    Ok(Json(List {
        total: board.due.len() as u64,
        items: board.due.into_iter().map(BoardRowView::from).collect(),
    }))
}

/// A year's development figures of a subtree (the funnel of the board) as a spreadsheet.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/development.xlsx", tag = "development", operation_id = "export_development_figures",
    params(("id" = i64, Path), super::meetings::YearParams),
    responses((status = 200, body = inline(super::contract::File), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn funnel_xlsx(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    super::ApiQuery(q): super::ApiQuery<super::meetings::YearParams>,
) -> Result<axum::response::Response, ApiError> {
    let year = q.year(&st)?;
    let bytes = st
        .app
        .development()
        .funnel_xlsx(&caller.actor, id, year)
        .await?;
    Ok(crate::download::xlsx(
        "发展党员情况.xlsx",
        "development",
        bytes,
    ))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get, record))
        .routes(routes!(due))
        .routes(routes!(funnel_xlsx))
}
