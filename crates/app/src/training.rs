//! Training classes (党校培训班): planning a class, enrolling activists, candidates or
//! probationary members of the organizer's subtree, recording hours and examinations, and the
//! certificates whose hours count toward step 11.

use crate::development::DevelopmentCases;
use crate::people::PeopleQuery;
use crate::{Actor, AppError, Result};
use dangjian_domain::FieldError;
use dangjian_domain::development::training::{ClassPlan, ExamResult, Trainee, TrainingCredit};
pub use dangjian_domain::development::training::{TraineeRecord, TrainingClass};
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::paging::Paging;
use dangjian_domain::platform::role::Action;
use dangjian_store::org as org_store;
use dangjian_store::people as people_store;
use dangjian_store::training as store;
use serde_json::json;

/// The most classes a list shows: a party school runs a handful a term.
pub const CLASS_LIST_LIMIT: u64 = 200;
/// The most people a class offers to enrol at once.
pub const ELIGIBLE_LIMIT: u64 = 500;

/// A class in a list, with its organizer and counts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClassRow {
    #[serde(flatten)]
    pub class: TrainingClass,
    pub org_name: String,
    pub trainees: usize,
    pub certified: usize,
}

/// A trainee as the class page shows them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TraineeRow {
    #[serde(flatten)]
    pub record: TraineeRecord,
    pub name: String,
    pub org_name: String,
}

/// A class with its trainees and, for those who may enrol, who else could join.
#[derive(Debug, Clone)]
pub struct ClassView {
    pub class: TrainingClass,
    pub org_name: String,
    pub trainees: Vec<TraineeRow>,
    /// People of the subtree at the class's stage, not yet enrolled: (id, name, branch).
    pub eligible: Vec<(PersonId, String, String)>,
    pub may_write: bool,
}

/// A person's classes and what they give toward step 11.
#[derive(Debug, Clone, Default)]
pub struct PersonTraining {
    pub classes: Vec<(TrainingClass, TraineeRecord)>,
    pub credit: TrainingCredit,
}

impl DevelopmentCases<'_> {
    /// How many classes were run within the actor's scope, however many are listed.
    pub async fn training_class_count(self, actor: &Actor) -> Result<u64> {
        Ok(store::count_classes(self.store.db(), &actor.access).await?)
    }

    /// The classes run within the actor's scope, newest first.
    pub async fn training_classes(self, actor: &Actor) -> Result<Vec<ClassRow>> {
        let db = self.store.db();
        let classes = store::classes(db, &actor.access, CLASS_LIST_LIMIT).await?;
        let orgs =
            org_store::by_ids(db, &classes.iter().map(|c| c.org_id).collect::<Vec<_>>()).await?;
        let counts = store::counts(db, &classes.iter().map(|c| c.id).collect::<Vec<_>>()).await?;
        let rows = classes
            .into_iter()
            .map(|class| {
                let (trainees, certified) = counts.get(&class.id).copied().unwrap_or_default();
                ClassRow {
                    org_name: orgs
                        .get(&class.org_id)
                        .map(|o| o.name.clone())
                        .unwrap_or_default(),
                    trainees,
                    certified,
                    class,
                }
            })
            .collect();
        Ok(rows)
    }

    /// Plans a class run by `org_id`, which the actor must keep records for.
    pub async fn create_class(
        self,
        actor: &Actor,
        org_id: OrgId,
        plan: ClassPlan,
    ) -> Result<TrainingClass> {
        let db = self.store.db();
        let org = org_store::find(db, &actor.access, Action::WriteRecords, org_id)
            .await?
            .ok_or_else(|| FieldError::new("org_id", "主办党组织", "请选择您管辖的党组织"))?;
        let class = TrainingClass {
            id: self.new_id(),
            org_id: org.id,
            org_path: org.path.clone(),
            plan,
            created_at: self.now_ms(),
        };
        let tx = self.store.begin_write().await?;
        store::insert_class(&tx, &class).await?;
        let audit = actor.record(
            dangjian_domain::development::trail::CLASS,
            Some(class.id),
            Some(org.path.as_str()),
            None,
            Some(json!(class)),
        );
        self.finish(tx, audit).await?;
        Ok(class)
    }

    async fn readable_class(self, actor: &Actor, id: i64) -> Result<TrainingClass> {
        store::class(self.store.db(), &actor.access, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    fn may_write_class(actor: &Actor, class: &TrainingClass) -> bool {
        actor.access.can_at(Action::WriteRecords, &class.org_path)
    }

    /// A class with its trainees.
    pub async fn training_class(self, actor: &Actor, id: i64) -> Result<ClassView> {
        let db = self.store.db();
        let class = self.readable_class(actor, id).await?;
        let records = store::trainees(db, id).await?;
        let ids: Vec<PersonId> = records.iter().map(|t| t.person_id).collect();
        let people = people_store::by_ids(db, &actor.access, &ids).await?;
        let mut org_ids: Vec<OrgId> = people.iter().map(|p| p.person.org_id).collect();
        org_ids.push(class.org_id);
        let orgs = org_store::by_ids(db, &org_ids).await?;
        let org_name = |id: OrgId| orgs.get(&id).map(|o| o.name.clone()).unwrap_or_default();
        let trainees = records
            .into_iter()
            .filter_map(|record| {
                let p = people.iter().find(|p| p.person.id == record.person_id)?;
                Some(TraineeRow {
                    name: p.person.name.clone(),
                    org_name: org_name(p.person.org_id),
                    record,
                })
            })
            .collect::<Vec<_>>();
        let may_write = Self::may_write_class(actor, &class);
        let eligible = if may_write {
            let query = PeopleQuery {
                under: Some(class.org_id),
                status: Some(class.plan.audience.status()),
                ..Default::default()
            };
            let paging = Paging::parse(Some(1), Some(ELIGIBLE_LIMIT)).unwrap_or_default();
            self.people()
                .list(actor, &query, paging)
                .await?
                .items
                .into_iter()
                .filter(|r| !trainees.iter().any(|t| t.record.person_id == r.person.id))
                .map(|r| (r.person.id, r.person.name, r.org_name))
                .collect()
        } else {
            Vec::new()
        };
        Ok(ClassView {
            org_name: org_name(class.org_id),
            class,
            trainees,
            eligible,
            may_write,
        })
    }

    /// Enrols people of the organizer's subtree who are at the class's stage; all or none.
    pub async fn enrol(
        self,
        actor: &Actor,
        class_id: i64,
        person_ids: &[PersonId],
    ) -> Result<usize> {
        let db = self.store.db();
        let class = self.readable_class(actor, class_id).await?;
        if !Self::may_write_class(actor, &class) {
            return Err(AppError::Forbidden("管理该培训班"));
        }
        let mut ids = person_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(FieldError::new("person_id", "学员", "请选择要报名的人员").into());
        }
        let people = people_store::by_ids(db, &actor.access, &ids).await?;
        if people.len() != ids.len() {
            return Err(
                FieldError::new("person_id", "学员", "有人员不存在或不在您的管辖范围内").into(),
            );
        }
        for p in &people {
            if !class.org_path.contains(&p.org_path) {
                return Err(AppError::Rule {
                    code: dangjian_domain::RuleCode::DevelopmentTraineeOutOfScope,
                    field: Some("person_id"),
                    message: format!("{} 不在主办党组织的范围内", p.person.name),
                    basis: "党校培训对象",
                });
            }
            class.plan.admits(&p.person.name, p.person.status)?;
        }
        let tx = self.store.begin_write().await?;
        let enrolled = store::trainees(tx.conn(), class_id).await?;
        if let Some(p) = people
            .iter()
            .find(|p| enrolled.iter().any(|t| t.person_id == p.person.id))
        {
            return Err(AppError::Conflict {
                field: "person_id",
                message: format!("{} 已在该培训班", p.person.name),
            });
        }
        let records: Vec<TraineeRecord> = people
            .iter()
            .map(|p| TraineeRecord {
                id: self.new_id(),
                class_id,
                person_id: p.person.id,
                trainee: Trainee {
                    hours: 0,
                    exam: ExamResult::Pending,
                    certificate: None,
                },
            })
            .collect();
        store::insert_trainees(&tx, &records, self.now_ms()).await?;
        let audit = actor.record(
            dangjian_domain::development::trail::ENROL,
            Some(class_id),
            Some(class.org_path.as_str()),
            None,
            Some(json!({ "person_ids": ids })),
        );
        self.finish(tx, audit).await?;
        Ok(records.len())
    }

    /// Records a trainee's hours and examination; a passed examination earns a certificate
    /// numbered by the class's first day and the trainee's place in it.
    pub async fn record_training_result(
        self,
        actor: &Actor,
        class_id: i64,
        person_id: PersonId,
        (hours, exam): (u32, ExamResult),
    ) -> Result<TraineeRecord> {
        let class = self.readable_class(actor, class_id).await?;
        if !Self::may_write_class(actor, &class) {
            return Err(AppError::Forbidden("管理该培训班"));
        }
        class.plan.check_result(hours, exam)?;
        let tx = self.store.begin_write().await?;
        let trainees = store::trainees(tx.conn(), class_id).await?;
        let (place, before) = trainees
            .iter()
            .enumerate()
            .find(|(_, t)| t.person_id == person_id)
            .ok_or(AppError::NotFound)?;
        let certificate = (exam == ExamResult::Passed).then(|| {
            before.trainee.certificate.clone().unwrap_or_else(|| {
                format!("{}-{:03}", class.plan.starts_on.format("%Y%m%d"), place + 1)
            })
        });
        let after = TraineeRecord {
            trainee: Trainee {
                hours,
                exam,
                certificate,
            },
            ..before.clone()
        };
        store::update_trainee(&tx, &after).await?;
        let audit = actor.record(
            dangjian_domain::development::trail::RESULT,
            Some(person_id.get()),
            Some(class.org_path.as_str()),
            Some(json!(before)),
            Some(json!(after)),
        );
        self.finish(tx, audit).await?;
        Ok(after)
    }

    /// A person's classes and their credit toward step 11, within the actor's scope.
    pub async fn person_training(
        self,
        actor: &Actor,
        person_id: PersonId,
    ) -> Result<PersonTraining> {
        let db = self.store.db();
        people_store::find(db, &actor.access, Action::ReadRecords, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let classes = store::of_person(db, person_id).await?;
        let credit = TrainingCredit::of(
            classes.iter().map(|(c, t)| (&c.plan, &t.trainee)),
            self.today(),
        );
        Ok(PersonTraining { classes, credit })
    }
}
