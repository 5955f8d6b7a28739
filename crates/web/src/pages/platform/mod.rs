//! The platform's pages: sign-in, home, one's own account and messages, and the three
//! administrators' duties (accounts, settings, audit) with the university's rules.

mod account;
mod admin;
mod audit;
mod home;
mod notifications;
mod rules;
pub(super) mod session;

use super::{Area, MenuEntry, MenuGroup, Shown, notices};
use crate::AppState;
use axum::Router;
use axum::routing::{get, post};
use dangjian_domain::platform::role::Action;

notices! {
    /// What the platform's pages say after a redirect; attachments and saved settings are
    /// the platform's, whichever page they were made on.
    PlatformNotice {
        Uploaded = "uploaded" => "附件已上传",
        PasswordChanged = "password_changed" => "密码已修改",
        TokenRevoked = "token_revoked" => "令牌已撤销",
        Granted = "granted" => "已授权",
        Revoked = "revoked" => "已收回授权",
        Disabled = "disabled" => "账号已停用",
        Enabled = "enabled" => "账号已启用",
        Saved = "saved" => "设置已保存",
        Unchanged = "unchanged" => "没有改动，未保存任何设置",
        Read = "read" => "消息已全部标为已读",
    }
}

pub(super) const AREA: Area = Area {
    routes,
    menu: &[
        MenuEntry {
            href: "/",
            label: "首页",
            key: "home",
            group: MenuGroup::Home,
            shown: Shown::ToEveryone,
        },
        MenuEntry {
            href: "/rules",
            label: "本校规则设置",
            key: "rules",
            group: MenuGroup::Work,
            shown: Shown::WithDuty(Action::ManageRules),
        },
        MenuEntry {
            href: "/admin/accounts",
            label: "账号与授权",
            key: "accounts",
            group: MenuGroup::Platform,
            shown: Shown::WithDuty(Action::ManageAccounts),
        },
        MenuEntry {
            href: "/admin/settings",
            label: "系统设置",
            key: "settings",
            group: MenuGroup::Platform,
            shown: Shown::WithDuty(Action::ManageSettings),
        },
        MenuEntry {
            href: "/audit",
            label: "审计日志",
            key: "audit",
            group: MenuGroup::Platform,
            shown: Shown::WithDuty(Action::ReadAudit),
        },
        MenuEntry {
            href: "/notifications",
            label: "消息",
            key: "notifications",
            group: MenuGroup::Personal,
            shown: Shown::ToEveryone,
        },
        MenuEntry {
            href: "/account",
            label: "我的账号",
            key: "account",
            group: MenuGroup::Personal,
            shown: Shown::ToEveryone,
        },
    ],
    notices: PlatformNotice::TABLE,
};

pub(super) fn sign_in_routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(session::form).post(session::sign_in))
        .route(
            "/activate",
            get(session::activate_form).post(session::activate),
        )
}

fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/logout", post(session::sign_out))
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
        .route("/rules", get(rules::page).post(rules::save))
        .route("/rules/steps/{step}", post(rules::save_step))
        .route("/audit", get(audit::page))
}
