//! The dashboard (统计分析) of any subtree: figures as tables, charts drawn by ECharts from
//! the same figures, and a spreadsheet export.

use super::Chrome;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::after;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use dangjian_app::insight::Dashboard;
use dangjian_domain::FieldError;
use dangjian_domain::ids::OrgId;
use serde::Deserialize;

use crate::pages::{Area, MenuEntry, MenuGroup, Shown, notices};
use axum::routing::{get, post};
use dangjian_domain::platform::role::Action;

notices! {
    /// What the statistics pages say after a redirect.
    InsightNotice {
        StudentsSaved = "students_saved" => "在校学生数已登记",
    }
}

pub(super) const AREA: Area = Area {
    routes,
    menu: &[MenuEntry {
        href: "/dashboard",
        label: "统计分析",
        key: "dashboard",
        group: MenuGroup::Work,
        shown: Shown::InSomeScope(Action::ReadRecords),
    }],
    notices: InsightNotice::TABLE,
};

fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/dashboard", get(page))
        .route("/dashboard.xlsx", get(export))
        .route("/orgs/{id}/students", post(set_students))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct DashboardQuery {
    #[serde(deserialize_with = "super::empty_as_none")]
    under: Option<OrgId>,
}

#[derive(Template, WebTemplate)]
#[template(path = "insight/dashboard.html")]
pub(crate) struct DashboardPage {
    chrome: Chrome,
    d: std::sync::Arc<Dashboard>,
    /// The figures for the charts, as JSON inside a script element.
    data: String,
    scope_choices: Vec<(OrgId, String, bool)>,
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DashboardQuery>,
) -> Result<DashboardPage, PageError> {
    let actor = viewer.actor();
    let d = st.app.insight().dashboard(actor, q.under).await?;
    let scope_choices = super::scope_choices(&st, actor, Some(d.org.id)).await?;
    // `<` escaped so that no name typed by a user can close the script element.
    let data = serde_json::to_string(&d)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    Ok(DashboardPage {
        chrome: Chrome::new(&viewer, "统计分析", "dashboard"),
        d,
        data,
        scope_choices,
    })
}

pub(crate) async fn export(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let bytes = st
        .app
        .insight()
        .dashboard_xlsx(viewer.actor(), q.under)
        .await?;
    Ok(crate::download::xlsx("党建统计.xlsx", "dashboard", bytes))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct StudentsForm {
    students: String,
}

pub(crate) async fn set_students(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Form(f): Form<StudentsForm>,
) -> Result<Redirect, PageError> {
    let students =
        f.students.trim().parse::<u64>().map_err(|_| {
            PageError(FieldError::new("students", "在校学生数", "应为非负整数").into())
        })?;
    st.app
        .insight()
        .set_students(viewer.actor(), id, students)
        .await?;
    Ok(after(&format!("/orgs/{id}"), InsightNotice::StudentsSaved))
}
