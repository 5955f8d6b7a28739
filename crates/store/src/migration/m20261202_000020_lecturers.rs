//! Each 党课 records who lectured (RULES.md §2): someone on the roster by id, or a visitor by
//! name; meetings recorded before keep none.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table("meetings")
                .add_column(big_integer_null("lecturer_id"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("meetings")
                .add_column(string_len_null("lecturer_name", 50))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["lecturer_name", "lecturer_id"] {
            m.alter_table(
                Table::alter()
                    .table("meetings")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
