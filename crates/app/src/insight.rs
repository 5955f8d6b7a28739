//! Figures for any subtree, computed live from the records (the first dashboard): the
//! organizations, the members by status, category, education and age, the secretaries as the
//! seeds describe them, and student members among students.

use crate::{Actor, Result};
use dangjian_domain::ids::OrgId;
use dangjian_domain::org::{Org, OrgKind};
use dangjian_domain::people::{
    AgeBand, Education, PersonCategory, PersonStatus, TitleLevel, age_on,
};
use dangjian_domain::platform::role::Action;
use dangjian_store::audit as audit_store;
use dangjian_store::org as org_store;
use dangjian_store::people::{self as people_store, PersonFilter, PersonGroupBy};
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// One labelled count of a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub label: String,
    pub count: u64,
}

/// The seeds' figures about secretaries (seed 001, 003): how many, and the shares.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SecretaryFigures {
    pub count: u64,
    /// 博士或硕士研究生学历, in per cent.
    pub postgraduate_pct: f64,
    /// 高级职称 (正高、副高), in per cent.
    pub senior_title_pct: f64,
    /// Under 45 years old, in per cent.
    pub under_45_pct: f64,
    pub average_age: f64,
}

/// Student members among the students enrolled, where the organization department entered
/// enrolment numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StudentShare {
    pub students: u64,
    pub student_members: u64,
    pub pct: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub org: Org,
    pub as_of: chrono::NaiveDate,
    pub orgs_by_kind: Vec<Count>,
    /// Everyone in the roster by status (members and the development pipeline).
    pub by_status: Vec<Count>,
    pub members: u64,
    /// Members (full and probationary) by category, education and age band.
    pub by_category: Vec<Count>,
    pub by_education: Vec<Count>,
    pub by_age: Vec<Count>,
    pub secretaries: SecretaryFigures,
    pub student_share: Option<StudentShare>,
    /// Last month's organizational life against the rules: counted with the rest, so that a
    /// university's dashboard does not judge every branch again for each reader.
    #[serde(skip)]
    pub life: crate::meetings::ComplianceSummary,
}

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// Counts of every value of an enumeration, in its order, from counts by code.
fn counts<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    by_code: &HashMap<String, u64>,
) -> Vec<Count> {
    all.iter()
        .map(|&v| Count {
            label: label(v).to_owned(),
            count: by_code.get(code(v)).copied().unwrap_or(0),
        })
        .collect()
}

/// Dashboards already computed, each with the version of the data it was computed from (the
/// audit trail's head): a whole university's figures take a second to count, and are read far
/// more often than the roster changes.
#[derive(Default)]
pub(crate) struct DashboardCache {
    entries: std::sync::Mutex<HashMap<DashboardKey, (i64, Arc<Dashboard>)>>,
    /// One computation at a time for each dashboard: a burst of readers waits for the first
    /// instead of counting the same figures side by side, and other dashboards do not wait.
    computing: std::sync::Mutex<HashMap<DashboardKey, Arc<tokio::sync::Mutex<()>>>>,
}

/// The organization, the day (ages change with it), and the reader's scopes.
type DashboardKey = (OrgId, chrono::NaiveDate, String);

/// How many dashboards are kept; beyond it the cache starts over.
const DASHBOARDS_KEPT: usize = 256;

impl DashboardCache {
    fn get(&self, key: &DashboardKey, version: i64) -> Option<Arc<Dashboard>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(v, _)| *v == version)
            .map(|(_, d)| d.clone())
    }

    /// The lock of one dashboard's computation.
    fn turn(&self, key: &DashboardKey) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.computing.lock().unwrap_or_else(|e| e.into_inner());
        if locks.len() >= DASHBOARDS_KEPT {
            // Only locks nobody holds or waits for go.
            locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        locks.entry(key.clone()).or_default().clone()
    }

    fn put(&self, key: DashboardKey, version: i64, dashboard: Arc<Dashboard>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= DASHBOARDS_KEPT {
            entries.clear();
        }
        entries.insert(key, (version, dashboard));
    }
}

capability!(
    /// 统计分析: the dashboards of a subtree.
    InsightCases,
    insight
);

impl InsightCases<'_> {
    /// The dashboard of an organization's subtree, or of the actor's first scope: computed
    /// from the records, or taken as computed if no write came since.
    pub async fn dashboard(self, actor: &Actor, under: Option<OrgId>) -> Result<Arc<Dashboard>> {
        let org = match under {
            Some(id) => self.org().get(actor, id).await?,
            None => self
                .org()
                .scope_roots(actor)
                .await?
                .into_iter()
                .next()
                .ok_or(crate::AppError::Forbidden("查看统计"))?,
        };
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(crate::AppError::Forbidden("查看该组织的统计"));
        }
        let key = (
            org.id,
            self.today(),
            format!(
                "{:?}{:?}",
                actor.access.scopes(Action::ReadRecords),
                actor.access.scopes(Action::ReadOrg)
            ),
        );
        let cache = &self.dashboards;
        let version = audit_store::head(self.store.db()).await?;
        if let Some(hit) = cache.get(&key, version) {
            return Ok(hit);
        }
        let turn = cache.turn(&key);
        let _turn = turn.lock().await;
        let version = audit_store::head(self.store.db()).await?;
        if let Some(hit) = cache.get(&key, version) {
            return Ok(hit);
        }
        let dashboard = Arc::new(self.compute_dashboard(actor, org).await?);
        cache.put(key, version, dashboard.clone());
        Ok(dashboard)
    }

    async fn compute_dashboard(self, actor: &Actor, org: Org) -> Result<Dashboard> {
        let db = self.store.db();
        let access = &actor.access;
        let today = self.today();
        let kinds: HashMap<String, u64> = org_store::count_by_kind(db, access, &org.path)
            .await?
            .into_iter()
            .collect();
        let orgs_by_kind = counts(&OrgKind::ALL, OrgKind::code, OrgKind::label, &kinds);

        let all = PersonFilter {
            under: Some(org.path.clone()),
            ..Default::default()
        };
        // Youngest band first; the last band (the oldest) has no lower bound.
        let bounds: Vec<chrono::NaiveDate> = AgeBand::ALL
            .iter()
            .filter_map(|b| b.birth_range(today).0)
            .collect();
        let (mut statuses, mut categories, mut educations) =
            (HashMap::new(), HashMap::new(), HashMap::new());
        let mut bands = vec![0u64; AgeBand::ALL.len()];
        for cell in people_store::tally(db, access, &all, &bounds).await? {
            let n = u64::try_from(cell.n).unwrap_or(0);
            *statuses.entry(cell.status.clone()).or_default() += n;
            if PersonStatus::parse(&cell.status).is_some_and(PersonStatus::is_member) {
                *categories.entry(cell.category).or_default() += n;
                *educations.entry(cell.education).or_default() += n;
                let band = usize::try_from(cell.band).unwrap_or(usize::MAX);
                if let Some(count) = bands.get_mut(band) {
                    *count += n;
                }
            }
        }
        let by_status = counts(
            PersonStatus::ALL,
            PersonStatus::code,
            PersonStatus::label,
            &statuses,
        );
        let members = by_status
            .iter()
            .zip(PersonStatus::ALL)
            .filter(|(_, s)| s.is_member())
            .map(|(c, _)| c.count)
            .sum();
        let by_category = counts(
            PersonCategory::ALL,
            PersonCategory::code,
            PersonCategory::label,
            &categories,
        );
        let by_education = counts(
            Education::ALL,
            Education::code,
            Education::label,
            &educations,
        );
        let by_age = AgeBand::ALL
            .iter()
            .zip(bands)
            .map(|(b, count)| Count {
                label: b.label().to_owned(),
                count,
            })
            .collect();

        let last_month = chrono::Datelike::with_day(&today, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(today);
        Ok(Dashboard {
            life: self
                .meetings()
                .compliance_summary(actor, org.id, last_month)
                .await?,
            secretaries: self.secretary_figures(actor, &org).await?,
            student_share: self.student_share(actor, &org).await?,
            org,
            as_of: today,
            orgs_by_kind,
            by_status,
            members,
            by_category,
            by_education,
            by_age,
        })
    }

    async fn secretary_figures(self, actor: &Actor, org: &Org) -> Result<SecretaryFigures> {
        let profiles =
            people_store::secretary_profiles(self.store.db(), &actor.access, &org.path).await?;
        let n = profiles.len() as u64;
        if n == 0 {
            return Ok(SecretaryFigures::default());
        }
        let today = self.today();
        let (mut postgraduate, mut senior, mut under_45, mut age_sum) = (0u64, 0u64, 0u64, 0u64);
        for (education, title, birth) in &profiles {
            let age = age_on(*birth, today);
            postgraduate +=
                u64::from(Education::parse(education).is_some_and(Education::is_postgraduate));
            senior += u64::from(TitleLevel::parse(title).is_some_and(TitleLevel::is_senior));
            under_45 += u64::from(age < 45);
            age_sum += u64::from(age);
        }
        Ok(SecretaryFigures {
            count: n,
            postgraduate_pct: pct(postgraduate, n),
            senior_title_pct: pct(senior, n),
            under_45_pct: pct(under_45, n),
            average_age: (age_sum as f64 / n as f64 * 10.0).round() / 10.0,
        })
    }

    /// Student members under the organizations whose enrolment is known, over that enrolment.
    async fn student_share(self, actor: &Actor, org: &Org) -> Result<Option<StudentShare>> {
        let db = self.store.db();
        let known = org_store::students_under(db, &actor.access, &org.path).await?;
        if known.is_empty() {
            return Ok(None);
        }
        let filter = PersonFilter {
            under: Some(org.path.clone()),
            members_only: true,
            category: Some(PersonCategory::Student),
            ..Default::default()
        };
        let by_branch =
            people_store::count_by(db, &actor.access, &filter, PersonGroupBy::Org).await?;
        let branch_ids: Vec<OrgId> = by_branch
            .iter()
            .filter_map(|(k, _)| k.parse().ok())
            .collect();
        let branches = org_store::by_ids(db, &branch_ids).await?;
        // A branch counts toward the nearest organization above it with a known enrolment.
        let known_ids: HashMap<OrgId, ()> = known.iter().map(|(id, _, _)| (*id, ())).collect();
        let mut student_members = 0;
        for (key, n) in &by_branch {
            let counted = key
                .parse::<OrgId>()
                .ok()
                .and_then(|id| branches.get(&id))
                .is_some_and(|b| b.path.ids().iter().any(|id| known_ids.contains_key(id)));
            if counted {
                student_members += n;
            }
        }
        // Nested known enrolments would count twice: take only the highest ones.
        let students = known
            .iter()
            .filter(|(id, path, _)| {
                !known
                    .iter()
                    .any(|(other, p, _)| other != id && p.contains(path))
            })
            .map(|(_, _, n)| n)
            .sum();
        Ok(Some(StudentShare {
            students,
            student_members,
            pct: pct(student_members, students),
        }))
    }

    /// Sets the number of students enrolled under an organization (a school), as of today.
    pub async fn set_students(self, actor: &Actor, org_id: OrgId, students: u64) -> Result<()> {
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ManageOrg, &org.path) {
            return Err(crate::AppError::Forbidden("登记在校学生数"));
        }
        let students = dangjian_domain::org::students(students)?;
        let tx = self.store.begin_write().await?;
        // The number it replaces, for the trail.
        let before = org_store::students_under(tx.conn(), &actor.access, &org.path)
            .await?
            .into_iter()
            .find(|(id, _, _)| *id == org.id)
            .map(|(_, _, n)| serde_json::json!({ "students": n }));
        org_store::set_students(&tx, &org, students, self.today()).await?;
        let audit = actor.record(
            dangjian_domain::org::trail::SET_STUDENTS,
            Some(org.id.get()),
            Some(org.path.as_str()),
            before,
            Some(serde_json::json!({ "students": students })),
        );
        self.finish(tx, audit).await?;
        Ok(())
    }

    /// The dashboard's figures as a spreadsheet, one sheet per figure.
    pub async fn dashboard_xlsx(self, actor: &Actor, under: Option<OrgId>) -> Result<Vec<u8>> {
        let d = self.dashboard(actor, under).await?;
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let tables: [(&str, &Vec<Count>); 5] = [
            ("组织", &d.orgs_by_kind),
            ("政治面貌", &d.by_status),
            ("党员类别", &d.by_category),
            ("党员学历", &d.by_education),
            ("党员年龄", &d.by_age),
        ];
        let sheet = book.add_worksheet();
        sheet.set_name("统计").map_err(crate::roster::xlsx_error)?;
        sheet
            .set_column_width(0, 24)
            .map_err(crate::roster::xlsx_error)?;
        sheet
            .write_string_with_format(
                0,
                0,
                format!("{} 统计（截至 {}）", d.org.name, d.as_of),
                &bold,
            )
            .map_err(crate::roster::xlsx_error)?;
        let mut row = 2u32;
        for (title, counts) in tables {
            sheet
                .write_string_with_format(row, 0, title, &bold)
                .map_err(crate::roster::xlsx_error)?;
            sheet
                .write_string_with_format(row, 1, "人数/个数", &bold)
                .map_err(crate::roster::xlsx_error)?;
            row += 1;
            for c in counts.iter() {
                sheet
                    .write_string(row, 0, &c.label)
                    .map_err(crate::roster::xlsx_error)?;
                sheet
                    .write_number(row, 1, c.count as f64)
                    .map_err(crate::roster::xlsx_error)?;
                row += 1;
            }
            row += 1;
        }
        let s = &d.secretaries;
        let lines: Vec<(String, f64)> = vec![
            ("书记人数".to_owned(), s.count as f64),
            ("研究生学历占比（%）".to_owned(), s.postgraduate_pct),
            ("高级职称占比（%）".to_owned(), s.senior_title_pct),
            ("45 岁以下占比（%）".to_owned(), s.under_45_pct),
            ("平均年龄".to_owned(), s.average_age),
        ];
        sheet
            .write_string_with_format(row, 0, "书记队伍", &bold)
            .map_err(crate::roster::xlsx_error)?;
        row += 1;
        for (label, v) in lines {
            sheet
                .write_string(row, 0, &label)
                .map_err(crate::roster::xlsx_error)?;
            sheet
                .write_number(row, 1, v)
                .map_err(crate::roster::xlsx_error)?;
            row += 1;
        }
        if let Some(share) = &d.student_share {
            row += 1;
            sheet
                .write_string_with_format(row, 0, "学生党员占在校生比例", &bold)
                .map_err(crate::roster::xlsx_error)?;
            sheet
                .write_string(row + 1, 0, "在校学生数")
                .map_err(crate::roster::xlsx_error)?;
            sheet
                .write_number(row + 1, 1, share.students as f64)
                .map_err(crate::roster::xlsx_error)?;
            sheet
                .write_string(row + 2, 0, "学生党员数")
                .map_err(crate::roster::xlsx_error)?;
            sheet
                .write_number(row + 2, 1, share.student_members as f64)
                .map_err(crate::roster::xlsx_error)?;
            sheet
                .write_string(row + 3, 0, "占比（%）")
                .map_err(crate::roster::xlsx_error)?;
            sheet
                .write_number(row + 3, 1, share.pct)
                .map_err(crate::roster::xlsx_error)?;
        }
        book.save_to_buffer().map_err(crate::roster::xlsx_error)
    }
}
