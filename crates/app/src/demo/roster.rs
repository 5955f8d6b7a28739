//! The demo roster: members, applicants, activists and candidates with Chinese names, valid ID
//! numbers, plausible dates and education, and a committee for every organization.

use chrono::{Datelike, Months, NaiveDate};
use dangjian_domain::ids::OrgId;
use dangjian_domain::org::{BranchCategory, Org, OrgKind, Position, term_years};
use dangjian_domain::people::{
    Degree, Education, NationalId, PersonCategory, PersonDraft, PersonStatus, Phone, TitleLevel,
    birthday,
};
use rand::Rng;
use rand::rngs::StdRng;
use std::collections::{HashMap, HashSet};

/// Seed 003: 734 staff members (with the retired) and 1,473 student members.
const STAFF_SHARE: (u64, u64) = (734, 2_207);

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
    "欧阳", "司马", "诸葛",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "文", "华", "建", "国", "志", "红", "海", "晓", "玉", "兰",
    "英", "辉", "鹏", "飞", "宇", "浩", "然", "子", "涵", "欣", "怡", "梓", "轩", "博", "雨", "萱",
    "思", "晨", "佳", "琪", "嘉", "睿", "雪", "婷", "凯", "俊", "颖", "倩", "亮", "斌", "春", "燕",
    "云", "峰", "东", "瑞", "丹", "宁", "阳", "蕾", "琳", "彤", "昊", "航", "悦", "诗", "瑶", "泽",
];

const NATIVE_PLACES: &[(&str, u32)] = &[
    ("北京东城", 110101),
    ("上海黄浦", 310101),
    ("江苏南京", 320102),
    ("浙江杭州", 330102),
    ("山东济南", 370102),
    ("河南郑州", 410102),
    ("湖北武汉", 420102),
    ("湖南长沙", 430102),
    ("广东广州", 440103),
    ("四川成都", 510104),
    ("陕西西安", 610102),
    ("河北石家庄", 130102),
    ("安徽合肥", 340102),
    ("江西南昌", 360102),
    ("福建福州", 350102),
    ("广西南宁", 450102),
    ("云南昆明", 530102),
    ("贵州贵阳", 520102),
];

const MINORITIES: &[&str] = &["回族", "满族", "壮族", "蒙古族", "土家族", "苗族", "朝鲜族"];

const STAFF_TITLES: &[(TitleLevel, &str)] = &[
    (TitleLevel::Senior, "教授"),
    (TitleLevel::AssociateSenior, "副教授"),
    (TitleLevel::Intermediate, "讲师"),
    (TitleLevel::Junior, "助教"),
    (TitleLevel::Senior, "研究员"),
    (TitleLevel::AssociateSenior, "副研究员"),
    (TitleLevel::Intermediate, "工程师"),
];

/// One person of the demo, with the organization and group they belong to.
pub(crate) struct DemoPerson {
    pub draft: PersonDraft,
    pub org_index: usize,
    pub group_index: Option<usize>,
}

/// A committee seat of the demo, by indexes into the organizations and people.
pub(crate) struct DemoSeat {
    pub org_index: usize,
    pub person_index: usize,
    pub position: Position,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn date_between(rng: &mut StdRng, from: NaiveDate, until: NaiveDate) -> NaiveDate {
    let days = (until - from).num_days().max(1);
    from + chrono::Duration::days(rng.random_range(0..days))
}

struct Generator<'a> {
    rng: &'a mut StdRng,
    today: NaiveDate,
    ids: HashSet<String>,
    counter: u64,
}

impl Generator<'_> {
    fn name(&mut self) -> String {
        let mut name = (*pick(self.rng, SURNAMES)).to_owned();
        for _ in 0..self.rng.random_range(1..=2) {
            name.push_str(pick::<&str>(self.rng, GIVEN));
        }
        name
    }

    /// A valid, unused ID number for someone born on `birth`.
    fn national_id(&mut self, region: u32, birth: NaiveDate, male: bool) -> NationalId {
        loop {
            let seq = self.rng.random_range(0..500) * 2 + u32::from(male);
            let id = NationalId::compose(region, birth, seq);
            if self.ids.insert(id.as_str().to_owned()) {
                return id;
            }
        }
    }

    fn person(
        &mut self,
        category: PersonCategory,
        status: PersonStatus,
        school: &str,
    ) -> PersonDraft {
        self.counter += 1;
        let today = self.today;
        let years = |y: u32| {
            today
                .checked_sub_months(Months::new(y * 12))
                .unwrap_or(today)
        };
        let birth = match category {
            // A student full member joined at 18 or later and has been confirmed since.
            PersonCategory::Student if status == PersonStatus::Full => {
                date_between(self.rng, years(27), years(20))
            }
            PersonCategory::Student => date_between(self.rng, years(26), years(18)),
            PersonCategory::Staff => date_between(self.rng, years(60), years(24)),
            PersonCategory::Retired => date_between(self.rng, years(85), years(61)),
        };
        let male = self.rng.random_bool(0.5);
        let (place, region) = *pick(self.rng, NATIVE_PLACES);
        let national_id = self.national_id(region, birth, male);
        let eighteen = birthday(birth, 18);
        let (join_date, confirmation_date) = match status {
            PersonStatus::Full => {
                // Joined some time after turning 18 and at least a year ago, confirmed a year on.
                let latest = today - chrono::Duration::days(400);
                let join = date_between(
                    self.rng,
                    eighteen.max(latest - chrono::Duration::days(365 * 30)),
                    latest.max(eighteen + chrono::Duration::days(1)),
                );
                let join = join.max(eighteen);
                (Some(join), Some(birthday(join, 1)))
            }
            PersonStatus::Probationary => {
                let join = date_between(
                    self.rng,
                    today - chrono::Duration::days(360),
                    today - chrono::Duration::days(10),
                );
                (Some(join.max(eighteen)), None)
            }
            _ => (None, None),
        };
        let (education, degree, title_level, title) = match category {
            PersonCategory::Student => {
                // 在读: graduate students hold a bachelor's degree already.
                if self.rng.random_bool(0.3) {
                    (
                        Education::Master,
                        Degree::Bachelor,
                        TitleLevel::NoTitle,
                        None,
                    )
                } else {
                    (
                        Education::Bachelor,
                        Degree::NoDegree,
                        TitleLevel::NoTitle,
                        None,
                    )
                }
            }
            _ => {
                let r: f64 = self.rng.random();
                let (education, degree) = if r < 0.45 {
                    (Education::Doctorate, Degree::Doctor)
                } else if r < 0.8 {
                    (Education::Master, Degree::Master)
                } else if r < 0.95 {
                    (Education::Bachelor, Degree::Bachelor)
                } else {
                    (Education::Associate, Degree::NoDegree)
                };
                let (level, title) = *pick(self.rng, STAFF_TITLES);
                (education, degree, level, Some(title.to_owned()))
            }
        };
        let staff_no = match category {
            PersonCategory::Student => format!(
                "{}{:06}",
                (birth.year() + 18).min(today.year()),
                self.counter
            ),
            _ => format!("T{:07}", self.counter),
        };
        let phone = Phone::parse(&format!(
            "1{}{:09}",
            pick(self.rng, &[3, 5, 8]),
            self.counter % 1_000_000_000
        ))
        .ok();
        PersonDraft {
            name: self.name(),
            national_id,
            ethnicity: if self.rng.random_bool(0.92) {
                "汉族".to_owned()
            } else {
                (*pick(self.rng, MINORITIES)).to_owned()
            },
            native_place: Some(place.to_owned()),
            education,
            degree,
            title_level,
            title,
            category,
            school: (category == PersonCategory::Student).then(|| school.to_owned()),
            class_name: (category == PersonCategory::Student).then(|| {
                format!(
                    "{}级{}班",
                    (birth.year() + 18).min(today.year()),
                    self.rng.random_range(1..=6)
                )
            }),
            staff_no: Some(staff_no),
            phone,
            status,
            join_date,
            confirmation_date,
        }
    }
}

/// How many members each branch gets: the staff share of seed 003 over the staff and retired
/// branches, the rest over the student branches, as evenly as the counts allow.
fn members_per_branch(orgs: &[Org], members: u64) -> Vec<(usize, u64)> {
    let staff_total = members * STAFF_SHARE.0 / STAFF_SHARE.1;
    let student_total = members - staff_total;
    let branches: Vec<(usize, bool)> = orgs
        .iter()
        .enumerate()
        .filter(|(_, o)| o.kind == OrgKind::Branch)
        .map(|(i, o)| (i, o.category == Some(BranchCategory::Student)))
        .collect();
    let mut out = Vec::new();
    for student in [false, true] {
        let of_kind: Vec<usize> = branches
            .iter()
            .filter(|b| b.1 == student)
            .map(|b| b.0)
            .collect();
        let total = if student { student_total } else { staff_total };
        let n = of_kind.len() as u64;
        for (k, &i) in of_kind.iter().enumerate() {
            // The loop runs only when n > 0.
            let share = total / n + u64::from((k as u64) < total % n);
            out.push((i, share));
        }
    }
    out
}

/// The school a branch's students study at: the name of its general branch without "党总支".
fn school_of(orgs: &[Org], branch: &Org) -> String {
    orgs.iter()
        .find(|o| Some(o.id) == branch.parent_id)
        .map_or_else(String::new, |p| {
            p.name.trim_end_matches("党总支").to_owned()
        })
}

/// The people and committee seats of the demo for the given organizations.
pub(crate) fn roster(
    orgs: &[Org],
    members: u64,
    rng: &mut StdRng,
    today: NaiveDate,
) -> (Vec<DemoPerson>, Vec<DemoSeat>) {
    let mut generator = Generator {
        rng,
        today,
        ids: HashSet::new(),
        counter: 0,
    };
    let mut people: Vec<DemoPerson> = Vec::new();
    let mut seats: Vec<DemoSeat> = Vec::new();
    let mut groups_of: HashMap<OrgId, Vec<usize>> = HashMap::new();
    for (i, o) in orgs.iter().enumerate() {
        if let (OrgKind::Group, Some(parent)) = (o.kind, o.parent_id) {
            groups_of.entry(parent).or_default().push(i);
        }
    }
    // The first full member of the first branch under each organization, to chair it.
    let mut first_full: HashMap<OrgId, usize> = HashMap::new();
    for (branch, count) in members_per_branch(orgs, members) {
        let org = &orgs[branch];
        let category = match org.category {
            Some(BranchCategory::Student) => PersonCategory::Student,
            Some(BranchCategory::Retired) => PersonCategory::Retired,
            _ => PersonCategory::Staff,
        };
        let school = school_of(orgs, org);
        let groups = groups_of.remove(&org.id).unwrap_or_default();
        let start = people.len();
        let probationary_share = if category == PersonCategory::Student {
            0.25
        } else {
            0.03
        };
        for k in 0..count {
            let status = if generator.rng.random_bool(probationary_share) && k > 0 {
                PersonStatus::Probationary
            } else {
                PersonStatus::Full
            };
            let draft = generator.person(category, status, &school);
            let group_index = (!groups.is_empty()).then(|| groups[k as usize % groups.len()]);
            people.push(DemoPerson {
                draft,
                org_index: branch,
                group_index,
            });
        }
        // The development pipeline: applicants, activists and candidates (mostly students).
        let pipeline = if category == PersonCategory::Retired {
            0
        } else if category == PersonCategory::Student {
            count / 3
        } else {
            count / 12
        };
        for k in 0..pipeline {
            let status = match k % 6 {
                0..=2 => PersonStatus::Applicant,
                3 | 4 => PersonStatus::Activist,
                _ => PersonStatus::Candidate,
            };
            let draft = generator.person(category, status, &school);
            people.push(DemoPerson {
                draft,
                org_index: branch,
                group_index: None,
            });
        }
        // The committee: a secretary always; with 7 or more full members a committee of
        // three to five (支部条例第九条).
        let full: Vec<usize> = (start..start + count as usize)
            .filter(|&i| people[i].draft.status == PersonStatus::Full)
            .collect();
        let positions: &[Position] = if full.len() >= 7 {
            &[
                Position::Secretary,
                Position::OrganizationCommissioner,
                Position::PropagandaCommissioner,
                Position::DisciplineCommissioner,
                Position::DeputySecretary,
            ][..3 + (full.len() % 3)]
        } else {
            &[Position::Secretary]
        };
        let (term_start, term_end) = term(generator.rng, today, org.kind);
        for (&position, &person_index) in positions.iter().zip(&full) {
            seats.push(DemoSeat {
                org_index: branch,
                person_index,
                position,
                term_start,
                term_end,
            });
        }
        if let (Some(&first), Some(parent)) = (full.first(), org.parent_id) {
            first_full.entry(parent).or_insert(first);
        }
    }
    // Secretaries of general branches and committees: a full member of a branch directly
    // beneath them.
    for (index, org) in orgs
        .iter()
        .enumerate()
        .filter(|(_, o)| matches!(o.kind, OrgKind::GeneralBranch | OrgKind::Committee))
    {
        if let Some(&person_index) = first_full.get(&org.id) {
            let (term_start, term_end) = term(generator.rng, today, org.kind);
            seats.push(DemoSeat {
                org_index: index,
                person_index,
                position: Position::Secretary,
                term_start,
                term_end,
            });
        }
    }
    (people, seats)
}

/// A term that began within the usual length of one, so some end soon (换届 due).
fn term(rng: &mut StdRng, today: NaiveDate, kind: OrgKind) -> (NaiveDate, NaiveDate) {
    let years = term_years(kind);
    let start = today - chrono::Duration::days(rng.random_range(30..i64::from(years) * 365));
    let end = start
        .checked_add_months(Months::new(years * 12))
        .unwrap_or(start);
    (start, end)
}
