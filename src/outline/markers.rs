//! The numbering grammar of speeches, as a table of marker kinds and a
//! matcher: `一、` `（一）` `第一部分` `1.`/`1、` `（1）` `I.` `Part One`
//! (headings), `第一，` `首先，…最后，` `First, … Finally,` (paragraph openers),
//! and `一是` `其一，` `一要` (points inside paragraphs).
//!
//! No crate parses Chinese document numbering, so the grammar is ours. The
//! matcher only recognises a marker at the start of a line or sentence; the
//! tree builder (`tree.rs`) decides which candidates form real sequences.

use crate::text::numerals::zh_number;

/// The kinds of marker, each with its own counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum MarkerKind {
    /// `第一部分`
    ZhPart,
    /// `一、`
    ZhDun,
    /// `（一）`
    ZhParen,
    /// `1.` / `1、` / `1．`
    Arabic,
    /// `（1）`
    ArabicParen,
    /// `I.` on a line, or `II. ECONOMIC …`
    Roman,
    /// `Part One`, `Part 2`
    EnPart,
    /// `第一，` opening a paragraph
    ZhOrdinal,
    /// `首先，` `其次，` `再次，` `最后，`
    ZhSequence,
    /// `First,` … `Finally,`
    EnOrdinal,
    /// `一是` (point)
    ZhShi,
    /// `其一，` (point)
    ZhQi,
    /// `一要` (point)
    ZhYao,
    /// `——必须坚持人民至上。` (point): a paragraph opened by a dash, one of a
    /// series of such paragraphs; numbered by its place in the series.
    ZhDash,
    /// A heading without a number: an HTML heading, or a short English title line.
    Unnumbered,
}

impl MarkerKind {
    /// Headings: the marker introduces a section whose heading is the line (or its first sentence).
    pub(crate) fn is_heading(self) -> bool {
        matches!(
            self,
            Self::ZhPart
                | Self::ZhDun
                | Self::ZhParen
                | Self::Arabic
                | Self::ArabicParen
                | Self::Roman
                | Self::EnPart
                | Self::Unnumbered
        )
    }
    /// Paragraph openers: the marker introduces a sub-section at paragraph level.
    /// English `First, … Finally,` paragraphs are points, not sections: in
    /// addresses they enumerate inside a topic far more often than they divide it.
    pub(crate) fn is_opener(self) -> bool {
        matches!(self, Self::ZhOrdinal | Self::ZhSequence)
    }
    /// Points inside paragraphs.
    pub(crate) fn is_point(self) -> bool {
        matches!(self, Self::ZhShi | Self::ZhQi | Self::ZhYao | Self::ZhDash | Self::EnOrdinal)
    }
    /// The shortest run of this kind that counts as real numbering.
    pub(crate) fn min_run(self) -> usize {
        match self {
            Self::ZhDun
            | Self::ZhParen
            | Self::ZhPart
            | Self::Roman
            | Self::EnPart
            | Self::Unnumbered => 1,
            _ => 2,
        }
    }
}

/// A marker found at the start of a line or sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    /// Its kind.
    pub kind: MarkerKind,
    /// Its number in the sequence (1-based). `最后`/`Finally` carry 0: "the last one".
    pub number: u32,
    /// The label as the speech writes it, without punctuation: `一`, `（一）`, `第一`, `I`, `First`.
    pub label: String,
    /// Byte length of the marker including its punctuation (`一、` is 6 bytes).
    pub len: usize,
}

fn is_zh_digit(c: char) -> bool {
    matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
}

/// Takes the leading run of Chinese numeral characters (at most 3).
fn take_zh_numeral(s: &str) -> Option<(&str, u32)> {
    let end = s
        .char_indices()
        .take_while(|(_, c)| is_zh_digit(*c))
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    if s[..end].chars().count() > 3 {
        return None;
    }
    zh_number(&s[..end]).map(|n| (&s[..end], n))
}

fn roman_value(s: &str) -> Option<u32> {
    const TABLE: [(&str, u32); 20] = [
        ("I", 1),
        ("II", 2),
        ("III", 3),
        ("IV", 4),
        ("V", 5),
        ("VI", 6),
        ("VII", 7),
        ("VIII", 8),
        ("IX", 9),
        ("X", 10),
        ("XI", 11),
        ("XII", 12),
        ("XIII", 13),
        ("XIV", 14),
        ("XV", 15),
        ("XVI", 16),
        ("XVII", 17),
        ("XVIII", 18),
        ("XIX", 19),
        ("XX", 20),
    ];
    TABLE.iter().find(|(r, _)| *r == s).map(|(_, v)| *v)
}

const EN_ORDINALS: [&str; 10] =
    ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"];
const EN_NUMBERS: [&str; 10] =
    ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"];

/// Recognises a heading or opener marker at the start of a paragraph line.
pub(crate) fn line_marker(line: &str) -> Option<Marker> {
    let first = line.chars().next()?;
    // 第一部分 / 第一，
    if let Some(rest) = line.strip_prefix('第')
        && let Some((num, n)) = take_zh_numeral(rest)
    {
        let after = &rest[num.len()..];
        let label = format!("第{num}");
        if let Some(tail) = after.strip_prefix("部分") {
            let punct = leading_punct(tail, &['、', '，', ',', '：', ':', ' ']);
            return Some(Marker {
                kind: MarkerKind::ZhPart,
                number: n,
                label,
                len: line.len() - tail.len() + punct,
            });
        }
        for p in ['，', ',', '、', '：', ':'] {
            if after.starts_with(p) {
                let len = 3 + num.len() + p.len_utf8();
                return Some(Marker { kind: MarkerKind::ZhOrdinal, number: n, label, len });
            }
        }
        return None;
    }
    // 一、
    if is_zh_digit(first)
        && let Some((num, n)) = take_zh_numeral(line)
    {
        let after = &line[num.len()..];
        for p in ['、', '．', '.'] {
            if after.starts_with(p) {
                return Some(Marker {
                    kind: MarkerKind::ZhDun,
                    number: n,
                    label: num.to_owned(),
                    len: num.len() + p.len_utf8(),
                });
            }
        }
        return None;
    }
    // （一） / （1）
    if matches!(first, '（' | '(') {
        let inner = &line[first.len_utf8()..];
        let close = inner.find(['）', ')'])?;
        let num = &inner[..close];
        let close_len = inner[close..].chars().next().map_or(1, char::len_utf8);
        let len = first.len_utf8() + close + close_len;
        if let Some(n) = zh_number(num) {
            return Some(Marker {
                kind: MarkerKind::ZhParen,
                number: n,
                label: format!("（{num}）"),
                len,
            });
        }
        if !num.is_empty() && num.len() <= 2 && num.bytes().all(|b| b.is_ascii_digit()) {
            let n = num.parse().ok()?;
            return Some(Marker {
                kind: MarkerKind::ArabicParen,
                number: n,
                label: format!("（{num}）"),
                len,
            });
        }
        return None;
    }
    // 1. / 1、 (not 1.5, not 2025年)
    if first.is_ascii_digit() {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 2 {
            return None;
        }
        let after = &line[digits..];
        for p in ['、', '．', '.'] {
            if let Some(tail) = after.strip_prefix(p) {
                if tail.starts_with(|c: char| c.is_ascii_digit()) {
                    return None;
                }
                let n = line[..digits].parse().ok()?;
                return Some(Marker {
                    kind: MarkerKind::Arabic,
                    number: n,
                    label: line[..digits].to_owned(),
                    len: digits + p.len_utf8(),
                });
            }
        }
        return None;
    }
    // 首先，其次，再次，最后，
    for (i, w) in ["首先", "其次", "再次", "最后"].iter().enumerate() {
        if let Some(tail) = line.strip_prefix(w)
            && tail.starts_with(['，', ','])
        {
            let number = if i == 3 { 0 } else { i as u32 + 1 };
            return Some(Marker {
                kind: MarkerKind::ZhSequence,
                number,
                label: (*w).to_owned(),
                len: w.len() + 3,
            });
        }
    }
    // I. / II. HEADING
    if first.is_ascii_uppercase() {
        let word_end = line.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(line.len());
        let word = &line[..word_end];
        if let Some(n) = roman_value(word)
            && line[word_end..].starts_with('.')
        {
            let rest = line[word_end + 1..].trim();
            // `I.` alone, or followed by an upper-case heading; never "I. think".
            if rest.is_empty() || rest.chars().all(|c| !c.is_lowercase()) {
                return Some(Marker {
                    kind: MarkerKind::Roman,
                    number: n,
                    label: word.to_owned(),
                    len: word_end + 1,
                });
            }
        }
        if word.eq_ignore_ascii_case("part") {
            let rest = line[word_end..].trim_start();
            let num_end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
            let num = &rest[..num_end];
            let n = EN_NUMBERS
                .iter()
                .position(|w| w.eq_ignore_ascii_case(num))
                .map(|i| i as u32 + 1)
                .or_else(|| num.parse().ok())
                .or_else(|| roman_value(num));
            if let Some(n) = n {
                let len = line.len() - rest.len() + num_end;
                return Some(Marker {
                    kind: MarkerKind::EnPart,
                    number: n,
                    label: format!("Part {num}"),
                    len,
                });
            }
        }
        let comma_word = line.split([',', ' ']).next().unwrap_or("");
        if line[comma_word.len()..].starts_with(',') {
            let number = if comma_word == "Finally" || comma_word == "Lastly" {
                Some(0)
            } else {
                EN_ORDINALS
                    .iter()
                    .position(|w| *w == comma_word || format!("{w}ly") == comma_word)
                    .map(|i| i as u32 + 1)
            };
            if let Some(number) = number {
                return Some(Marker {
                    kind: MarkerKind::EnOrdinal,
                    number,
                    label: comma_word.to_owned(),
                    len: comma_word.len() + 1,
                });
            }
        }
    }
    None
}

/// Recognises a point marker (`一是`, `其一，`, `一要`) at the start of a sentence.
pub(crate) fn point_marker(sentence: &str) -> Option<Marker> {
    if let Some(rest) = sentence.strip_prefix('其')
        && let Some((num, n)) = take_zh_numeral(rest)
    {
        let after = &rest[num.len()..];
        let punct = leading_punct(after, &['，', ',', '、', '：', ':']);
        if punct > 0 {
            return Some(Marker {
                kind: MarkerKind::ZhQi,
                number: n,
                label: format!("其{num}"),
                len: 3 + num.len() + punct,
            });
        }
        return None;
    }
    let (num, n) = take_zh_numeral(sentence)?;
    let after = &sentence[num.len()..];
    let (kind, word) = if after.starts_with('是') {
        (MarkerKind::ZhShi, "是")
    } else if after.starts_with('要') {
        (MarkerKind::ZhYao, "要")
    } else {
        return None;
    };
    // `一是一、二是二` style idioms and `一要` at the end of a sentence are not points.
    let tail = &after[word.len()..];
    if tail.is_empty() || tail.starts_with(['。', '，', '、']) && kind == MarkerKind::ZhYao {
        return None;
    }
    let punct = leading_punct(tail, &['，', ',', '：', ':']);
    Some(Marker {
        kind,
        number: n,
        label: format!("{num}{word}"),
        len: num.len() + word.len() + punct,
    })
}

/// The dash that opens a point of a `——…` series (`——`, `—`, `--`, with an
/// optional space after it): its byte length.
pub(crate) fn dash_marker_len(paragraph: &str) -> Option<usize> {
    let dash = ["——", "──", "—", "--"].iter().find(|d| paragraph.starts_with(**d))?;
    let rest = &paragraph[dash.len()..];
    let space = rest.len() - rest.trim_start_matches([' ', '\u{3000}']).len();
    // A dash that opens a quotation's attribution or nothing at all is no point.
    let body = &rest[space..];
    (body.chars().count() >= 4 && !body.starts_with(['—', '-'])).then_some(dash.len() + space)
}

fn leading_punct(s: &str, set: &[char]) -> usize {
    s.chars().next().filter(|c| set.contains(c)).map_or(0, char::len_utf8)
}

/// True when `line` opens with a top-level heading marker (`一、`, `第一部分`,
/// `I.`, `Part One`): ingest uses it to find where the body starts.
pub(crate) fn is_top_heading(line: &str) -> bool {
    line_marker(line).is_some_and(|m| {
        matches!(
            m.kind,
            MarkerKind::ZhDun | MarkerKind::ZhPart | MarkerKind::Roman | MarkerKind::EnPart
        ) && m.number == 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn line(input: &str, expected: Option<(MarkerKind, u32, &str)>) {
        let got = line_marker(input).map(|m| {
            assert!(input.is_char_boundary(m.len), "{input}: len {}", m.len);
            (m.kind, m.number, m.label)
        });
        assert_eq!(got, expected.map(|(k, n, l)| (k, n, l.to_owned())), "{input}");
    }

    #[test]
    fn line_markers() {
        use MarkerKind::*;
        line("一、肯定成绩正视不足", Some((ZhDun, 1, "一")));
        line("十二、加强党的建设", Some((ZhDun, 12, "十二")));
        line("（一）坚持稳中求进", Some((ZhParen, 1, "（一）")));
        line("(三)深化改革", Some((ZhParen, 3, "（三）")));
        line("（2）完善制度", Some((ArabicParen, 2, "（2）")));
        line("1.医保影像云：通过…", Some((Arabic, 1, "1")));
        line("19、一件事", Some((Arabic, 19, "19")));
        line("1.5亿元用于", None);
        line("2025年是收官之年", None);
        line("第一部分 总体要求", Some((ZhPart, 1, "第一")));
        line("第一，坚持力度不减", Some((ZhOrdinal, 1, "第一")));
        line("第二,坚持抓主抓重", Some((ZhOrdinal, 2, "第二")));
        line("第一次全体会议", None);
        line("首先，要提高认识", Some((ZhSequence, 1, "首先")));
        line("最后，讲一点要求", Some((ZhSequence, 0, "最后")));
        line("I.", Some((Roman, 1, "I")));
        line("II. ECONOMIC AND SOCIAL PROGRESS AT HOME", Some((Roman, 2, "II")));
        line("I. think so", None);
        line("Part Two: the economy", Some((EnPart, 2, "Part Two")));
        line("First, we must act.", Some((EnOrdinal, 1, "First")));
        line("Secondly, we must act.", Some((EnOrdinal, 2, "Secondly")));
        line("Finally, to cite one other area", Some((EnOrdinal, 0, "Finally")));
        line("Firstly", None);
        line("一是高压态势持续巩固", None);
        line("", None);
    }

    #[track_caller]
    fn point(input: &str, expected: Option<(MarkerKind, u32, &str)>) {
        let got = point_marker(input).map(|m| (m.kind, m.number, m.label));
        assert_eq!(got, expected.map(|(k, n, l)| (k, n, l.to_owned())), "{input}");
    }

    #[test]
    fn point_markers() {
        use MarkerKind::*;
        point("一是高压态势持续巩固。", Some((ZhShi, 1, "一是")));
        point("三是群众获得感显著增强。", Some((ZhShi, 3, "三是")));
        point("其一，压力传导存在衰减现象。", Some((ZhQi, 1, "其一")));
        point("其四,作风顽疾尚未彻底根除。", Some((ZhQi, 4, "其四")));
        point("一要在线索处置上“全面起底”。", Some((ZhYao, 1, "一要")));
        point("其他方面", None);
        point("一些腐败行为由明转暗", None);
        point("一年多以来", None);
    }
}
