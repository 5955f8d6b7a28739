//! The node this process issues ids under (see `domain::ids`), leased from `id_nodes`: claimed
//! when the store opens, renewed by a heartbeat and inside every write's transaction, given back
//! on a clean end.
//!
//! A claim is a conditional UPDATE of the row as it was read (free, or silent for
//! `LEASE_TTL_MS` by the database's clock), so of two processes racing for a node one wins. Every
//! commit renews the lease in its own transaction, on the condition that this process still
//! holds it, and records the node's highest id: a write commits only while its node is ours, and
//! a process that takes the node over after it expired continues after every id committed under
//! it. A process that finds its node taken (it was paused or cut off past the expiry) claims
//! another.

use crate::db::now_ms_expr;
use crate::{Result, StoreError};
use dangjian_domain::ids::{IdGenerator, LEASE_TTL_MS, NodeId, lease_is_free};
use sea_orm::sea_query::{Expr, ExprTrait, Query, UpdateStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

const TABLE: &str = "id_nodes";
/// Six heartbeats to an expiry: a few slow ones (a busy database) do not lose the node.
const HEARTBEAT: Duration = Duration::from_millis(LEASE_TTL_MS as u64 / 6);

/// A node as this process holds it: the token names this claim alone (a process that claims
/// again gets a new one), so a lease lost and won back is never mistaken for one kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Claim {
    pub node: NodeId,
    token: String,
}

pub(crate) struct NodeLease {
    db: DatabaseConnection,
    pub ids: IdGenerator,
    claim: Mutex<Claim>,
    released: AtomicBool,
    /// One claim of a new node at a time (the heartbeat and a refused commit may both find the
    /// lease lost).
    moving: tokio::sync::Mutex<()>,
}

/// Who holds a node, for a person reading the table: the host, the process, and a random part
/// that tells this claim from any other.
fn new_token() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let host: String = host.trim().chars().take(64).collect();
    format!(
        "{host} pid {} #{:016x}",
        std::process::id(),
        rand::random::<u64>()
    )
}

/// Renews `claim` if this process still holds it, recording `last_id` (never lowering what is
/// recorded: two commits may record out of order).
fn renewal(backend: DbBackend, claim: &Claim, last_id: i64) -> UpdateStatement {
    Query::update()
        .table(TABLE)
        .value("heartbeat_ms", now_ms_expr(backend))
        .value(
            "last_id",
            Expr::case(Expr::col("last_id").lt(last_id), last_id).finally(Expr::col("last_id")),
        )
        .and_where(Expr::col("node").eq(claim.node.get()))
        .and_where(Expr::col("holder").eq(claim.token.as_str()))
        .to_owned()
}

/// Claims a free or expired node, trying them from a random one; the claim and the last id
/// issued under the node.
async fn claim(db: &DatabaseConnection) -> Result<(Claim, i64)> {
    let backend = db.get_database_backend();
    for _ in 0..3 {
        let rows = db
            .query_all(
                Query::select()
                    .columns(["node", "holder", "heartbeat_ms"])
                    .expr_as(now_ms_expr(backend), "now_ms")
                    .from(TABLE),
            )
            .await?;
        let mut free = Vec::new();
        for row in rows {
            let node: i32 = row.try_get("", "node")?;
            let holder: Option<String> = row.try_get("", "holder")?;
            let heartbeat_ms: i64 = row.try_get("", "heartbeat_ms")?;
            let now_ms: i64 = row.try_get("", "now_ms")?;
            if lease_is_free(holder.as_deref(), heartbeat_ms, now_ms) {
                let node = NodeId::new(node.into())
                    .ok_or_else(|| StoreError::corrupt(format!("编号节点 {node} 不存在")))?;
                free.push((node, holder, heartbeat_ms));
            }
        }
        if free.is_empty() {
            return Err(StoreError::NoFreeNode);
        }
        let start = rand::random_range(0..free.len());
        free.rotate_left(start);
        for (node, holder, heartbeat_ms) in free {
            let token = new_token();
            // The row as it was read: whoever changed it since (a claim, a renewal) wins.
            let as_read = match &holder {
                None => Expr::col("holder").is_null(),
                Some(h) => Expr::col("holder")
                    .eq(h.as_str())
                    .and(Expr::col("heartbeat_ms").eq(heartbeat_ms)),
            };
            let won = db
                .query_one(
                    Query::update()
                        .table(TABLE)
                        .value("holder", token.as_str())
                        .value("heartbeat_ms", now_ms_expr(backend))
                        .and_where(Expr::col("node").eq(node.get()))
                        .and_where(as_read)
                        .returning_col("last_id"),
                )
                .await?;
            if let Some(row) = won {
                let last_id: i64 = row.try_get("", "last_id")?;
                if holder.is_some() {
                    tracing::warn!(%node, "took over an id node whose holder stopped renewing it");
                }
                return Ok((Claim { node, token }, last_id));
            }
        }
    }
    Err(StoreError::NoFreeNode)
}

impl NodeLease {
    /// Claims a node and keeps it alive until `release` (or until the lease is dropped).
    pub async fn start(db: DatabaseConnection) -> Result<Arc<Self>> {
        let (claim, last_id) = claim(&db).await?;
        tracing::debug!(node = %claim.node, after = last_id, "claimed an id node");
        let lease = Arc::new(Self {
            db,
            ids: IdGenerator::new(claim.node, last_id),
            claim: Mutex::new(claim),
            released: AtomicBool::new(false),
            moving: tokio::sync::Mutex::new(()),
        });
        tokio::spawn(heartbeat(Arc::downgrade(&lease)));
        Ok(lease)
    }

    /// The node held now.
    pub fn claim(&self) -> Claim {
        self.claim
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub fn released(&self) -> bool {
        self.released.load(Ordering::Acquire)
    }

    /// Inside a write: renews `claim` in the write's transaction, so the write commits only if
    /// this process still holds the node its ids came from. Whether it does.
    pub async fn fence<C: ConnectionTrait>(&self, conn: &C, claim: &Claim) -> Result<bool> {
        let renewed = conn
            .execute(&renewal(
                conn.get_database_backend(),
                claim,
                self.ids.last(),
            ))
            .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// A heartbeat: renews the lease, or claims another node if this one was taken over.
    async fn keep(&self) {
        let claim = self.claim();
        match self.fence(&self.db, &claim).await {
            Ok(true) => {}
            Ok(false) => self.lost(&claim).await,
            // On SQLite a renewal waits only while a long write (an import, a demo) holds the
            // file, which keeps any other process from taking the node too; that write renews
            // the lease as it commits.
            Err(e) if self.db.get_database_backend() == DbBackend::Sqlite => {
                tracing::debug!(node = %claim.node, error = %e, "could not renew the id node yet");
            }
            Err(e) => tracing::warn!(node = %claim.node, error = %e, "could not renew the id node"),
        }
    }

    /// `lost` was taken over (or expired and was found so): goes on under another node, unless
    /// another task already moved or the lease was given back.
    pub async fn lost(&self, lost: &Claim) {
        let _moving = self.moving.lock().await;
        if self.released() || self.claim() != *lost {
            return;
        }
        tracing::warn!(node = %lost.node, "this process lost its id node (paused or cut off from the database past the lease); claiming another");
        match claim(&self.db).await {
            Ok((claim, last_id)) => {
                // Ids move to the new node before writes may fence on it.
                self.ids.move_to(claim.node, last_id);
                *self
                    .claim
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = claim;
            }
            Err(e) => tracing::error!(error = %e, "could not claim another id node"),
        }
    }

    /// Gives the node back, recording its last id, so that the next process may claim it at
    /// once and continue after it. No write of this process commits afterwards.
    pub async fn release(&self) -> Result<()> {
        let _moving = self.moving.lock().await;
        if self.released.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        let claim = self.claim();
        let backend = self.db.get_database_backend();
        let mut release = renewal(backend, &claim, self.ids.last());
        release.value("holder", Expr::val(Option::<String>::None));
        self.db.execute(&release).await?;
        tracing::debug!(node = %claim.node, last = self.ids.last(), "released the id node");
        Ok(())
    }
}

async fn heartbeat(lease: Weak<NodeLease>) {
    let mut every = tokio::time::interval(HEARTBEAT);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    every.tick().await;
    loop {
        every.tick().await;
        let Some(lease) = lease.upgrade() else { return };
        if lease.released() {
            return;
        }
        lease.keep().await;
    }
}
