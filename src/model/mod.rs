//! Plain data: the types every stage passes to the next, and nothing else.
//!
//! `Document` (ingest) → `Outline` (outline) → `Summaries` (summarize, llm) →
//! `Digest` (digest) → files (render); `Transcript` (tts). Serialisable so
//! that `outline --json` and `digest.json` are these types as they are. No
//! module here imports anything from the crate outside `model`: it is the
//! bottom layer (see `layers.toml`).

mod digest;
mod document;
mod facts;
mod outline;
mod summary;
mod transcript;

pub use digest::{
    ApiStats, AudioFile, Background, Brief, Briefing, Digest, DigestWarning, Labels, Newsletter,
    OutlineEntry, Part, PartGroup, ProviderInfo, ProviderOutput, SCHEMA_VERSION, Stats,
};
pub use document::{Document, Lang, Meta, Removed};
pub use facts::{Direction, Figure, KeyFact, KeyFactKind, QaItem, QuizItem, Quote, Term};
pub use outline::{Outline, Paragraph, Point, Section, SectionKind, Sentence, Span, Warning};
pub use summary::{KeyPoint, SectionSummary, SentenceRef, Summaries};
pub use transcript::{Chunk, ChunkKind, Pause, TITLE_ID, Transcript};
