//! One speech folder as the scorecard sees it: `digest.json` as plain JSON
//! and every rendered output as text. Nothing here knows the generator's
//! types, so a new field or a new template layout does not break it.

use std::path::Path;

use serde_json::Value;

/// The rendered files a reader gets, read when present (a missing one is
/// empty text, so a detector over it finds nothing).
pub(crate) const OUTPUTS: &[&str] = &[
    "handout.md",
    "handout.html",
    "newsletter.md",
    "newsletter.html",
    "briefing.md",
    "keypoints.md",
];

/// A speech folder: its name, its digest and its outputs' text.
pub(crate) struct Speech {
    pub(crate) name: String,
    pub(crate) digest: Value,
    /// `(file name, text)` for each of [`OUTPUTS`] that exists.
    pub(crate) files: Vec<(&'static str, String)>,
}

impl Speech {
    /// A speech from its parts (tests build them in memory).
    #[cfg(test)]
    pub(crate) fn new(name: &str, digest: Value, files: &[(&'static str, &str)]) -> Speech {
        let files = files.iter().map(|(n, t)| (*n, (*t).to_owned())).collect();
        Speech { name: name.to_owned(), digest, files }
    }

    /// The text of output `name`, empty when the folder has none.
    pub(crate) fn file(&self, name: &str) -> &str {
        self.files.iter().find(|(n, _)| *n == name).map_or("", |(_, t)| t.as_str())
    }

    /// `zh` or `en`: the digest's `meta.lang`, else guessed from the handout.
    pub(crate) fn lang(&self) -> &'static str {
        match self.digest.pointer("/meta/lang").and_then(Value::as_str) {
            Some(l) if l.starts_with("zh") => "zh",
            Some(_) => "en",
            None if han_count(self.file("handout.md")) > 50 => "zh",
            None => "en",
        }
    }

    /// The string at JSON `pointer`, or "".
    pub(crate) fn str_at(&self, pointer: &str) -> &str {
        self.digest.pointer(pointer).and_then(Value::as_str).unwrap_or("")
    }

    /// The array at JSON `pointer`, or an empty one.
    pub(crate) fn array_at(&self, pointer: &str) -> &[Value] {
        self.digest.pointer(pointer).and_then(Value::as_array).map_or(&[], Vec::as_slice)
    }
}

/// Every folder of `dir` with a `digest.json`, sorted by name.
pub(crate) fn load_all(dir: &Path) -> Result<Vec<Speech>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let digest_path = path.join("digest.json");
        if !digest_path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&digest_path)
            .map_err(|e| format!("{}: {e}", digest_path.display()))?;
        let digest = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not JSON: {e}", digest_path.display()))?;
        let files = OUTPUTS
            .iter()
            .filter_map(|n| std::fs::read_to_string(path.join(n)).ok().map(|t| (*n, t)))
            .collect();
        let name = entry.file_name().to_string_lossy().into_owned();
        out.push(Speech { name, digest, files });
    }
    if out.is_empty() {
        return Err(format!("{}: no speech folder (with a digest.json) in it", dir.display()));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Han characters in `s` (字).
pub(crate) fn han_count(s: &str) -> usize {
    s.chars().filter(|c| is_han(*c)).count()
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Latin words in `s`.
pub(crate) fn word_count(s: &str) -> usize {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .count()
}

/// `s` without whitespace, quotation marks, Markdown emphasis and final
/// punctuation: two lifts of one sentence compare equal however they are
/// framed.
pub(crate) fn normalise(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '‘' | '’' | '*' | '「' | '」')
        })
        .collect();
    s.trim_end_matches(['。', '.', '！', '!', '？', '?', '；', ';']).to_owned()
}

/// `s` trimmed of whitespace and of quotation marks around it.
pub(crate) fn trim_quotes(s: &str) -> &str {
    s.trim().trim_matches(['“', '”', '"', '‘', '’', '「', '」']).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_normalising() {
        assert_eq!(han_count("2471字, 2 部分"), 3);
        assert_eq!(word_count("We've spent $30 million a day."), 5);
        assert_eq!(normalise("> “除恶务尽, 治乱用重典。”"), ">除恶务尽,治乱用重典");
        assert_eq!(trim_quotes(" “必须坚持” "), "必须坚持");
    }

    #[test]
    fn lang_from_meta_or_text() {
        let zh = Speech::new("a", serde_json::json!({"meta": {"lang": "zh"}}), &[]);
        assert_eq!(zh.lang(), "zh");
        let en = Speech::new("b", serde_json::json!({}), &[("handout.md", "# Title")]);
        assert_eq!(en.lang(), "en");
        assert_eq!(en.file("briefing.md"), "");
    }
}
