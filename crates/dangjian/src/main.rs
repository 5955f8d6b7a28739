//! `dangjian`: serve the platform, build a demo, migrate, manage accounts, back up and restore,
//! verify the audit trail.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use dangjian_app::audit::CHECKPOINT_FILE;
use dangjian_app::backup::checkpoint_beside;
use dangjian_app::{Actor, App, DbConfig};
use dangjian_domain::clock::{Clock, SystemClock};
use dangjian_web::AppState;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// mimalloc: the many small allocations of bulk loads and of busy request handling freed
/// without glibc's consolidation pauses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "dangjian",
    version,
    about = "高校基层党组织建设平台 — the party-building platform of a university"
)]
struct Cli {
    /// The data folder: the SQLite database and the attachments.
    #[arg(long, global = true, env = "DANGJIAN_DATA", default_value = "./data")]
    data: PathBuf,
    /// A PostgreSQL URL (postgres://…) to use instead of SQLite.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Tests only: a file holding the instant the clock reads (RFC 3339); the system time
    /// while it is absent or empty. Lets browser tests move time forward through rules that
    /// take months.
    #[arg(long, global = true, env = "DANGJIAN_CLOCK_FILE", hide = true)]
    clock_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// The clock of `--clock-file`: what the file says, else the system time.
struct FileClock(PathBuf);

impl Clock for FileClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        std::fs::read_to_string(&self.0)
            .ok()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s.trim()).ok())
            .map_or_else(chrono::Utc::now, |t| t.to_utc())
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the platform.
    Serve {
        /// Address and port to listen on.
        #[arg(long, env = "DANGJIAN_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Build a demo university into an empty data folder, then run the platform.
    Demo {
        #[arg(long, env = "DANGJIAN_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// About how many members the demo university has (seed 003: 2,207).
        #[arg(long, default_value_t = dangjian_app::demo::DEFAULT_MEMBERS)]
        members: u64,
        /// The seed that makes the demo the same every time.
        #[arg(long, default_value_t = 2010)]
        seed: u64,
    },
    /// Bring the database schema up to date (serve does this too).
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Copy the live SQLite database to FILE (PostgreSQL: use pg_dump).
    Backup { file: PathBuf },
    /// Replace the SQLite database with the copy in FILE; stop the server first (PostgreSQL: use pg_restore).
    Restore { file: PathBuf },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; prints its first password, which must be changed at first sign-in.
    Add {
        username: String,
        /// The person's name as shown.
        #[arg(long)]
        name: String,
    },
    /// Set a new temporary password; prints it.
    ResetPassword { username: String },
    /// Grant a role, on an organization's subtree (platform roles take none).
    Grant {
        username: String,
        /// org_department, committee_secretary, committee_member, general_branch_secretary,
        /// organization_commissioner, branch_secretary, branch_committee_member, member,
        /// applicant, system_admin, security_admin or auditor.
        role: String,
        /// The organization's id (see the organization's page or /api/v1/orgs).
        #[arg(long)]
        org: Option<dangjian_domain::ids::OrgId>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and report the first entry that was changed, removed or inserted.
    Verify,
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DANGJIAN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if std::env::var("DANGJIAN_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    init_tracing();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The chain of causes, in one line, without a backtrace.
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let config = DbConfig::from_settings(cli.database_url.as_deref(), &cli.data);
    let clock: Arc<dyn Clock> = match &cli.clock_file {
        Some(file) => {
            tracing::warn!(file = %file.display(), "the clock reads the time from a file (tests only)");
            Arc::new(FileClock(file.clone()))
        }
        None => Arc::new(SystemClock),
    };
    match cli.command {
        Command::Serve { addr } => {
            let app = open(&cli.data, config, &clock).await?;
            let served = serve(app.clone(), addr, &cli.data).await;
            finish(&app, served).await
        }
        Command::Demo {
            addr,
            members,
            seed,
        } => {
            let app = open(&cli.data, config, &clock).await?;
            let served = demo(app.clone(), addr, members, seed, &cli.data).await;
            finish(&app, served).await
        }
        Command::Migrate => {
            let app = open(&cli.data, config, &clock).await?;
            println!("数据库结构已是最新。");
            finish(&app, Ok(())).await
        }
        Command::User { command } => {
            let app = open(&cli.data, config, &clock).await?;
            let done = user(&app, command).await;
            finish(&app, done).await
        }
        Command::Backup { file } => {
            if file.exists() {
                bail!("{} 已存在，请换一个文件名", file.display());
            }
            let app = open(&cli.data, config, &clock).await?;
            let done = backup(&app, &file).await;
            finish(&app, done).await
        }
        Command::Restore { file } => restore(&cli.data, config, &file).await,
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let app = open(&cli.data, config, &clock).await?;
            let verified = app.audit().verify().await;
            match finish(&app, verified.map_err(Into::into)).await? {
                Ok(n) => {
                    println!("审计日志完整：{n} 条记录的哈希链校验通过。");
                    Ok(())
                }
                Err(brk) => {
                    eprintln!("审计日志校验失败：{brk}");
                    std::process::exit(1);
                }
            }
        }
    }
}

/// Gives back the command's id node whatever its outcome, so that the next command run in a
/// script claims it at once; a node not given back is free again a minute later.
async fn finish<T>(app: &App, outcome: Result<T>) -> Result<T> {
    if let Err(e) = app.release().await {
        tracing::warn!(error = %e, "could not give back the id node");
    }
    outcome
}

async fn demo(app: App, addr: SocketAddr, members: u64, seed: u64, data: &Path) -> Result<()> {
    let password = std::env::var("DANGJIAN_DEMO_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "Dangjian-2026".to_owned());
    let started = std::time::Instant::now();
    let demo = app.build_demo(members, seed, &password).await?;
    println!(
        "演示大学已建立：{} 个党组织，党员 {} 名，名册共 {} 人（用时 {:.1} 秒）。",
        demo.orgs,
        demo.members,
        demo.people,
        started.elapsed().as_secs_f64()
    );
    println!("打开 http://{addr}/ ，以下账号的密码都是：{password}");
    for a in &demo.accounts {
        let scope = a
            .org_name
            .as_deref()
            .map(|o| format!("（{o}）"))
            .unwrap_or_default();
        println!(
            "  {:<10} {} — {}{scope}",
            a.username,
            a.display_name,
            a.role.label()
        );
    }
    serve(app, addr, data).await
}

async fn backup(app: &App, file: &Path) -> Result<()> {
    app.audit().checkpoint().await?;
    app.store().backup_sqlite(file).await?;
    // The trail's signed head goes with the copy, so a restore can check it whole.
    let checkpoint = app.audit().checkpoint_path();
    if checkpoint.is_file() {
        std::fs::copy(&checkpoint, checkpoint_beside(file))?;
    }
    println!("已备份到 {}", file.display());
    Ok(())
}

async fn open(data: &Path, config: DbConfig, clock: &Arc<dyn Clock>) -> Result<App> {
    App::open(config, data.to_owned(), clock.clone())
        .await
        .context("无法打开数据库")
}

async fn user(app: &App, command: UserCommand) -> Result<()> {
    let console = Actor::console();
    match command {
        UserCommand::Add { username, name } => {
            let (account, password) = app
                .accounts()
                .create(&console, &username, &name, None, false)
                .await?;
            println!(
                "已建立账号 {}，初始密码：{password}（首次登录须修改）",
                account.username
            );
        }
        UserCommand::ResetPassword { username } => {
            let detail = app.accounts().by_username(&console, &username).await?;
            let password = app
                .accounts()
                .reset_password(&console, detail.account.id)
                .await?;
            println!(
                "账号 {} 的临时密码：{password}（登录后须修改）",
                detail.account.username
            );
        }
        UserCommand::Grant {
            username,
            role,
            org,
        } => {
            let detail = app.accounts().by_username(&console, &username).await?;
            let grant = app
                .accounts()
                .grant(&console, detail.account.id, &role, org)
                .await?;
            let scope = grant
                .org_name
                .map(|o| format!("，范围：{o}及其下属组织"))
                .unwrap_or_default();
            println!(
                "已授予 {} {}{scope}",
                detail.account.username,
                grant.role.label()
            );
        }
    }
    Ok(())
}

/// Holds `serve.lock` while serving, so that `restore` can tell a running server.
fn serve_lock(data: &Path) -> Result<std::fs::File> {
    std::fs::create_dir_all(data)?;
    Ok(std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data.join("serve.lock"))?)
}

async fn serve(app: App, addr: SocketAddr, data: &Path) -> Result<()> {
    let lock = serve_lock(data)?;
    // Several servers may share a data folder on PostgreSQL deployments: a shared lock.
    lock.lock_shared()?;
    // Metrics only for a scraper with the configured token.
    let metrics = match std::env::var("DANGJIAN_METRICS_TOKEN") {
        Ok(token) if !token.trim().is_empty() => {
            metrics_exporter_prometheus::PrometheusBuilder::new()
                .install_recorder()
                .ok()
                .map(|handle| dangjian_web::MetricsEndpoint {
                    handle,
                    token: token.trim().to_owned(),
                })
        }
        _ => None,
    };
    let state = AppState {
        app: app.clone(),
        metrics,
    };
    let signer = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            if let Err(e) = signer.audit().checkpoint().await {
                tracing::warn!(error = %e, "could not write the audit checkpoint");
            }
        }
    });
    let janitor = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(e) = janitor.accounts().purge_idle_sessions().await {
                tracing::warn!(error = %e, "could not purge idle sessions");
            }
            // Each morning's digest of development deadlines, and the monthly one of meetings missed.
            match janitor.notifications().send_digest_if_due().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(digests = n, "digests sent"),
                Err(e) => tracing::warn!(error = %e, "could not send the digests"),
            }
        }
    });
    let router = dangjian_web::router(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("无法监听 {addr}"))?;
    tracing::info!(%addr, engine = ?app.engine(), "serving");
    println!("服务已启动：http://{addr}/");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    tracing::info!("stopped; requests in flight were finished");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

async fn restore(data: &Path, config: DbConfig, file: &Path) -> Result<()> {
    if !matches!(config, DbConfig::Sqlite { .. }) {
        bail!("PostgreSQL 请使用 pg_restore 恢复");
    }
    if !file.is_file() {
        bail!("找不到备份文件 {}", file.display());
    }
    let lock = serve_lock(data)?;
    if lock.try_lock().is_err() {
        bail!("服务正在运行，请先停止服务再恢复");
    }
    // Check the copy is one of ours and readable before touching the live database.
    let staging = data.join("restore.tmp");
    dangjian_app::backup::stage_restore(data, file, &staging, Arc::new(SystemClock)).await?;
    let live = data.join("dangjian.db");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(data.join(format!("dangjian.db{suffix}")));
    }
    std::fs::rename(staging.join("dangjian.db"), &live)?;
    // The live checkpoint names the trail that was replaced: the copy's own goes in its place.
    match std::fs::rename(staging.join(CHECKPOINT_FILE), data.join(CHECKPOINT_FILE)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let _ = std::fs::remove_file(data.join(CHECKPOINT_FILE));
        }
        Err(e) => return Err(e.into()),
    }
    let _ = std::fs::remove_dir_all(&staging);
    println!("已从 {} 恢复。", file.display());
    Ok(())
}
