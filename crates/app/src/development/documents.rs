//! The standard documents of a development record, as Word files drawn from the recorded
//! steps: the publicity notice (公示), the request for approval (请示) and its reply (批复),
//! the filing report (备案报告), and the person's development record sheet (纪实表).

use crate::development::DevelopmentCases;
use crate::docx::Document;
use crate::{Actor, AppError, Result};
use chrono::NaiveDate;
use dangjian_domain::development::DevelopmentRules;
use dangjian_domain::development::StepRecord;
use dangjian_domain::development::{History, Step, StepDetail};
use dangjian_domain::ids::PersonId;
use dangjian_domain::labelled_enum;
use dangjian_domain::org::{Org, OrgKind};
use dangjian_domain::people::Person;
use dangjian_domain::platform::role::Action;
use dangjian_store::development as store;
use dangjian_store::org as org_store;
use dangjian_store::people as people_store;

labelled_enum! {
    /// The documents a development record produces.
    pub enum DevelopmentDocument {
        Publicity = ("publicity", "公示"),
        Request = ("request", "请示"),
        Reply = ("reply", "批复"),
        Filing = ("filing", "备案报告"),
        RecordSheet = ("record_sheet", "发展党员纪实表"),
    }
}

/// A date as official documents write it.
fn cn(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// What a document is drawn from.
struct Facts {
    person: Person,
    branch: String,
    /// The committee that pre-reviews and approves (上级党委): the nearest party committee
    /// above the branch.
    committee: String,
    /// The organization department one level further up (再上一级组织部门).
    department: String,
    steps: Vec<StepRecord>,
    history: History,
    today: NaiveDate,
    /// The publicity window: recorded, or proposed from today.
    window: (NaiveDate, NaiveDate),
}

impl Facts {
    fn needs(&self, step: Step, doc: DevelopmentDocument) -> Result<NaiveDate> {
        self.history
            .date_of(step)
            .ok_or_else(|| AppError::Conflict {
                field: "document",
                message: format!("尚未登记“{}”，还不能生成{}", step.label(), doc.label()),
            })
    }

    fn names(&self, step: Step) -> String {
        match self.history.last_of(step).map(|s| &s.detail) {
            Some(d @ StepDetail::Members { .. }) => d.summary(),
            _ => "（未登记）".to_owned(),
        }
    }

    fn profile(&self) -> Vec<Vec<String>> {
        let p = &self.person;
        vec![
            ["姓名", "性别", "民族", "出生年月", "学历", "所在党支部"]
                .map(str::to_owned)
                .to_vec(),
            vec![
                p.name.clone(),
                p.gender.label().to_owned(),
                p.ethnicity.clone(),
                p.birth_date.format("%Y年%-m月").to_string(),
                p.education.label().to_owned(),
                self.branch.clone(),
            ],
        ]
    }

    fn on(&self, step: Step) -> String {
        self.history
            .date_of(step)
            .map_or_else(|| "—".to_owned(), cn)
    }
}

fn compose(doc: DevelopmentDocument, f: &Facts) -> Result<Document> {
    let name = &f.person.name;
    Ok(match doc {
        DevelopmentDocument::Publicity => {
            f.needs(Step::PreReview, doc)?;
            let (from, until) = f.window;
            // Dated by the recorded publicity; a proposed one is a draft of today.
            let dated = f.history.date_of(Step::Publicity).unwrap_or(f.today);
            Document::new()
                .title(&format!("关于{name}同志拟发展为中共预备党员的公示"))
                .para(&format!(
                    "经{}支部委员会研究，并报{}预审同意，拟将{name}同志发展为中共预备党员。现将有关情况公示如下：",
                    f.branch, f.committee
                ))
                .table(&f.profile())
                .table(&[
                    ["递交入党申请书", "确定为入党积极分子", "确定为发展对象", "入党介绍人"]
                        .map(str::to_owned)
                        .to_vec(),
                    vec![
                        f.on(Step::Application),
                        f.on(Step::ActivistChosen),
                        f.on(Step::CandidateChosen),
                        f.names(Step::SponsorsChosen),
                    ],
                ])
                .para(&format!(
                    "公示时间：{}至{}。公示期间，党员和群众可通过来信、来电、来访等方式，向{}或{}反映{name}同志的有关情况。反映情况应实事求是，以个人名义反映的请署真实姓名。",
                    cn(from),
                    cn(until),
                    f.branch,
                    f.committee
                ))
                .signature(&[&f.branch, &cn(dated)])
        }
        DevelopmentDocument::Request => {
            let voted = f.needs(Step::AdmissionVote, doc)?;
            let Some(StepDetail::Vote { count, .. }) =
                f.history.last_of(Step::AdmissionVote).map(|s| &s.detail)
            else {
                return Err(AppError::Integrity("支部大会的表决记录不完整".to_owned()));
            };
            if !count.passed() {
                return Err(AppError::Conflict {
                    field: "document",
                    message: "支部大会未通过接收，不能请示审批".to_owned(),
                });
            }
            Document::new()
                .title(&format!("关于接收{name}同志为中共预备党员的请示"))
                .addressee(&format!("{}：", f.committee))
                .para(&format!(
                    "{}，{}召开支部党员大会，讨论{name}同志的入党问题。支部有表决权的正式党员{}名，到会{}名。经无记名投票表决，赞成{}票，反对{}票，弃权{}票，赞成票超过应到会有表决权的正式党员的半数，通过接收{name}同志为中共预备党员。入党介绍人：{}。",
                    cn(voted),
                    f.branch,
                    count.entitled,
                    count.attending,
                    count.yes,
                    count.no,
                    count.abstain,
                    f.names(Step::SponsorsChosen)
                ))
                .para("妥否，请批示。")
                // Written on the day of the vote it reports, so never after its reply.
                .signature(&[&f.branch, &cn(voted)])
        }
        DevelopmentDocument::Reply | DevelopmentDocument::Filing => {
            let approved = f.needs(Step::AdmissionApproval, doc)?;
            let (join, end) = f
                .history
                .join_date()
                .zip(f.history.probation_end())
                .ok_or_else(|| AppError::Integrity("接收的日期不完整".to_owned()))?;
            let probation = format!("预备期一年，自{}至{}", cn(join), cn(end));
            if doc == DevelopmentDocument::Reply {
                Document::new()
                    .title(&format!("关于同意接收{name}同志为中共预备党员的批复"))
                    .addressee(&format!("{}：", f.branch))
                    .para(&format!(
                        "你支部《关于接收{name}同志为中共预备党员的请示》收悉。经{}{}研究，同意接收{name}同志为中共预备党员，{probation}。",
                        cn(approved),
                        f.committee
                    ))
                    .para("请按照《中国共产党发展党员工作细则》的要求，及时将其编入党支部和党小组，组织入党宣誓，并对其继续进行教育和考察。")
                    .signature(&[&f.committee, &cn(approved)])
            } else {
                let p = &f.person;
                Document::new()
                    .title(&format!("关于接收{name}同志为中共预备党员的备案报告"))
                    .addressee(&format!("{}：", f.department))
                    .para(&format!(
                        "{}于{}研究，同意接收{}{name}同志（{}，{}，{}生，{}）为中共预备党员，{probation}。入党介绍人：{}。现予备案。",
                        f.committee,
                        cn(approved),
                        f.branch,
                        p.gender.label(),
                        p.ethnicity,
                        p.birth_date.format("%Y年%-m月"),
                        p.education.label(),
                        f.names(Step::SponsorsChosen)
                    ))
                    // Dated by the recorded filing (step 18), else by the approval it reports.
                    .signature(&[
                        &f.committee,
                        &cn(f.history.date_of(Step::AdmissionFiled).unwrap_or(approved)),
                    ])
            }
        }
        DevelopmentDocument::RecordSheet => {
            let mut rows = vec![
                ["步骤", "日期", "决定机关", "内容", "登记人", "说明"]
                    .map(str::to_owned)
                    .to_vec(),
            ];
            rows.extend(f.steps.iter().map(|s| {
                let label = match s.entry.step.number() {
                    Some(n) => format!("{n}. {}", s.entry.step.label()),
                    None => s.entry.step.label().to_owned(),
                };
                let mut note = s.note.clone();
                if let Some((message, basis)) = &s.breach {
                    note = format!("{note} 逾期：{message}（{basis}）")
                        .trim()
                        .to_owned();
                    if let Some(r) = &s.override_reason {
                        note.push_str(&format!("；原因：{r}"));
                    }
                }
                vec![
                    label,
                    s.entry.on.to_string(),
                    s.entry.body.label().to_owned(),
                    s.entry.detail.summary(),
                    s.recorded_by_name.clone(),
                    note,
                ]
            }));
            Document::new()
                .title("发展党员工作全程纪实表")
                .table(&f.profile())
                .table(&rows)
                .signature(&[&f.branch, &format!("打印日期：{}", cn(f.today))])
        }
    })
}

/// The nearest party committee above the branch, and the one above that (its organization
/// department receives the filing); the root stands in where the tree has no more.
fn committees(chain: &[Org]) -> (String, String) {
    let mut above = chain
        .iter()
        .rev()
        .skip(1)
        .filter(|o| o.kind == OrgKind::Committee);
    let first = above.next().or_else(|| chain.first());
    let second = above.next().or(first);
    (
        first.map(|o| o.name.clone()).unwrap_or_default(),
        second
            .map(|o| format!("{}组织部", o.name))
            .unwrap_or_default(),
    )
}

impl DevelopmentCases<'_> {
    /// A document of a person's development record, as a Word file: its name and bytes.
    pub async fn document(
        self,
        actor: &Actor,
        person_id: PersonId,
        doc: DevelopmentDocument,
    ) -> Result<(String, Vec<u8>)> {
        let db = self.store.db();
        let record = people_store::find(db, &actor.access, Action::ReadRecords, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let steps = store::of_person(db, person_id).await?;
        let history = History::new(steps.iter().map(|s| s.entry.clone()).collect());
        // Names only, to head documents about a person the reader may see.
        let orgs = org_store::by_ids(db, &record.org_path.ids()).await?;
        let mut chain: Vec<Org> = record
            .org_path
            .ids()
            .iter()
            .filter_map(|id| orgs.get(id).cloned())
            .collect();
        chain.sort_by(|a, b| a.path.cmp(&b.path));
        let (committee, department) = committees(&chain);
        let today = self.today();
        let window = match history.last_of(Step::Publicity).map(|s| (s.on, &s.detail)) {
            Some((on, StepDetail::Publicity { until, .. })) => (on, *until),
            _ => {
                let calendar = self.work_calendar().await?;
                let settings = self.settings().current().await?.on(today);
                let days = DevelopmentRules::in_force(&settings).publicity_working_days;
                let from = today.succ_opt().unwrap_or(today);
                (from, calendar.window_end(from, days))
            }
        };
        let facts = Facts {
            branch: chain.last().map(|o| o.name.clone()).unwrap_or_default(),
            committee,
            department,
            person: record.person,
            steps,
            history,
            today,
            window,
        };
        let bytes = compose(doc, &facts)?.into_bytes()?;
        self.audit()
            .record_download(
                actor,
                (
                    dangjian_domain::development::trail::DOCUMENT_DOWNLOAD,
                    Some(person_id.get()),
                ),
                Some(record.org_path.as_str()),
                serde_json::json!({ "document": doc.label() }),
            )
            .await?;
        Ok((format!("{}-{}.docx", facts.person.name, doc.label()), bytes))
    }
}
