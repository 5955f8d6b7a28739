//! Each account's meeting calendar: the meetings its person is expected at and those of the
//! organizations it keeps or reads, also as a feed a phone subscribes to by a secret link
//! that the account can replace or stop.

use super::Meeting;
use crate::meetings::MeetingCases;
use crate::{Actor, AppError, Result, secret};
use dangjian_domain::ids::MeetingId;
use dangjian_domain::ids::OrgId;
use dangjian_store::meetings as store;
use dangjian_store::org as org_store;
use dangjian_store::people as people_store;
use serde_json::json;

/// The calendar reaches this many days back…
pub const CALENDAR_PAST_DAYS: i64 = 30;
/// …and this many days ahead.
pub const CALENDAR_AHEAD_DAYS: i64 = 120;
/// The most meetings it lists.
pub const CALENDAR_LIMIT: u64 = 500;

/// A meeting in a calendar.
#[derive(Debug, Clone)]
pub struct CalendarEntry {
    pub meeting: Meeting,
    pub org_name: String,
    /// Whether the account's person is expected at it.
    pub mine: bool,
}

impl MeetingCases<'_> {
    /// The actor's meetings from a month ago to four months ahead, soonest first.
    pub async fn calendar(self, actor: &Actor) -> Result<Vec<CalendarEntry>> {
        let db = self.store.db();
        let now = self.now_ms();
        let day_ms = 86_400_000;
        let window = (
            now - CALENDAR_PAST_DAYS * day_ms,
            now + CALENDAR_AHEAD_DAYS * day_ms,
        );
        let person = match actor.account_id {
            Some(id) => people_store::person_of_account(db, id).await?,
            None => None,
        };
        let mine = match person {
            Some(p) => store::upcoming_of_person(db, p, window, CALENDAR_LIMIT).await?,
            None => Vec::new(),
        };
        let mine_ids: std::collections::HashSet<MeetingId> = mine.iter().map(|m| m.id).collect();
        let mut meetings = mine;
        meetings.extend(
            store::upcoming_in_scope(db, &actor.access, window, CALENDAR_LIMIT)
                .await?
                .into_iter()
                .filter(|m| !mine_ids.contains(&m.id)),
        );
        meetings.sort_by_key(|m| m.plan.starts_at);
        meetings.truncate(usize::try_from(CALENDAR_LIMIT).unwrap_or(usize::MAX));
        let org_ids: Vec<OrgId> = meetings.iter().map(|m| m.org_id).collect();
        let orgs = org_store::by_ids(db, &org_ids).await?;
        Ok(meetings
            .into_iter()
            .map(|meeting| CalendarEntry {
                org_name: orgs
                    .get(&meeting.org_id)
                    .map_or_else(String::new, |o| o.name.clone()),
                mine: mine_ids.contains(&meeting.id),
                meeting,
            })
            .collect())
    }

    /// When the actor's calendar link was made, if it has a working one.
    pub async fn calendar_link_made_at(self, actor: &Actor) -> Result<Option<i64>> {
        match actor.account_id {
            Some(id) => Ok(store::feed_made_at(self.store.db(), id).await?),
            None => Ok(None),
        }
    }

    /// Makes a new secret calendar link for the actor, shown once; the old one stops working.
    pub async fn issue_calendar_link(self, actor: &Actor) -> Result<String> {
        let id = actor
            .account_id
            .ok_or(AppError::Forbidden("日历订阅须登录账号"))?;
        let token = secret::token();
        let tx = self.store.begin_write().await?;
        store::replace_feed(&tx, id, &secret::token_hash(&token), self.now_ms()).await?;
        let audit = actor.record(
            dangjian_domain::meetings::trail::CALENDAR_LINK,
            Some(id.get()),
            None,
            None,
            None,
        );
        self.finish(tx, audit).await?;
        Ok(token)
    }

    /// Stops the actor's calendar link.
    pub async fn revoke_calendar_link(self, actor: &Actor) -> Result<()> {
        let id = actor
            .account_id
            .ok_or(AppError::Forbidden("日历订阅须登录账号"))?;
        let tx = self.store.begin_write().await?;
        let n = store::revoke_feeds(&tx, id, self.now_ms()).await?;
        let audit = actor.record(
            dangjian_domain::meetings::trail::CALENDAR_REVOKE,
            Some(id.get()),
            None,
            None,
            Some(json!({ "revoked": n })),
        );
        self.finish(tx, audit).await
    }

    /// The calendar behind a secret link, read with its account's access as it is now: a
    /// stopped link, or a disabled account, reads nothing.
    pub async fn calendar_by_link(self, token: &str) -> Result<Vec<CalendarEntry>> {
        let db = self.store.db();
        let id = store::feed_account(db, &secret::token_hash(token))
            .await?
            .ok_or(AppError::NotFound)?;
        let account = dangjian_store::account::find(db, id)
            .await?
            .filter(|a| !a.disabled)
            .ok_or(AppError::NotFound)?;
        let actor = Actor {
            account_id: Some(account.id),
            name: account.display_name,
            access: dangjian_store::account::access(db, id).await?,
            client_ip: None,
        };
        self.calendar(&actor).await
    }
}
