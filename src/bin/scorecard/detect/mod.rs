//! The detectors: each takes one speech and returns its findings, one
//! message per defect (the count is the number of messages). They share no
//! state and call nothing of the generator.

mod figures;
mod lifted;
mod page;
mod questions;
mod terms;

use crate::speech::Speech;

/// A detector: the defects of one kind in one speech.
pub(crate) type Detector = fn(&Speech) -> Vec<String>;

/// Every detector, in the table's column order (issue 9's list).
pub(crate) const DETECTORS: &[(&str, Detector)] = &[
    ("dup_excerpt", lifted::dup_excerpt),
    ("common_term", terms::common_term),
    ("fragment", lifted::fragment),
    ("formula_quote", lifted::formula_quote),
    ("heading_takeaway", lifted::heading_takeaway),
    ("lost_figure", figures::lost_figure),
    ("template_question", questions::template_question),
    ("thin_quiz", questions::thin_quiz),
    ("local_path", page::local_path),
    ("furniture", page::furniture),
    ("long_handout", page::long_handout),
    ("label_mix", page::label_mix),
];

/// The text of a Markdown line without its block markers (`>`, `-`, `1.`,
/// `#`) and a trailing section reference (`[2.1]`).
pub(crate) fn md_content(line: &str) -> &str {
    let mut s = line.trim();
    loop {
        let t = s
            .strip_prefix('>')
            .or_else(|| s.strip_prefix("- "))
            .or_else(|| s.strip_prefix("* "))
            .or_else(|| s.strip_prefix('#'))
            .map(str::trim_start);
        match t {
            Some(t) => s = t,
            None => break,
        }
    }
    if let Some(i) = s.find(". ")
        && i <= 3
        && s[..i].chars().all(|c| c.is_ascii_digit())
        && i > 0
    {
        s = &s[i + 2..];
    }
    strip_ref(s)
}

/// `s` without a trailing ` [1.2]` section reference.
pub(crate) fn strip_ref(s: &str) -> &str {
    let t = s.trim_end();
    if t.ends_with(']')
        && let Some(i) = t.rfind('[')
        && t[i + 1..t.len() - 1].chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return t[..i].trim_end();
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_content() {
        for (line, want) in [
            ("> 除恶务尽,治乱用重典。", "除恶务尽,治乱用重典。"),
            ("- “必须坚持…” [1]", "“必须坚持…”"),
            ("  1. What is it? [2.1]", "What is it?"),
            ("### [2.1] 第一 坚持", "[2.1] 第一 坚持"),
            ("plain", "plain"),
        ] {
            assert_eq!(md_content(line), want, "{line}");
        }
    }

    #[test]
    fn detectors_are_named_once() {
        let mut names: Vec<&str> = DETECTORS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 12);
    }
}
