//! Accounts for everyone in the roster: a person activates their own by matching their name,
//! ID number and staff or student number; the organization department opens or resets them
//! in bulk for a subtree.

use crate::{Actor, App, AppError, Result, secret};
use dangjian_domain::FieldError;
use dangjian_domain::people::{NationalId, PersonStatus};
use dangjian_domain::platform::account::{Username, check_password};
use dangjian_domain::platform::role::{Action, Role};
use dangjian_store::account::{self as account_store, NewAccount};
use dangjian_store::people::{self as people_store, PersonFilter, PersonRecord};
use serde_json::json;

/// One account opened or reset in bulk, with the temporary password to hand over.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IssuedAccount {
    pub username: String,
    pub name: String,
    pub org_name: String,
    pub password: String,
}

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
                message: "该人员已激活账号；如忘记密码，请联系组织部重置".to_owned(),
            });
        }
        let username = Username::parse(&staff_no.to_ascii_lowercase())?;
        check_password(password, username.as_str(), "password")?;
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
            false,
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
        must_change: bool,
        action: &str,
    ) -> Result<i64> {
        if account_store::find_by_username(self.store.db(), username)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict {
                field: "staff_no",
                message: format!("用户名 {username} 已被其他账号使用，请联系组织部"),
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
                must_change_password: must_change,
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

    /// Opens an account with a temporary password for everyone of a subtree who has a staff or
    /// student number and no account yet. For the organization department.
    pub async fn open_accounts_for(
        &self,
        actor: &Actor,
        org_id: i64,
    ) -> Result<Vec<IssuedAccount>> {
        let (org, people) = self.roster_for_accounts(actor, org_id).await?;
        let linked = people_store::accounts_of(
            self.store.db(),
            &people.iter().map(|r| r.person.id).collect::<Vec<_>>(),
        )
        .await?;
        let mut issued = Vec::new();
        for record in people.iter().filter(|r| !linked.contains_key(&r.person.id)) {
            let Some(username) = record
                .person
                .staff_no
                .as_deref()
                .map(str::to_ascii_lowercase)
            else {
                continue;
            };
            if Username::parse(&username).is_err() {
                continue;
            }
            let password = secret::temporary_password();
            let hash = secret::hash_password_off_thread(password.clone()).await?;
            match self
                .open_account(
                    actor,
                    record,
                    &username,
                    &hash,
                    true,
                    "account.open_for_person",
                )
                .await
            {
                Ok(_) => issued.push(IssuedAccount {
                    username,
                    name: record.person.name.clone(),
                    org_name: org.name.clone(),
                    password,
                }),
                // A username taken by another account is left for the security admin.
                Err(AppError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(issued)
    }

    /// Gives every account of a subtree's people a new temporary password.
    pub async fn reset_accounts_for(
        &self,
        actor: &Actor,
        org_id: i64,
    ) -> Result<Vec<IssuedAccount>> {
        let (org, people) = self.roster_for_accounts(actor, org_id).await?;
        let linked = people_store::accounts_of(
            self.store.db(),
            &people.iter().map(|r| r.person.id).collect::<Vec<_>>(),
        )
        .await?;
        let mut issued = Vec::new();
        for record in &people {
            let Some(&user_id) = linked.get(&record.person.id) else {
                continue;
            };
            let Some(account) = account_store::find(self.store.db(), user_id).await? else {
                continue;
            };
            let password = secret::temporary_password();
            let hash = secret::hash_password_off_thread(password.clone()).await?;
            let tx = self.store.begin_write().await?;
            account_store::set_password(&tx, user_id, &hash, true, self.now_ms()).await?;
            account_store::delete_sessions_of(tx.conn(), user_id, None).await?;
            let audit = actor.record(
                "account.reset_password",
                "account",
                Some(user_id),
                Some(record.org_path.as_str()),
                None,
                Some(json!({ "username": account.username })),
            );
            self.finish(tx, audit).await?;
            issued.push(IssuedAccount {
                username: account.username,
                name: record.person.name.clone(),
                org_name: org.name.clone(),
                password,
            });
        }
        Ok(issued)
    }

    async fn roster_for_accounts(
        &self,
        actor: &Actor,
        org_id: i64,
    ) -> Result<(dangjian_domain::org::Org, Vec<PersonRecord>)> {
        let org = self.org(actor, org_id).await?;
        if !actor.access.can_at(Action::ManageOrg, &org.path) {
            return Err(AppError::Forbidden("为该组织的人员开通或重置账号"));
        }
        let filter = PersonFilter {
            under: Some(org.path.clone()),
            ..Default::default()
        };
        let mut people = Vec::new();
        people_store::for_each(self.store.db(), &actor.access, &filter, |r| {
            people.push(r);
            Ok(())
        })
        .await?;
        Ok((org, people))
    }
}

/// The issued accounts as a spreadsheet to hand over (it holds passwords: give it to the
/// people concerned and delete it).
pub fn issued_xlsx(issued: &[IssuedAccount]) -> Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    for (i, h) in ["用户名", "姓名", "组织", "临时密码（首次登录须修改）"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string_with_format(0, i as u16, *h, &bold)
            .map_err(crate::roster::xlsx_error)?;
        sheet
            .set_column_width(i as u16, 22)
            .map_err(crate::roster::xlsx_error)?;
    }
    for (r, a) in issued.iter().enumerate() {
        let row = r as u32 + 1;
        for (c, v) in [&a.username, &a.name, &a.org_name, &a.password]
            .iter()
            .enumerate()
        {
            sheet
                .write_string(row, c as u16, v.as_str())
                .map_err(crate::roster::xlsx_error)?;
        }
    }
    book.save_to_buffer().map_err(crate::roster::xlsx_error)
}
