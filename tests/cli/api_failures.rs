//! Issue 17: failure semantics a user can trust, against stub servers on
//! 127.0.0.1 (wiremock): unusable answers repaired in the prompt's language
//! and never cached, no reduce call when every section failed, all-degraded
//! runs that say so, configuration errors that `--fallback` never hides,
//! the phrasings real servers use for context and rate-limit errors, the
//! pacer, `--max-calls`, and key points citing sentences that are not there.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::Test;

// The key, the completion envelope, the fixture and the `build` call are
// api.rs's.
use crate::api::{KEY, build, completion, speech};

fn answer(v: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(completion(&v.to_string()))
}

/// A usable answer for every call of the zh fixture (its key point's
/// sentence is in section 1).
fn good() -> ResponseTemplate {
    answer(&json!({"summary": "去年全市共查处问题线索1200件。", "key_points": [
        {"text": "查处问题线索", "sentence": "去年全市共查处问题线索1200件，同比增长18%。"}],
        "quotes": [], "terms": [], "figures": ["1200件"],
        "overview": "全年结案率达到87%。", "newsletter": ["结案率87%"], "questions": ["如何巩固成绩？"]}))
}

fn error(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"error": {"message": message, "type": "invalid_request_error"}}))
}

fn digest(t: &Test) -> Value {
    let dir = std::fs::read_dir(t.join("out")).unwrap().next().unwrap().unwrap().path();
    serde_json::from_str(&std::fs::read_to_string(dir.join("digest.json")).unwrap()).unwrap()
}

async fn bodies(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect()
}

/// The reduce step's requests (its prompt asks for newsletter lines).
fn is_reduce(body: &str) -> bool {
    body.contains("newsletter")
}

/// A request whose body satisfies `f`.
struct Body(fn(&str) -> bool);

impl wiremock::Match for Body {
    fn matches(&self, r: &Request) -> bool {
        (self.0)(&String::from_utf8_lossy(&r.body))
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copied_schema_is_repaired_in_chinese_and_never_cached() {
    let server = MockServer::start().await;
    let echo = json!({"additionalProperties": false, "properties": {"summary": {"type": "string"}},
                      "required": ["summary"], "type": "object"});
    Mock::given(method("POST")).respond_with(answer(&echo)).mount(&server).await;
    let t = Test::new();
    let args = ["--cache", "c.sqlite", "--fallback", "extractive", "--allow-degraded"];
    build(&t, &server, &args).success();
    let first = bodies(&server).await;
    assert!(
        first.iter().any(|b| b.contains("上面的回答不能用") && b.contains("JSON Schema")),
        "the repair is asked in the prompt's language"
    );
    assert!(!first.iter().any(|b| b.contains("That answer cannot be used")));
    let d = digest(&t);
    assert_eq!(d["provider"]["degraded"], "all");
    assert!(d["sections"].as_array().unwrap().iter().all(|s| s["degraded"] == true));
    assert!(!first.iter().any(|b| is_reduce(b)), "no reduce call when every section failed");
    // Nothing unusable was cached: the rerun asks again, as many times.
    std::fs::remove_dir_all(t.join("out")).unwrap();
    build(&t, &server, &args).success();
    assert_eq!(bodies(&server).await.len(), 2 * first.len());
    assert_eq!(digest(&t)["api"]["cached"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_answer_gets_one_repair_and_the_fixed_one_is_cached() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(Body(|b| !b.contains("上面的回答不能用")))
        .respond_with(answer(&json!({"title": "深化行业整治"})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let t = Test::new();
    build(&t, &server, &["--cache", "c.sqlite", "--concurrency", "1"]).success();
    let n = bodies(&server).await.len();
    let d = digest(&t);
    assert!(d["sections"].as_array().unwrap().iter().all(|s| s["degraded"] != true));
    assert_eq!(d["api"]["calls"].as_u64().unwrap() as usize, n);
    std::fs::remove_dir_all(t.join("out")).unwrap();
    build(&t, &server, &["--cache", "c.sqlite"]).success();
    assert_eq!(bodies(&server).await.len(), n, "the repaired answers are served from the cache");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_degraded_exits_1_unless_allowed() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(error(400, "bad request")).mount(&server).await;
    let t = Test::new();
    let r = build(&t, &server, &["--no-cache", "--fallback", "extractive"]);
    r.code(1).stderr_has("sections failed").stderr_has("--allow-degraded");
    assert!(!t.join("out").exists(), "no outputs");
    assert!(!bodies(&server).await.iter().any(|b| is_reduce(b)));
    let t = Test::new();
    build(&t, &server, &["--no-cache", "--fallback", "extractive", "--allow-degraded"]).success();
    let d = digest(&t);
    assert_eq!(
        (d["provider"]["kind"].as_str(), d["provider"]["degraded"].as_str()),
        (Some("openai"), Some("all"))
    );
    // One section succeeding is not "all".
    let some = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(error(400, "bad request"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&some)
        .await;
    Mock::given(method("POST")).respond_with(good()).mount(&some).await;
    let t = Test::new();
    build(&t, &some, &["--no-cache", "--concurrency", "1", "--fallback", "extractive"]).success();
    assert!(digest(&t)["provider"].get("degraded").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn configuration_errors_are_never_hidden_by_fallback() {
    for (status, message, hint) in [
        (404, "The model `m` does not exist.", "404"),
        (
            400,
            "litellm.BadRequestError: Invalid model name passed in model=m",
            "Invalid model name",
        ),
        (400, "No connected db.", "the key may be wrong"),
        (403, "forbidden", "403"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(error(status, message)).mount(&server).await;
        let t = Test::new();
        let r = build(&t, &server, &["--no-cache", "--fallback", "extractive", "--allow-degraded"]);
        r.code(1).stderr_has(hint).never_shows(KEY);
        assert!(!t.join("out").exists(), "{message}: no outputs");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn litellms_context_error_re_splits() {
    let server = MockServer::start().await;
    // Every map request with the whole first section is over the context.
    Mock::given(method("POST"))
        .and(Body(|b| b.contains("去年全市共查处问题线索1200件") && b.contains("形成了强大震慑") && !b.contains("newsletter")))
        .respond_with(error(400, "litellm.ContextWindowExceededError: litellm.BadRequestError: ContextWindowExceededError: OpenAIException - the request exceeds the available context size, try increasing it"))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let t = Test::new();
    let r = build(&t, &server, &["--no-cache", "-v"]);
    r.success().stderr_has("splitting");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reduce_collapses_on_a_context_error() {
    let server = MockServer::start().await;
    // A reduce request holding both parts' summaries is over the context.
    Mock::given(method("POST"))
        .and(Body(|b| is_reduce(b) && b.contains("成绩来之不易") && b.contains("任务依然艰巨")))
        .respond_with(error(400, "This model's maximum context length is 600 tokens."))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let t = Test::new();
    let r = build(&t, &server, &["--no-cache", "-v", "--concurrency", "1"]);
    r.success().stderr_has("collapsing");
    let reduces = bodies(&server).await.into_iter().filter(|b| is_reduce(b)).count();
    assert!(reduces >= 3, "one refused, one per part, one over both: {reduces}");
    assert_eq!(digest(&t)["overview"], "全年结案率达到87%。");
}

#[tokio::test(flavor = "multi_thread")]
async fn litellms_retry_header_and_try_again_text_are_honoured() {
    for header in [Some("llm_provider-retry-after"), Some("x-ratelimit-reset-requests"), None] {
        let server = MockServer::start().await;
        let mut limited = ResponseTemplate::new(429).set_body_json(json!({"error": {
            "message": "Rate limit reached. Please try again in 2s.", "type": "requests"}}));
        if let Some(h) = header {
            limited = limited.insert_header(h, if h.starts_with("x-") { "2s" } else { "2" });
        }
        Mock::given(method("POST"))
            .respond_with(limited)
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("POST")).respond_with(good()).mount(&server).await;
        let t = Test::new();
        let t0 = Instant::now();
        build(&t, &server, &["--no-cache", "--concurrency", "1", "-v"])
            .success()
            .stderr_has("retrying in 2.0s");
        assert!(t0.elapsed() >= Duration::from_secs(2), "{header:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pacer_never_bursts() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let t = Test::new();
    t.write(
        "speechdigest.toml",
        format!(
            "[providers.stub]\nbase_url = \"{}/v1\"\nmodel = \"m\"\nrequests_per_minute = 120\nconcurrency = 4\n",
            server.uri()
        ),
    );
    let t0 = Instant::now();
    let r = t
        .cmd()
        .args(["build", "--provider", "stub", "--no-cache", "-o", "out", "-v"])
        .arg(speech())
        .env("OPENAI_API_KEY", KEY)
        .run();
    r.success().stderr_has("waited");
    let n = bodies(&server).await.len() as u32;
    assert!(n >= 3);
    // 120 a minute is one every 0.5 s, the first at once: never n at once.
    assert!(
        t0.elapsed() >= Duration::from_millis(500) * (n - 1) - Duration::from_millis(100),
        "{n}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn max_calls_stops_before_the_cap() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(good()).mount(&server).await;
    let t = Test::new();
    let r = build(
        &t,
        &server,
        &["--no-cache", "--concurrency", "1", "--max-calls", "2", "--fallback", "extractive"],
    );
    r.code(1).stderr_has("--max-calls 2");
    // Never past the cap (a call in flight when the cap stops the run may
    // be cut short before the server sees it: 0 happens under load).
    let n = bodies(&server).await.len();
    assert!(n <= 2, "{n} requests");
    assert!(!t.join("out").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_point_citing_an_invented_sentence_is_flagged_and_dropped_with_strict() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(answer(&json!({"summary": "去年全市共查处问题线索1200件。", "key_points": [
            {"text": "查处问题线索", "sentence": "去年全市共查处问题线索1200件，同比增长18%。"},
            {"text": "编造的要点", "sentence": "全市新建了二十座航天发射场，举世瞩目。"}],
            "quotes": [], "terms": [], "figures": [],
            "overview": "全年结案率达到87%。", "newsletter": [], "questions": []})))
        .mount(&server)
        .await;
    let t = Test::new();
    build(&t, &server, &["--no-cache"]).success();
    let d = digest(&t);
    let flagged: Vec<&Value> = d["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == "unsupported_point")
        .collect();
    assert!(
        flagged.iter().any(|w| w["text"] == "全市新建了二十座航天发射场，举世瞩目。"),
        "{flagged:?}"
    );
    let points = |d: &Value| -> Vec<String> {
        d["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["key_points"].as_array().cloned().unwrap_or_default())
            .map(|k| k["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert!(points(&d).iter().any(|p| p == "编造的要点"), "kept, flagged, without --strict");
    let t = Test::new();
    build(&t, &server, &["--no-cache", "--strict"]).success();
    assert!(!points(&digest(&t)).iter().any(|p| p == "编造的要点"), "dropped with --strict");
}
