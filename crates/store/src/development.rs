//! Member development as stored: each step recorded, read within the reader's scope; and the
//! working-day calendar.

use crate::{Result, StoreError, WriteTx, scope};
use chrono::NaiveDate;
use dangjian_domain::calendar::CalendarDay;
use dangjian_domain::development::StepRecord;
use dangjian_domain::development::policy::{Recorder, StepPolicy};
use dangjian_domain::development::{DecisionBody, Step, StepDetail, StepEntry};
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::OrgPath;
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "development_steps")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub person_id: i64,
        pub org_id: i64,
        pub org_path: String,
        pub step: String,
        pub on_date: Date,
        pub body: String,
        pub detail: String,
        pub note: String,
        pub recorded_by: Option<i64>,
        pub recorded_by_name: String,
        pub breach: Option<String>,
        pub breach_basis: Option<String>,
        pub override_reason: Option<String>,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod calendar_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub on_date: Date,
        pub working: bool,
        pub note: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

impl TryFrom<entity::Model> for StepRecord {
    type Error = StoreError;

    fn try_from(m: entity::Model) -> Result<Self> {
        Ok(StepRecord {
            id: m.id,
            person_id: PersonId::new(m.person_id),
            org_id: OrgId::new(m.org_id),
            org_path: OrgPath::parse(&m.org_path)
                .ok_or_else(|| StoreError::corrupt(&m.org_path))?,
            entry: StepEntry {
                step: Step::parse(&m.step).ok_or_else(|| StoreError::corrupt(&m.step))?,
                on: m.on_date,
                body: DecisionBody::parse(&m.body).ok_or_else(|| StoreError::corrupt(&m.body))?,
                detail: serde_json::from_str::<StepDetail>(&m.detail)
                    .map_err(StoreError::corrupt)?,
            },
            note: m.note,
            recorded_by: m.recorded_by.map(dangjian_domain::ids::AccountId::new),
            recorded_by_name: m.recorded_by_name,
            breach: m.breach.zip(m.breach_basis),
            override_reason: m.override_reason,
            created_at: m.created_at,
        })
    }
}

pub async fn insert(tx: &WriteTx, s: &StepRecord) -> Result<()> {
    active(s)?.insert(tx.conn()).await?;
    Ok(())
}

/// Many steps at once (the demo's records), a few hundred rows a statement.
pub async fn insert_many(tx: &WriteTx, steps: &[StepRecord]) -> Result<()> {
    for chunk in steps.chunks(500) {
        let models = chunk.iter().map(active).collect::<Result<Vec<_>>>()?;
        Entity::insert_many(models).exec(tx.conn()).await?;
    }
    Ok(())
}

fn active(s: &StepRecord) -> Result<entity::ActiveModel> {
    Ok(entity::ActiveModel {
        id: Set(s.id),
        person_id: Set(s.person_id.get()),
        org_id: Set(s.org_id.get()),
        org_path: Set(s.org_path.as_str().to_owned()),
        step: Set(s.entry.step.code().to_owned()),
        on_date: Set(s.entry.on),
        body: Set(s.entry.body.code().to_owned()),
        detail: Set(serde_json::to_string(&s.entry.detail).map_err(StoreError::corrupt)?),
        note: Set(s.note.clone()),
        recorded_by: Set(s.recorded_by.map(|a| a.get())),
        recorded_by_name: Set(s.recorded_by_name.clone()),
        breach: Set(s.breach.as_ref().map(|b| b.0.clone())),
        breach_basis: Set(s.breach.as_ref().map(|b| b.1.clone())),
        override_reason: Set(s.override_reason.clone()),
        created_at: Set(s.created_at),
    })
}

fn to_steps(rows: Vec<entity::Model>) -> Result<Vec<StepRecord>> {
    rows.into_iter().map(StepRecord::try_from).collect()
}

/// A person's recorded steps, oldest first, wherever they were taken: the record follows the
/// person from branch to branch. The caller has checked the reader may see the person.
pub async fn of_person<C: ConnectionTrait>(db: &C, person_id: PersonId) -> Result<Vec<StepRecord>> {
    to_steps(
        Entity::find()
            .filter(Column::PersonId.eq(person_id.get()))
            .order_by_asc(Column::OnDate)
            .order_by_asc(Column::CreatedAt)
            .all(db)
            .await?,
    )
}

/// The recorded steps of many people, oldest first; the caller read the people within the
/// reader's scope.
pub async fn of_people<C: ConnectionTrait>(
    db: &C,
    person_ids: &[PersonId],
) -> Result<Vec<StepRecord>> {
    let mut out = Vec::new();
    for chunk in person_ids.chunks(500) {
        out.extend(to_steps(
            Entity::find()
                .filter(Column::PersonId.is_in(dangjian_domain::ids::raw(chunk)))
                .order_by_asc(Column::OnDate)
                .order_by_asc(Column::CreatedAt)
                .all(db)
                .await?,
        )?);
    }
    Ok(out)
}

/// Steps of a subtree recorded past their deadline by override (责任追究), newest first, at
/// most `limit`.
pub async fn breaches<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    limit: u64,
) -> Result<Vec<StepRecord>> {
    to_steps(
        Entity::find()
            .filter(Column::Breach.is_not_null())
            .filter(scope::within_under(
                Column::OrgPath,
                &access.scopes(Action::ReadRecords),
                Some(under),
            ))
            .order_by_desc(Column::OnDate)
            .limit(limit)
            .all(db)
            .await?,
    )
}

/// How many people of a subtree took `step` in `[from, until]`: the funnel's counts.
pub async fn count_step<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    step: Step,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<u64> {
    Ok(Entity::find()
        .filter(Column::Step.eq(step.code()))
        .filter(Column::OnDate.gte(from))
        .filter(Column::OnDate.lte(until))
        .filter(scope::within_under(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
            Some(under),
        ))
        .count(db)
        .await?)
}

/// The steps a subtree took in `[from, until]` (of one kind, if given), oldest first.
pub async fn steps_in<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    step: Option<Step>,
    (from, until): (NaiveDate, NaiveDate),
) -> Result<Vec<StepRecord>> {
    let mut select = Entity::find();
    if let Some(step) = step {
        select = select.filter(Column::Step.eq(step.code()));
    }
    to_steps(
        select
            .filter(Column::OnDate.gte(from))
            .filter(Column::OnDate.lte(until))
            .filter(scope::within_under(
                Column::OrgPath,
                &access.scopes(Action::ReadRecords),
                Some(under),
            ))
            .order_by_asc(Column::OnDate)
            .all(db)
            .await?,
    )
}

/// The official calendar's changed days, in date order.
pub async fn calendar<C: ConnectionTrait>(db: &C) -> Result<Vec<(CalendarDay, String)>> {
    Ok(calendar_entity::Entity::find()
        .order_by_asc(calendar_entity::Column::OnDate)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            (
                CalendarDay {
                    on: m.on_date,
                    working: m.working,
                },
                m.note,
            )
        })
        .collect())
}

/// Sets a day of the calendar (a holiday, or a weekend day worked).
pub async fn put_calendar_day(tx: &WriteTx, day: CalendarDay, note: &str) -> Result<()> {
    calendar_entity::Entity::insert(calendar_entity::ActiveModel {
        on_date: Set(day.on),
        working: Set(day.working),
        note: Set(note.to_owned()),
    })
    .on_conflict(
        OnConflict::column(calendar_entity::Column::OnDate)
            .update_columns([
                calendar_entity::Column::Working,
                calendar_entity::Column::Note,
            ])
            .to_owned(),
    )
    .exec(tx.conn())
    .await?;
    Ok(())
}

/// Removes a day from the calendar: it is an ordinary day again.
pub async fn delete_calendar_day(tx: &WriteTx, on: NaiveDate) -> Result<bool> {
    Ok(calendar_entity::Entity::delete_by_id(on)
        .exec(tx.conn())
        .await?
        .rows_affected
        == 1)
}

mod policy_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "development_step_policies")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub step: String,
        pub body: String,
        pub recorder: String,
        pub documents: String,
        pub updated_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The steps whose policy the university set; the others follow their defaults.
pub async fn policies<C: ConnectionTrait>(db: &C) -> Result<Vec<(Step, StepPolicy)>> {
    policy_entity::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok((
                Step::parse(&m.step).ok_or_else(|| StoreError::corrupt(&m.step))?,
                StepPolicy {
                    body: DecisionBody::parse(&m.body)
                        .ok_or_else(|| StoreError::corrupt(&m.body))?,
                    recorder: Recorder::parse(&m.recorder)
                        .ok_or_else(|| StoreError::corrupt(&m.recorder))?,
                    documents: serde_json::from_str(&m.documents).map_err(StoreError::corrupt)?,
                },
            ))
        })
        .collect()
}

/// Sets a step's policy.
pub async fn put_policy(tx: &WriteTx, step: Step, p: &StepPolicy, now_ms: i64) -> Result<()> {
    policy_entity::Entity::insert(policy_entity::ActiveModel {
        step: Set(step.code().to_owned()),
        body: Set(p.body.code().to_owned()),
        recorder: Set(p.recorder.code().to_owned()),
        documents: Set(serde_json::to_string(&p.documents).map_err(StoreError::corrupt)?),
        updated_at: Set(now_ms),
    })
    .on_conflict(
        OnConflict::column(policy_entity::Column::Step)
            .update_columns([
                policy_entity::Column::Body,
                policy_entity::Column::Recorder,
                policy_entity::Column::Documents,
                policy_entity::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(tx.conn())
    .await?;
    Ok(())
}

/// One recorded step by id; the caller checks the reader may see its person.
pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<StepRecord>> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(StepRecord::try_from)
        .transpose()
}
