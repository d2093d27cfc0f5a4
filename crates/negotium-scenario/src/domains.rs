//! Negotiation domain folders of either peer format: detection, loading
//! into a [`GeneralProblem`], and discovery of every domain folder under a
//! root (for tournaments and bulk checks over the ANAC collections).

use std::path::{Path, PathBuf};

use negotium_bargain::GeneralProblem;

use crate::{genius, geniusweb};

/// Why a domain folder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error(transparent)]
    Genius(#[from] genius::GeniusError),
    #[error(transparent)]
    GeniusWeb(#[from] geniusweb::GeniusWebError),
    #[error("{0}: not a GENIUS (.xml) or GeniusWeb (.json with issuesValues) domain folder")]
    Unknown(String),
}

/// The format of a domain folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirFormat {
    Genius,
    GeniusWeb,
}

/// The format of `dir`, if it is a domain folder.
pub fn detect(dir: &Path) -> Option<DirFormat> {
    if genius::is_genius_dir(dir) {
        Some(DirFormat::Genius)
    } else if geniusweb::is_geniusweb_dir(dir) {
        Some(DirFormat::GeniusWeb)
    } else {
        None
    }
}

/// Loads a GENIUS or GeniusWeb folder (any size, any utility kind).
pub fn load(dir: &Path, real_points: usize) -> Result<GeneralProblem, DomainError> {
    match detect(dir) {
        Some(DirFormat::Genius) => Ok(genius::load_dir_general(dir, real_points)?),
        Some(DirFormat::GeniusWeb) => Ok(geniusweb::load_dir(dir)?),
        None => Err(DomainError::Unknown(dir.display().to_string())),
    }
}

/// Every domain folder at or under `root`, sorted by path.
pub fn find(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        if detect(dir).is_some() {
            out.push(dir.to_path_buf());
        }
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut subs: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        subs.sort();
        for s in subs {
            walk(&s, out);
        }
    }
    let mut out = Vec::new();
    walk(root, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_loads_both_formats() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let dirs = find(&root);
        let names: Vec<String> = dirs
            .iter()
            .map(|d| d.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        assert!(names.contains(&"genius/holiday".to_string()), "{names:?}");
        assert!(names.contains(&"geniusweb/trip".to_string()), "{names:?}");
        assert_eq!(
            load(&root.join("geniusweb/trip"), 3).unwrap().parties.len(),
            2
        );
        assert_eq!(
            load(&root.join("genius/holiday"), 3).unwrap().parties.len(),
            2
        );
        let e = load(&root, 3).unwrap_err().to_string();
        assert!(e.contains("not a GENIUS"), "{e}");
    }
}
