//! The server end to end over real HTTP on loopback, with a fake runner:
//! scenarios, validation with locations, runs stored and compared, CSV,
//! escaping, limits, time limit and concurrency bound.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use negotium_scenario::Loaded;
use negotium_server::{
    AppState, Config, LensInfo, ParamInfo, ParamKind, RunError, RunOutput, Runner,
};
use serde_json::{json, Value};

/// "echo" returns the actor count times the `k` param; "sleep" sleeps `ms`;
/// "fail" fails. Tracks the most runs seen at once.
struct Fake {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl Runner for Fake {
    fn lenses(&self) -> Vec<LensInfo> {
        let l = |id: &str| LensInfo {
            id: id.into(),
            title: id.into(),
            description: format!("fake {id}"),
            params: vec![ParamInfo {
                name: "k".into(),
                kind: ParamKind::Integer,
                default: json!(1),
                help: "factor".into(),
            }],
            needs: vec![],
        };
        vec![l("echo"), l("sleep"), l("fail")]
    }
    fn run(&self, lens: &str, s: &Loaded, p: &Value) -> Result<RunOutput, RunError> {
        let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(n, Ordering::SeqCst);
        let out = match lens {
            "echo" => {
                let k = p["k"].as_f64().unwrap_or(1.0);
                let v = s.scenario.inputs.actors.len() as f64 * k;
                Ok(RunOutput {
                    result: json!({"actors": v, "title": s.scenario.scenario.title}),
                    seed: Some(7),
                    key_numbers: BTreeMap::from([("actors".to_string(), v)]),
                })
            }
            "sleep" => {
                std::thread::sleep(Duration::from_millis(p["ms"].as_u64().unwrap_or(300)));
                Ok(RunOutput {
                    result: json!({}),
                    seed: None,
                    key_numbers: BTreeMap::new(),
                })
            }
            _ => Err(RunError::Failed("boom".into())),
        };
        self.now.fetch_sub(1, Ordering::SeqCst);
        out
    }
    fn version(&self) -> String {
        "fake 1".into()
    }
}

fn start(max_runs: usize, timeout_ms: u64) -> (SocketAddr, Arc<Fake>, std::path::PathBuf) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let db = std::env::temp_dir().join(format!(
        "negotium-srv-{}-{}.sqlite",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_file(&db);
    let fake = Arc::new(Fake {
        now: AtomicUsize::new(0),
        peak: AtomicUsize::new(0),
    });
    let cfg = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        db_path: db.clone(),
        max_concurrent_runs: max_runs,
        run_timeout: Duration::from_millis(timeout_ms),
        max_body_bytes: 64 * 1024,
    };
    let state = AppState::new(cfg, fake.clone()).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(negotium_server::serve(
            state,
            std::future::pending(),
            move |a| tx.send(a).unwrap(),
        ))
        .unwrap();
    });
    (rx.recv_timeout(Duration::from_secs(10)).unwrap(), fake, db)
}

/// Minimal HTTP/1.1 client: (status, headers, body).
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    ctype: &str,
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

fn get(a: SocketAddr, p: &str) -> (u16, String) {
    let (s, _, b) = http(a, "GET", p, "text/plain", "");
    (s, b)
}

fn post_json(a: SocketAddr, p: &str, v: &Value) -> (u16, Value) {
    let (s, _, b) = http(a, "POST", p, "application/json", &v.to_string());
    (s, serde_json::from_str(&b).unwrap_or(Value::String(b)))
}

const MINI: &str = "[scenario]\nid = \"x\"\ntitle = \"<script>alert(1)</script>\"\n\n[[issue]]\nid = \"i\"\nname = \"I\"\nmin = 0.0\nmax = 1.0\n\n[[actor]]\nid = \"A\"\nname = \"A\"\ncapability = 1.0\n\n[[actor]]\nid = \"B\"\nname = \"B\"\ncapability = 1.0\n\n[[stance]]\nactor = \"A\"\nissue = \"i\"\nposition = 0.2\nsalience = 0.5\n\n[[stance]]\nactor = \"B\"\nissue = \"i\"\nposition = 0.8\nsalience = 0.5\n";

#[test]
fn scenarios_runs_compare_and_downloads() {
    let (a, _, _) = start(2, 5_000);
    let (s, v) = post_json(a, "/api/scenarios", &json!({"source": MINI}));
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let (_, list) = get(a, "/api/scenarios");
    let list: Value = serde_json::from_str(&list).unwrap();
    let ids: Vec<&str> = list["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"kosovo-status") && ids.contains(&id.as_str()));

    let (s, r1) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "echo", "scenario": id, "params": {"k": 2}}),
    );
    assert_eq!(s, 201, "{r1}");
    assert_eq!(r1["result"]["actors"], json!(4.0));
    assert_eq!(r1["seed"], json!(7));
    assert_eq!(r1["version"], json!("fake 1"));
    // The stored hash is the sha256 of the exact text.
    assert_eq!(
        r1["scenario_sha256"].as_str().unwrap(),
        negotium_server::db::sha256_hex(MINI)
    );
    let (_, r2) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "echo", "scenario": {"source": MINI}, "params": {"k": 3}}),
    );
    let (s, cmp) = get(a, &format!("/api/compare?a={}&b={}", r1["id"], r2["id"]));
    assert_eq!(s, 200);
    let cmp: Value = serde_json::from_str(&cmp).unwrap();
    assert_eq!(
        cmp["diff"][0],
        json!({"key": "actors", "a": 4.0, "b": 6.0, "delta": 2.0})
    );
    assert_eq!(cmp["same_scenario"], json!(true));

    let (s, head, csv) = http(
        a,
        "GET",
        &format!("/api/runs/{}.csv", r1["id"]),
        "text/plain",
        "",
    );
    assert_eq!(s, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/csv"));
    assert!(csv.starts_with("path,value\r\n"));
    assert!(csv.contains("result.actors,4.0\r\n"));
    let (s, json_dl) = get(a, &format!("/api/runs/{}.json", r1["id"]));
    assert_eq!(s, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&json_dl).unwrap()["id"],
        r1["id"]
    );

    // A failing lens is stored as an error run and answered with 500.
    let (s, f) = post_json(a, "/api/runs", &json!({"lens": "fail", "scenario": id}));
    assert_eq!(s, 500);
    assert_eq!(f["status"], json!("error"));
    let (_, runs) = get(a, "/api/runs");
    let runs: Value = serde_json::from_str(&runs).unwrap();
    assert_eq!(runs["runs"].as_array().unwrap().len(), 3);
    // Unknown lens and run.
    assert_eq!(
        post_json(a, "/api/runs", &json!({"lens": "nope", "scenario": id})).0,
        404
    );
    assert_eq!(get(a, "/api/runs/999").0, 404);
    assert_eq!(get(a, "/api/runs/abc.csv").0, 404);
}

#[test]
fn validation_errors_carry_line_and_column() {
    let (a, _, _) = start(2, 5_000);
    let bad = MINI.replace(
        "capability = 1.0\n\n[[actor]]",
        "capability = \"lots\"\n\n[[actor]]",
    );
    let (s, v) = post_json(a, "/api/validate", &json!({"source": bad}));
    assert_eq!(s, 200);
    assert_eq!(v["valid"], json!(false));
    let d = &v["diagnostics"][0];
    let line = bad.lines().position(|l| l.contains("\"lots\"")).unwrap() + 1;
    assert_eq!(d["line"], json!(line), "{v}");
    assert_eq!(d["column"], json!(14));
    let (s, v) = post_json(a, "/api/scenarios", &json!({"source": bad}));
    assert_eq!(s, 422);
    assert_eq!(v["diagnostics"][0]["line"], json!(line));
    // The editor page shows it as text at line:column.
    let form = format!("name=x&format=toml&action=save&source={}", urlencode(&bad));
    let (s, _, page) = http(
        a,
        "POST",
        "/scenarios",
        "application/x-www-form-urlencoded",
        &form,
    );
    assert_eq!(s, 422);
    assert!(page.contains(&format!("line {line}, column 14")), "{page}");
    // A run on an invalid inline scenario is refused with the diagnostics.
    let (s, v) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "echo", "scenario": {"source": bad}}),
    );
    assert_eq!(s, 422);
    assert!(v["diagnostics"].is_array());
    // Bad JSON bodies get a JSON error.
    let (s, _, b) = http(a, "POST", "/api/validate", "application/json", "{nope");
    assert_eq!(s, 400);
    assert!(b.contains("\"error\""));
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn pages_escape_user_strings() {
    let (a, _, _) = start(2, 5_000);
    let (_, v) = post_json(a, "/api/scenarios", &json!({"source": MINI}));
    let id = v["id"].as_str().unwrap();
    for p in [
        "/".to_string(),
        format!("/scenarios/{id}"),
        format!("/scenarios/{id}/edit"),
    ] {
        let (s, page) = get(a, &p);
        assert_eq!(s, 200, "{p}");
        assert!(!page.contains("<script>alert"), "{p} shows raw markup");
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{p}"
        );
    }
    let (_, r) = post_json(a, "/api/runs", &json!({"lens": "echo", "scenario": id}));
    let (s, page) = get(a, &format!("/runs/{}", r["id"]));
    assert_eq!(s, 200);
    assert!(!page.contains("<script>alert"));
    // Run via the HTML form: redirect to the run page.
    let (s, head, _) = http(
        a,
        "POST",
        "/runs",
        "application/x-www-form-urlencoded",
        &format!("lens=echo&scenario={id}&p_k=5"),
    );
    assert_eq!(s, 303, "{head}");
    assert!(head.contains("location: /runs/"));
    let (s, _) = get(a, &format!("/compare?a={}&b={}", r["id"], r["id"]));
    assert_eq!(s, 200);
}

#[test]
fn limits_time_and_concurrency() {
    let (a, fake, _) = start(2, 400);
    // Body limit: 64 KiB configured.
    let big = "x".repeat(100 * 1024);
    let (s, _) = post_json(a, "/api/validate", &json!({"source": big}));
    assert_eq!(s, 413);
    // Time limit: a 1.5 s run against a 0.4 s limit.
    let (s, v) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "sleep", "scenario": {"source": MINI}, "params": {"ms": 1500}}),
    );
    assert_eq!(s, 504, "{v}");
    std::thread::sleep(Duration::from_millis(1300));
    // Concurrency: 6 runs at once never exceed 2 in the runner.
    let hs: Vec<_> = (0..6)
        .map(|_| {
            std::thread::spawn(move || {
                post_json(
                    a,
                    "/api/runs",
                    &json!({"lens": "sleep", "scenario": {"source": MINI}, "params": {"ms": 60}}),
                )
                .0
            })
        })
        .collect();
    let codes: Vec<u16> = hs.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(codes.iter().all(|c| *c == 201 || *c == 503), "{codes:?}");
    assert!(codes.contains(&201));
    assert!(
        fake.peak.load(Ordering::SeqCst) <= 2,
        "peak {}",
        fake.peak.load(Ordering::SeqCst)
    );
}

#[test]
fn database_survives_restart() {
    let (a, _, db) = start(2, 5_000);
    let (_, r) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "echo", "scenario": "kosovo-status"}),
    );
    let id = r["id"].as_i64().unwrap();
    let store = negotium_server::Db::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.get_run(id).unwrap().unwrap().lens, "echo");
    let (fmt, text) = store
        .source(r["scenario_sha256"].as_str().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(fmt, "toml");
    assert_eq!(
        negotium_server::db::sha256_hex(&text),
        r["scenario_sha256"].as_str().unwrap()
    );
}

#[test]
fn graceful_shutdown_finishes_in_flight_runs() {
    let db = std::env::temp_dir().join(format!(
        "negotium-srv-{}-shutdown.sqlite",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&db);
    let fake = Arc::new(Fake {
        now: AtomicUsize::new(0),
        peak: AtomicUsize::new(0),
    });
    let cfg = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        db_path: db.clone(),
        max_concurrent_runs: 2,
        run_timeout: Duration::from_secs(10),
        max_body_bytes: 64 * 1024,
    };
    let state = AppState::new(cfg, fake).unwrap();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(negotium_server::serve(
            state,
            async {
                let _ = stop_rx.await;
            },
            move |a| addr_tx.send(a).unwrap(),
        ))
    });
    let a = addr_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    // A slow run is in flight when the stop signal arrives; it still completes.
    let client = std::thread::spawn(move || {
        post_json(
            a,
            "/api/runs",
            &json!({"lens": "sleep", "scenario": {"source": MINI}, "params": {"ms": 500}}),
        )
    });
    std::thread::sleep(Duration::from_millis(150));
    stop_tx.send(()).unwrap();
    let (status, run) = client.join().unwrap();
    assert_eq!(status, 201, "{run}");
    assert!(server.join().unwrap().is_ok());
    // Stopped: new connections are refused, and the run is stored.
    assert!(TcpStream::connect(a).is_err());
    let store = negotium_server::Db::open(&db).unwrap();
    assert!(store
        .get_run(run["id"].as_i64().unwrap())
        .unwrap()
        .is_some());
}
