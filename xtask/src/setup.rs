//! `cargo xtask setup`: install whatever is missing, idempotently (see docs/toolchain.md).

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::util::{self, capture, fail, on_path, Ctx, Result};

pub const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";
const NGINX: &str = "/usr/sbin/nginx";
const CADDY: &str = "/usr/bin/caddy";

pub struct Options {
    /// Also install what the browser suite needs (Debian chromium; nginx-light and caddy, which
    /// run the shipped deploy configurations).
    pub browser: bool,
    /// Also rustup's `rust-src`, which only the `--lean-std` release build needs.
    pub lean_std: bool,
}

pub fn run(ctx: &Ctx, opts: Options) -> Result<()> {
    util::header(if opts.browser {
        "setup (with browser)"
    } else {
        "setup"
    });
    if opts.browser {
        ensure_debian_packages(&[
            (CHROMIUM, "chromium"),
            (NGINX, "nginx-light"),
            (CADDY, "caddy"),
        ])?;
    }
    ensure_node()?;
    ensure_wasm_target(ctx)?;
    ensure_rust_components(ctx)?;
    if opts.lean_std {
        ensure_rust_src(ctx)?;
    }
    ensure_cargo_tool(ctx, "trunk", "trunk", TRUNK_VERSION, true)?;
    let bindgen = wasm_bindgen_version(ctx)?;
    // No --locked: wasm-bindgen-cli's lock file wants a crate version the registry here lacks.
    ensure_cargo_tool(ctx, "wasm-bindgen", "wasm-bindgen-cli", &bindgen, false)?;
    ensure_npm_packages(ctx)?;
    println!("setup: everything is in place");
    Ok(())
}

fn ensure_node() -> Result<()> {
    if on_path("node") && on_path("npm") {
        return Ok(());
    }
    println!("setup: node/npm not found, installing Debian nodejs + npm");
    apt_install(&["nodejs", "npm"])?;
    if !(on_path("node") && on_path("npm")) {
        return fail("node and npm are still not on PATH after installing them");
    }
    Ok(())
}

/// Installs the Debian packages whose marker file is missing.
fn ensure_debian_packages(wanted: &[(&str, &str)]) -> Result<()> {
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(file, _)| !Path::new(file).exists())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        for (file, package) in wanted {
            println!("setup: ok   {package} ({file})");
        }
        return Ok(());
    }
    println!("setup: installing Debian packages: {}", missing.join(" "));
    apt_install(&missing)?;
    for (file, package) in wanted {
        if !Path::new(file).exists() {
            return fail(format!(
                "{file} is still missing after installing {package}"
            ));
        }
    }
    Ok(())
}

/// `apt-get update && apt-get install -y ...`, through sudo when not root.
fn apt_install(packages: &[&str]) -> Result<()> {
    if !on_path("apt-get") {
        return fail(format!(
            "apt-get not found: install {} with your system's package manager",
            packages.join(", ")
        ));
    }
    let sudo = !util::is_root();
    if sudo && !on_path("sudo") {
        return fail(format!(
            "not root and no sudo: run `apt-get update && apt-get install -y {}` as root",
            packages.join(" ")
        ));
    }
    let apt = |args: &[&str]| {
        let mut cmd = if sudo {
            let mut c = std::process::Command::new("sudo");
            c.args(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
            c
        } else {
            let mut c = std::process::Command::new("apt-get");
            c.env("DEBIAN_FRONTEND", "noninteractive");
            c
        };
        cmd.args(args);
        cmd
    };
    util::run(&mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y", "--no-install-recommends"]);
    install.args(packages);
    util::run(&mut install)
}

fn ensure_wasm_target(ctx: &Ctx) -> Result<()> {
    if on_path("rustup") {
        let installed = capture(
            ctx.command("rustup")
                .args(["target", "list", "--installed"]),
        )
        .unwrap_or_default();
        if installed.lines().any(|l| l.trim() == WASM_TARGET) {
            println!("setup: ok   rust target {WASM_TARGET}");
            return Ok(());
        }
        println!("setup: adding rust target {WASM_TARGET}");
        return util::run(ctx.command("rustup").args(["target", "add", WASM_TARGET]));
    }
    // No rustup (e.g. a distribution's Rust): look into the sysroot.
    let sysroot = capture(ctx.command("rustc").args(["--print", "sysroot"])).unwrap_or_default();
    if Path::new(&sysroot)
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .exists()
    {
        println!("setup: ok   rust target {WASM_TARGET}");
        Ok(())
    } else {
        fail(format!(
            "rust target {WASM_TARGET} is missing and rustup is not available to add it"
        ))
    }
}

/// rustfmt and clippy (absent from rustup's `minimal` profile).
fn ensure_rust_components(ctx: &Ctx) -> Result<()> {
    for (sub, component) in [("fmt", "rustfmt"), ("clippy", "clippy")] {
        if capture(ctx.cargo().args([sub, "--version"])).is_some() {
            println!("setup: ok   {component}");
            continue;
        }
        if !on_path("rustup") {
            return fail(format!("`cargo {sub}` is missing; install {component}"));
        }
        println!("setup: adding rust component {component}");
        util::run(ctx.command("rustup").args(["component", "add", component]))?;
    }
    Ok(())
}

/// The std sources, for the `--lean-std` release build (see lean_std.rs); only when asked for.
fn ensure_rust_src(ctx: &Ctx) -> Result<()> {
    if crate::lean_std::rust_src_installed(ctx) {
        println!("setup: ok   rust-src");
        return Ok(());
    }
    if !on_path("rustup") {
        return fail(
            "--lean-std needs the std sources (rustup's rust-src component), and rustup is not \
             available to add them; build without --lean-std (the default build needs neither)",
        );
    }
    println!("setup: adding rust component rust-src (for --lean-std)");
    util::run(ctx.command("rustup").args(["component", "add", "rust-src"]))
}

/// Second word of `<bin> --version` ("trunk 0.21.14" -> "0.21.14").
fn installed_version(ctx: &Ctx, bin: &str) -> Option<String> {
    let out = capture(ctx.command(bin).arg("--version"))?;
    out.split_whitespace().nth(1).map(str::to_string)
}

fn ensure_cargo_tool(ctx: &Ctx, bin: &str, krate: &str, version: &str, locked: bool) -> Result<()> {
    if installed_version(ctx, bin).as_deref() == Some(version) {
        println!("setup: ok   {bin} {version}");
        return Ok(());
    }
    // Someone (another terminal, an earlier interrupted run) may be installing it right now:
    // wait for that rather than compiling the same crate twice in parallel.
    if wait_for_concurrent_install(krate) && installed_version(ctx, bin).as_deref() == Some(version)
    {
        println!("setup: ok   {bin} {version}");
        return Ok(());
    }
    match installed_version(ctx, bin) {
        Some(v) => println!("setup: {bin} is {v}, want {version}: installing {krate} {version}"),
        None => println!("setup: {bin} not found: installing {krate} {version}"),
    }
    if krate == "trunk" {
        println!("setup: (compiling trunk takes several minutes and ~2 GB of RAM)");
    }
    let mut cmd = ctx.cargo();
    cmd.args(["install", krate, "--version", version]);
    if locked {
        cmd.arg("--locked");
    }
    util::run(&mut cmd)?;
    match installed_version(ctx, bin) {
        Some(v) if v == version => Ok(()),
        other => fail(format!(
            "after `cargo install {krate} --version {version}`, `{bin} --version` reports {}; \
             is another {bin} earlier on PATH?",
            other.as_deref().unwrap_or("nothing")
        )),
    }
}

/// Waits while another process runs `cargo install <krate>`; returns whether it waited.
fn wait_for_concurrent_install(krate: &str) -> bool {
    let mut waited = false;
    while let Some(pid) = concurrent_install(krate) {
        if !waited {
            println!(
                "setup: waiting for the running `cargo install {krate}` (pid {pid}) to finish"
            );
        }
        waited = true;
        std::thread::sleep(Duration::from_secs(5));
    }
    waited
}

fn concurrent_install(krate: &str) -> Option<u32> {
    let me = std::process::id();
    let entries = std::fs::read_dir("/proc").ok()?;
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        let is_cargo = args
            .first()
            .is_some_and(|a| *a == b"cargo" || a.ends_with(b"/cargo"));
        let has = |word: &[u8]| args.iter().skip(1).any(|a| *a == word);
        if is_cargo && has(b"install") && has(krate.as_bytes()) {
            return Some(pid);
        }
    }
    None
}

/// The exact `wasm-bindgen` version in Cargo.lock (wasm-bindgen-cli must match it).
fn wasm_bindgen_version(ctx: &Ctx) -> Result<String> {
    let lock_path = ctx.root.join("Cargo.lock");
    if !lock_path.exists() {
        println!("setup: Cargo.lock missing, generating it");
        util::run(ctx.cargo().arg("generate-lockfile"))?;
    }
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| util::Error::Failed(format!("cannot read {}: {e}", lock_path.display())))?;
    let versions = locked_versions(&lock, "wasm-bindgen");
    match versions.as_slice() {
        [] => fail("Cargo.lock has no `wasm-bindgen` package"),
        [one] => Ok(one.clone()),
        many => fail(format!(
            "Cargo.lock has several wasm-bindgen versions ({}); pin exactly one",
            many.join(", ")
        )),
    }
}

/// Versions of package `name` in a Cargo.lock (line-based: `name = "..."` then `version = "..."`).
pub fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let unquote = |s: &str| s.trim().trim_matches('"').to_string();
    let mut current: Option<String> = None;
    let mut found = Vec::new();
    for line in lock.lines().map(str::trim) {
        if line.starts_with('[') {
            current = None;
        } else if let Some(v) = line.strip_prefix("name = ") {
            current = Some(unquote(v));
        } else if let Some(v) = line.strip_prefix("version = ") {
            if current.as_deref() == Some(name) {
                found.push(unquote(v));
                current = None;
            }
        }
    }
    found.dedup();
    found
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
fn ensure_npm_packages(ctx: &Ctx) -> Result<()> {
    let lock = ctx.root.join("package-lock.json");
    let installed = ctx.root.join("node_modules").join(".package-lock.json");
    if !lock.exists() {
        return fail(format!("{} is missing", lock.display()));
    }
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let stale = match (mtime(&lock), mtime(&installed)) {
        (_, None) => Some("node_modules is missing"),
        (Some(l), Some(i)) if l > i => Some("package-lock.json is newer than node_modules"),
        (None, _) => Some("cannot read package-lock.json's time"),
        _ => None,
    };
    let wasm_opt = ctx.root.join("node_modules/.bin/wasm-opt");
    match stale {
        None if wasm_opt.exists() => {
            println!("setup: ok   node_modules (npm ci is up to date)");
            return Ok(());
        }
        None => println!("setup: node_modules/.bin/wasm-opt is missing: running npm ci"),
        Some(why) => println!("setup: {why}: running npm ci"),
    }
    util::run(ctx.command("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    // npm ci may leave the marker file's mtime older than the lock file (e.g. after a checkout
    // that touched package-lock.json without changes): bump it so the next run is quick.
    if let Ok(file) = std::fs::File::options().append(true).open(&installed) {
        let _ = file.set_modified(SystemTime::now());
    }
    if !wasm_opt.exists() {
        return fail(format!(
            "{} is missing after npm ci (package.json must list binaryen)",
            wasm_opt.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::locked_versions;

    #[test]
    fn finds_locked_version() {
        let lock = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.130"
"#;
        assert_eq!(locked_versions(lock, "wasm-bindgen"), vec!["0.2.130"]);
        assert!(locked_versions(lock, "trunk").is_empty());
    }
}
