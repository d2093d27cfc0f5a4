//! Tournaments over the scenario crate's fixture folders (GENIUS and
//! GeniusWeb, linear and non-linear, plus folders that must be skipped):
//! outputs, thread-count independence, and resuming after an interruption.

use std::path::{Path, PathBuf};

use negotium_bargain::engine::EngineSettings;
use negotium_bargain::league::LeagueSpec;
use negotium_bargain::StrategySpec;
use negotium_tournament::{run, FolderTournament, Outcome, RunOptions};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::RowAccessor;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../negotium-scenario/tests/fixtures")
}

fn tournament() -> FolderTournament {
    FolderTournament {
        root: root(),
        spec: LeagueSpec {
            strategies: ["boulware", "conceder", "micro", "hardheaded"]
                .iter()
                .map(|s| StrategySpec::from_name(s))
                .collect(),
            repetitions: 2,
            n_steps: 40,
            seed: 11,
            self_play: false,
        },
        real_points: 3,
        engine: EngineSettings::default(),
    }
}

fn opts(out: &Path) -> RunOptions {
    RunOptions {
        out: out.to_path_buf(),
        ..RunOptions::default()
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn a_folder_tournament_writes_every_output_and_skips_bad_folders() {
    let dir = tempfile::tempdir().unwrap();
    let Outcome::Completed(s) = run(&tournament(), &opts(dir.path())).unwrap() else {
        panic!("expected a completed run")
    };
    let names: Vec<&str> = s.domains.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "genius/holiday",
            "genius/nonlinear",
            "genius/nonlinear-small",
            "genius/zero-discount",
            "geniusweb/trip"
        ]
    );
    let skipped: Vec<&str> = s.skipped.iter().map(|x| x.1.as_str()).collect();
    assert_eq!(s.skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped
            .iter()
            .any(|e| e.contains("no <weight index=\"3\">")),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(|e| e.contains("partial ordering")),
        "{skipped:?}"
    );
    // Bilateral: 4·3 ordered pairs (both role orders) × 2 repetitions per domain.
    assert_eq!(s.jobs, 5 * 12 * 2);
    let csv = read(&dir.path().join("results.csv"));
    assert_eq!(csv.lines().count(), 1 + 2 * s.jobs);
    // Both role orders of every pair are there.
    assert!(
        csv.contains("genius/holiday|boulware,micro|0")
            && csv.contains("genius/holiday|micro,boulware|0")
    );
    // Parquet: the same rows and values as the CSV.
    let f = std::fs::File::open(dir.path().join("results.parquet")).unwrap();
    let reader = SerializedFileReader::new(f).unwrap();
    assert_eq!(
        reader.metadata().file_metadata().num_rows() as usize,
        2 * s.jobs
    );
    let mut rdr = csv::Reader::from_path(dir.path().join("results.csv")).unwrap();
    let csv_rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    for (row, rec) in reader.get_row_iter(None).unwrap().zip(&csv_rows) {
        let row = row.unwrap();
        assert_eq!(row.get_string(0).unwrap(), &rec[0]);
        assert_eq!(row.get_string(7).unwrap(), &rec[7]);
        assert_eq!(row.get_double(13).unwrap(), rec[13].parse::<f64>().unwrap());
    }
    // Ranking: every strategy once, ranked by mean discounted utility.
    assert_eq!(s.standings.len(), 4);
    for w in s.standings.windows(2) {
        assert!(w[0].mean_discounted >= w[1].mean_discounted);
    }
    assert_eq!(
        s.standings.iter().map(|x| x.negotiations).sum::<usize>(),
        2 * s.jobs
    );
    let md = read(&dir.path().join("ranking.md"));
    assert!(
        md.starts_with("| rank | strategy |") && md.lines().count() == 2 + 4,
        "{md}"
    );
    assert!(dir.path().join("summary.json").exists() && dir.path().join("ranking.csv").exists());
    // Mean utilities in the ranking are the means of the CSV's utility column.
    for st in &s.standings {
        let us: Vec<f64> = csv_rows
            .iter()
            .filter(|r| r[7] == st.strategy)
            .map(|r| r[13].parse::<f64>().unwrap())
            .collect();
        let mean = us.iter().sum::<f64>() / us.len() as f64;
        assert!((mean - st.mean_utility).abs() < 1e-9, "{}", st.strategy);
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let t = tournament();
    run(
        &t,
        &RunOptions {
            threads: Some(1),
            ..opts(a.path())
        },
    )
    .unwrap();
    run(
        &t,
        &RunOptions {
            threads: Some(3),
            ..opts(b.path())
        },
    )
    .unwrap();
    for f in ["results.csv", "ranking.md", "ranking.csv", "summary.json"] {
        assert_eq!(read(&a.path().join(f)), read(&b.path().join(f)), "{f}");
    }
    assert_eq!(
        std::fs::read(a.path().join("results.parquet")).unwrap(),
        std::fs::read(b.path().join("results.parquet")).unwrap()
    );
}

#[test]
fn an_interrupted_tournament_resumes_to_the_same_results() {
    let whole = tempfile::tempdir().unwrap();
    let t = tournament();
    run(&t, &opts(whole.path())).unwrap();

    let part = tempfile::tempdir().unwrap();
    let stop = RunOptions {
        stop_after: Some(17),
        ..opts(part.path())
    };
    assert_eq!(
        run(&t, &stop).unwrap(),
        Outcome::Interrupted {
            done: 17,
            total: 120
        }
    );
    assert!(!part.path().join("results.csv").exists());
    // The interruption also cut a line short.
    let jl = part.path().join("results.jsonl");
    let mut text = read(&jl);
    text.push_str("{\"key\":\"genius/holiday|boul");
    std::fs::write(&jl, text).unwrap();
    // Without --resume an existing tournament is not overwritten.
    let e = run(&t, &opts(part.path())).unwrap_err().to_string();
    assert!(e.contains("already holds a tournament"), "{e}");
    // Other settings cannot resume it.
    let mut other = t.clone();
    other.spec.n_steps = 41;
    let e = run(
        &other,
        &RunOptions {
            resume: true,
            ..opts(part.path())
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("other settings"), "{e}");
    // Two more interruptions, then to the end.
    let again = RunOptions {
        resume: true,
        stop_after: Some(40),
        ..opts(part.path())
    };
    assert_eq!(
        run(&t, &again).unwrap(),
        Outcome::Interrupted {
            done: 57,
            total: 120
        }
    );
    let Outcome::Completed(s) = run(
        &t,
        &RunOptions {
            resume: true,
            ..opts(part.path())
        },
    )
    .unwrap() else {
        panic!("expected completion")
    };
    assert_eq!(s.resumed, 57);
    for f in ["results.csv", "ranking.md"] {
        assert_eq!(
            read(&whole.path().join(f)),
            read(&part.path().join(f)),
            "{f}"
        );
    }
    assert_eq!(read(&jl).lines().count(), 120);
}

/// Parts of a tournament (`--jobs i/n`) are disjoint, cover the schedule,
/// and their results merged by concatenation resume into exactly the
/// files of the whole run.
#[test]
fn parts_split_and_merge_into_the_whole_tournament() {
    use negotium_tournament::Shard;
    let t = tournament();
    let whole = tempfile::tempdir().unwrap();
    let Outcome::Completed(all) = run(&t, &opts(whole.path())).unwrap() else {
        panic!("whole run")
    };
    let merged = tempfile::tempdir().unwrap();
    let mut lines = String::new();
    let mut jobs = 0;
    for i in 1..=3 {
        let part = tempfile::tempdir().unwrap();
        let o = RunOptions {
            shard: Some(Shard::parse(&format!("{i}/3")).unwrap()),
            ..opts(part.path())
        };
        let Outcome::Completed(s) = run(&t, &o).unwrap() else {
            panic!("part {i}")
        };
        assert_eq!(s.total_jobs, all.jobs);
        assert_eq!(s.shard.as_deref(), Some(format!("{i}/3").as_str()));
        jobs += s.jobs;
        lines.push_str(&read(&part.path().join("results.jsonl")));
        if i == 1 {
            std::fs::copy(
                part.path().join("spec.json"),
                merged.path().join("spec.json"),
            )
            .unwrap();
        }
    }
    assert_eq!(jobs, all.jobs, "the parts cover the schedule once");
    std::fs::write(merged.path().join("results.jsonl"), lines).unwrap();
    let o = RunOptions {
        resume: true,
        ..opts(merged.path())
    };
    let Outcome::Completed(m) = run(&t, &o).unwrap() else {
        panic!("merge")
    };
    assert_eq!(m.resumed, all.jobs, "nothing left to run after the merge");
    for f in ["results.csv", "ranking.csv", "ranking.md"] {
        assert_eq!(
            read(&whole.path().join(f)),
            read(&merged.path().join(f)),
            "{f}"
        );
    }
    assert!(
        Shard::parse("0/3").is_err() && Shard::parse("4/3").is_err() && Shard::parse("x").is_err()
    );
}
