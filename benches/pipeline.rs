//! Throughput of the offline stages on the longest speeches of the corpus
//! (`../shared/eval/speeches`; falls back to the fixtures when absent).
//!
//! `cargo bench --bench pipeline` — criterion reports time per speech and
//! throughput in bytes; the closing notes convert to characters per second.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use speechdigest::outline;
use speechdigest::{Hint, ingest_bytes};
use speechdigest::{Pipeline, process};

fn inputs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/eval/speeches");
    let names = [
        "zh-cpc-20th-congress-report-2022.txt",
        "zh-sichuan-gov-work-report-2026.txt",
        "en-kennedy-1961-urgent-national-needs.txt",
    ];
    if shared.is_dir() {
        names.iter().map(|n| shared.join(n)).collect()
    } else {
        vec![root.join("tests/fixtures/speeches/zh-seed-anticorruption-2025.txt")]
    }
}

fn ingest_and_outline(c: &mut Criterion) {
    let mut group = c.benchmark_group("ingest+outline");
    for path in inputs() {
        let bytes = std::fs::read(&path).expect("read speech");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("speech").to_owned();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(&name, |b| {
            b.iter(|| {
                let doc = ingest_bytes(&bytes, &name, &Hint::default()).expect("ingest");
                outline(&doc)
            })
        });
    }
    group.finish();
}

/// The whole offline `build` without the disk: ingest, outline, summaries,
/// facts, digest and every template, on the six Chinese speeches at once.
fn offline_build(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/eval/speeches");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&shared) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("zh-") && n.ends_with(".txt"))
            })
            .collect(),
        Err(_) => vec![root.join("tests/fixtures/speeches/zh-seed-anticorruption-2025.txt")],
    };
    files.sort();
    let inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read(p).expect("read speech")))
        .collect();
    // The same outputs as `build` minus the transcript files and spoken twins.
    let pipeline = Pipeline::offline(&[
        "briefing.md",
        "handout.md",
        "handout.html",
        "keypoints.md",
        "newsletter.md",
        "digest.json",
    ])
    .expect("built-in templates");
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    // Warm the word-segmentation dictionary, as a long run would have.
    for (name, bytes) in &inputs {
        let doc = ingest_bytes(bytes, name, &Hint::default()).expect("ingest");
        let _ = rt.block_on(process(&doc, &pipeline)).expect("process");
    }
    let bytes: u64 = inputs.iter().map(|(_, b)| b.len() as u64).sum();
    let mut group = c.benchmark_group("offline-build");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.bench_function("six-zh-speeches", |b| {
        b.iter(|| {
            let mut out = 0usize;
            for (name, bytes) in &inputs {
                let doc = ingest_bytes(bytes, name, &Hint::default()).expect("ingest");
                let done = rt.block_on(process(&doc, &pipeline)).expect("process");
                out += done.files.iter().map(|(_, b)| b.len()).sum::<usize>();
            }
            out
        })
    });
    group.finish();
}

criterion_group!(benches, ingest_and_outline, offline_build);
criterion_main!(benches);
