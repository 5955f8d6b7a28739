//! Notifications (消息) to accounts, as the daily digest of what is due; and the runs of the
//! platform's daily jobs, so that a job runs once a day however often the server restarts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("notifications")
                .col(big_integer("id").primary_key())
                .col(big_integer("account_id"))
                .col(string_len("kind", 32))
                .col(date("day"))
                .col(string_len("title", 200))
                .col(text("body"))
                .col(string_len_null("link", 200))
                .col(big_integer("created_at"))
                .col(big_integer_null("read_at"))
                .foreign_key(&mut fk(("notifications", "account_id"), ("users", "id")))
                .to_owned(),
        )
        .await?;
        // One digest of a kind a day for each account.
        m.create_index(
            index(
                "notifications",
                "notifications_account_kind_day",
                &["account_id", "kind", "day"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("job_runs")
                .col(string_len("job", 64))
                .col(date("day"))
                .col(big_integer("finished_at"))
                .primary_key(Index::create().col("job").col("day"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["job_runs", "notifications"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
