//! The faithfulness guard: every figure (numbers with units, percentages,
//! dates, 万/亿 amounts) and every quotation in a model's output must occur
//! in the source it summarises. What does not becomes a flag; the caller
//! marks it in the outputs or, with `--strict`, drops the sentence that
//! carries it.
//!
//! Matching is on a normalised form: full-width digits and signs become
//! half-width, `百分之十八` becomes `18%`, thousands separators and spaces
//! inside numbers go, so `18%` ≡ `百分之十八` ≡ `１８％`. Pure.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::numerals::{zh_digit, zh_integer};

/// What kind of claim is unsupported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlagKind {
    /// A number, percentage, date or amount.
    Figure,
    /// A quotation.
    Quote,
}

impl FlagKind {
    /// The warning kind in `digest.json`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FlagKind::Figure => "unsupported_figure",
            FlagKind::Quote => "unsupported_quote",
        }
    }
}

/// One claim of the output that the source does not support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Flag {
    /// Figure or quotation.
    pub kind: FlagKind,
    /// The text as the model wrote it.
    pub text: String,
}

/// Figures after normalisation: a number (decimals allowed) with what makes
/// it a claim: a percent sign, 万/亿, a date or unit suffix, or four digits.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d+(?:\.\d+)?)\s*(%|万亿|亿|万|千|个百分点|年|月|日|元|人|件|个|项|次|倍|名|家|起|米|公里|吨|percent|per cent|million|billion|thousand)?",
    )
    .expect("static regex")
});

/// Quotations: “…”, 「…」, "…", ‘…’ of at least 4 characters.
static QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"“([^”]{4,})”|「([^」]{4,})」|"([^"]{4,})"|『([^』]{4,})』"#)
        .expect("static regex")
});

static PERCENT_CN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"百分之([零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)")
        .expect("static regex")
});

/// The normal form used for matching.
pub(crate) fn normalize(text: &str) -> String {
    let half: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '％' => '%',
            '．' => '.',
            _ => c,
        })
        .collect();
    let with_pct = PERCENT_CN.replace_all(&half, |c: &regex::Captures<'_>| {
        let s = &c[1];
        let (int, frac) = s.split_once('点').unwrap_or((s, ""));
        let Some(n) = zh_integer(int) else { return c[0].to_owned() };
        let frac: String = frac.chars().filter_map(zh_digit).map(|d| d.to_string()).collect();
        if frac.is_empty() { format!("{n}%") } else { format!("{n}.{frac}%") }
    });
    // 1,234 → 1234; "18 %" → "18%".
    let mut out = String::with_capacity(with_pct.len());
    let chars: Vec<char> = with_pct.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c == ',' && prev_digit && next_digit {
            continue;
        }
        if c == ' ' && prev_digit && chars.get(i + 1) == Some(&'%') {
            continue;
        }
        out.push(c);
    }
    out
}

/// True when `needle` (a number with its suffix) occurs in `hay` not as part
/// of a longer number (`5%` is not in `15%`).
fn occurs_as_number(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle) {
        let at = from + pos;
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        let starts_digit = needle.starts_with(|c: char| c.is_ascii_digit());
        let ends_digit = needle.ends_with(|c: char| c.is_ascii_digit());
        let ok_before = !starts_digit || !before.is_some_and(|c| c.is_ascii_digit() || c == '.');
        let ok_after = !ends_digit || !after.is_some_and(|c| c.is_ascii_digit() || c == '.');
        if ok_before && ok_after {
            return true;
        }
        from = at + needle.len().max(1);
    }
    false
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '！' => '!',
            '？' => '?',
            _ => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// A source's normal forms, made once for the many outputs checked against
/// it (the offline newsletter checks some twenty texts against the whole
/// speech: normalising and lower-casing the speech for each was 6 % of a
/// `build`).
struct Prepared {
    /// The source itself, to know it again.
    source: String,
    /// [`normalize`]d.
    n: String,
    /// [`squash`]ed, when a quote needed it.
    q: std::cell::OnceCell<String>,
}

/// Sources larger than this are prepared per call, not kept.
const KEEP_AT_MOST: usize = 4 << 20;

thread_local! {
    static LAST: std::cell::RefCell<Option<std::rc::Rc<Prepared>>> =
        const { std::cell::RefCell::new(None) };
}

/// `source`'s normal forms: the last source's again when `source` is the
/// same text (compared whole, so a different text is never taken for it).
fn prepared(source: &str) -> std::rc::Rc<Prepared> {
    LAST.with(|last| {
        if let Some(p) = last.borrow().as_ref()
            && p.source == source
        {
            return p.clone();
        }
        let keep = source.len() <= KEEP_AT_MOST;
        let p = std::rc::Rc::new(Prepared {
            source: if keep { source.to_owned() } else { String::new() },
            n: normalize(source),
            q: std::cell::OnceCell::new(),
        });
        if keep {
            *last.borrow_mut() = Some(p.clone());
        }
        p
    })
}

/// The claims of `output` that `source` does not support, in order, each once.
pub(crate) fn check(output: &str, source: &str) -> Vec<Flag> {
    let out_n = normalize(output);
    let mut flags: Vec<Flag> = Vec::new();
    // Nothing to check, nothing to prepare.
    if !FIGURE.is_match(&out_n) && !QUOTE.is_match(&out_n) {
        return flags;
    }
    let prepared = prepared(source);
    let src_n = prepared.n.as_str();
    for m in FIGURE.captures_iter(&out_n) {
        let number = &m[1];
        let suffix = m.get(2).map_or("", |s| s.as_str());
        // Small bare numbers ("3 points", "第2") are not claims worth checking.
        let is_claim = !suffix.is_empty() || number.contains('.') || number.len() >= 2;
        if !is_claim {
            continue;
        }
        let supported = if matches!(suffix, "%" | "万亿" | "亿" | "万" | "个百分点") {
            occurs_as_number(src_n, &format!("{number}{suffix}"))
                || (suffix == "%" && occurs_as_number(src_n, &format!("{number} percent")))
        } else {
            occurs_as_number(src_n, number)
        };
        let text = m[0].trim().to_owned();
        if !supported && !flags.iter().any(|f| f.text == text) {
            flags.push(Flag { kind: FlagKind::Figure, text });
        }
    }
    for m in QUOTE.captures_iter(&out_n) {
        let inner = (1..=4).find_map(|i| m.get(i)).map_or("", |g| g.as_str());
        let src_q = prepared.q.get_or_init(|| squash(src_n));
        if !src_q.contains(&squash(inner)) && !flags.iter().any(|f| f.text == inner) {
            flags.push(Flag { kind: FlagKind::Quote, text: inner.to_owned() });
        }
    }
    flags
}

/// `text` without the sentences that carry a flagged claim (for `--strict`).
pub(crate) fn drop_flagged(text: &str, flags: &[Flag]) -> String {
    if flags.is_empty() {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut String| {
        let n = normalize(cur);
        if !flags.iter().any(|f| n.contains(&normalize(&f.text))) {
            out.push_str(cur);
        }
        cur.clear();
    };
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        cur.push(c);
        let next = it.peek().copied();
        if matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | '\n')
            || (c == '.' && next.is_none_or(char::is_whitespace))
        {
            flush(&mut cur, &mut out);
        }
    }
    flush(&mut cur, &mut out);
    out.trim().to_owned()
}

/// True when `text` mentions any flagged claim.
pub(crate) fn mentions(text: &str, flags: &[Flag]) -> bool {
    let n = normalize(text);
    flags.iter().any(|f| n.contains(&normalize(&f.text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(output: &str, source: &str, expected: &[&str]) {
        let got: Vec<String> = check(output, source).into_iter().map(|f| f.text).collect();
        assert_eq!(got, expected, "output {output:?}");
    }

    #[test]
    fn figures_are_matched_in_normal_form() {
        case("结案率达到87%。", "全年结案率达到87%，同比提高。", &[]);
        case("结案率达到85%。", "全年结案率达到87%，同比提高。", &["85%"]);
        case("增长18%。", "同比增长百分之十八。", &[]);
        case("增长１８％。", "同比增长18%。", &[]);
        case("增长百分之十八点五。", "同比增长18.5%。", &[]);
        case("立案5%。", "立案15%。", &["5%"]);
        case("处分3.2万人。", "处分3.2万人", &[]);
        case("处分3.3万人。", "处分3.2万人", &["3.3万"]);
        case("2025年以来", "2025年以来，全国", &[]);
        case("2024年以来", "2025年以来，全国", &["2024年"]);
        case("同比增长77.7%。", "同比增长7.7%。", &["77.7%"]);
        case("three points, 3 of them", "three points", &[]);
        case("1,234 cases", "1234 cases were", &[]);
    }

    /// The prepared source is the last one only when it is the same text:
    /// one of the same length and another text is prepared again.
    #[test]
    fn a_prepared_source_is_never_taken_for_another() {
        case("增长18%，“打铁必须自身硬”。", "同比增长18%。打铁必须自身硬。", &[]);
        case("增长18%，“打铁必须自身硬”。", "同比增长18%。打铁必须自身软。", &["打铁必须自身硬"]);
        case("增长18%。", "同比增长17%。打铁必须自身软。", &["18%"]);
        let big = "增长18%。".repeat(KEEP_AT_MOST / 10);
        case("增长18%。", &big, &[]);
        case("增长19%。", &big, &["19%"]);
    }

    #[test]
    fn quotations_must_be_verbatim() {
        case("他说“打铁必须自身硬”。", "我们常说，打铁必须自身硬。", &[]);
        case("他说“打铁还需自身硬”。", "我们常说，打铁必须自身硬。", &["打铁还需自身硬"]);
        case(
            r#"He said "ask not what your country can do"."#,
            "Ask not what your country can do for you.",
            &[],
        );
    }

    #[test]
    fn strict_drops_the_sentence() {
        let flags = check("全年立案增加。同比增长77.7%。其他不变。", "全年立案增加。其他不变。");
        assert_eq!(
            drop_flagged("全年立案增加。同比增长77.7%。其他不变。", &flags),
            "全年立案增加。其他不变。"
        );
        assert!(mentions("同比增长７７.７％", &flags));
    }
}
