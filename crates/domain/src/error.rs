//! Errors of the domain, each carrying a message in Chinese for the person who caused it.

/// A value a person typed that cannot be accepted; names the field in code and in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{label}：{message}")]
pub struct FieldError {
    /// The field's name in forms and in the API (snake_case).
    pub field: &'static str,
    /// The field's name as the UI shows it.
    pub label: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, label: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            label,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error(transparent)]
    Field(#[from] FieldError),
    /// A rule of the regulations or of the platform forbids the act; `basis` names where it is written.
    #[error("{message}（{basis}）")]
    Rule {
        /// Which rule, as a stable code.
        code: crate::RuleCode,
        field: Option<&'static str>,
        message: String,
        basis: &'static str,
    },
}
