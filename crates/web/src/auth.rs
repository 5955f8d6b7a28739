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
        match st.app.accounts().token_actor(bearer.trim(), &client).await {
            Ok((actor, account)) => Auth::Token {
                actor: Box::new(actor),
                account: Box::new(account),
            },
            Err(e) => return ApiError(e).into_response(),
        }
    } else if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        match st.app.accounts().session(&token, &client).await {
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
    // Who asked, to put a refusal in the trail: someone trying records not theirs leaves a
    // mark, as every write does. An account that must first change its password is refused
    // everything else (403) for that reason alone: nothing to trace.
    let asker = match &auth {
        Auth::Session { session, .. } if !session.account.must_change_password => {
            Some(session.actor.clone())
        }
        Auth::Token { actor, account } if !account.must_change_password => Some((**actor).clone()),
        _ => None,
    };
    let asked = format!("{} {}", req.method(), req.uri().path());
    req.extensions_mut().insert(auth);
    req.extensions_mut().insert(client);
    let response = next.run(req).await;
    if response.status() == axum::http::StatusCode::FORBIDDEN
        && let Some(actor) = asker
        && let Err(e) = st.app.audit().record_refusal(&actor, &asked).await
    {
        tracing::warn!(error = %e, "could not record a refusal");
    }
    if clear_cookie {
        let jar = CookieJar::new().remove(Cookie::build(SESSION_COOKIE).path("/"));
        return (jar, response).into_response();
    }
    response
}

/// The CSRF token of a request: the header, or the `csrf` field of a form — never the URL,
/// which logs and the Referer carry elsewhere. A form body is read and put back; an upload
/// gives its token as its first field, which is read alone, the file left unread for the
/// handler that decides whether to take it.
async fn csrf_of(req: Request) -> (Option<String>, Request) {
    if let Some(v) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        let v = v.to_owned();
        return (Some(v), req);
    }
    if let Some(boundary) = multipart_boundary(req.headers()) {
        return csrf_of_upload(req, &boundary).await;
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

/// The boundary of a multipart body, from its Content-Type.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let (kind, params) = ct.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The most of an upload read to find its token.
const UPLOAD_HEAD: usize = 8 * 1024;

/// Reads the start of an upload until its first field is whole; the token if that field is
/// `csrf`. The body is put back whole: what was read, then the rest as it streams.
async fn csrf_of_upload(req: Request, boundary: &str) -> (Option<String>, Request) {
    use futures_util::StreamExt;
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut head: Vec<u8> = Vec::new();
    let token = loop {
        match first_field(&head, boundary) {
            FirstField::Whole(token) => break token,
            FirstField::Partial if head.len() < UPLOAD_HEAD => {}
            FirstField::Partial => break None,
        }
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            _ => break None,
        }
    };
    let head = axum::body::Bytes::from(head);
    let rest = futures_util::stream::once(async move { Ok::<_, axum::Error>(head) }).chain(stream);
    (token, Request::from_parts(parts, Body::from_stream(rest)))
}

enum FirstField {
    /// The first field is all there: its value if it is `csrf`.
    Whole(Option<String>),
    Partial,
}

fn first_field(head: &[u8], boundary: &str) -> FirstField {
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let opening = format!("--{boundary}\r\n");
    if head.len() < opening.len() {
        return FirstField::Partial;
    }
    if !head.starts_with(opening.as_bytes()) {
        return FirstField::Whole(None);
    }
    let part = &head[opening.len()..];
    let Some(end_of_headers) = find(part, b"\r\n\r\n") else {
        return FirstField::Partial;
    };
    let closing = format!("\r\n--{boundary}");
    let value = &part[end_of_headers + 4..];
    let Some(end) = find(value, closing.as_bytes()) else {
        return FirstField::Partial;
    };
    let headers = String::from_utf8_lossy(&part[..end_of_headers]).to_ascii_lowercase();
    let is_csrf = headers.lines().any(|l| {
        l.starts_with("content-disposition:") && l.contains(&format!("name=\"{CSRF_FIELD}\""))
    });
    FirstField::Whole(
        is_csrf
            .then(|| String::from_utf8(value[..end].to_vec()).ok())
            .flatten(),
    )
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
