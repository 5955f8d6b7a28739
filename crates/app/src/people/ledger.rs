//! The people's items of the 党员信息台账: the roster and the sanctions.

use crate::ledgers::{Entries, LedgerEntry, LedgerLink, LedgerSource, LedgerYear};
use crate::{Actor, App, Result};
use dangjian_domain::ids::PersonId;
use dangjian_domain::ledgers::{Gap, LedgerItem};
use dangjian_domain::org::OrgKind;

pub(crate) const LEDGER: LedgerSource = LedgerSource {
    items: &[LedgerItem::MemberRoster, LedgerItem::Disciplines],
    read,
};

fn read<'a>(app: &'a App, actor: &'a Actor, at: &'a LedgerYear) -> Entries<'a> {
    Box::pin(entries(app, actor, at))
}

async fn entries(app: &App, actor: &Actor, at: &LedgerYear) -> Result<Vec<LedgerEntry>> {
    let db = app.store.db();
    let id = at.org.id;
    let member_ids: Vec<PersonId> = dangjian_store::people::current_of_org(db, id)
        .await?
        .into_iter()
        .filter(|(_, s)| s.is_member())
        .map(|(p, _)| p)
        .collect();
    let people = dangjian_store::people::by_ids(db, &actor.access, &member_ids).await?;
    let has_groups = app
        .org()
        .children(actor, id, None)
        .await?
        .iter()
        .any(|c| c.kind == OrgKind::Group && c.is_active());
    let mut roster = LedgerEntry::new(LedgerItem::MemberRoster);
    roster.records = people.len();
    roster.link = Some(LedgerLink::Roster);
    let no_phone: Vec<String> = people
        .iter()
        .filter(|r| r.phone_cipher.is_none())
        .map(|r| r.person.name.clone())
        .collect();
    roster.gaps.extend(Gap::of(no_phone, Gap::NoPhone));
    let no_group: Vec<String> = people
        .iter()
        .filter(|r| r.person.group_id.is_none())
        .map(|r| r.person.name.clone())
        .collect();
    roster.gaps.extend(Gap::not_in_group(has_groups, no_group));

    let sanctions = dangjian_store::discipline::of_people(db, &member_ids).await?;
    let mut disciplines = LedgerEntry::new(LedgerItem::Disciplines);
    disciplines.records = sanctions
        .iter()
        .filter(|d| at.holds(d.discipline.decided_on))
        .count();
    Ok(vec![roster, disciplines])
}
