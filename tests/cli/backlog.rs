//! Issue 16: a watch backlog on a pool of jobs (`--jobs N`): folder names
//! claimed in listing order whatever the number of jobs, every item done,
//! a killed pass losing nothing; and `digest.json` storing each sentence
//! once while `render` still gets the whole documented context.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::{Output, Test, leftovers, speech};

/// `speechdigest.toml` with one `inbox/` folder source.
fn config(t: &Test) {
    t.create_dir("inbox");
    t.write(
        "speechdigest.toml",
        "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n[[sources]]\nname = \"inbox\"\nkind = \"folder\"\npath = \"inbox\"\nglob = \"*.txt\"\n",
    );
}

/// `n` speeches under one title (one slug), each with a line of its own.
fn same_title_speeches(t: &Test, n: usize) {
    for i in 0..n {
        t.write(
            format!("inbox/speech-{i:02}.txt"),
            format!(
                "在全市工作会议上的讲话\n同志们：\n今天，市委召开这次全市工作会议，主要任务是总结前一阶段工作，部署下一步重点任务。\n一、总体情况\n过去一年，全年地区生产总值增长5.2%，民生持续改善，这是第{i}份讲话稿。\n二、下一步工作\n下一步，我们要坚定信心，攻坚克难，奋力完成全年目标任务。\n"
            ),
        );
    }
}

fn watch_once(t: &Test, jobs: &str) -> Output {
    t.cmd()
        .args(["watch", "--once", "--json", "--jobs", jobs, "--config", "speechdigest.toml"])
        .run()
}

/// Every item folder (no temporaries), by name, with the input its record names.
fn folders(d: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(rd) = std::fs::read_dir(d.join("digests")) else { return out };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !e.path().is_dir() || name.starts_with('.') {
            continue;
        }
        let record = std::fs::read_dir(e.path())
            .unwrap()
            .flatten()
            .find(|f| {
                let n = f.file_name().to_string_lossy().into_owned();
                n.starts_with(".speechdigest") && n.ends_with(".json")
            })
            .map(|f| std::fs::read_to_string(f.path()).unwrap())
            .unwrap_or_default();
        let locator = serde_json::from_str::<serde_json::Value>(&record)
            .ok()
            .and_then(|v| {
                v["locator"]
                    .as_str()
                    .map(|l| Path::new(l).file_name().unwrap().to_string_lossy().into_owned())
            })
            .unwrap_or_default();
        out.insert(name, locator);
    }
    out
}

// Regression: issue 16, must-show 3 (`--jobs`).
#[test]
fn jobs_claim_colliding_names_in_listing_order() {
    let n = 30;
    let (one, four) = (Test::new(), Test::new());
    for t in [&one, &four] {
        config(t);
        same_title_speeches(t, n);
    }
    watch_once(&one, "1").success();
    let r = watch_once(&four, "4");
    r.success();
    let report = r.json();
    assert_eq!(report["new"], n, "{report}");
    // The report lists the items in listing order.
    let ids: Vec<&str> =
        report["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    // One folder per speech, `-2` … `-30` and nothing else, each the
    // same speech's as with one job.
    let got = folders(four.path());
    assert_eq!(got.len(), n, "{got:?}");
    assert_eq!(got, folders(one.path()));
    let base = got.keys().min_by_key(|k| k.len()).unwrap().clone();
    let mut expected: Vec<String> = vec![base.clone()];
    expected.extend((2..=n).map(|k| format!("{base}-{k}")));
    expected.sort();
    assert_eq!(got.keys().cloned().collect::<Vec<_>>(), expected);
    assert_eq!(got[&base], "speech-00.txt");
    assert_eq!(got[&format!("{base}-{n}")], format!("speech-{:02}.txt", n - 1));
    let inputs: std::collections::BTreeSet<&String> = got.values().collect();
    assert_eq!(inputs.len(), n, "two folders for one speech: {got:?}");
    // Nothing left to do.
    let again = watch_once(&four, "4");
    again.success();
    assert_eq!(again.json()["unchanged"], n);
    assert!(leftovers(&four.path().join("digests")).is_empty());
}

// Regression: issue 16, must-show 3 (a killed pass with two jobs).
#[test]
#[cfg(unix)]
fn a_killed_pass_with_two_jobs_loses_nothing() {
    let n = 40;
    let t = Test::new();
    config(&t);
    let body = std::fs::read_to_string(speech("en-johnson-1963-joint-session-nov27.txt")).unwrap();
    let paragraphs: Vec<&str> = body.lines().filter(|l| !l.trim().is_empty()).collect();
    for i in 0..n {
        // Forty different speeches (a third of the paragraphs each, picked
        // per copy): copies of one text would be one speech, digested once.
        let picked: Vec<&str> = paragraphs
            .iter()
            .enumerate()
            .filter(|(j, _)| {
                ((j * 2_654_435_761) ^ (i * 40_503)).wrapping_mul(2_246_822_519) % 3 == 0
            })
            .map(|(_, p)| *p)
            .collect();
        t.write(
            format!("inbox/s{i:02}.txt"),
            format!("{}\n{}\n", paragraphs[0], picked.join("\n")),
        );
    }
    let d = t.path();
    let mut child = t
        .cmd()
        .args(["watch", "--once", "--jobs", "2", "--config", "speechdigest.toml"])
        .std_command()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while folders(d).len() < 2 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = folders(d);
    assert!(!before.is_empty() && before.len() < n, "{}", before.len());
    // Every folder there is whole: an item record names its input.
    assert!(before.values().all(|l| !l.is_empty()), "{before:?}");
    let r = watch_once(&t, "2");
    r.success();
    let report = r.json();
    assert_eq!(report["new"].as_u64().unwrap() + report["unchanged"].as_u64().unwrap(), n as u64);
    let after = folders(d);
    assert_eq!(after.len(), n);
    for (k, v) in &before {
        assert_eq!(after.get(k), Some(v), "folder {k} changed hands");
    }
    assert!(leftovers(&d.join("digests")).is_empty(), "{:?}", leftovers(&d.join("digests")));
}
