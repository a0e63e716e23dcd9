//! Bad input: one line naming the input and what is wrong, exit code ≠ 0,
//! never a panic; the good inputs of a batch are still done (exit 1).

use crate::support::{Test, speech};

/// `outline <path>` (run in `t`) fails with exit 1 and one `error:` line
/// naming the path and saying `expected`.
#[track_caller]
fn fails_alone(t: &Test, path: &std::path::Path, expected: &str) {
    let r = t.cmd().arg("outline").arg(path).run();
    r.code(1).stdout_is("").stderr_lacks("panicked").stderr_has(expected);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{r}");
    assert!(lines[0].starts_with("error: "), "{r}");
    assert!(lines[0].contains(&path.display().to_string()), "{r}");
    assert!(lines[0].contains(expected), "{r}");
}

#[test]
fn empty_binary_and_missing_files() {
    let t = Test::new();
    fails_alone(&t, &t.write("empty.txt", "  \n\r\n"), "is empty");
    fails_alone(&t, &t.write("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "not text");
    fails_alone(&t, &t.write("zeros.bin", [0u8, 1, 2, 3, 0, 0, 0, 9]), "not text");
    fails_alone(&t, &t.join("missing.txt"), "No such file");
    fails_alone(&t, &t.create_dir("folder"), "directory");
    let furniture = t.write("furniture.txt", "浏览量:110\n发布时间:2025-10-29\n点赞 0\n收藏 0\n");
    fails_alone(&t, &furniture, "page furniture");
}

#[test]
fn unreachable_url_fails_with_its_name() {
    // Port 9 (discard) on loopback: nothing listens there.
    let r = Test::new()
        .args(["outline", "http://127.0.0.1:9/speech.html", "--fetch-timeout", "5"])
        .run();
    r.code(1);
    assert!(r.stderr.starts_with("error: cannot fetch `http://127.0.0.1:9/speech.html`"), "{r}");
    assert_eq!(r.stderr.lines().count(), 1, "{r}");
}

#[test]
fn a_bad_input_beside_a_good_one_gives_exit_1_and_the_good_output() {
    let t = Test::new();
    let empty = t.write("empty.txt", "");
    let r = t
        .cmd()
        .arg("outline")
        .args([empty, speech("zh-seed-anticorruption-2025.txt"), t.join("missing.txt")])
        .run();
    r.code(1).stdout_has("肯定成绩正视不足");
    assert_eq!(r.errors().len(), 2, "{r}");
}

#[test]
fn usage_errors_exit_2() {
    Test::new().arg("outline").run().code(2);
    Test::new()
        .args(["outline", "--lang", "fr", "x.txt"])
        .run()
        .code(2)
        .stderr_has("unknown language");
    Test::new().args(["outline", "-", "-"]).run().code(2).stderr_has("only once");
}

#[test]
fn too_large_input_is_refused() {
    let t = Test::new();
    t.write("big.txt", "同志们：".repeat(400_000));
    t.cmd()
        .args(["outline", "--max-input-mib", "1", "big.txt"])
        .run()
        .code(1)
        .stderr_has("too large");
}

// Regression: review of stop 7 — a malformed page date panicked the batch.
#[test]
fn a_malformed_page_date_is_ignored_not_fatal() {
    let t = Test::new();
    let page = t.write("p.html", "<html><head><meta property=\"article:published_time\" content=\"2025-10-中\"><title>T</title></head><body><article><h1>测试讲话</h1><p>同志们：今天我们召开会议，研究部署下一步的重点工作，推动各项任务落到实处，确保取得实效。</p></article></body></html>");
    t.cmd().arg("outline").arg(page).run().success().stderr_lacks("panicked");
}
