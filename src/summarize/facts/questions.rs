//! Discussion questions (思考题), the short-answer self-test (自测) and the
//! cloze quiz, built from the speech's headings, points and terms.
//!
//! A question fits what its part is: a review is asked about its
//! achievements, a problem list about its causes, a set of tasks about how
//! to carry them out (`part_kinds.tsv` says which is which,
//! `question_forms.tsv` holds the forms). The self-test's answer key is the
//! speech's own points, verbatim, without their numbering labels.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Lang;
use crate::model::{
    Figure, Outline, Point, QaItem, QuizItem, Section, SectionKind, SectionSummary, SentenceRef,
    Term,
};

/// What a part of a speech is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Review,
    Problems,
    Tasks,
    Principles,
    Funding,
    /// None of the above: a thesis or a theme.
    Theme,
    /// The whole speech.
    General,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "review" => Kind::Review,
            "problems" => Kind::Problems,
            "tasks" => Kind::Tasks,
            "principles" => Kind::Principles,
            "funding" => Kind::Funding,
            "theme" => Kind::Theme,
            "general" => Kind::General,
            _ => return None,
        })
    }
}

fn lang_of(s: &str) -> Option<Lang> {
    match s {
        "zh" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

fn tsv_rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
}

/// Cue words per language, in table order: (kind, cue).
static CUES: LazyLock<Vec<(Lang, Kind, &'static str)>> = LazyLock::new(|| {
    tsv_rows(include_str!("../data/part_kinds.tsv"))
        .filter_map(|r| Some((lang_of(r.first()?)?, Kind::parse(r.get(1)?)?, *r.get(2)?)))
        .collect()
});

/// Question forms: (lang, kind, slot `h`/`p`/`-`) → forms in table order.
/// Forms keyed by language, kind and slot.
type Forms = HashMap<(Lang, Kind, &'static str), Vec<&'static str>>;

static FORMS: LazyLock<Forms> = LazyLock::new(|| {
    let mut m: HashMap<(Lang, Kind, &'static str), Vec<&'static str>> = HashMap::new();
    for r in tsv_rows(include_str!("../data/question_forms.tsv")) {
        if let (Some(l), Some(k), Some(slot), Some(form)) = (
            r.first().and_then(|s| lang_of(s)),
            r.get(1).and_then(|s| Kind::parse(s)),
            r.get(2),
            r.get(3),
        ) {
            m.entry((l, k, *slot)).or_default().push(*form);
        }
    }
    m
});

/// Openers that make a sentence lean on the one before it.
static OPENERS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../data/quiz_openers.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// A numbering label at the start of a sentence: `1.`, `（一）`, `一是`,
/// `其一，`, `第一，`, `First,`.
static LEADING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[0-9０-９]+\s*[.、．]\s*|[（(][一二三四五六七八九十0-9]+[）)]\s*|[一二三四五六七八九十]+[是要、]|其[一二三四五六七八九十][，,、]?|第[一二三四五六七八九十]+[，,、]|(?i:first|firstly),\s*)")
        .expect("static regex")
});

/// A lead-in that announces a list (`注意把握以下几点：`, `落实中要着力把握四个方面：`).
static LIST_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"以下|如下|[一二三四五六七八九两几]个方面|[0-9]+项|[一二三四五六七八九十两几]+[点项条]",
    )
    .expect("static regex")
});

/// Quotation marks inside a quoted heading become single ones.
fn inner(s: &str) -> String {
    s.replace('“', "‘").replace('”', "’")
}

fn han_count(s: &str) -> usize {
    s.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count()
}

/// An ALL-CAPS English heading in title case, for display
/// (`ECONOMIC AND SOCIAL PROGRESS AT HOME` → `Economic and Social Progress at Home`).
fn display_heading(h: &str, lang: Lang) -> String {
    let shouting = lang == Lang::En
        && h.chars().any(char::is_alphabetic)
        && !h.chars().any(char::is_lowercase);
    if !shouting {
        return inner(h.trim());
    }
    const SMALL: [&str; 10] = ["and", "of", "for", "the", "at", "in", "on", "to", "a", "an"];
    h.split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                return lower;
            }
            let mut c = lower.chars();
            c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The kinds named in a text, in the order of their first cue: a heading
/// `肯定成绩正视不足` is a review and then a problem list.
fn kinds_in(text: &str, lang: Lang) -> Vec<Kind> {
    let lower = text.to_lowercase();
    let mut found: Vec<(usize, Kind)> = Vec::new();
    for (l, k, cue) in CUES.iter().filter(|c| c.0 == lang) {
        let _ = l;
        if let Some(i) = lower.find(cue) {
            match found.iter_mut().find(|f| f.1 == *k) {
                Some(f) => f.0 = f.0.min(i),
                None => found.push((i, *k)),
            }
        }
    }
    found.sort_by_key(|f| f.0);
    found.into_iter().map(|f| f.1).collect()
}

/// The kind an English part's text leans to: the kind with most cue hits
/// (the heading's count three times), ties in table order.
fn kind_by_hits(heading: &str, body: &str, lang: Lang) -> Option<Kind> {
    let (h, b) = (heading.to_lowercase(), body.to_lowercase());
    let mut best: Option<(usize, Kind)> = None;
    let mut tally: Vec<(Kind, usize)> = Vec::new();
    for (_, k, cue) in CUES.iter().filter(|c| c.0 == lang) {
        let hits = 3 * h.matches(cue).count() + b.matches(cue).count();
        match tally.iter_mut().find(|t| t.0 == *k) {
            Some(t) => t.1 += hits,
            None => tally.push((*k, hits)),
        }
    }
    for (k, hits) in tally {
        if hits > 0 && best.is_none_or(|b| hits > b.0) {
            best = Some((hits, k));
        }
    }
    best.map(|b| b.1)
}

/// A part's kinds: Chinese from its heading (a part with sub-sections and
/// no cue sets tasks, one without is a theme); English, and Chinese parts
/// without a heading, from the text too.
fn part_kinds(s: &SectionSummary, has_children: bool, lang: Lang) -> Vec<Kind> {
    let body: String = s
        .sentences
        .iter()
        .map(|x| x.text.as_str())
        .chain(s.key_points.iter().map(|k| k.text.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    let heading = s.heading.as_deref().unwrap_or("");
    let kinds = match (lang, heading.is_empty()) {
        (Lang::Zh, false) => kinds_in(heading, lang),
        _ => kind_by_hits(heading, &body, lang).into_iter().collect(),
    };
    if !kinds.is_empty() {
        kinds
    } else if has_children && lang == Lang::Zh {
        vec![Kind::Tasks]
    } else {
        vec![Kind::Theme]
    }
}

/// What a question may quote of a part: its heading when short, else a
/// short key point (never a whole paragraph).
fn quotable(s: &SectionSummary, lang: Lang) -> Option<(&'static str, String)> {
    let short = |t: &str| match lang {
        Lang::Zh => t.chars().count() <= 30,
        Lang::En => t.split_whitespace().count() <= 12,
    };
    if let Some(h) = s.heading.as_deref().filter(|h| short(h) && !h.trim().is_empty()) {
        return Some(("h", display_heading(h, lang)));
    }
    let p =
        s.key_points.iter().map(|k| k.text.trim()).find(|t| short(t) && t.chars().count() >= 6)?;
    let p = p.trim_end_matches(['。', '.', '；', ';', '，', ',']);
    Some(("p", inner(p)))
}

/// Discussion questions, 3–6 of them (`n` clamped): one per part and kind,
/// each kind first, then spread over the speech; the forms of a kind are
/// taken in turn so that two questions in a row differ.
pub(crate) fn questions(sections: &[SectionSummary], lang: Lang, n: usize) -> Vec<String> {
    let want = n.clamp(3, 6);
    let is_part = |s: &SectionSummary| matches!(s.kind, SectionKind::Part | SectionKind::Group);
    let has_children = |s: &SectionSummary| {
        sections.iter().any(|c| {
            c.level == s.level + 1 && c.section_id.starts_with(&format!("{}.", s.section_id))
        })
    };
    // (index, kind, slot, quoted text)
    let mut cands: Vec<(usize, Kind, &'static str, String)> = Vec::new();
    for level in [1, 2] {
        if level == 2 && cands.len() >= want {
            break;
        }
        for (i, s) in sections.iter().enumerate().filter(|(_, s)| s.level == level && is_part(s)) {
            let Some((slot, q)) = quotable(s, lang) else { continue };
            // A sub-part of a review is an achievement, whatever its own
            // words (`风险防控有力有效、底线稳固` names 风险 but reports a result).
            let parent = sections.iter().find(|p| {
                p.level + 1 == s.level && s.section_id.starts_with(&format!("{}.", p.section_id))
            });
            let in_review =
                parent.is_some_and(|p| part_kinds(p, true, lang).first() == Some(&Kind::Review));
            let kinds =
                if in_review { vec![Kind::Review] } else { part_kinds(s, has_children(s), lang) };
            for k in kinds {
                cands.push((i, k, slot, q.clone()));
            }
        }
    }
    // Each kind once, then evenly over the rest.
    let mut picked: Vec<usize> = Vec::new();
    for (j, c) in cands.iter().enumerate() {
        if picked.len() < want && !picked.iter().any(|&p| cands[p].1 == c.1) {
            picked.push(j);
        }
    }
    let rest: Vec<usize> = (0..cands.len()).filter(|j| !picked.contains(j)).collect();
    let room = want.saturating_sub(picked.len()).min(rest.len());
    for r in 0..room {
        picked.push(rest[r * rest.len() / room]);
    }
    picked.sort_by_key(|&j| (cands[j].0, j));
    let mut turn: HashMap<(Kind, &str), usize> = HashMap::new();
    let mut out: Vec<String> = Vec::new();
    for j in picked {
        let (_, kind, slot, q) = &cands[j];
        let forms =
            FORMS.get(&(lang, *kind, *slot)).or_else(|| FORMS.get(&(lang, Kind::Theme, *slot)));
        let Some(forms) = forms else { continue };
        let t = turn.entry((*kind, *slot)).or_insert(0);
        let form = forms[*t % forms.len()];
        *t += 1;
        out.push(form.replace("{h}", q).replace("{p}", q));
    }
    if let Some(general) = FORMS.get(&(lang, Kind::General, "-")) {
        for g in general {
            if out.len() >= 3 {
                break;
            }
            out.push((*g).to_owned());
        }
    }
    out.dedup();
    out
}

/// A label at the end of a lead-in (`…以下几点：一是` → `…以下几点：`).
static TRAILING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[一二三四五六七八九十]+[是要、]|其[一二三四五六七八九十]|第[一二三四五六七八九十]+|(?i:first))[，,、]?\s*$")
        .expect("static regex")
});

/// The lead-in before a point that says what the list is
/// (`主要表现在以下几个方面：`), and its wider context (the paragraph so far,
/// or the previous paragraph): the words before the label in the point's
/// own sentence, else the sentence before it.
fn lead_in(sec: &Section, point: &Point) -> (String, String) {
    let Some(p) = sec.paragraphs.get(point.paragraph) else {
        return (String::new(), String::new());
    };
    let idx = point.sentence.min(p.sentences.len());
    let before: String = p.sentences[..idx].iter().map(|s| s.text.as_str()).collect();
    if let Some(own) = p.sentences.get(idx) {
        let cut = point.span.start.saturating_sub(own.span.start).min(own.text.len());
        let prefix = own.text.get(..cut).unwrap_or("");
        let prefix = TRAILING_LABEL.replace(prefix, "");
        if han_count(&prefix) >= 2 {
            return (prefix.trim().to_owned(), format!("{before}{prefix}"));
        }
    }
    if let Some(last) = p.sentences[..idx].last() {
        return (last.text.clone(), before);
    }
    match point.paragraph.checked_sub(1).and_then(|i| sec.paragraphs.get(i)) {
        Some(prev) => {
            let all: String = prev.sentences.iter().map(|s| s.text.as_str()).collect();
            (prev.sentences.last().map(|s| s.text.clone()).unwrap_or_default(), all)
        }
        None => (String::new(), String::new()),
    }
}

/// The kind whose cue comes last in a text: the nearest announcement of
/// what follows (`…的问题和短板。…主要表现在以下几个方面：` is a problem list).
fn last_kind_in(text: &str, lang: Lang) -> Option<Kind> {
    let lower = text.to_lowercase();
    CUES.iter()
        .filter(|c| c.0 == lang)
        .filter_map(|(_, k, cue)| lower.rfind(cue).map(|i| (i + cue.len(), *k)))
        .max_by_key(|x| x.0)
        .map(|x| x.1)
}

/// A list's lead-in made a question, in its own words: `注意把握以下几点：` →
/// `注意把握哪几点？`, `具体部署了13项任务举措：` → `具体部署了哪些任务举措？`,
/// `明确了今后五年的发展目标：` → `…发展目标有哪些？`. `None` when the
/// lead-in is too short to stand alone or does not announce a list.
fn lead_in_question(lead: &str) -> Option<String> {
    let t = lead.trim().trim_end_matches(['：', ':', '。', '；']);
    let ends_colon = lead.trim_end().ends_with(['：', ':']);
    if t.chars().count() > 40 || t.contains(['“', '”']) {
        return None;
    }
    // Long enough to carry its own subject, or with a context clause (`一年来，`).
    if han_count(t) < 12 && !(t.contains(['，', ',']) && han_count(t) >= 8) {
        // `主要考虑：` → `讲话提出的主要考虑有哪些？`; a short list intro
        // (`主要表现在以下几个方面：`) lacks its subject: the kind asks.
        return (ends_colon && han_count(t) >= 2 && !LIST_INTRO.is_match(t))
            .then(|| format!("讲话提出的{t}有哪些？"));
    }
    if let Some(m) = LIST_INTRO.find(t) {
        let s = m.as_str();
        let rep = if s.starts_with("以下") || s.starts_with("如下") {
            let rest = &t[m.end()..];
            if rest.starts_with('几') { "哪".to_owned() } else { "哪些".to_owned() }
        } else if s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            "哪些".to_owned()
        } else {
            // `四个方面` → `哪几个方面`, `几点` → `哪几点`.
            let unit: String =
                s.chars().skip_while(|c| "一二三四五六七八九十两几".contains(*c)).collect();
            format!("哪几{unit}")
        };
        return Some(format!("{}{}{}？", &t[..m.start()], rep, &t[m.end()..]));
    }
    ends_colon.then(|| format!("{t}有哪些？"))
}

/// The self-test question for a list of a kind, when its lead-in gives none.
fn kind_question(kind: Kind, heading: Option<&str>, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            let scope = heading.map_or(String::new(), |h| format!("在“{h}”部分，"));
            let ask = match kind {
                Kind::Review => "讲话从哪几个方面总结了取得的成绩？",
                Kind::Problems => "讲话指出了哪些不足？",
                Kind::Tasks => "讲话提出了哪几项要求？",
                Kind::Principles => "讲话强调必须坚持哪些原则？",
                _ => "讲话列举了哪几点？",
            };
            format!("{scope}{ask}")
        }
        Lang::En => {
            let scope = heading.map_or("in this part".to_owned(), |h| format!("under “{h}”"));
            match kind {
                Kind::Funding => format!("What does the speaker ask Congress to fund {scope}?"),
                Kind::Review => format!("What does the speaker list as achieved {scope}?"),
                Kind::Problems => format!("Which dangers does the speaker name {scope}?"),
                _ => format!("Which steps does the speaker propose {scope}?"),
            }
        }
    }
}

/// The question a Chinese section's sub-headings answer: `讲话从哪几个方面
/// 部署了“…”？`, in one of three forms taken in turn (`nth`), so that a
/// report of many parts does not ask the same skeleton eight times. A
/// heading that ends in the verb (`…工作回顾`) is asked without it
/// (`讲话从哪几个方面回顾了…工作？`), never `回顾了“…工作回顾”`.
fn children_question(kind: Kind, heading: &str, lang: Lang, nth: usize) -> String {
    match lang {
        Lang::Zh => {
            let verb = match kind {
                Kind::Review => "回顾",
                Kind::Problems => "分析",
                Kind::Principles => "强调",
                _ => "部署",
            };
            if let Some(rest) = ["回顾", "总结"]
                .iter()
                .find_map(|v| heading.strip_suffix(v))
                .filter(|r| han_count(r) >= 4 && kind == Kind::Review)
            {
                return format!("讲话从哪几个方面回顾了{rest}？");
            }
            match (kind, nth % 3) {
                (Kind::Principles, _) => format!("讲话就“{heading}”提出了哪些要求？"),
                (_, 0) => format!("讲话从哪几个方面{verb}了“{heading}”？"),
                (Kind::Review, 1) => format!("“{heading}”部分概括了哪几方面的成绩？"),
                (Kind::Review, _) => format!("在“{heading}”部分，讲话列举了哪些成绩？"),
                (_, 1) => format!("围绕“{heading}”，讲话提出了哪几方面的举措？"),
                _ => format!("“{heading}”包括哪几个方面？"),
            }
        }
        Lang::En => format!("Which parts does the speaker set out under “{heading}”?"),
    }
}

/// The question a run of points asks in their own words, when they share a
/// head and a tail: `中国式现代化是人口规模巨大的现代化；…是全体人民共同富裕
/// 的现代化` → `中国式现代化是什么样的现代化？`; a shared head alone
/// (`必须坚持人民至上；必须坚持自信自立`) → `讲话强调必须坚持哪几点？`.
fn shared_words_question(leads: &[&str]) -> Option<String> {
    if leads.len() < 2 {
        return None;
    }
    let chars: Vec<Vec<char>> = leads
        .iter()
        .map(|l| unlabel(l).trim_end_matches(['。', '；', '，']).chars().collect())
        .collect();
    let shortest = chars.iter().map(Vec::len).min()?;
    let head = (0..shortest).take_while(|&i| chars.iter().all(|c| c[i] == chars[0][i])).count();
    let tail = (0..shortest - head)
        .take_while(|&i| {
            chars.iter().all(|c| c[c.len() - 1 - i] == chars[0][chars[0].len() - 1 - i])
        })
        .count();
    let head_s: String = chars[0][..head].iter().collect();
    let tail_s: String = chars[0][chars[0].len() - tail..].iter().collect();
    // A head cut inside a word (`坚持党` of `坚持党的…`/`坚持党中央…`) is no head.
    let head_s = head_s.trim_end_matches(|c: char| !"是要持为有把在".contains(c)).to_owned();
    if han_count(&head_s) < 3 || head_s.contains(['，', '、', '“']) {
        return None;
    }
    if head_s.ends_with('是') && han_count(&tail_s) >= 2 && !tail_s.contains(['，', '、']) {
        return Some(format!("{head_s}什么样的{}？", tail_s.trim_start_matches('的')));
    }
    Some(format!("讲话强调{head_s}哪几点？"))
}

/// Words that make a point a shortcoming (`…不够`, `…短板`): a list is asked
/// about as `不足` only when its own points carry them, whatever the words
/// before it say (a list of measures after `克服困难` is no problem list).
static PROBLEM_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("不足|不够|不强|不高|不到位|不平衡|不充分|不健全|不完善|薄弱|短板|弱项|困难|问题|风险|压力|较大|滞后|亟待|有待|欠缺|偏弱|下滑|突出")
        .expect("static regex")
});

/// A numbering label off a point or heading, for an answer key.
fn unlabel(s: &str) -> &str {
    LEADING_LABEL.find(s).map_or(s, |m| &s[m.end()..]).trim()
}

/// Sentences that state a list after a colon (`今年经济社会发展主要预期目标是：
/// 地区生产总值增长5%左右，…`): question from the words before the colon,
/// answer the list, verbatim.
static TARGET_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<q>[^：:]{0,30}(?:主要预期目标|主要目标|发展目标|总体要求|基本原则))(?:是|为)?[：:](?P<a>.+)$")
        .expect("static regex")
});

/// Numbering labels inside a list (`一是首都功能持续提升，二是…`): off.
static INNER_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[，；,;])[一二三四五六七八九十]+是").expect("static regex"));

/// English sentences that make a proposal, anywhere in the sentence.
static EN_PROPOSES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bI (?:am (?:therefore )?)?(?:ask|asking|propose|proposing|recommend|recommending|urge|urging)\b")
        .expect("static regex")
});

/// An English list after a colon: a short intro, then items (`My budget
/// supports three great goals for America: We will win this war; …`).
static EN_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<q>(?:[^\s,]+\s+){3,13}[^\s,]+?):\s+(?P<a>[^:;]+;[^:;]+;[^:]+)$")
        .expect("static regex")
});

/// True when an English sentence states what the speaker asks for: a sum
/// and an ask (`I am asking the Congress for 60 million dollars…`), or a
/// proposal (`I propose…`, `I recommend…`, `I urge…`).
pub(crate) fn en_request(text: &str) -> bool {
    EN_FUNDING.is_match(text) || EN_PROPOSES.is_match(text)
}

/// English sentences that ask something of the listeners.
static EN_ASKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:And |So )?(?:I ask|I am asking|I propose|I call on|I urge|I recommend|My budget|Tonight I ask)\b")
        .expect("static regex")
});

/// English funding sentences: a sum and an ask.
static EN_FUNDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\$\s?\d|\d[\d,.]*\s(?:million|billion)).*\b(?:request|ask|fund|appropriat|budget|recommend|propose)|\b(?:request|ask|fund|appropriat|budget|recommend|propose)\w*\b.*(?:\$\s?\d|\d[\d,.]*\s(?:million|billion))")
        .expect("static regex")
});

/// The self-test: short-answer questions whose answer key is the speech's
/// own points (a list's point leads, a part's sub-headings, a target list),
/// verbatim and without numbering labels; in speech order, at most `n`.
pub(crate) fn qa(outline: &Outline, lang: Lang, n: usize) -> Vec<QaItem> {
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    // (span start, item)
    let mut items: Vec<(usize, QaItem)> = Vec::new();
    let push = |items: &mut Vec<(usize, QaItem)>,
                at: usize,
                question: String,
                answer: String,
                id: &str| {
        if answer.chars().count() >= 4 && !items.iter().any(|(_, q)| q.question == question) {
            items.push((at, QaItem { question, answer, section_id: id.to_owned() }));
        }
    };
    let mut asked_children = 0;
    for sec in outline.walk() {
        if !matches!(sec.kind, SectionKind::Part | SectionKind::Group) {
            continue;
        }
        let heading = sec.heading.as_deref().map(|h| display_heading(h, lang));
        let own_kinds = sec.heading.as_deref().map(|h| kinds_in(h, lang)).unwrap_or_default();
        let at = sec.heading_span.map_or(0, |s| s.start);
        // Sub-headings as the answer.
        let subs: Vec<&str> =
            sec.children.iter().filter_map(|c| c.heading.as_deref()).map(unlabel).collect();
        if let (Some(h), true) = (heading.as_deref(), subs.len() >= 2) {
            let kind = own_kinds.first().copied().unwrap_or(Kind::Tasks);
            let q = children_question(kind, h, lang, asked_children);
            asked_children += 1;
            push(&mut items, at, q, subs.join(sep), &sec.id);
        }
        // Each run of enumerated points (a run restarts at number 1).
        let mut runs: Vec<Vec<&Point>> = Vec::new();
        for p in &sec.points {
            match runs.last_mut() {
                Some(r) if p.number > 1 && r.last().is_some_and(|l| l.number + 1 == p.number) => {
                    r.push(p)
                }
                _ => runs.push(vec![p]),
            }
        }
        for run in runs.iter().filter(|r| r.len() >= 2) {
            let first = run[0];
            let (lead, context) = lead_in(sec, first);
            let answer = run.iter().map(|p| unlabel(&p.lead)).collect::<Vec<_>>().join(sep);
            let question = match lang {
                Lang::Zh => lead_in_question(&lead)
                    .or_else(|| {
                        let leads: Vec<&str> = run.iter().map(|p| p.lead.as_str()).collect();
                        shared_words_question(&leads)
                    })
                    .unwrap_or_else(|| {
                        // `一要…二要…` are requirements whatever the context says.
                        let mut kind = if first.label.ends_with('要') {
                            Kind::Tasks
                        } else {
                            last_kind_in(&context, lang)
                                .or(own_kinds.first().copied())
                                .unwrap_or(Kind::Theme)
                        };
                        // Shortcomings only when the points are shortcomings.
                        let problems = run.iter().filter(|p| PROBLEM_WORDS.is_match(&p.lead));
                        if kind == Kind::Problems && problems.count() * 2 < run.len() {
                            kind = own_kinds
                                .first()
                                .copied()
                                .filter(|k| *k != Kind::Problems)
                                .unwrap_or(Kind::Theme);
                        }
                        kind_question(kind, heading.as_deref(), lang)
                    }),
                Lang::En => {
                    let leads: String =
                        run.iter().map(|p| p.lead.as_str()).collect::<Vec<_>>().join(" ");
                    let kind = kind_by_hits("", &leads, lang).unwrap_or(Kind::Tasks);
                    kind_question(kind, heading.as_deref(), lang)
                }
            };
            push(&mut items, first.span.start, question, answer, &sec.id);
        }
        // Target lists, and English funding requests under a heading.
        for p in &sec.paragraphs {
            for (k, s) in p.sentences.iter().enumerate() {
                let Some(c) = TARGET_INTRO.captures(&s.text) else { continue };
                let q = c["q"].trim_start_matches(['　', ' ']);
                // A list cut at `；` goes on to the sentence that ends it.
                let mut a = c["a"].to_owned();
                for next in &p.sentences[k + 1..] {
                    if a.ends_with(['。', '！', '？']) {
                        break;
                    }
                    a.push_str(&next.text);
                }
                let a = INNER_LABEL.replace_all(a.trim_end_matches(['。', '；']), "$1");
                push(&mut items, s.span.start, format!("{q}有哪些？"), a.into_owned(), &sec.id);
            }
        }
        if let Some(h) = heading.as_deref().filter(|_| lang == Lang::En && sec.points.len() < 2) {
            let asks: Vec<&str> = sec
                .walk()
                .into_iter()
                .flat_map(|x| x.paragraphs.iter().flat_map(|p| &p.sentences))
                .map(|s| s.text.as_str())
                .filter(|t| EN_FUNDING.is_match(t) && t.split_whitespace().count() <= 60)
                .take(3)
                .collect();
            let proposals: Vec<&str> = sec
                .walk()
                .into_iter()
                .flat_map(|x| x.paragraphs.iter().flat_map(|p| &p.sentences))
                .map(|s| s.text.as_str())
                .filter(|t| EN_PROPOSES.is_match(t) && t.split_whitespace().count() <= 60)
                .filter(|t| !asks.contains(t))
                .take(2)
                .collect();
            if asks.is_empty() && !proposals.is_empty() {
                let q = format!("What does the speaker propose under “{h}”?");
                push(&mut items, at, q, proposals.join(" "), &sec.id);
            }
            if !asks.is_empty() {
                push(
                    &mut items,
                    at,
                    kind_question(Kind::Funding, Some(h), lang),
                    asks.join(" "),
                    &sec.id,
                );
            }
        }
    }
    if lang == Lang::En {
        // A speech without headings still asks things of its listeners.
        let all: Vec<(&str, &str, usize)> = outline
            .walk()
            .into_iter()
            .filter(|s| {
                matches!(s.kind, SectionKind::Part | SectionKind::Group | SectionKind::Closing)
            })
            .flat_map(|s| {
                s.paragraphs
                    .iter()
                    .flat_map(|p| &p.sentences)
                    .map(|x| (s.id.as_str(), x.text.as_str(), x.span.start))
            })
            .collect();
        for (question, re) in [
            ("What does the speaker ask Congress to fund?", &*EN_FUNDING),
            ("What does the speaker ask of Congress and the country?", &*EN_ASKS),
        ] {
            if items.iter().any(|(_, q)| q.question.starts_with(question.trim_end_matches('?'))) {
                continue;
            }
            let found: Vec<&(&str, &str, usize)> = all
                .iter()
                .filter(|x| re.is_match(x.1) && x.1.split_whitespace().count() <= 45)
                .take(3)
                .collect();
            if let Some(first) = found.first() {
                let answer = found.iter().map(|x| x.1).collect::<Vec<_>>().join(" ");
                push(&mut items, first.2, question.to_owned(), answer, first.0);
            }
        }
    }
    if lang == Lang::En {
        for sec in outline
            .walk()
            .into_iter()
            .filter(|s| matches!(s.kind, SectionKind::Part | SectionKind::Group))
        {
            for s in sec.paragraphs.iter().flat_map(|p| &p.sentences) {
                let Some(c) = EN_LIST.captures(&s.text) else { continue };
                if items.iter().any(|(_, q)| q.answer.contains(&s.text)) {
                    continue;
                }
                let q = format!("What does the speaker list after “{}”?", &c["q"]);
                let a = c["a"].trim_end_matches(['.', ';']);
                push(&mut items, s.span.start, q, a.to_owned(), &sec.id);
            }
        }
    }
    items.sort_by_key(|i| i.0);
    items.into_iter().take(n).map(|i| i.1).collect()
}

/// Whether a sentence leans on the one before it (`这…`, `此外`, `This`, `Second,`).
fn leans_back(text: &str) -> bool {
    let t = text.trim_start();
    let lower = t.to_lowercase();
    OPENERS.iter().any(|o| {
        if o.is_ascii() {
            lower.strip_prefix(o).is_some_and(|r| r.starts_with([' ', ',']))
        } else {
            t.starts_with(o)
        }
    })
}

/// Whether an answer is well formed: balanced quotation marks, no doubled
/// punctuation or a dangling separator (`2..`, `“一张图`), so that a source
/// typo is never what a reader must recall.
fn well_formed(answer: &str) -> bool {
    answer.matches('“').count() == answer.matches('”').count()
        && answer.matches('‘').count() == answer.matches('’').count()
        && !answer.contains("..")
        && !answer.ends_with(['.', ',', '、', '，', '-'])
        && !answer.starts_with(['.', ',', '、', '，', '-'])
}

/// Cloze answers that are trivia: a duration, an age or a count of events.
static TRIVIA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[\d,.]+|[一二三四五六七八九十百两几多]+)\s*(?:多|余)?\s*(?:年|个?月|天|日|周|次|回|轮|届|years?|months?|days?|weeks?|times)$")
        .expect("static regex")
});

/// One cloze item from a sentence: its numbering label off, the answer's
/// only occurrence blanked; `None` when the sentence does not stand alone,
/// is too long, holds the answer twice, or the answer is not much shorter.
fn cloze(s: &SentenceRef, answer: &str) -> Option<QuizItem> {
    let text = unlabel(s.text.trim_start_matches(['—', ' ']));
    let len = text.chars().count();
    let max = if text.is_ascii() { 240 } else { 120 };
    let at = text.find(answer)?;
    // `2..65 billion dollars`: an answer glued to a number is a typo's tail.
    let glued = text[..at].ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
        || text[at + answer.len()..].starts_with(|c: char| c.is_ascii_digit());
    // A sentence cut at `；` is a fragment; a span of time or a count of
    // events (`已经____了` = 十年, `____调度推进` = 16次) is trivia, not a point.
    let ends_whole = text.trim_end().ends_with(['。', '！', '？', '.', '!', '?', '”', '"']);
    if !ends_whole
        || TRIVIA.is_match(answer)
        || leans_back(text)
        || !(10..=max).contains(&len)
        || text.matches(answer).count() != 1
        || glued
        || !well_formed(answer)
        || !well_formed(text.trim_end_matches(['。', '.', '；', ';']))
        || answer.chars().count() * 3 > len
    {
        return None;
    }
    Some(QuizItem {
        question: text.replacen(answer, "____", 1),
        answer: answer.to_owned(),
        section_id: s.section_id.clone(),
    })
}

/// A cloze quiz: terms and figures in turn (a target figure first), one
/// item per sentence, at most `n`.
pub(crate) fn quiz(terms: &[Term], figures: &[Figure], n: usize) -> Vec<QuizItem> {
    let from_terms: Vec<QuizItem> = terms
        .iter()
        .filter(|t| t.kind != "keyphrase")
        .filter_map(|t| cloze(&t.source, &t.term))
        .collect();
    let mut from_terms = from_terms;
    // Short sentences first: a cloze item is read at a glance.
    from_terms.sort_by_key(|q| q.question.chars().count() > 80);
    let mut ranked: Vec<&Figure> = figures.iter().filter(|f| !f.measures.is_empty()).collect();
    ranked.sort_by_key(|f| !f.target);
    let from_figures: Vec<QuizItem> =
        ranked.into_iter().filter_map(|f| cloze(&f.source, &f.value)).collect();
    let mut out: Vec<QuizItem> = Vec::new();
    let mut used: Vec<String> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while out.len() < n && (i < from_terms.len() || j < from_figures.len()) {
        let take_term =
            i < from_terms.len() && (j >= from_figures.len() || out.len().is_multiple_of(2));
        let item = if take_term {
            i += 1;
            &from_terms[i - 1]
        } else {
            j += 1;
            &from_figures[j - 1]
        };
        let sentence = item.question.replacen("____", &item.answer, 1);
        if !used.contains(&sentence) {
            used.push(sentence);
            out.push(item.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KeyPoint, Paragraph, Sentence, Span};

    fn summary(id: &str, level: usize, heading: Option<&str>) -> SectionSummary {
        SectionSummary {
            section_id: id.to_owned(),
            kind: SectionKind::Part,
            label: None,
            heading: heading.map(str::to_owned),
            level,
            summary: String::new(),
            sentences: vec![],
            key_points: vec![],
            chars: 0,
            quotes: vec![],
            terms: vec![],
            figures: vec![],
            unsupported: vec![],
            degraded: false,
        }
    }

    fn sref(text: &str) -> SentenceRef {
        SentenceRef::for_test(text)
    }

    /// One row per cue: a heading and the kinds it names, in order.
    #[test]
    fn heading_kinds() {
        let rows = [
            ("2025年工作回顾", vec![Kind::Review]),
            ("肯定成绩正视不足,在深化思想认识中增强行动自觉", vec![Kind::Review, Kind::Problems]),
            ("2026年重点工作", vec![Kind::Tasks]),
            ("2026年工作安排", vec![Kind::Tasks]),
            ("“十五五”发展的主要考虑", vec![Kind::Tasks]),
            ("过去五年的工作和新时代十年的伟大变革", vec![Kind::Review]),
            ("坚持抓主抓重、标本兼治,在“系统治理”上取得新成效", vec![]),
            ("前进道路上必须坚持的重大原则", vec![Kind::Principles]),
        ];
        for (h, want) in rows {
            assert_eq!(kinds_in(h, Lang::Zh), want, "{h}");
        }
        assert_eq!(
            kind_by_hits("SPACE", "an additional 23 million dollars", Lang::En),
            Some(Kind::Funding)
        );
        assert_eq!(kind_by_hits("", "the threat of terror", Lang::En), Some(Kind::Problems));
    }

    #[test]
    fn all_caps_headings_are_title_cased() {
        assert_eq!(
            display_heading("ECONOMIC AND SOCIAL PROGRESS AT HOME", Lang::En),
            "Economic and Social Progress at Home"
        );
        assert_eq!(display_heading("“十五五”发展的主要考虑", Lang::Zh), "‘十五五’发展的主要考虑");
    }

    /// A list's lead-in becomes the self-test question in its own words.
    #[test]
    fn lead_in_questions() {
        let rows = [
            ("一年来，主要做了以下工作。", Some("一年来，主要做了哪些工作？")),
            (
                "在《纲要草案》编制过程中，注意把握以下几点：",
                Some("在《纲要草案》编制过程中，注意把握哪几点？"),
            ),
            ("《纲要草案》具体部署了13项任务举措：", Some("《纲要草案》具体部署了哪些任务举措？")),
            (
                "《纲要草案》明确了今后五年的发展目标：",
                Some("《纲要草案》明确了今后五年的发展目标有哪些？"),
            ),
            (
                "《纲要草案》明确了今后五年经济社会发展的重点任务，落实中要着力把握四个方面：",
                Some(
                    "《纲要草案》明确了今后五年经济社会发展的重点任务，落实中要着力把握哪几个方面？",
                ),
            ),
            ("主要考虑：", Some("讲话提出的主要考虑有哪些？")),
            ("主要表现在以下几个方面:", None),
            ("推动集中整治取得了明显的阶段性成效。", None),
        ];
        for (lead, want) in rows {
            assert_eq!(lead_in_question(lead).as_deref(), want, "{lead}");
        }
    }

    #[test]
    fn questions_fit_the_part_and_vary() {
        let mut s = vec![
            summary("1", 1, Some("2025年工作回顾")),
            summary("2", 1, Some("存在的问题和不足")),
            summary("3", 1, Some("2026年重点工作")),
            summary("4", 1, Some("2027年重点工作")),
        ];
        s.push(summary("3.1", 2, Some("扩大内需")));
        let q = questions(&s, Lang::Zh, 5);
        assert!((3..=6).contains(&q.len()), "{q:?}");
        // The review is asked about achievements, never called a 问题.
        assert!(
            q[0].contains("2025年工作回顾") && q[0].contains("成绩") && !q[0].contains("问题"),
            "{q:?}"
        );
        assert!(q.iter().any(|x| x.contains("存在的问题和不足") && x.contains("整改")));
        // Two questions in a row never share a form.
        let skeleton = |x: &str| x.split(['“', '”']).step_by(2).collect::<String>();
        for w in q.windows(2) {
            assert_ne!(skeleton(&w[0]), skeleton(&w[1]), "{w:?}");
        }
        let mut en = summary("9", 1, Some("SPACE"));
        en.key_points.push(KeyPoint {
            text: "an additional 23 million dollars be appropriated".to_owned(),
            label: None,
            section_id: "9".to_owned(),
            source: sref("an additional 23 million dollars be appropriated"),
            number: None,
        });
        // A sub-part of a review reports a result, even when it names 风险.
        let mut r = vec![summary("1", 1, Some("2025年工作回顾"))];
        r.push(summary("1.1", 2, Some("风险防控有力有效、底线稳固")));
        r.push(summary("1.2", 2, Some("民生保障稳步增进")));
        r.push(summary("1.3", 2, Some("经济运行稳中有进")));
        let q = questions(&r, Lang::Zh, 5);
        assert!(q.iter().all(|x| !x.contains("不足") && !x.contains("问题")), "{q:?}");
        let q = questions(&[en], Lang::En, 5);
        assert!(q[0].contains("fund under “Space”"), "{q:?}");
        assert!(q.iter().all(|x| !x.contains("Do you agree")));
    }

    fn section(
        id: &str,
        base: usize,
        heading: &str,
        lines: &[&str],
        children: Vec<Section>,
    ) -> Section {
        let mut at = base;
        let mut paragraphs = Vec::new();
        let mut points = Vec::new();
        for (pi, l) in lines.iter().enumerate() {
            let sentences: Vec<Sentence> = l
                .split_inclusive(['。', '；'])
                .map(|t| {
                    let s = Sentence {
                        text: t.to_owned(),
                        span: Span { start: at, end: at + t.len() },
                    };
                    at += t.len();
                    s
                })
                .collect();
            for (si, s) in sentences.iter().enumerate() {
                for (label, number) in
                    [("一是", 1), ("二是", 2), ("三是", 3), ("其一，", 1), ("其二，", 2)]
                {
                    if let Some(i) = s.text.find(label) {
                        let rest = &s.text[i + label.len()..];
                        let lead = rest.split(['。', '，']).next().unwrap_or("");
                        let start = s.span.start + i + label.len();
                        points.push(Point {
                            label: label.trim_end_matches('，').to_owned(),
                            number,
                            lead: lead.to_owned(),
                            span: Span { start, end: start + lead.len() },
                            paragraph: pi,
                            sentence: si,
                        });
                    }
                }
            }
            paragraphs.push(Paragraph { span: Span { start: 0, end: 0 }, sentences });
        }
        Section {
            id: id.to_owned(),
            kind: SectionKind::Part,
            label: None,
            heading: Some(heading.to_owned()),
            heading_span: Some(Span { start: base, end: base }),
            level: id.matches('.').count() + 1,
            paragraphs,
            points,
            children,
        }
    }

    fn outline(sections: Vec<Section>) -> Outline {
        Outline { meta: crate::model::Meta::for_test(Lang::Zh), sections, warnings: vec![] }
    }

    #[test]
    fn qa_answers_are_the_speech_points() {
        let part1 = section(
            "1",
            0,
            "肯定成绩正视不足",
            &[
                "推动集中整治取得了明显的阶段性成效。",
                "一是高压态势持续巩固。",
                "二是突出问题得到有力整治。",
                "我们的工作还存在一些问题和短板。主要表现在以下几个方面：",
                "其一，压力传导存在衰减现象。",
                "其二，腐败手段呈现隐形变异。",
            ],
            vec![],
        );
        let part2 = section(
            "2",
            1000,
            "2026年重点工作",
            &["今年经济社会发展主要预期目标是：地区生产总值增长5%左右；城镇新增就业85万人。"],
            vec![
                section("2.1", 2000, "（一）扩大内需", &[], vec![]),
                section("2.2", 3000, "（二）科技创新", &[], vec![]),
            ],
        );
        let items = qa(&outline(vec![part1, part2]), Lang::Zh, 8);
        let got: Vec<(&str, &str)> =
            items.iter().map(|q| (q.question.as_str(), q.answer.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    "在“肯定成绩正视不足”部分，讲话从哪几个方面总结了取得的成绩？",
                    "高压态势持续巩固；突出问题得到有力整治"
                ),
                (
                    "在“肯定成绩正视不足”部分，讲话指出了哪些不足？",
                    "压力传导存在衰减现象；腐败手段呈现隐形变异"
                ),
                ("讲话从哪几个方面部署了“2026年重点工作”？", "扩大内需；科技创新"),
                (
                    "今年经济社会发展主要预期目标有哪些？",
                    "地区生产总值增长5%左右；城镇新增就业85万人"
                ),
            ]
        );
    }

    /// One row per cloze rule.
    #[test]
    fn cloze_rules() {
        let rows = [
            (
                "1.“两重”：是指国家重大战略实施和重点领域安全能力建设。",
                "两重",
                Some("“____”：是指国家重大战略实施和重点领域安全能力建设。"),
            ),
            (
                "The total amount requested--now raised to 2..65 billion dollars--is both minimal and crucial.",
                "65 billion dollars",
                None,
            ),
            ("这一系列数字的背后，是我们坚决维护“群众利益”的鲜明态度。", "群众利益", None),
            (
                "Second, a major part of our partnership is the Military Assistance Program.",
                "Military Assistance Program",
                None,
            ),
            ("推进“打伞破网”，整治“蝇贪蚁腐”，再整治“蝇贪蚁腐”。", "蝇贪蚁腐", None),
            ("7.“双向揭榜挂帅”：企业找技术、成果找市场“双向", "双向揭榜挂帅", None),
            (
                "一是始终坚持“严”的主基调，对群众身边的“蝇贪蚁腐”露头就打。",
                "蝇贪蚁腐",
                Some("始终坚持“严”的主基调，对群众身边的“____”露头就打。"),
            ),
            ("“一国两制”。", "一国两制", None),
            // A sentence cut at `；` is a fragment; durations and counts are trivia.
            ("香港、澳门落实“一国两制”的体制机制不健全；", "一国两制", None),
            ("十八大召开至今已经十年了。", "十年", None),
            ("省委、省政府16次调度推进重大产业项目，开工项目超1万个。", "16次", None),
            (
                "Americans have known wars -- but for the past 136 years, they have been wars on foreign soil.",
                "136 years",
                None,
            ),
            (
                "国内生产总值从五十四万亿元增长到一百一十四万亿元。",
                "五十四万亿元",
                Some("国内生产总值从____增长到一百一十四万亿元。"),
            ),
        ];
        for (text, answer, want) in rows {
            let got = cloze(&sref(text), answer).map(|q| q.question);
            assert_eq!(got.as_deref(), want, "{text}");
        }
    }

    #[test]
    fn runs_are_asked_in_their_own_words() {
        let q = |leads: &[&str]| shared_words_question(leads);
        assert_eq!(
            q(&["中国式现代化是人口规模巨大的现代化", "中国式现代化是全体人民共同富裕的现代化"])
                .as_deref(),
            Some("中国式现代化是什么样的现代化？")
        );
        assert_eq!(
            q(&["必须坚持人民至上", "必须坚持自信自立", "必须坚持守正创新"]).as_deref(),
            Some("讲话强调必须坚持哪几点？")
        );
        // No shared head worth asking about.
        assert_eq!(q(&["我们创立了新思想", "我们全面加强党的领导"]), None);
        assert_eq!(q(&["经济运行稳中有进", "改革开放持续深化"]), None);
    }

    #[test]
    fn sub_headings_are_asked_in_turn_without_the_verb_twice() {
        assert_eq!(
            children_question(Kind::Review, "“十四五”时期和2025年工作回顾", Lang::Zh, 0),
            "讲话从哪几个方面回顾了“十四五”时期和2025年工作？"
        );
        let forms: Vec<String> =
            (0..3).map(|n| children_question(Kind::Tasks, "2026年重点工作", Lang::Zh, n)).collect();
        assert_eq!(forms.len(), 3);
        assert!(forms[0] != forms[1] && forms[1] != forms[2], "{forms:?}");
    }

    #[test]
    fn quiz_takes_terms_and_figures_in_turn() {
        let term = |t: &str, s: &str| Term {
            term: t.to_owned(),
            kind: "coined".to_owned(),
            count: 1,
            definition: None,
            source: sref(s),
        };
        let terms = [
            term("蝇贪蚁腐", "对群众身边的“蝇贪蚁腐”露头就打、绝不姑息。"),
            term("小切口", "开展“小切口”专项治理，破解一批顽瘴痼疾。"),
        ];
        let fig = Figure {
            value: "18%".to_owned(),
            measures: "重复举报数量".to_owned(),
            clause: String::new(),
            direction: None,
            target: false,
            source: sref("全市收到的重复举报数量同比下降了18%。"),
        };
        let q = quiz(&terms, &[fig], 5);
        let answers: Vec<&str> = q.iter().map(|q| q.answer.as_str()).collect();
        assert_eq!(answers, ["蝇贪蚁腐", "18%", "小切口"]);
        assert!(q.iter().all(|q| !q.question.contains(&q.answer)));
    }
}
