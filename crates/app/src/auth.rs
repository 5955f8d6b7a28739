//! Signing in and out, sessions and API tokens.

use crate::account::AccountCases;
use crate::{Actor, AppError, Result, secret};
use chrono::Duration;
use dangjian_domain::ids::AccountId;
use dangjian_domain::platform::account::{Account, ApiToken, api_token_days, check_password};
use dangjian_domain::platform::settings::SESSION_IDLE_MINUTES;
use dangjian_domain::text;
use dangjian_store::account as store;
use serde_json::json;

/// A session lives at most this long, however active.
const SESSION_MAX_HOURS: i64 = 12;

/// What a successful sign-in hands back: the session token for the cookie.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub csrf_token: String,
    pub account: Account,
}

/// A signed-in request's actor with its account and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Actor,
    pub account: Account,
    pub csrf_token: String,
}

/// Where a request comes from, for the audit trail.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl AccountCases<'_> {
    /// Signs in with username and password. Failures count toward a temporary lock; every
    /// attempt is audited; an unknown name costs the same time as a wrong password.
    pub async fn sign_in(
        self,
        username: &str,
        password: &str,
        client: &Client,
    ) -> Result<SignedIn> {
        let username = dangjian_domain::platform::account::Username::typed(username)?;
        let settings = dangjian_store::settings::load(self.store.db()).await?;
        let now = self.clock.now();
        let found = store::credentials(self.store.db(), &username).await?;
        let Some((account, hash)) = found else {
            // Spend the time a real check takes, so timing does not tell which names exist.
            secret::verify_password_off_thread(
                password.to_owned(),
                secret::dummy_hash().to_owned(),
            )
            .await;
            self.audit_sign_in_failure(None, &username, client, "unknown_user")
                .await?;
            return Err(AppError::Unauthenticated("用户名或密码错误"));
        };
        if account.is_locked(now) {
            self.audit_sign_in_failure(Some(account.id), &username, client, "locked")
                .await?;
            return Err(AppError::Locked {
                until: account.locked_until.unwrap_or(now),
            });
        }
        let ok = secret::verify_password_off_thread(password.to_owned(), hash).await;
        if !ok || account.disabled {
            let (failures, locked_until) = settings
                .lockout()
                .after_failure(account.failed_attempts, now);
            let mut tx = self.store.begin_write().await?;
            store::set_failures(&tx, account.id, failures, locked_until).await?;
            let reason = if account.disabled {
                "disabled"
            } else {
                "wrong_password"
            };
            tx.audit(
                self.anonymous(client, &username).record(
                    dangjian_domain::platform::audit::trail::SIGN_IN_FAILED,
                    Some(account.id.get()),
                    None,
                    None,
                    Some(json!({ "reason": reason, "locked_until": locked_until })),
                ),
                self.now_ms(),
            )
            .await?;
            tx.commit().await?;
            if let Some(until) = locked_until {
                return Err(AppError::Locked { until });
            }
            return Err(AppError::Unauthenticated("用户名或密码错误"));
        }
        let token = secret::token();
        let csrf_token = secret::token();
        let mut tx = self.store.begin_write().await?;
        if account.failed_attempts > 0 {
            store::set_failures(&tx, account.id, 0, None).await?;
        }
        store::insert_session(
            &tx,
            &secret::token_hash(&token),
            account.id,
            &csrf_token,
            client.ip.as_deref(),
            client.user_agent.as_deref(),
            self.now_ms(),
        )
        .await?;
        let actor = Actor {
            account_id: Some(account.id),
            name: account.username.clone(),
            access: Default::default(),
            client_ip: client.ip.clone(),
        };
        tx.audit(
            actor.record(
                dangjian_domain::platform::audit::trail::SIGN_IN,
                Some(account.id.get()),
                None,
                None,
                None,
            ),
            self.now_ms(),
        )
        .await?;
        tx.commit().await?;
        Ok(SignedIn {
            token,
            csrf_token,
            account,
        })
    }

    fn anonymous(self, client: &Client, name: &str) -> Actor {
        Actor {
            account_id: None,
            name: name.chars().take(64).collect(),
            access: Default::default(),
            client_ip: client.ip.clone(),
        }
    }

    async fn audit_sign_in_failure(
        self,
        account_id: Option<AccountId>,
        username: &str,
        client: &Client,
        reason: &str,
    ) -> Result<()> {
        let tx = self.store.begin_write().await?;
        let record = self.anonymous(client, username).record(
            dangjian_domain::platform::audit::trail::SIGN_IN_FAILED,
            account_id.map(AccountId::get),
            None,
            None,
            Some(json!({ "reason": reason })),
        );
        self.finish(tx, record).await
    }

    /// The session behind a cookie token, if it is live: not idle past the setting, not older
    /// than the maximum, its account not disabled. Moves its idle clock.
    pub async fn session(self, token: &str, client: &Client) -> Result<Session> {
        let expired = AppError::Unauthenticated("登录已过期，请重新登录");
        let hash = secret::token_hash(token);
        let db = self.store.db();
        let Some(session) = store::find_session(db, &hash).await? else {
            return Err(expired);
        };
        let settings = dangjian_store::settings::load(db).await?;
        let now = self.clock.now();
        let idle = Duration::minutes(settings.get(SESSION_IDLE_MINUTES));
        if now - session.last_seen_at > idle
            || now - session.created_at > Duration::hours(SESSION_MAX_HOURS)
        {
            store::delete_session(db, &hash).await?;
            return Err(expired);
        }
        let account = store::find(db, session.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if account.disabled {
            store::delete_session(db, &hash).await?;
            return Err(AppError::Unauthenticated("账号已停用"));
        }
        // Write the idle clock at most once a minute: reads stay reads.
        if now - session.last_seen_at > Duration::minutes(1) {
            store::touch_session(db, &hash, self.now_ms()).await?;
        }
        let access = store::access(db, account.id).await?;
        Ok(Session {
            actor: Actor {
                account_id: Some(account.id),
                name: account.username.clone(),
                access,
                client_ip: client.ip.clone(),
            },
            account,
            csrf_token: session.csrf_token,
        })
    }

    /// Removes sessions idle past the setting; the server runs this now and then.
    pub async fn purge_idle_sessions(self) -> Result<u64> {
        let settings = dangjian_store::settings::load(self.store.db()).await?;
        let idle = Duration::minutes(settings.get(SESSION_IDLE_MINUTES));
        let before = (self.clock.now() - idle).timestamp_millis();
        Ok(store::purge_sessions(self.store.db(), before).await?)
    }

    pub async fn sign_out(self, token: &str, actor: &Actor) -> Result<()> {
        let tx = self.store.begin_write().await?;
        store::delete_session(tx.conn(), &secret::token_hash(token)).await?;
        let record = actor.record(
            dangjian_domain::platform::audit::trail::SIGN_OUT,
            actor.account_id.map(AccountId::get),
            None,
            None,
            None,
        );
        self.finish(tx, record).await
    }

    /// The actor behind a bearer API token.
    pub async fn token_actor(self, bearer: &str, client: &Client) -> Result<(Actor, Account)> {
        let invalid = AppError::Unauthenticated("API 令牌无效、已过期或已撤销");
        let db = self.store.db();
        let Some(token) =
            store::find_live_token(db, &secret::token_hash(bearer), self.now_ms()).await?
        else {
            return Err(invalid);
        };
        let account = store::find(db, token.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if account.disabled {
            return Err(invalid);
        }
        store::touch_token(db, token.id, self.now_ms()).await?;
        let access = store::access(db, account.id).await?;
        Ok((
            Actor {
                account_id: Some(account.id),
                name: account.username.clone(),
                access,
                client_ip: client.ip.clone(),
            },
            account,
        ))
    }

    /// Changes one's own password; ends one's other sessions and one's API tokens.
    pub async fn change_password(
        self,
        actor: &Actor,
        current: &str,
        new: &str,
        confirm: &str,
        keep_session: Option<&str>,
    ) -> Result<()> {
        let id = actor
            .account_id
            .ok_or(AppError::Forbidden("命令行没有自己的密码"))?;
        let account = store::find(self.store.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let hash = store::password_hash(self.store.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !secret::verify_password_off_thread(current.to_owned(), hash).await {
            return Err(
                dangjian_domain::FieldError::new("current_password", "当前密码", "不正确").into(),
            );
        }
        check_password(
            new,
            &account.username,
            &account.display_name,
            "new_password",
        )?;
        if new != confirm {
            return Err(dangjian_domain::FieldError::new(
                "confirm_password",
                "确认新密码",
                "两次输入的新密码不一致",
            )
            .into());
        }
        if new == current {
            return Err(dangjian_domain::FieldError::new(
                "new_password",
                "新密码",
                "不能与当前密码相同",
            )
            .into());
        }
        let new_hash = secret::hash_password_off_thread(new.to_owned()).await?;
        let tx = self.store.begin_write().await?;
        store::set_password(&tx, id, &new_hash, false, self.now_ms()).await?;
        // The session that changed the password stays signed in; the others end.
        let keep = keep_session.map(secret::token_hash);
        store::end_sign_ins_of(&tx, id, keep.as_deref(), self.now_ms()).await?;
        let record = actor.record(
            dangjian_domain::platform::audit::trail::CHANGE_PASSWORD,
            Some(id.get()),
            None,
            None,
            None,
        );
        self.finish(tx, record).await
    }

    /// Creates an API token for oneself, living `days` (the default when none); the token is
    /// shown once and only its hash is kept.
    pub async fn create_api_token(
        self,
        actor: &Actor,
        name: &str,
        days: Option<u32>,
    ) -> Result<(ApiToken, String)> {
        let id = actor
            .account_id
            .ok_or(AppError::Forbidden("命令行不能持有 API 令牌"))?;
        let name = text::single_line(name, "name", "令牌名称", 50)?;
        let days = api_token_days(days)?;
        let plain = format!("dj_{}", secret::token());
        let now = self.clock.now();
        let token = ApiToken {
            id: self.new_id(),
            user_id: id,
            name,
            prefix: plain.chars().take(10).collect(),
            created_at: now,
            last_used_at: None,
            revoked_at: None,
            expires_at: now + Duration::days(i64::from(days)),
        };
        let tx = self.store.begin_write().await?;
        store::insert_token(&tx, &token, &secret::token_hash(&plain)).await?;
        let record = actor.record(
                dangjian_domain::platform::audit::trail::API_TOKEN_CREATE,
            Some(token.id),
            None,
            None,
            Some(json!({ "name": token.name, "prefix": token.prefix, "expires_at": token.expires_at })),
        );
        self.finish(tx, record).await?;
        Ok((token, plain))
    }

    pub async fn api_tokens(self, actor: &Actor) -> Result<Vec<ApiToken>> {
        let id = actor.account_id.ok_or(AppError::NotFound)?;
        Ok(store::tokens_of(self.store.db(), id).await?)
    }

    /// Revokes one of one's own tokens.
    pub async fn revoke_api_token(self, actor: &Actor, token_id: i64) -> Result<()> {
        let id = actor.account_id.ok_or(AppError::NotFound)?;
        let tokens = store::tokens_of(self.store.db(), id).await?;
        let token = tokens
            .into_iter()
            .find(|t| t.id == token_id && t.revoked_at.is_none())
            .ok_or(AppError::NotFound)?;
        let tx = self.store.begin_write().await?;
        store::revoke_token(&tx, token.id, self.now_ms()).await?;
        let record = actor.record(
            dangjian_domain::platform::audit::trail::API_TOKEN_REVOKE,
            Some(token.id),
            None,
            Some(json!({ "name": token.name, "prefix": token.prefix })),
            None,
        );
        self.finish(tx, record).await
    }
}
