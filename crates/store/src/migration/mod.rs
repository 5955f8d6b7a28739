//! The schema, written once in Rust for both engines.

use sea_orm_migration::prelude::*;

mod m20261123_000001_platform;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261123_000001_platform::Migration)]
    }
}
