//! speechdigest turns long Chinese and English speeches into things people
//! can use: the speech's own outline, a TTS-ready transcript, a briefing, a
//! key-point list, a study handout and a newsletter summary.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! source ──ingest──▶ Document ──outline──▶ Outline ──summarise──▶ Digest ──render──▶ files
//! ```
//!
//! - [`ingest`]: bytes (file, stdin, URL) → [`ingest::Document`] (clean text + metadata);
//! - [`outline`]: `Document` → [`outline::Outline`] (sections, paragraphs, sentences, points);
//! - [`summarize`]: `Outline` → per-section summaries, key points, facts (extractive, offline);
//! - [`digest`]: all of it → [`digest::Digest`], the template context and `digest.json`;
//! - [`render`]: `Digest` → output strings through Tera templates; [`output`] writes folders atomically;
//! - [`tts`]: `Outline` → [`tts::Transcript`] (normalised, synthesiser-sized chunks; SSML);
//! - [`run`]: the commands, the only code that sequences stages.
//!
//! Every stage except fetching and the orchestration is a plain function over
//! plain data.

pub mod assets;
pub mod cli;
pub mod config;
pub mod digest;
pub mod error;
pub mod ingest;
pub mod outline;
pub mod output;
pub mod render;
pub mod run;
pub mod store;
pub mod summarize;
pub mod tts;
pub mod watch;

pub use digest::Digest;
pub use error::{Error, Result};
pub use ingest::{Document, Lang, Meta};
pub use outline::{Outline, Section, Sentence, Span};
