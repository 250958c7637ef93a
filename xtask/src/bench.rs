//! `cargo xtask bench`: release builds of both back ends, then bench/bench.mjs (bytes, timings in
//! headless Chromium, memory, requests per view) against the dev server's fake help desk. Prints
//! the figures and the budget, writes them to target/bench/<backend>.json, fails when a budget
//! line misses. Not part of `cargo xtask test`: timings belong in a benchmark, not in tests.

use crate::build::{self, Backend, Profile};
use crate::serve;
use crate::setup;
use crate::util::{self, fail, Ctx, Result};

pub fn run(ctx: &Ctx, backends: &[Backend]) -> Result<()> {
    setup::run(ctx, setup::Options { browser: true })?;
    build::devserver(ctx)?;
    let out_dir = ctx.target_dir().join("bench");
    let mut missed = Vec::new();
    for &backend in backends {
        build::trunk_build(ctx, backend, Profile::Release)?;
        util::header(&format!("bench {}", backend.name()));
        let (_server, portal_url) = serve::start_fake(ctx, backend)?;
        let out = out_dir.join(format!("{}.json", backend.name()));
        let status = ctx
            .command("node")
            .env("PORTAL_URL", &portal_url)
            .env("PORTAL_BACKEND", backend.name())
            .env("CHROMIUM", "/usr/bin/chromium")
            .arg("bench/bench.mjs")
            .arg(ctx.dist_dir(backend))
            .arg(&out)
            .status()
            .map_err(|e| util::Error::Failed(format!("cannot run node: {e}")))?;
        if !status.success() {
            return fail(format!(
                "bench/bench.mjs failed for {} ({status})",
                backend.name()
            ));
        }
        let json = std::fs::read_to_string(&out).unwrap_or_default();
        // bench.mjs writes each budget line as {"what": …, "ok": true|false, …}.
        if json.contains("\"ok\": false") {
            missed.push(backend.name());
        }
        println!("xtask: figures written to {}", out.display());
    }
    if missed.is_empty() {
        println!("\nxtask: bench: every budget line is met");
        Ok(())
    } else {
        fail(format!("bench: budget missed on {}", missed.join(", ")))
    }
}
