//! Ids stay unique across app servers on one database (SQLite, or PostgreSQL when
//! DANGJIAN_TEST_DATABASE_URL names a server): each process leases a node of its own, gives it
//! back at a clean end, and takes over a node only once its holder stopped renewing it.

use crate::common::{another_server, member_input, new_org, signed_actor, test_app, tree};
use dangjian_app::roster::COLUMNS;
use dangjian_app::{Actor, App, AppError};
use dangjian_domain::clock::Clock;
use dangjian_domain::ids::NodeId;
use dangjian_domain::people::roster::BatchState;
use dangjian_domain::people::{NationalId, PersonInput};
use dangjian_store::{ConnectionTrait, StoreError};
use rust_xlsxwriter::Workbook;
use std::time::{Duration, Instant};

/// A heartbeat no clock reaches: a node held by a live process.
const LIVE: i64 = 9_000_000_000_000_000;

async fn sql(app: &App, statement: &str) {
    app.store()
        .db()
        .execute_unprepared(statement)
        .await
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

async fn one_i64(app: &App, query: &str) -> i64 {
    let db = app.store().db();
    db.query_one_raw(sea_orm::Statement::from_string(
        db.get_database_backend(),
        query,
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index::<i64>(0)
    .unwrap()
}

/// Every node but `free` held by live processes elsewhere.
async fn hold_all_but(app: &App, free: &[NodeId]) {
    let free: Vec<String> = free.iter().map(|n| n.to_string()).collect();
    sql(
        app,
        &format!(
            "UPDATE id_nodes SET holder = 'a server elsewhere', heartbeat_ms = {LIVE} \
             WHERE node NOT IN ({})",
            free.join(", ")
        ),
    )
    .await;
}

fn node_lost(result: Result<impl std::fmt::Debug, AppError>) -> bool {
    matches!(result, Err(AppError::Store(StoreError::NodeLost)))
}

#[tokio::test]
async fn two_servers_on_one_database_hold_different_nodes() {
    let t = test_app().await;
    let other = another_server(&t).await.unwrap();
    assert_ne!(t.app.store().id_node(), other.store().id_node());
    let held = one_i64(
        &t.app,
        "SELECT COUNT(*) FROM id_nodes WHERE holder IS NOT NULL",
    )
    .await;
    assert_eq!(held, 2);
}

/// A roster file: the template's header and one row per person.
fn roster(people: &[PersonInput], branch: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (i, (h, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    for (r, p) in (1u32..).zip(people) {
        let cells = [
            &p.name,
            &p.national_id,
            &p.ethnicity,
            &p.native_place,
            &p.education,
            &p.degree,
            &p.title_level,
            &p.title,
            &p.category,
            &p.school,
            &p.class_name,
            &p.staff_no,
            &p.phone,
            &p.status,
            &p.join_date,
            &p.confirmation_date,
        ];
        for (c, v) in (0u16..).zip(cells) {
            sheet.write_string(r, c, v).unwrap();
        }
        sheet.write_string(r, 16, branch).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// `n` distinct members, told apart from another server's by `tag`.
fn members(n: u32, tag: char, born: i32) -> Vec<PersonInput> {
    let first = chrono::NaiveDate::from_ymd_opt(born, 1, 1).unwrap();
    (0..n)
        .map(|k| {
            let birth = first + chrono::Duration::days(i64::from(k / 900));
            let mut p = member_input("王同志", (born, 1, 1), 0);
            p.national_id = NationalId::compose(110101, birth, k % 900).as_str().into();
            p.staff_no = format!("{tag}{k:05}");
            p
        })
        .collect()
}

async fn imported(app: &App, actor: &Actor, batch: i64) -> BatchState {
    let waiting = Instant::now();
    while waiting.elapsed() < Duration::from_secs(60) {
        let b = app.people().import_batch(actor, batch).await.unwrap();
        if b.state != BatchState::Applying {
            return b.state;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the import did not finish");
}

/// What went wrong before nodes: an import on one server ran its ids ahead of the clock into
/// the ids another server issued next. Both servers' clocks stand still here, so every id past
/// the first is one step ahead of the clock.
#[tokio::test]
async fn two_servers_importing_at_once_never_issue_the_same_id() {
    const ROWS: u32 = 2_000;
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let other = another_server(&t).await.unwrap();
    let admin = signed_actor(&t.app, "importer", "org_department", Some(tree.root.id)).await;
    let file_a = roster(&members(ROWS, 'A', 1980), "教工第一党支部");
    let file_b = roster(&members(ROWS, 'B', 1990), "学生第一党支部");
    let started = Instant::now();
    let (a, b) = tokio::join!(
        t.app
            .people()
            .stage_import(&admin, tree.branch_a.id, "甲.xlsx", &file_a),
        other
            .people()
            .stage_import(&admin, tree.branch_b.id, "乙.xlsx", &file_b),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.errors.is_empty() && b.errors.is_empty(), "{:?}", a.errors);
    let (batch_a, batch_b) = (a.batch_id.unwrap(), b.batch_id.unwrap());
    let staged = started.elapsed();
    // Both servers write at once, and meanwhile each adds people one by one too.
    let (applied_a, applied_b) = tokio::join!(
        t.app.people().apply_import(&admin, batch_a),
        other.people().apply_import(&admin, batch_b)
    );
    applied_a.unwrap();
    applied_b.unwrap();
    let mut singles = Vec::new();
    for k in 0..20u32 {
        let (server, branch) = if k % 2 == 0 {
            (&t.app, tree.branch_a.id)
        } else {
            (&other, tree.branch_b.id)
        };
        let mut p = member_input("单独录入", (1970, 1, 1 + k), k);
        p.staff_no = format!("S{k:05}");
        singles.push(
            server
                .people()
                .add(&admin, branch, None, &p)
                .await
                .unwrap()
                .id,
        );
    }
    let (state_a, state_b) = tokio::join!(
        imported(&t.app, &admin, batch_a),
        imported(&other, &admin, batch_b)
    );
    eprintln!(
        "{} rows staged in {staged:?}, applied by {:?}",
        2 * ROWS,
        started.elapsed()
    );
    assert_eq!(
        (state_a, state_b),
        (BatchState::Applied, BatchState::Applied)
    );

    let in_batch = |batch: i64| format!("FROM persons WHERE import_batch_id = {batch}");
    for (batch, server) in [(batch_a, &t.app), (batch_b, &other)] {
        let node = server.store().id_node().get();
        assert_eq!(
            one_i64(&t.app, &format!("SELECT COUNT(*) {}", in_batch(batch))).await,
            i64::from(ROWS)
        );
        // Every id of a server's import carries its node: none strayed into the other's.
        assert_eq!(
            one_i64(
                &t.app,
                &format!("SELECT COUNT(*) {} AND id % 64 = {node}", in_batch(batch))
            )
            .await,
            i64::from(ROWS)
        );
    }
    assert_eq!(
        one_i64(&t.app, "SELECT COUNT(DISTINCT id) FROM persons").await,
        i64::from(2 * ROWS) + 20
    );
    assert!(singles.iter().all(|id| id.get() < 1 << 53));
}

#[tokio::test]
async fn a_released_node_is_claimed_again_and_continues_after_its_last_id() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let admin = signed_actor(&t.app, "before", "org_department", Some(tree.root.id)).await;
    let node = t.app.store().id_node();
    let highest = tree.direct.id.get();
    t.app.release().await.unwrap();
    let (holder, last_id) = (
        one_i64(
            &t.app,
            &format!("SELECT COUNT(holder) FROM id_nodes WHERE node = {node}"),
        )
        .await,
        one_i64(
            &t.app,
            &format!("SELECT last_id FROM id_nodes WHERE node = {node}"),
        )
        .await,
    );
    assert_eq!(holder, 0, "given back");
    assert!(last_id >= highest);
    assert!(
        node_lost(
            t.app
                .org()
                .found(&admin, tree.root.id, new_org("晚到的支部", "branch"))
                .await
        ),
        "a store that gave its node back writes no more"
    );

    hold_all_but(&t.app, &[node]).await;
    let next = another_server(&t).await.unwrap();
    assert_eq!(next.store().id_node(), node);
    let admin = signed_actor(&next, "later", "org_department", Some(tree.root.id)).await;
    let org = next
        .org()
        .found(&admin, tree.root.id, new_org("后来的支部", "branch"))
        .await
        .unwrap();
    assert!(org.id.get() > last_id);
    assert_eq!(NodeId::of(org.id.get()), node);
}

#[tokio::test]
async fn an_expired_lease_is_taken_over_and_a_live_one_is_not() {
    let t = test_app().await;
    let mine = t.app.store().id_node();
    let theirs = NodeId::all().find(|n| *n != mine).unwrap();
    let their_last = t.app.store().new_id(t.clock.now().timestamp_millis()) + (1 << 30);
    hold_all_but(&t.app, &[mine, theirs]).await;

    // Its holder renewed it 10 seconds ago (the database runs on this machine, on its clock):
    // still theirs.
    let now = chrono::Utc::now().timestamp_millis();
    sql(
        &t.app,
        &format!(
            "UPDATE id_nodes SET holder = 'a server that stopped', heartbeat_ms = {}, \
             last_id = {their_last} WHERE node = {theirs}",
            now - 10_000
        ),
    )
    .await;
    let refused = another_server(&t).await.unwrap_err().to_string();
    assert!(refused.contains("没有空闲的编号节点"), "{refused}");

    // Silent for a minute: taken over, after the last id it recorded.
    sql(
        &t.app,
        &format!(
            "UPDATE id_nodes SET heartbeat_ms = {} WHERE node = {theirs}",
            now - 60_000
        ),
    )
    .await;
    let next = another_server(&t).await.unwrap();
    assert_eq!(next.store().id_node(), theirs);
    let org = next
        .org()
        .found_root(&Actor::console(), new_org("示范大学党委", "committee"))
        .await
        .unwrap();
    assert!(org.id.get() > their_last);
    assert_eq!(NodeId::of(org.id.get()), theirs);
}

#[tokio::test]
async fn a_server_whose_node_was_taken_over_writes_nothing_under_it_and_moves_on() {
    let t = test_app().await;
    let lost = t.app.store().id_node();
    // As if the server had been paused past its lease and another had taken the node.
    sql(
        &t.app,
        &format!(
            "UPDATE id_nodes SET holder = 'the server that took it over', heartbeat_ms = {LIVE} \
             WHERE node = {lost}"
        ),
    )
    .await;
    let console = Actor::console();
    assert!(node_lost(
        t.app
            .org()
            .found_root(&console, new_org("示范大学党委", "committee"))
            .await
    ));
    let moved = t.app.store().id_node();
    assert_ne!(moved, lost);
    let root = t
        .app
        .org()
        .found_root(&console, new_org("示范大学党委", "committee"))
        .await
        .unwrap();
    assert_eq!(NodeId::of(root.id.get()), moved);
}

/// Scripts run commands one after another; each gives its node back as it ends. With all but
/// three nodes held elsewhere, ten commands in a row run only if each gives its node back.
#[tokio::test]
async fn commands_in_a_row_give_their_nodes_back() {
    let t = test_app().await;
    let mine = t.app.store().id_node();
    let spare: Vec<NodeId> = NodeId::all().filter(|n| *n != mine).take(3).collect();
    hold_all_but(&t.app, &[&[mine][..], &spare].concat()).await;
    let started = Instant::now();
    for _ in 0..10 {
        let command = another_server(&t).await.unwrap();
        assert!(spare.contains(&command.store().id_node()));
        command.release().await.unwrap();
    }
    eprintln!("10 commands opened and ended in {:?}", started.elapsed());
    let held = one_i64(
        &t.app,
        "SELECT COUNT(*) FROM id_nodes WHERE holder IS NOT NULL AND holder <> 'a server elsewhere'",
    )
    .await;
    assert_eq!(held, 1, "only the test's own server holds a node");
}
