//! template_question and thin_quiz: discussion questions cut from one
//! skeleton, and a self-test too thin or too raw to use.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::lifted::clip;
use crate::rules::first_match;
use crate::speech::{Speech, trim_quotes};

/// Quoted parts (“…”, "…", ‘…’, 「…」) and numbers: what a template fills in.
static FILLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"“[^”]*”|"[^"]*"|‘[^’]*’|「[^」]*」|\d+(?:[.,]\d+)*"#).expect("regex")
});

/// Source numbering kept at the start of a question or answer: `1.`,
/// `（一）`, `一、`, `(2)`.
static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:\d+\s*[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)",
    )
    .expect("regex")
});

/// A question about “…问题/problems” whose quoted part is an achievement.
static PROBLEM_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"问题|不足|(?i)\bproblems?\b").expect("regex"));

/// Minimum items of a quiz or Q&A.
const MIN_ITEMS: usize = 5;

pub(crate) fn template_question(s: &Speech) -> Vec<String> {
    let lang = s.lang();
    let questions: Vec<&str> = s.array_at("/questions").iter().filter_map(question_text).collect();
    let mut out = Vec::new();
    let mut skeletons: BTreeMap<String, usize> = BTreeMap::new();
    for q in &questions {
        let skeleton = FILLED.replace_all(q, "…").into_owned();
        let n = skeletons.entry(skeleton).or_insert(0);
        *n += 1;
        if *n > 2 {
            out.push(format!("{} (the skeleton of {} questions)", clip(q), *n));
            continue;
        }
        if let Some(r) = first_match("filler", lang, q) {
            out.push(format!("{} ({})", clip(q), r.why));
        } else if calls_achievement_a_problem(q, lang) {
            out.push(format!("{} (an achievement called a problem)", clip(q)));
        }
    }
    out
}

/// A question is a string, or an object with a `question` or `text`.
fn question_text(v: &Value) -> Option<&str> {
    v.as_str().or_else(|| v.get("question").or_else(|| v.get("text")).and_then(Value::as_str))
}

fn calls_achievement_a_problem(q: &str, lang: &str) -> bool {
    let quoted: Vec<&str> = FILLED
        .find_iter(q)
        .map(|m| m.as_str())
        .filter(|m| !m.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    let rest = FILLED.replace_all(q, "");
    !quoted.is_empty()
        && PROBLEM_WORD.is_match(&rest)
        && quoted.iter().any(|part| first_match("achievement", lang, part).is_some())
}

/// Over 200 字 (Han characters) or 100 words.
fn too_long_answer(a: &str) -> bool {
    let han = a.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count();
    han > 200 || han == 0 && a.split_whitespace().count() > 100
}

pub(crate) fn thin_quiz(s: &Speech) -> Vec<String> {
    let mut out = Vec::new();
    for (key, what) in [("/qa", "Q&A"), ("/quiz", "quiz")] {
        let items = s.array_at(key);
        if items.len() < MIN_ITEMS {
            out.push(format!("{what} has {} items (fewer than {MIN_ITEMS})", items.len()));
        }
        for item in items {
            let q = item.get("question").and_then(Value::as_str).unwrap_or("");
            let a = item.get("answer").and_then(Value::as_str).unwrap_or("");
            if NUMBERING.is_match(q) || NUMBERING.is_match(trim_quotes(a)) {
                out.push(format!("{what} item keeps source numbering: {}", clip(q)));
            } else if what == "quiz" && a.chars().count() > q.chars().count() {
                // A blank is a word or a figure: an answer longer than its sentence is no cloze.
                out.push(format!("{what} answer longer than its question: {}", clip(q)));
            } else if what == "Q&A" && too_long_answer(a) {
                // A short answer is a few points, not a page to learn by heart.
                out.push(format!("{what} answer too long for a short answer: {}", clip(q)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn speech(d: Value) -> Speech {
        Speech::new("s", d, &[])
    }

    #[test]
    fn template_questions() {
        for (lang, questions, n) in [
            (
                "zh",
                json!([
                    "如何理解讲话提出的“2025年工作回顾”？结合本地区本单位实际，谈谈应当怎样落实。",
                    "如何理解讲话提出的“开辟新境界”？结合本地区本单位实际，谈谈应当怎样落实。",
                    "如何理解讲话提出的“使命任务”？结合本地区本单位实际，谈谈应当怎样落实。",
                    "如何理解讲话提出的“科教兴国”？结合本地区本单位实际，谈谈应当怎样落实。"
                ]),
                2,
            ),
            (
                "zh",
                json!([
                    "讲话列举了“高压态势持续巩固”等要点。这些问题在你身边有哪些具体表现？应如何应对？"
                ]),
                1,
            ),
            (
                "zh",
                json!(["讲话列举了“压力传导存在衰减现象”等要点。这些问题在你身边有哪些具体表现？"]),
                0,
            ),
            ("en", json!(["The speech asks for \"funding for defense\". Do you agree?"]), 1),
            (
                "en",
                json!([
                    "Why does the speaker call the economy \"recovering\"?",
                    "What does \"axis of evil\" name?"
                ]),
                0,
            ),
        ] {
            let s = speech(json!({"meta": {"lang": lang}, "questions": questions}));
            assert_eq!(template_question(&s).len(), n, "{questions}: {:?}", template_question(&s));
        }
    }

    #[test]
    fn thin_quizzes() {
        let item = |q: &str, a: &str| json!({"question": q, "answer": a});
        let good: Vec<Value> =
            (0..5).map(|i| item(&format!("第{i}题：“____”是什么意思？"), "急难愁盼")).collect();
        assert!(thin_quiz(&speech(json!({"qa": good, "quiz": good}))).is_empty());
        assert_eq!(thin_quiz(&speech(json!({}))).len(), 2);
        let raw = vec![
            item("1. 1.“____”：是指重大战略实施", "两重"),
            item("（一）什么是两新？", "设备更新"),
            item("What?", "A very long answer indeed."),
            item("什么是两重？", "1.“两重”：是指…"),
            item("Fine question here?", "Fine."),
        ];
        // In the Q&A a long answer is fine unless it is a page; in the quiz it is no blank.
        assert_eq!(thin_quiz(&speech(json!({"qa": raw, "quiz": good}))).len(), 3);
        assert_eq!(thin_quiz(&speech(json!({"qa": good, "quiz": raw}))).len(), 4);
        let page =
            vec![item("讲话部署了哪些任务？", &"推进高质量发展；".repeat(30)); 5];
        assert_eq!(thin_quiz(&speech(json!({"qa": page, "quiz": good}))).len(), 5);
    }
}
