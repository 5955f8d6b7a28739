//! A branch records a member it has lost, one abroad and a graduate it keeps; the lost one's
//! membership is suspended after six months and they leave the voters; the due list and the
//! monthly digest say what each asks and when (教育条例第二十四条、第三十四条).

use crate::common::{applicant_input, branch_of_three, signed_actor, test_app, tree};
use chrono::NaiveDate;
use dangjian_app::AppError;
use dangjian_app::people::whereabouts::{WHEREABOUTS_DIGEST, WhereaboutsAct};
use dangjian_domain::paging::Paging;
use dangjian_domain::people::whereabouts::{Whereabouts, WhereaboutsDue};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn a_member_lost_six_months_is_suspended_and_no_longer_votes_教育条例第二十四条() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (admin, secretary, ids) = branch_of_three(&t.app, &tree, "lost", 70).await;
    let people = t.app.people();
    let today = t.app.clock().today();
    let lost = Whereabouts::parse("lost_contact", day("2026-04-01"), "电话停机", today).unwrap();
    let record = people
        .record_whereabouts(&secretary, ids[2], lost.clone())
        .await
        .unwrap();
    // One open record at a time.
    let twice = people
        .record_whereabouts(&secretary, ids[2], lost.clone())
        .await
        .unwrap_err();
    assert!(twice.to_string().contains("未结束"), "{twice}");
    // Only members are recorded.
    let applicant = people
        .add(
            &secretary,
            tree.branch_a.id,
            None,
            &applicant_input("丁申请", (2000, 1, 1), 71),
        )
        .await
        .unwrap();
    let err = people
        .record_whereabouts(&secretary, applicant.id, lost.clone())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不是党员"), "{err}");

    // Due since 2026-10-01, listed for the general branch.
    let due = people
        .whereabouts_due(&admin, &tree.gb.path, 30)
        .await
        .unwrap();
    let row = due.iter().find(|r| r.record.id == record.id).unwrap();
    assert_eq!(
        (row.due, row.due_on, row.overdue),
        (WhereaboutsDue::Suspend, day("2026-10-01"), true)
    );
    assert_eq!(row.person_name, "丙党员");

    let early = people
        .change_whereabouts(
            &secretary,
            record.id,
            WhereaboutsAct::Suspend,
            day("2026-09-30"),
        )
        .await
        .unwrap_err();
    assert!(early.to_string().contains("满 6 个月"), "{early}");
    // The roster of these three begins today (2026-11-23): the suspension comes a little later.
    t.move_clock_to("2026-12-10");
    let today = t.app.clock().today();
    people
        .change_whereabouts(
            &secretary,
            record.id,
            WhereaboutsAct::Suspend,
            day("2026-12-01"),
        )
        .await
        .unwrap();
    // Voters of a day before the suspension count them; after, not.
    let voters = |on| {
        let development = t.app.development();
        let admin = &admin;
        let branch = tree.branch_a.id;
        async move { development.voters(admin, branch, on).await.unwrap() }
    };
    assert!(
        voters(day("2026-11-25"))
            .await
            .iter()
            .any(|(id, _)| *id == ids[2])
    );
    assert!(
        !voters(day("2026-12-05"))
            .await
            .iter()
            .any(|(id, _)| *id == ids[2])
    );
    // Nor are they expected at the branch's meetings.
    let expected = crate::common::held_meeting(
        &t.app,
        &secretary,
        (
            tree.branch_a.id,
            (
                dangjian_domain::meetings::MeetingKind::ThemeDay,
                "12月主题党日",
            ),
        ),
        "2026-12-08",
        &[],
    )
    .await;
    let roll = t.app.meetings().get(&secretary, expected.id).await.unwrap();
    assert!(!roll.attendance.iter().any(|(a, _)| a.person_id == ids[2]));
    assert!(roll.attendance.iter().any(|(a, _)| a.person_id == ids[1]));
    // Nor may they hold a seat.
    let seat = t
        .app
        .org()
        .appoint(
            &admin,
            tree.branch_a.id,
            ids[2],
            dangjian_domain::org::Position::DeputySecretary,
            today,
        )
        .await
        .unwrap_err();
    assert!(seat.to_string().contains("停止党籍"), "{seat}");
    // Next: removal two years on.
    let due = people
        .whereabouts_due(&admin, &tree.gb.path, 800)
        .await
        .unwrap();
    let row = due.iter().find(|r| r.record.id == record.id).unwrap();
    assert_eq!(
        (row.due, row.due_on, row.overdue),
        (WhereaboutsDue::Remove, day("2028-12-01"), false)
    );

    // Another branch's secretary neither reads nor changes it.
    let other = signed_actor(
        &t.app,
        "lostother",
        "branch_secretary",
        Some(tree.branch_b.id),
    )
    .await;
    assert!(matches!(
        people.whereabouts(&other, ids[2]).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        people
            .change_whereabouts(&other, record.id, WhereaboutsAct::End, today)
            .await,
        Err(AppError::NotFound)
    ));
    // Contact regained: the record ends and they vote again.
    people
        .change_whereabouts(&secretary, record.id, WhereaboutsAct::End, today)
        .await
        .unwrap();
    assert!(voters(today).await.iter().any(|(id, _)| *id == ids[2]));
    // Every change is in the trail (the filter is a prefix: the record and its end).
    let auditor = signed_actor(&t.app, "lostaud", "auditor", None).await;
    for (action, n) in [
        ("person.whereabouts", 2),
        ("person.suspend", 1),
        ("person.whereabouts_end", 1),
    ] {
        let filter = dangjian_app::AuditFilter {
            action: Some(action.into()),
            ..Default::default()
        };
        let found = t
            .app
            .audit()
            .search(&auditor, &filter, Paging::default())
            .await
            .unwrap();
        assert_eq!(found.total, n, "{action}");
    }
}

#[tokio::test]
async fn members_abroad_and_graduates_kept_are_listed_when_due_and_told_in_the_digest_教育条例第三十四条()
 {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (admin, secretary, ids) = branch_of_three(&t.app, &tree, "away", 72).await;
    let people = t.app.people();
    let today = t.app.clock().today();
    let abroad = people
        .record_whereabouts(
            &secretary,
            ids[1],
            Whereabouts::parse("abroad", day("2026-03-01"), "赴德国访学", today).unwrap(),
        )
        .await
        .unwrap();
    let graduate = people
        .record_whereabouts(
            &secretary,
            ids[2],
            Whereabouts::parse("graduate", day("2025-06-30"), "", today).unwrap(),
        )
        .await
        .unwrap();
    let due = people
        .whereabouts_due(&admin, &tree.root.path, 31)
        .await
        .unwrap();
    let of = |id| {
        due.iter()
            .find(|r| r.record.id == id)
            .map(|r| (r.due, r.due_on, r.overdue))
    };
    assert_eq!(
        of(abroad.id),
        Some((WhereaboutsDue::Contact, day("2026-09-01"), true))
    );
    assert_eq!(of(graduate.id), None, "two years are up only in 2027-06");
    // Contacted: due again in six months, so not within the month.
    people
        .change_whereabouts(
            &secretary,
            abroad.id,
            WhereaboutsAct::Contact,
            day("2026-11-20"),
        )
        .await
        .unwrap();
    let due = people
        .whereabouts_due(&admin, &tree.root.path, 31)
        .await
        .unwrap();
    assert!(due.is_empty(), "{due:?}");
    let later = people
        .whereabouts_due(&admin, &tree.root.path, 730)
        .await
        .unwrap();
    assert_eq!(later.len(), 2);
    assert!(later[0].due_on <= later[1].due_on, "soonest first");
    // A member reads no subtree's list.
    assert!(
        people
            .whereabouts_due(&secretary, &tree.root.path, 31)
            .await
            .is_err()
    );

    // The first of a month, each reader of the subtree hears what falls due.
    t.move_clock_to("2027-05-01");
    let sent = t
        .app
        .notifications()
        .send(&WHEREABOUTS_DIGEST, day("2027-05-01"))
        .await
        .unwrap();
    assert!(sent > 0);
    let notes = t.app.notifications().list(&admin).await.unwrap();
    let note = notes
        .iter()
        .find(|n| n.kind == WHEREABOUTS_DIGEST.job)
        .expect("the digest reached the organization department");
    assert!(
        note.body.contains("乙党员") && note.body.contains("与出国（境）党员联系"),
        "{}",
        note.body
    );
    assert!(
        note.link
            .as_deref()
            .is_some_and(|l| l.starts_with("/orgs/alerts"))
    );
}
