//! Thought reports (思想汇报) in pages: one's own reports and the form to hand one in, the
//! reports handed to one as a mentor with the answer form, one report, and an organization's
//! reports of a year.

use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::after;
use crate::pages::development::DevelopmentNotice;
use crate::pages::meetings::YearQuery;
use crate::pages::{Chrome, NoticeQuery};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use dangjian_app::thought_report::{MyThoughtReports, OrgThoughtReports, ReportView};
use dangjian_domain::development::thought_report::{
    ANSWER_MAX_CHARS, BODY_MAX_CHARS, TITLE_MAX_CHARS,
};
use dangjian_domain::ids::OrgId;

/// The longest texts, for the forms' `maxlength`.
pub(crate) struct Limits {
    title: usize,
    body: usize,
    answer: usize,
}

const LIMITS: Limits = Limits {
    title: TITLE_MAX_CHARS,
    body: BODY_MAX_CHARS,
    answer: ANSWER_MAX_CHARS,
};

#[derive(Template, WebTemplate)]
#[template(path = "development/my_thought_reports.html")]
pub(crate) struct MyReportsPage {
    chrome: Chrome,
    r: MyThoughtReports,
    limits: Limits,
    /// What was typed, kept when the form is refused.
    title: String,
    body: String,
    message: Option<String>,
}

async fn my_page(
    st: &AppState,
    viewer: &Viewer,
    notice: Option<&str>,
) -> Result<MyReportsPage, PageError> {
    Ok(MyReportsPage {
        chrome: Chrome::new(viewer, "思想汇报", "my_thought_reports").with_notice(notice),
        r: st
            .app
            .development()
            .my_thought_reports(viewer.actor())
            .await?,
        limits: LIMITS,
        title: String::new(),
        body: String::new(),
        message: None,
    })
}

pub(crate) async fn mine(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(n): Query<NoticeQuery>,
) -> Result<MyReportsPage, PageError> {
    my_page(&st, &viewer, n.notice.as_deref()).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct ReportForm {
    title: String,
    body: String,
}

/// Hands in a report; a refused one comes back with what was typed.
pub(crate) async fn hand_in(
    State(st): State<AppState>,
    viewer: Viewer,
    axum::Form(f): axum::Form<ReportForm>,
) -> Result<Response, PageError> {
    match st
        .app
        .development()
        .hand_in_thought_report(viewer.actor(), &f.title, &f.body)
        .await
    {
        Ok(_) => {
            Ok(after("/my/thought-reports", DevelopmentNotice::ReportHandedIn).into_response())
        }
        Err(e) => {
            let message = crate::pages::refusal(e)?;
            let mut page = my_page(&st, &viewer, None).await?;
            page.message = Some(message);
            page.title = f.title;
            page.body = f.body;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "development/thought_report.html")]
pub(crate) struct ReportPage {
    chrome: Chrome,
    v: ReportView,
    limits: Limits,
    answer: String,
    message: Option<String>,
}

async fn report_page(
    st: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
) -> Result<ReportPage, PageError> {
    let v = st
        .app
        .development()
        .thought_report(viewer.actor(), id)
        .await?;
    Ok(ReportPage {
        chrome: Chrome::new(
            viewer,
            format!("思想汇报 · {}", v.report.report.title),
            "my_thought_reports",
        )
        .with_notice(notice),
        v,
        limits: LIMITS,
        answer: String::new(),
        message: None,
    })
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(n): Query<NoticeQuery>,
) -> Result<ReportPage, PageError> {
    report_page(&st, &viewer, id, n.notice.as_deref()).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct AnswerForm {
    answer: String,
}

/// A mentor answers a report.
pub(crate) async fn answer(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<AnswerForm>,
) -> Result<Response, PageError> {
    match st
        .app
        .development()
        .answer_thought_report(viewer.actor(), id, &f.answer)
        .await
    {
        Ok(_) => Ok(after(
            &format!("/thought-reports/{id}"),
            DevelopmentNotice::ReportAnswered,
        )
        .into_response()),
        Err(e) => {
            let message = crate::pages::refusal(e)?;
            let mut page = report_page(&st, &viewer, id, None).await?;
            page.message = Some(message);
            page.answer = f.answer;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "development/org_thought_reports.html")]
pub(crate) struct OrgReportsPage {
    chrome: Chrome,
    r: OrgThoughtReports,
}

pub(crate) async fn of_org(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<YearQuery>,
) -> Result<OrgReportsPage, PageError> {
    let year = q.year.unwrap_or_else(|| st.app.clock().today().year());
    let r = st
        .app
        .development()
        .thought_reports_of_org(viewer.actor(), id, year)
        .await?;
    Ok(OrgReportsPage {
        chrome: Chrome::new(&viewer, format!("{} · 思想汇报", r.org.name), "orgs"),
        r,
    })
}
