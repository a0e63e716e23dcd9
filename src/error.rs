//! The one error type of the library and every user-facing error message.
//!
//! Variants carry typed context (the input, the path, the status) so that the
//! wording lives here and nowhere else. Messages are lowercase, name the thing
//! in backticks and do not repeat their cause's text: `main` prints the cause
//! chain below the message.

use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong in speechdigest.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The path as given.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Standard input could not be read.
    #[error("cannot read standard input")]
    Stdin(#[source] std::io::Error),
    /// A URL could not be fetched.
    #[error("cannot fetch `{url}`: {reason}")]
    Fetch {
        /// The URL as given.
        url: String,
        /// What went wrong, in a few words.
        reason: String,
    },
    /// The input is empty or holds only whitespace or page furniture.
    #[error("`{input}` is empty: {what}")]
    Empty {
        /// The input as given.
        input: String,
        /// What was found instead of a speech.
        what: String,
    },
    /// The input is not text (e.g. an image, an archive, a PDF).
    #[error("`{input}` is not text: {what}")]
    Binary {
        /// The input as given.
        input: String,
        /// What it looks like.
        what: String,
    },
    /// The input could not be decoded in any supported encoding.
    #[error("`{input}` cannot be decoded: {what}")]
    Decode {
        /// The input as given.
        input: String,
        /// What went wrong.
        what: String,
    },
    /// The input is larger than the configured limit.
    #[error("`{input}` is too large: {size} bytes, the limit is {limit}")]
    TooLarge {
        /// The input as given.
        input: String,
        /// Its size in bytes (or at least this much).
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A file could not be written.
    #[error("cannot write `{path}`")]
    Write {
        /// The target path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A `digest.json` is not JSON, or not a digest.
    #[error("`{}` is not a valid digest.json", path.display())]
    DigestInvalid {
        /// The file.
        path: PathBuf,
        /// What serde says (with line and column).
        #[source]
        source: serde_json::Error,
    },
    /// A `digest.json` written by a newer speechdigest.
    #[error(
        "`{}` has digest schema version {found}; this speechdigest reads up to version {known}: upgrade speechdigest, or rebuild from the speech",
        path.display()
    )]
    DigestTooNew {
        /// The file.
        path: PathBuf,
        /// Its `schema_version`.
        found: u64,
        /// The newest version this program knows.
        known: u32,
    },
    /// Output could not be serialised as JSON.
    #[error("cannot serialise JSON")]
    Json(#[source] serde_json::Error),
    /// A template problem (parse or render), with the template's name.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The configuration file is unreadable or invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The cache or state database cannot be used.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A section could not be summarised by the API provider.
    #[error("cannot summarise `{input}` with `{provider}`")]
    Api {
        /// The input as given.
        input: String,
        /// The provider's name.
        provider: String,
        /// The section and the cause.
        #[source]
        source: Box<SectionError>,
    },
    /// A bug: a stage panicked on this input (reported, and the run goes on).
    #[error("internal error on `{input}`: {what} (please report this with the input)")]
    Internal {
        /// The input as given.
        input: String,
        /// The panic message.
        what: String,
    },
    /// Invalid usage that clap cannot catch (e.g. a bad combination of options).
    #[error("{0}")]
    Usage(String),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A configuration problem.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML for this schema.
    #[error("invalid config `{}`", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The cause (with line and column).
        #[source]
        source: toml::de::Error,
    },
    /// A value is out of range or inconsistent.
    #[error("invalid config `{}`: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A store problem.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or used.
    #[error("state/cache database `{}`", path.display())]
    Sql {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// The folder for the database could not be created.
    #[error("cannot create `{}`", path.display())]
    Dir {
        /// The folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file was written by a newer speechdigest.
    #[error("`{}` has schema version {found}; this speechdigest knows up to {known}", path.display())]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: i64,
        /// Ours.
        known: i64,
    },
}

/// Where a template comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary.
    Builtin,
    /// A user file.
    User(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Builtin => f.write_str("builtin"),
            Origin::User(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A template problem, with the template's name and origin.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The user's template folder could not be read.
    #[error("cannot read template folder `{}`", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A template could not be read.
    #[error("cannot read template `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Parsing failed (syntax, unknown filter, missing parent).
    #[error("template error in {origins}: {detail}")]
    Parse {
        /// The templates involved and where they come from.
        origins: String,
        /// Tera's report (it names the template, line and column).
        detail: String,
    },
    /// Rendering failed.
    #[error("cannot render template `{name}` ({origin}): {detail}")]
    Render {
        /// The template.
        name: String,
        /// Where it comes from.
        origin: Origin,
        /// Tera's report.
        detail: String,
    },
}

/// What went wrong with a call. One line each; never the key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server answered an error status.
    #[error("`{endpoint}` answered {status}: {message}")]
    Status {
        /// The endpoint.
        endpoint: String,
        /// The HTTP status.
        status: u16,
        /// The server's message.
        message: String,
        /// The error code or type, when given.
        code: Option<String>,
        /// How long the server asked to wait.
        retry_after: Option<Duration>,
    },
    /// No answer: connection refused, timeout, broken body.
    #[error("`{endpoint}`: {message}")]
    Transport {
        /// The endpoint.
        endpoint: String,
        /// What happened.
        message: String,
    },
    /// The prompt is over the model's context (the section must be split).
    #[error("`{endpoint}` answered {status}: the input is over the model's context: {message}")]
    ContextLength {
        /// The endpoint.
        endpoint: String,
        /// 400 or 413.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// `finish_reason: "length"`: the answer was cut at the output cap.
    #[error("the answer was cut at the output cap ({cap} tokens); raise `max_output_tokens`")]
    Truncated {
        /// The cap sent.
        cap: u32,
    },
    /// No content (null, empty, or a refusal).
    #[error("the answer is empty{}", refusal.as_ref().map(|r| format!(" (refusal: {r})")).unwrap_or_default())]
    Empty {
        /// The refusal text, if any.
        refusal: Option<String>,
    },
    /// The body is not a chat completion.
    #[error("the response is not a chat completion: {0}")]
    Decode(String),
    /// The content is not the JSON asked for, even after a repair.
    #[error("the answer is not the JSON asked for: {0}")]
    Invalid(String),
}

/// A section that failed, with its error.
#[derive(Debug, thiserror::Error)]
#[error("section `{section}` failed")]
pub struct SectionError {
    /// The section's id (`overview` for the reduce step).
    pub section: String,
    /// The cause.
    #[source]
    pub source: ApiError,
}

/// The error and then each of its causes, outermost first.
pub(crate) fn causes<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |e| e.source())
}

/// The error and its causes on one line: `cannot read `x`: No such file or directory`.
pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    causes(e).map(ToString::to_string).collect::<Vec<_>>().join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_name_every_cause_outermost_first() {
        let e = Error::Read {
            path: "x.txt".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        };
        assert_eq!(causes(&e).count(), 2);
        assert_eq!(chain(&e), "cannot read `x.txt`: no such file");
        let io = std::io::Error::other("alone");
        assert_eq!(chain(&io), "alone");
    }
}
