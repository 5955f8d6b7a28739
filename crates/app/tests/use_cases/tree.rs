//! Stories of the tree changing: moving, merging and dissolving organizations with their
//! members, keeping history.

use crate::common::{member_input, signed_actor, test_app, tree};
use dangjian_app::AppError;
use dangjian_app::people::PeopleQuery;
use dangjian_domain::paging::Paging;

#[tokio::test]
async fn a_branch_moves_with_its_members_and_a_cycle_is_refused_党章第三十条() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    let gbsec = signed_actor(
        &t.app,
        "gbsec",
        "general_branch_secretary",
        Some(tree.gb.id),
    )
    .await;
    let p = t
        .app
        .people()
        .add(
            &admin,
            tree.branch_a.id,
            None,
            &member_input("张三", (1990, 3, 7), 11),
        )
        .await
        .unwrap();
    let err = t
        .app
        .org()
        .move_org(&admin, tree.gb.id, tree.branch_a.id)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("成环"));
    assert!(matches!(
        t.app
            .org()
            .move_org(&gbsec, tree.branch_a.id, tree.root.id)
            .await,
        Err(AppError::Forbidden(_)) | Err(AppError::Invalid(_))
    ));

    let moved = t
        .app
        .org()
        .move_org(&admin, tree.branch_a.id, tree.root.id)
        .await
        .unwrap();
    assert_eq!(moved.parent_id, Some(tree.root.id));
    // The member went along: the general branch no longer sees them, the root does.
    assert!(matches!(
        t.app.people().get(&gbsec, p.id).await,
        Err(AppError::NotFound)
    ));
    let view = t.app.people().get(&admin, p.id).await.unwrap();
    assert_eq!(view.org.path, moved.path);
    let under_root = PeopleQuery {
        under: Some(moved.id),
        ..Default::default()
    };
    assert_eq!(
        t.app
            .people()
            .list(&admin, &under_root, Paging::default())
            .await
            .unwrap()
            .total,
        1
    );
    let events = t.app.org().events(&moved).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].from_parent.as_deref(), Some("机械学院党总支"));
}

#[tokio::test]
async fn the_tree_of_a_past_day_shows_the_parents_of_that_day() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    let before = t.app.clock().today();
    t.clock.advance(chrono::Duration::days(10));
    t.app
        .org()
        .move_org(&admin, tree.branch_a.id, tree.root.id)
        .await
        .unwrap();
    let shape = |rows: Vec<dangjian_domain::org::PastOrg>| {
        rows.iter()
            .map(|p| format!("{}{}", "-".repeat(p.depth), p.org.name))
            .collect::<Vec<_>>()
    };
    let then = t
        .app
        .org()
        .tree_on(&admin, &tree.root, before)
        .await
        .unwrap();
    assert_eq!(
        shape(then),
        [
            "示范大学党委",
            "-机械学院党总支",
            "--教工第一党支部",
            "--学生第一党支部",
            "-图书馆党支部"
        ]
    );
    let now = t
        .app
        .org()
        .tree_on(&admin, &tree.root, t.app.clock().today())
        .await
        .unwrap();
    assert_eq!(
        shape(now),
        [
            "示范大学党委",
            "-机械学院党总支",
            "--学生第一党支部",
            "-教工第一党支部",
            "-图书馆党支部"
        ]
    );
    // The general branch's tree of that day still holds the branch it had then.
    let gb_then = t.app.org().tree_on(&admin, &tree.gb, before).await.unwrap();
    assert_eq!(gb_then.len(), 3);
    let tomorrow = t.app.clock().today() + chrono::Duration::days(1);
    let err = t
        .app
        .org()
        .tree_on(&admin, &tree.root, tomorrow)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不能晚于今天"), "{err}");
}

#[tokio::test]
async fn a_merge_brings_the_members_over_and_dissolves_the_branch() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    let p = t
        .app
        .people()
        .add(
            &admin,
            tree.branch_b.id,
            None,
            &member_input("李四", (1990, 3, 7), 12),
        )
        .await
        .unwrap();
    let err = t
        .app
        .org()
        .merge(&admin, tree.branch_b.id, tree.gb.id)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("只能与党支部合并"));
    // A branch with people cannot simply be dissolved.
    let err = t
        .app
        .org()
        .dissolve(&admin, tree.branch_b.id)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("尚有人员"));

    t.app
        .org()
        .merge(&admin, tree.branch_b.id, tree.branch_a.id)
        .await
        .unwrap();
    let view = t.app.people().get(&admin, p.id).await.unwrap();
    assert_eq!(view.org.id, tree.branch_a.id);
    assert_eq!(view.history.len(), 2);
    assert!(view.history[1].reason.contains("并入"));
    let gone = t.app.org().get(&admin, tree.branch_b.id).await.unwrap();
    assert!(gone.dissolved_on.is_some());
    // Nobody transfers into a dissolved branch.
    let err = t
        .app
        .people()
        .start_transfer(&admin, p.id, Some(tree.branch_b.id), None, "调动")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已撤销"));
    // The roster of today names the receiving branch.
    let today = t.app.clock().today();
    let roster = t
        .app
        .org()
        .members_on(&admin, &tree.root, today)
        .await
        .unwrap();
    assert_eq!(roster.len(), 1);
    assert_eq!(roster[0].org_name, "教工第一党支部");
}

#[tokio::test]
async fn an_empty_branch_is_dissolved_and_kept_in_history() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    let err = t.app.org().dissolve(&admin, tree.gb.id).await.unwrap_err();
    assert!(err.to_string().contains("尚有下级组织"));
    let d = t.app.org().dissolve(&admin, tree.direct.id).await.unwrap();
    assert!(d.dissolved_on.is_some());
    assert!(
        t.app.org().dissolve(&admin, tree.direct.id).await.is_err(),
        "once"
    );
    assert_eq!(t.app.org().events(&d).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_committee_is_recorded_by_the_rules_of_支部条例第九条() {
    use dangjian_domain::org::Position;
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(&t.app, "sec", "branch_secretary", Some(tree.branch_a.id)).await;
    let mut ids = Vec::new();
    for k in 0..3u32 {
        let p = t
            .app
            .people()
            .add(
                &sec,
                tree.branch_a.id,
                None,
                &member_input(&format!("委员{k}"), (1980, 1, 1 + k), 500 + k),
            )
            .await
            .unwrap();
        ids.push(p.id);
    }
    let today = t.app.clock().today();
    let seat = t
        .app
        .org()
        .appoint(&sec, tree.branch_a.id, ids[0], Position::Secretary, today)
        .await
        .unwrap();
    assert_eq!(
        seat.term_end.to_string()[..4].parse::<i32>().unwrap(),
        today.to_string()[..4].parse::<i32>().unwrap() + 3
    );
    let err = t
        .app
        .org()
        .appoint(&sec, tree.branch_a.id, ids[1], Position::Secretary, today)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("须先免去"));
    // Three full members: no committee beyond a secretary and a deputy.
    let err = t
        .app
        .org()
        .appoint(
            &sec,
            tree.branch_a.id,
            ids[1],
            Position::OrganizationCommissioner,
            today,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("支部条例第九条"));
    t.app
        .org()
        .appoint(
            &sec,
            tree.branch_a.id,
            ids[1],
            Position::DeputySecretary,
            today,
        )
        .await
        .unwrap();
    t.app.org().end_seat(&sec, seat.id).await.unwrap();
    assert!(t.app.org().end_seat(&sec, seat.id).await.is_err(), "once");
    t.app
        .org()
        .appoint(&sec, tree.branch_a.id, ids[2], Position::Secretary, today)
        .await
        .unwrap();
    let overview = t.app.org().overview(&sec, &tree.branch_a).await.unwrap();
    assert_eq!(overview.committee.len(), 2);
    // Only members of the branch hold its seats.
    let other = t
        .app
        .people()
        .add(
            &sec,
            tree.branch_a.id,
            None,
            &member_input("外人", (1980, 2, 1), 600),
        )
        .await
        .unwrap();
    let sec_b = signed_actor(&t.app, "secb", "branch_secretary", Some(tree.branch_b.id)).await;
    let err = t
        .app
        .org()
        .appoint(
            &sec_b,
            tree.branch_b.id,
            other.id,
            Position::Secretary,
            today,
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("person_id"));
}

#[tokio::test]
async fn a_branch_is_split_and_the_chosen_members_go_to_the_new_one() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    let mut ids = Vec::new();
    for k in 0..3u32 {
        let p = t
            .app
            .people()
            .add(
                &admin,
                tree.branch_a.id,
                None,
                &member_input(&format!("分{k}"), (1980, 3, 1 + k), 700 + k),
            )
            .await
            .unwrap();
        ids.push(p.id);
    }
    let err = t
        .app
        .org()
        .split(&admin, tree.branch_a.id, "教工第二党支部", &ids)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("person_ids"), "not everyone");
    let err = t
        .app
        .org()
        .split(&admin, tree.gb.id, "x", &ids[..1])
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("org_id"));
    let new = t
        .app
        .org()
        .split(&admin, tree.branch_a.id, "教工第二党支部", &ids[..2])
        .await
        .unwrap();
    assert_eq!(new.parent_id, Some(tree.gb.id));
    let moved = t.app.people().get(&admin, ids[0]).await.unwrap();
    assert_eq!(moved.org.id, new.id);
    assert!(moved.history[1].reason.contains("分设"));
    assert_eq!(
        t.app.people().get(&admin, ids[2]).await.unwrap().org.id,
        tree.branch_a.id
    );
    assert_eq!(t.app.org().events(&new).await.unwrap().len(), 1);
    assert_eq!(t.app.org().events(&tree.branch_a).await.unwrap().len(), 1);
}

#[tokio::test]
async fn two_secretaries_appointed_at_once_cannot_both_take_the_seat_支部条例第九条() {
    use dangjian_domain::org::Position;
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(&t.app, "sec", "branch_secretary", Some(tree.branch_a.id)).await;
    let mut ids = Vec::new();
    for k in 0..2u32 {
        let p = t
            .app
            .people()
            .add(
                &sec,
                tree.branch_a.id,
                None,
                &member_input(&format!("候选{k}"), (1981, 2, 1 + k), 600 + k),
            )
            .await
            .unwrap();
        ids.push(p.id);
    }
    let today = t.app.clock().today();
    // The seat is checked under the write lock, on PostgreSQL as on SQLite.
    let (a, b) = tokio::join!(
        t.app
            .org()
            .appoint(&sec, tree.branch_a.id, ids[0], Position::Secretary, today),
        t.app
            .org()
            .appoint(&sec, tree.branch_a.id, ids[1], Position::Secretary, today),
    );
    assert_eq!(
        u8::from(a.is_ok()) + u8::from(b.is_ok()),
        1,
        "{a:?} / {b:?}"
    );
    let committee = t.app.org().committee(&sec, &tree.branch_a).await.unwrap();
    assert_eq!(committee.len(), 1);
}

#[tokio::test]
async fn a_party_group_too_small_is_listed_with_the_branches_sizes_本校设置() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (admin, _, _) = crate::common::branch_of_three(&t.app, &tree, "size", 90).await;
    let group = t
        .app
        .org()
        .found(
            &admin,
            tree.branch_a.id,
            crate::common::new_org("第一党小组", "group"),
        )
        .await
        .unwrap();
    let root = t.app.org().get(&admin, tree.root.id).await.unwrap();
    let list = t.app.org().size_warning_list(&admin, &root).await.unwrap();
    let of = |id| list.iter().find(|w| w.org.id == id);
    let small = of(group.id).expect("the empty group is listed");
    assert!(
        small.warnings[0].message.contains("宜不少于 3 人"),
        "{:?}",
        small.warnings
    );
    assert!(of(tree.branch_a.id).is_none(), "three full members");
    assert!(of(tree.branch_b.id).is_some(), "no full member at all");
}

#[tokio::test]
async fn a_joint_branch_records_its_units_and_more_than_five_is_warned_of_支部条例第四条() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (admin, secretary, _) = crate::common::branch_of_three(&t.app, &tree, "joint", 91).await;
    let six = ["化学系", "物理系", "数学系", "生物系", "地理系", "图书馆"];
    let org = t.app.org();
    let refused = org
        .set_joint_units(&secretary, tree.branch_a.id, &six)
        .await
        .unwrap_err();
    assert!(matches!(refused, AppError::Forbidden(_)), "{refused}");
    let saved = org
        .set_joint_units(&admin, tree.branch_a.id, &six)
        .await
        .unwrap();
    assert_eq!(saved.len(), 6);
    // The branch's own reader sees the units and the warning, as the department does.
    let overview = org.overview(&secretary, &tree.branch_a).await.unwrap();
    assert_eq!(overview.joint_units, six);
    assert!(
        overview
            .warnings
            .iter()
            .any(|w| w.message.contains("覆盖 6 个单位") && w.basis == "支部条例第四条"),
        "{:?}",
        overview.warnings
    );
    let root = org.get(&admin, tree.root.id).await.unwrap();
    let listed = org.size_warning_list(&admin, &root).await.unwrap();
    assert!(listed.iter().any(|w| w.org.id == tree.branch_a.id));
    org.set_joint_units(&admin, tree.branch_a.id, &six[..5])
        .await
        .unwrap();
    let overview = org.overview(&admin, &tree.branch_a).await.unwrap();
    assert!(overview.warnings.is_empty(), "{:?}", overview.warnings);
    // A general branch is not a joint branch; a bad list changes nothing.
    let err = org
        .set_joint_units(&admin, tree.gb.id, &["甲", "乙"])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("联合单位"), "{err}");
    assert!(
        org.set_joint_units(&admin, tree.branch_a.id, &["甲", "甲"])
            .await
            .is_err()
    );
    assert_eq!(
        org.joint_units(&admin, &tree.branch_a).await.unwrap().len(),
        5
    );
    // Every change is in the trail.
    let auditor = signed_actor(&t.app, "jointaud", "auditor", None).await;
    let filter = dangjian_app::AuditFilter {
        action: Some("org.set_joint_units".into()),
        ..Default::default()
    };
    let trail = t
        .app
        .audit()
        .search(&auditor, &filter, Paging::default())
        .await
        .unwrap();
    assert_eq!(trail.total, 2);
}
