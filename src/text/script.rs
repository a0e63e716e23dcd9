//! Script tests and language detection.

use crate::model::Lang;

/// A Han (CJK unified) ideograph: the basic block, extension A and the
/// compatibility ideographs.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Guesses the language from the share of Chinese characters among letters
/// (the first 20,000 characters are enough).
pub(crate) fn detect_lang(text: &str) -> Lang {
    let (mut cjk, mut latin) = (0usize, 0usize);
    for c in text.chars().take(20_000) {
        if matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}') {
            cjk += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    // A Chinese character carries about as much as a short English word.
    if cjk > 0 && cjk * 4 >= latin { Lang::Zh } else { Lang::En }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(detect_lang("同志们：今天我们开会。"), Lang::Zh);
        assert_eq!(detect_lang("Mr. Speaker, members of Congress."), Lang::En);
        assert_eq!(detect_lang("在 GDP 和 CPI 方面，我们取得了进展。"), Lang::Zh);
        assert!(is_han('中') && !is_han('a') && !is_han('。'));
    }
}
