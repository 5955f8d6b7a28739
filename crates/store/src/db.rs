//! Connecting, migrating and writing. The two engines differ only here: SQLite's pragmas and
//! IMMEDIATE write transactions, PostgreSQL's advisory locks, and how each tells the time.

use crate::migration::Migrator;
use crate::node_lease::{Claim, NodeLease};
use crate::{Result, StoreError, audit};
use dangjian_domain::ids::NodeId;
use dangjian_domain::platform::audit::{AuditEntry, AuditKey, AuditRecord};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, sea_query::Expr,
};
use sea_orm_migration::MigratorTrait;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbConfig {
    /// A SQLite file in the data folder (the default).
    Sqlite { data_dir: PathBuf },
    /// A PostgreSQL database named by its URL.
    Postgres { url: String },
}

impl DbConfig {
    /// `DATABASE_URL` when it names PostgreSQL, else the SQLite file in the data folder.
    pub fn from_settings(database_url: Option<&str>, data_dir: &Path) -> Self {
        match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Self::Postgres {
                    url: url.to_owned(),
                }
            }
            _ => Self::Sqlite {
                data_dir: data_dir.to_owned(),
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The key of the advisory locks that serialize migrations and the audit chain on PostgreSQL.
const MIGRATE_LOCK: i64 = 0x646a_6d69; // "djmi"
const AUDIT_LOCK: i64 = 0x646a_6175; // "djau"

#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    config: DbConfig,
    /// The node this process issues ids under, leased from the database.
    lease: Arc<NodeLease>,
    /// The audit chain's key, from outside the database (see `with_audit_key`).
    audit_key: AuditKey,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("engine", &self.engine())
            .field("node", &self.id_node())
            .finish()
    }
}

async fn open(config: &DbConfig, max_connections: u32) -> Result<DatabaseConnection> {
    let mut opts = match config {
        DbConfig::Sqlite { data_dir } => {
            std::fs::create_dir_all(data_dir)?;
            let file = data_dir.join("dangjian.db");
            let mut opts = ConnectOptions::new(format!("sqlite://{}?mode=rwc", file.display()));
            opts.map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    // FULL: a transaction that returned from COMMIT survives a power cut too.
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // 16 MB of page cache a connection (the default is 2 MB): index pages of a
                    // million-member roster stay in memory; it grows only as pages are read.
                    .pragma("cache_size", "-16384")
            });
            opts
        }
        DbConfig::Postgres { url } => ConnectOptions::new(url.clone()),
    };
    opts.max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    Ok(Database::connect(opts).await?)
}

/// The database's time in Unix milliseconds, as SQL: leases of processes on several machines
/// are judged by one clock.
pub(crate) fn now_ms_expr(backend: DbBackend) -> Expr {
    match backend {
        DbBackend::Postgres => {
            Expr::cust("CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)")
        }
        _ => Expr::cust("CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"),
    }
}

/// Applies pending migrations, guarded so that two servers never migrate at once: a file lock
/// beside the SQLite file, an advisory lock on PostgreSQL.
async fn migrate(config: &DbConfig, db: &DatabaseConnection) -> Result<()> {
    match config {
        DbConfig::Sqlite { data_dir } => {
            let lock = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(data_dir.join("migrate.lock"))?;
            let lock = tokio::task::spawn_blocking(move || lock.lock().map(|()| lock))
                .await
                .map_err(StoreError::corrupt)??;
            let result = Migrator::up(db, None).await;
            lock.unlock()?;
            Ok(result?)
        }
        DbConfig::Postgres { .. } => {
            // Advisory locks belong to a session: hold one connection for the whole run.
            let conn = open(config, 1).await?;
            let sql = |s: String| Statement::from_string(DbBackend::Postgres, s);
            conn.execute_raw(sql(format!("SELECT pg_advisory_lock({MIGRATE_LOCK})")))
                .await?;
            let result = Migrator::up(&conn, None).await;
            conn.execute_raw(sql(format!("SELECT pg_advisory_unlock({MIGRATE_LOCK})")))
                .await?;
            conn.close().await?;
            Ok(result?)
        }
    }
}

impl Store {
    /// The store, chaining its audit entries under `key`.
    pub fn with_audit_key(mut self, key: AuditKey) -> Self {
        self.audit_key = key;
        self
    }

    pub fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    /// Connects, brings the schema up to date and claims a node to issue ids under: every
    /// process that opens the store holds a node of its own until `release` (or, if it ends
    /// without, until its lease expires a minute later).
    pub async fn connect(config: DbConfig) -> Result<Self> {
        let db = open(&config, 16).await?;
        migrate(&config, &db).await?;
        let lease = NodeLease::start(db.clone()).await?;
        Ok(Self {
            db,
            config,
            lease,
            // Replaced by the platform's before any write; a random one chains nothing it
            // could later verify.
            audit_key: AuditKey::new(rand::random()),
        })
    }

    pub fn engine(&self) -> Engine {
        match self.db.get_database_backend() {
            DbBackend::Postgres => Engine::Postgres,
            _ => Engine::Sqlite,
        }
    }

    /// The connection for reads.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn new_id(&self, now_ms: i64) -> i64 {
        self.lease.ids.next(now_ms)
    }

    /// The node this process issues ids under now.
    pub fn id_node(&self) -> NodeId {
        self.lease.ids.node()
    }

    /// Gives this process's id node back, so that a command run next claims it at once; the
    /// store writes nothing afterwards. Call it at a clean end: after a command, when a
    /// server stops.
    pub async fn release(&self) -> Result<()> {
        self.lease.release().await
    }

    /// Applies pending migrations (`connect` does), guarded so that two servers never migrate
    /// at once.
    pub async fn migrate(&self) -> Result<()> {
        migrate(&self.config, &self.db).await
    }

    /// Starts a write, holding the write lock from its first statement to its commit: on SQLite
    /// the transaction is IMMEDIATE, on PostgreSQL it takes the advisory lock the audit chain
    /// is appended under. So on both engines what a write checks inside its transaction (the
    /// seats sitting, a record's state) still holds when it commits, whatever another server
    /// writes meanwhile, and concurrent writers wait instead of failing halfway.
    pub async fn begin_write(&self) -> Result<WriteTx> {
        if self.lease.released() {
            return Err(StoreError::NodeLost);
        }
        let claim = self.lease.claim();
        let txn = match self.engine() {
            Engine::Sqlite => {
                self.db
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..Default::default()
                    })
                    .await?
            }
            Engine::Postgres => {
                let txn = self.db.begin().await?;
                txn.execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("SELECT pg_advisory_xact_lock({AUDIT_LOCK})"),
                ))
                .await?;
                txn
            }
        };
        Ok(WriteTx {
            txn,
            engine: self.engine(),
            audited: false,
            audit_key: self.audit_key.clone(),
            lease: self.lease.clone(),
            claim,
        })
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        Ok(self.db.ping().await?)
    }

    /// Releases the id node and closes the connections.
    pub async fn close(self) -> Result<()> {
        self.release().await?;
        Ok(self.db.close().await?)
    }

    /// A consistent copy of a live SQLite database (`VACUUM INTO`); readers and writers go on.
    pub async fn backup_sqlite(&self, target: &Path) -> Result<()> {
        if self.engine() != Engine::Sqlite {
            return Err(StoreError::corrupt(
                "PostgreSQL 请使用 pg_dump / pg_restore 备份与恢复",
            ));
        }
        let path = target.to_string_lossy().replace('\'', "''");
        self.db
            .execute_unprepared(&format!("VACUUM INTO '{path}'"))
            .await?;
        Ok(())
    }
}

/// A write in progress. It commits only after at least one audit entry was appended in the
/// same transaction, so no write can leave the trail.
pub struct WriteTx {
    txn: DatabaseTransaction,
    engine: Engine,
    audited: bool,
    audit_key: AuditKey,
    lease: Arc<NodeLease>,
    /// The node held when the write began, which its ids came from.
    claim: Claim,
}

impl WriteTx {
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Appends to the audit chain, in one line however many servers write: the transaction
    /// holds the write lock (`begin_write`).
    pub async fn audit(&mut self, record: AuditRecord, now_ms: i64) -> Result<AuditEntry> {
        let entry = audit::append(&self.txn, &self.audit_key, record, now_ms).await?;
        self.audited = true;
        Ok(entry)
    }

    /// Commits, if the write was audited and this process still holds the node its ids came
    /// from (renewing the lease in the same transaction).
    pub async fn commit(self) -> Result<()> {
        if !self.audited {
            self.txn.rollback().await?;
            return Err(StoreError::Unaudited);
        }
        if !self.lease.fence(&self.txn, &self.claim).await? {
            self.txn.rollback().await?;
            self.lease.lost(&self.claim).await;
            return Err(StoreError::NodeLost);
        }
        Ok(self.txn.commit().await?)
    }
}

/// The indexes of a table that no constraint owns, with the statements that create them.
pub(crate) async fn secondary_indexes(tx: &WriteTx, table: &str) -> Result<Vec<(String, String)>> {
    let (backend, sql) = match tx.engine {
        Engine::Sqlite => (
            DbBackend::Sqlite,
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? \
             AND sql IS NOT NULL",
        ),
        Engine::Postgres => (
            DbBackend::Postgres,
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = $1 \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        ),
    };
    let rows = tx
        .txn
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [table.into()]))
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.try_get_by_index::<String>(0)?,
                r.try_get_by_index::<String>(1)?,
            ))
        })
        .collect()
}
