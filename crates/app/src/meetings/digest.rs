//! 组织生活未落实提醒: on the first morning of a month, each account that reads a subtree's
//! records hears which of its branches missed a rule of organizational life the month before.

use crate::notification::{DIGEST_ROWS, Digest, Draft, Drafts, Every};
use crate::{Actor, App, Result};
use chrono::NaiveDate;
use dangjian_domain::platform::role::Action;

/// The monthly digest of the branches that missed last month's organizational life.
pub const MISSED_DIGEST: Digest = Digest {
    job: "compliance_digest",
    every: Every::Month,
    readers: Action::ReadRecords,
    audit_action: dangjian_domain::meetings::trail::MISSED_DIGEST,
    compose,
};

fn compose<'a>(app: &'a App, actor: &'a Actor, month: NaiveDate) -> Drafts<'a> {
    Box::pin(missed(app, actor, month))
}

/// A message for each subtree of the reader that has a branch which missed a rule in the
/// month before `month`.
async fn missed(app: &App, actor: &Actor, month: NaiveDate) -> Result<Vec<Draft>> {
    let last_month = month.pred_opt().unwrap_or(month);
    let label = last_month.format("%Y年%-m月");
    let mut drafts = Vec::new();
    for org in app.org().scope_roots(actor).await? {
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            continue;
        }
        let summary = app
            .meetings()
            .compliance_summary(actor, org.id, last_month)
            .await?;
        if summary.missed.is_empty() {
            continue;
        }
        let mut lines: Vec<String> = summary
            .missed
            .iter()
            .take(DIGEST_ROWS)
            .map(|(_, name, kinds)| format!("{name}：未召开{}", kinds.join("、")))
            .collect();
        if summary.missed.len() > lines.len() {
            lines.push(format!(
                "……另有 {} 个，见组织生活落实情况",
                summary.missed.len() - lines.len()
            ));
        }
        drafts.push(Draft {
            title: format!(
                "{label}组织生活：{}（{} 个党支部和党小组中 {} 个有未落实事项）",
                org.name,
                summary.branches,
                summary.missed.len()
            ),
            body: lines.join("\n"),
            link: Some(format!(
                "/orgs/{}/compliance?month={}",
                org.id,
                last_month.format("%Y-%m")
            )),
        });
    }
    Ok(drafts)
}
