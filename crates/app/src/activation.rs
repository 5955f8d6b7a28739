//! Accounts for everyone in the roster: the security admin issues a person a one-time
//! activation code, shown once; the person brings it with their name, ID number and staff or
//! student number and chooses the first password themself. What the organization department
//! knows of a person (all of the roster) is not enough to claim their account, and nobody
//! else opens or resets accounts: only the security admin manages credentials (三员分立).

use crate::account::AccountCases;
use crate::{Actor, AppError, Result, secret};
use dangjian_domain::FieldError;
use dangjian_domain::people::{NationalId, PersonStatus};
use dangjian_domain::platform::account::normalize_activation_code;
use dangjian_domain::platform::account::{Username, check_password};
use dangjian_domain::platform::audit::AuditAction;
use dangjian_domain::platform::role::{Action, Role};
use dangjian_store::account::{self as account_store, NewAccount};
use dangjian_store::activation as activation_store;
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
        code: dangjian_domain::RuleCode::PlatformActivationMismatch,
        field: None,
        message: "姓名、身份证号、工号/学号与激活码不匹配，或激活码已过期；请核对后重试，\
                  或请安全管理员重新签发激活码"
            .to_owned(),
        basis: "账号激活须与党员名册一致",
    }
}

/// A code issued to a person, to be handed to them: shown this once and never again.
#[derive(Debug, Clone)]
pub struct IssuedCode {
    pub person_name: String,
    pub staff_no: String,
    pub code: String,
    pub expires_on: chrono::NaiveDate,
}

impl AccountCases<'_> {
    /// Issues the person of the roster with this staff or student number a one-time code to
    /// activate their account (the security admin), in place of any earlier one.
    pub async fn issue_activation_code(self, actor: &Actor, staff_no: &str) -> Result<IssuedCode> {
        if !actor.access.can(Action::ManageAccounts) {
            return Err(AppError::Forbidden("激活码由安全管理员签发"));
        }
        let staff_no = staff_no.trim();
        let not_one = |m: &str| FieldError::new("staff_no", "工号/学号", m);
        if staff_no.is_empty() {
            return Err(not_one("不能为空").into());
        }
        let db = self.store.db();
        let mut found = people_store::with_staff_no(db, staff_no).await?;
        let record = match (found.pop(), found.is_empty()) {
            (Some(r), true) => r,
            (None, _) => return Err(not_one("名册中没有这个工号/学号").into()),
            (Some(_), false) => {
                return Err(not_one("名册中有多人使用这个工号/学号，请先在名册中更正").into());
            }
        };
        if !people_store::accounts_of(db, &[record.person.id])
            .await?
            .is_empty()
        {
            return Err(AppError::Conflict {
                field: "staff_no",
                message: format!("{} 已激活账号；忘记密码请在账号页重置", record.person.name),
            });
        }
        let code = secret::activation_code();
        let expires_at = self.clock.now()
            + chrono::Duration::days(dangjian_domain::platform::account::ACTIVATION_CODE_DAYS);
        let stored = dangjian_domain::platform::account::ActivationCodeRecord {
            code_index: self.sealer.index(&normalize_activation_code(&code)),
            expires_at: expires_at.timestamp_millis(),
        };
        let tx = self.store.begin_write().await?;
        activation_store::put(
            &tx,
            record.person.id,
            &stored,
            actor.account_id,
            self.now_ms(),
        )
        .await?;
        // The code itself stays out of the trail: whoever reads the trail could use it.
        let audit = actor.record(
            dangjian_domain::platform::audit::trail::ISSUE_ACTIVATION_CODE,
            Some(record.person.id.get()),
            Some(record.org_path.as_str()),
            None,
            Some(json!({ "staff_no": staff_no, "expires_at": stored.expires_at })),
        );
        self.finish(tx, audit).await?;
        Ok(IssuedCode {
            person_name: record.person.name,
            staff_no: staff_no.to_owned(),
            code,
            expires_on: dangjian_domain::clock::shanghai_local(stored.expires_at).date(),
        })
    }

    /// Opens the account of a person of the roster who proves who they are and brings the
    /// code the security admin issued them; the username is their staff or student number.
    pub async fn activate_account(
        self,
        name: &str,
        national_id: &str,
        (staff_no, code): (&str, &str),
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
        let issued = activation_store::of_person(db, record.person.id).await?;
        let given = self.sealer.index(&normalize_activation_code(code));
        // Keyed hashes are compared: their timing tells nothing of the code.
        if !issued.is_some_and(|c| c.expires_at > self.now_ms() && c.code_index == given) {
            return Err(no_match());
        }
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
            dangjian_domain::platform::audit::trail::ACTIVATE,
        )
        .await?;
        Ok(username.as_str().to_owned())
    }

    /// Writes an account for a person with its grant and link, in one transaction.
    pub(crate) async fn open_account(
        self,
        actor: &Actor,
        record: &PersonRecord,
        username: &str,
        hash: &str,
        action: AuditAction,
    ) -> Result<dangjian_domain::ids::AccountId> {
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
        // An account once opened needs no code: any left goes with it.
        activation_store::remove(&tx, record.person.id).await?;
        people_store::link_account(&tx, record.person.id, user_id, self.now_ms())
            .await
            .map_err(|_| AppError::Conflict {
                field: "staff_no",
                message: "该人员已有账号".to_owned(),
            })?;
        let audit = actor.record(
            action,
            Some(user_id.get()),
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
