//! The commands: each reads its inputs, runs the stages in order and writes
//! results, one input at a time, so that a failing input is reported and the
//! others still done. This is the only module that sequences stages.

use std::fmt;
use std::io::Write;
use std::time::Duration;

use tracing::{Event, Subscriber, error, info, warn};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

use crate::cli::{
    BuildArgs, Cli, Command, ConventionArgs, InputArgs, NormalizeArgs, OutlineArgs, SummaryArgs,
    TemplatesCommand, TranscriptArgs,
};
use crate::config::{Config, ProviderSettings, Settings};
use crate::digest::{self, Digest};
use crate::digest::{ApiStats, ProviderInfo};
use crate::error::{Error, Result};
use crate::ingest::{self, Document, Hint, Lang, Source, fetch};
use crate::outline::{self, Outline, Section, SectionKind};
use crate::output;
use crate::render::{self, Templates};
use crate::store::Store;
use crate::summarize::openai::{Client, OpenAiConfig};
use crate::summarize::{self, SummaryOptions, api, extractive::Budget, prompts};
use crate::tts::{self, NormalizeOptions, TtsOptions, en, zh};
use std::io::IsTerminal;
use std::sync::Arc;

/// What a command did: how many inputs succeeded and failed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Inputs fully processed.
    pub ok: usize,
    /// Inputs that failed (each already reported on stderr).
    pub failed: usize,
}

impl Report {
    /// 0 when nothing failed, 1 when some input failed.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.failed > 0)
    }
}

/// Runs one command.
///
/// # Errors
/// Only what stops the whole run (usage errors); per-input failures are
/// counted in the [`Report`].
pub async fn run(cli: Cli) -> Result<Report> {
    match cli.command {
        Command::Outline(args) => outline_cmd(args).await,
        Command::Build(args) => build_cmd(args).await,
        Command::Summary(args) => summary_cmd(args).await,
        Command::Templates(cmd) => templates_cmd(cmd),
        Command::Watch(args) => watch_cmd(args).await,
        Command::Transcript(args) => transcript_cmd(args).await,
        Command::Normalize(args) => normalize_cmd(args).await,
    }
}

/// Reads speeches one by one, calling `each` on every document; failures are
/// logged with the input's name and counted.
async fn for_each_document(
    input: &InputArgs,
    mut each: impl FnMut(Document) -> Result<()>,
) -> Result<Report> {
    if input.inputs.iter().filter(|i| *i == "-").count() > 1 {
        return Err(Error::Usage("standard input (`-`) can be given only once".to_owned()));
    }
    let max_bytes = input.max_input_mib * 1024 * 1024;
    let fetch_opts =
        fetch::FetchOptions { timeout: Duration::from_secs(input.fetch_timeout), max_bytes };
    let mut client: Option<reqwest::Client> = None;
    let mut report = Report::default();
    for arg in &input.inputs {
        let source = Source::parse(arg);
        let doc = load(&source, input, &fetch_opts, &mut client).await;
        let outcome = doc.and_then(|d| guarded(&arg.clone(), || each(d)));
        match outcome {
            Ok(()) => report.ok += 1,
            Err(e) => {
                report.failed += 1;
                error!("{}", chain(&e));
            }
        }
    }
    Ok(report)
}

/// Runs `f`, turning a panic (a bug) into an error for this input, so that
/// one bad input never stops a batch or a scheduled run.
///
/// # Errors
/// What `f` returns, or [`Error::Internal`] when it panicked.
pub fn guarded<T>(input: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
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

/// Loads one source into a document.
///
/// # Errors
/// Reading, fetching, decoding and empty-input errors, naming the input.
pub async fn load(
    source: &Source,
    input: &InputArgs,
    fetch_opts: &fetch::FetchOptions,
    client: &mut Option<reqwest::Client>,
) -> Result<Document> {
    let name = source.display();
    let (bytes, mut hint) = match source {
        Source::Url(url) => {
            if client.is_none() {
                *client = Some(fetch::client(fetch_opts)?);
            }
            let c = client.as_ref().ok_or_else(|| Error::Usage("no HTTP client".to_owned()))?;
            let f = fetch::fetch(c, url, fetch_opts).await?;
            (f.bytes, Hint { charset: f.charset, is_html: f.is_html, lang: None })
        }
        other => {
            let src = other.clone();
            let max = fetch_opts.max_bytes;
            tokio::task::spawn_blocking(move || ingest::read_source(&src, max)).await.map_err(
                |e| Error::Read { path: name.clone().into(), source: std::io::Error::other(e) },
            )??
        }
    };
    hint.lang = input.lang;
    let doc = ingest::ingest_bytes(&bytes, &name, &hint)?;
    info!(
        "{}: {} characters ({}), lang {}, title {:?}",
        name,
        doc.meta.chars,
        doc.meta.encoding,
        doc.meta.lang.code(),
        doc.meta.title.as_deref().unwrap_or("-")
    );
    Ok(doc)
}

async fn outline_cmd(args: OutlineArgs) -> Result<Report> {
    let many = args.input.inputs.len() > 1;
    let json = args.json;
    for_each_document(&args.input, |doc| {
        let o = outline::outline(&doc);
        for w in &o.warnings {
            match w {
                // Normal for many addresses: worth knowing, not worth a warning.
                outline::Warning::NoNumbering { .. } => {
                    info!("{}: {}", doc.meta.source, w.message())
                }
                _ => warn!("{}: {}", doc.meta.source, w.message()),
            }
        }
        let text = if json {
            let s = if many { serde_json::to_string(&o) } else { serde_json::to_string_pretty(&o) };
            s.map_err(Error::Json)? + "\n"
        } else {
            render_tree(&o)
        };
        write_stdout(text.as_bytes())
    })
    .await
}

async fn watch_cmd(args: crate::cli::WatchArgs) -> Result<Report> {
    let Some((path, config)) = crate::config::Config::discover(args.config.as_deref())? else {
        return Err(Error::Usage(
            "watch needs a config file with [[sources]]: pass --config FILE or create ./speechdigest.toml".to_owned(),
        ));
    };
    // Relative paths in the config are relative to its folder.
    let dir = path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let mut opts = crate::watch::resolve(&config, &dir, &args)?;
    // One API client per provider named by the config or a source; resolved
    // (and its prompts parsed) before the first pass.
    let mut runs: std::collections::BTreeMap<String, Option<Arc<api::ApiRun>>> = Default::default();
    for src in &opts.sources {
        let name = src
            .provider
            .clone()
            .or_else(|| config.provider.clone())
            .unwrap_or_else(|| "extractive".to_owned());
        if !runs.contains_key(&name) {
            let cli = crate::cli::ApiArgs { provider: Some(name.clone()), ..Default::default() };
            let settings = Settings::resolve(&cli, Some(&config), &|k| std::env::var(k).ok())
                .map_err(Error::Usage)?;
            let run = match &settings.provider {
                ProviderSettings::Extractive => None,
                ProviderSettings::OpenAi(cfg) => Some(api_run(cfg, &settings)?),
            };
            runs.insert(name.clone(), run);
        }
        opts.apis.push(runs.get(&name).cloned().flatten());
    }
    let tpl_dir = args.templates.clone().or_else(|| {
        config.templates.as_ref().map(|t| if t.is_absolute() { t.clone() } else { dir.join(t) })
    });
    // Every source's templates are parsed before the first pass.
    let default = Arc::new(render::load(tpl_dir.as_deref())?);
    let mut templates: Vec<Arc<Templates>> = Vec::new();
    for src in &opts.sources {
        templates.push(match &src.templates {
            Some(dir) => Arc::new(render::load(Some(dir))?),
            None => default.clone(),
        });
    }
    let code = crate::watch::watch(opts, templates).await?;
    Ok(Report { ok: usize::from(code == 0), failed: usize::from(code != 0) })
}

/// The digest and outline of one document with the built-in extractive
/// provider. Pure.
pub fn digest_of(doc: &Document, opts: &SummaryOptions) -> (Digest, Outline) {
    let o = outline::outline(doc);
    let summaries = summarize::summarize(&o, opts);
    (digest::assemble(&o, summaries, "extractive"), o)
}

/// Outputs that are not templates (the digest, the transcript, spoken briefing and newsletter).
pub const EXTRA_OUTPUTS: [&str; 5] =
    ["digest.json", "transcript.txt", "transcript.ssml", "briefing.tts.txt", "newsletter.tts.txt"];

/// Which files an input gets: template outputs plus the extras.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Template names to render.
    pub templates: Vec<String>,
    /// Extra outputs (from [`EXTRA_OUTPUTS`]).
    pub extras: Vec<&'static str>,
}

/// Which files `--only` selects, checked against the outputs before any work.
fn selected_outputs(only: &[String], templates: &Templates) -> Result<Selection> {
    let names: Vec<String> = templates.outputs.iter().map(|(n, _)| n.clone()).collect();
    if only.is_empty() {
        return Ok(Selection { templates: names, extras: EXTRA_OUTPUTS.to_vec() });
    }
    let mut sel = Selection { templates: Vec::new(), extras: Vec::new() };
    for want in only {
        let want = want.trim();
        let extras: Vec<&'static str> = EXTRA_OUTPUTS
            .iter()
            .copied()
            // By full name or without `.txt`/`.json`; `transcript` means both of its files.
            .filter(|e| {
                *e == want
                    || e.strip_suffix(".json") == Some(want)
                    || e.strip_suffix(".txt") == Some(want)
                    || (want == "transcript" && e.starts_with("transcript."))
            })
            .collect();
        let hits: Vec<&String> = names
            .iter()
            .filter(|n| {
                let out = Templates::output_name(n);
                out == want || *n == want || out.split('.').next() == Some(want)
            })
            .collect();
        if hits.is_empty() && extras.is_empty() {
            let mut known: Vec<&str> = names.iter().map(|n| Templates::output_name(n)).collect();
            known.extend(EXTRA_OUTPUTS);
            return Err(Error::Usage(format!(
                "unknown output `{want}` in --only (known: {})",
                known.join(", ")
            )));
        }
        sel.templates.extend(hits.into_iter().cloned());
        sel.extras.extend(extras);
    }
    sel.templates.sort();
    sel.templates.dedup();
    sel.extras.sort_unstable();
    sel.extras.dedup();
    Ok(sel)
}

/// One output file: its name in the item folder and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// The files of `sel` for a document, its outline and its digest. Pure.
///
/// # Errors
/// A template that fails to render, or JSON serialisation.
pub fn render_outputs(
    doc: &Document,
    o: &Outline,
    d: &Digest,
    templates: &Templates,
    sel: &Selection,
) -> Result<Vec<OutputFile>> {
    let mut files: Vec<OutputFile> = Vec::new();
    for name in &sel.templates {
        files.push((
            Templates::output_name(name).to_owned(),
            templates.render(name, d)?.into_bytes(),
        ));
    }
    let tts_opts = TtsOptions::for_engine(tts::Engine::Generic, doc.meta.lang);
    if sel.extras.contains(&"transcript.txt") || sel.extras.contains(&"transcript.ssml") {
        let t = tts::transcript(o, &tts_opts);
        if sel.extras.contains(&"transcript.txt") {
            files.push(("transcript.txt".to_owned(), tts::to_text(&t).into_bytes()));
        }
        if sel.extras.contains(&"transcript.ssml") {
            files.push(("transcript.ssml".to_owned(), tts::to_ssml(&t).into_bytes()));
        }
    }
    for (extra, template) in
        [("briefing.tts.txt", "briefing.md.tera"), ("newsletter.tts.txt", "newsletter.md.tera")]
    {
        if sel.extras.contains(&extra) && templates.outputs.iter().any(|(n, _)| n == template) {
            let md = templates.render(template, d)?;
            files.push((
                extra.to_owned(),
                tts::spoken_markdown(&md, doc.meta.lang, &tts_opts.normalize).into_bytes(),
            ));
        }
    }
    if sel.extras.contains(&"digest.json") {
        let mut json = serde_json::to_vec_pretty(d).map_err(Error::Json)?;
        json.push(b'\n');
        files.push(("digest.json".to_owned(), json));
    }
    Ok(files)
}

async fn build_cmd(args: BuildArgs) -> Result<Report> {
    // Every template and prompt is parsed, and the settings resolved, before
    // the first input is read: a typo costs no paid request.
    let templates = render::load(args.templates.as_deref())?;
    let sel = selected_outputs(&args.only, &templates)?;
    let file = Config::discover(args.api.config.as_deref())?.map(|(_, c)| c);
    let settings = Settings::resolve(&args.api, file.as_ref(), &|k| std::env::var(k).ok())
        .map_err(Error::Usage)?;
    let api = match &settings.provider {
        ProviderSettings::Extractive => None,
        ProviderSettings::OpenAi(cfg) => Some(api_run(cfg, &settings)?),
    };
    let mut taken: Vec<std::path::PathBuf> = Vec::new();
    let out_dir = args.out.clone();
    let opts = SummaryOptions { overview: None };
    for_each_document(&args.input, |doc| {
        let (d, o) = match &api {
            None if settings.dry_run => {
                let o = outline::outline(&doc);
                return write_stdout(
                    format!(
                        "{}: provider extractive, {} sections, 0 calls (offline)\n",
                        doc.meta.source,
                        summarize::summarize(&o, &opts).sections.len()
                    )
                    .as_bytes(),
                );
            }
            None => digest_of(&doc, &opts),
            Some(run) => {
                if settings.dry_run {
                    let o = outline::outline(&doc);
                    let base = summarize::summarize(&o, &opts);
                    let cfg = run.client.config();
                    let plan = api::plan(
                        &o,
                        &base,
                        &run.prompts,
                        cfg.context_window,
                        cfg.max_output_tokens,
                    )
                    .map_err(Error::Usage)?;
                    return write_stdout(dry_run_text(&doc, cfg, &plan).as_bytes());
                }
                let handle = tokio::runtime::Handle::current();
                tokio::task::block_in_place(|| {
                    handle.block_on(api_document_digest(run, &doc, &opts))
                })?
            }
        };
        let files = render_outputs(&doc, &o, &d, &templates, &sel)?;
        for w in &d.warnings {
            if w.kind != "no_numbering" {
                warn!("{}: {}", doc.meta.source, w.message);
            }
        }
        let owner = output::owner_key(&doc.meta.source);
        let folder =
            output::unique_folder(&out_dir, &output::folder_name(&d.meta), &mut taken, &owner);
        output::write_folder_atomic(&folder, &files, &owner)?;
        info!("{}: wrote {} files to {}", doc.meta.source, files.len(), folder.display());
        write_stdout(format!("{}\n", folder.display()).as_bytes())
    })
    .await
}

/// Outline, map, reduce and assemble one document with the API provider.
///
/// # Errors
/// A plan that cannot be made, or a section that fails (naming the input).
pub(crate) async fn api_document_digest(
    run: &Arc<api::ApiRun>,
    doc: &Document,
    opts: &SummaryOptions,
) -> Result<(Digest, Outline)> {
    let o = outline::outline(doc);
    let base = summarize::summarize(&o, opts);
    let cfg = run.client.config();
    let plan = api::plan(&o, &base, &run.prompts, cfg.context_window, cfg.max_output_tokens)
        .map_err(Error::Usage)?;
    let d = api_digest(run.clone(), &o, base, plan).await.map_err(|e| Error::Api {
        input: doc.meta.source.clone(),
        provider: cfg.name.clone(),
        source: Box::new(e),
    })?;
    Ok((d, o))
}

/// The shared state of an API run: client, cache, prompts.
pub(crate) fn api_run(cfg: &OpenAiConfig, settings: &Settings) -> Result<Arc<api::ApiRun>> {
    let prompts = prompts::load(settings.prompts.as_deref())?;
    let cache = match &settings.cache {
        Some(p) if !settings.dry_run => {
            info!("cache: {}", p.display());
            Some(std::sync::Mutex::new(Store::open(p)?))
        }
        _ => None,
    };
    let client = Client::new(Arc::new(cfg.clone()))
        .map_err(|e| Error::Usage(format!("cannot start the HTTP client: {e}")))?;
    if cfg.api_key.is_none() {
        info!("no key in `{}`: calling {} without one", cfg.api_key_env, cfg.endpoint());
    }
    Ok(Arc::new(api::ApiRun {
        client,
        cache,
        prompts,
        strict: settings.strict,
        fallback: settings.fallback,
        cached: Default::default(),
    }))
}

/// Map, reduce and assemble one speech with the API provider; the digest
/// records the provider (never the key) and what the calls cost.
async fn api_digest(
    run: Arc<api::ApiRun>,
    o: &Outline,
    base: summarize::Summaries,
    plan: api::Plan,
) -> std::result::Result<Digest, api::SectionError> {
    use std::sync::atomic::Ordering::Relaxed;
    let c = &run.client.counters;
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
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new((plan.jobs.len() + plan.reduce_calls) as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
        {
            b.set_style(style.progress_chars("=> "));
        }
        b.set_message(o.meta.source.clone());
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let outcome = api::summarize(run.clone(), o, base, plan, &bar).await;
    bar.finish_and_clear();
    let outcome = outcome?;
    let cfg = run.client.config();
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
    let provider = ProviderInfo {
        kind: "openai".to_owned(),
        name: Some(cfg.name.clone()),
        model: Some(cfg.model.clone()),
        base_url: Some(cfg.base_url.clone()),
    };
    let summaries = outcome.summaries.clone();
    let mut d = digest::assemble(o, summaries, "openai");
    api::apply(&mut d, outcome, provider, stats);
    Ok(d)
}

/// What `--dry-run` prints for one speech.
fn dry_run_text(doc: &Document, cfg: &OpenAiConfig, plan: &api::Plan) -> String {
    let chunks: usize = plan.jobs.iter().map(|j| j.chunks.len()).sum();
    let split = plan.jobs.iter().filter(|j| j.chunks.len() > 1).count();
    let calls = plan.calls();
    let reduce_prompt = plan.jobs.len() * 120 + 600;
    let prompt = plan.prompt_tokens + reduce_prompt;
    let output = calls * cfg.max_output_tokens as usize;
    let mut s = format!(
        "{}: provider {} (model {}, {}), {} sections, {} chunks ({} split, budget {} tokens a chunk), {} calls, ~{} prompt tokens, <= {} output tokens",
        doc.meta.source,
        cfg.name,
        cfg.model,
        cfg.endpoint(),
        plan.jobs.len(),
        chunks,
        split,
        plan.budget,
        calls,
        prompt,
        output
    );
    if let (Some(pp), Some(pc)) = (cfg.price_prompt_per_mtok, cfg.price_completion_per_mtok) {
        let cost = prompt as f64 * pp / 1e6 + output as f64 * pc / 1e6;
        s.push_str(&format!(", <= {cost:.4} (at the configured prices)"));
    }
    s.push('\n');
    s
}

async fn summary_cmd(args: SummaryArgs) -> Result<Report> {
    let budget = match (args.sentences, args.chars, args.words) {
        (Some(n), ..) => Some(Budget::Sentences(n as usize)),
        (_, Some(n), _) => Some(Budget::Chars(n as usize)),
        (.., Some(n)) => Some(Budget::Words(n as usize)),
        _ => None,
    };
    let opts = SummaryOptions { overview: budget };
    for_each_document(&args.input, |doc| {
        let o = outline::outline(&doc);
        let s = summarize::summarize(&o, &opts);
        let mut text = String::new();
        for sent in &s.overview {
            text.push_str(&sent.text);
            text.push('\n');
        }
        write_stdout(text.as_bytes())
    })
    .await
}

async fn transcript_cmd(args: TranscriptArgs) -> Result<Report> {
    let normalize = normalize_options(&args.conventions);
    let mut first = true;
    for_each_document(&args.input, |doc| {
        let lang = doc.meta.lang;
        let o = outline::outline(&doc);
        let max_chars = args.max_chars.map_or(args.engine.default_max_chars(lang), |n| {
            usize::try_from(n).unwrap_or(usize::MAX)
        });
        let opts = TtsOptions { max_chars, engine: args.engine, normalize: normalize.clone() };
        let t = tts::transcript(&o, &opts);
        info!("{}: {} chunks of at most {} characters", doc.meta.source, t.chunks.len(), max_chars);
        let mut text = match (args.ssml, args.split) {
            (false, _) => tts::to_text(&t),
            (true, false) => tts::to_ssml(&t),
            (true, true) => tts::ssml_requests(&o, &opts).into_iter().map(|d| d + "\n").collect(),
        };
        // Several speeches: a blank line between them in text, nothing in SSML lines.
        if !first && !args.ssml {
            text.insert(0, '\n');
        }
        first = false;
        write_stdout(text.as_bytes())
    })
    .await
}

fn templates_cmd(cmd: TemplatesCommand) -> Result<Report> {
    match cmd {
        TemplatesCommand::List { templates } => {
            let t = render::load(templates.as_deref())?;
            let mut s = String::new();
            for (name, origin) in &t.outputs {
                s.push_str(&format!("{:<22} {}\n", Templates::output_name(name), origin));
            }
            write_stdout(s.as_bytes())?;
        }
        TemplatesCommand::Show { name, templates } => {
            let text = if let Some(rest) = name.strip_prefix("builtin/") {
                crate::assets::builtin(rest).map(str::to_owned)
            } else {
                render::load(templates.as_deref())?.source_of(&name).map(|(t, _)| t)
            };
            match text {
                Some(t) => write_stdout(t.as_bytes())?,
                None => {
                    return Err(Error::Usage(format!(
                        "no template called `{name}` (see `speechdigest templates list`)"
                    )));
                }
            }
        }
        TemplatesCommand::Init { dir, force } => {
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::Write { path: dir.clone(), source: e })?;
            let existing: Vec<&str> = crate::assets::TEMPLATES
                .iter()
                .map(|(n, _)| *n)
                .filter(|n| dir.join(n).exists())
                .collect();
            if !force && !existing.is_empty() {
                return Err(Error::Usage(format!(
                    "`{}` already has {}: use --force to overwrite",
                    dir.display(),
                    existing.join(", ")
                )));
            }
            for (name, text) in crate::assets::TEMPLATES {
                output::write_atomic(&dir.join(name), text.as_bytes())?;
            }
            write_stdout(
                format!(
                    "wrote {} templates to {}\n",
                    crate::assets::TEMPLATES.len(),
                    dir.display()
                )
                .as_bytes(),
            )?;
        }
    }
    Ok(Report { ok: 1, failed: 0 })
}

/// The normaliser's options from the command-line switches.
fn normalize_options(c: &ConventionArgs) -> NormalizeOptions {
    let liang = match c.liang.as_str() {
        "except-hundred" => zh::Liang::UnitsExceptHundred,
        "measure-only" => zh::Liang::MeasureOnly,
        _ => zh::Liang::Units,
    };
    let range_word = if c.zhi { zh::RangeWord::Zhi } else { zh::RangeWord::Dao };
    NormalizeOptions {
        zh: zh::ZhOptions { liang, yao: c.yao, range_word, ..zh::ZhOptions::default() },
        en: en::EnOptions {
            hundred_and: c.hundred_and,
            minus_word: if c.negative { "negative" } else { "minus" },
            iso_date: if c.day_of_month {
                en::DateStyle::DayOfMonth
            } else {
                en::DateStyle::MonthDay
            },
        },
    }
}

async fn normalize_cmd(args: NormalizeArgs) -> Result<Report> {
    let opts = normalize_options(&args.conventions);
    let lang = args.lang;
    tokio::task::spawn_blocking(move || normalize_lines(lang, &opts))
        .await
        .map_err(|e| Error::Stdin(std::io::Error::other(e)))??;
    Ok(Report { ok: 1, failed: 0 })
}

/// Standard input to standard output, one normalised line per line; a line
/// ending (LF or CRLF) is kept as it was, and bytes that are not UTF-8 are
/// replaced, never dropped, so the line count always matches.
fn normalize_lines(lang: Option<Lang>, opts: &NormalizeOptions) -> Result<()> {
    use std::io::BufRead;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut buf = Vec::new();
    let mut previous = Lang::Zh;
    let write_err = |e: std::io::Error| Error::Write { path: "<stdout>".into(), source: e };
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf).map_err(Error::Stdin)? == 0 {
            break;
        }
        let mut end: &[u8] = b"";
        if buf.ends_with(b"\r\n") {
            end = b"\r\n";
        } else if buf.ends_with(b"\n") {
            end = b"\n";
        }
        let line = String::from_utf8_lossy(&buf[..buf.len() - end.len()]);
        let lang = lang.unwrap_or_else(|| {
            if line.chars().any(|c| c.is_alphabetic()) {
                previous = Lang::detect(&line);
            }
            previous
        });
        let done = out
            .write_all(tts::normalize(&line, lang, opts).as_bytes())
            .and_then(|()| out.write_all(end));
        match done {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(write_err(e)),
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(write_err(e)),
        _ => Ok(()),
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Write { path: "<stdout>".into(), source: e }),
    }
}

/// The indented tree printed by `outline`.
pub fn render_tree(o: &Outline) -> String {
    let m = &o.meta;
    let mut s = String::new();
    s.push_str(&format!("# {}\n", m.title.as_deref().unwrap_or("(untitled)")));
    let mut facts = Vec::new();
    for (k, v) in [("date", &m.date), ("speaker", &m.speaker), ("occasion", &m.occasion)] {
        if let Some(v) = v {
            facts.push(format!("{k}: {v}"));
        }
    }
    facts.push(format!("lang: {}", m.lang.code()));
    facts.push(format!("chars: {}", m.chars));
    facts.push(format!("source: {}", m.source));
    s.push_str(&facts.join(" | "));
    s.push('\n');
    for sec in &o.sections {
        tree_section(&mut s, sec);
    }
    for w in &o.warnings {
        s.push_str(&format!("! {}\n", w.message()));
    }
    s
}

fn tree_section(s: &mut String, sec: &Section) {
    let indent = "  ".repeat(sec.level - 1);
    let title = match (sec.kind, &sec.label, &sec.heading) {
        (SectionKind::Opening, ..) => "(opening)".to_owned(),
        (SectionKind::Closing, ..) => "(closing)".to_owned(),
        (SectionKind::Notes, _, h) => format!("(notes) {}", h.as_deref().unwrap_or("")),
        (_, Some(l), Some(h)) => format!("{l} {h}"),
        (_, Some(l), None) => l.clone(),
        (_, None, Some(h)) => h.clone(),
        (_, None, None) => {
            let first = sec
                .paragraphs
                .first()
                .and_then(|p| p.sentences.first())
                .map(|x| x.text.as_str())
                .unwrap_or("");
            format!("({}…)", first.chars().take(24).collect::<String>())
        }
    };
    let sentences: usize = sec.paragraphs.iter().map(|p| p.sentences.len()).sum();
    s.push_str(&format!(
        "{indent}[{}] {title} — {} ¶, {sentences} sentences\n",
        sec.id,
        sec.paragraphs.len()
    ));
    for p in &sec.points {
        s.push_str(&format!("{indent}    · {} {}\n", p.label, p.lead));
    }
    for c in &sec.children {
        tree_section(s, c);
    }
}

/// The error and its causes on one line: `cannot read `x`: No such file or directory`.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Prints an error that stopped the run, with its causes.
pub fn print_error(e: &Error) {
    eprintln!("error: {e}");
    let mut cur = std::error::Error::source(e);
    while let Some(c) = cur {
        eprintln!("  caused by: {c}");
        cur = c.source();
    }
}

/// Logs to stderr as `error: …` / `warning: …`, at the level chosen by
/// `-v`/`-q` or `RUST_LOG`.
pub fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("speechdigest={default}")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .event_format(Plain)
        .try_init();
}

struct Plain;

impl<S, N> FormatEvent<S, N> for Plain
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut w: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let level = match *event.metadata().level() {
            tracing::Level::ERROR => "error",
            tracing::Level::WARN => "warning",
            tracing::Level::INFO => "info",
            tracing::Level::DEBUG => "debug",
            tracing::Level::TRACE => "trace",
        };
        write!(w, "{level}: ")?;
        ctx.field_format().format_fields(w.by_ref(), event)?;
        writeln!(w)
    }
}
