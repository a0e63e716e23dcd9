//! Start-up (issue 16): what a process pays before its first result.
//!
//! `cargo bench --bench startup` —
//! - `segmenter`: the Chinese segmenter's first cut of one line, with the
//!   dictionary prebuilt in the binary (`Jieba::new`, what speechdigest uses)
//!   and, for comparison, built at run time from `dict.txt` (what it did
//!   before);
//! - `token counter`: the `o200k_base` tokenizer's construction and first
//!   count, which API runs now pay only for a text near its budget;
//! - `process`: the release-like binary itself, `summary - --sentences 1` on
//!   one Chinese and one English line (their difference is the start-up the
//!   issue's goal bounds at 40 ms CPU), and an API `--dry-run` against an
//!   `http://` endpoint (no CA store, no tokenizer).
//!
//! Criterion measures wall time; the README's CPU figures come from
//! `perf stat -r 20` on the release binary.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use jieba_rs::Jieba;

const ZH_LINE: &str = "今天我们召开全国人民代表大会，审议政府工作报告。";
const EN_LINE: &str = "Today we meet to review the work of the government and plan the year ahead.";

fn segmenter(c: &mut Criterion) {
    let mut group = c.benchmark_group("segmenter first cut");
    group.sample_size(10);
    group.bench_function("prebuilt", |b| {
        b.iter(|| Jieba::new().cut(ZH_LINE, true).len());
    });
    group.bench_function("built at run time", |b| {
        b.iter(|| {
            let mut j = Jieba::empty();
            j.load_default_dict();
            j.cut(ZH_LINE, true).len()
        });
    });
    group.finish();
}

fn token_counter(c: &mut Criterion) {
    let mut group = c.benchmark_group("token counter first count");
    group.sample_size(10);
    group.bench_function("o200k_base", |b| {
        b.iter_batched(
            || (),
            |()| tiktoken_rs::o200k_base().map(|bpe| bpe.encode_ordinary(EN_LINE).len()),
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

fn run(args: &[&str], stdin: &str, envs: &[(&str, &str)]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_speechdigest"))
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn speechdigest");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    assert!(child.wait().expect("wait").success(), "speechdigest {args:?} failed");
}

fn process(c: &mut Criterion) {
    let mut group = c.benchmark_group("process");
    group.sample_size(10);
    let summary = ["summary", "-", "--sentences", "1"];
    group.bench_function("summary zh line", |b| b.iter(|| run(&summary, ZH_LINE, &[])));
    group.bench_function("summary en line", |b| b.iter(|| run(&summary, EN_LINE, &[])));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let speech = root.join("tests/fixtures/speeches/en-johnson-1963-joint-session-nov27.txt");
    let speech = speech.to_str().expect("utf-8 path");
    let out = tempfile::tempdir().expect("temp dir");
    let out = out.path().to_str().expect("utf-8 path").to_owned();
    let dry = [
        "build",
        speech,
        "--out",
        &out,
        "--dry-run",
        "--provider",
        "openai",
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--model",
        "m",
    ];
    group.bench_function("build --dry-run openai http", |b| {
        b.iter(|| run(&dry, "", &[("OPENAI_API_KEY", "x")]))
    });
    group.finish();
}

criterion_group!(benches, segmenter, token_counter, process);
criterion_main!(benches);
