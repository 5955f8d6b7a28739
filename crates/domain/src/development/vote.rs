//! The vote of a 支部大会 on an admission (step 15) or a confirmation (step 23): taken at a
//! 支部党员大会 recorded in organizational life, with the roll of the branch's full members
//! entitled to vote on the meeting's day (RULES.md §1 step 15). The meeting is entered once:
//! the step refers to it, and the roll agrees with its sign-in.

use super::{RollCall, RollEntry, Step};
use crate::ids::{MeetingId, OrgId, PersonId};
use crate::meetings::{Attendance, AttendanceRow, Meeting, MeetingKind};
use crate::{DomainError, FieldError, RuleCode};
use chrono::NaiveDate;

/// Where a vote step's rule is written: the admission's 细则 section, or the confirmation's.
fn basis(step: Step) -> &'static str {
    match step {
        Step::ConfirmationVote => "细则第三十二条",
        _ => "细则·支部大会讨论接收预备党员",
    }
}

/// The meeting a vote was taken at: every vote names its 支部党员大会.
pub fn taken_at_meeting(meeting_id: Option<MeetingId>) -> Result<MeetingId, DomainError> {
    meeting_id.ok_or_else(|| {
        FieldError::new(
            "meeting_id",
            "支部党员大会",
            "请选择表决所在的支部党员大会（先在组织生活中登记这次会议）",
        )
        .into()
    })
}

/// Whether a meeting's sign-in has `id` present.
fn signed_in(attendance: &[AttendanceRow], id: PersonId) -> bool {
    attendance
        .iter()
        .any(|r| r.person_id == id && r.status == Attendance::Present)
}

/// The roll a meeting's sign-in proposes for a vote: each member `entitled` present where
/// they signed in, absent otherwise (a written opinion is the recorder's to mark).
pub fn proposed_roll(
    entitled: &[(PersonId, String)],
    attendance: &[AttendanceRow],
) -> Vec<RollEntry> {
    entitled
        .iter()
        .map(|(id, name)| RollEntry {
            person_id: *id,
            name: name.clone(),
            call: if signed_in(attendance, *id) {
                RollCall::Present
            } else {
                RollCall::Absent
            },
        })
        .collect()
}

/// The roll of a vote on `step` held on `on` by `branch` at `meeting` (with its sign-in
/// `attendance`), as `taken`: exactly the members `entitled` that day, each once, and each
/// present on the roll exactly when the sign-in has them present.
pub fn take_roll(
    step: Step,
    (on, branch): (NaiveDate, OrgId),
    (meeting, attendance): (&Meeting, &[AttendanceRow]),
    entitled: &[(PersonId, String)],
    taken: &[(PersonId, RollCall)],
) -> Result<Vec<RollEntry>, DomainError> {
    let wrong_meeting = |message: String| -> DomainError {
        FieldError::new("meeting_id", "支部党员大会", message).into()
    };
    if meeting.org_id != branch {
        return Err(wrong_meeting("应为本支部召开的支部党员大会".to_owned()));
    }
    if meeting.plan.kind != MeetingKind::GeneralMeeting {
        return Err(wrong_meeting(format!(
            "应为支部党员大会，所选会议是{}",
            meeting.plan.kind.label()
        )));
    }
    if !meeting.state.is_held() {
        return Err(wrong_meeting(
            "该会议尚未登记召开：请先登记会议的召开和签到".to_owned(),
        ));
    }
    let held_on = meeting.plan.starts_at.date();
    if held_on != on {
        return Err(FieldError::new(
            "on",
            "日期",
            format!("表决日期应为支部党员大会召开的日期（{held_on}）"),
        )
        .into());
    }
    let refuse = |message: String| DomainError::Rule {
        code: RuleCode::DevelopmentRollOfVoters,
        field: Some("roll"),
        message,
        basis: basis(step),
    };
    if entitled.is_empty() {
        return Err(refuse(format!(
            "{on} 本支部没有有表决权的正式党员，不能表决"
        )));
    }
    let mut ids: Vec<PersonId> = taken.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut voters: Vec<PersonId> = entitled.iter().map(|(id, _)| *id).collect();
    voters.sort_unstable();
    if ids.len() != taken.len() || ids != voters {
        return Err(DomainError::Rule {
            code: RuleCode::DevelopmentRollOfVoters,
            field: Some("roll"),
            message: format!(
                "到会名单应列出 {on} 本支部有表决权的全体正式党员（{} 人），每人一次；受留党察看处分的党员没有表决权",
                entitled.len()
            ),
            basis: "党章第四十条、细则·支部大会讨论接收预备党员",
        });
    }
    entitled
        .iter()
        .map(|(id, name)| {
            let call = taken
                .iter()
                .find(|(t, _)| t == id)
                .map_or(RollCall::Absent, |(_, c)| *c);
            if (call == RollCall::Present) != signed_in(attendance, *id) {
                let signed = attendance.iter().find(|r| r.person_id == *id);
                return Err(refuse(format!(
                    "{name}：到会名单记为{}，支部党员大会签到记录为{}",
                    call.label(),
                    signed.map_or("未列入", |r| r.status.label())
                )));
            }
            Ok(RollEntry {
                person_id: *id,
                name: name.clone(),
                call,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::{MeetingPlan, MeetingState};
    use crate::org::OrgPath;

    type A = Attendance;
    type R = RollCall;

    const BRANCH: OrgId = OrgId::new(7);

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn meeting(kind: MeetingKind, state: MeetingState) -> Meeting {
        Meeting {
            id: MeetingId::new(1),
            org_id: BRANCH,
            org_path: OrgPath::root(BRANCH),
            plan: MeetingPlan {
                kind,
                topic: "讨论接收预备党员".to_owned(),
                starts_at: d("2025-12-05").and_hms_opt(14, 30, 0).unwrap(),
                place: "会议室".to_owned(),
                first_agenda_item: None,
                agenda: Vec::new(),
                study_hours: Default::default(),
                lecturer: None,
            },
            minutes: "表决".to_owned(),
            resolutions: String::new(),
            state,
            recorded_by_name: "书记".to_owned(),
            locked_at: None,
            locked_by_name: None,
            created_at: 0,
        }
    }

    fn entitled() -> Vec<(PersonId, String)> {
        (1..=3)
            .map(|i| (PersonId::new(i), format!("党员{i}")))
            .collect()
    }

    fn signed(statuses: &[Attendance]) -> Vec<AttendanceRow> {
        statuses
            .iter()
            .enumerate()
            .map(|(i, s)| AttendanceRow {
                person_id: PersonId::new(i as i64 + 1),
                status: *s,
                reason: String::new(),
            })
            .collect()
    }

    fn take(
        m: &Meeting,
        on: &str,
        sign_in: &[Attendance],
        taken: &[RollCall],
    ) -> Result<Vec<RollEntry>, DomainError> {
        let taken: Vec<(PersonId, RollCall)> = taken
            .iter()
            .enumerate()
            .map(|(i, c)| (PersonId::new(i as i64 + 1), *c))
            .collect();
        take_roll(
            Step::AdmissionVote,
            (d(on), BRANCH),
            (m, &signed(sign_in)),
            &entitled(),
            &taken,
        )
    }

    fn field(r: Result<Vec<RollEntry>, DomainError>) -> &'static str {
        match r {
            Err(DomainError::Field(f)) => f.field,
            Err(DomainError::Rule { field, .. }) => field.unwrap_or("rule"),
            Ok(_) => "ok",
        }
    }

    #[test]
    fn a_vote_is_taken_at_a_held_general_meeting_of_the_branch_on_its_day_细则支部大会讨论() {
        let held = meeting(MeetingKind::GeneralMeeting, MeetingState::Held);
        let ok = take(
            &held,
            "2025-12-05",
            &[A::Present, A::Present, A::Excused],
            &[R::Present, R::Present, R::Written],
        )
        .unwrap();
        assert_eq!(ok.len(), 3);
        assert!(
            taken_at_meeting(None).is_err(),
            "every vote names its meeting"
        );
        let lecture = meeting(MeetingKind::PartyLecture, MeetingState::Held);
        let planned = meeting(MeetingKind::GeneralMeeting, MeetingState::Planned);
        let elsewhere = Meeting {
            org_id: OrgId::new(8),
            ..held.clone()
        };
        for m in [&lecture, &planned, &elsewhere] {
            assert_eq!(
                field(take(m, "2025-12-05", &[A::Present; 3], &[R::Present; 3])),
                "meeting_id"
            );
        }
        assert_eq!(
            field(take(
                &held,
                "2025-12-06",
                &[A::Present; 3],
                &[R::Present; 3]
            )),
            "on",
            "the vote is dated by its meeting"
        );
    }

    #[test]
    fn the_roll_lists_those_entitled_on_the_day_and_agrees_with_the_sign_in_党章第四十条() {
        let held = meeting(MeetingKind::GeneralMeeting, MeetingState::Held);
        // One missing, or named twice, is no roll of those entitled.
        let err = take(
            &held,
            "2025-12-05",
            &[A::Present; 3],
            &[R::Present, R::Present],
        )
        .unwrap_err();
        assert!(err.to_string().contains("（3 人）"), "{err}");
        // Present on the roll, absent from the sign-in (or the other way): refused by name.
        let err = take(
            &held,
            "2025-12-05",
            &[A::Present, A::Present, A::Absent],
            &[R::Present; 3],
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("党员3：到会名单记为到会，支部党员大会签到记录为缺席"),
            "{err}"
        );
        assert!(
            take(
                &held,
                "2025-12-05",
                &[A::Present, A::Present],
                &[R::Present, R::Present, R::Present]
            )
            .unwrap_err()
            .to_string()
            .contains("未列入"),
            "a voter the meeting did not expect did not sign in"
        );
        assert!(
            take(
                &held,
                "2025-12-05",
                &[A::Present; 3],
                &[R::Present, R::Present, R::Absent]
            )
            .is_err(),
            "signed in but marked absent"
        );
        // The roll the sign-in proposes is one the rule accepts.
        let sign_in = signed(&[A::Present, A::Excused, A::Present]);
        let proposed: Vec<(PersonId, RollCall)> = proposed_roll(&entitled(), &sign_in)
            .into_iter()
            .map(|r| (r.person_id, r.call))
            .collect();
        assert_eq!(proposed[1].1, R::Absent);
        assert!(
            take_roll(
                Step::AdmissionVote,
                (d("2025-12-05"), BRANCH),
                (&held, &sign_in),
                &entitled(),
                &proposed
            )
            .is_ok()
        );
        let none = take_roll(
            Step::ConfirmationVote,
            (d("2025-12-05"), BRANCH),
            (&held, &[]),
            &[],
            &[],
        )
        .unwrap_err();
        assert!(none.to_string().contains("细则第三十二条"), "{none}");
    }
}
