//! Chinese clock times and scores: `8:00` → 八点, `2:02` → 两点零二分,
//! `13:10:36`, `1:02:36am` → 上午一点零二分三十六秒; `a:b` that is not a time,
//! or that follows a score word (list in `zh_score_context.tsv`), is a ratio
//! or score (`1:3` → 一比三).
//!
//! Hand-written: no crate reads clock times out of Chinese running text.

use super::{
    Zh, at, data, dig, digit_run, preceded_by, skip_spaces, starts, starts_len, to_string, value,
};

impl Zh<'_> {
    /// `8:00`, `13:10:36`, `2:02 pm`; `a:b` in score context → 比.
    pub(super) fn clock(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let e1 = digit_run(c, i);
        if at(c, e1) != ':' || !dig(at(c, e1 + 1)) {
            return None;
        }
        let h = to_string(c, i, e1);
        let e2 = digit_run(c, e1 + 1);
        let m = to_string(c, e1 + 1, e2);
        let (s, e3) = if at(c, e2) == ':' && digit_run(c, e2 + 1) == e2 + 3 {
            let e3 = e2 + 3;
            (Some(to_string(c, e2 + 1, e3)), e3)
        } else {
            (None, e2)
        };
        self.trim_space_before_number();
        let score = preceded_by(c, i, &data::ZH_SCORE_CONTEXT, 6);
        let is_time = !score
            && h.len() <= 2
            && value(&h) <= 24
            && m.len() == 2
            && value(&m) <= 59
            && s.as_deref().is_none_or(|s| value(s) <= 59);
        if !is_time {
            if s.is_some() || dig(at(c, e2)) {
                return None;
            }
            self.say_plain(&h);
            self.out.push('比');
            self.say_plain(&m);
            return Some(e2);
        }
        // am / pm
        let k = skip_spaces(c, e3);
        let mut end = e3;
        let mut prefix = "";
        for (w, pre) in [
            ("a.m.", "上午"),
            ("p.m.", "下午"),
            ("am", "上午"),
            ("pm", "下午"),
            ("AM", "上午"),
            ("PM", "下午"),
        ] {
            if starts(c, k, w) && !at(c, k + starts_len(w)).is_ascii_alphabetic() {
                prefix = pre;
                end = k + starts_len(w);
                break;
            }
        }
        self.out.push_str(prefix);
        let hv = value(&h);
        if hv == 2 {
            self.out.push('两');
        } else {
            self.say_plain(&hv.to_string());
        }
        self.out.push('点');
        let mv = value(&m);
        let sv = s.as_deref().map(value);
        if mv != 0 || s.is_some() {
            if mv != 0 && mv < 10 && self.o.clock_zero_minutes {
                self.out.push('零');
            }
            self.say_plain(&mv.to_string());
            self.out.push('分');
        }
        if let Some(sv) = sv {
            self.say_plain(&sv.to_string());
            self.out.push('秒');
        }
        Some(self.skip_space_after(end))
    }
}

#[cfg(test)]
mod tests {
    use crate::tts::zh::tests::case;

    #[test]
    fn times_and_ratios() {
        for (i, e) in [
            ("8:00", "八点"),
            ("2:02", "两点零二分"),
            ("13:10:36", "十三点十分三十六秒"),
            ("22：58", "二十二点五十八分"),
            ("1:02:36am", "上午一点零二分三十六秒"),
            ("8:00 a.m.准时", "上午八点准时"),
            ("1:3", "一比三"),
            ("比分定格在78:96", "比分定格在七十八比九十六"),
            ("比分17:16", "比分十七比十六"),
        ] {
            case(i, e);
        }
    }
}
