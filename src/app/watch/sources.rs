//! Listing the sources: folders, feeds and URL lists, each item compared
//! with the state so that only new and changed ones become candidates.

use std::path::{Path, PathBuf};

use tracing::warn;

use super::WatchOptions;
use super::report::PassReport;
use crate::app::config::SourceConfig;
use crate::error::{Error, Result, chain};
use crate::ingest::{feed, fetch};
use crate::store::{ItemState, Store};

/// Where an item's bytes come from.
pub(crate) enum Locator {
    File(PathBuf),
    Url(String),
}

/// An item that needs processing.
pub(crate) struct Candidate {
    pub(crate) id: String,
    pub(crate) source: usize,
    pub(crate) locator: Locator,
    /// Content hash (files) or version (feeds) to record. A file's bytes are
    /// not kept: they are read again when the item is processed, and the
    /// hash of the bytes processed is the one recorded (see `pass`).
    pub(crate) version: String,
    pub(crate) is_update: bool,
    pub(crate) previous_output: Option<String>,
}

pub(crate) fn source_name(s: &SourceConfig) -> String {
    s.name.clone().unwrap_or_else(|| match (&s.path, &s.url) {
        (Some(p), _) => p.display().to_string(),
        (_, Some(u)) => u.clone(),
        _ => "source".to_owned(),
    })
}

/// Matches a file name against a glob with `*`, `?` and `{a,b}` alternatives.
/// Hand-written: ten lines instead of a dependency for one pattern per source.
pub(super) fn glob_match(pattern: &str, name: &str) -> bool {
    if let (Some(open), Some(close)) = (pattern.find('{'), pattern.find('}'))
        && open < close
    {
        return pattern[open + 1..close].split(',').any(|alt| {
            glob_match(&format!("{}{alt}{}", &pattern[..open], &pattern[close + 1..]), name)
        });
    }
    fn m(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => m(&p[1..], n) || (!n.is_empty() && m(p, &n[1..])),
            (Some('?'), Some(_)) => m(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => m(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    m(&p, &n)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        let name = e.file_name();
        let name = name.to_string_lossy();
        // Hidden files, editor and download temporaries are never items.
        if name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".part")
            || name.ends_with(".tmp")
            || name.ends_with(".crdownload")
        {
            continue;
        }
        let p = e.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

pub(crate) fn list_folder(
    si: usize,
    src: &SourceConfig,
    name: &str,
    opts: &WatchOptions,
    store: &Store,
    report: &mut PassReport,
) -> std::result::Result<Vec<Candidate>, String> {
    let dir = src.path.as_ref().ok_or("no path")?;
    let mut files = Vec::new();
    walk(dir, &mut files).map_err(|e| format!("cannot read folder `{}`: {e}", dir.display()))?;
    let mut out = Vec::new();
    for f in files {
        let rel = f.strip_prefix(dir).unwrap_or(&f).to_string_lossy().replace('\\', "/");
        let file_name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(g) = &src.glob
            && !glob_match(g, &file_name)
        {
            continue;
        }
        if let Some(since) = &opts.since
            && let Ok(mt) = std::fs::metadata(&f).and_then(|m| m.modified())
        {
            let day = chrono::DateTime::<chrono::Utc>::from(mt).format("%Y-%m-%d").to_string();
            if day.as_str() < since.as_str() {
                continue;
            }
        }
        // Hashed as it streams by: a backlog of thousands of files costs
        // one read buffer, not their bytes.
        let hash = match file_hash(&f) {
            Ok(h) => h,
            Err(e) => {
                // Gone between listing and reading, or unreadable: skipped this pass.
                warn!("`{}`: {e}", f.display());
                continue;
            }
        };
        let id = format!("file:{name}:{rel}");
        let state = store.item(&id).map_err(|e| chain(&e))?;
        if settled(report, state.as_ref(), Some(&hash)) {
            continue;
        }
        out.push(candidate(id, si, Locator::File(f), hash, state));
    }
    Ok(out)
}

pub(crate) async fn list_feed(
    si: usize,
    src: &SourceConfig,
    name: &str,
    opts: &WatchOptions,
    store: &Store,
    report: &mut PassReport,
    client: &mut Option<reqwest::Client>,
) -> std::result::Result<Vec<Candidate>, String> {
    let url = src.url.as_ref().ok_or("no url")?;
    let c = http(client, &opts.fetch).map_err(|e| chain(&e))?;
    let fetched = fetch::fetch(&c, url, &opts.fetch).await.map_err(|e| chain(&e))?;
    // One identity, one candidate: a repeated guid or a `utm_*` variant of a
    // link would otherwise be two folders and two attempts.
    let items = feed::dedupe(feed::parse(&fetched.bytes)?);
    let mut out = Vec::new();
    for item in items {
        let Some(ident) = feed::identity(&item) else {
            warn!("source `{name}`: an item without id, link or title is ignored");
            continue;
        };
        let Some(link) = item.link.clone() else {
            warn!("source `{name}`: item `{ident}` has no link to fetch");
            continue;
        };
        if let (Some(since), Some(p)) = (&opts.since, &item.published)
            && p < since
        {
            continue;
        }
        let id = format!("feed:{name}:{ident}");
        // A feed item's version is its update time: a new one means a revision.
        let version = format!("v:{}", item.updated.as_deref().unwrap_or(""));
        let state = store.item(&id).map_err(|e| chain(&e))?;
        if settled(report, state.as_ref(), Some(&version)) {
            continue;
        }
        out.push(candidate(id, si, Locator::Url(link), version, state));
    }
    Ok(out)
}

pub(crate) fn list_urls(
    si: usize,
    src: &SourceConfig,
    name: &str,
    store: &Store,
    report: &mut PassReport,
) -> std::result::Result<Vec<Candidate>, String> {
    let path = src.path.as_ref().ok_or("no path")?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let id = format!("url:{name}:{}", feed::normalise_link(line));
        // A listed URL is done once, whatever its page does later.
        let state = store.item(&id).map_err(|e| chain(&e))?;
        if settled(report, state.as_ref(), None) {
            continue;
        }
        out.push(candidate(id, si, Locator::Url(line.to_owned()), "v:".to_owned(), None));
    }
    Ok(out)
}

/// True (and counted) when the item needs nothing: done or parked, at
/// `version` when one is given.
fn settled(report: &mut PassReport, state: Option<&ItemState>, version: Option<&str>) -> bool {
    let Some(s) = state else { return false };
    if version.is_some_and(|v| s.content_hash.as_deref() != Some(v)) {
        return false;
    }
    match s.status.as_str() {
        "done" => report.unchanged += 1,
        "parked" => report.parked += 1,
        _ => return false,
    }
    true
}

/// A candidate; an update when the state has an output folder for it.
fn candidate(
    id: String,
    source: usize,
    locator: Locator,
    version: String,
    state: Option<ItemState>,
) -> Candidate {
    let previous_output = state.and_then(|s| s.output_dir);
    Candidate {
        id,
        source,
        locator,
        version,
        is_update: previous_output.is_some(),
        previous_output,
    }
}

/// The content hash of a file's bytes, as recorded in the state.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// [`content_hash`] of the file at `path`, read in a stream.
fn file_hash(path: &Path) -> std::io::Result<String> {
    let mut h = blake3::Hasher::new();
    h.update_reader(std::fs::File::open(path)?)?;
    Ok(h.finalize().to_hex().to_string())
}

pub(crate) fn http(
    client: &mut Option<reqwest::Client>,
    opts: &fetch::FetchOptions,
) -> Result<reqwest::Client> {
    if client.is_none() {
        *client = Some(fetch::client(opts)?);
    }
    client.clone().ok_or_else(|| Error::Usage("no HTTP client".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.txt", "a.txt"));
        assert!(!glob_match("*.txt", "a.html"));
        assert!(glob_match("*.{txt,html,htm}", "讲话.html"));
        assert!(glob_match("speech-??.txt", "speech-01.txt"));
        assert!(!glob_match("speech-??.txt", "speech-1.txt"));
    }
}
