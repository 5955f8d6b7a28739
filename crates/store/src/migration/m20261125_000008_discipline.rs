//! Party discipline (党纪处分) on members: the sanction, its day, its end for 留党察看.

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
                .table("person_disciplines")
                .col(big_integer("id").primary_key())
                .col(big_integer("person_id"))
                // The person's organization when decided, for the scope filter.
                .col(path_column("org_path", pg))
                .col(string_len("kind", 32))
                .col(date("decided_on"))
                .col(date_null("until"))
                .col(string_len("decided_by", 100))
                .col(string_len("reason", 500))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(
                    ("person_disciplines", "person_id"),
                    ("persons", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "person_disciplines",
            "person_disciplines_person",
            &["person_id", "decided_on"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("person_disciplines").to_owned())
            .await
    }
}
