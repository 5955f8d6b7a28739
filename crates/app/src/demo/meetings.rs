//! The demo's organizational life: a year of meetings in every branch up to today, locked by
//! the secretary, with the members' attendance. Most branches keep every rule of RULES.md §2;
//! some skip a meeting now and then, which the compliance page shows as missed.

use chrono::{Datelike, NaiveDate};
use dangjian_domain::development::{RollCall, RollEntry};
use dangjian_domain::ids::PersonId;
use dangjian_domain::learning::StudyHours;
use dangjian_domain::meetings::AttendanceRow;
use dangjian_domain::meetings::HeartTalk;
use dangjian_domain::meetings::HeartTalkRecord;
use dangjian_domain::meetings::Meeting;
use dangjian_domain::meetings::{Attendance, Lecturer, MeetingKind, MeetingPlan, MeetingState};
use dangjian_domain::org::Org;
use rand::Rng;
use rand::rngs::StdRng;

/// What the generator knows of a branch or party group.
pub(super) struct Branch<'a> {
    pub org: &'a Org,
    /// Its members, for the roll.
    pub members: &'a [PersonId],
    /// Its committee, if it has one.
    pub committee: &'a [PersonId],
    /// Its secretary, who holds the heart talks.
    pub secretary: Option<PersonId>,
    pub secretary_name: &'a str,
    /// Its secretary as a lecturer, and the day their seat began: they give the first 党课
    /// after it (RULES.md §2: the secretary lectures once a year).
    pub secretary_lecturer: Option<(Lecturer, NaiveDate)>,
    /// Has held none of this month's meetings yet.
    pub behind: bool,
    /// A party group, which meets as a group each month and holds nothing else.
    pub is_group: bool,
}

/// Of a hundred branches, how many keep every rule.
const COMPLIANT_PERCENT: u32 = 70;
/// How often a lax branch skips a required meeting, in a hundred.
const SKIP_PERCENT: u32 = 35;

/// The visiting lecturers of the demo's other 党课.
const VISITING_LECTURERS: [&str; 3] = [
    "马克思主义学院 王老师",
    "党校 李老师",
    "校党委宣传部 赵老师",
];

fn topic(kind: MeetingKind, month: u32) -> String {
    match kind {
        MeetingKind::CommitteeMeeting => format!("{month}月支委会：研究本月党建工作"),
        MeetingKind::ThemeDay => format!("{month}月主题党日：学习与志愿服务"),
        MeetingKind::GeneralMeeting => format!("第{}季度支部党员大会", (month - 1) / 3 + 1),
        MeetingKind::PartyLecture => format!("第{}季度党课：学习党的创新理论", (month - 1) / 3 + 1),
        MeetingKind::LifeMeeting => "年度组织生活会".to_owned(),
        MeetingKind::GroupMeeting => format!("{month}月党小组会：学习交流"),
        MeetingKind::GroupStudy => format!("{month}月集中学习"),
    }
}

/// The study hours the demo counts for a kind of meeting.
fn hours(kind: MeetingKind) -> StudyHours {
    let h = match kind {
        MeetingKind::PartyLecture => 3,
        MeetingKind::ThemeDay
        | MeetingKind::CommitteeMeeting
        | MeetingKind::LifeMeeting
        | MeetingKind::GroupStudy => 2,
        MeetingKind::GeneralMeeting | MeetingKind::GroupMeeting => 1,
    };
    StudyHours::checked(h).unwrap_or_default()
}

/// What a branch holds in a month.
fn branch_kinds(branch: &Branch<'_>, month: u32) -> Vec<MeetingKind> {
    // Group study each month in every branch (seed 003).
    let mut kinds = vec![MeetingKind::ThemeDay, MeetingKind::GroupStudy];
    if !branch.committee.is_empty() {
        kinds.push(MeetingKind::CommitteeMeeting);
    }
    if month % 3 == 2 {
        kinds.push(MeetingKind::GeneralMeeting);
        kinds.push(MeetingKind::PartyLecture);
    }
    // The year's life meeting, in the fourth quarter as the university asks.
    if month == 11 {
        kinds.push(MeetingKind::LifeMeeting);
    }
    kinds
}

/// The meetings of one branch or party group from January 1st to `today`, each with its
/// roll.
pub(super) fn year_of(
    branch: &Branch<'_>,
    today: NaiveDate,
    ids: &mut dyn FnMut() -> i64,
    rng: &mut StdRng,
) -> Vec<(Meeting, Vec<AttendanceRow>)> {
    let lax = rng.random_range(0..100) >= COMPLIANT_PERCENT;
    let mut out = Vec::new();
    let mut secretary_lectured = false;
    for month in 1..=today.month() {
        if branch.behind && month == today.month() {
            break;
        }
        let kinds = if branch.is_group {
            vec![MeetingKind::GroupMeeting]
        } else {
            branch_kinds(branch, month)
        };
        for kind in kinds {
            if lax && rng.random_range(0..100) < SKIP_PERCENT {
                continue;
            }
            let Some(on) = NaiveDate::from_ymd_opt(today.year(), month, rng.random_range(3..=25))
            else {
                continue;
            };
            if on >= today {
                continue;
            }
            let Some(starts_at) = on.and_hms_opt(rng.random_range(14..=16), 30, 0) else {
                continue;
            };
            let expected = if kind == MeetingKind::CommitteeMeeting {
                branch.committee
            } else {
                branch.members
            };
            let roll: Vec<AttendanceRow> = expected
                .iter()
                .map(|p| {
                    let n = rng.random_range(0..100);
                    let (status, reason) = match n {
                        0..=84 => (Attendance::Present, ""),
                        85..=94 => (Attendance::Excused, "因公出差"),
                        _ => (Attendance::Absent, ""),
                    };
                    AttendanceRow {
                        person_id: *p,
                        status,
                        reason: reason.to_owned(),
                    }
                })
                .collect();
            let lecturer = match &branch.secretary_lecturer {
                _ if kind != MeetingKind::PartyLecture => None,
                Some((secretary, since)) if !secretary_lectured && on >= *since => {
                    secretary_lectured = true;
                    Some(secretary.clone())
                }
                _ => Some(Lecturer {
                    person_id: None,
                    name: VISITING_LECTURERS[rng.random_range(0..VISITING_LECTURERS.len())]
                        .to_owned(),
                }),
            };
            let plan = MeetingPlan {
                kind,
                topic: topic(kind, month),
                starts_at,
                place: "党员活动室".to_owned(),
                first_agenda_item: Some("学习习近平总书记重要讲话和重要指示精神".to_owned()),
                agenda: vec!["通报本月工作".to_owned(), "讨论下月安排".to_owned()],
                study_hours: hours(kind),
                lecturer,
            };
            out.push((locked(branch.org, plan, branch.secretary_name, ids()), roll));
        }
    }
    out
}

/// A meeting of `org` as held to `plan` and locked by its secretary.
fn locked(org: &Org, plan: MeetingPlan, secretary_name: &str, id: i64) -> Meeting {
    let starts_at_ms = dangjian_domain::clock::shanghai_ms(plan.starts_at);
    Meeting {
        id: dangjian_domain::ids::MeetingId::new(id),
        org_id: org.id,
        org_path: org.path.clone(),
        minutes: format!("{}。会议按议程进行，与会党员交流了学习体会。", plan.topic),
        plan,
        resolutions: String::new(),
        state: MeetingState::Locked,
        recorded_by_name: "演示数据".to_owned(),
        locked_at: Some(starts_at_ms),
        locked_by_name: Some(secretary_name.to_owned()),
        created_at: starts_at_ms,
    }
}

/// The 支部党员大会 of `org` on `on` that voted on `candidate`'s admission with `roll`: its
/// members signed in, the voters as the roll has them (RULES.md §1 step 15).
pub(super) fn vote_meeting(
    org: &Org,
    (on, candidate): (NaiveDate, &str),
    (members, roll): (&[PersonId], &[RollEntry]),
    id: i64,
) -> (Meeting, Vec<AttendanceRow>) {
    let plan = MeetingPlan {
        kind: MeetingKind::GeneralMeeting,
        topic: format!("讨论接收{candidate}同志为预备党员"),
        starts_at: on.and_hms_opt(14, 30, 0).unwrap_or_default(),
        place: "党员活动室".to_owned(),
        first_agenda_item: Some("学习习近平总书记重要讲话和重要指示精神".to_owned()),
        agenda: vec!["讨论接收预备党员".to_owned()],
        study_hours: hours(MeetingKind::GeneralMeeting),
        lecturer: None,
    };
    let attendance = members
        .iter()
        .map(|p| {
            let absent = roll
                .iter()
                .any(|r| r.person_id == *p && r.call != RollCall::Present);
            AttendanceRow {
                person_id: *p,
                status: if absent {
                    Attendance::Absent
                } else {
                    Attendance::Present
                },
                reason: String::new(),
            }
        })
        .collect();
    (locked(org, plan, "支部书记", id), attendance)
}

/// What the secretaries' talks were about.
const TALKS: [&str; 4] = [
    "了解近期思想、学习和工作情况，听取对支部工作的意见建议。",
    "交流参加主题党日的体会，提醒按时参加组织生活。",
    "谈毕业去向和家庭困难，支部将帮助联系。",
    "就发挥党员作用、带动身边同学谈了想法。",
];

/// The secretary's heart talks with the members of a branch this year: most of them, each
/// once, on a day gone by.
pub(super) fn talks_of(
    branch: &Branch<'_>,
    today: NaiveDate,
    ids: &mut dyn FnMut() -> i64,
    rng: &mut StdRng,
) -> Vec<HeartTalkRecord> {
    let Some(secretary) = branch.secretary.filter(|_| !branch.is_group) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for member in branch.members.iter().filter(|m| **m != secretary) {
        if rng.random_range(0..100) >= 75 {
            continue;
        }
        let Some(on) = NaiveDate::from_ymd_opt(
            today.year(),
            rng.random_range(1..=today.month()),
            rng.random_range(1..=28),
        )
        .filter(|d| *d < today) else {
            continue;
        };
        let talk = HeartTalk {
            talker_id: secretary,
            talkee_id: *member,
            on,
            place: "党员活动室".to_owned(),
            summary: TALKS[rng.random_range(0..TALKS.len())].to_owned(),
        };
        out.push(HeartTalkRecord {
            id: ids(),
            org_id: branch.org.id,
            org_path: branch.org.path.clone(),
            talk,
            recorded_by_name: branch.secretary_name.to_owned(),
            created_at: super::at(on, 18),
        });
    }
    out
}
