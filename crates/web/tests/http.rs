//! The web layer over HTTP: CSRF, sign-in pages, the JSON API's errors and lists, escaping.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use dangjian_app::{App, DbConfig};
use dangjian_domain::clock::SystemClock;
use dangjian_web::{AppState, CSRF_COOKIE, SESSION_COOKIE};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database};
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

#[path = "http/api_actions.rs"]
mod api_actions;

const PASSWORD: &str = "Demo-Pass-2026";

struct Web {
    router: axum::Router,
    _dir: tempfile::TempDir,
}

async fn web() -> Web {
    let dir = tempfile::tempdir().unwrap();
    let config = match std::env::var("DANGJIAN_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let name = format!("dj_test_{:016x}", rand::random::<u64>());
            let admin = Database::connect(&url).await.unwrap();
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            let base = url
                .rsplit_once('/')
                .map_or(url.as_str(), |(b, _)| b)
                .to_owned();
            DbConfig::Postgres {
                url: format!("{base}/{name}"),
            }
        }
        _ => DbConfig::Sqlite {
            data_dir: dir.path().to_owned(),
        },
    };
    let app = App::open(config, dir.path().to_owned(), Arc::new(SystemClock))
        .await
        .unwrap();
    app.build_demo(100, 1, PASSWORD).await.unwrap();
    // What `into_make_service_with_connect_info` gives every request of a real server.
    let peer = ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000)));
    let router = dangjian_web::router(AppState { app, metrics: None }).layer(
        axum::middleware::map_request(move |mut req: Request<Body>| async move {
            req.extensions_mut().insert(peer);
            req
        }),
    );
    Web { router, _dir: dir }
}

struct Reply {
    status: StatusCode,
    cookies: Vec<String>,
    location: Option<String>,
    content_type: Option<String>,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.iter().find_map(|c| {
            c.strip_prefix(&format!("{name}="))
                .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        })
    }
}

async fn send(w: &Web, req: Request<Body>) -> Reply {
    let res = w.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let cookies = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned());
    let headers = res.headers().clone();
    // Files (.xlsx, .docx) are not text: their bytes are kept as far as they read.
    let body =
        String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
    Reply {
        status,
        cookies,
        location,
        content_type,
        headers,
        body,
    }
}

fn get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

fn form(uri: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn json(method: &str, uri: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// Signs in through the page as a browser would; returns the session cookie and CSRF token.
async fn sign_in(w: &Web, username: &str) -> (String, String) {
    let page = send(w, get("/login", "")).await;
    let csrf = page.cookie(CSRF_COOKIE).unwrap();
    let r = send(
        w,
        form(
            "/login",
            &format!("{CSRF_COOKIE}={csrf}"),
            &format!("csrf={csrf}&username={username}&password={PASSWORD}&next=/"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let session = format!("{SESSION_COOKIE}={}", r.cookie(SESSION_COOKIE).unwrap());
    let home = send(w, get("/", &session)).await;
    let token = home
        .body
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (session, token)
}

#[tokio::test]
async fn the_sign_in_form_names_the_missing_field_and_needs_its_csrf_token() {
    let w = web().await;
    let page = send(&w, get("/login", "")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<title>登录"));
    let csrf = page.cookie(CSRF_COOKIE).unwrap();
    let cookie = format!("{CSRF_COOKIE}={csrf}");
    let r = send(
        &w,
        form(
            "/login",
            &cookie,
            &format!("csrf={csrf}&username=&password=x"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("class=\"field-error\">用户名：不能为空"),
        "{}",
        r.body
    );
    // No token, or a forged one: refused before anything is looked at.
    let r = send(
        &w,
        form(
            "/login",
            &cookie,
            &format!("username=admin&password={PASSWORD}"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(
        &w,
        form(
            "/login",
            &cookie,
            &format!("csrf=forged&username=admin&password={PASSWORD}"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("表单已过期"));
    let r = send(
        &w,
        form(
            "/login",
            &cookie,
            &format!("csrf={csrf}&username=admin&password=wrong"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("用户名或密码错误"));
}

#[tokio::test]
async fn after_sign_in_only_a_path_of_this_site_is_followed() {
    let w = web().await;
    // A browser drops the tab: `/\t/evil.example` would be `//evil.example`, another host.
    let page = send(&w, get("/login?next=%2F%09%2Fevil.example", "")).await;
    assert!(
        page.body.contains(r#"name="next" value="/">"#),
        "{}",
        page.body
    );
    let csrf = page.cookie(CSRF_COOKIE).unwrap();
    let cookie = format!("{CSRF_COOKIE}={csrf}");
    for (next, followed) in [
        ("%2F%09%2Fevil.example", "/"),
        // A newline cannot be put in a header: this answered 500 after opening the session.
        ("%2F%0A%2Fevil.example", "/"),
        ("%2F%5Cevil.example", "/"),
        ("%2F%2Fevil.example", "/"),
        ("https%3A%2F%2Fevil.example%2F", "/"),
        ("%2Fpeople%3Fstatus%3Dfull", "/people?status=full"),
    ] {
        let r = send(
            &w,
            form(
                "/login",
                &cookie,
                &format!("csrf={csrf}&username=admin&password={PASSWORD}&next={next}"),
            ),
        )
        .await;
        assert_eq!(
            (r.status, r.location.as_deref()),
            (StatusCode::SEE_OTHER, Some(followed)),
            "{next}"
        );
    }
}

#[tokio::test]
async fn pages_need_a_session_and_forms_need_the_session_token() {
    let w = web().await;
    let r = send(&w, get("/orgs", "")).await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/login?next=%2Forgs"))
    );
    let (session, token) = sign_in(&w, "admin").await;
    let r = send(&w, get("/orgs?kind=general_branch", &session)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("党总支") && r.body.contains("data-table"));
    let r = send(&w, form("/logout", &session, "csrf=nope")).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "sign-out too needs the token"
    );
    let r = send(&w, form("/logout", &session, &format!("csrf={token}"))).await;
    assert_eq!(r.location.as_deref(), Some("/login"));
    let r = send(&w, get("/", &session)).await;
    assert_eq!(r.location.as_deref(), Some("/login"));
}

/// Script or style written into a page, which the Content-Security-Policy refuses to run.
fn inline_code(html: &str) -> Option<String> {
    let scripts = html.split("<script").skip(1).filter_map(|s| {
        let tag = s.split('>').next().unwrap_or_default();
        (!tag.contains(" src=") && !tag.contains("type=\"application/json\""))
            .then(|| format!("<script{tag}>"))
    });
    let attributes = html.split('<').skip(1).filter_map(|s| {
        let tag = s.split('>').next().unwrap_or_default();
        let handler = tag.split_whitespace().skip(1).any(|a| {
            a.strip_prefix("on")
                .is_some_and(|rest| rest.split('=').nth(1).is_some())
        });
        (handler || tag.contains(" style=") || tag.contains("javascript:"))
            .then(|| format!("<{tag}>"))
    });
    scripts.chain(attributes).next()
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_personal_ones_are_not_cached() {
    let w = web().await;
    let (session, _) = sign_in(&w, "admin").await;
    let r = send(&w, get("/api/v1/people?per_page=1", &session)).await;
    let first = &r.json()["items"][0];
    let (person, org) = (
        first["id"].as_i64().unwrap(),
        first["org_id"].as_i64().unwrap(),
    );
    let pages = [
        "/".to_owned(),
        "/people".to_owned(),
        "/orgs".to_owned(),
        "/dashboard".to_owned(),
        format!("/orgs/{org}"),
        format!("/orgs/{org}/record-book"),
        format!("/people/{person}"),
    ];
    let files = [
        "/api/v1/people".to_owned(),
        "/people/export.xlsx".to_owned(),
        "/dashboard.xlsx".to_owned(),
        format!("/orgs/{org}/record-book.docx"),
    ];
    for uri in pages.iter().chain(&files) {
        let r = send(&w, get(uri, &session)).await;
        let csp = r.header("content-security-policy").unwrap_or_default();
        for directive in [
            "script-src 'self'",
            "style-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{uri}: {directive} in {csp}");
        }
        assert!(!csp.contains("unsafe"), "{uri}: {csp}");
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{uri}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{uri}");
        assert_eq!(r.header("referrer-policy"), Some("same-origin"), "{uri}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{uri}");
        assert_eq!(
            r.header("strict-transport-security"),
            None,
            "{uri}: plain http"
        );
    }
    // The pages (and the sign-in page) run nothing but the files the CSP allows.
    for uri in &pages {
        let r = send(&w, get(uri, &session)).await;
        assert!(r.status.is_success(), "{uri}: {}", r.status);
        assert_eq!(inline_code(&r.body), None, "{uri}");
    }
    let r = send(&w, get("/login", "")).await;
    assert_eq!(inline_code(&r.body), None, "/login");
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let r = send(&w, get("/people/999999999", &session)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(inline_code(&r.body), None, "the error page");
    // The embedded files are the same for everyone and may be kept.
    let r = send(&w, get("/static/app.js", "")).await;
    assert_eq!(r.header("cache-control"), Some("public, max-age=3600"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    // Over https, through the proxy that says so, browsers are told to keep to it.
    let r = send(
        &w,
        Request::get("/login")
            .header("x-forwarded-proto", "https")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        r.header("strict-transport-security"),
        Some("max-age=31536000")
    );
}

#[tokio::test]
async fn html_in_a_name_is_shown_as_text() {
    let w = web().await;
    let (session, token) = sign_in(&w, "admin").await;
    let orgs = send(&w, json("GET", "/api/v1/orgs?kind=committee", &session, ""))
        .await
        .json();
    let root = orgs["items"][0]["id"].as_i64().unwrap();
    let name = "<script>alert(1)</script>' OR 1=1 --";
    let body = format!(
        "csrf={token}&name={}&kind=general_branch",
        dangjian_web_test_encode(name)
    );
    let r = send(&w, form(&format!("/orgs/{root}/children"), &session, &body)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = send(&w, get(r.location.as_deref().unwrap(), &session)).await;
    assert!(
        page.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || page.body.contains("&lt;script&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>alert(1)"));
    // A bad field comes back named, in Chinese, and nothing is created.
    let r = send(
        &w,
        form(
            &format!("/orgs/{root}/children"),
            &session,
            &format!("csrf={token}&name=&kind=branch"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("组织名称：不能为空"));
}

fn dangjian_web_test_encode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)])
        .unwrap()
        .trim_start_matches("v=")
        .to_owned()
}

#[tokio::test]
async fn the_api_answers_errors_as_json_and_lists_as_pages() {
    let w = web().await;
    let r = send(&w, json("POST", "/api/v1/session", "", "{not json")).await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    let r = send(
        &w,
        json(
            "POST",
            "/api/v1/session",
            "",
            r#"{"username":"admin","password":"x","extra":1}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = send(
        &w,
        json(
            "POST",
            "/api/v1/session",
            "",
            r#"{"username":"admin","password":"wrong"}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let r = send(
        &w,
        json(
            "POST",
            "/api/v1/session",
            "",
            &format!(r#"{{"username":"admin","password":"{PASSWORD}"}}"#),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["grants"][0]["role"], "org_department");
    let session = format!("{SESSION_COOKIE}={}", r.cookie(SESSION_COOKIE).unwrap());
    let r = send(&w, json("GET", "/api/v1/orgs?per_page=501", &session, "")).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("per_page"))
    );
    let r = send(
        &w,
        json("GET", "/api/v1/orgs?kind=branch&per_page=2", &session, ""),
    )
    .await;
    let list = r.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert!(list["total"].as_u64().unwrap() >= 2);
    assert_eq!(list["items"][0]["kind"], "branch");
    let r = send(&w, json("GET", "/api/v1/orgs/1", &session, "")).await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let r = send(
        &w,
        json(
            "POST",
            "/api/v1/orgs",
            &session,
            r#"{"parent_id":1,"name":"x","kind":"team"}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("kind"))
    );
    let r = send(&w, json("DELETE", "/api/v1/session", &session, "")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = send(&w, json("GET", "/api/v1/me", &session, "")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bearer_tokens_reach_the_api_until_revoked() {
    let w = web().await;
    let (session, _) = sign_in(&w, "gbsec").await;
    let r = send(
        &w,
        json("POST", "/api/v1/tokens", &session, r#"{"name":"对接"}"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = r.json();
    let secret = created["secret"].as_str().unwrap().to_owned();
    let id = created["token"]["id"].as_i64().unwrap();
    assert!(created["token"]["expires_at"].is_string(), "{created}");
    let r = send(
        &w,
        json(
            "POST",
            "/api/v1/tokens",
            &session,
            r#"{"name":"太久","days":400}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["field"], "days");
    let bearer = |uri: &str| {
        Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .body(Body::empty())
            .unwrap()
    };
    let r = send(&w, bearer("/api/v1/me")).await;
    assert_eq!(r.json()["username"], "gbsec");
    let r = send(
        &w,
        json("DELETE", &format!("/api/v1/tokens/{id}"), &session, ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = send(&w, bearer("/api/v1/me")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn operations_endpoints_and_the_openapi_document() {
    let w = web().await;
    assert_eq!(send(&w, get("/healthz", "")).await.status, StatusCode::OK);
    let doc = send(&w, get("/api/v1/openapi.json", "")).await.json();
    for path in [
        "/api/v1/session",
        "/api/v1/orgs",
        "/api/v1/orgs/{id}",
        "/api/v1/tokens",
        "/api/v1/audit",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
    let r = send(&w, get("/favicon.svg", "")).await;
    assert!(r.body.starts_with("<svg"));
    assert!(
        send(&w, get("/static/htmx.min.js", ""))
            .await
            .body
            .contains("htmx")
    );
}

/// What a generated client relies on (tests/api/run checks the rest with the real tools): one
/// name per operation, query parameters in the query, every answer described with the errors
/// in the error body, enumerations as schemas, a token or session needed except to sign in.
#[tokio::test]
async fn the_openapi_document_is_a_contract_a_client_can_be_generated_from() {
    let w = web().await;
    let doc = send(&w, get("/api/v1/openapi.json", "")).await.json();
    assert_eq!(
        doc["security"],
        serde_json::json!([{"bearer": []}, {"session": []}])
    );
    // A download answers with the type its attachment was accepted as, each one listed.
    let download = &doc["paths"]["/api/v1/attachments/{id}"]["get"]["responses"]["200"]["content"];
    for mime in ["image/png", "image/jpeg", "application/pdf"] {
        assert!(download.get(mime).is_some(), "{mime} in {download}");
    }
    assert!(download.get("application/octet-stream").is_none());
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_owned()), "{id} names two operations");
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                assert_eq!(p["in"] == "path", in_path, "{method} {path}: {name}");
            }
            let responses = op["responses"].as_object().unwrap();
            for (status, r) in responses {
                assert!(r["description"].as_str().is_some_and(|d| !d.is_empty()));
                if status.starts_with('4') {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorBody",
                        "{method} {path} {status}"
                    );
                }
            }
            let open = op["security"] == serde_json::json!([{}]);
            assert_eq!(open, id == "sign_in", "{id}");
            assert!(open || responses.contains_key("401"), "{id}");
        }
    }
    let kinds = &doc["components"]["schemas"]["MeetingKindCode"]["enum"];
    assert!(kinds.as_array().unwrap().contains(&"party_lecture".into()));
    assert_eq!(
        doc["components"]["schemas"]["OrgView"]["properties"]["kind"]["$ref"],
        "#/components/schemas/OrgKindCode"
    );
}

/// A meeting's time may be sent with an offset, as RFC 3339 says, and is kept as the local
/// time in Asia/Shanghai; without an offset it is that local time, as before.
#[tokio::test]
async fn a_meeting_time_with_an_offset_is_read_in_shanghai_time() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let branch = send(&w, get("/api/v1/orgs?kind=branch&per_page=1", &admin))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let day = chrono::Local::now().date_naive() + chrono::Duration::days(30);
    for (sent, kept) in [
        (format!("{day}T06:30:00Z"), format!("{day}T14:30:00")),
        (format!("{day}T15:00:00+08:00"), format!("{day}T15:00:00")),
        (format!("{day}T16:00:00"), format!("{day}T16:00:00")),
    ] {
        let r = send(
            &w,
            json(
                "POST",
                &format!("/api/v1/orgs/{branch}/meetings"),
                &admin,
                &format!(
                    r#"{{"kind":"party_lecture","topic":"党课","starts_at":"{sent}","place":"报告厅","lecturer_name":"党校 李老师"}}"#
                ),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{sent}: {}", r.body);
        assert_eq!(r.json()["starts_at"], kept.as_str(), "{sent}");
    }
    let r = send(
        &w,
        json(
            "POST",
            &format!("/api/v1/orgs/{branch}/meetings"),
            &admin,
            r#"{"kind":"party_lecture","topic":"党课","starts_at":"下周一","place":"报告厅"}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("starts_at"))
    );
    let r = send(
        &w,
        get(
            &format!("/api/v1/orgs/{branch}/meetings?year=-13878"),
            &admin,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("year"))
    );
}

/// A NUL reaches no query: PostgreSQL can neither store nor compare one (it answered 500), and
/// no stored text holds one, so a search for it finds nothing, on the pages as in the API; a
/// user name with one is named. A body over the limit is 413, said in Chinese.
#[tokio::test]
async fn a_nul_in_a_filter_or_a_user_name_and_a_body_too_large_are_named() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let (auditor, _) = sign_in(&w, "auditor").await;
    for (uri, who) in [
        ("/api/v1/people?q=zs%00", &admin),
        ("/api/v1/orgs?name=%00", &admin),
        ("/api/v1/audit?actor=%00&entity=%00&action=%00", &auditor),
    ] {
        let r = send(&w, get(uri, who)).await;
        assert_eq!(
            (r.status, r.json()["total"].as_u64()),
            (StatusCode::OK, Some(0)),
            "{uri}: {}",
            r.body
        );
    }
    for uri in ["/people?q=%00", "/people?q=zs%00", "/orgs?name=%00"] {
        let r = send(&w, get(uri, &admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    }
    let csrf = send(&w, get("/login", ""))
        .await
        .cookie(CSRF_COOKIE)
        .unwrap();
    let r = send(
        &w,
        form(
            "/login",
            &format!("{CSRF_COOKIE}={csrf}"),
            &format!("csrf={csrf}&username=ad%00min&password=x&next=/"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("空字符"), "{}", r.body);
    let r = send(
        &w,
        json(
            "POST",
            "/api/v1/session",
            "",
            r#"{"username":"ad\u0000min","password":"x"}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("username"))
    );
    let big = format!(r#"{{"name":"{}"}}"#, "令".repeat(400_000));
    let r = send(&w, json("POST", "/api/v1/tokens", &admin, &big)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["message"], "提交的内容超过大小上限（1 MB）");
}

#[tokio::test]
async fn unreadable_requests_are_answered_in_chinese() {
    let w = web().await;
    let (session, _) = sign_in(&w, "admin").await;
    let r = send(&w, get("/orgs/abc", &session)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("请求的地址或参数格式有误"), "{}", r.body);
    let r = send(&w, get("/orgs?page=x", &session)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("格式有误"));
    let r = send(&w, json("GET", "/api/v1/orgs/abc", &session, "")).await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    let r = send(&w, json("GET", "/api/v1/orgs?page=x", &session, "")).await;
    assert_eq!(r.json()["code"], "bad_request");
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("查询参数有误")
    );
}

#[tokio::test]
async fn an_empty_scope_in_the_filter_means_all() {
    let w = web().await;
    let (session, _) = sign_in(&w, "admin").await;
    let r = send(
        &w,
        get(
            "/orgs?under=&name=%E5%9B%BE%E4%B9%A6%E9%A6%86&kind=&sort=&page=",
            &session,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("图书馆党支部") && r.body.contains("共 1 个"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_roster_through_the_api_and_the_pages() {
    let w = web().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let r = send(
        &w,
        get(
            "/api/v1/people?status=members&per_page=5&sort=-birth_date",
            &admin,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json();
    assert_eq!(list["total"], 100);
    let first = &list["items"][0];
    for key in ["id", "name", "status", "category", "org_id"] {
        assert!(!first[key].is_null(), "{key} in {first}");
    }
    assert!(
        first["national_id_masked"]
            .as_str()
            .unwrap()
            .contains("***")
    );
    let id = first["id"].as_i64().unwrap();
    let org_id = first["org_id"].as_i64().unwrap();

    let r = send(&w, get(&format!("/api/v1/people/{id}"), &admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["history"].as_array().unwrap().len(), 1);
    let r = send(&w, get(&format!("/api/v1/orgs/{org_id}/members"), &admin)).await;
    assert!(r.json()["total"].as_u64().unwrap() >= 1);
    let r = send(
        &w,
        get(
            "/api/v1/people?age_min=4294967295&age_max=4294967295",
            &admin,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["total"].as_u64()),
        (StatusCode::OK, Some(0))
    );
    let r = send(&w, get("/api/v1/people?status=chairman", &admin)).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
    );

    // A bad ID number is named and nothing is added.
    let body = format!(
        r#"{{"org_id":{org_id},"name":"测试","national_id":"110105194912310021","ethnicity":"汉族","education":"master","category":"staff","status":"applicant"}}"#
    );
    let r = send(&w, json("POST", "/api/v1/people", &admin, &body)).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("national_id"))
    );
    let body = body.replace("110105194912310021", "11010519491231002X");
    let r = send(&w, json("POST", "/api/v1/people", &admin, &body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = send(&w, get("/api/v1/people?q=ceshi", &admin)).await;
    assert_eq!(r.json()["total"], 1);

    for page in [
        "/people?q=cs",
        "/dashboard",
        "/imports",
        &format!("/people/{id}"),
        &format!("/orgs/{org_id}"),
    ] {
        let r = send(&w, get(page, &admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{page}: {}", r.body);
    }
    let r = send(
        &w,
        form(
            &format!("/people/{id}/reveal"),
            &admin,
            &format!("csrf={csrf}"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("***********"), "the whole number is shown");
    let r = send(
        &w,
        form(&format!("/people/{id}/reveal"), &admin, "csrf=wrong"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for file in [
        "/people/export.xlsx",
        "/imports/template.xlsx",
        "/dashboard.xlsx",
    ] {
        let res = w.router.clone().oneshot(get(file, &admin)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{file}");
        assert!(
            res.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
    }
    let r = send(&w, get("/api/v1/dashboard", &admin)).await;
    assert_eq!(r.json()["members"], 100);
}

#[tokio::test]
async fn a_person_activates_an_account_from_the_sign_in_page() {
    let w = web().await;
    let page = send(&w, get("/activate", "")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("激活账号"));
    let csrf = page.cookie(CSRF_COOKIE).unwrap();
    let cookie = format!("{CSRF_COOKIE}={csrf}");
    let body = format!(
        "csrf={csrf}&name=%E6%97%A0%E6%AD%A4%E4%BA%BA&national_id=11010519491231002X&staff_no=T1&password=Abcdef-2026x&password2=Abcdef-2026x"
    );
    let r = send(&w, form("/activate", &cookie, &body)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不匹配"), "{}", r.body);
    assert!(
        !r.body.contains("11010519491231002X"),
        "the ID number is not echoed"
    );
    let r = send(
        &w,
        form(
            "/activate",
            &cookie,
            &body.replace(&format!("csrf={csrf}"), "csrf=x"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_branch_is_split_from_its_page() {
    let w = web().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let r = send(&w, get("/api/v1/orgs?kind=branch&per_page=1", &admin)).await;
    let branch = r.json()["items"][0]["id"].as_i64().unwrap();
    let r = send(
        &w,
        get(&format!("/api/v1/orgs/{branch}/members?per_page=2"), &admin),
    )
    .await;
    let ids: Vec<i64> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    let page = send(&w, get(&format!("/orgs/{branch}"), &admin)).await;
    assert!(page.body.contains("分设新支部"));
    let body = format!(
        "csrf={csrf}&name=%E6%96%B0%E6%94%AF%E9%83%A8&person_id={}&person_id={}",
        ids[0], ids[1]
    );
    let r = send(&w, form(&format!("/orgs/{branch}/split"), &admin, &body)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let new = r.location.unwrap();
    let r = send(&w, get(&format!("/api/v1/people/{}", ids[1]), &admin)).await;
    assert_eq!(
        format!("/orgs/{}?notice=org_split", r.json()["org_id"]),
        new
    );
}

#[tokio::test]
async fn committees_changes_and_past_trees_through_the_api() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let post = |uri: &str, body: &str| send(&w, json("POST", uri, &admin, body));
    let r = send(&w, get("/api/v1/orgs?kind=branch&per_page=2", &admin)).await;
    let branches: Vec<i64> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_object().unwrap()["id"].as_i64().unwrap())
        .collect();
    let (branch, other) = (branches[0], branches[1]);
    let r = send(&w, get(&format!("/api/v1/orgs/{branch}/committee"), &admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let seats = r.json()["items"].as_array().unwrap().clone();
    assert!(!seats.is_empty(), "the demo gives every branch a secretary");
    let secretary = seats
        .iter()
        .find(|s| s["position"] == "secretary")
        .unwrap()
        .clone();
    // A second secretary is refused by the rule, naming its source.
    let body = format!(
        r#"{{"person_id":{},"position":"secretary"}}"#,
        secretary["person_id"]
    );
    let r = post(&format!("/api/v1/orgs/{branch}/committee"), &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("支部条例第九条")
    );
    let r = post(&format!("/api/v1/seats/{}/end", secretary["id"]), "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["left_on"].is_string());
    let r = post(&format!("/api/v1/seats/{}/end", secretary["id"]), "").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // A move that would put a branch under a branch is refused; a dissolve of a branch with
    // people too; an unknown action is named.
    let body = format!(r#"{{"action":"move","parent_id":{other}}}"#);
    let r = post(&format!("/api/v1/orgs/{branch}/change"), &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = post(
        &format!("/api/v1/orgs/{branch}/change"),
        r#"{"action":"dissolve"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = post(
        &format!("/api/v1/orgs/{branch}/change"),
        r#"{"action":"rename"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);

    let r = send(&w, get(&format!("/api/v1/orgs/{branch}"), &admin)).await;
    let parent = r.json()["parent_id"].as_i64().unwrap();
    let r = send(
        &w,
        get(
            &format!("/api/v1/orgs/{parent}/tree?as_of=2020-01-01"),
            &admin,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tree = r.json();
    assert_eq!(tree["items"][0]["id"].as_i64(), Some(parent));
    assert_eq!(tree["items"][0]["depth"].as_u64(), Some(0));
    let r = send(
        &w,
        get(
            &format!("/api/v1/orgs/{parent}/tree?as_of=2020-13-01"),
            &admin,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("as_of"))
    );
    let page = send(
        &w,
        get(&format!("/orgs?under={parent}&as_of=2999-01-01"), &admin),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("不能晚于今天"), "{}", page.body);
    let page = send(
        &w,
        get(&format!("/orgs?under={parent}&as_of=2025-01-01"), &admin),
    )
    .await;
    assert!(page.body.contains("id=\"past-tree\""), "{}", page.body);
}

#[tokio::test]
async fn development_steps_through_the_api() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let post = |uri: &str, body: &str| send(&w, json("POST", uri, &admin, body));
    // A newcomer (群众) of some branch, who has no record yet.
    let r = send(&w, get("/api/v1/orgs?kind=branch&per_page=1", &admin)).await;
    let org_id = r.json()["items"][0]["id"].as_i64().unwrap();
    let birth = chrono::NaiveDate::from_ymd_opt(2003, 4, 5).unwrap();
    let national_id = dangjian_domain::people::NationalId::compose(110101, birth, 777);
    let body = format!(
        r#"{{"org_id":{org_id},"name":"新同学","national_id":"{}","ethnicity":"汉族","education":"bachelor","category":"staff","status":"non_member"}}"#,
        national_id.as_str()
    );
    let r = post("/api/v1/people", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let person = r.json()["id"].as_i64().unwrap();
    let uri = format!("/api/v1/people/{person}/development");
    let r = send(&w, get(&uri, &admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["next_steps"], serde_json::json!(["application"]));

    let today = dangjian_domain::clock::Clock::today(&SystemClock);
    let r = post(&uri, &format!(r#"{{"step":"application","on":"{today}"}}"#)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["number"], 1);
    // Out of order: refused, naming the rule; a malformed detail names the field.
    let r = post(
        &uri,
        &format!(r#"{{"step":"admission_vote","on":"{today}"}}"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.json()["message"].as_str().unwrap().contains("细则第四条"));
    // Beside the message, the rule's own stable code, so a client need not read Chinese.
    assert_eq!(
        (r.json()["code"].as_str(), r.json()["rule"].as_str()),
        (Some("rule_violated"), Some("development.step_order"))
    );
    let r = post(
        &uri,
        &format!(r#"{{"step":"talk","on":"{today}","detail":{{"kind":"vote"}}}}"#),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("detail"))
    );
    assert!(r.json().get("rule").is_none(), "{}", r.body);
    // A count is not taken at its word: a vote names its meeting and carries its roll.
    let r = post(
        &uri,
        &format!(
            r#"{{"step":"admission_vote","on":"{today}","detail":{{"kind":"vote","count":{{"entitled":4,"attending":4,"yes":3,"no":1,"abstain":0}}}}}}"#
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("meeting_id")),
        "{}",
        r.body
    );
    let r = post(&uri, &format!(r#"{{"step":"talk","on":"{today}"}}"#)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = send(&w, get(&uri, &admin)).await;
    assert_eq!(r.json()["steps"].as_array().unwrap().len(), 2);
    assert_eq!(
        r.json()["next_steps"],
        serde_json::json!(["activist_chosen"])
    );
    let doc = send(&w, get("/api/v1/openapi.json", &admin)).await;
    assert!(doc.body.contains("/api/v1/people/{id}/development"));
    let rules = &doc.json()["components"]["schemas"]["RuleCodeValue"]["enum"];
    assert!(
        rules
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("development.activist_one_year")),
        "{rules}"
    );
}

#[tokio::test]
async fn the_organization_department_keeps_the_holiday_calendar() {
    let w = web().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let page = send(&w, get("/calendar", &admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("2026-10-01") && page.body.contains("调休上班"));
    let r = send(
        &w,
        form(
            "/calendar",
            &admin,
            &format!("csrf={csrf}&on=2027-01-01&kind=off&note=%E5%85%83%E6%97%A6"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        send(&w, get("/calendar", &admin))
            .await
            .body
            .contains("2027-01-01")
    );
    let r = send(
        &w,
        form(
            "/calendar",
            &admin,
            &format!("csrf={csrf}&on=2027-13-01&kind=off&note=x"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("日期"), "{}", r.body);
    let (branchsec, token) = sign_in(&w, "branchsec").await;
    let r = send(
        &w,
        form(
            "/calendar",
            &branchsec,
            &format!("csrf={token}&on=2027-01-02&kind=off&note=x"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn the_organization_department_sets_the_universitys_own_rules() {
    let w = web().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let page = send(&w, get("/rules", &admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("dev_publicity_days") && !page.body.contains("lockout_failures"));
    let r = send(
        &w,
        form(
            "/rules",
            &admin,
            &format!("csrf={csrf}&dev_publicity_days=4"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = send(
        &w,
        form(
            "/rules",
            &admin,
            &format!("csrf={csrf}&dev_publicity_days=7"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        send(&w, get("/rules", &admin))
            .await
            .body
            .contains("value=\"7\"")
    );
    // A version from a later day is listed, and today's value stays in force until then.
    let r = send(
        &w,
        form(
            "/rules",
            &admin,
            &format!("csrf={csrf}&dev_publicity_days=6&effective_from=2099-09-01"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = send(&w, get("/rules", &admin)).await.body;
    assert!(
        page.contains("2099-09-01") && page.contains("value=\"7\""),
        "{page}"
    );
    // How a step is run: the 细则's bodies stay, the documents are the university's.
    let r = send(
        &w,
        form(
            "/rules/steps/admission_vote",
            &admin,
            &format!("csrf={csrf}&body=branch&recorder=branch&documents=x"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不能改为"), "{}", r.body);
    let r = send(
        &w,
        form(
            "/rules/steps/training",
            &admin,
            &format!(
                "csrf={csrf}&body=higher_committee&recorder=higher&documents=%E7%BB%93%E4%B8%9A%E8%AF%81%E4%B9%A6%E3%80%81%E8%80%83%E8%AF%95%E8%AF%95%E5%8D%B7"
            ),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        send(&w, get("/rules", &admin))
            .await
            .body
            .contains("结业证书、考试试卷")
    );
    // The system admin keeps the platform's settings, not these.
    let (sysadmin, _) = sign_in(&w, "sysadmin").await;
    assert_eq!(
        send(&w, get("/rules", &sysadmin)).await.status,
        StatusCode::FORBIDDEN
    );
    let page = send(&w, get("/admin/settings", &sysadmin)).await;
    assert!(page.body.contains("lockout_failures") && !page.body.contains("dev_publicity_days"));
}

#[tokio::test]
async fn the_party_school_certifies_a_candidate_and_the_record_prints_to_word() {
    let w = web().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let root = send(&w, get("/api/v1/orgs?kind=committee&per_page=1", &admin))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let candidate = send(
        &w,
        get("/api/v1/people?status=candidate&per_page=1", &admin),
    )
    .await
    .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    // A class that ends before it starts is refused by name; a good one is planned.
    let class = |ends: &str| {
        format!(
            "csrf={csrf}&org_id={root}&name=%E5%8F%91%E5%B1%95%E5%AF%B9%E8%B1%A1%E5%9F%B9%E8%AE%AD%E7%8F%AD&audience=candidate&starts_on=2026-10-12&ends_on={ends}&hours=24"
        )
    };
    let r = send(&w, form("/training", &admin, &class("2026-10-01"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("结束日期：不能早于开始日期"), "{}", r.body);
    let r = send(&w, form("/training", &admin, &class("2026-10-14"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let class_uri = r.location.unwrap().split('?').next().unwrap().to_owned();
    let page = send(&w, get(&class_uri, &admin)).await;
    assert!(
        page.body.contains(&format!("value=\"{candidate}\"")),
        "the candidate may enrol"
    );
    let r = send(
        &w,
        form(
            &format!("{class_uri}/trainees"),
            &admin,
            &format!("csrf={csrf}&person_id={candidate}"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let result = |hours: u32| {
        form(
            &format!("{class_uri}/trainees/{candidate}"),
            &admin,
            &format!("csrf={csrf}&hours={hours}&exam=passed"),
        )
    };
    let r = send(&w, result(20)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("细则第十七条"), "{}", r.body);
    assert_eq!(send(&w, result(24)).await.status, StatusCode::SEE_OTHER);
    assert!(
        send(&w, get(&class_uri, &admin))
            .await
            .body
            .contains("20261012-001")
    );
    let record = send(&w, get(&format!("/people/{candidate}/development"), &admin)).await;
    assert!(record.body.contains("党校培训") && record.body.contains("20261012-001"));

    // The record sheet as a Word file; a document whose step is missing says which.
    let sheet = send(
        &w,
        get(
            &format!("/people/{candidate}/development/record_sheet.docx"),
            &admin,
        ),
    )
    .await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(sheet.content_type.unwrap().contains("wordprocessingml"));
    assert!(sheet.body.starts_with("PK"), "a .docx is a zip file");
    let reply = send(
        &w,
        get(
            &format!("/people/{candidate}/development/reply.docx"),
            &admin,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body.contains("尚未登记"), "{}", reply.body);

    // The same through the API.
    let classes = send(&w, get("/api/v1/training-classes", &admin))
        .await
        .json();
    assert_eq!(
        (
            classes["total"].as_u64(),
            classes["items"][0]["certified"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let r = send(
        &w,
        json(
            "PUT",
            &format!(
                "/api/v1{}/trainees/{candidate}",
                class_uri.replace("/training/", "/training-classes/")
            ),
            &admin,
            r#"{"hours":30,"exam":"passed"}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("hours"))
    );
    let api_doc = |doc: &str| {
        get(
            &format!("/api/v1/people/{candidate}/development/documents/{doc}"),
            &admin,
        )
    };
    assert_eq!(
        send(&w, api_doc("record_sheet")).await.status,
        StatusCode::OK
    );
    // An applicant has had no pre-review: no publicity yet.
    let applicant = send(
        &w,
        get("/api/v1/people?status=applicant&per_page=1", &admin),
    )
    .await
    .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let r = send(
        &w,
        get(
            &format!("/api/v1/people/{applicant}/development/documents/publicity"),
            &admin,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let openapi = send(&w, get("/api/v1/openapi.json", &admin)).await.body;
    assert!(openapi.contains("/api/v1/training-classes/{id}/trainees"));

    // 留党察看 is recorded on a member for one or two years.
    let member = send(&w, get("/api/v1/people?status=full&per_page=1", &admin))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let discipline = |years: &str| {
        form(
            &format!("/people/{member}/disciplines"),
            &admin,
            &format!(
                "csrf={csrf}&kind=probation&years={years}&decided_on=2026-03-01&decided_by=%E6%94%AF%E9%83%A8%E5%A4%A7%E4%BC%9A&reason=%E8%BF%9D%E7%BA%AA"
            ),
        )
    };
    let r = send(&w, discipline("3")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("党章第四十条"), "{}", r.body);
    assert_eq!(
        send(&w, discipline("1")).await.status,
        StatusCode::SEE_OTHER
    );
    let page = send(&w, get(&format!("/people/{member}"), &admin))
        .await
        .body;
    assert!(
        page.contains("留党察看") && page.contains("至 2027-02-28"),
        "{page}"
    );
}

#[tokio::test]
async fn a_meeting_is_planned_held_locked_and_counted_through_the_pages() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let (sec, csrf) = sign_in(&w, "branchsec").await;
    // The branch secretary's own branch: the first their scope lists.
    let branch = send(&w, get("/api/v1/orgs?kind=branch&per_page=1", &sec))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    // Now, in Shanghai: the meeting starts as it is planned, so codes work and it may be held.
    let local = chrono::Utc::now() + chrono::Duration::hours(8);
    let month = local.format("%Y-%m").to_string();
    let when = local.format("%Y-%m-%dT%H:%M").to_string();
    // Without a topic: refused by name, nothing planned.
    let plan = |topic: &str, hours: &str| {
        form(
            &format!("/orgs/{branch}/meetings"),
            &sec,
            &format!(
                "csrf={csrf}&kind=theme_day&topic={topic}&starts_at={when}&place=%E6%B4%BB%E5%8A%A8%E5%AE%A4&first_agenda_item=&agenda=&study_hours={hours}"
            ),
        )
    };
    let theme_day = "%E4%B8%BB%E9%A2%98%E5%85%9A%E6%97%A5";
    let r = send(&w, plan("", "2")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("主题：不能为空"), "{}", r.body);
    let r = send(&w, plan(theme_day, "99")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("计入学时：应为 0 到 16 之间，以 0.5 学时为单位"),
        "{}",
        r.body
    );
    // A 党课 names its lecturer: refused without one; the form offers the branch's people.
    let lecture = |lecturer_id: &str| {
        form(
            &format!("/orgs/{branch}/meetings"),
            &sec,
            &format!(
                "csrf={csrf}&kind=party_lecture&topic={theme_day}&starts_at={when}&place=%E6%B4%BB%E5%8A%A8%E5%AE%A4&lecturer_id={lecturer_id}&lecturer_name="
            ),
        )
    };
    let r = send(&w, lecture("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("党课应登记讲课人"), "{}", r.body);
    let offered = r.body.split("id=\"lecturer_id\"").nth(1).unwrap();
    let first: String = offered
        .split("<option value=\"")
        .nth(2)
        .expect("someone offered")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let r = send(&w, lecture("not-a-number")).await;
    assert!(r.body.contains("讲课人：请从名册中选择"), "{}", r.body);
    let r = send(&w, lecture(&first)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let lecture_page = r.location.unwrap().split('?').next().unwrap().to_owned();
    let page = send(&w, get(&lecture_page, &sec)).await.body;
    assert!(page.contains("id=\"lecturer\""), "{page}");
    let r = send(&w, plan(theme_day, "1.5")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let meeting = r.location.unwrap().split('?').next().unwrap().to_owned();
    let page = send(&w, get(&meeting, &sec)).await.body;
    assert!(
        page.contains("hold-form") && page.contains("att_"),
        "the roll lists the members"
    );
    assert!(
        page.contains("id=\"study-hours\">1.5 学时"),
        "the hours counted, in halves"
    );

    // One-time codes, shown once as QR codes; one member checks in on a phone, signed out.
    let codes = send(
        &w,
        form(
            &format!("{meeting}/check-ins"),
            &sec,
            &format!("csrf={csrf}"),
        ),
    )
    .await;
    assert_eq!(codes.status, StatusCode::OK, "{}", codes.body);
    assert!(codes.body.contains("<svg"), "QR codes");
    let at = codes.body.find("/check-in/").unwrap();
    let path: String = codes.body[at..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<')
        .collect();
    let phone = send(&w, get(&path, "")).await;
    assert_eq!(phone.status, StatusCode::OK, "{}", phone.body);
    let anon = phone.cookie(CSRF_COOKIE).unwrap();
    let check_in = || {
        form(
            &path,
            &format!("{CSRF_COOKIE}={anon}"),
            &format!("csrf={anon}"),
        )
    };
    let r = send(&w, check_in()).await;
    assert!(r.body.contains("签到成功"), "{}", r.body);
    let r = send(&w, check_in()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("已使用"), "{}", r.body);
    let page = send(&w, get(&meeting, &sec)).await.body;
    assert!(page.contains("已签到"), "the roll shows the check-in");

    let r = send(
        &w,
        form(
            &format!("{meeting}/hold"),
            &sec,
            &format!("csrf={csrf}&minutes=%E5%AD%A6%E4%B9%A0&resolutions="),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The organization department reads the record but the secretary confirms it.
    let r = send(
        &w,
        json("POST", &format!("/api/v1{meeting}/lock"), &admin, ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send(
        &w,
        form(&format!("{meeting}/lock"), &sec, &format!("csrf={csrf}")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = send(&w, get(&meeting, &sec)).await.body;
    assert!(
        page.contains("已确认") && page.contains("补充更正"),
        "{page}"
    );
    let record = send(&w, get(&format!("/api/v1{meeting}"), &admin))
        .await
        .json();
    assert_eq!(record["state"], "locked");
    assert!(
        record["attendance"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["status"] == "present")
    );
    let r = send(
        &w,
        json(
            "POST",
            &format!("/api/v1{meeting}/corrections"),
            &sec,
            r#"{"text":"补记：会后补发学习材料"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // Heart talks: two people of the branch, not one person with themself.
    let talks = send(&w, get(&format!("/orgs/{branch}/talks"), &sec)).await;
    assert_eq!(talks.status, StatusCode::OK);
    let people: Vec<String> = talks
        .body
        .split("<option value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();
    let today = &when[..10];
    let talk = |a: &str, b: &str| {
        form(
            &format!("/orgs/{branch}/talks"),
            &sec,
            &format!(
                "csrf={csrf}&talker_id={a}&talkee_id={b}&on={today}&place=&summary=%E8%B0%88%E5%BF%83"
            ),
        )
    };
    let r = send(&w, talk(&people[0], &people[0])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("谈话对象：不能与谈话人是同一人"),
        "{}",
        r.body
    );
    let r = send(&w, talk(&people[0], &people[1])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let listed = send(&w, get(&format!("/api/v1/orgs/{branch}/talks"), &admin))
        .await
        .json();
    assert_eq!(
        listed["items"][0]["summary"], "谈心",
        "the newest first: {listed}"
    );

    // Each member's attendance and study hours: the theme day counted 1.5 hours to those present.
    let life = send(&w, get(&format!("/api/v1/orgs/{branch}/member-life"), &sec))
        .await
        .json();
    assert!(life["total"].as_u64().unwrap() > 0, "{life}");
    assert!(
        life["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["minimum"] == 32 || m["minimum"] == 56),
        "{life}"
    );
    let page = send(&w, get(&format!("/orgs/{branch}/member-life"), &sec)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"member-life\""), "{}", page.body);
    // The yearly minimum is the domain's number, not one typed into the template.
    let minimum = format!(
        "不少于 {} 学时",
        dangjian_domain::learning::MEMBER_MIN_HOURS
    );
    assert!(page.body.contains(&minimum), "{}", page.body);

    // The secretary's meeting calendar, and the phone's subscription by a secret link.
    let cal = send(&w, get("/my/meetings", &sec)).await;
    assert!(cal.body.contains("主题党日"), "{}", cal.body);
    let made = send(&w, form("/my/meetings/link", &sec, &format!("csrf={csrf}"))).await;
    let at = made.body.find("/ical/").unwrap();
    let feed: String = made.body[at..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<')
        .collect();
    let ics = send(&w, get(&feed, "")).await;
    assert!(ics.content_type.unwrap().starts_with("text/calendar"));
    assert!(
        ics.body.starts_with("BEGIN:VCALENDAR\r\n") && ics.body.contains("SUMMARY:主题党日"),
        "{}",
        ics.body
    );
    let r = send(
        &w,
        form("/my/meetings/link/revoke", &sec, &format!("csrf={csrf}")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(send(&w, get(&feed, "")).await.status, StatusCode::NOT_FOUND);

    // The figures of the branch's organizational life, live and as a spreadsheet.
    let figures = send(&w, get(&format!("/orgs/{branch}/meeting-figures"), &sec)).await;
    assert_eq!(figures.status, StatusCode::OK);
    assert!(figures.body.contains("支委会") && figures.body.contains("出勤率"));
    let xlsx = send(
        &w,
        get(&format!("/orgs/{branch}/meeting-figures.xlsx"), &sec),
    )
    .await;
    assert!(xlsx.content_type.unwrap().contains("spreadsheetml"));
    let api = send(
        &w,
        get(&format!("/api/v1/orgs/{branch}/meeting-figures"), &sec),
    )
    .await
    .json();
    let total = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "total")
        .unwrap()
        .clone();
    assert!(total["held"].as_i64().unwrap() >= 1, "{api}");
    let r = send(
        &w,
        get(
            &format!("/orgs/{branch}/meeting-figures?from=2026-13-01"),
            &sec,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("起始日期"), "{}", r.body);

    // The year's record book, to print and as Word.
    let year = &month[..4];
    let book = send(
        &w,
        get(&format!("/orgs/{branch}/record-book?year={year}"), &sec),
    )
    .await;
    assert_eq!(book.status, StatusCode::OK);
    assert!(
        book.body.contains("工作记录本") && book.body.contains("补记：会后补发学习材料"),
        "{}",
        book.body
    );
    let docx = send(
        &w,
        get(
            &format!("/orgs/{branch}/record-book.docx?year={year}"),
            &sec,
        ),
    )
    .await;
    assert!(
        docx.content_type.unwrap().contains("wordprocessingml"),
        "a Word file"
    );

    let compliance = send(
        &w,
        get(&format!("/orgs/{branch}/compliance?month={month}"), &admin),
    )
    .await;
    assert_eq!(compliance.status, StatusCode::OK);
    assert!(compliance.body.contains("主题党日（每月）") && compliance.body.contains("已召开"));

    // The same through the API; a malformed month is named.
    let rows = send(
        &w,
        get(
            &format!("/api/v1/orgs/{branch}/compliance?month={month}"),
            &admin,
        ),
    )
    .await
    .json();
    assert!(
        rows["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "theme_day" && r["kept"] == "yes")
    );
    let r = send(
        &w,
        get(
            &format!("/api/v1/orgs/{branch}/compliance?month=13"),
            &admin,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("month"))
    );
    let r = send(
        &w,
        json(
            "POST",
            &format!("/api/v1/orgs/{branch}/meetings"),
            &admin,
            &format!(
                r#"{{"kind":"party_lecture","topic":"党课","starts_at":"{}T14:30:00","place":"报告厅","agenda":["学习党章"],"lecturer_name":"党校 李老师"}}"#,
                chrono::Local::now().date_naive() + chrono::Duration::days(30)
            ),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let one = send(&w, get(&format!("/api/v1/meetings/{id}"), &admin))
        .await
        .json();
    assert_eq!(
        (one["state"].as_str(), one["agenda"][0].as_str()),
        (Some("planned"), Some("学习党章"))
    );
    let year =
        chrono::Datelike::year(&(chrono::Local::now().date_naive() + chrono::Duration::days(30)));
    let listed = send(
        &w,
        get(
            &format!("/api/v1/orgs/{branch}/meetings?year={year}&per_page=500"),
            &admin,
        ),
    )
    .await
    .json();
    let ids: Vec<i64> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .collect();
    assert!(
        ids.contains(&id),
        "the year's list holds the planned meeting"
    );
    let r = send(
        &w,
        json(
            "POST",
            &format!("/api/v1/meetings/{id}/held"),
            &admin,
            r#"{"attendance":[],"minutes":"学习党章"}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("state")),
        "a meeting to come is not held"
    );
}

#[tokio::test]
async fn a_thought_report_is_handed_in_and_answered_through_the_pages_and_the_api() {
    let w = web().await;
    let (activist, csrf) = sign_in(&w, "activist").await;
    let page = send(&w, get("/my/thought-reports", &activist)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("report-form"), "{}", page.body);
    // Without its text: refused by name, and what was typed comes back.
    let hand_in = |body: &str| {
        form(
            "/my/thought-reports",
            &activist,
            &format!("csrf={csrf}&title=%E7%AC%AC%E5%9B%9B%E5%AD%A3%E5%BA%A6&body={body}"),
        )
    };
    let r = send(&w, hand_in("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("汇报内容：请填写汇报内容"), "{}", r.body);
    assert!(r.body.contains("value=\"第四季度\""), "the title is kept");
    let r = send(
        &w,
        hand_in("%E6%95%AC%E7%88%B1%E7%9A%84%E5%85%9A%E7%BB%84%E7%BB%87"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let (mentor, mentor_csrf) = sign_in(&w, "mentor").await;
    let mine = send(&w, get("/api/v1/my/thought-reports", &mentor))
        .await
        .json();
    let waiting = &mine["to_answer"][0];
    assert_eq!(waiting["title"], "第四季度");
    assert_eq!(waiting["may_answer"], true);
    let id = waiting["id"].as_i64().unwrap();
    let r = send(
        &w,
        form(
            &format!("/thought-reports/{id}/answer"),
            &mentor,
            &format!("csrf={mentor_csrf}&answer=%E5%B7%B2%E9%98%85"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let seen = send(&w, get(&format!("/thought-reports/{id}"), &activist)).await;
    assert!(seen.body.contains("report-answer") && seen.body.contains("已阅"));
    // Answered once: a second answer is a conflict; an outsider sees nothing.
    let again = send(
        &w,
        json(
            "POST",
            &format!("/api/v1/thought-reports/{id}/answer"),
            &mentor,
            r#"{"answer":"再改"}"#,
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(again.json()["field"], "answer");
    let (sysadmin, _) = sign_in(&w, "sysadmin").await;
    let hidden = send(&w, get(&format!("/api/v1/thought-reports/{id}"), &sysadmin)).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_ledgers_of_a_branch_through_the_page_and_the_api() {
    let w = web().await;
    let (sec, _) = sign_in(&w, "branchsec").await;
    let branch = send(&w, get("/api/v1/orgs?kind=branch&per_page=1", &sec))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let l = send(&w, get(&format!("/api/v1/orgs/{branch}/ledgers"), &sec))
        .await
        .json();
    let ledgers = l["ledgers"].as_array().unwrap();
    assert_eq!(ledgers.len(), 5, "{l}");
    assert_eq!(ledgers[1]["label"], "党组织生活台账");
    let items: usize = ledgers
        .iter()
        .map(|x| x["items"].as_array().unwrap().len())
        .sum();
    assert!(items > 20, "seed 001 §三: more than twenty items");
    let page = send(&w, get(&format!("/orgs/{branch}/ledgers"), &sec)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("id=\"item-theme_days\""),
        "{}",
        page.body
    );
    // Each item links to where its records are kept, at the address the web gives it.
    let meetings = format!("href=\"/orgs/{branch}/meetings?year=");
    assert!(page.body.contains(&meetings), "{}", page.body);
    let cal = send(
        &w,
        get(&format!("/api/v1/orgs/{branch}/compliance-calendar"), &sec),
    )
    .await
    .json();
    assert_eq!(
        cal["items"][0]["months"].as_array().unwrap().len(),
        12,
        "{cal}"
    );
    let page = send(
        &w,
        get(&format!("/orgs/{branch}/compliance-calendar"), &sec),
    )
    .await;
    assert!(
        page.body.contains("id=\"compliance-calendar\""),
        "{}",
        page.body
    );
    let bad = send(
        &w,
        get(&format!("/api/v1/orgs/{branch}/ledgers?year=abc"), &sec),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
}

#[tokio::test]
async fn metrics_are_served_only_to_the_scraper_with_the_token() {
    let w = web().await;
    // The test's server has no token configured: there is no endpoint.
    assert_eq!(
        send(&w, get("/metrics", "")).await.status,
        StatusCode::NOT_FOUND
    );
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(
        DbConfig::Sqlite {
            data_dir: dir.path().to_owned(),
        },
        dir.path().to_owned(),
        Arc::new(SystemClock),
    )
    .await
    .unwrap();
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new()
        .build_recorder()
        .handle();
    let metrics = Some(dangjian_web::MetricsEndpoint {
        handle,
        token: "scrape-secret".to_owned(),
    });
    let router = dangjian_web::router(AppState { app, metrics });
    let ask = |auth: Option<&str>| {
        let mut req = Request::get("/metrics");
        if let Some(a) = auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        router.clone().oneshot(req.body(Body::empty()).unwrap())
    };
    assert_eq!(ask(None).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        ask(Some("Bearer wrong")).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        ask(Some("Bearer scrape-secret")).await.unwrap().status(),
        StatusCode::OK
    );
}

/// The id of the first item a list of the API gives `cookie`.
async fn first_id(w: &Web, uri: &str, cookie: &str) -> i64 {
    send(w, get(uri, cookie)).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{uri} lists nothing"))
}

/// An upload of `announced` bytes whose body sends its first line and then nothing more: a
/// server that read it before deciding would wait for ever.
fn trickled_upload(uri: &str, (cookie, csrf): (&str, &str), announced: u64) -> Request<Body> {
    let (mut sender, body) = http_body_util::Channel::<axum::body::Bytes>::new(1);
    tokio::spawn(async move {
        let first = axum::body::Bytes::from_static(b"--x\r\n");
        let _ = sender.send_data(first).await;
        // Held open, never finished.
        std::future::pending::<()>().await;
    });
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header("x-csrf-token", csrf)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .header(header::CONTENT_LENGTH, announced)
        .body(Body::new(body))
        .unwrap()
}

#[tokio::test]
async fn an_upload_is_refused_by_permission_and_size_before_its_body_is_read() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let org = first_id(&w, "/api/v1/orgs?per_page=1", &admin).await;
    let within = std::time::Duration::from_secs(10);

    // An applicant may not upload there: refused unread, however large.
    let (activist, csrf) = sign_in(&w, "activist").await;
    let uri = format!("/orgs/{org}/attachments");
    let r = tokio::time::timeout(
        within,
        send(&w, trickled_upload(&uri, (&activist, &csrf), 190 << 20)),
    )
    .await
    .expect("answered without reading the body");
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status
    );

    // The organization department may, but not beyond the setting (20 MB by default).
    let (admin, csrf) = sign_in(&w, "admin").await;
    let uri = format!("/orgs/{org}/attachments");
    let r = tokio::time::timeout(
        within,
        send(&w, trickled_upload(&uri, (&admin, &csrf), 190 << 20)),
    )
    .await
    .expect("answered without reading the body");
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("文件超过大小上限 20 MB"), "{}", r.body);
}

/// 三员分立: only the security admin manages credentials; the organization department gets
/// no spreadsheet of someone else's passwords, so it cannot sign in as them.
#[tokio::test]
async fn the_organization_department_cannot_open_or_reset_a_branchs_accounts() {
    let w = web().await;
    let (session, token) = sign_in(&w, "admin").await;
    let orgs = send(&w, json("GET", "/api/v1/orgs?kind=committee", &session, ""))
        .await
        .json();
    let root = orgs["items"][0]["id"].as_i64().unwrap();
    for action in ["open", "reset"] {
        let r = send(
            &w,
            form(
                &format!("/orgs/{root}/accounts"),
                &session,
                &format!("csrf={token}&action={action}"),
            ),
        )
        .await;
        assert!(!r.status.is_success(), "{action}: {}", r.status);
        assert!(
            !r.content_type
                .as_deref()
                .unwrap_or_default()
                .contains("sheet"),
            "{action}: no spreadsheet"
        );
    }
    let page = send(&w, get(&format!("/orgs/{root}"), &session)).await;
    assert!(!page.body.contains("批量重置密码"), "no button for it");
    // The roster's people with accounts keep their passwords.
    sign_in(&w, "activist").await;
    sign_in(&w, "mentor").await;
}

/// A browser's upload: `fields` in order, then a small PNG as `file`.
fn upload_form(uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--b\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\
          Content-Type: image/png\r\n\r\n",
    );
    body.extend_from_slice(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89");
    body.extend_from_slice(b"\r\n--b--\r\n");
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn an_upload_carries_its_csrf_token_as_its_first_field_never_in_the_url() {
    let w = web().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let org = first_id(&w, "/api/v1/orgs?per_page=1", &admin).await;
    // The token in the address is not taken any more.
    let r = send(
        &w,
        upload_form(&format!("/orgs/{org}/attachments?csrf={csrf}"), &admin, &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nor a field after the file's place, nor a wrong one.
    let r = send(
        &w,
        upload_form(
            &format!("/orgs/{org}/attachments"),
            &admin,
            &[("csrf", "forged")],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // As the page's form sends it: the token first.
    let r = send(
        &w,
        upload_form(
            &format!("/orgs/{org}/attachments"),
            &admin,
            &[("csrf", &csrf)],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn a_refusal_and_a_download_of_someones_data_are_in_the_audit_trail() {
    let w = web().await;
    let (activist, _) = sign_in(&w, "activist").await;
    let r = send(&w, get("/imports", &activist)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (admin, _) = sign_in(&w, "admin").await;
    let org = first_id(&w, "/api/v1/orgs?kind=branch&per_page=1", &admin).await;
    let year = chrono::Datelike::year(&chrono::Local::now());
    let r = send(
        &w,
        get(&format!("/orgs/{org}/record-book.docx?year={year}"), &admin),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);

    let (auditor, _) = sign_in(&w, "auditor").await;
    let refused = send(&w, get("/audit?action=access.refused", &auditor)).await;
    assert!(refused.body.contains("GET /imports"), "{}", refused.body);
    let downloaded = send(&w, get("/audit?action=record_book.download", &auditor)).await;
    assert!(
        downloaded.body.contains("下载党支部工作记录本"),
        "{}",
        downloaded.body
    );
}

#[tokio::test]
async fn the_security_admin_issues_an_activation_code_shown_once_and_nobody_else_can() {
    let w = web().await;
    let (admin, admin_csrf) = sign_in(&w, "admin").await;
    let people = send(&w, get("/api/v1/people?status=members&per_page=20", &admin))
        .await
        .json();
    let staff_nos: Vec<String> = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["staff_no"].as_str().map(str::to_owned))
        .collect();
    let staff_no = staff_nos.first().expect("members with numbers").clone();
    // The organization department holds the roster, not the credentials.
    let r = send(
        &w,
        form(
            "/admin/activation-codes",
            &admin,
            &format!("csrf={admin_csrf}&staff_no={staff_no}"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let (secadmin, csrf) = sign_in(&w, "secadmin").await;
    let mut r = None;
    // The demo's mentor has an account already: any member without one will do.
    for staff_no in &staff_nos {
        let reply = send(
            &w,
            form(
                "/admin/activation-codes",
                &secadmin,
                &format!("csrf={csrf}&staff_no={staff_no}"),
            ),
        )
        .await;
        if !reply.body.contains("已激活账号") {
            r = Some(reply);
            break;
        }
    }
    let r = r.expect("a member without an account");
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("签发激活码："), "{}", r.body);
    // Shown once: the page of accounts does not carry it again.
    let again = send(&w, get("/admin/accounts", &secadmin)).await;
    assert!(!again.body.contains("签发激活码："));
    let r = send(
        &w,
        form(
            "/admin/activation-codes",
            &secadmin,
            &format!("csrf={csrf}&staff_no=NOSUCH"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("名册中没有这个工号/学号"), "{}", r.body);
}

/// Writes aimed outside the writer's scope are answered 404 (or 403) whatever their body says:
/// a bad body must not be judged, and its verdict tell what lies beyond the scope.
#[tokio::test]
async fn out_of_scope_writes_are_refused_before_their_bodies_are_judged() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let (branchsec, _) = sign_in(&w, "branchsec").await;
    let ids = |v: serde_json::Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["id"].as_i64())
            .collect()
    };
    let mine = ids(
        send(&w, get("/api/v1/orgs?kind=branch&per_page=500", &branchsec))
            .await
            .json(),
    );
    let all = ids(
        send(&w, get("/api/v1/orgs?kind=branch&per_page=500", &admin))
            .await
            .json(),
    );
    let other = *all.iter().find(|id| !mine.contains(id)).unwrap();
    let person = ids(send(
        &w,
        get(&format!("/api/v1/people?under={other}&per_page=1"), &admin),
    )
    .await
    .json())[0];
    let year = chrono::Datelike::year(&chrono::Local::now());
    let meeting = ids(send(
        &w,
        get(
            &format!("/api/v1/orgs/{other}/meetings?year={year}&per_page=1"),
            &admin,
        ),
    )
    .await
    .json())[0];
    let bad = r#"{"kind":"nonsense","topic":"","starts_at":"1900-01-01T00:00:00","talker_id":0,"step":"x","on":"x","attendance":[{"person_id":0,"attendance":"x"}],"minutes":"","text":"","to_org_id":0,"reason":"","name":""}"#;
    for (method, uri) in [
        ("POST", format!("/api/v1/orgs/{other}/meetings")),
        ("POST", format!("/api/v1/orgs/{other}/talks")),
        ("POST", format!("/api/v1/orgs/{other}/committee")),
        ("POST", format!("/api/v1/orgs/{other}/change")),
        ("POST", format!("/api/v1/people/{person}/development")),
        ("POST", format!("/api/v1/people/{person}/transfers")),
        ("PUT", format!("/api/v1/people/{person}")),
        ("POST", format!("/api/v1/meetings/{meeting}/held")),
        ("POST", format!("/api/v1/meetings/{meeting}/corrections")),
        ("POST", format!("/api/v1/meetings/{meeting}/lock")),
        ("POST", format!("/api/v1/meetings/{meeting}/check-ins")),
    ] {
        let r = send(&w, json(method, &uri, &branchsec, bad)).await;
        assert!(
            matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{method} {uri}: {} {}",
            r.status,
            r.body
        );
    }
}

#[tokio::test]
async fn a_settings_form_that_changes_nothing_does_not_say_it_saved() {
    let w = web().await;
    let (sysadmin, csrf) = sign_in(&w, "sysadmin").await;
    let post = |body: String| form("/admin/settings", &sysadmin, &body);
    let r = send(&w, post(format!("csrf={csrf}&lockout_failures=5"))).await;
    assert_eq!(
        r.location.as_deref(),
        Some("/admin/settings?notice=unchanged")
    );
    let r = send(&w, post(format!("csrf={csrf}&lockout_failures=6"))).await;
    assert_eq!(r.location.as_deref(), Some("/admin/settings?notice=saved"));
    // A bad value beside a good one: the page names it, and neither is saved.
    let r = send(
        &w,
        post(format!(
            "csrf={csrf}&lockout_minutes=30&lockout_failures=99"
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = send(&w, get("/admin/settings", &sysadmin)).await;
    assert!(page.body.contains("value=\"15\""), "lockout_minutes kept");
    // Someone else is refused before any value is judged.
    let (admin, admin_csrf) = sign_in(&w, "admin").await;
    let r = send(
        &w,
        form(
            "/admin/settings",
            &admin,
            &format!("csrf={admin_csrf}&lockout_failures=99"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// A request as htmx sends it when it swaps part of a page.
fn htmx_get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, cookie)
        .header("HX-Request", "true")
        .body(Body::from(""))
        .unwrap()
}

#[tokio::test]
async fn a_list_answers_htmx_its_fragment_and_a_browser_its_page_and_both_say_they_vary() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let (auditor, _) = sign_in(&w, "auditor").await;
    // The page, what htmx swaps into its container, and a mark of the fragment's content.
    for (uri, cookie, container, mark) in [
        (
            "/people?q=a",
            &admin,
            "id=\"people-table\"",
            "class=\"pager\"",
        ),
        (
            "/orgs?kind=branch",
            &admin,
            "id=\"orgs-table\"",
            "class=\"pager\"",
        ),
        (
            "/orgs?as_of=2020-01-01",
            &admin,
            "id=\"orgs-table\"",
            "id=\"past-tree-note\"",
        ),
        (
            "/audit?action=access.refused",
            &auditor,
            "id=\"audit-table\"",
            "class=\"pager\"",
        ),
    ] {
        let page = send(&w, get(uri, cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        assert!(page.body.contains("<html"), "{uri}: the whole page");
        assert!(page.body.contains(container), "{uri}: {container}");
        assert!(page.body.contains(mark), "{uri}: {mark}");
        let fragment = send(&w, htmx_get(uri, cookie)).await;
        assert_eq!(fragment.status, StatusCode::OK, "{uri}: {}", fragment.body);
        assert!(!fragment.body.contains("<html"), "{uri}: {}", fragment.body);
        assert!(!fragment.body.contains(container), "{uri}: only the inside");
        assert!(fragment.body.contains(mark), "{uri}: {mark}");
        for r in [&page, &fragment] {
            let vary: Vec<_> = r.headers.get_all(header::VARY).iter().collect();
            assert!(
                vary.iter()
                    .any(|v| v.to_str().unwrap().eq_ignore_ascii_case("hx-request")),
                "{uri}: Vary {vary:?}"
            );
        }
    }
    // A page that is the same either way does not say it varies.
    let r = send(&w, htmx_get("/dashboard", &admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.header("vary")
            .is_none_or(|v| !v.to_ascii_lowercase().contains("hx-request"))
    );
}

/// A roster file in the template's columns, one row per `(name, national_id, status)`, each
/// in `branch`.
fn roster_file(rows: &[(&str, &str, &str)], branch: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (i, (h, _)) in dangjian_app::roster::COLUMNS.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    for (r, (name, id, status)) in (1u32..).zip(rows) {
        for (c, v) in [
            (0, *name),
            (1, *id),
            (2, "汉族"),
            (4, "master"),
            (8, "staff"),
            (13, *status),
            (16, branch),
        ] {
            sheet.write_string(r, c, v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// A program's upload of a roster file to the API: `org_id`, then the file.
fn roster_upload(cookie: &str, csrf: &str, org_id: &str, file: &[u8]) -> Request<Body> {
    let mut body = format!(
        "--b\r\nContent-Disposition: form-data; name=\"org_id\"\r\n\r\n{org_id}\r\n\
         --b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"名册.xlsx\"\r\n\
         Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n--b--\r\n");
    Request::post("/api/v1/imports")
        .header(header::COOKIE, cookie)
        .header("x-csrf-token", csrf)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn a_roster_is_staged_applied_discarded_and_rolled_back_through_the_api() {
    let w = web().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let root = send(&w, get("/api/v1/orgs?kind=committee", &admin))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let branch = send(&w, get("/api/v1/orgs?kind=branch&per_page=1", &admin))
        .await
        .json()["items"][0]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    for file in [
        "/api/v1/imports/template.xlsx",
        "/api/v1/people/export.xlsx",
    ] {
        let r = send(&w, get(file, &admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{file}: {}", r.body);
        assert!(
            r.content_type.as_deref().unwrap().contains("spreadsheetml"),
            "{file}"
        );
        assert!(
            r.header("content-disposition")
                .unwrap()
                .contains("attachment")
        );
    }

    // A file with bad rows stages nothing and names each row and column.
    let bad = roster_file(
        &[
            ("测试", "11010519491231002X", "applicant"),
            ("重复", "11010519491231002X", "chairman"),
        ],
        &branch,
    );
    let r = send(&w, roster_upload(&admin, &csrf, &root, &bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let refusal = r.json();
    assert_eq!(refusal["code"], "invalid");
    let errors = refusal["rows"].as_array().unwrap();
    assert!(errors.iter().all(|e| e["row"] == 3), "{errors:?}");
    // No organization chosen: the plain error body, naming the field.
    let r = send(&w, roster_upload(&admin, &csrf, "", &bad)).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("org_id"))
    );

    // A good file is staged, then discarded once.
    let good = roster_file(&[("测试", "11010519491231002X", "applicant")], &branch);
    let r = send(&w, roster_upload(&admin, &csrf, &root, &good)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let preview = r.json();
    assert_eq!(preview["rows"], 1);
    assert_eq!(preview["by_status"][0]["status"], "applicant");
    let batch = preview["batch_id"].as_i64().unwrap();
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/api/v1/imports/{batch}").as_str())
    );
    let r = send(&w, get(&format!("/api/v1/imports/{batch}"), &admin)).await;
    assert_eq!(r.json()["state"], "staged", "{}", r.body);
    let discard = format!("/api/v1/imports/{batch}/discard");
    let r = send(&w, json("POST", &discard, &admin, "")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = send(&w, json("POST", &discard, &admin, "")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // Staged again, applied in the background, and rolled back.
    let r = send(&w, roster_upload(&admin, &csrf, &root, &good)).await;
    let batch = r.json()["batch_id"].as_i64().unwrap();
    let uri = format!("/api/v1/imports/{batch}");
    // A branch secretary sees no batch of the whole university, nor applies one.
    let (branchsec, _) = sign_in(&w, "branchsec").await;
    assert_eq!(
        send(&w, get(&uri, &branchsec)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = send(&w, json("POST", &format!("{uri}/apply"), &branchsec, "")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = send(&w, json("POST", &format!("{uri}/apply"), &admin, "")).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let mut state = String::new();
    for _ in 0..100 {
        state = send(&w, get(&uri, &admin)).await.json()["state"]
            .as_str()
            .unwrap()
            .to_owned();
        if state != "applying" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(state, "applied");
    let r = send(&w, get("/api/v1/imports", &admin)).await;
    assert_eq!(r.json()["items"][0]["may_rollback"], true, "{}", r.body);
    assert_eq!(
        send(&w, get("/api/v1/people?q=ceshi", &admin)).await.json()["total"],
        1
    );
    let r = send(&w, json("POST", &format!("{uri}/rollback"), &admin, "")).await;
    assert_eq!(
        (r.status, r.json()["removed"].as_u64()),
        (StatusCode::OK, Some(1))
    );
    assert_eq!(
        send(&w, get("/api/v1/people?q=ceshi", &admin)).await.json()["total"],
        0
    );

    // An applicant may import nowhere: refused before the file is read.
    let (activist, csrf) = sign_in(&w, "activist").await;
    let r = send(&w, roster_upload(&activist, &csrf, &root, &good)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn ones_messages_are_listed_counted_and_read_through_the_api() {
    let w = web().await;
    let (activist, _) = sign_in(&w, "activist").await;
    let r = send(
        &w,
        json(
            "POST",
            "/api/v1/my/thought-reports",
            &activist,
            r#"{"title":"第四季度","body":"敬爱的党组织"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let (mentor, _) = sign_in(&w, "mentor").await;
    // The digest's horizon is the domain's number, not one typed into the template.
    let page = send(&w, get("/notifications", &mentor)).await;
    let horizon = format!("{} 天内到期", dangjian_domain::development::DUE_SOON_DAYS);
    assert!(page.body.contains(&horizon), "{}", page.body);
    let r = send(&w, get("/api/v1/notifications/unread", &mentor)).await;
    assert_eq!(r.json()["unread"], 1, "{}", r.body);
    let list = send(&w, get("/api/v1/notifications", &mentor)).await.json();
    let message = &list["items"][0];
    assert_eq!(message["kind"], "thought_report");
    assert!(message["read_at"].is_null());
    let r = send(&w, json("POST", "/api/v1/notifications/read", &mentor, "")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = send(&w, get("/api/v1/notifications/unread", &mentor)).await;
    assert_eq!(r.json()["unread"], 0);
    let list = send(&w, get("/api/v1/notifications", &mentor)).await.json();
    assert!(list["items"][0]["read_at"].is_string(), "{list}");
    // Each sees only their own.
    let list = send(&w, get("/api/v1/notifications", &activist))
        .await
        .json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["kind"] != "thought_report"),
        "{list}"
    );
    let r = send(&w, get("/api/v1/notifications", "")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn ones_password_is_changed_through_the_api_and_the_session_goes_on() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let change = |current: &str, new: &str| {
        json(
            "PUT",
            "/api/v1/account/password",
            &admin,
            &format!(
                r#"{{"current_password":"{current}","new_password":"{new}","confirm_password":"{new}"}}"#
            ),
        )
    };
    let r = send(&w, change("wrong", "Another-Pass-2027")).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("current_password"))
    );
    let r = send(&w, change(PASSWORD, "short")).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("new_password"))
    );
    let r = send(&w, change(PASSWORD, "Another-Pass-2027")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(
        send(&w, get("/api/v1/me", &admin)).await.status,
        StatusCode::OK
    );
    let sign_in_with = |password: &str| {
        json(
            "POST",
            "/api/v1/session",
            "",
            &format!(r#"{{"username":"admin","password":"{password}"}}"#),
        )
    };
    assert_eq!(
        send(&w, sign_in_with(PASSWORD)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&w, sign_in_with("Another-Pass-2027")).await.status,
        StatusCode::OK
    );
    // Nobody signed in has no password to change.
    let r = send(
        &w,
        json(
            "PUT",
            "/api/v1/account/password",
            "",
            r#"{"current_password":"a","new_password":"b","confirm_password":"b"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// Signs in through the API as a program would; returns the session cookie and the answer.
async fn api_sign_in(w: &Web, username: &str, password: &str) -> (Option<String>, Reply) {
    let r = send(
        w,
        json(
            "POST",
            "/api/v1/session",
            "",
            &format!(r#"{{"username":"{username}","password":"{password}"}}"#),
        ),
    )
    .await;
    let cookie = r
        .cookie(SESSION_COOKIE)
        .map(|c| format!("{SESSION_COOKIE}={c}"));
    (cookie, r)
}

#[tokio::test]
async fn the_security_admin_keeps_accounts_and_grants_through_the_api_and_nobody_else_can() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let root = send(&w, get("/api/v1/orgs?kind=committee", &admin))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let (secadmin, _) = sign_in(&w, "secadmin").await;

    // A program's account, with a temporary password shown once.
    let r = send(
        &w,
        json(
            "POST",
            "/api/v1/accounts",
            &secadmin,
            r#"{"username":"hr-sync","display_name":"人事处同步"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = r.json();
    let id = created["account"]["id"].as_i64().unwrap();
    assert_eq!(created["account"]["must_change_password"], true);
    let first = created["temporary_password"].as_str().unwrap().to_owned();
    let r = send(
        &w,
        json(
            "POST",
            "/api/v1/accounts",
            &secadmin,
            r#"{"username":"hr-sync","display_name":"又一个"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    let grants = format!("/api/v1/accounts/{id}/grants");
    let r = send(
        &w,
        json(
            "POST",
            &grants,
            &secadmin,
            &format!(r#"{{"role":"org_department","org_id":{root}}}"#),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let grant = r.json()["id"].as_i64().unwrap();
    let r = send(&w, get(&format!("/api/v1/accounts/{id}"), &secadmin)).await;
    assert_eq!(
        r.json()["grants"][0]["role"],
        "org_department",
        "{}",
        r.body
    );
    let r = send(&w, get("/api/v1/accounts?name=hr-sync", &secadmin)).await;
    assert_eq!(r.json()["total"], 1, "{}", r.body);

    // The first password is changed through the API, and then the account works.
    let (session, r) = api_sign_in(&w, "hr-sync", &first).await;
    assert_eq!(r.json()["must_change_password"], true, "{}", r.body);
    let session = session.unwrap();
    let r = send(&w, get("/api/v1/people?per_page=1", &session)).await;
    assert_eq!(r.json()["code"], "password_change_required", "{}", r.body);
    let r = send(
        &w,
        json(
            "PUT",
            "/api/v1/account/password",
            &session,
            &format!(
                r#"{{"current_password":"{first}","new_password":"Personnel-Pass-2026","confirm_password":"Personnel-Pass-2026"}}"#
            ),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = send(&w, get("/api/v1/people?per_page=1", &session)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Revoked, reset, disabled, enabled.
    let r = send(
        &w,
        json("DELETE", &format!("/api/v1/grants/{grant}"), &secadmin, ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = send(&w, get("/api/v1/people?per_page=1", &session)).await;
    assert_eq!(r.json()["total"], 0, "{}", r.body);
    let r = send(
        &w,
        json(
            "POST",
            &format!("/api/v1/accounts/{id}/reset-password"),
            &secadmin,
            "",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let reset = r.json()["temporary_password"].as_str().unwrap().to_owned();
    assert_eq!(
        send(&w, get("/api/v1/me", &session)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = send(
        &w,
        json(
            "POST",
            &format!("/api/v1/accounts/{id}/disable"),
            &secadmin,
            "",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let (_, r) = api_sign_in(&w, "hr-sync", &reset).await;
    assert!(r.status.is_client_error(), "a disabled account: {}", r.body);
    let r = send(
        &w,
        json(
            "POST",
            &format!("/api/v1/accounts/{id}/enable"),
            &secadmin,
            "",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let (_, r) = api_sign_in(&w, "hr-sync", &reset).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // An activation code for a member of the roster without an account.
    let people = send(&w, get("/api/v1/people?status=members&per_page=20", &admin))
        .await
        .json();
    let mut issued = None;
    for p in people["items"].as_array().unwrap() {
        let Some(staff_no) = p["staff_no"].as_str() else {
            continue;
        };
        let body = format!(r#"{{"staff_no":"{staff_no}"}}"#);
        let r = send(
            &w,
            json("POST", "/api/v1/activation-codes", &secadmin, &body),
        )
        .await;
        if r.status == StatusCode::CREATED {
            issued = Some(r.json());
            break;
        }
    }
    let issued = issued.expect("a member without an account");
    assert!(!issued["code"].as_str().unwrap().is_empty());

    // 三员分立: the organization department keeps the roster, not the accounts. An account's
    // address names nothing to it, whatever the body.
    let r = send(&w, get("/api/v1/accounts", &admin)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send(&w, json("POST", &grants, &admin, r#"{"role":"nonsense"}"#)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = send(
        &w,
        json(
            "POST",
            &format!("/api/v1/accounts/{id}/reset-password"),
            &admin,
            "",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = send(
        &w,
        json(
            "POST",
            "/api/v1/activation-codes",
            &admin,
            r#"{"staff_no":"X"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn a_transfer_is_withdrawn_and_an_id_number_shown_through_the_api_within_scope() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let (branchsec, _) = sign_in(&w, "branchsec").await;
    let ids = |list: serde_json::Value| -> Vec<i64> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect()
    };
    let mine = ids(
        send(&w, get("/api/v1/orgs?kind=branch&per_page=500", &branchsec))
            .await
            .json(),
    );
    let all = ids(
        send(&w, get("/api/v1/orgs?kind=branch&per_page=500", &admin))
            .await
            .json(),
    );
    let other = *all.iter().find(|id| !mine.contains(id)).unwrap();
    let person = ids(send(
        &w,
        get(
            &format!("/api/v1/people?under={other}&status=members&per_page=1"),
            &admin,
        ),
    )
    .await
    .json())[0];

    // The whole number, shown to the organization department and audited; nobody outside
    // the person's scope is told the person is there.
    let reveal = format!("/api/v1/people/{person}/reveal");
    let r = send(&w, json("POST", &reveal, &admin, "")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["national_id"].as_str().unwrap().len(), 18);
    let r = send(&w, json("POST", &reveal, &branchsec, "")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    // A transfer out, withdrawn by the old branch's side once.
    let r = send(
        &w,
        json(
            "POST",
            &format!("/api/v1/people/{person}/transfers"),
            &admin,
            r#"{"to_outside":"某某大学党委","reason":"调动"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let transfer = r.json()["id"].as_i64().unwrap();
    let cancel = format!("/api/v1/transfers/{transfer}/cancel");
    let r = send(&w, json("POST", &cancel, &branchsec, "")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = send(&w, json("POST", &cancel, &admin, "")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["state"], "cancelled");
    let r = send(&w, json("POST", &cancel, &admin, "")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

#[tokio::test]
async fn ones_calendar_link_is_issued_and_stopped_through_the_api() {
    let w = web().await;
    let (mentor, _) = sign_in(&w, "mentor").await;
    let r = send(&w, json("POST", "/api/v1/my/calendar-link", &mentor, "")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let path = r.json()["path"].as_str().unwrap().to_owned();
    let feed = send(&w, get(&path, "")).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert!(feed.body.starts_with("BEGIN:VCALENDAR"), "{}", feed.body);
    let r = send(&w, json("DELETE", "/api/v1/my/calendar-link", &mentor, "")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(send(&w, get(&path, "")).await.status.is_client_error());
    // Nobody signed in has no calendar.
    let r = send(&w, json("POST", "/api/v1/my/calendar-link", "", "")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// A member lost, through the API and the pages alike: recorded, listed as due, suspended
/// once six months have passed (教育条例第二十四条).
#[tokio::test]
async fn a_lost_member_is_recorded_listed_and_suspended_through_the_api_and_the_pages() {
    let w = web().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let branch = send(&w, get("/api/v1/orgs?kind=branch&per_page=1", &admin))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let member = send(
        &w,
        get(&format!("/api/v1/orgs/{branch}/members?per_page=1"), &admin),
    )
    .await
    .json()["items"][0]
        .clone();
    let (id, name) = (
        member["id"].as_i64().unwrap(),
        member["name"].as_str().unwrap().to_owned(),
    );
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let since = today - chrono::Duration::days(200);
    let body = format!(r#"{{"kind":"lost_contact","since":"{since}","note":"电话停机"}}"#);
    let uri = format!("/api/v1/people/{id}/whereabouts");
    let r = send(&w, json("POST", &uri, &admin, &body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let record = r.json();
    assert_eq!(record["due"], "suspend");
    let rid = record["id"].as_i64().unwrap();
    let r = send(&w, json("POST", &uri, &admin, &body)).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::CONFLICT, Some("kind"))
    );

    let due = send(
        &w,
        get(&format!("/api/v1/orgs/{branch}/whereabouts-due"), &admin),
    )
    .await;
    let items = due.json()["items"].clone();
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == rid && i["overdue"] == true),
        "{items}"
    );
    let alerts = send(&w, get(&format!("/orgs/alerts?under={branch}"), &admin))
        .await
        .body;
    assert!(
        alerts.contains("whereabouts-due") && alerts.contains(&name) && alerts.contains("停止党籍"),
        "{alerts}"
    );
    let page = send(&w, get(&format!("/people/{id}"), &admin)).await.body;
    assert!(
        page.contains("id=\"whereabouts\"") && page.contains("电话停机"),
        "{page}"
    );

    // From the page: too early is refused by its rule and changes nothing; today works.
    let change = |on: chrono::NaiveDate| {
        form(
            &format!("/whereabouts/{rid}"),
            &admin,
            &format!("csrf={csrf}&person_id={id}&act=suspend&on={on}"),
        )
    };
    let r = send(&w, change(since + chrono::Duration::days(100))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("满 6 个月"), "{}", r.body);
    let r = send(&w, change(today)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let listed = send(&w, get(&uri, &admin)).await.json();
    assert_eq!(
        listed["items"][0]["suspended_on"],
        today.to_string().as_str()
    );
    assert_eq!(listed["items"][0]["due"], "remove");
    let page = send(&w, get(&format!("/people/{id}"), &admin)).await.body;
    assert!(
        page.contains("id=\"suspended\""),
        "the person's page says so"
    );
}
