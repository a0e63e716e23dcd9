//! End to end against `../shared/tools/openai_mock.py`, the team's
//! OpenAI-compatible mock server (latency, 429s, key checks, injected
//! figures). Skipped, with a printed reason, when python3 or the script is
//! absent; the in-process stub tests in `api.rs` cover the same client logic
//! without them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{run_in, speech};

struct Mock {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mock_script() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/openai_mock.py");
    let python = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match (p.is_file(), python.is_ok_and(|s| s.success())) {
        (true, true) => Some(p),
        (false, _) => {
            eprintln!("skipped: ../shared/tools/openai_mock.py not found");
            None
        }
        (_, false) => {
            eprintln!("skipped: python3 not found");
            None
        }
    }
}

fn start(dir: &Path, args: &[&str]) -> Option<Mock> {
    let script = mock_script()?;
    let port_file = dir.join("mock.port");
    let log = dir.join("mock.jsonl");
    let child = Command::new("python3")
        .arg(script)
        .args(["--host", "127.0.0.1", "--port", "0", "--port-file"])
        .arg(&port_file)
        .arg("--log")
        .arg(&log)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the mock");
    // Owned by `Mock` at once, so that it is killed and reaped on every path.
    let mut mock = Mock { child, port: 0, log };
    let started = Instant::now();
    while mock.port == 0 {
        mock.port = std::fs::read_to_string(&port_file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        assert!(started.elapsed() < Duration::from_secs(20), "the mock did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(mock)
}

impl Mock {
    fn requests(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

fn write_config(dir: &Path, port: u16, extra: &str) {
    let c = format!(
        "provider = \"mock\"\n[providers.mock]\nbase_url = \"http://127.0.0.1:{port}/v1\"\nmodel = \"mock-model\"\napi_key_env = \"MOCK_KEY\"\nconcurrency = 4\nmax_output_tokens = 4000\n[cache]\npath = \"cache.sqlite\"\n[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n[[sources]]\nname = \"inbox\"\nkind = \"folder\"\npath = \"inbox\"\n{extra}"
    );
    std::fs::write(dir.join("speechdigest.toml"), c).unwrap();
}

fn sd(dir: &Path, args: &[&str], key: &str) -> crate::support::Run {
    let out = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("speechdigest"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("MOCK_KEY", key)
        .env_remove("OPENAI_API_KEY")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    crate::support::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn digests(dir: &Path) -> Vec<Value> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("out"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("digest.json"))
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
}

// Regression: issue 5, must-show 2.
#[test]
fn build_through_the_mock_with_429s_then_cached() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some(mock) =
        start(d, &["--fail-first", "1", "--latency-ms", "300", "--api-key", "sk-right-key"])
    else {
        return;
    };
    write_config(d, mock.port, "");
    let inputs = [
        speech("zh-seed-anticorruption-2025.txt"),
        speech("en-johnson-1963-joint-session-nov27.txt"),
    ];
    let mut args: Vec<&str> = vec!["build", "--config", "speechdigest.toml", "-o", "out", "-v"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    let r = sd(d, &args, "sk-right-key");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("sk-right-key") && !r.stdout.contains("sk-right-key"));
    let ds = digests(d);
    assert_eq!(ds.len(), 2);
    for dg in &ds {
        assert_eq!(dg["provider"]["kind"], "openai");
        let calls = dg["api"]["calls"].as_u64().unwrap();
        let sections = dg["sections"].as_array().unwrap().len() as u64;
        assert!(calls <= sections + 3, "{calls} calls for {sections} sections");
    }
    // 429s were retried, never before their Retry-After (the mock says 1 s).
    let reqs = mock.requests();
    let throttled: Vec<&Value> = reqs.iter().filter(|r| r["status"] == 429).collect();
    assert!(!throttled.is_empty());
    for t in &throttled {
        let retry = reqs
            .iter()
            .find(|r| r["prompt_hash"] == t["prompt_hash"] && r["seq"].as_u64() > t["seq"].as_u64())
            .expect("a throttled request was retried");
        let waited = retry["ts"].as_f64().unwrap() - t["ts"].as_f64().unwrap();
        assert!(waited >= 0.95, "retried {waited:.2} s after a 429 with Retry-After: 1");
    }
    let before = reqs.len();
    let r = sd(d, &args, "sk-right-key");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mock.requests().len(), before, "the cached rerun called the API");
    let cache = std::fs::read(d.join("cache.sqlite")).unwrap();
    assert!(!String::from_utf8_lossy(&cache).contains("sk-right-key"));
}

// Regression: issue 5, must-show 2 (invented figure).
#[test]
fn an_injected_figure_is_flagged_and_strict_keeps_it_out() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some(mock) = start(d, &["--inject", " 同比增长77.7%。"]) else { return };
    write_config(d, mock.port, "");
    let seed = speech("zh-seed-anticorruption-2025.txt");
    let r = sd(
        d,
        &["build", "--config", "speechdigest.toml", "-o", "out", seed.to_str().unwrap()],
        "k",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dg = &digests(d)[0];
    assert!(
        dg["warnings"].as_array().unwrap().iter().any(|w| w["kind"] == "unsupported_figure"
            && w["text"].as_str().unwrap_or("").contains("77.7")),
        "{}",
        dg["warnings"]
    );
    std::fs::remove_dir_all(d.join("out")).unwrap();
    let r = sd(
        d,
        &[
            "build",
            "--config",
            "speechdigest.toml",
            "-o",
            "out",
            "--strict",
            seed.to_str().unwrap(),
        ],
        "k",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for e in std::fs::read_dir(d.join("out")).unwrap().flatten() {
        for f in std::fs::read_dir(e.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name == "digest.json" {
                continue; // the warning itself names the figure
            }
            assert!(
                !std::fs::read_to_string(f.path()).unwrap().contains("77.7"),
                "{name} carries the invented figure"
            );
        }
    }
}

// Regression: issue 5, must-show 2 (wrong key).
#[test]
fn a_wrong_key_fails_at_once_without_echoing_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some(mock) = start(d, &["--api-key", "sk-right-key"]) else { return };
    write_config(d, mock.port, "");
    let seed = speech("zh-seed-anticorruption-2025.txt");
    let t0 = Instant::now();
    let r = sd(
        d,
        &["build", "--config", "speechdigest.toml", "-o", "out", "-vv", seed.to_str().unwrap()],
        "sk-wrong-key-42",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(t0.elapsed() < Duration::from_secs(10), "{:?}", t0.elapsed());
    assert!(r.stderr.contains("401"), "{}", r.stderr);
    assert!(!r.stderr.contains("sk-wrong-key-42") && !r.stdout.contains("sk-wrong-key-42"));
    assert!(
        !d.join("out").exists() || std::fs::read_dir(d.join("out")).unwrap().next().is_none(),
        "outputs written"
    );
}

// Regression: issue 5, must-show 2 (an endpoint that always fails).
#[test]
fn an_always_failing_endpoint_ends_quickly_with_no_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some(mock) = start(d, &["--error-rate", "1", "--error-status", "503"]) else { return };
    write_config(d, mock.port, "");
    let seed = speech("zh-seed-anticorruption-2025.txt");
    let t0 = Instant::now();
    let r = sd(
        d,
        &["build", "--config", "speechdigest.toml", "-o", "out", seed.to_str().unwrap()],
        "k",
    );
    let took = t0.elapsed();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(took < Duration::from_secs(90), "gave up only after {took:?}");
    let errors: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert!(errors[0].contains("503"), "{}", r.stderr);
    assert!(
        !d.join("out").exists() || std::fs::read_dir(d.join("out")).unwrap().next().is_none(),
        "outputs written"
    );
}

// Regression: issue 6, must-show 2 (SIGKILL mid-pass, slowed by the mock).
#[test]
#[cfg(unix)]
fn a_watch_pass_killed_mid_way_is_finished_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some(mock) = start(d, &["--latency-ms", "500"]) else { return };
    write_config(d, mock.port, "");
    std::fs::create_dir_all(d.join("inbox")).unwrap();
    for (i, name) in [
        "zh-seed-anticorruption-2025.txt",
        "en-johnson-1963-joint-session-nov27.txt",
        "seed-page.html",
    ]
    .iter()
    .enumerate()
    {
        std::fs::copy(speech(name), d.join(format!("inbox/{i}-{name}"))).unwrap();
    }
    let folders = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d.join("digests"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        v.sort();
        v
    };
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("speechdigest"))
        .args(["watch", "--once", "--config", "speechdigest.toml"])
        .current_dir(d)
        .env("HOME", d)
        .env("MOCK_KEY", "k")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while folders(d).is_empty() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = folders(d);
    assert!(!before.is_empty() && before.len() < 3, "{before:?}");
    let r = run_in(d, ["watch", "--once", "--config", "speechdigest.toml"]);
    // run_in clears MOCK_KEY; the mock does not require one.
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected =
        format!("{} new, 0 updated, {} unchanged, 0 failed", 3 - before.len(), before.len());
    assert!(r.stdout.contains(&expected), "{}", r.stdout);
    assert_eq!(folders(d).len(), 3);
    let hidden: Vec<_> = std::fs::read_dir(d.join("digests"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "temporaries left");
    drop(mock);
}
