//! English units of measure after a number: `10 km` → ten kilometers,
//! `1kg` → one kilogram (singular after "one"), `98.6°F`, `3.5 cm²`, `5%`,
//! `60 mph`, per-unit denominators (`/h`, `/mo`) and scale words before a unit
//! (`100 million kg`).  The unit and denominator names are data
//! (`en_units.tsv`, `en_per_units.tsv`).
//!
//! Hand-written: no crate reads unit abbreviations in running text.

use super::{En, at, clen, data, skip_sp, starts};

impl En<'_> {
    pub(super) fn unit_at(
        &self,
        k: usize,
        allow_single: bool,
    ) -> Option<(usize, &'static str, &'static str)> {
        let c = self.c;
        for &[w, one, many] in data::EN_UNITS.iter() {
            if starts(c, k, w) {
                let e = k + clen(w);
                if at(c, e).is_ascii_alphanumeric() {
                    continue;
                }
                let single = w.chars().count() == 1 && w.chars().all(|x| x.is_ascii_alphabetic());
                if single && !allow_single {
                    continue;
                }
                return Some((e, one, many));
            }
        }
        None
    }

    pub(super) fn per_at(&self, k: usize) -> Option<(usize, &'static str)> {
        let c = self.c;
        if at(c, k) != '/' {
            return None;
        }
        for &[w, name] in data::EN_PER_UNITS.iter() {
            if starts(c, k + 1, w) && !at(c, k + 1 + clen(w)).is_ascii_alphanumeric() {
                return Some((k + 1 + clen(w), name));
            }
        }
        None
    }

    /// Unit after a number ending at `e`.
    pub(super) fn measure_suffix(&mut self, e: usize, plural: bool) -> Option<usize> {
        let c = self.c;
        let k = skip_sp(c, e);
        // scale words stay as they are (1.5 million)
        let mut e = e;
        let mut plural = plural;
        if let Some((ue, one, many)) = self.unit_at(k, k == e) {
            let last = self.out.rsplit(' ').next().unwrap_or("");
            let is_one = last == "one" && !self.out.contains(" point ") && !plural;
            let (ue, word) = if at(c, ue) == '/' {
                match self.per_at(ue) {
                    Some((pe, per)) => {
                        (pe, format!("{} per {per}", if is_one { one } else { many }))
                    }
                    None => (ue, (if is_one { one } else { many }).to_string()),
                }
            } else {
                (ue, (if is_one { one } else { many }).to_string())
            };
            self.out.push(' ');
            self.out.push_str(&word);
            return Some(ue);
        }
        // 100 million kg
        for w in ["million", "billion", "thousand", "trillion"] {
            if starts(c, k, w) {
                let k2 = skip_sp(c, k + clen(w));
                if let Some((ue, _, many)) = self.unit_at(k2, false) {
                    self.out.push(' ');
                    self.out.push_str(w);
                    self.out.push(' ');
                    self.out.push_str(many);
                    return Some(ue);
                }
            }
        }
        if let Some((pe, per)) = self.per_at(e) {
            self.out.push_str(" per ");
            self.out.push_str(per);
            e = pe;
            plural = false;
        }
        let _ = plural;
        // 7.2-millimeter bullet
        Some(e)
    }
}

/// Is there a unit (spaced or not) after position `e`?
pub(super) fn n_has_unit(z: &En<'_>, e: usize) -> bool {
    z.unit_at(skip_sp(z.c, e), true).is_some()
}

#[cfg(test)]
mod tests {
    use crate::tts::en::tests::case;

    #[test]
    fn measures_percent() {
        for (i, e) in [
            ("5%", "five percent"),
            ("10 km", "ten kilometers"),
            ("1kg", "one kilogram"),
            ("60 mph", "sixty miles per hour"),
            ("98.6°F", "ninety eight point six degrees Fahrenheit"),
            ("1°C", "one degree Celsius"),
            ("3.5 cm²", "three point five square centimeters"),
        ] {
            case(i, e);
        }
    }
}
