//! Notifications to accounts (消息), and the record of the daily jobs that send them.

use crate::{Result, WriteTx};
use chrono::NaiveDate;
use dangjian_domain::ids::AccountId;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use serde::Serialize;

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notifications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub account_id: i64,
        pub kind: String,
        pub day: Date,
        pub title: String,
        pub body: String,
        pub link: Option<String>,
        pub created_at: i64,
        pub read_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod run_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_runs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub job: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: Date,
        pub finished_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

/// A message to one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: i64,
    pub account_id: AccountId,
    /// What sent it, as `development_digest`.
    pub kind: String,
    pub day: NaiveDate,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

impl From<entity::Model> for Notification {
    fn from(m: entity::Model) -> Self {
        Self {
            id: m.id,
            account_id: AccountId::new(m.account_id),
            kind: m.kind,
            day: m.day,
            title: m.title,
            body: m.body,
            link: m.link,
            created_at: m.created_at,
            read_at: m.read_at,
        }
    }
}

/// Adds messages; one of a kind a day per account, so a second run of a day adds nothing.
pub async fn insert_many(tx: &WriteTx, items: &[Notification]) -> Result<()> {
    for chunk in items.chunks(500) {
        let models: Vec<entity::ActiveModel> = chunk
            .iter()
            .map(|n| entity::ActiveModel {
                id: Set(n.id),
                account_id: Set(n.account_id.get()),
                kind: Set(n.kind.clone()),
                day: Set(n.day),
                title: Set(n.title.clone()),
                body: Set(n.body.clone()),
                link: Set(n.link.clone()),
                created_at: Set(n.created_at),
                read_at: Set(n.read_at),
            })
            .collect();
        Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([Column::AccountId, Column::Kind, Column::Day])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(tx.conn())
            .await?;
    }
    Ok(())
}

/// An account's latest messages, newest first.
pub async fn of_account<C: ConnectionTrait>(
    db: &C,
    account_id: AccountId,
    limit: u64,
) -> Result<Vec<Notification>> {
    Ok(Entity::find()
        .filter(Column::AccountId.eq(account_id.get()))
        .order_by_desc(Column::Day)
        .order_by_desc(Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Notification::from)
        .collect())
}

/// How many of an account's messages are unread.
pub async fn unread<C: ConnectionTrait>(db: &C, account_id: AccountId) -> Result<u64> {
    Ok(Entity::find()
        .filter(Column::AccountId.eq(account_id.get()))
        .filter(Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// How many messages an account holds, read or not.
pub async fn count_of_account<C: ConnectionTrait>(db: &C, account_id: AccountId) -> Result<u64> {
    Ok(Entity::find()
        .filter(Column::AccountId.eq(account_id.get()))
        .count(db)
        .await?)
}

/// Marks all of an account's messages read.
pub async fn mark_read(tx: &WriteTx, account_id: AccountId, now_ms: i64) -> Result<u64> {
    Ok(Entity::update_many()
        .col_expr(Column::ReadAt, Expr::value(now_ms))
        .filter(Column::AccountId.eq(account_id.get()))
        .filter(Column::ReadAt.is_null())
        .exec(tx.conn())
        .await?
        .rows_affected)
}

/// Whether a daily job already ran on `day`.
pub async fn job_ran<C: ConnectionTrait>(db: &C, job: &str, day: NaiveDate) -> Result<bool> {
    Ok(run_entity::Entity::find_by_id((job.to_owned(), day))
        .one(db)
        .await?
        .is_some())
}

/// Claims a job's run for `day`: false when another process has claimed it (its row stands, or
/// is being written in a transaction this one waits for), so the caller writes nothing.
pub async fn record_run(tx: &WriteTx, job: &str, day: NaiveDate, now_ms: i64) -> Result<bool> {
    let inserted = run_entity::Entity::insert(run_entity::ActiveModel {
        job: Set(job.to_owned()),
        day: Set(day),
        finished_at: Set(now_ms),
    })
    .on_conflict(
        OnConflict::columns([run_entity::Column::Job, run_entity::Column::Day])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(tx.conn())
    .await?;
    Ok(inserted == 1)
}
