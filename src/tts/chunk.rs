//! Packing a paragraph's sentences into chunks that fit a synthesiser's
//! request limit, measured on the *normalised* text (normalising changes the
//! length: `18%` is 3 characters, 百分之十八 is 5).
//!
//! Whole sentences are packed greedily. A sentence that does not fit alone is
//! cut at clause boundaries (`，；：、`, `,;:` not inside a number, dashes
//! between words), a clause
//! that still does not fit at safe places (spaces in English, between two
//! Chinese characters in Chinese; never next to a digit or a number sign, so a
//! number and its unit or date stay whole), and only a run with no safe place
//! at all is cut wherever the limit falls. Each piece is normalised on its own,
//! so no cut falls inside a number's reading.

use crate::model::Lang;
use crate::text::is_han;
use crate::tts::{NormalizeOptions, normalize};

/// The largest chunk allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Characters (at least 1).
    pub chars: usize,
    /// UTF-8 bytes, when the engine counts bytes.
    pub bytes: Option<usize>,
}

impl Limit {
    /// Whether `s` is within the limit.
    pub fn fits(&self, s: &str) -> bool {
        self.bytes.is_none_or(|b| s.len() <= b) && s.chars().count() <= self.chars
    }
}

/// Where a packed chunk ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Boundary {
    /// At the end of a sentence.
    Sentence,
    /// At a clause boundary inside a sentence.
    Clause,
    /// At a safe place inside a clause (a space, between two Chinese characters).
    Word,
    /// Wherever the limit fell: the run had no safe place.
    Forced,
}

/// A packed chunk and where it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    /// Normalised text, trimmed, within the limit.
    pub text: String,
    /// Where it ends.
    pub end: Boundary,
}

/// Normalises `sentences` (one paragraph, in order) and packs them into chunks
/// within `limit`. Every chunk is non-empty and fits; the chunks hold the
/// normalised sentences in order.
pub(crate) fn pack(
    sentences: &[&str],
    lang: Lang,
    opts: &NormalizeOptions,
    limit: &Limit,
) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for s in sentences {
        sentence_pieces(s, lang, opts, limit, &mut pieces);
    }
    merge(pieces, lang, limit)
}

/// Cuts already-normalised text (a heading) to fit `limit`, at spaces or
/// clause punctuation when possible.
pub(crate) fn fit_normalized(text: &str, lang: Lang, limit: &Limit) -> Vec<String> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    if limit.fits(text) {
        return vec![text.to_owned()];
    }
    let mut raw = Vec::new();
    for part in split_at(text, &clause_cuts(text)) {
        if limit.fits(part.trim()) {
            raw.push(Raw { text: (*part).to_owned(), end: Boundary::Clause });
        } else {
            raw.extend(hard_split(part, lang, limit, Boundary::Clause));
        }
    }
    merge(raw, lang, limit).into_iter().map(|p| p.text).collect()
}

/// A normalised piece before merging: untrimmed, so that spaces survive.
struct Raw {
    text: String,
    end: Boundary,
}

fn sentence_pieces(
    s: &str,
    lang: Lang,
    opts: &NormalizeOptions,
    limit: &Limit,
    out: &mut Vec<Raw>,
) {
    let n = normalize(s, lang, opts);
    if limit.fits(n.trim()) {
        out.push(Raw { text: n, end: Boundary::Sentence });
        return;
    }
    let clauses = split_at(s, &clause_cuts(s));
    let last = clauses.len().saturating_sub(1);
    for (i, c) in clauses.into_iter().enumerate() {
        let end = if i == last { Boundary::Sentence } else { Boundary::Clause };
        let n = normalize(c, lang, opts);
        if limit.fits(n.trim()) {
            out.push(Raw { text: n, end });
        } else {
            word_pieces(c, end, lang, opts, limit, out);
        }
    }
}

/// Cuts a clause at its safe places: each piece is the longest run from the
/// previous cut whose normalised text fits.
fn word_pieces(
    src: &str,
    end: Boundary,
    lang: Lang,
    opts: &NormalizeOptions,
    limit: &Limit,
    out: &mut Vec<Raw>,
) {
    let cuts = safe_cuts(src, lang);
    // Normalising never makes text much shorter, so a piece of the source
    // longer than this cannot fit: it bounds the search (linear, not
    // quadratic, in the length of a clause).
    let window = limit.chars.saturating_mul(4).saturating_mul(4).max(64);
    let mut start = 0;
    while start < src.len() {
        if src.len() - start <= window {
            let rest = normalize(&src[start..], lang, opts);
            if limit.fits(rest.trim()) {
                out.push(Raw { text: rest, end });
                return;
            }
        }
        // Binary search for the last cut whose normalised prefix fits (the
        // normalised length grows with the prefix).
        let lo_idx = cuts.partition_point(|&c| c <= start);
        let hi_idx = cuts.partition_point(|&c| c <= start.saturating_add(window));
        let (mut lo, mut hi) = (lo_idx, hi_idx);
        let mut best: Option<(usize, String)> = None;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let n = normalize(&src[start..cuts[mid]], lang, opts);
            if limit.fits(n.trim()) {
                best = Some((cuts[mid], n));
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        match best {
            Some((c, n)) => {
                out.push(Raw { text: n, end: Boundary::Word });
                start = c;
            }
            None => {
                let next = cuts.get(lo_idx).copied().unwrap_or(src.len());
                let n = normalize(&src[start..next], lang, opts);
                let tail = if next == src.len() { end } else { Boundary::Word };
                out.extend(hard_split(&n, lang, limit, tail));
                start = next;
            }
        }
    }
}

/// Cuts normalised text wherever needed to fit, preferring the last space.
fn hard_split(text: &str, lang: Lang, limit: &Limit, end: Boundary) -> Vec<Raw> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut count = 0usize; // characters in `cur`
    for ch in text.chars() {
        // Cheap sufficient test first (trimming only shortens); the exact one
        // only at the limit, so the loop stays linear.
        let surely_fits =
            count < limit.chars && limit.bytes.is_none_or(|b| cur.len() + ch.len_utf8() <= b);
        let fits = surely_fits || {
            let mut next = cur.clone();
            next.push(ch);
            limit.fits(next.trim())
        };
        if fits || cur.trim().is_empty() {
            cur.push(ch);
            count += 1;
            continue;
        }
        let at_space = if lang == Lang::En { cur.rfind(char::is_whitespace) } else { None };
        match at_space.filter(|&i| !cur[..i].trim().is_empty()) {
            Some(i) => {
                let rest = cur.split_off(i);
                out.push(Raw { text: std::mem::take(&mut cur), end: Boundary::Word });
                cur = rest;
            }
            None => out.push(Raw { text: std::mem::take(&mut cur), end: Boundary::Forced }),
        }
        cur.push(ch);
        count = cur.chars().count();
    }
    if !cur.trim().is_empty() {
        out.push(Raw { text: cur, end });
    }
    out
}

/// Greedy packing: append each piece to the current chunk while it fits.
fn merge(pieces: Vec<Raw>, lang: Lang, limit: &Limit) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_end = Boundary::Sentence;
    for p in pieces {
        if p.text.trim().is_empty() {
            continue;
        }
        let mut joined = cur.clone();
        // English sentences come without the space between them.
        if lang == Lang::En
            && cur_end == Boundary::Sentence
            && !joined.is_empty()
            && !joined.ends_with(char::is_whitespace)
            && !p.text.starts_with(char::is_whitespace)
        {
            joined.push(' ');
        }
        joined.push_str(&p.text);
        if cur.trim().is_empty() || limit.fits(joined.trim()) {
            cur = joined;
        } else {
            out.push(Piece { text: cur.trim().to_owned(), end: cur_end });
            cur = p.text;
        }
        cur_end = p.end;
    }
    if !cur.trim().is_empty() {
        out.push(Piece { text: cur.trim().to_owned(), end: cur_end });
    }
    out
}

/// Closing quotes and brackets that stay with the clause before a cut.
fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | ']' | '》' | '】' | '"' | '\'')
}

/// Byte offsets just after each clause boundary (and its closers and spaces):
/// `，；：、`, `,;:`, and dashes between words (`—`, `——`, `--`, ` – `).
/// ASCII `,;:` count only when followed by a space or a non-ASCII character
/// (Chinese text often uses them), so `1,000` and `8:00` are never cut.
pub(crate) fn clause_cuts(s: &str) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut it = s.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((_, c)) = it.next() {
        let next = it.peek().map(|&(_, n)| n);
        let full = matches!(c, '，' | '；' | '：' | '、');
        // `1,000`, `8:00` and `D.C.,Washington` are not cut; `今天,市委` is.
        let ascii = matches!(c, ',' | ';' | ':')
            && next.is_some_and(|n| n.is_whitespace() || is_closer(n) || !n.is_ascii());
        // A dash between words (`months--by`, `自觉——这`), never in `3-5` or `1961--1965`.
        let dash = (c == '—' && next != Some('—'))
            || (c == '–' && next.is_some_and(char::is_whitespace))
            || (c == '-'
                && prev == Some('-')
                && !next.is_some_and(|n| n.is_ascii_digit() || n == '-'));
        prev = Some(c);
        if !(full || ascii || dash) {
            continue;
        }
        while let Some(&(_, n)) = it.peek() {
            if is_closer(n) || n.is_whitespace() {
                it.next();
            } else {
                break;
            }
        }
        let at = it.peek().map_or(s.len(), |&(i, _)| i);
        if at < s.len() {
            cuts.push(at);
        }
    }
    cuts
}

/// Whether `c` belongs to a number's written form (its digits, signs and symbols).
fn is_numberish(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '０'..='９' | '%' | '％' | '‰' | '$' | '€' | '£' | '¥' | '￥' | '℃' | '°' | '#'
        )
}

/// Byte offsets where a clause can be cut without touching a number: after a
/// run of spaces between two words without digits (English), or between two
/// Chinese characters neither of which is next to a number (Chinese).
pub(crate) fn safe_cuts(s: &str, lang: Lang) -> Vec<usize> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut cuts = Vec::new();
    match lang {
        Lang::En => {
            // Words as (start, end) byte ranges.
            let mut words: Vec<(usize, usize)> = Vec::new();
            let mut start = None;
            for &(i, c) in &chars {
                match (c.is_whitespace(), start) {
                    (true, Some(st)) => {
                        words.push((st, i));
                        start = None;
                    }
                    (false, None) => start = Some(i),
                    _ => {}
                }
            }
            if let Some(st) = start {
                words.push((st, s.len()));
            }
            let has_number = |(a, b): (usize, usize)| s[a..b].chars().any(is_numberish);
            for pair in words.windows(2) {
                if !has_number(pair[0]) && !has_number(pair[1]) {
                    cuts.push(pair[1].0);
                }
            }
        }
        Lang::Zh => {
            for k in 1..chars.len() {
                let (a, b) = (chars[k - 1].1, chars[k].1);
                let before = k.checked_sub(2).map(|j| chars[j].1);
                let after = chars.get(k + 1).map(|x| x.1);
                if is_han(a)
                    && is_han(b)
                    && !before.is_some_and(is_numberish)
                    && !after.is_some_and(is_numberish)
                {
                    cuts.push(chars[k].0);
                }
            }
        }
    }
    cuts
}

fn split_at<'a>(s: &'a str, cuts: &[usize]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut prev = 0;
    for &c in cuts {
        if c > prev && c < s.len() {
            out.push(&s[prev..c]);
            prev = c;
        }
    }
    out.push(&s[prev..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lim(chars: usize) -> Limit {
        Limit { chars, bytes: None }
    }

    fn texts(p: &[Piece]) -> Vec<&str> {
        p.iter().map(|p| p.text.as_str()).collect()
    }

    #[track_caller]
    fn case(lang: Lang, sentences: &[&str], max: usize, expected: &[&str]) {
        let got = pack(sentences, lang, &NormalizeOptions::default(), &lim(max));
        assert_eq!(texts(&got), expected, "{sentences:?} at {max}");
        for p in &got {
            assert!(p.text.chars().count() <= max, "{p:?}");
        }
    }

    #[test]
    fn packing_table() {
        use Lang::{En, Zh};
        for (lang, sentences, max, expected) in [
            // Whole sentences while they fit.
            (Zh, &["一。", "二。", "三。"][..], 4, &["一。二。", "三。"][..]),
            (En, &["One.", "Two."], 20, &["One. Two."]),
            (En, &["One.", "Two."], 5, &["One.", "Two."]),
            // A long sentence is cut at its clauses.
            (
                Zh,
                &["今年以来，查处问题增长百分之十八，处分多人。"],
                12,
                &["今年以来，", "查处问题增长百分之十八，", "处分多人。"],
            ),
            (
                Zh,
                &["今年以来，查处问题增长18%，处分多人。"],
                17,
                &["今年以来，查处问题增长百分之十八，", "处分多人。"],
            ),
            (
                En,
                &["We met, we talked, and we left."],
                12,
                &["We met,", "we talked,", "and we left."],
            ),
            // A number with a thousands comma is not a clause boundary.
            (En, &["It cost 1,000 dollars."], 30, &["It cost one thousand dollars."]),
        ] {
            case(lang, sentences, max, expected);
        }
    }

    #[test]
    fn limit_counts_normalised_characters() {
        let got = pack(&["增长18%。"], Lang::Zh, &NormalizeOptions::default(), &lim(7));
        assert!(got.iter().all(|p| p.text.chars().count() <= 7), "{got:?}");
        assert_eq!(got.iter().map(|p| p.text.as_str()).collect::<String>(), "增长百分之十八。");
        // The number's reading stays whole.
        assert!(got.iter().any(|p| p.text.contains("百分之十八")), "{got:?}");
    }

    #[test]
    fn clauses_too_long_are_cut_at_spaces_never_in_numbers() {
        let s = "the budget of 1.2 billion dollars was spent on roads and bridges";
        let got = pack(&[s], Lang::En, &NormalizeOptions::default(), &lim(30));
        for p in &got {
            assert!(p.text.chars().count() <= 30, "{got:?}");
            assert_ne!(p.end, Boundary::Forced, "{got:?}");
        }
        assert!(texts(&got).iter().any(|t| t.contains("one point two")), "{got:?}");
        let joined = texts(&got).join(" ");
        assert!(joined.contains("one point two"), "{joined}");
        let zh = "我们要在二〇二五年4月之前完成全部建设任务并且通过验收";
        let got = pack(&[zh], Lang::Zh, &NormalizeOptions::default(), &lim(8));
        assert!(got.iter().any(|p| p.text.contains("四月")), "{got:?}");
    }

    #[test]
    fn bytes_limit_applies() {
        let l = Limit { chars: 100, bytes: Some(12) };
        let got = pack(&["一二三四五六七八。"], Lang::Zh, &NormalizeOptions::default(), &l);
        assert!(got.iter().all(|p| p.text.len() <= 12), "{got:?}");
        assert_eq!(got.iter().map(|p| p.text.as_str()).collect::<String>(), "一二三四五六七八。");
    }

    #[test]
    fn cut_tables() {
        assert_eq!(
            clause_cuts("甲，乙：“丙”，丁"),
            vec!["甲，".len(), "甲，乙：".len(), "甲，乙：“丙”，".len()]
        );
        assert_eq!(clause_cuts("at 8:00, 1,000 men"), vec!["at 8:00, ".len()]);
        assert_eq!(clause_cuts("end,"), Vec::<usize>::new());
        assert_eq!(clause_cuts("今天,市委:好"), vec!["今天,".len(), "今天,市委:".len()]);
        assert_eq!(clause_cuts("months--by 1961--1965, a — b"), vec![8, 23, 29]);
        assert_eq!(clause_cuts("自觉——这"), vec!["自觉——".len()]);
        assert_eq!(safe_cuts("in 1963 we met", Lang::En), vec!["in 1963 we ".len()]);
        assert_eq!(
            safe_cuts("去年4月份的工作", Lang::Zh),
            vec!["去年4月份".len(), "去年4月份的".len(), "去年4月份的工".len()]
        );
    }

    #[test]
    fn headings_fit_too() {
        let got = fit_normalized(
            "一、肯定成绩正视不足，在深化思想认识中增强行动自觉。",
            Lang::Zh,
            &lim(10),
        );
        assert!(got.iter().all(|t| t.chars().count() <= 10), "{got:?}");
        assert_eq!(got.concat(), "一、肯定成绩正视不足，在深化思想认识中增强行动自觉。");
    }

    const NUMERALS: &str = "零一二三四五六七八九十百千万亿两点分之比";

    fn han(s: &str) -> String {
        s.chars().filter(|&c| is_han(c)).collect()
    }

    proptest! {
        /// Every chunk fits and nothing is lost: text without numbers comes
        /// back exactly (spaces aside), and every Chinese character in order.
        #[test]
        fn chunks_fit_and_keep_content(
            sentences in proptest::collection::vec("[一二三四五你好们，。、： 0-9%]{0,30}", 0..6),
            max in 1usize..40,
        ) {
            let refs: Vec<&str> = sentences.iter().map(String::as_str).collect();
            let got = pack(&refs, Lang::Zh, &NormalizeOptions::default(), &lim(max));
            for p in &got {
                prop_assert!(!p.text.is_empty());
                prop_assert!(p.text.chars().count() <= max, "{p:?}");
            }
            let all: String = got.iter().map(|p| p.text.as_str()).collect();
            prop_assert_eq!(han(&all).replace(|c: char| NUMERALS.contains(c), ""),
                han(&refs.concat()).replace(|c: char| NUMERALS.contains(c), ""));
        }

        #[test]
        fn english_chunks_fit_and_keep_words(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["the", "people", "of", "this", "nation,", "shall", "build", "roads.", "and", "bridges;", "together"]),
                0..40,
            ),
            max in 12usize..80,
        ) {
            let s = words.join(" ");
            let got = pack(&[s.as_str()], Lang::En, &NormalizeOptions::default(), &lim(max));
            for p in &got {
                prop_assert!(p.text.chars().count() <= max, "{p:?}");
                prop_assert_ne!(p.end, Boundary::Forced);
            }
            let squash = |t: &str| t.split_whitespace().collect::<String>();
            let all: String = got.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" ");
            prop_assert_eq!(squash(&all), squash(&s));
        }
    }
}
