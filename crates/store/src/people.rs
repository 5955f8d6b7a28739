//! People (人员): the roster, read within the reader's scope, and the periods that keep each
//! person's membership and status history.

use crate::{Result, StoreError, WriteTx, scope};
use chrono::NaiveDate;
use dangjian_domain::ids::{AccountId, OrgId, PersonId, raw};
use dangjian_domain::org::OrgPath;
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::people::{
    Degree, Education, Gender, Person, PersonCategory, PersonStatus, TitleLevel,
};
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, Condition, FromQueryResult, QueryOrder, QuerySelect, QueryTrait};

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "persons")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub org_id: i64,
        pub org_path: String,
        pub group_id: Option<i64>,
        pub name: String,
        pub name_pinyin: String,
        pub name_initials: String,
        pub gender: String,
        pub ethnicity: String,
        pub birth_date: Date,
        pub national_id_cipher: String,
        pub national_id_index: String,
        pub national_id_masked: String,
        pub native_place: Option<String>,
        pub education: String,
        pub degree: String,
        pub title_level: String,
        pub title: Option<String>,
        pub category: String,
        pub school: Option<String>,
        pub class_name: Option<String>,
        pub staff_no: Option<String>,
        pub phone_cipher: Option<String>,
        pub phone_masked: Option<String>,
        pub status: String,
        pub join_date: Option<Date>,
        pub confirmation_date: Option<Date>,
        pub transfer_pending: bool,
        pub left_on: Option<Date>,
        pub import_batch_id: Option<i64>,
        pub version: i64,
        pub created_at: i64,
        pub updated_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod period {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "person_periods")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub person_id: i64,
        pub org_id: i64,
        pub org_path: String,
        pub status: String,
        pub from_on: Date,
        pub until_on: Option<Date>,
        pub reason: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

/// A person as stored: the readable record and what only storage holds (the organization's
/// path, the search keys and the sealed secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub person: Person,
    pub org_path: OrgPath,
    pub name_pinyin: String,
    pub name_initials: String,
    pub national_id_cipher: String,
    pub national_id_index: String,
    pub phone_cipher: Option<String>,
    pub import_batch_id: Option<i64>,
}

fn parse<T>(v: &str, f: impl Fn(&str) -> Option<T>) -> Result<T> {
    f(v).ok_or_else(|| StoreError::corrupt(v))
}

impl TryFrom<entity::Model> for PersonRecord {
    type Error = StoreError;

    fn try_from(m: entity::Model) -> Result<Self> {
        Ok(PersonRecord {
            person: Person {
                id: PersonId::new(m.id),
                org_id: OrgId::new(m.org_id),
                group_id: m.group_id.map(OrgId::new),
                gender: parse(&m.gender, Gender::parse)?,
                ethnicity: m.ethnicity,
                birth_date: m.birth_date,
                national_id_masked: m.national_id_masked,
                native_place: m.native_place,
                education: parse(&m.education, Education::parse)?,
                degree: parse(&m.degree, Degree::parse)?,
                title_level: parse(&m.title_level, TitleLevel::parse)?,
                title: m.title,
                category: parse(&m.category, PersonCategory::parse)?,
                school: m.school,
                class_name: m.class_name,
                staff_no: m.staff_no,
                phone_masked: m.phone_masked,
                status: parse(&m.status, PersonStatus::parse)?,
                join_date: m.join_date,
                confirmation_date: m.confirmation_date,
                transfer_pending: m.transfer_pending,
                left_on: m.left_on,
                version: m.version,
                name: m.name,
            },
            org_path: OrgPath::parse(&m.org_path)
                .ok_or_else(|| StoreError::corrupt(&m.org_path))?,
            name_pinyin: m.name_pinyin,
            name_initials: m.name_initials,
            national_id_cipher: m.national_id_cipher,
            national_id_index: m.national_id_index,
            phone_cipher: m.phone_cipher,
            import_batch_id: m.import_batch_id,
        })
    }
}

fn active(r: &PersonRecord, now_ms: i64) -> entity::ActiveModel {
    let p = &r.person;
    entity::ActiveModel {
        id: Set(p.id.get()),
        org_id: Set(p.org_id.get()),
        org_path: Set(r.org_path.as_str().to_owned()),
        group_id: Set(p.group_id.map(OrgId::get)),
        name: Set(p.name.clone()),
        name_pinyin: Set(r.name_pinyin.clone()),
        name_initials: Set(r.name_initials.clone()),
        gender: Set(p.gender.code().to_owned()),
        ethnicity: Set(p.ethnicity.clone()),
        birth_date: Set(p.birth_date),
        national_id_cipher: Set(r.national_id_cipher.clone()),
        national_id_index: Set(r.national_id_index.clone()),
        national_id_masked: Set(p.national_id_masked.clone()),
        native_place: Set(p.native_place.clone()),
        education: Set(p.education.code().to_owned()),
        degree: Set(p.degree.code().to_owned()),
        title_level: Set(p.title_level.code().to_owned()),
        title: Set(p.title.clone()),
        category: Set(p.category.code().to_owned()),
        school: Set(p.school.clone()),
        class_name: Set(p.class_name.clone()),
        staff_no: Set(p.staff_no.clone()),
        phone_cipher: Set(r.phone_cipher.clone()),
        phone_masked: Set(p.phone_masked.clone()),
        status: Set(p.status.code().to_owned()),
        join_date: Set(p.join_date),
        confirmation_date: Set(p.confirmation_date),
        transfer_pending: Set(p.transfer_pending),
        left_on: Set(p.left_on),
        import_batch_id: Set(r.import_batch_id),
        version: Set(p.version),
        created_at: Set(now_ms),
        updated_at: Set(now_ms),
    }
}

/// Inserts people in statements of a few hundred rows (the bound-parameter limits of both
/// engines allow it), so a large import or demo is not one round trip per person.
pub async fn insert_many(tx: &WriteTx, records: &[PersonRecord], now_ms: i64) -> Result<()> {
    for chunk in records.chunks(400) {
        Entity::insert_many(chunk.iter().map(|r| active(r, now_ms)))
            .exec(tx.conn())
            .await
            .map_err(|e| StoreError::from_insert(e, "national_id"))?;
    }
    Ok(())
}

/// Loads a large roster into an empty table quickly: the secondary indexes are dropped and
/// built again afterwards (a sort instead of a million random inserts), and the rows go in
/// the order of the unique ID-number index, which cannot be dropped.
pub async fn bulk_load(tx: &WriteTx, records: &mut [PersonRecord], now_ms: i64) -> Result<()> {
    records.sort_unstable_by(|a, b| a.national_id_index.cmp(&b.national_id_index));
    let indexes = crate::db::secondary_indexes(tx, "persons").await?;
    for (name, _) in &indexes {
        tx.conn()
            .execute_unprepared(&format!("DROP INDEX {name}"))
            .await?;
    }
    // A page cache big enough that the transaction's pages need not spill into the WAL
    // (SQLite only; PostgreSQL ignores the pragma as an unknown statement is not sent).
    let sqlite = tx.conn().get_database_backend() == sea_orm::DbBackend::Sqlite;
    if sqlite {
        tx.conn()
            .execute_unprepared("PRAGMA cache_size = -524288")
            .await?;
    }
    insert_many(tx, records, now_ms).await?;
    if sqlite {
        tx.conn()
            .execute_unprepared("PRAGMA cache_size = -16384")
            .await?;
    }
    for (_, sql) in &indexes {
        tx.conn().execute_unprepared(sql).await?;
    }
    Ok(())
}

/// Writes a changed person if nobody changed them since `expected_version`; false otherwise.
pub async fn update(
    tx: &WriteTx,
    record: &PersonRecord,
    expected_version: i64,
    now_ms: i64,
) -> Result<bool> {
    let mut model = active(record, now_ms);
    model.created_at = sea_orm::ActiveValue::NotSet;
    model.import_batch_id = sea_orm::ActiveValue::NotSet;
    model.version = Set(expected_version + 1);
    let result = Entity::update_many()
        .set(model)
        .filter(Column::Id.eq(record.person.id.get()))
        .filter(Column::Version.eq(expected_version))
        .exec(tx.conn())
        .await
        .map_err(|e| StoreError::from_insert(e, "national_id"))?;
    Ok(result.rows_affected == 1)
}

/// Sets a person's status and membership dates as their development reached them.
pub async fn set_status(
    tx: &WriteTx,
    id: PersonId,
    status: PersonStatus,
    (join_date, confirmation_date): (Option<NaiveDate>, Option<NaiveDate>),
    now_ms: i64,
) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::Status, Expr::value(status.code()))
        .col_expr(Column::JoinDate, Expr::value(join_date))
        .col_expr(Column::ConfirmationDate, Expr::value(confirmation_date))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now_ms))
        .filter(Column::Id.eq(id.get()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// One person, if the reader may do `action` where they belong; otherwise as if missing.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    action: Action,
    id: PersonId,
) -> Result<Option<PersonRecord>> {
    Entity::find_by_id(id.get())
        .filter(scope::within(Column::OrgPath, &access.scopes(action)))
        .one(db)
        .await?
        .map(PersonRecord::try_from)
        .transpose()
}

/// One person whatever the reader's scope: for the platform's own checks (the receiver of a
/// transfer), never to show a record.
pub async fn find_for_check<C: ConnectionTrait>(
    db: &C,
    id: PersonId,
) -> Result<Option<PersonRecord>> {
    Entity::find_by_id(id.get())
        .one(db)
        .await?
        .map(PersonRecord::try_from)
        .transpose()
}

/// Who holds this ID number, whatever the reader's scope: for the uniqueness check only.
pub async fn holder_of_national_id<C: ConnectionTrait>(
    db: &C,
    index: &str,
) -> Result<Option<(PersonId, String)>> {
    let row: Option<(i64, String)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::OrgPath)
        .filter(Column::NationalIdIndex.eq(index))
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.map(|(id, path)| (PersonId::new(id), path)))
}

/// The people of the roster matching name, ID number and staff or student number, for
/// account activation; whatever the scope, since the person is not signed in yet.
pub async fn find_for_activation<C: ConnectionTrait>(
    db: &C,
    name: &str,
    national_id_index: &str,
    staff_no: &str,
) -> Result<Option<PersonRecord>> {
    Entity::find()
        .filter(Column::NationalIdIndex.eq(national_id_index))
        .filter(Column::Name.eq(name))
        .filter(Column::StaffNo.eq(staff_no))
        .one(db)
        .await?
        .map(PersonRecord::try_from)
        .transpose()
}

/// The people of the roster, still in it, with this staff or student number (at most two:
/// enough to tell one from several).
pub async fn with_staff_no<C: ConnectionTrait>(
    db: &C,
    staff_no: &str,
) -> Result<Vec<PersonRecord>> {
    Entity::find()
        .filter(Column::StaffNo.eq(staff_no))
        .filter(Column::LeftOn.is_null())
        .limit(2)
        .all(db)
        .await?
        .into_iter()
        .map(PersonRecord::try_from)
        .collect()
}

/// How to find people by what a person typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonSearch {
    /// Part of the name.
    Name(String),
    /// The start of the name's pinyin or of its initials.
    Pinyin(String),
    /// The keyed hash of a whole ID number.
    NationalIdIndex(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PersonSort {
    /// By branch, then by the pinyin of the name, as a roster is read.
    #[default]
    Org,
    Name,
    BirthDate,
    JoinDate,
    Status,
}

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    /// Only this subtree.
    pub under: Option<OrgPath>,
    /// Only the members of this party group.
    pub group_id: Option<OrgId>,
    pub status: Option<PersonStatus>,
    /// Only full and probationary members.
    pub members_only: bool,
    pub category: Option<PersonCategory>,
    pub education: Option<Education>,
    /// Born after this date (exclusive) …
    pub born_after: Option<NaiveDate>,
    /// … and on or before this one.
    pub born_until: Option<NaiveDate>,
    pub search: Option<PersonSearch>,
    /// Also those who left the university's roster (transferred out).
    pub include_left: bool,
    pub sort: PersonSort,
    pub descending: bool,
}

/// The keys that start with `prefix`, as a range an index can serve (LIKE is case-blind in
/// SQLite and would scan): `[prefix, prefix with its last character raised)`.
fn prefix_range(column: Column, prefix: &str) -> Condition {
    let key: String = prefix
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let mut upper = key.clone().into_bytes();
    match upper.last_mut() {
        // Keys are ASCII letters and digits: raising the last one stays ASCII.
        Some(last) => *last += 1,
        None => return Condition::all(),
    }
    let upper = String::from_utf8(upper).unwrap_or_default();
    Condition::all().add(column.gte(key)).add(column.lt(upper))
}

fn condition(access: &Access, filter: &PersonFilter) -> Condition {
    let mut cond = Condition::all().add(scope::within_under(
        Column::OrgPath,
        &access.scopes(Action::ReadRecords),
        filter.under.as_ref(),
    ));
    if let Some(group) = filter.group_id {
        cond = cond.add(Column::GroupId.eq(group.get()));
    }
    if !filter.include_left {
        cond = cond.add(Column::LeftOn.is_null());
    }
    if let Some(status) = filter.status {
        cond = cond.add(Column::Status.eq(status.code()));
    }
    if filter.members_only {
        cond = cond.add(Column::Status.is_in(PersonStatus::MEMBERS.map(PersonStatus::code)));
    }
    if let Some(category) = filter.category {
        cond = cond.add(Column::Category.eq(category.code()));
    }
    if let Some(education) = filter.education {
        cond = cond.add(Column::Education.eq(education.code()));
    }
    if let Some(after) = filter.born_after {
        cond = cond.add(Column::BirthDate.gt(after));
    }
    if let Some(until) = filter.born_until {
        cond = cond.add(Column::BirthDate.lte(until));
    }
    match &filter.search {
        Some(PersonSearch::Name(name)) => {
            cond = cond.add(crate::search::contains(Column::Name, name))
        }
        Some(PersonSearch::Pinyin(key)) => {
            // The matches by either index, as one id list: given the two prefixes ORed beside
            // a subtree's path range, the planner walks the whole subtree instead.
            use sea_orm::sea_query::{Query, UnionType};
            let by = |column: Column| {
                Query::select()
                    .column(Column::Id)
                    .from(Entity)
                    .cond_where(prefix_range(column, key))
                    .to_owned()
            };
            let ids = by(Column::NamePinyin)
                .union(UnionType::All, by(Column::NameInitials))
                .to_owned();
            cond = cond.add(Column::Id.in_subquery(ids));
        }
        Some(PersonSearch::NationalIdIndex(index)) => {
            cond = cond.add(Column::NationalIdIndex.eq(index.as_str()));
        }
        None => {}
    }
    cond
}

/// A page of the people the reader may see.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    filter: &PersonFilter,
    paging: Paging,
) -> Result<Page<PersonRecord>> {
    // By branch and name follows the index (org_path, name_pinyin): a page of a large
    // subtree is read in order and stops early.
    let columns: &[Column] = match filter.sort {
        PersonSort::Org => &[Column::OrgPath, Column::NamePinyin],
        PersonSort::Name => &[Column::NamePinyin],
        PersonSort::BirthDate => &[Column::BirthDate],
        PersonSort::JoinDate => &[Column::JoinDate],
        PersonSort::Status => &[Column::Status],
    };
    let query = Entity::find().filter(condition(access, filter));
    let (rows, _) = crate::fetch_page(
        db,
        query.clone(),
        columns,
        filter.descending,
        Column::Id,
        paging,
    )
    .await?;
    let total = count_capped(db, query).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(PersonRecord::try_from)
            .collect::<Result<_>>()?,
        total,
    })
}

/// Lists count their matches up to this many; beyond it a page says "more than".
pub const COUNT_CAP: u64 = 10_000;

/// How many rows a query matches, counting no further than one past `COUNT_CAP`: an exact
/// count of a million-row subtree would cost more than the page itself.
async fn count_capped<C: ConnectionTrait>(db: &C, query: sea_orm::Select<Entity>) -> Result<u64> {
    use sea_orm::sea_query::{Alias, Query};
    let inner = query
        .select_only()
        .column(Column::Id)
        .limit(COUNT_CAP + 1)
        .into_query();
    let stmt = Query::select()
        .expr(Expr::col(sea_orm::sea_query::Asterisk).count())
        .from_subquery(inner, Alias::new("capped"))
        .to_owned();
    let row = db.query_one(&stmt).await?;
    Ok(row
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// Every person of a filter, in batches, for an export: `each` gets the rows in order.
pub async fn for_each<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    filter: &PersonFilter,
    mut each: impl FnMut(PersonRecord) -> Result<()>,
) -> Result<()> {
    let mut after = OrgPath::root(OrgId::new(0)).as_str().to_owned();
    let mut after_id = i64::MIN;
    loop {
        // Keyset pagination on (org_path, id): steady speed however deep the export goes.
        let rows = Entity::find()
            .filter(condition(access, filter))
            .filter(
                Condition::any()
                    .add(Column::OrgPath.gt(after.as_str()))
                    .add(
                        Condition::all()
                            .add(Column::OrgPath.eq(after.as_str()))
                            .add(Column::Id.gt(after_id)),
                    ),
            )
            .order_by_asc(Column::OrgPath)
            .order_by_asc(Column::Id)
            .limit(5_000)
            .all(db)
            .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.org_path.clone();
        after_id = last.id;
        for row in rows {
            each(PersonRecord::try_from(row)?)?;
        }
    }
}

/// Counts of the people matching a filter, grouped by one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonGroupBy {
    Status,
    Org,
    /// The party group they are placed in.
    Group,
}

#[derive(Debug, FromQueryResult)]
struct GroupCount {
    key: Option<String>,
    n: i64,
}

pub async fn count_by<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    filter: &PersonFilter,
    by: PersonGroupBy,
) -> Result<Vec<(String, u64)>> {
    let column = match by {
        PersonGroupBy::Status => Column::Status,
        PersonGroupBy::Org => Column::OrgId,
        PersonGroupBy::Group => Column::GroupId,
    };
    let rows = Entity::find()
        .select_only()
        .column_as(Expr::col(column).cast_as("TEXT"), "key")
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(condition(access, filter))
        .group_by(column)
        .into_model::<GroupCount>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.key.unwrap_or_default(), u64::try_from(r.n).unwrap_or(0)))
        .collect())
}

/// One cell of the people of a filter counted four ways at once.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Tally {
    pub status: String,
    pub category: String,
    pub education: String,
    /// The birth-date band: see `tally`.
    pub band: i32,
    pub n: i64,
}

/// The people of a filter counted by status, category, education and birth-date band in one
/// pass over the index `persons_figures`. Band `i` holds those born after `bounds[i]` (and
/// not after an earlier bound); band `bounds.len()` the rest, so bounds go youngest first.
pub async fn tally<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    filter: &PersonFilter,
    bounds: &[NaiveDate],
) -> Result<Vec<Tally>> {
    use sea_orm::sea_query::{Alias, CaseStatement, SimpleExpr};
    let last = i32::try_from(bounds.len()).unwrap_or(i32::MAX);
    let band: SimpleExpr = if bounds.is_empty() {
        Expr::val(0)
    } else {
        bounds
            .iter()
            .zip(0..)
            .fold(CaseStatement::new(), |case, (day, i)| {
                case.case(Column::BirthDate.gt(*day), Expr::val(i))
            })
            .finally(Expr::val(last))
            .into()
    };
    Ok(Entity::find()
        .select_only()
        .column(Column::Status)
        .column(Column::Category)
        .column(Column::Education)
        .column_as(band, "band")
        // COUNT(*), not of a column: the index holds every column read, no row is visited.
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(condition(access, filter))
        .group_by(Column::Status)
        .group_by(Column::Category)
        .group_by(Column::Education)
        .group_by(Expr::col(Alias::new("band")))
        .into_model::<Tally>()
        .all(db)
        .await?)
}

/// Education, title level and birth date of each person sitting as a secretary in a subtree,
/// once however many seats they hold: the figures about secretaries.
pub async fn secretary_profiles<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
) -> Result<Vec<(String, String, NaiveDate)>> {
    use crate::position::entity as seat;
    use dangjian_domain::org::Position;
    let scopes = access.scopes(Action::ReadRecords);
    let sitting = seat::Entity::find()
        .select_only()
        .column(seat::Column::PersonId)
        .filter(seat::Column::Position.eq(Position::Secretary.code()))
        .filter(seat::Column::LeftOn.is_null())
        .filter(scope::within_under(
            seat::Column::OrgPath,
            &scopes,
            Some(under),
        ))
        .into_query();
    Ok(Entity::find()
        .select_only()
        .column(Column::Education)
        .column(Column::TitleLevel)
        .column(Column::BirthDate)
        .filter(Column::Id.in_subquery(sitting))
        .filter(scope::within(Column::OrgPath, &scopes))
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn count<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    filter: &PersonFilter,
) -> Result<u64> {
    Ok(Entity::find()
        .filter(condition(access, filter))
        .count(db)
        .await?)
}

/// People whose import batch is `batch`, and how many of them changed since.
pub async fn batch_state<C: ConnectionTrait>(db: &C, batch: i64) -> Result<(u64, u64)> {
    let all = Entity::find()
        .filter(Column::ImportBatchId.eq(batch))
        .count(db)
        .await?;
    let changed = Entity::find()
        .filter(Column::ImportBatchId.eq(batch))
        .filter(Column::Version.ne(1))
        .count(db)
        .await?;
    Ok((all, changed))
}

/// Removes the people of an import batch and their history: the rollback of an import.
pub async fn delete_batch(tx: &WriteTx, batch: i64) -> Result<u64> {
    let ids = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::ImportBatchId.eq(batch));
    period::Entity::delete_many()
        .filter(period::Column::PersonId.in_subquery(ids.into_query()))
        .exec(tx.conn())
        .await?;
    let result = Entity::delete_many()
        .filter(Column::ImportBatchId.eq(batch))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected)
}

/// A period of a person's history: where they belonged and with what status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    pub id: i64,
    pub person_id: PersonId,
    pub org_id: OrgId,
    pub org_path: OrgPath,
    pub status: PersonStatus,
    pub from_on: NaiveDate,
    pub until_on: Option<NaiveDate>,
    pub reason: String,
}

impl TryFrom<period::Model> for Period {
    type Error = StoreError;

    fn try_from(m: period::Model) -> Result<Self> {
        Ok(Period {
            id: m.id,
            person_id: PersonId::new(m.person_id),
            org_id: OrgId::new(m.org_id),
            org_path: OrgPath::parse(&m.org_path)
                .ok_or_else(|| StoreError::corrupt(&m.org_path))?,
            status: parse(&m.status, PersonStatus::parse)?,
            from_on: m.from_on,
            until_on: m.until_on,
            reason: m.reason,
        })
    }
}

pub async fn insert_periods(tx: &WriteTx, periods: &[Period], now_ms: i64) -> Result<()> {
    for chunk in periods.chunks(800) {
        period::Entity::insert_many(chunk.iter().map(|p| period::ActiveModel {
            id: Set(p.id),
            person_id: Set(p.person_id.get()),
            org_id: Set(p.org_id.get()),
            org_path: Set(p.org_path.as_str().to_owned()),
            status: Set(p.status.code().to_owned()),
            from_on: Set(p.from_on),
            until_on: Set(p.until_on),
            reason: Set(p.reason.clone()),
            created_at: Set(now_ms),
        }))
        .exec(tx.conn())
        .await?;
    }
    Ok(())
}

/// Ends a person's open period on `on` (the new one starts that day).
pub async fn close_period(tx: &WriteTx, person_id: PersonId, on: NaiveDate) -> Result<()> {
    period::Entity::update_many()
        .col_expr(period::Column::UntilOn, Expr::value(on))
        .filter(period::Column::PersonId.eq(person_id.get()))
        .filter(period::Column::UntilOn.is_null())
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// A person's history, oldest first.
pub async fn periods<C: ConnectionTrait>(db: &C, person_id: PersonId) -> Result<Vec<Period>> {
    period::Entity::find()
        .filter(period::Column::PersonId.eq(person_id.get()))
        .order_by_asc(period::Column::FromOn)
        .order_by_asc(period::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Period::try_from)
        .collect()
}

/// The day each of these people arrived in the organization they belong to now: their
/// earliest period there (a transfer in, an admission, the go-live import). The caller read
/// the people within scope.
pub async fn arrivals<C: ConnectionTrait>(
    db: &C,
    people: &[(PersonId, OrgId)],
) -> Result<std::collections::HashMap<PersonId, NaiveDate>> {
    let now_in: std::collections::HashMap<PersonId, OrgId> = people.iter().copied().collect();
    let mut out = std::collections::HashMap::new();
    for chunk in people.chunks(500) {
        let ids: Vec<i64> = chunk.iter().map(|(p, _)| p.get()).collect();
        let rows: Vec<(i64, i64, NaiveDate)> = period::Entity::find()
            .select_only()
            .column(period::Column::PersonId)
            .column(period::Column::OrgId)
            .column(period::Column::FromOn)
            .filter(period::Column::PersonId.is_in(ids))
            .into_tuple()
            .all(db)
            .await?;
        for (person, org, from) in rows {
            let person = PersonId::new(person);
            if now_in.get(&person) == Some(&OrgId::new(org)) {
                out.entry(person)
                    .and_modify(|d: &mut NaiveDate| *d = std::cmp::min(*d, from))
                    .or_insert(from);
            }
        }
    }
    Ok(out)
}

/// The people who belonged to an organization's subtree on a date, with the status they had
/// then: the roster of any past day.
pub async fn members_on<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    on: NaiveDate,
) -> Result<Vec<Period>> {
    period::Entity::find()
        .filter(scope::within_under(
            period::Column::OrgPath,
            &access.scopes(Action::ReadRecords),
            Some(under),
        ))
        .filter(period::Column::FromOn.lte(on))
        .filter(
            Condition::any()
                .add(period::Column::UntilOn.is_null())
                .add(period::Column::UntilOn.gt(on)),
        )
        .order_by_asc(period::Column::OrgPath)
        .all(db)
        .await?
        .into_iter()
        .map(Period::try_from)
        .collect()
}

/// Names of people by id, to label seats and records the reader already may see.
pub async fn names<C: ConnectionTrait>(
    db: &C,
    ids: &[PersonId],
) -> Result<std::collections::HashMap<PersonId, String>> {
    let rows: Vec<(i64, String)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Name)
        .filter(Column::Id.is_in(raw(ids)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (PersonId::new(id), name))
        .collect())
}

/// Marks a transfer out as under way or not, and when the person left the roster.
pub async fn set_transfer(
    tx: &WriteTx,
    id: PersonId,
    pending: bool,
    left_on: Option<NaiveDate>,
    now_ms: i64,
) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::TransferPending, Expr::value(pending))
        .col_expr(Column::LeftOn, Expr::value(left_on))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now_ms))
        .filter(Column::Id.eq(id.get()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// Which of these ID-number hashes are already in the roster, whatever the reader's scope:
/// an import must not register anyone twice.
pub async fn existing_indexes<C: ConnectionTrait>(
    db: &C,
    indexes: &[String],
) -> Result<std::collections::HashSet<String>> {
    let mut found = std::collections::HashSet::new();
    for chunk in indexes.chunks(500) {
        let rows: Vec<String> = Entity::find()
            .select_only()
            .column(Column::NationalIdIndex)
            .filter(Column::NationalIdIndex.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// People by id within the reader's scope (the holders of seats, for figures about them).
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    ids: &[PersonId],
) -> Result<Vec<PersonRecord>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows = Entity::find()
            .filter(Column::Id.is_in(raw(chunk)))
            .filter(scope::within(
                Column::OrgPath,
                &access.scopes(Action::ReadRecords),
            ))
            .all(db)
            .await?;
        for row in rows {
            out.push(PersonRecord::try_from(row)?);
        }
    }
    Ok(out)
}

/// The people now in an organization (not transferred out): id and status.
pub async fn current_of_org<C: ConnectionTrait>(
    db: &C,
    org_id: OrgId,
) -> Result<Vec<(PersonId, PersonStatus)>> {
    current_where(db, Column::OrgId.eq(org_id.get())).await
}

/// The people now in a party group (党小组): id and status.
pub async fn current_of_group<C: ConnectionTrait>(
    db: &C,
    group_id: OrgId,
) -> Result<Vec<(PersonId, PersonStatus)>> {
    current_where(db, Column::GroupId.eq(group_id.get())).await
}

/// The people matching `cond` and not transferred out: id and status.
async fn current_where<C: ConnectionTrait>(
    db: &C,
    cond: sea_orm::sea_query::SimpleExpr,
) -> Result<Vec<(PersonId, PersonStatus)>> {
    let rows: Vec<(i64, String)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Status)
        .filter(cond)
        .filter(Column::LeftOn.is_null())
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(id, s)| Ok((PersonId::new(id), parse(&s, PersonStatus::parse)?)))
        .collect()
}

/// Who moves to another organization.
#[derive(Debug, Clone, Copy)]
pub enum Movers<'a> {
    /// Everyone now in this organization (a merge).
    AllOf(OrgId),
    /// These people (a split, a received transfer).
    Ids(&'a [PersonId]),
}

/// Moves people to another organization: their open periods end the day the new ones (in
/// `periods`) start, and they leave their group.
pub async fn move_people(
    tx: &WriteTx,
    movers: Movers<'_>,
    (to, to_path): (OrgId, &OrgPath),
    periods: &[Period],
    now_ms: i64,
) -> Result<u64> {
    let on = periods.first().map(|p| p.from_on).unwrap_or_default();
    // Their own records (development, thought reports, disciplines) go with them.
    match movers {
        Movers::AllOf(org) => {
            let people = "SELECT id FROM persons WHERE org_id = ? AND left_on IS NULL";
            crate::scope::follow_people(tx, (people, &[org.get().into()]), (to, to_path)).await?;
        }
        Movers::Ids(ids) => {
            for chunk in ids.chunks(500) {
                let people = vec!["?"; chunk.len()].join(", ");
                let values: Vec<sea_orm::Value> = chunk.iter().map(|id| id.get().into()).collect();
                crate::scope::follow_people(tx, (&people, &values), (to, to_path)).await?;
            }
        }
    }
    let (period_cond, person_cond) = match movers {
        Movers::AllOf(org) => (
            period::Column::OrgId.eq(org.get()),
            Condition::all().add(Column::OrgId.eq(org.get())),
        ),
        Movers::Ids(ids) => (
            period::Column::PersonId.is_in(raw(ids)),
            Condition::all().add(Column::Id.is_in(raw(ids))),
        ),
    };
    period::Entity::update_many()
        .col_expr(period::Column::UntilOn, Expr::value(on))
        .filter(period_cond)
        .filter(period::Column::UntilOn.is_null())
        .exec(tx.conn())
        .await?;
    let moved = Entity::update_many()
        .col_expr(Column::OrgId, Expr::value(to.get()))
        .col_expr(Column::OrgPath, Expr::value(to_path.as_str()))
        .col_expr(Column::GroupId, Expr::value(Option::<i64>::None))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now_ms))
        .filter(person_cond)
        .filter(Column::LeftOn.is_null())
        .exec(tx.conn())
        .await?;
    insert_periods(tx, periods, now_ms).await?;
    Ok(moved.rows_affected)
}

pub(crate) mod person_account {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "person_accounts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub person_id: i64,
        pub user_id: i64,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Links a person to their account; a second link of either is refused by the keys.
pub async fn link_account(
    tx: &WriteTx,
    person_id: PersonId,
    user_id: AccountId,
    now_ms: i64,
) -> Result<()> {
    person_account::ActiveModel {
        person_id: Set(person_id.get()),
        user_id: Set(user_id.get()),
        created_at: Set(now_ms),
    }
    .insert(tx.conn())
    .await
    .map_err(|e| StoreError::from_insert(e, "person_id"))?;
    Ok(())
}

/// The person an account belongs to, if it is someone's of the roster.
pub async fn person_of_account<C: ConnectionTrait>(
    db: &C,
    user_id: AccountId,
) -> Result<Option<PersonId>> {
    Ok(person_account::Entity::find()
        .filter(person_account::Column::UserId.eq(user_id.get()))
        .one(db)
        .await?
        .map(|r| PersonId::new(r.person_id)))
}

/// The account of each of these people, where they have one.
pub async fn accounts_of<C: ConnectionTrait>(
    db: &C,
    person_ids: &[PersonId],
) -> Result<std::collections::HashMap<PersonId, AccountId>> {
    let mut out = std::collections::HashMap::new();
    for chunk in person_ids.chunks(500) {
        let rows = person_account::Entity::find()
            .filter(person_account::Column::PersonId.is_in(raw(chunk)))
            .all(db)
            .await?;
        out.extend(
            rows.into_iter()
                .map(|r| (PersonId::new(r.person_id), AccountId::new(r.user_id))),
        );
    }
    Ok(out)
}

/// One sealed ID number of the roster, if it holds any: to try the key on before a restore.
pub async fn any_sealed_id<C: ConnectionTrait>(db: &C) -> Result<Option<String>> {
    Ok(Entity::find()
        .select_only()
        .column(Column::NationalIdCipher)
        .limit(1)
        .into_tuple::<String>()
        .one(db)
        .await?)
}
