//! The five ledgers (台账) of an organization for a year, as a page.

use super::Chrome;
use super::meetings::YearQuery;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use chrono::Datelike;
use dangjian_app::ledgers::{LedgerLink, Ledgers};
use dangjian_domain::ids::OrgId;

use crate::pages::Area;
use axum::routing::get;

pub(super) const AREA: Area = Area {
    routes,
    menu: &[],
    notices: &[],
};

fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/orgs/{id}/ledgers", get(page))
}

#[derive(Template, WebTemplate)]
#[template(path = "ledgers/ledgers.html")]
pub(crate) struct LedgersPage {
    chrome: Chrome,
    l: Ledgers,
}

impl LedgersPage {
    /// The page where an item's records are read and kept, for the organization and year of
    /// the ledgers where the records are yearly.
    fn href(&self, link: &LedgerLink) -> String {
        let (id, year) = (self.l.org.id, self.l.year);
        match link {
            LedgerLink::Roster => format!("/people?under={id}"),
            LedgerLink::DevelopmentBoard => format!("/orgs/{id}/development"),
            LedgerLink::DevelopmentSteps => format!("/orgs/{id}/development?year={year}"),
            LedgerLink::ThoughtReports => format!("/orgs/{id}/thought-reports?year={year}"),
            LedgerLink::Meetings => format!("/orgs/{id}/meetings?year={year}"),
            LedgerLink::HeartTalks => format!("/orgs/{id}/talks?year={year}"),
            LedgerLink::MemberLife => format!("/orgs/{id}/member-life?year={year}"),
            LedgerLink::Organization => format!("/orgs/{id}"),
        }
    }
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<YearQuery>,
) -> Result<LedgersPage, PageError> {
    let year = q.year.unwrap_or_else(|| st.app.clock().today().year());
    let l = st.app.ledgers().of_org(viewer.actor(), id, year).await?;
    Ok(LedgersPage {
        chrome: Chrome::new(&viewer, format!("{} · 台账", l.org.name), "orgs"),
        l,
    })
}
