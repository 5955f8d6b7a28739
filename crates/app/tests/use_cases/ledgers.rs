//! The five ledgers of a branch are read from its records: a theme day held shows in the
//! ledger of organizational life with its photo as evidence, the months without one as gaps,
//! and the items kept by modules still to come say so.

use crate::common::{branch_of_three, held_theme_day, signed_actor, test_app, tree};
use dangjian_app::AppError;
use dangjian_app::ledgers::{LedgerEntry, Ledgers};
use dangjian_domain::ledgers::{Gap, LedgerItem, LedgerKind};

fn item(l: &Ledgers, item: LedgerItem) -> &LedgerEntry {
    l.ledgers
        .iter()
        .flat_map(|(_, items)| items)
        .find(|e| e.item == item)
        .unwrap()
}

#[tokio::test]
async fn the_five_ledgers_are_views_over_the_records_with_their_gaps_seed_001_三() {
    let t = test_app().await;
    let tree = tree(&t.app).await;
    let (_, secretary, ids) = branch_of_three(&t.app, &tree, "ledger", 30).await;
    let m = held_theme_day(&t.app, &tree, &secretary, &ids).await;

    let l = t
        .app
        .ledgers()
        .of_org(&secretary, tree.branch_a.id, 2026)
        .await
        .unwrap();
    assert_eq!(
        l.ledgers.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        LedgerKind::ALL
    );
    assert_eq!(l.checker.as_deref(), Some("甲书记"));
    assert_eq!(l.compiler, None, "no organization commissioner");
    let theme = item(&l, LedgerItem::ThemeDays);
    assert_eq!((theme.records, theme.evidence), (1, 0));
    // The gaps are typed: the count with the kind, the text only where it is shown.
    assert!(theme.gaps.contains(&Gap::NoPhoto(1)), "{:?}", theme.gaps);
    assert!(theme.gaps.contains(&Gap::Unlocked(1)), "{:?}", theme.gaps);
    assert!(
        theme
            .gaps
            .iter()
            .any(|g| g.to_string().contains("没有照片")),
        "{:?}",
        theme.gaps
    );
    assert!(
        theme
            .gaps
            .iter()
            .any(|g| g.to_string().contains("尚未经书记确认")),
        "{:?}",
        theme.gaps
    );
    assert!(
        theme
            .gaps
            .iter()
            .any(|g| g.to_string().contains("2026-01-01 至 2026-01-31 未召开")),
        "{:?}",
        theme.gaps
    );
    assert!(
        !theme
            .gaps
            .iter()
            .any(|g| g.to_string().contains("2026-11-01")),
        "{:?}",
        theme.gaps
    );
    assert_eq!(item(&l, LedgerItem::MemberRoster).records, 3);
    let talks = item(&l, LedgerItem::HeartTalks);
    assert!(
        talks.gaps.iter().any(|g| g.to_string().contains("3 人")),
        "{:?}",
        talks.gaps
    );
    // Items of modules still to come are marked, not counted as empty.
    assert!(!item(&l, LedgerItem::DuesCollection).kept());
    assert!(item(&l, LedgerItem::ThemeDays).kept());

    // With its photo and the secretary's lock, the theme day's own gaps close.
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
    t.app
        .attachments()
        .upload_meeting_photo(&secretary, m.id, "会场.png", png)
        .await
        .unwrap();
    t.app.meetings().lock(&secretary, m.id).await.unwrap();
    let l = t
        .app
        .ledgers()
        .of_org(&secretary, tree.branch_a.id, 2026)
        .await
        .unwrap();
    let theme = item(&l, LedgerItem::ThemeDays);
    assert_eq!(theme.evidence, 1);
    assert!(
        !theme
            .gaps
            .iter()
            .any(|g| g.to_string().contains("照片") || g.to_string().contains("确认"))
    );

    // Read only where the reader reads records; a year to come is refused by name.
    let member = signed_actor(&t.app, "member1", "member", Some(tree.branch_a.id)).await;
    assert!(matches!(
        t.app
            .ledgers()
            .of_org(&member, tree.branch_a.id, 2026)
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        t.app.ledgers().of_org(&secretary, tree.branch_a.id, 2027).await,
        Err(AppError::Invalid(ref f)) if f.field == "year"
    ));
}
