//! Chinese numbers: cardinal words with 万/亿 grouping and 零, the 两/二 rule
//! (two options: before measure words and at the head of 百/千/万/亿), digit-by-
//! digit readings (with optional 幺), decimals, and `Zh::number`, the
//! recogniser for everything that starts with a digit.  It first offers the
//! position to `contacts` (IPs, phone numbers) and `dates`/`times`, then reads
//! BC/AD years, codes, percentages, fractions (`2/3` → 三分之二), ranges
//! (`3-5年` → 三到五年), 零下 temperatures, years before 年, `90后`, units
//! and measure words (list in `zh_measure_words.tsv`).
//!
//! Hand-written rather than `chinese-number` (which the crate list suggests
//! for integers): that crate converts an already-parsed integer only, never
//! says 两 (2000 → 二千), reads an `f64` as money (96.2 → 九十六二角) and has no
//! digit strings, ranges or fractions; the integer reading is ~100 lines here.

use super::dates::is_year;
use super::units::unit_at;
use super::{
    Liang, NegPercent, Zh, at, data, dig, digit_run, preceded_by, skip_spaces, starts, starts_len,
    to_string, value,
};

pub(super) const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

// ------------------------------------------------------------------ number words

/// How a leading 2 of a section may be read.
#[derive(Clone, Copy)]
pub(super) struct Two {
    qian: bool,
    bai: bool,
}

impl Two {
    pub(super) fn from(l: Liang) -> Two {
        match l {
            Liang::Units => Two { qian: true, bai: true },
            Liang::UnitsExceptHundred => Two { qian: true, bai: false },
            Liang::MeasureOnly => Two { qian: false, bai: false },
        }
    }
}

/// Read a section of 1..=4 digits (no leading zeros).  `first`: this is the
/// first section of the whole number (so 1x reads 十x).  `unit_follows`: the
/// section is followed by 万/亿 (so a lone 2 may be 两).
fn section(d: &[u8], first: bool, two: Two, unit_follows: bool, out: &mut String) {
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    let n = d.len().min(4);
    let d = &d[d.len() - n..];
    let mut pending_zero = false;
    let mut started = false;
    for (k, &b) in d.iter().enumerate() {
        let pos = 4 - n + k; // 0 = 千 .. 3 = ones
        let v = usize::from(b.wrapping_sub(b'0')).min(9);
        if v == 0 {
            if started {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        let head = !started;
        if v == 1 && pos == 2 && head && first {
            // 十, not 一十
        } else if v == 2
            && head
            && ((pos == 0 && two.qian)
                || (pos == 1 && two.bai)
                || (pos == 3 && n == 1 && unit_follows && two.qian))
        {
            out.push('两');
        } else {
            out.push(DIGITS[v]);
        }
        out.push_str(UNITS[pos]);
        started = true;
    }
}

fn strip_zeros(d: &[u8]) -> &[u8] {
    let k = d.iter().take_while(|&&b| b == b'0').count();
    &d[k..]
}

/// Cardinal reading of a digit string (no sign).  `first` as in [`section`].
fn int_words(d: &[u8], first: bool, two: Two, out: &mut String) {
    let d = strip_zeros(d);
    if d.is_empty() {
        out.push('零');
        return;
    }
    int_rec(d, first, two, false, out);
}

fn int_rec(d: &[u8], first: bool, two: Two, unit_follows: bool, out: &mut String) {
    let n = d.len();
    if n > 8 {
        let (hi, lo) = d.split_at(n - 8);
        int_rec(strip_zeros(hi), first, two, true, out);
        out.push('亿');
        let lo_s = strip_zeros(lo);
        if !lo_s.is_empty() {
            if lo_s.len() < 8 {
                out.push('零');
            }
            // after 亿零 a 万-group keeps the short form (一百亿零十万)
            int_rec(lo_s, lo_s.len() > 4 && lo_s.len() < 8, two, unit_follows, out);
        }
    } else if n > 4 {
        let (hi, lo) = d.split_at(n - 4);
        int_rec(strip_zeros(hi), first, two, true, out);
        out.push('万');
        let lo_s = strip_zeros(lo);
        if !lo_s.is_empty() {
            if lo_s.len() < 4 {
                out.push('零');
            }
            section(lo_s, false, two, unit_follows, out);
        }
    } else {
        section(d, first, two, unit_follows, out);
    }
}

/// Digit-by-digit reading (一二三; 幺 for 1 with `yao`).
pub(super) fn digits_words(d: &str, yao: bool, out: &mut String) {
    for b in d.bytes() {
        if b.is_ascii_digit() {
            let v = usize::from(b - b'0');
            if v == 1 && yao {
                out.push('幺');
            } else {
                out.push(DIGITS[v]);
            }
        }
    }
}

// ------------------------------------------------------------------ parsing

#[derive(Debug, Clone)]
pub(super) struct Num {
    pub(super) int: String,
    pub(super) frac: Option<String>,
    pub(super) end: usize,
}

/// Parse `123`, `1,234,567`, `3.50`, `.22` at `i`.
pub(super) fn parse_num(c: &[char], i: usize) -> Option<Num> {
    if at(c, i) == '.' && dig(at(c, i + 1)) {
        let e = digit_run(c, i + 1);
        return Some(Num { int: "0".into(), frac: Some(to_string(c, i + 1, e)), end: e });
    }
    let mut j = digit_run(c, i);
    if j == i {
        return None;
    }
    let mut int = to_string(c, i, j);
    // thousands separators: 1-3 digits then (,ddd)+
    if j - i <= 3 && at(c, j) == ',' {
        let mut k = j;
        let mut grouped = String::new();
        while at(c, k) == ',' && digit_run(c, k + 1) == k + 4 {
            grouped.push_str(&to_string(c, k + 1, k + 4));
            k += 4;
        }
        if !grouped.is_empty() {
            int.push_str(&grouped);
            j = k;
        }
    }
    let mut frac = None;
    if at(c, j) == '.' && dig(at(c, j + 1)) {
        let e = digit_run(c, j + 1);
        frac = Some(to_string(c, j + 1, e));
        j = e;
    }
    Some(Num { int, frac, end: j })
}

/// Does a measure word (before which 2 reads 两) start at `i`?
pub(super) fn measure_at(c: &[char], i: usize) -> bool {
    if starts(c, i, "分之") {
        return false;
    }
    data::ZH_MEASURE_WORDS.iter().any(|w| starts(c, i, w))
}

impl Zh<'_> {
    /// Integer or decimal; `trim` drops trailing decimal zeros; `liang2`: a bare 2 reads 两.
    pub(super) fn say_num(&mut self, n: &Num, trim: bool, liang2: bool) {
        let frac = n.frac.as_deref().map(|f| if trim { f.trim_end_matches('0') } else { f });
        if n.int == "2" && liang2 && frac.is_none_or(|f| f.is_empty()) {
            self.out.push('两');
        } else {
            int_words(n.int.as_bytes(), true, self.two, &mut self.out);
        }
        if let Some(f) = frac
            && !f.is_empty()
        {
            self.out.push('点');
            digits_words(f, false, &mut self.out);
        }
    }

    /// Cardinal with 二 throughout (dates, times, fractions).
    pub(super) fn say_plain(&mut self, d: &str) {
        int_words(d.as_bytes(), true, Two { qian: false, bai: false }, &mut self.out);
    }

    /// Everything that starts with a digit at `i` (or `.5`). `neg`: a minus sign was consumed.
    pub(super) fn number(&mut self, i: usize, neg: bool) -> Option<usize> {
        let c = self.c;
        let p = if neg { self.prev(i.saturating_sub(1)) } else { self.prev(i) };
        // digits glued to Latin letters: M1, HDR10, PM2.5
        if !neg && p.is_ascii_alphabetic() {
            let n = parse_num(c, i)?;
            if n.frac.is_none() && n.int.len() > 4 {
                digits_words(&n.int, false, &mut self.out);
            } else {
                self.say_num(&n, false, false);
            }
            return Some(n.end);
        }
        if !neg && at(c, i) != '.' {
            if let Some(e) = self.ip(i) {
                return Some(e);
            }
            if let Some(e) = self.date(i) {
                return Some(e);
            }
            if let Some(e) = self.dot_event(i) {
                return Some(e);
            }
            if let Some(e) = self.clock(i) {
                return Some(e);
            }
            if let Some(e) = self.dashed_digits(i) {
                return Some(e);
            }
        }
        let n = parse_num(c, i)?;
        self.trim_space_before_number();
        // 2934ad / 1234b.c.
        for (suf, pre) in [("a.d.", "公元"), ("ad", "公元"), ("b.c.", "公元前"), ("bc", "公元前")]
        {
            if !neg
                && n.frac.is_none()
                && starts(c, n.end, suf)
                && !at(c, n.end + starts_len(suf)).is_ascii_alphabetic()
            {
                self.out.push_str(pre);
                digits_words(&n.int, false, &mut self.out);
                self.out.push('年');
                return Some(n.end + starts_len(suf));
            }
        }
        if !neg && self.digits_ctx(i, &n) {
            digits_words(&n.int, self.o.yao, &mut self.out);
            return Some(n.end);
        }
        let sign = |z: &mut Self| {
            if neg {
                z.out.push('负');
            }
        };
        // percent / permille
        if let Some(e) = self.percent(&n, neg) {
            return Some(e);
        }
        // fraction a/b
        {
            let k = skip_spaces(c, n.end);
            if at(c, k) == '/' && n.frac.is_none() {
                let k2 = skip_spaces(c, k + 1);
                if let Some(d) = parse_num(c, k2)
                    && d.frac.is_none()
                    && !dig(at(c, d.end))
                    && at(c, d.end) != '/'
                    && value(&d.int) != 0
                {
                    sign(self);
                    self.say_plain(&d.int);
                    self.out.push_str("分之");
                    self.say_plain(&n.int);
                    return Some(self.skip_space_after(d.end));
                }
            }
        }
        // range a-b, a~b, a—b
        let sep = at(c, n.end);
        if matches!(sep, '-' | '~' | '～' | '—' | '–' | '至' | '到')
            && dig(at(c, n.end + 1))
            && let Some(m) = parse_num(c, n.end + 1)
        {
            {
                let e = m.end;
                let years = (starts(c, e, "年")
                    || (n.frac.is_none() && m.frac.is_none() && sep != '~'))
                    && is_year(&n.int)
                    && is_year(&m.int)
                    && n.frac.is_none()
                    && m.frac.is_none();
                if years {
                    digits_words(&n.int, false, &mut self.out);
                    self.out.push_str(self.range_word());
                    digits_words(&m.int, false, &mut self.out);
                    return Some(e);
                }
                if !matches!(at(c, e), ':' | '-' | '/' | '.') {
                    if matches!(at(c, e), '%' | '‰') {
                        // 3-5% → 百分之三到百分之五
                        let w = if at(c, e) == '%' { "百分之" } else { "千分之" };
                        sign(self);
                        self.out.push_str(w);
                        self.say_num(&n, false, false);
                        self.out.push_str(self.range_word());
                        self.out.push_str(w);
                        self.say_num(&m, false, false);
                        return Some(e + 1);
                    }
                    sign(self);
                    self.say_num(&n, false, self.liang_ctx(e));
                    self.out.push_str(self.range_word());
                    return self.number_tail(&m, false, e);
                }
            }
        }
        if neg {
            // temperature: 零下
            if let Some((_, spoken, _)) = unit_at(c, skip_spaces(c, n.end))
                && spoken.ends_with("氏度")
                && self.o.below_zero_temperature
            {
                self.out.push_str("零下");
            } else {
                self.out.push('负');
            }
        }
        self.number_tail(&n, false, n.end)
    }

    fn liang_ctx(&self, e: usize) -> bool {
        let c = self.c;
        let k = skip_spaces(c, e);
        if let Some((_, spoken, _)) = unit_at(c, k) {
            return spoken != "度" && !spoken.contains("氏度");
        }
        let p = self.prev_nonspace_before_number(e);
        if p == '第' {
            return false;
        }
        measure_at(c, k)
    }

    fn prev_nonspace_before_number(&self, e: usize) -> char {
        // walk back over the number itself
        let c = self.c;
        let mut k = e;
        while k > 0 && (dig(c[k - 1]) || matches!(c[k - 1], '.' | ',')) {
            k -= 1;
        }
        if k > 0 { c[k - 1] } else { '\0' }
    }

    /// Read number `n` whose text ends at `e`, then its unit / year / measure suffix.
    fn number_tail(&mut self, n: &Num, _neg: bool, e: usize) -> Option<usize> {
        let c = self.c;
        let k = skip_spaces(c, e);
        let start = {
            let mut s = e;
            while s > 0 && (dig(c[s - 1]) || matches!(c[s - 1], '.' | ',')) {
                s -= 1;
            }
            s
        };
        let p = if start > 0 { c[start - 1] } else { '\0' };
        let leading_zero = n.int.len() >= 2 && n.int.starts_with('0') && n.frac.is_none();
        // years
        if n.frac.is_none() && at(c, e) == '年' {
            let era = preceded_by(c, start, &["公元", "纪元", "前"], 3);
            let yy_month = n.int.len() == 2 && dig(at(c, e + 1)) && {
                let m = digit_run(c, e + 1);
                at(c, m) == '月'
            };
            if is_year(&n.int) || era || leading_zero || yy_month {
                self.year_pos = Some(self.out.len());
                digits_words(&n.int, false, &mut self.out);
                return Some(e);
            }
        }
        // 90后, 00后
        if n.frac.is_none()
            && n.int.len() == 2
            && n.int.ends_with('0')
            && at(c, e) == '后'
            && p != '年'
        {
            digits_words(&n.int, false, &mut self.out);
            return Some(e);
        }
        if leading_zero {
            // 02月, 08日: drop the zero
            let t = n.int.trim_start_matches('0');
            let t = if t.is_empty() { "0" } else { t };
            self.say_plain(t);
            return Some(e);
        }
        // units
        if let Some((ue, spoken, pre)) = unit_at(c, k) {
            let spaced = k > e;
            let single = ue - k == 1 && at(c, k).is_ascii_alphabetic();
            if !(spaced && single) {
                self.out.push_str(pre);
                let liang = spoken != "度" && !spoken.contains("氏度") && p != '第';
                self.say_num(n, false, liang);
                self.out.push_str(spoken);
                return Some(self.skip_space_after(ue));
            }
        }
        let liang = p != '第' && measure_at(c, k);
        let month_like = matches!(at(c, k), '月' | '日' | '号');
        let money = self.o.trim_money_zeros && data::ZH_MONEY_WORDS.iter().any(|w| starts(c, k, w));
        self.say_num(n, money, liang && !month_like);
        Some(self.skip_space_after(e))
    }

    fn percent(&mut self, n: &Num, neg: bool) -> Option<usize> {
        let c = self.c;
        let k = skip_spaces(c, n.end);
        let w = match at(c, k) {
            '%' => "百分之",
            '‰' => "千分之",
            _ => return None,
        };
        let inside = neg && self.o.negative_percent == NegPercent::Inside;
        if neg && !inside {
            self.out.push('负');
        }
        self.out.push_str(w);
        if inside {
            self.out.push('负');
        }
        self.say_num(n, self.o.trim_money_zeros, false);
        let mut e = k + 1;
        // 3%-5%, 3%～5%
        if matches!(at(c, e), '-' | '~' | '～' | '—' | '–' | '至' | '到')
            && let Some(m) = parse_num(c, e + 1)
            && matches!(at(c, m.end), '%' | '‰')
        {
            self.out.push_str(self.range_word());
            self.out.push_str(if at(c, m.end) == '%' { "百分之" } else { "千分之" });
            self.say_num(&m, self.o.trim_money_zeros, false);
            e = m.end + 1;
        }
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use crate::tts::zh::tests::{case, case_with};
    use crate::tts::zh::{Liang, NegPercent, RangeWord, ZhOptions};

    #[test]
    fn cardinals() {
        for (i, e) in [
            ("0", "零"),
            ("10", "十"),
            ("11", "十一"),
            ("101", "一百零一"),
            ("1011", "一千零一十一"),
            ("10011", "一万零一十一"),
            ("101111", "十万一千一百一十一"),
            ("110111111", "一亿一千零一十一万一千一百一十一"),
            ("10000100000", "一百亿零十万"),
            ("10000000000000", "十万亿"),
            ("1,234,567", "一百二十三万四千五百六十七"),
            ("-11", "负十一"),
            ("共465篇", "共四百六十五篇"),
            ("２０１５年", "二零一五年"),
            ("包含３０００余件", "包含三千余件"),
        ] {
            case(i, e);
        }
    }

    #[test]
    fn liang_er() {
        for (i, e) in [
            ("2", "二"),
            ("2个", "两个"),
            ("2年后", "两年后"),
            ("20年后", "二十年后"),
            ("200", "两百"),
            ("2000", "两千"),
            ("12000", "一万两千"),
            ("20000", "两万"),
            ("2万元", "两万元"),
            ("1234", "一千二百三十四"),
            ("2.5", "二点五"),
            ("第2", "第二"),
            ("第2个", "第二个"),
            ("2月", "二月"),
            ("2两", "二两"),
            ("2分之1", "二分之一"),
            ("12个", "十二个"),
        ] {
            case(i, e);
        }
        let o = ZhOptions { liang: Liang::MeasureOnly, ..ZhOptions::default() };
        case_with(&o, "2000", "二千");
        case_with(&o, "2个", "两个");
        let o = ZhOptions { liang: Liang::UnitsExceptHundred, ..ZhOptions::default() };
        case_with(&o, "210", "二百一十");
        case_with(&o, "2000", "两千");
    }

    #[test]
    fn decimals_and_percent() {
        for (i, e) in [
            ("96.2", "九十六点二"),
            ("3.50", "三点五零"),
            (".22口径", "零点二二口径"),
            ("18%", "百分之十八"),
            ("96.2%", "百分之九十六点二"),
            ("-5%", "负百分之五"),
            ("3%-5%", "百分之三到百分之五"),
            ("5‰", "千分之五"),
            ("3.1个百分点", "三点一个百分点"),
            ("0.70%", "百分之零点七"),
            ("-百分之1", "负百分之一"),
        ] {
            case(i, e);
        }
        let o = ZhOptions { negative_percent: NegPercent::Inside, ..ZhOptions::default() };
        case_with(&o, "-5%", "百分之负五");
    }

    #[test]
    fn fractions_ranges() {
        for (i, e) in [
            ("2/3", "三分之二"),
            ("1 / 2", "二分之一"),
            ("-1/3", "负三分之一"),
            ("1又1/5", "一又五分之一"),
            ("3-5年", "三到五年"),
            ("12~23", "十二到二十三"),
        ] {
            case(i, e);
        }
        let o = ZhOptions { range_word: RangeWord::Zhi, ..ZhOptions::default() };
        case_with(&o, "3-5年", "三至五年");
    }
}
