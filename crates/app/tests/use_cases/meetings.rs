//! A branch secretary plans a committee meeting, takes the roll when it is held, writes the
//! minutes and locks the record; the general branch's compliance shows the branch kept the
//! month's rule while another has not yet.

use crate::common;
use crate::common::{OrgId, PersonId};
use crate::common::{
    activated_actor, add_members, branch_of_three, held_theme_day, member_input, signed_actor,
    test_app, tree,
};
use dangjian_app::AppError;
use dangjian_domain::meetings::{
    Attendance, HeartTalk, Kept, Lecturer, MeetingKind, MeetingPlan, MeetingState,
};
use dangjian_domain::org::Position;
use dangjian_domain::paging::Paging;

fn at(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn a_committee_meeting_is_planned_held_with_its_quorum_locked_and_counted() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    let secretary = signed_actor(&t.app, "bsec", "branch_secretary", Some(tree.branch_a.id)).await;
    // A committee needs seven full members in the branch (支部条例第九条).
    add_members(
        &t.app,
        &admin,
        tree.branch_a.id,
        &["党员甲", "党员乙", "党员丙", "党员丁"],
        80,
    )
    .await;
    let mut committee = Vec::new();
    let mut people = Vec::new();
    for (i, (name, position)) in [
        ("赵书记", Position::Secretary),
        ("钱委员", Position::OrganizationCommissioner),
        ("孙委员", Position::PropagandaCommissioner),
    ]
    .into_iter()
    .enumerate()
    {
        let p = t
            .app
            .people()
            .add(
                &admin,
                tree.branch_a.id,
                None,
                &member_input(name, (1975, 1, 1 + i as u32), 60 + i as u32),
            )
            .await
            .unwrap();
        people.push((p.id, position));
    }
    for (id, position) in people {
        t.app
            .org()
            .appoint(&admin, tree.branch_a.id, id, position, day("2025-01-01"))
            .await
            .unwrap();
        committee.push(id);
    }
    let outsider = t
        .app
        .people()
        .add(
            &admin,
            tree.branch_b.id,
            None,
            &member_input("李", (1980, 1, 1), 70),
        )
        .await
        .unwrap()
        .id;

    let plan = MeetingPlan::parse(
        MeetingKind::CommitteeMeeting,
        "研究发展党员和主题党日安排",
        at("2026-11-25 14:30"),
        "党员活动室",
        (
            "学习党的二十届四中全会精神",
            "讨论发展对象\n研究十二月主题党日",
        ),
    )
    .unwrap();
    let m = t
        .app
        .meetings()
        .plan(&secretary, tree.branch_a.id, plan)
        .await
        .unwrap();
    assert_eq!(
        t.app
            .meetings()
            .get(&secretary, m.id)
            .await
            .unwrap()
            .attendance
            .len(),
        3
    );

    let roll = |present: usize| -> Vec<(PersonId, Attendance, String)> {
        committee
            .iter()
            .enumerate()
            .map(|(i, id)| {
                if i < present {
                    (*id, Attendance::Present, String::new())
                } else {
                    (*id, Attendance::Excused, "出差".to_owned())
                }
            })
            .collect()
    };
    let minutes = (
        "会议讨论了发展对象人选，研究了主题党日安排。",
        "同意确定两名发展对象",
    );
    // Not before its time.
    let err = t
        .app
        .meetings()
        .hold(&secretary, m.id, &roll(3), minutes)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("尚未到时间"), "{err}");
    t.clock.advance(chrono::Duration::days(3));
    // One of three is no quorum; an outsider is not on the roll.
    let err = t
        .app
        .meetings()
        .hold(&secretary, m.id, &roll(1), minutes)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("支部条例第十二条"), "{err}");
    let mut strangers = roll(3);
    strangers.push((outsider, Attendance::Present, String::new()));
    assert!(matches!(
        t.app
            .meetings()
            .hold(&secretary, m.id, &strangers, minutes)
            .await,
        Err(AppError::Invalid(_))
    ));
    let held = t
        .app
        .meetings()
        .hold(&secretary, m.id, &roll(2), minutes)
        .await
        .unwrap();
    assert_eq!(held.state, MeetingState::Held);

    // Locked, the record takes corrections only.
    let locked = t.app.meetings().lock(&secretary, m.id).await.unwrap();
    assert_eq!(locked.state, MeetingState::Locked);
    let err = t
        .app
        .meetings()
        .hold(&secretary, m.id, &roll(3), minutes)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("只能补充更正"), "{err}");
    t.app
        .meetings()
        .correct(&secretary, m.id, "孙委员系因公出差请假")
        .await
        .unwrap();
    // Photos: images only.
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
    t.app
        .attachments()
        .upload_meeting_photo(&secretary, m.id, "会场.png", png)
        .await
        .unwrap();
    let err = t
        .app
        .attachments()
        .upload_meeting_photo(
            &secretary,
            m.id,
            "纪要.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("只接受照片"), "{err}");
    let view = t.app.meetings().get(&admin, m.id).await.unwrap();
    assert_eq!(view.photos.len(), 1);
    assert_eq!(view.corrections.len(), 1);
    assert_eq!(view.meeting.minutes, minutes.0);

    // The general branch's compliance: branch A held its committee meeting this month;
    // branch B has no committee and owes none (RULES.md §2); in October branch A missed it.
    let rows = t
        .app
        .meetings()
        .compliance(&admin, tree.gb.id, day("2026-11-26"))
        .await
        .unwrap();
    let of = |org: OrgId, kind: MeetingKind| {
        rows.iter()
            .find(|r| r.org_id == org && r.rule.kind == kind)
            .map(|r| r.kept)
    };
    assert_eq!(
        of(tree.branch_a.id, MeetingKind::CommitteeMeeting),
        Some(Kept::Yes)
    );
    assert_eq!(of(tree.branch_b.id, MeetingKind::CommitteeMeeting), None);
    assert_eq!(
        of(tree.branch_b.id, MeetingKind::ThemeDay),
        Some(Kept::Open),
        "the month's theme day is owed by every branch"
    );
    let october = t
        .app
        .meetings()
        .compliance(&admin, tree.gb.id, day("2026-10-15"))
        .await
        .unwrap();
    let committee_rows: Vec<_> = october
        .iter()
        .filter(|r| r.rule.kind == MeetingKind::CommitteeMeeting)
        .collect();
    assert!(!committee_rows.is_empty() && committee_rows.iter().all(|r| r.kept == Kept::Missed));
    // The figures count it: one committee meeting, two present and one excused.
    let f = t
        .app
        .meetings()
        .figures(&admin, tree.gb.id, (day("2026-11-01"), day("2026-11-30")))
        .await
        .unwrap();
    let committee_figures = f
        .kinds
        .iter()
        .find(|k| k.kind == Some(MeetingKind::CommitteeMeeting))
        .unwrap();
    assert_eq!(
        (
            committee_figures.held,
            committee_figures.present,
            committee_figures.excused,
            committee_figures.expected
        ),
        (1, 2, 1, 3)
    );
    assert_eq!(committee_figures.attendance_pct(), Some(66.7));
    assert_eq!(f.total.held, 1);
    assert!(
        t.app
            .meetings()
            .figures(&admin, tree.gb.id, (day("2026-11-30"), day("2026-11-01")))
            .await
            .is_err()
    );
    // A branch secretary sees the meetings of their branch only.
    let other = signed_actor(&t.app, "bsec2", "branch_secretary", Some(tree.branch_b.id)).await;
    assert!(matches!(
        t.app.meetings().get(&other, m.id).await,
        Err(AppError::NotFound)
    ));
}

#[tokio::test]
async fn the_demo_keeps_a_year_of_meetings_some_branches_missing_some() {
    let t = test_app().await;
    let admin = common::demo_admin(&t.app).await;
    let root = t.app.org().scope_roots(&admin).await.unwrap().remove(0);
    let year = chrono::Datelike::year(&t.app.clock().today());
    let meetings = t
        .app
        .meetings()
        .of_org(&admin, root.id, year, Paging::default())
        .await
        .unwrap();
    // A page of them, with the count of the whole year's.
    assert!(
        meetings.total > meetings.items.len() as u64,
        "{}",
        meetings.total
    );
    let meetings = meetings.items;
    assert!(!meetings.is_empty());
    assert!(meetings.iter().all(|m| m.state == MeetingState::Locked));
    // January to October are over: most branches held each month's theme day, some did not.
    let mut theme_days: Vec<Kept> = Vec::new();
    // A branch that skipped a month's theme day, and the month's first day.
    let mut skipped = None;
    for month in 1..=10 {
        let rows = t
            .app
            .meetings()
            .compliance(&admin, root.id, day(&format!("{year}-{month:02}-15")))
            .await
            .unwrap();
        for r in rows.iter().filter(|r| r.rule.kind == MeetingKind::ThemeDay) {
            theme_days.push(r.kept);
            if r.kept == Kept::Missed {
                skipped.get_or_insert((r.org_id, r.period.0));
            }
        }
    }
    let october = t
        .app
        .meetings()
        .compliance(&admin, root.id, day(&format!("{year}-10-15")))
        .await
        .unwrap();
    let held = theme_days.iter().filter(|k| **k == Kept::Yes).count();
    let missed = theme_days.iter().filter(|k| **k == Kept::Missed).count();
    assert!(held > missed && missed > 0, "held {held}, missed {missed}");
    // Party groups are judged on their monthly group meeting (支部条例第十三条).
    let groups: Vec<Kept> = october
        .iter()
        .filter(|r| r.rule.kind == MeetingKind::GroupMeeting)
        .map(|r| r.kept)
        .collect();
    let groups_held = groups.iter().filter(|k| **k == Kept::Yes).count();
    assert!(
        groups_held * 2 > groups.len(),
        "{groups_held} of {}",
        groups.len()
    );
    assert!(
        october
            .iter()
            .filter(|r| r.rule.kind == MeetingKind::GroupMeeting)
            .all(|r| r.org_name.contains("党支部 ") && r.org_name.ends_with("党小组")),
        "a group is named with its branch"
    );
    // A meeting's roll comes from its branch's members.
    let view = t.app.meetings().get(&admin, meetings[0].id).await.unwrap();
    assert!(!view.attendance.is_empty());

    // The record book of a branch that skipped a theme day shows its meetings with their
    // rolls, and the gap.
    let (lax, skipped_from) = skipped.unwrap();
    let book = t
        .app
        .meetings()
        .record_book(&admin, lax, year)
        .await
        .unwrap();
    assert!(!book.meetings.is_empty() && book.roster_len() > 0);
    assert!(book.meetings.iter().all(|v| v.meeting.org_id == lax));
    // Every member's year is in it (the roster lists members only); the parts other modules
    // will keep say so.
    assert_eq!(book.life.members.len(), book.roster_len());
    assert_eq!(book.after.len(), 3);
    assert!(book.after[2].notes[0].0.contains("党费管理"));
    assert_eq!(book.after_parts()[2].0, "九、党费收缴情况");
    assert!(
        book.meetings
            .windows(2)
            .all(|w| w[0].meeting.plan.starts_at <= w[1].meeting.plan.starts_at),
        "oldest first"
    );
    assert!(
        book.gaps()
            .iter()
            .any(|g| g.contains(&skipped_from.to_string()) && g.contains("主题党日")),
        "{:?}",
        book.gaps()
    );
    // The first morning of a month, each account that reads records hears of last month's
    // misses in its subtree, once; the dashboard shows the same.
    let today = t.app.clock().today();
    let month = chrono::Datelike::with_day(&today, 1).unwrap();
    let summary = t
        .app
        .meetings()
        .compliance_summary(&admin, root.id, month.pred_opt().unwrap())
        .await
        .unwrap();
    assert!(!summary.missed.is_empty() && summary.missed.len() < summary.branches);
    let sent = t
        .app
        .notifications()
        .send(&dangjian_app::meetings::digest::MISSED_DIGEST, month)
        .await
        .unwrap();
    assert!(sent > 0);
    // A second server composing the same digest for the same month writes nothing.
    let again = t
        .app
        .notifications()
        .send(&dangjian_app::meetings::digest::MISSED_DIGEST, month)
        .await
        .unwrap();
    assert_eq!(again, 0);
    let notes = t.app.notifications().list(&admin).await.unwrap();
    assert!(
        notes.iter().any(|n| n.title.contains("组织生活")
            && n.link.as_deref().is_some_and(|l| l.contains("/compliance"))),
        "{notes:?}"
    );
    let (title, docx) = t
        .app
        .meetings()
        .record_book_docx(&admin, lax, year)
        .await
        .unwrap();
    assert!(
        title.ends_with(&format!("工作记录本（{year}年度）")),
        "{title}"
    );
    assert!(docx.starts_with(b"PK"), "a Word file is a zip");
    assert!(
        t.app
            .meetings()
            .record_book(&admin, lax, year + 1)
            .await
            .is_err(),
        "not a year to come"
    );
}

#[tokio::test]
async fn members_are_told_and_check_in_once_with_their_own_code_before_the_secretary_locks() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept3", "org_department", Some(tree.root.id)).await;
    let secretary = signed_actor(&t.app, "bsec3", "branch_secretary", Some(tree.branch_a.id)).await;
    let recorder = signed_actor(
        &t.app,
        "bcm3",
        "branch_committee_member",
        Some(tree.branch_a.id),
    )
    .await;
    add_members(
        &t.app,
        &admin,
        tree.branch_a.id,
        &["党员甲", "党员乙", "党员丙"],
        90,
    )
    .await;
    // Each activates their own account.
    let mut members = Vec::new();
    for (i, name) in (0u32..).zip(["党员甲", "党员乙", "党员丙"]) {
        members.push(activated_actor(&t.app, &member_input(name, (1985, 3, 1 + i), 90 + i)).await);
    }
    let member = &members[0];

    // The clock reads 10:00 in Shanghai; the theme day starts at 14:00.
    let plan = MeetingPlan::parse(
        MeetingKind::ThemeDay,
        "重温入党誓词",
        at("2026-11-23 14:00"),
        "党员活动室",
        ("", ""),
    )
    .unwrap();
    let m = t
        .app
        .meetings()
        .plan(&recorder, tree.branch_a.id, plan)
        .await
        .unwrap();
    // Each expected attendee with an account is told (会议通知).
    let notices = t.app.notifications().list(member).await.unwrap();
    assert!(
        notices
            .iter()
            .any(|n| n.title.contains("重温入党誓词") && n.body.contains("2026-11-23 14:00")),
        "{notices:?}"
    );

    let codes = t
        .app
        .meetings()
        .issue_check_ins(&recorder, m.id)
        .await
        .unwrap();
    assert_eq!(codes.len(), 3);
    // Too early: the code works from an hour before the start.
    let err = t
        .app
        .meetings()
        .check_in_with_code(&codes[0].code, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("尚未开始"), "{err}");
    t.clock
        .advance(chrono::Duration::hours(3) + chrono::Duration::minutes(50));
    let view = t
        .app
        .meetings()
        .check_in_with_code(&codes[0].code, Some("10.0.0.8".into()))
        .await
        .unwrap();
    assert_eq!(view.name, codes[0].name);
    // Used once; a made-up code is no code.
    let err = t
        .app
        .meetings()
        .check_in_with_code(&codes[0].code, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已使用"), "{err}");
    let err = t
        .app
        .meetings()
        .check_in_with_code("not-a-code", None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("签到码无效"), "{err}");
    let before = t.app.meetings().get(&recorder, m.id).await.unwrap();
    assert_eq!(before.checked_in(), 1);
    // Codes issued again replace the unused ones: the old second code no longer works.
    let again = t
        .app
        .meetings()
        .issue_check_ins(&recorder, m.id)
        .await
        .unwrap();
    assert_eq!(again.len(), 2, "the one present needs no new code");
    let err = t
        .app
        .meetings()
        .check_in_with_code(&codes[1].code, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("签到码无效"), "{err}");
    t.app
        .meetings()
        .check_in_with_code(&again[0].code, None)
        .await
        .unwrap();

    // The recorder takes the roll as checked in and writes the minutes once the meeting has
    // begun; only the secretary confirms the record.
    t.clock.advance(chrono::Duration::minutes(20));
    let view = t.app.meetings().get(&recorder, m.id).await.unwrap();
    let roll: Vec<(PersonId, Attendance, String)> = view
        .attendance
        .iter()
        .map(|(a, _)| (a.person_id, a.status, String::new()))
        .collect();
    t.app
        .meetings()
        .hold(&recorder, m.id, &roll, ("重温入党誓词，交流体会。", ""))
        .await
        .unwrap();
    assert!(matches!(
        t.app.meetings().lock(&recorder, m.id).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(!view.may_confirm);
    assert!(
        t.app
            .meetings()
            .get(&secretary, m.id)
            .await
            .unwrap()
            .may_confirm
    );
    t.app.meetings().lock(&secretary, m.id).await.unwrap();
    let locked = t.app.meetings().get(&secretary, m.id).await.unwrap();
    let present = locked
        .attendance
        .iter()
        .filter(|(a, _)| a.status == Attendance::Present)
        .count();
    assert_eq!(present, 2);
    // After the lock, and after the window, no code works.
    let err = t
        .app
        .meetings()
        .check_in_with_code(&again[1].code, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("签到已结束"), "{err}");
    assert!(
        t.app
            .meetings()
            .issue_check_ins(&recorder, m.id)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_check_in_code_expires_three_hours_after_the_start() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept4", "org_department", Some(tree.root.id)).await;
    t.app
        .people()
        .add(
            &admin,
            tree.branch_b.id,
            None,
            &member_input("周", (1990, 3, 1), 95),
        )
        .await
        .unwrap();
    let plan = MeetingPlan::parse(
        MeetingKind::PartyLecture,
        "党课：党章学习",
        at("2026-11-23 10:30"),
        "报告厅",
        ("", ""),
    )
    .unwrap()
    .with_lecturer(Lecturer::parse(None, "党校 李老师").unwrap());
    let m = t
        .app
        .meetings()
        .plan(&admin, tree.branch_b.id, plan)
        .await
        .unwrap();
    let codes = t
        .app
        .meetings()
        .issue_check_ins(&admin, m.id)
        .await
        .unwrap();
    t.clock.advance(chrono::Duration::hours(4));
    let err = t
        .app
        .meetings()
        .check_in_with_code(&codes[0].code, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已过期"), "{err}");
    let view = t.app.meetings().get(&admin, m.id).await.unwrap();
    assert_eq!(view.checked_in(), 0, "nothing changed");
}

#[tokio::test]
async fn heart_talks_are_recorded_in_the_branch_and_the_members_not_yet_talked_with_show_支部条例第十九条()
 {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept5", "org_department", Some(tree.root.id)).await;
    let secretary = signed_actor(&t.app, "bsec5", "branch_secretary", Some(tree.branch_a.id)).await;
    let ids = add_members(
        &t.app,
        &admin,
        tree.branch_a.id,
        &["赵一", "钱二", "孙三"],
        70,
    )
    .await;
    let outsider = t
        .app
        .people()
        .add(
            &admin,
            tree.branch_b.id,
            None,
            &member_input("李四", (1988, 5, 1), 79),
        )
        .await
        .unwrap()
        .id;
    let today = t.app.clock().today();
    let talk = |a: PersonId, b: PersonId| {
        HeartTalk::parse(
            (a, b),
            day("2026-11-20"),
            today,
            "党员活动室",
            "谈思想和工作",
        )
        .unwrap()
    };
    let before = t
        .app
        .meetings()
        .heart_talks(&secretary, tree.branch_a.id, 2026)
        .await
        .unwrap();
    assert_eq!(before.untalked.len(), 3);
    let recorded = t
        .app
        .meetings()
        .record_heart_talk(&secretary, tree.branch_a.id, talk(ids[0], ids[1]))
        .await
        .unwrap();
    assert_eq!(
        (recorded.talker_name.as_str(), recorded.talkee_name.as_str()),
        ("赵一", "钱二")
    );
    // Someone of another branch is not this branch's to talk with here.
    let err = t
        .app
        .meetings()
        .record_heart_talk(&secretary, tree.branch_a.id, talk(ids[0], outsider))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("谈话对象"), "{err}");
    let after = t
        .app
        .meetings()
        .heart_talks(&secretary, tree.branch_a.id, 2026)
        .await
        .unwrap();
    assert_eq!(after.talks.len(), 1);
    assert_eq!(after.untalked, vec!["孙三".to_owned()]);
    // The record book lists the talk and the member still to talk with as a gap.
    let book = t
        .app
        .meetings()
        .record_book(&secretary, tree.branch_a.id, 2026)
        .await
        .unwrap();
    assert_eq!(book.talks.talks.len(), 1);
    assert!(
        book.gaps().iter().any(|g| g.contains("孙三")),
        "{:?}",
        book.gaps()
    );
    // Another branch's secretary sees none of it.
    let other = signed_actor(&t.app, "bsec6", "branch_secretary", Some(tree.branch_b.id)).await;
    assert!(
        t.app
            .meetings()
            .heart_talks(&other, tree.branch_a.id, 2026)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_university_sets_its_own_lecture_frequency_from_a_day_on_and_earlier_months_keep_the_old_rule()
 {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept7", "org_department", Some(tree.root.id)).await;
    t.app
        .people()
        .add(
            &admin,
            tree.branch_a.id,
            None,
            &member_input("吴", (1985, 6, 1), 77),
        )
        .await
        .unwrap();
    let plan = MeetingPlan::parse(
        MeetingKind::PartyLecture,
        "党课：学习党章",
        at("2026-10-10 14:30"),
        "报告厅",
        ("", ""),
    )
    .unwrap()
    .with_lecturer(Lecturer::parse(None, "党校 李老师").unwrap());
    let m = t
        .app
        .meetings()
        .plan(&admin, tree.branch_a.id, plan)
        .await
        .unwrap();
    t.app
        .meetings()
        .hold(&admin, m.id, &[], ("讲授党章。", ""))
        .await
        .unwrap();
    let lecture = |rows: &[dangjian_app::meetings::ComplianceRow]| {
        rows.iter()
            .find(|r| r.org_id == tree.branch_a.id && r.rule.kind == MeetingKind::PartyLecture)
            .map(|r| (r.kept, r.rule.every_label()))
            .unwrap()
    };
    let november = day("2026-11-10");
    let before = t
        .app
        .meetings()
        .compliance(&admin, tree.gb.id, november)
        .await
        .unwrap();
    assert_eq!(lecture(&before), (Kept::Yes, "每季度".to_owned()));
    // From November on, a lecture every month: November has none yet, October still counts
    // under the rule of its day.
    let plain = signed_actor(&t.app, "bsec7", "branch_secretary", Some(tree.branch_a.id)).await;
    assert!(
        t.app
            .settings()
            .set_rules(
                &plain,
                day("2026-11-01"),
                &[("life_lecture_every_months", "1")]
            )
            .await
            .is_err(),
        "the organization department sets the rules"
    );
    t.app
        .settings()
        .set_rules(
            &admin,
            day("2026-11-01"),
            &[("life_lecture_every_months", "1")],
        )
        .await
        .unwrap();
    let after = t
        .app
        .meetings()
        .compliance(&admin, tree.gb.id, november)
        .await
        .unwrap();
    assert_eq!(lecture(&after), (Kept::Open, "每月".to_owned()));
    let october = t
        .app
        .meetings()
        .compliance(&admin, tree.gb.id, day("2026-10-15"))
        .await
        .unwrap();
    assert_eq!(lecture(&october), (Kept::Yes, "每季度".to_owned()));
}

#[tokio::test]
async fn a_member_subscribes_to_their_meetings_by_a_secret_link_that_can_be_stopped() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept8", "org_department", Some(tree.root.id)).await;
    let input = member_input("郑", (1992, 7, 1), 66);
    t.app
        .people()
        .add(&admin, tree.branch_a.id, None, &input)
        .await
        .unwrap();
    let member = activated_actor(&t.app, &input).await;
    for (org, topic) in [
        (tree.branch_a.id, "本支部主题党日"),
        (tree.branch_b.id, "他支部主题党日"),
    ] {
        let plan = MeetingPlan::parse(
            MeetingKind::ThemeDay,
            topic,
            at("2026-12-05 14:30"),
            "活动室",
            ("", ""),
        )
        .unwrap();
        t.app.meetings().plan(&admin, org, plan).await.unwrap();
    }
    // The member sees the meeting they are expected at, not another branch's.
    let mine = t.app.meetings().calendar(&member).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].mine && mine[0].meeting.plan.topic == "本支部主题党日");
    // The organization department sees both, as meetings of its scope.
    assert_eq!(t.app.meetings().calendar(&admin).await.unwrap().len(), 2);

    let link = t.app.meetings().issue_calendar_link(&member).await.unwrap();
    assert_eq!(
        t.app
            .meetings()
            .calendar_by_link(&link)
            .await
            .unwrap()
            .len(),
        1
    );
    // A new link replaces the old; a stopped link reads nothing.
    let again = t.app.meetings().issue_calendar_link(&member).await.unwrap();
    assert!(matches!(
        t.app.meetings().calendar_by_link(&link).await,
        Err(AppError::NotFound)
    ));
    t.app
        .meetings()
        .revoke_calendar_link(&member)
        .await
        .unwrap();
    assert!(t.app.meetings().calendar_by_link(&again).await.is_err());
    assert!(
        t.app
            .meetings()
            .calendar_link_made_at(&member)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn each_members_attendance_and_study_hours_are_counted_against_the_yearly_minimum_教育条例第二十条()
 {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (_, secretary, ids) = branch_of_three(&t.app, &tree, "life", 40).await;
    // Seven months on: the six months away count from the members' arrival on the roster.
    t.clock.advance(chrono::Duration::days(210));
    // Bad hours are refused by name before anything is planned.
    assert_eq!(
        dangjian_domain::learning::StudyHours::parse("40")
            .unwrap_err()
            .field,
        "study_hours"
    );
    let plan = MeetingPlan::parse(
        MeetingKind::PartyLecture,
        "第四季度党课",
        at("2027-06-15 14:30"),
        "报告厅",
        ("", ""),
    )
    .unwrap()
    .with_study_hours(dangjian_domain::learning::StudyHours::parse("2.5").unwrap())
    .with_lecturer(Lecturer::parse(None, "党校 李老师").unwrap());
    let m = t
        .app
        .meetings()
        .plan(&secretary, tree.branch_a.id, plan)
        .await
        .unwrap();
    // Planned is not yet held: nobody is counted.
    let before = t
        .app
        .meetings()
        .member_life(&secretary, tree.branch_a.id, 2027)
        .await
        .unwrap();
    assert!(before.members.iter().all(|m| m.life.expected() == 0));
    let roll = vec![
        (ids[0], Attendance::Present, String::new()),
        (ids[1], Attendance::Present, String::new()),
        (ids[2], Attendance::Absent, String::new()),
    ];
    t.app
        .meetings()
        .hold(&secretary, m.id, &roll, ("讲授党课", ""))
        .await
        .unwrap();

    let life = t
        .app
        .meetings()
        .member_life(&secretary, tree.branch_a.id, 2027)
        .await
        .unwrap();
    let of = |id: PersonId| life.members.iter().find(|m| m.person_id == id).unwrap();
    let chief = of(ids[0]);
    assert!(chief.on_committee);
    let hours = |h: dangjian_domain::learning::StudyHours| h.to_string();
    assert_eq!(
        (
            hours(chief.life.hours),
            chief.minimum,
            hours(chief.hours_short())
        ),
        ("2.5".to_owned(), 56, "53.5".to_owned())
    );
    let member = of(ids[1]);
    assert_eq!(
        (
            hours(member.life.hours),
            member.minimum,
            hours(member.hours_short())
        ),
        ("2.5".to_owned(), 32, "29.5".to_owned())
    );
    assert_eq!(member.life.attendance_percent(), Some(100));
    assert!(!member.away);
    let absent = of(ids[2]);
    assert_eq!((absent.life.absent, absent.life.hours.is_zero()), (1, true));
    assert_eq!(absent.life.attendance_percent(), Some(0));
    // On the roster seven months and come to nothing: six months away (支部条例第三十一条(六)).
    assert!(absent.away);
    assert_eq!((life.short(), life.away()), (3, 1));
    // Another branch's secretary does not even see the branch; a member of it sees the
    // branch but not its records.
    let other = signed_actor(&t.app, "bsec10", "branch_secretary", Some(tree.branch_b.id)).await;
    assert!(matches!(
        t.app
            .meetings()
            .member_life(&other, tree.branch_a.id, 2027)
            .await,
        Err(AppError::NotFound)
    ));
    let member = signed_actor(&t.app, "member9", "member", Some(tree.branch_a.id)).await;
    assert!(matches!(
        t.app
            .meetings()
            .member_life(&member, tree.branch_a.id, 2027)
            .await,
        Err(AppError::Forbidden(_))
    ));
}

#[tokio::test]
async fn the_compliance_calendar_shows_each_rule_in_the_month_its_period_ends() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (_, secretary, ids) = branch_of_three(&t.app, &tree, "cal", 50).await;
    held_theme_day(&t.app, &tree, &secretary, &ids).await;
    let c = t
        .app
        .meetings()
        .compliance_calendar(&secretary, tree.branch_a.id, 2026)
        .await
        .unwrap();
    let row = c
        .rows
        .iter()
        .find(|r| r.org_id == tree.branch_a.id)
        .unwrap();
    let month = |m: usize| &row.months[m - 1];
    assert!(
        month(11)
            .kept
            .iter()
            .any(|r| r.kind == MeetingKind::ThemeDay)
    );
    assert!(
        month(1)
            .missed
            .iter()
            .any(|r| r.kind == MeetingKind::ThemeDay)
    );
    // The quarter's general meeting shows at the quarter's end only (支部条例第十二条).
    assert!(
        month(3)
            .missed
            .iter()
            .any(|r| r.kind == MeetingKind::GeneralMeeting)
    );
    assert!(
        !month(2)
            .missed
            .iter()
            .any(|r| r.kind == MeetingKind::GeneralMeeting)
    );
    // December is not over: its theme day, the year's life meeting and the secretary's
    // lecture are still open.
    assert!(
        month(12)
            .open
            .iter()
            .any(|r| r.kind == MeetingKind::ThemeDay)
    );
    assert!(
        month(12)
            .open
            .iter()
            .any(|r| r.kind == MeetingKind::LifeMeeting)
    );
    assert!(month(12).open.iter().any(|r| r.by_secretary));
    // Only a secretary sits, no committee: no 支委会 is owed in any month (RULES.md §2).
    assert!(row.months.iter().all(|m| {
        !m.missed
            .iter()
            .any(|r| r.kind == MeetingKind::CommitteeMeeting)
            && !m
                .open
                .iter()
                .any(|r| r.kind == MeetingKind::CommitteeMeeting)
    }));
    assert!(c.missed() > 0 && c.behind() >= 1);
    assert!(matches!(
        t.app
            .meetings().compliance_calendar(&secretary, tree.branch_a.id, 1900)
            .await,
        Err(AppError::Invalid(ref f)) if f.field == "year"
    ));
}

#[tokio::test]
async fn meetings_and_years_are_bounded_by_what_records_can_be() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (admin, secretary, _) = branch_of_three(&t.app, &tree, "bound", 700).await;
    let far = at("2028-06-01 14:30");
    let plan =
        MeetingPlan::parse(MeetingKind::ThemeDay, "主题党日", far, "活动室", ("", "")).unwrap();
    let err = t
        .app
        .meetings()
        .plan(&secretary, tree.branch_a.id, plan)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(ref f) if f.field == "starts_at"),
        "{err:?}"
    );
    let err = t
        .app
        .development()
        .funnel(&admin, tree.root.id, 10_000)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(ref f) if f.field == "year"),
        "{err:?}"
    );
}

#[tokio::test]
async fn every_lecture_names_its_lecturer_and_the_secretarys_own_keeps_the_yearly_rule_支部条例_党课()
 {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (admin, secretary, ids) = branch_of_three(&t.app, &tree, "lect", 60).await;
    let lecture = |lecturer| {
        MeetingPlan::parse(
            MeetingKind::PartyLecture,
            "党课：学习党章",
            at("2026-11-20 14:30"),
            "报告厅",
            ("", ""),
        )
        .unwrap()
        .with_lecturer(lecturer)
    };
    let meetings = t.app.meetings();
    let err = meetings
        .plan(&secretary, tree.branch_a.id, lecture(None))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("讲课人"), "{err}");
    let yearly = |rows: &[dangjian_app::meetings::ComplianceRow]| {
        rows.iter()
            .find(|r| r.org_id == tree.branch_a.id && r.rule.by_secretary)
            .map(|r| (r.kept, r.rule.label()))
            .unwrap()
    };
    let november = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    // A lecture by a member who is not the secretary keeps the quarter's rule, not the
    // secretary's; the year is not over, so it is still open.
    let (planner, reader, branch, yearly_of) = (&secretary, &admin, tree.branch_a.id, &yearly);
    let held_by = |person| async move {
        let m = meetings
            .plan(planner, branch, lecture(Some(Lecturer::on_roster(person))))
            .await
            .unwrap();
        meetings
            .hold(planner, m.id, &[], ("讲授党章。", ""))
            .await
            .unwrap();
        let rows = meetings.compliance(reader, branch, november).await.unwrap();
        (m.plan.lecturer.unwrap().name, yearly_of(&rows))
    };
    let (named, by_member) = held_by(ids[1]).await;
    assert_eq!(named, "乙党员", "named as the roster names them");
    assert_eq!(by_member, (Kept::Open, "书记讲党课"));
    // The year before had no lecture by the secretary: missed.
    let last_year = meetings
        .compliance(&admin, tree.branch_a.id, november - chrono::Months::new(12))
        .await
        .unwrap();
    assert_eq!(yearly(&last_year).0, Kept::Missed);
    assert_eq!(held_by(ids[0]).await.1, (Kept::Yes, "书记讲党课"));
    // Someone the planner may not read is not offered nor taken as lecturer.
    let stranger = add_members(&t.app, &admin, tree.branch_b.id, &["外支部"], 61).await;
    let err = meetings
        .plan(
            &secretary,
            tree.branch_a.id,
            lecture(Some(Lecturer::on_roster(stranger[0]))),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("讲课人"), "{err}");
    let offered = meetings
        .lecturers(&secretary, &tree.branch_a)
        .await
        .unwrap();
    assert_eq!(offered[0], (ids[0], "甲书记（书记）".to_owned()));
    assert!(!offered.iter().any(|(id, _)| *id == stranger[0]));
}
