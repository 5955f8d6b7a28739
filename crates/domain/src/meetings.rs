//! Organizational life (组织生活): 三会一课, theme days, life meetings and group study as
//! meetings with their states, attendance and quorum; and the compliance engine, which asks
//! of any organization and period whether each required meeting took place as often as
//! RULES.md §2 says.
//!
//! A meeting is planned, then held (its attendance and minutes recorded), then locked by the
//! secretary; a locked record is never overwritten: corrections are added to it.

pub mod trail;

use crate::RuleCode;
use crate::ids::{MeetingId, OrgId, PersonId};
use crate::learning::StudyHours;
use crate::org::OrgPath;
use crate::platform::role::Action;
use crate::platform::settings::{SettingSpec, Settings};
use crate::{DomainError, FieldError, labelled_enum, text};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// The kinds of organizational life (GLOSSARY: 三会一课 and the others).
    pub enum MeetingKind {
        GeneralMeeting = ("general_meeting", "支部党员大会"),
        CommitteeMeeting = ("committee_meeting", "支委会"),
        GroupMeeting = ("group_meeting", "党小组会"),
        PartyLecture = ("party_lecture", "党课"),
        ThemeDay = ("theme_day", "主题党日"),
        LifeMeeting = ("life_meeting", "组织生活会"),
        GroupStudy = ("group_study", "集中学习"),
    }
}

labelled_enum! {
    /// Where a meeting's record stands.
    pub enum MeetingState {
        Planned = ("planned", "已计划"),
        Held = ("held", "已召开"),
        Locked = ("locked", "已确认"),
    }
}

impl MeetingState {
    /// The states of a meeting that took place: what the ledgers, figures, study hours and
    /// compliance count as held. The store filters by this list, so a new state is counted
    /// (or not) in one place.
    pub const HELD: [MeetingState; 2] = [Self::Held, Self::Locked];

    pub fn is_held(self) -> bool {
        Self::HELD.contains(&self)
    }
}

labelled_enum! {
    /// How an expected attendee took part (签到 / 出勤).
    pub enum Attendance {
        Present = ("present", "出席"),
        Excused = ("excused", "请假"),
        Absent = ("absent", "缺席"),
    }
}

/// A meeting as planned: what, when, where, and its agenda with the first item
/// (第一议题: studying the latest central guidance) first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingPlan {
    pub kind: MeetingKind,
    pub topic: String,
    pub starts_at: NaiveDateTime,
    pub place: String,
    pub first_agenda_item: Option<String>,
    pub agenda: Vec<String>,
    /// The study hours it counts toward each member present (党课, 集中学习…).
    #[serde(default)]
    pub study_hours: StudyHours,
    /// Who lectured (讲课人): every 党课 names one; another meeting may (a 集中学习's speaker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lecturer: Option<Lecturer>,
}

/// Who lectured at a meeting: someone on the roster, whose name is the roster's, or a visiting
/// lecturer known by name only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lecturer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<PersonId>,
    pub name: String,
}

impl Lecturer {
    /// Someone on the roster; the name is filled from it when the plan is recorded.
    pub fn on_roster(person_id: PersonId) -> Self {
        Self {
            person_id: Some(person_id),
            name: String::new(),
        }
    }

    /// The lecturer as a form or a request gives them: a person picked from the roster, or a
    /// name typed for a visitor; neither is none.
    pub fn parse(person_id: Option<PersonId>, name: &str) -> Result<Option<Self>, DomainError> {
        if let Some(id) = person_id {
            return Ok(Some(Self::on_roster(id)));
        }
        Ok(
            text::optional_line(name, "lecturer_name", "讲课人", 50)?.map(|name| Self {
                person_id: None,
                name,
            }),
        )
    }
}

/// Every 党课 records who lectured, so that the secretary's yearly lecture can be told from
/// the others (RULES.md §2: 党支部书记每年至少讲1次党课).
pub fn check_lecturer(plan: &MeetingPlan) -> Result<(), DomainError> {
    if plan.kind == MeetingKind::PartyLecture && plan.lecturer.is_none() {
        return Err(DomainError::Rule {
            code: RuleCode::MeetingsLectureLecturer,
            field: Some("lecturer_id"),
            message: "党课应登记讲课人：从名册中选择，或填写校外讲课人的姓名".to_owned(),
            basis: LECTURE_BASIS,
        });
    }
    Ok(())
}

/// Where the secretary's lecture is written: the 支部条例's 三会一课, cited by name rather than
/// by a guessed article.
pub const LECTURE_BASIS: &str = "支部条例·党课（书记每年至少讲1次）";

/// A meeting of an organization with its record: the plan, and once held its minutes,
/// resolutions and who recorded and locked them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub org_id: OrgId,
    #[serde(skip)]
    pub org_path: OrgPath,
    #[serde(flatten)]
    pub plan: MeetingPlan,
    pub minutes: String,
    pub resolutions: String,
    pub state: MeetingState,
    pub recorded_by_name: String,
    pub locked_at: Option<i64>,
    pub locked_by_name: Option<String>,
    pub created_at: i64,
}

/// An expected attendee of a meeting and how they attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendanceRow {
    pub person_id: PersonId,
    pub status: Attendance,
    pub reason: String,
}

/// A correction added to a locked record (更正): the record itself is never overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub id: i64,
    pub meeting_id: MeetingId,
    pub text: String,
    pub recorded_by_name: String,
    pub created_at: i64,
}

/// How long a meeting is taken to last where a length is needed (a calendar's end time):
/// meetings keep no end time, and two hours is the customary length (本校做法 [L]).
pub const MEETING_LENGTH_MINUTES: i64 = 120;

impl MeetingPlan {
    /// When the meeting is taken to end: `MEETING_LENGTH_MINUTES` after its start.
    pub fn ends_at(&self) -> NaiveDateTime {
        self.starts_at + chrono::Duration::minutes(MEETING_LENGTH_MINUTES)
    }

    /// Checks a plan as typed: a topic and a place, an agenda of short items.
    pub fn parse(
        kind: MeetingKind,
        topic: &str,
        starts_at: NaiveDateTime,
        place: &str,
        (first_agenda_item, agenda): (&str, &str),
    ) -> Result<Self, DomainError> {
        use crate::calendar::FIRST_RECORD_YEAR;
        if chrono::Datelike::year(&starts_at) < FIRST_RECORD_YEAR {
            return Err(FieldError::new(
                "starts_at",
                "时间",
                format!("不能早于 {FIRST_RECORD_YEAR} 年"),
            )
            .into());
        }
        let agenda = agenda
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| text::single_line(l, "agenda", "议程", 200))
            .collect::<Result<Vec<_>, _>>()?;
        if agenda.len() > 20 {
            return Err(FieldError::new("agenda", "议程", "最多 20 项").into());
        }
        Ok(Self {
            kind,
            topic: text::single_line(topic, "topic", "主题", 200)?,
            starts_at,
            place: text::single_line(place, "place", "地点", 100)?,
            first_agenda_item: text::optional_line(
                first_agenda_item,
                "first_agenda_item",
                "第一议题",
                200,
            )?,
            agenda,
            study_hours: StudyHours::default(),
            lecturer: None,
        })
    }

    /// The plan counting `hours` toward each member present.
    pub fn with_study_hours(self, study_hours: StudyHours) -> Self {
        Self {
            study_hours,
            ..self
        }
    }

    /// The plan naming who lectures.
    pub fn with_lecturer(self, lecturer: Option<Lecturer>) -> Self {
        Self { lecturer, ..self }
    }
}

/// The state a meeting may move to from `from`, or why not. A meeting is held only once its
/// time has come; only a held meeting is locked; a locked record stays locked.
pub fn transition(
    from: MeetingState,
    to: MeetingState,
    starts_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), DomainError> {
    use MeetingState::*;
    match (from, to) {
        (Planned, Held) if starts_at > now => Err(DomainError::Rule {
            code: crate::RuleCode::MeetingsHeldBeforeStart,
            field: Some("state"),
            message: format!(
                "会议定于 {} 召开，尚未到时间，不能登记为已召开",
                starts_at.format("%Y-%m-%d %H:%M")
            ),
            basis: "组织生活纪实",
        }),
        (Planned, Held) | (Held, Locked) => Ok(()),
        (Locked, _) => Err(DomainError::Rule {
            code: crate::RuleCode::MeetingsLocked,
            field: Some("state"),
            message: "会议记录已由书记确认，不能再修改，只能补充更正".to_owned(),
            basis: "痕迹管理",
        }),
        (from, to) => Err(DomainError::Rule {
            code: crate::RuleCode::MeetingsStateTransition,
            field: Some("state"),
            message: format!("会议{}，不能改为{}", from.label(), to.label()),
            basis: "组织生活纪实",
        }),
    }
}

/// A branch committee meeting has its quorum when half of the committee's members or more
/// attend: 半数以上, and in party regulations 以上 includes the figure (支部条例第十二条).
pub fn committee_quorum(members: usize, present: usize) -> Result<(), DomainError> {
    if members > 0 && present * 2 >= members {
        Ok(())
    } else {
        Err(DomainError::Rule {
            code: crate::RuleCode::MeetingsCommitteeQuorum,
            field: Some("attendance"),
            message: format!("支委会应到 {members} 人，出席 {present} 人，不足半数"),
            basis: "支部条例第十二条",
        })
    }
}

/// A heart talk (谈心谈话) as recorded: who talked with whom, when and where, and a short
/// record of what was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeartTalk {
    pub talker_id: PersonId,
    pub talkee_id: PersonId,
    pub on: NaiveDate,
    pub place: String,
    pub summary: String,
}

impl HeartTalk {
    /// Checks a talk as typed: two different people, a day not to come, a short record.
    pub fn parse(
        (talker_id, talkee_id): (PersonId, PersonId),
        on: NaiveDate,
        today: NaiveDate,
        place: &str,
        summary: &str,
    ) -> Result<Self, DomainError> {
        if talker_id == talkee_id {
            return Err(FieldError::new("talkee_id", "谈话对象", "不能与谈话人是同一人").into());
        }
        if on > today {
            return Err(FieldError::new("on", "谈话日期", "不能晚于今天").into());
        }
        let summary = text::paragraphs(
            summary,
            ("summary", "谈话记录"),
            "请简要记录谈话内容",
            2_000,
        )?;
        Ok(Self {
            talker_id,
            talkee_id,
            on,
            place: text::optional_line(place, "place", "地点", 100)?.unwrap_or_default(),
            summary,
        })
    }
}

/// How often, in months, each member should have a heart talk: "often" (支部条例第十九条), at
/// least once a year by local practice [L].
pub const HEART_TALK_EVERY_MONTHS: u32 = 12;

/// A one-time check-in code (签到码) works from this long before the meeting starts
/// (本校做法 [L]).
pub const CHECK_IN_OPENS_BEFORE_MINUTES: i64 = 60;
/// … until this long after it starts, when it expires.
pub const CHECK_IN_CLOSES_AFTER_MINUTES: i64 = 180;

/// When a meeting's check-in codes work: from shortly before its start until they expire.
pub fn check_in_window(starts_at: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
    (
        starts_at - chrono::Duration::minutes(CHECK_IN_OPENS_BEFORE_MINUTES),
        starts_at + chrono::Duration::minutes(CHECK_IN_CLOSES_AFTER_MINUTES),
    )
}

/// Whether a meeting's check-in has ended (签到已结束): its record is confirmed, or its codes'
/// window has passed. No code is issued after that; before the window opens codes may be
/// issued ahead, to be used once it does.
pub fn check_in_ended(state: MeetingState, starts_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    state == MeetingState::Locked || now > check_in_window(starts_at).1
}

/// Whether a one-time check-in code may be used now: once, within its window, and only while
/// the meeting's record is not yet confirmed.
pub fn check_in(
    state: MeetingState,
    starts_at: NaiveDateTime,
    now: NaiveDateTime,
    used: bool,
) -> Result<(), DomainError> {
    const BASIS: &str = "签到码一人一码，仅限一次，会议开始前 1 小时至开始后 3 小时有效";
    let refuse = |code: RuleCode, message: String| DomainError::Rule {
        code,
        field: Some("code"),
        message,
        basis: BASIS,
    };
    let (opens, closes) = check_in_window(starts_at);
    if used {
        return Err(refuse(
            RuleCode::MeetingsCheckInUsed,
            "该签到码已使用，不能重复签到".to_owned(),
        ));
    }
    if state == MeetingState::Locked {
        return Err(refuse(
            RuleCode::MeetingsCheckInLocked,
            "会议记录已由书记确认，签到已结束".to_owned(),
        ));
    }
    if now > closes {
        return Err(refuse(
            RuleCode::MeetingsCheckInExpired,
            format!("签到码已过期（有效至 {}）", closes.format("%Y-%m-%d %H:%M")),
        ));
    }
    if now < opens {
        return Err(refuse(
            RuleCode::MeetingsCheckInNotOpen,
            format!(
                "签到尚未开始，请于 {} 后签到",
                opens.format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    Ok(())
}

/// A rule of organizational life: a kind of meeting, at least once in each period of `months`
/// months counted from January. A meeting anywhere in the period keeps it: the life meeting
/// is "usually" in the fourth quarter, but one held in any month keeps the year's rule
/// (教育条例第十七条: 也可以根据工作需要随时召开).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Requirement {
    pub kind: MeetingKind,
    pub months: u32,
    /// Where the rule is written.
    pub basis: &'static str,
    /// Kept only by a meeting its organization's secretary lectured at (the yearly 党课).
    #[serde(default)]
    pub by_secretary: bool,
}

impl Requirement {
    /// A rule kept by any meeting of its kind.
    pub const fn every(kind: MeetingKind, months: u32, basis: &'static str) -> Self {
        Self {
            kind,
            months,
            basis,
            by_secretary: false,
        }
    }

    /// The rule as lists name it: its kind of meeting, or 书记讲党课.
    pub fn label(&self) -> &'static str {
        if self.by_secretary {
            "书记讲党课"
        } else {
            self.kind.label()
        }
    }

    /// The rule as the API names it: its kind's code, or `secretary_lecture`.
    pub fn code(&self) -> &'static str {
        if self.by_secretary {
            "secretary_lecture"
        } else {
            self.kind.code()
        }
    }

    /// 每月, 每季度, 每年 or 每 N 个月.
    pub fn every_label(&self) -> String {
        match self.months {
            1 => "每月".to_owned(),
            3 => "每季度".to_owned(),
            12 => "每年".to_owned(),
            n => format!("每 {n} 个月"),
        }
    }

    /// The period that holds `day`: first and last day.
    pub fn period(&self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        period_of(self.months, day)
    }

    /// Whether an organization owes this rule for the period that holds `day`: only for a
    /// period that began after it was founded, and a 支委会 only where a committee sits
    /// (RULES.md §2: below 7 full members a branch has only a secretary and owes none).
    pub fn owed(&self, founded_on: Option<NaiveDate>, has_committee: bool, day: NaiveDate) -> bool {
        let (first, _) = self.period(day);
        founded_on.is_none_or(|f| f <= first)
            && (self.kind != MeetingKind::CommitteeMeeting || has_committee)
    }
}

/// The local rules of organizational life (本校设置 [L]), with RULES.md's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LifeRules {
    /// A branch's party lecture at least once in this many months (default 3, [I]).
    pub lecture_every_months: u32,
}

impl Default for LifeRules {
    fn default() -> Self {
        Self {
            lecture_every_months: 3,
        }
    }
}

pub const LIFE_LECTURE_EVERY_MONTHS: SettingSpec = SettingSpec {
    key: "life_lecture_every_months",
    label: "支部党课至少每几个月一次",
    default: 3,
    min: 1,
    max: 12,
    unit: "个月",
    kept_by: Action::ManageRules,
};
/// The settings of organizational life, as `platform::settings` registers them. (The month
/// the life meeting counted from was a setting once; a stored value of it is ignored.)
pub const SETTINGS: &[SettingSpec] = &[LIFE_LECTURE_EVERY_MONTHS];

impl LifeRules {
    /// The rules in force under `settings`.
    pub fn in_force(settings: &Settings) -> Self {
        let get = |spec| u32::try_from(settings.get(spec)).unwrap_or(1);
        Self {
            lecture_every_months: get(LIFE_LECTURE_EVERY_MONTHS),
        }
    }
}

/// The rules of RULES.md §2 for a branch: general meeting each quarter (支部条例第十二条),
/// committee each month (same), theme day each month (教育条例第十六条), a party lecture as
/// the local rules say and one a year by the secretary, and the life meeting (教育条例第十七条).
/// Group meetings are asked of party groups.
pub fn branch_requirements(rules: LifeRules) -> [Requirement; 6] {
    let every = Requirement::every;
    [
        every(MeetingKind::GeneralMeeting, 3, "支部条例第十二条"),
        every(MeetingKind::CommitteeMeeting, 1, "支部条例第十二条"),
        every(MeetingKind::ThemeDay, 1, "教育条例第十六条"),
        every(
            MeetingKind::PartyLecture,
            rules.lecture_every_months.clamp(1, 12),
            "本校设置",
        ),
        every(MeetingKind::LifeMeeting, 12, "教育条例第十七条"),
        Requirement {
            by_secretary: true,
            ..every(MeetingKind::PartyLecture, 12, LECTURE_BASIS)
        },
    ]
}

/// The rule for a party group: a group meeting each month (支部条例第十三条).
pub const GROUP_REQUIREMENTS: [Requirement; 1] = [Requirement::every(
    MeetingKind::GroupMeeting,
    1,
    "支部条例第十三条",
)];

/// The block of `months` months, counted from January, that holds `day`: its first and last
/// day (the last block of a year ends on December 31st).
pub fn period_of(months: u32, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let months = months.clamp(1, 12);
    let first_month = (day.month() - 1) / months * months + 1;
    let first = NaiveDate::from_ymd_opt(day.year(), first_month, 1).unwrap_or(day);
    let year_end = NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(day);
    let last = first
        .checked_add_months(chrono::Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(day)
        .min(year_end);
    (first, last)
}

/// Whether a rule was kept in the period around `day`: a meeting of its kind held then. A
/// period not yet over and not yet kept is open, not missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kept {
    Yes,
    Open,
    Missed,
}

/// A meeting held, as the compliance engine reads it: its kind, its day, and whether the
/// organization's secretary of that day lectured at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub kind: MeetingKind,
    pub on: NaiveDate,
    pub by_secretary: bool,
}

pub fn kept(rule: &Requirement, held: &[Held], day: NaiveDate, today: NaiveDate) -> Kept {
    let (first, last) = rule.period(day);
    if held.iter().any(|h| {
        h.kind == rule.kind
            && (first..=last).contains(&h.on)
            && (h.by_secretary || !rule.by_secretary)
    }) {
        Kept::Yes
    } else if last >= today {
        Kept::Open
    } else {
        Kept::Missed
    }
}

/// A heart talk as recorded, with the organization that recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeartTalkRecord {
    pub id: i64,
    pub org_id: OrgId,
    #[serde(skip)]
    pub org_path: OrgPath,
    #[serde(flatten)]
    pub talk: HeartTalk,
    pub recorded_by_name: String,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn held(kind: MeetingKind, on: &str) -> Held {
        Held {
            kind,
            on: d(on),
            by_secretary: false,
        }
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_meeting_before_the_first_year_of_records_is_a_slip() {
        let plan =
            |t| MeetingPlan::parse(MeetingKind::ThemeDay, "主题党日", at(t), "活动室", ("", ""));
        let err = plan("1900-05-04 14:30").unwrap_err();
        assert!(err.to_string().contains("不能早于 2000 年"), "{err}");
        assert!(plan("2000-01-01 09:00").is_ok());
    }

    #[test]
    fn a_meeting_counts_as_held_once_recorded_and_stays_so_when_locked() {
        use MeetingState::*;
        assert_eq!(
            MeetingState::ALL
                .iter()
                .filter(|s| s.is_held())
                .collect::<Vec<_>>(),
            [&Held, &Locked]
        );
        assert!(!Planned.is_held());
    }

    #[test]
    fn a_meeting_is_held_when_its_time_has_come_and_locked_for_good() {
        use MeetingState::*;
        let starts = at("2026-11-25 14:30");
        assert!(transition(Planned, Held, starts, at("2026-11-24 09:00")).is_err());
        assert!(transition(Planned, Held, starts, at("2026-11-25 15:00")).is_ok());
        assert!(transition(Planned, Locked, starts, at("2026-11-25 15:00")).is_err());
        assert!(transition(Held, Locked, starts, at("2026-11-25 15:00")).is_ok());
        let err = transition(Locked, Held, starts, at("2026-11-26 09:00"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("只能补充更正"), "{err}");
    }

    #[test]
    fn a_heart_talk_is_between_two_people_on_a_day_gone_by_支部条例第十九条() {
        let today = d("2026-11-23");
        let pair = |a, b| (PersonId::new(a), PersonId::new(b));
        let ok = HeartTalk::parse(pair(1, 2), d("2026-11-20"), today, "办公室", "谈学习和思想");
        assert!(ok.is_ok());
        assert!(HeartTalk::parse(pair(1, 1), d("2026-11-20"), today, "办公室", "谈").is_err());
        assert!(HeartTalk::parse(pair(1, 2), d("2026-11-24"), today, "办公室", "谈").is_err());
        assert!(HeartTalk::parse(pair(1, 2), d("2026-11-20"), today, "办公室", " ").is_err());
        assert_eq!(HEART_TALK_EVERY_MONTHS, 12);
    }

    #[test]
    fn a_check_in_code_works_once_within_its_window_and_not_after_the_lock() {
        use MeetingState::*;
        let starts = at("2026-11-25 14:30");
        let ok = |now: &str| check_in(Planned, starts, at(now), false);
        assert!(ok("2026-11-25 13:30").is_ok(), "an hour before");
        assert!(ok("2026-11-25 17:30").is_ok(), "three hours after");
        let early = ok("2026-11-25 13:29").unwrap_err().to_string();
        assert!(early.contains("尚未开始"), "{early}");
        let expired = ok("2026-11-25 17:31").unwrap_err().to_string();
        assert!(expired.contains("已过期"), "{expired}");
        let reused = check_in(Held, starts, at("2026-11-25 14:40"), true)
            .unwrap_err()
            .to_string();
        assert!(reused.contains("已使用"), "{reused}");
        assert!(check_in(Locked, starts, at("2026-11-25 14:40"), false).is_err());
    }

    #[test]
    fn check_in_ends_with_the_lock_or_three_hours_after_the_start_本校做法() {
        use MeetingState::*;
        let starts = at("2026-11-25 14:30");
        assert!(
            !check_in_ended(Planned, starts, at("2026-11-24 09:00")),
            "issued ahead"
        );
        assert!(!check_in_ended(Held, starts, at("2026-11-25 17:30")));
        assert!(check_in_ended(Held, starts, at("2026-11-25 17:31")));
        assert!(check_in_ended(Locked, starts, at("2026-11-25 14:40")));
    }

    #[test]
    fn a_committee_meeting_needs_half_its_members_or_more_支部条例第十二条() {
        assert!(committee_quorum(5, 3).is_ok());
        assert!(committee_quorum(4, 2).is_ok(), "半数以上 includes half");
        assert!(committee_quorum(5, 2).is_err());
        let err = committee_quorum(4, 1).unwrap_err().to_string();
        assert!(err.contains("支部条例第十二条"), "{err}");
    }

    #[test]
    fn a_rule_is_owed_from_the_first_period_after_founding_and_a_committee_meeting_only_with_a_committee_支部条例第十二条()
     {
        let [general, committee, theme_day, ..] = branch_requirements(LifeRules::default());
        let founded = Some(d("2026-03-15"));
        assert!(
            !theme_day.owed(founded, true, d("2026-03-01")),
            "founded mid-month"
        );
        assert!(theme_day.owed(founded, true, d("2026-04-01")));
        assert!(
            !general.owed(founded, true, d("2026-02-01")),
            "the quarter began before"
        );
        assert!(general.owed(founded, true, d("2026-05-01")));
        assert!(
            general.owed(None, false, d("2026-05-01")),
            "founding day unknown"
        );
        assert!(
            !committee.owed(None, false, d("2026-05-01")),
            "no committee sits"
        );
        assert!(committee.owed(None, true, d("2026-05-01")));
    }

    #[test]
    fn a_meeting_is_taken_to_last_two_hours_本校做法() {
        let plan = MeetingPlan::parse(
            MeetingKind::ThemeDay,
            "主题党日",
            at("2026-11-25 14:30"),
            "活动室",
            ("", ""),
        )
        .unwrap();
        assert_eq!(plan.ends_at(), at("2026-11-25 16:30"));
    }

    #[test]
    fn a_plan_has_a_topic_a_place_and_a_short_agenda() {
        let starts = at("2026-11-25 14:30");
        let kind = MeetingKind::CommitteeMeeting;
        assert!(MeetingPlan::parse(kind, "", starts, "会议室", ("", "")).is_err());
        assert!(MeetingPlan::parse(kind, "研究发展党员", starts, "", ("", "")).is_err());
        let p = MeetingPlan::parse(
            kind,
            "研究发展党员",
            starts,
            "党员活动室",
            (
                "学习习近平总书记重要讲话精神",
                "讨论发展对象\n\n研究主题党日安排",
            ),
        )
        .unwrap();
        assert_eq!(p.agenda.len(), 2);
        assert!(p.first_agenda_item.is_some());
    }

    #[test]
    fn the_rules_are_judged_by_month_quarter_and_year_支部条例第十二条() {
        assert_eq!(
            period_of(3, d("2026-11-23")),
            (d("2026-10-01"), d("2026-12-31"))
        );
        assert_eq!(
            period_of(1, d("2026-02-10")),
            (d("2026-02-01"), d("2026-02-28"))
        );
        assert_eq!(
            period_of(5, d("2026-12-10")),
            (d("2026-11-01"), d("2026-12-31")),
            "the last block ends with the year"
        );
        let [general, committee, ..] = branch_requirements(LifeRules::default());
        let met = [held(MeetingKind::GeneralMeeting, "2026-08-20")];
        let today = d("2026-11-23");
        assert_eq!(kept(&general, &met, d("2026-07-15"), today), Kept::Yes);
        assert_eq!(kept(&general, &met, d("2026-04-15"), today), Kept::Missed);
        assert_eq!(kept(&general, &met, today, today), Kept::Open);
        assert_eq!(kept(&committee, &met, d("2026-10-01"), today), Kept::Missed);
    }

    #[test]
    fn a_party_group_meets_each_month_支部条例第十三条() {
        let [group] = GROUP_REQUIREMENTS;
        assert_eq!(
            (group.kind, group.every_label().as_str()),
            (MeetingKind::GroupMeeting, "每月")
        );
        let met = [held(MeetingKind::GroupMeeting, "2026-10-12")];
        let today = d("2026-11-23");
        assert_eq!(kept(&group, &met, d("2026-10-01"), today), Kept::Yes);
        assert_eq!(kept(&group, &met, d("2026-09-01"), today), Kept::Missed);
    }

    #[test]
    fn a_life_meeting_in_any_month_keeps_the_year_and_lectures_are_as_the_university_sets_教育条例第十七条()
     {
        let rules = branch_requirements(LifeRules::default());
        let life = rules[4];
        assert_eq!(life.every_label(), "每年");
        let today = d("2027-01-05");
        let june = [held(MeetingKind::LifeMeeting, "2026-06-20")];
        let december = [held(MeetingKind::LifeMeeting, "2026-12-20")];
        assert_eq!(kept(&life, &june, d("2026-12-01"), today), Kept::Yes);
        assert_eq!(kept(&life, &december, d("2026-03-01"), today), Kept::Yes);
        assert_eq!(kept(&life, &[], d("2026-03-01"), today), Kept::Missed);
        // A lecture every month instead of every quarter.
        let monthly = branch_requirements(LifeRules {
            lecture_every_months: 1,
        })[3];
        let lecture = [held(MeetingKind::PartyLecture, "2026-10-10")];
        assert_eq!(kept(&rules[3], &lecture, d("2026-11-10"), today), Kept::Yes);
        assert_eq!(
            kept(&monthly, &lecture, d("2026-11-10"), today),
            Kept::Missed
        );
    }

    #[test]
    fn every_lecture_names_its_lecturer_and_the_secretary_lectures_once_a_year_支部条例_党课() {
        let plan = MeetingPlan::parse(
            MeetingKind::PartyLecture,
            "学习党的二十届四中全会精神",
            at("2026-11-25 14:30"),
            "党员活动室",
            ("", ""),
        )
        .unwrap();
        let err = check_lecturer(&plan).unwrap_err().to_string();
        assert!(err.contains("讲课人"), "{err}");
        let visitor = Lecturer::parse(None, " 李教授 ").unwrap();
        assert_eq!(visitor.as_ref().map(|l| l.name.as_str()), Some("李教授"));
        assert!(check_lecturer(&plan.clone().with_lecturer(visitor)).is_ok());
        assert_eq!(Lecturer::parse(None, "  ").unwrap(), None);
        let theme_day = MeetingPlan {
            kind: MeetingKind::ThemeDay,
            ..plan
        };
        assert!(
            check_lecturer(&theme_day).is_ok(),
            "only a 党课 must name one"
        );

        let rules = branch_requirements(LifeRules::default());
        let [quarterly, yearly] = [rules[3], rules[5]];
        assert!(yearly.by_secretary && !quarterly.by_secretary);
        assert_eq!(
            (yearly.label(), yearly.every_label().as_str()),
            ("书记讲党课", "每年")
        );
        let today = d("2027-01-05");
        let by_another = [held(MeetingKind::PartyLecture, "2026-10-10")];
        let by_secretary = [Held {
            by_secretary: true,
            ..by_another[0]
        }];
        assert_eq!(
            kept(&quarterly, &by_another, d("2026-11-01"), today),
            Kept::Yes
        );
        assert_eq!(
            kept(&yearly, &by_another, d("2026-11-01"), today),
            Kept::Missed
        );
        assert_eq!(
            kept(&yearly, &by_secretary, d("2026-03-01"), today),
            Kept::Yes
        );
        assert!(yearly.basis.contains("书记每年至少讲1次"));
    }
}
