//! Attachments (附件) through the API, as the pages keep them: evidence of an organization,
//! a meeting's photos, the documents of a development step, and downloading any of them.
//! The app decides who may upload where and how large before the file is read, checks the
//! file, and audits every download.

use super::List;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::upload;
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use dangjian_app::{Attachment, UploadTarget};
use dangjian_domain::meetings::trail::MEETING;
use dangjian_domain::org::trail::ORG;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A kept file.
#[derive(Serialize, ToSchema)]
pub(crate) struct AttachmentView {
    id: i64,
    file_name: String,
    /// The type found in its content when it was kept.
    content_type: String,
    /// Bytes.
    size: i64,
    /// What it is among the documents its record asks for (入党申请书…).
    label: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    /// Where to download it.
    href: String,
}

impl From<Attachment> for AttachmentView {
    fn from(a: Attachment) -> Self {
        Self {
            href: format!("/api/v1/attachments/{}", a.id),
            id: a.id,
            file_name: a.file_name,
            content_type: a.content_type,
            size: a.size,
            label: a.label,
            created_at: a.created_at,
        }
    }
}

/// The form of an upload: one file.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct FileForm {
    /// The file, at most the uploads' size of the system settings.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The form of a step's document: the file and what it is.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct StepDocumentForm {
    /// The file, at most the uploads' size of the system settings.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Which of the step's documents it is (入党申请书…), at most 60 characters; other
    /// evidence when left out.
    label: Option<String>,
}

fn created(a: Attachment) -> (StatusCode, Json<AttachmentView>) {
    (StatusCode::CREATED, Json(a.into()))
}

/// The files kept as evidence of an organization.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/attachments", tag = "attachments", operation_id = "list_org_attachments",
    params(("id" = i64, Path)),
    responses((status = 200, body = List<AttachmentView>), (status = 404, body = ErrorBody)))]
pub(crate) async fn of_org(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::OrgNamed>,
) -> Result<Json<List<AttachmentView>>, ApiError> {
    let items = st
        .app
        .attachments()
        .of(&caller.actor, ORG, id.get())
        .await?;
    Ok(Json(List {
        total: items.len() as u64,
        items: items.into_iter().map(AttachmentView::from).collect(),
    }))
}

/// Keeps a file as evidence of an organization.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/attachments", tag = "attachments", operation_id = "upload_org_attachment",
    params(("id" = i64, Path)),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn upload_to_org(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    let target = (UploadTarget::Record(ORG, id), "附件");
    let up = upload::read(&st, &caller.actor, target, &headers, multipart).await?;
    let a = st
        .app
        .attachments()
        .upload(&caller.actor, ORG, id, &up.file_name, &up.bytes)
        .await?;
    Ok(created(a))
}

/// Keeps a photo of a meeting (签到、会场): an image only.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/photos", tag = "attachments", operation_id = "upload_meeting_photo",
    params(("id" = i64, Path)),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn meeting_photo(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<dangjian_domain::ids::MeetingId>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    let target = (UploadTarget::Record(MEETING, id.get()), "照片");
    let up = upload::read(&st, &caller.actor, target, &headers, multipart).await?;
    let a = st
        .app
        .attachments()
        .upload_meeting_photo(&caller.actor, id, &up.file_name, &up.bytes)
        .await?;
    Ok(created(a))
}

/// Keeps a file as one of the documents of a person's recorded development step (`step_id`
/// is the `id` of a step in the person's record).
#[utoipa::path(post, path = "/api/v1/people/{id}/development/steps/{step_id}/attachments", tag = "attachments", operation_id = "upload_step_document",
    params(("id" = i64, Path), ("step_id" = i64, Path)),
    request_body(content = StepDocumentForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn step_document(
    State(st): State<AppState>,
    caller: Caller,
    Path((id, step_id)): Path<(dangjian_domain::ids::PersonId, i64)>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    let target = (UploadTarget::StepDocument(id, step_id), "附件");
    let up = upload::read(&st, &caller.actor, target, &headers, multipart).await?;
    let label = up.field("label").filter(|v| !v.is_empty());
    let a = st
        .app
        .attachments()
        .upload_step_document(
            &caller.actor,
            (id, step_id),
            label,
            &up.file_name,
            &up.bytes,
        )
        .await?;
    Ok(created(a))
}

/// A kept file, as it was uploaded; checked against its hash, and the download audited.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "attachments", operation_id = "download_attachment",
    params(("id" = i64, Path)),
    responses((status = 200, body = inline(super::contract::File), content_type = "application/octet-stream"),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn download(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (attachment, bytes) = st.app.attachments().download(&caller.actor, id).await?;
    Ok(crate::download::attachment(&attachment, bytes))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(super::uploads(routes!(of_org, upload_to_org)))
        .routes(super::uploads(routes!(meeting_photo)))
        .routes(super::uploads(routes!(step_document)))
        .routes(routes!(download))
}
