//! A person's development record (发展纪实): the timeline of their steps, what is due, and a
//! form for each step that may come next with the rule that applies beside it.

mod thought_reports;
mod training;

use super::{Chrome, NoticeQuery};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::after;
use crate::pages::platform::PlatformNotice;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dangjian_app::AppError;
use dangjian_app::development::{
    Accountable, Board, DevelopmentDocument, DevelopmentView, Funnel, StepInput,
};
use dangjian_app::people::PeopleQuery;
use dangjian_app::thought_report::ReportView;
use dangjian_app::training::PersonTraining;
use dangjian_domain::FieldError;
use dangjian_domain::development::policy::StepPolicy;
use dangjian_domain::development::{
    ConfirmationOutcome, DecisionBody, RollCall, RollEntry, Step, StepDetail, VoteCount,
};
use dangjian_domain::ids::{MeetingId, OrgId, PersonId};
use dangjian_domain::meetings::Meeting;
use dangjian_domain::paging::Paging;
use dangjian_domain::people::{Person, PersonStatus};

use crate::pages::{Area, MenuEntry, MenuGroup, Shown, notices};
use axum::routing::{get, post};
use dangjian_domain::platform::role::Action;

notices! {
    /// What the development, training and thought-report pages say after a redirect.
    DevelopmentNotice {
        StepRecorded = "step_recorded" => "已登记",
        ClassCreated = "class_created" => "培训班已开办，可以报名了",
        Enrolled = "enrolled" => "已报名",
        ResultSaved = "result_saved" => "学时和考试结果已登记",
        ReportHandedIn = "report_handed_in" => "思想汇报已递交，培养联系人会收到消息",
        ReportAnswered = "report_answered" => "已回复，递交人会收到消息",
    }
}

pub(super) const AREA: Area = Area {
    routes,
    menu: &[
        MenuEntry {
            href: "/training",
            label: "党校培训",
            key: "training",
            group: MenuGroup::Work,
            shown: Shown::InSomeScope(Action::ReadRecords),
        },
        MenuEntry {
            href: "/my/thought-reports",
            label: "思想汇报",
            key: "my_thought_reports",
            group: MenuGroup::Personal,
            shown: Shown::ToEveryone,
        },
    ],
    notices: DevelopmentNotice::TABLE,
};

fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/orgs/{id}/development", get(board))
        .route("/orgs/{id}/development.xlsx", get(funnel_xlsx))
        .route("/calendar", get(calendar).post(set_calendar))
        .route("/people/{id}/development", get(page).post(record))
        .route("/people/{id}/development/{document}", get(document))
        .route(
            "/people/{id}/development/steps/{step_id}/attachments",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route("/training", get(training::list).post(training::create))
        .route("/training/{id}", get(training::class))
        .route("/training/{id}/trainees", post(training::enrol))
        .route(
            "/training/{id}/trainees/{person_id}",
            post(training::result),
        )
        .route(
            "/my/thought-reports",
            get(thought_reports::mine).post(thought_reports::hand_in),
        )
        .route("/thought-reports/{id}", get(thought_reports::page))
        .route(
            "/thought-reports/{id}/answer",
            post(thought_reports::answer),
        )
        .route("/orgs/{id}/thought-reports", get(thought_reports::of_org))
}

#[derive(Template, WebTemplate)]
#[template(path = "development/development.html")]
pub(crate) struct DevelopmentPage {
    chrome: Chrome,
    p: Person,
    v: DevelopmentView,
    /// Full members of the person's branch, for mentors and sponsors: (id, name).
    full_members: Vec<(PersonId, String)>,
    /// The branch's held 支部党员大会 of the last year, newest first: where a vote is taken.
    vote_meetings: Vec<Meeting>,
    /// The meeting chosen for a vote, with the roll its sign-in proposes: the members
    /// entitled on its day and how they took part.
    vote_meeting: Option<(Meeting, Vec<RollEntry>)>,
    calls: &'static [RollCall],
    bodies: &'static [DecisionBody],
    outcomes: &'static [ConfirmationOutcome],
    today: String,
    /// The step whose form was refused, and why.
    refused: Option<(Step, String)>,
    /// The person's party-school classes and their credit toward step 11.
    training: PersonTraining,
    /// The person's thought reports, newest first.
    reports: Vec<ReportView>,
    documents: &'static [DevelopmentDocument],
    /// How the university runs each step: the documents it asks for.
    policies: Vec<(Step, StepPolicy, bool)>,
    /// The recorded step whose upload was refused, and why.
    upload_refused: Option<(i64, String)>,
}

/// The development page's query: a notice after a redirect, and the meeting chosen for a
/// vote.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct DevelopmentQuery {
    notice: Option<String>,
    #[serde(deserialize_with = "super::empty_as_none")]
    vote_meeting: Option<MeetingId>,
}

impl DevelopmentPage {
    /// Whether a step's form first asks for the meeting its vote was taken at.
    fn is_vote(step: &Step) -> bool {
        matches!(step, Step::AdmissionVote | Step::ConfirmationVote)
    }

    /// The meeting chosen for the vote of `step`, if it is a vote.
    fn vote_meeting_for(&self, step: &Step) -> Option<&Meeting> {
        self.vote_meeting
            .as_ref()
            .filter(|_| Self::is_vote(step))
            .map(|(m, _)| m)
    }

    /// The documents a step asks for, as the form lists them.
    fn documents_of(&self, step: &Step) -> String {
        self.policies
            .iter()
            .find(|(s, _, _)| s == step)
            .map(|(_, p, _)| p.documents.join("、"))
            .unwrap_or_default()
    }
}

async fn development_page(
    st: &AppState,
    viewer: &Viewer,
    id: PersonId,
    (notice, vote_meeting): (Option<&str>, Option<MeetingId>),
) -> Result<DevelopmentPage, AppError> {
    let actor = viewer.actor();
    let person = st.app.people().get(actor, id).await?;
    let v = st.app.development().of_person(actor, id).await?;
    let full_members = if v.may_record {
        let query = PeopleQuery {
            under: Some(person.org.id),
            status: Some(PersonStatus::Full),
            ..Default::default()
        };
        let paging = Paging::parse(Some(1), Some(200)).unwrap_or_default();
        st.app
            .people()
            .list(actor, &query, paging)
            .await?
            .items
            .into_iter()
            .filter(|r| r.person.id != id)
            .map(|r| (r.person.id, r.person.name))
            .collect()
    } else {
        Vec::new()
    };
    let votes = v.may_record && v.next_steps.iter().any(DevelopmentPage::is_vote);
    let vote_meetings = if votes {
        st.app
            .development()
            .vote_meetings(actor, person.org.id)
            .await?
    } else {
        Vec::new()
    };
    // A meeting not the branch's (or gone) is as none chosen: the list asks again.
    let vote_meeting = match vote_meeting {
        Some(m) if votes => match st
            .app
            .development()
            .proposed_roll(actor, person.org.id, m)
            .await
        {
            Ok(chosen) => Some(chosen),
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e),
        },
        _ => None,
    };

    Ok(DevelopmentPage {
        vote_meetings,
        vote_meeting,
        calls: RollCall::ALL,
        chrome: Chrome::new(
            viewer,
            format!("{} · 发展纪实", person.person.name),
            "people",
        )
        .with_notice(notice),
        p: person.person,
        v,
        full_members,
        bodies: DecisionBody::ALL,
        outcomes: ConfirmationOutcome::ALL,
        today: st.app.clock().today().to_string(),
        refused: None,
        training: st.app.development().person_training(actor, id).await?,
        reports: st
            .app
            .development()
            .person_thought_reports(actor, id)
            .await?,
        documents: DevelopmentDocument::ALL,
        policies: st.app.development().step_policies().await?,
        upload_refused: None,
    })
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PersonId>,
    Query(q): Query<DevelopmentQuery>,
) -> Result<DevelopmentPage, PageError> {
    Ok(development_page(&st, &viewer, id, (q.notice.as_deref(), q.vote_meeting)).await?)
}

/// The fields of a step's form, by name; repeated names (mentors, sponsors) all kept.
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.trim())
    }

    fn number(&self, key: &'static str, label: &'static str) -> Result<u32, FieldError> {
        let v = self.get(key);
        if v.is_empty() {
            return Ok(0);
        }
        v.parse()
            .map_err(|_| FieldError::new(key, label, "应为非负整数"))
    }

    /// The 支部党员大会 a vote was taken at, as its form carries it.
    fn meeting_id(&self) -> Option<MeetingId> {
        self.get("meeting_id").parse().ok().map(MeetingId::new)
    }

    /// The ballots as typed; who was entitled and who attended come from the roll.
    fn count(&self) -> Result<VoteCount, FieldError> {
        Ok(VoteCount {
            written: 0,
            entitled: 0,
            attending: 0,
            yes: self.number("yes", "赞成票")?,
            no: self.number("no", "反对票")?,
            abstain: self.number("abstain", "弃权票")?,
        })
    }

    fn input(&self) -> Result<StepInput, AppError> {
        let step = Step::parse(self.get("step"))
            .ok_or_else(|| FieldError::new("step", "步骤", "请选择要登记的步骤"))?;
        let on = dangjian_domain::people::parse_date(self.get("on"), "on", "日期")?
            .ok_or_else(|| FieldError::new("on", "日期", "请填写日期"))?;
        let body = match self.get("body") {
            "" => None,
            code => Some(
                DecisionBody::parse(code)
                    .ok_or_else(|| FieldError::new("body", "决定机关", "请选择决定机关"))?,
            ),
        };
        let detail = match step {
            Step::ActivistChosen => StepDetail::Recommendation {
                by_league: self.get("by_league") == "on",
            },
            Step::CandidateChosen => StepDetail::Hearing {
                group: self.get("heard_group") == "on",
                mentors: self.get("heard_mentors") == "on",
                members: self.get("heard_members") == "on",
                non_members: self.get("heard_non_members") == "on",
            },
            Step::BackgroundReview | Step::PreReview => StepDetail::Review {
                passed: match self.get("passed") {
                    "yes" => true,
                    "no" => false,
                    _ => return Err(FieldError::new("passed", "审查结论", "请选择审查结论").into()),
                },
            },
            Step::Training => StepDetail::Training {
                hours: self.number("hours", "培训学时")?,
                days: self.number("days", "培训天数")?,
            },
            Step::Publicity => StepDetail::Publicity {
                until: dangjian_domain::people::parse_date(
                    self.get("until"),
                    "until",
                    "公示截止日期",
                )?
                .ok_or_else(|| FieldError::new("until", "公示截止日期", "请填写"))?,
                objections: self.number("objections", "收到的反映")?,
                unresolved: self.number("unresolved", "未了结的反映")?,
            },
            Step::AdmissionVote => StepDetail::Vote {
                roll: Vec::new(),
                count: self.count()?,
                meeting_id: self.meeting_id(),
            },
            Step::ConfirmationVote => {
                let outcome = ConfirmationOutcome::parse(self.get("outcome"))
                    .ok_or_else(|| FieldError::new("outcome", "讨论结果", "请选择讨论结果"))?;
                StepDetail::Confirmation {
                    roll: Vec::new(),
                    count: self.count()?,
                    outcome,
                    extend_months: (outcome == ConfirmationOutcome::Extend)
                        .then(|| self.number("extend_months", "延长月数"))
                        .transpose()?,
                    meeting_id: self.meeting_id(),
                }
            }
            _ => StepDetail::Plain,
        };
        Ok(StepInput {
            step,
            on,
            body,
            detail,
            member_ids: self
                .0
                .iter()
                .filter(|(k, _)| k == "member_id")
                .filter_map(|(_, v)| v.parse().ok())
                .collect(),
            roll: self
                .0
                .iter()
                .filter_map(|(k, v)| {
                    let id = k.strip_prefix("roll_")?.parse().ok()?;
                    Some((id, RollCall::parse(v)?))
                })
                .collect(),
            note: self.get("note").to_owned(),
            override_reason: Some(self.get("override_reason").to_owned()),
        })
    }
}

/// Records one step from its form.
pub(crate) async fn record(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PersonId>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let fields = Fields(serde_urlencoded::from_bytes(&body).unwrap_or_default());
    let result = async {
        let input = fields.input()?;
        st.app
            .development()
            .record_step(viewer.actor(), id, input)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(after(
            &format!("/people/{id}/development"),
            DevelopmentNotice::StepRecorded,
        )
        .into_response()),
        Err(e) => {
            let message = super::refusal(e)?;
            let mut page = development_page(&st, &viewer, id, (None, fields.meeting_id())).await?;
            let step = Step::parse(fields.get("step")).unwrap_or(Step::Application);
            page.refused = Some((step, message));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "development/development_board.html")]
pub(crate) struct BoardPage {
    chrome: Chrome,
    org: dangjian_domain::org::Org,
    board: Board,
    funnel: Funnel,
    accountable: Vec<Accountable>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct BoardQuery {
    #[serde(deserialize_with = "super::empty_as_none")]
    year: Option<i32>,
}

/// The development board of an organization's subtree: people by stage, and what is due.
pub(crate) async fn board(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<BoardQuery>,
) -> Result<BoardPage, PageError> {
    let actor = viewer.actor();
    let org = st.app.org().get(actor, id).await?;
    let board = st.app.development().board(actor, id).await?;
    let year = q
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&st.app.clock().today()));
    let funnel = st.app.development().funnel(actor, id, year).await?;
    let accountable = st.app.development().accountability(actor, id).await?;
    Ok(BoardPage {
        accountable,
        chrome: Chrome::new(&viewer, format!("{} · 发展党员", org.name), "orgs"),
        org,
        board,
        funnel,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "development/calendar.html")]
pub(crate) struct CalendarPage {
    chrome: Chrome,
    /// (day, worked, note), in date order.
    days: Vec<(chrono::NaiveDate, bool, String)>,
    may_keep: bool,
    message: Option<String>,
}

async fn calendar_page(
    st: &AppState,
    viewer: &Viewer,
    notice: Option<&str>,
) -> Result<CalendarPage, AppError> {
    let days = st
        .app
        .development()
        .calendar_days()
        .await?
        .into_iter()
        .map(|(d, note)| (d.on, d.working, note))
        .collect();
    Ok(CalendarPage {
        chrome: Chrome::new(viewer, "节假日安排", "orgs").with_notice(notice),
        days,
        may_keep: st.app.development().may_keep_calendar(viewer.actor()),
        message: None,
    })
}

/// The official calendar the working-day rules count on.
pub(crate) async fn calendar(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<CalendarPage, PageError> {
    Ok(calendar_page(&st, &viewer, q.notice.as_deref()).await?)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct CalendarForm {
    on: String,
    /// `off`, `worked`, or `remove`.
    kind: String,
    note: String,
}

/// Adds, changes or removes a day of the calendar (organization department).
pub(crate) async fn set_calendar(
    State(st): State<AppState>,
    viewer: Viewer,
    axum::Form(f): axum::Form<CalendarForm>,
) -> Result<Response, PageError> {
    let actor = viewer.actor();
    let result = async {
        let on = dangjian_domain::people::parse_date(&f.on, "on", "日期")?
            .ok_or_else(|| FieldError::new("on", "日期", "请填写日期"))?;
        match f.kind.as_str() {
            "remove" => st.app.development().remove_calendar_day(actor, on).await,
            kind @ ("off" | "worked") => {
                let day = dangjian_domain::calendar::CalendarDay {
                    on,
                    working: kind == "worked",
                };
                st.app
                    .development()
                    .set_calendar_day(actor, day, &f.note)
                    .await
                    .map(drop)
            }
            _ => Err(FieldError::new("kind", "安排", "请选择放假、调休上班或删除").into()),
        }
    }
    .await;
    match result {
        Ok(()) => Ok(after("/calendar", PlatformNotice::Saved).into_response()),
        Err(e) => {
            let message = super::refusal(e)?;
            let mut page = calendar_page(&st, &viewer, None).await?;
            page.message = Some(message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The year's development figures as a spreadsheet.
pub(crate) async fn funnel_xlsx(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let year = q
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&st.app.clock().today()));
    let bytes = st
        .app
        .development()
        .funnel_xlsx(viewer.actor(), id, year)
        .await?;
    Ok(crate::download::xlsx(
        "发展党员情况.xlsx",
        "development",
        bytes,
    ))
}

/// A standard document of a person's development record, as a Word file.
pub(crate) async fn document(
    State(st): State<AppState>,
    viewer: Viewer,
    Path((id, file)): Path<(PersonId, String)>,
) -> Result<Response, PageError> {
    let doc = file
        .strip_suffix(".docx")
        .and_then(DevelopmentDocument::parse)
        .ok_or(AppError::NotFound)?;
    let (name, bytes) = st
        .app
        .development()
        .document(viewer.actor(), id, doc)
        .await?;
    Ok(crate::download::docx(&name, doc.code(), bytes))
}

/// Keeps a file as one of a recorded step's documents.
pub(crate) async fn upload(
    State(st): State<AppState>,
    viewer: Viewer,
    Path((id, step_id)): Path<(PersonId, i64)>,
    headers: axum::http::HeaderMap,
    multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let result = async {
        let target = (
            dangjian_app::UploadTarget::StepDocument(id, step_id),
            "附件",
        );
        let (name, bytes, fields) =
            super::read_upload(&st, &viewer, target, &headers, multipart).await?;
        let label = fields
            .iter()
            .find(|(k, _)| k == "label")
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty());
        st.app
            .attachments()
            .upload_step_document(viewer.actor(), (id, step_id), label, &name, &bytes)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(after(
            &format!("/people/{id}/development#step-{step_id}"),
            PlatformNotice::Uploaded,
        )
        .into_response()),
        Err(e) => {
            let message = super::refusal(e)?;
            let mut page = development_page(&st, &viewer, id, (None, None)).await?;
            page.upload_refused = Some((step_id, message));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
