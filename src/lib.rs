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
//! - [`tts`]: `Outline` → [`tts::Transcript`] (normalised, synthesiser-sized chunks; SSML);
//! - [`run`]: the commands, the only code that sequences stages.
//!
//! Every stage except fetching and the orchestration is a plain function over
//! plain data.

pub mod cli;
pub mod error;
pub mod ingest;
pub mod outline;
pub mod run;
pub mod tts;

pub use error::{Error, Result};
pub use ingest::{Document, Lang, Meta};
pub use outline::{Outline, Section, Sentence, Span};
