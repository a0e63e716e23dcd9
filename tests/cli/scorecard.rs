//! The scorecard (`src/bin/scorecard/`) on the fixture speeches and on the
//! shared evaluation corpus: no count may rise above the committed
//! baselines, `tests/scorecard-baseline.json` and
//! `tests/scorecard-corpus-baseline.json` (per speech, per detector). `SPEECHDIGEST_UPDATE_SCORECARD=1 cargo test
//! scorecard` rewrites the baseline from this run, after a change that
//! lowers a count (or, argued in the commit, one that must raise it).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{Test, fixture};

fn baseline_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(name)
}

/// The fixture speeches (`tests/fixtures/speeches/*.txt`), copied into the
/// test's folder and built from there by relative path, so that the
/// outputs (and their `来源`/`Source` lines) are the same on every machine.
fn build_fixtures() -> Test {
    build_folder(&fixture("speeches"))
}

/// Every `.txt` speech of `dir`, copied and built as [`build_fixtures`] does.
fn build_folder(dir: &Path) -> Test {
    let t = Test::new();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the speeches")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let mut build = t.cmd().arg("build");
    for n in &names {
        t.copy(dir.join(n), format!("speeches/{n}"));
        build = build.arg(format!("speeches/{n}"));
    }
    build.args(["-o", "out"]).run().success();
    t
}

fn scorecard(t: &Test, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_scorecard"))
        .arg(t.join("out"))
        .args(args)
        .output()
        .expect("run the scorecard")
}

#[test]
fn scorecard_does_not_rise_above_the_baseline() {
    holds_baseline(&build_fixtures(), "scorecard-baseline.json", 2);
}

/// The README's figure: the eleven corpus speeches.
#[test]
fn scorecard_on_the_corpus_does_not_rise() {
    let Some(dir) = crate::support::shared_speeches() else { return };
    holds_baseline(&build_folder(&dir), "scorecard-corpus-baseline.json", 11);
}

fn holds_baseline(t: &Test, name: &str, speeches_n: usize) {
    let t = t.cmd();
    let run = scorecard(&t, &["--json"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let card: Value = serde_json::from_slice(&run.stdout).expect("--json prints JSON");
    let speeches = card["speeches"].as_array().expect("speeches");
    assert_eq!(speeches.len(), speeches_n, "{card}");
    assert!(card["total"].as_u64().is_some());

    if std::env::var_os("SPEECHDIGEST_UPDATE_SCORECARD").is_some_and(|v| v != "0") {
        let text = serde_json::to_string_pretty(&card).expect("JSON") + "\n";
        std::fs::write(baseline_path(name), text).expect("write the baseline");
        return;
    }
    let base = baseline_path(name);
    let check = scorecard(&t, &["--baseline", base.to_str().expect("a UTF-8 path")]);
    let table = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "the scorecard rose above {}:\n{}\n{table}\nFix the outputs, or, if the rise is \
         intended, rewrite the baseline with `SPEECHDIGEST_UPDATE_SCORECARD=1 cargo test \
         scorecard` and say why in the commit.",
        base.display(),
        String::from_utf8_lossy(&check.stderr)
    );
    let was: Value =
        serde_json::from_str(&std::fs::read_to_string(&base).expect("the baseline")).expect("JSON");
    if was["total"] != card["total"] {
        eprintln!(
            "scorecard total {} (baseline {}): lower now; lock it in with \
             `SPEECHDIGEST_UPDATE_SCORECARD=1 cargo test scorecard`",
            card["total"], was["total"]
        );
    }
}

#[test]
fn scorecard_exit_codes() {
    let t = build_fixtures();
    let table = scorecard(&t, &[]);
    assert!(table.status.success());
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.starts_with("speech") && text.contains("\nTOTAL"), "{text}");
    // The fixtures have defects: a zero ceiling is exceeded, and says so.
    let over = scorecard(&t, &["--max-total", "0"]);
    assert_eq!(over.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&over.stderr).contains("rose: total"));
    let empty = t.create_dir("empty");
    let none = Command::new(env!("CARGO_BIN_EXE_scorecard")).arg(empty).output().unwrap();
    assert_eq!(none.status.code(), Some(2));
}
