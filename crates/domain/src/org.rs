//! The organization tree (党组织): kinds, placement and the materialized path that makes a
//! subtree one prefix query.

pub mod trail;

use crate::RuleCode;
use crate::ids::{OrgId, PersonId};
use crate::platform::role::Action;
use crate::platform::settings::{SettingSpec, Settings};
use crate::{DomainError, FieldError, text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// 党组织的类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 党委 / 基层党委 (the university's or a school's 二级党委).
    Committee,
    /// 党总支.
    GeneralBranch,
    /// 党支部.
    Branch,
    /// 党小组.
    Group,
}

impl OrgKind {
    pub const ALL: [OrgKind; 4] = [
        OrgKind::Committee,
        OrgKind::GeneralBranch,
        OrgKind::Branch,
        OrgKind::Group,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Committee => "党委",
            Self::GeneralBranch => "党总支",
            Self::Branch => "党支部",
            Self::Group => "党小组",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Committee => "committee",
            Self::GeneralBranch => "general_branch",
            Self::Branch => "branch",
            Self::Group => "group",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether an organization of this kind may approve admissions and confirmations: a
    /// 基层党委 may (具有审批权限的基层党委, 细则第十九条、第二十四条), a 党总支 may not.
    pub fn holds_approval_power(self) -> bool {
        self == Self::Committee
    }

    /// Where an organization of this kind may stand: the tree's root is a committee; a committee
    /// may hold 二级党委; a general branch sits under a committee; a branch under a general
    /// branch or directly under a committee (直属党支部); a group only inside a branch.
    pub fn check_parent(self, parent: Option<OrgKind>) -> Result<(), DomainError> {
        let allowed = matches!(
            (self, parent),
            (Self::Committee, None | Some(Self::Committee))
                | (Self::GeneralBranch, Some(Self::Committee))
                | (Self::Branch, Some(Self::Committee | Self::GeneralBranch))
                | (Self::Group, Some(Self::Branch))
        );
        if allowed {
            return Ok(());
        }
        let message = match parent {
            None => format!("{}不能作为组织树的根，根组织应为党委", self.label()),
            Some(p) => format!("{}不能设在{}之下", self.label(), p.label()),
        };
        Err(DomainError::Rule {
            code: crate::RuleCode::OrgPlacement,
            field: Some("parent_id"),
            message,
            basis: "党章第三十条、支部条例第四条",
        })
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Who a branch serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BranchCategory {
    Staff,
    Student,
    Retired,
    Mixed,
}

impl BranchCategory {
    pub const ALL: [BranchCategory; 4] = [Self::Staff, Self::Student, Self::Retired, Self::Mixed];

    pub fn label(self) -> &'static str {
        match self {
            Self::Staff => "教工支部",
            Self::Student => "学生支部",
            Self::Retired => "离退休支部",
            Self::Mixed => "混合支部",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Student => "student",
            Self::Retired => "retired",
            Self::Mixed => "mixed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The materialized path of an organization: its ancestors' ids and its own, as `/1/5/9/`.
/// A subtree is every path with this one as prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OrgPath(String);

impl OrgPath {
    pub fn root(id: OrgId) -> Self {
        Self(format!("/{id}/"))
    }

    pub fn child(&self, id: OrgId) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    /// Reads a stored path; `None` when it is not of the form `/id/…/id/`.
    pub fn parse(s: &str) -> Option<Self> {
        let inner = s.strip_prefix('/')?.strip_suffix('/')?;
        let ok = !inner.is_empty()
            && inner
                .split('/')
                .all(|seg| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()));
        ok.then(|| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this organization or lies below it.
    pub fn contains(&self, other: &OrgPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The least string above every path of this subtree: paths hold only digits and `/`,
    /// and `0` follows `/`, so the subtree is the range `[self, upper)` in byte order.
    pub fn subtree_upper_bound(&self) -> String {
        let mut s = self.0.clone();
        s.pop();
        s.push('0');
        s
    }

    /// The ids from the root down to this organization.
    pub fn ids(&self) -> Vec<OrgId> {
        self.0
            .split('/')
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect()
    }

    pub fn id(&self) -> OrgId {
        self.ids().last().copied().unwrap_or(OrgId::new(0))
    }

    pub fn depth(&self) -> usize {
        self.ids().len()
    }
}

/// 党组织: a node of the organization tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Org {
    pub id: OrgId,
    pub parent_id: Option<OrgId>,
    pub path: OrgPath,
    pub name: String,
    pub kind: OrgKind,
    pub category: Option<BranchCategory>,
    pub founded_on: Option<NaiveDate>,
    pub dissolved_on: Option<NaiveDate>,
}

impl Org {
    pub fn is_active(&self) -> bool {
        self.dissolved_on.is_none()
    }
}

crate::labelled_enum! {
    /// 委员会职务: the positions of an organization's elected committee.
    pub enum Position {
        Secretary = ("secretary", "书记"),
        DeputySecretary = ("deputy_secretary", "副书记"),
        OrganizationCommissioner = ("organization_commissioner", "组织委员"),
        PropagandaCommissioner = ("propaganda_commissioner", "宣传委员"),
        DisciplineCommissioner = ("discipline_commissioner", "纪检委员"),
    }
}

/// The usual length of a term: 3 years for a branch committee (支部条例); general
/// branches and committees 3 to 5 years (党章第三十一条), 5 by default.
pub fn term_years(kind: OrgKind) -> u32 {
    match kind {
        OrgKind::Branch | OrgKind::Group => 3,
        OrgKind::GeneralBranch | OrgKind::Committee => 5,
    }
}

/// Checks a new seat of a committee against the seats already filled (支部条例第九条): one
/// secretary and at most one deputy; a branch with fewer than 7 full members has no committee
/// beyond them; a committee has at most 7 members. Who may hold a seat is the holder's rule,
/// `people::check_seat_holder`.
pub fn check_seat(
    kind: OrgKind,
    position: Position,
    full_members: u64,
    sitting: &[Position],
) -> Result<(), DomainError> {
    let rule = |code: RuleCode, message: String| DomainError::Rule {
        code,
        field: Some("position"),
        message,
        basis: "支部条例第九条",
    };
    if kind == OrgKind::Group {
        return Err(rule(
            RuleCode::OrgGroupHasNoCommittee,
            "党小组设组长，不设委员会".to_owned(),
        ));
    }
    let single = matches!(position, Position::Secretary | Position::DeputySecretary);
    if single && sitting.contains(&position) {
        return Err(rule(
            RuleCode::OrgSeatTaken,
            format!("已有{}，须先免去现任", position.label()),
        ));
    }
    if kind == OrgKind::Branch && full_members < 7 && !single {
        return Err(rule(
            RuleCode::OrgSmallBranchNoCommittee,
            format!(
                "正式党员 {full_members} 名，不足 7 名的支部只设书记（可设一名副书记），不设支部委员会"
            ),
        ));
    }
    if sitting.len() >= 7 {
        return Err(rule(
            RuleCode::OrgCommitteeAtMostSeven,
            "委员会一般不超过 7 人".to_owned(),
        ));
    }
    Ok(())
}

/// People are placed in branches (a group is a part of its branch), never directly in a
/// general branch or committee.
pub fn check_member_placement(kind: OrgKind) -> Result<(), DomainError> {
    if kind == OrgKind::Branch {
        return Ok(());
    }
    Err(DomainError::Rule {
        code: crate::RuleCode::OrgPeopleInBranches,
        field: Some("org_id"),
        message: format!("人员编入党支部，不能直接编入{}", kind.label()),
        basis: "党章第二十九条",
    })
}

/// An organization is dissolved only when nothing hangs below it: no active sub-organization
/// and nobody left in its roster.
pub fn check_dissolve(org: &Org, active_children: bool, people: usize) -> Result<(), DomainError> {
    if org.parent_id.is_none() {
        return Err(FieldError::new("org_id", "组织", "组织树的根不能撤销").into());
    }
    if active_children {
        return Err(DomainError::Rule {
            code: crate::RuleCode::OrgDissolveHasChildren,
            field: Some("org_id"),
            message: "尚有下级组织，须先撤销或调整".to_owned(),
            basis: "党章第三十条",
        });
    }
    if people > 0 {
        return Err(DomainError::Rule {
            code: crate::RuleCode::OrgDissolveHasPeople,
            field: Some("org_id"),
            message: "尚有人员，须先转接组织关系或合并到其他支部".to_owned(),
            basis: "支部条例第二十五条",
        });
    }
    Ok(())
}

/// One seat of a committee and who holds it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Seat {
    pub id: i64,
    pub org_id: OrgId,
    pub org_path: OrgPath,
    pub person_id: PersonId,
    pub position: Position,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

impl Seat {
    /// Whether the seat was held on `day`: from the term's start until the day its holder
    /// left (who left that day no longer holds it).
    pub fn sat_on(&self, day: NaiveDate) -> bool {
        self.term_start <= day && self.left_on.is_none_or(|left| day < left)
    }

    /// Whether the seat ends when its holder leaves for `now_under` (none: they leave the
    /// university, or may no longer be elected under 留党察看, 党章第四十条). A seat ends when
    /// its holder leaves the organization (RULES.md §2); one of an organization that still
    /// holds their new one (a general branch's, when they move between its branches) stays.
    pub fn ends_when_holder_leaves_for(&self, now_under: Option<&OrgPath>) -> bool {
        now_under.is_none_or(|new| !self.org_path.contains(new))
    }
}

/// A warning about an organization's size, from the rules of 支部条例第四条 and 第九条.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SizeWarning {
    pub message: String,
    pub basis: &'static str,
}

/// Whether an organization with this many sitting seats has a committee (支部委员会, 3 to 5
/// members) rather than a secretary alone, with at most a deputy (支部条例第九条).
pub fn has_committee(seats: usize) -> bool {
    seats >= 3
}

/// The most students one organization may enrol: more than the largest university has, so a
/// larger number is a slip of the keyboard (and would overflow the dashboard's sums).
pub const MOST_STUDENTS: u64 = 1_000_000;

/// A number of students enrolled under an organization, as the organization department
/// registers it.
pub fn students(n: u64) -> Result<u64, crate::FieldError> {
    if n <= MOST_STUDENTS {
        Ok(n)
    } else {
        Err(crate::FieldError::new(
            "students",
            "在校学生数",
            format!("应在 0 至 {MOST_STUDENTS} 之间"),
        ))
    }
}

/// The university's size rules (本校设置 [L], RULES.md §2): a student branch of about 15, at
/// most 30 members; a party group of at least 3 people with a full member among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeRules {
    pub student_branch_max: u64,
    pub group_min_people: u64,
}

pub const STUDENT_BRANCH_MAX: SettingSpec = SettingSpec {
    key: "org_student_branch_max",
    label: "学生党支部党员人数不超过",
    default: 30,
    min: 5,
    max: 50,
    unit: "名",
    kept_by: Action::ManageRules,
};
pub const GROUP_MIN_PEOPLE: SettingSpec = SettingSpec {
    key: "org_group_min_people",
    label: "党小组人数不少于",
    default: 3,
    min: 2,
    max: 15,
    unit: "人",
    kept_by: Action::ManageRules,
};

/// The settings of organizations, as `platform::settings` registers them.
pub const SETTINGS: &[SettingSpec] = &[STUDENT_BRANCH_MAX, GROUP_MIN_PEOPLE];

impl SizeRules {
    /// The rules in force under `settings`.
    pub fn in_force(settings: &Settings) -> Self {
        let get = |spec| u64::try_from(settings.get(spec)).unwrap_or(0);
        Self {
            student_branch_max: get(STUDENT_BRANCH_MAX),
            group_min_people: get(GROUP_MIN_PEOPLE),
        }
    }
}

impl Default for SizeRules {
    fn default() -> Self {
        Self::in_force(&Settings::default())
    }
}

/// What the size rules count of an organization: everyone on its roster (a group's: those
/// placed in it), its members (full and probationary), its full members and its sitting seats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SizeCounts {
    pub people: u64,
    pub members: u64,
    pub full_members: u64,
    pub committee_size: u64,
    /// The units a 联合党支部 covers; 0 for a branch of one unit.
    pub joint_units: u64,
}

/// A 联合党支部 covers 一般不超过5个 units (支部条例第四条).
pub const JOINT_BRANCH_MAX_UNITS: u64 = 5;
/// The most units a joint branch's list may hold at all: a longer one is a slip.
pub const MOST_JOINT_UNITS: usize = 30;

/// The units a 联合党支部 covers, as typed (a form's lines, a request's list): only a branch
/// is a joint branch; a unit is named once, on one line; blanks are dropped. None, or one, is
/// a branch of one unit: an empty list.
pub fn parse_joint_units<'a>(
    kind: OrgKind,
    typed: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<String>, FieldError> {
    let mut units: Vec<String> = Vec::new();
    for line in typed.into_iter().map(str::trim).filter(|l| !l.is_empty()) {
        let unit = text::single_line(line, "joint_units", "联合单位", 100)?;
        if units.contains(&unit) {
            return Err(FieldError::new(
                "joint_units",
                "联合单位",
                format!("“{unit}”重复填写"),
            ));
        }
        units.push(unit);
    }
    if units.len() > MOST_JOINT_UNITS {
        return Err(FieldError::new(
            "joint_units",
            "联合单位",
            format!("最多 {MOST_JOINT_UNITS} 个"),
        ));
    }
    if !units.is_empty() && kind != OrgKind::Branch {
        return Err(FieldError::new(
            "joint_units",
            "联合单位",
            "只有党支部可以联合成立（联合党支部）",
        ));
    }
    if units.len() == 1 {
        units.clear();
    }
    Ok(units)
}

/// A branch over 50 members (a student branch over the university's size), with 7 or more
/// full members and no committee, or under 3 full members; a party group too small or without
/// a full member: each a warning, not a refusal, since the organization department decides.
pub fn size_warnings(org: &Org, counts: SizeCounts, rules: SizeRules) -> Vec<SizeWarning> {
    let SizeCounts {
        people,
        members,
        full_members,
        committee_size,
        joint_units,
    } = counts;
    let mut warnings = Vec::new();
    if org.kind == OrgKind::Group {
        if people < rules.group_min_people || full_members == 0 {
            warnings.push(SizeWarning {
                message: format!(
                    "党小组 {people} 人（正式党员 {full_members} 名），宜不少于 {} 人且至少有 1 名正式党员",
                    rules.group_min_people
                ),
                basis: "本校设置",
            });
        }
        return warnings;
    }
    if org.kind != OrgKind::Branch {
        return warnings;
    }
    if org.category == Some(BranchCategory::Student) && members > rules.student_branch_max {
        warnings.push(SizeWarning {
            message: format!(
                "学生党支部党员 {members} 名，超过 {} 名，宜分设支部",
                rules.student_branch_max
            ),
            basis: "本校设置",
        });
    }
    if members > 50 {
        warnings.push(SizeWarning {
            message: format!("党员 {members} 名，超过 50 名，宜分设支部"),
            basis: "支部条例第四条",
        });
    }
    if full_members >= 7 && !has_committee(usize::try_from(committee_size).unwrap_or(usize::MAX)) {
        warnings.push(SizeWarning {
            message: format!("正式党员 {full_members} 名，满 7 名应设支部委员会（3 至 5 人）"),
            basis: "支部条例第九条",
        });
    }
    if full_members < 3 {
        warnings.push(SizeWarning {
            message: if joint_units > 0 {
                format!("联合党支部正式党员 {full_members} 名，不足 3 名，宜联合更多单位")
            } else {
                format!("正式党员 {full_members} 名，不足 3 名，宜成立联合党支部")
            },
            basis: "支部条例第四条",
        });
    }
    if joint_units > JOINT_BRANCH_MAX_UNITS {
        warnings.push(SizeWarning {
            message: format!(
                "联合党支部覆盖 {joint_units} 个单位，一般不超过 {JOINT_BRANCH_MAX_UNITS} 个"
            ),
            basis: "支部条例第四条",
        });
    }
    warnings
}

crate::labelled_enum! {
    /// What happened to an organization (组织沿革).
    pub enum OrgEventKind {
        Moved = ("moved", "调整隶属关系"),
        MergedInto = ("merged_into", "并入其他组织"),
        Absorbed = ("absorbed", "合并其他组织"),
        SplitOff = ("split_off", "分设出新组织"),
        SplitFrom = ("split_from", "由原组织分设"),
        Dissolved = ("dissolved", "撤销"),
    }
}

/// One event of an organization's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgEvent {
    pub id: i64,
    pub org_id: OrgId,
    pub kind: OrgEventKind,
    pub on_date: NaiveDate,
    pub from_parent_id: Option<OrgId>,
    pub to_parent_id: Option<OrgId>,
    pub other_org_id: Option<OrgId>,
    pub note: String,
}

/// Checks a move of `org` under `new_parent`: the placement rules, and no cycle (an
/// organization cannot go under itself or one of its own sub-organizations).
pub fn check_move(org: &Org, new_parent: &Org) -> Result<(), DomainError> {
    if org.parent_id.is_none() {
        return Err(DomainError::Rule {
            code: crate::RuleCode::OrgRootFixed,
            field: Some("parent_id"),
            message: "组织树的根不能移动".to_owned(),
            basis: "党章第三十条",
        });
    }
    if org.path.contains(&new_parent.path) {
        return Err(DomainError::Rule {
            code: crate::RuleCode::OrgMoveCycle,
            field: Some("parent_id"),
            message: "不能移到本组织或其下级组织之下，否则隶属关系成环".to_owned(),
            basis: "党章第三十条",
        });
    }
    if !new_parent.is_active() {
        return Err(FieldError::new("parent_id", "新的上级组织", "该组织已撤销").into());
    }
    if Some(new_parent.id) == org.parent_id {
        return Err(FieldError::new("parent_id", "新的上级组织", "已在该组织之下").into());
    }
    org.kind.check_parent(Some(new_parent.kind))
}

/// Checks a merge of `from` into `into`: two different active organizations of one kind.
pub fn check_merge(from: &Org, into: &Org) -> Result<(), DomainError> {
    if from.id == into.id {
        return Err(FieldError::new("into_id", "并入的组织", "不能并入自身").into());
    }
    if !into.is_active() || !from.is_active() {
        return Err(FieldError::new("into_id", "并入的组织", "已撤销的组织不能合并").into());
    }
    if from.kind != into.kind {
        return Err(DomainError::Rule {
            code: crate::RuleCode::OrgMergeSameKind,
            field: Some("into_id"),
            message: format!("{}只能与{}合并", from.kind.label(), from.kind.label()),
            basis: "支部条例第四条",
        });
    }
    if from.path.contains(&into.path) {
        return Err(FieldError::new("into_id", "并入的组织", "不能并入自己的下级组织").into());
    }
    Ok(())
}

/// An organization as it stood on a past day: its parent and depth then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PastOrg {
    pub org: Org,
    pub parent_id: Option<OrgId>,
    /// 0 for the root asked for.
    pub depth: usize,
}

/// The subtree of `root_id` as it stood on `day`, in tree order (children by id): the
/// organizations founded by then and not yet dissolved, each under the parent it had that
/// day. Today's parent is undone by the moves recorded after `day`, the earliest first
/// holding the parent of that day.
pub fn tree_on(orgs: &[Org], events: &[OrgEvent], root_id: OrgId, day: NaiveDate) -> Vec<PastOrg> {
    let alive =
        |o: &Org| o.founded_on.is_none_or(|f| f <= day) && o.dissolved_on.is_none_or(|d| d > day);
    let mut parent_then: HashMap<OrgId, Option<OrgId>> =
        orgs.iter().map(|o| (o.id, o.parent_id)).collect();
    let mut later_moves: Vec<&OrgEvent> = events
        .iter()
        .filter(|e| e.kind == OrgEventKind::Moved && e.on_date > day)
        .collect();
    // Undo the latest move first, so the earliest one's origin is what stays.
    later_moves.sort_by_key(|e| std::cmp::Reverse((e.on_date, e.id)));
    for e in later_moves {
        if let Some(p) = parent_then.get_mut(&e.org_id) {
            *p = e.from_parent_id;
        }
    }
    let mut children: HashMap<OrgId, Vec<&Org>> = HashMap::new();
    for o in orgs.iter().filter(|o| alive(o)) {
        if let Some(Some(p)) = parent_then.get(&o.id) {
            children.entry(*p).or_default().push(o);
        }
    }
    // In founding order, as today's tree lists them (ids grow with time).
    for list in children.values_mut() {
        list.sort_by_key(|o| o.id);
    }
    let mut out = Vec::new();
    let Some(root) = orgs.iter().find(|o| o.id == root_id && alive(o)) else {
        return out;
    };
    let mut stack = vec![(root, 0usize)];
    while let Some((o, depth)) = stack.pop() {
        out.push(PastOrg {
            org: o.clone(),
            parent_id: parent_then.get(&o.id).copied().flatten(),
            depth,
        });
        if let Some(kids) = children.get(&o.id) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    out
}

/// A new organization as a person asked for it, checked field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    pub name: String,
    pub kind: OrgKind,
    pub category: Option<BranchCategory>,
    pub founded_on: Option<NaiveDate>,
}

impl NewOrg {
    /// Parses the raw form values; `today` bounds the founding date.
    pub fn parse(
        name: &str,
        kind: &str,
        category: &str,
        founded_on: &str,
        today: NaiveDate,
    ) -> Result<Self, FieldError> {
        let name = parse_name(name)?;
        let kind = OrgKind::parse(kind.trim()).ok_or_else(|| {
            FieldError::new("kind", "组织类型", "请选择党委、党总支、党支部或党小组")
        })?;
        let category = match category.trim() {
            "" => None,
            c => Some(BranchCategory::parse(c).ok_or_else(|| {
                FieldError::new("category", "支部类别", "请选择教工、学生、离退休或混合支部")
            })?),
        };
        if category.is_some() && kind != OrgKind::Branch {
            return Err(FieldError::new("category", "支部类别", "只有党支部设类别"));
        }
        let founded_on = match founded_on.trim() {
            "" => None,
            d => {
                let date = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    FieldError::new("founded_on", "成立日期", "日期格式应为 2024-09-01")
                })?;
                if date > today {
                    return Err(FieldError::new("founded_on", "成立日期", "不能晚于今天"));
                }
                Some(date)
            }
        };
        Ok(Self {
            name,
            kind,
            category,
            founded_on,
        })
    }
}

/// The name of an organization: required, one line, at most 100 characters.
pub fn parse_name(value: &str) -> Result<String, FieldError> {
    text::single_line(value, "name", "组织名称", 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placement_follows_the_tree_of_the_party_constitution_党章第三十条() {
        use OrgKind::*;
        assert!(Committee.check_parent(None).is_ok());
        assert!(Committee.check_parent(Some(Committee)).is_ok());
        assert!(GeneralBranch.check_parent(Some(Committee)).is_ok());
        assert!(Branch.check_parent(Some(GeneralBranch)).is_ok());
        assert!(Branch.check_parent(Some(Committee)).is_ok(), "直属党支部");
        assert!(Group.check_parent(Some(Branch)).is_ok());
        assert!(Group.check_parent(Some(GeneralBranch)).is_err());
        assert!(Branch.check_parent(None).is_err());
        let err = GeneralBranch.check_parent(Some(Branch)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "党总支不能设在党支部之下（党章第三十条、支部条例第四条）"
        );
    }

    #[test]
    fn the_tree_of_a_past_day_undoes_later_moves_and_foundings() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let org =
            |id, parent: Option<i64>, name: &str, kind, founded: &str, gone: Option<&str>| Org {
                id: OrgId::new(id),
                parent_id: parent.map(OrgId::new),
                path: OrgPath::root(OrgId::new(1)),
                name: name.to_owned(),
                kind,
                category: None,
                founded_on: Some(d(founded)),
                dissolved_on: gone.map(d),
            };
        use OrgKind::*;
        let orgs = vec![
            org(1, None, "党委", Committee, "2000-01-01", None),
            org(2, Some(1), "甲总支", GeneralBranch, "2000-01-01", None),
            org(3, Some(1), "乙总支", GeneralBranch, "2000-01-01", None),
            // Moved from 甲 to 乙 in 2020, and again (back and forth) in 2022.
            org(4, Some(3), "一支部", Branch, "2001-01-01", None),
            org(5, Some(2), "二支部", Branch, "2021-06-01", None),
            org(
                6,
                Some(2),
                "三支部",
                Branch,
                "2001-01-01",
                Some("2019-01-01"),
            ),
        ];
        let moved = |id, org_id, on: &str, from, to| OrgEvent {
            id,
            org_id: OrgId::new(org_id),
            kind: OrgEventKind::Moved,
            on_date: d(on),
            from_parent_id: Some(OrgId::new(from)),
            to_parent_id: Some(OrgId::new(to)),
            other_org_id: None,
            note: String::new(),
        };
        let events = vec![
            moved(10, 4, "2020-01-01", 2, 3),
            moved(11, 4, "2022-01-01", 3, 2),
            moved(12, 4, "2022-02-01", 2, 3),
        ];
        let shape = |day: &str| {
            tree_on(&orgs, &events, OrgId::new(1), d(day))
                .iter()
                .map(|p| format!("{}{}", "-".repeat(p.depth), p.org.name))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            shape("2018-06-01"),
            "党委 -甲总支 --一支部 --三支部 -乙总支"
        );
        assert_eq!(
            shape("2020-01-01"),
            "党委 -甲总支 -乙总支 --一支部",
            "a move counts from its day"
        );
        assert_eq!(
            shape("2021-12-31"),
            "党委 -甲总支 --二支部 -乙总支 --一支部"
        );
        assert_eq!(
            shape("2022-01-15"),
            "党委 -甲总支 --一支部 --二支部 -乙总支"
        );
        assert_eq!(
            shape("2026-01-01"),
            "党委 -甲总支 --二支部 -乙总支 --一支部"
        );
        assert!(
            tree_on(&orgs, &events, OrgId::new(1), d("1999-01-01")).is_empty(),
            "before the root was founded"
        );
        assert_eq!(
            tree_on(&orgs, &events, OrgId::new(2), d("2018-06-01")).len(),
            3,
            "a subtree of that day"
        );
    }

    #[test]
    fn a_seat_ends_when_its_holder_leaves_the_organization_党章第四十条() {
        let gb = org(1, None, OrgKind::GeneralBranch);
        let a = org(2, Some(&gb), OrgKind::Branch);
        let b = org(3, Some(&gb), OrgKind::Branch);
        let seat = |of: &Org| Seat {
            id: 9,
            org_id: of.id,
            org_path: of.path.clone(),
            person_id: PersonId::new(7),
            position: Position::Secretary,
            term_start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            term_end: NaiveDate::from_ymd_opt(2028, 1, 1).unwrap(),
            left_on: None,
        };
        assert!(seat(&a).ends_when_holder_leaves_for(Some(&b.path)));
        assert!(
            !seat(&gb).ends_when_holder_leaves_for(Some(&b.path)),
            "still under it"
        );
        assert!(
            seat(&gb).ends_when_holder_leaves_for(None),
            "left or disciplined"
        );
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let left = Seat {
            left_on: Some(d(2026, 6, 1)),
            ..seat(&a)
        };
        assert!(!left.sat_on(d(2024, 12, 31)), "before the term");
        assert!(left.sat_on(d(2026, 5, 31)));
        assert!(!left.sat_on(d(2026, 6, 1)), "left that day");
        assert!(
            seat(&a).sat_on(d(2030, 1, 1)),
            "sits on past the term until replaced"
        );
    }

    #[test]
    fn a_committee_has_three_seats_or_more_支部条例第九条() {
        assert!(
            !has_committee(2),
            "a secretary and a deputy are no committee"
        );
        assert!(has_committee(3));
    }

    #[test]
    fn a_path_contains_its_subtree_and_nothing_else() {
        let root = OrgPath::root(OrgId::new(1));
        let a = root.child(OrgId::new(12));
        let b = root.child(OrgId::new(123));
        assert!(root.contains(&a) && root.contains(&b) && a.contains(&a));
        assert!(!a.contains(&b), "/1/12/ must not contain /1/123/");
        let upper = a.subtree_upper_bound();
        assert!(a.as_str() < upper.as_str() && a.child(OrgId::new(99)).as_str() < upper.as_str());
        assert!(b.as_str() >= upper.as_str() || b.as_str() < a.as_str());
        assert_eq!(b.ids(), vec![OrgId::new(1), OrgId::new(123)]);
        assert_eq!(OrgPath::parse("/1/12/"), Some(a));
        assert_eq!(OrgPath::parse("/1//"), None);
        assert_eq!(OrgPath::parse("1/2/"), None);
    }

    #[test]
    fn a_new_org_names_the_bad_field() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let ok = NewOrg::parse(" 第一党支部 ", "branch", "student", "2020-09-01", today).unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.category),
            ("第一党支部", Some(BranchCategory::Student))
        );
        assert_eq!(
            NewOrg::parse("", "branch", "", "", today)
                .unwrap_err()
                .field,
            "name"
        );
        assert_eq!(
            NewOrg::parse("x", "team", "", "", today).unwrap_err().field,
            "kind"
        );
        assert_eq!(
            NewOrg::parse("x", "committee", "staff", "", today)
                .unwrap_err()
                .field,
            "category"
        );
        assert_eq!(
            NewOrg::parse("x", "branch", "", "2027-01-01", today)
                .unwrap_err()
                .field,
            "founded_on"
        );
        assert_eq!(
            NewOrg::parse("x", "branch", "", "2020/1/1", today)
                .unwrap_err()
                .field,
            "founded_on"
        );
    }

    #[test]
    fn branch_size_rules_warn_支部条例第四条_第九条() {
        let rules = SizeRules::default();
        let warn = |kind, (members, full_members, committee_size): (u64, u64, u64)| {
            let counts = SizeCounts {
                people: members,
                members,
                full_members,
                committee_size,
                joint_units: 0,
            };
            size_warnings(&org(1, None, kind), counts, rules)
        };
        assert!(warn(OrgKind::Branch, (30, 20, 5)).is_empty());
        let big = warn(OrgKind::Branch, (51, 40, 5));
        assert_eq!(big.len(), 1);
        assert!(big[0].message.contains("超过 50 名"));
        let no_committee = warn(OrgKind::Branch, (12, 7, 1));
        assert_eq!(no_committee[0].basis, "支部条例第九条");
        let small = warn(OrgKind::Branch, (4, 2, 1));
        assert!(small[0].message.contains("不足 3 名"));
        assert!(warn(OrgKind::GeneralBranch, (500, 400, 0)).is_empty());
    }

    #[test]
    fn a_joint_branch_covers_five_units_or_fewer_支部条例第四条() {
        let branch = org(1, None, OrgKind::Branch);
        let units = |n: u64| SizeCounts {
            people: 6,
            members: 6,
            full_members: 5,
            committee_size: 1,
            joint_units: n,
        };
        let rules = SizeRules::default();
        assert!(size_warnings(&branch, units(5), rules).is_empty());
        let six = size_warnings(&branch, units(6), rules);
        assert_eq!(six.len(), 1);
        assert!(six[0].message.contains("6 个单位"), "{six:?}");
        assert_eq!(six[0].basis, "支部条例第四条");

        let lines = |s: &'static str| s.lines();
        assert_eq!(
            parse_joint_units(OrgKind::Branch, lines("化学实验室\n\n 物理实验室 \n图书馆"))
                .unwrap(),
            ["化学实验室", "物理实验室", "图书馆"]
        );
        assert!(
            parse_joint_units(OrgKind::Branch, ["图书馆"])
                .unwrap()
                .is_empty(),
            "one unit is no joint branch"
        );
        let twice = parse_joint_units(OrgKind::Branch, ["图书馆", "图书馆"]).unwrap_err();
        assert!(twice.message.contains("重复"), "{twice}");
        assert_eq!(
            parse_joint_units(OrgKind::GeneralBranch, ["甲", "乙"])
                .unwrap_err()
                .field,
            "joint_units"
        );
        assert!(
            parse_joint_units(OrgKind::Branch, ["甲\n乙"]).is_err(),
            "one line each"
        );
        let many: Vec<String> = (0..=MOST_JOINT_UNITS).map(|i| format!("单位{i}")).collect();
        assert!(parse_joint_units(OrgKind::Branch, many.iter().map(String::as_str)).is_err());
    }

    #[test]
    fn a_student_branch_and_a_party_group_are_held_to_the_universitys_sizes_本校设置() {
        let rules = SizeRules::default();
        assert_eq!((rules.student_branch_max, rules.group_min_people), (30, 3));
        let students = Org {
            category: Some(BranchCategory::Student),
            ..org(1, None, OrgKind::Branch)
        };
        let counts = |people, full_members| SizeCounts {
            people,
            members: people,
            full_members,
            committee_size: 3,
            joint_units: 0,
        };
        assert!(size_warnings(&students, counts(30, 20), rules).is_empty());
        let large = size_warnings(&students, counts(31, 20), rules);
        assert!(large[0].message.contains("超过 30 名"), "{large:?}");
        let staff = Org {
            category: Some(BranchCategory::Staff),
            ..students.clone()
        };
        assert!(size_warnings(&staff, counts(31, 20), rules).is_empty());
        let group = org(2, None, OrgKind::Group);
        assert!(size_warnings(&group, counts(3, 1), rules).is_empty());
        assert_eq!(size_warnings(&group, counts(2, 1), rules).len(), 1);
        assert_eq!(size_warnings(&group, counts(5, 0), rules).len(), 1);
    }

    fn org(id: i64, parent: Option<&Org>, kind: OrgKind) -> Org {
        let id = OrgId::new(id);
        Org {
            id,
            parent_id: parent.map(|p| p.id),
            path: parent.map_or_else(|| OrgPath::root(id), |p| p.path.child(id)),
            name: format!("组织{id}"),
            kind,
            category: None,
            founded_on: None,
            dissolved_on: None,
        }
    }

    #[test]
    fn a_move_keeps_the_tree_a_tree_and_a_merge_joins_like_kinds_党章第三十条_支部条例第四条() {
        let root = org(1, None, OrgKind::Committee);
        let gb = org(2, Some(&root), OrgKind::GeneralBranch);
        let gb2 = org(3, Some(&root), OrgKind::GeneralBranch);
        let branch = org(4, Some(&gb), OrgKind::Branch);
        let group = org(5, Some(&branch), OrgKind::Group);
        assert!(check_move(&branch, &gb2).is_ok());
        assert!(check_move(&branch, &root).is_ok(), "to a direct branch");
        assert!(
            check_move(&gb, &branch)
                .unwrap_err()
                .to_string()
                .contains("成环")
        );
        assert!(
            check_move(&gb, &gb)
                .unwrap_err()
                .to_string()
                .contains("成环")
        );
        assert!(
            check_move(&group, &gb2)
                .unwrap_err()
                .to_string()
                .contains("党小组不能设在党总支之下")
        );
        assert!(check_move(&root, &gb).is_err());
        assert!(check_merge(&branch, &org(6, Some(&gb2), OrgKind::Branch)).is_ok());
        assert!(
            check_merge(&branch, &gb2)
                .unwrap_err()
                .to_string()
                .contains("只能与党支部合并")
        );
    }

    #[test]
    fn members_live_in_branches_and_only_empty_organizations_dissolve() {
        assert!(check_member_placement(OrgKind::Branch).is_ok());
        assert!(
            check_member_placement(OrgKind::GeneralBranch)
                .unwrap_err()
                .to_string()
                .contains("党章第二十九条")
        );
        let root = org(1, None, OrgKind::Committee);
        let branch = org(2, Some(&root), OrgKind::Branch);
        assert!(check_dissolve(&root, false, 0).is_err());
        assert!(
            check_dissolve(&branch, true, 0)
                .unwrap_err()
                .to_string()
                .contains("尚有下级组织")
        );
        assert!(
            check_dissolve(&branch, false, 3)
                .unwrap_err()
                .to_string()
                .contains("支部条例第二十五条")
        );
        assert!(check_dissolve(&branch, false, 0).is_ok());
    }

    #[test]
    fn a_small_branch_has_a_secretary_and_no_committee_支部条例第九条() {
        use Position::*;
        assert!(check_seat(OrgKind::Branch, Secretary, 5, &[]).is_ok());
        assert!(check_seat(OrgKind::Branch, DeputySecretary, 5, &[Secretary]).is_ok());
        let err =
            check_seat(OrgKind::Branch, OrganizationCommissioner, 6, &[Secretary]).unwrap_err();
        assert!(err.to_string().contains("不足 7 名"));
        assert!(check_seat(OrgKind::Branch, OrganizationCommissioner, 12, &[Secretary]).is_ok());
        assert!(
            check_seat(OrgKind::Branch, Secretary, 12, &[Secretary])
                .unwrap_err()
                .to_string()
                .contains("须先免去")
        );
        assert!(check_seat(OrgKind::Group, Secretary, 12, &[]).is_err());
        let full = [
            Secretary,
            DeputySecretary,
            OrganizationCommissioner,
            PropagandaCommissioner,
            DisciplineCommissioner,
            OrganizationCommissioner,
            PropagandaCommissioner,
        ];
        assert!(check_seat(OrgKind::GeneralBranch, DisciplineCommissioner, 100, &full).is_err());
    }

    #[test]
    fn terms_run_3_years_for_a_branch_and_5_above_党章第三十一条() {
        assert_eq!(term_years(OrgKind::Branch), 3);
        assert_eq!(term_years(OrgKind::GeneralBranch), 5);
        assert_eq!(term_years(OrgKind::Committee), 5);
    }

    #[test]
    fn enumerations_speak_snake_case() {
        assert_eq!(
            serde_json::to_string(&OrgKind::GeneralBranch).unwrap(),
            "\"general_branch\""
        );
        assert_eq!(
            OrgKind::parse("general_branch"),
            Some(OrgKind::GeneralBranch)
        );
        assert_eq!(
            BranchCategory::parse("student"),
            Some(BranchCategory::Student)
        );
    }
}
