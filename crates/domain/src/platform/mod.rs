//! The platform: accounts, roles and their scopes, the audit trail, attachments and settings.

pub mod account;
pub mod attachment;
pub mod audit;
pub mod role;
pub mod settings;
