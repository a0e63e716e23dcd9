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
    /// The whole clause the figure is in, verbatim: subject, direction,
    /// value, unit and period (`全市…数量同比下降了18%`, `$30 million a day`).
    #[serde(default)]
    pub clause: String,
    /// Which way it moves, when the clause says (`增长`, `fell`).
    #[serde(default)]
    pub direction: Option<Direction>,
    /// True for a target or a headline fact (`主要预期目标`, `we must reach`):
    /// they rank first wherever figures are shown.
    #[serde(default)]
    pub target: bool,
    /// The sentence it is in.
    pub source: SentenceRef,
}

/// Which way a figure moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// 增长, 提高, rose, increased.
    Up,
    /// 下降, 减少, fell, cut.
    Down,
    /// 持平, 保持, unchanged.
    Level,
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
    /// What it means, in the speech's own words (a 名词解释 entry without
    /// its numbering, or the sentence that defines it); `None` when the
    /// speech does not say.
    #[serde(default)]
    pub definition: Option<String>,
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

/// A short-answer self-test question; the answer is in the speech's own
/// point sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct QaItem {
    /// The question.
    pub question: String,
    /// The answer key (verbatim points or sentences of the section).
    pub answer: String,
    /// The section the answer comes from.
    pub section_id: String,
}

/// What a key fact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum KeyFactKind {
    /// The speech's stated purpose (`这次会议的主要任务是…`, `I am here tonight to…`).
    Purpose,
    /// Its thesis (`从现在起，中国共产党的中心任务就是…`).
    Thesis,
    /// A target it sets (`主要预期目标是：地区生产总值增长5%左右`).
    Target,
}

/// A headline fact the speech states of itself, verbatim: these come first
/// in the briefing, the newsletter and the handout's background.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct KeyFact {
    /// Purpose, thesis or target.
    pub kind: KeyFactKind,
    /// The sentence, or the clauses of it that state the fact, verbatim.
    pub text: String,
    /// The sentence it is in.
    pub source: SentenceRef,
}
