//! Reading and verifying the audit trail.

use crate::{Actor, AppError, Result};
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::platform::audit::{
    AuditAction, AuditEntry, ChainBreak, ChainVerifier, Checkpoint, RecordKind,
};
use dangjian_domain::platform::role::Action;
use dangjian_store::audit::{self as store, AuditFilter};

/// What every capability leaves in the trail: its kinds of record and its acts, one line each.
pub const TRAILS: &[(&[RecordKind], &[AuditAction])] = &[
    (trail::platform::KINDS, trail::platform::ACTS),
    (trail::org::KINDS, trail::org::ACTS),
    (trail::people::KINDS, trail::people::ACTS),
    (trail::development::KINDS, trail::development::ACTS),
    (trail::meetings::KINDS, trail::meetings::ACTS),
];

mod trail {
    pub use dangjian_domain::development::trail as development;
    pub use dangjian_domain::meetings::trail as meetings;
    pub use dangjian_domain::org::trail as org;
    pub use dangjian_domain::people::trail as people;
    pub use dangjian_domain::platform::audit::trail as platform;
}

/// What an act's code means, for the auditor's page; codes no capability declares (written by
/// an older version) show as they are.
pub fn action_label(code: &str) -> &str {
    TRAILS
        .iter()
        .flat_map(|(_, acts)| acts.iter())
        .find(|a| a.code == code)
        .map_or(code, |a| a.label)
}

/// What a kind of record's code means, for the auditor's page.
pub fn entity_label(code: &str) -> &str {
    TRAILS
        .iter()
        .flat_map(|(kinds, _)| kinds.iter())
        .find(|k| k.code == code)
        .map_or(code, |k| k.label)
}

/// How many entries verification reads at a time.
const VERIFY_BATCH: u64 = 5_000;

capability!(
    /// 痕迹管理: reading and verifying the audit trail.
    AuditCases,
    audit
);

impl AuditCases<'_> {
    /// Searches the trail; only the auditor may.
    pub async fn search(
        self,
        actor: &Actor,
        filter: &AuditFilter,
        paging: Paging,
    ) -> Result<Page<AuditEntry>> {
        if !actor.access.can(Action::ReadAudit) {
            return Err(AppError::Forbidden("审计日志仅由安全审计员查阅"));
        }
        Ok(store::search(self.store.db(), filter, paging).await?)
    }

    /// Walks the whole chain under the platform's key and checks that it still reaches the
    /// last checkpoint; returns how many entries hold, or where it breaks.
    pub async fn verify(self) -> Result<std::result::Result<u64, ChainBreak>> {
        let key = self.store.audit_key();
        let mut verifier = ChainVerifier::new(key.clone());
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
        if let Some(cp) = self.read_checkpoint(&self.checkpoint_path())? {
            if !cp.is_signed_by(key) {
                return Ok(Err(ChainBreak::ForgedCheckpoint));
            }
            let held = store::at(self.store.db(), cp.seq).await?;
            if held.is_none_or(|e| e.hash != cp.hash) {
                return Ok(Err(ChainBreak::Truncated { seq: cp.seq }));
            }
        }
        Ok(Ok(verifier.checked))
    }

    /// Leaves in the trail that an actor was refused (403): `asked` is the method and path.
    pub async fn record_refusal(self, actor: &Actor, asked: &str) -> Result<()> {
        let tx = self.store.begin_write().await?;
        let record = actor.record(
            dangjian_domain::platform::audit::trail::ACCESS_REFUSED,
            None,
            None,
            None,
            Some(serde_json::json!({ "request": asked })),
        );
        self.finish(tx, record).await
    }

    /// Leaves in the trail that a file holding people's data went out, to whom, and whose it
    /// was (`detail`): downloads are reads, but what leaves the platform is traced.
    pub(crate) async fn record_download(
        self,
        actor: &Actor,
        (action, id): (AuditAction, Option<i64>),
        org_path: Option<&str>,
        detail: serde_json::Value,
    ) -> Result<()> {
        let tx = self.store.begin_write().await?;
        let record = actor.record(action, id, org_path, None, Some(detail));
        self.finish(tx, record).await
    }

    /// Whether this database was kept under the key the platform runs with: its personal data
    /// opens, and its checkpoint (if any) was signed with it. A copy sealed under another key
    /// would start and then fail on every person's page, and its trail would read as forged.
    pub async fn key_fits(self) -> Result<bool> {
        let sealed = match dangjian_store::people::any_sealed_id(self.store.db()).await? {
            Some(sealed) => self.sealer.open(&sealed).is_ok(),
            None => true,
        };
        let signed = self
            .read_checkpoint(&self.checkpoint_path())?
            .is_none_or(|cp| cp.is_signed_by(self.store.audit_key()));
        Ok(sealed && signed)
    }

    /// Where the checkpoint of this server's trail is kept: in the data folder, outside the
    /// database.
    pub fn checkpoint_path(self) -> std::path::PathBuf {
        self.data_dir.join(CHECKPOINT_FILE)
    }

    fn read_checkpoint(self, path: &std::path::Path) -> Result<Option<Checkpoint>> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|_| AppError::Integrity("审计检查点文件无法读取，已被改动".to_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::Integrity(format!("无法读取审计检查点：{e}"))),
        }
    }

    /// Signs the head of the trail into the checkpoint file (written whole, then renamed),
    /// when it moved since the last one. The serving process does this every minute, and
    /// before a backup; entries after the last checkpoint are what a truncation could hide.
    pub async fn checkpoint(self) -> Result<Option<Checkpoint>> {
        let db = self.store.db();
        let head = store::head(db).await?;
        let path = self.checkpoint_path();
        if head == 0
            || self
                .read_checkpoint(&path)
                .ok()
                .flatten()
                .is_some_and(|cp| cp.seq == head)
        {
            return Ok(None);
        }
        let Some(entry) = store::at(db, head).await? else {
            return Ok(None);
        };
        let cp = Checkpoint::new(self.store.audit_key(), entry.seq, entry.hash, self.now_ms());
        let text = serde_json::to_string(&cp).map_err(|e| AppError::Integrity(e.to_string()))?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::File::open(&tmp)?.sync_all())
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| AppError::Integrity(format!("无法写入审计检查点：{e}")))?;
        Ok(Some(cp))
    }
}

/// The checkpoint file's name, in the data folder and beside each backup.
pub const CHECKPOINT_FILE: &str = "audit.checkpoint";

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_act_and_kind_has_one_code_and_its_kind_is_registered() {
        let mut acts = HashSet::new();
        let mut kinds = HashSet::new();
        for (ks, _) in TRAILS {
            for k in *ks {
                assert!(kinds.insert(k.code), "kind {} twice", k.code);
            }
        }
        for (_, as_) in TRAILS {
            for a in *as_ {
                assert!(acts.insert(a.code), "act {} twice", a.code);
                assert!(
                    kinds.contains(a.entity.code),
                    "{}: kind not registered",
                    a.code
                );
                assert_ne!(action_label(a.code), a.code);
            }
        }
        assert_eq!(action_label("retired.act"), "retired.act");
    }
}
