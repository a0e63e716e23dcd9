//! The `openai` kind, the OpenAI-compatible wire: [`resolve`] (pure: its
//! defaults, `OPENAI_BASE_URL`, the key) → [`connect`] (the registry's
//! constructor) and `build_request` (pure) → `Client::send_retrying` (async:
//! bounded concurrency, pacing, retries) → `parse_response` (pure).
//!
//! Only Chat Completions is spoken (`POST {base_url}/chat/completions`), and
//! only the fields the user set go on the wire (several servers reject
//! unknown or unsupported ones). Retries follow openai-python: 408, 409, 429
//! and 5xx, timeouts and connection errors, with exponential backoff and
//! jitter, honouring `retry-after-ms` then `Retry-After`, capped in count and
//! in total time. 400/401/403/404 and a quota-exhausted 429 are not retried;
//! a context-length 400 goes back to the caller so that it can split the
//! section. Error messages name the endpoint, the status and the server's
//! message, never the key.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::error::ApiError;
use crate::ingest::fetch;
use backon::{ExponentialBuilder, Retryable};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::sync::{Mutex, Semaphore};

use crate::llm::providers::ProviderSpec;
use crate::llm::chat::{
    ChatClient, ChatConfig, Counters, Message, Reply, ReplyFuture, RequestData, Secret, Structured,
};
use crate::redact::{self, Redactor};

/// The default OpenAI base URL (as in the OpenAI SDKs).
pub(crate) const OPENAI_BASE_URL: &str = "https://api.openai.com/v1";
/// The model used by `--provider openai` when none is configured.
pub(crate) const OPENAI_MODEL: &str = "gpt-4o-mini";

/// Resolves an `openai` provider. Pure. The key is read from the variable
/// named by `api_key_env` (default `OPENAI_API_KEY`) and kept in a
/// [`Secret`] that never prints. `OPENAI_BASE_URL` applies to the providers
/// that use `OPENAI_API_KEY`, as the OpenAI SDKs do. The base URL is
/// `--base-url`, else `OPENAI_BASE_URL`, else the table's, else
/// [`OPENAI_BASE_URL`]; the model `--model`, else the table's, else
/// [`OPENAI_MODEL`] for the provider named `openai`. Its [`Redactor`] knows
/// the key, the `extra_headers` values and the URL's credentials; the
/// [`ChatConfig`]'s base URL (shown in messages and `digest.json`) is
/// redacted, the one requests go to is not.
///
/// # Errors
/// No model, an `extra_body` that is not a table, an unknown `structured`.
pub(crate) fn resolve(spec: &ProviderSpec<'_>) -> Result<OpenAiConfig, String> {
    let (name, p, env) = (spec.name, spec.config, spec.env);
    let key_env = p.api_key_env.clone().unwrap_or_else(|| "OPENAI_API_KEY".to_owned());
    let env_base = if key_env == "OPENAI_API_KEY" { env("OPENAI_BASE_URL") } else { None };
    let base_url = spec
        .flags
        .base_url
        .clone()
        .or(env_base.filter(|s| !s.trim().is_empty()))
        .or(p.base_url.clone())
        .unwrap_or_else(|| OPENAI_BASE_URL.to_owned());
    let model = spec.model((name == "openai").then_some(OPENAI_MODEL))?;
    let api_key = env(&key_env).filter(|k| !k.trim().is_empty()).map(Secret::new);
    let extra_body = match &p.extra_body {
        Some(t) => match serde_json::to_value(t) {
            Ok(Value::Object(m)) => Some(m),
            _ => return Err(format!("provider `{name}`: extra_body is not a table")),
        },
        None => None,
    };
    let base_url = base_url.trim_end_matches('/').to_owned();
    let mut secrets = Redactor::new();
    if let Some(k) = &api_key {
        secrets.add(k.expose());
    }
    for v in p.extra_headers.values() {
        secrets.add(v);
    }
    secrets.add_url(&base_url);
    let chat = spec.chat_config(Some(secrets.redact(&base_url).into_owned()), model)?;
    Ok(OpenAiConfig {
        chat,
        base_url: Secret::new(base_url),
        secrets,
        api_key,
        api_key_env: key_env,
        temperature: p.temperature,
        use_max_completion_tokens: p.max_tokens_field.as_deref() == Some("max_completion_tokens"),
        timeout: Duration::from_secs(p.timeout_s.unwrap_or(180).max(1)),
        requests_per_minute: p.requests_per_minute.filter(|r| *r > 0),
        extra_headers: p
            .extra_headers
            .iter()
            .map(|(k, v)| (k.clone(), Secret::new(v.clone())))
            .collect(),
        extra_body,
        max_retries: 4,
        retry_budget: Duration::from_secs(p.retry_budget_s.unwrap_or(120)),
    })
}

/// The registry's constructor: [`resolve`], then the HTTP client.
///
/// # Errors
/// What [`resolve`] reports, or a TLS backend that cannot start.
pub(crate) fn connect(spec: &ProviderSpec<'_>) -> Result<Arc<dyn ChatClient>, String> {
    let cfg = resolve(spec)?;
    redact::remember(&cfg.secrets);
    if cfg.api_key.is_none() {
        tracing::info!(
            "no key in `{}`: calling {} without one",
            cfg.api_key_env,
            cfg.shown_endpoint()
        );
    }
    let client =
        Client::new(Arc::new(cfg)).map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    Ok(Arc::new(client))
}

/// One OpenAI-compatible endpoint, resolved (see [`resolve`]): the
/// kind-independent settings and what only this wire has.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OpenAiConfig {
    /// Name, model, base URL (redacted, always set here), limits, prices.
    pub chat: ChatConfig,
    /// The base URL requests go to, credentials and all (a [`Secret`]: its
    /// `Debug` hides it).
    pub base_url: Secret,
    /// The key, header values and URL credentials, for redaction.
    pub secrets: Redactor,
    /// The key, when the variable is set.
    pub api_key: Option<Secret>,
    /// The variable the key comes from (for error messages).
    pub api_key_env: String,
    /// Sampling temperature, sent only when set.
    pub temperature: Option<f64>,
    /// Send the cap as `max_completion_tokens` instead of `max_tokens`.
    pub use_max_completion_tokens: bool,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Requests per minute at most.
    pub requests_per_minute: Option<u32>,
    /// Extra HTTP headers (their values may be credentials: never printed).
    pub extra_headers: BTreeMap<String, Secret>,
    /// Extra body fields (merged first; ours win).
    pub extra_body: Option<Map<String, Value>>,
    /// Retries per request at most.
    pub max_retries: usize,
    /// Total backoff per request at most.
    pub retry_budget: Duration,
}

impl OpenAiConfig {
    /// The base URL requests go to (never printed: see [`Self::shown_endpoint`]).
    pub(crate) fn base_url(&self) -> &str {
        self.base_url.expose()
    }

    /// `{base_url}/chat/completions`, keeping a query (Azure's `?api-version=`) at the end.
    pub(crate) fn endpoint(&self) -> String {
        let base_url = self.base_url();
        match base_url.split_once('?') {
            Some((base, q)) => format!("{}/chat/completions?{q}", base.trim_end_matches('/')),
            None => format!("{base_url}/chat/completions"),
        }
    }

    /// [`Self::endpoint`] redacted, for messages and errors.
    pub(crate) fn shown_endpoint(&self) -> String {
        self.secrets.redact(&self.endpoint()).into_owned()
    }

    fn is_azure(&self) -> bool {
        self.base_url().contains(".openai.azure.com")
    }
}

/// Builds a chat-completions request. Pure.
pub(crate) fn build_request(
    cfg: &OpenAiConfig,
    messages: &[Message],
    schema: Option<(&str, &Value)>,
    max_tokens: u32,
) -> RequestData {
    let mut body = cfg.extra_body.clone().unwrap_or_default();
    body.insert("model".into(), json!(cfg.chat.model));
    body.insert("messages".into(), json!(messages));
    if let Some(t) = cfg.temperature {
        body.insert("temperature".into(), json!(t));
    }
    let field = if cfg.use_max_completion_tokens { "max_completion_tokens" } else { "max_tokens" };
    body.remove("max_tokens");
    body.remove("max_completion_tokens");
    body.insert(field.into(), json!(max_tokens));
    match (cfg.chat.structured, schema) {
        (Structured::JsonSchema, Some((name, s))) => {
            body.insert(
                "response_format".into(),
                json!({"type": "json_schema", "json_schema": {"name": name, "schema": s}}),
            );
        }
        (Structured::JsonSchema | Structured::JsonObject, _) => {
            body.insert("response_format".into(), json!({"type": "json_object"}));
        }
        (Structured::Off, _) => {}
    }
    RequestData { url: cfg.endpoint(), body: Value::Object(body) }
}

impl ApiError {
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// `retry-after-ms`, else `Retry-After` (seconds or an HTTP date). Pure.
pub(crate) fn parse_retry_after(
    ms: Option<&str>,
    secs: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    if let Some(v) = ms.and_then(|s| s.trim().parse::<f64>().ok()).filter(|v| *v >= 0.0) {
        return Some(Duration::from_secs_f64(v / 1000.0));
    }
    let s = secs?.trim();
    if let Ok(v) = s.parse::<f64>() {
        return (v >= 0.0).then(|| Duration::from_secs_f64(v));
    }
    let at = chrono::DateTime::parse_from_rfc2822(s).ok()?;
    let d = at.with_timezone(&chrono::Utc) - now;
    Some(d.to_std().unwrap_or(Duration::ZERO))
}

/// Turns an error status and body into an [`ApiError`]. Pure. The body is
/// parsed leniently: `error.message`, else `error` as a string, else the raw
/// body cut short. The caller redacts the body first (a cut must not leave
/// half a key) and the error after.
pub(crate) fn classify_status(
    endpoint: &str,
    status: u16,
    body: &str,
    retry_after: Option<Duration>,
) -> ApiError {
    let v: Option<Value> = serde_json::from_str(body).ok();
    let err = v.as_ref().and_then(|v| v.get("error"));
    let message = err
        .and_then(|e| e.get("message").and_then(Value::as_str).or_else(|| e.as_str()))
        .or_else(|| v.as_ref().and_then(|v| v.get("message")).and_then(Value::as_str))
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let t: String = body.trim().chars().take(200).collect();
            if t.is_empty() { "(no message)".to_owned() } else { t }
        });
    let message: String = message.replace('\n', " ").chars().take(300).collect();
    let code = err.and_then(|e| {
        let c = e.get("code").and_then(|c| c.as_str().map(str::to_owned));
        let t = e.get("type").and_then(Value::as_str).map(str::to_owned);
        match (c, t) {
            (Some(c), Some(t)) => Some(format!("{c} {t}")),
            (c, t) => c.or(t),
        }
    });
    let context = code.as_deref().is_some_and(is_context_error) || is_context_error(&message);
    if ((400..500).contains(&status) && status != 429 && context) || status == 413 {
        return ApiError::ContextLength { endpoint: endpoint.to_owned(), status, message };
    }
    let retry_after = retry_after.or_else(|| try_again_in(&message));
    let message = if crate::llm::chat::is_key_problem(&message) {
        format!(
            "{message} (the key may be wrong: LiteLLM's proxy says this when it cannot check the key sent; see `api_key_env`)"
        )
    } else {
        message
    };
    ApiError::Status { endpoint: endpoint.to_owned(), status, message, code, retry_after }
}

/// Whether a server's error message or code says the prompt is over the
/// context, in the phrasings real servers use. Pure. OpenAI and vLLM:
/// "This model's maximum context length is N tokens", code
/// `context_length_exceeded`; llama.cpp's server: "the request exceeds the
/// available context size", type `exceed_context_size_error`; Ollama:
/// "input length exceeds the context length" / "prompt too long"; LiteLLM's
/// proxy: `litellm.ContextWindowExceededError: …`; others: "context window",
/// "too many tokens", "exceeded model token limit".
pub(crate) fn is_context_error(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "context_length_exceeded",
        "contextwindowexceedederror",
        "exceed_context_size",
        "maximum context length",
        "context length",
        "context_length",
        "context size",
        "context window",
        "exceeds the available context",
        "prompt too long",
        "prompt is too long",
        "exceeded model token limit",
        "too many tokens",
    ]
    .iter()
    .any(|p| t.contains(p))
}

/// A wait the server writes in its message ("Please try again in 20s",
/// "try again in 1.5s", "try again in 6m0s", "try again in 120ms"). Pure.
pub(crate) fn try_again_in(message: &str) -> Option<Duration> {
    let lower = message.to_lowercase();
    let at = lower.find("try again in ")? + "try again in ".len();
    let rest = &lower[at..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || "hms".contains(c)))
        .unwrap_or(rest.len());
    let word = rest[..end].trim_end_matches('.');
    parse_duration(word).or_else(|| {
        // "try again in 20 seconds".
        let n: f64 = word.parse().ok()?;
        rest[end..].trim_start().starts_with("sec").then(|| Duration::from_secs_f64(n))
    })
}

/// A duration as `x-ratelimit-reset-*` and Go write it: `20ms`, `1.5s`,
/// `6m0s`, `1h2m3s`; a bare number is seconds. Pure.
pub(crate) fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(v) = s.parse::<f64>() {
        return (v >= 0.0 && v.is_finite()).then(|| Duration::from_secs_f64(v));
    }
    let mut total = 0.0;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let v: f64 = num.parse().ok()?;
        num.clear();
        let unit = match c {
            'h' => 3600.0,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                0.001
            }
            'm' => 60.0,
            's' => 1.0,
            _ => return None,
        };
        total += v * unit;
        any = true;
    }
    (any && num.is_empty() && total.is_finite()).then(|| Duration::from_secs_f64(total))
}

/// The wait a 429 or 503 asks for, from its headers (`h` looks one up):
/// `retry-after-ms`, `Retry-After`, LiteLLM's `llm_provider-retry-after`,
/// else the longest of `x-ratelimit-reset-requests` / `-tokens`. Pure.
pub(crate) fn retry_hint(
    h: &dyn Fn(&str) -> Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    let (ms, secs) = (h("retry-after-ms"), h("retry-after"));
    parse_retry_after(ms.as_deref(), secs.as_deref(), now)
        .or_else(|| parse_retry_after(None, h("llm_provider-retry-after").as_deref(), now))
        .or_else(|| {
            ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"]
                .iter()
                .filter_map(|n| h(n).as_deref().and_then(parse_duration))
                .max()
        })
}

#[derive(Deserialize)]
struct RawResponse {
    #[serde(default)]
    choices: Vec<RawChoice>,
    #[serde(default)]
    usage: Option<RawUsage>,
}

#[derive(Deserialize)]
struct RawChoice {
    #[serde(default)]
    message: Option<RawMessage>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct RawMessage {
    #[serde(default)]
    content: Option<Value>,
    #[serde(default)]
    refusal: Option<String>,
}

#[derive(Deserialize)]
struct RawUsage {
    #[serde(default)]
    prompt_tokens: u32,
    #[serde(default)]
    completion_tokens: u32,
}

/// Reads a chat-completion body. Pure. `finish_reason: "length"` and empty
/// content are failures: a cut answer is never taken for a summary.
///
/// # Errors
/// A body that is not a completion, a cut answer, an empty one.
/// The largest response body read for an answer capped at `cap` tokens: a
/// token is a few bytes, JSON escaping at most six per character, plus the
/// envelope. A server that ignores the cap (or streams without end) is cut
/// off here instead of filling memory and the token counter.
fn body_limit(cap: u32) -> usize {
    (1 << 20) + (cap as usize).saturating_mul(64)
}

/// The largest answer accepted for a cap of `cap` tokens (no tokenizer
/// writes more than 16 bytes per token).
fn answer_limit(cap: u32) -> usize {
    4096 + (cap as usize).saturating_mul(16)
}

/// Why a bounded read stopped.
pub(crate) enum Bounded {
    /// The connection failed.
    Http(reqwest::Error),
    /// The body is over this many bytes.
    Over(usize),
}

/// The body as text, refusing more than `limit` bytes without reading them.
async fn read_bounded(resp: reqwest::Response, limit: usize) -> Result<String, Bounded> {
    let bytes = read_bounded_bytes(resp, limit).await?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The body, refusing more than `limit` bytes without reading them.
pub(crate) async fn read_bounded_bytes(
    mut resp: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, Bounded> {
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(Bounded::Over(limit));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(Bounded::Http)? {
        if bytes.len() + chunk.len() > limit {
            return Err(Bounded::Over(limit));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

pub(crate) fn parse_response(body: &str, cap: u32) -> Result<Reply, ApiError> {
    let raw: RawResponse =
        serde_json::from_str(body).map_err(|e| ApiError::Decode(e.to_string()))?;
    let choice =
        raw.choices.into_iter().next().ok_or_else(|| ApiError::Decode("no choices".into()))?;
    if choice.finish_reason.as_deref() == Some("length") {
        return Err(ApiError::Truncated { cap });
    }
    let msg = choice.message.ok_or_else(|| ApiError::Decode("no message".into()))?;
    let content = match msg.content {
        Some(Value::String(s)) => s,
        // Content as an array of text parts.
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(""),
        _ => String::new(),
    };
    if content.trim().is_empty() {
        return Err(ApiError::Empty { refusal: msg.refusal });
    }
    if content.len() > answer_limit(cap) {
        return Err(ApiError::Decode(format!(
            "the answer is {} bytes, far over the output cap ({cap} tokens)",
            content.len()
        )));
    }
    let (prompt_tokens, completion_tokens) =
        raw.usage.map_or((0, 0), |u| (u.prompt_tokens, u.completion_tokens));
    Ok(Reply { content, prompt_tokens, completion_tokens })
}

/// Runs `op` until it succeeds or fails for good: what is retryable
/// ([`ApiError::is_retryable`]) is tried again up to `times` more times with
/// exponential backoff and jitter, waiting what the server asks
/// ([`retry_hint`]), and never past `budget` of waiting in all. Shared by the chat
/// and the speech clients; each retry counts in `retries`.
///
/// # Errors
/// The last error once retries are spent, or at once for what is not retried.
pub(crate) async fn with_retries<T, Fut>(
    times: usize,
    budget: Duration,
    retries: &std::sync::atomic::AtomicU64,
    op: impl FnMut() -> Fut,
) -> Result<T, ApiError>
where
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    // A server may ask for a whole rate-limit window (LiteLLM: 60 s): that
    // is waited out when the budget allows it.
    let max_retry_wait = budget.max(Duration::from_secs(1));
    let backoff = ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(500))
        .with_max_delay(Duration::from_secs(8))
        .with_factor(2.0)
        .with_jitter()
        .with_max_times(times)
        .with_total_delay(Some(budget));
    let started = Instant::now();
    op.retry(backoff)
        .when(|e: &ApiError| e.is_retryable())
        .adjust(move |e: &ApiError, dur| {
            let d = dur?;
            let wait = e.retry_after().map_or(d, |ra| ra.min(max_retry_wait));
            // Capped in total time: give up rather than wait past the budget.
            (started.elapsed() + wait <= budget + Duration::from_secs(5)).then_some(wait)
        })
        .notify(|e: &ApiError, d: Duration| {
            retries.fetch_add(1, Ordering::Relaxed);
            tracing::info!("retrying in {:.1}s: {e}", d.as_secs_f64());
        })
        .await
}

type Limiter = governor::DefaultDirectRateLimiter;

/// An HTTP client for one endpoint: the semaphore bounds concurrency, the
/// governor paces requests, and a 429's Retry-After pauses the whole pool.
pub(crate) struct Client {
    http: reqwest::Client,
    cfg: Arc<OpenAiConfig>,
    permits: Semaphore,
    limiter: Option<Limiter>,
    paused_until: Mutex<Option<Instant>>,
    /// The first fatal error (bad key, wrong URL): no request is sent after it.
    stopped: std::sync::Mutex<Option<ApiError>>,
    /// What the calls did.
    counters: Counters,
}

impl Client {
    /// A client for `cfg`.
    ///
    /// # Errors
    /// The TLS backend cannot start.
    pub(crate) fn new(cfg: Arc<OpenAiConfig>) -> Result<Client, ApiError> {
        let https = !cfg.base_url().get(..7).is_some_and(|p| p.eq_ignore_ascii_case("http://"));
        let http = fetch::http_client(cfg.timeout, Duration::from_secs(5), https).map_err(|e| {
            ApiError::Transport { endpoint: cfg.shown_endpoint(), message: e.to_string() }
        })?;
        let limiter = cfg.requests_per_minute.and_then(NonZeroU32::new).and_then(|n| {
            // One request per 60/n seconds, never a burst: `per_minute(n)`
            // lets n requests out at once, which a server counting per
            // minute refuses.
            let period = Duration::from_secs_f64(60.0 / f64::from(n.get()));
            governor::Quota::with_period(period)
                .map(|q| governor::RateLimiter::direct(q.allow_burst(NonZeroU32::MIN)))
        });
        Ok(Client {
            http,
            permits: Semaphore::new(cfg.chat.concurrency.max(1)),
            cfg,
            limiter,
            paused_until: Mutex::new(None),
            stopped: std::sync::Mutex::new(None),
            counters: Counters::default(),
        })
    }

    /// Sends `req`, retrying what is worth retrying.
    ///
    /// # Errors
    /// The last error once retries are spent, or at once for what is not retried.
    pub(crate) async fn send_retrying(&self, req: &RequestData, cap: u32) -> Result<Reply, ApiError> {
        let (times, budget) = (self.cfg.max_retries, self.cfg.retry_budget);
        with_retries(times, budget, &self.counters.retries, || self.attempt(req, cap)).await
    }

    async fn attempt(&self, req: &RequestData, cap: u32) -> Result<Reply, ApiError> {
        let shown = self.cfg.secrets.redact(&req.url).into_owned();
        let endpoint = shown.as_str();
        let _permit = self.permits.acquire().await.map_err(|_| ApiError::Transport {
            endpoint: endpoint.to_owned(),
            message: "client closed".into(),
        })?;
        if let Some(e) = self.stopped.lock().ok().and_then(|s| s.clone()) {
            return Err(e);
        }
        let waited = Instant::now();
        if let Some(l) = &self.limiter {
            l.until_ready().await;
        }
        let pause = *self.paused_until.lock().await;
        if let Some(until) = pause {
            tokio::time::sleep_until(until.into()).await;
        }
        let waited = waited.elapsed();
        if waited >= Duration::from_millis(500) {
            // The real wait, whatever the retry's own backoff said.
            tracing::info!(
                "waited {:.1}s for requests_per_minute / the server's rate limit",
                waited.as_secs_f64()
            );
        }
        let n = self.counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.counters.max_in_flight.fetch_max(n, Ordering::SeqCst);
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let span = tracing::debug_span!("call", endpoint, model = %self.cfg.chat.model);
        let _g = span.enter();
        let t0 = Instant::now();
        // Whatever the server said goes through the redactor before anyone sees it.
        let out = self.post(req, cap).await.map_err(|e| e.redacted(&self.cfg.secrets));
        self.counters.in_flight.fetch_sub(1, Ordering::SeqCst);
        tracing::debug!(
            "call {} in {} ms: {}",
            endpoint,
            t0.elapsed().as_millis(),
            match &out {
                Ok(_) => "ok".to_owned(),
                Err(e) => e.to_string(),
            }
        );
        if let Err(ApiError::Status { status: 429, retry_after: Some(ra), .. }) = &out {
            // Slow the whole pool down, not only this request.
            let until = Instant::now() + (*ra).min(Duration::from_secs(60));
            let mut p = self.paused_until.lock().await;
            if p.is_none_or(|t| t < until) {
                *p = Some(until);
            }
        }
        if let Err(e) = &out
            && e.is_fatal()
            && let Ok(mut s) = self.stopped.lock()
        {
            s.get_or_insert_with(|| e.clone());
        }
        if let Ok(r) = &out {
            self.counters.calls.fetch_add(1, Ordering::Relaxed);
            self.counters.prompt_tokens.fetch_add(u64::from(r.prompt_tokens), Ordering::Relaxed);
            self.counters
                .completion_tokens
                .fetch_add(u64::from(r.completion_tokens), Ordering::Relaxed);
        }
        out
    }

    async fn post(&self, req: &RequestData, cap: u32) -> Result<Reply, ApiError> {
        let shown = self.cfg.secrets.redact(&req.url).into_owned();
        let endpoint = shown.as_str();
        let transport = |e: reqwest::Error| {
            let what = if e.is_timeout() {
                format!("timed out after {} s", self.cfg.timeout.as_secs())
            } else if e.is_connect() {
                "cannot connect".to_owned()
            } else {
                "request failed".to_owned()
            };
            // reqwest's Display carries the URL, never the headers.
            let cause =
                std::error::Error::source(&e).map(|c| format!(" ({c})")).unwrap_or_default();
            ApiError::Transport { endpoint: endpoint.to_owned(), message: format!("{what}{cause}") }
        };
        let mut rb = self.http.post(req.url.as_str()).json(&req.body);
        if let Some(key) = &self.cfg.api_key {
            rb = if self.cfg.is_azure() {
                rb.header("api-key", key.expose())
            } else {
                rb.bearer_auth(key.expose())
            };
        }
        for (k, v) in &self.cfg.extra_headers {
            rb = rb.header(k, v.expose());
        }
        let resp = rb.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = read_bounded(resp, body_limit(cap)).await.map_err(|e| match e {
            Bounded::Http(e) => transport(e),
            Bounded::Over(limit) => ApiError::Decode(format!(
                "the response is larger than {limit} bytes, far over the output cap ({cap} tokens)"
            )),
        })?;
        if !(200..300).contains(&status) {
            let ra = retry_hint(&h, chrono::Utc::now());
            let body = self.cfg.secrets.redact(&body);
            return Err(classify_status(endpoint, status, &body, ra));
        }
        parse_response(&body, cap)
    }
}

impl ChatClient for Client {
    fn config(&self) -> &ChatConfig {
        &self.cfg.chat
    }

    fn counters(&self) -> &Counters {
        &self.counters
    }

    fn secrets(&self) -> &Redactor {
        &self.cfg.secrets
    }

    fn endpoint(&self) -> String {
        self.cfg.shown_endpoint()
    }

    fn build_request(
        &self,
        messages: &[Message],
        schema: Option<(&str, &Value)>,
        max_tokens: u32,
    ) -> RequestData {
        build_request(&self.cfg, messages, schema, max_tokens)
    }

    fn send<'a>(&'a self, req: &'a RequestData, cap: u32) -> ReplyFuture<'a> {
        Box::pin(self.send_retrying(req, cap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::providers::{ProviderConfig, ProviderFlags};

    pub(crate) fn cfg() -> OpenAiConfig {
        OpenAiConfig {
            chat: ChatConfig {
                kind: "openai",
                name: "t".into(),
                base_url: Some("http://127.0.0.1:9/v1".into()),
                model: "m".into(),
                max_output_tokens: 100,
                context_window: 8000,
                concurrency: 2,
                tokens: crate::llm::chat::Tokens::default(),
                structured: Structured::JsonObject,
                price_prompt_per_mtok: None,
                price_completion_per_mtok: None,
            },
            base_url: Secret::new("http://127.0.0.1:9/v1".into()),
            secrets: Redactor::new(),
            api_key: Some(Secret::new("sk-secret".into())),
            api_key_env: "OPENAI_API_KEY".into(),
            temperature: None,
            use_max_completion_tokens: false,
            timeout: Duration::from_secs(5),
            requests_per_minute: None,
            extra_headers: BTreeMap::new(),
            extra_body: None,
            max_retries: 2,
            retry_budget: Duration::from_secs(10),
        }
    }

    fn resolved(
        name: &str,
        table: &str,
        flags: &ProviderFlags,
        env: &[(&str, &str)],
    ) -> Result<OpenAiConfig, String> {
        let config: ProviderConfig = toml::from_str(table).unwrap();
        let env = |k: &str| env.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned());
        resolve(&ProviderSpec { kind: "openai", name, config: &config, flags, env: &env })
    }

    #[test]
    fn resolution_reads_its_key_and_openai_base_url() {
        let none = ProviderFlags::default();
        let c = resolved("openai", "", &none, &[]).unwrap();
        assert_eq!((c.base_url(), c.chat.model.as_str()), (OPENAI_BASE_URL, OPENAI_MODEL));
        assert!(c.api_key.is_none());
        let env = [("OPENAI_BASE_URL", "http://env/v1/"), ("OPENAI_API_KEY", "sk-x")];
        let c = resolved("openai", "base_url = \"http://file/v1\"", &none, &env).unwrap();
        assert_eq!(c.base_url(), "http://env/v1");
        assert_eq!(c.api_key.as_ref().map(Secret::expose), Some("sk-x"));
        let flag = ProviderFlags { base_url: Some("http://flag/v1".into()), ..none.clone() };
        assert_eq!(resolved("openai", "", &flag, &env).unwrap().base_url(), "http://flag/v1");
        // A provider with its own key variable reads it; OPENAI_BASE_URL is not its.
        let ds = "base_url = \"https://api.deepseek.com\"\nmodel = \"deepseek-chat\"\napi_key_env = \"DS_KEY\"";
        let c = resolved("ds", ds, &none, &env).unwrap();
        assert_eq!(c.base_url(), "https://api.deepseek.com");
        assert!(c.api_key.is_none());
        let c = resolved("ds", ds, &none, &[("DS_KEY", "k2")]).unwrap();
        assert_eq!(c.api_key.as_ref().map(Secret::expose), Some("k2"));
        assert!(!format!("{c:?}").contains("k2"), "the key never prints");
        // Only the provider named `openai` has a default model.
        let e = resolved("local", "", &none, &[]).unwrap_err();
        assert_eq!(e, "provider `local` has no `model` (use --model)");
    }

    #[test]
    fn credentials_are_sent_but_shown_redacted() {
        let flags = ProviderFlags {
            base_url: Some("https://u:pass-W0RD-1@h.example/v1?api-version=1&api_key=QK-12345678".into()),
            ..ProviderFlags::default()
        };
        let table = "model = \"m\"\n[extra_headers]\nx-tenant = \"HDR-1234567\"";
        let c = resolved("az", table, &flags, &[("OPENAI_API_KEY", "sk-key-123456")]).unwrap();
        // Requests go to the URL as given; messages and digest.json see it redacted.
        assert!(c.endpoint().contains("pass-W0RD-1") && c.endpoint().contains("QK-12345678"));
        let debug = format!("{c:?}");
        assert!(!debug.contains("pass-W0RD") && !debug.contains("HDR-1234567"), "{debug}");
        assert_eq!(
            c.chat.base_url.as_deref(),
            Some("https://[redacted]@h.example/v1?api-version=1&api_key=[redacted]")
        );
        assert_eq!(
            c.shown_endpoint(),
            "https://[redacted]@h.example/v1/chat/completions?api-version=1&api_key=[redacted]"
        );
        let echo = "Bearer sk-key-123456, x-tenant: HDR-1234567, pass-W0RD-1, QK-12345678";
        assert_eq!(
            c.secrets.redact(echo),
            "Bearer [redacted], x-tenant: [redacted], [redacted], [redacted]"
        );
        // The cache key is the request as sent: the same before and after redaction.
        let r = build_request(&c, &[Message::new("user", "hi")], None, 50);
        assert!(r.url.contains("QK-12345678"));
        let e = classify_status(&c.shown_endpoint(), 401, &c.secrets.redact(echo), None)
            .redacted(&c.secrets);
        assert!(!e.to_string().contains("sk-key-123456") && !e.to_string().contains("QK-1"), "{e}");
    }

    #[test]
    fn request_has_only_what_is_set_and_never_the_key() {
        let c = cfg();
        let r = build_request(&c, &[Message::new("user", "hi")], None, 50);
        assert_eq!(r.url, "http://127.0.0.1:9/v1/chat/completions");
        let b = r.body.as_object().unwrap();
        let mut keys: Vec<&str> = b.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["max_tokens", "messages", "model", "response_format"]);
        assert!(!r.body.to_string().contains("sk-secret"));
        let mut c2 = cfg();
        c2.use_max_completion_tokens = true;
        c2.chat.structured = Structured::Off;
        c2.temperature = Some(0.2);
        c2.extra_body =
            Some(serde_json::from_str(r#"{"enable_thinking": false, "max_tokens": 9}"#).unwrap());
        let r2 = build_request(&c2, &[Message::new("user", "hi")], None, 50);
        assert_eq!(r2.body["max_completion_tokens"], 50);
        assert!(r2.body.get("max_tokens").is_none(), "never both caps");
        assert_eq!(r2.body["enable_thinking"], false);
        assert_ne!(r.cache_key(), r2.cache_key());
        let mut az = cfg();
        az.base_url = Secret::new(
            "https://x.openai.azure.com/openai/deployments/d?api-version=2024-10-21".into(),
        );
        assert_eq!(
            az.endpoint(),
            "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21"
        );
    }

    #[test]
    fn responses_are_read_strictly() {
        let ok = r#"{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"{\"summary\":\"s\"}"},"finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}"#;
        let r = parse_response(ok, 10).unwrap();
        assert_eq!((r.prompt_tokens, r.completion_tokens), (3, 4));
        let cut = ok.replace("\"stop\"", "\"length\"");
        assert_eq!(parse_response(&cut, 10), Err(ApiError::Truncated { cap: 10 }));
        let empty = ok.replace(r#""{\"summary\":\"s\"}""#, "null");
        assert!(matches!(parse_response(&empty, 10), Err(ApiError::Empty { .. })));
        assert!(matches!(parse_response("<html>", 10), Err(ApiError::Decode(_))));
        // An answer far over its cap (a server that ignores max_tokens, a
        // `[[[…` loop) is refused before anything parses or counts it.
        let huge = ok.replace(r#"{\"summary\":\"s\"}"#, &"[".repeat(200_000));
        let e = parse_response(&huge, 1000).unwrap_err();
        assert!(e.to_string().contains("far over the output cap (1000 tokens)"), "{e}");
    }

    #[test]
    fn errors_are_classified() {
        let e = classify_status(
            "u",
            400,
            r#"{"error":{"message":"This model's maximum context length is 10","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
            None,
        );
        assert!(matches!(e, ApiError::ContextLength { .. }));
        let e = classify_status(
            "u",
            429,
            r#"{"error":{"message":"quota","type":"insufficient_quota","code":"insufficient_quota"}}"#,
            None,
        );
        assert!(!e.is_retryable() && e.is_fatal());
        let e =
            classify_status("u", 429, r#"{"error":{"message":"slow down","code":"429"}}"#, None);
        assert!(e.is_retryable());
        let e = classify_status("u", 401, r#"{"error":"bad key"}"#, None);
        assert!(!e.is_retryable() && e.is_fatal());
        assert_eq!(e.to_string(), "`u` answered 401: bad key");
        let e = classify_status("u", 503, "Service Unavailable", None);
        assert!(e.is_retryable());
        assert!(e.to_string().contains("Service Unavailable"));
    }

    #[test]
    fn real_servers_context_and_rate_limit_phrasings() {
        for m in [
            "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens",
            "the request exceeds the available context size, try increasing it",
            "litellm.ContextWindowExceededError: litellm.BadRequestError: ContextWindowExceededError",
            "input length exceeds the context length",
            "prompt too long; exceeded max context length by 12 tokens",
        ] {
            let e = classify_status("u", 400, &json!({"error": {"message": m}}).to_string(), None);
            assert!(matches!(e, ApiError::ContextLength { .. }), "{m}");
        }
        let e = classify_status(
            "u",
            400,
            r#"{"error":{"message":"x","type":"exceed_context_size_error","code":400}}"#,
            None,
        );
        assert!(matches!(e, ApiError::ContextLength { .. }), "llama.cpp's type");
        assert_eq!(try_again_in("Please try again in 20s."), Some(Duration::from_secs(20)));
        assert_eq!(try_again_in("try again in 1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(try_again_in("Try again in 6m0s"), Some(Duration::from_secs(360)));
        assert_eq!(try_again_in("try again in 120ms"), Some(Duration::from_millis(120)));
        assert_eq!(try_again_in("try again in 30 seconds"), Some(Duration::from_secs(30)));
        assert_eq!(try_again_in("try again later"), None);
        assert_eq!(parse_duration("1h2m3s"), Some(Duration::from_secs(3723)));
        assert_eq!(parse_duration("2x"), None);
        let now = chrono::Utc::now();
        let hs = |pairs: &'static [(&'static str, &'static str)]| {
            move |n: &str| pairs.iter().find(|(k, _)| *k == n).map(|(_, v)| (*v).to_owned())
        };
        assert_eq!(
            retry_hint(&hs(&[("llm_provider-retry-after", "60")]), now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_hint(
                &hs(&[("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-reset-tokens", "6m0s")]),
                now
            ),
            Some(Duration::from_secs(360))
        );
        assert_eq!(
            retry_hint(&hs(&[("retry-after", "3"), ("llm_provider-retry-after", "60")]), now),
            Some(Duration::from_secs(3))
        );
        let e = classify_status("u", 429, r#"{"error":{"message":"Please try again in 7s"}}"#, None);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        // Configuration errors are fatal, whatever --fallback says.
        for (status, m) in [
            (404, "The model `x` does not exist."),
            (400, "Invalid model name passed in model=x"),
            (400, "No connected db."),
            (400, "model 'x' not found"),
        ] {
            let e = classify_status("u", status, &json!({"error": {"message": m}}).to_string(), None);
            assert!(e.is_fatal() && !e.is_retryable(), "{m}");
        }
        let e = classify_status("u", 400, r#"{"error":{"message":"No connected db."}}"#, None);
        assert!(e.to_string().contains("the key may be wrong"), "{e}");
        assert!(!classify_status("u", 400, r#"{"error":"bad request"}"#, None).is_fatal());
    }

    #[tokio::test]
    async fn the_pacer_lets_one_request_out_per_period() {
        let mut c = cfg();
        c.requests_per_minute = Some(600);
        let client = Client::new(Arc::new(c)).unwrap();
        let l = client.limiter.as_ref().unwrap();
        assert!(l.check().is_ok(), "the first at once");
        assert!(l.check().is_err(), "never a burst: the second waits 0.1 s");
    }

    #[test]
    fn retry_after_forms() {
        let now =
            chrono::DateTime::parse_from_rfc2822("Wed, 21 Oct 2015 07:28:00 GMT").unwrap().to_utc();
        assert_eq!(
            parse_retry_after(Some("1500"), Some("9"), now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after(None, Some("2"), now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after(None, Some("Wed, 21 Oct 2015 07:28:03 GMT"), now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(parse_retry_after(None, None, now), None);
    }
}
