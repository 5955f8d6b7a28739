//! One's messages (消息): the daily digests of what is due.

use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::after;
use crate::pages::platform::PlatformNotice;
use crate::pages::{Chrome, NoticeQuery};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use dangjian_app::notification::Notification;

#[derive(Template, WebTemplate)]
#[template(path = "platform/notifications.html")]
pub(crate) struct NotificationsPage {
    chrome: Chrome,
    items: Vec<Notification>,
    unread: u64,
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<NotificationsPage, PageError> {
    let actor = viewer.actor();
    Ok(NotificationsPage {
        chrome: Chrome::new(&viewer, "消息", "notifications").with_notice(q.notice.as_deref()),
        items: st.app.notifications().list(actor).await?,
        unread: st.app.notifications().unread(actor).await?,
    })
}

/// Marks every message read.
pub(crate) async fn mark_read(
    State(st): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    st.app.notifications().mark_read(viewer.actor()).await?;
    Ok(after("/notifications", PlatformNotice::Read).into_response())
}
