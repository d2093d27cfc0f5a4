//! Built-in scenarios, embedded in the binary from the workspace's
//! `scenarios/` folder.

/// One embedded scenario.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub id: &'static str,
    pub summary: &'static str,
    pub source: &'static str,
}

const BUILTINS: &[Builtin] = &[
    Builtin {
        id: "kosovo-status",
        summary: "Kosovo final status talks, 1999–2013 (the flagship; default)",
        source: include_str!("../../../scenarios/kosovo-status.toml"),
    },
    Builtin {
        id: "emission-standards",
        summary: "EU emission standards for medium-sized cars (Bueno de Mesquita 1994; Scholz et al. 2011)",
        source: include_str!("../../../scenarios/emission-standards.toml"),
    },
    Builtin {
        id: "eu-council-2025",
        summary: "Council of the EU qualified majority, 2025 population shares (27 states)",
        source: include_str!("../../../scenarios/eu-council-2025.toml"),
    },
];

/// Every built-in scenario, the default first.
pub fn list() -> &'static [Builtin] {
    BUILTINS
}

/// The built-in scenario with this id.
pub fn get(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.id == id)
}
