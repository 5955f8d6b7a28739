//! Accounts and grants, kept by the security admin (and the console).

use crate::{Actor, AppError, Result, secret};
use dangjian_domain::FieldError;
use dangjian_domain::ids::{AccountId, OrgId};
use dangjian_domain::org::Org;
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::platform::account::{
    Account, GrantRecord, Username, check_password, parse_display_name,
};
use dangjian_domain::platform::role::{Action, Grant, Role};
use dangjian_store::account::{self as store, NewAccount};
use serde_json::json;

/// An account with its grants, for the security admin's pages.
#[derive(Debug, Clone)]
pub struct AccountDetail {
    pub account: Account,
    pub grants: Vec<GrantRecord>,
}

fn require_accounts(actor: &Actor) -> Result<()> {
    if actor.access.can(Action::ManageAccounts) {
        Ok(())
    } else {
        Err(AppError::Forbidden("账号与授权由安全管理员管理"))
    }
}

capability!(
    /// 账号、激活与登录: accounts, grants, activation codes, sessions, API tokens.
    AccountCases,
    accounts
);

impl AccountCases<'_> {
    /// Creates an account. Without a password a temporary one is made, which must be changed
    /// at first sign-in; it is returned to be handed over once.
    pub async fn create(
        self,
        actor: &Actor,
        username: &str,
        display_name: &str,
        password: Option<&str>,
        is_demo: bool,
    ) -> Result<(Account, String)> {
        let username = Username::parse(username)?;
        let display_name = parse_display_name(display_name)?;
        let (password, must_change) = match password {
            // Demo accounts keep the password printed at start, whatever it is.
            Some(p) if is_demo && !p.is_empty() => (p.to_owned(), false),
            Some(p) => {
                check_password(p, username.as_str(), &display_name, "password")?;
                (p.to_owned(), true)
            }
            None => (secret::temporary_password(), true),
        };
        require_accounts(actor)?;
        if store::find_by_username(self.store.db(), username.as_str())
            .await?
            .is_some()
        {
            return Err(AppError::Conflict {
                field: "username",
                message: "用户名已被使用".to_owned(),
            });
        }
        let hash = secret::hash_password_off_thread(password.clone()).await?;
        let id = self.new_id();
        let tx = self.store.begin_write().await?;
        store::insert(
            &tx,
            NewAccount {
                id,
                username: username.as_str(),
                display_name: &display_name,
                password_hash: &hash,
                must_change_password: must_change,
                is_demo,
            },
            self.now_ms(),
        )
        .await?;
        let record = actor.record(
                dangjian_domain::platform::audit::trail::CREATE_ACCOUNT,
            Some(id.get()),
            None,
            None,
            Some(json!({ "username": username.as_str(), "display_name": display_name, "is_demo": is_demo })),
        );
        self.finish(tx, record).await?;
        let account = store::find(self.store.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((account, password))
    }

    pub async fn list(
        self,
        actor: &Actor,
        name: &str,
        paging: Paging,
    ) -> Result<Page<AccountDetail>> {
        require_accounts(actor)?;
        let page = store::list(self.store.db(), name.trim(), paging).await?;
        let ids: Vec<AccountId> = page.items.iter().map(|a| a.id).collect();
        let grants = store::grants_of(self.store.db(), &ids).await?;
        Ok(Page {
            total: page.total,
            items: page
                .items
                .into_iter()
                .map(|account| AccountDetail {
                    grants: grants
                        .iter()
                        .filter(|g| g.user_id == account.id)
                        .cloned()
                        .collect(),
                    account,
                })
                .collect(),
        })
    }

    pub async fn get(self, actor: &Actor, id: AccountId) -> Result<AccountDetail> {
        require_accounts(actor)?;
        let account = store::find(self.store.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let grants = store::grants_of(self.store.db(), &[id]).await?;
        Ok(AccountDetail { account, grants })
    }

    /// Finds an account by name; the console addresses accounts this way.
    pub async fn by_username(self, actor: &Actor, username: &str) -> Result<AccountDetail> {
        require_accounts(actor)?;
        let username = Username::parse(username)?;
        let account = store::find_by_username(self.store.db(), username.as_str())
            .await?
            .ok_or(AppError::NotFound)?;
        self.get(actor, account.id).await
    }

    /// One's own account with its grants.
    pub async fn own(self, actor: &Actor) -> Result<AccountDetail> {
        let id = actor.account_id.ok_or(AppError::NotFound)?;
        let account = store::find(self.store.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let grants = store::grants_of(self.store.db(), &[id]).await?;
        Ok(AccountDetail { account, grants })
    }

    /// Sets a new temporary password, to be changed at the next sign-in; ends the account's
    /// sessions and API tokens and lifts any lock.
    pub async fn reset_password(self, actor: &Actor, id: AccountId) -> Result<String> {
        require_accounts(actor)?;
        let account = store::find(self.store.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let password = secret::temporary_password();
        let hash = secret::hash_password_off_thread(password.clone()).await?;
        let tx = self.store.begin_write().await?;
        store::set_password(&tx, id, &hash, !account.is_demo, self.now_ms()).await?;
        store::end_sign_ins_of(&tx, id, None, self.now_ms()).await?;
        let record = actor.record(
            dangjian_domain::platform::audit::trail::RESET_PASSWORD,
            Some(id.get()),
            None,
            None,
            None,
        );
        self.finish(tx, record).await?;
        Ok(password)
    }

    pub async fn set_account_disabled(
        self,
        actor: &Actor,
        id: AccountId,
        disabled: bool,
    ) -> Result<()> {
        require_accounts(actor)?;
        if actor.account_id == Some(id) && disabled {
            return Err(AppError::Rule {
                code: dangjian_domain::RuleCode::PlatformCannotDisableSelf,
                field: None,
                message: "不能停用自己的账号".to_owned(),
                basis: "防止安全管理员失去管理入口",
            });
        }
        let account = store::find(self.store.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let tx = self.store.begin_write().await?;
        store::set_disabled(&tx, id, disabled).await?;
        if disabled {
            store::end_sign_ins_of(&tx, id, None, self.now_ms()).await?;
        }
        let record = actor.record(
            if disabled {
                dangjian_domain::platform::audit::trail::DISABLE
            } else {
                dangjian_domain::platform::audit::trail::ENABLE
            },
            Some(id.get()),
            None,
            Some(json!({ "disabled": account.disabled })),
            Some(json!({ "disabled": disabled })),
        );
        self.finish(tx, record).await
    }

    /// Grants a role on an organization's subtree (or a platform duty, on none).
    pub async fn grant(
        self,
        actor: &Actor,
        user_id: AccountId,
        role: &str,
        org_id: Option<OrgId>,
    ) -> Result<GrantRecord> {
        let role =
            Role::parse(role).ok_or_else(|| FieldError::new("role", "角色", "请选择角色"))?;
        require_accounts(actor)?;
        let db = self.store.db();
        let target = store::find(db, user_id).await?.ok_or(AppError::NotFound)?;
        let org: Option<Org> = match org_id {
            Some(id) => Some(
                dangjian_store::org::find_for_check(db, id)
                    .await?
                    .filter(Org::is_active)
                    .ok_or_else(|| FieldError::new("org_id", "组织", "组织不存在或已撤销"))?,
            ),
            None => None,
        };
        let held: Vec<Role> = store::grants_of(db, &[user_id])
            .await?
            .into_iter()
            .filter(|g| g.org_id == org_id || g.role.is_platform_duty() || role.is_platform_duty())
            .map(|g| g.role)
            .collect();
        if held.contains(&role) && !role.is_platform_duty() {
            return Err(AppError::Conflict {
                field: "role",
                message: "该账号在此组织已有此角色".to_owned(),
            });
        }
        Grant::check(role, org.as_ref().map(|o| o.kind), &held)?;
        let id = self.new_id();
        let tx = self.store.begin_write().await?;
        store::insert_grant(&tx, id, user_id, role, org_id, self.now_ms()).await?;
        let record = actor.record(
            dangjian_domain::platform::audit::trail::GRANT_CREATE,
            Some(id),
            org.as_ref().map(|o| o.path.as_str()),
            None,
            Some(json!({ "username": target.username, "role": role.code(), "org_id": org_id })),
        );
        self.finish(tx, record).await?;
        store::grants_of(db, &[user_id])
            .await?
            .into_iter()
            .find(|g| g.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Revokes a grant; returns the account that held it.
    pub async fn revoke_grant(self, actor: &Actor, grant_id: i64) -> Result<AccountId> {
        require_accounts(actor)?;
        let tx = self.store.begin_write().await?;
        let owner = store::grant_owner(tx.conn(), grant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let grant = store::grants_of(tx.conn(), &[owner])
            .await?
            .into_iter()
            .find(|g| g.id == grant_id)
            .ok_or(AppError::NotFound)?;
        store::delete_grant(&tx, grant_id).await?;
        let record = actor.record(
                dangjian_domain::platform::audit::trail::GRANT_REVOKE,
            Some(grant_id),
            grant.org_path.as_deref(),
            Some(json!({ "user_id": grant.user_id, "role": grant.role.code(), "org_id": grant.org_id })),
            None,
        );
        self.finish(tx, record).await?;
        Ok(owner)
    }

    /// Organizations to choose from when granting: names and kinds only.
    pub async fn org_choices(self, actor: &Actor, name: &str) -> Result<Vec<Org>> {
        require_accounts(actor)?;
        Ok(dangjian_store::org::choices(self.store.db(), name.trim(), None, 200).await?)
    }
}
