//! One's own account through the API: the password, and one's messages (消息).

use super::{ApiJson, List};
use crate::AppState;
use crate::auth::{Auth, Caller};
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use dangjian_app::notification::Notification;
use dangjian_app::{Actor, AppError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Whoever is signed in, even with a first password still to change: the one thing such an
/// account may do is change it.
pub(crate) struct SignedIn {
    actor: Actor,
    session_token: Option<String>,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        match parts.extensions.get::<Auth>() {
            Some(Auth::Session { session, token }) => Ok(Self {
                actor: session.actor.clone(),
                session_token: Some(token.clone()),
            }),
            Some(Auth::Token { actor, .. }) => Ok(Self {
                actor: (**actor).clone(),
                session_token: None,
            }),
            _ => Err(ApiError(AppError::Unauthenticated("请先登录"))),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordBody {
    current_password: String,
    /// 10 to 128 characters of three kinds (upper, lower, digits, others), not the user name
    /// or the name.
    new_password: String,
    /// The new password again.
    confirm_password: String,
}

/// Changes one's own password, the first one included. The session that changes it stays
/// signed in; one's other sessions and every API token end (a token that calls this ends
/// with them).
#[utoipa::path(put, path = "/api/v1/account/password", tag = "account", operation_id = "change_password",
    request_body = PasswordBody,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub(crate) async fn change_password(
    State(st): State<AppState>,
    who: SignedIn,
    ApiJson(b): ApiJson<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    st.app
        .accounts()
        .change_password(
            &who.actor,
            &b.current_password,
            &b.new_password,
            &b.confirm_password,
            who.session_token.as_deref(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A message to the caller.
#[derive(Serialize, ToSchema)]
pub(crate) struct NotificationView {
    id: i64,
    #[schema(value_type = super::contract::NotificationKindCode)]
    kind: String,
    /// The day it is about.
    day: chrono::NaiveDate,
    title: String,
    body: String,
    /// A page of the platform it points to.
    link: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    read_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<Notification> for NotificationView {
    fn from(n: Notification) -> Self {
        use dangjian_domain::clock::from_unix_ms;
        Self {
            id: n.id,
            kind: n.kind,
            day: n.day,
            title: n.title,
            body: n.body,
            link: n.link,
            created_at: from_unix_ms(n.created_at),
            read_at: n.read_at.map(from_unix_ms),
        }
    }
}

/// One's latest messages (at most 50), newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "account", operation_id = "list_notifications",
    responses((status = 200, body = List<NotificationView>)))]
pub(crate) async fn notifications(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<List<NotificationView>>, ApiError> {
    let items = st.app.notifications().list(&caller.actor).await?;
    Ok(Json(List {
        total: st.app.notifications().count(&caller.actor).await?,
        items: items.into_iter().map(NotificationView::from).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub(crate) struct UnreadCount {
    unread: u64,
}

/// How many of one's messages are unread.
#[utoipa::path(get, path = "/api/v1/notifications/unread", tag = "account", operation_id = "count_unread_notifications",
    responses((status = 200, body = UnreadCount)))]
pub(crate) async fn unread(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<UnreadCount>, ApiError> {
    Ok(Json(UnreadCount {
        unread: st.app.notifications().unread(&caller.actor).await?,
    }))
}

/// Marks all of one's messages read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "account", operation_id = "mark_notifications_read",
    responses((status = 204)))]
pub(crate) async fn mark_read(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    st.app.notifications().mark_read(&caller.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CalendarLink {
    /// The secret calendar address (iCalendar), on this server: shown this once. A phone's
    /// calendar subscribes to it without signing in.
    path: String,
}

/// Makes a new secret link to one's meetings as a calendar; an earlier link stops working.
#[utoipa::path(post, path = "/api/v1/my/calendar-link", tag = "account", operation_id = "issue_calendar_link",
    responses((status = 201, body = CalendarLink)))]
pub(crate) async fn issue_calendar_link(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<(StatusCode, Json<CalendarLink>), ApiError> {
    let token = st.app.meetings().issue_calendar_link(&caller.actor).await?;
    Ok((
        StatusCode::CREATED,
        Json(CalendarLink {
            path: format!("/ical/{token}.ics"),
        }),
    ))
}

/// Stops one's calendar link.
#[utoipa::path(delete, path = "/api/v1/my/calendar-link", tag = "account", operation_id = "revoke_calendar_link",
    responses((status = 204)))]
pub(crate) async fn revoke_calendar_link(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    st.app
        .meetings()
        .revoke_calendar_link(&caller.actor)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change_password))
        .routes(routes!(notifications))
        .routes(routes!(unread))
        .routes(routes!(mark_read))
        .routes(routes!(issue_calendar_link, revoke_calendar_link))
}
