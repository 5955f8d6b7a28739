//! A 联合党支部 records the units (单位) it covers, so that more than five can be warned of
//! (支部条例第四条); a branch of one unit lists none.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("orgs")
                .add_column(text("joint_units").default("[]"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("orgs")
                .drop_column("joint_units")
                .to_owned(),
        )
        .await
    }
}
