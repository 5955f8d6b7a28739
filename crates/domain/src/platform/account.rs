//! Accounts: usernames, the password policy and the lockout rule.

use crate::FieldError;
use crate::ids::{AccountId, OrgId};
use crate::platform::role::Role;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// A sign-in account. Non-members who only vote hold no account: they use one-time links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    /// A first or reset password must be changed before anything else.
    pub must_change_password: bool,
    /// Demo accounts keep their printed password.
    pub is_demo: bool,
    pub disabled: bool,
    pub failed_attempts: u32,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Account {
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

/// A grant as stored: a role and the organization it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantRecord {
    pub id: i64,
    pub user_id: AccountId,
    pub role: Role,
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub org_path: Option<String>,
}

impl GrantRecord {
    /// The role and where it holds, as people read it: "支部书记 · 教工第一党支部".
    pub fn describe(&self) -> String {
        match &self.org_name {
            Some(org) => format!("{} · {org}", self.role.label()),
            None => self.role.label().to_owned(),
        }
    }
}

/// An API token for integrations; only its hash is kept, and its first characters to tell
/// tokens apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: AccountId,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
}

impl ApiToken {
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at <= now
    }
}

/// A new API token lives this many days unless its maker chooses otherwise, and never longer
/// than the maximum, so that a token forgotten in some integration stops by itself.
pub const API_TOKEN_DEFAULT_DAYS: u32 = 90;
pub const API_TOKEN_MAX_DAYS: u32 = 365;

/// An activation code is good for this many days after the security admin issues it.
pub const ACTIVATION_CODE_DAYS: i64 = 14;

/// An activation code as a person types it: case, spaces and dashes do not matter.
pub fn normalize_activation_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// The lifetime of a new API token in days: the default when none is chosen.
pub fn api_token_days(days: Option<u32>) -> Result<u32, FieldError> {
    match days.unwrap_or(API_TOKEN_DEFAULT_DAYS) {
        d @ 1..=API_TOKEN_MAX_DAYS => Ok(d),
        _ => Err(FieldError::new(
            "days",
            "有效期",
            format!("应为 1 到 {API_TOKEN_MAX_DAYS} 天"),
        )),
    }
}

/// A person's display name: required, one line, at most 50 characters.
pub fn parse_display_name(value: &str) -> Result<String, FieldError> {
    crate::text::single_line(value, "display_name", "姓名", 50)
}

/// A sign-in name: 3–32 characters of lower-case letters, digits, `_`, `.` or `-` (staff and
/// student numbers are allowed as they are).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// A name as typed at sign-in, to look up: trimmed and lower-cased, not judged by the
    /// rule of new names (no account has a name it refuses, so the lookup answers for it),
    /// but never with a NUL, which no name holds and PostgreSQL can neither compare nor keep.
    pub fn typed(value: &str) -> Result<String, FieldError> {
        if value.contains('\0') {
            return Err(FieldError::new(
                "username",
                "用户名",
                "不能含有空字符（U+0000）",
            ));
        }
        Ok(value.trim().to_lowercase())
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        let v = Self::typed(value)?;
        let err = |m: &str| FieldError::new("username", "用户名", m);
        if v.is_empty() {
            return Err(err("不能为空"));
        }
        if !(3..=32).contains(&v.chars().count()) {
            return Err(err("应为 3 到 32 个字符"));
        }
        if !v
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b))
        {
            return Err(err("只能包含小写字母、数字和 _ . -"));
        }
        Ok(Self(v))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// zxcvbn's score from which a password counts as hard to guess: 3 is "safely unguessable"
/// (about 10^10 guesses), what an online attack against the lockout cannot reach.
const MIN_PASSWORD_SCORE: u8 = 3;

/// The password policy: 10 to 128 characters, at least three of upper-case letters,
/// lower-case letters, digits and symbols, not containing the username, and not easy to guess
/// by zxcvbn, which tries the username and the person's name (also in pinyin) first.
pub fn check_password(
    password: &str,
    username: &str,
    name: &str,
    field: &'static str,
) -> Result<(), FieldError> {
    let err = |m: &str| FieldError::new(field, "密码", m);
    let n = password.chars().count();
    if n < 10 {
        return Err(err("至少 10 个字符"));
    }
    if n > 128 {
        return Err(err("不能超过 128 个字符"));
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 3 {
        return Err(err("须包含大写字母、小写字母、数字、符号中的至少三类"));
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(err("不能包含用户名"));
    }
    let (pinyin, initials) = crate::people::pinyin_keys(name);
    let inputs = [username, name, &pinyin, &initials];
    let inputs: Vec<&str> = inputs.into_iter().filter(|s| !s.is_empty()).collect();
    if u8::from(zxcvbn::zxcvbn(password, &inputs).score()) < MIN_PASSWORD_SCORE {
        return Err(err("过于常见或容易猜到，请换一个更长、更少见的密码"));
    }
    Ok(())
}

/// Repeated failures lock an account for a while; the numbers are settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub max_failures: u32,
    pub lock_minutes: i64,
}

impl LockoutPolicy {
    /// After a failed sign-in: the new failure count and, when it reaches the limit, the end
    /// of the lock.
    pub fn after_failure(&self, failures: u32, now: DateTime<Utc>) -> (u32, Option<DateTime<Utc>>) {
        let failures = failures + 1;
        if failures >= self.max_failures {
            (0, Some(now + Duration::minutes(self.lock_minutes)))
        } else {
            (failures, None)
        }
    }
}

/// A person's code: its keyed hash and when it stops being accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationCodeRecord {
    pub code_index: String,
    pub expires_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_case_and_bounded() {
        assert_eq!(Username::parse(" Admin ").unwrap().as_str(), "admin");
        assert_eq!(Username::parse("20231001").unwrap().as_str(), "20231001");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("张三").is_err());
        assert!(Username::parse("a b c").is_err());
        assert!(Username::typed("ad\0min").is_err());
        assert_eq!(Username::typed(" Admin ").unwrap(), "admin");
    }

    #[test]
    fn the_password_policy_names_what_is_missing() {
        assert!(check_password("Dangjian-2026", "admin", "管理员", "password").is_ok());
        assert_eq!(
            check_password("short1A", "x", "", "password")
                .unwrap_err()
                .message,
            "至少 10 个字符"
        );
        assert!(check_password("alllowercase", "x", "", "password").is_err());
        assert_eq!(
            check_password("Admin-12345", "admin", "", "password")
                .unwrap_err()
                .message,
            "不能包含用户名"
        );
    }

    #[test]
    fn common_passwords_and_ones_made_of_the_name_are_refused() {
        let weak = |p: &str, username: &str, name: &str| {
            let e = check_password(p, username, name, "new_password").unwrap_err();
            assert_eq!(e.field, "new_password");
            assert!(e.message.contains("过于常见"), "{p}: {}", e.message);
        };
        weak("Password123!", "t00077", "张三");
        weak("P@ssw0rd2026", "t00077", "张三");
        weak("Qwerty12345!", "t00077", "张三");
        // Each passes the length and class rules but is the person's name and a year.
        weak("Zhangsan@1990", "t00077", "张三");
        weak("Zhangsan1990!", "t00077", "张三");
        assert!(check_password("Zhangsan@1990", "t00077", "李四", "password").is_ok());
    }

    #[test]
    fn the_demo_and_test_passwords_pass() {
        for p in ["Dangjian-2026", "Demo-Pass-2026", "Test-Pass-2026"] {
            assert!(
                check_password(p, "admin", "演示", "password").is_ok(),
                "{p}"
            );
        }
    }

    #[test]
    fn the_fifth_failure_locks_the_account() {
        let policy = LockoutPolicy {
            max_failures: 5,
            lock_minutes: 15,
        };
        let now = Utc::now();
        assert_eq!(policy.after_failure(3, now), (4, None));
        assert_eq!(
            policy.after_failure(4, now),
            (0, Some(now + Duration::minutes(15)))
        );
    }
}
