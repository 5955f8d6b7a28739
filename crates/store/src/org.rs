//! Organizations (党组织): the tree, read within the reader's scope.

use crate::{Result, StoreError, WriteTx, scope};
use dangjian_domain::ids::OrgId;
use dangjian_domain::org::{BranchCategory, Org, OrgEvent, OrgEventKind, OrgKind, OrgPath};
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, Condition, QueryOrder, QuerySelect};

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "orgs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub parent_id: Option<i64>,
        pub path: String,
        pub name: String,
        pub kind: String,
        pub category: Option<String>,
        pub founded_on: Option<Date>,
        pub dissolved_on: Option<Date>,
        pub created_at: i64,
        /// The units a 联合党支部 covers, as a JSON list; `[]` for a branch of one unit.
        pub joint_units: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

impl TryFrom<entity::Model> for Org {
    type Error = StoreError;

    fn try_from(m: entity::Model) -> Result<Self> {
        Ok(Org {
            id: OrgId::new(m.id),
            parent_id: m.parent_id.map(OrgId::new),
            path: OrgPath::parse(&m.path).ok_or_else(|| StoreError::corrupt(&m.path))?,
            kind: OrgKind::parse(&m.kind).ok_or_else(|| StoreError::corrupt(&m.kind))?,
            category: m
                .category
                .as_deref()
                .map(|c| BranchCategory::parse(c).ok_or_else(|| StoreError::corrupt(c)))
                .transpose()?,
            name: m.name,
            founded_on: m.founded_on,
            dissolved_on: m.dissolved_on,
        })
    }
}

fn to_orgs(models: Vec<entity::Model>) -> Result<Vec<Org>> {
    models.into_iter().map(Org::try_from).collect()
}

pub async fn insert(tx: &WriteTx, org: &Org, now_ms: i64) -> Result<()> {
    insert_many(tx, std::slice::from_ref(org), now_ms).await
}

/// Inserts many organizations, parents before children, a few hundred a statement.
pub async fn insert_many(tx: &WriteTx, orgs: &[Org], now_ms: i64) -> Result<()> {
    for chunk in orgs.chunks(500) {
        Entity::insert_many(chunk.iter().map(|org| entity::ActiveModel {
            id: Set(org.id.get()),
            parent_id: Set(org.parent_id.map(OrgId::get)),
            path: Set(org.path.as_str().to_owned()),
            name: Set(org.name.clone()),
            kind: Set(org.kind.code().to_owned()),
            category: Set(org.category.map(|c| c.code().to_owned())),
            founded_on: Set(org.founded_on),
            dissolved_on: Set(org.dissolved_on),
            created_at: Set(now_ms),
            joint_units: Set("[]".to_owned()),
        }))
        .exec(tx.conn())
        .await
        .map_err(|e| StoreError::from_insert(e, "path"))?;
    }
    Ok(())
}

/// One organization, if the reader may do `action` there; otherwise as if it did not exist.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    action: Action,
    id: OrgId,
) -> Result<Option<Org>> {
    Entity::find_by_id(id.get())
        .filter(scope::within(Column::Path, &access.scopes(action)))
        .one(db)
        .await?
        .map(Org::try_from)
        .transpose()
}

/// One organization whatever the reader's scope: for the platform's own checks only (the kind
/// of the organization a grant names), never to show a record.
pub async fn find_for_check<C: ConnectionTrait>(db: &C, id: OrgId) -> Result<Option<Org>> {
    Entity::find_by_id(id.get())
        .one(db)
        .await?
        .map(Org::try_from)
        .transpose()
}

/// Organizations by id whatever the reader's scope: only to label records the reader may
/// already see (the branch of a person in scope), never to show an organization itself.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[OrgId],
) -> Result<std::collections::HashMap<OrgId, Org>> {
    let mut unique: Vec<i64> = ids.iter().map(|id| id.get()).collect();
    unique.sort_unstable();
    unique.dedup();
    let rows = Entity::find()
        .filter(Column::Id.is_in(unique))
        .all(db)
        .await?;
    to_orgs(rows).map(|orgs| orgs.into_iter().map(|o| (o.id, o)).collect())
}

/// The root of the tree, if there is one.
pub async fn root<C: ConnectionTrait>(db: &C) -> Result<Option<Org>> {
    Entity::find()
        .filter(Column::ParentId.is_null())
        .order_by_asc(Column::Path)
        .one(db)
        .await?
        .map(Org::try_from)
        .transpose()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrgSort {
    /// Tree order: each organization after its parent.
    #[default]
    Tree,
    Name,
    Kind,
    FoundedOn,
}

#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// Part of the name.
    pub name: Option<String>,
    pub kind: Option<OrgKind>,
    /// Only this subtree (itself included).
    pub under: Option<OrgPath>,
    pub include_dissolved: bool,
    pub sort: OrgSort,
    pub descending: bool,
}

/// A page of the organizations the reader may see.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    filter: &OrgFilter,
    paging: Paging,
) -> Result<Page<Org>> {
    let mut cond = Condition::all().add(scope::within_under(
        Column::Path,
        &access.scopes(Action::ReadOrg),
        filter.under.as_ref(),
    ));
    if let Some(name) = filter.name.as_deref().filter(|n| !n.is_empty()) {
        cond = cond.add(crate::search::contains(Column::Name, name));
    }
    if let Some(kind) = filter.kind {
        cond = cond.add(Column::Kind.eq(kind.code()));
    }
    if !filter.include_dissolved {
        cond = cond.add(Column::DissolvedOn.is_null());
    }
    let column = match filter.sort {
        OrgSort::Tree => Column::Path,
        OrgSort::Name => Column::Name,
        OrgSort::Kind => Column::Kind,
        OrgSort::FoundedOn => Column::FoundedOn,
    };
    let query = Entity::find().filter(cond);
    let (rows, total) = crate::fetch_page(
        db,
        query,
        &[column],
        filter.descending,
        Column::Path,
        paging,
    )
    .await?;
    Ok(Page {
        items: to_orgs(rows)?,
        total,
    })
}

/// The organizations on the way from the root to `path`, that the reader may see.
pub async fn ancestors<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    path: &OrgPath,
) -> Result<Vec<Org>> {
    let rows = Entity::find()
        .filter(Column::Id.is_in(path.ids().into_iter().map(OrgId::get)))
        .filter(scope::within(Column::Path, &access.scopes(Action::ReadOrg)))
        .order_by_asc(Column::Path)
        .all(db)
        .await?;
    to_orgs(rows)
}

/// The direct children of an organization, that the reader may see; the first `limit` of
/// them in tree order, or all.
pub async fn children<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    parent_id: OrgId,
    limit: Option<u64>,
) -> Result<Vec<Org>> {
    let rows = Entity::find()
        .filter(Column::ParentId.eq(parent_id.get()))
        .filter(Column::DissolvedOn.is_null())
        .filter(scope::within(Column::Path, &access.scopes(Action::ReadOrg)))
        .order_by_asc(Column::Path)
        .limit(limit)
        .all(db)
        .await?;
    to_orgs(rows)
}

/// Active organizations whatever the reader's scope, by part of their name (and kind): for
/// the security admin who grants roles on them, and for a branch naming where a member
/// transfers to.
pub async fn choices<C: ConnectionTrait>(
    db: &C,
    name: &str,
    kind: Option<OrgKind>,
    limit: u64,
) -> Result<Vec<Org>> {
    let mut q = Entity::find().filter(Column::DissolvedOn.is_null());
    if !name.is_empty() {
        q = q.filter(crate::search::contains(Column::Name, name));
    }
    if let Some(kind) = kind {
        q = q.filter(Column::Kind.eq(kind.code()));
    }
    to_orgs(q.order_by_asc(Column::Path).limit(limit).all(db).await?)
}

pub async fn count<C: ConnectionTrait>(db: &C) -> Result<u64> {
    Ok(Entity::find().count(db).await?)
}

/// Every active organization of one kind in a subtree the reader may see, in tree order.
pub async fn all_of_kind<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    kind: OrgKind,
) -> Result<Vec<Org>> {
    let rows = Entity::find()
        .filter(Column::Kind.eq(kind.code()))
        .filter(Column::DissolvedOn.is_null())
        .filter(scope::within_under(
            Column::Path,
            &access.scopes(Action::ReadOrg),
            Some(under),
        ))
        .order_by_asc(Column::Path)
        .all(db)
        .await?;
    to_orgs(rows)
}

/// The active organizations of a subtree by kind.
pub async fn count_by_kind<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
) -> Result<Vec<(String, u64)>> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let rows: Vec<(String, i64)> = Entity::find()
        .select_only()
        .column(Column::Kind)
        .column_as(Expr::col(Column::Id).count(), "n")
        .filter(Column::DissolvedOn.is_null())
        .filter(scope::within_under(
            Column::Path,
            &access.scopes(Action::ReadOrg),
            Some(under),
        ))
        .group_by(Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
        .collect())
}

pub(crate) mod students {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "org_students")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub org_id: i64,
        pub org_path: String,
        pub students: i64,
        pub as_of: Date,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Sets the units a 联合党支部 covers (none: a branch of one unit).
pub async fn set_joint_units(tx: &WriteTx, id: OrgId, units: &[String]) -> Result<()> {
    entity::ActiveModel {
        id: Set(id.get()),
        joint_units: Set(serde_json::to_string(units).map_err(StoreError::corrupt)?),
        ..Default::default()
    }
    .update(tx.conn())
    .await?;
    Ok(())
}

/// The units one organization covers as a 联合党支部, if the reader may see it; none for a
/// branch of one unit.
pub async fn joint_units_of<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    id: OrgId,
) -> Result<Vec<String>> {
    let units: Option<String> = Entity::find_by_id(id.get())
        .select_only()
        .column(Column::JointUnits)
        .filter(scope::within(Column::Path, &access.scopes(Action::ReadOrg)))
        .into_tuple()
        .one(db)
        .await?;
    units.map_or(Ok(Vec::new()), |u| {
        serde_json::from_str(&u).map_err(StoreError::corrupt)
    })
}

/// The units of each 联合党支部 of a subtree the reader may see, by organization; a branch of
/// one unit is left out.
pub async fn joint_units<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
) -> Result<std::collections::HashMap<OrgId, Vec<String>>> {
    let rows: Vec<(i64, String)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::JointUnits)
        .filter(Column::JointUnits.ne("[]"))
        .filter(scope::within_under(
            Column::Path,
            &access.scopes(Action::ReadOrg),
            Some(under),
        ))
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(id, units)| {
            Ok((
                OrgId::new(id),
                serde_json::from_str(&units).map_err(StoreError::corrupt)?,
            ))
        })
        .collect()
}

/// Sets (or replaces) the number of students enrolled under an organization.
pub async fn set_students(
    tx: &WriteTx,
    org: &Org,
    students: u64,
    as_of: chrono::NaiveDate,
) -> Result<()> {
    use sea_orm::sea_query::OnConflict;
    students::Entity::insert(students::ActiveModel {
        org_id: Set(org.id.get()),
        org_path: Set(org.path.as_str().to_owned()),
        students: Set(i64::try_from(students).map_err(StoreError::corrupt)?),
        as_of: Set(as_of),
    })
    .on_conflict(
        OnConflict::column(students::Column::OrgId)
            .update_columns([students::Column::Students, students::Column::AsOf])
            .to_owned(),
    )
    .exec(tx.conn())
    .await?;
    Ok(())
}

/// The known student numbers of a subtree: (organization id, its path, students).
pub async fn students_under<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
) -> Result<Vec<(OrgId, OrgPath, u64)>> {
    let rows = students::Entity::find()
        .filter(scope::within_under(
            students::Column::OrgPath,
            &access.scopes(Action::ReadOrg),
            Some(under),
        ))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|m| {
            let path =
                OrgPath::parse(&m.org_path).ok_or_else(|| StoreError::corrupt(&m.org_path))?;
            Ok((
                OrgId::new(m.org_id),
                path,
                u64::try_from(m.students).unwrap_or(0),
            ))
        })
        .collect()
}

/// Re-roots a subtree: every path from `old` on now starts with `new`, whatever table holds it.
pub async fn rewrite_paths(tx: &WriteTx, old: &OrgPath, new: &OrgPath) -> Result<()> {
    crate::scope::rewrite_subtree(tx, old, new).await
}

pub async fn set_parent(tx: &WriteTx, id: OrgId, parent_id: OrgId) -> Result<()> {
    Entity::update_many()
        .col_expr(
            Column::ParentId,
            sea_orm::sea_query::Expr::value(parent_id.get()),
        )
        .filter(Column::Id.eq(id.get()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

pub async fn dissolve(tx: &WriteTx, id: OrgId, on: chrono::NaiveDate) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::DissolvedOn, sea_orm::sea_query::Expr::value(on))
        .filter(Column::Id.eq(id.get()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

pub(crate) mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "org_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub org_id: i64,
        pub kind: String,
        pub on_date: Date,
        pub from_parent_id: Option<i64>,
        pub to_parent_id: Option<i64>,
        pub other_org_id: Option<i64>,
        pub note: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub async fn insert_event(tx: &WriteTx, e: &OrgEvent, now_ms: i64) -> Result<()> {
    event::ActiveModel {
        id: Set(e.id),
        org_id: Set(e.org_id.get()),
        kind: Set(e.kind.code().to_owned()),
        on_date: Set(e.on_date),
        from_parent_id: Set(e.from_parent_id.map(OrgId::get)),
        to_parent_id: Set(e.to_parent_id.map(OrgId::get)),
        other_org_id: Set(e.other_org_id.map(OrgId::get)),
        note: Set(e.note.clone()),
        created_at: Set(now_ms),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

fn to_event(m: event::Model) -> Result<OrgEvent> {
    Ok(OrgEvent {
        id: m.id,
        org_id: OrgId::new(m.org_id),
        kind: OrgEventKind::parse(&m.kind).ok_or_else(|| StoreError::corrupt(&m.kind))?,
        on_date: m.on_date,
        from_parent_id: m.from_parent_id.map(OrgId::new),
        to_parent_id: m.to_parent_id.map(OrgId::new),
        other_org_id: m.other_org_id.map(OrgId::new),
        note: m.note,
    })
}

/// An organization's history, oldest first (the reader already sees the organization).
pub async fn events<C: ConnectionTrait>(db: &C, org_id: OrgId) -> Result<Vec<OrgEvent>> {
    event::Entity::find()
        .filter(event::Column::OrgId.eq(org_id.get()))
        .order_by_asc(event::Column::OnDate)
        .order_by_asc(event::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(to_event)
        .collect()
}

/// The moves recorded after `day`, university-wide: what the tree of that day undoes.
pub async fn moves_after<C: ConnectionTrait>(
    db: &C,
    day: chrono::NaiveDate,
) -> Result<Vec<OrgEvent>> {
    event::Entity::find()
        .filter(event::Column::Kind.eq(OrgEventKind::Moved.code()))
        .filter(event::Column::OnDate.gt(day))
        .all(db)
        .await?
        .into_iter()
        .map(to_event)
        .collect()
}

/// The organizations of the subtrees under `roots`, dissolved ones included, that the reader
/// may see; at most `limit`.
pub async fn subtrees<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    roots: &[OrgPath],
    limit: u64,
) -> Result<Vec<Org>> {
    let scopes = access.scopes(Action::ReadOrg);
    let cond = roots.iter().fold(Condition::any(), |any, root| {
        any.add(scope::within_under(Column::Path, &scopes, Some(root)))
    });
    to_orgs(
        Entity::find()
            .filter(cond)
            .order_by_asc(Column::Path)
            .limit(limit)
            .all(db)
            .await?,
    )
}

/// Whether a subtree has active organizations below its root.
pub async fn has_active_children<C: ConnectionTrait>(db: &C, id: OrgId) -> Result<bool> {
    Ok(Entity::find()
        .filter(Column::ParentId.eq(id.get()))
        .filter(Column::DissolvedOn.is_null())
        .count(db)
        .await?
        > 0)
}
