//! One-time check-in codes (签到码) of a meeting's expected attendees, stored only as their
//! hash, each used once; heart talks (谈心谈话); and each account's secret link to its
//! meeting calendar (an iCalendar feed), also kept only as a hash.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index, path_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("meeting_check_ins")
                .col(string_len("token_hash", 64).primary_key())
                .col(big_integer("meeting_id"))
                .col(big_integer("person_id"))
                .col(big_integer("issued_at"))
                .col(big_integer_null("used_at"))
                .foreign_key(&mut fk(
                    ("meeting_check_ins", "meeting_id"),
                    ("meetings", "id"),
                ))
                .foreign_key(&mut fk(
                    ("meeting_check_ins", "person_id"),
                    ("persons", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "meeting_check_ins",
            "meeting_check_ins_meeting",
            &["meeting_id", "person_id"],
        ))
        .await?;
        let pg = m.get_database_backend() == DbBackend::Postgres;
        m.create_table(
            Table::create()
                .table("heart_talks")
                .col(big_integer("id").primary_key())
                .col(big_integer("org_id"))
                .col(path_column("org_path", pg))
                .col(big_integer("talker_id"))
                .col(big_integer("talkee_id"))
                .col(date("on_date"))
                .col(string_len("place", 100))
                .col(text("summary"))
                .col(string_len("recorded_by_name", 100))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(("heart_talks", "org_id"), ("orgs", "id")))
                .foreign_key(&mut fk(("heart_talks", "talker_id"), ("persons", "id")))
                .foreign_key(&mut fk(("heart_talks", "talkee_id"), ("persons", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "heart_talks",
            "heart_talks_org_day",
            &["org_path", "on_date"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("calendar_feeds")
                .col(string_len("token_hash", 64).primary_key())
                .col(big_integer("user_id"))
                .col(big_integer("created_at"))
                .col(big_integer_null("revoked_at"))
                .foreign_key(&mut fk(("calendar_feeds", "user_id"), ("users", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("calendar_feeds", "calendar_feeds_user", &["user_id"]))
            .await?;
        m.create_index(index(
            "meeting_attendance",
            "meeting_attendance_person",
            &["person_id", "meeting_id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["calendar_feeds", "heart_talks", "meeting_check_ins"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
