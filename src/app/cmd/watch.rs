//! `watch`: the config's sources, one pipeline per source (its templates
//! and provider, resolved and parsed before the first pass); `--rerender`
//! re-renders the folders of the state with each source's templates.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::app::cli::{ApiArgs, WatchArgs};
use crate::app::config::Config;
use crate::app::messages::Report;
use crate::app::pipeline::{Pipeline, Provider};
use crate::app::settings::{Settings, watch_options};
use crate::app::watch;
use crate::error::{Error, Result};
use crate::render::{self, Selection};
use crate::summarize::SummaryOptions;

pub(crate) async fn run(args: WatchArgs) -> Result<Report> {
    let Some((path, config)) = Config::discover(args.config.as_deref())? else {
        return Err(Error::Usage(
            "watch needs a config file with [[sources]]: pass --config FILE or create ./speechdigest.toml".to_owned(),
        ));
    };
    // Relative paths in the config are relative to its folder.
    let dir = path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let mut opts = watch_options(&config, &dir, &args)?;
    // One provider per name used by the config or a source; resolved (and its
    // prompts parsed) before the first pass.
    let mut providers: BTreeMap<String, Provider> = BTreeMap::new();
    let tpl_dir = args.templates.clone().or_else(|| {
        config.templates.as_ref().map(|t| if t.is_absolute() { t.clone() } else { dir.join(t) })
    });
    // Every source's templates are parsed before the first pass.
    let limits = args.limits.resolve(Some(&config.output));
    let reference = args.word.resolve(Some(&config.output), &dir);
    let default = Arc::new(
        render::load(tpl_dir.as_deref())?
            .with_limits(limits)
            .with_reference_docx(reference.as_deref())?,
    );
    let mut templates = Vec::with_capacity(opts.sources.len());
    for src in &opts.sources {
        templates.push(match &src.templates {
            Some(dir) => Arc::new(
                render::load(Some(dir))?
                    .with_limits(limits)
                    .with_reference_docx(reference.as_deref())?,
            ),
            None => default.clone(),
        });
    }
    if args.rerender {
        // From the stored digests alone: no provider is needed.
        let code = watch::rerender(&opts, &templates, &default)?;
        return Ok(Report { ok: usize::from(code == 0), failed: usize::from(code != 0) });
    }
    let found = Some((path.clone(), config.clone()));
    let lexicon = crate::app::audio::lexicon(found.as_ref())?;
    // Audio: a source's `audio` wins over `[output] audio`; one engine and
    // cache per selection, resolved now (before any item is read).
    let mut audio_runs: HashMap<Vec<String>, Arc<crate::app::audio::AudioRun>> = HashMap::new();
    let mut audio_for = Vec::with_capacity(opts.sources.len());
    for src in &opts.sources {
        let names = src.audio.as_ref().or(config.output.audio.as_ref()).and_then(|a| a.names());
        let Some(names) = names else {
            audio_for.push(None);
            continue;
        };
        if !audio_runs.contains_key(&names) {
            let what = crate::app::audio::parse_what(&names).map_err(Error::Usage)?;
            let settings =
                Settings::resolve(&ApiArgs::default(), Some(&config), &|k| std::env::var(k).ok())
                    .map_err(Error::Usage)?;
            let run = crate::app::audio::setup(
                None,
                what,
                found.as_ref(),
                settings.cache.as_deref(),
                false,
            )?;
            audio_runs.insert(names.clone(), Arc::new(run));
        }
        audio_for.push(audio_runs.get(&names).cloned());
    }
    for ((src, templates), audio) in opts.sources.iter().zip(templates).zip(audio_for) {
        let name = src
            .provider
            .clone()
            .or_else(|| config.provider.clone())
            .unwrap_or_else(|| "extractive".to_owned());
        if !providers.contains_key(&name) {
            let cli = ApiArgs { provider: Some(name.clone()), ..Default::default() };
            let settings = Settings::resolve(&cli, Some(&config), &|k| std::env::var(k).ok())
                .map_err(Error::Usage)?;
            providers.insert(name.clone(), settings.provider()?);
        }
        opts.pipelines.push(Pipeline {
            selection: Selection::all(&templates),
            templates,
            provider: providers[&name].clone(),
            summary: SummaryOptions { overview: None },
            lexicon: lexicon.clone(),
            audio,
        });
    }
    let code = watch::watch(opts).await?;
    Ok(Report { ok: usize::from(code == 0), failed: usize::from(code != 0) })
}
