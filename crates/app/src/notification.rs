//! Notifications (消息): each account's messages; the daily digest of development deadlines
//! passed or near (发展党员待办摘要) that the server sends every morning, and the monthly one
//! of the branches that missed last month's organizational life.

use crate::{Actor, Result};
use chrono::{Datelike, Timelike};
use dangjian_domain::platform::role::Action;
use dangjian_store::notification as store;
pub use dangjian_store::notification::Notification;
use serde_json::json;

/// The daily job that writes the development digests, by its name in `job_runs`.
pub const DIGEST_JOB: &str = "development_digest";
/// The monthly job that tells each account the branches that missed last month's meetings.
pub const COMPLIANCE_DIGEST_JOB: &str = "compliance_digest";
/// The hour (Shanghai) from which the day's digest is sent.
pub const DIGEST_HOUR: u32 = 7;
/// The most due items one digest lists; the board has them all.
pub const DIGEST_ROWS: usize = 30;
/// The most messages the page shows.
pub const NOTIFICATION_LIMIT: u64 = 50;

capability!(
    /// 消息: in-app messages and the digests.
    NotificationCases,
    notifications
);

impl NotificationCases<'_> {
    /// A new, unread message of `kind` for an account, dated `day`.
    pub(crate) fn message(
        self,
        account_id: i64,
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
            "notification.read",
            "account",
            Some(id),
            None,
            None,
            Some(json!({ "read": n })),
        );
        self.finish(tx, audit).await
    }

    /// Sends the day's digest if it is time and it was not sent yet; the server calls this
    /// every few minutes. Returns how many digests were written.
    pub async fn send_digest_if_due(self) -> Result<usize> {
        let now = self.clock.local_now();
        let today = now.date();
        if now.hour() < DIGEST_HOUR {
            return Ok(0);
        }
        let mut sent = 0;
        if !store::job_ran(self.store.db(), DIGEST_JOB, today).await? {
            sent += self.send_development_digests().await?;
        }
        // Once a month, on the first morning of the month the server runs.
        let month = today.with_day(1).unwrap_or(today);
        if !store::job_ran(self.store.db(), COMPLIANCE_DIGEST_JOB, month).await? {
            sent += self.send_compliance_digests(month).await?;
        }
        Ok(sent)
    }

    /// Tells every account that reads a subtree's records which of its branches missed a rule
    /// of organizational life in the month before `month`, read with the account's access.
    pub async fn send_compliance_digests(self, month: chrono::NaiveDate) -> Result<usize> {
        let db = self.store.db();
        let last_month = month.pred_opt().unwrap_or(month);
        let label = last_month.format("%Y年%-m月");
        let mut messages = Vec::new();
        for account in dangjian_store::account::granted(db).await? {
            let access = dangjian_store::account::access(db, account.id).await?;
            if access.scopes(Action::ReadRecords).is_empty() {
                continue;
            }
            let actor = Actor {
                account_id: Some(account.id),
                name: account.username.clone(),
                access,
                client_ip: None,
            };
            for org in self.org().scope_roots(&actor).await? {
                if !actor.access.can_at(Action::ReadRecords, &org.path) {
                    continue;
                }
                let summary = self
                    .meetings()
                    .compliance_summary(&actor, org.id, last_month)
                    .await?;
                if summary.missed.is_empty() {
                    continue;
                }
                let mut lines: Vec<String> = summary
                    .missed
                    .iter()
                    .take(DIGEST_ROWS)
                    .map(|(_, name, kinds)| format!("{name}：未召开{}", kinds.join("、")))
                    .collect();
                if summary.missed.len() > lines.len() {
                    lines.push(format!(
                        "……另有 {} 个，见组织生活落实情况",
                        summary.missed.len() - lines.len()
                    ));
                }
                messages.push(self.message(
                    account.id,
                    (COMPLIANCE_DIGEST_JOB, month),
                    (
                        format!(
                            "{label}组织生活：{}（{} 个党支部和党小组中 {} 个有未落实事项）",
                            org.name,
                            summary.branches,
                            summary.missed.len()
                        ),
                        lines.join("\n"),
                    ),
                    Some(format!(
                        "/orgs/{}/compliance?month={}",
                        org.id,
                        last_month.format("%Y-%m")
                    )),
                ));
            }
        }
        let tx = self.store.begin_write().await?;
        store::insert_many(&tx, &messages).await?;
        store::record_run(&tx, COMPLIANCE_DIGEST_JOB, month, self.now_ms()).await?;
        let audit = Actor::system().record(
            "notification.compliance_digest",
            "job",
            None,
            None,
            None,
            Some(json!({ "month": month, "digests": messages.len() })),
        );
        self.finish(tx, audit).await?;
        Ok(messages.len())
    }

    /// Writes today's digest to every account that keeps development records in a subtree
    /// with deadlines passed or within 30 days: each item read with the account's own access.
    pub async fn send_development_digests(self) -> Result<usize> {
        let db = self.store.db();
        let today = self.today();
        let mut messages = Vec::new();
        for account in dangjian_store::account::granted(db).await? {
            let access = dangjian_store::account::access(db, account.id).await?;
            if access.scopes(Action::WriteRecords).is_empty() {
                continue;
            }
            let actor = Actor {
                account_id: Some(account.id),
                name: account.username.clone(),
                access,
                client_ip: None,
            };
            let mut lines = Vec::new();
            let (mut total, mut overdue) = (0, 0);
            let mut link = None;
            for org in self.org().scope_roots(&actor).await? {
                if !actor.access.can_at(Action::WriteRecords, &org.path) {
                    continue;
                }
                let board = self.development().board(&actor, org.id).await?;
                for r in &board.due {
                    let Some((step, by, late)) = r.due else {
                        continue;
                    };
                    total += 1;
                    overdue += usize::from(late);
                    if lines.len() < DIGEST_ROWS {
                        lines.push(format!(
                            "{}（{}）：{}，期限 {by}{}",
                            r.name,
                            r.org_name,
                            step.label(),
                            if late { "，已逾期" } else { "" }
                        ));
                    }
                }
                if !board.due.is_empty() {
                    link.get_or_insert_with(|| format!("/orgs/{}/development", org.id));
                }
            }
            if total == 0 {
                continue;
            }
            if total > lines.len() {
                lines.push(format!(
                    "……另有 {} 项，见发展党员工作台",
                    total - lines.len()
                ));
            }
            messages.push(self.message(
                account.id,
                (DIGEST_JOB, today),
                (
                    format!("发展党员待办（{today}）：{total} 项到期，其中 {overdue} 项已逾期"),
                    lines.join("\n"),
                ),
                link,
            ));
        }
        let tx = self.store.begin_write().await?;
        store::insert_many(&tx, &messages).await?;
        store::record_run(&tx, DIGEST_JOB, today, self.now_ms()).await?;
        let audit = Actor::system().record(
            "notification.digest",
            "job",
            None,
            None,
            None,
            Some(json!({ "day": today, "digests": messages.len() })),
        );
        self.finish(tx, audit).await?;
        Ok(messages.len())
    }
}
