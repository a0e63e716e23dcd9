//! Bad input: one line naming the input and what is wrong, exit code ≠ 0,
//! never a panic; the good inputs of a batch are still done (exit 1).

use crate::support::{run, speech};

#[track_caller]
fn fails_alone(path: &std::path::Path, expected: &str) {
    let r = run(["outline".as_ref(), path.as_os_str()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(lines[0].starts_with("error: "), "{}", r.stderr);
    assert!(lines[0].contains(&path.display().to_string()), "{}", r.stderr);
    assert!(lines[0].contains(expected), "{} does not say {expected}", r.stderr);
}

#[test]
fn empty_binary_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n\r\n").unwrap();
    fails_alone(&empty, "is empty");
    let binary = dir.path().join("photo.png");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    fails_alone(&binary, "not text");
    let zeros = dir.path().join("zeros.bin");
    std::fs::write(&zeros, [0u8, 1, 2, 3, 0, 0, 0, 9]).unwrap();
    fails_alone(&zeros, "not text");
    fails_alone(&dir.path().join("missing.txt"), "No such file");
    fails_alone(dir.path(), "directory");
    let furniture = dir.path().join("furniture.txt");
    std::fs::write(&furniture, "浏览量:110\n发布时间:2025-10-29\n点赞 0\n收藏 0\n").unwrap();
    fails_alone(&furniture, "page furniture");
}

#[test]
fn unreachable_url_fails_with_its_name() {
    // Port 9 (discard) on loopback: nothing listens there.
    let r = run(["outline", "http://127.0.0.1:9/speech.html", "--fetch-timeout", "5"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: cannot fetch `http://127.0.0.1:9/speech.html`"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

#[test]
fn a_bad_input_beside_a_good_one_gives_exit_1_and_the_good_output() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let r = run([
        empty.as_os_str(),
        speech("zh-seed-anticorruption-2025.txt").as_os_str(),
        dir.path().join("missing.txt").as_os_str(),
    ]
    .iter()
    .fold(vec!["outline".as_ref()], |mut v: Vec<&std::ffi::OsStr>, a| {
        v.push(a);
        v
    }));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("肯定成绩正视不足"), "{}", r.stdout);
    let errors: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 2, "{}", r.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let r = run(["outline"]);
    assert_eq!(r.code, 2);
    let r = run(["outline", "--lang", "fr", "x.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown language"), "{}", r.stderr);
    let r = run(["outline", "-", "-"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("only once"), "{}", r.stderr);
}

#[test]
fn too_large_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, "同志们：".repeat(400_000)).unwrap();
    let r = run(["outline".as_ref(), "--max-input-mib".as_ref(), "1".as_ref(), big.as_os_str()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("too large"), "{}", r.stderr);
}

// Regression: review of stop 7 — a malformed page date panicked the batch.
#[test]
fn a_malformed_page_date_is_ignored_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.html");
    std::fs::write(&page, "<html><head><meta property=\"article:published_time\" content=\"2025-10-中\"><title>T</title></head><body><article><h1>测试讲话</h1><p>同志们：今天我们召开会议，研究部署下一步的重点工作，推动各项任务落到实处，确保取得实效。</p></article></body></html>").unwrap();
    let r = run(["outline".as_ref(), page.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}
