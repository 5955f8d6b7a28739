//! The audit trail (痕迹管理): every write leaves an entry, and so do refusals and files that
//! carry people's data out; each entry is chained to the one before by a keyed hash, so that
//! changing or removing any row breaks the chain.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A kind of record the trail names (`org`, `meeting`…), with its label for the auditor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordKind {
    /// As the trail keeps it.
    pub code: &'static str,
    pub label: &'static str,
}

/// An act the trail records: its code as the trail keeps it (`module.verb`), its label for the
/// auditor, and the kind of record it writes. Each capability declares its own with
/// `audit_trail!`; the app registers every capability's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AuditAction {
    pub code: &'static str,
    pub label: &'static str,
    pub entity: RecordKind,
}

/// Declares the kinds of record and the acts a capability leaves in the trail, as constants,
/// with `KINDS` and `ACTS` listing them for the registry.
#[macro_export]
macro_rules! audit_trail {
    (
        kinds { $($(#[$km:meta])* $kind:ident = ($kcode:literal, $klabel:literal)),* $(,)? }
        acts { $($(#[$am:meta])* $act:ident = ($acode:literal, $alabel:literal, $akind:expr)),+ $(,)? }
    ) => {
        $($(#[$km])* pub const $kind: $crate::platform::audit::RecordKind =
            $crate::platform::audit::RecordKind { code: $kcode, label: $klabel };)*
        $($(#[$am])* pub const $act: $crate::platform::audit::AuditAction =
            $crate::platform::audit::AuditAction { code: $acode, label: $alabel, entity: $akind };)+
        /// The kinds of record this capability names first.
        pub const KINDS: &[$crate::platform::audit::RecordKind] = &[$($kind),*];
        /// The acts this capability leaves in the trail.
        pub const ACTS: &[$crate::platform::audit::AuditAction] = &[$($act),+];
    };
}

/// The platform's own acts: accounts, grants, tokens, settings, files, messages and refusals.
pub mod trail {
    crate::audit_trail! {
        kinds {
            ACCOUNT = ("account", "账号"),
            GRANT = ("grant", "授权"),
            API_TOKEN = ("api_token", "API 令牌"),
            SETTING = ("setting", "系统设置"),
            ATTACHMENT = ("attachment", "附件"),
            REQUEST = ("request", "请求"),
            /// A scheduled job of the server (the digests).
            JOB = ("job", "定时任务"),
            CALENDAR = ("calendar", "节假日安排"),
        }
        acts {
            SIGN_IN = ("account.sign_in", "登录", ACCOUNT),
            SIGN_IN_FAILED = ("account.sign_in_failed", "登录失败", ACCOUNT),
            SIGN_OUT = ("account.sign_out", "退出登录", ACCOUNT),
            CHANGE_PASSWORD = ("account.change_password", "修改密码", ACCOUNT),
            CREATE_ACCOUNT = ("account.create", "建立账号", ACCOUNT),
            ACTIVATE = ("account.activate", "本人激活账号", ACCOUNT),
            ISSUE_ACTIVATION_CODE = ("account.issue_activation_code", "签发激活码", crate::people::trail::PERSON),
            OPEN_FOR_PERSON = ("account.open_for_person", "为名册人员开通账号", ACCOUNT),
            RESET_PASSWORD = ("account.reset_password", "重置密码", ACCOUNT),
            DISABLE = ("account.disable", "停用账号", ACCOUNT),
            ENABLE = ("account.enable", "启用账号", ACCOUNT),
            GRANT_CREATE = ("grant.create", "授权", GRANT),
            GRANT_REVOKE = ("grant.revoke", "收回授权", GRANT),
            API_TOKEN_CREATE = ("api_token.create", "创建 API 令牌", API_TOKEN),
            API_TOKEN_REVOKE = ("api_token.revoke", "撤销 API 令牌", API_TOKEN),
            SETTING_UPDATE = ("setting.update", "修改设置", SETTING),
            RULES_VERSION = ("rules.version", "发布规则版本", SETTING),
            HOLIDAY_SET = ("calendar.set", "登记节假日安排", CALENDAR),
            HOLIDAY_REMOVE = ("calendar.remove", "删除节假日安排", CALENDAR),
            ATTACHMENT_CREATE = ("attachment.create", "上传附件", ATTACHMENT),
            ATTACHMENT_DOWNLOAD = ("attachment.download", "下载附件", ATTACHMENT),
            ACCESS_REFUSED = ("access.refused", "无权访问被拒绝", REQUEST),
            NOTIFICATION_READ = ("notification.read", "阅读消息", ACCOUNT),
            DEMO_TREE = ("demo.tree", "生成演示组织", crate::org::trail::ORG),
            DEMO_ACCOUNT = ("demo.account", "生成演示账号", ACCOUNT),
            DEMO_ROSTER = ("roster.build", "生成演示名册", crate::org::trail::ORG),
        }
    }
}

/// The hash that stands before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a write records, before it is placed in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub actor_id: Option<crate::ids::AccountId>,
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

/// The key of the chain: kept outside the database (derived from the platform's secret key),
/// so that someone with only the database file cannot re-chain an edited trail.
#[derive(Clone)]
pub struct AuditKey([u8; 32]);

impl AuditKey {
    pub fn new(key: [u8; 32]) -> Self {
        Self(key)
    }

    /// A MAC of `text` under this key, as hex.
    pub fn sign(&self, text: &str) -> String {
        use hmac::Mac;
        let mut mac =
            <hmac::Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key size");
        mac.update(text.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

/// Hashes of the keyed chain carry this mark; entries written before the chain was keyed
/// (plain SHA-256) may only stand before the first keyed one.
pub const KEYED: &str = "k1:";

/// The hash of an entry: over its position, time, content and the previous hash, in one
/// canonical JSON form so that any engine's round trip yields the same bytes, keyed.
pub fn entry_hash(
    key: &AuditKey,
    seq: i64,
    at_ms: i64,
    record: &AuditRecord,
    prev_hash: &str,
) -> String {
    format!(
        "{KEYED}{}",
        key.sign(&canonical(seq, at_ms, record, prev_hash))
    )
}

/// The unkeyed hash of the entries written before the chain was keyed.
fn legacy_hash(seq: i64, at_ms: i64, record: &AuditRecord, prev_hash: &str) -> String {
    hex::encode(Sha256::digest(
        canonical(seq, at_ms, record, prev_hash).as_bytes(),
    ))
}

fn canonical(seq: i64, at_ms: i64, record: &AuditRecord, prev_hash: &str) -> String {
    serde_json::json!([
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
    ])
    .to_string()
}

/// The head of the chain at a moment, signed with the chain's key and kept outside the
/// database (and beside every backup): a trail cut after it, or rewritten before it, no
/// longer reaches it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at_ms: i64,
    pub mac: String,
}

impl Checkpoint {
    pub fn new(key: &AuditKey, seq: i64, hash: String, at_ms: i64) -> Self {
        let mac = key.sign(&format!("checkpoint:{seq}:{hash}:{at_ms}"));
        Self {
            seq,
            hash,
            at_ms,
            mac,
        }
    }

    /// Whether this checkpoint was signed with `key` as it reads.
    pub fn is_signed_by(&self, key: &AuditKey) -> bool {
        Self::new(key, self.seq, self.hash.clone(), self.at_ms).mac == self.mac
    }
}

/// JSON text with keys in one order whatever the engine gave back.
fn canonical_json(value: &serde_json::Value) -> String {
    // serde_json's Map is a BTreeMap without the preserve_order feature: keys come out sorted.
    value.to_string()
}

impl AuditEntry {
    pub fn new(
        key: &AuditKey,
        seq: i64,
        at_ms: i64,
        record: AuditRecord,
        prev_hash: String,
    ) -> Self {
        let hash = entry_hash(key, seq, at_ms, &record, &prev_hash);
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
    #[error("审计检查点签名无效：检查点文件被改动，或本机密钥不是写入它的密钥")]
    ForgedCheckpoint,
    #[error("审计日志在第 {seq} 条检查点之后被截断或改写：检查点记录的第 {seq} 条已不在日志中")]
    Truncated { seq: i64 },
}

/// Walks the chain in order, carrying the previous entry's sequence number and hash.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    key: AuditKey,
    prev_seq: i64,
    prev_hash: String,
    keyed: bool,
    pub checked: u64,
}

impl ChainVerifier {
    pub fn new(key: AuditKey) -> Self {
        Self {
            key,
            prev_seq: 0,
            prev_hash: GENESIS.to_owned(),
            keyed: false,
            checked: 0,
        }
    }

    pub fn check(&mut self, entry: &AuditEntry) -> Result<(), ChainBreak> {
        let (seq, at, r, prev) = (entry.seq, entry.at_ms, &entry.record, &entry.prev_hash);
        let keyed = entry.hash.starts_with(KEYED);
        let expected = if keyed {
            entry_hash(&self.key, seq, at, r, prev)
        } else {
            legacy_hash(seq, at, r, prev)
        };
        // Once keyed, always keyed: an unkeyed entry after a keyed one is a forgery.
        if entry.hash != expected || (self.keyed && !keyed) {
            return Err(ChainBreak::Altered { seq });
        }
        if seq != self.prev_seq + 1 || *prev != self.prev_hash {
            return Err(ChainBreak::Unlinked { seq });
        }
        self.keyed |= keyed;
        self.prev_seq = seq;
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
            actor_id: Some(crate::ids::AccountId::new(1)),
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

    fn key() -> AuditKey {
        AuditKey::new([7; 32])
    }

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let e =
                    AuditEntry::new(&key(), seq, 1_000 * seq, record("org.create"), prev.clone());
                prev.clone_from(&e.hash);
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let mut v = ChainVerifier::new(key());
        for e in chain(5) {
            v.check(&e).unwrap();
        }
        assert_eq!(v.checked, 5);
    }

    #[test]
    fn a_changed_or_removed_entry_breaks_the_chain_痕迹管理() {
        let mut entries = chain(4);
        entries[2].record.after = Some(serde_json::json!({"name": "改过的名字"}));
        let mut v = ChainVerifier::new(key());
        let err = entries.iter().try_for_each(|e| v.check(e)).unwrap_err();
        assert_eq!(err, ChainBreak::Altered { seq: 3 });

        let mut entries = chain(4);
        entries.remove(1);
        let mut v = ChainVerifier::new(key());
        let err = entries.iter().try_for_each(|e| v.check(e)).unwrap_err();
        assert_eq!(err, ChainBreak::Unlinked { seq: 3 });
    }

    #[test]
    fn key_order_does_not_change_the_hash() {
        let mut a = record("x");
        let mut b = record("x");
        a.after = serde_json::from_str(r#"{"a":1,"b":2}"#).ok();
        b.after = serde_json::from_str(r#"{"b":2,"a":1}"#).ok();
        assert_eq!(
            entry_hash(&key(), 1, 1, &a, GENESIS),
            entry_hash(&key(), 1, 1, &b, GENESIS)
        );
    }

    #[test]
    fn an_edit_re_chained_without_the_key_is_found_痕迹管理() {
        // A forger with the database but not the key recomputes every hash after the edit.
        let mut entries = chain(4);
        let forger = AuditKey::new([9; 32]);
        entries[1].record.after = Some(serde_json::json!({"name": "改过的名字"}));
        for i in 1..entries.len() {
            let prev = entries[i - 1].hash.clone();
            let e = &entries[i];
            entries[i] = AuditEntry::new(&forger, e.seq, e.at_ms, e.record.clone(), prev);
        }
        let mut v = ChainVerifier::new(key());
        let err = entries.iter().try_for_each(|e| v.check(e)).unwrap_err();
        assert_eq!(err, ChainBreak::Altered { seq: 2 });
        // Nor can an unkeyed entry be appended after keyed ones.
        let mut entries = chain(3);
        let prev = entries[2].hash.clone();
        let mut forged = AuditEntry::new(&key(), 4, 4_000, record("org.create"), prev.clone());
        forged.hash = legacy_hash(4, 4_000, &forged.record, &prev);
        entries.push(forged);
        let mut v = ChainVerifier::new(key());
        let err = entries.iter().try_for_each(|e| v.check(e)).unwrap_err();
        assert_eq!(err, ChainBreak::Altered { seq: 4 });
    }

    #[test]
    fn a_checkpoint_holds_only_under_its_key() {
        let cp = Checkpoint::new(&key(), 10, "k1:abc".into(), 5);
        assert!(cp.is_signed_by(&key()));
        assert!(!cp.is_signed_by(&AuditKey::new([9; 32])));
        let moved = Checkpoint { seq: 9, ..cp };
        assert!(!moved.is_signed_by(&key()));
    }
}
