//! The audit trail as stored: appended in the writer's transaction, read by the auditor.

use crate::{Result, StoreError};
use dangjian_domain::ids::AccountId;
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::platform::audit::{AuditEntry, AuditKey, AuditRecord, GENESIS};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, Condition, QueryOrder, QuerySelect};

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub at: i64,
        pub actor_id: Option<i64>,
        pub actor_name: String,
        pub action: String,
        pub entity: String,
        pub entity_id: Option<i64>,
        pub org_path: Option<String>,
        pub client_ip: Option<String>,
        pub before: Option<String>,
        pub after: Option<String>,
        pub prev_hash: String,
        pub hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

fn parse_json(text: Option<String>) -> Result<Option<serde_json::Value>> {
    text.map(|t| serde_json::from_str(&t).map_err(StoreError::corrupt))
        .transpose()
}

fn to_entry(m: entity::Model) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: m.seq,
        at_ms: m.at,
        record: AuditRecord {
            actor_id: m.actor_id.map(AccountId::new),
            actor_name: m.actor_name,
            action: m.action,
            entity: m.entity,
            entity_id: m.entity_id,
            org_path: m.org_path,
            client_ip: m.client_ip,
            before: parse_json(m.before)?,
            after: parse_json(m.after)?,
        },
        prev_hash: m.prev_hash,
        hash: m.hash,
    })
}

/// Appends one entry after the last; the caller holds the write lock (see `WriteTx::audit`).
pub(crate) async fn append<C: ConnectionTrait>(
    db: &C,
    key: &AuditKey,
    record: AuditRecord,
    now_ms: i64,
) -> Result<AuditEntry> {
    let last = Entity::find()
        .select_only()
        .column(Column::Seq)
        .column(Column::Hash)
        .order_by_desc(Column::Seq)
        .limit(1)
        .into_tuple::<(i64, String)>()
        .one(db)
        .await?;
    let (seq, prev) = last.map_or((1, GENESIS.to_owned()), |(s, h)| (s + 1, h));
    let entry = AuditEntry::new(key, seq, now_ms, record, prev);
    let r = &entry.record;
    entity::ActiveModel {
        seq: Set(entry.seq),
        at: Set(entry.at_ms),
        actor_id: Set(r.actor_id.map(AccountId::get)),
        actor_name: Set(r.actor_name.clone()),
        action: Set(r.action.clone()),
        entity: Set(r.entity.clone()),
        entity_id: Set(r.entity_id),
        org_path: Set(r.org_path.clone()),
        client_ip: Set(r.client_ip.clone()),
        before: Set(r.before.as_ref().map(|v| v.to_string())),
        after: Set(r.after.as_ref().map(|v| v.to_string())),
        prev_hash: Set(entry.prev_hash.clone()),
        hash: Set(entry.hash.clone()),
    }
    .insert(db)
    .await?;
    Ok(entry)
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub action: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

/// Newest first. Only the auditor reads this; the app checks that before calling.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    filter: &AuditFilter,
    paging: Paging,
) -> Result<Page<AuditEntry>> {
    let mut cond = Condition::all();
    if let Some(a) = filter.actor.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(crate::search::is(Column::ActorName, a));
    }
    if let Some(e) = filter.entity.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(crate::search::is(Column::Entity, e));
    }
    if let Some(id) = filter.entity_id {
        cond = cond.add(Column::EntityId.eq(id));
    }
    if let Some(a) = filter.action.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(crate::search::starts_with(Column::Action, a));
    }
    if let Some(t) = filter.from_ms {
        cond = cond.add(Column::At.gte(t));
    }
    if let Some(t) = filter.to_ms {
        cond = cond.add(Column::At.lt(t));
    }
    let q = Entity::find().filter(cond);
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(Column::Seq)
        .offset(paging.offset())
        .limit(paging.per_page)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(to_entry).collect::<Result<_>>()?,
        total,
    })
}

/// Entries after `after_seq`, in chain order, `limit` at a time: for verifying the chain
/// without loading it whole.
pub async fn batch_after<C: ConnectionTrait>(
    db: &C,
    after_seq: i64,
    limit: u64,
) -> Result<Vec<AuditEntry>> {
    Entity::find()
        .filter(Column::Seq.gt(after_seq))
        .order_by_asc(Column::Seq)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_entry)
        .collect()
}

/// The sequence number of the last entry, 0 before the first. Every committed write appends
/// an entry, so an unchanged head means unchanged records: the version of the data.
pub async fn head<C: ConnectionTrait>(db: &C) -> Result<i64> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Seq)
        .order_by_desc(Column::Seq)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .unwrap_or(0))
}

/// The entry at `seq`, if the trail holds it.
pub async fn at<C: ConnectionTrait>(db: &C, seq: i64) -> Result<Option<AuditEntry>> {
    Entity::find_by_id(seq)
        .one(db)
        .await?
        .map(to_entry)
        .transpose()
}
