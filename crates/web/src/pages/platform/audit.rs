//! The auditor's page: the trail searched by person, record, action and time.

use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::{Chrome, pager};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum_htmx::HxRequest;
use chrono::{NaiveDate, TimeZone};
use dangjian_app::AuditFilter;
use dangjian_app::audit::{action_label, entity_label};
use dangjian_domain::clock::{display_time, from_unix_ms, shanghai};
use dangjian_domain::paging::Paging;
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct AuditQuery {
    actor: String,
    entity: String,
    entity_id: String,
    action: String,
    from: String,
    to: String,
    #[serde(deserialize_with = "crate::pages::empty_as_none")]
    page: Option<u64>,
}

pub(crate) struct Row {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    entity: String,
    ip: String,
    before: String,
    after: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "platform/audit.html")]
pub(crate) struct AuditPage {
    chrome: Chrome,
    query: AuditQuery,
    error: Option<String>,
    table: AuditTable,
}

/// The results under the filters: what htmx swaps when the search changes.
#[derive(Template, WebTemplate)]
#[template(path = "platform/audit_table.html")]
pub(crate) struct AuditTable {
    rows: Vec<Row>,
    total: u64,
    paging: Paging,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
}

/// The start of a Shanghai day in Unix milliseconds.
fn day_start_ms(date: &str, label: &str) -> Result<Option<i64>, String> {
    if date.is_empty() {
        return Ok(None);
    }
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| format!("{label}：日期格式应为 2026-11-23"))?;
    let start = d
        .and_hms_opt(0, 0, 0)
        .and_then(|t| shanghai().from_local_datetime(&t).single());
    Ok(start.map(|t| t.timestamp_millis()))
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    HxRequest(fragment): HxRequest,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let paging = Paging::parse(q.page, Some(50)).unwrap_or_default();
    let mut error = None;
    let mut filter = AuditFilter {
        actor: Some(q.actor.trim().to_lowercase()),
        entity: Some(q.entity.trim().to_owned()),
        action: Some(q.action.trim().to_owned()),
        ..Default::default()
    };
    match q.entity_id.trim() {
        "" => {}
        s => match s.parse() {
            Ok(id) => filter.entity_id = Some(id),
            Err(_) => error = Some("对象编号：应为数字".to_owned()),
        },
    }
    match (
        day_start_ms(&q.from, "起始日期"),
        day_start_ms(&q.to, "截止日期"),
    ) {
        (Ok(from), Ok(to)) => {
            filter.from_ms = from;
            filter.to_ms = to.map(|t| t + 86_400_000);
        }
        (Err(e), _) | (_, Err(e)) => error = Some(e),
    }
    let page = if error.is_none() {
        st.app
            .audit()
            .search(viewer.actor(), &filter, paging)
            .await?
    } else {
        dangjian_domain::paging::Page {
            items: Vec::new(),
            total: 0,
        }
    };
    let show = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
            .unwrap_or_default()
    };
    let rows = page
        .items
        .iter()
        .map(|e| Row {
            seq: e.seq,
            at: display_time(from_unix_ms(e.at_ms)),
            actor: e.record.actor_name.clone(),
            action: action_label(&e.record.action).to_owned(),
            entity: match e.record.entity_id {
                Some(id) => format!("{} {id}", entity_label(&e.record.entity)),
                None => entity_label(&e.record.entity).to_owned(),
            },
            ip: e.record.client_ip.clone().unwrap_or_default(),
            before: show(&e.record.before),
            after: show(&e.record.after),
        })
        .collect();
    let params = [
        ("actor", q.actor.clone()),
        ("entity", q.entity.clone()),
        ("entity_id", q.entity_id.clone()),
        ("action", q.action.clone()),
        ("from", q.from.clone()),
        ("to", q.to.clone()),
    ];
    let (prev, next) = pager("/audit", &params, paging, page.total);
    let pages = paging.pages(page.total);
    let table = AuditTable {
        rows,
        total: page.total,
        paging,
        pages,
        prev,
        next,
    };
    if fragment {
        return Ok(table.into_response());
    }
    Ok(AuditPage {
        chrome: Chrome::new(&viewer, "审计日志", "audit"),
        query: q,
        error,
        table,
    }
    .into_response())
}
