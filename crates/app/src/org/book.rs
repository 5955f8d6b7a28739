//! The organization's part of the record book: its committee with their terms.

use crate::meetings::{BookPart, BookSection, BookTable, Parts, Place};
use crate::{Actor, App, Result};
use dangjian_domain::org::Org;

pub(crate) const COMMITTEE: BookSection = BookSection {
    place: Place::BeforeMeetings,
    read,
};

fn read<'a>(app: &'a App, actor: &'a Actor, org: &'a Org, _year: i32) -> Parts<'a> {
    Box::pin(parts(app, actor, org))
}

async fn parts(app: &App, actor: &Actor, org: &Org) -> Result<Vec<BookPart>> {
    let committee = app.org().committee(actor, org).await?;
    Ok(vec![BookPart {
        heading: "支部委员会".to_owned(),
        table: Some(BookTable {
            id: "book-committee",
            header: vec!["职务", "姓名", "任期"],
            rows: committee
                .iter()
                .map(|s| {
                    vec![
                        s.seat.position.label().to_owned(),
                        s.person_name.clone(),
                        format!("{} 至 {}", s.seat.term_start, s.seat.term_end),
                    ]
                })
                .collect(),
            empty: Some("缺：尚未登记支部委员会"),
        }),
        notes: Vec::new(),
    }])
}
