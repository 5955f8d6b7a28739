//! Organizational life (组织生活) in pages: an organization's meetings and a form to plan one,
//! a meeting's roll, minutes, lock and corrections, and a subtree's compliance for a month.

use super::{Chrome, NoticeQuery};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use dangjian_app::AppError;
use dangjian_app::meetings::{ComplianceRow, MeetingView, StoredMeeting};
use dangjian_domain::FieldError;
use dangjian_domain::meetings::{Attendance, Kept, MeetingKind, MeetingPlan};
use dangjian_domain::org::Org;
use dangjian_domain::platform::role::Action;

#[derive(Template, WebTemplate)]
#[template(path = "meetings.html")]
pub(crate) struct MeetingsPage {
    chrome: Chrome,
    org: Org,
    year: i32,
    meetings: Vec<StoredMeeting>,
    kinds: &'static [MeetingKind],
    may_plan: bool,
    message: Option<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct YearQuery {
    #[serde(deserialize_with = "super::empty_as_none")]
    year: Option<i32>,
}

async fn meetings_page(
    st: &AppState,
    viewer: &Viewer,
    id: i64,
    year: Option<i32>,
) -> Result<MeetingsPage, AppError> {
    let actor = viewer.actor();
    let org = st.app.org(actor, id).await?;
    let year = year.unwrap_or_else(|| st.app.clock().today().year());
    Ok(MeetingsPage {
        chrome: Chrome::new(viewer, format!("{} · 组织生活", org.name), "orgs"),
        meetings: st.app.meetings_of(actor, id, year).await?,
        may_plan: org.is_active() && actor.access.can_at(Action::WriteRecords, &org.path),
        org,
        year,
        kinds: MeetingKind::ALL,
        message: None,
    })
}

pub(crate) async fn list(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<MeetingsPage, PageError> {
    Ok(meetings_page(&st, &viewer, id, q.year).await?)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct PlanForm {
    kind: String,
    topic: String,
    starts_at: String,
    place: String,
    first_agenda_item: String,
    agenda: String,
}

/// Plans a meeting.
pub(crate) async fn plan(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<PlanForm>,
) -> Result<Response, PageError> {
    let result = async {
        let kind = MeetingKind::parse(&f.kind)
            .ok_or_else(|| FieldError::new("kind", "会议类型", "请选择会议类型"))?;
        let starts_at = chrono::NaiveDateTime::parse_from_str(f.starts_at.trim(), "%Y-%m-%dT%H:%M")
            .map_err(|_| FieldError::new("starts_at", "时间", "请填写会议的日期和时间"))?;
        let plan = MeetingPlan::parse(
            kind,
            &f.topic,
            starts_at,
            &f.place,
            (&f.first_agenda_item, &f.agenda),
        )?;
        st.app.plan_meeting(viewer.actor(), id, plan).await
    }
    .await;
    match result {
        Ok(m) => {
            Ok(Redirect::to(&format!("/meetings/{}?notice=meeting_planned", m.id)).into_response())
        }
        Err(e) => {
            let message = super::refusal(e)?;
            let mut page = meetings_page(&st, &viewer, id, None).await?;
            page.message = Some(message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting.html")]
pub(crate) struct MeetingPage {
    chrome: Chrome,
    v: MeetingView,
    calls: &'static [Attendance],
    message: Option<String>,
}

async fn meeting_page(
    st: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
) -> Result<MeetingPage, AppError> {
    let v = st.app.meeting(viewer.actor(), id).await?;
    Ok(MeetingPage {
        chrome: Chrome::new(viewer, v.meeting.plan.topic.clone(), "orgs").with_notice(notice),
        v,
        calls: Attendance::ALL,
        message: None,
    })
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<MeetingPage, PageError> {
    Ok(meeting_page(&st, &viewer, id, q.notice.as_deref()).await?)
}

/// Answers a refused form with the meeting's page and the message.
async fn refused(
    st: &AppState,
    viewer: &Viewer,
    id: i64,
    e: AppError,
) -> Result<Response, PageError> {
    let message = super::refusal(e)?;
    let mut page = meeting_page(st, viewer, id, None).await?;
    page.message = Some(message);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Records the meeting as held with its roll and minutes.
pub(crate) async fn hold(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let roll: Vec<(i64, Attendance, String)> = fields
        .iter()
        .filter_map(|(k, v)| {
            let id: i64 = k.strip_prefix("att_")?.parse().ok()?;
            Some((
                id,
                Attendance::parse(v)?,
                get(&format!("reason_{id}")).to_owned(),
            ))
        })
        .collect();
    match st
        .app
        .hold_meeting(
            viewer.actor(),
            id,
            &roll,
            (get("minutes"), get("resolutions")),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}?notice=meeting_held")).into_response()),
        Err(e) => refused(&st, &viewer, id, e).await,
    }
}

/// Locks the record (the secretary confirms it).
pub(crate) async fn lock(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    match st.app.lock_meeting(viewer.actor(), id).await {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}?notice=meeting_locked")).into_response()),
        Err(e) => refused(&st, &viewer, id, e).await,
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct CorrectionForm {
    text: String,
}

/// Adds a correction to a locked record.
pub(crate) async fn correct(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<CorrectionForm>,
) -> Result<Response, PageError> {
    match st.app.correct_meeting(viewer.actor(), id, &f.text).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/meetings/{id}?notice=meeting_corrected")).into_response())
        }
        Err(e) => refused(&st, &viewer, id, e).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "compliance.html")]
pub(crate) struct CompliancePage {
    chrome: Chrome,
    org: Org,
    month: String,
    rows: Vec<ComplianceRow>,
    missed: usize,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct MonthQuery {
    month: String,
}

/// How a subtree's branches keep the rules of organizational life in a month.
pub(crate) async fn compliance(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<MonthQuery>,
) -> Result<CompliancePage, PageError> {
    let actor = viewer.actor();
    let org = st.app.org(actor, id).await?;
    let today = st.app.clock().today();
    let day = match q.month.trim() {
        "" => today,
        m => chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
            .map_err(|_| AppError::from(FieldError::new("month", "月份", "应为 YYYY-MM")))?,
    };
    let rows = st.app.compliance(actor, id, day).await?;
    Ok(CompliancePage {
        chrome: Chrome::new(&viewer, format!("{} · 组织生活落实情况", org.name), "orgs"),
        missed: rows.iter().filter(|r| r.kept == Kept::Missed).count(),
        month: day.format("%Y-%m").to_string(),
        org,
        rows,
    })
}

/// Keeps a photo of the meeting.
pub(crate) async fn photo(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let result = async {
        let (name, bytes, _) = super::read_upload(multipart).await?;
        st.app
            .upload_meeting_photo(viewer.actor(), id, &name, &bytes)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}?notice=uploaded")).into_response()),
        Err(e) => refused(&st, &viewer, id, e).await,
    }
}
