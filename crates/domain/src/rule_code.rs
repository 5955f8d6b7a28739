//! A stable code for each rule the platform enforces (`development.activist_one_year`), so
//! that clients and tests tell refusals apart without reading the Chinese message. A code,
//! once published, keeps its meaning; a new rule gets a new code.

/// Declares the codes: each variant with the string the API returns.
macro_rules! rule_codes {
    ($($variant:ident = $code:literal,)+) => {
        /// Which rule refused an act.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleCode {
            $($variant,)+
        }

        impl RuleCode {
            pub const ALL: &[RuleCode] = &[$(RuleCode::$variant,)+];

            /// The code as the API returns it: the capability, a dot, the rule.
            pub fn code(self) -> &'static str {
                match self {
                    $(RuleCode::$variant => $code,)+
                }
            }
        }
    };
}

rule_codes! {
    // 组织机构
    OrgPlacement = "org.placement",
    OrgCommitteeFullMember = "org.committee_full_member",
    OrgCommitteeProbationDiscipline = "org.committee_probation_discipline",
    OrgGroupHasNoCommittee = "org.group_has_no_committee",
    OrgSeatTaken = "org.seat_taken",
    OrgSmallBranchNoCommittee = "org.small_branch_no_committee",
    OrgCommitteeAtMostSeven = "org.committee_at_most_seven",
    OrgPeopleInBranches = "org.people_in_branches",
    OrgDissolveHasChildren = "org.dissolve_has_children",
    OrgDissolveHasPeople = "org.dissolve_has_people",
    OrgRootFixed = "org.root_fixed",
    OrgMoveCycle = "org.move_cycle",
    OrgMergeSameKind = "org.merge_same_kind",
    // 党员名册
    PeopleJoinAge = "people.join_age",
    PeopleStatusByRecord = "people.status_by_record",
    PeopleFullAfterProbation = "people.full_after_probation",
    PeopleProbationOverTwoYears = "people.probation_over_two_years",
    PeopleTransferMembersOnly = "people.transfer_members_only",
    PeopleTransferToDissolved = "people.transfer_to_dissolved",
    PeopleDisciplineMembersOnly = "people.discipline_members_only",
    PeopleProbationDisciplineLength = "people.probation_discipline_length",
    PeopleSuspensionAfterSixMonths = "people.suspension_after_six_months",
    OrgCommitteeSuspended = "org.committee_suspended",
    PeopleWhereaboutsMembersOnly = "people.whereabouts_members_only",
    // 发展党员
    DevelopmentStepOrder = "development.step_order",
    DevelopmentDecidingBody = "development.deciding_body",
    DevelopmentApplicantAge = "development.applicant_age",
    DevelopmentApplicationWait = "development.application_wait",
    DevelopmentLeagueRecommendation = "development.league_recommendation",
    DevelopmentMentorsCount = "development.mentors_count",
    DevelopmentFullMemberRequired = "development.full_member_required",
    DevelopmentOpinionsHeard = "development.opinions_heard",
    DevelopmentActivistOneYear = "development.activist_one_year",
    DevelopmentSponsorsCount = "development.sponsors_count",
    DevelopmentSponsorOnProbation = "development.sponsor_on_probation",
    DevelopmentTrainingHours = "development.training_hours",
    DevelopmentPrereviewFailed = "development.prereview_failed",
    DevelopmentPublicityNotEnded = "development.publicity_not_ended",
    DevelopmentPublicityWorkingDays = "development.publicity_working_days",
    DevelopmentPublicityObjectionsOpen = "development.publicity_objections_open",
    DevelopmentFormAfterPublicity = "development.form_after_publicity",
    DevelopmentPoliticalReviewFailed = "development.political_review_failed",
    DevelopmentApprovalSixMonths = "development.approval_six_months",
    DevelopmentProbationNotEnded = "development.probation_not_ended",
    DevelopmentProbationExtendedOnce = "development.probation_extended_once",
    DevelopmentProbationExtensionLength = "development.probation_extension_length",
    DevelopmentFullMembershipMajority = "development.full_membership_majority",
    DevelopmentVoteQuorum = "development.vote_quorum",
    DevelopmentRollOfVoters = "development.roll_of_voters",
    DevelopmentDeadlinePassed = "development.deadline_passed",
    DevelopmentPolicyFixedBody = "development.policy_fixed_body",
    DevelopmentPolicyRecorderHigher = "development.policy_recorder_higher",
    DevelopmentThoughtReportNotDue = "development.thought_report_not_due",
    DevelopmentTrainingAudience = "development.training_audience",
    DevelopmentTrainingHoursShort = "development.training_hours_short",
    DevelopmentTraineeOutOfScope = "development.trainee_out_of_scope",
    // 组织生活
    MeetingsHeldBeforeStart = "meetings.held_before_start",
    MeetingsLocked = "meetings.locked",
    MeetingsStateTransition = "meetings.state_transition",
    MeetingsCommitteeQuorum = "meetings.committee_quorum",
    MeetingsLectureLecturer = "meetings.lecture_lecturer",
    MeetingsCheckInUsed = "meetings.check_in_used",
    MeetingsCheckInLocked = "meetings.check_in_locked",
    MeetingsCheckInExpired = "meetings.check_in_expired",
    MeetingsCheckInNotOpen = "meetings.check_in_not_open",
    MeetingsCheckInCodeInvalid = "meetings.check_in_code_invalid",
    // 平台
    PlatformGrantScopeNotAllowed = "platform.grant_scope_not_allowed",
    PlatformGrantScopeRequired = "platform.grant_scope_required",
    PlatformGrantScopeKind = "platform.grant_scope_kind",
    PlatformGrantAlreadyHeld = "platform.grant_already_held",
    PlatformDutiesSeparated = "platform.duties_separated",
    PlatformCannotDisableSelf = "platform.cannot_disable_self",
    PlatformActivationMismatch = "platform.activation_mismatch",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_has_its_own_code_named_by_its_capability() {
        let mut seen = std::collections::HashSet::new();
        for code in RuleCode::ALL {
            let c = code.code();
            assert!(seen.insert(c), "{c} twice");
            let (capability, rule) = c.split_once('.').expect("capability.rule");
            assert!(["org", "people", "development", "meetings", "platform"].contains(&capability));
            assert!(rule.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'));
        }
    }
}
