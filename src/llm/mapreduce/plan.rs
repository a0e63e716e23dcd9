//! The plan of a speech's map step: which sections go out, their sentences,
//! and chunks that fit the context window (what `--dry-run` prints). Pure.
//!
//! Token counts are estimated first and counted exactly only near a budget
//! (issue 16): building the `o200k_base` tokenizer costs ~0.5 s CPU and
//! +47 MB, which every API run and every `--dry-run` paid before its first
//! request although nearly every text is far from its budget. The estimate
//! ([`estimate_tokens`]: 1.6 tokens per Han character, as issue 15 sets, and
//! the exact count's own floor of one per three other characters) is above
//! the exact count ([`count_tokens`]) on speech text, so a text estimated
//! under 85 % of its budget fits without counting; only one within 15 % of
//! it, or over it, is counted with the tokenizer. The plan records how many
//! of its chunks were counted exactly, so `--dry-run` says which figures
//! are estimates.

use std::sync::LazyLock;

pub(crate) use crate::llm::chat::Tokens;
use crate::llm::mapreduce::answer::{section_example, section_schema};
use crate::llm::mapreduce::{fences, joiner};
use crate::llm::prompts::{PromptContext, Prompts};
use crate::model::{Lang, Outline, SentenceRef, Summaries};
use crate::text::is_han;

/// Tokens kept free besides the prompt and the answer.
const MARGIN: usize = 256;

static BPE: LazyLock<Option<tiktoken_rs::CoreBPE>> =
    LazyLock::new(|| tiktoken_rs::o200k_base().ok());

/// Han, other non-ASCII and ASCII characters of `text`.
fn script_counts(text: &str) -> (usize, usize, usize) {
    let (mut han, mut wide, mut ascii) = (0, 0, 0);
    for c in text.chars() {
        if c.is_ascii() {
            ascii += 1;
        } else if is_han(c) {
            han += 1;
        } else {
            wide += 1;
        }
    }
    (han, wide, ascii)
}

impl Tokens {
    /// Tokens of `text`, as exactly as this provider allows: the larger of
    /// `o200k_base` and a conservative floor (`per_han` per Han character,
    /// one per three other characters), because other providers'
    /// tokenizers split Chinese more finely than OpenAI's. With
    /// `tokenizer = "estimate"`, [`Self::estimate`]. Builds the tokenizer on
    /// first use: prefer [`Self::fits`] or [`Self::estimate`] where an
    /// estimate will do.
    pub(crate) fn count(&self, text: &str) -> usize {
        if !self.exact {
            return self.estimate(text);
        }
        let (han, wide, ascii) = script_counts(text);
        let floor = (han as f64 * self.per_han).ceil() as usize + (wide + ascii).div_ceil(3);
        let bpe = BPE.as_ref().map_or(0, |b| b.encode_ordinary(text).len());
        bpe.max(floor)
    }

    /// Tokens of `text`, estimated without the tokenizer: `per_han` per
    /// Han character, one per other non-ASCII character (Chinese
    /// punctuation, or a script such as Hangul that `o200k_base` splits
    /// finely), one per three ASCII characters (above `o200k_base` on
    /// English prose: ~1.3 tokens a word, one per ~4.5 characters). Never
    /// below the floor of [`Self::count`].
    pub(crate) fn estimate(&self, text: &str) -> usize {
        let (han, wide, ascii) = script_counts(text);
        (han as f64 * self.per_han).ceil() as usize + wide + ascii.div_ceil(3)
    }

    /// Whether `text` fits in `budget` tokens, counting exactly only when
    /// its estimate is within 15 % of the budget or over it.
    pub(crate) fn fits(&self, text: &str, budget: usize) -> bool {
        clearly_within(self.estimate(text), budget) || self.count(text) <= budget
    }
}

/// [`Tokens::count`] with the defaults (1.6 per Han character, `o200k`).
#[cfg(test)]
pub(crate) fn count_tokens(text: &str) -> usize {
    Tokens::default().count(text)
}

/// [`Tokens::estimate`] with the defaults.
#[cfg(test)]
pub(crate) fn estimate_tokens(text: &str) -> usize {
    Tokens::default().estimate(text)
}

/// Whether an estimate of `estimate` tokens is far enough under `budget`
/// (below 85 % of it) to stand without an exact count.
pub(crate) fn clearly_within(estimate: usize, budget: usize) -> bool {
    estimate.saturating_mul(20) < budget.saturating_mul(17)
}

/// [`Tokens::fits`] with the defaults.
#[cfg(test)]
pub(crate) fn fits(text: &str, budget: usize) -> bool {
    Tokens::default().fits(text, budget)
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
    /// Prompt tokens of all map calls: estimated, except for the chunks
    /// counted exactly.
    pub prompt_tokens: usize,
    /// Chunks whose tokens were counted with `o200k_base` (the others'
    /// counts, and the prompts' overhead, are estimates).
    pub exact_chunks: usize,
    /// Reduce calls (estimate).
    pub reduce_calls: usize,
    /// How tokens were counted.
    pub tokens: Tokens,
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
    tokens: Tokens,
) -> Result<Plan, String> {
    let lang = outline.meta.lang;
    let (fo, fc) = fences(lang);
    let all = outline.walk();
    let mut jobs = Vec::new();
    let mut budget = usize::MAX;
    let mut prompt_tokens = 0;
    let mut exact_chunks = 0;
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
            example: section_example(lang).to_string(),
            fence_open: fo.to_owned(),
            fence_close: fc.to_owned(),
        };
        let (sys, user) =
            prompts.render(section_prompt(lang), &ctx).map_err(|e| crate::error::chain(&e))?;
        let overhead = tokens.estimate(&sys) + tokens.estimate(&user) + 16;
        let b = (context_window as usize).saturating_sub(
            overhead + max_output as usize + MARGIN.max(context_window as usize / 20),
        );
        if b < 64 {
            return Err(format!(
                "context_window {context_window} leaves no room for text after the prompt ({overhead} tokens) and max_output_tokens {max_output}"
            ));
        }
        budget = budget.min(b);
        let (chunks, exact) = split_by_tokens(&sentences, b, tokens);
        for c in &chunks {
            let text: String = sentences[c.clone()]
                .iter()
                .map(|x| x.text.as_str())
                .collect::<Vec<_>>()
                .join(joiner(lang));
            prompt_tokens += overhead
                + if exact {
                    exact_chunks += 1;
                    tokens.count(&text)
                } else {
                    tokens.estimate(&text)
                };
        }
        jobs.push(Job { index, ctx, sentences, chunks });
    }
    let reduce_calls = usize::from(!jobs.is_empty());
    Ok(Plan {
        lang,
        jobs,
        budget: if budget == usize::MAX { 0 } else { budget },
        prompt_tokens,
        exact_chunks,
        reduce_calls,
        tokens,
    })
}

pub(super) fn section_prompt(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "section.zh.tera" } else { "section.en.tera" }
}

/// Sentence ranges of at most `budget` tokens each (a longer sentence
/// alone), and whether they were counted exactly: sentences whose estimate
/// is clearly within the budget are one range without counting; others are
/// split by exact counts.
pub(crate) fn split_by_tokens(
    sentences: &[SentenceRef],
    budget: usize,
    tokens: Tokens,
) -> (Vec<std::ops::Range<usize>>, bool) {
    if sentences.is_empty() {
        return (Vec::new(), false);
    }
    let estimate: usize = sentences.iter().map(|s| tokens.estimate(&s.text)).sum();
    if clearly_within(estimate, budget) {
        return (std::iter::once(0..sentences.len()).collect(), false);
    }
    (split_exactly(sentences, budget, tokens), tokens.exact)
}

/// Sentence ranges of at most `budget` tokens each by exact counts.
fn split_exactly(
    sentences: &[SentenceRef],
    budget: usize,
    tokens: Tokens,
) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, s) in sentences.iter().enumerate() {
        let t = tokens.count(&s.text);
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
        let (chunks, exact) = split_by_tokens(&s, 80, Tokens::default());
        assert!(exact, "near its budget the split counts exactly");
        assert!(chunks.len() >= 4);
        assert_eq!(chunks.iter().map(|c| c.len()).sum::<usize>(), 10);
        let (chunks, exact) = split_by_tokens(&s, 10_000, Tokens::default());
        assert!(
            !exact && chunks.len() == 1 && chunks[0] == (0..10),
            "far under it, the estimate decides"
        );
    }

    #[test]
    fn the_estimate_is_above_the_exact_count_on_speech_text() {
        for text in [
            "全面从严治党永远在路上，党的自我革命永远在路上。",
            "We choose to go to the Moon in this decade and do the other things, not because they are easy.",
            "2025年，全国GDP增长5.0%，城镇新增就业1256万人。",
            "“Ask not what your country can do for you” — ask what you can do.",
            "대한민국 국회 본회의에서 연설합니다.",
        ] {
            assert!(estimate_tokens(text) >= count_tokens(text), "{text}");
        }
    }

    #[test]
    fn tokens_per_han_and_the_estimate_only_tokenizer() {
        let text = "全面从严治党永远在路上".repeat(10); // 110 Han characters
        let t = Tokens { per_han: 2.0, exact: false };
        assert_eq!(t.estimate(&text), 220);
        assert_eq!(t.count(&text), 220, "`estimate` never counts with o200k");
        assert!(Tokens::default().count(&text) >= 176, "the floor is 1.6 per Han character");
        let s: Vec<SentenceRef> = (0..4)
            .map(|i| SentenceRef {
                section_id: "1".into(),
                text: text.clone(),
                span: crate::model::Span { start: i, end: i + 1 },
            })
            .collect();
        let (chunks, exact) = split_by_tokens(&s, 500, t);
        assert!(!exact && chunks.len() == 2, "{chunks:?}");
    }

    #[test]
    fn fits_counts_only_near_the_budget() {
        let text = "全面从严治党永远在路上。".repeat(10);
        assert!(clearly_within(estimate_tokens(&text), 1000));
        assert!(!clearly_within(estimate_tokens(&text), estimate_tokens(&text)));
        assert!(fits(&text, 1000));
        assert!(fits(&text, count_tokens(&text)));
        assert!(!fits(&text, count_tokens(&text) - 1));
    }
}
