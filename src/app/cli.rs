//! The command line as clap sees it: raw arguments, validated, no I/O and no
//! defaults read from files (those are resolved in `run`).

use clap::{Args, Parser, Subcommand};

use crate::model::Lang;
use crate::tts::Engine;
use std::time::Duration;

/// Turn long speeches into outlines, transcripts, briefings, handouts and newsletters.
#[derive(Debug, Parser)]
#[command(name = "speechdigest", version, about, long_about = None)]
pub(crate) struct Cli {
    /// More log output on stderr (-v: info, -vv: debug, -vvv: trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Deepest element nesting read from an HTML page (8–1024, default 128):
    /// deeper elements are flattened, their text kept.
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u64).range(8..=1024))]
    pub max_depth: Option<u64>,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
// Parsed once per run: the size of `Build` does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the speech's own structure: sections, points, warnings.
    Outline(OutlineArgs),
    /// Write the digest of each speech: briefing, key points, handout, newsletter, digest.json.
    Build(BuildArgs),
    /// Print the overview summary of a speech, one sentence per line.
    Summary(SummaryArgs),
    /// List, show or write out the output templates.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Re-render the template outputs of stored digests (digest.json), without
    /// reading or summarising the speech again.
    Render(RenderArgs),
    /// Follow folders, feeds and URL lists from the config; process what is new.
    Watch(WatchArgs),
    /// Print the speech as it should be said: numbers and symbols in words,
    /// in chunks sized for a synthesiser, as text or SSML.
    Transcript(TranscriptArgs),
    /// Normalise text for speech: one output line per input line on stdin.
    Normalize(NormalizeArgs),
    /// Synthesise the transcript of each speech into a WAV file with chapters.
    Speak(SpeakArgs),
    /// Print the article links a listing page (栏目页) shows, with their dates,
    /// as a `page` source of `watch` would find them.
    Links(LinksArgs),
}

/// `speechdigest links`.
#[derive(Debug, Args)]
pub(crate) struct LinksArgs {
    /// The listing page: an http(s) URL or a saved HTML file.
    #[arg(value_name = "URL|FILE")]
    pub input: String,
    /// A CSS selector for the links, instead of the detection.
    #[arg(long, value_name = "CSS")]
    pub selector: Option<String>,
    /// A regex every article link must match.
    #[arg(long, value_name = "RE")]
    pub link_pattern: Option<String>,
    /// A regex every article title must match (`讲话|报告`).
    #[arg(long, value_name = "RE")]
    pub title_contains: Option<String>,
    /// Print JSON (`{"links": [{"url", "title", "date"}], "next_pages", "feeds"}`).
    #[arg(long)]
    pub json: bool,
    /// Timeout for fetching the page, in seconds.
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub fetch_timeout: u64,
    /// Fetch the page even when its site's `robots.txt` disallows it (as a
    /// source's `robots = false`).
    #[arg(long)]
    pub no_robots: bool,
}

/// `speechdigest watch`.
#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// The config file (default: ./speechdigest.toml, then the XDG config dir).
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// One pass, then exit (for cron and systemd timers).
    #[arg(long)]
    pub once: bool,
    /// Time between passes: 30s, 10m, 2h, 1d.
    #[arg(long, default_value = "30m", value_parser = parse_interval)]
    pub interval: std::time::Duration,
    /// At most this many items per pass (the rest wait for the next pass).
    #[arg(long, value_name = "N")]
    pub max_items: Option<usize>,
    /// Items digested at once [default: the number of cores]. Folders are
    /// still written and recorded one at a time, in listing order.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// Ignore items published (files: modified) before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Print a JSON report per pass on stdout (the summary line goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// Output folder (instead of `[output] dir`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
    /// State database (instead of `[state] path`).
    #[arg(long, value_name = "FILE")]
    pub state: Option<std::path::PathBuf>,
    /// A folder of templates (instead of `templates` in the config).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<std::path::PathBuf>,
    /// Bounds on each render.
    #[command(flatten)]
    pub limits: RenderLimitArgs,
    /// The Word outputs' styles.
    #[command(flatten)]
    pub word: WordArgs,
    /// Re-render every folder the state records as done from its digest.json,
    /// with its source's templates (as `speechdigest render`), then exit;
    /// nothing is read, fetched or summarised.
    #[arg(long, conflicts_with_all = ["once", "interval", "max_items", "since"])]
    pub rerender: bool,
}

/// Bounds on rendering a template (a user template is code): shared by the
/// commands that render.
#[derive(Debug, Default, Clone, Copy, Args)]
pub(crate) struct RenderLimitArgs {
    /// Largest output one template may render, in MiB [default: 20; watch: `[output] max_output_mib`].
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_output_mib: Option<u64>,
    /// Longest one template may take to render, in seconds [default: 60; watch: `[output] template_timeout`].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub template_timeout: Option<u64>,
}

/// The Word outputs' styles (`handout.docx`, `briefing.docx`): shared by
/// the commands that render.
#[derive(Debug, Default, Clone, Args)]
pub(crate) struct WordArgs {
    /// A .docx whose styles (word/styles.xml) the Word outputs use instead of
    /// the built-in ones, by name (`heading 1`, `Title`, `Quote`, …) [build,
    /// watch: `[output] reference_docx`].
    #[arg(long, value_name = "FILE")]
    pub reference_docx: Option<std::path::PathBuf>,
}

impl WordArgs {
    /// The reference file: the flag, else the config's `[output]
    /// reference_docx` (relative to the config file's folder `dir`).
    pub(crate) fn resolve(
        &self,
        file: Option<&crate::app::config::OutputConfig>,
        dir: &std::path::Path,
    ) -> Option<std::path::PathBuf> {
        self.reference_docx.clone().or_else(|| {
            let p = file?.reference_docx.as_ref()?;
            Some(if p.is_absolute() { p.clone() } else { dir.join(p) })
        })
    }
}

/// `speechdigest render`.
#[derive(Debug, Args)]
#[command(after_help = "\
Remakes the template outputs (briefing.md, briefing.docx, keypoints.md, handout.md, \
handout.html, handout.docx, newsletter.md, your own templates) and the spoken twins (briefing.tts.txt, \
newsletter.tts.txt) from digest.json alone. digest.json, the input, is not rewritten; \
the transcript files (transcript.txt, transcript.ssml) need the speech's outline and \
are not re-rendered (run `build` to remake them). Other files in the folder are kept.")]
pub(crate) struct RenderArgs {
    /// `digest.json` files, or item folders holding one.
    #[arg(required = true, value_name = "DIGEST.json")]
    pub digests: Vec<std::path::PathBuf>,
    /// Write into `DIR/<the digest's folder name>/` instead of next to each digest.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
    /// Only these outputs (comma-separated), as for `build`: briefing, keypoints,
    /// handout, handout.md, handout.html, handout.docx, briefing.docx, newsletter,
    /// briefing.tts, newsletter.tts, or the name of a user template.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub only: Vec<String>,
    /// A folder of `*.tera` templates that replace built-ins by name or add outputs.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<std::path::PathBuf>,
    /// Bounds on each render.
    #[command(flatten)]
    pub limits: RenderLimitArgs,
    /// The Word outputs' styles.
    #[command(flatten)]
    pub word: WordArgs,
}

/// `speechdigest build`.
#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Folder for the outputs; each speech gets `<date>-<slug>/` inside it.
    #[arg(short, long, default_value = "out", value_name = "DIR")]
    pub out: std::path::PathBuf,
    /// Only these outputs (comma-separated): briefing, keypoints, handout
    /// (.md, .html and .docx), handout.md, handout.html, handout.docx,
    /// briefing.docx, newsletter, digest, or the name of a user template.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub only: Vec<String>,
    /// A folder of `*.tera` templates that replace built-ins by name or add outputs.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<std::path::PathBuf>,
    /// Bounds on each render.
    #[command(flatten)]
    pub limits: RenderLimitArgs,
    /// The Word outputs' styles.
    #[command(flatten)]
    pub word: WordArgs,
    /// Which summariser and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
    /// Also synthesise audio: `--audio` alone the transcript,
    /// `--audio=transcript,briefing,newsletter` a choice (a value only with `=`).
    #[arg(long, value_name = "LIST", num_args = 0..=1, require_equals = true, default_missing_value = "transcript", value_delimiter = ',')]
    pub audio: Option<Vec<String>>,
    /// The speech engine: a `[tts.engines.NAME]`, `espeak-ng` or `openai`
    /// [default: `[tts] engine`, else espeak-ng when installed].
    #[arg(long, value_name = "NAME")]
    pub tts: Option<String>,
}

/// `speechdigest speak`.
#[derive(Debug, Args)]
pub(crate) struct SpeakArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Folder for the audio: `<input name>.wav` and `<input name>.vtt` (chapters).
    #[arg(short, long, value_name = "DIR")]
    pub out: std::path::PathBuf,
    /// The speech engine: a `[tts.engines.NAME]`, `espeak-ng` or `openai`.
    #[arg(long, value_name = "NAME")]
    pub tts: Option<String>,
    /// The configuration file (default: `./speechdigest.toml`, then the XDG config dir).
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// The cache file (SQLite; the response cache's by default).
    #[arg(long, value_name = "PATH", conflicts_with = "no_cache")]
    pub cache: Option<std::path::PathBuf>,
    /// Neither read nor write the cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Print the requests, characters and cost, and synthesise nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Summariser settings of `build`: the provider, its endpoint, the cache and
/// the guard. Raw: resolved with the config file and the environment by
/// `config::Settings::resolve`.
#[derive(Debug, Default, Clone, Args)]
pub(crate) struct ApiArgs {
    /// The configuration file (default: `./speechdigest.toml`, then the XDG config dir).
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// `extractive` (offline, default), `openai`, or a `[providers.NAME]` of the config.
    #[arg(long, value_name = "NAME")]
    pub provider: Option<String>,
    /// Base URL of the OpenAI-compatible API, version segment included (`https://api.openai.com/v1`).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Model id.
    #[arg(long, value_name = "ID")]
    pub model: Option<String>,
    /// Requests in flight at most.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub concurrency: Option<u64>,
    /// The response cache file (SQLite).
    #[arg(long, value_name = "PATH", conflicts_with = "no_cache")]
    pub cache: Option<std::path::PathBuf>,
    /// Neither read nor write the response cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Drop figures and quotations that the source does not support, instead of marking them.
    #[arg(long)]
    pub strict: bool,
    /// Print the plan (sections, chunks, calls, tokens, cost) and call nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Fill sections that still fail with this provider (only `extractive`), marked `degraded`.
    #[arg(long, value_name = "PROVIDER", value_parser = ["extractive"])]
    pub fallback: Option<String>,
    /// With `--fallback extractive`: keep a digest whose sections all failed (exit 0, `provider.degraded: "all"`).
    #[arg(long, requires = "fallback")]
    pub allow_degraded: bool,
    /// Stop before the run's N+1th call (first attempts and repairs; retries of one call are not counted).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_calls: Option<u64>,
    /// A folder of `*.tera` prompts that replace the built-in ones by name.
    #[arg(long, value_name = "DIR")]
    pub prompts: Option<std::path::PathBuf>,
}

/// `speechdigest summary`.
#[derive(Debug, Args)]
pub(crate) struct SummaryArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// At most this many sentences.
    #[arg(long, conflicts_with_all = ["chars", "words"], value_parser = clap::value_parser!(u64).range(1..))]
    pub sentences: Option<u64>,
    /// At most this many characters (for Chinese).
    #[arg(long, conflicts_with = "words", value_parser = clap::value_parser!(u64).range(1..))]
    pub chars: Option<u64>,
    /// At most this many words (for English).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub words: Option<u64>,
}

/// `speechdigest templates …`.
#[derive(Debug, Subcommand)]
pub(crate) enum TemplatesCommand {
    /// List the output templates with their origin (builtin or a user file).
    List {
        /// A user template folder to include.
        #[arg(long, value_name = "DIR")]
        templates: Option<std::path::PathBuf>,
    },
    /// Print the effective text of one template.
    Show {
        /// Template name: `briefing.md`, `handout.html.tera`, `builtin/newsletter.md`.
        name: String,
        /// A user template folder to include.
        #[arg(long, value_name = "DIR")]
        templates: Option<std::path::PathBuf>,
    },
    /// Write the built-in templates into DIR to edit them.
    Init {
        /// The folder to create or fill.
        dir: std::path::PathBuf,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
    },
}

/// Inputs and how to read them, shared by the commands that read speeches.
#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// Speech files (text or saved HTML), http(s) URLs, or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// The speech language; detected when not given.
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Largest input accepted, in MiB.
    #[arg(long, default_value_t = 20, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub max_input_mib: u64,
    /// Timeout for fetching a URL, in seconds.
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub fetch_timeout: u64,
}

/// `speechdigest outline`.
#[derive(Debug, Args)]
pub(crate) struct OutlineArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Print JSON (`{"meta", "sections", "warnings"}`) instead of a tree; one
    /// object per input, pretty-printed for one input, one per line for several.
    #[arg(long)]
    pub json: bool,
    /// Also list every line dropped as page furniture or read as header
    /// metadata, with the rule that dropped it (`removed[]` of
    /// `{rule, text, span}` under `--json`).
    #[arg(long)]
    pub removed: bool,
}

/// `speechdigest transcript`.
#[derive(Debug, Args)]
pub(crate) struct TranscriptArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Print SSML 1.1 (`speak`, `p`, `s`, `break`) instead of plain text.
    #[arg(long)]
    pub ssml: bool,
    /// With `--ssml`: one `<speak>` document per chunk, one per line.
    #[arg(long, requires = "ssml")]
    pub split: bool,
    /// Largest chunk in characters of spoken text (default: the engine's, per language).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_chars: Option<u64>,
    /// The synthesiser the chunks are sized for: generic, google, polly, azure, openai.
    #[arg(long, default_value = "generic", value_parser = parse_engine)]
    pub engine: Engine,
    /// Normalisation conventions.
    #[command(flatten)]
    pub conventions: ConventionArgs,
}

/// `speechdigest normalize`.
#[derive(Debug, Args)]
pub(crate) struct NormalizeArgs {
    /// The language of the lines; detected line by line when not given (a
    /// line without letters takes the previous line's, Chinese at first).
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Normalisation conventions.
    #[command(flatten)]
    pub conventions: ConventionArgs,
}

/// The normaliser's convention switches (defaults in brackets).
#[derive(Debug, Args)]
pub(crate) struct ConventionArgs {
    /// When 2 is read 两: `units` (两 before measure words and 百/千/万/亿: 两百),
    /// `except-hundred` (二百, 两千), `measure-only` (两个, but 二百, 二千).
    #[arg(long, value_name = "RULE", default_value = "units", value_parser = ["units", "except-hundred", "measure-only"])]
    pub liang: String,
    /// Read 1 as 幺 in digit strings (phone numbers, hotlines: 幺幺零).
    #[arg(long)]
    pub yao: bool,
    /// Read ranges `3-5年` with 至 (三至五年) instead of 到.
    #[arg(long)]
    pub zhi: bool,
    /// English cardinals with "and" (one hundred and twenty three), British style.
    #[arg(long)]
    pub hundred_and: bool,
    /// English negatives read "negative" instead of "minus".
    #[arg(long)]
    pub negative: bool,
    /// English numeric dates read "the third of november" instead of "november third".
    #[arg(long)]
    pub day_of_month: bool,
}

fn parse_engine(s: &str) -> Result<Engine, String> {
    s.parse()
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

/// Parses `30m`, `1s`, `2h`, `1d` or plain seconds.
///
/// # Errors
/// A message for anything else.
pub(crate) fn parse_interval(s: &str) -> std::result::Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 =
        num.parse().map_err(|_| format!("invalid interval `{s}` (use e.g. 30s, 10m, 2h, 1d)"))?;
    let secs = match unit.trim() {
        "" | "s" | "sec" | "secs" => n,
        "m" | "min" | "mins" => n * 60,
        "h" | "hour" | "hours" => n * 3600,
        "d" | "day" | "days" => n * 86_400,
        _ => return Err(format!("invalid interval `{s}` (use e.g. 30s, 10m, 2h, 1d)")),
    };
    if secs == 0 {
        return Err("the interval must be at least 1s".to_owned());
    }
    Ok(Duration::from_secs(secs))
}

impl RenderLimitArgs {
    /// The limits: these flags, else the config's `[output]` values, else the defaults.
    pub(crate) fn resolve(
        self,
        file: Option<&crate::app::config::OutputConfig>,
    ) -> crate::render::RenderLimits {
        use crate::render::RenderLimits;
        let mib = self
            .max_output_mib
            .or_else(|| file.and_then(|f| f.max_output_mib))
            .unwrap_or(RenderLimits::DEFAULT_MAX_OUTPUT_MIB);
        let secs = self
            .template_timeout
            .or_else(|| file.and_then(|f| f.template_timeout))
            .unwrap_or(RenderLimits::DEFAULT_TIMEOUT_SECS);
        RenderLimits::new(mib, secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_interval("1s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_interval("90"), Ok(Duration::from_secs(90)));
        assert!(parse_interval("0s").is_err());
        assert!(parse_interval("soon").is_err());
    }
}
