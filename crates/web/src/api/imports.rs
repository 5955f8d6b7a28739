//! Roster imports (名册导入) through the API, as the imports page offers them: the template,
//! a staged upload with its preview or every bad row, confirmation, discarding, rollback of
//! the latest batch. The app checks the file and decides who may; the handlers only carry it.

use super::List;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody, RowProblem};
use crate::upload;
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dangjian_app::roster::{BatchView, ImportPreview};
use dangjian_domain::FieldError;
use dangjian_domain::ids::OrgId;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// An import batch.
#[derive(Serialize, ToSchema)]
pub(crate) struct BatchBody {
    id: i64,
    file_name: String,
    rows: u64,
    #[schema(value_type = super::contract::BatchStateCode)]
    state: String,
    /// The organization imported into.
    org_name: String,
    created_at: chrono::DateTime<chrono::Utc>,
    /// How it ended (`已导入 120 人`, or why it failed).
    message: Option<String>,
    /// Whether the caller may roll it back now: the latest applied batch only.
    may_rollback: bool,
    /// While it is being applied.
    progress: Option<ProgressBody>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct ProgressBody {
    done: u64,
    total: u64,
}

impl From<BatchView> for BatchBody {
    fn from(b: BatchView) -> Self {
        Self {
            id: b.id,
            file_name: b.file_name,
            rows: b.rows,
            state: b.state.code().to_owned(),
            org_name: b.org_name,
            created_at: b.created,
            message: b.message,
            may_rollback: b.may_rollback,
            progress: b.progress.map(|p| ProgressBody {
                done: p.done,
                total: p.total,
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CountByOrg {
    org_name: String,
    count: u64,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CountByStatus {
    #[schema(value_type = super::contract::PersonStatusCode)]
    status: String,
    count: u64,
}

/// What a staged file would add.
#[derive(Serialize, ToSchema)]
pub(crate) struct PreviewBody {
    /// The staged batch, to apply or discard.
    batch_id: Option<i64>,
    file_name: String,
    rows: usize,
    by_org: Vec<CountByOrg>,
    by_status: Vec<CountByStatus>,
}

impl From<ImportPreview> for PreviewBody {
    fn from(p: ImportPreview) -> Self {
        Self {
            batch_id: p.batch_id,
            file_name: p.file_name,
            rows: p.rows,
            by_org: p
                .by_org
                .into_iter()
                .map(|(org_name, count)| CountByOrg { org_name, count })
                .collect(),
            by_status: p
                .by_status
                .into_iter()
                .map(|(s, count)| CountByStatus {
                    status: s.code().to_owned(),
                    count,
                })
                .collect(),
        }
    }
}

/// The form of an upload: the roster file and where it goes.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct StageForm {
    /// The organization imported into; each row names its branch under it.
    org_id: i64,
    /// The filled-in template (.xlsx), at most 64 MB and 100,000 rows.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The latest import batches the caller may see.
#[utoipa::path(get, path = "/api/v1/imports", tag = "imports", operation_id = "list_import_batches",
    responses((status = 200, body = List<BatchBody>)))]
pub(crate) async fn list(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<List<BatchBody>>, ApiError> {
    let batches = st.app.people().import_batches(&caller.actor).await?;
    Ok(Json(List {
        total: batches.len() as u64,
        items: batches.into_iter().map(BatchBody::from).collect(),
    }))
}

/// Checks an uploaded roster and, when every row is good, stages it to be applied (201);
/// nothing enters the roster yet. A file with bad rows stages nothing: 422 whose `rows`
/// lists every bad row and column.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", operation_id = "stage_import",
    request_body(content = StageForm, content_type = "multipart/form-data"),
    responses((status = 201, body = PreviewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn stage(
    State(st): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let target = (dangjian_app::UploadTarget::Roster, "名册文件");
    let up = upload::read(&st, &caller.actor, target, &headers, multipart).await?;
    let org_id = up
        .field("org_id")
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or_else(|| FieldError::new("org_id", "导入到", "请选择导入到哪个组织"))
        .map_err(|e| ApiError(e.into()))?;
    let preview = st
        .app
        .people()
        .stage_import(&caller.actor, OrgId::new(org_id), &up.file_name, &up.bytes)
        .await?;
    if preview.errors.is_empty() {
        let location = preview
            .batch_id
            .map(|id| format!("/api/v1/imports/{id}"))
            .unwrap_or_default();
        return Ok((
            StatusCode::CREATED,
            [(header::LOCATION, location)],
            Json(PreviewBody::from(preview)),
        )
            .into_response());
    }
    let refusal = ErrorBody {
        code: "invalid".to_owned(),
        message: format!(
            "名册中有 {} 处错误，未导入任何人；请改正后重新上传",
            preview.errors.len()
        ),
        field: Some("file".to_owned()),
        rule: None,
        rows: preview
            .errors
            .into_iter()
            .map(|e| RowProblem {
                row: e.row,
                column: e.column,
                message: e.message,
            })
            .collect(),
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(refusal)).into_response())
}

/// One batch, with its progress while it is applied.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "imports", operation_id = "get_import_batch",
    params(("id" = i64, Path)), responses((status = 200, body = BatchBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<BatchBody>, ApiError> {
    Ok(Json(
        st.app
            .people()
            .import_batch(&caller.actor, id)
            .await?
            .into(),
    ))
}

/// Applies a staged batch: the file is checked again and written whole in the background
/// (202); read the batch until its state is `applied` or `failed`.
#[utoipa::path(post, path = "/api/v1/imports/{id}/apply", tag = "imports", operation_id = "apply_import",
    params(("id" = i64, Path)),
    responses((status = 202, body = BatchBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn apply(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<BatchBody>), ApiError> {
    st.app.people().apply_import(&caller.actor, id).await?;
    let batch = st.app.people().import_batch(&caller.actor, id).await?;
    Ok((StatusCode::ACCEPTED, Json(batch.into())))
}

/// Gives up a staged batch; its file is deleted.
#[utoipa::path(post, path = "/api/v1/imports/{id}/discard", tag = "imports", operation_id = "discard_import",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn discard(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    st.app.people().discard_import(&caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub(crate) struct RolledBack {
    /// The people removed from the roster.
    removed: u64,
}

/// Rolls back the latest applied batch, removing its people; refused (409) when any of them
/// changed since or a later batch was applied.
#[utoipa::path(post, path = "/api/v1/imports/{id}/rollback", tag = "imports", operation_id = "rollback_import",
    params(("id" = i64, Path)),
    responses((status = 200, body = RolledBack), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn rollback(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<RolledBack>, ApiError> {
    let removed = st.app.people().rollback_import(&caller.actor, id).await?;
    Ok(Json(RolledBack { removed }))
}

/// The roster template: the header, an example row and the values each column takes.
#[utoipa::path(get, path = "/api/v1/imports/template.xlsx", tag = "imports", operation_id = "get_roster_template",
    responses((status = 200, body = inline(super::contract::File), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub(crate) async fn template(
    State(st): State<AppState>,
    _caller: Caller,
) -> Result<Response, ApiError> {
    Ok(crate::download::xlsx(
        "党员名册导入模板.xlsx",
        "roster-template",
        st.app.people().roster_template()?,
    ))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(super::uploads(routes!(list, stage)))
        .routes(routes!(template))
        .routes(routes!(get))
        .routes(routes!(apply))
        .routes(routes!(discard))
        .routes(routes!(rollback))
}
