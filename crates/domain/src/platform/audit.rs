//! The audit trail (痕迹管理): every write leaves an entry; each entry is chained to the one
//! before by a SHA-256 hash, so that changing or removing any row breaks the chain.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What an action code means, for the auditor's page; unknown codes show as they are.
pub fn action_label(action: &str) -> &str {
    match action {
        "account.sign_in" => "登录",
        "account.sign_in_failed" => "登录失败",
        "account.sign_out" => "退出登录",
        "account.change_password" => "修改密码",
        "account.create" => "建立账号",
        "account.activate" => "本人激活账号",
        "account.open_for_person" => "为名册人员开通账号",
        "account.reset_password" => "重置密码",
        "account.disable" => "停用账号",
        "account.enable" => "启用账号",
        "grant.create" => "授权",
        "grant.revoke" => "收回授权",
        "org.create" => "建立组织",
        "org.set_students" => "登记在校学生数",
        "org.move" => "调整组织隶属关系",
        "seat.appoint" => "任命委员会职务",
        "seat.end" => "免去委员会职务",
        "org.merge" => "合并组织",
        "org.split" => "分设组织",
        "org.dissolve" => "撤销组织",
        "attachment.create" => "上传附件",
        "api_token.create" => "创建 API 令牌",
        "api_token.revoke" => "撤销 API 令牌",
        "setting.update" => "修改设置",
        "person.create" => "登记人员",
        "person.update" => "修改人员信息",
        "person.reveal" => "查看完整身份证号",
        "person.import_stage" => "上传名册待确认",
        "person.import" => "确认导入名册",
        "person.import_apply" => "写入导入的名册",
        "person.import_end" => "导入结束",
        "person.import_discard" => "放弃导入",
        "person.import_rollback" => "撤销导入",
        "person.export" => "导出名册",
        "roster.build" => "生成演示名册",
        "transfer.create" => "发起组织关系转接",
        "transfer.receive" => "接收组织关系",
        "transfer.cancel" => "撤回组织关系转接",
        other => other,
    }
}

/// What kind of record an entity code names.
pub fn entity_label(entity: &str) -> &str {
    match entity {
        "account" => "账号",
        "grant" => "授权",
        "org" => "党组织",
        "attachment" => "附件",
        "api_token" => "API 令牌",
        "setting" => "系统设置",
        "person" => "人员",
        "import_batch" => "导入批次",
        "transfer" => "组织关系转接",
        other => other,
    }
}

/// The hash that stands before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a write records, before it is placed in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub actor_id: Option<i64>,
    pub actor_name: String,
    /// What was done, as `module.verb` (`org.create`, `account.sign_in`).
    pub action: String,
    /// The kind of record written (`org`, `account`, `attachment`…).
    pub entity: String,
    pub entity_id: Option<i64>,
    /// The organization the record belongs to, so that audits can be read by subtree.
    pub org_path: Option<String>,
    pub client_ip: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// An entry as it stands in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// Unix milliseconds.
    pub at_ms: i64,
    #[serde(flatten)]
    pub record: AuditRecord,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: over its position, time, content and the previous hash, in one
/// canonical JSON form so that any engine's round trip yields the same bytes.
pub fn entry_hash(seq: i64, at_ms: i64, record: &AuditRecord, prev_hash: &str) -> String {
    let canonical = serde_json::json!([
        seq,
        at_ms,
        record.actor_id,
        record.actor_name,
        record.action,
        record.entity,
        record.entity_id,
        record.org_path,
        record.client_ip,
        record.before.as_ref().map(canonical_json),
        record.after.as_ref().map(canonical_json),
        prev_hash,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// JSON text with keys in one order whatever the engine gave back.
fn canonical_json(value: &serde_json::Value) -> String {
    // serde_json's Map is a BTreeMap without the preserve_order feature: keys come out sorted.
    value.to_string()
}

impl AuditEntry {
    pub fn new(seq: i64, at_ms: i64, record: AuditRecord, prev_hash: String) -> Self {
        let hash = entry_hash(seq, at_ms, &record, &prev_hash);
        Self {
            seq,
            at_ms,
            record,
            prev_hash,
            hash,
        }
    }
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("第 {seq} 条记录的内容与其哈希不符，记录已被改动")]
    Altered { seq: i64 },
    #[error("第 {seq} 条记录与前一条记录的链接断开，记录已被删除或插入")]
    Unlinked { seq: i64 },
}

/// Walks the chain in order, carrying the previous entry's sequence number and hash.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    prev_seq: i64,
    prev_hash: String,
    pub checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            prev_seq: 0,
            prev_hash: GENESIS.to_owned(),
            checked: 0,
        }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, entry: &AuditEntry) -> Result<(), ChainBreak> {
        if entry.hash != entry_hash(entry.seq, entry.at_ms, &entry.record, &entry.prev_hash) {
            return Err(ChainBreak::Altered { seq: entry.seq });
        }
        if entry.seq != self.prev_seq + 1 || entry.prev_hash != self.prev_hash {
            return Err(ChainBreak::Unlinked { seq: entry.seq });
        }
        self.prev_seq = entry.seq;
        self.prev_hash.clone_from(&entry.hash);
        self.checked += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(action: &str) -> AuditRecord {
        AuditRecord {
            actor_id: Some(1),
            actor_name: "admin".into(),
            action: action.into(),
            entity: "org".into(),
            entity_id: Some(9),
            org_path: Some("/1/9/".into()),
            client_ip: Some("127.0.0.1".into()),
            before: None,
            after: Some(serde_json::json!({"name": "第一党支部", "kind": "branch"})),
        }
    }

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let e = AuditEntry::new(seq, 1_000 * seq, record("org.create"), prev.clone());
                prev.clone_from(&e.hash);
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let mut v = ChainVerifier::default();
        for e in chain(5) {
            v.check(&e).unwrap();
        }
        assert_eq!(v.checked, 5);
    }

    #[test]
    fn a_changed_or_removed_entry_breaks_the_chain_痕迹管理() {
        let mut entries = chain(4);
        entries[2].record.after = Some(serde_json::json!({"name": "改过的名字"}));
        let mut v = ChainVerifier::default();
        let err = entries.iter().try_for_each(|e| v.check(e)).unwrap_err();
        assert_eq!(err, ChainBreak::Altered { seq: 3 });

        let mut entries = chain(4);
        entries.remove(1);
        let mut v = ChainVerifier::default();
        let err = entries.iter().try_for_each(|e| v.check(e)).unwrap_err();
        assert_eq!(err, ChainBreak::Unlinked { seq: 3 });
    }

    #[test]
    fn key_order_does_not_change_the_hash() {
        let mut a = record("x");
        let mut b = record("x");
        a.after = serde_json::from_str(r#"{"a":1,"b":2}"#).ok();
        b.after = serde_json::from_str(r#"{"b":2,"a":1}"#).ok();
        assert_eq!(entry_hash(1, 1, &a, GENESIS), entry_hash(1, 1, &b, GENESIS));
    }
}
