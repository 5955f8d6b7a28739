//! Development's items of the ledgers: the roster of those on the path and their thought
//! reports (党员信息台账), and the year's recorded steps (发展党员工作纪实, 党支部综合台账).

use crate::ledgers::{Entries, LedgerEntry, LedgerLink, LedgerSource, LedgerYear, recorders};
use crate::{Actor, App, Result};
use dangjian_domain::development::{Stage, Step};
use dangjian_domain::ledgers::{Gap, LedgerItem};

pub(crate) const LEDGER: LedgerSource = LedgerSource {
    items: &[
        LedgerItem::DevelopmentRoster,
        LedgerItem::ThoughtReports,
        LedgerItem::Development,
    ],
    read,
};

fn read<'a>(app: &'a App, actor: &'a Actor, at: &'a LedgerYear) -> Entries<'a> {
    Box::pin(entries(app, actor, at))
}

async fn entries(app: &App, actor: &Actor, at: &LedgerYear) -> Result<Vec<LedgerEntry>> {
    let id = at.org.id;
    let board = app.development().board(actor, id).await?;
    let mut dev = LedgerEntry::new(LedgerItem::DevelopmentRoster);
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

    let reports = app
        .development()
        .thought_reports_of_org(actor, id, at.year)
        .await?;
    let mut thought = LedgerEntry::new(LedgerItem::ThoughtReports);
    thought.records = usize::try_from(reports.total).unwrap_or(usize::MAX);
    thought.link = Some(LedgerLink::ThoughtReports);
    let unanswered = usize::try_from(reports.unanswered).unwrap_or(usize::MAX);
    thought.gaps.extend(Gap::count(unanswered, Gap::Unanswered));
    let silent: Vec<String> = reports.silent.iter().map(|(n, _)| n.clone()).collect();
    thought.gaps.extend(Gap::of(silent, Gap::NoThoughtReport));

    let steps = dangjian_store::development::steps_in(
        app.store.db(),
        &actor.access,
        &at.org.path,
        None,
        (at.from, at.until),
    )
    .await?;
    let mut development = LedgerEntry::new(LedgerItem::Development);
    development.records = steps.len();
    development.recorders = recorders(steps.iter().map(|s| &s.recorded_by_name));
    development.link = Some(LedgerLink::DevelopmentSteps);
    let late = steps.iter().filter(|s| s.breach.is_some()).count();
    development.gaps.extend(Gap::count(late, Gap::LateSteps));
    Ok(vec![dev, thought, development])
}
