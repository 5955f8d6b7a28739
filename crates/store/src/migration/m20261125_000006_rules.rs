//! The university's own practice as data: each development step's body, recorder and
//! documents (发展党员流程设置), the versions of its rules, each in force from a day on, and
//! which document an attachment is.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Only the steps a university changed; the others follow RULES.md.
        m.create_table(
            Table::create()
                .table("development_step_policies")
                .col(string_len("step", 32).primary_key())
                .col(string_len("body", 32))
                .col(string_len("recorder", 16))
                // The documents' names, as a JSON list.
                .col(text("documents"))
                .col(big_integer("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("rule_versions")
                .col(string_len("key", 64))
                .col(date("effective_from"))
                .col(string_len("value", 32))
                .col(big_integer("recorded_at"))
                .primary_key(Index::create().col("key").col("effective_from"))
                .to_owned(),
        )
        .await?;
        // What an attachment is among the documents its record asks for.
        m.alter_table(
            Table::alter()
                .table("attachments")
                .add_column(string_len_null("label", 60))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("attachments")
                .drop_column("label")
                .to_owned(),
        )
        .await?;
        for t in ["rule_versions", "development_step_policies"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
