//! The OpenAI-compatible provider against a stub server on 127.0.0.1
//! (wiremock): retries, splitting, repairs, the cache, the guard, and the
//! key that never shows. No network.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{Output, Test, fixture};

pub(crate) const KEY: &str = "sk-test-NEVER-SHOWN-4242";

pub(crate) fn completion(content: &str) -> Value {
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

pub(crate) fn speech() -> PathBuf {
    fixture("api/zh-short.txt")
}

/// Runs `build` against `server` in the test's dir, with the key set.
pub(crate) fn build(t: &Test, server: &MockServer, extra: &[&str]) -> Output {
    let base = format!("{}/v1", server.uri());
    t.cmd()
        .args(["build", "--provider", "openai", "--base-url", &base, "--model", "m", "-o", "out"])
        .args(extra)
        .arg(speech())
        .env("OPENAI_API_KEY", KEY)
        .run()
}

/// The one output folder under `out/`.
fn folder(t: &Test) -> PathBuf {
    let mut all: Vec<PathBuf> =
        std::fs::read_dir(t.join("out")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

fn digest(t: &Test) -> Value {
    serde_json::from_str(&std::fs::read_to_string(folder(t).join("digest.json")).unwrap()).unwrap()
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
    let t = Test::new();
    let t0 = Instant::now();
    let r = build(&t, &server, &["--no-cache", "--concurrency", "1"]);
    r.success();
    assert!(t0.elapsed() >= Duration::from_secs(1), "the retry waited for Retry-After");
    let d = digest(&t);
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
    let t = Test::new();
    let r = build(&t, &server, &["--no-cache"]);
    r.success();
    assert_eq!(digest(&t)["api"]["retries"], 1);
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
    let t = Test::new();
    t.write(
        "speechdigest.toml",
        format!(
            "[providers.stub]\nbase_url = \"{}/v1\"\nmodel = \"m\"\ntimeout_s = 1\nconcurrency = 1\n",
            server.uri()
        ),
    );
    let r = t
        .cmd()
        .args(["build", "--provider", "stub", "--no-cache", "-o", "out"])
        .arg(speech())
        .env("OPENAI_API_KEY", KEY)
        .run();
    r.success();
    assert_eq!(digest(&t)["api"]["retries"], 1);
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
    let t = Test::new();
    let r = build(&t, &server, &["--no-cache", "--concurrency", "1"]);
    r.success();
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
    let t = Test::new();
    let r = build(&t, &bad, &["--no-cache"]);
    r.code(1).stderr_has("not the JSON asked for");
    assert!(!t.join("out").exists(), "no output files");
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
    let t = Test::new();
    build(&t, &probe, &["--no-cache"]).success();
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
    let t = Test::new();
    let r = build(&t, &server, &["--no-cache", "-v"]);
    r.success();
    r.stderr_has("splitting");
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
    let t = Test::new();
    let t0 = Instant::now();
    let r = build(&t, &server, &["--no-cache", "--concurrency", "1", "-vv"]);
    r.code(1);
    assert!(t0.elapsed() < Duration::from_secs(10));
    assert_eq!(requests(&server).await, 1, "401 is not retried");
    r.stderr_has("401").stderr_has("Incorrect API key").never_shows(KEY);
    assert!(!t.join("out").exists(), "no output files");
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrency_stays_under_the_limit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(good().set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    let t = Test::new();
    let t0 = Instant::now();
    let r = build(&t, &server, &["--no-cache", "--concurrency", "2"]);
    r.success();
    let d = digest(&t);
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
    let t = Test::new();
    let r = build(&t, &server, &["--cache", "c.sqlite", "-v"]);
    r.success();
    let first = requests(&server).await;
    assert!(first > 0);
    std::fs::remove_dir_all(t.join("out")).unwrap();
    let r = build(&t, &server, &["--cache", "c.sqlite", "-vv"]);
    r.success();
    assert_eq!(requests(&server).await, first, "the rerun makes 0 calls");
    let d = digest(&t);
    assert_eq!(d["api"]["calls"], 0);
    assert_eq!(d["api"]["cached"].as_u64().unwrap() as usize, first);
    // The key is nowhere: outputs, cache, logs.
    let cache = std::fs::read(t.join("c.sqlite")).unwrap();
    assert!(!String::from_utf8_lossy(&cache).contains(KEY));
    r.never_shows(KEY);
    for f in std::fs::read_dir(folder(&t)).unwrap() {
        let text = crate::support::output_text(&f.unwrap().path());
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
    let t = Test::new();
    let r = build(&t, &server, &["--no-cache"]);
    r.success();
    let d = digest(&t);
    let warnings = d["warnings"].as_array().unwrap();
    let has = |kind: &str, text: &str| {
        warnings
            .iter()
            .any(|w| w["kind"] == kind && w["text"] == text && w["section_id"].is_string())
    };
    assert!(has("unsupported_figure", "85%"), "{warnings:?}");
    assert!(has("unsupported_quote", "打铁还需自身硬"), "{warnings:?}");
    let handout = std::fs::read_to_string(folder(&t).join("handout.md")).unwrap();
    assert!(handout.contains("⚠") && handout.contains("85%"), "{handout}");

    let t = Test::new();
    let r = build(&t, &server, &["--no-cache", "--strict"]);
    r.success();
    for f in std::fs::read_dir(folder(&t)).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            continue; // the warnings name what was dropped
        }
        let text = crate::support::output_text(&p);
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
    let t = Test::new();
    let r = build(&t, &server, &["--dry-run"]);
    r.success();
    r.stdout_has("calls").stdout_has("sections");
    assert_eq!(requests(&server).await, 0);
    assert!(!t.join("out").exists());

    // With --fallback extractive, failing sections are filled and marked;
    // when all of them failed, the run says so unless --allow-degraded.
    let t = Test::new();
    build(&t, &server, &["--no-cache", "--fallback", "extractive"]).code(1);
    let t = Test::new();
    let r = build(&t, &server, &["--no-cache", "--fallback", "extractive", "--allow-degraded"]);
    r.success();
    let d = digest(&t);
    assert!(d["sections"].as_array().unwrap().iter().all(|s| s["degraded"] == true));
    assert!(d["warnings"].as_array().unwrap().iter().any(|w| w["kind"] == "degraded"));
}
