//! Thought reports as stored, with the mentors each was handed to. A writer reads their own
//! and a mentor those handed to them (the app checks who is asking); the organization reads
//! its subtree's through the scope filter here.

use crate::{Result, StoreError, WriteTx, scope};
use chrono::NaiveDate;
use dangjian_domain::development::thought_report::Answer;
use dangjian_domain::development::thought_report::ThoughtReport;
use dangjian_domain::development::thought_report::ThoughtReportRecord;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::OrgPath;
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use std::collections::HashMap;

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "thought_reports")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub person_id: i64,
        pub org_id: i64,
        pub org_path: String,
        pub title: String,
        pub body: String,
        pub handed_in_on: Date,
        pub created_at: i64,
        pub answer: Option<String>,
        pub answered_by: Option<i64>,
        pub answered_by_name: Option<String>,
        pub answered_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(has_many = "super::mentor_entity::Entity")]
        Mentors,
    }

    impl Related<super::mentor_entity::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Mentors.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

mod mentor_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "thought_report_mentors")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub report_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub mentor_id: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::entity::Entity",
            from = "Column::ReportId",
            to = "super::entity::Column::Id"
        )]
        Report,
    }

    impl Related<super::entity::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Report.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

fn to_report(m: entity::Model, mentor_ids: Vec<i64>) -> Result<ThoughtReportRecord> {
    let answer = match (m.answer, m.answered_by, m.answered_by_name, m.answered_at) {
        (Some(text), Some(by_person_id), Some(by_name), Some(at)) => Some(Answer {
            text,
            by_person_id: PersonId::new(by_person_id),
            by_name,
            at,
        }),
        (None, None, None, None) => None,
        _ => return Err(StoreError::corrupt(format!("thought report {}", m.id))),
    };
    Ok(ThoughtReportRecord {
        id: m.id,
        person_id: PersonId::new(m.person_id),
        org_id: OrgId::new(m.org_id),
        org_path: OrgPath::parse(&m.org_path).ok_or_else(|| StoreError::corrupt(&m.org_path))?,
        report: ThoughtReport {
            title: m.title,
            body: m.body,
        },
        handed_in_on: m.handed_in_on,
        mentor_ids: mentor_ids.into_iter().map(PersonId::new).collect(),
        answer,
        created_at: m.created_at,
    })
}

/// The reports with their mentors, in the order given.
async fn with_mentors<C: ConnectionTrait>(
    db: &C,
    rows: Vec<entity::Model>,
) -> Result<Vec<ThoughtReportRecord>> {
    let mut mentors: HashMap<i64, Vec<i64>> = HashMap::new();
    for chunk in rows.chunks(500) {
        for m in mentor_entity::Entity::find()
            .filter(mentor_entity::Column::ReportId.is_in(chunk.iter().map(|r| r.id)))
            .all(db)
            .await?
        {
            mentors.entry(m.report_id).or_default().push(m.mentor_id);
        }
    }
    rows.into_iter()
        .map(|r| {
            let ids = mentors.remove(&r.id).unwrap_or_default();
            to_report(r, ids)
        })
        .collect()
}

/// Stores reports handed in, each with its mentors (many at once for the demo).
pub async fn insert_many(tx: &WriteTx, reports: &[ThoughtReportRecord]) -> Result<()> {
    for chunk in reports.chunks(300) {
        entity::Entity::insert_many(chunk.iter().map(|r| entity::ActiveModel {
            id: Set(r.id),
            person_id: Set(r.person_id.get()),
            org_id: Set(r.org_id.get()),
            org_path: Set(r.org_path.as_str().to_owned()),
            title: Set(r.report.title.clone()),
            body: Set(r.report.body.clone()),
            handed_in_on: Set(r.handed_in_on),
            created_at: Set(r.created_at),
            answer: Set(r.answer.as_ref().map(|a| a.text.clone())),
            answered_by: Set(r.answer.as_ref().map(|a| a.by_person_id.get())),
            answered_by_name: Set(r.answer.as_ref().map(|a| a.by_name.clone())),
            answered_at: Set(r.answer.as_ref().map(|a| a.at)),
        }))
        .exec(tx.conn())
        .await?;
        let mentors: Vec<mentor_entity::ActiveModel> = chunk
            .iter()
            .flat_map(|r| {
                r.mentor_ids.iter().map(|m| mentor_entity::ActiveModel {
                    report_id: Set(r.id),
                    mentor_id: Set(m.get()),
                })
            })
            .collect();
        if !mentors.is_empty() {
            mentor_entity::Entity::insert_many(mentors)
                .exec(tx.conn())
                .await?;
        }
    }
    Ok(())
}

/// One report, whoever may read it (the app decides).
pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<ThoughtReportRecord>> {
    let rows = Entity::find_by_id(id).all(db).await?;
    Ok(with_mentors(db, rows).await?.pop())
}

/// The reports a query selects, newest first after its own order, at most `limit`, with
/// their mentors.
async fn listed<C: ConnectionTrait>(
    db: &C,
    select: sea_orm::Select<Entity>,
    limit: u64,
) -> Result<Vec<ThoughtReportRecord>> {
    let rows = select
        .order_by_desc(Column::HandedInOn)
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    with_mentors(db, rows).await
}

/// A person's own reports, newest first, at most `limit`.
pub async fn of_person<C: ConnectionTrait>(
    db: &C,
    person_id: PersonId,
    limit: u64,
) -> Result<Vec<ThoughtReportRecord>> {
    listed(
        db,
        Entity::find().filter(Column::PersonId.eq(person_id.get())),
        limit,
    )
    .await
}

/// The reports handed to a mentor, unanswered first and then newest first, at most `limit`.
pub async fn of_mentor<C: ConnectionTrait>(
    db: &C,
    mentor_id: PersonId,
    limit: u64,
) -> Result<Vec<ThoughtReportRecord>> {
    let select = Entity::find()
        .inner_join(mentor_entity::Entity)
        .filter(mentor_entity::Column::MentorId.eq(mentor_id.get()))
        .order_by_asc(Column::AnsweredAt.is_not_null());
    listed(db, select, limit).await
}

/// The reports handed in within a subtree in `[from, until]` that the reader may see, newest
/// first, at most `limit`.
pub async fn of_subtree<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    (from, until): (NaiveDate, NaiveDate),
    limit: u64,
) -> Result<Vec<ThoughtReportRecord>> {
    let select = in_subtree(access, under, (from, until));
    listed(db, select, limit).await
}

/// The reports a reader may see of a subtree, handed in within a period.
fn in_subtree(
    access: &Access,
    under: &OrgPath,
    (from, until): (NaiveDate, NaiveDate),
) -> sea_orm::Select<Entity> {
    Entity::find()
        .filter(scope::within_under(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
            Some(under),
        ))
        .filter(Column::HandedInOn.gte(from))
        .filter(Column::HandedInOn.lte(until))
}

/// What a subtree's reports of a period add up to, however many there are: how many, how many
/// wait for an answer, and who handed one in.
pub async fn tally_of_subtree<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    (from, until): (NaiveDate, NaiveDate),
) -> Result<(u64, u64, std::collections::HashSet<PersonId>)> {
    let select = in_subtree(access, under, (from, until));
    let total = select.clone().count(db).await?;
    let unanswered = select
        .clone()
        .filter(Column::AnsweredAt.is_null())
        .count(db)
        .await?;
    let writers: Vec<i64> = select
        .select_only()
        .column(Column::PersonId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok((
        total,
        unanswered,
        writers.into_iter().map(PersonId::new).collect(),
    ))
}

/// Records the answer of a report not yet answered; false when it was answered already (a
/// second mentor was quicker), so that one answer never overwrites another.
pub async fn answer(tx: &WriteTx, id: i64, a: &Answer) -> Result<bool> {
    let done = Entity::update_many()
        .col_expr(Column::Answer, Expr::value(a.text.clone()))
        .col_expr(Column::AnsweredBy, Expr::value(a.by_person_id.get()))
        .col_expr(Column::AnsweredByName, Expr::value(a.by_name.clone()))
        .col_expr(Column::AnsweredAt, Expr::value(a.at))
        .filter(Column::Id.eq(id))
        .filter(Column::AnsweredAt.is_null())
        .exec(tx.conn())
        .await?;
    Ok(done.rows_affected == 1)
}
