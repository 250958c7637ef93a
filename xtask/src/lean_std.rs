//! Which std the release wasm links. The default is the stable toolchain's prebuilt std: no
//! unstable flag anywhere in the build. `--lean-std` (`cargo xtask build|bench --lean-std`) builds
//! the wasm against a std compiled for size instead: `-Zbuild-std` with the `immediate-abort`
//! panic strategy drops every panic message, location and the formatting code behind them (about
//! 17 KB brotli of the first load; the portal never relies on a panic message: it must not panic
//! at all). Both are unstable cargo/rustc options, which the stable toolchain accepts only with
//! `RUSTC_BOOTSTRAP=1`: set for that one command only, never for the default build. It needs
//! rustup's `rust-src` component, which `cargo xtask setup --lean-std` adds (the lean build runs
//! that set-up itself). Lean builds keep their own cargo target directory, `target/lean-std/`:
//! proc-macro2's build script reruns whenever `RUSTC_BOOTSTRAP` changes, and with it every crate
//! behind a proc macro, so sharing `target/` would rebuild everything at each switch between the
//! two builds.

use std::path::PathBuf;
use std::process::Command;

use crate::util::{capture, Ctx};

/// The std a release wasm is built against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Std {
    /// The stable toolchain's prebuilt std (the default).
    Prebuilt,
    /// `-Zbuild-std` with `-Cpanic=immediate-abort` (`--lean-std`).
    Lean,
}

impl Std {
    pub fn from_flag(lean_std: bool) -> Std {
        if lean_std {
            Std::Lean
        } else {
            Std::Prebuilt
        }
    }

    /// How a build with this std is called in the output (and in bench file names).
    pub fn label(self) -> &'static str {
        match self {
            Std::Prebuilt => "default build, stable std",
            Std::Lean => "lean std",
        }
    }
}

const STD_CRATES: &str = "std,panic_abort";
/// The panic strategy; cargo joins this variable's flags to `.cargo/config.toml`'s wasm
/// rustflags (`--cfg erase_components` stays).
const RUSTFLAGS: &str = "-Zunstable-options -Cpanic=immediate-abort";
/// What `apply` sets; `apply_stable` removes them (also when they come from the caller's shell),
/// so the default build can never pick up an unstable flag by accident.
const VARS: [&str; 3] = [
    "RUSTC_BOOTSTRAP",
    "CARGO_UNSTABLE_BUILD_STD",
    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
];

/// The std sources `-Zbuild-std` compiles, inside the active toolchain.
fn library_dir(ctx: &Ctx) -> Option<PathBuf> {
    let sysroot = capture(ctx.command("rustc").args(["--print", "sysroot"]))?;
    Some(PathBuf::from(sysroot.trim()).join("lib/rustlib/src/rust/library"))
}

pub fn rust_src_installed(ctx: &Ctx) -> bool {
    library_dir(ctx).is_some_and(|d| d.join("std/Cargo.toml").exists())
}

/// Makes `cmd` (cargo, or trunk running cargo) build the wasm target against `std`.
pub fn apply(ctx: &Ctx, cmd: &mut Command, std: Std) {
    match std {
        Std::Prebuilt => {
            for var in VARS {
                cmd.env_remove(var);
            }
        }
        Std::Lean => {
            cmd.env(VARS[0], "1")
                .env(VARS[1], STD_CRATES)
                .env(VARS[2], RUSTFLAGS)
                .env("CARGO_TARGET_DIR", target_dir(ctx));
        }
    }
}

/// The lean builds' own cargo target directory (see the top of this file).
pub fn target_dir(ctx: &Ctx) -> PathBuf {
    ctx.target_dir().join("lean-std")
}

#[cfg(test)]
mod tests {
    use super::{apply, Std};
    use crate::util::Ctx;
    use std::ffi::OsStr;
    use std::process::Command;

    fn env_of<'a>(cmd: &'a Command, key: &str) -> Option<Option<&'a OsStr>> {
        cmd.get_envs().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    #[test]
    fn default_build_removes_every_unstable_setting() {
        let mut cmd = Command::new("trunk");
        cmd.env("RUSTC_BOOTSTRAP", "1");
        apply(&Ctx::new(), &mut cmd, Std::Prebuilt);
        for var in super::VARS {
            assert_eq!(env_of(&cmd, var), Some(None), "{var} is removed");
        }
        assert_eq!(env_of(&cmd, "CARGO_TARGET_DIR"), None, "the usual target/");
    }

    #[test]
    fn lean_std_sets_build_std_and_the_panic_strategy() {
        let ctx = Ctx::new();
        let mut cmd = Command::new("trunk");
        apply(&ctx, &mut cmd, Std::Lean);
        assert_eq!(env_of(&cmd, "RUSTC_BOOTSTRAP"), Some(Some(OsStr::new("1"))));
        assert_eq!(
            env_of(&cmd, "CARGO_UNSTABLE_BUILD_STD"),
            Some(Some(OsStr::new("std,panic_abort")))
        );
        let flags = env_of(&cmd, "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS");
        assert_eq!(
            flags,
            Some(Some(OsStr::new(
                "-Zunstable-options -Cpanic=immediate-abort"
            )))
        );
        let dir = ctx.target_dir().join("lean-std");
        assert_eq!(
            env_of(&cmd, "CARGO_TARGET_DIR"),
            Some(Some(dir.as_os_str())),
            "its own target directory"
        );
    }
}
