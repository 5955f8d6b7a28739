//! Transfers (组织关系转接): started by the old branch, received by the new one; until then
//! the old branch still manages the member (支部条例第二十五条).

use crate::people::PeopleCases;
use crate::{Actor, AppError, Result};
use dangjian_domain::FieldError;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::{Org, OrgKind};
use dangjian_domain::people::{
    Transfer, TransferDirection, TransferState, check_transfer_start, check_transfer_target,
};
use dangjian_domain::platform::role::Action;
use dangjian_domain::text;
use dangjian_store::org as org_store;
use dangjian_store::people::{self as people_store, Movers};
use dangjian_store::transfer::{self as store, TransferRecord};
use serde_json::json;

/// A transfer as a page shows it: the names on both sides and what the reader may do.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TransferView {
    #[serde(flatten)]
    pub transfer: Transfer,
    pub person_name: String,
    pub from_name: String,
    pub to_name: String,
    pub may_receive: bool,
    pub may_cancel: bool,
}

impl PeopleCases<'_> {
    /// Starts a transfer of a member to another branch of the university or to an
    /// organization outside it.
    pub async fn start_transfer(
        self,
        actor: &Actor,
        person_id: PersonId,
        to_org_id: Option<OrgId>,
        to_outside: Option<&str>,
        reason: &str,
    ) -> Result<Transfer> {
        let db = self.store.db();
        let person = people_store::find(db, &actor.access, Action::ReadRecords, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.access.can_at(Action::WriteRecords, &person.org_path) {
            return Err(AppError::Forbidden("转出该党员的组织关系"));
        }
        check_transfer_start(&person.person, to_org_id.is_some(), to_outside)?;
        let reason = text::single_line(reason, "reason", "转接原因", 200)?;
        // Any branch of the university may receive, whatever the sender's own scope.
        let target = match to_org_id {
            Some(id) => {
                let org = org_store::find_for_check(db, id)
                    .await?
                    .ok_or_else(|| FieldError::new("to_org_id", "转入组织", "组织不存在"))?;
                check_transfer_target(&org, person.person.org_id)?;
                Some(org)
            }
            None => None,
        };
        let to_outside = match to_outside.map(str::trim).filter(|s| !s.is_empty()) {
            Some(name) => Some(text::single_line(name, "to_outside", "校外组织", 200)?),
            None => None,
        };
        let record = TransferRecord {
            transfer: Transfer {
                id: self.new_id(),
                person_id,
                direction: if target.is_some() {
                    TransferDirection::Internal
                } else {
                    TransferDirection::Out
                },
                from_org_id: Some(person.person.org_id),
                from_outside: None,
                to_org_id: target.as_ref().map(|t| t.id),
                to_outside,
                state: TransferState::Pending,
                initiated_on: self.today(),
                received_on: None,
                reason,
            },
            from_org_path: Some(person.org_path.clone()),
            to_org_path: target.map(|t| t.path),
        };
        let tx = self.store.begin_write().await?;
        store::insert(&tx, &record, self.now_ms()).await?;
        people_store::set_transfer(&tx, person_id, true, None, self.now_ms()).await?;
        let audit = actor.record(
            dangjian_domain::people::trail::TRANSFER_CREATE,
            Some(record.transfer.id),
            Some(person.org_path.as_str()),
            None,
            Some(json!(record.transfer)),
        );
        self.finish(tx, audit).await?;
        Ok(record.transfer)
    }

    /// Receives a transfer: the new branch takes the member in (within the university), or the
    /// old branch records that the organization outside has received them.
    pub async fn receive_transfer(self, actor: &Actor, id: i64) -> Result<Transfer> {
        let db = self.store.db();
        let record = store::find(db, &actor.access, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let t = &record.transfer;
        let receiver = match t.direction {
            TransferDirection::Internal => record.to_org_path.as_ref(),
            _ => record.from_org_path.as_ref(),
        };
        if !receiver.is_some_and(|p| actor.access.can_at(Action::WriteRecords, p)) {
            return Err(AppError::Forbidden("接收该组织关系"));
        }
        // The receiving branch may have been dissolved since the transfer started.
        if let (TransferDirection::Internal, Some(to), Some(from)) =
            (t.direction, t.to_org_id, t.from_org_id)
        {
            let target = org_store::find_for_check(db, to)
                .await?
                .ok_or(AppError::NotFound)?;
            check_transfer_target(&target, from)?;
        }
        let today = self.today();
        let tx = self.store.begin_write().await?;
        if !store::finish(&tx, id, TransferState::Received, Some(today)).await? {
            return Err(not_pending());
        }
        // The receiver may not see the person yet: they still belong to the old branch.
        let status = people_store::find_for_check(tx.conn(), t.person_id)
            .await?
            .map(|p| p.person.status);
        match (t.direction, t.to_org_id, &record.to_org_path, status) {
            (TransferDirection::Internal, Some(to), Some(path), Some(status)) => {
                let period = self.period_from_today(
                    t.person_id,
                    (to, path),
                    status,
                    format!("组织关系转入：{}", t.reason),
                );
                let moved = [t.person_id];
                people_store::move_people(
                    &tx,
                    Movers::Ids(&moved),
                    (to, path),
                    &[period],
                    self.now_ms(),
                )
                .await?;
                people_store::set_transfer(&tx, t.person_id, false, None, self.now_ms()).await?;
            }
            _ => {
                people_store::close_period(&tx, t.person_id, today).await?;
                people_store::set_transfer(&tx, t.person_id, false, Some(today), self.now_ms())
                    .await?;
            }
        }
        let now_under = match t.direction {
            TransferDirection::Internal => record.to_org_path.as_ref(),
            _ => None,
        };
        let seats_ended = self
            .org()
            .end_seats_of_leavers(&tx, &[t.person_id], now_under)
            .await?;
        let mut after = t.clone();
        after.state = TransferState::Received;
        after.received_on = Some(today);
        let audit = actor.record(
            dangjian_domain::people::trail::TRANSFER_RECEIVE,
            Some(id),
            receiver.map(|p| p.as_str()),
            Some(json!(t)),
            Some(crate::org::with_seats_ended(json!(after), &seats_ended)),
        );
        self.finish(tx, audit).await?;
        Ok(after)
    }

    /// Withdraws a pending transfer; only the old branch may.
    pub async fn cancel_transfer(self, actor: &Actor, id: i64) -> Result<Transfer> {
        let db = self.store.db();
        let record = store::find(db, &actor.access, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let from = record.from_org_path.as_ref();
        if !from.is_some_and(|p| actor.access.can_at(Action::WriteRecords, p)) {
            return Err(AppError::Forbidden("撤回该转接"));
        }
        let tx = self.store.begin_write().await?;
        if !store::finish(&tx, id, TransferState::Cancelled, None).await? {
            return Err(not_pending());
        }
        people_store::set_transfer(&tx, record.transfer.person_id, false, None, self.now_ms())
            .await?;
        let mut after = record.transfer.clone();
        after.state = TransferState::Cancelled;
        let audit = actor.record(
            dangjian_domain::people::trail::TRANSFER_CANCEL,
            Some(id),
            from.map(|p| p.as_str()),
            Some(json!(record.transfer)),
            Some(json!(after)),
        );
        self.finish(tx, audit).await?;
        Ok(after)
    }

    /// Branches a member may transfer to, by part of their name (at most 200), for those who
    /// keep a roster.
    pub async fn transfer_targets(self, actor: &Actor, name: &str) -> Result<Vec<Org>> {
        if actor.access.scopes(Action::WriteRecords).is_empty() {
            return Err(AppError::Forbidden("转接组织关系"));
        }
        Ok(org_store::choices(self.store.db(), name.trim(), Some(OrgKind::Branch), 200).await?)
    }

    /// The one active branch with exactly this name, as a person typed it in a transfer.
    pub async fn branch_named(self, actor: &Actor, name: &str) -> Result<Org> {
        if actor.access.scopes(Action::WriteRecords).is_empty() {
            return Err(AppError::Forbidden("转接组织关系"));
        }
        self.org()
            .named(name, Some(OrgKind::Branch), ("to_org", "转入支部"))
            .await
    }

    /// A person's transfers, as the reader may see them.
    pub async fn transfers_of(
        self,
        actor: &Actor,
        person_id: PersonId,
    ) -> Result<Vec<TransferView>> {
        let records = store::of_person(self.store.db(), &actor.access, person_id).await?;
        self.transfer_views(actor, records).await
    }

    /// Transfers under way into or out of an organization's subtree.
    pub async fn pending_transfers(self, actor: &Actor, under: &Org) -> Result<Vec<TransferView>> {
        let records = store::pending(self.store.db(), &actor.access, &under.path).await?;
        self.transfer_views(actor, records).await
    }

    async fn transfer_views(
        self,
        actor: &Actor,
        records: Vec<TransferRecord>,
    ) -> Result<Vec<TransferView>> {
        let db = self.store.db();
        let org_ids: Vec<OrgId> = records
            .iter()
            .flat_map(|r| [r.transfer.from_org_id, r.transfer.to_org_id])
            .flatten()
            .collect();
        let orgs = org_store::by_ids(db, &org_ids).await?;
        let people = people_store::names(
            db,
            &records
                .iter()
                .map(|r| r.transfer.person_id)
                .collect::<Vec<_>>(),
        )
        .await?;
        let side = |id: Option<OrgId>, outside: &Option<String>| {
            id.and_then(|id| orgs.get(&id).map(|o| o.name.clone()))
                .or_else(|| outside.clone())
                .unwrap_or_default()
        };
        let can = |p: &Option<dangjian_domain::org::OrgPath>| {
            p.as_ref()
                .is_some_and(|p| actor.access.can_at(Action::WriteRecords, p))
        };
        Ok(records
            .into_iter()
            .map(|r| {
                let pending = r.transfer.state == TransferState::Pending;
                let receiver = if r.transfer.direction == TransferDirection::Internal {
                    &r.to_org_path
                } else {
                    &r.from_org_path
                };
                TransferView {
                    person_name: people
                        .get(&r.transfer.person_id)
                        .cloned()
                        .unwrap_or_default(),
                    from_name: side(r.transfer.from_org_id, &r.transfer.from_outside),
                    to_name: side(r.transfer.to_org_id, &r.transfer.to_outside),
                    may_receive: pending && can(receiver),
                    may_cancel: pending && can(&r.from_org_path),
                    transfer: r.transfer,
                }
            })
            .collect())
    }
}

fn not_pending() -> AppError {
    AppError::Conflict {
        field: "state",
        message: "该转接已完成或已撤回".to_owned(),
    }
}
