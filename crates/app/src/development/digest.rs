//! 发展党员待办摘要: every morning, each account that keeps development records hears of the
//! deadlines passed or near in its subtrees.

use crate::notification::{DIGEST_ROWS, Digest, Draft, Drafts, Every};
use crate::{Actor, App, Result};
use chrono::NaiveDate;
use dangjian_domain::platform::role::Action;

/// The daily digest of development deadlines.
pub const DUE_DIGEST: Digest = Digest {
    job: "development_digest",
    every: Every::Day,
    readers: Action::WriteRecords,
    audit_action: dangjian_domain::development::trail::DIGEST,
    compose,
};

fn compose<'a>(app: &'a App, actor: &'a Actor, today: NaiveDate) -> Drafts<'a> {
    Box::pin(due(app, actor, today))
}

/// One message with the deadlines of every subtree the reader keeps records of: each item
/// read from the development board with the reader's own access.
async fn due(app: &App, actor: &Actor, today: NaiveDate) -> Result<Vec<Draft>> {
    let mut lines = Vec::new();
    let (mut total, mut overdue) = (0, 0);
    let mut link = None;
    let roots = app.org().scope_roots(actor).await?;
    let boards = app
        .development()
        .due_boards(actor, &roots, Action::WriteRecords)
        .await?;
    for (org, board) in boards {
        for r in &board.due {
            let Some((step, by, late)) = r.due else {
                continue;
            };
            total += 1;
            overdue += usize::from(late);
            if lines.len() < DIGEST_ROWS {
                lines.push(format!(
                    "{}（{}）：{}，期限 {by}{}",
                    r.name,
                    r.org_name,
                    step.label(),
                    if late { "，已逾期" } else { "" }
                ));
            }
        }
        link.get_or_insert_with(|| format!("/orgs/{}/development", org.id));
    }
    if total == 0 {
        return Ok(Vec::new());
    }
    if total > lines.len() {
        lines.push(format!(
            "……另有 {} 项，见发展党员工作台",
            total - lines.len()
        ));
    }
    Ok(vec![Draft {
        title: format!("发展党员待办（{today}）：{total} 项到期，其中 {overdue} 项已逾期"),
        body: lines.join("\n"),
        link,
    }])
}
