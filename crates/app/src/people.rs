//! People and members (人员, 党员台账): adding and editing people, reading them within scope,
//! finding them by name, pinyin or ID number, and their history.

use crate::{Actor, AppError, Result};
use chrono::NaiveDate;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::{Org, OrgKind, OrgPath, check_member_placement};
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::people::{
    Education, NationalId, Person, PersonCategory, PersonDraft, PersonInput, PersonStatus,
    birth_range_for_ages, pinyin_keys,
};
use dangjian_domain::platform::role::Action;
use dangjian_domain::{DomainError, FieldError};
use dangjian_store::org as org_store;
use dangjian_store::people::{
    self as store, Period, PersonFilter, PersonRecord, PersonSearch, PersonSort,
};
use serde_json::json;

pub(crate) mod book;
mod discipline;
pub(crate) mod ledger;
pub mod whereabouts;
pub use discipline::DisciplineRecord;

/// What a person asked for in the people list.
#[derive(Debug, Clone, Default)]
pub struct PeopleQuery {
    /// Only this organization's subtree.
    pub under: Option<OrgId>,
    pub status: Option<PersonStatus>,
    pub members_only: bool,
    pub category: Option<PersonCategory>,
    pub education: Option<Education>,
    pub age_min: Option<u32>,
    pub age_max: Option<u32>,
    /// A name, its pinyin or initials, or a whole ID number.
    pub q: Option<String>,
    pub sort: PersonSort,
    pub descending: bool,
}

/// A person in a list, with the name of their organization.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PersonRow {
    #[serde(flatten)]
    pub person: Person,
    pub org_name: String,
}

/// One period of a person's history, as shown.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryEntry {
    pub from_on: NaiveDate,
    pub until_on: Option<NaiveDate>,
    pub org_id: OrgId,
    pub org_name: String,
    pub status: PersonStatus,
    pub reason: String,
}

/// A person's page: the record, where they belong, and their history.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub person: Person,
    pub org: Org,
    pub group: Option<Org>,
    pub history: Vec<HistoryEntry>,
    /// Whether the reader may see the whole ID number and phone.
    pub may_reveal: bool,
    pub may_edit: bool,
}

/// The whole ID number and phone, as shown to those who may see them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RevealedPii {
    pub national_id: String,
    pub phone: Option<String>,
}

/// The first problem of a parsed person, as the error of a form.
pub(crate) fn first_error(errors: Vec<DomainError>) -> AppError {
    errors.into_iter().next().map_or_else(
        || FieldError::new("name", "姓名", "无效").into(),
        AppError::from,
    )
}

capability!(
    /// 党员名册: persons, disciplines, transfers, and the roster's import and export.
    PeopleCases,
    people
);

impl PeopleCases<'_> {
    /// The organization and group a person is placed in: an active branch where the actor may
    /// write records, and one of its groups.
    pub(crate) async fn placement(
        self,
        actor: &Actor,
        org_id: OrgId,
        group_id: Option<OrgId>,
    ) -> Result<(Org, Option<Org>)> {
        let org = org_store::find(self.store.db(), &actor.access, Action::ReadOrg, org_id)
            .await?
            .filter(Org::is_active)
            .ok_or_else(|| FieldError::new("org_id", "所在党支部", "组织不存在或已撤销"))?;
        check_member_placement(org.kind)?;
        if !actor.access.can_at(Action::WriteRecords, &org.path) {
            return Err(AppError::Forbidden("在该支部登记人员"));
        }
        let group = match group_id {
            None => None,
            Some(gid) => Some(
                org_store::find(self.store.db(), &actor.access, Action::ReadOrg, gid)
                    .await?
                    .filter(|g| {
                        g.is_active() && g.parent_id == Some(org.id) && g.kind == OrgKind::Group
                    })
                    .ok_or_else(|| {
                        FieldError::new("group_id", "所在党小组", "应为本支部的党小组")
                    })?,
            ),
        };
        Ok((org, group))
    }

    /// The stored form of a new person: sealed secrets, search keys, version 1.
    pub(crate) fn new_record(
        self,
        id: PersonId,
        draft: &PersonDraft,
        org: &Org,
        group: Option<&Org>,
        import_batch_id: Option<i64>,
    ) -> PersonRecord {
        let (name_pinyin, name_initials) = pinyin_keys(&draft.name);
        PersonRecord {
            person: Person {
                id,
                org_id: org.id,
                group_id: group.map(|g| g.id),
                name: draft.name.clone(),
                gender: draft.gender(),
                ethnicity: draft.ethnicity.clone(),
                birth_date: draft.birth_date(),
                national_id_masked: draft.national_id.masked(),
                native_place: draft.native_place.clone(),
                education: draft.education,
                degree: draft.degree,
                title_level: draft.title_level,
                title: draft.title.clone(),
                category: draft.category,
                school: draft.school.clone(),
                class_name: draft.class_name.clone(),
                staff_no: draft.staff_no.clone(),
                phone_masked: draft.phone.as_ref().map(|p| p.masked()),
                status: draft.status,
                join_date: draft.join_date,
                confirmation_date: draft.confirmation_date,
                transfer_pending: false,
                left_on: None,
                version: 1,
            },
            org_path: org.path.clone(),
            name_pinyin,
            name_initials,
            national_id_cipher: self.sealer.seal(draft.national_id.as_str()),
            national_id_index: self.sealer.index(draft.national_id.as_str()),
            phone_cipher: draft.phone.as_ref().map(|p| self.sealer.seal(p.as_str())),
            import_batch_id,
        }
    }

    /// The period that opens a person's history when they enter the roster.
    pub(crate) fn first_period(self, record: &PersonRecord, reason: &str) -> Period {
        let p = &record.person;
        self.period_from_today(
            p.id,
            (p.org_id, &record.org_path),
            p.status,
            reason.to_owned(),
        )
    }

    /// A period of a person's history that starts today: where they belong, and as what.
    pub(crate) fn period_from_today(
        self,
        person_id: PersonId,
        org: (OrgId, &OrgPath),
        status: PersonStatus,
        reason: String,
    ) -> Period {
        self.period_from(self.today(), person_id, org, status, reason)
    }

    /// A period of a person's history that starts on `from_on`.
    pub(crate) fn period_from(
        self,
        from_on: NaiveDate,
        person_id: PersonId,
        (org_id, org_path): (OrgId, &OrgPath),
        status: PersonStatus,
        reason: String,
    ) -> Period {
        Period {
            id: self.new_id(),
            person_id,
            org_id,
            org_path: org_path.clone(),
            status,
            from_on,
            until_on: None,
            reason,
        }
    }

    async fn check_unique_id(self, index: &str, except: Option<PersonId>) -> Result<()> {
        match store::holder_of_national_id(self.store.db(), index).await? {
            Some((holder, _)) if Some(holder) != except => Err(AppError::Conflict {
                field: "national_id",
                message: "身份证号：该号码已在名册中登记".to_owned(),
            }),
            _ => Ok(()),
        }
    }

    /// Adds a person to a branch's roster.
    pub async fn add(
        self,
        actor: &Actor,
        org_id: OrgId,
        group_id: Option<OrgId>,
        input: &PersonInput,
    ) -> Result<Person> {
        let draft = input.parse(self.today()).map_err(first_error)?;
        let (org, group) = self.placement(actor, org_id, group_id).await?;
        let record = self.new_record(self.new_id(), &draft, &org, group.as_ref(), None);
        self.check_unique_id(&record.national_id_index, None)
            .await?;
        let tx = self.store.begin_write().await?;
        store::insert_many(&tx, std::slice::from_ref(&record), self.now_ms()).await?;
        store::insert_periods(
            &tx,
            &[self.first_period(&record, "登记入名册")],
            self.now_ms(),
        )
        .await?;
        let audit = actor.record(
            dangjian_domain::people::trail::CREATE,
            Some(record.person.id.get()),
            Some(record.org_path.as_str()),
            None,
            Some(json!(record.person)),
        );
        self.finish(tx, audit).await?;
        Ok(record.person)
    }

    /// Changes a person's fields (not their organization: that is a transfer). An ID number or
    /// phone left empty keeps the stored one, since forms show them only masked. A changed
    /// status opens a new period of their history. Refused when someone changed them since
    /// `version` was read.
    pub async fn edit(
        self,
        actor: &Actor,
        id: PersonId,
        version: i64,
        group_id: Option<OrgId>,
        input: &PersonInput,
    ) -> Result<Person> {
        let before = store::find(self.store.db(), &actor.access, Action::ReadRecords, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut input = input.clone();
        if input.national_id.trim().is_empty() {
            input.national_id = self.sealer.open(&before.national_id_cipher)?;
        }
        if let (true, Some(phone)) = (input.phone.trim().is_empty(), &before.phone_cipher) {
            input.phone = self.sealer.open(phone)?;
        }
        let draft = input.parse(self.today()).map_err(first_error)?;
        let (org, group) = self
            .placement(actor, before.person.org_id, group_id)
            .await?;
        let mut record = self.new_record(id, &draft, &org, group.as_ref(), before.import_batch_id);
        if before.person.left_on.is_some() {
            return Err(AppError::Conflict {
                field: "org_id",
                message: "此人已转出，不能再修改".to_owned(),
            });
        }
        record.person.transfer_pending = before.person.transfer_pending;
        record.person.version = version + 1;
        self.check_unique_id(&record.national_id_index, Some(id))
            .await?;
        let tx = self.store.begin_write().await?;
        // Read under the write lock: a step recorded meanwhile counts.
        let recorded = !dangjian_store::development::of_person(tx.conn(), id)
            .await?
            .is_empty();
        dangjian_domain::people::check_status_edit(
            before.person.status,
            record.person.status,
            recorded,
        )?;
        if !store::update(&tx, &record, version, self.now_ms()).await? {
            return Err(AppError::Conflict {
                field: "version",
                message: "此人员信息已被他人修改，请刷新后重试".to_owned(),
            });
        }
        if record.person.status != before.person.status {
            store::close_period(&tx, id, self.today()).await?;
            let reason = format!(
                "政治面貌由{}变为{}",
                before.person.status.label(),
                record.person.status.label()
            );
            let period = self.first_period(&record, &reason);
            store::insert_periods(&tx, &[period], self.now_ms()).await?;
        }
        let audit = actor.record(
            dangjian_domain::people::trail::UPDATE,
            Some(id.get()),
            Some(record.org_path.as_str()),
            Some(json!(before.person)),
            Some(json!(record.person)),
        );
        self.finish(tx, audit).await?;
        Ok(record.person)
    }

    /// A person's page, within the actor's scope.
    pub async fn get(self, actor: &Actor, id: PersonId) -> Result<PersonView> {
        let db = self.store.db();
        let record = store::find(db, &actor.access, Action::ReadRecords, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let periods = store::periods(db, id).await?;
        let mut ids: Vec<OrgId> = periods.iter().map(|p| p.org_id).collect();
        ids.push(record.person.org_id);
        ids.extend(record.person.group_id);
        let orgs = org_store::by_ids(db, &ids).await?;
        let name = |id: OrgId| orgs.get(&id).map_or_else(String::new, |o| o.name.clone());
        let org = orgs
            .get(&record.person.org_id)
            .cloned()
            .ok_or(AppError::NotFound)?;
        let group = record.person.group_id.and_then(|g| orgs.get(&g).cloned());
        let history = periods
            .into_iter()
            .map(|p| HistoryEntry {
                from_on: p.from_on,
                until_on: p.until_on,
                org_name: name(p.org_id),
                org_id: p.org_id,
                status: p.status,
                reason: p.reason,
            })
            .collect();
        Ok(PersonView {
            may_reveal: actor.access.can_at(Action::RevealPii, &record.org_path),
            may_edit: actor.access.can_at(Action::WriteRecords, &record.org_path),
            person: record.person,
            org,
            group,
            history,
        })
    }

    /// The whole ID number and phone of a person, for those who may see them; every showing
    /// is written to the audit trail.
    pub async fn reveal_pii(self, actor: &Actor, id: PersonId) -> Result<RevealedPii> {
        let record = store::find(self.store.db(), &actor.access, Action::ReadRecords, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.access.can_at(Action::RevealPii, &record.org_path) {
            return Err(AppError::Forbidden("查看完整的身份证号和电话"));
        }
        let revealed = RevealedPii {
            national_id: self.sealer.open(&record.national_id_cipher)?,
            phone: record
                .phone_cipher
                .as_deref()
                .map(|c| self.sealer.open(c))
                .transpose()?,
        };
        let tx = self.store.begin_write().await?;
        let audit = actor.record(
            dangjian_domain::people::trail::REVEAL,
            Some(id.get()),
            Some(record.org_path.as_str()),
            None,
            Some(json!({ "name": record.person.name })),
        );
        self.finish(tx, audit).await?;
        Ok(revealed)
    }

    /// The store's filter for a query: the subtree's path, the search keys and the birth
    /// dates of an age range.
    pub(crate) async fn person_filter(
        self,
        actor: &Actor,
        query: &PeopleQuery,
    ) -> Result<PersonFilter> {
        let under = match query.under {
            Some(id) => Some(self.org().get(actor, id).await?.path),
            None => None,
        };
        let search = query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| {
                if let Ok(id) = NationalId::parse(q) {
                    PersonSearch::NationalIdIndex(self.sealer.index(id.as_str()))
                } else if q.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    PersonSearch::Pinyin(q.to_ascii_lowercase())
                } else {
                    PersonSearch::Name(q.to_owned())
                }
            });
        let (born_after, born_until) = if query.age_min.is_some() || query.age_max.is_some() {
            birth_range_for_ages(self.today(), query.age_min, query.age_max)
        } else {
            (None, None)
        };
        Ok(PersonFilter {
            under,
            group_id: None,
            status: query.status,
            members_only: query.members_only,
            category: query.category,
            education: query.education,
            born_after,
            born_until,
            search,
            include_left: false,
            sort: query.sort,
            descending: query.descending,
        })
    }

    /// A page of the people the actor may see.
    pub async fn list(
        self,
        actor: &Actor,
        query: &PeopleQuery,
        paging: Paging,
    ) -> Result<Page<PersonRow>> {
        let filter = self.person_filter(actor, query).await?;
        let page = store::list(self.store.db(), &actor.access, &filter, paging).await?;
        let ids: Vec<OrgId> = page.items.iter().map(|r| r.person.org_id).collect();
        let orgs = org_store::by_ids(self.store.db(), &ids).await?;
        Ok(Page {
            total: page.total,
            items: page
                .items
                .into_iter()
                .map(|r| PersonRow {
                    org_name: orgs
                        .get(&r.person.org_id)
                        .map_or_else(String::new, |o| o.name.clone()),
                    person: r.person,
                })
                .collect(),
        })
    }
}
