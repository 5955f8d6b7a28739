//! Training classes (党校培训): the classes of the viewer's scope, a form to plan one, and a
//! class's trainees with their hours, examinations and certificates.

use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::after;
use crate::pages::development::DevelopmentNotice;
use crate::pages::{Chrome, NoticeQuery};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dangjian_app::AppError;
use dangjian_app::training::{ClassRow, ClassView};
use dangjian_domain::FieldError;
use dangjian_domain::development::Stage;
use dangjian_domain::development::training::{ClassPlan, ExamResult};
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::people::parse_date;
use dangjian_domain::platform::role::Action;

/// The stages a class may be for.
const AUDIENCES: [Stage; 3] = [Stage::Activist, Stage::Candidate, Stage::Probationary];

#[derive(Template, WebTemplate)]
#[template(path = "development/training.html")]
pub(crate) struct TrainingPage {
    chrome: Chrome,
    classes: Vec<ClassRow>,
    /// Organizations the viewer may run a class in: (id, name, chosen).
    organizers: Vec<(OrgId, String, bool)>,
    audiences: [Stage; 3],
    form: ClassForm,
    message: Option<String>,
}

async fn training_page(
    st: &AppState,
    viewer: &Viewer,
    notice: Option<&str>,
) -> Result<TrainingPage, AppError> {
    let actor = viewer.actor();
    let organizers = if actor.access.scopes(Action::WriteRecords).is_empty() {
        Vec::new()
    } else {
        // The app refuses an organizer outside the viewer's record-keeping scope.
        crate::pages::scope_choices(st, actor, None).await?
    };
    Ok(TrainingPage {
        chrome: Chrome::new(viewer, "党校培训", "training").with_notice(notice),
        classes: st.app.development().training_classes(actor).await?,
        organizers,
        audiences: AUDIENCES,
        form: ClassForm::default(),
        message: None,
    })
}

pub(crate) async fn list(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<TrainingPage, PageError> {
    Ok(training_page(&st, &viewer, q.notice.as_deref()).await?)
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct ClassForm {
    org_id: String,
    name: String,
    audience: String,
    starts_on: String,
    ends_on: String,
    hours: String,
}

impl ClassForm {
    fn parse(&self) -> Result<(OrgId, ClassPlan), AppError> {
        let org_id = self
            .org_id
            .trim()
            .parse()
            .map_err(|_| FieldError::new("org_id", "主办党组织", "请选择主办党组织"))?;
        let audience = Stage::parse(&self.audience)
            .ok_or_else(|| FieldError::new("audience", "培训对象", "请选择培训对象"))?;
        let starts_on = parse_date(&self.starts_on, "starts_on", "开始日期")?
            .ok_or_else(|| FieldError::new("starts_on", "开始日期", "请填写"))?;
        let ends_on = parse_date(&self.ends_on, "ends_on", "结束日期")?
            .ok_or_else(|| FieldError::new("ends_on", "结束日期", "请填写"))?;
        let hours = self
            .hours
            .trim()
            .parse()
            .map_err(|_| FieldError::new("hours", "学时", "应为正整数"))?;
        Ok((
            org_id,
            ClassPlan::parse(&self.name, audience, (starts_on, ends_on), hours)?,
        ))
    }
}

/// Plans a class.
pub(crate) async fn create(
    State(st): State<AppState>,
    viewer: Viewer,
    axum::Form(f): axum::Form<ClassForm>,
) -> Result<Response, PageError> {
    let result = async {
        let (org_id, plan) = f.parse()?;
        st.app
            .development()
            .create_class(viewer.actor(), org_id, plan)
            .await
    }
    .await;
    match result {
        Ok(class) => Ok(after(
            &format!("/training/{}", class.id),
            DevelopmentNotice::ClassCreated,
        )
        .into_response()),
        Err(e) => {
            let message = crate::pages::refusal(e)?;
            let mut page = training_page(&st, &viewer, None).await?;
            for o in &mut page.organizers {
                o.2 = o.0.to_string() == f.org_id;
            }
            page.message = Some(message);
            page.form = f;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "development/training_class.html")]
pub(crate) struct ClassPage {
    chrome: Chrome,
    v: ClassView,
    exams: &'static [ExamResult],
    /// The form refused and why.
    refused: Option<(Refused, String)>,
}

async fn class_page(
    st: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
) -> Result<ClassPage, AppError> {
    let v = st
        .app
        .development()
        .training_class(viewer.actor(), id)
        .await?;
    Ok(ClassPage {
        chrome: Chrome::new(viewer, v.class.plan.name.clone(), "training").with_notice(notice),
        v,
        exams: ExamResult::ALL,
        refused: None,
    })
}

pub(crate) async fn class(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<ClassPage, PageError> {
    Ok(class_page(&st, &viewer, id, q.notice.as_deref()).await?)
}

/// The form of a class page that was refused, to show the message beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    Enrol,
    /// A trainee's result, by person id.
    Result(PersonId),
}

/// Answers a refused form with the class page and the message beside that form.
async fn refused(
    st: &AppState,
    viewer: &Viewer,
    id: i64,
    form: Refused,
    e: AppError,
) -> Result<Response, PageError> {
    let message = crate::pages::refusal(e)?;
    let mut page = class_page(st, viewer, id, None).await?;
    page.refused = Some((form, message));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Enrols the people ticked on the class page.
pub(crate) async fn enrol(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let ids: Vec<PersonId> = fields
        .iter()
        .filter(|(k, _)| k == "person_id")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    match st.app.development().enrol(viewer.actor(), id, &ids).await {
        Ok(_) => Ok(after(&format!("/training/{id}"), DevelopmentNotice::Enrolled).into_response()),
        Err(e) => refused(&st, &viewer, id, Refused::Enrol, e).await,
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct ResultForm {
    hours: String,
    exam: String,
}

/// Records a trainee's hours and examination.
pub(crate) async fn result(
    State(st): State<AppState>,
    viewer: Viewer,
    Path((id, person_id)): Path<(i64, PersonId)>,
    axum::Form(f): axum::Form<ResultForm>,
) -> Result<Response, PageError> {
    let outcome = async {
        let hours = f
            .hours
            .trim()
            .parse()
            .map_err(|_| FieldError::new("hours", "参训学时", "应为非负整数"))?;
        let exam = ExamResult::parse(&f.exam)
            .ok_or_else(|| FieldError::new("exam", "考试结果", "请选择考试结果"))?;
        st.app
            .development()
            .record_training_result(viewer.actor(), id, person_id, (hours, exam))
            .await
    }
    .await;
    match outcome {
        Ok(_) => {
            Ok(after(&format!("/training/{id}"), DevelopmentNotice::ResultSaved).into_response())
        }
        Err(e) => refused(&st, &viewer, id, Refused::Result(person_id), e).await,
    }
}
