//! HTML pages. Each page builds its `Chrome` (title, menu, user, CSRF token) and its content.

mod account;
mod admin;
mod audit;
mod dashboard;
mod development;
mod home;
mod imports;
mod ledgers;
mod meetings;
mod notifications;
mod orgs;
mod people;
mod rules;
mod session;
mod thought_reports;
mod training;

use crate::AppState;
use crate::auth::Viewer;
use axum::Router;
use axum::routing::{get, post};
use dangjian_app::AppError;
use dangjian_domain::paging::Paging;
use dangjian_domain::platform::role::Action;

pub(crate) fn sign_in_routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(session::form).post(session::sign_in))
        .route(
            "/activate",
            get(session::activate_form).post(session::activate),
        )
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/logout", post(session::sign_out))
        .route("/orgs", get(orgs::list))
        .route("/orgs/alerts", get(orgs::alerts))
        .route("/orgs/{id}", get(orgs::page))
        .route("/orgs/{id}/children", post(orgs::found))
        .route("/orgs/{id}/change", post(orgs::change))
        .route("/orgs/{id}/seats", post(orgs::appoint))
        .route("/orgs/{id}/split", post(orgs::split))
        .route("/seats/{id}/end", post(orgs::end_seat))
        .route(
            "/orgs/{id}/attachments",
            post(orgs::upload).layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route("/attachments/{id}", get(orgs::download))
        .route("/people", get(people::list).post(people::create))
        .route("/people/export.xlsx", get(imports::export))
        .route("/dashboard", get(dashboard::page))
        .route("/dashboard.xlsx", get(dashboard::export))
        .route("/orgs/{id}/students", post(dashboard::set_students))
        .route(
            "/imports",
            get(imports::page)
                .post(imports::upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route("/imports/template.xlsx", get(imports::template))
        .route("/imports/{id}", get(imports::batch))
        .route("/imports/{id}/apply", post(imports::apply))
        .route("/imports/{id}/discard", post(imports::discard))
        .route("/imports/{id}/rollback", post(imports::rollback))
        .route("/people/new", get(people::new_form))
        .route("/people/{id}", get(people::page).post(people::update))
        .route("/people/{id}/edit", get(people::edit_form))
        .route("/people/{id}/reveal", post(people::reveal))
        .route("/people/{id}/transfers", post(people::start_transfer))
        .route("/people/{id}/disciplines", post(people::discipline))
        .route("/orgs/{id}/development", get(development::board))
        .route(
            "/orgs/{id}/meetings",
            get(meetings::list).post(meetings::plan),
        )
        .route("/orgs/{id}/compliance", get(meetings::compliance))
        .route(
            "/orgs/{id}/compliance-calendar",
            get(meetings::compliance_calendar),
        )
        .route("/orgs/{id}/member-life", get(meetings::member_life))
        .route("/orgs/{id}/ledgers", get(ledgers::page))
        .route("/orgs/{id}/record-book", get(meetings::record_book))
        .route("/orgs/{id}/meeting-figures", get(meetings::figures))
        .route(
            "/orgs/{id}/meeting-figures.xlsx",
            get(meetings::figures_xlsx),
        )
        .route(
            "/orgs/{id}/talks",
            get(meetings::talks).post(meetings::record_talk),
        )
        .route(
            "/orgs/{id}/record-book.docx",
            get(meetings::record_book_docx),
        )
        .route("/meetings/{id}", get(meetings::page))
        .route("/meetings/{id}/hold", post(meetings::hold))
        .route("/meetings/{id}/lock", post(meetings::lock))
        .route("/meetings/{id}/check-ins", post(meetings::issue_check_ins))
        .route("/my/meetings", get(meetings::my_calendar))
        .route(
            "/my/thought-reports",
            get(thought_reports::mine).post(thought_reports::hand_in),
        )
        .route("/thought-reports/{id}", get(thought_reports::page))
        .route(
            "/thought-reports/{id}/answer",
            post(thought_reports::answer),
        )
        .route("/orgs/{id}/thought-reports", get(thought_reports::of_org))
        .route("/my/meetings/link", post(meetings::issue_calendar_link))
        .route(
            "/my/meetings/link/revoke",
            post(meetings::revoke_calendar_link),
        )
        // A phone's calendar fetches this without signing in: the secret link is the key.
        .route("/ical/{file}", get(meetings::ical_feed))
        // Opened on a phone without signing in: the one-time code is the authority. Not
        // behind the sign-in throttle, which would count a whole room behind one address.
        .route(
            "/check-in/{code}",
            get(meetings::check_in_form).post(meetings::check_in),
        )
        .route("/meetings/{id}/corrections", post(meetings::correct))
        .route(
            "/meetings/{id}/photos",
            post(meetings::photo).layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route("/orgs/{id}/development.xlsx", get(development::funnel_xlsx))
        .route("/rules", get(rules::page).post(rules::save))
        .route("/rules/steps/{step}", post(rules::save_step))
        .route(
            "/calendar",
            get(development::calendar).post(development::set_calendar),
        )
        .route(
            "/people/{id}/development",
            get(development::page).post(development::record),
        )
        .route("/training", get(training::list).post(training::create))
        .route("/training/{id}", get(training::class))
        .route("/training/{id}/trainees", post(training::enrol))
        .route(
            "/training/{id}/trainees/{person_id}",
            post(training::result),
        )
        .route(
            "/people/{id}/development/{document}",
            get(development::document),
        )
        .route(
            "/people/{id}/development/steps/{step_id}/attachments",
            post(development::upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route("/transfers/{id}/receive", post(people::receive_transfer))
        .route("/transfers/{id}/cancel", post(people::cancel_transfer))
        .route("/notifications", get(notifications::page))
        .route("/notifications/read", post(notifications::mark_read))
        .route("/account", get(account::page))
        .route(
            "/account/password",
            get(account::password_form).post(account::change_password),
        )
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route(
            "/admin/accounts",
            get(admin::accounts).post(admin::create_account),
        )
        .route("/admin/accounts/{id}", get(admin::account))
        .route(
            "/admin/activation-codes",
            post(admin::issue_activation_code),
        )
        .route("/admin/accounts/{id}/grants", post(admin::grant))
        .route(
            "/admin/accounts/{id}/reset-password",
            post(admin::reset_password),
        )
        .route("/admin/accounts/{id}/disable", post(admin::disable))
        .route("/admin/accounts/{id}/enable", post(admin::enable))
        .route("/admin/grants/{id}/revoke", post(admin::revoke_grant))
        .route(
            "/admin/settings",
            get(admin::settings).post(admin::save_settings),
        )
        .route("/audit", get(audit::page))
}

/// The message of a refusal the person can act on (bad input, a rule, a conflict), to show
/// beside the form that was refused; any other error goes on to the error page.
pub(crate) fn refusal(e: AppError) -> Result<String, crate::error::PageError> {
    match e {
        AppError::Invalid(_) | AppError::Rule { .. } | AppError::Conflict { .. } => {
            Ok(e.to_string())
        }
        e => Err(e.into()),
    }
}

/// A form with one file (`file`) and text fields, as a browser uploads it: the file's name
/// and bytes, and the other fields, read by `crate::upload::read` under the app's limit.
pub(crate) async fn read_upload(
    st: &AppState,
    viewer: &Viewer,
    target: (dangjian_app::UploadTarget<'_>, &'static str),
    headers: &axum::http::HeaderMap,
    multipart: axum::extract::Multipart,
) -> Result<(String, Vec<u8>, Vec<(String, String)>), AppError> {
    let up = crate::upload::read(st, viewer.actor(), target, headers, multipart).await?;
    Ok((up.file_name, up.bytes, up.fields))
}

pub(crate) struct MenuItem {
    pub href: &'static str,
    pub label: &'static str,
    pub key: &'static str,
    pub group: &'static str,
}

/// What every page around its content shows.
pub(crate) struct Chrome {
    pub title: String,
    pub user: String,
    pub csrf: String,
    pub menu: Vec<MenuItem>,
    pub active: &'static str,
    pub notice: Option<&'static str>,
}

impl Chrome {
    pub fn new(viewer: &Viewer, title: impl Into<String>, active: &'static str) -> Self {
        let access = &viewer.actor().access;
        let mut menu = vec![MenuItem {
            href: "/",
            label: "首页",
            key: "home",
            group: "",
        }];
        if !access.scopes(Action::ReadOrg).is_empty() {
            menu.push(MenuItem {
                href: "/orgs",
                label: "组织机构",
                key: "orgs",
                group: "党建业务",
            });
        }
        if !access.scopes(Action::ReadRecords).is_empty() {
            menu.push(MenuItem {
                href: "/people",
                label: "党员名册",
                key: "people",
                group: "",
            });
            menu.push(MenuItem {
                href: "/orgs/alerts",
                label: "组织提醒",
                key: "alerts",
                group: "",
            });
            menu.push(MenuItem {
                href: "/training",
                label: "党校培训",
                key: "training",
                group: "",
            });
            menu.push(MenuItem {
                href: "/dashboard",
                label: "统计分析",
                key: "dashboard",
                group: "",
            });
        }
        if !access.scopes(Action::WriteRecords).is_empty() {
            menu.push(MenuItem {
                href: "/imports",
                label: "导入名册",
                key: "imports",
                group: "",
            });
        }
        if access.can(Action::ManageRules) {
            menu.push(MenuItem {
                href: "/rules",
                label: "本校规则设置",
                key: "rules",
                group: "",
            });
        }
        let mut platform = "平台管理";
        let mut push_platform = |menu: &mut Vec<MenuItem>, href, label, key| {
            menu.push(MenuItem {
                href,
                label,
                key,
                group: platform,
            });
            platform = "";
        };
        if access.can(Action::ManageAccounts) {
            push_platform(&mut menu, "/admin/accounts", "账号与授权", "accounts");
        }
        if access.can(Action::ManageSettings) {
            push_platform(&mut menu, "/admin/settings", "系统设置", "settings");
        }

        if access.can(Action::ReadAudit) {
            push_platform(&mut menu, "/audit", "审计日志", "audit");
        }
        menu.push(MenuItem {
            href: "/notifications",
            label: "消息",
            key: "notifications",
            group: "个人",
        });
        menu.push(MenuItem {
            href: "/my/meetings",
            label: "会议日历",
            key: "my_meetings",
            group: "",
        });
        menu.push(MenuItem {
            href: "/my/thought-reports",
            label: "思想汇报",
            key: "my_thought_reports",
            group: "",
        });
        menu.push(MenuItem {
            href: "/account",
            label: "我的账号",
            key: "account",
            group: "",
        });
        Self {
            title: title.into(),
            user: viewer.session.account.display_name.clone(),
            csrf: viewer.session.csrf_token.clone(),
            menu,
            active,
            notice: None,
        }
    }

    pub fn with_notice(mut self, code: Option<&str>) -> Self {
        self.notice = code.and_then(notice_text);
        self
    }
}

/// The most sub-organizations a scope drop-down lists under each root; deeper or further
/// ones are reached from the organization pages, and a chosen one is always listed.
pub(crate) const SCOPE_CHOICES: usize = 300;

/// The scope drop-down of list, dashboard and alert pages: the roots of the viewer's scopes
/// and their sub-organizations, with the chosen one marked.
pub(crate) async fn scope_choices(
    st: &crate::AppState,
    actor: &dangjian_app::Actor,
    selected: Option<i64>,
) -> Result<Vec<(i64, String, bool)>, AppError> {
    let mut choices = Vec::new();
    for root in st.app.org().scope_roots(actor).await? {
        let children = st
            .app
            .org()
            .children(actor, root.id, Some(SCOPE_CHOICES as u64))
            .await?;
        choices.push(root);
        choices.extend(children);
    }
    if let Some(id) = selected.filter(|id| !choices.iter().any(|o| o.id == *id)) {
        choices.push(st.app.org().get(actor, id).await?);
    }
    Ok(choices
        .into_iter()
        .map(|o| (o.id, o.name, Some(o.id) == selected))
        .collect())
}

/// Reads an optional number from a form or query where an empty field means "none" (a
/// browser sends `under=` for an empty select).
pub(crate) fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    use serde::Deserialize;
    match Option::<String>::deserialize(d)?.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// `?notice=` after a redirect.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct NoticeQuery {
    pub notice: Option<String>,
}

/// Messages after a redirect, by code, so that no page reflects text from its URL.
fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "org_created" => "组织已建立",
        "uploaded" => "附件已上传",
        "password_changed" => "密码已修改",
        "token_revoked" => "令牌已撤销",
        "granted" => "已授权",
        "revoked" => "已收回授权",
        "disabled" => "账号已停用",
        "enabled" => "账号已启用",
        "saved" => "设置已保存",
        "unchanged" => "没有改动，未保存任何设置",
        "person_created" => "人员已登记",
        "person_updated" => "人员信息已修改",
        "step_recorded" => "已登记",
        "class_created" => "培训班已开办，可以报名了",
        "enrolled" => "已报名",
        "result_saved" => "学时和考试结果已登记",
        "read" => "消息已全部标为已读",
        "discipline_recorded" => "党纪处分已登记",
        "meeting_planned" => "会议已计划，应到人员已列入签到名单",
        "meeting_held" => "会议已登记为已召开",
        "meeting_locked" => "会议记录已确认锁定",
        "meeting_corrected" => "已补充更正",
        "talk_recorded" => "已登记谈心谈话",
        "report_handed_in" => "思想汇报已递交，培养联系人会收到消息",
        "report_answered" => "已回复，递交人会收到消息",
        "calendar_revoked" => "日历订阅链接已停用",
        "transfer_started" => "已发起组织关系转接，接收前仍由本支部管理",
        "transfer_received" => "组织关系已接收",
        "transfer_cancelled" => "转接已撤回",
        "import_discarded" => "已放弃该批次",
        "students_saved" => "在校学生数已登记",
        "seat_appointed" => "职务已登记",
        "seat_ended" => "职务已免去",
        "org_split" => "已分设新支部，所选人员已转入",
        "org_moved" => "组织已调整到新的上级组织之下，其下级组织和党员随之调整",
        "org_merged" => "已合并：党员和党小组已转入本组织",
        "org_dissolved" => "组织已撤销",
        "import_rolled_back" => "已撤销最近一次导入",
        _ => return None,
    })
}

/// The errors of a form, by field.
#[derive(Default)]
pub(crate) struct FormErrors(Vec<(&'static str, String)>);

impl FormErrors {
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| *f == field)
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Splits an error of the app into a field error (shown by the field) and a form message.
    /// Errors that are not about the form are handed back.
    pub fn from_app(e: AppError) -> Result<(Self, Option<String>), AppError> {
        match &e {
            AppError::Invalid(f) => Ok((Self(vec![(f.field, e.to_string())]), None)),
            AppError::Rule { field: Some(f), .. } | AppError::Conflict { field: f, .. } => {
                Ok((Self(vec![(f, e.to_string())]), None))
            }
            AppError::Rule { field: None, .. } => Ok((Self::default(), Some(e.to_string()))),
            _ => Err(e),
        }
    }

    /// The first message, for a form that shows its errors in one place.
    pub fn first(&self) -> Option<String> {
        self.0.first().map(|(_, m)| m.clone())
    }

    pub fn one(field: &'static str, message: String) -> Self {
        Self(vec![(field, message)])
    }
}

/// Page links that keep a list's query while changing one parameter.
pub(crate) fn link(base: &str, params: &[(&str, String)]) -> String {
    let kept: Vec<(&str, &str)> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    match serde_urlencoded::to_string(kept) {
        Ok(q) if !q.is_empty() => format!("{base}?{q}"),
        _ => base.to_owned(),
    }
}

/// A column header's link: sorts by `key`, or reverses when already sorted by it; with the
/// arrow that marks the current order.
pub(crate) fn sort_link(
    base: &str,
    params: &[(&str, String)],
    current: &str,
    key: &str,
) -> (String, &'static str) {
    let next = if current == key {
        format!("-{key}")
    } else {
        key.to_owned()
    };
    let mut p = params.to_vec();
    p.retain(|(k, _)| *k != "sort");
    p.push(("sort", next));
    let mark = if current == key {
        " ↑"
    } else if current.strip_prefix('-') == Some(key) {
        " ↓"
    } else {
        ""
    };
    (link(base, &p), mark)
}

/// Previous and next page links.
pub(crate) fn pager(
    base: &str,
    params: &[(&str, String)],
    paging: Paging,
    total: u64,
) -> (Option<String>, Option<String>) {
    let at = |page: u64| {
        let mut p = params.to_vec();
        p.push(("page", page.to_string()));
        link(base, &p)
    };
    let prev = (paging.page > 1).then(|| at(paging.page - 1));
    let next = (paging.page < paging.pages(total)).then(|| at(paging.page + 1));
    (prev, next)
}
