//! The five ledgers (台账) of an organization for a year, read from the records: each item
//! with how many records it holds, the evidence attached, who recorded them, and its gaps.
//! Nothing is typed twice; an item whose records the platform does not keep yet says which
//! module will keep them.

use crate::{Actor, AppError, Result};
use chrono::{Datelike, NaiveDate};
use dangjian_domain::development::{Stage, Step};
use dangjian_domain::ledgers::{Gap, LedgerItem, LedgerKind};
use dangjian_domain::meetings::{Kept, MeetingKind, MeetingState};
use dangjian_domain::org::{Org, Position};
use dangjian_domain::paging::{MAX_PER_PAGE, Paging};
use dangjian_domain::platform::role::Action;
use std::collections::{BTreeSet, HashMap, HashSet};

/// One item of a ledger as the records make it.
#[derive(Debug, Clone)]
pub struct LedgerEntry {
    pub item: LedgerItem,
    /// Records in the item (for the year where the item is yearly).
    pub records: usize,
    /// Photos and documents attached to them.
    pub evidence: usize,
    /// Who recorded them.
    pub recorders: Vec<String>,
    /// What is missing, each with its rule.
    pub gaps: Vec<Gap>,
    /// Where the records are read and kept.
    pub link: Option<LedgerLink>,
}

/// The view of an organization's records where a ledger item's records are read and kept,
/// for the year of the ledgers where the records are yearly; the web gives each its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerLink {
    /// The roster of the subtree.
    Roster,
    /// The development board (发展党员工作台).
    DevelopmentBoard,
    /// The year's development steps.
    DevelopmentSteps,
    ThoughtReports,
    Meetings,
    HeartTalks,
    /// Members' attendance and study hours.
    MemberLife,
    /// The organization's own page: its committee and history.
    Organization,
}

impl LedgerEntry {
    fn new(item: LedgerItem) -> Self {
        Self {
            item,
            records: 0,
            evidence: 0,
            recorders: Vec::new(),
            gaps: Vec::new(),
            link: None,
        }
    }

    /// Whether the platform keeps the item's records yet.
    pub fn kept(&self) -> bool {
        self.item.kept_later_by().is_none()
    }
}

/// An organization's ledgers of a year, with who collects, compiles and checks them.
#[derive(Debug, Clone)]
pub struct Ledgers {
    pub org: Org,
    pub year: i32,
    /// The committee members, who collect (支部班子成员负责采集).
    pub collectors: Vec<String>,
    /// The organization commissioner, who compiles and archives (组织委员负责汇总).
    pub compiler: Option<String>,
    /// The secretary, who checks (支部书记负责检查).
    pub checker: Option<String>,
    pub ledgers: Vec<(LedgerKind, Vec<LedgerEntry>)>,
}

impl Ledgers {
    /// All the gaps of all the ledgers.
    pub fn gap_count(&self) -> usize {
        self.ledgers
            .iter()
            .flat_map(|(_, items)| items)
            .map(|e| e.gaps.len())
            .sum()
    }
}

/// The item of the ledgers being filled.
fn entry(entries: &mut HashMap<LedgerItem, LedgerEntry>, item: LedgerItem) -> &mut LedgerEntry {
    entries
        .entry(item)
        .or_insert_with(|| LedgerEntry::new(item))
}

/// Who recorded a set of records, each once, in order.
fn recorders<'a>(names: impl Iterator<Item = &'a String>) -> Vec<String> {
    names
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// What the meetings of one kind held in a year add up to.
#[derive(Default)]
struct HeldTally {
    records: usize,
    evidence: usize,
    unlocked: usize,
    no_minutes: usize,
    no_photo: usize,
    recorders: BTreeSet<String>,
}

capability!(
    /// 台账: the five ledgers read from the records.
    LedgerCases,
    ledgers
);

impl LedgerCases<'_> {
    /// The ledgers of an organization for a year, from its records and its subtree's.
    pub async fn of_org(self, actor: &Actor, org_id: i64, year: i32) -> Result<Ledgers> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的台账"));
        }
        let today = self.today();
        let (from, until) = self.record_year(year)?;
        let in_year = |d: NaiveDate| from <= d && d <= until;
        let mut entries: HashMap<LedgerItem, LedgerEntry> = HashMap::new();
        let db = self.store.db();
        let id = org.id;

        // 党员信息台账.
        let member_ids: Vec<i64> = dangjian_store::people::current_of_org(db, id)
            .await?
            .into_iter()
            .filter(|(_, s)| s.is_member())
            .map(|(p, _)| p)
            .collect();
        let people = dangjian_store::people::by_ids(db, &actor.access, &member_ids).await?;
        let has_groups = self
            .org()
            .children(actor, id, None)
            .await?
            .iter()
            .any(|c| c.kind == dangjian_domain::org::OrgKind::Group && c.is_active());
        let roster = entry(&mut entries, LedgerItem::MemberRoster);
        roster.records = people.len();
        roster.link = Some(LedgerLink::Roster);
        let no_phone: Vec<String> = people
            .iter()
            .filter(|r| r.phone_cipher.is_none())
            .map(|r| r.person.name.clone())
            .collect();
        roster.gaps.extend(Gap::of(no_phone, Gap::NoPhone));
        let no_group: Vec<String> = people
            .iter()
            .filter(|r| r.person.group_id.is_none())
            .map(|r| r.person.name.clone())
            .collect();
        roster.gaps.extend(Gap::not_in_group(has_groups, no_group));

        let board = self.development().board(actor, id).await?;
        let dev = entry(&mut entries, LedgerItem::DevelopmentRoster);
        dev.records = board
            .by_stage
            .iter()
            .filter(|(s, _)| *s != Stage::Probationary)
            .map(|(_, rows)| rows.len())
            .sum();
        dev.link = Some(LedgerLink::DevelopmentBoard);
        let overdue: Vec<_> = board
            .due
            .iter()
            .filter_map(|r| match r.due {
                Some((step, by, true)) => Some((r.name.clone(), step, by)),
                _ => None,
            })
            .collect();
        dev.gaps.extend(Gap::of(overdue, Gap::Overdue));
        let unmentored: Vec<String> = board
            .by_stage
            .iter()
            .filter(|(s, _)| *s == Stage::Activist)
            .flat_map(|(_, rows)| rows)
            .filter(|r| r.next == Some(Step::MentorsAssigned))
            .map(|r| r.name.clone())
            .collect();
        dev.gaps.extend(Gap::of(unmentored, Gap::NoMentor));

        let reports = self
            .development()
            .thought_reports_of_org(actor, id, year)
            .await?;
        let thought = entry(&mut entries, LedgerItem::ThoughtReports);
        thought.records = reports.reports.len();
        thought.link = Some(LedgerLink::ThoughtReports);
        let unanswered = reports
            .reports
            .iter()
            .filter(|r| r.report.answer.is_none())
            .count();
        thought.gaps.extend(Gap::count(unanswered, Gap::Unanswered));
        let silent: Vec<String> = reports.silent.iter().map(|(n, _)| n.clone()).collect();
        thought.gaps.extend(Gap::of(silent, Gap::NoThoughtReport));

        let sanctions = dangjian_store::discipline::of_people(db, &member_ids).await?;
        let disciplines = entry(&mut entries, LedgerItem::Disciplines);
        disciplines.records = sanctions
            .iter()
            .filter(|d| in_year(d.discipline.decided_on))
            .count();

        // 党组织生活台账: the subtree's meetings held in the year, with their photos, read a
        // page at a time and tallied by kind, so a large subtree is counted whole.
        let mut held: HashMap<MeetingKind, HeldTally> = HashMap::new();
        let mut paging = Paging::parse(Some(1), Some(MAX_PER_PAGE))?;
        loop {
            // The organization was read, in scope, above: page the store directly.
            let page = dangjian_store::meetings::page_of_subtree(
                db,
                &actor.access,
                &org.path,
                (from, until),
                paging,
            )
            .await?;
            let meetings: Vec<_> = page
                .items
                .into_iter()
                .filter(|m| m.state.is_held())
                .collect();
            let photos = dangjian_store::attachment::of_records(
                db,
                &actor.access,
                "meeting",
                &meetings.iter().map(|m| m.id).collect::<Vec<_>>(),
            )
            .await?;
            let mut photos_of: HashMap<i64, usize> = HashMap::new();
            for p in &photos {
                *photos_of.entry(p.entity_id).or_default() += 1;
            }
            for m in meetings {
                let t = held.entry(m.plan.kind).or_default();
                let photos = photos_of.get(&m.id).copied().unwrap_or(0);
                t.records += 1;
                t.evidence += photos;
                t.unlocked += usize::from(m.state != MeetingState::Locked);
                t.no_minutes += usize::from(m.minutes.trim().is_empty());
                t.no_photo += usize::from(photos == 0);
                t.recorders.insert(m.recorded_by_name);
            }
            if paging.page >= paging.pages(page.total) {
                break;
            }
            paging.page += 1;
        }
        // Each month so far against the rules, every rule missed once per period.
        let last_month = if year == today.year() {
            today.month()
        } else {
            12
        };
        let mut missed: Vec<Gap> = Vec::new();
        let mut seen = HashSet::new();
        for (_, rows) in self
            .meetings()
            .compliance_months(actor, id, year, 1..=last_month)
            .await?
        {
            for r in rows {
                if r.kept == Kept::Missed && seen.insert((r.org_id, r.rule.kind, r.period)) {
                    missed.push(Gap::Missed {
                        org_name: (r.org_id != id).then_some(r.org_name),
                        rule: r.rule,
                        period: r.period,
                    });
                }
            }
        }
        for item in LedgerItem::ALL.iter().copied() {
            let Some(kind) = item.meeting_kind() else {
                continue;
            };
            let e = entry(&mut entries, item);
            let tally = held.remove(&kind).unwrap_or_default();
            e.records = tally.records;
            e.evidence = tally.evidence;
            e.recorders = tally.recorders.into_iter().collect();
            e.link = Some(LedgerLink::Meetings);
            e.gaps.extend(
                missed
                    .iter()
                    .filter(|g| matches!(g, Gap::Missed { rule, .. } if rule.kind == kind))
                    .cloned(),
            );
            e.gaps.extend(Gap::count(tally.unlocked, Gap::Unlocked));
            e.gaps.extend(Gap::count(tally.no_minutes, Gap::NoMinutes));
            e.gaps.extend(Gap::count(tally.no_photo, Gap::NoPhoto));
        }

        let talks = self.meetings().heart_talks(actor, id, year).await?;
        let talk = entry(&mut entries, LedgerItem::HeartTalks);
        talk.records = talks.talks.len();
        talk.recorders = recorders(talks.talks.iter().map(|t| &t.talk.recorded_by_name));
        talk.link = Some(LedgerLink::HeartTalks);
        talk.gaps.extend(Gap::of(talks.untalked, Gap::Untalked));

        let life = self.meetings().member_life(actor, id, year).await?;
        let study = entry(&mut entries, LedgerItem::StudyHours);
        study.records = life.members.len();
        study.link = Some(LedgerLink::MemberLife);
        let short: Vec<(String, u32)> = life
            .members
            .iter()
            .filter(|m| m.hours_short() > 0)
            .map(|m| (m.name.clone(), m.hours_short()))
            .collect();
        study.gaps.extend(Gap::of(short, Gap::HoursShort));
        let away: Vec<String> = life
            .members
            .iter()
            .filter(|m| m.away)
            .map(|m| m.name.clone())
            .collect();
        study.gaps.extend(Gap::of(away, Gap::Away));

        // 党支部综合台账.
        let overview = self.org().overview(actor, &org).await?;
        let committee = entry(&mut entries, LedgerItem::Committee);
        committee.records = overview.committee.len();
        committee.link = Some(LedgerLink::Organization);
        let seat = |p: Position| {
            overview
                .committee
                .iter()
                .find(|s| s.seat.position == p)
                .map(|s| s.person_name.clone())
        };
        if seat(Position::Secretary).is_none() {
            committee.gaps.push(Gap::NoSecretary);
        }
        committee.gaps.extend(Gap::term_ended(
            overview.committee.iter().map(|s| s.seat.term_end).min(),
            today,
        ));
        committee
            .gaps
            .extend(overview.warnings.iter().cloned().map(Gap::Size));

        let steps = dangjian_store::development::steps_in(
            db,
            &actor.access,
            &org.path,
            None,
            (from, until),
        )
        .await?;
        let development = entry(&mut entries, LedgerItem::Development);
        development.records = steps.len();
        development.recorders = recorders(steps.iter().map(|s| &s.recorded_by_name));
        development.link = Some(LedgerLink::DevelopmentSteps);
        let late = steps.iter().filter(|s| s.breach.is_some()).count();
        development.gaps.extend(Gap::count(late, Gap::LateSteps));

        let events = self.org().events(&org).await?;
        let history = entry(&mut entries, LedgerItem::OrgHistory);
        history.records = events.iter().filter(|e| in_year(e.event.on_date)).count();
        history.link = Some(LedgerLink::Organization);

        let ledgers = LedgerKind::ALL
            .iter()
            .map(|k| {
                (
                    *k,
                    LedgerItem::of(*k)
                        .map(|i| entries.remove(&i).unwrap_or_else(|| LedgerEntry::new(i)))
                        .collect(),
                )
            })
            .collect();
        Ok(Ledgers {
            collectors: overview
                .committee
                .iter()
                .map(|s| s.person_name.clone())
                .collect(),
            compiler: seat(Position::OrganizationCommissioner),
            checker: seat(Position::Secretary),
            org,
            year,
            ledgers,
        })
    }
}
