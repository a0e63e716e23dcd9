//! `watch` under a hostile environment (issue 12, items 5–7): a state file
//! deleted, emptied or moved away; an output folder that cannot be written;
//! a server that fails; a feed that lists one item twice.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Output, Test, speech};

/// A local server for pages and feeds.
struct Site {
    rt: tokio::runtime::Runtime,
    server: MockServer,
}

impl Site {
    fn new() -> Site {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(MockServer::start());
        Site { rt, server }
    }

    fn serve(&self, p: &str, status: u16, body: impl Into<Vec<u8>>, content_type: &str) {
        let resp = ResponseTemplate::new(status).set_body_raw(body.into(), content_type);
        self.rt.block_on(
            Mock::given(method("GET")).and(path(p)).respond_with(resp).mount(&self.server),
        );
    }

    fn page(&self, p: &str, title: &str) {
        self.serve(p, 200, page_html(title), "text/html; charset=utf-8");
    }

    fn reset(&self) {
        self.rt.block_on(self.server.reset());
    }

    fn url(&self, p: &str) -> String {
        format!("{}{p}", self.server.uri())
    }

    fn hits(&self, p: &str) -> usize {
        self.rt
            .block_on(self.server.received_requests())
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == p)
            .count()
    }
}

fn page_html(title: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>同志们：</p><p>今天，市委召开这次会议，主要任务是回顾总结前一阶段工作，分析当前形势，部署下一步深化推进的重点任务。</p><h2>一、总体情况</h2><p>过去一年，我们坚持稳中求进工作总基调，经济运行总体平稳，民生持续改善，社会大局保持稳定，全年地区生产总值增长5.2%。</p><h2>二、下一步工作</h2><p>下一步，我们要坚定信心，攻坚克难，奋力完成全年目标任务，为实现长远目标打下坚实基础，确保各项工作落到实处。</p></article></body></html>"
    )
}

/// An RSS feed of `(title, guid, link)` items.
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

/// `speechdigest.toml`: an `inbox/` folder source, a feed when given, two attempts.
fn config(t: &Test, feed_url: Option<&str>) {
    let mut c = String::from(
        "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\nmax_attempts = 2\n[[sources]]\nname = \"inbox\"\nkind = \"folder\"\npath = \"inbox\"\nglob = \"*.txt\"\n",
    );
    if let Some(u) = feed_url {
        c.push_str(&format!(
            "[[sources]]\nname = \"feed\"\nkind = \"feed\"\nurl = \"{u}\"\nsubdir = \"feed\"\n"
        ));
    }
    t.create_dir("inbox");
    t.write("speechdigest.toml", c);
}

fn once(t: &Test) -> Output {
    t.cmd().args(["watch", "--once", "--json", "--config", "speechdigest.toml"]).run()
}

/// The pass report of a `--json` run.
fn report(o: &Output) -> serde_json::Value {
    o.json_lines().pop().unwrap_or_else(|| panic!("no report\n{o}"))
}

/// The item folders under `digests/` and `digests/feed/`, relative.
fn item_folders(d: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for base in ["digests", "digests/feed"] {
        let Ok(rd) = std::fs::read_dir(d.join(base)) else { continue };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() && name != "feed" && !name.starts_with('.') {
                out.push(format!("{base}/{name}"));
            }
        }
    }
    out.sort();
    out
}

/// Every file of every item folder with its modification time.
fn snapshot(d: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut out = Vec::new();
    for f in item_folders(d) {
        for e in std::fs::read_dir(d.join(f)).unwrap().flatten() {
            out.push((e.path(), e.metadata().unwrap().modified().unwrap()));
        }
    }
    out.sort();
    out
}

/// Removes the state and its SQLite companions.
fn delete_state(d: &Path) {
    for f in ["state.sqlite", "state.sqlite-wal", "state.sqlite-shm"] {
        let _ = std::fs::remove_file(d.join(f));
    }
}

/// Two files and a feed item, digested once.
fn first_pass(site: &Site, t: &Test) {
    site.page("/a.html", "在全市推进会议上的讲话");
    site.serve(
        "/feed.xml",
        200,
        rss(&[("A", Some("a-1"), &site.url("/a.html"))]),
        "application/rss+xml",
    );
    config(t, Some(&site.url("/feed.xml")));
    t.copy(speech("zh-seed-anticorruption-2025.txt"), "inbox/seed.txt");
    t.copy(speech("en-johnson-1963-joint-session-nov27.txt"), "inbox/johnson.txt");
    let r = once(t);
    r.success();
    assert_eq!(report(&r)["new"], 3, "{r}");
    assert_eq!(item_folders(t.path()).len(), 3, "{r}");
}

// Regression: issue 12, item 5 (must-show 1: an emptied or deleted state reuses the folders).
#[test]
fn a_lost_state_is_rebuilt_from_the_folders() {
    type Lose = fn(&Path);
    let lose: [(&str, Lose); 3] = [
        ("deleted", delete_state),
        ("emptied", |d| {
            std::fs::write(d.join("state.sqlite"), b"").unwrap();
        }),
        ("moved away", |d| {
            std::fs::create_dir_all(d.join("backup")).unwrap();
            std::fs::rename(d.join("state.sqlite"), d.join("backup/state.sqlite")).unwrap();
        }),
    ];
    for (how, lose) in lose {
        let site = Site::new();
        let t = Test::new();
        let d = t.path();
        first_pass(&site, &t);
        let folders = item_folders(d);
        let before = snapshot(d);
        let page_hits = site.hits("/a.html");
        lose(d);

        let r = once(&t);
        r.success().stderr_has("rebuilt from 3 output folders");
        let rep = report(&r);
        assert_eq!(
            (rep["new"].as_u64(), rep["unchanged"].as_u64()),
            (Some(0), Some(3)),
            "{how}\n{r}"
        );
        assert_eq!(item_folders(d), folders, "{how}: no `-2` folder\n{r}");
        assert_eq!(snapshot(d), before, "{how}: nothing was digested again\n{r}");
        assert_eq!(site.hits("/a.html"), page_hits, "{how}: a known page was fetched again");
        // The rebuilt state is a state like any other: no second rebuild.
        let r = once(&t);
        r.success().stderr_lacks("rebuilt");
        assert_eq!(report(&r)["unchanged"], 3, "{how}\n{r}");
    }
}

// Regression: issue 12, item 5: what changed while the state was lost is digested
// again, into its own folder.
#[test]
fn a_lost_state_digests_what_changed_into_the_same_folder() {
    let site = Site::new();
    let t = Test::new();
    let d = t.path();
    first_pass(&site, &t);
    let folders = item_folders(d);
    delete_state(d);
    let mut johnson = t.read("inbox/johnson.txt");
    johnson.push_str("\nLet us continue.\n");
    t.write("inbox/johnson.txt", johnson);
    let r = once(&t);
    r.success();
    let rep = report(&r);
    assert_eq!((rep["new"].as_u64(), rep["updated"].as_u64()), (Some(0), Some(1)), "{r}");
    assert_eq!(item_folders(d), folders, "{r}");
}

// Regression: issue 12, item 5: folders that predate the item record (only
// the owner file names the item) are reused, never doubled.
#[test]
fn folders_without_a_recorded_version_are_reused() {
    let site = Site::new();
    let t = Test::new();
    let d = t.path();
    first_pass(&site, &t);
    let folders = item_folders(d);
    for f in &folders {
        std::fs::remove_file(d.join(f).join(".speechdigest-item.json")).unwrap();
    }
    delete_state(d);
    let r = once(&t);
    r.success().stderr_has("rebuilt from 3 output folders");
    // Without a version each is digested once more, into its own folder.
    assert_eq!(report(&r)["updated"], 3, "{r}");
    assert_eq!(item_folders(d), folders, "{r}");
    let r = once(&t);
    r.success();
    assert_eq!(report(&r)["unchanged"], 3, "{r}");
}

// Regression: issue 12, item 5: `watch --rerender` after a lost state finds
// every folder too.
#[test]
fn rerender_after_a_lost_state_finds_every_folder() {
    let site = Site::new();
    let t = Test::new();
    first_pass(&site, &t);
    delete_state(t.path());
    let r = t.cmd().args(["watch", "--rerender", "--config", "speechdigest.toml"]).run();
    r.success().stdout_has("3 re-rendered, 0 failed").stderr_has("rebuilt from 3 output folders");
    // A re-render writes only the template outputs: the item record stays,
    // so losing the state again still finds every item.
    for f in item_folders(t.path()) {
        assert!(t.join(&f).join(".speechdigest-item.json").is_file(), "{f} lost its record");
    }
    delete_state(t.path());
    let r = t.cmd().args(["watch", "--rerender", "--config", "speechdigest.toml"]).run();
    r.success().stdout_has("3 re-rendered, 0 failed");
}

// Regression: issue 12, item 5: a corrupt state is still refused, nothing written.
#[test]
fn a_corrupt_state_is_refused() {
    let t = Test::new();
    config(&t, None);
    t.copy(speech("zh-seed-anticorruption-2025.txt"), "inbox/seed.txt");
    t.write("state.sqlite", vec![b'x'; 8192]);
    let r = once(&t);
    r.code(2).stderr_has("state.sqlite");
    assert!(item_folders(t.path()).is_empty(), "{r}");
}

/// Makes `digests/` unwritable. A folder without write permission stops
/// everyone but root; a regular file where the folder should be stops root
/// too (the writes fail with "Not a directory"/"File exists", as they would
/// with "No space left on device"). Returns how it was done.
fn break_output(d: &Path, read_only: bool) -> &'static str {
    let out = d.join("digests");
    if read_only {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::create_dir_all(&out).unwrap();
            std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
            if std::fs::write(out.join("probe"), b"").is_err() {
                return "read-only folder";
            }
            // Root writes anyway: fall back to the file.
            std::fs::remove_file(out.join("probe")).unwrap();
            std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    std::fs::write(&out, b"not a folder").unwrap();
    "a file in the folder's place"
}

fn mend_output(d: &Path) {
    let out = d.join("digests");
    if out.is_file() {
        std::fs::remove_file(&out).unwrap();
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}

// Regression: issue 12, item 6 (must-show 1: an ENOSPC pass leaves no item parked).
#[test]
fn an_unwritable_output_folder_parks_nothing() {
    for read_only in [true, false] {
        let t = Test::new();
        let d = t.path();
        config(&t, None);
        for (i, f) in ["zh-seed-anticorruption-2025.txt", "en-johnson-1963-joint-session-nov27.txt"]
            .iter()
            .enumerate()
        {
            t.copy(speech(f), format!("inbox/{i}.txt"));
        }
        t.write("inbox/2.txt", "同志们：今天召开这次会议，主要任务是总结工作，部署下一步任务。我们要坚定信心，攻坚克难，奋力完成全年目标任务。");
        let how = break_output(d, read_only);
        // Twice the attempts allowed, and more.
        for pass in 1..=4 {
            let r = once(&t);
            r.code(1).stderr_has("retried next pass");
            let rep = report(&r);
            assert_eq!(rep["failed"], 0, "{how}, pass {pass}: no attempt spent\n{r}");
            assert_eq!(rep["parked"], 0, "{how}, pass {pass}\n{r}");
            // The first item's fault is every item's: the pass stops there
            // (with `--jobs` at the machine's cores, the items already in
            // flight meet it too; the rest are deferred).
            let env = rep["environment"].as_array().map_or(0, Vec::len) as u64;
            let deferred = rep["deferred"].as_u64().unwrap_or(0);
            assert!((1..=2).contains(&env), "{how}\n{r}");
            assert_eq!(env + deferred, 3, "{how}, pass {pass}\n{r}");
        }
        mend_output(d);
        let r = once(&t);
        r.success();
        let rep = report(&r);
        assert_eq!((rep["new"].as_u64(), rep["parked"].as_u64()), (Some(3), Some(0)), "{how}\n{r}");
        assert_eq!(item_folders(d).len(), 3, "{how}\n{r}");
    }
}

// Regression: issue 12, item 6: a server error on a page is not the page's fault
// (retried, never parked); a 404 is (counted, then parked); other items go on.
#[test]
fn a_server_error_is_retried_and_a_missing_page_is_counted() {
    let site = Site::new();
    let feed = |site: &Site| {
        site.serve(
            "/feed.xml",
            200,
            rss(&[
                ("A", Some("a"), &site.url("/down.html")),
                ("B", Some("b"), &site.url("/gone.html")),
                ("C", Some("c"), &site.url("/ok.html")),
            ]),
            "application/rss+xml",
        );
        site.serve("/gone.html", 404, "no such page", "text/plain");
    };
    feed(&site);
    site.serve("/down.html", 503, "busy", "text/plain");
    site.page("/ok.html", "在全市推进会议上的讲话");
    let t = Test::new();
    config(&t, Some(&site.url("/feed.xml")));
    let status = |rep: &serde_json::Value, id: &str| -> Option<(String, bool)> {
        rep["items"].as_array()?.iter().find(|i| i["id"] == id).map(|i| {
            (i["status"].as_str().unwrap_or("").to_owned(), i["parked"].as_bool().unwrap_or(false))
        })
    };
    for pass in 1..=3 {
        let r = once(&t);
        r.code(1);
        let rep = report(&r);
        assert_eq!(status(&rep, "feed:feed:guid:a"), Some(("retry".into(), false)), "{pass}\n{r}");
        if pass <= 2 {
            let parked = pass == 2;
            assert_eq!(status(&rep, "feed:feed:guid:b"), Some(("failed".into(), parked)), "{r}");
        } else {
            assert_eq!(status(&rep, "feed:feed:guid:b"), None, "parked, not tried\n{r}");
        }
        if pass == 1 {
            assert_eq!(rep["new"], 1, "the other items go on\n{r}");
        }
    }
    site.reset();
    feed(&site);
    site.page("/down.html", "在全市总结会议上的讲话");
    site.page("/ok.html", "在全市推进会议上的讲话");
    let r = once(&t);
    // B stays parked (it is reported as such, not retried): exit 0.
    r.success();
    let rep = report(&r);
    assert_eq!((rep["new"].as_u64(), rep["parked"].as_u64()), (Some(1), Some(1)), "{r}");
}

// Regression: issue 12, item 7: one identity, one folder, one attempt.
#[test]
fn a_feed_item_listed_twice_is_one_item() {
    let site = Site::new();
    site.page("/a.html", "在全市推进会议上的讲话");
    site.page("/b.html", "在全市总结会议上的讲话");
    site.serve("/c.html", 404, "no such page", "text/plain");
    let (a, b, c) = (site.url("/a.html"), site.url("/b.html"), site.url("/c.html"));
    site.serve(
        "/feed.xml",
        200,
        rss(&[
            ("A", Some("a-1"), &a),
            ("A (again)", Some("a-1"), &format!("{a}?utm_source=twitter")),
            ("B", None, &format!("{b}?utm_source=rss#top")),
            ("B", None, &format!("{b}?utm_medium=mail&utm_campaign=x#comments")),
            ("C", None, &format!("{c}#one")),
            ("C", None, &format!("{c}?utm_source=rss")),
        ]),
        "application/rss+xml",
    );
    let t = Test::new();
    let d = t.path();
    config(&t, Some(&site.url("/feed.xml")));
    let r = once(&t);
    r.code(1);
    let rep = report(&r);
    assert_eq!((rep["new"].as_u64(), rep["failed"].as_u64()), (Some(2), Some(1)), "{r}");
    assert_eq!(item_folders(d).len(), 2, "{:?}\n{r}", item_folders(d));
    assert!(item_folders(d).iter().all(|f| !f.ends_with("-2")), "{r}");
    for p in ["/a.html", "/b.html", "/c.html"] {
        assert_eq!(site.hits(p), 1, "{p} fetched once\n{r}");
    }
    // One attempt of two: C is not parked yet.
    let c_items: Vec<&serde_json::Value> =
        rep["items"].as_array().unwrap().iter().filter(|i| i["status"] == "failed").collect();
    assert_eq!(c_items.len(), 1, "{r}");
    assert_eq!(c_items[0]["parked"], false, "{r}");
}

// Regression: issue 12, item 6: a provider that refuses every call (a bad key,
// 401) is not the items' fault: the pass stops, nothing is parked, and the
// items are digested once the provider answers.
#[test]
fn a_provider_refusing_every_call_parks_nothing() {
    let site = Site::new();
    let refuse = |site: &Site| {
        site.rt.block_on(
            Mock::given(method("POST"))
                .and(path("/v1/chat/completions"))
                .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
                    "error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}
                })))
                .mount(&site.server),
        );
    };
    refuse(&site);
    let t = Test::new();
    config(&t, None);
    let mut c = t.read("speechdigest.toml");
    c.insert_str(
        0,
        &format!(
            "provider = \"stub\"\n[providers.stub]\nkind = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"m\"\n",
            site.server.uri()
        ),
    );
    t.write("speechdigest.toml", c);
    t.copy(crate::support::fixture("api/zh-short.txt"), "inbox/a.txt");
    t.copy(crate::support::fixture("api/zh-short.txt"), "inbox/b.txt");
    let run = || {
        t.cmd()
            .args(["watch", "--once", "--json", "--config", "speechdigest.toml"])
            .env("OPENAI_API_KEY", "sk-test")
            .run()
    };
    for pass in 1..=3 {
        let r = run();
        r.code(1).stderr_has("401");
        let rep = report(&r);
        assert_eq!(
            (rep["failed"].as_u64(), rep["parked"].as_u64()),
            (Some(0), Some(0)),
            "{pass}\n{r}"
        );
        assert_eq!(rep["deferred"], 1, "the pass stops at the first item\n{r}");
    }
    site.reset();
    let answer = serde_json::json!({"summary": "去年全市共查处问题线索1200件。", "key_points": [
        {"text": "查处问题线索", "sentence": "去年全市共查处问题线索1200件，同比增长18%。"}],
        "quotes": [], "terms": [], "figures": ["1200件"],
        "overview": "全年结案率达到87%。", "newsletter": ["结案率87%"], "questions": ["如何巩固成绩？"]});
    site.rt.block_on(
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.to_string()},
                             "finish_reason": "stop", "logprobs": null}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
            })))
            .mount(&site.server),
    );
    let r = run();
    r.success();
    assert_eq!(report(&r)["new"], 2, "{r}");
}

// Regression: issue 12, item 6: a state that cannot be written (here a file
// where its folder should be, which stops root too) fails the pass with exit
// 1 and one clear line, not the usage-error exit 2; once mended, all is done.
#[test]
fn an_unwritable_state_fails_the_pass_and_the_next_retries() {
    let t = Test::new();
    config(&t, None);
    t.copy(speech("zh-seed-anticorruption-2025.txt"), "inbox/seed.txt");
    t.write("blocked", "not a folder");
    let run = || {
        t.cmd()
            .args(["watch", "--once", "--config", "speechdigest.toml", "--state"])
            .arg(t.join("blocked/state.sqlite"))
            .run()
    };
    let r = run();
    r.code(1).stderr_has("the next pass retries");
    assert_eq!(r.errors().len(), 1, "{r}");
    assert!(item_folders(t.path()).is_empty(), "{r}");
    std::fs::remove_file(t.join("blocked")).unwrap();
    run().success().stdout_has("1 new");
}

// Regression: issue 12, item 6: in the long-running mode a pass that an
// environment fault fails (the state cannot be opened) is followed by the
// next one, never the end of the process.
#[test]
#[cfg(unix)]
fn the_long_running_mode_outlives_an_environment_fault() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let t = Test::new();
    let d = t.path();
    config(&t, None);
    t.copy(speech("zh-seed-anticorruption-2025.txt"), "inbox/seed.txt");
    t.write("blocked", "not a folder");
    let mut child = t
        .cmd()
        .args(["watch", "--interval", "1s", "--config", "speechdigest.toml", "--state"])
        .arg(t.join("blocked/state.sqlite"))
        .std_command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Time for a failed pass or two (the lock file cannot be made either).
    std::thread::sleep(Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "watch ended on an environment fault");
    std::fs::remove_file(t.join("blocked")).unwrap();
    let started = Instant::now();
    while item_folders(d).is_empty() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let out = Output::from(child.wait_with_output().unwrap());
    out.success().stderr_has("the next pass retries");
    assert_eq!(item_folders(d).len(), 1, "{out}");
}
