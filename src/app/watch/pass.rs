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
//!
//! Items are digested on a bounded pool (`--jobs`, default the cores): each
//! job reads its item again (the listing kept a hash, not the bytes: a
//! backlog of 5,000 files was 254 MB held at once), digests and renders it
//! on its own task, and writes nothing. The pass takes the outcomes in
//! listing order and, one at a time, claims the folder name, writes the
//! folder atomically and marks the item done: names never race (the same
//! names as with one job), the report keeps its order, and a kill loses at
//! most the digests in flight. The jobs share each source's pipeline, so an
//! API provider's client, with its concurrency and rate limits, is one.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tokio::task::JoinHandle;

use tracing::{debug, error, info};

use super::WatchOptions;
use super::report::{ItemReport, PassReport};
use super::restore::{ItemRecord, restore_if_empty};
use super::sources::{
    Candidate, Locator, content_hash, http, list_feed, list_folder, list_urls, source_name,
};
use crate::app::config::{SourceConfig, SourceKind};
use crate::app::pipeline::{self, Provider};
use crate::error::{Error, Result, StoreError, chain};
use crate::ingest::{self, Hint, fetch};
use crate::model::{Digest, Lang};
use crate::output;
use crate::redact::redact;
use crate::render::{self, OutputFile};
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

    // 2. Process the new and changed ones: up to `opts.jobs` digested at
    // once, each outcome taken in listing order.
    let mut written: Vec<Digest> = Vec::new();
    let mut taken: Vec<PathBuf> = Vec::new();
    let limit = opts.max_items.unwrap_or(usize::MAX);
    let total = candidates.len();
    // With a chat provider, items go one at a time: each digest's `api`
    // figures are read off the provider's shared counters around its run,
    // and the provider already runs a speech's sections `--concurrency` at once.
    let chat = opts.pipelines.iter().any(|p| matches!(p.provider, Provider::Chat(_)));
    let jobs = if chat { 1 } else { opts.jobs.max(1) };
    let mut queue = candidates.into_iter();
    let mut pending: VecDeque<(Candidate, JoinHandle<Result<Made>>)> = VecDeque::new();
    let mut spawned = 0;
    let mut handled = 0;
    loop {
        // The lock is held and nothing is written by a job: a kill at any
        // point loses at most the digests in flight, which the next pass makes again.
        while pending.len() < jobs && spawned < limit && !shutdown.load(Ordering::SeqCst) {
            let Some(c) = queue.next() else { break };
            spawned += 1;
            let job = match make_job(&c, opts, client) {
                Ok(job) => tokio::spawn(job.run()),
                Err(e) => tokio::spawn(async move { Err(e) }),
            };
            pending.push_back((c, job));
        }
        let Some((c, job)) = pending.pop_front() else { break };
        handled += 1;
        let made = job.await.unwrap_or_else(|e| {
            Err(Error::Internal { input: locator_of(&c), what: e.to_string() })
        });
        let src = &opts.sources[c.source];
        let name = source_name(src);
        let locator = locator_of(&c);
        let outcome = made.and_then(|m| {
            let record = ItemRecord {
                id: c.id.clone(),
                source: name.clone(),
                locator: locator.clone(),
                version: m.version.clone(),
            };
            let dir =
                claim_and_write(&c, src, opts, &store, &mut taken, &record, m.files, &m.digest)?;
            Ok((dir, m.digest, m.version))
        });
        match outcome {
            Ok((dir, digest, version)) => {
                let dir_s = dir.display().to_string();
                store
                    .mark_done(
                        &c.id,
                        &name,
                        &locator,
                        digest.meta.title.as_deref(),
                        &version,
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
                if opts.rollup || opts.feed.is_some() {
                    written.push(digest);
                }
            }
            // The state itself fails: the pass cannot record anything.
            Err(e @ Error::Store(_)) => {
                abort(pending);
                return Err(e);
            }
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
                    // The digests in flight are dropped unwritten: deferred.
                    abort(std::mem::take(&mut pending));
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
    report.deferred = total - handled;
    if opts.rollup
        && !written.is_empty()
        && let Err(e) = write_rollup(&opts.out_dir, &written)
    {
        error!("rollup: {}", chain(&e));
    }
    if let Some(base_url) = &opts.feed
        && !written.is_empty()
        && let Err(e) = write_feed(&opts.out_dir, base_url, &store)
    {
        error!("feed: {}", chain(&e));
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

/// Where a candidate comes from, as the state and the report name it.
fn locator_of(c: &Candidate) -> String {
    match &c.locator {
        Locator::File(p) => p.display().to_string(),
        Locator::Url(u) => u.clone(),
    }
}

/// Stops the jobs in flight; what they made is never written.
fn abort(pending: VecDeque<(Candidate, JoinHandle<Result<Made>>)>) {
    for (_, job) in pending {
        job.abort();
    }
}

/// What a job made of one item: everything but its folder, which the pass
/// claims and writes itself, one item at a time in listing order, so that
/// two jobs never race for a name and a folder is always whole.
struct Made {
    digest: Digest,
    files: Vec<OutputFile>,
    /// The hash of the bytes digested (files), else the listed version.
    version: String,
}

/// One item's digesting, owning what it needs so that it runs on its own
/// task. The pipeline is shared: an API provider's client, with its
/// concurrency and rate limits, is one for all jobs.
struct Job {
    locator: Locator,
    listed_version: String,
    lang: Option<Lang>,
    max_bytes: u64,
    fetch: fetch::FetchOptions,
    client: Option<reqwest::Client>,
    pipeline: pipeline::Pipeline,
}

fn make_job(
    c: &Candidate,
    opts: &WatchOptions,
    client: &mut Option<reqwest::Client>,
) -> Result<Job> {
    let src = &opts.sources[c.source];
    let (locator, client) = match &c.locator {
        Locator::File(p) => (Locator::File(p.clone()), None),
        Locator::Url(u) => (Locator::Url(u.clone()), Some(http(client, &opts.fetch)?)),
    };
    Ok(Job {
        locator,
        listed_version: c.version.clone(),
        lang: src.lang.as_deref().and_then(|l| l.parse().ok()),
        max_bytes: opts.fetch.max_bytes,
        fetch: opts.fetch.clone(),
        client,
        pipeline: opts.pipelines[c.source].clone(),
    })
}

impl Job {
    /// Reads or fetches, digests and renders the item. A file is read again
    /// here (the listing kept only its hash); when it changed since the
    /// listing, the bytes digested are the ones whose hash is recorded.
    async fn run(self) -> Result<Made> {
        let (bytes, mut hint, display, version) = match &self.locator {
            Locator::File(p) => {
                // The listing checked this canonical path is inside the
                // source's folder; a link swapped in since is not followed.
                if std::fs::canonicalize(p).ok().as_deref() != Some(p.as_path()) {
                    return Err(Error::Read {
                        path: p.clone(),
                        source: std::io::Error::other("it changed since it was listed"),
                    });
                }
                let bytes =
                    ingest::read_source(&ingest::Source::Path(p.clone()), self.max_bytes)?.0;
                let hash = content_hash(&bytes);
                if hash != self.listed_version {
                    debug!(
                        "`{}` changed since it was listed: digesting it as it is now",
                        p.display()
                    );
                }
                let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                let hint = Hint {
                    is_html: matches!(ext.as_str(), "html" | "htm" | "shtml" | "xhtml"),
                    ..Hint::default()
                };
                (bytes, hint, p.display().to_string(), hash)
            }
            Locator::Url(u) => {
                let client =
                    self.client.ok_or_else(|| Error::Usage("no HTTP client".to_owned()))?;
                let f = fetch::fetch(&client, u, &self.fetch).await?;
                let hint = Hint { charset: f.charset, is_html: f.is_html, lang: None };
                (f.bytes, hint, u.clone(), self.listed_version)
            }
        };
        hint.lang = self.lang;
        let doc = pipeline::guarded(&display, || ingest::ingest_bytes(&bytes, &display, &hint))?;
        drop(bytes);
        let pipeline::Processed { digest, files } = pipeline::process(&doc, &self.pipeline).await?;
        Ok(Made { digest, files, version })
    }
}

/// Claims the item's folder and writes it atomically, with its `record`
/// (what a lost state is rebuilt from). Only the pass calls this, one item
/// at a time: the claim is never raced.
#[allow(clippy::too_many_arguments)]
fn claim_and_write(
    c: &Candidate,
    src: &SourceConfig,
    opts: &WatchOptions,
    store: &Store,
    taken: &mut Vec<PathBuf>,
    record: &ItemRecord,
    mut files: Vec<OutputFile>,
    digest: &Digest,
) -> Result<PathBuf> {
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
    Ok(dir)
}

/// `feed.xml`: one episode per done item whose folder (under `out_dir`)
/// has audio, the newsletter's when there is one, else the first.
fn write_feed(out_dir: &Path, base_url: &str, store: &Store) -> Result<()> {
    use crate::render::podcast::{self, Episode};
    let mut episodes = Vec::new();
    for item in store.items_with_status("done").map_err(store_err)? {
        let Some(dir) = item.output_dir.as_deref().map(Path::new) else { continue };
        let Ok(rel) = dir.strip_prefix(out_dir) else { continue };
        let Ok(text) = std::fs::read_to_string(dir.join("digest.json")) else { continue };
        let Ok(d) = serde_json::from_str::<Digest>(&text) else { continue };
        let Some(a) = d.audio.iter().find(|a| a.what == "newsletter").or(d.audio.first()) else {
            continue;
        };
        let Ok(meta) = std::fs::metadata(dir.join(&a.file)) else { continue };
        let rel: Vec<String> =
            rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        episodes.push(Episode {
            title: d.title.clone(),
            description: d.newsletter.lede.clone(),
            guid: item.id.clone(),
            date: d.meta.date.clone(),
            path: format!("{}/{}", rel.join("/"), a.file),
            length: meta.len(),
            mime: "audio/wav",
            seconds: a.seconds,
        });
    }
    let text = podcast::feed("speechdigest", base_url, &episodes);
    output::write_atomic(&out_dir.join("feed.xml"), text.as_bytes())
}

fn write_rollup(out_dir: &Path, digests: &[Digest]) -> Result<()> {
    let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let text = render::rollup(&date, digests)?;
    output::write_atomic(&out_dir.join("rollup.md"), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that changed between listing and processing: the hash
    /// recorded is the one of the bytes digested, not the listing's.
    #[tokio::test]
    async fn a_job_records_the_hash_of_the_bytes_it_digests() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.txt");
        let text = "同志们：今天我们召开会议。\n一、总体情况\n过去一年，全年地区生产总值增长5.2%，民生持续改善。\n";
        std::fs::write(&p, text).unwrap();
        let job = Job {
            locator: Locator::File(p),
            listed_version: content_hash(b"what the listing saw"),
            lang: None,
            max_bytes: 1 << 20,
            fetch: fetch::FetchOptions::default(),
            client: None,
            pipeline: pipeline::Pipeline::offline(&["digest"]).unwrap(),
        };
        let made = job.run().await.unwrap();
        assert_eq!(made.version, content_hash(text.as_bytes()));
        assert!(made.files.iter().any(|(n, _)| n == "digest.json"));
    }
}
