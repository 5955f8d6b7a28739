//! The university's own rules of member development ([L] and [I] in RULES.md §1): their
//! settings with the defaults RULES.md gives, kept by the organization department.

use super::DevelopmentRules;
use crate::platform::role::Action;
use crate::platform::settings::{SettingSpec, Settings};

pub const DEV_APPLICATION_MIN_MONTHS: SettingSpec = SettingSpec {
    key: "dev_application_min_months",
    label: "递交申请书满几个月方可确定为积极分子",
    default: 6,
    min: 0,
    max: 24,
    unit: "个月",
    kept_by: Action::ManageRules,
};
/// "28周岁以下": 以下 includes the figure, so a 28-year-old comes through 推优 too. (The key
/// keeps its first name, so stored values stay in force.)
pub const DEV_LEAGUE_UP_TO_AGE: SettingSpec = SettingSpec {
    key: "dev_league_below_age",
    label: "此年龄及以下须经推优（0 为不要求）",
    default: 28,
    min: 0,
    max: 40,
    unit: "周岁",
    kept_by: Action::ManageRules,
};
pub const DEV_PRE_REVIEW_MONTHS: SettingSpec = SettingSpec {
    key: "dev_pre_review_months",
    label: "支委会审查后预审期限",
    default: 1,
    min: 1,
    max: 6,
    unit: "个月",
    kept_by: Action::ManageRules,
};
pub const DEV_PUBLICITY_DAYS: SettingSpec = SettingSpec {
    key: "dev_publicity_days",
    label: "发展对象公示期",
    default: 5,
    min: 5,
    max: 15,
    unit: "个工作日",
    kept_by: Action::ManageRules,
};
pub const DEV_VOTE_MONTHS: SettingSpec = SettingSpec {
    key: "dev_vote_months",
    label: "预审后支部大会讨论期限",
    default: 1,
    min: 1,
    max: 6,
    unit: "个月",
    kept_by: Action::ManageRules,
};
pub const DEV_ARCHIVE_DAYS: SettingSpec = SettingSpec {
    key: "dev_archive_days",
    label: "转正后材料归档期限",
    default: 7,
    min: 1,
    max: 60,
    unit: "日",
    kept_by: Action::ManageRules,
};

/// The development settings, as `platform::settings` registers them.
pub const SETTINGS: &[SettingSpec] = &[
    DEV_APPLICATION_MIN_MONTHS,
    DEV_LEAGUE_UP_TO_AGE,
    DEV_PRE_REVIEW_MONTHS,
    DEV_PUBLICITY_DAYS,
    DEV_VOTE_MONTHS,
    DEV_ARCHIVE_DAYS,
];

impl DevelopmentRules {
    /// The rules in force under `settings` (each value is bounded by its spec, so it fits).
    pub fn in_force(settings: &Settings) -> Self {
        let get = |spec| u32::try_from(settings.get(spec)).unwrap_or(0);
        Self {
            application_min_months: get(DEV_APPLICATION_MIN_MONTHS),
            league_up_to_age: get(DEV_LEAGUE_UP_TO_AGE),
            pre_review_within_months: get(DEV_PRE_REVIEW_MONTHS),
            publicity_working_days: get(DEV_PUBLICITY_DAYS),
            vote_within_months: get(DEV_VOTE_MONTHS),
            archive_within_days: get(DEV_ARCHIVE_DAYS),
        }
    }
}
