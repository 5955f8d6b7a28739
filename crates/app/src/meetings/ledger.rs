//! Organizational life's items of the 党组织生活台账: each kind of meeting held in the year with
//! its evidence and the rules missed, the heart talks, and the members' study hours.

use crate::ledgers::{Entries, LedgerEntry, LedgerLink, LedgerSource, LedgerYear, recorders};
use crate::meetings::{Reach, missed_gaps};
use crate::{Actor, App, Result};
use chrono::Datelike;
use dangjian_domain::ids::MeetingId;
use dangjian_domain::learning::StudyHours;
use dangjian_domain::ledgers::{Gap, LedgerItem};
use dangjian_domain::meetings::trail::MEETING;
use dangjian_domain::meetings::{MeetingKind, MeetingState};
use dangjian_domain::paging::{MAX_PER_PAGE, Paging};
use std::collections::{BTreeSet, HashMap};

pub(crate) const LEDGER: LedgerSource = LedgerSource {
    items: &[
        LedgerItem::GeneralMeetings,
        LedgerItem::CommitteeMeetings,
        LedgerItem::GroupMeetings,
        LedgerItem::PartyLectures,
        LedgerItem::ThemeDays,
        LedgerItem::LifeMeetings,
        LedgerItem::GroupStudy,
        LedgerItem::HeartTalks,
        LedgerItem::StudyHours,
    ],
    read,
};

fn read<'a>(app: &'a App, actor: &'a Actor, at: &'a LedgerYear) -> Entries<'a> {
    Box::pin(entries(app, actor, at))
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

async fn entries(app: &App, actor: &Actor, at: &LedgerYear) -> Result<Vec<LedgerEntry>> {
    let db = app.store.db();
    let id = at.org.id;
    // The subtree's meetings held in the year, with their photos, read a page at a time and
    // tallied by kind, so a large subtree is counted whole.
    let mut held: HashMap<MeetingKind, HeldTally> = HashMap::new();
    let mut paging = Paging::parse(Some(1), Some(MAX_PER_PAGE))?;
    loop {
        // The organization was read, in scope, by the ledgers: page the store directly.
        let page = dangjian_store::meetings::page_of_subtree(
            db,
            &actor.access,
            &at.org.path,
            (at.from, at.until),
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
            MEETING,
            &meetings.iter().map(|m| m.id.get()).collect::<Vec<_>>(),
        )
        .await?;
        let mut photos_of: HashMap<MeetingId, usize> = HashMap::new();
        for p in &photos {
            *photos_of.entry(MeetingId::new(p.entity_id)).or_default() += 1;
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
    let last_month = if at.year == at.today.year() {
        at.today.month()
    } else {
        12
    };
    let months = app
        .meetings()
        .compliance_months(actor, id, at.year, 1..=last_month, Reach::Subtree)
        .await?;
    let missed = missed_gaps(&months, id);
    let mut entries = Vec::new();
    for item in LEDGER.items.iter().copied() {
        let Some(kind) = item.meeting_kind() else {
            continue;
        };
        let mut e = LedgerEntry::new(item);
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
        entries.push(e);
    }

    let talks = app.meetings().heart_talks(actor, id, at.year).await?;
    let mut talk = LedgerEntry::new(LedgerItem::HeartTalks);
    talk.records = usize::try_from(talks.total).unwrap_or(usize::MAX);
    talk.recorders = recorders(talks.talks.iter().map(|t| &t.talk.recorded_by_name));
    talk.link = Some(LedgerLink::HeartTalks);
    talk.gaps.extend(Gap::of(talks.untalked, Gap::Untalked));
    entries.push(talk);

    let life = app.meetings().member_life(actor, id, at.year).await?;
    let mut study = LedgerEntry::new(LedgerItem::StudyHours);
    study.records = life.members.len();
    study.link = Some(LedgerLink::MemberLife);
    let short: Vec<(String, StudyHours)> = life
        .members
        .iter()
        .filter(|m| !m.hours_short().is_zero())
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
    entries.push(study);
    Ok(entries)
}
