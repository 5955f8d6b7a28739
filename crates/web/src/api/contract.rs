//! What makes the OpenAPI document a contract a client can be generated from: the
//! enumerations as schemas whose values come from the domain's own lists (so the document
//! cannot drift from what the server parses), the meeting times as the server reads them, and
//! the answers every operation can give because of what stands before its handler (signing
//! in, reading the request, the body limit, the sign-in throttle).

use dangjian_app::development::DevelopmentDocument;
use dangjian_app::roster::BatchState;
use dangjian_domain::RuleCode;
use dangjian_domain::development::policy::Recorder;
use dangjian_domain::development::training::ExamResult;
use dangjian_domain::development::{DecisionBody, RollCall, Stage, Step};
use dangjian_domain::ledgers::{LedgerItem, LedgerKind};
use dangjian_domain::meetings::{Attendance, MeetingKind, MeetingState};
use dangjian_domain::org::{BranchCategory, OrgKind, Position};
use dangjian_domain::people::discipline::DisciplineKind;
use dangjian_domain::people::whereabouts::{WhereaboutsDue, WhereaboutsKind};
use dangjian_domain::people::{
    Degree, Education, Gender, PersonCategory, PersonStatus, TitleLevel, TransferDirection,
    TransferState,
};
use dangjian_domain::platform::role::Role;
use dangjian_domain::platform::settings;
use serde::{Deserialize, Deserializer};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response};

/// Declares a string schema whose values are the given codes.
macro_rules! codes {
    ($(#[doc = $doc:literal])+ $name:ident = $values:expr) => {
        $(#[doc = $doc])+
        pub(crate) struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                let doc: &[&str] = &[$($doc),+];
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some(doc.join("\n").trim().to_owned()))
                    .enum_values(Some($values))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

fn all<T: Copy>(values: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    values.iter().map(|v| code(*v)).collect()
}

/// Each code with its descending form, `-code`, for a `sort` parameter.
fn sort_keys(keys: &[&'static str]) -> Vec<String> {
    keys.iter()
        .flat_map(|k| [(*k).to_owned(), format!("-{k}")])
        .collect()
}

codes!(/// 党组织类型.
    OrgKindCode = all(&OrgKind::ALL, OrgKind::code));
codes!(/// 支部类别 (of a branch).
    BranchCategoryCode = all(&BranchCategory::ALL, BranchCategory::code));
codes!(/// 支部委员会的职务.
    PositionCode = all(Position::ALL, Position::code));
codes!(/// A role an account holds.
    RoleCode = all(&Role::ALL, Role::code));
codes!(/// 政治面貌.
    PersonStatusCode = all(PersonStatus::ALL, PersonStatus::code));
codes!(/// 政治面貌, or `members` for full and probationary members.
PersonStatusFilter = {
    let mut v = all(PersonStatus::ALL, PersonStatus::code);
    v.push("members");
    v
});
codes!(/// 人员类别.
    PersonCategoryCode = all(PersonCategory::ALL, PersonCategory::code));
codes!(/// 性别, read from the ID number.
    GenderCode = all(Gender::ALL, Gender::code));
codes!(/// 学历.
    EducationCode = all(Education::ALL, Education::code));
codes!(/// 学位.
    DegreeCode = all(Degree::ALL, Degree::code));
codes!(/// 职称级别.
    TitleLevelCode = all(TitleLevel::ALL, TitleLevel::code));
codes!(/// The direction of a transfer (组织关系转接).
    TransferDirectionCode = all(TransferDirection::ALL, TransferDirection::code));
codes!(/// The state of a transfer.
    TransferStateCode = all(TransferState::ALL, TransferState::code));
codes!(/// 会议类型.
    MeetingKindCode = all(MeetingKind::ALL, MeetingKind::code));
codes!(/// 会议类型, or `total` for the row that adds them up.
MeetingKindOrTotal = {
    let mut v = all(MeetingKind::ALL, MeetingKind::code);
    v.push("total");
    v
});
codes!(/// A rule of organizational life: its kind of meeting, or `secretary_lecture` for the
    /// secretary's yearly 党课.
RequirementCode = {
    let mut v = all(MeetingKind::ALL, MeetingKind::code);
    v.push("secretary_lecture");
    v
});
codes!(/// The state of a meeting's record.
    MeetingStateCode = all(MeetingState::ALL, MeetingState::code));
codes!(/// How an expected attendee attended.
    AttendanceCode = all(Attendance::ALL, Attendance::code));
codes!(/// Whether a rule was kept in its period: `open` while the period is not over.
    KeptCode = ["yes", "open", "missed"]);
codes!(/// A step of member development (细则), or the publicity.
    StepCode = all(Step::ALL, Step::code));
codes!(/// A stage of member development.
    StageCode = all(Stage::ALL, Stage::code));
codes!(/// The body that decides a step.
    DecisionBodyCode = all(DecisionBody::ALL, DecisionBody::code));
codes!(/// How a member entitled to vote took part.
    RollCallCode = all(RollCall::ALL, RollCall::code));
codes!(/// A trainee's examination.
    ExamResultCode = all(ExamResult::ALL, ExamResult::code));
codes!(/// One of the five ledgers (台账).
    LedgerKindCode = all(LedgerKind::ALL, LedgerKind::code));
codes!(/// An item of a ledger.
    LedgerItemCode = all(LedgerItem::ALL, LedgerItem::code));
codes!(/// A standard document of a development record.
    DevelopmentDocumentCode = all(DevelopmentDocument::ALL, DevelopmentDocument::code));
codes!(/// The rule that refused an act (with the code `rule_violated`).
    RuleCodeValue = all(RuleCode::ALL, RuleCode::code));
codes!(/// Where an import batch stands.
    BatchStateCode = all(BatchState::ALL, BatchState::code));
codes!(/// What sent a message: a digest of development deadlines or of missed meetings, a
/// meeting's notice, a thought report handed in.
    NotificationKindCode = dangjian_app::notification::DIGESTS
        .iter()
        .map(|d| d.job)
        .chain([
            dangjian_app::meetings::MEETING_NOTICE,
            dangjian_app::thought_report::THOUGHT_REPORT_NOTICE,
        ])
        .collect::<Vec<_>>());
codes!(/// 党纪处分: the sanctions that keep the person a member (党章第三十九条).
    DisciplineKindCode = all(DisciplineKind::ALL, DisciplineKind::code));
codes!(/// Why a member is out of the branch's reach.
    WhereaboutsKindCode = all(WhereaboutsKind::ALL, WhereaboutsKind::code));
codes!(/// What an open record asks of the branch next.
    WhereaboutsDueCode = all(WhereaboutsDue::ALL, WhereaboutsDue::code));
codes!(/// A change to an open record: `suspend` (停止党籍), `contact` (a member abroad), `end`.
    WhereaboutsActCode = ["suspend", "contact", "end"]);
codes!(/// Who records a development step.
    RecorderCode = all(Recorder::ALL, Recorder::code));
codes!(/// A setting: one of the university's own rules (本校规则, kept by the organization
/// department, `/api/v1/rules`) or of the system settings (kept by the system admin,
/// `/api/v1/settings`).
    SettingKeyCode = settings::all().map(|s| s.key).collect::<Vec<_>>());
codes!(/// How organizations are sorted; `-` before a key sorts descending.
    OrgSortKey = sort_keys(&["tree", "name", "kind", "founded_on"]));
codes!(/// How people are sorted; `-` before a key sorts descending.
    PersonSortKey = sort_keys(&["org", "name", "birth_date", "join_date", "status"]));

/// A meeting's local time as the API shows it: Asia/Shanghai, without an offset, as the
/// first clients were given it.
pub(crate) struct LocalDateTime;

impl utoipa::PartialSchema for LocalDateTime {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "Local time in Asia/Shanghai (UTC+8), without an offset.",
            ))
            .pattern(Some(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$"))
            .examples(["2026-11-25T14:30:00"])
            .into()
    }
}

impl utoipa::ToSchema for LocalDateTime {}

/// A file that is downloaded, such as a Word document.
pub(crate) struct File;

impl utoipa::PartialSchema for File {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for File {}

/// A date as a client sends it (`2026-12-01`), refused when no record could carry it.
pub(crate) fn day<'de, D: Deserializer<'de>>(d: D) -> Result<chrono::NaiveDate, D::Error> {
    let day = chrono::NaiveDate::deserialize(d)?;
    if dangjian_domain::calendar::is_recordable(day) {
        Ok(day)
    } else {
        Err(serde::de::Error::custom("date out of the recordable years"))
    }
}

/// The same for a date that may be left out.
pub(crate) fn maybe_day<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<chrono::NaiveDate>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|s| day(serde::de::value::StrDeserializer::<D::Error>::new(&s)))
        .transpose()
}

/// A meeting time as a client sends it: RFC 3339 with an offset or `Z` (put into Asia/Shanghai
/// time), or, as before, a local time in Asia/Shanghai without one.
pub(crate) fn shanghai_time<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<chrono::NaiveDateTime, D::Error> {
    let s = String::deserialize(d)?;
    parse_shanghai_time(&s).ok_or_else(|| {
        serde::de::Error::custom("expected an RFC 3339 time such as 2026-12-01T10:00:00+08:00")
    })
}

fn parse_shanghai_time(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(
            t.with_timezone(&dangjian_domain::clock::shanghai())
                .naive_local(),
        );
    }
    s.parse::<chrono::NaiveDateTime>().ok()
}

/// A download answers with the type the attachment was accepted as; the document lists each
/// of them (one `content_type` in the operation's attribute could name only one).
pub(crate) fn attachment_content_types(doc: &mut OpenApi) {
    let Some(content) = doc
        .paths
        .paths
        .get_mut("/api/v1/attachments/{id}")
        .and_then(|item| item.get.as_mut())
        .and_then(|op| op.responses.responses.get_mut("200"))
        .and_then(|r| match r {
            RefOr::T(response) => Some(&mut response.content),
            RefOr::Ref(_) => None,
        })
    else {
        return;
    };
    let Some((_, file)) = content.shift_remove_index(0) else {
        return;
    };
    for mime in dangjian_domain::platform::attachment::accepted_types() {
        content.insert(mime.to_owned(), file.clone());
    }
}

/// Adds the answers each operation can give before its handler decides anything to those its
/// annotation lists (`throttled`: all of them are behind the sign-in throttle), describes every
/// answer and gives every error the error body.
pub(crate) fn complete(doc: &mut OpenApi, throttled: bool) {
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            complete_operation(op, throttled);
        }
    }
}

/// utoipa inlines the type argument of a generic schema (`List<OrgView>` holds a copy of
/// `OrgView`), so that a generated client would get a class per copy; every inlined copy of a
/// named schema becomes a reference to it.
pub(crate) fn share_named_schemas(doc: &mut serde_json::Value) {
    let named: Vec<(String, serde_json::Value)> = doc
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                // Only objects are worth sharing; an enumeration's copy is a plain list.
                .filter(|(_, s)| {
                    ["properties", "oneOf", "allOf"]
                        .iter()
                        .any(|k| s.get(k).is_some())
                })
                .map(|(name, s)| (name.clone(), s.clone()))
                .collect()
        })
        .unwrap_or_default();
    fn share(value: &mut serde_json::Value, named: &[(String, serde_json::Value)], top: bool) {
        if !top && let Some((name, _)) = named.iter().find(|(_, s)| s == value) {
            *value = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
            return;
        }
        match value {
            serde_json::Value::Object(map) => {
                for v in map.values_mut() {
                    share(v, named, false);
                }
            }
            serde_json::Value::Array(items) => {
                for v in items {
                    share(v, named, false);
                }
            }
            _ => {}
        }
    }
    if let Some(serde_json::Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for schema in schemas.values_mut() {
            share(schema, &named, true);
        }
    }
    if let Some(paths) = doc.get_mut("paths") {
        share(paths, &named, true);
    }
}

fn complete_operation(op: &mut Operation, throttled: bool) {
    // An operation marked open (`security(())`) needs nobody signed in.
    let open = op
        .security
        .as_ref()
        .is_some_and(|s| s.iter().any(|r| *r == SecurityRequirement::default()));
    let params = op.parameters.as_deref().unwrap_or_default();
    let in_path = params
        .iter()
        .any(|p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Path)));
    let has_body = op.request_body.is_some();
    let mut add = |status: u16| {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(Response::new("")));
    };
    if !params.is_empty() || has_body {
        add(400);
    }
    if !open {
        add(401);
    }
    // Refused by the app, or by the CSRF guard, or until a first password is changed.
    add(403);
    if in_path {
        add(404);
    }
    if has_body {
        add(413);
    }
    if throttled {
        add(429);
    }
    for (status, response) in &mut op.responses.responses {
        let RefOr::T(response) = response else {
            continue;
        };
        if response.description.is_empty() {
            response.description = describe(status).to_owned();
        }
        if status.starts_with('4') && response.content.is_empty() {
            response.content.insert(
                "application/json".to_owned(),
                RefOr::T(
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                ),
            );
        }
    }
}

fn describe(status: &str) -> &'static str {
    match status {
        "200" => "成功",
        "201" => "已创建",
        "204" => "已完成，无内容",
        "400" => "请求无法读取：地址、查询参数或 JSON 的格式有误（bad_request）",
        "401" => "未登录，或会话、令牌无效或已过期（unauthenticated）",
        "403" => "无权操作（forbidden），或须先修改初始密码（password_change_required）",
        "404" => "不存在，或不在调用者可见的范围内（not_found）",
        "409" => "与当前状态冲突，例如已被他人修改（conflict）",
        "413" => "提交的内容超过大小上限（bad_request）",
        "422" => "内容不符合要求或违反规则（invalid、rule_violated），field 指明出错的项",
        "423" => "账号已被锁定（locked）",
        "429" => "请求过于频繁（too_many_requests）",
        _ => "应答",
    }
}

#[cfg(test)]
mod tests {
    use super::parse_shanghai_time;

    #[test]
    fn meeting_times_are_read_with_an_offset_or_as_local_time() {
        let local = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("a valid time");
        for given in [
            "2026-12-01T10:00:00+08:00",
            "2026-12-01T02:00:00Z",
            "2026-12-01T02:00:00.000Z",
            "2026-12-01T03:00:00+01:00",
            "2026-12-01T10:00:00",
        ] {
            assert_eq!(parse_shanghai_time(given), Some(local), "{given}");
        }
        assert_eq!(parse_shanghai_time("2026-12-01"), None);
        assert_eq!(parse_shanghai_time("tomorrow"), None);
    }
}
