//! The five ledgers (台账) of an organization for a year, read from the records: each item
//! with how many records it holds, the evidence attached, who recorded them, and its gaps.
//! Nothing is typed twice; an item whose records the platform does not keep yet says which
//! module will keep them.

use crate::{Actor, AppError, Result};
use chrono::{Datelike, NaiveDate};
use dangjian_domain::development::{Stage, Step};
use dangjian_domain::ledgers::{LedgerItem, LedgerKind};
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
    pub gaps: Vec<String>,
    /// Where the records are read and kept.
    pub link: Option<String>,
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

/// Names listed after a count: "3 人：甲、乙、丙".
fn named(names: &[String]) -> String {
    format!("{} 人：{}", names.len(), names.join("、"))
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
        roster.link = Some(format!("/people?under={id}"));
        let no_phone: Vec<String> = people
            .iter()
            .filter(|r| r.phone_cipher.is_none())
            .map(|r| r.person.name.clone())
            .collect();
        if !no_phone.is_empty() {
            roster
                .gaps
                .push(format!("未登记联系电话 {}", named(&no_phone)));
        }
        let no_group: Vec<String> = people
            .iter()
            .filter(|r| r.person.group_id.is_none())
            .map(|r| r.person.name.clone())
            .collect();
        if has_groups && !no_group.is_empty() {
            roster.gaps.push(format!(
                "未编入党小组 {}（支部条例第十三条）",
                named(&no_group)
            ));
        }

        let board = self.development().board(actor, id).await?;
        let dev = entry(&mut entries, LedgerItem::DevelopmentRoster);
        dev.records = board
            .by_stage
            .iter()
            .filter(|(s, _)| *s != Stage::Probationary)
            .map(|(_, rows)| rows.len())
            .sum();
        dev.link = Some(format!("/orgs/{id}/development"));
        let overdue: Vec<String> = board
            .due
            .iter()
            .filter(|r| r.due.is_some_and(|(_, _, passed)| passed))
            .filter_map(|r| {
                r.due
                    .map(|(step, by, _)| format!("{}（{}，{by}）", r.name, step.label()))
            })
            .collect();
        if !overdue.is_empty() {
            dev.gaps.push(format!(
                "已超过期限 {} 项：{}",
                overdue.len(),
                overdue.join("、")
            ));
        }
        let unmentored: Vec<String> = board
            .by_stage
            .iter()
            .filter(|(s, _)| *s == Stage::Activist)
            .flat_map(|(_, rows)| rows)
            .filter(|r| r.next == Some(Step::MentorsAssigned))
            .map(|r| r.name.clone())
            .collect();
        if !unmentored.is_empty() {
            dev.gaps.push(format!(
                "尚未指定培养联系人的积极分子 {}（细则第九条）",
                named(&unmentored)
            ));
        }

        let reports = self
            .development()
            .thought_reports_of_org(actor, id, year)
            .await?;
        let thought = entry(&mut entries, LedgerItem::ThoughtReports);
        thought.records = reports.reports.len();
        thought.link = Some(format!("/orgs/{id}/thought-reports?year={year}"));
        let unanswered = reports
            .reports
            .iter()
            .filter(|r| r.report.answer.is_none())
            .count();
        if unanswered > 0 {
            thought
                .gaps
                .push(format!("培养联系人尚未回复 {unanswered} 份"));
        }
        if !reports.silent.is_empty() {
            let names: Vec<String> = reports.silent.iter().map(|(n, _)| n.clone()).collect();
            thought
                .gaps
                .push(format!("本年度尚未递交 {}", named(&names)));
        }

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
        let mut missed: Vec<(dangjian_domain::meetings::MeetingKind, String)> = Vec::new();
        let mut seen = HashSet::new();
        for (_, rows) in self
            .meetings()
            .compliance_months(actor, id, year, 1..=last_month)
            .await?
        {
            for r in rows {
                if r.kept == Kept::Missed && seen.insert((r.org_id, r.rule.kind, r.period)) {
                    let whose = if r.org_id == id {
                        String::new()
                    } else {
                        format!("{}：", r.org_name)
                    };
                    missed.push((
                        r.rule.kind,
                        format!(
                            "{whose}{} 至 {} 未召开（{}，{}）",
                            r.period.0,
                            r.period.1,
                            r.rule.every_label(),
                            r.rule.basis
                        ),
                    ));
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
            e.link = Some(format!("/orgs/{id}/meetings?year={year}"));
            e.gaps.extend(
                missed
                    .iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, g)| g.clone()),
            );
            if tally.unlocked > 0 {
                e.gaps
                    .push(format!("{} 次会议记录尚未经书记确认锁定", tally.unlocked));
            }
            if tally.no_minutes > 0 {
                e.gaps
                    .push(format!("{} 次会议没有会议记录", tally.no_minutes));
            }
            if tally.no_photo > 0 {
                e.gaps.push(format!(
                    "{} 次会议没有照片（有作为，必有记录）",
                    tally.no_photo
                ));
            }
        }

        let talks = self.meetings().heart_talks(actor, id, year).await?;
        let talk = entry(&mut entries, LedgerItem::HeartTalks);
        talk.records = talks.talks.len();
        talk.recorders = recorders(talks.talks.iter().map(|t| &t.talk.recorded_by_name));
        talk.link = Some(format!("/orgs/{id}/talks?year={year}"));
        if !talks.untalked.is_empty() {
            talk.gaps.push(format!(
                "尚未谈心谈话的党员 {}（支部条例第十九条）",
                named(&talks.untalked)
            ));
        }

        let life = self.meetings().member_life(actor, id, year).await?;
        let study = entry(&mut entries, LedgerItem::StudyHours);
        study.records = life.members.len();
        study.link = Some(format!("/orgs/{id}/member-life?year={year}"));
        let short: Vec<String> = life
            .members
            .iter()
            .filter(|m| m.hours_short() > 0)
            .map(|m| format!("{}（差 {} 学时）", m.name, m.hours_short()))
            .collect();
        if !short.is_empty() {
            study.gaps.push(format!(
                "学时未达要求 {}（教育条例第二十条）",
                named(&short)
            ));
        }
        let away: Vec<String> = life
            .members
            .iter()
            .filter(|m| m.away)
            .map(|m| m.name.clone())
            .collect();
        if !away.is_empty() {
            study.gaps.push(format!(
                "连续六个月未参加组织生活 {}（支部条例第三十一条）",
                named(&away)
            ));
        }

        // 党支部综合台账.
        let overview = self.org().overview(actor, &org).await?;
        let committee = entry(&mut entries, LedgerItem::Committee);
        committee.records = overview.committee.len();
        committee.link = Some(format!("/orgs/{id}"));
        let seat = |p: Position| {
            overview
                .committee
                .iter()
                .find(|s| s.seat.position == p)
                .map(|s| s.person_name.clone())
        };
        if seat(Position::Secretary).is_none() {
            committee.gaps.push("未配备书记".to_owned());
        }
        if let Some(end) = overview.committee.iter().map(|s| s.seat.term_end).min()
            && end < today
        {
            committee
                .gaps
                .push(format!("任期已于 {end} 届满，应按期换届（党章第三十一条）"));
        }
        committee.gaps.extend(
            overview
                .warnings
                .iter()
                .map(|w| format!("{}（{}）", w.message, w.basis)),
        );

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
        development.link = Some(format!("/orgs/{id}/development?year={year}"));
        let late = steps.iter().filter(|s| s.breach.is_some()).count();
        if late > 0 {
            development
                .gaps
                .push(format!("{late} 个步骤逾期登记，已记入工作失误责任追究"));
        }

        let events = self.org().events(&org).await?;
        let history = entry(&mut entries, LedgerItem::OrgHistory);
        history.records = events.iter().filter(|e| in_year(e.event.on_date)).count();
        history.link = Some(format!("/orgs/{id}"));

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
