//! Scheduled processing: follow folders, feeds and URL lists, process only
//! what is new or changed, keep state in SQLite, lose nothing.
//!
//! One pass: take the run lock, list every source's items, compare each
//! item's identity and version with the state, and process the new and
//! changed ones through the same pipeline as `build`. An item is marked done
//! only after its output folder is complete (written to a temporary folder
//! and renamed), so a run killed at any point leaves no partial folder and
//! the next pass finishes the work. Failed items are retried on later passes
//! up to a cap, then parked and reported.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use tracing::{debug, error, info, warn};

use crate::config::{Config, SourceConfig, SourceKind};
use crate::error::{Error, Result};
use crate::ingest::{self, Hint, Lang, feed, fetch};
use crate::output;
use crate::render::Templates;
use crate::store::{RunLock, Store};
use crate::summarize::SummaryOptions;

/// Settings of a watch run, resolved from the config file and flags.
pub struct WatchOptions {
    /// One pass, then exit.
    pub once: bool,
    /// Time between passes in the long-running mode.
    pub interval: Duration,
    /// At most this many items processed per pass.
    pub max_items: Option<usize>,
    /// Skip items published (files: modified) before this date (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Print a JSON report per pass.
    pub json: bool,
    /// Where item folders go.
    pub out_dir: PathBuf,
    /// The state database.
    pub state_path: PathBuf,
    /// Failed attempts before an item is parked.
    pub max_attempts: u32,
    /// Write `rollup.md` after a pass that processed items.
    pub rollup: bool,
    /// Fetching pages and feeds.
    pub fetch: fetch::FetchOptions,
    /// The sources.
    pub sources: Vec<SourceConfig>,
    /// Each source's API provider (same order as `sources`); `None` is the
    /// offline extractive summariser.
    pub apis: Vec<Option<Arc<crate::summarize::api::ApiRun>>>,
}

/// What happened to one item in a pass.
#[derive(Debug, Clone, Serialize)]
pub struct ItemReport {
    /// The item's identity.
    pub id: String,
    /// The source's name.
    pub source: String,
    /// `new`, `updated` or `failed` (unchanged items are only counted).
    pub status: String,
    /// The output folder, when written.
    pub output_dir: Option<String>,
    /// The error, when failed.
    pub error: Option<String>,
    /// True when the item has now failed too often and is parked.
    pub parked: bool,
}

/// The report of one pass.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PassReport {
    /// Items processed for the first time.
    pub new: usize,
    /// Items reprocessed because their content changed.
    pub updated: usize,
    /// Items seen before and unchanged.
    pub unchanged: usize,
    /// Items that failed in this pass.
    pub failed: usize,
    /// Items parked earlier and not retried.
    pub parked: usize,
    /// Items left for a later pass (`--max-items`, shutdown).
    pub deferred: usize,
    /// Sources that could not be read (a feed down, a folder missing).
    pub source_errors: Vec<String>,
    /// Processed and failed items.
    pub items: Vec<ItemReport>,
    /// Wall time of the pass in milliseconds.
    pub millis: u128,
}

impl PassReport {
    /// `watch: 2 new, 0 updated, 10 unchanged, 1 failed`.
    pub fn line(&self) -> String {
        let mut s = format!(
            "watch: {} new, {} updated, {} unchanged, {} failed",
            self.new, self.updated, self.unchanged, self.failed
        );
        if self.parked > 0 {
            s.push_str(&format!(", {} parked", self.parked));
        }
        if self.deferred > 0 {
            s.push_str(&format!(", {} deferred", self.deferred));
        }
        if !self.source_errors.is_empty() {
            s.push_str(&format!(", {} source errors", self.source_errors.len()));
        }
        s
    }

    /// Failures of this pass (parked items were reported when they failed).
    fn has_failures(&self) -> bool {
        self.failed > 0 || !self.source_errors.is_empty()
    }
}

/// Where an item's bytes come from.
enum Locator {
    File(PathBuf),
    Url(String),
}

/// An item that needs processing.
struct Candidate {
    id: String,
    source: usize,
    locator: Locator,
    /// Content hash (files) or version (feeds) to record.
    version: String,
    /// The bytes, when already read (files).
    bytes: Option<Vec<u8>>,
    is_update: bool,
    previous_output: Option<String>,
}

/// Runs `watch` with one set of templates per source (same order as
/// `opts.sources`): one pass with `once`, else passes on the interval (and on
/// folder changes) until SIGINT/SIGTERM, which finish the current item.
///
/// # Errors
/// Only what stops the run before any pass (the state database).
pub async fn watch(opts: WatchOptions, templates: Vec<Arc<Templates>>) -> Result<u8> {
    let shutdown = Arc::new(AtomicBool::new(false));
    let wake = Arc::new(tokio::sync::Notify::new());
    {
        let (shutdown, wake) = (shutdown.clone(), wake.clone());
        tokio::spawn(async move {
            wait_for_signal().await;
            info!("signal received: finishing the current item");
            shutdown.store(true, Ordering::SeqCst);
            wake.notify_waiters();
            wake.notify_one();
        });
    }
    // Folder events make the long-running mode react sooner than the interval.
    let _watcher = if opts.once { None } else { folder_watcher(&opts.sources, wake.clone()) };
    let mut client: Option<reqwest::Client> = None;
    loop {
        let report = pass(&opts, &templates, &shutdown, &mut client).await?;
        if opts.json {
            let line = serde_json::to_string(&report).map_err(Error::Json)?;
            println!("{line}");
            eprintln!("{}", report.line());
        } else {
            println!("{}", report.line());
        }
        if opts.once {
            return Ok(u8::from(report.has_failures()));
        }
        if shutdown.load(Ordering::SeqCst) {
            return Ok(0);
        }
        tokio::select! {
            () = tokio::time::sleep(opts.interval) => {}
            () = wake.notified() => {
                // Let a burst of file events settle before the pass.
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
        }
        if shutdown.load(Ordering::SeqCst) {
            return Ok(0);
        }
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn folder_watcher(
    sources: &[SourceConfig],
    wake: Arc<tokio::sync::Notify>,
) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher;
    let folders: Vec<&PathBuf> = sources
        .iter()
        .filter(|s| s.kind == SourceKind::Folder)
        .filter_map(|s| s.path.as_ref())
        .collect();
    if folders.is_empty() {
        return None;
    }
    let mut w = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if ev.is_ok_and(|e| e.kind.is_create() || e.kind.is_modify()) {
            wake.notify_one();
        }
    })
    .map_err(|e| warn!("cannot watch folders ({e}); passes run on the interval only"))
    .ok()?;
    for f in folders {
        if let Err(e) = w.watch(f, notify::RecursiveMode::Recursive) {
            warn!("cannot watch `{}` ({e}); it is scanned on the interval only", f.display());
        }
    }
    Some(w)
}

fn source_name(s: &SourceConfig) -> String {
    s.name.clone().unwrap_or_else(|| match (&s.path, &s.url) {
        (Some(p), _) => p.display().to_string(),
        (_, Some(u)) => u.clone(),
        _ => "source".to_owned(),
    })
}

/// One pass over every source.
async fn pass(
    opts: &WatchOptions,
    templates: &[Arc<Templates>],
    shutdown: &AtomicBool,
    client: &mut Option<reqwest::Client>,
) -> Result<PassReport> {
    let started = Instant::now();
    let mut report = PassReport::default();
    let Some(_lock) = RunLock::try_acquire(&opts.state_path).map_err(store_err)? else {
        eprintln!(
            "watch: another run holds the lock on `{}`; nothing done",
            opts.state_path.display()
        );
        return Ok(report);
    };
    let store = Store::open(&opts.state_path).map_err(store_err)?;
    remove_stale_temporaries(&opts.out_dir, &opts.sources);

    // 1. Every source's items, compared with the state.
    let mut candidates: Vec<Candidate> = Vec::new();
    for (si, src) in opts.sources.iter().enumerate() {
        let name = source_name(src);
        let listed = match src.kind {
            SourceKind::Folder => list_folder(si, src, &name, opts, &store, &mut report),
            SourceKind::Feed => list_feed(si, src, &name, opts, &store, &mut report, client).await,
            SourceKind::Urls => list_urls(si, src, &name, &store, &mut report),
        };
        match listed {
            Ok(mut c) => candidates.append(&mut c),
            Err(e) => {
                error!("source `{name}`: {e}");
                report.source_errors.push(format!("{name}: {e}"));
            }
        }
    }

    // 2. Process the new and changed ones.
    let opts_summary = SummaryOptions { overview: None };
    let mut written: Vec<crate::digest::Digest> = Vec::new();
    let mut taken: Vec<PathBuf> = Vec::new();
    let limit = opts.max_items.unwrap_or(usize::MAX);
    let total = candidates.len();
    for (n, c) in candidates.into_iter().enumerate() {
        if n >= limit || shutdown.load(Ordering::SeqCst) {
            report.deferred = total - n;
            break;
        }
        let src = &opts.sources[c.source];
        let name = source_name(src);
        let locator = match &c.locator {
            Locator::File(p) => p.display().to_string(),
            Locator::Url(u) => u.clone(),
        };
        match process(
            &c,
            src,
            opts,
            &templates[c.source],
            &opts_summary,
            &store,
            &mut taken,
            client,
        )
        .await
        {
            Ok((dir, digest)) => {
                let dir_s = dir.display().to_string();
                store
                    .mark_done(
                        &c.id,
                        &name,
                        &locator,
                        digest.meta.title.as_deref(),
                        &c.version,
                        &dir_s,
                    )
                    .map_err(store_err)?;
                // The old folder of a revision goes, but only when it is this
                // item's and under the output folder.
                if let Some(prev) = &c.previous_output
                    && prev != &dir_s
                    && Path::new(prev).starts_with(&opts.out_dir)
                    && output::owner_of(Path::new(prev)).as_deref() == Some(c.id.as_str())
                {
                    let _ = std::fs::remove_dir_all(prev);
                }
                info!("{locator}: wrote {dir_s}");
                if c.is_update {
                    report.updated += 1;
                } else {
                    report.new += 1;
                }
                report.items.push(ItemReport {
                    id: c.id.clone(),
                    source: name,
                    status: if c.is_update { "updated" } else { "new" }.to_owned(),
                    output_dir: Some(dir_s),
                    error: None,
                    parked: false,
                });
                if opts.rollup {
                    written.push(digest);
                }
            }
            Err(e) => {
                let msg = crate::run::chain(&e);
                let attempts = store
                    .mark_failed(&c.id, &name, &locator, Some(&c.version), &msg, opts.max_attempts)
                    .map_err(store_err)?;
                let parked = attempts >= opts.max_attempts;
                if parked {
                    error!(
                        "{msg} (attempt {attempts}; parked: it will not be retried until it changes)"
                    );
                } else {
                    error!("{msg} (attempt {attempts} of {})", opts.max_attempts);
                }
                report.failed += 1;
                report.items.push(ItemReport {
                    id: c.id,
                    source: name,
                    status: "failed".to_owned(),
                    output_dir: None,
                    error: Some(msg),
                    parked,
                });
            }
        }
    }
    if opts.rollup
        && !written.is_empty()
        && let Err(e) = write_rollup(&opts.out_dir, &written)
    {
        error!("rollup: {}", crate::run::chain(&e));
    }
    report.millis = started.elapsed().as_millis();
    Ok(report)
}

fn store_err(e: crate::store::StoreError) -> Error {
    Error::Store(e)
}

/// Removes temporary folders a killed run left behind (we hold the lock, so
/// no other run is writing them).
fn remove_stale_temporaries(out_dir: &Path, sources: &[SourceConfig]) {
    let mut dirs = vec![out_dir.to_owned()];
    dirs.extend(sources.iter().filter_map(|s| s.subdir.as_ref()).map(|d| out_dir.join(d)));
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(target) = name.strip_prefix(".speechdigest-old-") {
                // A previous version set aside by a run killed mid-swap.
                output::recover(&d.join(target));
            } else if name.starts_with(".speechdigest-") {
                debug!("removing stale {}", e.path().display());
                let _ = if e.path().is_dir() {
                    std::fs::remove_dir_all(e.path())
                } else {
                    std::fs::remove_file(e.path())
                };
            }
        }
    }
}

/// Matches a file name against a glob with `*`, `?` and `{a,b}` alternatives.
/// Hand-written: ten lines instead of a dependency for one pattern per source.
pub fn glob_match(pattern: &str, name: &str) -> bool {
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

fn list_folder(
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
        let bytes = match std::fs::read(&f) {
            Ok(b) => b,
            Err(e) => {
                // Gone between listing and reading, or unreadable: report as an item failure.
                warn!("`{}`: {e}", f.display());
                continue;
            }
        };
        let hash = blake3::hash(&bytes).to_hex().to_string();
        let id = format!("file:{name}:{rel}");
        let state = store.item(&id).map_err(|e| crate::run::chain(&e))?;
        match &state {
            Some(s) if s.content_hash.as_deref() == Some(hash.as_str()) && s.status == "done" => {
                report.unchanged += 1;
                continue;
            }
            Some(s) if s.content_hash.as_deref() == Some(hash.as_str()) && s.status == "parked" => {
                report.parked += 1;
                continue;
            }
            _ => {}
        }
        let was_done = state.as_ref().is_some_and(|s| s.output_dir.is_some());
        out.push(Candidate {
            id,
            source: si,
            locator: Locator::File(f),
            version: hash,
            bytes: Some(bytes),
            is_update: was_done,
            previous_output: state.and_then(|s| s.output_dir),
        });
    }
    Ok(out)
}

async fn list_feed(
    si: usize,
    src: &SourceConfig,
    name: &str,
    opts: &WatchOptions,
    store: &Store,
    report: &mut PassReport,
    client: &mut Option<reqwest::Client>,
) -> std::result::Result<Vec<Candidate>, String> {
    let url = src.url.as_ref().ok_or("no url")?;
    let c = http(client, &opts.fetch).map_err(|e| crate::run::chain(&e))?;
    let fetched = fetch::fetch(&c, url, &opts.fetch).await.map_err(|e| crate::run::chain(&e))?;
    let items = feed::parse(&fetched.bytes)?;
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
        let state = store.item(&id).map_err(|e| crate::run::chain(&e))?;
        match &state {
            Some(s)
                if s.status == "done" && s.content_hash.as_deref() == Some(version.as_str()) =>
            {
                report.unchanged += 1;
                continue;
            }
            Some(s)
                if s.status == "parked" && s.content_hash.as_deref() == Some(version.as_str()) =>
            {
                report.parked += 1;
                continue;
            }
            _ => {}
        }
        let was_done = state.as_ref().is_some_and(|s| s.output_dir.is_some());
        out.push(Candidate {
            id,
            source: si,
            locator: Locator::Url(link),
            version,
            bytes: None,
            is_update: was_done,
            previous_output: state.and_then(|s| s.output_dir),
        });
    }
    Ok(out)
}

fn list_urls(
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
        let state = store.item(&id).map_err(|e| crate::run::chain(&e))?;
        match &state {
            Some(s) if s.status == "done" => {
                report.unchanged += 1;
                continue;
            }
            Some(s) if s.status == "parked" => {
                report.parked += 1;
                continue;
            }
            _ => {}
        }
        out.push(Candidate {
            id,
            source: si,
            locator: Locator::Url(line.to_owned()),
            version: "v:".to_owned(),
            bytes: None,
            is_update: false,
            previous_output: None,
        });
    }
    Ok(out)
}

fn http(
    client: &mut Option<reqwest::Client>,
    opts: &fetch::FetchOptions,
) -> Result<reqwest::Client> {
    if client.is_none() {
        *client = Some(fetch::client(opts)?);
    }
    client.clone().ok_or_else(|| Error::Usage("no HTTP client".to_owned()))
}

/// Processes one item: read or fetch, digest, render, write the folder atomically.
#[allow(clippy::too_many_arguments)]
async fn process(
    c: &Candidate,
    src: &SourceConfig,
    opts: &WatchOptions,
    templates: &Templates,
    summary: &SummaryOptions,
    store: &Store,
    taken: &mut Vec<PathBuf>,
    client: &mut Option<reqwest::Client>,
) -> Result<(PathBuf, crate::digest::Digest)> {
    let lang: Option<Lang> = src.lang.as_deref().and_then(|l| l.parse().ok());
    let (bytes, mut hint, display) = match &c.locator {
        Locator::File(p) => {
            let bytes = match &c.bytes {
                Some(b) => b.clone(),
                None => {
                    ingest::read_source(&ingest::Source::Path(p.clone()), opts.fetch.max_bytes)?.0
                }
            };
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            let hint = Hint {
                is_html: matches!(ext.as_str(), "html" | "htm" | "shtml" | "xhtml"),
                ..Hint::default()
            };
            (bytes, hint, p.display().to_string())
        }
        Locator::Url(u) => {
            let client = http(client, &opts.fetch)?;
            let f = fetch::fetch(&client, u, &opts.fetch).await?;
            (f.bytes, Hint { charset: f.charset, is_html: f.is_html, lang: None }, u.clone())
        }
    };
    hint.lang = lang;
    let doc = crate::run::guarded(&display, || ingest::ingest_bytes(&bytes, &display, &hint))?;
    let sel = crate::run::Selection {
        templates: templates.outputs.iter().map(|(n, _)| n.clone()).collect(),
        extras: crate::run::EXTRA_OUTPUTS.to_vec(),
    };
    let (digest, o) = match opts.apis.get(c.source).and_then(Option::as_ref) {
        Some(run) => crate::run::api_document_digest(run, &doc, summary).await?,
        None => crate::run::guarded(&display, || Ok(crate::run::digest_of(&doc, summary)))?,
    };
    let files = crate::run::guarded(&display, || {
        crate::run::render_outputs(&doc, &o, &digest, templates, &sel)
    })?;
    let base = match &src.subdir {
        Some(d) => opts.out_dir.join(d),
        None => opts.out_dir.clone(),
    };
    let name = output::folder_name(&digest.meta);
    // The folder is this item's if it wrote it before; else a free name.
    let mut dir = base.join(&name);
    let mut k = 2;
    loop {
        let dir_s = dir.display().to_string();
        let owner = store.owner_of(&dir_s).map_err(store_err)?;
        let mine = owner.as_deref() == Some(c.id.as_str())
            || c.previous_output.as_deref() == Some(dir_s.as_str());
        let free = owner.is_none() && !dir.exists();
        if (mine || free) && !taken.contains(&dir) {
            break;
        }
        dir = base.join(format!("{name}-{k}"));
        k += 1;
    }
    taken.push(dir.clone());
    output::write_folder_atomic(&dir, &files, &c.id)?;
    Ok((dir, digest))
}

fn write_rollup(out_dir: &Path, digests: &[crate::digest::Digest]) -> Result<()> {
    #[derive(Serialize)]
    struct Rollup<'a> {
        date: String,
        items: &'a [crate::digest::Digest],
    }
    let mut tera = tera::Tera::new();
    tera.add_raw_template("rollup.md", crate::assets::ROLLUP)
        .map_err(|e| Error::Usage(format!("rollup template: {e}")))?;
    let ctx = tera::Context::from_serialize(&Rollup {
        date: chrono::Utc::now().format("%Y-%m-%d").to_string(),
        items: digests,
    })
    .map_err(|e| Error::Usage(format!("rollup template: {e}")))?;
    let text = tera
        .render("rollup.md", &ctx)
        .map_err(|e| Error::Usage(format!("rollup template: {e}")))?;
    output::write_atomic(&out_dir.join("rollup.md"), text.as_bytes())
}

/// Parses `30m`, `1s`, `2h`, `1d` or plain seconds.
///
/// # Errors
/// A message for anything else.
pub fn parse_interval(s: &str) -> std::result::Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 =
        num.parse().map_err(|_| format!("invalid interval `{s}` (use e.g. 30s, 10m, 2h, 1d)"))?;
    let secs = match unit.trim() {
        "" | "s" | "sec" | "secs" => n,
        "m" | "min" | "mins" => n * 60,
        "h" | "hour" | "hours" => n * 3600,
        "d" | "day" | "days" => n * 86_400,
        _ => return Err(format!("invalid interval `{s}` (use e.g. 30s, 10m, 2h, 1d)")),
    };
    if secs == 0 {
        return Err("the interval must be at least 1s".to_owned());
    }
    Ok(Duration::from_secs(secs))
}

/// Resolves watch settings from the config file (paths relative to its
/// folder) and the flags.
///
/// # Errors
/// A config without sources.
pub fn resolve(
    config: &Config,
    config_dir: &Path,
    args: &crate::cli::WatchArgs,
) -> Result<WatchOptions> {
    if config.sources.is_empty() {
        return Err(Error::Usage("the config has no [[sources]]: nothing to watch".to_owned()));
    }
    // Everything absolute: the state records output folders, and a later run
    // may start from another directory (cron vs systemd).
    let config_dir = std::path::absolute(config_dir).unwrap_or_else(|_| config_dir.to_owned());
    let abs = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
    let rel = |p: &Path| if p.is_absolute() { p.to_owned() } else { config_dir.join(p) };
    let out_dir = abs(args
        .out
        .clone()
        .or_else(|| config.output.dir.as_deref().map(rel))
        .unwrap_or_else(|| config_dir.join("out")));
    let state_path = args
        .state
        .clone()
        .or_else(|| config.state.path.as_deref().map(rel))
        .or_else(|| crate::config::project_dirs().map(|d| d.data_dir().join("state.sqlite")))
        .unwrap_or_else(|| config_dir.join("speechdigest-state.sqlite"));
    let state_path = abs(state_path);
    let sources = config
        .sources
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.path = s.path.as_deref().map(rel);
            s.templates = s.templates.as_deref().map(rel);
            s
        })
        .collect();
    if let Some(since) = &args.since
        && (since.len() != 10 || chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d").is_err())
    {
        return Err(Error::Usage(format!("--since wants YYYY-MM-DD, not `{since}`")));
    }
    Ok(WatchOptions {
        once: args.once,
        interval: args.interval,
        max_items: args.max_items,
        since: args.since.clone(),
        json: args.json,
        out_dir,
        state_path,
        max_attempts: config.state.max_attempts.unwrap_or(3).max(1),
        rollup: config.output.rollup,
        fetch: fetch::FetchOptions::default(),
        sources,
        apis: Vec::new(),
    })
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

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_interval("1s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_interval("90"), Ok(Duration::from_secs(90)));
        assert!(parse_interval("0s").is_err());
        assert!(parse_interval("soon").is_err());
    }
}
