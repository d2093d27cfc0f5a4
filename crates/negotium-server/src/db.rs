//! The SQLite store: saved scenarios, the exact sources runs used (by
//! sha256), and every run. WAL mode, full sync, schema migrations by
//! `PRAGMA user_version`, a small connection pool.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database {path} has schema version {found}, newer than this program's {supported}")]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
}

/// Schema migrations, applied in order; `user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    // 1: scenarios, sources, runs.
    "CREATE TABLE scenarios (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        format TEXT NOT NULL,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
     );
     CREATE TABLE sources (
        sha256 TEXT PRIMARY KEY,
        format TEXT NOT NULL,
        text TEXT NOT NULL
     );
     CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        lens TEXT NOT NULL,
        scenario_ref TEXT NOT NULL,
        scenario_title TEXT NOT NULL,
        scenario_sha256 TEXT NOT NULL REFERENCES sources(sha256),
        params TEXT NOT NULL,
        seed INTEGER,
        version TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
        result TEXT,
        error TEXT,
        key_numbers TEXT NOT NULL DEFAULT '{}',
        started TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        duration_ms INTEGER NOT NULL
     );
     CREATE INDEX runs_by_scenario ON runs(scenario_ref, id);",
    // 2: what-if overrides applied to the scenario before the lens ran.
    "ALTER TABLE runs ADD COLUMN overrides TEXT;",
];

/// Lowercase hex sha256 of a text.
pub fn sha256_hex(text: &str) -> String {
    let d = Sha256::digest(text.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// A saved scenario.
#[derive(Debug, Clone, Serialize)]
pub struct SavedScenario {
    pub id: i64,
    pub name: String,
    pub format: String,
    pub source: String,
    pub sha256: String,
    pub created: String,
    pub updated: String,
}

/// A run to store.
#[derive(Debug, Clone)]
pub struct NewRun<'a> {
    pub lens: &'a str,
    pub scenario_ref: &'a str,
    pub scenario_title: &'a str,
    pub source: &'a str,
    pub format: &'a str,
    pub params: &'a serde_json::Value,
    /// What-if overrides (`negotium_scenario::overrides`), if any.
    pub overrides: Option<&'a serde_json::Value>,
    pub seed: Option<u64>,
    pub version: &'a str,
    pub outcome: Result<
        (
            &'a serde_json::Value,
            &'a std::collections::BTreeMap<String, f64>,
        ),
        &'a str,
    >,
    pub duration_ms: u64,
}

/// A stored run.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub id: i64,
    pub lens: String,
    pub scenario: String,
    pub scenario_title: String,
    pub scenario_sha256: String,
    pub params: serde_json::Value,
    /// What-if overrides applied to the scenario before the lens ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<serde_json::Value>,
    pub seed: Option<i64>,
    pub version: String,
    pub status: String,
    pub result: Option<serde_json::Value>,
    pub error: Option<String>,
    pub key_numbers: std::collections::BTreeMap<String, f64>,
    pub started: String,
    pub duration_ms: i64,
}

/// The store: one writer connection (writes queue in-process instead of
/// spinning in SQLite's busy handler) and a pool of reader connections.
pub struct Db {
    path: PathBuf,
    writer: Mutex<Connection>,
    pool: Mutex<Vec<Connection>>,
}

/// A pooled connection, returned to the pool on drop.
pub struct Conn<'a> {
    db: &'a Db,
    conn: Option<Connection>,
}

impl std::ops::Deref for Conn<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("connection present until drop")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            if let Ok(mut p) = self.db.pool.lock() {
                if p.len() < 8 {
                    p.push(c);
                }
            }
        }
    }
}

fn open_conn(path: &Path) -> Result<Connection, DbError> {
    let c = Connection::open(path)?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    Ok(c)
}

impl Db {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let mut c = open_conn(path)?;
        migrate(&mut c, &path.display().to_string())?;
        Ok(Db {
            path: path.to_path_buf(),
            writer: Mutex::new(c),
            pool: Mutex::new(Vec::new()),
        })
    }

    /// Runs `f` on the writer connection (one writer at a time).
    fn write<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// A connection from the pool (or a new one).
    pub fn conn(&self) -> Result<Conn<'_>, DbError> {
        let pooled = self.pool.lock().ok().and_then(|mut p| p.pop());
        let conn = match pooled {
            Some(c) => c,
            None => open_conn(&self.path)?,
        };
        Ok(Conn {
            db: self,
            conn: Some(conn),
        })
    }

    pub fn list_scenarios(&self) -> Result<Vec<SavedScenario>, DbError> {
        let c = self.conn()?;
        let mut st = c.prepare(
            "SELECT id, name, format, source, sha256, created, updated FROM scenarios ORDER BY id",
        )?;
        let rows = st.query_map([], row_scenario)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn get_scenario(&self, id: i64) -> Result<Option<SavedScenario>, DbError> {
        let c = self.conn()?;
        Ok(c.query_row(
            "SELECT id, name, format, source, sha256, created, updated FROM scenarios WHERE id = ?1",
            [id],
            row_scenario,
        )
        .optional()?)
    }

    pub fn insert_scenario(&self, name: &str, format: &str, source: &str) -> Result<i64, DbError> {
        self.write(|c| {
            c.execute(
                "INSERT INTO scenarios (name, format, source, sha256) VALUES (?1, ?2, ?3, ?4)",
                params![name, format, source, sha256_hex(source)],
            )?;
            Ok(c.last_insert_rowid())
        })
    }

    /// Replaces a saved scenario's text; false if there is no such scenario.
    pub fn update_scenario(
        &self,
        id: i64,
        name: &str,
        format: &str,
        source: &str,
    ) -> Result<bool, DbError> {
        self.write(|c| {
            let n = c.execute(
                "UPDATE scenarios SET name = ?2, format = ?3, source = ?4, sha256 = ?5,
             updated = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1",
                params![id, name, format, source, sha256_hex(source)],
            )?;
            Ok(n == 1)
        })
    }

    /// Stores a run (and the source it used) in one transaction; returns its id.
    pub fn insert_run(&self, r: &NewRun) -> Result<i64, DbError> {
        self.write(|conn| Self::insert_run_tx(conn, r))
    }

    fn insert_run_tx(conn: &mut Connection, r: &NewRun) -> Result<i64, DbError> {
        let tx = conn.transaction()?;
        let sha = sha256_hex(r.source);
        tx.execute(
            "INSERT OR IGNORE INTO sources (sha256, format, text) VALUES (?1, ?2, ?3)",
            params![sha, r.format, r.source],
        )?;
        let (status, result, error, keys) = match r.outcome {
            Ok((v, k)) => (
                "ok",
                Some(v.to_string()),
                None,
                serde_json::to_string(k).unwrap_or_else(|_| "{}".into()),
            ),
            Err(e) => ("error", None, Some(e.to_string()), "{}".to_string()),
        };
        tx.execute(
            "INSERT INTO runs (lens, scenario_ref, scenario_title, scenario_sha256, params, seed, version, status, result, error, key_numbers, duration_ms, overrides)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                r.lens,
                r.scenario_ref,
                r.scenario_title,
                sha,
                r.params.to_string(),
                r.seed.map(|s| s as i64),
                r.version,
                status,
                result,
                error,
                keys,
                r.duration_ms as i64,
                r.overrides.map(|o| o.to_string())
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    pub fn get_run(&self, id: i64) -> Result<Option<Run>, DbError> {
        let c = self.conn()?;
        Ok(
            c.query_row(&format!("{RUN_SELECT} WHERE id = ?1"), [id], row_run)
                .optional()?,
        )
    }

    /// The newest runs first, optionally of one scenario, older than run
    /// `before`; results omitted.
    pub fn list_runs(
        &self,
        scenario_ref: Option<&str>,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Run>, DbError> {
        let c = self.conn()?;
        let lim = limit.min(10_000) as i64;
        let mut st = c.prepare(&format!(
            "{RUN_SELECT_LIGHT} WHERE (?1 IS NULL OR scenario_ref = ?1) AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3"
        ))?;
        let rows = st.query_map(params![scenario_ref, before, lim], row_run)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many runs there are (of one scenario).
    pub fn count_runs(&self, scenario_ref: Option<&str>) -> Result<u64, DbError> {
        let c = self.conn()?;
        Ok(c.query_row(
            "SELECT count(*) FROM runs WHERE (?1 IS NULL OR scenario_ref = ?1)",
            params![scenario_ref],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Deletes a run, and the text it used if no other run uses it; false if
    /// there is no such run.
    pub fn delete_run(&self, id: i64) -> Result<bool, DbError> {
        self.write(|conn| {
            let tx = conn.transaction()?;
            let sha: Option<String> = tx
                .query_row("SELECT scenario_sha256 FROM runs WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(sha) = sha else {
                return Ok(false);
            };
            tx.execute("DELETE FROM runs WHERE id = ?1", [id])?;
            tx.execute(
                "DELETE FROM sources WHERE sha256 = ?1 AND NOT EXISTS (SELECT 1 FROM runs WHERE scenario_sha256 = ?1)",
                [&sha],
            )?;
            tx.commit()?;
            Ok(true)
        })
    }

    /// Deletes a saved scenario (runs keep their own copy of its text);
    /// false if there is no such scenario.
    pub fn delete_scenario(&self, id: i64) -> Result<bool, DbError> {
        self.write(|c| Ok(c.execute("DELETE FROM scenarios WHERE id = ?1", [id])? == 1))
    }

    /// The exact text a run used.
    pub fn source(&self, sha256: &str) -> Result<Option<(String, String)>, DbError> {
        let c = self.conn()?;
        Ok(c.query_row(
            "SELECT format, text FROM sources WHERE sha256 = ?1",
            [sha256],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
    }

    /// `PRAGMA integrity_check` ("ok" when sound).
    pub fn integrity_check(&self) -> Result<String, DbError> {
        let c = self.conn()?;
        Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

const RUN_SELECT: &str = "SELECT id, lens, scenario_ref, scenario_title, scenario_sha256, params, seed, version, status, result, error, key_numbers, started, duration_ms, overrides FROM runs";
const RUN_SELECT_LIGHT: &str = "SELECT id, lens, scenario_ref, scenario_title, scenario_sha256, params, seed, version, status, NULL, error, key_numbers, started, duration_ms, overrides FROM runs";

fn row_scenario(r: &rusqlite::Row) -> rusqlite::Result<SavedScenario> {
    Ok(SavedScenario {
        id: r.get(0)?,
        name: r.get(1)?,
        format: r.get(2)?,
        source: r.get(3)?,
        sha256: r.get(4)?,
        created: r.get(5)?,
        updated: r.get(6)?,
    })
}

fn row_run(r: &rusqlite::Row) -> rusqlite::Result<Run> {
    let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(Run {
        id: r.get(0)?,
        lens: r.get(1)?,
        scenario: r.get(2)?,
        scenario_title: r.get(3)?,
        scenario_sha256: r.get(4)?,
        params: json(r.get(5)?).unwrap_or(serde_json::Value::Null),
        seed: r.get(6)?,
        version: r.get(7)?,
        status: r.get(8)?,
        result: json(r.get(9)?),
        error: r.get(10)?,
        key_numbers: r
            .get::<_, Option<String>>(11)?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default(),
        started: r.get(12)?,
        duration_ms: r.get(13)?,
        overrides: json(r.get(14)?),
    })
}

fn migrate(c: &mut Connection, path: &str) -> Result<(), DbError> {
    let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let supported = MIGRATIONS.len() as i64;
    if v > supported {
        return Err(DbError::TooNew {
            path: path.to_string(),
            found: v,
            supported,
        });
    }
    for (i, m) in MIGRATIONS.iter().enumerate().skip(v as usize) {
        let tx = c.transaction()?;
        tx.execute_batch(m)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("negotium-db-{}-{name}", std::process::id()));
        let _ = std::fs::remove_file(&d);
        d
    }

    #[test]
    fn sha256_matches_known_vector() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn migrates_once_and_stores_runs() {
        let p = tmp("m.sqlite");
        {
            let db = Db::open(&p).unwrap();
            let id = db.insert_scenario("s", "toml", "x = 1").unwrap();
            assert_eq!(
                db.get_scenario(id).unwrap().unwrap().sha256,
                sha256_hex("x = 1")
            );
            let params = serde_json::json!({"seed": 3});
            let res = serde_json::json!({"a": 1});
            let keys = [("a".to_string(), 1.0)].into_iter().collect();
            let rid = db
                .insert_run(&NewRun {
                    lens: "forecast",
                    scenario_ref: "1",
                    scenario_title: "S",
                    source: "x = 1",
                    format: "toml",
                    params: &params,
                    overrides: None,
                    seed: Some(3),
                    version: "t",
                    outcome: Ok((&res, &keys)),
                    duration_ms: 5,
                })
                .unwrap();
            let r = db.get_run(rid).unwrap().unwrap();
            assert_eq!(r.result, Some(res));
            assert_eq!(r.key_numbers["a"], 1.0);
            assert_eq!(db.list_runs(Some("1"), None, 10).unwrap().len(), 1);
            assert_eq!(db.list_runs(Some("2"), None, 10).unwrap().len(), 0);
            assert_eq!(db.list_runs(Some("1"), Some(rid), 10).unwrap().len(), 0);
            assert_eq!(db.count_runs(Some("1")).unwrap(), 1);
        }
        // Reopening keeps the data and does not re-run migrations.
        let db = Db::open(&p).unwrap();
        assert_eq!(db.list_runs(None, None, 10).unwrap().len(), 1);
        assert_eq!(db.integrity_check().unwrap(), "ok");
        let c = db.conn().unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop(c);
        // Deleting the only run that used a text deletes the text too.
        let rid = db.list_runs(None, None, 1).unwrap()[0].id;
        let sha = sha256_hex("x = 1");
        assert!(db.source(&sha).unwrap().is_some());
        assert!(db.delete_run(rid).unwrap());
        assert!(!db.delete_run(rid).unwrap());
        assert!(db.source(&sha).unwrap().is_none());
        assert_eq!(db.count_runs(None).unwrap(), 0);
    }

    #[test]
    fn refuses_newer_schema() {
        let p = tmp("new.sqlite");
        let c = Connection::open(&p).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        assert!(matches!(
            Db::open(&p),
            Err(DbError::TooNew { found: 99, .. })
        ));
    }
}
