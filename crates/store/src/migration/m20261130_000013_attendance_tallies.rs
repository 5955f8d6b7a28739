//! Each meeting's tally of its roll (expected, present, excused, absent), kept with the
//! meeting in the same transaction as every change of its attendance, so that the figures of
//! a whole university sum meetings instead of joining millions of attendance rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tally columns with the status each counts (none: every row).
pub(crate) const TALLIES: [(&str, Option<&str>); 4] = [
    ("expected_count", None),
    ("present_count", Some("present")),
    ("excused_count", Some("excused")),
    ("absent_count", Some("absent")),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (column, _) in TALLIES {
            m.alter_table(
                Table::alter()
                    .table("meetings")
                    .add_column(integer(column).default(0))
                    .to_owned(),
            )
            .await?;
        }
        // The meetings recorded before: counted once from their rolls.
        let sets: Vec<String> = TALLIES
            .iter()
            .map(|(column, status)| {
                let only = status.map_or_else(String::new, |s| format!(" AND a.status = '{s}'"));
                format!(
                    "{column} = (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = meetings.id{only})"
                )
            })
            .collect();
        m.get_connection()
            .execute_unprepared(&format!("UPDATE meetings SET {}", sets.join(", ")))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (column, _) in TALLIES {
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
