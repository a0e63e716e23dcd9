//! Discussion questions, the short-answer self-test and the cloze quiz,
//! built from the speech's headings, points and terms.

use crate::model::Lang;
use crate::model::{Figure, QuizItem, SectionKind, SectionSummary, Term};

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
