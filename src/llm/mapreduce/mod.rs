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

use serde_json::Value;

use self::answer::Answer;
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
    /// Keep a run whose sections all degraded (`--allow-degraded`).
    pub allow_degraded: bool,
    /// Calls (first attempts and repairs) the run may make (`--max-calls`).
    pub max_calls: Option<u64>,
    /// Calls made so far, for `max_calls`.
    pub sent: std::sync::atomic::AtomicU64,
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

    /// Sends `req`; the answer comes back redacted. Refused before it is
    /// sent when the run has made `--max-calls` calls already.
    async fn ask(&self, req: &RequestData, cap: u32) -> Result<Reply, ApiError> {
        if let Some(max) = self.max_calls {
            let n = self.sent.fetch_add(1, Ordering::SeqCst);
            if n >= max {
                return Err(ApiError::Cap(format!(
                    "the run made its {max} calls (--max-calls {max}); stopping before the next"
                )));
            }
        }
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

    /// One usable JSON answer for `messages`: from the cache, else from the
    /// endpoint with one repair request (in `lang`, with `example`) when the
    /// answer is not JSON, is a JSON Schema copied back, or misses its
    /// required content ([`Answer::problem`]). Only a usable answer is
    /// cached, so a rerun asks again after an unusable one. A plain-text
    /// answer is taken as it is when `plain` can read it (structured `off`).
    pub(super) async fn call_json<T: Answer>(
        &self,
        lang: Lang,
        messages: Vec<Message>,
        schema: (&str, &Value),
        example: &Value,
        plain: fn(&str) -> Option<T>,
    ) -> Result<T, ApiError> {
        let cap = self.client.config().max_output_tokens;
        let req = self.client.build_request(&messages, Some(schema), cap);
        let key = req.cache_key();
        if let Some(r) = self.cache_get(&key)
            && let Ok(v) = usable::<T>(&r.content, lang, plain)
        {
            self.cached.fetch_add(1, Ordering::Relaxed);
            return Ok(v);
        }
        let reply = self.ask(&req, cap).await?;
        let why = match usable::<T>(&reply.content, lang, plain) {
            Ok(v) => {
                self.cache_put(&key, &req, &reply);
                return Ok(v);
            }
            Err(why) => why,
        };
        tracing::info!("unusable answer ({why}); asking for a repair");
        let mut repair = messages.clone();
        repair.push(Message::new("assistant", reply.content.clone()));
        repair.push(Message::new("user", answer::repair_request(lang, &why, example)));
        let req2 = self.client.build_request(&repair, Some(schema), cap);
        let fixed = self.ask(&req2, cap).await?;
        match usable::<T>(&fixed.content, lang, plain) {
            Ok(v) => {
                // Cached under the first request, so a rerun costs nothing.
                self.cache_put(&key, &req, &fixed);
                Ok(v)
            }
            Err(e) => Err(ApiError::Invalid(e)),
        }
    }
}

/// The answer read and checked: JSON of `T` (or plain text `plain` reads,
/// when there is no `{`), not a schema, with its required content. Pure.
fn usable<T: Answer>(content: &str, lang: Lang, plain: fn(&str) -> Option<T>) -> Result<T, String> {
    if answer::is_schema_echo(content) {
        return Err(match lang {
            Lang::Zh => "回答的是 JSON Schema，不是内容".to_owned(),
            Lang::En => "it is the JSON Schema, not an answer".to_owned(),
        });
    }
    let v = match extract_json::<T>(content) {
        Ok(v) => v,
        Err(e) => match plain(content).filter(|_| !content.contains('{')) {
            Some(v) => v,
            None => {
                return Err(match lang {
                    Lang::Zh => format!("不是有效的 JSON（{e}）"),
                    Lang::En => format!("not valid JSON ({e})"),
                });
            }
        },
    };
    match v.problem(lang) {
        Some(why) => Err(why),
        None => Ok(v),
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
    /// Every section asked for failed (kept with `--allow-degraded`).
    pub all_degraded: bool,
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
    let (sections, degraded, last) =
        map::map_sections(&run, &plan, &base, progress, &mut warnings).await?;
    let all_degraded = degraded > 0 && degraded == plan.jobs.len();
    if all_degraded {
        if !run.allow_degraded {
            return Err(SectionError {
                section: "all".into(),
                source: ApiError::AllDegraded {
                    sections: degraded,
                    last: Box::new(last.unwrap_or(ApiError::Empty { refusal: None })),
                },
            });
        }
        // Nothing the model wrote to reduce: no overview call.
        tracing::warn!(
            "{}: all {degraded} sections failed; the digest is extractive (--allow-degraded)",
            outline.meta.source
        );
        let summaries = Summaries { sections, ..base };
        return Ok(ApiOutcome { summaries, reduce: None, warnings, degraded, all_degraded });
    }
    let reduce =
        reduce::overview(&run, outline, &base, &sections, &plan, progress, &mut warnings).await?;
    Ok(ApiOutcome {
        summaries: Summaries { sections, ..base },
        reduce,
        warnings,
        degraded,
        all_degraded,
    })
}
