//! Who is calling: the session cookie or a bearer API token, resolved once per request by a
//! middleware that also guards every state-changing request against cross-site forgery.

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::local_path::LocalPath;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use dangjian_app::auth::{Client, Session};
use dangjian_app::{Actor, AppError};
use dangjian_domain::platform::account::Account;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "dj_session";
/// The token a signed-out browser sends back with the sign-in form (double submit).
pub const CSRF_COOKIE: &str = "dj_csrf";
pub(crate) const CSRF_FIELD: &str = "csrf";
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// The caller of one request.
#[derive(Clone)]
pub(crate) enum Auth {
    Anonymous {
        csrf: Option<String>,
    },
    Session {
        session: Box<Session>,
        token: String,
    },
    Token {
        actor: Box<Actor>,
        account: Box<Account>,
    },
}

pub(crate) fn client_of(parts_headers: &HeaderMap, peer: Option<SocketAddr>) -> Client {
    Client {
        ip: peer.map(|p| p.ip().to_string()),
        user_agent: parts_headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect()),
    }
}

/// Whether the request came over https (directly or through a proxy that says so).
pub(crate) fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// A cookie as every cookie of ours is: HttpOnly, SameSite=Lax, Secure over https.
pub(crate) fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(crate) async fn resolve(
    State(st): State<AppState>,
    jar: CookieJar,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let client = client_of(req.headers(), peer);
    let is_api = req.uri().path().starts_with("/api/");
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);

    let mut clear_cookie = false;
    let auth = if let Some(bearer) = bearer {
        match st.app.token_actor(bearer.trim(), &client).await {
            Ok((actor, account)) => Auth::Token {
                actor: Box::new(actor),
                account: Box::new(account),
            },
            Err(e) => return ApiError(e).into_response(),
        }
    } else if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        match st.app.session(&token, &client).await {
            Ok(session) => Auth::Session {
                session: Box::new(session),
                token,
            },
            Err(AppError::Unauthenticated(_) | AppError::NotFound) => {
                clear_cookie = true;
                Auth::Anonymous {
                    csrf: jar.get(CSRF_COOKIE).map(|c| c.value().to_owned()),
                }
            }
            Err(e) => {
                return if is_api {
                    ApiError(e).into_response()
                } else {
                    PageError(e).into_response()
                };
            }
        }
    } else {
        Auth::Anonymous {
            csrf: jar.get(CSRF_COOKIE).map(|c| c.value().to_owned()),
        }
    };

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !matches!(auth, Auth::Token { .. }) {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        // A cross-site page cannot send JSON without a CORS preflight, which we never grant.
        if !(is_api && json) {
            let expected = match &auth {
                Auth::Session { session, .. } => Some(session.csrf_token.clone()),
                Auth::Anonymous { csrf } => csrf.clone(),
                Auth::Token { .. } => None,
            };
            let (given, rebuilt) = csrf_of(req).await;
            req = rebuilt;
            let ok = matches!((&expected, &given), (Some(e), Some(g)) if constant_time_eq(e, g));
            if !ok {
                let err = AppError::Forbidden("表单已过期或来源不明，请刷新页面后重试");
                return if is_api {
                    ApiError(err).into_response()
                } else {
                    PageError(err).into_response()
                };
            }
        }
    }
    req.extensions_mut().insert(auth);
    req.extensions_mut().insert(client);
    let response = next.run(req).await;
    if clear_cookie {
        let jar = CookieJar::new().remove(Cookie::build(SESSION_COOKIE).path("/"));
        return (jar, response).into_response();
    }
    response
}

/// The CSRF token of a request: the header, the `csrf` field of a form, or the `csrf` query
/// parameter (for multipart uploads). A form body is read and put back.
async fn csrf_of(req: Request) -> (Option<String>, Request) {
    if let Some(v) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        let v = v.to_owned();
        return (Some(v), req);
    }
    let from_query = req.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v)
    });
    if from_query.is_some() {
        return (from_query, req);
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (None, req);
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, crate::BODY_LIMIT).await else {
        return (None, Request::from_parts(parts, Body::empty()));
    };
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD))
        .map(|(_, v)| v);
    (token, Request::from_parts(parts, Body::from(bytes)))
}

/// A signed-in person on a page. Signed-out visitors are sent to the sign-in page; a person
/// who must change a first password is sent to do that first.
pub(crate) struct Viewer {
    pub session: Session,
    pub token: String,
}

impl Viewer {
    pub fn actor(&self) -> &Actor {
        &self.session.actor
    }
}

/// Pages a person with a first password may still open.
const BEFORE_PASSWORD_CHANGE: [&str; 2] = ["/account/password", "/logout"];

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Auth>() {
            Some(Auth::Session { session, token }) => {
                let path = parts.uri.path();
                if session.account.must_change_password && !BEFORE_PASSWORD_CHANGE.contains(&path) {
                    return Err(Redirect::to("/account/password").into_response());
                }
                Ok(Viewer {
                    session: (**session).clone(),
                    token: token.clone(),
                })
            }
            _ => {
                let next = parts
                    .uri
                    .path_and_query()
                    .and_then(|p| LocalPath::parse(p.as_str()));
                let target = match next {
                    Some(next) if next.as_str() != "/" => {
                        format!("/login?next={}", urlencode(next.as_str()))
                    }
                    _ => "/login".to_owned(),
                };
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

pub(crate) fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// A caller of the API: a session or a bearer token.
pub(crate) struct Caller {
    pub actor: Actor,
    pub account: Account,
    pub session_token: Option<String>,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let caller = match parts.extensions.get::<Auth>() {
            Some(Auth::Session { session, token }) => Caller {
                actor: session.actor.clone(),
                account: session.account.clone(),
                session_token: Some(token.clone()),
            },
            Some(Auth::Token { actor, account }) => Caller {
                actor: (**actor).clone(),
                account: (**account).clone(),
                session_token: None,
            },
            _ => return Err(ApiError(AppError::Unauthenticated("请先登录"))),
        };
        if caller.account.must_change_password {
            return Err(ApiError(AppError::PasswordChangeRequired));
        }
        Ok(caller)
    }
}

/// The request's client, for the audit trail.
pub(crate) struct ClientInfo(pub Client);

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientInfo(
            parts
                .extensions
                .get::<Client>()
                .cloned()
                .unwrap_or_default(),
        ))
    }
}

/// The CSRF token a signed-out page puts in its form, with the cookie that must match it.
pub(crate) fn anonymous_csrf(parts_auth: Option<&Auth>) -> (String, Option<String>) {
    match parts_auth {
        Some(Auth::Anonymous { csrf: Some(c) }) => (c.clone(), None),
        _ => {
            let fresh = uuid::Uuid::new_v4().simple().to_string()
                + &uuid::Uuid::new_v4().simple().to_string();
            (fresh.clone(), Some(fresh))
        }
    }
}
