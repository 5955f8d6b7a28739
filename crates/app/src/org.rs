//! The organization tree: founding organizations and reading them within scope.

pub(crate) mod book;
pub(crate) mod ledger;

use crate::{Actor, AppError, Result};
use dangjian_domain::FieldError;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::Seat;
use dangjian_domain::org::{
    NewOrg, Org, OrgEvent, OrgEventKind, OrgKind, OrgPath, PastOrg, Position, SizeCounts,
    SizeRules, SizeWarning, check_dissolve, check_merge, check_move, check_seat, parse_joint_units,
    size_warnings, term_years, tree_on,
};
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::people::{PersonStatus, check_seat_holder};
use dangjian_domain::platform::role::Action;
use dangjian_store::org::{self as store, OrgFilter};
use dangjian_store::people::{self as people_store, Movers, PersonFilter, PersonGroupBy};
use dangjian_store::position as position_store;
use serde_json::json;
use std::collections::HashMap;

/// The most organizations a past day's tree is drawn from.
pub const PAST_TREE_LIMIT: u64 = 3000;

capability!(
    /// 组织机构: the tree, committees and terms, moves, merges and splits.
    OrgCases,
    org
);

impl OrgCases<'_> {
    /// Founds the root of the tree (the university's party committee). Only the console may,
    /// and only once.
    pub async fn found_root(self, actor: &Actor, new: NewOrg) -> Result<Org> {
        if actor.account_id.is_some() {
            return Err(AppError::Forbidden("组织树的根由安装时的命令行建立"));
        }
        new.kind.check_parent(None)?;
        if store::root(self.store.db()).await?.is_some() {
            return Err(AppError::Conflict {
                field: "parent_id",
                message: "组织树已有根组织".to_owned(),
            });
        }
        let id = self.new_id();
        self.insert_org(actor, new, None, OrgPath::root(id), id)
            .await
    }

    /// Founds an organization under `parent_id`; the actor must manage organizations there.
    pub async fn found(self, actor: &Actor, parent_id: OrgId, new: NewOrg) -> Result<Org> {
        let parent = store::find(self.store.db(), &actor.access, Action::ReadOrg, parent_id)
            .await?
            .filter(Org::is_active)
            .ok_or_else(|| FieldError::new("parent_id", "上级组织", "上级组织不存在或已撤销"))?;
        new.kind.check_parent(Some(parent.kind))?;
        if !actor.access.can_at(Action::ManageOrg, &parent.path) {
            return Err(AppError::Forbidden("在该组织下建立组织"));
        }
        let id = self.new_id();
        self.insert_org(actor, new, Some(parent.id), parent.path.child(id), id)
            .await
    }

    async fn insert_org(
        self,
        actor: &Actor,
        new: NewOrg,
        parent_id: Option<OrgId>,
        path: OrgPath,
        id: OrgId,
    ) -> Result<Org> {
        let org = Org {
            id,
            parent_id,
            path,
            name: new.name,
            kind: new.kind,
            category: new.category,
            founded_on: new.founded_on,
            dissolved_on: None,
        };
        let tx = self.store.begin_write().await?;
        store::insert(&tx, &org, self.now_ms()).await?;
        let record = actor.record(
            dangjian_domain::org::trail::CREATE,
            Some(org.id.get()),
            Some(org.path.as_str()),
            None,
            Some(json!(org)),
        );
        self.finish(tx, record).await?;
        Ok(org)
    }

    /// One organization within the actor's scope.
    pub async fn get(self, actor: &Actor, id: OrgId) -> Result<Org> {
        store::find(self.store.db(), &actor.access, Action::ReadOrg, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn list(
        self,
        actor: &Actor,
        filter: &OrgFilter,
        paging: Paging,
    ) -> Result<Page<Org>> {
        Ok(store::list(self.store.db(), &actor.access, filter, paging).await?)
    }

    /// The way from the root to the organization, as far as the actor may see it.
    pub async fn ancestors(self, actor: &Actor, org: &Org) -> Result<Vec<Org>> {
        Ok(store::ancestors(self.store.db(), &actor.access, &org.path).await?)
    }

    /// The active sub-organizations, the first `limit` of them or all.
    pub async fn children(self, actor: &Actor, id: OrgId, limit: Option<u64>) -> Result<Vec<Org>> {
        Ok(store::children(self.store.db(), &actor.access, id, limit).await?)
    }

    /// The subtree of `root` as it stood on `day`: the organizations of that day under the
    /// parents of that day, for as many as the actor may see now.
    pub async fn tree_on(
        self,
        actor: &Actor,
        root: &Org,
        day: chrono::NaiveDate,
    ) -> Result<Vec<PastOrg>> {
        if day > self.today() {
            return Err(FieldError::new("as_of", "历史日期", "不能晚于今天").into());
        }
        let db = self.store.db();
        let moves = store::moves_after(db, day).await?;
        let moved: Vec<OrgId> = moves.iter().map(|e| e.org_id).collect();
        // What moved away since that day is outside today's subtree: read it too.
        let mut roots = vec![root.path.clone()];
        roots.extend(
            store::by_ids(db, &moved)
                .await?
                .into_values()
                .map(|o| o.path),
        );
        let orgs = store::subtrees(db, &actor.access, &roots, PAST_TREE_LIMIT + 1).await?;
        if orgs.len() as u64 > PAST_TREE_LIMIT {
            return Err(FieldError::new(
                "under",
                "范围",
                format!("组织超过 {PAST_TREE_LIMIT} 个，请选择更小的范围查看历史"),
            )
            .into());
        }
        Ok(tree_on(&orgs, &moves, root.id, day))
    }

    /// The highest organizations the actor may see: the roots of their scopes.
    pub async fn scope_roots(self, actor: &Actor) -> Result<Vec<Org>> {
        let mut roots = Vec::new();
        for path in actor.access.scopes(Action::ReadOrg) {
            if let Some(org) =
                store::find(self.store.db(), &actor.access, Action::ReadOrg, path.id()).await?
            {
                roots.push(org);
            }
        }
        Ok(roots)
    }
}

/// A seat of an organization's committee with its holder's name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommitteeSeat {
    #[serde(flatten)]
    pub seat: Seat,
    pub person_name: String,
}

/// What an organization's page shows besides the organization: its committee, its members'
/// counts and the warnings of the size rules.
#[derive(Debug, Clone)]
pub struct OrgOverview {
    pub committee: Vec<CommitteeSeat>,
    /// People of the subtree by status, in the order of `PersonStatus::ALL`.
    pub by_status: Vec<(PersonStatus, u64)>,
    pub members: u64,
    pub full_members: u64,
    pub warnings: Vec<SizeWarning>,
    /// Whether the reader may read the roster here.
    pub may_read_people: bool,
    /// The units it covers, if it is a 联合党支部.
    pub joint_units: Vec<String>,
}

/// What a reader may do at an organization (`OrgCases::permits`).
#[derive(Debug, Clone, Copy, Default)]
pub struct OrgPermits {
    /// Found organizations under it, move, merge, split or dissolve it, while it is active.
    pub manage: bool,
    /// Attach files to its record.
    pub upload: bool,
    /// Appoint and end its committee's seats, while it is active.
    pub appoint: bool,
    /// Keep its people's records: a branch (people belong to branches, 党章第二十九条).
    pub roster: bool,
    /// Register a person in its roster: an active branch.
    pub add_person: bool,
    /// Split it into two: an active branch.
    pub split: bool,
}

/// A branch that a size rule warns about.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BranchWarning {
    pub org: Org,
    pub members: u64,
    pub full_members: u64,
    pub warnings: Vec<SizeWarning>,
}

impl OrgCases<'_> {
    /// The sitting committee of an organization, with the holders' names.
    pub async fn committee(self, actor: &Actor, org: &Org) -> Result<Vec<CommitteeSeat>> {
        let db = self.store.db();
        let seats = position_store::committee(db, &actor.access, org.id).await?;
        let ids: Vec<PersonId> = seats.iter().map(|s| s.person_id).collect();
        let names = people_store::names(db, &ids).await?;
        Ok(seats
            .into_iter()
            .map(|seat| CommitteeSeat {
                person_name: names.get(&seat.person_id).cloned().unwrap_or_default(),
                seat,
            })
            .collect())
    }

    /// What the reader may do at `org`, for its page to offer; each use case checks its own
    /// part again when asked.
    pub fn permits(self, actor: &Actor, org: &Org) -> OrgPermits {
        let manage = actor.access.can_change(Action::ManageOrg, org);
        let write = actor.access.can_change(Action::WriteRecords, org);
        let branch = org.kind == OrgKind::Branch;
        // Files may still be added to a dissolved organization's record, and its people's
        // records kept.
        let write_any = actor.access.can_at(Action::WriteRecords, &org.path);
        OrgPermits {
            manage,
            upload: write_any,
            appoint: write,
            roster: write_any && branch,
            add_person: write && branch,
            split: manage && branch,
        }
    }

    pub async fn overview(self, actor: &Actor, org: &Org) -> Result<OrgOverview> {
        let db = self.store.db();
        let committee = self.committee(actor, org).await?;
        let may_read_people = actor.access.can_at(Action::ReadRecords, &org.path);
        let counts = if may_read_people {
            // A group's people are the members of its branch placed in it.
            let group = org.kind == OrgKind::Group;
            let filter = PersonFilter {
                under: (!group).then(|| org.path.clone()),
                group_id: group.then_some(org.id),
                ..Default::default()
            };
            people_store::count_by(db, &actor.access, &filter, PersonGroupBy::Status).await?
        } else {
            Vec::new()
        };
        let count = |s: PersonStatus| {
            counts
                .iter()
                .find(|(k, _)| k == s.code())
                .map_or(0, |(_, n)| *n)
        };
        let by_status: Vec<_> = PersonStatus::ALL.iter().map(|&s| (s, count(s))).collect();
        let full_members = count(PersonStatus::Full);
        let members = full_members + count(PersonStatus::Probationary);
        let joint_units = self.joint_units(actor, org).await?;
        let warnings = if may_read_people {
            let counts = SizeCounts {
                people: by_status.iter().map(|(_, n)| n).sum(),
                members,
                full_members,
                committee_size: committee.len() as u64,
                joint_units: joint_units.len() as u64,
            };
            size_warnings(org, counts, self.size_rules().await?)
        } else {
            Vec::new()
        };
        Ok(OrgOverview {
            committee,
            by_status,
            members,
            full_members,
            warnings,
            may_read_people,
            joint_units,
        })
    }

    /// The units `org` covers as a 联合党支部; none for a branch of one unit, and none asked
    /// of another kind (only a branch is a joint one).
    pub async fn joint_units(self, actor: &Actor, org: &Org) -> Result<Vec<String>> {
        if org.kind != OrgKind::Branch {
            return Ok(Vec::new());
        }
        Ok(store::joint_units_of(self.store.db(), &actor.access, org.id).await?)
    }

    /// Records the units a branch covers as a 联合党支部 (none: a branch of one unit); more
    /// than five is warned of, not refused (支部条例第四条: 一般不超过5个).
    pub async fn set_joint_units(
        self,
        actor: &Actor,
        id: OrgId,
        units: &[&str],
    ) -> Result<Vec<String>> {
        let org = self.manageable(actor, id, "org_id").await?;
        let units = parse_joint_units(org.kind, units.iter().copied())?;
        let before = self.joint_units(actor, &org).await?;
        let tx = self.store.begin_write().await?;
        store::set_joint_units(&tx, org.id, &units).await?;
        let audit = actor.record(
            dangjian_domain::org::trail::SET_JOINT_UNITS,
            Some(org.id.get()),
            Some(org.path.as_str()),
            Some(json!({ "joint_units": before })),
            Some(json!({ "joint_units": units })),
        );
        self.finish(tx, audit).await?;
        Ok(units)
    }

    async fn size_rules(self) -> Result<SizeRules> {
        let settings = self.settings().current().await?;
        Ok(SizeRules::in_force(&settings.on(self.today())))
    }

    /// Every active branch and party group of a subtree that a size rule warns about.
    pub async fn size_warning_list(self, actor: &Actor, under: &Org) -> Result<Vec<BranchWarning>> {
        // Counts are only true where the reader sees the roster.
        if !actor.access.can_at(Action::ReadRecords, &under.path) {
            return Err(AppError::Forbidden("查看支部规模"));
        }
        let db = self.store.db();
        let filter = PersonFilter {
            under: Some(under.path.clone()),
            members_only: true,
            ..Default::default()
        };
        let members: HashMap<String, u64> =
            people_store::count_by(db, &actor.access, &filter, PersonGroupBy::Org)
                .await?
                .into_iter()
                .collect();
        let full_filter = PersonFilter {
            status: Some(PersonStatus::Full),
            members_only: false,
            ..filter
        };
        let full: HashMap<String, u64> =
            people_store::count_by(db, &actor.access, &full_filter, PersonGroupBy::Org)
                .await?
                .into_iter()
                .collect();
        // A group's people are counted by their placement in it, whatever their status.
        let everyone = PersonFilter {
            members_only: false,
            status: None,
            ..full_filter.clone()
        };
        let in_group: HashMap<String, u64> =
            people_store::count_by(db, &actor.access, &everyone, PersonGroupBy::Group)
                .await?
                .into_iter()
                .collect();
        let full_in_group: HashMap<String, u64> =
            people_store::count_by(db, &actor.access, &full_filter, PersonGroupBy::Group)
                .await?
                .into_iter()
                .collect();
        let committees = position_store::committee_sizes(db, &actor.access, &under.path).await?;
        let joint = store::joint_units(db, &actor.access, &under.path).await?;
        let rules = self.size_rules().await?;
        let mut orgs = store::all_of_kind(db, &actor.access, &under.path, OrgKind::Branch).await?;
        orgs.extend(store::all_of_kind(db, &actor.access, &under.path, OrgKind::Group).await?);
        orgs.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(orgs
            .into_iter()
            .filter_map(|org| {
                let key = org.id.to_string();
                let get = |counts: &HashMap<String, u64>| counts.get(&key).copied().unwrap_or(0);
                let counts = if org.kind == OrgKind::Group {
                    SizeCounts {
                        people: get(&in_group),
                        members: 0,
                        full_members: get(&full_in_group),
                        committee_size: 0,
                        joint_units: 0,
                    }
                } else {
                    SizeCounts {
                        people: get(&members),
                        members: get(&members),
                        full_members: get(&full),
                        committee_size: committees.get(&org.id).copied().unwrap_or(0),
                        joint_units: joint.get(&org.id).map_or(0, |u| u.len() as u64),
                    }
                };
                let warnings = size_warnings(&org, counts, rules);
                (!warnings.is_empty()).then_some(BranchWarning {
                    members: counts.members.max(counts.people),
                    full_members: counts.full_members,
                    org,
                    warnings,
                })
            })
            .collect())
    }

    /// Organizations whose secretary's term ends within `days` (换届 due), soonest first.
    pub async fn terms_ending(
        self,
        actor: &Actor,
        under: &Org,
        days: u32,
    ) -> Result<Vec<(Org, CommitteeSeat)>> {
        let db = self.store.db();
        let by = self.today() + chrono::Duration::days(i64::from(days));
        let seats = position_store::terms_ending(db, &actor.access, &under.path, by).await?;
        let names =
            people_store::names(db, &seats.iter().map(|s| s.person_id).collect::<Vec<_>>()).await?;
        let orgs = store::by_ids(db, &seats.iter().map(|s| s.org_id).collect::<Vec<_>>()).await?;
        Ok(seats
            .into_iter()
            .filter_map(|seat| {
                let org = orgs.get(&seat.org_id)?.clone();
                Some((
                    org,
                    CommitteeSeat {
                        person_name: names.get(&seat.person_id).cloned().unwrap_or_default(),
                        seat,
                    },
                ))
            })
            .collect())
    }
}

/// Someone in the roster of a past day, with the status and branch of that day.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PastMember {
    pub name: String,
    pub status: PersonStatus,
    pub org_name: String,
}

/// An event of an organization's history, with the names of the organizations it names.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrgEventView {
    #[serde(flatten)]
    pub event: OrgEvent,
    pub from_parent: Option<String>,
    pub to_parent: Option<String>,
    pub other: Option<String>,
}

impl OrgCases<'_> {
    /// The organization for a change of the tree: found in scope, active, and manageable
    /// both where it is and (for the target) where it goes.
    async fn manageable(self, actor: &Actor, id: OrgId, field: &'static str) -> Result<Org> {
        let org = store::find(self.store.db(), &actor.access, Action::ReadOrg, id)
            .await?
            .filter(Org::is_active)
            .ok_or_else(|| FieldError::new(field, "组织", "组织不存在或已撤销"))?;
        if !actor.access.can_at(Action::ManageOrg, &org.path) {
            return Err(AppError::Forbidden("调整该组织"));
        }
        Ok(org)
    }

    /// Records what happened; `parents` is the parent before and after.
    async fn record_event(
        self,
        tx: &dangjian_store::WriteTx,
        org: &Org,
        kind: OrgEventKind,
        (from_parent_id, to_parent_id): (Option<OrgId>, Option<OrgId>),
        other_org_id: Option<OrgId>,
        note: &str,
    ) -> Result<OrgEvent> {
        let event = OrgEvent {
            id: self.new_id(),
            org_id: org.id,
            kind,
            on_date: self.today(),
            from_parent_id,
            to_parent_id,
            other_org_id,
            note: note.to_owned(),
        };
        store::insert_event(tx, &event, self.now_ms()).await?;
        Ok(event)
    }

    /// Moves an organization with its whole subtree and members under another parent.
    pub async fn move_org(self, actor: &Actor, id: OrgId, new_parent_id: OrgId) -> Result<Org> {
        let org = self.manageable(actor, id, "org_id").await?;
        let parent = self.manageable(actor, new_parent_id, "parent_id").await?;
        check_move(&org, &parent)?;
        let new_path = parent.path.child(org.id);
        let tx = self.store.begin_write().await?;
        store::set_parent(&tx, org.id, parent.id).await?;
        store::rewrite_paths(&tx, &org.path, &new_path).await?;
        let event = self
            .record_event(
                &tx,
                &org,
                OrgEventKind::Moved,
                (org.parent_id, Some(parent.id)),
                None,
                &format!("调整到{}之下", parent.name),
            )
            .await?;
        let moved = Org {
            parent_id: Some(parent.id),
            path: new_path,
            ..org.clone()
        };
        let audit = actor.record(
            dangjian_domain::org::trail::MOVE,
            Some(org.id.get()),
            Some(moved.path.as_str()),
            Some(json!(org)),
            Some(json!({ "org": moved, "event": event })),
        );
        self.finish(tx, audit).await?;
        Ok(moved)
    }

    /// Merges one organization into another of its kind: its members and groups go there,
    /// its committee steps down, and it is dissolved.
    pub async fn merge(self, actor: &Actor, from_id: OrgId, into_id: OrgId) -> Result<Org> {
        let from = self.manageable(actor, from_id, "org_id").await?;
        let into = self.manageable(actor, into_id, "into_id").await?;
        check_merge(&from, &into)?;
        let db = self.store.db();
        let today = self.today();
        let people = people_store::current_of_org(db, from.id).await?;
        let children = store::children(db, &actor.access, from.id, None).await?;
        let reason = format!("{}并入{}", from.name, into.name);
        let periods: Vec<_> = people
            .iter()
            .map(|(pid, status)| {
                self.people().period_from_today(
                    *pid,
                    (into.id, &into.path),
                    *status,
                    reason.clone(),
                )
            })
            .collect();
        let tx = self.store.begin_write().await?;
        people_store::move_people(
            &tx,
            Movers::AllOf(from.id),
            (into.id, &into.path),
            &periods,
            self.now_ms(),
        )
        .await?;
        for child in &children {
            store::set_parent(&tx, child.id, into.id).await?;
            store::rewrite_paths(&tx, &child.path, &into.path.child(child.id)).await?;
        }
        position_store::end_all(&tx, from.id, today).await?;
        store::dissolve(&tx, from.id, today).await?;
        self.record_event(
            &tx,
            &from,
            OrgEventKind::MergedInto,
            (None, None),
            Some(into.id),
            &format!("并入{}，党员 {} 名随之转入", into.name, people.len()),
        )
        .await?;
        self.record_event(
            &tx,
            &into,
            OrgEventKind::Absorbed,
            (None, None),
            Some(from.id),
            &format!("{}并入本组织", from.name),
        )
        .await?;
        let audit = actor.record(
            dangjian_domain::org::trail::MERGE,
            Some(from.id.get()),
            Some(from.path.as_str()),
            Some(json!(from)),
            Some(json!({ "into": into.id, "people": people.len(), "groups": children.len() })),
        );
        self.finish(tx, audit).await?;
        Ok(into)
    }

    /// Dissolves an organization that has no active sub-organizations and no members left.
    pub async fn dissolve(self, actor: &Actor, id: OrgId) -> Result<Org> {
        let org = self.manageable(actor, id, "org_id").await?;
        let db = self.store.db();
        check_dissolve(
            &org,
            store::has_active_children(db, org.id).await?,
            people_store::current_of_org(db, org.id).await?.len(),
        )?;
        let today = self.today();
        let tx = self.store.begin_write().await?;
        position_store::end_all(&tx, org.id, today).await?;
        store::dissolve(&tx, org.id, today).await?;
        self.record_event(
            &tx,
            &org,
            OrgEventKind::Dissolved,
            (org.parent_id, None),
            None,
            "撤销",
        )
        .await?;
        let dissolved = Org {
            dissolved_on: Some(today),
            ..org.clone()
        };
        let audit = actor.record(
            dangjian_domain::org::trail::DISSOLVE,
            Some(org.id.get()),
            Some(org.path.as_str()),
            Some(json!(org)),
            Some(json!(dissolved)),
        );
        self.finish(tx, audit).await?;
        Ok(dissolved)
    }

    /// The one active organization with exactly this name (of a kind), as a person typed it;
    /// `field` names the form field in the error.
    pub async fn named(
        self,
        name: &str,
        kind: Option<OrgKind>,
        (field, label): (&'static str, &'static str),
    ) -> Result<Org> {
        let name = name.trim();
        let mut found: Vec<Org> = store::choices(self.store.db(), name, kind, 200)
            .await?
            .into_iter()
            .filter(|o| o.name == name)
            .collect();
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(FieldError::new(field, label, "找不到该名称的组织").into()),
            _ => Err(FieldError::new(field, label, "有多个同名组织，请联系组织部").into()),
        }
    }

    /// An organization's history, with names.
    pub async fn events(self, org: &Org) -> Result<Vec<OrgEventView>> {
        let db = self.store.db();
        let events = store::events(db, org.id).await?;
        let ids: Vec<OrgId> = events
            .iter()
            .flat_map(|e| [e.from_parent_id, e.to_parent_id, e.other_org_id])
            .flatten()
            .collect();
        let names = store::by_ids(db, &ids).await?;
        let name = |id: Option<OrgId>| id.and_then(|id| names.get(&id)).map(|o| o.name.clone());
        Ok(events
            .into_iter()
            .map(|event| OrgEventView {
                from_parent: name(event.from_parent_id),
                to_parent: name(event.to_parent_id),
                other: name(event.other_org_id),
                event,
            })
            .collect())
    }

    /// The people who belonged to an organization's subtree on a past day, with the status
    /// they had then.
    pub async fn members_on(
        self,
        actor: &Actor,
        org: &Org,
        on: chrono::NaiveDate,
    ) -> Result<Vec<PastMember>> {
        let db = self.store.db();
        let periods = people_store::members_on(db, &actor.access, &org.path, on).await?;
        let names =
            people_store::names(db, &periods.iter().map(|p| p.person_id).collect::<Vec<_>>())
                .await?;
        let orgs = store::by_ids(db, &periods.iter().map(|p| p.org_id).collect::<Vec<_>>()).await?;
        Ok(periods
            .into_iter()
            .map(|p| PastMember {
                name: names.get(&p.person_id).cloned().unwrap_or_default(),
                status: p.status,
                org_name: orgs
                    .get(&p.org_id)
                    .map_or_else(String::new, |o| o.name.clone()),
            })
            .collect())
    }
}

impl OrgCases<'_> {
    /// Records an elected or appointed seat on an organization's committee: the holder is a
    /// full member of the organization's subtree; the term runs the usual length from `start`.
    pub async fn appoint(
        self,
        actor: &Actor,
        org_id: OrgId,
        person_id: PersonId,
        position: Position,
        start: chrono::NaiveDate,
    ) -> Result<Seat> {
        let db = self.store.db();
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_change(Action::WriteRecords, &org) {
            return Err(AppError::Forbidden("登记该组织的委员会"));
        }
        let holder = people_store::find(db, &actor.access, Action::ReadRecords, person_id)
            .await?
            .filter(|p| org.path.contains(&p.org_path) && p.person.left_on.is_none())
            .ok_or_else(|| {
                FieldError::new("person_id", "人员", "应为本组织（含下级）名册中的人员")
            })?;
        if start > self.today() {
            return Err(FieldError::new("term_start", "任期开始", "不能晚于今天").into());
        }
        // Read under the write lock, so that two appointments at once cannot both find the
        // seat free.
        let tx = self.store.begin_write().await?;
        let sitting = position_store::committee(tx.conn(), &actor.access, org.id).await?;
        let full = people_store::count(
            tx.conn(),
            &actor.access,
            &PersonFilter {
                under: Some(org.path.clone()),
                status: Some(PersonStatus::Full),
                ..Default::default()
            },
        )
        .await?;
        let positions: Vec<Position> = sitting.iter().map(|s| s.position).collect();
        let disciplined = !self
            .people()
            .on_probation_discipline(&[person_id], self.today())
            .await?
            .is_empty();
        let suspended =
            !dangjian_store::whereabouts::suspended_among(tx.conn(), &[person_id], self.today())
                .await?
                .is_empty();
        check_seat_holder(holder.person.status, disciplined, suspended)?;
        check_seat(org.kind, position, full, &positions)?;
        let years = term_years(org.kind);
        let seat = Seat {
            id: self.new_id(),
            org_id: org.id,
            org_path: org.path.clone(),
            person_id,
            position,
            term_start: start,
            term_end: start
                .checked_add_months(chrono::Months::new(years * 12))
                .unwrap_or(start),
            left_on: None,
        };
        position_store::insert_many(&tx, std::slice::from_ref(&seat), self.now_ms()).await?;
        let audit = actor.record(
            dangjian_domain::org::trail::APPOINT,
            Some(org.id.get()),
            Some(org.path.as_str()),
            None,
            Some(json!({ "seat": seat, "name": holder.person.name })),
        );
        self.finish(tx, audit).await?;
        Ok(seat)
    }

    /// Ends the seats of people who leave the organizations they sit for: all of them when
    /// they leave the university or may no longer be elected (`now_under` none), else those of
    /// organizations that do not hold their new one. A seat ends when its holder leaves (RULES.md §2); the ended seats
    /// are returned for the act's audit record.
    pub(crate) async fn end_seats_of_leavers(
        self,
        tx: &dangjian_store::WriteTx,
        people: &[PersonId],
        now_under: Option<&OrgPath>,
    ) -> Result<Vec<Seat>> {
        let today = self.today();
        let ended: Vec<Seat> = position_store::sitting_of(tx.conn(), people)
            .await?
            .into_iter()
            .filter(|s| s.ends_when_holder_leaves_for(now_under))
            .map(|s| Seat {
                left_on: Some(today),
                ..s
            })
            .collect();
        let ids: Vec<i64> = ended.iter().map(|s| s.id).collect();
        position_store::end_seats(tx, &ids, today).await?;
        Ok(ended)
    }

    /// Ends a sitting seat (免职, or the end of a term at 换届).
    pub async fn end_seat(self, actor: &Actor, seat_id: i64) -> Result<Seat> {
        let seat = position_store::find(self.store.db(), &actor.access, seat_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.access.can_at(Action::WriteRecords, &seat.org_path) {
            return Err(AppError::Forbidden("登记该组织的委员会"));
        }
        let today = self.today();
        let tx = self.store.begin_write().await?;
        if !position_store::end_seat(&tx, seat_id, today).await? {
            return Err(AppError::Conflict {
                field: "seat",
                message: "该职务已免去".to_owned(),
            });
        }
        let ended = Seat {
            left_on: Some(today),
            ..seat.clone()
        };
        let audit = actor.record(
            dangjian_domain::org::trail::END_SEAT,
            Some(seat.org_id.get()),
            Some(seat.org_path.as_str()),
            Some(json!(seat)),
            Some(json!(ended)),
        );
        self.finish(tx, audit).await?;
        Ok(ended)
    }
}

impl OrgCases<'_> {
    /// Splits a branch: founds a new one beside it (same parent and category) and moves the
    /// chosen people there, each with a new period of history.
    pub async fn split(
        self,
        actor: &Actor,
        org_id: OrgId,
        new_name: &str,
        person_ids: &[PersonId],
    ) -> Result<Org> {
        let org = self.manageable(actor, org_id, "org_id").await?;
        if org.kind != OrgKind::Branch {
            return Err(FieldError::new("org_id", "组织", "只有党支部可以分设").into());
        }
        let name = dangjian_domain::org::parse_name(new_name)?;
        let db = self.store.db();
        let current = people_store::current_of_org(db, org.id).await?;
        let chosen: Vec<(PersonId, PersonStatus)> = current
            .iter()
            .copied()
            .filter(|(id, _)| person_ids.contains(id))
            .collect();
        if chosen.is_empty() || chosen.len() != person_ids.len() {
            return Err(FieldError::new(
                "person_ids",
                "分出的人员",
                "请从本支部名册中选择要分出的人员",
            )
            .into());
        }
        if chosen.len() == current.len() {
            return Err(FieldError::new(
                "person_ids",
                "分出的人员",
                "不能分出全部人员，请改用调整或合并",
            )
            .into());
        }
        let parent_id = org
            .parent_id
            .ok_or_else(|| FieldError::new("org_id", "组织", "根组织不能分设"))?;
        let parent = store::find_for_check(db, parent_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let id = self.new_id();
        let new = Org {
            id,
            parent_id: Some(parent.id),
            path: parent.path.child(id),
            name,
            kind: OrgKind::Branch,
            category: org.category,
            founded_on: Some(self.today()),
            dissolved_on: None,
        };
        let reason = format!("由{}分设", org.name);
        let periods: Vec<_> = chosen
            .iter()
            .map(|(pid, status)| {
                self.people()
                    .period_from_today(*pid, (new.id, &new.path), *status, reason.clone())
            })
            .collect();
        let ids: Vec<PersonId> = chosen.iter().map(|(id, _)| *id).collect();
        let tx = self.store.begin_write().await?;
        store::insert(&tx, &new, self.now_ms()).await?;
        people_store::move_people(
            &tx,
            Movers::Ids(&ids),
            (new.id, &new.path),
            &periods,
            self.now_ms(),
        )
        .await?;
        let seats_ended = self
            .end_seats_of_leavers(&tx, &ids, Some(&new.path))
            .await?;
        let note = format!("分设出{}，党员 {} 名随之转入", new.name, ids.len());
        self.record_event(
            &tx,
            &org,
            OrgEventKind::SplitOff,
            (None, None),
            Some(new.id),
            &note,
        )
        .await?;
        let from = format!("由{}分设", org.name);
        self.record_event(
            &tx,
            &new,
            OrgEventKind::SplitFrom,
            (None, Some(parent.id)),
            Some(org.id),
            &from,
        )
        .await?;
        let audit = actor.record(
            dangjian_domain::org::trail::SPLIT,
            Some(org.id.get()),
            Some(org.path.as_str()),
            None,
            Some(json!({ "new": new, "people": ids, "seats_ended": seats_ended })),
        );
        self.finish(tx, audit).await?;
        Ok(new)
    }
}

/// An act's audit record with the seats it ended beside it, where it ended any.
pub(crate) fn with_seats_ended(
    mut after: serde_json::Value,
    seats: &[dangjian_domain::org::Seat],
) -> serde_json::Value {
    if !seats.is_empty() {
        after["seats_ended"] = json!(seats);
    }
    after
}
