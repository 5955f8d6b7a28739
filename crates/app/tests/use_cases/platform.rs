//! The platform's use cases on a real database (SQLite, or PostgreSQL when
//! DANGJIAN_TEST_DATABASE_URL names a server).

use crate::common;
use crate::common::{PASSWORD, new_org, signed_actor, test_app, tree};
use chrono::Duration;
use dangjian_app::{Actor, AppError, OrgFilter};
use dangjian_domain::clock::Clock;
use dangjian_domain::org::OrgKind;
use dangjian_domain::org::trail::ORG;
use dangjian_domain::paging::Paging;
use dangjian_domain::platform::audit::ChainBreak;
use dangjian_store::ConnectionTrait;

#[tokio::test]
async fn sign_in_opens_a_session_and_sign_out_ends_it() {
    let t = test_app().await;
    let actor = signed_actor(&t.app, "zhangsan", "auditor", None).await;
    assert!(matches!(
        t.app
            .accounts()
            .sign_in("zhangsan", "wrong-Pass-1", &Default::default())
            .await,
        Err(AppError::Unauthenticated(_))
    ));
    assert!(matches!(
        t.app
            .accounts()
            .sign_in("nobody", PASSWORD, &Default::default())
            .await,
        Err(AppError::Unauthenticated(_))
    ));
    let signed = t
        .app
        .accounts()
        .sign_in("ZhangSan", PASSWORD, &Default::default())
        .await
        .unwrap();
    let session = t
        .app
        .accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap();
    assert_eq!(session.actor.name, "zhangsan");
    t.app
        .accounts()
        .sign_out(&signed.token, &actor)
        .await
        .unwrap();
    assert!(
        t.app
            .accounts()
            .session(&signed.token, &Default::default())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn five_failures_lock_the_account_for_a_while() {
    let t = test_app().await;
    signed_actor(&t.app, "lisi", "auditor", None).await;
    for _ in 0..4 {
        let e = t
            .app
            .accounts()
            .sign_in("lisi", "Wrong-Pass-1", &Default::default())
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Unauthenticated(_)));
    }
    let e = t
        .app
        .accounts()
        .sign_in("lisi", "Wrong-Pass-1", &Default::default())
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Locked { .. }), "{e:?}");
    // Even the right password waits out the lock.
    let e = t
        .app
        .accounts()
        .sign_in("lisi", PASSWORD, &Default::default())
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Locked { .. }));
    assert!(e.to_string().contains("锁定"));
    t.clock.advance(Duration::minutes(16));
    t.app
        .accounts()
        .sign_in("lisi", PASSWORD, &Default::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_idle_session_expires() {
    let t = test_app().await;
    signed_actor(&t.app, "wangwu", "auditor", None).await;
    let signed = t
        .app
        .accounts()
        .sign_in("wangwu", PASSWORD, &Default::default())
        .await
        .unwrap();
    t.clock.advance(Duration::minutes(20));
    t.app
        .accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap();
    t.clock.advance(Duration::minutes(29));
    t.app
        .accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap();
    t.clock.advance(Duration::minutes(31));
    let e = t
        .app
        .accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "登录已过期，请重新登录");
}

#[tokio::test]
async fn a_first_password_must_be_changed_and_follow_the_policy() {
    let t = test_app().await;
    let console = Actor::console();
    let (account, first) = t
        .app
        .accounts()
        .create(&console, "zhaoliu", "赵六", None, false)
        .await
        .unwrap();
    assert!(account.must_change_password);
    let signed = t
        .app
        .accounts()
        .sign_in("zhaoliu", &first, &Default::default())
        .await
        .unwrap();
    let session = t
        .app
        .accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap();
    assert!(session.account.must_change_password);
    let actor = session.actor;
    let e = t
        .app
        .accounts()
        .change_password(&actor, &first, "short", "short", None)
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("new_password"));
    let e = t
        .app
        .accounts()
        .change_password(&actor, &first, "Password123!", "Password123!", None)
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "密码：过于常见或容易猜到，请换一个更长、更少见的密码"
    );
    let e = t
        .app
        .accounts()
        .change_password(&actor, "not-it", "Better-Pass-1", "Better-Pass-1", None)
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("current_password"));
    let e = t
        .app
        .accounts()
        .change_password(&actor, &first, "Better-Pass-1", "Better-Pass-2", None)
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("confirm_password"));
    t.app
        .accounts()
        .change_password(
            &actor,
            &first,
            "Better-Pass-1",
            "Better-Pass-1",
            Some(&signed.token),
        )
        .await
        .unwrap();
    let session = t
        .app
        .accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap();
    assert!(
        !session.account.must_change_password,
        "the changing session stays and is freed"
    );
}

#[tokio::test]
async fn reads_outside_scope_look_like_missing_records() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let secretary = signed_actor(
        &t.app,
        "branchsec",
        "branch_secretary",
        Some(tree.branch_a.id),
    )
    .await;
    assert_eq!(
        t.app
            .org()
            .get(&secretary, tree.branch_a.id)
            .await
            .unwrap()
            .name,
        "教工第一党支部"
    );
    for other in [&tree.root, &tree.gb, &tree.branch_b, &tree.direct] {
        assert!(matches!(
            t.app.org().get(&secretary, other.id).await,
            Err(AppError::NotFound)
        ));
    }
    let page = t
        .app
        .org()
        .list(&secretary, &OrgFilter::default(), Paging::default())
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    // A general branch secretary sees the general branch and its two branches only.
    let gbsec = signed_actor(
        &t.app,
        "gbsec",
        "general_branch_secretary",
        Some(tree.gb.id),
    )
    .await;
    let page = t
        .app
        .org()
        .list(&gbsec, &OrgFilter::default(), Paging::default())
        .await
        .unwrap();
    assert_eq!(page.total, 3);
    // Writes check the scope too: a branch secretary founds nothing, not even a group.
    let e = t
        .app
        .org()
        .found(&secretary, tree.branch_a.id, new_org("第一党小组", "group"))
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)));
    let e = t
        .app
        .org()
        .found(&secretary, tree.branch_b.id, new_org("第一党小组", "group"))
        .await
        .unwrap_err();
    assert_eq!(
        e.field(),
        Some("parent_id"),
        "outside scope the parent does not exist"
    );
}

#[tokio::test]
async fn the_tree_refuses_misplaced_organizations_党章第三十条() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "admin2", "org_department", Some(tree.root.id)).await;
    let e = t
        .app
        .org()
        .found(
            &admin,
            tree.branch_a.id,
            new_org("某总支", "general_branch"),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("党总支不能设在党支部之下"), "{e}");
    let group = t
        .app
        .org()
        .found(&admin, tree.branch_a.id, new_org("第一党小组", "group"))
        .await
        .unwrap();
    assert_eq!(group.kind, OrgKind::Group);
    assert!(matches!(
        t.app
            .org()
            .found_root(&Actor::console(), new_org("另一个党委", "committee"))
            .await,
        Err(AppError::Conflict { .. })
    ));
}

#[tokio::test]
async fn platform_duties_are_separate_and_see_no_business_data() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let auditor = signed_actor(&t.app, "auditor1", "auditor", None).await;
    assert!(matches!(
        t.app.org().get(&auditor, tree.root.id).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        t.app.accounts().list(&auditor, "", Paging::default()).await,
        Err(AppError::Forbidden(_))
    ));
    let id = auditor.account_id.unwrap();
    let e = t
        .app
        .accounts()
        .grant(&Actor::console(), id, "security_admin", None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("三员分立"), "{e}");
    let admin = signed_actor(&t.app, "orgadmin", "org_department", Some(tree.root.id)).await;
    assert!(matches!(
        t.app
            .audit()
            .search(&admin, &Default::default(), Paging::default())
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        t.app
            .settings()
            .update(&admin, &[("lockout_failures", "6")])
            .await,
        Err(AppError::Forbidden(_))
    ));
    let sysadmin = signed_actor(&t.app, "sysadmin1", "system_admin", None).await;
    assert_eq!(
        t.app
            .settings()
            .update(&sysadmin, &[("lockout_failures", "6")])
            .await
            .unwrap(),
        1
    );
    // The same value again changes nothing, and says so.
    assert_eq!(
        t.app
            .settings()
            .update(&sysadmin, &[("lockout_failures", "6")])
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        t.app
            .settings()
            .update(
                &sysadmin,
                &[("lockout_minutes", "30"), ("lockout_failures", "99")]
            )
            .await
            .unwrap_err()
            .field(),
        Some("lockout_failures")
    );
    // A bad value beside a good one changes neither.
    assert_eq!(
        t.app.settings().current().await.unwrap().get(
            dangjian_domain::platform::settings::SettingSpec::find("lockout_minutes").unwrap()
        ),
        15
    );
}

#[tokio::test]
async fn every_write_is_in_the_chained_audit_trail_痕迹管理() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let auditor = signed_actor(&t.app, "auditor2", "auditor", None).await;
    let found = t
        .app
        .audit()
        .search(
            &auditor,
            &dangjian_app::AuditFilter {
                entity: Some("org".into()),
                entity_id: Some(tree.gb.id.get()),
                ..Default::default()
            },
            Paging::default(),
        )
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    let entry = &found.items[0];
    assert_eq!(
        (
            entry.record.action.as_str(),
            entry.record.actor_name.as_str()
        ),
        ("org.create", "orgdept")
    );
    assert_eq!(
        entry.record.after.as_ref().unwrap()["name"],
        "机械学院党总支"
    );
    let n = t.app.audit().verify().await.unwrap().unwrap();
    assert!(n > 10, "{n}");

    // The database refuses changes to the trail.
    let db = t.app.store().db();
    assert!(
        db.execute_unprepared("UPDATE audit_log SET actor_name = 'x' WHERE seq = 3")
            .await
            .is_err()
    );
    assert!(
        db.execute_unprepared("DELETE FROM audit_log WHERE seq = 3")
            .await
            .is_err()
    );
    // Someone with the database in hand removes the guard and edits a row: verify finds it.
    let unguard = match t.app.engine() {
        dangjian_app::Engine::Sqlite => "DROP TRIGGER audit_log_no_update",
        dangjian_app::Engine::Postgres => {
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update"
        }
    };
    db.execute_unprepared(unguard).await.unwrap();
    db.execute_unprepared("UPDATE audit_log SET actor_name = 'someone' WHERE seq = 3")
        .await
        .unwrap();
    assert_eq!(
        t.app.audit().verify().await.unwrap(),
        Err(ChainBreak::Altered { seq: 3 })
    );
}

#[tokio::test]
async fn a_trail_cut_after_its_signed_checkpoint_is_found_痕迹管理() {
    let t = test_app().await;
    common::tree(&t.app).await;
    let cp = t
        .app
        .audit()
        .checkpoint()
        .await
        .unwrap()
        .expect("a head to sign");
    assert_eq!(t.app.audit().verify().await.unwrap(), Ok(cp.seq as u64));
    // Someone with the database in hand removes the guards and cuts the last entries.
    let db = t.app.store().db();
    let unguard: &[&str] = match t.app.engine() {
        dangjian_app::Engine::Sqlite => &["DROP TRIGGER audit_log_no_delete"],
        dangjian_app::Engine::Postgres => {
            &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update"]
        }
    };
    for sql in unguard {
        db.execute_unprepared(sql).await.unwrap();
    }
    db.execute_unprepared(&format!("DELETE FROM audit_log WHERE seq > {}", cp.seq - 3))
        .await
        .unwrap();
    assert_eq!(
        t.app.audit().verify().await.unwrap(),
        Err(ChainBreak::Truncated { seq: cp.seq })
    );
    // Nor can the checkpoint be moved back without the key.
    let path = t.app.audit().checkpoint_path();
    let text = std::fs::read_to_string(&path).unwrap();
    let moved = text.replace(&format!("\"seq\":{}", cp.seq), "\"seq\":1");
    std::fs::write(&path, moved).unwrap();
    assert_eq!(
        t.app.audit().verify().await.unwrap(),
        Err(ChainBreak::ForgedCheckpoint)
    );
}

#[tokio::test]
async fn a_write_without_its_audit_entry_cannot_commit() {
    let t = test_app().await;
    let tx = t.app.store().begin_write().await.unwrap();
    assert!(matches!(
        tx.commit().await,
        Err(dangjian_store::StoreError::Unaudited)
    ));
}

#[tokio::test]
async fn attachments_are_checked_kept_by_hash_and_read_within_scope() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let secretary = signed_actor(
        &t.app,
        "branchsec2",
        "branch_secretary",
        Some(tree.branch_a.id),
    )
    .await;
    let other = signed_actor(
        &t.app,
        "branchsec3",
        "branch_secretary",
        Some(tree.branch_b.id),
    )
    .await;
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
    let a = t
        .app
        .attachments()
        .upload(&secretary, ORG, tree.branch_a.id.get(), "会议照片.png", png)
        .await
        .unwrap();
    assert_eq!(a.content_type, "image/png");
    let (_, bytes) = t
        .app
        .attachments()
        .download(&secretary, a.id)
        .await
        .unwrap();
    assert_eq!(bytes, png);
    assert!(matches!(
        t.app.attachments().download(&other, a.id).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        t.app
            .attachments()
            .upload(&other, ORG, tree.branch_a.id.get(), "x.png", png)
            .await,
        Err(AppError::NotFound)
    ));
    // A script named like a photo is refused.
    let e = t
        .app
        .attachments()
        .upload(
            &secretary,
            ORG,
            tree.branch_a.id.get(),
            "photo.jpg",
            b"#!/bin/sh\nrm -rf /",
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("file"));
    // A file changed on disk is caught on read.
    let path = t
        .dir
        .path()
        .join("attachments")
        .join(&a.sha256[..2])
        .join(&a.sha256);
    std::fs::write(&path, b"tampered").unwrap();
    assert!(matches!(
        t.app.attachments().download(&secretary, a.id).await,
        Err(AppError::Integrity(_))
    ));
}

#[tokio::test]
async fn api_tokens_act_for_their_owner_until_revoked() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "tokenowner", "org_department", Some(tree.root.id)).await;
    let (token, secret) = t
        .app
        .accounts()
        .create_api_token(&admin, "人事系统", None)
        .await
        .unwrap();
    let (actor, _) = t
        .app
        .accounts()
        .token_actor(&secret, &Default::default())
        .await
        .unwrap();
    assert_eq!(actor.name, "tokenowner");
    t.app
        .accounts()
        .revoke_api_token(&admin, token.id)
        .await
        .unwrap();
    assert!(
        t.app
            .accounts()
            .token_actor(&secret, &Default::default())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn api_tokens_live_the_days_chosen_90_unless_said_and_at_most_a_year() {
    let t = test_app().await;
    let owner = signed_actor(&t.app, "tokenowner", "auditor", None).await;
    let now = t.clock.now();
    let (token, _) = t
        .app
        .accounts()
        .create_api_token(&owner, "默认", None)
        .await
        .unwrap();
    assert_eq!(token.expires_at, now + Duration::days(90));
    for days in [0, 366] {
        let err = t
            .app
            .accounts()
            .create_api_token(&owner, "太长", Some(days))
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("days"), "{days}: {err}");
    }
    let (_, secret) = t
        .app
        .accounts()
        .create_api_token(&owner, "一天", Some(1))
        .await
        .unwrap();
    let client = Default::default();
    assert!(t.app.accounts().token_actor(&secret, &client).await.is_ok());
    t.clock.advance(Duration::days(1));
    assert!(matches!(
        t.app.accounts().token_actor(&secret, &client).await,
        Err(AppError::Unauthenticated(_))
    ));
}

/// Whoever learned the old password may have made a token with it: a new password ends the
/// tokens as it ends the sessions.
#[tokio::test]
async fn api_tokens_die_when_the_password_changes_or_is_reset_or_the_account_is_disabled() {
    let t = test_app().await;
    let owner = signed_actor(&t.app, "tokenowner", "auditor", None).await;
    let secadmin = signed_actor(&t.app, "secadmin", "security_admin", None).await;
    let id = owner.account_id.unwrap();
    let client = Default::default();
    let token = || async {
        t.app
            .accounts()
            .create_api_token(&owner, "对接", None)
            .await
            .unwrap()
            .1
    };

    let before = token().await;
    let new = "Kite-Lantern-Harbor-58";
    t.app
        .accounts()
        .change_password(&owner, PASSWORD, new, new, None)
        .await
        .unwrap();
    assert!(
        t.app
            .accounts()
            .token_actor(&before, &client)
            .await
            .is_err(),
        "changed"
    );

    let before = token().await;
    assert!(t.app.accounts().token_actor(&before, &client).await.is_ok());
    t.app
        .accounts()
        .reset_password(&secadmin, id)
        .await
        .unwrap();
    assert!(
        t.app
            .accounts()
            .token_actor(&before, &client)
            .await
            .is_err(),
        "reset"
    );

    let before = token().await;
    t.app
        .accounts()
        .set_account_disabled(&secadmin, id, true)
        .await
        .unwrap();
    t.app
        .accounts()
        .set_account_disabled(&secadmin, id, false)
        .await
        .unwrap();
    assert!(
        t.app
            .accounts()
            .token_actor(&before, &client)
            .await
            .is_err(),
        "disabled, and not back when enabled"
    );
    assert!(
        t.app
            .accounts()
            .api_tokens(&owner)
            .await
            .unwrap()
            .iter()
            .all(|t| t.revoked_at.is_some())
    );
}

#[tokio::test]
async fn the_demo_university_is_shaped_like_seed_003() {
    let t = test_app().await;
    let demo = t
        .app
        .build_demo(dangjian_app::demo::DEFAULT_MEMBERS, 7, "Demo-Pass-2026")
        .await
        .unwrap();
    // The six kinds of user, and an activist with their mentor for thought reports.
    let names: Vec<&str> = demo.accounts.iter().map(|a| a.username.as_str()).collect();
    assert_eq!(
        names,
        [
            "admin",
            "gbsec",
            "branchsec",
            "sysadmin",
            "secadmin",
            "auditor",
            "activist",
            "mentor"
        ]
    );
    let admin = t
        .app
        .accounts()
        .session(
            &t.app
                .accounts()
                .sign_in("admin", "Demo-Pass-2026", &Default::default())
                .await
                .unwrap()
                .token,
            &Default::default(),
        )
        .await
        .unwrap();
    assert!(
        !admin.account.must_change_password,
        "demo accounts keep their password"
    );
    let count = |kind| {
        let f = OrgFilter {
            kind: Some(kind),
            ..Default::default()
        };
        let app = t.app.clone();
        let actor = admin.actor.clone();
        async move {
            app.org()
                .list(&actor, &f, Paging::default())
                .await
                .unwrap()
                .total
        }
    };
    assert_eq!(count(OrgKind::GeneralBranch).await, 17);
    assert_eq!(
        count(OrgKind::Branch).await,
        74,
        "60 under general branches and 14 direct"
    );
    assert!(
        t.app.build_demo(100, 7, "x").await.is_err(),
        "only into an empty database"
    );
}

#[tokio::test]
async fn idle_sessions_are_purged() {
    let t = test_app().await;
    signed_actor(&t.app, "idle1", "auditor", None).await;
    t.app
        .accounts()
        .sign_in("idle1", PASSWORD, &Default::default())
        .await
        .unwrap();
    assert_eq!(t.app.accounts().purge_idle_sessions().await.unwrap(), 0);
    t.clock.advance(Duration::minutes(31));
    assert_eq!(
        t.app.accounts().purge_idle_sessions().await.unwrap(),
        2,
        "both sign-ins' sessions"
    );
}

#[tokio::test]
async fn a_revoked_grant_no_longer_opens_its_subtree() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let secretary = signed_actor(
        &t.app,
        "revoked1",
        "branch_secretary",
        Some(tree.branch_a.id),
    )
    .await;
    let id = secretary.account_id.unwrap();
    let grant = t
        .app
        .accounts()
        .get(&Actor::console(), id)
        .await
        .unwrap()
        .grants[0]
        .id;
    assert_eq!(
        t.app
            .accounts()
            .revoke_grant(&Actor::console(), grant)
            .await
            .unwrap(),
        id
    );
    let signed = t
        .app
        .accounts()
        .sign_in("revoked1", PASSWORD, &Default::default())
        .await
        .unwrap();
    let actor = t
        .app
        .accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap()
        .actor;
    assert!(matches!(
        t.app.org().get(&actor, tree.branch_a.id).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        t.app
            .accounts()
            .revoke_grant(&Actor::console(), grant)
            .await,
        Err(AppError::NotFound)
    ));
}

#[tokio::test]
async fn a_backup_is_refused_by_a_platform_whose_key_cannot_read_it() {
    let t = test_app().await;
    if t.app.engine() != dangjian_app::Engine::Sqlite {
        return; // PostgreSQL is backed up and restored with its own tools.
    }
    let tree = common::tree(&t.app).await;
    // People with sealed ID numbers, and a trail.
    common::branch_of_three(&t.app, &tree, "bk", 900).await;
    let file = t.dir.path().join("copy.db");
    t.app.audit().checkpoint().await.unwrap();
    t.app.store().backup_sqlite(&file).await.unwrap();
    std::fs::copy(
        t.app.audit().checkpoint_path(),
        dangjian_app::backup::checkpoint_beside(&file),
    )
    .unwrap();
    let clock = || -> std::sync::Arc<dyn dangjian_domain::clock::Clock> { t.clock.clone() };

    // Another machine's data folder: a key of its own, made on first start.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(
        elsewhere.path().join("secret.key"),
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    )
    .unwrap();
    let staging = elsewhere.path().join("restore.tmp");
    let err = dangjian_app::backup::stage_restore(elsewhere.path(), &file, &staging, clock())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("无法用本机密钥解密"), "{err}");
    assert!(!staging.exists(), "nothing staged is left");

    // With the key it was made with, the copy and its trail check out.
    let staging = t.dir.path().join("restore.tmp");
    dangjian_app::backup::stage_restore(t.dir.path(), &file, &staging, clock())
        .await
        .unwrap();
    assert!(staging.join(dangjian_app::backup::DATABASE_FILE).is_file());
}
