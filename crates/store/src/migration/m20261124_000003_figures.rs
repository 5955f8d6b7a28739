//! Indexes for the figures and the history: the dashboard counts a subtree's people four ways
//! from one index (no table rows read), and the tree of a past day finds the later moves. Two
//! indexes no query used go: names are searched by part (no index serves it) and a status
//! alone narrows little; each costs seconds in every bulk load.

use sea_orm_migration::prelude::*;

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["persons_name", "persons_status"] {
            m.drop_index(Index::drop().name(name).table("persons").to_owned())
                .await?;
        }
        m.create_index(index(
            "persons",
            "persons_figures",
            &[
                "org_path",
                "status",
                "category",
                "education",
                "birth_date",
                "left_on",
            ],
        ))
        .await?;
        m.create_index(index("org_events", "org_events_kind", &["kind", "on_date"]))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, name) in [
            ("org_events", "org_events_kind"),
            ("persons", "persons_figures"),
        ] {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        m.create_index(index("persons", "persons_status", &["status", "org_path"]))
            .await?;
        m.create_index(index("persons", "persons_name", &["name"]))
            .await
    }
}
