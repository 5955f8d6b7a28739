//! Training classes as stored: classes read within the reader's scope, and their trainees.

use crate::{Result, StoreError, WriteTx, scope};
use dangjian_domain::development::Stage;
use dangjian_domain::development::training::TraineeRecord;
use dangjian_domain::development::training::TrainingClass;
use dangjian_domain::development::training::{ClassPlan, ExamResult, Trainee};
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::OrgPath;
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};

mod class_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_classes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub org_id: i64,
        pub org_path: String,
        pub name: String,
        pub audience: String,
        pub starts_on: Date,
        pub ends_on: Date,
        pub hours: i32,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod trainee_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_trainees")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub class_id: i64,
        pub person_id: i64,
        pub hours: i32,
        pub exam: String,
        pub certificate: Option<String>,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn hours(h: i32) -> Result<u32> {
    u32::try_from(h).map_err(|_| StoreError::corrupt(h))
}

impl TryFrom<class_entity::Model> for TrainingClass {
    type Error = StoreError;

    fn try_from(m: class_entity::Model) -> Result<Self> {
        Ok(Self {
            id: m.id,
            org_id: OrgId::new(m.org_id),
            org_path: OrgPath::parse(&m.org_path)
                .ok_or_else(|| StoreError::corrupt(&m.org_path))?,
            plan: ClassPlan {
                audience: Stage::parse(&m.audience)
                    .ok_or_else(|| StoreError::corrupt(&m.audience))?,
                name: m.name,
                starts_on: m.starts_on,
                ends_on: m.ends_on,
                hours: hours(m.hours)?,
            },
            created_at: m.created_at,
        })
    }
}

impl TryFrom<trainee_entity::Model> for TraineeRecord {
    type Error = StoreError;

    fn try_from(m: trainee_entity::Model) -> Result<Self> {
        Ok(Self {
            id: m.id,
            class_id: m.class_id,
            person_id: PersonId::new(m.person_id),
            trainee: Trainee {
                hours: hours(m.hours)?,
                exam: ExamResult::parse(&m.exam).ok_or_else(|| StoreError::corrupt(&m.exam))?,
                certificate: m.certificate,
            },
        })
    }
}

fn to_i32(h: u32) -> Result<i32> {
    i32::try_from(h).map_err(|_| StoreError::corrupt(h))
}

pub async fn insert_class(tx: &WriteTx, c: &TrainingClass) -> Result<()> {
    class_entity::ActiveModel {
        id: Set(c.id),
        org_id: Set(c.org_id.get()),
        org_path: Set(c.org_path.as_str().to_owned()),
        name: Set(c.plan.name.clone()),
        audience: Set(c.plan.audience.code().to_owned()),
        starts_on: Set(c.plan.starts_on),
        ends_on: Set(c.plan.ends_on),
        hours: Set(to_i32(c.plan.hours)?),
        created_at: Set(c.created_at),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// How many classes were run within the reader's scope.
pub async fn count_classes<C: ConnectionTrait>(db: &C, access: &Access) -> Result<u64> {
    Ok(class_entity::Entity::find()
        .filter(scope::within(
            class_entity::Column::OrgPath,
            &access.scopes(Action::ReadRecords),
        ))
        .count(db)
        .await?)
}

/// The classes run within the reader's scope, newest first, at most `limit`.
pub async fn classes<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    limit: u64,
) -> Result<Vec<TrainingClass>> {
    class_entity::Entity::find()
        .filter(scope::within(
            class_entity::Column::OrgPath,
            &access.scopes(Action::ReadRecords),
        ))
        .order_by_desc(class_entity::Column::StartsOn)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(TrainingClass::try_from)
        .collect()
}

/// One class, if the reader may see it.
pub async fn class<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    id: i64,
) -> Result<Option<TrainingClass>> {
    class_entity::Entity::find_by_id(id)
        .filter(scope::within(
            class_entity::Column::OrgPath,
            &access.scopes(Action::ReadRecords),
        ))
        .one(db)
        .await?
        .map(TrainingClass::try_from)
        .transpose()
}

/// The trainees of a class, in the order they were enrolled.
pub async fn trainees<C: ConnectionTrait>(db: &C, class_id: i64) -> Result<Vec<TraineeRecord>> {
    trainee_entity::Entity::find()
        .filter(trainee_entity::Column::ClassId.eq(class_id))
        .order_by_asc(trainee_entity::Column::CreatedAt)
        .order_by_asc(trainee_entity::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(TraineeRecord::try_from)
        .collect()
}

/// For each class, how many trainees it has and how many of them are certified: one query
/// for a whole list.
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    class_ids: &[i64],
) -> Result<std::collections::HashMap<i64, (usize, usize)>> {
    let rows: Vec<(i64, Option<String>)> = trainee_entity::Entity::find()
        .select_only()
        .column(trainee_entity::Column::ClassId)
        .column(trainee_entity::Column::Certificate)
        .filter(trainee_entity::Column::ClassId.is_in(class_ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    let mut counts = std::collections::HashMap::new();
    for (class, certificate) in rows {
        let c: &mut (usize, usize) = counts.entry(class).or_default();
        c.0 += 1;
        c.1 += usize::from(certificate.is_some());
    }
    Ok(counts)
}

/// A person's classes with their record in each, oldest first. The caller has checked the
/// reader may see the person; the classes may be run above the reader's scope.
pub async fn of_person<C: ConnectionTrait>(
    db: &C,
    person_id: PersonId,
) -> Result<Vec<(TrainingClass, TraineeRecord)>> {
    let records: Vec<TraineeRecord> = trainee_entity::Entity::find()
        .filter(trainee_entity::Column::PersonId.eq(person_id.get()))
        .all(db)
        .await?
        .into_iter()
        .map(TraineeRecord::try_from)
        .collect::<Result<_>>()?;
    let ids: Vec<i64> = records.iter().map(|t| t.class_id).collect();
    let classes: Vec<TrainingClass> = class_entity::Entity::find()
        .filter(class_entity::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(TrainingClass::try_from)
        .collect::<Result<_>>()?;
    let mut out: Vec<(TrainingClass, TraineeRecord)> = records
        .into_iter()
        .filter_map(|t| {
            let c = classes.iter().find(|c| c.id == t.class_id)?.clone();
            Some((c, t))
        })
        .collect();
    out.sort_by_key(|(c, _)| c.plan.starts_on);
    Ok(out)
}

pub async fn insert_trainees(tx: &WriteTx, trainees: &[TraineeRecord], at: i64) -> Result<()> {
    for chunk in trainees.chunks(500) {
        let models = chunk
            .iter()
            .map(|t| {
                Ok(trainee_entity::ActiveModel {
                    id: Set(t.id),
                    class_id: Set(t.class_id),
                    person_id: Set(t.person_id.get()),
                    hours: Set(to_i32(t.trainee.hours)?),
                    exam: Set(t.trainee.exam.code().to_owned()),
                    certificate: Set(t.trainee.certificate.clone()),
                    created_at: Set(at),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        trainee_entity::Entity::insert_many(models)
            .exec(tx.conn())
            .await?;
    }
    Ok(())
}

/// Sets a trainee's hours, examination and certificate.
pub async fn update_trainee(tx: &WriteTx, t: &TraineeRecord) -> Result<()> {
    trainee_entity::ActiveModel {
        id: Set(t.id),
        hours: Set(to_i32(t.trainee.hours)?),
        exam: Set(t.trainee.exam.code().to_owned()),
        certificate: Set(t.trainee.certificate.clone()),
        ..Default::default()
    }
    .update(tx.conn())
    .await?;
    Ok(())
}
