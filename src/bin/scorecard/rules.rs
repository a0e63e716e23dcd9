//! The scorecard's pattern tables (`data/rules.tsv`) and word list
//! (`data/en_common.txt`), loaded once.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

const RULES: &str = include_str!("data/rules.tsv");
const EN_COMMON: &str = include_str!("data/en_common.txt");

/// One row of `rules.tsv`.
pub(crate) struct Rule {
    pub(crate) kind: String,
    pub(crate) lang: String,
    pub(crate) re: Regex,
    pub(crate) why: String,
}

static TABLE: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    RULES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 3, "rules.tsv: a row needs KIND, LANG and REGEX: {l}");
            Rule {
                kind: f[0].to_owned(),
                lang: f[1].to_owned(),
                re: Regex::new(f[2]).unwrap_or_else(|e| panic!("rules.tsv: {l}: {e}")),
                why: f.get(3).unwrap_or(&"").to_string(),
            }
        })
        .collect()
});

/// The rows of `kind` that apply to `lang` (`zh`, `en`; `*` rows apply to both).
pub(crate) fn rules(kind: &str, lang: &str) -> impl Iterator<Item = &'static Rule> {
    let lang = lang.to_owned();
    TABLE.iter().filter(move |r| r.kind == kind && (r.lang == "*" || r.lang == lang))
}

/// The first rule of `kind` for `lang` that matches `text`, if any.
pub(crate) fn first_match(kind: &str, lang: &str, text: &str) -> Option<&'static Rule> {
    rules(kind, lang).find(|r| r.re.is_match(text))
}

/// The general English frequency list: a word in it is common.
pub(crate) static EN_COMMON_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    EN_COMMON.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        assert!(TABLE.len() > 30);
        for kind in ["opener", "clause_end", "formula", "furniture", "direction", "period"] {
            assert!(rules(kind, "zh").next().is_some(), "{kind} zh");
            assert!(rules(kind, "en").next().is_some(), "{kind} en");
        }
        assert_eq!(EN_COMMON_WORDS.len(), 3000);
        assert!(EN_COMMON_WORDS.contains("time") && !EN_COMMON_WORDS.contains("homeland"));
    }
}
