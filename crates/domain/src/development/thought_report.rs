//! Thought reports (思想汇报): what applicants, activists, candidates and probationary members
//! write to the party organization about their thinking, study and work (the thought-report
//! system of seed 000 §四), each read and answered by the writer's mentors (培养联系人,
//! 细则第九条: they learn how the activist thinks and guide them).

use crate::ids::{OrgId, PersonId};
use crate::org::OrgPath;
use crate::people::PersonStatus;
use crate::{DomainError, FieldError, text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest title, report and answer, in characters.
pub const TITLE_MAX_CHARS: usize = 100;
pub const BODY_MAX_CHARS: usize = 20_000;
pub const ANSWER_MAX_CHARS: usize = 2_000;

/// A report as its writer hands it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThoughtReport {
    pub title: String,
    pub body: String,
}

/// Who answers a report: its writer's mentors, and until step 5 names any, the branch (its
/// secretary or 组织委员), so that an applicant's reports reach someone from the first day.
pub fn answered_by_branch(mentor_ids: &[PersonId]) -> bool {
    mentor_ids.is_empty()
}

/// The seats of a branch that answer its reports while no mentor is named.
pub const BRANCH_ANSWERS: [crate::org::Position; 3] = [
    crate::org::Position::Secretary,
    crate::org::Position::DeputySecretary,
    crate::org::Position::OrganizationCommissioner,
];

/// Whether a person of this status writes thought reports: everyone on the way to full
/// membership, from the application to the end of probation.
pub fn hands_in(status: PersonStatus) -> bool {
    matches!(
        status,
        PersonStatus::Applicant
            | PersonStatus::Activist
            | PersonStatus::Candidate
            | PersonStatus::Probationary
    )
}

impl ThoughtReport {
    /// Checks a report as typed by a person of `status`.
    pub fn parse(status: PersonStatus, title: &str, body: &str) -> Result<Self, DomainError> {
        if !hands_in(status) {
            return Err(DomainError::Rule {
                code: crate::RuleCode::DevelopmentThoughtReportNotDue,
                field: None,
                message: format!(
                    "思想汇报由入党申请人、入党积极分子、发展对象和预备党员递交，{}不需递交",
                    status.label()
                ),
                basis: "党员思想汇报制度",
            });
        }
        Ok(Self {
            title: text::single_line(title, "title", "标题", TITLE_MAX_CHARS)?,
            body: text::paragraphs(body, ("body", "汇报内容"), "请填写汇报内容", BODY_MAX_CHARS)?,
        })
    }
}

/// Checks a mentor's answer (回复意见) as typed.
pub fn parse_answer(answer: &str) -> Result<String, FieldError> {
    text::paragraphs(
        answer,
        ("answer", "回复意见"),
        "请填写回复意见",
        ANSWER_MAX_CHARS,
    )
}

/// A report as recorded: whose, in which organization, when, to which mentors, and the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThoughtReportRecord {
    pub id: i64,
    pub person_id: PersonId,
    pub org_id: OrgId,
    #[serde(skip)]
    pub org_path: OrgPath,
    #[serde(flatten)]
    pub report: ThoughtReport,
    pub handed_in_on: NaiveDate,
    /// The mentors it was handed to, by person id; none before mentors are assigned.
    pub mentor_ids: Vec<PersonId>,
    pub answer: Option<Answer>,
    pub created_at: i64,
}

/// A mentor's answer to a report (回复意见).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub text: String,
    pub by_person_id: PersonId,
    pub by_name: String,
    pub at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyone_on_the_way_to_full_membership_hands_in_thought_reports_seed_000_四() {
        for status in [
            PersonStatus::Applicant,
            PersonStatus::Activist,
            PersonStatus::Candidate,
            PersonStatus::Probationary,
        ] {
            let report =
                ThoughtReport::parse(status, " 第三季度思想汇报 ", "敬爱的党组织：\n…").unwrap();
            assert_eq!(report.title, "第三季度思想汇报");
        }
        for status in [PersonStatus::Full, PersonStatus::NonMember] {
            assert!(matches!(
                ThoughtReport::parse(status, "汇报", "内容"),
                Err(DomainError::Rule { .. })
            ));
        }
    }

    #[test]
    fn a_report_and_an_answer_need_their_text() {
        let err = ThoughtReport::parse(PersonStatus::Activist, "汇报", "  ").unwrap_err();
        assert!(matches!(err, DomainError::Field(f) if f.field == "body"));
        let err = ThoughtReport::parse(PersonStatus::Activist, "", "内容").unwrap_err();
        assert!(matches!(err, DomainError::Field(f) if f.field == "title"));
        assert_eq!(parse_answer("").unwrap_err().field, "answer");
        assert!(parse_answer(&"好".repeat(ANSWER_MAX_CHARS + 1)).is_err());
    }
}
