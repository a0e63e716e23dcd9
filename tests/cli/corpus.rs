//! Properties over every speech: the fixtures always, and the evaluation
//! corpus in `<shared>/eval/speeches` when it is present (required under
//! `SPEECHDIGEST_REQUIRE_SHARED=1`).

use std::path::PathBuf;

use speechdigest::model::{Outline, SectionKind};
use speechdigest::outline;
use speechdigest::{Hint, Source, ingest_bytes, read_source};

use crate::support::{fixture, shared_speeches};

fn speeches() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(fixture("speeches")).unwrap().map(|e| e.unwrap().path()).collect();
    // Without the corpus, the properties run on the fixtures only.
    if let Some(dir) = shared_speeches() {
        files.extend(
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt")),
        );
    }
    files.sort();
    files
}

fn load(path: &std::path::Path) -> (String, Outline) {
    let (bytes, hint) = read_source(&Source::Path(path.to_path_buf()), 1 << 26).unwrap();
    let doc =
        ingest_bytes(&bytes, &path.display().to_string(), &Hint { lang: None, ..hint }).unwrap();
    let o = outline(&doc);
    (doc.text, o)
}

// Regression: issue 2, must-show 1 — no sentence of the speech is lost.
#[test]
fn sentences_and_headings_tile_the_clean_text() {
    for path in speeches() {
        let (text, o) = load(&path);
        let mut spans = Vec::new();
        for s in o.walk() {
            if let Some(h) = s.heading_span {
                spans.push(h);
            }
            for p in &s.paragraphs {
                for sent in &p.sentences {
                    assert_eq!(
                        &text[sent.span.start..sent.span.end],
                        sent.text,
                        "{}",
                        path.display()
                    );
                    spans.push(sent.span);
                }
            }
        }
        spans.sort();
        let rebuilt: String = spans.iter().map(|s| &text[s.start..s.end]).collect::<String>();
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(squash(&rebuilt), squash(&text), "{}", path.display());
        for w in spans.windows(2) {
            assert!(w[0].end <= w[1].start, "{}: overlapping spans {:?}", path.display(), w);
        }
    }
}

// Regression: issue 2, must-show 1 — no furniture line in any section.
#[test]
fn no_furniture_in_any_section() {
    let furniture = [
        "浏览量",
        "点赞 0",
        "收藏 0",
        "发布时间",
        "来源：",
        "来源:",
        "【字号",
        "【字体",
        "分享到",
        "您的位置",
        "相关报道",
        "相关文档",
        "责任编辑",
        "打印本页",
        "关闭窗口",
        "扫一扫",
        "本报记者",
        "》》点击",
        "(Applause.)",
    ];
    for path in speeches() {
        let (text, _) = load(&path);
        for f in furniture {
            assert!(!text.contains(f), "{}: {f}", path.display());
        }
        let lines: Vec<&str> = text.lines().collect();
        for l in &lines {
            assert!(
                ![
                    "下载", "打印", "全屏", "收藏", "加大", "还原", "减小", "】", "首页", ">", "|",
                    "×"
                ]
                .contains(l),
                "{}: {l}",
                path.display()
            );
        }
    }
}

#[test]
fn reports_have_one_part_per_top_numeral_with_children() {
    let Some(dir) = shared_speeches() else { return };
    let expected = [
        ("zh-gov-work-report-2022-national.txt", 3, 9),
        ("zh-beijing-gov-work-report-2026.txt", 3, 10),
        ("zh-yunnan-gov-work-report-2026.txt", 3, 21),
        ("zh-sichuan-gov-work-report-2026.txt", 3, 10),
        ("zh-cpc-20th-congress-report-2022.txt", 15, 41),
    ];
    for (name, parts, children) in expected {
        let (_, o) = load(&dir.join(name));
        let ps: Vec<_> = o.sections.iter().filter(|s| s.kind == SectionKind::Part).collect();
        assert_eq!(ps.len(), parts, "{name}");
        let kids: usize = ps.iter().map(|p| p.children.len()).sum();
        assert_eq!(kids, children, "{name}");
        assert!(o.sections.iter().any(|s| s.kind == SectionKind::Opening), "{name}");
    }
    let (_, o) = load(&dir.join("en-kennedy-1961-urgent-national-needs.txt"));
    let labels: Vec<&str> = o
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Part)
        .filter_map(|s| s.label.as_deref())
        .collect();
    assert_eq!(labels, ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]);
}
