//! An activist hands in a thought report through their own account; their mentor is told,
//! reads and answers it once; the branch reads it; nobody else does.

use crate::common;
use crate::common::{demo_actor, demo_admin, test_app};
use dangjian_app::AppError;
use dangjian_app::notification::Notification;
use dangjian_domain::paging::Paging;
use dangjian_store::audit::AuditFilter;

async fn messages(app: &dangjian_app::App, actor: &dangjian_app::Actor) -> Vec<Notification> {
    app.notifications().list(actor).await.unwrap()
}

#[tokio::test]
async fn an_activist_hands_in_a_thought_report_and_the_mentor_answers_it_once() {
    let t = test_app().await;
    let admin = demo_admin(&t.app).await;
    let activist = demo_actor(&t.app, "activist").await;
    let mentor = demo_actor(&t.app, "mentor").await;

    let mine = t
        .app
        .development()
        .my_thought_reports(&activist)
        .await
        .unwrap();
    assert!(mine.hands_in);
    assert!(
        !mine.mentor_names.is_empty(),
        "the demo activist has mentors"
    );
    let before = mine.mine.len();

    // Bad input changes nothing.
    let err = t
        .app
        .development()
        .hand_in_thought_report(&activist, "第四季度思想汇报", "  ")
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(ref f) if f.field == "body"),
        "{err:?}"
    );
    assert_eq!(
        t.app
            .development()
            .my_thought_reports(&activist)
            .await
            .unwrap()
            .mine
            .len(),
        before
    );

    let report = t
        .app
        .development()
        .hand_in_thought_report(&activist, "第四季度思想汇报", "敬爱的党组织：\n本季度……")
        .await
        .unwrap();
    assert_eq!(report.handed_in_on, t.app.clock().today());
    let waiting = t
        .app
        .development()
        .my_thought_reports(&mentor)
        .await
        .unwrap();
    let view = waiting
        .to_answer
        .iter()
        .find(|v| v.report.id == report.id)
        .expect("handed to the mentor");
    assert!(view.may_answer);
    assert!(
        messages(&t.app, &mentor)
            .await
            .iter()
            .any(|n| n.kind == "thought_report" && n.title.contains("第四季度思想汇报")),
        "the mentor is told"
    );

    // Only a mentor answers; a full member does not hand in reports.
    let secretary = demo_actor(&t.app, "branchsec").await;
    assert!(matches!(
        t.app
            .development()
            .answer_thought_report(&secretary, report.id, "阅")
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        t.app
            .development()
            .hand_in_thought_report(&mentor, "思想汇报", "内容")
            .await,
        Err(AppError::Rule { .. })
    ));

    let answered = t
        .app
        .development()
        .answer_thought_report(&mentor, report.id, "汇报认真，望继续加强学习。")
        .await
        .unwrap();
    assert_eq!(
        answered.answer.as_ref().map(|a| a.text.as_str()),
        Some("汇报认真，望继续加强学习。")
    );
    let again = t
        .app
        .development()
        .answer_thought_report(&mentor, report.id, "改一改")
        .await
        .unwrap_err();
    assert!(
        matches!(
            again,
            AppError::Conflict {
                field: "answer",
                ..
            }
        ),
        "{again:?}"
    );
    let seen = t
        .app
        .development()
        .thought_report(&activist, report.id)
        .await
        .unwrap();
    assert_eq!(
        seen.report.answer.map(|a| a.text),
        Some("汇报认真，望继续加强学习。".to_owned()),
        "the second answer wrote over nothing"
    );
    assert!(
        messages(&t.app, &activist)
            .await
            .iter()
            .any(|n| n.kind == "thought_report"),
        "the writer is told of the answer"
    );

    // The branch's secretary reads its reports and sees who handed in none; a member of the
    // branch who is not the mentor reads nothing of them.
    let org_id = report.org_id;
    let branch_secretary =
        common::signed_actor(&t.app, "bsec2", "branch_secretary", Some(org_id)).await;
    let year = chrono::Datelike::year(&t.app.clock().today());
    let branch = t
        .app
        .development()
        .thought_reports_of_org(&branch_secretary, org_id, year)
        .await
        .unwrap();
    assert!(branch.reports.iter().any(|v| v.report.id == report.id));
    assert!(
        !branch.reports.iter().any(|v| v.may_answer),
        "the secretary only reads"
    );
    // The development page of the activist lists them too.
    let of_person = t
        .app
        .development()
        .person_thought_reports(&branch_secretary, report.person_id)
        .await
        .unwrap();
    assert_eq!(of_person.first().map(|v| v.report.id), Some(report.id));
    assert!(
        t.app
            .development()
            .thought_report(&admin, report.id)
            .await
            .is_ok()
    );
    let outsider = common::signed_actor(&t.app, "outsider", "member", Some(org_id)).await;
    assert!(matches!(
        t.app
            .development()
            .thought_report(&outsider, report.id)
            .await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        t.app
            .development()
            .thought_reports_of_org(&outsider, org_id, year)
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        t.app
            .development()
            .person_thought_reports(&outsider, report.person_id)
            .await,
        Err(AppError::NotFound)
    ));

    let auditor = demo_actor(&t.app, "auditor").await;
    let filter = AuditFilter {
        entity: Some("thought_report".to_owned()),
        entity_id: Some(report.id),
        ..Default::default()
    };
    let trail = t
        .app
        .audit()
        .search(&auditor, &filter, Paging::default())
        .await
        .unwrap();
    let actions: Vec<&str> = trail
        .items
        .iter()
        .map(|e| e.record.action.as_str())
        .collect();
    assert!(actions.contains(&"thought_report.hand_in"), "{actions:?}");
    assert!(actions.contains(&"thought_report.answer"), "{actions:?}");
}

#[tokio::test]
async fn an_applicants_report_reaches_the_branch_until_mentors_are_named_细则第九条() {
    use crate::common::{activated_actor, member_input, signed_actor, tree};
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "trorg", "org_department", Some(tree.root.id)).await;
    let secretary_input = member_input("林书记", (1980, 4, 4), 81);
    let secretary = t
        .app
        .people()
        .add(&admin, tree.branch_a.id, None, &secretary_input)
        .await
        .unwrap();
    t.app
        .org()
        .appoint(
            &admin,
            tree.branch_a.id,
            secretary.id,
            dangjian_domain::org::Position::Secretary,
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        )
        .await
        .unwrap();
    let applicant_input = crate::common::applicant_input("郑同学", (2004, 9, 9), 82);
    t.app
        .people()
        .add(&admin, tree.branch_a.id, None, &applicant_input)
        .await
        .unwrap();
    // The secretary's own account, granted the branch's records.
    let secretary_actor = activated_actor(&t.app, &secretary_input).await;
    let account = secretary_actor.account_id.unwrap();
    t.app
        .accounts()
        .grant(
            &dangjian_app::Actor::console(),
            account,
            "branch_secretary",
            Some(tree.branch_a.id),
        )
        .await
        .unwrap();
    let secretary_actor = crate::common::session_of(&t.app, &secretary_input.staff_no).await;
    let applicant = activated_actor(&t.app, &applicant_input).await;

    let report = t
        .app
        .development()
        .hand_in_thought_report(&applicant, "入党申请后的思想汇报", "敬爱的党组织：……")
        .await
        .unwrap();
    assert!(report.mentor_ids.is_empty());
    assert!(
        messages(&t.app, &secretary_actor)
            .await
            .iter()
            .any(|m| m.title.contains("郑同学递交了思想汇报")),
        "the branch secretary is told"
    );
    let view = t
        .app
        .development()
        .thought_report(&secretary_actor, report.id)
        .await
        .unwrap();
    assert!(view.may_answer);
    t.app
        .development()
        .answer_thought_report(&secretary_actor, report.id, "已阅，望继续学习党章。")
        .await
        .unwrap();
    assert!(
        messages(&t.app, &applicant)
            .await
            .iter()
            .any(|m| m.title == "支部林书记回复了您的思想汇报"),
        "the writer is told who answered"
    );
}
