//! Thought reports (思想汇报): handed in by applicants, activists, candidates and probationary
//! members through their own accounts, handed to the mentors recorded at step 5 (who are told
//! in 消息), read and answered by them; the organization reads its subtree's.

use crate::development::DevelopmentCases;
use crate::{Actor, App, AppError, Result};
pub use dangjian_domain::development::thought_report::{Answer, ThoughtReportRecord};
use dangjian_domain::development::thought_report::{
    BRANCH_ANSWERS, ThoughtReport, answered_by_branch, hands_in, parse_answer,
};
use dangjian_domain::development::{Step, StepDetail};
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::Org;
use dangjian_domain::people::{Person, PersonStatus};
use dangjian_domain::platform::role::Action;
use dangjian_store::development as development_store;
use dangjian_store::notification::Notification;
use dangjian_store::people as people_store;
use dangjian_store::thought_report as store;
use serde_json::json;
use std::collections::HashSet;

/// The most reports a list shows.
pub const REPORT_LIST_LIMIT: u64 = 200;

/// Messages of this kind tell a mentor of a report handed in, and its writer of the answer.
pub const THOUGHT_REPORT_NOTICE: &str = "thought_report";

/// Where the messages about reports lead.
const MY_REPORTS: &str = "/my/thought-reports";

/// A report with the names of its writer and mentors, and whether the reader may answer it.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub report: ThoughtReportRecord,
    pub writer_name: String,
    pub mentor_names: Vec<String>,
    /// When it was answered, as shown (Asia/Shanghai).
    pub answered_at: Option<String>,
    pub may_answer: bool,
}

/// The signed-in person's reports and those handed to them as a mentor.
#[derive(Debug, Clone, Default)]
pub struct MyThoughtReports {
    /// The account's person, if the account belongs to one of the roster.
    pub person: Option<Person>,
    /// Whether that person hands in reports (by their status).
    pub hands_in: bool,
    /// Their mentors now, by name; none before step 5.
    pub mentor_names: Vec<String>,
    pub mine: Vec<ReportView>,
    /// Reports handed to them as a mentor, unanswered first.
    pub to_answer: Vec<ReportView>,
}

/// An organization's reports in a year, and those of its people who hand in reports but
/// have handed in none this year.
#[derive(Debug, Clone)]
pub struct OrgThoughtReports {
    pub org: Org,
    pub year: i32,
    /// The latest `REPORT_LIST_LIMIT` reports of the year.
    pub reports: Vec<ReportView>,
    /// All the year's reports, and those of them not yet answered, however many are listed.
    pub total: u64,
    pub unanswered: u64,
    pub silent: Vec<(String, PersonStatus)>,
}

impl DevelopmentCases<'_> {
    /// The person behind the actor's account, if any.
    async fn own_person(self, actor: &Actor) -> Result<Option<Person>> {
        let db = self.store.db();
        let Some(account) = actor.account_id else {
            return Ok(None);
        };
        let Some(id) = people_store::person_of_account(db, account).await? else {
            return Ok(None);
        };
        Ok(people_store::find_for_check(db, id)
            .await?
            .map(|r| r.person))
    }

    /// A person's mentors as the latest record of step 5 names them.
    pub(crate) async fn mentors_of(self, person_id: PersonId) -> Result<Vec<PersonId>> {
        let steps = development_store::of_person(self.store.db(), person_id).await?;
        Ok(steps
            .into_iter()
            .filter(|s| s.entry.step == Step::MentorsAssigned)
            .max_by_key(|s| (s.entry.on, s.created_at))
            .map(|s| match s.entry.detail {
                StepDetail::Members { members } => members.iter().map(|m| m.person_id).collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default())
    }

    /// Whether `actor` (the person `reader`) may answer `report`: one of its mentors, or while
    /// none is named, whoever keeps the records of the branch it was handed to.
    /// The answer is signed by a person of the roster, so an account of nobody's answers none.
    fn may_answer(actor: &Actor, reader: Option<PersonId>, report: &ThoughtReportRecord) -> bool {
        reader.is_some_and(|p| {
            report.mentor_ids.contains(&p)
                || (answered_by_branch(&report.mentor_ids)
                    && actor.access.can_at(Action::WriteRecords, &report.org_path))
        })
    }

    /// Names the writers and mentors of reports for `actor`, who is `reader` (a person).
    async fn report_views(
        self,
        actor: &Actor,
        reports: Vec<ThoughtReportRecord>,
        reader: Option<PersonId>,
    ) -> Result<Vec<ReportView>> {
        let ids: Vec<PersonId> = reports
            .iter()
            .flat_map(|r| std::iter::once(r.person_id).chain(r.mentor_ids.iter().copied()))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let names = people_store::names(self.store.db(), &ids).await?;
        let name = |id: &PersonId| names.get(id).cloned().unwrap_or_default();
        Ok(reports
            .into_iter()
            .map(|report| ReportView {
                writer_name: name(&report.person_id),
                mentor_names: report.mentor_ids.iter().map(name).collect(),
                answered_at: report
                    .answer
                    .as_ref()
                    .and_then(|a| chrono::DateTime::from_timestamp_millis(a.at))
                    .map(dangjian_domain::clock::display_time),
                may_answer: report.answer.is_none() && Self::may_answer(actor, reader, &report),
                report,
            })
            .collect())
    }

    /// The actor's own reports and those handed to them as a mentor.
    pub async fn my_thought_reports(self, actor: &Actor) -> Result<MyThoughtReports> {
        let Some(person) = self.own_person(actor).await? else {
            return Ok(MyThoughtReports::default());
        };
        let db = self.store.db();
        let mine = store::of_person(db, person.id, REPORT_LIST_LIMIT).await?;
        let to_answer = store::of_mentor(db, person.id, REPORT_LIST_LIMIT).await?;
        let mentors = self.mentors_of(person.id).await?;
        let mut names = people_store::names(db, &mentors).await?;
        Ok(MyThoughtReports {
            hands_in: hands_in(person.status),
            mentor_names: mentors.iter().filter_map(|m| names.remove(m)).collect(),
            mine: self.report_views(actor, mine, Some(person.id)).await?,
            to_answer: self.report_views(actor, to_answer, Some(person.id)).await?,
            person: Some(person),
        })
    }

    /// Hands in a report of the actor's own, to their mentors now, who are told.
    pub async fn hand_in_thought_report(
        self,
        actor: &Actor,
        title: &str,
        body: &str,
    ) -> Result<ThoughtReportRecord> {
        let person = self.own_person(actor).await?.ok_or(AppError::Forbidden(
            "思想汇报须用本人在党员名册中的账号递交",
        ))?;
        let report = ThoughtReport::parse(person.status, title, body)?;
        let db = self.store.db();
        let org = dangjian_store::org::by_ids(db, &[person.org_id])
            .await?
            .remove(&person.org_id)
            .ok_or(AppError::NotFound)?;
        let mentor_ids = self.mentors_of(person.id).await?;
        let stored = ThoughtReportRecord {
            id: self.new_id(),
            person_id: person.id,
            org_id: org.id,
            org_path: org.path.clone(),
            report,
            handed_in_on: self.today(),
            mentor_ids,
            answer: None,
            created_at: self.now_ms(),
        };
        // To the mentors; while none is named, to the branch's secretary and 组织委员.
        let (readers, why, link) = if answered_by_branch(&stored.mentor_ids) {
            let seats = dangjian_store::position::sitting_in(db, org.id).await?;
            let readers: Vec<PersonId> = seats
                .iter()
                .filter(|s| BRANCH_ANSWERS.contains(&s.position))
                .map(|s| s.person_id)
                .collect();
            (
                readers,
                "尚未指定培养联系人，请支部阅读并回复。",
                format!("/thought-reports/{}", stored.id),
            )
        } else {
            (
                stored.mentor_ids.clone(),
                "您是其培养联系人，请阅读并回复。",
                MY_REPORTS.to_owned(),
            )
        };
        let accounts = people_store::accounts_of(db, &readers).await?;
        let notices: Vec<Notification> = readers
            .iter()
            .filter_map(|m| accounts.get(m))
            .collect::<HashSet<_>>()
            .into_iter()
            .map(|account| {
                self.notifications().message(
                    *account,
                    (THOUGHT_REPORT_NOTICE, self.today()),
                    (
                        format!("{}递交了思想汇报：{}", person.name, stored.report.title),
                        why.to_owned(),
                    ),
                    Some(link.clone()),
                )
            })
            .collect();
        let tx = self.store.begin_write().await?;
        store::insert_many(&tx, std::slice::from_ref(&stored)).await?;
        dangjian_store::notification::insert_many(&tx, &notices).await?;
        let audit = actor.record(
            dangjian_domain::development::trail::HAND_IN,
            Some(stored.id),
            Some(org.path.as_str()),
            None,
            Some(json!({ "report": stored, "notified": notices.len() })),
        );
        self.finish(tx, audit).await?;
        Ok(stored)
    }

    /// Answers a report handed to the actor as a mentor; its writer is told. A report is
    /// answered once: a second answer is refused, never written over the first.
    pub async fn answer_thought_report(
        self,
        actor: &Actor,
        id: i64,
        answer: &str,
    ) -> Result<ThoughtReportRecord> {
        let text = parse_answer(answer)?;
        let mentor = self
            .own_person(actor)
            .await?
            .ok_or(AppError::Forbidden("回复思想汇报须用本人在名册中的账号"))?;
        let db = self.store.db();
        let report = store::find(db, id).await?.ok_or(AppError::NotFound)?;
        if !Self::may_answer(actor, Some(mentor.id), &report) {
            return Err(AppError::Forbidden(
                "只有该思想汇报的培养联系人（尚未指定的，由支部书记或组织委员）可以回复",
            ));
        }
        let answer = Answer {
            text,
            by_person_id: mentor.id,
            by_name: mentor.name.clone(),
            at: self.now_ms(),
        };
        let writer_account = people_store::accounts_of(db, &[report.person_id])
            .await?
            .remove(&report.person_id);
        let tx = self.store.begin_write().await?;
        if !store::answer(&tx, id, &answer).await? {
            return Err(AppError::Conflict {
                field: "answer",
                message: "这份思想汇报已经回复过了，回复不能改写".to_owned(),
            });
        }
        if let Some(account) = writer_account {
            dangjian_store::notification::insert_many(
                &tx,
                &[self.notifications().message(
                    account,
                    (THOUGHT_REPORT_NOTICE, self.today()),
                    (
                        if answered_by_branch(&report.mentor_ids) {
                            format!("支部{}回复了您的思想汇报", mentor.name)
                        } else {
                            format!("培养联系人{}回复了您的思想汇报", mentor.name)
                        },
                        report.report.title.clone(),
                    ),
                    Some(MY_REPORTS.to_owned()),
                )],
            )
            .await?;
        }
        let audit = actor.record(
            dangjian_domain::development::trail::ANSWER,
            Some(id),
            Some(report.org_path.as_str()),
            None,
            Some(json!(answer)),
        );
        self.finish(tx, audit).await?;
        Ok(ThoughtReportRecord {
            answer: Some(answer),
            ..report
        })
    }

    /// One report, for its writer, its mentors, or whoever reads the records where it was
    /// handed in; to anyone else it does not exist.
    pub async fn thought_report(self, actor: &Actor, id: i64) -> Result<ReportView> {
        let report = store::find(self.store.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let reader = self.own_person(actor).await?.map(|p| p.id);
        let own = reader.is_some_and(|p| p == report.person_id || report.mentor_ids.contains(&p));
        if !own && !actor.access.can_at(Action::ReadRecords, &report.org_path) {
            return Err(AppError::NotFound);
        }
        self.report_views(actor, vec![report], reader)
            .await?
            .pop()
            .ok_or(AppError::NotFound)
    }

    /// A person's reports, newest first, for those who read their records (the development
    /// page).
    pub async fn person_thought_reports(
        self,
        actor: &Actor,
        person_id: PersonId,
    ) -> Result<Vec<ReportView>> {
        let db = self.store.db();
        people_store::find(db, &actor.access, Action::ReadRecords, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let reports = store::of_person(db, person_id, REPORT_LIST_LIMIT).await?;
        let reader = self.own_person(actor).await?.map(|p| p.id);
        self.report_views(actor, reports, reader).await
    }

    /// The reports handed in within an organization's subtree in a year, and the people of
    /// the organization itself who hand in reports but handed in none that year.
    pub async fn thought_reports_of_org(
        self,
        actor: &Actor,
        org_id: OrgId,
        year: i32,
    ) -> Result<OrgThoughtReports> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的思想汇报"));
        }
        let db = self.store.db();
        let (from, until) = App::year_span(year)?;
        let reports = store::of_subtree(
            db,
            &actor.access,
            &org.path,
            (from, until),
            REPORT_LIST_LIMIT,
        )
        .await?;
        // Counted apart from the list, which stops at REPORT_LIST_LIMIT: a writer beyond it
        // has handed in all the same.
        let (total, unanswered, wrote) =
            store::tally_of_subtree(db, &actor.access, &org.path, (from, until)).await?;
        let writers: Vec<(PersonId, PersonStatus)> = people_store::current_of_org(db, org.id)
            .await?
            .into_iter()
            .filter(|(id, status)| hands_in(*status) && !wrote.contains(id))
            .collect();
        let names =
            people_store::names(db, &writers.iter().map(|(id, _)| *id).collect::<Vec<_>>()).await?;
        let mut silent: Vec<(String, PersonStatus)> = writers
            .into_iter()
            .map(|(id, status)| (names.get(&id).cloned().unwrap_or_default(), status))
            .collect();
        silent.sort_by(|a, b| a.0.cmp(&b.0));
        let reader = self.own_person(actor).await?.map(|p| p.id);
        Ok(OrgThoughtReports {
            reports: self.report_views(actor, reports, reader).await?,
            total,
            unanswered,
            org,
            year,
            silent,
        })
    }
}
