//! Member development (发展党员): the 5 stages and 25 steps of the 细则 with their time rules.
//!
//! A step is recorded only when the steps before it are done and its rules hold. Two kinds of
//! rule: a refusal (order, age, minimum waits, sponsors, votes, a limit the regulation says is
//! never passed) stops the step whatever anybody says; a deadline missed ("within a month")
//! is a `Breach` that only the organization department may override, with a reason, and that
//! stays listed for accountability (责任追究). The [S] numbers are constants here; the [L]
//! and [I] ones are `DevelopmentRules`, settings with the defaults of RULES.md §1.

use crate::RuleCode;
use crate::calendar::WorkCalendar;
use crate::ids::{MeetingId, OrgId, PersonId};
use crate::people::{EXTENSION_MONTHS, PROBATION_MONTHS, PersonStatus, age_on, birthday};
use crate::{DomainError, FieldError, labelled_enum};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

pub mod policy;
pub mod settings;
pub mod thought_report;
pub mod trail;
pub mod training;
pub mod vote;

labelled_enum! {
    /// The five stages (阶段) of development.
    pub enum Stage {
        Applicant = ("applicant", "入党申请人"),
        Activist = ("activist", "入党积极分子"),
        Candidate = ("candidate", "发展对象"),
        Probationary = ("probationary", "预备党员"),
        Full = ("full", "正式党员"),
    }
}

impl Stage {
    /// The stage of a person with this roster status; 群众 are at none.
    pub fn of(status: PersonStatus) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.status() == status)
    }

    /// The roster's status of a person at this stage.
    pub fn status(self) -> PersonStatus {
        match self {
            Self::Applicant => PersonStatus::Applicant,
            Self::Activist => PersonStatus::Activist,
            Self::Candidate => PersonStatus::Candidate,
            Self::Probationary => PersonStatus::Probationary,
            Self::Full => PersonStatus::Full,
        }
    }
}

labelled_enum! {
    /// The 25 steps of the 细则, and the publicity (公示) between pre-review and the form.
    pub enum Step {
        Application = ("application", "递交入党申请书"),
        Talk = ("talk", "党组织派人谈话"),
        ActivistChosen = ("activist_chosen", "确定入党积极分子"),
        ActivistFiled = ("activist_filed", "报上级党委备案（积极分子）"),
        MentorsAssigned = ("mentors_assigned", "指定培养联系人"),
        Assessment = ("assessment", "培养教育考察"),
        CandidateChosen = ("candidate_chosen", "确定发展对象"),
        CandidateFiled = ("candidate_filed", "报上级党委备案（发展对象）"),
        SponsorsChosen = ("sponsors_chosen", "确定入党介绍人"),
        BackgroundReview = ("background_review", "政治审查"),
        Training = ("training", "短期集中培训"),
        CommitteeReview = ("committee_review", "支委会审查"),
        PreReview = ("pre_review", "上级党委预审"),
        Publicity = ("publicity", "公示"),
        Form = ("form", "填写入党志愿书"),
        AdmissionVote = ("admission_vote", "支部大会讨论接收"),
        HigherTalk = ("higher_talk", "上级党委派人谈话"),
        AdmissionApproval = ("admission_approval", "上级党委审批（接收）"),
        AdmissionFiled = ("admission_filed", "报再上一级组织部门备案"),
        Placement = ("placement", "编入党支部和党小组"),
        Oath = ("oath", "入党宣誓"),
        ContinuedAssessment = ("continued_assessment", "继续教育考察"),
        ConfirmationRequest = ("confirmation_request", "提出转正申请"),
        ConfirmationVote = ("confirmation_vote", "支部大会讨论转正"),
        ConfirmationApproval = ("confirmation_approval", "上级党委审批（转正）"),
        Archive = ("archive", "材料归档"),
    }
}

labelled_enum! {
    /// Who decides or does a step.
    pub enum DecisionBody {
        Person = ("person", "本人"),
        Branch = ("branch", "党支部"),
        BranchCommittee = ("branch_committee", "支委会"),
        GeneralMeeting = ("general_meeting", "支部大会"),
        HigherCommittee = ("higher_committee", "上级党委"),
        OrgDepartment = ("org_department", "组织部门"),
    }
}

impl Step {
    /// The acts only a 基层党委 with approval power (or the organization department for it)
    /// records: the pre-review (预审), the admission and the confirmation (审批).
    pub fn needs_approval_power(self) -> bool {
        matches!(
            self,
            Self::PreReview | Self::AdmissionApproval | Self::ConfirmationApproval
        )
    }

    /// The step's number in the 细则 (1–25); publicity has none.
    pub fn number(self) -> Option<u8> {
        let i = Step::ALL.iter().position(|s| *s == self).unwrap_or(0);
        match self {
            Self::Publicity => None,
            _ if i > 13 => u8::try_from(i).ok(),
            _ => u8::try_from(i + 1).ok(),
        }
    }

    /// The stage a person is in while the step is taken.
    pub fn stage(self) -> Stage {
        let i = Step::ALL.iter().position(|s| *s == self).unwrap_or(0);
        match i {
            0..=2 => Stage::Applicant,
            3..=6 => Stage::Activist,
            7..=17 => Stage::Candidate,
            _ => Stage::Probationary,
        }
    }

    /// The decision body the 细则 names, by default (a university may set another where the
    /// regulation leaves it open).
    pub fn default_body(self) -> DecisionBody {
        use DecisionBody::*;
        match self {
            Self::Application | Self::ConfirmationRequest => Person,
            Self::ActivistChosen
            | Self::CandidateChosen
            | Self::SponsorsChosen
            | Self::CommitteeReview => BranchCommittee,
            Self::AdmissionVote | Self::ConfirmationVote => GeneralMeeting,
            Self::ActivistFiled
            | Self::CandidateFiled
            | Self::PreReview
            | Self::HigherTalk
            | Self::AdmissionApproval
            | Self::ConfirmationApproval => HigherCommittee,
            Self::AdmissionFiled => OrgDepartment,
            Self::Talk
            | Self::MentorsAssigned
            | Self::Assessment
            | Self::BackgroundReview
            | Self::Training
            | Self::Publicity
            | Self::Form
            | Self::Placement
            | Self::Oath
            | Self::ContinuedAssessment
            | Self::Archive => Branch,
        }
    }

    /// The rule that applies, as the form shows it beside the step.
    pub fn rule(self) -> &'static str {
        match self {
            Self::Application => "年满 18 周岁（细则第五条）",
            Self::Talk => "收到入党申请书后一个月内派人谈话（细则第七条）",
            Self::ActivistChosen => {
                "由支委会（未设支委会的由支部大会）研究决定；申请满一定期限，年轻申请人经推优（细则第八条，期限与年龄按本校设置）"
            }
            Self::ActivistFiled | Self::CandidateFiled => "报上级党委备案",
            Self::MentorsAssigned => "指定一至两名正式党员作培养联系人（细则第九条）",
            Self::Assessment => "每半年考察一次（细则第十一条）",
            Self::CandidateChosen => "经过一年以上培养教育和考察，由支委会讨论同意（细则第十三条）",
            Self::SponsorsChosen => {
                "两名正式党员作入党介绍人，受留党察看处分的不能作介绍人（细则第十四条）"
            }
            Self::BackgroundReview => "政治审查未通过的不能发展入党（细则第十五条）",
            Self::Training => "集中培训不少于 3 天或 24 学时（细则第十七条）",
            Self::CommitteeReview => "支委会对发展对象进行审查",
            Self::PreReview => {
                "上级党委预审，书面答复；未通过的不发入党志愿书（细则第十九条；期限按本校设置）"
            }
            Self::Publicity => {
                "公示不少于规定的工作日，反映的问题调查了结（公示制，工作日数按本校设置）"
            }
            Self::Form => "公示结束后，在入党介绍人指导下填写入党志愿书",
            Self::AdmissionVote => {
                "到会有表决权的正式党员超过应到人数的半数方可表决；赞成票超过应到会有表决权的正式党员的半数为通过；一次讨论一名发展对象"
            }
            Self::HigherTalk => "上级党委派委员或组织员谈话",
            Self::AdmissionApproval => "支部大会通过后三个月内审批，可适当延长，最长不超过六个月",
            Self::AdmissionFiled => "报再上一级党委组织部门备案",
            Self::Placement => "编入党支部和党小组",
            Self::Oath => "组织入党宣誓",
            Self::ContinuedAssessment => "对预备党员继续教育考察",
            Self::ConfirmationRequest => "预备期满前提出书面转正申请",
            Self::ConfirmationVote => {
                "预备期一年，自支部大会通过之日起；届满后讨论：按期转正、延长预备期一次（半年至一年）或取消资格（细则第三十二条）"
            }
            Self::ConfirmationApproval => "上级党委三个月内审批；党龄自转正之日起（党章第七条）",
            Self::Archive => "转正后将入党材料归入党员档案（期限按本校设置）",
        }
    }

    /// Steps taken again and again: the half-yearly assessments.
    pub fn repeats(self) -> bool {
        matches!(self, Self::Assessment | Self::ContinuedAssessment)
    }

    fn after(self) -> Option<Step> {
        let i = Step::ALL.iter().position(|s| *s == self)?;
        Step::ALL.get(i + 1).copied()
    }
}

// The [S] numbers of the 细则 and the 党章.
/// 细则第五条: an applicant is at least 18.
pub const MIN_AGE: u32 = 18;
/// 细则第七条: the talk within one month of the application.
pub const TALK_WITHIN_MONTHS: u32 = 1;
/// 细则第十一条: the branch assesses an activist every six months.
pub const ASSESSMENT_EVERY_MONTHS: u32 = 6;
/// 细则第十三条: an activist for at least a year before becoming a candidate.
pub const ACTIVIST_MIN_MONTHS: u32 = 12;
/// 细则第九条: one or two mentors.
pub const MENTORS: std::ops::RangeInclusive<usize> = 1..=2;
/// 细则第十四条: two sponsors.
pub const SPONSORS: usize = 2;
/// 细则第十七条: training of at least 3 days or 24 学时.
pub const TRAINING_MIN_HOURS: u32 = 24;
pub const TRAINING_MIN_DAYS: u32 = 3;
/// A day of training counts this many 学时 (3 天 = 24 学时).
pub const TRAINING_HOURS_PER_DAY: u32 = 8;

/// Whether training meets step 11 (细则第十七条): 24 学时, or 3 days of full days. Days of
/// fewer hours are judged by their hours (a 6-学时 class over three days is not 3 天); days
/// recorded without hours are taken as full days.
pub fn training_suffices(hours: u32, days: u32) -> bool {
    let full_days = if hours == 0 {
        days
    } else {
        days.min(hours / TRAINING_HOURS_PER_DAY)
    };
    hours >= TRAINING_MIN_HOURS || full_days >= TRAINING_MIN_DAYS
}
/// Approval within three months of the vote; extendable, never beyond six.
pub const APPROVAL_WITHIN_MONTHS: u32 = 3;
pub const APPROVAL_NEVER_BEYOND_MONTHS: u32 = 6;

/// The [L] and [I] rules: settings with the defaults of RULES.md §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DevelopmentRules {
    /// An application at least this many months old before its author becomes an activist.
    pub application_min_months: u32,
    /// Up to and including this age (28周岁以下) an activist comes through the Youth League's
    /// recommendation (推优); 0 turns the rule off.
    pub league_up_to_age: u32,
    /// The higher committee's pre-review within this many months of the committee's review.
    pub pre_review_within_months: u32,
    /// The publicity window, in working days.
    pub publicity_working_days: u32,
    /// The branch's vote within this many months of the pre-review.
    pub vote_within_months: u32,
    /// The dossier archived within this many days of the confirmation's approval.
    pub archive_within_days: u32,
}

impl Default for DevelopmentRules {
    fn default() -> Self {
        Self {
            application_min_months: 6,
            league_up_to_age: 28,
            pre_review_within_months: 1,
            publicity_working_days: 5,
            vote_within_months: 1,
            archive_within_days: 7,
        }
    }
}

/// A member named in a step: a mentor (培养联系人) or a sponsor (入党介绍人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voucher {
    pub person_id: PersonId,
    pub name: String,
    pub status: PersonStatus,
    /// Under the discipline of 留党察看, which bars a member from sponsoring.
    pub on_probation_discipline: bool,
}

/// The count of a branch general meeting's secret ballot on one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteCount {
    /// Full members entitled to vote: counted from the roll, never typed.
    #[serde(default)]
    pub entitled: u32,
    /// Of them, those who attended: counted from the roll.
    #[serde(default)]
    pub attending: u32,
    /// Of the others, those who sent a written opinion before the count; it is counted with
    /// the votes (RULES.md §1, step 15).
    #[serde(default)]
    pub written: u32,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl VoteCount {
    /// Checks the count adds up and the meeting had its quorum (attending voters more than
    /// half of those entitled, RULES.md §1 step 15).
    pub fn check(&self) -> Result<(), DomainError> {
        // In u64: counts typed into a form must not overflow on the way to a refusal.
        if u64::from(self.attending) + u64::from(self.written) > u64::from(self.entitled) {
            return Err(FieldError::new(
                "attending",
                "到会有表决权的正式党员",
                "到会和书面表达意见的人数合计不能多于应到人数",
            )
            .into());
        }
        let votes = u64::from(self.yes) + u64::from(self.no) + u64::from(self.abstain);
        if votes > u64::from(self.attending) + u64::from(self.written) {
            return Err(FieldError::new(
                "yes",
                "表决票数",
                "赞成、反对、弃权合计不能多于到会和书面表达意见的人数",
            )
            .into());
        }
        if u64::from(self.attending) * 2 <= u64::from(self.entitled) {
            return Err(DomainError::Rule {
                code: crate::RuleCode::DevelopmentVoteQuorum,
                field: Some("attending"),
                message: format!(
                    "到会有表决权的正式党员 {} 人，未超过应到 {} 人的半数，会议不能进行表决",
                    self.attending, self.entitled
                ),
                basis: "细则·支部大会讨论接收预备党员",
            });
        }
        Ok(())
    }

    /// Passed when the yes-votes are more than half of the full members entitled to vote, not
    /// of those attending.
    pub fn passed(&self) -> bool {
        u64::from(self.yes) * 2 > u64::from(self.entitled)
    }
}

labelled_enum! {
    /// How a full member entitled to vote took part in a branch general meeting's vote.
    pub enum RollCall {
        Present = ("present", "到会"),
        Written = ("written", "书面表达意见"),
        Absent = ("absent", "缺席"),
    }
}

/// A full member entitled to vote, on the roll of a vote (who was entitled, who attended).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollEntry {
    pub person_id: PersonId,
    pub name: String,
    pub call: RollCall,
}

impl VoteCount {
    /// The count of a roll and the ballots (a secret ballot: counted, never named).
    pub fn from_roll(roll: &[RollEntry], (yes, no, abstain): (u32, u32, u32)) -> Self {
        let n = |call| {
            u32::try_from(roll.iter().filter(|r| r.call == call).count()).unwrap_or(u32::MAX)
        };
        Self {
            entitled: u32::try_from(roll.len()).unwrap_or(u32::MAX),
            attending: n(RollCall::Present),
            written: n(RollCall::Written),
            yes,
            no,
            abstain,
        }
    }

    /// Checks a count against its roll: every vote carries one, and the count is of it, each
    /// person once (RULES.md §1 step 15: whom the count is of).
    fn check_roll(&self, roll: &[RollEntry]) -> Result<(), DomainError> {
        if roll.is_empty() {
            return Err(DomainError::Rule {
                code: crate::RuleCode::DevelopmentRollOfVoters,
                field: Some("roll"),
                message: "表决须附到会名单：本支部有表决权的全体正式党员及其到会情况".to_owned(),
                basis: "细则·支部大会讨论接收预备党员",
            });
        }
        let mut ids: Vec<PersonId> = roll.iter().map(|r| r.person_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let counted = Self::from_roll(roll, (self.yes, self.no, self.abstain));
        if ids.len() != roll.len() || counted != *self {
            return Err(FieldError::new("roll", "到会名单", "与应到、实到人数不符").into());
        }
        Ok(())
    }
}

labelled_enum! {
    /// What the branch decides when a probation ends (细则第三十二条).
    pub enum ConfirmationOutcome {
        Confirm = ("confirm", "按期转为正式党员"),
        Extend = ("extend", "延长预备期"),
        Cancel = ("cancel", "取消预备党员资格"),
    }
}

/// What a step records beyond its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepDetail {
    Plain,
    /// Step 3: whether the Youth League recommended the applicant (推优).
    Recommendation {
        by_league: bool,
    },
    /// Steps 5 and 9.
    Members {
        members: Vec<Voucher>,
    },
    /// Step 7: whose opinions were heard in talks and inspection (座谈考察).
    Hearing {
        /// The party group's, where the branch has groups.
        group: bool,
        mentors: bool,
        members: bool,
        non_members: bool,
    },
    /// Steps 10 and 13.
    Review {
        passed: bool,
    },
    /// Step 11: hours and days attended.
    Training {
        hours: u32,
        days: u32,
    },
    /// The publicity window and the objections raised in it.
    Publicity {
        until: NaiveDate,
        objections: u32,
        unresolved: u32,
    },
    /// Step 15: the count, the roll of who was entitled and who attended, and the 支部党员大会
    /// it was taken at.
    Vote {
        count: VoteCount,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        roll: Vec<RollEntry>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        meeting_id: Option<MeetingId>,
    },
    /// Step 23, as step 15; `extend_months` only for an extension.
    Confirmation {
        count: VoteCount,
        outcome: ConfirmationOutcome,
        extend_months: Option<u32>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        roll: Vec<RollEntry>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        meeting_id: Option<MeetingId>,
    },
}

impl StepDetail {
    /// A vote's count, roll and meeting (steps 15 and 23, alike in these), to be filled from
    /// the roll taken; none for other details.
    pub fn ballot_mut(
        &mut self,
    ) -> Option<(&mut VoteCount, &mut Vec<RollEntry>, Option<MeetingId>)> {
        match self {
            Self::Vote {
                count,
                roll,
                meeting_id,
            }
            | Self::Confirmation {
                count,
                roll,
                meeting_id,
                ..
            } => Some((count, roll, *meeting_id)),
            _ => None,
        }
    }

    /// The details in one line, as the record and its documents show them.
    pub fn summary(&self) -> String {
        match self {
            Self::Plain => String::new(),
            Self::Recommendation { by_league: true } => "经共青团推优".to_owned(),
            Self::Recommendation { by_league: false } => "党员推荐".to_owned(),
            Self::Members { members } => members
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            Self::Hearing {
                group,
                mentors,
                members,
                non_members,
            } => {
                let heard: Vec<&str> = [
                    (*group, "党小组"),
                    (*mentors, "培养联系人"),
                    (*members, "党员"),
                    (*non_members, "群众"),
                ]
                .into_iter()
                .filter_map(|(h, who)| h.then_some(who))
                .collect();
                format!("听取了{}的意见", heard.join("、"))
            }
            Self::Review { passed } => if *passed { "合格" } else { "不合格" }.to_owned(),
            Self::Training { hours, days } => format!("{days} 天，{hours} 学时"),
            Self::Publicity {
                until,
                objections,
                unresolved,
            } => format!("至 {until}；反映 {objections} 件，未了结 {unresolved} 件"),
            Self::Vote { count, .. } => format!(
                "应到 {}，实到 {}{}；赞成 {}、反对 {}、弃权 {}（{}）",
                count.entitled,
                count.attending,
                if count.written > 0 {
                    format!("，书面表达意见 {}", count.written)
                } else {
                    String::new()
                },
                count.yes,
                count.no,
                count.abstain,
                if count.passed() {
                    "通过"
                } else {
                    "未通过"
                }
            ),
            Self::Confirmation {
                count,
                outcome,
                extend_months,
                ..
            } => format!(
                "{}{}；赞成 {}/应到 {}",
                outcome.label(),
                extend_months
                    .map(|m| format!(" {m} 个月"))
                    .unwrap_or_default(),
                count.yes,
                count.entitled
            ),
        }
    }
}

/// One recorded step of a person's development.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepEntry {
    pub step: Step,
    pub on: NaiveDate,
    pub body: DecisionBody,
    pub detail: StepDetail,
}

/// What the rules need to know about the person and their branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub birth_date: NaiveDate,
    /// Whether the branch has a committee; without one the general meeting decides (细则第八条).
    pub branch_has_committee: bool,
    pub today: NaiveDate,
}

/// A deadline passed: recorded only by the organization department's override, with a reason,
/// and listed for accountability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breach {
    pub step: Step,
    pub message: String,
    pub basis: &'static str,
}

fn months(from: NaiveDate, n: u32) -> NaiveDate {
    from.checked_add_months(Months::new(n))
        .unwrap_or(NaiveDate::MAX)
}

fn refuse(
    code: RuleCode,
    field: &'static str,
    message: impl Into<String>,
    basis: &'static str,
) -> DomainError {
    DomainError::Rule {
        code,
        field: Some(field),
        message: message.into(),
        basis,
    }
}

/// A person's recorded steps, oldest first, and what follows from them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub steps: Vec<StepEntry>,
}

impl History {
    pub fn new(mut steps: Vec<StepEntry>) -> Self {
        steps.sort_by_key(|s| s.on);
        Self { steps }
    }

    /// The latest entry of a step (the steps that repeat, the last one).
    pub fn last_of(&self, step: Step) -> Option<&StepEntry> {
        self.steps.iter().rev().find(|s| s.step == step)
    }

    pub fn date_of(&self, step: Step) -> Option<NaiveDate> {
        self.last_of(step).map(|s| s.on)
    }

    fn last_outcome(&self) -> Option<(ConfirmationOutcome, Option<u32>)> {
        self.last_of(Step::ConfirmationVote)
            .and_then(|s| match &s.detail {
                StepDetail::Confirmation {
                    outcome,
                    extend_months,
                    ..
                } => Some((*outcome, *extend_months)),
                _ => None,
            })
    }

    /// The written result of the latest pre-review (预审), if there was one.
    fn pre_review_passed(&self) -> Option<bool> {
        self.last_of(Step::PreReview)
            .map(|s| matches!(s.detail, StepDetail::Review { passed: true }))
    }

    fn admission_passed(&self) -> Option<bool> {
        self.last_of(Step::AdmissionVote).map(|s| match &s.detail {
            StepDetail::Vote { count, .. } => count.passed(),
            _ => false,
        })
    }

    /// The stage the steps have reached.
    pub fn stage(&self) -> Stage {
        let done = |s| self.last_of(s).is_some();
        if done(Step::ConfirmationApproval)
            && self.last_outcome().map(|o| o.0) == Some(ConfirmationOutcome::Confirm)
        {
            Stage::Full
        } else if done(Step::AdmissionApproval) {
            Stage::Probationary
        } else if done(Step::CandidateChosen) {
            Stage::Candidate
        } else if done(Step::ActivistChosen) {
            Stage::Activist
        } else {
            Stage::Applicant
        }
    }

    /// Whether the development ended without membership: a failed vote or a cancelled
    /// probation, approved.
    pub fn ended(&self) -> bool {
        self.last_of(Step::ConfirmationApproval).is_some()
            && self.last_outcome().map(|o| o.0) == Some(ConfirmationOutcome::Cancel)
    }

    /// The roster status a person of `status` moves to with these steps, when it changes: the
    /// stage the steps reached, or 群众 once probation is cancelled (细则第三十二条). Earlier
    /// steps entered for someone already further on change nothing; 群众 who hand in an
    /// application become applicants.
    pub fn status_after(&self, status: PersonStatus) -> Option<PersonStatus> {
        let next = if self.ended() {
            PersonStatus::NonMember
        } else {
            let reached = self.stage();
            match Stage::of(status) {
                Some(now) if reached > now => reached.status(),
                Some(_) => return None,
                None if status == PersonStatus::NonMember => reached.status(),
                None => return None,
            }
        };
        (next != status).then_some(next)
    }

    /// 入党日期: probationary membership counts from the branch's vote (细则第三十二条).
    pub fn join_date(&self) -> Option<NaiveDate> {
        self.date_of(Step::AdmissionApproval)?;
        self.date_of(Step::AdmissionVote)
    }

    /// The day probation ends: a year from the vote, plus the extension if one was decided.
    pub fn probation_end(&self) -> Option<NaiveDate> {
        let join = self.join_date()?;
        let extension = self
            .steps
            .iter()
            .filter_map(|s| match &s.detail {
                StepDetail::Confirmation {
                    outcome: ConfirmationOutcome::Extend,
                    extend_months,
                    ..
                } => *extend_months,
                _ => None,
            })
            .sum::<u32>();
        Some(months(join, PROBATION_MONTHS + extension))
    }

    /// 转正日期: confirmation dates from the end of probation, and 党龄 counts from it (党章第七条).
    pub fn confirmation_date(&self) -> Option<NaiveDate> {
        (self.stage() == Stage::Full)
            .then(|| self.probation_end())
            .flatten()
    }

    /// The steps that may come next.
    pub fn next_steps(&self) -> Vec<Step> {
        let Some(last) = self.steps.last() else {
            return vec![Step::Application];
        };
        match last.step {
            Step::Assessment => vec![Step::Assessment, Step::CandidateChosen],
            Step::ContinuedAssessment => {
                vec![Step::ContinuedAssessment, Step::ConfirmationRequest]
            }
            // A pre-review that failed is held again once the branch has answered it.
            Step::PreReview if self.pre_review_passed() == Some(false) => {
                vec![Step::PreReview]
            }
            // A failed political review ends the path (细则第十五条).
            Step::BackgroundReview
                if matches!(last.detail, StepDetail::Review { passed: false }) =>
            {
                Vec::new()
            }
            // A vote that failed ends this round; the branch may vote again later.
            Step::AdmissionVote if self.admission_passed() == Some(false) => {
                vec![Step::AdmissionVote]
            }
            Step::ConfirmationApproval => match self.last_outcome() {
                Some((ConfirmationOutcome::Extend, _)) => {
                    vec![Step::ContinuedAssessment, Step::ConfirmationVote]
                }
                Some((ConfirmationOutcome::Confirm, _)) => vec![Step::Archive],
                _ => Vec::new(),
            },
            step => step.after().into_iter().collect(),
        }
    }

    /// Checks `next` against the order, the dates and the rules. A refusal is an error; a
    /// deadline passed is returned as a breach for the caller to refuse or let the
    /// organization department override.
    pub fn check(
        &self,
        next: &StepEntry,
        ctx: &Context,
        rules: &DevelopmentRules,
        calendar: &WorkCalendar,
    ) -> Result<Option<Breach>, DomainError> {
        // A failed political review ends the path: no training, pre-review, publicity or form
        // follows it (细则第十五条).
        let position = |s: Step| Step::ALL.iter().position(|x| *x == s);
        if next.step != Step::BackgroundReview
            && position(next.step) > position(Step::BackgroundReview)
            && matches!(
                self.last_of(Step::BackgroundReview).map(|s| &s.detail),
                Some(StepDetail::Review { passed: false })
            )
        {
            return Err(refuse(
                RuleCode::DevelopmentPoliticalReviewFailed,
                "step",
                format!(
                    "政治审查结论为不合格，不能再登记“{}”：政治审查不合格的不能发展入党",
                    next.step.label()
                ),
                "细则第十五条",
            ));
        }
        let allowed = self.next_steps();
        if !allowed.contains(&next.step) {
            let expected = allowed
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join("或");
            let message = if expected.is_empty() {
                format!("发展程序已结束，不能再登记“{}”", next.step.label())
            } else {
                format!("下一步应为“{expected}”，不能登记“{}”", next.step.label())
            };
            return Err(refuse(
                RuleCode::DevelopmentStepOrder,
                "step",
                message,
                "细则第四条",
            ));
        }
        if next.on > ctx.today {
            return Err(FieldError::new("on", "日期", "不能晚于今天").into());
        }
        if let Some(last) = self.steps.last()
            && next.on < last.on
        {
            return Err(FieldError::new(
                "on",
                "日期",
                format!("不能早于上一步“{}”的日期 {}", last.step.label(), last.on),
            )
            .into());
        }
        self.check_rules(next, ctx, rules, calendar)
    }

    fn check_rules(
        &self,
        next: &StepEntry,
        ctx: &Context,
        rules: &DevelopmentRules,
        calendar: &WorkCalendar,
    ) -> Result<Option<Breach>, DomainError> {
        let on = next.on;
        // Whatever a university sets, the bodies the 细则 names decide their steps.
        if let Some(fixed) = next.step.fixed_body() {
            let allowed = match next.step {
                // The general meeting stands in where the branch has no committee.
                Step::ActivistChosen | Step::CandidateChosen | Step::CommitteeReview => matches!(
                    next.body,
                    DecisionBody::BranchCommittee | DecisionBody::GeneralMeeting
                ),
                _ => next.body == fixed,
            };
            if !allowed {
                return Err(refuse(
                    RuleCode::DevelopmentDecidingBody,
                    "body",
                    format!("“{}”应由{}决定", next.step.label(), fixed.label()),
                    "细则",
                ));
            }
        }
        let late = |by: NaiveDate, message: String, basis: &'static str| {
            Ok((on > by).then_some(Breach {
                step: next.step,
                message,
                basis,
            }))
        };
        let since = |step: Step| self.date_of(step).unwrap_or(on);
        match (next.step, &next.detail) {
            (Step::Application, _) => {
                if age_on(ctx.birth_date, on) < MIN_AGE {
                    return Err(refuse(
                        RuleCode::DevelopmentApplicantAge,
                        "on",
                        format!(
                            "递交申请时未满 {MIN_AGE} 周岁（{} 满 18 周岁）",
                            birthday(ctx.birth_date, MIN_AGE)
                        ),
                        "细则第五条",
                    ));
                }
                Ok(None)
            }
            (Step::Talk, _) => {
                let by = months(since(Step::Application), TALK_WITHIN_MONTHS);
                late(
                    by,
                    format!("应在收到申请书后一个月内谈话（{by} 前）"),
                    "细则第七条",
                )
            }
            (Step::ActivistChosen, detail) => {
                let earliest = months(since(Step::Application), rules.application_min_months);
                if on < earliest {
                    return Err(refuse(
                        RuleCode::DevelopmentApplicationWait,
                        "on",
                        format!(
                            "递交申请书满 {} 个月后方可确定为入党积极分子（{earliest} 起）",
                            rules.application_min_months
                        ),
                        "细则第八条（本校设置）",
                    ));
                }
                let by_league = matches!(detail, StepDetail::Recommendation { by_league: true });
                if rules.league_up_to_age > 0
                    && age_on(ctx.birth_date, on) <= rules.league_up_to_age
                    && !by_league
                {
                    return Err(refuse(
                        RuleCode::DevelopmentLeagueRecommendation,
                        "by_league",
                        format!(
                            "{} 周岁以下的申请人应经共青团推荐（推优）",
                            rules.league_up_to_age
                        ),
                        "细则第八条（本校设置）",
                    ));
                }
                check_body(next, ctx)?;
                Ok(None)
            }
            (Step::MentorsAssigned, StepDetail::Members { members }) => {
                if !MENTORS.contains(&members.len()) {
                    return Err(refuse(
                        RuleCode::DevelopmentMentorsCount,
                        "members",
                        "培养联系人应为一至两名",
                        "细则第九条",
                    ));
                }
                check_full_members(members, "培养联系人", "细则第九条")?;
                Ok(None)
            }
            (Step::Assessment, _) => {
                let previous = self
                    .date_of(Step::Assessment)
                    .unwrap_or_else(|| since(Step::ActivistChosen));
                let by = months(previous, ASSESSMENT_EVERY_MONTHS);
                late(by, format!("应每半年考察一次（{by} 前）"), "细则第十一条")
            }
            (
                Step::CandidateChosen,
                StepDetail::Hearing {
                    mentors,
                    members,
                    non_members,
                    ..
                },
            ) => {
                check_body(next, ctx)?;
                let unheard: Vec<&str> = [
                    (*mentors, "培养联系人"),
                    (*members, "党员"),
                    (*non_members, "群众"),
                ]
                .into_iter()
                .filter_map(|(h, who)| (!h).then_some(who))
                .collect();
                if !unheard.is_empty() {
                    return Err(refuse(
                        RuleCode::DevelopmentOpinionsHeard,
                        "hearing",
                        format!("确定发展对象前应听取{}的意见", unheard.join("、")),
                        "细则第十三条",
                    ));
                }
                let earliest = months(since(Step::ActivistChosen), ACTIVIST_MIN_MONTHS);
                if on < earliest {
                    return Err(refuse(
                        RuleCode::DevelopmentActivistOneYear,
                        "on",
                        format!("经过一年以上培养教育和考察方可确定为发展对象（{earliest} 起）"),
                        "细则第十三条",
                    ));
                }
                Ok(None)
            }
            (Step::SponsorsChosen, StepDetail::Members { members }) => {
                if members.len() != SPONSORS {
                    return Err(refuse(
                        RuleCode::DevelopmentSponsorsCount,
                        "members",
                        "入党介绍人应为两名正式党员",
                        "细则第十四条",
                    ));
                }
                check_full_members(members, "入党介绍人", "细则第十四条")?;
                if let Some(m) = members.iter().find(|m| m.on_probation_discipline) {
                    return Err(refuse(
                        RuleCode::DevelopmentSponsorOnProbation,
                        "members",
                        format!("{} 正受留党察看处分，不能作入党介绍人", m.name),
                        "细则第十四条",
                    ));
                }
                Ok(None)
            }
            (Step::Training, StepDetail::Training { hours, days }) => {
                if !training_suffices(*hours, *days) {
                    return Err(refuse(
                        RuleCode::DevelopmentTrainingHours,
                        "hours",
                        format!(
                            "集中培训不少于 {TRAINING_MIN_DAYS} 天或 {TRAINING_MIN_HOURS} 学时，每天按 {TRAINING_HOURS_PER_DAY} 学时计（现为 {days} 天、{hours} 学时）"
                        ),
                        "细则第十七条",
                    ));
                }
                Ok(None)
            }
            (Step::PreReview, StepDetail::Review { .. }) => {
                let by = months(since(Step::CommitteeReview), rules.pre_review_within_months);
                late(
                    by,
                    format!(
                        "预审应在支委会审查后 {} 个月内完成（{by} 前）",
                        rules.pre_review_within_months
                    ),
                    "细则第十九条（本校设置）",
                )
            }
            (Step::Publicity, StepDetail::Publicity { .. }) | (Step::Form, _)
                if self.pre_review_passed() != Some(true) =>
            {
                Err(refuse(
                    RuleCode::DevelopmentPrereviewFailed,
                    "step",
                    "上级党委预审未通过的，不发入党志愿书、不予公示",
                    "细则第十九条",
                ))
            }
            (
                Step::Publicity,
                StepDetail::Publicity {
                    until,
                    objections,
                    unresolved,
                },
            ) => {
                if *until > ctx.today {
                    return Err(refuse(
                        RuleCode::DevelopmentPublicityNotEnded,
                        "until",
                        format!("公示到 {until} 结束，结束后方可登记"),
                        "公示制",
                    ));
                }
                let days = calendar.working_days(on, *until);
                if days < rules.publicity_working_days {
                    return Err(refuse(
                        RuleCode::DevelopmentPublicityWorkingDays,
                        "until",
                        format!(
                            "公示期不少于 {} 个工作日（{on} 至 {until} 为 {days} 个）",
                            rules.publicity_working_days
                        ),
                        "公示制（本校设置）",
                    ));
                }
                if unresolved > objections {
                    return Err(FieldError::new(
                        "unresolved",
                        "未了结的反映",
                        "不能多于收到的反映",
                    )
                    .into());
                }
                if *unresolved > 0 {
                    return Err(refuse(
                        RuleCode::DevelopmentPublicityObjectionsOpen,
                        "unresolved",
                        format!("公示期间的反映尚有 {unresolved} 件未调查了结"),
                        "公示制",
                    ));
                }
                Ok(None)
            }
            (Step::Form, _) => {
                if let Some(StepDetail::Publicity { until, .. }) =
                    self.last_of(Step::Publicity).map(|s| &s.detail)
                    && on < *until
                {
                    return Err(refuse(
                        RuleCode::DevelopmentFormAfterPublicity,
                        "on",
                        format!("公示结束（{until}）后方可填写入党志愿书"),
                        "公示制",
                    ));
                }
                Ok(None)
            }
            (
                Step::AdmissionVote,
                StepDetail::Vote {
                    count,
                    roll,
                    meeting_id,
                },
            ) => {
                let passed_review = matches!(
                    self.last_of(Step::BackgroundReview).map(|s| &s.detail),
                    Some(StepDetail::Review { passed: true })
                );
                if !passed_review {
                    return Err(refuse(
                        RuleCode::DevelopmentPoliticalReviewFailed,
                        "step",
                        "政治审查未通过的，不能发展入党",
                        "细则第十五条",
                    ));
                }
                vote::taken_at_meeting(*meeting_id)?;
                count.check()?;
                count.check_roll(roll)?;
                let by = months(since(Step::PreReview), rules.vote_within_months);
                late(
                    by,
                    format!(
                        "支部大会应在预审后 {} 个月内讨论（{by} 前）",
                        rules.vote_within_months
                    ),
                    "细则·支部大会讨论（本校设置）",
                )
            }
            (Step::AdmissionApproval, _) => {
                let vote = since(Step::AdmissionVote);
                let never = months(vote, APPROVAL_NEVER_BEYOND_MONTHS);
                if on > never {
                    return Err(refuse(
                        RuleCode::DevelopmentApprovalSixMonths,
                        "on",
                        format!("审批期限最长不超过六个月（{never} 前）"),
                        "细则·上级党委审批",
                    ));
                }
                let by = months(vote, APPROVAL_WITHIN_MONTHS);
                late(
                    by,
                    format!("上级党委应在三个月内审批（{by} 前），超过须说明延长的原因"),
                    "细则·上级党委审批",
                )
            }
            (
                Step::ConfirmationVote,
                StepDetail::Confirmation {
                    count,
                    outcome,
                    extend_months,
                    roll,
                    meeting_id,
                },
            ) => {
                vote::taken_at_meeting(*meeting_id)?;
                count.check()?;
                count.check_roll(roll)?;
                // Confirming, extending and cancelling alike are decided by the 支部大会 with
                // more than half of those entitled voting for it (党章第七条).
                if !count.passed() {
                    return Err(refuse(
                        RuleCode::DevelopmentFullMembershipMajority,
                        "yes",
                        format!(
                            "赞成票 {} 张，未超过应到会有表决权的正式党员 {} 人的半数，不能{}",
                            count.yes,
                            count.entitled,
                            outcome.label()
                        ),
                        "党章第七条、细则第三十二条",
                    ));
                }
                let end = self.probation_end().unwrap_or(on);
                if on < end {
                    return Err(refuse(
                        RuleCode::DevelopmentProbationNotEnded,
                        "on",
                        format!("预备期至 {end} 届满，届满后方可讨论转正"),
                        "细则第三十二条",
                    ));
                }
                match outcome {
                    ConfirmationOutcome::Extend => {
                        let extended_before = self.steps.iter().any(|s| {
                            matches!(
                                s.detail,
                                StepDetail::Confirmation {
                                    outcome: ConfirmationOutcome::Extend,
                                    ..
                                }
                            )
                        });
                        if extended_before {
                            return Err(refuse(
                                RuleCode::DevelopmentProbationExtendedOnce,
                                "outcome",
                                "预备期只能延长一次",
                                "细则第三十二条",
                            ));
                        }
                        if !extend_months.is_some_and(|m| EXTENSION_MONTHS.contains(&m)) {
                            return Err(refuse(
                                RuleCode::DevelopmentProbationExtensionLength,
                                "extend_months",
                                "延长预备期为半年至一年（6 至 12 个月）",
                                "细则第三十二条",
                            ));
                        }
                    }
                    ConfirmationOutcome::Confirm | ConfirmationOutcome::Cancel => {}
                }
                Ok(None)
            }
            (Step::ConfirmationApproval, _) => {
                let by = months(since(Step::ConfirmationVote), APPROVAL_WITHIN_MONTHS);
                late(
                    by,
                    format!("上级党委应在三个月内审批转正（{by} 前）"),
                    "细则·上级党委审批转正",
                )
            }
            (Step::Archive, _) => {
                let by = since(Step::ConfirmationApproval)
                    + chrono::Duration::days(i64::from(rules.archive_within_days));
                late(
                    by,
                    format!(
                        "转正后 {} 日内将材料归档（{by} 前）",
                        rules.archive_within_days
                    ),
                    "细则·材料归档（本校设置）",
                )
            }
            // The review ends in a written conclusion (结论性材料).
            (Step::BackgroundReview, StepDetail::Review { .. }) => Ok(None),
            (
                Step::MentorsAssigned
                | Step::CandidateChosen
                | Step::SponsorsChosen
                | Step::BackgroundReview
                | Step::PreReview
                | Step::Training
                | Step::Publicity
                | Step::AdmissionVote
                | Step::ConfirmationVote,
                _,
            ) => Err(FieldError::new("detail", "登记内容", "缺少这一步需要填写的内容").into()),
            _ => Ok(None),
        }
    }

    /// The next deadline of a development under way: the step due and its day, if a rule
    /// sets one.
    pub fn due(&self, rules: &DevelopmentRules) -> Option<(Step, NaiveDate)> {
        let last = self.steps.last()?;
        let next = self.next_steps();
        let first = *next.first()?;
        let at = |step| self.date_of(step).unwrap_or(last.on);
        let by = match first {
            Step::Talk => months(at(Step::Application), TALK_WITHIN_MONTHS),
            Step::Assessment => months(last.on, ASSESSMENT_EVERY_MONTHS),
            Step::PreReview => months(at(Step::CommitteeReview), rules.pre_review_within_months),
            Step::AdmissionVote if last.step == Step::Form => {
                months(at(Step::PreReview), rules.vote_within_months)
            }
            Step::AdmissionApproval => months(at(Step::AdmissionVote), APPROVAL_WITHIN_MONTHS),
            Step::ContinuedAssessment | Step::ConfirmationVote => self.probation_end()?,
            Step::ConfirmationApproval => {
                months(at(Step::ConfirmationVote), APPROVAL_WITHIN_MONTHS)
            }
            Step::Archive => {
                at(Step::ConfirmationApproval)
                    + chrono::Duration::days(i64::from(rules.archive_within_days))
            }
            _ => return None,
        };
        Some((first, by))
    }
}

/// How close a deadline counts as due: the development board's 待办, the home page's summary
/// and the daily digest list the deadlines passed or this many days ahead (本校做法 [L]).
pub const DUE_SOON_DAYS: i64 = 30;

/// Whether a deadline is due today: passed, or within `DUE_SOON_DAYS`.
pub fn is_due_soon(by: NaiveDate, today: NaiveDate) -> bool {
    by <= today + chrono::Duration::days(DUE_SOON_DAYS)
}

/// Steps 3 and 7 are decided by the branch committee, or the general meeting where the branch
/// has no committee (细则第八条、第十三条).
fn check_body(next: &StepEntry, ctx: &Context) -> Result<(), DomainError> {
    let body = if ctx.branch_has_committee {
        DecisionBody::BranchCommittee
    } else {
        DecisionBody::GeneralMeeting
    };
    if next.body != body {
        return Err(refuse(
            RuleCode::DevelopmentDecidingBody,
            "body",
            format!("应由{}研究决定", body.label()),
            "细则第八条",
        ));
    }
    Ok(())
}

fn check_full_members(
    members: &[Voucher],
    role: &str,
    basis: &'static str,
) -> Result<(), DomainError> {
    if let Some(m) = members.iter().find(|m| m.status != PersonStatus::Full) {
        return Err(refuse(
            RuleCode::DevelopmentFullMemberRequired,
            "members",
            format!("{role}应为正式党员，{} 是{}", m.name, m.status.label()),
            basis,
        ));
    }
    Ok(())
}

/// A recorded step with who recorded it and, if it passed a deadline, the override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRecord {
    pub id: i64,
    pub person_id: PersonId,
    pub org_id: OrgId,
    #[serde(skip)]
    pub org_path: crate::org::OrgPath,
    #[serde(flatten)]
    pub entry: StepEntry,
    pub note: String,
    pub recorded_by: Option<crate::ids::AccountId>,
    pub recorded_by_name: String,
    /// The deadline passed and its source.
    pub breach: Option<(String, String)>,
    pub override_reason: Option<String>,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_roster_status_follows_the_stage_reached_细则第三十二条() {
        use PersonStatus::*;
        let after = |n: usize, status| {
            History::new(kept().into_iter().take(n).collect()).status_after(status)
        };
        assert_eq!(after(1, NonMember), Some(Applicant), "群众 who apply");
        assert_eq!(after(1, Applicant), None, "no change");
        assert_eq!(after(3, Applicant), Some(Activist));
        assert_eq!(after(3, Candidate), None, "an earlier step entered late");
        assert_eq!(after(21, Candidate), Some(Probationary));
        assert_eq!(after(26, Probationary), Some(Full));

        let mut cancelled = History::new(kept().into_iter().take(24).collect());
        cancelled.steps.push(with(
            Step::ConfirmationVote,
            "2025-12-05",
            StepDetail::Confirmation {
                roll: roll_of(21, 18),
                count: count(21, 18, 17),
                meeting_id: MEETING,
                outcome: ConfirmationOutcome::Cancel,
                extend_months: None,
            },
        ));
        assert_eq!(cancelled.status_after(Probationary), None, "until approved");
        cancelled.steps.push(with(
            Step::ConfirmationApproval,
            "2026-01-08",
            StepDetail::Plain,
        ));
        assert_eq!(
            cancelled.status_after(Probationary),
            Some(NonMember),
            "probation cancelled"
        );
    }

    #[test]
    fn a_deadline_is_due_once_passed_or_within_thirty_days_本校做法() {
        let today = d("2026-11-23");
        assert!(is_due_soon(d("2026-10-01"), today), "overdue");
        assert!(is_due_soon(d("2026-12-23"), today), "30 days ahead");
        assert!(!is_due_soon(d("2026-12-24"), today));
    }

    fn ctx(today: &str) -> Context {
        Context {
            birth_date: d("2004-05-10"),
            branch_has_committee: true,
            today: d(today),
        }
    }

    fn full(id: i64, name: &str) -> Voucher {
        Voucher {
            person_id: PersonId::new(id),
            name: name.to_owned(),
            status: PersonStatus::Full,
            on_probation_discipline: false,
        }
    }

    /// The 支部党员大会 a test's vote was taken at.
    const MEETING: Option<MeetingId> = Some(MeetingId::new(1));

    /// A roll of `entitled` voters, the first `attending` of them present.
    fn roll_of(entitled: u32, attending: u32) -> Vec<RollEntry> {
        (0..entitled)
            .map(|i| RollEntry {
                person_id: PersonId::new(i64::from(i) + 1),
                name: format!("党员{i}"),
                call: if i < attending {
                    RollCall::Present
                } else {
                    RollCall::Absent
                },
            })
            .collect()
    }

    fn count(entitled: u32, attending: u32, yes: u32) -> VoteCount {
        VoteCount {
            written: 0,
            entitled,
            attending,
            yes,
            no: attending - yes,
            abstain: 0,
        }
    }

    fn entry(step: Step, on: &str, detail: StepDetail) -> StepEntry {
        let body = match step {
            Step::ActivistChosen | Step::CandidateChosen => DecisionBody::BranchCommittee,
            s => s.default_body(),
        };
        StepEntry {
            step,
            on: d(on),
            body,
            detail,
        }
    }

    /// A development kept by every rule, from application to archive.
    fn kept() -> Vec<StepEntry> {
        use Step::*;
        use StepDetail::Plain;
        vec![
            entry(Application, "2023-03-01", Plain),
            entry(Talk, "2023-03-20", Plain),
            entry(
                ActivistChosen,
                "2023-09-05",
                StepDetail::Recommendation { by_league: true },
            ),
            entry(ActivistFiled, "2023-09-10", Plain),
            entry(
                MentorsAssigned,
                "2023-09-12",
                StepDetail::Members {
                    members: vec![full(1, "王老师")],
                },
            ),
            entry(Assessment, "2024-03-01", Plain),
            entry(Assessment, "2024-08-30", Plain),
            entry(CandidateChosen, "2024-09-06", heard()),
            entry(CandidateFiled, "2024-09-10", Plain),
            entry(
                SponsorsChosen,
                "2024-09-12",
                StepDetail::Members {
                    members: vec![full(1, "王老师"), full(2, "李老师")],
                },
            ),
            entry(
                BackgroundReview,
                "2024-10-08",
                StepDetail::Review { passed: true },
            ),
            entry(
                Training,
                "2024-10-20",
                StepDetail::Training { hours: 24, days: 3 },
            ),
            entry(CommitteeReview, "2024-11-01", Plain),
            entry(PreReview, "2024-11-20", StepDetail::Review { passed: true }),
            entry(
                Publicity,
                "2024-11-21",
                StepDetail::Publicity {
                    until: d("2024-11-27"),
                    objections: 1,
                    unresolved: 0,
                },
            ),
            entry(Form, "2024-11-28", Plain),
            entry(
                AdmissionVote,
                "2024-12-05",
                StepDetail::Vote {
                    roll: roll_of(20, 15),
                    count: count(20, 15, 12),
                    meeting_id: MEETING,
                },
            ),
            entry(HigherTalk, "2024-12-15", Plain),
            entry(AdmissionApproval, "2025-01-10", Plain),
            entry(AdmissionFiled, "2025-01-15", Plain),
            entry(Placement, "2025-01-16", Plain),
            entry(Oath, "2025-01-20", Plain),
            entry(ContinuedAssessment, "2025-06-30", Plain),
            entry(ConfirmationRequest, "2025-11-20", Plain),
            entry(
                ConfirmationVote,
                "2025-12-05",
                StepDetail::Confirmation {
                    roll: roll_of(21, 18),
                    count: count(21, 18, 17),
                    meeting_id: MEETING,
                    outcome: ConfirmationOutcome::Confirm,
                    extend_months: None,
                },
            ),
            entry(ConfirmationApproval, "2026-01-08", Plain),
            entry(Archive, "2026-01-12", Plain),
        ]
    }

    /// Checks `next` after the kept steps that come before it.
    fn check_after(next: &StepEntry, today: &str) -> Result<Option<Breach>, DomainError> {
        let before: Vec<StepEntry> = kept()
            .into_iter()
            .take_while(|s| s.step != next.step)
            .collect();
        History::new(before).check(
            next,
            &ctx(today),
            &DevelopmentRules::default(),
            &WorkCalendar::default(),
        )
    }

    fn basis(r: Result<Option<Breach>, DomainError>) -> String {
        match r {
            Err(DomainError::Rule { basis, .. }) => basis.to_owned(),
            Err(e) => format!("field: {e}"),
            Ok(Some(b)) => format!("late: {}", b.basis),
            Ok(None) => "ok".to_owned(),
        }
    }

    fn with(step: Step, on: &str, detail: StepDetail) -> StepEntry {
        entry(step, on, detail)
    }

    /// Every opinion heard before step 7.
    fn heard() -> StepDetail {
        StepDetail::Hearing {
            group: true,
            mentors: true,
            members: true,
            non_members: true,
        }
    }

    #[test]
    fn a_candidate_is_chosen_after_hearing_mentors_members_and_non_members_细则第十三条() {
        let unheard = StepDetail::Hearing {
            group: false,
            mentors: true,
            members: true,
            non_members: false,
        };
        let r = check_after(
            &with(Step::CandidateChosen, "2024-09-06", unheard),
            "2026-11-23",
        );
        let message = r.as_ref().map_err(ToString::to_string).unwrap_err();
        assert!(message.contains("应听取群众的意见"), "{message}");
        assert_eq!(basis(r), "细则第十三条");
        // Without a party group, the group's opinion is not asked for.
        let without_group = StepDetail::Hearing {
            group: false,
            mentors: true,
            members: true,
            non_members: true,
        };
        assert_eq!(
            basis(check_after(
                &with(Step::CandidateChosen, "2024-09-06", without_group),
                "2026-11-23"
            )),
            "ok"
        );
    }

    #[test]
    fn a_development_kept_by_every_rule_goes_through_all_25_steps() {
        let steps = kept();
        let mut history = History::default();
        for s in &steps {
            let r = history.check(
                s,
                &ctx("2026-11-23"),
                &DevelopmentRules::default(),
                &WorkCalendar::default(),
            );
            assert_eq!(r, Ok(None), "{:?}", s.step);
            history.steps.push(s.clone());
        }
        assert_eq!(history.stage(), Stage::Full);
        assert_eq!(history.join_date(), Some(d("2024-12-05")));
        assert_eq!(
            history.confirmation_date(),
            Some(d("2025-12-05")),
            "党龄 from the end of probation"
        );
        assert!(history.next_steps().is_empty());
        let numbered: Vec<u8> = Step::ALL.iter().filter_map(|s| s.number()).collect();
        assert_eq!(numbered, (1..=25).collect::<Vec<u8>>());
    }

    #[test]
    fn steps_come_in_order_and_not_in_the_future_细则第四条() {
        let early = with(Step::CandidateChosen, "2024-09-06", heard());
        let history = History::new(kept().into_iter().take(3).collect());
        let r = history.check(
            &early,
            &ctx("2026-11-23"),
            &DevelopmentRules::default(),
            &WorkCalendar::default(),
        );
        assert!(
            r.unwrap_err()
                .to_string()
                .contains("下一步应为“报上级党委备案（积极分子）”")
        );
        let tomorrow = with(Step::Talk, "2026-11-24", StepDetail::Plain);
        assert!(
            check_after(&tomorrow, "2026-11-23")
                .unwrap_err()
                .to_string()
                .contains("不能晚于今天")
        );
        let before_previous = with(Step::Talk, "2023-02-28", StepDetail::Plain);
        assert!(
            check_after(&before_previous, "2026-11-23")
                .unwrap_err()
                .to_string()
                .contains("不能早于上一步")
        );
    }

    #[test]
    fn an_applicant_is_18_细则第五条() {
        let minor = Context {
            birth_date: d("2005-03-02"),
            ..ctx("2026-11-23")
        };
        let apply = |on| {
            History::default().check(
                &with(Step::Application, on, StepDetail::Plain),
                &minor,
                &DevelopmentRules::default(),
                &WorkCalendar::default(),
            )
        };
        assert_eq!(basis(apply("2023-03-01")), "细则第五条");
        assert_eq!(basis(apply("2023-03-02")), "ok");
    }

    #[test]
    fn the_talk_comes_within_a_month_细则第七条() {
        assert_eq!(
            basis(check_after(
                &with(Step::Talk, "2023-04-02", StepDetail::Plain),
                "2026-11-23"
            )),
            "late: 细则第七条"
        );
        assert_eq!(
            basis(check_after(
                &with(Step::Talk, "2023-04-01", StepDetail::Plain),
                "2026-11-23"
            )),
            "ok"
        );
    }

    #[test]
    fn an_activist_after_six_months_and_by_the_league_up_to_28_细则第八条() {
        // 28周岁以下 includes 28: born 1998-05-10, 28 on 2026-06-01; born 1997-05-10, 29.
        let chosen_at = |born: &str, by_league| {
            let on = "2026-06-01";
            let person = Context {
                birth_date: d(born),
                ..ctx("2026-11-23")
            };
            let mut steps: Vec<StepEntry> = kept()
                .into_iter()
                .take_while(|s| s.step != Step::ActivistChosen)
                .collect();
            steps.retain(|s| s.on < d(on));
            History::new(steps).check(
                &with(
                    Step::ActivistChosen,
                    on,
                    StepDetail::Recommendation { by_league },
                ),
                &person,
                &DevelopmentRules::default(),
                &WorkCalendar::default(),
            )
        };
        assert_eq!(
            basis(chosen_at("1998-05-10", false)),
            "细则第八条（本校设置）",
            "at 28"
        );
        assert_eq!(basis(chosen_at("1997-05-10", false)), "ok", "at 29");
        let chosen = |on, by_league| {
            with(
                Step::ActivistChosen,
                on,
                StepDetail::Recommendation { by_league },
            )
        };
        assert_eq!(
            basis(check_after(&chosen("2023-08-31", true), "2026-11-23")),
            "细则第八条（本校设置）"
        );
        assert_eq!(
            basis(check_after(&chosen("2023-09-05", false), "2026-11-23")),
            "细则第八条（本校设置）"
        );
        assert_eq!(
            basis(check_after(&chosen("2023-09-01", true), "2026-11-23")),
            "ok"
        );
        let mut by_meeting = chosen("2023-09-05", true);
        by_meeting.body = DecisionBody::GeneralMeeting;
        assert_eq!(
            basis(check_after(&by_meeting, "2026-11-23")),
            "细则第八条",
            "the branch has a committee"
        );
    }

    #[test]
    fn one_or_two_full_members_mentor_细则第九条() {
        let mut probationary = full(3, "赵同学");
        probationary.status = PersonStatus::Probationary;
        let mentors = |members| {
            with(
                Step::MentorsAssigned,
                "2023-09-12",
                StepDetail::Members { members },
            )
        };
        assert_eq!(
            basis(check_after(
                &mentors(vec![full(1, "甲"), full(2, "乙"), full(4, "丙")]),
                "2026-11-23"
            )),
            "细则第九条"
        );
        assert_eq!(
            basis(check_after(&mentors(vec![probationary]), "2026-11-23")),
            "细则第九条"
        );
        assert_eq!(
            basis(check_after(
                &mentors(vec![full(1, "甲"), full(2, "乙")]),
                "2026-11-23"
            )),
            "ok"
        );
    }

    #[test]
    fn an_activist_is_assessed_every_six_months_细则第十一条() {
        let mut history = History::new(kept().into_iter().take(5).collect());
        let r = |h: &History, on| {
            h.check(
                &with(Step::Assessment, on, StepDetail::Plain),
                &ctx("2026-11-23"),
                &DevelopmentRules::default(),
                &WorkCalendar::default(),
            )
        };
        assert_eq!(basis(r(&history, "2024-03-06")), "late: 细则第十一条");
        assert_eq!(basis(r(&history, "2024-03-05")), "ok");
        history
            .steps
            .push(with(Step::Assessment, "2024-03-01", StepDetail::Plain));
        assert_eq!(
            history.due(&DevelopmentRules::default()),
            Some((Step::Assessment, d("2024-09-01")))
        );
    }

    #[test]
    fn a_candidate_after_a_year_as_activist_细则第十三条() {
        let mut history = History::new(kept().into_iter().take(7).collect());
        let r = |h: &History, on| {
            h.check(
                &with(Step::CandidateChosen, on, heard()),
                &ctx("2026-11-23"),
                &DevelopmentRules::default(),
                &WorkCalendar::default(),
            )
        };
        assert_eq!(basis(r(&history, "2024-09-04")), "细则第十三条");
        assert!(matches!(
            r(&history, "2024-09-04"),
            Err(DomainError::Rule {
                code: RuleCode::DevelopmentActivistOneYear,
                ..
            })
        ));
        assert_eq!(basis(r(&history, "2024-09-05")), "ok");
        history.steps.truncate(5);
        assert!(
            r(&history, "2024-09-05").is_err(),
            "an assessment comes first"
        );
    }

    #[test]
    fn two_full_members_sponsor_none_under_discipline_细则第十四条() {
        let mut disciplined = full(2, "钱老师");
        disciplined.on_probation_discipline = true;
        let sponsors = |members| {
            with(
                Step::SponsorsChosen,
                "2024-09-12",
                StepDetail::Members { members },
            )
        };
        assert_eq!(
            basis(check_after(&sponsors(vec![full(1, "甲")]), "2026-11-23")),
            "细则第十四条"
        );
        let err =
            check_after(&sponsors(vec![full(1, "甲"), disciplined]), "2026-11-23").unwrap_err();
        assert!(err.to_string().contains("钱老师 正受留党察看处分"), "{err}");
        assert_eq!(
            basis(check_after(
                &sponsors(vec![full(1, "甲"), full(2, "乙")]),
                "2026-11-23"
            )),
            "ok"
        );
    }

    #[test]
    fn training_of_three_days_or_24_hours_细则第十七条() {
        let training = |hours, days| {
            with(
                Step::Training,
                "2024-10-20",
                StepDetail::Training { hours, days },
            )
        };
        assert_eq!(
            basis(check_after(&training(23, 2), "2026-11-23")),
            "细则第十七条"
        );
        assert_eq!(basis(check_after(&training(24, 2), "2026-11-23")), "ok");
        assert_eq!(basis(check_after(&training(0, 3), "2026-11-23")), "ok");
        // Days of fewer than 8 学时 are judged by their hours: 6 学时 over 3 days is not 3 天.
        assert_eq!(
            basis(check_after(&training(6, 3), "2026-11-23")),
            "细则第十七条"
        );
        assert_eq!(
            basis(check_after(&training(16, 3), "2026-11-23")),
            "细则第十七条"
        );
        assert!(training_suffices(24, 3) && training_suffices(0, 3));
    }

    #[test]
    fn a_political_review_ends_in_a_conclusion_and_a_failed_one_ends_the_path_细则第十五条() {
        let review = |detail| with(Step::BackgroundReview, "2024-10-10", detail);
        assert_eq!(
            basis(check_after(&review(StepDetail::Plain), "2026-11-23")),
            "field: 登记内容：缺少这一步需要填写的内容"
        );
        let mut before: Vec<StepEntry> = kept()
            .into_iter()
            .take_while(|s| s.step != Step::BackgroundReview)
            .collect();
        before.push(entry(
            Step::BackgroundReview,
            "2024-10-10",
            StepDetail::Review { passed: false },
        ));
        let failed = History::new(before);
        for step in [Step::Training, Step::PreReview, Step::Publicity, Step::Form] {
            let later = kept().into_iter().find(|s| s.step == step).unwrap();
            assert_eq!(
                basis(failed.check(
                    &later,
                    &ctx("2026-11-23"),
                    &DevelopmentRules::default(),
                    &WorkCalendar::default()
                )),
                "细则第十五条",
                "{step:?}"
            );
        }
    }

    #[test]
    fn no_form_and_no_publicity_after_a_failed_pre_review_细则第十九条() {
        let mut before: Vec<StepEntry> = kept()
            .into_iter()
            .take_while(|s| s.step != Step::PreReview)
            .collect();
        before.push(entry(
            Step::PreReview,
            "2024-11-18",
            StepDetail::Review { passed: false },
        ));
        let failed = History::new(before.clone());
        assert_eq!(failed.next_steps(), vec![Step::PreReview]);
        let publicity = kept()
            .into_iter()
            .find(|s| s.step == Step::Publicity)
            .unwrap();
        // Out of order once the pre-review failed; and refused by rule were it offered.
        assert!(
            failed
                .check(
                    &publicity,
                    &ctx("2026-11-23"),
                    &DevelopmentRules::default(),
                    &WorkCalendar::default()
                )
                .is_err()
        );
        before.push(entry(
            Step::PreReview,
            "2024-11-20",
            StepDetail::Review { passed: true },
        ));
        let passed = History::new(before);
        assert_eq!(
            basis(passed.check(
                &publicity,
                &ctx("2026-11-23"),
                &DevelopmentRules::default(),
                &WorkCalendar::default()
            )),
            "ok"
        );
        // A pre-review without its written result is incomplete.
        assert_eq!(
            basis(check_after(
                &with(Step::PreReview, "2024-11-20", StepDetail::Plain),
                "2026-11-23"
            )),
            "field: 登记内容：缺少这一步需要填写的内容"
        );
    }

    #[test]
    fn pre_review_within_a_month_of_the_committee_review_细则第十九条() {
        assert_eq!(
            basis(check_after(
                &with(
                    Step::PreReview,
                    "2024-12-02",
                    StepDetail::Review { passed: true }
                ),
                "2026-11-23"
            )),
            "late: 细则第十九条（本校设置）"
        );
        assert_eq!(
            basis(check_after(
                &with(
                    Step::PreReview,
                    "2024-12-01",
                    StepDetail::Review { passed: true }
                ),
                "2026-11-23"
            )),
            "ok"
        );
    }

    #[test]
    fn publicity_of_five_working_days_with_every_objection_resolved_公示制() {
        let publicity = |until: &str, objections, unresolved| {
            with(
                Step::Publicity,
                "2024-11-21",
                StepDetail::Publicity {
                    until: d(until),
                    objections,
                    unresolved,
                },
            )
        };
        // 2024-11-21 is a Thursday: Thu, Fri, Mon, Tue make four working days by the 26th.
        assert_eq!(
            basis(check_after(&publicity("2024-11-26", 0, 0), "2026-11-23")),
            "公示制（本校设置）"
        );
        assert_eq!(
            basis(check_after(&publicity("2024-11-27", 2, 1), "2026-11-23")),
            "公示制"
        );
        assert_eq!(
            basis(check_after(&publicity("2024-11-27", 2, 0), "2024-11-26")),
            "公示制",
            "not over yet"
        );
        assert_eq!(
            basis(check_after(&publicity("2024-11-27", 2, 0), "2026-11-23")),
            "ok"
        );
        assert_eq!(
            basis(check_after(
                &with(Step::Form, "2024-11-26", StepDetail::Plain),
                "2026-11-23"
            )),
            "公示制"
        );
    }

    #[test]
    fn the_vote_needs_a_passed_review_a_quorum_and_half_of_those_entitled_细则第十五条() {
        let vote = |entitled, attending, yes| {
            with(
                Step::AdmissionVote,
                "2024-12-05",
                StepDetail::Vote {
                    roll: roll_of(entitled, attending),
                    count: count(entitled, attending, yes),
                    meeting_id: MEETING,
                },
            )
        };
        assert_eq!(
            basis(check_after(&vote(20, 10, 10), "2026-11-23")),
            "细则·支部大会讨论接收预备党员",
            "10 of 20 is no quorum"
        );
        assert!(
            check_after(&vote(20, 21, 10), "2026-11-23").is_err(),
            "more attending than entitled"
        );
        let too_many = with(
            Step::AdmissionVote,
            "2024-12-05",
            StepDetail::Vote {
                roll: roll_of(20, 11),
                count: VoteCount {
                    written: 0,
                    entitled: 20,
                    attending: 11,
                    yes: 9,
                    no: 2,
                    abstain: 1,
                },
                meeting_id: MEETING,
            },
        );
        assert!(
            check_after(&too_many, "2026-11-23")
                .unwrap_err()
                .to_string()
                .contains("不能多于到会和书面表达意见的人数")
        );
        // 11 attending of 20: a quorum; 10 yes is not more than half of the 20 entitled.
        assert_eq!(basis(check_after(&vote(20, 11, 10), "2026-11-23")), "ok");
        assert!(!count(20, 11, 10).passed() && count(20, 11, 11).passed());
        let mut failed = History::new(kept().into_iter().take(16).collect());
        failed.steps.push(vote(20, 11, 10));
        assert_eq!(
            failed.next_steps(),
            vec![Step::AdmissionVote],
            "a failed vote ends the round"
        );
        let mut unreviewed = History::new(kept().into_iter().take(16).collect());
        unreviewed.steps[10].detail = StepDetail::Review { passed: false };
        let r = unreviewed.check(
            &vote(20, 15, 12),
            &ctx("2026-11-23"),
            &DevelopmentRules::default(),
            &WorkCalendar::default(),
        );
        assert_eq!(basis(r), "细则第十五条");
        assert_eq!(basis(check_after(&vote(20, 15, 12), "2026-11-23")), "ok");
        let late = with(
            Step::AdmissionVote,
            "2024-12-21",
            StepDetail::Vote {
                roll: roll_of(20, 15),
                count: count(20, 15, 12),
                meeting_id: MEETING,
            },
        );
        assert_eq!(
            basis(check_after(&late, "2026-11-23")),
            "late: 细则·支部大会讨论（本校设置）"
        );
    }

    #[test]
    fn a_roll_sets_who_was_entitled_and_who_attended_细则_支部大会讨论() {
        let roll = |calls: &[RollCall]| -> Vec<RollEntry> {
            calls
                .iter()
                .enumerate()
                .map(|(i, c)| RollEntry {
                    person_id: PersonId::new(i as i64),
                    name: format!("党员{i}"),
                    call: *c,
                })
                .collect()
        };
        use RollCall::*;
        let r = roll(&[Present, Present, Written, Absent, Absent]);
        let c = VoteCount::from_roll(&r, (3, 0, 0));
        assert_eq!((c.entitled, c.attending, c.written), (5, 2, 1));
        // Two of five attending is no quorum, whatever the written opinions.
        assert!(c.check().is_err());
        let r = roll(&[Present, Present, Present, Written, Absent]);
        let c = VoteCount::from_roll(&r, (4, 0, 0));
        assert!(
            c.check().is_ok() && c.passed(),
            "written opinions are counted with the votes"
        );
        // More ballots than voters and written opinions, or a count that disagrees with its roll.
        assert!(VoteCount::from_roll(&r, (5, 0, 0)).check().is_err());
        assert!(VoteCount { attending: 4, ..c }.check_roll(&r).is_err());
        let mut twice = r.clone();
        twice[1].person_id = PersonId::new(0);
        assert!(
            VoteCount::from_roll(&twice, (4, 0, 0))
                .check_roll(&twice)
                .is_err()
        );
        assert!(c.check_roll(&r).is_ok());
    }

    #[test]
    fn absurd_vote_counts_are_refused_not_overflowed() {
        let huge = VoteCount {
            written: 0,
            entitled: u32::MAX,
            attending: u32::MAX,
            yes: u32::MAX,
            no: u32::MAX,
            abstain: 0,
        };
        assert!(
            huge.check()
                .unwrap_err()
                .to_string()
                .contains("不能多于到会和书面表达意见的人数")
        );
        let all = VoteCount { no: 0, ..huge };
        assert!(all.check().is_ok() && all.passed());
    }

    #[test]
    fn approval_within_three_months_never_beyond_six() {
        let approve = |on| with(Step::AdmissionApproval, on, StepDetail::Plain);
        assert_eq!(
            basis(check_after(&approve("2025-06-06"), "2026-11-23")),
            "细则·上级党委审批"
        );
        assert_eq!(
            basis(check_after(&approve("2025-06-05"), "2026-11-23")),
            "late: 细则·上级党委审批"
        );
        assert_eq!(
            basis(check_after(&approve("2025-03-05"), "2026-11-23")),
            "ok"
        );
    }

    #[test]
    fn probation_is_one_year_extended_once_by_six_to_twelve_months_细则第三十二条() {
        let confirm = |on, outcome, extend_months| {
            with(
                Step::ConfirmationVote,
                on,
                StepDetail::Confirmation {
                    roll: roll_of(21, 18),
                    count: count(21, 18, 17),
                    meeting_id: MEETING,
                    outcome,
                    extend_months,
                },
            )
        };
        assert_eq!(
            basis(check_after(
                &confirm("2025-12-04", ConfirmationOutcome::Confirm, None),
                "2026-11-23"
            )),
            "细则第三十二条"
        );
        assert_eq!(
            basis(check_after(
                &confirm("2025-12-05", ConfirmationOutcome::Extend, Some(5)),
                "2026-11-23"
            )),
            "细则第三十二条"
        );
        assert_eq!(
            basis(check_after(
                &confirm("2025-12-05", ConfirmationOutcome::Extend, Some(6)),
                "2026-11-23"
            )),
            "ok"
        );
        let weak = with(
            Step::ConfirmationVote,
            "2025-12-05",
            StepDetail::Confirmation {
                roll: roll_of(21, 18),
                count: count(21, 18, 10),
                meeting_id: MEETING,
                outcome: ConfirmationOutcome::Confirm,
                extend_months: None,
            },
        );
        assert_eq!(
            basis(check_after(&weak, "2026-11-23")),
            "党章第七条、细则第三十二条"
        );
        // Extending or cancelling needs the same majority (党章第七条).
        for outcome in [ConfirmationOutcome::Extend, ConfirmationOutcome::Cancel] {
            let weak = with(
                Step::ConfirmationVote,
                "2025-12-05",
                StepDetail::Confirmation {
                    roll: roll_of(13, 10),
                    count: count(13, 10, 3),
                    meeting_id: MEETING,
                    outcome,
                    extend_months: Some(6).filter(|_| outcome == ConfirmationOutcome::Extend),
                },
            );
            assert_eq!(
                basis(check_after(&weak, "2026-11-23")),
                "党章第七条、细则第三十二条",
                "{outcome:?}"
            );
        }

        // Extended by six months: the next discussion comes when those end, and only once.
        let mut history = History::new(kept().into_iter().take(24).collect());
        history
            .steps
            .push(confirm("2025-12-05", ConfirmationOutcome::Extend, Some(6)));
        history.steps.push(with(
            Step::ConfirmationApproval,
            "2025-12-20",
            StepDetail::Plain,
        ));
        assert_eq!(history.stage(), Stage::Probationary);
        assert_eq!(history.probation_end(), Some(d("2026-06-05")));
        let rules = DevelopmentRules::default();
        let cal = WorkCalendar::default();
        let again = |on, outcome, m| {
            history.check(&confirm(on, outcome, m), &ctx("2026-11-23"), &rules, &cal)
        };
        assert_eq!(
            basis(again("2026-06-04", ConfirmationOutcome::Confirm, None)),
            "细则第三十二条"
        );
        assert_eq!(
            basis(again("2026-06-05", ConfirmationOutcome::Extend, Some(6))),
            "细则第三十二条"
        );
        assert_eq!(
            basis(again("2026-06-05", ConfirmationOutcome::Confirm, None)),
            "ok"
        );
        history
            .steps
            .push(confirm("2026-06-05", ConfirmationOutcome::Confirm, None));
        history.steps.push(with(
            Step::ConfirmationApproval,
            "2026-06-20",
            StepDetail::Plain,
        ));
        assert_eq!(history.confirmation_date(), Some(d("2026-06-05")));
    }

    #[test]
    fn confirmation_approved_within_three_months_and_archived_within_a_week() {
        assert_eq!(
            basis(check_after(
                &with(Step::ConfirmationApproval, "2026-03-06", StepDetail::Plain),
                "2026-11-23"
            )),
            "late: 细则·上级党委审批转正"
        );
        assert_eq!(
            basis(check_after(
                &with(Step::ConfirmationApproval, "2026-03-05", StepDetail::Plain),
                "2026-11-23"
            )),
            "ok"
        );
        assert_eq!(
            basis(check_after(
                &with(Step::Archive, "2026-01-16", StepDetail::Plain),
                "2026-11-23"
            )),
            "late: 细则·材料归档（本校设置）"
        );
        assert_eq!(
            basis(check_after(
                &with(Step::Archive, "2026-01-15", StepDetail::Plain),
                "2026-11-23"
            )),
            "ok"
        );
    }

    #[test]
    fn a_cancelled_probation_ends_the_development() {
        let mut history = History::new(kept().into_iter().take(24).collect());
        history.steps.push(with(
            Step::ConfirmationVote,
            "2025-12-05",
            StepDetail::Confirmation {
                roll: roll_of(21, 18),
                count: count(21, 18, 3),
                meeting_id: MEETING,
                outcome: ConfirmationOutcome::Cancel,
                extend_months: None,
            },
        ));
        history.steps.push(with(
            Step::ConfirmationApproval,
            "2025-12-20",
            StepDetail::Plain,
        ));
        assert!(history.ended());
        assert!(history.next_steps().is_empty());
        assert_eq!(history.confirmation_date(), None);
    }
}
