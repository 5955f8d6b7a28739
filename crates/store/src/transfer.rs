//! Transfers (组织关系转接), read by the organizations on either side.

use crate::{Result, StoreError, WriteTx, scope};
use chrono::NaiveDate;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::OrgPath;
use dangjian_domain::people::{Transfer, TransferDirection, TransferState};
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, Condition, QueryOrder};

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "transfers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub person_id: i64,
        pub direction: String,
        pub from_org_id: Option<i64>,
        pub from_org_path: Option<String>,
        pub from_outside: Option<String>,
        pub to_org_id: Option<i64>,
        pub to_org_path: Option<String>,
        pub to_outside: Option<String>,
        pub state: String,
        pub initiated_on: Date,
        pub received_on: Option<Date>,
        pub reason: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

/// A transfer with the paths of the organizations on each side, for the scope checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRecord {
    pub transfer: Transfer,
    pub from_org_path: Option<OrgPath>,
    pub to_org_path: Option<OrgPath>,
}

fn path(p: Option<String>) -> Result<Option<OrgPath>> {
    p.map(|p| OrgPath::parse(&p).ok_or_else(|| StoreError::corrupt(&p)))
        .transpose()
}

impl TryFrom<entity::Model> for TransferRecord {
    type Error = StoreError;

    fn try_from(m: entity::Model) -> Result<Self> {
        Ok(TransferRecord {
            transfer: Transfer {
                id: m.id,
                person_id: PersonId::new(m.person_id),
                direction: TransferDirection::parse(&m.direction)
                    .ok_or_else(|| StoreError::corrupt(&m.direction))?,
                from_org_id: m.from_org_id.map(OrgId::new),
                from_outside: m.from_outside,
                to_org_id: m.to_org_id.map(OrgId::new),
                to_outside: m.to_outside,
                state: TransferState::parse(&m.state)
                    .ok_or_else(|| StoreError::corrupt(&m.state))?,
                initiated_on: m.initiated_on,
                received_on: m.received_on,
                reason: m.reason,
            },
            from_org_path: path(m.from_org_path)?,
            to_org_path: path(m.to_org_path)?,
        })
    }
}

pub async fn insert(tx: &WriteTx, r: &TransferRecord, now_ms: i64) -> Result<()> {
    let t = &r.transfer;
    entity::ActiveModel {
        id: Set(t.id),
        person_id: Set(t.person_id.get()),
        direction: Set(t.direction.code().to_owned()),
        from_org_id: Set(t.from_org_id.map(OrgId::get)),
        from_org_path: Set(r.from_org_path.as_ref().map(|p| p.as_str().to_owned())),
        from_outside: Set(t.from_outside.clone()),
        to_org_id: Set(t.to_org_id.map(OrgId::get)),
        to_org_path: Set(r.to_org_path.as_ref().map(|p| p.as_str().to_owned())),
        to_outside: Set(t.to_outside.clone()),
        state: Set(t.state.code().to_owned()),
        initiated_on: Set(t.initiated_on),
        received_on: Set(t.received_on),
        reason: Set(t.reason.clone()),
        created_at: Set(now_ms),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// Ends a pending transfer; false when it was no longer pending (someone else ended it).
pub async fn finish(
    tx: &WriteTx,
    id: i64,
    state: TransferState,
    on: Option<NaiveDate>,
) -> Result<bool> {
    let result = Entity::update_many()
        .col_expr(Column::State, Expr::value(state.code()))
        .col_expr(Column::ReceivedOn, Expr::value(on))
        .filter(Column::Id.eq(id))
        .filter(Column::State.eq(TransferState::Pending.code()))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// Transfers whose old or new organization the reader may read.
fn visible(access: &Access) -> Condition {
    let scopes = access.scopes(Action::ReadRecords);
    Condition::any()
        .add(scope::within(Column::FromOrgPath, &scopes))
        .add(scope::within(Column::ToOrgPath, &scopes))
}

pub async fn find<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    id: i64,
) -> Result<Option<TransferRecord>> {
    Entity::find_by_id(id)
        .filter(visible(access))
        .one(db)
        .await?
        .map(TransferRecord::try_from)
        .transpose()
}

pub async fn of_person<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    person_id: PersonId,
) -> Result<Vec<TransferRecord>> {
    Entity::find()
        .filter(Column::PersonId.eq(person_id.get()))
        .filter(visible(access))
        .order_by_desc(Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(TransferRecord::try_from)
        .collect()
}

/// Pending transfers into or out of a subtree, newest first.
pub async fn pending<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
) -> Result<Vec<TransferRecord>> {
    let here = std::slice::from_ref(under);
    Entity::find()
        .filter(Column::State.eq(TransferState::Pending.code()))
        .filter(visible(access))
        .filter(
            Condition::any()
                .add(scope::within(Column::FromOrgPath, here))
                .add(scope::within(Column::ToOrgPath, here)),
        )
        .order_by_desc(Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(TransferRecord::try_from)
        .collect()
}
