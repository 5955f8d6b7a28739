//! Training classes (党校培训) through the API, and the Word documents of a development record.

use super::{ApiJson, List};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use dangjian_app::AppError;
use dangjian_app::development::DevelopmentDocument;
use dangjian_app::training::{TraineeRecord, TrainingClass};
use dangjian_domain::FieldError;
use dangjian_domain::development::Stage;
use dangjian_domain::development::training::{ClassPlan, ExamResult};
use dangjian_domain::ids::{OrgId, PersonId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A training class.
#[derive(Serialize, ToSchema)]
pub(crate) struct ClassView {
    id: i64,
    /// The organizer: its subtree is who may enrol.
    org_id: i64,
    org_name: String,
    name: String,
    /// `activist`, `candidate` or `probationary`.
    #[schema(value_type = super::contract::StageCode)]
    audience: String,
    starts_on: chrono::NaiveDate,
    ends_on: chrono::NaiveDate,
    hours: u32,
    trainees: usize,
    certified: usize,
}

/// A trainee's record in a class.
#[derive(Serialize, ToSchema)]
pub(crate) struct TraineeView {
    person_id: i64,
    name: String,
    org_name: String,
    hours: u32,
    #[schema(value_type = super::contract::ExamResultCode)]
    exam: String,
    certificate: Option<String>,
}

/// A class with its trainees.
#[derive(Serialize, ToSchema)]
pub(crate) struct ClassDetail {
    #[serde(flatten)]
    class: ClassView,
    items: Vec<TraineeView>,
}

fn class_view(c: TrainingClass, org_name: String, trainees: usize, certified: usize) -> ClassView {
    ClassView {
        id: c.id,
        org_id: c.org_id.get(),
        org_name,
        name: c.plan.name,
        audience: c.plan.audience.code().to_owned(),
        starts_on: c.plan.starts_on,
        ends_on: c.plan.ends_on,
        hours: c.plan.hours,
        trainees,
        certified,
    }
}

fn trainee_view(t: TraineeRecord, name: String, org_name: String) -> TraineeView {
    TraineeView {
        person_id: t.person_id.get(),
        name,
        org_name,
        hours: t.trainee.hours,
        exam: t.trainee.exam.code().to_owned(),
        certificate: t.trainee.certificate,
    }
}

/// The classes run within the caller's scope, newest first (at most 200).
#[utoipa::path(get, path = "/api/v1/training-classes", operation_id = "list_training_classes", tag = "development",
    responses((status = 200, body = List<ClassView>)))]
pub(crate) async fn list(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<List<ClassView>>, ApiError> {
    let rows = st.app.development().training_classes(&caller.actor).await?;
    Ok(Json(List {
        total: st
            .app
            .development()
            .training_class_count(&caller.actor)
            .await?,
        items: rows
            .into_iter()
            .map(|r| class_view(r.class, r.org_name, r.trainees, r.certified))
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClassBody {
    org_id: i64,
    name: String,
    /// `activist`, `candidate` or `probationary`.
    #[schema(value_type = super::contract::StageCode)]
    audience: String,
    #[serde(deserialize_with = "super::contract::day")]
    starts_on: chrono::NaiveDate,
    #[serde(deserialize_with = "super::contract::day")]
    ends_on: chrono::NaiveDate,
    hours: u32,
}

/// Plans a class run by an organization the caller keeps records for.
#[utoipa::path(post, path = "/api/v1/training-classes", operation_id = "create_training_class", tag = "development",
    request_body = ClassBody,
    responses((status = 201, body = ClassView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn create(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<ClassBody>,
) -> Result<(StatusCode, Json<ClassView>), ApiError> {
    let audience = Stage::parse(&b.audience).ok_or_else(|| {
        AppError::from(FieldError::new(
            "audience",
            "培训对象",
            "不是可选的培训对象",
        ))
    })?;
    let plan = ClassPlan::parse(&b.name, audience, (b.starts_on, b.ends_on), b.hours)
        .map_err(AppError::from)?;
    let class = st
        .app
        .development()
        .create_class(&caller.actor, OrgId::new(b.org_id), plan)
        .await?;
    let view = st
        .app
        .development()
        .training_class(&caller.actor, class.id)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(class_view(view.class, view.org_name, 0, 0)),
    ))
}

/// A class with its trainees.
#[utoipa::path(get, path = "/api/v1/training-classes/{id}", operation_id = "get_training_class", tag = "development",
    params(("id" = i64, Path)),
    responses((status = 200, body = ClassDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<ClassDetail>, ApiError> {
    let v = st
        .app
        .development()
        .training_class(&caller.actor, id)
        .await?;
    let certified = v
        .trainees
        .iter()
        .filter(|t| t.record.trainee.certificate.is_some())
        .count();
    Ok(Json(ClassDetail {
        class: class_view(v.class, v.org_name, v.trainees.len(), certified),
        items: v
            .trainees
            .into_iter()
            .map(|t| trainee_view(t.record, t.name, t.org_name))
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnrolBody {
    person_ids: Vec<i64>,
}

/// Enrols people of the organizer's subtree at the class's stage; all or none.
#[utoipa::path(post, path = "/api/v1/training-classes/{id}/trainees", operation_id = "enrol_trainees", tag = "development",
    params(("id" = i64, Path)), request_body = EnrolBody,
    responses((status = 201, body = ClassDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn enrol(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<EnrolBody>,
) -> Result<(StatusCode, Json<ClassDetail>), ApiError> {
    st.app
        .development()
        .enrol(
            &caller.actor,
            id,
            &b.person_ids
                .iter()
                .copied()
                .map(PersonId::new)
                .collect::<Vec<_>>(),
        )
        .await?;
    let Json(detail) = get(State(st), caller, Path(id)).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResultBody {
    hours: u32,
    /// Passed only with the class's full hours.
    #[schema(value_type = super::contract::ExamResultCode)]
    exam: String,
}

/// Records a trainee's hours and examination; a pass gives a certificate number.
#[utoipa::path(put, path = "/api/v1/training-classes/{id}/trainees/{person_id}", operation_id = "record_training_result", tag = "development",
    params(("id" = i64, Path), ("person_id" = i64, Path)), request_body = ResultBody,
    responses((status = 200, body = TraineeView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn result(
    State(st): State<AppState>,
    caller: Caller,
    Path((id, person_id)): Path<(i64, i64)>,
    ApiJson(b): ApiJson<ResultBody>,
) -> Result<Json<TraineeView>, ApiError> {
    let exam = ExamResult::parse(&b.exam)
        .ok_or_else(|| AppError::from(FieldError::new("exam", "考试结果", "不是可选的考试结果")))?;
    let t = st
        .app
        .development()
        .record_training_result(&caller.actor, id, PersonId::new(person_id), (b.hours, exam))
        .await?;
    let v = st
        .app
        .development()
        .training_class(&caller.actor, id)
        .await?;
    let (name, org_name) = v
        .trainees
        .into_iter()
        .find(|r| r.record.person_id == PersonId::new(person_id))
        .map(|r| (r.name, r.org_name))
        .unwrap_or_default();
    Ok(Json(trainee_view(t, name, org_name)))
}

/// A standard document of a person's development record as a Word file: `publicity` (公示),
/// `request` (请示), `reply` (批复), `filing` (备案报告) or `record_sheet` (纪实表); 409 while
/// the step it is drawn from is not recorded.
#[utoipa::path(get, path = "/api/v1/people/{id}/development/documents/{document}", operation_id = "get_development_document", tag = "development",
    params(("id" = i64, Path), ("document" = inline(super::contract::DevelopmentDocumentCode), Path)),
    responses((status = 200, body = inline(super::contract::File), content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn document(
    State(st): State<AppState>,
    caller: Caller,
    Path((id, document)): Path<(i64, String)>,
) -> Result<Response, ApiError> {
    let doc = DevelopmentDocument::parse(&document).ok_or(AppError::NotFound)?;
    let (name, bytes) = st
        .app
        .development()
        .document(&caller.actor, PersonId::new(id), doc)
        .await?;
    Ok(crate::download::docx(&name, doc.code(), bytes))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(enrol))
        .routes(routes!(result))
        .routes(routes!(document))
}
