//! Detectors over the sentences the outputs lift out of the speech:
//! dup_excerpt, fragment, formula_quote, heading_takeaway.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::md_content;
use crate::rules::first_match;
use crate::speech::{Speech, han_count, normalise, trim_quotes, word_count};

/// dup_excerpt: a sentence the handout lifts (a blockquote, or a list item
/// that is a whole sentence) shown more than once; each repeat counts.
/// Glossary and label items (`- **术语**: …`) are not lifts of their own.
pub(crate) fn dup_excerpt(s: &Speech) -> Vec<String> {
    let mut seen: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for line in s.file("handout.md").lines() {
        let t = line.trim_start();
        let quote = t.starts_with('>');
        let item = t.starts_with("- ") || t.starts_with("* ") || starts_numbered(t);
        if !quote && !item {
            continue;
        }
        let mut c = md_content(t);
        if c.starts_with("**") {
            continue;
        }
        if c.starts_with(['“', '"']) {
            // `“…” — 习近平总书记`: the quotation without its attribution.
            if let Some(i) =
                c.rfind([' ', '—']).filter(|i| c[..*i].trim_end().ends_with(['”', '"']))
            {
                c = &c[..i];
            }
        }
        if !quote && !ends_sentence(c) {
            continue;
        }
        let key = normalise(c);
        if key.chars().count() < 8 {
            continue;
        }
        seen.entry(key).or_insert((0, c.to_owned())).0 += 1;
    }
    seen.into_values()
        .filter(|(n, _)| *n > 1)
        .flat_map(|(n, text)| (1..n).map(move |_| format!("{} ({n}×)", clip(&text))))
        .collect()
}

fn starts_numbered(t: &str) -> bool {
    t.find(". ").is_some_and(|i| i > 0 && i <= 3 && t[..i].chars().all(|c| c.is_ascii_digit()))
}

/// Ends on sentence-final punctuation (inside closing quotes or not).
fn ends_sentence(s: &str) -> bool {
    trim_quotes(s).ends_with(['。', '！', '？', '.', '!', '?'])
        || s.trim_end().ends_with(['。', '.', '!', '?'])
}

/// The first 40 characters of `s`, for a finding's message.
pub(crate) fn clip(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= 40 {
        s.to_owned()
    } else {
        s.chars().take(40).collect::<String>() + "…"
    }
}

/// Every sentence the outputs lift from the speech, once each: the digest's
/// overview, section, quote, background and key-fact sentences, the
/// newsletter's dek, lede, takeaways and pull quote, and the prose of
/// briefing.md. keypoints.md is exempt by design (one point a line).
pub(crate) fn lifted_sentences(s: &Speech) -> Vec<String> {
    let mut out = Vec::new();
    let texts = |v: &[Value], out: &mut Vec<String>| {
        for x in v {
            match x {
                Value::String(t) => out.push(t.clone()),
                _ => out.extend(x.get("text").and_then(Value::as_str).map(str::to_owned)),
            }
        }
    };
    // The overview is read as one paragraph: a sentence right after the one
    // it leans on (`… at war. Yet the state of our Union …`) reads well there.
    let mut prev_end: Option<u64> = None;
    for x in s.array_at("/overview_sentences") {
        let span = x.get("span").and_then(Value::as_array);
        let start = span.and_then(|a| a.first()).and_then(Value::as_u64);
        let follows = matches!((prev_end, start), (Some(e), Some(st)) if st >= e && st - e <= 3);
        if !follows {
            out.extend(x.get("text").and_then(Value::as_str).map(str::to_owned));
        }
        prev_end = span.and_then(|a| a.get(1)).and_then(Value::as_u64);
    }
    // What the handout and briefing show of each part (sections[].sentences
    // are the summariser's paragraphs, shown only for API providers).
    for p in s.array_at("/parts") {
        texts(p.get("excerpts").and_then(Value::as_array).map_or(&[], Vec::as_slice), &mut out);
        out.extend(p.pointer("/gist/text").and_then(Value::as_str).map(str::to_owned));
        if p.get("has_heading") == Some(&Value::Bool(false)) {
            out.extend(p.get("title").and_then(Value::as_str).map(str::to_owned));
        }
        for g in p.get("groups").and_then(Value::as_array).map_or(&[][..], Vec::as_slice) {
            out.extend(g.pointer("/excerpt/text").and_then(Value::as_str).map(str::to_owned));
        }
    }
    texts(s.array_at("/quotes"), &mut out);
    texts(s.array_at("/background/sentences"), &mut out);
    texts(s.array_at("/key_facts"), &mut out);
    for p in ["/newsletter/dek", "/newsletter/lede", "/newsletter/pull_quote/text"] {
        out.push(s.str_at(p).to_owned());
    }
    texts(s.array_at("/newsletter/takeaways"), &mut out);
    // Figure clauses are listed as figures (lost_figure judges them), not as sentences.
    let clauses: Vec<&str> = s
        .array_at("/briefing/figures")
        .iter()
        .chain(s.array_at("/figures"))
        .filter_map(|f| f.get("clause").and_then(Value::as_str))
        .collect();
    for line in s.file("briefing.md").lines() {
        let t = line.trim();
        if clauses.iter().any(|c| t.trim_start_matches("- ") == *c) {
            continue;
        }
        if t.is_empty()
            || t.starts_with(['#', '|', '<'])
            || t.starts_with("- **")
            || t.starts_with("> ")
        {
            continue;
        }
        out.extend(split_sentences(md_content(t)));
    }
    let mut seen = HashSet::new();
    out.into_iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty() && seen.insert(normalise(t)))
        .collect()
}

/// `para` cut after each sentence-final mark (an English one only before a
/// space and a capital, and not after a title such as `Mr.`).
pub(crate) fn split_sentences(para: &str) -> Vec<String> {
    let chars: Vec<char> = para.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        let cut = match c {
            '。' | '！' | '？' => !matches!(chars.get(i + 1), Some('”' | '’' | '）')),
            '”' => i > 0 && matches!(chars[i - 1], '。' | '！' | '？'),
            '.' | '!' | '?' => {
                chars.get(i + 1) == Some(&' ')
                    && chars.get(i + 2).is_some_and(|n| n.is_uppercase() || *n == '"' || *n == '“')
                    && !ends_with_title(&cur)
            }
            _ => false,
        };
        if cut {
            out.push(std::mem::take(&mut cur).trim().to_owned());
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_owned());
    }
    out
}

fn ends_with_title(cur: &str) -> bool {
    let last = cur.trim_end_matches('.').rsplit(' ').next().unwrap_or("");
    matches!(
        last,
        "Mr" | "Mrs" | "Ms" | "Dr" | "St" | "Jr" | "Sr" | "Gen" | "Sen" | "Rep" | "U.S" | "No"
    )
}

/// fragment: a lifted sentence that cannot stand alone: it opens with a
/// dangling opener, stops on a clause mark, or is the first item of an
/// enumeration without the rest.
pub(crate) fn fragment(s: &Speech) -> Vec<String> {
    let lang = s.lang();
    lifted_sentences(s)
        .into_iter()
        .filter_map(|t| why_fragment(&t, lang).map(|why| format!("{} ({why})", clip(&t))))
        .collect()
}

fn why_fragment(text: &str, lang: &str) -> Option<String> {
    let t = trim_quotes(text);
    if let Some(r) = first_match("opener", lang, t) {
        return Some(r.why.clone());
    }
    if let Some(r) = first_match("clause_end", lang, t) {
        return Some(r.why.clone());
    }
    for (first, second) in [
        ("一是", "二是"),
        ("一要", "二要"),
        ("其一", "其二"),
        ("第一，", "第二"),
        ("第一,", "第二"),
    ] {
        if t.starts_with(first) && !t.contains(second) {
            return Some(format!("{first} without {second}: an enumeration cut to its first item"));
        }
    }
    None
}

/// formula_quote: a quote, pull quote, dek or takeaway that is a
/// salutation, a meeting formula, applause or a speaker label; a quote,
/// pull quote or dek that is too short to be a statement (under 6 字 or 4
/// words; short takeaways are heading_takeaway's).
pub(crate) fn formula_quote(s: &Speech) -> Vec<String> {
    let lang = s.lang();
    let mut items: Vec<(String, bool)> = Vec::new();
    for q in s.array_at("/quotes") {
        items.extend(q.get("text").and_then(Value::as_str).map(|t| (t.to_owned(), true)));
    }
    items.push((s.str_at("/newsletter/pull_quote/text").to_owned(), true));
    items.push((s.str_at("/newsletter/dek").to_owned(), true));
    for t in s.array_at("/newsletter/takeaways") {
        items.extend(t.as_str().map(|t| (t.to_owned(), false)));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (text, check_length) in items {
        let t = trim_quotes(&text);
        if t.is_empty() || !seen.insert(normalise(t)) {
            continue;
        }
        let why = if let Some(r) = first_match("formula", lang, t) {
            r.why.clone()
        } else if check_length && too_short(t, lang) {
            String::from("too short to be a statement")
        } else {
            continue;
        };
        out.push(format!("{} ({why})", clip(t)));
    }
    out
}

fn too_short(t: &str, lang: &str) -> bool {
    if lang == "zh" { han_count(t) < 6 } else { word_count(t) < 4 }
}

/// heading_takeaway: a newsletter takeaway that is a section heading (or
/// part of one), has no sentence-final punctuation, or is under 10 字 / 6
/// words. One finding per takeaway.
pub(crate) fn heading_takeaway(s: &Speech) -> Vec<String> {
    let lang = s.lang();
    let mut headings = Vec::new();
    collect_headings(s.digest.get("outline").unwrap_or(&Value::Null), &mut headings);
    collect_headings(s.digest.get("sections").unwrap_or(&Value::Null), &mut headings);
    let headings: Vec<String> =
        headings.iter().map(|h| normalise(h).to_lowercase()).filter(|h| !h.is_empty()).collect();
    let mut out = Vec::new();
    for t in s.array_at("/newsletter/takeaways").iter().filter_map(Value::as_str) {
        let key = normalise(t).to_lowercase();
        let why = if key.is_empty() {
            continue;
        } else if headings.iter().any(|h| h.contains(&key)) {
            "a section heading"
        } else if !ends_sentence(t) {
            "not a sentence (no final punctuation)"
        } else if if lang == "zh" { han_count(t) < 10 } else { word_count(t) < 6 } {
            "too short for a takeaway"
        } else {
            continue;
        };
        out.push(format!("{} ({why})", clip(t)));
    }
    out
}

/// Every `heading` string anywhere under `v`.
fn collect_headings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| collect_headings(x, out)),
        Value::Object(o) => {
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("heading", Value::String(h)) => out.push(h.clone()),
                    _ => collect_headings(x, out),
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn duplicated_excerpts() {
        // The old handout: a parent section repeats its child's excerpts.
        let bad = "### [2]\n\n> 除恶务尽,治乱用重典。\n\n> 对群众身边的腐败问题,必须坚持“零容忍”的态度。\n\n\
                   ### [2.1]\n\n> 除恶务尽,治乱用重典。\n\n## 金句\n\n- “除恶务尽,治乱用重典。” [2.1]\n\
                   - **零容忍**: 对群众身边的腐败问题,必须坚持“零容忍”的态度。 [2.1]\n";
        let s = Speech::new("s", json!({}), &[("handout.md", bad)]);
        assert_eq!(dup_excerpt(&s).len(), 2, "{:?}", dup_excerpt(&s));
        let good = "> 除恶务尽,治乱用重典。\n\n> Good jobs depend on expanded trade.\n\n- 一是：高压态势持续巩固 [1]\n- 一是：高压态势持续巩固 [2]\n";
        let s = Speech::new("s", json!({}), &[("handout.md", good)]);
        assert!(dup_excerpt(&s).is_empty(), "{:?}", dup_excerpt(&s));
    }

    #[test]
    fn fragments() {
        for (text, lang, bad) in [
            ("这一系列数字的背后,是我们坚决维护群众利益的鲜明态度。", "zh", true),
            ("这些问题的存在,深刻说明了深化集中整治的极端重要性和紧迫性。", "zh", true),
            ("此外,还要加强监督。", "zh", true),
            ("二是繁荣首都文化。", "zh", true),
            ("其二,腐败手段呈现隐形变异。", "zh", true),
            ("第二,坚持抓主抓重。", "zh", true),
            ("生态环境保护任务依然艰巨；", "zh", true),
            ("香港、澳门落实“一国两制”的体制机制不健全,", "zh", true),
            ("一是高压态势持续巩固。", "zh", true),
            ("一是高压态势持续巩固,二是突出问题得到有力整治。", "zh", false),
            ("这次会议的主要任务是,总结工作、部署任务。", "zh", false),
            ("除恶务尽,治乱用重典。", "zh", false),
            ("Second, a major part of the budget goes to defense.", "en", true),
            ("This is the moment.", "en", true),
            ("And tonight, thanks to them, we are winning the war on terror.", "en", true),
            ("Finally, we must act.", "en", true),
            ("We have spent more than a billion dollars a month --", "en", true),
            ("America and Afghanistan are now allies against terror.", "en", false),
            ("Thistle grows here.", "en", false),
            ("a war to end all wars.", "en", true),
        ] {
            assert_eq!(why_fragment(text, lang).is_some(), bad, "{text}");
        }
    }

    #[test]
    fn fragments_of_a_speech_counted_once() {
        let d = json!({"meta": {"lang": "en"},
            "overview_sentences": [{"text": "Second, we act."}],
            "sections": [{"sentences": [{"text": "Second, we act."}, {"text": "We act now."}]}],
            "newsletter": {"dek": "Also this.", "takeaways": []}});
        let s = Speech::new(
            "s",
            d,
            &[("briefing.md", "# T\n\n- **Date**: 2002\n\nWe act now. But not alone.\n")],
        );
        assert_eq!(fragment(&s).len(), 3, "{:?}", fragment(&s));
    }

    #[test]
    fn sentence_split() {
        assert_eq!(
            split_sentences("Mr. Speaker, thank you. We act. \"Now.\""),
            vec!["Mr. Speaker, thank you.", "We act.", "\"Now.\""]
        );
        assert_eq!(
            split_sentences("我们行动。他说：“好。”然后"),
            vec!["我们行动。", "他说：“好。”", "然后"]
        );
    }

    #[test]
    fn formulas_as_quotes() {
        for (text, lang, bad) in [
            ("刚才,几位同志作了很好的发言,我都同意。", "zh", true),
            ("下面,我讲三点意见。", "zh", true),
            ("这里作简要说明。", "zh", true),
            ("谢谢大家！", "zh", true),
            ("同志们：", "zh", true),
            ("Mr. Speaker, Mr. President, members of Congress", "en", true),
            ("THE PRESIDENT: Thank you all.", "en", true),
            ("(Applause.)", "en", true),
            ("Thank you very much.", "en", true),
            ("必须坚持治国必先治党、党兴才能国强", "zh", false),
            ("Good jobs depend on expanded trade.", "en", false),
        ] {
            let d = json!({"meta": {"lang": lang}, "quotes": [{"text": text}]});
            assert_eq!(formula_quote(&Speech::new("s", d, &[])).len(), usize::from(bad), "{text}");
        }
        let d = json!({"meta": {"lang": "en"}, "quotes": [{"text": "Jobs."}],
            "newsletter": {"dek": "Jobs.", "pull_quote": {"text": "Let us begin."}}});
        assert_eq!(formula_quote(&Speech::new("s", d, &[])).len(), 2);
    }

    #[test]
    fn headings_as_takeaways() {
        let d = json!({"meta": {"lang": "zh"},
        "outline": [{"heading": "2025年工作回顾", "children": [{"heading": "肯定成绩正视不足,在深化思想认识中增强行动自觉"}]}],
        "newsletter": {"takeaways": [
            "2025年工作回顾",
            "肯定成绩正视不足",
            "高压态势持续巩固",
            "全市纪检监察机关收到的重复举报数量同比下降了18%",
            "全市纪检监察机关收到的重复举报数量同比下降了18%。",
        ]}});
        assert_eq!(heading_takeaway(&Speech::new("s", d, &[])).len(), 4);
        let d = json!({"meta": {"lang": "en"}, "sections": [{"heading": "What we have built"}],
            "newsletter": {"takeaways": ["what we have built", "Good jobs depend on expanded trade.",
                "Jobs matter.", "Homeland security will make America not only stronger, but better."]}});
        assert_eq!(heading_takeaway(&Speech::new("s", d, &[])).len(), 2);
    }
}
