//! `cargo xtask fuzz`: the property tests over both adapters' answer readers
//! (`src/backend/tests/fuzz.rs`, `src/backend/*/decode/tests.rs`) at full size, one host test run per
//! backend, and a table of what they did. A plain `cargo test` runs the same tests with 2,000
//! random cases per reader; this runs 10,000 per reader (at least 100,000 per adapter).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::build::Backend;
use crate::util::{self, fail, Ctx, Error, Result};

/// Random cases per reader unless `--cases` says otherwise.
pub const DEFAULT_CASES: u64 = 10_000;
/// What a full fuzz run must reach for each adapter.
const MIN_PER_ADAPTER: u64 = 100_000;

pub struct Options {
    /// Random cases per reader (`FUZZ_CASES`); `None` for the default.
    pub cases: Option<u64>,
    /// `FUZZ_SEED`; the tests' own fixed seed when `None`.
    pub seed: Option<u64>,
    pub backend: Option<Backend>,
}

/// One `FUZZ\t…` line printed by the test.
struct Row {
    reader: String,
    cases: u64,
    panics: u64,
    violations: u64,
    accepted: u64,
    errors: BTreeMap<String, u64>,
    ms: u64,
}

struct AdapterRun {
    backend: Backend,
    rows: Vec<Row>,
    wall: Duration,
    passed: bool,
}

impl AdapterRun {
    fn sum(&self, f: impl Fn(&Row) -> u64) -> u64 {
        self.rows.iter().map(f).sum()
    }

    fn errors(&self) -> BTreeMap<String, u64> {
        let mut all = BTreeMap::new();
        for row in &self.rows {
            for (kind, n) in &row.errors {
                *all.entry(kind.clone()).or_default() += n;
            }
        }
        all
    }
}

fn parse_line(line: &str) -> Option<Row> {
    // With --nocapture the test's first line follows libtest's "test … ... " on the same line.
    let rest = &line[line.find("FUZZ\t")? + "FUZZ\t".len()..];
    let fields: BTreeMap<&str, &str> = rest.split('\t').filter_map(|f| f.split_once('=')).collect();
    let num = |key: &str| fields.get(key).and_then(|v| v.parse::<u64>().ok());
    let errors = match fields.get("errors") {
        Some(&"-") | None => BTreeMap::new(),
        Some(list) => list
            .split(',')
            .filter_map(|pair| pair.split_once(':'))
            .filter_map(|(k, n)| Some((k.to_string(), n.parse().ok()?)))
            .collect(),
    };
    Some(Row {
        reader: fields.get("reader")?.to_string(),
        cases: num("cases")?,
        panics: num("panics")?,
        violations: num("violations")?,
        accepted: num("accepted")?,
        errors,
        ms: num("ms")?,
    })
}

/// 1234567 → "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let head = match digits.len() % 3 {
        0 => 3.min(digits.len()),
        r => r,
    };
    let mut out = digits[..head].to_string();
    for group in digits.as_bytes()[head..].chunks(3) {
        out.push(',');
        out.extend(group.iter().map(|&b| char::from(b)));
    }
    out
}

/// "Unreadable 1,234 · Server 56", most frequent first.
fn kinds(errors: &BTreeMap<String, u64>) -> String {
    let mut list: Vec<(&String, &u64)> = errors.iter().collect();
    list.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if list.is_empty() {
        return "-".into();
    }
    list.iter()
        .map(|(k, n)| format!("{k} {}", thousands(**n)))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn run_backend(ctx: &Ctx, backend: Backend, cases: u64, seed: Option<u64>) -> Result<AdapterRun> {
    util::header(&format!(
        "fuzz {} ({} random cases per reader)",
        backend.name(),
        thousands(cases)
    ));
    let mut cmd = ctx.cargo();
    cmd.args(["test", "-p", "portal"])
        .args(backend.cargo_feature_args())
        .args([
            "decode::tests::fuzz_",
            "--",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("FUZZ_CASES", cases.to_string())
        .stdout(Stdio::piped());
    if let Some(seed) = seed {
        cmd.env("FUZZ_SEED", seed.to_string());
    }
    let shown = util::display(&cmd);
    println!("$ {shown}");
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::Failed(format!("could not start `{shown}`: {e}")))?;
    let mut rows = Vec::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            match parse_line(&line) {
                Some(row) => {
                    println!(
                        "  {:<38} {:>9} cases  {:>6.1} s",
                        row.reader,
                        thousands(row.cases),
                        row.ms as f64 / 1000.0
                    );
                    rows.push(row);
                }
                None => println!("{line}"),
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| Error::Failed(format!("`{shown}` did not finish: {e}")))?;
    Ok(AdapterRun {
        backend,
        rows,
        wall: started.elapsed(),
        passed: status.success(),
    })
}

fn print_tables(runs: &[AdapterRun], cases: u64, seed: Option<u64>) {
    for run in runs {
        println!(
            "\n==> {}: {} readers, FUZZ_CASES={cases}{}",
            run.backend.name(),
            run.rows.len(),
            seed.map(|s| format!(", FUZZ_SEED={s}")).unwrap_or_default()
        );
        println!(
            "  {:<38} {:>9} {:>6} {:>10} {:>9}  typed errors by kind",
            "reader", "cases", "panics", "rule-break", "accepted"
        );
        for row in &run.rows {
            println!(
                "  {:<38} {:>9} {:>6} {:>10} {:>9}  {}",
                row.reader,
                thousands(row.cases),
                row.panics,
                row.violations,
                thousands(row.accepted),
                kinds(&row.errors)
            );
        }
    }
    println!("\n==> fuzz summary");
    println!(
        "  {:<8} {:>7} {:>9} {:>6} {:>10} {:>9} {:>9} {:>8}  typed errors by kind",
        "adapter", "readers", "cases", "panics", "rule-break", "accepted", "fuzz time", "wall"
    );
    for run in runs {
        println!(
            "  {:<8} {:>7} {:>9} {:>6} {:>10} {:>9} {:>7.1} s {:>6.1} s  {}",
            run.backend.name(),
            run.rows.len(),
            thousands(run.sum(|r| r.cases)),
            run.sum(|r| r.panics),
            run.sum(|r| r.violations),
            thousands(run.sum(|r| r.accepted)),
            run.sum(|r| r.ms) as f64 / 1000.0,
            run.wall.as_secs_f64(),
            kinds(&run.errors())
        );
    }
}

/// `cargo xtask fuzz [--cases N] [--seed S] [--backend zammad|znuny]`.
pub fn cmd(args: &mut util::Args) -> Result<()> {
    let number = |name: &str, v: Option<String>| -> Result<Option<u64>> {
        v.map(|v| {
            v.trim()
                .replace('_', "")
                .parse()
                .map_err(|_| Error::Usage(format!("{name} needs a number, not `{v}`")))
        })
        .transpose()
    };
    let cases = number("--cases", args.value("--cases")?)?;
    let seed = number("--seed", args.value("--seed")?)?;
    let backend = args
        .value("--backend")?
        .map(|name| Backend::parse(&name))
        .transpose()?;
    args.finish()?;
    run(
        &Ctx::new(),
        Options {
            cases,
            seed,
            backend,
        },
    )
}

pub fn run(ctx: &Ctx, opts: Options) -> Result<()> {
    let cases = opts.cases.unwrap_or(DEFAULT_CASES);
    let backends: Vec<Backend> = match opts.backend {
        Some(b) => vec![b],
        None => Backend::ALL.into_iter().filter(|b| b.exists(ctx)).collect(),
    };
    let mut runs = Vec::new();
    for backend in backends {
        runs.push(run_backend(ctx, backend, cases, opts.seed)?);
    }
    print_tables(&runs, cases, opts.seed);

    let mut problems = Vec::new();
    for run in &runs {
        let name = run.backend.name();
        let total = run.sum(|r| r.cases);
        let bad = run.sum(|r| r.panics + r.violations);
        if run.rows.is_empty() {
            problems.push(format!("{name}: the fuzz test printed no figures"));
        }
        if bad > 0 {
            problems.push(format!("{name}: {bad} case(s) panicked or broke a rule"));
        }
        if !run.passed && bad == 0 {
            problems.push(format!(
                "{name}: the fuzz test failed (see its output above)"
            ));
        }
        if opts.cases.is_none() && total < MIN_PER_ADAPTER {
            problems.push(format!(
                "{name}: only {} cases, a fuzz run needs {}",
                thousands(total),
                thousands(MIN_PER_ADAPTER)
            ));
        }
    }
    if problems.is_empty() {
        println!(
            "\nxtask: fuzz passed: no panics, every answer read or refused with a typed error"
        );
        Ok(())
    } else {
        fail(problems.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_test_lines() {
        let row = parse_line(
            "FUZZ\tadapter=zammad\treader=checked (writes, deletes)\tcases=2000\tpanics=0\t\
             violations=1\taccepted=979\terrors=NotFound:274,Server:465\tms=1287",
        )
        .unwrap();
        assert_eq!(row.reader, "checked (writes, deletes)");
        assert_eq!((row.cases, row.violations, row.ms), (2000, 1, 1287));
        assert_eq!(row.errors["Server"], 465);
        assert!(parse_line("FUZZ\treader=x").is_none());
        let first = "test backend::zammad::decode::tests::fuzz_zammad_readers ... FUZZ\t\
                     adapter=zammad\treader=me\tcases=1\tpanics=0\tviolations=0\taccepted=1\t\
                     errors=-\tms=0";
        assert_eq!(parse_line(first).unwrap().reader, "me");
        assert!(parse_line("test result: ok").is_none());
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(
            kinds(&[("A".to_string(), 1), ("B".to_string(), 5)].into()),
            "B 5 · A 1"
        );
    }
}
