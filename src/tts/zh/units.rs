//! Units after a number in Chinese text: Latin and symbol units (`25kg` →
//! 二十五千克, `120m²`, `38°C` → 三十八摄氏度, `10km/h` → 每小时十公里, `300w` →
//! 三百万), listed with their readings in `zh_units.tsv`.  The unit is looked
//! up here; `numbers` decides 两/二 before it and 零下 for temperatures.
//!
//! Hand-written: no crate reads unit abbreviations in Chinese text.

use super::{at, data, starts, starts_len};

/// The unit at `i`: (end, spoken, spoken prefix).  A unit ending in a Latin
/// letter must not run on into a letter or digit.
pub(super) fn unit_at(c: &[char], i: usize) -> Option<(usize, &'static str, &'static str)> {
    for &[w, spoken, pre] in data::ZH_UNITS.iter() {
        if starts(c, i, w) {
            let e = i + starts_len(w);
            let last = w.chars().last().unwrap_or(' ');
            if last.is_ascii_alphabetic() && at(c, e).is_ascii_alphanumeric() {
                continue;
            }
            return Some((e, spoken, pre));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::tts::zh::tests::case;

    #[test]
    fn units() {
        for (i, e) in [
            ("25kg", "二十五千克"),
            ("1 kg", "一千克"),
            ("120m²", "一百二十平方米"),
            ("10km²", "十平方千米"),
            ("38°C", "三十八摄氏度"),
            ("39℃", "三十九摄氏度"),
            ("-10°C", "零下十摄氏度"),
            ("10km/h", "每小时十公里"),
            ("细颗粒物年均浓度27微克/立方米", "细颗粒物年均浓度二十七微克每立方米"),
            ("人均58万元/人", "人均五十八万元每人"),
            ("0.6人/百亿元", "零点六人每百亿元"),
            ("和/或", "和/或"),
            ("300w张", "三百万张"),
            ("5G", "五G"),
            ("18亿亩", "十八亿亩"),
        ] {
            case(i, e);
        }
    }
}
