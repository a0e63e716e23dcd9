//! Latin letters in Chinese text: currency signs and codes before an amount
//! (`HK$20`, `USD 5`; list in `zh_currency.tsv`), `bc`/`ad` after a date
//! (`1823年3月bc` → 公元前一八二三年三月), `B2B` → B to B, spaced letters
//! (`c e o` → CEO) and short lower-case acronyms glued to Chinese (`有atm` →
//! 有ATM).  Other Latin words pass through unchanged.
//!
//! Hand-written: these are conventions of Chinese TTS input, not a crate's.

use super::numbers::DIGITS;
use super::{Zh, at, data, dig, is_cjk, skip_spaces, starts, starts_len, to_string};

impl Zh<'_> {
    /// Latin letters (and `$€£₩`): currency prefixes, B2B, acronyms.
    pub(super) fn latin(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        for &[sym, word] in data::ZH_CURRENCY.iter() {
            if starts(c, i, sym) {
                let e = i + starts_len(sym);
                let k = skip_spaces(c, e);
                let p = self.prev(i);
                if dig(at(c, k)) && !p.is_ascii_alphabetic() {
                    return self.money(k, word);
                }
            }
        }
        if !at(c, i).is_ascii_alphabetic() {
            return None;
        }
        // 1823年3月bc → 公元前一八二三年三月
        for (suf, pre) in [
            ("b.c.", "公元前"),
            ("bc", "公元前"),
            ("BC", "公元前"),
            ("a.d.", "公元"),
            ("ad", "公元"),
            ("AD", "公元"),
        ] {
            let e = i + starts_len(suf);
            if starts(c, i, suf)
                && !at(c, e).is_ascii_alphabetic()
                && let Some(pos) = self.year_pos
                && pos <= self.out.len()
                && self.out.is_char_boundary(pos)
                && !self.out[pos..].is_empty()
                && self.out[pos..]
                    .chars()
                    .all(|ch| DIGITS.contains(&ch) || "年月日号十".contains(ch))
            {
                self.out.insert_str(pos, pre);
                self.year_pos = None;
                return Some(e);
            }
        }
        let mut j = i;
        while at(c, j).is_ascii_alphabetic() {
            j += 1;
        }
        let p = self.prev(i);
        // B2B, O2O
        if j == i + 1
            && at(c, i).is_ascii_uppercase()
            && at(c, j) == '2'
            && at(c, j + 1).is_ascii_uppercase()
            && !at(c, j + 2).is_ascii_alphanumeric()
            && !p.is_ascii_alphanumeric()
        {
            self.out.push(at(c, i));
            self.out.push_str(" to ");
            self.out.push(at(c, j + 1));
            return Some(j + 2);
        }
        if self.o.upper_acronyms {
            // spaced single letters between Chinese: c e o → CEO
            if j == i + 1 && at(c, j) == ' ' && (i == 0 || is_cjk(p)) {
                let mut k = i;
                let mut letters = String::new();
                while at(c, k).is_ascii_alphabetic() && !at(c, k + 1).is_ascii_alphabetic() {
                    letters.push(at(c, k).to_ascii_uppercase());
                    if at(c, k + 1) == ' ' && at(c, k + 2).is_ascii_alphabetic() {
                        k += 2;
                    } else {
                        k += 1;
                        break;
                    }
                }
                let nx = at(c, k);
                if letters.len() >= 2
                    && (nx == '\0' || is_cjk(nx))
                    && at(c, k.saturating_sub(1)).is_ascii_alphabetic()
                {
                    self.out.push_str(&letters);
                    return Some(k);
                }
            }
            let word = &c[i..j];
            let n = j - i;
            let lower_or_title = word.iter().skip(1).all(|ch| ch.is_ascii_lowercase());
            let nx = at(c, j);
            let left_ok = i == 0 || is_cjk(p);
            let right_ok = nx == '\0' || is_cjk(nx) || "，。、；！？,.!?".contains(nx);
            if (2..=4).contains(&n)
                && lower_or_title
                && left_ok
                && right_ok
                && (is_cjk(p) || is_cjk(nx))
            {
                for ch in word {
                    self.out.push(ch.to_ascii_uppercase());
                }
                return Some(j);
            }
        }
        let s = to_string(c, i, j);
        self.out.push_str(&s);
        Some(j)
    }
}

#[cfg(test)]
mod tests {
    use crate::tts::zh::tests::case;

    #[test]
    fn latin() {
        for (i, e) in [
            ("GDP增长", "GDP增长"),
            ("M1芯片", "M一芯片"),
            ("HDR10", "HDR十"),
            ("B2B", "B to B"),
            ("这附近有Atm", "这附近有ATM"),
            ("他是c e o", "他是CEO"),
            ("iPad Pro 12.9版本", "iPad Pro 十二点九版本"),
        ] {
            case(i, e);
        }
    }
}
