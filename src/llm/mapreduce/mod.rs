//! Map and reduce over an OpenAI-compatible provider.
//!
//! Map: one call per section (the sections the extractive summariser
//! summarises), concurrently within the client's limits. A section larger
//! than the budget (context window − prompt − output − margin) is split at
//! sentence boundaries before sending; a context-length error splits it
//! further. Each answer is JSON checked with serde (one repair retry), in the
//! speech's script (one retry, then a warning), never cut (one tighter retry,
//! then an error). Reduce: the overview, newsletter lines and discussion
//! questions from the section summaries, hierarchically when they are too
//! big (each level at least halves the items, so it ends). Every answer is
//! cached under the request's hash as soon as it is good, so a run that
//! fails halfway keeps what it paid for. Every answer passes through the
//! provider's redactor as it arrives (and as it leaves the cache): a model
//! that repeats the key puts it in no output, digest or cache row. The cache
//! key is the hash of the request as sent (credentials included), so caches
//! written before redaction stay valid; the `endpoint` column is redacted.

mod answer;
mod map;
mod plan;
mod reduce;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde::de::DeserializeOwned;
use serde_json::Value;

pub(crate) use self::answer::{ModelReduce, extract_json};
pub(crate) use self::plan::{Plan, plan};

use crate::error::{ApiError, SectionError};
use crate::llm::chat::{ChatClient, Message, Reply, RequestData};
use crate::llm::prompts::Prompts;
use crate::model::{DigestWarning, Lang, Outline, Summaries};
use crate::store::Store;

/// What one run shares: the client, the cache, the prompts, the options.
pub(crate) struct ApiRun {
    /// The provider (any registered kind).
    pub client: Arc<dyn ChatClient>,
    /// The response cache.
    pub cache: Option<std::sync::Mutex<Store>>,
    /// The prompts.
    pub prompts: Prompts,
    /// Drop unsupported claims.
    pub strict: bool,
    /// Fill failing sections extractively.
    pub fallback: bool,
    /// Answers taken from the cache.
    pub cached: std::sync::atomic::AtomicU64,
}

pub(super) fn fences(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Zh => ("<<<讲话原文>>>", "<<<原文结束>>>"),
        Lang::En => ("<<<SPEECH>>>", "<<<END OF SPEECH>>>"),
    }
}

pub(super) fn joiner(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "" } else { " " }
}

pub(super) fn strip_fences(s: &str, lang: Lang) -> String {
    let (a, b) = fences(lang);
    s.replace(a, "").replace(b, "").trim().to_owned()
}

impl ApiRun {
    fn cache_get(&self, key: &str) -> Option<Reply> {
        let store = self.cache.as_ref()?.lock().ok()?;
        let raw = store.cache_get(key).ok()??;
        // A cache written before redaction may hold an echoed key.
        serde_json::from_str(&raw).ok().map(|r| self.redacted(r))
    }

    /// The reply with its content through the provider's redactor.
    fn redacted(&self, mut reply: Reply) -> Reply {
        if let std::borrow::Cow::Owned(c) = self.client.secrets().redact(&reply.content) {
            reply.content = c;
        }
        reply
    }

    /// Sends `req`; the answer comes back redacted.
    async fn ask(&self, req: &RequestData, cap: u32) -> Result<Reply, ApiError> {
        self.client.send(req, cap).await.map(|r| self.redacted(r))
    }

    fn cache_put(&self, key: &str, req: &RequestData, reply: &Reply) {
        let Some(c) = &self.cache else { return };
        let Ok(store) = c.lock() else { return };
        let Ok(raw) = serde_json::to_string(reply) else { return };
        let endpoint = self.client.secrets().redact(&req.url);
        if let Err(e) = store.cache_put(
            key,
            &endpoint,
            &self.client.config().model,
            &raw,
            (reply.prompt_tokens, reply.completion_tokens),
        ) {
            tracing::warn!("cache: {}", crate::error::chain(&e));
        }
    }

    /// One JSON answer for `messages`: from the cache, else from the
    /// endpoint with one repair retry on invalid JSON. A plain-text answer
    /// is taken as it is when `plain` can read it (structured `off`).
    pub(super) async fn call_json<T: DeserializeOwned>(
        &self,
        messages: Vec<Message>,
        schema: (&str, &Value),
        plain: fn(&str) -> Option<T>,
    ) -> Result<T, ApiError> {
        let cap = self.client.config().max_output_tokens;
        let req = self.client.build_request(&messages, Some(schema), cap);
        let key = req.cache_key();
        if let Some(r) = self.cache_get(&key)
            && let Ok(v) = extract_json::<T>(&r.content)
        {
            self.cached.fetch_add(1, Ordering::Relaxed);
            return Ok(v);
        }
        let reply = self.ask(&req, cap).await?;
        let err = match extract_json::<T>(&reply.content) {
            Ok(v) => {
                self.cache_put(&key, &req, &reply);
                return Ok(v);
            }
            Err(e) => e,
        };
        if !reply.content.contains('{')
            && let Some(v) = plain(&reply.content)
        {
            self.cache_put(&key, &req, &reply);
            return Ok(v);
        }
        tracing::info!("invalid JSON ({err}); asking for a repair");
        let mut repair = messages.clone();
        repair.push(Message::new("assistant", reply.content.clone()));
        repair.push(Message::new(
            "user",
            format!("That was not valid JSON ({err}). Reply with only the JSON object, in this format: {}", schema.1),
        ));
        let req2 = self.client.build_request(&repair, Some(schema), cap);
        let fixed = self.ask(&req2, cap).await?;
        match extract_json::<T>(&fixed.content) {
            Ok(v) => {
                // Cached under the first request, so a rerun costs nothing.
                self.cache_put(&key, &req, &fixed);
                Ok(v)
            }
            Err(e) => Err(ApiError::Invalid(e)),
        }
    }
}

/// Everything the API path produced for a speech.
#[derive(Debug, Clone)]
pub(crate) struct ApiOutcome {
    /// Summaries (API sections, extractive overview and scores for facts).
    pub summaries: Summaries,
    /// The reduce step's answer (guarded).
    pub reduce: Option<ModelReduce>,
    /// Guard, language and fallback warnings.
    pub warnings: Vec<DigestWarning>,
    /// Sections filled extractively.
    pub degraded: usize,
}

/// Map and reduce for one speech. `progress` is told about each finished call.
///
/// # Errors
/// The first section that fails (without `--fallback`), or a fatal error
/// (bad key, wrong URL, no quota) even with it.
pub(crate) async fn summarize(
    run: Arc<ApiRun>,
    outline: &Outline,
    base: Summaries,
    plan: Plan,
    progress: &indicatif::ProgressBar,
) -> Result<ApiOutcome, SectionError> {
    let mut warnings = Vec::new();
    let (sections, degraded) =
        map::map_sections(&run, &plan, &base, progress, &mut warnings).await?;
    let reduce =
        reduce::overview(&run, outline, &base, &sections, plan.budget, progress, &mut warnings)
            .await?;
    Ok(ApiOutcome { summaries: Summaries { sections, ..base }, reduce, warnings, degraded })
}
