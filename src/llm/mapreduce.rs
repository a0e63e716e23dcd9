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
//! fails halfway keeps what it paid for.

use std::sync::atomic::Ordering;
use std::sync::{Arc, LazyLock};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::summarize::guard;

use crate::error::ApiError;
use crate::error::SectionError;
use crate::llm::openai::{Client, Message, Reply, RequestData, build_request};
use crate::llm::prompts::{PromptContext, Prompts};
use crate::model::DigestWarning;
use crate::model::Lang;
use crate::model::Outline;
use crate::model::{KeyPoint, SectionSummary, SentenceRef, Summaries};
use crate::store::Store;
use crate::summarize::guard::Flag;
use crate::text::is_han;

/// Tokens kept free besides the prompt and the answer.
const MARGIN: usize = 256;

static BPE: LazyLock<Option<tiktoken_rs::CoreBPE>> =
    LazyLock::new(|| tiktoken_rs::o200k_base().ok());

/// Tokens of `text`: the larger of `o200k_base` and a conservative estimate
/// (one per Han character, one per three other characters), because other
/// providers' tokenizers split Chinese more finely than OpenAI's.
pub fn count_tokens(text: &str) -> usize {
    let han = text.chars().filter(|c| is_han(*c)).count();
    let other = text.chars().count() - han;
    let estimate = han + other.div_ceil(3);
    let bpe = BPE.as_ref().map_or(0, |b| b.encode_ordinary(text).len());
    bpe.max(estimate)
}

/// What one run shares: the client, the cache, the prompts, the options.
pub struct ApiRun {
    /// The endpoint's client.
    pub client: Client,
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

/// One section to summarise, split into chunks.
#[derive(Debug, Clone)]
pub struct Job {
    /// Index into `Summaries::sections`.
    pub index: usize,
    /// The prompt context without text.
    pub ctx: PromptContext,
    /// The section's sentences.
    pub sentences: Vec<SentenceRef>,
    /// The chunks, as ranges of `sentences`.
    pub chunks: Vec<std::ops::Range<usize>>,
}

/// The plan of a speech: what `--dry-run` prints.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The speech's language.
    pub lang: Lang,
    /// The jobs.
    pub jobs: Vec<Job>,
    /// Tokens a chunk may have.
    pub budget: usize,
    /// Prompt tokens of all map calls.
    pub prompt_tokens: usize,
    /// Reduce calls (estimate).
    pub reduce_calls: usize,
}

impl Plan {
    /// Calls the plan makes (first attempts only).
    pub fn calls(&self) -> usize {
        self.jobs.iter().map(|j| j.chunks.len()).sum::<usize>() + self.reduce_calls
    }
}

fn fences(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Zh => ("<<<讲话原文>>>", "<<<原文结束>>>"),
        Lang::En => ("<<<SPEECH>>>", "<<<END OF SPEECH>>>"),
    }
}

fn joiner(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "" } else { " " }
}

fn section_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "summary": {"type": "string"},
            "key_points": {"type": "array", "items": {
                "type": "object",
                "properties": {"text": {"type": "string"}, "sentence": {"type": "string"}},
                "required": ["text", "sentence"], "additionalProperties": false}},
            "quotes": {"type": "array", "items": {"type": "string"}},
            "terms": {"type": "array", "items": {"type": "string"}},
            "figures": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["summary", "key_points", "quotes", "terms", "figures"],
        "additionalProperties": false
    })
}

fn reduce_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "overview": {"type": "string"},
            "newsletter": {"type": "array", "items": {"type": "string"}},
            "questions": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["overview", "newsletter", "questions"],
        "additionalProperties": false
    })
}

fn length_target(lang: Lang, chars: usize) -> usize {
    match lang {
        Lang::Zh => (chars / 6).clamp(60, 300),
        Lang::En => (chars / 30).clamp(40, 160),
    }
}

/// Plans the map step: the sections of `base`, their sentences, and chunks
/// within the budget.
///
/// # Errors
/// A prompt that does not render, or a context window too small for any text.
pub fn plan(
    outline: &Outline,
    base: &Summaries,
    prompts: &Prompts,
    context_window: u32,
    max_output: u32,
) -> Result<Plan, String> {
    let lang = outline.meta.lang;
    let (fo, fc) = fences(lang);
    let all = outline.walk();
    let mut jobs = Vec::new();
    let mut budget = usize::MAX;
    let mut prompt_tokens = 0;
    for (index, s) in base.sections.iter().enumerate() {
        let Some(sec) = all.iter().find(|x| x.id == s.section_id) else { continue };
        let mut sentences = Vec::new();
        for part in sec.walk() {
            for p in &part.paragraphs {
                for x in &p.sentences {
                    sentences.push(SentenceRef {
                        section_id: part.id.clone(),
                        text: x.text.clone(),
                        span: x.span,
                    });
                }
            }
        }
        if sentences.is_empty() {
            continue;
        }
        let ctx = PromptContext {
            title: outline.meta.title.clone().unwrap_or_default(),
            speaker: outline.meta.speaker.clone(),
            date: outline.meta.date.clone(),
            section_id: s.section_id.clone(),
            label: s.label.clone(),
            heading: s.heading.clone(),
            part_no: 1,
            part_of: 1,
            text: String::new(),
            length: length_target(lang, s.chars),
            tighter: false,
            strict_language: false,
            schema: serde_json::to_string(&section_schema()).unwrap_or_default(),
            fence_open: fo.to_owned(),
            fence_close: fc.to_owned(),
        };
        let (sys, user) =
            prompts.render(section_prompt(lang), &ctx).map_err(|e| crate::error::chain(&e))?;
        let overhead = count_tokens(&sys) + count_tokens(&user) + 16;
        let b = (context_window as usize).saturating_sub(
            overhead + max_output as usize + MARGIN.max(context_window as usize / 20),
        );
        if b < 64 {
            return Err(format!(
                "context_window {context_window} leaves no room for text after the prompt ({overhead} tokens) and max_output_tokens {max_output}"
            ));
        }
        budget = budget.min(b);
        let chunks = split_by_tokens(&sentences, b);
        for c in &chunks {
            let text: String = sentences[c.clone()]
                .iter()
                .map(|x| x.text.as_str())
                .collect::<Vec<_>>()
                .join(joiner(lang));
            prompt_tokens += overhead + count_tokens(&text);
        }
        jobs.push(Job { index, ctx, sentences, chunks });
    }
    let reduce_calls = usize::from(!jobs.is_empty());
    Ok(Plan {
        lang,
        jobs,
        budget: if budget == usize::MAX { 0 } else { budget },
        prompt_tokens,
        reduce_calls,
    })
}

fn section_prompt(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "section.zh.tera" } else { "section.en.tera" }
}

fn reduce_prompt(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "reduce.zh.tera" } else { "reduce.en.tera" }
}

/// Sentence ranges of at most `budget` tokens each (a longer sentence alone).
pub fn split_by_tokens(sentences: &[SentenceRef], budget: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, s) in sentences.iter().enumerate() {
        let t = count_tokens(&s.text);
        if i > start && used + t > budget {
            out.push(start..i);
            start = i;
            used = 0;
        }
        used += t;
    }
    if start < sentences.len() {
        out.push(start..sentences.len());
    }
    out
}

/// What the model returns for a section.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ModelSection {
    /// The summary.
    pub summary: String,
    /// Key points with their source sentence.
    pub key_points: Vec<ModelPoint>,
    /// Verbatim quotations.
    pub quotes: Vec<String>,
    /// Terms.
    pub terms: Vec<String>,
    /// Figures.
    pub figures: Vec<String>,
}

/// A key point as the model gives it: an object, or a bare string.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ModelPoint {
    /// `{"text", "sentence"}`.
    Full {
        /// The point.
        text: String,
        /// Its sentence in the source.
        #[serde(default)]
        sentence: String,
    },
    /// A string.
    Bare(String),
}

/// What the model returns for the reduce step.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ModelReduce {
    /// The overview.
    pub overview: String,
    /// Some servers answer `summary` instead (used when `overview` is empty).
    pub summary: String,
    /// Newsletter lines.
    pub newsletter: Vec<String>,
    /// Discussion questions.
    pub questions: Vec<String>,
}

impl ModelReduce {
    fn normalized(mut self) -> ModelReduce {
        if self.overview.trim().is_empty() {
            self.overview = std::mem::take(&mut self.summary);
        }
        self
    }
}

/// Reads the JSON object of an answer, tolerating code fences and prose
/// around it. Pure.
///
/// # Errors
/// No JSON object of the expected shape in the text.
pub fn extract_json<T: DeserializeOwned>(content: &str) -> Result<T, String> {
    let t = content.trim();
    let t = t.strip_prefix("```json").or_else(|| t.strip_prefix("```")).unwrap_or(t);
    let t = t.strip_suffix("```").unwrap_or(t).trim();
    match serde_json::from_str::<T>(t) {
        Ok(v) => Ok(v),
        Err(first) => {
            if let (Some(a), Some(b)) = (t.find('{'), t.rfind('}'))
                && a < b
                && let Ok(v) = serde_json::from_str::<T>(&t[a..=b])
            {
                return Ok(v);
            }
            Err(first.to_string())
        }
    }
}

/// Share of Han characters among letters; `None` for too little text.
fn han_share(s: &str) -> Option<f64> {
    let han = s.chars().filter(|c| is_han(*c)).count();
    let latin = s.chars().filter(char::is_ascii_alphabetic).count();
    (han + latin >= 8).then(|| han as f64 / (han + latin) as f64)
}

/// True when `s` is written in `lang`'s script (or too short to tell). Pure.
pub fn in_script(s: &str, lang: Lang) -> bool {
    match (han_share(s), lang) {
        (None, _) => true,
        (Some(r), Lang::Zh) => r >= 0.4,
        (Some(r), Lang::En) => r <= 0.2,
    }
}

fn strip_fences(s: &str, lang: Lang) -> String {
    let (a, b) = fences(lang);
    s.replace(a, "").replace(b, "").trim().to_owned()
}

impl ApiRun {
    fn cache_get(&self, key: &str) -> Option<Reply> {
        let store = self.cache.as_ref()?.lock().ok()?;
        let raw = store.cache_get(key).ok()??;
        serde_json::from_str(&raw).ok()
    }

    fn cache_put(&self, key: &str, req: &RequestData, reply: &Reply) {
        let Some(c) = &self.cache else { return };
        let Ok(store) = c.lock() else { return };
        let Ok(raw) = serde_json::to_string(reply) else { return };
        if let Err(e) = store.cache_put(
            key,
            &req.url,
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
    async fn call_json<T: DeserializeOwned>(
        &self,
        messages: Vec<Message>,
        schema: (&str, &Value),
        plain: fn(&str) -> Option<T>,
    ) -> Result<T, ApiError> {
        let cfg = self.client.config();
        let cap = cfg.max_output_tokens;
        let req = build_request(cfg, &messages, Some(schema), cap);
        let key = req.cache_key();
        if let Some(r) = self.cache_get(&key)
            && let Ok(v) = extract_json::<T>(&r.content)
        {
            self.cached.fetch_add(1, Ordering::Relaxed);
            return Ok(v);
        }
        let reply = self.client.send(&req, cap).await?;
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
        let req2 = build_request(cfg, &repair, Some(schema), cap);
        let fixed = self.client.send(&req2, cap).await?;
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

/// A boxed chunk future (the function recurses when it splits).
type ChunkFuture = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<(ModelSection, Vec<String>), ApiError>> + Send>,
>;

/// A section's chunk summarised, with the script check and the length retry.
fn summarize_chunk(
    run: Arc<ApiRun>,
    lang: Lang,
    ctx: PromptContext,
    sentences: Vec<SentenceRef>,
    depth: usize,
) -> ChunkFuture {
    Box::pin(async move {
        let text = sentences.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(joiner(lang));
        let (fo, fc) = fences(lang);
        let text = text.replace(fo, "").replace(fc, "");
        let schema = section_schema();
        let mut ctx = PromptContext { text, ..ctx };
        let mut notes = Vec::new();
        let mut tries = 0;
        loop {
            tries += 1;
            let (sys, user) = run
                .prompts
                .render(section_prompt(lang), &ctx)
                .map_err(|e| ApiError::Invalid(crate::error::chain(&e)))?;
            let messages = vec![Message::new("system", sys), Message::new("user", user)];
            let plain = |s: &str| {
                Some(ModelSection { summary: s.trim().to_owned(), ..ModelSection::default() })
            };
            match run.call_json::<ModelSection>(messages, ("section_summary", &schema), plain).await
            {
                Ok(mut m) => {
                    m.summary = strip_fences(&m.summary, lang);
                    if m.summary.is_empty() {
                        return Err(ApiError::Empty { refusal: None });
                    }
                    if !in_script(&m.summary, lang) {
                        if !ctx.strict_language && tries < 4 {
                            ctx.strict_language = true;
                            continue;
                        }
                        notes.push(format!(
                            "the summary of section {} is not in {}",
                            ctx.section_id,
                            lang.code()
                        ));
                    }
                    return Ok((m, notes));
                }
                Err(ApiError::Truncated { cap }) => {
                    if ctx.tighter {
                        return Err(ApiError::Truncated { cap });
                    }
                    ctx.tighter = true;
                    ctx.length = (ctx.length / 2).max(20);
                }
                Err(ApiError::ContextLength { endpoint, status, message }) => {
                    if sentences.len() < 2 || depth >= 6 {
                        return Err(ApiError::ContextLength { endpoint, status, message });
                    }
                    tracing::info!(
                        "section {}: over the context, splitting in two",
                        ctx.section_id
                    );
                    let mid = sentences.len() / 2;
                    let base = PromptContext { text: String::new(), ..ctx.clone() };
                    let (a, mut na) = summarize_chunk(
                        run.clone(),
                        lang,
                        base.clone(),
                        sentences[..mid].to_vec(),
                        depth + 1,
                    )
                    .await?;
                    let (b, nb) = summarize_chunk(
                        run.clone(),
                        lang,
                        base,
                        sentences[mid..].to_vec(),
                        depth + 1,
                    )
                    .await?;
                    na.extend(nb);
                    return Ok((merge(vec![a, b], lang), na));
                }
                Err(e) => return Err(e),
            }
        }
    })
}

fn merge(parts: Vec<ModelSection>, lang: Lang) -> ModelSection {
    let mut out = ModelSection::default();
    let mut summaries = Vec::new();
    for p in parts {
        summaries.push(p.summary);
        out.key_points.extend(p.key_points);
        out.quotes.extend(p.quotes);
        out.terms.extend(p.terms);
        out.figures.extend(p.figures);
    }
    out.summary = summaries.join(joiner(lang));
    out
}

/// Summarises one job: its chunks in order, merged.
async fn run_job(
    run: Arc<ApiRun>,
    lang: Lang,
    job: Job,
) -> Result<(ModelSection, Vec<String>), ApiError> {
    let mut parts = Vec::new();
    let mut notes = Vec::new();
    let n = job.chunks.len();
    for (i, c) in job.chunks.iter().enumerate() {
        let ctx = PromptContext { part_no: i + 1, part_of: n, ..job.ctx.clone() };
        let (m, ns) =
            summarize_chunk(run.clone(), lang, ctx, job.sentences[c.clone()].to_vec(), 0).await?;
        parts.push(m);
        notes.extend(ns);
    }
    Ok((merge(parts, lang), notes))
}

fn bigrams(s: &str) -> std::collections::BTreeSet<(char, char)> {
    let cs: Vec<char> =
        s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    cs.windows(2).map(|w| (w[0], w[1])).collect()
}

fn overlap(a: &str, b: &str) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / x.len().min(y.len()) as f64
}

/// The source sentence that best supports `point`.
fn best_sentence<'a>(
    sentence: &str,
    point: &str,
    source: &'a [SentenceRef],
) -> Option<&'a SentenceRef> {
    let probe = if sentence.trim().is_empty() { point } else { sentence };
    source.iter().max_by(|a, b| overlap(probe, &a.text).total_cmp(&overlap(probe, &b.text)))
}

/// The section summary from the model's answer, with the guard applied.
fn to_section(
    base: &SectionSummary,
    m: ModelSection,
    source: &[SentenceRef],
    lang: Lang,
    strict: bool,
    warnings: &mut Vec<DigestWarning>,
) -> SectionSummary {
    let src_text = source.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(joiner(lang));
    let mut key_points = Vec::new();
    for p in m.key_points {
        let (text, sentence) = match p {
            ModelPoint::Full { text, sentence } => (text, sentence),
            ModelPoint::Bare(t) => (t, String::new()),
        };
        let text = strip_fences(&text, lang);
        if text.is_empty() {
            continue;
        }
        if let Some(s) = best_sentence(&sentence, &text, source) {
            key_points.push(KeyPoint {
                text,
                label: None,
                section_id: s.section_id.clone(),
                source: s.clone(),
            });
        }
    }
    if key_points.is_empty() {
        key_points = base.key_points.clone();
    }
    let mut sentences: Vec<SentenceRef> = Vec::new();
    for k in &key_points {
        if !sentences.contains(&k.source) {
            sentences.push(k.source.clone());
        }
    }
    sentences.sort_by_key(|s| s.span.start);
    let mut all_text = m.summary.clone();
    for t in key_points.iter().map(|k| &k.text).chain(&m.quotes).chain(&m.figures) {
        all_text.push('\n');
        all_text.push_str(t);
    }
    // Quotes the model lists are claimed verbatim: check them as quotations.
    for q in &m.quotes {
        all_text.push_str(&format!("\n“{q}”"));
    }
    let flags: Vec<Flag> = guard::check(&all_text, &src_text);
    for f in &flags {
        warnings.push(DigestWarning {
            kind: f.kind.as_str().to_owned(),
            message: if strict {
                format!(
                    "section {}: an {} was dropped",
                    base.section_id,
                    f.kind.as_str().replace('_', " ")
                )
            } else {
                format!("section {}: `{}` is not in the source", base.section_id, f.text)
            },
            section_id: Some(base.section_id.clone()),
            text: Some(f.text.clone()),
        });
    }
    let mut out = SectionSummary {
        summary: m.summary,
        sentences,
        key_points,
        quotes: m.quotes,
        terms: m.terms,
        figures: m.figures,
        unsupported: Vec::new(),
        degraded: false,
        ..base.clone()
    };
    if strict {
        out.summary = guard::drop_flagged(&out.summary, &flags);
        out.key_points.retain(|k| !guard::mentions(&k.text, &flags));
        out.quotes.retain(|q| !guard::mentions(q, &flags) && !flags.iter().any(|f| f.text == *q));
        out.figures.retain(|q| !guard::mentions(q, &flags));
    } else {
        out.unsupported = flags.into_iter().map(|f| f.text).collect();
    }
    out
}

/// Everything the API path produced for a speech.
#[derive(Debug, Clone)]
pub struct ApiOutcome {
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
pub async fn summarize(
    run: Arc<ApiRun>,
    outline: &Outline,
    base: Summaries,
    plan: Plan,
    progress: &indicatif::ProgressBar,
) -> Result<ApiOutcome, SectionError> {
    let lang = plan.lang;
    let mut set = JoinSet::new();
    for job in plan.jobs.clone() {
        let run = run.clone();
        set.spawn(async move {
            let index = job.index;
            (index, run_job(run, lang, job).await)
        });
    }
    let mut results: Vec<Option<(ModelSection, Vec<String>)>> = vec![None; base.sections.len()];
    let mut failed: Vec<(usize, ApiError)> = Vec::new();
    while let Some(joined) = set.join_next().await {
        let Ok((index, r)) = joined else { continue };
        progress.inc(1);
        match r {
            Ok(x) => results[index] = Some(x),
            Err(e) => {
                let section = base.sections[index].section_id.clone();
                if !run.fallback || e.is_fatal() {
                    set.abort_all();
                    return Err(SectionError { section, source: e });
                }
                tracing::warn!("section {section}: {e}; filled extractively");
                failed.push((index, e));
            }
        }
    }
    let mut warnings = Vec::new();
    let mut sections = Vec::new();
    for (i, b) in base.sections.iter().enumerate() {
        let job = plan.jobs.iter().find(|j| j.index == i);
        match (results[i].take(), job) {
            (Some((m, notes)), Some(job)) => {
                for n in notes {
                    warnings.push(DigestWarning {
                        kind: "wrong_language".into(),
                        message: n,
                        section_id: Some(b.section_id.clone()),
                        text: None,
                    });
                }
                sections.push(to_section(b, m, &job.sentences, lang, run.strict, &mut warnings));
            }
            _ => {
                let mut s = b.clone();
                if let Some((_, e)) = failed.iter().find(|(k, _)| *k == i) {
                    s.degraded = true;
                    warnings.push(DigestWarning {
                        kind: "degraded".into(),
                        message: format!(
                            "section {}: the API failed ({e}); summarised extractively",
                            b.section_id
                        ),
                        section_id: Some(b.section_id.clone()),
                        text: None,
                    });
                }
                sections.push(s);
            }
        }
    }
    let degraded = failed.len();
    let items: Vec<String> = sections
        .iter()
        .filter(|s| s.level == 1 && !s.summary.is_empty())
        .map(|s| {
            let head =
                s.heading.clone().or(s.label.clone()).unwrap_or_else(|| s.section_id.clone());
            format!("[{head}] {}", s.summary)
        })
        .collect();
    let reduce = if items.is_empty() {
        None
    } else {
        let ctx = PromptContext {
            title: outline.meta.title.clone().unwrap_or_default(),
            speaker: outline.meta.speaker.clone(),
            date: outline.meta.date.clone(),
            section_id: "overview".into(),
            part_no: 1,
            part_of: 1,
            length: match lang {
                Lang::Zh => 300,
                Lang::En => 150,
            },
            schema: serde_json::to_string(&reduce_schema()).unwrap_or_default(),
            fence_open: fences(lang).0.to_owned(),
            fence_close: fences(lang).1.to_owned(),
            ..PromptContext::default()
        };
        match reduce_all(&run, lang, ctx, items, plan.budget.max(512)).await {
            Ok(mut r) => {
                progress.inc(1);
                let whole: String = base
                    .scores
                    .iter()
                    .map(|(s, _)| s.text.as_str())
                    .collect::<Vec<_>>()
                    .join(joiner(lang));
                r.overview = strip_fences(&r.overview, lang);
                let mut all = r.overview.clone();
                for l in r.newsletter.iter().chain(&r.questions) {
                    all.push('\n');
                    all.push_str(l);
                }
                let flags = guard::check(&all, &whole);
                for f in &flags {
                    warnings.push(DigestWarning {
                        kind: f.kind.as_str().to_owned(),
                        message: if run.strict {
                            format!(
                                "overview: an {} was dropped",
                                f.kind.as_str().replace('_', " ")
                            )
                        } else {
                            format!("overview: `{}` is not in the source", f.text)
                        },
                        section_id: Some("overview".into()),
                        text: Some(f.text.clone()),
                    });
                }
                if run.strict {
                    r.overview = guard::drop_flagged(&r.overview, &flags);
                    r.newsletter.retain(|l| !guard::mentions(l, &flags));
                    r.questions.retain(|l| !guard::mentions(l, &flags));
                }
                Some(r)
            }
            Err(e) if run.fallback && !e.is_fatal() => {
                warnings.push(DigestWarning {
                    kind: "degraded".into(),
                    message: format!("overview: the API failed ({e}); written extractively"),
                    section_id: Some("overview".into()),
                    text: None,
                });
                None
            }
            Err(e) => return Err(SectionError { section: "overview".into(), source: e }),
        }
    };
    Ok(ApiOutcome { summaries: Summaries { sections, ..base }, reduce, warnings, degraded })
}

/// The reduce step, hierarchical when the items are over the budget: each
/// level packs the items into groups of at least two and reduces each group
/// to one, so the item count at least halves and the loop ends.
async fn reduce_all(
    run: &Arc<ApiRun>,
    lang: Lang,
    ctx: PromptContext,
    mut items: Vec<String>,
    budget: usize,
) -> Result<ModelReduce, ApiError> {
    let schema = reduce_schema();
    let plain =
        |s: &str| Some(ModelReduce { overview: s.trim().to_owned(), ..ModelReduce::default() });
    let cap_chars = |s: &str| -> String {
        // A single item over the budget is cut (rare: a summary is short).
        let mut out = String::new();
        for c in s.chars() {
            if count_tokens(&out) >= budget {
                break;
            }
            out.push(c);
        }
        out
    };
    for _level in 0..8 {
        let joined = items.join("\n");
        if count_tokens(&joined) <= budget || items.len() == 1 {
            let text = if items.len() == 1 { cap_chars(&joined) } else { joined };
            let c = PromptContext { text, ..ctx.clone() };
            let (sys, user) = run
                .prompts
                .render(reduce_prompt(lang), &c)
                .map_err(|e| ApiError::Invalid(crate::error::chain(&e)))?;
            return run
                .call_json::<ModelReduce>(
                    vec![Message::new("system", sys), Message::new("user", user)],
                    ("digest", &schema),
                    plain,
                )
                .await
                .map(ModelReduce::normalized);
        }
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut cur: Vec<String> = Vec::new();
        let mut used = 0;
        for it in items.drain(..) {
            let t = count_tokens(&it);
            if cur.len() >= 2 && used + t > budget {
                groups.push(std::mem::take(&mut cur));
                used = 0;
            }
            used += t;
            cur.push(it);
        }
        if !cur.is_empty() {
            if cur.len() == 1 && !groups.is_empty() {
                let last = groups.len() - 1;
                groups[last].extend(cur);
            } else {
                groups.push(cur);
            }
        }
        let mut next = Vec::new();
        for g in groups {
            let text = cap_chars(&g.join("\n"));
            let c = PromptContext { text, ..ctx.clone() };
            let (sys, user) = run
                .prompts
                .render(reduce_prompt(lang), &c)
                .map_err(|e| ApiError::Invalid(crate::error::chain(&e)))?;
            let r = run
                .call_json::<ModelReduce>(
                    vec![Message::new("system", sys), Message::new("user", user)],
                    ("digest", &schema),
                    plain,
                )
                .await?
                .normalized();
            next.push(r.overview);
        }
        items = next;
    }
    let text = cap_chars(&items.join("\n"));
    let c = PromptContext { text, ..ctx };
    let (sys, user) = run
        .prompts
        .render(reduce_prompt(lang), &c)
        .map_err(|e| ApiError::Invalid(crate::error::chain(&e)))?;
    run.call_json::<ModelReduce>(
        vec![Message::new("system", sys), Message::new("user", user)],
        ("digest", &schema),
        plain,
    )
    .await
    .map(ModelReduce::normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_read_tolerantly() {
        let m: ModelSection = extract_json("```json\n{\"summary\": \"s\", \"key_points\": [\"a\", {\"text\": \"b\", \"sentence\": \"c\"}]}\n```").unwrap();
        assert_eq!(m.summary, "s");
        assert_eq!(m.key_points.len(), 2);
        let m: ModelSection =
            extract_json("Here you go: {\"summary\": \"x\"} hope it helps").unwrap();
        assert_eq!(m.summary, "x");
        assert!(extract_json::<ModelSection>("{\"summary\": ").is_err());
        let r: ModelReduce =
            extract_json::<ModelReduce>("{\"summary\": \"o\"}").unwrap().normalized();
        assert_eq!(r.overview, "o");
    }

    #[test]
    fn scripts_and_tokens() {
        assert!(in_script("全面从严治党永远在路上。", Lang::Zh));
        assert!(!in_script("The party must govern itself strictly.", Lang::Zh));
        assert!(in_script("The party must govern itself strictly.", Lang::En));
        assert!(count_tokens("全面从严治党") >= 6, "at least one token per Han character");
        let s: Vec<SentenceRef> = (0..10)
            .map(|i| SentenceRef {
                section_id: "1".into(),
                text: "全面从严治党永远在路上。".repeat(3),
                span: crate::model::Span { start: i, end: i + 1 },
            })
            .collect();
        let chunks = split_by_tokens(&s, 80);
        assert!(chunks.len() >= 4);
        assert_eq!(chunks.iter().map(|c| c.len()).sum::<usize>(), 10);
    }
}
