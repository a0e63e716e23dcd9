//! English text normalisation (TN): written numbers, symbols, dates, times,
//! money, measures, phone numbers, URLs/e-mails, Roman numerals and common
//! abbreviations become the words an English TTS voice should say.
//!
//! This file owns the options, the character helpers shared by the
//! recognisers, and the scanner: [`normalize`] walks the text once and, at each
//! position, `En::step` hands it to the recogniser for what starts there:
//! `numbers` (cardinals, decimals, ordinals, years, decades, fractions,
//! ranges; it also tries the dates, times and contacts below), `money`,
//! `units`, `dates`, `times`, `contacts` (phones, IPs, URLs, e-mail
//! and postal addresses) and `words` (abbreviations, acronyms, initials,
//! Roman numerals).  Math operators and `a/b` slashes between words are read
//! here.  The rule tables (units, currencies, abbreviations, states, …) are
//! data files under `src/tts/data/` (see `super::data`); month names are the
//! crate's one English month table, `crate::ingest::clean::MONTHS`.
//!
//! Hand-written because `num2words` only turns an already-parsed number into
//! words: it cannot find numbers in running text, has no year/decade/time/
//! money/measure/phone/URL readings, and its cardinals use British "and" and
//! omit a leading "zero" before decimals.  Cardinals here are US style by
//! default ("one hundred twenty three"), with an option for "and".  Pure
//! functions, no I/O; every index is bounds-checked so arbitrary UTF-8 input
//! never panics.

mod contacts;
mod dates;
mod money;
mod numbers;
mod times;
mod units;
mod words;

use super::data;
use numbers::{pluralize_last, year};

/// How numeric dates written year-first (ISO) are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// `2016-11-03` → november third twenty sixteen
    #[default]
    MonthDay,
    /// `2016-11-03` → the third of november twenty sixteen
    DayOfMonth,
}

/// Options for [`normalize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnOptions {
    /// British "and" in cardinals (`123` → one hundred and twenty three).  Off:
    /// US style "one hundred twenty three".
    pub hundred_and: bool,
    /// Word for a leading minus: "minus" (default) or "negative".
    pub minus_word: &'static str,
    /// Reading of year-first numeric dates.
    pub iso_date: DateStyle,
}

impl Default for EnOptions {
    fn default() -> Self {
        EnOptions { hundred_and: false, minus_word: "minus", iso_date: DateStyle::MonthDay }
    }
}

fn at(c: &[char], i: usize) -> char {
    c.get(i).copied().unwrap_or('\0')
}
fn dig(ch: char) -> bool {
    ch.is_ascii_digit()
}
fn alnum(ch: char) -> bool {
    ch.is_alphanumeric()
}
fn digit_run(c: &[char], i: usize) -> usize {
    let mut j = i;
    while j < c.len() && dig(c[j]) {
        j += 1;
    }
    j
}
fn alpha_run(c: &[char], i: usize) -> usize {
    let mut j = i;
    while j < c.len() && c[j].is_ascii_alphabetic() {
        j += 1;
    }
    j
}
fn sub(c: &[char], a: usize, b: usize) -> String {
    c.get(a..b).map(|s| s.iter().collect()).unwrap_or_default()
}
fn starts(c: &[char], i: usize, s: &str) -> bool {
    (i..).zip(s.chars()).all(|(k, ch)| at(c, k) == ch && k < c.len())
}
fn starts_ci(c: &[char], i: usize, s: &str) -> bool {
    (i..).zip(s.chars()).all(|(k, ch)| at(c, k).to_ascii_lowercase() == ch && k < c.len())
}
fn clen(s: &str) -> usize {
    s.chars().count()
}
fn skip_sp(c: &[char], mut i: usize) -> usize {
    while at(c, i) == ' ' {
        i += 1;
    }
    i
}
fn value(s: &str) -> u64 {
    s.bytes().fold(0u64, |v, b| {
        v.saturating_mul(10).saturating_add(u64::from(b.wrapping_sub(b'0') % 10))
    })
}

/// The scanner: input characters, options and output so far.  The recognisers
/// in the submodules are its methods, so they can read around a position and
/// write their words straight into `out`.
struct En<'a> {
    c: &'a [char],
    o: &'a EnOptions,
    out: String,
    quotes: usize,
    /// Reading the second number of a range (`1234-123kg`), not a serial part.
    in_range: bool,
}

/// Normalise English text: numbers, symbols and abbreviations become words;
/// everything else is passed through unchanged and in order.
pub(crate) fn normalize(text: &str, opts: &EnOptions) -> String {
    // Full-width digits (English pages scraped from Chinese sites) read as digits.
    let c: Vec<char> = super::zh::fold(text);
    let mut e = En {
        c: &c,
        o: opts,
        out: String::with_capacity(text.len() * 2),
        quotes: 0,
        in_range: false,
    };
    e.run();
    e.out
}

impl En<'_> {
    fn run(&mut self) {
        let mut i = 0;
        while i < self.c.len() {
            let before = self.out.len();
            match self.step(i) {
                Some(e) if e > i => {
                    // keep verbalised numbers apart from following letters/digits (12text, B2A)
                    if self.out.len() > before
                        && self.out.chars().last().is_some_and(alnum)
                        && alnum(at(self.c, e))
                    {
                        self.out.push(' ');
                    }
                    i = e;
                }
                _ => {
                    let ch = self.c[i];
                    if ch == '"' {
                        self.quotes += 1;
                    }
                    self.out.push(ch);
                    i += 1;
                }
            }
        }
    }

    fn prev(&self, i: usize) -> char {
        if i == 0 { '\0' } else { at(self.c, i - 1) }
    }

    /// Push words, adding a space if glued to a preceding letter/digit.
    fn word(&mut self, s: &str) {
        if self.out.chars().last().is_some_and(alnum) && s.chars().next().is_some_and(alnum) {
            self.out.push(' ');
        }
        self.out.push_str(s);
    }

    fn step(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let ch = c[i];
        let p = self.prev(i);
        let boundary = !p.is_ascii_alphanumeric();
        if boundary
            && ch.is_ascii_alphanumeric()
            && let Some(e) = self.electronic(i)
        {
            return Some(e);
        }
        match ch {
            '0'..='9' => self.number(i, false),
            '.' if dig(at(c, i + 1)) && !dig(p) && p != '.' => self.number(i, false),
            '-' | '−'
                if (dig(at(c, i + 1)) || (at(c, i + 1) == '.' && dig(at(c, i + 2))))
                    && (p == '\0' || p == ' ' || p == '(' || p == '=') =>
            {
                let math = self.line_has_eq();
                if math && p != '\0' && p != '(' && p != '=' {
                    self.word("minus");
                    return Some(i + 1);
                }
                self.number(i + 1, true)
            }
            '+' if dig(at(c, i + 1)) && boundary => {
                if let Some(e) = self.phone(i) {
                    return Some(e);
                }
                self.op(i)
            }
            '+' | '=' | '*' | '×' | '-' => self.op(i),
            '\'' if dig(at(c, i + 1))
                && dig(at(c, i + 2))
                && at(c, i + 3) == 's'
                && !alnum(at(c, i + 4)) =>
            {
                // '80s
                let w = pluralize_last(&self.card(&sub(c, i + 1, i + 3)));
                self.word(&w);
                Some(i + 4)
            }
            '\'' if dig(at(c, i + 1)) && dig(at(c, i + 2)) && !alnum(at(c, i + 3)) && !alnum(p) => {
                // fiscal '62
                let w = year(&sub(c, i + 1, i + 3));
                self.word(&w);
                Some(i + 3)
            }
            '½' | '¼' | '¾' | '⅓' | '⅔' => {
                let w = match ch {
                    '½' => "one half",
                    '¼' => "one quarter",
                    '¾' => "three quarters",
                    '⅓' => "one third",
                    _ => "two thirds",
                };
                self.word(w);
                Some(i + 1)
            }
            '(' if dig(at(c, i + 1)) => self.phone(i),
            '%' if !alnum(p) && !alnum(at(c, i + 1)) => {
                self.word("percent");
                Some(i + 1)
            }
            '/' => self.slash(i),
            _ if data::EN_CURRENCY.iter().any(|cu| starts(c, i, cu[0])) => self.money(i),
            _ if ch.is_ascii_alphabetic() && boundary => self.alpha(i),
            _ => None,
        }
    }

    /// `upgrade/update`, `upgrade / update` → slash (but and/or stays).
    fn slash(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut a = i;
        while a > 0 && c[a - 1] == ' ' {
            a -= 1;
        }
        let spaced = a < i;
        let mut ws = a;
        while ws > 0 && c[ws - 1].is_ascii_alphabetic() {
            ws -= 1;
        }
        let b = skip_sp(c, i + 1);
        if spaced != (b > i + 1) {
            return None;
        }
        let be = alpha_run(c, b);
        let left = sub(c, ws, a).to_ascii_lowercase();
        let right = sub(c, b, be).to_ascii_lowercase();
        if left.len() < 2
            || right.len() < 2
            || at(c, be).is_ascii_digit()
            || (left == "and" && right == "or")
        {
            return None;
        }
        let t = self.out.trim_end_matches(' ').len();
        self.out.truncate(t);
        self.out.push_str(" slash ");
        Some(b)
    }

    fn line_has_eq(&self) -> bool {
        self.c.contains(&'=')
    }

    fn op(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let ch = c[i];
        // previous / next non-space characters
        let mut k = i;
        while k > 0 && c[k - 1] == ' ' {
            k -= 1;
        }
        let pv = if k > 0 { c[k - 1] } else { '\0' };
        let nx_i = skip_sp(c, i + 1);
        let nx = at(c, nx_i);
        let w = match ch {
            '+' => "plus",
            '=' => "equals",
            '*' | '×' => "times",
            '-' if self.line_has_eq() => "minus",
            _ => return None,
        };
        let left_ok = pv.is_ascii_alphanumeric() && (ch != '-' || dig(pv));
        let right_ok = nx.is_ascii_alphanumeric() && (ch == '=' || ch == '+' || dig(nx));
        let spaced_or_num = dig(pv) || dig(nx) || ch == '=';
        if !(left_ok && right_ok && spaced_or_num) {
            return None;
        }
        let t = self.out.trim_end_matches(' ').len();
        self.out.truncate(t);
        self.out.push(' ');
        self.out.push_str(w);
        self.out.push(' ');
        Some(nx_i)
    }

    /// Punctuation glued between a number and the next word or number gets a
    /// space after it: `1!hello` → `one! hello`, `(1)Hello` → `(one) Hello`,
    /// `1961–1965` → `nineteen sixty one– nineteen sixty five`. A lone `.` or
    /// `,` before a digit (versions, lists) is left alone.
    fn space_after_punct(&mut self, e: usize) -> usize {
        let c = self.c;
        let mut k = e;
        while matches!(at(c, k), '!' | '?' | '.' | ')' | '…' | ',' | ';' | '–' | '—') {
            k += 1;
        }
        let next = at(c, k);
        let lone = k == e + 1 && matches!(at(c, e), '.' | ',') && dig(next);
        if k == e || lone || !alnum(next) {
            return e;
        }
        self.out.extend(&c[e..k]);
        self.out.push(' ');
        k
    }

    /// A single lower-case letter after a number (`4s`, `80 s`, `3d`) is a
    /// letter name, upper-cased so that voices spell it (`four S`). Words of
    /// one letter (`a`, `I`, `o'clock`), `x` and serials (`W2s`) are left alone.
    fn letter_after(&mut self, e: usize) -> usize {
        let c = self.c;
        let k = if at(c, e) == ' ' { e + 1 } else { e };
        let l = at(c, k);
        if l.is_ascii_lowercase()
            && !matches!(l, 'a' | 'i' | 'o' | 'x')
            && !alnum(at(c, k + 1))
            && !matches!(at(c, k + 1), '\'' | '’' | '-' | '.' | '@' | '/')
        {
            self.out.push(' ');
            self.out.push(l.to_ascii_uppercase());
            return k + 1;
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[track_caller]
    pub(super) fn case(input: &str, expected: &str) {
        assert_eq!(normalize(input, &EnOptions::default()), expected, "input: {input:?}");
    }

    #[track_caller]
    pub(super) fn case_with(opts: &EnOptions, input: &str, expected: &str) {
        assert_eq!(normalize(input, opts), expected, "input: {input:?}");
    }

    #[test]
    fn glued_punctuation_letters_dimensions() {
        for (i, e) in [
            ("!1", "! one"),
            ("wait!1 done", "wait! one done"),
            ("single quote. '4", "single quote. ' four"),
            ("fiscal '62", "fiscal sixty two"),
            ("4s", "four S"),
            ("80 s", "eighty S"),
            ("W2s", "W two s"),
            ("5 o'clock", "five o'clock"),
            ("2 a day", "two a day"),
            ("2x8 m2", "two by eight square meters"),
            ("2x8", "two x eight"),
            ("1!hello", "one! hello"),
            ("(1)Hello", "(one) Hello"),
            ("114...48", "one hundred fourteen... forty eight"),
            ("1961–1965", "nineteen sixty one– nineteen sixty five"),
            ("2.0.1", "two point zero.one"),
            ("1,2", "one, two"),
        ] {
            case(i, e);
        }
    }

    #[test]
    fn slashes_and_empty() {
        for (i, e) in [("upgrade/update", "upgrade slash update"), ("and/or", "and/or"), ("", "")] {
            case(i, e);
        }
    }

    fn letters(s: &str) -> Vec<char> {
        s.chars().filter(|ch| ch.is_alphabetic() && !ch.is_ascii()).collect()
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = normalize(&s, &EnOptions::default());
        }

        #[test]
        fn never_panics_numeric(s in "[0-9.,:/\\-+=()%$€£¥'\"a-zA-Z@ IVX]{0,40}") {
            let _ = normalize(&s, &EnOptions::default());
            let o = EnOptions { hundred_and: true, minus_word: "negative", iso_date: DateStyle::DayOfMonth };
            let _ = normalize(&s, &o);
        }

        /// Non-ASCII letters (CJK, accented words) pass through in order.
        #[test]
        fn letters_pass_through(s in "[0-9 .a-z中国éü]{0,40}|\\PC{0,30}") {
            let out = normalize(&s, &EnOptions::default());
            let (a, b) = (letters(&s), letters(&out));
            let mut it = b.iter();
            prop_assert!(a.iter().all(|x| it.any(|y| y == x)), "{s:?} -> {out:?}");
        }
    }
}
