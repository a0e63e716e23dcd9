//! Spoken twins: the briefing and the newsletter as text for a synthesiser.

use super::{Make, Output};

pub(super) const OUTPUTS: &[Output] = &[
    Output { name: "briefing.tts.txt", group: None, make: Make::Spoken("briefing.md") },
    Output { name: "newsletter.tts.txt", group: None, make: Make::Spoken("newsletter.md") },
];
