//! The map step: one call per chunk of each planned section, concurrently
//! (the client bounds it), with the script check, the tighter retry and the
//! split on a context-length error; then the answers are guarded against the
//! source and turned into section summaries.

use std::sync::Arc;

use tokio::task::JoinSet;

use crate::error::{ApiError, SectionError};
use crate::llm::chat::Message;
use crate::llm::mapreduce::answer::{
    ModelPoint, ModelSection, in_script, section_example, section_schema,
};
use crate::llm::mapreduce::plan::{Job, Plan, section_prompt};
use crate::llm::mapreduce::{ApiRun, fences, joiner, strip_fences};
use crate::llm::prompts::PromptContext;
use crate::model::{DigestWarning, KeyPoint, Lang, SectionSummary, SentenceRef, Summaries};
use crate::summarize::guard::{self, Flag};

/// Every planned section summarised, the others (and, with `--fallback`,
/// the failed ones, marked degraded) kept as the extractive summariser made
/// them. Returns the sections, how many were degraded, and the last
/// section error.
///
/// # Errors
/// The first section that fails (without `--fallback`), or a fatal error
/// (bad key, wrong URL, no quota) even with it.
pub(super) async fn map_sections(
    run: &Arc<ApiRun>,
    plan: &Plan,
    base: &Summaries,
    progress: &indicatif::ProgressBar,
    warnings: &mut Vec<DigestWarning>,
) -> Result<(Vec<SectionSummary>, usize, Option<ApiError>), SectionError> {
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
                        announced: None,
                        found: None,
                    });
                }
                sections.push(to_section(b, m, &job.sentences, lang, run.strict, warnings));
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
                        announced: None,
                        found: None,
                    });
                }
                sections.push(s);
            }
        }
    }
    let n = failed.len();
    let last = failed.pop().map(|(_, e)| e);
    Ok((sections, n, last))
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
        let example = section_example(lang);
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
            match run
                .call_json::<ModelSection>(
                    lang,
                    messages,
                    ("section_summary", &schema),
                    &example,
                    plain,
                )
                .await
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

/// The source sentence that best supports `point`, with how much of the
/// claimed `sentence` (else the point) it holds (0..=1).
fn best_sentence<'a>(
    sentence: &str,
    point: &str,
    source: &'a [SentenceRef],
) -> Option<(&'a SentenceRef, f64)> {
    let probe = if sentence.trim().is_empty() { point } else { sentence };
    source.iter().map(|s| (s, overlap(probe, &s.text))).max_by(|a, b| a.1.total_cmp(&b.1))
}

/// How much of a claimed source sentence must be found in one sentence of
/// the section (character bigrams, of the shorter): a model's copy may
/// differ in punctuation or a word, not in substance.
const SENTENCE_FOUND: f64 = 0.75;

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
        if let Some((s, found)) = best_sentence(&sentence, &text, source) {
            if !sentence.trim().is_empty() && found < SENTENCE_FOUND {
                warnings.push(DigestWarning {
                    kind: "unsupported_point".into(),
                    message: if strict {
                        format!(
                            "section {}: a key point whose sentence is not in the section was dropped",
                            base.section_id
                        )
                    } else {
                        format!(
                            "section {}: the key point `{text}` cites a sentence that is not in the section",
                            base.section_id
                        )
                    },
                    section_id: Some(base.section_id.clone()),
                    text: Some(sentence.clone()),
                    announced: None,
                    found: None,
                });
                if strict {
                    continue;
                }
            }
            key_points.push(KeyPoint {
                text,
                label: None,
                section_id: s.section_id.clone(),
                source: s.clone(),
                number: None,
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
            announced: None,
            found: None,
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
