//! `cargo xtask`: set up the toolchain, build, demo and test the portal.
//!
//! Deliberately dependency-free (std only) so that it compiles in a second or two on a fresh
//! machine. Run `cargo xtask help` for the commands.

mod bench;
mod build;
mod fuzz;
mod lean_std;
mod real_znuny;
mod serve;
mod setup;
mod test;
mod util;

use std::process::ExitCode;

use build::Backend;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup [--browser] [--lean-std]
      Install whatever is missing: the wasm32 target, trunk 0.21.14, wasm-bindgen-cli (the
      version in Cargo.lock), npm packages (npm ci); with --browser also Debian chromium,
      nginx-light and caddy (the deploy-config tests); with --lean-std also rustup's rust-src.
      Idempotent and quick when everything is present.
  build [--backend zammad|znuny] [--dev] [--lean-std]
      setup, then `trunk build` into dist/<backend> (release unless --dev), on stable Rust.
      --lean-std (release only): the wasm against a std compiled for size (-Zbuild-std with
      the immediate-abort panic strategy through RUSTC_BOOTSTRAP=1; about 17 KB brotli
      smaller, needs rust-src, which it adds).
  demo [--backend zammad|znuny] [--port N] [--mount /support/]
      Release build, then run the dev server with the fake help desk (port: --port, else env
      PORT, else 8080). Ctrl-C stops it.
  test [--skip-lint] [--only-e2e] [--only-real-znuny] [--backend zammad|znuny]
      Run ALL tests (this is what CI runs): setup --browser, cargo fmt --check, clippy,
      host tests, release build + browser suite per backend. Env E2E_FILTER narrows the
      browser suite (node --test-name-pattern), E2E_FILES=sign-in,znuny runs only those
      files. With env ZNUNY_TARBALL (the Znuny 7.1.7 release tarball) also the real-Znuny
      steps (see real-znuny); without it they are reported as skipped (also with --only-e2e). --only-real-znuny: only those (and the
      znuny release build).
  real-znuny setup|start|stop|status|reset|test [--tarball PATH] [--reset]
      A real Znuny 7.1.7 on 127.0.0.1 from the release tarball (--tarball or ZNUNY_TARBALL),
      all in target/real-znuny/ (root needed: Debian packages, its own PostgreSQL and
      Apache). setup: install and seed (idempotent, quick the second time); start [--reset]:
      run it (and leave it running); stop; status; reset: database back at the seed;
      test: = test --only-real-znuny.
  bench [--backend zammad|znuny] [--lean-std] [--real-znuny] [--latency none|real|both]
      Release builds, then the benchmark (bench/bench.mjs) per backend: first-load bytes (raw,
      gzip, brotli), timings in headless Chromium (median/min/max of BENCH_RUNS=5 runs),
      memory and requests per view, checked against the budget; JSON in target/bench/. Every
      scenario runs twice (--latency both, the default): with the fake answering at once and
      at a real help desk's speed (--latency real: request chains printed, the real-latency
      budget; target/bench/<backend>-real-latency.json).
      --lean-std: also the --lean-std build (into dist/<backend>-lean-std), measured and
      printed beside the default build; JSON in target/bench/<backend>-lean-std.json.
      --real-znuny (znuny only, needs ZNUNY_TARBALL): the Znuny scenarios against the real
      Znuny behind nginx instead of the fake, first the portal beside Znuny's own customer.pl
      (alternating runs, desktop and phone profile) and the phone's cold load with nginx's
      brotli_static beside gzip_static; JSON in target/bench/znuny-real.json.
  fuzz [--cases N] [--seed S] [--backend zammad|znuny]
      Property tests of every help-desk answer reader and config.json, both backends: N random
      cases per reader (default 10000, at least 100,000 per adapter), then a table.
  help
      Show this text.
";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    }
    let command = args.remove(0);
    let mut args = util::Args::new(args);

    let result = match command.as_str() {
        "setup" => cmd_setup(&mut args),
        "build" => cmd_build(&mut args),
        "demo" => cmd_demo(&mut args),
        "test" => cmd_test(&mut args),
        "bench" => cmd_bench(&mut args),
        "real-znuny" => real_znuny::cmd(&util::Ctx::new(), &mut args),
        "fuzz" => fuzz::cmd(&mut args),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => Err(util::Error::Usage(format!("unknown command `{other}`"))),
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(util::Error::Usage(msg)) => {
            eprintln!("xtask: {msg} (see `cargo xtask help`)");
            ExitCode::from(2)
        }
        Err(util::Error::Failed(msg)) => {
            eprintln!("\nxtask: error: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn backend_arg(args: &mut util::Args) -> util::Result<Option<Backend>> {
    args.value("--backend")?
        .map(|name| Backend::parse(&name))
        .transpose()
}

fn cmd_setup(args: &mut util::Args) -> util::Result<()> {
    let browser = args.flag("--browser");
    let lean_std = args.flag("--lean-std");
    args.finish()?;
    let ctx = util::Ctx::new();
    setup::run(&ctx, setup::Options { browser, lean_std })
}

fn cmd_build(args: &mut util::Args) -> util::Result<()> {
    let backend = backend_arg(args)?.unwrap_or(Backend::Zammad);
    let dev = args.flag("--dev");
    let lean_std = args.flag("--lean-std");
    args.finish()?;
    if dev && lean_std {
        return Err(util::Error::Usage(
            "--lean-std is for release builds (not with --dev)".into(),
        ));
    }
    let ctx = util::Ctx::new();
    setup::run(
        &ctx,
        setup::Options {
            browser: false,
            lean_std,
        },
    )?;
    let profile = if dev {
        build::Profile::Dev
    } else {
        build::Profile::Release
    };
    let stdlib = lean_std::Std::from_flag(lean_std);
    let dist = ctx.dist_dir(backend);
    build::trunk_build_into(&ctx, backend, profile, stdlib, &dist)?;
    println!(
        "\nxtask: built {} ({}, {}) into {}",
        backend.name(),
        profile.name(),
        stdlib.label(),
        dist.display()
    );
    Ok(())
}

fn cmd_demo(args: &mut util::Args) -> util::Result<()> {
    let backend = backend_arg(args)?.unwrap_or(Backend::Zammad);
    let port = match args.value("--port")? {
        Some(p) => Some(p),
        None => std::env::var("PORT").ok().filter(|p| !p.trim().is_empty()),
    };
    let port: u16 = match port {
        None => 8080,
        Some(p) => p
            .trim()
            .parse()
            .map_err(|_| util::Error::Usage(format!("invalid port `{p}`")))?,
    };
    let mount = args.value("--mount")?.map(|m| serve::normalize_mount(&m));
    args.finish()?;
    let ctx = util::Ctx::new();
    serve::demo(&ctx, backend, port, mount.as_deref())
}

fn cmd_test(args: &mut util::Args) -> util::Result<()> {
    let opts = test::Options {
        skip_lint: args.flag("--skip-lint"),
        only_e2e: args.flag("--only-e2e"),
        only_real_znuny: args.flag("--only-real-znuny"),
        backend: backend_arg(args)?,
    };
    args.finish()?;
    let ctx = util::Ctx::new();
    test::run(&ctx, opts)
}

fn cmd_bench(args: &mut util::Args) -> util::Result<()> {
    let backend = backend_arg(args)?;
    let real_znuny = args.flag("--real-znuny");
    let lean_std = args.flag("--lean-std");
    let latencies = match args.value("--latency")? {
        None => bench::Latencies::Both,
        Some(v) => bench::Latencies::parse(&v).ok_or_else(|| {
            util::Error::Usage(format!("--latency must be none, real or both, not {v:?}"))
        })?,
    };
    args.finish()?;
    let ctx = util::Ctx::new();
    if real_znuny {
        if backend.is_some_and(|b| b != Backend::Znuny) {
            return Err(util::Error::Usage(
                "--real-znuny benchmarks the znuny backend only".into(),
            ));
        }
        if lean_std {
            return Err(util::Error::Usage(
                "--real-znuny measures the default build only (not with --lean-std)".into(),
            ));
        }
        return bench::run_real_znuny(&ctx);
    }
    let backends = match backend {
        Some(b) => vec![b],
        None => Backend::ALL.to_vec(),
    };
    bench::run(&ctx, &backends, lean_std, latencies)
}
