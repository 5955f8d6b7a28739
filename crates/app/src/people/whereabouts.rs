//! Members out of the branch's reach (RULES.md §2): the branch records a member lost, abroad
//! or graduated and kept; suspends the membership of one lost six months (停止党籍); records
//! each contact with one abroad; ends a record when contact is regained, the member is back or
//! their relation moved. What each open record asks, and when, is listed for the subtree.

use crate::notification::{DIGEST_ROWS, Digest, Draft, Drafts, Every};
use crate::people::PeopleCases;
use crate::{Actor, App, AppError, Result};
use chrono::NaiveDate;
use dangjian_domain::ids::PersonId;
use dangjian_domain::org::OrgPath;
use dangjian_domain::people::trail;
pub use dangjian_domain::people::whereabouts::WhereaboutsRecord;
use dangjian_domain::people::whereabouts::{Whereabouts, WhereaboutsDue, check_member};
use dangjian_domain::platform::role::Action;
use dangjian_store::people as people_store;
use dangjian_store::whereabouts as store;
use serde_json::json;

/// The most open records a due list reads: more than any university has lost or abroad at
/// once, so the list is bounded without hiding a real one.
pub const DUE_LIST_LIMIT: u64 = 2_000;

/// What one open record asks of its branch, and from which day.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WhereaboutsDueRow {
    pub record: WhereaboutsRecord,
    pub person_name: String,
    pub org_name: String,
    pub due: WhereaboutsDue,
    pub due_on: NaiveDate,
    pub basis: &'static str,
    /// The day has come.
    pub overdue: bool,
}

/// A change to an open record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhereaboutsAct {
    /// 停止党籍, of a member lost six months.
    Suspend,
    /// A contact with a member abroad.
    Contact,
    /// Contact regained, the member back, their relation moved.
    End,
}

impl WhereaboutsAct {
    /// The act a form or a request names: `suspend`, `contact` or `end`.
    pub fn parse(code: &str) -> std::result::Result<Self, dangjian_domain::FieldError> {
        match code.trim() {
            "suspend" => Ok(Self::Suspend),
            "contact" => Ok(Self::Contact),
            "end" => Ok(Self::End),
            _ => Err(dangjian_domain::FieldError::new(
                "act",
                "操作",
                "请选择停止党籍、登记联系或结束",
            )),
        }
    }
}

impl PeopleCases<'_> {
    /// A person's records, newest first, within the actor's scope.
    pub async fn whereabouts(
        self,
        actor: &Actor,
        person_id: PersonId,
    ) -> Result<Vec<WhereaboutsRecord>> {
        let db = self.store.db();
        people_store::find(db, &actor.access, Action::ReadRecords, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(store::of_person(db, person_id).await?)
    }

    /// Records a member out of reach; a person has one open record at a time.
    pub async fn record_whereabouts(
        self,
        actor: &Actor,
        person_id: PersonId,
        whereabouts: Whereabouts,
    ) -> Result<WhereaboutsRecord> {
        let record = WhereaboutsRecord {
            id: self.new_id(),
            person_id,
            whereabouts,
            recorded_by_name: self.development().answerable_name(actor).await?,
            created_at: self.now_ms(),
        };
        // The person and their records are read under the write lock: a status changed or a
        // record made meanwhile counts.
        let tx = self.store.begin_write().await?;
        let person = people_store::find(tx.conn(), &actor.access, Action::WriteRecords, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_member(&person.person.name, person.person.status)?;
        // One record open at a time, so that what is due of a member is told once.
        if let Some(open) = store::of_person(tx.conn(), person_id)
            .await?
            .into_iter()
            .find(|r| r.whereabouts.is_open())
        {
            return Err(AppError::Conflict {
                field: "kind",
                message: format!(
                    "{} 已有未结束的“{}”记录（自 {}），请先结束该记录",
                    person.person.name,
                    open.whereabouts.kind.label(),
                    open.whereabouts.since
                ),
            });
        }
        store::insert(&tx, &record, &person.org_path).await?;
        let audit = actor.record(
            trail::WHEREABOUTS,
            Some(person_id.get()),
            Some(person.org_path.as_str()),
            None,
            Some(json!(record)),
        );
        self.finish(tx, audit).await?;
        Ok(record)
    }

    /// Suspends, records a contact or ends an open record, on `on`. A suspension ends the
    /// member's seats: with no rights, they may neither elect nor be elected.
    pub async fn change_whereabouts(
        self,
        actor: &Actor,
        record_id: i64,
        act: WhereaboutsAct,
        on: NaiveDate,
    ) -> Result<WhereaboutsRecord> {
        let today = self.today();
        let tx = self.store.begin_write().await?;
        let (before, path) = store::find(tx.conn(), &actor.access, Action::WriteRecords, record_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut after = before.clone();
        match act {
            WhereaboutsAct::Suspend => after.whereabouts.suspend(on, today)?,
            WhereaboutsAct::Contact => after.whereabouts.contact(on, today)?,
            WhereaboutsAct::End => after.whereabouts.end(on, today)?,
        }
        store::update(&tx, &after).await?;
        let seats_ended = if act == WhereaboutsAct::Suspend {
            self.org()
                .end_seats_of_leavers(&tx, &[after.person_id], None)
                .await?
        } else {
            Vec::new()
        };
        let action = match act {
            WhereaboutsAct::Suspend => trail::SUSPEND,
            WhereaboutsAct::Contact => trail::CONTACT_ABROAD,
            WhereaboutsAct::End => trail::WHEREABOUTS_END,
        };
        let audit = actor.record(
            action,
            Some(after.person_id.get()),
            Some(path.as_str()),
            Some(json!(before)),
            Some(crate::org::with_seats_ended(json!(after), &seats_ended)),
        );
        self.finish(tx, audit).await?;
        Ok(after)
    }

    /// What the open records of a subtree ask, due within `days` from today (overdue ones
    /// first, then by day).
    pub async fn whereabouts_due(
        self,
        actor: &Actor,
        under: &OrgPath,
        days: u32,
    ) -> Result<Vec<WhereaboutsDueRow>> {
        if !actor.access.can_at(Action::ReadRecords, under) {
            return Err(AppError::Forbidden("查看失联和出国（境）党员"));
        }
        let db = self.store.db();
        let today = self.today();
        let by = today + chrono::Duration::days(i64::from(days));
        let open = store::open_under(db, &actor.access, under, DUE_LIST_LIMIT).await?;
        let people: Vec<PersonId> = open.iter().map(|(r, _)| r.person_id).collect();
        let names = people_store::names(db, &people).await?;
        let org_ids: Vec<_> = open.iter().map(|(_, p)| p.id()).collect();
        let orgs = dangjian_store::org::by_ids(db, &org_ids).await?;
        let mut rows: Vec<WhereaboutsDueRow> = open
            .into_iter()
            .filter_map(|(record, path)| {
                let (due, due_on, basis) = record.whereabouts.next_due()?;
                (due_on <= by).then(|| WhereaboutsDueRow {
                    person_name: names.get(&record.person_id).cloned().unwrap_or_default(),
                    org_name: orgs
                        .get(&path.id())
                        .map(|o| o.name.clone())
                        .unwrap_or_default(),
                    record,
                    due,
                    due_on,
                    basis,
                    overdue: due_on <= today,
                })
            })
            .collect();
        rows.sort_by_key(|r| (r.due_on, r.record.id));
        Ok(rows)
    }

    /// Of some people, those without a member's rights on `day`: under 留党察看 (党章第四十条)
    /// or with their membership suspended (停止党籍).
    pub(crate) async fn without_rights(
        self,
        ids: &[PersonId],
        day: NaiveDate,
    ) -> Result<Vec<PersonId>> {
        let mut out = self.on_probation_discipline(ids, day).await?;
        out.extend(store::suspended_among(self.store.db(), ids, day).await?);
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

/// 失联和出国（境）党员提醒: on the first morning of a month, each account that reads a
/// subtree's records hears what its members lost, abroad or graduated ask this month.
pub const WHEREABOUTS_DIGEST: Digest = Digest {
    job: "whereabouts_digest",
    every: Every::Month,
    readers: Action::ReadRecords,
    audit_action: trail::WHEREABOUTS_DIGEST,
    compose,
};

/// What a monthly digest looks ahead: the month to come.
const DIGEST_DAYS: u32 = 31;

fn compose<'a>(app: &'a App, actor: &'a Actor, month: NaiveDate) -> Drafts<'a> {
    Box::pin(due_this_month(app, actor, month))
}

async fn due_this_month(app: &App, actor: &Actor, month: NaiveDate) -> Result<Vec<Draft>> {
    let mut drafts = Vec::new();
    for org in app.org().scope_roots(actor).await? {
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            continue;
        }
        let rows = app
            .people()
            .whereabouts_due(actor, &org.path, DIGEST_DAYS)
            .await?;
        if rows.is_empty() {
            continue;
        }
        let mut lines: Vec<String> = rows
            .iter()
            .take(DIGEST_ROWS)
            .map(|r| {
                format!(
                    "{}（{}）：{}，{} {}（{}）",
                    r.person_name,
                    r.org_name,
                    r.record.whereabouts.kind.label(),
                    if r.overdue { "应于" } else { "将于" },
                    r.due_on,
                    r.due.label()
                )
            })
            .collect();
        if rows.len() > lines.len() {
            lines.push(format!(
                "……另有 {} 项，见组织提醒",
                rows.len() - lines.len()
            ));
        }
        drafts.push(Draft {
            title: format!(
                "{}失联、出国（境）和毕业生党员：{} 有 {} 项待办",
                month.format("%Y年%-m月"),
                org.name,
                rows.len()
            ),
            body: lines.join("\n"),
            link: Some(format!("/orgs/alerts?under={}", org.id)),
        });
    }
    Ok(drafts)
}
