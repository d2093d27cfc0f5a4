//! States and moves in words, from a result's own option names: what each
//! DM has done in a state, and what a move changes. For text, reports and
//! verdicts that should not speak in state numbers or `YN…` patterns.

use super::ConflictResult;

/// The state `number` in words: for each DM, in DM order, the options it
/// has taken; then the DMs that have taken none. E.g. `Kosovo: declare
/// independence; United States: recognise Kosovo; none by Serbia, Russia`;
/// a state where no option is taken is `no option taken`. Unknown states
/// give `state N (unknown)`.
pub fn state_description(r: &ConflictResult, number: usize) -> String {
    let Some(code) = r.states.code(number) else {
        return format!("state {number} (unknown)");
    };
    let mut parts = Vec::new();
    let mut idle = Vec::new();
    for d in &r.dms {
        let taken: Vec<&str> = d
            .options
            .iter()
            .filter(|&&o| (1..=64).contains(&o) && code >> (o - 1) & 1 == 1)
            .filter_map(|&o| r.options.get(o - 1).map(|x| x.name.as_str()))
            .collect();
        if taken.is_empty() {
            idle.push(d.name.as_str());
        } else {
            parts.push(format!("{}: {}", d.name, taken.join(", ")));
        }
    }
    if parts.is_empty() {
        return "no option taken".into();
    }
    if !idle.is_empty() {
        parts.push(format!("none by {}", idle.join(", ")));
    }
    parts.join("; ")
}

/// What changes from state `from` to state `to`, in words: the options taken
/// by name, the options given up as `no longer …`, in option order (e.g.
/// `declare independence, no longer accept autonomy within Serbia`).
/// Unknown states give `to state N`.
pub fn change_description(r: &ConflictResult, from: usize, to: usize) -> String {
    let (Some(a), Some(b)) = (r.states.code(from), r.states.code(to)) else {
        return format!("to state {to}");
    };
    let diff = a ^ b;
    let v: Vec<String> = r
        .options
        .iter()
        .enumerate()
        .filter(|(k, _)| *k < 64 && diff >> k & 1 == 1)
        .map(|(k, o)| {
            if b >> k & 1 == 1 {
                o.name.clone()
            } else {
                format!("no longer {}", o.name)
            }
        })
        .collect();
    if v.is_empty() {
        "no change".into()
    } else {
        v.join(", ")
    }
}
