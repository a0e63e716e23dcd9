//! speechdigest turns long Chinese and English speeches into things people
//! can use: the speech's own outline, a TTS-ready transcript, a briefing, a
//! key-point list, a study handout and a newsletter summary.
//!
//! ```text
//! source ──ingest──▶ Document ──outline──▶ Outline ──summarise──▶ Digest ──render──▶ files
//! ```
//!
//! Layers, bottom to top (`layers.toml`, checked in CI by `.ci/layers.py`):
//! `error`, `model` · `text` · `ingest`, `outline`, `tts`, `summarize`, `store`,
//! `output` · `render`, `digest` · `llm` · `app`. A module imports only from its
//! own layer or below.

pub mod app;
pub mod digest;
pub mod error;
pub mod ingest;
pub mod llm;
pub mod model;
pub mod outline;
pub mod output;
pub mod render;
pub mod store;
pub mod summarize;
pub mod text;
pub mod tts;

pub use error::{Error, Result};
pub use model::{Digest, Document, Lang, Meta, Outline, Section, Sentence, Span};
