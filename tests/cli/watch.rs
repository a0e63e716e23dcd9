//! `speechdigest watch`: folders and feeds, only what is new, state, locks,
//! crash safety, the long-running mode.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{self, Output, Test, speech};

struct Site {
    _rt: tokio::runtime::Runtime,
    server: MockServer,
}

fn page_html(title: &str, body_para: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}_市政府门户网站</title></head><body><nav>首页 &gt; 要闻</nav><article><h1>{title}</h1><p>同志们：</p><p>{body_para}</p><h2>一、总体情况</h2><p>过去一年，我们坚持稳中求进工作总基调，经济运行总体平稳，民生持续改善，社会大局保持稳定，全年地区生产总值增长5.2%。</p><h2>二、下一步工作</h2><p>下一步，我们要坚定信心，攻坚克难，奋力完成全年目标任务，为实现长远目标打下坚实基础，确保各项工作落到实处。</p></article><footer>版权所有</footer></body></html>"
    )
}

fn rss(items: &[(&str, Option<&str>, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>讲话</title><link>http://example.invalid/</link><description>d</description>",
    );
    for (title, guid, link) in items {
        s.push_str(&format!(
            "<item><title>{title}</title><link>{}</link>",
            link.replace('&', "&amp;")
        ));
        if let Some(g) = guid {
            s.push_str(&format!("<guid isPermaLink=\"false\">{g}</guid>"));
        }
        s.push_str("<pubDate>Wed, 29 Oct 2025 10:00:00 +0800</pubDate></item>");
    }
    s.push_str("</channel></rss>");
    s
}

impl Site {
    fn new() -> Site {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(MockServer::start());
        Site { _rt: rt, server }
    }

    fn serve(&self, p: &str, body: Vec<u8>, content_type: &str, delay: Option<Duration>) {
        let mut resp = ResponseTemplate::new(200).set_body_raw(body, content_type);
        if let Some(d) = delay {
            resp = resp.set_delay(d);
        }
        self._rt.block_on(
            Mock::given(method("GET")).and(path(p)).respond_with(resp).mount(&self.server),
        );
    }

    fn reset(&self) {
        self._rt.block_on(self.server.reset());
    }

    fn url(&self, p: &str) -> String {
        format!("{}{p}", self.server.uri())
    }

    fn hits(&self, p: &str) -> usize {
        self._rt
            .block_on(self.server.received_requests())
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == p)
            .count()
    }
}

/// `speechdigest.toml` with an `inbox/` folder source (and a feed).
fn config(t: &Test, feed_url: Option<&str>) {
    let mut c = String::from(
        "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\nmax_attempts = 2\n[[sources]]\nname = \"inbox\"\nkind = \"folder\"\npath = \"inbox\"\nglob = \"*.{txt,html}\"\n",
    );
    if let Some(u) = feed_url {
        c.push_str(&format!(
            "[[sources]]\nname = \"feed\"\nkind = \"feed\"\nurl = \"{u}\"\nsubdir = \"feed\"\n"
        ));
    }
    t.create_dir("inbox");
    t.write("speechdigest.toml", c);
}

/// Every output folder (not temporaries) with the modification times of its files.
fn snapshot(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut out = Vec::new();
    for base in [dir.join("digests"), dir.join("digests/feed")] {
        let Ok(rd) = std::fs::read_dir(&base) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir()
                && p.file_name().unwrap() != "feed"
                && !p.file_name().unwrap().to_string_lossy().starts_with('.')
            {
                for f in std::fs::read_dir(&p).unwrap().flatten() {
                    out.push((f.path(), f.metadata().unwrap().modified().unwrap()));
                }
            }
        }
    }
    out.sort();
    out
}

fn item_folders(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for base in [dir.join("digests"), dir.join("digests/feed")] {
        let Ok(rd) = std::fs::read_dir(&base) else { continue };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            // Hidden `.speechdigest-*` folders are temporaries, not outputs.
            if e.path().is_dir() && name != "feed" && !name.starts_with('.') {
                out.push(name);
            }
        }
    }
    out.sort();
    out
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut out = support::leftovers(&dir.join("digests"));
    out.extend(support::leftovers(&dir.join("digests/feed")));
    out
}

/// One `watch --once` pass in `t`'s dir.
fn once(t: &Test) -> Output {
    t.cmd().args(["watch", "--once", "--config", "speechdigest.toml"]).run()
}

// Regression: issue 6, must-show 1.
#[test]
fn folder_and_feed_only_new_work_is_done() {
    let site = Site::new();
    let gbk_page = encoding_rs::GBK.encode(&page_html("在全市工作会议上的讲话", "今天，市委召开这次全市工作会议，主要任务是总结前一阶段工作，部署下一步重点任务，推动各项工作取得新的更大成效。")).0.into_owned();
    site.serve("/a.html", page_html("在全市推进会议上的讲话", "今天，市委召开这次全市推进会议，主要任务是回顾总结前一阶段工作，分析当前形势，部署下一步深化推进的重点任务。").into_bytes(), "text/html; charset=utf-8", None);
    site.serve("/b.html", gbk_page, "text/html", None);
    site.serve(
        "/feed.xml",
        rss(&[("A", Some("a-1"), &site.url("/a.html")), ("B", Some("b-1"), &site.url("/b.html"))])
            .into_bytes(),
        "application/rss+xml",
        None,
    );
    let t = Test::new();
    let d = t.path();
    config(&t, Some(&site.url("/feed.xml")));
    t.copy(speech("zh-seed-anticorruption-2025.txt"), "inbox/seed.txt");
    t.copy(speech("en-johnson-1963-joint-session-nov27.txt"), "inbox/johnson.txt");
    t.write("inbox/broken.txt", b"\x89PNG\r\n\x1a\n\0\0\0");
    t.write("inbox/notes.md", "not matched by the glob");

    // First pass: everything, the broken file fails alone.
    let r = once(&t);
    r.code(1).stdout_has("watch: 4 new, 0 updated, 0 unchanged, 1 failed").stderr_has("broken.txt");
    assert_eq!(r.errors().len(), 1, "{r}");
    assert_eq!(item_folders(d).len(), 4, "{:?}", item_folders(d));
    let gbk_folder = std::fs::read_dir(d.join("digests/feed"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().contains("工作会议"))
        .expect("GBK page folder");
    assert!(
        std::fs::read_to_string(gbk_folder.path().join("keypoints.md"))
            .unwrap()
            .contains("总体情况")
    );

    // Second pass: nothing new, no file rewritten, no page fetched again.
    std::fs::remove_file(d.join("inbox/broken.txt")).unwrap();
    let before = snapshot(d);
    let page_hits = site.hits("/a.html");
    let r = once(&t);
    r.success();
    r.stdout_has("0 new, 0 updated, 4 unchanged, 0 failed");
    assert_eq!(snapshot(d), before);
    assert_eq!(site.hits("/a.html"), page_hits);

    // A new file and a new feed item are picked up alone; an edited file once.
    site.serve("/c.html", page_html("在全市总结会议上的讲话", "今天，市委召开这次全市总结会议，主要任务是全面总结一年来的工作，查找问题和不足，研究部署明年的重点工作任务。").into_bytes(), "text/html; charset=utf-8", None);
    site.reset();
    site.serve("/a.html", page_html("在全市推进会议上的讲话", "今天，市委召开这次全市推进会议，主要任务是回顾总结前一阶段工作，分析当前形势，部署下一步深化推进的重点任务。").into_bytes(), "text/html; charset=utf-8", None);
    site.serve("/c.html", page_html("在全市总结会议上的讲话", "今天，市委召开这次全市总结会议，主要任务是全面总结一年来的工作，查找问题和不足，研究部署明年的重点工作任务。").into_bytes(), "text/html; charset=utf-8", None);
    site.serve(
        "/feed.xml",
        rss(&[
            ("A", Some("a-1"), &site.url("/a.html")),
            ("B", Some("b-1"), &site.url("/b.html")),
            ("C", Some("c-1"), &site.url("/c.html")),
        ])
        .into_bytes(),
        "application/rss+xml",
        None,
    );
    t.copy(speech("seed-page.html"), "inbox/page.html");
    let mut johnson = t.read("inbox/johnson.txt");
    johnson.push_str("\nLet us continue.\n");
    t.write("inbox/johnson.txt", johnson);
    let r = once(&t);
    r.success();
    r.stdout_has("2 new, 1 updated, 3 unchanged, 0 failed");
    assert_eq!(site.hits("/a.html"), 0, "a known feed item was fetched again");
    assert_eq!(site.hits("/c.html"), 1);
    assert_eq!(item_folders(d).len(), 6, "{:?}", item_folders(d));
    once(&t).success().stdout_has("0 new, 0 updated, 6 unchanged");
    assert!(leftovers(d).is_empty());
}

// Regression: issue 6, must-show 4.
#[test]
fn feed_without_guids_and_changing_query_is_not_reprocessed() {
    let site = Site::new();
    site.serve("/a.html", page_html("在全市推进会议上的讲话", "今天，市委召开这次全市推进会议，主要任务是回顾总结前一阶段工作，分析当前形势，部署下一步深化推进的重点任务。").into_bytes(), "text/html", None);
    let t = Test::new();
    config(&t, Some(&site.url("/feed.xml")));
    for pass in 1..=3 {
        site.reset();
        site.serve("/a.html", page_html("在全市推进会议上的讲话", "今天，市委召开这次全市推进会议，主要任务是回顾总结前一阶段工作，分析当前形势，部署下一步深化推进的重点任务。").into_bytes(), "text/html", None);
        let link = format!("{}?t={}&utm_source=rss#top", site.url("/a.html"), 1000 + pass);
        site.serve(
            "/feed.xml",
            rss(&[("A", None, &link)]).into_bytes(),
            "application/rss+xml",
            None,
        );
        let r = once(&t);
        r.success();
        let expected = if pass == 1 {
            "1 new, 0 updated, 0 unchanged"
        } else {
            "0 new, 0 updated, 1 unchanged"
        };
        assert!(r.stdout.contains(expected), "pass {pass}\n{r}");
    }
}

// Regression: issue 6, must-show 2 (overlapping runs).
#[test]
fn two_runs_at_once_never_duplicate() {
    let t = Test::new();
    let d = t.path();
    config(&t, None);
    for i in 0..6 {
        t.copy(speech("zh-seed-anticorruption-2025.txt"), format!("inbox/seed-{i}.txt"));
    }
    let spawn = || {
        t.cmd()
            .args(["watch", "--once", "--config", "speechdigest.toml"])
            .std_command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let a = Output::from(a.wait_with_output().unwrap());
    let b = Output::from(b.wait_with_output().unwrap());
    a.success();
    b.success();
    // Identical texts are six items with six folders, never more, never partial.
    assert_eq!(item_folders(d).len(), 6, "{a}\n{b}");
    assert!(leftovers(d).is_empty());
    once(&t).success().stdout_has("0 new, 0 updated, 6 unchanged");
}

// Regression: issue 6, must-show 2 (SIGKILL mid-pass).
#[test]
#[cfg(unix)]
fn a_killed_pass_leaves_no_partial_folder_and_the_next_finishes() {
    let site = Site::new();
    let pages: Vec<String> = (0..4).map(|i| format!("/p{i}.html")).collect();
    for (i, p) in pages.iter().enumerate() {
        let title = format!("在第{}次全市推进会议上的讲话", ["一", "二", "三", "四"][i]);
        site.serve(p, page_html(&title, "今天，市委召开这次全市推进会议，主要任务是回顾总结前一阶段工作，分析当前形势，部署下一步深化推进的重点任务。").into_bytes(), "text/html", Some(Duration::from_millis(700)));
    }
    let items: Vec<(String, String)> =
        pages.iter().enumerate().map(|(i, p)| (format!("g{i}"), site.url(p))).collect();
    let refs: Vec<(&str, Option<&str>, &str)> =
        items.iter().map(|(g, u)| ("T", Some(g.as_str()), u.as_str())).collect();
    site.serve("/feed.xml", rss(&refs).into_bytes(), "application/rss+xml", None);
    let t = Test::new();
    let d = t.path();
    config(&t, Some(&site.url("/feed.xml")));
    let mut child = t
        .cmd()
        .args(["watch", "--once", "--config", "speechdigest.toml"])
        .std_command()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it in the middle: after the first item, before the last.
    let started = Instant::now();
    while item_folders(d).is_empty() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done_before = item_folders(d);
    assert!(!done_before.is_empty() && done_before.len() < 4, "{done_before:?}");
    for f in &done_before {
        assert_eq!(
            std::fs::read_dir(d.join("digests/feed").join(f)).unwrap().count(),
            // Eight templates (two of them Word documents), digest.json,
            // transcript.txt and .ssml, two spoken versions, the hidden owner
            // file and item record.
            15,
            "partial folder {f}"
        );
    }
    let r = once(&t);
    r.success();
    // A kill between a folder's rename and its record leaves a whole folder
    // the next pass digests again into the same place: counted new, not lost.
    let (new, unchanged) = support::new_and_unchanged(&r.stdout);
    assert!(new + unchanged == 4 && new >= 4 - done_before.len(), "{}", r.stdout);
    assert_eq!(item_folders(d).len(), 4);
    assert!(leftovers(d).is_empty(), "{:?}", leftovers(d));
}

// Regression: issue 6, must-show 3.
#[test]
#[cfg(unix)]
fn the_long_running_mode_picks_up_a_dropped_file_and_stops_on_sigterm() {
    let t = Test::new();
    let d = t.path();
    config(&t, None);
    let child = t
        .cmd()
        .args(["watch", "--interval", "1s", "--config", "speechdigest.toml"])
        .std_command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    t.copy(speech("zh-seed-anticorruption-2025.txt"), "inbox/dropped.txt");
    let started = Instant::now();
    while item_folders(d).is_empty() && started.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let picked_up = started.elapsed();
    assert_eq!(item_folders(d).len(), 1, "not picked up within 15 s");
    assert!(picked_up < Duration::from_secs(5), "took {picked_up:?}");
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    Output::from(child.wait_with_output().unwrap()).success();
}

#[test]
fn watch_without_sources_is_a_usage_error() {
    let t = Test::new();
    let watch = |config: &str| t.cmd().args(["watch", "--once", "--config", config]).run();
    t.write("speechdigest.toml", "[output]\ndir = \"x\"\n");
    watch("speechdigest.toml").code(2).stderr_has("no [[sources]]");
    watch("missing.toml").code(2).stderr_has("missing.toml");
    t.write("bad.toml", "[[sources]]\nkind = \"ftp\"\n");
    watch("bad.toml").code(2).stderr_has("bad.toml");
}

#[test]
fn a_source_can_have_its_own_templates() {
    let t = Test::new();
    let d = t.path();
    config(&t, None);
    let mut c = t.read("speechdigest.toml");
    c.push_str("templates = \"tpl\"\n");
    t.write("speechdigest.toml", c);
    t.write("tpl/briefing.md.tera", "INBOX {{ title }}\n");
    t.copy(speech("zh-seed-anticorruption-2025.txt"), "inbox/seed.txt");
    let r = once(&t);
    r.success();
    let folder = d.join("digests").join(&item_folders(d)[0]);
    assert!(t.read(folder.join("briefing.md")).starts_with("INBOX "));
    // A broken source template stops the run before any pass.
    t.write("tpl/briefing.md.tera", "{% if %}");
    let r = once(&t);
    r.code(2).stderr_has("briefing.md.tera");
}

// Regression: review of stop 7 — a revision removed a folder relative to the
// directory the run started from.
#[test]
fn a_revision_never_touches_folders_outside_the_output_folder() {
    let t = Test::new();
    let d = t.path();
    config(&t, None);
    t.write("inbox/a.txt", "新的标题讲话\n同志们：今天我们召开会议，研究部署下一步的重点工作，推动各项任务落到实处，确保取得实效。\n");
    once(&t).success();
    let first = item_folders(d);
    assert_eq!(first.len(), 1);
    // Another working directory, with a folder of the same relative name.
    let keep = t.write(Path::new("elsewhere/digests").join(&first[0]).join("keep.txt"), "keep");
    t.write("inbox/a.txt", "另一个标题讲话\n同志们：今天我们召开会议，研究部署下一步的重点工作，推动各项任务落到实处，确保取得实效。\n");
    t.cmd()
        .args(["watch", "--once", "--config"])
        .arg(t.join("speechdigest.toml"))
        .current_dir("elsewhere")
        .run()
        .success();
    assert!(keep.is_file(), "a folder outside the output folder was removed");
    let now = item_folders(d);
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now, first, "the revision's old folder should be replaced");
}

/// Issue 13: one speech from two sources (a folder and another folder, as
/// two sites would give it: a source line added, a paragraph left out,
/// punctuation spaced) is digested once; the second is recorded as its
/// duplicate, and the report names the first's folder. A different speech
/// is new; a later pass finds both settled.
#[test]
fn one_speech_from_two_sources_is_digested_once() {
    let t = Test::new();
    t.create_dir("a");
    t.create_dir("b");
    let zh = std::fs::read_to_string(speech("zh-seed-anticorruption-2025.txt")).unwrap();
    let lines: Vec<&str> = zh.lines().collect();
    let cut = lines.len() * 2 / 3;
    let mut copy = String::from("来源：市纪委监委网站　　责任编辑：李某\n");
    for (i, l) in lines.iter().enumerate() {
        if i != cut {
            copy.push_str(&l.replace('，', "， "));
            copy.push('\n');
        }
    }
    copy.push_str("【打印本页】【关闭窗口】\n");
    t.write("a/seed.txt", &zh);
    t.write("b/seed-copy.txt", &copy);
    let en = std::fs::read_to_string(speech("en-johnson-1963-joint-session-nov27.txt")).unwrap();
    t.write("b/johnson.txt", &en);
    t.write(
        "speechdigest.toml",
        "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n\
         [[sources]]\nname = \"a\"\nkind = \"folder\"\npath = \"a\"\n\
         [[sources]]\nname = \"b\"\nkind = \"folder\"\npath = \"b\"\n",
    );
    for jobs in ["1", "3"] {
        let _ = std::fs::remove_dir_all(t.join("digests"));
        let _ = std::fs::remove_file(t.join("state.sqlite"));
        let r = t
            .cmd()
            .args(["watch", "--once", "--json", "--jobs", jobs, "--config", "speechdigest.toml"])
            .run();
        r.success();
        let v = r.json_lines().remove(0);
        assert_eq!((v["new"].as_u64(), v["duplicates"].as_u64()), (Some(2), Some(1)), "{v}");
        let items = v["items"].as_array().unwrap();
        let first = items.iter().find(|i| i["source"] == "a").unwrap();
        let dup = items.iter().find(|i| i["status"] == "duplicate").unwrap();
        assert_eq!(dup["source"], "b");
        assert_eq!(dup["output_dir"], first["output_dir"], "{v}");
        assert!(v["notes"][0].as_str().unwrap().contains("the same speech as"), "{v}");
        assert_eq!(support::folders(&t.join("digests")).len(), 2, "jobs {jobs}");
    }
    // Settled: nothing is digested again.
    let r = t.cmd().args(["watch", "--once", "--config", "speechdigest.toml"]).run();
    r.success().stdout_has("watch: 0 new, 0 updated, 3 unchanged, 0 failed");
    // A later pass knows the first from the state: a third copy in a new
    // file is a duplicate without being digested.
    t.write("b/seed-again.txt", format!("{zh}\n（完）\n"));
    let r = t.cmd().args(["watch", "--once", "--config", "speechdigest.toml"]).run();
    r.success().stdout_has("1 duplicates of speeches already digested");
    assert_eq!(support::folders(&t.join("digests")).len(), 2);
}
