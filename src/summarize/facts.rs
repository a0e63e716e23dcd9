//! Facts a handout needs, taken verbatim from the speech: figures (a number
//! with its unit, what it measures, its sentence), notable quotations, terms
//! (coined phrases in “…”, glossary notes, keyphrases) with the sentence that
//! defines or uses them, discussion questions built from headings and points
//! by language-aware rules, and a short cloze quiz with its answer key.
//!
//! Every string that quotes the speech is a substring of it: the rules only
//! choose, they never write figures or quotations.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{SectionSummary, SentenceRef};

use crate::model::Lang;
use crate::model::{Figure, QuizItem, Quote, Term};
use crate::model::{Outline, SectionKind};
use crate::summarize::extractive;

static ZH_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:约|近|超过|逾)?[0-9０-９][0-9０-９,，.．]*(?:[0-9０-９])?\s*",
        r"(?:%|％|‰|个百分点|万亿元|亿元|万元|千元|元|万亿|亿|万人次|万人|人次|人|万户|户|家|个|项|次|倍|公里|千米|平方公里|平方米|万吨|吨|万亩|亩|件|所|座|条|套|辆|台|名|位|岁|天|小时|分钟|美元|欧元|千瓦|万千瓦|度|GW|MW|kW|km|公顷)"
    ))
    .expect("static regex")
});

static EN_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\$\s?)?\b\d[\d,]*(?:\.\d+)?(?:\s?(?:%|percent|per cent))?(?:\s(?:million|billion|trillion|thousand|hundred))?(?:\s(?:dollars|people|Americans|nations|countries|jobs|troops|men|miles|years|months|days|tons|units|students|schools|percent))?\b")
        .expect("static regex")
});

static ZH_ATTRIBUTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}]{2,12}?)(?:反复|多次|深刻|明确)?(?:强调|指出|说|讲|要求|提出|告诫|寄语)(?:过|道)?[，,：:]\s*“([^”]{8,300})”").expect("static regex")
});

static ZH_COINED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"“([^”“]{2,16})”").expect("static regex"));

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

static MEASURE_TRIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:同比|分别|累计|共|达到|达|为|是|增长|下降|提升|提高|减少|降低|超过|突破|约|近|了|到|至|在|the|of|to|by|is|was|were|about|nearly|over|some|an additional|additional|a total of|total of|\s)+$")
        .expect("static regex")
});

fn is_year_like(v: &str) -> bool {
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    digits.len() == 4
        && !v.contains(['%', '.', '$'])
        && v.trim().chars().all(|c| c.is_ascii_digit())
}

/// Every figure of the speech, in order, with its clause.
pub(crate) fn figures(sentences: &[SentenceRef], lang: Lang) -> Vec<Figure> {
    let mut out = Vec::new();
    for s in sentences {
        let re = if lang == Lang::Zh { &*ZH_FIGURE } else { &*EN_FIGURE };
        for m in re.find_iter(&s.text) {
            let value = m.as_str().trim();
            if value.is_empty()
                || (lang == Lang::En
                    && (is_year_like(value)
                        || value.chars().all(|c| c.is_ascii_digit()) && value.len() < 3))
            {
                continue;
            }
            // A bare English number without unit is only a figure when large.
            if lang == Lang::En
                && value.chars().all(|c| c.is_ascii_digit() || c == ',')
                && value.len() < 5
            {
                continue;
            }
            let before = &s.text[..m.start()];
            let clause_start = before
                .rfind(['，', '；', '：', ',', ';', ':', '。', '—'])
                .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
            let clause = before[clause_start..].trim();
            let trimmed = MEASURE_TRIM.replace(clause, "").trim().to_owned();
            // "同比提升了3.1个百分点": nothing left once trimmed, so keep the clause.
            let measures = if trimmed.is_empty() { clause.to_owned() } else { trimmed };
            out.push(Figure { value: value.to_owned(), measures, source: s.clone() });
        }
    }
    out
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
                    && !super::is_procedural(&s.text, false, lang)
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

/// At most this many coined phrases in a digest.
const MAX_COINED: usize = 40;

/// Terms: coined phrases in “…” used by the speech (most frequent first),
/// glossary notes, then keyphrases; each with its defining or first sentence.
pub(crate) fn terms(
    outline: &Outline,
    sentences: &[SentenceRef],
    scores: &[(SentenceRef, f64)],
    lang: Lang,
    n: usize,
) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::new();
    // Glossary notes (`1.“两重”：是指…`).
    for sec in outline.sections.iter().filter(|s| s.kind == SectionKind::Notes) {
        for p in &sec.paragraphs {
            let Some(first) = p.sentences.first() else { continue };
            let t = first
                .text
                .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '、' | '．'));
            if let Some(colon) = t.find(['：', ':']) {
                // `“两重”` loses its quotes; `…“一张图”` keeps them (the quote is part of the term).
                let raw = t[..colon].trim();
                let term = match raw.strip_prefix('“').and_then(|r| r.strip_suffix('”')) {
                    Some(inner) if !inner.contains(['“', '”']) => inner,
                    _ => raw,
                };
                if (2..=30).contains(&term.chars().count()) {
                    let source = SentenceRef {
                        section_id: sec.id.clone(),
                        text: first.text.clone(),
                        span: first.span,
                    };
                    out.push(Term {
                        term: term.to_owned(),
                        kind: "glossary".to_owned(),
                        count: 1,
                        source,
                    });
                }
            }
        }
    }
    if lang == Lang::Zh {
        let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new(); // term → (count, first sentence index)
        for (i, s) in sentences.iter().enumerate() {
            for c in ZH_COINED.captures_iter(&s.text) {
                let t = c.get(1).map_or("", |m| m.as_str());
                // Terms are phrases, not clauses: no sentence punctuation inside.
                if t.contains(['，', '。', '：', '；', '！', '？'])
                    || t.chars().all(|c| c.is_ascii_digit())
                {
                    continue;
                }
                let e = counts.entry(t).or_insert((0, i));
                e.0 += 1;
            }
        }
        // The most used coined phrases (then the longer, more distinctive
        // ones), shown in speech order.
        let mut coined: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
        coined.sort_by(|a, b| {
            b.1.0
                .cmp(&a.1.0)
                .then(b.0.chars().count().cmp(&a.0.chars().count()))
                .then(a.1.1.cmp(&b.1.1))
        });
        coined.truncate(MAX_COINED);
        coined.sort_by_key(|c| c.1.1);
        for (t, (count, first)) in coined {
            if out.iter().any(|x| x.term == t) {
                continue;
            }
            let defining = sentences.iter().find(|s| {
                s.text.contains(&format!("“{t}”"))
                    && ["是指", "就是", "即", "指的是"].iter().any(|d| s.text.contains(d))
            });
            let source = defining.unwrap_or(&sentences[first]).clone();
            out.push(Term { term: t.to_owned(), kind: "coined".to_owned(), count, source });
        }
    }
    // Keyphrases of the speech's central sentences (a quarter, at least 40):
    // what matters, and a fraction of the cost of tagging every word.
    let mut ranked: Vec<&(SentenceRef, f64)> = scores.iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.span.start.cmp(&b.0.span.start)));
    let keep = (scores.len() / 4).max(40);
    let mut central: Vec<&SentenceRef> = ranked.into_iter().take(keep).map(|(s, _)| s).collect();
    central.sort_by_key(|s| s.span.start);
    let texts: Vec<&str> = if central.is_empty() {
        sentences.iter().map(|s| s.text.as_str()).collect()
    } else {
        central.iter().map(|s| s.text.as_str()).collect()
    };
    for (k, _) in extractive::keyphrases(&texts, lang, n) {
        if out.iter().any(|x| x.term.contains(&k) || k.contains(&x.term)) {
            continue;
        }
        let uses: Vec<&SentenceRef> = sentences.iter().filter(|s| s.text.contains(&k)).collect();
        if let Some(first) = uses.first() {
            out.push(Term {
                term: k.clone(),
                kind: "keyphrase".to_owned(),
                count: uses.len(),
                source: (*first).clone(),
            });
        }
    }
    let keep = out.iter().filter(|t| t.kind != "keyphrase").count() + n.min(8);
    out.truncate(keep);
    out
}

/// Quotation marks inside a quoted heading become single ones.
fn inner(s: &str) -> String {
    s.replace('“', "‘").replace('”', "’")
}

/// Discussion questions from the speech's headings and points.
pub(crate) fn questions(sections: &[SectionSummary], lang: Lang, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let parts: Vec<&SectionSummary> = sections
        .iter()
        .filter(|s| s.level == 1 && matches!(s.kind, SectionKind::Part | SectionKind::Group))
        .collect();
    for s in &parts {
        let q = match (lang, &s.heading) {
            (Lang::Zh, Some(h)) => format!(
                "如何理解讲话提出的“{}”？结合本地区本单位实际，谈谈应当怎样落实。",
                inner(h)
            ),
            (Lang::En, Some(h)) => format!(
                "What does the speaker mean by \u{201c}{h}\u{201d}, and what would it take to act on it?"
            ),
            (Lang::Zh, None) => match s.sentences.first() {
                Some(x) => format!("讲话指出：“{}”你如何看待这一判断？", x.text),
                None => continue,
            },
            (Lang::En, None) => match s.sentences.first() {
                Some(x) => format!(
                    "The speaker says: \u{201c}{}\u{201d} Do you agree? What follows from it?",
                    x.text
                ),
                None => continue,
            },
        };
        out.push(q);
    }
    for s in &parts {
        if let Some(kp) = s.key_points.iter().find(|k| k.label.is_some()) {
            let q = match lang {
                Lang::Zh => format!(
                    "讲话列举了“{}”等要点。这些问题在你身边有哪些具体表现？应如何应对？",
                    inner(&kp.text)
                ),
                Lang::En => format!(
                    "The speaker lists \u{201c}{}\u{201d} among the points. Where do you see it in practice, and how should it be addressed?",
                    kp.text
                ),
            };
            out.push(q);
        }
    }
    let general = match lang {
        Lang::Zh => [
            "这篇讲话的核心要求是什么？请用一句话概括。",
            "讲话中哪一项部署与你的工作关系最密切？你打算如何落实？",
            "讲话提到的哪个问题最值得警惕？为什么？",
        ],
        Lang::En => [
            "What is the one message of this speech, in a sentence?",
            "Which proposal in the speech matters most to your own work or community, and why?",
            "Which problem named in the speech is the most pressing today? Why?",
        ],
    };
    for g in general {
        if out.len() >= n.max(3) {
            break;
        }
        out.push(g.to_owned());
    }
    out.truncate(n.max(3));
    out
}

/// A cloze quiz: sentences with a coined term or a figure blanked out.
pub(crate) fn quiz(terms: &[Term], figures: &[Figure], n: usize) -> Vec<QuizItem> {
    let mut out: Vec<QuizItem> = Vec::new();
    let mut used_sentences: Vec<usize> = Vec::new();
    for t in terms.iter().filter(|t| t.kind != "keyphrase") {
        if out.len() > n.div_ceil(2) {
            break;
        }
        let s = &t.source;
        if used_sentences.contains(&s.span.start)
            || !s.text.contains(&t.term)
            || s.text.chars().count() > 120
        {
            continue;
        }
        used_sentences.push(s.span.start);
        out.push(QuizItem {
            question: s.text.replacen(&t.term, "____", 1),
            answer: t.term.clone(),
            section_id: s.section_id.clone(),
        });
    }
    for f in figures {
        if out.len() >= n {
            break;
        }
        let s = &f.source;
        if used_sentences.contains(&s.span.start)
            || s.text.chars().count() > 120
            || f.measures.is_empty()
        {
            continue;
        }
        used_sentences.push(s.span.start);
        out.push(QuizItem {
            question: s.text.replacen(&f.value, "____", 1),
            answer: f.value.clone(),
            section_id: s.section_id.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn sref(text: &str) -> SentenceRef {
        SentenceRef {
            section_id: "1".to_owned(),
            text: text.to_owned(),
            span: Span { start: 0, end: text.len() },
        }
    }

    #[test]
    fn zh_figures_keep_units_and_what_they_measure() {
        let s = [sref(
            "全市纪检监察机关收到的重复举报数量同比下降了18%，群众满意度达到96.2%，同比提升了3.1个百分点。",
        )];
        let f = figures(&s, Lang::Zh);
        let got: Vec<(&str, &str)> =
            f.iter().map(|f| (f.value.as_str(), f.measures.as_str())).collect();
        assert_eq!(
            got,
            [
                ("18%", "全市纪检监察机关收到的重复举报数量"),
                ("96.2%", "群众满意度"),
                ("3.1个百分点", "同比提升了")
            ]
        );
        assert!(f.iter().all(|x| s[0].text.contains(&x.value)));
    }

    #[test]
    fn en_figures_skip_years() {
        let s =
            [sref("In 1961 we asked for an additional 23 million dollars, or 12 percent more.")];
        let got: Vec<String> = figures(&s, Lang::En).into_iter().map(|f| f.value).collect();
        assert_eq!(got, ["23 million dollars", "12 percent"]);
    }

    #[test]
    fn attributed_quotes_and_coined_terms() {
        let s = [
            sref("习近平总书记反复强调，“必须坚持治国必先治党、党兴才能国强”。"),
            sref("对“蝇贪蚁腐”露头就打。"),
            sref("推进“打伞破网”，整治“蝇贪蚁腐”。"),
        ];
        let q = quotes(&s, &[], Lang::Zh, 1);
        assert_eq!(q[0].text, "必须坚持治国必先治党、党兴才能国强");
        assert_eq!(q[0].attribution.as_deref(), Some("习近平总书记"));
        let o = Outline {
            meta: crate::model::Meta {
                title: None,
                date: None,
                published: None,
                speaker: None,
                occasion: None,
                outlet: None,
                lang: Lang::Zh,
                source: String::new(),
                chars: 0,
                encoding: String::new(),
            },
            sections: vec![],
            warnings: vec![],
        };
        let t = terms(&o, &s, &[], Lang::Zh, 2);
        assert_eq!(t[0].term, "蝇贪蚁腐");
        assert_eq!(t[0].count, 2);
        let qz = quiz(&t, &[], 2);
        assert!(qz[0].question.contains("____") && !qz[0].question.contains(&qz[0].answer));
    }
}
