//! Signing in and out through the API, and who one is.

use super::ApiJson;
use crate::AppState;
use crate::auth::{Caller, ClientInfo, SESSION_COOKIE, cookie, is_https};
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use dangjian_app::Actor;
use dangjian_domain::ids::OrgId;
use dangjian_domain::platform::account::Account;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignIn {
    username: String,
    password: String,
}

/// An account as the API shows it.
#[derive(Serialize, ToSchema)]
pub(crate) struct User {
    id: i64,
    username: String,
    display_name: String,
    must_change_password: bool,
    /// The roles held, each with the organization it covers.
    grants: Vec<GrantView>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct GrantView {
    #[schema(value_type = super::contract::RoleCode)]
    role: String,
    org_id: Option<i64>,
    org_name: Option<String>,
}

async fn user_of(st: &AppState, actor: &Actor, account: &Account) -> Result<User, ApiError> {
    let grants = st.app.accounts().own(actor).await?.grants;
    Ok(User {
        id: account.id.get(),
        username: account.username.clone(),
        display_name: account.display_name.clone(),
        must_change_password: account.must_change_password,
        grants: grants
            .into_iter()
            .map(|g| GrantView {
                role: g.role.code().to_owned(),
                org_id: g.org_id.map(OrgId::get),
                org_name: g.org_name,
            })
            .collect(),
    })
}

/// Signs in; sets the session cookie and returns the user.
#[utoipa::path(post, path = "/api/v1/session", operation_id = "sign_in", tag = "session", request_body = SignIn,
    security(()),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 423, body = ErrorBody)))]
pub(crate) async fn sign_in(
    State(st): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    ClientInfo(client): ClientInfo,
    ApiJson(body): ApiJson<SignIn>,
) -> Result<Response, ApiError> {
    let signed = st
        .app
        .accounts()
        .sign_in(&body.username, &body.password, &client)
        .await?;
    let actor = Actor {
        account_id: Some(signed.account.id),
        name: signed.account.username.clone(),
        access: Default::default(),
        client_ip: client.ip.clone(),
    };
    let user = user_of(&st, &actor, &signed.account).await?;
    let jar = jar.add(cookie(SESSION_COOKIE, signed.token, is_https(&headers)));
    Ok((jar, Json(user)).into_response())
}

/// Signs out of the session of the cookie.
#[utoipa::path(delete, path = "/api/v1/session", operation_id = "sign_out", tag = "session",
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub(crate) async fn sign_out(
    State(st): State<AppState>,
    jar: CookieJar,
    caller: Caller,
) -> Result<Response, ApiError> {
    if let Some(token) = &caller.session_token {
        st.app.accounts().sign_out(token, &caller.actor).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, StatusCode::NO_CONTENT).into_response())
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "get_me", tag = "session",
    responses((status = 200, body = User), (status = 401, body = ErrorBody)))]
pub(crate) async fn me(State(st): State<AppState>, caller: Caller) -> Result<Json<User>, ApiError> {
    Ok(Json(user_of(&st, &caller.actor, &caller.account).await?))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

/// Signing in and out, throttled apart from the rest.
pub(super) fn sign_in_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in, sign_out))
}
