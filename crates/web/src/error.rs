//! Errors as people and programs see them: a Chinese page, or `{"code","message","field"}`.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dangjian_app::AppError;
use serde::Serialize;

fn status_and_code(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        AppError::Rule { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "rule_violated"),
        AppError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        AppError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        AppError::Locked { .. } => (StatusCode::LOCKED, "locked"),
        AppError::PasswordChangeRequired => (StatusCode::FORBIDDEN, "password_change_required"),
        AppError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
        AppError::Integrity(_) | AppError::Store(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}

/// What a person may be told: store failures are logged, not shown.
fn public_message(e: &AppError) -> String {
    match e {
        AppError::Store(inner) => {
            tracing::error!(error = %inner, "storage failure");
            "系统暂时无法完成操作，请稍后重试".to_owned()
        }
        AppError::Integrity(m) => {
            tracing::error!(error = %m, "integrity failure");
            m.clone()
        }
        other => other.to_string(),
    }
}

/// The API's error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorBody {
    /// A stable code: invalid, rule_violated, not_found, forbidden, unauthenticated, locked,
    /// password_change_required, conflict, bad_request, internal.
    pub code: String,
    /// What went wrong, in Chinese.
    pub message: String,
    /// The field at fault, if one is.
    pub field: Option<String>,
    /// With `rule_violated`: which rule refused the act, a stable code such as
    /// `development.activist_one_year`, so a client need not read the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::api::RuleCodeValue>)]
    pub rule: Option<&'static str>,
    /// For a file refused for its rows (a roster), every bad row and column.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub rows: Vec<RowProblem>,
}

/// One problem of one row of an uploaded spreadsheet; its header is row 1.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct RowProblem {
    pub row: usize,
    /// The column's header, as in the template.
    pub column: String,
    pub message: String,
}

pub(crate) struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = status_and_code(&self.0);
        let body = ErrorBody {
            code: code.to_owned(),
            message: public_message(&self.0),
            field: self.0.field().map(str::to_owned),
            rule: match &self.0 {
                AppError::Rule { code, .. } => Some(code.code()),
                _ => None,
            },
            rows: Vec::new(),
        };
        (status, Json(body)).into_response()
    }
}

/// A request the API cannot read at all (malformed JSON, unknown fields, wrong types).
pub(crate) fn bad_request(message: String, field: Option<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(ErrorBody {
            code: "bad_request".to_owned(),
            message,
            field,
            rule: None,
            rows: Vec::new(),
        }),
    )
        .into_response()
}

/// A body over the limit.
pub(crate) fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        Json(ErrorBody {
            code: "bad_request".to_owned(),
            message: "提交的内容超过大小上限（1 MB）".to_owned(),
            field: None,
            rule: None,
            rows: Vec::new(),
        }),
    )
        .into_response()
}

/// What serde said of a body or query it could not read (`…: roll[0].person_id: invalid
/// type: string "x", expected i64 at line 1 column 9`), in Chinese: the field it names and
/// what is wrong with it. Its English never reaches a person.
pub(crate) fn unreadable(lead: &str, serde_text: &str) -> (String, Option<String>) {
    // axum puts its own English sentence before the first ": ".
    let detail = serde_text.split_once(": ").map_or(serde_text, |(_, d)| d);
    let is_path = |p: &str| {
        !p.is_empty()
            && p != "."
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
    };
    let (path, problem) = match detail.split_once(": ") {
        Some((p, rest)) if is_path(p) => (Some(p.to_owned()), rest),
        _ => (None, detail),
    };
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_owned);
    let (field, what) = if let Some(rest) = problem.strip_prefix("missing field ") {
        (quoted(rest).or(path), "缺少此项")
    } else if problem.starts_with("unknown field") {
        (quoted(problem).or(path), "不是可以提交的项")
    } else if problem.starts_with("unknown variant") {
        (path, "不是可选的值之一")
    } else if problem.starts_with("invalid type") {
        (path, "值的类型不对")
    } else if problem.starts_with("invalid length") {
        (path, "项数不对")
    } else if problem.contains("digit") || problem.contains("number") {
        (path, "应为数字")
    } else if problem.contains("premature end") || problem.contains("trailing") {
        (path, "不完整或多出内容")
    } else {
        (path, "格式不正确")
    };
    let message = match &field {
        Some(f) => format!("{lead}：{f}：{what}"),
        None => format!("{lead}：{what}"),
    };
    (message, field)
}

#[derive(Template)]
#[template(path = "platform/error.html")]
struct ErrorPage {
    title: &'static str,
    message: String,
}

pub(crate) struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.0, AppError::Unauthenticated(_)) {
            return Redirect::to("/login").into_response();
        }
        let (status, _) = status_and_code(&self.0);
        let title = match status {
            StatusCode::NOT_FOUND => "未找到",
            StatusCode::FORBIDDEN => "无权操作",
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT => "无法完成",
            _ => "出错了",
        };
        error_page(status, title, public_message(&self.0))
    }
}

pub(crate) fn error_page(status: StatusCode, title: &'static str, message: String) -> Response {
    let page = ErrorPage { title, message };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, title).into_response(),
    }
}

/// axum answers requests it cannot parse (a path id that is not a number, a query or form of
/// the wrong shape, a body over the limit) in English plain text; say it in Chinese, as a page
/// or as the API's error body.
pub(crate) async fn translate_rejections(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !status.is_client_error() || !plain || status == StatusCode::NOT_FOUND && !is_api {
        return response;
    }
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "提交的内容超过大小上限",
        StatusCode::METHOD_NOT_ALLOWED => "不支持这种请求方式",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "提交的内容格式不受支持",
        StatusCode::TOO_MANY_REQUESTS => "请求过于频繁，请稍后再试",
        _ => "请求的地址或参数格式有误",
    };
    if is_api {
        let code = if status == StatusCode::TOO_MANY_REQUESTS {
            "too_many_requests"
        } else {
            "bad_request"
        };
        (
            status,
            Json(ErrorBody {
                code: code.to_owned(),
                message: message.to_owned(),
                field: None,
                rule: None,
                rows: Vec::new(),
            }),
        )
            .into_response()
    } else {
        error_page(status, "无法完成", message.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::unreadable;

    #[test]
    fn serde_refusals_are_told_in_chinese_with_their_field() {
        let (m, f) = unreadable(
            "JSON 内容不符合要求",
            "Failed to deserialize the JSON body into the target type: roll[0].person_id: \
             invalid type: string \"x\", expected i64 at line 1 column 9",
        );
        assert_eq!(f.as_deref(), Some("roll[0].person_id"));
        assert_eq!(m, "JSON 内容不符合要求：roll[0].person_id：值的类型不对");
        let (m, f) = unreadable(
            "JSON 内容不符合要求",
            "Failed to deserialize the JSON body into the target type: missing field `title` \
             at line 1 column 2",
        );
        assert_eq!(f.as_deref(), Some("title"));
        assert!(m.ends_with("title：缺少此项"), "{m}");
        let (m, f) = unreadable(
            "查询参数有误",
            "Failed to deserialize query string: page: invalid digit found in string",
        );
        assert_eq!(
            (m.as_str(), f.as_deref()),
            ("查询参数有误：page：应为数字", Some("page"))
        );
        for (m, _) in [
            unreadable(
                "x",
                "Failed: kind: unknown variant `y`, expected one of `a`, `b`",
            ),
            unreadable("x", "Failed: unknown field `extra`, expected `username`"),
        ] {
            assert!(
                m.chars()
                    .all(|c| !c.is_ascii_alphabetic() || m.contains("kind") || m.contains("extra")),
                "{m}"
            );
        }
    }
}
