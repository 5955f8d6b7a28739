//! Member development (发展党员全程纪实): recording a person's steps by the rules of the
//! 细则, the record's timeline and what is due next, and the working-day calendar.

use crate::{Actor, AppError, Result};
use dangjian_domain::calendar::{CalendarDay, WorkCalendar};
pub use dangjian_domain::development::StepRecord;
use dangjian_domain::development::policy::{Recorder, StepPolicy};
use dangjian_domain::development::trail;
use dangjian_domain::development::training::TrainingCredit;
use dangjian_domain::development::vote;
use dangjian_domain::development::{
    ConfirmationOutcome, Context, DecisionBody, DevelopmentRules, History, RollCall, RollEntry,
    Stage, Step, StepDetail, StepEntry, VoteCount, Voucher, is_due_soon,
};
use dangjian_domain::ids::{MeetingId, OrgId, PersonId};
use dangjian_domain::meetings::{AttendanceRow, Meeting, MeetingKind};
use dangjian_domain::org::OrgPath;
use dangjian_domain::people::PersonStatus;
use dangjian_domain::platform::role::Action;
use dangjian_domain::{FieldError, text};
pub use dangjian_store::attachment::Attachment;
use dangjian_store::development as store;

pub mod digest;
mod documents;
pub(crate) mod ledger;
use dangjian_store::people as people_store;
use dangjian_store::position as position_store;
pub use documents::DevelopmentDocument;
use serde_json::json;

/// A step as a person asks to record it.
#[derive(Debug, Clone)]
pub struct StepInput {
    pub step: Step,
    pub on: chrono::NaiveDate,
    /// The decision body, when not the step's default (steps 3 and 7 where the branch has no
    /// committee: the general meeting).
    pub body: Option<DecisionBody>,
    pub detail: StepDetail,
    /// Mentors (step 5) or sponsors (step 9), by person id.
    pub member_ids: Vec<PersonId>,
    /// The roll of a vote (steps 15 and 23): each full member entitled to vote and how they
    /// took part; every vote carries one.
    pub roll: Vec<(PersonId, RollCall)>,
    pub note: String,
    /// Why a deadline was passed: only the organization department may record it so.
    pub override_reason: Option<String>,
}

/// A person's development record as their pages show it.
#[derive(Debug, Clone)]
pub struct DevelopmentView {
    pub steps: Vec<StepRecord>,
    pub stage: Stage,
    pub ended: bool,
    pub next_steps: Vec<Step>,
    /// Of `next_steps`, those the reader may not record, with who does (the committee above,
    /// one with approval power): their forms are not offered.
    pub recorded_by_others: Vec<(Step, &'static str)>,
    /// The next step with a deadline, its day, and whether it is past.
    pub due: Option<(Step, chrono::NaiveDate, bool)>,
    pub may_record: bool,
    /// Whether the reader may record a step past its deadline, with a reason (责任追究).
    pub may_override: bool,
    /// Each recorded step's files and the documents it still lacks, by step id.
    pub evidence: Vec<(i64, Evidence)>,
}

/// The evidence of a recorded step (痕迹): its files, and the documents the university's
/// setting of the step asks for that no file is yet marked as.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub files: Vec<Attachment>,
    pub documents: Vec<String>,
    pub missing: Vec<String>,
}

impl DevelopmentView {
    /// Who records `step` when the reader may not: none when the reader may.
    pub fn recorded_by(&self, step: &Step) -> Option<&'static str> {
        self.recorded_by_others
            .iter()
            .find(|(s, _)| s == step)
            .map(|(_, who)| *who)
    }

    pub fn evidence_of(&self, step_id: &i64) -> Option<&Evidence> {
        self.evidence
            .iter()
            .find(|(id, _)| id == step_id)
            .map(|(_, e)| e)
    }
}

/// A day of the holiday calendar as the trail records it, if the calendar holds it: what a
/// change or a removal replaces.
async fn calendar_entry(
    tx: &dangjian_store::WriteTx,
    on: chrono::NaiveDate,
) -> Result<Option<serde_json::Value>> {
    Ok(store::calendar(tx.conn())
        .await?
        .into_iter()
        .find(|(d, _)| d.on == on)
        .map(|(day, note)| json!({ "day": day, "note": note })))
}

capability!(
    /// 发展党员: development records and their steps, 思想汇报 and 党校培训.
    DevelopmentCases,
    development
);

impl DevelopmentCases<'_> {
    /// The working-day calendar the rules count on: weekends and the days the organization
    /// department keeps.
    pub async fn work_calendar(self) -> Result<WorkCalendar> {
        let days = store::calendar(self.store.db()).await?;
        Ok(WorkCalendar::new(days.into_iter().map(|(d, _)| d)))
    }

    /// Each step's policy: the university's setting, or the default of RULES.md; and whether
    /// it was changed.
    pub async fn step_policies(self) -> Result<Vec<(Step, StepPolicy, bool)>> {
        let set = store::policies(self.store.db()).await?;
        Ok(Step::ALL
            .iter()
            .map(|step| match set.iter().find(|(s, _)| s == step) {
                Some((_, p)) => (*step, p.clone(), *p != step.default_policy()),
                None => (*step, step.default_policy(), false),
            })
            .collect())
    }

    pub async fn step_policy(self, step: Step) -> Result<StepPolicy> {
        Ok(store::policies(self.store.db())
            .await?
            .into_iter()
            .find(|(s, _)| *s == step)
            .map_or_else(|| step.default_policy(), |(_, p)| p))
    }

    /// Sets how the university runs a step (organization department).
    pub async fn set_step_policy(
        self,
        actor: &Actor,
        step: Step,
        policy: StepPolicy,
    ) -> Result<()> {
        if !actor.access.can(Action::ManageRules) {
            return Err(AppError::Forbidden("发展党员流程由组织部门设置"));
        }
        let before = self.step_policy(step).await?;
        let tx = self.store.begin_write().await?;
        store::put_policy(&tx, step, &policy, self.now_ms()).await?;
        let audit = actor.record(
            dangjian_domain::development::trail::POLICY,
            None,
            None,
            Some(json!({ "step": step.code(), "policy": before })),
            Some(json!({ "step": step.code(), "policy": policy })),
        );
        self.finish(tx, audit).await
    }

    /// A person's development record, within the actor's scope.
    pub async fn of_person(self, actor: &Actor, person_id: PersonId) -> Result<DevelopmentView> {
        let db = self.store.db();
        let person = people_store::find(db, &actor.access, Action::ReadRecords, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let steps = store::of_person(db, person_id).await?;
        let history = History::new(steps.iter().map(|s| s.entry.clone()).collect());
        let today = self.today();
        let rules = DevelopmentRules::in_force(&self.settings().current().await?.on(today));
        let ids: Vec<i64> = steps.iter().map(|s| s.id).collect();
        let files = dangjian_store::attachment::of_records(
            db,
            &actor.access,
            trail::DEVELOPMENT_STEP,
            &ids,
        )
        .await?;
        let policies = self.step_policies().await?;
        let evidence = steps
            .iter()
            .map(|s| {
                let files: Vec<Attachment> = files
                    .iter()
                    .filter(|f| f.entity_id == s.id)
                    .cloned()
                    .collect();
                let documents = policies
                    .iter()
                    .find(|(step, _, _)| *step == s.entry.step)
                    .map(|(_, p, _)| p.documents.clone())
                    .unwrap_or_default();
                let missing = documents
                    .iter()
                    .filter(|d| !files.iter().any(|f| f.label.as_ref() == Some(*d)))
                    .cloned()
                    .collect();
                (
                    s.id,
                    Evidence {
                        files,
                        documents,
                        missing,
                    },
                )
            })
            .collect();
        let next_steps = history.next_steps();
        let mut recorded_by_others = Vec::new();
        for step in &next_steps {
            let recorder = policies
                .iter()
                .find(|(s, _, _)| s == step)
                .map_or(step.default_policy().recorder, |(_, p, _)| p.recorder);
            if let Some(who) = self
                .who_records(actor, &person.org_path, *step, recorder)
                .await?
            {
                recorded_by_others.push((*step, who));
            }
        }
        Ok(DevelopmentView {
            evidence,
            stage: history.stage(),
            ended: history.ended(),
            next_steps,
            recorded_by_others,
            due: history.due(&rules).map(|(s, by)| (s, by, by < today)),
            may_record: actor.access.can_at(Action::WriteRecords, &person.org_path),
            may_override: actor
                .access
                .can_at(Action::OverrideDeadline, &person.org_path),
            steps,
        })
    }

    /// Records a step of a person's development, if the steps before it are done and its rules
    /// hold. A deadline passed is recorded only by the organization department, with a reason,
    /// and stays listed for accountability. The person's status and membership dates follow
    /// the stage reached.
    pub async fn record_step(
        self,
        actor: &Actor,
        person_id: PersonId,
        input: StepInput,
    ) -> Result<StepRecord> {
        let db = self.store.db();
        let record = people_store::find(db, &actor.access, Action::ReadRecords, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let person = &record.person;
        // Who decides and who records follow the university's setting of the step; the
        // committee's acts are recorded above the branch. Who may comes before any rule.
        let policy = self.step_policy(input.step).await?;
        let body = input.body.unwrap_or(policy.body);
        if let Some(refusal) = self
            .who_records(actor, &record.org_path, input.step, policy.recorder)
            .await?
        {
            return Err(AppError::Forbidden(refusal));
        }
        if person.left_on.is_some() {
            return Err(AppError::Conflict {
                field: "person",
                message: "此人已转出，由接收的党组织继续记录".to_owned(),
            });
        }

        let mut detail = match input.step {
            Step::MentorsAssigned | Step::SponsorsChosen => StepDetail::Members {
                members: self.vouchers(actor, &input.member_ids, input.on).await?,
            },
            // Nothing typed: the party school's certified classes speak for the training.
            Step::Training if input.detail == (StepDetail::Training { hours: 0, days: 0 }) => {
                let classes = dangjian_store::training::of_person(db, person_id).await?;
                let credit = TrainingCredit::of(
                    classes.iter().map(|(c, t)| (&c.plan, &t.trainee)),
                    input.on,
                );
                StepDetail::Training {
                    hours: credit.hours,
                    days: credit.days,
                }
            }
            _ => input.detail,
        };
        // The roll taken at the vote's meeting sets who was entitled and who attended.
        if let Some((count, roll, meeting_id)) = detail.ballot_mut() {
            *roll = self
                .roll(
                    actor,
                    (input.step, input.on, person.org_id),
                    meeting_id,
                    &input.roll,
                )
                .await?;
            *count = VoteCount::from_roll(roll, (count.yes, count.no, count.abstain));
        }
        let entry = StepEntry {
            step: input.step,
            on: input.on,
            body,
            detail,
        };
        let committee = position_store::committee(db, &actor.access, person.org_id).await?;
        let ctx = Context {
            birth_date: person.birth_date,
            branch_has_committee: dangjian_domain::org::has_committee(committee.len()),
            today: self.today(),
        };
        // The rules in force on the step's day (RULES.md: versioned by effective date).
        let rules = DevelopmentRules::in_force(&self.settings().current().await?.on(entry.on));
        let calendar = self.work_calendar().await?;
        let note = text::optional_line(&input.note, "note", "说明", 500)?.unwrap_or_default();
        let reason = text::optional_line(
            input.override_reason.as_deref().unwrap_or(""),
            "override_reason",
            "逾期原因",
            500,
        )?;
        let recorded_by_name = self.answerable_name(actor).await?;
        // Read the record under the write lock, so that two people recording at once cannot
        // both pass the check against the same history.
        let tx = self.store.begin_write().await?;
        let before = store::of_person(tx.conn(), person_id).await?;
        let history = History::new(before.iter().map(|s| s.entry.clone()).collect());
        let breach = history.check(&entry, &ctx, &rules, &calendar)?;
        if let Some(b) = &breach {
            if !actor
                .access
                .can_at(Action::OverrideDeadline, &record.org_path)
            {
                return Err(AppError::Rule {
                    code: dangjian_domain::RuleCode::DevelopmentDeadlinePassed,
                    field: Some("on"),
                    message: format!("{}；逾期登记须由组织部门说明原因", b.message),
                    basis: b.basis,
                });
            }
            if reason.is_none() {
                return Err(
                    FieldError::new("override_reason", "逾期原因", "逾期登记须说明原因").into(),
                );
            }
        }
        let stored = StepRecord {
            id: self.new_id(),
            person_id,
            org_id: person.org_id,
            org_path: record.org_path.clone(),
            entry,
            note,
            recorded_by: actor.account_id,
            recorded_by_name,
            // A reason is kept only with a breach: with nothing to excuse it says nothing.
            override_reason: breach.as_ref().and(reason),
            breach: breach.map(|b| (b.message, b.basis.to_owned())),
            created_at: self.now_ms(),
        };
        let mut after = history.clone();
        after.steps.push(stored.entry.clone());

        store::insert(&tx, &stored).await?;
        if let Some(status) = after.status_after(person.status) {
            let dates = if status.is_member() {
                (after.join_date(), after.confirmation_date())
            } else {
                (None, None)
            };
            people_store::set_status(&tx, person_id, status, dates, self.now_ms()).await?;
            // The history is dated by the step, not by the day it was recorded; a step dated
            // before the person's open period (a record kept before they were registered)
            // starts the new one when that period starts.
            let open_since = people_store::periods(tx.conn(), person_id)
                .await?
                .into_iter()
                .filter(|p| p.until_on.is_none())
                .map(|p| p.from_on)
                .max();
            let from = open_since.map_or(stored.entry.on, |o| o.max(stored.entry.on));
            people_store::close_period(&tx, person_id, from).await?;
            let period = self.people().period_from(
                from,
                person_id,
                (person.org_id, &record.org_path),
                status,
                format!(
                    "{}：政治面貌由{}变为{}",
                    stored.entry.step.label(),
                    person.status.label(),
                    status.label()
                ),
            );
            people_store::insert_periods(&tx, &[period], self.now_ms()).await?;
        }
        let audit = actor.record(
            dangjian_domain::development::trail::STEP,
            Some(person_id.get()),
            Some(record.org_path.as_str()),
            None,
            Some(json!(stored)),
        );
        self.finish(tx, audit).await?;
        Ok(stored)
    }

    /// Who answers for a step (责任追究): the account's full name, not its username.
    pub(crate) async fn answerable_name(self, actor: &Actor) -> Result<String> {
        let account = match actor.account_id {
            Some(id) => dangjian_store::account::find(self.store.db(), id).await?,
            None => None,
        };
        Ok(account.map_or_else(|| actor.name.clone(), |a| a.display_name))
    }

    /// Whether the actor may record a step for the people of `path`: none if so, otherwise
    /// why not. The university's setting names the recorder (the branch, or the committee
    /// above it); steps 13, 17 and 24 need the approval power a 党总支 lacks.
    async fn who_records(
        self,
        actor: &Actor,
        path: &OrgPath,
        step: Step,
        recorder: Recorder,
    ) -> Result<Option<&'static str>> {
        let higher = recorder == Recorder::Higher;
        let may = if higher {
            actor.approves_above(path)
        } else {
            actor.access.can_at(Action::WriteRecords, path)
        };
        if !may {
            return Ok(Some(if higher {
                "这一步由上级党委登记"
            } else {
                "登记该支部的发展党员工作"
            }));
        }
        if step.needs_approval_power() && !self.approval_power_above(actor, path).await? {
            return Ok(Some(
                "这一步由具有审批权限的基层党委登记（党总支没有审批权限）",
            ));
        }
        Ok(None)
    }

    /// Whether the actor approves for a 基层党委 with approval power above `path`: one of the
    /// organizations its approving grants cover, above the branch, is such a committee.
    async fn approval_power_above(self, actor: &Actor, path: &OrgPath) -> Result<bool> {
        let roots: Vec<OrgId> = actor
            .access
            .scopes(Action::Approve)
            .iter()
            .filter(|s| s.contains(path) && *s != path)
            .map(OrgPath::id)
            .collect();
        let orgs = dangjian_store::org::by_ids(self.store.db(), &roots).await?;
        Ok(orgs.values().any(|o| o.kind.holds_approval_power()))
    }

    /// The full members of a branch entitled to vote on `on`, by the roster's history of
    /// that day: all but those under 留党察看, who have no vote while it runs (党章第四十条),
    /// and those whose membership is suspended (停止党籍, 教育条例第二十四条). Id and name, by name.
    pub async fn voters(
        self,
        actor: &Actor,
        org_id: OrgId,
        on: chrono::NaiveDate,
    ) -> Result<Vec<(PersonId, String)>> {
        let db = self.store.db();
        let org = dangjian_store::org::find(db, &actor.access, Action::ReadRecords, org_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut full: Vec<PersonId> = people_store::members_on(db, &actor.access, &org.path, on)
            .await?
            .into_iter()
            .filter(|p| p.org_id == org_id && p.status == PersonStatus::Full)
            .map(|p| p.person_id)
            .collect();
        full.sort_unstable();
        full.dedup();
        let barred = self.people().without_rights(&full, on).await?;
        let names = people_store::names(db, &full).await?;
        let mut voters: Vec<(PersonId, String)> = full
            .into_iter()
            .filter(|id| !barred.contains(id))
            .map(|id| (id, names.get(&id).cloned().unwrap_or_default()))
            .collect();
        voters.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(voters)
    }

    /// A vote's roll as taken at its 支部党员大会 (`meeting_id`): exactly the branch's voters
    /// of the meeting's day, each once, agreeing with the meeting's sign-in.
    async fn roll(
        self,
        actor: &Actor,
        (step, on, org_id): (Step, chrono::NaiveDate, OrgId),
        meeting_id: Option<MeetingId>,
        taken: &[(PersonId, RollCall)],
    ) -> Result<Vec<RollEntry>> {
        let meeting_id = vote::taken_at_meeting(meeting_id)?;
        let (meeting, attendance) = self
            .meeting_and_sign_in(actor, meeting_id)
            .await?
            .ok_or_else(|| {
                FieldError::new(
                    "meeting_id",
                    "支部党员大会",
                    "会议不存在或不在您的管辖范围内",
                )
            })?;
        let voters = self.voters(actor, org_id, on).await?;
        Ok(vote::take_roll(
            step,
            (on, org_id),
            (&meeting, &attendance),
            &voters,
            taken,
        )?)
    }

    /// A meeting the reader may see, with its sign-in.
    async fn meeting_and_sign_in(
        self,
        actor: &Actor,
        meeting_id: MeetingId,
    ) -> Result<Option<(Meeting, Vec<AttendanceRow>)>> {
        let db = self.store.db();
        let Some(meeting) = dangjian_store::meetings::find(db, &actor.access, meeting_id).await?
        else {
            return Ok(None);
        };
        let attendance = dangjian_store::meetings::attendance(db, &meeting).await?;
        Ok(Some((meeting.into_inner(), attendance)))
    }

    /// The roll of a vote at a branch's 支部党员大会 as its sign-in proposes it
    /// (`vote::proposed_roll`), of the members entitled on the meeting's day.
    pub async fn proposed_roll(
        self,
        actor: &Actor,
        org_id: OrgId,
        meeting_id: MeetingId,
    ) -> Result<(Meeting, Vec<RollEntry>)> {
        let (meeting, attendance) = self
            .meeting_and_sign_in(actor, meeting_id)
            .await?
            .filter(|(m, _)| m.org_id == org_id && m.plan.kind == MeetingKind::GeneralMeeting)
            .ok_or(AppError::NotFound)?;
        let voters = self
            .voters(actor, org_id, meeting.plan.starts_at.date())
            .await?;
        Ok((meeting, vote::proposed_roll(&voters, &attendance)))
    }

    /// The held 支部党员大会 of a branch in the year up to today, newest first: the meetings
    /// a vote may be taken at.
    pub async fn vote_meetings(self, actor: &Actor, org_id: OrgId) -> Result<Vec<Meeting>> {
        let db = self.store.db();
        let org = dangjian_store::org::find(db, &actor.access, Action::ReadRecords, org_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let today = self.today();
        let mut held: Vec<Meeting> = dangjian_store::meetings::of_org(
            db,
            &actor.access,
            (org.id, &org.path),
            (today - chrono::Duration::days(366), today),
            1_000,
        )
        .await?
        .into_iter()
        .map(dangjian_store::Visible::into_inner)
        .filter(|m| m.plan.kind == MeetingKind::GeneralMeeting && m.state.is_held())
        .collect();
        held.reverse();
        Ok(held)
    }

    /// Mentors or sponsors by id as they stood on `on`: their status, and whether they were
    /// under 留党察看.
    async fn vouchers(
        self,
        actor: &Actor,
        ids: &[PersonId],
        on: chrono::NaiveDate,
    ) -> Result<Vec<Voucher>> {
        let mut unique = ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let people = people_store::by_ids(self.store.db(), &actor.access, &unique).await?;
        if people.len() != unique.len() {
            return Err(
                FieldError::new("members", "人员", "有人员不存在或不在您的管辖范围内").into(),
            );
        }
        let barred = self.people().on_probation_discipline(&unique, on).await?;
        Ok(people
            .into_iter()
            .map(|p| Voucher {
                on_probation_discipline: barred.contains(&p.person.id),
                person_id: p.person.id,
                name: p.person.name,
                status: p.person.status,
            })
            .collect())
    }

    /// The official calendar's changed days.
    pub async fn calendar_days(self) -> Result<Vec<(CalendarDay, String)>> {
        Ok(store::calendar(self.store.db()).await?)
    }

    /// Whether the actor keeps the official calendar (the organization department).
    pub fn may_keep_calendar(self, actor: &Actor) -> bool {
        actor.access.can(Action::ManageRules)
    }

    /// Takes a day off the calendar: it is an ordinary day again.
    pub async fn remove_calendar_day(self, actor: &Actor, on: chrono::NaiveDate) -> Result<()> {
        if !self.may_keep_calendar(actor) {
            return Err(AppError::Forbidden("节假日安排由组织部门维护"));
        }
        let tx = self.store.begin_write().await?;
        let before = calendar_entry(&tx, on).await?;
        if !store::delete_calendar_day(&tx, on).await? {
            return Err(FieldError::new("on", "日期", "日历中没有这一天").into());
        }
        let audit = actor.record(
            dangjian_domain::platform::audit::trail::HOLIDAY_REMOVE,
            None,
            None,
            before.or_else(|| Some(json!({ "on": on }))),
            None,
        );
        self.finish(tx, audit).await?;
        Ok(())
    }

    /// Sets a day of the official calendar (organization department), with what it is
    /// (`note`: 国庆节…, one line); returns the note as kept.
    pub async fn set_calendar_day(
        self,
        actor: &Actor,
        day: CalendarDay,
        note: &str,
    ) -> Result<String> {
        if !self.may_keep_calendar(actor) {
            return Err(AppError::Forbidden("节假日安排由组织部门维护"));
        }
        let note = dangjian_domain::text::single_line(note, "note", "说明", 100)?;
        let tx = self.store.begin_write().await?;
        let before = calendar_entry(&tx, day.on).await?;
        store::put_calendar_day(&tx, day, &note).await?;
        let audit = actor.record(
            dangjian_domain::platform::audit::trail::HOLIDAY_SET,
            None,
            None,
            before,
            Some(json!({ "day": day, "note": note })),
        );
        self.finish(tx, audit).await?;
        Ok(note)
    }
}

/// One person on a development board.
#[derive(Debug, Clone)]
pub struct BoardRow {
    pub person_id: PersonId,
    pub name: String,
    pub org_name: String,
    pub stage: Stage,
    /// The first step that may come next.
    pub next: Option<Step>,
    /// The next deadline, and whether it has passed.
    pub due: Option<(Step, chrono::NaiveDate, bool)>,
}

/// A subtree's development board: the people at each stage, and what is due.
#[derive(Debug, Clone)]
pub struct Board {
    pub by_stage: Vec<(Stage, Vec<BoardRow>)>,
    /// Deadlines passed or within `DUE_SOON_DAYS`, soonest first.
    pub due: Vec<BoardRow>,
    /// Whether a stage had more people than the board shows.
    pub truncated: bool,
}

/// The most people a board shows at each stage.
const BOARD_PER_STAGE: u64 = 500;

impl DevelopmentCases<'_> {
    /// The boards with something due, of each of `roots` (the reader's scope roots) on which
    /// the reader holds `action`: what the home page lists and the morning digest sends.
    pub async fn due_boards(
        self,
        actor: &Actor,
        roots: &[dangjian_domain::org::Org],
        action: Action,
    ) -> Result<Vec<(dangjian_domain::org::Org, Board)>> {
        let mut boards = Vec::new();
        for org in roots {
            if !actor.access.can_at(action, &org.path) {
                continue;
            }
            let board = self.board(actor, org.id).await?;
            if !board.due.is_empty() {
                boards.push((org.clone(), board));
            }
        }
        Ok(boards)
    }

    /// The development board of an organization's subtree (发展党员工作台).
    pub async fn board(self, actor: &Actor, org_id: OrgId) -> Result<Board> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的发展党员工作"));
        }
        let today = self.today();
        let rules = DevelopmentRules::in_force(&self.settings().current().await?.on(today));
        let paging = dangjian_domain::paging::Paging::parse(Some(1), Some(BOARD_PER_STAGE))
            .unwrap_or_default();
        let mut by_stage = Vec::new();
        let mut due = Vec::new();
        let mut truncated = false;
        for stage in [
            Stage::Applicant,
            Stage::Activist,
            Stage::Candidate,
            Stage::Probationary,
        ] {
            let query = crate::people::PeopleQuery {
                under: Some(org.id),
                status: Some(stage.status()),
                ..Default::default()
            };
            let page = self.people().list(actor, &query, paging).await?;
            truncated |= page.total > page.items.len() as u64;
            let ids: Vec<PersonId> = page.items.iter().map(|r| r.person.id).collect();
            let mut steps: std::collections::HashMap<PersonId, Vec<StepEntry>> =
                std::collections::HashMap::new();
            for s in store::of_people(self.store.db(), &ids).await? {
                steps.entry(s.person_id).or_default().push(s.entry);
            }
            let rows: Vec<BoardRow> = page
                .items
                .into_iter()
                .map(|r| {
                    let history = History::new(steps.remove(&r.person.id).unwrap_or_default());
                    // Beyond the application, no record means one brought in at go-live:
                    // nothing of the path is asked of them again.
                    let carried = history.steps.is_empty() && stage != Stage::Applicant;
                    BoardRow {
                        person_id: r.person.id,
                        name: r.person.name,
                        org_name: r.org_name,
                        stage,
                        next: history.next_steps().first().copied().filter(|_| !carried),
                        due: history.due(&rules).map(|(s, by)| (s, by, by < today)),
                    }
                })
                .collect();
            due.extend(
                rows.iter()
                    .filter(|r| r.due.is_some_and(|(_, by, _)| is_due_soon(by, today)))
                    .cloned(),
            );
            by_stage.push((stage, rows));
        }
        due.sort_by_key(|r| r.due.map(|(_, by, _)| by));
        Ok(Board {
            by_stage,
            due,
            truncated,
        })
    }
}

/// A step recorded past its deadline by override (责任追究): who it concerns, and who
/// recorded it and why.
#[derive(Debug, Clone)]
pub struct Accountable {
    pub step: StepRecord,
    pub person_name: String,
}

/// The most overridden steps a board lists, newest first.
pub const ACCOUNTABILITY_ROWS: u64 = 200;

impl DevelopmentCases<'_> {
    /// The steps of a subtree recorded late by override, newest first: the list of 工作失误
    /// 责任追究.
    pub async fn accountability(self, actor: &Actor, org_id: OrgId) -> Result<Vec<Accountable>> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的发展党员工作"));
        }
        let db = self.store.db();
        let steps = store::breaches(db, &actor.access, &org.path, ACCOUNTABILITY_ROWS).await?;
        let ids: Vec<PersonId> = steps.iter().map(|s| s.person_id).collect();
        let names = people_store::names(db, &ids).await?;
        Ok(steps
            .into_iter()
            .map(|step| Accountable {
                person_name: names.get(&step.person_id).cloned().unwrap_or_default(),
                step,
            })
            .collect())
    }
}

/// A subtree's development in one year (发展党员情况), counted from the recorded steps: each
/// figure counts the steps of its kind dated in the year.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Funnel {
    pub year: i32,
    /// 递交入党申请书.
    pub applications: u64,
    /// 确定为入党积极分子.
    pub activists: u64,
    /// 确定为发展对象.
    pub candidates: u64,
    /// 接收为预备党员 (approved by the higher committee).
    pub admitted: u64,
    /// 按期转正, 延长预备期, 取消预备党员资格: approvals of the branch's decision.
    pub confirmed: u64,
    pub extended: u64,
    pub cancelled: u64,
    /// Of those admitted, the seeds' ratios (seed 000 §三): students, staff under 35, staff
    /// with a master's degree or more.
    pub admitted_students: u64,
    pub admitted_young_staff: u64,
    pub admitted_postgraduate_staff: u64,
}

/// Staff under this age at admission are the seeds' "青年教师".
const YOUNG_STAFF_BELOW: u32 = 35;

impl DevelopmentCases<'_> {
    /// The development funnel of an organization's subtree in a year.
    pub async fn funnel(self, actor: &Actor, org_id: OrgId, year: i32) -> Result<Funnel> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的发展党员工作"));
        }
        let (from, until) = self.record_year(year)?;
        let db = self.store.db();
        let count = |step| store::count_step(db, &actor.access, &org.path, step, from, until);
        let mut funnel = Funnel {
            year,
            applications: count(Step::Application).await?,
            activists: count(Step::ActivistChosen).await?,
            candidates: count(Step::CandidateChosen).await?,
            admitted: count(Step::AdmissionApproval).await?,
            ..Default::default()
        };
        let admitted = store::steps_in(
            db,
            &actor.access,
            &org.path,
            Some(Step::AdmissionApproval),
            (from, until),
        )
        .await?;
        let admitted_on: std::collections::HashMap<PersonId, chrono::NaiveDate> =
            admitted.iter().map(|a| (a.person_id, a.entry.on)).collect();
        let ids: Vec<PersonId> = admitted_on.keys().copied().collect();
        for p in people_store::by_ids(db, &actor.access, &ids).await? {
            let p = p.person;
            let on = admitted_on.get(&p.id).copied().unwrap_or(until);
            match p.category {
                dangjian_domain::people::PersonCategory::Student => funnel.admitted_students += 1,
                dangjian_domain::people::PersonCategory::Staff => {
                    funnel.admitted_young_staff += u64::from(
                        dangjian_domain::people::age_on(p.birth_date, on) < YOUNG_STAFF_BELOW,
                    );
                    funnel.admitted_postgraduate_staff += u64::from(p.education.is_postgraduate());
                }
                dangjian_domain::people::PersonCategory::Retired => {}
            }
        }
        // An approval confirms, extends or cancels as the branch's last vote before it decided.
        let approvals = store::steps_in(
            db,
            &actor.access,
            &org.path,
            Some(Step::ConfirmationApproval),
            (from, until),
        )
        .await?;
        let ids: Vec<PersonId> = approvals.iter().map(|a| a.person_id).collect();
        let steps = store::of_people(db, &ids).await?;
        let mut by_person: std::collections::HashMap<PersonId, Vec<&StepRecord>> =
            std::collections::HashMap::new();
        for s in &steps {
            by_person.entry(s.person_id).or_default().push(s);
        }
        for approval in &approvals {
            let outcome = by_person
                .get(&approval.person_id)
                .into_iter()
                .flatten()
                .filter(|s| s.entry.on <= approval.entry.on)
                .filter_map(|s| match &s.entry.detail {
                    StepDetail::Confirmation { outcome, .. } => Some(*outcome),
                    _ => None,
                })
                .next_back();
            match outcome {
                Some(ConfirmationOutcome::Confirm) => funnel.confirmed += 1,
                Some(ConfirmationOutcome::Extend) => funnel.extended += 1,
                Some(ConfirmationOutcome::Cancel) => funnel.cancelled += 1,
                None => {}
            }
        }
        Ok(funnel)
    }
}

impl DevelopmentCases<'_> {
    /// A year's development figures of a subtree as a spreadsheet.
    pub async fn funnel_xlsx(self, actor: &Actor, org_id: OrgId, year: i32) -> Result<Vec<u8>> {
        use crate::roster::xlsx_error;
        let org = self.org().get(actor, org_id).await?;
        let f = self.funnel(actor, org_id, year).await?;
        let mut book = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let sheet = book.add_worksheet();
        sheet.set_name("发展党员情况").map_err(xlsx_error)?;
        sheet.set_column_width(0, 28).map_err(xlsx_error)?;
        sheet
            .write_string_with_format(0, 0, format!("{} {} 年发展党员情况", org.name, year), &bold)
            .map_err(xlsx_error)?;
        let lines: [(&str, u64); 10] = [
            ("递交入党申请书", f.applications),
            ("确定为入党积极分子", f.activists),
            ("确定为发展对象", f.candidates),
            ("接收为预备党员", f.admitted),
            ("其中：学生", f.admitted_students),
            ("其中：35 岁以下教职工", f.admitted_young_staff),
            (
                "其中：硕士研究生及以上学历教职工",
                f.admitted_postgraduate_staff,
            ),
            ("按期转正", f.confirmed),
            ("延长预备期", f.extended),
            ("取消预备党员资格", f.cancelled),
        ];
        for (row, (label, n)) in (2u32..).zip(lines) {
            sheet.write_string(row, 0, label).map_err(xlsx_error)?;
            sheet.write_number(row, 1, n as f64).map_err(xlsx_error)?;
        }
        book.save_to_buffer().map_err(xlsx_error)
    }
}
