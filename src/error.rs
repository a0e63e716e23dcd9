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
        /// What kind of failure it is, for [`Error::is_environment`].
        failure: FetchFailure,
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
    /// A speech could not be synthesised by the TTS engine.
    #[error("cannot synthesise `{input}` with `{engine}`")]
    Speech {
        /// The input as given.
        input: String,
        /// The engine's name.
        engine: String,
        /// The cause.
        #[source]
        source: Box<ApiError>,
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

/// Why a fetch failed: the server's answer, no answer, or the request itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchFailure {
    /// The server answered this (non-success) status.
    Status(u16),
    /// No answer: connection refused, a name that does not resolve, a
    /// timeout, a body cut off.
    Transport,
    /// Anything else: a malformed URL, a redirect loop, a body that does not
    /// decode.
    Other,
}

impl Error {
    /// True when the fault is the environment's, not the item's: a full,
    /// read-only or forbidden output folder or state, a dead network, a
    /// provider that refuses every call (401/403/429/5xx) or does not
    /// answer. `watch` spends an item's attempts only on its own faults
    /// (content that does not decode, an extraction that fails, a model's
    /// invalid answers, a 4xx on the item's own URL); an environment fault
    /// fails the pass instead and the item is retried on the next one, so a
    /// full disk never parks anything.
    pub(crate) fn is_environment(&self) -> bool {
        match self {
            // Reading: only the kinds that say the machine is at fault.
            Error::Read { source, .. } | Error::Stdin(source) => io_is_environment(source),
            // The names are our slugs and the bytes our own: a write fails
            // because of the place (full, read-only, forbidden, or a file
            // where a folder should be).
            Error::Write { .. } => true,
            Error::Fetch { failure, .. } => match failure {
                FetchFailure::Status(s) => matches!(s, 408 | 429 | 500..=599),
                FetchFailure::Transport => true,
                FetchFailure::Other => false,
            },
            Error::Api { source, .. } => api_is_environment(&source.source),
            Error::Speech { source, .. } => api_is_environment(source),
            Error::Store(e) => e.is_environment(),
            Error::Config(_) => true,
            Error::Template(e) => {
                matches!(e, TemplateError::Folder { .. } | TemplateError::Read { .. })
            }
            Error::Empty { .. }
            | Error::Binary { .. }
            | Error::Decode { .. }
            | Error::TooLarge { .. }
            | Error::DigestInvalid { .. }
            | Error::DigestTooNew { .. }
            | Error::Json(_)
            | Error::Internal { .. }
            | Error::Usage(_) => false,
        }
    }
}

impl StoreError {
    /// True when the database cannot be used because of the machine (full,
    /// read-only, forbidden, locked, an I/O error); false for a file that is
    /// not a database, a corrupt one or a newer schema, which are refused.
    pub(crate) fn is_environment(&self) -> bool {
        use rusqlite::ErrorCode as C;
        match self {
            StoreError::Sql { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(
                    C::DiskFull
                        | C::ReadOnly
                        | C::CannotOpen
                        | C::PermissionDenied
                        | C::SystemIoFailure
                        | C::DatabaseBusy
                        | C::DatabaseLocked
                        | C::OutOfMemory
                        | C::FileLockingProtocolFailed
                )
            ),
            StoreError::Dir { .. } => true,
            StoreError::TooNew { .. } => false,
        }
    }
}

/// A provider answer that every item would get: a bad key, no quota, rate
/// limits, a server error, no answer at all; a 400, a context overflow or
/// an invalid answer is this item's.
fn api_is_environment(e: &ApiError) -> bool {
    match e {
        ApiError::Status { status, .. } => {
            matches!(status, 401..=404 | 407 | 408 | 429 | 500..=599)
        }
        ApiError::Transport { .. } => true,
        ApiError::ContextLength { .. }
        | ApiError::Truncated { .. }
        | ApiError::Empty { .. }
        | ApiError::Decode(_)
        | ApiError::Invalid(_)
        | ApiError::Audio(_) => false,
        // A cap is this pass's, not the item's.
        ApiError::Cap(_) => true,
        // All sections degraded: the API's availability when that is why
        // (it spends no attempt), the item's own fault when its answers
        // were unusable.
        ApiError::AllDegraded { last, .. } => api_is_environment(last),
        // A local program that fails fails for every item.
        ApiError::Program { .. } => true,
    }
}

/// An I/O error that is the machine's: no space or quota, a read-only file
/// system, no permission, a busy or failing device, no memory or file
/// handles left. The kind first; the raw errno for errors whose kind is
/// `Other`/`Uncategorized` (the inner error of a wrapped one too).
fn io_is_environment(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    if matches!(
        e.kind(),
        K::StorageFull
            | K::ReadOnlyFilesystem
            | K::QuotaExceeded
            | K::PermissionDenied
            | K::ResourceBusy
            | K::TimedOut
            | K::OutOfMemory
            | K::StaleNetworkFileHandle
    ) {
        return true;
    }
    // ENOSPC, EROFS, EACCES, EPERM, EIO, ENFILE, EMFILE, ENOMEM; EDQUOT is 122 on Linux.
    const RAW: &[i32] =
        &[28, 30, 13, 1, 5, 23, 24, 12, if cfg!(target_os = "linux") { 122 } else { 69 }];
    if e.raw_os_error().is_some_and(|c| RAW.contains(&c)) {
        return true;
    }
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<std::io::Error>())
        .is_some_and(io_is_environment)
}

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
    /// The `--reference-docx` (or `[output] reference_docx`) cannot give its styles.
    #[error("`{}` cannot be used as --reference-docx: {reason}", path.display())]
    ReferenceDocx {
        /// The file as given.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
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
    #[error(
        "the answer was cut at the output cap ({cap} tokens): a model that loops needs a lower `temperature`, a long answer a higher `max_output_tokens`"
    )]
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
    /// A spending cap (`--max-calls`) stops the run before the next call.
    #[error("{0}")]
    Cap(String),
    /// Every section of the speech failed (with `--fallback extractive`,
    /// but without `--allow-degraded`).
    #[error(
        "all {sections} sections failed, the last with: {last} (`--fallback extractive --allow-degraded` keeps the extractive digest)"
    )]
    AllDegraded {
        /// How many sections were asked for.
        sections: usize,
        /// The last section's error.
        last: Box<ApiError>,
    },
    /// A speech engine's answer is not audio that can be joined.
    #[error("the audio is not usable: {0}")]
    Audio(String),
    /// A local speech program failed.
    #[error("`{program}` failed: {message}")]
    Program {
        /// The program as configured.
        program: String,
        /// What happened (its exit status and the end of its stderr).
        message: String,
    },
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
    fn environment_faults_are_told_from_the_items_own() {
        use std::io::{Error as Io, ErrorKind};
        let write = |source| Error::Write { path: "out/x".into(), source };
        let read = |source| Error::Read { path: "in/x".into(), source };
        // A full disk, a read-only or forbidden folder: by errno and by kind.
        for code in [28, 30, 13] {
            assert!(read(Io::from_raw_os_error(code)).is_environment(), "errno {code}");
        }
        assert!(read(Io::new(ErrorKind::StorageFull, "full")).is_environment());
        // tempfile wraps the errno in an error of its own.
        assert!(read(Io::other(Io::from_raw_os_error(28))).is_environment());
        assert!(!read(Io::new(ErrorKind::NotFound, "gone")).is_environment());
        assert!(write(Io::new(ErrorKind::NotADirectory, "a file")).is_environment());
        let fetch =
            |failure| Error::Fetch { url: "http://x/a".into(), reason: "r".into(), failure };
        assert!(!fetch(FetchFailure::Status(404)).is_environment());
        assert!(!fetch(FetchFailure::Status(403)).is_environment());
        assert!(fetch(FetchFailure::Status(503)).is_environment());
        assert!(fetch(FetchFailure::Status(429)).is_environment());
        assert!(fetch(FetchFailure::Transport).is_environment());
        assert!(!fetch(FetchFailure::Other).is_environment());
        let api = |e| Error::Api {
            input: "x".into(),
            provider: "p".into(),
            source: Box::new(SectionError { section: "s1".into(), source: e }),
        };
        let status = |status| ApiError::Status {
            endpoint: "e".into(),
            status,
            message: "m".into(),
            code: None,
            retry_after: None,
        };
        for s in [401, 403, 429, 500, 503] {
            assert!(api(status(s)).is_environment(), "{s}");
        }
        assert!(!api(status(400)).is_environment());
        assert!(
            api(ApiError::Transport { endpoint: "e".into(), message: "refused".into() })
                .is_environment()
        );
        assert!(!api(ApiError::Invalid("not JSON".into())).is_environment());
        assert!(!Error::Empty { input: "x".into(), what: "nothing".into() }.is_environment());
        assert!(!Error::Internal { input: "x".into(), what: "stack".into() }.is_environment());
        // A full or read-only state is the machine's; a corrupt one is refused.
        let sql = |code| {
            Error::Store(StoreError::Sql {
                path: "state.sqlite".into(),
                source: rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None),
            })
        };
        assert!(sql(rusqlite::ffi::SQLITE_FULL).is_environment());
        assert!(sql(rusqlite::ffi::SQLITE_READONLY).is_environment());
        assert!(!sql(rusqlite::ffi::SQLITE_NOTADB).is_environment());
        assert!(!sql(rusqlite::ffi::SQLITE_CORRUPT).is_environment());
    }

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
