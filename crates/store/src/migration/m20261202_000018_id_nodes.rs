//! The 64 nodes that issue ids (`domain::ids`), each leased to one process at a time: who holds
//! it, when it last said so (database time), and the highest id it issued, after which its next
//! holder goes on.

use dangjian_domain::ids::NodeId;
use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// The tables before this migration. Those with an `id` hold ids issued before nodes existed,
/// with a random salt where the node is now and perhaps far ahead of the clock (a large import
/// or demo): every node starts after the highest of them.
const TABLES: &[&str] = &[
    "activation_codes",
    "api_tokens",
    "attachments",
    "calendar_days",
    "calendar_feeds",
    "development_step_policies",
    "development_steps",
    "grants",
    "heart_talks",
    "import_batches",
    "job_runs",
    "meeting_attendance",
    "meeting_check_ins",
    "meeting_corrections",
    "meetings",
    "notifications",
    "org_events",
    "org_students",
    "orgs",
    "person_accounts",
    "person_disciplines",
    "person_periods",
    "persons",
    "positions",
    "rule_versions",
    "sessions",
    "settings",
    "thought_report_mentors",
    "thought_reports",
    "training_classes",
    "training_trainees",
    "transfers",
    "users",
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("id_nodes")
                .col(integer("node").primary_key())
                .col(string_len_null("holder", 128))
                .col(big_integer("heartbeat_ms").default(0))
                .col(big_integer("last_id").default(0))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let mut highest = 0i64;
        for table in TABLES {
            if !m.has_column(*table, "id").await? {
                continue;
            }
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT MAX(id) AS id FROM {table}"),
                ))
                .await?;
            if let Some(id) = row.and_then(|r| r.try_get::<Option<i64>>("", "id").ok().flatten()) {
                highest = Ord::max(highest, id);
            }
        }
        let mut insert = Query::insert();
        insert
            .into_table("id_nodes")
            .columns(["node", "heartbeat_ms", "last_id"]);
        for node in NodeId::all() {
            insert.values_panic([node.get().into(), 0i64.into(), highest.into()]);
        }
        m.exec_stmt(insert).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("id_nodes").to_owned())
            .await
    }
}
