"""Hostile clients against a running `negotium serve` (see serve_hostile.sh).

Usage: python3 bench/serve_hostile.py http://127.0.0.1:PORT

Standard library only. Each check prints one line (name, what was sent,
what came back, ok/FAIL); the exit code is 1 if any check failed. The
server must still answer /api/health at the end.
"""

import http.client
import json
import socket
import sys
import threading
import time
import urllib.parse

BASE = sys.argv[1].rstrip("/")
U = urllib.parse.urlparse(BASE)
HOST, PORT = U.hostname, U.port
PAYLOAD = "<script>window.__x=1</script>\"'><img src=x onerror=alert(1)>"
RAW_MARKERS = ["<script>window.__x", "<img src=x onerror"]
results = []


def check(name, ok, detail):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'}  {name:48} {detail}")


def request(method, path, body=None, headers=None, timeout=60):
    c = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    h = {"Host": f"{HOST}:{PORT}"}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def is_json_error(headers, data):
    try:
        v = json.loads(data)
    except ValueError:
        return False
    return headers.get("content-type", "").startswith("application/json") and "error" in v


# ---- stored XSS in every field a page shows ------------------------------
P = json.dumps(PAYLOAD)  # a TOML basic string is a JSON string here
SCENARIO = f"""
[scenario]
id = "hostile"
title = {P}
description = {P}
as_of = "2007-03-26"

[[actor]]
id = "A"
name = {P}
capability = 1.0
notes = {P}

[[actor]]
id = "B"
name = {P}
capability = 2.0

[[issue]]
id = "i"
name = {P}
unit = {P}
min = 0.0
max = 100.0
points = [{{ at = 0.0, label = {P} }}, {{ at = 100.0, label = {P} }}]

[[stance]]
actor = "A"
issue = "i"
position = 10
salience = 0.5
notes = {P}

[[stance]]
actor = "B"
issue = "i"
position = 90
salience = 0.5

[[event]]
date = "2006-02-20"
kind = "talks-round"
title = {P}
description = {P}
"""
s, h, d = request("POST", "/api/validate", json.dumps({"source": SCENARIO}),
                  {"Content-Type": "application/json"})
valid = s == 200 and json.loads(d).get("valid", True) is not False
check("payload scenario is valid", valid, f"validate -> {s} {d[:120]!r}")
s, h, d = request("POST", "/api/scenarios", json.dumps({"name": PAYLOAD, "source": SCENARIO}),
                  {"Content-Type": "application/json"})
sid = json.loads(d).get("id") if s == 201 else None
check("store the payload scenario", s == 201, f"-> {s}")
runs = []
for lens in ["forecast", "history", "analyze"]:
    s, h, d = request("POST", "/api/runs",
                      json.dumps({"lens": lens, "scenario": str(sid), "params": {}}),
                      {"Content-Type": "application/json"})
    if s in (200, 201):
        runs.append(json.loads(d)["id"])
    check(f"run {lens} on it", s in (200, 201), f"-> {s}")
pages = ["/", f"/scenarios/{sid}", f"/scenarios/{sid}/edit", "/runs"]
pages += [f"/runs/{r}" for r in runs]
if len(runs) >= 2:
    pages.append(f"/compare?a={runs[0]}&b={runs[1]}")
pages.append("/scenarios/" + urllib.parse.quote(PAYLOAD, safe=""))  # error page echoing the id
for p in pages:
    s, h, d = request("GET", p)
    text = d.decode("utf-8", "replace")
    raw = [m for m in RAW_MARKERS if m in text]
    escaped = "&lt;script&gt;" in text or "&lt;img" in text or s == 404
    check(f"no raw markup: {p[:40]}", not raw and s in (200, 404) and escaped,
          f"-> {s}, raw markup {raw or 'none'}")
    csp = h.get("content-security-policy", "")
    if p == "/":
        check("security headers", "script-src 'self'" in csp
              and h.get("x-frame-options") == "DENY"
              and h.get("x-content-type-options") == "nosniff", f"CSP: {csp[:60]}")

# ---- path traversal in every id ------------------------------------------
for p in ["/scenarios/..%2F..%2Fetc%2Fpasswd", "/api/scenarios/..%2F..%2Fetc%2Fpasswd",
          "/runs/..%2F..%2Fetc%2Fpasswd", "/api/runs/..%2F1", "/static/..%2F..%2FCargo.toml",
          "/scenarios/%2e%2e/%2e%2e/etc/passwd", "/api/runs/1%00.json"]:
    s, h, d = request("GET", p)
    check(f"traversal {p[:40]}", s in (400, 404) and b"root:" not in d and b"[package]" not in d,
          f"-> {s}")

# ---- bodies: 10 MB and 100 MB, malformed JSON, wrong content types --------
for mb in (10, 100):
    t = time.time()
    c = socket.create_connection((HOST, PORT), timeout=30)
    head = (f"POST /api/runs HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {mb * 1024 * 1024}\r\n\r\n").encode()
    c.sendall(head)
    sent = 0
    chunk = b"[" * 65536
    status = None
    try:
        while sent < mb * 1024 * 1024:
            c.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass  # the server may close before the body ends
    try:
        c.settimeout(30)
        status = c.recv(64).split(b" ")[1].decode()
    except (OSError, IndexError):
        status = "closed"
    c.close()
    check(f"{mb} MB body", status in ("413", "closed"),
          f"-> {status} after {sent // (1024 * 1024)} MB sent, {time.time() - t:.1f} s")
for name, body, ctype in [
    ("malformed JSON", b'{"lens": "forecast", ', "application/json"),
    ("JSON of the wrong shape", b'[1, 2, 3]', "application/json"),
    ("100,000-deep JSON", b"[" * 100000 + b"]" * 100000, "application/json"),
    ("text/plain body", b'{"lens":"forecast","scenario":"kosovo-status"}', "text/plain"),
    ("form-encoded to the API", b"lens=forecast&scenario=kosovo-status",
     "application/x-www-form-urlencoded"),
    ("invalid UTF-8", b'{"lens": "\xff\xfe"}', "application/json"),
]:
    s, h, d = request("POST", "/api/runs", body, {"Content-Type": ctype})
    check(name, s in (400, 415, 422) and is_json_error(h, d), f"-> {s} {d[:70]!r}")

# ---- cross-site writes, foreign Host ---------------------------------------
before = request("GET", f"/api/scenarios/{sid}")[2]
for hdrs in [{"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
             {"Origin": "null"}]:
    s, h, d = request("POST", f"/scenarios/{sid}",
                      b"name=pwned&source=x&format=toml",
                      dict({"Content-Type": "application/x-www-form-urlencoded"}, **hdrs))
    check(f"cross-site form POST {list(hdrs.items())[0]}", s == 403, f"-> {s}")
check("saved scenario unchanged", request("GET", f"/api/scenarios/{sid}")[2] == before, "")
for m, p in [("GET", "/"), ("POST", "/api/runs")]:
    s, h, d = request(m, p, b"{}", {"Host": "evil.example", "Content-Type": "application/json"})
    check(f"Host: evil.example on {m} {p}", s in (403, 421), f"-> {s}")

# ---- slow clients ------------------------------------------------------------
def slow_headers(out, i):
    t = time.time()
    c = socket.create_connection((HOST, PORT), timeout=60)
    c.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
    try:
        while True:
            c.sendall(b"X-Slow: 1\r\n")
            time.sleep(1)
    except OSError:
        out[i] = time.time() - t
    c.close()


slow = [None] * 5
threads = [threading.Thread(target=slow_headers, args=(slow, i)) for i in range(5)]
for t in threads:
    t.start()
time.sleep(1)
s, h, d = request("GET", "/api/health", timeout=10)
check("served while 5 slow clients hold connections", s == 200, f"-> {s}")
for t in threads:
    t.join(60)
cut = [x for x in slow if x is not None]
check("slow clients cut off", len(cut) == 5 and max(cut) < 30,
      f"after {', '.join(f'{x:.1f}' for x in cut)} s")

# ---- a nested formula and a huge size parameter ------------------------------
deep = "(" * 20000 + "udi" + ")" * 20000
s, h, d = request("POST", "/api/runs", json.dumps(
    {"lens": "conflict", "scenario": "kosovo-status", "params": {"status_quo": deep}}),
    {"Content-Type": "application/json"})
check("status quo nested 20,000 deep", s in (400, 422) and is_json_error(h, d), f"-> {s}")
s, h, d = request("POST", "/api/runs", json.dumps(
    {"lens": "negotiate", "scenario": "kosovo-status", "params": {"steps": 10**9}}),
    {"Content-Type": "application/json"})
check("steps = 10^9", s in (400, 413, 422) and is_json_error(h, d), f"-> {s} {d[:80]!r}")

s, h, d = request("GET", "/api/health")
check("still serving", s == 200, f"/api/health -> {s}")
print(f"\n{sum(results)} of {len(results)} checks passed")
sys.exit(0 if all(results) else 1)
