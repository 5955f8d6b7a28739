//! Use cases. Each one validates its input, authorizes the actor, and writes together with its
//! audit record in one transaction.

/// Declares a capability's handle: a small struct over the shared `App`, reached as
/// `app.<capability>()`, so that a use case is found by its capability
/// (`app.meetings().plan(..)`). The handle reads the shared parts (store, clock, keys) through
/// the `App` it dereferences to.
macro_rules! capability {
    ($(#[$doc:meta])* $handle:ident, $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $handle<'a>(&'a crate::App);

        impl std::ops::Deref for $handle<'_> {
            type Target = crate::App;

            fn deref(&self) -> &crate::App {
                self.0
            }
        }

        impl crate::App {
            pub fn $name(&self) -> $handle<'_> {
                $handle(self)
            }
        }
    };
}

pub mod account;
pub mod activation;
pub mod attachment;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod demo;
pub mod development;
mod docx;
mod error;
pub mod insight;
pub mod ledgers;
pub mod meetings;
pub mod notification;
pub mod org;
pub mod people;
mod pii;
pub mod roster;
mod secret;
pub mod settings;
mod sheet;
pub mod thought_report;
pub mod training;
pub mod transfer;

pub use attachment::UploadTarget;

/// A record named by an address (`/orgs/{id}`, `/people/{id}`, `/meetings/{id}`,
/// `/accounts/{id}`).
#[derive(Debug, Clone, Copy)]
pub enum Addressed {
    Org(dangjian_domain::ids::OrgId),
    Person(dangjian_domain::ids::PersonId),
    Meeting(dangjian_domain::ids::MeetingId),
    /// Seen only by those who manage accounts (the security admin).
    Account(dangjian_domain::ids::AccountId),
}
pub use dangjian_domain::org::Seat;
pub use dangjian_store::attachment::Attachment;
pub use dangjian_store::audit::AuditFilter;
pub use dangjian_store::org::{OrgFilter, OrgSort};
pub use dangjian_store::people::PersonSort;
pub use dangjian_store::{DbConfig, Engine};
pub use error::{AppError, Result};

use dangjian_domain::clock::Clock;
use dangjian_domain::ids::AccountId;
use dangjian_domain::platform::audit::{AuditAction, AuditRecord};
use dangjian_domain::platform::role::{Access, Action, Grant, Role};
use dangjian_store::{Store, WriteTx};
use std::path::PathBuf;
use std::sync::Arc;

/// The platform's use cases over one store, one clock and one data folder.
#[derive(Clone)]
pub struct App {
    store: Store,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    sealer: Arc<pii::Sealer>,
    progress: roster::ImportProgress,
    dashboards: Arc<insight::DashboardCache>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("store", &self.store)
            .field("data_dir", &self.data_dir)
            .finish()
    }
}

/// Who is acting: a signed-in account, or the console of the machine (the `dangjian` command,
/// run by whoever owns the data folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Option<AccountId>,
    pub name: String,
    pub access: Access,
    pub client_ip: Option<String>,
}

impl Actor {
    /// The command line, which manages accounts and grants as a security admin would.
    pub fn console() -> Self {
        Self {
            account_id: None,
            name: "命令行".to_owned(),
            access: Access::new(vec![Grant {
                role: Role::SecurityAdmin,
                scope: None,
            }]),
            client_ip: None,
        }
    }

    /// The platform's own daily jobs: no grants of its own; what a job reads for an account
    /// it reads with that account's access.
    pub fn system() -> Self {
        Self {
            account_id: None,
            name: "平台定时任务".to_owned(),
            access: Access::new(Vec::new()),
            client_ip: None,
        }
    }

    /// Whether the actor approves in a scope strictly above `path`: the general branch's or
    /// the committee's over a branch, whose acts a branch does not record for itself.
    pub fn approves_above(&self, path: &dangjian_domain::org::OrgPath) -> bool {
        self.access
            .scopes(Action::Approve)
            .iter()
            .any(|s| s.contains(path) && s != path)
    }

    /// An audit record of this actor's act.
    pub fn record(
        &self,
        action: AuditAction,
        entity_id: Option<i64>,
        org_path: Option<&str>,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> AuditRecord {
        AuditRecord {
            actor_id: self.account_id,
            actor_name: self.name.clone(),
            action: action.code.to_owned(),
            entity: action.entity.code.to_owned(),
            entity_id,
            org_path: org_path.map(str::to_owned),
            client_ip: self.client_ip.clone(),
            before,
            after,
        }
    }
}

impl App {
    /// Connects, migrates and claims a node to issue ids under (see `release`).
    pub async fn open(config: DbConfig, data_dir: PathBuf, clock: Arc<dyn Clock>) -> Result<Self> {
        let sealer = Arc::new(pii::Sealer::load(&data_dir)?);
        let store = Store::connect(config)
            .await?
            .with_audit_key(sealer.audit_key());
        Ok(Self {
            store,
            clock,
            data_dir,
            sealer,
            progress: roster::ImportProgress::default(),
            dashboards: Arc::default(),
        })
    }

    /// Whether the actor sees the record an address names, by the one scoped read each kind's
    /// page makes first: `NotFound` when not. Lets a write refuse what lies beyond the scope
    /// before anything it was sent is judged.
    pub async fn sees(&self, actor: &Actor, what: Addressed) -> Result<()> {
        use dangjian_domain::platform::role::Action;
        let db = self.store.db();
        let seen = match what {
            Addressed::Org(id) => dangjian_store::org::find(db, &actor.access, Action::ReadOrg, id)
                .await?
                .is_some(),
            Addressed::Person(id) => {
                dangjian_store::people::find(db, &actor.access, Action::ReadRecords, id)
                    .await?
                    .is_some()
            }
            Addressed::Meeting(id) => dangjian_store::meetings::find(db, &actor.access, id)
                .await?
                .is_some(),
            Addressed::Account(id) => {
                actor.access.can(Action::ManageAccounts)
                    && dangjian_store::account::find(db, id).await?.is_some()
            }
        };
        if seen {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub fn engine(&self) -> Engine {
        self.store.engine()
    }

    /// The first and last day of a year, or why it is no year.
    fn year_span(year: i32) -> Result<(chrono::NaiveDate, chrono::NaiveDate)> {
        let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1)
            .ok_or_else(|| dangjian_domain::FieldError::new("year", "年度", "不是有效的年份"))?;
        Ok(dangjian_domain::meetings::period_of(12, first))
    }

    /// A year of records, from the first the platform keeps to this year: its first and last
    /// day.
    fn record_year(&self, year: i32) -> Result<(chrono::NaiveDate, chrono::NaiveDate)> {
        let first = dangjian_domain::calendar::FIRST_RECORD_YEAR;
        if !(first..=chrono::Datelike::year(&self.today())).contains(&year) {
            return Err(dangjian_domain::FieldError::new(
                "year",
                "年度",
                format!("应为 {first} 年至今年"),
            )
            .into());
        }
        App::year_span(year)
    }

    fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// A new id of whichever kind the record's type asks for.
    fn new_id<I: dangjian_domain::ids::TypedId>(&self) -> I {
        I::from_raw(self.store.new_id(self.now_ms()))
    }

    /// Writes the audit record and commits: the last step of every use case that writes.
    async fn finish(&self, mut tx: WriteTx, record: AuditRecord) -> Result<()> {
        tx.audit(record, self.now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives back the node this process issues ids under, at a clean end (a command done, a
    /// server stopped), so that the next process may take it at once: 64 commands a minute
    /// would otherwise wait out each other's leases. Nothing is written afterwards.
    pub async fn release(&self) -> Result<()> {
        Ok(self.store.release().await?)
    }

    /// Whether the database answers.
    pub async fn healthy(&self) -> bool {
        self.store.ping().await.is_ok()
    }
}
