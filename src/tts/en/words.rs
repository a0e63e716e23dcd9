//! English words that are not read as written: abbreviations (`Dr.` →
//! doctor), weekday abbreviations (`Mon.-Fri.`), `No. 10` → number ten, dotted
//! acronyms (`U.S.` → US), initials (`C. S. Lewis`), Roman numerals after a
//! keyword or a name (`Chapter IV` → four, `Henry VIII` → Henry eighth), state
//! codes after `City, ` and lower-case acronyms (`dna` → DNA).  A letter run
//! that starts a month date is handed to `dates`.  The word lists are data
//! (`en_abbrev.tsv`, `en_weekdays.tsv`, `en_states.tsv`, `en_acronyms.tsv`,
//! `en_roman_keywords.tsv`).
//!
//! Hand-written: which abbreviation or numeral reading applies depends on the
//! neighbouring words, which no crate decides.

use super::numbers::{cardinal, ordinalize};
use super::{En, alpha_run, at, clen, data, dig, starts, sub};

impl En<'_> {
    /// A run of ASCII letters at a word boundary.
    pub(super) fn alpha(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let e = alpha_run(c, i);
        let w = sub(c, i, e);
        // month dates: July 1, March 12, 2026
        if let Some(r) = self.month_date(i) {
            return Some(r);
        }
        for &[a, full] in data::EN_WEEKDAYS.iter() {
            if starts(c, i, a) {
                let e2 = i + clen(a);
                self.word(full);
                if at(c, e2) == '-' && data::EN_WEEKDAYS.iter().any(|[b, _]| starts(c, e2 + 1, b)) {
                    self.out.push_str(" to");
                    return Some(e2 + 1);
                }
                return Some(e2);
            }
        }
        for &[a, full] in data::EN_ABBREV.iter() {
            if starts(c, i, a) {
                let e2 = i + clen(a);
                let nx = at(c, e2);
                if nx == ' ' || nx == '\0' || nx == ',' {
                    self.word(full);
                    return Some(e2);
                }
            }
        }
        // No. 10 → number ten
        if (w == "No" || w == "no") && at(c, e) == '.' && at(c, e + 1) == ' ' && dig(at(c, e + 2)) {
            self.word("number");
            return Some(e + 1);
        }
        // dotted acronyms: U.S., Ph.D., U.S.A.
        if let Some(r) = self.dotted(i) {
            return Some(r);
        }
        // C. S. Lewis
        if w.len() == 1
            && at(c, e) == '.'
            && at(c, e + 1) == ' '
            && w.chars().all(|x| x.is_ascii_uppercase())
        {
            let mut k = i;
            let mut letters = String::new();
            while at(c, k).is_ascii_uppercase()
                && !at(c, k + 1).is_ascii_alphabetic()
                && at(c, k + 1) == '.'
                && at(c, k + 2) == ' '
            {
                letters.push(at(c, k));
                k += 3;
            }
            if letters.len() >= 2
                && at(c, k).is_ascii_uppercase()
                && at(c, k + 1).is_ascii_lowercase()
            {
                self.word(&letters);
                self.out.push(' ');
                return Some(k);
            }
        }
        // Roman numerals
        if let Some(r) = self.roman(i, e, &w) {
            return Some(r);
        }
        // state codes after "City, "
        if w.len() == 2
            && i >= 2
            && c[i - 1] == ' '
            && c[i - 2] == ','
            && !at(c, e).is_ascii_alphanumeric()
            && let Some([_, name]) = data::EN_STATES.iter().find(|[a, _]| *a == w)
        {
            self.word(name);
            return Some(e);
        }
        let lw = w.to_ascii_lowercase();
        if w == lw && data::EN_ACRONYMS.contains(&lw.as_str()) {
            self.word(&w.to_ascii_uppercase());
            return Some(e);
        }
        // 1H23 / 3Q22 handled in number; plain word
        self.word(&w);
        Some(e)
    }

    fn dotted(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut k = i;
        let mut letters = String::new();
        let mut parts = 0;
        loop {
            let e = alpha_run(c, k);
            if e == k || e - k > 2 || at(c, e) != '.' {
                break;
            }
            letters.push_str(&sub(c, k, e));
            parts += 1;
            k = e + 1;
            if !at(c, k).is_ascii_alphabetic() {
                break;
            }
        }
        // allow final letter without dot (e.s.t)
        if parts >= 1 && at(c, k).is_ascii_alphabetic() {
            let e = alpha_run(c, k);
            if e - k == 1 {
                letters.push_str(&sub(c, k, e));
                parts += 1;
                k = e;
            }
        }
        if parts < 2 || letters.chars().next().is_some_and(|x| x.is_ascii_lowercase()) && parts < 3
        {
            return None;
        }
        if at(c, k).is_ascii_alphanumeric() {
            return None;
        }
        self.word(&letters.to_ascii_uppercase());
        Some(k)
    }

    fn roman(&mut self, i: usize, e: usize, w: &str) -> Option<usize> {
        let c = self.c;
        if !w.chars().all(|x| "IVXLCDM".contains(x)) || at(c, e).is_ascii_alphanumeric() {
            return None;
        }
        let v = roman_value(w)?;
        // previous word
        let mut k = i;
        while k > 0 && c[k - 1] == ' ' {
            k -= 1;
        }
        let pe = k;
        while k > 0 && (c[k - 1].is_ascii_alphabetic() || c[k - 1] == '.') {
            k -= 1;
        }
        let prev_word = sub(c, k, pe);
        let pl = prev_word.to_ascii_lowercase();
        let line_alone = self.out.trim().is_empty() && !c[e..].iter().any(|x| x.is_alphanumeric());
        if data::EN_ROMAN_KEYWORDS.contains(&pl.as_str()) || (line_alone && w.len() >= 2) {
            self.word(&cardinal(&v.to_string(), false));
            return Some(e);
        }
        let name = prev_word.chars().next().is_some_and(|x| x.is_ascii_uppercase())
            && prev_word.chars().skip(1).all(|x| x.is_ascii_lowercase())
            && prev_word.len() > 1
            && pe == i.saturating_sub(1);
        if name && w.len() >= 2 && w.chars().all(|x| "IVX".contains(x)) {
            self.word(&ordinalize(&cardinal(&v.to_string(), false)));
            return Some(e);
        }
        None
    }
}

fn roman_value(s: &str) -> Option<u64> {
    let val = |ch: char| match ch {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let v: Vec<i64> = s.chars().map(val).collect::<Option<Vec<_>>>()?;
    let mut total = 0i64;
    for (k, &x) in v.iter().enumerate() {
        if v.get(k + 1).is_some_and(|&n| n > x) {
            total -= x;
        } else {
            total += x;
        }
    }
    let total = u64::try_from(total).ok()?;
    // canonical check
    (to_roman(total) == s).then_some(total)
}

fn to_roman(mut n: u64) -> String {
    const T: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    if n > 4000 {
        return s;
    }
    for (v, r) in T {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use crate::tts::en::tests::case;

    #[test]
    fn abbreviations_roman() {
        for (i, e) in [
            ("Dr. Evil", "doctor Evil"),
            ("Mr. Smith", "mister Smith"),
            ("No. 10", "number ten"),
            ("the U.S. economy", "the US economy"),
            ("World War II", "World War two"),
            ("Chapter IV", "Chapter four"),
            ("Sam and I", "Sam and I"),
            ("May I come in?", "May I come in?"),
        ] {
            case(i, e);
        }
    }
}
