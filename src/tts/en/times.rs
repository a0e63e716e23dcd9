//! English clock times: `9:45`, `9:05` (nine oh five), `2:00` (two o'clock),
//! `2 a.m.`, `1:59 p.m. est`, `1:01:01` (hours, minutes and seconds) and time
//! ranges (`5pm-7 pm` → five PM to seven PM).  The am/pm markers and time
//! zones are data (`en_ampm.tsv`, `en_timezones.tsv`).
//!
//! Hand-written: no crate reads clock times out of running text.

use super::numbers::{ONES, cardinal};
use super::{
    En, alpha_run, at, clen, data, dig, digit_run, skip_sp, starts, starts_ci, sub, value,
};

impl En<'_> {
    fn ampm(&self, k: usize) -> Option<(usize, &'static str)> {
        let c = self.c;
        let k = skip_sp(c, k);
        for &[w, s] in data::EN_AMPM.iter() {
            if starts(c, k, w) && (w.ends_with('.') || !at(c, k + clen(w)).is_ascii_alphabetic()) {
                return Some((k + clen(w), s));
            }
        }
        None
    }

    fn timezone(&self, k: usize) -> Option<(usize, String)> {
        let c = self.c;
        let k0 = skip_sp(c, k);
        for z in ["e.s.t", "p.s.t", "c.s.t", "m.s.t"] {
            if starts_ci(c, k0, z) {
                let e = k0 + clen(z);
                let e = if at(c, e) == '.' { e + 1 } else { e };
                return Some((e, z.replace('.', "").to_ascii_uppercase()));
            }
        }
        let e = alpha_run(c, k0);
        let w = sub(c, k0, e).to_ascii_lowercase();
        if data::EN_TIMEZONES.contains(&w.as_str()) {
            return Some((e, w.to_ascii_uppercase()));
        }
        None
    }

    pub(super) fn time(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let he = digit_run(c, i);
        if he - i > 2 {
            return None;
        }
        let h = value(&sub(c, i, he));
        let sep = at(c, he);
        let (m, s, mut e) = if (sep == ':' || sep == '.') && digit_run(c, he + 1) == he + 3 {
            let m = value(&sub(c, he + 1, he + 3));
            if at(c, he + 3) == ':' && digit_run(c, he + 4) == he + 6 {
                (Some(m), Some(value(&sub(c, he + 4, he + 6))), he + 6)
            } else {
                (Some(m), None, he + 3)
            }
        } else {
            (None, None, he)
        };
        if dig(at(c, e)) {
            return None;
        }
        let ap = self.ampm(e);
        if sep == '.' && ap.is_none() {
            return None;
        }
        if m.is_none() && ap.is_none() {
            return None;
        }
        if h > 24 || m.is_some_and(|m| m > 59) || s.is_some_and(|s| s > 59) {
            return None;
        }
        let hw = cardinal(&h.to_string(), false);
        let mut words = String::new();
        if let Some(s) = s {
            let m = m.unwrap_or(0);
            let pl = |n: u64, one: &str, many: &str| {
                format!("{} {}", cardinal(&n.to_string(), false), if n == 1 { one } else { many })
            };
            words = format!(
                "{} {} and {}",
                pl(h, "hour", "hours"),
                pl(m, "minute", "minutes"),
                pl(s, "second", "seconds")
            );
        } else {
            words.push_str(&hw);
            match m {
                Some(0) if ap.is_none() => words.push_str(" o'clock"),
                Some(0) | None => {}
                Some(m) if m < 10 => {
                    words.push_str(" oh ");
                    words.push_str(ONES[m as usize]);
                }
                Some(m) => {
                    words.push(' ');
                    words.push_str(&cardinal(&m.to_string(), false));
                }
            }
        }
        if let Some((ae, a)) = ap {
            words.push(' ');
            words.push_str(a);
            e = ae;
        }
        if let Some((ze, z)) = self.timezone(e)
            && (ap.is_some() || ze == e)
        {
            words.push(' ');
            words.push_str(&z);
            e = ze;
        }
        self.word(&words);
        // ranges: 2pm-5pm, 4:00 am - 8:12 pm
        let k = skip_sp(c, e);
        if at(c, k) == '-' && dig(at(c, skip_sp(c, k + 1))) {
            let save = self.out.len();
            self.out.push_str(" to");
            if let Some(e2) = self.time(skip_sp(c, k + 1)) {
                return Some(e2);
            }
            self.out.truncate(save);
        }
        if at(c, e) == ',' && dig(at(c, e + 1)) {
            self.out.push_str(", ");
            return Some(e + 1);
        }
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use crate::tts::en::tests::case;

    #[test]
    fn times() {
        for (i, e) in [
            ("9:45", "nine forty five"),
            ("9:05", "nine oh five"),
            ("2:00", "two o'clock"),
            ("2 a.m.", "two AM"),
            ("1:59 p.m. est", "one fifty nine PM EST"),
            ("5pm-7 pm", "five PM to seven PM"),
            ("1:01:01", "one hour one minute and one second"),
        ] {
            case(i, e);
        }
    }
}
