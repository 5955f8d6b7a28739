//! Organizations through the API.

use super::{ApiJson, ApiQuery, List, PageParams};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dangjian_app::Seat;
use dangjian_app::{OrgFilter, OrgSort};
use dangjian_domain::FieldError;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::{NewOrg, Org, OrgKind, Position};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// An organization (党组织).
#[derive(Serialize, ToSchema)]
pub(crate) struct OrgView {
    id: i64,
    parent_id: Option<i64>,
    name: String,
    #[schema(value_type = super::contract::OrgKindCode)]
    kind: String,
    /// For branches.
    #[schema(value_type = Option<super::contract::BranchCategoryCode>)]
    category: Option<String>,
    /// The materialized path of ids from the root, as `/1/5/9/`.
    path: String,
    founded_on: Option<chrono::NaiveDate>,
    dissolved_on: Option<chrono::NaiveDate>,
}

impl From<Org> for OrgView {
    fn from(o: Org) -> Self {
        Self {
            id: o.id.get(),
            parent_id: o.parent_id.map(OrgId::get),
            name: o.name,
            kind: o.kind.code().to_owned(),
            category: o.category.map(|c| c.code().to_owned()),
            path: o.path.as_str().to_owned(),
            founded_on: o.founded_on,
            dissolved_on: o.dissolved_on,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrgQuery {
    /// 1-based page number.
    #[param(minimum = 1, maximum = 10_000_000)]
    page: Option<u64>,
    /// Rows per page (default 20).
    #[param(minimum = 1, maximum = 500)]
    per_page: Option<u64>,
    /// Part of the name.
    name: Option<String>,
    #[param(value_type = Option<super::contract::OrgKindCode>)]
    kind: Option<String>,
    /// Only this organization and those below it.
    under: Option<i64>,
    /// `tree` when left out.
    #[param(value_type = Option<super::contract::OrgSortKey>)]
    sort: Option<String>,
    /// Include dissolved organizations.
    include_dissolved: Option<bool>,
}

/// The organizations the caller may see.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs", operation_id = "list_orgs", params(OrgQuery),
    responses((status = 200, body = List<OrgView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<List<OrgView>>, ApiError> {
    let paging = PageParams {
        page: q.page,
        per_page: q.per_page,
    }
    .paging()?;
    let kind = match q.kind.as_deref() {
        None | Some("") => None,
        Some(k) => Some(OrgKind::parse(k).ok_or_else(|| {
            ApiError(
                FieldError::new(
                    "kind",
                    "组织类型",
                    "应为 committee、general_branch、branch 或 group",
                )
                .into(),
            )
        })?),
    };
    let sort_key = q.sort.as_deref().unwrap_or("tree");
    let (descending, key) = sort_key
        .strip_prefix('-')
        .map_or((false, sort_key), |k| (true, k));
    let sort = match key {
        "tree" => OrgSort::Tree,
        "name" => OrgSort::Name,
        "kind" => OrgSort::Kind,
        "founded_on" => OrgSort::FoundedOn,
        _ => {
            return Err(ApiError(
                FieldError::new("sort", "排序", "应为 tree、name、kind 或 founded_on").into(),
            ));
        }
    };
    let under = match q.under {
        Some(id) => Some(st.app.org().get(&caller.actor, OrgId::new(id)).await?.path),
        None => None,
    };
    let filter = OrgFilter {
        name: q.name,
        kind,
        under,
        include_dissolved: q.include_dissolved.unwrap_or(false),
        sort,
        descending,
    };
    let page = st.app.org().list(&caller.actor, &filter, paging).await?;
    Ok(Json(List {
        total: page.total,
        items: page.items.into_iter().map(OrgView::from).collect(),
    }))
}

/// One organization.
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "orgs", operation_id = "get_org", params(("id" = i64, Path)),
    responses((status = 200, body = OrgView), (status = 404, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
) -> Result<Json<OrgView>, ApiError> {
    Ok(Json(st.app.org().get(&caller.actor, id).await?.into()))
}

/// The direct sub-organizations of an organization.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/children", tag = "orgs", operation_id = "list_org_children", params(("id" = i64, Path)),
    responses((status = 200, body = List<OrgView>), (status = 404, body = ErrorBody)))]
pub(crate) async fn children(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
) -> Result<Json<List<OrgView>>, ApiError> {
    st.app.org().get(&caller.actor, id).await?;
    let children = st.app.org().children(&caller.actor, id, None).await?;
    Ok(Json(List {
        total: children.len() as u64,
        items: children.into_iter().map(OrgView::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewOrgBody {
    parent_id: i64,
    name: String,
    #[schema(value_type = super::contract::OrgKindCode)]
    kind: String,
    /// For branches.
    #[schema(value_type = Option<super::contract::BranchCategoryCode>)]
    category: Option<String>,
    #[schema(value_type = Option<chrono::NaiveDate>)]
    founded_on: Option<String>,
}

/// Founds an organization under `parent_id`.
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", operation_id = "create_org", request_body = NewOrgBody,
    responses((status = 201, body = OrgView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn create(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<NewOrgBody>,
) -> Result<(StatusCode, Json<OrgView>), ApiError> {
    let new = NewOrg::parse(
        &b.name,
        &b.kind,
        b.category.as_deref().unwrap_or(""),
        b.founded_on.as_deref().unwrap_or(""),
        st.app.clock().today(),
    )
    .map_err(|e| ApiError(e.into()))?;
    let org = st
        .app
        .org()
        .found(&caller.actor, OrgId::new(b.parent_id), new)
        .await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

/// An organization as it stood on a past day.
#[derive(Serialize, ToSchema)]
pub(crate) struct PastOrgView {
    #[serde(flatten)]
    org: OrgView,
    /// The parent it had that day (`org.parent_id` is today's).
    parent_id_then: Option<i64>,
    /// Depth below the organization asked for, which is 0.
    depth: usize,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct TreeQuery {
    /// The day; today when left out.
    #[param(value_type = Option<chrono::NaiveDate>)]
    as_of: Option<String>,
}

/// The subtree of an organization as it stood on a day, in tree order: the organizations of
/// that day under the parents of that day (at most 3,000).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/tree", tag = "orgs", operation_id = "get_org_tree",
    params(("id" = i64, Path), TreeQuery),
    responses((status = 200, body = List<PastOrgView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn tree(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    ApiQuery(q): ApiQuery<TreeQuery>,
) -> Result<Json<List<PastOrgView>>, ApiError> {
    let root = st.app.org().get(&caller.actor, id).await?;
    let day =
        dangjian_domain::people::parse_date(q.as_of.as_deref().unwrap_or(""), "as_of", "历史日期")
            .map_err(|e| ApiError(e.into()))?
            .unwrap_or_else(|| st.app.clock().today());
    let rows = st.app.org().tree_on(&caller.actor, &root, day).await?;
    Ok(Json(List {
        total: rows.len() as u64,
        items: rows
            .into_iter()
            .map(|p| PastOrgView {
                parent_id_then: p.parent_id.map(OrgId::get),
                depth: p.depth,
                org: p.org.into(),
            })
            .collect(),
    }))
}

/// A seat of an organization's committee (支部委员会).
#[derive(Serialize, ToSchema)]
pub(crate) struct SeatView {
    id: i64,
    org_id: i64,
    person_id: i64,
    person_name: Option<String>,
    #[schema(value_type = super::contract::PositionCode)]
    position: String,
    term_start: chrono::NaiveDate,
    term_end: chrono::NaiveDate,
    left_on: Option<chrono::NaiveDate>,
}

impl SeatView {
    fn new(s: Seat, person_name: Option<String>) -> Self {
        Self {
            id: s.id,
            org_id: s.org_id.get(),
            person_id: s.person_id.get(),
            person_name,
            position: s.position.code().to_owned(),
            term_start: s.term_start,
            term_end: s.term_end,
            left_on: s.left_on,
        }
    }
}

/// The sitting committee of an organization.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/committee", tag = "orgs", operation_id = "list_committee", params(("id" = i64, Path)),
    responses((status = 200, body = List<SeatView>), (status = 404, body = ErrorBody)))]
pub(crate) async fn committee(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
) -> Result<Json<List<SeatView>>, ApiError> {
    let org = st.app.org().get(&caller.actor, id).await?;
    let committee = st.app.org().committee(&caller.actor, &org).await?;
    Ok(Json(List {
        total: committee.len() as u64,
        items: committee
            .into_iter()
            .map(|c| SeatView::new(c.seat, Some(c.person_name)))
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SeatBody {
    person_id: i64,
    #[schema(value_type = super::contract::PositionCode)]
    position: String,
    /// Today when left out. The term's end follows from the kind of organization.
    #[schema(value_type = Option<chrono::NaiveDate>)]
    term_start: Option<String>,
}

/// Records a seat of the committee (支部条例第九条: one secretary, at most one deputy, at most
/// 7 seats, holders full members of the organization).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/committee", tag = "orgs", operation_id = "appoint_to_committee", params(("id" = i64, Path)),
    request_body = SeatBody,
    responses((status = 201, body = SeatView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn appoint(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::OrgNamed>,
    ApiJson(b): ApiJson<SeatBody>,
) -> Result<(StatusCode, Json<SeatView>), ApiError> {
    let position = Position::parse(&b.position)
        .ok_or_else(|| ApiError(FieldError::new("position", "职务", "不是可选的职务").into()))?;
    let start = dangjian_domain::people::parse_date(
        b.term_start.as_deref().unwrap_or(""),
        "term_start",
        "任期开始",
    )
    .map_err(|e| ApiError(e.into()))?
    .unwrap_or_else(|| st.app.clock().today());
    let seat = st
        .app
        .org()
        .appoint(
            &caller.actor,
            id,
            PersonId::new(b.person_id),
            position,
            start,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(SeatView::new(seat, None))))
}

/// Ends a sitting seat (免职, or the end of a term).
#[utoipa::path(post, path = "/api/v1/seats/{id}/end", tag = "orgs", operation_id = "end_seat", params(("id" = i64, Path)),
    responses((status = 200, body = SeatView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn end_seat(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<SeatView>, ApiError> {
    let seat = st.app.org().end_seat(&caller.actor, id).await?;
    Ok(Json(SeatView::new(seat, None)))
}

/// A change of an organization's place in the tree.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum ChangeBody {
    /// Moves it, with its subtree and members, under `parent_id`.
    Move { parent_id: i64 },
    /// Merges it into `into_id`, of the same kind: members and groups move, it is dissolved.
    Merge { into_id: i64 },
    /// Dissolves it; refused while it has active sub-organizations or people.
    Dissolve,
    /// Splits a branch: founds `name` beside it and moves the people `person_ids` there.
    Split { name: String, person_ids: Vec<i64> },
}

/// Moves, merges, dissolves or splits an organization, keeping its history (组织沿革). Answers
/// the organization changed, or for a split the new one.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/change", tag = "orgs", operation_id = "change_org", params(("id" = i64, Path)),
    request_body = ChangeBody,
    responses((status = 200, body = OrgView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn change(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::OrgNamed>,
    ApiJson(b): ApiJson<ChangeBody>,
) -> Result<Json<OrgView>, ApiError> {
    let actor = &caller.actor;
    let org = match b {
        ChangeBody::Move { parent_id } => {
            st.app
                .org()
                .move_org(actor, id, OrgId::new(parent_id))
                .await?
        }
        ChangeBody::Merge { into_id } => st.app.org().merge(actor, id, OrgId::new(into_id)).await?,
        ChangeBody::Dissolve => st.app.org().dissolve(actor, id).await?,
        ChangeBody::Split { name, person_ids } => {
            let people: Vec<PersonId> = person_ids.into_iter().map(PersonId::new).collect();
            st.app.org().split(actor, id, &name, &people).await?
        }
    };
    Ok(Json(org.into()))
}

/// One item of a ledger.
#[derive(Serialize, ToSchema)]
pub(crate) struct LedgerItemView {
    #[schema(value_type = super::contract::LedgerItemCode)]
    item: String,
    label: String,
    /// False while the module that keeps its records is not there yet.
    kept: bool,
    records: usize,
    /// Photos and documents attached.
    evidence: usize,
    recorders: Vec<String>,
    gaps: Vec<String>,
}

/// One of the five ledgers.
#[derive(Serialize, ToSchema)]
pub(crate) struct LedgerView {
    #[schema(value_type = super::contract::LedgerKindCode)]
    ledger: String,
    label: String,
    items: Vec<LedgerItemView>,
}

/// An organization's five ledgers of a year.
#[derive(Serialize, ToSchema)]
pub(crate) struct LedgersView {
    year: i32,
    collectors: Vec<String>,
    compiler: Option<String>,
    checker: Option<String>,
    gaps: usize,
    ledgers: Vec<LedgerView>,
}

/// The five ledgers (台账) of an organization for a year, read from its records: each item
/// with its records, evidence, recorders and gaps.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/ledgers", tag = "orgs", operation_id = "get_org_ledgers",
    params(("id" = i64, Path), super::meetings::YearParams),
    responses((status = 200, body = LedgersView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn ledgers(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    ApiQuery(q): ApiQuery<super::meetings::YearParams>,
) -> Result<Json<LedgersView>, ApiError> {
    let year = q.year(&st)?;
    let l = st.app.ledgers().of_org(&caller.actor, id, year).await?;
    Ok(Json(LedgersView {
        year: l.year,
        gaps: l.gap_count(),
        collectors: l.collectors,
        compiler: l.compiler,
        checker: l.checker,
        ledgers: l
            .ledgers
            .into_iter()
            .map(|(kind, items)| LedgerView {
                ledger: kind.code().to_owned(),
                label: kind.label().to_owned(),
                items: items
                    .into_iter()
                    .map(|e| LedgerItemView {
                        item: e.item.code().to_owned(),
                        label: e.item.label().to_owned(),
                        kept: e.kept(),
                        records: e.records,
                        evidence: e.evidence,
                        recorders: e.recorders,
                        gaps: e.gaps.iter().map(ToString::to_string).collect(),
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// The units a 联合党支部 covers.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct JointUnitsBody {
    /// One unit each, at most 30; none (or one) for a branch of one unit. More than 5 is
    /// warned of among the size warnings (支部条例第四条), not refused.
    units: Vec<String>,
}

/// The units an organization covers as a 联合党支部 (none for a branch of one unit).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/joint-units", tag = "orgs", operation_id = "get_joint_units",
    params(("id" = i64, Path)),
    responses((status = 200, body = JointUnitsBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn joint_units(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
) -> Result<Json<JointUnitsBody>, ApiError> {
    let org = st.app.org().get(&caller.actor, id).await?;
    let units = st.app.org().joint_units(&caller.actor, &org).await?;
    Ok(Json(JointUnitsBody { units }))
}

/// Records the units a branch covers as a 联合党支部 (who may change the organization).
#[utoipa::path(put, path = "/api/v1/orgs/{id}/joint-units", tag = "orgs", operation_id = "set_joint_units",
    params(("id" = i64, Path)), request_body = JointUnitsBody,
    responses((status = 200, body = JointUnitsBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn set_joint_units(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::OrgNamed>,
    ApiJson(b): ApiJson<JointUnitsBody>,
) -> Result<Json<JointUnitsBody>, ApiError> {
    let typed: Vec<&str> = b.units.iter().map(String::as_str).collect();
    let units = st
        .app
        .org()
        .set_joint_units(&caller.actor, id, &typed)
        .await?;
    Ok(Json(JointUnitsBody { units }))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(children))
        .routes(routes!(tree))
        .routes(routes!(committee, appoint))
        .routes(routes!(end_seat))
        .routes(routes!(change))
        .routes(routes!(ledgers))
        .routes(routes!(joint_units, set_joint_units))
}
