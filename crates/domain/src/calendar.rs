//! Working days (工作日) by the official holiday calendar: weekends and public holidays are off,
//! except the weekend days the State Council's yearly notice makes working days (调休). The
//! calendar is data the organization department keeps up to date; rules such as the publicity
//! window of 5 working days count on it.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::BTreeSet;

/// The first year of the records the platform keeps by date (meetings, the figures, ledgers
/// and record books of a year): a meeting in 1900 or a year 10000 is a slip of the keyboard.
pub const FIRST_RECORD_YEAR: i32 = 2000;

/// The years a date of any record may fall in: rosters hold members born in the 1900s, and an
/// earlier or later year is a slip of the keyboard that some engines cannot even store
/// (PostgreSQL's dates begin in 4713 BC; chrono reads `-5000-01-01`).
pub const RECORDABLE_YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// Whether a date can stand in a record.
pub fn is_recordable(d: NaiveDate) -> bool {
    RECORDABLE_YEARS.contains(&d.year())
}

/// A date a person typed or a client sent, if it can stand in a record.
pub fn recordable(
    d: NaiveDate,
    field: &'static str,
    label: &'static str,
) -> Result<NaiveDate, crate::FieldError> {
    if is_recordable(d) {
        Ok(d)
    } else {
        Err(crate::FieldError::new(
            field,
            label,
            format!(
                "应在 {} 年至 {} 年之间",
                RECORDABLE_YEARS.start(),
                RECORDABLE_YEARS.end()
            ),
        ))
    }
}

/// How far ahead a meeting may be planned.
pub const PLAN_AHEAD_DAYS: i64 = 366;

/// One day the official calendar changes: a holiday on a weekday, or a weekend day worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CalendarDay {
    pub on: NaiveDate,
    /// True for a weekend day made a working day (调休上班), false for a day off (放假).
    pub working: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    days_off: BTreeSet<NaiveDate>,
    days_worked: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn new(days: impl IntoIterator<Item = CalendarDay>) -> Self {
        let mut c = Self::default();
        for d in days {
            if d.working {
                c.days_worked.insert(d.on);
            } else {
                c.days_off.insert(d.on);
            }
        }
        c
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.days_worked.contains(&day) {
            return true;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.days_off.contains(&day)
    }

    /// Working days from `from` to `until`, both included.
    pub fn working_days(&self, from: NaiveDate, until: NaiveDate) -> u32 {
        from.iter_days()
            .take_while(|d| *d <= until)
            .filter(|d| self.is_working_day(*d))
            .map(|_| 1)
            .sum()
    }

    /// The day on which a window of `n` working days starting on `from` (counted if it is a
    /// working day) is complete.
    pub fn window_end(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut left = n;
        let mut day = from;
        loop {
            if self.is_working_day(day) {
                left = left.saturating_sub(1);
                if left == 0 {
                    return day;
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_no_record_can_carry_is_named() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(recordable(d(1931, 5, 2), "birth_date", "出生日期").is_ok());
        let e = recordable(d(-5000, 1, 1), "decided_on", "决定日期").unwrap_err();
        assert_eq!(e.field, "decided_on");
        assert!(recordable(d(1899, 12, 31), "on", "日期").is_err());
        assert!(crate::people::parse_date("-5000-01-01", "on", "日期").is_err());
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn national_day_is_off_and_its_makeup_saturday_is_worked() {
        let cal = WorkCalendar::new(
            (1..=7)
                .map(|day| CalendarDay {
                    on: NaiveDate::from_ymd_opt(2026, 10, day).unwrap(),
                    working: false,
                })
                .chain([CalendarDay {
                    on: d("2026-10-10"),
                    working: true,
                }]),
        );
        assert!(!cal.is_working_day(d("2026-10-01")), "a Thursday, but 国庆");
        assert!(cal.is_working_day(d("2026-10-10")), "a Saturday, but 调休");
        assert!(!cal.is_working_day(d("2026-10-11")), "a plain Sunday");
        // Five working days from 2026-09-30 (Wed): 9-30, 10-08, 10-09, 10-10, 10-12.
        assert_eq!(cal.window_end(d("2026-09-30"), 5), d("2026-10-12"));
        assert_eq!(cal.working_days(d("2026-09-30"), d("2026-10-12")), 5);
        // Without the holidays the same window closes a week earlier.
        let plain = WorkCalendar::default();
        assert_eq!(plain.window_end(d("2026-09-30"), 5), d("2026-10-06"));
    }
}
