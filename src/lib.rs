//! speechdigest turns long Chinese and English speeches into things people
//! can use: the speech's own outline, a TTS-ready transcript, a briefing, a
//! key-point list, a study handout and a newsletter summary.
//!
//! ```text
//! source ──ingest──▶ Document ──outline──▶ Outline ──summarise──▶ Digest ──render──▶ files
//! ```
//!
//! Layers, bottom to top (`layers.toml`, checked in CI by `.ci/layers.py`):
//! `error`, `model`, `redact` · `text` · `ingest`, `outline`, `tts`, `summarize`, `store`,
//! `output` · `digest`, `render` · `llm` · `app`. A module imports only from its
//! own layer or below.
//!
//! The library exports the data types ([`model`]), the one pipeline
//! ([`process`]) and the stage entry points the benches and tests drive;
//! everything else is `pub(crate)`.

pub(crate) mod app;
pub(crate) mod digest;
pub(crate) mod error;
pub(crate) mod ingest;
pub(crate) mod llm;
pub mod model;
pub(crate) mod outline;
pub(crate) mod output;
pub(crate) mod redact;
pub(crate) mod render;
pub(crate) mod store;
pub(crate) mod summarize;
pub(crate) mod text;
pub(crate) mod tts;

pub use app::main;
pub use app::pipeline::{Pipeline, Processed, process};
pub use error::{Error, Result};
pub use ingest::{Hint, Limits, Source, ingest_bytes, ingest_bytes_with, read_source};
pub use outline::outline;
pub use tts::{Engine, NormalizeOptions, TtsOptions, normalize, transcript};
