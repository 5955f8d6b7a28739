//! The platform duties' pages: accounts and grants (security admin), settings (system admin).

use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::after;
use crate::pages::platform::PlatformNotice;
use crate::pages::{Chrome, FormErrors, NoticeQuery, pager};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::AppError;
use dangjian_app::account::AccountDetail;
use dangjian_app::activation::IssuedCode;
use dangjian_domain::FieldError;
use dangjian_domain::ids::AccountId;
use dangjian_domain::org::Org;
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::platform::role::{Action, Role};
use dangjian_domain::platform::settings;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AccountsQuery {
    q: String,
    #[serde(deserialize_with = "crate::pages::empty_as_none")]
    page: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct NewAccountForm {
    username: String,
    display_name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "platform/admin_accounts.html")]
pub(crate) struct AccountsPage {
    chrome: Chrome,
    q: String,
    page: Page<AccountDetail>,
    paging: Paging,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
    form: NewAccountForm,
    errors: FormErrors,
    shown: Shown,
}

/// What the accounts page shows once, after an action: a new account's first password, or an
/// activation code for a person of the roster (or why none was issued).
#[derive(Default)]
pub(crate) struct Shown {
    created: Option<(String, String)>,
    issued: Option<IssuedCode>,
    code_form: CodeForm,
    code_errors: FormErrors,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct CodeForm {
    staff_no: String,
}

async fn accounts_page(
    st: &AppState,
    viewer: &Viewer,
    q: AccountsQuery,
    form: NewAccountForm,
    errors: FormErrors,
    shown: Shown,
) -> Result<AccountsPage, PageError> {
    let paging = Paging::parse(q.page, None).unwrap_or_default();
    let page = st.app.accounts().list(viewer.actor(), &q.q, paging).await?;
    let (prev, next) = pager("/admin/accounts", &[("q", q.q.clone())], paging, page.total);
    Ok(AccountsPage {
        chrome: Chrome::new(viewer, "账号与授权", "accounts"),
        pages: paging.pages(page.total),
        q: q.q,
        page,
        paging,
        prev,
        next,
        form,
        errors,
        shown,
    })
}

pub(crate) async fn accounts(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AccountsQuery>,
) -> Result<AccountsPage, PageError> {
    accounts_page(
        &st,
        &viewer,
        q,
        NewAccountForm::default(),
        FormErrors::default(),
        Shown::default(),
    )
    .await
}

pub(crate) async fn create_account(
    State(st): State<AppState>,
    viewer: Viewer,
    Form(f): Form<NewAccountForm>,
) -> Result<Response, PageError> {
    match st
        .app
        .accounts()
        .create(viewer.actor(), &f.username, &f.display_name, None, false)
        .await
    {
        Ok((account, password)) => Ok(accounts_page(
            &st,
            &viewer,
            AccountsQuery::default(),
            NewAccountForm::default(),
            FormErrors::default(),
            Shown {
                created: Some((account.username, password)),
                ..Shown::default()
            },
        )
        .await?
        .into_response()),
        Err(e) => {
            let (errors, _) = FormErrors::from_app(e)?;
            let page = accounts_page(
                &st,
                &viewer,
                AccountsQuery::default(),
                f,
                errors,
                Shown::default(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Issues a person of the roster an activation code, shown this once.
pub(crate) async fn issue_activation_code(
    State(st): State<AppState>,
    viewer: Viewer,
    Form(f): Form<CodeForm>,
) -> Result<Response, PageError> {
    let (shown, status) = match st
        .app
        .accounts()
        .issue_activation_code(viewer.actor(), &f.staff_no)
        .await
    {
        Ok(issued) => (
            Shown {
                issued: Some(issued),
                ..Shown::default()
            },
            StatusCode::OK,
        ),
        Err(e) => {
            let (code_errors, _) = FormErrors::from_app(e)?;
            (
                Shown {
                    code_form: f,
                    code_errors,
                    ..Shown::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    let page = accounts_page(
        &st,
        &viewer,
        AccountsQuery::default(),
        NewAccountForm::default(),
        FormErrors::default(),
        shown,
    )
    .await?;
    Ok((status, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "platform/admin_account.html")]
pub(crate) struct AccountPage {
    chrome: Chrome,
    detail: AccountDetail,
    roles: [Role; 12],
    orgs: Vec<Org>,
    errors: FormErrors,
    form_message: Option<String>,
    new_password: Option<String>,
}

async fn account_page(
    st: &AppState,
    viewer: &Viewer,
    id: AccountId,
    errors: FormErrors,
    form_message: Option<String>,
    new_password: Option<String>,
    notice: Option<&str>,
) -> Result<AccountPage, PageError> {
    let detail = st.app.accounts().get(viewer.actor(), id).await?;
    let orgs = st.app.accounts().org_choices(viewer.actor(), "").await?;
    Ok(AccountPage {
        chrome: Chrome::new(viewer, detail.account.display_name.clone(), "accounts")
            .with_notice(notice),
        detail,
        roles: Role::ALL,
        orgs,
        errors,
        form_message,
        new_password,
    })
}

pub(crate) async fn account(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AccountId>,
    Query(q): Query<NoticeQuery>,
) -> Result<AccountPage, PageError> {
    account_page(
        &st,
        &viewer,
        id,
        FormErrors::default(),
        None,
        None,
        q.notice.as_deref(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct GrantForm {
    role: String,
    org_id: String,
}

pub(crate) async fn grant(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AccountId>,
    Form(f): Form<GrantForm>,
) -> Result<Response, PageError> {
    let org_id = match f.org_id.trim() {
        "" => Ok(None),
        s => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::from(FieldError::new("org_id", "组织", "请选择组织"))),
    };
    let result = match org_id {
        Ok(org_id) => st
            .app
            .accounts()
            .grant(viewer.actor(), id, &f.role, org_id)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            Ok(after(&format!("/admin/accounts/{id}"), PlatformNotice::Granted).into_response())
        }
        Err(e) => {
            let (errors, message) = FormErrors::from_app(e)?;
            let page = account_page(&st, &viewer, id, errors, message, None, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub(crate) async fn revoke_grant(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Redirect, PageError> {
    let owner = st.app.accounts().revoke_grant(viewer.actor(), id).await?;
    Ok(after(
        &format!("/admin/accounts/{owner}"),
        PlatformNotice::Revoked,
    ))
}

pub(crate) async fn reset_password(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AccountId>,
) -> Result<AccountPage, PageError> {
    let password = st.app.accounts().reset_password(viewer.actor(), id).await?;
    account_page(
        &st,
        &viewer,
        id,
        FormErrors::default(),
        None,
        Some(password),
        None,
    )
    .await
}

pub(crate) async fn disable(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AccountId>,
) -> Result<Response, PageError> {
    set_disabled(st, viewer, id, true).await
}

pub(crate) async fn enable(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AccountId>,
) -> Result<Response, PageError> {
    set_disabled(st, viewer, id, false).await
}

async fn set_disabled(
    st: AppState,
    viewer: Viewer,
    id: AccountId,
    disabled: bool,
) -> Result<Response, PageError> {
    match st
        .app
        .accounts()
        .set_account_disabled(viewer.actor(), id, disabled)
        .await
    {
        Ok(()) => {
            let notice = if disabled {
                PlatformNotice::Disabled
            } else {
                PlatformNotice::Enabled
            };
            Ok(after(&format!("/admin/accounts/{id}"), notice).into_response())
        }
        Err(e) => {
            let (_, message) = FormErrors::from_app(e)?;
            let page =
                account_page(&st, &viewer, id, FormErrors::default(), message, None, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub(crate) struct SettingRow {
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    min: i64,
    max: i64,
    default: i64,
    value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "platform/settings.html")]
pub(crate) struct SettingsPage {
    chrome: Chrome,
    /// Where the form posts.
    action: &'static str,
    items: Vec<SettingRow>,
    errors: FormErrors,
}

/// A page of settings and who keeps them (the university's own rules have a page of their
/// own, with versions: `rules.rs`).
#[derive(Clone, Copy)]
struct Keeper {
    action: Action,
    title: &'static str,
    url: &'static str,
    menu_key: &'static str,
}

const SYSTEM: Keeper = Keeper {
    action: Action::ManageSettings,
    title: "系统设置",
    url: "/admin/settings",
    menu_key: "settings",
};

fn rows(keeper: Keeper, values: impl Fn(settings::SettingSpec) -> String) -> Vec<SettingRow> {
    settings::all()
        .filter(|s| s.kept_by == keeper.action)
        .map(|s| SettingRow {
            key: s.key,
            label: s.label,
            unit: s.unit,
            min: s.min,
            max: s.max,
            default: s.default,
            value: values(s),
        })
        .collect()
}

async fn show(
    st: &AppState,
    viewer: &Viewer,
    keeper: Keeper,
    notice: Option<&str>,
) -> Result<SettingsPage, PageError> {
    let current = st.app.settings().system(viewer.actor()).await?;
    Ok(SettingsPage {
        chrome: Chrome::new(viewer, keeper.title, keeper.menu_key).with_notice(notice),
        action: keeper.url,
        items: rows(keeper, |s| current.get(s).to_string()),
        errors: FormErrors::default(),
    })
}

async fn save(
    st: &AppState,
    viewer: &Viewer,
    keeper: Keeper,
    f: &HashMap<String, String>,
) -> Result<Response, PageError> {
    let values: Vec<(&str, &str)> = settings::all()
        .filter(|s| s.kept_by == keeper.action)
        .filter_map(|s| f.get(s.key).map(|v| (s.key, v.as_str())))
        .collect();
    // Who may, then every value, then all or nothing: the app decides, the page shows why.
    match st.app.settings().update(viewer.actor(), &values).await {
        Ok(changed) => {
            let notice = if changed == 0 {
                PlatformNotice::Unchanged
            } else {
                PlatformNotice::Saved
            };
            Ok(after(keeper.url, notice).into_response())
        }
        Err(e) => {
            let (errors, _) = FormErrors::from_app(e)?;
            let page = SettingsPage {
                chrome: Chrome::new(viewer, keeper.title, keeper.menu_key),
                action: keeper.url,
                items: rows(keeper, |s| f.get(s.key).cloned().unwrap_or_default()),
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub(crate) async fn settings(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<SettingsPage, PageError> {
    show(&st, &viewer, SYSTEM, q.notice.as_deref()).await
}

pub(crate) async fn save_settings(
    State(st): State<AppState>,
    viewer: Viewer,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    save(&st, &viewer, SYSTEM, &f).await
}
