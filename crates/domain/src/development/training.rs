//! Training classes (党校培训班) for activists, candidates and probationary members: who is
//! enrolled, the hours each attended, the examination and the certificate. A candidate's
//! certified hours in candidates' classes count toward step 11 (细则第十七条).

use super::Stage;
use crate::ids::{OrgId, PersonId};
use crate::org::OrgPath;
use crate::people::PersonStatus;
use crate::{DomainError, FieldError, labelled_enum, text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// The result of a class's examination (结业考试).
    pub enum ExamResult {
        Pending = ("pending", "未考试"),
        Passed = ("passed", "合格"),
        Failed = ("failed", "不合格"),
    }
}

/// The most hours a class may plan: a term of full days, far above any real class.
pub const MAX_CLASS_HOURS: u32 = 400;

/// A training class as planned: who it is for, when, and its hours (学时).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassPlan {
    pub name: String,
    /// Activists (入党积极分子培训班), candidates (发展对象培训班) or probationary members.
    pub audience: Stage,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: u32,
}

impl ClassPlan {
    /// Checks a class as typed: a name, an audience still in development, a period that ends
    /// after it starts, and hours between 1 and `MAX_CLASS_HOURS`.
    pub fn parse(
        name: &str,
        audience: Stage,
        (starts_on, ends_on): (NaiveDate, NaiveDate),
        hours: u32,
    ) -> Result<Self, DomainError> {
        let name = text::single_line(name, "name", "培训班名称", 100)?;
        if !matches!(
            audience,
            Stage::Activist | Stage::Candidate | Stage::Probationary
        ) {
            return Err(FieldError::new(
                "audience",
                "培训对象",
                "应为入党积极分子、发展对象或预备党员",
            )
            .into());
        }
        if ends_on < starts_on {
            return Err(FieldError::new("ends_on", "结束日期", "不能早于开始日期").into());
        }
        if !(1..=MAX_CLASS_HOURS).contains(&hours) {
            return Err(FieldError::new(
                "hours",
                "学时",
                format!("应为 1 至 {MAX_CLASS_HOURS} 之间的整数"),
            )
            .into());
        }
        Ok(Self {
            name,
            audience,
            starts_on,
            ends_on,
            hours,
        })
    }

    /// Calendar days from the first to the last day of the class.
    pub fn days(&self) -> u32 {
        u32::try_from((self.ends_on - self.starts_on).num_days() + 1).unwrap_or(0)
    }

    /// Whether a person may join: each class is for the people at one stage.
    pub fn admits(&self, name: &str, status: PersonStatus) -> Result<(), DomainError> {
        if status == self.audience.status() {
            Ok(())
        } else {
            Err(DomainError::Rule {
                code: crate::RuleCode::DevelopmentTrainingAudience,
                field: Some("person_id"),
                message: format!(
                    "{name} 是{}，该培训班面向{}",
                    status.label(),
                    self.audience.label()
                ),
                basis: "党校培训对象",
            })
        }
    }

    /// Checks a trainee's result: no more hours than the class had, and no passed
    /// examination without attending it in full.
    pub fn check_result(&self, hours: u32, exam: ExamResult) -> Result<(), DomainError> {
        if hours > self.hours {
            return Err(FieldError::new(
                "hours",
                "参训学时",
                format!("不能多于培训班的 {} 学时", self.hours),
            )
            .into());
        }
        if exam == ExamResult::Passed && hours < self.hours {
            return Err(DomainError::Rule {
                code: crate::RuleCode::DevelopmentTrainingHoursShort,
                field: Some("exam"),
                message: format!(
                    "参训 {hours} 学时，未修满培训班的 {} 学时，不能结业",
                    self.hours
                ),
                basis: "细则第十七条",
            });
        }
        Ok(())
    }
}

/// One trainee's record in a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trainee {
    pub hours: u32,
    pub exam: ExamResult,
    /// The certificate (结业证书) number, given when the examination is passed.
    pub certificate: Option<String>,
}

/// What a person's completed candidates' classes give toward step 11: hours and days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TrainingCredit {
    pub hours: u32,
    pub days: u32,
}

impl TrainingCredit {
    /// Sums the classes for candidates that the person finished with a certificate by `by`
    /// (the day step 11 is recorded: a class ending later does not count yet).
    pub fn of<'a>(
        records: impl IntoIterator<Item = (&'a ClassPlan, &'a Trainee)>,
        by: NaiveDate,
    ) -> Self {
        records
            .into_iter()
            .filter(|(c, t)| {
                c.audience == Stage::Candidate && t.certificate.is_some() && c.ends_on <= by
            })
            .fold(Self::default(), |acc, (c, t)| Self {
                hours: acc.hours + t.hours,
                days: acc.days + c.days(),
            })
    }

    /// Whether the credit alone meets step 11 (细则第十七条, `training_suffices`).
    pub fn suffices(self) -> bool {
        super::training_suffices(self.hours, self.days)
    }
}

/// A class with its organizer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingClass {
    pub id: i64,
    pub org_id: OrgId,
    #[serde(skip)]
    pub org_path: OrgPath,
    #[serde(flatten)]
    pub plan: ClassPlan,
    pub created_at: i64,
}

/// A trainee's record in a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraineeRecord {
    pub id: i64,
    pub class_id: i64,
    pub person_id: PersonId,
    #[serde(flatten)]
    pub trainee: Trainee,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn class(audience: Stage, hours: u32) -> ClassPlan {
        ClassPlan::parse(
            "2026年秋季发展对象培训班",
            audience,
            (d("2026-10-12"), d("2026-10-14")),
            hours,
        )
        .unwrap()
    }

    #[test]
    fn a_class_is_for_a_stage_in_development_with_a_period_and_hours() {
        let period = (d("2026-10-12"), d("2026-10-14"));
        assert!(ClassPlan::parse("", Stage::Candidate, period, 24).is_err());
        assert!(ClassPlan::parse("班", Stage::Applicant, period, 24).is_err());
        assert!(ClassPlan::parse("班", Stage::Full, period, 24).is_err());
        assert!(ClassPlan::parse("班", Stage::Candidate, (period.1, period.0), 24).is_err());
        assert!(ClassPlan::parse("班", Stage::Candidate, period, 0).is_err());
        assert!(ClassPlan::parse("班", Stage::Candidate, period, MAX_CLASS_HOURS + 1).is_err());
        assert_eq!(class(Stage::Candidate, 24).days(), 3);
    }

    #[test]
    fn a_class_admits_only_its_stage() {
        let c = class(Stage::Candidate, 24);
        assert!(c.admits("李明", PersonStatus::Candidate).is_ok());
        let err = c
            .admits("李明", PersonStatus::Activist)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("李明 是入党积极分子，该培训班面向发展对象"),
            "{err}"
        );
    }

    #[test]
    fn no_certificate_without_the_whole_class_细则第十七条() {
        let c = class(Stage::Candidate, 24);
        assert!(c.check_result(25, ExamResult::Pending).is_err());
        let err = c
            .check_result(20, ExamResult::Passed)
            .unwrap_err()
            .to_string();
        assert!(err.contains("细则第十七条"), "{err}");
        assert!(c.check_result(20, ExamResult::Failed).is_ok());
        assert!(c.check_result(24, ExamResult::Passed).is_ok());
    }

    #[test]
    fn candidates_certified_hours_count_toward_step_11_细则第十七条() {
        let candidates = class(Stage::Candidate, 16);
        let activists = class(Stage::Activist, 40);
        let certified = Trainee {
            hours: 16,
            exam: ExamResult::Passed,
            certificate: Some("20261012-001".to_owned()),
        };
        let failed = Trainee {
            hours: 16,
            exam: ExamResult::Failed,
            certificate: None,
        };
        let after = candidates.ends_on;
        // An activists' class and an uncertified one count nothing.
        let credit = TrainingCredit::of([(&activists, &certified), (&candidates, &failed)], after);
        assert_eq!(credit, TrainingCredit::default());
        assert!(!credit.suffices());
        // Sixteen hours over three days: days of fewer than 8 学时 are judged by the hours.
        let credit = TrainingCredit::of([(&candidates, &certified)], after);
        assert_eq!(credit, TrainingCredit { hours: 16, days: 3 });
        assert!(!credit.suffices());
        // Three full days count; a class that ends after the day of step 11 does not.
        let full = Trainee {
            hours: 24,
            ..certified.clone()
        };
        assert!(TrainingCredit::of([(&candidates, &full)], after).suffices());
        let before_the_end = after.pred_opt().unwrap();
        assert_eq!(
            TrainingCredit::of([(&candidates, &full)], before_the_end),
            TrainingCredit::default()
        );
    }
}
