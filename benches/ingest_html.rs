//! Throughput of HTML ingest (decode, article extraction, furniture
//! removal, header) on two pages of `tests/fixtures/pages/`: a long
//! government page in undeclared GBK and a Wikisource-shaped page with
//! footnote and edit links; beside the text bench in `pipeline.rs`.
//!
//! `cargo bench --bench ingest_html` — criterion reports time per page and
//! throughput in bytes of the page.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use speechdigest::{Hint, ingest_bytes};

fn html_pages(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let mut group = c.benchmark_group("ingest-html");
    for name in ["zh-gov-report-2022-gbk-undeclared.html", "en-kennedy-1961-wikisource.html"] {
        let bytes = std::fs::read(root.join(name)).expect("read page");
        let hint = Hint { is_html: true, ..Hint::default() };
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| ingest_bytes(&bytes, name, &hint).expect("ingest"))
        });
    }
    group.finish();
}

criterion_group!(benches, html_pages);
criterion_main!(benches);
