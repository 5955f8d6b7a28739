//! The university's own rules (本校规则设置), the organization department's: the [L] rules of
//! RULES.md as versions in force from a day on, and how each development step is run.

use crate::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::pages::after;
use crate::pages::platform::PlatformNotice;
use crate::pages::{Chrome, FormErrors, NoticeQuery};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dangjian_app::AppError;
use dangjian_domain::development::policy::{Recorder, StepPolicy, document_names};
use dangjian_domain::development::{DecisionBody, Step};
use dangjian_domain::platform::role::Action;
use dangjian_domain::platform::settings::{self, RuleVersion, SettingSpec};
use std::collections::HashMap;

#[derive(Template, WebTemplate)]
#[template(path = "platform/rules.html")]
pub(crate) struct RulesPage {
    chrome: Chrome,
    /// Each rule and the value shown in its field.
    rules: Vec<(SettingSpec, String)>,
    effective_from: String,
    versions: Vec<RuleVersion>,
    /// Each step's policy and whether the university changed it.
    steps: Vec<(Step, StepPolicy, bool)>,
    bodies: &'static [DecisionBody],
    recorders: &'static [Recorder],
    errors: FormErrors,
    /// The step whose policy form was refused, and why.
    refused: Option<(Step, String)>,
}

fn specs() -> impl Iterator<Item = SettingSpec> {
    settings::all().filter(|s| s.kept_by == Action::ManageRules)
}

async fn rules_page(
    st: &AppState,
    viewer: &Viewer,
    notice: Option<&str>,
) -> Result<RulesPage, AppError> {
    let all = st.app.settings().rules(viewer.actor()).await?;
    let today = st.app.clock().today();
    let now = all.on(today);
    let mut versions = all.versions().to_vec();
    versions.reverse();
    Ok(RulesPage {
        chrome: Chrome::new(viewer, "本校规则设置", "rules").with_notice(notice),
        rules: specs().map(|s| (s, now.get(s).to_string())).collect(),
        effective_from: today.to_string(),
        versions,
        steps: st.app.development().step_policies().await?,
        bodies: DecisionBody::ALL,
        recorders: Recorder::ALL,
        errors: FormErrors::default(),
        refused: None,
    })
}

pub(crate) async fn page(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<RulesPage, PageError> {
    Ok(rules_page(&st, &viewer, q.notice.as_deref()).await?)
}

/// Puts the rules as typed in force from the day given.
pub(crate) async fn save(
    State(st): State<AppState>,
    viewer: Viewer,
    axum::Form(f): axum::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let from = f.get("effective_from").map_or("", String::as_str);
    let result = async {
        // Left empty, the rules take effect today.
        let from = dangjian_domain::people::parse_date(from, "effective_from", "生效日期")?
            .unwrap_or_else(|| st.app.clock().today());
        let values: Vec<(&str, &str)> = specs()
            .filter_map(|s| f.get(s.key).map(|v| (s.key, v.as_str())))
            .collect();
        st.app
            .settings()
            .set_rules(viewer.actor(), from, &values)
            .await
    }
    .await;
    match result {
        Ok(0) => Ok(after("/rules", PlatformNotice::Unchanged).into_response()),
        Ok(_) => Ok(after("/rules", PlatformNotice::Saved).into_response()),
        Err(e) => {
            let (errors, _) = FormErrors::from_app(e)?;
            let mut page = rules_page(&st, &viewer, None).await?;
            for (spec, value) in &mut page.rules {
                if let Some(v) = f.get(spec.key) {
                    value.clone_from(v);
                }
            }
            page.effective_from = from.to_owned();
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct PolicyForm {
    body: String,
    recorder: String,
    documents: String,
}

/// Sets how a step is run.
pub(crate) async fn save_step(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    axum::Form(f): axum::Form<PolicyForm>,
) -> Result<Response, PageError> {
    let step = Step::parse(&code).ok_or(AppError::NotFound)?;
    let result = async {
        let policy =
            StepPolicy::from_input(step, &f.body, &f.recorder, document_names(&f.documents))?;
        st.app
            .development()
            .set_step_policy(viewer.actor(), step, policy)
            .await
    }
    .await;
    match result {
        Ok(()) => Ok(after(&format!("/rules#step-{code}"), PlatformNotice::Saved).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Rule { .. })) => {
            let mut page = rules_page(&st, &viewer, None).await?;
            page.refused = Some((step, e.to_string()));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
