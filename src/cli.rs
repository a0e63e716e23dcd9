//! The command line as clap sees it: raw arguments, validated, no I/O and no
//! defaults read from files (those are resolved in `run`).

use clap::{Args, Parser, Subcommand};

use crate::ingest::Lang;
use crate::tts::Engine;

/// Turn long speeches into outlines, transcripts, briefings, handouts and newsletters.
#[derive(Debug, Parser)]
#[command(name = "speechdigest", version, about, long_about = None)]
pub struct Cli {
    /// More log output on stderr (-v: info, -vv: debug, -vvv: trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the speech's own structure: sections, points, warnings.
    Outline(OutlineArgs),
    /// Print the speech as it should be said: numbers and symbols in words,
    /// in chunks sized for a synthesiser, as text or SSML.
    Transcript(TranscriptArgs),
    /// Normalise text for speech: one output line per input line on stdin.
    Normalize(NormalizeArgs),
}

/// Inputs and how to read them, shared by the commands that read speeches.
#[derive(Debug, Args)]
pub struct InputArgs {
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
pub struct OutlineArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Print JSON (`{"meta", "sections", "warnings"}`) instead of a tree; one
    /// object per input, pretty-printed for one input, one per line for several.
    #[arg(long)]
    pub json: bool,
}

/// `speechdigest transcript`.
#[derive(Debug, Args)]
pub struct TranscriptArgs {
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
    /// The synthesiser the chunks are sized for: generic, google, polly, azure.
    #[arg(long, default_value = "generic", value_parser = parse_engine)]
    pub engine: Engine,
    /// Normalisation conventions.
    #[command(flatten)]
    pub conventions: ConventionArgs,
}

/// `speechdigest normalize`.
#[derive(Debug, Args)]
pub struct NormalizeArgs {
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
pub struct ConventionArgs {
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
