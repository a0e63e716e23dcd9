//! Clean text → the speech's own outline: a tree of sections (opening, the
//! numbered parts and their children, closing), each holding paragraphs of
//! sentences with byte spans into [`Document::text`], and the enumerated
//! points (`一是…`, `其一，…`, `一要…`) found in them. Problems (an announced
//! "three points" with two found, no numbering at all) become [`Warning`]s;
//! outlining never fails.

pub(crate) mod markers;
mod tree;

use crate::model::Document;
use crate::model::Outline;

/// Finds the outline of `doc`. Pure and infallible.
pub fn outline(doc: &Document) -> Outline {
    let (sections, warnings) = tree::build(&doc.text, &doc.heading_starts, doc.meta.lang);
    Outline { meta: doc.meta.clone(), sections, warnings }
}
