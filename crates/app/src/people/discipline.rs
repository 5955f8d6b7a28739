//! Recording party discipline (党纪处分) on members, and reading it where it matters: a member
//! under 留党察看 may not sponsor a candidate (细则第十四条).

use crate::people::PeopleCases;
use crate::{Actor, AppError, Result};
use dangjian_domain::ids::PersonId;
use dangjian_domain::people::discipline::Discipline;
pub use dangjian_domain::people::discipline::DisciplineRecord;
use dangjian_domain::platform::role::Action;
use dangjian_store::discipline as store;
use dangjian_store::people as people_store;
use serde_json::json;

impl PeopleCases<'_> {
    /// A person's sanctions, oldest first, within the actor's scope.
    pub async fn disciplines(
        self,
        actor: &Actor,
        person_id: PersonId,
    ) -> Result<Vec<DisciplineRecord>> {
        let db = self.store.db();
        people_store::find(db, &actor.access, Action::ReadRecords, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(store::of_people(db, &[person_id]).await?)
    }

    /// Whether the actor may record a sanction on people of `path`: decided by the branch and
    /// approved above it, it is recorded by the higher committee or the organization department.
    pub fn may_discipline(self, actor: &Actor, path: &dangjian_domain::org::OrgPath) -> bool {
        actor.approves_above(path)
    }

    /// Records a sanction on a member.
    pub async fn record_discipline(
        self,
        actor: &Actor,
        person_id: PersonId,
        discipline: Discipline,
    ) -> Result<DisciplineRecord> {
        let db = self.store.db();
        let record = people_store::find(db, &actor.access, Action::ReadRecords, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !self.may_discipline(actor, &record.org_path) {
            return Err(AppError::Forbidden("党纪处分由上级党组织登记"));
        }
        if !record.person.status.is_member() {
            return Err(AppError::Rule {
                code: dangjian_domain::RuleCode::PeopleDisciplineMembersOnly,
                field: Some("kind"),
                message: format!("{} 不是党员", record.person.name),
                basis: "党章第三十九条",
            });
        }
        let stored = DisciplineRecord {
            id: self.new_id(),
            person_id,
            org_path: record.org_path.as_str().to_owned(),
            discipline,
            created_at: self.now_ms(),
        };
        let tx = self.store.begin_write().await?;
        store::insert(&tx, &stored).await?;
        // Under 留党察看 a member may neither elect nor be elected: their seats end now
        // (党章第四十条).
        let seats_ended = if stored.discipline.on_probation(self.today()) {
            self.org()
                .end_seats_of_leavers(&tx, &[person_id], None)
                .await?
        } else {
            Vec::new()
        };
        let audit = actor.record(
            dangjian_domain::people::trail::DISCIPLINE,
            Some(person_id.get()),
            Some(record.org_path.as_str()),
            None,
            Some(crate::org::with_seats_ended(json!(stored), &seats_ended)),
        );
        self.finish(tx, audit).await?;
        Ok(stored)
    }

    /// Of some people, those under 留党察看 on `day`.
    pub(crate) async fn on_probation_discipline(
        self,
        ids: &[PersonId],
        day: chrono::NaiveDate,
    ) -> Result<Vec<PersonId>> {
        Ok(store::of_people(self.store.db(), ids)
            .await?
            .into_iter()
            .filter(|d| d.discipline.on_probation(day))
            .map(|d| d.person_id)
            .collect())
    }
}
