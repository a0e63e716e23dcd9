//! common_term: glossary entries that are everyday words.
//!
//! zh: a term that is one word of jieba's own dictionary with a frequency
//! of at least [`ZH_COMMON_FREQ`] (in a dictionary of about 60 million
//! counts: 发展 68,664, 深化 1,425; coined terms such as 双拥 863 or
//! 共同富裕 3 stay below). The frequency comes from the segmenter's
//! dictionary, not from the generator's stop list. en: every word of the
//! term is in the 3,000 most frequent English words (`data/en_common.txt`),
//! so `time` and `million dollars` count and `homeland security` does not.

use std::sync::LazyLock;

use jieba_rs::Jieba;

use crate::rules::EN_COMMON_WORDS;
use crate::speech::{Speech, han_count};

/// jieba dictionary frequency from which a single word is common.
const ZH_COMMON_FREQ: usize = 1000;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Small words inside a proper name (`Act for International Development`).
const SMALL: &[&str] = &["for", "of", "the", "and", "on", "in", "to", "a"];

pub(crate) fn common_term(s: &Speech) -> Vec<String> {
    s.array_at("/terms")
        .iter()
        .filter_map(|t| t.get("term").and_then(|v| v.as_str()))
        .filter_map(|term| why_common(term).map(|why| format!("{term} ({why})")))
        .collect()
}

/// Why `term` is a common word, or `None` when it is not.
fn why_common(term: &str) -> Option<String> {
    let term = crate::speech::trim_quotes(term);
    if han_count(term) > 0 {
        // suggest_freq of a single dictionary word is its count (+1).
        if JIEBA.has_word(term) {
            let freq = JIEBA.suggest_freq(term).saturating_sub(1);
            return (freq >= ZH_COMMON_FREQ).then(|| format!("jieba frequency {freq}"));
        }
        return None;
    }
    let raw: Vec<&str> =
        term.split(|c: char| !c.is_alphabetic() && c != '\'').filter(|w| !w.is_empty()).collect();
    // A name of several capitalised words (`Peace Corps`, `National Space
    // Council`) is a proper name however common its words are.
    if raw.len() > 1
        && raw.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase) || SMALL.contains(w))
    {
        return None;
    }
    let words: Vec<String> = raw.iter().map(|w| w.to_lowercase()).collect();
    let common = !words.is_empty() && words.iter().all(|w| EN_COMMON_WORDS.contains(w.as_str()));
    common.then(|| String::from("every word in the top 3,000 English words"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn common_and_coined_terms() {
        for (term, common) in [
            ("发展", true),
            ("群众", true),
            ("深化", true),
            ("建设", true),
            ("急难愁盼", false),
            ("蝇贪蚁腐", false),
            ("双拥", false),
            ("共同富裕", false),
            ("新质生产力", false),
            ("make", true),
            ("time", true),
            ("years", true),
            ("million dollars", true),
            ("homeland security", false),
            ("axis of evil", false),
            ("USA Freedom Corps", false),
            ("National Space Council", false),
            ("Act for International Development", false),
            ("civil defense", true),
        ] {
            assert_eq!(why_common(term).is_some(), common, "{term}");
        }
    }

    #[test]
    fn counts_each_common_entry() {
        let s = Speech::new(
            "s",
            json!({"terms": [{"term": "发展"}, {"term": "蝇贪蚁腐"}, {"term": "nation"}]}),
            &[],
        );
        assert_eq!(common_term(&s).len(), 2);
    }
}
