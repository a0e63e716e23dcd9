//! A listing page (栏目页) → its article links, with titles and dates, and
//! the links to its further pages. Pure.
//!
//! Hand-written: the feed generators that read list pages (html2rss,
//! RSSHub's routes, feed-me-up-scotty) need a CSS selector per site, and
//! break on each redesign; no crate finds the article block of an
//! arbitrary page. The rules here are general, never one site's class names:
//!
//! 1. Every same-site link whose text has the length of an article title
//!    (at least 5 characters of Chinese, or 3 words) is a candidate, unless
//!    it sits in `nav`, `header`, `footer` or `aside`, or in an element whose
//!    class or id names navigation, a menu, breadcrumbs, a pager or a footer,
//!    or its text is a pager's (`下一页`, `尾页`, a number).
//! 2. Each candidate's *item* is its highest ancestor holding no other
//!    candidate (the `<li>`, `<tr>` or card), and the item's parent is the
//!    *container*. Candidates are grouped by the container's parent, the
//!    container's tag and class, and the tag path from container to link:
//!    a list split into several `<ul>`s of five is one group, a
//!    "热点推荐" box elsewhere is another.
//! 3. A group whose heading (just before it, or in the box around it) says
//!    热点, 推荐, 相关, 排行, 热门 or "related" is not the listing. The others are
//!    scored by their items (links whose text is under 30% of the text
//!    around them when they stand alone, under 10% when in paragraphs or
//!    cards, are prose and no list), the share of them with a date beside the link
//!    (`2026-03-05`, `[03-05]`, `2026年3月5日`, `(2026/03/05)`) and their
//!    titles' length; the best one that is a list (two dated items, or four
//!    undated with titles of ten characters) is the listing.
//!
//! Overrides for the page the rules misread: `selector` (the links in the
//! elements it selects), `link_pattern` (a regex the link must match; when
//! no group qualifies, every matching link is taken), `title_contains` (a
//! regex the title must match).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use dom_query::{Document, NodeId, NodeRef};
use regex::Regex;
use serde::Serialize;
use url::Url;

/// One article link of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct ListingLink {
    /// The absolute link.
    pub url: String,
    /// Its title as the listing shows it.
    pub title: String,
    /// The date beside it (or in its URL), `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// What a listing page holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Listing {
    /// The article links, in page order, each once.
    pub links: Vec<ListingLink>,
    /// Further pages of the listing, in order (the next one first).
    pub next_pages: Vec<String>,
    /// Feeds the page advertises (`<link rel="alternate" type="application/rss+xml">`).
    pub feeds: Vec<String>,
}

/// Per-source corrections of the detection.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overrides {
    /// A CSS selector: the links are those in (or equal to) the elements it selects.
    pub selector: Option<String>,
    /// A regex every link must match.
    pub link_pattern: Option<Regex>,
    /// A regex every title must match.
    pub title_contains: Option<Regex>,
}

/// Texts of pager links: never articles.
const PAGER_WORDS: &[&str] = &[
    "首页",
    "上一页",
    "下一页",
    "上页",
    "下页",
    "尾页",
    "末页",
    "前页",
    "后页",
    "跳转",
    "more",
    "更多",
    "更多>>",
    "next",
    "prev",
    "previous",
    "last",
    "first",
];

/// Parts of a class or id that mark navigation, a pager or a footer.
const FURNITURE_PARTS: &[&str] =
    &["nav", "menu", "crumb", "footer", "pagination", "pager", "paging", "copyright", "sitemap"];

/// Whole class or id tokens that mark furniture (too short to match as parts).
const FURNITURE_TOKENS: &[&str] = &["foot", "header", "top", "share", "dh", "daohang", "fenye"];

/// Headings of blocks that are not the listing.
const SIDE_HEADINGS: &[&str] = &[
    "热点",
    "推荐",
    "相关",
    "排行",
    "热门",
    "猜你",
    "延伸阅读",
    "友情链接",
    "related",
    "popular",
    "trending",
    "most read",
];

/// Class or id tokens of such blocks.
const SIDE_TOKENS: &[&str] =
    &["hot", "rec", "recommend", "related", "rank", "ranking", "popular", "tuijian", "redian"];

static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})").expect("regex")
});
static SHORT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d])(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:日|[^\d]|$)").expect("regex")
});
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:/t|/|_)((?:19|20)\d{2})[-/]?(\d{2})[-/]?(\d{2})(?:[_/.\-]|\d{0,6}\.)")
        .expect("regex")
});
static PAGE_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*(?:,\s*['"]([\w-]*)['"]\s*,\s*['"](\w+)['"])?"#,
    )
    .expect("regex")
});
static COUNT_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)var\s+(?:countPage|totalPage|pageCount)\s*=\s*(\d+)").expect("regex")
});
static PAGE_PARAM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([?&](?:page|pageNo|pageIndex|p)=)(\d+)").expect("regex"));
static CANONICAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<link\b[^>]*\brel\s*=\s*["']?canonical\b[^>]*>"#).expect("regex")
});
static HREF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)\bhref\s*=\s*["']?([^"'\s>]+)"#).expect("regex"));

/// A candidate link.
struct Anchor<'a> {
    node: NodeRef<'a>,
    url: String,
    title: String,
    /// A date in the link's own text.
    date: Option<String>,
}

/// Finds the article links of the listing page `html` at `base` (an
/// absolute URL; a file's `file://` URL), and its further pages. `today`
/// (`YYYY-MM-DD`) gives the year of dates shown without one. Pure.
///
/// # Errors
/// A `base` that is not a URL or a `selector` that is not CSS.
pub(crate) fn detect(
    html: &str,
    base: &str,
    ov: &Overrides,
    today: &str,
) -> Result<Listing, String> {
    let page = Url::parse(base).map_err(|e| format!("`{base}` is not a URL: {e}"))?;
    let (doc, _) = super::depth::parse(html, super::depth::DEFAULT_MAX_DEPTH);
    // A `<base href>` moves relative links.
    let base_url = doc
        .select("base[href]")
        .nodes()
        .first()
        .and_then(|b| b.attr("href"))
        .and_then(|h| page.join(h.trim()).ok())
        .unwrap_or_else(|| page.clone());
    let resolve = |href: &str| -> Option<Url> {
        let h = href.trim();
        let lower = h.to_ascii_lowercase();
        if h.is_empty()
            || h.starts_with('#')
            || ["javascript:", "mailto:", "tel:", "data:"].iter().any(|p| lower.starts_with(p))
        {
            return None;
        }
        let mut u = base_url.join(h).ok()?;
        if !matches!(u.scheme(), "http" | "https" | "file") {
            return None;
        }
        u.set_fragment(None);
        Some(u)
    };
    let this_page = super::feed::normalise_link(page.as_str());
    let today_year: i32 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026);
    let today_md = today.get(5..).unwrap_or("12-31").to_owned();

    let mut links: Vec<ListingLink> = if let Some(sel) = &ov.selector {
        let chosen = doc.try_select(sel).ok_or_else(|| format!("`{sel}` is not a CSS selector"))?;
        let mut out = Vec::new();
        for n in chosen.nodes() {
            let anchors = if n.node_name().as_deref() == Some("a") {
                vec![*n]
            } else {
                n.descendants_it().filter(|d| d.node_name().as_deref() == Some("a")).collect()
            };
            for a in anchors {
                let Some(u) = a.attr("href").and_then(|h| resolve(&h)) else { continue };
                let (title, own_date) = title_of(&a);
                if title.is_empty() {
                    continue;
                }
                let item = a.parent().unwrap_or(a);
                let date = own_date
                    .or_else(|| date_beside(&item, &title, today_year, &today_md))
                    .or_else(|| url_date(u.as_str()));
                out.push(ListingLink { url: u.to_string(), title, date });
            }
        }
        out
    } else {
        let mut anchors: Vec<Anchor<'_>> = Vec::new();
        for a in doc.select("a[href]").nodes() {
            let Some(u) = a.attr("href").and_then(|h| resolve(&h)) else { continue };
            if !same_site(&page, &u) || super::feed::normalise_link(u.as_str()) == this_page {
                continue;
            }
            if ov.link_pattern.as_ref().is_some_and(|re| !re.is_match(u.as_str())) {
                continue;
            }
            let (title, date) = title_of(a);
            if !article_length(&title) || is_pager_text(&title) || in_furniture(a) {
                continue;
            }
            anchors.push(Anchor { node: *a, url: u.to_string(), title, date });
        }
        let picked = best_group(&anchors, today_year, &today_md);
        if picked.is_empty() && ov.link_pattern.is_some() {
            // The pattern already says which links are articles.
            anchors
                .iter()
                .map(|a| {
                    let item = a.node.parent().unwrap_or(a.node);
                    ListingLink {
                        url: a.url.clone(),
                        title: a.title.clone(),
                        date: a
                            .date
                            .clone()
                            .or_else(|| date_beside(&item, &a.title, today_year, &today_md))
                            .or_else(|| url_date(&a.url)),
                    }
                })
                .collect()
        } else {
            picked
        }
    };
    if let Some(re) = &ov.title_contains {
        links.retain(|l| re.is_match(&l.title));
    }
    let mut seen = HashSet::new();
    links.retain(|l| seen.insert(super::feed::normalise_link(&l.url)));

    let next_pages = pagination(&doc, html, &page, &resolve);
    let feeds = doc
        .select("link[href]")
        .nodes()
        .iter()
        .filter(|l| {
            let rel = l.attr("rel").map(|r| r.to_ascii_lowercase()).unwrap_or_default();
            let ty = l.attr("type").map(|t| t.to_ascii_lowercase()).unwrap_or_default();
            rel.split_whitespace().any(|r| r == "alternate")
                && (ty.contains("rss") || ty.contains("atom") || ty.contains("feed+json"))
        })
        .filter_map(|l| l.attr("href").and_then(|h| resolve(&h)))
        .map(|u| u.to_string())
        .collect();
    Ok(Listing { links, next_pages, feeds })
}

/// The `<link rel="canonical">` of a page, resolved against `base`.
pub(crate) fn canonical(html: &str, base: &str) -> Option<String> {
    let head = html.get(..html.len().min(65_536)).unwrap_or(html);
    let tag = CANONICAL.find(head)?.as_str();
    let href = HREF.captures(tag)?.get(1)?.as_str();
    let u = Url::parse(base).ok()?.join(href).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// Hosts of one site: the same host, or one a sub-domain of the other
/// (`www.gov.cn`, `gov.cn`; `fgw.sz.gov.cn` under `sz.gov.cn`).
fn same_site(a: &Url, b: &Url) -> bool {
    let strip =
        |u: &Url| u.host_str().unwrap_or("").trim_start_matches("www.").to_ascii_lowercase();
    let (x, y) = (strip(a), strip(b));
    x == y || x.ends_with(&format!(".{y}")) || y.ends_with(&format!(".{x}"))
}

/// A link's title (the text, else its heading, else its `title` attribute
/// when the text is cut short) and a date written inside the link.
fn title_of(a: &NodeRef<'_>) -> (String, Option<String>) {
    let heading = a.descendants_it().find(|d| {
        matches!(d.node_name().as_deref(), Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
    });
    let full = collapse(&a.text());
    let mut text = heading.map_or_else(|| full.clone(), |h| collapse(&h.text()));
    let date = FULL_DATE.find(&full).and_then(|m| full_date(m.as_str()));
    if date.is_some() {
        text = collapse(&FULL_DATE.replace_all(&text, " "));
        text = text
            .trim_matches(|c: char| "[]()（）【】|".contains(c) || c.is_whitespace())
            .to_owned();
    }
    if let Some(t) = a.attr("title").map(|t| collapse(&t))
        && (text.ends_with("...") || text.ends_with('…') || text.is_empty())
        && t.chars().count() >= text.trim_end_matches(['.', '…']).chars().count()
    {
        text = t;
    }
    (text, date)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At least 5 characters of Chinese (or Japanese), or 3 words; at most 200 characters.
fn article_length(t: &str) -> bool {
    let chars = t.chars().count();
    let cjk = t.chars().filter(|c| ('\u{3040}'..='\u{9fff}').contains(c)).count();
    chars <= 200 && (cjk >= 5 || t.split_whitespace().count() >= 3)
}

fn is_pager_text(t: &str) -> bool {
    let l = t.trim().to_lowercase();
    l.chars().all(|c| c.is_ascii_digit() || "[]<>«»‹› .".contains(c))
        || PAGER_WORDS.iter().any(|w| l == *w || l.contains("下一页") || l.contains("上一页"))
}

/// Class and id tokens of an element, lower-case.
fn tokens(n: &NodeRef<'_>) -> Vec<String> {
    let mut s = n.class().map(|c| c.to_string()).unwrap_or_default();
    s.push(' ');
    s.push_str(&n.id_attr().map(|c| c.to_string()).unwrap_or_default());
    s.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// True when the link is inside navigation, a header, a footer, an aside or a pager.
fn in_furniture(a: &NodeRef<'_>) -> bool {
    a.ancestors_it(None).any(|n| {
        if matches!(n.node_name().as_deref(), Some("nav" | "header" | "footer" | "aside")) {
            return true;
        }
        let raw = format!(
            "{} {}",
            n.class().map(|c| c.to_string()).unwrap_or_default(),
            n.id_attr().map(|c| c.to_string()).unwrap_or_default()
        )
        .to_lowercase();
        FURNITURE_PARTS.iter().any(|p| raw.contains(p))
            || tokens(&n).iter().any(|t| FURNITURE_TOKENS.contains(&t.as_str()))
    })
}

/// A `YYYY-MM-DD` of a full date match, when it is a real day.
fn full_date(s: &str) -> Option<String> {
    let c = FULL_DATE.captures(s)?;
    ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
}

/// The date in the item's text outside the title: a full date, else a
/// month and day (`[03-05]`) in the year of `today` (the year before when
/// that day is still to come).
fn date_beside(item: &NodeRef<'_>, title: &str, year: i32, today_md: &str) -> Option<String> {
    let text = collapse(&item.text());
    let rest = text.replacen(title, " ", 1);
    date_in(&rest, year, today_md)
}

/// A full date in `text`, else a month and day when `text` is short.
fn date_in(text: &str, year: i32, today_md: &str) -> Option<String> {
    if let Some(d) = FULL_DATE.find(text).and_then(|m| full_date(m.as_str())) {
        return Some(d);
    }
    if text.chars().count() > 40 {
        return None;
    }
    let c = SHORT_DATE.captures(text)?;
    let (m, d): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
    let md = format!("{m:02}-{d:02}");
    ymd(if md.as_str() > today_md { year - 1 } else { year }, m, d)
}

/// The date in the text right after a link that is its own item (`<a>…</a>
/// 2026-03-05<br>`), up to the next line break or link.
fn date_after(a: &NodeRef<'_>, year: i32, today_md: &str) -> Option<String> {
    let mut text = String::new();
    let mut next = a.next_sibling();
    while let Some(n) = next {
        if n.is_element()
            && (matches!(n.node_name().as_deref(), Some("a" | "br" | "p" | "div" | "li"))
                || n.descendants_it().any(|d| d.node_name().as_deref() == Some("a")))
        {
            break;
        }
        text.push_str(&n.text());
        text.push(' ');
        if text.len() > 200 {
            break;
        }
        next = n.next_sibling();
    }
    date_in(&collapse(&text), year, today_md)
}

/// A date in a link (`/202603/t20260305_123.html`, `/2026/03/05/`).
fn url_date(u: &str) -> Option<String> {
    let c = URL_DATE.captures(u)?;
    ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

/// The heading of the block around `container` names a side block (热点推荐, 相关).
fn side_block(container: &NodeRef<'_>) -> bool {
    let mut node = Some(*container);
    for _ in 0..3 {
        let Some(n) = node else { break };
        if tokens(&n).iter().any(|t| SIDE_TOKENS.contains(&t.as_str())) {
            return true;
        }
        let mut prev = n.prev_element_sibling();
        for _ in 0..2 {
            let Some(p) = prev else { break };
            let t = collapse(&p.text()).to_lowercase();
            if t.chars().count() <= 30 && SIDE_HEADINGS.iter().any(|h| t.contains(h)) {
                return true;
            }
            prev = p.prev_element_sibling();
        }
        node = n.parent();
    }
    false
}

/// The links of the best-scoring group of candidates (see the module doc).
fn best_group(anchors: &[Anchor<'_>], year: i32, today_md: &str) -> Vec<ListingLink> {
    // Candidates under each element.
    let mut under: HashMap<NodeId, usize> = HashMap::new();
    for a in anchors {
        for n in a.node.ancestors_it(None) {
            *under.entry(n.id).or_default() += 1;
        }
    }
    type Key = (Option<NodeId>, String, String);
    let mut groups: Vec<(Key, Vec<(usize, NodeRef<'_>)>)> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for (i, a) in anchors.iter().enumerate() {
        let mut item = a.node;
        let mut path = vec!["a".to_owned()];
        let mut container = None;
        for n in a.node.ancestors_it(None) {
            if under.get(&n.id).copied().unwrap_or(0) > 1 {
                container = Some(n);
                break;
            }
            path.push(n.node_name().map(|s| s.to_string()).unwrap_or_default());
            item = n;
        }
        let Some(c) = container else { continue };
        path.pop();
        path.push(item.node_name().map(|s| s.to_string()).unwrap_or_default());
        path.reverse();
        let sig = format!(
            "{}.{}",
            c.node_name().map(|s| s.to_string()).unwrap_or_default(),
            c.class().map(|s| s.to_string()).unwrap_or_default()
        );
        let key: Key = (c.parent().map(|p| p.id), sig, path.join(">"));
        let gi = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[gi].1.push((i, item));
    }
    let mut best: Option<(f64, Vec<ListingLink>)> = None;
    for (_, members) in &groups {
        let Some(container) = members.first().and_then(|(_, item)| item.parent()) else {
            continue;
        };
        if side_block(&container) {
            continue;
        }
        // Most of a list's text is its links: links standing alone in
        // running text (under 30% of it), or one per paragraph of an
        // article (under 10%), are prose. Cards with a summary are 20–30%.
        let mut containers = HashSet::new();
        let text: usize = members
            .iter()
            .filter_map(|(_, item)| item.parent())
            .filter(|c| containers.insert(c.id))
            .map(|c| c.text().chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        let linked: usize = members
            .iter()
            .map(|(i, _)| anchors[*i].title.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        let bare = members.iter().all(|(i, item)| item.id == anchors[*i].node.id);
        if linked * 10 < text * if bare { 3 } else { 1 } {
            continue;
        }
        let mut seen = HashSet::new();
        let links: Vec<ListingLink> = members
            .iter()
            .filter(|(i, _)| seen.insert(anchors[*i].url.clone()))
            .map(|(i, item)| {
                let a = &anchors[*i];
                ListingLink {
                    url: a.url.clone(),
                    title: a.title.clone(),
                    date: a.date.clone().or_else(|| {
                        if item.id == a.node.id {
                            date_after(item, year, today_md)
                        } else {
                            date_beside(item, &a.title, year, today_md)
                        }
                    }),
                }
            })
            .collect();
        let n = links.len();
        let dated = links.iter().filter(|l| l.date.is_some()).count() as f64 / n.max(1) as f64;
        let mean =
            links.iter().map(|l| l.title.chars().count()).sum::<usize>() as f64 / n.max(1) as f64;
        let is_list = (n >= 2 && dated >= 0.5) || (n >= 4 && mean >= 10.0);
        if !is_list {
            continue;
        }
        let score = n as f64 * (1.0 + 2.0 * dated) * (mean / 10.0).min(2.0);
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            let links = links
                .into_iter()
                .map(|mut l| {
                    l.date = l.date.or_else(|| url_date(&l.url));
                    l
                })
                .collect();
            best = Some((score, links));
        }
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

/// The further pages: a "下一页" link, else the pages a script-built pager
/// (`createPageHTML(total, current, "index", "html")`, `var countPage = N`)
/// would link to: `index_1.html`, … beside the page, or `?page=N+1`.
fn pagination(
    doc: &Document,
    html: &str,
    page: &Url,
    resolve: &dyn Fn(&str) -> Option<Url>,
) -> Vec<String> {
    let this = super::feed::normalise_link(page.as_str());
    for a in doc.select("a[href]").nodes() {
        let t = collapse(&a.text()).to_lowercase();
        let next = t.contains("下一页")
            || t.contains("下页")
            || t.contains("后页")
            || t == "next"
            || t == "next page"
            || t == ">"
            || t == "›"
            || t == "»";
        if next
            && let Some(u) = a.attr("href").and_then(|h| resolve(&h))
            && super::feed::normalise_link(u.as_str()) != this
        {
            return vec![u.to_string()];
        }
    }
    let (total, current, prefix, ext) = if let Some(c) = PAGE_SCRIPT.captures(html) {
        (
            c[1].parse::<usize>().unwrap_or(1),
            c[2].parse::<usize>().unwrap_or(0),
            c.get(3).map_or("index", |m| m.as_str()).to_owned(),
            c.get(4).map_or("html", |m| m.as_str()).to_owned(),
        )
    } else if let Some(c) = COUNT_PAGE.captures(html) {
        (c[1].parse::<usize>().unwrap_or(1), 0, "index".to_owned(), "html".to_owned())
    } else {
        return Vec::new();
    };
    let total = total.min(1000);
    let s = page.as_str();
    if let Some(c) = PAGE_PARAM.captures(s) {
        let n: usize = c[2].parse().unwrap_or(1);
        let whole = c.get(0).map_or(0..0, |m| m.range());
        return (n + 1..=total.max(n + 1))
            .map(|k| format!("{}{}{k}{}", &s[..whole.start], &c[1], &s[whole.end..]))
            .collect();
    }
    let prefix = if prefix.is_empty() { "index".to_owned() } else { prefix };
    // TRS numbering: page 1 is `index.html`, page 2 `index_1.html`.
    (current + 1..total)
        .filter_map(|k| page.join(&format!("{prefix}_{k}.{ext}")).ok())
        .map(|u| u.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(l: &Listing) -> Vec<&str> {
        l.links.iter().map(|l| l.url.as_str()).collect()
    }

    #[test]
    fn dates_in_their_usual_forms() {
        assert_eq!(full_date("2026年3月5日").as_deref(), Some("2026-03-05"));
        assert_eq!(full_date("(2026/03/05)").as_deref(), Some("2026-03-05"));
        assert_eq!(full_date("2026-02-30"), None);
        assert_eq!(url_date("http://x/202603/t20260305_123.html").as_deref(), Some("2026-03-05"));
        assert_eq!(url_date("http://x/2026/03/05/a.html").as_deref(), Some("2026-03-05"));
    }

    #[test]
    fn a_plain_list_beside_a_menu_and_a_hot_block() {
        let html = r#"<html><body>
<div class="menu"><ul><li><a href="/a/">政府信息公开目录</a></li><li><a href="/b/">政务服务办事大厅</a></li><li><a href="/c/">互动交流留言板</a></li></ul></div>
<div class="main"><ul class="list">
<li><a href="/ldjh/202603/t20260305_1.html">在全市经济工作会议上的讲话</a><span>[03-05]</span></li>
<li><a href="/ldjh/202603/t20260301_2.html" title="在全市优化营商环境大会上的讲话全文">在全市优化营商环境大会上...</a><span>[03-01]</span></li>
<li><a href="/ldjh/202602/t20260220_3.html">在市政府第五次全体会议上的讲话</a><span>[02-20]</span></li>
</ul><div class="page"><a href="index_1.html">下一页</a><a href="index_9.html">尾页</a></div></div>
<div class="side"><h3>热点推荐</h3><ul><li><a href="/rd/1.html">全市重点项目建设进展顺利</a><span>03-04</span></li><li><a href="/rd/2.html">我市召开安全生产工作会议</a><span>03-03</span></li></ul></div>
</body></html>"#;
        let l =
            detect(html, "http://gov.test/ldjh/index.html", &Overrides::default(), "2026-03-10")
                .unwrap();
        assert_eq!(
            urls(&l),
            [
                "http://gov.test/ldjh/202603/t20260305_1.html",
                "http://gov.test/ldjh/202603/t20260301_2.html",
                "http://gov.test/ldjh/202602/t20260220_3.html"
            ]
        );
        assert_eq!(l.links[1].title, "在全市优化营商环境大会上的讲话全文");
        assert_eq!(l.links[0].date.as_deref(), Some("2026-03-05"));
        assert_eq!(l.next_pages, ["http://gov.test/ldjh/index_1.html"]);
    }

    #[test]
    fn links_in_running_text_are_no_list() {
        let p = "<p>2026-03-01 本文谈到了<a href=\"/a\">全面深化改革的总目标</a>，并回顾了过去一年经济社会发展取得的成绩和经验，分析了当前面临的形势和挑战，又谈到<a href=\"/b\">高质量发展的主要任务</a>，提出了下一步做好各项工作的总体要求，以及<a href=\"/c\">持续保障和改善民生</a>的具体举措，内容丰富，论述深刻。</p>";
        let l = detect(p, "http://gov.test/x.html", &Overrides::default(), "2026-03-10").unwrap();
        assert!(l.links.is_empty(), "{:?}", l.links);
        let br = "<td><a href=\"/a\">全面深化改革的总目标</a> 2026-03-01<br><a href=\"/b\">高质量发展的主要任务</a> 2026-02-01<br><a href=\"/c\">持续保障和改善民生</a> 2026-01-01</td>";
        let l = detect(br, "http://gov.test/x.html", &Overrides::default(), "2026-03-10").unwrap();
        assert_eq!(l.links.len(), 3);
    }

    #[test]
    fn a_script_built_pager_gives_the_usual_pages() {
        let html = r#"<ul><li><a href="./t1.html">关于进一步加强工作的讲话</a> 2026-01-02</li><li><a href="./t2.html">关于全面深化改革的讲话稿</a> 2026-01-01</li></ul>
<script>createPageHTML(4, 0, "index", "html");</script>"#;
        let l = detect(html, "http://gov.test/col/", &Overrides::default(), "2026-03-10").unwrap();
        assert_eq!(l.links.len(), 2);
        assert_eq!(
            l.next_pages,
            [
                "http://gov.test/col/index_1.html",
                "http://gov.test/col/index_2.html",
                "http://gov.test/col/index_3.html"
            ]
        );
        let l = detect(html, "http://gov.test/list?page=1", &Overrides::default(), "2026-03-10")
            .unwrap();
        assert_eq!(l.next_pages[0], "http://gov.test/list?page=2");
    }

    #[test]
    fn overrides_and_a_page_without_a_list() {
        let html = r#"<div id="x"><p><a href="/a.html">一篇</a></p><p><a href="/b.html">二篇</a></p></div>
<ul><li><a href="/n/1">这是一条不是列表的链接</a></li></ul>"#;
        let none = detect(html, "http://gov.test/", &Overrides::default(), "2026-03-10").unwrap();
        assert!(none.links.is_empty());
        let ov = Overrides { selector: Some("#x".into()), ..Overrides::default() };
        let l = detect(html, "http://gov.test/", &ov, "2026-03-10").unwrap();
        assert_eq!(urls(&l), ["http://gov.test/a.html", "http://gov.test/b.html"]);
        let ov = Overrides {
            selector: Some("#x".into()),
            title_contains: Some(Regex::new("二").unwrap()),
            ..Overrides::default()
        };
        assert_eq!(
            urls(&detect(html, "http://gov.test/", &ov, "2026-03-10").unwrap()),
            ["http://gov.test/b.html"]
        );
        let bad = Overrides { selector: Some("##".into()), ..Overrides::default() };
        assert!(detect(html, "http://gov.test/", &bad, "2026-03-10").is_err());
        assert_eq!(
            canonical(
                r#"<head><link rel="canonical" href="/c/1.html"></head>"#,
                "http://gov.test/x?id=1"
            )
            .as_deref(),
            Some("http://gov.test/c/1.html")
        );
    }
}
