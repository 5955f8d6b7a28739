//! Thought reports (思想汇报) and the mentors each was handed to, who answer it.

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
                .table("thought_reports")
                .col(big_integer("id").primary_key())
                .col(big_integer("person_id"))
                .col(big_integer("org_id"))
                .col(path_column("org_path", pg))
                .col(string_len("title", 100))
                .col(text("body"))
                .col(date("handed_in_on"))
                .col(big_integer("created_at"))
                .col(text_null("answer"))
                .col(big_integer_null("answered_by"))
                .col(string_len_null("answered_by_name", 100))
                .col(big_integer_null("answered_at"))
                .foreign_key(&mut fk(("thought_reports", "person_id"), ("persons", "id")))
                .foreign_key(&mut fk(("thought_reports", "org_id"), ("orgs", "id")))
                .foreign_key(&mut fk(
                    ("thought_reports", "answered_by"),
                    ("persons", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "thought_reports",
            "thought_reports_person",
            &["person_id", "handed_in_on"],
        ))
        .await?;
        m.create_index(index(
            "thought_reports",
            "thought_reports_org_day",
            &["org_path", "handed_in_on"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("thought_report_mentors")
                .col(big_integer("report_id"))
                .col(big_integer("mentor_id"))
                .primary_key(Index::create().col("report_id").col("mentor_id"))
                .foreign_key(&mut fk(
                    ("thought_report_mentors", "report_id"),
                    ("thought_reports", "id"),
                ))
                .foreign_key(&mut fk(
                    ("thought_report_mentors", "mentor_id"),
                    ("persons", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "thought_report_mentors",
            "thought_report_mentors_mentor",
            &["mentor_id", "report_id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["thought_report_mentors", "thought_reports"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
