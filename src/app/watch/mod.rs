//! Scheduled processing: follow folders, feeds, URL lists and listing pages, process only
//! what is new or changed, keep state in SQLite, lose nothing.
//!
//! One pass: take the run lock, list every source's items, compare each
//! item's identity and version with the state, and process the new and
//! changed ones through the same pipeline as `build`. An item is marked done
//! only after its output folder is complete (written to a temporary folder
//! and renamed), so a run killed at any point leaves no partial folder and
//! the next pass finishes the work. Failed items are retried on later passes
//! up to a cap, then parked and reported. Only an item's own faults count
//! towards the cap: an environment fault (a full disk, a dead provider)
//! fails the pass and is retried on the next (see `pass`). A lost state is
//! rebuilt from the output folders (see `restore`).

mod neardup;
mod pass;
mod polite;
mod report;
mod rerender;
mod restore;
mod sources;

pub(crate) use polite::Polite;
pub(crate) use rerender::rerender;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tracing::{error, info, warn};

use crate::app::config::{SourceConfig, SourceKind};
use crate::app::pipeline::Pipeline;
use crate::error::{Error, Result, chain};
use crate::ingest::fetch;

/// Settings of a watch run, resolved from the config file and flags.
pub(super) struct WatchOptions {
    /// One pass, then exit.
    pub once: bool,
    /// Time between passes in the long-running mode.
    pub interval: Duration,
    /// At most this many items processed per pass.
    pub max_items: Option<usize>,
    /// Items digested at once (at least 1).
    pub jobs: usize,
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
    /// Write `feed.xml` (a podcast of the items' audio) under this base URL
    /// after a pass that processed items.
    pub feed: Option<String>,
    /// Fetching pages and feeds.
    pub fetch: fetch::FetchOptions,
    /// Time between two requests to one host of a `page` source (`[http] delay_ms`).
    pub delay: Duration,
    /// Honour `robots.txt` for `page` sources (`[http] robots`; a source's `robots` wins).
    pub robots: bool,
    /// The sources.
    pub sources: Vec<SourceConfig>,
    /// Each source's pipeline: its templates and provider (same order as `sources`).
    pub pipelines: Vec<Pipeline>,
}

/// Runs `watch` with one pipeline per source (`opts.pipelines`): one pass with `once`, else passes on the interval (and on
/// folder changes) until SIGINT/SIGTERM, which finish the current item.
///
/// # Errors
/// Only what no later pass can mend (a state that is not a database, or
/// newer than this program); a pass that an environment fault stops exits
/// 1 with `once`, else the next pass retries.
pub(crate) async fn watch(opts: WatchOptions) -> Result<u8> {
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
        match pass::pass(&opts, &shutdown, &mut client).await {
            Ok(report) => {
                if opts.json {
                    let line = serde_json::to_string(&report).map_err(Error::Json)?;
                    crate::app::messages::stdout_line(&line)?;
                    crate::app::messages::write_stderr(&report.line());
                } else {
                    crate::app::messages::stdout_line(&report.line())?;
                }
                if opts.once {
                    return Ok(u8::from(report.has_failures()));
                }
            }
            // A state on a full or read-only disk: this pass fails, the next retries.
            Err(e) if e.is_environment() => {
                error!("watch: the pass failed: {}; the next pass retries", chain(&e));
                if opts.once {
                    return Ok(1);
                }
            }
            Err(e) => return Err(e),
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
