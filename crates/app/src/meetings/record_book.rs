//! The branch work record book (党支部工作记录本) of a year: the organization, its committee and
//! members, every meeting with its roll, minutes and corrections, and each month's standing
//! against the rules of organizational life — read from the records, nothing typed twice.
//!
//! Organizational life writes the book's own parts; every other capability contributes its
//! parts (the committee, the roster, and the dues, appraisals and plans to come) through a
//! `BookSection` declared in its folder and registered in `BOOK_SECTIONS` with one line.

use super::{
    ComplianceRow, HeartTalks, MeetingView, MemberLife, RECORD_BOOK_MEETINGS, Reach, missed_gaps,
};
use crate::meetings::MeetingCases;
use crate::{Actor, App, AppError, Result, docx::Document};
use chrono::Datelike;
use dangjian_domain::ids::OrgId;
use dangjian_domain::ledgers::{Gap, LedgerItem};
use dangjian_domain::meetings::Attendance;
use dangjian_domain::org::Org;
use dangjian_domain::platform::role::Action;

/// The parts other capabilities write, in the book's order around organizational life's.
pub(crate) const BOOK_SECTIONS: &[BookSection] = &[
    crate::org::book::COMMITTEE,
    crate::people::book::ROSTER,
    PAPER,
];

/// Where a capability's part stands: before organizational life's parts or after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    BeforeMeetings,
    AfterMeetings,
}

/// What a capability writes into the book of one organization and year.
pub(crate) type Parts<'a> =
    std::pin::Pin<Box<dyn Future<Output = Result<Vec<BookPart>>> + Send + 'a>>;

/// A capability's parts of the record book.
pub(crate) struct BookSection {
    pub place: Place,
    /// Its parts for an organization (read in the reader's scope) and a year.
    pub read: for<'a> fn(&'a App, &'a Actor, &'a Org, i32) -> Parts<'a>,
}

/// A part of the book as another capability writes it: a heading, a table and notes, which
/// the printed page and the Word file render alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookPart {
    pub heading: String,
    pub table: Option<BookTable>,
    /// Lines under the table, each marked when it names a gap.
    pub notes: Vec<(String, bool)>,
}

/// A part's table: its element id on the page, header and rows, and what an empty one says
/// (a gap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookTable {
    pub id: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub empty: Option<&'static str>,
}

/// The parts whose records are still kept on paper until their module comes: heading and the
/// ledger item that module will fill.
const LATER_PARTS: [(LedgerItem, &str); 3] = [
    (LedgerItem::WorkPlans, "工作计划和总结"),
    (LedgerItem::MemberAppraisal, "民主评议党员结果"),
    (LedgerItem::DuesCollection, "党费收缴情况"),
];

/// The placeholder of the parts to come; a module that keeps one registers its own section
/// and drops its line here.
const PAPER: BookSection = BookSection {
    place: Place::AfterMeetings,
    read: |_, _, _, _| {
        Box::pin(async {
            Ok(LATER_PARTS
                .iter()
                .map(|(item, heading)| BookPart {
                    heading: (*heading).to_owned(),
                    table: None,
                    notes: vec![(
                        format!(
                            "由“{}”模块登记，上线后自动汇入本记录本；此前沿用纸质记录。",
                            item.kept_later_by().unwrap_or_default()
                        ),
                        false,
                    )],
                })
                .collect())
        })
    },
};

/// Parts with their headings numbered from `first`.
fn numbered(parts: &[BookPart], first: usize) -> Vec<(String, &BookPart)> {
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("{}、{}", numeral(first + i), p.heading), p))
        .collect()
}

/// A part's number as the book writes it: 一, 二, … 十九.
fn numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ => n.to_string(),
    }
}

/// A record book as its printed pages and Word file show it.
#[derive(Debug, Clone)]
pub struct RecordBook {
    pub org: Org,
    pub year: i32,
    /// Other capabilities' parts before organizational life's (the committee, the roster).
    pub before: Vec<BookPart>,
    /// The year's meetings, oldest first, at most `RECORD_BOOK_MEETINGS`.
    pub meetings: Vec<MeetingView>,
    /// Whether the year held more meetings than the book prints.
    pub meetings_cut: bool,
    /// Each month of the year so far with the organization's standing against each rule.
    pub months: Vec<(u32, Vec<ComplianceRow>)>,
    /// The year's heart talks, and the members nobody talked with.
    pub talks: HeartTalks,
    /// Each member's attendance and study hours.
    pub life: MemberLife,
    /// Other capabilities' parts after organizational life's.
    pub after: Vec<BookPart>,
}

/// Organizational life's own parts, in order.
const OWN_PARTS: [&str; 4] = [
    "组织生活记录",
    "谈心谈话",
    "组织生活落实情况",
    "党员出勤和学时",
];

/// The columns of the members' attendance and study hours.
pub const LIFE_HEADER: [&str; 8] = [
    "姓名",
    "应参加",
    "出席",
    "请假",
    "缺席",
    "出席率",
    "学时",
    "要求",
];

impl RecordBook {
    /// The numbered headings of organizational life's own parts, in order.
    pub fn own_headings(&self) -> [String; 4] {
        let mut n = self.before.len();
        OWN_PARTS.map(|title| {
            n += 1;
            format!("{}、{title}", numeral(n))
        })
    }

    /// The parts before organizational life's, each with its numbered heading.
    pub fn before_parts(&self) -> Vec<(String, &BookPart)> {
        numbered(&self.before, 1)
    }

    /// The parts after organizational life's, each with its numbered heading.
    pub fn after_parts(&self) -> Vec<(String, &BookPart)> {
        numbered(&self.after, self.before.len() + OWN_PARTS.len() + 1)
    }

    /// What the book says when the year held more meetings than it prints.
    pub fn cut_note(&self) -> Option<String> {
        self.meetings_cut.then(|| {
            format!(
                "本年度会议超过 {RECORD_BOOK_MEETINGS} 次，本记录本只列出前 {RECORD_BOOK_MEETINGS} 次；其余请在组织生活页面按月查看。"
            )
        })
    }

    /// The columns of the members' year.
    pub fn life_header(&self) -> [&'static str; 8] {
        LIFE_HEADER
    }

    /// The members' year as table rows under `LIFE_HEADER`.
    pub fn life_rows(&self) -> Vec<Vec<String>> {
        self.life
            .members
            .iter()
            .map(|m| {
                vec![
                    m.name.clone(),
                    m.life.expected().to_string(),
                    m.life.present.to_string(),
                    m.life.excused.to_string(),
                    m.life.absent.to_string(),
                    m.life
                        .attendance_percent()
                        .map_or_else(|| "—".to_owned(), |p| format!("{p}%")),
                    m.life.hours.to_string(),
                    m.minimum.to_string(),
                ]
            })
            .collect()
    }
}

impl RecordBook {
    /// The year's gaps in organizational life, each a line as the ledgers word it: the rules
    /// missed, each led by its kind of meeting, and the members nobody talked with.
    pub fn gaps(&self) -> Vec<String> {
        missed_gaps(&self.months, self.org.id)
            .into_iter()
            .chain(Gap::of(self.talks.untalked.clone(), Gap::Untalked))
            .map(|g| match &g {
                Gap::Missed { rule, .. } => format!("{}：{g}", rule.label()),
                _ => g.to_string(),
            })
            .collect()
    }
}

impl RecordBook {
    /// How many people the book's roster lists.
    pub fn roster_len(&self) -> usize {
        self.before
            .iter()
            .filter_map(|p| p.table.as_ref())
            .find(|t| t.id == crate::people::book::ROSTER_TABLE)
            .map_or(0, |t| t.rows.len())
    }
}

/// Another capability's part in the Word file: its heading, its table (or what an empty one
/// says) and its notes.
fn doc_part(mut doc: Document, heading: &str, part: &BookPart) -> Document {
    doc = doc.heading(heading);
    if let Some(t) = &part.table {
        let mut rows = vec![t.header.iter().map(|h| (*h).to_owned()).collect()];
        rows.extend(t.rows.iter().cloned());
        doc = doc.table(&rows);
        if let (true, Some(empty)) = (t.rows.is_empty(), t.empty) {
            doc = doc.para(empty);
        }
    }
    for (note, _) in &part.notes {
        doc = doc.para(note);
    }
    doc
}

impl MeetingView {
    /// Expected, present, excused and absent.
    pub fn head_count(&self) -> (usize, usize, usize, usize) {
        let count = |s: Attendance| {
            self.attendance
                .iter()
                .filter(|(a, _)| a.status == s)
                .count()
        };
        (
            self.attendance.len(),
            count(Attendance::Present),
            count(Attendance::Excused),
            count(Attendance::Absent),
        )
    }

    /// The names of those who attended as `status`, with the reasons of the excused.
    pub fn names(&self, status: Attendance) -> String {
        self.attendance
            .iter()
            .filter(|(a, _)| a.status == status)
            .map(|(a, name)| {
                if a.reason.is_empty() {
                    name.clone()
                } else {
                    format!("{name}（{}）", a.reason)
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    }
}

impl MeetingCases<'_> {
    /// The record book of an organization for a year.
    pub async fn record_book(self, actor: &Actor, org_id: OrgId, year: i32) -> Result<RecordBook> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的工作记录本"));
        }
        let today = self.today();
        let span = self.record_year(year)?;
        let mut own = dangjian_store::meetings::of_org(
            self.store.db(),
            &actor.access,
            (org.id, &org.path),
            span,
            RECORD_BOOK_MEETINGS + 1,
        )
        .await?;
        // One more than the book prints tells whether it was cut.
        let meetings_cut = own.len() as u64 > RECORD_BOOK_MEETINGS;
        own.truncate(RECORD_BOOK_MEETINGS as usize);
        let meetings = self.views(actor, own).await?;
        let last_month = if year == today.year() {
            today.month()
        } else {
            12
        };
        let months = self
            .compliance_months(actor, org_id, year, 1..=last_month, Reach::Own)
            .await?;
        let (mut before, mut after) = (Vec::new(), Vec::new());
        for section in BOOK_SECTIONS {
            let parts = (section.read)(self.0, actor, &org, year).await?;
            match section.place {
                Place::BeforeMeetings => before.extend(parts),
                Place::AfterMeetings => after.extend(parts),
            }
        }
        Ok(RecordBook {
            talks: self.heart_talks(actor, org_id, year).await?,
            life: self.member_life(actor, org_id, year).await?,
            before,
            after,
            meetings,
            meetings_cut,
            months,
            org,
            year,
        })
    }

    /// The record book as a Word file in the customary layout, with its title to name it by.
    pub async fn record_book_docx(
        self,
        actor: &Actor,
        org_id: OrgId,
        year: i32,
    ) -> Result<(String, Vec<u8>)> {
        let book = self.record_book(actor, org_id, year).await?;
        let title = format!("{}工作记录本（{}年度）", book.org.name, book.year);
        let mut doc = Document::new().title(&title);
        for (heading, part) in book.before_parts() {
            doc = doc_part(doc, &heading, part);
        }
        let own = book.own_headings();
        doc = doc.heading(&own[0]);

        for (i, v) in book.meetings.iter().enumerate() {
            let m = &v.meeting;
            let (expected, present, excused, absent) = v.head_count();
            doc = doc
                .subheading(&format!(
                    "{}. {}：{}",
                    i + 1,
                    m.plan.kind.label(),
                    m.plan.topic
                ))
                .table(&[
                    vec![
                        "时间".to_owned(),
                        m.plan.starts_at.format("%Y-%m-%d %H:%M").to_string(),
                        "地点".to_owned(),
                        m.plan.place.clone(),
                    ],
                    vec![
                        "应到".to_owned(),
                        format!("{expected} 人"),
                        "实到".to_owned(),
                        format!("{present} 人（请假 {excused}，缺席 {absent}）"),
                    ],
                    vec![
                        "请假".to_owned(),
                        v.names(Attendance::Excused),
                        "缺席".to_owned(),
                        v.names(Attendance::Absent),
                    ],
                    vec![
                        "记录人".to_owned(),
                        m.recorded_by_name.clone(),
                        "书记确认".to_owned(),
                        m.locked_by_name
                            .clone()
                            .unwrap_or_else(|| "未确认".to_owned()),
                    ],
                ]);
            if let Some(first) = &m.plan.first_agenda_item {
                doc = doc.para(&format!("第一议题：{first}"));
            }
            if !m.plan.agenda.is_empty() {
                doc = doc.para(&format!("议程：{}", m.plan.agenda.join("；")));
            }
            for line in m.minutes.lines().filter(|l| !l.trim().is_empty()) {
                doc = doc.para(line);
            }
            if !m.resolutions.is_empty() {
                doc = doc.para(&format!("会议决定：{}", m.resolutions));
            }
            for c in &v.corrections {
                doc = doc.para(&format!("补充更正：{}（{}）", c.text, c.recorded_by_name));
            }
        }
        if book.meetings.is_empty() {
            doc = doc.para("本年度尚无会议记录。");
        }
        if let Some(note) = book.cut_note() {
            doc = doc.para(&note);
        }
        doc = doc.heading(&own[1]);
        let mut talks = vec![
            ["日期", "谈话人", "谈话对象", "地点", "谈话记录"]
                .map(str::to_owned)
                .to_vec(),
        ];
        talks.extend(book.talks.talks.iter().rev().map(|t| {
            vec![
                t.talk.talk.on.to_string(),
                t.talker_name.clone(),
                t.talkee_name.clone(),
                t.talk.talk.place.clone(),
                t.talk.talk.summary.clone(),
            ]
        }));
        doc = doc.table(&talks).heading(&own[2]);
        let gaps = book.gaps();
        if gaps.is_empty() {
            doc = doc.para("本年度至今各项组织生活均按规定召开。");
        }
        for gap in &gaps {
            doc = doc.para(gap);
        }
        let mut life = vec![LIFE_HEADER.map(str::to_owned).to_vec()];
        life.extend(book.life_rows());
        doc = doc.heading(&own[3]).table(&life);
        for (heading, part) in book.after_parts() {
            doc = doc_part(doc, &heading, part);
        }
        let bytes = doc.into_bytes()?;
        self.audit()
            .record_download(
                actor,
                (
                    dangjian_domain::meetings::trail::RECORD_BOOK_DOWNLOAD,
                    Some(book.org.id.get()),
                ),
                Some(book.org.path.as_str()),
                serde_json::json!({ "year": book.year, "members": book.roster_len() }),
            )
            .await?;
        Ok((title, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::numeral;

    #[test]
    fn parts_are_numbered_as_chinese_documents_number_them() {
        let n: Vec<String> = [1, 9, 10, 11, 19].into_iter().map(numeral).collect();
        assert_eq!(n, ["一", "九", "十", "十一", "十九"]);
    }
}
