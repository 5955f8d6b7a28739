//! Members out of the branch's reach as stored: each record on a person, its path the
//! person's organization (it follows them, `scope::SCOPED`), read within the reader's scope.

use crate::{Result, StoreError, WriteTx, scope};
use chrono::NaiveDate;
use dangjian_domain::ids::PersonId;
use dangjian_domain::org::OrgPath;
use dangjian_domain::people::whereabouts::{Whereabouts, WhereaboutsKind, WhereaboutsRecord};
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "person_whereabouts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub person_id: i64,
        pub org_path: String,
        pub kind: String,
        pub since: Date,
        pub last_contact_on: Option<Date>,
        pub suspended_on: Option<Date>,
        pub ended_on: Option<Date>,
        pub note: String,
        pub recorded_by_name: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

fn to_record(m: entity::Model) -> Result<(WhereaboutsRecord, OrgPath)> {
    let path = OrgPath::parse(&m.org_path).ok_or_else(|| StoreError::corrupt(&m.org_path))?;
    Ok((
        WhereaboutsRecord {
            id: m.id,
            person_id: PersonId::new(m.person_id),
            whereabouts: Whereabouts {
                kind: WhereaboutsKind::parse(&m.kind)
                    .ok_or_else(|| StoreError::corrupt(&m.kind))?,
                since: m.since,
                last_contact_on: m.last_contact_on,
                suspended_on: m.suspended_on,
                ended_on: m.ended_on,
                note: m.note,
            },
            recorded_by_name: m.recorded_by_name,
            created_at: m.created_at,
        },
        path,
    ))
}

/// A new record on a person of the organization at `path`.
pub async fn insert(tx: &WriteTx, r: &WhereaboutsRecord, path: &OrgPath) -> Result<()> {
    let w = &r.whereabouts;
    entity::ActiveModel {
        id: Set(r.id),
        person_id: Set(r.person_id.get()),
        org_path: Set(path.as_str().to_owned()),
        kind: Set(w.kind.code().to_owned()),
        since: Set(w.since),
        last_contact_on: Set(w.last_contact_on),
        suspended_on: Set(w.suspended_on),
        ended_on: Set(w.ended_on),
        note: Set(w.note.clone()),
        recorded_by_name: Set(r.recorded_by_name.clone()),
        created_at: Set(r.created_at),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// Writes what changes on a record: its latest contact, its suspension, its end.
pub async fn update(tx: &WriteTx, r: &WhereaboutsRecord) -> Result<()> {
    entity::ActiveModel {
        id: Set(r.id),
        last_contact_on: Set(r.whereabouts.last_contact_on),
        suspended_on: Set(r.whereabouts.suspended_on),
        ended_on: Set(r.whereabouts.ended_on),
        ..Default::default()
    }
    .update(tx.conn())
    .await?;
    Ok(())
}

/// One record, if the reader may do `action` where its person belongs.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    action: Action,
    id: i64,
) -> Result<Option<(WhereaboutsRecord, OrgPath)>> {
    Entity::find_by_id(id)
        .filter(scope::within(Column::OrgPath, &access.scopes(action)))
        .one(db)
        .await?
        .map(to_record)
        .transpose()
}

/// A person's records, newest first; the caller read the person within scope.
pub async fn of_person<C: ConnectionTrait>(
    db: &C,
    person_id: PersonId,
) -> Result<Vec<WhereaboutsRecord>> {
    Entity::find()
        .filter(Column::PersonId.eq(person_id.get()))
        .order_by_desc(Column::Since)
        .order_by_desc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| to_record(m).map(|(r, _)| r))
        .collect()
}

/// The open records of a subtree the reader may read, at most `limit`, oldest first.
pub async fn open_under<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    limit: u64,
) -> Result<Vec<(WhereaboutsRecord, OrgPath)>> {
    Entity::find()
        .filter(Column::EndedOn.is_null())
        .filter(scope::within_under(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
            Some(under),
        ))
        .order_by_asc(Column::Since)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_record)
        .collect()
}

/// Of some people, those whose membership was suspended on `day` (停止党籍); the caller read
/// the people.
pub async fn suspended_among<C: ConnectionTrait>(
    db: &C,
    ids: &[PersonId],
    day: NaiveDate,
) -> Result<Vec<PersonId>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        for m in Entity::find()
            .filter(Column::PersonId.is_in(dangjian_domain::ids::raw(chunk)))
            .filter(Column::SuspendedOn.lte(day))
            .all(db)
            .await?
        {
            let (r, _) = to_record(m)?;
            if r.whereabouts.suspended_on_day(day) {
                out.push(r.person_id);
            }
        }
    }
    Ok(out)
}
