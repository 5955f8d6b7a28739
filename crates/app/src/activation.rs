//! Accounts for everyone in the roster: a person activates their own by matching their name,
//! ID number and staff or student number, choosing the first password themself. Nobody else
//! opens or resets them in bulk: only the security admin manages credentials (三员分立), one
//! account at a time.

use crate::{Actor, App, AppError, Result, secret};
use dangjian_domain::FieldError;
use dangjian_domain::people::{NationalId, PersonStatus};
use dangjian_domain::platform::account::{Username, check_password};
use dangjian_domain::platform::role::Role;
use dangjian_store::account::{self as account_store, NewAccount};
use dangjian_store::people::{self as people_store, PersonRecord};
use serde_json::json;

/// The role a person of the roster holds on their branch.
pub(crate) fn role_of(status: PersonStatus) -> Role {
    if status.is_member() {
        Role::Member
    } else {
        Role::Applicant
    }
}

/// The same answer for every mismatch, so that nobody learns which field was wrong.
fn no_match() -> AppError {
    AppError::Rule {
        field: None,
        message: "姓名、身份证号与工号/学号不匹配，请核对后重试，或联系所在支部".to_owned(),
        basis: "账号激活须与党员名册一致",
    }
}

impl App {
    /// Opens the account of a person of the roster who proves who they are; the username is
    /// their staff or student number.
    pub async fn activate_account(
        &self,
        name: &str,
        national_id: &str,
        staff_no: &str,
        password: &str,
        client_ip: Option<String>,
    ) -> Result<String> {
        let id = NationalId::parse(national_id)?;
        let staff_no = staff_no.trim();
        if staff_no.is_empty() {
            return Err(FieldError::new("staff_no", "工号/学号", "不能为空").into());
        }
        let db = self.store.db();
        let record = people_store::find_for_activation(
            db,
            name.trim(),
            &self.sealer.index(id.as_str()),
            staff_no,
        )
        .await?
        .filter(|r| r.person.left_on.is_none())
        .ok_or_else(no_match)?;
        if !people_store::accounts_of(db, &[record.person.id])
            .await?
            .is_empty()
        {
            return Err(AppError::Conflict {
                field: "staff_no",
                message: "该人员已激活账号；如忘记密码，请联系安全管理员重置".to_owned(),
            });
        }
        let username = Username::parse(&staff_no.to_ascii_lowercase())?;
        check_password(password, username.as_str(), &record.person.name, "password")?;
        let hash = secret::hash_password_off_thread(password.to_owned()).await?;
        let actor = Actor {
            account_id: None,
            name: record.person.name.clone(),
            access: dangjian_domain::platform::role::Access::new(Vec::new()),
            client_ip,
        };
        self.open_account(
            &actor,
            &record,
            username.as_str(),
            &hash,
            "account.activate",
        )
        .await?;
        Ok(username.as_str().to_owned())
    }

    /// Writes an account for a person with its grant and link, in one transaction.
    pub(crate) async fn open_account(
        &self,
        actor: &Actor,
        record: &PersonRecord,
        username: &str,
        hash: &str,
        action: &str,
    ) -> Result<i64> {
        if account_store::find_by_username(self.store.db(), username)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict {
                field: "staff_no",
                message: format!("用户名 {username} 已被其他账号使用，请联系安全管理员"),
            });
        }
        let user_id = self.new_id();
        let tx = self.store.begin_write().await?;
        account_store::insert(
            &tx,
            NewAccount {
                id: user_id,
                username,
                display_name: &record.person.name,
                password_hash: hash,
                must_change_password: false,
                is_demo: false,
            },
            self.now_ms(),
        )
        .await?;
        let role = role_of(record.person.status);
        account_store::insert_grant(
            &tx,
            self.new_id(),
            user_id,
            role,
            Some(record.person.org_id),
            self.now_ms(),
        )
        .await?;
        people_store::link_account(&tx, record.person.id, user_id, self.now_ms())
            .await
            .map_err(|_| AppError::Conflict {
                field: "staff_no",
                message: "该人员已有账号".to_owned(),
            })?;
        let audit = actor.record(
            action,
            "account",
            Some(user_id),
            Some(record.org_path.as_str()),
            None,
            Some(
                json!({ "username": username, "person_id": record.person.id, "role": role.code() }),
            ),
        );
        self.finish(tx, audit).await?;
        Ok(user_id)
    }
}
