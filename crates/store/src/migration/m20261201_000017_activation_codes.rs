//! Activation codes: the security admin issues a person of the roster a one-time code, which
//! the person brings to open their own account. Only its keyed hash is kept.

use super::fk;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("activation_codes")
                .col(big_integer("person_id").primary_key())
                .col(string_len("code_index", 64))
                .col(big_integer("expires_at"))
                .col(big_integer("issued_by"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(
                    ("activation_codes", "person_id"),
                    ("persons", "id"),
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("activation_codes").to_owned())
            .await
    }
}
