//! Signing in and out.

use crate::AppState;
use crate::auth::{Auth, CSRF_COOKIE, SESSION_COOKIE, Viewer, anonymous_csrf, cookie, is_https};
use crate::error::PageError;
use crate::local_path::LocalPath;
use crate::pages::FormErrors;
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use dangjian_app::AppError;
use dangjian_app::auth::Client;
use dangjian_domain::FieldError;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "platform/login.html")]
struct LoginPage {
    csrf: String,
    next: LocalPath,
    /// Arrived from a successful activation (nothing of the URL is shown).
    activated: bool,
    username: String,
    errors: FormErrors,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LoginQuery {
    next: LocalPath,
    activated: String,
}

fn render(
    jar: CookieJar,
    headers: &HeaderMap,
    auth: Option<&Auth>,
    page: LoginPage,
    status: StatusCode,
) -> Response {
    let (csrf, jar) = with_csrf_cookie(jar, headers, auth);
    (status, jar, LoginPage { csrf, ..page }).into_response()
}

/// The token a signed-out form carries, and the jar with its matching cookie.
pub(crate) fn with_csrf_cookie(
    jar: CookieJar,
    headers: &HeaderMap,
    auth: Option<&Auth>,
) -> (String, CookieJar) {
    // Someone signed in posts with their session's token, which is what the check expects.
    if let Some(Auth::Session { session, .. }) = auth {
        return (session.csrf_token.clone(), jar);
    }
    let (csrf, fresh) = anonymous_csrf(auth);
    let jar = match fresh {
        Some(token) => jar.add(cookie(CSRF_COOKIE, token, is_https(headers))),
        None => jar,
    };
    (csrf, jar)
}

pub(crate) async fn form(
    jar: CookieJar,
    headers: HeaderMap,
    auth: Option<Extension<Auth>>,
    Query(q): Query<LoginQuery>,
) -> Response {
    if let Some(Extension(Auth::Session { .. })) = auth {
        return Redirect::to("/").into_response();
    }
    let page = LoginPage {
        csrf: String::new(),
        activated: q.activated == "1",
        next: q.next,
        username: String::new(),
        errors: FormErrors::default(),
        message: None,
    };
    render(
        jar,
        &headers,
        auth.as_ref().map(|a| &a.0),
        page,
        StatusCode::OK,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
    next: LocalPath,
}

pub(crate) async fn sign_in(
    State(st): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    auth: Option<Extension<Auth>>,
    client: Option<Extension<Client>>,
    Form(f): Form<LoginForm>,
) -> Response {
    let client = client.map(|c| c.0).unwrap_or_default();
    let page = |errors, message| LoginPage {
        csrf: String::new(),
        activated: false,
        next: f.next.clone(),
        username: f.username.chars().take(64).collect(),
        errors,
        message,
    };
    let auth = auth.map(|a| a.0);
    let missing = if f.username.trim().is_empty() {
        Some(FieldError::new("username", "用户名", "不能为空"))
    } else if f.password.is_empty() {
        Some(FieldError::new("password", "密码", "不能为空"))
    } else {
        None
    };
    if let Some(e) = missing {
        let errors = FormErrors::one(e.field, e.to_string());
        return render(
            jar,
            &headers,
            auth.as_ref(),
            page(errors, None),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match st
        .app
        .accounts()
        .sign_in(&f.username, &f.password, &client)
        .await
    {
        Ok(signed) => {
            let jar = jar
                .add(cookie(SESSION_COOKIE, signed.token, is_https(&headers)))
                .remove(Cookie::build(CSRF_COOKIE).path("/"));
            let target = if signed.account.must_change_password {
                "/account/password"
            } else {
                f.next.as_str()
            };
            (jar, Redirect::to(target)).into_response()
        }
        Err(e @ (AppError::Unauthenticated(_) | AppError::Locked { .. })) => {
            let status = if matches!(e, AppError::Locked { .. }) {
                StatusCode::LOCKED
            } else {
                StatusCode::UNAUTHORIZED
            };
            render(
                jar,
                &headers,
                auth.as_ref(),
                page(FormErrors::default(), Some(e.to_string())),
                status,
            )
        }
        // A name no account can have (a NUL in it), said by the field like an empty one.
        Err(AppError::Invalid(e)) => {
            let errors = FormErrors::one(e.field, e.to_string());
            render(
                jar,
                &headers,
                auth.as_ref(),
                page(errors, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub(crate) async fn sign_out(
    State(st): State<AppState>,
    jar: CookieJar,
    viewer: Viewer,
) -> Response {
    if let Err(e) = st
        .app
        .accounts()
        .sign_out(&viewer.token, viewer.actor())
        .await
    {
        return PageError(e).into_response();
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    (jar, Redirect::to("/login")).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "platform/activate.html")]
struct ActivatePage {
    csrf: String,
    form: ActivateForm,
    errors: FormErrors,
    message: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct ActivateForm {
    name: String,
    national_id: String,
    staff_no: String,
    code: String,
    password: String,
    password2: String,
}

fn render_activate(
    jar: CookieJar,
    headers: &HeaderMap,
    auth: Option<&Auth>,
    page: ActivatePage,
    status: StatusCode,
) -> Response {
    let (csrf, jar) = with_csrf_cookie(jar, headers, auth);
    // The typed passwords and ID number never come back in the page.
    let form = ActivateForm {
        national_id: String::new(),
        code: String::new(),
        password: String::new(),
        password2: String::new(),
        ..page.form
    };
    (status, jar, ActivatePage { csrf, form, ..page }).into_response()
}

/// The form with which a person of the roster opens their own account.
pub(crate) async fn activate_form(
    jar: CookieJar,
    headers: HeaderMap,
    auth: Option<Extension<Auth>>,
) -> Response {
    let page = ActivatePage {
        csrf: String::new(),
        form: ActivateForm::default(),
        errors: FormErrors::default(),
        message: None,
    };
    render_activate(
        jar,
        &headers,
        auth.as_ref().map(|a| &a.0),
        page,
        StatusCode::OK,
    )
}

pub(crate) async fn activate(
    State(st): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    auth: Option<Extension<Auth>>,
    client: Option<Extension<Client>>,
    Form(f): Form<ActivateForm>,
) -> Response {
    let auth = auth.map(|a| a.0);
    let result = if f.password != f.password2 {
        Err(FieldError::new("password2", "再次输入密码", "两次输入的密码不一致").into())
    } else {
        let ip = client.and_then(|c| c.0.ip);
        st.app
            .accounts()
            .activate_account(
                &f.name,
                &f.national_id,
                (&f.staff_no, &f.code),
                &f.password,
                ip,
            )
            .await
    };
    match result {
        Ok(_) => Redirect::to("/login?activated=1").into_response(),
        Err(e) => match FormErrors::from_app(e) {
            Ok((errors, message)) => {
                let page = ActivatePage {
                    csrf: String::new(),
                    form: f,
                    errors,
                    message,
                };
                render_activate(
                    jar,
                    &headers,
                    auth.as_ref(),
                    page,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
            }
            Err(e) => PageError(e).into_response(),
        },
    }
}
