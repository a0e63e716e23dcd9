//! The one pipeline: a [`Document`] in, its [`Digest`] and output files out.
//! `build`, `watch`, `render`'s siblings and the benches all call
//! [`process`]; nothing else sequences stages.
//!
//! ```text
//! Document ─outline─▶ Outline ─summarize─▶ Summaries ─(llm map/reduce)─▶ Summaries + ProviderOutput
//!          ─digest::assemble─▶ Digest ─render (output registry)─▶ files
//! ```
//!
//! The pure stages run under [`guarded`], so a panic on one input is an
//! error for that input, never the end of a batch or a scheduled run. With a
//! chat provider the section summaries and the prose enter *before* the
//! digest is assembled.

use std::io::IsTerminal;
use std::sync::Arc;

use tracing::info;

use crate::app::audio::{self, AudioRun};
use crate::digest;
use crate::error::{Error, Result};
use crate::llm::mapreduce::{self as api, ApiRun};
use crate::model::{ApiStats, Digest, Document, Outline, ProviderInfo, ProviderOutput, Summaries};
use crate::outline;
use crate::render::{self, OutputFile, Selection, Templates};
use crate::summarize::{self, SummaryOptions};
use crate::tts::lexicon::Lexicon;

/// Who writes the summaries.
#[derive(Clone)]
pub(crate) enum Provider {
    /// The built-in extractive summariser (offline).
    Extractive,
    /// A chat provider (any registered kind), with its cache and prompts.
    Chat(Arc<ApiRun>),
}

/// Everything the pipeline needs besides the document, resolved once per run.
#[derive(Clone)]
pub struct Pipeline {
    /// The templates (built-in and the user's), parsed.
    pub(crate) templates: Arc<Templates>,
    /// Which outputs to make.
    pub(crate) selection: Selection,
    /// Who summarises.
    pub(crate) provider: Provider,
    /// Summary lengths.
    pub(crate) summary: SummaryOptions,
    /// The pronunciation lexicon (`transcript.ssml` and the audio use it).
    pub(crate) lexicon: Arc<Lexicon>,
    /// Audio to make (`build --audio`), with its engine and cache.
    pub(crate) audio: Option<Arc<AudioRun>>,
}

impl Pipeline {
    /// The offline pipeline with the built-in templates, making the outputs
    /// named in `only` (all of them when empty). For the benches and tests.
    ///
    /// # Errors
    /// An unknown output name.
    pub fn offline(only: &[&str]) -> Result<Pipeline> {
        let templates = Arc::new(render::load(None)?);
        let only: Vec<String> = only.iter().map(|s| (*s).to_owned()).collect();
        let selection = Selection::only(&only, &templates).map_err(Error::Usage)?;
        Ok(Pipeline {
            templates,
            selection,
            provider: Provider::Extractive,
            summary: SummaryOptions { overview: None },
            lexicon: Arc::default(),
            audio: None,
        })
    }
}

/// What the pipeline made of one document.
pub struct Processed {
    /// The digest (also `digest.json` among the files when selected).
    pub digest: Digest,
    /// The output files: name in the item folder, bytes.
    pub files: Vec<OutputFile>,
}

/// Runs `f`, turning a panic (a bug) into an error for this input, so that
/// one bad input never stops a batch or a scheduled run.
///
/// # Errors
/// What `f` returns, or [`Error::Internal`] when it panicked.
pub(crate) fn guarded<T>(input: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(Error::Internal { input: input.to_owned(), what })
        }
    }
}

/// Outline, summarise (offline, or map/reduce with a chat provider),
/// assemble and render one document.
///
/// # Errors
/// A plan that cannot be made, a section that fails, a template that does
/// not render, or a panic in a stage (each naming the input).
pub async fn process(doc: &Document, p: &Pipeline) -> Result<Processed> {
    let input = doc.meta.source.as_str();
    let (o, base) = guarded(input, || {
        let o = outline::outline(doc);
        let s = summarize::summarize(&o, &p.summary);
        Ok((o, s))
    })?;
    let (summaries, from) = match &p.provider {
        Provider::Extractive => (base, ProviderOutput::default()),
        Provider::Chat(run) => chat(run, doc, &o, base).await?,
    };
    let (mut digest, mut files) = guarded(input, || {
        let digest = digest::assemble(&o, summaries, from);
        let files = render::render_outputs(&o, &digest, &p.templates, &p.selection, &p.lexicon)?;
        Ok((digest, files))
    })?;
    if let Some(run) = &p.audio {
        audio::add(run, input, &o, &mut digest, &mut files, &p.templates).await?;
    }
    Ok(Processed { digest, files })
}

/// The map/reduce of one speech with a chat provider: the section summaries
/// and what the provider wrote for the whole speech, with the calls' cost.
async fn chat(
    run: &Arc<ApiRun>,
    doc: &Document,
    o: &Outline,
    base: Summaries,
) -> Result<(Summaries, ProviderOutput)> {
    use std::sync::atomic::Ordering::Relaxed;
    let cfg = run.client.config();
    let fail = |e| Error::Api {
        input: doc.meta.source.clone(),
        provider: cfg.name.clone(),
        source: Box::new(e),
    };
    let plan =
        api::plan(o, &base, &run.prompts, cfg.context_window, cfg.max_output_tokens, cfg.tokens)
            .map_err(Error::Usage)?;
    let c = run.client.counters();
    let before = (
        c.calls.load(Relaxed),
        c.retries.load(Relaxed),
        c.requests.load(Relaxed),
        c.prompt_tokens.load(Relaxed),
        c.completion_tokens.load(Relaxed),
        run.cached.load(Relaxed),
    );
    c.max_in_flight.store(0, Relaxed);
    let t0 = std::time::Instant::now();
    let bar = progress_bar(&o.meta.source, (plan.jobs.len() + plan.reduce_calls) as u64);
    let outcome = api::summarize(run.clone(), o, base, plan, &bar).await;
    bar.finish_and_clear();
    let outcome = outcome.map_err(fail)?;
    let stats = ApiStats {
        calls: c.calls.load(Relaxed) - before.0,
        retries: c.retries.load(Relaxed) - before.1,
        requests: c.requests.load(Relaxed) - before.2,
        prompt_tokens: c.prompt_tokens.load(Relaxed) - before.3,
        completion_tokens: c.completion_tokens.load(Relaxed) - before.4,
        cached: run.cached.load(Relaxed) - before.5,
        wall_ms: t0.elapsed().as_millis() as u64,
        max_in_flight: c.max_in_flight.load(Relaxed),
        degraded_sections: outcome.degraded,
    };
    info!(
        "{}: {} calls, {} cached, {} retries, {}+{} tokens, {} ms",
        o.meta.source,
        stats.calls,
        stats.cached,
        stats.retries,
        stats.prompt_tokens,
        stats.completion_tokens,
        stats.wall_ms
    );
    let reduce = outcome.reduce.unwrap_or_default();
    let from = ProviderOutput {
        provider: Some(ProviderInfo {
            kind: cfg.kind.to_owned(),
            name: Some(cfg.name.clone()),
            model: Some(cfg.model.clone()),
            base_url: cfg.base_url.clone(),
            degraded: outcome.all_degraded.then(|| "all".to_owned()),
        }),
        overview: Some(reduce.overview),
        newsletter: reduce.newsletter,
        questions: reduce.questions,
        warnings: outcome.warnings,
        api: Some(stats),
    };
    Ok((outcome.summaries, from))
}

/// A progress bar on a terminal; hidden otherwise (logs, tests, cron).
fn progress_bar(message: &str, len: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
    {
        b.set_style(style.progress_chars("=> "));
    }
    b.set_message(message.to_owned());
    b
}
