//! Outline → per-section summaries, key points and the overview, with the
//! built-in extractive summariser (`extractive.rs`, offline, deterministic),
//! and the facts a handout needs (`facts.rs`: figures, quotations, terms,
//! discussion questions, a cloze quiz).
//!
//! Everything here is pure: the same outline gives the same summaries.

pub(crate) mod extractive;
pub(crate) mod facts;
pub(crate) mod guard;
pub(crate) mod keyfacts;
pub(crate) mod standalone;

use crate::model::Lang;
use crate::model::{KeyPoint, SectionSummary, SentenceRef, Summaries};
use crate::model::{Outline, Section, SectionKind, Span};

/// Length budgets of the summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SummaryOptions {
    /// Overview length: `None` scales with the speech.
    pub overview: Option<extractive::Budget>,
}

/// True for sentences that only run the meeting (salutations, formulas,
/// thank-yous, applause, speaker labels, editorial notes: the procedural
/// reasons of [`standalone`]), and for point leads so short that they are
/// headings in all but name (`一是高压态势持续巩固。`): the key points carry
/// those. The scorer treats them like headings.
pub(crate) fn is_procedural(text: &str, is_point: bool, lang: Lang) -> bool {
    let short = match lang {
        Lang::Zh => text.chars().count() <= 16,
        Lang::En => text.split_whitespace().count() <= 6,
    };
    standalone::why_not(text, lang).is_some_and(standalone::Reason::is_procedural)
        || (is_point && short)
}

/// One sentence with where it sits in the outline.
struct Slot<'a> {
    top: usize,
    section_id: &'a str,
    paragraph: usize,
    index: usize,
    is_point: bool,
    text: &'a str,
    span: Span,
}

fn slots(outline: &Outline) -> Vec<Slot<'_>> {
    let mut out = Vec::new();
    let mut paragraph = 0;
    for (top, sec) in outline.sections.iter().enumerate() {
        if sec.kind == SectionKind::Notes {
            continue;
        }
        for s in sec.walk() {
            for (pi, p) in s.paragraphs.iter().enumerate() {
                for (si, sent) in p.sentences.iter().enumerate() {
                    let is_point =
                        s.points.iter().any(|pt| pt.paragraph == pi && pt.sentence == si);
                    out.push(Slot {
                        top,
                        section_id: &s.id,
                        paragraph,
                        index: si,
                        is_point,
                        text: &sent.text,
                        span: sent.span,
                    });
                }
                paragraph += 1;
            }
        }
    }
    out
}

/// The summariser's units for `slots`: procedural sentences are marked like
/// headings, and sentences that do not stand alone (a dangling opener, an
/// enumeration fragment, a rejected quotation …) as not liftable, so that
/// neither is selected and the next good sentence is taken.
fn units<'a>(slots: &[Slot<'a>], lang: Lang) -> Vec<extractive::Unit<'a>> {
    slots
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let prev = i.checked_sub(1).map(|j| slots[j].text);
            extractive::Unit {
                text: s.text,
                section: s.top,
                paragraph: s.paragraph,
                index_in_paragraph: s.index,
                is_heading: is_procedural(s.text, s.is_point, lang),
                is_point_lead: s.is_point,
                stands_alone: standalone::why_not_after(prev, s.text, lang).is_none(),
            }
        })
        .collect()
}

/// Budget for `chars` characters of text (zh) or `words` words (en): about
/// an eighth, within bounds.
fn budget_for(lang: Lang, len: usize, div: usize, min: usize, max: usize) -> extractive::Budget {
    let n = (len / div).clamp(min, max);
    match lang {
        Lang::Zh => extractive::Budget::Chars(n),
        Lang::En => extractive::Budget::Words(n),
    }
}

fn length_of(lang: Lang, text: &str) -> usize {
    match lang {
        Lang::Zh => text.chars().filter(|c| !c.is_whitespace()).count(),
        Lang::En => text.split_whitespace().count(),
    }
}

/// Summarises every section and the whole speech.
pub(crate) fn summarize(outline: &Outline, opts: &SummaryOptions) -> Summaries {
    let lang = outline.meta.lang;
    let slots = slots(outline);
    let units = units(&slots, lang);
    // Tokenise once; score the whole speech, then select within each section.
    let analysed = extractive::analyse_units(&units, lang);
    let scores = extractive::score_analysed_units(&units, lang, &analysed);
    let total: usize = slots.iter().map(|s| length_of(lang, s.text)).sum();
    let overview_budget = opts.overview.unwrap_or_else(|| match lang {
        Lang::Zh => budget_for(lang, total, 30, 80, 360),
        Lang::En => budget_for(lang, total, 25, 40, 180),
    });
    let sref = |i: usize| SentenceRef {
        section_id: slots[i].section_id.to_owned(),
        text: slots[i].text.to_owned(),
        span: slots[i].span,
    };
    let all: Vec<usize> = (0..units.len()).collect();
    let overview: Vec<SentenceRef> =
        extractive::select_in(&units, &scores, overview_budget, &analysed, &all)
            .into_iter()
            .map(sref)
            .collect();

    let mut sections = Vec::new();
    for top in &outline.sections {
        if top.kind == SectionKind::Notes {
            continue;
        }
        let mut targets = vec![top];
        targets.extend(top.children.iter());
        for sec in targets {
            let prefix = format!("{}.", sec.id);
            let idx: Vec<usize> = slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.section_id == sec.id || s.section_id.starts_with(&prefix))
                .map(|(i, _)| i)
                .collect();
            let len: usize = idx.iter().map(|&i| length_of(lang, slots[i].text)).sum();
            let budget = match (sec.kind, lang) {
                (SectionKind::Opening | SectionKind::Closing, Lang::Zh) => {
                    budget_for(lang, len, 6, 30, 120)
                }
                (SectionKind::Opening | SectionKind::Closing, Lang::En) => {
                    budget_for(lang, len, 6, 15, 60)
                }
                (_, Lang::Zh) => budget_for(lang, len, 8, 40, 240),
                (_, Lang::En) => budget_for(lang, len, 8, 20, 110),
            };
            let chosen = if idx.is_empty() {
                Vec::new()
            } else {
                extractive::select_in(&units, &scores, budget, &analysed, &idx)
            };
            let sentences: Vec<SentenceRef> = chosen.into_iter().map(|j| sref(idx[j])).collect();
            let joiner = if lang == Lang::Zh { "" } else { " " };
            let summary =
                sentences.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(joiner);
            let key_points =
                key_points(sec, &idx.iter().map(|&i| (sref(i), scores[i])).collect::<Vec<_>>());
            sections.push(SectionSummary {
                section_id: sec.id.clone(),
                kind: sec.kind,
                label: sec.label.clone(),
                heading: sec.heading.clone(),
                level: sec.level,
                summary,
                sentences,
                key_points,
                chars: len,
                quotes: Vec::new(),
                terms: Vec::new(),
                figures: Vec::new(),
                unsupported: Vec::new(),
                degraded: false,
            });
        }
    }
    let scores = (0..slots.len()).map(|i| (sref(i), scores[i])).collect();
    Summaries { overview, sections, scores }
}

/// Key points of a section: its points and its descendants' points; for a
/// part without any, its best sentence.
fn key_points(sec: &Section, scored: &[(SentenceRef, f64)]) -> Vec<KeyPoint> {
    let mut out = Vec::new();
    for s in sec.walk() {
        for p in &s.points {
            let sent = &s.paragraphs[p.paragraph].sentences[p.sentence];
            out.push(KeyPoint {
                text: p.lead.clone(),
                label: Some(p.label.clone()),
                section_id: s.id.clone(),
                source: SentenceRef {
                    section_id: s.id.clone(),
                    text: sent.text.clone(),
                    span: sent.span,
                },
                number: Some(p.number),
            });
        }
    }
    if out.is_empty()
        && matches!(sec.kind, SectionKind::Part | SectionKind::Group)
        && let Some((best, _)) = scored
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.span.start.cmp(&a.0.span.start)))
    {
        out.push(KeyPoint {
            text: best.text.clone(),
            label: None,
            section_id: best.section_id.clone(),
            source: best.clone(),
            number: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, lang: Lang, expected: bool) {
        assert_eq!(is_procedural(text, false, lang), expected, "{text}");
    }

    #[test]
    fn procedural_sentences() {
        case("同志们：", Lang::Zh, true);
        case("各位代表！", Lang::Zh, true);
        case("下面，我讲三点意见。", Lang::Zh, true);
        case("谢谢大家！", Lang::Zh, true);
        case("同志们，我们要坚定信心。", Lang::Zh, false);
        case("Thank you very much.", Lang::En, true);
        // Regression: the office was matched in lower case only, so the
        // salutation line of a joint-session address was a summary candidate.
        case(
            "Mr. Speaker, Mr. President, Members of the House, my fellow Americans:",
            Lang::En,
            true,
        );
        case("mr. speaker, members of Congress:", Lang::En, true);
        case("Mr. Smith, a small business owner from Ohio, told me so.", Lang::En, false);
    }
}
