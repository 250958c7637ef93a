//! Running the dev server: spawn it, wait for its ready line, kill it on drop; `cargo xtask demo`.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::build::{self, Backend, Profile};
use crate::setup;
use crate::util::{self, fail, Ctx, Result};

/// The devserver prints this (followed by `http://HOST:PORT/`) once it accepts connections.
const READY_PREFIX: &str = "devserver listening on ";

/// A running devserver; killed (and reaped) when dropped, also on early returns and panics.
pub struct DevServer {
    child: Child,
    ready: Receiver<String>,
}

impl DevServer {
    /// Spawns `bin args...` from the repo root; its stdout is forwarded line by line (so the
    /// ready line can be seen), stderr is inherited.
    pub fn start(ctx: &Ctx, bin: &Path, args: &[&str], stdin: Stdio) -> Result<DevServer> {
        let mut cmd = Command::new(bin);
        cmd.current_dir(&ctx.root)
            .args(args)
            .stdin(stdin)
            .stdout(Stdio::piped());
        let shown = util::display(&cmd);
        let shown = shown
            .strip_prefix(&format!("{}/", ctx.root.display()))
            .unwrap_or(&shown)
            .to_string();
        println!("$ {shown}");
        let mut child = cmd
            .spawn()
            .map_err(|e| util::Error::Failed(format!("could not start `{shown}`: {e}")))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, ready) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                println!("{line}");
                let _ = std::io::stdout().flush();
                if let Some(rest) = line.trim().strip_prefix(READY_PREFIX) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(rest.trim().to_string());
                    }
                }
            }
        });
        Ok(DevServer { child, ready })
    }

    /// Waits for the ready line; returns the URL it announced.
    pub fn wait_ready(&mut self, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.ready.recv_timeout(Duration::from_millis(200)) {
                Ok(url) => return Ok(url),
                Err(RecvTimeoutError::Timeout) => {}
                // stdout closed without a ready line: the process is exiting.
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return fail(format!(
                    "the devserver exited ({status}) before printing `{READY_PREFIX}http://HOST:PORT/`"
                ));
            }
            if Instant::now() >= deadline {
                return fail(format!(
                    "the devserver did not print `{READY_PREFIX}http://HOST:PORT/` within {} s",
                    timeout.as_secs()
                ));
            }
        }
    }

    /// Waits for the server to exit by itself (demo: until Ctrl-C).
    pub fn wait(&mut self) -> Result<()> {
        let status = self
            .child
            .wait()
            .map_err(|e| util::Error::Failed(format!("waiting for the devserver: {e}")))?;
        if status.success() {
            Ok(())
        } else {
            fail(format!("the devserver exited ({status})"))
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The release devserver (built already) serving dist/<backend> at `/` and `/support/` with the
/// fake help desk and its test API on a free port; returns it (killed on drop) and its
/// `http://127.0.0.1:PORT/` URL. Used by the browser suite and the benchmark.
pub fn start_fake(ctx: &Ctx, backend: Backend) -> Result<(DevServer, String)> {
    start_fake_serving(ctx, backend, &ctx.dist_dir(backend))
}

/// The same serving another build of `backend` (the bench's `--lean-std` build).
pub fn start_fake_serving(ctx: &Ctx, backend: Backend, dist: &Path) -> Result<(DevServer, String)> {
    start_fake_serving_at(ctx, backend, dist, "none")
}

/// As [`start_fake_serving`], the fake answering with `--latency <latency>` (`none`, `real`).
pub fn start_fake_serving_at(
    ctx: &Ctx,
    backend: Backend,
    dist: &Path,
    latency: &str,
) -> Result<(DevServer, String)> {
    let bin = ctx.target_dir().join("release").join("devserver");
    let dist_arg = dist.to_string_lossy().into_owned();
    let args = [
        "--latency",
        latency,
        "--port",
        "0",
        "--dist",
        &dist_arg,
        "--config",
        backend.config_file(),
        "--backend",
        backend.name(),
        "--mount",
        "/support/",
        "--test-api",
        "--quiet",
    ];
    let mut server = DevServer::start(ctx, &bin, &args, Stdio::null())?;
    let url = server.wait_ready(Duration::from_secs(60))?;
    let Some(port) = port_of(&url) else {
        return fail(format!(
            "cannot read the port in the devserver's URL `{url}`"
        ));
    };
    let portal_url = format!("http://127.0.0.1:{port}/");
    println!("xtask: devserver ready at {url}; PORTAL_URL={portal_url}");
    Ok((server, portal_url))
}

/// Port of `http://HOST:PORT/...`.
pub fn port_of(url: &str) -> Option<u16> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next()?;
    authority.rsplit_once(':')?.1.parse().ok()
}

/// `support` / `/support` / `/support/` -> `/support/`.
pub fn normalize_mount(mount: &str) -> String {
    let trimmed = mount.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// `cargo xtask demo`: release build, then the devserver in the foreground.
pub fn demo(ctx: &Ctx, backend: Backend, port: u16, mount: Option<&str>) -> Result<()> {
    if port != 0 {
        if let Err(e) = std::net::TcpListener::bind(("127.0.0.1", port)) {
            return fail(format!(
                "port {port} is not available ({e}); pick another with --port N or PORT=N"
            ));
        }
    }
    setup::run(
        ctx,
        setup::Options {
            browser: false,
            lean_std: false,
        },
    )?;
    build::trunk_build(ctx, backend, Profile::Release)?;
    let bin = build::devserver(ctx)?;

    util::header(&format!("demo ({})", backend.name()));
    let port_arg = port.to_string();
    let dist = format!("dist/{}", backend.name());
    let mut args = vec![
        "--port",
        &port_arg,
        "--dist",
        &dist,
        "--config",
        backend.config_file(),
        "--backend",
        backend.name(),
        // The demo answers at a real help desk's speed, so a newcomer sees how it feels there.
        "--latency",
        "real",
    ];
    if let Some(mount) = mount {
        args.extend(["--mount", mount]);
    }
    let mut server = DevServer::start(ctx, &bin, &args, Stdio::inherit())?;
    let port = match server.wait_ready(Duration::from_secs(30)) {
        Ok(url) => port_of(&url).unwrap_or(port),
        Err(e) => {
            // Still running but silent (an older devserver?): show the banner anyway.
            if let Ok(Some(_)) = server.child.try_wait() {
                return Err(e);
            }
            eprintln!("xtask: warning: {}", e.message());
            port
        }
    };
    print_banner(backend, port, mount);
    server.wait()
}

fn print_banner(backend: Backend, port: u16, mount: Option<&str>) {
    let help_desk = match backend {
        Backend::Zammad => "Zammad",
        Backend::Znuny => "Znuny",
    };
    let base = format!("http://127.0.0.1:{port}/");
    let rule = "=".repeat(72);
    println!("\n{rule}");
    println!("  Customer portal demo, backed by a fake {help_desk} help desk\n");
    println!("  Open:  {base}");
    if let Some(mount) = mount.filter(|m| *m != "/") {
        println!("         http://127.0.0.1:{port}{mount}   (the portal mounted under {mount})");
    }
    println!("\n  Demo logins (e-mail / password):");
    println!("    alice@example.com / alice-demo   Acme Corp   (sees Carol's tickets too)");
    println!("    carol@example.com / carol-demo   Acme Corp   (sees Alice's tickets too)");
    println!("    bob@example.com   / bob-demo     Globex Inc");
    println!("\n  Press Ctrl-C to stop.");
    println!("{rule}\n");
}

#[cfg(test)]
mod tests {
    use super::{normalize_mount, port_of};

    #[test]
    fn parses_port() {
        assert_eq!(port_of("http://127.0.0.1:43121/"), Some(43121));
        assert_eq!(port_of("http://[::1]:8080/"), Some(8080));
        assert_eq!(port_of("http://localhost/"), None);
    }

    #[test]
    fn normalizes_mount() {
        assert_eq!(normalize_mount("support"), "/support/");
        assert_eq!(normalize_mount("/support"), "/support/");
        assert_eq!(normalize_mount("/a/b/"), "/a/b/");
        assert_eq!(normalize_mount("/"), "/");
    }
}
