//! The rule tables of the text normalisers ([`super::en`], [`super::zh`]):
//! unit, currency, abbreviation, state, measure-word and context-word lists
//! and symbol readings, kept as TSV files beside this module so that they can
//! be read and extended without touching the recognisers.
//!
//! Format of every file: the first line is a `#` comment naming the columns
//! and how the table is matched; every other non-empty line is one row of
//! tab-separated fields (no other comment lines, so `#` can be a key).  Fields
//! are never empty and carry no surrounding spaces; in a value column (after
//! the key columns) `-` stands for the empty string.  Row order is kept:
//! several tables are matched first-hit in file order (longer forms first).
//!
//! The files are embedded with `include_str!` and each is parsed once, on first
//! use, into a `LazyLock`.  A malformed file is a programming error caught by
//! the tests below, so parsing panics with the file name and line.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Rows of `text` (the contents of `name`) with exactly `N` fields each; the
/// first `key_cols` fields form the key, which must be unique.
fn parse<const N: usize>(
    name: &str,
    text: &'static str,
    key_cols: usize,
) -> Result<Vec<[&'static str; N]>, String> {
    let mut lines = text.lines();
    if !lines.next().is_some_and(|h| h.starts_with('#')) {
        return Err(format!("{name}: the first line must be a `#` header comment"));
    }
    let mut rows = Vec::new();
    let mut keys = HashSet::new();
    for (n, line) in lines.enumerate() {
        let at = format!("{name}:{}", n + 2);
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&'static str> = line.split('\t').collect();
        let count = fields.len();
        let mut row: [&'static str; N] = fields
            .try_into()
            .map_err(|_| format!("{at}: {count} tab-separated fields, expected {N}"))?;
        if let Some(f) = row.iter().find(|f| f.is_empty() || f.trim() != **f) {
            return Err(format!("{at}: empty field or spaces around a field: {f:?}"));
        }
        if !keys.insert(row[..key_cols.min(N)].to_vec()) {
            return Err(format!("{at}: duplicate key {:?}", &row[..key_cols.min(N)]));
        }
        for f in row.iter_mut().skip(key_cols) {
            if *f == "-" {
                *f = "";
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

fn load<const N: usize>(name: &str, text: &'static str, key_cols: usize) -> Vec<[&'static str; N]> {
    parse(name, text, key_cols).unwrap_or_else(|e| panic!("tts rule table {e}"))
}

/// Declares one `LazyLock` per file: `table NAME[N] key K = "file"` (rows of
/// `N` fields, the first `K` the key) or `list NAME = "file"` (one word a
/// line), and, for the tests, the list of all files.
macro_rules! tables {
    ($( $(#[$doc:meta])* $kind:ident $name:ident $([$n:literal] key $k:literal)? = $file:literal; )*) => {
        $( tables!(@one $(#[$doc])* $kind $name $([$n] key $k)? = $file); )*

        /// Every table as (file name, parse with the declared shape → row count).
        #[cfg(test)]
        const ALL: &[(&str, fn() -> Result<usize, String>)] = &[
            $( ($file, || tables!(@parse $kind $([$n] key $k)? = $file)), )*
        ];
    };
    (@one $(#[$doc:meta])* table $name:ident [$n:literal] key $k:literal = $file:literal) => {
        $(#[$doc])*
        pub(crate) static $name: LazyLock<Vec<[&'static str; $n]>> =
            LazyLock::new(|| load::<$n>($file, include_str!($file), $k));
    };
    (@one $(#[$doc:meta])* list $name:ident = $file:literal) => {
        $(#[$doc])*
        pub(crate) static $name: LazyLock<Vec<&'static str>> =
            LazyLock::new(|| load::<1>($file, include_str!($file), 1).into_iter().map(|[w]| w).collect());
    };
    (@parse table [$n:literal] key $k:literal = $file:literal) => {
        parse::<$n>($file, include_str!($file), $k).map(|r| r.len())
    };
    (@parse list = $file:literal) => {
        parse::<1>($file, include_str!($file), 1).map(|r| r.len())
    };
}

tables! {
    /// English units: (written, singular, plural).
    table EN_UNITS[3] key 1 = "en_units.tsv";
    /// English denominators after `/`: (written, spoken).
    table EN_PER_UNITS[2] key 1 = "en_per_units.tsv";
    /// English currency signs: (sign, singular, plural, cent singular, cent plural).
    table EN_CURRENCY[5] key 1 = "en_currency.tsv";
    /// English scale words after money: (written, spoken).
    table EN_MONEY_SCALES[2] key 1 = "en_money_scales.tsv";
    /// English abbreviations: (written, spoken).
    table EN_ABBREV[2] key 1 = "en_abbrev.tsv";
    /// English weekday abbreviations: (written, spoken).
    table EN_WEEKDAYS[2] key 1 = "en_weekdays.tsv";
    /// English street types: (lower-case written, spoken).
    table EN_STREETS[2] key 1 = "en_streets.tsv";
    /// US state codes: (code, spoken).
    table EN_STATES[2] key 1 = "en_states.tsv";
    /// Symbols inside URLs and e-mail addresses: (symbol, spoken).
    table EN_SYMBOLS[2] key 1 = "en_symbols.tsv";
    /// am/pm markers after a clock time: (written, spoken).
    table EN_AMPM[2] key 1 = "en_ampm.tsv";
    /// Lower-case words that are really acronyms.
    list EN_ACRONYMS = "en_acronyms.tsv";
    /// Words after which a Roman numeral is a cardinal.
    list EN_ROMAN_KEYWORDS = "en_roman_keywords.tsv";
    /// Top-level domains that make a bare token a domain name.
    list EN_TLDS = "en_tlds.tsv";
    /// Time-zone words after a clock time.
    list EN_TIMEZONES = "en_timezones.tsv";
    /// Words after a four-digit number that make it a count, not a year.
    list EN_YEAR_BLOCKERS = "en_year_blockers.tsv";
    /// Chinese measure words before which 2 is read 两.
    list ZH_MEASURE_WORDS = "zh_measure_words.tsv";
    /// Units in Chinese text: (written, spoken, spoken prefix).
    table ZH_UNITS[3] key 1 = "zh_units.tsv";
    /// Currency signs before an amount in Chinese text: (sign, spoken).
    table ZH_CURRENCY[2] key 1 = "zh_currency.tsv";
    /// Currency words after an amount in Chinese text.
    list ZH_MONEY_WORDS = "zh_money_words.tsv";
    /// Words that make a digit run a code: (`before` | `after`, word).
    table ZH_DIGIT_CONTEXT[2] key 2 = "zh_digit_context.tsv";
    /// Words before `a:b` that make it a score.
    list ZH_SCORE_CONTEXT = "zh_score_context.tsv";
    /// Math symbols in Chinese text: (symbol, spoken).
    table ZH_MATH[2] key 1 = "zh_math.tsv";
}

/// Words before a digit run that make it a code ([`ZH_DIGIT_CONTEXT`] `before`).
pub(crate) static ZH_DIGIT_BEFORE: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| zh_digit_context("before"));
/// Words right after a digit run that make it a code ([`ZH_DIGIT_CONTEXT`] `after`).
pub(crate) static ZH_DIGIT_AFTER: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| zh_digit_context("after"));

fn zh_digit_context(kind: &str) -> Vec<&'static str> {
    ZH_DIGIT_CONTEXT.iter().filter(|[k, _]| *k == kind).map(|[_, w]| *w).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_parses_with_unique_keys() {
        for (file, parse) in ALL {
            match parse() {
                Ok(rows) => assert!(rows > 0, "{file}: no rows"),
                Err(e) => panic!("{e}"),
            }
        }
    }

    /// Every data file in the folder is declared (none is silently unused).
    #[test]
    fn every_file_is_declared() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tts/data");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tsv"))
            .collect();
        on_disk.sort();
        let mut declared: Vec<String> = ALL.iter().map(|(f, _)| (*f).to_owned()).collect();
        declared.sort();
        assert_eq!(on_disk, declared);
    }

    #[test]
    fn statics_load() {
        assert_eq!(EN_UNITS[0], ["km/h", "kilometer per hour", "kilometers per hour"]);
        assert_eq!(EN_CURRENCY.iter().find(|r| r[0] == "¥"), Some(&["¥", "yen", "yen", "", ""]));
        assert_eq!(EN_SYMBOLS.iter().find(|r| r[0] == "#"), Some(&["#", "hash"]));
        assert_eq!(EN_SYMBOLS.iter().find(|r| r[0] == "-"), Some(&["-", "dash"]));
        assert_eq!(ZH_UNITS[0], ["km/h", "公里", "每小时"]);
        assert_eq!(ZH_UNITS[1], ["km²", "平方千米", ""]);
        assert!(ZH_MEASURE_WORDS.contains(&"个"));
        assert!(ZH_DIGIT_AFTER.contains(&"热线") && ZH_DIGIT_BEFORE.contains(&"热线"));
        assert!(ZH_DIGIT_CONTEXT.iter().all(|[k, _]| ["before", "after"].contains(k)));
        assert_eq!(ZH_DIGIT_BEFORE.len() + ZH_DIGIT_AFTER.len(), ZH_DIGIT_CONTEXT.len());
    }

    #[test]
    fn malformed_rows_are_errors() {
        assert!(parse::<2>("t", "# h\na\tb\n", 1).is_ok());
        assert_eq!(parse::<2>("t", "# h\na\tb\n\nc\t-\n", 1).map(|r| r[1]), Ok(["c", ""]));
        assert!(parse::<2>("t", "a\tb\n", 1).is_err(), "no header");
        assert!(parse::<2>("t", "# h\na\tb\tc\n", 1).is_err(), "too many fields");
        assert!(parse::<2>("t", "# h\na\n", 1).is_err(), "too few fields");
        assert!(parse::<2>("t", "# h\na\t\n", 1).is_err(), "empty field");
        assert!(parse::<2>("t", "# h\na\t b\n", 1).is_err(), "space around a field");
        assert!(parse::<2>("t", "# h\na\tb\na\tc\n", 1).is_err(), "duplicate key");
        assert!(parse::<2>("t", "# h\na\tb\na\tc\n", 2).is_ok(), "two-column key");
        assert_eq!(parse::<2>("t", "# h\n-\tb\n", 1).map(|r| r[0]), Ok(["-", "b"]), "key `-`");
    }
}
