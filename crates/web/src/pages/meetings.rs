//! Organizational life (组织生活) in pages: an organization's meetings and a form to plan one,
//! a meeting's roll, minutes, lock and corrections, its one-time check-in codes and the page a
//! phone opens from one, and a subtree's compliance for a month.

use super::platform::session::with_csrf_cookie;
use super::{Chrome, NoticeQuery};
use crate::AppState;
use crate::auth::{Auth, Viewer};
use crate::error::PageError;
use crate::pages::after;
use crate::pages::platform::PlatformNotice;
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use chrono::Datelike;
use dangjian_app::AppError;
use dangjian_app::auth::Client;
use dangjian_app::meetings::{
    CalendarCell, CalendarEntry, CheckInView, ComplianceCalendar, ComplianceRow, HeartTalks,
    KindFigures, MeetingFigures, MeetingView, MemberLife, RecordBook,
};
use dangjian_domain::FieldError;
use dangjian_domain::ids::{MeetingId, OrgId, PersonId};
use dangjian_domain::learning::StudyHours;
use dangjian_domain::meetings::{
    Attendance, HeartTalk, Kept, Lecturer, Meeting, MeetingKind, MeetingPlan, MeetingState,
    check_in_window,
};
use dangjian_domain::org::Org;
use dangjian_domain::platform::role::Action;

use crate::pages::{Area, MenuEntry, MenuGroup, Shown, notices};
use axum::routing::{get, post};

notices! {
    /// What the pages of organizational life say after a redirect.
    MeetingsNotice {
        Planned = "meeting_planned" => "会议已计划，应到人员已列入签到名单",
        Held = "meeting_held" => "会议已登记为已召开",
        Locked = "meeting_locked" => "会议记录已确认锁定",
        Corrected = "meeting_corrected" => "已补充更正",
        TalkRecorded = "talk_recorded" => "已登记谈心谈话",
        CalendarRevoked = "calendar_revoked" => "日历订阅链接已停用",
    }
}

pub(super) const AREA: Area = Area {
    routes,
    menu: &[MenuEntry {
        href: "/my/meetings",
        label: "会议日历",
        key: "my_meetings",
        group: MenuGroup::Personal,
        shown: Shown::ToEveryone,
    }],
    notices: MeetingsNotice::TABLE,
};

fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/orgs/{id}/meetings", get(list).post(plan))
        .route("/orgs/{id}/compliance", get(compliance))
        .route("/orgs/{id}/compliance-calendar", get(compliance_calendar))
        .route("/orgs/{id}/member-life", get(member_life))
        .route("/orgs/{id}/record-book", get(record_book))
        .route("/orgs/{id}/record-book.docx", get(record_book_docx))
        .route("/orgs/{id}/meeting-figures", get(figures))
        .route("/orgs/{id}/meeting-figures.xlsx", get(figures_xlsx))
        .route("/orgs/{id}/talks", get(talks).post(record_talk))
        .route("/meetings/{id}", get(page))
        .route("/meetings/{id}/hold", post(hold))
        .route("/meetings/{id}/lock", post(lock))
        .route("/meetings/{id}/check-ins", post(issue_check_ins))
        .route("/meetings/{id}/corrections", post(correct))
        .route(
            "/meetings/{id}/photos",
            post(photo).layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route("/my/meetings", get(my_calendar))
        .route("/my/meetings/link", post(issue_calendar_link))
        .route("/my/meetings/link/revoke", post(revoke_calendar_link))
        // A phone's calendar fetches this without signing in: the secret link is the key.
        .route("/ical/{file}", get(ical_feed))
        // Opened on a phone without signing in: the one-time code is the authority. Not
        // behind the sign-in throttle, which would count a whole room behind one address.
        .route("/check-in/{code}", get(check_in_form).post(check_in))
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/meetings.html")]
pub(crate) struct MeetingsPage {
    chrome: Chrome,
    org: Org,
    year: i32,
    meetings: Vec<Meeting>,
    /// All the year's meetings, of which `meetings` are the newest.
    total: u64,
    kinds: &'static [MeetingKind],
    may_plan: bool,
    /// Whom the plan's form offers as lecturer.
    lecturers: Vec<(PersonId, String)>,
    message: Option<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct YearQuery {
    #[serde(deserialize_with = "super::empty_as_none")]
    pub(crate) year: Option<i32>,
}

async fn meetings_page(
    st: &AppState,
    viewer: &Viewer,
    id: OrgId,
    year: Option<i32>,
) -> Result<MeetingsPage, AppError> {
    let actor = viewer.actor();
    let org = st.app.org().get(actor, id).await?;
    let year = year.unwrap_or_else(|| st.app.clock().today().year());
    let newest = dangjian_domain::paging::Paging::parse(
        Some(1),
        Some(dangjian_domain::paging::MAX_PER_PAGE),
    )?;
    let page = st.app.meetings().of_org(actor, id, year, newest).await?;
    Ok(MeetingsPage {
        chrome: Chrome::new(viewer, format!("{} · 组织生活", org.name), "orgs"),
        meetings: page.items,
        total: page.total,
        lecturers: st.app.meetings().lecturers(actor, &org).await?,
        may_plan: st.app.meetings().may_write(actor, &org),
        org,
        year,
        kinds: MeetingKind::ALL,
        message: None,
    })
}

pub(crate) async fn list(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
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
    study_hours: String,
    lecturer_id: String,
    lecturer_name: String,
}

/// Plans a meeting.
pub(crate) async fn plan(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
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
        )?
        .with_study_hours(StudyHours::parse(&f.study_hours)?)
        .with_lecturer(Lecturer::parse(
            match f.lecturer_id.trim() {
                "" => None,
                v => Some(
                    v.parse::<PersonId>()
                        .map_err(|_| FieldError::new("lecturer_id", "讲课人", "请从名册中选择"))?,
                ),
            },
            &f.lecturer_name,
        )?);
        st.app.meetings().plan(viewer.actor(), id, plan).await
    }
    .await;
    match result {
        Ok(m) => Ok(after(&format!("/meetings/{}", m.id), MeetingsNotice::Planned).into_response()),
        Err(e) => {
            let message = super::refusal(e)?;
            let mut page = meetings_page(&st, &viewer, id, None).await?;
            page.message = Some(message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/meeting.html")]
pub(crate) struct MeetingPage {
    chrome: Chrome,
    v: MeetingView,
    calls: &'static [Attendance],
    message: Option<String>,
}

async fn meeting_page(
    st: &AppState,
    viewer: &Viewer,
    id: MeetingId,
    notice: Option<&str>,
) -> Result<MeetingPage, AppError> {
    let v = st.app.meetings().get(viewer.actor(), id).await?;
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
    Path(id): Path<MeetingId>,
    Query(q): Query<NoticeQuery>,
) -> Result<MeetingPage, PageError> {
    Ok(meeting_page(&st, &viewer, id, q.notice.as_deref()).await?)
}

/// Answers a refused form with the meeting's page and the message.
async fn refused(
    st: &AppState,
    viewer: &Viewer,
    id: MeetingId,
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
    Path(id): Path<MeetingId>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let roll: Vec<(PersonId, Attendance, String)> = fields
        .iter()
        .filter_map(|(k, v)| {
            let id: PersonId = k.strip_prefix("att_")?.parse().ok()?;
            Some((
                id,
                Attendance::parse(v)?,
                get(&format!("reason_{id}")).to_owned(),
            ))
        })
        .collect();
    match st
        .app
        .meetings()
        .hold(
            viewer.actor(),
            id,
            &roll,
            (get("minutes"), get("resolutions")),
        )
        .await
    {
        Ok(_) => Ok(after(&format!("/meetings/{id}"), MeetingsNotice::Held).into_response()),
        Err(e) => refused(&st, &viewer, id, e).await,
    }
}

/// Locks the record (the secretary confirms it).
pub(crate) async fn lock(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<MeetingId>,
) -> Result<Response, PageError> {
    match st.app.meetings().lock(viewer.actor(), id).await {
        Ok(_) => Ok(after(&format!("/meetings/{id}"), MeetingsNotice::Locked).into_response()),
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
    Path(id): Path<MeetingId>,
    axum::Form(f): axum::Form<CorrectionForm>,
) -> Result<Response, PageError> {
    match st.app.meetings().correct(viewer.actor(), id, &f.text).await {
        Ok(_) => Ok(after(&format!("/meetings/{id}"), MeetingsNotice::Corrected).into_response()),
        Err(e) => refused(&st, &viewer, id, e).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/compliance.html")]
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
    Path(id): Path<OrgId>,
    Query(q): Query<MonthQuery>,
) -> Result<CompliancePage, PageError> {
    let actor = viewer.actor();
    let org = st.app.org().get(actor, id).await?;
    let today = st.app.clock().today();
    let day = match q.month.trim() {
        "" => today,
        m => chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
            .map_err(|_| AppError::from(FieldError::new("month", "月份", "应为 YYYY-MM")))?,
    };
    let rows = st.app.meetings().compliance(actor, id, day).await?;
    Ok(CompliancePage {
        chrome: Chrome::new(&viewer, format!("{} · 组织生活落实情况", org.name), "orgs"),
        missed: rows.iter().filter(|r| r.kept == Kept::Missed).count(),
        month: day.format("%Y-%m").to_string(),
        org,
        rows,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/compliance_calendar.html")]
pub(crate) struct ComplianceCalendarPage {
    chrome: Chrome,
    c: ComplianceCalendar,
}

/// A subtree's year against the rules, month by month.
pub(crate) async fn compliance_calendar(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<YearQuery>,
) -> Result<ComplianceCalendarPage, PageError> {
    let year = q.year.unwrap_or_else(|| st.app.clock().today().year());
    let c = st
        .app
        .meetings()
        .compliance_calendar(viewer.actor(), id, year)
        .await?;
    Ok(ComplianceCalendarPage {
        chrome: Chrome::new(
            &viewer,
            format!("{} · 组织生活落实日历", c.org.name),
            "orgs",
        ),
        c,
    })
}

/// Keeps a photo of the meeting.
pub(crate) async fn photo(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<MeetingId>,
    headers: axum::http::HeaderMap,
    multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let result = async {
        let target = (
            dangjian_app::UploadTarget::Record(dangjian_domain::meetings::trail::MEETING, id.get()),
            "照片",
        );
        let (name, bytes, _) =
            super::read_upload(&st, &viewer, target, &headers, multipart).await?;
        st.app
            .attachments()
            .upload_meeting_photo(viewer.actor(), id, &name, &bytes)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(after(&format!("/meetings/{id}"), PlatformNotice::Uploaded).into_response()),
        Err(e) => refused(&st, &viewer, id, e).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/check_in_codes.html")]
pub(crate) struct CheckInCodesPage {
    chrome: Chrome,
    meeting_id: MeetingId,
    topic: String,
    closes: String,
    /// Each attendee's name, link and the link as a QR code (SVG).
    codes: Vec<(String, String, String)>,
}

/// A QR code of `text` as inline SVG.
fn qr_svg(text: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(168, 168)
        .build();
    // Inline in HTML the XML declaration has no place.
    svg.find("<svg")
        .map_or(svg.clone(), |start| svg[start..].to_owned())
}

/// The address of this server as the browser reached it, for links scanned on a phone.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scheme = if crate::auth::is_https(headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// Issues one-time check-in codes to the attendees not yet present and shows them, once.
pub(crate) async fn issue_check_ins(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<MeetingId>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let actor = viewer.actor();
    let issued = match st.app.meetings().issue_check_ins(actor, id).await {
        Ok(issued) => issued,
        Err(e) => return refused(&st, &viewer, id, e).await,
    };
    let meeting = st.app.meetings().get(actor, id).await?.meeting;
    let origin = origin(&headers);
    let codes = issued
        .into_iter()
        .map(|c| {
            let link = format!("{origin}/check-in/{}", c.code);
            let svg = qr_svg(&link);
            (c.name, link, svg)
        })
        .collect();
    let (_, closes) = check_in_window(meeting.plan.starts_at);
    Ok(CheckInCodesPage {
        chrome: Chrome::new(&viewer, format!("{} · 签到码", meeting.plan.topic), "orgs"),
        meeting_id: id,
        topic: meeting.plan.topic,
        closes: closes.format("%Y-%m-%d %H:%M").to_string(),
        codes,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/check_in.html")]
struct CheckInPage {
    csrf: String,
    code: String,
    view: Option<CheckInView>,
    message: Option<String>,
    done: bool,
}

/// The check-in page a phone opens from a code: the meeting and the holder's name, and one
/// button. Opening it uses nothing: link previews must not check anyone in.
pub(crate) async fn check_in_form(
    State(st): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    auth: Option<Extension<Auth>>,
    Path(code): Path<String>,
) -> Response {
    let (csrf, jar) = with_csrf_cookie(jar, &headers, auth.as_ref().map(|a| &a.0));
    let page = match st.app.meetings().check_in_code(&code).await {
        Ok(view) => CheckInPage {
            message: view.refusal.clone(),
            view: Some(view),
            csrf,
            code,
            done: false,
        },
        Err(e) => match super::refusal(e) {
            Ok(message) => CheckInPage {
                csrf,
                code,
                view: None,
                message: Some(message),
                done: false,
            },
            Err(e) => return e.into_response(),
        },
    };
    (jar, page).into_response()
}

/// Checks the code's holder in.
pub(crate) async fn check_in(
    State(st): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    auth: Option<Extension<Auth>>,
    client: Option<Extension<Client>>,
    Path(code): Path<String>,
) -> Response {
    let (csrf, jar) = with_csrf_cookie(jar, &headers, auth.as_ref().map(|a| &a.0));
    let ip = client.and_then(|c| c.0.ip);
    match st.app.meetings().check_in_with_code(&code, ip).await {
        Ok(view) => (
            jar,
            CheckInPage {
                csrf,
                code,
                view: Some(view),
                message: None,
                done: true,
            },
        )
            .into_response(),
        Err(e) => match super::refusal(e) {
            Ok(message) => {
                let view = st.app.meetings().check_in_code(&code).await.ok();
                let page = CheckInPage {
                    csrf,
                    code,
                    view,
                    message: Some(message),
                    done: false,
                };
                (StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response()
            }
            Err(e) => e.into_response(),
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/record_book.html")]
pub(crate) struct RecordBookPage {
    chrome: Chrome,
    b: RecordBook,
}

/// The year's record book, to read and print.
pub(crate) async fn record_book(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<YearQuery>,
) -> Result<RecordBookPage, PageError> {
    let year = q.year.unwrap_or_else(|| st.app.clock().today().year());
    let b = st
        .app
        .meetings()
        .record_book(viewer.actor(), id, year)
        .await?;
    Ok(RecordBookPage {
        chrome: Chrome::new(
            &viewer,
            format!("{}工作记录本（{year}年度）", b.org.name),
            "orgs",
        ),
        b,
    })
}

/// The year's record book as a Word file.
pub(crate) async fn record_book_docx(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let actor = viewer.actor();
    let year = q.year.unwrap_or_else(|| st.app.clock().today().year());
    let (title, bytes) = st.app.meetings().record_book_docx(actor, id, year).await?;
    Ok(crate::download::docx(
        &title,
        &format!("record-book-{year}"),
        bytes,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/member_life.html")]
pub(crate) struct MemberLifePage {
    chrome: Chrome,
    l: MemberLife,
}

/// Each member's attendance and study hours in a year.
pub(crate) async fn member_life(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<YearQuery>,
) -> Result<MemberLifePage, PageError> {
    let year = q.year.unwrap_or_else(|| st.app.clock().today().year());
    let l = st
        .app
        .meetings()
        .member_life(viewer.actor(), id, year)
        .await?;
    Ok(MemberLifePage {
        chrome: Chrome::new(&viewer, format!("{} · 党员出勤和学时", l.org.name), "orgs"),
        l,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/talks.html")]
pub(crate) struct TalksPage {
    chrome: Chrome,
    t: HeartTalks,
    today: chrono::NaiveDate,
    message: Option<String>,
}

async fn talks_page(
    st: &AppState,
    viewer: &Viewer,
    id: OrgId,
    (year, notice): (Option<i32>, Option<&str>),
) -> Result<TalksPage, AppError> {
    let today = st.app.clock().today();
    let t = st
        .app
        .meetings()
        .heart_talks(viewer.actor(), id, year.unwrap_or_else(|| today.year()))
        .await?;
    Ok(TalksPage {
        chrome: Chrome::new(viewer, format!("{} · 谈心谈话", t.org.name), "orgs")
            .with_notice(notice),
        t,
        today,
        message: None,
    })
}

pub(crate) async fn talks(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<YearQuery>,
    Query(n): Query<NoticeQuery>,
) -> Result<TalksPage, PageError> {
    Ok(talks_page(&st, &viewer, id, (q.year, n.notice.as_deref())).await?)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct TalkForm {
    talker_id: String,
    talkee_id: String,
    on: String,
    place: String,
    summary: String,
}

/// Records a heart talk.
pub(crate) async fn record_talk(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    axum::Form(f): axum::Form<TalkForm>,
) -> Result<Response, PageError> {
    let result = async {
        let person = |v: &str, field: &'static str, label: &'static str| {
            v.trim()
                .parse::<PersonId>()
                .map_err(|_| FieldError::new(field, label, "请选择"))
        };
        let on = chrono::NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d")
            .map_err(|_| FieldError::new("on", "谈话日期", "请填写日期"))?;
        let talk = HeartTalk::parse(
            (
                person(&f.talker_id, "talker_id", "谈话人")?,
                person(&f.talkee_id, "talkee_id", "谈话对象")?,
            ),
            on,
            st.app.clock().today(),
            &f.place,
            &f.summary,
        )?;
        st.app
            .meetings()
            .record_heart_talk(viewer.actor(), id, talk)
            .await
    }
    .await;
    match result {
        Ok(_) => {
            Ok(after(&format!("/orgs/{id}/talks"), MeetingsNotice::TalkRecorded).into_response())
        }
        Err(e) => {
            let message = super::refusal(e)?;
            let mut page = talks_page(&st, &viewer, id, (None, None)).await?;
            page.message = Some(message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/my_meetings.html")]
pub(crate) struct MyMeetingsPage {
    chrome: Chrome,
    entries: Vec<CalendarEntry>,
    may_read_any: bool,
    made_at: Option<String>,
    new_link: Option<String>,
}

async fn my_calendar_page(
    st: &AppState,
    viewer: &Viewer,
    new_link: Option<String>,
    notice: Option<&str>,
) -> Result<MyMeetingsPage, AppError> {
    let actor = viewer.actor();
    Ok(MyMeetingsPage {
        chrome: Chrome::new(viewer, "会议日历", "my_meetings").with_notice(notice),
        entries: st.app.meetings().calendar(actor).await?,
        may_read_any: !actor.access.scopes(Action::ReadRecords).is_empty(),
        made_at: st
            .app
            .meetings()
            .calendar_link_made_at(actor)
            .await?
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(dangjian_domain::clock::display_time),
        new_link,
    })
}

pub(crate) async fn my_calendar(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<MyMeetingsPage, PageError> {
    Ok(my_calendar_page(&st, &viewer, None, q.notice.as_deref()).await?)
}

/// Makes a new secret calendar link and shows it once.
pub(crate) async fn issue_calendar_link(
    State(st): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<MyMeetingsPage, PageError> {
    let token = st
        .app
        .meetings()
        .issue_calendar_link(viewer.actor())
        .await?;
    let link = format!("{}/ical/{token}.ics", origin(&headers));
    Ok(my_calendar_page(&st, &viewer, Some(link), None).await?)
}

pub(crate) async fn revoke_calendar_link(
    State(st): State<AppState>,
    viewer: Viewer,
) -> Result<Redirect, PageError> {
    st.app
        .meetings()
        .revoke_calendar_link(viewer.actor())
        .await?;
    Ok(after("/my/meetings", MeetingsNotice::CalendarRevoked))
}

/// The calendar behind a secret link, as iCalendar.
pub(crate) async fn ical_feed(
    State(st): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let entries = st.app.meetings().calendar_by_link(token).await?;
    let stamp = st.app.clock().now().format("%Y%m%dT%H%M%SZ").to_string();
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )],
        crate::ical::calendar("党建会议日历", &entries, &stamp),
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/meeting_figures.html")]
pub(crate) struct FiguresPage {
    chrome: Chrome,
    f: MeetingFigures,
    /// The figures for the charts, as JSON inside a script element.
    data: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct PeriodQuery {
    from: String,
    until: String,
}

impl PeriodQuery {
    /// The period asked for; this year up to today when left out.
    fn period(
        &self,
        today: chrono::NaiveDate,
    ) -> Result<(chrono::NaiveDate, chrono::NaiveDate), AppError> {
        let day = |v: &str, field, label, default| match v.trim() {
            "" => Ok(default),
            v => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| AppError::from(FieldError::new(field, label, "应为 YYYY-MM-DD"))),
        };
        let first = today
            .with_day(1)
            .and_then(|d| d.with_month(1))
            .unwrap_or(today);
        Ok((
            day(&self.from, "from", "起始日期", first)?,
            day(&self.until, "until", "截止日期", today)?,
        ))
    }
}

/// A subtree's figures of organizational life in a period, with charts.
pub(crate) async fn figures(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<PeriodQuery>,
) -> Result<FiguresPage, PageError> {
    let period = q.period(st.app.clock().today())?;
    let f = st
        .app
        .meetings()
        .figures(viewer.actor(), id, period)
        .await?;
    let series = |value: &dyn Fn(&KindFigures) -> f64| {
        f.kinds
            .iter()
            .map(|k| serde_json::json!({ "label": k.label, "count": value(k) }))
            .collect::<Vec<_>>()
    };
    // `<` escaped so that nothing typed can close the script element.
    let data = serde_json::json!({
        "meetings": series(&|k| k.held as f64),
        "attendance": series(&|k| k.attendance_pct().unwrap_or(0.0)),
    })
    .to_string()
    .replace('<', "\\u003c");
    Ok(FiguresPage {
        chrome: Chrome::new(&viewer, format!("{} · 组织生活统计", f.org.name), "orgs"),
        f,
        data,
    })
}

pub(crate) async fn figures_xlsx(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let period = q.period(st.app.clock().today())?;
    let bytes = st
        .app
        .meetings()
        .figures_xlsx(viewer.actor(), id, period)
        .await?;
    Ok(crate::download::xlsx(
        "组织生活统计.xlsx",
        "meeting-figures",
        bytes,
    ))
}
