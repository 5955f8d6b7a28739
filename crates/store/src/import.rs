//! Import batches of the roster: staged (validated, awaiting confirmation), applying,
//! applied, failed or rolled back.

use crate::{Result, StoreError, WriteTx, scope};
use dangjian_domain::ids::OrgId;
use dangjian_domain::org::OrgPath;
use dangjian_domain::people::roster::BatchState;
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "import_batches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub org_id: i64,
        pub org_path: String,
        pub file_name: String,
        pub rows: i64,
        pub state: String,
        pub file_sha256: Option<String>,
        pub message: Option<String>,
        pub applied_at: Option<i64>,
        pub created_by: Option<i64>,
        pub created_at: i64,
        pub rolled_back_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub id: i64,
    pub org_id: OrgId,
    pub org_path: OrgPath,
    pub file_name: String,
    pub rows: u64,
    pub state: BatchState,
    pub file_sha256: Option<String>,
    pub message: Option<String>,
    pub created_by: Option<dangjian_domain::ids::AccountId>,
    pub created_at: i64,
    pub applied_at: Option<i64>,
    pub rolled_back_at: Option<i64>,
}

impl TryFrom<entity::Model> for Batch {
    type Error = StoreError;

    fn try_from(m: entity::Model) -> Result<Self> {
        Ok(Batch {
            id: m.id,
            org_id: OrgId::new(m.org_id),
            org_path: OrgPath::parse(&m.org_path)
                .ok_or_else(|| StoreError::corrupt(&m.org_path))?,
            file_name: m.file_name,
            rows: u64::try_from(m.rows).unwrap_or(0),
            state: BatchState::parse(&m.state).ok_or_else(|| StoreError::corrupt(&m.state))?,
            file_sha256: m.file_sha256,
            message: m.message,
            created_by: m.created_by.map(dangjian_domain::ids::AccountId::new),
            created_at: m.created_at,
            applied_at: m.applied_at,
            rolled_back_at: m.rolled_back_at,
        })
    }
}

pub async fn insert(tx: &WriteTx, b: &Batch) -> Result<()> {
    entity::ActiveModel {
        id: Set(b.id),
        org_id: Set(b.org_id.get()),
        org_path: Set(b.org_path.as_str().to_owned()),
        file_name: Set(b.file_name.clone()),
        rows: Set(i64::try_from(b.rows).unwrap_or(i64::MAX)),
        state: Set(b.state.code().to_owned()),
        file_sha256: Set(b.file_sha256.clone()),
        message: Set(b.message.clone()),
        applied_at: Set(b.applied_at),
        created_by: Set(b.created_by.map(dangjian_domain::ids::AccountId::get)),
        created_at: Set(b.created_at),
        rolled_back_at: Set(b.rolled_back_at),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// Moves a batch from one state to another; false when it was not in `from` any more.
pub async fn transition(
    tx: &WriteTx,
    id: i64,
    from: BatchState,
    to: BatchState,
    message: Option<&str>,
    now_ms: i64,
) -> Result<bool> {
    let mut update = Entity::update_many()
        .col_expr(Column::State, Expr::value(to.code()))
        .filter(Column::Id.eq(id))
        .filter(Column::State.eq(from.code()));
    if let Some(m) = message {
        update = update.col_expr(Column::Message, Expr::value(m));
    }
    match to {
        BatchState::Applied => update = update.col_expr(Column::AppliedAt, Expr::value(now_ms)),
        BatchState::RolledBack => {
            update = update.col_expr(Column::RolledBackAt, Expr::value(now_ms));
        }
        _ => {}
    }
    Ok(update.exec(tx.conn()).await?.rows_affected == 1)
}

pub async fn find<C: ConnectionTrait>(db: &C, access: &Access, id: i64) -> Result<Option<Batch>> {
    Entity::find_by_id(id)
        .filter(scope::within(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
        ))
        .one(db)
        .await?
        .map(Batch::try_from)
        .transpose()
}

/// The latest batches the reader may see, newest first.
pub async fn recent<C: ConnectionTrait>(db: &C, access: &Access, limit: u64) -> Result<Vec<Batch>> {
    Entity::find()
        .filter(scope::within(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
        ))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Batch::try_from)
        .collect()
}

/// The id of the most recently applied batch anywhere: only it may be rolled back.
pub async fn latest_applied<C: ConnectionTrait>(db: &C) -> Result<Option<i64>> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::State.eq(BatchState::Applied.code()))
        .order_by_desc(Column::AppliedAt)
        .order_by_desc(Column::Id)
        .into_tuple()
        .one(db)
        .await?)
}
