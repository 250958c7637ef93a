//! `cargo xtask real-znuny setup|start|stop|status|reset|test`: a real Znuny 7.1.7 on loopback,
//! installed from the release tarball (`ZNUNY_TARBALL`), for the tests that hold the portal and
//! the fake Znuny against the real thing (issue 16; what it takes: docs/real-znuny.md).
//!
//! Everything lives in `target/real-znuny/` and nothing else on the machine is touched beyond
//! Debian packages: Debian's PostgreSQL binaries run an own cluster there (socket in its own
//! folder, no TCP port, as the `postgres` user), Debian's Apache runs with an own configuration
//! (`apache2 -f`, mod_perl, prefork) on a free 127.0.0.1 port chosen at each start, as `www-data`,
//! which also owns the Znuny files and runs Znuny's console. For the browser suite and the bench
//! an nginx with `deploy/nginx/znuny.conf` sits in front (its own prefix folder, another free port).
//!
//! Setup is idempotent: a second run finds the stamp (tarball checksum + the files under
//! `xtask/real-znuny/`) and returns at once. Each test run starts from the seeded database
//! (a template copy made right after seeding), so runs do not depend on each other. Whatever is
//! started is stopped again when its guard is dropped, on success and on failure.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::build::Backend;
use crate::util::{self, fail, Ctx, Error, Result};

/// Where the release tarball is named.
pub const TARBALL_ENV: &str = "ZNUNY_TARBALL";
/// The web service's URL, handed to the tests that talk to the real Znuny.
pub const URL_ENV: &str = "REAL_ZNUNY_URL";
/// The official release this set-up and the fake were written against.
pub const DOWNLOAD_URL: &str = "https://download.znuny.org/releases/znuny-7.1.7.tar.gz";
const RELEASE_SHA256: &str = "b059db58e1ded7976aa484e141ed09a521d33a13a1587495f027052ff886d3f9";
/// The release's example web service, imported unchanged.
const WEBSERVICE: &str = "GenericTicketConnectorREST";
pub const GI_PATH: &str = "/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST";
/// Owns the Znuny files, runs Apache's workers and Znuny's console (which refuses root).
const WEB_USER: &str = "www-data";
/// Runs the own PostgreSQL cluster (Debian's postgresql package creates this user).
const DB_USER: &str = "postgres";
/// Bump when the set-up changes in a way the files under xtask/real-znuny/ do not show.
const SETUP_REVISION: &str = "1";

/// docs/real-znuny.md: Apache with mod_perl, PostgreSQL and the Perl modules Znuny uses.
const PACKAGES: &[&str] = &[
    "apache2",
    "libapache2-mod-perl2",
    "postgresql",
    "libdbd-pg-perl",
    "libpackage-stash-perl",
    "libarchive-zip-perl",
    "libauthen-sasl-perl",
    "libdata-uuid-perl",
    "libtimedate-perl",
    "libdatetime-perl",
    "libdbi-perl",
    "libhash-merge-perl",
    "libical-parser-perl",
    "libwww-perl",
    "libmail-imapclient-perl",
    "libmoo-perl",
    "libnet-dns-perl",
    "libtemplate-perl",
    "libtext-diff-formattedhtml-perl",
    "libxml-libxml-perl",
    "libyaml-libyaml-perl",
    "libapache-dbi-perl",
    "libcrypt-eksblowfish-perl",
    "libcrypt-jwt-perl",
    "libcrypt-openssl-x509-perl",
    "libcss-minifier-xs-perl",
    "libjavascript-minifier-xs-perl",
    "libdatetime-timezone-perl",
    "libencode-hanextra-perl",
    "libexcel-writer-xlsx-perl",
    "libio-socket-ssl-perl",
    "libjson-xs-perl",
    "libauthen-ntlm-perl",
    "libnet-ldap-perl",
    "libspreadsheet-xlsx-perl",
    "libtext-csv-xs-perl",
    "libxml-libxslt-perl",
    "libxml-parser-perl",
    "libpdf-api2-perl",
];

const APACHE: &str = "/usr/sbin/apache2";
const APACHE_MODULES: &str = "/usr/lib/apache2/modules";
const NGINX: &str = "/usr/sbin/nginx";

// ---------------------------------------------------------------------------------------------
// Command line

const USAGE: &str = "cargo xtask real-znuny setup|start|stop|status|reset|test [--tarball PATH]";

pub fn cmd(ctx: &Ctx, args: &mut util::Args) -> Result<()> {
    let sub = args
        .subcommand()
        .ok_or_else(|| Error::Usage(format!("usage: {USAGE}")))?;
    let tarball = tarball_arg(args)?;
    match sub.as_str() {
        "setup" => {
            args.finish()?;
            let tarball = tarball.ok_or_else(no_tarball)?;
            setup(ctx, Some(&tarball)).map(|_| ())
        }
        "start" => {
            let reset = args.flag("--reset");
            args.finish()?;
            let layout = setup(ctx, tarball.as_deref())?;
            let services = Services::start(&layout, reset)?;
            println!(
                "\nreal-znuny: running; web service at {}\n\
                 real-znuny: agent emma / emma-demo, customers alice, carol, bob (<login>-demo)\n\
                 real-znuny: `cargo xtask real-znuny stop` stops it",
                services.gi_url()
            );
            services.detach();
            Ok(())
        }
        "stop" => {
            args.finish()?;
            stop_all(&Layout::new(ctx))
        }
        "status" => {
            args.finish()?;
            status(&Layout::new(ctx))
        }
        "reset" => {
            args.finish()?;
            let layout = Layout::new(ctx);
            let was_running = live_pid(&layout.apache.join("httpd.pid")).is_some();
            let services = Services::start(&layout, true)?;
            println!("real-znuny: the database is back at the seed");
            if was_running {
                println!("real-znuny: running again at {}", services.gi_url());
                services.detach();
            }
            Ok(())
        }
        "test" => {
            args.finish()?;
            let tarball = tarball.ok_or_else(no_tarball)?;
            crate::test::run_real_znuny_only(ctx, &tarball)
        }
        other => Err(Error::Usage(format!(
            "unknown real-znuny command `{other}` ({USAGE})"
        ))),
    }
}

fn no_tarball() -> Error {
    Error::Usage(format!(
        "no Znuny release: pass --tarball PATH or set {TARBALL_ENV} (download: {DOWNLOAD_URL})"
    ))
}

fn tarball_arg(args: &mut util::Args) -> Result<Option<PathBuf>> {
    let named = args
        .value("--tarball")?
        .or_else(|| std::env::var(TARBALL_ENV).ok());
    Ok(named.filter(|s| !s.trim().is_empty()).map(PathBuf::from))
}

/// `ZNUNY_TARBALL` as given (relative to the current directory, as a shell would read it), or
/// None when it is unset or empty.
pub fn tarball_from_env() -> Option<PathBuf> {
    std::env::var(TARBALL_ENV)
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(PathBuf::from)
}

// ---------------------------------------------------------------------------------------------
// Where everything lives

pub struct Layout {
    /// target/real-znuny
    pub root: PathBuf,
    /// The unpacked release (Znuny's `Home`).
    pub home: PathBuf,
    /// The PostgreSQL cluster.
    pub pgdata: PathBuf,
    /// The cluster's socket folder and log.
    pub pgrun: PathBuf,
    /// The Apache configuration, pid file and logs.
    pub apache: PathBuf,
    /// nginx's prefix folder (configuration, logs, temp files).
    pub nginx: PathBuf,
    /// xtask/real-znuny: Config.pm, httpd.conf, system.pl, seed.mjs.
    pub scripts: PathBuf,
}

impl Layout {
    pub fn new(ctx: &Ctx) -> Layout {
        let root = ctx.target_dir().join("real-znuny");
        Layout {
            home: root.join("znuny"),
            pgdata: root.join("pgdata"),
            pgrun: root.join("pgrun"),
            apache: root.join("apache"),
            nginx: root.join("nginx"),
            scripts: ctx.root.join("xtask").join("real-znuny"),
            root,
        }
    }

    fn stamp(&self) -> PathBuf {
        self.root.join("installed")
    }

    /// Ticket ids and numbers the seed got from Znuny (written by seed.mjs).
    pub fn seed_file(&self) -> PathBuf {
        self.root.join("seed.json")
    }

    fn port_file(&self) -> PathBuf {
        self.apache.join("port")
    }

    pub fn apache_access_log(&self) -> PathBuf {
        self.apache.join("access.log")
    }
}

// ---------------------------------------------------------------------------------------------
// Setup

/// Installs, configures and seeds the real Znuny unless the stamp says it is there already.
/// Without a tarball an existing installation is used as it is.
pub fn setup(ctx: &Ctx, tarball: Option<&Path>) -> Result<Layout> {
    util::header("real Znuny: setup");
    let layout = Layout::new(ctx);
    require_root()?;
    ensure_packages()?;
    let installed = std::fs::read_to_string(layout.stamp()).ok();
    let Some(tarball) = tarball else {
        return match installed {
            Some(_) => {
                println!("real-znuny: ok   installed in {}", layout.root.display());
                Ok(layout)
            }
            None => Err(no_tarball()),
        };
    };
    let tarball = resolve(ctx, tarball)?;
    let sha = sha256(&tarball)?;
    if sha != RELEASE_SHA256 {
        println!(
            "real-znuny: note: {} is not the Znuny 7.1.7 release this set-up and the fake were \
             written for (sha256 {sha}); continuing",
            tarball.display()
        );
    }
    let stamp = format!("{sha} {}\n", scripts_fingerprint(&layout)?);
    let complete = [
        layout.seed_file(),
        layout.pgdata.join("PG_VERSION"),
        layout.home.join("Kernel/Config.pm"),
    ]
    .iter()
    .all(|p| p.exists());
    if installed.as_deref() == Some(stamp.as_str()) && complete {
        println!(
            "real-znuny: ok   installed in {} from {}",
            layout.root.display(),
            tarball.display()
        );
        return Ok(layout);
    }
    match installed {
        Some(_) => {
            println!("real-znuny: the release or xtask/real-znuny/ changed: installing again")
        }
        None => println!("real-znuny: installing into {}", layout.root.display()),
    }
    check_reachable(&layout.root)?;
    stop_all(&layout)?;
    remove_dir(&layout.root)?;
    let started = Instant::now();
    install(ctx, &layout, &tarball)?;
    write(&layout.stamp(), &stamp)?;
    println!(
        "real-znuny: installed and seeded in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(layout)
}

fn require_root() -> Result<()> {
    if util::is_root() {
        Ok(())
    } else {
        fail(
            "the real Znuny needs root (apt packages, its own PostgreSQL and Apache running as \
             postgres and www-data): run as root",
        )
    }
}

/// Apache's workers and the console (www-data) and PostgreSQL (postgres) must reach the folder:
/// every existing folder above it must be searchable by others.
fn check_reachable(root: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for dir in root.ancestors().skip(1) {
        let Ok(meta) = std::fs::metadata(dir) else {
            continue;
        };
        if meta.permissions().mode() & 0o001 == 0 {
            return fail(format!(
                "{} is not searchable by other users, so www-data and postgres cannot reach {}: \
                 set CARGO_TARGET_DIR to a folder they can reach (e.g. /var/tmp/portal-target)",
                dir.display(),
                root.display()
            ));
        }
    }
    Ok(())
}

fn resolve(ctx: &Ctx, path: &Path) -> Result<PathBuf> {
    let candidates = [
        std::env::current_dir().ok().map(|d| d.join(path)),
        Some(ctx.root.join(path)),
    ];
    for candidate in candidates.into_iter().flatten() {
        if candidate.is_file() {
            return std::fs::canonicalize(&candidate).map_err(|e| {
                Error::Failed(format!("cannot resolve {}: {e}", candidate.display()))
            });
        }
    }
    fail(format!(
        "the Znuny release {} does not exist (download: {DOWNLOAD_URL})",
        path.display()
    ))
}

fn ensure_packages() -> Result<()> {
    install_missing(PACKAGES)
}

/// Installs those of `packages` that are not installed yet (Debian's apt, no service started).
pub fn install_missing(packages: &[&str]) -> Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            util::capture(Command::new("dpkg-query").args(["-W", "-f=${Status}", p]))
                .is_none_or(|s| !s.ends_with("installed") || s.contains("not-installed"))
        })
        .collect();
    if missing.is_empty() {
        println!("real-znuny: ok   {} Debian packages", packages.len());
        return Ok(());
    }
    println!(
        "real-znuny: installing Debian packages: {}",
        missing.join(" ")
    );
    // apt starts services on install unless policy-rc.d says no: none of them may start (port
    // 80 and 5432 may be someone else's).
    let policy = Path::new("/usr/sbin/policy-rc.d");
    let own_policy = !policy.exists();
    if own_policy {
        write(
            policy,
            "#!/bin/sh\n# cargo xtask real-znuny: no service starts during apt\nexit 101\n",
        )?;
        set_mode(policy, 0o755)?;
    }
    let apt = |args: &[&str]| {
        let mut cmd = Command::new("apt-get");
        cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        cmd
    };
    let result = util::run(&mut apt(&["update", "-q"])).and_then(|()| {
        // Another apt run (another checkout's set-up) may hold the lock for a while.
        let mut install = apt(&[
            "-o",
            "DPkg::Lock::Timeout=300",
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
        ]);
        install.args(&missing);
        util::run(&mut install)
    });
    if own_policy {
        let _ = std::fs::remove_file(policy);
    }
    result
}

/// The whole installation, from the tarball to a seeded database and its template copy.
fn install(ctx: &Ctx, l: &Layout, tarball: &Path) -> Result<()> {
    std::fs::create_dir_all(&l.root).map_err(|e| io_error(&l.root, e))?;
    unpack(l, tarball)?;
    let db_password = random_token()?;
    write_config_pm(l, &db_password)?;
    run_quiet(
        Command::new("perl")
            .arg(l.home.join("bin/znuny.SetPermissions.pl"))
            .arg(format!("--znuny-user={WEB_USER}"))
            .arg(format!("--web-group={WEB_USER}")),
        "SetPermissions",
    )?;
    init_cluster(l)?;
    let mut services = Services {
        layout: l,
        postgres: false,
        apache: None,
        detached: false,
    };
    services.start_postgres()?;
    create_database(l, &db_password)?;
    for file in [
        "schema.postgresql.sql",
        "initial_insert.postgresql.sql",
        "schema-post.postgresql.sql",
    ] {
        let path = l.home.join("scripts/database").join(file);
        psql_as_znuny(l, &db_password, &path)?;
    }
    println!("real-znuny: schema loaded");
    console(l, &["Maint::Config::Rebuild"])?;
    let yml = l
        .home
        .join("var/webservices/examples")
        .join(format!("{WEBSERVICE}.yml"));
    console(
        l,
        &[
            "Admin::WebService::Add",
            "--name",
            WEBSERVICE,
            "--source-path",
            &yml.to_string_lossy(),
        ],
    )?;
    // A copy beside Znuny: www-data may not be able to read the checkout itself.
    let system_pl = l.root.join("system.pl");
    write(&system_pl, &read(&l.scripts.join("system.pl"))?)?;
    run_as(
        WEB_USER,
        Command::new("perl")
            .arg("-I")
            .arg(&l.home)
            .arg("-I")
            .arg(l.home.join("Kernel/cpan-lib"))
            .arg(&system_pl)
            .current_dir(&l.home),
    )?;
    services.start_apache()?;
    util::run(
        ctx.command("node")
            .arg(l.scripts.join("seed.mjs"))
            .arg(services.gi_url())
            .arg(l.seed_file()),
    )?;
    services.stop_apache()?;
    // The seeded state, copied at each start (Services::start with reset).
    psql_admin(l, "CREATE DATABASE znuny_seed TEMPLATE znuny")?;
    drop(services);
    Ok(())
}

fn unpack(l: &Layout, tarball: &Path) -> Result<()> {
    let tmp = l.root.join("unpack");
    remove_dir(&tmp)?;
    std::fs::create_dir_all(&tmp).map_err(|e| io_error(&tmp, e))?;
    util::run(
        Command::new("tar")
            .arg("-xzf")
            .arg(tarball)
            .arg("-C")
            .arg(&tmp),
    )?;
    // The release has one top folder (znuny-7.1.7/).
    let mut tops: Vec<PathBuf> = std::fs::read_dir(&tmp)
        .map_err(|e| io_error(&tmp, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    let (Some(top), true) = (tops.pop(), tops.is_empty()) else {
        return fail(format!(
            "{} does not have exactly one top folder",
            tarball.display()
        ));
    };
    if !top.join("bin/znuny.Console.pl").exists() {
        return fail(format!("{} is not a Znuny release", tarball.display()));
    }
    std::fs::rename(&top, &l.home).map_err(|e| io_error(&l.home, e))?;
    remove_dir(&tmp)?;
    let release = std::fs::read_to_string(l.home.join("RELEASE")).unwrap_or_default();
    let version = release
        .lines()
        .find_map(|line| line.strip_prefix("VERSION = "))
        .unwrap_or("?");
    println!("real-znuny: unpacked Znuny {version}");
    Ok(())
}

fn write_config_pm(l: &Layout, db_password: &str) -> Result<()> {
    let text = fill(
        &read(&l.scripts.join("Config.pm"))?,
        &[
            ("DB_SOCKET_DIR", &l.pgrun.to_string_lossy()),
            ("DB_PASSWORD", db_password),
            ("HOME", &l.home.to_string_lossy()),
        ],
    )?;
    write(&l.home.join("Kernel/Config.pm"), &text)
}

fn pg_bin(tool: &str) -> Result<PathBuf> {
    let mut versions: Vec<u32> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| Error::Failed(format!("PostgreSQL is not installed: {e}")))?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    versions.sort_unstable();
    let Some(newest) = versions.last() else {
        return fail("no PostgreSQL server under /usr/lib/postgresql");
    };
    Ok(PathBuf::from(format!(
        "/usr/lib/postgresql/{newest}/bin/{tool}"
    )))
}

fn init_cluster(l: &Layout) -> Result<()> {
    // The socket's path must fit in sun_path (107 bytes).
    let socket = l.pgrun.join(".s.PGSQL.5432");
    if socket.as_os_str().len() > 100 {
        return fail(format!(
            "the PostgreSQL socket path {} is too long for a Unix socket: use a shorter \
             CARGO_TARGET_DIR",
            socket.display()
        ));
    }
    for dir in [&l.pgdata, &l.pgrun] {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        util::run(Command::new("chown").arg(DB_USER).arg(dir))?;
    }
    set_mode(&l.pgdata, 0o700)?;
    run_quiet(
        as_user(
            DB_USER,
            Command::new(pg_bin("initdb")?).args([
                "-U",
                DB_USER,
                "--auth-local=peer",
                "--auth-host=reject",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "-D",
            ]),
        )
        .arg(&l.pgdata),
        "initdb",
    )?;
    // A throw-away test cluster: no TCP, no durability.
    let conf = format!(
        "\n# cargo xtask real-znuny\nlisten_addresses = ''\nunix_socket_directories = '{}'\n\
         port = 5432\nmax_connections = 40\nshared_buffers = 64MB\nfsync = off\n\
         synchronous_commit = off\nfull_page_writes = off\n",
        l.pgrun.display()
    );
    append(&l.pgdata.join("postgresql.conf"), &conf)?;
    write(
        &l.pgdata.join("pg_hba.conf"),
        "# cargo xtask real-znuny: the superuser by peer, Znuny's role by password, sockets only\n\
         local all postgres peer\nlocal znuny,znuny_seed znuny scram-sha-256\n",
    )?;
    println!("real-znuny: PostgreSQL cluster in {}", l.pgdata.display());
    Ok(())
}

fn create_database(l: &Layout, password: &str) -> Result<()> {
    psql_admin_secret(
        l,
        &format!("CREATE ROLE znuny LOGIN PASSWORD '{password}'"),
        password,
    )?;
    psql_admin(
        l,
        "CREATE DATABASE znuny OWNER znuny ENCODING 'UTF8' TEMPLATE template0",
    )
}

/// One SQL statement as the cluster's superuser.
fn psql_admin(l: &Layout, sql: &str) -> Result<()> {
    psql_admin_secret(l, sql, "")
}

/// The same, with `secret` masked where the command is shown.
fn psql_admin_secret(l: &Layout, sql: &str, secret: &str) -> Result<()> {
    run_quiet_masked(
        as_user(
            DB_USER,
            Command::new(pg_bin("psql")?).args(["-X", "-q", "-v", "ON_ERROR_STOP=1"]),
        )
        .arg("-h")
        .arg(&l.pgrun)
        .args(["-d", "postgres", "-c", sql]),
        "psql",
        secret,
    )
}

fn psql_as_znuny(l: &Layout, password: &str, file: &Path) -> Result<()> {
    run_quiet_masked(
        Command::new(pg_bin("psql")?)
            .env("PGPASSWORD", password)
            .args([
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-U",
                "znuny",
                "-d",
                "znuny",
            ])
            .arg("-h")
            .arg(&l.pgrun)
            .arg("-f")
            .arg(file),
        "psql",
        password,
    )
}

/// `bin/znuny.Console.pl <args>` as the web server's user (the console refuses root).
fn console(l: &Layout, args: &[&str]) -> Result<()> {
    run_as(
        WEB_USER,
        Command::new("perl")
            .arg(l.home.join("bin/znuny.Console.pl"))
            .args(args)
            .arg("--no-ansi")
            .current_dir(&l.home),
    )
}

// ---------------------------------------------------------------------------------------------
// Running services

/// The running PostgreSQL and Apache of the real Znuny; both are stopped when this is dropped
/// (unless `detach`ed by `real-znuny start`).
pub struct Services<'a> {
    layout: &'a Layout,
    postgres: bool,
    apache: Option<u16>,
    detached: bool,
}

impl<'a> Services<'a> {
    /// Starts the database (back at the seed with `reset`) and Apache; an instance left running
    /// (`real-znuny start`) is stopped first, so this guard owns what runs.
    pub fn start(layout: &'a Layout, reset: bool) -> Result<Services<'a>> {
        if !layout.stamp().exists() {
            return fail(format!(
                "the real Znuny is not installed in {} (cargo xtask real-znuny setup)",
                layout.root.display()
            ));
        }
        stop_all(layout)?;
        let mut services = Services {
            layout,
            postgres: false,
            apache: None,
            detached: false,
        };
        services.start_postgres()?;
        if reset {
            services.reset_database()?;
        }
        services.start_apache()?;
        Ok(services)
    }

    /// The web service's URL on Apache (no proxy in between).
    pub fn gi_url(&self) -> String {
        format!("http://127.0.0.1:{}{GI_PATH}", self.apache.unwrap_or(0))
    }

    pub fn apache_port(&self) -> Option<u16> {
        self.apache
    }

    pub fn layout(&self) -> &Layout {
        self.layout
    }

    /// Back at the seed: Apache stopped, the database copied again from the template, Apache
    /// started (on a new port).
    pub fn reset(&mut self) -> Result<()> {
        self.stop_apache()?;
        self.reset_database()?;
        self.start_apache()
    }

    /// Stops now, reporting what failed (dropping only prints it).
    pub fn stop_now(mut self) -> Result<()> {
        let result = self.stop();
        self.detached = true;
        result
    }

    /// Leaves everything running (the `start` command).
    fn detach(mut self) {
        self.detached = true;
    }

    fn start_postgres(&mut self) -> Result<()> {
        let l = self.layout;
        run_quiet(
            as_user(
                DB_USER,
                Command::new(pg_bin("pg_ctl")?).args(["-w", "-t", "60", "-D"]),
            )
            .arg(&l.pgdata)
            .arg("-l")
            .arg(l.pgrun.join("postgres.log"))
            .arg("start"),
            "pg_ctl start",
        )?;
        self.postgres = true;
        println!(
            "real-znuny: PostgreSQL running (socket in {})",
            l.pgrun.display()
        );
        Ok(())
    }

    /// The database back at the seed: a copy of the template made after seeding, and Znuny's
    /// file cache emptied (it would remember tickets of the last run).
    fn reset_database(&mut self) -> Result<()> {
        let l = self.layout;
        psql_admin(l, "DROP DATABASE IF EXISTS znuny WITH (FORCE)")?;
        psql_admin(l, "CREATE DATABASE znuny OWNER znuny TEMPLATE znuny_seed")?;
        remove_dir(&l.home.join("var/tmp/CacheFileStorable"))?;
        println!("real-znuny: database reset to the seed");
        Ok(())
    }

    fn start_apache(&mut self) -> Result<()> {
        let l = self.layout;
        let port = free_port()?;
        let conf = write_apache_conf(l, port)?;
        let _ = std::fs::remove_file(l.apache.join("error.log"));
        util::run(
            Command::new(APACHE)
                .arg("-f")
                .arg(&conf)
                .args(["-k", "start"]),
        )?;
        self.apache = Some(port);
        write(&l.port_file(), &format!("{port}\n"))?;
        wait_for_gi(l, port)?;
        println!("real-znuny: Apache running at {}", self.gi_url());
        Ok(())
    }

    fn stop_apache(&mut self) -> Result<()> {
        if self.apache.take().is_some() {
            stop_apache(self.layout)?;
        }
        Ok(())
    }

    fn stop(&mut self) -> Result<()> {
        let apache = self.stop_apache();
        let postgres = if std::mem::take(&mut self.postgres) {
            stop_postgres(self.layout)
        } else {
            Ok(())
        };
        apache.and(postgres)
    }
}

impl Drop for Services<'_> {
    fn drop(&mut self) {
        if self.detached {
            return;
        }
        if let Err(e) = self.stop() {
            eprintln!("real-znuny: could not stop everything: {}", e.message());
        }
    }
}

fn write_apache_conf(l: &Layout, port: u16) -> Result<PathBuf> {
    std::fs::create_dir_all(&l.apache).map_err(|e| io_error(&l.apache, e))?;
    let home = l.home.to_string_lossy().into_owned();
    // The release's startup script and Apache include, pointed at this installation.
    let startup =
        read(&l.home.join("scripts/apache2-perl-startup.pl"))?.replace("/opt/znuny", &home);
    let startup_path = l.apache.join("apache2-perl-startup.pl");
    write(&startup_path, &startup)?;
    let include = read(&l.home.join("scripts/apache2-httpd.include.conf"))?
        .replace(
            "/opt/znuny/scripts/apache2-perl-startup.pl",
            &startup_path.to_string_lossy(),
        )
        .replace("/opt/znuny", &home);
    write(&l.apache.join("znuny.conf"), &include)?;
    let conf = fill(
        &read(&l.scripts.join("httpd.conf"))?,
        &[
            ("PORT", &port.to_string()),
            ("DIR", &l.apache.to_string_lossy()),
            ("USER", WEB_USER),
            ("GROUP", WEB_USER),
            ("MODULES", APACHE_MODULES),
        ],
    )?;
    let path = l.apache.join("httpd.conf");
    write(&path, &conf)?;
    Ok(path)
}

/// Waits until the web service answers (a fresh mod_perl worker compiles Znuny first), then
/// warms the other workers the same way, so that the first test is not the one that waits.
fn wait_for_gi(l: &Layout, port: u16) -> Result<()> {
    let probe = r#"{"CustomerUserLogin":"nobody","Password":"x"}"#;
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        match http(port, "POST", &format!("{GI_PATH}/Session"), probe) {
            Ok((200, body)) if body.contains("SessionCreate.AuthFail") => break,
            Ok((status, body)) if Instant::now() >= deadline => {
                return fail(format!(
                    "the web service answers HTTP {status}: {}\n{}",
                    body.chars().take(300).collect::<String>(),
                    tail(&l.apache.join("error.log"))
                ))
            }
            Err(e) if Instant::now() >= deadline => {
                return fail(format!(
                    "the web service does not answer: {e}\n{}",
                    tail(&l.apache.join("error.log"))
                ))
            }
            _ => std::thread::sleep(Duration::from_millis(500)),
        }
    }
    let warm: Vec<_> = (0..6)
        .map(|_| {
            let path = format!("{GI_PATH}/Session");
            std::thread::spawn(move || http(port, "POST", &path, probe))
        })
        .collect();
    for handle in warm {
        let _ = handle.join();
    }
    Ok(())
}

/// A small HTTP/1.0 exchange with the local Apache: (status, body).
fn http(port: u16, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| Error::Failed(format!("no free port on 127.0.0.1: {e}")))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| Error::Failed(format!("no free port on 127.0.0.1: {e}")))
}

// ---------------------------------------------------------------------------------------------
// Stopping, status

/// The pid in the first line of `file`, if that process is alive.
fn live_pid(file: &Path) -> Option<u32> {
    let pid: u32 = std::fs::read_to_string(file)
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()?;
    Path::new(&format!("/proc/{pid}")).exists().then_some(pid)
}

fn wait_gone(pid: u32, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Path::new(&format!("/proc/{pid}")).exists() {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    true
}

fn stop_apache(l: &Layout) -> Result<()> {
    let pid_file = l.apache.join("httpd.pid");
    let Some(pid) = live_pid(&pid_file) else {
        return Ok(());
    };
    let conf = l.apache.join("httpd.conf");
    let _ = util::run(
        Command::new(APACHE)
            .arg("-f")
            .arg(&conf)
            .args(["-k", "stop"]),
    );
    if !wait_gone(pid, Duration::from_secs(30)) {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
        wait_gone(pid, Duration::from_secs(5));
    }
    let _ = std::fs::remove_file(l.port_file());
    println!("real-znuny: Apache stopped");
    Ok(())
}

fn stop_postgres(l: &Layout) -> Result<()> {
    if live_pid(&l.pgdata.join("postmaster.pid")).is_none() {
        return Ok(());
    }
    run_quiet(
        as_user(
            DB_USER,
            Command::new(pg_bin("pg_ctl")?).args(["-w", "-t", "60", "-m", "fast", "-D"]),
        )
        .arg(&l.pgdata)
        .arg("stop"),
        "pg_ctl stop",
    )?;
    println!("real-znuny: PostgreSQL stopped");
    Ok(())
}

/// Stops whatever of the real Znuny (and its nginx) still runs, e.g. after an interrupted run.
pub fn stop_all(l: &Layout) -> Result<()> {
    for dir in [l.nginx.clone(), l.root.join("nginx-br")] {
        if let Some(pid) = live_pid(&dir.join("nginx.pid")) {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            wait_gone(pid, Duration::from_secs(10));
            println!("real-znuny: nginx stopped");
        }
    }
    let apache = stop_apache(l);
    let postgres = stop_postgres(l);
    apache.and(postgres)
}

fn status(l: &Layout) -> Result<()> {
    match std::fs::read_to_string(l.stamp()) {
        Ok(stamp) => println!(
            "real-znuny: installed in {} (release sha256 {})",
            l.root.display(),
            stamp.split_whitespace().next().unwrap_or("?")
        ),
        Err(_) => println!("real-znuny: not installed (cargo xtask real-znuny setup)"),
    }
    match live_pid(&l.pgdata.join("postmaster.pid")) {
        Some(pid) => println!(
            "real-znuny: PostgreSQL running (pid {pid}), socket in {}",
            l.pgrun.display()
        ),
        None => println!("real-znuny: PostgreSQL stopped"),
    }
    match live_pid(&l.apache.join("httpd.pid")) {
        Some(pid) => {
            let port = read(&l.port_file()).unwrap_or_default();
            println!(
                "real-znuny: Apache running (pid {pid}): http://127.0.0.1:{}{GI_PATH}",
                port.trim()
            );
        }
        None => println!("real-znuny: Apache stopped"),
    }
    if let Some(pid) = live_pid(&l.nginx.join("nginx.pid")) {
        println!("real-znuny: nginx running (pid {pid})");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// nginx with the shipped configuration in front of the real Znuny

/// nginx serving dist/znuny under /support/ and proxying the Generic Interface to the real
/// Znuny's Apache, with deploy/nginx/znuny.conf and its snippet changed only where an admin
/// changes them (upstream, listen address, the portal's folder). Killed when dropped.
pub struct Nginx {
    child: Child,
    /// `http://127.0.0.1:PORT/support/`
    pub base: String,
    pub access_log: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            // SIGTERM: the master stops its workers (SIGKILL would orphan them).
            let pid = self.child.id();
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
            println!("real-znuny: nginx stopped");
        }
    }
}

pub fn start_nginx(ctx: &Ctx, l: &Layout, upstream_port: u16) -> Result<Nginx> {
    start_nginx_with(ctx, l, upstream_port, NginxExtras::default())
}

/// What the bench adds to the shipped configuration (`cargo xtask bench --real-znuny`).
#[derive(Default, Clone, Copy)]
pub struct NginxExtras {
    /// Also proxy Znuny's own customer interface (`/znuny/customer.pl` and its `/znuny-web/`
    /// files), to compare the portal with it through the same proxy.
    pub customer_interface: bool,
    /// Serve the portal's precompressed `.br` files too (the snippet's commented
    /// `brotli_static on;`, with Debian's libnginx-mod-http-brotli-static), in its own prefix
    /// folder so that it can run beside the gzip-only one.
    pub brotli: bool,
}

/// The brotli_static module of Debian's libnginx-mod-http-brotli-static.
pub const NGINX_BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

pub fn start_nginx_with(
    ctx: &Ctx,
    l: &Layout,
    upstream_port: u16,
    extras: NginxExtras,
) -> Result<Nginx> {
    if !Path::new(NGINX).exists() {
        return fail(format!(
            "{NGINX} is missing (cargo xtask setup --browser installs nginx-light)"
        ));
    }
    let dist = ctx.dist_dir(Backend::Znuny);
    if !dist.join("index.html").exists() {
        return fail(format!(
            "{} is missing (cargo xtask build --backend znuny)",
            dist.join("index.html").display()
        ));
    }
    let brotli_dir = l.root.join("nginx-br");
    let dir = if extras.brotli { &brotli_dir } else { &l.nginx };
    remove_dir(dir)?;
    std::fs::create_dir_all(dir.join("snippets")).map_err(|e| io_error(dir, e))?;
    let port = free_port()?;
    let site = read(&ctx.root.join("deploy/nginx/znuny.conf"))?;
    let site = replace_once(
        &site,
        "server 127.0.0.1:8080;",
        &format!("server 127.0.0.1:{upstream_port};"),
    )?;
    let site = replace_once(&site, "listen 80;", &format!("listen 127.0.0.1:{port};"))?;
    let site = if extras.customer_interface {
        // Znuny's customer interface as its release's Apache include serves it (Apache
        // compresses its pages and files itself).
        replace_once(
            &site,
            "    include snippets/help-portal.conf;",
            "    location /znuny/ {\n        proxy_pass http://znuny_gi;\n        \
             proxy_set_header Host $host;\n    }\n    location /znuny-web/ {\n        \
             proxy_pass http://znuny_gi;\n        proxy_set_header Host $host;\n    }\n\n    \
             include snippets/help-portal.conf;",
        )?
    } else {
        site
    };
    let snippet = read(&ctx.root.join("deploy/nginx/snippets/help-portal.conf"))?;
    if !snippet.contains("/srv/help-portal/") {
        return fail("deploy/nginx/snippets/help-portal.conf no longer names /srv/help-portal/");
    }
    let snippet = if extras.brotli {
        if !Path::new(NGINX_BROTLI_MODULE).exists() {
            return fail(format!(
                "{NGINX_BROTLI_MODULE} is missing (apt-get install libnginx-mod-http-brotli-static)"
            ));
        }
        replace_once(&snippet, "# brotli_static on;", "brotli_static on;")?
    } else {
        snippet
    };
    let snippet = snippet.replace("/srv/help-portal/", &format!("{}/", dist.display()));
    write(&dir.join("snippets/help-portal.conf"), &snippet)?;
    let access_log = dir.join("access.log");
    let mut conf = String::new();
    if extras.brotli {
        let _ = writeln!(conf, "load_module {NGINX_BROTLI_MODULE};");
    }
    let _ = writeln!(conf, "daemon off;\nworker_processes 1;");
    // As root, workers run as root to read the portal and write their temp files here.
    if util::is_root() {
        let _ = writeln!(conf, "user root;");
    }
    let _ = writeln!(conf, "pid {};", dir.join("nginx.pid").display());
    let _ = writeln!(conf, "error_log {} warn;", dir.join("error.log").display());
    let _ = writeln!(
        conf,
        "events {{}}\nhttp {{\n  include /etc/nginx/mime.types;"
    );
    let _ = writeln!(conf, "  access_log {};", access_log.display());
    for temp in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] {
        let _ = writeln!(conf, "  {temp}_temp_path {};", dir.join(temp).display());
    }
    let _ = writeln!(conf, "{site}\n}}");
    let conf_path = dir.join("nginx.conf");
    write(&conf_path, &conf)?;
    let child = Command::new(NGINX)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&conf_path)
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| Error::Failed(format!("cannot start nginx: {e}")))?;
    let mut nginx = Nginx {
        child,
        base: format!("http://127.0.0.1:{port}/support/"),
        access_log,
    };
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = nginx.child.try_wait() {
            return fail(format!(
                "nginx exited ({status})\n{}",
                tail(&dir.join("error.log"))
            ));
        }
        if Instant::now() >= deadline {
            return fail(format!(
                "nginx does not listen on {port}\n{}",
                tail(&dir.join("error.log"))
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "real-znuny: nginx with deploy/nginx/znuny.conf at {}",
        nginx.base
    );
    Ok(nginx)
}

fn replace_once(text: &str, from: &str, to: &str) -> Result<String> {
    if text.matches(from).count() != 1 {
        return fail(format!(
            "deploy/nginx/: expected `{from}` exactly once (the suite adapts only what an admin \
             adapts: upstream, listen address, the portal's folder)"
        ));
    }
    Ok(text.replacen(from, to, 1))
}

// ---------------------------------------------------------------------------------------------
// Small helpers

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Failed(format!("{}: {e}", path.display()))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| io_error(path, e))
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| io_error(path, e))
}

fn append(path: &Path, text: &str) -> Result<()> {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| io_error(path, e))
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| io_error(path, e))
}

fn remove_dir(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(path, e)),
    }
}

/// Fills `@@NAME@@` placeholders; every one must be known.
fn fill(template: &str, values: &[(&str, &str)]) -> Result<String> {
    let mut text = template.to_string();
    for (name, value) in values {
        text = text.replace(&format!("@@{name}@@"), value);
    }
    let unfilled =
        text.split("@@").skip(1).step_by(2).find(|name| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        });
    match unfilled {
        Some(name) => fail(format!(
            "unfilled placeholder @@{name}@@ in a template under xtask/real-znuny/"
        )),
        None => Ok(text),
    }
}

/// The last lines of a log, for error messages.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(20);
    format!("{}:\n{}", path.display(), lines[start..].join("\n"))
}

fn as_user(user: &str, cmd: &mut Command) -> Command {
    let mut wrapped = Command::new("runuser");
    wrapped
        .args(["-u", user, "--"])
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => wrapped.env(key, v),
            None => wrapped.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        wrapped.current_dir(dir);
    }
    wrapped
}

fn run_as(user: &str, cmd: &mut Command) -> Result<()> {
    util::run(&mut as_user(user, cmd))
}

/// Runs a chatty tool showing only its command line, and its output when it fails.
fn run_quiet(cmd: &mut Command, what: &str) -> Result<()> {
    run_quiet_masked(cmd, what, "")
}

/// `run_quiet` with `secret` (the database password) shown as `***`.
fn run_quiet_masked(cmd: &mut Command, what: &str, secret: &str) -> Result<()> {
    let shown = util::display(cmd);
    let shown = if secret.is_empty() {
        shown
    } else {
        shown.replace(secret, "***")
    };
    println!("$ {shown}");
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Failed(format!("could not start {what}: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    fail(format!(
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

fn sha256(path: &Path) -> Result<String> {
    let out = util::capture(Command::new("sha256sum").arg(path))
        .ok_or_else(|| Error::Failed(format!("sha256sum {} failed", path.display())))?;
    Ok(out
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string())
}

/// FNV-1a over the set-up files' names and contents (and SETUP_REVISION): a changed script
/// means a new installation.
fn scripts_fingerprint(l: &Layout) -> Result<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(&l.scripts)
        .map_err(|e| io_error(&l.scripts, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(SETUP_REVISION.as_bytes());
    for file in files {
        feed(file.file_name().unwrap_or_default().as_encoded_bytes());
        feed(&std::fs::read(&file).map_err(|e| io_error(&file, e))?);
    }
    Ok(format!("{hash:016x}"))
}

fn random_token() -> Result<String> {
    let mut bytes = [0u8; 18];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::Failed(format!("/dev/urandom: {e}")))?;
    Ok(bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    }))
}

/// Runs `cmd` with its output shown, and counts the tests cargo's harness reports as passed
/// (`test result: ok. N passed; …`), so that a filter matching nothing cannot pass silently.
pub fn run_counting_tests(cmd: &mut Command) -> Result<usize> {
    let shown = util::display(cmd);
    println!("$ {shown}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Failed(format!("could not start `{shown}`: {e}")))?;
    let mut passed = 0;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(|l| l.ok()) {
            println!("{line}");
            if let Some(rest) = line.trim().strip_prefix("test result: ok. ") {
                passed += rest
                    .split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(0);
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| Error::Failed(format!("waiting for `{shown}`: {e}")))?;
    if !status.success() {
        return fail(format!("`{shown}` failed ({status})"));
    }
    Ok(passed)
}
