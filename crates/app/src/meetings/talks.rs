//! Heart talks (谈心谈话): who talked with whom, when, and a short record; and the members of
//! an organization nobody has talked with this year, as the gap the rule asks to close.

use crate::meetings::MeetingCases;
use crate::{Actor, AppError, Result};
use chrono::NaiveDate;
use dangjian_domain::FieldError;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::meetings::HeartTalkRecord;
use dangjian_domain::meetings::{HEART_TALK_EVERY_MONTHS, HeartTalk, period_of};
use dangjian_domain::org::Org;
use dangjian_domain::platform::role::Action;
use dangjian_store::meetings as store;
use dangjian_store::people as people_store;
use serde_json::json;

/// The most talks a page lists.
pub const TALK_LIST_LIMIT: u64 = 500;

/// A talk with the names of the two who talked.
#[derive(Debug, Clone)]
pub struct TalkView {
    pub talk: HeartTalkRecord,
    pub talker_name: String,
    pub talkee_name: String,
}

/// An organization's talks in a year, its people for the form, and the members nobody has
/// talked with.
#[derive(Debug, Clone)]
pub struct HeartTalks {
    pub org: Org,
    pub year: i32,
    /// The latest `TALK_LIST_LIMIT` talks of the year.
    pub talks: Vec<TalkView>,
    /// All the year's talks, however many are listed.
    pub total: u64,
    /// The organization's people now, by name.
    pub people: Vec<(PersonId, String)>,
    /// Members with no talk in the year.
    pub untalked: Vec<String>,
    pub may_write: bool,
}

impl MeetingCases<'_> {
    /// Records a talk between two people of an organization the actor keeps records for.
    pub async fn record_heart_talk(
        self,
        actor: &Actor,
        org_id: OrgId,
        talk: HeartTalk,
    ) -> Result<TalkView> {
        let db = self.store.db();
        let org = self.active_org_to_write(actor, org_id).await?;
        let people: Vec<PersonId> = people_store::current_of_org(db, org.id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        for (id, field, label) in [
            (talk.talker_id, "talker_id", "谈话人"),
            (talk.talkee_id, "talkee_id", "谈话对象"),
        ] {
            if !people.contains(&id) {
                return Err(FieldError::new(field, label, "不是本组织的人员").into());
            }
        }
        let stored = HeartTalkRecord {
            id: self.new_id(),
            org_id: org.id,
            org_path: org.path.clone(),
            talk,
            recorded_by_name: self.development().answerable_name(actor).await?,
            created_at: self.now_ms(),
        };
        let tx = self.store.begin_write().await?;
        store::insert_talks(&tx, std::slice::from_ref(&stored)).await?;
        let audit = actor.record(
            dangjian_domain::meetings::trail::HEART_TALK_RECORD,
            Some(stored.id),
            Some(org.path.as_str()),
            None,
            Some(json!(stored)),
        );
        self.finish(tx, audit).await?;
        let mut names =
            people_store::names(db, &[stored.talk.talker_id, stored.talk.talkee_id]).await?;
        Ok(TalkView {
            talker_name: names.remove(&stored.talk.talker_id).unwrap_or_default(),
            talkee_name: names.remove(&stored.talk.talkee_id).unwrap_or_default(),
            talk: stored,
        })
    }

    /// The talks of an organization's subtree in a year, newest first.
    pub async fn heart_talks(self, actor: &Actor, org_id: OrgId, year: i32) -> Result<HeartTalks> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的谈心谈话"));
        }
        let db = self.store.db();
        let day = NaiveDate::from_ymd_opt(year, 1, 1)
            .ok_or_else(|| FieldError::new("year", "年度", "不是有效的年份"))?;
        let period = period_of(HEART_TALK_EVERY_MONTHS, day);
        let stored =
            store::talks_of_subtree(db, &actor.access, &org.path, period, TALK_LIST_LIMIT).await?;
        // Counted apart from the list: a member talked with beyond it was talked with.
        let (total, talked) = store::talk_tally(db, &actor.access, &org.path, period).await?;
        let current = people_store::current_of_org(db, org.id).await?;
        let mut ids: Vec<PersonId> = current.iter().map(|(id, _)| *id).collect();
        ids.extend(
            stored
                .iter()
                .flat_map(|t| [t.talk.talker_id, t.talk.talkee_id]),
        );
        let names = people_store::names(db, &ids).await?;
        let name = |id: &PersonId| names.get(id).cloned().unwrap_or_default();
        let mut untalked: Vec<String> = current
            .iter()
            .filter(|(id, status)| status.is_member() && !talked.contains(id))
            .map(|(id, _)| name(id))
            .collect();
        untalked.sort();
        let mut people: Vec<(PersonId, String)> =
            current.iter().map(|(id, _)| (*id, name(id))).collect();
        people.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(HeartTalks {
            talks: stored
                .into_iter()
                .map(|talk| TalkView {
                    talker_name: name(&talk.talk.talker_id),
                    talkee_name: name(&talk.talk.talkee_id),
                    talk,
                })
                .collect(),
            total,
            may_write: self.may_write(actor, &org),
            org,
            year,
            people,
            untalked,
        })
    }
}
