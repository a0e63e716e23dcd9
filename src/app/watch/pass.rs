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
//! listing order and claims each folder's name under the lock of the folder
//! it goes in (held while writes are in flight); up to `--jobs` folders are
//! then written at once, each atomically on a blocking thread (a write is a
//! dozen synced files: done one at a time on the pass's own task, they kept
//! a worker thread of the runtime from digesting, and `--jobs 2` gained
//! nothing), and each is marked done, in listing order, once it is whole.
//! So names never race (the same names as with one job), the report keeps
//! its order, and a kill loses at most the digests and writes in flight (a
//! whole folder that was not yet marked is this item's by its owner file,
//! and the next pass takes it again). The jobs share each source's pipeline,
//! so an API provider's client, with its concurrency and rate limits, is one.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tokio::task::JoinHandle;

use tracing::{debug, error, info};

use super::WatchOptions;
use super::neardup::{self, Known, Signature};
use super::polite::Polite;
use super::report::{ItemReport, PassReport};
use super::restore::{ItemRecord, restore_if_empty};
use super::sources::{
    Candidate, Locator, PageCtx, content_hash, http, list_feed, list_folder, list_page, list_urls,
    source_name,
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
    let agent = opts.fetch.user_agent.as_deref().unwrap_or(fetch::USER_AGENT);
    let polite = Arc::new(Polite::new(opts.delay, agent));
    let mut candidates: Vec<Candidate> = Vec::new();
    for (si, src) in opts.sources.iter().enumerate() {
        let name = source_name(src);
        let listed = match src.kind {
            SourceKind::Folder => list_folder(si, src, &name, opts, &store, &mut report),
            SourceKind::Feed => {
                let ctx = PageCtx { opts, store: &store, polite: &polite, client };
                list_feed(si, src, &name, ctx, &mut report).await
            }
            SourceKind::Urls => list_urls(si, src, &name, &store, &mut report),
            SourceKind::Page => {
                let ctx = PageCtx { opts, store: &store, polite: &polite, client };
                list_page(si, src, &name, ctx, &mut report).await
            }
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

    // The speeches written so far, for the same speech from another source.
    let mut known = neardup::Index::default();
    for (id, source, output_dir, b) in store.signatures().map_err(store_err)? {
        if let Some(signature) = Signature::from_bytes(&b) {
            known.add(Known { id, source, output_dir, signature });
        }
    }
    let known_before = Arc::new(known.clone());
    let outputs = Arc::new(outputs_of(&opts.sources));

    // 2. Process the new and changed ones: up to `opts.jobs` digested at
    // once and up to `opts.jobs` folders written at once, each outcome
    // taken in listing order.
    let mut written: Vec<Digest> = Vec::new();
    let mut taken = output::Taken::default();
    let limit = opts.max_items.unwrap_or(usize::MAX);
    let total = candidates.len();
    // With a chat provider, items go one at a time: each digest's `api`
    // figures are read off the provider's shared counters around its run,
    // and the provider already runs a speech's sections `--concurrency` at once.
    let chat = opts.pipelines.iter().any(|p| matches!(p.provider, Provider::Chat(_)));
    let jobs = if chat { 1 } else { opts.jobs.max(1) };
    let mut queue = candidates.into_iter();
    let mut pending: VecDeque<(Candidate, JoinHandle<Result<Made>>)> = VecDeque::new();
    let mut writes: VecDeque<Writing> = VecDeque::new();
    // The locks of the folders written into, held while a write is in flight.
    let mut held: HashMap<PathBuf, Arc<output::HeldDir>> = HashMap::new();
    let mut spawned = 0;
    let mut handled = 0;
    let mut stopped = false;
    // Old folders of revised items, removed once no write is in flight.
    let mut stale: Vec<PathBuf> = Vec::new();
    loop {
        // The lock is held and nothing is recorded before its folder is
        // whole: a kill at any point loses at most the digests and writes in
        // flight, which the next pass makes again (a whole folder it finds
        // is this item's by its owner file).
        while !stopped
            && pending.len() < jobs
            && spawned < limit
            && !shutdown.load(Ordering::SeqCst)
        {
            let Some(c) = queue.next() else { break };
            spawned += 1;
            let job = match make_job(&c, opts, client, &polite, &known_before, &outputs) {
                Ok(job) => tokio::spawn(job.run()),
                Err(e) => tokio::spawn(async move { Err(e) }),
            };
            pending.push_back((c, job));
        }
        let room = writes.len() < jobs && !pending.is_empty();
        // Claim the next digest's folder when it is made and a write has
        // room, else finish the oldest write: whichever comes first.
        let next = match (room, writes.front_mut()) {
            (false, None) => break,
            (true, None) => Next::Made(next_job(&mut pending).await),
            (false, Some(w)) => Next::Wrote((&mut w.job).await),
            (true, Some(w)) => tokio::select! {
                biased;
                r = &mut w.job => Next::Wrote(r),
                r = next_job(&mut pending) => Next::Made(r),
            },
        };
        match next {
            Next::Made(made) => {
                let (c, _) = pending.pop_front().expect("the job awaited");
                handled += 1;
                let made = made.unwrap_or_else(|e| {
                    Err(Error::Internal { input: locator_of(&c), what: e.to_string() })
                });
                let claims = Claims {
                    store: &store,
                    taken: &mut taken,
                    held: &mut held,
                    known: &mut known,
                    outputs: &outputs,
                };
                writes.push_back(start_write(c, made, opts, claims));
            }
            Next::Wrote(wrote) => {
                let w = writes.pop_front().expect("the write awaited");
                let wrote = wrote.unwrap_or_else(|e| {
                    Err(Error::Internal { input: w.locator.clone(), what: e.to_string() })
                });
                let mut done =
                    Done { store: &mut store, report: &mut report, written: &mut written };
                let flow = finish(w, wrote, opts, &held, &mut stale, &mut done).await;
                if writes.is_empty() {
                    // Another run into the same folder may go on.
                    held.clear();
                    for prev in stale.drain(..) {
                        output::remove_folder(&prev);
                    }
                }
                match flow {
                    Ok(Flow::Go) => {}
                    Ok(Flow::Stop) => {
                        // The digests in flight are dropped unwritten:
                        // deferred. The writes in flight finish and are recorded.
                        stopped = true;
                        abort(std::mem::take(&mut pending));
                    }
                    Err(e) => {
                        abort(pending);
                        return Err(e);
                    }
                }
            }
        }
    }
    report.deferred = total - handled;
    all_failed_is_a_source_error(opts, &mut report);
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

/// An item on its way to its folder, in listing order: its folder being
/// written (or the error that stopped it before).
struct Writing {
    c: Candidate,
    /// Where it comes from (a page item: its article's canonical URL).
    locator: String,
    job: JoinHandle<Result<Written>>,
}

/// An item's outcome, not yet recorded.
enum Written {
    /// A whole folder.
    Folder { dir: PathBuf, digest: Box<Digest>, version: String, signature: Option<Signature> },
    /// The same speech as a written one: no folder of its own.
    Duplicate { of: Known, version: String },
}

/// What the pass awaited first.
enum Next {
    Made(std::result::Result<Result<Made>, tokio::task::JoinError>),
    Wrote(std::result::Result<Result<Written>, tokio::task::JoinError>),
}

/// Whether the pass goes on after an item.
enum Flow {
    Go,
    /// An environment fault: no more items are started.
    Stop,
}

/// What an item's outcome is recorded in.
struct Done<'a> {
    store: &'a mut Store,
    report: &'a mut PassReport,
    written: &'a mut Vec<Digest>,
}

/// The oldest digest in flight.
async fn next_job(
    pending: &mut VecDeque<(Candidate, JoinHandle<Result<Made>>)>,
) -> std::result::Result<Result<Made>, tokio::task::JoinError> {
    match pending.front_mut() {
        Some((_, job)) => job.await,
        None => std::future::pending().await,
    }
}

/// What claiming a folder reads and updates.
struct Claims<'a> {
    store: &'a Store,
    taken: &'a mut output::Taken,
    /// The locks of the folders written into, held while a write is in flight.
    held: &'a mut HashMap<PathBuf, Arc<output::HeldDir>>,
    /// The speeches written, before and in this pass.
    known: &'a mut neardup::Index,
    /// What each source's items are made into.
    outputs: &'a HashMap<String, String>,
}

/// Claims the folder of a made item (in listing order, under the lock of
/// the folder it goes in, which `held` keeps while writes are in flight)
/// and starts writing it on a blocking thread. A new item whose text is a
/// speech written earlier in this pass is that one's duplicate instead.
fn start_write(c: Candidate, made: Result<Made>, opts: &WatchOptions, cl: Claims<'_>) -> Writing {
    let mut locator = locator_of(&c);
    let claimed = made.and_then(|m| {
        // A page item is recorded with its article's canonical URL.
        if let Some(canonical) = &m.canonical {
            locator.clone_from(canonical);
        }
        let (digest, files) = match m.kind {
            MadeKind::Duplicate(of) => return Ok(Err((of, m.version))),
            MadeKind::Digested { digest, files } => (digest, files),
        };
        let src = &opts.sources[c.source];
        let name = source_name(src);
        if !c.is_update
            && let Some(sig) = &m.signature
            && let Some(first) = cl.known.same_as(&name, sig, |s| alike(cl.outputs, &name, s))
        {
            return Ok(Err((first.clone(), m.version)));
        }
        let record = ItemRecord {
            id: c.id.clone(),
            source: name.clone(),
            locator: locator.clone(),
            version: m.version.clone(),
        };
        let mut files = files;
        files.push(record.file()?);
        let base = match &src.subdir {
            Some(d) => opts.out_dir.join(d),
            None => opts.out_dir.clone(),
        };
        let lock = match cl.held.get(&base) {
            Some(l) => l.clone(),
            None => {
                let l = Arc::new(output::HeldDir::lock(&base)?);
                cl.held.insert(base.clone(), l.clone());
                l
            }
        };
        let dir = claim(&c, &base, cl.store, cl.taken, &digest)?;
        if let Some(sig) = &m.signature {
            let output_dir = dir.display().to_string();
            let signature = sig.clone();
            cl.known.add(Known { id: c.id.clone(), source: name, output_dir, signature });
        }
        Ok(Ok((lock, dir, files, digest, m.version, m.signature)))
    });
    let job = match claimed {
        Ok(Ok((lock, dir, files, digest, version, signature))) => {
            let id = c.id.clone();
            tokio::task::spawn_blocking(move || {
                lock.write_folder(&dir, &files, &id)?;
                Ok(Written::Folder { dir, digest, version, signature })
            })
        }
        Ok(Err((of, version))) => {
            tokio::spawn(async move { Ok(Written::Duplicate { of, version }) })
        }
        Err(e) => tokio::spawn(async move { Err(e) }),
    };
    Writing { c, locator, job }
}

/// Records an item's outcome (the state, the hook, the report) once its
/// folder is whole or its error known.
async fn finish(
    w: Writing,
    wrote: Result<Written>,
    opts: &WatchOptions,
    held: &HashMap<PathBuf, Arc<output::HeldDir>>,
    stale: &mut Vec<PathBuf>,
    done: &mut Done<'_>,
) -> Result<Flow> {
    let Writing { c, locator, .. } = w;
    let src = &opts.sources[c.source];
    let name = source_name(src);
    let report = &mut *done.report;
    match wrote {
        Ok(Written::Duplicate { of, version }) => {
            let note = format!("the same speech as `{}` ({})", of.id, of.output_dir);
            done.store
                .mark_duplicate(&c.id, &name, &locator, &version, &note)
                .map_err(store_err)?;
            info!("{locator}: {note}; not digested again");
            report.duplicates += 1;
            report
                .notes
                .push(format!("source `{name}`: `{locator}` is {note}: not digested again"));
            report.items.push(ItemReport {
                id: c.id,
                source: name,
                status: "duplicate".to_owned(),
                output_dir: Some(of.output_dir),
                error: None,
                parked: false,
            });
            Ok(Flow::Go)
        }
        Ok(Written::Folder { dir, digest, version, signature }) => {
            let dir_s = dir.display().to_string();
            done.store
                .mark_done(&c.id, &name, &locator, digest.meta.title.as_deref(), &version, &dir_s)
                .map_err(store_err)?;
            if let Some(sig) = &signature {
                done.store.put_signature(&c.id, &dir_s, &sig.to_bytes()).map_err(store_err)?;
            }
            // The old folder of a revision goes, but only when it is this
            // item's and under the output folder.
            if let Some(prev) = &c.previous_output
                && prev != &dir_s
                && Path::new(prev).starts_with(&opts.out_dir)
                && output::owner_of(Path::new(prev)).as_deref() == Some(c.id.as_str())
            {
                let prev = PathBuf::from(prev);
                match held.values().find(|h| h.holds(&prev)) {
                    Some(h) => h.remove_folder(&prev),
                    // Its folder's lock is not ours: taken once no write is in flight.
                    None if !held.is_empty() => stale.push(prev),
                    None => output::remove_folder(&prev),
                }
            }
            info!("{locator}: wrote {dir_s}");
            if let Some(hook) = &src.on_item {
                let status = if c.is_update { "updated" } else { "new" };
                let title = digest.meta.title.as_deref().unwrap_or("");
                let env = [
                    ("SPEECHDIGEST_DIR", dir_s.as_str()),
                    ("SPEECHDIGEST_ID", c.id.as_str()),
                    ("SPEECHDIGEST_SOURCE", name.as_str()),
                    ("SPEECHDIGEST_TITLE", title),
                    ("SPEECHDIGEST_URL", locator.as_str()),
                    ("SPEECHDIGEST_STATUS", status),
                ];
                if let Err(why) = run_hook(hook, &env).await {
                    error!("source `{name}`: `on_item` for `{}`: {why}", c.id);
                    report
                        .notes
                        .push(format!("source `{name}`: on_item failed for `{}`: {why}", c.id));
                }
            }
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
                done.written.push(*digest);
            }
            Ok(Flow::Go)
        }
        // The state itself fails: the pass cannot record anything.
        Err(e @ Error::Store(_)) => Err(e),
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
            Ok(if stop { Flow::Stop } else { Flow::Go })
        }
        Err(e) => {
            // Redacted once: the state, the log and the `--json` report get it.
            let msg = redact(&chain(&e)).into_owned();
            let attempts = done
                .store
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
            Ok(Flow::Go)
        }
    }
}

/// A listing whose articles all failed this pass (two or more: the article
/// pages were redesigned, or sit behind a login or a script) is the
/// source's error, named in the report, not only a row of failed items: a
/// redesign is loud. One failed article among others stays the item's.
fn all_failed_is_a_source_error(opts: &WatchOptions, report: &mut PassReport) {
    for src in opts.sources.iter().filter(|s| s.kind == SourceKind::Page) {
        let name = source_name(src);
        let mine: Vec<&ItemReport> = report.items.iter().filter(|i| i.source == name).collect();
        if mine.len() >= 2 && mine.iter().all(|i| i.status == "failed") {
            let first = mine[0].error.as_deref().unwrap_or("");
            report.source_errors.push(format!(
                "{name}: all {} article links taken this pass failed to extract (were the article pages redesigned? set `selector` or `link_pattern`, or check one with `speechdigest outline URL`); the first: {first}",
                mine.len()
            ));
        }
    }
}

/// What each source's items are made into, by source name: its templates,
/// provider and audio. Two sources alike make the same outputs of one
/// speech, so the second copy is a duplicate; a source that asks for other
/// outputs digests its copy for them.
fn outputs_of(sources: &[SourceConfig]) -> HashMap<String, String> {
    sources
        .iter()
        .map(|s| (source_name(s), format!("{:?}|{:?}|{:?}", s.templates, s.provider, s.audio)))
        .collect()
}

/// Whether `source` and `other` make the same outputs (a source no longer
/// in the config is taken as alike: its folder has the speech).
fn alike(outputs: &HashMap<String, String>, source: &str, other: &str) -> bool {
    match (outputs.get(source), outputs.get(other)) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// Longest an `on_item` hook may run.
const HOOK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs a source's `on_item` hook for an item: a webhook (an `http://` or
/// `https://` URL: the item POSTed as JSON, see [`post_hook`]) or a command
/// with the item in its environment. A command's standard output is
/// dropped (stdout is the pass's report), its standard error is ours. A
/// hook that fails or outlives [`HOOK_TIMEOUT`] is reported; the item
/// stays done.
async fn run_hook(hook: &str, env: &[(&str, &str)]) -> std::result::Result<(), String> {
    let trimmed = hook.trim();
    if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
        return post_hook(trimmed, env).await;
    }
    #[cfg(unix)]
    let mut cmd = tokio::process::Command::new("sh");
    #[cfg(unix)]
    cmd.arg("-c").arg(hook);
    #[cfg(not(unix))]
    let mut cmd = tokio::process::Command::new("cmd");
    #[cfg(not(unix))]
    cmd.arg("/C").arg(hook);
    cmd.envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true);
    let mut child = cmd.spawn().map_err(|e| format!("cannot start it: {e}"))?;
    match tokio::time::timeout(HOOK_TIMEOUT, child.wait()).await {
        Ok(Ok(s)) if s.success() => Ok(()),
        Ok(Ok(s)) => Err(format!("it exited with {s}")),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("it ran longer than {}s and was stopped", HOOK_TIMEOUT.as_secs())),
    }
}

/// POSTs the item to a webhook: `{"dir", "id", "source", "title", "url",
/// "status"}` (the `SPEECHDIGEST_*` variables of a command hook, named
/// without the prefix, lower-case). Any 2xx is success. What is said of a
/// failure never has the URL (a token in its path or query stays out of
/// logs and the report).
async fn post_hook(url: &str, env: &[(&str, &str)]) -> std::result::Result<(), String> {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    let client = match CLIENT.get() {
        Some(c) => c.clone(),
        None => {
            let c = reqwest::Client::builder()
                .timeout(HOOK_TIMEOUT)
                .user_agent(fetch::USER_AGENT)
                .build()
                .map_err(|e| format!("no HTTP client: {}", e.without_url()))?;
            CLIENT.get_or_init(|| c).clone()
        }
    };
    let body: serde_json::Map<String, serde_json::Value> = env
        .iter()
        .map(|(k, v)| {
            let key = k.trim_start_matches("SPEECHDIGEST_").to_ascii_lowercase();
            (key, serde_json::Value::String((*v).to_owned()))
        })
        .collect();
    let answer = client
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("the webhook could not be reached: {}", e.without_url()))?;
    let status = answer.status();
    if status.is_success() { Ok(()) } else { Err(format!("the webhook answered {status}")) }
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
    /// Digested, or the same speech as one already written.
    kind: MadeKind,
    /// The hash of the bytes digested (files), else the listed version.
    version: String,
    /// The `<link rel="canonical">` of a listing's article.
    canonical: Option<String>,
    /// The MinHash of its text (see `neardup`), when long enough to have one.
    signature: Option<Signature>,
}

enum MadeKind {
    Digested {
        digest: Box<Digest>,
        files: Vec<OutputFile>,
    },
    /// Not digested: a speech the state knows, from another item.
    Duplicate(Known),
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
    /// The politeness gate: one request at a time per host, across every
    /// source and job of the pass.
    polite: Arc<Polite>,
    /// A listing's article: recorded with its `<link rel="canonical">`.
    article: bool,
    /// The speeches written before this pass, when the item is new (an
    /// update keeps its folder whatever its text).
    known: Option<Arc<neardup::Index>>,
    /// Its source's name.
    source: String,
    /// What each source's items are made into (see [`outputs_of`]).
    outputs: Arc<HashMap<String, String>>,
}

fn make_job(
    c: &Candidate,
    opts: &WatchOptions,
    client: &mut Option<reqwest::Client>,
    polite: &Arc<Polite>,
    known: &Arc<neardup::Index>,
    outputs: &Arc<HashMap<String, String>>,
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
        polite: polite.clone(),
        article: src.kind == SourceKind::Page,
        known: (!c.is_update).then(|| known.clone()),
        source: source_name(src),
        outputs: outputs.clone(),
    })
}

impl Job {
    /// Reads or fetches, digests and renders the item. A file is read again
    /// here (the listing kept only its hash); when it changed since the
    /// listing, the bytes digested are the ones whose hash is recorded.
    async fn run(self) -> Result<Made> {
        let mut canonical = None;
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
                let f = self.polite.run(u, fetch::fetch(&client, u, &self.fetch)).await?;
                if self.article {
                    canonical = crate::ingest::decode::decode(&f.bytes, f.charset.as_deref())
                        .ok()
                        .and_then(|d| crate::ingest::listing::canonical(&d.text, u));
                }
                let hint = Hint { charset: f.charset, is_html: f.is_html, lang: None };
                (f.bytes, hint, u.clone(), self.listed_version)
            }
        };
        hint.lang = self.lang;
        let doc = pipeline::guarded(&display, || ingest::ingest_bytes(&bytes, &display, &hint))?;
        drop(bytes);
        let signature = Signature::of(&doc.text);
        // The same speech as one written before: not digested again (with
        // an API provider, not paid for again).
        if let (Some(known), Some(sig)) = (&self.known, &signature)
            && let Some(first) =
                known.same_as(&self.source, sig, |s| alike(&self.outputs, &self.source, s))
        {
            let kind = MadeKind::Duplicate(first.clone());
            return Ok(Made { kind, version, canonical, signature });
        }
        let pipeline::Processed { digest, files } = pipeline::process(&doc, &self.pipeline).await?;
        let kind = MadeKind::Digested { digest: Box::new(digest), files };
        Ok(Made { kind, version, canonical, signature })
    }
}

/// Claims the item's folder under `base` (its lock held by the caller):
/// the folder it wrote before (the state says so, or, for a folder the
/// state does not know, its owner file), else a free name. Only the pass
/// calls this, one item at a time in listing order: the claim is never raced.
fn claim(
    c: &Candidate,
    base: &Path,
    store: &Store,
    taken: &mut output::Taken,
    digest: &Digest,
) -> Result<PathBuf> {
    output::pick_folder(base, &output::folder_name(&digest.meta), taken, |dir| {
        let dir_s = dir.display().to_string();
        let owner = store.owner_of(&dir_s).map_err(store_err)?;
        let mine = owner.as_deref() == Some(c.id.as_str())
            || c.previous_output.as_deref() == Some(dir_s.as_str())
            || (owner.is_none() && output::owner_of(dir).as_deref() == Some(c.id.as_str()));
        Ok::<_, Error>(mine || (owner.is_none() && !dir.exists()))
    })
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
            polite: Arc::new(Polite::new(std::time::Duration::ZERO, "t")),
            article: false,
            known: None,
            source: "s".to_owned(),
            outputs: Arc::new(HashMap::new()),
        };
        let made = job.run().await.unwrap();
        assert_eq!(made.version, content_hash(text.as_bytes()));
        let MadeKind::Digested { files, .. } = made.kind else { panic!("not digested") };
        assert!(files.iter().any(|(n, _)| n == "digest.json"));
    }
}
