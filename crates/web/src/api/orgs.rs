//! Organizations through the API.

use super::{ApiJson, ApiQuery, List, PageParams};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dangjian_app::{OrgFilter, OrgSort};
use dangjian_domain::FieldError;
use dangjian_domain::org::{NewOrg, Org, OrgKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An organization (党组织).
#[derive(Serialize, ToSchema)]
pub(crate) struct OrgView {
    id: i64,
    parent_id: Option<i64>,
    name: String,
    /// `committee`, `general_branch`, `branch` or `group`.
    kind: String,
    /// For branches: `staff`, `student`, `retired` or `mixed`.
    category: Option<String>,
    /// The materialized path of ids from the root, as `/1/5/9/`.
    path: String,
    founded_on: Option<chrono::NaiveDate>,
    dissolved_on: Option<chrono::NaiveDate>,
}

impl From<Org> for OrgView {
    fn from(o: Org) -> Self {
        Self {
            id: o.id,
            parent_id: o.parent_id,
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
#[serde(deny_unknown_fields)]
pub(crate) struct OrgQuery {
    page: Option<u64>,
    per_page: Option<u64>,
    /// Part of the name.
    name: Option<String>,
    /// `committee`, `general_branch`, `branch` or `group`.
    kind: Option<String>,
    /// Only this organization and those below it.
    under: Option<i64>,
    /// `tree` (default), `name`, `kind` or `founded_on`; prefix `-` for descending.
    sort: Option<String>,
    /// Include dissolved organizations.
    include_dissolved: Option<bool>,
}

/// The organizations the caller may see.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs", params(OrgQuery),
    responses((status = 200, body = List<OrgView>), (status = 422, body = ErrorBody)))]
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
        Some(id) => Some(st.app.org(&caller.actor, id).await?.path),
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
    let page = st.app.orgs(&caller.actor, &filter, paging).await?;
    Ok(Json(List {
        total: page.total,
        items: page.items.into_iter().map(OrgView::from).collect(),
    }))
}

/// One organization.
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = OrgView), (status = 404, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<OrgView>, ApiError> {
    Ok(Json(st.app.org(&caller.actor, id).await?.into()))
}

/// The direct sub-organizations of an organization.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/children", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = List<OrgView>), (status = 404, body = ErrorBody)))]
pub(crate) async fn children(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<List<OrgView>>, ApiError> {
    st.app.org(&caller.actor, id).await?;
    let children = st.app.org_children(&caller.actor, id).await?;
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
    /// `committee`, `general_branch`, `branch` or `group`.
    kind: String,
    /// For branches: `staff`, `student`, `retired` or `mixed`.
    category: Option<String>,
    /// `YYYY-MM-DD`.
    founded_on: Option<String>,
}

/// Founds an organization under `parent_id`.
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = NewOrgBody,
    responses((status = 201, body = OrgView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
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
    let org = st.app.found_org(&caller.actor, b.parent_id, new).await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}
