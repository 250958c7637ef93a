//! Shared helpers: errors, argument parsing, paths, running commands.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// `Usage` errors print the usage text and exit 2; `Failed` errors exit 1.
#[derive(Debug)]
pub enum Error {
    Usage(String),
    Failed(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Shorthand for a `Failed` error.
pub fn fail<T>(msg: impl Into<String>) -> Result<T> {
    Err(Error::Failed(msg.into()))
}

impl Error {
    pub fn message(&self) -> &str {
        match self {
            Error::Usage(m) | Error::Failed(m) => m,
        }
    }
}

/// Minimal command-line parser: `--flag`, `--key value` and `--key=value`.
pub struct Args {
    rest: Vec<String>,
}

impl Args {
    pub fn new(rest: Vec<String>) -> Self {
        Args { rest }
    }

    pub fn flag(&mut self, name: &str) -> bool {
        let before = self.rest.len();
        self.rest.retain(|a| a != name);
        self.rest.len() != before
    }

    pub fn value(&mut self, name: &str) -> Result<Option<String>> {
        let prefix = format!("{name}=");
        if let Some(i) = self.rest.iter().position(|a| a.starts_with(&prefix)) {
            let arg = self.rest.remove(i);
            return Ok(Some(arg[prefix.len()..].to_string()));
        }
        if let Some(i) = self.rest.iter().position(|a| a == name) {
            if i + 1 >= self.rest.len() {
                return Err(Error::Usage(format!("{name} needs a value")));
            }
            let value = self.rest.remove(i + 1);
            self.rest.remove(i);
            return Ok(Some(value));
        }
        Ok(None)
    }

    /// The first argument when it is a word, not an option (`real-znuny start`).
    pub fn subcommand(&mut self) -> Option<String> {
        match self.rest.first() {
            Some(word) if !word.starts_with('-') => Some(self.rest.remove(0)),
            _ => None,
        }
    }

    /// Fails on anything not consumed.
    pub fn finish(&self) -> Result<()> {
        match self.rest.first() {
            None => Ok(()),
            Some(a) => Err(Error::Usage(format!("unexpected argument `{a}`"))),
        }
    }
}

/// Paths and tools shared by all commands.
pub struct Ctx {
    pub root: PathBuf,
    pub cargo: OsString,
}

impl Ctx {
    pub fn new() -> Self {
        // xtask/ lives directly under the workspace root. `cargo run` sets CARGO_MANIFEST_DIR for
        // the binary it starts: prefer it to the compile-time path, which is wrong for a binary
        // built in another checkout (a copied target/ directory).
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let root = manifest_dir
            .parent()
            .expect("xtask has a parent directory")
            .to_path_buf();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let ctx = Ctx { root, cargo };
        ctx.prepend_tool_paths();
        ctx
    }

    /// Puts `<repo>/node_modules/.bin` (wasm-opt from npm binaryen, see toolchain.md trap 3/4) and
    /// cargo's bin directory (trunk, wasm-bindgen right after `cargo install`) first on PATH for
    /// every child process.
    fn prepend_tool_paths(&self) {
        let mut dirs = vec![self.root.join("node_modules").join(".bin")];
        if let Some(bin) = cargo_bin_dir() {
            dirs.push(bin);
        }
        let old = std::env::var_os("PATH").unwrap_or_default();
        let old_dirs: Vec<PathBuf> = std::env::split_paths(&old).collect();
        let rest = old_dirs.into_iter().filter(|d| !dirs.contains(d));
        let joined = std::env::join_paths(dirs.iter().cloned().chain(rest))
            .expect("PATH entries contain no separator");
        // Single-threaded at this point (called once from main before anything is spawned).
        std::env::set_var("PATH", joined);
    }

    pub fn cargo(&self) -> Command {
        let mut cmd = Command::new(&self.cargo);
        cmd.current_dir(&self.root);
        cmd
    }

    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root);
        cmd
    }

    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => self.root.join(dir),
            _ => self.root.join("target"),
        }
    }

    pub fn dist_dir(&self, backend: crate::build::Backend) -> PathBuf {
        self.root.join("dist").join(backend.name())
    }
}

pub fn cargo_bin_dir() -> Option<PathBuf> {
    match std::env::var_os("CARGO_HOME") {
        Some(home) if !home.is_empty() => Some(PathBuf::from(home).join("bin")),
        _ => std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".cargo").join("bin")),
    }
}

/// Human-readable rendering of a command, including the environment it sets (PATH omitted).
pub fn display(cmd: &Command) -> String {
    let mut s = String::new();
    for (key, value) in cmd.get_envs() {
        if key == "PATH" {
            continue;
        }
        if let Some(value) = value {
            let _ = write!(s, "{}={} ", key.to_string_lossy(), value.to_string_lossy());
        }
    }
    let program = cmd.get_program().to_string_lossy();
    // Show `cargo` rather than the full toolchain path in $CARGO.
    let program = if program.ends_with("/cargo") {
        "cargo".into()
    } else {
        program
    };
    s.push_str(&program);
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        if arg.is_empty() || arg.contains(char::is_whitespace) {
            let _ = write!(s, " '{arg}'");
        } else {
            let _ = write!(s, " {arg}");
        }
    }
    s
}

/// Runs a command with inherited stdio, echoing it first; non-zero exit is an error.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = display(cmd);
    println!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| Error::Failed(format!("could not start `{shown}`: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        fail(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its trimmed stdout, or None if it cannot start or fails.
pub fn capture(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Whether `program` is found on PATH (as an executable file).
pub fn on_path(program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| {
        std::fs::metadata(dir.join(program))
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    })
}

/// Effective uid 0? (Linux: the owner of /proc/self is the process's effective uid.)
pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// A visible header for each step.
pub fn header(title: &str) {
    println!("\n==> {title}");
}
