//! The roster (党员名册): the people list with filters, search, sort and pagination; a person's
//! page with history and transfers; the forms to add and edit.

pub(crate) mod imports;

use super::{Chrome, FormErrors, NoticeQuery, pager, sort_link};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::after;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_htmx::HxRequest;
use dangjian_app::people::whereabouts::{WhereaboutsAct, WhereaboutsRecord};
use dangjian_app::people::{DisciplineRecord, PeopleQuery, PersonRow, PersonView, RevealedPii};
use dangjian_app::transfer::TransferView;
use dangjian_app::{AppError, PersonSort};
use dangjian_domain::FieldError;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::{Org, OrgKind};
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::people::discipline::{Discipline, DisciplineKind};
use dangjian_domain::people::whereabouts::{Whereabouts, WhereaboutsKind};
use dangjian_domain::people::{
    Degree, ETHNICITIES, Education, Person, PersonCategory, PersonInput, PersonStatus, TitleLevel,
    parse_date,
};
use dangjian_domain::platform::role::Action;
use serde::Deserialize;

use crate::pages::{Area, MenuEntry, MenuGroup, Shown, notices};
use axum::routing::{get, post};

notices! {
    /// What the roster pages say after a redirect.
    PeopleNotice {
        PersonCreated = "person_created" => "人员已登记",
        PersonUpdated = "person_updated" => "人员信息已修改",
        DisciplineRecorded = "discipline_recorded" => "党纪处分已登记",
        WhereaboutsRecorded = "whereabouts_recorded" => "已登记",
        WhereaboutsChanged = "whereabouts_changed" => "记录已更新",
        TransferStarted = "transfer_started" => "已发起组织关系转接，接收前仍由本支部管理",
        TransferReceived = "transfer_received" => "组织关系已接收",
        TransferCancelled = "transfer_cancelled" => "转接已撤回",
        ImportDiscarded = "import_discarded" => "已放弃该批次",
        ImportRolledBack = "import_rolled_back" => "已撤销最近一次导入",
    }
}

pub(super) const AREA: Area = Area {
    routes,
    menu: &[
        MenuEntry {
            href: "/people",
            label: "党员名册",
            key: "people",
            group: MenuGroup::Work,
            shown: Shown::InSomeScope(Action::ReadRecords),
        },
        MenuEntry {
            href: "/imports",
            label: "导入名册",
            key: "imports",
            group: MenuGroup::Work,
            shown: Shown::InSomeScope(Action::WriteRecords),
        },
    ],
    notices: PeopleNotice::TABLE,
};

fn routes() -> axum::Router<AppState> {
    let upload_limit = || axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT);
    axum::Router::new()
        .route("/people", get(list).post(create))
        .route("/people/export.xlsx", get(imports::export))
        .route(
            "/imports",
            get(imports::page)
                .post(imports::upload)
                .layer(upload_limit()),
        )
        .route("/imports/template.xlsx", get(imports::template))
        .route("/imports/{id}", get(imports::batch))
        .route("/imports/{id}/apply", post(imports::apply))
        .route("/imports/{id}/discard", post(imports::discard))
        .route("/imports/{id}/rollback", post(imports::rollback))
        .route("/people/new", get(new_form))
        .route("/people/{id}", get(page).post(update))
        .route("/people/{id}/edit", get(edit_form))
        .route("/people/{id}/reveal", post(reveal))
        .route("/people/{id}/transfers", post(start_transfer))
        .route("/people/{id}/disciplines", post(discipline))
        .route("/people/{id}/whereabouts", post(record_whereabouts))
        .route("/whereabouts/{id}", post(change_whereabouts))
        .route("/transfers/{id}/receive", post(receive_transfer))
        .route("/transfers/{id}/cancel", post(cancel_transfer))
}

/// Options of a labelled enumeration for a select: (code, label).
fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|&v| (code(v).to_owned(), label(v).to_owned()))
        .collect()
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct ListQuery {
    pub q: String,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub under: Option<OrgId>,
    /// A status code, or `members` for full and probationary members.
    pub status: String,
    pub category: String,
    pub education: String,
    pub age_min: String,
    pub age_max: String,
    /// `name`, `birth_date`, `join_date`, `status`, `org`, each with `-` for descending.
    pub sort: String,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub page: Option<u64>,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub per_page: Option<u64>,
}

impl ListQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            (
                "under",
                self.under.map(|u| u.to_string()).unwrap_or_default(),
            ),
            ("status", self.status.clone()),
            ("category", self.category.clone()),
            ("education", self.education.clone()),
            ("age_min", self.age_min.clone()),
            ("age_max", self.age_max.clone()),
            ("sort", self.sort.clone()),
        ]
    }

    /// The app's query; an age that is not a number is named.
    pub(crate) fn to_query(&self) -> Result<PeopleQuery, AppError> {
        let age =
            |v: &str, field: &'static str, label: &'static str| -> Result<Option<u32>, AppError> {
                match v.trim() {
                    "" => Ok(None),
                    v => v
                        .parse::<u32>()
                        .ok()
                        .filter(|a| *a <= 150)
                        .map(Some)
                        .ok_or_else(|| {
                            dangjian_domain::FieldError::new(field, label, "应为 0 到 150 的整数")
                                .into()
                        }),
                }
            };
        let (desc, key) = self
            .sort
            .strip_prefix('-')
            .map_or((false, self.sort.as_str()), |k| (true, k));
        Ok(PeopleQuery {
            under: self.under,
            status: PersonStatus::parse(&self.status),
            members_only: self.status == "members",
            category: PersonCategory::parse(&self.category),
            education: Education::parse(&self.education),
            age_min: age(&self.age_min, "age_min", "最小年龄")?,
            age_max: age(&self.age_max, "age_max", "最大年龄")?,
            q: Some(self.q.clone()),
            sort: match key {
                "birth_date" => PersonSort::BirthDate,
                "join_date" => PersonSort::JoinDate,
                "status" => PersonSort::Status,
                "name" => PersonSort::Name,
                _ => PersonSort::Org,
            },
            descending: desc,
        })
    }
}

pub(crate) struct PeopleLinks {
    name: (String, &'static str),
    birth: (String, &'static str),
    status: (String, &'static str),
    join: (String, &'static str),
    org: (String, &'static str),
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/people.html")]
pub(crate) struct PeoplePage {
    chrome: Chrome,
    query: ListQuery,
    scope_choices: Vec<(OrgId, String, bool)>,
    statuses: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    educations: Vec<(String, String)>,
    export_link: String,
    can_import: bool,
    filter_error: Option<String>,
    table: PeopleTable,
}

/// The people found and the page links: what htmx swaps when a filter changes.
#[derive(Template, WebTemplate)]
#[template(path = "people/people_table.html")]
pub(crate) struct PeopleTable {
    page: Page<PersonRow>,
    paging: Paging,
    pages: u64,
    links: PeopleLinks,
}

pub(crate) async fn list(
    State(st): State<AppState>,
    viewer: Viewer,
    HxRequest(fragment): HxRequest,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let actor = viewer.actor();
    let paging = Paging::parse(q.page, q.per_page).unwrap_or_default();
    let (page, filter_error) = match q.to_query() {
        Ok(query) => (st.app.people().list(actor, &query, paging).await?, None),
        Err(e) => (
            Page {
                items: Vec::new(),
                total: 0,
            },
            Some(e.to_string()),
        ),
    };
    let params = q.params();
    let pages = paging.pages(page.total);
    let sort = |key: &str| sort_link("/people", &params, &q.sort, key);
    let (prev, next) = pager("/people", &params, paging, page.total);
    let links = PeopleLinks {
        name: sort("name"),
        birth: sort("birth_date"),
        status: sort("status"),
        join: sort("join_date"),
        org: sort("org"),
        prev,
        next,
    };
    let table = PeopleTable {
        page,
        paging,
        pages,
        links,
    };
    if fragment {
        return Ok(table.into_response());
    }
    let scope_choices = super::scope_choices(&st, actor, q.under).await?;
    Ok(PeoplePage {
        chrome: Chrome::new(&viewer, "党员名册", "people"),
        export_link: super::link("/people/export.xlsx", &params),
        can_import: !actor.access.scopes(Action::WriteRecords).is_empty(),
        query: q,
        scope_choices,
        statuses: options(PersonStatus::ALL, PersonStatus::code, PersonStatus::label),
        categories: options(
            PersonCategory::ALL,
            PersonCategory::code,
            PersonCategory::label,
        ),
        educations: options(Education::ALL, Education::code, Education::label),
        filter_error,
        table,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "people/person.html")]
pub(crate) struct PersonPage {
    chrome: Chrome,
    p: Person,
    age: u32,
    v: PersonView,
    revealed: Option<RevealedPii>,
    transfers: Vec<TransferView>,
    branches: Vec<String>,
    transfer_form: TransferForm,
    transfer_errors: FormErrors,
    transfer_message: Option<String>,
    disciplines: Vec<DisciplineRecord>,
    may_discipline: bool,
    discipline_kinds: &'static [DisciplineKind],
    discipline_message: Option<String>,
    /// Lost, abroad or graduated and kept (教育条例第二十四条、第三十四条).
    whereabouts: Vec<WhereaboutsRecord>,
    /// One is open: no other is recorded until it ends.
    whereabouts_open: bool,
    /// Their membership is suspended today (停止党籍).
    suspended: bool,
    whereabouts_kinds: &'static [WhereaboutsKind],
    whereabouts_message: Option<String>,
}

async fn person_page(
    st: &AppState,
    viewer: &Viewer,
    id: PersonId,
    revealed: Option<RevealedPii>,
    notice: Option<&str>,
) -> Result<PersonPage, AppError> {
    let actor = viewer.actor();
    let v = st.app.people().get(actor, id).await?;
    let v_path = v.org.path.clone();
    let transfers = st.app.people().transfers_of(actor, id).await?;
    let whereabouts = st.app.people().whereabouts(actor, id).await?;
    let today = st.app.clock().today();
    let branches = if v.may_edit {
        st.app
            .people()
            .transfer_targets(actor, "")
            .await?
            .into_iter()
            .filter(|o| o.id != v.org.id)
            .map(|o| o.name)
            .collect()
    } else {
        Vec::new()
    };
    Ok(PersonPage {
        chrome: Chrome::new(viewer, v.person.name.clone(), "people").with_notice(notice),
        p: v.person.clone(),
        age: v.person.age_on(today),
        v,
        revealed,
        transfers,
        branches,
        transfer_form: TransferForm::default(),
        transfer_errors: FormErrors::default(),
        transfer_message: None,
        disciplines: st.app.people().disciplines(actor, id).await?,
        may_discipline: st.app.people().may_discipline(actor, &v_path),
        discipline_kinds: DisciplineKind::ALL,
        discipline_message: None,
        whereabouts_open: whereabouts.iter().any(|r| r.whereabouts.is_open()),
        suspended: whereabouts
            .iter()
            .any(|r| r.whereabouts.suspended_on_day(today)),
        whereabouts,
        whereabouts_kinds: WhereaboutsKind::ALL,
        whereabouts_message: None,
    })
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PersonId>,
    Query(q): Query<NoticeQuery>,
) -> Result<PersonPage, PageError> {
    Ok(person_page(&st, &viewer, id, None, q.notice.as_deref()).await?)
}

/// Shows the whole ID number and phone once, on this response only (never in a URL).
pub(crate) async fn reveal(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PersonId>,
) -> Result<PersonPage, PageError> {
    let revealed = st.app.people().reveal_pii(viewer.actor(), id).await?;
    Ok(person_page(&st, &viewer, id, Some(revealed), None).await?)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct TransferForm {
    to_org: String,
    to_outside: String,
    reason: String,
}

pub(crate) async fn start_transfer(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PersonId>,
    Form(f): Form<TransferForm>,
) -> Result<Response, PageError> {
    let actor = viewer.actor();
    let result = async {
        let to = match f.to_org.trim() {
            "" => None,
            name => Some(st.app.people().branch_named(actor, name).await?.id),
        };
        let outside = Some(f.to_outside.as_str());
        st.app
            .people()
            .start_transfer(actor, id, to, outside, &f.reason)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(after(&format!("/people/{id}"), PeopleNotice::TransferStarted).into_response()),
        Err(e) => {
            let (errors, message) = FormErrors::from_app(e)?;
            let mut page = person_page(&st, &viewer, id, None, None).await?;
            page.transfer_message = message.or_else(|| errors.first());
            page.transfer_errors = errors;
            page.transfer_form = f;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Receives or withdraws a transfer, then returns to the person (or to the list when the
/// person is no longer the reader's).
pub(crate) async fn receive_transfer(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Redirect, PageError> {
    let t = st.app.people().receive_transfer(viewer.actor(), id).await?;
    Ok(after_transfer(&st, &viewer, t.person_id, PeopleNotice::TransferReceived).await)
}

pub(crate) async fn cancel_transfer(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Redirect, PageError> {
    let t = st.app.people().cancel_transfer(viewer.actor(), id).await?;
    Ok(after_transfer(&st, &viewer, t.person_id, PeopleNotice::TransferCancelled).await)
}

async fn after_transfer(
    st: &AppState,
    viewer: &Viewer,
    person_id: PersonId,
    notice: PeopleNotice,
) -> Redirect {
    if st.app.people().get(viewer.actor(), person_id).await.is_ok() {
        after(&format!("/people/{person_id}"), notice)
    } else {
        after("/people", notice)
    }
}

/// The add and edit form: the 采集表's fields, the branch and group.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct PersonForm {
    #[serde(flatten)]
    input: PersonInput,
    #[serde(deserialize_with = "super::empty_as_none")]
    org_id: Option<OrgId>,
    #[serde(deserialize_with = "super::empty_as_none")]
    group_id: Option<OrgId>,
    #[serde(deserialize_with = "super::empty_as_none")]
    version: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct NewQuery {
    #[serde(deserialize_with = "super::empty_as_none")]
    org_id: Option<OrgId>,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/person_form.html")]
pub(crate) struct PersonFormPage {
    chrome: Chrome,
    /// The person being edited, or none for a new one.
    editing: Option<PersonId>,
    id_label: &'static str,
    org: Org,
    groups: Vec<(String, String)>,
    form: PersonForm,
    group_value: String,
    errors: FormErrors,
    form_message: Option<String>,
    ethnicities: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    educations: Vec<(String, String)>,
    degrees: Vec<(String, String)>,
    title_levels: Vec<(String, String)>,
}

async fn form_page(
    st: &AppState,
    viewer: &Viewer,
    editing: Option<PersonId>,
    org_id: OrgId,
    form: PersonForm,
    errors: FormErrors,
    form_message: Option<String>,
) -> Result<PersonFormPage, AppError> {
    let actor = viewer.actor();
    let org = st.app.org().get(actor, org_id).await?;
    if !st.app.org().permits(actor, &org).roster {
        return Err(AppError::Forbidden("在该组织登记人员"));
    }
    let groups = st
        .app
        .org()
        .children(actor, org.id, None)
        .await?
        .into_iter()
        .filter(|g| g.kind == OrgKind::Group)
        .map(|g| (g.id.to_string(), g.name))
        .collect();
    let title = if editing.is_some() {
        "修改人员信息"
    } else {
        "登记人员"
    };
    Ok(PersonFormPage {
        chrome: Chrome::new(viewer, title, "people"),
        editing,
        id_label: if editing.is_some() {
            "身份证号（留空则不变）"
        } else {
            "身份证号（出生日期和性别由此读出）"
        },
        org,
        groups,
        group_value: form.group_id.map(|g| g.to_string()).unwrap_or_default(),
        form,
        errors,
        form_message,
        ethnicities: ETHNICITIES
            .iter()
            .map(|e| ((*e).to_owned(), (*e).to_owned()))
            .collect(),
        statuses: options(PersonStatus::ALL, PersonStatus::code, PersonStatus::label),
        categories: options(
            PersonCategory::ALL,
            PersonCategory::code,
            PersonCategory::label,
        ),
        educations: options(Education::ALL, Education::code, Education::label),
        degrees: options(Degree::ALL, Degree::code, Degree::label),
        title_levels: options(TitleLevel::ALL, TitleLevel::code, TitleLevel::label),
    })
}

pub(crate) async fn new_form(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NewQuery>,
) -> Result<PersonFormPage, PageError> {
    let org_id = q.org_id.ok_or(AppError::NotFound)?;
    let mut form = PersonForm::default();
    form.input.ethnicity = "汉族".to_owned();
    form.org_id = Some(org_id);
    Ok(form_page(
        &st,
        &viewer,
        None,
        org_id,
        form,
        FormErrors::default(),
        None,
    )
    .await?)
}

pub(crate) async fn create(
    State(st): State<AppState>,
    viewer: Viewer,
    Form(f): Form<PersonForm>,
) -> Result<Response, PageError> {
    let org_id = f.org_id.ok_or(AppError::NotFound)?;
    match st
        .app
        .people()
        .add(viewer.actor(), org_id, f.group_id, &f.input)
        .await
    {
        Ok(p) => {
            Ok(after(&format!("/people/{}", p.id), PeopleNotice::PersonCreated).into_response())
        }
        Err(e) => {
            let (errors, message) = FormErrors::from_app(e)?;
            let page = form_page(&st, &viewer, None, org_id, f, errors, message).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

fn input_of(p: &Person) -> PersonInput {
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    PersonInput {
        name: p.name.clone(),
        // The whole number is never put into a page unasked: editing keeps it unless retyped.
        national_id: String::new(),
        ethnicity: p.ethnicity.clone(),
        native_place: text(&p.native_place),
        education: p.education.code().to_owned(),
        degree: p.degree.code().to_owned(),
        title_level: p.title_level.code().to_owned(),
        title: text(&p.title),
        category: p.category.code().to_owned(),
        school: text(&p.school),
        class_name: text(&p.class_name),
        staff_no: text(&p.staff_no),
        phone: String::new(),
        status: p.status.code().to_owned(),
        join_date: date(p.join_date),
        confirmation_date: date(p.confirmation_date),
    }
}

pub(crate) async fn edit_form(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PersonId>,
) -> Result<PersonFormPage, PageError> {
    let v = st.app.people().get(viewer.actor(), id).await?;
    let form = PersonForm {
        input: input_of(&v.person),
        org_id: Some(v.org.id),
        group_id: v.person.group_id,
        version: Some(v.person.version),
    };
    Ok(form_page(
        &st,
        &viewer,
        Some(id),
        v.org.id,
        form,
        FormErrors::default(),
        None,
    )
    .await?)
}

pub(crate) async fn update(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PersonId>,
    Form(f): Form<PersonForm>,
) -> Result<Response, PageError> {
    let actor = viewer.actor();
    // The version read with the form: without it a change made meanwhile would be overwritten.
    let result = match f.version {
        Some(version) => {
            st.app
                .people()
                .edit(actor, id, version, f.group_id, &f.input)
                .await
        }
        None => Err(AppError::Conflict {
            field: "version",
            message: "表单已过期，请刷新后重试".to_owned(),
        }),
    };
    match result {
        Ok(_) => Ok(after(&format!("/people/{id}"), PeopleNotice::PersonUpdated).into_response()),
        Err(e) => {
            let (errors, message) = FormErrors::from_app(e)?;
            let org_id = match f.org_id {
                Some(org) => org,
                None => st.app.people().get(actor, id).await?.org.id,
            };
            let page = form_page(&st, &viewer, Some(id), org_id, f, errors, message).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct WhereaboutsForm {
    kind: String,
    since: String,
    note: String,
}

/// Records a member lost, abroad or graduated and kept.
pub(crate) async fn record_whereabouts(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PersonId>,
    axum::Form(f): axum::Form<WhereaboutsForm>,
) -> Result<Response, PageError> {
    let result = async {
        let since = parse_date(&f.since, "since", "起始日期")?
            .ok_or_else(|| FieldError::new("since", "起始日期", "请填写日期"))?;
        let w = Whereabouts::parse(&f.kind, since, &f.note, st.app.clock().today())?;
        st.app
            .people()
            .record_whereabouts(viewer.actor(), id, w)
            .await
    }
    .await;
    whereabouts_answer(
        &st,
        &viewer,
        result.map(|r| r.person_id).map_err(|e| (id, e)),
        PeopleNotice::WhereaboutsRecorded,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct WhereaboutsChangeForm {
    /// `suspend`, `contact` or `end`.
    act: String,
    on: String,
    /// The person, to show their page again if the change is refused.
    person_id: String,
}

/// Suspends membership, records a contact with a member abroad, or ends a record.
pub(crate) async fn change_whereabouts(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<WhereaboutsChangeForm>,
) -> Result<Response, PageError> {
    let person = f
        .person_id
        .trim()
        .parse::<PersonId>()
        .map_err(|_| PageError(AppError::NotFound))?;
    let result = async {
        let act = WhereaboutsAct::parse(&f.act)?;
        let on = parse_date(&f.on, "on", "日期")?
            .ok_or_else(|| FieldError::new("on", "日期", "请填写日期"))?;
        st.app
            .people()
            .change_whereabouts(viewer.actor(), id, act, on)
            .await
    }
    .await;
    whereabouts_answer(
        &st,
        &viewer,
        result.map(|r| r.person_id).map_err(|e| (person, e)),
        PeopleNotice::WhereaboutsChanged,
    )
    .await
}

/// The person's page after a whereabouts form: on again with a notice, or shown with the
/// refusal in the section.
async fn whereabouts_answer(
    st: &AppState,
    viewer: &Viewer,
    result: Result<PersonId, (PersonId, AppError)>,
    notice: PeopleNotice,
) -> Result<Response, PageError> {
    match result {
        Ok(person) => Ok(after(&format!("/people/{person}"), notice).into_response()),
        Err((person, e)) => {
            let message = super::refusal(e)?;
            let mut page = person_page(st, viewer, person, None, None).await?;
            page.whereabouts_message = Some(message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct DisciplineForm {
    kind: String,
    decided_on: String,
    years: String,
    decided_by: String,
    reason: String,
}

/// Records a sanction (党纪处分) on a member.
pub(crate) async fn discipline(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PersonId>,
    axum::Form(f): axum::Form<DisciplineForm>,
) -> Result<Response, PageError> {
    let result = async {
        let decided_on = parse_date(&f.decided_on, "decided_on", "决定日期")?
            .ok_or_else(|| FieldError::new("decided_on", "决定日期", "请填写决定日期"))?;
        let years = match f.years.trim() {
            "" => None,
            y => Some(
                y.parse()
                    .map_err(|_| FieldError::new("years", "察看期", "应为 1 或 2（年）"))?,
            ),
        };
        let d = Discipline::from_input(
            &f.kind,
            decided_on,
            years,
            (&f.decided_by, &f.reason),
            st.app.clock().today(),
        )?;
        st.app
            .people()
            .record_discipline(viewer.actor(), id, d)
            .await
    }
    .await;
    match result {
        Ok(_) => {
            Ok(after(&format!("/people/{id}"), PeopleNotice::DisciplineRecorded).into_response())
        }
        Err(e) => {
            let message = super::refusal(e)?;
            let mut page = person_page(&st, &viewer, id, None, None).await?;
            page.discipline_message = Some(message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
