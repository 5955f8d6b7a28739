//! People, members, transfers and disciplines through the API.

use super::{ApiJson, ApiQuery, List, PageParams};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dangjian_app::PersonSort;
use dangjian_app::people::whereabouts::{WhereaboutsAct, WhereaboutsRecord};
use dangjian_app::people::{PeopleQuery, PersonRow};
use dangjian_domain::FieldError;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::people::discipline::Discipline;
use dangjian_domain::people::whereabouts::Whereabouts;
use dangjian_domain::people::{Education, Person, PersonCategory, PersonInput, PersonStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A person (人员) of the roster; the ID number and phone only masked.
#[derive(Serialize, ToSchema)]
pub(crate) struct PersonView {
    id: i64,
    name: String,
    #[schema(value_type = super::contract::PersonStatusCode)]
    status: String,
    #[schema(value_type = super::contract::PersonCategoryCode)]
    category: String,
    org_id: i64,
    group_id: Option<i64>,
    /// The branch's name (in lists).
    org_name: Option<String>,
    #[schema(value_type = super::contract::GenderCode)]
    gender: String,
    birth_date: chrono::NaiveDate,
    ethnicity: String,
    national_id_masked: String,
    phone_masked: Option<String>,
    native_place: Option<String>,
    #[schema(value_type = super::contract::EducationCode)]
    education: String,
    #[schema(value_type = super::contract::DegreeCode)]
    degree: String,
    #[schema(value_type = super::contract::TitleLevelCode)]
    title_level: String,
    title: Option<String>,
    school: Option<String>,
    class_name: Option<String>,
    staff_no: Option<String>,
    join_date: Option<chrono::NaiveDate>,
    confirmation_date: Option<chrono::NaiveDate>,
    transfer_pending: bool,
    /// Send it back when changing the person: a change made meanwhile is refused.
    version: i64,
}

impl PersonView {
    fn of(p: Person, org_name: Option<String>) -> Self {
        Self {
            id: p.id.get(),
            status: p.status.code().to_owned(),
            category: p.category.code().to_owned(),
            org_id: p.org_id.get(),
            group_id: p.group_id.map(OrgId::get),
            org_name,
            gender: p.gender.code().to_owned(),
            birth_date: p.birth_date,
            ethnicity: p.ethnicity,
            national_id_masked: p.national_id_masked,
            phone_masked: p.phone_masked,
            native_place: p.native_place,
            education: p.education.code().to_owned(),
            degree: p.degree.code().to_owned(),
            title_level: p.title_level.code().to_owned(),
            title: p.title,
            school: p.school,
            class_name: p.class_name,
            staff_no: p.staff_no,
            join_date: p.join_date,
            confirmation_date: p.confirmation_date,
            transfer_pending: p.transfer_pending,
            version: p.version,
            name: p.name,
        }
    }
}

impl From<PersonRow> for PersonView {
    fn from(r: PersonRow) -> Self {
        Self::of(r.person, Some(r.org_name))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeopleParams {
    /// 1-based page number.
    #[param(minimum = 1, maximum = 10_000_000)]
    page: Option<u64>,
    /// Rows per page (default 20).
    #[param(minimum = 1, maximum = 500)]
    per_page: Option<u64>,
    /// A name, its pinyin or initials (`zhangsan`, `zs`), or a whole ID number.
    q: Option<String>,
    /// Only this organization's subtree.
    under: Option<i64>,
    #[param(value_type = Option<super::contract::PersonStatusFilter>)]
    status: Option<String>,
    #[param(value_type = Option<super::contract::PersonCategoryCode>)]
    category: Option<String>,
    #[param(value_type = Option<super::contract::EducationCode>)]
    education: Option<String>,
    age_min: Option<u32>,
    age_max: Option<u32>,
    /// `org` (by branch, then name) when left out. `total` counts up to 10,001: more matches
    /// answer 10001.
    #[param(value_type = Option<super::contract::PersonSortKey>)]
    sort: Option<String>,
}

fn bad(field: &'static str, label: &'static str, message: &str) -> ApiError {
    ApiError(FieldError::new(field, label, message).into())
}

fn enum_param<T>(
    value: &Option<String>,
    parse: fn(&str) -> Option<T>,
    field: &'static str,
    label: &'static str,
) -> Result<Option<T>, ApiError> {
    match value.as_deref() {
        None | Some("") => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| bad(field, label, "不是可用的取值，见 OpenAPI 文档")),
    }
}

impl PeopleParams {
    fn query(&self) -> Result<PeopleQuery, ApiError> {
        let members_only = self.status.as_deref() == Some("members");
        let status = if members_only {
            None
        } else {
            enum_param(&self.status, PersonStatus::parse, "status", "政治面貌")?
        };
        let key = self.sort.as_deref().unwrap_or("org");
        let (descending, key) = key.strip_prefix('-').map_or((false, key), |k| (true, k));
        let sort = match key {
            "name" => PersonSort::Name,
            "org" => PersonSort::Org,
            "birth_date" => PersonSort::BirthDate,
            "join_date" => PersonSort::JoinDate,
            "status" => PersonSort::Status,
            _ => {
                return Err(bad(
                    "sort",
                    "排序",
                    "应为 name、org、birth_date、join_date 或 status",
                ));
            }
        };
        Ok(PeopleQuery {
            under: self.under.map(OrgId::new),
            status,
            members_only,
            category: enum_param(
                &self.category,
                PersonCategory::parse,
                "category",
                "人员类别",
            )?,
            education: enum_param(&self.education, Education::parse, "education", "学历")?,
            age_min: self.age_min,
            age_max: self.age_max,
            q: self.q.clone(),
            sort,
            descending,
        })
    }
}

async fn list_people(
    st: &AppState,
    caller: &Caller,
    params: &PeopleParams,
    query: PeopleQuery,
) -> Result<Json<List<PersonView>>, ApiError> {
    let paging = PageParams {
        page: params.page,
        per_page: params.per_page,
    }
    .paging()?;
    let page = st.app.people().list(&caller.actor, &query, paging).await?;
    Ok(Json(List {
        total: page.total,
        items: page.items.into_iter().map(PersonView::from).collect(),
    }))
}

/// The people the caller may see, filtered, searched, sorted and paged.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", operation_id = "list_people", params(PeopleParams),
    responses((status = 200, body = List<PersonView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PeopleParams>,
) -> Result<Json<List<PersonView>>, ApiError> {
    let query = q.query()?;
    list_people(&st, &caller, &q, query).await
}

/// The members of an organization's subtree (full and probationary unless `status` says).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/members", tag = "orgs", operation_id = "list_org_members", params(("id" = i64, Path), PeopleParams),
    responses((status = 200, body = List<PersonView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn members(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    ApiQuery(q): ApiQuery<PeopleParams>,
) -> Result<Json<List<PersonView>>, ApiError> {
    let mut query = q.query()?;
    query.under = Some(id);
    if q.status.is_none() {
        query.members_only = true;
    }
    list_people(&st, &caller, &q, query).await
}

/// One period of a person's history.
#[derive(Serialize, ToSchema)]
pub(crate) struct HistoryView {
    from_on: chrono::NaiveDate,
    until_on: Option<chrono::NaiveDate>,
    org_id: i64,
    org_name: String,
    #[schema(value_type = super::contract::PersonStatusCode)]
    status: String,
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct PersonDetail {
    #[serde(flatten)]
    person: PersonView,
    group_name: Option<String>,
    history: Vec<HistoryView>,
}

/// One person with their history.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", operation_id = "get_person", params(("id" = i64, Path)),
    responses((status = 200, body = PersonDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
) -> Result<Json<PersonDetail>, ApiError> {
    let v = st.app.people().get(&caller.actor, id).await?;
    Ok(Json(PersonDetail {
        person: PersonView::of(v.person, Some(v.org.name)),
        group_name: v.group.map(|g| g.name),
        history: v
            .history
            .into_iter()
            .map(|h| HistoryView {
                from_on: h.from_on,
                until_on: h.until_on,
                org_id: h.org_id.get(),
                org_name: h.org_name,
                status: h.status.code().to_owned(),
                reason: h.reason,
            })
            .collect(),
    }))
}

/// A person's fields as the 采集表 has them; enumerations by code (or by the Chinese label,
/// as a spreadsheet has them).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonBody {
    /// The branch (for a new person).
    org_id: Option<i64>,
    group_id: Option<i64>,
    /// The version read (for a change).
    version: Option<i64>,
    name: String,
    /// 18 characters, checked by GB 11643; may be left out when changing a person.
    #[serde(default)]
    national_id: String,
    ethnicity: String,
    #[serde(default)]
    native_place: String,
    #[schema(value_type = super::contract::EducationCode)]
    education: String,
    #[serde(default)]
    #[schema(value_type = super::contract::DegreeCode)]
    degree: String,
    #[serde(default)]
    #[schema(value_type = super::contract::TitleLevelCode)]
    title_level: String,
    #[serde(default)]
    title: String,
    #[schema(value_type = super::contract::PersonCategoryCode)]
    category: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    class_name: String,
    #[serde(default)]
    staff_no: String,
    #[serde(default)]
    phone: String,
    #[schema(value_type = super::contract::PersonStatusCode)]
    status: String,
    /// For members.
    #[serde(default)]
    #[schema(value_type = chrono::NaiveDate)]
    join_date: String,
    /// For full members.
    #[serde(default)]
    #[schema(value_type = chrono::NaiveDate)]
    confirmation_date: String,
}

impl PersonBody {
    fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            national_id: self.national_id.clone(),
            ethnicity: self.ethnicity.clone(),
            native_place: self.native_place.clone(),
            education: self.education.clone(),
            degree: self.degree.clone(),
            title_level: self.title_level.clone(),
            title: self.title.clone(),
            category: self.category.clone(),
            school: self.school.clone(),
            class_name: self.class_name.clone(),
            staff_no: self.staff_no.clone(),
            phone: self.phone.clone(),
            status: self.status.clone(),
            join_date: self.join_date.clone(),
            confirmation_date: self.confirmation_date.clone(),
        }
    }
}

/// Adds a person to a branch.
#[utoipa::path(post, path = "/api/v1/people", tag = "people", operation_id = "create_person", request_body = PersonBody,
    responses((status = 201, body = PersonView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn create(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<PersonBody>,
) -> Result<(StatusCode, Json<PersonView>), ApiError> {
    let org_id = b
        .org_id
        .ok_or_else(|| bad("org_id", "所在党支部", "不能为空"))?;
    let p = st
        .app
        .people()
        .add(
            &caller.actor,
            OrgId::new(org_id),
            b.group_id.map(OrgId::new),
            &b.input(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(PersonView::of(p, None))))
}

/// Changes a person; `version` must be the one read.
#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "people", operation_id = "update_person", params(("id" = i64, Path)), request_body = PersonBody,
    responses((status = 200, body = PersonView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn update(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::PersonNamed>,
    ApiJson(b): ApiJson<PersonBody>,
) -> Result<Json<PersonView>, ApiError> {
    let version = b
        .version
        .ok_or_else(|| bad("version", "版本", "不能为空：请带上读取时的 version"))?;
    let p = st
        .app
        .people()
        .edit(
            &caller.actor,
            id,
            version,
            b.group_id.map(OrgId::new),
            &b.input(),
        )
        .await?;
    Ok(Json(PersonView::of(p, None)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TransferBody {
    /// A branch of the university; or leave it out and name `to_outside`.
    to_org_id: Option<i64>,
    to_outside: Option<String>,
    reason: String,
}

/// A transfer (组织关系转接).
#[derive(Serialize, ToSchema)]
pub(crate) struct TransferView {
    id: i64,
    person_id: i64,
    #[schema(value_type = super::contract::TransferDirectionCode)]
    direction: String,
    from_org_id: Option<i64>,
    to_org_id: Option<i64>,
    to_outside: Option<String>,
    #[schema(value_type = super::contract::TransferStateCode)]
    state: String,
    initiated_on: chrono::NaiveDate,
    received_on: Option<chrono::NaiveDate>,
    reason: String,
}

impl From<dangjian_domain::people::Transfer> for TransferView {
    fn from(t: dangjian_domain::people::Transfer) -> Self {
        Self {
            id: t.id,
            person_id: t.person_id.get(),
            direction: t.direction.code().to_owned(),
            from_org_id: t.from_org_id.map(OrgId::get),
            to_org_id: t.to_org_id.map(OrgId::get),
            to_outside: t.to_outside,
            state: t.state.code().to_owned(),
            initiated_on: t.initiated_on,
            received_on: t.received_on,
            reason: t.reason,
        }
    }
}

/// Starts a transfer of a member; the old branch manages them until it is received.
#[utoipa::path(post, path = "/api/v1/people/{id}/transfers", tag = "people", operation_id = "start_transfer", params(("id" = i64, Path)), request_body = TransferBody,
    responses((status = 201, body = TransferView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn start_transfer(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::PersonNamed>,
    ApiJson(b): ApiJson<TransferBody>,
) -> Result<(StatusCode, Json<TransferView>), ApiError> {
    let t = st
        .app
        .people()
        .start_transfer(
            &caller.actor,
            id,
            b.to_org_id.map(OrgId::new),
            b.to_outside.as_deref(),
            &b.reason,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

/// Receives a transfer (the new branch; for a transfer out of the university, the old one).
#[utoipa::path(post, path = "/api/v1/transfers/{id}/receive", tag = "people", operation_id = "receive_transfer", params(("id" = i64, Path)),
    responses((status = 200, body = TransferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn receive_transfer(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<TransferView>, ApiError> {
    Ok(Json(
        st.app
            .people()
            .receive_transfer(&caller.actor, id)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExportParams {
    /// A name, its pinyin or initials, or a whole ID number.
    q: Option<String>,
    /// Only this organization's subtree.
    under: Option<i64>,
    #[param(value_type = Option<super::contract::PersonStatusFilter>)]
    status: Option<String>,
    #[param(value_type = Option<super::contract::PersonCategoryCode>)]
    category: Option<String>,
    #[param(value_type = Option<super::contract::EducationCode>)]
    education: Option<String>,
    age_min: Option<u32>,
    age_max: Option<u32>,
    #[param(value_type = Option<super::contract::PersonSortKey>)]
    sort: Option<String>,
}

/// The people of a query as a spreadsheet in the template's columns, so it can be imported
/// again. ID numbers and phones are whole only for those who may see them, and then the
/// export is audited as a showing.
#[utoipa::path(get, path = "/api/v1/people/export.xlsx", tag = "people", operation_id = "export_people", params(ExportParams),
    responses((status = 200, body = inline(super::contract::File), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn export(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ExportParams>,
) -> Result<axum::response::Response, ApiError> {
    let query = PeopleParams {
        page: None,
        per_page: None,
        q: q.q,
        under: q.under,
        status: q.status,
        category: q.category,
        education: q.education,
        age_min: q.age_min,
        age_max: q.age_max,
        sort: q.sort,
    }
    .query()?;
    let bytes = st.app.people().export_people(&caller.actor, &query).await?;
    Ok(crate::download::xlsx("党员名册.xlsx", "roster", bytes))
}

/// Withdraws a pending transfer (the old branch); the person stays where they were.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/cancel", tag = "people", operation_id = "cancel_transfer", params(("id" = i64, Path)),
    responses((status = 200, body = TransferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn cancel_transfer(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<TransferView>, ApiError> {
    Ok(Json(
        st.app
            .people()
            .cancel_transfer(&caller.actor, id)
            .await?
            .into(),
    ))
}

/// A person's whole ID number and phone.
#[derive(Serialize, ToSchema)]
pub(crate) struct RevealedView {
    national_id: String,
    phone: Option<String>,
}

/// Shows a person's whole ID number and phone, on this answer only; the app audits the
/// showing. A POST, so that no cache or log of addresses keeps it.
#[utoipa::path(post, path = "/api/v1/people/{id}/reveal", tag = "people", operation_id = "reveal_person_pii", params(("id" = i64, Path)),
    responses((status = 200, body = RevealedView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn reveal(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
) -> Result<Json<RevealedView>, ApiError> {
    let r = st.app.people().reveal_pii(&caller.actor, id).await?;
    Ok(Json(RevealedView {
        national_id: r.national_id,
        phone: r.phone,
    }))
}

/// A sanction (党纪处分) as the API takes it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DisciplineBody {
    #[schema(value_type = super::contract::DisciplineKindCode)]
    kind: String,
    /// The day it was decided, not in the future.
    #[serde(deserialize_with = "super::contract::day")]
    decided_on: chrono::NaiveDate,
    /// For 留党察看 (`probation`) only: 1 or 2 years.
    years: Option<u32>,
    /// The body that decided it (支部大会 with the higher committee's approval, 纪委…).
    decided_by: String,
    reason: String,
}

/// A recorded sanction.
#[derive(Serialize, ToSchema)]
pub(crate) struct DisciplineView {
    id: i64,
    person_id: i64,
    #[schema(value_type = super::contract::DisciplineKindCode)]
    kind: String,
    decided_on: chrono::NaiveDate,
    /// The last day of 留党察看; none for the other sanctions.
    until: Option<chrono::NaiveDate>,
    decided_by: String,
    reason: String,
}

/// Records a sanction on a member; while 留党察看 runs the member neither sponsors a
/// candidate nor holds a committee seat.
#[utoipa::path(post, path = "/api/v1/people/{id}/disciplines", tag = "people", operation_id = "record_discipline", params(("id" = i64, Path)),
    request_body = DisciplineBody,
    responses((status = 201, body = DisciplineView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn discipline(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::PersonNamed>,
    ApiJson(b): ApiJson<DisciplineBody>,
) -> Result<(StatusCode, Json<DisciplineView>), ApiError> {
    let d = Discipline::from_input(
        &b.kind,
        b.decided_on,
        b.years,
        (&b.decided_by, &b.reason),
        st.app.clock().today(),
    )
    .map_err(|e| ApiError(e.into()))?;
    let s = st
        .app
        .people()
        .record_discipline(&caller.actor, id, d)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(DisciplineView {
            id: s.id,
            person_id: s.person_id.get(),
            kind: s.discipline.kind.code().to_owned(),
            decided_on: s.discipline.decided_on,
            until: s.discipline.until,
            decided_by: s.discipline.decided_by,
            reason: s.discipline.reason,
        }),
    ))
}

/// A member out of reach, as the API takes it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WhereaboutsBody {
    #[schema(value_type = super::contract::WhereaboutsKindCode)]
    kind: String,
    /// The last contact before it was lost, the day they went abroad, or graduation.
    #[serde(deserialize_with = "super::contract::day")]
    since: chrono::NaiveDate,
    #[serde(default)]
    note: String,
}

/// A record of a member out of reach, with what it asks next.
#[derive(Serialize, ToSchema)]
pub(crate) struct WhereaboutsView {
    id: i64,
    person_id: i64,
    #[schema(value_type = super::contract::WhereaboutsKindCode)]
    kind: String,
    since: chrono::NaiveDate,
    last_contact_on: Option<chrono::NaiveDate>,
    /// The day membership was suspended (停止党籍).
    suspended_on: Option<chrono::NaiveDate>,
    ended_on: Option<chrono::NaiveDate>,
    note: String,
    /// What the open record asks next (none once ended)…
    #[schema(value_type = Option<super::contract::WhereaboutsDueCode>)]
    due: Option<String>,
    /// … from which day …
    due_on: Option<chrono::NaiveDate>,
    /// … and where that is written.
    basis: Option<String>,
}

impl From<WhereaboutsRecord> for WhereaboutsView {
    fn from(r: WhereaboutsRecord) -> Self {
        let next = r.whereabouts.next_due();
        let w = r.whereabouts;
        Self {
            id: r.id,
            person_id: r.person_id.get(),
            kind: w.kind.code().to_owned(),
            since: w.since,
            last_contact_on: w.last_contact_on,
            suspended_on: w.suspended_on,
            ended_on: w.ended_on,
            note: w.note,
            due: next.map(|(due, _, _)| due.code().to_owned()),
            due_on: next.map(|(_, on, _)| on),
            basis: next.map(|(_, _, basis)| basis.to_owned()),
        }
    }
}

/// A person's records of being lost, abroad or graduated and kept, newest first.
#[utoipa::path(get, path = "/api/v1/people/{id}/whereabouts", tag = "people", operation_id = "list_whereabouts", params(("id" = i64, Path)),
    responses((status = 200, body = List<WhereaboutsView>), (status = 404, body = ErrorBody)))]
pub(crate) async fn whereabouts(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
) -> Result<Json<List<WhereaboutsView>>, ApiError> {
    let records = st.app.people().whereabouts(&caller.actor, id).await?;
    Ok(Json(List {
        total: records.len() as u64,
        items: records.into_iter().map(WhereaboutsView::from).collect(),
    }))
}

/// Records a member lost (失联), abroad, or graduated with their membership kept at the
/// university; one open record at a time.
#[utoipa::path(post, path = "/api/v1/people/{id}/whereabouts", tag = "people", operation_id = "record_whereabouts", params(("id" = i64, Path)),
    request_body = WhereaboutsBody,
    responses((status = 201, body = WhereaboutsView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn record_whereabouts(
    State(st): State<AppState>,
    caller: Caller,
    super::InScope(id, _): super::InScope<super::PersonNamed>,
    ApiJson(b): ApiJson<WhereaboutsBody>,
) -> Result<(StatusCode, Json<WhereaboutsView>), ApiError> {
    let w = Whereabouts::parse(&b.kind, b.since, &b.note, st.app.clock().today())
        .map_err(|e| ApiError(e.into()))?;
    let r = st
        .app
        .people()
        .record_whereabouts(&caller.actor, id, w)
        .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// A change to an open record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WhereaboutsChangeBody {
    #[schema(value_type = super::contract::WhereaboutsActCode)]
    act: String,
    /// The day of the suspension, the contact or the end; not in the future.
    #[serde(deserialize_with = "super::contract::day")]
    on: chrono::NaiveDate,
}

/// Suspends the membership of a member lost six months and more (教育条例第二十四条), records
/// a contact with a member abroad, or ends a record.
#[utoipa::path(post, path = "/api/v1/whereabouts/{id}", tag = "people", operation_id = "change_whereabouts", params(("id" = i64, Path)),
    request_body = WhereaboutsChangeBody,
    responses((status = 200, body = WhereaboutsView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn change_whereabouts(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<WhereaboutsChangeBody>,
) -> Result<Json<WhereaboutsView>, ApiError> {
    let act = WhereaboutsAct::parse(&b.act).map_err(|e| ApiError(e.into()))?;
    let r = st
        .app
        .people()
        .change_whereabouts(&caller.actor, id, act, b.on)
        .await?;
    Ok(Json(r.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DueParams {
    /// How far ahead, in days (1 to 730); 90 when left out.
    days: Option<u32>,
}

/// An open record's next due act, with whom it is of.
#[derive(Serialize, ToSchema)]
pub(crate) struct WhereaboutsDueView {
    #[serde(flatten)]
    record: WhereaboutsView,
    person_name: String,
    org_name: String,
    /// The day has come.
    overdue: bool,
}

/// What the open records of a subtree ask within `days` (as the 组织提醒 page lists them),
/// soonest first.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/whereabouts-due", tag = "people", operation_id = "whereabouts_due", params(("id" = i64, Path), DueParams),
    responses((status = 200, body = List<WhereaboutsDueView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn whereabouts_due(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<OrgId>,
    ApiQuery(q): ApiQuery<DueParams>,
) -> Result<Json<List<WhereaboutsDueView>>, ApiError> {
    let org = st.app.org().get(&caller.actor, id).await?;
    let days = q.days.unwrap_or(90).clamp(1, 730);
    let rows = st
        .app
        .people()
        .whereabouts_due(&caller.actor, &org.path, days)
        .await?;
    Ok(Json(List {
        total: rows.len() as u64,
        items: rows
            .into_iter()
            .map(|r| WhereaboutsDueView {
                record: r.record.into(),
                person_name: r.person_name,
                org_name: r.org_name,
                overdue: r.overdue,
            })
            .collect(),
    }))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(members))
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(start_transfer))
        .routes(routes!(receive_transfer))
        .routes(routes!(export))
        .routes(routes!(cancel_transfer))
        .routes(routes!(reveal))
        .routes(routes!(discipline))
        .routes(routes!(whereabouts, record_whereabouts))
        .routes(routes!(change_whereabouts))
        .routes(routes!(whereabouts_due))
}
