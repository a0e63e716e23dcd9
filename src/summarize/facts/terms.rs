//! Terms: coined phrases in “…”, the speech's own 名词解释, keyphrases;
//! each with the sentence that defines or uses it.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Lang;
use crate::model::{Outline, SectionKind, SentenceRef, Term};
use crate::summarize::extractive;

static ZH_COINED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"“([^”“]{2,16})”").expect("static regex"));

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
                        definition: None,
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
            out.push(Term {
                term: t.to_owned(),
                kind: "coined".to_owned(),
                count,
                definition: None,
                source,
            });
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
                definition: None,
                source: (*first).clone(),
            });
        }
    }
    let keep = out.iter().filter(|t| t.kind != "keyphrase").count() + n.min(8);
    out.truncate(keep);
    out
}
