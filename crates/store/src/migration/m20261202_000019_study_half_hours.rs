//! Study hours (学时) come in halves (1.5 学时 is usual): a meeting keeps them as half-hours,
//! so the whole hours recorded before are doubled.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("meetings")
                .rename_column("study_hours", "study_half_hours")
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("UPDATE meetings SET study_half_hours = study_half_hours * 2")
            .await?;
        Ok(())
    }

    /// Back to whole hours: a half is rounded down.
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("UPDATE meetings SET study_half_hours = study_half_hours / 2")
            .await?;
        m.alter_table(
            Table::alter()
                .table("meetings")
                .rename_column("study_half_hours", "study_hours")
                .to_owned(),
        )
        .await
    }
}
