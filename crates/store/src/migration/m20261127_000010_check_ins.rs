//! One-time check-in codes (签到码) of a meeting's expected attendees: stored only as their
//! hash, each used once.

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
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("meeting_check_ins").to_owned())
            .await
    }
}
