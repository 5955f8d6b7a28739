//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/v1/openapi.json`.
//! Errors are `{"code","message","field"}`; lists are `{"items","total"}` paged by `page` and
//! `per_page` (at most 500); enumerations are the GLOSSARY names in snake_case.

mod account;
mod accounts;
mod attachments;
mod audit;
mod calendar;
mod contract;

pub(crate) use contract::RuleCodeValue;
mod development;
mod imports;
mod insight;
mod meetings;
mod orgs;
mod people;
mod rules;
mod session;
mod settings;
mod thought_reports;
mod tokens;
mod training;

use crate::AppState;
use crate::error::{ApiError, bad_request};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use dangjian_app::AppError;
use dangjian_domain::paging::Paging;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "党建工作平台 API", version = "1", description = "高校基层党组织建设平台的接口。登录后以会话 Cookie 调用，或在“我的账号”中创建 API 令牌，以 `Authorization: Bearer <令牌>` 调用。"),
    modifiers(&Security),
    // Either a bearer token or the session cookie; sign-in says it needs neither.
    security(("bearer" = []), ("session" = [])),
    components(schemas(
        contract::OrgKindCode, contract::BranchCategoryCode, contract::PositionCode,
        contract::RoleCode, contract::PersonStatusCode, contract::PersonStatusFilter,
        contract::PersonCategoryCode, contract::GenderCode, contract::EducationCode,
        contract::DegreeCode, contract::TitleLevelCode, contract::TransferDirectionCode,
        contract::TransferStateCode, contract::MeetingKindCode, contract::MeetingKindOrTotal,
        contract::RequirementCode, contract::MeetingStateCode, contract::AttendanceCode,
        contract::KeptCode,
        contract::StepCode, contract::StageCode, contract::DecisionBodyCode,
        contract::RollCallCode, contract::ExamResultCode, contract::LedgerKindCode,
        contract::LedgerItemCode, contract::DevelopmentDocumentCode, contract::OrgSortKey,
        contract::PersonSortKey, contract::BatchStateCode, contract::NotificationKindCode,
        contract::DisciplineKindCode, contract::WhereaboutsKindCode, contract::WhereaboutsDueCode,
        contract::WhereaboutsActCode, contract::RecorderCode, contract::SettingKeyCode,
        contract::LocalDateTime, contract::RuleCodeValue,
        crate::error::ErrorBody,
    ))
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::SESSION_COOKIE))),
        );
    }
}

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(session::routes())
        .merge(orgs::routes())
        .merge(development::routes())
        .merge(training::routes())
        .merge(meetings::routes())
        .merge(thought_reports::routes())
        .merge(people::routes())
        .merge(tokens::routes())
        .merge(audit::routes())
        .merge(imports::routes())
        .merge(account::routes())
        .merge(accounts::routes())
        .merge(insight::routes())
        .merge(attachments::routes())
        .merge(rules::routes())
        .merge(settings::routes())
        .merge(calendar::routes())
}

/// Operations that take a file: their body has the uploads' limit, which the app checks
/// again for the caller and the target before reading it.
pub(super) fn uploads(
    (schemas, paths, router): utoipa_axum::router::UtoipaMethodRouter<AppState>,
) -> utoipa_axum::router::UtoipaMethodRouter<AppState> {
    (
        schemas,
        paths,
        router.layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
    )
}

pub(crate) fn sign_in_routes() -> Router<AppState> {
    session::sign_in_routes().split_for_parts().0
}

pub(crate) fn routes() -> Router<AppState> {
    let (router, mut doc) = api().split_for_parts();
    contract::complete(&mut doc, false);
    contract::attachment_content_types(&mut doc);
    let mut session_doc = session::sign_in_routes().split_for_parts().1;
    contract::complete(&mut session_doc, true);
    doc.merge(session_doc);
    // Serializing a document of plain maps and strings does not fail.
    let mut doc = serde_json::to_value(&doc).unwrap_or_default();
    contract::share_named_schemas(&mut doc);
    let doc = std::sync::Arc::new(doc);
    router
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json((*doc).clone()) }
            }),
        )
        .fallback(|req: Request| async move {
            if req.uri().path().starts_with("/api/") {
                crate::error::ApiError(dangjian_app::AppError::NotFound).into_response()
            } else {
                crate::error::error_page(
                    axum::http::StatusCode::NOT_FOUND,
                    "未找到",
                    "您要找的页面不存在".to_owned(),
                )
            }
        })
}

/// What the `{id}` of an address names.
pub(crate) trait Named {
    /// The id's type, as the path carries it.
    type Id: serde::de::DeserializeOwned + Copy + Send;
    fn address(id: Self::Id) -> dangjian_app::Addressed;
}

pub(crate) struct OrgNamed;
pub(crate) struct PersonNamed;
pub(crate) struct MeetingNamed;
pub(crate) struct AccountNamed;

impl Named for AccountNamed {
    type Id = dangjian_domain::ids::AccountId;
    fn address(id: Self::Id) -> dangjian_app::Addressed {
        dangjian_app::Addressed::Account(id)
    }
}

impl Named for OrgNamed {
    type Id = dangjian_domain::ids::OrgId;
    fn address(id: Self::Id) -> dangjian_app::Addressed {
        dangjian_app::Addressed::Org(id)
    }
}

impl Named for PersonNamed {
    type Id = dangjian_domain::ids::PersonId;
    fn address(id: Self::Id) -> dangjian_app::Addressed {
        dangjian_app::Addressed::Person(id)
    }
}

impl Named for MeetingNamed {
    type Id = dangjian_domain::ids::MeetingId;
    fn address(id: Self::Id) -> dangjian_app::Addressed {
        dangjian_app::Addressed::Meeting(id)
    }
}

/// The `{id}` of the address, once the caller is known to see what it names. It is extracted
/// before the body, so a write aimed beyond the caller's scope is answered 404 before its body
/// is read or judged: what lies outside the scope is not told by the verdict on a body.
pub(crate) struct InScope<N: Named>(pub N::Id, std::marker::PhantomData<N>);

impl<N: Named> FromRequestParts<AppState> for InScope<N> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let caller = crate::auth::Caller::from_request_parts(parts, st).await?;
        let axum::extract::Path(id) = axum::extract::Path::<N::Id>::from_request_parts(parts, st)
            .await
            .map_err(|_| ApiError(AppError::NotFound))?;
        st.app.sees(&caller.actor, N::address(id)).await?;
        Ok(Self(id, std::marker::PhantomData))
    }
}

/// A JSON body whose rejection is our error body, in Chinese.
pub(crate) struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Self(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(bad_request(
                "请求体须为 JSON（Content-Type: application/json）".to_owned(),
                None,
            )),
            Err(JsonRejection::JsonSyntaxError(_)) => {
                Err(bad_request("JSON 格式错误".to_owned(), None))
            }
            Err(JsonRejection::JsonDataError(e)) => {
                let (message, field) =
                    crate::error::unreadable("JSON 内容不符合要求", &e.body_text());
                Err(bad_request(message, field))
            }
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(crate::error::too_large()),
            Err(e) => Err(bad_request(
                format!("无法读取请求体（{}）", e.status()),
                None,
            )),
        }
    }
}

/// Query parameters whose rejection is our error body.
pub(crate) struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(q) => Ok(Self(q.0)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                let (message, field) = crate::error::unreadable("查询参数有误", &e.body_text());
                Err(bad_request(message, field))
            }
            Err(_) => Err(bad_request("查询参数有误".to_owned(), None)),
        }
    }
}

/// `page` and `per_page` of a list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageParams {
    /// 1-based page number.
    #[param(minimum = 1)]
    pub page: Option<u64>,
    /// Rows per page, 1 to 500 (default 20).
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<u64>,
}

impl PageParams {
    pub fn paging(&self) -> Result<Paging, crate::error::ApiError> {
        Paging::parse(self.page, self.per_page).map_err(|e| crate::error::ApiError(e.into()))
    }
}

/// A page of a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct List<T> {
    pub items: Vec<T>,
    pub total: u64,
}
