//! Each member's year of organizational life (党员参加组织生活和学习情况): the held meetings
//! they were expected at and how they attended, the study hours of those they came to against
//! the yearly minimum (教育条例第二十条; higher for committee members by local rule), and
//! those away from organizational life for six months (支部条例第三十一条(六)).

use crate::meetings::MeetingCases;
use crate::{Actor, App, AppError, Result};
use chrono::NaiveDate;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::learning::{StudyHours, StudyRules, YearOfLife};
use dangjian_domain::org::Org;
use dangjian_domain::people::PersonStatus;
use dangjian_domain::platform::role::Action;
use dangjian_store::meetings as store;
use dangjian_store::people as people_store;

/// One member's year.
#[derive(Debug, Clone)]
pub struct MemberYear {
    pub person_id: PersonId,
    pub name: String,
    pub status: PersonStatus,
    /// Sits on a committee now, so the higher minimum applies.
    pub on_committee: bool,
    pub life: YearOfLife,
    /// The study hours the year asks of them.
    pub minimum: u32,
    /// Away from organizational life for six months.
    pub away: bool,
}

impl MemberYear {
    pub fn hours_short(&self) -> StudyHours {
        self.life.hours_short(self.minimum)
    }
}

/// An organization's members and their year, by name.
#[derive(Debug, Clone)]
pub struct MemberLife {
    pub org: Org,
    pub year: i32,
    /// The last day counted: the year's end, or today in the current year.
    pub through: NaiveDate,
    pub rules: StudyRules,
    pub members: Vec<MemberYear>,
}

impl MemberLife {
    /// Members still short of their study hours.
    pub fn short(&self) -> usize {
        self.members
            .iter()
            .filter(|m| !m.hours_short().is_zero())
            .count()
    }

    /// Members away from organizational life for six months.
    pub fn away(&self) -> usize {
        self.members.iter().filter(|m| m.away).count()
    }
}

impl MeetingCases<'_> {
    /// The year of each member of an organization (its own members, not its subtree's).
    pub async fn member_life(self, actor: &Actor, org_id: OrgId, year: i32) -> Result<MemberLife> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织党员的组织生活情况"));
        }
        let (from, end) = App::year_span(year)?;
        let today = self.today();
        let through = end.min(today);
        let db = self.store.db();
        let ids: Vec<PersonId> = people_store::current_of_org(db, org.id)
            .await?
            .into_iter()
            .filter(|(_, status)| status.is_member())
            .map(|(id, _)| id)
            .collect();
        let people = people_store::by_ids(db, &actor.access, &ids).await?;
        let years = store::years_of_life(db, &ids, (from, through)).await?;
        let seated = dangjian_store::position::seated(db, &ids).await?;
        let placed: Vec<(PersonId, OrgId)> = people
            .iter()
            .map(|r| (r.person.id, r.person.org_id))
            .collect();
        let arrivals = people_store::arrivals(db, &placed).await?;
        // Judged by the rule in force at the year's end, or today.
        let rules = StudyRules::in_force(&self.settings().current().await?.on(through));
        let mut members: Vec<MemberYear> = people
            .into_iter()
            .map(|r| {
                let p = r.person;
                let life = years.get(&p.id).copied().unwrap_or_default();
                let on_committee = seated.contains(&p.id);
                MemberYear {
                    // Six months count from the arrival, and from joining the party.
                    away: life.away_too_long(arrivals.get(&p.id).copied().max(p.join_date), today),
                    minimum: rules.minimum(on_committee),
                    person_id: p.id,
                    name: p.name,
                    status: p.status,
                    on_committee,
                    life,
                }
            })
            .collect();
        members.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(MemberLife {
            org,
            year,
            through,
            rules,
            members,
        })
    }
}
