//! `cargo xtask test`: every test layer, in order, failing fast, with a summary at the end.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use crate::build::{self, Backend, Profile};
use crate::real_znuny::{self, Layout, Services};
use crate::serve;
use crate::setup;
use crate::util::{self, fail, Ctx, Result};

pub struct Options {
    /// Skip `cargo fmt --check` and clippy.
    pub skip_lint: bool,
    /// Only setup + build + browser suite.
    pub only_e2e: bool,
    /// Only this backend's feature-specific checks and browser suite.
    pub backend: Option<Backend>,
    /// Only the steps against a real Znuny (set up, live host tests, its browser suite).
    pub only_real_znuny: bool,
}

type Action<'a> = Box<dyn FnOnce() -> Result<()> + 'a>;

enum Outcome {
    Ok(Duration),
    Failed(Duration),
    Skipped(String),
    NotRun,
}

struct Step<'a> {
    name: String,
    action: Option<Action<'a>>,
    outcome: Outcome,
}

struct Plan<'a> {
    steps: Vec<Step<'a>>,
}

impl<'a> Plan<'a> {
    fn add(&mut self, name: impl Into<String>, action: impl FnOnce() -> Result<()> + 'a) {
        self.steps.push(Step {
            name: name.into(),
            action: Some(Box::new(action)),
            outcome: Outcome::NotRun,
        });
    }

    fn skip(&mut self, name: impl Into<String>, why: impl Into<String>) {
        self.steps.push(Step {
            name: name.into(),
            action: None,
            outcome: Outcome::Skipped(why.into()),
        });
    }

    /// Runs the steps in order and stops at the first failure.
    fn execute(&mut self) -> std::result::Result<(), (String, util::Error)> {
        let total = self.steps.iter().filter(|s| s.action.is_some()).count();
        let mut n = 0;
        for step in &mut self.steps {
            let Some(action) = step.action.take() else {
                continue;
            };
            n += 1;
            let bar = "#".repeat(72);
            println!("\n{bar}\n# [{n}/{total}] {}\n{bar}", step.name);
            let started = Instant::now();
            let result = action();
            let took = started.elapsed();
            match result {
                Ok(()) => step.outcome = Outcome::Ok(took),
                Err(e) => {
                    step.outcome = Outcome::Failed(took);
                    return Err((step.name.clone(), e));
                }
            }
        }
        Ok(())
    }

    fn print_summary(&self) {
        println!("\n==> summary");
        for step in &self.steps {
            let (label, detail) = match &step.outcome {
                Outcome::Ok(d) => ("ok", format!("{:.1} s", d.as_secs_f64())),
                Outcome::Failed(d) => ("FAILED", format!("{:.1} s", d.as_secs_f64())),
                Outcome::Skipped(why) => ("skipped", why.clone()),
                Outcome::NotRun => ("not run", "stopped after the failure".to_string()),
            };
            println!("  {label:<8} {:<44} {detail}", step.name);
        }
    }
}

pub fn run(ctx: &Ctx, opts: Options) -> Result<()> {
    if opts.only_real_znuny {
        return match real_znuny::tarball_from_env() {
            Some(tarball) => run_real_znuny_only(ctx, &tarball),
            None => fail(format!(
                "--only-real-znuny needs {} (the Znuny 7.1.7 release, {})",
                real_znuny::TARBALL_ENV,
                real_znuny::DOWNLOAD_URL
            )),
        };
    }
    let znuny_exists = Backend::Znuny.exists(ctx);
    // Explicit --backend wins (even for a backend not written yet: its build error is the
    // answer); otherwise every backend that exists.
    let backends: Vec<Backend> = match opts.backend {
        Some(b) => vec![b],
        None => Backend::ALL.into_iter().filter(|b| b.exists(ctx)).collect(),
    };
    if backends.iter().any(|b| !b.exists(ctx)) {
        println!("xtask: note: src/backend/znuny/mod.rs does not exist yet; expect znuny to fail");
    }
    let lint = !(opts.skip_lint || opts.only_e2e);
    let why_no_lint = if opts.only_e2e {
        "--only-e2e"
    } else {
        "--skip-lint"
    };
    let extra: Vec<Backend> = backends
        .iter()
        .copied()
        .filter(|b| *b != Backend::Zammad)
        .collect();

    let layout = Layout::new(ctx);
    let mut plan = Plan { steps: Vec::new() };
    plan.add("setup --browser", || {
        setup::run(
            ctx,
            setup::Options {
                browser: true,
                lean_std: false,
            },
        )
    });

    // Lint.
    if lint {
        plan.add("cargo fmt --check", || {
            util::run(ctx.cargo().args(["fmt", "--all", "--", "--check"]))
                .map_err(|e| hint(e, "run `cargo fmt --all` to fix the formatting"))
        });
        plan.add("clippy (workspace, zammad)", || {
            util::run(ctx.cargo().args(CLIPPY_WORKSPACE))
        });
        for &b in &extra {
            plan.add(format!("clippy (portal, {})", b.name()), move || {
                let mut cmd = ctx.cargo();
                cmd.args(["clippy", "-p", "portal"])
                    .args(b.cargo_feature_args())
                    .args(["--all-targets", "--", "-D", "warnings"]);
                util::run(&mut cmd)
            });
        }
    } else {
        plan.skip("cargo fmt --check", why_no_lint);
        plan.skip("clippy", why_no_lint);
    }
    if !znuny_exists && opts.backend.is_none() && !opts.only_e2e {
        plan.skip("znuny checks", "src/backend/znuny/mod.rs not written yet");
    }

    // Host tests.
    if opts.only_e2e {
        plan.skip("host tests", "--only-e2e");
    } else {
        plan.add("host tests (workspace, zammad)", || {
            util::run(ctx.cargo().args(["test", "--workspace"]))
        });
        for &b in &extra {
            plan.add(format!("host tests (portal, {})", b.name()), move || {
                let mut cmd = ctx.cargo();
                cmd.args(["test", "-p", "portal"])
                    .args(b.cargo_feature_args());
                util::run(&mut cmd)
            });
        }
    }

    // Release builds + browser suite.
    plan.add("build devserver (release)", || {
        build::devserver(ctx).map(|_| ())
    });
    for &b in &backends {
        plan.add(format!("build portal {} (release)", b.name()), move || {
            build::trunk_build(ctx, b, Profile::Release)
        });
        plan.add(format!("browser suite ({})", b.name()), move || {
            browser_suite(ctx, b)
        });
    }

    // Against a real Znuny, when the release is given.
    match real_znuny::tarball_from_env() {
        _ if opts.only_e2e => plan.skip(
            REAL_ZNUNY_STEPS,
            "--only-e2e (the real-Znuny steps alone: --only-real-znuny)",
        ),
        _ if !backends.contains(&Backend::Znuny) => plan.skip(
            REAL_ZNUNY_STEPS,
            "the znuny backend is not tested in this run",
        ),
        None => plan.skip(
            REAL_ZNUNY_STEPS,
            format!(
                "no {} given (the Znuny 7.1.7 release: {})",
                real_znuny::TARBALL_ENV,
                real_znuny::DOWNLOAD_URL
            ),
        ),
        Some(tarball) => add_real_znuny_steps(&mut plan, ctx, &layout, tarball),
    }

    let result = plan.execute();
    plan.print_summary();
    match result {
        Ok(()) => {
            println!("\nxtask: all tests passed");
            Ok(())
        }
        Err((step, e)) => fail(format!("step `{step}` failed: {}", e.message())),
    }
}

const REAL_ZNUNY_STEPS: &str = "real Znuny (suite, fake vs real)";

/// `cargo xtask test --only-real-znuny` / `cargo xtask real-znuny test`: the release build of the
/// Znuny portal, then only the steps against the real Znuny.
pub fn run_real_znuny_only(ctx: &Ctx, tarball: &Path) -> Result<()> {
    let layout = Layout::new(ctx);
    let mut plan = Plan { steps: Vec::new() };
    plan.add("setup --browser", || {
        setup::run(
            ctx,
            setup::Options {
                browser: true,
                lean_std: false,
            },
        )
    });
    plan.add("build portal znuny (release)", || {
        build::trunk_build(ctx, Backend::Znuny, Profile::Release)
    });
    add_real_znuny_steps(&mut plan, ctx, &layout, tarball.to_path_buf());
    let result = plan.execute();
    plan.print_summary();
    match result {
        Ok(()) => {
            println!("\nxtask: the real-Znuny tests passed");
            Ok(())
        }
        Err((step, e)) => fail(format!("step `{step}` failed: {}", e.message())),
    }
}

/// Set up (idempotent), start from the seed, the host tests that talk to it, the browser suite
/// through nginx, stop. What was started is stopped also when a step fails (the guard lives in
/// `running`, dropped with the plan).
fn add_real_znuny_steps<'a>(
    plan: &mut Plan<'a>,
    ctx: &'a Ctx,
    layout: &'a Layout,
    tarball: PathBuf,
) {
    let running: Rc<RefCell<Option<Services<'a>>>> = Rc::new(RefCell::new(None));
    plan.add("real Znuny: set up (idempotent)", move || {
        real_znuny::setup(ctx, Some(&tarball)).map(|_| ())
    });
    let slot = running.clone();
    plan.add("real Znuny: start at the seed", move || {
        *slot.borrow_mut() = Some(Services::start(layout, true)?);
        Ok(())
    });
    let slot = running.clone();
    plan.add("real Znuny: live decoders, fake vs real", move || {
        let url = started(&slot)?;
        live_host_tests(ctx, &url)
    });
    let slot = running.clone();
    plan.add("real Znuny: browser suite via nginx", move || {
        let mut guard = slot.borrow_mut();
        let Some(services) = guard.as_mut() else {
            return fail("the real Znuny is not running");
        };
        // The host tests wrote tickets: the suite starts from the seed again.
        services.reset()?;
        real_browser_suite(ctx, services)
    });
    plan.add("real Znuny: stop", move || {
        match running.borrow_mut().take() {
            Some(services) => services.stop_now(),
            None => Ok(()),
        }
    });
}

fn started(slot: &RefCell<Option<Services<'_>>>) -> Result<String> {
    match slot.borrow().as_ref() {
        Some(services) => Ok(services.gi_url()),
        None => fail("the real Znuny is not running"),
    }
}

/// The host tests that read the real Znuny: the portal's decoders on live answers and the fake
/// compared with the real server. Each must have run (not only compiled and skipped).
fn live_host_tests(ctx: &Ctx, url: &str) -> Result<()> {
    let mut devserver = ctx.cargo();
    devserver.env(real_znuny::URL_ENV, url).args([
        "test",
        "-p",
        "devserver",
        "--test",
        "znuny_real",
    ]);
    let compared = real_znuny::run_counting_tests(&mut devserver)?;
    let mut portal = ctx.cargo();
    portal
        .env(real_znuny::URL_ENV, url)
        .args(["test", "-p", "portal"])
        .args(Backend::Znuny.cargo_feature_args())
        .arg("real_znuny");
    let decoded = real_znuny::run_counting_tests(&mut portal)?;
    if compared == 0 || decoded == 0 {
        return fail(format!(
            "the live tests did not run ({compared} fake-vs-real, {decoded} decoder tests passed)"
        ));
    }
    println!("xtask: {compared} fake-vs-real and {decoded} live decoder tests passed");
    Ok(())
}

/// end2end-real/ against the Znuny release build behind nginx (deploy/nginx/znuny.conf) in front
/// of the real Znuny.
fn real_browser_suite(ctx: &Ctx, services: &Services<'_>) -> Result<()> {
    let Some(port) = services.apache_port() else {
        return fail("the real Znuny's Apache is not running");
    };
    let layout = services.layout();
    let nginx = real_znuny::start_nginx(ctx, layout, port)?;
    let artifacts = ctx
        .root
        .join("end2end")
        .join("artifacts")
        .join("real-znuny");
    let _ = std::fs::remove_dir_all(&artifacts);
    std::fs::create_dir_all(&artifacts)
        .map_err(|e| util::Error::Failed(format!("cannot create {}: {e}", artifacts.display())))?;
    let mut node = ctx.command("node");
    node.env("PORTAL_URL", &nginx.base)
        .env("PORTAL_BACKEND", Backend::Znuny.name())
        .env("CHROMIUM", "/usr/bin/chromium")
        .env("E2E_ARTIFACTS", &artifacts)
        .env(real_znuny::URL_ENV, services.gi_url())
        .env("REAL_ZNUNY_SEED", layout.seed_file())
        .env("REAL_ZNUNY_PROXY_LOG", &nginx.access_log)
        .env("REAL_ZNUNY_APACHE_LOG", layout.apache_access_log())
        // A real server answers in tenths of seconds, a fresh mod_perl worker in seconds.
        .env(
            "E2E_UI_TIMEOUT_MS",
            std::env::var("E2E_UI_TIMEOUT_MS").unwrap_or_else(|_| "20000".into()),
        )
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"]);
    if let Some(filter) = std::env::var("E2E_FILTER").ok().filter(|f| !f.is_empty()) {
        node.arg(format!("--test-name-pattern={filter}"));
    }
    node.arg("end2end-real/");
    let result = util::run(&mut node).map_err(|e| {
        hint(
            e,
            &format!(
                "screenshots and traces, if any, are in {}",
                artifacts.display()
            ),
        )
    });
    drop(nginx);
    result
}

const CLIPPY_WORKSPACE: &[&str] = &[
    "clippy",
    "--workspace",
    "--all-targets",
    "--",
    "-D",
    "warnings",
];

fn hint(e: util::Error, hint: &str) -> util::Error {
    util::Error::Failed(format!("{} ({hint})", e.message()))
}

/// Serves dist/<backend> with the devserver and runs `node --test end2end/` against it.
fn browser_suite(ctx: &Ctx, backend: Backend) -> Result<()> {
    let dist = ctx.dist_dir(backend);
    if !dist.join("index.html").exists() {
        return fail(format!("{} is missing", dist.join("index.html").display()));
    }
    let e2e_dir = ctx.root.join("end2end");
    if count_test_files(&e2e_dir) == 0 {
        println!(
            "xtask: WARNING: no test files (*.test.mjs, *.test.js, ...) under {}: \
             the browser suite will run 0 tests",
            e2e_dir.display()
        );
    }
    let artifacts = e2e_dir.join("artifacts").join(backend.name());
    let _ = std::fs::remove_dir_all(&artifacts);
    std::fs::create_dir_all(&artifacts)
        .map_err(|e| util::Error::Failed(format!("cannot create {}: {e}", artifacts.display())))?;

    // Killed when `server` goes out of scope, whatever happens below.
    let (_server, portal_url) = serve::start_fake(ctx, backend)?;

    let mut node = ctx.command("node");
    node.env("PORTAL_URL", &portal_url)
        .env("PORTAL_BACKEND", backend.name())
        .env("CHROMIUM", "/usr/bin/chromium")
        .env("E2E_ARTIFACTS", &artifacts)
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"]);
    if let Some(filter) = std::env::var("E2E_FILTER").ok().filter(|f| !f.is_empty()) {
        node.arg(format!("--test-name-pattern={filter}"));
    }
    // E2E_FILES=sign-in,znuny runs only those files (end2end/<name>.test.mjs) for a quick check.
    match std::env::var("E2E_FILES")
        .ok()
        .filter(|f| !f.trim().is_empty())
    {
        Some(files) => {
            for name in files.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                node.arg(format!("end2end/{name}.test.mjs"));
            }
        }
        None => {
            node.arg("end2end/");
        }
    }
    util::run(&mut node).map_err(|e| {
        hint(
            e,
            &format!(
                "screenshots and traces, if any, are in {}",
                artifacts.display()
            ),
        )
    })
}

/// Files node's test runner picks up by default (Node 20 naming rules), outside artifacts/.
fn count_test_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut count = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "artifacts" && name != "node_modules" && !name.starts_with('.') {
                count += count_test_files(&path);
            }
        } else if is_test_file(&name) {
            count += 1;
        }
    }
    count
}

fn is_test_file(name: &str) -> bool {
    let Some(stem) = [".mjs", ".cjs", ".js"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
    else {
        return false;
    };
    stem == "test"
        || stem.starts_with("test-")
        || stem.ends_with(".test")
        || stem.ends_with("-test")
        || stem.ends_with("_test")
}

#[cfg(test)]
mod tests {
    use super::is_test_file;

    #[test]
    fn recognizes_node_test_files() {
        assert!(is_test_file("login.test.mjs"));
        assert!(is_test_file("test-tickets.js"));
        assert!(is_test_file("upload_test.cjs"));
        assert!(!is_test_file("helpers.mjs"));
        assert!(!is_test_file("login.test.ts"));
    }
}
