//! Learning (学习): the study hours (学时) a member attends in a year against the yearly
//! minimum, and how often they came to organizational life at all.

use crate::FieldError;
use crate::platform::role::Action;
use crate::platform::settings::{SettingSpec, Settings};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Every member studies at least this many hours a year (教育条例第二十条).
pub const MEMBER_MIN_HOURS: u32 = 32;

/// 基层党组织书记和班子成员 study at least this many hours a year (教育条例第二十条): the
/// university may ask more, never less.
pub const COMMITTEE_MIN_HOURS: u32 = 56;

/// The most study hours one meeting may count: a long day of lectures.
pub const MAX_MEETING_HOURS: u32 = 16;

/// Six months in a row without organizational life, without good reason, is treated as
/// leaving the party of one's own accord (支部条例第三十一条(六)); the branch looks into it.
pub const AWAY_MONTHS: u32 = 6;

/// Study hours (学时), in halves: 1.5 学时 is usual [L]. Kept as a count of half-hours; read
/// and written as a number of hours (`1.5`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StudyHours(u32);

impl StudyHours {
    /// Whole hours, as the yearly minimums are set.
    pub const fn whole(hours: u32) -> Self {
        Self(hours.saturating_mul(2))
    }

    pub const fn from_halves(halves: u32) -> Self {
        Self(halves)
    }

    pub fn halves(self) -> u32 {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// A meeting's hours as typed: 0 to `MAX_MEETING_HOURS` in halves (`3`, `1.5`); empty is
    /// none.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(Self(0));
        }
        let (whole, half) = match value.split_once('.') {
            Some((w, "5" | "50")) => (w, 1),
            Some((w, "" | "0" | "00")) => (w, 0),
            Some(_) => return Err(Self::out_of_range()),
            None => (value, 0),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Self::out_of_range());
        }
        let whole: u32 = whole.parse().map_err(|_| Self::out_of_range())?;
        Self::meeting(whole.saturating_mul(2).saturating_add(half))
    }

    /// A meeting's hours as a number (the API's): in halves, 0 to `MAX_MEETING_HOURS`.
    pub fn of_number(hours: f64) -> Result<Self, FieldError> {
        Self::halves_of(hours)
            .ok_or_else(Self::out_of_range)
            .and_then(Self::meeting)
    }

    /// The half-hours in a number of hours, if it is a whole number of them.
    fn halves_of(hours: f64) -> Option<u32> {
        let halves = hours * 2.0;
        let whole = halves.is_finite() && halves >= 0.0 && halves.fract() == 0.0;
        // Finite, whole, within u32: the cast is exact.
        (whole && halves <= f64::from(u32::MAX)).then_some(halves as u32)
    }

    /// Whole hours a meeting counts (the demo's): at most `MAX_MEETING_HOURS`.
    pub fn checked(hours: u32) -> Result<Self, FieldError> {
        Self::meeting(hours.saturating_mul(2))
    }

    /// Half-hours a meeting counts: at most `MAX_MEETING_HOURS`.
    pub fn meeting(halves: u32) -> Result<Self, FieldError> {
        if halves <= MAX_MEETING_HOURS * 2 {
            Ok(Self(halves))
        } else {
            Err(Self::out_of_range())
        }
    }

    fn out_of_range() -> FieldError {
        FieldError::new(
            "study_hours",
            "计入学时",
            format!("应为 0 到 {MAX_MEETING_HOURS} 之间，以 0.5 学时为单位"),
        )
    }

    /// The hours as a number: `1.5`.
    pub fn as_number(self) -> f64 {
        f64::from(self.0) / 2.0
    }

    pub fn saturating_sub(self, other: Self) -> Self {
        Self(self.0.saturating_sub(other.0))
    }
}

impl std::ops::Add for StudyHours {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl std::fmt::Display for StudyHours {
    /// `3` or `1.5`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_multiple_of(2) {
            write!(f, "{}", self.0 / 2)
        } else {
            write!(f, "{}.5", self.0 / 2)
        }
    }
}

impl Serialize for StudyHours {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_number())
    }
}

impl<'de> Deserialize<'de> for StudyHours {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::halves_of(f64::deserialize(d)?)
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom("学时应以 0.5 为单位"))
    }
}

/// The local rules of study, in force on a day (本校设置).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StudyRules {
    /// Secretaries and committee members study at least this many hours a year: 56 [S], or
    /// more where the university asks more [L].
    pub committee_min_hours: u32,
}

impl Default for StudyRules {
    fn default() -> Self {
        Self {
            committee_min_hours: COMMITTEE_MIN_HOURS,
        }
    }
}

pub const STUDY_COMMITTEE_MIN_HOURS: SettingSpec = SettingSpec {
    key: "study_committee_min_hours",
    label: "支部书记和委员每年学习培训不少于",
    default: COMMITTEE_MIN_HOURS as i64,
    min: COMMITTEE_MIN_HOURS as i64,
    max: 200,
    unit: "学时",
    kept_by: Action::ManageRules,
};

/// The settings of study, as `platform::settings` registers them.
pub const SETTINGS: &[SettingSpec] = &[STUDY_COMMITTEE_MIN_HOURS];

impl StudyRules {
    /// The rules in force under `settings`.
    pub fn in_force(settings: &Settings) -> Self {
        Self {
            committee_min_hours: u32::try_from(settings.get(STUDY_COMMITTEE_MIN_HOURS))
                .unwrap_or(COMMITTEE_MIN_HOURS),
        }
    }
}

impl StudyRules {
    /// The yearly minimum for a member, higher for those on a committee, in whole hours.
    pub fn minimum(&self, on_committee: bool) -> u32 {
        if on_committee {
            self.committee_min_hours.max(COMMITTEE_MIN_HOURS)
        } else {
            MEMBER_MIN_HOURS
        }
    }
}

/// A member's year of organizational life: the held meetings they were expected at, how
/// they attended, and the study hours of those they came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct YearOfLife {
    pub present: u32,
    pub excused: u32,
    pub absent: u32,
    pub hours: StudyHours,
    /// The last day they came to a meeting, of any year.
    pub last_present: Option<NaiveDate>,
    /// The last day they were excused from one with a reason (请假), of any year.
    pub last_excused: Option<NaiveDate>,
}

impl YearOfLife {
    pub fn expected(&self) -> u32 {
        self.present + self.excused + self.absent
    }

    /// Present of expected, in whole per cent; none when nothing was expected.
    pub fn attendance_percent(&self) -> Option<u32> {
        let expected = self.expected();
        (expected > 0).then(|| (self.present * 100 + expected / 2) / expected)
    }

    /// The hours still short of `minimum` whole hours.
    pub fn hours_short(&self, minimum: u32) -> StudyHours {
        StudyHours::whole(minimum).saturating_sub(self.hours)
    }

    /// Whether the member has been away from organizational life for `AWAY_MONTHS` by
    /// `today` without good reason: no meeting attended or excused from since then, and in the
    /// organization since before then (`since`: the day they arrived, by transfer, admission
    /// or the go-live import). An excused absence has its reason (支部条例第三十一条(六)).
    pub fn away_too_long(&self, since: Option<NaiveDate>, today: NaiveDate) -> bool {
        let Some(limit) = today.checked_sub_months(Months::new(AWAY_MONTHS)) else {
            return false;
        };
        let last = self.last_present.max(self.last_excused).max(since);
        last.is_some_and(|d| d <= limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn every_member_studies_32_hours_and_committee_members_56_教育条例第二十条() {
        let rules = StudyRules::default();
        assert_eq!(rules.minimum(false), 32);
        assert_eq!(rules.minimum(true), 56);
        // A local rule never goes below the central one, and the setting cannot either.
        let lax = StudyRules {
            committee_min_hours: 20,
        };
        assert_eq!(lax.minimum(true), 56);
        assert!(STUDY_COMMITTEE_MIN_HOURS.parse("55").is_err());
        assert!(STUDY_COMMITTEE_MIN_HOURS.parse("60").is_ok());
        let year = YearOfLife {
            present: 10,
            excused: 1,
            absent: 1,
            hours: StudyHours::from_halves(61),
            last_present: None,
            last_excused: None,
        };
        assert_eq!(year.hours_short(32).to_string(), "1.5");
        assert!(year.hours_short(20).is_zero());
        assert_eq!(year.attendance_percent(), Some(83));
        assert_eq!(YearOfLife::default().attendance_percent(), None);
    }

    #[test]
    fn six_months_away_from_organizational_life_is_looked_into_支部条例第三十一条() {
        let today = day("2026-11-30");
        let away = |last: Option<&str>, since: Option<&str>| {
            YearOfLife {
                last_present: last.map(day),
                ..Default::default()
            }
            .away_too_long(since.map(day), today)
        };
        assert!(away(Some("2026-05-30"), Some("2010-07-01")));
        assert!(!away(Some("2026-06-01"), Some("2010-07-01")));
        // Never came, but joined only lately: not yet.
        assert!(!away(None, Some("2026-09-01")));
        assert!(away(None, Some("2025-09-01")));
        assert!(!away(None, None));
        // Excused with a reason is no absence without good reason.
        let excused = YearOfLife {
            last_present: Some(day("2025-01-10")),
            last_excused: Some(day("2026-10-10")),
            ..Default::default()
        };
        assert!(!excused.away_too_long(Some(day("2010-07-01")), today));
    }

    #[test]
    fn study_hours_come_in_halves_and_are_bounded_本校设置() {
        assert!(StudyHours::parse("").unwrap().is_zero());
        assert_eq!(StudyHours::parse(" 3 ").unwrap(), StudyHours::whole(3));
        assert_eq!(StudyHours::parse("1.5").unwrap().halves(), 3);
        assert_eq!(StudyHours::parse("2.0").unwrap(), StudyHours::whole(2));
        assert_eq!(StudyHours::parse("1.5").unwrap().to_string(), "1.5");
        assert_eq!(StudyHours::parse("17").unwrap_err().field, "study_hours");
        for bad in ["1.25", "16.5", "-1", ".5", "一", "1e3"] {
            assert!(StudyHours::parse(bad).is_err(), "{bad}");
        }
        assert!(StudyHours::checked(MAX_MEETING_HOURS).is_ok());
        assert_eq!(StudyHours::of_number(1.5).unwrap().halves(), 3);
        assert!(StudyHours::of_number(0.25).is_err() && StudyHours::of_number(-1.0).is_err());
        assert!(StudyHours::of_number(f64::NAN).is_err());
        // On the wire and in the audit record, a number of hours.
        assert_eq!(
            serde_json::to_string(&StudyHours::from_halves(3)).unwrap(),
            "1.5"
        );
        assert_eq!(
            serde_json::from_str::<StudyHours>("2.5").unwrap(),
            StudyHours::from_halves(5)
        );
    }
}
