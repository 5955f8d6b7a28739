//! The organization tree: the list with filter, sort and pagination; an organization's page
//! with its sub-organizations and attachments; founding a sub-organization.

use super::{Chrome, FormErrors, pager, sort_link};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::after;
use crate::pages::platform::PlatformNotice;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_htmx::HxRequest;
use dangjian_app::AppError;
use dangjian_app::Attachment;
use dangjian_app::org::{
    BranchWarning, CommitteeSeat, OrgEventView, OrgOverview, OrgPermits, PastMember,
};
use dangjian_app::transfer::TransferView;
use dangjian_app::{OrgFilter, OrgSort};
use dangjian_domain::FieldError;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::trail;
use dangjian_domain::org::{BranchCategory, NewOrg, Org, OrgKind, PastOrg};
use dangjian_domain::paging::{Page, Paging};
use serde::Deserialize;

use crate::pages::{Area, MenuEntry, MenuGroup, Shown, notices};
use axum::routing::{get, post};
use dangjian_domain::platform::role::Action;

notices! {
    /// What the organization pages say after a redirect.
    OrgNotice {
        Created = "org_created" => "组织已建立",
        SeatAppointed = "seat_appointed" => "职务已登记",
        SeatEnded = "seat_ended" => "职务已免去",
        Split = "org_split" => "已分设新支部，所选人员已转入",
        Moved = "org_moved" => "组织已调整到新的上级组织之下，其下级组织和党员随之调整",
        Merged = "org_merged" => "已合并：党员和党小组已转入本组织",
        Dissolved = "org_dissolved" => "组织已撤销",
        JointUnitsSaved = "joint_units_saved" => "联合单位已登记",
    }
}

pub(super) const AREA: Area = Area {
    routes,
    menu: &[
        MenuEntry {
            href: "/orgs",
            label: "组织机构",
            key: "orgs",
            group: MenuGroup::Work,
            shown: Shown::InSomeScope(Action::ReadOrg),
        },
        MenuEntry {
            href: "/orgs/alerts",
            label: "组织提醒",
            key: "alerts",
            group: MenuGroup::Work,
            shown: Shown::InSomeScope(Action::ReadRecords),
        },
    ],
    notices: OrgNotice::TABLE,
};

fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/orgs", get(list))
        .route("/orgs/alerts", get(alerts))
        .route("/orgs/{id}", get(page))
        .route("/orgs/{id}/children", post(found))
        .route("/orgs/{id}/change", post(change))
        .route("/orgs/{id}/seats", post(appoint))
        .route("/orgs/{id}/split", post(split))
        .route("/orgs/{id}/joint-units", post(set_joint_units))
        .route("/seats/{id}/end", post(end_seat))
        .route(
            "/orgs/{id}/attachments",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route("/attachments/{id}", get(download))
}

/// The most sub-organizations an organization's page lists; the tree page has them all.
const ORG_PAGE_CHILDREN: u64 = 500;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct ListQuery {
    pub name: String,
    pub kind: String,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub under: Option<OrgId>,
    /// `name`, `-name`, `kind`, `-kind`, `founded_on`, `-founded_on`, or empty for tree order.
    pub sort: String,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub page: Option<u64>,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub per_page: Option<u64>,
    /// A past day whose tree to show, `YYYY-MM-DD`.
    pub as_of: String,
    pub notice: Option<String>,
}

impl ListQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.clone()),
            ("kind", self.kind.clone()),
            (
                "under",
                self.under.map(|u| u.to_string()).unwrap_or_default(),
            ),
            ("sort", self.sort.clone()),
        ]
    }
}

pub(crate) struct SortLinks {
    sort_name: String,
    sort_kind: String,
    sort_founded: String,
    mark_name: &'static str,
    mark_kind: &'static str,
    mark_founded: &'static str,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/orgs.html")]
pub(crate) struct OrgsPage {
    chrome: Chrome,
    query: ListQuery,
    kinds: [OrgKind; 4],
    /// Id, name, and whether it is the chosen scope.
    scope_choices: Vec<(OrgId, String, bool)>,
    trail: Vec<Org>,
    list: OrgsList,
}

/// What htmx swaps under the filters: today's table, or the tree of a past day.
#[derive(Template, WebTemplate)]
#[template(
    ext = "html",
    source = "{% match self %}{% when Self::Table(t) %}{{ t|safe }}{% when Self::Past(p) %}{{ p|safe }}{% endmatch %}"
)]
pub(crate) enum OrgsList {
    Table(OrgsTable),
    Past(OrgsPast),
}

/// The tree of a past day: the day, and its rows or why there are none.
pub(crate) struct PastTree {
    day: String,
    rows: Result<Vec<PastOrg>, String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/orgs_past.html")]
pub(crate) struct OrgsPast {
    past: PastTree,
}

/// The tree under `under` (or the actor's first scope) on the day `as_of` names.
async fn past_tree(
    st: &AppState,
    actor: &dangjian_app::Actor,
    under: Option<&Org>,
    as_of: &str,
) -> Result<PastTree, PageError> {
    let day = match dangjian_domain::people::parse_date(as_of, "as_of", "历史日期") {
        Ok(Some(day)) => day,
        Ok(None) => st.app.clock().today(),
        Err(e) => {
            return Ok(PastTree {
                day: as_of.to_owned(),
                rows: Err(e.to_string()),
            });
        }
    };
    let root = match under {
        Some(org) => org.clone(),
        None => match st.app.org().scope_roots(actor).await?.into_iter().next() {
            Some(org) => org,
            None => return Err(AppError::Forbidden("查看组织机构").into()),
        },
    };
    let rows = match st.app.org().tree_on(actor, &root, day).await {
        Ok(rows) => Ok(rows),
        Err(e @ AppError::Invalid(_)) => Err(e.to_string()),
        Err(e) => return Err(e.into()),
    };
    Ok(PastTree {
        day: day.to_string(),
        rows,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "org/orgs_table.html")]
pub(crate) struct OrgsTable {
    page: Page<Org>,
    paging: Paging,
    pages: u64,
    links: SortLinks,
}

fn sort_of(s: &str) -> (OrgSort, bool) {
    let (desc, key) = s.strip_prefix('-').map_or((false, s), |k| (true, k));
    let sort = match key {
        "name" => OrgSort::Name,
        "kind" => OrgSort::Kind,
        "founded_on" => OrgSort::FoundedOn,
        _ => OrgSort::Tree,
    };
    (sort, desc)
}

pub(crate) async fn list(
    State(st): State<AppState>,
    viewer: Viewer,
    HxRequest(fragment): HxRequest,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let actor = viewer.actor();
    let paging = Paging::parse(q.page, q.per_page).unwrap_or_default();
    let (sort, descending) = sort_of(&q.sort);
    let under = match q.under {
        Some(id) => Some(st.app.org().get(actor, id).await?),
        None => None,
    };
    let filter = OrgFilter {
        name: Some(q.name.trim().to_owned()),
        kind: OrgKind::parse(&q.kind),
        under: under.as_ref().map(|o| o.path.clone()),
        sort,
        descending,
        ..Default::default()
    };
    let page = st.app.org().list(actor, &filter, paging).await?;
    let pages = paging.pages(page.total);
    let params = q.params();
    let sort = |key: &str| sort_link("/orgs", &params, &q.sort, key);
    let ((sort_name, mark_name), (sort_kind, mark_kind), (sort_founded, mark_founded)) =
        (sort("name"), sort("kind"), sort("founded_on"));
    let (prev, next) = pager("/orgs", &params, paging, page.total);
    let links = SortLinks {
        sort_name,
        sort_kind,
        sort_founded,
        mark_name,
        mark_kind,
        mark_founded,
        prev,
        next,
    };
    let past = match q.as_of.trim() {
        "" => None,
        day => Some(past_tree(&st, actor, under.as_ref(), day).await?),
    };
    let list = match past {
        Some(past) => OrgsList::Past(OrgsPast { past }),
        None => OrgsList::Table(OrgsTable {
            page,
            paging,
            pages,
            links,
        }),
    };
    if fragment {
        return Ok(list.into_response());
    }
    let trail = match &under {
        Some(org) => st.app.org().ancestors(actor, org).await?,
        None => Vec::new(),
    };
    let scope_choices = super::scope_choices(&st, actor, q.under).await?;
    Ok(OrgsPage {
        chrome: Chrome::new(&viewer, "组织机构", "orgs").with_notice(q.notice.as_deref()),
        query: q,
        kinds: OrgKind::ALL,
        scope_choices,
        trail,
        list,
    }
    .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct OrgForm {
    name: String,
    kind: String,
    category: String,
    founded_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/org.html")]
pub(crate) struct OrgPage {
    chrome: Chrome,
    org: Org,
    trail: Vec<Org>,
    children: Vec<Org>,
    /// Whether `children` stops at `ORG_PAGE_CHILDREN`.
    children_capped: bool,
    overview: OrgOverview,
    transfers: Vec<TransferView>,
    events: Vec<OrgEventView>,
    /// The roster of a past day, when asked for: (day, name, status, branch).
    past: Option<(String, Vec<PastMember>)>,
    change_error: Option<String>,
    seat_error: Option<String>,
    positions: Vec<(String, String)>,
    /// The branch's people, for choosing whom a split takes: (id, name, status).
    split_people: Vec<(PersonId, String, String)>,
    /// Each attachment with its upload time as people read it.
    attachments: Vec<(Attachment, String)>,
    permits: OrgPermits,
    kinds: [OrgKind; 4],
    categories: [BranchCategory; 4],
    form: OrgForm,
    errors: FormErrors,
    form_message: Option<String>,
    upload_error: Option<String>,
}

async fn org_page(
    st: &AppState,
    viewer: &Viewer,
    id: OrgId,
    form: OrgForm,
    errors: FormErrors,
    form_message: Option<String>,
    notice: Option<&str>,
) -> Result<OrgPage, AppError> {
    let actor = viewer.actor();
    let org = st.app.org().get(actor, id).await?;
    let trail = st.app.org().ancestors(actor, &org).await?;
    let children = st
        .app
        .org()
        .children(actor, id, Some(ORG_PAGE_CHILDREN))
        .await?;
    let overview = st.app.org().overview(actor, &org).await?;
    let transfers = if overview.may_read_people {
        st.app.people().pending_transfers(actor, &org).await?
    } else {
        Vec::new()
    };
    let events = st.app.org().events(&org).await?;
    let permits = st.app.org().permits(actor, &org);
    let split_people = if permits.split {
        let query = dangjian_app::people::PeopleQuery {
            under: Some(org.id),
            ..Default::default()
        };
        let paging =
            Paging::parse(Some(1), Some(dangjian_domain::paging::MAX_PER_PAGE)).unwrap_or_default();
        st.app
            .people()
            .list(actor, &query, paging)
            .await?
            .items
            .into_iter()
            .map(|r| {
                (
                    r.person.id,
                    r.person.name,
                    r.person.status.label().to_owned(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let attachments = st
        .app
        .attachments()
        .of(actor, trail::ORG, id.get())
        .await?
        .into_iter()
        .map(|a| {
            let at = dangjian_domain::clock::display_time(a.created_at);
            (a, at)
        })
        .collect();
    Ok(OrgPage {
        chrome: Chrome::new(viewer, org.name.clone(), "orgs").with_notice(notice),
        permits,
        org,
        trail,
        children_capped: children.len() as u64 >= ORG_PAGE_CHILDREN,
        children,
        overview,
        transfers,
        events,
        past: None,
        change_error: None,
        seat_error: None,
        split_people,
        positions: dangjian_domain::org::Position::ALL
            .iter()
            .map(|p| (p.code().to_owned(), p.label().to_owned()))
            .collect(),
        attachments,
        kinds: OrgKind::ALL,
        categories: BranchCategory::ALL,
        form,
        errors,
        form_message,
        upload_error: None,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct OrgQuery {
    notice: Option<String>,
    /// A past day whose roster to show, `YYYY-MM-DD`.
    as_of: String,
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Query(q): Query<OrgQuery>,
) -> Result<OrgPage, PageError> {
    let mut page = org_page(
        &st,
        &viewer,
        id,
        OrgForm::default(),
        FormErrors::default(),
        None,
        q.notice.as_deref(),
    )
    .await?;
    if !q.as_of.trim().is_empty() && page.overview.may_read_people {
        let day = dangjian_domain::people::parse_date(&q.as_of, "as_of", "日期")
            .map_err(AppError::from)?
            .unwrap_or_else(|| st.app.clock().today());
        let roster = st
            .app
            .org()
            .members_on(viewer.actor(), &page.org, day)
            .await?;
        page.past = Some((day.to_string(), roster));
    }
    Ok(page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ChangeForm {
    /// move, merge or dissolve.
    action: String,
    /// The new parent (move) or the organization merged into (merge), by name.
    target: String,
}

/// Moves, merges or dissolves an organization.
pub(crate) async fn change(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Form(f): Form<ChangeForm>,
) -> Result<Response, PageError> {
    let actor = viewer.actor();
    let result = async {
        match f.action.as_str() {
            "move" => {
                let parent = st
                    .app
                    .org()
                    .named(&f.target, None, ("target", "新的上级组织"))
                    .await?;
                st.app
                    .org()
                    .move_org(actor, id, parent.id)
                    .await
                    .map(|o| (o.id, OrgNotice::Moved))
            }
            "merge" => {
                let into = st
                    .app
                    .org()
                    .named(&f.target, None, ("target", "并入的组织"))
                    .await?;
                st.app
                    .org()
                    .merge(actor, id, into.id)
                    .await
                    .map(|o| (o.id, OrgNotice::Merged))
            }
            "dissolve" => st
                .app
                .org()
                .dissolve(actor, id)
                .await
                .map(|o| (o.id, OrgNotice::Dissolved)),
            _ => Err(FieldError::new("action", "操作", "应为调整、合并或撤销").into()),
        }
    }
    .await;
    match result {
        Ok((to, notice)) => Ok(after(&format!("/orgs/{to}"), notice).into_response()),
        Err(e) => refused(&st, &viewer, id, e, Section::Change).await,
    }
}

pub(crate) async fn found(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Form(f): Form<OrgForm>,
) -> Result<Response, PageError> {
    let today = st.app.clock().today();
    let result = match NewOrg::parse(&f.name, &f.kind, &f.category, &f.founded_on, today) {
        Ok(new) => st.app.org().found(viewer.actor(), id, new).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(org) => Ok(after(&format!("/orgs/{}", org.id), OrgNotice::Created).into_response()),
        Err(e) => {
            let (errors, message) = FormErrors::from_app(e)?;
            let page = org_page(&st, &viewer, id, f, errors, message, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The part of an organization's page whose form was refused.
enum Section {
    Change,
    Seat,
    Upload,
}

/// The organization's page again, with a refused form's message in its section.
async fn refused(
    st: &AppState,
    viewer: &Viewer,
    id: OrgId,
    e: AppError,
    section: Section,
) -> Result<Response, PageError> {
    let (errors, message) = FormErrors::from_app(e)?;
    let message = message.or_else(|| errors.first());
    let mut page = org_page(
        st,
        viewer,
        id,
        OrgForm::default(),
        FormErrors::default(),
        None,
        None,
    )
    .await?;
    match section {
        Section::Change => page.change_error = message,
        Section::Seat => page.seat_error = message,
        Section::Upload => page.upload_error = message,
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub(crate) async fn upload(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    headers: axum::http::HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let result = async {
        let target = (
            dangjian_app::UploadTarget::Record(trail::ORG, id.get()),
            "附件",
        );
        let (name, bytes, _) =
            super::read_upload(&st, &viewer, target, &headers, multipart).await?;
        st.app
            .attachments()
            .upload(viewer.actor(), trail::ORG, id.get(), &name, &bytes)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(after(&format!("/orgs/{id}"), PlatformNotice::Uploaded).into_response()),
        Err(e) => refused(&st, &viewer, id, e, Section::Upload).await,
    }
}

pub(crate) async fn download(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (attachment, bytes) = st.app.attachments().download(viewer.actor(), id).await?;
    Ok(crate::download::attachment(&attachment, bytes))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AlertsQuery {
    #[serde(deserialize_with = "super::empty_as_none")]
    under: Option<OrgId>,
    #[serde(deserialize_with = "super::empty_as_none")]
    days: Option<u32>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/alerts.html")]
pub(crate) struct AlertsPage {
    chrome: Chrome,
    scope_choices: Vec<(OrgId, String, bool)>,
    days: u32,
    terms: Vec<(Org, CommitteeSeat)>,
    warnings: Vec<BranchWarning>,
    whereabouts: Vec<dangjian_app::people::whereabouts::WhereaboutsDueRow>,
}

/// Organizations whose term ends soon (换届) and branches the size rules warn about.
pub(crate) async fn alerts(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AlertsQuery>,
) -> Result<AlertsPage, PageError> {
    let actor = viewer.actor();
    let org = match q.under {
        Some(id) => st.app.org().get(actor, id).await?,
        None => st
            .app
            .org()
            .scope_roots(actor)
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?,
    };
    let days = q.days.unwrap_or(90).clamp(1, 730);
    let terms = st.app.org().terms_ending(actor, &org, days).await?;
    let warnings = st.app.org().size_warning_list(actor, &org).await?;
    let whereabouts = st
        .app
        .people()
        .whereabouts_due(actor, &org.path, days)
        .await?;
    let scope_choices = super::scope_choices(&st, actor, Some(org.id)).await?;
    Ok(AlertsPage {
        chrome: Chrome::new(&viewer, "组织提醒", "alerts"),
        scope_choices,
        days,
        terms,
        warnings,
        whereabouts,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct SeatForm {
    position: String,
    /// The holder's name, or whole ID number when names repeat.
    person: String,
    term_start: String,
}

/// Records a seat of the organization's committee.
pub(crate) async fn appoint(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    Form(f): Form<SeatForm>,
) -> Result<Response, PageError> {
    let actor = viewer.actor();
    let result = async {
        let position = dangjian_domain::org::Position::parse(&f.position)
            .ok_or_else(|| FieldError::new("position", "职务", "请选择职务"))?;
        let start = dangjian_domain::people::parse_date(&f.term_start, "term_start", "任期开始")?
            .unwrap_or_else(|| st.app.clock().today());
        let typed = f.person.trim();
        if typed.is_empty() {
            return Err(FieldError::new("person", "人员", "请填写姓名或身份证号").into());
        }
        let query = dangjian_app::people::PeopleQuery {
            under: Some(id),
            q: Some(typed.to_owned()),
            ..Default::default()
        };
        let found = st
            .app
            .people()
            .list(actor, &query, Paging::default())
            .await?;
        let exact: Vec<_> = found
            .items
            .iter()
            .filter(|r| r.person.name == typed || found.total == 1)
            .collect();
        let person = match exact.as_slice() {
            [one] => one.person.id,
            [] => return Err(FieldError::new("person", "人员", "本组织名册中没有此人").into()),
            _ => {
                return Err(FieldError::new("person", "人员", "有同名人员，请改填身份证号").into());
            }
        };
        st.app
            .org()
            .appoint(actor, id, person, position, start)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(after(&format!("/orgs/{id}"), OrgNotice::SeatAppointed).into_response()),
        Err(e) => refused(&st, &viewer, id, e, Section::Seat).await,
    }
}

pub(crate) async fn end_seat(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Redirect, PageError> {
    let seat = st.app.org().end_seat(viewer.actor(), id).await?;
    Ok(after(
        &format!("/orgs/{}", seat.org_id),
        OrgNotice::SeatEnded,
    ))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct JointUnitsForm {
    joint_units: String,
}

/// Records the units a 联合党支部 covers, one per line.
pub(crate) async fn set_joint_units(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    axum::Form(f): axum::Form<JointUnitsForm>,
) -> Result<Response, PageError> {
    match st
        .app
        .org()
        .set_joint_units(
            viewer.actor(),
            id,
            &f.joint_units.lines().collect::<Vec<_>>(),
        )
        .await
    {
        Ok(_) => Ok(after(&format!("/orgs/{id}"), OrgNotice::JointUnitsSaved).into_response()),
        Err(e) => refused(&st, &viewer, id, e, Section::Change).await,
    }
}

/// Splits a branch: a new branch beside it takes the chosen people (`person_id`, repeated).
pub(crate) async fn split(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrgId>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let name = pairs
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let people: Vec<PersonId> = pairs
        .iter()
        .filter(|(k, _)| k == "person_id")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    match st.app.org().split(viewer.actor(), id, &name, &people).await {
        Ok(new) => Ok(after(&format!("/orgs/{}", new.id), OrgNotice::Split).into_response()),
        Err(e) => refused(&st, &viewer, id, e, Section::Change).await,
    }
}
