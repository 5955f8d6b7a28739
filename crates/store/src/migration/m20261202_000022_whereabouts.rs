//! Members out of the branch's reach (RULES.md §2): lost contact and the suspension it leads
//! to, members abroad with their latest contact, graduates kept at the university.

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
                .table("person_whereabouts")
                .col(big_integer("id").primary_key())
                .col(big_integer("person_id"))
                .col(path_column("org_path", pg))
                .col(string_len("kind", 20))
                .col(date("since"))
                .col(date_null("last_contact_on"))
                .col(date_null("suspended_on"))
                .col(date_null("ended_on"))
                .col(string_len("note", 500))
                .col(string_len("recorded_by_name", 100))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(
                    ("person_whereabouts", "person_id"),
                    ("persons", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "person_whereabouts",
            "person_whereabouts_person",
            &["person_id", "since"],
        ))
        .await?;
        m.create_index(index(
            "person_whereabouts",
            "person_whereabouts_org_open",
            &["org_path", "ended_on"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("person_whereabouts").to_owned())
            .await
    }
}
