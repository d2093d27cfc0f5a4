//! `negotium-fuzz`: the bounded fuzz run, its worker, and replay.
//!
//! ```text
//! negotium-fuzz run [--seed S] [--secs N] [--out DIR] [--timeout SECS]
//! negotium-fuzz replay FILE…
//! negotium-fuzz case --seed S --index I [--out FILE]
//! ```
//!
//! `run` is a supervisor: it starts `negotium-fuzz worker` subprocesses that
//! run cases S/0, S/1, … and report each case and stage on stdout. When a
//! worker dies (a stack overflow aborts the process; an allocation may be
//! killed), the supervisor regenerates the case that was running from its
//! seed and index, saves it, and starts a new worker after it. Every finding
//! is saved to `--out` with a `.txt` note; the exit code is 1 if there was
//! any. `NEGOTIUM_FUZZ_SECS` and `NEGOTIUM_FUZZ_SEED` set the defaults.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use negotium_fuzz::guard::{Class, Finding, Limits};
use negotium_fuzz::mutate::case;
use negotium_fuzz::seeds::{self, Kind};
use negotium_fuzz::target::Outcome;
use negotium_fuzz::{run_guarded, Verdict};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.first().map(String::as_str) {
        Some("run") => supervise(&args[1..]),
        Some("worker") => worker(&args[1..]),
        Some("replay") => replay(&args[1..]),
        Some("case") => show_case(&args[1..]),
        _ => Err("usage: negotium-fuzz run [--seed S] [--secs N] [--out DIR] [--timeout SECS] | replay FILE… | case --seed S --index I [--out FILE]".into()),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            eprintln!("negotium-fuzz: {e}");
            ExitCode::from(2)
        }
    }
}

/// `--name value` from an argument list.
fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn num(args: &[String], name: &str, env: Option<&str>) -> Result<Option<u64>, String> {
    let v = flag(args, name).or_else(|| env.and_then(|e| std::env::var(e).ok()));
    v.map(|s| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| format!("{name}: `{s}` is not a whole number"))
    })
    .transpose()
}

/// Known, pending defects (`regressions/pending/KNOWN`): a line
/// `CLASS STAGE-PREFIX` matches findings of that class whose stage starts
/// with the prefix. They are reported as known and do not fail the run.
fn known() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions/pending/KNOWN");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (class, stage) = l.split_once(char::is_whitespace)?;
            Some((class.to_string(), stage.trim().to_string()))
        })
        .collect()
}

/// The `KNOWN` entry a finding matches, if any.
fn known_entry(known: &[(String, String)], f: &Finding) -> Option<usize> {
    known
        .iter()
        .position(|(c, s)| c == f.class.as_str() && f.stage.starts_with(s.as_str()))
}

/// Inputs saved per known entry (the rest are only counted).
const KNOWN_SAVED: usize = 3;

fn default_out() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/fuzz-findings")
}

/// One line of the worker protocol (tabs and newlines made visible).
fn field(s: &str) -> String {
    s.replace('\t', "\\t").replace('\n', "\\n")
}

fn worker(args: &[String]) -> Result<ExitCode, String> {
    let seed = num(args, "--seed", None)?.ok_or("--seed is required")?;
    let from = num(args, "--from", None)?.unwrap_or(0);
    let secs = num(args, "--secs", None)?.unwrap_or(10);
    let timeout = num(args, "--timeout", None)?.unwrap_or(60);
    let limits = Limits {
        timeout: Duration::from_secs(timeout),
        ..Limits::default()
    };
    let seeds = seeds::all();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let out = Arc::new(std::sync::Mutex::new(std::io::stdout()));
    let mut i = from;
    while Instant::now() < deadline {
        let c = case(seed, i, &seeds);
        {
            let mut o = out.lock().map_err(|e| e.to_string())?;
            let _ = writeln!(o, "case {i}");
            let _ = o.flush();
        }
        let o2 = Arc::clone(&out);
        let on_stage: Arc<dyn Fn(&str) + Send + Sync> = Arc::new(move |s: &str| {
            if let Ok(mut o) = o2.lock() {
                let _ = writeln!(o, "stage {}", field(s));
                let _ = o.flush();
            }
        });
        let v = run_guarded(c.kind, &c.text, limits, Some(on_stage));
        let mut o = out.lock().map_err(|e| e.to_string())?;
        match v {
            Verdict::Clean(Outcome::Accepted { .. }) => {
                let _ = writeln!(o, "clean {i} accepted");
            }
            Verdict::Clean(Outcome::Rejected(_)) => {
                let _ = writeln!(o, "clean {i} rejected");
            }
            Verdict::Finding(f) => {
                let _ = writeln!(
                    o,
                    "finding {i}\t{}\t{}\t{}\t{}",
                    f.class.as_str(),
                    field(&f.stage),
                    field(&f.message),
                    field(f.location.as_deref().unwrap_or(""))
                );
                let _ = o.flush();
                if f.class == Class::Timeout {
                    // The runaway thread cannot be stopped: end this worker.
                    std::process::exit(3);
                }
            }
        }
        let _ = o.flush();
        i += 1;
    }
    let mut o = out.lock().map_err(|e| e.to_string())?;
    let _ = writeln!(o, "end {i}");
    let _ = o.flush();
    Ok(ExitCode::SUCCESS)
}

fn class_of(s: &str) -> Class {
    match s {
        "panic" => Class::Panic,
        "non-finite" => Class::NonFinite,
        "unlocated" => Class::Unlocated,
        "timeout" => Class::Timeout,
        _ => Class::Crash,
    }
}

#[derive(Default)]
struct Tally {
    cases: u64,
    accepted: u64,
    rejected: u64,
}

fn supervise(args: &[String]) -> Result<ExitCode, String> {
    let seed = match num(args, "--seed", Some("NEGOTIUM_FUZZ_SEED"))? {
        Some(s) => s,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0),
    };
    let secs = num(args, "--secs", Some("NEGOTIUM_FUZZ_SECS"))?.unwrap_or(60);
    let timeout = num(args, "--timeout", None)?.unwrap_or(60);
    let out = flag(args, "--out")
        .map(PathBuf::from)
        .unwrap_or_else(default_out);
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    println!(
        "negotium-fuzz: seed {seed}, budget {secs} s, case timeout {timeout} s, findings to {}",
        out.display()
    );
    println!("  reproduce: negotium-fuzz run --seed {seed} --secs {secs}");
    let seeds = seeds::all();
    let known = known();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let mut next = 0u64;
    let mut tally = Tally::default();
    let mut findings: Vec<(u64, Finding)> = Vec::new();
    // Per `KNOWN` entry: how many findings matched it, and the first few.
    let mut pending: Vec<(usize, Vec<(u64, Finding)>)> = vec![(0, Vec::new()); known.len()];
    while Instant::now() < deadline {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs()
            .max(1);
        let mut child = Command::new(&exe)
            .args([
                "worker",
                "--seed",
                &seed.to_string(),
                "--from",
                &next.to_string(),
                "--secs",
                &left.to_string(),
                "--timeout",
                &timeout.to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start a worker: {e}"))?;
        let stderr = child.stderr.take().ok_or("no worker stderr")?;
        let err_tail = std::thread::spawn(move || {
            let mut tail: Vec<String> = Vec::new();
            for l in BufReader::new(stderr).lines().map_while(Result::ok) {
                tail.push(l);
                if tail.len() > 12 {
                    tail.remove(0);
                }
            }
            tail
        });
        let stdout = child.stdout.take().ok_or("no worker stdout")?;
        let (mut current, mut stage, mut done, mut ended) =
            (None::<u64>, String::new(), true, None);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(i) = line.strip_prefix("case ") {
                current = i.parse().ok();
                stage.clear();
                done = false;
                tally.cases += 1;
            } else if let Some(s) = line.strip_prefix("stage ") {
                stage = s.to_string();
            } else if let Some(rest) = line.strip_prefix("clean ") {
                done = true;
                if rest.ends_with("accepted") {
                    tally.accepted += 1;
                } else {
                    tally.rejected += 1;
                }
            } else if let Some(rest) = line.strip_prefix("finding ") {
                done = true;
                let parts: Vec<&str> = rest.split('\t').collect();
                if let [i, class, st, msg, loc] = parts[..] {
                    let f = Finding {
                        class: class_of(class),
                        stage: st.to_string(),
                        message: msg.to_string(),
                        location: (!loc.is_empty()).then(|| loc.to_string()),
                    };
                    let i = i.parse().unwrap_or(0);
                    record(
                        &out,
                        seed,
                        i,
                        f,
                        &seeds,
                        &known,
                        &mut findings,
                        &mut pending,
                    );
                }
            } else if let Some(n) = line.strip_prefix("end ") {
                ended = n.parse::<u64>().ok();
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        let tail = err_tail.join().unwrap_or_default();
        match (ended, current) {
            (Some(n), _) => next = n,
            (None, Some(i)) => {
                if !done {
                    let f = Finding {
                        class: Class::Crash,
                        stage: stage.clone(),
                        message: format!(
                            "the worker died ({status}); its last words: {}",
                            tail.join(" | ")
                        ),
                        location: None,
                    };
                    record(
                        &out,
                        seed,
                        i,
                        f,
                        &seeds,
                        &known,
                        &mut findings,
                        &mut pending,
                    );
                }
                next = i + 1;
            }
            (None, None) => {
                return Err(format!(
                    "a worker ended before running any case ({status}): {}",
                    tail.join(" | ")
                ))
            }
        }
    }
    let n_pending: usize = pending.iter().map(|(n, _)| n).sum();
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "negotium-fuzz: seed {seed}: {} cases in {elapsed:.0} s ({} loaded and run through every lens, {} rejected with a located error), {} new finding(s), {} known pending",
        tally.cases,
        tally.accepted,
        tally.rejected,
        findings.len(),
        n_pending
    );
    for (i, f) in &findings {
        println!("  case {i}: {f}");
    }
    for ((class, stage), (n, first)) in known.iter().zip(&pending) {
        if *n > 0 {
            println!(
                "  known, pending (regressions/pending/KNOWN `{class} {stage}`): {n} case(s), e.g."
            );
            for (i, f) in first {
                println!("    case {i}: {f}");
            }
        }
    }
    Ok(if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        println!(
            "negotium-fuzz: inputs saved in {}; add each to crates/negotium-fuzz/regressions/ once fixed (docs/fuzzing.md)",
            out.display()
        );
        ExitCode::FAILURE
    })
}

/// Files a finding: a known one is counted (and its input saved for the
/// first few), a new one is reported and saved.
#[allow(clippy::too_many_arguments)]
fn record(
    out: &Path,
    seed: u64,
    i: u64,
    f: Finding,
    seeds: &[seeds::Seed],
    known: &[(String, String)],
    findings: &mut Vec<(u64, Finding)>,
    pending: &mut [(usize, Vec<(u64, Finding)>)],
) {
    match known_entry(known, &f) {
        Some(k) => {
            let (n, first) = &mut pending[k];
            *n += 1;
            if first.len() < KNOWN_SAVED {
                save(out, seed, i, &f, seeds);
                first.push((i, f));
            }
        }
        None => {
            report(out, seed, i, &f, seeds);
            findings.push((i, f));
        }
    }
}

/// Saves a finding's input and a note beside it; returns the input's path.
fn save(out: &Path, seed: u64, i: u64, f: &Finding, seeds: &[seeds::Seed]) -> (PathBuf, String) {
    let c = case(seed, i, seeds);
    let base = format!("{}-{seed}-{i}", f.class.as_str());
    let input = out.join(format!("{base}.{}", c.kind.extension()));
    let note = out.join(format!("{base}.txt"));
    let text = format!(
        "{f}\nseed {seed}, case {i}: from {} by {}\nregenerate: negotium-fuzz case --seed {seed} --index {i} --out FILE\nreplay: negotium-fuzz replay {}\n",
        c.seed_name,
        c.ops.join("; "),
        input.display()
    );
    let saved = std::fs::create_dir_all(out)
        .and_then(|_| std::fs::write(&input, &c.text))
        .and_then(|_| std::fs::write(&note, &text));
    if let Err(e) = saved {
        println!("  (could not save the input {}: {e})", input.display());
    }
    (input, text)
}

/// Saves a finding's input and a note beside it, and prints where.
fn report(out: &Path, seed: u64, i: u64, f: &Finding, seeds: &[seeds::Seed]) {
    let (input, note) = save(out, seed, i, f, seeds);
    println!("FINDING case {i}: {f}");
    println!("  input saved: {}", input.display());
    println!("  {}", note.lines().nth(1).unwrap_or(""));
    let c = case(seed, i, seeds);
    if c.text.len() <= 2_000 {
        println!("  input: {:?}", c.text);
    }
}

fn replay(files: &[String]) -> Result<ExitCode, String> {
    if files.is_empty() {
        return Err("replay: expected one or more files".into());
    }
    let mut bad = 0;
    for f in files {
        let path = Path::new(f);
        if [".expect", ".txt", ".md"].iter().any(|e| f.ends_with(e)) || f.ends_with("KNOWN") {
            continue; // sidecars and notes of a corpus
        }
        let kind = Kind::of_path(path).ok_or_else(|| {
            format!("{f}: unknown kind; expected .toml, .json, .csv, .gmcr, .domain.xml or .profile.xml")
        })?;
        let bytes = std::fs::read(path).map_err(|e| format!("{f}: {e}"))?;
        let text = String::from_utf8_lossy(&bytes);
        match run_guarded(kind, &text, Limits::default(), None) {
            Verdict::Clean(Outcome::Accepted { lens_errors }) => {
                println!(
                    "{f}: loaded; every lens ran ({} refused it with an error)",
                    lens_errors.len()
                );
                for e in lens_errors {
                    println!("  {}", e.chars().take(300).collect::<String>());
                }
            }
            Verdict::Clean(Outcome::Rejected(e)) => {
                println!(
                    "{f}: rejected: {}",
                    e.chars().take(2_000).collect::<String>()
                )
            }
            Verdict::Finding(x) => {
                bad += 1;
                println!("{f}: FINDING {x}");
            }
        }
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn show_case(args: &[String]) -> Result<ExitCode, String> {
    let seed = num(args, "--seed", None)?.ok_or("--seed is required")?;
    let index = num(args, "--index", None)?.ok_or("--index is required")?;
    let c = case(seed, index, &seeds::all());
    eprintln!(
        "{} case from {} by {}",
        c.kind.extension(),
        c.seed_name,
        c.ops.join("; ")
    );
    match flag(args, "--out") {
        Some(p) => std::fs::write(&p, &c.text).map_err(|e| format!("{p}: {e}"))?,
        None => print!("{}", c.text),
    }
    Ok(ExitCode::SUCCESS)
}
