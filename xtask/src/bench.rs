//! `cargo xtask bench`: release builds of both back ends, then bench/bench.mjs (bytes, timings in
//! headless Chromium, memory, requests per view) against the dev server's fake help desk. Prints
//! the figures and the budget, writes them to target/bench/<backend>.json, fails when a budget
//! line misses. `--lean-std` also builds each back end with the lean std (lean_std.rs) into
//! dist/<backend>-lean-std and measures it beside the default build
//! (target/bench/<backend>-lean-std.json). Each build is measured twice: with the fake answering
//! at once (`<backend>.json`) and at a real help desk's speed (`--latency real`,
//! `<backend>-real-latency.json`, with the request chains and the budget for real latency);
//! `--latency none|real` measures one of them only. Not part of `cargo xtask test`: timings belong in a
//! benchmark, not in tests.

use std::path::Path;

use crate::build::{self, Backend, Profile};
use crate::lean_std::Std;
use crate::real_znuny::{self, NginxExtras, Services};
use crate::serve;
use crate::setup;
use crate::util::{self, fail, Ctx, Result};

/// Which latency profiles of the fake the bench runs (`--latency`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Latencies {
    Both,
    None,
    Real,
}

impl Latencies {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "both" => Some(Self::Both),
            "none" => Some(Self::None),
            "real" => Some(Self::Real),
            _ => None,
        }
    }

    fn profiles(self) -> &'static [&'static str] {
        match self {
            Self::Both => &["none", "real"],
            Self::None => &["none"],
            Self::Real => &["real"],
        }
    }
}

pub fn run(ctx: &Ctx, backends: &[Backend], lean_std: bool, latencies: Latencies) -> Result<()> {
    setup::run(
        ctx,
        setup::Options {
            browser: true,
            lean_std,
        },
    )?;
    build::devserver(ctx)?;
    let out_dir = ctx.target_dir().join("bench");
    let mut missed = Vec::new();
    for &backend in backends {
        build::trunk_build(ctx, backend, Profile::Release)?;
        let default_out = out_dir.join(format!("{}.json", backend.name()));
        let dist = ctx.dist_dir(backend);
        for &latency in latencies.profiles() {
            let out = match latency {
                "real" => out_dir.join(format!("{}-real-latency.json", backend.name())),
                _ => default_out.clone(),
            };
            if !bench_build(ctx, backend, Std::Prebuilt, &dist, &out, None, latency)? {
                missed.push(format!("{} (latency {latency})", backend.name()));
            }
        }
        if lean_std {
            let dist = ctx
                .root
                .join("dist")
                .join(format!("{}-lean-std", backend.name()));
            build::trunk_build_into(ctx, backend, Profile::Release, Std::Lean, &dist)?;
            let out = out_dir.join(format!("{}-lean-std.json", backend.name()));
            if !bench_build(
                ctx,
                backend,
                Std::Lean,
                &dist,
                &out,
                Some(&default_out),
                "none",
            )? {
                missed.push(format!("{} ({})", backend.name(), Std::Lean.label()));
            }
        }
    }
    if missed.is_empty() {
        println!("\nxtask: bench: every budget line is met");
        Ok(())
    } else {
        fail(format!("bench: budget missed on {}", missed.join(", ")))
    }
}

/// bench/bench.mjs on the build in `dist`, served by the fake answering with `--latency
/// <latency>`; `compare`: the default build's figures, printed beside this build's. Returns
/// whether every budget line is met.
fn bench_build(
    ctx: &Ctx,
    backend: Backend,
    stdlib: Std,
    dist: &Path,
    out: &Path,
    compare: Option<&Path>,
    latency: &str,
) -> Result<bool> {
    util::header(&format!(
        "bench {} ({}, latency {latency})",
        backend.name(),
        stdlib.label()
    ));
    let (_server, portal_url) = serve::start_fake_serving_at(ctx, backend, dist, latency)?;
    let mut node = ctx.command("node");
    node.env("PORTAL_URL", &portal_url)
        .env("PORTAL_BACKEND", backend.name())
        .env("CHROMIUM", "/usr/bin/chromium")
        .env("BENCH_BUILD", stdlib.label())
        .env("BENCH_LATENCY", latency);
    if let Some(compare) = compare {
        node.env("BENCH_COMPARE", compare);
    }
    let status = node
        .arg("bench/bench.mjs")
        .arg(dist)
        .arg(out)
        .status()
        .map_err(|e| util::Error::Failed(format!("cannot run node: {e}")))?;
    if !status.success() {
        return fail(format!(
            "bench/bench.mjs failed for {} ({}, {status})",
            backend.name(),
            stdlib.label()
        ));
    }
    let json = std::fs::read_to_string(out).unwrap_or_default();
    println!("xtask: figures written to {}", out.display());
    // bench.mjs writes each budget line as {"what": …, "ok": true|false, …}.
    Ok(!json.is_empty() && !json.contains("\"ok\": false"))
}

/// `cargo xtask bench --backend znuny --real-znuny`: the Znuny scenarios of bench/bench.mjs
/// against the real Znuny (from the seed, plus the tickets the bench adds through the Generic
/// Interface) behind nginx with deploy/nginx/znuny.conf, the way a customer reaches it; first,
/// on the seed, the portal beside Znuny's own customer interface (customer.pl through the same
/// nginx) on a desktop and a phone profile, and the phone's cold load with brotli beside gzip
/// (bench/bench.mjs, "The portal beside customer.pl"). Writes target/bench/znuny-real.json. The
/// budget (written for the fake's instant answers) is printed but does not fail this run.
pub fn run_real_znuny(ctx: &Ctx) -> Result<()> {
    setup::run(
        ctx,
        setup::Options {
            browser: true,
            lean_std: false,
        },
    )?;
    build::trunk_build(ctx, Backend::Znuny, Profile::Release)?;
    let layout = real_znuny::setup(ctx, real_znuny::tarball_from_env().as_deref())?;
    let services = Services::start(&layout, true)?;
    let Some(port) = services.apache_port() else {
        return fail("the real Znuny's Apache is not running");
    };
    // Znuny's own customer interface through the same nginx, and a second nginx that also
    // serves the portal's .br files (Debian's brotli_static module).
    real_znuny::install_missing(&["libnginx-mod-http-brotli-static"])?;
    let nginx = real_znuny::start_nginx_with(
        ctx,
        &layout,
        port,
        NginxExtras {
            customer_interface: true,
            brotli: false,
        },
    )?;
    let brotli = real_znuny::start_nginx_with(
        ctx,
        &layout,
        port,
        NginxExtras {
            customer_interface: false,
            brotli: true,
        },
    )?;
    let customer_pl = nginx.base.replace("/support/", "/znuny/customer.pl");
    util::header("bench znuny against the real Znuny, beside customer.pl");
    let out = ctx.target_dir().join("bench").join("znuny-real.json");
    let status = ctx
        .command("node")
        .env("PORTAL_URL", &nginx.base)
        .env("PORTAL_BACKEND", Backend::Znuny.name())
        .env("CHROMIUM", "/usr/bin/chromium")
        .env("BENCH_REAL_ZNUNY", "1")
        .env("BENCH_CUSTOMER_PL", &customer_pl)
        .env("BENCH_BROTLI_URL", &brotli.base)
        .env(real_znuny::URL_ENV, services.gi_url())
        .env("REAL_ZNUNY_SEED", layout.seed_file())
        .arg("bench/bench.mjs")
        .arg(ctx.dist_dir(Backend::Znuny))
        .arg(&out)
        .status()
        .map_err(|e| util::Error::Failed(format!("cannot run node: {e}")))?;
    drop(brotli);
    drop(nginx);
    services.stop_now()?;
    if !status.success() {
        return fail(format!(
            "bench/bench.mjs failed against the real Znuny ({status})"
        ));
    }
    println!("xtask: figures written to {}", out.display());
    Ok(())
}
