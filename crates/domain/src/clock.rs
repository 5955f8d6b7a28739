//! The one clock of the platform. Rules take the time from a `Clock` so that every date rule
//! can be tested with a fixed one. Dates are in Asia/Shanghai (UTC+8, no daylight saving).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use std::sync::Mutex;

/// Asia/Shanghai has kept UTC+8 without daylight saving since 1991.
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in Asia/Shanghai.
    fn today(&self) -> NaiveDate {
        self.local_now().date()
    }

    /// The wall-clock time in Asia/Shanghai.
    fn local_now(&self) -> NaiveDateTime {
        self.now().with_timezone(&shanghai()).naive_local()
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until a test moves it.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// An instant from Unix milliseconds, the form timestamps are stored in.
pub fn from_unix_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Unix milliseconds of a wall-clock time in Asia/Shanghai (a meeting's "14:30").
pub fn shanghai_ms(local: NaiveDateTime) -> i64 {
    shanghai()
        .from_local_datetime(&local)
        .single()
        .map_or(0, |t| t.timestamp_millis())
}

/// The wall-clock time in Asia/Shanghai of Unix milliseconds.
pub fn shanghai_local(ms: i64) -> NaiveDateTime {
    from_unix_ms(ms).with_timezone(&shanghai()).naive_local()
}

/// Formats an instant for people: Shanghai time to the minute.
pub fn display_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_the_shanghai_date() {
        // 2026-11-23 17:00 UTC is already the 24th in Shanghai.
        let clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 17, 0, 0).unwrap());
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
        );
        clock.advance(Duration::hours(-10));
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
    }
}
