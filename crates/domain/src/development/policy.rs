//! Steps as data (发展党员流程设置): for each step, the body that decides it, who records it
//! and the documents that go with it. A university sets them to follow its province's
//! practice; where the 细则 fixes the body ([S]), the setting cannot move it.

use super::{DecisionBody, Step};
use crate::{DomainError, labelled_enum, text};
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// Who records a step: the branch, or an organization above it (the general branch or
    /// the committee, for the committee's own acts).
    pub enum Recorder {
        Branch = ("branch", "党支部"),
        Higher = ("higher", "上级党组织"),
    }
}

/// The most documents a step lists, and the longest name of one.
pub const MAX_DOCUMENTS: usize = 10;
pub const MAX_DOCUMENT_NAME: usize = 30;

/// How a step is run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepPolicy {
    pub body: DecisionBody,
    pub recorder: Recorder,
    /// The documents kept as its evidence (入党申请书, 入党志愿书…).
    pub documents: Vec<String>,
}

impl Step {
    /// The body the 细则 fixes for the step, if it does ([S]); the others are the
    /// university's to set.
    pub fn fixed_body(self) -> Option<DecisionBody> {
        use DecisionBody::*;
        match self {
            Self::Application | Self::ConfirmationRequest => Some(Person),
            // 支委会, or the general meeting where there is no committee (细则第八条, 第十三条).
            Self::ActivistChosen | Self::CandidateChosen | Self::CommitteeReview => {
                Some(BranchCommittee)
            }
            Self::AdmissionVote | Self::ConfirmationVote => Some(GeneralMeeting),
            Self::ActivistFiled
            | Self::CandidateFiled
            | Self::PreReview
            | Self::HigherTalk
            | Self::AdmissionApproval
            | Self::ConfirmationApproval => Some(HigherCommittee),
            Self::AdmissionFiled => Some(OrgDepartment),
            _ => None,
        }
    }

    /// The documents a step usually leaves, as the 细则 lists them for the dossier.
    pub fn default_documents(self) -> &'static [&'static str] {
        match self {
            Self::Application => &["入党申请书"],
            Self::Talk | Self::HigherTalk => &["谈话记录"],
            Self::ActivistChosen => &["推荐材料", "支委会会议记录"],
            Self::ActivistFiled | Self::CandidateFiled | Self::AdmissionFiled => &["备案报告"],
            Self::Assessment | Self::ContinuedAssessment => &["培养考察登记表", "思想汇报"],
            Self::CandidateChosen => &["支委会会议记录", "征求意见记录"],
            Self::BackgroundReview => &["政治审查材料"],
            Self::Training => &["结业证书"],
            Self::CommitteeReview => &["支委会审查意见"],
            Self::PreReview => &["预审意见"],
            Self::Publicity => &["公示材料"],
            Self::Form => &["入党志愿书"],
            Self::AdmissionVote | Self::ConfirmationVote => &["支部大会会议记录"],
            Self::AdmissionApproval | Self::ConfirmationApproval => &["审批意见"],
            Self::Oath => &["入党宣誓记录"],
            Self::ConfirmationRequest => &["转正申请书"],
            Self::Archive => &["材料归档清单"],
            Self::MentorsAssigned | Self::SponsorsChosen | Self::Placement => &[],
        }
    }

    /// The policy of RULES.md: the 细则's body, recorded where that body sits.
    pub fn default_policy(self) -> StepPolicy {
        let body = self.default_body();
        StepPolicy {
            body,
            recorder: recorder_of(body),
            documents: self
                .default_documents()
                .iter()
                .map(|d| (*d).to_owned())
                .collect(),
        }
    }
}

/// Acts of the committee or its department are recorded above the branch.
fn recorder_of(body: DecisionBody) -> Recorder {
    match body {
        DecisionBody::HigherCommittee | DecisionBody::OrgDepartment => Recorder::Higher,
        _ => Recorder::Branch,
    }
}

impl StepPolicy {
    /// A policy as a form or a client sends it: the codes of the body (empty where the 细则
    /// fixes it, which then stands) and of the recorder, and the documents by name.
    pub fn from_input(
        step: Step,
        body: &str,
        recorder: &str,
        documents: Vec<String>,
    ) -> Result<Self, DomainError> {
        let body = match step.fixed_body() {
            Some(fixed) if body.trim().is_empty() => fixed,
            _ => DecisionBody::parse(body.trim())
                .ok_or_else(|| crate::FieldError::new("body", "决定机关", "请选择决定机关"))?,
        };
        let recorder = Recorder::parse(recorder.trim())
            .ok_or_else(|| crate::FieldError::new("recorder", "登记者", "请选择由谁登记"))?;
        Self::new(step, body, recorder, documents)
    }

    /// The same with the documents as one text (`入党申请书、志愿书`, or one a line).
    pub fn parse(
        step: Step,
        body: DecisionBody,
        recorder: Recorder,
        documents: &str,
    ) -> Result<Self, DomainError> {
        Self::new(step, body, recorder, document_names(documents))
    }

    /// Checks a policy as set: a body the 细则 fixes stays, the committee's acts are recorded
    /// above the branch, and the documents are short names, a few of them.
    pub fn new(
        step: Step,
        body: DecisionBody,
        recorder: Recorder,
        documents: Vec<String>,
    ) -> Result<Self, DomainError> {
        if let Some(fixed) = step.fixed_body()
            && body != fixed
        {
            return Err(DomainError::Rule {
                code: crate::RuleCode::DevelopmentPolicyFixedBody,
                field: Some("body"),
                message: format!(
                    "“{}”由{}决定，不能改为{}",
                    step.label(),
                    fixed.label(),
                    body.label()
                ),
                basis: "细则",
            });
        }
        if recorder_of(body) == Recorder::Higher && recorder == Recorder::Branch {
            return Err(DomainError::Rule {
                code: crate::RuleCode::DevelopmentPolicyRecorderHigher,
                field: Some("recorder"),
                message: format!("{}的决定由上级党组织登记", body.label()),
                basis: "细则",
            });
        }
        let documents = documents
            .iter()
            .map(|d| text::single_line(d, "documents", "应附材料", MAX_DOCUMENT_NAME))
            .collect::<Result<Vec<_>, _>>()?;
        if documents.iter().any(|d| d.is_empty()) {
            return Err(crate::FieldError::new("documents", "应附材料", "材料名称不能为空").into());
        }
        if documents.len() > MAX_DOCUMENTS {
            return Err(crate::FieldError::new(
                "documents",
                "应附材料",
                format!("最多 {MAX_DOCUMENTS} 项"),
            )
            .into());
        }
        Ok(Self {
            body,
            recorder,
            documents,
        })
    }
}

/// The documents' names in one text, as the page's field takes them: separated by 、 , ; or
/// one a line.
pub fn document_names(text: &str) -> Vec<String> {
    text.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_from_a_client_keeps_each_name_whole_and_the_body_the_细则_fixes() {
        let p = StepPolicy::from_input(
            Step::AdmissionVote,
            "",
            "branch",
            vec!["入党志愿书、表决票".to_owned()],
        )
        .unwrap();
        assert_eq!(Some(p.body), Step::AdmissionVote.fixed_body());
        assert_eq!(p.documents, ["入党志愿书、表决票"]);
        let e = StepPolicy::from_input(Step::Training, "", "branch", Vec::new()).unwrap_err();
        assert!(matches!(e, DomainError::Field(f) if f.field == "body"));
        assert!(
            StepPolicy::from_input(Step::Training, "branch", "branch", vec![" ".into()]).is_err()
        );
    }

    #[test]
    fn a_university_sets_what_the_细则_leaves_open() {
        // The training is often the party school's: the committee runs and records it.
        let p = StepPolicy::parse(
            Step::Training,
            DecisionBody::HigherCommittee,
            Recorder::Higher,
            "结业证书、考试试卷",
        )
        .unwrap();
        assert_eq!(p.documents, ["结业证书", "考试试卷"]);
        // The committee's acts are not recorded by the branch.
        assert!(
            StepPolicy::parse(
                Step::Training,
                DecisionBody::HigherCommittee,
                Recorder::Branch,
                ""
            )
            .is_err()
        );
    }

    #[test]
    fn the_bodies_the_细则_fixes_stay_细则() {
        for step in [
            Step::AdmissionVote,
            Step::AdmissionApproval,
            Step::PreReview,
        ] {
            let err = StepPolicy::parse(step, DecisionBody::Branch, Recorder::Branch, "")
                .unwrap_err()
                .to_string();
            assert!(err.contains("不能改为"), "{err}");
        }
        for step in Step::ALL {
            let d = step.default_policy();
            assert!(
                StepPolicy::parse(*step, d.body, d.recorder, &d.documents.join("、")).is_ok(),
                "{step:?}: the defaults are a valid policy"
            );
        }
    }

    #[test]
    fn a_step_recorded_under_another_body_than_the_细则_names_is_refused() {
        use crate::calendar::WorkCalendar;
        use crate::development::{Context, DevelopmentRules, History, StepDetail, StepEntry};
        let day = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let ctx = Context {
            birth_date: day("2000-01-01"),
            branch_has_committee: true,
            today: day("2026-11-23"),
        };
        let entry = |body| StepEntry {
            step: Step::Application,
            on: day("2026-11-20"),
            body,
            detail: StepDetail::Plain,
        };
        let check = |body| {
            History::default().check(
                &entry(body),
                &ctx,
                &DevelopmentRules::default(),
                &WorkCalendar::new([]),
            )
        };
        let err = check(DecisionBody::Branch).unwrap_err().to_string();
        assert!(err.contains("应由本人决定（细则）"), "{err}");
        assert!(check(DecisionBody::Person).is_ok());
    }

    #[test]
    fn documents_are_a_few_short_names() {
        let long = "材".repeat(MAX_DOCUMENT_NAME + 1);
        assert!(
            StepPolicy::parse(Step::Talk, DecisionBody::Branch, Recorder::Branch, &long).is_err()
        );
        let many = ["材料"; MAX_DOCUMENTS + 1].join("、");
        assert!(
            StepPolicy::parse(Step::Talk, DecisionBody::Branch, Recorder::Branch, &many).is_err()
        );
    }
}
