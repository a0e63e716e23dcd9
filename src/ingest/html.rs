//! HTML page → article lines + what the page says about itself (title,
//! publication date, byline).
//!
//! The article body comes from `dom_smoothie` (a port of Mozilla's
//! Readability) in Markdown mode, so `<h2>` headings stay on lines of their
//! own and are marked as headings; Raw mode glues a heading to the next
//! paragraph. The Markdown is then reduced to plain lines here.

use std::sync::LazyLock;

use dom_smoothie::{Config, Readability, TextMode};
use regex::Regex;

use crate::ingest::clean::{Line, normalise_line, ymd};
use crate::ingest::depth;

/// What was extracted from a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HtmlArticle {
    /// Article lines, headings flagged.
    pub lines: Vec<Line>,
    /// The page title with the site's name removed.
    pub title: Option<String>,
    /// Publication date (`YYYY-MM-DD`) from the page's `<meta>` tags or its `发布时间` line.
    pub published: Option<String>,
}

/// True when the text looks like an HTML document rather than plain text.
pub(crate) fn looks_like_html(text: &str) -> bool {
    let head: String =
        text.trim_start().chars().take(1024).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
        || (head.starts_with('<')
            && (head.contains("<head") || head.contains("<body") || head.contains("<meta")))
}

static META_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<meta\s+[^>]*(?:name|property|itemprop)\s*=\s*["']?(?:pubdate|publishdate|publish_date|firstpublishedtime|article:published_time|datepublished|date|dc\.date|og:published_time)["']?[^>]*content\s*=\s*["']?(\d{4})[-/年.]?(\d{1,2})[-/月.]?(\d{1,2})"#)
        .expect("static regex")
});

static TEXT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:发布时间|发布日期|日期|时间)\s*[:：]\s*(?:<[^>]*>\s*)*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
        .expect("static regex")
});

static MD_IMAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!\[[^\]]*\]\([^)]*\)").expect("static regex"));
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("static regex"));

/// Extracts the article of an HTML page, its tree flattened past
/// `max_depth` levels (see `depth.rs`).
///
/// # Errors
/// A message when no article could be found in the page.
pub(crate) fn extract(
    html: &str,
    url: Option<&str>,
    max_depth: usize,
) -> Result<HtmlArticle, String> {
    let cfg = Config { text_mode: TextMode::Markdown, ..Config::default() };
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let (doc, bounded) = depth::parse(html, max_depth);
    if bounded.dropped_tags + bounded.flattened > 0 {
        tracing::debug!("nesting bounded at {max_depth}: {bounded:?}");
    }
    let mut reader = Readability::with_document(doc, url, Some(cfg)).map_err(|e| e.to_string())?;
    let article = reader.parse().map_err(|e| format!("no article found in the page ({e})"))?;
    let mut out = HtmlArticle { title: site_title(&article.title), ..HtmlArticle::default() };
    out.published = article
        .published_time
        .as_deref()
        .and_then(ymd_prefix)
        .or_else(|| META_DATE.captures(html).and_then(|c| ymd(&c[1], &c[2], &c[3])))
        .or_else(|| TEXT_DATE.captures(html).and_then(|c| ymd(&c[1], &c[2], &c[3])));
    out.lines = markdown_lines(&article.text_content);
    Ok(out)
}

fn ymd_prefix(t: &str) -> Option<String> {
    let t = t.trim();
    // `get` rather than indexing: a page may write `2025-10-中` (not a char boundary at 10).
    let (y, m, d) = (t.get(..4)?, t.get(5..7)?, t.get(8..10)?);
    (t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-').then(|| ymd(y, m, d)).flatten()
}

/// Removes the site's name from a page title: `讲话全文_市政府门户网站` →
/// `讲话全文`, `Remarks by … | The White House` → `Remarks by …`.
pub(crate) fn site_title(title: &str) -> Option<String> {
    let t = normalise_line(title);
    if t.is_empty() {
        return None;
    }
    for sep in ["_", " | ", "|", " - ", " – ", " — ", "－"] {
        if let Some(i) = t.find(sep) {
            let head = t[..i].trim();
            if head.chars().count() >= 4 {
                return Some(head.to_owned());
            }
        }
    }
    Some(t)
}

/// Markdown (as dom_smoothie writes it) → plain lines; `#` lines are headings.
fn markdown_lines(md: &str) -> Vec<Line> {
    let mut out = Vec::new();
    for raw in md.lines() {
        let mut t = raw.trim();
        let mut is_heading = false;
        if t.starts_with('#') {
            let hashes = t.chars().take_while(|&c| c == '#').count();
            if hashes <= 6 && t[hashes..].starts_with(' ') {
                t = t[hashes..].trim_start();
                is_heading = true;
            }
        }
        if t.starts_with("> ") {
            t = &t[2..];
        }
        t = strip_nesting_markers(t);
        if t.starts_with('|')
            || t.chars().all(|c| matches!(c, '-' | '*' | '_' | ' ' | '|' | ':' | '>'))
        {
            continue;
        }
        let t = MD_IMAGE.replace_all(t, "");
        let t = MD_LINK.replace_all(&t, "$1");
        let t = unescape_md(&t.replace("**", "").replace("__", ""));
        let text = normalise_line(&t);
        if !text.is_empty() {
            out.push(Line { text, is_heading });
        }
    }
    out
}

/// A line under two or more list or quote markers (`- > - > text`, as a
/// deep page flattened gives, one marker per level) loses them all; a
/// single marker stays, as before.
fn strip_nesting_markers(t: &str) -> &str {
    let mut rest = t;
    let mut markers = 0;
    while let Some(r) = ["> ", "- ", "* ", "+ "].iter().find_map(|m| rest.strip_prefix(m)) {
        rest = r.trim_start();
        markers += 1;
    }
    if markers >= 2 { rest } else { t }
}

fn unescape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Regression: review of stop 7 — a malformed page date panicked.
    #[test]
    fn malformed_page_dates_are_ignored() {
        assert_eq!(ymd_prefix("2025-10-中"), None);
        assert_eq!(ymd_prefix("2025-10-1日"), None);
        assert_eq!(ymd_prefix("2025-10-29T08:00:00+08:00").as_deref(), Some("2025-10-29"));
        assert_eq!(ymd_prefix("中华人民共和国成立"), None);
    }

    /// The best of five runs of `extract` on each page, in seconds, the
    /// pages interleaved so that a loaded machine slows them alike.
    fn best_times(pages: &[String]) -> Vec<f64> {
        let mut best = vec![f64::INFINITY; pages.len()];
        for _ in 0..5 {
            for (b, html) in best.iter_mut().zip(pages) {
                let t = std::time::Instant::now();
                let a = extract(html, None, depth::DEFAULT_MAX_DEPTH).unwrap();
                *b = b.min(t.elapsed().as_secs_f64());
                assert!(a.lines.iter().any(|l| l.text.contains("speech itself")));
            }
        }
        best
    }

    // Regression: issue 12, item 1 (nested `<div>`s cost quadratic time:
    // 4k levels 10.6 s, 8k 41.6 s). Cost per doubling, not wall-clock: at
    // most 2.5 times as long for twice the levels (quadratic cost gives 4),
    // measured up to three times so that a burst of load cannot fail it.
    #[test]
    fn extraction_cost_is_linear_in_nesting() {
        let page = |open: &str, n: usize| {
            let levels: String = (0..n).map(|i| format!("{open}word{i} ")).collect();
            format!(
                "<html><head><title>t</title></head><body>{levels}<p>The speech itself, at the bottom of it all.</p></body></html>"
            )
        };
        // Large enough that the smallest page's time is not noise on a
        // loaded machine; the issue's bound (≤ 2.5 per doubling) over the two
        // doublings together (quadratic cost gives 16), and no single
        // doubling above 3.
        let sizes = [4000, 8000, 16000];
        for open in ["<div>", "<b>", "<font size=2>"] {
            let pages: Vec<String> = sizes.iter().map(|&n| page(open, n)).collect();
            let mut tries = Vec::new();
            let linear = (0..4).any(|_| {
                let t = best_times(&pages);
                let ok = t[2] / t[0] <= 2.5 * 2.5 && t.windows(2).all(|w| w[1] / w[0] <= 3.0);
                tries.push(t);
                ok
            });
            assert!(linear, "{open}: seconds for {sizes:?} levels: {tries:?}");
        }
    }

    #[test]
    fn titles_lose_site_names() {
        assert_eq!(
            site_title("在全市推进会议上的讲话_市政府门户网站").as_deref(),
            Some("在全市推进会议上的讲话")
        );
        assert_eq!(
            site_title("Remarks by the President | The White House").as_deref(),
            Some("Remarks by the President")
        );
        assert_eq!(site_title("讲话").as_deref(), Some("讲话"));
    }

    #[test]
    fn markdown_becomes_lines() {
        let lines = markdown_lines(
            "## 一、总体情况\n\n去年**增长**5\\.2%，见[附件](http://x/y)。\n\n![图](a.png)\n",
        );
        let got: Vec<(&str, bool)> =
            lines.iter().map(|l| (l.text.as_str(), l.is_heading)).collect();
        assert_eq!(got, [("一、总体情况", true), ("去年增长5.2%，见附件。", false)]);
        let nested = markdown_lines("- > - > - > Mr. Speaker.\n> > > > >\n- one item\n");
        let got: Vec<&str> = nested.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(got, ["Mr. Speaker.", "- one item"]);
    }

    #[test]
    fn article_is_extracted_without_navigation() {
        let html = r#"<!DOCTYPE html><html><head><title>讲话全文_市政府门户网站</title>
<meta name="PubDate" content="2025-10-29 10:00"></head><body>
<nav><a href="/">首页</a> &gt; <a href="/news">要闻</a></nav>
<div class="share">分享到：微信 微博</div>
<article><h1>讲话全文</h1>
<p>同志们：</p>
<p>今天，市委召开这次推进会议，主要任务是深入学习贯彻党的自我革命的重要思想，全面落实最新部署要求，回顾总结前一阶段工作，分析当前形势，部署下一步重点任务。</p>
<h2>一、肯定成绩正视不足</h2>
<p>去年4月，按照党中央统一部署，我市全面启动集中整治工作。一年多以来，全市上下闻令而动、尽锐出战，推动集中整治取得了明显的阶段性成效，群众满意度持续提升。</p>
<h2>二、聚焦重点精准发力</h2>
<p>当前，集中整治已经进入攻坚期和深水区。面对新形势新挑战，必须拿出超常规举措，下更大力气、用更实招数，推动整治工作取得更大成果，确保取得实效。</p>
</article>
<script>var x = "不应出现";</script>
<footer>版权所有 © 市政府 备案号</footer></body></html>"#;
        let a = extract(html, None, depth::DEFAULT_MAX_DEPTH).unwrap();
        assert_eq!(a.title.as_deref(), Some("讲话全文"));
        assert_eq!(a.published.as_deref(), Some("2025-10-29"));
        let text: Vec<&str> = a.lines.iter().map(|l| l.text.as_str()).collect();
        assert!(text.contains(&"一、肯定成绩正视不足"), "{text:?}");
        assert!(a.lines.iter().any(|l| l.is_heading && l.text == "二、聚焦重点精准发力"));
        let joined = text.join("\n");
        for bad in ["首页", "分享到", "不应出现", "版权所有"] {
            assert!(!joined.contains(bad), "{bad} in {joined}");
        }
    }
}
