//! The OpenAI-compatible provider against a stub server on 127.0.0.1
//! (wiremock): retries, splitting, repairs, the cache, the guard, and the
//! key that never shows. No network.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{Run, fixture, run_env};

const KEY: &str = "sk-test-NEVER-SHOWN-4242";

fn completion(content: &str) -> Value {
    json!({
        "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop", "logprobs": null}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    })
}

fn good() -> ResponseTemplate {
    let c = json!({"summary": "去年全市共查处问题线索1200件。", "key_points": [
        {"text": "查处问题线索", "sentence": "去年全市共查处问题线索1200件，同比增长18%。"}],
        "quotes": [], "terms": [], "figures": ["1200件"],
        "overview": "全年结案率达到87%。", "newsletter": ["结案率87%"], "questions": ["如何巩固成绩？"]});
    ResponseTemplate::new(200).set_body_json(completion(&c.to_string()))
}

fn speech() -> std::path::PathBuf {
    fixture("api/zh-short.txt")
}

/// Runs `build` against `server` in `dir`, with the key set.
fn build(dir: &Path, server: &MockServer, extra: &[&str]) -> Run {
    let base = format!("{}/v1", server.uri());
    let sp = speech();
    let mut args: Vec<&str> =
        vec!["build", "--provider", "openai", "--base-url", &base, "--model", "m", "-o", "out"];
    args.extend_from_slice(extra);
    args.push(sp.to_str().unwrap());
    run_env(dir, &args, None, &[("OPENAI_API_KEY", KEY)])
}

fn digest(dir: &Path) -> Value {
    let folder = std::fs::read_dir(dir.join("out")).unwrap().next().unwrap().unwrap().path();
    serde_json::from_str(&std::fs::read_to_string(folder.join("digest.json")).unwrap()).unwrap()
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1").set_body_json(
            json!({"error": {"message": "slow down", "type": "requests", "code": "rate_limit_exceeded"}}),
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let r = build(dir.path(), &server, &["--no-cache", "--concurrency", "1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(t0.elapsed() >= Duration::from_secs(1), "the retry waited for Retry-After");
    let d = digest(dir.path());
    assert_eq!(d["api"]["retries"], 1);
    assert_eq!(d["provider"]["kind"], "openai");
    assert_eq!(d["provider"]["model"], "m");
}

#[tokio::test(flavor = "multi_thread")]
async fn server_error_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let r = build(dir.path(), &server, &["--no-cache"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(digest(dir.path())["api"]["retries"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(good().set_delay(Duration::from_secs(4)))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("speechdigest.toml"),
        format!(
            "[providers.stub]\nbase_url = \"{}/v1\"\nmodel = \"m\"\ntimeout_s = 1\nconcurrency = 1\n",
            server.uri()
        ),
    )
    .unwrap();
    let sp = speech();
    let r = run_env(
        dir.path(),
        ["build", "--provider", "stub", "--no-cache", "-o", "out", sp.to_str().unwrap()],
        None,
        &[("OPENAI_API_KEY", KEY)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(digest(dir.path())["api"]["retries"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_json_is_repaired_or_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(completion("{\"summary\": \"去年全市")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let r = build(dir.path(), &server, &["--no-cache", "--concurrency", "1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bodies: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert!(
        bodies.iter().any(|b| b["messages"].as_array().unwrap().len() == 4),
        "a repair request carries the bad answer and the fix request"
    );

    let bad = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion("{not json")))
        .mount(&bad)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let r = build(dir.path(), &bad, &["--no-cache"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not the JSON asked for"), "{}", r.stderr);
    assert!(!dir.path().join("out").exists(), "no output files");
}

/// Matches requests whose body is over `n` bytes.
struct BodyOver(usize);

impl wiremock::Match for BodyOver {
    fn matches(&self, r: &Request) -> bool {
        r.body.len() > self.0
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn context_length_exceeded_splits_the_section() {
    // First the sizes of the map requests, then refuse the largest one.
    let probe = MockServer::start().await;
    Mock::given(method("POST")).respond_with(good()).mount(&probe).await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(build(dir.path(), &probe, &["--no-cache"]).code, 0);
    let largest = probe
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| !String::from_utf8_lossy(&r.body).contains("newsletter"))
        .map(|r| r.body.len())
        .max()
        .unwrap();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(BodyOver(largest - 1))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "This model's maximum context length is 100 tokens.",
            "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let r = build(dir.path(), &server, &["--no-cache", "-v"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("splitting"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn unauthorized_is_not_retried_and_the_key_never_shows() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {
            "message": "Incorrect API key provided: sk-te***4242.", "type": "invalid_request_error",
            "code": "invalid_api_key"}})))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let r = build(dir.path(), &server, &["--no-cache", "--concurrency", "1", "-vv"]);
    assert_eq!(r.code, 1);
    assert!(t0.elapsed() < Duration::from_secs(10));
    assert_eq!(requests(&server).await, 1, "401 is not retried");
    assert!(r.stderr.contains("401") && r.stderr.contains("Incorrect API key"), "{}", r.stderr);
    assert!(!r.stderr.contains(KEY) && !r.stdout.contains(KEY));
    assert!(!dir.path().join("out").exists(), "no output files");
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrency_stays_under_the_limit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(good().set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let r = build(dir.path(), &server, &["--no-cache", "--concurrency", "2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = digest(dir.path());
    let calls = d["api"]["calls"].as_u64().unwrap();
    assert!(d["api"]["max_in_flight"].as_u64().unwrap() <= 2);
    // With at most 2 in flight, the map step takes at least ceil(map/2) rounds.
    let map_calls = calls - 1;
    let rounds = map_calls.div_ceil(2) + 1;
    assert!(t0.elapsed() >= Duration::from_millis(400 * rounds), "{calls} calls");
}

#[tokio::test(flavor = "multi_thread")]
async fn rerun_is_served_from_the_cache() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let r = build(dir.path(), &server, &["--cache", "c.sqlite", "-v"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = requests(&server).await;
    assert!(first > 0);
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    let r = build(dir.path(), &server, &["--cache", "c.sqlite", "-vv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(requests(&server).await, first, "the rerun makes 0 calls");
    let d = digest(dir.path());
    assert_eq!(d["api"]["calls"], 0);
    assert_eq!(d["api"]["cached"].as_u64().unwrap() as usize, first);
    // The key is nowhere: outputs, cache, logs.
    let cache = std::fs::read(dir.path().join("c.sqlite")).unwrap();
    assert!(!String::from_utf8_lossy(&cache).contains(KEY));
    assert!(!r.stderr.contains(KEY) && !r.stdout.contains(KEY));
    let folder = std::fs::read_dir(dir.path().join("out")).unwrap().next().unwrap().unwrap().path();
    for f in std::fs::read_dir(folder).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(!text.contains(KEY));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn guard_flags_an_altered_figure_and_a_paraphrased_quote() {
    let server = MockServer::start().await;
    let c = json!({"summary": "全年结案率达到85%。我们常说“打铁还需自身硬”。要坚持严的基调不动摇。",
        "key_points": [], "quotes": [], "terms": [], "figures": [],
        "overview": "全年结案率达到87%。"});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(&c.to_string())))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let r = build(dir.path(), &server, &["--no-cache"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = digest(dir.path());
    let warnings = d["warnings"].as_array().unwrap();
    let has = |kind: &str, text: &str| {
        warnings
            .iter()
            .any(|w| w["kind"] == kind && w["text"] == text && w["section_id"].is_string())
    };
    assert!(has("unsupported_figure", "85%"), "{warnings:?}");
    assert!(has("unsupported_quote", "打铁还需自身硬"), "{warnings:?}");
    let folder = std::fs::read_dir(dir.path().join("out")).unwrap().next().unwrap().unwrap().path();
    let handout = std::fs::read_to_string(folder.join("handout.md")).unwrap();
    assert!(handout.contains("⚠") && handout.contains("85%"), "{handout}");

    let dir = tempfile::tempdir().unwrap();
    let r = build(dir.path(), &server, &["--no-cache", "--strict"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let folder = std::fs::read_dir(dir.path().join("out")).unwrap().next().unwrap().unwrap().path();
    for f in std::fs::read_dir(folder).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            continue; // the warnings name what was dropped
        }
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(!text.contains("85%") && !text.contains("打铁还需"), "{}: {text}", p.display());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_calls_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("overloaded"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let r = build(dir.path(), &server, &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("calls") && r.stdout.contains("sections"), "{}", r.stdout);
    assert_eq!(requests(&server).await, 0);
    assert!(!dir.path().join("out").exists());

    // With --fallback extractive, failing sections are filled and marked.
    let dir = tempfile::tempdir().unwrap();
    let r = build(dir.path(), &server, &["--no-cache", "--fallback", "extractive"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = digest(dir.path());
    assert!(d["sections"].as_array().unwrap().iter().all(|s| s["degraded"] == true));
    assert!(d["warnings"].as_array().unwrap().iter().any(|w| w["kind"] == "degraded"));
}
