//! The bounded fuzz run that `.ci/run` starts: the `negotium-fuzz run`
//! supervisor for `NEGOTIUM_FUZZ_SECS` seconds (default 60) with the seed in
//! `NEGOTIUM_FUZZ_SEED` (`.ci/run` fixes it; unset, the clock; printed either way). It fails
//! when the run has any finding; the offending inputs are saved under
//! `target/fuzz-findings/` and printed when short.

use std::process::Command;

#[test]
#[ignore = "a bounded fuzz run of NEGOTIUM_FUZZ_SECS seconds; .ci/run runs it"]
fn bounded_fuzz_run_has_no_finding() {
    let secs = std::env::var("NEGOTIUM_FUZZ_SECS").unwrap_or_else(|_| "60".into());
    let status = Command::new(env!("CARGO_BIN_EXE_negotium-fuzz"))
        .args(["run", "--secs", &secs])
        .status()
        .expect("the negotium-fuzz binary runs");
    assert!(
        status.success(),
        "the fuzz run found defects ({status}): the seed, each finding and where its input was saved are printed above"
    );
}
