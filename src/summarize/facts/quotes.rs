//! Quotations: attributed quotes (`总书记强调，“…”`) and the speaker's own
//! lines worth quoting. Verbatim: the rules only choose.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Lang;
use crate::model::{Quote, SentenceRef};
use crate::summarize::standalone;

static ZH_ATTRIBUTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}]{2,12}?)(?:反复|多次|深刻|明确)?(?:强调|指出|说|讲|要求|提出|告诫|寄语)(?:过|道)?[，,：:]\s*“([^”]{8,300})”").expect("static regex")
});

static EN_QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"]{20,300})"|“([^”]{20,300})”"#).expect("static regex"));

/// Wording of the speaker's own formulations: a requirement (`必须…`,
/// `要…要…`), a conditional line (`…，…才能…`); in
/// English a line built on `must` / `will` / `never` / `not … but`. Such
/// lines rank above plain statements among the speaker's own lines.
static FORMULATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:必须|务必|才能|才是|就是|要.{1,12}[，,]要|(?i:\b(?:must|never|not\b.{1,30}\bbut\b|will not|shall)\b))")
        .expect("static regex")
});

/// A line of two to four short clauses of (nearly) equal length
/// (`除恶务尽,治乱用重典。`): the parallel shape of a Chinese slogan.
fn is_parallel(text: &str) -> bool {
    let lens: Vec<usize> = text
        .split(['，', ',', '、', '；', '。', '！'])
        .map(|c| c.chars().filter(|c| c.is_alphanumeric()).count())
        .filter(|&n| n > 0)
        .collect();
    let (min, max) = (lens.iter().min().copied(), lens.iter().max().copied());
    (2..=4).contains(&lens.len())
        && matches!((min, max), (Some(a), Some(b)) if b <= 7 && b - a <= 1)
}

/// English lines built as rhetoric, the lines an audience remembers: an
/// either/or (`Either you are with us, or you are with the terrorists.`), a
/// chiasmus (`bring our enemies to justice, or bring justice to our
/// enemies`), a phrase said three times (`we will not tire, we will not
/// falter, and we will not fail`). They rank first among the speaker's own.
fn is_rhetorical_en(text: &str) -> bool {
    static EITHER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|[,;:]\s*)either\b[^.;]{3,80},\s+or\b").expect("static regex")
    });
    if EITHER.is_match(text) {
        return true;
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    // A phrase of two words said three times.
    let pairs: Vec<(&str, &str)> =
        words.windows(2).map(|w| (w[0].as_str(), w[1].as_str())).collect();
    if pairs
        .iter()
        .any(|p| p.0.len() + p.1.len() >= 5 && pairs.iter().filter(|q| *q == p).count() >= 3)
    {
        return true;
    }
    // A chiasmus: two content words in one order, then in the other.
    let content: Vec<(usize, &str)> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.len() >= 5)
        .map(|(i, w)| (i, w.as_str()))
        .collect();
    // `A … B, B … A`: B's next use follows with no A between, then A's.
    let next = |from: usize, word: &str| content.iter().find(|&&(k, w)| k > from && w == word);
    let between = |from: usize, to: usize, word: &str| {
        content.iter().any(|&(k, w)| k > from && k < to && w == word)
    };
    for (x, &(_, a)) in content.iter().enumerate() {
        for &(j, b) in &content[x + 1..] {
            if a == b {
                continue;
            }
            let Some(&(k, _)) = next(j, b) else { continue };
            let Some(&(l, _)) = next(k, a) else { continue };
            if !between(j, k, a) && !between(k, l, b) {
                return true;
            }
        }
    }
    false
}

/// True when a line is worded as a formulation worth quoting: in Chinese it
/// must be (a plain instruction `实施产业创新工程，…` is no 金句); in English
/// it only ranks higher.
fn is_formulation(text: &str) -> bool {
    FORMULATION.is_match(text) || is_parallel(text)
}

/// Near-duplicates: two lines sharing most of their character bigrams
/// (`坚持和发展马克思主义，必须同中国具体实际相结合。` and its twin) are one
/// formulation; the second is dropped.
fn near_duplicate(a: &str, b: &str) -> bool {
    let grams = |s: &str| {
        let cs: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
        cs.windows(2).map(|w| (w[0], w[1])).collect::<std::collections::BTreeSet<_>>()
    };
    let (ga, gb) = (grams(a), grams(b));
    let small = ga.len().min(gb.len()).max(1);
    a.contains(b) || b.contains(a) || ga.intersection(&gb).count() * 10 >= small * 6
}

/// Quotations: attributed quotes first (`总书记强调，“…”`), then the speaker's
/// own most central short sentences, up to `n`.
pub(crate) fn quotes(
    sentences: &[SentenceRef],
    scores: &[(SentenceRef, f64)],
    lang: Lang,
    n: usize,
) -> Vec<Quote> {
    let mut out: Vec<Quote> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        let prev = i.checked_sub(1).map_or("", |j| sentences[j].text.as_str());
        // A line quoted to be rejected (`For too long our culture has said,
        // "If it feels good, do it."`) is never a quotation of the speech.
        let rejected = |start: usize| {
            standalone::introduces_rejection(&s.text[..start], lang)
                || (s.text[..start].trim().is_empty()
                    && standalone::introduces_rejection(prev, lang))
        };
        match lang {
            Lang::Zh => {
                for c in ZH_ATTRIBUTED.captures_iter(&s.text) {
                    if rejected(c.get(0).map_or(0, |m| m.start())) {
                        continue;
                    }
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
                    if q.split_whitespace().count() < 6
                        || rejected(c.get(0).map_or(0, |m| m.start()))
                    {
                        continue;
                    }
                    out.push(Quote { text: q.to_owned(), attribution: None, source: s.clone() });
                }
            }
        }
    }
    let mut kept: Vec<Quote> = Vec::new();
    for q in out {
        if !kept.iter().any(|k| near_duplicate(&k.text, &q.text)) {
            kept.push(q);
        }
    }
    let mut out = kept;
    out.truncate(n);
    if out.len() < n {
        // The speaker's own lines worth quoting: short, central, standing
        // alone, saying something general (no figures, no dates, no
        // enumeration labels, no formula, no line quoted to be rejected);
        // formulations first.
        let len_of = |s: &SentenceRef| {
            if lang == Lang::Zh {
                s.text.chars().count()
            } else {
                s.text.split_whitespace().count()
            }
        };
        let mut own: Vec<(&SentenceRef, f64)> = scores
            .iter()
            .enumerate()
            .filter(|(i, (s, _))| {
                let len = len_of(s);
                let fits = if lang == Lang::Zh {
                    (7..=40).contains(&len)
                } else {
                    (6..=28).contains(&len)
                };
                // A Chinese line without a comma is mostly a heading in all but name.
                let has_clause = lang == Lang::En || s.text.contains(['，', ',']);
                let prev = i.checked_sub(1).map(|j| scores[j].0.text.as_str());
                fits && has_clause
                    && (lang == Lang::En || is_formulation(&s.text))
                    && !s.text.contains(['"', '：', ':'])
                    && !s.text.chars().any(|c| c.is_ascii_digit())
                    && standalone::quotable(&s.text, lang)
                    && standalone::why_not_after(prev, &s.text, lang).is_none()
                    && !crate::summarize::is_procedural(&s.text, false, lang)
            })
            .map(|(_, (s, score))| {
                let bonus = if is_formulation(&s.text) { 1.5 } else { 1.0 };
                (s, bonus * score / (len_of(s) as f64).sqrt())
            })
            .collect();
        // English rhetoric first, whatever its centrality (a short line of
        // `us` and `them` scores low); a thank-you is never rhetoric.
        let rhetoric = |s: &SentenceRef| {
            lang == Lang::En
                && is_rhetorical_en(&s.text)
                && !s.text.to_lowercase().contains("thank")
        };
        own.sort_by(|a, b| {
            rhetoric(b.0)
                .cmp(&rhetoric(a.0))
                .then(b.1.total_cmp(&a.1))
                .then(a.0.span.start.cmp(&b.0.span.start))
        });
        for (s, _) in own {
            if out.len() >= n {
                break;
            }
            if out.iter().any(|q| near_duplicate(&q.text, &s.text) || s.text.contains(&q.text)) {
                continue;
            }
            out.push(Quote { text: s.text.clone(), attribution: None, source: s.clone() });
        }
    }
    out.sort_by_key(|q| q.source.span.start);
    out
}

#[cfg(test)]
mod tests {
    use super::is_rhetorical_en;

    #[test]
    fn english_rhetoric_is_recognised() {
        for yes in [
            "Either you are with us, or you are with the terrorists.",
            "Whether we bring our enemies to justice, or bring justice to our enemies, justice will be done.",
            "We will not tire, we will not falter, and we will not fail.",
        ] {
            assert!(is_rhetorical_en(yes), "{yes}");
        }
        for no in [
            "We ask every nation to join us.",
            "The enemy of America is not our many Muslim friends.",
            "Our nation and our economy will recover, and our nation will prosper.",
            "It is an attempt to keep these nations from either being free or equal.",
            "Close every terrorist camp, and hand over every terrorist, and every person in their support.",
        ] {
            assert!(!is_rhetorical_en(no), "{no}");
        }
    }
}
