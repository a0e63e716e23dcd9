//! English text normalisation (TN): written numbers, symbols, dates, times,
//! money, measures, phone numbers, URLs/e-mails, Roman numerals and common
//! abbreviations become the words an English TTS voice should say.
//!
//! Hand-written because `num2words` only turns an already-parsed number into
//! words: it cannot find numbers in running text, has no year/decade/time/
//! money/measure/phone/URL readings, and its cardinals use British "and" and
//! omit a leading "zero" before decimals.  Cardinals here are US style by
//! default ("one hundred twenty three"), with an option for "and".  Pure
//! functions, no I/O; every index is bounds-checked so arbitrary UTF-8 input
//! never panics.

use crate::ingest::clean::MONTHS;

/// How numeric dates written year-first (ISO) are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// `2016-11-03` → november third twenty sixteen
    #[default]
    MonthDay,
    /// `2016-11-03` → the third of november twenty sixteen
    DayOfMonth,
}

/// Options for [`normalize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnOptions {
    /// British "and" in cardinals (`123` → one hundred and twenty three).  Off:
    /// US style "one hundred twenty three".
    pub hundred_and: bool,
    /// Word for a leading minus: "minus" (default) or "negative".
    pub minus_word: &'static str,
    /// Reading of year-first numeric dates.
    pub iso_date: DateStyle,
}

impl Default for EnOptions {
    fn default() -> Self {
        EnOptions { hundred_and: false, minus_word: "minus", iso_date: DateStyle::MonthDay }
    }
}

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] =
    ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const SCALES: [&str; 8] =
    ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion", "sextillion"];

fn at(c: &[char], i: usize) -> char {
    c.get(i).copied().unwrap_or('\0')
}
fn dig(ch: char) -> bool {
    ch.is_ascii_digit()
}
fn alnum(ch: char) -> bool {
    ch.is_alphanumeric()
}
fn digit_run(c: &[char], i: usize) -> usize {
    let mut j = i;
    while j < c.len() && dig(c[j]) {
        j += 1;
    }
    j
}
fn alpha_run(c: &[char], i: usize) -> usize {
    let mut j = i;
    while j < c.len() && c[j].is_ascii_alphabetic() {
        j += 1;
    }
    j
}
fn sub(c: &[char], a: usize, b: usize) -> String {
    c.get(a..b).map(|s| s.iter().collect()).unwrap_or_default()
}
fn starts(c: &[char], i: usize, s: &str) -> bool {
    (i..).zip(s.chars()).all(|(k, ch)| at(c, k) == ch && k < c.len())
}
fn starts_ci(c: &[char], i: usize, s: &str) -> bool {
    (i..).zip(s.chars()).all(|(k, ch)| at(c, k).to_ascii_lowercase() == ch && k < c.len())
}
fn clen(s: &str) -> usize {
    s.chars().count()
}
fn skip_sp(c: &[char], mut i: usize) -> usize {
    while at(c, i) == ' ' {
        i += 1;
    }
    i
}
fn value(s: &str) -> u64 {
    s.bytes().fold(0u64, |v, b| {
        v.saturating_mul(10).saturating_add(u64::from(b.wrapping_sub(b'0') % 10))
    })
}

// ------------------------------------------------------------------ number words

fn below_100(n: usize, out: &mut Vec<&'static str>) {
    if n < 20 {
        out.push(ONES[n]);
    } else {
        out.push(TENS[n / 10 % 10]);
        if !n.is_multiple_of(10) {
            out.push(ONES[n % 10]);
        }
    }
}

/// Cardinal words of a digit string (any length up to 24 digits).
fn cardinal(d: &str, and: bool) -> String {
    let d = d.trim_start_matches('0');
    if d.is_empty() {
        return "zero".into();
    }
    if d.len() > 24 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return digits(d);
    }
    let b = d.as_bytes();
    let mut groups = Vec::new();
    let mut end = b.len();
    while end > 0 {
        let start = end.saturating_sub(3);
        let g = b[start..end].iter().fold(0usize, |v, &x| v * 10 + usize::from(x - b'0'));
        groups.push(g);
        end = start;
    }
    let mut w: Vec<&'static str> = Vec::new();
    let top = groups.len();
    for (k, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            continue;
        }
        let last = k == 0;
        if g >= 100 {
            w.push(ONES[g / 100]);
            w.push("hundred");
            if g % 100 != 0 {
                if and && last {
                    w.push("and");
                }
                below_100(g % 100, &mut w);
            }
        } else {
            if and && last && top > 1 {
                w.push("and");
            }
            below_100(g, &mut w);
        }
        if k > 0 {
            w.push(SCALES[k.min(SCALES.len() - 1)]);
        }
    }
    w.join(" ")
}

fn digit_word(b: u8) -> &'static str {
    ONES[usize::from(b.wrapping_sub(b'0')).min(9)]
}

fn digits(d: &str) -> String {
    d.bytes().filter(u8::is_ascii_digit).map(digit_word).collect::<Vec<_>>().join(" ")
}

fn ordinalize(words: &str) -> String {
    let (head, last) = match words.rfind(' ') {
        Some(p) => (&words[..=p], &words[p + 1..]),
        None => ("", words),
    };
    let o = match last {
        "zero" => "zeroth".to_string(),
        "one" => "first".into(),
        "two" => "second".into(),
        "three" => "third".into(),
        "five" => "fifth".into(),
        "eight" => "eighth".into(),
        "nine" => "ninth".into(),
        "twelve" => "twelfth".into(),
        l if l.ends_with('y') => format!("{}ieth", &l[..l.len() - 1]),
        l => format!("{l}th"),
    };
    format!("{head}{o}")
}

fn pluralize_last(words: &str) -> String {
    let (head, last) = match words.rfind(' ') {
        Some(p) => (&words[..=p], &words[p + 1..]),
        None => ("", words),
    };
    let p = match last {
        l if l.ends_with('y') => format!("{}ies", &l[..l.len() - 1]),
        "six" => "sixes".into(),
        l => format!("{l}s"),
    };
    format!("{head}{p}")
}

/// Year reading: 1999 → nineteen ninety nine, 2005 → two thousand five, 1900 → nineteen hundred.
fn year(d: &str) -> String {
    let v = value(d);
    match d.len() {
        4 => {
            let (a, b) = (v / 100, v % 100);
            if v.is_multiple_of(1000) || (2000..2010).contains(&v) {
                cardinal(d, false)
            } else if b == 0 {
                format!("{} hundred", cardinal(&a.to_string(), false))
            } else if b < 10 {
                format!("{} oh {}", cardinal(&a.to_string(), false), ONES[b as usize])
            } else {
                format!("{} {}", cardinal(&a.to_string(), false), cardinal(&b.to_string(), false))
            }
        }
        3 => {
            let (a, b) = (v / 100, v % 100);
            if b == 0 {
                cardinal(d, false)
            } else if b < 10 {
                format!("{} oh {}", ONES[a as usize], ONES[b as usize])
            } else {
                format!("{} {}", ONES[a as usize], cardinal(&b.to_string(), false))
            }
        }
        2 if d.starts_with('0') => format!("zero {}", ONES[(v % 10) as usize]),
        _ => cardinal(d, false),
    }
}

fn frac_digits(f: &str) -> String {
    digits(f)
}

// ------------------------------------------------------------------ tables

/// (written, singular, plural); matched case-sensitively, longest first.
const UNITS: &[(&str, &str, &str)] = &[
    ("km/h", "kilometer per hour", "kilometers per hour"),
    ("km²", "square kilometer", "square kilometers"),
    ("km³", "cubic kilometer", "cubic kilometers"),
    ("cm²", "square centimeter", "square centimeters"),
    ("cm³", "cubic centimeter", "cubic centimeters"),
    ("m²", "square meter", "square meters"),
    ("m³", "cubic meter", "cubic meters"),
    ("m2", "square meter", "square meters"),
    ("sq ft", "square foot", "square feet"),
    ("mph", "mile per hour", "miles per hour"),
    ("kph", "kilometer per hour", "kilometers per hour"),
    ("mbps", "megabit per second", "megabits per second"),
    ("Mbps", "megabit per second", "megabits per second"),
    ("gbps", "gigabit per second", "gigabits per second"),
    ("Gbps", "gigabit per second", "gigabits per second"),
    ("kWh", "kilowatt hour", "kilowatt hours"),
    ("kW", "kilowatt", "kilowatts"),
    ("MW", "megawatt", "megawatts"),
    ("GHz", "gigahertz", "gigahertz"),
    ("MHz", "megahertz", "megahertz"),
    ("kHz", "kilohertz", "kilohertz"),
    ("Hz", "hertz", "hertz"),
    ("GB", "gigabyte", "gigabytes"),
    ("MB", "megabyte", "megabytes"),
    ("TB", "terabyte", "terabytes"),
    ("KB", "kilobyte", "kilobytes"),
    ("kg", "kilogram", "kilograms"),
    ("KG", "kilogram", "kilograms"),
    ("Kg", "kilogram", "kilograms"),
    ("km", "kilometer", "kilometers"),
    ("KM", "kilometer", "kilometers"),
    ("cm", "centimeter", "centimeters"),
    ("mm", "millimeter", "millimeters"),
    ("μm", "micrometer", "micrometers"),
    ("nm", "nanometer", "nanometers"),
    ("mg", "milligram", "milligrams"),
    ("ml", "milliliter", "milliliters"),
    ("mL", "milliliter", "milliliters"),
    ("lbs", "pound", "pounds"),
    ("lb", "pound", "pounds"),
    ("oz", "ounce", "ounces"),
    ("ft", "foot", "feet"),
    ("mi", "mile", "miles"),
    ("ha", "hectare", "hectares"),
    ("cc", "CC", "CC"),
    ("°C", "degree Celsius", "degrees Celsius"),
    ("°F", "degree Fahrenheit", "degrees Fahrenheit"),
    ("℃", "degree Celsius", "degrees Celsius"),
    ("℉", "degree Fahrenheit", "degrees Fahrenheit"),
    ("%", "percent", "percent"),
    ("g", "gram", "grams"),
    ("m", "meter", "meters"),
    ("l", "liter", "liters"),
    ("L", "liter", "liters"),
];

/// Per-unit denominators after `/`.
const PER: &[(&str, &str)] = &[
    ("kg", "kilogram"),
    ("km", "kilometer"),
    ("mo", "month"),
    ("yr", "year"),
    ("wk", "week"),
    ("hr", "hour"),
    ("h", "hour"),
    ("d", "day"),
    ("s", "S"),
    ("m", "meter"),
    ("g", "gram"),
    ("day", "day"),
    ("month", "month"),
    ("year", "year"),
    ("week", "week"),
    ("hour", "hour"),
];

/// (sign, singular, plural, cent singular, cent plural)
const CURRENCY: &[(&str, &str, &str, &str, &str)] = &[
    ("US$", "us dollar", "us dollars", "cent", "cents"),
    ("HK$", "hong kong dollar", "hong kong dollars", "cent", "cents"),
    ("A$", "australian dollar", "australian dollars", "cent", "cents"),
    ("C$", "canadian dollar", "canadian dollars", "cent", "cents"),
    ("$", "dollar", "dollars", "cent", "cents"),
    ("€", "euro", "euros", "cent", "cents"),
    ("£", "pound", "pounds", "penny", "pence"),
    ("¥", "yen", "yen", "", ""),
    ("₩", "won", "won", "", ""),
    ("₹", "rupee", "rupees", "paisa", "paise"),
];

const SCALE_WORDS: &[(&str, &str)] = &[
    ("thousand", "thousand"),
    ("million", "million"),
    ("billion", "billion"),
    ("trillion", "trillion"),
    ("bn", "billion"),
    ("b", "billion"),
    ("B", "billion"),
    ("m", "million"),
    ("M", "million"),
    ("k", "thousand"),
    ("K", "thousand"),
];

const ABBREV: &[(&str, &str)] = &[
    ("Mr.", "mister"),
    ("Mrs.", "misses"),
    ("Ms.", "miss"),
    ("Dr.", "doctor"),
    ("Prof.", "professor"),
    ("Mt.", "Mount"),
    ("Hon.", "Honorable"),
    ("Maj.", "Major"),
    ("Rev.", "Reverend"),
    ("Gen.", "General"),
    ("Gov.", "Governor"),
    ("Sen.", "Senator"),
    ("Rep.", "Representative"),
    ("Capt.", "Captain"),
    ("Col.", "Colonel"),
    ("Lt.", "Lieutenant"),
    ("Sgt.", "Sergeant"),
    ("Jr.", "junior"),
    ("Sr.", "senior"),
    ("vs.", "versus"),
    ("etc.", "et cetera"),
    ("e.g.", "for example"),
    ("i.e.", "that is"),
];

const WEEKDAYS: &[(&str, &str)] = &[
    ("Mon.", "Monday"),
    ("Tue.", "Tuesday"),
    ("Tues.", "Tuesday"),
    ("Wed.", "Wednesday"),
    ("Thu.", "Thursday"),
    ("Thurs.", "Thursday"),
    ("Fri.", "Friday"),
    ("Sat.", "Saturday"),
    ("Sun.", "Sunday"),
];

const STREET: &[(&str, &str)] = &[
    ("st", "Street"),
    ("ave", "Avenue"),
    ("ct", "Court"),
    ("rd", "Road"),
    ("blvd", "Boulevard"),
    ("hwy", "Highway"),
    ("ln", "Lane"),
    ("dr", "Drive"),
    ("expy", "Expressway"),
    ("pkwy", "Parkway"),
    ("pl", "Place"),
    ("sq", "Square"),
];

const STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
];

/// Lower-case words that are really acronyms.
const LOWER_ACRONYMS: &[&str] = &["tv", "ssn", "dna", "atm", "gps", "usa", "ufo"];

const ROMAN_KEYWORDS: &[&str] = &[
    "chapter",
    "part",
    "volume",
    "vol.",
    "section",
    "article",
    "book",
    "war",
    "phase",
    "act",
    "title",
    "round",
    "level",
    "stage",
    "class",
    "grade",
    "type",
    "figure",
    "fig.",
    "appendix",
    "annex",
    "schedule",
    "world war",
];

fn month_at(c: &[char], i: usize) -> Option<(usize, usize)> {
    // returns (month index, end) for full or abbreviated month names (optionally with '.')
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

// ------------------------------------------------------------------ normaliser

#[derive(Debug, Clone)]
struct Num {
    int: String,
    frac: Option<String>,
    end: usize,
    commas: bool,
}

fn parse_num(c: &[char], i: usize) -> Option<Num> {
    if at(c, i) == '.' && dig(at(c, i + 1)) {
        let e = digit_run(c, i + 1);
        return Some(Num {
            int: String::new(),
            frac: Some(sub(c, i + 1, e)),
            end: e,
            commas: false,
        });
    }
    let mut j = digit_run(c, i);
    if j == i {
        return None;
    }
    let mut int = sub(c, i, j);
    let mut commas = false;
    if j - i <= 3 && at(c, j) == ',' {
        let mut k = j;
        while at(c, k) == ',' && digit_run(c, k + 1) == k + 4 {
            int.push_str(&sub(c, k + 1, k + 4));
            k += 4;
            commas = true;
        }
        j = k;
    }
    let mut frac = None;
    if at(c, j) == '.' && dig(at(c, j + 1)) {
        let e = digit_run(c, j + 1);
        frac = Some(sub(c, j + 1, e));
        j = e;
    }
    Some(Num { int, frac, end: j, commas })
}

struct En<'a> {
    c: &'a [char],
    o: &'a EnOptions,
    out: String,
    quotes: usize,
    /// Reading the second number of a range (`1234-123kg`), not a serial part.
    in_range: bool,
}

/// Normalise English text: numbers, symbols and abbreviations become words;
/// everything else is passed through unchanged and in order.
pub fn normalize(text: &str, opts: &EnOptions) -> String {
    // Full-width digits (English pages scraped from Chinese sites) read as digits.
    let c: Vec<char> = super::zh::fold(text);
    let mut e = En {
        c: &c,
        o: opts,
        out: String::with_capacity(text.len() * 2),
        quotes: 0,
        in_range: false,
    };
    e.run();
    e.out
}

impl En<'_> {
    fn run(&mut self) {
        let mut i = 0;
        while i < self.c.len() {
            let before = self.out.len();
            match self.step(i) {
                Some(e) if e > i => {
                    // keep verbalised numbers apart from following letters/digits (12text, B2A)
                    if self.out.len() > before
                        && self.out.chars().last().is_some_and(alnum)
                        && alnum(at(self.c, e))
                    {
                        self.out.push(' ');
                    }
                    i = e;
                }
                _ => {
                    let ch = self.c[i];
                    if ch == '"' {
                        self.quotes += 1;
                    }
                    self.out.push(ch);
                    i += 1;
                }
            }
        }
    }

    fn prev(&self, i: usize) -> char {
        if i == 0 { '\0' } else { at(self.c, i - 1) }
    }

    /// Push words, adding a space if glued to a preceding letter/digit.
    fn word(&mut self, s: &str) {
        if self.out.chars().last().is_some_and(alnum) && s.chars().next().is_some_and(alnum) {
            self.out.push(' ');
        }
        self.out.push_str(s);
    }

    fn card(&self, d: &str) -> String {
        cardinal(d, self.o.hundred_and)
    }

    /// Integer/decimal reading of a parsed number.
    fn num_words(&self, n: &Num) -> String {
        self.num_words_and(n, self.o.hundred_and)
    }

    fn num_words_and(&self, n: &Num, and: bool) -> String {
        let mut s = if n.int.is_empty() {
            String::new()
        } else if (n.int.len() > 1 && n.int.starts_with('0') && n.frac.is_none())
            || (n.int.len() > 15 && !n.commas)
        {
            digits(&n.int)
        } else {
            cardinal(&n.int, and)
        };
        if let Some(f) = &n.frac {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str("point ");
            s.push_str(&frac_digits(f));
        }
        s
    }

    fn step(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let ch = c[i];
        let p = self.prev(i);
        let boundary = !p.is_ascii_alphanumeric();
        if boundary
            && ch.is_ascii_alphanumeric()
            && let Some(e) = self.electronic(i)
        {
            return Some(e);
        }
        match ch {
            '0'..='9' => self.number(i, false),
            '.' if dig(at(c, i + 1)) && !dig(p) && p != '.' => self.number(i, false),
            '-' | '−'
                if (dig(at(c, i + 1)) || (at(c, i + 1) == '.' && dig(at(c, i + 2))))
                    && (p == '\0' || p == ' ' || p == '(' || p == '=') =>
            {
                let math = self.line_has_eq();
                if math && p != '\0' && p != '(' && p != '=' {
                    self.word("minus");
                    return Some(i + 1);
                }
                self.number(i + 1, true)
            }
            '+' if dig(at(c, i + 1)) && boundary => {
                if let Some(e) = self.phone(i) {
                    return Some(e);
                }
                self.op(i)
            }
            '+' | '=' | '*' | '×' | '-' => self.op(i),
            '\'' if dig(at(c, i + 1))
                && dig(at(c, i + 2))
                && at(c, i + 3) == 's'
                && !alnum(at(c, i + 4)) =>
            {
                // '80s
                let w = pluralize_last(&self.card(&sub(c, i + 1, i + 3)));
                self.word(&w);
                Some(i + 4)
            }
            '\'' if dig(at(c, i + 1)) && dig(at(c, i + 2)) && !alnum(at(c, i + 3)) && !alnum(p) => {
                // fiscal '62
                let w = year(&sub(c, i + 1, i + 3));
                self.word(&w);
                Some(i + 3)
            }
            '½' | '¼' | '¾' | '⅓' | '⅔' => {
                let w = match ch {
                    '½' => "one half",
                    '¼' => "one quarter",
                    '¾' => "three quarters",
                    '⅓' => "one third",
                    _ => "two thirds",
                };
                self.word(w);
                Some(i + 1)
            }
            '(' if dig(at(c, i + 1)) => self.phone(i),
            '%' if !alnum(p) && !alnum(at(c, i + 1)) => {
                self.word("percent");
                Some(i + 1)
            }
            '/' => self.slash(i),
            _ if CURRENCY.iter().any(|cu| starts(c, i, cu.0)) => self.money(i),
            _ if ch.is_ascii_alphabetic() && boundary => self.alpha(i),
            _ => None,
        }
    }

    /// `upgrade/update`, `upgrade / update` → slash (but and/or stays).
    fn slash(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut a = i;
        while a > 0 && c[a - 1] == ' ' {
            a -= 1;
        }
        let spaced = a < i;
        let mut ws = a;
        while ws > 0 && c[ws - 1].is_ascii_alphabetic() {
            ws -= 1;
        }
        let b = skip_sp(c, i + 1);
        if spaced != (b > i + 1) {
            return None;
        }
        let be = alpha_run(c, b);
        let left = sub(c, ws, a).to_ascii_lowercase();
        let right = sub(c, b, be).to_ascii_lowercase();
        if left.len() < 2
            || right.len() < 2
            || at(c, be).is_ascii_digit()
            || (left == "and" && right == "or")
        {
            return None;
        }
        let t = self.out.trim_end_matches(' ').len();
        self.out.truncate(t);
        self.out.push_str(" slash ");
        Some(b)
    }

    fn line_has_eq(&self) -> bool {
        self.c.contains(&'=')
    }

    fn op(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let ch = c[i];
        // previous / next non-space characters
        let mut k = i;
        while k > 0 && c[k - 1] == ' ' {
            k -= 1;
        }
        let pv = if k > 0 { c[k - 1] } else { '\0' };
        let nx_i = skip_sp(c, i + 1);
        let nx = at(c, nx_i);
        let w = match ch {
            '+' => "plus",
            '=' => "equals",
            '*' | '×' => "times",
            '-' if self.line_has_eq() => "minus",
            _ => return None,
        };
        let left_ok = pv.is_ascii_alphanumeric() && (ch != '-' || dig(pv));
        let right_ok = nx.is_ascii_alphanumeric() && (ch == '=' || ch == '+' || dig(nx));
        let spaced_or_num = dig(pv) || dig(nx) || ch == '=';
        if !(left_ok && right_ok && spaced_or_num) {
            return None;
        }
        let t = self.out.trim_end_matches(' ').len();
        self.out.truncate(t);
        self.out.push(' ');
        self.out.push_str(w);
        self.out.push(' ');
        Some(nx_i)
    }

    // -------------------------------------------------------------- letters

    fn alpha(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let e = alpha_run(c, i);
        let w = sub(c, i, e);
        // month dates: July 1, March 12, 2026
        if let Some(r) = self.month_date(i) {
            return Some(r);
        }
        for &(a, full) in WEEKDAYS {
            if starts(c, i, a) {
                let e2 = i + clen(a);
                self.word(full);
                if at(c, e2) == '-' && WEEKDAYS.iter().any(|(b, _)| starts(c, e2 + 1, b)) {
                    self.out.push_str(" to");
                    return Some(e2 + 1);
                }
                return Some(e2);
            }
        }
        for &(a, full) in ABBREV {
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
            && let Some((_, name)) = STATES.iter().find(|(a, _)| *a == w)
        {
            self.word(name);
            return Some(e);
        }
        let lw = w.to_ascii_lowercase();
        if w == lw && LOWER_ACRONYMS.contains(&lw.as_str()) {
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
        if ROMAN_KEYWORDS.contains(&pl.as_str()) || (line_alone && w.len() >= 2) {
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

    fn month_date(&mut self, i: usize) -> Option<usize> {
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

    // -------------------------------------------------------------- electronic

    fn electronic(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut e = i;
        while e < c.len() && !c[e].is_whitespace() && !"\"'()<>,;!?`".contains(c[e]) {
            e += 1;
        }
        // trailing dots are sentence punctuation
        while e > i && c[e - 1] == '.' {
            e -= 1;
        }
        let tok = sub(c, i, e);
        if !tok.is_ascii() {
            return None;
        }
        let lower = tok.to_ascii_lowercase();
        let scheme =
            ["http://", "https://", "file://", "ftp://"].iter().find(|s| lower.starts_with(*s));
        let email = tok.contains('@')
            && tok.split('@').count() == 2
            && tok.split('@').all(|p| p.chars().any(|x| x.is_ascii_alphanumeric()))
            && tok.rsplit('@').next().is_some_and(|d| d.contains('.'));
        let tlds = [
            "com", "org", "net", "edu", "gov", "io", "uk", "de", "fr", "it", "sm", "co", "us",
            "info", "abc", "cn", "jp",
        ];
        let domain = {
            let host = tok.split('/').next().unwrap_or("");
            let labels: Vec<&str> = host.split('.').collect();
            labels.len() >= 2
                && labels.iter().all(|l| {
                    !l.is_empty() && l.chars().all(|x| x.is_ascii_alphanumeric() || x == '-')
                })
                && labels.first().is_some_and(|l| l.chars().any(|x| x.is_ascii_alphabetic()))
                && labels.last().is_some_and(|l| tlds.contains(&l.to_ascii_lowercase().as_str()))
        };
        if scheme.is_none() && !email && !domain && !lower.starts_with("www.") {
            return None;
        }
        let mut words: Vec<String> = Vec::new();
        let mut k = 0usize;
        let tc: Vec<char> = tok.chars().collect();
        if let Some(s) = scheme {
            let name = &s[..s.len() - 3];
            words.push(if name == "file" { "file".into() } else { name.to_ascii_uppercase() });
            words.push("colon".into());
            k = clen(s);
            words.push("slash".into());
            words.push("slash".into());
            while at(&tc, k) == '/' {
                words.push("slash".into());
                k += 1;
            }
        }
        let at_pos = tc.iter().position(|&x| x == '@');
        // last label of the host
        let host_end = {
            let start = at_pos.map(|p| p + 1).unwrap_or(k);
            let mut h = start;
            while h < tc.len() && tc[h] != '/' {
                h += 1;
            }
            h
        };
        let tld_start =
            tc[..host_end].iter().rposition(|&x| x == '.').map(|p| p + 1).unwrap_or(usize::MAX);
        while k < tc.len() {
            let ch = tc[k];
            if ch.is_ascii_alphabetic() {
                let s = k;
                while k < tc.len() && tc[k].is_ascii_alphabetic() {
                    k += 1;
                }
                let w: String = tc[s..k].iter().collect();
                let lw = w.to_ascii_lowercase();
                let known = ["com", "org", "net", "edu", "gov"];
                let out = if s == tld_start
                    && !known.contains(&lw.as_str())
                    && (lw.len() == 2 || email)
                {
                    w.to_ascii_uppercase()
                } else if lw == "www" || lw == "html" || lw == "htm" {
                    lw.to_ascii_uppercase()
                } else if lw == "jpg" {
                    "jpeg".into()
                } else if s > host_end
                    && lw.len() == 2
                    && (scheme.is_some() || email || lower.starts_with("www."))
                {
                    w.to_ascii_uppercase()
                } else {
                    w
                };
                words.push(out);
            } else if ch.is_ascii_digit() {
                let s = k;
                while k < tc.len() && tc[k].is_ascii_digit() {
                    k += 1;
                }
                let d: String = tc[s..k].iter().collect();
                let round = d.len() >= 3 && d.len() <= 4 && d[1..].bytes().all(|b| b == b'0');
                words.push(if d.len() == 1 || round { cardinal(&d, false) } else { digits(&d) });
            } else {
                let w = match ch {
                    '.' => "dot",
                    '/' => "slash",
                    '-' => "dash",
                    '_' => "underscore",
                    '@' => "at",
                    '&' => "ampersand",
                    ':' => "colon",
                    '~' => "tilde",
                    '#' => "hash",
                    '?' => "question mark",
                    '=' => "equals",
                    '+' => "plus",
                    '%' => "percent",
                    _ => "",
                };
                if !w.is_empty() {
                    words.push(w.into());
                }
                k += 1;
            }
        }
        let s = words.join(" ");
        self.word(&s);
        Some(e)
    }

    // -------------------------------------------------------------- numbers

    fn phone(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut k = i;
        let mut groups: Vec<String> = Vec::new();
        let mut plus = None;
        if at(c, k) == '+' {
            let e = digit_run(c, k + 1);
            if e == k + 1 || e - k - 1 > 3 || !matches!(at(c, e), ' ' | '-' | '(') {
                return None;
            }
            plus = Some(sub(c, k + 1, e));
            k = if at(c, e) == '(' { e } else { e + 1 };
        }
        if at(c, k) == '(' {
            let e = digit_run(c, k + 1);
            if e - k - 1 != 3 || at(c, e) != ')' {
                return None;
            }
            groups.push(sub(c, k + 1, e));
            k = e + 1;
            if matches!(at(c, k), ' ' | '-') {
                k += 1;
            }
        }
        let sep_char = if groups.is_empty() { None } else { Some('-') };
        let mut sep: Option<char> = None;
        loop {
            let e = digit_run(c, k);
            if e == k {
                return None;
            }
            groups.push(sub(c, k, e));
            let nx = at(c, e);
            if (nx == '-' || nx == '.') && dig(at(c, e + 1)) && sep.is_none_or(|s| s == nx) {
                sep = Some(nx);
                k = e + 1;
            } else {
                k = e;
                break;
            }
        }
        let _ = sep_char;
        let lens: Vec<usize> = groups.iter().map(String::len).collect();
        let ok = match lens.as_slice() {
            [3, 3, 4, rest @ ..] => rest.len() <= 1,
            [3, 4] => plus.is_some() || i < k && at(c, i) == '(',
            [3, 2, 4] => sep == Some('-'),
            _ => false,
        };
        if !ok || at(c, k).is_ascii_alphanumeric() {
            return None;
        }
        let mut parts = Vec::new();
        if let Some(p) = plus {
            parts.push(format!("plus {}", digits(&p)));
        }
        for g in &groups {
            parts.push(digits(g));
        }
        self.word(&parts.join(", "));
        Some(k)
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
            parts.push(digits(&sub(c, k, e)));
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
        self.word(&parts.join(" dot "));
        Some(k)
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

    fn numeric_date(&mut self, i: usize) -> Option<usize> {
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
    fn day_month(&mut self, i: usize) -> Option<usize> {
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

    fn ampm(&self, k: usize) -> Option<(usize, &'static str)> {
        let c = self.c;
        let k = skip_sp(c, k);
        for (w, s) in [
            ("a.m.", "AM"),
            ("p.m.", "PM"),
            ("A.M.", "AM"),
            ("P.M.", "PM"),
            ("a.m", "AM"),
            ("p.m", "PM"),
            ("am", "AM"),
            ("pm", "PM"),
            ("AM", "AM"),
            ("PM", "PM"),
        ] {
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
        if ["est", "pst", "cst", "mst", "edt", "pdt", "cdt", "mdt", "gmt", "utc"]
            .contains(&w.as_str())
        {
            return Some((e, w.to_ascii_uppercase()));
        }
        None
    }

    fn time(&mut self, i: usize) -> Option<usize> {
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

    fn unit_at(&self, k: usize, allow_single: bool) -> Option<(usize, &'static str, &'static str)> {
        let c = self.c;
        for &(w, one, many) in UNITS {
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

    fn per_at(&self, k: usize) -> Option<(usize, &'static str)> {
        let c = self.c;
        if at(c, k) != '/' {
            return None;
        }
        for &(w, name) in PER {
            if starts(c, k + 1, w) && !at(c, k + 1 + clen(w)).is_ascii_alphanumeric() {
                return Some((k + 1 + clen(w), name));
            }
        }
        None
    }

    fn money(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let &(sym, one, many, cent1, cents) = CURRENCY.iter().find(|cu| starts(c, i, cu.0))?;
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
        for &(w, s) in SCALE_WORDS {
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
        if at(c, e) == '-' && CURRENCY.iter().any(|cu| starts(c, e + 1, cu.0)) {
            self.out.push_str(" to");
            return self.money(e + 1);
        }
        Some(e)
    }

    /// Fraction words: 1/2 one half, 2/4 two quarters, 23/44 twenty three forty fourths.
    fn fraction_words(&self, a: &str, b: &str) -> String {
        let an = cardinal(a, false);
        let bv = value(b);
        let plural = value(a) != 1;
        let den = match bv {
            1 => return format!("{an} over one"),
            2 => (if plural { "halves" } else { "half" }).to_string(),
            4 => (if plural { "quarters" } else { "quarter" }).to_string(),
            _ => {
                let o = ordinalize(&cardinal(b, false));
                if plural { format!("{o}s") } else { o }
            }
        };
        format!("{an} {den}")
    }

    fn number(&mut self, i: usize, neg: bool) -> Option<usize> {
        let c = self.c;
        let p = if neg { self.prev(i - 1) } else { self.prev(i) };
        // A number glued to sentence punctuation or a lone quote is its own
        // word: `!1` → `! one`, `'4` → `' four`, `123,000012` → `…three, zero…`.
        let glued =
            matches!(p, '!' | '?' | ';' | ',') || (p == '\'' && i >= 2 && !alnum(self.prev(i - 1)));
        if !neg && glued && dig(at(c, i)) && self.out.ends_with(p) {
            self.out.push(' ');
        }
        if !neg && at(c, i) != '.' {
            for f in [Self::phone, Self::ip, Self::numeric_date, Self::time, Self::day_month] {
                let save = self.out.len();
                if let Some(e) = f(self, i) {
                    return Some(e);
                }
                self.out.truncate(save);
            }
        }
        let n = parse_num(c, i)?;
        let e = n.end;
        let mut p = p;
        // mid-1980s, pre-2000
        if p == '-' && !neg && self.out.ends_with('-') {
            let t = &self.out[..self.out.len() - 1];
            let w = t
                .rsplit(|x: char| !x.is_ascii_alphabetic())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if ["mid", "pre", "post", "early", "late"].contains(&w.as_str()) {
                self.out.pop();
                self.out.push(' ');
                p = ' ';
            }
        }
        let serial_ctx = !self.in_range && (p == '/' || p == '-' || p.is_ascii_alphabetic());
        let minus = |z: &mut Self| {
            if neg {
                let w = z.o.minus_word;
                z.word(w);
            }
        };
        let plain_int = n.frac.is_none() && !n.commas;
        // quarters / halves: 3Q22, 1H23
        if plain_int
            && n.int.len() == 1
            && matches!(at(c, e), 'Q' | 'H')
            && digit_run(c, e + 1) == e + 3
            && !alnum(at(c, e + 3))
        {
            let what = if at(c, e) == 'Q' { "quarter" } else { "half" };
            let w = format!(
                "the {} {what} of {}",
                ordinalize(&cardinal(&n.int, false)),
                cardinal(&sub(c, e + 1, e + 3), false)
            );
            self.word(&w);
            return Some(e + 3);
        }
        // 401(k)
        if plain_int
            && n.int.len() == 3
            && at(c, e) == '('
            && at(c, e + 1).is_ascii_lowercase()
            && at(c, e + 2) == ')'
        {
            let w = format!("{} {}", year(&n.int), at(c, e + 1));
            self.word(&w);
            return Some(e + 3);
        }
        // dimensions with a unit: 2x8 m2 → two by eight square meters (a bare
        // `2x8` stays "two x eight"; `0x1F` is not a dimension)
        if plain_int
            && !neg
            && n.int != "0"
            && matches!(at(c, e), 'x' | '×')
            && dig(at(c, e + 1))
            && !alnum(self.prev(i))
            && {
                let e2 = digit_run(c, e + 1);
                let k = skip_sp(c, e2);
                self.unit_at(k, k == e2).is_some()
            }
        {
            let w = format!("{} by", self.card(&n.int));
            self.word(&w);
            return Some(e + 1);
        }
        // ordinals 21st, 1,000th
        for suf in ["st", "nd", "rd", "th"] {
            if n.frac.is_none() && starts_ci(c, e, suf) && !at(c, e + 2).is_ascii_alphabetic() {
                let w = ordinalize(&cardinal(&n.int, false));
                minus(self);
                self.word(&w);
                return Some(e + 2);
            }
        }
        // decades 1980s, 1980 s
        if plain_int && n.int.len() == 4 && n.int.ends_with('0') {
            let k = if at(c, e) == ' ' || (at(c, e) == '\'' && at(c, e + 1) == 's') {
                e + 1
            } else {
                e
            };
            if at(c, k) == 's' && !alnum(at(c, k + 1)) {
                let w = pluralize_last(&year(&n.int));
                self.word(&w);
                return self.after_range(k + 1, true);
            }
        }
        if plain_int
            && n.int.len() == 2
            && n.int.ends_with('0')
            && at(c, e) == 's'
            && !alnum(at(c, e + 1))
        {
            let w = pluralize_last(&cardinal(&n.int, false));
            self.word(&w);
            return Some(e + 1);
        }
        // BC / AD years
        {
            let k = skip_sp(c, e);
            for (w, s) in [
                ("B.C.", "BC"),
                ("B.C", "BC"),
                ("BC", "BC"),
                ("A.D.", "AD"),
                ("A.D", "AD"),
                ("AD", "AD"),
            ] {
                if plain_int && starts(c, k, w) && !at(c, k + clen(w)).is_ascii_alphabetic() {
                    let y = format!("{} {s}", year(&n.int));
                    self.word(&y);
                    return Some(k + clen(w));
                }
            }
        }
        // fractions (mixed: 23 4/5)
        if plain_int && !serial_ctx {
            let k = skip_sp(c, e);
            if k == e + 1 && dig(at(c, k)) {
                let ae = digit_run(c, k);
                if at(c, ae) == '/' && dig(at(c, ae + 1)) {
                    let be = digit_run(c, ae + 1);
                    if !dig(at(c, be)) && at(c, be) != '/' && value(&sub(c, ae + 1, be)) != 0 {
                        let a = sub(c, k, ae);
                        let b = sub(c, ae + 1, be);
                        let fw = if value(&a) == 1 && value(&b) == 2 {
                            "a half".to_string()
                        } else {
                            self.fraction_words(&a, &b)
                        };
                        minus(self);
                        let w = format!("{} and {fw}", self.card(&n.int));
                        self.word(&w);
                        return self.measure_suffix(skip_ord_suffix(c, be), true);
                    }
                }
            }
            let k = skip_sp(c, e);
            if at(c, k) == '/' {
                let k2 = skip_sp(c, k + 1);
                let be = digit_run(c, k2);
                if be > k2
                    && !dig(at(c, be))
                    && at(c, be) != '/'
                    && value(&sub(c, k2, be)) != 0
                    && !(at(c, be) == '.' && dig(at(c, be + 1)))
                {
                    let w = self.fraction_words(&n.int, &sub(c, k2, be));
                    minus(self);
                    self.word(&w);
                    return self.measure_suffix(skip_ord_suffix(c, be), true);
                }
            }
        }
        // house numbers: 1428 Elm St.
        if plain_int
            && !neg
            && let Some(r) = self.address(i, &n)
        {
            return Some(r);
        }
        // inches: 12"
        if at(c, e) == '"' && self.quotes.is_multiple_of(2) {
            minus(self);
            let w = format!("{} inches", self.num_words(&n));
            self.word(&w);
            return Some(e + 1);
        }
        minus(self);
        // digit strings after "ending in"
        let before = self.out.trim_end().to_ascii_lowercase();
        let w = if plain_int && n.int.len() >= 3 && before.ends_with("ending in") {
            digits(&n.int)
        } else if plain_int
            && !neg
            && !serial_ctx
            && n.int.len() == 4
            && (1000..3000).contains(&value(&n.int))
            && self.yearish(e)
        {
            year(&n.int)
        } else if p.is_ascii_alphabetic()
            && plain_int
            && (n.int.len() >= 4 && !n.int[1..].bytes().all(|b| b == b'0')
                || n.int.len() > 1 && n.int.starts_with('0'))
        {
            digits(&n.int)
        } else if p.is_ascii_alphabetic() && plain_int {
            cardinal(&n.int, false)
        } else if serial_ctx && plain_int && !neg && !self.line_has_eq() {
            // serial parts: MIG-25/235212, 1-413-te
            let w = if n.int.len() > 4 { digits(&n.int) } else { cardinal(&n.int, false) };
            self.word(&w);
            return Some(e);
        } else if plain_int && n.int.len() == 5 && self.after_state(i) {
            digits(&n.int)
        } else {
            let k = skip_sp(c, e);
            let scale =
                ["thousand", "million", "billion", "trillion"].iter().any(|w| starts(c, k, w));
            let dash_word =
                n.frac.is_none() && at(c, e) == '-' && at(c, e + 1).is_ascii_alphabetic()
                    || at(c, e) == '/' && dig(at(c, e + 1));
            self.num_words_and(&n, self.o.hundred_and && !scale && !dash_word)
        };
        self.word(&w);
        // 7.2-millimeter bullet
        if n.frac.is_some() && at(c, e) == '-' && at(c, e + 1).is_ascii_alphabetic() {
            self.out.push(' ');
            return Some(e + 1);
        }
        let r = self
            .measure_suffix(e, false)
            .and_then(|r| if r == e { self.after_range(e, false) } else { Some(r) });
        if r == Some(e) && !p.is_ascii_alphabetic() {
            let l = self.letter_after(e);
            if l > e {
                return Some(l);
            }
        }
        r.map(|r| self.space_after_punct(r))
    }

    /// Punctuation glued between a number and the next word or number gets a
    /// space after it: `1!hello` → `one! hello`, `(1)Hello` → `(one) Hello`,
    /// `1961–1965` → `nineteen sixty one– nineteen sixty five`. A lone `.` or
    /// `,` before a digit (versions, lists) is left alone.
    fn space_after_punct(&mut self, e: usize) -> usize {
        let c = self.c;
        let mut k = e;
        while matches!(at(c, k), '!' | '?' | '.' | ')' | '…' | ',' | ';' | '–' | '—') {
            k += 1;
        }
        let next = at(c, k);
        let lone = k == e + 1 && matches!(at(c, e), '.' | ',') && dig(next);
        if k == e || lone || !alnum(next) {
            return e;
        }
        self.out.extend(&c[e..k]);
        self.out.push(' ');
        k
    }

    /// A single lower-case letter after a number (`4s`, `80 s`, `3d`) is a
    /// letter name, upper-cased so that voices spell it (`four S`). Words of
    /// one letter (`a`, `I`, `o'clock`), `x` and serials (`W2s`) are left alone.
    fn letter_after(&mut self, e: usize) -> usize {
        let c = self.c;
        let k = if at(c, e) == ' ' { e + 1 } else { e };
        let l = at(c, k);
        if l.is_ascii_lowercase()
            && !matches!(l, 'a' | 'i' | 'o' | 'x')
            && !alnum(at(c, k + 1))
            && !matches!(at(c, k + 1), '\'' | '’' | '-' | '.' | '@' | '/')
        {
            self.out.push(' ');
            self.out.push(l.to_ascii_uppercase());
            return k + 1;
        }
        e
    }

    /// Is a bare 4-digit number at this point a year? (not followed by a unit/scale)
    fn yearish(&self, e: usize) -> bool {
        let c = self.c;
        let k = skip_sp(c, e);
        if self.unit_at(k, k == e).is_some() {
            return false;
        }
        if at(c, e) == '-' && dig(at(c, e + 1)) {
            // 1980-1986 are years, 1234-123kg is not
            let e2 = digit_run(c, e + 1);
            let unit = self.unit_at(skip_sp(c, e2), true).is_some();
            return !unit && (e2 - (e + 1) == 4 || e2 - (e + 1) == 2);
        }
        let nx_word = sub(c, k, alpha_run(c, k)).to_ascii_lowercase();
        ![
            "thousand", "million", "billion", "trillion", "percent", "people", "dollars", "troops",
            "men", "years",
        ]
        .contains(&nx_word.as_str())
    }

    /// Unit after a number ending at `e`.
    fn measure_suffix(&mut self, e: usize, plural: bool) -> Option<usize> {
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

    /// `a-b` ranges and math after a number ending at `e`.
    fn after_range(&mut self, e: usize, decade: bool) -> Option<usize> {
        let c = self.c;
        let k = skip_sp(c, e);
        if at(c, k) != '-' {
            return Some(e);
        }
        let k2 = skip_sp(c, k + 1);
        if !dig(at(c, k2)) || self.line_has_eq() {
            return Some(e);
        }
        // not serials like 1-413-te
        let e2 = digit_run(c, k2);
        if at(c, e2) == '-'
            || (at(c, e2).is_ascii_alphabetic()
                && self.unit_at(e2, true).is_none()
                && !(decade && at(c, e2) == 's'))
        {
            return Some(e);
        }
        self.out.push_str(" to");
        if decade && e2 - k2 == 2 {
            let w = if at(c, e2) == 's' {
                pluralize_last(&cardinal(&sub(c, k2, e2), false))
            } else {
                cardinal(&sub(c, k2, e2), false)
            };
            self.word(&w);
            return Some(if at(c, e2) == 's' { e2 + 1 } else { e2 });
        }
        let prev_year = self.out.split(' ').any(|w| w == "nineteen" || w == "twenty");
        if e2 - k2 == 2 && prev_year && !n_has_unit(self, e2) {
            let w = cardinal(&sub(c, k2, e2), false);
            self.word(&w);
            return Some(e2);
        }
        self.in_range = true;
        let r = self.number(k2, false);
        self.in_range = false;
        r
    }

    /// `..., FL, 95051`: a zip code follows a state code.
    fn after_state(&self, i: usize) -> bool {
        let c = self.c;
        let mut k = i;
        while k > 0 && matches!(c[k - 1], ' ' | ',') {
            k -= 1;
        }
        k >= 2
            && k < i
            && STATES.iter().any(|(a, _)| starts(c, k - 2, a))
            && !at(c, k.wrapping_sub(3)).is_ascii_alphabetic()
    }

    fn address(&mut self, i: usize, n: &Num) -> Option<usize> {
        let c = self.c;
        if n.int.len() > 5 || at(c, n.end) != ' ' {
            return None;
        }
        let mut k = n.end + 1;
        let mut parts: Vec<String> = Vec::new();
        let dir = |s: &str| match s {
            "N" => Some("North"),
            "S" => Some("South"),
            "E" => Some("East"),
            "W" => Some("West"),
            _ => None,
        };
        let mut words = 0;
        loop {
            let e = if dig(at(c, k)) { digit_run(c, k) } else { alpha_run(c, k) };
            if e == k {
                return None;
            }
            let w = sub(c, k, e);
            let lw = w.to_ascii_lowercase();
            if words > 0
                && let Some((_, full)) = STREET.iter().find(|(a, _)| *a == lw)
            {
                if w.len() > 1 && w.chars().all(|x| x.is_ascii_uppercase()) {
                    return None;
                }
                let nx = at(c, e);
                if nx.is_ascii_alphanumeric() {
                    return None;
                }
                parts.push((*full).to_string());
                let mut end = e;
                if nx == '.' && (e + 1 >= c.len()) {
                    end = e + 1;
                }
                let _ = i;
                let house = house_number(&n.int);
                self.word(&house);
                self.out.push(' ');
                self.out.push_str(&parts.join(" "));
                return Some(end);
            }
            if words == 0
                && let Some(d) = dir(&w)
            {
                parts.push(d.into());
            } else if dig(at(c, k)) {
                let s = sub(c, k, e);
                let se = e + 2;
                if !["st", "nd", "rd", "th"].iter().any(|x| starts_ci(c, e, x)) {
                    return None;
                }
                parts.push(ordinalize(&cardinal(&s, false)));
                words += 1;
                k = se;
                if at(c, k) != ' ' {
                    return None;
                }
                k += 1;
                continue;
            } else if w.chars().next().is_some_and(|x| x.is_ascii_uppercase()) {
                parts.push(w);
                words += 1;
            } else {
                return None;
            }
            if parts.len() > 4 || at(c, e) != ' ' {
                return None;
            }
            k = e + 1;
        }
    }
}

fn n_has_unit(z: &En<'_>, e: usize) -> bool {
    z.unit_at(skip_sp(z.c, e), true).is_some()
}

fn skip_ord_suffix(c: &[char], e: usize) -> usize {
    for s in ["th", "rd", "nd", "st"] {
        if starts_ci(c, e, s) && !at(c, e + 2).is_ascii_alphabetic() {
            return e + 2;
        }
    }
    e
}

/// House numbers: 1428 → fourteen twenty eight, 123 → one twenty three, 708 → seven zero eight.
fn house_number(d: &str) -> String {
    match d.len() {
        4 => year(d),
        3 => {
            let b = &d[1..];
            let head = digits(&d[..1]);
            if b.starts_with('0') {
                format!("{head} {}", digits(b))
            } else {
                format!("{head} {}", cardinal(b, false))
            }
        }
        _ => cardinal(d, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[track_caller]
    fn case(input: &str, expected: &str) {
        assert_eq!(normalize(input, &EnOptions::default()), expected, "input: {input:?}");
    }

    #[track_caller]
    fn case_with(opts: &EnOptions, input: &str, expected: &str) {
        assert_eq!(normalize(input, opts), expected, "input: {input:?}");
    }

    #[test]
    fn cardinals_decimals() {
        for (i, e) in [
            ("0", "zero"),
            ("123", "one hundred twenty three"),
            ("13,000", "thirteen thousand"),
            ("1,000,000", "one million"),
            ("-2", "minus two"),
            ("-0.1", "minus zero point one"),
            (".5", "point five"),
            ("2.050", "two point zero five zero"),
            ("004", "zero zero four"),
            ("1.5 million", "one point five million"),
        ] {
            case(i, e);
        }
        let o = EnOptions { hundred_and: true, minus_word: "negative", ..EnOptions::default() };
        case_with(&o, "123", "one hundred and twenty three");
        case_with(&o, "10001", "ten thousand and one");
        case_with(&o, "-1", "negative one");
    }

    #[test]
    fn ordinals_years_decades() {
        for (i, e) in [
            ("21st", "twenty first"),
            ("1,000th", "one thousandth"),
            ("12th", "twelfth"),
            ("1999", "nineteen ninety nine"),
            ("2005", "two thousand five"),
            ("2016", "twenty sixteen"),
            ("1506", "fifteen oh six"),
            ("1990s", "nineteen nineties"),
            ("'80s", "eighties"),
            ("the 1940's", "the nineteen forties"),
            ("2024 B.C", "twenty twenty four BC"),
            ("3Q22", "the third quarter of twenty two"),
        ] {
            case(i, e);
        }
    }

    #[test]
    fn dates_times() {
        for (i, e) in [
            ("July 1", "july first"),
            ("March 12, 2026", "march twelfth, twenty twenty six"),
            ("2016-11-03", "november third twenty sixteen"),
            ("10/06/2005", "october sixth two thousand five"),
            ("15.01.2020", "the fifteenth of january twenty twenty"),
            ("25 july 2012", "the twenty fifth of july twenty twelve"),
            ("on the 26th May", "on the twenty sixth of may"),
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
        let o = EnOptions { iso_date: DateStyle::DayOfMonth, ..EnOptions::default() };
        case_with(&o, "2012-01-05", "the fifth of january twenty twelve");
    }

    #[test]
    fn money_measures_percent() {
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

    #[test]
    fn fractions_ranges_phones() {
        for (i, e) in [
            ("1/2", "one half"),
            ("2/3", "two thirds"),
            ("2 1/2", "two and a half"),
            ("23/44", "twenty three forty fourths"),
            ("2-3", "two to three"),
            ("1980-1986", "nineteen eighty to nineteen eighty six"),
            ("1-2=5", "one minus two equals five"),
            ("123-123-5678", "one two three, one two three, five six seven eight"),
            ("+1 (123)-123-5678", "plus one, one two three, one two three, five six seven eight"),
            ("123.123.0.40", "one two three dot one two three dot zero dot four zero"),
        ] {
            case(i, e);
        }
    }

    #[test]
    fn glued_punctuation_letters_dimensions() {
        for (i, e) in [
            ("!1", "! one"),
            ("wait!1 done", "wait! one done"),
            ("single quote. '4", "single quote. ' four"),
            ("fiscal '62", "fiscal sixty two"),
            ("4s", "four S"),
            ("80 s", "eighty S"),
            ("W2s", "W two s"),
            ("5 o'clock", "five o'clock"),
            ("2 a day", "two a day"),
            ("2x8 m2", "two by eight square meters"),
            ("2x8", "two x eight"),
            ("1!hello", "one! hello"),
            ("(1)Hello", "(one) Hello"),
            ("114...48", "one hundred fourteen... forty eight"),
            ("1961–1965", "nineteen sixty one– nineteen sixty five"),
            ("2.0.1", "two point zero.one"),
            ("1,2", "one, two"),
        ] {
            case(i, e);
        }
    }

    #[test]
    fn abbreviations_roman_electronic() {
        for (i, e) in [
            ("Dr. Evil", "doctor Evil"),
            ("Mr. Smith", "mister Smith"),
            (
                "Nancy lived at 1428 Elm St. It was",
                "Nancy lived at fourteen twenty eight Elm Street. It was",
            ),
            ("Main St.", "Main St."),
            ("No. 10", "number ten"),
            ("the U.S. economy", "the US economy"),
            ("World War II", "World War two"),
            ("Chapter IV", "Chapter four"),
            ("Sam and I", "Sam and I"),
            ("a@hotmail.de", "a at hotmail dot DE"),
            ("www.example.com", "WWW dot example dot com"),
            ("https://example.org/a-b", "HTTPS colon slash slash example dot org slash a dash b"),
            ("upgrade/update", "upgrade slash update"),
            ("and/or", "and/or"),
            ("May I come in?", "May I come in?"),
            ("", ""),
        ] {
            case(i, e);
        }
    }

    fn letters(s: &str) -> Vec<char> {
        s.chars().filter(|ch| ch.is_alphabetic() && !ch.is_ascii()).collect()
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = normalize(&s, &EnOptions::default());
        }

        #[test]
        fn never_panics_numeric(s in "[0-9.,:/\\-+=()%$€£¥'\"a-zA-Z@ IVX]{0,40}") {
            let _ = normalize(&s, &EnOptions::default());
            let o = EnOptions { hundred_and: true, minus_word: "negative", iso_date: DateStyle::DayOfMonth };
            let _ = normalize(&s, &o);
        }

        /// Non-ASCII letters (CJK, accented words) pass through in order.
        #[test]
        fn letters_pass_through(s in "[0-9 .a-z中国éü]{0,40}|\\PC{0,30}") {
            let out = normalize(&s, &EnOptions::default());
            let (a, b) = (letters(&s), letters(&out));
            let mut it = b.iter();
            prop_assert!(a.iter().all(|x| it.any(|y| y == x)), "{s:?} -> {out:?}");
        }
    }
}
