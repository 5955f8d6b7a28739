//! Stories of the roster: adding people, finding them, their history and their secrets.

use crate::common::{member_input, signed_actor, test_app, tree};
use dangjian_app::people::PeopleQuery;
use dangjian_app::{AppError, AuditFilter};
use dangjian_domain::paging::Paging;
use dangjian_domain::people::PersonStatus;
use sea_orm::ConnectionTrait;

#[tokio::test]
async fn a_secretary_adds_a_member_and_finds_them_by_pinyin_initials_and_id() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(&t.app, "sec", "branch_secretary", Some(tree.branch_a.id)).await;
    let input = member_input("张三", (1990, 3, 7), 123);
    let p = t
        .app
        .people()
        .add(&sec, tree.branch_a.id, None, &input)
        .await
        .unwrap();
    assert_eq!(p.national_id_masked, "11****************");
    assert_eq!(p.phone_masked.as_deref(), Some("138****8000"));

    for q in ["zhangsan", "zs", "ZHANG", "张", input.national_id.as_str()] {
        let query = PeopleQuery {
            q: Some(q.into()),
            ..Default::default()
        };
        let page = t
            .app
            .people()
            .list(&sec, &query, Paging::default())
            .await
            .unwrap();
        assert_eq!(page.total, 1, "search {q}");
        assert_eq!(page.items[0].org_name, "教工第一党支部");
    }
    // `%` and `_` are letters in a search, not wildcards that match everyone.
    for q in ["ls", "%", "_", "张%", "_三"] {
        let none = PeopleQuery {
            q: Some(q.into()),
            ..Default::default()
        };
        assert_eq!(
            t.app
                .people()
                .list(&sec, &none, Paging::default())
                .await
                .unwrap()
                .total,
            0,
            "search {q}"
        );
    }

    // The whole number is shown to the secretary, and the showing is audited.
    let revealed = t.app.people().reveal_pii(&sec, p.id).await.unwrap();
    assert_eq!(revealed.national_id, input.national_id);
    let auditor = signed_actor(&t.app, "aud", "auditor", None).await;
    let filter = AuditFilter {
        action: Some("person.reveal".into()),
        ..Default::default()
    };
    assert_eq!(
        t.app
            .audit()
            .search(&auditor, &filter, Paging::default())
            .await
            .unwrap()
            .total,
        1
    );
}

#[tokio::test]
async fn masks_stored_before_hide_all_but_the_province_after_the_migration() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(&t.app, "sec", "branch_secretary", Some(tree.branch_a.id)).await;
    let input = member_input("张三", (1990, 3, 7), 123);
    let p = t
        .app
        .people()
        .add(&sec, tree.branch_a.id, None, &input)
        .await
        .unwrap();
    // A database from before the wider mask: the old mask stored, the migration not yet run.
    let db = t.app.store().db();
    let old = format!("110***********{}", &input.national_id[14..]);
    db.execute_unprepared(&format!(
        "UPDATE persons SET national_id_masked = '{old}' WHERE id = {}",
        p.id
    ))
    .await
    .unwrap();
    db.execute_unprepared(
        "DELETE FROM seaql_migrations WHERE version = 'm20261201_000015_national_id_mask'",
    )
    .await
    .unwrap();
    t.app.store().migrate().await.unwrap();
    let view = t.app.people().get(&sec, p.id).await.unwrap();
    assert_eq!(view.person.national_id_masked, "11****************");
}

#[tokio::test]
async fn people_outside_the_scope_are_invisible_and_untouchable() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec_a = signed_actor(&t.app, "seca", "branch_secretary", Some(tree.branch_a.id)).await;
    let sec_b = signed_actor(&t.app, "secb", "branch_secretary", Some(tree.branch_b.id)).await;
    let committee = signed_actor(
        &t.app,
        "cmember",
        "branch_committee_member",
        Some(tree.branch_a.id),
    )
    .await;
    let p = t
        .app
        .people()
        .add(
            &sec_a,
            tree.branch_a.id,
            None,
            &member_input("李四", (1988, 1, 2), 11),
        )
        .await
        .unwrap();
    assert!(matches!(
        t.app.people().get(&sec_b, p.id).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        t.app.people().reveal_pii(&sec_b, p.id).await,
        Err(AppError::NotFound)
    ));
    // Another branch is not even found for them.
    let err = t
        .app
        .people()
        .add(
            &sec_b,
            tree.branch_a.id,
            None,
            &member_input("王五", (1988, 1, 2), 13),
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("org_id"));
    assert_eq!(
        t.app
            .people()
            .list(&sec_b, &PeopleQuery::default(), Paging::default())
            .await
            .unwrap()
            .total,
        0
    );
    // A committee member reads the roster but not the whole ID number.
    let view = t.app.people().get(&committee, p.id).await.unwrap();
    assert!(!view.may_reveal);
    assert!(matches!(
        t.app.people().reveal_pii(&committee, p.id).await,
        Err(AppError::Forbidden(_))
    ));
}

#[tokio::test]
async fn bad_people_are_refused_and_nothing_is_written() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(&t.app, "sec", "general_branch_secretary", Some(tree.gb.id)).await;
    let mut bad = member_input("赵六", (1990, 3, 7), 5);
    bad.national_id.replace_range(
        17..,
        if bad.national_id.ends_with('1') {
            "2"
        } else {
            "1"
        },
    );
    let err = t
        .app
        .people()
        .add(&sec, tree.branch_a.id, None, &bad)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("national_id"));
    // Members live in branches, not in a general branch.
    let err = t
        .app
        .people()
        .add(
            &sec,
            tree.gb.id,
            None,
            &member_input("赵六", (1990, 3, 7), 5),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("党章第二十九条"));
    let ok = member_input("赵六", (1990, 3, 7), 5);
    t.app
        .people()
        .add(&sec, tree.branch_a.id, None, &ok)
        .await
        .unwrap();
    let err = t
        .app
        .people()
        .add(&sec, tree.branch_b.id, None, &ok)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("national_id"), "the same ID number twice");
    assert_eq!(
        t.app
            .people()
            .list(&sec, &PeopleQuery::default(), Paging::default())
            .await
            .unwrap()
            .total,
        1
    );
}

#[tokio::test]
async fn a_status_follows_the_development_record_not_an_edit_and_keeps_its_history_细则() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(&t.app, "sec", "branch_secretary", Some(tree.branch_b.id)).await;
    let mut input = member_input("钱七", (2004, 5, 6), 8);
    input.status = "群众".into();
    input.join_date.clear();
    input.confirmation_date.clear();
    input.category = "学生".into();
    input.school = "机械工程学院".into();
    let p = t
        .app
        .people()
        .add(&sec, tree.branch_b.id, None, &input)
        .await
        .unwrap();
    // Typed onto the roster, 发展对象 would skip every control of the 25 steps.
    input.status = "发展对象".into();
    let err = t
        .app
        .people()
        .edit(&sec, p.id, p.version, None, &input)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("status"), "{err}");
    assert!(err.to_string().contains("发展纪实"), "{err}");
    // The record moves the status, dated by its step.
    t.app
        .development()
        .record_step(
            &sec,
            p.id,
            dangjian_app::development::StepInput {
                step: dangjian_domain::development::Step::Application,
                on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                body: None,
                detail: dangjian_domain::development::StepDetail::Plain,
                member_ids: Vec::new(),
                roll: Vec::new(),
                note: String::new(),
                override_reason: None,
            },
        )
        .await
        .unwrap();
    // Other fields still edit; a stale version is refused.
    input.status = "入党申请人".into();
    input.class_name = "机械2301".into();
    let current = t.app.people().get(&sec, p.id).await.unwrap().person;
    t.app
        .people()
        .edit(&sec, p.id, current.version, None, &input)
        .await
        .unwrap();
    let err = t
        .app
        .people()
        .edit(&sec, p.id, current.version, None, &input)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("version"));
    let view = t.app.people().get(&sec, p.id).await.unwrap();
    let statuses: Vec<_> = view
        .history
        .iter()
        .map(|h| (h.status, h.until_on.is_some()))
        .collect();
    assert_eq!(
        statuses,
        [
            (PersonStatus::NonMember, true),
            (PersonStatus::Applicant, false)
        ]
    );
}

#[tokio::test]
async fn the_old_branch_manages_a_member_until_the_new_one_receives_them_支部条例第二十五条() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec_a = signed_actor(&t.app, "seca", "branch_secretary", Some(tree.branch_a.id)).await;
    let sec_d = signed_actor(&t.app, "secd", "branch_secretary", Some(tree.direct.id)).await;
    let p = t
        .app
        .people()
        .add(
            &sec_a,
            tree.branch_a.id,
            None,
            &member_input("孙八", (1985, 8, 1), 21),
        )
        .await
        .unwrap();
    let transfer = t
        .app
        .people()
        .start_transfer(&sec_a, p.id, Some(tree.direct.id), None, "工作调动")
        .await
        .unwrap();
    // Still the old branch's: it reads and edits them; the new branch does not see them yet.
    assert!(
        t.app
            .people()
            .get(&sec_a, p.id)
            .await
            .unwrap()
            .person
            .transfer_pending
    );
    assert!(matches!(
        t.app.people().get(&sec_d, p.id).await,
        Err(AppError::NotFound)
    ));
    // Only the receiving branch receives; a second transfer waits for the first.
    assert!(matches!(
        t.app.people().receive_transfer(&sec_a, transfer.id).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(
        t.app
            .people()
            .start_transfer(&sec_a, p.id, None, Some("外校党委"), "x")
            .await
            .is_err()
    );
    t.app
        .people()
        .receive_transfer(&sec_d, transfer.id)
        .await
        .unwrap();
    let view = t.app.people().get(&sec_d, p.id).await.unwrap();
    assert_eq!(view.org.id, tree.direct.id);
    assert_eq!(view.history.len(), 2);
    assert!(matches!(
        t.app.people().get(&sec_a, p.id).await,
        Err(AppError::NotFound)
    ));
    assert!(
        t.app
            .people()
            .receive_transfer(&sec_d, transfer.id)
            .await
            .is_err(),
        "received once"
    );
}

#[tokio::test]
async fn a_transfer_to_a_dissolved_or_missing_organization_is_refused() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(&t.app, "seca", "branch_secretary", Some(tree.branch_a.id)).await;
    let p = t
        .app
        .people()
        .add(
            &sec,
            tree.branch_a.id,
            None,
            &member_input("周九", (1985, 8, 1), 23),
        )
        .await
        .unwrap();
    let err = t
        .app
        .people()
        .start_transfer(&sec, p.id, Some(tree.gb.id), None, "调动")
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("to_org_id"));
    let err = t
        .app
        .people()
        .start_transfer(&sec, p.id, None, None, "调动")
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("to_org_id"));
    // Out of the university: the old branch records the receipt, and the person leaves.
    let out = t
        .app
        .people()
        .start_transfer(&sec, p.id, None, Some("某某市委组织部"), "毕业")
        .await
        .unwrap();
    t.app.people().receive_transfer(&sec, out.id).await.unwrap();
    let list = t
        .app
        .people()
        .list(&sec, &PeopleQuery::default(), Paging::default())
        .await
        .unwrap();
    assert_eq!(list.total, 0);
}

#[tokio::test]
async fn a_transfer_is_not_received_by_a_branch_dissolved_meanwhile() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    let p = t
        .app
        .people()
        .add(
            &admin,
            tree.branch_a.id,
            None,
            &member_input("吴十", (1985, 8, 1), 31),
        )
        .await
        .unwrap();
    let transfer = t
        .app
        .people()
        .start_transfer(&admin, p.id, Some(tree.direct.id), None, "调动")
        .await
        .unwrap();
    t.app.org().dissolve(&admin, tree.direct.id).await.unwrap();
    let err = t
        .app
        .people()
        .receive_transfer(&admin, transfer.id)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已撤销"), "{err}");
    assert_eq!(
        t.app.people().get(&admin, p.id).await.unwrap().org.id,
        tree.branch_a.id
    );
    t.app
        .people()
        .cancel_transfer(&admin, transfer.id)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_seat_ends_when_its_holder_leaves_and_one_under_probation_discipline_takes_none_党章第四十条()
 {
    use dangjian_domain::org::Position;
    use dangjian_domain::people::discipline::{Discipline, DisciplineKind};
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (admin, _, ids) = crate::common::branch_of_three(&t.app, &tree, "seat", 70).await;
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // 留党察看 for a year from `on`: no right to be elected while it runs (党章第四十条).
    let put_on_probation = |person, on: &str| {
        let probation = Discipline::parse(
            DisciplineKind::Probation,
            day(on),
            Some(1),
            ("支部大会决定，经上级党委批准", "违反工作纪律"),
            day("2026-11-23"),
        )
        .unwrap();
        let app = &t.app;
        let admin = &admin;
        async move {
            app.people()
                .record_discipline(admin, person, probation)
                .await
                .unwrap();
        }
    };
    put_on_probation(ids[1], "2026-03-01").await;
    let refused = t
        .app
        .org()
        .appoint(
            &admin,
            tree.branch_a.id,
            ids[1],
            Position::OrganizationCommissioner,
            day("2026-11-01"),
        )
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("党章第四十条"), "{refused}");
    // A sitting deputy put under 留党察看 leaves the seat that day.
    t.app
        .org()
        .appoint(
            &admin,
            tree.branch_a.id,
            ids[2],
            Position::DeputySecretary,
            day("2026-11-01"),
        )
        .await
        .unwrap();
    put_on_probation(ids[2], "2026-11-20").await;
    // The secretary moves to another branch: the old branch's seat ends that day.
    let transfer = t
        .app
        .people()
        .start_transfer(&admin, ids[0], Some(tree.direct.id), None, "工作调动")
        .await
        .unwrap();
    let seated = |org| {
        let app = &t.app;
        let admin = &admin;
        async move {
            let org = app.org().get(admin, org).await.unwrap();
            app.org().committee(admin, &org).await.unwrap().len()
        }
    };
    assert_eq!(
        seated(tree.branch_a.id).await,
        1,
        "the disciplined deputy left; the secretary stays until received"
    );
    t.app
        .people()
        .receive_transfer(&admin, transfer.id)
        .await
        .unwrap();
    assert_eq!(seated(tree.branch_a.id).await, 0);
}
