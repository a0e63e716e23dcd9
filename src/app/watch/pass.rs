//! One pass: take the lock, list every source, process the candidates
//! through the pipeline, record each outcome in the state.
//!
//! An item's attempts are spent only on its own faults (content that does
//! not decode, an extraction or a model's answer that fails, a 4xx on its own
//! URL). An environment fault ([`Error::is_environment`]: a full or read-only
//! output folder, a provider refusing every call) stops the pass, and a page
//! whose server does not answer is skipped: either way nothing is counted
//! against the item, the pass exits 1 and the next one retries it, so a full
//! disk never parks anything.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tracing::{error, info};

use super::WatchOptions;
use super::report::{ItemReport, PassReport};
use super::restore::{ItemRecord, restore_if_empty};
use super::sources::{Candidate, Locator, http, list_feed, list_folder, list_urls, source_name};
use crate::app::config::{SourceConfig, SourceKind};
use crate::app::pipeline;
use crate::error::{Error, Result, StoreError, chain};
use crate::ingest::{self, Hint, fetch};
use crate::model::{Digest, Lang};
use crate::output;
use crate::redact::redact;
use crate::render;
use crate::store::{RunLock, Store};

/// One pass over every source.
pub(crate) async fn pass(
    opts: &WatchOptions,
    shutdown: &AtomicBool,
    client: &mut Option<reqwest::Client>,
) -> Result<PassReport> {
    let started = Instant::now();
    let mut report = PassReport::default();
    let Some(_lock) = RunLock::try_acquire(&opts.state_path).map_err(store_err)? else {
        crate::app::messages::write_stderr(&format!(
            "watch: another run holds the lock on `{}`; nothing done",
            opts.state_path.display()
        ));
        return Ok(report);
    };
    let mut store = Store::open(&opts.state_path).map_err(store_err)?;
    remove_stale_temporaries(&opts.out_dir, &opts.sources);
    // A deleted, emptied or moved state: the folders say what is done.
    restore_if_empty(&mut store, opts)?;

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
                report.source_errors.push(redact(&format!("{name}: {e}")).into_owned());
            }
        }
    }

    // One identity, one candidate (two lines of a URL list that differ only
    // in a tracking parameter).
    let mut seen = std::collections::HashSet::new();
    candidates.retain(|c| seen.insert(c.id.clone()));

    // 2. Process the new and changed ones.
    let mut written: Vec<Digest> = Vec::new();
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
        let record = ItemRecord {
            id: c.id.clone(),
            source: name.clone(),
            locator: locator.clone(),
            version: c.version.clone(),
        };
        match process(&c, src, opts, &store, &mut taken, client, &record).await {
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
                    output::remove_folder(Path::new(prev));
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
            // The state itself fails: the pass cannot record anything.
            Err(e @ Error::Store(_)) => return Err(e),
            Err(e) if e.is_environment() => {
                let msg = chain(&e);
                // A page whose server does not answer is that server's
                // trouble: the other items go on. Anything else (the disk,
                // the provider) would fail every item alike.
                let stop = !matches!(e, Error::Fetch { .. });
                if stop {
                    error!(
                        "{msg}: the pass stops; nothing is counted against the items, they are retried next pass"
                    );
                } else {
                    error!("{msg} (not counted against the item: it is retried next pass)");
                }
                report.environment.push(msg.clone());
                report.items.push(ItemReport {
                    id: c.id,
                    source: name,
                    status: "retry".to_owned(),
                    output_dir: None,
                    error: Some(msg),
                    parked: false,
                });
                if stop {
                    report.deferred = total - n - 1;
                    break;
                }
            }
            Err(e) => {
                // Redacted once: the state, the log and the `--json` report get it.
                let msg = redact(&chain(&e)).into_owned();
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
        error!("rollup: {}", chain(&e));
    }
    report.millis = started.elapsed().as_millis();
    Ok(report)
}

fn store_err(e: StoreError) -> Error {
    Error::Store(e)
}

/// Repairs or removes what a killed run left behind (see
/// `output::remove_stale_temporaries`, shared with `build`).
fn remove_stale_temporaries(out_dir: &Path, sources: &[SourceConfig]) {
    let started = std::time::SystemTime::now();
    let mut dirs = vec![out_dir.to_owned()];
    dirs.extend(sources.iter().filter_map(|s| s.subdir.as_ref()).map(|d| out_dir.join(d)));
    for d in dirs {
        output::remove_stale_temporaries(&d, started);
    }
}

/// Processes one item: read or fetch, digest, render, write the folder
/// atomically, with its `record` (what a lost state is rebuilt from).
async fn process(
    c: &Candidate,
    src: &SourceConfig,
    opts: &WatchOptions,
    store: &Store,
    taken: &mut Vec<PathBuf>,
    client: &mut Option<reqwest::Client>,
    record: &ItemRecord,
) -> Result<(PathBuf, Digest)> {
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
    let doc = pipeline::guarded(&display, || ingest::ingest_bytes(&bytes, &display, &hint))?;
    let pipeline::Processed { digest, mut files } =
        pipeline::process(&doc, &opts.pipelines[c.source]).await?;
    files.push(record.file()?);
    let base = match &src.subdir {
        Some(d) => opts.out_dir.join(d),
        None => opts.out_dir.clone(),
    };
    // The folder is this item's if it wrote it before (the state says so,
    // or, for a folder the state does not know, its owner file); else a
    // free name.
    let dir = output::pick_folder(&base, &output::folder_name(&digest.meta), taken, |dir| {
        let dir_s = dir.display().to_string();
        let owner = store.owner_of(&dir_s).map_err(store_err)?;
        let mine = owner.as_deref() == Some(c.id.as_str())
            || c.previous_output.as_deref() == Some(dir_s.as_str())
            || (owner.is_none() && output::owner_of(dir).as_deref() == Some(c.id.as_str()));
        Ok::<_, Error>(mine || (owner.is_none() && !dir.exists()))
    })?;
    output::write_folder_atomic(&dir, &files, &c.id)?;
    Ok((dir, digest))
}

fn write_rollup(out_dir: &Path, digests: &[Digest]) -> Result<()> {
    let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let text = render::rollup(&date, digests)?;
    output::write_atomic(&out_dir.join("rollup.md"), text.as_bytes())
}
