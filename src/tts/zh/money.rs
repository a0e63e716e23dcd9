//! Chinese money: the amount after a currency sign or code (`$3.5` →
//! 三点五美元, `￥13.5` → 十三点五元, `HK$20`, `CNY 1.25`, `$1.5万` →
//! 一点五万美元), with trailing decimal zeros dropped by default.  `Zh::step`
//! finds `¥`/`￥`, `latin` the other signs (list in `zh_currency.tsv`); amounts
//! followed by a currency word (`36.00元`) are read in `numbers`.
//!
//! Hand-written: `chinese-number`'s money reading (角/分) is not how amounts
//! are read aloud in speeches.

use super::numbers::parse_num;
use super::{Zh, at};

impl Zh<'_> {
    /// Amount after a currency prefix at `i` (digits start).
    pub(super) fn money(&mut self, i: usize, word: &str) -> Option<usize> {
        let c = self.c;
        let neg = false;
        let n = parse_num(c, i)?;
        let mut e = n.end;
        self.trim_space_before_number();
        if neg {
            self.out.push('负');
        }
        self.say_num(&n, self.o.trim_money_zeros, false);
        // multiplier characters: 万, 亿, 千万, 百万 ...
        while matches!(at(c, e), '万' | '亿' | '千' | '百') {
            self.out.push(at(c, e));
            e += 1;
        }
        self.out.push_str(word);
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use crate::tts::zh::tests::case;

    #[test]
    fn money() {
        for (i, e) in [
            ("$3.5", "三点五美元"),
            ("￥13.5", "十三点五元"),
            ("¥5", "五元"),
            ("€5", "五欧元"),
            ("£100", "一百英镑"),
            ("HK$20", "二十港元"),
            ("$1.5万", "一点五万美元"),
            ("CNY 1.25", "一点二五人民币"),
            ("36.00元", "三十六元"),
        ] {
            case(i, e);
        }
    }
}
