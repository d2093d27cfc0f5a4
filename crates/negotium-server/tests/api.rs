//! The server end to end over real HTTP on loopback, running the real
//! lenses: scenarios, validation with locations, runs stored and compared,
//! CSV, escaping, limits, time limit and concurrency bound. A run hook holds
//! runs open (to test the time limit and the concurrency bound) and counts
//! how many run at once.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use negotium_server::{AppState, Config, RunHook};
use serde_json::{json, Value};

/// What the run hook does and saw: each run first sleeps `sleep_ms`; a run
/// whose params have `"seed": 13` fails; `peak` is the most runs at once.
#[derive(Default)]
struct Probe {
    now: AtomicUsize,
    peak: AtomicUsize,
    sleep_ms: AtomicU64,
}

fn hook(probe: Arc<Probe>) -> RunHook {
    Arc::new(move |_lens: &str, params: &Value| {
        let n = probe.now.fetch_add(1, Ordering::SeqCst) + 1;
        probe.peak.fetch_max(n, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(probe.sleep_ms.load(Ordering::SeqCst)));
        probe.now.fetch_sub(1, Ordering::SeqCst);
        if params["seed"] == json!(13) {
            Err("boom".into())
        } else {
            Ok(())
        }
    })
}

fn config(db: std::path::PathBuf, max_runs: usize, timeout_ms: u64) -> Config {
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        db_path: db,
        max_concurrent_runs: max_runs,
        run_timeout: Duration::from_millis(timeout_ms),
        max_body_bytes: 64 * 1024,
        ..Config::default()
    }
}

fn start(max_runs: usize, timeout_ms: u64) -> (SocketAddr, Arc<Probe>, std::path::PathBuf) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let db = std::env::temp_dir().join(format!(
        "negotium-srv-{}-{}.sqlite",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_file(&db);
    let probe = Arc::new(Probe::default());
    let state = AppState::new(config(db.clone(), max_runs, timeout_ms))
        .unwrap()
        .with_run_hook(hook(probe.clone()));
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
    (rx.recv_timeout(Duration::from_secs(10)).unwrap(), probe, db)
}

/// Minimal HTTP/1.1 client: (status, headers, body).
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    ctype: &str,
    body: &str,
) -> (u16, String, String) {
    http_with(addr, method, path, &[("Content-Type", ctype)], body)
}

/// [`http`] with any headers (`Host: localhost` unless given).
fn http_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str("Host: localhost\r\n");
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    write!(s, "{head}Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

/// A browser session: its cookie and the CSRF token its forms carry.
struct Session {
    cookie: String,
    csrf: String,
}

fn session(a: SocketAddr) -> Session {
    let (s, head, page) = http(a, "GET", "/scenarios/new", "text/plain", "");
    assert_eq!(s, 200);
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    let at = page.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    let csrf = page[at..at + 64].to_string();
    Session { cookie, csrf }
}

/// A same-origin form POST of `session` (the CSRF field added).
fn form_post(a: SocketAddr, ses: &Session, path: &str, body: &str) -> (u16, String, String) {
    http_with(
        a,
        "POST",
        path,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &ses.cookie),
        ],
        &format!("csrf={}&{body}", ses.csrf),
    )
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

    // The same lens on the saved scenario and on the same text inline, with
    // different EUM round limits.
    let (s, r1) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "forecast", "scenario": id, "params": {"model": "median,eum", "rounds": 2}}),
    );
    assert_eq!(s, 201, "{r1}");
    // Weighted median of 0.2 and 0.8 with equal weights: the lower median.
    assert_eq!(
        r1["result"]["issues"][0]["models"][0]["forecast"],
        json!(0.2)
    );
    assert_eq!(r1["key_numbers"]["i.median.forecast"], json!(0.2));
    assert_eq!(r1["seed"], json!(0));
    assert_eq!(
        r1["version"],
        json!(format!("negotium {}", env!("CARGO_PKG_VERSION")))
    );
    // The stored hash is the sha256 of the exact text.
    assert_eq!(
        r1["scenario_sha256"].as_str().unwrap(),
        negotium_server::db::sha256_hex(MINI)
    );
    // The stored result is the library's.
    let loaded =
        negotium_scenario::load_str(MINI, "x.toml", negotium_scenario::Format::Toml).unwrap();
    let direct = negotium_analysis::registry::run_json(
        "forecast",
        &loaded,
        &json!({"model": "median,eum", "rounds": 2}),
    )
    .unwrap();
    assert_eq!(r1["result"], direct);
    let (_, r2) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "forecast", "scenario": {"source": MINI}, "params": {"model": "median,eum", "rounds": 1}}),
    );
    let (s, cmp) = get(a, &format!("/api/compare?a={}&b={}", r1["id"], r2["id"]));
    assert_eq!(s, 200);
    let cmp: Value = serde_json::from_str(&cmp).unwrap();
    let rounds = |r: &Value| {
        r["result"]["issues"][0]["models"][1]["rounds"]
            .as_array()
            .unwrap()
            .len() as f64
    };
    let row = cmp["diff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "i.eum.rounds")
        .unwrap()
        .clone();
    assert_eq!(row["a"], json!(rounds(&r1)));
    assert_eq!(row["b"], json!(rounds(&r2)));
    assert_eq!(row["delta"], json!(rounds(&r2) - rounds(&r1)));
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
    // The forecast's tidy table: one row per issue and model.
    assert!(
        csv.lines().next().unwrap().contains("issue,model,forecast"),
        "{csv}"
    );
    assert!(csv.contains(",i,median,0.2,"), "{csv}");
    let (s, json_dl) = get(a, &format!("/api/runs/{}.json", r1["id"]));
    assert_eq!(s, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&json_dl).unwrap()["id"],
        r1["id"]
    );

    // A failing lens is stored as an error run and answered with 500.
    let (s, f) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "forecast", "scenario": id, "params": {"seed": 13}}),
    );
    assert_eq!(s, 500);
    assert_eq!(f["status"], json!("error"));
    let (_, runs) = get(a, "/api/runs");
    let runs: Value = serde_json::from_str(&runs).unwrap();
    assert_eq!(runs["runs"].as_array().unwrap().len(), 3);
    // Params that do not suit the lens: 422 naming the key.
    let (s, e) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "forecast", "scenario": id, "params": {"colour": 1}}),
    );
    assert_eq!(s, 422);
    assert_eq!(e["error"]["kind"], json!("bad_input"), "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("params.colour"),
        "{e}"
    );
    // The vote lens is offered: it runs on a scenario with institutions …
    let (s, v) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "vote", "scenario": "kosovo-status", "params": {"issue": "status", "proposal": 50.0}}),
    );
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["status"], json!("ok"), "{v}");
    // … and this scenario has none: 422.
    let (s, e) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "vote", "scenario": id, "params": {"issue": "i", "proposal": 0.5}}),
    );
    assert_eq!(s, 422, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("institution"),
        "{e}"
    );
    // A stored analyze run's page opens with the verdict, in plain
    // sentences (states named by their options), the JSON below it.
    let (s, v) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "analyze", "scenario": "kosovo-status"}),
    );
    assert_eq!(s, 201, "{v}");
    let (s, page) = get(a, &format!("/runs/{}", v["id"]));
    assert_eq!(s, 200);
    let verdict = page.find("<h2>Verdict</h2>").expect("a verdict section");
    let json = page
        .find("The whole result (JSON)")
        .expect("the result below");
    assert!(verdict < json);
    assert!(page.contains("state 101: Kosovo declares independence"));
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
    assert_eq!(v["error"]["diagnostics"][0]["line"], json!(line), "{v}");
    // The editor page shows it as text at line:column.
    let form = format!("name=x&format=toml&action=save&source={}", urlencode(&bad));
    let (s, _, page) = form_post(a, &session(a), "/scenarios", &form);
    assert_eq!(s, 422);
    assert!(page.contains(&format!("line {line}, column 14")), "{page}");
    // A run on an invalid inline scenario is refused with the diagnostics.
    let (s, v) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "forecast", "scenario": {"source": bad}}),
    );
    assert_eq!(s, 422);
    assert!(v["error"]["diagnostics"].is_array(), "{v}");
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
    let (_, r) = post_json(a, "/api/runs", &json!({"lens": "forecast", "scenario": id}));
    let (s, page) = get(a, &format!("/runs/{}", r["id"]));
    assert_eq!(s, 200);
    assert!(!page.contains("<script>alert"));
    // Run via the HTML form: redirect to the run page.
    let (s, head, _) = form_post(
        a,
        &session(a),
        "/runs",
        &format!("lens=forecast&scenario={id}&p_model=median&p_rounds="),
    );
    assert_eq!(s, 303, "{head}");
    assert!(head.contains("location: /runs/"));
    let (s, _) = get(a, &format!("/compare?a={}&b={}", r["id"], r["id"]));
    assert_eq!(s, 200);
}

#[test]
fn limits_time_and_concurrency() {
    let (a, probe, _) = start(2, 400);
    // Body limit: 64 KiB configured.
    let big = "x".repeat(100 * 1024);
    let (s, _) = post_json(a, "/api/validate", &json!({"source": big}));
    assert_eq!(s, 413);
    // Time limit: a 1.5 s run against a 0.4 s limit.
    probe.sleep_ms.store(1500, Ordering::SeqCst);
    let (s, v) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "forecast", "scenario": {"source": MINI}}),
    );
    assert_eq!(s, 504, "{v}");
    std::thread::sleep(Duration::from_millis(1300));
    // Concurrency: 6 runs at once never exceed 2 in the lenses.
    probe.sleep_ms.store(60, Ordering::SeqCst);
    probe.peak.store(0, Ordering::SeqCst);
    let hs: Vec<_> = (0..6)
        .map(|_| {
            std::thread::spawn(move || {
                post_json(
                    a,
                    "/api/runs",
                    &json!({"lens": "forecast", "scenario": {"source": MINI}}),
                )
                .0
            })
        })
        .collect();
    let codes: Vec<u16> = hs.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(codes.iter().all(|c| *c == 201 || *c == 503), "{codes:?}");
    assert!(codes.contains(&201));
    assert!(
        probe.peak.load(Ordering::SeqCst) <= 2,
        "peak {}",
        probe.peak.load(Ordering::SeqCst)
    );
}

#[test]
fn database_survives_restart() {
    let (a, _, db) = start(2, 5_000);
    let (_, r) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "conflict", "scenario": "kosovo-status"}),
    );
    let id = r["id"].as_i64().unwrap();
    let store = negotium_server::Db::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.get_run(id).unwrap().unwrap().lens, "conflict");
    // The conflict lens ran: the historical end state is among its Nash equilibria.
    let end = &r["result"]["historical"]["state"];
    assert!(r["result"]["equilibria"]["nash"]
        .as_array()
        .unwrap()
        .contains(end));
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
    let probe = Arc::new(Probe::default());
    probe.sleep_ms.store(500, Ordering::SeqCst);
    let state = AppState::new(config(db.clone(), 2, 10_000))
        .unwrap()
        .with_run_hook(hook(probe));
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
            &json!({"lens": "forecast", "scenario": {"source": MINI}}),
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

#[test]
fn preview_applies_overrides_without_storing() {
    let (a, _, _) = start(2, 5_000);
    let (_, v) = post_json(a, "/api/scenarios", &json!({"source": MINI}));
    let id = v["id"].as_str().unwrap().to_string();
    let fc = |v: &Value, model: &str| {
        v["key_numbers"][format!("i.{model}.forecast")]
            .as_f64()
            .unwrap()
    };
    let run = |ov: Value| {
        post_json(
            a,
            "/api/preview",
            &json!({"lens": "forecast", "scenario": id, "params": {"model": ["median", "compromise"]}, "overrides": ov}),
        )
    };
    let (s, base) = run(json!({}));
    assert_eq!(s, 200, "{base}");
    // Equal weights 0.5 at 0.2 and 0.8: the compromise is the mean.
    assert!((fc(&base, "compromise") - 0.5).abs() < 1e-9, "{base}");
    // A's capability 1 → 3: weights 1.5 and 0.5; the median moves to A's
    // 0.2 and the compromise to (1.5·0.2 + 0.5·0.8) / 2 = 0.35.
    let (s, w) = run(json!({"capability": {"A": 3.0}}));
    assert_eq!(s, 200, "{w}");
    assert!((fc(&w, "median") - 0.2).abs() < 1e-9, "{w}");
    assert!((fc(&w, "compromise") - 0.35).abs() < 1e-9, "{w}");
    // B's position 0.8 → 0.2 (A's capability unchanged): everyone at 0.2.
    let (_, w) = run(json!({"stances": [{"actor": "B", "issue": "i", "position": 0.2}]}));
    assert!((fc(&w, "compromise") - 0.2).abs() < 1e-9, "{w}");
    // Nothing was stored.
    let (_, runs) = get(a, "/api/runs");
    assert_eq!(
        serde_json::from_str::<Value>(&runs).unwrap()["total"],
        json!(0)
    );
    // Bad overrides: 422 naming the override.
    for (ov, path) in [
        (json!({"capability": {"Z": 1.0}}), "overrides.capability.Z"),
        (json!({"capability": {"A": -1.0}}), "overrides.capability.A"),
        (
            json!({"stances": [{"actor": "A", "issue": "i", "position": 7.0}]}),
            "overrides.stances[0].position",
        ),
        (
            json!({"stances": [{"actor": "A", "issue": "i", "salience": 2.0}]}),
            "overrides.stances[0].salience",
        ),
    ] {
        let (s, e) = run(ov.clone());
        assert_eq!(s, 422, "{ov}: {e}");
        assert_eq!(e["error"]["kind"], json!("invalid_scenario"), "{e}");
        assert_eq!(e["error"]["diagnostics"][0]["path"], json!(path), "{e}");
    }
    // Stored with its overrides when asked.
    let (s, r) = post_json(
        a,
        "/api/runs",
        &json!({"lens": "forecast", "scenario": id, "overrides": {"capability": {"A": 3.0}}}),
    );
    assert_eq!(s, 201, "{r}");
    assert_eq!(
        r["overrides"],
        json!({"capability": {"A": 3.0}, "stances": []}),
        "{r}"
    );
}

#[test]
fn slow_clients_are_cut_off() {
    static N: AtomicUsize = AtomicUsize::new(0);
    let db = std::env::temp_dir().join(format!(
        "negotium-srv-slow-{}-{}.sqlite",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_file(&db);
    let cfg = Config {
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
        ..config(db, 1, 5_000)
    };
    let state = AppState::new(cfg).unwrap();
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
    let a = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    // Headers that never finish: the connection is closed.
    let mut s = TcpStream::connect(a).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    let t = std::time::Instant::now();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    // A body that never arrives: 408 as JSON.
    let mut s = TcpStream::connect(a).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"POST /api/validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{").unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"slow_request\""), "{text}");
    assert_eq!(get(a, "/api/health").0, 200);
}

#[test]
fn runs_page_and_delete() {
    let (a, _, _) = start(2, 5_000);
    let (_, v) = post_json(a, "/api/scenarios", &json!({"source": MINI}));
    let sid = v["id"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for seed in 0..5 {
        let (s, r) = post_json(
            a,
            "/api/runs",
            &json!({"lens": "forecast", "scenario": sid, "params": {"seed": seed}}),
        );
        assert_eq!(s, 201, "{r}");
        ids.push(r["id"].as_i64().unwrap());
    }
    // Pages of 2, newest first, following `next` to the end.
    let mut seen = Vec::new();
    let mut next = Some("/api/runs?limit=2".to_string());
    while let Some(p) = next {
        let (s, b) = get(a, &p);
        assert_eq!(s, 200, "{p}: {b}");
        let v: Value = serde_json::from_str(&b).unwrap();
        assert_eq!(v["total"], json!(5));
        assert!(v["runs"].as_array().unwrap().len() <= 2);
        seen.extend(
            v["runs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap()),
        );
        next = v["next"].as_str().map(str::to_string);
    }
    let mut want = ids.clone();
    want.reverse();
    assert_eq!(seen, want);
    // Delete through the API: gone, counted out, a second delete is 404.
    let (s, _, b) = http(
        a,
        "DELETE",
        &format!("/api/runs/{}", ids[0]),
        "application/json",
        "",
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(get(a, &format!("/api/runs/{}", ids[0])).0, 404);
    let (s, _, _) = http(
        a,
        "DELETE",
        &format!("/api/runs/{}", ids[0]),
        "application/json",
        "",
    );
    assert_eq!(s, 404);
    let (_, b) = get(a, "/api/runs");
    assert_eq!(
        serde_json::from_str::<Value>(&b).unwrap()["total"],
        json!(4)
    );
    // Delete through a page's form (with its CSRF token): back to the history.
    let (s, head, _) = form_post(a, &session(a), &format!("/runs/{}/delete", ids[1]), "");
    assert_eq!(s, 303, "{head}");
    assert_eq!(get(a, &format!("/api/runs/{}", ids[1])).0, 404);
    // The HTML history pages too.
    let (s, page) = get(a, &format!("/runs?before={}", ids[4]));
    assert_eq!(s, 200);
    assert!(
        page.contains(&format!("href=\"/runs/{}\"", ids[3])),
        "{page}"
    );
    assert!(
        !page.contains(&format!("href=\"/runs/{}\"", ids[4])),
        "{page}"
    );
    // A saved scenario can be deleted; its runs stay readable. Built-ins cannot.
    let (s, _, _) = http(
        a,
        "DELETE",
        &format!("/api/scenarios/{sid}"),
        "application/json",
        "",
    );
    assert_eq!(s, 200);
    assert_eq!(get(a, &format!("/api/scenarios/{sid}")).0, 404);
    assert_eq!(get(a, &format!("/api/runs/{}", ids[2])).0, 200);
    assert_eq!(get(a, &format!("/runs/{}", ids[2])).0, 200);
    let (s, _, _) = http(
        a,
        "DELETE",
        "/api/scenarios/kosovo-status",
        "application/json",
        "",
    );
    assert_eq!(s, 400);
}
