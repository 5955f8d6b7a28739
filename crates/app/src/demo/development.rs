//! The demo's development records: for each applicant, activist, candidate and probationary
//! member, the steps a branch would have recorded by today, at the usual pace. Every step is
//! checked by the domain's rules as it is made, so the records are ones the platform itself
//! would have accepted; a step that would pass its deadline is left unrecorded instead, which
//! gives the board its overdue items.

use chrono::{Duration, Months, NaiveDate};
use dangjian_domain::calendar::WorkCalendar;
use dangjian_domain::development::{
    Context, DecisionBody, DevelopmentRules, History, RollCall, RollEntry, Stage, Step, StepDetail,
    StepEntry, VoteCount, Voucher,
};
use dangjian_domain::ids::PersonId;
use dangjian_domain::meetings::{AttendanceRow, Meeting};
use dangjian_domain::org::Org;
use dangjian_domain::people::{PersonStatus, age_on};
use dangjian_store::people::PersonRecord;
use rand::Rng;
use rand::rngs::StdRng;

/// What the generator knows of a person's branch.
pub(super) struct Branch<'a> {
    pub org: &'a Org,
    pub has_committee: bool,
    /// Its full members: mentors, sponsors and voters.
    pub full: &'a [(PersonId, String)],
    /// Its members, full and probationary: who sign in at a 支部党员大会.
    pub members: &'a [PersonId],
}

fn days(rng: &mut StdRng, from: i64, to: i64) -> Duration {
    Duration::days(rng.random_range(from..=to))
}

/// Every step at a usual pace from an application on `applied`, up to the vote on the
/// admission and the approval after it.
fn schedule(
    applied: NaiveDate,
    birth: NaiveDate,
    branch: &Branch<'_>,
    rules: &DevelopmentRules,
    calendar: &WorkCalendar,
    rng: &mut StdRng,
) -> Vec<StepEntry> {
    let mut steps = Vec::new();
    let mut on = applied;
    let mut push = |step: Step, on: NaiveDate, detail: StepDetail| {
        let body = match step {
            Step::ActivistChosen | Step::CandidateChosen if !branch.has_committee => {
                DecisionBody::GeneralMeeting
            }
            s => s.default_body(),
        };
        steps.push(StepEntry {
            step,
            on,
            body,
            detail,
        });
    };
    let voucher = |(id, name): &(PersonId, String)| Voucher {
        person_id: *id,
        name: name.clone(),
        status: PersonStatus::Full,
        on_probation_discipline: false,
    };
    push(Step::Application, on, StepDetail::Plain);
    // Now and then a talk comes late: it stays unrecorded and shows as overdue.
    on += days(rng, 5, 36);
    push(Step::Talk, on, StepDetail::Plain);
    on = applied
        .checked_add_months(Months::new(rules.application_min_months))
        .unwrap_or(on)
        .max(on)
        + days(rng, 0, 60);
    // The schedule is shifted into the past later: leave room for a few years of age.
    let young = age_on(birth, on) < rules.league_up_to_age + 4;
    push(
        Step::ActivistChosen,
        on,
        StepDetail::Recommendation { by_league: young },
    );
    let chosen = on;
    on += days(rng, 3, 10);
    push(Step::ActivistFiled, on, StepDetail::Plain);
    on += days(rng, 1, 7);
    let mentors = branch.full.iter().take(1).map(voucher).collect();
    push(
        Step::MentorsAssigned,
        on,
        StepDetail::Members { members: mentors },
    );
    // Half-yearly from the day the activist was chosen, for a year or more.
    let mut assessed = chosen;
    while assessed < chosen + Duration::days(365) {
        assessed += days(rng, 150, 180);
        push(Step::Assessment, assessed, StepDetail::Plain);
    }
    on = assessed;
    on = on.max(chosen.checked_add_months(Months::new(12)).unwrap_or(on)) + days(rng, 1, 30);
    push(
        Step::CandidateChosen,
        on,
        StepDetail::Hearing {
            group: true,
            mentors: true,
            members: true,
            non_members: true,
        },
    );
    on += days(rng, 3, 10);
    push(Step::CandidateFiled, on, StepDetail::Plain);
    on += days(rng, 1, 7);
    let sponsors = branch.full.iter().take(2).map(voucher).collect();
    push(
        Step::SponsorsChosen,
        on,
        StepDetail::Members { members: sponsors },
    );
    on += days(rng, 10, 30);
    push(
        Step::BackgroundReview,
        on,
        StepDetail::Review { passed: true },
    );
    on += days(rng, 5, 20);
    push(
        Step::Training,
        on,
        StepDetail::Training {
            hours: 24 + rng.random_range(0..=8),
            days: 3,
        },
    );
    on += days(rng, 3, 15);
    push(Step::CommitteeReview, on, StepDetail::Plain);
    on += days(rng, 5, 25);
    push(Step::PreReview, on, StepDetail::Review { passed: true });
    on += days(rng, 1, 3);
    let until = calendar.window_end(on, rules.publicity_working_days);
    push(
        Step::Publicity,
        on,
        StepDetail::Publicity {
            until,
            objections: 0,
            unresolved: 0,
        },
    );
    on = until + days(rng, 1, 5);
    push(Step::Form, on, StepDetail::Plain);
    on += days(rng, 2, 10);
    // One voter in five could not come; everyone who came votes yes.
    let absent = branch.full.len() / 5;
    let roll: Vec<RollEntry> = branch
        .full
        .iter()
        .enumerate()
        .map(|(i, (id, name))| RollEntry {
            person_id: *id,
            name: name.clone(),
            call: if i < absent {
                RollCall::Absent
            } else {
                RollCall::Present
            },
        })
        .collect();
    let count = VoteCount::from_roll(&roll, (0, 0, 0));
    push(
        Step::AdmissionVote,
        on,
        StepDetail::Vote {
            count: VoteCount {
                yes: count.attending,
                ..count
            },
            roll,
            // Set once the vote's day is known: the meeting is made for it.
            meeting_id: None,
        },
    );
    on += days(rng, 5, 20);
    push(Step::HigherTalk, on, StepDetail::Plain);
    on += days(rng, 10, 60);
    push(Step::AdmissionApproval, on, StepDetail::Plain);
    on += days(rng, 3, 10);
    push(Step::AdmissionFiled, on, StepDetail::Plain);
    on += days(rng, 1, 5);
    push(Step::Placement, on, StepDetail::Plain);
    on += days(rng, 1, 30);
    push(Step::Oath, on, StepDetail::Plain);
    on += days(rng, 150, 183);
    push(Step::ContinuedAssessment, on, StepDetail::Plain);
    steps
}

/// The steps recorded by `today` for a person of the roster, at the stage the roster gives,
/// and the 支部党员大会 their vote was taken at. A `fresh` applicant handed in the application
/// two days ago: the talk is still to come.
pub(super) fn record(
    person: &PersonRecord,
    fresh: bool,
    branch: &Branch<'_>,
    (rules, calendar): (&DevelopmentRules, &WorkCalendar),
    today: NaiveDate,
    ids: &mut dyn FnMut() -> i64,
    rng: &mut StdRng,
) -> (Vec<StepEntry>, Vec<(Meeting, Vec<AttendanceRow>)>) {
    let p = &person.person;
    let Some(stage) = Stage::ALL.iter().copied().find(|s| s.status() == p.status) else {
        return Default::default();
    };
    // The step that opens the person's stage, placed where their stage says, and the step
    // the stage ends before.
    let (anchor, anchor_on, stop) = match stage {
        Stage::Applicant => (
            Step::Application,
            today
                - if fresh {
                    days(rng, 2, 2)
                } else {
                    days(rng, 1, 200)
                },
            Step::ActivistChosen,
        ),
        Stage::Activist => (
            Step::ActivistChosen,
            today - days(rng, 10, 360),
            Step::CandidateChosen,
        ),
        Stage::Candidate => (
            Step::CandidateChosen,
            today - days(rng, 10, 200),
            Step::AdmissionApproval,
        ),
        Stage::Probationary => match p.join_date {
            Some(join) => (Step::AdmissionVote, join, Step::ConfirmationVote),
            None => return Default::default(),
        },
        Stage::Full => return Default::default(),
    };
    let draft = schedule(today, p.birth_date, branch, rules, calendar, rng);
    let Some(offset) = draft
        .iter()
        .find(|s| s.step == anchor)
        .map(|s| s.on - today)
    else {
        return Default::default();
    };
    let shift = anchor_on - today - offset;
    let ctx = Context {
        birth_date: p.birth_date,
        branch_has_committee: branch.has_committee,
        today,
    };
    let mut history = History::default();
    let mut meetings = Vec::new();
    for mut entry in draft {
        entry.on += shift;
        if entry.step == stop || entry.on > today {
            break;
        }
        let mut meeting = None;
        match &mut entry.detail {
            // Holidays fall elsewhere on the shifted days: count the window again.
            StepDetail::Publicity { until, .. } => {
                *until = calendar.window_end(entry.on, rules.publicity_working_days);
            }
            StepDetail::Vote {
                roll, meeting_id, ..
            } => {
                let m = super::meetings::vote_meeting(
                    branch.org,
                    (entry.on, &p.name),
                    (branch.members, roll),
                    ids(),
                );
                *meeting_id = Some(m.0.id);
                meeting = Some(m);
            }
            _ => {}
        }
        // A step the rules refuse, or one past its deadline, is where this record stops.
        match history.check(&entry, &ctx, rules, calendar) {
            Ok(None) => {
                history.steps.push(entry);
                meetings.extend(meeting);
            }
            _ => break,
        }
    }
    // A record that stops short of the stage the roster gives would list its holder as
    // overdue for a step taken long ago: such a person came in at go-live, without one.
    if history.stage() != stage {
        return Default::default();
    }
    (history.steps, meetings)
}
