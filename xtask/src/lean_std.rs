//! Release wasm built against a std compiled for size: `-Zbuild-std` with the
//! `immediate-abort` panic strategy drops every panic message, location and the formatting
//! code behind them (about 17 KB brotli of the first load; the portal never relies on a panic
//! message: it must not panic at all). Both are unstable cargo/rustc options; the stable
//! toolchain accepts them with `RUSTC_BOOTSTRAP=1`, which the build sets for this one command
//! only. It needs rustup's `rust-src` component; without it the release build falls back to the
//! prebuilt std (a larger wasm, otherwise the same app); `PORTAL_PREBUILT_STD=1` asks for that
//! fallback on purpose (e.g. to compare the two builds).

use std::path::PathBuf;
use std::process::Command;

use crate::util::{capture, Ctx};

const STD_CRATES: &str = "std,panic_abort";
/// The panic strategy; cargo joins this variable's flags to `.cargo/config.toml`'s wasm
/// rustflags (`--cfg erase_components` stays).
const RUSTFLAGS: &str = "-Zunstable-options -Cpanic=immediate-abort";

/// The std sources `-Zbuild-std` compiles, inside the active toolchain.
fn library_dir(ctx: &Ctx) -> Option<PathBuf> {
    let sysroot = capture(ctx.command("rustc").args(["--print", "sysroot"]))?;
    Some(PathBuf::from(sysroot.trim()).join("lib/rustlib/src/rust/library"))
}

pub fn rust_src_installed(ctx: &Ctx) -> bool {
    library_dir(ctx).is_some_and(|d| d.join("std/Cargo.toml").exists())
}

/// Why the release build uses the prebuilt std, or `None` when it gets the lean one.
pub fn prebuilt_because(ctx: &Ctx) -> Option<&'static str> {
    if std::env::var_os("PORTAL_PREBUILT_STD").is_some_and(|v| v == "1") {
        Some("PORTAL_PREBUILT_STD=1")
    } else if !rust_src_installed(ctx) {
        Some("rust-src is not installed (`cargo xtask setup` adds it)")
    } else {
        None
    }
}

/// Makes `cmd` (cargo, or trunk running cargo) build the wasm target against the lean std.
pub fn apply(cmd: &mut Command) {
    cmd.env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", STD_CRATES)
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", RUSTFLAGS);
}
