//! Organizational life (组织生活): planning a meeting with its expected attendees, taking the
//! roll, recording it as held with its minutes, locking it, adding corrections; and the
//! compliance of a subtree with the rules of RULES.md §2 for a month.

mod calendar;
mod compliance_calendar;
pub mod digest;
mod figures;
pub(crate) mod ledger;
mod member_life;
mod record_book;
mod talks;

pub use calendar::CalendarEntry;
pub use compliance_calendar::{CalendarCell, CalendarRow, ComplianceCalendar};
pub use figures::{KindFigures, MeetingFigures};
pub use member_life::{MemberLife, MemberYear};
pub use record_book::{BookPart, BookTable, RecordBook};
pub(crate) use record_book::{BookSection, Parts, Place};
pub use talks::{HeartTalks, TalkView};

use crate::notification::Notification;
use crate::{Actor, App, AppError, Result, secret};
use chrono::{Datelike, NaiveDate};
use dangjian_domain::FieldError;
use dangjian_domain::ids::{MeetingId, OrgId, PersonId};
use dangjian_domain::ledgers::Gap;
use dangjian_domain::meetings::trail;
use dangjian_domain::meetings::{
    Attendance, GROUP_REQUIREMENTS, Held, Kept, LifeRules, Meeting, MeetingKind, MeetingPlan,
    MeetingState, Requirement, branch_requirements, check_in, check_in_ended, check_lecturer,
    committee_quorum, kept, transition,
};
pub use dangjian_domain::meetings::{AttendanceRow, Correction};
use dangjian_domain::org::{Org, OrgKind, has_committee};
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::people::PersonStatus;
use dangjian_domain::platform::role::Action;
use dangjian_store::Visible;
use dangjian_store::attachment::Attachment;
use dangjian_store::meetings as store;
use dangjian_store::org as org_store;
use dangjian_store::people as people_store;
use serde_json::json;
use std::collections::{BTreeSet, HashMap};

/// The rules missed in `months`, each once per organization, rule and period, as the ledgers'
/// gaps; an organization other than `own` is named.
pub(crate) fn missed_gaps(months: &[(u32, Vec<ComplianceRow>)], own: OrgId) -> Vec<Gap> {
    let mut seen = std::collections::HashSet::new();
    months
        .iter()
        .flat_map(|(_, rows)| rows)
        .filter(|r| r.kept == Kept::Missed && seen.insert((r.org_id, r.rule, r.period)))
        .map(|r| Gap::Missed {
            org_name: (r.org_id != own).then(|| r.org_name.clone()),
            rule: r.rule,
            period: r.period,
        })
        .collect()
}

/// Whose standing a compliance reading covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every branch and group of the subtree.
    Subtree,
    /// The organization alone (its record book).
    Own,
}

/// The most organizations a compliance page looks at; deeper subtrees are read from below.
pub const COMPLIANCE_ORGS: u64 = 2_000;
/// The most meetings of one organization a record book prints in a year (more than three a
/// working day); a book with more says that it was cut.
pub const RECORD_BOOK_MEETINGS: u64 = 1_000;

/// A meeting as its page shows it.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub meeting: Meeting,
    pub org_name: String,
    /// Each expected attendee with their name.
    pub attendance: Vec<(AttendanceRow, String)>,
    pub corrections: Vec<Correction>,
    /// Photos of the meeting.
    pub photos: Vec<Attachment>,
    pub may_write: bool,
    /// Whether the actor confirms the record as the organization's secretary.
    pub may_confirm: bool,
}

impl MeetingView {
    /// How many checked in with their code before the roll was taken.
    pub fn checked_in(&self) -> usize {
        if self.meeting.state != MeetingState::Planned {
            return 0;
        }
        self.attendance
            .iter()
            .filter(|(a, _)| a.status == Attendance::Present)
            .count()
    }
}

/// The branches and party groups of a subtree that missed a rule of organizational life in a
/// month.
#[derive(Debug, Clone)]
pub struct ComplianceSummary {
    /// The month's first day.
    pub month: NaiveDate,
    /// Branches and party groups judged.
    pub branches: usize,
    /// Each one with a miss: its id, name, and the meetings it missed.
    pub missed: Vec<(OrgId, String, Vec<&'static str>)>,
}

/// Messages of this kind tell the expected attendees of a planned meeting.
pub const MEETING_NOTICE: &str = "meeting_notice";

/// A check-in code handed to one expected attendee, shown once.
#[derive(Debug, Clone)]
pub struct IssuedCheckIn {
    pub person_id: PersonId,
    pub name: String,
    pub code: String,
}

/// A check-in code's meeting and holder, and why it cannot be used now, if it cannot.
#[derive(Debug, Clone)]
pub struct CheckInView {
    pub name: String,
    pub org_name: String,
    pub plan: MeetingPlan,
    pub refusal: Option<String>,
}

fn unknown_code() -> AppError {
    AppError::Rule {
        code: dangjian_domain::RuleCode::MeetingsCheckInCodeInvalid,
        field: Some("code"),
        message: "签到码无效，请向会议记录人索取新的签到码".to_owned(),
        basis: "签到码一人一码",
    }
}

/// One organization's standing against one rule in the month's periods.
#[derive(Debug, Clone)]
pub struct ComplianceRow {
    pub org_id: OrgId,
    pub org_name: String,
    pub rule: Requirement,
    /// The period the month falls in.
    pub period: (NaiveDate, NaiveDate),
    pub kept: Kept,
}

capability!(
    /// 组织生活: meetings, check-in, compliance, talks, the record book, calendars.
    MeetingCases,
    meetings
);

impl MeetingCases<'_> {
    /// Whether the reader may plan and record the meetings of `org`: while it is active.
    pub fn may_write(self, actor: &Actor, org: &Org) -> bool {
        actor.access.can_change(Action::WriteRecords, org)
    }

    /// Plans a meeting of an organization the actor keeps records for; everyone expected is
    /// listed, absent until the roll is taken: the committee for a committee meeting, the
    /// group's people for a group meeting, the members otherwise.
    pub async fn plan(self, actor: &Actor, org_id: OrgId, plan: MeetingPlan) -> Result<Meeting> {
        let db = self.store.db();
        let org = self.active_org_to_write(actor, org_id).await?;
        check_lecturer(&plan)?;
        let mut plan = plan;
        // A lecturer from the roster is named as the roster names them, and only one the
        // actor may read.
        if let Some(lecturer) = plan.lecturer.as_mut()
            && let Some(id) = lecturer.person_id
        {
            let person = people_store::find(db, &actor.access, Action::ReadRecords, id)
                .await?
                .ok_or_else(|| FieldError::new("lecturer_id", "讲课人", "名册中没有此人"))?;
            lecturer.name = person.person.name;
        }
        let ahead = chrono::Duration::days(dangjian_domain::calendar::PLAN_AHEAD_DAYS);
        if plan.starts_at.date() > self.today() + ahead {
            return Err(FieldError::new("starts_at", "时间", "最多提前一年计划会议").into());
        }
        let members = |people: Vec<(PersonId, PersonStatus)>| -> Vec<PersonId> {
            people
                .into_iter()
                .filter(|(_, s)| s.is_member())
                .map(|(id, _)| id)
                .collect()
        };
        let expected: Vec<PersonId> = match (plan.kind, org.kind) {
            (MeetingKind::CommitteeMeeting, _) => {
                dangjian_store::position::committee(db, &actor.access, org.id)
                    .await?
                    .into_iter()
                    .map(|s| s.person_id)
                    .collect()
            }
            (MeetingKind::GroupMeeting, OrgKind::Group) => {
                members(people_store::current_of_group(db, org.id).await?)
            }
            (MeetingKind::GroupMeeting, _) => {
                return Err(FieldError::new("kind", "会议类型", "党小组会由党小组召开").into());
            }
            _ => members(people_store::current_of_org(db, org.id).await?),
        };
        let mut expected = expected;
        expected.sort_unstable();
        expected.dedup();
        // A member whose membership is suspended (停止党籍) takes no part in organizational life.
        let suspended =
            dangjian_store::whereabouts::suspended_among(db, &expected, plan.starts_at.date())
                .await?;
        expected.retain(|p| !suspended.contains(p));
        let meeting = Meeting {
            id: MeetingId::new(self.new_id()),
            org_id: org.id,
            org_path: org.path.clone(),
            plan,
            minutes: String::new(),
            resolutions: String::new(),
            state: MeetingState::Planned,
            recorded_by_name: self.development().answerable_name(actor).await?,
            locked_at: None,
            locked_by_name: None,
            created_at: self.now_ms(),
        };
        let notices = self.meeting_notices(&meeting, &org.name, &expected).await?;
        let tx = self.store.begin_write().await?;
        store::insert(&tx, &meeting, &expected).await?;
        dangjian_store::notification::insert_many(&tx, &notices).await?;
        let audit = actor.record(
            dangjian_domain::meetings::trail::PLAN,
            Some(meeting.id.get()),
            Some(org.path.as_str()),
            None,
            Some(json!({ "meeting": meeting, "expected": expected, "notified": notices.len() })),
        );
        self.finish(tx, audit).await?;
        Ok(meeting)
    }

    /// Whom a plan's form offers as lecturer (讲课人) of a meeting of `org`: its sitting
    /// committee, secretary first and named with their seat, then its members by name.
    pub async fn lecturers(self, actor: &Actor, org: &Org) -> Result<Vec<(PersonId, String)>> {
        if !self.may_write(actor, org) {
            return Ok(Vec::new());
        }
        let db = self.store.db();
        let seats = dangjian_store::position::committee(db, &actor.access, org.id).await?;
        let mut members: Vec<PersonId> = people_store::current_of_org(db, org.id)
            .await?
            .into_iter()
            .filter(|(id, s)| s.is_member() && !seats.iter().any(|seat| seat.person_id == *id))
            .map(|(id, _)| id)
            .collect();
        let seated: Vec<PersonId> = seats.iter().map(|s| s.person_id).collect();
        let names = people_store::names(db, &[&seated[..], &members[..]].concat()).await?;
        let name = |id: &PersonId| names.get(id).cloned().unwrap_or_default();
        members.sort_by_key(|id| name(id));
        let mut out: Vec<(PersonId, String)> = Vec::new();
        for s in &seats {
            if !out.iter().any(|(id, _)| *id == s.person_id) {
                out.push((
                    s.person_id,
                    format!("{}（{}）", name(&s.person_id), s.position.label()),
                ));
            }
        }
        out.extend(members.iter().map(|id| (*id, name(id))));
        Ok(out)
    }

    /// An organization the actor keeps records for, not dissolved: the only kind whose
    /// organizational life is still recorded.
    async fn active_org_to_write(self, actor: &Actor, org_id: OrgId) -> Result<Org> {
        let org = org_store::find(self.store.db(), &actor.access, Action::WriteRecords, org_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !org.is_active() {
            return Err(AppError::Conflict {
                field: "org_id",
                message: format!("{} 已撤销，不能再登记组织生活", org.name),
            });
        }
        Ok(org)
    }

    /// The meeting notice (会议通知) for each expected attendee who has an account.
    async fn meeting_notices(
        self,
        meeting: &Meeting,
        org_name: &str,
        expected: &[PersonId],
    ) -> Result<Vec<Notification>> {
        let accounts = people_store::accounts_of(self.store.db(), expected).await?;
        let plan = &meeting.plan;
        let mut body = format!(
            "{org_name}定于 {} 在{}召开{}。",
            plan.starts_at.format("%Y-%m-%d %H:%M"),
            plan.place,
            plan.kind.label()
        );
        if let Some(first) = &plan.first_agenda_item {
            body.push_str(&format!("\n第一议题：{first}"));
        }
        for item in &plan.agenda {
            body.push_str(&format!("\n议程：{item}"));
        }
        body.push_str("\n不能参加的，请向支部书记请假。");
        Ok(expected
            .iter()
            .filter_map(|p| accounts.get(p))
            .map(|account| {
                self.notifications().message(
                    *account,
                    (MEETING_NOTICE, self.today()),
                    (format!("会议通知：{}", plan.topic), body.clone()),
                    None,
                )
            })
            .collect())
    }

    /// Issues a one-time check-in code (签到码) to each expected attendee not yet present, to
    /// be scanned on their phone; the unused codes issued before stop working. The codes are
    /// shown once: only their hashes are kept.
    pub async fn issue_check_ins(self, actor: &Actor, id: MeetingId) -> Result<Vec<IssuedCheckIn>> {
        let now = self.clock.local_now();
        let tx = self.store.begin_write().await?;
        let meeting = self.writable_meeting(actor, &tx, id).await?;
        if check_in_ended(meeting.state, meeting.plan.starts_at, now) {
            return Err(AppError::Conflict {
                field: "code",
                message: "会议签到已结束，不能再发放签到码".to_owned(),
            });
        }
        let absent: Vec<PersonId> = store::attendance(tx.conn(), &meeting)
            .await?
            .into_iter()
            .filter(|r| r.status != Attendance::Present)
            .map(|r| r.person_id)
            .collect();
        let names = people_store::names(tx.conn(), &absent).await?;
        let mut issued: Vec<IssuedCheckIn> = absent
            .iter()
            .map(|p| IssuedCheckIn {
                person_id: *p,
                name: names.get(p).cloned().unwrap_or_default(),
                code: secret::token(),
            })
            .collect();
        issued.sort_by(|a, b| a.name.cmp(&b.name));
        let hashes: Vec<(String, PersonId)> = issued
            .iter()
            .map(|c| (secret::token_hash(&c.code), c.person_id))
            .collect();
        store::replace_check_ins(&tx, id, &hashes, self.now_ms()).await?;
        let audit = actor.record(
            dangjian_domain::meetings::trail::CHECK_IN_CODES,
            Some(id.get()),
            Some(meeting.org_path.as_str()),
            None,
            Some(json!({ "issued_to": absent })),
        );
        self.finish(tx, audit).await?;
        Ok(issued)
    }

    /// What a check-in code is for, before it is used; no sign-in needed, the code is the
    /// holder's authority.
    pub async fn check_in_code(self, code: &str) -> Result<CheckInView> {
        let db = self.store.db();
        let (code_row, meeting) = store::meeting_of_check_in(db, &secret::token_hash(code))
            .await?
            .ok_or_else(unknown_code)?;
        let refusal = check_in(
            meeting.state,
            meeting.plan.starts_at,
            self.clock.local_now(),
            code_row.used_at.is_some(),
        )
        .err()
        .map(|e| e.to_string());
        self.check_in_view(code_row.person_id, meeting, refusal)
            .await
    }

    /// The meeting and holder's name a code shows.
    async fn check_in_view(
        self,
        person_id: PersonId,
        meeting: Meeting,
        refusal: Option<String>,
    ) -> Result<CheckInView> {
        let db = self.store.db();
        Ok(CheckInView {
            name: people_store::names(db, &[person_id])
                .await?
                .remove(&person_id)
                .unwrap_or_default(),
            org_name: org_store::by_ids(db, &[meeting.org_id])
                .await?
                .remove(&meeting.org_id)
                .map(|o| o.name)
                .unwrap_or_default(),
            plan: meeting.plan,
            refusal,
        })
    }

    /// Checks the code's holder in as present: once, within the window, before the lock.
    pub async fn check_in_with_code(
        self,
        code: &str,
        client_ip: Option<String>,
    ) -> Result<CheckInView> {
        let hash = secret::token_hash(code);
        let tx = self.store.begin_write().await?;
        let (code_row, meeting) = store::meeting_of_check_in(tx.conn(), &hash)
            .await?
            .ok_or_else(unknown_code)?;
        // Marked used first: a second tap racing this one finds it used; a refusal below
        // rolls the mark back with everything else.
        let fresh = store::use_check_in(&tx, &hash, self.now_ms()).await?;
        check_in(
            meeting.state,
            meeting.plan.starts_at,
            self.clock.local_now(),
            !fresh,
        )?;
        let row = AttendanceRow {
            person_id: code_row.person_id,
            status: Attendance::Present,
            reason: String::new(),
        };
        store::set_attendance(&tx, meeting.id, std::slice::from_ref(&row)).await?;
        // Names only, read beside the write: nothing this transaction changes.
        let view = self
            .check_in_view(code_row.person_id, meeting.clone(), None)
            .await?;
        let holder = Actor {
            account_id: None,
            name: format!("{}（签到码）", view.name),
            access: dangjian_domain::platform::role::Access::default(),
            client_ip,
        };
        let audit = holder.record(
            dangjian_domain::meetings::trail::CHECK_IN,
            Some(meeting.id.get()),
            Some(meeting.org_path.as_str()),
            None,
            Some(json!(row)),
        );
        self.finish(tx, audit).await?;
        Ok(view)
    }

    /// A meeting with its roll and corrections.
    pub async fn get(self, actor: &Actor, id: MeetingId) -> Result<MeetingView> {
        let meeting = store::find(self.store.db(), &actor.access, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.views(actor, vec![meeting])
            .await?
            .pop()
            .ok_or(AppError::NotFound)
    }

    /// Meetings the actor read, each with its roll, corrections and photos, in their order:
    /// a few queries for all of them, however many.
    pub(crate) async fn views(
        self,
        actor: &Actor,
        meetings: Vec<Visible<Meeting>>,
    ) -> Result<Vec<MeetingView>> {
        let db = self.store.db();
        let mut rolls = store::attendances(db, &meetings).await?;
        let mut corrections = store::corrections(db, &meetings).await?;
        let people: BTreeSet<PersonId> = rolls.values().flatten().map(|r| r.person_id).collect();
        let names = people_store::names(db, &people.into_iter().collect::<Vec<_>>()).await?;
        let orgs: BTreeSet<OrgId> = meetings.iter().map(|m| m.org_id).collect();
        let orgs = org_store::by_ids(db, &orgs.into_iter().collect::<Vec<_>>()).await?;
        let ids: Vec<i64> = meetings.iter().map(|m| m.id.get()).collect();
        let mut photos: HashMap<i64, Vec<Attachment>> = HashMap::new();
        for p in
            dangjian_store::attachment::of_records(db, &actor.access, trail::MEETING, &ids).await?
        {
            photos.entry(p.entity_id).or_default().push(p);
        }
        Ok(meetings
            .into_iter()
            .map(|meeting| {
                let mut attendance: Vec<(AttendanceRow, String)> = rolls
                    .remove(&meeting.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| {
                        let name = names.get(&r.person_id).cloned().unwrap_or_default();
                        (r, name)
                    })
                    .collect();
                attendance.sort_by(|a, b| a.1.cmp(&b.1));
                MeetingView {
                    photos: photos.remove(&meeting.id.get()).unwrap_or_default(),
                    may_write: actor.access.can_at(Action::WriteRecords, &meeting.org_path),
                    may_confirm: actor
                        .access
                        .can_at(Action::ConfirmRecords, &meeting.org_path),
                    corrections: corrections.remove(&meeting.id).unwrap_or_default(),
                    org_name: orgs
                        .get(&meeting.org_id)
                        .map(|o| o.name.clone())
                        .unwrap_or_default(),
                    attendance,
                    meeting: meeting.into_inner(),
                }
            })
            .collect())
    }

    /// A meeting the actor may write, read under the write lock.
    async fn writable_meeting(
        self,
        actor: &Actor,
        tx: &dangjian_store::WriteTx,
        id: MeetingId,
    ) -> Result<Visible<Meeting>> {
        let meeting = store::find(tx.conn(), &actor.access, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.access.can_at(Action::WriteRecords, &meeting.org_path) {
            return Err(AppError::Forbidden("记录该组织的会议"));
        }
        Ok(meeting)
    }

    /// Records the meeting as held, with its roll and minutes: only once its time has come;
    /// a committee meeting only with more than half its members present.
    pub async fn hold(
        self,
        actor: &Actor,
        id: MeetingId,
        roll: &[(PersonId, Attendance, String)],
        (minutes, resolutions): (&str, &str),
    ) -> Result<Meeting> {
        let minutes = minutes.trim();
        if minutes.is_empty() {
            return Err(FieldError::new("minutes", "会议记录", "请填写会议记录").into());
        }
        if minutes.chars().count() > 20_000 || resolutions.chars().count() > 5_000 {
            return Err(FieldError::new("minutes", "会议记录", "过长").into());
        }
        let now = self.clock.local_now();
        let tx = self.store.begin_write().await?;
        let before = self.writable_meeting(actor, &tx, id).await?;
        transition(before.state, MeetingState::Held, before.plan.starts_at, now)?;
        let expected = store::attendance(tx.conn(), &before).await?;
        let mut rows = Vec::with_capacity(roll.len());
        for (person_id, status, reason) in roll {
            if !expected.iter().any(|r| r.person_id == *person_id) {
                return Err(FieldError::new("attendance", "出勤", "名单中有不应参会的人员").into());
            }
            rows.push(AttendanceRow {
                person_id: *person_id,
                status: *status,
                reason: dangjian_domain::text::optional_line(reason, "reason", "请假事由", 200)?
                    .unwrap_or_default(),
            });
        }
        if before.plan.kind == MeetingKind::CommitteeMeeting {
            let present = rows
                .iter()
                .filter(|r| r.status == Attendance::Present)
                .count();
            committee_quorum(expected.len(), present)?;
        }
        let after = Meeting {
            minutes: minutes.to_owned(),
            resolutions: resolutions.trim().to_owned(),
            state: MeetingState::Held,
            ..(*before).clone()
        };
        store::set_attendance(&tx, id, &rows).await?;
        store::update(&tx, &after).await?;
        let audit = actor.record(
            dangjian_domain::meetings::trail::HELD,
            Some(id.get()),
            Some(after.org_path.as_str()),
            Some(json!(*before)),
            Some(json!({ "meeting": after, "attendance": rows })),
        );
        self.finish(tx, audit).await?;
        Ok(after)
    }

    /// Locks a held meeting's record: the secretary confirms it, nobody else.
    pub async fn lock(self, actor: &Actor, id: MeetingId) -> Result<Meeting> {
        let now = self.clock.local_now();
        let name = self.development().answerable_name(actor).await?;
        let tx = self.store.begin_write().await?;
        let before = self.writable_meeting(actor, &tx, id).await?;
        if !actor
            .access
            .can_at(Action::ConfirmRecords, &before.org_path)
        {
            return Err(AppError::Forbidden("会议记录须由书记确认"));
        }
        transition(
            before.state,
            MeetingState::Locked,
            before.plan.starts_at,
            now,
        )?;
        let after = Meeting {
            state: MeetingState::Locked,
            locked_at: Some(self.now_ms()),
            locked_by_name: Some(name),
            ..(*before).clone()
        };
        store::update(&tx, &after).await?;
        let audit = actor.record(
            dangjian_domain::meetings::trail::LOCK,
            Some(id.get()),
            Some(after.org_path.as_str()),
            None,
            Some(json!({ "locked_by": after.locked_by_name })),
        );
        self.finish(tx, audit).await?;
        Ok(after)
    }

    /// Adds a correction to a locked record: the record itself stays as it was confirmed.
    pub async fn correct(self, actor: &Actor, id: MeetingId, text: &str) -> Result<Correction> {
        let text = dangjian_domain::text::single_line(text, "text", "更正内容", 2_000)?;
        let name = self.development().answerable_name(actor).await?;
        let tx = self.store.begin_write().await?;
        let meeting = self.writable_meeting(actor, &tx, id).await?;
        if meeting.state != MeetingState::Locked {
            return Err(AppError::Conflict {
                field: "text",
                message: "会议记录确认前可直接修改，确认后才需补充更正".to_owned(),
            });
        }
        let correction = Correction {
            id: self.new_id(),
            meeting_id: id,
            text,
            recorded_by_name: name,
            created_at: self.now_ms(),
        };
        store::insert_correction(&tx, &correction).await?;
        let audit = actor.record(
            dangjian_domain::meetings::trail::CORRECT,
            Some(id.get()),
            Some(meeting.org_path.as_str()),
            None,
            Some(json!(correction)),
        );
        self.finish(tx, audit).await?;
        Ok(correction)
    }

    /// One page of the meetings of an organization's subtree in a year, newest first, with
    /// the count of them all.
    pub async fn of_org(
        self,
        actor: &Actor,
        org_id: OrgId,
        year: i32,
        paging: Paging,
    ) -> Result<Page<Meeting>> {
        let org = self.org().get(actor, org_id).await?;
        Ok(store::page_of_subtree(
            self.store.db(),
            &actor.access,
            &org.path,
            App::year_span(year)?,
            paging,
        )
        .await?)
    }

    /// The branches of a subtree that missed a rule in the month of `day`.
    pub async fn compliance_summary(
        self,
        actor: &Actor,
        org_id: OrgId,
        day: NaiveDate,
    ) -> Result<ComplianceSummary> {
        let rows = self.compliance(actor, org_id, day).await?;
        let mut missed: Vec<(OrgId, String, Vec<&'static str>)> = Vec::new();
        let mut branches = std::collections::HashSet::new();
        for r in rows {
            branches.insert(r.org_id);
            if r.kept != Kept::Missed {
                continue;
            }
            match missed.iter_mut().find(|(id, _, _)| *id == r.org_id) {
                Some((_, _, kinds)) => kinds.push(r.rule.label()),
                None => missed.push((r.org_id, r.org_name, vec![r.rule.label()])),
            }
        }
        Ok(ComplianceSummary {
            month: day.with_day(1).unwrap_or(day),
            branches: branches.len(),
            missed,
        })
    }

    /// How each branch and party group of a subtree stands against the rules of RULES.md §2 in
    /// the periods that hold `day`'s month: kept, still open, or missed.
    pub async fn compliance(
        self,
        actor: &Actor,
        org_id: OrgId,
        day: NaiveDate,
    ) -> Result<Vec<ComplianceRow>> {
        Ok(self
            .compliance_months(
                actor,
                org_id,
                day.year(),
                day.month()..=day.month(),
                Reach::Subtree,
            )
            .await?
            .pop()
            .map(|(_, rows)| rows)
            .unwrap_or_default())
    }

    /// The same for each of `months` of `year`, with one read of the year's meetings for all:
    /// the subtree's branches and groups, or the organization's own standing only.
    pub async fn compliance_months(
        self,
        actor: &Actor,
        org_id: OrgId,
        year: i32,
        months: std::ops::RangeInclusive<u32>,
        reach: Reach,
    ) -> Result<Vec<(u32, Vec<ComplianceRow>)>> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的组织生活"));
        }
        let db = self.store.db();
        let mut branches = match reach {
            Reach::Subtree => {
                org_store::subtrees(
                    db,
                    &actor.access,
                    std::slice::from_ref(&org.path),
                    COMPLIANCE_ORGS,
                )
                .await?
            }
            Reach::Own => vec![org.clone()],
        };
        branches.retain(|o| matches!(o.kind, OrgKind::Branch | OrgKind::Group) && o.is_active());
        // An organization that owes no meetings of its own needs no reading of its meetings.
        let span = App::year_span(year)?;
        let (held, secretaries) = if branches.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            (
                store::held_in(db, &actor.access, &org.path, span).await?,
                dangjian_store::position::secretaries_during(db, &actor.access, &org.path, span)
                    .await?,
            )
        };
        // A group is named with its branch: every branch has a 第一党小组.
        let names: std::collections::HashMap<OrgId, String> =
            branches.iter().map(|o| (o.id, o.name.clone())).collect();
        let name_of = |o: &dangjian_domain::org::Org| match (o.kind, o.parent_id) {
            (OrgKind::Group, Some(parent)) => names
                .get(&parent)
                .map_or_else(|| o.name.clone(), |b| format!("{b} {}", o.name)),
            _ => o.name.clone(),
        };
        let mut by_org: std::collections::HashMap<OrgId, Vec<Held>> =
            std::collections::HashMap::new();
        for h in held {
            // The secretary's lecture is one their organization's secretary of that day gave.
            let by_secretary = h.lecturer_id.is_some_and(|lecturer| {
                secretaries
                    .iter()
                    .any(|s| s.org_id == h.org_id && s.person_id == lecturer && s.sat_on(h.on))
            });
            by_org.entry(h.org_id).or_default().push(Held {
                kind: h.kind,
                on: h.on,
                by_secretary,
            });
        }
        let committees = if branches.is_empty() {
            Default::default()
        } else {
            dangjian_store::position::committee_sizes(db, &actor.access, &org.path).await?
        };
        let today = self.today();
        let settings = self.settings().current().await?;
        let mut out = Vec::new();
        for month in months {
            let day = NaiveDate::from_ymd_opt(year, month, 1)
                .ok_or_else(|| FieldError::new("month", "月份", "应为 1 至 12 月"))?;
            // Each month is judged by the rules in force on its first day.
            let rules = branch_requirements(LifeRules::in_force(&settings.on(day)));
            let mut rows = Vec::new();
            for b in &branches {
                let mine = by_org.get(&b.id).map_or(&[][..], Vec::as_slice);
                let of_kind: &[Requirement] = if b.kind == OrgKind::Group {
                    &GROUP_REQUIREMENTS
                } else {
                    &rules
                };
                let seats = committees.get(&b.id).copied().unwrap_or(0);
                let has_committee = has_committee(usize::try_from(seats).unwrap_or(usize::MAX));
                for rule in of_kind.iter().copied() {
                    // What the organization does not owe is neither kept nor missed.
                    if !rule.owed(b.founded_on, has_committee, day) {
                        continue;
                    }
                    rows.push(ComplianceRow {
                        org_id: b.id,
                        org_name: name_of(b),
                        period: rule.period(day),
                        kept: kept(&rule, mine, day, today),
                        rule,
                    });
                }
            }
            out.push((month, rows));
        }
        Ok(out)
    }
}
