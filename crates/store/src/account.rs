//! Accounts, their grants, sessions and API tokens.

use crate::{Result, StoreError, WriteTx};
use chrono::{DateTime, Utc};
use dangjian_domain::clock::from_unix_ms as from_ms;
use dangjian_domain::ids::{AccountId, OrgId};
use dangjian_domain::org::OrgPath;
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::platform::account::{Account, ApiToken, GrantRecord};
use dangjian_domain::platform::role::{Access, Grant, Role};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use std::collections::HashMap;

pub(crate) mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub username: String,
        pub display_name: String,
        pub password_hash: String,
        pub must_change_password: bool,
        pub is_demo: bool,
        pub disabled: bool,
        pub failed_attempts: i32,
        pub locked_until: Option<i64>,
        pub created_at: i64,
        pub password_changed_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod grant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "grants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub user_id: i64,
        pub role: String,
        pub org_id: Option<i64>,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub user_id: i64,
        pub csrf_token: String,
        pub created_at: i64,
        pub last_seen_at: i64,
        pub client_ip: Option<String>,
        pub user_agent: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod api_token {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub user_id: i64,
        pub name: String,
        pub token_hash: String,
        pub prefix: String,
        pub created_at: i64,
        pub last_used_at: Option<i64>,
        pub revoked_at: Option<i64>,
        pub expires_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn to_account(m: user::Model) -> Account {
    Account {
        id: AccountId::new(m.id),
        username: m.username,
        display_name: m.display_name,
        must_change_password: m.must_change_password,
        is_demo: m.is_demo,
        disabled: m.disabled,
        failed_attempts: u32::try_from(m.failed_attempts).unwrap_or(0),
        locked_until: m.locked_until.map(from_ms),
        created_at: from_ms(m.created_at),
    }
}

/// A new account as it is written.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub id: AccountId,
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub is_demo: bool,
}

pub async fn insert(tx: &WriteTx, a: NewAccount<'_>, now_ms: i64) -> Result<()> {
    user::ActiveModel {
        id: Set(a.id.get()),
        username: Set(a.username.to_owned()),
        display_name: Set(a.display_name.to_owned()),
        password_hash: Set(a.password_hash.to_owned()),
        must_change_password: Set(a.must_change_password),
        is_demo: Set(a.is_demo),
        disabled: Set(false),
        failed_attempts: Set(0),
        locked_until: Set(None),
        created_at: Set(now_ms),
        password_changed_at: Set(None),
    }
    .insert(tx.conn())
    .await
    .map_err(|e| StoreError::from_insert(e, "username"))?;
    Ok(())
}

pub async fn find<C: ConnectionTrait>(db: &C, id: AccountId) -> Result<Option<Account>> {
    Ok(user::Entity::find_by_id(id.get())
        .one(db)
        .await?
        .map(to_account))
}

pub async fn find_by_username<C: ConnectionTrait>(
    db: &C,
    username: &str,
) -> Result<Option<Account>> {
    Ok(user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .map(to_account))
}

/// The account and its password hash, for signing in.
pub async fn credentials<C: ConnectionTrait>(
    db: &C,
    username: &str,
) -> Result<Option<(Account, String)>> {
    Ok(user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .map(|m| {
            let hash = m.password_hash.clone();
            (to_account(m), hash)
        }))
}

pub async fn password_hash<C: ConnectionTrait>(db: &C, id: AccountId) -> Result<Option<String>> {
    Ok(user::Entity::find_by_id(id.get())
        .one(db)
        .await?
        .map(|m| m.password_hash))
}

pub async fn list<C: ConnectionTrait>(db: &C, name: &str, paging: Paging) -> Result<Page<Account>> {
    let mut q = user::Entity::find();
    if !name.is_empty() {
        q = q.filter(
            sea_orm::Condition::any()
                .add(crate::search::contains(user::Column::Username, name))
                .add(crate::search::contains(user::Column::DisplayName, name)),
        );
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(user::Column::Username)
        .offset(paging.offset())
        .limit(paging.per_page)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(to_account).collect(),
        total,
    })
}

/// Records a sign-in failure or success: the failure count and the lock.
pub async fn set_failures(
    tx: &WriteTx,
    id: AccountId,
    failures: u32,
    locked_until: Option<DateTime<Utc>>,
) -> Result<()> {
    user::ActiveModel {
        id: Set(id.get()),
        failed_attempts: Set(i32::try_from(failures).unwrap_or(i32::MAX)),
        locked_until: Set(locked_until.map(|t| t.timestamp_millis())),
        ..Default::default()
    }
    .update(tx.conn())
    .await?;
    Ok(())
}

pub async fn set_password(
    tx: &WriteTx,
    id: AccountId,
    hash: &str,
    must_change: bool,
    now_ms: i64,
) -> Result<()> {
    user::ActiveModel {
        id: Set(id.get()),
        password_hash: Set(hash.to_owned()),
        must_change_password: Set(must_change),
        password_changed_at: Set(Some(now_ms)),
        failed_attempts: Set(0),
        locked_until: Set(None),
        ..Default::default()
    }
    .update(tx.conn())
    .await?;
    Ok(())
}

pub async fn set_disabled(tx: &WriteTx, id: AccountId, disabled: bool) -> Result<()> {
    user::ActiveModel {
        id: Set(id.get()),
        disabled: Set(disabled),
        ..Default::default()
    }
    .update(tx.conn())
    .await?;
    Ok(())
}

// ---- grants ----

pub async fn insert_grant(
    tx: &WriteTx,
    id: i64,
    user_id: AccountId,
    role: Role,
    org_id: Option<OrgId>,
    now_ms: i64,
) -> Result<()> {
    grant::ActiveModel {
        id: Set(id),
        user_id: Set(user_id.get()),
        role: Set(role.code().to_owned()),
        org_id: Set(org_id.map(OrgId::get)),
        created_at: Set(now_ms),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

pub async fn delete_grant(tx: &WriteTx, id: i64) -> Result<()> {
    grant::Entity::delete_by_id(id).exec(tx.conn()).await?;
    Ok(())
}

/// The grants of some accounts with their organizations.
pub async fn grants_of<C: ConnectionTrait>(
    db: &C,
    user_ids: &[AccountId],
) -> Result<Vec<GrantRecord>> {
    let rows = grant::Entity::find()
        .filter(grant::Column::UserId.is_in(dangjian_domain::ids::raw(user_ids)))
        .order_by_asc(grant::Column::CreatedAt)
        .all(db)
        .await?;
    let org_ids: Vec<i64> = rows.iter().filter_map(|g| g.org_id).collect();
    let orgs: HashMap<i64, crate::org::entity::Model> = crate::org::entity::Entity::find()
        .filter(crate::org::entity::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    rows.into_iter()
        .map(|g| {
            let role = Role::parse(&g.role).ok_or_else(|| StoreError::corrupt(&g.role))?;
            let org = g.org_id.and_then(|id| orgs.get(&id));
            Ok(GrantRecord {
                id: g.id,
                user_id: AccountId::new(g.user_id),
                role,
                org_id: g.org_id.map(OrgId::new),
                org_name: org.map(|o| o.name.clone()),
                org_path: org.map(|o| o.path.clone()),
            })
        })
        .collect()
}

/// Everything an account may do, from its grants.
pub async fn access<C: ConnectionTrait>(db: &C, user_id: AccountId) -> Result<Access> {
    let grants = grants_of(db, &[user_id])
        .await?
        .into_iter()
        .map(|g| {
            let scope = g
                .org_path
                .as_deref()
                .map(|p| OrgPath::parse(p).ok_or_else(|| StoreError::corrupt(p)))
                .transpose()?;
            Ok(Grant {
                role: g.role,
                scope,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Access::new(grants))
}

// ---- sessions ----

/// A live session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub user_id: AccountId,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

pub async fn insert_session(
    tx: &WriteTx,
    token_hash: &str,
    user_id: AccountId,
    csrf_token: &str,
    client_ip: Option<&str>,
    user_agent: Option<&str>,
    now_ms: i64,
) -> Result<()> {
    session::ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        user_id: Set(user_id.get()),
        csrf_token: Set(csrf_token.to_owned()),
        created_at: Set(now_ms),
        last_seen_at: Set(now_ms),
        client_ip: Set(client_ip.map(str::to_owned)),
        user_agent: Set(user_agent.map(|u| u.chars().take(300).collect())),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

pub async fn find_session<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
) -> Result<Option<SessionRecord>> {
    Ok(session::Entity::find_by_id(token_hash.to_owned())
        .one(db)
        .await?
        .map(|s| SessionRecord {
            user_id: AccountId::new(s.user_id),
            csrf_token: s.csrf_token,
            created_at: from_ms(s.created_at),
            last_seen_at: from_ms(s.last_seen_at),
        }))
}

/// Moves a session's idle clock. Not a business write, so it is not audited; it runs outside
/// any `WriteTx`.
pub async fn touch_session<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now_ms: i64,
) -> Result<()> {
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now_ms))
        .filter(session::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete_session<C: ConnectionTrait>(db: &C, token_hash: &str) -> Result<()> {
    session::Entity::delete_by_id(token_hash.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every way an account is signed in, the sessions (but `except`) and the API tokens,
/// when its password changes or is reset or it is disabled: whoever held the old password may
/// have made either.
pub async fn end_sign_ins_of(
    tx: &WriteTx,
    user_id: AccountId,
    except: Option<&str>,
    now_ms: i64,
) -> Result<()> {
    let mut q = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id.get()));
    if let Some(keep) = except {
        q = q.filter(session::Column::TokenHash.ne(keep));
    }
    q.exec(tx.conn()).await?;
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now_ms))
        .filter(api_token::Column::UserId.eq(user_id.get()))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// Removes sessions idle since before `idle_before_ms`.
pub async fn purge_sessions<C: ConnectionTrait>(db: &C, idle_before_ms: i64) -> Result<u64> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::LastSeenAt.lt(idle_before_ms))
        .exec(db)
        .await?
        .rows_affected)
}

// ---- API tokens ----

fn to_token(m: api_token::Model) -> ApiToken {
    ApiToken {
        id: m.id,
        user_id: AccountId::new(m.user_id),
        name: m.name,
        prefix: m.prefix,
        created_at: from_ms(m.created_at),
        last_used_at: m.last_used_at.map(from_ms),
        revoked_at: m.revoked_at.map(from_ms),
        expires_at: from_ms(m.expires_at),
    }
}

pub async fn insert_token(tx: &WriteTx, token: &ApiToken, token_hash: &str) -> Result<()> {
    api_token::ActiveModel {
        id: Set(token.id),
        user_id: Set(token.user_id.get()),
        name: Set(token.name.clone()),
        token_hash: Set(token_hash.to_owned()),
        prefix: Set(token.prefix.clone()),
        created_at: Set(token.created_at.timestamp_millis()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        expires_at: Set(token.expires_at.timestamp_millis()),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

pub async fn tokens_of<C: ConnectionTrait>(db: &C, user_id: AccountId) -> Result<Vec<ApiToken>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id.get()))
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(to_token)
        .collect())
}

/// A live (neither revoked nor expired at `now_ms`) token by its hash.
pub async fn find_live_token<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<ApiToken>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .filter(api_token::Column::RevokedAt.is_null())
        .filter(api_token::Column::ExpiresAt.gt(now_ms))
        .one(db)
        .await?
        .map(to_token))
}

pub async fn touch_token<C: ConnectionTrait>(db: &C, id: i64, now_ms: i64) -> Result<()> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(now_ms))
        .filter(api_token::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn revoke_token(tx: &WriteTx, id: i64, now_ms: i64) -> Result<()> {
    api_token::ActiveModel {
        id: Set(id),
        revoked_at: Set(Some(now_ms)),
        ..Default::default()
    }
    .update(tx.conn())
    .await?;
    Ok(())
}

/// The account that holds a grant.
pub async fn grant_owner<C: ConnectionTrait>(db: &C, grant_id: i64) -> Result<Option<AccountId>> {
    Ok(grant::Entity::find_by_id(grant_id)
        .one(db)
        .await?
        .map(|g| AccountId::new(g.user_id)))
}

/// The enabled accounts that hold a grant: the people the platform writes to.
pub async fn granted<C: ConnectionTrait>(db: &C) -> Result<Vec<Account>> {
    let ids: Vec<i64> = grant::Entity::find()
        .select_only()
        .column(grant::Column::UserId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            user::Entity::find()
                .filter(user::Column::Id.is_in(chunk.to_vec()))
                .filter(user::Column::Disabled.eq(false))
                .order_by_asc(user::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(to_account),
        );
    }
    Ok(out)
}
