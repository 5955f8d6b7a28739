//! The organization tree: founding organizations and reading them within scope.

use crate::{Actor, App, AppError, Result};
use dangjian_domain::FieldError;
use dangjian_domain::org::{NewOrg, Org, OrgPath};
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::platform::role::Action;
use dangjian_store::org::{self as store, OrgFilter};
use serde_json::json;

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
