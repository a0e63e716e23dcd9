//! Issue 17: the API path through a real model server: llama.cpp's server
//! (the prebuilt `xllamacpp` wheel) with SmolLM2-135M-Instruct, started by
//! `.ci/run` on 127.0.0.1 (`tests/realserver/`), its base URL in
//! `SPEECHDIGEST_REAL_SERVER`. Without it these tests skip with a line (a
//! failure under `SPEECHDIGEST_REQUIRE_REAL_SERVER=1`). A 135M model may
//! still degrade some sections; what must hold is the plumbing: the run
//! completes, the schema is never copied back into a summary, every
//! section the model wrote passed validation, and nothing unusable is
//! cached (a rerun is served from the cache for exactly the usable answers).

use serde_json::Value;

use crate::support::{Test, fixture};

fn server() -> Option<String> {
    match std::env::var("SPEECHDIGEST_REAL_SERVER") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            let require = std::env::var("SPEECHDIGEST_REQUIRE_REAL_SERVER").is_ok_and(|v| v == "1");
            assert!(
                !require,
                "no SPEECHDIGEST_REAL_SERVER, and SPEECHDIGEST_REQUIRE_REAL_SERVER=1"
            );
            eprintln!("skipped: no real model server (SPEECHDIGEST_REAL_SERVER is unset)");
            None
        }
    }
}

fn config(t: &Test, base: &str, structured: &str) {
    t.write(
        "speechdigest.toml",
        format!(
            "[providers.local]\nbase_url = \"{base}\"\nmodel = \"smollm2\"\nstructured = \"{structured}\"\n\
             temperature = 0.2\nmax_output_tokens = 200\ncontext_window = 8192\nconcurrency = 1\n\
             timeout_s = 300\ntokenizer = \"estimate\"\n"
        ),
    );
}

fn digest(t: &Test) -> Value {
    let dir = std::fs::read_dir(t.join("out")).unwrap().next().unwrap().unwrap().path();
    serde_json::from_str(&std::fs::read_to_string(dir.join("digest.json")).unwrap()).unwrap()
}

fn run_once(structured: &str) {
    let Some(base) = server() else { return };
    let t = Test::new();
    config(&t, &base, structured);
    let args = [
        "--provider",
        "local",
        "--cache",
        "c.sqlite",
        "--fallback",
        "extractive",
        "--allow-degraded",
        "-v",
    ];
    let build =
        || t.cmd().args(["build", "-o", "out"]).args(args).arg(fixture("api/zh-short.txt")).run();
    let r = build();
    r.success();
    let d = digest(&t);
    let api = &d["api"];
    let sections = d["sections"].as_array().unwrap();
    let passed: Vec<&Value> = sections.iter().filter(|s| s["degraded"] != true).collect();
    eprintln!(
        "{structured}: requests {} calls {} retries {} tokens {}+{}; {} of {} sections passed validation; warnings {}",
        api["requests"],
        api["calls"],
        api["retries"],
        api["prompt_tokens"],
        api["completion_tokens"],
        passed.len(),
        sections.len(),
        d["warnings"].as_array().map_or(0, Vec::len)
    );
    assert!(api["requests"].as_u64().unwrap() > 0);
    for s in &passed {
        let summary = s["summary"].as_str().unwrap_or_default();
        assert!(!summary.trim().is_empty(), "{s}");
        assert!(
            !summary.contains("additionalProperties") && !summary.contains("\"properties\""),
            "{summary}"
        );
    }
    // Only usable answers were cached: a rerun asks again for the others.
    std::fs::remove_dir_all(t.join("out")).unwrap();
    build().success();
    let again = digest(&t);
    let asked_again = again["api"]["requests"].as_u64().unwrap();
    let overview_failed = d["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["kind"] == "degraded" && w["section_id"] == "overview");
    if passed.len() < sections.len() || overview_failed {
        assert!(asked_again > 0, "a degraded section is asked again, never replayed");
    } else {
        assert_eq!(asked_again, 0, "every usable answer is served from the cache");
    }
}

#[test]
fn llama_cpp_server_with_json_schema() {
    run_once("json_schema");
}

#[test]
fn llama_cpp_server_with_json_object() {
    run_once("json_object");
}
