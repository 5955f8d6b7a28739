//! Organizational life (组织生活): each meeting with its plan, state, minutes and lock; who was
//! expected and how they attended; the corrections added to a locked record.

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
                .table("meetings")
                .col(big_integer("id").primary_key())
                .col(big_integer("org_id"))
                .col(path_column("org_path", pg))
                .col(string_len("kind", 32))
                .col(string_len("topic", 200))
                // The local day (Shanghai) for the compliance engine, and the instant.
                .col(date("on_date"))
                .col(big_integer("starts_at"))
                .col(string_len("place", 100))
                .col(string_len_null("first_agenda_item", 200))
                // The agenda's items, as a JSON list.
                .col(text("agenda"))
                .col(text("minutes"))
                .col(text("resolutions"))
                .col(string_len("state", 16))
                .col(string_len("recorded_by_name", 100))
                .col(big_integer_null("locked_at"))
                .col(string_len_null("locked_by_name", 100))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(("meetings", "org_id"), ("orgs", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "meetings",
            "meetings_org_day",
            &["org_path", "on_date"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("meeting_attendance")
                .col(big_integer("meeting_id"))
                .col(big_integer("person_id"))
                .col(string_len("status", 16))
                .col(string_len("reason", 200))
                .primary_key(Index::create().col("meeting_id").col("person_id"))
                .foreign_key(&mut fk(
                    ("meeting_attendance", "meeting_id"),
                    ("meetings", "id"),
                ))
                .foreign_key(&mut fk(
                    ("meeting_attendance", "person_id"),
                    ("persons", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("meeting_corrections")
                .col(big_integer("id").primary_key())
                .col(big_integer("meeting_id"))
                .col(text("text"))
                .col(string_len("recorded_by_name", 100))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(
                    ("meeting_corrections", "meeting_id"),
                    ("meetings", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "meeting_corrections",
            "meeting_corrections_meeting",
            &["meeting_id", "created_at"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["meeting_corrections", "meeting_attendance", "meetings"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
