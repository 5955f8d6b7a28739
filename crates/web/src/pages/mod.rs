//! HTML pages, one module per capability (its folder under `templates/` has the same name).
//! Each capability declares its part of the pages once, as an `Area`: its routes, its menu
//! entries and the notices its redirects show; `AREAS` registers them, so adding a capability
//! touches its own module and one line here.

mod development;
mod insight;
mod ledgers;
mod meetings;
mod org;
mod people;
mod platform;

use crate::AppState;
use crate::auth::Viewer;
use axum::Router;
use axum::response::Redirect;
use dangjian_app::AppError;
use dangjian_domain::ids::OrgId;
use dangjian_domain::paging::Paging;
use dangjian_domain::platform::role::{Access, Action};

/// What a capability contributes to the pages.
pub(crate) struct Area {
    pub routes: fn() -> Router<AppState>,
    pub menu: &'static [MenuEntry],
    /// The messages its redirects show, by code (`notices!` makes the table).
    pub notices: &'static [(&'static str, &'static str)],
}

/// Every capability's pages, in the order of their menu entries within a menu group.
const AREAS: &[Area] = &[
    org::AREA,
    people::AREA,
    development::AREA,
    meetings::AREA,
    ledgers::AREA,
    insight::AREA,
    platform::AREA,
];

/// The pages reached before signing in, throttled apart from the rest.
pub(crate) fn sign_in_routes() -> Router<AppState> {
    platform::sign_in_routes()
}

pub(crate) fn routes() -> Router<AppState> {
    AREAS
        .iter()
        .fold(Router::new(), |router, area| router.merge((area.routes)()))
}

/// The groups of the side menu, in their order; the first entry of a group shows its name.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum MenuGroup {
    Home,
    Work,
    Platform,
    Personal,
}

impl MenuGroup {
    fn label(self) -> &'static str {
        match self {
            MenuGroup::Home => "",
            MenuGroup::Work => "党建业务",
            MenuGroup::Platform => "平台管理",
            MenuGroup::Personal => "个人",
        }
    }
}

/// Who sees a menu entry: the same permission the page itself checks in the app.
#[derive(Clone, Copy)]
pub(crate) enum Shown {
    ToEveryone,
    /// To whoever holds the action on some subtree.
    InSomeScope(Action),
    /// To whoever holds the action on the platform (rules, accounts, settings, audit).
    WithDuty(Action),
}

impl Shown {
    fn to(self, access: &Access) -> bool {
        match self {
            Shown::ToEveryone => true,
            Shown::InSomeScope(action) => !access.scopes(action).is_empty(),
            Shown::WithDuty(action) => access.can(action),
        }
    }
}

/// One entry of the side menu, as its capability declares it.
pub(crate) struct MenuEntry {
    pub href: &'static str,
    pub label: &'static str,
    /// What a page passes as `active` to mark its entry.
    pub key: &'static str,
    pub group: MenuGroup,
    pub shown: Shown,
}

/// A notice after a redirect: its code travels in `?notice=`, its text stays here, so that no
/// page reflects text from its URL.
pub(crate) trait Notice: Copy {
    fn code(self) -> &'static str;
}

/// Declares a capability's notices: `Variant = "code" => "text"`, with `Self::TABLE` for its
/// `Area`. A variant no redirect uses is dead code, so the table holds only what is shown.
macro_rules! notices {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy)]
        pub(crate) enum $name { $($variant),+ }

        impl $crate::pages::Notice for $name {
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl $name {
            pub(crate) const TABLE: &'static [(&'static str, &'static str)] = &[$(($code, $text)),+];
        }
    };
}
pub(crate) use notices;

/// A redirect to `to` (which may end in a `#fragment`) that shows `notice` there.
pub(crate) fn after(to: &str, notice: impl Notice) -> Redirect {
    let (path, fragment) = to.split_once('#').unwrap_or((to, ""));
    let sep = if path.contains('?') { '&' } else { '?' };
    let hash = if fragment.is_empty() { "" } else { "#" };
    Redirect::to(&format!(
        "{path}{sep}notice={}{hash}{fragment}",
        notice.code()
    ))
}

/// The text of a notice code, from whichever capability declared it.
fn notice_text(code: &str) -> Option<&'static str> {
    AREAS
        .iter()
        .flat_map(|area| area.notices)
        .find(|(c, _)| *c == code)
        .map(|(_, text)| *text)
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
    target: (dangjian_app::UploadTarget, &'static str),
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
        let mut entries: Vec<&MenuEntry> = AREAS
            .iter()
            .flat_map(|area| area.menu)
            .filter(|entry| entry.shown.to(access))
            .collect();
        // Stable: within a group, entries keep the order of `AREAS`.
        entries.sort_by_key(|entry| entry.group);
        let mut group = None;
        let menu = entries
            .into_iter()
            .map(|entry| MenuItem {
                href: entry.href,
                label: entry.label,
                key: entry.key,
                group: if group.replace(entry.group) == Some(entry.group) {
                    ""
                } else {
                    entry.group.label()
                },
            })
            .collect();
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
    selected: Option<OrgId>,
) -> Result<Vec<(OrgId, String, bool)>, AppError> {
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

#[cfg(test)]
mod tests {
    use super::AREAS;
    use std::collections::HashSet;

    #[test]
    fn each_notice_code_and_menu_key_is_declared_by_one_capability() {
        let mut codes = HashSet::new();
        for (code, _) in AREAS.iter().flat_map(|a| a.notices) {
            assert!(codes.insert(code), "notice {code} is declared twice");
        }
        let mut keys = HashSet::new();
        for entry in AREAS.iter().flat_map(|a| a.menu) {
            assert!(keys.insert(entry.key), "menu key {} twice", entry.key);
        }
        assert_eq!(super::notice_text("org_created"), Some("组织已建立"));
        assert_eq!(super::notice_text("<script>"), None);
    }

    #[test]
    fn a_notice_goes_before_the_fragment_of_the_address() {
        use super::{after, platform::PlatformNotice};
        use axum::response::IntoResponse;
        let location = |r: axum::response::Redirect| {
            r.into_response().headers()["location"]
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            location(after("/rules#step-x", PlatformNotice::Saved)),
            "/rules?notice=saved#step-x"
        );
        assert_eq!(
            location(after("/orgs?page=2", PlatformNotice::Saved)),
            "/orgs?page=2&notice=saved"
        );
    }
}
