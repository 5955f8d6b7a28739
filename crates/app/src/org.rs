//! The organization tree: founding organizations and reading them within scope.

use crate::{Actor, App, AppError, Result};
use dangjian_domain::FieldError;
use dangjian_domain::org::{NewOrg, Org, OrgKind, OrgPath, SizeWarning, size_warnings};
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::people::PersonStatus;
use dangjian_domain::platform::role::Action;
use dangjian_store::org::{self as store, OrgFilter};
use dangjian_store::people::{self as people_store, PersonFilter, PersonGroupBy};
use dangjian_store::position::{self as position_store, Seat};
use serde_json::json;
use std::collections::HashMap;

impl App {
    /// Founds the root of the tree (the university's party committee). Only the console may,
    /// and only once.
    pub async fn found_root(&self, actor: &Actor, new: NewOrg) -> Result<Org> {
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
    pub async fn found_org(&self, actor: &Actor, parent_id: i64, new: NewOrg) -> Result<Org> {
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
        &self,
        actor: &Actor,
        new: NewOrg,
        parent_id: Option<i64>,
        path: OrgPath,
        id: i64,
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
            "org.create",
            "org",
            Some(org.id),
            Some(org.path.as_str()),
            None,
            Some(json!(org)),
        );
        self.finish(tx, record).await?;
        Ok(org)
    }

    /// One organization within the actor's scope.
    pub async fn org(&self, actor: &Actor, id: i64) -> Result<Org> {
        store::find(self.store.db(), &actor.access, Action::ReadOrg, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn orgs(
        &self,
        actor: &Actor,
        filter: &OrgFilter,
        paging: Paging,
    ) -> Result<Page<Org>> {
        Ok(store::list(self.store.db(), &actor.access, filter, paging).await?)
    }

    /// The way from the root to the organization, as far as the actor may see it.
    pub async fn org_ancestors(&self, actor: &Actor, org: &Org) -> Result<Vec<Org>> {
        Ok(store::ancestors(self.store.db(), &actor.access, &org.path).await?)
    }

    pub async fn org_children(&self, actor: &Actor, id: i64) -> Result<Vec<Org>> {
        Ok(store::children(self.store.db(), &actor.access, id).await?)
    }

    /// The highest organizations the actor may see: the roots of their scopes.
    pub async fn scope_roots(&self, actor: &Actor) -> Result<Vec<Org>> {
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
}

/// A branch that a size rule warns about.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BranchWarning {
    pub org: Org,
    pub members: u64,
    pub full_members: u64,
    pub warnings: Vec<SizeWarning>,
}

impl App {
    pub async fn org_overview(&self, actor: &Actor, org: &Org) -> Result<OrgOverview> {
        let db = self.store.db();
        let seats = position_store::committee(db, &actor.access, org.id).await?;
        let ids: Vec<i64> = seats.iter().map(|s| s.person_id).collect();
        let names = people_store::names(db, &ids).await?;
        let committee = seats
            .into_iter()
            .map(|seat| CommitteeSeat {
                person_name: names.get(&seat.person_id).cloned().unwrap_or_default(),
                seat,
            })
            .collect::<Vec<_>>();
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
        let warnings = if may_read_people {
            size_warnings(org.kind, members, full_members, committee.len() as u64)
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
        })
    }

    /// Every active branch of a subtree that a size rule warns about.
    pub async fn size_warning_list(
        &self,
        actor: &Actor,
        under: &Org,
    ) -> Result<Vec<BranchWarning>> {
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
        let committees = position_store::committee_sizes(db, &actor.access, &under.path).await?;
        let branches = store::all_of_kind(db, &actor.access, &under.path, OrgKind::Branch).await?;
        Ok(branches
            .into_iter()
            .filter_map(|org| {
                let key = org.id.to_string();
                let m = members.get(&key).copied().unwrap_or(0);
                let f = full.get(&key).copied().unwrap_or(0);
                let c = committees.get(&org.id).copied().unwrap_or(0);
                let warnings = size_warnings(org.kind, m, f, c);
                (!warnings.is_empty()).then_some(BranchWarning {
                    org,
                    members: m,
                    full_members: f,
                    warnings,
                })
            })
            .collect())
    }

    /// Organizations whose secretary's term ends within `days` (换届 due), soonest first.
    pub async fn terms_ending(
        &self,
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
