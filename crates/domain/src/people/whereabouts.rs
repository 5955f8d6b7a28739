//! Members the branch cannot reach or who are away (RULES.md §2): lost contact (失联) and the
//! suspension of membership it leads to (停止党籍), members studying abroad, contacted at least
//! every six months, and graduates whose membership the university keeps for at most two
//! years. Each is a record on the member, open until it ends; what is due of it (suspend,
//! remove, contact, transfer) is derived from its dates, never stored.

use crate::ids::PersonId;
use crate::{DomainError, FieldError, RuleCode, labelled_enum, text};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// Why a member is out of the branch's reach.
    pub enum WhereaboutsKind {
        LostContact = ("lost_contact", "失去联系"),
        Abroad = ("abroad", "出国（境）学习研究"),
        Graduate = ("graduate", "毕业生保留组织关系"),
    }
}

labelled_enum! {
    /// What a record asks of the branch once its time has come.
    pub enum WhereaboutsDue {
        Suspend = ("suspend", "停止党籍"),
        Remove = ("remove", "按自行脱党除名"),
        Contact = ("contact", "与出国（境）党员联系"),
        Transfer = ("transfer", "转出组织关系"),
    }
}

/// Lost six months and more, membership is suspended (教育条例第二十四条).
pub const LOST_MONTHS_TO_SUSPEND: u32 = 6;
/// Suspended two years and still unreachable, the member is removed (same).
pub const SUSPENDED_MONTHS_TO_REMOVE: u32 = 24;
/// A member abroad is contacted at least every six months (教育条例第三十四条).
pub const ABROAD_CONTACT_MONTHS: u32 = 6;
/// A graduate's membership is kept at the university at most two years (same).
pub const GRADUATE_KEPT_MONTHS: u32 = 24;

const LOST_BASIS: &str = "教育条例第二十四条";
const AWAY_BASIS: &str = "教育条例第三十四条";

/// A record of a member out of reach, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Whereabouts {
    pub kind: WhereaboutsKind,
    /// Since when: the last contact before it was lost, the day they went abroad, graduation.
    pub since: NaiveDate,
    /// The latest contact with a member abroad; none before the first.
    pub last_contact_on: Option<NaiveDate>,
    /// The day membership was suspended (停止党籍), for a member lost six months.
    pub suspended_on: Option<NaiveDate>,
    /// The day it ended: contact regained, the member back, their relation transferred.
    pub ended_on: Option<NaiveDate>,
    pub note: String,
}

fn months_after(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(day)
}

fn not_after_today(
    on: NaiveDate,
    today: NaiveDate,
    field: &'static str,
    label: &'static str,
) -> Result<(), DomainError> {
    if on > today {
        return Err(FieldError::new(field, label, "不能晚于今天").into());
    }
    Ok(())
}

impl Whereabouts {
    /// A new record as typed: its kind by code, a day not to come, a short note.
    pub fn parse(
        kind: &str,
        since: NaiveDate,
        note: &str,
        today: NaiveDate,
    ) -> Result<Self, DomainError> {
        let kind = WhereaboutsKind::parse(kind.trim()).ok_or_else(|| {
            FieldError::new(
                "kind",
                "情形",
                "请选择失去联系、出国（境）学习研究或毕业生保留组织关系",
            )
        })?;
        not_after_today(since, today, "since", "起始日期")?;
        Ok(Self {
            kind,
            since,
            last_contact_on: None,
            suspended_on: None,
            ended_on: None,
            note: text::optional_line(note, "note", "说明", 500)?.unwrap_or_default(),
        })
    }

    pub fn is_open(&self) -> bool {
        self.ended_on.is_none()
    }

    /// Whether the member's membership is suspended on `day`: from the suspension until the
    /// record ends (membership restored, or the member removed).
    pub fn suspended_on_day(&self, day: NaiveDate) -> bool {
        self.suspended_on.is_some_and(|s| s <= day) && self.ended_on.is_none_or(|e| day < e)
    }

    fn still_open(&self) -> Result<(), DomainError> {
        match self.ended_on {
            Some(on) => {
                Err(FieldError::new("ended_on", "结束日期", format!("该记录已于 {on} 结束")).into())
            }
            None => Ok(()),
        }
    }

    /// Suspends the membership of a member lost six months and more, on `on`; earlier is
    /// refused (教育条例第二十四条: 失去联系6个月以上…予以停止党籍).
    pub fn suspend(&mut self, on: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
        self.still_open()?;
        not_after_today(on, today, "suspended_on", "停止党籍日期")?;
        let refuse = |message: String| DomainError::Rule {
            code: RuleCode::PeopleSuspensionAfterSixMonths,
            field: Some("suspended_on"),
            message,
            basis: LOST_BASIS,
        };
        if self.kind != WhereaboutsKind::LostContact {
            return Err(refuse(format!("{}的党员不因此停止党籍", self.kind.label())));
        }
        if let Some(s) = self.suspended_on {
            return Err(refuse(format!("已于 {s} 停止党籍")));
        }
        let from = months_after(self.since, LOST_MONTHS_TO_SUSPEND);
        if on < from {
            return Err(refuse(format!("失去联系满 6 个月（{from}）后方可停止党籍")));
        }
        self.suspended_on = Some(on);
        Ok(())
    }

    /// Records a contact with a member abroad on `on`.
    pub fn contact(&mut self, on: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
        self.still_open()?;
        not_after_today(on, today, "contacted_on", "联系日期")?;
        if self.kind != WhereaboutsKind::Abroad {
            return Err(FieldError::new(
                "contacted_on",
                "联系日期",
                "只有出国（境）学习研究的党员登记定期联系；失联党员取得联系的，结束该记录",
            )
            .into());
        }
        let after = self.last_contact_on.unwrap_or(self.since);
        if on < after {
            return Err(
                FieldError::new("contacted_on", "联系日期", format!("不能早于 {after}")).into(),
            );
        }
        self.last_contact_on = Some(on);
        Ok(())
    }

    /// Ends the record on `on`: contact regained, the member back or their relation moved.
    pub fn end(&mut self, on: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
        self.still_open()?;
        not_after_today(on, today, "ended_on", "结束日期")?;
        let after = self
            .suspended_on
            .unwrap_or(self.since)
            .max(self.last_contact_on.unwrap_or(self.since));
        if on < after {
            return Err(
                FieldError::new("ended_on", "结束日期", format!("不能早于 {after}")).into(),
            );
        }
        self.ended_on = Some(on);
        Ok(())
    }

    /// What the open record asks next, and from which day, with where that is written.
    pub fn next_due(&self) -> Option<(WhereaboutsDue, NaiveDate, &'static str)> {
        if !self.is_open() {
            return None;
        }
        Some(match (self.kind, self.suspended_on) {
            (WhereaboutsKind::LostContact, None) => (
                WhereaboutsDue::Suspend,
                months_after(self.since, LOST_MONTHS_TO_SUSPEND),
                LOST_BASIS,
            ),
            (WhereaboutsKind::LostContact, Some(s)) => (
                WhereaboutsDue::Remove,
                months_after(s, SUSPENDED_MONTHS_TO_REMOVE),
                LOST_BASIS,
            ),
            (WhereaboutsKind::Abroad, _) => (
                WhereaboutsDue::Contact,
                months_after(
                    self.last_contact_on.unwrap_or(self.since),
                    ABROAD_CONTACT_MONTHS,
                ),
                AWAY_BASIS,
            ),
            (WhereaboutsKind::Graduate, _) => (
                WhereaboutsDue::Transfer,
                months_after(self.since, GRADUATE_KEPT_MONTHS),
                AWAY_BASIS,
            ),
        })
    }
}

/// Whether a record may be made of `name`, of `status`: only a member is out of the branch's
/// reach as a member, to be suspended or contacted (教育条例第二十四条、第三十四条).
pub fn check_member(name: &str, status: crate::people::PersonStatus) -> Result<(), DomainError> {
    if status.is_member() {
        return Ok(());
    }
    Err(DomainError::Rule {
        code: RuleCode::PeopleWhereaboutsMembersOnly,
        field: Some("kind"),
        message: format!("{name} 不是党员"),
        basis: LOST_BASIS,
    })
}

/// A record on a person, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhereaboutsRecord {
    pub id: i64,
    pub person_id: PersonId,
    #[serde(flatten)]
    pub whereabouts: Whereabouts,
    pub recorded_by_name: String,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const TODAY: &str = "2026-12-02";

    fn lost(since: &str) -> Whereabouts {
        Whereabouts::parse("lost_contact", d(since), "电话停机，家访未遇", d(TODAY)).unwrap()
    }

    #[test]
    fn a_member_lost_six_months_is_suspended_and_two_years_later_removed_教育条例第二十四条() {
        let mut w = lost("2026-05-10");
        assert_eq!(
            w.next_due(),
            Some((
                WhereaboutsDue::Suspend,
                d("2026-11-10"),
                "教育条例第二十四条"
            ))
        );
        let early = w
            .suspend(d("2026-11-09"), d(TODAY))
            .unwrap_err()
            .to_string();
        assert!(early.contains("满 6 个月（2026-11-10）"), "{early}");
        w.suspend(d("2026-11-10"), d(TODAY)).unwrap();
        assert!(w.suspended_on_day(d("2026-11-10")) && !w.suspended_on_day(d("2026-11-09")));
        assert_eq!(
            w.next_due().map(|(due, on, _)| (due, on)),
            Some((WhereaboutsDue::Remove, d("2028-11-10")))
        );
        assert!(
            w.suspend(d("2026-11-20"), d(TODAY)).is_err(),
            "suspended once"
        );
        // Contact regained: membership restored, nothing more is due.
        w.end(d("2026-12-01"), d(TODAY)).unwrap();
        assert!(!w.suspended_on_day(d("2026-12-01")));
        assert_eq!(w.next_due(), None);
        assert!(w.end(d("2026-12-02"), d(TODAY)).is_err(), "ended once");
    }

    #[test]
    fn a_member_abroad_is_contacted_every_six_months_and_a_graduate_kept_two_years_教育条例第三十四条()
     {
        let mut abroad =
            Whereabouts::parse("abroad", d("2026-01-15"), "赴英国攻读博士", d(TODAY)).unwrap();
        assert_eq!(
            abroad.next_due().map(|(due, on, _)| (due, on)),
            Some((WhereaboutsDue::Contact, d("2026-07-15")))
        );
        abroad.contact(d("2026-09-01"), d(TODAY)).unwrap();
        assert_eq!(
            abroad.next_due().map(|(_, on, _)| on),
            Some(d("2027-03-01"))
        );
        assert!(
            abroad.contact(d("2026-08-01"), d(TODAY)).is_err(),
            "not before the last"
        );
        assert!(
            abroad.contact(d("2026-12-03"), d(TODAY)).is_err(),
            "not to come"
        );
        let err = abroad
            .suspend(d("2026-12-01"), d(TODAY))
            .unwrap_err()
            .to_string();
        assert!(err.contains("不因此停止党籍"), "{err}");

        let graduate = Whereabouts::parse("graduate", d("2025-06-30"), "", d(TODAY)).unwrap();
        assert_eq!(
            graduate.next_due(),
            Some((
                WhereaboutsDue::Transfer,
                d("2027-06-30"),
                "教育条例第三十四条"
            ))
        );
        let mut lost_one = lost("2026-10-01");
        assert!(
            lost_one.contact(d("2026-11-01"), d(TODAY)).is_err(),
            "a lost member's contact ends the record"
        );
    }

    #[test]
    fn only_a_member_is_recorded_教育条例第二十四条() {
        use crate::people::PersonStatus;
        let err = check_member("丁", PersonStatus::Activist)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("不是党员") && err.contains("教育条例第二十四条"),
            "{err}"
        );
        assert!(check_member("丁", PersonStatus::Probationary).is_ok());
    }

    #[test]
    fn a_record_is_typed_with_a_kind_and_a_day_gone_by() {
        let today = d(TODAY);
        let e = Whereabouts::parse("missing", d("2026-01-01"), "", today).unwrap_err();
        assert!(matches!(e, DomainError::Field(f) if f.field == "kind"));
        let e = Whereabouts::parse("abroad", d("2026-12-03"), "", today).unwrap_err();
        assert!(matches!(e, DomainError::Field(f) if f.field == "since"));
        let mut w = lost("2026-05-10");
        assert!(
            w.end(d("2026-05-09"), today).is_err(),
            "not before it began"
        );
    }
}
