//! A fresh platform per test: SQLite in a temporary folder, or a new PostgreSQL database on
//! the server named by `DANGJIAN_TEST_DATABASE_URL`.

#![allow(dead_code)]

use chrono::TimeZone;
use dangjian_app::{Actor, App, DbConfig};
use dangjian_domain::clock::FixedClock;
pub use dangjian_domain::ids::{OrgId, PersonId};
use dangjian_domain::org::{NewOrg, Org};
use dangjian_domain::people::{NationalId, PersonInput};
use sea_orm::{ConnectionTrait, Database};
use std::sync::Arc;

pub struct TestApp {
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub dir: tempfile::TempDir,
    /// The database, for a second app server on it (`another_server`).
    pub config: DbConfig,
}

pub async fn test_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temporary folder");
    let clock = Arc::new(FixedClock::new(
        chrono::Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(),
    ));
    let config = match std::env::var("DANGJIAN_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => DbConfig::Postgres {
            url: fresh_postgres(&url).await,
        },
        _ => DbConfig::Sqlite {
            data_dir: dir.path().to_owned(),
        },
    };
    let app = App::open(config.clone(), dir.path().to_owned(), clock.clone())
        .await
        .expect("open the platform");
    TestApp {
        app,
        clock,
        dir,
        config,
    }
}

impl TestApp {
    /// Moves the clock to `day` at the same time of day, back or forward: a roster
    /// registered years ago, then today again.
    pub fn move_clock_to(&self, day: &str) {
        let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        self.clock.advance(day - self.app.clock().today());
    }
}

/// A 支部党员大会 of `org` held on `on` (at 14:30), with `present` signed in and everyone
/// else expected absent: the meeting a vote is taken at.
pub async fn general_meeting(
    app: &App,
    secretary: &Actor,
    org: OrgId,
    on: &str,
    present: &[PersonId],
) -> dangjian_domain::ids::MeetingId {
    use dangjian_domain::meetings::MeetingKind;
    let kind = (MeetingKind::GeneralMeeting, "支部党员大会：讨论发展党员");
    held_meeting(app, secretary, (org, kind), on, present)
        .await
        .id
}

/// A meeting of `org` of `kind` (with its topic) held on `on` at 14:30, with `present`
/// signed in and everyone else expected absent.
pub async fn held_meeting(
    app: &App,
    secretary: &Actor,
    (org, (kind, topic)): (OrgId, (dangjian_domain::meetings::MeetingKind, &str)),
    on: &str,
    present: &[PersonId],
) -> dangjian_domain::meetings::Meeting {
    use dangjian_domain::meetings::{Attendance, MeetingPlan};
    let starts =
        chrono::NaiveDateTime::parse_from_str(&format!("{on} 14:30"), "%Y-%m-%d %H:%M").unwrap();
    // A 党课 names its lecturer: here a visitor, so it is not the secretary's lecture.
    let visitor = dangjian_domain::meetings::Lecturer::parse(None, "党校 李老师").unwrap();
    let plan = MeetingPlan::parse(kind, topic, starts, "党员活动室", ("", ""))
        .unwrap()
        .with_lecturer(visitor);
    let m = app.meetings().plan(secretary, org, plan).await.unwrap();
    let roll: Vec<_> = present
        .iter()
        .map(|p| (*p, Attendance::Present, String::new()))
        .collect();
    app.meetings()
        .hold(secretary, m.id, &roll, ("学习交流", ""))
        .await
        .unwrap()
}

/// Another app server on the database and data folder of `t`, with the same clock: what a
/// second `dangjian serve` (or a command run beside the server) opens.
pub async fn another_server(t: &TestApp) -> dangjian_app::Result<App> {
    App::open(t.config.clone(), t.dir.path().to_owned(), t.clock.clone()).await
}

/// Creates a database of its own on the server; `scripts/test` drops them before each run.
async fn fresh_postgres(server_url: &str) -> String {
    let name = format!("dj_test_{}", uuid_like());
    let admin = Database::connect(server_url)
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let base = server_url.rsplit_once('/').map_or(server_url, |(b, _)| b);
    format!("{base}/{name}")
}

fn uuid_like() -> String {
    let n: u64 = rand_u64();
    format!("{n:016x}")
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

pub fn new_org(name: &str, kind: &str) -> NewOrg {
    NewOrg::parse(
        name,
        kind,
        "",
        "",
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
    )
    .unwrap()
}

/// A university committee with one general branch holding two branches, and one direct branch.
pub struct Tree {
    pub root: Org,
    pub gb: Org,
    pub branch_a: Org,
    pub branch_b: Org,
    pub direct: Org,
}

pub async fn tree(app: &App) -> Tree {
    let console = Actor::console();
    let root = app
        .org()
        .found_root(&console, new_org("示范大学党委", "committee"))
        .await
        .unwrap();
    let admin = signed_actor(app, "orgdept", "org_department", Some(root.id)).await;
    let gb = app
        .org()
        .found(&admin, root.id, new_org("机械学院党总支", "general_branch"))
        .await
        .unwrap();
    let branch_a = app
        .org()
        .found(&admin, gb.id, new_org("教工第一党支部", "branch"))
        .await
        .unwrap();
    let branch_b = app
        .org()
        .found(&admin, gb.id, new_org("学生第一党支部", "branch"))
        .await
        .unwrap();
    let direct = app
        .org()
        .found(&admin, root.id, new_org("图书馆党支部", "branch"))
        .await
        .unwrap();
    Tree {
        root,
        gb,
        branch_a,
        branch_b,
        direct,
    }
}

pub const PASSWORD: &str = "Test-Pass-2026";

/// An account with one grant, as the actor its session would give.
pub async fn signed_actor(app: &App, username: &str, role: &str, org: Option<OrgId>) -> Actor {
    let console = Actor::console();
    let (account, _) = app
        .accounts()
        .create(&console, username, username, Some(PASSWORD), true)
        .await
        .unwrap();
    app.accounts()
        .grant(&console, account.id, role, org)
        .await
        .unwrap();
    let signed = app
        .accounts()
        .sign_in(username, PASSWORD, &Default::default())
        .await
        .unwrap_or_else(|e| panic!("{username}: {e}"));
    app.accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap()
        .actor
}

/// A roster entry that passes every check: a full member born on `birth`, with a valid ID.
/// A person of the roster who activated their own account with `PASSWORD`, as the actor
/// their session would give.
pub async fn activated_actor(app: &App, input: &PersonInput) -> Actor {
    let issued = app
        .accounts()
        .issue_activation_code(&Actor::console(), &input.staff_no)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", input.name));
    app.accounts()
        .activate_account(
            &input.name,
            &input.national_id,
            (&input.staff_no, &issued.code),
            PASSWORD,
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", input.name));
    session_of(app, &input.staff_no).await
}

/// A fresh session of an account with the test password: the grants it holds now.
pub async fn session_of(app: &App, username: &str) -> Actor {
    let signed = app
        .accounts()
        .sign_in(username, PASSWORD, &Default::default())
        .await
        .unwrap();
    app.accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap()
        .actor
}

/// An applicant (入党申请人) of the roster: no party dates.
pub fn applicant_input(name: &str, birth: (i32, u32, u32), sequence: u32) -> PersonInput {
    PersonInput {
        status: "入党申请人".into(),
        join_date: String::new(),
        confirmation_date: String::new(),
        ..member_input(name, birth, sequence)
    }
}

pub fn member_input(name: &str, birth: (i32, u32, u32), sequence: u32) -> PersonInput {
    let birth = chrono::NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap();
    PersonInput {
        name: name.into(),
        national_id: NationalId::compose(110101, birth, sequence).as_str().into(),
        ethnicity: "汉族".into(),
        education: "硕士研究生".into(),
        category: "教职工".into(),
        staff_no: format!("T{sequence:05}"),
        phone: "13800138000".into(),
        status: "正式党员".into(),
        join_date: "2015-06-01".into(),
        confirmation_date: "2016-06-01".into(),
        ..Default::default()
    }
}

/// Adds full members by name to an organization, their ID numbers from `sequence` on (so
/// that each test's people differ); their ids, in order.
pub async fn add_members(
    app: &App,
    admin: &Actor,
    org_id: OrgId,
    names: &[&str],
    sequence: u32,
) -> Vec<PersonId> {
    let mut ids = Vec::new();
    for (i, name) in (0u32..).zip(names) {
        let p = app
            .people()
            .add(
                admin,
                org_id,
                None,
                &member_input(name, (1985, 3, 1 + i), sequence + i),
            )
            .await
            .unwrap();
        ids.push(p.id);
    }
    ids
}

/// Branch A of `tree` with three members, the first its secretary since 2025: the organization
/// department's actor, the branch secretary's actor (accounts named after `tag`), and the
/// members' ids.
pub async fn branch_of_three(
    app: &App,
    tree: &Tree,
    tag: &str,
    sequence: u32,
) -> (Actor, Actor, Vec<PersonId>) {
    let admin = signed_actor(
        app,
        &format!("{tag}admin"),
        "org_department",
        Some(tree.root.id),
    )
    .await;
    let secretary = signed_actor(
        app,
        &format!("{tag}sec"),
        "branch_secretary",
        Some(tree.branch_a.id),
    )
    .await;
    let ids = add_members(
        app,
        &admin,
        tree.branch_a.id,
        &["甲书记", "乙党员", "丙党员"],
        sequence,
    )
    .await;
    app.org()
        .appoint(
            &admin,
            tree.branch_a.id,
            ids[0],
            dangjian_domain::org::Position::Secretary,
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        )
        .await
        .unwrap();
    (admin, secretary, ids)
}

/// A theme day of branch A held on 2026-11-20 with everyone of `ids` present (the clock of
/// `test_app` is three days later).
pub async fn held_theme_day(
    app: &App,
    tree: &Tree,
    secretary: &Actor,
    ids: &[PersonId],
) -> dangjian_domain::meetings::Meeting {
    use dangjian_domain::meetings::MeetingKind;
    let kind = (MeetingKind::ThemeDay, "11月主题党日");
    held_meeting(app, secretary, (tree.branch_a.id, kind), "2026-11-20", ids).await
}

/// A small demo university (600 members, seed 7) and its organization department's actor.
pub async fn demo_admin(app: &App) -> Actor {
    app.build_demo(600, 7, PASSWORD).await.unwrap();
    demo_actor(app, "admin").await
}

/// An account whose password is `PASSWORD` (the demo's, or one a test made), signed in.
pub async fn demo_actor(app: &App, username: &str) -> Actor {
    let signed = app
        .accounts()
        .sign_in(username, PASSWORD, &Default::default())
        .await
        .unwrap_or_else(|e| panic!("{username}: {e}"));
    app.accounts()
        .session(&signed.token, &Default::default())
        .await
        .unwrap()
        .actor
}
