//! Stories of the roster as a spreadsheet: template, import with preview, bad rows reported
//! and nothing written, rollback of the latest batch, export.

use crate::common::{member_input, signed_actor, test_app, tree};
use dangjian_app::people::PeopleQuery;
use dangjian_app::roster::COLUMNS;
use dangjian_app::{Actor, App};
use dangjian_domain::paging::Paging;
use dangjian_domain::people::PersonInput;
use dangjian_domain::people::roster::BatchState;
use rust_xlsxwriter::Workbook;

/// A roster file: the template's header and the given rows.
fn roster(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (i, (h, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn row(p: &PersonInput, branch: &str) -> Vec<String> {
    vec![
        p.name.clone(),
        p.national_id.clone(),
        p.ethnicity.clone(),
        p.native_place.clone(),
        p.education.clone(),
        p.degree.clone(),
        p.title_level.clone(),
        p.title.clone(),
        p.category.clone(),
        p.school.clone(),
        p.class_name.clone(),
        p.staff_no.clone(),
        p.phone.clone(),
        p.status.clone(),
        p.join_date.clone(),
        p.confirmation_date.clone(),
        branch.to_owned(),
        String::new(),
    ]
}

async fn wait(app: &App, actor: &Actor, batch: i64) -> BatchState {
    for _ in 0..200 {
        let b = app.people().import_batch(actor, batch).await.unwrap();
        if b.state != BatchState::Applying {
            return b.state;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the import did not finish");
}

async fn total(app: &App, actor: &Actor) -> u64 {
    app.people()
        .list(actor, &PeopleQuery::default(), Paging::default())
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn a_roster_with_one_bad_row_imports_nothing_and_names_the_row_and_field() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(
        &t.app,
        "gbsec",
        "general_branch_secretary",
        Some(tree.gb.id),
    )
    .await;
    let good = member_input("张三", (1990, 3, 7), 101);
    let mut bad = member_input("李四", (1991, 4, 8), 102);
    bad.national_id.replace_range(
        17..,
        if bad.national_id.ends_with('1') {
            "2"
        } else {
            "1"
        },
    );
    let file = roster(&[
        row(&good, "教工第一党支部"),
        row(&bad, "教工第一党支部"),
        row(&good, "不存在的支部"),
    ]);
    let preview = t
        .app
        .people()
        .stage_import(&sec, tree.gb.id, "名册.xlsx", &file)
        .await
        .unwrap();
    assert!(preview.batch_id.is_none());
    let at: Vec<_> = preview
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str()))
        .collect();
    assert_eq!(at, [(3, "身份证号"), (4, "所在党支部"), (4, "身份证号")]);
    assert!(preview.errors[0].message.contains("校验位"));
    assert!(preview.errors[2].message.contains("与第 2 行重复"));
    assert_eq!(total(&t.app, &sec).await, 0);

    // Fixed, it stages, previews and applies whole.
    let mut fixed = member_input("李四", (1991, 4, 8), 102);
    fixed.category = "学生".into();
    fixed.school = "机械工程学院".into();
    let file = roster(&[row(&good, "教工第一党支部"), row(&fixed, "学生第一党支部")]);
    let preview = t
        .app
        .people()
        .stage_import(&sec, tree.gb.id, "名册.xlsx", &file)
        .await
        .unwrap();
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    assert_eq!(preview.rows, 2);
    assert_eq!(total(&t.app, &sec).await, 0, "a preview writes nothing");
    let batch = preview.batch_id.unwrap();
    t.app.people().apply_import(&sec, batch).await.unwrap();
    assert_eq!(wait(&t.app, &sec, batch).await, BatchState::Applied);
    assert_eq!(total(&t.app, &sec).await, 2);
    assert!(
        t.app.people().apply_import(&sec, batch).await.is_err(),
        "applied once"
    );

    // The same people again are refused: they are in the roster already.
    let again = t
        .app
        .people()
        .stage_import(&sec, tree.gb.id, "名册.xlsx", &file)
        .await
        .unwrap();
    assert_eq!(again.errors.len(), 2);
    assert!(again.errors[0].message.contains("已在名册中"));
}

#[tokio::test]
async fn files_that_are_not_honest_rosters_are_refused_by_name() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(
        &t.app,
        "gbsec",
        "general_branch_secretary",
        Some(tree.gb.id),
    )
    .await;
    let stage = |bytes: Vec<u8>| {
        let app = t.app.clone();
        let sec = sec.clone();
        let gb = tree.gb.id;
        async move {
            app.people()
                .stage_import(&sec, gb, "x.xlsx", &bytes)
                .await
                .unwrap_err()
                .to_string()
        }
    };
    assert!(
        stage(b"name,id\n".to_vec())
            .await
            .contains("不是有效的 Excel")
    );

    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "名字").unwrap();
    assert!(
        stage(book.save_to_buffer().unwrap())
            .await
            .contains("表头第 1 列应为“姓名”")
    );

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (i, (h, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    sheet.write_formula(1, 0, "=1+1").unwrap();
    assert!(stage(book.save_to_buffer().unwrap()).await.contains("公式"));

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (i, (h, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    sheet
        .merge_range(1, 0, 2, 0, "张三", &rust_xlsxwriter::Format::new())
        .unwrap();
    assert!(
        stage(book.save_to_buffer().unwrap())
            .await
            .contains("合并单元格")
    );

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (i, (h, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    for r in 1..=200_000u32 {
        sheet.write_number(r, 0, 1).unwrap();
    }
    assert!(
        stage(book.save_to_buffer().unwrap())
            .await
            .contains("超过每次 100000 行的上限")
    );
    assert_eq!(total(&t.app, &sec).await, 0);
}

#[tokio::test]
async fn only_the_latest_unchanged_batch_rolls_back_and_it_is_audited() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let sec = signed_actor(
        &t.app,
        "gbsec",
        "general_branch_secretary",
        Some(tree.gb.id),
    )
    .await;
    let mut batches = Vec::new();
    for (k, name) in ["王一", "王二"].iter().enumerate() {
        let p = member_input(name, (1980, 1, 1 + k as u32), 300 + k as u32);
        let file = roster(&[row(&p, "教工第一党支部")]);
        let b = t
            .app
            .people()
            .stage_import(&sec, tree.gb.id, "x.xlsx", &file)
            .await
            .unwrap()
            .batch_id
            .unwrap();
        t.app.people().apply_import(&sec, b).await.unwrap();
        assert_eq!(wait(&t.app, &sec, b).await, BatchState::Applied);
        batches.push(b);
    }
    let err = t
        .app
        .people()
        .rollback_import(&sec, batches[0])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("最近一次"));
    // A changed person keeps the batch in place.
    let found = t
        .app
        .people()
        .list(
            &sec,
            &PeopleQuery {
                q: Some("王二".into()),
                ..Default::default()
            },
            Paging::default(),
        )
        .await
        .unwrap();
    let p = &found.items[0].person;
    let mut input = member_input("王二", (1980, 1, 2), 301);
    input.native_place = "湖北武汉".into();
    t.app
        .people()
        .edit(&sec, p.id, p.version, None, &input)
        .await
        .unwrap();
    let err = t
        .app
        .people()
        .rollback_import(&sec, batches[1])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已被修改"));
    assert_eq!(total(&t.app, &sec).await, 2);

    // An unchanged latest batch goes, and the rollback is in the audit trail.
    let p = member_input("王三", (1980, 1, 9), 309);
    let file = roster(&[row(&p, "教工第一党支部")]);
    let b = t
        .app
        .people()
        .stage_import(&sec, tree.gb.id, "x.xlsx", &file)
        .await
        .unwrap()
        .batch_id
        .unwrap();
    t.app.people().apply_import(&sec, b).await.unwrap();
    assert_eq!(wait(&t.app, &sec, b).await, BatchState::Applied);
    assert_eq!(total(&t.app, &sec).await, 3);
    assert_eq!(t.app.people().rollback_import(&sec, b).await.unwrap(), 1);
    assert_eq!(total(&t.app, &sec).await, 2);
    assert_eq!(
        t.app.people().import_batch(&sec, b).await.unwrap().state,
        BatchState::RolledBack
    );
    let auditor = signed_actor(&t.app, "aud", "auditor", None).await;
    let filter = dangjian_app::AuditFilter {
        action: Some("person.import_rollback".into()),
        ..Default::default()
    };
    let found = t
        .app
        .audit()
        .search(&auditor, &filter, Paging::default())
        .await
        .unwrap();
    assert_eq!(found.total, 1);
}
