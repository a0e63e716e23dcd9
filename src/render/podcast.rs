//! The podcast feed `watch` publishes beside the roll-up (`feed.xml`): RSS
//! 2.0, one `<item>` per speech with an `<enclosure>` (URL under
//! `[output] base_url`, length in bytes, type). Written in code, not a
//! template, for the same reason as the SSML: every text is escaped here,
//! exactly once, and the URL's path is percent-encoded (item folders carry
//! Chinese titles). Pure.

use crate::tts::escape_xml;

/// One episode.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Episode {
    /// The speech's title.
    pub(crate) title: String,
    /// What it is about (the newsletter's lede).
    pub(crate) description: String,
    /// A stable id (the item's id).
    pub(crate) guid: String,
    /// `YYYY-MM-DD`, when known.
    pub(crate) date: Option<String>,
    /// The audio file's path under the output folder, `/`-separated.
    pub(crate) path: String,
    /// Its size in bytes.
    pub(crate) length: u64,
    /// Its MIME type (`audio/wav`).
    pub(crate) mime: &'static str,
    /// Its length in seconds.
    pub(crate) seconds: f64,
}

/// Percent-encodes each segment of `path` (RFC 3986 unreserved kept).
fn encode_path(path: &str) -> String {
    let mut out = String::new();
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// RFC 2822 at midnight UTC of `YYYY-MM-DD`.
fn rfc2822(date: &str) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().to_rfc2822())
}

/// The feed: channel `title`, `base_url` (the channel's link; enclosures
/// are under it), and the episodes newest first.
pub(crate) fn feed(title: &str, base_url: &str, episodes: &[Episode]) -> String {
    let base = base_url.trim_end_matches('/');
    let mut eps: Vec<&Episode> = episodes.iter().collect();
    eps.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.guid.cmp(&b.guid)));
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">\n<channel>\n",
    );
    s.push_str(&format!("<title>{}</title>\n", escape_xml(title)));
    s.push_str(&format!("<link>{}/</link>\n", escape_xml(base)));
    s.push_str(&format!(
        "<description>{}</description>\n",
        escape_xml(&format!("{title}: the speeches, spoken"))
    ));
    s.push_str("<generator>speechdigest</generator>\n");
    for e in eps {
        let url = format!("{base}/{}", encode_path(&e.path));
        s.push_str("<item>\n");
        s.push_str(&format!("<title>{}</title>\n", escape_xml(&e.title)));
        s.push_str(&format!("<description>{}</description>\n", escape_xml(&e.description)));
        s.push_str(&format!("<guid isPermaLink=\"false\">{}</guid>\n", escape_xml(&e.guid)));
        if let Some(d) = e.date.as_deref().and_then(rfc2822) {
            s.push_str(&format!("<pubDate>{d}</pubDate>\n"));
        }
        s.push_str(&format!(
            "<enclosure url=\"{}\" length=\"{}\" type=\"{}\"/>\n",
            escape_xml(&url),
            e.length,
            e.mime
        ));
        let secs = e.seconds.round() as u64;
        s.push_str(&format!(
            "<itunes:duration>{:02}:{:02}:{:02}</itunes:duration>\n",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        ));
        s.push_str("</item>\n");
    }
    s.push_str("</channel>\n</rss>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn episodes_are_escaped_encoded_and_newest_first() {
        let ep = |guid: &str, date: &str| Episode {
            title: "A & B <讲话>".into(),
            description: "d".into(),
            guid: guid.into(),
            date: Some(date.into()),
            path: "2025-10-29-讲话/newsletter.wav".into(),
            length: 1234,
            mime: "audio/wav",
            seconds: 3725.4,
        };
        let f = feed(
            "Speeches",
            "https://example.org/pod/",
            &[ep("a", "2024-01-02"), ep("b", "2025-10-29")],
        );
        assert!(f.contains("<title>A &amp; B &lt;讲话&gt;</title>"), "{f}");
        assert!(f.contains(r#"<enclosure url="https://example.org/pod/2025-10-29-%E8%AE%B2%E8%AF%9D/newsletter.wav" length="1234" type="audio/wav"/>"#), "{f}");
        assert!(f.contains("<pubDate>Wed, 29 Oct 2025 00:00:00 +0000</pubDate>"), "{f}");
        assert!(f.contains("<itunes:duration>01:02:05</itunes:duration>"));
        assert!(f.find(">b</guid>").unwrap() < f.find(">a</guid>").unwrap(), "newest first");
    }
}
