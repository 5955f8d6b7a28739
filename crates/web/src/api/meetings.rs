//! Organizational life through the API: an organization's meetings, planning one, a meeting's
//! record with its roll, holding, locking and correcting it, check-in codes, and a subtree's
//! compliance for a month.

use super::{ApiJson, ApiQuery, List};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use dangjian_app::AppError;
use dangjian_app::meetings::Correction;
use dangjian_domain::FieldError;
use dangjian_domain::ids::{MeetingId, OrgId, PersonId};
use dangjian_domain::learning::StudyHours;
use dangjian_domain::meetings::Meeting;
use dangjian_domain::meetings::{
    Attendance, HeartTalk, Kept, Lecturer, MeetingKind, MeetingPlan, Requirement,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A meeting.
#[derive(Serialize, ToSchema)]
pub(crate) struct MeetingView {
    id: i64,
    org_id: i64,
    #[schema(value_type = super::contract::MeetingKindCode)]
    kind: String,
    topic: String,
    #[schema(value_type = super::contract::LocalDateTime)]
    starts_at: chrono::NaiveDateTime,
    place: String,
    first_agenda_item: Option<String>,
    agenda: Vec<String>,
    #[schema(value_type = super::contract::MeetingStateCode)]
    state: String,
    minutes: String,
    resolutions: String,
    /// Who confirmed the record (the secretary), once locked.
    locked_by_name: Option<String>,
    /// The study hours (学时) it counts toward each member present, in halves (1.5).
    study_hours: f64,
    /// Who lectured (every 党课 names one): the person, when on the roster…
    lecturer_id: Option<i64>,
    /// … and the name, the roster's or as typed for a visitor.
    lecturer_name: Option<String>,
}

impl From<Meeting> for MeetingView {
    fn from(m: Meeting) -> Self {
        Self {
            id: m.id.get(),
            org_id: m.org_id.get(),
            kind: m.plan.kind.code().to_owned(),
            topic: m.plan.topic,
            starts_at: m.plan.starts_at,
            place: m.plan.place,
            first_agenda_item: m.plan.first_agenda_item,
            agenda: m.plan.agenda,
            state: m.state.code().to_owned(),
            minutes: m.minutes,
            resolutions: m.resolutions,
            locked_by_name: m.locked_by_name,
            study_hours: m.plan.study_hours.as_number(),
            lecturer_id: m
                .plan
                .lecturer
                .as_ref()
                .and_then(|l| l.person_id.map(PersonId::get)),
            lecturer_name: m.plan.lecturer.map(|l| l.name),
        }
    }
}

/// An expected attendee and how they attended.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AttendanceView {
    person_id: i64,
    /// The attendee's name; ignored when sent.
    #[serde(default)]
    name: String,
    #[schema(value_type = super::contract::AttendanceCode)]
    status: String,
    /// Why excused.
    #[serde(default)]
    reason: String,
}

/// A correction added to a locked record.
#[derive(Serialize, ToSchema)]
pub(crate) struct CorrectionView {
    id: i64,
    text: String,
    recorded_by_name: String,
}

impl From<Correction> for CorrectionView {
    fn from(c: Correction) -> Self {
        Self {
            id: c.id,
            text: c.text,
            recorded_by_name: c.recorded_by_name,
        }
    }
}

/// A meeting with its roll and corrections.
#[derive(Serialize, ToSchema)]
pub(crate) struct MeetingRecord {
    #[serde(flatten)]
    meeting: MeetingView,
    attendance: Vec<AttendanceView>,
    corrections: Vec<CorrectionView>,
}

async fn record(st: &AppState, caller: &Caller, id: MeetingId) -> Result<MeetingRecord, ApiError> {
    let v = st.app.meetings().get(&caller.actor, id).await?;
    Ok(MeetingRecord {
        meeting: v.meeting.into(),
        attendance: v
            .attendance
            .into_iter()
            .map(|(a, name)| AttendanceView {
                person_id: a.person_id.get(),
                name,
                status: a.status.code().to_owned(),
                reason: a.reason,
            })
            .collect(),
        corrections: v.corrections.into_iter().map(Into::into).collect(),
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct YearParams {
    /// The year; this year when left out.
    #[param(minimum = 1, maximum = 9999)]
    year: Option<i32>,
}

impl YearParams {
    /// The year asked for, or this year: one whose days are written as `YYYY-MM-DD`.
    pub(crate) fn year(&self, st: &AppState) -> Result<i32, ApiError> {
        match self.year {
            None => Ok(st.app.clock().today().year()),
            Some(y) if (1..=9999).contains(&y) => Ok(y),
            Some(_) => Err(ApiError(
                FieldError::new("year", "年度", "应为 1 到 9999 之间的年份").into(),
            )),
        }
    }
}

/// An organization's meetings in a year (its subtree's), newest first, a page at a time;
/// `total` counts them all.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings", tag = "meetings", operation_id = "list_meetings",
    params(("id" = i64, Path), YearParams, super::PageParams),
    responses((status = 200, body = List<MeetingView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    Query(q): Query<YearParams>,
    super::ApiQuery(p): super::ApiQuery<super::PageParams>,
) -> Result<Json<List<MeetingView>>, ApiError> {
    let year = q.year(&st)?;
    let page = st
        .app
        .meetings()
        .of_org(&caller.actor, id, year, p.paging()?)
        .await?;
    Ok(Json(List {
        total: page.total,
        items: page.items.into_iter().map(MeetingView::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanBody {
    #[schema(value_type = super::contract::MeetingKindCode)]
    kind: String,
    topic: String,
    /// RFC 3339, as `2026-11-25T14:30:00+08:00`; without an offset it is read as local time
    /// in Asia/Shanghai.
    #[serde(deserialize_with = "super::contract::shanghai_time")]
    #[schema(value_type = chrono::DateTime<chrono::FixedOffset>)]
    starts_at: chrono::NaiveDateTime,
    place: String,
    #[serde(default)]
    first_agenda_item: String,
    #[serde(default)]
    agenda: Vec<String>,
    /// The study hours (学时) it counts toward each member present: 0 to 16, in halves (1.5).
    #[serde(default)]
    study_hours: f64,
    /// Who lectures, on the roster (required of a 党课 unless `lecturer_name` names a visitor).
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    lecturer_id: Option<PersonId>,
    /// A visiting lecturer's name, for one not on the roster.
    #[serde(default)]
    lecturer_name: String,
}

/// Plans a meeting; everyone expected is put on its roll.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/meetings", tag = "meetings", operation_id = "plan_meeting",
    params(("id" = i64, Path)), request_body = PlanBody,
    responses((status = 201, body = MeetingView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn plan(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::OrgNamed>,
    ApiJson(b): ApiJson<PlanBody>,
) -> Result<(StatusCode, Json<MeetingView>), ApiError> {
    let kind = MeetingKind::parse(&b.kind)
        .ok_or_else(|| AppError::from(FieldError::new("kind", "会议类型", "不是可选的会议类型")))?;
    let plan = MeetingPlan::parse(
        kind,
        &b.topic,
        b.starts_at,
        &b.place,
        (&b.first_agenda_item, &b.agenda.join("\n")),
    )
    .map_err(AppError::from)?
    .with_study_hours(StudyHours::of_number(b.study_hours).map_err(AppError::from)?)
    .with_lecturer(Lecturer::parse(b.lecturer_id, &b.lecturer_name).map_err(AppError::from)?);
    let m = st.app.meetings().plan(&caller.actor, id, plan).await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// A meeting's record with its roll and corrections.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", operation_id = "get_meeting",
    params(("id" = i64, Path)),
    responses((status = 200, body = MeetingRecord), (status = 404, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<MeetingId>,
) -> Result<Json<MeetingRecord>, ApiError> {
    Ok(Json(record(&st, &caller, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeldBody {
    /// How each expected attendee attended; those left out stay as they are.
    attendance: Vec<AttendanceView>,
    minutes: String,
    #[serde(default)]
    resolutions: String,
}

/// Records the meeting as held, with its roll and minutes: only once its time has come; a
/// committee meeting only with more than half its members present (支部条例第十二条).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/held", tag = "meetings", operation_id = "hold_meeting",
    params(("id" = i64, Path)), request_body = HeldBody,
    responses((status = 200, body = MeetingRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn hold(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::MeetingNamed>,
    ApiJson(b): ApiJson<HeldBody>,
) -> Result<Json<MeetingRecord>, ApiError> {
    let roll = b
        .attendance
        .into_iter()
        .map(|a| {
            let status = Attendance::parse(&a.status).ok_or_else(|| {
                AppError::from(FieldError::new(
                    "attendance",
                    "出勤",
                    "应为 present、excused 或 absent",
                ))
            })?;
            Ok((PersonId::new(a.person_id), status, a.reason))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    st.app
        .meetings()
        .hold(&caller.actor, id, &roll, (&b.minutes, &b.resolutions))
        .await?;
    Ok(Json(record(&st, &caller, id).await?))
}

/// Locks a held meeting's record: the organization's secretary confirms it; afterwards only
/// corrections are added.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/lock", tag = "meetings", operation_id = "lock_meeting",
    params(("id" = i64, Path)),
    responses((status = 200, body = MeetingRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn lock(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<MeetingId>,
) -> Result<Json<MeetingRecord>, ApiError> {
    st.app.meetings().lock(&caller.actor, id).await?;
    Ok(Json(record(&st, &caller, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CorrectionBody {
    text: String,
}

/// Adds a correction to a locked record.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/corrections", tag = "meetings", operation_id = "correct_meeting",
    params(("id" = i64, Path)), request_body = CorrectionBody,
    responses((status = 201, body = CorrectionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn correct(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::MeetingNamed>,
    ApiJson(b): ApiJson<CorrectionBody>,
) -> Result<(StatusCode, Json<CorrectionView>), ApiError> {
    let c = st
        .app
        .meetings()
        .correct(&caller.actor, id, &b.text)
        .await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// A one-time check-in code for one attendee: the link to open on their phone.
#[derive(Serialize, ToSchema)]
pub(crate) struct CheckInCodeView {
    person_id: i64,
    name: String,
    /// The page to open, `/check-in/{code}`; shown once, only its hash is kept.
    path: String,
}

/// Issues one-time check-in codes to the attendees not yet present; earlier unused codes
/// stop working. Each works once, from an hour before the start until three hours after.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/check-ins", tag = "meetings", operation_id = "issue_check_ins",
    params(("id" = i64, Path)),
    responses((status = 201, body = List<CheckInCodeView>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn check_ins(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<MeetingId>,
) -> Result<(StatusCode, Json<List<CheckInCodeView>>), ApiError> {
    let codes = st.app.meetings().issue_check_ins(&caller.actor, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(List {
            total: codes.len() as u64,
            items: codes
                .into_iter()
                .map(|c| CheckInCodeView {
                    person_id: c.person_id.get(),
                    name: c.name,
                    path: format!("/check-in/{}", c.code),
                })
                .collect(),
        }),
    ))
}

/// A branch's standing against one rule of RULES.md §2.
#[derive(Serialize, ToSchema)]
pub(crate) struct ComplianceView {
    org_id: i64,
    org_name: String,
    #[schema(value_type = super::contract::MeetingKindCode)]
    kind: String,
    /// The rule: the kind's code, or `secretary_lecture` for the one a year the secretary
    /// lectures at.
    #[schema(value_type = super::contract::RequirementCode)]
    rule: String,
    /// At least once in each block of this many months from January (1, 3, 12…).
    every_months: u32,
    from: chrono::NaiveDate,
    until: chrono::NaiveDate,
    #[schema(value_type = super::contract::KeptCode)]
    kept: String,
    basis: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct MonthParams {
    /// `YYYY-MM`; this month when left out.
    #[param(pattern = r"^\d{4}-\d{2}$", example = "2026-11")]
    month: Option<String>,
}

/// How the branches of a subtree keep the rules of organizational life in a month.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/compliance", tag = "meetings", operation_id = "get_compliance",
    params(("id" = i64, Path), MonthParams),
    responses((status = 200, body = List<ComplianceView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn compliance(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    Query(q): Query<MonthParams>,
) -> Result<Json<List<ComplianceView>>, ApiError> {
    let day = match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => st.app.clock().today(),
        Some(m) => chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
            .map_err(|_| AppError::from(FieldError::new("month", "月份", "应为 YYYY-MM")))?,
    };
    let rows = st.app.meetings().compliance(&caller.actor, id, day).await?;
    Ok(Json(List {
        total: rows.len() as u64,
        items: rows
            .into_iter()
            .map(|r| ComplianceView {
                org_id: r.org_id.get(),
                org_name: r.org_name,
                kind: r.rule.kind.code().to_owned(),
                rule: r.rule.code().to_owned(),
                every_months: r.rule.months,
                from: r.period.0,
                until: r.period.1,
                kept: match r.kept {
                    Kept::Yes => "yes",
                    Kept::Open => "open",
                    Kept::Missed => "missed",
                }
                .to_owned(),
                basis: r.rule.basis.to_owned(),
            })
            .collect(),
    }))
}

/// A heart talk (谈心谈话).
#[derive(Serialize, ToSchema)]
pub(crate) struct TalkView {
    id: i64,
    org_id: i64,
    talker_id: i64,
    talker_name: String,
    talkee_id: i64,
    talkee_name: String,
    on: chrono::NaiveDate,
    place: String,
    summary: String,
    recorded_by_name: String,
}

impl From<dangjian_app::meetings::TalkView> for TalkView {
    fn from(v: dangjian_app::meetings::TalkView) -> Self {
        Self {
            id: v.talk.id,
            org_id: v.talk.org_id.get(),
            talker_id: v.talk.talk.talker_id.get(),
            talker_name: v.talker_name,
            talkee_id: v.talk.talk.talkee_id.get(),
            talkee_name: v.talkee_name,
            on: v.talk.talk.on,
            place: v.talk.talk.place,
            summary: v.talk.talk.summary,
            recorded_by_name: v.talk.recorded_by_name,
        }
    }
}

/// An organization's heart talks in a year, and its members nobody talked with.
#[derive(Serialize, ToSchema)]
pub(crate) struct TalksView {
    items: Vec<TalkView>,
    total: u64,
    /// Members with no talk in the year (at least once a year, 本校设置).
    untalked: Vec<String>,
}

/// The heart talks of an organization's subtree in a year, newest first, at most 500.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/talks", tag = "meetings", operation_id = "list_talks",
    params(("id" = i64, Path), YearParams),
    responses((status = 200, body = TalksView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn talks(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    Query(q): Query<YearParams>,
) -> Result<Json<TalksView>, ApiError> {
    let year = q.year(&st)?;
    let t = st
        .app
        .meetings()
        .heart_talks(&caller.actor, id, year)
        .await?;
    Ok(Json(TalksView {
        total: t.total,
        items: t.talks.into_iter().map(TalkView::from).collect(),
        untalked: t.untalked,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TalkBody {
    talker_id: i64,
    talkee_id: i64,
    #[serde(deserialize_with = "super::contract::day")]
    on: chrono::NaiveDate,
    #[serde(default)]
    place: String,
    summary: String,
}

/// Records a heart talk between two people of the organization.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/talks", tag = "meetings", operation_id = "record_talk",
    params(("id" = i64, Path)), request_body = TalkBody,
    responses((status = 201, body = TalkView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn record_talk(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::OrgNamed>,
    ApiJson(b): ApiJson<TalkBody>,
) -> Result<(StatusCode, Json<TalkView>), ApiError> {
    let talk = HeartTalk::parse(
        (PersonId::new(b.talker_id), PersonId::new(b.talkee_id)),
        b.on,
        st.app.clock().today(),
        &b.place,
        &b.summary,
    )
    .map_err(AppError::from)?;
    let view = st
        .app
        .meetings()
        .record_heart_talk(&caller.actor, id, talk)
        .await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PeriodParams {
    /// The first day; January 1st of this year when left out.
    #[serde(default, deserialize_with = "super::contract::maybe_day")]
    from: Option<chrono::NaiveDate>,
    /// The last day; today when left out.
    #[serde(default, deserialize_with = "super::contract::maybe_day")]
    until: Option<chrono::NaiveDate>,
}

impl PeriodParams {
    /// The period asked for; this year up to today when left out.
    fn period(&self, st: &AppState) -> (chrono::NaiveDate, chrono::NaiveDate) {
        let today = st.app.clock().today();
        let first = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        (self.from.unwrap_or(first), self.until.unwrap_or(today))
    }
}

/// The figures of organizational life in a subtree and period: each kind of meeting with the
/// meetings held and the person-times expected, present, excused and absent, then the total.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meeting-figures", tag = "meetings", operation_id = "get_meeting_figures",
    params(("id" = i64, Path), PeriodParams),
    responses((status = 200, body = List<KindFiguresView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn figures(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    Query(q): Query<PeriodParams>,
) -> Result<Json<List<KindFiguresView>>, ApiError> {
    let f = st
        .app
        .meetings()
        .figures(&caller.actor, id, q.period(&st))
        .await?;
    let items: Vec<KindFiguresView> = f
        .rows()
        .map(|k| KindFiguresView {
            kind: k.kind.map_or("total", MeetingKind::code).to_owned(),
            held: k.held,
            expected: k.expected,
            present: k.present,
            excused: k.excused,
            absent: k.absent,
            attendance_pct: k.attendance_pct(),
        })
        .collect();
    Ok(Json(List {
        total: items.len() as u64,
        items,
    }))
}

/// One kind of meeting in a period (`total` for all of them).
#[derive(Serialize, ToSchema)]
pub(crate) struct KindFiguresView {
    #[schema(value_type = super::contract::MeetingKindOrTotal)]
    kind: String,
    held: i64,
    expected: i64,
    present: i64,
    excused: i64,
    absent: i64,
    attendance_pct: Option<f64>,
}

/// One member's year of organizational life.
#[derive(Serialize, ToSchema)]
pub(crate) struct MemberYearView {
    person_id: i64,
    name: String,
    /// `full` or `probationary`.
    #[schema(value_type = super::contract::PersonStatusCode)]
    status: String,
    /// Sits on a committee now, so the higher minimum applies.
    on_committee: bool,
    /// Held meetings they were expected at, and how they attended.
    expected: u32,
    present: u32,
    excused: u32,
    absent: u32,
    /// Present of expected, in whole per cent; none when nothing was expected.
    attendance_percent: Option<u32>,
    /// Study hours (学时) of the meetings they came to, in halves (1.5).
    hours: f64,
    /// The hours the year asks of them (32, or the local minimum for committee members).
    minimum: u32,
    hours_short: f64,
    last_present: Option<chrono::NaiveDate>,
    /// Six months without organizational life (支部条例第三十一条(六)).
    away: bool,
}

/// An organization's members and their year.
#[derive(Serialize, ToSchema)]
pub(crate) struct MemberLifeView {
    year: i32,
    /// The last day counted.
    through: chrono::NaiveDate,
    items: Vec<MemberYearView>,
    total: u64,
}

/// Each member of an organization (its own members) in a year: attendance at held meetings,
/// study hours against the yearly minimum, and six months away from organizational life.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/member-life", tag = "meetings", operation_id = "get_member_life",
    params(("id" = i64, Path), YearParams),
    responses((status = 200, body = MemberLifeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn member_life(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    Query(q): Query<YearParams>,
) -> Result<Json<MemberLifeView>, ApiError> {
    let year = q.year(&st)?;
    let l = st
        .app
        .meetings()
        .member_life(&caller.actor, id, year)
        .await?;
    let items: Vec<MemberYearView> = l
        .members
        .into_iter()
        .map(|m| MemberYearView {
            hours_short: m.hours_short().as_number(),
            person_id: m.person_id.get(),
            status: m.status.code().to_owned(),
            on_committee: m.on_committee,
            expected: m.life.expected(),
            present: m.life.present,
            excused: m.life.excused,
            absent: m.life.absent,
            attendance_percent: m.life.attendance_percent(),
            hours: m.life.hours.as_number(),
            minimum: m.minimum,
            last_present: m.life.last_present,
            away: m.away,
            name: m.name,
        })
        .collect();
    Ok(Json(MemberLifeView {
        year: l.year,
        through: l.through,
        total: items.len() as u64,
        items,
    }))
}

/// One month of one organization in the compliance calendar: the rules whose period ends in
/// it, by how they stand.
#[derive(Serialize, ToSchema)]
pub(crate) struct CalendarMonthView {
    month: u32,
    #[schema(value_type = Vec<super::contract::RequirementCode>)]
    kept: Vec<String>,
    /// Not held yet, the period not over.
    #[schema(value_type = Vec<super::contract::RequirementCode>)]
    open: Vec<String>,
    #[schema(value_type = Vec<super::contract::RequirementCode>)]
    missed: Vec<String>,
}

/// One branch or party group's year.
#[derive(Serialize, ToSchema)]
pub(crate) struct CalendarRowView {
    org_id: i64,
    org_name: String,
    months: Vec<CalendarMonthView>,
}

/// A subtree's year against the rules of RULES.md §2, month by month.
#[derive(Serialize, ToSchema)]
pub(crate) struct ComplianceCalendarView {
    year: i32,
    missed: usize,
    items: Vec<CalendarRowView>,
    total: u64,
}

/// The compliance calendar of a subtree for a year: each branch and party group, each month
/// with the rules whose period ends in it (monthly in the month, quarterly at the quarter's
/// end, yearly in December).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/compliance-calendar", tag = "meetings", operation_id = "get_compliance_calendar",
    params(("id" = i64, Path), YearParams),
    responses((status = 200, body = ComplianceCalendarView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn compliance_calendar(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    Query(q): Query<YearParams>,
) -> Result<Json<ComplianceCalendarView>, ApiError> {
    let year = q.year(&st)?;
    let c = st
        .app
        .meetings()
        .compliance_calendar(&caller.actor, id, year)
        .await?;
    let codes = |rules: &[Requirement]| rules.iter().map(|r| r.code().to_owned()).collect();
    let missed = c.missed();
    let items: Vec<CalendarRowView> = c
        .rows
        .into_iter()
        .map(|r| CalendarRowView {
            org_id: r.org_id.get(),
            org_name: r.org_name,
            months: (1u32..)
                .zip(&r.months)
                .map(|(month, cell)| CalendarMonthView {
                    month,
                    kept: codes(&cell.kept),
                    open: codes(&cell.open),
                    missed: codes(&cell.missed),
                })
                .collect(),
        })
        .collect();
    Ok(Json(ComplianceCalendarView {
        year: c.year,
        missed,
        total: items.len() as u64,
        items,
    }))
}

/// The figures of organizational life as the spreadsheet the figures page exports.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meeting-figures.xlsx", tag = "meetings", operation_id = "export_meeting_figures",
    params(("id" = i64, Path), PeriodParams),
    responses((status = 200, body = inline(super::contract::File), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn figures_xlsx(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    ApiQuery(q): ApiQuery<PeriodParams>,
) -> Result<Response, ApiError> {
    let bytes = st
        .app
        .meetings()
        .figures_xlsx(&caller.actor, id, q.period(&st))
        .await?;
    Ok(crate::download::xlsx(
        "组织生活统计.xlsx",
        "meeting-figures",
        bytes,
    ))
}

/// A branch's record book (工作记录本) of a year as a Word file; the download is audited.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/record-book.docx", tag = "meetings", operation_id = "export_record_book",
    params(("id" = i64, Path), YearParams),
    responses((status = 200, body = inline(super::contract::File), content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn record_book_docx(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    ApiQuery(q): ApiQuery<YearParams>,
) -> Result<Response, ApiError> {
    let year = q.year(&st)?;
    let (title, bytes) = st
        .app
        .meetings()
        .record_book_docx(&caller.actor, id, year)
        .await?;
    Ok(crate::download::docx(
        &title,
        &format!("record-book-{year}"),
        bytes,
    ))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, plan))
        .routes(routes!(get))
        .routes(routes!(hold))
        .routes(routes!(lock))
        .routes(routes!(correct))
        .routes(routes!(check_ins))
        .routes(routes!(compliance))
        .routes(routes!(compliance_calendar))
        .routes(routes!(talks, record_talk))
        .routes(routes!(figures))
        .routes(routes!(member_life))
        .routes(routes!(figures_xlsx))
        .routes(routes!(record_book_docx))
}
