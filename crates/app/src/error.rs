//! Errors of the use cases, each with a Chinese message a person can act on.

use chrono::{DateTime, Utc};
use dangjian_domain::{DomainError, FieldError};
use dangjian_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error("{message}（{basis}）")]
    Rule {
        /// Which rule, as a stable code.
        code: dangjian_domain::RuleCode,
        field: Option<&'static str>,
        message: String,
        basis: &'static str,
    },
    /// The record does not exist, or lies outside the actor's scope: the two look the same.
    #[error("记录不存在或无权查看")]
    NotFound,
    #[error("无权进行此操作：{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    Unauthenticated(&'static str),
    #[error("账号已被临时锁定，请于 {} 后再试", dangjian_domain::clock::display_time(*until))]
    Locked { until: DateTime<Utc> },
    #[error("请先修改初始密码")]
    PasswordChangeRequired,
    #[error("{message}")]
    Conflict {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    Integrity(String),
    #[error(transparent)]
    Store(StoreError),
}

impl AppError {
    /// A failure of the platform itself, never of the person's input: `message`, in Chinese,
    /// is what the person reads; `detail` (a library's words, often English) goes to the log.
    pub(crate) fn internal(message: &str, detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "{message}");
        Self::Integrity(message.to_owned())
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(e) => Some(e.field),
            Self::Rule { field, .. } => *field,
            Self::Conflict { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Field(f) => Self::Invalid(f),
            DomainError::Rule {
                code,
                field,
                message,
                basis,
            } => Self::Rule {
                code,
                field,
                message,
                basis,
            },
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(field) => Self::Conflict {
                field,
                message: "该值已被使用".to_owned(),
            },
            other => Self::Store(other),
        }
    }
}

pub type Result<T> = std::result::Result<T, AppError>;
