//! Script tests and language detection.

use crate::model::Lang;

/// A Han (CJK unified) ideograph: the basic block, extension A and the
/// compatibility ideographs.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// A Han ideograph, a CJK symbol or punctuation mark (`。`, `、`, `《`, the
/// ideographic space) or a full-width or half-width form (`，`, `！`, `１`):
/// what running Chinese text is made of. The sentence splitter needs this
/// wider set: ASCII `!?;.` next to any of them ends a Chinese sentence.
pub(crate) fn is_cjk_or_fullwidth(c: char) -> bool {
    is_han(c) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// Guesses the language from the share of Han characters among letters
/// (the first 20,000 characters are enough).
pub(crate) fn detect_lang(text: &str) -> Lang {
    let (mut han, mut latin) = (0usize, 0usize);
    for c in text.chars().take(20_000) {
        if is_han(c) {
            han += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    // A Chinese character carries about as much as a short English word.
    if han > 0 && han * 4 >= latin { Lang::Zh } else { Lang::En }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(detect_lang("同志们：今天我们开会。"), Lang::Zh);
        assert_eq!(detect_lang("Mr. Speaker, members of Congress."), Lang::En);
        assert_eq!(detect_lang("在 GDP 和 CPI 方面，我们取得了进展。"), Lang::Zh);
        assert_eq!(detect_lang(""), Lang::En);
    }

    #[test]
    fn scripts() {
        for c in ['中', '㐀', '龥', '\u{F900}'] {
            assert!(is_han(c) && is_cjk_or_fullwidth(c), "{c}");
        }
        for c in ['。', '、', '《', '\u{3000}', '，', '！', '１'] {
            assert!(!is_han(c) && is_cjk_or_fullwidth(c), "{c}");
        }
        for c in ['a', '.', '!', ' ', 'é'] {
            assert!(!is_han(c) && !is_cjk_or_fullwidth(c), "{c}");
        }
    }
}
