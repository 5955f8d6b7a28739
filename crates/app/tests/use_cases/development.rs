//! A person's development through the 25 steps, recorded by the branch and the higher
//! committee, with the roster's status following the record.

use crate::common;
use crate::common::{OrgId, PersonId};
use crate::common::{member_input, signed_actor, test_app, tree};
use dangjian_app::development::{DevelopmentDocument, StepInput};
use dangjian_app::{Actor, App, AppError};
use dangjian_domain::development::policy::{Recorder, StepPolicy};
use dangjian_domain::development::training::{ClassPlan, ExamResult};
use dangjian_domain::development::{
    ConfirmationOutcome, DecisionBody, RollCall, Stage, Step, StepDetail, VoteCount,
};
use dangjian_domain::people::PersonStatus;

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn input(step: Step, on: &str, detail: StepDetail) -> StepInput {
    StepInput {
        step,
        on: day(on),
        body: None,
        detail,
        member_ids: Vec::new(),
        roll: Vec::new(),
        note: String::new(),
        override_reason: None,
    }
}

async fn record(app: &App, actor: &Actor, person: PersonId, i: StepInput) {
    let step = i.step;
    app.development()
        .record_step(actor, person, i)
        .await
        .unwrap_or_else(|e| panic!("{step:?}: {e}"));
}

/// The organization department, the first branch's secretary and its general branch's.
async fn desks(app: &App, tree: &common::Tree) -> (Actor, Actor, Actor) {
    (
        signed_actor(app, "orgdept2", "org_department", Some(tree.root.id)).await,
        signed_actor(app, "bsec", "branch_secretary", Some(tree.branch_a.id)).await,
        signed_actor(app, "gbsec", "general_branch_secretary", Some(tree.gb.id)).await,
    )
}

/// A 群众 added to `org`, with no development record yet.
async fn newcomer(
    app: &App,
    admin: &Actor,
    org: OrgId,
    mut person: dangjian_domain::people::PersonInput,
) -> PersonId {
    person.status = "群众".into();
    person.join_date.clear();
    person.confirmation_date.clear();
    app.people()
        .add(admin, org, None, &person)
        .await
        .unwrap()
        .id
}

/// The text of a development document: the Word file's body, its markup dropped.
async fn document_text(
    app: &App,
    actor: &Actor,
    person: PersonId,
    doc: DevelopmentDocument,
) -> String {
    use std::io::Read;
    let (name, bytes) = app
        .development()
        .document(actor, person, doc)
        .await
        .unwrap();
    assert!(name.ends_with(".docx"), "{name}");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The ballots of a vote, all yes: who was entitled and who attended come from its roll.
fn ballots(yes: u32) -> VoteCount {
    VoteCount {
        written: 0,
        entitled: 0,
        attending: 0,
        yes,
        no: 0,
        abstain: 0,
    }
}

#[tokio::test]
async fn a_non_member_is_taken_through_all_25_steps_by_branch_and_general_branch() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (admin, secretary, gbsec) = desks(&t.app, &tree).await;
    // The branch's roster went on the platform before the road began: who was a full member
    // on a vote's day is read from its history.
    t.move_clock_to("2023-01-02");
    let mut mentors = Vec::new();
    for (i, name) in ["王老师", "李老师", "周老师"].into_iter().enumerate() {
        let p = t
            .app
            .people()
            .add(
                &admin,
                tree.branch_a.id,
                None,
                &member_input(name, (1980, 1, 1 + i as u32), 10 + i as u32),
            )
            .await
            .unwrap();
        mentors.push(p.id);
    }
    let mut student = member_input("赵同学", (2004, 5, 10), 30);
    student.category = "学生".into();
    student.school = "机械学院".into();
    let p = newcomer(&t.app, &admin, tree.branch_a.id, student).await;
    t.move_clock_to("2026-11-23");
    let disciplined = mentors.pop().unwrap();
    let status = |app: &App| {
        let app = app.clone();
        let admin = admin.clone();
        async move { app.people().get(&admin, p).await.unwrap().person }
    };

    use StepDetail::Plain;
    record(
        &t.app,
        &secretary,
        p,
        input(Step::Application, "2023-03-01", Plain),
    )
    .await;
    assert_eq!(status(&t.app).await.status, PersonStatus::Applicant);

    // The talk came late: the branch cannot record it, the organization department can, with
    // a reason, and it stays listed.
    let late = input(Step::Talk, "2023-04-10", Plain);
    let err = t
        .app
        .development()
        .record_step(&secretary, p, late.clone())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("细则第七条") && err.to_string().contains("组织部门"),
        "{err}"
    );
    let err = t
        .app
        .development()
        .record_step(&admin, p, late.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(ref f) if f.field == "override_reason"),
        "{err}"
    );
    // A reason longer than the record keeps is refused by name, not cut or failed in storage.
    let rambling = StepInput {
        override_reason: Some("因".repeat(501)),
        ..late.clone()
    };
    let err = t
        .app
        .development()
        .record_step(&admin, p, rambling)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(ref f) if f.field == "override_reason"),
        "{err}"
    );
    let excused = StepInput {
        override_reason: Some("申请人寒假离校，返校后谈话".into()),
        ..late
    };
    let talk = t
        .app
        .development()
        .record_step(&admin, p, excused)
        .await
        .unwrap();
    assert!(talk.breach.is_some() && talk.override_reason.is_some());

    // Without a committee the general meeting decides (细则第八条).
    let chosen = input(
        Step::ActivistChosen,
        "2023-09-05",
        StepDetail::Recommendation { by_league: true },
    );
    let err = t
        .app
        .development()
        .record_step(&secretary, p, chosen.clone())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("支部大会"), "{err}");
    record(
        &t.app,
        &secretary,
        p,
        StepInput {
            body: Some(DecisionBody::GeneralMeeting),
            ..chosen
        },
    )
    .await;
    assert_eq!(status(&t.app).await.status, PersonStatus::Activist);

    // Filing goes to the higher committee, not the branch.
    let filed = input(Step::ActivistFiled, "2023-09-10", Plain);
    assert!(matches!(
        t.app
            .development()
            .record_step(&secretary, p, filed.clone())
            .await,
        Err(AppError::Forbidden(_))
    ));
    record(&t.app, &gbsec, p, filed).await;
    record(
        &t.app,
        &secretary,
        p,
        StepInput {
            member_ids: vec![mentors[0]],
            ..input(Step::MentorsAssigned, "2023-09-12", Plain)
        },
    )
    .await;
    record(
        &t.app,
        &secretary,
        p,
        input(Step::Assessment, "2024-03-01", Plain),
    )
    .await;
    record(
        &t.app,
        &secretary,
        p,
        input(Step::Assessment, "2024-08-30", Plain),
    )
    .await;
    record(
        &t.app,
        &secretary,
        p,
        StepInput {
            body: Some(DecisionBody::GeneralMeeting),
            ..input(
                Step::CandidateChosen,
                "2024-09-06",
                StepDetail::Hearing {
                    group: false,
                    mentors: true,
                    members: true,
                    non_members: true,
                },
            )
        },
    )
    .await;
    assert_eq!(status(&t.app).await.status, PersonStatus::Candidate);
    record(
        &t.app,
        &gbsec,
        p,
        input(Step::CandidateFiled, "2024-09-10", Plain),
    )
    .await;
    let one_sponsor = StepInput {
        member_ids: vec![mentors[0]],
        ..input(Step::SponsorsChosen, "2024-09-12", Plain)
    };
    assert!(
        t.app
            .development()
            .record_step(&secretary, p, one_sponsor)
            .await
            .unwrap_err()
            .to_string()
            .contains("细则第十四条")
    );
    // A member under 留党察看 sponsors nobody while it runs; the branch does not record
    // discipline, the committee above it does.
    let probation = dangjian_domain::people::discipline::Discipline::parse(
        dangjian_domain::people::discipline::DisciplineKind::Probation,
        day("2024-03-01"),
        Some(1),
        ("支部大会决定，经上级党委批准", "违反工作纪律"),
        day("2026-11-23"),
    )
    .unwrap();
    assert!(matches!(
        t.app
            .people()
            .record_discipline(&secretary, disciplined, probation.clone())
            .await,
        Err(AppError::Forbidden(_))
    ));
    t.app
        .people()
        .record_discipline(&admin, disciplined, probation)
        .await
        .unwrap();
    let barred = StepInput {
        member_ids: vec![mentors[0], disciplined],
        ..input(Step::SponsorsChosen, "2024-09-12", Plain)
    };
    let err = t
        .app
        .development()
        .record_step(&secretary, p, barred)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("周老师 正受留党察看处分")
            && err.to_string().contains("细则第十四条"),
        "{err}"
    );
    record(
        &t.app,
        &secretary,
        p,
        StepInput {
            member_ids: mentors.clone(),
            ..input(Step::SponsorsChosen, "2024-09-12", Plain)
        },
    )
    .await;
    record(
        &t.app,
        &secretary,
        p,
        input(
            Step::BackgroundReview,
            "2024-10-08",
            StepDetail::Review { passed: true },
        ),
    )
    .await;
    // The general branch's candidates' class: a certificate, whose hours the training step
    // takes when none are typed (细则第十七条).
    let class = t
        .app
        .development()
        .create_class(
            &gbsec,
            tree.gb.id,
            ClassPlan::parse(
                "2024年秋季发展对象培训班",
                Stage::Candidate,
                (day("2024-10-14"), day("2024-10-16")),
                24,
            )
            .unwrap(),
        )
        .await
        .unwrap();
    t.app
        .development()
        .enrol(&gbsec, class.id, &[p])
        .await
        .unwrap();
    t.app
        .development()
        .record_training_result(&gbsec, class.id, p, (24, ExamResult::Passed))
        .await
        .unwrap();
    record(
        &t.app,
        &secretary,
        p,
        input(
            Step::Training,
            "2024-10-20",
            StepDetail::Training { hours: 0, days: 0 },
        ),
    )
    .await;
    let recorded = t
        .app
        .development()
        .of_person(&admin, p)
        .await
        .unwrap()
        .steps;
    assert_eq!(
        recorded.last().map(|s| &s.entry.detail),
        Some(&StepDetail::Training { hours: 24, days: 3 }),
        "the training step takes the certified class"
    );
    record(
        &t.app,
        &secretary,
        p,
        input(Step::CommitteeReview, "2024-11-01", Plain),
    )
    .await;
    // A 党总支 has no approval power: the pre-review is the 基层党委's (细则第十九条).
    let by_general_branch = t
        .app
        .development()
        .record_step(
            &gbsec,
            p,
            input(
                Step::PreReview,
                "2024-11-20",
                StepDetail::Review { passed: true },
            ),
        )
        .await
        .unwrap_err();
    assert!(
        by_general_branch
            .to_string()
            .contains("具有审批权限的基层党委"),
        "{by_general_branch}"
    );
    // The record offers the step's form only to those who may record it, and names who does.
    let development = t.app.development();
    for (reader, offered) in [(&gbsec, false), (&secretary, false), (&admin, true)] {
        let view = development.of_person(reader, p).await.unwrap();
        assert!(view.next_steps.contains(&Step::PreReview));
        assert_eq!(
            view.recorded_by(&Step::PreReview).is_none(),
            offered,
            "{:?}",
            view.recorded_by_others
        );
    }
    record(
        &t.app,
        &admin,
        p,
        input(
            Step::PreReview,
            "2024-11-20",
            StepDetail::Review { passed: true },
        ),
    )
    .await;
    record(
        &t.app,
        &secretary,
        p,
        input(
            Step::Publicity,
            "2024-11-21",
            StepDetail::Publicity {
                until: day("2024-11-27"),
                objections: 0,
                unresolved: 0,
            },
        ),
    )
    .await;
    record(
        &t.app,
        &secretary,
        p,
        input(Step::Form, "2024-11-28", Plain),
    )
    .await;
    // The vote is taken at a 支部党员大会 recorded in organizational life; the step refers to
    // it, and its roll agrees with the meeting's sign-in.
    let meeting = common::general_meeting(
        &t.app,
        &secretary,
        tree.branch_a.id,
        "2024-12-05",
        &[mentors[0], mentors[1], disciplined],
    )
    .await;
    let admission = |meeting_id, roll: Vec<(PersonId, RollCall)>| StepInput {
        roll,
        ..input(
            Step::AdmissionVote,
            "2024-12-05",
            StepDetail::Vote {
                roll: Vec::new(),
                count: ballots(2),
                meeting_id,
            },
        )
    };
    let present = |ids: &[PersonId]| -> Vec<(PersonId, RollCall)> {
        ids.iter().map(|id| (*id, RollCall::Present)).collect()
    };
    let refusal = |i: StepInput| {
        let app = t.app.clone();
        let secretary = secretary.clone();
        async move {
            app.development()
                .record_step(&secretary, p, i)
                .await
                .unwrap_err()
                .to_string()
        }
    };
    let both = present(&[mentors[0], mentors[1]]);
    // No meeting named, or no roll: the count is of nobody.
    assert!(
        refusal(admission(None, both.clone()))
            .await
            .contains("支部党员大会"),
    );
    let err = refusal(admission(Some(meeting), Vec::new())).await;
    assert!(err.contains("（2 人）"), "{err}");
    // Under 留党察看 周老师 has no vote: a roll that names him is refused.
    let err = refusal(admission(
        Some(meeting),
        present(&[mentors[0], mentors[1], disciplined]),
    ))
    .await;
    assert!(err.contains("受留党察看处分的党员没有表决权"), "{err}");
    // A voter the sign-in has present cannot be written down as absent.
    let err = refusal(admission(
        Some(meeting),
        vec![
            (mentors[0], RollCall::Present),
            (mentors[1], RollCall::Absent),
        ],
    ))
    .await;
    assert!(
        err.contains("李老师：到会名单记为缺席，支部党员大会签到记录为出席"),
        "{err}"
    );
    let voted = t
        .app
        .development()
        .record_step(&secretary, p, admission(Some(meeting), both))
        .await
        .unwrap();
    assert!(
        matches!(voted.entry.detail, StepDetail::Vote { ref count, meeting_id, .. }
            if (count.entitled, count.attending) == (2, 2) && meeting_id == Some(meeting)),
        "{:?}",
        voted.entry.detail
    );

    // The request for approval is drawn from the vote; the reply waits for the approval.
    let request = document_text(&t.app, &secretary, p, DevelopmentDocument::Request).await;
    assert!(
        request.contains("关于接收赵同学同志为中共预备党员的请示")
            && request.contains("示范大学党委：")
            && request.contains("赞成2票，反对0票，弃权0票"),
        "{request}"
    );
    let err = t
        .app
        .development()
        .document(&secretary, p, DevelopmentDocument::Reply)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("尚未登记“上级党委审批（接收）”"),
        "{err}"
    );
    record(
        &t.app,
        &gbsec,
        p,
        input(Step::HigherTalk, "2024-12-15", Plain),
    )
    .await;
    record(
        &t.app,
        &admin,
        p,
        input(Step::AdmissionApproval, "2025-01-10", Plain),
    )
    .await;
    let now = status(&t.app).await;
    assert_eq!(
        (now.status, now.join_date),
        (PersonStatus::Probationary, Some(day("2024-12-05")))
    );
    let reply = document_text(&t.app, &secretary, p, DevelopmentDocument::Reply).await;
    assert!(
        reply.contains("预备期一年，自2024年12月5日至2025年12月5日"),
        "{reply}"
    );
    let publicity = document_text(&t.app, &secretary, p, DevelopmentDocument::Publicity).await;
    assert!(
        publicity.contains("公示时间：2024年11月21日至2024年11月27日"),
        "{publicity}"
    );

    record(
        &t.app,
        &admin,
        p,
        input(Step::AdmissionFiled, "2025-01-15", Plain),
    )
    .await;
    for (step, on) in [
        (Step::Placement, "2025-01-16"),
        (Step::Oath, "2025-01-20"),
        (Step::ContinuedAssessment, "2025-06-30"),
        (Step::ConfirmationRequest, "2025-11-20"),
    ] {
        record(&t.app, &secretary, p, input(step, on, Plain)).await;
    }
    // A member registered today was no member on the vote's day: the roll is that day's.
    t.app
        .people()
        .add(
            &admin,
            tree.branch_a.id,
            None,
            &member_input("钱老师", (1985, 6, 1), 13),
        )
        .await
        .unwrap();
    let confirm = |meeting_id| StepDetail::Confirmation {
        roll: Vec::new(),
        count: ballots(3),
        outcome: ConfirmationOutcome::Confirm,
        extend_months: None,
        meeting_id: Some(meeting_id),
    };
    let everyone = [mentors[0], mentors[1], disciplined];
    let early = common::general_meeting(
        &t.app,
        &secretary,
        tree.branch_a.id,
        "2025-12-04",
        &everyone,
    )
    .await;
    let err = refusal(StepInput {
        roll: present(&everyone),
        ..input(Step::ConfirmationVote, "2025-12-04", confirm(early))
    })
    .await;
    assert!(err.contains("细则第三十二条"), "{err}");
    // The roll of the confirmation vote: 周老师's 留党察看 ended in February, so all three
    // full members are entitled, and one who could not come sent a written opinion.
    let meeting = common::general_meeting(
        &t.app,
        &secretary,
        tree.branch_a.id,
        "2025-12-05",
        &[mentors[0], disciplined, p],
    )
    .await;
    let rolled = |roll: Vec<(PersonId, RollCall)>| StepInput {
        roll,
        ..input(Step::ConfirmationVote, "2025-12-05", confirm(meeting))
    };
    let err = t
        .app
        .development()
        .record_step(
            &secretary,
            p,
            rolled(vec![
                (mentors[0], RollCall::Present),
                (mentors[1], RollCall::Present),
            ]),
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("有表决权的全体正式党员（3 人）"),
        "{err}"
    );
    let voted = t
        .app
        .development()
        .record_step(
            &secretary,
            p,
            StepInput {
                detail: StepDetail::Confirmation {
                    count: ballots(3),
                    outcome: ConfirmationOutcome::Confirm,
                    extend_months: None,
                    roll: Vec::new(),
                    meeting_id: Some(meeting),
                },
                ..rolled(vec![
                    (mentors[0], RollCall::Present),
                    (mentors[1], RollCall::Written),
                    (disciplined, RollCall::Present),
                ])
            },
        )
        .await
        .unwrap();
    assert!(
        voted
            .entry
            .detail
            .summary()
            .starts_with("按期转为正式党员；赞成 3/应到 3"),
        "{}",
        voted.entry.detail.summary()
    );
    record(
        &t.app,
        &admin,
        p,
        input(Step::ConfirmationApproval, "2026-01-08", Plain),
    )
    .await;
    record(
        &t.app,
        &secretary,
        p,
        input(Step::Archive, "2026-01-12", Plain),
    )
    .await;

    let now = status(&t.app).await;
    assert_eq!(
        (now.status, now.confirmation_date),
        (PersonStatus::Full, Some(day("2025-12-05")))
    );
    let v = t.app.development().of_person(&secretary, p).await.unwrap();
    assert_eq!(v.stage, Stage::Full);
    assert_eq!(
        v.steps.len(),
        27,
        "25 steps, publicity and a second assessment"
    );
    assert!(v.next_steps.is_empty());
    let history = t.app.people().get(&admin, p).await.unwrap().history;
    assert!(
        history
            .iter()
            .any(|h| h.reason.contains("上级党委审批（转正）") && h.from_on == day("2026-01-08")),
        "the status change is in the history, dated by its step"
    );

    // The funnel counts each step in the year it was taken.
    let funnel = |year| t.app.development().funnel(&gbsec, tree.gb.id, year);
    let f2023 = funnel(2023).await.unwrap();
    assert_eq!(
        (f2023.applications, f2023.activists, f2023.candidates),
        (1, 1, 0)
    );
    let f2024 = funnel(2024).await.unwrap();
    assert_eq!((f2024.candidates, f2024.admitted), (1, 0));
    let f2025 = funnel(2025).await.unwrap();
    assert_eq!(
        (f2025.admitted, f2025.admitted_students),
        (1, 1),
        "赵同学 is a student"
    );
    let xlsx = t
        .app
        .development()
        .funnel_xlsx(&gbsec, tree.gb.id, 2025)
        .await
        .unwrap();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("发展党员情况").unwrap();
    let admitted = sheet
        .rows()
        .find(|r| r[0] == "接收为预备党员")
        .map(|r| r[1].to_string());
    assert_eq!(admitted.as_deref(), Some("1"));
    let f2026 = funnel(2026).await.unwrap();
    assert_eq!(
        (f2026.confirmed, f2026.extended, f2026.cancelled),
        (1, 0, 0)
    );
    let elsewhere = t
        .app
        .development()
        .funnel(&admin, tree.direct.id, 2023)
        .await
        .unwrap();
    assert_eq!(elsewhere.applications, 0, "another branch's subtree");
}

#[tokio::test]
async fn the_publicity_window_counts_working_days_of_the_official_calendar() {
    let t = test_app().await;
    let cal = t.app.development().work_calendar().await.unwrap();
    // 2026-09-30 (Wed) + five working days: 国庆 1–7 October is off, Saturday the 10th is
    // worked (调休), so the window closes on Monday the 12th.
    assert_eq!(cal.window_end(day("2026-09-30"), 5), day("2026-10-12"));
    assert!(!cal.is_working_day(day("2026-02-16")), "春节");
    assert!(cal.is_working_day(day("2026-02-28")), "a Saturday worked");

    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "orgdept2", "org_department", Some(tree.root.id)).await;
    let secretary = signed_actor(&t.app, "bsec", "branch_secretary", Some(tree.branch_a.id)).await;
    assert!(matches!(
        t.app
            .development()
            .set_calendar_day(
                &secretary,
                dangjian_domain::calendar::CalendarDay {
                    on: day("2027-01-01"),
                    working: false
                },
                "元旦"
            )
            .await,
        Err(AppError::Forbidden(_))
    ));
    t.app
        .development()
        .set_calendar_day(
            &admin,
            dangjian_domain::calendar::CalendarDay {
                on: day("2027-01-01"),
                working: false,
            },
            "元旦",
        )
        .await
        .unwrap();
    assert!(
        !t.app
            .development()
            .work_calendar()
            .await
            .unwrap()
            .is_working_day(day("2027-01-01"))
    );
}

#[tokio::test]
async fn the_demo_records_every_stage_by_the_rules_and_its_funnel_matches() {
    let t = test_app().await;
    let admin = common::demo_admin(&t.app).await;
    let root = t.app.org().scope_roots(&admin).await.unwrap().remove(0);
    let board = t.app.development().board(&admin, root.id).await.unwrap();
    let today = t.app.clock().today();
    let mut recorded_stages = std::collections::BTreeSet::new();
    let mut steps_this_year = std::collections::HashMap::<Step, u64>::new();
    for (stage, rows) in &board.by_stage {
        assert!(!rows.is_empty(), "the demo has people at {stage:?}");
        for row in rows {
            let v = t
                .app
                .development()
                .of_person(&admin, row.person_id)
                .await
                .unwrap();
            // What was recorded is the roster's stage (or nothing: brought in at go-live),
            // so nobody is listed overdue for a step of a stage they passed years ago
            // (细则: 发展党员全程纪实).
            assert!(
                v.steps.is_empty() || v.stage == *stage,
                "{} is {stage:?} but recorded {:?}",
                row.name,
                v.stage
            );
            if let Some((step, _, _)) = row.due {
                assert!(
                    step.stage() >= *stage,
                    "{} is {stage:?}, due for {step:?}",
                    row.name
                );
            }
            if !v.steps.is_empty() {
                recorded_stages.insert(v.stage);
            }
            for s in &v.steps {
                assert!(s.entry.on <= today && s.breach.is_none());
                if chrono::Datelike::year(&s.entry.on) == chrono::Datelike::year(&today) {
                    *steps_this_year.entry(s.entry.step).or_default() += 1;
                }
            }
        }
    }
    assert!(
        recorded_stages.len() >= 3,
        "records reach several stages: {recorded_stages:?}"
    );
    assert!(
        board.due.iter().any(|r| r.due.is_some_and(|d| d.2)),
        "some are overdue"
    );
    let funnel = t
        .app
        .development()
        .funnel(&admin, root.id, chrono::Datelike::year(&today))
        .await
        .unwrap();
    let count = |step| steps_this_year.get(&step).copied().unwrap_or(0);
    assert_eq!(funnel.applications, count(Step::Application));
    assert_eq!(funnel.activists, count(Step::ActivistChosen));
    assert_eq!(funnel.candidates, count(Step::CandidateChosen));
    assert_eq!(funnel.admitted, count(Step::AdmissionApproval));
}

#[tokio::test]
async fn a_step_is_judged_by_the_rules_and_the_practice_in_force_on_its_day() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (admin, secretary, gbsec) = desks(&t.app, &tree).await;
    let p = newcomer(
        &t.app,
        &admin,
        tree.branch_a.id,
        member_input("钱同学", (2003, 5, 10), 40),
    )
    .await;
    use StepDetail::Plain;
    record(
        &t.app,
        &secretary,
        p,
        input(Step::Application, "2025-01-06", Plain),
    )
    .await;

    // The university's practice: the general branch holds the talk and records it.
    let talk = Step::Talk.default_policy();
    t.app
        .development()
        .set_step_policy(
            &admin,
            Step::Talk,
            StepPolicy::parse(Step::Talk, talk.body, Recorder::Higher, "谈话记录").unwrap(),
        )
        .await
        .unwrap();
    let err = t
        .app
        .development()
        .record_step(&secretary, p, input(Step::Talk, "2025-01-20", Plain))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err}");
    assert!(
        t.app
            .development()
            .set_step_policy(&secretary, Step::Talk, talk.clone())
            .await
            .is_err(),
        "only the organization department sets the practice"
    );
    record(&t.app, &gbsec, p, input(Step::Talk, "2025-01-20", Plain)).await;

    // Three months instead of six, from April 2025 on: a step of April 10th is judged by it.
    let chosen = || StepInput {
        body: Some(DecisionBody::GeneralMeeting),
        ..input(
            Step::ActivistChosen,
            "2025-04-10",
            StepDetail::Recommendation { by_league: true },
        )
    };
    t.app
        .settings()
        .set_rules(
            &admin,
            day("2025-05-01"),
            &[("dev_application_min_months", "3")],
        )
        .await
        .unwrap();
    let err = t
        .app
        .development()
        .record_step(&secretary, p, chosen())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("满 6 个月"),
        "the rule of April 10th: {err}"
    );
    t.app
        .settings()
        .set_rules(
            &admin,
            day("2025-04-01"),
            &[("dev_application_min_months", "3")],
        )
        .await
        .unwrap();
    record(&t.app, &secretary, p, chosen()).await;
    let versions = t.app.settings().current().await.unwrap().versions().len();
    assert_eq!(versions, 2);
}

#[tokio::test]
async fn each_morning_a_secretary_gets_the_digest_of_what_is_due_once() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (admin, secretary, _) = desks(&t.app, &tree).await;
    let p = newcomer(
        &t.app,
        &admin,
        tree.branch_a.id,
        member_input("孙同学", (2003, 5, 10), 50),
    )
    .await;
    // An application five weeks ago: the talk is overdue.
    let applied = t.app.clock().today() - chrono::Duration::days(35);
    record(
        &t.app,
        &secretary,
        p,
        StepInput {
            on: applied,
            ..input(Step::Application, "2000-01-01", StepDetail::Plain)
        },
    )
    .await;
    // Everyone who keeps records over the person: the branch, its general branch and the
    // two accounts of 组织部.
    assert_eq!(
        t.app
            .notifications()
            .send(
                &dangjian_app::development::digest::DUE_DIGEST,
                t.app.clock().today()
            )
            .await
            .unwrap(),
        4
    );
    let mine = t.app.notifications().list(&secretary).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert!(
        mine[0].title.contains("1 项到期，其中 1 项已逾期"),
        "{}",
        mine[0].title
    );
    assert!(mine[0].body.contains("孙同学") && mine[0].body.contains("已逾期"));
    // A second run the same day writes nothing more; reading marks them read.
    t.app
        .notifications()
        .send(
            &dangjian_app::development::digest::DUE_DIGEST,
            t.app.clock().today(),
        )
        .await
        .unwrap();
    assert_eq!(
        t.app.notifications().list(&secretary).await.unwrap().len(),
        1
    );
    assert_eq!(t.app.notifications().unread(&secretary).await.unwrap(), 1);
    t.app.notifications().mark_read(&secretary).await.unwrap();
    assert_eq!(t.app.notifications().unread(&secretary).await.unwrap(), 0);
    // The job remembers the day it ran: the morning's run sends only the month's digest of
    // meetings missed, once.
    t.app.notifications().send_digest_if_due().await.unwrap();
    let development = |n: &[dangjian_app::notification::Notification]| {
        n.iter()
            .filter(|n| n.kind == dangjian_app::development::digest::DUE_DIGEST.job)
            .count()
    };
    assert_eq!(
        development(&t.app.notifications().list(&secretary).await.unwrap()),
        1
    );
    assert_eq!(t.app.notifications().send_digest_if_due().await.unwrap(), 0);
}
