//! `scorecard`: counts the defects a reader finds in the outputs of
//! `speechdigest build … -o OUTDIR`, one row per speech folder (issue 9).
//!
//! The detectors are independent of the generator: they read `digest.json`
//! as plain JSON and the rendered files as text, and their word lists and
//! patterns are their own (`data/`), so a filter the generator gets wrong is
//! counted rather than shared, and a change of template layout keeps them
//! working. Deterministic and offline: the same folder gives the same table.
//!
//! ```text
//! cargo run --release --bin scorecard -- OUTDIR [--json] [--explain]
//!     [--max-total N] [--baseline FILE]
//! ```
//!
//! Exit status: 0, unless `--max-total` or `--baseline` is given and
//! exceeded (1, naming what rose), or the arguments or folder are bad (2).

mod detect;
mod report;
mod rules;
mod speech;

use std::path::PathBuf;
use std::process::ExitCode;

/// What the command line asked for.
struct Args {
    dir: PathBuf,
    json: bool,
    explain: bool,
    max_total: Option<usize>,
    baseline: Option<PathBuf>,
}

const USAGE: &str =
    "usage: scorecard OUTDIR [--json] [--explain] [--max-total N] [--baseline FILE]";

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut dir = None;
    let (mut json, mut explain, mut max_total, mut baseline) = (false, false, None, None);
    while let Some(a) = argv.next() {
        match a.as_str() {
            "--json" => json = true,
            "--explain" => explain = true,
            "--max-total" => {
                let v = argv.next().ok_or("--max-total needs a number")?;
                max_total = Some(v.parse().map_err(|_| format!("--max-total: not a number: {v}"))?);
            }
            "--baseline" => {
                baseline = Some(PathBuf::from(argv.next().ok_or("--baseline needs a file")?))
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => return Err(format!("one OUTDIR only\n{USAGE}")),
        }
    }
    let dir = dir.ok_or_else(|| USAGE.to_owned())?;
    Ok(Args { dir, json, explain, max_total, baseline })
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let speeches = match speech::load_all(&args.dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let card = report::Card::score(&speeches);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&card.to_json(args.explain)).expect("JSON"));
    } else {
        print!("{}", card.table());
        if args.explain {
            print!("{}", card.explain());
        }
    }
    let mut rose = Vec::new();
    if let Some(max) = args.max_total
        && card.total() > max
    {
        rose.push(format!("total {} > --max-total {max}", card.total()));
    }
    if let Some(path) = &args.baseline {
        let base = match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                eprintln!("error: baseline {}: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        rose.extend(card.rises_over(&base));
    }
    if rose.is_empty() {
        ExitCode::SUCCESS
    } else {
        for r in &rose {
            eprintln!("rose: {r}");
        }
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_args;

    fn args(s: &str) -> Result<super::Args, String> {
        parse_args(s.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn arguments() {
        let a = args("out --json --max-total 3 --baseline b.json").unwrap();
        assert!(a.json && !a.explain);
        assert_eq!(a.max_total, Some(3));
        assert_eq!(a.baseline.unwrap().to_str(), Some("b.json"));
        assert_eq!(a.dir.to_str(), Some("out"));
        assert!(args("").is_err());
        assert!(args("a b").is_err());
        assert!(args("a --max-total x").is_err());
        assert!(args("a --nope").is_err());
    }
}
