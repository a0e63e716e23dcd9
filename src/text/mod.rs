//! Text primitives every stage shares: which script a character is in, which
//! language a text is in. One definition each, so that the stages agree.

pub(crate) mod script;

pub(crate) use script::{detect_lang, is_cjk_or_fullwidth, is_han};
