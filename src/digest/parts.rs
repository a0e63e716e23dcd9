//! The speech's top-level parts as the handout and the briefing show them:
//! headings, points grouped as the speech groups them, and excerpts that
//! stand on their own and are lifted once in the whole handout (a parent
//! never repeats a child's sentence, a point's own sentence is not also an
//! excerpt).

use crate::digest::lift::{self, Used};
use crate::model::{KeyPoint, Lang, Outline, Part, PartGroup, SectionSummary, SentenceRef};

/// Excerpt lengths: long enough to say something, short enough to print.
fn fits(lang: Lang, s: &str) -> bool {
    let n = lift::measure(lang, s);
    if !lift::has_clause(lang, s) {
        return false;
    }
    match lang {
        Lang::Zh => (14..=110).contains(&n),
        Lang::En => (8..=55).contains(&n),
    }
}

fn own_points(summaries: &[SectionSummary], id: &str) -> Vec<KeyPoint> {
    summaries
        .iter()
        .find(|x| x.section_id == id)
        .map(|x| {
            x.key_points
                .iter()
                .filter(|k| k.section_id == id && k.label.is_some())
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// The family of an enumeration label: `一是`, `二是` → `是`; `其一` → `其`;
/// `First`, `Secondly` → `en`.
fn family(label: &str) -> String {
    if label.is_ascii() {
        return "en".to_owned();
    }
    label.chars().filter(|c| !"一二三四五六七八九十两".contains(*c)).collect()
}

/// Points split where the enumeration starts again or changes family.
fn runs(points: &[KeyPoint]) -> Vec<Vec<KeyPoint>> {
    let mut out: Vec<Vec<KeyPoint>> = Vec::new();
    for p in points {
        let fam = p.label.as_deref().map(family);
        let restart = p.number == Some(1)
            || p.label.as_deref().is_some_and(|l| {
                l.starts_with('一') || l.ends_with('一') || l.eq_ignore_ascii_case("first")
            });
        match out.last_mut() {
            Some(run)
                if !restart && run.last().and_then(|q| q.label.as_deref()).map(family) == fam =>
            {
                run.push(p.clone());
            }
            _ => out.push(vec![p.clone()]),
        }
    }
    out
}

/// The parts, with excerpts taken from `ranked` (best first) and marked in `used`.
pub(crate) fn parts(
    outline: &Outline,
    summaries: &[SectionSummary],
    ranked: &[&SentenceRef],
    used: &mut Used,
    answers: &[&str],
) -> Vec<Part> {
    let lang = outline.meta.lang;
    let tops: Vec<_> = outline.parts().collect();
    // Many parts: one excerpt each keeps the handout within four pages.
    let per_part = if tops.len() > 6 { 1 } else { 2 };
    // A sub-heading alone says what a part covers, not what it says: each
    // one the speech gives no points for gets its best short sentence. The
    // sentences share about 1,500 字 / 700 words, so a report of fifty
    // sub-headings stays within its pages (30–60 字 each).
    let headed: usize = tops
        .iter()
        .map(|t| {
            t.children
                .iter()
                .filter(|c| c.heading.as_deref().is_some_and(|h| !h.trim().is_empty()))
                .count()
        })
        .sum();
    let sub_cap = match lang {
        Lang::Zh => (1500 / headed.max(1)).clamp(30, 60),
        Lang::En => (700 / headed.max(1)).clamp(14, 28),
    };
    let mut out = Vec::new();
    for (i, top) in tops.iter().enumerate() {
        let number = match lang {
            Lang::Zh => format!("（{}）", lift::zh_numeral(i + 1)),
            Lang::En => format!("{}.", i + 1),
        };
        let (title, has_heading) = match (&top.heading, lang) {
            (Some(h), _) if !h.trim().is_empty() => {
                (crate::text::case::display_case(h.trim()), true)
            }
            (_, Lang::Zh) => (format!("第{}部分", lift::zh_numeral(i + 1)), false),
            (_, Lang::En) => (
                format!("Part {}", top.label.clone().unwrap_or_else(|| (i + 1).to_string())),
                false,
            ),
        };
        let points = own_points(summaries, &top.id);
        // A point's own sentence is shown as the point: never again as an excerpt.
        let mut point_starts: Vec<usize> = points.iter().map(|k| k.source.span.start).collect();
        let mut groups = Vec::new();
        for child in &top.children {
            let gp = own_points(summaries, &child.id);
            groups.push(PartGroup {
                section_id: child.id.clone(),
                label: child.label.clone(),
                heading: child
                    .heading
                    .as_deref()
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
                    .map(crate::text::case::display_case),
                points: gp,
                excerpt: None,
            });
        }
        for g in &groups {
            point_starts.extend(g.points.iter().map(|k| k.source.span.start));
        }
        let is_point = |s: &SentenceRef| point_starts.contains(&s.span.start);
        // Groups without points get their best sentence (a short one under
        // a sub-heading).
        for g in &mut groups {
            if g.points.is_empty() {
                let short = g.heading.is_some();
                g.excerpt = ranked
                    .iter()
                    .find(|s| {
                        lift::within(s, &g.section_id)
                            && !used.has(s)
                            && !is_point(s)
                            && fits(lang, &s.text)
                            && (!short || lift::measure(lang, &s.text) <= sub_cap)
                            && lift::stands_alone(&s.text, lang)
                    })
                    .map(|s| (*s).clone());
                if let Some(x) = &g.excerpt {
                    used.take(x);
                }
            }
        }
        let eligible = |s: &SentenceRef, used: &Used, longer: bool| {
            lift::within(s, &top.id)
                && !used.has(s)
                && !is_point(s)
                && (fits(lang, &s.text)
                    || longer
                        && lift::measure(lang, &s.text) <= if lang == Lang::Zh { 200 } else { 90 })
                && lift::stands_alone(&s.text, lang)
        };
        let mut title = title;
        let mut title_is_fallback = !has_heading;
        // A part without a heading is named by its best short sentence.
        if !has_heading
            && let Some(s) = ranked.iter().find(|s| {
                eligible(s, used, false)
                    && lift::measure(lang, &s.text) <= if lang == Lang::Zh { 40 } else { 20 }
            })
        {
            used.take(s);
            title = s.text.clone();
            title_is_fallback = false;
        }
        let mut excerpts: Vec<SentenceRef> = Vec::new();
        // An English part without points of its own shows what the speaker
        // asks for in it first (`…I am asking the Congress for 60 million
        // dollars to increase the Marine Corps strength…`), a leading
        // ordinal dropped.
        if lang == Lang::En && points.is_empty() && groups.iter().all(|g| g.points.is_empty()) {
            for s in requests(top) {
                if excerpts.len() >= per_part.max(2) {
                    break;
                }
                if !used.has(&s) && !is_point(&s) && !answers.iter().any(|a| a.contains(&s.text)) {
                    used.take(&s);
                    excerpts.push(s);
                }
            }
        }
        // A part whose sub-headings carry their sentences needs no more.
        let per_part = if groups.len() >= 2
            && groups.iter().all(|g| g.excerpt.is_some() || !g.points.is_empty())
        {
            0
        } else {
            per_part
        };
        for longer in [false, true] {
            for s in ranked {
                if excerpts.len() >= per_part || longer && !excerpts.is_empty() {
                    break;
                }
                if eligible(s, used, longer) {
                    used.take(s);
                    excerpts.push((*s).clone());
                }
            }
        }
        excerpts.sort_by_key(|s| s.span.start);
        // A headless part with no sentence of its own left to show is not shown.
        if !has_heading && title_is_fallback {
            if excerpts.is_empty()
                && groups.iter().all(|g| g.points.is_empty() && g.excerpt.is_none())
                && points.is_empty()
            {
                continue;
            }
            // The shortest of its sentences names it, when one is short
            // enough for a title; a long one stays an excerpt.
            let max = if lang == Lang::Zh { 40 } else { 25 };
            if let Some(k) = (0..excerpts.len())
                .filter(|&k| lift::measure(lang, &excerpts[k].text) <= max)
                .min_by_key(|&k| lift::measure(lang, &excerpts[k].text))
            {
                title = excerpts.remove(k).text;
            }
        }
        out.push(Part {
            section_id: top.id.clone(),
            number,
            label: top.label.clone(),
            title,
            has_heading,
            runs: runs(&points),
            points,
            groups,
            excerpts,
            gist: None,
            brief: None,
        });
    }
    out
}

/// The sentences of an English part that say what the speaker asks for,
/// in speech order: a leading ordinal (`Fifth, `) cut off, then standing
/// alone and at most 60 words.
fn requests(top: &crate::model::Section) -> Vec<SentenceRef> {
    const ORDINALS: [&str; 10] = [
        "First, ",
        "Second, ",
        "Secondly, ",
        "Third, ",
        "Thirdly, ",
        "Fourth, ",
        "Fifth, ",
        "Sixth, ",
        "Finally, ",
        "And ",
    ];
    let mut out = Vec::new();
    for sec in top.walk() {
        for s in sec.paragraphs.iter().flat_map(|p| &p.sentences) {
            let mut t = s.text.as_str();
            if let Some(rest) = ORDINALS.iter().find_map(|o| t.strip_prefix(o)) {
                t = rest;
            }
            let words = t.split_whitespace().count();
            if crate::summarize::facts::en_request(t)
                && words <= 60
                && t.starts_with(char::is_uppercase)
                && lift::stands_alone(t, Lang::En)
            {
                let start = s.span.end - t.len();
                out.push(SentenceRef {
                    section_id: sec.id.clone(),
                    text: t.to_owned(),
                    span: crate::model::Span { start, end: s.span.end },
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn kp(label: &str) -> KeyPoint {
        let source = SentenceRef {
            section_id: "1".into(),
            text: label.into(),
            span: Span { start: 0, end: 0 },
        };
        KeyPoint {
            text: String::new(),
            label: Some(label.into()),
            section_id: "1".into(),
            source,
            number: None,
        }
    }

    #[test]
    fn an_english_part_shows_its_requests_without_their_ordinals() {
        let doc = crate::ingest::ingest_bytes(
            b"Fifth, I am asking the Congress for 60 million dollars to increase the Marine Corps strength to 190,000 men. The Marines are ready. Sixth, to enhance readiness, I am asking for 100 million dollars. I therefore request the Congress to provide a total of 1.885 billion dollars for Military Assistance.\n",
            "k.txt",
            &crate::ingest::Hint::default(),
        )
        .unwrap();
        let o = crate::outline::outline(&doc);
        let top = o.parts().next().unwrap();
        let got: Vec<String> = requests(top).into_iter().map(|s| s.text).collect();
        assert_eq!(
            got,
            [
                "I am asking the Congress for 60 million dollars to increase the Marine Corps strength to 190,000 men.",
                "I therefore request the Congress to provide a total of 1.885 billion dollars for Military Assistance.",
            ]
        );
        let r = &requests(top)[0];
        assert_eq!(&doc.text[r.span.start..r.span.end], r.text);
    }

    #[test]
    fn enumerations_are_split_into_their_runs() {
        let labels = ["一是", "二是", "三是", "其一", "其二", "一要", "二要", "一是", "二是"];
        let pts: Vec<KeyPoint> = labels.iter().map(|l| kp(l)).collect();
        let got: Vec<usize> = runs(&pts).iter().map(Vec::len).collect();
        assert_eq!(got, [3, 2, 2, 2]);
        let en: Vec<KeyPoint> = ["First", "Secondly", "Third"].iter().map(|l| kp(l)).collect();
        assert_eq!(runs(&en).len(), 1);
        // Two `——` series one after the other: the same label, told apart
        // by the numbers the outline gave them.
        let dashes: Vec<KeyPoint> =
            [1, 2, 3, 1, 2].iter().map(|&n| KeyPoint { number: Some(n), ..kp("——") }).collect();
        let got: Vec<usize> = runs(&dashes).iter().map(Vec::len).collect();
        assert_eq!(got, [3, 2]);
    }
}
