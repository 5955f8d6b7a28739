//! One's own API tokens.

use super::{ApiJson, List};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dangjian_domain::platform::account::ApiToken;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Serialize, ToSchema)]
pub(crate) struct TokenView {
    id: i64,
    name: String,
    /// The first characters, to tell tokens apart.
    prefix: String,
    created_at: chrono::DateTime<chrono::Utc>,
    last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// From then on the token is refused.
    expires_at: chrono::DateTime<chrono::Utc>,
}

impl From<ApiToken> for TokenView {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
            expires_at: t.expires_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub(crate) struct NewToken {
    token: TokenView,
    /// The token itself, shown only this once.
    secret: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewTokenBody {
    name: String,
    /// How many days the token lives: 1 to 365, 90 when left out.
    days: Option<u32>,
}

/// One's own API tokens.
#[utoipa::path(get, path = "/api/v1/tokens", operation_id = "list_tokens", tag = "tokens", responses((status = 200, body = List<TokenView>)))]
pub(crate) async fn list(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<List<TokenView>>, ApiError> {
    let tokens = st.app.accounts().api_tokens(&caller.actor).await?;
    Ok(Json(List {
        total: tokens.len() as u64,
        items: tokens.into_iter().map(TokenView::from).collect(),
    }))
}

/// Creates an API token; its secret is returned once.
#[utoipa::path(post, path = "/api/v1/tokens", operation_id = "create_token", tag = "tokens", request_body = NewTokenBody,
    responses((status = 201, body = NewToken), (status = 422, body = ErrorBody)))]
pub(crate) async fn create(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<NewTokenBody>,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    let (token, secret) = st
        .app
        .accounts()
        .create_api_token(&caller.actor, &b.name, b.days)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewToken {
            token: token.into(),
            secret,
        }),
    ))
}

/// Revokes one of one's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", operation_id = "revoke_token", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub(crate) async fn revoke(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    st.app
        .accounts()
        .revoke_api_token(&caller.actor, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(revoke))
}
