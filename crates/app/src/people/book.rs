//! The people's part of the record book: the roster of its members today.

use crate::meetings::{BookPart, BookSection, BookTable, Parts, Place};
use crate::people::PeopleQuery;
use crate::{Actor, App, Result};
use dangjian_domain::org::Org;
use dangjian_domain::paging::{MAX_PER_PAGE, Paging};

pub(crate) const ROSTER: BookSection = BookSection {
    place: Place::BeforeMeetings,
    read,
};

/// The roster's table on the page.
pub(crate) const ROSTER_TABLE: &str = "book-members";

fn read<'a>(app: &'a App, actor: &'a Actor, org: &'a Org, _year: i32) -> Parts<'a> {
    Box::pin(parts(app, actor, org))
}

/// The members today, at most `MAX_PER_PAGE` (a branch normally has at most 50).
async fn parts(app: &App, actor: &Actor, org: &Org) -> Result<Vec<BookPart>> {
    let page = app
        .people()
        .list(
            actor,
            &PeopleQuery {
                under: Some(org.id),
                members_only: true,
                ..Default::default()
            },
            Paging {
                page: 1,
                per_page: MAX_PER_PAGE,
            },
        )
        .await?;
    // A roster longer than a page says where the rest is, rather than stopping silently.
    let (total, members) = (page.total, page.items);
    let notes = if total > members.len() as u64 {
        vec![(
            format!(
                "名册共 {total} 人，此处列出前 {} 人；完整名册请在“党员名册”页面导出。",
                members.len()
            ),
            false,
        )]
    } else {
        Vec::new()
    };
    Ok(vec![BookPart {
        heading: format!("党员名册（{total} 人）"),
        table: Some(BookTable {
            id: ROSTER_TABLE,
            header: vec!["姓名", "性别", "出生年月", "类别", "党员身份", "入党时间"],
            rows: members
                .iter()
                .map(|r| {
                    let p = &r.person;
                    vec![
                        p.name.clone(),
                        p.gender.label().to_owned(),
                        p.birth_date.format("%Y-%m").to_string(),
                        p.category.label().to_owned(),
                        p.status.label().to_owned(),
                        p.join_date.map(|d| d.to_string()).unwrap_or_default(),
                    ]
                })
                .collect(),
            empty: None,
        }),
        notes,
    }])
}
