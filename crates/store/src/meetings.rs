//! Meetings as stored: read within the reader's scope, with their attendance and corrections.

use crate::scope::Visible;
use crate::{Result, StoreError, WriteTx, scope};
use chrono::NaiveDate;
use dangjian_domain::ids::{AccountId, MeetingId, OrgId, PersonId};
use dangjian_domain::learning::{StudyHours, YearOfLife};
use dangjian_domain::meetings::HeartTalkRecord;
use dangjian_domain::meetings::{
    Attendance, AttendanceRow, Correction, HeartTalk, Lecturer, Meeting, MeetingKind, MeetingPlan,
    MeetingState,
};
use dangjian_domain::org::OrgPath;
use dangjian_domain::paging::{Page, Paging};
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, Condition, PaginatorTrait, QueryOrder, QuerySelect};
use std::collections::HashMap;

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meetings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub org_id: i64,
        pub org_path: String,
        pub kind: String,
        pub topic: String,
        pub on_date: Date,
        pub starts_at: i64,
        pub place: String,
        pub first_agenda_item: Option<String>,
        pub agenda: String,
        pub minutes: String,
        pub resolutions: String,
        pub state: String,
        pub recorded_by_name: String,
        pub locked_at: Option<i64>,
        pub locked_by_name: Option<String>,
        pub created_at: i64,
        /// Half-hours: 3 is 1.5 学时.
        pub study_half_hours: i32,
        /// The roll's tally, kept with every change of the attendance.
        pub expected_count: i32,
        pub present_count: i32,
        pub excused_count: i32,
        pub absent_count: i32,
        /// Who lectured: someone on the roster (with their name then), or a visitor by name.
        pub lecturer_id: Option<i64>,
        pub lecturer_name: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(has_many = "super::attendance_entity::Entity")]
        Attendance,
    }

    impl Related<super::attendance_entity::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Attendance.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

mod attendance_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meeting_attendance")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub meeting_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub person_id: i64,
        pub status: String,
        pub reason: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::entity::Entity",
            from = "Column::MeetingId",
            to = "super::entity::Column::Id"
        )]
        Meeting,
    }

    impl Related<super::entity::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Meeting.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

mod correction_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meeting_corrections")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub meeting_id: i64,
        pub text: String,
        pub recorded_by_name: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod check_in_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meeting_check_ins")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub meeting_id: i64,
        pub person_id: i64,
        pub issued_at: i64,
        pub used_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod talk_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "heart_talks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub org_id: i64,
        pub org_path: String,
        pub talker_id: i64,
        pub talkee_id: i64,
        pub on_date: Date,
        pub place: String,
        pub summary: String,
        pub recorded_by_name: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod feed_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_feeds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub user_id: i64,
        pub created_at: i64,
        pub revoked_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

/// A one-time check-in code as stored: whose, for which meeting, used or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub meeting_id: MeetingId,
    pub person_id: PersonId,
    pub used_at: Option<i64>,
}

fn to_meeting(m: entity::Model) -> Result<Meeting> {
    let starts_at = dangjian_domain::clock::shanghai_local(m.starts_at);
    Ok(Meeting {
        id: MeetingId::new(m.id),
        org_id: OrgId::new(m.org_id),
        org_path: OrgPath::parse(&m.org_path).ok_or_else(|| StoreError::corrupt(&m.org_path))?,
        plan: MeetingPlan {
            kind: MeetingKind::parse(&m.kind).ok_or_else(|| StoreError::corrupt(&m.kind))?,
            topic: m.topic,
            starts_at,
            place: m.place,
            first_agenda_item: m.first_agenda_item,
            agenda: serde_json::from_str(&m.agenda).map_err(StoreError::corrupt)?,
            study_hours: u32::try_from(m.study_half_hours)
                .ok()
                .and_then(|h| StudyHours::meeting(h).ok())
                .ok_or_else(|| StoreError::corrupt(m.study_half_hours))?,
            lecturer: m.lecturer_name.map(|name| Lecturer {
                person_id: m.lecturer_id.map(PersonId::new),
                name,
            }),
        },
        minutes: m.minutes,
        resolutions: m.resolutions,
        state: MeetingState::parse(&m.state).ok_or_else(|| StoreError::corrupt(&m.state))?,
        recorded_by_name: m.recorded_by_name,
        locked_at: m.locked_at,
        locked_by_name: m.locked_by_name,
        created_at: m.created_at,
    })
}

fn active(m: &Meeting) -> Result<entity::ActiveModel> {
    Ok(entity::ActiveModel {
        id: Set(m.id.get()),
        org_id: Set(m.org_id.get()),
        org_path: Set(m.org_path.as_str().to_owned()),
        kind: Set(m.plan.kind.code().to_owned()),
        topic: Set(m.plan.topic.clone()),
        on_date: Set(m.plan.starts_at.date()),
        starts_at: Set(dangjian_domain::clock::shanghai_ms(m.plan.starts_at)),
        place: Set(m.plan.place.clone()),
        first_agenda_item: Set(m.plan.first_agenda_item.clone()),
        agenda: Set(serde_json::to_string(&m.plan.agenda).map_err(StoreError::corrupt)?),
        minutes: Set(m.minutes.clone()),
        resolutions: Set(m.resolutions.clone()),
        state: Set(m.state.code().to_owned()),
        recorded_by_name: Set(m.recorded_by_name.clone()),
        locked_at: Set(m.locked_at),
        locked_by_name: Set(m.locked_by_name.clone()),
        created_at: Set(m.created_at),
        study_half_hours: Set(
            i32::try_from(m.plan.study_hours.halves()).map_err(StoreError::corrupt)?
        ),
        expected_count: Set(0),
        present_count: Set(0),
        excused_count: Set(0),
        absent_count: Set(0),
        lecturer_id: Set(m
            .plan
            .lecturer
            .as_ref()
            .and_then(|l| l.person_id.map(PersonId::get))),
        lecturer_name: Set(m.plan.lecturer.as_ref().map(|l| l.name.clone())),
    })
}

/// A new meeting with its expected attendees, all absent until the roll is taken.
pub async fn insert(tx: &WriteTx, m: &Meeting, expected: &[PersonId]) -> Result<()> {
    let mut model = active(m)?;
    let rolled: Vec<AttendanceRow> = expected
        .iter()
        .map(|p| AttendanceRow {
            person_id: *p,
            status: Attendance::Absent,
            reason: String::new(),
        })
        .collect();
    set_tally(&mut model, &rolled)?;
    model.insert(tx.conn()).await?;
    for chunk in expected.chunks(500) {
        let rows: Vec<attendance_entity::ActiveModel> = chunk
            .iter()
            .map(|p| attendance_entity::ActiveModel {
                meeting_id: Set(m.id.get()),
                person_id: Set(p.get()),
                status: Set(Attendance::Absent.code().to_owned()),
                reason: Set(String::new()),
            })
            .collect();
        attendance_entity::Entity::insert_many(rows)
            .exec_without_returning(tx.conn())
            .await?;
    }
    Ok(())
}

/// Writes a meeting's record (state, minutes, lock); the plan stays as it was.
pub async fn update(tx: &WriteTx, m: &Meeting) -> Result<()> {
    entity::ActiveModel {
        id: Set(m.id.get()),
        minutes: Set(m.minutes.clone()),
        resolutions: Set(m.resolutions.clone()),
        state: Set(m.state.code().to_owned()),
        locked_at: Set(m.locked_at),
        locked_by_name: Set(m.locked_by_name.clone()),
        ..Default::default()
    }
    .update(tx.conn())
    .await?;
    Ok(())
}

/// One meeting, if the reader may see its organization's records.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    id: MeetingId,
) -> Result<Option<Visible<Meeting>>> {
    Entity::find_by_id(id.get())
        .filter(scope::within(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
        ))
        .one(db)
        .await?
        .map(|m| to_meeting(m).map(Visible::checked))
        .transpose()
}

/// The meetings that took place, in the states the domain counts as held. The state is no
/// index's column, so an `IN` list costs the same as the `<> 'planned'` it replaces.
fn held() -> sea_orm::sea_query::SimpleExpr {
    Column::State.is_in(MeetingState::HELD.map(MeetingState::code))
}

/// The meetings of a subtree in `[from, until]` that the reader may see.
fn in_subtree(
    access: &Access,
    under: &OrgPath,
    (from, until): (NaiveDate, NaiveDate),
) -> Condition {
    Condition::all()
        .add(scope::within_under(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
            Some(under),
        ))
        .add(Column::OnDate.gte(from))
        .add(Column::OnDate.lte(until))
}

/// One page of the meetings of a subtree in `[from, until]`, newest first, with the count of
/// them all.
pub async fn page_of_subtree<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    span: (NaiveDate, NaiveDate),
    paging: Paging,
) -> Result<Page<Meeting>> {
    let query = Entity::find().filter(in_subtree(access, under, span));
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(Column::StartsAt)
        .order_by_desc(Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page)
        .all(db)
        .await?
        .into_iter()
        .map(to_meeting)
        .collect::<Result<_>>()?;
    Ok(Page { items, total })
}

/// An organization's own meetings in `[from, until]` (not its subtree's), oldest first, at
/// most `limit`.
pub async fn of_org<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    org: (OrgId, &OrgPath),
    period: (NaiveDate, NaiveDate),
    limit: u64,
) -> Result<Vec<Visible<Meeting>>> {
    Entity::find()
        .filter(in_subtree(access, org.1, period))
        .filter(Column::OrgId.eq(org.0.get()))
        .order_by_asc(Column::StartsAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| to_meeting(m).map(Visible::checked))
        .collect()
}

/// A meeting held, as the compliance engine reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldMeeting {
    pub org_id: OrgId,
    pub kind: MeetingKind,
    pub on: NaiveDate,
    /// Who lectured, when on the roster.
    pub lecturer_id: Option<PersonId>,
}

/// What a subtree held in `[from, until]`: each meeting held or locked, for the compliance
/// engine.
pub async fn held_in<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    (from, until): (NaiveDate, NaiveDate),
) -> Result<Vec<HeldMeeting>> {
    let rows: Vec<(i64, String, NaiveDate, Option<i64>)> = Entity::find()
        .select_only()
        .column(Column::OrgId)
        .column(Column::Kind)
        .column(Column::OnDate)
        .column(Column::LecturerId)
        .filter(in_subtree(access, under, (from, until)))
        .filter(held())
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(org, kind, on, lecturer)| {
            Ok(HeldMeeting {
                org_id: OrgId::new(org),
                kind: MeetingKind::parse(&kind).ok_or_else(|| StoreError::corrupt(&kind))?,
                on,
                lecturer_id: lecturer.map(PersonId::new),
            })
        })
        .collect()
}

/// A meeting's expected attendees; the caller read the meeting.
pub async fn attendance<C: ConnectionTrait>(
    db: &C,
    meeting: &Visible<Meeting>,
) -> Result<Vec<AttendanceRow>> {
    Ok(rolls_of(db, &[meeting.id])
        .await?
        .remove(&meeting.id)
        .unwrap_or_default())
}

/// The expected attendees of meetings the caller read, by meeting: one query a few hundred
/// meetings, for a record book of a year.
pub async fn attendances<C: ConnectionTrait>(
    db: &C,
    meetings: &[Visible<Meeting>],
) -> Result<HashMap<MeetingId, Vec<AttendanceRow>>> {
    rolls_of(db, &meetings.iter().map(|m| m.id).collect::<Vec<_>>()).await
}

/// The rolls of meetings the store itself is writing or a caller read.
async fn rolls_of<C: ConnectionTrait>(
    db: &C,
    meeting_ids: &[MeetingId],
) -> Result<HashMap<MeetingId, Vec<AttendanceRow>>> {
    let mut out: HashMap<MeetingId, Vec<AttendanceRow>> = HashMap::new();
    for chunk in meeting_ids.chunks(500) {
        let rows = attendance_entity::Entity::find()
            .filter(attendance_entity::Column::MeetingId.is_in(chunk.iter().map(|id| id.get())))
            .all(db)
            .await?;
        for r in rows {
            out.entry(MeetingId::new(r.meeting_id))
                .or_default()
                .push(AttendanceRow {
                    person_id: PersonId::new(r.person_id),
                    status: Attendance::parse(&r.status)
                        .ok_or_else(|| StoreError::corrupt(&r.status))?,
                    reason: r.reason,
                });
        }
    }
    Ok(out)
}

/// Sets how expected attendees attended.
pub async fn set_attendance(
    tx: &WriteTx,
    meeting_id: MeetingId,
    rows: &[AttendanceRow],
) -> Result<()> {
    for r in rows {
        attendance_entity::ActiveModel {
            meeting_id: Set(meeting_id.get()),
            person_id: Set(r.person_id.get()),
            status: Set(r.status.code().to_owned()),
            reason: Set(r.reason.clone()),
        }
        .update(tx.conn())
        .await?;
    }
    retally(tx, meeting_id).await
}

/// A roll's tally on a meeting's row.
fn set_tally(model: &mut entity::ActiveModel, rows: &[AttendanceRow]) -> Result<()> {
    let count = |s: Option<Attendance>| {
        i32::try_from(
            rows.iter()
                .filter(|r| s.is_none_or(|s| r.status == s))
                .count(),
        )
        .map_err(StoreError::corrupt)
    };
    model.expected_count = Set(count(None)?);
    model.present_count = Set(count(Some(Attendance::Present))?);
    model.excused_count = Set(count(Some(Attendance::Excused))?);
    model.absent_count = Set(count(Some(Attendance::Absent))?);
    Ok(())
}

/// Counts a meeting's roll again onto its row, in the transaction that changed the roll.
async fn retally(tx: &WriteTx, meeting_id: MeetingId) -> Result<()> {
    let rows = rolls_of(tx.conn(), &[meeting_id])
        .await?
        .remove(&meeting_id)
        .unwrap_or_default();
    let mut model = entity::ActiveModel {
        id: Set(meeting_id.get()),
        ..Default::default()
    };
    set_tally(&mut model, &rows)?;
    model.update(tx.conn()).await?;
    Ok(())
}

pub async fn insert_correction(tx: &WriteTx, c: &Correction) -> Result<()> {
    correction_entity::ActiveModel {
        id: Set(c.id),
        meeting_id: Set(c.meeting_id.get()),
        text: Set(c.text.clone()),
        recorded_by_name: Set(c.recorded_by_name.clone()),
        created_at: Set(c.created_at),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// The corrections of meetings the caller read, oldest first, by meeting.
pub async fn corrections<C: ConnectionTrait>(
    db: &C,
    meetings: &[Visible<Meeting>],
) -> Result<HashMap<MeetingId, Vec<Correction>>> {
    let mut out: HashMap<MeetingId, Vec<Correction>> = HashMap::new();
    for chunk in meetings.chunks(500) {
        let rows = correction_entity::Entity::find()
            .filter(correction_entity::Column::MeetingId.is_in(chunk.iter().map(|m| m.id.get())))
            .order_by_asc(correction_entity::Column::CreatedAt)
            .all(db)
            .await?;
        for c in rows {
            out.entry(MeetingId::new(c.meeting_id))
                .or_default()
                .push(Correction {
                    id: c.id,
                    meeting_id: MeetingId::new(c.meeting_id),
                    text: c.text,
                    recorded_by_name: c.recorded_by_name,
                    created_at: c.created_at,
                });
        }
    }
    Ok(out)
}

/// Many meetings at once with their attendance (the demo's year of organizational life), a
/// few hundred rows a statement.
pub async fn insert_many(tx: &WriteTx, meetings: &[(Meeting, Vec<AttendanceRow>)]) -> Result<()> {
    for chunk in meetings.chunks(300) {
        let models = chunk
            .iter()
            .map(|(m, rows)| {
                let mut model = active(m)?;
                set_tally(&mut model, rows)?;
                Ok(model)
            })
            .collect::<Result<Vec<_>>>()?;
        Entity::insert_many(models)
            .exec_without_returning(tx.conn())
            .await?;
    }
    let rows: Vec<attendance_entity::ActiveModel> = meetings
        .iter()
        .flat_map(|(m, rows)| {
            rows.iter().map(move |r| attendance_entity::ActiveModel {
                meeting_id: Set(m.id.get()),
                person_id: Set(r.person_id.get()),
                status: Set(r.status.code().to_owned()),
                reason: Set(r.reason.clone()),
            })
        })
        .collect();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(1_000).collect();
        attendance_entity::Entity::insert_many(chunk)
            .exec_without_returning(tx.conn())
            .await?;
    }
    Ok(())
}

/// Issues new check-in codes (their hashes) for a meeting's attendees; the unused codes
/// issued before stop working.
pub async fn replace_check_ins(
    tx: &WriteTx,
    meeting_id: MeetingId,
    codes: &[(String, PersonId)],
    now_ms: i64,
) -> Result<()> {
    check_in_entity::Entity::delete_many()
        .filter(check_in_entity::Column::MeetingId.eq(meeting_id.get()))
        .filter(check_in_entity::Column::UsedAt.is_null())
        .exec(tx.conn())
        .await?;
    for chunk in codes.chunks(500) {
        let rows: Vec<check_in_entity::ActiveModel> = chunk
            .iter()
            .map(|(hash, person)| check_in_entity::ActiveModel {
                token_hash: Set(hash.clone()),
                meeting_id: Set(meeting_id.get()),
                person_id: Set(person.get()),
                issued_at: Set(now_ms),
                used_at: Set(None),
            })
            .collect();
        check_in_entity::Entity::insert_many(rows)
            .exec_without_returning(tx.conn())
            .await?;
    }
    Ok(())
}

/// The check-in code with this hash. Unscoped on purpose: the code itself is the holder's
/// authority, as a one-time ballot link is.
async fn find_check_in<C: ConnectionTrait>(db: &C, token_hash: &str) -> Result<Option<CheckIn>> {
    Ok(check_in_entity::Entity::find_by_id(token_hash.to_owned())
        .one(db)
        .await?
        .map(|c| CheckIn {
            meeting_id: MeetingId::new(c.meeting_id),
            person_id: PersonId::new(c.person_id),
            used_at: c.used_at,
        }))
}

/// A check-in code with its meeting: the only way to the meeting without a scope.
pub async fn meeting_of_check_in<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
) -> Result<Option<(CheckIn, Meeting)>> {
    let Some(code) = find_check_in(db, token_hash).await? else {
        return Ok(None);
    };
    let Some(m) = Entity::find_by_id(code.meeting_id.get()).one(db).await? else {
        return Ok(None);
    };
    Ok(Some((code, to_meeting(m)?)))
}

/// Marks a code used; false when it was used already (two taps racing), so it counts once.
pub async fn use_check_in(tx: &WriteTx, token_hash: &str, now_ms: i64) -> Result<bool> {
    let done = check_in_entity::Entity::update_many()
        .col_expr(check_in_entity::Column::UsedAt, Expr::value(now_ms))
        .filter(check_in_entity::Column::TokenHash.eq(token_hash))
        .filter(check_in_entity::Column::UsedAt.is_null())
        .exec(tx.conn())
        .await?;
    Ok(done.rows_affected == 1)
}

pub async fn insert_talks(tx: &WriteTx, talks: &[HeartTalkRecord]) -> Result<()> {
    for chunk in talks.chunks(500) {
        talk_entity::Entity::insert_many(chunk.iter().map(|t| talk_entity::ActiveModel {
            id: Set(t.id),
            org_id: Set(t.org_id.get()),
            org_path: Set(t.org_path.as_str().to_owned()),
            talker_id: Set(t.talk.talker_id.get()),
            talkee_id: Set(t.talk.talkee_id.get()),
            on_date: Set(t.talk.on),
            place: Set(t.talk.place.clone()),
            summary: Set(t.talk.summary.clone()),
            recorded_by_name: Set(t.recorded_by_name.clone()),
            created_at: Set(t.created_at),
        }))
        .exec(tx.conn())
        .await?;
    }
    Ok(())
}

/// The talks a reader may see of a subtree, held within a period.
fn talks_in(
    access: &Access,
    under: &OrgPath,
    (from, until): (NaiveDate, NaiveDate),
) -> sea_orm::Select<talk_entity::Entity> {
    talk_entity::Entity::find()
        .filter(scope::within_under(
            talk_entity::Column::OrgPath,
            &access.scopes(Action::ReadRecords),
            Some(under),
        ))
        .filter(talk_entity::Column::OnDate.gte(from))
        .filter(talk_entity::Column::OnDate.lte(until))
}

/// How many talks a subtree held in a period, however many there are, and everyone who took
/// part in one.
pub async fn talk_tally<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    (from, until): (NaiveDate, NaiveDate),
) -> Result<(u64, std::collections::HashSet<PersonId>)> {
    let select = talks_in(access, under, (from, until));
    let total = select.clone().count(db).await?;
    let pairs: Vec<(i64, i64)> = select
        .select_only()
        .column(talk_entity::Column::TalkerId)
        .column(talk_entity::Column::TalkeeId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok((
        total,
        pairs
            .into_iter()
            .flat_map(|(a, b)| [a, b])
            .map(PersonId::new)
            .collect(),
    ))
}

/// The heart talks recorded in a subtree in `[from, until]`, newest first, at most `limit`.
pub async fn talks_of_subtree<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    (from, until): (NaiveDate, NaiveDate),
    limit: u64,
) -> Result<Vec<HeartTalkRecord>> {
    talks_in(access, under, (from, until))
        .order_by_desc(talk_entity::Column::OnDate)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            Ok(HeartTalkRecord {
                id: t.id,
                org_id: OrgId::new(t.org_id),
                org_path: OrgPath::parse(&t.org_path)
                    .ok_or_else(|| StoreError::corrupt(&t.org_path))?,
                talk: HeartTalk {
                    talker_id: PersonId::new(t.talker_id),
                    talkee_id: PersonId::new(t.talkee_id),
                    on: t.on_date,
                    place: t.place,
                    summary: t.summary,
                },
                recorded_by_name: t.recorded_by_name,
                created_at: t.created_at,
            })
        })
        .collect()
}

/// The meetings a person is expected at, starting in `[from_ms, until_ms)`, soonest first.
/// The person's own: the caller found them as the account's person.
pub async fn upcoming_of_person<C: ConnectionTrait>(
    db: &C,
    person_id: PersonId,
    (from_ms, until_ms): (i64, i64),
    limit: u64,
) -> Result<Vec<Meeting>> {
    Entity::find()
        .inner_join(attendance_entity::Entity)
        .filter(attendance_entity::Column::PersonId.eq(person_id.get()))
        .filter(Column::StartsAt.gte(from_ms))
        .filter(Column::StartsAt.lt(until_ms))
        .order_by_asc(Column::StartsAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_meeting)
        .collect()
}

/// The meetings of the reader's scopes starting in `[from_ms, until_ms)`, soonest first.
pub async fn upcoming_in_scope<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    (from_ms, until_ms): (i64, i64),
    limit: u64,
) -> Result<Vec<Meeting>> {
    Entity::find()
        .filter(scope::within(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
        ))
        .filter(Column::StartsAt.gte(from_ms))
        .filter(Column::StartsAt.lt(until_ms))
        .order_by_asc(Column::StartsAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_meeting)
        .collect()
}

/// Replaces an account's calendar link with a new one (its hash); the old one stops working.
pub async fn replace_feed(
    tx: &WriteTx,
    user_id: AccountId,
    token_hash: &str,
    now_ms: i64,
) -> Result<()> {
    revoke_feeds(tx, user_id, now_ms).await?;
    feed_entity::ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        user_id: Set(user_id.get()),
        created_at: Set(now_ms),
        revoked_at: Set(None),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// Stops an account's calendar links; how many were working.
pub async fn revoke_feeds(tx: &WriteTx, user_id: AccountId, now_ms: i64) -> Result<u64> {
    Ok(feed_entity::Entity::update_many()
        .col_expr(feed_entity::Column::RevokedAt, Expr::value(now_ms))
        .filter(feed_entity::Column::UserId.eq(user_id.get()))
        .filter(feed_entity::Column::RevokedAt.is_null())
        .exec(tx.conn())
        .await?
        .rows_affected)
}

/// The account whose working calendar link has this hash.
pub async fn feed_account<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
) -> Result<Option<AccountId>> {
    Ok(feed_entity::Entity::find_by_id(token_hash.to_owned())
        .filter(feed_entity::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .map(|f| AccountId::new(f.user_id)))
}

/// When the account's working calendar link was made, if it has one.
pub async fn feed_made_at<C: ConnectionTrait>(db: &C, user_id: AccountId) -> Result<Option<i64>> {
    Ok(feed_entity::Entity::find()
        .filter(feed_entity::Column::UserId.eq(user_id.get()))
        .filter(feed_entity::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .map(|f| f.created_at))
}

/// What a subtree held in `[from, until]`, by kind: meetings held, and person-times by status,
/// summed from the meetings' tallies in the database.
pub async fn figures<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    under: &OrgPath,
    (from, until): (NaiveDate, NaiveDate),
) -> Result<(Vec<(MeetingKind, i64)>, Vec<(MeetingKind, Attendance, i64)>)> {
    let held_filter = || in_subtree(access, under, (from, until)).add(held());
    let held: Vec<(String, i64)> = Entity::find()
        .select_only()
        .column(Column::Kind)
        .column_as(Column::Id.count(), "n")
        .filter(held_filter())
        .group_by(Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let tallies: Vec<(String, i64, i64, i64)> = Entity::find()
        .select_only()
        .column(Column::Kind)
        .column_as(Column::PresentCount.sum(), "present")
        .column_as(Column::ExcusedCount.sum(), "excused")
        .column_as(Column::AbsentCount.sum(), "absent")
        .filter(held_filter())
        .group_by(Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let attendance: Vec<(String, String, i64)> = tallies
        .into_iter()
        .flat_map(|(k, present, excused, absent)| {
            [
                (k.clone(), Attendance::Present.code().to_owned(), present),
                (k.clone(), Attendance::Excused.code().to_owned(), excused),
                (k, Attendance::Absent.code().to_owned(), absent),
            ]
        })
        .collect();
    let kind = |k: &str| MeetingKind::parse(k).ok_or_else(|| StoreError::corrupt(k));
    Ok((
        held.into_iter()
            .map(|(k, n)| Ok((kind(&k)?, n)))
            .collect::<Result<_>>()?,
        attendance
            .into_iter()
            .map(|(k, s, n)| {
                Ok((
                    kind(&k)?,
                    Attendance::parse(&s).ok_or_else(|| StoreError::corrupt(&s))?,
                    n,
                ))
            })
            .collect::<Result<_>>()?,
    ))
}

/// Each person's held meetings in `[from, until]` by how they attended, with the study hours
/// of those they came to, and the last day each came to any meeting: two grouped queries a
/// few hundred people at a time. People with no meeting are left out.
pub async fn years_of_life<C: ConnectionTrait>(
    db: &C,
    person_ids: &[PersonId],
    (from, until): (NaiveDate, NaiveDate),
) -> Result<std::collections::HashMap<PersonId, YearOfLife>> {
    use attendance_entity::Column as A;
    let mut out: std::collections::HashMap<PersonId, YearOfLife> = Default::default();
    for chunk in person_ids.chunks(500) {
        let rows: Vec<(i64, String, i64, i64)> = attendance_entity::Entity::find()
            .select_only()
            .column(A::PersonId)
            .column(A::Status)
            .column_as(A::PersonId.count(), "n")
            .column_as(Column::StudyHalfHours.sum(), "hours")
            .inner_join(Entity)
            .filter(A::PersonId.is_in(dangjian_domain::ids::raw(chunk)))
            .filter(Column::OnDate.gte(from))
            .filter(Column::OnDate.lte(until))
            .filter(held())
            .group_by(A::PersonId)
            .group_by(A::Status)
            .into_tuple()
            .all(db)
            .await?;
        for (person, status, n, hours) in rows {
            let year = out.entry(PersonId::new(person)).or_default();
            let n = u32::try_from(n).map_err(StoreError::corrupt)?;
            match Attendance::parse(&status).ok_or_else(|| StoreError::corrupt(&status))? {
                Attendance::Present => {
                    year.present = n;
                    year.hours =
                        StudyHours::from_halves(u32::try_from(hours).map_err(StoreError::corrupt)?);
                }
                Attendance::Excused => year.excused = n,
                Attendance::Absent => year.absent = n,
            }
        }
        let last: Vec<(i64, String, Option<NaiveDate>)> = attendance_entity::Entity::find()
            .select_only()
            .column(A::PersonId)
            .column(A::Status)
            .column_as(Column::OnDate.max(), "last")
            .inner_join(Entity)
            .filter(A::PersonId.is_in(dangjian_domain::ids::raw(chunk)))
            .filter(A::Status.is_in([Attendance::Present.code(), Attendance::Excused.code()]))
            .filter(held())
            .group_by(A::PersonId)
            .group_by(A::Status)
            .into_tuple()
            .all(db)
            .await?;
        for (person, status, day) in last {
            let year = out.entry(PersonId::new(person)).or_default();
            if status == Attendance::Excused.code() {
                year.last_excused = day;
            } else {
                year.last_present = day;
            }
        }
    }
    Ok(out)
}
