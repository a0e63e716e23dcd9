//! Terms: the speech's own 名词解释 entries (whole, numbering stripped) and
//! the coined terms it puts in quotation marks (`“蝇贪蚁腐”`, `“两个确立”`;
//! in English quoted phrases and programme names such as `Peace Corps`),
//! each with the sentence that defines it or first uses it.
//!
//! Keyphrases are not terms: a frequency ranking brings up common words
//! (`群众`, `发展`, `make`, `time`) that a glossary reader does not need
//! explained. A quoted word that is common in the language (`“稳”`,
//! `“发展”`) is not a term either: jieba's frequency dictionary decides.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Lang;
use crate::model::{Outline, SectionKind, SentenceRef, Term};

static ZH_QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"“([^”“]{2,16})”").expect("static regex"));

static EN_QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"]{3,60})"|“([^”]{3,60})”"#).expect("static regex"));

/// A capitalised name of two or more words, `of`/`for`/`and` allowed inside
/// (`Alliance for Progress`), an acronym allowed first (`USA Freedom Corps`).
static EN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[A-Z][a-z]+|[A-Z]{2,5})(?:(?:\s+(?:for|of|and)\s+|\s+)[A-Z][a-z]+)+\b")
        .expect("static regex")
});

/// A 名词解释 entry's numbering: `1.`, `12、`, `（3）`.
static NOTE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[0-9０-９]+\s*[.、．]|[（(][0-9０-９]+[）)])\s*").expect("static regex")
});

/// Words that, right after a quoted term, make the sentence its definition.
static DEFINERS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../data/term_definers.zh.txt")));

/// Words that make a capitalised English name a programme or institution.
static PROGRAMME_WORDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../data/programme_words.en.txt")));

static EN_STOPS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../data/stopwords.en.txt")));

/// The segmenter's dictionary, for the frequency of a quoted word (the
/// summariser's instance: building a second one doubles the start-up).
use crate::summarize::extractive::JIEBA;

/// A numbered coinage: `两个确立`, `四个意识`, `三校一院`.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[一二三四五六七八九十两双百千]+[个大项]?\p{Han}").expect("static regex")
});

/// A word at least this frequent in jieba's dictionary is common Chinese
/// (`深化` 1425, `群众` 17849), not a coined term (`一国两制` 451, `两委` 50).
const COMMON_FREQ: usize = 1000;

/// A coined Chinese term has at most this many characters, unless it is a
/// slogan of short parts (`上规、上榜、上云、上市`): longer quotations are
/// phrases the speech cites, not names (`看北京首先要从政治上看`).
const MAX_TERM_CHARS: usize = 8;

fn word_list(text: &'static str) -> Vec<&'static str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
}

fn han_count(s: &str) -> usize {
    s.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count()
}

/// True for a word jieba's dictionary knows as common.
fn is_common_zh(word: &str) -> bool {
    JIEBA.has_word(word) && JIEBA.suggest_freq(word) >= COMMON_FREQ
}

/// Whether a phrase in Chinese quotation marks is a coined term: at least
/// two Han characters, no sentence punctuation, no digits (`25·7`,
/// `10件事` are references, not names), short (or a slogan of short parts),
/// and not a common word.
fn is_coined_zh(t: &str) -> bool {
    let short_parts = t.split(['、', '·']).all(|p| (2..=6).contains(&p.chars().count()));
    han_count(t) >= 2
        && !t.contains(['，', '。', '：', '；', '！', '？', ',', '‘', '’', '《', '》'])
        && !t.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && (t.chars().count() <= MAX_TERM_CHARS || (t.contains(['、', '·']) && short_parts))
        && !is_common_zh(t)
}

/// Whether an English quoted phrase is a coined name: two to five words,
/// no sentence punctuation (a quoted sentence is a citation), not only
/// stop words.
fn is_coined_en(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && !t.contains(['.', '!', '?', ',', ';', ':'])
        && words.iter().any(|w| !EN_STOPS.contains(&w.to_lowercase().as_str()))
}

/// The sentence that defines `term`, if one does: `“两新”是指…`,
/// `“两新”，即…`, `…是“X”的简称`.
fn defining_sentence<'a>(term: &str, sentences: &'a [SentenceRef]) -> Option<&'a SentenceRef> {
    let quoted = format!("“{term}”");
    sentences.iter().find(|s| {
        s.text.match_indices(&quoted).any(|(i, q)| {
            let after = s.text[i + q.len()..].trim_start_matches(['，', ',', '：', ':']);
            DEFINERS.iter().any(|d| after.starts_with(d))
                || s.text[..i].ends_with('是') && after.starts_with("的简称")
                || after.starts_with('是')
                    && after.split(['，', '。', '；']).next().is_some_and(|c| c.ends_with("的简称"))
        })
    })
}

/// The speech's own 名词解释 entries: a numbered paragraph `1.“两重”：是指…`
/// opens an entry; the lines after it continue it until one ends a
/// sentence (a note broken over lines stays whole). The term loses its
/// numbering and its quotation marks when they wrap it whole (`“两重”`),
/// keeps them when they are part of it (`耕地林地园地空间治理“一张图”`).
fn glossary(outline: &Outline) -> Vec<Term> {
    let mut out = Vec::new();
    for sec in outline.walk().into_iter().filter(|s| s.kind == SectionKind::Notes) {
        // (term, definition, first sentence) of the entry being read.
        let mut open: Option<(String, String, SentenceRef)> = None;
        for p in &sec.paragraphs {
            let Some(first) = p.sentences.first() else { continue };
            let text: String = p.sentences.iter().map(|s| s.text.as_str()).collect();
            if let Some(m) = NOTE_LABEL.find(&text) {
                out.extend(open.take().map(entry_term));
                let body = &text[m.end()..];
                let Some(colon) = body.find(['：', ':']) else { continue };
                let raw = body[..colon].trim();
                let term = match raw.strip_prefix('“').and_then(|r| r.strip_suffix('”')) {
                    Some(inner) if !inner.contains(['“', '”']) => inner,
                    _ => raw,
                };
                if !(2..=30).contains(&term.chars().count()) {
                    continue;
                }
                let def = body[colon..].chars().skip(1).collect::<String>().trim().to_owned();
                let source = SentenceRef {
                    section_id: sec.id.clone(),
                    text: first.text.clone(),
                    span: first.span,
                };
                open = Some((term.to_owned(), def, source));
            } else if let Some((_, def, _)) = open.as_mut() {
                if def.ends_with(['。', '！', '？', '.']) {
                    out.extend(open.take().map(entry_term));
                } else {
                    def.push_str(&text);
                }
            }
        }
        out.extend(open.take().map(entry_term));
    }
    out
}

fn entry_term((term, def, source): (String, String, SentenceRef)) -> Term {
    Term {
        term,
        kind: "glossary".to_owned(),
        count: 1,
        definition: (!def.is_empty()).then_some(def),
        source,
    }
}

/// Coined terms with their use count and first sentence index, in order of
/// first use.
fn coined(sentences: &[SentenceRef], lang: Lang) -> Vec<(String, usize, usize)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    let mut add = |t: &str, i: usize| match seen.get(t) {
        Some(&k) => out[k].1 += 1,
        None => {
            seen.insert(t.to_owned(), out.len());
            out.push((t.to_owned(), 1, i));
        }
    };
    for (i, s) in sentences.iter().enumerate() {
        match lang {
            Lang::Zh => {
                for c in ZH_QUOTED.captures_iter(&s.text) {
                    let t = c.get(1).map_or("", |m| m.as_str());
                    if is_coined_zh(t) {
                        add(t, i);
                    }
                }
            }
            Lang::En => {
                for c in EN_QUOTED.captures_iter(&s.text) {
                    let t = c.get(1).or(c.get(2)).map_or("", |m| m.as_str()).trim();
                    if is_coined_en(t) {
                        add(t, i);
                    }
                }
                for m in EN_NAME.find_iter(&s.text) {
                    // `This Administration`, `Reorganization Plan No`: stop words off both ends.
                    let words: Vec<&str> = m.as_str().split_whitespace().collect();
                    let is_stop = |w: &&str| EN_STOPS.contains(&w.to_lowercase().as_str());
                    let start = words.iter().position(|w| !is_stop(w)).unwrap_or(words.len());
                    let end = words.iter().rposition(|w| !is_stop(w)).map_or(start, |e| e + 1);
                    let words = &words[start..end.max(start)];
                    if words.len() >= 2 && words.iter().any(|w| PROGRAMME_WORDS.contains(w)) {
                        let first = m.as_str().find(words[0]).unwrap_or(0);
                        let last = words[words.len() - 1];
                        let stop =
                            m.as_str().rfind(last).map_or(m.as_str().len(), |e| e + last.len());
                        add(&m.as_str()[first..stop], i);
                    }
                }
            }
        }
    }
    if lang == Lang::En {
        // `Freedom Corps` inside `USA Freedom Corps`: the longer name counts both.
        let names: Vec<(String, usize)> = out.iter().map(|c| (c.0.clone(), c.1)).collect();
        for (t, count, _) in &mut out {
            let shorter: usize = names
                .iter()
                .filter(|(n, _)| t.len() > n.len() && t.ends_with(&format!(" {n}")))
                .map(|n| n.1)
                .sum();
            *count += shorter;
        }
        out.retain(|(t, _, _)| {
            !names.iter().any(|(n, _)| n.len() > t.len() && n.ends_with(&format!(" {t}")))
        });
    }
    out
}

/// Terms: the 名词解释 entries first (in the notes' order), then the most
/// used coined terms (a defined one before an undefined one), at most `n`
/// in all, in speech order. Each coined term carries the sentence that
/// defines it as `definition` when the speech has one, else its first use
/// as `source`.
pub(crate) fn terms(
    outline: &Outline,
    sentences: &[SentenceRef],
    lang: Lang,
    n: usize,
) -> Vec<Term> {
    let mut out = glossary(outline);
    out.truncate(n);
    let mut ranked: Vec<(Term, usize)> = Vec::new();
    for (t, count, first) in coined(sentences, lang) {
        if out.iter().any(|g| g.term == t || g.term.contains(&format!("“{t}”"))) {
            continue;
        }
        let defining = defining_sentence(&t, sentences);
        let source = defining.unwrap_or(&sentences[first]).clone();
        let term = Term {
            term: t,
            kind: "coined".to_owned(),
            count,
            definition: defining.map(|s| s.text.clone()),
            source,
        };
        ranked.push((term, first));
    }
    // Defined first, then the most used, then the speech's formulae
    // (`查处一案、警示一片、治理一域`, `两个确立`); within the last tier that
    // fits, evenly over the speech rather than only its first pages.
    let key = |t: &Term| {
        let formula = t.term.contains('、') || NUMBERED.is_match(&t.term);
        (t.definition.is_some(), t.count, formula)
    };
    ranked.sort_by(|a, b| key(&b.0).cmp(&key(&a.0)).then(a.1.cmp(&b.1)));
    let room = n.saturating_sub(out.len());
    if ranked.len() > room && room > 0 {
        let tier = key(&ranked[room - 1].0);
        let first = ranked.iter().position(|r| key(&r.0) == tier).unwrap_or(0);
        let tied: Vec<(Term, usize)> =
            ranked.split_off(first).into_iter().filter(|r| key(&r.0) == tier).collect();
        let k = room - first;
        ranked.extend((0..k).map(|r| tied[r * tied.len() / k].clone()));
    }
    ranked.truncate(room);
    ranked.sort_by_key(|r| r.1);
    out.extend(ranked.into_iter().map(|r| r.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Paragraph, Section, Sentence, Span};

    fn sref(text: &str) -> SentenceRef {
        SentenceRef::for_test(text)
    }

    fn outline(notes: &[&str]) -> Outline {
        let paragraphs = notes
            .iter()
            .map(|l| Paragraph {
                span: Span { start: 0, end: l.len() },
                sentences: vec![Sentence {
                    text: (*l).to_owned(),
                    span: Span { start: 0, end: l.len() },
                }],
            })
            .collect();
        Outline {
            meta: crate::model::Meta::for_test(Lang::Zh),
            sections: vec![Section {
                id: "5".to_owned(),
                kind: SectionKind::Notes,
                label: None,
                heading: Some("名词解释".to_owned()),
                heading_span: None,
                level: 1,
                paragraphs,
                points: vec![],
                children: vec![],
            }],
            warnings: vec![],
        }
    }

    /// One row per rule: is a phrase in “…” a coined term?
    #[test]
    fn coined_zh_rules() {
        let rows = [
            ("蝇贪蚁腐", true, "a coinage"),
            ("两个确立", true, "a numbered coinage"),
            ("放管服", true, "an abbreviation"),
            ("稳", false, "one Han character"),
            ("发展", false, "a common word (jieba freq ≥ 1000)"),
            ("深化", false, "a common word"),
            ("25·7", false, "digits: a reference"),
            ("退役军人最期盼的10件事", false, "digits"),
            ("看北京首先要从政治上看", false, "a cited phrase, not a name"),
            ("上规、上榜、上云、上市", true, "a slogan of short parts"),
            ("说‘不’提级管理", false, "nested quotes"),
            ("化解矛盾风险，维护社会稳定", false, "a clause"),
        ];
        for (t, want, why) in rows {
            assert_eq!(is_coined_zh(t), want, "{t}: {why}");
        }
    }

    #[test]
    fn coined_en_rules() {
        let rows = [
            ("axis of evil", true),
            ("Let's roll.", false),
            ("street", false),
            ("If it feels good, do it.", false),
            ("of the", false),
        ];
        for (t, want) in rows {
            assert_eq!(is_coined_en(t), want, "{t}");
        }
    }

    #[test]
    fn glossary_entries_whole_and_unnumbered() {
        let o = outline(&[
            "1.“两重”：是指国家重大战略实施和重点领域安全能力建设。",
            "7.“双向揭榜挂帅”：企业找技术、成果找市场“双向",
            "揭榜",
            "挂帅”的简称。",
            "9.耕地林地园地空间治理“一张图”：2025年初，自然资源部将四川确定为试点。",
            "责任编辑：",
            "解读省政府工作报告：在服务大局中担难担重前行",
        ]);
        let t = glossary(&o);
        let got: Vec<(&str, Option<&str>)> =
            t.iter().map(|t| (t.term.as_str(), t.definition.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("两重", Some("是指国家重大战略实施和重点领域安全能力建设。")),
                ("双向揭榜挂帅", Some("企业找技术、成果找市场“双向揭榜挂帅”的简称。")),
                ("耕地林地园地空间治理“一张图”", Some("2025年初，自然资源部将四川确定为试点。")),
            ]
        );
    }

    #[test]
    fn definitions_need_a_definer_right_after_the_term() {
        let s = [
            sref("推进“两新”工作。"),
            sref("“两新”是指大规模设备更新和消费品以旧换新。"),
            sref("“三资”，即资金、资产、资源。"),
            sref("整治“四风”就是我们的重点。"),
        ];
        let rows = [("两新", Some(1)), ("三资", Some(2)), ("四风", Some(3)), ("打虎", None)];
        for (t, want) in rows {
            let got = defining_sentence(t, &s).map(|d| s.iter().position(|x| x == d).unwrap());
            assert_eq!(got, want, "{t}");
        }
    }

    #[test]
    fn terms_rank_and_cap() {
        let s = [
            sref("对“蝇贪蚁腐”露头就打，坚持“稳”字当头。"),
            sref("推进“打伞破网”，整治“蝇贪蚁腐”。"),
            sref("“两个确立”是指确立习近平同志党中央的核心、全党的核心地位。"),
        ];
        let t = terms(&outline(&[]), &s, Lang::Zh, 2);
        let got: Vec<&str> = t.iter().map(|t| t.term.as_str()).collect();
        // `打伞破网` (used once, undefined) gives way; `稳` is never a term.
        assert_eq!(got, ["蝇贪蚁腐", "两个确立"]);
        assert_eq!(t[1].definition.as_deref(), Some(s[2].text.as_str()));
        assert_eq!(t[0].definition, None);
        assert_eq!(t[0].count, 2);
    }

    #[test]
    fn english_programme_names_not_places() {
        let s = [
            sref("I call on every American to join the new USA Freedom Corps."),
            sref("The USA Freedom Corps will expand the Peace Corps in Latin America."),
            sref("Our allies in the United States and the Middle East constitute an axis of evil."),
            sref("We will make time for the Alliance for Progress."),
        ];
        let t = terms(&outline(&[]), &s, Lang::En, 15);
        let got: Vec<(&str, usize)> = t.iter().map(|t| (t.term.as_str(), t.count)).collect();
        assert_eq!(
            got,
            [("USA Freedom Corps", 2), ("Peace Corps", 1), ("Alliance for Progress", 1)]
        );
    }
}
