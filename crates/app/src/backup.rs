//! Restoring a whole backup (SQLite): the copy is checked in a staging folder before it
//! replaces anything — that it is one of ours, that its personal data opens with the key the
//! platform will run with, and that its audit trail holds up to the checkpoint taken with it.

use crate::audit::CHECKPOINT_FILE;
use crate::{App, AppError, DbConfig, Result};
use dangjian_domain::clock::Clock;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a backup's audit checkpoint is kept: beside it, named after it.
pub fn checkpoint_beside(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".audit-checkpoint");
    PathBuf::from(name)
}

/// The database file of a data folder.
pub const DATABASE_FILE: &str = "dangjian.db";

fn refused(message: impl Into<String>) -> AppError {
    AppError::Integrity(message.into())
}

/// Stages `backup` in `staging` (made afresh) and checks it with the key of the live data
/// folder `live`: the staged database and checkpoint, ready to be moved into place, or why the
/// copy cannot be restored. Nothing of `live` is touched.
pub async fn stage_restore(
    live: &Path,
    backup: &Path,
    staging: &Path,
    clock: Arc<dyn Clock>,
) -> Result<()> {
    let io = |e: std::io::Error| refused(format!("无法准备恢复：{e}"));
    let _ = std::fs::remove_dir_all(staging);
    std::fs::create_dir_all(staging).map_err(io)?;
    std::fs::copy(backup, staging.join(DATABASE_FILE))
        .map_err(|e| refused(format!("无法读取备份文件：{e}")))?;
    let key = live.join(crate::pii::KEY_FILE);
    if key.is_file() {
        std::fs::copy(&key, staging.join(crate::pii::KEY_FILE)).map_err(io)?;
    }
    let checkpoint = checkpoint_beside(backup);
    if checkpoint.is_file() {
        std::fs::copy(&checkpoint, staging.join(CHECKPOINT_FILE)).map_err(io)?;
    }
    let config = DbConfig::Sqlite {
        data_dir: staging.to_owned(),
    };
    let check = App::open(config, staging.to_owned(), clock)
        .await
        .map_err(|_| refused("备份文件不是有效的平台数据库"))?;
    let fits = check.audit().key_fits().await;
    let verified = check.audit().verify().await;
    check.store().clone().close().await?;
    let outcome = match (fits?, verified?) {
        (false, _) => Err(refused(
            "备份无法用本机密钥解密（身份证号打不开，或审计检查点不是本机密钥签署的）：\
             请把做备份时数据目录中的 secret.key 放回数据目录（或设置相同的 \
             DANGJIAN_SECRET_KEY）后再恢复；现有数据未被改动",
        )),
        (true, Err(brk)) => Err(refused(format!(
            "备份中的审计日志校验失败：{brk}；现有数据未被改动"
        ))),
        (true, Ok(_)) => Ok(()),
    };
    if outcome.is_err() {
        let _ = std::fs::remove_dir_all(staging);
    }
    outcome
}
