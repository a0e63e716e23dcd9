//! Chinese dates: `2025-10-29`, `2025/10/29`, `2025.10.29` (also
//! month-day-year and day-month-year orders), `2008-08`, `08/2008`, `08-08`
//! → 二零二五年十月二十九日 etc., and event names written month·day (`4·11` →
//! 四一一).  Years before 年 are read in `numbers`.
//!
//! Hand-written: no crate reads dates out of Chinese running text.

use super::numbers::{digits_words, measure_at};
use super::units::unit_at;
use super::{Zh, at, dig, digit_run, to_string, value};

/// Four digits starting with 1 or 2.
pub(super) fn is_year(d: &str) -> bool {
    d.len() == 4 && (d.starts_with('1') || d.starts_with('2'))
}

fn month_ok(d: &str) -> bool {
    !d.is_empty() && d.len() <= 2 && (1..=12).contains(&value(d))
}

fn day_ok(d: &str) -> bool {
    !d.is_empty() && d.len() <= 2 && (1..=31).contains(&value(d))
}

impl Zh<'_> {
    /// `4·11`, `1·22` (event names: month·day) read digit by digit.
    pub(super) fn dot_event(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let e1 = digit_run(c, i);
        if at(c, e1) != '·' {
            return None;
        }
        let e2 = digit_run(c, e1 + 1);
        if e2 == e1 + 1
            || at(c, e2) == '·'
            || !month_ok(&to_string(c, i, e1))
            || !day_ok(&to_string(c, e1 + 1, e2))
        {
            return None;
        }
        digits_words(&to_string(c, i, e1), false, &mut self.out);
        digits_words(&to_string(c, e1 + 1, e2), false, &mut self.out);
        Some(e2)
    }

    fn say_ymd(&mut self, y: Option<&str>, m: &str, d: Option<&str>) {
        if let Some(y) = y {
            self.year_pos = Some(self.out.len());
            digits_words(y, false, &mut self.out);
            self.out.push('年');
        }
        self.say_plain(m.trim_start_matches('0'));
        self.out.push('月');
        if let Some(d) = d {
            self.say_plain(d.trim_start_matches('0'));
            self.out.push('日');
        }
    }

    /// Numeric dates with `-`, `/`, `.` or `·` between the parts.
    pub(super) fn date(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let g = |k: usize| {
            let e = digit_run(c, k);
            (to_string(c, k, e), e)
        };
        let (a, e1) = g(i);
        let sep = at(c, e1);
        if !matches!(sep, '-' | '/' | '.' | '·') || !dig(at(c, e1 + 1)) {
            return None;
        }
        let (b, e2) = g(e1 + 1);
        let has3 = at(c, e2) == sep && dig(at(c, e2 + 1));
        let (cc, e3) = if has3 { g(e2 + 1) } else { (String::new(), e2) };
        let end_ok = |e: usize| {
            !(dig(at(c, e)) || matches!(at(c, e), '-' | '/' | '.' | ':') && dig(at(c, e + 1)))
        };
        self.trim_space_before_number();
        if has3 && end_ok(e3) {
            if is_year(&a) && month_ok(&b) && day_ok(&cc) {
                self.say_ymd(Some(&a), &b, Some(&cc));
                return Some(e3);
            }
            if is_year(&cc) && month_ok(&a) && day_ok(&b) {
                self.say_ymd(Some(&cc), &a, Some(&b));
                return Some(e3);
            }
            if is_year(&cc) && day_ok(&a) && month_ok(&b) {
                self.say_ymd(Some(&cc), &b, Some(&a));
                return Some(e3);
            }
            return None;
        }
        if has3 || !end_ok(e2) {
            return None;
        }
        // 2008-08, 2008.08 (two-digit month after '.')
        if is_year(&a)
            && month_ok(&b)
            && (sep != '.' || b.len() == 2)
            && !matches!(at(c, e2), '%' | '年')
        {
            let unit_after = unit_at(c, e2).is_some() || measure_at(c, e2);
            if !(sep == '.' && unit_after || sep == '-' && b.len() == 1 && at(c, e2) == '月') {
                self.say_ymd(Some(&a), &b, None);
                return Some(e2);
            }
        }
        // 08-2008
        if is_year(&b) && month_ok(&a) && a.len() == 2 && !matches!(at(c, e2), '年') {
            self.say_ymd(Some(&b), &a, None);
            return Some(e2);
        }
        // 08-08, 08/08, 08.08
        if a.len() == 2 && b.len() == 2 && a.starts_with('0') && month_ok(&a) && day_ok(&b) {
            self.say_ymd(None, &a, Some(&b));
            return Some(e2);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::tts::zh::tests::case;

    #[test]
    fn years_and_dates() {
        for (i, e) in [
            ("2025年", "二零二五年"),
            ("2021—2025年", "二零二一到二零二五年"),
            ("05年", "零五年"),
            ("86年8月", "八六年八月"),
            ("90后", "九零后"),
            ("2025-10-29", "二零二五年十月二十九日"),
            ("2025/10/29", "二零二五年十月二十九日"),
            ("2025.10.29", "二零二五年十月二十九日"),
            ("2025年10月29日", "二零二五年十月二十九日"),
            ("03月", "三月"),
            ("2008-08", "二零零八年八月"),
            ("08/2008", "二零零八年八月"),
            ("08-08", "八月八日"),
            ("去年4月", "去年四月"),
            ("2334bc", "公元前二三三四年"),
            ("1823年3月bc", "公元前一八二三年三月"),
        ] {
            case(i, e);
        }
    }
}
