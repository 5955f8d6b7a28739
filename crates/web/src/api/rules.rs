//! The university's own rules (本校规则设置) through the API, as the rules page keeps them:
//! the [L] rules of RULES.md as versions in force from a day on, and how each development
//! step is run. The organization department's; the app decides who may and checks each value.

use super::ApiJson;
use super::settings::{Changed, SettingValue, SettingView};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use dangjian_app::AppError;
use dangjian_domain::development::Step;
use dangjian_domain::development::policy::StepPolicy;
use dangjian_domain::platform::role::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A value of a rule in force from a day on.
#[derive(Serialize, ToSchema)]
pub(crate) struct RuleVersionView {
    #[schema(value_type = super::contract::SettingKeyCode)]
    key: &'static str,
    effective_from: chrono::NaiveDate,
    value: i64,
}

/// How a development step is run.
#[derive(Serialize, ToSchema)]
pub(crate) struct StepPolicyView {
    #[schema(value_type = super::contract::StepCode)]
    step: &'static str,
    /// Who decides it.
    #[schema(value_type = super::contract::DecisionBodyCode)]
    body: &'static str,
    /// Whether the 细则 fixes the body, so that only `recorder` and `documents` change.
    body_fixed: bool,
    #[schema(value_type = super::contract::RecorderCode)]
    recorder: &'static str,
    /// The documents kept as its evidence (入党申请书, 入党志愿书…).
    documents: Vec<String>,
    /// Whether the university changed it from the default.
    changed: bool,
}

impl StepPolicyView {
    fn of(step: Step, p: StepPolicy, changed: bool) -> Self {
        Self {
            step: step.code(),
            body: p.body.code(),
            body_fixed: step.fixed_body().is_some(),
            recorder: p.recorder.code(),
            documents: p.documents,
            changed,
        }
    }
}

/// The rules in force today, every version, and each step's policy.
#[derive(Serialize, ToSchema)]
pub(crate) struct RulesView {
    rules: Vec<SettingView>,
    /// Oldest first.
    versions: Vec<RuleVersionView>,
    steps: Vec<StepPolicyView>,
}

/// The university's rules in force today, their versions, and how each step is run.
#[utoipa::path(get, path = "/api/v1/rules", tag = "rules", operation_id = "get_rules",
    responses((status = 200, body = RulesView), (status = 403, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<RulesView>, ApiError> {
    let all = st.app.settings().rules(&caller.actor).await?;
    let today = all.on(st.app.clock().today());
    Ok(Json(RulesView {
        rules: SettingView::all(Action::ManageRules, &today),
        versions: all
            .versions()
            .iter()
            .map(|v| RuleVersionView {
                key: v.spec.key,
                effective_from: v.from,
                value: v.value,
            })
            .collect(),
        steps: st
            .app
            .development()
            .step_policies()
            .await?
            .into_iter()
            .map(|(step, p, changed)| StepPolicyView::of(step, p, changed))
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RulesBody {
    /// The day the values take effect; today when left out. A record is judged by the
    /// rule in force on its date.
    #[serde(default, deserialize_with = "super::contract::maybe_day")]
    effective_from: Option<chrono::NaiveDate>,
    values: Vec<SettingValue>,
}

/// Puts rules in force from a day on: each value within its bounds, all written or none.
#[utoipa::path(put, path = "/api/v1/rules", tag = "rules", operation_id = "set_rules",
    request_body = RulesBody,
    responses((status = 200, body = Changed), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn set(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<RulesBody>,
) -> Result<Json<Changed>, ApiError> {
    let from = b.effective_from.unwrap_or_else(|| st.app.clock().today());
    let typed = SettingValue::typed(&b.values);
    let values: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let changed = st
        .app
        .settings()
        .set_rules(&caller.actor, from, &values)
        .await?;
    Ok(Json(Changed { changed }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepPolicyBody {
    /// Who decides it; may be left out where the 细则 fixes it.
    #[schema(value_type = Option<super::contract::DecisionBodyCode>)]
    body: Option<String>,
    #[schema(value_type = super::contract::RecorderCode)]
    recorder: String,
    /// At most 10 names of at most 30 characters.
    #[serde(default)]
    documents: Vec<String>,
}

/// Sets how a development step is run.
#[utoipa::path(put, path = "/api/v1/rules/steps/{step}", tag = "rules", operation_id = "set_step_policy",
    params(("step" = super::contract::StepCode, Path)), request_body = StepPolicyBody,
    responses((status = 200, body = StepPolicyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn set_step(
    State(st): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<StepPolicyBody>,
) -> Result<Json<StepPolicyView>, ApiError> {
    let step = Step::parse(&code).ok_or(AppError::NotFound)?;
    let policy = StepPolicy::from_input(
        step,
        b.body.as_deref().unwrap_or_default(),
        &b.recorder,
        b.documents,
    )
    .map_err(AppError::from)?;
    st.app
        .development()
        .set_step_policy(&caller.actor, step, policy.clone())
        .await?;
    let changed = policy != step.default_policy();
    Ok(Json(StepPolicyView::of(step, policy, changed)))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get, set))
        .routes(routes!(set_step))
}
