//! Listing the sources: folders, feeds, URL lists and listing pages, each item compared
//! with the state so that only new and changed ones become candidates.

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

use tracing::{debug, warn};

use super::WatchOptions;
use super::polite::Polite;
use super::report::PassReport;
use crate::app::config::SourceConfig;
use crate::error::{Error, Result, chain};
use crate::ingest::{decode, feed, fetch, listing};
use crate::store::{ItemState, ListingState, Store};

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

/// A file of a folder source.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Listed {
    /// The path as listed, under the source's folder: the item's identity.
    pub(crate) path: PathBuf,
    /// Its canonical path, checked to be inside the source's folder: what is read.
    pub(crate) real: PathBuf,
}

/// Hidden files, editor and download temporaries are never items.
fn ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".part")
        || name.ends_with(".tmp")
        || name.ends_with(".crdownload")
}

/// The files under `root`, in name order, never leaving it. The real tree is
/// listed first; a symbolic link (to a file or a folder) is followed only when
/// its canonical path is inside `root`, and after the real tree, so that a
/// file reached both ways keeps its real path; a link that leads outside is
/// skipped with a warning. Every folder and file is listed once (by canonical
/// path), so a link back up (`selfloop -> .`) or to a sibling adds nothing.
/// FIFOs, sockets and devices are not files to read.
///
/// Written with `std` rather than `walkdir`: its `follow_links` detects only
/// links back to an ancestor (a link to a sibling lists it twice) and does not
/// keep to the root, so every link's canonical path would be needed anyway.
///
/// # Errors
/// When `root` cannot be read; an unreadable subfolder is skipped with a warning.
pub(crate) fn list_files(root: &Path) -> std::io::Result<Vec<Listed>> {
    let real_root = std::fs::canonicalize(root)?;
    std::fs::read_dir(&real_root)?;
    let mut walk = Walk {
        root,
        real_root: real_root.clone(),
        folders: HashSet::from([real_root.clone()]),
        files: HashSet::new(),
        links: VecDeque::new(),
        out: Vec::new(),
    };
    walk.tree(root.to_owned(), real_root);
    while let Some((path, real)) = walk.links.pop_front() {
        match std::fs::metadata(&real) {
            Ok(m) if m.is_dir() => {
                if walk.folders.insert(real.clone()) {
                    walk.tree(path, real);
                } else {
                    debug!("`{}`: a folder already listed; not listed again", path.display());
                }
            }
            Ok(m) if m.is_file() && walk.files.insert(real.clone()) => {
                walk.out.push(Listed { path, real });
            }
            _ => {}
        }
    }
    Ok(walk.out)
}

/// The state of [`list_files`].
struct Walk<'a> {
    root: &'a Path,
    real_root: PathBuf,
    /// Canonical paths of the folders listed.
    folders: HashSet<PathBuf>,
    /// Canonical paths of the files listed.
    files: HashSet<PathBuf>,
    /// Links inside the root, to follow after the real tree: (path, canonical path).
    links: VecDeque<(PathBuf, PathBuf)>,
    out: Vec<Listed>,
}

impl Walk<'_> {
    /// Lists the real tree under `dir` (canonical path `real`), depth first
    /// in name order, without recursion (a deep tree cannot overflow the stack).
    fn tree(&mut self, dir: PathBuf, real: PathBuf) {
        let mut stack = vec![(dir, real, None::<std::vec::IntoIter<std::fs::DirEntry>>)];
        while let Some((dir, real, entries)) = stack.last_mut() {
            let entries = entries.get_or_insert_with(|| match std::fs::read_dir(&*real) {
                Ok(rd) => {
                    let mut v: Vec<_> = rd.flatten().collect();
                    v.sort_by_key(std::fs::DirEntry::file_name);
                    v.into_iter()
                }
                Err(e) => {
                    warn!("cannot read folder `{}`: {e}", dir.display());
                    Vec::new().into_iter()
                }
            });
            let Some(e) = entries.next() else {
                stack.pop();
                continue;
            };
            let name = e.file_name();
            if ignored(&name.to_string_lossy()) {
                continue;
            }
            let (path, real_path) = (dir.join(&name), real.join(&name));
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_symlink() {
                match std::fs::canonicalize(&path) {
                    Ok(target) if target.starts_with(&self.real_root) => {
                        self.links.push_back((path, target));
                    }
                    Ok(target) => warn!(
                        "`{}` leads outside the source's folder `{}` (to `{}`); not followed",
                        path.display(),
                        self.root.display(),
                        target.display()
                    ),
                    Err(e) => debug!("`{}`: a broken link ({e})", path.display()),
                }
            } else if kind.is_dir() {
                if self.folders.insert(real_path.clone()) {
                    stack.push((path, real_path, None));
                }
            } else if kind.is_file() && self.files.insert(real_path.clone()) {
                self.out.push(Listed { path, real: real_path });
            }
        }
    }
}

/// The [`content_hash`] of the file `real` (a canonical path inside a
/// source's folder), read in a stream, after checking on Unix that what was
/// opened is that file itself, not a link put in its place since it was listed.
fn listed_hash(real: &Path) -> std::io::Result<String> {
    let f = std::fs::File::open(real)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (opened, there) = (f.metadata()?, std::fs::symlink_metadata(real)?);
        if !there.is_file() || (opened.dev(), opened.ino()) != (there.dev(), there.ino()) {
            return Err(std::io::Error::other("it changed since it was listed"));
        }
    }
    let mut h = blake3::Hasher::new();
    h.update_reader(f)?;
    Ok(h.finalize().to_hex().to_string())
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
    let files =
        list_files(dir).map_err(|e| format!("cannot read folder `{}`: {e}", dir.display()))?;
    let mut out = Vec::new();
    for Listed { path: f, real } in files {
        let rel = f.strip_prefix(dir).unwrap_or(&f).to_string_lossy().replace('\\', "/");
        let file_name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(g) = &src.glob
            && !glob_match(g, &file_name)
        {
            continue;
        }
        if let Some(since) = &opts.since
            && let Ok(mt) = std::fs::metadata(&real).and_then(|m| m.modified())
        {
            let day = chrono::DateTime::<chrono::Utc>::from(mt).format("%Y-%m-%d").to_string();
            if day.as_str() < since.as_str() {
                continue;
            }
        }
        // Hashed as it streams by, from its checked canonical path: a backlog
        // of thousands of files costs one read buffer, not their bytes.
        let hash = match listed_hash(&real) {
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
        // Read again, when processed, by the path checked to be in the root.
        out.push(candidate(id, si, Locator::File(real), hash, state));
    }
    Ok(out)
}

pub(crate) async fn list_feed(
    si: usize,
    src: &SourceConfig,
    name: &str,
    ctx: PageCtx<'_>,
    report: &mut PassReport,
) -> std::result::Result<Vec<Candidate>, String> {
    let PageCtx { opts, store, polite, client } = ctx;
    let url = src.url.as_ref().ok_or("no url")?;
    let c = http(client, &opts.fetch).map_err(|e| chain(&e))?;
    // The feed's host may serve other sources' pages too: one request at a
    // time per host holds across them.
    let fetched =
        polite.run(url, fetch::fetch(&c, url, &opts.fetch)).await.map_err(|e| chain(&e))?;
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

/// The pieces of a pass a `page` or `feed` source's listing uses.
pub(crate) struct PageCtx<'a> {
    pub(crate) opts: &'a WatchOptions,
    pub(crate) store: &'a Store,
    pub(crate) polite: &'a Polite,
    pub(crate) client: &'a mut Option<reqwest::Client>,
}

/// The overrides of a source, compiled (the config checked the regexes).
pub(crate) fn overrides(src: &SourceConfig) -> std::result::Result<listing::Overrides, String> {
    let re = |r: &Option<String>| {
        r.as_deref().map(regex::Regex::new).transpose().map_err(|e| format!("a bad regex: {e}"))
    };
    Ok(listing::Overrides {
        selector: src.selector.clone(),
        link_pattern: re(&src.link_pattern)?,
        title_contains: re(&src.title_contains)?,
    })
}

/// Today, for the year of dates a listing shows without one.
pub(crate) fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

/// Decodes a fetched page and finds its links.
pub(crate) fn detect_fetched(
    f: &fetch::Fetched,
    url: &str,
    ov: &listing::Overrides,
) -> std::result::Result<listing::Listing, String> {
    let text = decode::decode(&f.bytes, f.charset.as_deref())
        .map_err(|p| format!("`{url}` does not decode: {p:?}"))?
        .text;
    listing::detect(&text, url, ov, &today())
}

/// A listing page's new article links (see issue 13): fetched with the
/// validators of the last answer (a 304 reuses the links recorded then),
/// `pages` pages of it, its advertised feed when that covers the same
/// links. The first pass of a source takes the newest `backfill` links and
/// records the others as seen. A listing that gave links before and gives
/// none now is an error naming the source, never "0 new".
pub(crate) async fn list_page(
    si: usize,
    src: &SourceConfig,
    name: &str,
    ctx: PageCtx<'_>,
    report: &mut PassReport,
) -> std::result::Result<Vec<Candidate>, String> {
    let PageCtx { opts, store, polite, client } = ctx;
    let url = src.url.as_ref().ok_or("no url")?;
    let c = http(client, &opts.fetch).map_err(|e| chain(&e))?;
    let robots = src.robots.unwrap_or(opts.robots);
    let ov = overrides(src)?;
    let key = format!("page:{name}");
    let prev = store.listing(&key).map_err(|e| chain(&e))?.filter(|p| &p.url == url);
    let prev_links: Option<Vec<listing::ListingLink>> =
        prev.as_ref().and_then(|p| serde_json::from_str(&p.links).ok());
    if robots && !polite.allowed(&c, &opts.fetch, url).await {
        return Err(format!(
            "`robots.txt` of its site disallows `{url}` (set `robots = false` on the source to fetch it anyway)"
        ));
    }
    let known = prev
        .as_ref()
        .map(|p| fetch::Validators { etag: p.etag.clone(), last_modified: p.last_modified.clone() })
        .unwrap_or_default();
    let got = polite
        .run(url, fetch::fetch_conditional(&c, url, &opts.fetch, &known))
        .await
        .map_err(|e| chain(&e))?;
    let (links, record) = match (got, &prev_links) {
        (None, Some(links)) => {
            debug!("source `{name}`: `{url}` unchanged (304)");
            (links.clone(), None)
        }
        (None, None) => return Err(format!("`{url}` answered 304 to a first request")),
        (Some((f, validators)), _) => {
            let first = detect_fetched(&f, url, &ov)?;
            let mut links = first.links;
            let mut queue: VecDeque<String> = first.next_pages.into();
            let mut read = HashSet::from([feed::normalise_link(url)]);
            let feeds = first.feeds;
            while read.len() < src.pages.unwrap_or(1).max(1) {
                let Some(next) = queue.pop_front() else { break };
                if !read.insert(feed::normalise_link(&next)) {
                    continue;
                }
                if robots && !polite.allowed(&c, &opts.fetch, &next).await {
                    break;
                }
                let f = polite
                    .run(&next, fetch::fetch(&c, &next, &opts.fetch))
                    .await
                    .map_err(|e| chain(&e))?;
                let more = detect_fetched(&f, &next, &ov)?;
                links.extend(more.links);
                if queue.is_empty() {
                    queue.extend(more.next_pages);
                }
            }
            let mut once = HashSet::new();
            links.retain(|l| once.insert(feed::normalise_link(&l.url)));
            if links.is_empty() {
                return Err(match &prev_links {
                    Some(p) if !p.is_empty() => format!(
                        "the listing `{url}` gave {} article links before and none now (redesigned?): set `selector` or `link_pattern` on the source",
                        p.len()
                    ),
                    _ => format!(
                        "no article links found on `{url}`: set `selector` or `link_pattern` on the source"
                    ),
                });
            }
            if let Some(feed_url) = feeds.first() {
                let covered =
                    match polite.run(feed_url, fetch::fetch(&c, feed_url, &opts.fetch)).await {
                        Ok(ff) => feed::parse(&ff.bytes).ok().filter(|items| {
                            let have: HashSet<String> = items
                                .iter()
                                .filter_map(|i| i.link.as_deref().map(feed::normalise_link))
                                .collect();
                            links.iter().all(|l| have.contains(&feed::normalise_link(&l.url)))
                        }),
                        Err(_) => None,
                    };
                if let Some(items) = covered {
                    report.notes.push(format!(
                        "source `{name}`: follows the feed `{feed_url}` its listing advertises (it covers the listing's links)"
                    ));
                    links = items
                        .into_iter()
                        .filter_map(|i| {
                            Some(listing::ListingLink {
                                url: i.link?,
                                title: i.title.unwrap_or_default(),
                                date: i.published,
                            })
                        })
                        .collect();
                } else {
                    report.notes.push(format!(
                        "source `{name}`: advertises the feed `{feed_url}`, which does not cover its listing; the listing is read"
                    ));
                }
            }
            let json = serde_json::to_string(&links).map_err(|e| e.to_string())?;
            let record = ListingState {
                url: url.clone(),
                etag: validators.etag,
                last_modified: validators.last_modified,
                links: json,
            };
            (links, Some(record))
        }
    };
    // Newest first: by date when every link has one, else as listed.
    let mut links = links;
    if links.iter().all(|l| l.date.is_some()) {
        links.sort_by(|a, b| b.date.cmp(&a.date));
    }
    let first_pass = prev.is_none();
    let backfill = src.backfill.unwrap_or(10);
    let mut taken = 0;
    let mut out = Vec::new();
    for l in links {
        if let (Some(since), Some(d)) = (&opts.since, &l.date)
            && d < since
        {
            continue;
        }
        let id = format!("page:{name}:{}", feed::normalise_link(&l.url));
        let state = store.item(&id).map_err(|e| chain(&e))?;
        // A known link is never fetched again.
        if settled(report, state.as_ref(), None) {
            continue;
        }
        if first_pass && state.is_none() && taken >= backfill {
            store.mark_seen(&id, name, &l.url).map_err(|e| chain(&e))?;
            report.seen += 1;
            continue;
        }
        if robots && !polite.allowed(&c, &opts.fetch, &l.url).await {
            warn!("source `{name}`: `robots.txt` disallows `{}`; not fetched", l.url);
            continue;
        }
        taken += 1;
        out.push(candidate(id, si, Locator::Url(l.url), "v:".to_owned(), state));
    }
    // Recorded after the links are: a pass killed before this reads the
    // listing again, one killed after finds the links' candidates pending.
    if let Some(r) = record {
        store.put_listing(&key, &r).map_err(|e| chain(&e))?;
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
        // `skipped`: a listing's link past `backfill`, seen and not processed.
        "done" | "skipped" => report.unchanged += 1,
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

    fn rel(root: &Path, listed: &[Listed]) -> Vec<String> {
        listed.iter().map(|l| l.path.strip_prefix(root).unwrap().display().to_string()).collect()
    }

    // Regression: issue 12, item 3 (a link to `/etc` was digested; `selfloop
    // -> .` turned 30 files into 857 digests).
    #[test]
    #[cfg(unix)]
    fn a_folder_is_listed_inside_its_root_once_whatever_its_links() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let (root, outside) = (tmp.path().join("inbox"), tmp.path().join("elsewhere"));
        for d in [root.join("sub"), root.join(".hidden"), outside.clone()] {
            std::fs::create_dir_all(d).unwrap();
        }
        for f in ["a.txt", "sub/b.txt", ".hidden/c.txt"] {
            std::fs::write(root.join(f), f).unwrap();
        }
        std::fs::write(outside.join("gshadow"), "root:$6$secret").unwrap();
        symlink(&outside, root.join("etc")).unwrap();
        symlink(outside.join("gshadow"), root.join("shadow.txt")).unwrap();
        symlink("shadow.txt", root.join("chain.txt")).unwrap();
        symlink("../elsewhere", root.join("sub/rel")).unwrap();
        symlink(".", root.join("selfloop")).unwrap();
        symlink("..", root.join("sub/up")).unwrap();
        symlink("sub", root.join("sibling")).unwrap();
        symlink("a.txt", root.join("0-alias.txt")).unwrap();
        symlink(".hidden", root.join("kept")).unwrap();
        symlink("/nowhere/at/all", root.join("broken.txt")).unwrap();
        let _ = std::process::Command::new("mkfifo").arg(root.join("pipe.txt")).status();
        let listed = list_files(&root).unwrap();
        assert_eq!(rel(&root, &listed), ["a.txt", "sub/b.txt", "kept/c.txt"]);
        let real_root = std::fs::canonicalize(&root).unwrap();
        assert!(listed.iter().all(|l| l.real.starts_with(&real_root)));
        // The root itself may be a link: its files are listed under the name given.
        let alias = tmp.path().join("alias");
        symlink(&root, &alias).unwrap();
        assert_eq!(rel(&alias, &list_files(&alias).unwrap()), ["a.txt", "sub/b.txt", "kept/c.txt"]);
        assert!(list_files(&tmp.path().join("missing")).is_err());
    }

    #[test]
    #[cfg(unix)]
    fn a_file_swapped_for_a_link_after_listing_is_not_read() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("a.txt");
        std::fs::write(&f, "speech").unwrap();
        assert_eq!(listed_hash(&f).unwrap(), content_hash(b"speech"));
        std::fs::write(tmp.path().join("secret"), "s").unwrap();
        std::fs::remove_file(&f).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), &f).unwrap();
        assert!(listed_hash(&f).is_err());
    }

    #[test]
    fn globs() {
        assert!(glob_match("*.txt", "a.txt"));
        assert!(!glob_match("*.txt", "a.html"));
        assert!(glob_match("*.{txt,html,htm}", "讲话.html"));
        assert!(glob_match("speech-??.txt", "speech-01.txt"));
        assert!(!glob_match("speech-??.txt", "speech-1.txt"));
    }
}
