//! `build --audio` and `speak`: the spoken outputs of one speech as audio
//! files. The orchestration only: the plan and the joining are pure
//! (`tts::audio`, `tts::lexicon`), the engines are services
//! (`llm::speech`), and the files go into the item's folder with the others
//! (one atomic folder write), `digest.json` last, with `audio[]` filled.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tracing::info;

use crate::app::config::Config;
use crate::error::{Error, Result};
use crate::llm::speech::{self, SpeechEngine};
use crate::model::{AudioFile, Digest, Lang, Outline};
use crate::render::{OutputFile, Templates};
use crate::store::Store;
use crate::tts::audio::{self, Piece};
use crate::tts::lexicon::Lexicon;
use crate::tts::{self, TtsOptions};

/// What can be spoken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    /// The transcript, chunked for the engine.
    Transcript,
    /// The spoken briefing (`briefing.tts.txt`).
    Briefing,
    /// The spoken newsletter (`newsletter.tts.txt`).
    Newsletter,
}

impl What {
    /// `transcript`, `briefing`, `newsletter`.
    pub(crate) fn code(self) -> &'static str {
        match self {
            What::Transcript => "transcript",
            What::Briefing => "briefing",
            What::Newsletter => "newsletter",
        }
    }

    /// Every file name an audio output can have (for the folder manifest).
    pub(crate) fn file_names() -> Vec<String> {
        [What::Transcript, What::Briefing, What::Newsletter]
            .iter()
            .flat_map(|w| [format!("{}.wav", w.code()), format!("{}.vtt", w.code())])
            .collect()
    }
}

/// Parses `--audio=transcript,briefing,newsletter`.
///
/// # Errors
/// An unknown name.
pub(crate) fn parse_what(list: &[String]) -> Result<Vec<What>, String> {
    let mut out = Vec::new();
    for s in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let w = match s {
            "transcript" => What::Transcript,
            "briefing" => What::Briefing,
            "newsletter" => What::Newsletter,
            _ => {
                return Err(format!(
                    "unknown audio output `{s}` (transcript, briefing, newsletter)"
                ));
            }
        };
        if !out.contains(&w) {
            out.push(w);
        }
    }
    if out.is_empty() {
        out.push(What::Transcript);
    }
    Ok(out)
}

/// Everything a run needs to speak, resolved once.
pub(crate) struct AudioRun {
    /// The engine.
    pub(crate) engine: Arc<SpeechEngine>,
    /// The speech cache (the chat cache's file), unless off or dry-running.
    pub(crate) cache: Option<Arc<Mutex<Store>>>,
    /// The cache's size cap in bytes.
    pub(crate) cap: u64,
    /// The lexicon (empty when none).
    pub(crate) lexicon: Arc<Lexicon>,
    /// What to speak.
    pub(crate) what: Vec<What>,
}

/// The default speech cache cap: 1 GiB.
const DEFAULT_AUDIO_MIB: u64 = 1024;

/// Reads `[tts] lexicon` (relative to the config file's folder).
///
/// # Errors
/// An unreadable or invalid lexicon file.
pub(crate) fn lexicon(file: Option<&(PathBuf, Config)>) -> Result<Arc<Lexicon>> {
    let Some((cfg_path, cfg)) = file else { return Ok(Arc::default()) };
    let Some(rel) = &cfg.tts.lexicon else { return Ok(Arc::default()) };
    let dir = cfg_path.parent().unwrap_or(Path::new("."));
    let path = if rel.is_absolute() { rel.clone() } else { dir.join(rel) };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::Read { path: path.clone(), source: e })?;
    let lex = Lexicon::parse(&text)
        .map_err(|m| Error::Usage(format!("lexicon `{}`: {m}", path.display())))?;
    info!("lexicon: {} (version {})", path.display(), lex.version());
    Ok(Arc::new(lex))
}

/// Resolves the engine (`--tts`, `[tts] engine`, else espeak-ng) and opens
/// the cache (`cache`: the response cache's file, `None` when off).
///
/// # Errors
/// No usable engine (one message), a cache that cannot be opened.
pub(crate) fn setup(
    flag: Option<&str>,
    what: Vec<What>,
    file: Option<&(PathBuf, Config)>,
    cache: Option<&Path>,
    dry_run: bool,
) -> Result<AudioRun> {
    let empty = Config::default();
    let cfg = file.map_or(&empty, |(_, c)| c);
    let engine =
        speech::resolve(flag, &cfg.tts, &|k| std::env::var(k).ok()).map_err(Error::Usage)?;
    info!("speech engine: {} ({})", engine.name, engine.shown());
    let cache = match cache {
        Some(p) if !dry_run => Some(Arc::new(Mutex::new(Store::open(p)?))),
        _ => None,
    };
    let cap = cfg.cache.audio_max_mib.unwrap_or(DEFAULT_AUDIO_MIB).saturating_mul(1 << 20);
    Ok(AudioRun { engine: Arc::new(engine), cache, cap, lexicon: lexicon(file)?, what })
}

/// The requests for speaking `what` of one speech. `files` are the outputs
/// rendered so far (a spoken twin is taken from there when made).
///
/// # Errors
/// A template that does not render.
pub(crate) fn plan(
    run: &AudioRun,
    what: What,
    outline: &Outline,
    digest: &Digest,
    files: &[OutputFile],
    templates: &Templates,
) -> Result<Vec<Piece>> {
    let lang = outline.meta.lang;
    let limit = run.engine.limit(lang);
    let markup = run.engine.markup;
    let md = match what {
        What::Transcript => return Ok(plan_transcript(run, outline)),
        What::Briefing => "briefing.md",
        What::Newsletter => "newsletter.md",
    };
    let twin = format!("{}.tts.txt", md.trim_end_matches(".md"));
    let text = match files.iter().find(|(n, _)| *n == twin) {
        Some((_, b)) => String::from_utf8_lossy(b).into_owned(),
        None => {
            let rendered = match files.iter().find(|(n, _)| n == md) {
                Some((_, b)) => String::from_utf8_lossy(b).into_owned(),
                None => templates.render(&format!("{md}.tera"), digest)?,
            };
            let opts = TtsOptions::for_engine(run.engine.preset, lang);
            tts::spoken_markdown(&rendered, lang, &opts.normalize)
        }
    };
    Ok(audio::plan_text(&text, lang, markup, &run.lexicon, &limit))
}

/// The requests for the transcript, chunked for the engine (its row of the
/// chunk table, or its `max_chars`).
pub(crate) fn plan_transcript(run: &AudioRun, outline: &Outline) -> Vec<Piece> {
    let lang = outline.meta.lang;
    let limit = run.engine.limit(lang);
    let opts =
        TtsOptions { max_chars: limit.chars, ..TtsOptions::for_engine(run.engine.preset, lang) };
    let t = tts::transcript(outline, &opts);
    audio::plan(&t, run.engine.markup, &run.lexicon, &limit)
}

/// Synthesises `pieces` (through the cache) and joins them: the WAV, its
/// chapters and its length.
///
/// # Errors
/// A piece that cannot be synthesised, audio that cannot be joined.
pub(crate) async fn speak(
    run: &AudioRun,
    input: &str,
    lang: Lang,
    pieces: &[Piece],
) -> Result<(Vec<u8>, String, f64)> {
    let fail = |e| Error::Speech {
        input: input.to_owned(),
        engine: run.engine.name.clone(),
        source: Box::new(e),
    };
    let fields = run.engine.key_fields(lang, run.lexicon.version());
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let jobs: Vec<(String, String)> =
        pieces.iter().map(|p| (audio::cache_key(&fields, &p.input), p.input.clone())).collect();
    let (pcm, stats) = speech::synthesize_all(&run.engine, run.cache.as_ref(), run.cap, jobs, lang)
        .await
        .map_err(fail)?;
    info!(
        "{input}: {} pieces, {} from the cache, {} synthesised",
        pieces.len(),
        stats.cached,
        stats.synthesized
    );
    let parts: Vec<(audio::Pcm, u32)> =
        pcm.into_iter().zip(pieces.iter().map(|p| p.pause_ms)).collect();
    let joined = audio::join(&parts).map_err(|m| fail(crate::error::ApiError::Audio(m)))?;
    let vtt = audio::chapters_vtt(pieces, &joined.starts, joined.seconds);
    Ok((joined.wav, vtt, joined.seconds))
}

/// Adds the selected audio files to `files` and their entries to
/// `digest.audio`, then makes `digest.json` again when it is among the files.
///
/// # Errors
/// What [`plan`] and [`speak`] report.
pub(crate) async fn add(
    run: &AudioRun,
    input: &str,
    outline: &Outline,
    digest: &mut Digest,
    files: &mut Vec<OutputFile>,
    templates: &Templates,
) -> Result<()> {
    for &what in &run.what {
        let pieces = plan(run, what, outline, digest, files, templates)?;
        if pieces.is_empty() {
            continue;
        }
        let (wav, vtt, seconds) = speak(run, input, outline.meta.lang, &pieces).await?;
        let file = format!("{}.wav", what.code());
        files.push((file.clone(), wav));
        files.push((format!("{}.vtt", what.code()), vtt.into_bytes()));
        digest.audio.push(AudioFile { what: what.code().to_owned(), file, seconds });
    }
    if let Some(slot) = files.iter_mut().find(|(n, _)| n == "digest.json") {
        let mut json = serde_json::to_vec_pretty(digest).map_err(Error::Json)?;
        json.push(b'\n');
        slot.1 = json;
    }
    Ok(())
}

/// What `--dry-run` prints for one speech's audio: per output, the
/// requests, characters, and the cost at `price_per_mchar`.
pub(crate) fn dry_run_text(run: &AudioRun, source: &str, plans: &[(What, Vec<Piece>)]) -> String {
    let e = &run.engine;
    let mut s = String::new();
    for (what, pieces) in plans {
        let chars: usize = pieces.iter().map(|p| p.chars).sum();
        let longest = pieces.iter().map(|p| p.chars).max().unwrap_or(0);
        s.push_str(&format!(
            "{source}: audio {} with {} ({}), {} requests, {} characters (longest {}",
            what.code(),
            e.name,
            e.shown(),
            pieces.len(),
            chars,
            longest
        ));
        match e.price_per_mchar {
            Some(p) => s.push_str(&format!(
                "), ~{:.4} at {p} per million characters\n",
                chars as f64 * p / 1e6
            )),
            None => s.push_str("), no price configured (`price_per_mchar`)\n"),
        }
    }
    s
}
