//! Summaries: per-section summaries and key points, each pointing back to
//! the sentence it comes from.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{SectionKind, Span};

/// A sentence of the speech, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SentenceRef {
    /// The section (innermost) that holds it.
    pub section_id: String,
    /// The sentence, verbatim.
    pub text: String,
    /// Byte range in the clean text.
    pub span: Span,
}

#[cfg(test)]
impl SentenceRef {
    /// A sentence of section `1` spanning `0..text.len()`, for unit tests.
    pub(crate) fn for_test(text: &str) -> SentenceRef {
        SentenceRef {
            section_id: "1".to_owned(),
            text: text.to_owned(),
            span: Span { start: 0, end: text.len() },
        }
    }
}

/// A key point: an enumerated point's lead clause, or the best sentence of an
/// unnumbered section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct KeyPoint {
    /// The point, verbatim from the speech.
    pub text: String,
    /// Its label (`一是`, `其一`, `First`), when enumerated.
    pub label: Option<String>,
    /// The section it belongs to.
    pub section_id: String,
    /// The sentence it comes from.
    pub source: SentenceRef,
    /// Its number in the speech's enumeration (1 starts a new run), while
    /// the digest is assembled; not stored (the runs it makes are).
    #[serde(skip)]
    pub number: Option<u32>,
}

/// The summary of one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SectionSummary {
    /// The section's id (`1`, `2.3`).
    pub section_id: String,
    /// What the section is (`opening`, `part`, `group`, `closing`).
    pub kind: SectionKind,
    /// Its label (`一`, `（一）`), when numbered.
    pub label: Option<String>,
    /// Its heading, when it has one.
    pub heading: Option<String>,
    /// Depth in the outline (1 for top level).
    pub level: usize,
    /// The summary: selected sentences joined, verbatim.
    pub summary: String,
    /// The selected sentences, in speech order.
    pub sentences: Vec<SentenceRef>,
    /// Key points of this section (and of its children for top-level sections).
    pub key_points: Vec<KeyPoint>,
    /// Characters of the section's text.
    pub chars: usize,
    /// Quotations the API provider picked (verbatim when the guard passed them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<String>,
    /// Terms the API provider picked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    /// Figures the API provider picked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<String>,
    /// Figures and quotations of the summary that the source does not
    /// support (marked in the handout; dropped with `--strict`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<String>,
    /// The API failed for this section and it was filled extractively (`--fallback extractive`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub degraded: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Everything the extractive provider produces for a speech.
#[derive(Debug, Clone, PartialEq)]
pub struct Summaries {
    /// The whole-speech overview sentences, in order.
    pub overview: Vec<SentenceRef>,
    /// One summary per top-level section and per second-level section.
    pub sections: Vec<SectionSummary>,
    /// Every unit's score, keyed by span start (for facts that want "the best sentence").
    pub scores: Vec<(SentenceRef, f64)>,
}
