//! Platform settings as key–value pairs.

use crate::{Result, WriteTx};
use dangjian_domain::platform::settings::Settings;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub value: String,
        pub updated_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod version_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "rule_versions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub effective_from: Date,
        pub value: String,
        pub recorded_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The settings with the versions of the university's rules.
pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Settings> {
    let rows = entity::Entity::find().all(db).await?;
    let versions = version_entity::Entity::find().all(db).await?;
    Ok(
        Settings::from_pairs(rows.iter().map(|r| (r.key.as_str(), r.value.as_str())))
            .with_versions(
                versions
                    .iter()
                    .map(|v| (v.key.as_str(), v.effective_from, v.value.as_str())),
            ),
    )
}

/// Puts a rule's value in force from a day on (replacing a version of the same day).
pub async fn put_version(
    tx: &WriteTx,
    key: &str,
    from: chrono::NaiveDate,
    value: &str,
    now_ms: i64,
) -> Result<()> {
    version_entity::Entity::insert(version_entity::ActiveModel {
        key: Set(key.to_owned()),
        effective_from: Set(from),
        value: Set(value.to_owned()),
        recorded_at: Set(now_ms),
    })
    .on_conflict(
        OnConflict::columns([
            version_entity::Column::Key,
            version_entity::Column::EffectiveFrom,
        ])
        .update_columns([
            version_entity::Column::Value,
            version_entity::Column::RecordedAt,
        ])
        .to_owned(),
    )
    .exec(tx.conn())
    .await?;
    Ok(())
}

pub async fn put(tx: &WriteTx, key: &str, value: &str, now_ms: i64) -> Result<()> {
    entity::Entity::insert(entity::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(now_ms),
    })
    .on_conflict(
        OnConflict::column(entity::Column::Key)
            .update_columns([entity::Column::Value, entity::Column::UpdatedAt])
            .to_owned(),
    )
    .exec(tx.conn())
    .await?;
    Ok(())
}
