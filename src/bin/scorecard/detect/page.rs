//! Detectors over the printed page: local_path, furniture, long_handout,
//! label_mix.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::lifted::clip;
use crate::rules::first_match;
use crate::speech::{Speech, han_count};

/// An absolute path of a machine (`/home/…`, `C:\…`), or a `来源`/`Source`
/// label followed by something path-shaped.
static LOCAL_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[\s(（:："'=>])(?:/home/|/tmp/|/work/|/root/|/Users/|/var/folders/|file:///|[A-Za-z]:\\)|(?:来源|Source)\s*[:：]\s*\S*[/\\]\S*\.(?:txt|html?|md|pdf|docx?)\b"#)
        .expect("regex")
});

/// local_path: a line of any output (or a string of digest.json other than
/// `meta.source`, which is by design the path as given) with a local path.
pub(crate) fn local_path(s: &Speech) -> Vec<String> {
    let mut out = Vec::new();
    for (name, text) in &s.files {
        for line in text.lines().filter(|l| LOCAL_PATH.is_match(l)) {
            out.push(format!("{name}: {}", clip(line)));
        }
    }
    let mut digest = s.digest.clone();
    if let Some(meta) = digest.get_mut("meta").and_then(Value::as_object_mut) {
        meta.remove("source");
    }
    let mut strings = Vec::new();
    collect_strings(&digest, "", &mut strings);
    for (at, text) in strings {
        if LOCAL_PATH.is_match(&text) {
            out.push(format!("digest.json {at}: {}", clip(&text)));
        }
    }
    out
}

fn collect_strings(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(t) => out.push((at.to_owned(), t.clone())),
        Value::Array(a) => {
            a.iter().enumerate().for_each(|(i, x)| collect_strings(x, &format!("{at}/{i}"), out))
        }
        Value::Object(o) => {
            o.iter().for_each(|(k, x)| collect_strings(x, &format!("{at}/{k}"), out))
        }
        _ => {}
    }
}

/// The Markdown outputs: the HTML handout says what handout.md says, so
/// counting both would count each line twice.
const MARKDOWN: &[&str] = &["handout.md", "newsletter.md", "briefing.md", "keypoints.md"];

/// furniture: lines of page chrome (责任编辑, 字号, 打印本页, Back to top,
/// Share), stage directions ((Applause.), [laughter]) or speaker labels.
pub(crate) fn furniture(s: &Speech) -> Vec<String> {
    let lang = s.lang();
    let mut out = Vec::new();
    for name in MARKDOWN {
        for line in s.file(name).lines() {
            let l = line.trim();
            if let Some(r) = first_match("furniture", lang, l)
                .or_else(|| first_match("furniture", other(lang), l))
            {
                out.push(format!("{name}: {} ({})", clip(l), r.why));
            }
        }
    }
    out
}

fn other(lang: &str) -> &'static str {
    if lang == "zh" { "en" } else { "zh" }
}

/// Printed A4 pages (body 11 pt, 2 cm margins) per unit of `handout.md`
/// text, fitted to Chromium's `--print-to-pdf` page counts of the 11
/// corpus handouts of the 学习提纲 layout (3–6 pages; the estimate, rounded
/// up, gives each one's count exactly): one page per 950 字, 360 English
/// words, or 150 blocks (paragraphs, list items, headings: their spacing).
/// A layout change needs a refit: `chromium --headless --print-to-pdf` and
/// `pdfinfo` over a built corpus.
const HAN_PER_PAGE: f64 = 950.0;
const WORDS_PER_PAGE: f64 = 360.0;
const BLOCKS_PER_PAGE: f64 = 150.0;

/// Page limits: 2–4 pages up to 20,000 字 / 10,000 words of speech, at most 6 above.
const LONG_SPEECH_ZH: f64 = 20_000.0;
const LONG_SPEECH_EN: f64 = 10_000.0;

/// long_handout: one finding per estimated printed page over the limit.
pub(crate) fn long_handout(s: &Speech) -> Vec<String> {
    let Some(pages) = estimated_pages(s) else { return Vec::new() };
    let length = s.digest.pointer("/stats/length").and_then(Value::as_f64).unwrap_or(0.0);
    let long = if s.lang() == "zh" { LONG_SPEECH_ZH } else { LONG_SPEECH_EN };
    let limit = if length > long { 6 } else { 4 };
    (limit + 1..=pages).map(|p| format!("page {p} of about {pages} (limit {limit})")).collect()
}

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<style.*?</style>|<script.*?</script>|<[^>]+>").expect("regex")
});
static BLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(?:p|li|h[1-6]|blockquote|tr|dt|dd)\b").expect("regex"));
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z]+(?:['’-][A-Za-z]+)*").expect("regex"));

/// The handout's printed pages, from handout.html (else handout.md).
pub(crate) fn estimated_pages(s: &Speech) -> Option<usize> {
    // The Markdown says what the HTML prints, without markup to strip.
    let md = s.file("handout.md");
    let (text, blocks) = if !md.is_empty() {
        (md.to_owned(), md.lines().filter(|l| !l.trim().is_empty()).count())
    } else {
        let html = s.file("handout.html");
        if html.is_empty() {
            return None;
        }
        let body = html.split_once("<body").map_or(html, |(_, b)| b);
        (TAG.replace_all(body, " ").into_owned(), BLOCK.find_iter(body).count())
    };
    let pages = han_count(&text) as f64 / HAN_PER_PAGE
        + WORD.find_iter(&text).count() as f64 / WORDS_PER_PAGE
        + blocks as f64 / BLOCKS_PER_PAGE;
    Some((pages.ceil() as usize).max(1))
}

static ALL_CAPS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^a-z]*[A-Z][^a-z]*$").expect("regex"));

/// label_mix: a line whose labels mix languages (`10 Part`, `2 部分`, an
/// English label word in a zh output, a Han character in an en one) and
/// ALL-CAPS titles shown. Lines of the speech's own text are not labels:
/// only headings, `**label**:` items and short lines are looked at.
pub(crate) fn label_mix(s: &Speech) -> Vec<String> {
    let lang = s.lang();
    let mut out = Vec::new();
    let mut caps_seen = std::collections::HashSet::new();
    for name in MARKDOWN {
        for line in s.file(name).lines() {
            let l = line.trim();
            let heading = l.starts_with('#');
            let labelled = l.starts_with("- **") || l.starts_with("**");
            if !(heading || labelled || l.chars().count() <= 40) || l.is_empty() {
                continue;
            }
            let probe = if labelled && !heading { label_part(l) } else { l };
            if let Some(r) = first_match("label_word", lang, probe) {
                out.push(format!("{name}: {} ({})", clip(l), r.why));
            } else if heading && lang == "en" {
                let title = l.trim_start_matches('#').trim();
                // One title shown in four files is one defect.
                let key: String = title.chars().filter(char::is_ascii_alphabetic).collect();
                if title.chars().filter(char::is_ascii_uppercase).count() >= 8
                    && ALL_CAPS.is_match(title)
                    && caps_seen.insert(key.trim_start_matches(['I', 'V', 'X']).to_owned())
                {
                    out.push(format!("{name}: {} (an ALL-CAPS title)", clip(l)));
                }
            }
        }
    }
    out
}

/// The label of `- **label**: text` (or the whole line when it has none).
fn label_part(l: &str) -> &str {
    let t = l.trim_start_matches("- ");
    match t.strip_prefix("**").and_then(|r| r.find("**").map(|i| &r[..i])) {
        Some(label) => label,
        None => l,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn local_paths() {
        for (line, bad) in [
            ("- 来源: /work/shared/eval/speeches/zh-seed-anticorruption-2025.txt", true),
            ("Source: /home/me/speech.txt", true),
            ("Source: C:\\Users\\me\\speech.txt", true),
            ("来源: speeches/zh-seed.txt", true),
            ("- 来源: zh-seed-anticorruption-2025.txt", false),
            ("Source: whitehouse.gov, 2002-01-29", false),
            ("Rates fell 1/2 point.", false),
        ] {
            let s = Speech::new("s", json!({}), &[("handout.md", line)]);
            assert_eq!(local_path(&s).len(), usize::from(bad), "{line}");
        }
        let d = json!({"meta": {"source": "/work/x.txt"}, "warnings": [{"message": "read /tmp/x.txt"}]});
        assert_eq!(local_path(&Speech::new("s", d, &[])).len(), 1);
    }

    #[test]
    fn furniture_lines() {
        for (lang, line, bad) in [
            ("zh", "责任编辑：王某", true),
            ("zh", "【字号 大 中 小】", true),
            ("zh", "打印本页 关闭窗口", true),
            ("zh", "同志们，我们要坚持（掌声）", true),
            ("en", "Back to top", true),
            ("en", "Share", true),
            ("en", "We will win. (Applause.)", true),
            ("en", "It was a joke [laughter]", true),
            ("en", "- THE PRESIDENT: Thank you.", true),
            ("en", "We share a common goal.", false),
            ("zh", "健全字号管理制度", false),
        ] {
            let s = Speech::new("s", json!({"meta": {"lang": lang}}), &[("briefing.md", line)]);
            assert_eq!(furniture(&s).len(), usize::from(bad), "{line}");
        }
    }

    #[test]
    fn long_handouts() {
        let zh = |han: usize, length: usize| {
            let html = format!("<html><body><p>{}</p></body></html>", "字".repeat(han));
            Speech::new(
                "s",
                json!({"meta": {"lang": "zh"}, "stats": {"length": length}}),
                &[("handout.html", html.leak())],
            )
        };
        assert!(long_handout(&zh(2_500, 8_000)).is_empty()); // 4 pages
        assert_eq!(long_handout(&zh(4_800, 8_000)).len(), 2); // 6 pages, limit 4
        assert!(long_handout(&zh(3_900, 30_000)).is_empty()); // 6 pages, limit 6
        let md = format!("# T\n\n{}\n", "word ".repeat(1_900));
        let en = Speech::new(
            "s",
            json!({"meta": {"lang": "en"}, "stats": {"length": 5000}}),
            &[("handout.md", md.leak())],
        );
        assert_eq!(estimated_pages(&en), Some(6));
        assert_eq!(long_handout(&en).len(), 2);
    }

    #[test]
    fn caps_title_counted_once() {
        let s = Speech::new(
            "s",
            json!({"meta": {"lang": "en"}}),
            &[
                ("handout.md", "### [7] VII CIVIL DEFENSE\n"),
                ("briefing.md", "### VII CIVIL DEFENSE\n"),
            ],
        );
        assert_eq!(label_mix(&s).len(), 1);
    }

    #[test]
    fn mixed_labels() {
        for (lang, line, bad) in [
            ("zh", "- 2471 字, 2 部分, ~9 min", true),
            ("zh", "## Overview", true),
            ("zh", "- **Source**: 新华社", true),
            ("zh", "- **来源**: 新华社", false),
            ("zh", "- 2471字 · 2个部分 · 约9分钟", false),
            ("zh", "GDP增长5%左右", false),
            ("en", "- 10 Part, ~40 min", true),
            ("en", "## 要点", true),
            ("en", "# STATE OF THE UNION ADDRESS", true),
            ("en", "# State of the Union Address", false),
            ("en", "- 10 parts, about 40 min", false),
            ("en", "## USA", false),
        ] {
            let s = Speech::new("s", json!({"meta": {"lang": lang}}), &[("handout.md", line)]);
            assert_eq!(label_mix(&s).len(), usize::from(bad), "{line}: {:?}", label_mix(&s));
        }
    }
}
