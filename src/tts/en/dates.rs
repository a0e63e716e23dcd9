//! English calendar dates: month-name dates (`July 1`, `March 12, 2026`,
//! `july 1506`), numeric dates (`2016-11-03`, `10/06/2005`, `15.01.2020`, read
//! month-first or, when the first part cannot be a month, day-first) and
//! day-month dates (`25 july 2012`, `26th May`).  Month names come from the
//! crate's one English month table, `crate::ingest::clean::MONTHS`.
//!
//! Hand-written: no date crate reads a date out of running text and says it
//! the way a voice should ("november third twenty sixteen").

use super::numbers::{cardinal, ordinalize, year};
use super::{DateStyle, En, alnum, alpha_run, at, dig, digit_run, starts, starts_ci, sub, value};
use crate::ingest::clean::MONTHS;

/// A full or abbreviated month name (optionally with '.') at `i`.
fn month_at(c: &[char], i: usize) -> Option<(usize, usize)> {
    // returns (month index, end)
    if i > 0 && c[i - 1].is_ascii_alphabetic() {
        return None;
    }
    let e = alpha_run(c, i);
    if e - i < 3 {
        return None;
    }
    let w: String = sub(c, i, e).to_ascii_lowercase();
    for (k, m) in MONTHS.iter().enumerate() {
        let ok = w == *m || (w.len() >= 3 && m.starts_with(&w) && (w.len() == 3 || w == "sept"));
        if ok {
            let e2 = if at(c, e) == '.' && w != *m { e + 1 } else { e };
            return Some((k, e2));
        }
    }
    None
}

impl En<'_> {
    pub(super) fn month_date(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let (m, me) = month_at(c, i)?;
        let sep = at(c, me);
        if !(sep == ' ' || sep == '-') {
            return None;
        }
        let ds = me + 1;
        let de = digit_run(c, ds);
        if de == ds || de - ds > 4 {
            return None;
        }
        let dstr = sub(c, ds, de);
        let mut e = de;
        // july 1506 → month + year
        if de - ds == 4 {
            if alnum(at(c, de)) {
                return None;
            }
            self.word(MONTHS[m]);
            self.word(&year(&dstr));
            return Some(de);
        }
        let dv = value(&dstr);
        if !(1..=31).contains(&dv) {
            return None;
        }
        for suf in ["st", "nd", "rd", "th", "ST", "ND", "RD", "TH"] {
            if starts(c, e, suf) {
                e += 2;
                break;
            }
        }
        if at(c, e).is_ascii_alphanumeric()
            || at(c, e) == ':'
            || (at(c, e) == '.' && dig(at(c, e + 1)))
        {
            return None;
        }
        self.word(MONTHS[m]);
        self.word(&ordinalize(&cardinal(&dstr, false)));
        // year
        let (comma, ys) = if at(c, e) == ',' && at(c, e + 1) == ' ' {
            (true, e + 2)
        } else if at(c, e) == ' ' || at(c, e) == '-' {
            (false, e + 1)
        } else {
            return Some(e);
        };
        let ye = digit_run(c, ys);
        if ye - ys == 4 && !alnum(at(c, ye)) {
            if comma {
                self.out.push_str(", ");
            }
            self.word(&year(&sub(c, ys, ye)));
            return Some(ye);
        }
        Some(e)
    }

    fn say_date(&mut self, m: u64, d: u64, y: Option<String>, day_first: bool) {
        let mi = (m.clamp(1, 12) - 1) as usize;
        let ds = ordinalize(&cardinal(&d.to_string(), false));
        let prev_the = self.out.trim_end().to_ascii_lowercase().ends_with(" the")
            || self.out.trim_end().eq_ignore_ascii_case("the");
        if day_first {
            if !prev_the {
                self.word("the");
            }
            self.word(&ds);
            self.word("of");
            self.word(MONTHS[mi]);
        } else {
            self.word(MONTHS[mi]);
            self.word(&ds);
        }
        if let Some(y) = y {
            self.word(&year(&y));
        }
    }

    pub(super) fn numeric_date(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let g = |k: usize| {
            let e = digit_run(c, k);
            (sub(c, k, e), e)
        };
        let (a, e1) = g(i);
        let sep = at(c, e1);
        if !matches!(sep, '-' | '/' | '.') || !dig(at(c, e1 + 1)) {
            return None;
        }
        let (b, e2) = g(e1 + 1);
        if at(c, e2) != sep || !dig(at(c, e2 + 1)) {
            return None;
        }
        let (y, e3) = g(e2 + 1);
        if alnum(at(c, e3)) || (matches!(at(c, e3), '-' | '/' | '.') && dig(at(c, e3 + 1))) {
            return None;
        }
        let (av, bv, yv) = (value(&a), value(&b), value(&y));
        if a.len() == 4
            && b.len() <= 2
            && y.len() <= 2
            && (1..=12).contains(&bv)
            && (1..=31).contains(&yv)
        {
            let df = self.o.iso_date == DateStyle::DayOfMonth;
            self.say_date(bv, yv, Some(a), df);
            return Some(e3);
        }
        if a.len() <= 2 && b.len() <= 2 && (y.len() == 4 || y.len() == 2) {
            if (1..=12).contains(&av) && (1..=31).contains(&bv) {
                self.say_date(av, bv, Some(y), false);
                return Some(e3);
            }
            if (1..=12).contains(&bv) && (13..=31).contains(&av) {
                self.say_date(bv, av, Some(y), true);
                return Some(e3);
            }
        }
        None
    }

    /// `25 july 2012`, `26th May`
    pub(super) fn day_month(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let de = digit_run(c, i);
        if de - i > 2 {
            return None;
        }
        let dv = value(&sub(c, i, de));
        if !(1..=31).contains(&dv) {
            return None;
        }
        let mut e = de;
        for suf in ["st", "nd", "rd", "th"] {
            if starts_ci(c, e, suf) {
                e += 2;
                break;
            }
        }
        if at(c, e) != ' ' {
            return None;
        }
        let (m, me) = month_at(c, e + 1)?;
        if at(c, me).is_ascii_alphanumeric() {
            return None;
        }
        let mut end = me;
        let mut y = None;
        let mut comma = false;
        let ys = if at(c, me) == ',' && at(c, me + 1) == ' ' {
            comma = true;
            me + 2
        } else {
            me + 1
        };
        if matches!(at(c, me), ' ' | ',') {
            let ye = digit_run(c, ys);
            if ye - ys == 4 && !alnum(at(c, ye)) {
                y = Some(sub(c, ys, ye));
                end = ye;
            } else {
                comma = false;
            }
        }
        if y.is_none() {
            comma = false;
        }
        self.say_date(m as u64 + 1, dv, None, true);
        if let Some(y) = y {
            if comma {
                self.out.push_str(", ");
            }
            self.word(&year(&y));
        }
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use crate::tts::en::tests::{case, case_with};
    use crate::tts::en::{DateStyle, EnOptions};

    #[test]
    fn dates() {
        for (i, e) in [
            ("July 1", "july first"),
            ("March 12, 2026", "march twelfth, twenty twenty six"),
            ("2016-11-03", "november third twenty sixteen"),
            ("10/06/2005", "october sixth two thousand five"),
            ("15.01.2020", "the fifteenth of january twenty twenty"),
            ("25 july 2012", "the twenty fifth of july twenty twelve"),
            ("on the 26th May", "on the twenty sixth of may"),
        ] {
            case(i, e);
        }
        let o = EnOptions { iso_date: DateStyle::DayOfMonth, ..EnOptions::default() };
        case_with(&o, "2012-01-05", "the fifth of january twenty twelve");
    }
}
