//! `devserver`: serves the built portal and a fake Zammad or Znuny. See README.md.

use devserver::zammad::store::ZVersion;
use devserver::znuny::store::{Logout, Routes};
use devserver::{Backend, Options};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: devserver [--port 8080] [--host 127.0.0.1] [--dist dist/zammad] \
[--config public/config.json] [--mount /support/]... [--backend zammad|znuny] \
[--zammad-version 7|6.5|5] [--zammad-elasticsearch on|off] [--znuny-routes 7|6] \
[--znuny-session-seconds 7200] [--znuny-logout 7.1.7|fixed] [--latency none|real] [--fault RULE]... \
[--test-api] [--quiet]";

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let mut o = Options::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            match inline.clone().or_else(|| it.next()) {
                Some(v) => Ok(v),
                None => Err(format!("{what} needs a value")),
            }
        };
        match name.as_str() {
            "--port" | "-p" => {
                o.port = value("--port")?
                    .parse()
                    .map_err(|_| "--port must be a number between 0 and 65535".to_string())?
            }
            "--host" => o.host = value("--host")?,
            "--dist" => o.dist = PathBuf::from(value("--dist")?),
            "--config" => o.config = PathBuf::from(value("--config")?),
            "--mount" => o.mounts.push(value("--mount")?),
            "--zammad-version" => {
                let v = value("--zammad-version")?;
                o.zammad_version = ZVersion::parse(&v)
                    .ok_or_else(|| format!("unknown --zammad-version {v:?} (use 7, 6.5 or 5)"))?;
            }
            "--zammad-elasticsearch" => {
                let v = value("--zammad-elasticsearch")?;
                o.zammad_elasticsearch = match v.as_str() {
                    "on" => true,
                    "off" => false,
                    _ => {
                        return Err(format!(
                            "unknown --zammad-elasticsearch {v:?} (use on or off)"
                        ))
                    }
                };
            }
            "--backend" => {
                let v = value("--backend")?;
                o.backend = Backend::parse(&v)
                    .ok_or_else(|| format!("unknown --backend {v:?} (use zammad or znuny)"))?;
            }
            "--znuny-routes" => {
                let v = value("--znuny-routes")?;
                o.znuny.routes = Routes::parse(&v)
                    .ok_or_else(|| format!("unknown --znuny-routes {v:?} (use 7 or 6)"))?;
            }
            "--znuny-session-seconds" => {
                let v = value("--znuny-session-seconds")?;
                o.znuny.session_seconds =
                    v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                        "--znuny-session-seconds must be a positive number".to_string()
                    })?;
            }
            "--znuny-logout" => {
                let v = value("--znuny-logout")?;
                o.znuny.logout = Logout::parse(&v)
                    .ok_or_else(|| format!("unknown --znuny-logout {v:?} (use 7.1.7 or fixed)"))?;
            }
            "--latency" => {
                let v = value("--latency")?;
                o.latency = devserver::latency::Profile::parse(&v)
                    .ok_or_else(|| format!("--latency must be real or none, not {v:?}"))?;
            }
            "--fault" => o
                .faults
                .push(devserver::faults::Rule::from_flag(&value("--fault")?)?),
            "--test-api" => o.test_api = true,
            "--quiet" | "-q" => o.quiet = true,
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(o))
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are registered when this is called (before
/// the ready line is printed), so a signal sent right after the ready line is not lost.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let streams = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let (mut int, mut term) = streams;
            let int = async {
                match int.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
            };
            let term = async {
                match term.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = int => {},
                _ = term => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        // Do not wait forever for keep-alive connections of open browsers.
        tokio::spawn(async {
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
            std::process::exit(0);
        });
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(Some(o)) => o,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("devserver: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (router, _state) = devserver::build(&opts);
    let shutdown = shutdown_signal();
    let addr = format!("{}:{}", opts.host, opts.port);
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("devserver: cannot listen on {addr}: {e}");
            return ExitCode::from(1);
        }
    };
    let local = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("devserver: {e}");
            return ExitCode::from(1);
        }
    };
    devserver::util::say(&format!("devserver listening on http://{local}/"));
    if !opts.quiet {
        let mut mounts = vec!["/".to_string()];
        mounts.extend(
            opts.mounts
                .iter()
                .map(|m| devserver::static_files::normalize_mount(m)),
        );
        mounts.dedup();
        let fake = match opts.backend {
            Backend::Zammad => format!("fake Zammad {} at /api/v1/", opts.zammad_version.as_str()),
            Backend::Znuny => format!(
                "fake Znuny (routes {}, sessions {} s, logout {}) at /znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST",
                opts.znuny.routes.as_str(),
                opts.znuny.session_seconds,
                opts.znuny.logout.as_str()
            ),
        };
        devserver::util::say(&format!(
            "  portal from {} at {}; {}; answers {}; test API {}",
            opts.dist.display(),
            mounts.join(", "),
            fake,
            match opts.latency {
                devserver::latency::Profile::None => "at once",
                devserver::latency::Profile::Real => "at a real server's speed",
            },
            if opts.test_api { "at /__test/" } else { "off" }
        ));
        for rule in &opts.faults {
            devserver::util::say(&format!("  fault: {}", rule.to_json()));
        }
    }
    let served = match opts.backend {
        Backend::Zammad => {
            axum::serve(listener, router)
                .with_graceful_shutdown(shutdown)
                .await
        }
        // Znuny answers carry no Date header: serve without hyper's automatic one.
        Backend::Znuny => devserver::serve::serve_without_date(listener, router, shutdown).await,
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("devserver: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn cli() {
        let o = parse_args(args(
            "--port 0 --mount /support/ --mount=/help --zammad-version 6.5 --test-api --quiet",
        ))
        .unwrap()
        .unwrap();
        assert_eq!(o.port, 0);
        assert_eq!(o.mounts, vec!["/support/", "/help"]);
        assert_eq!(o.zammad_version, ZVersion::V65);
        assert!(o.test_api && o.quiet);
        assert_eq!(o.backend, Backend::Zammad);
        let o = parse_args(args(
            "--backend znuny --znuny-routes 6 --znuny-session-seconds=60 --znuny-logout fixed",
        ))
        .unwrap()
        .unwrap();
        assert_eq!(o.backend, Backend::Znuny);
        assert_eq!(o.znuny.routes, Routes::Znuny6);
        assert_eq!(o.znuny.session_seconds, 60);
        assert_eq!(o.znuny.logout, Logout::Fixed);
        assert!(parse_args(args("--backend otrs5x")).is_err());
        assert!(parse_args(args("--znuny-session-seconds 0")).is_err());
        assert!(parse_args(args("--latency fast")).is_err());
        let o = parse_args(args("--latency real")).unwrap().unwrap();
        assert_eq!(o.latency, devserver::latency::Profile::Real);
        assert!(parse_args(args("--bogus")).is_err());
        assert!(parse_args(args("--port")).is_err());
        assert!(parse_args(args("--help")).unwrap().is_none());
        let o = parse_args(vec!["--fault".into(), "502 /api/v1/tickets times=1".into()])
            .unwrap()
            .unwrap();
        assert_eq!(o.faults.len(), 1);
        assert!(parse_args(args("--fault teapot")).is_err());
    }
}
