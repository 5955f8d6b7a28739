//! Attachments (附件): evidence files of any record, stored by content hash in the data folder,
//! checked against their hash on every read, and readable only within scope.

use crate::{Actor, AppError, Result};
use dangjian_domain::development::trail::DEVELOPMENT_STEP;
use dangjian_domain::ids::{MeetingId, OrgId, PersonId};
use dangjian_domain::meetings::trail::MEETING;
use dangjian_domain::org::OrgPath;
use dangjian_domain::org::trail::ORG;
use dangjian_domain::platform::attachment::{accept, clean_file_name};
use dangjian_domain::platform::audit::RecordKind;
use dangjian_domain::platform::role::Action;
use dangjian_store::attachment::{self as store, Attachment};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Where an upload goes, to decide before it is read whether it may and how large.
#[derive(Debug, Clone, Copy)]
pub enum UploadTarget {
    /// Evidence of a record (`org`, `meeting`).
    Record(RecordKind, i64),
    /// A document of a person's development step: (person, step).
    StepDocument(PersonId, i64),
    /// A roster to import.
    Roster,
}

capability!(
    /// 附件: uploads and downloads of files beside records.
    AttachmentCases,
    attachments
);

impl AttachmentCases<'_> {
    /// The organization a record belongs to, if the actor may do `action` there.
    async fn record_org(
        self,
        actor: &Actor,
        entity: RecordKind,
        entity_id: i64,
        action: Action,
    ) -> Result<OrgPath> {
        match entity {
            ORG => Ok(dangjian_store::org::find(
                self.store.db(),
                &actor.access,
                action,
                OrgId::new(entity_id),
            )
            .await?
            .ok_or(AppError::NotFound)?
            .path),
            MEETING => Ok(dangjian_store::meetings::find(
                self.store.db(),
                &actor.access,
                MeetingId::new(entity_id),
            )
            .await?
            .ok_or(AppError::NotFound)?
            .into_inner()
            .org_path),
            // A step's evidence lies with its person, wherever the person is now.
            DEVELOPMENT_STEP => {
                let db = self.store.db();
                let step = dangjian_store::development::find(db, entity_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                Ok(
                    dangjian_store::people::find(db, &actor.access, action, step.person_id)
                        .await?
                        .ok_or(AppError::NotFound)?
                        .org_path,
                )
            }
            _ => Err(AppError::NotFound),
        }
    }

    /// The organization of a record the actor may add evidence to.
    async fn writable_record_org(
        self,
        actor: &Actor,
        entity: RecordKind,
        entity_id: i64,
    ) -> Result<OrgPath> {
        let path = self
            .record_org(actor, entity, entity_id, Action::ReadRecords)
            .await?;
        if !actor.access.can_at(Action::WriteRecords, &path) {
            return Err(AppError::Forbidden("为该记录上传附件"));
        }
        Ok(path)
    }

    /// How many bytes the actor may send to `target`, decided before the upload is read:
    /// someone who may not upload there, or a file larger than the setting, is refused
    /// without the body ever reaching memory.
    pub async fn upload_limit(self, actor: &Actor, target: UploadTarget) -> Result<u64> {
        match target {
            UploadTarget::Record(entity, id) => {
                self.writable_record_org(actor, entity, id).await?;
            }
            UploadTarget::StepDocument(person_id, step_id) => {
                self.step_of(person_id, step_id).await?;
                self.writable_record_org(actor, DEVELOPMENT_STEP, step_id)
                    .await?;
            }
            UploadTarget::Roster => {
                // The organization is a field of the form: checked again with the file.
                if actor.access.scopes(Action::WriteRecords).is_empty() {
                    return Err(AppError::Forbidden("导入名册"));
                }
                return Ok(crate::roster::MAX_FILE_BYTES);
            }
        }
        Ok(self.settings().current().await?.max_upload_bytes())
    }

    /// A recorded step of a person; a step of someone else is as if it did not exist.
    async fn step_of(
        self,
        person_id: PersonId,
        step_id: i64,
    ) -> Result<dangjian_domain::development::StepRecord> {
        dangjian_store::development::find(self.store.db(), step_id)
            .await?
            .filter(|s| s.person_id == person_id)
            .ok_or(AppError::NotFound)
    }

    fn blob_path(self, sha256: &str) -> PathBuf {
        self.data_dir
            .join("attachments")
            .join(&sha256[..2])
            .join(sha256)
    }

    /// Keeps a file as evidence of a record.
    pub async fn upload(
        self,
        actor: &Actor,
        entity: RecordKind,
        entity_id: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Attachment> {
        self.keep_attachment(actor, (entity, entity_id), None, file_name, bytes)
            .await
    }

    /// Keeps a file as one of the documents a development step asks for (`label`, as
    /// 入党申请书), or as other evidence of it.
    /// The step is named with its person, as the address does: a step of someone else is as
    /// if it did not exist.
    pub async fn upload_step_document(
        self,
        actor: &Actor,
        (person_id, step_id): (PersonId, i64),
        label: Option<&str>,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Attachment> {
        let step = self.step_of(person_id, step_id).await?;
        let label = label
            .map(|l| dangjian_domain::text::single_line(l, "label", "材料名称", 60))
            .transpose()?;
        self.keep_attachment(actor, (DEVELOPMENT_STEP, step.id), label, file_name, bytes)
            .await
    }

    /// Keeps a photo of a meeting (签到、会场): images only.
    pub async fn upload_meeting_photo(
        self,
        actor: &Actor,
        meeting_id: MeetingId,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Attachment> {
        if !infer::get(bytes).is_some_and(|t| t.mime_type().starts_with("image/")) {
            return Err(dangjian_domain::FieldError::new(
                "file",
                "照片",
                "只接受照片（JPG、PNG、GIF、WebP）",
            )
            .into());
        }
        self.keep_attachment(actor, (MEETING, meeting_id.get()), None, file_name, bytes)
            .await
    }

    async fn keep_attachment(
        self,
        actor: &Actor,
        (entity, entity_id): (RecordKind, i64),
        label: Option<String>,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Attachment> {
        let settings = self.settings().current().await?;
        let file_name = clean_file_name(file_name);
        let content_type = accept(
            &file_name,
            infer::get(bytes).map(|t| t.mime_type()),
            bytes.len() as u64,
            settings.max_upload_bytes(),
        )?;
        let org_path = self.writable_record_org(actor, entity, entity_id).await?;
        let sha256 = hex::encode(Sha256::digest(bytes));
        self.write_blob(&sha256, bytes).await?;
        let attachment = Attachment {
            id: self.new_id(),
            sha256,
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            content_type: content_type.to_owned(),
            file_name,
            entity: entity.code.to_owned(),
            entity_id,
            org_path: org_path.as_str().to_owned(),
            uploaded_by: actor
                .account_id
                .ok_or(AppError::Forbidden("命令行不能上传附件"))?,
            created_at: self.clock.now(),
            label,
        };
        let tx = self.store.begin_write().await?;
        store::insert(&tx, &attachment).await?;
        let record = actor.record(
            dangjian_domain::platform::audit::trail::ATTACHMENT_CREATE,
            Some(attachment.id),
            Some(org_path.as_str()),
            None,
            Some(json!({
                "record": format!("{}:{entity_id}", entity.code),
                "label": attachment.label,
                "file_name": attachment.file_name,
                "sha256": attachment.sha256,
                "size": attachment.size,
            })),
        );
        self.finish(tx, record).await?;
        Ok(attachment)
    }

    /// Writes the content once: to a temporary file, synced, then renamed into place, so a
    /// crash leaves either nothing or the whole file.
    pub(crate) async fn write_blob(self, sha256: &str, bytes: &[u8]) -> Result<()> {
        let path = self.blob_path(sha256);
        if tokio::fs::try_exists(&path).await.map_err(store_io)? {
            return Ok(());
        }
        let dir = path.parent().map(PathBuf::from).unwrap_or_default();
        let bytes = bytes.to_vec();
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            use std::io::Write;
            std::fs::create_dir_all(&dir)?;
            let mut tmp = tempfile_in(&dir)?;
            tmp.1.write_all(&bytes)?;
            tmp.1.sync_all()?;
            std::fs::rename(&tmp.0, &path)?;
            Ok(())
        })
        .await
        .map_err(|e| AppError::internal("无法保存附件，请稍后重试", e))?
        .map_err(store_io)
    }

    pub async fn of(
        self,
        actor: &Actor,
        entity: RecordKind,
        entity_id: i64,
    ) -> Result<Vec<Attachment>> {
        Ok(store::of_record(self.store.db(), &actor.access, entity, entity_id).await?)
    }

    /// An attachment and its content, checked against its hash.
    pub async fn download(self, actor: &Actor, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let attachment = store::find(self.store.db(), &actor.access, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let bytes = self.read_blob(&attachment.sha256).await?;
        self.audit()
            .record_download(
                actor,
                (
                    dangjian_domain::platform::audit::trail::ATTACHMENT_DOWNLOAD,
                    Some(attachment.id),
                ),
                Some(&attachment.org_path),
                json!({
                    "record": format!("{}:{}", attachment.entity, attachment.entity_id),
                    "file_name": attachment.file_name,
                    "label": attachment.label,
                }),
            )
            .await?;
        Ok((attachment, bytes))
    }

    /// A stored content, checked against its hash.
    pub(crate) async fn read_blob(self, sha256: &str) -> Result<Vec<u8>> {
        let bytes = tokio::fs::read(self.blob_path(sha256))
            .await
            .map_err(store_io)?;
        if hex::encode(Sha256::digest(&bytes)) != sha256 {
            tracing::error!(sha256, "stored content does not match its hash");
            return Err(AppError::Integrity(
                "附件文件已损坏（内容与登记的哈希不符），请联系管理员从备份恢复".to_owned(),
            ));
        }
        Ok(bytes)
    }

    /// Deletes a content nobody else refers to (a staged import, sealed under its own nonce).
    pub(crate) async fn remove_blob(self, sha256: &str) {
        if let Err(e) = tokio::fs::remove_file(self.blob_path(sha256)).await {
            tracing::warn!(sha256, error = %e, "could not remove a staged file");
        }
    }
}

fn store_io(e: std::io::Error) -> AppError {
    AppError::Store(dangjian_store::StoreError::Io(e))
}

/// A new file with a random name in `dir`.
fn tempfile_in(dir: &std::path::Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let path = dir.join(format!(".upload-{}", crate::secret::token()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    Ok((path, file))
}
