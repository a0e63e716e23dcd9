//! `speak`: the transcript of each speech as one WAV file with a WebVTT
//! chapters file, in `-o DIR`, through the speech cache (`build --audio`
//! without the rest of the digest).

use std::path::Path;

use crate::app::audio::{self, What};
use crate::app::cli::{ApiArgs, SpeakArgs};
use crate::app::config::Config;
use crate::app::input::for_each_document;
use crate::app::messages::{Report, write_stdout};
use crate::app::settings::Settings;
use crate::error::{Error, Result};
use crate::outline;
use crate::output;

pub(crate) async fn run(args: SpeakArgs) -> Result<Report> {
    let file = Config::discover(args.config.as_deref())?;
    let api = ApiArgs {
        config: args.config.clone(),
        cache: args.cache.clone(),
        no_cache: args.no_cache,
        ..ApiArgs::default()
    };
    let settings =
        Settings::resolve(&api, file.as_ref().map(|(_, c)| c), &|k| std::env::var(k).ok())
            .map_err(Error::Usage)?;
    let run = audio::setup(
        args.tts.as_deref(),
        vec![What::Transcript],
        file.as_ref(),
        settings.cache.as_deref(),
        args.dry_run,
    )?;
    let mut taken: Vec<String> = Vec::new();
    for_each_document(&args.input, async |doc| {
        let o = outline::outline(&doc);
        let pieces = audio::plan_transcript(&run, &o);
        if args.dry_run {
            let text = audio::dry_run_text(&run, &doc.meta.source, &[(What::Transcript, pieces)]);
            return write_stdout(text.as_bytes());
        }
        let (wav, vtt, seconds) =
            audio::speak(&run, &doc.meta.source, o.meta.lang, &pieces).await?;
        let mut name = stem(&doc.meta.source);
        // Two inputs of the same name get `-2`, `-3`, … rather than one file.
        let base = name.clone();
        let mut n = 1;
        while taken.contains(&name) {
            n += 1;
            name = format!("{base}-{n}");
        }
        taken.push(name.clone());
        std::fs::create_dir_all(&args.out)
            .map_err(|e| Error::Write { path: args.out.clone(), source: e })?;
        // The chapters first: a `.wav` is there only once everything is.
        output::write_atomic(&args.out.join(format!("{name}.vtt")), vtt.as_bytes())?;
        let shown = args.out.join(format!("{name}.wav"));
        output::write_atomic(&shown, &wav)?;
        write_stdout(format!("{}\t{seconds:.2}\n", shown.display()).as_bytes())
    })
    .await
}

/// The input's file stem (`speech` for `a/speech.txt`), `stdin` for `-`,
/// `speech` for a URL, made safe for a file name.
fn stem(source: &str) -> String {
    let s = if source == "-" {
        "stdin".to_owned()
    } else if source.contains("://") {
        "speech".to_owned()
    } else {
        Path::new(source)
            .file_stem()
            .map_or_else(|| "speech".to_owned(), |s| s.to_string_lossy().into_owned())
    };
    let clean: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    if clean.trim_matches('.').is_empty() { "speech".to_owned() } else { clean }
}
