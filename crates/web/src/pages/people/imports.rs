//! Importing and exporting the roster: the template, upload with preview, confirmation with
//! a progress bar, rollback; and the export of any list of people.

use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::Chrome;
use crate::pages::after;
use crate::pages::people::PeopleNotice;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_htmx::HxRequest;
use dangjian_app::AppError;
use dangjian_app::roster::{BatchView, ImportPreview, MAX_ROWS};
use dangjian_domain::FieldError;
use dangjian_domain::ids::OrgId;
use dangjian_domain::people::roster::BatchState;
use dangjian_domain::platform::role::Action;

#[derive(Template, WebTemplate)]
#[template(path = "people/imports.html")]
pub(crate) struct ImportsPage {
    chrome: Chrome,
    targets: Vec<(OrgId, String)>,
    batches: Vec<BatchView>,
    preview: Option<ImportPreview>,
    error: Option<String>,
    max_rows: usize,
}

async fn imports_page(
    st: &AppState,
    viewer: &Viewer,
    preview: Option<ImportPreview>,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<ImportsPage, AppError> {
    let actor = viewer.actor();
    if actor.access.scopes(Action::WriteRecords).is_empty() {
        return Err(AppError::Forbidden("导入名册"));
    }
    let mut targets = Vec::new();
    for root in st.app.org().scope_roots(actor).await? {
        if actor.access.can_at(Action::WriteRecords, &root.path) {
            targets.push((root.id, root.name.clone()));
            let limit = Some(crate::pages::SCOPE_CHOICES as u64);
            for child in st.app.org().children(actor, root.id, limit).await? {
                targets.push((child.id, format!("　{}", child.name)));
            }
        }
    }
    Ok(ImportsPage {
        chrome: Chrome::new(viewer, "导入名册", "imports").with_notice(notice),
        targets,
        batches: st.app.people().import_batches(actor).await?,
        preview,
        error,
        max_rows: MAX_ROWS,
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct NoticeQuery {
    notice: Option<String>,
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<ImportsPage, PageError> {
    Ok(imports_page(&st, &viewer, None, None, q.notice.as_deref()).await?)
}

pub(crate) async fn template(
    State(st): State<AppState>,
    _viewer: Viewer,
) -> Result<Response, PageError> {
    Ok(crate::download::xlsx(
        "党员名册导入模板.xlsx",
        "roster-template",
        st.app.people().roster_template()?,
    ))
}

/// Takes the uploaded file and shows what it would do, or every bad row.
pub(crate) async fn upload(
    State(st): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let result = async {
        let target = (dangjian_app::UploadTarget::Roster, "名册文件");
        let (name, bytes, fields) =
            crate::pages::read_upload(&st, &viewer, target, &headers, multipart).await?;
        let org = fields
            .iter()
            .find(|(k, _)| k == "org_id")
            .and_then(|(_, v)| v.trim().parse::<OrgId>().ok())
            .ok_or_else(|| FieldError::new("org_id", "导入到", "请选择导入到哪个组织"))?;
        st.app
            .people()
            .stage_import(viewer.actor(), org, &name, &bytes)
            .await
    }
    .await;
    match result {
        Ok(preview) => {
            let status = if preview.errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((
                status,
                imports_page(&st, &viewer, Some(preview), None, None).await?,
            )
                .into_response())
        }
        Err(e) => {
            let message = crate::pages::refusal(e)?;
            let page = imports_page(&st, &viewer, None, Some(message), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub(crate) async fn apply(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Redirect, PageError> {
    st.app.people().apply_import(viewer.actor(), id).await?;
    Ok(Redirect::to(&format!("/imports/{id}")))
}

pub(crate) async fn discard(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Redirect, PageError> {
    st.app.people().discard_import(viewer.actor(), id).await?;
    Ok(after("/imports", PeopleNotice::ImportDiscarded))
}

pub(crate) async fn rollback(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    match st.app.people().rollback_import(viewer.actor(), id).await {
        Ok(_) => Ok(after("/imports", PeopleNotice::ImportRolledBack).into_response()),
        Err(e @ AppError::Conflict { .. }) => {
            let page = imports_page(&st, &viewer, None, Some(e.to_string()), None).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "people/import_batch.html")]
pub(crate) struct BatchPage {
    chrome: Chrome,
    progress: BatchProgress,
}

/// The batch's state and progress bar: what htmx polls while the import runs.
#[derive(Template, WebTemplate)]
#[template(path = "people/import_progress.html")]
pub(crate) struct BatchProgress {
    batch: BatchView,
}

/// A batch with its progress bar; htmx polls the fragment until the import ends.
pub(crate) async fn batch(
    State(st): State<AppState>,
    viewer: Viewer,
    HxRequest(fragment): HxRequest,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let progress = BatchProgress {
        batch: st.app.people().import_batch(viewer.actor(), id).await?,
    };
    if fragment {
        return Ok(progress.into_response());
    }
    Ok(BatchPage {
        chrome: Chrome::new(&viewer, "导入进度", "imports"),
        progress,
    }
    .into_response())
}

pub(crate) async fn export(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<crate::pages::people::ListQuery>,
) -> Result<Response, PageError> {
    let query = q.to_query()?;
    let bytes = st
        .app
        .people()
        .export_people(viewer.actor(), &query)
        .await?;
    Ok(crate::download::xlsx("党员名册.xlsx", "roster", bytes))
}
