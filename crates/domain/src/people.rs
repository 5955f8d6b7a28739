//! People and members (人员, 党员): the fields of the standard 党员基本信息采集表, checked once at
//! the boundary. The national ID number is a type whose constructor checks its GB 11643 check
//! digit; birth date and gender are read from it, so they cannot disagree with it.

use crate::ids::{OrgId, PersonId};
use crate::{DomainError, FieldError, labelled_enum, text};
use chrono::{Datelike, Months, NaiveDate};
use pinyin::ToPinyin;
use serde::Serialize;

pub mod discipline;
pub mod roster;
pub mod trail;
pub mod whereabouts;

labelled_enum! {
    /// 性别.
    pub enum Gender {
        Male = ("male", "男"),
        Female = ("female", "女"),
    }
}

labelled_enum! {
    /// 人员类别: who the person is at the university.
    pub enum PersonCategory {
        Staff = ("staff", "教职工"),
        Student = ("student", "学生"),
        Retired = ("retired", "离退休"),
    }
}

labelled_enum! {
    /// 政治面貌 as the roster keeps it: the development stages and 群众.
    pub enum PersonStatus {
        Applicant = ("applicant", "入党申请人"),
        Activist = ("activist", "入党积极分子"),
        Candidate = ("candidate", "发展对象"),
        Probationary = ("probationary", "预备党员"),
        Full = ("full", "正式党员"),
        NonMember = ("non_member", "群众"),
    }
}

impl PersonStatus {
    /// 党员: full and probationary members (党章第七条: 预备党员 has a member's duties and,
    /// but for voting, electing and being elected, a member's rights). The store filters
    /// members by this list.
    pub const MEMBERS: [PersonStatus; 2] = [Self::Full, Self::Probationary];

    pub fn is_member(self) -> bool {
        Self::MEMBERS.contains(&self)
    }

    /// On the development path: 入党申请人 to 预备党员, the statuses the development record
    /// sets (细则: 发展党员全程纪实).
    pub fn on_the_path(self) -> bool {
        matches!(
            self,
            Self::Applicant | Self::Activist | Self::Candidate | Self::Probationary
        )
    }
}

/// A change of 政治面貌 made by editing the roster, by hand or in bulk: none for anyone on the
/// development path, into it, or with a development record, whose status follows the record
/// (the controls of the 25 steps are not bypassed); only a correction between 群众 and 正式党员
/// for someone with neither, and the confirmation of a 预备党员 brought in at go-live with no
/// record (dated by the 转正日期 typed), whose path the platform does not hold.
pub fn check_status_edit(
    before: PersonStatus,
    after: PersonStatus,
    has_development_record: bool,
) -> Result<(), DomainError> {
    if before == after {
        return Ok(());
    }
    let confirmed_without_record = before == PersonStatus::Probationary
        && after == PersonStatus::Full
        && !has_development_record;
    if (before.on_the_path() || after.on_the_path() || has_development_record)
        && !confirmed_without_record
    {
        return Err(DomainError::Rule {
            code: crate::RuleCode::PeopleStatusByRecord,
            field: Some("status"),
            message: format!(
                "政治面貌随发展纪实变化，不能由{}直接改为{}：请在发展纪实中登记相应步骤",
                before.label(),
                after.label()
            ),
            basis: "发展党员全程纪实",
        });
    }
    Ok(())
}

labelled_enum! {
    /// 学历.
    pub enum Education {
        Doctorate = ("doctorate", "博士研究生"),
        Master = ("master", "硕士研究生"),
        Bachelor = ("bachelor", "大学本科"),
        Associate = ("associate", "大学专科"),
        Secondary = ("secondary", "中专"),
        HighSchool = ("high_school", "高中"),
        Lower = ("lower", "初中及以下"),
    }
}

impl Education {
    /// 研究生学历: the seeds' "博士、硕士" share of secretaries.
    pub fn is_postgraduate(self) -> bool {
        matches!(self, Self::Doctorate | Self::Master)
    }
}

labelled_enum! {
    /// 学位.
    pub enum Degree {
        Doctor = ("doctor", "博士"),
        Master = ("master", "硕士"),
        Bachelor = ("bachelor", "学士"),
        NoDegree = ("none", "无"),
    }
}

labelled_enum! {
    /// 职称级别; the title itself (教授, 讲师…) is free text beside it.
    pub enum TitleLevel {
        Senior = ("senior", "正高级"),
        AssociateSenior = ("associate_senior", "副高级"),
        Intermediate = ("intermediate", "中级"),
        Junior = ("junior", "初级"),
        NoTitle = ("none", "无"),
    }
}

impl TitleLevel {
    /// 高级职称: 正高 and 副高, as the seeds count secretaries.
    pub fn is_senior(self) -> bool {
        matches!(self, Self::Senior | Self::AssociateSenior)
    }
}

/// The 56 ethnic groups of China, as the 采集表 names them.
pub const ETHNICITIES: [&str; 56] = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
];

/// 公民身份号码 (GB 11643-1999): 17 digits and a check character, upper-case `X` for ten.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NationalId(String);

/// Never print the whole number by accident (logs, panics, debug output).
impl std::fmt::Debug for NationalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NationalId({})", self.masked())
    }
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

impl NationalId {
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        let err = |m: &str| FieldError::new("national_id", "身份证号", m);
        let s = value.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(err("不能为空"));
        }
        let bytes = s.as_bytes();
        let well_formed = bytes.len() == 18
            && bytes[..17].iter().all(u8::is_ascii_digit)
            && (bytes[17].is_ascii_digit() || bytes[17] == b'X');
        if !well_formed {
            return Err(err("应为 18 位，前 17 位是数字，最后一位是数字或 X"));
        }
        if Self::check_char(&s[..17]) != char::from(bytes[17]) {
            return Err(err("校验位不正确，请核对号码（GB 11643）"));
        }
        let id = Self(s);
        if id.birth_date().is_none() {
            return Err(err("其中的出生日期不是有效日期"));
        }
        Ok(id)
    }

    /// The check character of 17 digits (GB 11643-1999, ISO 7064 MOD 11-2).
    pub fn check_char(first17: &str) -> char {
        let sum: u32 = first17
            .bytes()
            .zip(ID_WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        char::from(ID_CHECK[(sum % 11) as usize])
    }

    /// A valid number from its parts, for the demo generator: `region` is 6 digits, `sequence`
    /// is below 1000 and odd for men.
    pub fn compose(region: u32, birth: NaiveDate, sequence: u32) -> Self {
        let first17 = format!(
            "{:06}{:04}{:02}{:02}{:03}",
            region % 1_000_000,
            birth.year(),
            birth.month(),
            birth.day(),
            sequence % 1000
        );
        let check = Self::check_char(&first17);
        Self(format!("{first17}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").ok()
    }

    /// The 17th digit: odd for men, even for women.
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The number as lists show it: the province (the first two characters) only.
    ///
    /// Pages show the birth date (characters 7–14) and the gender (the parity of 17) beside it,
    /// often the native place too, and 18 is the check character of the first 17; a mask must
    /// not give away what is left. With the province shown, that is the county (5–6: about 10
    /// real ones even when the native place names the city, 3–4) and the sequence (15–17: 500
    /// numbers of the right parity), so at least 10 × 500 = 5,000 candidates. Every further
    /// character of 15–18 shown divides them by 10 (the check character by 11): the former
    /// `110***********002X` left one or two, the birth date filling 7–14 and the check
    /// character keeping one in eleven of the few counties under `110`.
    pub fn masked(&self) -> String {
        format!("{}****************", &self.0[..2])
    }
}

/// A phone number: a mobile (11 digits starting with 1) or a landline with its area code.
#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl Phone {
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        let digits: String = value
            .trim()
            .trim_start_matches("+86")
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        let mobile = digits.len() == 11 && digits.starts_with('1');
        let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !(mobile || landline) {
            return Err(FieldError::new(
                "phone",
                "联系电话",
                "应为 11 位手机号或带区号的固定电话",
            ));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        let n = self.0.len();
        format!("{}****{}", &self.0[..3], &self.0[n - 4..])
    }
}

/// Whole years of age on a date.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// The date someone born on `birth` turns `years` old (29 February turns on 1 March).
pub fn birthday(birth: NaiveDate, years: u32) -> NaiveDate {
    birth
        .checked_add_months(Months::new(years * 12))
        .unwrap_or(birth)
}

labelled_enum! {
    /// 年龄段, as the yearly statistics group members.
    pub enum AgeBand {
        UpTo30 = ("up_to_30", "30岁及以下"),
        From31To40 = ("31_40", "31–40岁"),
        From41To50 = ("41_50", "41–50岁"),
        From51To60 = ("51_60", "51–60岁"),
        Over60 = ("over_60", "61岁及以上"),
    }
}

impl AgeBand {
    pub fn of(age: u32) -> Self {
        match age {
            0..=30 => Self::UpTo30,
            31..=40 => Self::From31To40,
            41..=50 => Self::From41To50,
            51..=60 => Self::From51To60,
            _ => Self::Over60,
        }
    }

    /// The birth dates of this band on `today`, as a half-open range `(after, until]`:
    /// born after the first and on or before the second.
    pub fn birth_range(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let (min, max) = match self {
            Self::UpTo30 => (0, Some(30)),
            Self::From31To40 => (31, Some(40)),
            Self::From41To50 => (41, Some(50)),
            Self::From51To60 => (51, Some(60)),
            Self::Over60 => (61, None),
        };
        birth_range_for_ages(today, Some(min), max)
    }
}

/// The oldest age a filter looks for.
const MAX_AGE: u32 = 200;

/// Birth dates of people aged `min..=max` on `today`: born after the first date (exclusive)
/// and on or before the second (inclusive).
pub fn birth_range_for_ages(
    today: NaiveDate,
    min: Option<u32>,
    max: Option<u32>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    // Ages are bounded at 200 years, so an absurd one (from the API) finds nobody and every
    // date stays one both engines can store.
    let years_ago = |y: u32| {
        today
            .checked_sub_months(Months::new(y * 12))
            .unwrap_or(today)
    };
    (
        max.map(|m| years_ago(m.min(MAX_AGE) + 1)),
        min.map(|m| years_ago(m.min(MAX_AGE))),
    )
}

/// The keys by which a name is found: its pinyin (`zhangsan`) and initials (`zs`), lower-case,
/// with `v` for `ü` as people type it.
pub fn pinyin_keys(name: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            Some(p) => {
                full.push_str(&p.plain().replace('ü', "v"));
                initials.push_str(&p.first_letter().replace('ü', "v"));
            }
            None if c.is_ascii_alphanumeric() => {
                full.push(c.to_ascii_lowercase());
                initials.push(c.to_ascii_lowercase());
            }
            None => {}
        }
    }
    (full, initials)
}

/// A person's fields as typed in a form or a spreadsheet row, before any check.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub name: String,
    pub national_id: String,
    pub ethnicity: String,
    pub native_place: String,
    pub education: String,
    pub degree: String,
    pub title_level: String,
    pub title: String,
    pub category: String,
    pub school: String,
    pub class_name: String,
    pub staff_no: String,
    pub phone: String,
    pub status: String,
    pub join_date: String,
    pub confirmation_date: String,
}

/// A person as the roster keeps them, every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDraft {
    pub name: String,
    pub national_id: NationalId,
    pub ethnicity: String,
    pub native_place: Option<String>,
    pub education: Education,
    pub degree: Degree,
    pub title_level: TitleLevel,
    pub title: Option<String>,
    pub category: PersonCategory,
    pub school: Option<String>,
    pub class_name: Option<String>,
    pub staff_no: Option<String>,
    pub phone: Option<Phone>,
    pub status: PersonStatus,
    pub join_date: Option<NaiveDate>,
    pub confirmation_date: Option<NaiveDate>,
}

impl PersonDraft {
    pub fn birth_date(&self) -> NaiveDate {
        self.national_id.birth_date().unwrap_or(NaiveDate::MIN)
    }

    pub fn gender(&self) -> Gender {
        self.national_id.gender()
    }
}

/// 细则第三十二条: probation (预备期) is one year from the branch's vote.
pub const PROBATION_MONTHS: u32 = 12;
/// 细则第三十二条: an extension is once, of six months to a year.
pub const EXTENSION_MONTHS: std::ops::RangeInclusive<u32> = 6..=12;
/// The longest a probationary member can be on probation: one year, extended once by at most
/// one more (细则第三十二条).
const PROBATION_MAX_MONTHS: u32 = PROBATION_MONTHS + *EXTENSION_MONTHS.end();

/// Who may hold a committee seat: a full member (党章第三十条、支部条例第九条), and not one
/// under 留党察看, who may neither elect nor be elected (党章第四十条), nor one whose membership
/// is suspended (停止党籍); the seats themselves are the organization's rule, `org::check_seat`.
pub fn check_seat_holder(
    holder: PersonStatus,
    on_probation_discipline: bool,
    suspended: bool,
) -> Result<(), DomainError> {
    if holder != PersonStatus::Full {
        return Err(DomainError::Rule {
            code: crate::RuleCode::OrgCommitteeFullMember,
            field: Some("person_id"),
            message: "委员会成员应为正式党员".to_owned(),
            basis: "党章第三十条、支部条例第九条",
        });
    }
    if on_probation_discipline {
        return Err(DomainError::Rule {
            code: crate::RuleCode::OrgCommitteeProbationDiscipline,
            field: Some("person_id"),
            message: "受留党察看处分期间，没有选举权和被选举权，不能担任委员".to_owned(),
            basis: "党章第四十条",
        });
    }
    if suspended {
        return Err(DomainError::Rule {
            code: crate::RuleCode::OrgCommitteeSuspended,
            field: Some("person_id"),
            message: "已停止党籍，不能担任委员".to_owned(),
            basis: "教育条例第二十四条",
        });
    }
    Ok(())
}

/// A date typed as 2024-09-01 (also 2024/9/1 or 2024.9.1, as spreadsheets hold them).
pub fn parse_date(
    value: &str,
    field: &'static str,
    label: &'static str,
) -> Result<Option<NaiveDate>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let d = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(v, f).ok())
        .ok_or_else(|| FieldError::new(field, label, "日期格式应为 2024-09-01"))?;
    crate::calendar::recordable(d, field, label).map(Some)
}

fn choice<T>(
    value: &str,
    field: &'static str,
    label: &'static str,
    by_code: impl Fn(&str) -> Option<T>,
    by_label: impl Fn(&str) -> Option<T>,
    labels: String,
) -> Result<T, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, label, "不能为空"));
    }
    by_code(v)
        .or_else(|| by_label(v))
        .ok_or_else(|| FieldError::new(field, label, format!("应为{labels}之一")))
}

impl PersonInput {
    /// Checks every field and the rules between them; returns every problem found, so a
    /// spreadsheet row reports all its bad fields at once. `today` bounds the dates.
    pub fn parse(&self, today: NaiveDate) -> Result<PersonDraft, Vec<DomainError>> {
        let mut errors: Vec<DomainError> = Vec::new();
        fn keep<T>(errors: &mut Vec<DomainError>, r: Result<T, FieldError>) -> Option<T> {
            r.map_err(|e| errors.push(e.into())).ok()
        }

        let name = keep(
            &mut errors,
            text::single_line(&self.name, "name", "姓名", 50),
        );
        let national_id = keep(&mut errors, NationalId::parse(&self.national_id));
        let ethnicity = keep(
            &mut errors,
            if self.ethnicity.trim().is_empty() {
                Err(FieldError::new("ethnicity", "民族", "不能为空"))
            } else if ETHNICITIES.contains(&self.ethnicity.trim()) {
                Ok(self.ethnicity.trim().to_owned())
            } else {
                Err(FieldError::new(
                    "ethnicity",
                    "民族",
                    "应为 56 个民族之一的全称，如“汉族”",
                ))
            },
        );
        let native_place = keep(
            &mut errors,
            text::optional_line(&self.native_place, "native_place", "籍贯", 50),
        );
        let education = keep(
            &mut errors,
            choice(
                &self.education,
                "education",
                "学历",
                Education::parse,
                Education::from_label,
                Education::labels(),
            ),
        );
        let degree = keep(
            &mut errors,
            if self.degree.trim().is_empty() {
                Ok(Degree::NoDegree)
            } else {
                choice(
                    &self.degree,
                    "degree",
                    "学位",
                    Degree::parse,
                    Degree::from_label,
                    Degree::labels(),
                )
            },
        );
        let title_level = keep(
            &mut errors,
            if self.title_level.trim().is_empty() {
                Ok(TitleLevel::NoTitle)
            } else {
                choice(
                    &self.title_level,
                    "title_level",
                    "职称级别",
                    TitleLevel::parse,
                    TitleLevel::from_label,
                    TitleLevel::labels(),
                )
            },
        );
        let title = keep(
            &mut errors,
            text::optional_line(&self.title, "title", "职称", 30),
        );
        let category = keep(
            &mut errors,
            choice(
                &self.category,
                "category",
                "人员类别",
                PersonCategory::parse,
                PersonCategory::from_label,
                PersonCategory::labels(),
            ),
        );
        let school = keep(
            &mut errors,
            text::optional_line(&self.school, "school", "院系", 60),
        );
        let class_name = keep(
            &mut errors,
            text::optional_line(&self.class_name, "class_name", "班级", 60),
        );
        let staff_no = keep(
            &mut errors,
            text::optional_line(&self.staff_no, "staff_no", "工号/学号", 32).and_then(
                |n| match n {
                    Some(n) if !n.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                        Err(FieldError::new("staff_no", "工号/学号", "只能含字母和数字"))
                    }
                    n => Ok(n),
                },
            ),
        );
        let phone = keep(
            &mut errors,
            if self.phone.trim().is_empty() {
                Ok(None)
            } else {
                Phone::parse(&self.phone).map(Some)
            },
        );
        let status = keep(
            &mut errors,
            choice(
                &self.status,
                "status",
                "政治面貌",
                PersonStatus::parse,
                PersonStatus::from_label,
                PersonStatus::labels(),
            ),
        );
        let join_date = keep(
            &mut errors,
            parse_date(&self.join_date, "join_date", "入党日期"),
        );
        let confirmation_date = keep(
            &mut errors,
            parse_date(&self.confirmation_date, "confirmation_date", "转正日期"),
        );

        if category == Some(PersonCategory::Student) && school == Some(None) {
            errors.push(FieldError::new("school", "院系", "学生须填写所在院系").into());
        }
        if let Some(id) = &national_id
            && id.birth_date().is_some_and(|b| b > today)
        {
            errors
                .push(FieldError::new("national_id", "身份证号", "其中的出生日期晚于今天").into());
        }
        if let (Some(status), Some(join), Some(confirmation)) =
            (status, join_date, confirmation_date)
        {
            let birth = national_id.as_ref().and_then(NationalId::birth_date);
            errors.extend(membership_dates(status, join, confirmation, birth, today));
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        match (
            name,
            national_id,
            ethnicity,
            native_place,
            education,
            degree,
            title_level,
            title,
            category,
            school,
            class_name,
            staff_no,
            phone,
            status,
            join_date,
            confirmation_date,
        ) {
            (
                Some(name),
                Some(national_id),
                Some(ethnicity),
                Some(native_place),
                Some(education),
                Some(degree),
                Some(title_level),
                Some(title),
                Some(category),
                Some(school),
                Some(class_name),
                Some(staff_no),
                Some(phone),
                Some(status),
                Some(join_date),
                Some(confirmation_date),
            ) => Ok(PersonDraft {
                name,
                national_id,
                ethnicity,
                native_place,
                education,
                degree,
                title_level,
                title,
                category,
                school,
                class_name,
                staff_no,
                phone,
                status,
                join_date,
                confirmation_date,
            }),
            _ => Err(errors),
        }
    }
}

/// The dates of membership against the status and the rules of the party constitution.
fn membership_dates(
    status: PersonStatus,
    join: Option<NaiveDate>,
    confirmation: Option<NaiveDate>,
    birth: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<DomainError> {
    let field =
        |f: &'static str, l: &'static str, m: &str| DomainError::from(FieldError::new(f, l, m));
    let mut errors = Vec::new();
    if !status.is_member() {
        if join.is_some() {
            errors.push(field("join_date", "入党日期", "只有党员填写入党日期"));
        }
        if confirmation.is_some() {
            errors.push(field(
                "confirmation_date",
                "转正日期",
                "只有正式党员填写转正日期",
            ));
        }
        return errors;
    }
    let Some(join) = join else {
        errors.push(field("join_date", "入党日期", "党员须填写入党日期"));
        return errors;
    };
    if join > today {
        errors.push(field("join_date", "入党日期", "不能晚于今天"));
    }
    if let Some(birth) = birth
        && join < birthday(birth, 18)
    {
        errors.push(DomainError::Rule {
            code: crate::RuleCode::PeopleJoinAge,
            field: Some("join_date"),
            message: "入党时须年满十八岁".to_owned(),
            basis: "党章第一条、细则第五条",
        });
    }
    match (status, confirmation) {
        (PersonStatus::Full, None) => {
            errors.push(field(
                "confirmation_date",
                "转正日期",
                "正式党员须填写转正日期",
            ));
        }
        (PersonStatus::Full, Some(c)) => {
            if c > today {
                errors.push(field("confirmation_date", "转正日期", "不能晚于今天"));
            }
            if c < birthday(join, 1) {
                errors.push(DomainError::Rule {
                    code: crate::RuleCode::PeopleFullAfterProbation,
                    field: Some("confirmation_date"),
                    message: "转正日期须在入党满一年预备期之后".to_owned(),
                    basis: "党章第七条、细则第三十二条",
                });
            }
            // Confirmation dates from the end of probation: a year, extended at most by one.
            let latest = join
                .checked_add_months(Months::new(PROBATION_MAX_MONTHS))
                .unwrap_or(join);
            if c > latest {
                errors.push(DomainError::Rule {
                    code: crate::RuleCode::PeopleProbationOverTwoYears,
                    field: Some("confirmation_date"),
                    message: format!(
                        "转正日期不能晚于 {latest}：预备期一年，至多延长一年，转正自预备期满之日算起"
                    ),
                    basis: "党章第七条、细则第三十二条",
                });
            }
        }
        (_, Some(_)) => {
            errors.push(field(
                "confirmation_date",
                "转正日期",
                "预备党员尚未转正，不填转正日期",
            ));
        }
        (_, None) => {
            let limit = join
                .checked_add_months(Months::new(PROBATION_MAX_MONTHS))
                .unwrap_or(join);
            if limit < today {
                errors.push(DomainError::Rule {
                    code: crate::RuleCode::PeopleProbationOverTwoYears,
                    field: Some("join_date"),
                    message: "预备期已超过两年（一年，至多延长一年），应已转正或取消预备党员资格"
                        .to_owned(),
                    basis: "细则第三十二条",
                });
            }
        }
    }
    errors
}

labelled_enum! {
    /// 组织关系转接的方向.
    pub enum TransferDirection {
        Internal = ("internal", "校内转接"),
        Out = ("out", "转出校外"),
        In = ("in", "由校外转入"),
    }
}

labelled_enum! {
    /// 组织关系转接的状态: until received, the old organization still manages the member
    /// (支部条例第二十五条).
    pub enum TransferState {
        Pending = ("pending", "待接收"),
        Received = ("received", "已完成"),
        Cancelled = ("cancelled", "已撤回"),
    }
}

/// 组织关系转接: a member's membership moving between organizations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transfer {
    pub id: i64,
    pub person_id: PersonId,
    pub direction: TransferDirection,
    pub from_org_id: Option<OrgId>,
    pub from_outside: Option<String>,
    pub to_org_id: Option<OrgId>,
    pub to_outside: Option<String>,
    pub state: TransferState,
    pub initiated_on: NaiveDate,
    pub received_on: Option<NaiveDate>,
    pub reason: String,
}

/// Checks that a transfer can start: the person is a member, none is under way, and the
/// target is named one way only.
pub fn check_transfer_start(
    person: &Person,
    to_org: bool,
    to_outside: Option<&str>,
) -> Result<(), DomainError> {
    if !person.status.is_member() {
        return Err(DomainError::Rule {
            code: crate::RuleCode::PeopleTransferMembersOnly,
            field: Some("to_org_id"),
            message: "只有党员（正式或预备）转接组织关系".to_owned(),
            basis: "支部条例第二十五条",
        });
    }
    if person.transfer_pending || person.left_on.is_some() {
        return Err(
            FieldError::new("to_org_id", "转入组织", "此人已有未完成的转接或已转出").into(),
        );
    }
    match (to_org, to_outside.map(str::trim).filter(|s| !s.is_empty())) {
        (true, Some(_)) => {
            Err(FieldError::new("to_outside", "校外组织", "校内支部和校外组织只能选一个").into())
        }
        (false, None) => {
            Err(FieldError::new("to_org_id", "转入组织", "请选择校内支部或填写校外组织").into())
        }
        _ => Ok(()),
    }
}

/// Checks where a transfer goes: an active branch other than the member's own. Checked when
/// the transfer starts and again when it is received (the branch may have been dissolved).
pub fn check_transfer_target(
    target: &crate::org::Org,
    current_org_id: OrgId,
) -> Result<(), DomainError> {
    if !target.is_active() {
        return Err(DomainError::Rule {
            code: crate::RuleCode::PeopleTransferToDissolved,
            field: Some("to_org_id"),
            message: format!("{}已撤销，不能转入", target.name),
            basis: "支部条例第二十五条",
        });
    }
    if target.kind != crate::org::OrgKind::Branch {
        return Err(FieldError::new("to_org_id", "转入组织", "组织关系转入党支部").into());
    }
    if target.id == current_org_id {
        return Err(FieldError::new("to_org_id", "转入组织", "已在该支部").into());
    }
    Ok(())
}

/// A person as pages and the API show them: the ID number and phone only masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: PersonId,
    pub org_id: OrgId,
    pub group_id: Option<OrgId>,
    pub name: String,
    pub gender: Gender,
    pub ethnicity: String,
    pub birth_date: NaiveDate,
    pub national_id_masked: String,
    pub native_place: Option<String>,
    pub education: Education,
    pub degree: Degree,
    pub title_level: TitleLevel,
    pub title: Option<String>,
    pub category: PersonCategory,
    pub school: Option<String>,
    pub class_name: Option<String>,
    pub staff_no: Option<String>,
    pub phone_masked: Option<String>,
    pub status: PersonStatus,
    pub join_date: Option<NaiveDate>,
    pub confirmation_date: Option<NaiveDate>,
    /// A transfer out that the receiving organization has not yet received.
    pub transfer_pending: bool,
    /// The day the person left the university's roster (transferred out).
    pub left_on: Option<NaiveDate>,
    pub version: i64,
}

impl Person {
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        age_on(self.birth_date, on)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_status_of_anyone_on_the_path_changes_only_through_the_development_record_细则() {
        use super::PersonStatus::*;
        use super::check_status_edit;
        assert!(check_status_edit(Activist, Candidate, true).is_err());
        assert!(
            check_status_edit(NonMember, Probationary, false).is_err(),
            "no 预备党员 without a vote and an approval"
        );
        assert!(check_status_edit(Candidate, NonMember, false).is_err());
        assert!(
            check_status_edit(Full, NonMember, true).is_err(),
            "a member admitted on the platform"
        );
        assert!(
            check_status_edit(NonMember, Full, false).is_ok(),
            "a registration corrected"
        );
        assert!(check_status_edit(Activist, Activist, true).is_ok());
        // A 预备党员 brought in at go-live, with no record to go on, is confirmed on the roster;
        // one admitted on the platform only through steps 22 to 25.
        assert!(check_status_edit(Probationary, Full, false).is_ok());
        assert!(check_status_edit(Probationary, Full, true).is_err());
    }

    use super::*;

    #[test]
    fn seats_go_to_full_members_党章第三十条_支部条例第九条() {
        let err = check_seat_holder(PersonStatus::Probationary, false, false).unwrap_err();
        assert!(err.to_string().contains("应为正式党员"));
        assert!(check_seat_holder(PersonStatus::Full, false, false).is_ok());
    }

    #[test]
    fn a_member_under_probation_discipline_holds_no_seat_党章第四十条() {
        let err = check_seat_holder(PersonStatus::Full, true, false).unwrap_err();
        assert!(err.to_string().contains("党章第四十条"), "{err}");
    }

    #[test]
    fn a_member_whose_membership_is_suspended_holds_no_seat_教育条例第二十四条() {
        let err = check_seat_holder(PersonStatus::Full, false, true).unwrap_err();
        assert!(err.to_string().contains("停止党籍"), "{err}");
    }

    #[test]
    fn members_are_full_and_probationary_党章第七条() {
        use PersonStatus::*;
        assert_eq!(
            PersonStatus::ALL
                .iter()
                .filter(|s| s.is_member())
                .collect::<Vec<_>>(),
            [&Probationary, &Full]
        );
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn valid() -> PersonInput {
        PersonInput {
            name: "张三".into(),
            national_id: NationalId::compose(
                110101,
                NaiveDate::from_ymd_opt(1990, 3, 7).unwrap(),
                123,
            )
            .as_str()
            .into(),
            ethnicity: "汉族".into(),
            education: "硕士研究生".into(),
            category: "staff".into(),
            status: "正式党员".into(),
            join_date: "2012-06-01".into(),
            confirmation_date: "2013-06-01".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_id_number_checks_its_check_digit_gb11643() {
        // The example number of GB 11643-1999.
        let id = NationalId::parse("11010519491231002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(id.gender(), Gender::Female);
        assert_eq!(id.masked(), "11****************");
        let wrong = NationalId::parse("110105194912310021").unwrap_err();
        assert_eq!(wrong.field, "national_id");
        assert!(wrong.message.contains("校验位"));
        assert!(NationalId::parse("1101051949123100").is_err());
        assert!(
            NationalId::parse("11010519491331002X").is_err()
                || NationalId::parse(&{
                    let f = "11010519491331002";
                    format!("{f}{}", NationalId::check_char(f))
                })
                .unwrap_err()
                .message
                .contains("出生日期")
        );
        assert!(!format!("{id:?}").contains("19491231"));
    }

    #[test]
    fn composed_numbers_parse_back() {
        let birth = NaiveDate::from_ymd_opt(2004, 2, 29).unwrap();
        let id = NationalId::compose(320102, birth, 7);
        let back = NationalId::parse(id.as_str()).unwrap();
        assert_eq!(back.birth_date(), Some(birth));
        assert_eq!(back.gender(), Gender::Male);
    }

    #[test]
    fn a_valid_person_parses_with_birth_and_gender_from_the_id() {
        let p = valid().parse(today()).unwrap();
        assert_eq!(p.birth_date(), NaiveDate::from_ymd_opt(1990, 3, 7).unwrap());
        assert_eq!(p.gender(), Gender::Male);
        assert_eq!(p.education, Education::Master);
        assert_eq!(p.degree, Degree::NoDegree);
        assert_eq!(p.status, PersonStatus::Full);
    }

    #[test]
    fn every_bad_field_of_a_row_is_reported() {
        let input = PersonInput {
            name: " ".into(),
            national_id: "110105194912310021".into(),
            ethnicity: "汉".into(),
            education: "小学".into(),
            phone: "12345".into(),
            ..valid()
        };
        let errors = input.parse(today()).unwrap_err();
        let fields: Vec<_> = errors
            .iter()
            .filter_map(|e| match e {
                DomainError::Field(f) => Some(f.field),
                DomainError::Rule { field, .. } => *field,
            })
            .collect();
        assert_eq!(
            fields,
            ["name", "national_id", "ethnicity", "education", "phone"]
        );
    }

    #[test]
    fn a_member_joins_at_eighteen_or_later_党章第一条() {
        let input = PersonInput {
            join_date: "2008-03-06".into(),
            confirmation_date: "2009-03-06".into(),
            ..valid()
        };
        let errors = input.parse(today()).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.to_string() == "入党时须年满十八岁（党章第一条、细则第五条）")
        );
        let on_birthday = PersonInput {
            join_date: "2008-03-07".into(),
            confirmation_date: "2009-03-07".into(),
            ..valid()
        };
        assert!(on_birthday.parse(today()).is_ok());
    }

    #[test]
    fn confirmation_follows_a_year_of_probation_细则第三十二条() {
        let early = PersonInput {
            confirmation_date: "2013-05-31".into(),
            ..valid()
        };
        assert!(
            early.parse(today()).unwrap_err()[0]
                .to_string()
                .contains("细则第三十二条")
        );
        let stale = PersonInput {
            status: "probationary".into(),
            join_date: "2024-11-01".into(),
            confirmation_date: String::new(),
            ..valid()
        };
        assert!(
            stale.parse(today()).unwrap_err()[0]
                .to_string()
                .contains("预备期已超过两年")
        );
        // Years after joining is no end of probation: at most a year and its extension.
        let late = PersonInput {
            confirmation_date: "2016-06-01".into(),
            ..valid()
        };
        assert!(
            late.parse(today()).unwrap_err()[0]
                .to_string()
                .contains("转正日期不能晚于 2014-06-01")
        );
        let extended = PersonInput {
            confirmation_date: "2014-06-01".into(),
            ..valid()
        };
        assert!(extended.parse(today()).is_ok());
    }

    #[test]
    fn dates_in_the_future_and_unmatched_statuses_are_refused() {
        let future_birth = PersonInput {
            national_id: NationalId::compose(
                110101,
                NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
                2,
            )
            .as_str()
            .into(),
            status: "applicant".into(),
            join_date: String::new(),
            confirmation_date: String::new(),
            ..valid()
        };
        assert!(
            future_birth.parse(today()).unwrap_err()[0]
                .to_string()
                .contains("晚于今天")
        );
        let applicant_with_join = PersonInput {
            status: "applicant".into(),
            ..valid()
        };
        assert!(applicant_with_join.parse(today()).is_err());
        let student_without_school = PersonInput {
            category: "学生".into(),
            ..valid()
        };
        assert_eq!(
            student_without_school.parse(today()).unwrap_err()[0].to_string(),
            "院系：学生须填写所在院系"
        );
    }

    #[test]
    fn names_are_found_by_pinyin_and_initials() {
        assert_eq!(pinyin_keys("张三"), ("zhangsan".into(), "zs".into()));
        assert_eq!(pinyin_keys("吕行A"), ("lvxinga".into(), "lxa".into()));
    }

    #[test]
    fn ages_and_bands() {
        let birth = NaiveDate::from_ymd_opt(1990, 3, 7).unwrap();
        assert_eq!(
            age_on(birth, NaiveDate::from_ymd_opt(2026, 3, 6).unwrap()),
            35
        );
        assert_eq!(
            age_on(birth, NaiveDate::from_ymd_opt(2026, 3, 7).unwrap()),
            36
        );
        assert_eq!(AgeBand::of(36), AgeBand::From31To40);
        let (after, until) = AgeBand::From31To40.birth_range(today());
        assert!(after.unwrap() < birth && birth <= until.unwrap());
        let (after, until) = AgeBand::UpTo30.birth_range(today());
        assert!(after.unwrap() >= birth && until.is_some());
        let (after, until) = birth_range_for_ages(today(), Some(u32::MAX), Some(u32::MAX));
        assert!(
            after.unwrap() < until.unwrap() && until.unwrap().year() == 1826,
            "{after:?} {until:?}"
        );
    }

    #[test]
    fn a_transfer_goes_to_an_active_branch_支部条例第二十五条() {
        use crate::org::{Org, OrgKind, OrgPath};
        let branch = Org {
            id: OrgId::new(2),
            parent_id: Some(OrgId::new(1)),
            path: OrgPath::root(OrgId::new(1)).child(OrgId::new(2)),
            name: "图书馆党支部".into(),
            kind: OrgKind::Branch,
            category: None,
            founded_on: None,
            dissolved_on: None,
        };
        assert!(check_transfer_target(&branch, OrgId::new(9)).is_ok());
        assert_eq!(
            check_transfer_target(&branch, OrgId::new(2))
                .unwrap_err()
                .to_string(),
            "转入组织：已在该支部"
        );
        let gone = Org {
            dissolved_on: Some(today()),
            ..branch.clone()
        };
        assert!(
            check_transfer_target(&gone, OrgId::new(9))
                .unwrap_err()
                .to_string()
                .contains("支部条例第二十五条")
        );
        let gb = Org {
            kind: OrgKind::GeneralBranch,
            ..branch
        };
        assert!(check_transfer_target(&gb, OrgId::new(9)).is_err());
    }

    #[test]
    fn phones_are_checked_and_masked() {
        let p = Phone::parse("138-0013-8000").unwrap();
        assert_eq!(p.masked(), "138****8000");
        assert!(Phone::parse("010-62751234").is_ok());
        assert!(Phone::parse("2345").is_err());
    }
}
