//! Member development (发展党员): each recorded step with its decision body, details, who
//! recorded it and any deadline it passed by override; and the official working-day calendar
//! the publicity window counts on.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index, path_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (first day, last day, worked, note): days off (放假) and weekend days worked (调休上班).
const HOLIDAYS: [(&str, &str, bool, &str); 24] = [
    ("2025-01-01", "2025-01-01", false, "元旦"),
    ("2025-01-26", "2025-01-26", true, "春节调休上班"),
    ("2025-01-28", "2025-02-04", false, "春节"),
    ("2025-02-08", "2025-02-08", true, "春节调休上班"),
    ("2025-04-04", "2025-04-06", false, "清明节"),
    ("2025-04-27", "2025-04-27", true, "劳动节调休上班"),
    ("2025-05-01", "2025-05-05", false, "劳动节"),
    ("2025-05-31", "2025-06-02", false, "端午节"),
    ("2025-09-28", "2025-09-28", true, "国庆节调休上班"),
    ("2025-10-01", "2025-10-08", false, "国庆节、中秋节"),
    ("2025-10-11", "2025-10-11", true, "国庆节调休上班"),
    ("2026-01-01", "2026-01-03", false, "元旦"),
    ("2026-01-04", "2026-01-04", true, "元旦调休上班"),
    ("2026-02-14", "2026-02-14", true, "春节调休上班"),
    ("2026-02-15", "2026-02-23", false, "春节"),
    ("2026-02-28", "2026-02-28", true, "春节调休上班"),
    ("2026-04-04", "2026-04-06", false, "清明节"),
    ("2026-05-01", "2026-05-05", false, "劳动节"),
    ("2026-05-09", "2026-05-09", true, "劳动节调休上班"),
    ("2026-06-19", "2026-06-21", false, "端午节"),
    ("2026-09-20", "2026-09-20", true, "国庆节调休上班"),
    ("2026-09-25", "2026-09-27", false, "中秋节"),
    ("2026-10-01", "2026-10-07", false, "国庆节"),
    ("2026-10-10", "2026-10-10", true, "国庆节调休上班"),
];

fn day(s: &str) -> Result<chrono::NaiveDate, DbErr> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| DbErr::Custom(e.to_string()))
}

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
        // The State Council's holiday arrangements for 2025 and 2026, as published; the
        // organization department adds later years on the calendar page.
        let mut insert = Query::insert();
        insert
            .into_table("calendar_days")
            .columns(["on_date", "working", "note"]);
        for (from, until, working, note) in HOLIDAYS {
            let (from, until) = (day(from)?, day(until)?);
            for on in from.iter_days().take_while(|d| *d <= until) {
                insert.values_panic([on.into(), working.into(), note.into()]);
            }
        }
        m.exec_stmt(insert).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["calendar_days", "development_steps"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
