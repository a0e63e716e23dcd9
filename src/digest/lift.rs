//! What the digest lifts out of the speech: which sentences may stand alone
//! in an output, which are already used (so that no output repeats one),
//! lengths in the speech's own unit, and the speech's ranking.

use std::collections::HashSet;

use crate::model::{Lang, SentenceRef};

/// Length in the speech's unit: Han characters and letters (zh, punctuation
/// and spaces not counted), words (en).
pub(crate) fn measure(lang: Lang, s: &str) -> usize {
    match lang {
        Lang::Zh => s
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !is_zh_punct(*c))
            .count(),
        Lang::En => s.split_whitespace().count(),
    }
}

fn is_zh_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '“'
            | '”'
            | '（'
            | '）'
            | '—'
            | '…'
            | '《'
            | '》'
    )
}

/// True when `text` can be lifted into an output and read without what came
/// before it: the summariser's rule set (`summarize::standalone`), and no
/// clause cut at `；`/`，`/`：` (an enumeration item taken alone).
pub(crate) fn stands_alone(text: &str, lang: Lang) -> bool {
    let t = text.trim();
    let english_lean = lang == Lang::En && opens_with_address(t);
    crate::summarize::standalone::stands_alone(t, lang)
        && !t.ends_with(['；', ';', '，', ',', '：', ':', '、'])
        && !english_lean
        && !quotes_to_reject(t, lang)
}

/// `For too long our culture has said, "If it feels good, do it."`: the
/// words before the quotation introduce it in order to reject it.
fn quotes_to_reject(t: &str, lang: Lang) -> bool {
    t.find(['"', '“']).is_some_and(|i| {
        i > 0 && crate::summarize::standalone::introduces_rejection(t[..i].trim_end(), lang)
    })
}

/// `Mr. Speaker, Vice President Cheney, …: As we gather tonight …`: a
/// sentence that opens by addressing the room (the splitter keeps the
/// salutation with what follows it).
pub(crate) fn opens_with_address(t: &str) -> bool {
    ["Mr. ", "Madam ", "Members of the ", "Members of Congress", "Ladies and gentlemen"]
        .iter()
        .any(|p| t.starts_with(p))
        || LEANS_BACK.is_match(t)
}

/// English openings that lean on the sentence before (`Our second goal is…`,
/// `While this has been…`, `Their strength…`). Kept out of the lifted
/// sentences only: in the summariser's selection they cost ROUGE on CNN/DM
/// (42.19 → 42.06 R-1), where a summary is read as one paragraph.
static LEANS_BACK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^(?:(?:our|the|a|his|her|their|its) (?:second|third|fourth|fifth|sixth|final|next|other|last|latter|former)\b|(?:while|although|though|if|when|as|because|since|in line with|in view of|despite) (?:this|these|that|those|such)\b|(?:their|its) )",
    )
    .expect("static regex")
});

/// True when a Chinese sentence has more than one clause: a line without a
/// comma is mostly a heading in all but name (`持续深入推进污染防治攻坚。`),
/// which says less than a sentence lifted into prose should. English: true.
pub(crate) fn has_clause(lang: Lang, text: &str) -> bool {
    lang == Lang::En || text.contains(['，', ',', '；', '：'])
}

/// The speech's sentences that stand alone where they are: `ranked` less
/// those that need the sentence before them (`We have been told:` → `If it
/// feels good, do it.`, a `；` list item after its `：`).
pub(crate) fn in_context<'a>(
    ranked: Vec<&'a SentenceRef>,
    in_order: &[SentenceRef],
    lang: Lang,
) -> Vec<&'a SentenceRef> {
    let prev: std::collections::HashMap<usize, &str> =
        in_order.windows(2).map(|w| (w[1].span.start, w[0].text.as_str())).collect();
    ranked
        .into_iter()
        .filter(|s| {
            crate::summarize::standalone::why_not_after(
                prev.get(&s.span.start).copied(),
                &s.text,
                lang,
            )
            .is_none()
        })
        .collect()
}

/// The sentences already lifted, by where they start.
#[derive(Default)]
pub(crate) struct Used(HashSet<usize>);

impl Used {
    /// Marks `s` used; false when it already was.
    pub(crate) fn take(&mut self, s: &SentenceRef) -> bool {
        self.0.insert(s.span.start)
    }

    /// True when `s` is already used.
    pub(crate) fn has(&self, s: &SentenceRef) -> bool {
        self.0.contains(&s.span.start)
    }
}

/// The speech's sentences, best first (ties in speech order).
pub(crate) fn ranked(scores: &[(SentenceRef, f64)]) -> Vec<&SentenceRef> {
    let mut r: Vec<&(SentenceRef, f64)> = scores.iter().collect();
    r.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.span.start.cmp(&b.0.span.start)));
    r.into_iter().map(|(s, _)| s).collect()
}

/// True when `s` is in section `id` or below it.
pub(crate) fn within(s: &SentenceRef, id: &str) -> bool {
    s.section_id == id
        || s.section_id.len() > id.len()
            && s.section_id.starts_with(id)
            && s.section_id.as_bytes()[id.len()] == b'.'
}

/// `1` → `一`, up to 99.
pub(crate) fn zh_numeral(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", D[n % 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[n / 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

/// `2026-01-25` → `2026年1月25日` / `January 25, 2026`; other text as it is.
pub(crate) fn display_date(lang: Lang, date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = date.split('-').collect();
    let num = |s: &str| s.parse::<usize>().ok();
    match (parts.as_slice(), lang) {
        ([y, m, d], Lang::Zh) if num(m).is_some() && num(d).is_some() => {
            format!("{y}年{}月{}日", num(m).unwrap_or(0), num(d).unwrap_or(0))
        }
        ([y, m, d], Lang::En) if matches!(num(m), Some(1..=12)) && num(d).is_some() => {
            format!("{} {}, {y}", MONTHS[num(m).unwrap_or(1) - 1], num(d).unwrap_or(0))
        }
        _ => date.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_dates_and_sections() {
        assert_eq!(zh_numeral(1), "一");
        assert_eq!(zh_numeral(10), "十");
        assert_eq!(zh_numeral(15), "十五");
        assert_eq!(zh_numeral(21), "二十一");
        assert_eq!(display_date(Lang::Zh, "2026-01-25"), "2026年1月25日");
        assert_eq!(display_date(Lang::En, "1961-05-25"), "May 25, 1961");
        assert_eq!(display_date(Lang::En, "1961"), "1961");
        let s = |id: &str| SentenceRef {
            section_id: id.to_owned(),
            text: String::new(),
            span: crate::model::Span { start: 0, end: 0 },
        };
        assert!(within(&s("2.1"), "2") && within(&s("2"), "2"));
        assert!(!within(&s("21"), "2") && !within(&s("1.2"), "2"));
    }

    #[test]
    fn lifted_sentences_stand_alone() {
        for (t, ok) in [
            ("我们要坚定信心，攻坚克难，奋力完成全年目标任务。", true),
            ("这一系列数字的背后，是群众的获得感。", false),
            ("二是繁荣首都文化；", false),
            ("首先要统一思想；", false),
            ("Second, a major part of our effort must be spent.", false),
            ("We choose to go to the moon in this decade.", true),
            ("For too long our culture has said, \"If it feels good, do it.\"", false),
            ("Our second goal is to prevent regimes that sponsor terror.", false),
        ] {
            let lang = crate::text::detect_lang(t);
            assert_eq!(stands_alone(t, lang), ok, "{t}");
        }
    }
}
