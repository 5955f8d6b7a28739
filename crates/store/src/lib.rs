//! Storage on SQLite and PostgreSQL through one code path (sea-orm). Every read of business
//! data takes the reader's `Access` and applies the scope filter here, so no handler can forget
//! it; every write goes through a `WriteTx` that cannot commit without its audit entry.

pub mod account;
pub mod activation;
pub mod attachment;
pub mod audit;
mod db;
pub mod development;
pub mod discipline;
pub mod import;
pub mod meetings;
pub mod migration;
mod node_lease;
pub mod notification;
pub mod org;
pub mod people;
pub mod position;
mod scope;
pub use scope::Visible;
mod search;
pub use scope::{stale_paths, undeclared_path_columns};
pub mod settings;
pub mod thought_report;
pub mod training;
pub mod transfer;
pub mod whereabouts;

pub use db::{DbConfig, Engine, Store, WriteTx};
pub use sea_orm::ConnectionTrait;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库错误：{0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("文件错误：{0}")]
    Io(#[from] std::io::Error),
    /// A write tried to commit without recording itself in the audit trail.
    #[error("写入未记入审计日志，已撤销")]
    Unaudited,
    /// A stored value that the domain cannot read back: a bug or a hand-edited database.
    #[error("数据损坏：{0}")]
    Corrupt(String),
    /// Every node that issues ids is held by a live process.
    #[error(
        "没有空闲的编号节点：64 个节点都被其他打开本数据库的进程占用（每个进程占一个，\
         进程正常结束时交还，异常退出的 60 秒后可被接管）；请减少同时运行的服务或命令，或稍后再试"
    )]
    NoFreeNode,
    /// This process no longer holds the node its ids came from: it gave it back, or was paused
    /// or cut off from the database past the lease and another process took the node over.
    #[error("本进程的编号节点已交还或被其他进程接管，写入已撤销，请重试")]
    NodeLost,
    /// A unique key already holds this value.
    #[error("{0} 已存在")]
    Duplicate(&'static str),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        Self::Corrupt(what.to_string())
    }

    /// Whether the error is a unique-key conflict, so the app can name the field.
    pub fn from_insert(err: sea_orm::DbErr, field: &'static str) -> Self {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Self::Duplicate(field),
            _ => Self::Db(err),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// One page of a query and the total it has: sorted by `columns` (either way), then by
/// `tiebreak` so that pages never overlap.
pub(crate) async fn fetch_page<E, C>(
    db: &C,
    query: sea_orm::Select<E>,
    columns: &[E::Column],
    descending: bool,
    tiebreak: E::Column,
    paging: dangjian_domain::paging::Paging,
) -> Result<(Vec<E::Model>, u64)>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};
    let total = query.clone().count(db).await?;
    let order = if descending {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let mut query = query;
    for column in columns {
        query = query.order_by(*column, order.clone());
    }
    let rows = query
        .order_by_asc(tiebreak)
        .offset(paging.offset())
        .limit(paging.per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}
