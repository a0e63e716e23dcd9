//! Speed of the TTS stage: normalising 20,000 characters of a Chinese speech,
//! normalising the TN evaluation rows (rows per second), and a whole
//! transcript. Uses `../shared/eval/` when present, else the fixtures.
//!
//! `cargo bench --bench tts` (quick: `-- --warm-up-time 1 --measurement-time 3`).

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use speechdigest::model::Lang;
use speechdigest::outline;
use speechdigest::{Engine, NormalizeOptions, TtsOptions, normalize, transcript};
use speechdigest::{Hint, ingest_bytes};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shared(rel: &str) -> Option<PathBuf> {
    let p = root().join("../shared/eval").join(rel);
    p.exists().then_some(p)
}

/// The first 20,000 characters of a long Chinese speech (the seed, repeated,
/// without the corpus).
fn chinese_20k() -> String {
    let path = shared("speeches/zh-sichuan-gov-work-report-2026.txt")
        .unwrap_or_else(|| root().join("tests/fixtures/speeches/zh-seed-anticorruption-2025.txt"));
    let text = std::fs::read_to_string(&path).expect("read speech");
    text.chars().cycle().take(20_000).collect()
}

fn rows(lang: &str) -> Vec<String> {
    let path = shared(&format!("tn/{lang}.tsv"))
        .unwrap_or_else(|| root().join(format!("tests/fixtures/tn/{lang}.tsv")));
    let tsv = std::fs::read_to_string(path).expect("read tsv");
    tsv.lines().skip(1).filter_map(|l| l.split('\t').next()).map(str::to_owned).collect()
}

fn normalise(c: &mut Criterion) {
    let opts = NormalizeOptions::default();
    let text = chinese_20k();
    let mut g = c.benchmark_group("normalize");
    g.throughput(Throughput::Elements(20_000));
    g.bench_function("zh speech, 20000 chars", |b| b.iter(|| normalize(&text, Lang::Zh, &opts)));
    for (code, lang) in [("zh", Lang::Zh), ("en", Lang::En)] {
        let rows = rows(code);
        g.throughput(Throughput::Elements(rows.len() as u64));
        g.bench_function(format!("{code}.tsv rows"), |b| {
            b.iter(|| rows.iter().map(|r| normalize(r, lang, &opts).len()).sum::<usize>())
        });
    }
    g.finish();
}

fn whole_transcript(c: &mut Criterion) {
    let path = root().join("tests/fixtures/speeches/zh-seed-anticorruption-2025.txt");
    let bytes = std::fs::read(&path).expect("read speech");
    let doc = ingest_bytes(&bytes, "seed", &Hint::default()).expect("ingest");
    let o = outline(&doc);
    let opts = TtsOptions::for_engine(Engine::Generic, Lang::Zh);
    let mut g = c.benchmark_group("transcript");
    g.throughput(Throughput::Elements(doc.meta.chars as u64));
    g.bench_function("seed, generic", |b| b.iter(|| transcript(&o, &opts)));
    g.finish();
}

criterion_group!(benches, normalise, whole_transcript);
criterion_main!(benches);
