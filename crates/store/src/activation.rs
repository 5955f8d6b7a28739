//! Activation codes as stored: one per person at most, by its keyed hash, until it is used or
//! runs out.

use crate::{Result, WriteTx};
use dangjian_domain::ids::PersonId;
use dangjian_domain::platform::account::ActivationCodeRecord;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activation_codes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub person_id: i64,
        pub code_index: String,
        pub expires_at: i64,
        pub issued_by: i64,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

/// Keeps a person's new code in place of any earlier one.
pub async fn put(
    tx: &WriteTx,
    person_id: PersonId,
    code: &ActivationCodeRecord,
    issued_by: Option<dangjian_domain::ids::AccountId>,
    now_ms: i64,
) -> Result<()> {
    remove(tx, person_id).await?;
    entity::ActiveModel {
        person_id: Set(person_id.get()),
        code_index: Set(code.code_index.clone()),
        expires_at: Set(code.expires_at),
        // 0: issued from the console, which has no account.
        issued_by: Set(issued_by.map_or(0, |a| a.get())),
        created_at: Set(now_ms),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

pub async fn of_person<C: ConnectionTrait>(
    db: &C,
    person_id: PersonId,
) -> Result<Option<ActivationCodeRecord>> {
    Ok(Entity::find_by_id(person_id.get())
        .one(db)
        .await?
        .map(|m| ActivationCodeRecord {
            code_index: m.code_index,
            expires_at: m.expires_at,
        }))
}

/// A used code goes: it opens one account once.
pub async fn remove(tx: &WriteTx, person_id: PersonId) -> Result<()> {
    Entity::delete_many()
        .filter(Column::PersonId.eq(person_id.get()))
        .exec(tx.conn())
        .await?;
    Ok(())
}
