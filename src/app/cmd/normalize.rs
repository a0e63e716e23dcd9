//! `normalize`: standard input to standard output, one normalised line per
//! line (numbers, dates, units and symbols as words).

use std::io::Write;

use crate::app::cli::{ConventionArgs, NormalizeArgs};
use crate::app::messages::Report;
use crate::error::{Error, Result};
use crate::model::Lang;
use crate::tts::{self, NormalizeOptions, en, zh};

/// The normaliser's options from the command-line switches.
pub(crate) fn normalize_options(c: &ConventionArgs) -> NormalizeOptions {
    let liang = match c.liang.as_str() {
        "except-hundred" => zh::Liang::UnitsExceptHundred,
        "measure-only" => zh::Liang::MeasureOnly,
        _ => zh::Liang::Units,
    };
    let range_word = if c.zhi { zh::RangeWord::Zhi } else { zh::RangeWord::Dao };
    NormalizeOptions {
        zh: zh::ZhOptions { liang, yao: c.yao, range_word, ..zh::ZhOptions::default() },
        en: en::EnOptions {
            hundred_and: c.hundred_and,
            minus_word: if c.negative { "negative" } else { "minus" },
            iso_date: if c.day_of_month {
                en::DateStyle::DayOfMonth
            } else {
                en::DateStyle::MonthDay
            },
        },
    }
}

pub(crate) async fn run(args: NormalizeArgs) -> Result<Report> {
    let opts = normalize_options(&args.conventions);
    let lang = args.lang;
    tokio::task::spawn_blocking(move || normalize_lines(lang, &opts))
        .await
        .map_err(|e| Error::Stdin(std::io::Error::other(e)))??;
    Ok(Report { ok: 1, failed: 0 })
}

/// Standard input to standard output, one normalised line per line; a line
/// ending (LF or CRLF) is kept as it was, and bytes that are not UTF-8 are
/// replaced, never dropped, so the line count always matches.
fn normalize_lines(lang: Option<Lang>, opts: &NormalizeOptions) -> Result<()> {
    use std::io::BufRead;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut buf = Vec::new();
    let mut previous = Lang::Zh;
    let write_err = |e: std::io::Error| Error::Write { path: "<stdout>".into(), source: e };
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf).map_err(Error::Stdin)? == 0 {
            break;
        }
        let mut end: &[u8] = b"";
        if buf.ends_with(b"\r\n") {
            end = b"\r\n";
        } else if buf.ends_with(b"\n") {
            end = b"\n";
        }
        let line = String::from_utf8_lossy(&buf[..buf.len() - end.len()]);
        let lang = lang.unwrap_or_else(|| {
            if line.chars().any(|c| c.is_alphabetic()) {
                previous = crate::text::detect_lang(&line);
            }
            previous
        });
        let done = out
            .write_all(tts::normalize(&line, lang, opts).as_bytes())
            .and_then(|()| out.write_all(end));
        match done {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(write_err(e)),
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(write_err(e)),
        _ => Ok(()),
    }
}
