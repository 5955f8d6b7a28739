//! The five ledgers (台账) of an organization for a year, read from the records: each item
//! with how many records it holds, the evidence attached, who recorded them, and its gaps.
//! Nothing is typed twice; an item whose records the platform does not keep yet says which
//! module will keep them.
//!
//! Each capability fills the items whose records it keeps through a `LedgerSource` declared
//! in its own folder; `SOURCES` registers each with one line.

use crate::org::OrgOverview;
use crate::{Actor, App, AppError, Result};
use chrono::NaiveDate;
use dangjian_domain::ids::OrgId;
use dangjian_domain::ledgers::{Gap, LedgerItem, LedgerKind};
use dangjian_domain::org::{Org, Position};
use dangjian_domain::platform::role::Action;
use std::collections::{BTreeSet, HashMap};

/// Every capability's ledger items.
pub(crate) const SOURCES: &[LedgerSource] = &[
    crate::people::ledger::LEDGER,
    crate::development::ledger::LEDGER,
    crate::meetings::ledger::LEDGER,
    crate::org::ledger::LEDGER,
];

/// The organization and year the ledgers are read for. Only `of_org` makes one, after reading
/// the organization in the reader's scope, so a source may trust that check.
pub(crate) struct LedgerYear {
    pub org: Org,
    /// The organization's committee, counts and size warnings, read once for the committee's
    /// item and the ledgers' duties.
    pub overview: OrgOverview,
    pub year: i32,
    /// The first and last day of the year (1 January and 31 December).
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub today: NaiveDate,
}

impl LedgerYear {
    /// Whether a day falls in the ledgers' year.
    pub fn holds(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.until
    }
}

/// What a capability's items of the ledgers hold for one organization and year.
pub(crate) type Entries<'a> =
    std::pin::Pin<Box<dyn Future<Output = Result<Vec<LedgerEntry>>> + Send + 'a>>;

/// The ledger items a capability fills from its records.
pub(crate) struct LedgerSource {
    /// The items it fills.
    pub items: &'static [LedgerItem],
    /// Those items for one organization and year, read with the reader's access.
    pub read: for<'a> fn(&'a App, &'a Actor, &'a LedgerYear) -> Entries<'a>,
}

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
    pub(crate) fn new(item: LedgerItem) -> Self {
        Self {
            item,
            records: 0,
            evidence: 0,
            recorders: Vec::new(),
            gaps: Vec::new(),
            link: None,
        }
    }

    /// Whether the platform keeps the item's records yet: a registered capability fills it.
    pub fn kept(&self) -> bool {
        SOURCES.iter().any(|s| s.items.contains(&self.item))
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

/// Who recorded a set of records, each once, in order.
pub(crate) fn recorders<'a>(names: impl Iterator<Item = &'a String>) -> Vec<String> {
    names
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

capability!(
    /// 台账: the five ledgers read from the records.
    LedgerCases,
    ledgers
);

impl LedgerCases<'_> {
    /// The ledgers of an organization for a year, from its records and its subtree's.
    pub async fn of_org(self, actor: &Actor, org_id: OrgId, year: i32) -> Result<Ledgers> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的台账"));
        }
        let (from, until) = self.record_year(year)?;
        let overview = self.org().overview(actor, &org).await?;
        let at = LedgerYear {
            org,
            overview,
            year,
            from,
            until,
            today: self.today(),
        };
        let mut entries: HashMap<LedgerItem, LedgerEntry> = HashMap::new();
        for source in SOURCES {
            for e in (source.read)(self.0, actor, &at).await? {
                entries.insert(e.item, e);
            }
        }
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
        let committee = &at.overview.committee;
        let seat = |p: Position| {
            committee
                .iter()
                .find(|s| s.seat.position == p)
                .map(|s| s.person_name.clone())
        };
        Ok(Ledgers {
            collectors: committee.iter().map(|s| s.person_name.clone()).collect(),
            compiler: seat(Position::OrganizationCommissioner),
            checker: seat(Position::Secretary),
            org: at.org,
            year,
            ledgers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_filled_by_one_capability_or_names_the_module_to_come_seed_001_三() {
        for item in LedgerItem::ALL {
            let filled = SOURCES.iter().filter(|s| s.items.contains(item)).count();
            assert!(filled <= 1, "{item:?} filled twice");
            assert_eq!(
                filled == 0,
                item.kept_later_by().is_some(),
                "{item:?}: kept by none, or said to come later though kept"
            );
        }
    }
}
