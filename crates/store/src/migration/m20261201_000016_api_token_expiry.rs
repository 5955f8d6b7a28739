//! API tokens expire: each carries the moment it stops being accepted.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The lifetime given to the tokens made before tokens expired: the default of that day (90
/// days), written out so that a later default does not change this step.
const EXISTING_TOKEN_MS: i64 = 90 * 24 * 60 * 60 * 1000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("api_tokens")
                .add_column(big_integer("expires_at").default(0))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(&format!(
                "UPDATE api_tokens SET expires_at = created_at + {EXISTING_TOKEN_MS}"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("api_tokens")
                .drop_column("expires_at")
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::EXISTING_TOKEN_MS;
    use crate::migration::Migrator;
    use sea_orm::{ConnectionTrait, Database};
    use sea_orm_migration::MigratorTrait;

    #[tokio::test]
    async fn the_tokens_made_before_expire_90_days_after_they_were_made() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        Migrator::up(&db, Some(15)).await.unwrap();
        db.execute_unprepared(
            "INSERT INTO users (id, username, display_name, password_hash, must_change_password, \
             is_demo, disabled, failed_attempts, created_at) VALUES (1, 'u', 'u', 'x', false, \
             false, false, 0, 0); \
             INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at) \
             VALUES (7, 1, 't', 'h', 'dj_', 1000)",
        )
        .await
        .unwrap();
        Migrator::up(&db, Some(1)).await.unwrap();
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT expires_at FROM api_tokens WHERE id = 7",
            ))
            .await
            .unwrap()
            .unwrap();
        let expires: i64 = row.try_get("", "expires_at").unwrap();
        assert_eq!(expires, 1000 + EXISTING_TOKEN_MS);
    }
}
