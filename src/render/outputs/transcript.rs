//! The TTS-ready transcript: `transcript.txt` (plain text, a chunk a line)
//! and `transcript.ssml`, chunked for a generic engine. The lexicon's
//! entries are in the SSML (`<phoneme>`, `<sub>`); the text keeps the
//! written form.

use super::{Inputs, Make, Output};
use crate::error::Result;
use crate::tts;

pub(super) const OUTPUTS: &[Output] = &[
    Output { name: "transcript.txt", group: Some("transcript"), make: Make::Build(text) },
    Output { name: "transcript.ssml", group: Some("transcript"), make: Make::Build(ssml) },
];

fn text(i: &Inputs<'_>) -> Result<Vec<u8>> {
    Ok(tts::to_text(i.transcript()).into_bytes())
}

fn ssml(i: &Inputs<'_>) -> Result<Vec<u8>> {
    Ok(tts::to_ssml_with(i.transcript(), i.lexicon).into_bytes())
}
