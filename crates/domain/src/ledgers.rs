//! The five ledgers (台账) of a branch and their items (seed 001 §三: 党员信息、党组织生活、党费
//! 收缴和使用、党员联系服务群众和党支部综合台账, "共计20多个小项"). A ledger is not typed: each
//! item is a view over the records the other modules keep, with its evidence and its gaps.
//! The duties are the seed's: the committee members collect, the organization commissioner
//! compiles and archives, the secretary checks.

use crate::development::Step;
use crate::labelled_enum;
use crate::meetings::{MeetingKind, Requirement};
use crate::org::SizeWarning;
use chrono::NaiveDate;
use std::fmt;

labelled_enum! {
    /// The five ledgers.
    pub enum LedgerKind {
        Members = ("members", "党员信息台账"),
        OrganizationalLife = ("organizational_life", "党组织生活台账"),
        Dues = ("dues", "党费收缴和使用台账"),
        Outreach = ("outreach", "党员联系服务群众台账"),
        General = ("general", "党支部综合台账"),
    }
}

labelled_enum! {
    /// The items of the ledgers.
    pub enum LedgerItem {
        MemberRoster = ("member_roster", "党员名册"),
        DevelopmentRoster = ("development_roster", "入党申请人、积极分子和发展对象名册"),
        ThoughtReports = ("thought_reports", "思想汇报"),
        Disciplines = ("disciplines", "党员奖惩"),
        GeneralMeetings = ("general_meetings", "支部党员大会记录"),
        CommitteeMeetings = ("committee_meetings", "支委会记录"),
        GroupMeetings = ("group_meetings", "党小组会记录"),
        PartyLectures = ("party_lectures", "党课记录"),
        ThemeDays = ("theme_days", "主题党日记录"),
        LifeMeetings = ("life_meetings", "组织生活会记录"),
        GroupStudy = ("group_study", "集中学习记录"),
        HeartTalks = ("heart_talks", "谈心谈话记录"),
        StudyHours = ("study_hours", "党员学习学时"),
        MemberAppraisal = ("member_appraisal", "民主评议党员"),
        DuesCollection = ("dues_collection", "党费收缴登记"),
        DuesUse = ("dues_use", "党费使用"),
        Pairings = ("pairings", "党员联系群众结对"),
        Services = ("services", "服务群众记录"),
        Mailbox = ("mailbox", "书记信箱"),
        Committee = ("committee", "支部委员会及任期"),
        Development = ("development", "发展党员工作纪实"),
        OrgHistory = ("org_history", "组织沿革"),
        WorkPlans = ("work_plans", "工作计划和总结"),
    }
}

impl LedgerItem {
    /// The ledger the item belongs to.
    pub fn ledger(self) -> LedgerKind {
        use LedgerItem::*;
        match self {
            MemberRoster | DevelopmentRoster | ThoughtReports | Disciplines => LedgerKind::Members,
            GeneralMeetings | CommitteeMeetings | GroupMeetings | PartyLectures | ThemeDays
            | LifeMeetings | GroupStudy | HeartTalks | StudyHours | MemberAppraisal => {
                LedgerKind::OrganizationalLife
            }
            DuesCollection | DuesUse => LedgerKind::Dues,
            Pairings | Services | Mailbox => LedgerKind::Outreach,
            Committee | Development | OrgHistory | WorkPlans => LedgerKind::General,
        }
    }

    /// The kind of meeting whose records the item is, if it is one.
    pub fn meeting_kind(self) -> Option<MeetingKind> {
        Some(match self {
            Self::GeneralMeetings => MeetingKind::GeneralMeeting,
            Self::CommitteeMeetings => MeetingKind::CommitteeMeeting,
            Self::GroupMeetings => MeetingKind::GroupMeeting,
            Self::PartyLectures => MeetingKind::PartyLecture,
            Self::ThemeDays => MeetingKind::ThemeDay,
            Self::LifeMeetings => MeetingKind::LifeMeeting,
            Self::GroupStudy => MeetingKind::GroupStudy,
            _ => return None,
        })
    }

    /// For an item whose records the platform does not keep yet, the module that will keep
    /// them (民主评议 in reviews, 党费 in dues…); until then the paper ledger stands.
    pub fn kept_later_by(self) -> Option<&'static str> {
        use LedgerItem::*;
        match self {
            MemberAppraisal => Some("评议考核"),
            DuesCollection | DuesUse => Some("党费管理"),
            Pairings | Services | Mailbox => Some("联系服务群众"),
            WorkPlans => Some("创先争优"),
            _ => None,
        }
    }

    /// The items of a ledger, in their order.
    pub fn of(ledger: LedgerKind) -> impl Iterator<Item = LedgerItem> {
        Self::ALL
            .iter()
            .copied()
            .filter(move |i| i.ledger() == ledger)
    }
}

/// What a ledger item lacks, with what it concerns and, where one applies, the rule it is
/// held to. Shown as a line of Chinese (`Display`); the pages and the API show that line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// Members with no phone on the roster.
    NoPhone(Vec<String>),
    /// Members in no group of a branch that has groups (支部条例第十三条).
    NotInGroup(Vec<String>),
    /// Development deadlines passed: whose, the step due and its day.
    Overdue(Vec<(String, Step, NaiveDate)>),
    /// Activists with no mentor yet (细则第九条).
    NoMentor(Vec<String>),
    /// Thought reports no mentor has answered.
    Unanswered(usize),
    /// People who handed in no thought report this year.
    NoThoughtReport(Vec<String>),
    /// A meeting a rule requires that was not held in a period; `org_name` names the
    /// organization below the ledger's own that missed it.
    Missed {
        org_name: Option<String>,
        rule: Requirement,
        period: (NaiveDate, NaiveDate),
    },
    /// Meetings held whose record the secretary has not confirmed.
    Unlocked(usize),
    /// Meetings held with no minutes.
    NoMinutes(usize),
    /// Meetings held with no photo.
    NoPhoto(usize),
    /// Members no heart talk reached this year (支部条例第十九条).
    Untalked(Vec<String>),
    /// Members short of the year's study hours, each with the hours missing (教育条例第二十条).
    HoursShort(Vec<(String, crate::learning::StudyHours)>),
    /// Members away from organizational life six months running (支部条例第三十一条).
    Away(Vec<String>),
    /// No secretary sits.
    NoSecretary,
    /// The committee's term ended on this day (党章第三十一条).
    TermEnded(NaiveDate),
    /// A size rule the organization breaks.
    Size(SizeWarning),
    /// Steps recorded past their deadline (责任追究).
    LateSteps(usize),
}

impl Gap {
    /// The gap of a list of people, if anyone is on it.
    pub fn of<T>(people: Vec<T>, gap: impl FnOnce(Vec<T>) -> Gap) -> Option<Gap> {
        (!people.is_empty()).then(|| gap(people))
    }

    /// The gap of a count, if it is not zero.
    pub fn count(n: usize, gap: impl FnOnce(usize) -> Gap) -> Option<Gap> {
        (n > 0).then(|| gap(n))
    }

    /// Members outside the groups, where the branch has groups: every member belongs to one
    /// (支部条例第十三条); a branch without groups owes nothing.
    pub fn not_in_group(has_groups: bool, members: Vec<String>) -> Option<Gap> {
        Gap::of(members, Gap::NotInGroup).filter(|_| has_groups)
    }

    /// A term that ended before `today`, from the earliest end among the sitting seats: the
    /// election is due when the term ends (党章第三十一条).
    pub fn term_ended(earliest_end: Option<NaiveDate>, today: NaiveDate) -> Option<Gap> {
        earliest_end.filter(|end| *end < today).map(Gap::TermEnded)
    }
}

/// Names after a count: "3 人：甲、乙、丙".
fn named(f: &mut fmt::Formatter<'_>, names: impl ExactSizeIterator<Item = String>) -> fmt::Result {
    let n = names.len();
    write!(f, "{n} 人：{}", names.collect::<Vec<_>>().join("、"))
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |v: &Vec<String>| v.clone().into_iter();
        match self {
            Self::NoPhone(p) => {
                f.write_str("未登记联系电话 ")?;
                named(f, names(p))
            }
            Self::NotInGroup(p) => {
                f.write_str("未编入党小组 ")?;
                named(f, names(p))?;
                f.write_str("（支部条例第十三条）")
            }
            Self::Overdue(rows) => {
                let rows: Vec<String> = rows
                    .iter()
                    .map(|(name, step, by)| format!("{name}（{}，{by}）", step.label()))
                    .collect();
                write!(f, "已超过期限 {} 项：{}", rows.len(), rows.join("、"))
            }
            Self::NoMentor(p) => {
                f.write_str("尚未指定培养联系人的积极分子 ")?;
                named(f, names(p))?;
                f.write_str("（细则第九条）")
            }
            Self::Unanswered(n) => write!(f, "培养联系人尚未回复 {n} 份"),
            Self::NoThoughtReport(p) => {
                f.write_str("本年度尚未递交 ")?;
                named(f, names(p))
            }
            Self::Missed {
                org_name,
                rule,
                period: (from, until),
            } => {
                if let Some(org) = org_name {
                    write!(f, "{org}：")?;
                }
                write!(
                    f,
                    "{from} 至 {until} 未召开（{}，{}）",
                    rule.every_label(),
                    rule.basis
                )
            }
            Self::Unlocked(n) => write!(f, "{n} 次会议记录尚未经书记确认锁定"),
            Self::NoMinutes(n) => write!(f, "{n} 次会议没有会议记录"),
            Self::NoPhoto(n) => write!(f, "{n} 次会议没有照片（有作为，必有记录）"),
            Self::Untalked(p) => {
                f.write_str("尚未谈心谈话的党员 ")?;
                named(f, names(p))?;
                f.write_str("（支部条例第十九条）")
            }
            Self::HoursShort(p) => {
                f.write_str("学时未达要求 ")?;
                named(
                    f,
                    p.iter().map(|(name, h)| format!("{name}（差 {h} 学时）")),
                )?;
                f.write_str("（教育条例第二十条）")
            }
            Self::Away(p) => {
                f.write_str("连续六个月未参加组织生活 ")?;
                named(f, names(p))?;
                f.write_str("（支部条例第三十一条）")
            }
            Self::NoSecretary => f.write_str("未配备书记"),
            Self::TermEnded(end) => write!(f, "任期已于 {end} 届满，应按期换届（党章第三十一条）"),
            Self::Size(w) => write!(f, "{}（{}）", w.message, w.basis),
            Self::LateSteps(n) => write!(f, "{n} 个步骤逾期登记，已记入工作失误责任追究"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn members_outside_the_groups_are_a_gap_only_where_there_are_groups_支部条例第十三条() {
        let names = || vec!["张三".to_owned(), "李四".to_owned()];
        let gap = Gap::not_in_group(true, names()).unwrap();
        assert_eq!(
            gap.to_string(),
            "未编入党小组 2 人：张三、李四（支部条例第十三条）"
        );
        assert_eq!(Gap::not_in_group(false, names()), None);
        assert_eq!(Gap::not_in_group(true, Vec::new()), None);
    }

    #[test]
    fn a_term_ended_before_today_is_due_for_election_党章第三十一条() {
        let today = d("2026-11-23");
        let gap = Gap::term_ended(Some(d("2026-09-30")), today).unwrap();
        assert_eq!(
            gap.to_string(),
            "任期已于 2026-09-30 届满，应按期换届（党章第三十一条）"
        );
        assert_eq!(Gap::term_ended(Some(today), today), None, "ends today");
        assert_eq!(Gap::term_ended(None, today), None, "no committee");
    }

    #[test]
    fn a_gap_reads_as_a_line_with_its_count_names_and_rule() {
        let rule = Requirement::every(MeetingKind::ThemeDay, 1, "教育条例第十六条");
        let missed = Gap::Missed {
            org_name: Some("第二党支部".into()),
            rule,
            period: (d("2026-01-01"), d("2026-01-31")),
        };
        assert_eq!(
            missed.to_string(),
            "第二党支部：2026-01-01 至 2026-01-31 未召开（每月，教育条例第十六条）"
        );
        let overdue = Gap::Overdue(vec![("王五".into(), Step::Talk, d("2026-03-01"))]);
        assert_eq!(
            overdue.to_string(),
            "已超过期限 1 项：王五（党组织派人谈话，2026-03-01）"
        );
        let short = Gap::HoursShort(vec![("赵六".into(), crate::learning::StudyHours::whole(8))]);
        assert_eq!(
            short.to_string(),
            "学时未达要求 1 人：赵六（差 8 学时）（教育条例第二十条）"
        );
        assert_eq!(Gap::count(0, Gap::NoPhoto), None);
        assert_eq!(Gap::of(Vec::<String>::new(), Gap::Away), None);
    }

    #[test]
    fn five_ledgers_hold_more_than_twenty_items_seed_001_三() {
        assert_eq!(LedgerKind::ALL.len(), 5);
        assert!(LedgerItem::ALL.len() > 20);
        for ledger in LedgerKind::ALL {
            assert!(LedgerItem::of(*ledger).count() >= 2, "{ledger}");
        }
        // Every kind of meeting has its item in the ledger of organizational life.
        for kind in MeetingKind::ALL {
            let item = LedgerItem::ALL
                .iter()
                .find(|i| i.meeting_kind() == Some(*kind))
                .unwrap();
            assert_eq!(item.ledger(), LedgerKind::OrganizationalLife);
        }
    }
}
