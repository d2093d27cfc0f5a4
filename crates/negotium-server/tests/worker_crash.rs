//! Lens runs in worker processes: a lens that aborts, overflows its stack or
//! runs past the time limit ends only its worker; the run answers 500
//! `crashed` (or 504 `timeout`) and the server goes on serving, with the
//! slot free for the next run. This binary is its own worker: started with
//! `--worker`, it serves jobs with a fault-injecting hook (a run whose
//! params say `"fault": "abort"` aborts, `"stack"` recurses without end,
//! `"hang"` sleeps), so real process deaths are tested, not simulated.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use negotium_server::worker::{Isolation, WorkerCommand};
use negotium_server::{AppState, Config, RunHook};
use serde_json::{json, Value};

#[inline(never)]
fn recurse(n: u64, pad: &mut [u8; 4096]) -> u64 {
    pad[0] = n as u8;
    if std::hint::black_box(n) == u64::MAX {
        return 0;
    }
    let mut more = [0u8; 4096];
    recurse(n + 1, &mut more) + std::hint::black_box(pad[1]) as u64
}

fn fault_hook() -> RunHook {
    Arc::new(|_lens: &str, params: &Value| {
        match params["fault"].as_str() {
            Some("abort") => std::process::abort(),
            Some("stack") => {
                let mut pad = [0u8; 4096];
                let _ = recurse(0, &mut pad);
            }
            Some("hang") => std::thread::sleep(Duration::from_secs(3600)),
            _ => {}
        }
        Ok(())
    })
}

fn http(a: SocketAddr, method: &str, path: &str, body: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(a).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (
        status,
        serde_json::from_str(body).unwrap_or(Value::String(body.into())),
    )
}

fn run(a: SocketAddr, fault: Option<&str>) -> (u16, Value) {
    // The hook sees the params before the lens does (which would refuse
    // the unknown key); every fault ends the worker before that.
    let params = match fault {
        Some(f) => json!({"fault": f}),
        None => json!({}),
    };
    http(
        a,
        "POST",
        "/api/runs",
        &json!({"lens": "forecast", "scenario": "emission-standards", "params": params})
            .to_string(),
    )
}

fn main() {
    if std::env::args().any(|a| a == "--worker") {
        negotium_server::worker::worker_main(Some(fault_hook())).unwrap();
        return;
    }
    let db = std::env::temp_dir().join(format!(
        "negotium-worker-crash-{}.sqlite",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&db);
    let cfg = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        db_path: db.clone(),
        max_concurrent_runs: 1,
        run_timeout: Duration::from_secs(2),
        isolation: Isolation::Workers(WorkerCommand {
            program: std::env::current_exe().unwrap(),
            args: vec!["--worker".into()],
            threads: 1,
        }),
        ..Config::default()
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

    let (s, v) = run(a, None);
    assert_eq!(s, 201, "a plain run: {v}");
    for (fault, want) in [("abort", "signal 6"), ("stack", "signal")] {
        let (s, v) = run(a, Some(fault));
        assert_eq!(s, 500, "{fault}: {v}");
        assert_eq!(v["status"], json!("error"), "{fault}: {v}");
        let e = v["error"].as_str().unwrap_or_default();
        assert!(e.contains("crashed") && e.contains(want), "{fault}: {e}");
        // The server serves on; a fresh worker takes the next run.
        let (s, v) = run(a, None);
        assert_eq!(s, 201, "after {fault}: {v}");
    }
    // A run that hangs: 504 at the limit, its worker killed, the one slot free.
    let t = Instant::now();
    let (s, v) = run(a, Some("hang"));
    assert_eq!(s, 504, "{v}");
    assert_eq!(v["error"]["kind"], json!("timeout"), "{v}");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    let (s, v) = run(a, None);
    assert_eq!(s, 201, "after a timeout: {v}");
    let (s, v) = http(a, "GET", "/api/health", "");
    assert_eq!((s, &v["status"]), (200, &json!("ok")));
    let _ = std::fs::remove_file(&db);
    println!("worker_crash: abort, stack overflow and hang each ended only their worker");
}
