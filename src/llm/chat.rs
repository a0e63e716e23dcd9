//! What every chat provider kind shares: the [`ChatClient`] trait that the
//! map/reduce calls, the kind-independent [`ChatConfig`], and the plain data
//! of a call (messages, the request, the reply, the counters).
//!
//! A kind (`providers/openai.rs`) implements the trait; the map/reduce only
//! ever holds an `Arc<dyn ChatClient>`. Building a request is kept apart from
//! sending it (pure, so that the cache key is known before any call), and
//! `send` returns a boxed future so that the trait stays object-safe without
//! `async_trait`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;
use crate::redact::Redactor;

/// A secret (the API key): never printed, logged or serialised.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    /// Wraps a key.
    pub(crate) fn new(key: String) -> Secret {
        Secret(key)
    }

    /// The key, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How JSON output is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Structured {
    /// `response_format: json_schema` with the schema (OpenAI, vLLM).
    JsonSchema,
    /// `response_format: json_object`, the schema in the prompt (DeepSeek, most).
    JsonObject,
    /// No `response_format`: the schema in the prompt and tolerant parsing.
    Off,
}

/// What the map/reduce, `--dry-run` and `digest.json` need to know about a
/// provider, whatever its kind (resolved by `providers::connect`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChatConfig {
    /// The kind's name in the provider registry (`openai`): `provider.kind` in `digest.json`.
    pub kind: &'static str,
    /// The provider's name (`openai`, `deepseek`, …).
    pub name: String,
    /// Model id.
    pub model: String,
    /// Base URL with the version segment, no trailing slash; `None` for a
    /// kind that calls no server.
    pub base_url: Option<String>,
    /// Context window in tokens.
    pub context_window: u32,
    /// Output cap in tokens.
    pub max_output_tokens: u32,
    /// How JSON is asked for.
    pub structured: Structured,
    /// Requests in flight at most.
    pub concurrency: usize,
    /// How tokens are counted (`tokens_per_han`, `tokenizer`).
    pub tokens: Tokens,
    /// Price per million prompt tokens.
    pub price_prompt_per_mtok: Option<f64>,
    /// Price per million completion tokens.
    pub price_completion_per_mtok: Option<f64>,
}

/// How tokens are counted for one provider (`tokens_per_han`,
/// `tokenizer`): an estimate per script, and, with `o200k`, the exact
/// `o200k_base` count near a budget. A 135M local model's tokenizer splits
/// Chinese at ~1.6 tokens per Han character (issue 17), OpenAI's at ~1, so
/// the floor follows `per_han` whatever the tokenizer says. Counting is
/// `mapreduce::plan`'s (`impl Tokens` there).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tokens {
    /// Tokens per Han character (estimate and floor).
    pub per_han: f64,
    /// Count with `o200k_base` near a budget (`tokenizer = "o200k"`).
    pub exact: bool,
}

impl Default for Tokens {
    fn default() -> Tokens {
        Tokens { per_han: 1.6, exact: true }
    }
}

/// A chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Message {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// The text.
    pub content: String,
}

impl Message {
    /// A message with `role`.
    pub(crate) fn new(role: &str, content: impl Into<String>) -> Message {
        Message { role: role.to_owned(), content: content.into() }
    }
}

/// A request ready to send: the URL and the JSON body (no key in either).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RequestData {
    /// The endpoint.
    pub url: String,
    /// The body.
    pub body: Value,
}

impl RequestData {
    /// The cache key: blake3 of the endpoint and the whole body (model,
    /// parameters, full prompt). The key is in neither.
    pub(crate) fn cache_key(&self) -> String {
        let mut h = blake3::Hasher::new();
        h.update(self.url.as_bytes());
        h.update(b"\n");
        h.update(self.body.to_string().as_bytes());
        h.finalize().to_hex().to_string()
    }
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Reply {
    /// The message content.
    pub content: String,
    /// Prompt tokens (0 when the server does not say).
    pub prompt_tokens: u32,
    /// Completion tokens.
    pub completion_tokens: u32,
}

/// Counters of a run (shared by every call).
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// Requests sent (attempts included).
    pub requests: AtomicU64,
    /// Successful calls.
    pub calls: AtomicU64,
    /// Retries.
    pub retries: AtomicU64,
    /// Prompt tokens of successful calls.
    pub prompt_tokens: AtomicU64,
    /// Completion tokens of successful calls.
    pub completion_tokens: AtomicU64,
    /// Requests in flight now.
    pub in_flight: AtomicUsize,
    /// The most requests ever in flight at once.
    pub max_in_flight: AtomicUsize,
}

/// The answer of [`ChatClient::send`], boxed so that the trait is object-safe.
pub(crate) type ReplyFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Reply, ApiError>> + Send + 'a>>;

/// One configured chat provider, whatever its kind: the map/reduce holds an
/// `Arc<dyn ChatClient>` made by `providers::connect`.
pub(crate) trait ChatClient: Send + Sync {
    /// The kind-independent settings.
    fn config(&self) -> &ChatConfig;

    /// What the calls did so far (the kind keeps them up to date).
    fn counters(&self) -> &Counters;

    /// What this provider must never let out (its key, header values, the
    /// credentials of its URL): answers, errors and the cache's `endpoint`
    /// column pass through it.
    fn secrets(&self) -> &Redactor;

    /// Where the calls go, for messages and `--dry-run` (redacted).
    fn endpoint(&self) -> String {
        let c = self.config();
        c.base_url.clone().unwrap_or_else(|| format!("{} (no server)", c.kind))
    }

    /// The request for `messages` (pure: its [`RequestData::cache_key`] is
    /// the cache key), asking for JSON of `schema` when given, capped at
    /// `max_tokens`.
    fn build_request(
        &self,
        messages: &[Message],
        schema: Option<(&str, &Value)>,
        max_tokens: u32,
    ) -> RequestData;

    /// Sends `req` (retrying what the kind retries); `cap` is the output cap
    /// it was built with, for the error of a cut answer.
    fn send<'a>(&'a self, req: &'a RequestData, cap: u32) -> ReplyFuture<'a>;
}

impl std::fmt::Debug for dyn ChatClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatClient").field("config", self.config()).finish_non_exhaustive()
    }
}

impl ApiError {
    /// The error with every text it carries (the endpoint, the server's
    /// message, a refusal) through `r`: a server may echo the key.
    #[must_use]
    pub(crate) fn redacted(self, r: &Redactor) -> ApiError {
        let f = |s: String| r.redact(&s).into_owned();
        match self {
            ApiError::Status { endpoint, status, message, code, retry_after } => ApiError::Status {
                endpoint: f(endpoint),
                status,
                message: f(message),
                code: code.map(f),
                retry_after,
            },
            ApiError::Transport { endpoint, message } => {
                ApiError::Transport { endpoint: f(endpoint), message: f(message) }
            }
            ApiError::ContextLength { endpoint, status, message } => {
                ApiError::ContextLength { endpoint: f(endpoint), status, message: f(message) }
            }
            ApiError::Empty { refusal } => ApiError::Empty { refusal: refusal.map(f) },
            ApiError::Decode(m) => ApiError::Decode(f(m)),
            ApiError::Invalid(m) => ApiError::Invalid(f(m)),
            ApiError::Audio(m) => ApiError::Audio(f(m)),
            ApiError::Cap(m) => ApiError::Cap(f(m)),
            ApiError::AllDegraded { sections, last } => {
                ApiError::AllDegraded { sections, last: Box::new(last.redacted(r)) }
            }
            ApiError::Program { program, message } => {
                ApiError::Program { program: f(program), message: f(message) }
            }
            e @ ApiError::Truncated { .. } => e,
        }
    }

    /// Worth another attempt of the same request.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Status { status, code, .. } => {
                let quota = code.as_deref().is_some_and(|c| {
                    c.contains("insufficient_quota")
                        || c.contains("spend_limit")
                        || c.contains("billing")
                        || c.contains("Arrearage")
                });
                matches!(status, 408 | 409 | 500..=599) || (*status == 429 && !quota)
            }
            ApiError::Transport { .. } => true,
            _ => false,
        }
    }

    /// Fatal for the whole input, whatever `--fallback` says (a
    /// configuration error, or a cap): a bad key, no access, no money, a
    /// wrong URL, an unknown model (404, or a 400 that says so: LiteLLM,
    /// vLLM), LiteLLM's `No connected db.` (its answer to a key it cannot
    /// check), a `--max-calls` cap.
    pub fn is_fatal(&self) -> bool {
        match self {
            ApiError::Status { status: 401..=404, .. } | ApiError::Cap(_) => true,
            ApiError::Status { status: 429, .. } => !self.is_retryable(),
            ApiError::Status { status: 400 | 422, message, .. } => {
                is_unknown_model(message) || is_key_problem(message)
            }
            _ => false,
        }
    }
}

/// A server's words for a model it does not serve. Pure.
pub(crate) fn is_unknown_model(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("invalid model name")
        || m.contains("model_not_found")
        || m.contains("unknown model")
        || (m.contains("model") && (m.contains("does not exist") || m.contains("not found")))
}

/// LiteLLM's proxy answers `400: No connected db.` to a key when it has no
/// database to check keys against: the key is the problem. Pure.
pub(crate) fn is_key_problem(message: &str) -> bool {
    message.contains("No connected db")
}
