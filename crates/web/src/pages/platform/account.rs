//! One's own account: roles, password, API tokens.

use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::after;
use crate::pages::platform::PlatformNotice;
use crate::pages::{Chrome, FormErrors, NoticeQuery};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_domain::clock::display_time;
use dangjian_domain::platform::account::GrantRecord;
use dangjian_domain::platform::account::{API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS, Account};
use serde::Deserialize;

pub(crate) struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
    expires: String,
    /// Revoked or expired: no longer accepted.
    state: Option<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "platform/account.html")]
pub(crate) struct AccountPage {
    chrome: Chrome,
    account: Account,
    grants: Vec<String>,
    tokens: Vec<TokenRow>,
    default_days: u32,
    max_days: u32,
    new_token: Option<String>,
    errors: FormErrors,
}

async fn account_page(
    st: &AppState,
    viewer: &Viewer,
    new_token: Option<String>,
    errors: FormErrors,
    notice: Option<&str>,
) -> Result<AccountPage, PageError> {
    let actor = viewer.actor();
    let detail = st.app.accounts().own(actor).await?;
    let now = st.app.clock().now();
    let tokens = st
        .app
        .accounts()
        .api_tokens(actor)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            state: if t.revoked_at.is_some() {
                Some("已撤销")
            } else if t.is_expired(now) {
                Some("已过期")
            } else {
                None
            },
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: display_time(t.created_at),
            last_used: t
                .last_used_at
                .map(display_time)
                .unwrap_or_else(|| "从未".to_owned()),
            expires: display_time(t.expires_at),
        })
        .collect();
    Ok(AccountPage {
        chrome: Chrome::new(viewer, "我的账号", "account").with_notice(notice),
        grants: detail.grants.iter().map(GrantRecord::describe).collect(),
        account: detail.account,
        tokens,
        default_days: API_TOKEN_DEFAULT_DAYS,
        max_days: API_TOKEN_MAX_DAYS,
        new_token,
        errors,
    })
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<AccountPage, PageError> {
    account_page(
        &st,
        &viewer,
        None,
        FormErrors::default(),
        q.notice.as_deref(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct TokenForm {
    name: String,
    #[serde(deserialize_with = "crate::pages::empty_as_none")]
    days: Option<u32>,
}

pub(crate) async fn create_token(
    State(st): State<AppState>,
    viewer: Viewer,
    Form(f): Form<TokenForm>,
) -> Result<Response, PageError> {
    match st
        .app
        .accounts()
        .create_api_token(viewer.actor(), &f.name, f.days)
        .await
    {
        Ok((_, plain)) => Ok(
            account_page(&st, &viewer, Some(plain), FormErrors::default(), None)
                .await?
                .into_response(),
        ),
        Err(e) => {
            let (errors, _) = FormErrors::from_app(e)?;
            let page = account_page(&st, &viewer, None, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub(crate) async fn revoke_token(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Redirect, PageError> {
    st.app
        .accounts()
        .revoke_api_token(viewer.actor(), id)
        .await?;
    Ok(after("/account", PlatformNotice::TokenRevoked))
}

#[derive(Template, WebTemplate)]
#[template(path = "platform/password.html")]
pub(crate) struct PasswordPage {
    chrome: Chrome,
    forced: bool,
    errors: FormErrors,
}

pub(crate) async fn password_form(viewer: Viewer) -> PasswordPage {
    PasswordPage {
        forced: viewer.session.account.must_change_password,
        chrome: Chrome::new(&viewer, "修改密码", "account"),
        errors: FormErrors::default(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

pub(crate) async fn change_password(
    State(st): State<AppState>,
    viewer: Viewer,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let result = st
        .app
        .accounts()
        .change_password(
            viewer.actor(),
            &f.current_password,
            &f.new_password,
            &f.confirm_password,
            Some(&viewer.token),
        )
        .await;
    match result {
        Ok(()) => Ok(after("/account", PlatformNotice::PasswordChanged).into_response()),
        Err(e) => {
            let (errors, _) = FormErrors::from_app(e)?;
            let page = PasswordPage {
                forced: viewer.session.account.must_change_password,
                chrome: Chrome::new(&viewer, "修改密码", "account"),
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
