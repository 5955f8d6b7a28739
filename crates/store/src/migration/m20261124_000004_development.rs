//! Member development (发展党员): each recorded step with its decision body, details, who
//! recorded it and any deadline it passed by override; and the official working-day calendar
//! the publicity window counts on.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index, path_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let pg = m.get_database_backend() == DbBackend::Postgres;
        m.create_table(
            Table::create()
                .table("development_steps")
                .col(big_integer("id").primary_key())
                .col(big_integer("person_id"))
                // The branch the step was taken in, for the scope filter and the board.
                .col(big_integer("org_id"))
                .col(path_column("org_path", pg))
                .col(string_len("step", 32))
                .col(date("on_date"))
                .col(string_len("body", 32))
                // The step's details (vote count, sponsors, publicity window…) as JSON.
                .col(text("detail"))
                .col(string_len("note", 500))
                .col(big_integer_null("recorded_by"))
                .col(string_len("recorded_by_name", 100))
                // A deadline passed: the rule's message and source, and the override's reason.
                .col(string_len_null("breach", 300))
                .col(string_len_null("breach_basis", 60))
                .col(string_len_null("override_reason", 500))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(
                    ("development_steps", "person_id"),
                    ("persons", "id"),
                ))
                .foreign_key(&mut fk(("development_steps", "org_id"), ("orgs", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "development_steps",
            "development_steps_person",
            &["person_id", "on_date"],
        ))
        .await?;
        m.create_index(index(
            "development_steps",
            "development_steps_org",
            &["org_path", "step", "on_date"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("calendar_days")
                .col(date("on_date").primary_key())
                .col(boolean("working"))
                .col(string_len("note", 100))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["calendar_days", "development_steps"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
