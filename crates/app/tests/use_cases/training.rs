//! The party school: a general branch runs a candidates' class, enrols its candidates, records
//! hours and examinations, and certifies those who finished; nobody else is let in.

use crate::common::OrgId;
use crate::common::{member_input, signed_actor, test_app, tree};
use dangjian_app::AppError;
use dangjian_domain::development::Stage;
use dangjian_domain::development::training::{ClassPlan, ExamResult, TrainingCredit};

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn a_candidates_class_certifies_who_finished_it_细则第十七条() {
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
    let bsec = signed_actor(&t.app, "bsec", "branch_secretary", Some(tree.branch_a.id)).await;
    let add = |name: &'static str, status: &'static str, org: OrgId, n: u32| {
        let app = t.app.clone();
        let admin = admin.clone();
        async move {
            let mut input = member_input(name, (2002, 3, 1), n);
            input.status = status.into();
            input.join_date.clear();
            input.confirmation_date.clear();
            app.people()
                .add(&admin, org, None, &input)
                .await
                .unwrap()
                .id
        }
    };
    let candidate = add("钱发展", "发展对象", tree.branch_a.id, 1).await;
    let activist = add("孙积极", "入党积极分子", tree.branch_a.id, 2).await;
    let elsewhere = add("周直属", "发展对象", tree.direct.id, 3).await;

    let plan = ClassPlan::parse(
        "2026年秋季发展对象培训班",
        Stage::Candidate,
        (day("2026-10-12"), day("2026-10-14")),
        24,
    )
    .unwrap();
    // A branch secretary cannot run a class for the general branch.
    assert!(
        t.app
            .development()
            .create_class(&bsec, tree.gb.id, plan.clone())
            .await
            .is_err()
    );
    let class = t
        .app
        .development()
        .create_class(&gbsec, tree.gb.id, plan)
        .await
        .unwrap();

    // Only candidates of the organizer's subtree may join; a refusal enrols nobody.
    let err = t
        .app
        .development()
        .enrol(&gbsec, class.id, &[candidate, activist])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("孙积极 是入党积极分子"), "{err}");
    let err = t
        .app
        .development()
        .enrol(&admin, class.id, &[elsewhere])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不在主办党组织的范围内"), "{err}");
    assert!(
        t.app
            .development()
            .training_class(&gbsec, class.id)
            .await
            .unwrap()
            .trainees
            .is_empty()
    );
    assert_eq!(
        t.app
            .development()
            .enrol(&gbsec, class.id, &[candidate])
            .await
            .unwrap(),
        1
    );
    assert!(matches!(
        t.app
            .development()
            .enrol(&gbsec, class.id, &[candidate])
            .await,
        Err(AppError::Conflict { .. })
    ));

    // No certificate without the whole class; with it, a numbered certificate.
    let err = t
        .app
        .development()
        .record_training_result(&gbsec, class.id, candidate, (20, ExamResult::Passed))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("细则第十七条"), "{err}");
    let done = t
        .app
        .development()
        .record_training_result(&gbsec, class.id, candidate, (24, ExamResult::Passed))
        .await
        .unwrap();
    assert_eq!(done.trainee.certificate.as_deref(), Some("20261012-001"));

    // The branch secretary reads the person's classes, not the general branch's list.
    let mine = t
        .app
        .development()
        .person_training(&bsec, candidate)
        .await
        .unwrap();
    assert_eq!(mine.credit, TrainingCredit { hours: 24, days: 3 });
    assert!(
        t.app
            .development()
            .training_classes(&bsec)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        t.app.development().training_classes(&admin).await.unwrap()[0].certified,
        1
    );
    // Out of scope it is as if it did not exist.
    assert!(matches!(
        t.app.development().training_class(&bsec, class.id).await,
        Err(AppError::NotFound)
    ));
}
