//! The organization's items of the 党支部综合台账: its committee and terms, and its history.

use crate::ledgers::{Entries, LedgerEntry, LedgerLink, LedgerSource, LedgerYear};
use crate::{Actor, App, Result};
use dangjian_domain::ledgers::{Gap, LedgerItem};
use dangjian_domain::org::Position;

pub(crate) const LEDGER: LedgerSource = LedgerSource {
    items: &[LedgerItem::Committee, LedgerItem::OrgHistory],
    read,
};

fn read<'a>(app: &'a App, actor: &'a Actor, at: &'a LedgerYear) -> Entries<'a> {
    Box::pin(entries(app, actor, at))
}

async fn entries(app: &App, _actor: &Actor, at: &LedgerYear) -> Result<Vec<LedgerEntry>> {
    let overview = &at.overview;
    let mut committee = LedgerEntry::new(LedgerItem::Committee);
    committee.records = overview.committee.len();
    committee.link = Some(LedgerLink::Organization);
    if !overview
        .committee
        .iter()
        .any(|s| s.seat.position == Position::Secretary)
    {
        committee.gaps.push(Gap::NoSecretary);
    }
    committee.gaps.extend(Gap::term_ended(
        overview.committee.iter().map(|s| s.seat.term_end).min(),
        at.today,
    ));
    committee
        .gaps
        .extend(overview.warnings.iter().cloned().map(Gap::Size));

    let events = app.org().events(&at.org).await?;
    let mut history = LedgerEntry::new(LedgerItem::OrgHistory);
    history.records = events.iter().filter(|e| at.holds(e.event.on_date)).count();
    history.link = Some(LedgerLink::Organization);
    Ok(vec![committee, history])
}
