//! The one error type of the library and every user-facing error message.
//!
//! Variants carry typed context (the input, the path, the status) so that the
//! wording lives here and nowhere else. Messages are lowercase, name the thing
//! in backticks and do not repeat their cause's text: `main` prints the cause
//! chain below the message.

use std::path::PathBuf;

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
    /// Output could not be serialised as JSON.
    #[error("cannot serialise JSON")]
    Json(#[source] serde_json::Error),
    /// A template problem (parse or render), with the template's name.
    #[error(transparent)]
    Template(#[from] crate::render::TemplateError),
    /// The configuration file is unreadable or invalid.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The cache or state database cannot be used.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A section could not be summarised by the API provider.
    #[error("cannot summarise `{input}` with `{provider}`")]
    Api {
        /// The input as given.
        input: String,
        /// The provider's name.
        provider: String,
        /// The section and the cause.
        #[source]
        source: Box<crate::summarize::api::SectionError>,
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
