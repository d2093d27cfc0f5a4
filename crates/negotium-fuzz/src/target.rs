//! Feeds one input to its loader and, when it loads, to every lens engine
//! through the scenario crate's adapters: the spatial forecast with every
//! model (issue by issue and joint), the conflict build with every stability
//! concept under both semantics plus status-quo reachability, voting power
//! and a vote per issue in every institution, and the bargaining analysis
//! with a short run of each protocol. A lens refusing the input with an
//! error is fine; a panic, a non-finite number in a result, or a scenario
//! rejection without a location is not.
//!
//! `stage` is called with the name of each step before it runs, so that a
//! crash or a hang can be attributed to a command path.

use negotium_bargain::engine::{negotiate_general, GeneralPrepared, Method as EngineMethod};
use negotium_bargain::session::{negotiate, Prepared, Protocol, Settings};
use negotium_bargain::single_text::MediatorKind;
use negotium_bargain::{GeneralProblem, Problem, StrategySpec};
use negotium_conflict::{Concept, Conflict, Semantics};
use negotium_scenario::{load_str, Format, Scenario, ScenarioError};
use negotium_spatial::{EumOptions, ModelSpec, NashOptions, SmpOptions};
use negotium_voting::{decide, power, Method, PowerOptions};

use crate::finite::first_non_finite;
use crate::seeds::{Kind, GENIUS_DOMAIN, GENIUS_PROFILES};

/// How a well-behaved run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The input loaded and every lens ran (or refused it with an error).
    Accepted { lens_errors: Vec<String> },
    /// The loader refused the input with a located error (the whole message).
    Rejected(String),
}

/// A defect found without a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Defect {
    /// A result holds NaN or ±inf.
    NonFinite { stage: String, path: String },
    /// A scenario loader refused the input without naming where.
    Unlocated { message: String },
}

/// Steps per bargaining run when the input gives none (GENIUS; a scenario
/// without `steps`): short, the protocols' logic rather than their length.
const BARGAIN_STEPS: u32 = 20;

/// Monte Carlo samples for voting power (the minimum the engine accepts is 200).
const POWER_SAMPLES: u64 = 2_000;

/// Runs `text` as an input of `kind` through its loader and every lens.
pub fn run(kind: Kind, text: &str, stage: &mut dyn FnMut(&str)) -> Result<Outcome, Defect> {
    match kind {
        Kind::Toml => scenario(text, Format::Toml, stage),
        Kind::Json => scenario(text, Format::Json, stage),
        Kind::Ktab => scenario(text, Format::KtabCsv, stage),
        Kind::Gmcr => gmcr(text, stage),
        Kind::GeniusDomain => genius(text, None, stage),
        Kind::GeniusProfile => genius(GENIUS_DOMAIN, Some(text), stage),
    }
}

fn short(s: String) -> String {
    if s.len() <= 400 {
        s
    } else {
        let mut cut = 400;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &s[..cut])
    }
}

/// An error with its sources: `issue x cannot be modelled: …: why`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn finite<T: serde::Serialize>(stage: &str, v: &T) -> Result<(), Defect> {
    match first_non_finite(v) {
        Some(path) => Err(Defect::NonFinite {
            stage: stage.to_string(),
            path,
        }),
        None => Ok(()),
    }
}

fn scenario(text: &str, format: Format, stage: &mut dyn FnMut(&str)) -> Result<Outcome, Defect> {
    stage("load");
    let file = match format {
        Format::Toml => "fuzz.toml",
        Format::Json => "fuzz.json",
        Format::KtabCsv => "fuzz.csv",
    };
    let loaded = match load_str(text, file, format) {
        Ok(l) => l,
        Err(e) => {
            // TOML and CSV problems carry a line (and column); JSON ones a
            // line or a JSON path.
            let diags = e.diagnostics();
            let unlocated = diags.is_empty()
                || diags.iter().any(|d| match format {
                    Format::Json => d.line.is_none() && d.path.is_none(),
                    Format::Toml | Format::KtabCsv => d.line.is_none(),
                });
            if unlocated || !matches!(e, ScenarioError::Syntax(_) | ScenarioError::Invalid(_)) {
                return Err(Defect::Unlocated {
                    message: short(e.to_string()),
                });
            }
            return Ok(Outcome::Rejected(e.to_string()));
        }
    };
    lenses(&loaded.scenario, stage)
}

/// Every lens on a valid scenario; returns how many refused it.
pub fn lenses(s: &Scenario, stage: &mut dyn FnMut(&str)) -> Result<Outcome, Defect> {
    let mut errors = spatial(s, stage)?;
    errors.extend(conflict(s, stage)?);
    errors.extend(voting(s, stage)?);
    errors.extend(bargaining(s, stage)?);
    Ok(Outcome::Accepted {
        lens_errors: errors,
    })
}

fn spatial(s: &Scenario, stage: &mut dyn FnMut(&str)) -> Result<Vec<String>, Defect> {
    use negotium_scenario::spatial::{forecast, ForecastRequest};
    let mut errors = Vec::new();
    let models = [
        ("median", ModelSpec::Median),
        ("compromise", ModelSpec::Compromise),
        ("nash", ModelSpec::Nash(NashOptions::default())),
        ("eum", ModelSpec::Eum(EumOptions::default())),
        ("smp", ModelSpec::Smp(SmpOptions::default())),
    ];
    for (name, spec) in models {
        let st = format!("forecast --model {name}");
        stage(&st);
        let req = ForecastRequest {
            issues: Vec::new(),
            models: vec![spec],
            joint: false,
        };
        match forecast(s, &req) {
            Ok(r) => finite(&st, &r)?,
            Err(e) => errors.push(format!("{st}: {}", chain(&e))),
        }
    }
    if s.inputs.issues.len() > 1 {
        let st = "forecast --model smp --joint";
        stage(st);
        let req = ForecastRequest {
            issues: Vec::new(),
            models: vec![ModelSpec::Smp(SmpOptions::default())],
            joint: true,
        };
        match forecast(s, &req) {
            Ok(r) => finite(st, &r)?,
            Err(e) => errors.push(format!("{st}: {}", chain(&e))),
        }
    }
    Ok(errors)
}

/// Stability under every concept and both semantics, then status-quo
/// reachability and the explanation of the start.
fn conflict_lens(
    c: &Conflict,
    start: Option<usize>,
    stage: &mut dyn FnMut(&str),
) -> Result<Vec<String>, Defect> {
    let mut errors = Vec::new();
    for (sem, name) in [
        (Semantics::Textbook, "conflict"),
        (Semantics::GmcrPy, "conflict --gmcr-py"),
    ] {
        stage(name);
        match negotium_conflict::analyze(c, &Concept::ALL, sem) {
            Ok(r) => finite(name, &r)?,
            Err(e) => errors.push(format!("{name}: {}", chain(&e))),
        }
    }
    if let Some(s) = start {
        stage("conflict --status-quo (reach)");
        let r = negotium_conflict::status_quo::reach(c, s, false);
        finite("conflict --status-quo", &r)?;
        let _ = r.layers();
        let _ = negotium_conflict::status_quo::reach(c, s, true);
        stage("conflict --explain");
        for dm in 0..c.n_dms() {
            for concept in Concept::ALL {
                if let Err(e) =
                    negotium_conflict::explain::explain(c, dm, s, concept, Semantics::Textbook)
                        .map(|n| n.text(c))
                {
                    errors.push(format!("conflict --explain: {}", chain(&e)));
                }
            }
        }
    }
    Ok(errors)
}

fn conflict(s: &Scenario, stage: &mut dyn FnMut(&str)) -> Result<Vec<String>, Defect> {
    let Some(sec) = &s.inputs.conflict else {
        return Ok(Vec::new());
    };
    stage("conflict (compile)");
    let input = match sec.to_input() {
        Ok(i) => i,
        Err(e) => return Ok(vec![format!("conflict (compile): {e}")]),
    };
    stage("conflict (build)");
    let c = match Conflict::build(&input.spec) {
        Ok(c) => c,
        Err(e) => return Ok(vec![format!("conflict (build): {}", chain(&e))]),
    };
    let start = input.status_quo.as_ref().and_then(|f| {
        let m = c.states_matching(f);
        (m.len() == 1).then(|| m[0])
    });
    conflict_lens(&c, start, stage)
}

fn voting(s: &Scenario, stage: &mut dyn FnMut(&str)) -> Result<Vec<String>, Defect> {
    let mut errors = Vec::new();
    for inst in &s.inputs.institutions {
        stage("power (model)");
        let m = match inst.model() {
            Ok(m) => m,
            Err(e) => {
                errors.push(format!("power (model): {}", chain(&e)));
                continue;
            }
        };
        let Some(game) = &m.game else { continue };
        stage("power");
        let opts = PowerOptions {
            samples: POWER_SAMPLES,
            method: Method::Auto,
            ..PowerOptions::default()
        };
        match power(game, &opts) {
            Ok(r) => finite("power", &r)?,
            Err(e) => errors.push(format!("power: {}", chain(&e))),
        }
        for is in &s.inputs.issues {
            stage("vote");
            let proposal = (is.min + is.max) / 2.0;
            let ballots = match inst.ballots(&s.inputs, &is.id, proposal, None) {
                Ok(b) => b,
                Err(e) => {
                    errors.push(format!("vote: {}", chain(&e)));
                    continue;
                }
            };
            finite("vote (ballots)", &ballots)?;
            let b: Vec<_> = ballots.iter().map(|x| x.ballot).collect();
            match decide(game, &b, m.abstention_is_veto) {
                Ok(o) => finite("vote", &o)?,
                Err(e) => errors.push(format!("vote: {}", chain(&e))),
            }
        }
    }
    stage("history (recorded votes)");
    let votes = negotium_scenario::votes::check_recorded_votes(s);
    finite("history (recorded votes)", &votes)?;
    Ok(errors)
}

fn bargaining(s: &Scenario, stage: &mut dyn FnMut(&str)) -> Result<Vec<String>, Defect> {
    let Some(b) = &s.inputs.bargaining else {
        return Ok(Vec::new());
    };
    stage("negotiate (problem)");
    // The scenario's step budget, as `negotium negotiate` uses it.
    let steps = b.steps.unwrap_or(BARGAIN_STEPS);
    match b.to_problem(&s.scenario.id) {
        Ok(p) => bargain_lens(p, steps, stage),
        Err(e) => Ok(vec![format!("negotiate (problem): {e}")]),
    }
}

/// Analysis, then an SAO and a single-text run of `steps` steps.
fn bargain_lens(
    p: Problem,
    steps: u32,
    stage: &mut dyn FnMut(&str),
) -> Result<Vec<String>, Defect> {
    stage("pareto (analyze)");
    let prep = Prepared::new(p);
    finite("pareto", &prep.analysis)?;
    let n = prep.problem.parties.len();
    let builtins = StrategySpec::builtins();
    let strategies: Vec<StrategySpec> = (0..n)
        .map(|i| builtins[i % builtins.len()].clone())
        .collect();
    let mut errors = Vec::new();
    for (protocol, name) in [
        (Protocol::Sao, "negotiate --protocol sao"),
        (
            Protocol::SingleText {
                mediator: MediatorKind::Nash,
            },
            "negotiate --protocol single-text",
        ),
    ] {
        stage(name);
        let settings = Settings {
            protocol,
            strategies: strategies.clone(),
            n_steps: steps,
            seed: 1,
            trace: false,
        };
        match negotiate(&prep, &settings) {
            Ok(r) => finite(name, &r)?,
            Err(e) => errors.push(format!("{name}: {}", chain(&e))),
        }
    }
    Ok(errors)
}

fn gmcr(text: &str, stage: &mut dyn FnMut(&str)) -> Result<Outcome, Defect> {
    stage("gmcr (parse)");
    let m = match negotium_scenario::gmcr::parse_gmcr(text, "fuzz.gmcr") {
        Ok(m) => m,
        // Every GmcrError carries a JSON path or a line and column by type.
        Err(e) => return Ok(Outcome::Rejected(e.to_string())),
    };
    stage("gmcr (build)");
    let c = match m.build("fuzz.gmcr") {
        Ok(c) => c,
        Err(e) => return Ok(Outcome::Rejected(e.to_string())),
    };
    let mut errors = conflict_lens(&c, (!c.is_empty()).then_some(0), stage)?;
    if let Some(blocs) = &m.coalitions {
        stage("conflict --coalitions");
        for concept in [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq] {
            if let Err(e) = negotium_conflict::coalition::partition_stability(&c, blocs, concept) {
                errors.push(format!("conflict --coalitions: {}", chain(&e)));
            }
        }
    }
    Ok(Outcome::Accepted {
        lens_errors: errors,
    })
}

/// Whether a GENIUS error names a line: `file.xml:LINE` or `line N`.
fn genius_located(msg: &str) -> bool {
    let b = msg.as_bytes();
    msg.match_indices(".xml:")
        .any(|(i, m)| b.get(i + m.len()).is_some_and(u8::is_ascii_digit))
        || msg
            .match_indices("line ")
            .any(|(i, m)| b.get(i + m.len()).is_some_and(u8::is_ascii_digit))
}

/// A GENIUS domain with two profiles: `profile` replaces the first fixture
/// profile when given (the domain is then the fixture's). Read as
/// `negotium negotiate DIR` reads a folder (`domains::load`: any size, any
/// utility kind), then analysed and negotiated through the general engine.
fn genius(
    domain: &str,
    profile: Option<&str>,
    stage: &mut dyn FnMut(&str),
) -> Result<Outcome, Defect> {
    use negotium_scenario::genius::{read_domain, read_profile, to_general_party, to_issues};
    stage("genius (domain)");
    // A GENIUS rejection must name a line and column of the XML (`f.xml:3:7`
    // or "line 3"); a byte offset or no location is a finding.
    let rejected = |e: String| {
        if genius_located(&e) {
            Ok(Outcome::Rejected(e))
        } else {
            Err(Defect::Unlocated { message: short(e) })
        }
    };
    let gissues = match read_domain(domain, "domain.xml") {
        Ok(g) => g,
        Err(e) => return rejected(e.to_string()),
    };
    let issues = match to_issues(&gissues, 5) {
        Ok(i) => i,
        Err(e) => return rejected(e.to_string()),
    };
    stage("genius (profiles)");
    let mut parties = Vec::new();
    let mut notes = Vec::new();
    for (k, (name, fixture)) in GENIUS_PROFILES.iter().enumerate() {
        let text = match (k, profile) {
            (0, Some(p)) => p,
            _ => fixture,
        };
        let file = format!("{name}.xml");
        let prof = match read_profile(text, &file) {
            Ok(p) => p,
            Err(e) => return rejected(e.to_string()),
        };
        match to_general_party(name, &gissues, &issues, &prof, &file, &mut notes) {
            Ok(p) => parties.push(p),
            Err(e) => return rejected(e.to_string()),
        }
    }
    // Issues and parties are checked above; what is left (e.g. two parties
    // of one name) cannot come from these files.
    let problem = match GeneralProblem::new("genius", issues, parties, notes) {
        Ok(p) => p,
        Err(e) => return Ok(Outcome::Rejected(format!("domain.xml:1:1: {e}"))),
    };
    let errors = general_lens(problem, BARGAIN_STEPS, stage)?;
    Ok(Outcome::Accepted {
        lens_errors: errors,
    })
}

/// The general engine (enumerated or implicit): analysis, then an SAO run
/// and, when the space is enumerated, a single-text run.
fn general_lens(
    p: GeneralProblem,
    steps: u32,
    stage: &mut dyn FnMut(&str),
) -> Result<Vec<String>, Defect> {
    stage("pareto DIR (analyze)");
    let prep = match GeneralPrepared::new(p) {
        Ok(p) => p,
        Err(e) => return Ok(vec![format!("pareto DIR: {}", chain(&e))]),
    };
    finite("pareto DIR", &prep.analysis)?;
    let n = prep.problem.parties.len();
    let builtins = StrategySpec::builtins();
    let strategies: Vec<StrategySpec> = (0..n)
        .map(|i| builtins[i % builtins.len()].clone())
        .collect();
    let mut errors = Vec::new();
    let mut protocols = vec![(Protocol::Sao, "negotiate DIR --protocol sao")];
    if prep.analysis.method == EngineMethod::Enumerated {
        protocols.push((
            Protocol::SingleText {
                mediator: MediatorKind::Nash,
            },
            "negotiate DIR --protocol single-text",
        ));
    }
    for (protocol, name) in protocols {
        stage(name);
        let settings = Settings {
            protocol,
            strategies: strategies.clone(),
            n_steps: steps,
            seed: 1,
            trace: false,
        };
        match negotiate_general(&prep, &settings) {
            Ok(r) => finite(name, &r)?,
            Err(e) => errors.push(format!("{name}: {}", chain(&e))),
        }
    }
    Ok(errors)
}
