//! Reading and verifying the audit trail.

use crate::{Actor, App, AppError, Result};
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::platform::audit::{AuditEntry, ChainBreak, ChainVerifier};
use dangjian_domain::platform::role::Action;
use dangjian_store::audit::{self as store, AuditFilter};

/// How many entries verification reads at a time.
const VERIFY_BATCH: u64 = 5_000;

impl App {
    /// Searches the trail; only the auditor may.
    pub async fn audit_search(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        paging: Paging,
    ) -> Result<Page<AuditEntry>> {
        if !actor.access.can(Action::ReadAudit) {
            return Err(AppError::Forbidden("审计日志仅由安全审计员查阅"));
        }
        Ok(store::search(self.store.db(), filter, paging).await?)
    }

    /// Walks the whole chain; returns how many entries hold, or where it breaks.
    pub async fn audit_verify(&self) -> Result<std::result::Result<u64, ChainBreak>> {
        let mut verifier = ChainVerifier::default();
        let mut after = 0;
        loop {
            let batch = store::batch_after(self.store.db(), after, VERIFY_BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            for entry in &batch {
                if let Err(brk) = verifier.check(entry) {
                    return Ok(Err(brk));
                }
            }
        }
        Ok(Ok(verifier.checked))
    }
}
