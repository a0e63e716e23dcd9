//! An echoing server never gets a secret back out (issue 12, item 2): a stub
//! on 127.0.0.1 answers 401/400/429/500 with bodies that repeat the
//! `Authorization` header, every request header and the URL, and 200 with an
//! answer quoting them; `build` and `watch --once --json`, at `-vv`, must
//! show no secret in stderr, stdout, or any byte of any file they wrote (the
//! outputs, `digest.json`, `state.sqlite`, the cache under `XDG_CACHE_HOME`).
//! The secrets: the key, an `extra_headers` value, the base URL's userinfo
//! password and its `api_key`/`sig` query values.
//! See: issue 12.

use std::path::Path;

use serde_json::json;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::{Output, Test, fixture};

const KEY: &str = "sk-hostile-ECHO-7f3a9c1e5b2d4068";
const PASSWORD: &str = "pw-SECRET-91c4e7";
const QUERY_KEY: &str = "QS-SECRET-5d2b8f30";
const QUERY_SIG: &str = "SIG-SECRET-a1b2c3d4";
const HEADER: &str = "HDR-SECRET-3e9f1a77";

/// Every secret, and the `Basic` value reqwest makes of the userinfo.
fn secrets() -> Vec<String> {
    let mut s: Vec<String> =
        [KEY, PASSWORD, QUERY_KEY, QUERY_SIG, HEADER].iter().map(|s| (*s).to_owned()).collect();
    s.push(base64(format!("alice:{PASSWORD}").as_bytes()));
    s
}

/// Answers `status`, repeating what it was sent.
struct Echo(u16);

impl Respond for Echo {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let auth: Vec<&str> =
            r.headers.get_all("authorization").iter().filter_map(|v| v.to_str().ok()).collect();
        let dump: String = r
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {}\n", v.to_str().unwrap_or("?")))
            .collect();
        let said = format!("Incorrect API key provided: {}. URL: {}", auth.join(", "), r.url);
        match self.0 {
            200 => {
                let c = json!({"summary": format!("去年全市共查处问题线索1200件。{said}"),
                    "key_points": [{"text": said, "sentence": "去年全市共查处问题线索1200件，同比增长18%。"}],
                    "quotes": [], "terms": [], "figures": ["1200件"],
                    "overview": format!("全年结案率达到87%。{dump}"),
                    "newsletter": [said.clone()], "questions": [format!("{KEY}？")]});
                ResponseTemplate::new(200).set_body_json(json!({
                    "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
                    "choices": [{"index": 0, "finish_reason": "stop",
                        "message": {"role": "assistant", "content": c.to_string()}}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5}}))
            }
            // The whole header dump as a plain-text page; retried at once.
            500 => ResponseTemplate::new(500)
                .insert_header("retry-after-ms", "1")
                .set_body_string(format!("upstream failed\n{said}\n{dump}")),
            status => {
                // A 429 that is not retried (quota), so that the test is quick.
                let code = if status == 429 { "insufficient_quota" } else { "invalid_api_key" };
                ResponseTemplate::new(status).set_body_json(json!({"error": {
                    "message": format!("{said} Headers: {dump}"),
                    "type": "invalid_request_error", "code": code}}))
            }
        }
    }
}

/// The base URL with a password and secret query values, as the Azure
/// recipe's query string invites.
fn base_url(server: &MockServer) -> String {
    let host = server.uri().trim_start_matches("http://").to_owned();
    format!(
        "http://alice:{PASSWORD}@{host}/v1?api-version=2024-10-21&api_key={QUERY_KEY}&sig={QUERY_SIG}"
    )
}

/// A config with the provider (its header secret) and a folder source.
fn config(t: &Test, server: &MockServer) {
    t.write(
        "speechdigest.toml",
        format!(
            "provider = \"openai\"\n[providers.openai]\nbase_url = \"{}\"\nmodel = \"m\"\n\
             [providers.openai.extra_headers]\nx-tenant-token = \"{HEADER}\"\n\
             [output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n\
             [[sources]]\nname = \"inbox\"\nkind = \"folder\"\npath = \"inbox\"\nglob = \"*.txt\"\n",
            base_url(server)
        ),
    );
    t.create_dir("inbox");
    t.copy(fixture("api/zh-short.txt"), "inbox/zh-short.txt");
}

/// No window of 12 characters of any secret in `text` (a cut key leaks too).
#[track_caller]
fn assert_clean(what: &str, text: &str) {
    for s in secrets() {
        let chars: Vec<char> = s.chars().collect();
        for w in chars.windows(12) {
            let w: String = w.iter().collect();
            assert!(!text.contains(&w), "{what} has {w:?} (of a secret):\n{text}");
        }
    }
}

/// Stdout, stderr and every file under the test's dir but the config.
#[track_caller]
fn assert_nothing_leaked(t: &Test, r: &Output) {
    assert_clean("stdout", &r.stdout);
    assert_clean("stderr", &r.stderr);
    let mut files = 0;
    walk(t.path(), &mut |p| {
        if p.file_name().is_some_and(|n| n == "speechdigest.toml") {
            return;
        }
        files += 1;
        let bytes = std::fs::read(p).unwrap();
        assert_clean(&p.display().to_string(), &String::from_utf8_lossy(&bytes));
    });
    assert!(files > 0);
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { walk(&p, f) } else { f(&p) }
    }
}

fn files_named(dir: &Path, name: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut |p| {
        if p.file_name().is_some_and(|n| n == name) {
            out.push(p.to_owned());
        }
    });
    out
}

async fn echoing(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("POST")).respond_with(Echo(status)).mount(&server).await;
    server
}

/// `build` with `--base-url` carrying the credentials, the default cache.
fn build(t: &Test, server: &MockServer) -> Output {
    t.cmd()
        .args(["build", "--provider", "openai", "--model", "m", "-o", "out", "-vv", "--base-url"])
        .arg(base_url(server))
        .arg(t.join("inbox/zh-short.txt"))
        .env("OPENAI_API_KEY", KEY)
        .run()
}

/// `watch --once --json` with the config's base URL.
fn watch(t: &Test) -> Output {
    t.cmd()
        .args(["watch", "--once", "--json", "-vv", "--config", "speechdigest.toml"])
        .env("OPENAI_API_KEY", KEY)
        .run()
}

#[tokio::test(flavor = "multi_thread")]
async fn error_bodies_that_echo_the_key_leak_nothing() {
    for status in [401, 400, 429, 500] {
        let server = echoing(status).await;
        let t = Test::new();
        config(&t, &server);
        let r = build(&t, &server);
        r.code(1).stderr_has(&format!("answered {status}")).stderr_has("[redacted]");
        assert_nothing_leaked(&t, &r);
        // Every crate's logs at trace level go through the same redaction.
        let r = t
            .cmd()
            .args(["build", "--provider", "openai", "--model", "m", "--no-cache", "-o", "out"])
            .arg("--base-url")
            .arg(base_url(&server))
            .arg(t.join("inbox/zh-short.txt"))
            .env("OPENAI_API_KEY", KEY)
            .env("RUST_LOG", "trace")
            .run();
        r.code(1).stderr_has("trace: ");
        assert_nothing_leaked(&t, &r);
        let r = watch(&t);
        r.code(1);
        let report = &r.json_lines()[0];
        let error = report["items"][0]["error"].as_str().unwrap();
        assert!(error.contains(&format!("answered {status}")), "{error}");
        assert!(error.contains("[redacted]"), "{error}");
        assert!(t.join("state.sqlite").exists());
        assert_nothing_leaked(&t, &r);
        assert!(
            server.received_requests().await.unwrap().iter().any(|q| q
                .headers
                .get_all("authorization")
                .iter()
                .any(|v| v.to_str().unwrap().contains(KEY))),
            "the key was sent"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_that_quote_the_key_leak_nothing() {
    let server = echoing(200).await;
    let t = Test::new();
    config(&t, &server);
    let r = build(&t, &server);
    r.success();
    let r2 = watch(&t);
    r2.success();
    for r in [&r, &r2] {
        assert_nothing_leaked(&t, r);
    }
    // The answers made it in, redacted; the base URL is shown redacted.
    let digests = [
        files_named(&t.join("out"), "digest.json"),
        files_named(&t.join("digests"), "digest.json"),
    ];
    for d in digests.iter().flatten() {
        let text = std::fs::read_to_string(d).unwrap();
        assert!(text.contains("[redacted]"), "{text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let url = v["provider"]["base_url"].as_str().unwrap();
        assert!(url.starts_with("http://[redacted]@127.0.0.1:"), "{url}");
        assert!(
            url.ends_with("?api-version=2024-10-21&api_key=[redacted]&sig=[redacted]"),
            "{url}"
        );
    }
    assert_eq!(digests.iter().flatten().count(), 2);
    assert!(t.join("cache/speechdigest/cache.sqlite").exists(), "the default cache was used");
}

/// A run from the cache gives the same digest: the cache key is the request
/// as sent, so redaction does not change it.
#[tokio::test(flavor = "multi_thread")]
async fn the_cache_stays_valid() {
    let server = echoing(200).await;
    let t = Test::new();
    config(&t, &server);
    build(&t, &server).success();
    let sent = server.received_requests().await.unwrap().len();
    std::fs::remove_dir_all(t.join("out")).unwrap();
    let r = build(&t, &server);
    r.success();
    assert_eq!(server.received_requests().await.unwrap().len(), sent, "all from the cache");
    assert_nothing_leaked(&t, &r);
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ABC[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}
