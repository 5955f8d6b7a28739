//! The demo university: an organization tree shaped like seed 003 (17 general branches with 60
//! branches, 14 branches directly under the university's committee, party groups in every
//! branch) and one account for each kind of user, built from a seed.

use crate::{Actor, App, AppError, Result};
use chrono::NaiveDate;
use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::{BranchCategory, Org, OrgKind, OrgPath};
use dangjian_domain::people::PersonCategory;
use dangjian_domain::platform::role::Role;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::collections::HashMap;

mod development;
mod meetings;
mod roster;
mod thought_reports;

/// Up to this many members the demo records the development steps of everyone on the way
/// (some 2 M rows at a million members would take the build past its two minutes).
const DEVELOPMENT_RECORDS_UP_TO: u64 = 100_000;

/// Seed 003: 734 staff and 1,473 student members.
pub const DEFAULT_MEMBERS: u64 = 2_207;

const SCHOOLS: [&str; 17] = [
    "马克思主义学院",
    "机械工程学院",
    "电气与信息工程学院",
    "土木工程学院",
    "化学化工学院",
    "经济管理学院",
    "文学与新闻传播学院",
    "外国语学院",
    "数学与统计学院",
    "物理与电子科学学院",
    "生命科学学院",
    "艺术设计学院",
    "体育学院",
    "法学院",
    "计算机科学与技术学院",
    "材料科学与工程学院",
    "教育科学学院",
];

const OFFICES: [(&str, BranchCategory); 14] = [
    ("党委办公室", BranchCategory::Staff),
    ("校长办公室", BranchCategory::Staff),
    ("组织部", BranchCategory::Staff),
    ("宣传部", BranchCategory::Staff),
    ("学生工作部", BranchCategory::Staff),
    ("教务处", BranchCategory::Staff),
    ("科研处", BranchCategory::Staff),
    ("人事处", BranchCategory::Staff),
    ("财务处", BranchCategory::Staff),
    ("后勤管理处", BranchCategory::Staff),
    ("图书馆", BranchCategory::Staff),
    ("保卫处", BranchCategory::Staff),
    ("离退休第一", BranchCategory::Retired),
    ("离退休第二", BranchCategory::Retired),
];

const ORDINALS: [&str; 10] = [
    "第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十",
];

/// One demo account as printed at start.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_name: Option<String>,
}

/// What the demo built.
#[derive(Debug, Clone)]
pub struct Demo {
    pub orgs: u64,
    /// Full and probationary members.
    pub members: u64,
    /// Everyone in the roster: members, applicants, activists and candidates.
    pub people: u64,
    pub accounts: Vec<DemoAccount>,
}

/// The shape of the tree for a number of members: seed 003's by default, scaled otherwise.
fn shape(members: u64) -> (usize, usize) {
    if members == DEFAULT_MEMBERS {
        (17, 60)
    } else {
        // About 37 members a branch, as in seed 003, and 3–4 branches a general branch.
        let branches = usize::try_from(members.div_ceil(37))
            .unwrap_or(usize::MAX)
            .max(1);
        (branches.div_ceil(4).max(1), branches)
    }
}

/// An hour of a day in Shanghai, as stored: when the demo's records were made.
fn at(on: NaiveDate, hour: u32) -> i64 {
    on.and_hms_opt(hour, 0, 0)
        .map_or(0, dangjian_domain::clock::shanghai_ms)
}

fn ordinal(i: usize) -> String {
    ORDINALS
        .get(i)
        .map_or_else(|| format!("第{}", i + 1), |s| (*s).to_owned())
}

impl App {
    /// Builds the demo into an empty database; refuses a database that holds an organization.
    pub async fn build_demo(&self, members: u64, seed: u64, password: &str) -> Result<Demo> {
        if dangjian_store::org::count(self.store.db()).await? > 0 {
            return Err(AppError::Conflict {
                field: "data",
                message: "数据目录中已有数据，演示数据只能建在空的数据目录中".to_owned(),
            });
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let console = Actor::console();
        let (general_branches, branches) = shape(members);
        let founded = |rng: &mut StdRng| {
            NaiveDate::from_ymd_opt(rng.random_range(1985..2020), rng.random_range(1..=12), 1)
        };

        let mut orgs: Vec<Org> = Vec::new();
        let add = |orgs: &mut Vec<Org>,
                   parent: Option<&Org>,
                   name: String,
                   kind,
                   category,
                   founded_on| {
            let id = self.new_id();
            let path = parent.map_or_else(|| OrgPath::root(id), |p| p.path.child(id));
            let org = Org {
                id,
                parent_id: parent.map(|p| p.id),
                path,
                name,
                kind,
                category,
                founded_on,
                dissolved_on: None,
            };
            orgs.push(org.clone());
            org
        };
        let root = add(
            &mut orgs,
            None,
            "中共示范大学委员会".to_owned(),
            OrgKind::Committee,
            None,
            NaiveDate::from_ymd_opt(1952, 10, 1),
        );
        let mut first_general_branch = None;
        let mut first_branch = None;
        for g in 0..general_branches {
            let school = SCHOOLS
                .get(g)
                .map_or_else(|| format!("第{}学院", g + 1), |s| (*s).to_owned());
            let gb = add(
                &mut orgs,
                Some(&root),
                format!("{school}党总支"),
                OrgKind::GeneralBranch,
                None,
                founded(&mut rng),
            );
            // Spread the branches as evenly as the count allows (seed 003: 60 over 17).
            let count = branches / general_branches + usize::from(g < branches % general_branches);
            for b in 0..count {
                let (label, category) = match b {
                    0 => ("教工第一党支部".to_owned(), BranchCategory::Staff),
                    b if b % 4 == 3 => (
                        format!("研究生{}党支部", ordinal(b / 4)),
                        BranchCategory::Student,
                    ),
                    b => (
                        format!("本科生{}党支部", ordinal(b - 1 - b / 4)),
                        BranchCategory::Student,
                    ),
                };
                let branch = add(
                    &mut orgs,
                    Some(&gb),
                    format!("{school}{label}"),
                    OrgKind::Branch,
                    Some(category),
                    founded(&mut rng),
                );
                for k in 0..rng.random_range(2..=3) {
                    add(
                        &mut orgs,
                        Some(&branch),
                        format!("{}党小组", ordinal(k)),
                        OrgKind::Group,
                        None,
                        branch.founded_on,
                    );
                }
                first_branch.get_or_insert(branch);
            }
            first_general_branch.get_or_insert(gb);
        }
        for (office, category) in OFFICES {
            let branch = add(
                &mut orgs,
                Some(&root),
                format!("{office}党支部"),
                OrgKind::Branch,
                Some(category),
                founded(&mut rng),
            );
            for k in 0..2 {
                add(
                    &mut orgs,
                    Some(&branch),
                    format!("{}党小组", ordinal(k)),
                    OrgKind::Group,
                    None,
                    branch.founded_on,
                );
            }
        }

        // One transaction: the demo is there whole or not at all.
        let mut tx = self.store.begin_write().await?;
        // Orgs are inserted in bulk in tree order (parents first), recorded as one act.
        dangjian_store::org::insert_many(&tx, &orgs, self.now_ms()).await?;
        tx.audit(
            console.record(
                dangjian_domain::platform::audit::trail::DEMO_TREE,
                Some(root.id.get()),
                Some(root.path.as_str()),
                None,
                Some(json!({ "orgs": orgs.len() })),
            ),
            self.now_ms(),
        )
        .await?;
        tracing::info!(orgs = orgs.len(), "demo organizations written");
        let (people, members) = self
            .insert_roster(&mut tx, &orgs, members, &mut rng)
            .await?;
        tx.commit().await?;

        let gb = first_general_branch.unwrap_or_else(|| root.clone());
        let branch = first_branch.unwrap_or_else(|| root.clone());
        // The secretaries' accounts carry the names of the people who hold the seats.
        let gb_name = format!("总支书记 {}", self.secretary_name(&gb).await?);
        let branch_name = format!("支部书记 {}", self.secretary_name(&branch).await?);
        let plan: [(&str, &str, Role, Option<&Org>); 6] = [
            ("admin", "组织部 王建国", Role::OrgDepartment, Some(&root)),
            ("gbsec", &gb_name, Role::GeneralBranchSecretary, Some(&gb)),
            (
                "branchsec",
                &branch_name,
                Role::BranchSecretary,
                Some(&branch),
            ),
            ("sysadmin", "系统管理员 赵磊", Role::SystemAdmin, None),
            ("secadmin", "安全管理员 陈静", Role::SecurityAdmin, None),
            ("auditor", "安全审计员 刘洋", Role::Auditor, None),
        ];
        let mut accounts = Vec::new();
        for (username, name, role, org) in plan {
            let (account, _) = self
                .accounts()
                .create(&console, username, name, Some(password), true)
                .await?;
            self.accounts()
                .grant(&console, account.id, role.code(), org.map(|o| o.id))
                .await?;
            accounts.push(DemoAccount {
                username: username.to_owned(),
                display_name: name.to_owned(),
                role,
                org_name: org.map(|o| o.name.clone()),
            });
        }
        accounts.extend(self.demo_mentorship(&console, &orgs, password).await?);
        Ok(Demo {
            orgs: orgs.len() as u64,
            members,
            people,
            accounts,
        })
    }

    /// Accounts for an activist of the first branch that has one with mentors, and for their
    /// mentor, to try thought reports: `activist` hands them in, `mentor` answers them.
    async fn demo_mentorship(
        &self,
        console: &Actor,
        orgs: &[Org],
        password: &str,
    ) -> Result<Vec<DemoAccount>> {
        use dangjian_domain::people::PersonStatus;
        let db = self.store.db();
        let mut pair = None;
        'branches: for branch in orgs.iter().filter(|o| o.kind == OrgKind::Branch) {
            for (id, status) in dangjian_store::people::current_of_org(db, branch.id).await? {
                if !matches!(status, PersonStatus::Activist | PersonStatus::Candidate) {
                    continue;
                }
                if let Some(mentor) = self.development().mentors_of(id).await?.first() {
                    pair = Some((branch, id, *mentor));
                    break 'branches;
                }
            }
        }
        let Some((branch, activist, mentor)) = pair else {
            return Ok(Vec::new());
        };
        let hash = crate::secret::hash_password_off_thread(password.to_owned()).await?;
        let mut accounts = Vec::new();
        for (username, id) in [("activist", activist), ("mentor", mentor)] {
            let record = dangjian_store::people::find_for_check(db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            self.accounts()
                .open_account(
                    console,
                    &record,
                    username,
                    &hash,
                    dangjian_domain::platform::audit::trail::DEMO_ACCOUNT,
                )
                .await?;
            accounts.push(DemoAccount {
                username: username.to_owned(),
                display_name: record.person.name.clone(),
                role: crate::activation::role_of(record.person.status),
                org_name: Some(branch.name.clone()),
            });
        }
        Ok(accounts)
    }

    /// The name of an organization's sitting secretary, read as the console.
    async fn secretary_name(&self, org: &Org) -> Result<String> {
        let everything = dangjian_domain::platform::role::Access::new(vec![
            dangjian_domain::platform::role::Grant {
                role: Role::OrgDepartment,
                scope: Some(org.path.clone()),
            },
        ]);
        let db = self.store.db();
        let seats = dangjian_store::position::committee(db, &everything, org.id).await?;
        let ids: Vec<PersonId> = seats.iter().take(1).map(|s| s.person_id).collect();
        let names = dangjian_store::people::names(db, &ids).await?;
        Ok(ids
            .first()
            .and_then(|id| names.get(id).cloned())
            .unwrap_or_default())
    }

    /// A year of organizational life in every branch, up to today: the meetings with their
    /// rolls, and the secretaries' heart talks.
    fn demo_meetings(
        &self,
        orgs: &[Org],
        records: &[dangjian_store::people::PersonRecord],
        seats: &[dangjian_domain::org::Seat],
        rng: &mut StdRng,
    ) -> (
        Vec<(
            dangjian_domain::meetings::Meeting,
            Vec<dangjian_domain::meetings::AttendanceRow>,
        )>,
        Vec<dangjian_domain::meetings::HeartTalkRecord>,
    ) {
        let mut members: HashMap<OrgId, Vec<PersonId>> = HashMap::new();
        for r in records.iter().filter(|r| r.person.status.is_member()) {
            members
                .entry(r.person.org_id)
                .or_default()
                .push(r.person.id);
            if let Some(group) = r.person.group_id {
                members.entry(group).or_default().push(r.person.id);
            }
        }
        let mut committee: HashMap<OrgId, Vec<PersonId>> = HashMap::new();
        let mut secretary: HashMap<OrgId, PersonId> = HashMap::new();
        let mut secretary_since: HashMap<OrgId, chrono::NaiveDate> = HashMap::new();
        for s in seats {
            committee.entry(s.org_id).or_default().push(s.person_id);
            if s.position == dangjian_domain::org::Position::Secretary {
                secretary.insert(s.org_id, s.person_id);
                secretary_since.insert(s.org_id, s.term_start);
            }
        }
        let names: HashMap<PersonId, &str> = records
            .iter()
            .map(|r| (r.person.id, r.person.name.as_str()))
            .collect();
        let today = self.today();
        let mut ids = || self.new_id();
        let mut out = Vec::new();
        let mut talks = Vec::new();
        let mut branches = 0usize;
        for org in orgs
            .iter()
            .filter(|o| matches!(o.kind, OrgKind::Branch | OrgKind::Group))
        {
            let is_group = org.kind == OrgKind::Group;
            branches += usize::from(!is_group);
            let seated = committee.get(&org.id).map_or(&[][..], Vec::as_slice);
            let name = secretary
                .get(&org.id)
                .and_then(|p| names.get(p))
                .map_or_else(
                    || {
                        if is_group {
                            "党小组组长"
                        } else {
                            "支部书记"
                        }
                        .to_owned()
                    },
                    |n| format!("支部书记 {n}"),
                );
            let branch = meetings::Branch {
                org,
                members: members.get(&org.id).map_or(&[][..], Vec::as_slice),
                // A branch committee sits only where the branch may have one (支部条例第九条).
                committee: if dangjian_domain::org::has_committee(seated.len()) {
                    seated
                } else {
                    &[]
                },
                secretary: secretary.get(&org.id).copied(),
                secretary_name: &name,
                secretary_lecturer: secretary.get(&org.id).and_then(|p| {
                    Some((
                        dangjian_domain::meetings::Lecturer {
                            person_id: Some(*p),
                            name: (*names.get(p)?).to_owned(),
                        },
                        *secretary_since.get(&org.id)?,
                    ))
                }),
                // One branch in four has not met yet this month, so that every general
                // branch's compliance page has one to chase.
                behind: !is_group && branches % 4 == 2,
                is_group,
            };
            out.extend(meetings::year_of(&branch, today, &mut ids, rng));
            talks.extend(meetings::talks_of(&branch, today, &mut ids, rng));
        }
        (out, talks)
    }

    /// The development steps of the roster's applicants, activists, candidates and
    /// probationary members, and the 支部党员大会 that voted on their admission.
    async fn demo_development(
        &self,
        tx: &dangjian_store::WriteTx,
        (orgs, records): (&[Org], &[dangjian_store::people::PersonRecord]),
        seats: &[dangjian_domain::org::Seat],
        rng: &mut StdRng,
    ) -> Result<(
        Vec<dangjian_domain::development::StepRecord>,
        Vec<(
            dangjian_domain::meetings::Meeting,
            Vec<dangjian_domain::meetings::AttendanceRow>,
        )>,
    )> {
        let rules = dangjian_domain::development::DevelopmentRules::in_force(
            &dangjian_store::settings::load(tx.conn()).await?,
        );
        let days = dangjian_store::development::calendar(tx.conn()).await?;
        let calendar =
            dangjian_domain::calendar::WorkCalendar::new(days.into_iter().map(|(d, _)| d));
        let mut full: HashMap<OrgId, Vec<(PersonId, String)>> = HashMap::new();
        let mut members: HashMap<OrgId, Vec<PersonId>> = HashMap::new();
        for r in records.iter().filter(|r| r.person.status.is_member()) {
            members
                .entry(r.person.org_id)
                .or_default()
                .push(r.person.id);
            if r.person.status == dangjian_domain::people::PersonStatus::Full {
                full.entry(r.person.org_id)
                    .or_default()
                    .push((r.person.id, r.person.name.clone()));
            }
        }
        let by_id: HashMap<OrgId, &Org> = orgs.iter().map(|o| (o.id, o)).collect();
        let mut committee: HashMap<OrgId, usize> = HashMap::new();
        for s in seats {
            *committee.entry(s.org_id).or_default() += 1;
        }
        let today = self.today();
        let now = self.now_ms();
        let mut out = Vec::new();
        let mut meetings = Vec::new();
        let mut ids = || self.new_id();
        // Each branch's first applicant applied just now: every branch has a talk to hold.
        let mut fresh_in = std::collections::HashSet::new();
        for r in records {
            let fresh = r.person.status == dangjian_domain::people::PersonStatus::Applicant
                && fresh_in.insert(r.person.org_id);
            let Some(org) = by_id.get(&r.person.org_id) else {
                continue;
            };
            let branch = development::Branch {
                org,
                has_committee: dangjian_domain::org::has_committee(
                    committee.get(&r.person.org_id).copied().unwrap_or(0),
                ),
                full: full.get(&r.person.org_id).map_or(&[], Vec::as_slice),
                members: members.get(&r.person.org_id).map_or(&[], Vec::as_slice),
            };
            let (entries, held) =
                development::record(r, fresh, &branch, (&rules, &calendar), today, &mut ids, rng);
            meetings.extend(held);
            for entry in entries {
                out.push(dangjian_domain::development::StepRecord {
                    id: self.new_id(),
                    person_id: r.person.id,
                    org_id: r.person.org_id,
                    org_path: r.org_path.clone(),
                    entry,
                    note: String::new(),
                    recorded_by: None,
                    recorded_by_name: "演示数据".to_owned(),
                    breach: None,
                    override_reason: None,
                    created_at: now,
                });
            }
        }
        Ok((out, meetings))
    }

    /// The thought reports of everyone whose development is recorded.
    fn demo_thought_reports(
        &self,
        records: &[dangjian_store::people::PersonRecord],
        steps: &[dangjian_domain::development::StepRecord],
        rng: &mut StdRng,
    ) -> Vec<dangjian_domain::development::thought_report::ThoughtReportRecord> {
        let mut by_person: HashMap<PersonId, Vec<&dangjian_domain::development::StepEntry>> =
            HashMap::new();
        for s in steps {
            by_person.entry(s.person_id).or_default().push(&s.entry);
        }
        let today = self.today();
        records
            .iter()
            .filter_map(|r| Some((r, by_person.get(&r.person.id)?)))
            .flat_map(|(r, entries)| {
                thought_reports::of_person(r, entries, today, rng, || self.new_id())
            })
            .collect()
    }

    /// A few members out of reach, so that the alerts have something to chase: one full
    /// member in `WHEREABOUTS_EVERY` without a seat is lost, abroad or a graduate kept, each
    /// already due (lost eight months, abroad seven without contact, graduated two years ago).
    fn demo_whereabouts(
        &self,
        records: &[dangjian_store::people::PersonRecord],
        seats: &[dangjian_domain::org::Seat],
    ) -> Vec<(
        dangjian_domain::people::whereabouts::WhereaboutsRecord,
        dangjian_domain::org::OrgPath,
    )> {
        use dangjian_domain::people::whereabouts::{
            Whereabouts, WhereaboutsKind, WhereaboutsRecord,
        };
        const WHEREABOUTS_EVERY: usize = 150;
        let today = self.today();
        let months_ago = |n| {
            today
                .checked_sub_months(chrono::Months::new(n))
                .unwrap_or(today)
        };
        let seated: std::collections::HashSet<PersonId> =
            seats.iter().map(|s| s.person_id).collect();
        records
            .iter()
            .filter(|r| {
                r.person.status == dangjian_domain::people::PersonStatus::Full
                    && !seated.contains(&r.person.id)
            })
            .step_by(WHEREABOUTS_EVERY)
            .zip(
                [
                    WhereaboutsKind::LostContact,
                    WhereaboutsKind::Abroad,
                    WhereaboutsKind::Graduate,
                ]
                .into_iter()
                .cycle(),
            )
            .map(|(r, kind)| {
                let (since, note) = match kind {
                    WhereaboutsKind::LostContact => (months_ago(8), "电话停机，多方查找未取得联系"),
                    WhereaboutsKind::Abroad => (months_ago(7), "出国（境）学习研究"),
                    WhereaboutsKind::Graduate => (months_ago(25), "毕业后组织关系暂留学校"),
                };
                (
                    WhereaboutsRecord {
                        id: self.new_id(),
                        person_id: r.person.id,
                        whereabouts: Whereabouts {
                            kind,
                            since,
                            last_contact_on: None,
                            suspended_on: None,
                            ended_on: None,
                            note: note.to_owned(),
                        },
                        recorded_by_name: "演示数据".to_owned(),
                        created_at: self.now_ms(),
                    },
                    r.org_path.clone(),
                )
            })
            .collect()
    }

    /// Generates and stores the roster and committees, with one audit entry for the lot.
    async fn insert_roster(
        &self,
        tx: &mut dangjian_store::WriteTx,
        orgs: &[Org],
        members: u64,
        rng: &mut StdRng,
    ) -> Result<(u64, u64)> {
        let started = std::time::Instant::now();
        let (people, seats) = roster::roster(orgs, members, rng, self.today());
        let mut records: Vec<_> = people
            .iter()
            .map(|p| {
                let group = p.group_index.map(|g| &orgs[g]);
                self.people()
                    .new_record(self.new_id(), &p.draft, &orgs[p.org_index], group, None)
            })
            .collect();
        let periods: Vec<_> = records
            .iter()
            .map(|r| self.people().first_period(r, "演示名册"))
            .collect();
        let seats: Vec<_> = seats
            .iter()
            .map(|s| dangjian_domain::org::Seat {
                id: self.new_id(),
                org_id: orgs[s.org_index].id,
                org_path: orgs[s.org_index].path.clone(),
                person_id: records[s.person_index].person.id,
                position: s.position,
                term_start: s.term_start,
                term_end: s.term_end,
                left_on: None,
            })
            .collect();
        tracing::info!(
            people = records.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "demo roster generated"
        );
        let now = self.now_ms();
        dangjian_store::people::bulk_load(tx, &mut records, now).await?;
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "demo people written"
        );
        dangjian_store::people::insert_periods(tx, &periods, now).await?;
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "demo history written"
        );
        dangjian_store::position::insert_many(tx, &seats, now).await?;
        if members <= DEVELOPMENT_RECORDS_UP_TO {
            let (steps, votes) = self
                .demo_development(tx, (orgs, &records), &seats, rng)
                .await?;
            dangjian_store::development::insert_many(tx, &steps).await?;
            dangjian_store::meetings::insert_many(tx, &votes).await?;
            tracing::info!(steps = steps.len(), "demo development records written");
            let reports = self.demo_thought_reports(&records, &steps, rng);
            dangjian_store::thought_report::insert_many(tx, &reports).await?;
            tracing::info!(reports = reports.len(), "demo thought reports written");
            let (meetings, talks) = self.demo_meetings(orgs, &records, &seats, rng);
            dangjian_store::meetings::insert_many(tx, &meetings).await?;
            dangjian_store::meetings::insert_talks(tx, &talks).await?;
            let whereabouts = self.demo_whereabouts(&records, &seats);
            for (record, path) in &whereabouts {
                dangjian_store::whereabouts::insert(tx, record, path).await?;
            }
            tracing::info!(
                meetings = meetings.len(),
                talks = talks.len(),
                "demo meetings written"
            );
        }
        let members = records
            .iter()
            .filter(|r| r.person.status.is_member())
            .count() as u64;
        // Enrolment of each school: its student members are some 6 to 12 in a hundred.
        let by_id: HashMap<OrgId, &Org> = orgs.iter().map(|o| (o.id, o)).collect();
        // In id order, so the same seed gives the same numbers.
        let mut student_members: std::collections::BTreeMap<OrgId, u64> = Default::default();
        for r in records
            .iter()
            .filter(|r| r.person.status.is_member() && r.person.category == PersonCategory::Student)
        {
            if let Some(school) = by_id
                .get(&r.person.org_id)
                .and_then(|b| b.parent_id)
                .and_then(|p| by_id.get(&p))
                .filter(|p| p.kind == OrgKind::GeneralBranch)
            {
                *student_members.entry(school.id).or_default() += 1;
            }
        }
        for (school, n) in student_members {
            let students = n * 100 / rng.random_range(6..=12);
            dangjian_store::org::set_students(tx, by_id[&school], students, self.today()).await?;
        }
        let root = &orgs[0];
        tx.audit(
            Actor::console().record(
                dangjian_domain::platform::audit::trail::DEMO_ROSTER,
                Some(root.id.get()),
                Some(root.path.as_str()),
                None,
                Some(json!({ "people": records.len(), "members": members, "seats": seats.len() })),
            ),
            now,
        )
        .await?;
        Ok((records.len() as u64, members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_shape_is_seed_003s() {
        assert_eq!(shape(DEFAULT_MEMBERS), (17, 60));
        let (g, b) = shape(100_000);
        assert!(g >= 600 && b >= 2_700);
    }
}
