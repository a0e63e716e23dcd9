//! Whether a sentence stands alone: can be lifted out of the speech and read
//! without what came before it. Every output that quotes the speech (the
//! overview, section summaries, the dek, quotations) asks this one rule set,
//! so that a `这一系列数字的背后…` with no numbers before it, a `Second, …`,
//! a meeting formula or a line the speaker quotes to reject never reaches a
//! reader on its own.
//!
//! The rules are data (`data/standalone.tsv`, `data/standalone_rejects.tsv`):
//! one regex a line with the reason it gives, so a new formula or opener is a
//! line of data, not code.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Lang;
use crate::text::salutations::{self, Kind};

/// Why a sentence cannot be lifted on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// Opens with a connective or anaphor (这些 / 此外 / This / But …).
    Dangling,
    /// An enumeration item cut from its list (`二是…`, `Second, …`, a clause
    /// ending in `；`), or `一是…` without its `二是`.
    Fragment,
    /// A salutation (`同志们：`, `Mr. Speaker, …:`).
    Salutation,
    /// A meeting formula (`这里作简要说明。`, `下面，我讲三点意见`).
    Formula,
    /// A thank-you.
    Thanks,
    /// Applause, laughter, a stage direction.
    Applause,
    /// A speaker label (`THE PRESIDENT:`).
    Speaker,
    /// An editorial note.
    Note,
    /// Sung lines.
    Lyrics,
    /// A bare `等等。`.
    Etc,
    /// A bare name line (`Senator Judd Gregg.`).
    Name,
    /// A line the speaker quotes in order to reject it.
    Rejected,
}

impl Reason {
    /// Reasons that mean the sentence runs the meeting or the transcript
    /// rather than saying anything: such sentences are treated like headings
    /// by the scorer, not only skipped by the selector.
    pub(crate) fn is_procedural(self) -> bool {
        matches!(
            self,
            Reason::Salutation
                | Reason::Formula
                | Reason::Thanks
                | Reason::Applause
                | Reason::Speaker
                | Reason::Note
        )
    }

    fn parse(s: &str) -> Option<Rule> {
        Some(match s {
            "dangling" => Rule::Is(Reason::Dangling),
            "fragment" => Rule::Is(Reason::Fragment),
            "formula" => Rule::Is(Reason::Formula),
            "thanks" => Rule::Is(Reason::Thanks),
            "applause" => Rule::Is(Reason::Applause),
            "speaker" => Rule::Is(Reason::Speaker),
            "note" => Rule::Is(Reason::Note),
            "lyrics" => Rule::Is(Reason::Lyrics),
            "etc" => Rule::Is(Reason::Etc),
            "name" => Rule::Is(Reason::Name),
            "rejected" => Rule::Is(Reason::Rejected),
            "ordinal" => Rule::Ordinal,
            _ => return None,
        })
    }
}

/// What a table line says: a reason it cannot stand alone, or (quotes only)
/// that it opens with an ordinal or a time frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Is(Reason),
    Ordinal,
}

struct Table {
    zh: Vec<(Rule, Regex)>,
    en: Vec<(Rule, Regex)>,
}

/// Compiles one table line's regex for `lang`: English matches ignore case
/// unless the pattern opts out with `(?-i)`.
fn compile(pattern: &str, english: bool) -> Regex {
    let p = if english && !pattern.starts_with("(?-i)") {
        format!("(?i){pattern}")
    } else {
        pattern.to_owned()
    };
    Regex::new(&p).unwrap_or_else(|e| panic!("standalone rule {pattern:?}: {e}"))
}

/// `lang <TAB> field <TAB> regex` lines, `#` comments skipped.
fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut t = Table { zh: Vec::new(), en: Vec::new() };
    // Salutations first (they end in `：` like fragments), from the shared table.
    let zh =
        format!(r"^(?:{})[：:！!，,]?$", salutations::alternation(Lang::Zh, &[Kind::Vocative]));
    t.zh.push((Rule::Is(Reason::Salutation), compile(&zh, false)));
    let en = format!(
        r"^(?:{}) (?:{}).{{0,160}}[:,]$",
        salutations::alternation(Lang::En, &[Kind::Title]),
        salutations::alternation(Lang::En, &[Kind::Office]),
    );
    t.en.push((Rule::Is(Reason::Salutation), compile(&en, true)));
    for cols in rows(include_str!("data/standalone.tsv")) {
        let [lang, reason, pattern] = cols[..] else { panic!("standalone.tsv: {cols:?}") };
        let rule = Reason::parse(reason).unwrap_or_else(|| panic!("standalone.tsv: {reason}"));
        if lang != "en" {
            t.zh.push((rule, compile(pattern, false)));
        }
        if lang != "zh" {
            t.en.push((rule, compile(pattern, true)));
        }
    }
    t
});

static REJECTS: LazyLock<(Vec<Regex>, Vec<Regex>)> = LazyLock::new(|| {
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for cols in rows(include_str!("data/standalone_rejects.tsv")) {
        let [lang, pattern] = cols[..] else { panic!("standalone_rejects.tsv: {cols:?}") };
        match lang {
            "zh" => zh.push(compile(pattern, false)),
            _ => en.push(compile(pattern, true)),
        }
    }
    (zh, en)
});

fn rules(lang: Lang) -> &'static [(Rule, Regex)] {
    match lang {
        Lang::Zh => &TABLE.zh,
        Lang::En => &TABLE.en,
    }
}

/// `一是…` opens an enumeration; the sentence holds all of it only when its
/// `二是` is there too (the same for `其一` / `第一，`).
fn opens_unfinished_enumeration(t: &str) -> bool {
    [("一是", "二是"), ("其一", "其二"), ("第一，", "第二"), ("第一,", "第二")]
        .iter()
        .any(|(first, second)| t.starts_with(first) && !t.contains(second))
}

/// Why `text` cannot be read without what came before it, or `None` when it
/// stands alone. Judges the sentence by itself; [`why_not_after`] also looks
/// at the sentence before.
pub(crate) fn why_not(text: &str, lang: Lang) -> Option<Reason> {
    let t = text.trim();
    if t.is_empty() {
        return Some(Reason::Fragment);
    }
    if lang == Lang::Zh && opens_unfinished_enumeration(t) {
        return Some(Reason::Fragment);
    }
    rules(lang).iter().find_map(|(rule, re)| match rule {
        Rule::Is(r) if re.is_match(t) => Some(*r),
        _ => None,
    })
}

/// True when `text` can be lifted out of the speech and read on its own.
pub(crate) fn stands_alone(text: &str, lang: Lang) -> bool {
    why_not(text, lang).is_none()
}

/// True when `lead_in` (the words before a quotation, or the sentence before
/// a quoted line) introduces it in order to reject it: `For too long our
/// culture has said, …`, `所谓…`, `…的错误观点`.
pub(crate) fn introduces_rejection(lead_in: &str, lang: Lang) -> bool {
    let (zh, en) = &*REJECTS;
    let set = if lang == Lang::Zh { zh } else { en };
    set.iter().any(|re| re.is_match(lead_in))
}

/// Like [`why_not`], with the sentence before: a clause ending in `；` after
/// a `：` or another `；` clause is [`Reason::Fragment`], and a short line
/// after a lead-in that rejects it (`We have been told: …` / `If it feels good, do it.`) is
/// [`Reason::Rejected`].
pub(crate) fn why_not_after(prev: Option<&str>, text: &str, lang: Lang) -> Option<Reason> {
    if let Some(r) = why_not(text, lang) {
        return Some(r);
    }
    let short = match lang {
        Lang::Zh => text.chars().count() <= 30,
        Lang::En => text.split_whitespace().count() <= 12,
    };
    let prev = prev.map(str::trim).unwrap_or_default();
    // A clause ending in `；` is a list item when the sentence before opens
    // or continues the list; alone (an abstract's `结果表明:…;`) it is a
    // statement.
    // Only the typeset list marks (full-width `：` `；`): half-width `;` runs
    // are the clause style of abstracts, where each clause is a statement.
    if text.trim_end().ends_with('；') && prev.ends_with(['：', '；']) {
        return Some(Reason::Fragment);
    }
    let introduces = prev.ends_with([':', '：', ',', '，']) || prev.is_empty();
    (short && !prev.is_empty() && introduces && introduces_rejection(prev, lang))
        .then_some(Reason::Rejected)
}

/// True when `text` stands alone and also reads as a statement rather than a
/// report or an enumeration item: it does not open with an ordinal or a time
/// frame (`首先`, `去年`, `First`, `Last year`). Quotations and the dek need
/// this; summaries only need [`stands_alone`].
pub(crate) fn quotable(text: &str, lang: Lang) -> bool {
    let t = text.trim();
    stands_alone(t, lang)
        && !t.ends_with(['；', ';'])
        && !rules(lang).iter().any(|(rule, re)| *rule == Rule::Ordinal && re.is_match(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(rows: &[(&str, Option<Reason>)], lang: Lang) {
        for (text, want) in rows {
            assert_eq!(why_not(text, lang), *want, "{text}");
        }
    }

    #[test]
    fn zh_rules_one_row_each() {
        use Reason::*;
        check(
            &[
                ("这一系列数字的背后，是我们坚决维护群众利益的鲜明态度。", Some(Dangling)),
                ("此外，还要加强监督检查。", Some(Dangling)),
                // A consequence states its claim: it stands (and CSL abstracts lead with it).
                ("因此，必须坚持全面从严治党。", None),
                ("但是，问题依然突出。", Some(Dangling)),
                ("其中，重复举报数量同比下降了18%。", Some(Dangling)),
                ("二是繁荣首都文化，全面增强全国文化中心影响力；", Some(Fragment)),
                ("其二，一些地方整治工作不够深入。", Some(Fragment)),
                ("第二，要坚持问题导向。", Some(Fragment)),
                ("一是坚守职责使命，全力服务保障政治中心功能。", Some(Fragment)),
                ("主要表现在以下几个方面:", Some(Fragment)),
                ("刚才，几位同志作了很好的发言，我都同意。", Some(Formula)),
                ("这里作简要说明。", Some(Formula)),
                ("下面，我讲三点意见。", Some(Formula)),
                ("现在，我代表市人民政府，向大会报告工作，请予审议。", Some(Formula)),
                ("同志们：", Some(Salutation)),
                ("谢谢大家！", Some(Thanks)),
                ("（掌声）", Some(Applause)),
                ("编者按：本文根据录音整理。", Some(Note)),
                ("等等。", Some(Etc)),
                ("要坚决反对“躺平”的错误观点。", Some(Rejected)),
                ("今年经济社会发展主要预期目标是：地区生产总值增长5%左右。", None),
                ("一是高压态势持续巩固，二是突出问题得到有力整治。", None),
                ("这次会议的主要任务是部署下一步工作。", None),
                ("同志们，我们要坚定信心。", None),
            ],
            Lang::Zh,
        );
    }

    #[test]
    fn en_rules_one_row_each() {
        use Reason::*;
        check(
            &[
                ("These demands are not open to negotiation or discussion.", Some(Dangling)),
                ("But the only way to defeat terrorism is to stop it.", Some(Dangling)),
                ("It is now clear that this is not enough.", Some(Dangling)),
                ("In addition, we will double the program.", Some(Dangling)),
                ("Second, a major part of our effort is at home.", Some(Fragment)),
                ("Finally, we must act now.", Some(Fragment)),
                ("the rule of law; limits on the power of the state;", Some(Fragment)),
                ("Thank you very much.", Some(Thanks)),
                ("(Applause.)", Some(Applause)),
                ("THE PRESIDENT: Mr. Speaker, members of Congress:", Some(Speaker)),
                ("Editor's note: this transcript was edited.", Some(Note)),
                ("(singing) God bless America", Some(Lyrics)),
                ("Etc.", Some(Etc)),
                ("Senator Judd Gregg.", Some(Name)),
                (
                    "Mr. Speaker, Mr. President, Members of the House, my fellow Americans:",
                    Some(Salutation),
                ),
                ("Mr. Speaker, Mr. President, Members of the House", None),
                ("Yet the state of our Union has never been stronger.", Some(Dangling)),
                ("The state of our Union has never been stronger.", None),
                (
                    "First, I believe that this nation should commit itself to achieving the goal.",
                    None,
                ),
                ("Mr. Smith, a small business owner from Ohio, told me so.", None),
            ],
            Lang::En,
        );
    }

    #[test]
    fn salutation_without_a_colon() {
        assert_eq!(
            why_not("mr. speaker, members of Congress,", Lang::En),
            Some(Reason::Salutation)
        );
        assert_eq!(why_not("各位代表！", Lang::Zh), Some(Reason::Salutation));
    }

    #[test]
    fn a_quoted_line_after_a_rejecting_lead_in() {
        let rows: &[(Option<&str>, &str, Lang, Option<Reason>)] = &[
            (
                Some("For too long our culture has said,"),
                "If it feels good, do it.",
                Lang::En,
                Some(Reason::Rejected),
            ),
            (
                Some("We have been told:"),
                "Government is the problem.",
                Lang::En,
                Some(Reason::Rejected),
            ),
            (Some("有人说："), "反腐败会影响经济发展。", Lang::Zh, Some(Reason::Rejected)),
            (
                Some("还存在一些困难和问题："),
                "科技创新和产业创新结合不够紧密；",
                Lang::Zh,
                Some(Reason::Fragment),
            ),
            (
                Some("城乡区域差距仍较明显；"),
                "科技创新和产业创新结合不够紧密；",
                Lang::Zh,
                Some(Reason::Fragment),
            ),
            (
                Some("采用机械共混方法制得共混膜。"),
                "结果表明:墙厚影响不大,墙高的影响较大；",
                Lang::Zh,
                None,
            ),
            (
                Some("We began to think less of the goods we can accumulate."),
                "We want to be a nation that serves goals larger than self.",
                Lang::En,
                None,
            ),
        ];
        for (prev, text, lang, want) in rows {
            assert_eq!(why_not_after(*prev, text, *lang), *want, "{text}");
        }
        assert!(introduces_rejection("For too long our culture has said, ", Lang::En));
        assert!(!introduces_rejection("Shannon Spann said these words of farewell: ", Lang::En));
    }

    #[test]
    fn quotable_excludes_ordinals_and_time_frames() {
        assert!(!quotable("去年，全市查处问题1200个。", Lang::Zh));
        assert!(!quotable("First, I believe that this nation should commit itself.", Lang::En));
        assert!(quotable("打铁必须自身硬，正人必先正己。", Lang::Zh));
    }
}
