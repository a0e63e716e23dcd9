//! Quotations: attributed quotes (`总书记强调，“…”`) and the speaker's own
//! lines worth quoting. Verbatim: the rules only choose.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Lang;
use crate::model::{Quote, SentenceRef};

static ZH_ATTRIBUTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}]{2,12}?)(?:反复|多次|深刻|明确)?(?:强调|指出|说|讲|要求|提出|告诫|寄语)(?:过|道)?[，,：:]\s*“([^”]{8,300})”").expect("static regex")
});

static EN_QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"]{20,300})"|“([^”]{20,300})”"#).expect("static regex"));

/// True when a sentence reads as a statement of its own rather than an
/// enumeration item or a report of events (used for quotes and the dek).
pub(crate) fn reads_on_its_own(text: &str) -> bool {
    !NOT_QUOTABLE.is_match(text)
}

/// Openings of sentences that report or enumerate rather than say something quotable.
static NOT_QUOTABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:——|[一二三四五六七八九十]+[是要、]|其[一二三四五六七八九十]|第[一二三四五六七八九十]|首先|其次|再次|去年|今年|明年|前年|近年来|过去|当前|目前|(?i:first|second|third|finally|last year|this year|in \d))")
        .expect("static regex")
});

/// Quotations: attributed quotes first (`总书记强调，“…”`), then the speaker's
/// own most central short sentences, up to `n`.
pub(crate) fn quotes(
    sentences: &[SentenceRef],
    scores: &[(SentenceRef, f64)],
    lang: Lang,
    n: usize,
) -> Vec<Quote> {
    let mut out: Vec<Quote> = Vec::new();
    for s in sentences {
        match lang {
            Lang::Zh => {
                for c in ZH_ATTRIBUTED.captures_iter(&s.text) {
                    out.push(Quote {
                        text: c[2].to_owned(),
                        attribution: Some(c[1].to_owned()),
                        source: s.clone(),
                    });
                }
            }
            Lang::En => {
                for c in EN_QUOTED.captures_iter(&s.text) {
                    let q = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
                    if q.split_whitespace().count() < 6 {
                        continue;
                    }
                    out.push(Quote { text: q.to_owned(), attribution: None, source: s.clone() });
                }
            }
        }
    }
    out.truncate(n);
    if out.len() < n {
        // The speaker's own lines worth quoting: short, central, saying
        // something general (no figures, no dates, no enumeration labels).
        let len_of = |s: &SentenceRef| {
            if lang == Lang::Zh {
                s.text.chars().count()
            } else {
                s.text.split_whitespace().count()
            }
        };
        let mut own: Vec<(&SentenceRef, f64)> = scores
            .iter()
            .filter(|(s, _)| {
                let len = len_of(s);
                let fits = if lang == Lang::Zh {
                    (7..=40).contains(&len)
                } else {
                    (6..=28).contains(&len)
                };
                // A Chinese line without a comma is mostly a heading in all but name.
                let has_clause = lang == Lang::En || s.text.contains(['，', ',']);
                fits && has_clause
                    && !s.text.contains(['“', '"', '：', ':'])
                    && !s.text.chars().any(|c| c.is_ascii_digit())
                    && !NOT_QUOTABLE.is_match(&s.text)
                    && !crate::summarize::is_procedural(&s.text, false, lang)
            })
            .map(|(s, score)| (s, score / (len_of(s) as f64).sqrt()))
            .collect();
        own.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.span.start.cmp(&b.0.span.start)));
        for (s, _) in own.into_iter().take(n - out.len()) {
            out.push(Quote { text: s.text.clone(), attribution: None, source: s.clone() });
        }
    }
    out.sort_by_key(|q| q.source.span.start);
    out
}
