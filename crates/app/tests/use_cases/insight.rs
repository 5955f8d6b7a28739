//! The dashboard's figures, counted from the records of a small tree whose answer is known.

use crate::common::{member_input, signed_actor, test_app, tree};
use dangjian_domain::org::Position;

fn count(figures: &[dangjian_app::insight::Count], label: &str) -> u64 {
    figures
        .iter()
        .find(|c| c.label == label)
        .unwrap_or_else(|| panic!("no figure {label}"))
        .count
}

#[tokio::test]
async fn the_dashboard_counts_the_subtree_and_follows_each_write() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    // Today is 2026-11-23: born 1995-11-23 turns 31 today; a day later is still 30.
    let mut thirty_one = member_input("甲", (1995, 11, 23), 1);
    thirty_one.title_level = "正高级".into();
    let secretary = t
        .app
        .people()
        .add(&admin, tree.branch_a.id, None, &thirty_one)
        .await
        .unwrap();
    let mut thirty = member_input("乙", (1995, 11, 24), 2);
    thirty.education = "大学本科".into();
    thirty.category = "学生".into();
    thirty.school = "机械学院".into();
    t.app
        .people()
        .add(&admin, tree.branch_b.id, None, &thirty)
        .await
        .unwrap();
    let applicant = crate::common::applicant_input("丙", (2000, 1, 1), 3);
    t.app
        .people()
        .add(&admin, tree.branch_a.id, None, &applicant)
        .await
        .unwrap();
    // Outside the general branch: counted for the university, not for the general branch.
    t.app
        .people()
        .add(
            &admin,
            tree.direct.id,
            None,
            &member_input("丁", (1960, 5, 1), 4),
        )
        .await
        .unwrap();
    let start = t.app.clock().today();
    t.app
        .org()
        .appoint(
            &admin,
            tree.branch_a.id,
            secretary.id,
            Position::Secretary,
            start,
        )
        .await
        .unwrap();

    let d = t
        .app
        .insight()
        .dashboard(&admin, Some(tree.gb.id))
        .await
        .unwrap();
    assert_eq!(d.members, 2);
    assert_eq!(count(&d.by_status, "正式党员"), 2);
    assert_eq!(count(&d.by_status, "入党申请人"), 1);
    assert_eq!(count(&d.orgs_by_kind, "党支部"), 2);
    assert_eq!(count(&d.by_category, "教职工"), 1);
    assert_eq!(count(&d.by_category, "学生"), 1);
    assert_eq!(count(&d.by_education, "硕士研究生"), 1);
    assert_eq!(count(&d.by_education, "大学本科"), 1);
    assert_eq!(count(&d.by_age, "30岁及以下"), 1);
    assert_eq!(count(&d.by_age, "31–40岁"), 1);
    assert_eq!(d.secretaries.count, 1);
    assert_eq!(d.secretaries.senior_title_pct, 100.0);
    assert_eq!(d.secretaries.postgraduate_pct, 100.0);
    assert_eq!(d.secretaries.average_age, 31.0);

    let whole = t
        .app
        .insight()
        .dashboard(&admin, Some(tree.root.id))
        .await
        .unwrap();
    assert_eq!(whole.members, 3);
    assert_eq!(count(&whole.by_age, "61岁及以上"), 1);

    // A write since: the figures are counted again, not served as they were.
    t.app
        .people()
        .add(
            &admin,
            tree.branch_b.id,
            None,
            &member_input("戊", (1980, 2, 2), 5),
        )
        .await
        .unwrap();
    let d = t
        .app
        .insight()
        .dashboard(&admin, Some(tree.gb.id))
        .await
        .unwrap();
    assert_eq!(d.members, 3);
    assert_eq!(count(&d.by_age, "41–50岁"), 1);
    // And the next day, ages move on without any write.
    t.clock.advance(chrono::Duration::days(1));
    let d = t
        .app
        .insight()
        .dashboard(&admin, Some(tree.gb.id))
        .await
        .unwrap();
    assert_eq!(count(&d.by_age, "30岁及以下"), 0, "乙 turned 31");
}
