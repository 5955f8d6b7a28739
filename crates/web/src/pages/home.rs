//! The home page: one's roles, the organizations one looks after, and their figures.

use super::Chrome;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use dangjian_app::OrgFilter;
use dangjian_domain::org::{Org, OrgKind};
use dangjian_domain::paging::Paging;
use dangjian_domain::platform::account::GrantRecord;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub(crate) struct HomePage {
    chrome: Chrome,
    grants: Vec<String>,
    scopes: Vec<Org>,
    figures: Vec<(&'static str, u64)>,
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
) -> Result<HomePage, PageError> {
    let actor = viewer.actor();
    let detail = st.app.own_account(actor).await?;
    let grants = detail.grants.iter().map(GrantRecord::describe).collect();
    let scopes = st.app.scope_roots(actor).await?;
    let mut figures = Vec::new();
    if !scopes.is_empty() {
        for kind in OrgKind::ALL {
            let filter = OrgFilter {
                kind: Some(kind),
                ..Default::default()
            };
            let n = st
                .app
                .orgs(
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
    Ok(HomePage {
        chrome: Chrome::new(&viewer, "首页", "home"),
        grants,
        scopes,
        figures,
    })
}
