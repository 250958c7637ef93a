//! `cargo xtask build`: the wasm app via trunk, one dist directory per backend.

use std::path::Path;

use crate::lean_std::{self, Std};
use crate::util::{self, run, Ctx, Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Zammad,
    Znuny,
}

impl Backend {
    pub const ALL: [Backend; 2] = [Backend::Zammad, Backend::Znuny];

    pub fn parse(name: &str) -> Result<Backend> {
        Backend::ALL
            .into_iter()
            .find(|b| b.name() == name)
            .ok_or_else(|| Error::Usage(format!("unknown backend `{name}` (zammad or znuny)")))
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Zammad => "zammad",
            Backend::Znuny => "znuny",
        }
    }

    /// Whether the adapter exists in src/ (znuny is planned, not written yet).
    pub fn exists(self, ctx: &Ctx) -> bool {
        match self {
            Backend::Zammad => true,
            Backend::Znuny => ctx.root.join("src/backend/znuny/mod.rs").exists(),
        }
    }

    /// Cargo feature flags selecting this backend (zammad is the default feature).
    pub fn cargo_feature_args(self) -> &'static [&'static str] {
        match self {
            Backend::Zammad => &[],
            Backend::Znuny => &["--no-default-features", "--features", "znuny"],
        }
    }

    /// Same for trunk, whose boolean flags take an optional value: spell it out so no flag can
    /// swallow the next word.
    fn trunk_feature_args(self) -> &'static [&'static str] {
        match self {
            Backend::Zammad => &[],
            Backend::Znuny => &["--no-default-features=true", "--features=znuny"],
        }
    }

    /// The dev server's fake help-desk configuration for this backend.
    pub fn config_file(self) -> &'static str {
        match self {
            Backend::Zammad => "public/config.json",
            Backend::Znuny => "public/config.znuny.json",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Dev,
    Release,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::Dev => "dev",
            Profile::Release => "release",
        }
    }
}

/// `trunk build index.html --dist dist/<backend> [features] [--release]` (setup must have run):
/// the default build, on the stable toolchain's own std.
pub fn trunk_build(ctx: &Ctx, backend: Backend, profile: Profile) -> Result<()> {
    trunk_build_into(ctx, backend, profile, Std::Prebuilt, &ctx.dist_dir(backend))
}

/// The same with a choice of std (`Std::Lean` only for release builds: `--lean-std`) and of the
/// dist directory (the bench keeps the lean build beside the default one).
pub fn trunk_build_into(
    ctx: &Ctx,
    backend: Backend,
    profile: Profile,
    stdlib: Std,
    dist: &Path,
) -> Result<()> {
    if stdlib == Std::Lean && profile != Profile::Release {
        return Err(Error::Usage("--lean-std is for release builds".into()));
    }
    let what = match stdlib {
        Std::Prebuilt => profile.name().to_string(),
        Std::Lean => format!("{}, {}", profile.name(), stdlib.label()),
    };
    util::header(&format!("build {} ({what})", backend.name()));
    let dist_arg = dist.to_string_lossy().into_owned();
    // Trunk.toml sets `offline = true` (so trunk never downloads tools), which makes trunk run
    // `cargo build --offline`: fetch the crates first, on a fresh machine too.
    // `--target wasm32` would skip the host-only dependencies of proc macros (e.g. sha2's
    // cpufeatures): fetch for every target.
    run(ctx.cargo().arg("fetch"))?;
    if stdlib == Std::Lean {
        // The lean std's own crates (e.g. dlmalloc) are fetched only for its target.
        let mut fetch_std = ctx.cargo();
        fetch_std.args(["fetch", "--target", "wasm32-unknown-unknown"]);
        lean_std::apply(ctx, &mut fetch_std, stdlib);
        run(&mut fetch_std)?;
    }
    let mut cmd = ctx.command("trunk");
    lean_std::apply(ctx, &mut cmd, stdlib);
    cmd.env("TRUNK_SKIP_VERSION_CHECK", "true")
        // A failed cargo build is reported by trunk with an anyhow backtrace of trunk itself
        // when RUST_BACKTRACE is set (as on CI): noise that hides the compiler's error.
        .env("RUST_LIB_BACKTRACE", "0")
        .args(["build", "index.html", "--dist", &dist_arg])
        .args(backend.trunk_feature_args());
    if profile == Profile::Release {
        // Last: --release takes an optional value and would swallow the next word.
        cmd.arg("--release");
    }
    run(&mut cmd)?;
    externalize_loader(dist)?;
    write_embed_loader(dist)?;
    publish_catalogues(&ctx.root, dist)?;
    // index.html copies public/config.json (the Zammad example); a dist ships its own back end's
    // example config beside index.html, ready to edit.
    let config = ctx.root.join(backend.config_file());
    let target = dist.join("config.json");
    std::fs::copy(&config, &target).map_err(|e| {
        util::Error::Failed(format!(
            "cannot copy {} to {}: {e}",
            config.display(),
            target.display()
        ))
    })?;
    if profile == Profile::Release {
        run(ctx
            .command("node")
            .arg(ctx.root.join("xtask/minify.mjs"))
            .arg(dist))?;
    }
    // .br and .gz beside each hashed asset, served as they are by the dev server and the
    // deploy configs (node's zlib: no compressor to install).
    run(ctx
        .command("node")
        .arg(ctx.root.join("xtask/precompress.mjs"))
        .arg(dist))?;
    Ok(())
}

/// `cargo build --release -p devserver`; returns the binary's path.
pub fn devserver(ctx: &Ctx) -> Result<std::path::PathBuf> {
    util::header("build devserver (release)");
    run(ctx.cargo().args(["build", "--release", "-p", "devserver"]))?;
    let bin = ctx.target_dir().join("release").join("devserver");
    if !bin.exists() {
        return util::fail(format!("{} was not produced", bin.display()));
    }
    Ok(bin)
}

/// Trunk starts the app with an inline `<script type="module">`, which a strict
/// Content-Security-Policy (no inline script) blocks. Move it into a content-hashed file beside
/// index.html; its relative imports resolve against its own URL, which is the same folder.
fn externalize_loader(dist: &std::path::Path) -> Result<()> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)
        .map_err(|e| util::Error::Failed(format!("cannot read {}: {e}", index.display())))?;
    const OPEN: &str = "<script type=\"module\">";
    let Some(start) = html.find(OPEN) else {
        return Ok(()); // already external
    };
    let body_start = start + OPEN.len();
    let Some(len) = html[body_start..].find("</script>") else {
        return util::fail("index.html: unterminated inline module script");
    };
    let script = &html[body_start..body_start + len];
    // FNV-1a: a stable content hash for the file name (cacheable forever, like trunk's assets).
    let hash = script.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let name = format!("boot-{hash:016x}.js");
    std::fs::write(dist.join(&name), script.trim())
        .map_err(|e| util::Error::Failed(format!("cannot write {name}: {e}")))?;
    let tag = format!("<script type=\"module\" src=\"./{name}\"></script>");
    let rewritten = format!(
        "{}{}{}",
        &html[..start],
        tag,
        &html[body_start + len + "</script>".len()..]
    );
    std::fs::write(&index, rewritten)
        .map_err(|e| util::Error::Failed(format!("cannot write {}: {e}", index.display())))?;
    Ok(())
}

/// The one file in `dist` whose name starts with `prefix` and ends with `suffix` (e.g. the
/// content-hashed stylesheet `main-<hash>.css`); an error if there is none or more than one.
fn single_file(dist: &std::path::Path, prefix: &str, suffix: &str) -> Result<String> {
    let entries = std::fs::read_dir(dist)
        .map_err(|e| util::Error::Failed(format!("cannot read {}: {e}", dist.display())))?;
    let mut found: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        n => util::fail(format!(
            "expected one {prefix}*{suffix} in {}, found {n}",
            dist.display()
        )),
    }
}

/// `embed.js`, the one script a page that embeds the portal includes (README, "Embedding"): a
/// stable name (revalidated, never cached for good) that starts this build's content-hashed
/// files. It tells the portal where its stylesheet is (src/browser/embed.rs puts it into the shadow
/// root) and loads the wasm; every URL is relative to embed.js itself, not to the host page.
fn write_embed_loader(dist: &std::path::Path) -> Result<()> {
    let wasm = single_file(dist, "portal-", "_bg.wasm")?;
    let glue = format!("{}.js", wasm.trim_end_matches("_bg.wasm"));
    if !dist.join(&glue).is_file() {
        return util::fail(format!("{glue} (the wasm's JS glue) is missing"));
    }
    let css = single_file(dist, "main-", ".css")?;
    // public/trap.js (the message should the wasm ever trap) first: it listens before the wasm runs.
    let trap = single_file(dist, "trap-", ".js")?;
    let script = format!(
        "// Starts the help portal in this page's <div data-help-portal> (README, \"Embedding\").\n\
         // Written by `cargo xtask build` for this build's files: serve it with Cache-Control: no-cache.\n\
         import './{trap}';\n\
         import init from './{glue}';\n\
         \n\
         const here = new URL('./', import.meta.url);\n\
         globalThis.__helpPortalAssets = Object.freeze({{\n\
         \x20 base: here.href,\n\
         \x20 stylesheet: new URL('./{css}', here).href,\n\
         }});\n\
         await init({{ module_or_path: new URL('./{wasm}', here) }});\n"
    );
    let target = dist.join("embed.js");
    std::fs::write(&target, script)
        .map_err(|e| util::Error::Failed(format!("cannot write {}: {e}", target.display())))
}

/// The language catalogues other than English (`src/i18n/<code>.json`), which the portal fetches
/// only when that language is in use: copied as `i18n-<code>-<hash>.json`, the name the wasm was
/// compiled to ask for (src/i18n/mod.rs hashes the same bytes with the same FNV-1a). A content
/// hash in the name: cached for good like the wasm (deploy configs, dev server), compressed by
/// precompress.mjs like the other hashed files.
fn publish_catalogues(root: &std::path::Path, dist: &std::path::Path) -> Result<()> {
    let dir = root.join("src/i18n");
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| util::Error::Failed(format!("cannot read {}: {e}", dir.display())))?;
    for path in entries.flatten().map(|e| e.path()) {
        let Some(code) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        let bytes = std::fs::read(&path)
            .map_err(|e| util::Error::Failed(format!("cannot read {}: {e}", path.display())))?;
        let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
        let target = dist.join(format!("i18n-{code}-{hash:016x}.json"));
        std::fs::write(&target, &bytes)
            .map_err(|e| util::Error::Failed(format!("cannot write {}: {e}", target.display())))?;
    }
    Ok(())
}
