//! The only network code of ingest: an HTTP(S) GET with a timeout, a size cap
//! and a user agent, returning the body bytes and the declared charset; and
//! the one HTTP client set-up, which the chat API client uses too.

use std::time::Duration;

use crate::error::{Error, FetchFailure, Result};

/// Options for fetching a page.
#[derive(Debug, Clone)]
pub(crate) struct FetchOptions {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions { timeout: Duration::from_secs(30), max_bytes: super::DEFAULT_MAX_BYTES }
    }
}

/// A fetched page.
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    /// The body.
    pub bytes: Vec<u8>,
    /// `charset=` of the `Content-Type` header, if any.
    pub charset: Option<String>,
    /// True when the server says the body is HTML.
    pub is_html: bool,
}

/// The user agent of every request speechdigest makes.
const USER_AGENT: &str = concat!("speechdigest/", env!("CARGO_PKG_VERSION"));

/// The one HTTP client set-up, for pages and feeds here and for the chat
/// API (`llm`): a whole-request `timeout`, a `connect_timeout` and our user
/// agent; reqwest's defaults do the rest (rustls, gzip, redirects).
///
/// # Errors
/// When the TLS backend cannot be initialised.
pub(crate) fn http_client(
    timeout: Duration,
    connect_timeout: Duration,
) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .user_agent(USER_AGENT)
        .build()
}

/// Builds the HTTP client used for pages and feeds.
///
/// # Errors
/// When the TLS backend cannot be initialised.
pub(crate) fn client(opts: &FetchOptions) -> Result<reqwest::Client> {
    http_client(opts.timeout, opts.timeout.min(Duration::from_secs(10))).map_err(|e| Error::Fetch {
        url: String::new(),
        reason: e.to_string(),
        failure: FetchFailure::Other,
    })
}

/// GETs `url`, refusing bodies larger than `opts.max_bytes` without reading them whole.
///
/// # Errors
/// Connection failures, timeouts, non-success statuses and oversized bodies.
pub(crate) async fn fetch(
    client: &reqwest::Client,
    url: &str,
    opts: &FetchOptions,
) -> Result<Fetched> {
    let fail = |reason: String, failure| Error::Fetch { url: url.to_owned(), reason, failure };
    let mut resp = client.get(url).send().await.map_err(|e| fail(describe(&e), failure(&e)))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(fail(
            format!("the server answered {status}"),
            FetchFailure::Status(status.as_u16()),
        ));
    }
    if let Some(len) = resp.content_length()
        && len > opts.max_bytes
    {
        return Err(Error::TooLarge { input: url.to_owned(), size: len, limit: opts.max_bytes });
    }
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let charset = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches('"').to_owned());
    let is_html = content_type.contains("html");
    let mut bytes = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| fail(describe(&e), failure(&e)))? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > opts.max_bytes {
            return Err(Error::TooLarge {
                input: url.to_owned(),
                size: bytes.len() as u64,
                limit: opts.max_bytes,
            });
        }
    }
    Ok(Fetched { bytes, charset, is_html })
}

/// No answer (the network's fault, retried next pass) or a bad request (the item's).
fn failure(e: &reqwest::Error) -> FetchFailure {
    if e.is_timeout() || e.is_connect() || e.is_request() || e.is_body() {
        FetchFailure::Transport
    } else {
        FetchFailure::Other
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "connection failed".to_owned()
    } else {
        // reqwest's Display names the URL already; keep only the innermost cause.
        crate::error::causes(e).last().map(ToString::to_string).unwrap_or_default()
    }
}
