//! Property: over random organization trees and random grants, no read or write crosses a
//! scope. Every organization is visible to an account exactly when one of its grants covers it,
//! and founding under an organization succeeds exactly when a grant allowing it covers it.

use crate::common;
use crate::common::{new_org, test_app};
use dangjian_app::{Actor, AppError, OrgFilter};
use dangjian_domain::org::{Org, OrgKind};
use dangjian_domain::paging::Paging;
use dangjian_domain::platform::role::{Action, Role};
use proptest::prelude::*;

/// A random tree: for each new organization, the index of its parent among those before it.
fn tree_shape() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(any::<prop::sample::Index>(), 3..14).prop_map(|picks| {
        picks
            .iter()
            .enumerate()
            .map(|(i, p)| p.index(i + 1))
            .collect()
    })
}

/// Grants as (role index among business roles, organization index).
fn grants() -> impl Strategy<Value = Vec<(usize, prop::sample::Index)>> {
    proptest::collection::vec((0usize..7, any::<prop::sample::Index>()), 1..4)
}

const BUSINESS: [Role; 7] = [
    Role::OrgDepartment,
    Role::CommitteeMember,
    Role::GeneralBranchSecretary,
    Role::OrganizationCommissioner,
    Role::BranchSecretary,
    Role::BranchCommitteeMember,
    Role::Member,
];

/// The kind a child of `parent` takes in a random tree: as deep as the placement rules allow.
fn child_kind(parent: OrgKind, depth: usize) -> OrgKind {
    match parent {
        OrgKind::Committee if depth.is_multiple_of(2) => OrgKind::GeneralBranch,
        OrgKind::Committee | OrgKind::GeneralBranch => OrgKind::Branch,
        OrgKind::Branch | OrgKind::Group => OrgKind::Group,
    }
}

async fn check(shape: Vec<usize>, grants: Vec<(usize, prop::sample::Index)>) {
    let t = test_app().await;
    let app = &t.app;
    let console = Actor::console();
    let root = app
        .org()
        .found_root(&console, new_org("党委", "committee"))
        .await
        .unwrap();
    let builder = common::signed_actor(app, "builder", "org_department", Some(root.id)).await;
    let mut orgs: Vec<Org> = vec![root];
    for (i, parent) in shape.into_iter().enumerate() {
        // Groups cannot hold children: hang the new one on the group's branch instead.
        let mut parent = orgs[parent].clone();
        if parent.kind == OrgKind::Group {
            parent = orgs
                .iter()
                .find(|o| Some(o.id) == parent.parent_id)
                .unwrap()
                .clone();
        }
        let kind = child_kind(parent.kind, i);
        let org = app
            .org()
            .found(
                &builder,
                parent.id,
                new_org(&format!("组织{i}"), kind.code()),
            )
            .await
            .unwrap();
        orgs.push(org);
    }
    let (account, _) = app
        .accounts()
        .create(&console, "subject", "被测", Some(common::PASSWORD), true)
        .await
        .unwrap();
    let mut held: Vec<(Role, Org)> = Vec::new();
    for (r, at) in grants {
        let role = BUSINESS[r];
        let org = at.get(&orgs).clone();
        if app
            .accounts()
            .grant(&console, account.id, role.code(), Some(org.id))
            .await
            .is_ok()
        {
            held.push((role, org));
        }
    }
    let signed = app
        .accounts()
        .sign_in("subject", common::PASSWORD, &Default::default())
        .await
        .unwrap();
    let actor = app
        .accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap()
        .actor;
    let covered = |action: Action, target: &Org| {
        held.iter()
            .any(|(role, org)| role.allows(action) && org.path.contains(&target.path))
    };
    let mut visible = 0;
    for target in &orgs {
        let read = app.org().get(&actor, target.id).await;
        assert_eq!(
            read.is_ok(),
            covered(Action::ReadOrg, target),
            "read {} with {held:?}",
            target.path.as_str()
        );
        if let Err(e) = read {
            assert!(matches!(e, AppError::NotFound));
        } else {
            visible += 1;
        }
        let kind = child_kind(target.kind, 1);
        let write = app
            .org()
            .found(&actor, target.id, new_org("新组织", kind.code()))
            .await;
        if target.kind == OrgKind::Group {
            // Nothing may stand under a party group, whoever asks.
            assert!(write.is_err());
        } else if write.is_ok() {
            assert!(
                covered(Action::ManageOrg, target),
                "wrote under {} with {held:?}",
                target.path.as_str()
            );
        } else if covered(Action::ManageOrg, target) {
            panic!(
                "could not write under {} with {held:?}: {:?}",
                target.path.as_str(),
                write
            );
        }
    }
    let listed = app
        .org()
        .list(
            &actor,
            &OrgFilter::default(),
            Paging::parse(Some(1), Some(500)).unwrap(),
        )
        .await
        .unwrap();
    assert!(listed.items.iter().all(|o| covered(Action::ReadOrg, o)));
    assert!(listed.total >= visible);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn no_read_or_write_crosses_a_scope(shape in tree_shape(), grants in grants()) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(check(shape, grants));
    }
}
