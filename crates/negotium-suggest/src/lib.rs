//! "Did you mean …?" for misspelt ids: one rule, shared by every crate that
//! reports an unknown actor, issue, option, institution, model, strategy,
//! lens or built-in scenario, so that the suggestions agree everywhere.
//!
//! A candidate is suggested when it differs from the word only by case, or
//! when their optimal-string-alignment distance (insertions, deletions,
//! substitutions and swaps of neighbours, compared without case) is at most
//! a third of the word's length (at least 1) and less than the length of
//! either (a one-letter id is no misspelling of another). Among several, the nearest
//! wins; ties go to the earliest candidate, so the answer is deterministic.
//! Words or candidates longer than [`MAX_CHARS`] get no suggestion, and a
//! candidate whose length differs from the word's by more than the limit is
//! skipped before any distance is computed: the distance is quadratic, and a
//! hostile file may hold ids of hundreds of thousands of characters.

/// The longest word or candidate (in characters) compared at all.
pub const MAX_CHARS: usize = 256;

/// The candidate the user most likely meant, if any is close enough.
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wn = word.chars().count();
    if wn > MAX_CHARS {
        return None;
    }
    let w = word.to_lowercase();
    let limit = (w.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        // The distance is at least the difference in length.
        let cn = c.chars().count();
        if cn > MAX_CHARS || cn.abs_diff(wn) > limit {
            continue;
        }
        let lc = c.to_lowercase();
        let d = strsim::osa_distance(&w, &lc);
        // Never every letter changed: `C` is no misspelling of `A`.
        let whole = d >= w.chars().count() || d >= lc.chars().count();
        if d <= limit && (d == 0 || !whole) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// ` (did you mean `X`?)` when a candidate is close to `word`, else an empty
/// string: append it right after the "unknown … `word`" part of a message.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    closest(word, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Optimal string alignment distance written out naively (the full
    /// recurrence over prefixes), to check the library against.
    fn naive_osa(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn long_words_get_no_suggestion() {
        let long = "x".repeat(300_000);
        let other = format!("{}y", "x".repeat(299_999));
        assert_eq!(closest(&long, [other.as_str(), "serbia"]), None);
        assert_eq!(closest("serbai", [long.as_str(), "serbia"]), Some("serbia"));
        let at_limit = "a".repeat(MAX_CHARS);
        let near = format!("{}b", "a".repeat(MAX_CHARS - 1));
        assert_eq!(closest(&at_limit, [near.as_str()]), Some(near.as_str()));
    }

    #[test]
    fn the_distance_is_the_optimal_string_alignment() {
        for (a, b) in [
            ("serbia", "serbai"),
            ("kosovo-status", "kosovo-staus"),
            ("eum", "emu"),
            ("", "abc"),
            ("boulware", "bulwer"),
            ("ca", "abc"),
        ] {
            assert_eq!(strsim::osa_distance(a, b), naive_osa(a, b), "{a} {b}");
        }
    }

    #[test]
    fn suggests_near_misses_only() {
        let models = ["median", "compromise", "nash", "eum", "smp"];
        assert_eq!(closest("eumm", models), Some("eum"));
        assert_eq!(closest("NASH", models), Some("nash"));
        assert_eq!(closest("compromsie", models), Some("compromise"));
        assert_eq!(closest("oracle", models), None);
        assert_eq!(
            closest("C", ["A", "B"]),
            None,
            "one-letter ids are not misspellings"
        );
        assert_eq!(closest("c", ["C"]), Some("C"), "but a change of case is");
        assert_eq!(closest("ab", ["xy"]), None);
        assert_eq!(closest("SRV", ["SRB", "KOS"]), Some("SRB"));
        let builtins = ["kosovo-status", "emission-standards", "eu-council-2025"];
        assert_eq!(closest("kosovo-staus", builtins), Some("kosovo-status"));
        assert_eq!(
            closest("eu-council-2024", builtins),
            Some("eu-council-2025")
        );
        assert_eq!(closest("my-case.toml", builtins), None);
    }

    #[test]
    fn the_nearest_wins_and_ties_go_to_the_first() {
        assert_eq!(closest("abcd", ["abxx", "abcx"]), Some("abcx"));
        assert_eq!(closest("abcd", ["abcx", "abcy"]), Some("abcx"));
        assert_eq!(
            did_you_mean("usa", ["RUS", "USA"]),
            " (did you mean `USA`?)"
        );
        assert_eq!(did_you_mean("zzz", ["RUS", "USA"]), "");
    }

    #[test]
    fn the_word_itself_is_never_suggested() {
        assert_eq!(closest("nash", ["nash"]), None);
    }
}
