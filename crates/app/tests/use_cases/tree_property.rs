//! Property: scope follows the tree. Over random trees changed by random moves, merges,
//! dissolutions and transfers, every record scoped by an organization (meetings, training
//! classes, development steps and their documents, disciplines) is read by exactly those
//! whose grant covers its organization as the tree stands now — and no stored path, in any
//! table of the schema, is left pointing where its organization or person used to be.

use crate::common;
use crate::common::{OrgId, PersonId};
use crate::common::{add_members, new_org, signed_actor, test_app};
use dangjian_app::development::StepInput;
use dangjian_app::{Actor, App};
use dangjian_domain::development::training::ClassPlan;
use dangjian_domain::development::{Stage, Step, StepDetail};
use dangjian_domain::meetings::{MeetingKind, MeetingPlan};
use dangjian_domain::org::Org;
use dangjian_domain::people::discipline::{Discipline, DisciplineKind};
use proptest::prelude::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A change of the tree, by indexes into the branches and general branches of the case.
#[derive(Debug, Clone)]
enum Change {
    /// A branch goes under another general branch (or the committee, for `None`).
    Move(prop::sample::Index, Option<prop::sample::Index>),
    /// A branch merges into another branch.
    Merge(prop::sample::Index, prop::sample::Index),
    /// A branch is dissolved (refused while it has members: then nothing changes).
    Dissolve(prop::sample::Index),
    /// The first member of a branch is transferred to another branch and received there.
    Transfer(prop::sample::Index, prop::sample::Index),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (
            any::<prop::sample::Index>(),
            any::<Option<prop::sample::Index>>()
        )
            .prop_map(|(b, g)| Change::Move(b, g)),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Change::Merge(a, b)),
        any::<prop::sample::Index>().prop_map(Change::Dissolve),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Change::Transfer(a, b)),
    ]
}

/// What was recorded in one branch, to be read again after the changes.
struct Records {
    meeting: dangjian_domain::ids::MeetingId,
    applicant: PersonId,
    document: i64,
    disciplined: PersonId,
}

/// The current path of an organization, as the tree says.
async fn path_of(app: &App, admin: &Actor, id: OrgId) -> dangjian_domain::org::OrgPath {
    app.org().get(admin, id).await.unwrap().path
}

async fn check(general_branches: usize, branches: Vec<usize>, changes: Vec<Change>) {
    let t = test_app().await;
    let app = &t.app;
    let root = app
        .org()
        .found_root(&Actor::console(), new_org("党委", "committee"))
        .await
        .unwrap();
    let admin = signed_actor(app, "orgdept", "org_department", Some(root.id)).await;
    let mut gbs: Vec<Org> = Vec::new();
    for g in 0..general_branches {
        gbs.push(
            app.org()
                .found(
                    &admin,
                    root.id,
                    new_org(&format!("总支{g}"), "general_branch"),
                )
                .await
                .unwrap(),
        );
    }
    // Each branch under a general branch, or directly under the committee.
    let mut branch_orgs: Vec<Org> = Vec::new();
    for (i, at) in branches.iter().enumerate() {
        let parent = gbs.get(*at).map_or(root.id, |g| g.id);
        branch_orgs.push(
            app.org()
                .found(&admin, parent, new_org(&format!("支部{i}"), "branch"))
                .await
                .unwrap(),
        );
    }
    // One reader for each organization, granted there.
    let mut readers: Vec<(String, OrgId)> = Vec::new();
    for (i, g) in gbs.iter().enumerate() {
        let name = format!("reader-gb{i}");
        signed_actor(app, &name, "general_branch_secretary", Some(g.id)).await;
        readers.push((name, g.id));
    }
    for (i, b) in branch_orgs.iter().enumerate() {
        let name = format!("reader-b{i}");
        signed_actor(app, &name, "branch_secretary", Some(b.id)).await;
        readers.push((name, b.id));
    }

    let class = app
        .development()
        .create_class(
            &admin,
            gbs.first().map_or(root.id, |g| g.id),
            ClassPlan::parse(
                "发展对象培训班",
                Stage::Candidate,
                (day("2026-10-12"), day("2026-10-14")),
                24,
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let mut records = Vec::new();
    for (i, b) in branch_orgs.iter().enumerate() {
        let seq = 100 + 10 * u32::try_from(i).unwrap();
        let members = add_members(app, &admin, b.id, &["甲", "乙", "丙"], seq).await;
        let starts =
            chrono::NaiveDateTime::parse_from_str("2026-12-10 14:30", "%Y-%m-%d %H:%M").unwrap();
        let plan = MeetingPlan::parse(
            MeetingKind::ThemeDay,
            "主题党日",
            starts,
            "活动室",
            ("", ""),
        )
        .unwrap();
        let meeting = app.meetings().plan(&admin, b.id, plan).await.unwrap().id;
        let mut applicant = common::member_input("丁", (2000, 5, 1), seq + 5);
        applicant.status = "群众".into();
        applicant.join_date.clear();
        applicant.confirmation_date.clear();
        let applicant = app
            .people()
            .add(&admin, b.id, None, &applicant)
            .await
            .unwrap()
            .id;
        let step = app
            .development()
            .record_step(
                &admin,
                applicant,
                StepInput {
                    step: Step::Application,
                    on: day("2026-03-01"),
                    body: None,
                    detail: StepDetail::Plain,
                    member_ids: Vec::new(),
                    roll: Vec::new(),
                    note: String::new(),
                    override_reason: None,
                },
            )
            .await
            .unwrap();
        let document = app
            .attachments()
            .upload_step_document(
                &admin,
                (applicant, step.id),
                Some("入党申请书"),
                "申请书.png",
                PNG,
            )
            .await
            .unwrap()
            .id;
        let discipline = Discipline::parse(
            DisciplineKind::Warning,
            day("2026-03-01"),
            None,
            ("支部大会决定，经上级党委批准", "违反工作纪律"),
            day("2026-11-23"),
        )
        .unwrap();
        app.people()
            .record_discipline(&admin, members[1], discipline)
            .await
            .unwrap();
        records.push(Records {
            meeting,
            applicant,
            document,
            disciplined: members[1],
        });
    }

    for change in changes {
        match change {
            Change::Move(b, g) => {
                let to = g.map_or(root.id, |g| g.get(&gbs).id);
                let _ = app.org().move_org(&admin, b.get(&branch_orgs).id, to).await;
            }
            Change::Merge(a, b) => {
                let (a, b) = (a.get(&branch_orgs).id, b.get(&branch_orgs).id);
                let _ = app.org().merge(&admin, a, b).await;
            }
            Change::Dissolve(b) => {
                let _ = app.org().dissolve(&admin, b.get(&branch_orgs).id).await;
            }
            Change::Transfer(a, b) => {
                let person = a.get(&records).applicant;
                let to = b.get(&branch_orgs).id;
                if let Ok(transfer) = app
                    .people()
                    .start_transfer(&admin, person, Some(to), None, "工作调动")
                    .await
                {
                    app.people()
                        .receive_transfer(&admin, transfer.id)
                        .await
                        .unwrap();
                }
            }
        }
    }

    let db = app.store().db();
    assert_eq!(
        dangjian_store::undeclared_path_columns(db).await.unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        dangjian_store::stale_paths(db).await.unwrap(),
        Vec::<String>::new()
    );

    let class_path = path_of(app, &admin, class.org_id).await;
    for (name, granted) in &readers {
        let actor = common::demo_actor(app, name).await;
        let scope = path_of(app, &admin, *granted).await;
        let covers = |path: &dangjian_domain::org::OrgPath| scope.contains(path);
        assert_eq!(
            app.development()
                .training_class(&actor, class.id)
                .await
                .is_ok(),
            covers(&class_path),
            "{name} reads the class"
        );
        for r in &records {
            let meeting = app.meetings().get(&admin, r.meeting).await.unwrap();
            let meeting_path = path_of(app, &admin, meeting.meeting.org_id).await;
            assert_eq!(
                app.meetings().get(&actor, r.meeting).await.is_ok(),
                covers(&meeting_path),
                "{name} reads the meeting"
            );
            let person = app.people().get(&admin, r.applicant).await.unwrap();
            let person_path = path_of(app, &admin, person.person.org_id).await;
            assert_eq!(
                app.development()
                    .of_person(&actor, r.applicant)
                    .await
                    .is_ok(),
                covers(&person_path),
                "{name} reads the development record"
            );
            assert_eq!(
                app.attachments().download(&actor, r.document).await.is_ok(),
                covers(&person_path),
                "{name} downloads the application"
            );
            let disciplined = app.people().get(&admin, r.disciplined).await.unwrap();
            let disciplined_path = path_of(app, &admin, disciplined.person.org_id).await;
            assert_eq!(
                app.people()
                    .disciplines(&actor, r.disciplined)
                    .await
                    .is_ok(),
                covers(&disciplined_path),
                "{name} reads the disciplines"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn every_record_is_read_by_those_whose_grant_covers_its_organization_now(
        general_branches in 1usize..3,
        branches in proptest::collection::vec(0usize..3, 2..4),
        changes in proptest::collection::vec(change(), 1..5),
    ) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(check(general_branches, branches, changes));
    }
}
