//! The demo's thought reports: everyone on the way to membership writes one a quarter from
//! the day they became an activist (an applicant one since applying), handed to their
//! mentors, who have answered all but the most recent.

use chrono::{Datelike, Duration, NaiveDate};
use dangjian_domain::development::thought_report::ThoughtReport;
use dangjian_domain::development::thought_report::{Answer, ThoughtReportRecord};
use dangjian_domain::development::{Step, StepDetail, StepEntry};
use dangjian_domain::ids::PersonId;
use dangjian_store::people::PersonRecord;
use rand::Rng;
use rand::rngs::StdRng;

const OPENINGS: [&str; 4] = [
    "敬爱的党组织：\n这一季度，我认真学习了党的创新理论，参加了支部组织的主题党日活动，对党的宗旨有了更深的理解。",
    "敬爱的党组织：\n本季度我结合专业学习和社会实践，反复研读党章，努力用党员标准要求自己。",
    "敬爱的党组织：\n近来我通读了党课教材，参加了学院组织的志愿服务，思想上有了新的收获。",
    "敬爱的党组织：\n这段时间我在培养联系人的帮助下查找差距，学习了身边优秀党员的事迹。",
];

const CLOSINGS: [&str; 3] = [
    "我也认识到自己在理论联系实际方面还有不足，今后将加强学习，积极向党组织靠拢。\n请党组织考验。",
    "今后我将在学习和工作中发挥带头作用，主动帮助身边同学，接受党组织和群众的监督。\n请党组织考验。",
    "我将继续端正入党动机，在思想上、行动上与党组织保持一致。\n请党组织考验。",
];

const ANSWERS: [&str; 4] = [
    "汇报认真，体会真切。希望继续加强理论学习，在班级工作中多发挥作用。",
    "思想认识有提高，建议多结合专业实际谈体会，下季度重点学习党章第二章。",
    "能够对照党员标准查找不足，望在志愿服务中继续锻炼自己。",
    "内容充实。要注意把学习成果转化为行动，多与身边党员交流。",
];

/// The quarter a day falls in, as the title names it.
fn title(on: NaiveDate) -> String {
    const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];
    let quarter = usize::try_from(on.month0() / 3).map_or("四", |q| QUARTERS[q.min(3)]);
    format!("{}年第{quarter}季度思想汇报", on.year())
}

/// The reports of one person of the roster by `today`, from their development steps; `id`
/// gives each report its id.
pub(super) fn of_person(
    person: &PersonRecord,
    steps: &[&StepEntry],
    today: NaiveDate,
    rng: &mut StdRng,
    mut id: impl FnMut() -> i64,
) -> Vec<ThoughtReportRecord> {
    let find = |step: Step| steps.iter().find(|s| s.step == step);
    let mentors: Vec<(PersonId, String)> = match find(Step::MentorsAssigned).map(|s| &s.detail) {
        Some(StepDetail::Members { members }) => members
            .iter()
            .map(|m| (m.person_id, m.name.clone()))
            .collect(),
        _ => Vec::new(),
    };
    let Some(first) = find(Step::ActivistChosen)
        .or_else(|| find(Step::Application))
        .map(|s| s.on)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut on = first + Duration::days(rng.random_range(60..=100));
    while on <= today {
        let mut body = String::from(OPENINGS[rng.random_range(0..OPENINGS.len())]);
        body.push('\n');
        body.push_str(CLOSINGS[rng.random_range(0..CLOSINGS.len())]);
        body.push_str(&format!("\n汇报人：{}\n{}", person.person.name, on));
        let next = on + Duration::days(rng.random_range(80..=100));
        // The mentor answers within a fortnight; the latest may still wait.
        let answered_on = on + Duration::days(rng.random_range(1..=14));
        let latest = next > today;
        let answered = !latest || (answered_on < today && rng.random_bool(0.5));
        let answer = match mentors.first() {
            Some((mentor, name)) if answered => Some(Answer {
                text: ANSWERS[rng.random_range(0..ANSWERS.len())].to_owned(),
                by_person_id: *mentor,
                by_name: name.clone(),
                at: super::at(answered_on, 20),
            }),
            _ => None,
        };
        out.push(ThoughtReportRecord {
            id: id(),
            person_id: person.person.id,
            org_id: person.person.org_id,
            org_path: person.org_path.clone(),
            report: ThoughtReport {
                title: title(on),
                body,
            },
            handed_in_on: on,
            mentor_ids: mentors.iter().map(|(m, _)| *m).collect(),
            answer,
            created_at: super::at(on, 12),
        });
        on = next;
    }
    out
}
