//! The five ledgers (台账) of a branch and their items (seed 001 §三: 党员信息、党组织生活、党费
//! 收缴和使用、党员联系服务群众和党支部综合台账, "共计20多个小项"). A ledger is not typed: each
//! item is a view over the records the other modules keep, with its evidence and its gaps.
//! The duties are the seed's: the committee members collect, the organization commissioner
//! compiles and archives, the secretary checks.

use crate::labelled_enum;
use crate::meetings::MeetingKind;

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

#[cfg(test)]
mod tests {
    use super::*;

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
