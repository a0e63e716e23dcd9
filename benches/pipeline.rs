//! Throughput of the offline stages on the longest speeches of the corpus
//! (`../shared/eval/speeches`; falls back to the fixtures when absent).
//!
//! `cargo bench --bench pipeline` — criterion reports time per speech and
//! throughput in bytes; the closing notes convert to characters per second.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use speechdigest::ingest::{Hint, ingest_bytes};
use speechdigest::outline::outline;

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

criterion_group!(benches, ingest_and_outline);
criterion_main!(benches);
