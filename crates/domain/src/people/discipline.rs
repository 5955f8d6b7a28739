//! Party discipline (党纪处分) as the roster keeps it: the sanctions that leave a person a
//! member (党章第三十九条), each with the day it was decided. 留党察看 runs one or two years
//! (党章第四十条) and, while it runs, bars the member from sponsoring a candidate (细则第十四条).
//! 开除党籍 ends membership and belongs with the changes of status, not here.

use crate::ids::PersonId;
use crate::{DomainError, FieldError, labelled_enum, text};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// The sanctions of 党章第三十九条 that keep the person a member.
    pub enum DisciplineKind {
        Warning = ("warning", "警告"),
        SeriousWarning = ("serious_warning", "严重警告"),
        RemovalFromPost = ("removal_from_post", "撤销党内职务"),
        Probation = ("probation", "留党察看"),
    }
}

/// The lengths 留党察看 may run (党章第四十条: at most two years).
pub const PROBATION_YEARS: [u32; 2] = [1, 2];

/// A sanction decided on a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discipline {
    pub kind: DisciplineKind,
    pub decided_on: NaiveDate,
    /// The last day of 留党察看; none for the other sanctions.
    pub until: Option<NaiveDate>,
    /// The body that decided it (支部大会 with the higher committee's approval, 纪委…).
    pub decided_by: String,
    pub reason: String,
}

impl Discipline {
    /// A sanction as a form or a client sends it, its kind by code.
    pub fn from_input(
        kind: &str,
        decided_on: NaiveDate,
        years: Option<u32>,
        decision: (&str, &str),
        today: NaiveDate,
    ) -> Result<Self, DomainError> {
        let kind = DisciplineKind::parse(kind.trim())
            .ok_or_else(|| FieldError::new("kind", "处分种类", "请选择处分种类"))?;
        Self::parse(kind, decided_on, years, decision, today)
    }

    /// Checks a sanction as typed: 留党察看 for one or two years, the others without a
    /// period; a decision not in the future.
    pub fn parse(
        kind: DisciplineKind,
        decided_on: NaiveDate,
        years: Option<u32>,
        (decided_by, reason): (&str, &str),
        today: NaiveDate,
    ) -> Result<Self, DomainError> {
        if decided_on > today {
            return Err(FieldError::new("decided_on", "决定日期", "不能晚于今天").into());
        }
        let until = match (kind, years) {
            (DisciplineKind::Probation, Some(y)) if PROBATION_YEARS.contains(&y) => decided_on
                .checked_add_months(Months::new(12 * y))
                .and_then(|d| d.pred_opt()),
            (DisciplineKind::Probation, _) => {
                return Err(DomainError::Rule {
                    code: crate::RuleCode::PeopleProbationDisciplineLength,
                    field: Some("years"),
                    message: "留党察看为一年或两年".to_owned(),
                    basis: "党章第四十条",
                });
            }
            // Only 留党察看 runs for a period: a period typed with another kind is a slip.
            (_, Some(_)) => {
                return Err(FieldError::new("years", "察看期", "只有留党察看填写察看期").into());
            }
            (_, None) => None,
        };
        Ok(Self {
            kind,
            decided_on,
            until,
            decided_by: text::single_line(decided_by, "decided_by", "决定机关", 100)?,
            reason: text::single_line(reason, "reason", "事由", 500)?,
        })
    }

    /// Whether the person is under 留党察看 on `day`.
    pub fn on_probation(&self, day: NaiveDate) -> bool {
        self.kind == DisciplineKind::Probation
            && self.decided_on <= day
            && self.until.is_some_and(|u| day <= u)
    }
}

/// A sanction recorded on a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisciplineRecord {
    pub id: i64,
    pub person_id: PersonId,
    pub org_path: String,
    #[serde(flatten)]
    pub discipline: Discipline,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn only_probation_has_a_period_and_a_kind_comes_by_its_code_党章第四十条() {
        let today = d("2026-11-23");
        let why = ("党支部", "违反纪律");
        let e =
            Discipline::from_input("warning", d("2026-03-01"), Some(1), why, today).unwrap_err();
        assert!(matches!(e, DomainError::Field(f) if f.field == "years"));
        let e = Discipline::from_input("scolding", d("2026-03-01"), None, why, today).unwrap_err();
        assert!(matches!(e, DomainError::Field(f) if f.field == "kind"));
        assert!(Discipline::from_input("warning", d("2026-03-01"), None, why, today).is_ok());
    }

    #[test]
    fn probation_runs_one_or_two_years_党章第四十条() {
        let today = d("2026-11-23");
        let why = ("支部大会，经上级党委批准", "违反工作纪律");
        let err = Discipline::parse(
            DisciplineKind::Probation,
            d("2026-03-01"),
            Some(3),
            why,
            today,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("党章第四十条"), "{err}");
        let p = Discipline::parse(
            DisciplineKind::Probation,
            d("2026-03-01"),
            Some(1),
            why,
            today,
        )
        .unwrap();
        assert_eq!(p.until, Some(d("2027-02-28")));
        assert!(!p.on_probation(d("2026-02-28")));
        assert!(p.on_probation(d("2027-02-28")));
        assert!(!p.on_probation(d("2027-03-01")));
        let w =
            Discipline::parse(DisciplineKind::Warning, d("2026-03-01"), None, why, today).unwrap();
        assert!(w.until.is_none() && !w.on_probation(d("2026-06-01")));
        assert!(
            Discipline::parse(DisciplineKind::Warning, d("2026-11-24"), None, why, today).is_err(),
            "not decided in the future"
        );
        assert!(
            Discipline::parse(
                DisciplineKind::Warning,
                d("2026-03-01"),
                None,
                ("", "x"),
                today
            )
            .is_err()
        );
    }
}
