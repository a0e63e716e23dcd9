//! lost_figure: a figure shown in the newsletter or the briefing whose
//! displayed text lost what makes it a fact: its direction (`下降18%`
//! shown as `18%`), its measure (`**7,000 miles** Even`), its period
//! (`$30 million` of `$30 million a day`), or its digits (`65 billion` cut
//! from `2.65 billion`). The display is read from the rendered files; the
//! digest only says which source sentence each value came from.

use std::collections::HashSet;

use serde_json::Value;

use crate::rules::{first_match, rules};
use crate::speech::{Speech, han_count, word_count};

/// Characters before the value in which a direction word belongs to it (a
/// clause rarely puts its verb further away); zh puts it before the value
/// (`增长5.4%`: a direction after the value is the next figure's), en on
/// either side (`fell by 18%`, `18% lower`), so en also looks
/// [`AFTER_EN`] characters on.
const NEAR_ZH: usize = 12;
const NEAR_EN: usize = 40;
const AFTER_EN: usize = 12;

pub(crate) fn lost_figure(s: &Speech) -> Vec<String> {
    let lang = s.lang();
    let shown = displayed_segments(s);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let figures = s.array_at("/newsletter/figures").iter().chain(s.array_at("/figures"));
    for f in figures {
        let value = f.get("value").and_then(Value::as_str).unwrap_or("").trim();
        let source = f.pointer("/source/text").and_then(Value::as_str).unwrap_or("");
        if value.is_empty() || !seen.insert((value.to_owned(), source.to_owned())) {
            continue;
        }
        let displays: Vec<&String> = shown.iter().filter(|d| d.contains(value)).collect();
        if displays.is_empty() {
            continue; // not shown to the reader
        }
        let whys: Vec<String> =
            displays.iter().filter_map(|d| why_lost(value, source, d, lang)).collect();
        if let Some(why) = whys.first() {
            out.push(format!("{value} ({why})"));
        }
    }
    out
}

/// The places a figure is shown: each `·`-separated segment of a
/// newsletter line and each line of the briefing and newsletter, without
/// Markdown emphasis.
fn displayed_segments(s: &Speech) -> Vec<String> {
    let mut out = Vec::new();
    for file in ["newsletter.md", "briefing.md"] {
        for line in s.file(file).lines() {
            let line = super::md_content(line).replace("**", "");
            out.extend(line.split(" · ").map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()));
        }
    }
    out
}

/// Why the display `shown` of `value` (from `source`) lost its meaning.
fn why_lost(value: &str, source: &str, shown: &str, lang: &str) -> Option<String> {
    let rest = shown.replacen(value, "", 1);
    let measure = rest.trim_matches(|c: char| !c.is_alphanumeric() && !crate::speech::is_han(c));
    let has_measure = if lang == "zh" { han_count(measure) >= 2 } else { word_count(measure) >= 2 };
    if !has_measure {
        return Some(String::from("no measure"));
    }
    let Some(at) = source.find(value) else {
        return None; // the value is not verbatim in the source: nothing to compare
    };
    let before = &source[..at];
    let after = &source[at + value.len()..];
    if broken_before(before) || broken_after(after) {
        return Some(String::from("a broken number: the source has more digits"));
    }
    let near = if lang == "zh" { NEAR_ZH } else { NEAR_EN };
    let after_near = if lang == "zh" { 0 } else { AFTER_EN };
    let window = format!(
        "{} {}",
        tail_chars(clause_tail(before), near),
        head_chars(clause_head(after), after_near)
    );
    if let Some(r) = rules("direction", lang).find(|r| r.re.is_match(&window))
        && !r.re.is_match(shown)
        && first_match("direction", lang, shown).is_none()
    {
        let word = r.re.find(&window).map_or("", |m| m.as_str());
        return Some(format!("lost its direction ({word})"));
    }
    let period_window = if lang == "zh" { tail_chars(clause_tail(before), near) } else { after };
    let period_in = |t: &str| {
        rules("period", lang).find_map(|r| r.re.find(t).map(|m| m.as_str().trim().to_owned()))
    };
    if let Some(p) = period_in(period_window)
        && !shown.contains(p.as_str())
    {
        return Some(format!("lost its period ({p})"));
    }
    None
}

/// `65 billion` of `2.65 billion`: the value follows a digit, or a `.`/`,`
/// after a digit.
fn broken_before(before: &str) -> bool {
    let mut it = before.chars().rev();
    match it.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('.' | ',') => it.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// `2 million` of `2 million, 400 thousand`: the value is followed by a
/// digit, or by `.`/`,` and (a space and) a digit.
fn broken_after(after: &str) -> bool {
    let mut it = after.chars();
    match it.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('.' | ',') => match it.next() {
            Some(' ') => it.next().is_some_and(|c| c.is_ascii_digit()),
            Some(c) => c.is_ascii_digit(),
            None => false,
        },
        _ => false,
    }
}

/// A clause boundary at byte `i` of `s`: `，；;。：`, or a `,` that is not
/// a thousands separator (`1,000`).
fn boundary_at(s: &str, i: usize) -> bool {
    match s[i..].chars().next() {
        Some('，' | '；' | ';' | '。' | '：') => true,
        Some(',') => !s[i + 1..].starts_with(|c: char| c.is_ascii_digit()),
        _ => false,
    }
}

/// The part of `before` after its last clause boundary.
fn clause_tail(before: &str) -> &str {
    let cut = before
        .char_indices()
        .rfind(|(i, _)| boundary_at(before, *i))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &before[cut..]
}

/// The part of `after` before its first clause boundary.
fn clause_head(after: &str) -> &str {
    let end =
        after.char_indices().find(|(i, _)| boundary_at(after, *i)).map_or(after.len(), |(i, _)| i);
    &after[..end]
}

fn tail_chars(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    let skip = s.char_indices().nth(count - n).map_or(0, |(i, _)| i);
    &s[skip..]
}

fn head_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_that_lost_their_meaning() {
        let seed = "根据最新统计,去年以来,全市纪检监察机关收到的重复举报、越级举报数量同比下降了18%,群众对党风廉政建设和反腐败工作的满意度达到96.2%,同比提升了3.1个百分点。";
        let bush = "We have spent more than a billion dollars a month -- over $30 million a day -- and we must be prepared.";
        for (value, source, shown, lang, bad) in [
            ("18%", seed, "18% 全市纪检监察机关收到的重复举报、越级举报数量", "zh", true),
            (
                "18%",
                seed,
                "18% 全市纪检监察机关收到的重复举报、越级举报数量同比下降了",
                "zh",
                false,
            ),
            ("96.2%", seed, "96.2% 群众对党风廉政建设和反腐败工作的满意度", "zh", false),
            ("3.1个百分点", seed, "3.1个百分点 同比提升了", "zh", false),
            (
                "$30 million",
                bush,
                "$30 million We have spent more than a billion dollars a month --",
                "en",
                true,
            ),
            ("$30 million", bush, "$30 million a day, on the war", "en", false),
            (
                "7,000 miles",
                "Even 7,000 miles away, our troops serve.",
                "7,000 miles Even",
                "en",
                true,
            ),
            (
                "65 billion",
                "The total amount requested--now raised to 2.65 billion dollars.",
                "65 billion dollars — The total amount requested",
                "en",
                true,
            ),
            (
                "2 million",
                "We need 2 million, 400 thousand new homes.",
                "2 million new homes we need",
                "en",
                true,
            ),
            (
                "9,000 jobs",
                "Exports fell by 9,000 jobs in the quarter.",
                "9,000 jobs in the quarter of exports",
                "en",
                true,
            ),
            ("5%", "地区生产总值增长5%左右。", "5% 地区生产总值增长", "zh", false),
            (
                "96.2%",
                "数量同比下降了18%,群众满意度达到96.2%,同比提升了3.1个百分点。",
                "96.2% 群众满意度",
                "zh",
                false,
            ),
            (
                "5.2万亿元",
                "全市地区生产总值5.2万亿元、增长5.4%。",
                "5.2万亿元 全市地区生产总值",
                "zh",
                false,
            ),
            (
                "5.4%",
                "全市地区生产总值5.2万亿元、增长5.4%。",
                "5.4% 全市地区生产总值5.2万亿元、",
                "zh",
                true,
            ),
        ] {
            assert_eq!(
                why_lost(value, source, shown, lang).is_some(),
                bad,
                "{value} / {shown}: {:?}",
                why_lost(value, source, shown, lang)
            );
        }
    }

    #[test]
    fn only_shown_figures_count_once() {
        let d = serde_json::json!({"meta": {"lang": "zh"},
            "figures": [{"value": "18%", "source": {"text": "数量同比下降了18%。"}},
                        {"value": "7个", "source": {"text": "新建7个中心。"}}],
            "newsletter": {"figures": [{"value": "18%", "source": {"text": "数量同比下降了18%。"}}]}});
        let s = Speech::new(
            "s",
            d,
            &[
                ("newsletter.md", "**18%** 重复举报数量 · **2项** 其他"),
                ("briefing.md", "- **18%** — 重复举报数量 [1]"),
            ],
        );
        assert_eq!(lost_figure(&s).len(), 1, "{:?}", lost_figure(&s));
    }
}
