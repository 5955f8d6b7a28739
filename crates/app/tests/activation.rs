//! Accounts for everyone in the roster: activation by the person, bulk opening by the
//! organization department.

mod common;

use common::{member_input, signed_actor, test_app, tree};
use dangjian_app::AppError;

#[tokio::test]
async fn a_member_activates_their_own_account_once_and_nobody_else_can() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(&t.app, "sec", "branch_secretary", Some(tree.branch_a.id)).await;
    let input = member_input("张三", (1990, 3, 7), 77);
    t.app
        .add_person(&sec, tree.branch_a.id, None, &input)
        .await
        .unwrap();
    let good = "Zhang-San-2026";

    // Every mismatch gets the same answer, naming no field.
    for (name, staff_no) in [("张四", "T00077"), ("张三", "T00078")] {
        let err = t
            .app
            .activate_account(name, &input.national_id, staff_no, good, None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不匹配"), "{err}");
        assert_eq!(err.field(), None);
    }
    let err = t
        .app
        .activate_account("张三", "110101199003070000", "T00077", good, None)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("national_id"));
    let err = t
        .app
        .activate_account("张三", &input.national_id, "T00077", "short", None)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("password"));

    let username = t
        .app
        .activate_account("张三", &input.national_id, "T00077", good, None)
        .await
        .unwrap();
    assert_eq!(username, "t00077");
    let signed = t
        .app
        .sign_in("t00077", good, &Default::default())
        .await
        .unwrap();
    assert!(!signed.account.must_change_password);
    let session = t
        .app
        .session(&signed.token, &Default::default())
        .await
        .unwrap();
    assert!(
        session
            .actor
            .access
            .has_role(dangjian_domain::platform::role::Role::Member)
    );

    let again = t
        .app
        .activate_account(
            "张三",
            &input.national_id,
            "T00077",
            "Other-Pass-2026",
            None,
        )
        .await;
    assert!(
        matches!(again, Err(AppError::Conflict { .. })),
        "claimed once"
    );
}

#[tokio::test]
async fn the_organization_department_opens_accounts_in_bulk() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    for (k, name) in ["甲一", "乙二", "丙三"].iter().enumerate() {
        let input = member_input(name, (1985, 1, 1 + k as u32), 400 + k as u32);
        t.app
            .add_person(&admin, tree.branch_a.id, None, &input)
            .await
            .unwrap();
    }
    let sec = signed_actor(&t.app, "sec", "branch_secretary", Some(tree.branch_a.id)).await;
    assert!(matches!(
        t.app.open_accounts_for(&sec, tree.branch_a.id).await,
        Err(AppError::Forbidden(_))
    ));
    let issued = t.app.open_accounts_for(&admin, tree.gb.id).await.unwrap();
    assert_eq!(issued.len(), 3);
    let first = &issued[0];
    let signed = t
        .app
        .sign_in(&first.username, &first.password, &Default::default())
        .await
        .unwrap();
    assert!(signed.account.must_change_password);
    assert!(
        t.app
            .open_accounts_for(&admin, tree.gb.id)
            .await
            .unwrap()
            .is_empty(),
        "once"
    );
    let reset = t.app.reset_accounts_for(&admin, tree.gb.id).await.unwrap();
    assert_eq!(reset.len(), 3);
    assert!(
        t.app
            .sign_in(&first.username, &first.password, &Default::default())
            .await
            .is_err()
    );
}
