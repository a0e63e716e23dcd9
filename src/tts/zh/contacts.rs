//! Digit strings in Chinese text that are read digit by digit: phone
//! numbers, hotlines and codes found by context (words before or after them,
//! listed in `zh_digit_context.tsv`; mobile numbers; a leading zero; quoted
//! slogans), dashed numbers (`010-64035547`, `400-810-8888`) and IP addresses
//! (`127.0.0.1` → 一二七点零点零点一).  `+86 …` numbers are read in `Zh::step`.
//!
//! Hand-written: deciding that a number is a code is a matter of context.

use super::numbers::{Num, digits_words};
use super::{Zh, at, data, dig, digit_run, preceded_by, starts, to_string};

impl Zh<'_> {
    /// Is the number `n` at `i` a code to read digit by digit?
    pub(super) fn digits_ctx(&self, i: usize, n: &Num) -> bool {
        let c = self.c;
        if n.frac.is_some() {
            return false;
        }
        let len = n.int.len();
        let after = at(c, n.end);
        if len >= 3 && preceded_by(c, i, &data::ZH_DIGIT_BEFORE, 6) {
            return true;
        }
        if len == 11
            && n.int.starts_with('1')
            && matches!(n.int.as_bytes().get(1), Some(b'3'..=b'9'))
        {
            return true;
        }
        if len >= 3 && n.int.starts_with('0') && n.end - i == len {
            return true;
        }
        if len >= 3 && data::ZH_DIGIT_AFTER.iter().any(|w| starts(c, n.end, w)) {
            return true;
        }
        if len >= 3
            && (after == '号' || (matches!(after, '”' | '"' | '」') && at(c, n.end + 1) == '号'))
        {
            return true;
        }
        if len > 16 && n.end - i == len {
            return true;
        }
        // slogans and codes quoted on their own: “334”, “3815”
        if len >= 3
            && n.end - i == len
            && matches!(self.prev(i), '“' | '"' | '「')
            && matches!(after, '”' | '"' | '」')
        {
            return true;
        }
        false
    }

    pub(super) fn ip(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut k = i;
        let mut parts = Vec::new();
        for n in 0..4 {
            let e = digit_run(c, k);
            if e == k || e - k > 3 {
                return None;
            }
            parts.push(to_string(c, k, e));
            k = e;
            if n < 3 {
                if at(c, k) != '.' {
                    return None;
                }
                k += 1;
            }
        }
        if dig(at(c, k)) || (at(c, k) == '.' && dig(at(c, k + 1))) {
            return None;
        }
        for (n, p) in parts.iter().enumerate() {
            if n > 0 {
                self.out.push('点');
            }
            digits_words(p, false, &mut self.out);
        }
        Some(k)
    }

    /// `010-64035547`, `400-810-8888`: groups of digits joined by '-' read digit by digit.
    pub(super) fn dashed_digits(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut k = i;
        let mut groups = Vec::new();
        loop {
            let e = digit_run(c, k);
            if e == k {
                return None;
            }
            groups.push(to_string(c, k, e));
            if at(c, e) == '-' && dig(at(c, e + 1)) {
                k = e + 1;
            } else {
                k = e;
                break;
            }
        }
        if groups.len() < 2 || at(c, k) == '.' {
            return None;
        }
        let total: usize = groups.iter().map(String::len).sum();
        let phone = (groups[0].starts_with('0') && total >= 7) || (groups.len() >= 3 && total >= 9);
        if !phone {
            return None;
        }
        self.trim_space_before_number();
        for g in &groups {
            digits_words(g, self.o.yao, &mut self.out);
        }
        Some(k)
    }
}

#[cfg(test)]
mod tests {
    use crate::tts::zh::ZhOptions;
    use crate::tts::zh::tests::{case, case_with};

    #[test]
    fn digit_strings() {
        for (i, e) in [
            ("12345热线", "一二三四五热线"),
            ("拨打110", "拨打一一零"),
            ("手机13501234567", "手机一三五零一二三四五六七"),
            ("010-64035547", "零一零六四零三五五四七"),
            ("+86 18544139121", "八六一八五四四一三九一二一"),
            ("127.0.0.1", "一二七点零点零点一"),
            ("编号27149", "编号二七一四九"),
            ("“3815”战略", "“三八一五”战略"),
            ("江川“4·11”火灾", "江川“四一一”火灾"),
        ] {
            case(i, e);
        }
        let o = ZhOptions { yao: true, ..ZhOptions::default() };
        case_with(&o, "尾号1702", "尾号幺七零二");
    }
}
