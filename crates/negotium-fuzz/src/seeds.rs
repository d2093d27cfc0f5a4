//! Seed inputs: the built-in scenarios and the project's fixtures in every
//! input format, embedded at compile time, plus JSON renderings of the TOML
//! scenarios made at start-up.

use std::path::Path;

/// The input formats the harness feeds, each with its loader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A negotium scenario in TOML (`load_str`, then every lens).
    Toml,
    /// The same structure in JSON.
    Json,
    /// KTAB's SMP CSV (then the spatial lens).
    Ktab,
    /// gmcr-py's `.gmcr` JSON (then the conflict lens).
    Gmcr,
    /// A GENIUS domain file, read with the holiday fixture's profiles.
    GeniusDomain,
    /// A GENIUS profile, read against the holiday fixture's domain.
    GeniusProfile,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Toml,
        Kind::Json,
        Kind::Ktab,
        Kind::Gmcr,
        Kind::GeniusDomain,
        Kind::GeniusProfile,
    ];

    /// The file-name ending of a saved input of this kind.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Toml => "toml",
            Kind::Json => "json",
            Kind::Ktab => "csv",
            Kind::Gmcr => "gmcr",
            Kind::GeniusDomain => "domain.xml",
            Kind::GeniusProfile => "profile.xml",
        }
    }

    /// The kind a saved input's file name says.
    pub fn of_path(path: &Path) -> Option<Kind> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        // Longest endings first: `.domain.xml` before `.xml`.
        let mut kinds = Kind::ALL;
        kinds.sort_by_key(|k| std::cmp::Reverse(k.extension().len()));
        kinds
            .into_iter()
            .find(|k| name.ends_with(&format!(".{}", k.extension())))
    }
}

/// One seed input.
#[derive(Debug, Clone)]
pub struct Seed {
    pub kind: Kind,
    /// Where it comes from (a path in the repository, or a built-in id).
    pub name: String,
    pub text: String,
}

macro_rules! fixture {
    ($kind:expr, $path:literal) => {
        ($kind, $path, include_str!(concat!("../../../", $path)))
    };
}

/// Fixtures embedded from the repository (paths from its root).
const FIXTURES: &[(Kind, &str, &str)] = &[
    fixture!(Kind::Toml, "crates/negotium-fuzz/seeds/all-lenses.toml"),
    fixture!(
        Kind::Toml,
        "crates/negotium-scenario/tests/valid-minimal.toml"
    ),
    fixture!(
        Kind::Toml,
        "crates/negotium-report/tests/fixtures/mini.toml"
    ),
    fixture!(
        Kind::Ktab,
        "crates/negotium-spatial/tests/fixtures/ktab/SOE-Pol-Comp.csv"
    ),
    fixture!(
        Kind::Ktab,
        "crates/negotium-spatial/tests/fixtures/ktab/SOE-Policy.csv"
    ),
    fixture!(
        Kind::Ktab,
        "crates/negotium-spatial/tests/fixtures/ktab/dummyData_3Dim.csv"
    ),
    fixture!(
        Kind::Ktab,
        "crates/negotium-scenario/tests/invalid/ktab-position.csv"
    ),
    fixture!(
        Kind::Gmcr,
        "crates/negotium-conflict/fixtures/syria_iraq.gmcr"
    ),
    fixture!(
        Kind::Gmcr,
        "crates/negotium-conflict/fixtures/prisoners_ranking.gmcr"
    ),
    fixture!(
        Kind::Gmcr,
        "crates/negotium-conflict/fixtures/three_party_or.gmcr"
    ),
    fixture!(
        Kind::Gmcr,
        "crates/negotium-conflict/fixtures/bad_option_index.gmcr"
    ),
    fixture!(
        Kind::GeniusDomain,
        "crates/negotium-scenario/tests/fixtures/genius/holiday/holiday_domain.xml"
    ),
    fixture!(
        Kind::GeniusDomain,
        "crates/negotium-scenario/tests/fixtures/genius/nonlinear/domain.xml"
    ),
    fixture!(
        Kind::GeniusProfile,
        "crates/negotium-scenario/tests/fixtures/genius/holiday/alice.xml"
    ),
    fixture!(
        Kind::GeniusProfile,
        "crates/negotium-scenario/tests/fixtures/genius/holiday/bob.xml"
    ),
    fixture!(
        Kind::GeniusProfile,
        "crates/negotium-scenario/tests/fixtures/genius/missing-weight/a.xml"
    ),
];

/// The GENIUS domain that profiles are read against.
pub const GENIUS_DOMAIN: &str =
    include_str!("../../negotium-scenario/tests/fixtures/genius/holiday/holiday_domain.xml");
/// The GENIUS profiles that mutated domains are read with.
pub const GENIUS_PROFILES: [(&str, &str); 2] = [
    (
        "alice",
        include_str!("../../negotium-scenario/tests/fixtures/genius/holiday/alice.xml"),
    ),
    (
        "bob",
        include_str!("../../negotium-scenario/tests/fixtures/genius/holiday/bob.xml"),
    ),
];

/// Every seed: the built-in scenarios (TOML and JSON), the fixtures, and
/// JSON renderings of the small TOML fixtures.
pub fn all() -> Vec<Seed> {
    let mut out = Vec::new();
    for b in negotium_scenario::builtin::list() {
        out.push(Seed {
            kind: Kind::Toml,
            name: format!("{}.toml (built-in)", b.id),
            text: b.source.to_string(),
        });
    }
    for &(kind, name, text) in FIXTURES {
        out.push(Seed {
            kind,
            name: name.to_string(),
            text: text.to_string(),
        });
    }
    let jsons: Vec<Seed> = out
        .iter()
        .filter(|s| s.kind == Kind::Toml)
        .filter_map(|s| {
            let v: serde_json::Value = toml_to_json(&s.text)?;
            Some(Seed {
                kind: Kind::Json,
                name: format!("{} as JSON", s.name),
                text: serde_json::to_string_pretty(&v).ok()?,
            })
        })
        .collect();
    out.extend(jsons);
    out
}

/// A valid scenario's TOML text as the equivalent JSON document.
fn toml_to_json(text: &str) -> Option<serde_json::Value> {
    let loaded =
        negotium_scenario::load_str(text, "seed.toml", negotium_scenario::Format::Toml).ok()?;
    serde_json::to_value(&loaded.scenario).ok()
}
