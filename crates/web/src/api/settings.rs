//! The system settings (系统设置) through the API, as the settings page keeps them: read and
//! changed by the system admin, every value checked and all written or none.

use super::ApiJson;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use dangjian_domain::platform::role::Action;
use dangjian_domain::platform::settings::{self, SettingSpec, Settings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A setting, its bounds and its value.
#[derive(Serialize, ToSchema)]
pub(crate) struct SettingView {
    #[schema(value_type = super::contract::SettingKeyCode)]
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    min: i64,
    max: i64,
    default: i64,
    value: i64,
}

impl SettingView {
    /// Each setting kept by `keeper`, with its value in `values`.
    pub(super) fn all(keeper: Action, values: &Settings) -> Vec<Self> {
        settings::all()
            .filter(|s| s.kept_by == keeper)
            .map(|s: SettingSpec| Self {
                key: s.key,
                label: s.label,
                unit: s.unit,
                min: s.min,
                max: s.max,
                default: s.default,
                value: values.get(s),
            })
            .collect()
    }
}

/// A value to set.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettingValue {
    #[schema(value_type = super::contract::SettingKeyCode)]
    pub key: String,
    pub value: i64,
}

impl SettingValue {
    /// The pairs as the app takes them, as a form types them.
    pub(super) fn typed(values: &[Self]) -> Vec<(&str, String)> {
        values
            .iter()
            .map(|v| (v.key.as_str(), v.value.to_string()))
            .collect()
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettingsBody {
    values: Vec<SettingValue>,
}

/// How many values a write changed: 0 when each was already so.
#[derive(Serialize, ToSchema)]
pub(crate) struct Changed {
    pub changed: usize,
}

/// The system settings and their values.
#[utoipa::path(get, path = "/api/v1/settings", tag = "settings", operation_id = "get_settings",
    responses((status = 200, body = Vec<SettingView>), (status = 403, body = ErrorBody)))]
pub(crate) async fn get(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<SettingView>>, ApiError> {
    let values = st.app.settings().system(&caller.actor).await?;
    Ok(Json(SettingView::all(Action::ManageSettings, &values)))
}

/// Changes system settings: each value within its bounds, all written or none.
#[utoipa::path(put, path = "/api/v1/settings", tag = "settings", operation_id = "update_settings",
    request_body = SettingsBody,
    responses((status = 200, body = Changed), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn update(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<SettingsBody>,
) -> Result<Json<Changed>, ApiError> {
    let typed = SettingValue::typed(&b.values);
    let values: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let changed = st.app.settings().update(&caller.actor, &values).await?;
    Ok(Json(Changed { changed }))
}

/// This area's operations, merged into the API by `api()`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, update))
}
