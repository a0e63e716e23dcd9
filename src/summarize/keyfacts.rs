//! The speech's headline facts, verbatim: the sentence in which it states its
//! purpose (`这次会议的主要任务是…`, `I am here to…`), its thesis
//! (`从现在起，中国共产党的中心任务就是…`, `The state of our Union is…`) and
//! the target it sets (`今年经济社会发展主要预期目标是：地区生产总值增长5%左右…`).
//! A reader of a briefing or a newsletter wants these first, and no scorer
//! ranks them reliably: they are found by their wording, from a table
//! (`data/keyfacts.tsv`).
//!
//! A fact is the speech's own sentence whole when it is short; a long one is
//! cut to its first clauses, at a clause boundary, keeping the clause that
//! states the fact. A sentence split off at `；` keeps its following
//! clauses of the same paragraph up to the same length.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{KeyFact, KeyFactKind, Lang, Outline, SectionKind, SentenceRef, Span};

struct Pattern {
    /// The fact's kind; `None` for a context sentence (the background's).
    kind: Option<KeyFactKind>,
    lang: Lang,
    re: Regex,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    include_str!("data/keyfacts.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let [kind, lang, pattern] = cols[..] else { panic!("keyfacts.tsv: {l}") };
            let kind = match kind {
                "purpose" => Some(KeyFactKind::Purpose),
                "thesis" => Some(KeyFactKind::Thesis),
                "target" => Some(KeyFactKind::Target),
                "context" => None,
                _ => panic!("keyfacts.tsv: kind {kind}"),
            };
            let (lang, pattern) = match lang {
                "zh" => (Lang::Zh, pattern.to_owned()),
                _ => (Lang::En, format!("(?i){pattern}")),
            };
            let re = Regex::new(&pattern).unwrap_or_else(|e| panic!("keyfacts.tsv {l}: {e}"));
            Pattern { kind, lang, re }
        })
        .collect()
});

/// How many facts of each kind: one purpose, up to two thesis sentences
/// (a congress report states its theme and its central task), one target.
fn cap(kind: KeyFactKind) -> usize {
    match kind {
        KeyFactKind::Purpose | KeyFactKind::Target => 1,
        KeyFactKind::Thesis => 2,
    }
}

/// Longest fact shown whole, and the length a longer one is cut to, by
/// kind: a target list is the fact a reader of a government report wants
/// in full (about 260 字 / 120 words: Beijing's eight targets, 170 字); a
/// purpose up to 200 字 / 90 words; a thesis or a context sentence about
/// 110 字 / 50 words (a congress theme, 102 字, is whole).
fn limits(lang: Lang, kind: Option<KeyFactKind>) -> (usize, usize) {
    match (lang, kind) {
        (Lang::Zh, Some(KeyFactKind::Target)) => (260, 240),
        (Lang::En, Some(KeyFactKind::Target)) => (120, 100),
        (Lang::Zh, Some(KeyFactKind::Purpose)) => (200, 80),
        (Lang::En, Some(KeyFactKind::Purpose)) => (90, 40),
        (Lang::Zh, _) => (110, 80),
        (Lang::En, _) => (50, 40),
    }
}

fn measure(lang: Lang, s: &str) -> usize {
    match lang {
        Lang::Zh => s.chars().filter(|c| !c.is_whitespace()).count(),
        Lang::En => s.split_whitespace().count(),
    }
}

/// Byte offsets just after each clause mark (`，；,;`) in `text`.
fn clause_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices().filter(|(_, c)| "，；,;、".contains(*c)).map(|(i, c)| i + c.len_utf8())
}

/// The fact's text: the whole sentence when it fits, else its clauses from
/// the start up to the limit, at least to the end of the clause holding the
/// match (`must_reach`, a byte offset). Trailing clause marks are dropped.
fn cut(text: &str, must_reach: usize, lang: Lang, kind: KeyFactKind) -> &str {
    let (whole, part) = limits(lang, Some(kind));
    let t = text.trim();
    if measure(lang, t) <= whole {
        return t.trim_end_matches(['；', ';', '，', ',', '：', ':']);
    }
    let mut end = None;
    for e in clause_ends(t) {
        if e < must_reach {
            continue;
        }
        if end.is_some() && measure(lang, &t[..e]) > part {
            break;
        }
        end = Some(e);
        if measure(lang, &t[..e]) > part {
            break;
        }
    }
    let end = end.unwrap_or(t.len());
    t[..end].trim_end_matches(['；', ';', '，', ',', '、'])
}

/// One sentence of the speech with the ones after it in its paragraph.
struct Located<'a> {
    section_id: &'a str,
    sentences: &'a [crate::model::Sentence],
    index: usize,
}

/// The text of sentence `index` and, when it ends in `；` (a list the
/// splitter cut), of the following sentences of its paragraph that touch it,
/// up to the cut limit; with its span.
fn joined(l: &Located<'_>, lang: Lang, kind: KeyFactKind) -> (String, Span) {
    let first = &l.sentences[l.index];
    let mut text = first.text.clone();
    let mut span = first.span;
    let (_, part) = limits(lang, Some(kind));
    for next in &l.sentences[l.index + 1..] {
        let ends_open = text.trim_end().ends_with(['；', ';']);
        if !ends_open || next.span.start != span.end || measure(lang, &text) >= part {
            break;
        }
        text.push_str(&next.text);
        span.end = next.span.end;
    }
    (text, span)
}

/// The speech's headline facts, in order of kind (purpose, thesis, target)
/// and, within a kind, of the table's patterns, then of the speech. Pure.
// Called by `digest::assemble` for `Digest.key_facts` (wired by the integrator).
pub(crate) fn key_facts(outline: &Outline) -> Vec<KeyFact> {
    let lang = outline.meta.lang;
    let mut located: Vec<Located<'_>> = Vec::new();
    for sec in outline.walk() {
        if sec.kind == SectionKind::Notes {
            continue;
        }
        for p in &sec.paragraphs {
            for index in 0..p.sentences.len() {
                located.push(Located { section_id: &sec.id, sentences: &p.sentences, index });
            }
        }
    }
    let mut out: Vec<KeyFact> = Vec::new();
    for kind in [KeyFactKind::Purpose, KeyFactKind::Thesis, KeyFactKind::Target] {
        let mut found = 0;
        for pat in PATTERNS.iter().filter(|p| p.kind == Some(kind) && p.lang == lang) {
            for l in &located {
                if found >= cap(kind) {
                    break;
                }
                let sentence = &l.sentences[l.index];
                let Some(m) = pat.re.find(&sentence.text) else { continue };
                if out.iter().any(|f| f.source.span.start == sentence.span.start) {
                    continue;
                }
                let (full, span) = joined(l, lang, kind);
                // A thesis is a claim: cut to its first clauses it is only its
                // preamble (`总体要求是：以…为指导，深入贯彻…精神`), so a long one
                // is no headline fact. Purposes and targets keep their head.
                if kind == KeyFactKind::Thesis
                    && measure(lang, full.trim()) > limits(lang, Some(kind)).0
                {
                    continue;
                }
                let text = cut(&full, m.end(), lang, kind).to_owned();
                out.push(KeyFact {
                    kind,
                    text,
                    source: SentenceRef { section_id: l.section_id.to_owned(), text: full, span },
                });
                found += 1;
            }
        }
    }
    out
}

/// The sentences that say when and why the speech is given: the year it
/// opens or closes (`今年是“十五五”开局之年`), the moment a congress meets
/// (`…是在…关键时刻召开的…大会`), the period it reviews (`“十四五”时期是极不
/// 平凡的五年`). The background's first material after the purpose; in
/// speech order, whole sentences of at most about 110 字 / 50 words. Pure.
pub(crate) fn context(outline: &Outline) -> Vec<SentenceRef> {
    let lang = outline.meta.lang;
    let mut out: Vec<SentenceRef> = Vec::new();
    for sec in outline.walk() {
        if sec.kind == SectionKind::Notes {
            continue;
        }
        for p in &sec.paragraphs {
            for s in &p.sentences {
                let fits = measure(lang, s.text.trim()) <= limits(lang, None).0;
                let hit = PATTERNS
                    .iter()
                    .any(|pat| pat.kind.is_none() && pat.lang == lang && pat.re.is_match(&s.text));
                if fits && hit {
                    out.push(SentenceRef {
                        section_id: sec.id.clone(),
                        text: s.text.clone(),
                        span: s.span,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Paragraph, Section, Sentence};

    /// An outline of one section whose paragraphs are `paras`, each cut into
    /// sentences at `。` `；` `.` (with contiguous spans, like the splitter's).
    fn outline(paras: &[&str], lang: Lang) -> Outline {
        let mut pos = 0;
        let paragraphs = paras
            .iter()
            .map(|p| {
                let start = pos;
                let mut sentences = Vec::new();
                let mut cur = String::new();
                for c in p.chars() {
                    cur.push(c);
                    if "。；".contains(c) || (c == '.' && lang == Lang::En) {
                        let len = cur.len();
                        sentences.push(Sentence {
                            text: std::mem::take(&mut cur),
                            span: Span { start: pos, end: pos + len },
                        });
                        pos += len;
                    }
                }
                Paragraph { span: Span { start, end: pos }, sentences }
            })
            .collect();
        Outline {
            meta: crate::model::Meta::for_test(lang),
            sections: vec![Section {
                id: "1".to_owned(),
                kind: SectionKind::Part,
                label: None,
                heading: None,
                heading_span: None,
                level: 1,
                paragraphs,
                points: Vec::new(),
                children: Vec::new(),
            }],
            warnings: Vec::new(),
        }
    }

    #[track_caller]
    fn check(paras: &[&str], lang: Lang, want: &[(KeyFactKind, &str)]) {
        let facts = key_facts(&outline(paras, lang));
        let got: Vec<(KeyFactKind, &str)> =
            facts.iter().map(|f| (f.kind, f.text.as_str())).collect();
        assert_eq!(got, want);
        for f in &facts {
            assert!(f.source.text.contains(&f.text), "{} not in {}", f.text, f.source.text);
        }
    }

    #[test]
    fn one_row_per_pattern() {
        use KeyFactKind::*;
        type Row<'a> = (&'a [&'a str], Lang, &'a [(KeyFactKind, &'a str)]);
        let rows: &[Row] = &[
            // Seed: a purpose sentence of 140 字 is whole (a cut one reads as cut off).
            (
                &[
                    "今天,市委召开这次全市深化群众身边不正之风和腐败问题集中整治推进会议,主要任务是深入学习贯彻习近平总书记关于党的自我革命的重要思想,全面落实二十届中央纪委四次全会和中央纪委国家监委、省委的最新部署要求,回顾总结前一阶段集中整治工作,分析当前形势,部署下一步深化推进的重点任务。",
                ],
                Lang::Zh,
                &[(
                    Purpose,
                    "今天,市委召开这次全市深化群众身边不正之风和腐败问题集中整治推进会议,主要任务是深入学习贯彻习近平总书记关于党的自我革命的重要思想,全面落实二十届中央纪委四次全会和中央纪委国家监委、省委的最新部署要求,回顾总结前一阶段集中整治工作,分析当前形势,部署下一步深化推进的重点任务。",
                )],
            ),
            // A longer purpose is cut after the clause that states it.
            (
                &[&format!(
                    "今天召开这次会议,主要任务是学习贯彻重要思想,{}。",
                    ["全面落实各项部署要求"; 20].join(",")
                )],
                Lang::Zh,
                &[(
                    Purpose,
                    "今天召开这次会议,主要任务是学习贯彻重要思想,全面落实各项部署要求,全面落实各项部署要求,全面落实各项部署要求,全面落实各项部署要求,全面落实各项部署要求",
                )],
            ),
            (
                &["这次会议的主要任务是，总结工作，部署任务。"],
                Lang::Zh,
                &[(Purpose, "这次会议的主要任务是，总结工作，部署任务。")],
            ),
            (
                &[
                    "从现在起，中国共产党的中心任务就是团结带领全国各族人民全面建成社会主义现代化强国、实现第二个百年奋斗目标，以中国式现代化全面推进中华民族伟大复兴。",
                ],
                Lang::Zh,
                &[(
                    Thesis,
                    "从现在起，中国共产党的中心任务就是团结带领全国各族人民全面建成社会主义现代化强国、实现第二个百年奋斗目标，以中国式现代化全面推进中华民族伟大复兴。",
                )],
            ),
            // A thesis too long to show whole is no headline fact (its cut is a preamble).
            (
                &[
                    "政府工作的总体要求是：以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大和二十届历次全会精神，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，统筹发展和安全，坚持稳中求进工作总基调，扎实推进中国式现代化。",
                ],
                Lang::Zh,
                &[],
            ),
            (
                &["政府工作的总体要求是：以习近平新时代中国特色社会主义思想为指导。"],
                Lang::Zh,
                &[(Thesis, "政府工作的总体要求是：以习近平新时代中国特色社会主义思想为指导。")],
            ),
            // Beijing: a target list is whole.
            (
                &[
                    "今年经济社会发展主要预期目标是：地区生产总值增长5%左右，一般公共预算收入增长4%左右，城镇调查失业率控制在5%以内，居民消费价格涨幅2%左右，居民收入增长和经济增长同步，细颗粒物年均浓度控制在29微克/立方米左右、争取更优水平，能源、水资源、碳排放等指标达到国家要求。",
                ],
                Lang::Zh,
                &[(
                    Target,
                    "今年经济社会发展主要预期目标是：地区生产总值增长5%左右，一般公共预算收入增长4%左右，城镇调查失业率控制在5%以内，居民消费价格涨幅2%左右，居民收入增长和经济增长同步，细颗粒物年均浓度控制在29微克/立方米左右、争取更优水平，能源、水资源、碳排放等指标达到国家要求。",
                )],
            ),
            // Sichuan / national: the splitter cuts at `；`, the fact keeps the next clauses.
            (
                &[
                    "今年全省经济社会发展主要预期目标是：地区生产总值增长5.5%左右；城镇新增就业85万人，城镇调查失业率5.5%左右；居民消费价格涨幅2%左右；",
                ],
                Lang::Zh,
                &[(
                    Target,
                    "今年全省经济社会发展主要预期目标是：地区生产总值增长5.5%左右；城镇新增就业85万人，城镇调查失业率5.5%左右；居民消费价格涨幅2%左右",
                )],
            ),
            // Yunnan: 为 instead of 是.
            (
                &["经济社会发展的主要预期目标为：地区生产总值增长4.5%左右。"],
                Lang::Zh,
                &[(Target, "经济社会发展的主要预期目标为：地区生产总值增长4.5%左右。")],
            ),
            (
                &[
                    "I am here to ask the help of this Congress and the nation in approving these necessary measures.",
                ],
                Lang::En,
                &[(
                    Purpose,
                    "I am here to ask the help of this Congress and the nation in approving these necessary measures.",
                )],
            ),
            (
                &["Yet the state of our Union has never been stronger."],
                Lang::En,
                &[(Thesis, "Yet the state of our Union has never been stronger.")],
            ),
            (
                &[
                    "First, I believe that this nation should commit itself to achieving the goal, before this decade is out, of landing a man on the moon and returning him safely to the earth.",
                ],
                Lang::En,
                &[(
                    Target,
                    "First, I believe that this nation should commit itself to achieving the goal, before this decade is out, of landing a man on the moon and returning him safely to the earth.",
                )],
            ),
            (&["同志们，我们要坚定信心。"], Lang::Zh, &[]),
        ];
        for (paras, lang, want) in rows {
            check(paras, *lang, want);
        }
    }

    #[test]
    fn context_sentences_say_when_and_why() {
        let o = outline(
            &[
                "2025年是“十四五”规划收官之年。全年地区生产总值增长5.4%。",
                "今年是“十五五”开局之年，做好各项工作意义重大。",
                "“十四五”时期是极不平凡的五年，我们攻坚克难。",
                "中国共产党第二十次全国代表大会，是在全党全国各族人民迈上新征程的关键时刻召开的一次十分重要的大会。",
                "我们要坚定信心，这是关键之举。",
            ],
            Lang::Zh,
        );
        let got: Vec<String> = context(&o).into_iter().map(|s| s.text).collect();
        assert_eq!(
            got,
            [
                "2025年是“十四五”规划收官之年。",
                "今年是“十五五”开局之年，做好各项工作意义重大。",
                "“十四五”时期是极不平凡的五年，我们攻坚克难。",
                "中国共产党第二十次全国代表大会，是在全党全国各族人民迈上新征程的关键时刻召开的一次十分重要的大会。",
            ]
        );
        let en = outline(
            &["Tonight I come to this House to speak about the world. We will win."],
            Lang::En,
        );
        let facts = key_facts(&en);
        assert_eq!(facts.len(), 1, "{facts:?}");
        assert_eq!(facts[0].kind, KeyFactKind::Purpose);
    }
}
