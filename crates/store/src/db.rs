//! Connecting, migrating and writing. The two engines differ only here: SQLite's pragmas and
//! IMMEDIATE write transactions, PostgreSQL's advisory locks.

use crate::migration::Migrator;
use crate::{Result, StoreError, audit};
use dangjian_domain::ids::IdGenerator;
use dangjian_domain::platform::audit::{AuditEntry, AuditKey, AuditRecord};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
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
    ids: Arc<IdGenerator>,
    /// The audit chain's key, from outside the database (see `with_audit_key`).
    audit_key: AuditKey,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("engine", &self.engine())
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

impl Store {
    /// The store, chaining its audit entries under `key`.
    pub fn with_audit_key(mut self, key: AuditKey) -> Self {
        self.audit_key = key;
        self
    }

    pub fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    pub async fn connect(config: DbConfig) -> Result<Self> {
        let db = open(&config, 16).await?;
        Ok(Self {
            db,
            config,
            ids: Arc::new(IdGenerator::new(rand::random())),
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
        self.ids.next(now_ms)
    }

    /// Applies pending migrations, guarded so that two servers never migrate at once: a file
    /// lock beside the SQLite file, an advisory lock on PostgreSQL.
    pub async fn migrate(&self) -> Result<()> {
        match &self.config {
            DbConfig::Sqlite { data_dir } => {
                let lock = std::fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(data_dir.join("migrate.lock"))?;
                let lock = tokio::task::spawn_blocking(move || lock.lock().map(|()| lock))
                    .await
                    .map_err(StoreError::corrupt)??;
                let result = Migrator::up(&self.db, None).await;
                lock.unlock()?;
                Ok(result?)
            }
            DbConfig::Postgres { .. } => {
                // Advisory locks belong to a session: hold one connection for the whole run.
                let conn = open(&self.config, 1).await?;
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

    /// Starts a write. On SQLite the transaction takes the write lock at once (IMMEDIATE), so
    /// concurrent writers wait on the busy timeout instead of failing halfway.
    pub async fn begin_write(&self) -> Result<WriteTx> {
        let txn = match self.engine() {
            Engine::Sqlite => {
                self.db
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..Default::default()
                    })
                    .await?
            }
            Engine::Postgres => self.db.begin().await?,
        };
        Ok(WriteTx {
            txn,
            engine: self.engine(),
            audited: false,
            audit_key: self.audit_key.clone(),
        })
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        Ok(self.db.ping().await?)
    }

    pub async fn close(self) -> Result<()> {
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
}

impl WriteTx {
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Appends to the audit chain. On PostgreSQL a transaction-scoped advisory lock keeps the
    /// chain in one line when several servers write at once; SQLite's write lock already does.
    pub async fn audit(&mut self, record: AuditRecord, now_ms: i64) -> Result<AuditEntry> {
        if self.engine == Engine::Postgres {
            self.txn
                .execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("SELECT pg_advisory_xact_lock({AUDIT_LOCK})"),
                ))
                .await?;
        }
        let entry = audit::append(&self.txn, &self.audit_key, record, now_ms).await?;
        self.audited = true;
        Ok(entry)
    }

    pub async fn commit(self) -> Result<()> {
        if !self.audited {
            self.txn.rollback().await?;
            return Err(StoreError::Unaudited);
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
