//! The spoken form of a speech: synthesiser-sized chunks with pauses.

use serde::{Deserialize, Serialize};

use crate::model::Lang;

/// What a chunk holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChunkKind {
    /// The speech's title or a section heading (with its label).
    Heading,
    /// Sentences of a paragraph.
    Body,
}

/// The pause a synthesiser should make after a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pause {
    /// The paragraph goes on.
    Sentence,
    /// End of a paragraph or of a section heading.
    Paragraph,
    /// End of the title or of a section's own text.
    Section,
}

/// One synthesiser request's worth of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    /// The section it belongs to (`title` for the speech's title, else the
    /// outline's section id: `0`, `1`, `1.2`, …).
    pub section_id: String,
    /// Heading or body text.
    pub kind: ChunkKind,
    /// Normalised text: no digits, within the limit. A chunk never spans two
    /// paragraphs.
    pub text: String,
    /// The pause after it.
    pub pause_after: Pause,
}

/// The spoken form of a speech.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    /// The speech's language.
    pub lang: Lang,
    /// The chunks, in reading order.
    pub chunks: Vec<Chunk>,
}

/// The section id given to the title chunk.
pub const TITLE_ID: &str = "title";
