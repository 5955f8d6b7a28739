//! The compliance engine as a calendar (落实情况日历): for each branch and party group of a
//! subtree, each month of a year with the rules whose period ends in it — kept, still open or
//! missed — so that a quarter's general meeting shows once, in the quarter's last month.

use super::ComplianceRow;
use crate::meetings::MeetingCases;
use crate::{Actor, Result};
use chrono::Datelike;
use dangjian_domain::ids::OrgId;
use dangjian_domain::meetings::{Kept, Requirement};
use dangjian_domain::org::Org;
use std::collections::BTreeMap;

/// One month of one organization: the rules whose period ends in it, by how they stand.
#[derive(Debug, Clone, Default)]
pub struct CalendarCell {
    pub kept: Vec<Requirement>,
    pub open: Vec<Requirement>,
    pub missed: Vec<Requirement>,
}

impl CalendarCell {
    fn add(&mut self, r: &ComplianceRow) {
        match r.kept {
            Kept::Yes => self.kept.push(r.rule),
            Kept::Open => self.open.push(r.rule),
            Kept::Missed => self.missed.push(r.rule),
        }
    }

    /// The rules as the cell names them.
    pub fn names(rules: &[Requirement]) -> String {
        rules
            .iter()
            .map(Requirement::label)
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// One organization's year.
#[derive(Debug, Clone)]
pub struct CalendarRow {
    pub org_id: OrgId,
    pub org_name: String,
    /// January to December.
    pub months: Vec<CalendarCell>,
}

impl CalendarRow {
    pub fn missed(&self) -> usize {
        self.months.iter().map(|c| c.missed.len()).sum()
    }
}

/// A subtree's year of organizational life against the rules, month by month.
#[derive(Debug, Clone)]
pub struct ComplianceCalendar {
    pub org: Org,
    pub year: i32,
    pub rows: Vec<CalendarRow>,
}

impl ComplianceCalendar {
    pub fn missed(&self) -> usize {
        self.rows.iter().map(CalendarRow::missed).sum()
    }

    /// The organizations that missed something, of those listed.
    pub fn behind(&self) -> usize {
        self.rows.iter().filter(|r| r.missed() > 0).count()
    }
}

impl MeetingCases<'_> {
    /// The compliance calendar of an organization's subtree for a year.
    pub async fn compliance_calendar(
        self,
        actor: &Actor,
        org_id: OrgId,
        year: i32,
    ) -> Result<ComplianceCalendar> {
        if year < dangjian_domain::calendar::FIRST_RECORD_YEAR || year > self.today().year() + 1 {
            return Err(
                dangjian_domain::FieldError::new("year", "年度", "应为 2000 年至明年").into(),
            );
        }
        let org = self.org().get(actor, org_id).await?;
        let months = self
            .compliance_months(actor, org_id, year, 1..=12, super::Reach::Subtree)
            .await?;
        // In the order the engine lists the organizations.
        let mut order: Vec<OrgId> = Vec::new();
        let mut rows: BTreeMap<OrgId, CalendarRow> = BTreeMap::new();
        for (month, month_rows) in &months {
            for r in month_rows {
                let row = rows.entry(r.org_id).or_insert_with(|| {
                    order.push(r.org_id);
                    CalendarRow {
                        org_id: r.org_id,
                        org_name: r.org_name.clone(),
                        months: vec![CalendarCell::default(); 12],
                    }
                });
                // A rule shows in the month its period ends.
                if r.period.1.month() == *month
                    && r.period.1.year() == year
                    && let Some(cell) = usize::try_from(month - 1)
                        .ok()
                        .and_then(|i| row.months.get_mut(i))
                {
                    cell.add(r);
                }
            }
        }
        Ok(ComplianceCalendar {
            rows: order
                .into_iter()
                .filter_map(|id| rows.remove(&id))
                .collect(),
            org,
            year,
        })
    }
}
