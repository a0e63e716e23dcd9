//! Facts lifted from the speech: figures, quotations, terms, quiz items.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::SentenceRef;

/// A number with its unit, as written in the speech.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Figure {
    /// The figure as written (`96.2%`, `1833亿元`, `23 million dollars`).
    pub value: String,
    /// What it measures: the words before it in its clause, verbatim.
    pub measures: String,
    /// The sentence it is in.
    pub source: SentenceRef,
}

/// A notable quotation, verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Quote {
    /// The quoted words (without the quotation marks).
    pub text: String,
    /// Who is quoted (`习近平总书记`), when the sentence says so; `None` for
    /// the speaker's own memorable lines.
    pub attribution: Option<String>,
    /// The sentence it is in.
    pub source: SentenceRef,
}

/// A term: a coined phrase, a glossary entry or a keyphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Term {
    /// The term as written.
    pub term: String,
    /// `coined` (in quotation marks), `glossary` (from the speech's notes) or `keyphrase`.
    pub kind: String,
    /// How often it occurs.
    pub count: usize,
    /// The sentence that defines it or first uses it.
    pub source: SentenceRef,
}

/// A fill-in-the-blank question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct QuizItem {
    /// The sentence with the answer replaced by `____`.
    pub question: String,
    /// The missing words.
    pub answer: String,
    /// The section it comes from.
    pub section_id: String,
}
