//! Display case for headlines scraped in capitals: `ADDRESS BEFORE A JOINT
//! SESSION OF THE CONGRESS` is shown as `Address Before a Joint Session of
//! the Congress`. Only a text with no lower-case letter is changed: a title
//! the source writes in mixed case is the source's choice. Hand-written: the
//! case crates (heck, convert_case) make identifiers, not headline case
//! with English small words, initials and possessives.

/// Words kept lower case inside a headline.
const SMALL: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "the", "to", "with",
];

/// True when `s` has at least three capital letters and no lower-case one.
pub(crate) fn is_shouting(s: &str) -> bool {
    !s.chars().any(char::is_lowercase) && s.chars().filter(|c| c.is_uppercase()).count() >= 3
}

/// `s` in headline case when it is written in capitals; else `s` as it is.
/// Initials (`F.`, `U.S.`) and Roman numerals (`II`) keep their capitals.
pub(crate) fn display_case(s: &str) -> String {
    if !is_shouting(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut first = true;
    for (i, piece) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if piece.is_empty() {
            continue;
        }
        let lower = piece.to_lowercase();
        let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
        let roman = !bare.is_empty()
            && bare.len() <= 4
            && bare.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
            && bare != "vi";
        if piece.contains('.') && piece.chars().filter(|c| c.is_alphabetic()).count() <= 3
            || roman && !first
        {
            out.push_str(piece);
        } else if !first && SMALL.contains(&bare) {
            out.push_str(&lower);
        } else {
            // Capitalise the first letter; `'S` of a possessive stays small.
            let mut done = false;
            for c in lower.chars() {
                if !done && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                    done = true;
                } else {
                    out.push(c);
                }
            }
        }
        first = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_become_headline_case() {
        for (input, want) in [
            (
                "ADDRESS BEFORE A JOINT SESSION OF THE CONGRESS",
                "Address Before a Joint Session of the Congress",
            ),
            (
                "PRESIDENT JOHN F. KENNEDY'S SPECIAL MESSAGE TO THE CONGRESS",
                "President John F. Kennedy's Special Message to the Congress",
            ),
            ("THE U.S. AND WORLD WAR II", "The U.S. and World War II"),
            ("Remarks at the Summit", "Remarks at the Summit"),
            ("政府工作报告", "政府工作报告"),
            ("OK", "OK"),
        ] {
            assert_eq!(display_case(input), want, "{input}");
        }
    }
}
