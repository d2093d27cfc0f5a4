//! `negotium serve` under hostile clients, as shipped (lens runs in worker
//! processes): DNS-rebinding Hosts, cross-site form and API posts, missing
//! CSRF tokens, oversized and malformed bodies, wrong content types, path
//! traversal in every id, huge parameters, a deeply nested formula, runs
//! past the time limit (their slot is freed at once), the access token off
//! loopback. Every answer's status is checked, API errors are JSON, and the
//! server must still answer `/api/health` afterwards.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A running `negotium serve`, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    _dir: TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn serve(extra: &[&str]) -> Server {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "negotium-hostile-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("wb.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_negotium"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start negotium serve");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let at = line
        .find("http://")
        .unwrap_or_else(|| panic!("no address in `{line}`"))
        + 7;
    let addr: SocketAddr = line[at..]
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|e| panic!("{e}: `{line}`"));
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while err.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
            sink.clear();
        }
    });
    Server {
        child,
        addr,
        _dir: TempDir(dir),
    }
}

/// One request on a fresh connection: (status, head, body). A body the
/// server stops reading (413) may fail to send: the answer is read anyway.
fn req(
    a: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, String) {
    let mut s = TcpStream::connect(a).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {a}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in `{head}`"));
    (status, head.to_ascii_lowercase(), body.to_string())
}

const JSON: (&str, &str) = ("Content-Type", "application/json");
const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

/// The JSON error of an API answer: (kind, message).
fn api_error(status: u16, head: &str, body: &str) -> (String, String) {
    assert!(
        head.contains("content-type: application/json"),
        "{status}: {head}\n{body}"
    );
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (
        v["error"]["kind"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_string(),
        v["error"]["message"].as_str().unwrap_or("").to_string(),
    )
}

fn health(a: SocketAddr) -> u16 {
    req(a, "GET", "/api/health", &[], b"").0
}

const MINI: &str = "[scenario]\nid = \"x\"\ntitle = \"T\"\n\n[[issue]]\nid = \"i\"\nname = \"I\"\nmin = 0.0\nmax = 1.0\n\n[[actor]]\nid = \"A\"\nname = \"A\"\ncapability = 1.0\n\n[[actor]]\nid = \"B\"\nname = \"B\"\ncapability = 1.0\n\n[[stance]]\nactor = \"A\"\nissue = \"i\"\nposition = 0.2\nsalience = 0.5\n\n[[stance]]\nactor = \"B\"\nissue = \"i\"\nposition = 0.8\nsalience = 0.5\n";

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
fn hostile_clients_get_status_codes_and_the_server_stays_up() {
    let srv = serve(&[
        "--max-runs",
        "1",
        "--run-timeout",
        "1",
        "--max-body-kib",
        "256",
    ]);
    let a = srv.addr;
    assert_eq!(health(a), 200);

    // A saved scenario to attack.
    let (s, _, b) = req(
        a,
        "POST",
        "/api/scenarios",
        &[JSON],
        json!({"source": MINI}).to_string().as_bytes(),
    );
    assert_eq!(s, 201, "{b}");
    let id = serde_json::from_str::<Value>(&b).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // DNS rebinding: a foreign Host is refused on reads and writes.
    for (m, p) in [
        ("GET", "/"),
        ("GET", "/api/scenarios"),
        ("POST", "/api/runs"),
    ] {
        let (s, h, b) = req(a, m, p, &[("Host", "evil.example"), JSON], b"{}");
        assert_eq!(s, 403, "{m} {p}: {b}");
        if p.starts_with("/api") {
            assert_eq!(api_error(s, &h, &b).0, "bad_host");
        }
    }
    // The right name on another port is foreign too.
    assert_eq!(req(a, "GET", "/", &[("Host", "localhost:1")], b"").0, 403);

    // Cross-site form posts (no token, or a token): refused, scenario unchanged.
    let evil = MINI.replace("title = \"T\"", "title = \"PWNED\"");
    let form = format!(
        "name=pwned&format=toml&action=save&source={}",
        urlencode(&evil)
    );
    for hdr in [
        ("Origin", "http://evil.example"),
        ("Sec-Fetch-Site", "cross-site"),
        ("Origin", "null"),
    ] {
        for path in [
            "/scenarios".to_string(),
            format!("/scenarios/{id}"),
            format!("/scenarios/{id}/delete"),
        ] {
            let (s, _, b) = req(a, "POST", &path, &[FORM, hdr], form.as_bytes());
            assert_eq!(s, 403, "{path} {hdr:?}: {b}");
        }
    }
    // Same origin but no CSRF field (a form from a page that is not ours).
    let (s, _, _) = req(
        a,
        "POST",
        &format!("/scenarios/{id}"),
        &[FORM],
        form.as_bytes(),
    );
    assert_eq!(s, 403);
    // The API refuses cross-origin JSON and the form-encodable content types.
    let (s, h, b) = req(
        a,
        "POST",
        "/api/runs",
        &[JSON, ("Origin", "http://evil.example")],
        b"{}",
    );
    assert_eq!((s, api_error(s, &h, &b).0.as_str()), (403, "cross_site"));
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let body = json!({"lens": "forecast", "scenario": id}).to_string();
        let (s, h, b) = req(
            a,
            "POST",
            "/api/runs",
            &[("Content-Type", ct)],
            body.as_bytes(),
        );
        assert_eq!(
            (s, api_error(s, &h, &b).0.as_str()),
            (415, "unsupported_media_type"),
            "{ct}"
        );
    }
    let (s, h, b) = req(
        a,
        "DELETE",
        &format!("/api/scenarios/{id}"),
        &[("Sec-Fetch-Site", "cross-site")],
        b"",
    );
    assert_eq!((s, api_error(s, &h, &b).0.as_str()), (403, "cross_site"));
    let (_, _, b) = req(a, "GET", &format!("/api/scenarios/{id}"), &[], b"");
    let v: Value = serde_json::from_str(&b).unwrap();
    assert_eq!(v["source"], json!(MINI), "the saved scenario is unchanged");

    // Bodies: 10 MB refused by its declared length; malformed and wrong-shape JSON.
    let big = vec![b'x'; 10 * 1024 * 1024];
    let (s, h, b) = req(a, "POST", "/api/validate", &[JSON], &big);
    assert_eq!((s, api_error(s, &h, &b).0.as_str()), (413, "too_large"));
    let (s, _, _) = req(a, "POST", "/scenarios", &[FORM], &big);
    assert_eq!(s, 413);
    for (body, want, kind) in [
        ("{nope", 400, "bad_request"),
        ("{\"lens\": \"forecast\", \"scen", 400, "bad_request"),
        ("\"just a string\"", 422, "bad_input"),
        ("{\"lens\": 7, \"scenario\": 1}", 422, "bad_input"),
        (
            "{\"lens\": \"forecast\", \"scenario\": 1, \"extra\": 1}",
            422,
            "bad_input",
        ),
        (
            "{\"lens\": \"forecast\", \"scenario\": \"kosovo-status\", \"params\": [1]}",
            400,
            "bad_request",
        ),
        (
            "{\"lens\": \"forecast\", \"scenario\": \"no-such\"}",
            404,
            "not_found",
        ),
        (
            "{\"lens\": \"rm -rf\", \"scenario\": \"kosovo-status\"}",
            404,
            "not_found",
        ),
    ] {
        let (s, h, b) = req(a, "POST", "/api/runs", &[JSON], body.as_bytes());
        assert_eq!(
            (s, api_error(s, &h, &b).0.as_str()),
            (want, kind),
            "{body}: {b}"
        );
    }
    // Deep JSON nesting is refused by the parser, not by the stack.
    let deep = format!(
        "{{\"lens\": \"forecast\", \"scenario\": 1, \"params\": {{\"a\": {}}}}}",
        "[".repeat(100_000)
    );
    let (s, h, b) = req(a, "POST", "/api/runs", &[JSON], deep.as_bytes());
    assert!(s == 400 || s == 422, "{s}: {b}");
    assert!(api_error(s, &h, &b).1.contains("recursion limit"), "{b}");

    // Path traversal in every id: not found, never a file.
    for p in [
        "/api/runs/..%2F..%2Fetc%2Fpasswd",
        "/api/runs/1.%2E%2Fx",
        "/api/scenarios/..%2F..%2Fetc%2Fpasswd",
        "/api/scenarios/%2Fetc%2Fpasswd",
        "/scenarios/..%2F..%2Fetc%2Fpasswd",
        "/runs/..%2F1",
        "/static/..%2F..%2FCargo.toml",
        "/static/../../../etc/passwd",
        "/api/../../etc/passwd",
    ] {
        let (s, _, b) = req(a, "GET", p, &[], b"");
        assert_eq!(s, 404, "{p}: {b}");
        assert!(!b.contains("root:"), "{p}");
    }

    // Huge or malformed query parameters: JSON errors.
    for (p, want) in [
        ("/api/runs?limit=1000000000000000000000000", 400),
        ("/api/runs?limit=5000", 422),
        ("/api/runs?limit=0", 422),
        ("/api/runs?before=abc", 400),
        ("/api/runs?colour=red", 400),
        ("/api/compare?a=1", 400),
    ] {
        let (s, h, b) = req(a, "GET", p, &[], b"");
        assert_eq!(s, want, "{p}: {b}");
        api_error(s, &h, &b);
    }
    let long = format!("/api/runs?scenario={}", "a".repeat(200_000));
    let (s, _, _) = req(a, "GET", &long, &[], b"");
    assert!(s == 431 || s == 414 || s == 400, "a 200 KB URL: {s}");

    // Huge size-like parameters: refused before any work, naming the parameter.
    for (lens, params) in [
        ("negotiate", json!({"steps": 1_000_000_000u64})),
        ("power", json!({"samples": 1e12})),
        ("forecast", json!({"rounds": 1e300})),
    ] {
        let body = json!({"lens": lens, "scenario": "kosovo-status", "params": params}).to_string();
        let (s, h, b) = req(a, "POST", "/api/runs", &[JSON], body.as_bytes());
        assert_eq!(s, 422, "{lens} {params}: {b}");
        api_error(s, &h, &b);
    }

    // A formula nested 20,000 deep: a located refusal, the server serves on.
    let nested = format!("{}x{}", "(".repeat(20_000), ")".repeat(20_000));
    let body =
        json!({"lens": "conflict", "scenario": "kosovo-status", "params": {"status_quo": nested}})
            .to_string();
    let (s, h, b) = req(a, "POST", "/api/runs", &[JSON], body.as_bytes());
    assert_eq!(
        (s, api_error(s, &h, &b).0.as_str()),
        (422, "bad_input"),
        "{b}"
    );
    assert_eq!(health(a), 200);

    // Runs past the 1 s limit (one slot): each 504, its worker killed, and
    // the slot free at once for the next run. (A tournament of 1,000,000-step
    // negotiations: one such negotiation alone now ends within the second.)
    let slow = json!({"lens": "tournament", "scenario": "kosovo-status",
        "params": {"steps": 1_000_000, "repetitions": 20}})
    .to_string();
    for _ in 0..2 {
        let t = Instant::now();
        let (s, h, b) = req(a, "POST", "/api/runs", &[JSON], slow.as_bytes());
        assert_eq!(
            (s, api_error(s, &h, &b).0.as_str()),
            (504, "timeout"),
            "{b}"
        );
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    }
    let quick = json!({"lens": "forecast", "scenario": id}).to_string();
    let (s, _, b) = req(a, "POST", "/api/runs", &[JSON], quick.as_bytes());
    assert_eq!(s, 201, "the slot was released: {b}");

    // Every response carries the security headers.
    let (_, h, _) = req(a, "GET", "/", &[], b"");
    for want in [
        "content-security-policy: default-src 'none'; script-src 'self'",
        "x-frame-options: deny",
        "x-content-type-options: nosniff",
        "referrer-policy: same-origin",
    ] {
        assert!(h.contains(want), "{want}: {h}");
    }
    assert_eq!(health(a), 200, "the server is still up");
}

#[test]
fn a_token_guards_every_request_when_set() {
    let token = "0123456789abcdef0123";
    let srv = serve(&["--token", token]);
    let a = srv.addr;
    let (s, h, b) = req(a, "GET", "/api/health", &[], b"");
    assert_eq!((s, api_error(s, &h, &b).0.as_str()), (401, "unauthorized"));
    assert_eq!(req(a, "GET", "/", &[], b"").0, 401);
    let bad = req(
        a,
        "GET",
        "/api/health",
        &[("Authorization", "Bearer 0123456789abcdef0124")],
        b"",
    );
    assert_eq!(bad.0, 401);
    let bearer = format!("Bearer {token}");
    assert_eq!(
        req(a, "GET", "/api/health", &[("Authorization", &bearer)], b"").0,
        200
    );
    // Opening the printed URL sets a cookie and drops the token from the address.
    let (s, h, _) = req(a, "GET", &format!("/?token={token}"), &[], b"");
    assert_eq!(s, 303, "{h}");
    assert!(h.contains("location: /\r\n"), "{h}");
    let cookie = h
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: "))
        .find(|c| c.starts_with("negotium_token="))
        .and_then(|c| c.split(';').next())
        .expect("token cookie")
        .to_string();
    assert_eq!(req(a, "GET", "/", &[("Cookie", &cookie)], b"").0, 200);
    // Too short a token is refused at start (exit 2).
    let o = Command::new(env!("CARGO_BIN_EXE_negotium"))
        .args(["serve", "--addr", "127.0.0.1:0", "--token", "short"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
