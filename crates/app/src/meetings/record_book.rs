//! The branch work record book (党支部工作记录本) of a year: the organization, its committee and
//! members, every meeting with its roll, minutes and corrections, and each month's standing
//! against the rules of organizational life — read from the records, nothing typed twice.

use super::{ComplianceRow, HeartTalks, MeetingView, MemberLife};
use crate::meetings::MeetingCases;
use crate::org::CommitteeSeat;
use crate::people::PeopleQuery;
use crate::{Actor, AppError, Result, docx::Document};
use chrono::Datelike;
use dangjian_domain::ledgers::LedgerItem;
use dangjian_domain::meetings::{Attendance, Kept};
use dangjian_domain::org::Org;
use dangjian_domain::paging::{MAX_PER_PAGE, Paging};
use dangjian_domain::people::Person;
use dangjian_domain::platform::role::Action;

/// A record book as its printed pages and Word file show it.
#[derive(Debug, Clone)]
pub struct RecordBook {
    pub org: Org,
    pub year: i32,
    pub committee: Vec<CommitteeSeat>,
    /// The members today, at most 500 (a branch normally has at most 50).
    pub members: Vec<Person>,
    /// The year's meetings, oldest first.
    pub meetings: Vec<MeetingView>,
    /// Each month of the year so far with the organization's standing against each rule.
    pub months: Vec<(u32, Vec<ComplianceRow>)>,
    /// The year's heart talks, and the members nobody talked with.
    pub talks: HeartTalks,
    /// Each member's attendance and study hours.
    pub life: MemberLife,
}

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

/// The record book's parts whose records other modules will keep, in its order: heading and
/// what stands there until then.
pub const LATER_PARTS: [(LedgerItem, &str); 3] = [
    (LedgerItem::WorkPlans, "七、工作计划和总结"),
    (LedgerItem::MemberAppraisal, "八、民主评议党员结果"),
    (LedgerItem::DuesCollection, "九、党费收缴情况"),
];

impl RecordBook {
    /// The parts still kept on paper: heading and note.
    pub fn later_parts(&self) -> Vec<(&'static str, String)> {
        LATER_PARTS
            .iter()
            .map(|(item, heading)| {
                (
                    *heading,
                    format!(
                        "由“{}”模块登记，上线后自动汇入本记录本；此前沿用纸质记录。",
                        item.kept_later_by().unwrap_or_default()
                    ),
                )
            })
            .collect()
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
    /// The rules missed in the year, as gaps: month and rule.
    pub fn gaps(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let mut gaps = Vec::new();
        for (_, rows) in &self.months {
            for r in rows.iter().filter(|r| r.kept == Kept::Missed) {
                if seen.insert((r.rule.kind, r.period)) {
                    gaps.push(format!(
                        "{} 至 {}：未召开{}（{}，{}）",
                        r.period.0,
                        r.period.1,
                        r.rule.kind.label(),
                        r.rule.every_label(),
                        r.rule.basis
                    ));
                }
            }
        }
        if !self.talks.untalked.is_empty() {
            gaps.push(format!(
                "本年度尚未谈心谈话的党员 {} 人：{}（支部条例第十九条，本校每年至少一次）",
                self.talks.untalked.len(),
                self.talks.untalked.join("、")
            ));
        }
        gaps
    }
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
    pub async fn record_book(self, actor: &Actor, org_id: i64, year: i32) -> Result<RecordBook> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的工作记录本"));
        }
        let today = self.today();
        let span = self.record_year(year)?;
        let own = dangjian_store::meetings::of_org(
            self.store.db(),
            &actor.access,
            (org.id, &org.path),
            span,
            super::MEETING_LIST_LIMIT,
        )
        .await?;
        let mut meetings = Vec::with_capacity(own.len());
        for m in own {
            meetings.push(self.get(actor, m.id).await?);
        }
        let last_month = if year == today.year() {
            today.month()
        } else {
            12
        };
        let mut months = self
            .compliance_months(actor, org_id, year, 1..=last_month)
            .await?;
        for (_, rows) in &mut months {
            rows.retain(|r| r.org_id == org.id);
        }
        let members = self
            .people()
            .list(
                actor,
                &PeopleQuery {
                    under: Some(org.id),
                    members_only: true,
                    ..Default::default()
                },
                Paging {
                    page: 1,
                    per_page: MAX_PER_PAGE,
                },
            )
            .await?
            .items
            .into_iter()
            .map(|r| r.person)
            .collect();
        Ok(RecordBook {
            talks: self.heart_talks(actor, org_id, year).await?,
            life: self.member_life(actor, org_id, year).await?,
            committee: self.org().committee(actor, &org).await?,
            members,
            meetings,
            months,
            org,
            year,
        })
    }

    /// The record book as a Word file in the customary layout, with its title to name it by.
    pub async fn record_book_docx(
        self,
        actor: &Actor,
        org_id: i64,
        year: i32,
    ) -> Result<(String, Vec<u8>)> {
        let book = self.record_book(actor, org_id, year).await?;
        let title = format!("{}工作记录本（{}年度）", book.org.name, book.year);
        let mut doc = Document::new().title(&title).heading("一、支部委员会");
        let mut seats = vec![vec![
            "职务".to_owned(),
            "姓名".to_owned(),
            "任期".to_owned(),
        ]];
        seats.extend(book.committee.iter().map(|s| {
            vec![
                s.seat.position.label().to_owned(),
                s.person_name.clone(),
                format!("{} 至 {}", s.seat.term_start, s.seat.term_end),
            ]
        }));
        doc = doc.table(&seats).heading("二、党员名册");
        let mut roster = vec![
            ["姓名", "性别", "出生年月", "类别", "党员身份", "入党时间"]
                .map(str::to_owned)
                .to_vec(),
        ];
        roster.extend(book.members.iter().map(|p| {
            vec![
                p.name.clone(),
                p.gender.label().to_owned(),
                p.birth_date.format("%Y-%m").to_string(),
                p.category.label().to_owned(),
                p.status.label().to_owned(),
                p.join_date.map(|d| d.to_string()).unwrap_or_default(),
            ]
        }));
        doc = doc.table(&roster).heading("三、组织生活记录");
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
        doc = doc.heading("四、谈心谈话");
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
        doc = doc.table(&talks).heading("五、组织生活落实情况");
        let gaps = book.gaps();
        if gaps.is_empty() {
            doc = doc.para("本年度至今各项组织生活均按规定召开。");
        }
        for gap in &gaps {
            doc = doc.para(gap);
        }
        let mut life = vec![LIFE_HEADER.map(str::to_owned).to_vec()];
        life.extend(book.life_rows());
        doc = doc.heading("六、党员出勤和学时").table(&life);
        for (heading, note) in book.later_parts() {
            doc = doc.heading(heading).para(&note);
        }
        let bytes = doc.into_bytes()?;
        self.audit()
            .record_download(
                actor,
                ("record_book.download", "org", Some(book.org.id)),
                Some(book.org.path.as_str()),
                serde_json::json!({ "year": book.year, "members": book.members.len() }),
            )
            .await?;
        Ok((title, bytes))
    }
}
