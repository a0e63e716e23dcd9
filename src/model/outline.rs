//! The speech's structure: sections, paragraphs, sentences with byte spans
//! into [`super::Document::text`], enumerated points and structural warnings.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::Meta;

/// A byte range `[start, end)` into the clean text, serialised as `[start, end]`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl From<[usize; 2]> for Span {
    fn from([start, end]: [usize; 2]) -> Self {
        Span { start, end }
    }
}

impl From<Span> for [usize; 2] {
    fn from(s: Span) -> Self {
        [s.start, s.end]
    }
}

/// One sentence of the speech.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// The sentence, exactly as in the clean text.
    pub text: String,
    /// Where it is in the clean text.
    pub span: Span,
}

/// One paragraph (a line of the clean text, less a heading it opens with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Where it is in the clean text.
    pub span: Span,
    /// Its sentences, in order.
    pub sentences: Vec<Sentence>,
}

/// An enumerated point inside a section: `一是高压态势持续巩固。…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    /// The label as written: `一是`, `其一`, `一要`.
    pub label: String,
    /// Its number in the sequence.
    pub number: u32,
    /// The lead clause after the label, without closing punctuation.
    pub lead: String,
    /// Where the lead clause is in the clean text.
    pub span: Span,
    /// Index of the paragraph (within the section) that holds it.
    pub paragraph: usize,
    /// Index of the sentence (within that paragraph) it opens.
    pub sentence: usize,
}

/// What a section is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// The paragraphs before the first part (`同志们：…下面，我讲三点意见。`).
    Opening,
    /// A numbered or headed part of the speech.
    Part,
    /// A group of paragraphs in a speech without numbering, cut where the topic changes.
    Group,
    /// The closing appeal after the last part (`同志们！…让我们…`).
    Closing,
    /// Notes printed after the speech (`名词解释`, `Notes`): glossary entries, not parts.
    Notes,
}

/// One section of the outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Position in the tree: `0` for the opening, `1`, `1.2`, … for parts, the
    /// next free number for the closing.
    pub id: String,
    /// What the section is.
    pub kind: SectionKind,
    /// The label as the speech writes it: `一`, `（一）`, `第一`, `I`, `First`.
    pub label: Option<String>,
    /// The heading without its label, when the speech gives one.
    pub heading: Option<String>,
    /// Where the heading sentence (label included) is in the clean text.
    pub heading_span: Option<Span>,
    /// Depth in the tree, 1 for top-level sections.
    pub level: usize,
    /// The section's own paragraphs (not those of its children).
    pub paragraphs: Vec<Paragraph>,
    /// Enumerated points in the section's own paragraphs.
    pub points: Vec<Point>,
    /// Sub-sections.
    pub children: Vec<Section>,
}

impl Section {
    /// This section and all its descendants, depth first, in document order.
    pub fn walk(&self) -> Vec<&Section> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }

    /// All sentences of this section and its descendants, in document order,
    /// headings excluded.
    pub fn all_sentences(&self) -> Vec<&Sentence> {
        self.walk()
            .into_iter()
            .flat_map(|s| s.paragraphs.iter().flat_map(|p| &p.sentences))
            .collect()
    }

    /// The number of characters in the section's own text and its children's.
    pub fn char_count(&self) -> usize {
        self.all_sentences().iter().map(|s| s.text.chars().count()).sum()
    }
}

/// Something about the structure a reader should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// The speech announces a number of parts that differs from what was found.
    AnnouncedPartsMismatch {
        /// How many parts the speech announces.
        announced: u32,
        /// How many top-level parts were found.
        found: u32,
        /// A sentence for people.
        message: String,
    },
    /// No numbering or headings: sections are groups of paragraphs.
    NoNumbering {
        /// A sentence for people.
        message: String,
    },
}

impl Warning {
    /// The human-readable message.
    pub fn message(&self) -> &str {
        match self {
            Warning::AnnouncedPartsMismatch { message, .. } | Warning::NoNumbering { message } => {
                message
            }
        }
    }
}

/// The speech's structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outline {
    /// The document's metadata.
    pub meta: Meta,
    /// Top-level sections in order: opening, parts (or groups), closing.
    pub sections: Vec<Section>,
    /// Structural warnings.
    pub warnings: Vec<Warning>,
}

impl Outline {
    /// Every section, depth first, in document order.
    pub fn walk(&self) -> Vec<&Section> {
        self.sections.iter().flat_map(Section::walk).collect()
    }

    /// The top-level parts (no opening, closing).
    pub fn parts(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| matches!(s.kind, SectionKind::Part | SectionKind::Group))
    }
}
