//! `build`: every output of each input into its own folder, through the
//! one pipeline; `--dry-run` prints what a chat provider would be asked.

use std::sync::Arc;
use std::time::SystemTime;

use tracing::{info, warn};

use crate::app::audio;
use crate::app::cli::BuildArgs;
use crate::app::config::Config;
use crate::app::input::for_each_document;
use crate::app::messages::Report;
use crate::app::messages::write_stdout;
use crate::app::pipeline::{self, Pipeline, Processed, Provider};
use crate::app::settings::Settings;
use crate::error::{Error, Result};
use crate::llm::chat::ChatClient;
use crate::llm::mapreduce::{self as api, Plan};
use crate::model::Document;
use crate::outline;
use crate::output;
use crate::render::{self, Selection};
use crate::summarize::{self, SummaryOptions};

pub(crate) async fn run(args: BuildArgs) -> Result<Report> {
    let started = SystemTime::now();
    // Every template and prompt is parsed, and the settings resolved, before
    // the first input is read: a typo costs no paid request.
    let found = Config::discover(args.api.config.as_deref())?;
    let config_dir = found
        .as_ref()
        .and_then(|(p, _)| p.parent().map(std::path::Path::to_path_buf))
        .unwrap_or_default();
    let file = found.as_ref().map(|(_, c)| c.clone());
    let limits = args.limits.resolve(file.as_ref().map(|c| &c.output));
    let reference = args.word.resolve(file.as_ref().map(|c| &c.output), &config_dir);
    let templates = Arc::new(
        render::load(args.templates.as_deref())?
            .with_limits(limits)
            .with_reference_docx(reference.as_deref())?,
    );
    let selection = Selection::only(&args.only, &templates).map_err(Error::Usage)?;
    let settings = Settings::resolve(&args.api, file.as_ref(), &|k| std::env::var(k).ok())
        .map_err(Error::Usage)?;
    // The speech engine is resolved before the first input too: a missing
    // program is one error, not one per speech.
    let audio = match &args.audio {
        Some(list) => {
            let what = audio::parse_what(list).map_err(Error::Usage)?;
            let cache = settings.cache.as_deref();
            Some(Arc::new(audio::setup(
                args.tts.as_deref(),
                what,
                found.as_ref(),
                cache,
                settings.dry_run,
            )?))
        }
        None if args.tts.is_some() => {
            return Err(Error::Usage("--tts needs --audio".to_owned()));
        }
        None => None,
    };
    let pipeline = Pipeline {
        templates,
        selection,
        provider: settings.provider()?,
        summary: SummaryOptions { overview: None },
        lexicon: match &audio {
            Some(a) => a.lexicon.clone(),
            None => audio::lexicon(found.as_ref())?,
        },
        audio,
    };
    let mut taken = output::Taken::default();
    let out_dir = args.out.clone();
    // Every name an output can have: the old files an `--only` run does not
    // write are kept, the others the folder's manifest lists go.
    let mut outputs = Selection::all(&pipeline.templates).file_names();
    outputs.extend(audio::What::file_names());
    if !settings.dry_run {
        // What a build killed mid-way left: repaired or removed.
        output::remove_stale_temporaries(&out_dir, started);
    }
    for_each_document(&args.input, async |doc| {
        if settings.dry_run {
            return write_stdout(dry_run(&doc, &pipeline)?.as_bytes());
        }
        let Processed { digest, files } = pipeline::process(&doc, &pipeline).await?;
        for w in &digest.warnings {
            if w.kind != "no_numbering" {
                warn!("{}: {}", doc.meta.source, w.message);
            }
        }
        let owner = output::owner_key(&doc.meta.source);
        let name = output::folder_name(&digest.meta);
        let folder =
            output::write_new_folder(&out_dir, &name, &mut taken, &owner, &files, &outputs)?;
        info!("{}: wrote {} files to {}", doc.meta.source, files.len(), folder.display());
        write_stdout(format!("{}\n", folder.display()).as_bytes())
    })
    .await
}

/// The plan of one speech, calling nothing.
fn dry_run(doc: &Document, p: &Pipeline) -> Result<String> {
    let o = outline::outline(doc);
    let base = summarize::summarize(&o, &p.summary);
    let mut text = chat_dry_run(doc, p, &o, base.clone())?;
    if let Some(run) = &p.audio {
        // The spoken twins' text comes from the extractive digest here: the
        // chat provider's would differ only in wording, not in scale.
        let digest = crate::digest::assemble(&o, base, Default::default());
        let mut plans = Vec::new();
        for &what in &run.what {
            plans.push((what, audio::plan(run, what, &o, &digest, &[], &p.templates)?));
        }
        text.push_str(&audio::dry_run_text(run, &doc.meta.source, &plans));
    }
    Ok(text)
}

/// The chat provider's part of the plan.
fn chat_dry_run(
    doc: &Document,
    p: &Pipeline,
    o: &crate::model::Outline,
    base: crate::model::Summaries,
) -> Result<String> {
    match &p.provider {
        Provider::Extractive => Ok(format!(
            "{}: provider extractive, {} sections, 0 calls (offline)\n",
            doc.meta.source,
            base.sections.len()
        )),
        Provider::Chat(run) => {
            let cfg = run.client.config();
            let plan = api::plan(
                o,
                &base,
                &run.prompts,
                cfg.context_window,
                cfg.max_output_tokens,
                cfg.tokens,
            )
            .map_err(Error::Usage)?;
            Ok(dry_run_text(doc, run.client.as_ref(), &plan))
        }
    }
}

/// Which of the plan's token figures are estimates (issue 16: the exact
/// tokenizer runs only for a chunk near its budget).
fn token_basis(exact: usize, chunks: usize) -> String {
    if exact == 0 {
        "estimated".to_owned()
    } else {
        format!(
            "{exact} of {chunks} chunks counted with o200k_base, the rest and the prompts estimated"
        )
    }
}

/// What `--dry-run` prints for one speech.
fn dry_run_text(doc: &Document, client: &dyn ChatClient, plan: &Plan) -> String {
    let cfg = client.config();
    let chunks: usize = plan.jobs.iter().map(|j| j.chunks.len()).sum();
    let split = plan.jobs.iter().filter(|j| j.chunks.len() > 1).count();
    let calls = plan.calls();
    let reduce_prompt = plan.jobs.len() * 120 + 600;
    let prompt = plan.prompt_tokens + reduce_prompt;
    let output = calls * cfg.max_output_tokens as usize;
    let mut s = format!(
        "{}: provider {} (model {}, {}), {} sections, {} chunks ({} split, budget {} tokens a chunk), {} calls, ~{} prompt tokens ({}), <= {} output tokens",
        doc.meta.source,
        cfg.name,
        cfg.model,
        client.endpoint(),
        plan.jobs.len(),
        chunks,
        split,
        plan.budget,
        calls,
        prompt,
        token_basis(plan.exact_chunks, chunks),
        output
    );
    if let (Some(pp), Some(pc)) = (cfg.price_prompt_per_mtok, cfg.price_completion_per_mtok) {
        let cost = prompt as f64 * pp / 1e6 + output as f64 * pc / 1e6;
        s.push_str(&format!(", <= {cost:.4} (at the configured prices)"));
    }
    s.push('\n');
    s
}
