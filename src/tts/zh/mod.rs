//! Chinese text normalisation (TN): written numbers, symbols and a few Latin
//! abbreviations become the words a Mandarin TTS voice should say.
//!
//! This module owns everything between "raw speech text" and "TTS-ready
//! Chinese".  This file holds the options, the character helpers shared by the
//! recognisers (and full-width folding, also used by the English side) and the
//! scanner: [`normalize`] walks the text once and `Zh::step` hands each
//! position to the recogniser for what starts there: `numbers` (cardinals with
//! 万/亿 grouping and 零, the 两/二 rule, decimals, percentages, fractions,
//! ranges, years; it first tries `dates`, `times` and `contacts`), `money`
//! (amounts after ¥ and currency codes), `latin` (currency prefixes, B2B,
//! acronyms, BC/AD) and `units`.  Math symbols (`1+2` → 一加二) are read here.
//! The rule tables (measure words, units, currencies, context words, math
//! symbols) are data files under `src/tts/data/` (see `super::data`).
//!
//! It is hand-written because the available crates only convert integers
//! (`chinese-number`) and cannot find numbers in running text, read decimals
//! digit by digit, handle percent/fractions/dates/times, or choose between 两
//! and 二 from context.  Pure functions, no I/O; every index is bounds-checked
//! so arbitrary UTF-8 input never panics.

mod contacts;
mod dates;
mod latin;
mod money;
mod numbers;
mod times;
mod units;

use super::data;
use numbers::{DIGITS, Two, digits_words};

/// When to say 两 instead of 二 for the digit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Liang {
    /// 两 before measure words (两个, 两年) and before 百/千/万/亿 at the head
    /// of a number section (两百, 两千, 两万, 一万两千).
    #[default]
    Units,
    /// Like `Units`, but 二 before 百 (二百一十, NeMo style); 两 before 千/万/亿.
    UnitsExceptHundred,
    /// 两 only before measure words; 二百, 二千, 二万 everywhere else.
    MeasureOnly,
}

/// Where the minus goes in a negative percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NegPercent {
    /// `-5%` → 负百分之五
    #[default]
    Before,
    /// `-5%` → 百分之负五
    Inside,
}

/// Word used between the two ends of a numeric range (`3-5年`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RangeWord {
    /// 三到五年
    #[default]
    Dao,
    /// 三至五年
    Zhi,
}

/// Options for [`normalize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZhOptions {
    /// When to say 两.
    pub liang: Liang,
    /// Read 1 as 幺 in digit strings (phone numbers, hotlines, codes).
    pub yao: bool,
    /// Position of 负 in negative percentages.
    pub negative_percent: NegPercent,
    /// Range connective.
    pub range_word: RangeWord,
    /// Clock minutes below ten read with 零 (`2:02` → 两点零二分); if false 两点二分.
    pub clock_zero_minutes: bool,
    /// Negative temperatures read 零下 (`-10°C` → 零下十摄氏度); if false 负十摄氏度.
    pub below_zero_temperature: bool,
    /// Drop trailing decimal zeros of money amounts and percentages
    /// (`36.00元` → 三十六元, `0.70%` → 百分之零点七). Plain decimals always keep them.
    pub trim_money_zeros: bool,
    /// Word for `¥`/`￥`: 元 (default) or e.g. 人民币.
    pub yuan_word: &'static str,
    /// Upper-case short lower-case Latin acronyms glued to Chinese (`有atm` → 有ATM).
    pub upper_acronyms: bool,
}

impl Default for ZhOptions {
    fn default() -> Self {
        ZhOptions {
            liang: Liang::Units,
            yao: false,
            negative_percent: NegPercent::Before,
            range_word: RangeWord::Dao,
            clock_zero_minutes: true,
            below_zero_temperature: true,
            trim_money_zeros: true,
            yuan_word: "元",
            upper_acronyms: true,
        }
    }
}

fn is_cjk(ch: char) -> bool {
    matches!(ch, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

fn at(c: &[char], i: usize) -> char {
    c.get(i).copied().unwrap_or('\0')
}

fn dig(ch: char) -> bool {
    ch.is_ascii_digit()
}

fn starts(c: &[char], i: usize, s: &str) -> bool {
    (i..).zip(s.chars()).all(|(k, ch)| k < c.len() && at(c, k) == ch)
}

fn starts_len(s: &str) -> usize {
    s.chars().count()
}

fn digit_run(c: &[char], i: usize) -> usize {
    let mut j = i;
    while j < c.len() && dig(c[j]) {
        j += 1;
    }
    j
}

fn to_string(c: &[char], a: usize, b: usize) -> String {
    c.get(a..b).map(|s| s.iter().collect()).unwrap_or_default()
}

fn value(s: &str) -> u64 {
    let mut v: u64 = 0;
    for b in s.bytes() {
        v = v.saturating_mul(10).saturating_add(u64::from(b.wrapping_sub(b'0')));
    }
    v
}

/// Fold full-width digits always, and full-width ASCII punctuation when it
/// touches a digit (so `２２：５８` parses but a stand-alone `，` stays).
pub(crate) fn fold(text: &str) -> Vec<char> {
    let raw: Vec<char> = text.chars().collect();
    let fw_digit = |ch: char| ('０'..='９').contains(&ch);
    let any_digit = |ch: char| dig(ch) || fw_digit(ch);
    let mut out = Vec::with_capacity(raw.len());
    for (i, &ch) in raw.iter().enumerate() {
        let fw_punct =
            matches!(ch, '：' | '．' | '％' | '／' | '－' | '＋' | '～' | '＝' | '＜' | '＞')
                && (i > 0 && any_digit(raw[i - 1]) || any_digit(at(&raw, i + 1)));
        if fw_digit(ch) || fw_punct {
            out.push(char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch));
        } else {
            out.push(ch);
        }
    }
    out
}

fn skip_spaces(c: &[char], mut i: usize) -> usize {
    while at(c, i) == ' ' {
        i += 1;
    }
    i
}

fn preceded_by(c: &[char], i: usize, words: &[&str], window: usize) -> bool {
    let lo = i.saturating_sub(window);
    let s: String = to_string(c, lo, i);
    words.iter().any(|w| s.contains(w))
}

// ------------------------------------------------------------------ normaliser

/// The scanner: input characters, options and output so far.  The recognisers
/// in the submodules are its methods, so they can read around a position and
/// write their words straight into `out`.
struct Zh<'a> {
    c: &'a [char],
    o: &'a ZhOptions,
    out: String,
    two: Two,
    /// Output offset where the last year reading started (for a trailing `bc`/`ad`).
    year_pos: Option<usize>,
}

/// Normalise Chinese text: numbers and symbols become Chinese words, everything
/// else is passed through unchanged and in order.
/// True for the characters around a `/` that reads 每: a Chinese unit word
/// ends before it (`克`, `米`, `元`, `人`, `吨`…) and one starts after it
/// (`立方米`, `人`, `百亿元`, `年`…). `和/或` and dates are left alone.
fn per_unit(before: char, after: char) -> bool {
    const ENDS: &str = "克米元人吨时秒瓦升度斤亩户年天次件台辆套个";
    const STARTS: &str = "立平方米人百千万亿吨时小秒年天日月次户斤亩公升台辆件套个";
    ENDS.contains(before) && STARTS.contains(after)
}

pub(crate) fn normalize(text: &str, opts: &ZhOptions) -> String {
    let c = fold(text);
    let mut z = Zh {
        out: String::with_capacity(text.len() * 2),
        c: &c,
        o: opts,
        two: Two::from(opts.liang),
        year_pos: None,
    };
    z.run();
    z.out
}

impl Zh<'_> {
    fn run(&mut self) {
        let mut i = 0;
        while i < self.c.len() {
            match self.step(i) {
                Some(e) if e > i => i = e,
                _ => {
                    let ch = self.c[i];
                    // `微克/立方米`, `万元/人`: a slash between Chinese unit
                    // words is said 每.
                    if ch == '/' && per_unit(self.prev(i), at(self.c, i + 1)) {
                        self.out.push('每');
                    } else {
                        self.out.push(ch);
                    }
                    i += 1;
                }
            }
        }
    }

    fn prev(&self, i: usize) -> char {
        if i == 0 { '\0' } else { at(self.c, i - 1) }
    }

    /// Drop spaces just emitted between a Chinese character and a number.
    fn trim_space_before_number(&mut self) {
        let t = self.out.trim_end_matches(' ');
        if t.len() != self.out.len()
            && t.chars().last().is_some_and(|ch| is_cjk(ch) || "，。、：；".contains(ch))
        {
            self.out.truncate(t.len());
        }
    }

    /// After a number: skip spaces that only separate it from a Chinese character.
    fn skip_space_after(&self, e: usize) -> usize {
        let k = skip_spaces(self.c, e);
        if k > e && is_cjk(at(self.c, k)) { k } else { e }
    }

    fn range_word(&self) -> &'static str {
        match self.o.range_word {
            RangeWord::Dao => "到",
            RangeWord::Zhi => "至",
        }
    }

    fn step(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let ch = c[i];
        let p = self.prev(i);
        match ch {
            '0'..='9' => self.number(i, false),
            '.' if dig(at(c, i + 1)) && !dig(p) && !p.is_ascii_alphabetic() => {
                self.number(i, false)
            }
            '-' | '−'
                if (dig(at(c, i + 1)) || starts(c, i + 1, "百分之") || at(c, i + 1) == '.')
                    && !(dig(p) || p.is_ascii_alphanumeric() || "%‰)）-".contains(p)) =>
            {
                if starts(c, i + 1, "百分之") {
                    self.out.push('负');
                    return Some(i + 1);
                }
                self.number(i + 1, true)
            }
            '±' if dig(at(c, skip_spaces(c, i + 1))) => {
                self.out.push_str("正负");
                Some(i + 1)
            }
            '+' if dig(at(c, i + 1)) && !dig(p) => {
                // +86 18544139121
                let e = digit_run(c, i + 1);
                let k = skip_spaces(c, e);
                let e2 = digit_run(c, k);
                if e - (i + 1) <= 3 && e2 - k >= 7 {
                    self.trim_space_before_number();
                    let s = to_string(c, i + 1, e) + &to_string(c, k, e2);
                    digits_words(&s, self.o.yao, &mut self.out);
                    return Some(e2);
                }
                self.math(i)
            }
            '+' | '=' | '<' | '>' | '≤' | '≥' | '≠' | '×' | '÷' => self.math(i),
            '¥' | '￥' if dig(at(c, skip_spaces(c, i + 1))) => {
                self.money(i + 1, self.o.yuan_word)
            }
            _ if ch.is_ascii_alphabetic() || "$€£₩".contains(ch) => self.latin(i),
            _ => None,
        }
    }

    /// A math symbol between numbers (or after Chinese text, before a number).
    fn math(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let &[sym, w] = data::ZH_MATH.iter().find(|[sym, _]| starts(c, i, sym))?;
        let len = starts_len(sym);
        let after = skip_spaces(c, i + len);
        let next_num = dig(at(c, after))
            || (at(c, after) == '-' && dig(at(c, after + 1)))
            || (at(c, i) == '+'
                && after == i + 1
                && at(c, after).is_ascii_uppercase()
                && dig(self.prev(i)));
        let t = self.out.trim_end_matches(' ');
        let prev_num =
            t.chars().last().is_some_and(|ch| DIGITS.contains(&ch) || "十百千万亿两".contains(ch));
        let before = {
            let mut k = i;
            while k > 0 && c[k - 1] == ' ' {
                k -= 1;
            }
            if k > 0 { dig(c[k - 1]) } else { false }
        };
        if !(next_num
            && (prev_num || before || is_cjk(t.chars().last().unwrap_or(' ')) || t.is_empty()))
        {
            return None;
        }
        self.out.truncate(t.len());
        self.out.push_str(w);
        Some(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[track_caller]
    pub(super) fn case(input: &str, expected: &str) {
        assert_eq!(normalize(input, &ZhOptions::default()), expected, "input: {input:?}");
    }

    #[track_caller]
    pub(super) fn case_with(opts: &ZhOptions, input: &str, expected: &str) {
        assert_eq!(normalize(input, opts), expected, "input: {input:?}");
    }

    #[test]
    fn math() {
        for (i, e) in [
            ("1+2", "一加二"),
            ("2 = 1 + 1", "二等于一加一"),
            ("2<=4", "二小于等于四"),
            ("±2", "正负二"),
            ("“1+3+N”", "“一加三加N”"),
        ] {
            case(i, e);
        }
    }

    #[test]
    fn plain_text_passes() {
        for (i, e) in [
            ("不管三七二十一", "不管三七二十一"),
            ("一点一滴", "一点一滴"),
            ("", ""),
            ("，。", "，。"),
        ] {
            case(i, e);
        }
    }

    fn han(s: &str) -> Vec<char> {
        s.chars().filter(|&ch| is_cjk(ch) || "，。、".contains(ch)).collect()
    }

    fn is_subsequence(needle: &[char], hay: &[char]) -> bool {
        let mut it = hay.iter();
        needle.iter().all(|n| it.any(|h| h == n))
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = normalize(&s, &ZhOptions::default());
        }

        #[test]
        fn never_panics_numeric(s in "[0-9０-９.,:：/\\-—~%‰+=<>°℃²a-zA-Z$¥￥€£ 年月日号第个两点万亿元“”·一]{0,40}") {
            let _ = normalize(&s, &ZhOptions::default());
            let o = ZhOptions { yao: true, liang: Liang::MeasureOnly, negative_percent: NegPercent::Inside, ..ZhOptions::default() };
            let _ = normalize(&s, &o);
        }

        /// Every Chinese character (and ，。、) of the input reaches the output, in order.
        #[test]
        fn han_passes_through(s in "[0-9.%:/\\-a-z 年月日号第个点万亿元一二三你好，。、]{0,40}|\\PC{0,30}") {
            let out = normalize(&s, &ZhOptions::default());
            prop_assert!(is_subsequence(&han(&s), &han(&out)), "{s:?} -> {out:?}");
        }
    }
}
