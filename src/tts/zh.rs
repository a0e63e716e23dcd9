//! Chinese text normalisation (TN): written numbers, symbols and a few Latin
//! abbreviations become the words a Mandarin TTS voice should say.
//!
//! This module owns everything between "raw speech text" and "TTS-ready
//! Chinese": cardinals with 万/亿 grouping and 零, the 两/二 rule, decimals,
//! percentages, years, dates, clock times, ratios, fractions, ranges, money,
//! units, ordinals, digit strings (phone numbers, hotlines, codes) and Latin
//! acronyms.  It is hand-written because the available crates only convert
//! integers (`chinese-number`) and cannot find numbers in running text, read
//! decimals digit by digit, handle percent/fractions/dates/times, or choose
//! between 两 and 二 from context.  Pure functions, no I/O; every index is
//! bounds-checked so arbitrary UTF-8 input never panics.

/// When to say 两 instead of 二 for the digit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Liang {
    /// 两 before measure words (两个, 两年) and before 百/千/万/亿 at the head
    /// of a number section (两百, 两千, 两万, 一万两千).
    #[default]
    Units,
    /// Like `Units`, but 二 before 百 (二百一十, NeMo style); 两 before 千/万/亿.
    UnitsExceptHundred,
    /// 两 only before measure words; 二百, 二千, 二万 everywhere else.
    MeasureOnly,
}

/// Where the minus goes in a negative percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NegPercent {
    /// `-5%` → 负百分之五
    #[default]
    Before,
    /// `-5%` → 百分之负五
    Inside,
}

/// Word used between the two ends of a numeric range (`3-5年`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RangeWord {
    /// 三到五年
    #[default]
    Dao,
    /// 三至五年
    Zhi,
}

/// Options for [`normalize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZhOptions {
    /// When to say 两.
    pub liang: Liang,
    /// Read 1 as 幺 in digit strings (phone numbers, hotlines, codes).
    pub yao: bool,
    /// Position of 负 in negative percentages.
    pub negative_percent: NegPercent,
    /// Range connective.
    pub range_word: RangeWord,
    /// Clock minutes below ten read with 零 (`2:02` → 两点零二分); if false 两点二分.
    pub clock_zero_minutes: bool,
    /// Negative temperatures read 零下 (`-10°C` → 零下十摄氏度); if false 负十摄氏度.
    pub below_zero_temperature: bool,
    /// Drop trailing decimal zeros of money amounts and percentages
    /// (`36.00元` → 三十六元, `0.70%` → 百分之零点七). Plain decimals always keep them.
    pub trim_money_zeros: bool,
    /// Word for `¥`/`￥`: 元 (default) or e.g. 人民币.
    pub yuan_word: &'static str,
    /// Upper-case short lower-case Latin acronyms glued to Chinese (`有atm` → 有ATM).
    pub upper_acronyms: bool,
}

impl Default for ZhOptions {
    fn default() -> Self {
        ZhOptions {
            liang: Liang::Units,
            yao: false,
            negative_percent: NegPercent::Before,
            range_word: RangeWord::Dao,
            clock_zero_minutes: true,
            below_zero_temperature: true,
            trim_money_zeros: true,
            yuan_word: "元",
            upper_acronyms: true,
        }
    }
}

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Measure words (and multipliers) before which a bare `2` is read 两.
const MEASURE_WORDS: &[&str] = &[
    "个", "位", "名", "人", "次", "件", "条", "项", "种", "家", "所", "座", "栋", "幢", "台", "辆",
    "架", "艘", "只", "头", "匹", "张", "本", "册", "份", "批", "层", "倍", "岁", "周", "天", "年",
    "小时", "分钟", "秒", "场", "轮", "届", "类", "点", "块", "元", "角", "毛", "斤", "公斤", "吨",
    "米", "公里", "千米", "千克", "克", "亩", "平方", "立方", "篇", "段", "句", "首", "章", "节",
    "门", "支", "队", "组", "套", "双", "对", "副", "片", "颗", "粒", "棵", "株", "口", "间", "户",
    "枚", "道", "笔", "把", "遍", "趟", "声", "步", "杯", "瓶", "碗", "盘", "包", "箱", "袋", "桶",
    "处", "起", "例", "部", "集", "款", "针", "剂", "公顷", "千瓦", "度", "升", "万", "亿", "千",
    "百", "拨", "方面", "国", "省", "市", "县", "区", "会", "院", "江", "岸", "翼", "极", "侧",
    "端", "码", "分", "秒钟", "夜", "晚", "月", "旬", "代",
];

/// Latin / symbol units: (written, spoken, spoken prefix).
const UNITS: &[(&str, &str, &str)] = &[
    ("km/h", "公里", "每小时"),
    ("km²", "平方千米", ""),
    ("m²", "平方米", ""),
    ("cm²", "平方厘米", ""),
    ("mm²", "平方毫米", ""),
    ("m³", "立方米", ""),
    ("cm³", "立方厘米", ""),
    ("kWh", "千瓦时", ""),
    ("kwh", "千瓦时", ""),
    ("mAh", "毫安时", ""),
    ("GHz", "吉赫兹", ""),
    ("MHz", "兆赫兹", ""),
    ("kHz", "千赫兹", ""),
    ("Hz", "赫兹", ""),
    ("km", "公里", ""),
    ("kg", "千克", ""),
    ("KG", "千克", ""),
    ("mg", "毫克", ""),
    ("cm", "厘米", ""),
    ("mm", "毫米", ""),
    ("nm", "纳米", ""),
    ("μm", "微米", ""),
    ("ms", "毫秒", ""),
    ("kW", "千瓦", ""),
    ("kw", "千瓦", ""),
    ("MW", "兆瓦", ""),
    ("GW", "吉瓦", ""),
    ("ml", "毫升", ""),
    ("mL", "毫升", ""),
    ("ha", "公顷", ""),
    ("g", "克", ""),
    ("m", "米", ""),
    ("L", "升", ""),
    ("t", "吨", ""),
    ("h", "小时", ""),
    ("s", "秒", ""),
    ("w", "万", ""),
    ("W", "瓦", ""),
    ("℃", "摄氏度", ""),
    ("°C", "摄氏度", ""),
    ("°F", "华氏度", ""),
    ("℉", "华氏度", ""),
    ("°", "度", ""),
];

/// Currency signs written before the amount: (sign, spoken).  `¥` uses the option.
const CURRENCY_PREFIX: &[(&str, &str)] = &[
    ("HK$", "港元"),
    ("US$", "美元"),
    ("NT$", "新台币"),
    ("A$", "澳元"),
    ("C$", "加元"),
    ("S$", "新加坡元"),
    ("CNY", "人民币"),
    ("RMB", "人民币"),
    ("HKD", "港元"),
    ("USD", "美元"),
    ("EUR", "欧元"),
    ("JPY", "日元"),
    ("GBP", "英镑"),
    ("AUD", "澳元"),
    ("$", "美元"),
    ("€", "欧元"),
    ("£", "英镑"),
    ("₩", "韩元"),
];

/// Currency words after an amount (trailing decimal zeros dropped before them).
const MONEY_WORDS: &[&str] = &[
    "元",
    "块",
    "美元",
    "欧元",
    "英镑",
    "日元",
    "港元",
    "澳元",
    "韩元",
    "人民币",
    "万元",
    "亿元",
    "万美元",
    "亿美元",
    "千元",
    "百元",
];

/// Words before a digit string that make it a code read digit by digit.
const DIGIT_CONTEXT: &[&str] = &[
    "电话",
    "手机",
    "热线",
    "拨打",
    "致电",
    "号码",
    "尾号",
    "编号",
    "工号",
    "卡号",
    "账号",
    "帐号",
    "邮编",
    "客服",
    "固话",
    "传真",
    "验证码",
    "座机",
    "QQ",
    "短信",
];

/// Words after a digit string that make it a hotline.
const DIGIT_CONTEXT_AFTER: &[&str] = &["热线", "电话", "打个电话", "打电话", "服务热线"];

/// Words before `a:b` that make it a score, not a time.
const SCORE_CONTEXT: &[&str] = &[
    "比分", "比赛", "战胜", "击败", "爆冷", "逆转", "领先", "落后", "大胜", "获胜", "胜", "负",
    "赢", "输", "战平", "比", "进球", "总分",
];

fn is_cjk(ch: char) -> bool {
    matches!(ch, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

fn at(c: &[char], i: usize) -> char {
    c.get(i).copied().unwrap_or('\0')
}

fn dig(ch: char) -> bool {
    ch.is_ascii_digit()
}

fn starts(c: &[char], i: usize, s: &str) -> bool {
    (i..).zip(s.chars()).all(|(k, ch)| k < c.len() && at(c, k) == ch)
}

fn starts_len(s: &str) -> usize {
    s.chars().count()
}

fn digit_run(c: &[char], i: usize) -> usize {
    let mut j = i;
    while j < c.len() && dig(c[j]) {
        j += 1;
    }
    j
}

fn to_string(c: &[char], a: usize, b: usize) -> String {
    c.get(a..b).map(|s| s.iter().collect()).unwrap_or_default()
}

fn value(s: &str) -> u64 {
    let mut v: u64 = 0;
    for b in s.bytes() {
        v = v.saturating_mul(10).saturating_add(u64::from(b.wrapping_sub(b'0')));
    }
    v
}

/// Fold full-width digits always, and full-width ASCII punctuation when it
/// touches a digit (so `２２：５８` parses but a stand-alone `，` stays).
pub(crate) fn fold(text: &str) -> Vec<char> {
    let raw: Vec<char> = text.chars().collect();
    let fw_digit = |ch: char| ('０'..='９').contains(&ch);
    let any_digit = |ch: char| dig(ch) || fw_digit(ch);
    let mut out = Vec::with_capacity(raw.len());
    for (i, &ch) in raw.iter().enumerate() {
        let fw_punct =
            matches!(ch, '：' | '．' | '％' | '／' | '－' | '＋' | '～' | '＝' | '＜' | '＞')
                && (i > 0 && any_digit(raw[i - 1]) || any_digit(at(&raw, i + 1)));
        if fw_digit(ch) || fw_punct {
            out.push(char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch));
        } else {
            out.push(ch);
        }
    }
    out
}

// ------------------------------------------------------------------ number words

/// How a leading 2 of a section may be read.
#[derive(Clone, Copy)]
struct Two {
    qian: bool,
    bai: bool,
}

impl Two {
    fn from(l: Liang) -> Two {
        match l {
            Liang::Units => Two { qian: true, bai: true },
            Liang::UnitsExceptHundred => Two { qian: true, bai: false },
            Liang::MeasureOnly => Two { qian: false, bai: false },
        }
    }
}

/// Read a section of 1..=4 digits (no leading zeros).  `first`: this is the
/// first section of the whole number (so 1x reads 十x).  `unit_follows`: the
/// section is followed by 万/亿 (so a lone 2 may be 两).
fn section(d: &[u8], first: bool, two: Two, unit_follows: bool, out: &mut String) {
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    let n = d.len().min(4);
    let d = &d[d.len() - n..];
    let mut pending_zero = false;
    let mut started = false;
    for (k, &b) in d.iter().enumerate() {
        let pos = 4 - n + k; // 0 = 千 .. 3 = ones
        let v = usize::from(b.wrapping_sub(b'0')).min(9);
        if v == 0 {
            if started {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        let head = !started;
        if v == 1 && pos == 2 && head && first {
            // 十, not 一十
        } else if v == 2
            && head
            && ((pos == 0 && two.qian)
                || (pos == 1 && two.bai)
                || (pos == 3 && n == 1 && unit_follows && two.qian))
        {
            out.push('两');
        } else {
            out.push(DIGITS[v]);
        }
        out.push_str(UNITS[pos]);
        started = true;
    }
}

fn strip_zeros(d: &[u8]) -> &[u8] {
    let k = d.iter().take_while(|&&b| b == b'0').count();
    &d[k..]
}

/// Cardinal reading of a digit string (no sign).  `first` as in [`section`].
fn int_words(d: &[u8], first: bool, two: Two, out: &mut String) {
    let d = strip_zeros(d);
    if d.is_empty() {
        out.push('零');
        return;
    }
    int_rec(d, first, two, false, out);
}

fn int_rec(d: &[u8], first: bool, two: Two, unit_follows: bool, out: &mut String) {
    let n = d.len();
    if n > 8 {
        let (hi, lo) = d.split_at(n - 8);
        int_rec(strip_zeros(hi), first, two, true, out);
        out.push('亿');
        let lo_s = strip_zeros(lo);
        if !lo_s.is_empty() {
            if lo_s.len() < 8 {
                out.push('零');
            }
            // after 亿零 a 万-group keeps the short form (一百亿零十万)
            int_rec(lo_s, lo_s.len() > 4 && lo_s.len() < 8, two, unit_follows, out);
        }
    } else if n > 4 {
        let (hi, lo) = d.split_at(n - 4);
        int_rec(strip_zeros(hi), first, two, true, out);
        out.push('万');
        let lo_s = strip_zeros(lo);
        if !lo_s.is_empty() {
            if lo_s.len() < 4 {
                out.push('零');
            }
            section(lo_s, false, two, unit_follows, out);
        }
    } else {
        section(d, first, two, unit_follows, out);
    }
}

fn digits_words(d: &str, yao: bool, out: &mut String) {
    for b in d.bytes() {
        if b.is_ascii_digit() {
            let v = usize::from(b - b'0');
            if v == 1 && yao {
                out.push('幺');
            } else {
                out.push(DIGITS[v]);
            }
        }
    }
}

// ------------------------------------------------------------------ parsing

#[derive(Debug, Clone)]
struct Num {
    int: String,
    frac: Option<String>,
    end: usize,
}

/// Parse `123`, `1,234,567`, `3.50`, `.22` at `i`.
fn parse_num(c: &[char], i: usize) -> Option<Num> {
    if at(c, i) == '.' && dig(at(c, i + 1)) {
        let e = digit_run(c, i + 1);
        return Some(Num { int: "0".into(), frac: Some(to_string(c, i + 1, e)), end: e });
    }
    let mut j = digit_run(c, i);
    if j == i {
        return None;
    }
    let mut int = to_string(c, i, j);
    // thousands separators: 1-3 digits then (,ddd)+
    if j - i <= 3 && at(c, j) == ',' {
        let mut k = j;
        let mut grouped = String::new();
        while at(c, k) == ',' && digit_run(c, k + 1) == k + 4 {
            grouped.push_str(&to_string(c, k + 1, k + 4));
            k += 4;
        }
        if !grouped.is_empty() {
            int.push_str(&grouped);
            j = k;
        }
    }
    let mut frac = None;
    if at(c, j) == '.' && dig(at(c, j + 1)) {
        let e = digit_run(c, j + 1);
        frac = Some(to_string(c, j + 1, e));
        j = e;
    }
    Some(Num { int, frac, end: j })
}

fn skip_spaces(c: &[char], mut i: usize) -> usize {
    while at(c, i) == ' ' {
        i += 1;
    }
    i
}

fn unit_at(c: &[char], i: usize) -> Option<(usize, &'static str, &'static str)> {
    for &(w, spoken, pre) in UNITS {
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

fn measure_at(c: &[char], i: usize) -> bool {
    if starts(c, i, "分之") {
        return false;
    }
    MEASURE_WORDS.iter().any(|w| starts(c, i, w))
}

fn preceded_by(c: &[char], i: usize, words: &[&str], window: usize) -> bool {
    let lo = i.saturating_sub(window);
    let s: String = to_string(c, lo, i);
    words.iter().any(|w| s.contains(w))
}

fn is_year(d: &str) -> bool {
    d.len() == 4 && (d.starts_with('1') || d.starts_with('2'))
}

fn month_ok(d: &str) -> bool {
    !d.is_empty() && d.len() <= 2 && (1..=12).contains(&value(d))
}

fn day_ok(d: &str) -> bool {
    !d.is_empty() && d.len() <= 2 && (1..=31).contains(&value(d))
}

// ------------------------------------------------------------------ normaliser

struct Zh<'a> {
    c: &'a [char],
    o: &'a ZhOptions,
    out: String,
    two: Two,
    /// Output offset where the last year reading started (for a trailing `bc`/`ad`).
    year_pos: Option<usize>,
}

/// Normalise Chinese text: numbers and symbols become Chinese words, everything
/// else is passed through unchanged and in order.
pub fn normalize(text: &str, opts: &ZhOptions) -> String {
    let c = fold(text);
    let mut z = Zh {
        out: String::with_capacity(text.len() * 2),
        c: &c,
        o: opts,
        two: Two::from(opts.liang),
        year_pos: None,
    };
    z.run();
    z.out
}

impl Zh<'_> {
    fn run(&mut self) {
        let mut i = 0;
        while i < self.c.len() {
            match self.step(i) {
                Some(e) if e > i => i = e,
                _ => {
                    let ch = self.c[i];
                    self.out.push(ch);
                    i += 1;
                }
            }
        }
    }

    fn prev(&self, i: usize) -> char {
        if i == 0 { '\0' } else { at(self.c, i - 1) }
    }

    /// Drop spaces just emitted between a Chinese character and a number.
    fn trim_space_before_number(&mut self) {
        let t = self.out.trim_end_matches(' ');
        if t.len() != self.out.len()
            && t.chars().last().is_some_and(|ch| is_cjk(ch) || "，。、：；".contains(ch))
        {
            self.out.truncate(t.len());
        }
    }

    /// After a number: skip spaces that only separate it from a Chinese character.
    fn skip_space_after(&self, e: usize) -> usize {
        let k = skip_spaces(self.c, e);
        if k > e && is_cjk(at(self.c, k)) { k } else { e }
    }

    fn range_word(&self) -> &'static str {
        match self.o.range_word {
            RangeWord::Dao => "到",
            RangeWord::Zhi => "至",
        }
    }

    fn step(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let ch = c[i];
        let p = self.prev(i);
        match ch {
            '0'..='9' => self.number(i, false),
            '.' if dig(at(c, i + 1)) && !dig(p) && !p.is_ascii_alphabetic() => {
                self.number(i, false)
            }
            '-' | '−'
                if (dig(at(c, i + 1)) || starts(c, i + 1, "百分之") || at(c, i + 1) == '.')
                    && !(dig(p) || p.is_ascii_alphanumeric() || "%‰)）-".contains(p)) =>
            {
                if starts(c, i + 1, "百分之") {
                    self.out.push('负');
                    return Some(i + 1);
                }
                self.number(i + 1, true)
            }
            '±' if dig(at(c, skip_spaces(c, i + 1))) => {
                self.out.push_str("正负");
                Some(i + 1)
            }
            '+' if dig(at(c, i + 1)) && !dig(p) => {
                // +86 18544139121
                let e = digit_run(c, i + 1);
                let k = skip_spaces(c, e);
                let e2 = digit_run(c, k);
                if e - (i + 1) <= 3 && e2 - k >= 7 {
                    self.trim_space_before_number();
                    let s = to_string(c, i + 1, e) + &to_string(c, k, e2);
                    digits_words(&s, self.o.yao, &mut self.out);
                    return Some(e2);
                }
                self.math(i)
            }
            '+' | '=' | '<' | '>' | '≤' | '≥' | '≠' | '×' | '÷' => self.math(i),
            '¥' | '￥' if dig(at(c, skip_spaces(c, i + 1))) => {
                self.money(i + 1, self.o.yuan_word)
            }
            _ if ch.is_ascii_alphabetic() || "$€£₩".contains(ch) => self.latin(i),
            _ => None,
        }
    }

    fn math(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let (w, len) = match (at(c, i), at(c, i + 1)) {
            ('<', '=') => ("小于等于", 2),
            ('>', '=') => ("大于等于", 2),
            ('+', _) => ("加", 1),
            ('=', _) => ("等于", 1),
            ('<', _) => ("小于", 1),
            ('>', _) => ("大于", 1),
            ('≤', _) => ("小于等于", 1),
            ('≥', _) => ("大于等于", 1),
            ('≠', _) => ("不等于", 1),
            ('×', _) => ("乘", 1),
            ('÷', _) => ("除以", 1),
            _ => return None,
        };
        let after = skip_spaces(c, i + len);
        let next_num = dig(at(c, after))
            || (at(c, after) == '-' && dig(at(c, after + 1)))
            || (at(c, i) == '+'
                && after == i + 1
                && at(c, after).is_ascii_uppercase()
                && dig(self.prev(i)));
        let t = self.out.trim_end_matches(' ');
        let prev_num =
            t.chars().last().is_some_and(|ch| DIGITS.contains(&ch) || "十百千万亿两".contains(ch));
        let before = {
            let mut k = i;
            while k > 0 && c[k - 1] == ' ' {
                k -= 1;
            }
            if k > 0 { dig(c[k - 1]) } else { false }
        };
        if !(next_num
            && (prev_num || before || is_cjk(t.chars().last().unwrap_or(' ')) || t.is_empty()))
        {
            return None;
        }
        self.out.truncate(t.len());
        self.out.push_str(w);
        Some(after)
    }

    /// Latin letters (and `$€£₩`): currency prefixes, B2B, acronyms.
    fn latin(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        for &(sym, word) in CURRENCY_PREFIX {
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

    /// Amount after a currency prefix at `i` (digits start).
    fn money(&mut self, i: usize, word: &str) -> Option<usize> {
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

    /// Integer or decimal; `trim` drops trailing decimal zeros; `liang2`: a bare 2 reads 两.
    fn say_num(&mut self, n: &Num, trim: bool, liang2: bool) {
        let frac = n.frac.as_deref().map(|f| if trim { f.trim_end_matches('0') } else { f });
        if n.int == "2" && liang2 && frac.is_none_or(|f| f.is_empty()) {
            self.out.push('两');
        } else {
            int_words(n.int.as_bytes(), true, self.two, &mut self.out);
        }
        if let Some(f) = frac
            && !f.is_empty()
        {
            self.out.push('点');
            digits_words(f, false, &mut self.out);
        }
    }

    fn say_plain(&mut self, d: &str) {
        int_words(d.as_bytes(), true, Two { qian: false, bai: false }, &mut self.out);
    }

    fn digits_ctx(&self, i: usize, n: &Num) -> bool {
        let c = self.c;
        if n.frac.is_some() {
            return false;
        }
        let len = n.int.len();
        let after = at(c, n.end);
        if len >= 3 && preceded_by(c, i, DIGIT_CONTEXT, 6) {
            return true;
        }
        if len == 11
            && n.int.starts_with('1')
            && matches!(n.int.as_bytes().get(1), Some(b'3'..=b'9'))
        {
            return true;
        }
        if len >= 3 && n.int.starts_with('0') && n.end - i == len {
            return true;
        }
        if len >= 3 && DIGIT_CONTEXT_AFTER.iter().any(|w| starts(c, n.end, w)) {
            return true;
        }
        if len >= 3
            && (after == '号' || (matches!(after, '”' | '"' | '」') && at(c, n.end + 1) == '号'))
        {
            return true;
        }
        if len > 16 && n.end - i == len {
            return true;
        }
        // slogans and codes quoted on their own: “334”, “3815”
        if len >= 3
            && n.end - i == len
            && matches!(self.prev(i), '“' | '"' | '「')
            && matches!(after, '”' | '"' | '」')
        {
            return true;
        }
        false
    }

    /// Everything that starts with a digit at `i` (or `.5`). `neg`: a minus sign was consumed.
    fn number(&mut self, i: usize, neg: bool) -> Option<usize> {
        let c = self.c;
        let p = if neg { self.prev(i.saturating_sub(1)) } else { self.prev(i) };
        // digits glued to Latin letters: M1, HDR10, PM2.5
        if !neg && p.is_ascii_alphabetic() {
            let n = parse_num(c, i)?;
            if n.frac.is_none() && n.int.len() > 4 {
                digits_words(&n.int, false, &mut self.out);
            } else {
                self.say_num(&n, false, false);
            }
            return Some(n.end);
        }
        if !neg && at(c, i) != '.' {
            if let Some(e) = self.ip(i) {
                return Some(e);
            }
            if let Some(e) = self.date(i) {
                return Some(e);
            }
            if let Some(e) = self.dot_event(i) {
                return Some(e);
            }
            if let Some(e) = self.clock(i) {
                return Some(e);
            }
            if let Some(e) = self.dashed_digits(i) {
                return Some(e);
            }
        }
        let n = parse_num(c, i)?;
        self.trim_space_before_number();
        // 2934ad / 1234b.c.
        for (suf, pre) in [("a.d.", "公元"), ("ad", "公元"), ("b.c.", "公元前"), ("bc", "公元前")]
        {
            if !neg
                && n.frac.is_none()
                && starts(c, n.end, suf)
                && !at(c, n.end + starts_len(suf)).is_ascii_alphabetic()
            {
                self.out.push_str(pre);
                digits_words(&n.int, false, &mut self.out);
                self.out.push('年');
                return Some(n.end + starts_len(suf));
            }
        }
        if !neg && self.digits_ctx(i, &n) {
            digits_words(&n.int, self.o.yao, &mut self.out);
            return Some(n.end);
        }
        let sign = |z: &mut Self| {
            if neg {
                z.out.push('负');
            }
        };
        // percent / permille
        if let Some(e) = self.percent(&n, neg) {
            return Some(e);
        }
        // fraction a/b
        {
            let k = skip_spaces(c, n.end);
            if at(c, k) == '/' && n.frac.is_none() {
                let k2 = skip_spaces(c, k + 1);
                if let Some(d) = parse_num(c, k2)
                    && d.frac.is_none()
                    && !dig(at(c, d.end))
                    && at(c, d.end) != '/'
                    && value(&d.int) != 0
                {
                    sign(self);
                    self.say_plain(&d.int);
                    self.out.push_str("分之");
                    self.say_plain(&n.int);
                    return Some(self.skip_space_after(d.end));
                }
            }
        }
        // range a-b, a~b, a—b
        let sep = at(c, n.end);
        if matches!(sep, '-' | '~' | '～' | '—' | '–' | '至' | '到')
            && dig(at(c, n.end + 1))
            && let Some(m) = parse_num(c, n.end + 1)
        {
            {
                let e = m.end;
                let years = (starts(c, e, "年")
                    || (n.frac.is_none() && m.frac.is_none() && sep != '~'))
                    && is_year(&n.int)
                    && is_year(&m.int)
                    && n.frac.is_none()
                    && m.frac.is_none();
                if years {
                    digits_words(&n.int, false, &mut self.out);
                    self.out.push_str(self.range_word());
                    digits_words(&m.int, false, &mut self.out);
                    return Some(e);
                }
                if !matches!(at(c, e), ':' | '-' | '/' | '.') {
                    if matches!(at(c, e), '%' | '‰') {
                        // 3-5% → 百分之三到百分之五
                        let w = if at(c, e) == '%' { "百分之" } else { "千分之" };
                        sign(self);
                        self.out.push_str(w);
                        self.say_num(&n, false, false);
                        self.out.push_str(self.range_word());
                        self.out.push_str(w);
                        self.say_num(&m, false, false);
                        return Some(e + 1);
                    }
                    sign(self);
                    self.say_num(&n, false, self.liang_ctx(e));
                    self.out.push_str(self.range_word());
                    return self.number_tail(&m, false, e);
                }
            }
        }
        if neg {
            // temperature: 零下
            if let Some((_, spoken, _)) = unit_at(c, skip_spaces(c, n.end))
                && spoken.ends_with("氏度")
                && self.o.below_zero_temperature
            {
                self.out.push_str("零下");
            } else {
                self.out.push('负');
            }
        }
        self.number_tail(&n, false, n.end)
    }

    fn liang_ctx(&self, e: usize) -> bool {
        let c = self.c;
        let k = skip_spaces(c, e);
        if let Some((_, spoken, _)) = unit_at(c, k) {
            return spoken != "度" && !spoken.contains("氏度");
        }
        let p = self.prev_nonspace_before_number(e);
        if p == '第' {
            return false;
        }
        measure_at(c, k)
    }

    fn prev_nonspace_before_number(&self, e: usize) -> char {
        // walk back over the number itself
        let c = self.c;
        let mut k = e;
        while k > 0 && (dig(c[k - 1]) || matches!(c[k - 1], '.' | ',')) {
            k -= 1;
        }
        if k > 0 { c[k - 1] } else { '\0' }
    }

    /// Read number `n` whose text ends at `e`, then its unit / year / measure suffix.
    fn number_tail(&mut self, n: &Num, _neg: bool, e: usize) -> Option<usize> {
        let c = self.c;
        let k = skip_spaces(c, e);
        let start = {
            let mut s = e;
            while s > 0 && (dig(c[s - 1]) || matches!(c[s - 1], '.' | ',')) {
                s -= 1;
            }
            s
        };
        let p = if start > 0 { c[start - 1] } else { '\0' };
        let leading_zero = n.int.len() >= 2 && n.int.starts_with('0') && n.frac.is_none();
        // years
        if n.frac.is_none() && at(c, e) == '年' {
            let era = preceded_by(c, start, &["公元", "纪元", "前"], 3);
            let yy_month = n.int.len() == 2 && dig(at(c, e + 1)) && {
                let m = digit_run(c, e + 1);
                at(c, m) == '月'
            };
            if is_year(&n.int) || era || leading_zero || yy_month {
                self.year_pos = Some(self.out.len());
                digits_words(&n.int, false, &mut self.out);
                return Some(e);
            }
        }
        // 90后, 00后
        if n.frac.is_none()
            && n.int.len() == 2
            && n.int.ends_with('0')
            && at(c, e) == '后'
            && p != '年'
        {
            digits_words(&n.int, false, &mut self.out);
            return Some(e);
        }
        if leading_zero {
            // 02月, 08日: drop the zero
            let t = n.int.trim_start_matches('0');
            let t = if t.is_empty() { "0" } else { t };
            self.say_plain(t);
            return Some(e);
        }
        // units
        if let Some((ue, spoken, pre)) = unit_at(c, k) {
            let spaced = k > e;
            let single = ue - k == 1 && at(c, k).is_ascii_alphabetic();
            if !(spaced && single) {
                self.out.push_str(pre);
                let liang = spoken != "度" && !spoken.contains("氏度") && p != '第';
                self.say_num(n, false, liang);
                self.out.push_str(spoken);
                return Some(self.skip_space_after(ue));
            }
        }
        let liang = p != '第' && measure_at(c, k);
        let month_like = matches!(at(c, k), '月' | '日' | '号');
        let money = self.o.trim_money_zeros && MONEY_WORDS.iter().any(|w| starts(c, k, w));
        self.say_num(n, money, liang && !month_like);
        Some(self.skip_space_after(e))
    }

    fn percent(&mut self, n: &Num, neg: bool) -> Option<usize> {
        let c = self.c;
        let k = skip_spaces(c, n.end);
        let w = match at(c, k) {
            '%' => "百分之",
            '‰' => "千分之",
            _ => return None,
        };
        let inside = neg && self.o.negative_percent == NegPercent::Inside;
        if neg && !inside {
            self.out.push('负');
        }
        self.out.push_str(w);
        if inside {
            self.out.push('负');
        }
        self.say_num(n, self.o.trim_money_zeros, false);
        let mut e = k + 1;
        // 3%-5%, 3%～5%
        if matches!(at(c, e), '-' | '~' | '～' | '—' | '–' | '至' | '到')
            && let Some(m) = parse_num(c, e + 1)
            && matches!(at(c, m.end), '%' | '‰')
        {
            self.out.push_str(self.range_word());
            self.out.push_str(if at(c, m.end) == '%' { "百分之" } else { "千分之" });
            self.say_num(&m, self.o.trim_money_zeros, false);
            e = m.end + 1;
        }
        Some(e)
    }

    /// `4·11`, `1·22` (event names: month·day) read digit by digit.
    fn dot_event(&mut self, i: usize) -> Option<usize> {
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

    fn ip(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut k = i;
        let mut parts = Vec::new();
        for n in 0..4 {
            let e = digit_run(c, k);
            if e == k || e - k > 3 {
                return None;
            }
            parts.push(to_string(c, k, e));
            k = e;
            if n < 3 {
                if at(c, k) != '.' {
                    return None;
                }
                k += 1;
            }
        }
        if dig(at(c, k)) || (at(c, k) == '.' && dig(at(c, k + 1))) {
            return None;
        }
        for (n, p) in parts.iter().enumerate() {
            if n > 0 {
                self.out.push('点');
            }
            digits_words(p, false, &mut self.out);
        }
        Some(k)
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

    fn date(&mut self, i: usize) -> Option<usize> {
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

    /// `8:00`, `13:10:36`, `2:02 pm`; `a:b` in score context → 比.
    fn clock(&mut self, i: usize) -> Option<usize> {
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
        let score = preceded_by(c, i, SCORE_CONTEXT, 6);
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

    /// `010-64035547`, `400-810-8888`: groups of digits joined by '-' read digit by digit.
    fn dashed_digits(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut k = i;
        let mut groups = Vec::new();
        loop {
            let e = digit_run(c, k);
            if e == k {
                return None;
            }
            groups.push(to_string(c, k, e));
            if at(c, e) == '-' && dig(at(c, e + 1)) {
                k = e + 1;
            } else {
                k = e;
                break;
            }
        }
        if groups.len() < 2 || at(c, k) == '.' {
            return None;
        }
        let total: usize = groups.iter().map(String::len).sum();
        let phone = (groups[0].starts_with('0') && total >= 7) || (groups.len() >= 3 && total >= 9);
        if !phone {
            return None;
        }
        self.trim_space_before_number();
        for g in &groups {
            digits_words(g, self.o.yao, &mut self.out);
        }
        Some(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[track_caller]
    fn case(input: &str, expected: &str) {
        assert_eq!(normalize(input, &ZhOptions::default()), expected, "input: {input:?}");
    }

    #[track_caller]
    fn case_with(opts: &ZhOptions, input: &str, expected: &str) {
        assert_eq!(normalize(input, opts), expected, "input: {input:?}");
    }

    #[test]
    fn cardinals() {
        for (i, e) in [
            ("0", "零"),
            ("10", "十"),
            ("11", "十一"),
            ("101", "一百零一"),
            ("1011", "一千零一十一"),
            ("10011", "一万零一十一"),
            ("101111", "十万一千一百一十一"),
            ("110111111", "一亿一千零一十一万一千一百一十一"),
            ("10000100000", "一百亿零十万"),
            ("10000000000000", "十万亿"),
            ("1,234,567", "一百二十三万四千五百六十七"),
            ("-11", "负十一"),
            ("共465篇", "共四百六十五篇"),
            ("２０１５年", "二零一五年"),
            ("包含３０００余件", "包含三千余件"),
        ] {
            case(i, e);
        }
    }

    #[test]
    fn liang_er() {
        for (i, e) in [
            ("2", "二"),
            ("2个", "两个"),
            ("2年后", "两年后"),
            ("20年后", "二十年后"),
            ("200", "两百"),
            ("2000", "两千"),
            ("12000", "一万两千"),
            ("20000", "两万"),
            ("2万元", "两万元"),
            ("1234", "一千二百三十四"),
            ("2.5", "二点五"),
            ("第2", "第二"),
            ("第2个", "第二个"),
            ("2月", "二月"),
            ("2两", "二两"),
            ("2分之1", "二分之一"),
            ("12个", "十二个"),
        ] {
            case(i, e);
        }
        let o = ZhOptions { liang: Liang::MeasureOnly, ..ZhOptions::default() };
        case_with(&o, "2000", "二千");
        case_with(&o, "2个", "两个");
        let o = ZhOptions { liang: Liang::UnitsExceptHundred, ..ZhOptions::default() };
        case_with(&o, "210", "二百一十");
        case_with(&o, "2000", "两千");
    }

    #[test]
    fn decimals_and_percent() {
        for (i, e) in [
            ("96.2", "九十六点二"),
            ("3.50", "三点五零"),
            (".22口径", "零点二二口径"),
            ("18%", "百分之十八"),
            ("96.2%", "百分之九十六点二"),
            ("-5%", "负百分之五"),
            ("3%-5%", "百分之三到百分之五"),
            ("5‰", "千分之五"),
            ("3.1个百分点", "三点一个百分点"),
            ("0.70%", "百分之零点七"),
            ("-百分之1", "负百分之一"),
        ] {
            case(i, e);
        }
        let o = ZhOptions { negative_percent: NegPercent::Inside, ..ZhOptions::default() };
        case_with(&o, "-5%", "百分之负五");
    }

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

    #[test]
    fn money_and_units() {
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
            ("25kg", "二十五千克"),
            ("1 kg", "一千克"),
            ("120m²", "一百二十平方米"),
            ("10km²", "十平方千米"),
            ("38°C", "三十八摄氏度"),
            ("39℃", "三十九摄氏度"),
            ("-10°C", "零下十摄氏度"),
            ("10km/h", "每小时十公里"),
            ("300w张", "三百万张"),
            ("5G", "五G"),
            ("18亿亩", "十八亿亩"),
        ] {
            case(i, e);
        }
    }

    #[test]
    fn fractions_ranges_math() {
        for (i, e) in [
            ("2/3", "三分之二"),
            ("1 / 2", "二分之一"),
            ("-1/3", "负三分之一"),
            ("1又1/5", "一又五分之一"),
            ("3-5年", "三到五年"),
            ("12~23", "十二到二十三"),
            ("1+2", "一加二"),
            ("2 = 1 + 1", "二等于一加一"),
            ("2<=4", "二小于等于四"),
            ("±2", "正负二"),
            ("“1+3+N”", "“一加三加N”"),
        ] {
            case(i, e);
        }
        let o = ZhOptions { range_word: RangeWord::Zhi, ..ZhOptions::default() };
        case_with(&o, "3-5年", "三至五年");
    }

    #[test]
    fn digit_strings() {
        for (i, e) in [
            ("12345热线", "一二三四五热线"),
            ("拨打110", "拨打一一零"),
            ("手机13501234567", "手机一三五零一二三四五六七"),
            ("010-64035547", "零一零六四零三五五四七"),
            ("+86 18544139121", "八六一八五四四一三九一二一"),
            ("127.0.0.1", "一二七点零点零点一"),
            ("编号27149", "编号二七一四九"),
            ("“3815”战略", "“三八一五”战略"),
            ("江川“4·11”火灾", "江川“四一一”火灾"),
        ] {
            case(i, e);
        }
        let o = ZhOptions { yao: true, ..ZhOptions::default() };
        case_with(&o, "尾号1702", "尾号幺七零二");
    }

    #[test]
    fn latin_and_plain() {
        for (i, e) in [
            ("GDP增长", "GDP增长"),
            ("M1芯片", "M一芯片"),
            ("HDR10", "HDR十"),
            ("B2B", "B to B"),
            ("这附近有Atm", "这附近有ATM"),
            ("他是c e o", "他是CEO"),
            ("iPad Pro 12.9版本", "iPad Pro 十二点九版本"),
            ("不管三七二十一", "不管三七二十一"),
            ("一点一滴", "一点一滴"),
            ("", ""),
            ("，。", "，。"),
        ] {
            case(i, e);
        }
    }

    fn han(s: &str) -> Vec<char> {
        s.chars().filter(|&ch| is_cjk(ch) || "，。、".contains(ch)).collect()
    }

    fn is_subsequence(needle: &[char], hay: &[char]) -> bool {
        let mut it = hay.iter();
        needle.iter().all(|n| it.any(|h| h == n))
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = normalize(&s, &ZhOptions::default());
        }

        #[test]
        fn never_panics_numeric(s in "[0-9０-９.,:：/\\-—~%‰+=<>°℃²a-zA-Z$¥￥€£ 年月日号第个两点万亿元“”·一]{0,40}") {
            let _ = normalize(&s, &ZhOptions::default());
            let o = ZhOptions { yao: true, liang: Liang::MeasureOnly, negative_percent: NegPercent::Inside, ..ZhOptions::default() };
            let _ = normalize(&s, &o);
        }

        /// Every Chinese character (and ，。、) of the input reaches the output, in order.
        #[test]
        fn han_passes_through(s in "[0-9.%:/\\-a-z 年月日号第个点万亿元一二三你好，。、]{0,40}|\\PC{0,30}") {
            let out = normalize(&s, &ZhOptions::default());
            prop_assert!(is_subsequence(&han(&s), &han(&out)), "{s:?} -> {out:?}");
        }
    }
}
