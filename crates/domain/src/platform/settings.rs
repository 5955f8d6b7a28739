//! Platform settings, kept by the system admin. Each has a default and a range.

use crate::FieldError;
use crate::platform::account::LockoutPolicy;
use crate::platform::role::Action;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub default: i64,
    pub min: i64,
    pub max: i64,
    pub unit: &'static str,
    /// Who sets it: the system admin (`ManageSettings`) or, for the university's own rules,
    /// the organization department (`ManageRules`).
    pub kept_by: Action,
}

pub const SESSION_IDLE_MINUTES: SettingSpec = SettingSpec {
    key: "session_idle_minutes",
    label: "会话空闲超时",
    default: 30,
    min: 5,
    max: 720,
    unit: "分钟",
    kept_by: Action::ManageSettings,
};
pub const LOCKOUT_FAILURES: SettingSpec = SettingSpec {
    key: "lockout_failures",
    label: "连续登录失败锁定次数",
    default: 5,
    min: 3,
    max: 20,
    unit: "次",
    kept_by: Action::ManageSettings,
};
pub const LOCKOUT_MINUTES: SettingSpec = SettingSpec {
    key: "lockout_minutes",
    label: "锁定时长",
    default: 15,
    min: 1,
    max: 1440,
    unit: "分钟",
    kept_by: Action::ManageSettings,
};
pub const MAX_UPLOAD_MB: SettingSpec = SettingSpec {
    key: "max_upload_mb",
    label: "附件大小上限",
    default: 20,
    min: 1,
    max: 200,
    unit: "MB",
    kept_by: Action::ManageSettings,
};

/// The platform's own settings (sign-in, sessions, uploads), kept by the system admin.
pub const PLATFORM: &[SettingSpec] = &[
    SESSION_IDLE_MINUTES,
    LOCKOUT_FAILURES,
    LOCKOUT_MINUTES,
    MAX_UPLOAD_MB,
];

/// Every capability's settings, in the order the settings pages list them. A capability with
/// local rules declares their specs beside the rules and registers them with one line here.
const REGISTERED: &[&[SettingSpec]] = &[
    PLATFORM,
    crate::development::settings::SETTINGS,
    crate::meetings::SETTINGS,
    crate::learning::SETTINGS,
    crate::org::SETTINGS,
];

/// Every setting of every capability.
pub fn all() -> impl Iterator<Item = SettingSpec> {
    REGISTERED.iter().flat_map(|specs| specs.iter().copied())
}

impl SettingSpec {
    pub fn find(key: &str) -> Option<SettingSpec> {
        all().find(|s| s.key == key)
    }

    pub fn parse(&self, value: &str) -> Result<i64, FieldError> {
        let field = self.key;
        let v: i64 = value
            .trim()
            .parse()
            .map_err(|_| FieldError::new(field, self.label, "应为整数"))?;
        if !(self.min..=self.max).contains(&v) {
            return Err(FieldError::new(
                field,
                self.label,
                format!("应在 {} 到 {} {} 之间", self.min, self.max, self.unit),
            ));
        }
        Ok(v)
    }
}

/// The settings in force, read once per use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    values: Vec<(&'static str, i64)>,
    /// The university's rules as versions, each in force from its day until the next one
    /// (RULES.md: a record is judged by the rule in force on its date), oldest first.
    versions: Vec<RuleVersion>,
}

/// A value of one of the university's rules, in force from a day on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleVersion {
    pub spec: SettingSpec,
    pub from: NaiveDate,
    pub value: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            values: all().map(|s| (s.key, s.default)).collect(),
            versions: Vec::new(),
        }
    }
}

impl Settings {
    /// Settings from stored pairs; unknown keys and values out of range fall back to defaults.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut s = Self::default();
        for (key, value) in pairs {
            if let Some(spec) = SettingSpec::find(key)
                && let Ok(v) = spec.parse(value)
                && let Some(slot) = s.values.iter_mut().find(|(k, _)| *k == spec.key)
            {
                slot.1 = v;
            }
        }
        s
    }

    /// Adds the stored versions of the university's rules; unknown keys and values out of
    /// range are left out.
    pub fn with_versions<'a>(
        mut self,
        rows: impl IntoIterator<Item = (&'a str, NaiveDate, &'a str)>,
    ) -> Self {
        self.versions = rows
            .into_iter()
            .filter_map(|(key, from, value)| {
                let spec = SettingSpec::find(key)?;
                let value = spec.parse(value).ok()?;
                (spec.kept_by == Action::ManageRules).then_some(RuleVersion { spec, from, value })
            })
            .collect();
        self.versions.sort_by_key(|v| v.from);
        self
    }

    /// The versions of the university's rules, oldest first.
    pub fn versions(&self) -> &[RuleVersion] {
        &self.versions
    }

    /// The settings as they stood on `day`: each rule at its latest version from that day
    /// or before.
    pub fn on(&self, day: NaiveDate) -> Self {
        let mut s = self.clone();
        for v in self.versions.iter().filter(|v| v.from <= day) {
            if let Some(slot) = s.values.iter_mut().find(|(k, _)| *k == v.spec.key) {
                slot.1 = v.value;
            }
        }
        s
    }

    pub fn get(&self, spec: SettingSpec) -> i64 {
        self.values
            .iter()
            .find(|(k, _)| *k == spec.key)
            .map_or(spec.default, |(_, v)| *v)
    }

    pub fn lockout(&self) -> LockoutPolicy {
        LockoutPolicy {
            max_failures: u32::try_from(self.get(LOCKOUT_FAILURES)).unwrap_or(5),
            lock_minutes: self.get(LOCKOUT_MINUTES),
        }
    }

    pub fn max_upload_bytes(&self) -> u64 {
        u64::try_from(self.get(MAX_UPLOAD_MB)).unwrap_or(20) * 1024 * 1024
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_is_judged_by_the_version_in_force_on_its_day() {
        let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let s = Settings::from_pairs([]).with_versions([
            ("dev_publicity_days", day("2026-09-01"), "7"),
            ("dev_publicity_days", day("2025-03-01"), "6"),
            // Platform settings are not versioned, and bad values are left out.
            ("lockout_failures", day("2025-01-01"), "9"),
            ("dev_vote_months", day("2025-01-01"), "999"),
        ]);
        assert_eq!(s.versions().len(), 2);
        assert_eq!(
            s.on(day("2025-02-28"))
                .get(crate::development::settings::DEV_PUBLICITY_DAYS),
            5
        );
        assert_eq!(
            s.on(day("2025-03-01"))
                .get(crate::development::settings::DEV_PUBLICITY_DAYS),
            6
        );
        assert_eq!(
            crate::development::DevelopmentRules::in_force(&s.on(day("2026-11-23")))
                .publicity_working_days,
            7
        );
        assert_eq!(s.on(day("2026-11-23")).get(LOCKOUT_FAILURES), 5);
    }

    #[test]
    fn settings_fall_back_to_defaults() {
        let s = Settings::from_pairs([
            ("lockout_failures", "7"),
            ("max_upload_mb", "9999"),
            ("x", "1"),
        ]);
        assert_eq!(s.get(LOCKOUT_FAILURES), 7);
        assert_eq!(s.get(MAX_UPLOAD_MB), 20);
        assert_eq!(s.lockout().lock_minutes, 15);
        assert!(SESSION_IDLE_MINUTES.parse("abc").is_err());
        assert!(SESSION_IDLE_MINUTES.parse("1").is_err());
        assert_eq!(
            crate::development::DevelopmentRules::in_force(&s),
            crate::development::DevelopmentRules::default(),
            "the development settings default to RULES.md §1"
        );
    }
}
