//! Platform settings, changed by the system admin.

use crate::{Actor, AppError, Result};
use dangjian_domain::FieldError;
use dangjian_domain::platform::role::Action;
use dangjian_domain::platform::settings::{SettingSpec, Settings};
use serde_json::json;
use std::collections::{BTreeMap, HashSet};

/// The settings a change names, each kept by `keeper` and named once: a key of another keeper
/// or named twice (the second value would overwrite the first unseen) is refused, naming it.
fn kept_by<'v>(
    values: &[(&str, &'v str)],
    keeper: Action,
    label: &'static str,
) -> Result<Vec<(SettingSpec, &'v str)>> {
    let mut seen = HashSet::new();
    values
        .iter()
        .map(|(key, value)| {
            let spec = SettingSpec::find(key)
                .filter(|s| s.kept_by == keeper)
                .ok_or_else(|| FieldError::new("key", label, format!("没有“{key}”这一项")))?;
            if !seen.insert(spec.key) {
                return Err(FieldError::new("key", label, format!("“{key}”填写了两次")).into());
            }
            Ok((spec, *value))
        })
        .collect()
}

capability!(
    /// 本校规则设置: the university's rules and settings.
    SettingCases,
    settings
);

impl SettingCases<'_> {
    pub async fn current(self) -> Result<Settings> {
        Ok(dangjian_store::settings::load(self.store.db()).await?)
    }

    /// The university's rules with their versions, for the organization department that
    /// keeps them.
    pub async fn rules(self, actor: &Actor) -> Result<Settings> {
        if !actor.access.can(Action::ManageRules) {
            return Err(AppError::Forbidden("本校规则由组织部门设置"));
        }
        self.current().await
    }

    /// The platform settings, for the system admin who keeps them.
    pub async fn system(self, actor: &Actor) -> Result<Settings> {
        if !actor.access.can(Action::ManageSettings) {
            return Err(AppError::Forbidden("系统设置由系统管理员修改"));
        }
        self.current().await
    }

    /// Changes system settings: who may is decided first, then every value is checked,
    /// then those that differ are written in one transaction, or none. Returns how many
    /// changed, so that a form that changes nothing does not say it saved. The university's
    /// rules are not among them: they change by versions in force from a day (`set_rules`).
    pub async fn update(self, actor: &Actor, values: &[(&str, &str)]) -> Result<usize> {
        if !actor.access.can(Action::ManageSettings) {
            return Err(AppError::Forbidden("系统设置由系统管理员修改"));
        }
        let specs = kept_by(values, Action::ManageSettings, "设置项")?;
        let current = self.settings().current().await?;
        let mut changes = Vec::new();
        for (spec, value) in specs {
            let parsed = spec.parse(value)?;
            let before = current.get(spec);
            if parsed != before {
                changes.push((spec, before, parsed));
            }
        }
        if changes.is_empty() {
            return Ok(0);
        }
        let tx = self.store.begin_write().await?;
        let (mut before, mut after) = (serde_json::Map::new(), serde_json::Map::new());
        for (spec, old, new) in &changes {
            dangjian_store::settings::put(&tx, spec.key, &new.to_string(), self.now_ms()).await?;
            before.insert(spec.key.to_owned(), json!(old));
            after.insert(spec.key.to_owned(), json!(new));
        }
        let record = actor.record(
            dangjian_domain::platform::audit::trail::SETTING_UPDATE,
            None,
            None,
            Some(before.into()),
            Some(after.into()),
        );
        self.finish(tx, record).await?;
        Ok(changes.len())
    }

    /// Puts the university's rules in force from `from` on (organization department): each
    /// value checked first, then all written in one transaction, or none.
    pub async fn set_rules(
        self,
        actor: &Actor,
        from: chrono::NaiveDate,
        values: &[(&str, &str)],
    ) -> Result<usize> {
        if !actor.access.can(Action::ManageRules) {
            return Err(AppError::Forbidden("本校规则由组织部门设置"));
        }
        let specs = kept_by(values, Action::ManageRules, "规则")?;
        let current = self.settings().current().await?.on(from);
        let mut changes = Vec::new();
        for (spec, value) in specs {
            let parsed = spec.parse(value)?;
            if parsed != current.get(spec) {
                changes.push((spec, current.get(spec), parsed));
            }
        }
        if changes.is_empty() {
            return Ok(0);
        }
        let tx = self.store.begin_write().await?;
        for (spec, _, value) in &changes {
            dangjian_store::settings::put_version(
                &tx,
                spec.key,
                from,
                &value.to_string(),
                self.now_ms(),
            )
            .await?;
        }
        let before: BTreeMap<_, _> = changes.iter().map(|(s, b, _)| (s.key, *b)).collect();
        let after: BTreeMap<_, _> = changes.iter().map(|(s, _, v)| (s.key, *v)).collect();
        let record = actor.record(
            dangjian_domain::platform::audit::trail::RULES_VERSION,
            None,
            None,
            Some(json!(before)),
            Some(json!({ "effective_from": from, "values": after })),
        );
        self.finish(tx, record).await?;
        Ok(changes.len())
    }
}
