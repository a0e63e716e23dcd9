//! Any speech page or file → [`Document`]: clean text plus metadata.
//!
//! Reading (`read_source`, sync; `fetch`, async) is kept apart from the pure
//! work: `ingest_bytes` decodes (`decode.rs`), extracts the article from HTML
//! (`html.rs`, over a tree bounded in depth by `depth.rs`), removes page
//! furniture and reads the header (`clean.rs`).

pub(crate) mod clean;
pub(crate) mod decode;
pub(crate) mod depth;
pub(crate) mod feed;
pub(crate) mod fetch;
#[cfg(test)]
mod fuzz;
pub(crate) mod html;
pub(crate) mod listing;
pub(crate) mod robots;

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};
use crate::model::{Document, Lang, Meta};

/// Largest input accepted by default (files, stdin and pages): 20 MiB, far
/// above any speech, far below what would exhaust memory.
pub(crate) const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Bounds on what reading one input may cost beyond its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest element nesting of an HTML page (`<html>` is 1): deeper
    /// elements are flattened, their text kept (`--max-depth`).
    pub max_depth: usize,
}

/// The process's `--max-depth`, 0 when not given: one setting for every
/// command, `watch` included, read where [`Limits::default`] is made.
static PROCESS_MAX_DEPTH: AtomicUsize = AtomicUsize::new(0);

impl Limits {
    /// Smallest and largest accepted `max_depth`.
    pub const DEPTH_RANGE: (usize, usize) = (depth::MIN_MAX_DEPTH, depth::MAX_MAX_DEPTH);

    /// Sets the bounds [`Limits::default`] gives for the rest of the process
    /// (the command line's `--max-depth`, set once at start-up).
    pub fn set_process_default(limits: Limits) {
        PROCESS_MAX_DEPTH.store(limits.max_depth, Ordering::Relaxed);
    }
}

impl Default for Limits {
    /// The process's bounds (see [`Limits::set_process_default`]), else the
    /// built-in ones.
    fn default() -> Limits {
        match PROCESS_MAX_DEPTH.load(Ordering::Relaxed) {
            0 => Limits { max_depth: depth::DEFAULT_MAX_DEPTH },
            n => Limits { max_depth: n },
        }
    }
}

/// Where a speech comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file.
    Path(PathBuf),
    /// An `http://` or `https://` URL.
    Url(String),
    /// Standard input (`-`).
    Stdin,
}

impl Source {
    /// Reads a command-line argument: `-`, a URL, or a path.
    pub fn parse(arg: &str) -> Source {
        if arg == "-" {
            Source::Stdin
        } else if arg.starts_with("http://") || arg.starts_with("https://") {
            Source::Url(arg.to_owned())
        } else {
            Source::Path(PathBuf::from(arg))
        }
    }

    /// The source as the user gave it.
    pub fn display(&self) -> String {
        match self {
            Source::Path(p) => p.display().to_string(),
            Source::Url(u) => u.clone(),
            Source::Stdin => "-".to_owned(),
        }
    }
}

/// Hints about the bytes from where they came from.
#[derive(Debug, Clone, Default)]
pub struct Hint {
    /// A declared charset (HTTP header).
    pub charset: Option<String>,
    /// True when the transport says HTML (`Content-Type`, `.html` extension).
    pub is_html: bool,
    /// The language to use instead of detecting it.
    pub lang: Option<Lang>,
}

/// Reads a file or standard input, refusing more than `max_bytes`.
///
/// # Errors
/// A missing or unreadable file, a directory, or an oversized input.
pub fn read_source(source: &Source, max_bytes: u64) -> Result<(Vec<u8>, Hint)> {
    let mut bytes = Vec::new();
    let mut hint = Hint::default();
    match source {
        Source::Path(p) => {
            let file =
                std::fs::File::open(p).map_err(|e| Error::Read { path: p.clone(), source: e })?;
            let md = file.metadata().map_err(|e| Error::Read { path: p.clone(), source: e })?;
            if md.is_dir() {
                return Err(Error::Read {
                    path: p.clone(),
                    source: std::io::Error::other("it is a directory"),
                });
            }
            if md.len() > max_bytes {
                return Err(Error::TooLarge {
                    input: source.display(),
                    size: md.len(),
                    limit: max_bytes,
                });
            }
            file.take(max_bytes + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| Error::Read { path: p.clone(), source: e })?;
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            hint.is_html = matches!(ext.as_str(), "html" | "htm" | "xhtml" | "shtml");
        }
        Source::Stdin => {
            std::io::stdin()
                .lock()
                .take(max_bytes + 1)
                .read_to_end(&mut bytes)
                .map_err(Error::Stdin)?;
        }
        Source::Url(_) => unreachable!("URLs are fetched, not read"),
    }
    if bytes.len() as u64 > max_bytes {
        return Err(Error::TooLarge {
            input: source.display(),
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    Ok((bytes, hint))
}

/// Turns the bytes of a speech into a [`Document`] within the process's
/// [`Limits`]. Pure but for reading that setting.
///
/// # Errors
/// As [`ingest_bytes_with`].
pub fn ingest_bytes(bytes: &[u8], source: &str, hint: &Hint) -> Result<Document> {
    ingest_bytes_with(bytes, source, hint, &Limits::default())
}

/// Turns the bytes of a speech into a [`Document`]. Pure.
///
/// # Errors
/// Empty, binary or undecodable input, and input in which no speech text
/// remains once the page furniture is gone.
pub fn ingest_bytes_with(
    bytes: &[u8],
    source: &str,
    hint: &Hint,
    limits: &Limits,
) -> Result<Document> {
    let decoded = decode::decode(bytes, hint.charset.as_deref()).map_err(|p| match p {
        decode::DecodeProblem::Empty => {
            Error::Empty { input: source.to_owned(), what: "no text at all".to_owned() }
        }
        decode::DecodeProblem::Binary(what) => Error::Binary { input: source.to_owned(), what },
        decode::DecodeProblem::Undecodable(what) => {
            Error::Decode { input: source.to_owned(), what }
        }
    })?;
    let (lines, known_title, html_published) =
        if hint.is_html || html::looks_like_html(&decoded.text) {
            let url = source.starts_with("http").then_some(source);
            let a = html::extract(&decoded.text, url, limits.max_depth)
                .map_err(|what| Error::Empty { input: source.to_owned(), what })?;
            (a.lines, a.title, a.published)
        } else {
            (clean::lines_of(&decoded.text), None, None)
        };
    let c = clean::clean(lines, known_title.as_deref());
    if c.text.trim().is_empty() {
        return Err(Error::Empty {
            input: source.to_owned(),
            what: "nothing but page furniture or headers".to_owned(),
        });
    }
    let lang = hint.lang.unwrap_or_else(|| crate::text::detect_lang(&c.text));
    let published = c.published.or(html_published);
    // Without a headline, a Chinese speech is named after its occasion, as
    // such speeches are titled (`在…会议上的讲话`).
    let title = c.title.or_else(|| match (lang, &c.occasion) {
        (Lang::Zh, Some(o)) => Some(format!("在{o}上的讲话")),
        _ => None,
    });
    let meta = Meta {
        title,
        date: c.date.or_else(|| published.clone()),
        published,
        speaker: c.speaker,
        occasion: c.occasion,
        outlet: c.outlet.clone(),
        lang,
        source_label: source_label(source, c.outlet.as_deref()),
        source: source.to_owned(),
        chars: c.text.chars().count(),
        encoding: decoded.encoding.to_owned(),
    };
    Ok(Document { meta, text: c.text, heading_starts: c.heading_starts, removed: c.removed })
}

/// What outputs show as the source of `source`: a URL as given, else the
/// outlet the page credits; else nothing (a file's name, `zh-report.txt`,
/// tells a reader of a printed handout nothing, and a local path never
/// shows).
pub(crate) fn source_label(source: &str, outlet: Option<&str>) -> String {
    if source.starts_with("http://") || source.starts_with("https://") {
        return source.to_owned();
    }
    if let Some(o) = outlet.filter(|o| !o.trim().is_empty()) {
        return o.trim().to_owned();
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_labels_never_show_a_path() {
        assert_eq!(source_label("/home/me/speeches/a.txt", None), "");
        assert_eq!(source_label("a.txt", Some("北京日报")), "北京日报");
        assert_eq!(
            source_label("https://x.example/a.html", Some("新华社")),
            "https://x.example/a.html"
        );
        assert_eq!(source_label("-", None), "");
    }

    #[test]
    fn language_detection() {
        assert_eq!(crate::text::detect_lang("同志们：今天我们开会。"), Lang::Zh);
        assert_eq!(crate::text::detect_lang("Mr. Speaker, members of Congress."), Lang::En);
        assert_eq!(crate::text::detect_lang("在 GDP 和 CPI 方面，我们取得了进展。"), Lang::Zh);
    }

    #[test]
    fn bad_inputs_are_named_errors() {
        let h = Hint::default();
        assert!(matches!(ingest_bytes(b"", "a.txt", &h), Err(Error::Empty { .. })));
        assert!(matches!(
            ingest_bytes(b"\x89PNG\r\n\x1a\n\0\0", "a.png", &h),
            Err(Error::Binary { .. })
        ));
        assert!(matches!(
            ingest_bytes("浏览量:110\n点赞 0\n".as_bytes(), "x", &h),
            Err(Error::Empty { .. })
        ));
        let msg = ingest_bytes(b"", "a.txt", &h).unwrap_err().to_string();
        assert_eq!(msg, "`a.txt` is empty: no text at all");
    }

    fn page(name: &str) -> Document {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pages")
            .join(name);
        let bytes = std::fs::read(path).unwrap();
        ingest_bytes(&bytes, name, &Hint { is_html: true, ..Hint::default() }).unwrap()
    }

    #[track_caller]
    fn lacks(doc: &Document, bad: &[&str]) {
        for b in bad {
            assert!(!doc.text.contains(b), "{b} survived in {}", doc.meta.source);
            assert!(!doc.meta.title.as_deref().unwrap_or("").contains(b), "{b} in the title");
        }
    }

    // Issue 11: Chinese fixtures (tests/fixtures/pages/README.md).
    #[test]
    fn undeclared_gbk_government_page() {
        let d = page("zh-gov-report-2022-gbk-undeclared.html");
        assert!(matches!(d.meta.encoding.as_str(), "GBK" | "gb18030"), "{}", d.meta.encoding);
        assert_eq!(d.meta.lang, Lang::Zh);
        assert_eq!(d.meta.title.as_deref(), Some("政府工作报告（全文）"));
        assert_eq!(d.meta.published.as_deref(), Some("2022-03-12"));
        assert_eq!(d.meta.date.as_deref(), Some("2022-03-05"));
        assert_eq!(d.meta.speaker.as_deref(), Some("李克强"));
        assert!(d.text.starts_with("各位代表："), "{}", &d.text[..200]);
        assert!(d.text.trim_end().ends_with(['。', '！']), "{}", &d.text[d.text.len() - 300..]);
        lacks(
            &d,
            &[
                "责任编辑",
                "魏喆",
                "分享让更多人看到",
                "[打印]",
                "字号",
                "相关新闻",
                "民生“红包”",
                "版权所有",
                "ICP",
                "当前位置",
                "2022-03-12",
            ],
        );
    }

    #[test]
    fn utf8_news_page_with_pagination_and_aside() {
        let d = page("zh-yunnan-2026-utf8.html");
        assert_eq!(d.meta.encoding, "UTF-8");
        assert_eq!(d.meta.title.as_deref(), Some("政府工作报告"));
        assert_eq!(d.meta.published.as_deref(), Some("2026-02-03"));
        assert_eq!(d.meta.date.as_deref(), Some("2026-01-28"));
        assert!(d.text.starts_with("各位代表："));
        lacks(
            &d,
            &[
                "[1]",
                "[2]",
                "下一页",
                "责任编辑",
                "杨 丽",
                "相关阅读",
                "一图读懂",
                "Copyright",
                "字体",
                "分享到",
            ],
        );
    }

    #[test]
    fn wikisource_page_keeps_the_message_and_drops_the_apparatus() {
        let d = page("en-kennedy-1961-wikisource.html");
        assert_eq!(d.meta.lang, Lang::En);
        assert_eq!(
            d.meta.title.as_deref(),
            Some("Special Message to the Congress on Urgent National Needs")
        );
        assert_eq!(d.meta.published.as_deref(), Some("1961-05-25"));
        assert!(
            d.text.contains("before a joint session of Congress") || d.text.contains("Congress")
        );
        assert!(
            d.text.contains("II. ECONOMIC AND SOCIAL PROGRESS AT HOME"),
            "ALL-CAPS numbered heading kept"
        );
        lacks(
            &d,
            &[
                "[edit]",
                "cite_note",
                "[n ",
                "United States Congress (1961)",
                "](",
                "Public domain",
                "Privacy policy",
                "^ Delivered",
                "At this point the following",
            ],
        );
        assert!(d.text.contains("They possess a powerful intercontinental striking force"));
    }
}
