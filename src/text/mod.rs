//! Text primitives every stage shares: which script a character is in, which
//! language a text is in, where its sentences end. One definition each, so
//! that the stages agree.

pub(crate) mod case;
pub(crate) mod numerals;
pub(crate) mod salutations;
pub(crate) mod script;
pub(crate) mod sentences;

pub(crate) use script::{detect_lang, is_han};
