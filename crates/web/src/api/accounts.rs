//! Accounts, grants and activation codes, kept by the security admin (三员分立): the app's
//! `ManageAccounts` decides who may; to anyone else an account's address names nothing.

use super::{AccountNamed, ApiJson, ApiQuery, InScope, List};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dangjian_app::account::AccountDetail;
use dangjian_domain::ids::OrgId;
use dangjian_domain::paging::Paging;
use dangjian_domain::platform::account::GrantRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A grant: a role on an organization's subtree, or a platform duty on none.
#[derive(Serialize, ToSchema)]
pub(crate) struct GrantBody {
    id: i64,
    #[schema(value_type = super::contract::RoleCode)]
    role: String,
    org_id: Option<i64>,
    org_name: Option<String>,
}

impl From<GrantRecord> for GrantBody {
    fn from(g: GrantRecord) -> Self {
        Self {
            id: g.id,
            role: g.role.code().to_owned(),
            org_id: g.org_id.map(OrgId::get),
            org_name: g.org_name,
        }
    }
}

/// An account with its grants.
#[derive(Serialize, ToSchema)]
pub(crate) struct AccountView {
    id: i64,
    username: String,
    display_name: String,
    /// A first or reset password must be changed before anything else.
    must_change_password: bool,
    disabled: bool,
    /// Locked after failed sign-ins until then.
    locked_until: Option<chrono::DateTime<chrono::Utc>>,
    created_at: chrono::DateTime<chrono::Utc>,
    grants: Vec<GrantBody>,
}

impl From<AccountDetail> for AccountView {
    fn from(d: AccountDetail) -> Self {
        let a = d.account;
        Self {
            id: a.id.get(),
            username: a.username,
            display_name: a.display_name,
            must_change_password: a.must_change_password,
            disabled: a.disabled,
            locked_until: a.locked_until,
            created_at: a.created_at,
            grants: d.grants.into_iter().map(GrantBody::from).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountParams {
    /// 1-based page number.
    #[param(minimum = 1, maximum = 10_000_000)]
    page: Option<u64>,
    /// Rows per page (default 20).
    #[param(minimum = 1, maximum = 500)]
    per_page: Option<u64>,
    /// Part of the user name or the name.
    name: Option<String>,
}

/// The accounts, searched by name.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", operation_id = "list_accounts", params(AccountParams),
    responses((status = 200, body = List<AccountView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AccountParams>,
) -> Result<Json<List<AccountView>>, ApiError> {
    let paging = Paging::parse(q.page, q.per_page).map_err(|e| ApiError(e.into()))?;
    let page = st
        .app
        .accounts()
        .list(&caller.actor, q.name.as_deref().unwrap_or_default(), paging)
        .await?;
    Ok(Json(List {
        total: page.total,
        items: page.items.into_iter().map(AccountView::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAccountBody {
    username: String,
    display_name: String,
    /// Left out, a temporary one is made and returned once; either must be changed at the
    /// first sign-in.
    password: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct NewAccount {
    account: AccountView,
    /// The temporary password made for it, shown this once (none when one was given).
    temporary_password: Option<String>,
}

/// Creates an account (no grants yet).
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", operation_id = "create_account", request_body = NewAccountBody,
    responses((status = 201, body = NewAccount), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn create(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<NewAccountBody>,
) -> Result<(StatusCode, Json<NewAccount>), ApiError> {
    let given = b.password.as_deref().filter(|p| !p.is_empty());
    let (account, password) = st
        .app
        .accounts()
        .create(&caller.actor, &b.username, &b.display_name, given, false)
        .await?;
    let detail = st.app.accounts().get(&caller.actor, account.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewAccount {
            account: detail.into(),
            temporary_password: given.is_none().then_some(password),
        }),
    ))
}

/// One account with its grants.
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts", operation_id = "get_account", params(("id" = i64, Path)),
    responses((status = 200, body = AccountView), (status = 404, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
    InScope(id, _): InScope<AccountNamed>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(st.app.accounts().get(&caller.actor, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GrantBodyIn {
    #[schema(value_type = super::contract::RoleCode)]
    role: String,
    /// The organization whose subtree the role covers; none for a platform duty.
    org_id: Option<i64>,
}

/// Grants a role; the roles an account may hold together are the app's rule (三员分立).
#[utoipa::path(post, path = "/api/v1/accounts/{id}/grants", tag = "accounts", operation_id = "grant_role", params(("id" = i64, Path)),
    request_body = GrantBodyIn,
    responses((status = 201, body = GrantBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn grant(
    State(st): State<AppState>,
    caller: Caller,
    InScope(id, _): InScope<AccountNamed>,
    ApiJson(b): ApiJson<GrantBodyIn>,
) -> Result<(StatusCode, Json<GrantBody>), ApiError> {
    let g = st
        .app
        .accounts()
        .grant(&caller.actor, id, &b.role, b.org_id.map(OrgId::new))
        .await?;
    Ok((StatusCode::CREATED, Json(g.into())))
}

/// Revokes a grant.
#[utoipa::path(delete, path = "/api/v1/grants/{id}", tag = "accounts", operation_id = "revoke_grant", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn revoke_grant(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    st.app.accounts().revoke_grant(&caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Disables an account and ends its sessions and tokens.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/disable", tag = "accounts", operation_id = "disable_account", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn disable(
    State(st): State<AppState>,
    caller: Caller,
    InScope(id, _): InScope<AccountNamed>,
) -> Result<StatusCode, ApiError> {
    st.app
        .accounts()
        .set_account_disabled(&caller.actor, id, true)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enables a disabled account again.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/enable", tag = "accounts", operation_id = "enable_account", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub(crate) async fn enable(
    State(st): State<AppState>,
    caller: Caller,
    InScope(id, _): InScope<AccountNamed>,
) -> Result<StatusCode, ApiError> {
    st.app
        .accounts()
        .set_account_disabled(&caller.actor, id, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub(crate) struct TemporaryPassword {
    /// To hand to the person once; it must be changed at the next sign-in.
    temporary_password: String,
}

/// Sets a temporary password; ends the account's sessions and tokens and lifts a lock.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/reset-password", tag = "accounts", operation_id = "reset_account_password", params(("id" = i64, Path)),
    responses((status = 200, body = TemporaryPassword), (status = 404, body = ErrorBody)))]
pub(crate) async fn reset_password(
    State(st): State<AppState>,
    caller: Caller,
    InScope(id, _): InScope<AccountNamed>,
) -> Result<Json<TemporaryPassword>, ApiError> {
    let temporary_password = st.app.accounts().reset_password(&caller.actor, id).await?;
    Ok(Json(TemporaryPassword { temporary_password }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivationBody {
    /// The person's staff or student number in the roster.
    staff_no: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct ActivationCode {
    person_name: String,
    staff_no: String,
    /// Shown this once: the person activates their account with it on the sign-in page.
    code: String,
    expires_on: chrono::NaiveDate,
}

/// Issues a person of the roster a one-time activation code, in place of any earlier one.
#[utoipa::path(post, path = "/api/v1/activation-codes", tag = "accounts", operation_id = "issue_activation_code", request_body = ActivationBody,
    responses((status = 201, body = ActivationCode), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn issue_activation_code(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<ActivationBody>,
) -> Result<(StatusCode, Json<ActivationCode>), ApiError> {
    let c = st
        .app
        .accounts()
        .issue_activation_code(&caller.actor, &b.staff_no)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ActivationCode {
            person_name: c.person_name,
            staff_no: c.staff_no,
            code: c.code,
            expires_on: c.expires_on,
        }),
    ))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(grant))
        .routes(routes!(revoke_grant))
        .routes(routes!(disable))
        .routes(routes!(enable))
        .routes(routes!(reset_password))
        .routes(routes!(issue_activation_code))
}
