//! The plan of a speech's map step: which sections go out, their sentences,
//! and chunks that fit the context window (what `--dry-run` prints). Pure.

use std::sync::LazyLock;

use crate::llm::mapreduce::answer::section_schema;
use crate::llm::mapreduce::{fences, joiner};
use crate::llm::prompts::{PromptContext, Prompts};
use crate::model::{Lang, Outline, SentenceRef, Summaries};
use crate::text::is_han;

/// Tokens kept free besides the prompt and the answer.
const MARGIN: usize = 256;

static BPE: LazyLock<Option<tiktoken_rs::CoreBPE>> =
    LazyLock::new(|| tiktoken_rs::o200k_base().ok());

/// Tokens of `text`: the larger of `o200k_base` and a conservative estimate
/// (one per Han character, one per three other characters), because other
/// providers' tokenizers split Chinese more finely than OpenAI's.
pub(crate) fn count_tokens(text: &str) -> usize {
    let han = text.chars().filter(|c| is_han(*c)).count();
    let other = text.chars().count() - han;
    let estimate = han + other.div_ceil(3);
    let bpe = BPE.as_ref().map_or(0, |b| b.encode_ordinary(text).len());
    bpe.max(estimate)
}

/// One section to summarise, split into chunks.
#[derive(Debug, Clone)]
pub(crate) struct Job {
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
pub(crate) struct Plan {
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
    pub(crate) fn calls(&self) -> usize {
        self.jobs.iter().map(|j| j.chunks.len()).sum::<usize>() + self.reduce_calls
    }
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
pub(crate) fn plan(
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

pub(super) fn section_prompt(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "section.zh.tera" } else { "section.en.tera" }
}

/// Sentence ranges of at most `budget` tokens each (a longer sentence alone).
pub(crate) fn split_by_tokens(
    sentences: &[SentenceRef],
    budget: usize,
) -> Vec<std::ops::Range<usize>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_chunks() {
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
