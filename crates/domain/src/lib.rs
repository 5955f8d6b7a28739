//! The domain of dangjian: types whose constructors check, and the rules of party-building work.
//! No I/O lives here; `store` implements persistence and `app` composes use cases.

pub mod calendar;
pub mod clock;
pub mod development;
pub mod error;
pub mod ids;
mod labels;
pub mod learning;
pub mod ledgers;
pub mod meetings;
pub mod org;
pub mod paging;
pub mod people;
pub mod platform;
pub mod rule_code;
pub mod text;

pub use error::{DomainError, FieldError};
pub use rule_code::RuleCode;
