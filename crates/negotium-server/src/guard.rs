//! What every request passes before a handler, and every response after:
//! the Host check (DNS rebinding), the access token (when bound beyond
//! loopback), cross-site refusal of state-changing requests (Origin /
//! Sec-Fetch-Site; JSON content type on the API), the session cookie that
//! keys the forms' CSRF tokens, the body's size and arrival-time limits,
//! panics turned into 500s, errors on `/api` as JSON, and the security
//! headers (CSP without inline scripts, frame denial, nosniff, referrer only to
//! this server).

use std::net::IpAddr;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use sha2::{Digest, Sha256};

use crate::core::AppError;
use crate::AppState;

/// The Content-Security-Policy of every response: scripts only from this
/// server's own files (no inline script), styles inline (the charts' CSS),
/// no frames, forms only to this server.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const SESSION_COOKIE: &str = "negotium_session";
const TOKEN_COOKIE: &str = "negotium_token";

/// The names a request's `Host` may carry: loopback names, the bound
/// address, and any names allowed by configuration; the port must be the
/// bound one (or absent).
#[derive(Debug, Clone)]
pub struct Hosts {
    pub port: Option<u16>,
    pub names: Vec<String>,
    /// Bound to an unspecified address (0.0.0.0, [::]): any IP literal.
    pub any_ip: bool,
}

impl Hosts {
    /// For a server bound to `addr` with extra allowed names.
    pub fn for_addr(addr: std::net::SocketAddr, extra: &[String]) -> Hosts {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        names.push(match addr.ip() {
            IpAddr::V4(v) => v.to_string(),
            IpAddr::V6(v) => format!("[{v}]"),
        });
        names.extend(
            extra
                .iter()
                .map(|s| s.trim().trim_end_matches('.').to_ascii_lowercase()),
        );
        Hosts {
            port: Some(addr.port()),
            names,
            any_ip: addr.ip().is_unspecified(),
        }
    }

    /// Loopback names on any port (a router used without [`crate::serve`]).
    pub fn loopback() -> Hosts {
        Hosts {
            port: None,
            names: vec!["localhost".into(), "127.0.0.1".into(), "[::1]".into()],
            any_ip: false,
        }
    }

    /// Whether a `Host` header value is allowed.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = if let Some(rest) = host.strip_prefix('[') {
            match rest.split_once(']') {
                Some((ip, tail)) => (format!("[{ip}]"), tail.strip_prefix(':')),
                None => return false,
            }
        } else {
            match host.rsplit_once(':') {
                Some((n, p)) => (n.to_string(), Some(p)),
                None => (host.clone(), None),
            }
        };
        let name = name.trim_end_matches('.').to_string();
        if let Some(p) = port {
            match (p.parse::<u16>(), self.port) {
                (Ok(p), Some(want)) if p != want => return false,
                (Err(_), _) => return false,
                _ => {}
            }
        }
        if self.names.contains(&name) {
            return true;
        }
        self.any_ip
            && name
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok()
    }
}

/// The request's session, for the forms' CSRF tokens.
#[derive(Debug, Clone)]
pub struct Session {
    /// The token every form of this session carries in its `csrf` field.
    pub csrf: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random hex string of `n` bytes (the OS-seeded CSPRNG).
pub fn random_hex(n: usize) -> String {
    use rand::RngCore;
    let mut b = vec![0u8; n];
    rand::rng().fill_bytes(&mut b);
    hex(&b)
}

/// The CSRF token of a session: sha256(server secret, session id).
pub fn csrf_token(secret: &str, session: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret.as_bytes());
    h.update(b":csrf:");
    h.update(session.as_bytes());
    hex(&h.finalize())
}

/// Equal strings, compared through their hashes (no early exit on the text).
pub fn same_secret(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// An error as the client expects it: JSON on `/api`, an HTML page elsewhere.
pub fn error_response(api: bool, e: AppError) -> Response {
    if api {
        e.into_response()
    } else {
        e.html()
    }
}

fn unsafe_method(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Checks a state-changing request's origin: refused when the browser says
/// it comes from another site (`Sec-Fetch-Site`), or its `Origin` is not
/// this server as addressed (`http://` + the checked `Host`).
fn check_origin(headers: &HeaderMap, host: &str) -> Result<(), AppError> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return Err(AppError::Forbidden {
                kind: "cross_site",
                message: format!(
                    "refused: a state-changing request from another site (Sec-Fetch-Site: {site})"
                ),
            });
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let o = origin.to_str().unwrap_or("").to_ascii_lowercase();
        let want = format!("http://{}", host.to_ascii_lowercase());
        if o != want {
            return Err(AppError::Forbidden {
                kind: "cross_site",
                message: format!("refused: a state-changing request from origin `{o}`, not {want}"),
            });
        }
    }
    Ok(())
}

/// Checks a form's CSRF field against the session's token.
pub fn check_csrf(session: &Session, field: Option<&str>) -> Result<(), AppError> {
    match field {
        Some(f) if same_secret(f, &session.csrf) => Ok(()),
        _ => Err(AppError::Forbidden {
            kind: "csrf",
            message:
                "refused: the form's CSRF token is missing or stale (reload the page and try again)"
                    .into(),
        }),
    }
}

fn set_security_headers(h: &mut HeaderMap) {
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(h, "content-security-policy", CSP);
    set(h, "x-frame-options", "DENY");
    set(h, "x-content-type-options", "nosniff");
    // Not `no-referrer`: with it, browsers send `Origin: null` on
    // same-origin form posts, which the origin check must refuse.
    set(h, "referrer-policy", "same-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "cross-origin-resource-policy", "same-origin");
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "no-store");
    }
}

fn kind_of_status(s: StatusCode) -> &'static str {
    match s.as_u16() {
        400 => "bad_request",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "slow_request",
        413 => "too_large",
        415 => "unsupported_media_type",
        422 => "bad_input",
        s if s >= 500 => "internal",
        _ => "bad_request",
    }
}

/// Turns a non-JSON error response on `/api` (an axum rejection or a bare
/// status) into the JSON error shape.
async fn json_error(resp: Response) -> Response {
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let status = resp.status();
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let mut msg = String::from_utf8_lossy(&text).trim().to_string();
    if msg.is_empty() {
        msg = status
            .canonical_reason()
            .unwrap_or("error")
            .to_ascii_lowercase();
    }
    let body = serde_json::json!({"error": {"kind": kind_of_status(status), "message": msg}});
    let mut out = (status, axum::Json(body)).into_response();
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

/// The middleware: see the module doc.
pub async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let mut resp = match admit(&st, req, next, api).await {
        Ok(r) => r,
        Err(e) => error_response(api, e),
    };
    if api {
        resp = json_error(resp).await;
    }
    set_security_headers(resp.headers_mut());
    resp
}

async fn admit(st: &AppState, req: Request, next: Next, api: bool) -> Result<Response, AppError> {
    // 1. Host (and an absolute-form target's authority): DNS rebinding.
    let hosts = st.hosts.get().cloned().unwrap_or_else(Hosts::loopback);
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let authority_ok = req
        .uri()
        .authority()
        .is_none_or(|a| hosts.allows(a.as_str()));
    if !hosts.allows(&host) || !authority_ok {
        return Err(AppError::Forbidden {
            kind: "bad_host",
            message: format!(
                "refused: Host `{host}` is not this workbench's address (allowed: {}{})",
                hosts.names.join(", "),
                hosts
                    .port
                    .map(|p| format!(" on port {p}"))
                    .unwrap_or_default()
            ),
        });
    }

    // 2. The access token, when one is configured.
    let mut set_token_cookie = false;
    if let Some(token) = st.config.token.as_deref() {
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let in_query = query_param(req.uri().query(), "token");
        let ok = |t: Option<&str>| t.is_some_and(|t| same_secret(t.trim(), token));
        if ok(in_query) {
            set_token_cookie = true;
            if req.method() == Method::GET && !api {
                // Drop the token from the address bar.
                let rest: Vec<&str> = req
                    .uri()
                    .query()
                    .unwrap_or("")
                    .split('&')
                    .filter(|kv| !kv.starts_with("token="))
                    .collect();
                let loc = if rest.iter().all(|s| s.is_empty()) {
                    req.uri().path().to_string()
                } else {
                    format!("{}?{}", req.uri().path(), rest.join("&"))
                };
                let mut r = axum::response::Redirect::to(&loc).into_response();
                r.headers_mut()
                    .append(header::SET_COOKIE, token_cookie(token));
                return Ok(r);
            }
        } else if !ok(bearer) && !ok(cookie(req.headers(), TOKEN_COOKIE)) {
            return Err(AppError::Unauthorized);
        }
    }

    // 3. State-changing requests: same origin only; JSON only on the API.
    if unsafe_method(req.method()) {
        check_origin(req.headers(), &host)?;
        if api && matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) {
            let ct = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !ct
                .trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
            {
                return Err(AppError::UnsupportedMediaType(format!(
                    "expected a JSON body (Content-Type: application/json), got `{ct}`"
                )));
            }
        }
    }

    // 4. The session (CSRF tokens of forms).
    let (session_id, new_session) = match cookie(req.headers(), SESSION_COOKIE) {
        Some(s) if s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (s.to_string(), false)
        }
        _ => (random_hex(16), true),
    };
    let (mut parts, body) = req.into_parts();
    parts.extensions.insert(Session {
        csrf: csrf_token(&st.secret, &session_id),
    });

    // 5. The body: at most the size limit, arriving within the time limit.
    let limit = st.config.max_body_bytes;
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(AppError::TooLarge(limit));
    }
    let bytes =
        match tokio::time::timeout(st.config.body_timeout, axum::body::to_bytes(body, limit)).await
        {
            Err(_) => return Err(AppError::SlowRequest(st.config.body_timeout.as_secs())),
            Ok(Err(_)) => return Err(AppError::TooLarge(limit)),
            Ok(Ok(b)) => b,
        };
    let req = Request::from_parts(parts, Body::from(bytes));

    // 6. The handler; a panic is a 500, never a dropped connection.
    let mut resp = match std::panic::AssertUnwindSafe(next.run(req))
        .catch_unwind()
        .await
    {
        Ok(r) => r,
        Err(_) => {
            return Err(AppError::Internal(
                "the request handler panicked; the server goes on".into(),
            ))
        }
    };
    if resp.status() == StatusCode::METHOD_NOT_ALLOWED && !api {
        resp = AppError::MethodNotAllowed.html();
    }
    if new_session {
        let c = format!("{SESSION_COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    if set_token_cookie {
        if let Some(t) = st.config.token.as_deref() {
            resp.headers_mut()
                .append(header::SET_COOKIE, token_cookie(t));
        }
    }
    Ok(resp)
}

fn token_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_allow_loopback_names_on_the_bound_port_only() {
        let h = Hosts::for_addr("127.0.0.1:8080".parse().unwrap(), &[]);
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
            "LOCALHOST.",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "localhost:8081",
            "127.0.0.1:x",
            "localhost.evil.example",
            "192.168.1.2:8080",
            "[::1",
            "",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
        // Bound to every interface: IP literals too, still not names.
        let any = Hosts::for_addr("0.0.0.0:9000".parse().unwrap(), &["wb.lan".into()]);
        assert!(any.allows("192.168.1.2:9000"));
        assert!(any.allows("[fe80::1]:9000"));
        assert!(any.allows("wb.lan:9000"));
        assert!(!any.allows("evil.example:9000"));
        assert!(!any.allows("192.168.1.2:9001"));
    }

    #[test]
    fn origin_checks() {
        let mut h = HeaderMap::new();
        assert!(check_origin(&h, "localhost:8080").is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://localhost:8080"),
        );
        assert!(check_origin(&h, "localhost:8080").is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(check_origin(&h, "localhost:8080").is_err());
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(check_origin(&h, "localhost:8080").is_err());
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(check_origin(&h, "localhost:8080").is_err());
        h.insert("sec-fetch-site", HeaderValue::from_static("same-site"));
        assert!(check_origin(&h, "localhost:8080").is_err());
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(check_origin(&h, "localhost:8080").is_ok());
    }

    #[test]
    fn csrf_tokens_are_per_session_and_secret() {
        let a = csrf_token("s1", "sess-a");
        assert_eq!(a.len(), 64);
        assert_ne!(a, csrf_token("s1", "sess-b"));
        assert_ne!(a, csrf_token("s2", "sess-a"));
        let s = Session { csrf: a.clone() };
        assert!(check_csrf(&s, Some(&a)).is_ok());
        assert!(check_csrf(&s, Some("x")).is_err());
        assert!(check_csrf(&s, None).is_err());
        assert_ne!(random_hex(16), random_hex(16));
    }
}
