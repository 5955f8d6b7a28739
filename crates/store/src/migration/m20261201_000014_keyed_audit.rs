//! The audit chain is keyed (`k1:` and an HMAC): its hashes outgrow the 64 characters of a
//! plain SHA-256. SQLite does not enforce a text length; PostgreSQL widens the columns.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        widen(m, 80).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        widen(m, 64).await
    }
}

async fn widen(m: &SchemaManager<'_>, len: u32) -> Result<(), DbErr> {
    if m.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    m.get_connection()
        .execute_unprepared(&format!(
            "ALTER TABLE audit_log ALTER COLUMN hash TYPE varchar({len}), \
             ALTER COLUMN prev_hash TYPE varchar({len})"
        ))
        .await
        .map(|_| ())
}
