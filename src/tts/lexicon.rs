//! The user's pronunciation lexicon (`[tts] lexicon = "lexicon.tsv"`): a
//! written form and how to say it, applied to the normalised text, so that a
//! 多音字 or a name is fixed once for every spoken output.
//!
//! One entry a line, tab-separated, `#` starts a comment line:
//!
//! ```text
//! # written  alias (respelling)  phoneme     alphabet (x-pinyin by default, or ipa)
//! 重庆       虫庆                chóng qìng
//! 行长       航长                háng zhǎng
//! ```
//!
//! Engines that read SSML get `<phoneme alphabet="…" ph="…">written</phoneme>`
//! (or `<sub alias="…">` when the entry has no phoneme); plain-text engines
//! get the alias, never raw pinyin (a voice reads `chóng` as letters). The
//! match is leftmost-longest over the entries. Hand-written: the matching
//! is a dozen lines, and no crate reads this small table format. Pure.

use crate::tts::xml::escape;

/// How a written form is said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The written form, as it stands in the normalised text.
    pub(crate) written: String,
    /// A respelling for plain-text engines (same-sound characters or words).
    pub(crate) alias: Option<String>,
    /// A pronunciation for SSML engines: (alphabet, value).
    pub(crate) phoneme: Option<(String, String)>,
}

/// The parsed lexicon.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Lexicon {
    /// Longest written form first (leftmost-longest matching).
    entries: Vec<Entry>,
    /// A hash of the file's text: part of every speech cache key.
    version: String,
}

impl Lexicon {
    /// Parses a lexicon file's text.
    ///
    /// # Errors
    /// A line without a written form, or with neither an alias nor a
    /// phoneme, or an unknown alphabet (as `line N: …`).
    pub(crate) fn parse(text: &str) -> Result<Lexicon, String> {
        let mut entries: Vec<Entry> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let at = |n: usize| cols.get(n).copied().filter(|s| !s.is_empty());
            let n = i + 1;
            let written = at(0).ok_or_else(|| format!("line {n}: no written form"))?;
            let alias = at(1).map(str::to_owned);
            let alphabet = at(3).unwrap_or("x-pinyin");
            if !matches!(alphabet, "x-pinyin" | "ipa") {
                return Err(format!("line {n}: unknown alphabet `{alphabet}` (x-pinyin, ipa)"));
            }
            let phoneme = at(2).map(|p| (alphabet.to_owned(), p.to_owned()));
            if alias.is_none() && phoneme.is_none() {
                return Err(format!("line {n}: `{written}` has neither an alias nor a phoneme"));
            }
            entries.retain(|e| e.written != written);
            entries.push(Entry { written: written.to_owned(), alias, phoneme });
        }
        entries.sort_by_key(|e| std::cmp::Reverse(e.written.chars().count()));
        let version = blake3::hash(text.as_bytes()).to_hex()[..16].to_owned();
        Ok(Lexicon { entries, version })
    }

    /// The version that enters every speech cache key.
    pub(crate) fn version(&self) -> &str {
        &self.version
    }

    /// `text` cut into plain runs and lexicon matches, in order.
    fn segments<'a>(&'a self, text: &'a str) -> Vec<(&'a str, Option<&'a Entry>)> {
        let mut out = Vec::new();
        let (mut plain, mut i) = (0, 0);
        while i < text.len() {
            let rest = &text[i..];
            if let Some(e) = self.entries.iter().find(|e| rest.starts_with(e.written.as_str())) {
                if plain < i {
                    out.push((&text[plain..i], None));
                }
                out.push((&text[i..i + e.written.len()], Some(e)));
                i += e.written.len();
                plain = i;
            } else {
                i += rest.chars().next().map_or(1, char::len_utf8);
            }
        }
        if plain < text.len() {
            out.push((&text[plain..], None));
        }
        out
    }

    /// The text for a plain-text engine: each match replaced by its alias
    /// (an entry with a phoneme only is left as written).
    pub(crate) fn respell(&self, text: &str) -> String {
        self.segments(text)
            .into_iter()
            .map(|(s, e)| e.and_then(|e| e.alias.as_deref()).unwrap_or(s))
            .collect()
    }

    /// The text escaped for SSML, each match as `<phoneme>` (or `<sub>`).
    pub(crate) fn to_ssml(&self, text: &str) -> String {
        let mut out = String::new();
        for (s, e) in self.segments(text) {
            match e {
                None => out.push_str(&escape(s)),
                Some(Entry { phoneme: Some((alphabet, ph)), .. }) => out.push_str(&format!(
                    r#"<phoneme alphabet="{}" ph="{}">{}</phoneme>"#,
                    escape(alphabet),
                    escape(ph),
                    escape(s)
                )),
                Some(Entry { alias: Some(a), .. }) => {
                    out.push_str(&format!(r#"<sub alias="{}">{}</sub>"#, escape(a), escape(s)));
                }
                Some(_) => out.push_str(&escape(s)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "# written\talias\tphoneme\n重庆\t虫庆\tchóng qìng\n行长\t航长\tháng zhǎng\n\nNguyen\tWin\n";

    #[test]
    fn entries_reach_ssml_and_plain_text() {
        let l = Lexicon::parse(TSV).unwrap();
        let text = "重庆银行行长说<好>。";
        assert_eq!(
            l.to_ssml(text),
            r#"<phoneme alphabet="x-pinyin" ph="chóng qìng">重庆</phoneme>银行<phoneme alphabet="x-pinyin" ph="háng zhǎng">行长</phoneme>说&lt;好&gt;。"#
        );
        assert_eq!(l.respell(text), "虫庆银行航长说<好>。");
        assert_eq!(l.to_ssml("Mr Nguyen"), r#"Mr <sub alias="Win">Nguyen</sub>"#);
        assert_eq!(l.respell("no match"), "no match");
        assert_eq!(Lexicon::default().to_ssml("a&b"), "a&amp;b");
    }

    #[test]
    fn longest_match_wins_and_bad_lines_are_named() {
        let l = Lexicon::parse("长\t常\n行长\t航长\n").unwrap();
        assert_eq!(l.respell("行长长"), "航长常");
        assert_eq!(
            Lexicon::parse("x\n").unwrap_err(),
            "line 1: `x` has neither an alias nor a phoneme"
        );
        assert!(Lexicon::parse("a\tb\tc\tsampa\n").unwrap_err().contains("unknown alphabet"));
        assert_ne!(Lexicon::parse(TSV).unwrap().version(), l.version());
    }
}
