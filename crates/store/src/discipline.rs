//! Party discipline as stored: each sanction on a person.

use crate::{Result, StoreError, WriteTx};
use dangjian_domain::ids::PersonId;
use dangjian_domain::people::discipline::DisciplineRecord;
use dangjian_domain::people::discipline::{Discipline, DisciplineKind};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "person_disciplines")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub person_id: i64,
        pub org_path: String,
        pub kind: String,
        pub decided_on: Date,
        pub until: Option<Date>,
        pub decided_by: String,
        pub reason: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

fn to_stored(m: entity::Model) -> Result<DisciplineRecord> {
    Ok(DisciplineRecord {
        id: m.id,
        person_id: PersonId::new(m.person_id),
        discipline: Discipline {
            kind: DisciplineKind::parse(&m.kind).ok_or_else(|| StoreError::corrupt(&m.kind))?,
            decided_on: m.decided_on,
            until: m.until,
            decided_by: m.decided_by,
            reason: m.reason,
        },
        org_path: m.org_path,
        created_at: m.created_at,
    })
}

pub async fn insert(tx: &WriteTx, d: &DisciplineRecord) -> Result<()> {
    entity::ActiveModel {
        id: Set(d.id),
        person_id: Set(d.person_id.get()),
        org_path: Set(d.org_path.clone()),
        kind: Set(d.discipline.kind.code().to_owned()),
        decided_on: Set(d.discipline.decided_on),
        until: Set(d.discipline.until),
        decided_by: Set(d.discipline.decided_by.clone()),
        reason: Set(d.discipline.reason.clone()),
        created_at: Set(d.created_at),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// The sanctions of some people, oldest first; the caller read the people within scope.
pub async fn of_people<C: ConnectionTrait>(
    db: &C,
    ids: &[PersonId],
) -> Result<Vec<DisciplineRecord>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        for m in Entity::find()
            .filter(Column::PersonId.is_in(dangjian_domain::ids::raw(chunk)))
            .order_by_asc(Column::DecidedOn)
            .all(db)
            .await?
        {
            out.push(to_stored(m)?);
        }
    }
    Ok(out)
}
