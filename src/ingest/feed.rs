//! RSS/Atom/JSON Feed bytes → feed items, and the stable identity of an item.
//!
//! Parsing is `feed-rs`; what is ours is identity. feed-rs fills a missing
//! id with a hash of the link, which changes whenever the link does (a
//! tracking parameter, a session id), so its synthesised ids are refused: an
//! item is known by its own `<guid>`/`<id>`, else by its link with volatile
//! query parameters and the fragment removed, else by title + date.

/// One item of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FeedItem {
    /// The feed's own id for the item (`<guid>`, Atom `<id>`), never a synthesised one.
    pub guid: Option<String>,
    /// The item's page.
    pub link: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Publication date (`YYYY-MM-DD`), when given.
    pub published: Option<String>,
    /// When it was last updated (RFC 3339), when given: a change means a revision.
    pub updated: Option<String>,
}

/// Parses a feed.
///
/// # Errors
/// A message when the bytes are not a feed.
pub(crate) fn parse(bytes: &[u8]) -> Result<Vec<FeedItem>, String> {
    // An empty id marks "the feed gave none"; feed-rs would otherwise invent one.
    let parser = feed_rs::parser::Builder::new().id_generator(|_, _, _| String::new()).build();
    let feed = parser.parse(bytes).map_err(|e| format!("not a feed: {e}"))?;
    Ok(feed
        .entries
        .into_iter()
        .map(|e| FeedItem {
            guid: Some(e.id.trim().to_owned()).filter(|s| !s.is_empty()),
            link: e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| l.href.trim().to_owned()),
            title: e.title.map(|t| t.content.trim().to_owned()).filter(|t| !t.is_empty()),
            published: e.published.or(e.updated).map(|d| d.format("%Y-%m-%d").to_string()),
            updated: e.updated.map(|d| d.to_rfc3339()),
        })
        .collect())
}

/// Query parameters that change between fetches without changing the page:
/// tracking, cache-busting and session parameters.
const VOLATILE: &[&str] = &[
    "t",
    "ts",
    "_",
    "time",
    "timestamp",
    "rand",
    "random",
    "r",
    "nocache",
    "cb",
    "v",
    "ver",
    "sid",
    "sessionid",
    "session",
    "jsessionid",
    "phpsessid",
    "token",
    "from",
    "share",
    "share_from",
    "spm",
    "scm",
    "ref",
    "referrer",
    "source",
    "src",
    "fbclid",
    "gclid",
    "yclid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "s_trc",
    "isappinstalled",
    "wfr",
    "winzoom",
    "sharer",
];

/// A link without its fragment and volatile query parameters (tracking,
/// cache-busting), other parameters kept in order: `show.php?id=12&t=999#top`
/// → `show.php?id=12`.
pub(crate) fn normalise_link(link: &str) -> String {
    let link = link.trim();
    let no_fragment = link.split('#').next().unwrap_or(link);
    let Some((base, query)) = no_fragment.split_once('?') else {
        return no_fragment.trim_end_matches('/').to_owned();
    };
    let kept: Vec<&str> = query
        .split(['&', ';'])
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !(VOLATILE.contains(&key.as_str()) || key.starts_with("utm_"))
        })
        .collect();
    if kept.is_empty() {
        base.trim_end_matches('/').to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// The stable identity of an item, or `None` when it has neither id, link
/// nor title.
pub(crate) fn identity(item: &FeedItem) -> Option<String> {
    if let Some(g) = &item.guid {
        return Some(format!("guid:{g}"));
    }
    if let Some(l) = &item.link {
        return Some(format!("link:{}", normalise_link(l)));
    }
    item.title.as_ref().map(|t| format!("title:{t}|{}", item.published.as_deref().unwrap_or("")))
}

/// The items once each: an item whose identity, or whose link without its
/// volatile parameters and fragment, an earlier item of the feed has already
/// is the same page (a repeated `<guid>`, a link with another `utm_*`
/// query), and two copies would mean two folders and two attempts. The
/// first copy is kept, with the latest `updated` of its copies, so that the
/// version does not depend on their order.
pub(crate) fn dedupe(items: Vec<FeedItem>) -> Vec<FeedItem> {
    let mut out: Vec<FeedItem> = Vec::with_capacity(items.len());
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in items {
        let keys: Vec<String> = identity(&item)
            .into_iter()
            .chain(item.link.as_deref().map(|l| format!("link:{}", normalise_link(l))))
            .collect();
        match keys.iter().find_map(|k| seen.get(k).copied()) {
            Some(i) => {
                let first = &mut out[i];
                if item.updated > first.updated {
                    first.updated = item.updated;
                }
                for k in keys {
                    seen.entry(k).or_insert(i);
                }
            }
            None => {
                for k in keys {
                    seen.entry(k).or_insert(out.len());
                }
                out.push(item);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_lose_volatile_parameters() {
        assert_eq!(normalise_link("http://x/a.html?t=1717&utm_source=rss#top"), "http://x/a.html");
        assert_eq!(normalise_link("http://x/show.php?id=12&ts=99"), "http://x/show.php?id=12");
        assert_eq!(normalise_link("http://x/a/"), "http://x/a");
    }

    #[test]
    fn one_identity_is_one_item() {
        let item = |guid: Option<&str>, link: &str, updated: Option<&str>| FeedItem {
            guid: guid.map(str::to_owned),
            link: Some(link.to_owned()),
            title: Some("T".to_owned()),
            published: None,
            updated: updated.map(str::to_owned),
        };
        let items = vec![
            item(Some("g1"), "http://x/a.html", Some("2025-01-01T00:00:00+00:00")),
            item(Some("g1"), "http://x/a-moved.html", Some("2025-02-01T00:00:00+00:00")),
            item(None, "http://x/b.html?utm_source=rss#top", None),
            item(None, "http://x/b.html?utm_medium=mail", None),
            // Another guid for a page already listed: the same page.
            item(Some("g2"), "http://x/b.html", None),
            item(Some("g3"), "http://x/c.html?id=2", None),
            item(Some("g4"), "http://x/c.html?id=3", None),
        ];
        let kept = dedupe(items);
        let links: Vec<&str> = kept.iter().filter_map(|i| i.link.as_deref()).collect();
        assert_eq!(
            links,
            [
                "http://x/a.html",
                "http://x/b.html?utm_source=rss#top",
                "http://x/c.html?id=2",
                "http://x/c.html?id=3"
            ]
        );
        // The latest update of the copies, whatever their order.
        assert_eq!(kept[0].updated.as_deref(), Some("2025-02-01T00:00:00+00:00"));
    }

    #[test]
    fn synthesised_ids_are_refused() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>A</title><link>http://x/a.html?t=1</link></item>
<item><title>B</title><link>http://x/b.html</link><guid>b-1</guid><pubDate>Wed, 29 Oct 2025 08:00:00 +0800</pubDate></item>
</channel></rss>"#;
        let items = parse(rss).unwrap();
        assert_eq!(items[0].guid, None);
        assert_eq!(identity(&items[0]).as_deref(), Some("link:http://x/a.html"));
        assert_eq!(identity(&items[1]).as_deref(), Some("guid:b-1"));
        assert_eq!(items[1].published.as_deref(), Some("2025-10-29"));
        assert!(parse(b"<html>not a feed</html>").is_err());
    }
}
