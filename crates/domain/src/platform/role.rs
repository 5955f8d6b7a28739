//! Roles and scopes. A role grants a set of actions on a subtree of the organization tree;
//! `Access` is the one place that answers "may this person do this there?".

use crate::DomainError;
use crate::org::{Org, OrgKind, OrgPath};
use serde::{Deserialize, Serialize};

/// What a person may do; each role grants some of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See organizations and their public figures.
    ReadOrg,
    /// Found, rename, move or dissolve organizations.
    ManageOrg,
    /// Read the business records of a subtree (members, meetings, dues…).
    ReadRecords,
    /// Record business acts in a subtree.
    WriteRecords,
    /// Approve or review what lower organizations submit.
    Approve,
    /// See a person's whole ID number and phone (each showing audited).
    RevealPii,
    /// Manage accounts and grants (security admin).
    ManageAccounts,
    /// Change platform settings (system admin).
    ManageSettings,
    /// Read the audit trail (auditor).
    ReadAudit,
    /// Record a step past its deadline, with a reason (责任追究): the organization department.
    OverrideDeadline,
    /// Set the university's own rules (本校设置) and keep the holiday calendar.
    ManageRules,
    /// Confirm a record as the organization's secretary (a meeting's record, 书记确认).
    ConfirmRecords,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 组织部工作人员.
    OrgDepartment,
    /// 党委书记 / 副书记.
    CommitteeSecretary,
    /// 党委委员.
    CommitteeMember,
    /// 总支（二级党委）书记.
    GeneralBranchSecretary,
    /// 组织委员.
    OrganizationCommissioner,
    /// 支部书记.
    BranchSecretary,
    /// 支委.
    BranchCommitteeMember,
    /// 党员.
    Member,
    /// 入党申请人 / 积极分子.
    Applicant,
    /// 系统管理员: settings, no business data.
    SystemAdmin,
    /// 安全管理员: accounts and grants.
    SecurityAdmin,
    /// 安全审计员: reads the audit trail.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 12] = [
        Self::OrgDepartment,
        Self::CommitteeSecretary,
        Self::CommitteeMember,
        Self::GeneralBranchSecretary,
        Self::OrganizationCommissioner,
        Self::BranchSecretary,
        Self::BranchCommitteeMember,
        Self::Member,
        Self::Applicant,
        Self::SystemAdmin,
        Self::SecurityAdmin,
        Self::Auditor,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::OrgDepartment => "组织部工作人员",
            Self::CommitteeSecretary => "党委书记",
            Self::CommitteeMember => "党委委员",
            Self::GeneralBranchSecretary => "党总支书记",
            Self::OrganizationCommissioner => "组织委员",
            Self::BranchSecretary => "支部书记",
            Self::BranchCommitteeMember => "支委",
            Self::Member => "党员",
            Self::Applicant => "入党申请人",
            Self::SystemAdmin => "系统管理员",
            Self::SecurityAdmin => "安全管理员",
            Self::Auditor => "安全审计员",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::OrgDepartment => "org_department",
            Self::CommitteeSecretary => "committee_secretary",
            Self::CommitteeMember => "committee_member",
            Self::GeneralBranchSecretary => "general_branch_secretary",
            Self::OrganizationCommissioner => "organization_commissioner",
            Self::BranchSecretary => "branch_secretary",
            Self::BranchCommitteeMember => "branch_committee_member",
            Self::Member => "member",
            Self::Applicant => "applicant",
            Self::SystemAdmin => "system_admin",
            Self::SecurityAdmin => "security_admin",
            Self::Auditor => "auditor",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The three platform duties (三员) hold no organization scope and no business data.
    pub fn is_platform_duty(self) -> bool {
        matches!(
            self,
            Self::SystemAdmin | Self::SecurityAdmin | Self::Auditor
        )
    }

    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Self::OrgDepartment => matches!(
                action,
                ReadOrg
                    | ManageOrg
                    | ReadRecords
                    | WriteRecords
                    | Approve
                    | RevealPii
                    | OverrideDeadline
                    | ManageRules
            ),
            Self::CommitteeSecretary => {
                matches!(action, ReadOrg | ReadRecords | Approve | ConfirmRecords)
            }
            Self::CommitteeMember => matches!(action, ReadOrg | ReadRecords | Approve),
            Self::GeneralBranchSecretary => matches!(
                action,
                ReadOrg | ReadRecords | WriteRecords | Approve | RevealPii | ConfirmRecords
            ),
            Self::OrganizationCommissioner => {
                matches!(
                    action,
                    ReadOrg | ReadRecords | WriteRecords | Approve | RevealPii
                )
            }
            // The secretary keeps the branch's roster whole and confirms its records; other
            // committee members see the roster masked.
            Self::BranchSecretary => matches!(
                action,
                ReadOrg | ReadRecords | WriteRecords | RevealPii | ConfirmRecords
            ),
            Self::BranchCommitteeMember => {
                matches!(action, ReadOrg | ReadRecords | WriteRecords)
            }
            // Members and applicants act on their own records (later modules); of their
            // organization they see only what any member may see.
            Self::Member | Self::Applicant => matches!(action, ReadOrg),
            Self::SystemAdmin => matches!(action, ManageSettings),
            Self::SecurityAdmin => matches!(action, ManageAccounts),
            Self::Auditor => matches!(action, ReadAudit),
        }
    }

    /// The kinds of organization a role may be granted on.
    pub fn fits(self, kind: OrgKind) -> bool {
        use OrgKind::*;
        match self {
            Self::OrgDepartment | Self::CommitteeSecretary | Self::CommitteeMember => {
                kind == Committee
            }
            Self::GeneralBranchSecretary | Self::OrganizationCommissioner => {
                matches!(kind, Committee | GeneralBranch)
            }
            Self::BranchSecretary | Self::BranchCommitteeMember => kind == Branch,
            Self::Member | Self::Applicant => matches!(kind, Branch | Group),
            Self::SystemAdmin | Self::SecurityAdmin | Self::Auditor => false,
        }
    }
}

/// One role held on one subtree (platform duties have none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub scope: Option<OrgPath>,
}

impl Grant {
    /// Checks a new grant against the kind of the organization it names and the grants the
    /// account already holds.
    pub fn check(
        role: Role,
        org_kind: Option<OrgKind>,
        existing: &[Role],
    ) -> Result<(), DomainError> {
        const SOURCE: &str = "三员分立：系统管理员、安全管理员、安全审计员由不同人员担任";
        match (role.is_platform_duty(), org_kind) {
            (true, Some(_)) => {
                return Err(DomainError::Rule {
                    code: crate::RuleCode::PlatformGrantScopeNotAllowed,
                    field: Some("org_id"),
                    message: format!("{}不授予组织范围", role.label()),
                    basis: SOURCE,
                });
            }
            (false, None) => {
                return Err(DomainError::Rule {
                    code: crate::RuleCode::PlatformGrantScopeRequired,
                    field: Some("org_id"),
                    message: format!("{}须指定所在组织", role.label()),
                    basis: "授权按组织树的子树划定范围",
                });
            }
            (false, Some(kind)) if !role.fits(kind) => {
                return Err(DomainError::Rule {
                    code: crate::RuleCode::PlatformGrantScopeKind,
                    field: Some("org_id"),
                    message: format!("{}不能授予在{}上", role.label(), kind.label()),
                    basis: "授权按组织树的子树划定范围",
                });
            }
            _ => {}
        }
        if existing.contains(&role) && role.is_platform_duty() {
            return Err(DomainError::Rule {
                code: crate::RuleCode::PlatformGrantAlreadyHeld,
                field: Some("role"),
                message: format!("该账号已是{}", role.label()),
                basis: SOURCE,
            });
        }
        // A platform duty excludes the other two duties and any business role, and back.
        let clash = existing
            .iter()
            .find(|held| **held != role && (held.is_platform_duty() || role.is_platform_duty()));
        if let Some(held) = clash {
            return Err(DomainError::Rule {
                code: crate::RuleCode::PlatformDutiesSeparated,
                field: Some("role"),
                message: format!("该账号已是{}，不能再兼任{}", held.label(), role.label()),
                basis: SOURCE,
            });
        }
        Ok(())
    }
}

/// Everything one signed-in person may do: the single answer to every authorization question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    grants: Vec<Grant>,
}

impl Access {
    pub fn new(grants: Vec<Grant>) -> Self {
        Self { grants }
    }

    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// A platform action, which needs no organization.
    pub fn can(&self, action: Action) -> bool {
        self.grants.iter().any(|g| g.role.allows(action))
    }

    /// An action on the organization at `target` (or on a record that belongs to it).
    pub fn can_at(&self, action: Action, target: &OrgPath) -> bool {
        self.grants
            .iter()
            .any(|g| g.role.allows(action) && g.scope.as_ref().is_some_and(|s| s.contains(target)))
    }

    /// An action that changes `org` or its records: allowed where `can_at` allows it, and only
    /// while the organization is active — a dissolved one's records are closed, though they
    /// stay readable.
    pub fn can_change(&self, action: Action, org: &Org) -> bool {
        org.is_active() && self.can_at(action, &org.path)
    }

    /// The subtrees in which `action` is allowed, none nested inside another: the scope filter
    /// that every list query applies.
    pub fn scopes(&self, action: Action) -> Vec<OrgPath> {
        let mut paths: Vec<OrgPath> = self
            .grants
            .iter()
            .filter(|g| g.role.allows(action))
            .filter_map(|g| g.scope.clone())
            .collect();
        paths.sort();
        paths.dedup();
        let all = paths.clone();
        paths.retain(|p| !all.iter().any(|q| q != p && q.contains(p)));
        paths
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrgId;
    use proptest::prelude::*;

    #[test]
    fn the_three_platform_duties_are_held_by_different_people_三员分立() {
        assert!(Grant::check(Role::Auditor, None, &[]).is_ok());
        assert!(Grant::check(Role::Auditor, None, &[Role::SecurityAdmin]).is_err());
        assert!(Grant::check(Role::SystemAdmin, None, &[Role::BranchSecretary]).is_err());
        assert!(
            Grant::check(
                Role::BranchSecretary,
                Some(OrgKind::Branch),
                &[Role::Auditor]
            )
            .is_err()
        );
        assert!(
            Grant::check(
                Role::BranchSecretary,
                Some(OrgKind::Branch),
                &[Role::Member]
            )
            .is_ok(),
            "one person may hold several business grants"
        );
    }

    #[test]
    fn a_dissolved_organization_takes_no_changes_but_stays_readable() {
        let path = OrgPath::root(OrgId::new(0)).child(OrgId::new(1));
        let access = Access::new(vec![Grant {
            role: Role::OrgDepartment,
            scope: Some(OrgPath::root(OrgId::new(0))),
        }]);
        let mut org = Org {
            id: OrgId::new(1),
            parent_id: Some(OrgId::new(0)),
            path,
            name: "第一党支部".into(),
            kind: OrgKind::Branch,
            category: None,
            founded_on: None,
            dissolved_on: None,
        };
        assert!(access.can_change(Action::WriteRecords, &org));
        assert!(access.can_change(Action::ManageOrg, &org));
        org.dissolved_on = chrono::NaiveDate::from_ymd_opt(2026, 6, 30);
        assert!(!access.can_change(Action::WriteRecords, &org));
        assert!(!access.can_change(Action::ManageOrg, &org));
        assert!(access.can_at(Action::ReadRecords, &org.path));
    }

    #[test]
    fn platform_duties_see_no_business_data() {
        for duty in [Role::SystemAdmin, Role::SecurityAdmin, Role::Auditor] {
            for action in [Action::ReadOrg, Action::ReadRecords, Action::WriteRecords] {
                assert!(!duty.allows(action), "{duty:?} {action:?}");
            }
        }
        let auditor = Access::new(vec![Grant {
            role: Role::Auditor,
            scope: None,
        }]);
        assert!(auditor.can(Action::ReadAudit));
        assert!(!auditor.can(Action::ManageAccounts));
    }

    #[test]
    fn a_role_fits_its_kind_of_organization() {
        assert!(Grant::check(Role::BranchSecretary, Some(OrgKind::GeneralBranch), &[]).is_err());
        assert!(Grant::check(Role::OrgDepartment, Some(OrgKind::Committee), &[]).is_ok());
        assert!(Grant::check(Role::OrgDepartment, None, &[]).is_err());
        assert!(Grant::check(Role::Auditor, Some(OrgKind::Committee), &[]).is_err());
    }

    #[test]
    fn scopes_drop_nested_subtrees() {
        let root = OrgPath::root(OrgId::new(1));
        let gb = root.child(OrgId::new(2));
        let access = Access::new(vec![
            Grant {
                role: Role::BranchSecretary,
                scope: Some(gb.child(OrgId::new(3))),
            },
            Grant {
                role: Role::GeneralBranchSecretary,
                scope: Some(gb.clone()),
            },
        ]);
        assert_eq!(access.scopes(Action::WriteRecords), vec![gb.clone()]);
        assert!(access.can_at(Action::Approve, &gb.child(OrgId::new(9))));
        assert!(!access.can_at(Action::ReadOrg, &root));
    }

    proptest! {
        #[test]
        fn can_at_agrees_with_the_scope_filter(
            grants in proptest::collection::vec((0usize..12, 1i64..6, 1i64..6), 0..5),
            target in (1i64..6, 1i64..6, 1i64..6),
        ) {
            let grants: Vec<Grant> = grants.into_iter().map(|(r, a, b)| Grant {
                role: Role::ALL[r],
                scope: (!Role::ALL[r].is_platform_duty()).then(|| OrgPath::root(OrgId::new(0)).child(OrgId::new(a)).child(OrgId::new(b))),
            }).collect();
            let access = Access::new(grants);
            let target = OrgPath::root(OrgId::new(0)).child(OrgId::new(target.0)).child(OrgId::new(target.1)).child(OrgId::new(target.2));
            for action in [Action::ReadOrg, Action::WriteRecords, Action::Approve] {
                let by_filter = access.scopes(action).iter().any(|s| s.contains(&target));
                prop_assert_eq!(access.can_at(action, &target), by_filter);
            }
        }
    }
}
