//! English money: an amount after a currency sign (`$20.50` → twenty dollars
//! fifty cents, `£1.20` → one pound twenty pence, `$1.2 billion`, `¥30b`,
//! `$20/mo` → per month, `$250-$300` → … to …).  Currency signs and scale
//! words are data (`en_currency.tsv`, `en_money_scales.tsv`).
//!
//! Hand-written rather than `num2words`' currency reading: that needs the
//! amount already parsed and knows neither scale suffixes nor `/mo`.

use super::numbers::{cardinal, parse_num};
use super::{En, at, clen, data, skip_sp, starts, value};

impl En<'_> {
    pub(super) fn money(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let &[sym, one, many, cent1, cents] =
            data::EN_CURRENCY.iter().find(|cu| starts(c, i, cu[0]))?;
        let k = i + clen(sym);
        let n = parse_num(c, k);
        let Some(n) = n else {
            // bare symbol
            if sym == "$" {
                self.word("dollar");
                return Some(k);
            }
            return None;
        };
        let mut e = n.end;
        // scale word
        let mut scale = None;
        let ks = skip_sp(c, e);
        for &[w, s] in data::EN_MONEY_SCALES.iter() {
            if starts(c, ks, w) && !at(c, ks + clen(w)).is_ascii_alphanumeric() {
                let long = w.len() > 2;
                if long || ks == e || w.len() == 1 {
                    scale = Some(s);
                    e = ks + clen(w);
                    break;
                }
            }
        }
        let frac = n.frac.as_deref().map(|f| f.trim_end_matches('0')).unwrap_or("");
        let int_zero = n.int.is_empty() || value(&n.int) == 0;
        let mut words;
        if let Some(s) = scale {
            words = self.num_words_and(&n, false);
            words.push(' ');
            words.push_str(s);
            words.push(' ');
            words.push_str(many);
        } else if frac.len() <= 2 && !cent1.is_empty() {
            let cv = if frac.is_empty() { 0 } else { value(&format!("{frac:0<2}")) };
            words = String::new();
            if !int_zero || cv == 0 {
                let iv = if n.int.is_empty() { "0" } else { &n.int };
                words.push_str(&self.card(iv));
                words.push(' ');
                words.push_str(if value(iv) == 1 { one } else { many });
            }
            if cv > 0 {
                if !words.is_empty() {
                    words.push(' ');
                }
                words.push_str(&cardinal(&cv.to_string(), false));
                words.push(' ');
                words.push_str(if cv == 1 { cent1 } else { cents });
            }
        } else {
            words = self.num_words(&n);
            words.push(' ');
            words.push_str(if n.frac.is_none() && value(&n.int) == 1 { one } else { many });
        }
        if let Some((pe, per)) = self.per_at(e) {
            words.push_str(" per ");
            words.push_str(per);
            e = pe;
        }
        self.word(&words);
        // range $50-$100
        if at(c, e) == '-' && data::EN_CURRENCY.iter().any(|cu| starts(c, e + 1, cu[0])) {
            self.out.push_str(" to");
            return self.money(e + 1);
        }
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use crate::tts::en::tests::case;

    #[test]
    fn money() {
        for (i, e) in [
            ("$1.2 billion", "one point two billion dollars"),
            ("€20", "twenty euros"),
            ("£1.20", "one pound twenty pence"),
            ("$20.50", "twenty dollars fifty cents"),
            ("$0.02", "two cents"),
            ("$1", "one dollar"),
            ("¥30b", "thirty billion yen"),
            ("$20/mo", "twenty dollars per month"),
            ("$250-$300", "two hundred fifty dollars to three hundred dollars"),
        ] {
            case(i, e);
        }
    }
}
