//! The API plan (issue 16, must-show 2 and 5): `build --provider openai` as a
//! whole process against a chat server on 127.0.0.1 that answers every
//! request after a fixed latency, at `--concurrency 8`, `--no-cache`.
//!
//! `cargo bench --bench api_plan` —
//! - `plan --dry-run`: the plan alone (sections, estimated tokens; no
//!   request, no CA store for an `http://` endpoint, no tokenizer);
//! - `build latency 500 ms`: the whole run. Its ideal is ⌈map calls / 8⌉ ×
//!   0.5 s plus the reduce's 0.5 s: the bench prints the calls the server
//!   saw per run, so the gap to the ideal is the fixed cost of the run
//!   (start-up, the plan, the assembly and the writes) and any call that
//!   waited for a slot it did not need.
//!
//! The speech is Johnson's address in `tests/fixtures/speeches/` (set
//! `SPEECHDIGEST_BENCH_SPEECH` to another file, e.g. the corpus's Kennedy,
//! as the README's figure does). The server answers with the first
//! sentence of the request's last message in every field the schema asks
//! for, so the guard accepts it and no call is retried.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const LATENCY: Duration = Duration::from_millis(500);

/// Answers a chat request with the first sentence of its last message.
struct Echo {
    calls: Arc<AtomicUsize>,
}

fn first_sentence(text: &str) -> String {
    let body = text.lines().rev().find(|l| l.chars().count() > 20).unwrap_or(text);
    let end = body
        .char_indices()
        .find(|&(i, c)| matches!(c, '。' | '！' | '？') || (c == '.' && i > 20))
        .map_or(body.len(), |(i, c)| i + c.len_utf8());
    body[..end].trim().to_owned()
}

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let req: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let last = req["messages"]
            .as_array()
            .and_then(|m| m.last())
            .and_then(|m| m["content"].as_str())
            .unwrap_or("");
        let s = first_sentence(last);
        let content = json!({
            "summary": s, "key_points": [{"text": s, "sentence": s}], "quotes": [],
            "terms": [], "figures": [], "overview": s, "newsletter": [s], "questions": []
        });
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content.to_string()}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
            }))
            .set_delay(LATENCY)
    }
}

fn speech() -> PathBuf {
    std::env::var_os("SPEECHDIGEST_BENCH_SPEECH").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/speeches/en-johnson-1963-joint-session-nov27.txt")
    })
}

fn build(base_url: &str, out: &Path, extra: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_speechdigest"))
        .arg("build")
        .arg(speech())
        .arg("--out")
        .arg(out)
        .args(["--provider", "openai", "--base-url", base_url, "--model", "m"])
        .args(["--concurrency", "8", "--no-cache"])
        .args(extra)
        .env("OPENAI_API_KEY", "bench-key")
        // The bench's own cache and config are never read.
        .env("XDG_CACHE_HOME", out.join("cache"))
        .env("XDG_CONFIG_HOME", out.join("config"))
        .current_dir(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("spawn speechdigest");
    assert!(status.success(), "speechdigest build failed: {status}");
}

fn api_plan(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let calls = Arc::new(AtomicUsize::new(0));
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(Echo { calls: calls.clone() })
            .mount(&server)
            .await;
        server
    });
    let base = format!("{}/v1", server.uri());
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();

    let mut group = c.benchmark_group("api plan");
    group.sample_size(10);
    group.bench_function("plan --dry-run", |b| b.iter(|| build(&base, out, &["--dry-run"])));
    let before = calls.load(Ordering::SeqCst);
    let mut runs = 0usize;
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("build latency 500 ms concurrency 8", |b| {
        b.iter(|| {
            runs += 1;
            build(&base, out, &[]);
        });
    });
    group.finish();
    if let Some(per_run) = (calls.load(Ordering::SeqCst) - before).checked_div(runs) {
        println!("api plan: {per_run} calls per run (map calls + the reduce)");
    }
    drop(server);
}

criterion_group!(benches, api_plan);
criterion_main!(benches);
