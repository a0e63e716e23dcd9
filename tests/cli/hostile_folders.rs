//! Hostile folders (issue 12, items 3, 4 and 10): a watched folder that links
//! outside itself or back into itself, an output folder that holds the user's
//! folders, FIFOs and links, two builds into one `-o`, builds killed mid-way.
//! Every hostile tree is made at test time, in the test's temp dir.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::{Test, folders, leftovers, speech};

/// A short speech whose title (and so folder) is numbered `n`.
fn speech_text(n: usize) -> String {
    format!(
        "第{n}次全市工作会议上的讲话\n同志们：今天我们召开第{n}次全市工作会议，研究部署下一步的重点工作，推动各项任务落到实处，确保取得实效。\n"
    )
}

/// The text of every regular file under `dir` (links not followed).
fn all_text(dir: &Path) -> String {
    let mut s = String::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let kind = e.file_type().unwrap();
        if kind.is_dir() {
            s.push_str(&all_text(&e.path()));
        } else if kind.is_file() {
            s.push_str(&String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()));
        }
    }
    s
}

/// `mkfifo path`; false where there is no `mkfifo`.
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success())
}

/// The default build's files (as tests/cli/build.rs lists them).
const OUTPUTS: [&str; 13] = [
    "briefing.md",
    "briefing.docx",
    "keypoints.md",
    "handout.md",
    "handout.html",
    "handout.docx",
    "newsletter.md",
    "newsletter.html",
    "digest.json",
    "transcript.txt",
    "transcript.ssml",
    "briefing.tts.txt",
    "newsletter.tts.txt",
];

fn build(t: &Test, input: &str) -> crate::support::Output {
    t.cmd().args(["build", input, "-o", "out"]).run()
}

// Regression: issue 12, item 3 (a link to `/etc` digested `/etc/gshadow`;
// `selfloop -> .` turned 30 files into 857 digests).
#[test]
#[cfg(unix)]
fn a_watched_folder_never_leaves_its_root_and_lists_each_file_once() {
    use std::os::unix::fs::symlink;
    let t = Test::new();
    t.write(
        "speechdigest.toml",
        "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n[[sources]]\nname = \"inbox\"\nkind = \"folder\"\npath = \"inbox\"\n",
    );
    for n in 0..4 {
        t.write(format!("inbox/a{n}.txt"), speech_text(n));
    }
    t.write("inbox/sub/b.txt", speech_text(4));
    // Outside the source: a secret-looking file that reads like a speech.
    let secret = "SECRET-7f3a-gshadow";
    t.write("private/gshadow", format!("{}\n{secret}\n", speech_text(9)));
    let inbox = t.join("inbox");
    symlink(t.join("private"), inbox.join("etc")).unwrap();
    symlink(t.join("private/gshadow"), inbox.join("shadow.txt")).unwrap();
    symlink(".", inbox.join("selfloop")).unwrap();
    symlink("..", inbox.join("sub/up")).unwrap();
    symlink("sub", inbox.join("mirror")).unwrap();
    symlink("a0.txt", inbox.join("alias.txt")).unwrap();
    let r = t.cmd().args(["watch", "--once", "--config", "speechdigest.toml"]).run();
    r.success().stdout_has("watch: 5 new, 0 updated, 0 unchanged, 0 failed");
    assert_eq!(r.stderr.matches("leads outside").count(), 2, "{r}");
    r.never_shows(secret);
    let digests = t.join("digests");
    assert_eq!(folders(&digests).len(), 5, "{:?}", folders(&digests));
    assert!(!all_text(&digests).contains(secret), "the secret was digested");
    assert!(!folders(&digests).iter().any(|f| f.to_string_lossy().contains("第9次")));
    t.cmd()
        .args(["watch", "--once", "--config", "speechdigest.toml"])
        .run()
        .success()
        .stdout_has("0 new, 0 updated, 5 unchanged");
}

#[test]
#[cfg(unix)]
fn build_reads_no_folder_and_so_no_link_in_one() {
    let t = Test::new();
    t.write("private/gshadow", "SECRET-7f3a-gshadow\n");
    t.create_dir("inbox");
    std::os::unix::fs::symlink(t.join("private"), t.join("inbox/etc")).unwrap();
    let r = t.cmd().args(["build", "inbox", "-o", "out"]).run();
    r.code(1).stderr_has("it is a directory").never_shows("SECRET");
    assert!(!t.join("out").exists() || folders(&t.join("out")).is_empty());
}

// Regression: issue 12, item 4 (`photos/`, FIFOs and links to non-files were
// deleted by a rebuild, links to files became copies).
#[test]
#[cfg(unix)]
fn a_rebuild_keeps_everything_it_does_not_write_and_removes_stale_outputs() {
    use std::os::unix::fs::{FileTypeExt, symlink};
    let t = Test::new();
    t.write("s.txt", speech_text(1));
    t.write("tpl/slides.txt.tera", "{{ meta.title }}\n");
    t.cmd().args(["build", "s.txt", "-o", "out", "--templates", "tpl"]).run().success();
    let f = folders(&t.join("out"));
    assert_eq!(f.len(), 1, "{f:?}");
    let x = f[0].clone();
    assert!(x.join("slides.txt").is_file());
    std::fs::create_dir(x.join("photos")).unwrap();
    std::fs::write(x.join("photos/p.jpg"), "jpeg").unwrap();
    std::fs::write(x.join("notes.txt"), "mine").unwrap();
    symlink("briefing.md", x.join("latest.md")).unwrap();
    symlink("photos", x.join("pics")).unwrap();
    symlink("/nowhere/at/all", x.join("gone")).unwrap();
    let fifo = mkfifo(&x.join("pipe"));
    // Without the user template: slides.txt is no longer an output.
    build(&t, "s.txt").success();
    assert_eq!(folders(&t.join("out")), std::slice::from_ref(&x));
    assert_eq!(std::fs::read_to_string(x.join("photos/p.jpg")).unwrap(), "jpeg");
    assert_eq!(std::fs::read_to_string(x.join("notes.txt")).unwrap(), "mine");
    for (link, to) in
        [("latest.md", "briefing.md"), ("pics", "photos"), ("gone", "/nowhere/at/all")]
    {
        let md = std::fs::symlink_metadata(x.join(link)).unwrap();
        assert!(md.file_type().is_symlink(), "{link} is no longer a link");
        assert_eq!(std::fs::read_link(x.join(link)).unwrap(), Path::new(to));
    }
    if fifo {
        assert!(std::fs::symlink_metadata(x.join("pipe")).unwrap().file_type().is_fifo());
    }
    assert!(!x.join("slides.txt").exists(), "a stale output stayed");
    for o in OUTPUTS {
        assert!(x.join(o).is_file(), "{o} missing");
    }
    // An `--only` run keeps the outputs it does not write.
    let keypoints = std::fs::read(x.join("keypoints.md")).unwrap();
    t.cmd().args(["build", "s.txt", "-o", "out", "--only", "briefing"]).run().success();
    assert_eq!(std::fs::read(x.join("keypoints.md")).unwrap(), keypoints);
    assert!(x.join("photos/p.jpg").is_file() && x.join("pipe").exists() == fifo);
    assert!(leftovers(&t.join("out")).is_empty(), "{:?}", leftovers(&t.join("out")));
}

// Regression: issue 12, item 10 (two builds into one `-o` failed one in four
// with `Directory not empty (os error 39)`).
#[test]
fn concurrent_builds_into_one_folder_both_succeed() {
    let t = Test::new();
    t.write("s.txt", speech_text(1));
    let out = t.join("out");
    for round in 0..10 {
        let children: Vec<_> = (0..2)
            .map(|_| {
                t.cmd()
                    .args(["build", "s.txt", "-o", "out"])
                    .std_command()
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "round {round}: {}", String::from_utf8_lossy(&o.stderr));
        }
        assert_eq!(folders(&out).len(), 1, "round {round}: {:?}", folders(&out));
        assert!(leftovers(&out).is_empty(), "round {round}: {:?}", leftovers(&out));
    }
    // Two inputs with one title, at once: two folders, each its own.
    t.write("other/s.txt", speech_text(1));
    let children: Vec<_> = ["s.txt", "other/s.txt"]
        .iter()
        .map(|s| {
            t.cmd()
                .args(["build", s, "-o", "out"])
                .std_command()
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let f = folders(&out);
    assert_eq!(f.len(), 2, "{f:?}");
    let owners: Vec<String> = f
        .iter()
        .map(|d| std::fs::read_to_string(d.join(".speechdigest-source")).unwrap())
        .collect();
    assert_ne!(owners[0].lines().next(), owners[1].lines().next());
}

// Regression: issue 12, item 10 (a build killed mid-way left
// `.speechdigest-XXXXXX` temporaries that later builds never removed).
#[test]
fn a_builds_leftovers_are_removed_by_the_next() {
    let t = Test::new();
    t.write("s.txt", speech_text(1));
    build(&t, "s.txt").success();
    let x = folders(&t.join("out"))[0].clone();
    let name = x.file_name().unwrap().to_string_lossy().into_owned();
    // What speechdigest 0.1 left when killed, and a staged folder cut short.
    t.write("out/.speechdigest-AbC123/briefing.md", "half");
    t.write("out/.speechdigest-Q1w2E3.tmp", "half");
    t.write(format!("out/.speechdigest-new-{name}/briefing.md"), "half");
    std::fs::write(x.join("notes.txt"), "mine").unwrap();
    std::thread::sleep(Duration::from_millis(20));
    build(&t, "s.txt").success();
    assert!(leftovers(&t.join("out")).is_empty(), "{:?}", leftovers(&t.join("out")));
    assert_eq!(std::fs::read_to_string(x.join("notes.txt")).unwrap(), "mine");
    assert_ne!(std::fs::read_to_string(x.join("briefing.md")).unwrap(), "half");
}

// A build killed (SIGKILL) while it writes its folder: the next build
// repairs it, removes every temporary, and the user's files are all there.
#[test]
#[cfg(unix)]
fn a_build_killed_while_it_writes_loses_nothing() {
    let t = Test::new();
    t.copy(speech("zh-seed-anticorruption-2025.txt"), "s.txt");
    let out = t.join("out");
    build(&t, "s.txt").success();
    let x = folders(&out)[0].clone();
    std::fs::create_dir(x.join("photos")).unwrap();
    std::fs::write(x.join("photos/p.jpg"), "jpeg").unwrap();
    std::fs::write(x.join("notes.txt"), "mine").unwrap();
    let mut mid_write = 0;
    for round in 0..8u64 {
        let mut child = t
            .cmd()
            .args(["build", "s.txt", "-o", "out"])
            .std_command()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill it once its staged folder is there, a little later each round.
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) && child.try_wait().unwrap().is_none() {
            if leftovers(&out).iter().any(|n| n.starts_with(".speechdigest-new-")) {
                std::thread::sleep(Duration::from_millis(round * 2));
                mid_write += 1;
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.kill();
        child.wait().unwrap();
        build(&t, "s.txt").success();
        assert!(leftovers(&out).is_empty(), "round {round}: {:?}", leftovers(&out));
        assert_eq!(folders(&out), std::slice::from_ref(&x), "round {round}");
        assert_eq!(std::fs::read_to_string(x.join("photos/p.jpg")).unwrap(), "jpeg");
        assert_eq!(std::fs::read_to_string(x.join("notes.txt")).unwrap(), "mine");
        for o in OUTPUTS {
            assert!(x.join(o).is_file(), "round {round}: {o} missing");
        }
    }
    assert!(mid_write > 0, "no build was caught while writing");
}
