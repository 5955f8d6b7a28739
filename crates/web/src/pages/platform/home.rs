//! The home page: one's roles, the organizations one looks after, and their figures.

use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use dangjian_app::OrgFilter;
use dangjian_app::development::BoardRow;
use dangjian_domain::org::{Org, OrgKind};
use dangjian_domain::paging::Paging;
use dangjian_domain::platform::account::GrantRecord;
use dangjian_domain::platform::role::Action;

#[derive(Template, WebTemplate)]
#[template(path = "platform/home.html")]
pub(crate) struct HomePage {
    chrome: Chrome,
    grants: Vec<String>,
    scopes: Vec<Org>,
    figures: Vec<(&'static str, u64)>,
    /// Per organization looked after: its development deadlines passed or near (the first
    /// few), how many in all, and how many already passed.
    due: Vec<(Org, Vec<BoardRow>, usize, usize)>,
    unread: u64,
}

/// How many due items the home page lists per organization; the board has them all.
const HOME_DUE_ROWS: usize = 8;

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
) -> Result<HomePage, PageError> {
    let actor = viewer.actor();
    let detail = st.app.accounts().own(actor).await?;
    let grants = detail.grants.iter().map(GrantRecord::describe).collect();
    let scopes = st.app.org().scope_roots(actor).await?;
    let mut figures = Vec::new();
    if !scopes.is_empty() {
        for kind in OrgKind::ALL {
            let filter = OrgFilter {
                kind: Some(kind),
                ..Default::default()
            };
            let n = st
                .app
                .org()
                .list(
                    actor,
                    &filter,
                    Paging {
                        page: 1,
                        per_page: 1,
                    },
                )
                .await?
                .total;
            figures.push((kind.label(), n));
        }
    }
    let mut due = Vec::new();
    let boards = st
        .app
        .development()
        .due_boards(actor, &scopes, Action::ReadRecords)
        .await?;
    for (org, board) in boards {
        let overdue = board
            .due
            .iter()
            .filter(|r| r.due.is_some_and(|d| d.2))
            .count();
        let total = board.due.len();
        let mut rows = board.due;
        rows.truncate(HOME_DUE_ROWS);
        due.push((org, rows, total, overdue));
    }
    Ok(HomePage {
        chrome: Chrome::new(&viewer, "首页", "home"),
        grants,
        scopes,
        figures,
        due,
        unread: st.app.notifications().unread(actor).await?,
    })
}
