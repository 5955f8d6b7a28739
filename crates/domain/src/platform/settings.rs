//! Platform settings, kept by the system admin. Each has a default and a range.

use crate::FieldError;
use crate::platform::account::LockoutPolicy;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub default: i64,
    pub min: i64,
    pub max: i64,
    pub unit: &'static str,
}

pub const SESSION_IDLE_MINUTES: SettingSpec = SettingSpec {
    key: "session_idle_minutes",
    label: "会话空闲超时",
    default: 30,
    min: 5,
    max: 720,
    unit: "分钟",
};
pub const LOCKOUT_FAILURES: SettingSpec = SettingSpec {
    key: "lockout_failures",
    label: "连续登录失败锁定次数",
    default: 5,
    min: 3,
    max: 20,
    unit: "次",
};
pub const LOCKOUT_MINUTES: SettingSpec = SettingSpec {
    key: "lockout_minutes",
    label: "锁定时长",
    default: 15,
    min: 1,
    max: 1440,
    unit: "分钟",
};
pub const MAX_UPLOAD_MB: SettingSpec = SettingSpec {
    key: "max_upload_mb",
    label: "附件大小上限",
    default: 20,
    min: 1,
    max: 200,
    unit: "MB",
};

pub const ALL: [SettingSpec; 4] = [
    SESSION_IDLE_MINUTES,
    LOCKOUT_FAILURES,
    LOCKOUT_MINUTES,
    MAX_UPLOAD_MB,
];

impl SettingSpec {
    pub fn find(key: &str) -> Option<SettingSpec> {
        ALL.into_iter().find(|s| s.key == key)
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
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            values: ALL.iter().map(|s| (s.key, s.default)).collect(),
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
    }
}
