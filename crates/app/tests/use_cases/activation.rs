//! Accounts for everyone in the roster: activation by the person; credentials kept by the
//! security admin alone.

use crate::common::{PASSWORD, activated_actor, member_input, signed_actor, test_app, tree};
use dangjian_app::AppError;

#[tokio::test]
async fn a_member_activates_their_own_account_once_and_nobody_else_can() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(&t.app, "sec", "branch_secretary", Some(tree.branch_a.id)).await;
    let input = member_input("张三", (1990, 3, 7), 77);
    t.app
        .people()
        .add(&sec, tree.branch_a.id, None, &input)
        .await
        .unwrap();
    let good = "Zhang-San-2026";

    // Only the security admin issues the code, and the organization department, which holds
    // the whole roster, cannot open the account without it.
    let orgdept = signed_actor(&t.app, "orgdept9", "org_department", Some(tree.root.id)).await;
    assert!(matches!(
        t.app
            .accounts()
            .issue_activation_code(&orgdept, "T00077")
            .await,
        Err(AppError::Forbidden(_))
    ));
    let err = t
        .app
        .accounts()
        .activate_account("张三", &input.national_id, ("T00077", ""), good, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不匹配"), "{err}");
    let secadmin = signed_actor(&t.app, "secadmin", "security_admin", None).await;
    let first = t
        .app
        .accounts()
        .issue_activation_code(&secadmin, "T00077")
        .await
        .unwrap();
    assert_eq!(first.person_name, "张三");
    // A second code replaces the first.
    let issued = t
        .app
        .accounts()
        .issue_activation_code(&secadmin, "T00077")
        .await
        .unwrap();
    let err = t
        .app
        .accounts()
        .activate_account(
            "张三",
            &input.national_id,
            ("T00077", &first.code),
            good,
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不匹配"), "{err}");
    let code = issued.code.to_lowercase().replace('-', " ");
    let code = code.as_str();

    // Every mismatch gets the same answer, naming no field.
    for (name, staff_no) in [("张四", "T00077"), ("张三", "T00078")] {
        let err = t
            .app
            .accounts()
            .activate_account(name, &input.national_id, (staff_no, code), good, None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不匹配"), "{err}");
        assert_eq!(err.field(), None);
    }
    let err = t
        .app
        .accounts()
        .activate_account("张三", "110101199003070000", ("T00077", code), good, None)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("national_id"));
    let err = t
        .app
        .accounts()
        .activate_account("张三", &input.national_id, ("T00077", code), "short", None)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("password"));
    // Long enough and of four kinds, but their own name and a year: easy to guess.
    let err = t
        .app
        .accounts()
        .activate_account(
            "张三",
            &input.national_id,
            ("T00077", code),
            "Zhangsan@1990",
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("password"));
    assert!(err.to_string().contains("过于常见"), "{err}");

    let username = t
        .app
        .accounts()
        .activate_account("张三", &input.national_id, ("T00077", code), good, None)
        .await
        .unwrap();
    assert_eq!(username, "t00077");
    let signed = t
        .app
        .accounts()
        .sign_in("t00077", good, &Default::default())
        .await
        .unwrap();
    assert!(!signed.account.must_change_password);
    let session = t
        .app
        .accounts()
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
        .accounts()
        .activate_account(
            "张三",
            &input.national_id,
            ("T00077", code),
            "Other-Pass-2026",
            None,
        )
        .await;
    // The code went with its use; and an activated person gets no new one.
    assert!(
        matches!(again, Err(AppError::Rule { .. })),
        "claimed once: {again:?}"
    );
    assert!(matches!(
        t.app
            .accounts()
            .issue_activation_code(&secadmin, "T00077")
            .await,
        Err(AppError::Conflict { .. })
    ));
}

#[tokio::test]
async fn an_activation_code_runs_out_after_fourteen_days() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(&t.app, "sec", "branch_secretary", Some(tree.branch_a.id)).await;
    let input = member_input("王五", (1991, 4, 8), 78);
    t.app
        .people()
        .add(&sec, tree.branch_a.id, None, &input)
        .await
        .unwrap();
    let issued = t
        .app
        .accounts()
        .issue_activation_code(&dangjian_app::Actor::console(), "T00078")
        .await
        .unwrap();
    t.clock.advance(chrono::Duration::days(15));
    let err = t
        .app
        .accounts()
        .activate_account(
            "王五",
            &input.national_id,
            ("T00078", &issued.code),
            "Wang-Wu-Pass-2026",
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已过期"), "{err}");
}

/// 三员分立: the organization department keeps the roster, the security admin the accounts. A
/// member made secretary keeps a password nobody else knows.
#[tokio::test]
async fn only_the_security_admin_resets_a_password_even_of_a_secretary() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let orgdept = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    let secadmin = signed_actor(&t.app, "secadmin2", "security_admin", None).await;
    let input = member_input("李书记", (1980, 5, 4), 300);
    t.app
        .people()
        .add(&orgdept, tree.branch_a.id, None, &input)
        .await
        .unwrap();
    activated_actor(&t.app, &input).await;
    let account = t
        .app
        .accounts()
        .by_username(&secadmin, "t00300")
        .await
        .unwrap()
        .account;
    t.app
        .accounts()
        .grant(
            &secadmin,
            account.id,
            "branch_secretary",
            Some(tree.branch_a.id),
        )
        .await
        .unwrap();

    for refused in [
        t.app
            .accounts()
            .reset_password(&orgdept, account.id)
            .await
            .err(),
        t.app.accounts().get(&orgdept, account.id).await.err(),
        t.app
            .accounts()
            .set_account_disabled(&orgdept, account.id, true)
            .await
            .err(),
        t.app
            .accounts()
            .grant(&orgdept, account.id, "org_department", Some(tree.root.id))
            .await
            .err(),
    ] {
        assert!(
            matches!(refused, Some(AppError::Forbidden(_))),
            "{refused:?}"
        );
    }
    assert!(
        t.app
            .accounts()
            .sign_in("t00300", PASSWORD, &Default::default())
            .await
            .is_ok(),
        "the password is still the secretary's own"
    );

    // The security admin's reset is shown once to them, to be changed at sign-in.
    let temporary = t
        .app
        .accounts()
        .reset_password(&secadmin, account.id)
        .await
        .unwrap();
    let signed = t
        .app
        .accounts()
        .sign_in("t00300", &temporary, &Default::default())
        .await
        .unwrap();
    assert!(signed.account.must_change_password);
}
