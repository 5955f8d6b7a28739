//! The roster as a spreadsheet (党员名册的导入导出): the template, import with every row
//! checked and a preview before anything is written, rollback of the latest batch, export.
//!
//! An import is all or nothing: a file with any bad row imports nothing, and an applied
//! batch is written in one transaction. The uploaded file is kept sealed (it holds whole ID
//! numbers) between the preview and the confirmation, then deleted.

use crate::people::PeopleCases;
use crate::people::PeopleQuery;
use crate::sheet;
use crate::{Actor, App, AppError, Result};
use calamine::Data;
use dangjian_domain::DomainError;
use dangjian_domain::ids::OrgId;
use dangjian_domain::org::{Org, OrgKind};
pub use dangjian_domain::people::roster::BatchState;
use dangjian_domain::people::{PersonDraft, PersonInput, PersonStatus};
use dangjian_domain::platform::audit::AuditAction;
use dangjian_domain::platform::role::Action;
use dangjian_store::import::{self as batch_store, Batch};
use dangjian_store::org as org_store;
use dangjian_store::people::{self as people_store, PersonRecord};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The most rows one file may hold; larger rosters are imported in parts.
pub const MAX_ROWS: usize = 100_000;

/// The template's columns, in order: the header people see and the field it fills.
pub const COLUMNS: [(&str, &str); 18] = [
    ("姓名", "name"),
    ("身份证号", "national_id"),
    ("民族", "ethnicity"),
    ("籍贯", "native_place"),
    ("学历", "education"),
    ("学位", "degree"),
    ("职称级别", "title_level"),
    ("职称", "title"),
    ("人员类别", "category"),
    ("院系", "school"),
    ("班级", "class_name"),
    ("工号/学号", "staff_no"),
    ("联系电话", "phone"),
    ("政治面貌", "status"),
    ("入党日期", "join_date"),
    ("转正日期", "confirmation_date"),
    ("所在党支部", "org"),
    ("所在党小组", "group"),
];

/// One problem of one row: the spreadsheet's row number (the header is row 1) and the column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// What an import would do, or why it cannot.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportPreview {
    pub batch_id: Option<i64>,
    pub file_name: String,
    pub rows: usize,
    /// New people by branch name.
    pub by_org: Vec<(String, u64)>,
    pub by_status: Vec<(PersonStatus, u64)>,
    /// Every bad row and field; when not empty nothing can be imported.
    pub errors: Vec<RowError>,
}

/// How far an applying batch has come.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// Progress of the imports running in this process, by batch.
#[derive(Debug, Default, Clone)]
pub(crate) struct ImportProgress(Arc<Mutex<HashMap<i64, Progress>>>);

impl ImportProgress {
    fn set(&self, id: i64, p: Progress) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(id, p);
        }
    }

    fn get(&self, id: i64) -> Option<Progress> {
        self.0.lock().ok().and_then(|m| m.get(&id).copied())
    }

    fn clear(&self, id: i64) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(&id);
        }
    }
}

/// A batch as the imports page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BatchView {
    pub id: i64,
    pub file_name: String,
    pub rows: u64,
    pub state: BatchState,
    pub org_name: String,
    pub created_at: String,
    /// When it was staged, for a program (`created_at` is for a person).
    pub created: chrono::DateTime<chrono::Utc>,
    pub message: Option<String>,
    pub may_rollback: bool,
    pub progress: Option<Progress>,
}

fn file_error(message: impl Into<String>) -> AppError {
    sheet::file_error("名册文件", message).into()
}

/// The largest roster file accepted: a 100,000-row roster is about 10 MB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The most a roster file may unpack to: a 100,000-row roster is about 70 MB of XML.
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// Reads the first sheet's rows as text, refusing what an honest roster does not hold:
/// another header, merged cells, formulas, too many rows, a package that unpacks too large.
fn read_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let limits = sheet::Limits {
        rows: MAX_ROWS + 1,
        columns: COLUMNS.len(),
        unpacked_bytes: MAX_UNPACKED_BYTES,
    };
    let cells = sheet::first_sheet(bytes, limits, "名册文件")?;
    if cells
        .first()
        .is_none_or(|header| header.iter().all(|c| *c == Data::Empty))
    {
        return Err(file_error("表头应从第 1 行第 1 列（A1）开始，与模板一致"));
    }
    let mut rows = Vec::with_capacity(cells.len());
    for (i, row) in cells.iter().enumerate() {
        let mut texts = Vec::with_capacity(row.len());
        for (j, cell) in row.iter().enumerate() {
            texts.push(cell_text(cell, i, j)?);
        }
        rows.push(texts);
    }
    Ok(rows)
}

/// A cell as the text a person would have typed.
fn cell_text(cell: &Data, row: usize, col: usize) -> Result<String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(n) => n.to_string(),
        // An 18-digit ID number typed as a number has lost its last digits already.
        Data::Float(f) if COLUMNS[col].1 == "national_id" && *f >= 1e15 => {
            return Err(file_error(format!(
                "第 {} 行的身份证号是数字格式，已丢失精度；请把该列设为文本后重新填写",
                row + 1
            )));
        }
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|dt| dt.date().to_string())
            .unwrap_or_default(),
        Data::Error(_) => {
            return Err(file_error(format!(
                "第 {} 行第 {} 列是错误值（如 #N/A），请改正后再导入",
                row + 1,
                col + 1
            )));
        }
    })
}

fn input_of(cells: &[String]) -> PersonInput {
    let c = |i: usize| cells[i].clone();
    PersonInput {
        name: c(0),
        national_id: c(1),
        ethnicity: c(2),
        native_place: c(3),
        education: c(4),
        degree: c(5),
        title_level: c(6),
        title: c(7),
        category: c(8),
        school: c(9),
        class_name: c(10),
        staff_no: c(11),
        phone: c(12),
        status: c(13),
        join_date: c(14),
        confirmation_date: c(15),
    }
}

fn column_label(field: &str) -> String {
    COLUMNS
        .iter()
        .find(|(_, f)| *f == field)
        .map_or_else(|| field.to_owned(), |(h, _)| (*h).to_owned())
}

/// A checked row: the person, and the indexes of their branch and group in the lookup.
struct CheckedRow {
    draft: PersonDraft,
    org: Org,
    group: Option<Org>,
}

impl PeopleCases<'_> {
    /// The template: the header, one example row and a sheet of the values each column takes.
    pub fn roster_template(self) -> Result<Vec<u8>> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let text = Format::new().set_num_format("@");
        let sheet = book.add_worksheet();
        sheet.set_name("名册").map_err(xlsx_error)?;
        for (i, (header, _)) in COLUMNS.iter().enumerate() {
            let col = i as u16;
            sheet
                .write_string_with_format(0, col, *header, &bold)
                .map_err(xlsx_error)?;
            sheet.set_column_width(col, 14).map_err(xlsx_error)?;
            // Every column is text, so ID numbers and dates keep what was typed.
            sheet.set_column_format(col, &text).map_err(xlsx_error)?;
        }
        let example = [
            "张三",
            "11010519491231002X",
            "汉族",
            "北京东城",
            "硕士研究生",
            "硕士",
            "中级",
            "讲师",
            "教职工",
            "",
            "",
            "T2010001",
            "13800138000",
            "正式党员",
            "2012-06-01",
            "2013-06-01",
            "（所在党支部的全称）",
            "",
        ];
        for (i, v) in example.iter().enumerate() {
            sheet.write_string(1, i as u16, *v).map_err(xlsx_error)?;
        }
        let help = book.add_worksheet();
        help.set_name("填写说明").map_err(xlsx_error)?;
        let notes: [(&str, String); 10] = [
            (
                "身份证号",
                "18 位，按 GB 11643 校验；出生日期和性别由此读出".to_owned(),
            ),
            ("民族", "56 个民族的全称，如 汉族、回族".to_owned()),
            ("学历", dangjian_domain::people::Education::labels()),
            ("学位", dangjian_domain::people::Degree::labels()),
            ("职称级别", dangjian_domain::people::TitleLevel::labels()),
            (
                "人员类别",
                dangjian_domain::people::PersonCategory::labels(),
            ),
            ("政治面貌", PersonStatus::labels()),
            (
                "日期",
                "写作 2024-09-01；入党须年满十八岁，转正在入党一年之后".to_owned(),
            ),
            (
                "所在党支部",
                "系统中党支部的全称；所在党小组可空，须为该支部的党小组".to_owned(),
            ),
            (
                "其他",
                format!("学生须填院系；每次至多 {MAX_ROWS} 行；不要合并单元格或使用公式"),
            ),
        ];
        help.set_column_width(0, 14).map_err(xlsx_error)?;
        help.set_column_width(1, 90).map_err(xlsx_error)?;
        for (i, (k, v)) in notes.iter().enumerate() {
            help.write_string_with_format(i as u32, 0, *k, &bold)
                .map_err(xlsx_error)?;
            help.write_string(i as u32, 1, v).map_err(xlsx_error)?;
        }
        book.save_to_buffer().map_err(xlsx_error)
    }

    /// Checks every row of a roster against the rules and the tree; the branches must lie
    /// under `org_id`, where the actor keeps records.
    async fn check_roster(
        self,
        actor: &Actor,
        under: &Org,
        bytes: &[u8],
    ) -> Result<(Vec<CheckedRow>, Vec<RowError>, usize)> {
        let rows = read_rows(bytes)?;
        let Some((header, body)) = rows.split_first() else {
            return Err(file_error("文件是空的，请用下载的模板填写"));
        };
        for (i, (expected, _)) in COLUMNS.iter().enumerate() {
            if header[i] != *expected {
                return Err(file_error(format!(
                    "表头第 {} 列应为“{expected}”，实际为“{}”；请使用下载的模板",
                    i + 1,
                    header[i]
                )));
            }
        }
        let body: Vec<(usize, &Vec<String>)> = body
            .iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r))
            .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
            .collect();
        if body.is_empty() {
            return Err(file_error("模板中没有填写任何人员"));
        }
        // The organizations of the subtree, by name: branches, and groups by (branch, name).
        let db = self.store.db();
        let branches =
            org_store::all_of_kind(db, &actor.access, &under.path, OrgKind::Branch).await?;
        let groups = org_store::all_of_kind(db, &actor.access, &under.path, OrgKind::Group).await?;
        let mut branch_by_name: HashMap<&str, Vec<&Org>> = HashMap::new();
        for b in &branches {
            branch_by_name.entry(b.name.as_str()).or_default().push(b);
        }
        let group_by: HashMap<(OrgId, &str), &Org> = groups
            .iter()
            .filter_map(|g| g.parent_id.map(|p| ((p, g.name.as_str()), g)))
            .collect();

        let today = self.today();
        let mut errors = Vec::new();
        let mut checked = Vec::with_capacity(body.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (row, cells) in &body {
            let mut row_errors: Vec<RowError> = Vec::new();
            let mut push = |column: &str, message: String| {
                row_errors.push(RowError {
                    row: *row,
                    column: column.to_owned(),
                    message,
                });
            };
            let draft = match input_of(cells).parse(today) {
                Ok(d) => Some(d),
                Err(list) => {
                    for e in list {
                        match e {
                            DomainError::Field(f) => push(&column_label(f.field), f.message),
                            DomainError::Rule {
                                field,
                                message,
                                basis,
                                ..
                            } => push(
                                &field.map(column_label).unwrap_or_default(),
                                format!("{message}（{basis}）"),
                            ),
                        }
                    }
                    None
                }
            };
            let org = match branch_by_name.get(cells[16].as_str()).map(Vec::as_slice) {
                _ if cells[16].is_empty() => {
                    push("所在党支部", "不能为空".to_owned());
                    None
                }
                Some([one]) if actor.access.can_at(Action::WriteRecords, &one.path) => Some(*one),
                Some([_]) => {
                    push("所在党支部", "无权在该支部登记人员".to_owned());
                    None
                }
                Some([_, _, ..]) => {
                    push(
                        "所在党支部",
                        format!("“{}”有多个同名支部，请联系组织部", cells[16]),
                    );
                    None
                }
                _ => {
                    push(
                        "所在党支部",
                        format!("在{}下找不到党支部“{}”", under.name, cells[16]),
                    );
                    None
                }
            };
            let group = match (org, cells[17].as_str()) {
                (_, "") | (None, _) => None,
                (Some(o), name) => {
                    let g = group_by.get(&(o.id, name)).copied();
                    if g.is_none() {
                        push("所在党小组", format!("“{name}”不是{}的党小组", o.name));
                    }
                    g
                }
            };
            if let Some(d) = &draft
                && let Some(first) = seen.insert(d.national_id.as_str().to_owned(), *row)
            {
                push("身份证号", format!("与第 {first} 行重复"));
            }
            if let (true, Some(draft), Some(org)) = (row_errors.is_empty(), draft, org) {
                checked.push(CheckedRow {
                    draft,
                    org: org.clone(),
                    group: group.cloned(),
                });
            }
            errors.extend(row_errors);
        }
        // Already in the roster: checked in one pass over the keyed hashes.
        let indexes: Vec<String> = checked
            .iter()
            .map(|c| self.sealer.index(c.draft.national_id.as_str()))
            .collect();
        let existing = people_store::existing_indexes(db, &indexes).await?;
        if !existing.is_empty() {
            let rows_by_id: HashMap<&str, usize> =
                seen.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            for (c, index) in checked.iter().zip(&indexes) {
                if existing.contains(index) {
                    errors.push(RowError {
                        row: rows_by_id
                            .get(c.draft.national_id.as_str())
                            .copied()
                            .unwrap_or(0),
                        column: "身份证号".to_owned(),
                        message: "该号码已在名册中登记".to_owned(),
                    });
                }
            }
        }
        errors.sort_by_key(|e| e.row);
        Ok((checked, errors, body.len()))
    }

    /// Checks an uploaded roster and, when every row is good, stages it for confirmation.
    /// Nothing enters the roster here.
    pub async fn stage_import(
        self,
        actor: &Actor,
        org_id: OrgId,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<ImportPreview> {
        let under = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::WriteRecords, &under.path) {
            return Err(AppError::Forbidden("向该组织导入名册"));
        }
        let file_name = dangjian_domain::platform::attachment::clean_file_name(file_name);
        let (checked, errors, rows) = self.check_roster(actor, &under, bytes).await?;
        let mut by_org: HashMap<&str, u64> = HashMap::new();
        let mut by_status: HashMap<PersonStatus, u64> = HashMap::new();
        for c in &checked {
            *by_org.entry(c.org.name.as_str()).or_default() += 1;
            *by_status.entry(c.draft.status).or_default() += 1;
        }
        let mut by_org: Vec<(String, u64)> =
            by_org.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        by_org.sort();
        let by_status = PersonStatus::ALL
            .iter()
            .filter_map(|s| by_status.get(s).map(|n| (*s, *n)))
            .collect();
        let mut preview = ImportPreview {
            batch_id: None,
            file_name: file_name.clone(),
            rows,
            by_org,
            by_status,
            errors,
        };
        if !preview.errors.is_empty() {
            return Ok(preview);
        }
        // Kept sealed: the file holds whole ID numbers.
        let sealed = self.sealer.seal_bytes(bytes);
        let sha = hex::encode(Sha256::digest(&sealed));
        self.attachments().write_blob(&sha, &sealed).await?;
        let batch = Batch {
            id: self.new_id(),
            org_id: under.id,
            org_path: under.path.clone(),
            file_name,
            rows: rows as u64,
            state: BatchState::Staged,
            file_sha256: Some(sha),
            message: None,
            created_by: actor.account_id,
            created_at: self.now_ms(),
            applied_at: None,
            rolled_back_at: None,
        };
        let tx = self.store.begin_write().await?;
        batch_store::insert(&tx, &batch).await?;
        let audit = actor.record(
            dangjian_domain::people::trail::IMPORT_STAGE,
            Some(batch.id),
            Some(under.path.as_str()),
            None,
            Some(json!({ "file_name": batch.file_name, "rows": rows })),
        );
        self.finish(tx, audit).await?;
        preview.batch_id = Some(batch.id);
        Ok(preview)
    }

    /// Confirms a staged batch: checks the file again (the roster may have changed since the
    /// preview) and writes it whole in one transaction, in a task whose progress can be read.
    pub async fn apply_import(self, actor: &Actor, batch_id: i64) -> Result<()> {
        let batch = self
            .leave_staged(
                actor,
                batch_id,
                BatchState::Applying,
                dangjian_domain::people::trail::IMPORT,
            )
            .await?;
        self.progress.set(
            batch_id,
            Progress {
                done: 0,
                total: batch.rows,
            },
        );
        let app = App::clone(&self);
        let actor = actor.clone();
        tokio::spawn(async move {
            let outcome = app.people().write_batch(&actor, &batch).await;
            let (state, message) = match &outcome {
                Ok(n) => (BatchState::Applied, format!("已导入 {n} 人")),
                Err(e) => (BatchState::Failed, e.to_string()),
            };
            if let Err(e) = app
                .people()
                .end_batch(&actor, &batch, state, &message)
                .await
            {
                tracing::error!(batch = batch.id, error = %e, "could not record the end of an import");
            }
            app.progress.clear(batch.id);
        });
        Ok(())
    }

    async fn read_staged(self, batch: &Batch) -> Result<Vec<u8>> {
        let sha = batch
            .file_sha256
            .as_deref()
            .ok_or_else(|| file_error("批次没有文件"))?;
        let sealed = self.attachments().read_blob(sha).await?;
        self.sealer.open_bytes(&sealed)
    }

    /// Writes a batch's people in one transaction; returns how many.
    async fn write_batch(self, actor: &Actor, batch: &Batch) -> Result<u64> {
        let bytes = self.read_staged(batch).await?;
        let under = org_store::find(
            self.store.db(),
            &actor.access,
            Action::ReadOrg,
            batch.org_id,
        )
        .await?
        .ok_or(AppError::NotFound)?;
        let (checked, errors, _) = self.check_roster(actor, &under, &bytes).await?;
        if let Some(e) = errors.first() {
            return Err(file_error(format!(
                "确认前名册已有变化：第 {} 行 {}：{}（共 {} 处），请重新上传",
                e.row,
                e.column,
                e.message,
                errors.len()
            )));
        }
        let records: Vec<PersonRecord> = checked
            .iter()
            .map(|c| {
                self.new_record(
                    self.new_id(),
                    &c.draft,
                    &c.org,
                    c.group.as_ref(),
                    Some(batch.id),
                )
            })
            .collect();
        let periods: Vec<_> = records
            .iter()
            .map(|r| self.first_period(r, "导入名册"))
            .collect();
        let total = records.len() as u64;
        let mut tx = self.store.begin_write().await?;
        let now = self.now_ms();
        for (i, chunk) in records.chunks(2_000).enumerate() {
            people_store::insert_many(&tx, chunk, now).await?;
            let done = ((i + 1) * 2_000).min(records.len()) as u64;
            self.progress.set(batch.id, Progress { done, total });
        }
        people_store::insert_periods(&tx, &periods, now).await?;
        tx.audit(
            actor.record(
                dangjian_domain::people::trail::IMPORT_APPLY,
                Some(batch.id),
                Some(batch.org_path.as_str()),
                None,
                Some(json!({ "people": total })),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(total)
    }

    async fn end_batch(
        self,
        actor: &Actor,
        batch: &Batch,
        state: BatchState,
        message: &str,
    ) -> Result<()> {
        let tx = self.store.begin_write().await?;
        batch_store::transition(
            &tx,
            batch.id,
            BatchState::Applying,
            state,
            Some(message),
            self.now_ms(),
        )
        .await?;
        let audit = actor.record(
            dangjian_domain::people::trail::IMPORT_END,
            Some(batch.id),
            Some(batch.org_path.as_str()),
            None,
            Some(json!({ "state": state.code(), "message": message })),
        );
        self.finish(tx, audit).await?;
        if let Some(sha) = &batch.file_sha256 {
            self.attachments().remove_blob(sha).await;
        }
        Ok(())
    }

    /// Gives up a staged batch.
    pub async fn discard_import(self, actor: &Actor, batch_id: i64) -> Result<()> {
        let batch = self
            .leave_staged(
                actor,
                batch_id,
                BatchState::Discarded,
                dangjian_domain::people::trail::IMPORT_DISCARD,
            )
            .await?;
        if let Some(sha) = &batch.file_sha256 {
            self.attachments().remove_blob(sha).await;
        }
        Ok(())
    }

    /// Moves a staged batch on (to applying or discarded), once, audited.
    async fn leave_staged(
        self,
        actor: &Actor,
        batch_id: i64,
        to: BatchState,
        action: AuditAction,
    ) -> Result<Batch> {
        let batch = batch_store::find(self.store.db(), &actor.access, batch_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.access.can_at(Action::WriteRecords, &batch.org_path) {
            return Err(AppError::Forbidden("处理该批次"));
        }
        let tx = self.store.begin_write().await?;
        let moved =
            batch_store::transition(&tx, batch_id, BatchState::Staged, to, None, self.now_ms())
                .await?;
        if !moved {
            return Err(AppError::Conflict {
                field: "batch",
                message: "该批次已确认过或已放弃".to_owned(),
            });
        }
        let audit = actor.record(
            action,
            Some(batch_id),
            Some(batch.org_path.as_str()),
            None,
            Some(json!({ "rows": batch.rows })),
        );
        self.finish(tx, audit).await?;
        Ok(batch)
    }

    /// Rolls back the latest applied batch: removes its people, refused when any of them
    /// changed since (edited, transferred, given a seat) or a later batch was applied.
    pub async fn rollback_import(self, actor: &Actor, batch_id: i64) -> Result<u64> {
        let db = self.store.db();
        let batch = batch_store::find(db, &actor.access, batch_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.access.can_at(Action::WriteRecords, &batch.org_path) {
            return Err(AppError::Forbidden("撤销该批次"));
        }
        let tx = self.store.begin_write().await?;
        if batch_store::latest_applied(tx.conn()).await? != Some(batch_id) {
            return Err(AppError::Conflict {
                field: "batch",
                message: "只能撤销最近一次完成的导入".to_owned(),
            });
        }
        let (_, changed) = people_store::batch_state(tx.conn(), batch_id).await?;
        if changed > 0 {
            return Err(AppError::Conflict {
                field: "batch",
                message: format!("该批次中有 {changed} 人的信息导入后已被修改或转接，不能撤销"),
            });
        }
        let removed = people_store::delete_batch(&tx, batch_id)
            .await
            .map_err(|e| match e {
                // A seat, transfer or other record now points at one of them.
                dangjian_store::StoreError::Db(_) => AppError::Conflict {
                    field: "batch",
                    message: "该批次中有人员已被其他记录引用（如任职、转接），不能撤销".to_owned(),
                },
                other => other.into(),
            })?;
        batch_store::transition(
            &tx,
            batch_id,
            BatchState::Applied,
            BatchState::RolledBack,
            Some(&format!("已撤销，移除 {removed} 人")),
            self.now_ms(),
        )
        .await?;
        let audit = actor.record(
            dangjian_domain::people::trail::IMPORT_ROLLBACK,
            Some(batch_id),
            Some(batch.org_path.as_str()),
            None,
            Some(json!({ "removed": removed })),
        );
        self.finish(tx, audit).await?;
        Ok(removed)
    }

    /// The latest batches the actor may see.
    pub async fn import_batches(self, actor: &Actor) -> Result<Vec<BatchView>> {
        let batches = batch_store::recent(self.store.db(), &actor.access, 20).await?;
        self.batch_views(actor, batches).await
    }

    pub async fn import_batch(self, actor: &Actor, id: i64) -> Result<BatchView> {
        let batch = batch_store::find(self.store.db(), &actor.access, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut views = self.batch_views(actor, vec![batch]).await?;
        views.pop().ok_or(AppError::NotFound)
    }

    async fn batch_views(self, actor: &Actor, batches: Vec<Batch>) -> Result<Vec<BatchView>> {
        let db = self.store.db();
        let latest = batch_store::latest_applied(db).await?;
        let ids: Vec<OrgId> = batches.iter().map(|b| b.org_id).collect();
        let orgs = org_store::by_ids(db, &ids).await?;
        Ok(batches
            .into_iter()
            .map(|b| BatchView {
                org_name: orgs
                    .get(&b.org_id)
                    .map_or_else(String::new, |o| o.name.clone()),
                created_at: dangjian_domain::clock::display_time(
                    dangjian_domain::clock::from_unix_ms(b.created_at),
                ),
                created: dangjian_domain::clock::from_unix_ms(b.created_at),
                may_rollback: latest == Some(b.id)
                    && actor.access.can_at(Action::WriteRecords, &b.org_path),
                progress: self.progress.get(b.id),
                id: b.id,
                file_name: b.file_name,
                rows: b.rows,
                state: b.state,
                message: b.message,
            })
            .collect())
    }

    /// The roster of a query as a spreadsheet in the template's columns, so it can be
    /// imported again. ID numbers and phones are whole only for those who may see them, and
    /// then the export is audited as a showing.
    pub async fn export_people(self, actor: &Actor, query: &PeopleQuery) -> Result<Vec<u8>> {
        let filter = self.person_filter(actor, query).await?;
        let db = self.store.db();
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = book
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        sheet.set_name("名册").map_err(xlsx_error)?;
        for (i, (header, _)) in COLUMNS.iter().enumerate() {
            sheet
                .write_string_with_format(0, i as u16, *header, &bold)
                .map_err(xlsx_error)?;
            sheet.set_column_width(i as u16, 14).map_err(xlsx_error)?;
        }
        let mut rows: Vec<PersonRecord> = Vec::new();
        people_store::for_each(db, &actor.access, &filter, |r| {
            rows.push(r);
            Ok(())
        })
        .await?;
        let mut org_ids: Vec<OrgId> = rows.iter().map(|r| r.person.org_id).collect();
        org_ids.extend(rows.iter().filter_map(|r| r.person.group_id));
        let orgs = org_store::by_ids(db, &org_ids).await?;
        let name_of = |id: Option<OrgId>| {
            id.and_then(|id| orgs.get(&id))
                .map_or_else(String::new, |o| o.name.clone())
        };
        let mut revealed = 0u64;
        for (i, r) in rows.iter().enumerate() {
            let p = &r.person;
            let whole = actor.access.can_at(Action::RevealPii, &r.org_path);
            let (id, phone) = if whole {
                revealed += 1;
                (
                    self.sealer.open(&r.national_id_cipher)?,
                    r.phone_cipher
                        .as_deref()
                        .map(|c| self.sealer.open(c))
                        .transpose()?
                        .unwrap_or_default(),
                )
            } else {
                (
                    p.national_id_masked.clone(),
                    p.phone_masked.clone().unwrap_or_default(),
                )
            };
            let text = |o: &Option<String>| o.clone().unwrap_or_default();
            let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            let cells = [
                p.name.clone(),
                id,
                p.ethnicity.clone(),
                text(&p.native_place),
                p.education.label().to_owned(),
                p.degree.label().to_owned(),
                p.title_level.label().to_owned(),
                text(&p.title),
                p.category.label().to_owned(),
                text(&p.school),
                text(&p.class_name),
                text(&p.staff_no),
                phone,
                p.status.label().to_owned(),
                date(p.join_date),
                date(p.confirmation_date),
                name_of(Some(p.org_id)),
                name_of(p.group_id),
            ];
            for (j, v) in cells.iter().enumerate() {
                sheet
                    .write_string(i as u32 + 1, j as u16, v)
                    .map_err(xlsx_error)?;
            }
        }
        let bytes = book.save_to_buffer().map_err(xlsx_error)?;
        let tx = self.store.begin_write().await?;
        let audit = actor.record(
            dangjian_domain::people::trail::EXPORT,
            None,
            filter.under.as_ref().map(|p| p.as_str()),
            None,
            Some(json!({ "rows": rows.len(), "whole_id_numbers": revealed })),
        );
        self.finish(tx, audit).await?;
        Ok(bytes)
    }
}

/// A spreadsheet that could not be written (a bug or an exhausted disk, never the user's input).
pub(crate) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::internal("无法生成 Excel 文件，请稍后重试", e)
}
