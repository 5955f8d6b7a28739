//! Committee positions (支部委员会, 书记…) with their terms, read within scope.

use crate::{Result, StoreError, WriteTx, scope};
use chrono::NaiveDate;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::{OrgPath, Position, Seat};
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "positions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub org_id: i64,
        pub org_path: String,
        pub person_id: i64,
        pub position: String,
        pub term_start: Date,
        pub term_end: Date,
        pub left_on: Option<Date>,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

impl TryFrom<entity::Model> for Seat {
    type Error = StoreError;

    fn try_from(m: entity::Model) -> Result<Self> {
        Ok(Seat {
            id: m.id,
            org_id: OrgId::new(m.org_id),
            org_path: OrgPath::parse(&m.org_path)
                .ok_or_else(|| StoreError::corrupt(&m.org_path))?,
            person_id: PersonId::new(m.person_id),
            position: Position::parse(&m.position)
                .ok_or_else(|| StoreError::corrupt(&m.position))?,
            term_start: m.term_start,
            term_end: m.term_end,
            left_on: m.left_on,
        })
    }
}

pub async fn insert_many(tx: &WriteTx, seats: &[Seat], now_ms: i64) -> Result<()> {
    for chunk in seats.chunks(1000) {
        Entity::insert_many(chunk.iter().map(|s| entity::ActiveModel {
            id: Set(s.id),
            org_id: Set(s.org_id.get()),
            org_path: Set(s.org_path.as_str().to_owned()),
            person_id: Set(s.person_id.get()),
            position: Set(s.position.code().to_owned()),
            term_start: Set(s.term_start),
            term_end: Set(s.term_end),
            left_on: Set(s.left_on),
            created_at: Set(now_ms),
        }))
        .exec(tx.conn())
        .await?;
    }
    Ok(())
}

/// The sitting seats of one organization whatever the reader's scope: to tell its committee
/// of what reaches it (a report written to the branch).
pub async fn sitting_in<C: ConnectionTrait>(db: &C, org_id: OrgId) -> Result<Vec<Seat>> {
    Entity::find()
        .filter(Column::OrgId.eq(org_id.get()))
        .filter(Column::LeftOn.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(Seat::try_from)
        .collect()
}

/// The sitting committee of an organization, secretary first.
pub async fn committee<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    org_id: OrgId,
) -> Result<Vec<Seat>> {
    let mut seats: Vec<Seat> = Entity::find()
        .filter(Column::OrgId.eq(org_id.get()))
        .filter(Column::LeftOn.is_null())
        .filter(scope::within(
            Column::OrgPath,
            &access.scopes(Action::ReadOrg),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(Seat::try_from)
        .collect::<Result<_>>()?;
    seats.sort_by_key(|s| s.position);
    Ok(seats)
}

/// The sitting secretaries of a subtree, for the figures about secretaries.
pub async fn secretaries<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
) -> Result<Vec<Seat>> {
    secretaries_where(
        db,
        access,
        under,
        sea_orm::Condition::all().add(Column::LeftOn.is_null()),
    )
    .await
}

/// The secretaries of a subtree who sat at some time in `[from, until]`, sitting or since
/// left: whose lecture a 党课 of that time was.
pub async fn secretaries_during<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    (from, until): (NaiveDate, NaiveDate),
) -> Result<Vec<Seat>> {
    use sea_orm::Condition;
    let during = Condition::all().add(Column::TermStart.lte(until)).add(
        Condition::any()
            .add(Column::LeftOn.is_null())
            .add(Column::LeftOn.gt(from)),
    );
    secretaries_where(db, access, under, during).await
}

/// The secretaries' seats of a subtree that meet `cond`, read where the reader reads records.
async fn secretaries_where<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    cond: sea_orm::Condition,
) -> Result<Vec<Seat>> {
    Entity::find()
        .filter(Column::Position.eq(Position::Secretary.code()))
        .filter(cond)
        .filter(scope::within_under(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
            Some(under),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(Seat::try_from)
        .collect()
}

/// Sitting secretaries whose term ends on or before `by` (换届 due), soonest first.
pub async fn terms_ending<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    by: NaiveDate,
) -> Result<Vec<Seat>> {
    Entity::find()
        .filter(Column::Position.eq(Position::Secretary.code()))
        .filter(Column::LeftOn.is_null())
        .filter(Column::TermEnd.lte(by))
        .filter(scope::within_under(
            Column::OrgPath,
            &access.scopes(Action::ReadOrg),
            Some(under),
        ))
        .order_by_asc(Column::TermEnd)
        .all(db)
        .await?
        .into_iter()
        .map(Seat::try_from)
        .collect()
}

/// The size of each sitting committee in a subtree, by organization.
pub async fn committee_sizes<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
) -> Result<std::collections::HashMap<OrgId, u64>> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let rows: Vec<(i64, i64)> = Entity::find()
        .select_only()
        .column(Column::OrgId)
        .column_as(Expr::col(Column::Id).count(), "n")
        .filter(Column::LeftOn.is_null())
        .filter(scope::within_under(
            Column::OrgPath,
            &access.scopes(Action::ReadOrg),
            Some(under),
        ))
        .group_by(Column::OrgId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(org, n)| (OrgId::new(org), u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Ends every sitting seat of an organization (it was merged or dissolved).
pub async fn end_all(tx: &crate::WriteTx, org_id: OrgId, on: NaiveDate) -> Result<()> {
    use sea_orm::sea_query::Expr;
    Entity::update_many()
        .col_expr(Column::LeftOn, Expr::value(on))
        .filter(Column::OrgId.eq(org_id.get()))
        .filter(Column::LeftOn.is_null())
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// Ends one sitting seat; false when it had ended already.
pub async fn end_seat(tx: &crate::WriteTx, id: i64, on: NaiveDate) -> Result<bool> {
    use sea_orm::sea_query::Expr;
    let result = Entity::update_many()
        .col_expr(Column::LeftOn, Expr::value(on))
        .filter(Column::Id.eq(id))
        .filter(Column::LeftOn.is_null())
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// Ends these sitting seats on `on`, in one statement.
pub async fn end_seats(tx: &crate::WriteTx, ids: &[i64], on: NaiveDate) -> Result<()> {
    use sea_orm::sea_query::Expr;
    for chunk in ids.chunks(500) {
        Entity::update_many()
            .col_expr(Column::LeftOn, Expr::value(on))
            .filter(Column::Id.is_in(chunk.to_vec()))
            .filter(Column::LeftOn.is_null())
            .exec(tx.conn())
            .await?;
    }
    Ok(())
}

/// One seat, if the reader may read where it is.
pub async fn find<C: ConnectionTrait>(db: &C, access: &Access, id: i64) -> Result<Option<Seat>> {
    Entity::find_by_id(id)
        .filter(scope::within(
            Column::OrgPath,
            &access.scopes(Action::ReadOrg),
        ))
        .one(db)
        .await?
        .map(Seat::try_from)
        .transpose()
}

/// The sitting seats of these people, at any level, whatever the reader's scope: the seats
/// that end when their holders leave.
pub async fn sitting_of<C: ConnectionTrait>(db: &C, person_ids: &[PersonId]) -> Result<Vec<Seat>> {
    let mut out = Vec::new();
    for chunk in person_ids.chunks(500) {
        for m in Entity::find()
            .filter(Column::PersonId.is_in(dangjian_domain::ids::raw(chunk)))
            .filter(Column::LeftOn.is_null())
            .all(db)
            .await?
        {
            out.push(Seat::try_from(m)?);
        }
    }
    Ok(out)
}

/// Those of these people who sit on a committee now, at any level.
pub async fn seated<C: ConnectionTrait>(
    db: &C,
    person_ids: &[PersonId],
) -> Result<std::collections::HashSet<PersonId>> {
    let mut out = std::collections::HashSet::new();
    for chunk in person_ids.chunks(500) {
        let ids: Vec<i64> = Entity::find()
            .select_only()
            .column(Column::PersonId)
            .filter(Column::PersonId.is_in(dangjian_domain::ids::raw(chunk)))
            .filter(Column::LeftOn.is_null())
            .into_tuple()
            .all(db)
            .await?;
        out.extend(ids.into_iter().map(PersonId::new));
    }
    Ok(out)
}
