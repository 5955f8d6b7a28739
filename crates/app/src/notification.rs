//! Notifications (消息): each account's messages; the daily digest of development deadlines
//! passed or near (发展党员待办摘要) that the server sends every morning, and the monthly one
//! of the branches that missed last month's organizational life.

use crate::{Actor, App, Result};
use chrono::{Datelike, NaiveDate, Timelike};
use dangjian_domain::ids::AccountId;
use dangjian_domain::platform::audit::AuditAction;
use dangjian_domain::platform::role::Action;
use dangjian_store::notification as store;
pub use dangjian_store::notification::Notification;
use serde_json::json;

/// The hour (Shanghai) from which the day's digest is sent.
pub const DIGEST_HOUR: u32 = 7;
/// The most due items one digest lists; the board has them all.
pub const DIGEST_ROWS: usize = 30;
/// The most messages the page shows.
pub const NOTIFICATION_LIMIT: u64 = 50;

/// Every capability's digests. A capability that sends one declares its `Digest` beside its
/// use cases and registers it with one line here.
pub const DIGESTS: &[Digest] = &[
    crate::development::digest::DUE_DIGEST,
    crate::meetings::digest::MISSED_DIGEST,
    crate::people::whereabouts::WHEREABOUTS_DIGEST,
];

/// How often a digest is written, and the day that names its period in `job_runs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Day,
    /// On the first morning of the month the server runs.
    Month,
}

impl Every {
    /// How the job's audit record names its period, as it always has.
    fn key(self) -> &'static str {
        match self {
            Every::Day => "day",
            Every::Month => "month",
        }
    }

    fn period_of(self, today: NaiveDate) -> NaiveDate {
        match self {
            Every::Day => today,
            Every::Month => today.with_day(1).unwrap_or(today),
        }
    }
}

/// One message of a digest for one reader, before it is addressed and dated.
pub struct Draft {
    pub title: String,
    pub body: String,
    pub link: Option<String>,
}

/// What a digest composes for one reader and one period.
pub type Drafts<'a> = std::pin::Pin<Box<dyn Future<Output = Result<Vec<Draft>>> + Send + 'a>>;

/// A digest a capability sends to the accounts that keep its records.
pub struct Digest {
    /// Its name in `job_runs`, and the kind of its messages.
    pub job: &'static str,
    pub every: Every,
    /// Who receives it: the accounts that hold this action on some subtree.
    pub readers: Action,
    /// The action of the job's audit record.
    pub audit_action: AuditAction,
    /// The messages for one reader (none when there is nothing to say), read with the
    /// reader's access, for the period that starts on the given day.
    pub compose: for<'a> fn(&'a App, &'a Actor, NaiveDate) -> Drafts<'a>,
}

capability!(
    /// 消息: in-app messages and the digests.
    NotificationCases,
    notifications
);

impl NotificationCases<'_> {
    /// A new, unread message of `kind` for an account, dated `day`.
    pub(crate) fn message(
        self,
        account_id: AccountId,
        (kind, day): (&str, chrono::NaiveDate),
        (title, body): (String, String),
        link: Option<String>,
    ) -> Notification {
        Notification {
            id: self.new_id(),
            account_id,
            kind: kind.to_owned(),
            day,
            title,
            body,
            link,
            created_at: self.now_ms(),
            read_at: None,
        }
    }

    /// The actor's latest messages, newest first.
    pub async fn list(self, actor: &Actor) -> Result<Vec<Notification>> {
        match actor.account_id {
            Some(id) => Ok(store::of_account(self.store.db(), id, NOTIFICATION_LIMIT).await?),
            None => Ok(Vec::new()),
        }
    }

    /// How many messages the actor holds, however many `list` shows.
    pub async fn count(self, actor: &Actor) -> Result<u64> {
        match actor.account_id {
            Some(id) => Ok(store::count_of_account(self.store.db(), id).await?),
            None => Ok(0),
        }
    }

    pub async fn unread(self, actor: &Actor) -> Result<u64> {
        match actor.account_id {
            Some(id) => Ok(store::unread(self.store.db(), id).await?),
            None => Ok(0),
        }
    }

    /// Marks the actor's messages read; audited like every write.
    pub async fn mark_read(self, actor: &Actor) -> Result<()> {
        let Some(id) = actor.account_id else {
            return Ok(());
        };
        if store::unread(self.store.db(), id).await? == 0 {
            return Ok(());
        }
        let tx = self.store.begin_write().await?;
        let n = store::mark_read(&tx, id, self.now_ms()).await?;
        let audit = actor.record(
            dangjian_domain::platform::audit::trail::NOTIFICATION_READ,
            Some(id.get()),
            None,
            None,
            Some(json!({ "read": n })),
        );
        self.finish(tx, audit).await
    }

    /// Sends each registered digest whose period has come and that was not sent for it yet;
    /// the server calls this every few minutes. Returns how many messages were written.
    pub async fn send_digest_if_due(self) -> Result<usize> {
        let now = self.clock.local_now();
        let today = now.date();
        if now.hour() < DIGEST_HOUR {
            return Ok(0);
        }
        let mut sent = 0;
        for digest in DIGESTS {
            let period = digest.every.period_of(today);
            if !store::job_ran(self.store.db(), digest.job, period).await? {
                sent += self.send(digest, period).await?;
            }
        }
        Ok(sent)
    }

    /// Writes `digest` for `period` to every account that holds its action on some subtree,
    /// each message composed with the account's own access; the messages, the run and its
    /// audit record in one transaction.
    pub async fn send(self, digest: &Digest, period: NaiveDate) -> Result<usize> {
        let db = self.store.db();
        let mut messages = Vec::new();
        for account in dangjian_store::account::granted(db).await? {
            let access = dangjian_store::account::access(db, account.id).await?;
            if access.scopes(digest.readers).is_empty() {
                continue;
            }
            let actor = Actor {
                account_id: Some(account.id),
                name: account.username.clone(),
                access,
                client_ip: None,
            };
            for draft in (digest.compose)(self.0, &actor, period).await? {
                messages.push(self.message(
                    account.id,
                    (digest.job, period),
                    (draft.title, draft.body),
                    draft.link,
                ));
            }
        }
        let tx = self.store.begin_write().await?;
        // Claimed first: of two servers composing the same digest, one writes it.
        if !store::record_run(&tx, digest.job, period, self.now_ms()).await? {
            return Ok(0);
        }
        store::insert_many(&tx, &messages).await?;
        let audit = Actor::system().record(
            digest.audit_action,
            None,
            None,
            None,
            Some(json!({ digest.every.key(): period, "digests": messages.len() })),
        );
        self.finish(tx, audit).await?;
        Ok(messages.len())
    }
}
