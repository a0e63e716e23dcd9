//! Issue 13: listing pages (栏目页). The detection on the fixtures of
//! tests/fixtures/listing/ served from 127.0.0.1 (`links URL` prints exactly
//! their article links), and `kind = "page"` sources in watch: backfill, a
//! conditional request for an unchanged listing, a new link processed once,
//! a redesigned listing as a named source error, a killed pass, robots.txt.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::{self, Test};

/// A local site: wiremock on 127.0.0.1.
struct Site {
    rt: tokio::runtime::Runtime,
    server: MockServer,
}

/// A listing answering `ETag` / `Last-Modified`, and 304 to a request that sends them back.
#[derive(Clone)]
struct Listing {
    body: Arc<Mutex<(Vec<u8>, String)>>,
}

impl Listing {
    fn set(&self, body: &str, etag: &str) {
        *self.body.lock().unwrap() = (body.as_bytes().to_vec(), etag.to_owned());
    }
}

impl Respond for Listing {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let (body, etag) = self.body.lock().unwrap().clone();
        let header = |n: &str| req.headers.get(n).and_then(|v| v.to_str().ok()).map(str::to_owned);
        if header("if-none-match").as_deref() == Some(etag.as_str()) {
            return ResponseTemplate::new(304).insert_header("ETag", etag.as_str());
        }
        ResponseTemplate::new(200)
            .insert_header("ETag", etag.as_str())
            .insert_header("Last-Modified", "Wed, 04 Mar 2026 08:00:00 GMT")
            .set_body_raw(body, "text/html; charset=utf-8")
    }
}

impl Site {
    fn new() -> Site {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(MockServer::start());
        Site { rt, server }
    }

    fn serve(&self, p: &str, body: Vec<u8>, content_type: &str, delay: Option<Duration>) {
        let mut resp = ResponseTemplate::new(200).set_body_raw(body, content_type);
        if let Some(d) = delay {
            resp = resp.set_delay(d);
        }
        self.rt.block_on(
            Mock::given(method("GET")).and(path(p)).respond_with(resp).mount(&self.server),
        );
    }

    fn listing(&self, p: &str, body: &str, etag: &str) -> Listing {
        let l = Listing { body: Arc::new(Mutex::new((Vec::new(), String::new()))) };
        l.set(body, etag);
        self.rt.block_on(
            Mock::given(method("GET")).and(path(p)).respond_with(l.clone()).mount(&self.server),
        );
        l
    }

    fn url(&self, p: &str) -> String {
        format!("{}{p}", self.server.uri())
    }

    fn requests(&self, p: &str) -> Vec<Request> {
        self.rt
            .block_on(self.server.received_requests())
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == p)
            .collect()
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(support::fixture(&format!("listing/{name}.html"))).unwrap()
}

fn expected(name: &str) -> BTreeSet<String> {
    std::fs::read_to_string(support::fixture(&format!("listing/{name}.expected")))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Must-show 1 and 3: `links URL` on each fixture, served from 127.0.0.1,
/// prints exactly its article links (precision and recall 1 on each).
#[test]
fn links_finds_exactly_the_article_links_of_each_fixture() {
    let site = Site::new();
    let served = [
        ("ul_list", "/col/ul_list/index.html", "text/html; charset=utf-8"),
        ("table", "/col/table/index.html", "text/html; charset=utf-8"),
        ("cards", "/col/cards/index.html", "text/html"),
        ("nav_hot", "/col/nav_hot/index.html", "text/html; charset=utf-8"),
        ("paged", "/col/paged/index.html", "text/html"),
        ("paged_1", "/col/paged/index_1.html", "text/html"),
        ("paged_2", "/col/paged/index_2.html", "text/html"),
        // GBK bytes, no charset in the header or the page.
        ("gbk", "/col/gbk/index.html", "text/html"),
    ];
    for (name, p, ct) in served {
        site.serve(p, fixture(name), ct, None);
    }
    let t = Test::new();
    for (name, p, _) in served {
        let r = t.cmd().args(["links", &site.url(p)]).run();
        r.success().stderr_has("article links");
        let found: BTreeSet<String> = r
            .stdout
            .lines()
            .map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                assert_eq!(cols.len(), 3, "{l}");
                assert!(cols[0].starts_with("2026-") || cols[0].starts_with("2025-"), "{l}");
                cols[2].trim_start_matches(&site.server.uri()).to_owned()
            })
            .collect();
        let want = expected(name);
        let hit = found.intersection(&want).count();
        eprintln!(
            "{name}: {} found, {} expected, precision {:.2}, recall {:.2}",
            found.len(),
            want.len(),
            hit as f64 / found.len().max(1) as f64,
            hit as f64 / want.len() as f64
        );
        assert_eq!(found, want, "{name}");
    }
    // The GBK page's titles decode.
    let r = t.cmd().args(["links", &site.url("/col/gbk/index.html")]).run();
    r.success().stdout_has("在全市经济工作会议上的讲话");
    // The script-built pager gives the next pages; --json has them too.
    let r = t.cmd().args(["links", "--json", &site.url("/col/paged/index.html")]).run();
    let v = r.success().json();
    assert_eq!(v["links"].as_array().unwrap().len(), 4);
    assert_eq!(v["next_pages"][0].as_str().unwrap(), site.url("/col/paged/index_1.html"), "{v}");
    // A saved file works too; an override narrows the links.
    let file = support::fixture("listing/nav_hot.html");
    let r = t.cmd().arg("links").arg(&file).args(["--title-contains", "报告"]).run();
    r.success();
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    let r = t.cmd().arg("links").arg(&file).args(["--selector", ".box-bd"]).run();
    r.success().stdout_has("全市重点项目建设");
    // A page with no article block: exit 1, said so.
    let r = t
        .cmd()
        .arg("links")
        .arg(t.write(
            "nav.html",
            "<ul><li><a href=\"/a\">首页</a></li><li><a href=\"/b\">政务公开</a></li></ul>",
        ))
        .run();
    r.code(1).stderr_has("no article links");
}

fn article(title: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html><head><title>{title}_市人民政府门户网站</title></head><body><div class=\"nav\">首页 &gt; 领导讲话</div><div class=\"article\"><h1>{title}</h1><p>同志们：</p><p>今天，我们召开这次会议，主要任务是回顾总结前一阶段工作，分析当前形势，部署下一步重点任务。</p><h2>一、总体情况</h2><p>过去一年，我们坚持稳中求进工作总基调，经济运行总体平稳，民生持续改善，全年地区生产总值增长5.2%。</p><h2>二、下一步工作</h2><p>下一步，我们要坚定信心，攻坚克难，奋力完成全年目标任务，确保各项工作落到实处。</p></div><div class=\"footer\">版权所有</div></body></html>"
    )
    .into_bytes()
}

const TITLES: [&str; 7] = [
    "在全市经济工作会议上的讲话",
    "在市政府第五次全体会议上的讲话",
    "在全市优化营商环境大会上的讲话",
    "在全市安全生产工作会议上的讲话",
    "在全市科技创新大会上的讲话",
    "在全市乡村振兴工作推进会上的讲话",
    "在全市教育大会上的讲话",
];

/// A listing of `items` (index into TITLES, day of March), newest first.
fn listing_html(items: &[(usize, u32)]) -> String {
    let lis: String = items
        .iter()
        .map(|(i, d)| {
            format!(
                "<li><a href=\"/ldjh/a{i}.html\">{}</a><span>2026-03-{d:02}</span></li>",
                TITLES[*i]
            )
        })
        .collect();
    format!(
        "<html><head><meta charset=\"utf-8\"></head><body><div class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/zwgk/\">政务公开</a></li></ul></div><ul class=\"list\">{lis}</ul><div class=\"footer\">主办：市人民政府办公室</div></body></html>"
    )
}

fn page_config(t: &Test, url: &str, backfill: usize) {
    t.write(
        "speechdigest.toml",
        format!(
            "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n[http]\ndelay_ms = 0\nuser_agent = \"speechdigest-test/1\"\n[[sources]]\nname = \"ldjh\"\nkind = \"page\"\nurl = \"{url}\"\nbackfill = {backfill}\n"
        ),
    );
}

fn once(t: &Test) -> support::Output {
    t.cmd().args(["watch", "--once", "--config", "speechdigest.toml"]).run()
}

/// Must-show 2: backfill, one conditional request for an unchanged listing,
/// a new link processed once, a redesign as a named source error.
#[test]
fn a_page_source_takes_backfill_then_only_new_links() {
    let site = Site::new();
    for (i, t) in TITLES.iter().enumerate() {
        site.serve(&format!("/ldjh/a{i}.html"), article(t), "text/html; charset=utf-8", None);
    }
    let items: Vec<(usize, u32)> = (0..6).map(|i| (i, 20 - i as u32)).collect();
    let listing = site.listing("/ldjh/index.html", &listing_html(&items), "\"v1\"");
    let t = Test::new();
    page_config(&t, &site.url("/ldjh/index.html"), 3);
    let out = t.join("digests");

    // First pass: the newest three, the other three recorded as seen.
    let r = once(&t);
    r.success().stdout_has(
        "watch: 3 new, 0 updated, 0 unchanged, 0 failed, 3 recorded as seen (backfill)",
    );
    assert_eq!(support::folders(&out).len(), 3);
    for i in 0..3 {
        assert_eq!(site.requests(&format!("/ldjh/a{i}.html")).len(), 1);
    }
    for i in 3..6 {
        assert!(site.requests(&format!("/ldjh/a{i}.html")).is_empty());
    }
    let first = site.requests("/ldjh/index.html");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].headers.get("user-agent").unwrap(), "speechdigest-test/1");

    // Second pass, the listing unchanged: one conditional request, a 304, nothing processed.
    let r = once(&t);
    r.success().stdout_has("watch: 0 new, 0 updated, 6 unchanged, 0 failed");
    let reqs = site.requests("/ldjh/index.html");
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].headers.get("if-none-match").unwrap(), "\"v1\"");
    assert_eq!(reqs[1].headers.get("if-modified-since").unwrap(), "Wed, 04 Mar 2026 08:00:00 GMT");
    let articles: usize = (0..7).map(|i| site.requests(&format!("/ldjh/a{i}.html")).len()).sum();
    assert_eq!(articles, 3, "an unchanged listing fetched articles");

    // A new link at the top: processed once, and only it.
    let mut items2 = vec![(6, 21)];
    items2.extend(&items);
    listing.set(&listing_html(&items2), "\"v2\"");
    once(&t).success().stdout_has("watch: 1 new, 0 updated, 6 unchanged, 0 failed");
    once(&t).success().stdout_has("watch: 0 new, 0 updated, 7 unchanged, 0 failed");
    assert_eq!(site.requests("/ldjh/a6.html").len(), 1);
    assert_eq!(support::folders(&out).len(), 4);
    let articles: usize = (0..7).map(|i| site.requests(&format!("/ldjh/a{i}.html")).len()).sum();
    assert_eq!(articles, 4);

    // A redesign: no article block any more. A source error naming the source, exit 1.
    listing.set(
        "<html><body><div class=\"portal\"><a href=\"/zwgk/\">政务公开</a> <a href=\"/hdjl/\">互动交流</a></div></body></html>",
        "\"v3\"",
    );
    let r = once(&t);
    r.code(1).stdout_has("1 source errors").stderr_has("ldjh").stderr_has("redesigned");
    let r = t.cmd().args(["watch", "--once", "--json", "--config", "speechdigest.toml"]).run();
    r.code(1);
    let v: serde_json::Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    assert!(v["source_errors"][0].as_str().unwrap().starts_with("ldjh: the listing"), "{v}");
    assert_eq!(v["new"], 0);
}

/// Must-show 2: a pass killed mid-way loses nothing (the links recorded
/// with the listing are still pending after the 304 of the next pass).
#[test]
fn a_killed_page_pass_loses_nothing() {
    let site = Site::new();
    for (i, t) in TITLES.iter().enumerate().take(4) {
        site.serve(
            &format!("/ldjh/a{i}.html"),
            article(t),
            "text/html; charset=utf-8",
            Some(Duration::from_millis(700)),
        );
    }
    let items: Vec<(usize, u32)> = (0..4).map(|i| (i, 10 - i as u32)).collect();
    site.listing("/ldjh/index.html", &listing_html(&items), "\"k1\"");
    let t = Test::new();
    page_config(&t, &site.url("/ldjh/index.html"), 10);
    let out = t.join("digests");
    let mut child = t
        .cmd()
        .args(["watch", "--once", "--config", "speechdigest.toml"])
        .std_command()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while support::folders(&out).is_empty() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done = support::folders(&out).len();
    assert!((1..4).contains(&done), "{done}");
    let r = once(&t);
    r.success();
    // A kill between a folder's rename and its record leaves a whole folder
    // the next pass digests again into the same place: counted new, not lost.
    let (new, unchanged) = support::new_and_unchanged(&r.stdout);
    assert!(new + unchanged == 4 && new >= 4 - done, "{}", r.stdout);
    assert_eq!(support::folders(&out).len(), 4);
    assert!(support::leftovers(&out).is_empty());
    // The second pass's listing request was conditional (and answered 304).
    let reqs = site.requests("/ldjh/index.html");
    assert_eq!(reqs.len(), 2);
    assert!(reqs[1].headers.get("if-none-match").is_some());
}

/// robots.txt is honoured unless the source says otherwise; an advertised
/// feed that covers the listing is followed, and the report says so.
#[test]
fn robots_and_an_advertised_feed() {
    let site = Site::new();
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /ldjh/\n".to_vec(), "text/plain", None);
    for (i, t) in TITLES.iter().enumerate().take(2) {
        site.serve(&format!("/ldjh/a{i}.html"), article(t), "text/html; charset=utf-8", None);
    }
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>{0}</link><description>d</description><item><title>{1}</title><link>{0}/ldjh/a0.html</link></item><item><title>{2}</title><link>{0}/ldjh/a1.html</link></item></channel></rss>",
        site.server.uri(),
        TITLES[0],
        TITLES[1]
    );
    site.serve("/ldjh/rss.xml", feed.into_bytes(), "application/rss+xml", None);
    let html = listing_html(&[(0, 5), (1, 4)]).replace(
        "<head>",
        "<head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/ldjh/rss.xml\">",
    );
    site.listing("/ldjh/index.html", &html, "\"r1\"");
    let t = Test::new();
    page_config(&t, &site.url("/ldjh/index.html"), 10);
    let r = once(&t);
    r.code(1).stderr_has("robots.txt").stderr_has("ldjh");
    assert!(site.requests("/ldjh/index.html").is_empty());
    let c = t.read("speechdigest.toml").replace("backfill = 10", "backfill = 10\nrobots = false");
    t.write("speechdigest.toml", c);
    let r = once(&t);
    r.success().stdout_has("2 new").stdout_has("follows the feed");
}

/// `pages = 3` reads the script-paginated column's three pages; `--since`
/// skips the older dated links; `backfill = 0` records them all as seen.
#[test]
fn a_paginated_column_is_read_page_by_page() {
    let site = Site::new();
    for (name, p) in
        [("paged", "index.html"), ("paged_1", "index_1.html"), ("paged_2", "index_2.html")]
    {
        site.serve(&format!("/col/paged/{p}"), fixture(name), "text/html", None);
    }
    let t = Test::new();
    page_config(&t, &site.url("/col/paged/index.html"), 0);
    let c = t.read("speechdigest.toml").replace("backfill = 0", "backfill = 0\npages = 3");
    t.write("speechdigest.toml", c);
    let r = t
        .cmd()
        .args(["watch", "--once", "--since", "2026-02-01", "--config", "speechdigest.toml"])
        .run();
    r.success()
        .stdout_has("0 new, 0 updated, 0 unchanged, 0 failed, 7 recorded as seen (backfill)");
    assert_eq!(site.requests("/col/paged/index_2.html").len(), 1);
    // The listing has no validators: read again, the seven are known, the older ones still skipped.
    let r = t
        .cmd()
        .args(["watch", "--once", "--since", "2026-02-01", "--config", "speechdigest.toml"])
        .run();
    r.success().stdout_has("watch: 0 new, 0 updated, 7 unchanged, 0 failed");
}

/// `on_item`: a command run per item written, the item in its environment;
/// a failing hook is reported and the item stays done.
#[test]
#[cfg(unix)]
fn on_item_runs_a_command_per_item() {
    let site = Site::new();
    for (i, t) in TITLES.iter().enumerate().take(2) {
        site.serve(&format!("/ldjh/a{i}.html"), article(t), "text/html; charset=utf-8", None);
    }
    let listing = site.listing("/ldjh/index.html", &listing_html(&[(0, 5), (1, 4)]), "\"h1\"");
    let t = Test::new();
    page_config(&t, &site.url("/ldjh/index.html"), 10);
    let c = t.read("speechdigest.toml")
        + "on_item = 'printf \"%s|%s|%s\\n\" \"$SPEECHDIGEST_STATUS\" \"$SPEECHDIGEST_TITLE\" \"$SPEECHDIGEST_DIR\" >> hook.log'\n";
    t.write("speechdigest.toml", c);
    once(&t).success().stdout_has("2 new");
    let log = t.read("hook.log");
    assert_eq!(log.lines().count(), 2, "{log}");
    assert!(log.contains(&format!("new|{}|", TITLES[0])), "{log}");
    for l in log.lines() {
        assert!(std::path::Path::new(l.rsplit('|').next().unwrap()).join("digest.json").is_file());
    }
    // A failing hook: said, the item done all the same.
    site.serve("/ldjh/a2.html", article(TITLES[2]), "text/html; charset=utf-8", None);
    listing.set(&listing_html(&[(2, 6), (0, 5), (1, 4)]), "\"h2\"");
    let c = t.read("speechdigest.toml").replace(" >> hook.log'", " >> hook.log; exit 3'");
    t.write("speechdigest.toml", c);
    let r = once(&t);
    r.success().stdout_has("1 new").stdout_has("on_item failed");
    once(&t).success().stdout_has("0 new, 0 updated, 3 unchanged");
}

/// A script-built article page: nothing to extract.
const EMPTY_ARTICLE: &str = "<!DOCTYPE html><html><head><title>领导讲话</title></head><body><div id=\"app\"></div><script src=\"/app.js\"></script></body></html>";

/// Issue 13: a listing whose article links all fail to extract is a source
/// error naming the source (exit 1), not only failed items; one failing
/// article among good ones stays that item's failure.
#[test]
fn a_listing_whose_articles_all_fail_is_a_source_error() {
    let site = Site::new();
    let html = "text/html; charset=utf-8";
    site.serve("/ldjh/a0.html", EMPTY_ARTICLE.as_bytes().to_vec(), html, None);
    site.serve("/ldjh/a1.html", article(TITLES[1]), html, None);
    site.serve("/ldjh/a2.html", article(TITLES[2]), html, None);
    let listing =
        site.listing("/ldjh/index.html", &listing_html(&[(0, 5), (1, 4), (2, 3)]), "\"f1\"");
    let t = Test::new();
    page_config(&t, &site.url("/ldjh/index.html"), 10);
    let r = t.cmd().args(["watch", "--once", "--json", "--config", "speechdigest.toml"]).run();
    r.code(1);
    let v: serde_json::Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    assert_eq!((v["new"].as_u64(), v["failed"].as_u64()), (Some(2), Some(1)), "{v}");
    assert_eq!(v["source_errors"].as_array().map(Vec::len), Some(0), "{v}");

    // The article pages redesigned: every new link fails.
    for i in 3..6 {
        site.serve(&format!("/ldjh/a{i}.html"), EMPTY_ARTICLE.as_bytes().to_vec(), html, None);
    }
    listing.set(&listing_html(&[(3, 9), (4, 8), (5, 7), (1, 4), (2, 3)]), "\"f2\"");
    let r = t.cmd().args(["watch", "--once", "--json", "--config", "speechdigest.toml"]).run();
    r.code(1).stderr_has("ldjh");
    let v: serde_json::Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    let errors = v["source_errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{v}");
    let e = errors[0].as_str().unwrap();
    assert!(e.starts_with("ldjh: all "), "{e}");
    assert!(e.contains("failed to extract"), "{e}");
    assert_eq!(v["new"], 0);
}

/// Issue 13: `links URL` reads robots.txt as watch does (`--no-robots`, or
/// `[http] robots = false` in the config, fetches anyway), with the
/// config's `User-Agent`.
#[test]
fn links_honours_robots_txt() {
    let site = Site::new();
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /ldjh/\n".to_vec(), "text/plain", None);
    site.listing("/ldjh/index.html", &listing_html(&[(0, 5), (1, 4)]), "\"l1\"");
    let t = Test::new();
    let url = site.url("/ldjh/index.html");
    let r = t.cmd().args(["links", &url]).run();
    r.code(1).stderr_has("robots.txt").stderr_has("disallows");
    assert!(site.requests("/ldjh/index.html").is_empty());
    let r = t.cmd().args(["links", "--no-robots", &url]).run();
    r.success().stdout_has(TITLES[0]).stdout_has(TITLES[1]);
    t.write("speechdigest.toml", "[http]\nrobots = false\nuser_agent = \"probe-test/2\"\n");
    let r = t.cmd().args(["links", &url]).run();
    r.success().stdout_has(TITLES[0]);
    let reqs = site.requests("/ldjh/index.html");
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].headers.get("user-agent").unwrap(), "probe-test/2");
}

/// Records when each request arrived.
#[derive(Clone)]
struct Clock {
    body: Vec<u8>,
    content_type: &'static str,
    seen: Arc<Mutex<Vec<(String, Instant)>>>,
}

impl Respond for Clock {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.seen.lock().unwrap().push((req.url.path().to_owned(), Instant::now()));
        ResponseTemplate::new(200).set_body_raw(self.body.clone(), self.content_type)
    }
}

/// Issue 13: one request at a time per host with `[http] delay_ms` between
/// two holds across every source of a pass (a feed, a URL list and a
/// listing on one host, their items fetched by four jobs).
#[test]
fn the_per_host_delay_holds_across_sources_and_jobs() {
    let site = Site::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mount = |p: &str, body: Vec<u8>, content_type: &'static str| {
        let c = Clock { body, content_type, seen: seen.clone() };
        site.rt
            .block_on(Mock::given(method("GET")).and(path(p)).respond_with(c).mount(&site.server));
    };
    let html = "text/html; charset=utf-8";
    for (i, t) in TITLES.iter().enumerate() {
        mount(&format!("/ldjh/a{i}.html"), article(t), html);
    }
    mount("/ldjh/index.html", listing_html(&[(0, 5), (1, 4)]).into_bytes(), html);
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>{0}</link><description>d</description><item><guid>g2</guid><title>{1}</title><link>{0}/ldjh/a2.html</link></item><item><guid>g3</guid><title>{2}</title><link>{0}/ldjh/a3.html</link></item></channel></rss>",
        site.server.uri(),
        TITLES[2],
        TITLES[3]
    );
    mount("/feed.xml", feed.into_bytes(), "application/rss+xml");
    mount("/robots.txt", b"User-agent: *\nAllow: /\n".to_vec(), "text/plain");
    let t = Test::new();
    t.write("urls.txt", format!("{}\n{}\n", site.url("/ldjh/a4.html"), site.url("/ldjh/a5.html")));
    let delay = 250;
    t.write(
        "speechdigest.toml",
        format!(
            "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n[http]\ndelay_ms = {delay}\n\
             [[sources]]\nname = \"ldjh\"\nkind = \"page\"\nurl = \"{}\"\n\
             [[sources]]\nname = \"rss\"\nkind = \"feed\"\nurl = \"{}\"\n\
             [[sources]]\nname = \"list\"\nkind = \"urls\"\npath = \"urls.txt\"\n",
            site.url("/ldjh/index.html"),
            site.url("/feed.xml")
        ),
    );
    let r = t.cmd().args(["watch", "--once", "--jobs", "4", "--config", "speechdigest.toml"]).run();
    r.success().stdout_has("watch: 6 new");
    let seen = seen.lock().unwrap().clone();
    // robots.txt, the listing, the feed and six articles.
    assert_eq!(seen.len(), 9, "{seen:?}");
    for w in seen.windows(2) {
        let gap = w[1].1.duration_since(w[0].1);
        assert!(
            gap >= Duration::from_millis(delay),
            "{} then {} after {gap:?}: {seen:?}",
            w[0].0,
            w[1].0
        );
    }
}

/// Records every POST body.
#[derive(Clone)]
struct Hook {
    bodies: Arc<Mutex<Vec<serde_json::Value>>>,
    status: u16,
}

impl Respond for Hook {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.bodies.lock().unwrap().push(serde_json::from_slice(&req.body).unwrap());
        ResponseTemplate::new(self.status)
    }
}

/// `on_item` as a webhook: each item POSTed as JSON; a failing webhook is a
/// note (without its URL, which may carry a token) and the item stays done.
#[test]
fn on_item_posts_to_a_webhook() {
    let site = Site::new();
    for (i, t) in TITLES.iter().enumerate().take(3) {
        site.serve(&format!("/ldjh/a{i}.html"), article(t), "text/html; charset=utf-8", None);
    }
    let listing = site.listing("/ldjh/index.html", &listing_html(&[(0, 5), (1, 4)]), "\"w1\"");
    let ok = Hook { bodies: Arc::new(Mutex::new(Vec::new())), status: 204 };
    let bad = Hook { bodies: Arc::new(Mutex::new(Vec::new())), status: 500 };
    site.rt.block_on(async {
        Mock::given(method("POST"))
            .and(path("/hook/tok-SECRET-1"))
            .respond_with(ok.clone())
            .mount(&site.server)
            .await;
        Mock::given(method("POST"))
            .and(path("/hook/tok-SECRET-2"))
            .respond_with(bad.clone())
            .mount(&site.server)
            .await;
    });
    let t = Test::new();
    page_config(&t, &site.url("/ldjh/index.html"), 10);
    let c = t.read("speechdigest.toml")
        + &format!("on_item = \"{}\"\n", site.url("/hook/tok-SECRET-1"));
    t.write("speechdigest.toml", c);
    once(&t).success().stdout_has("2 new");
    let bodies = ok.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert_eq!(bodies[0]["status"], "new");
    assert_eq!(bodies[0]["source"], "ldjh");
    assert_eq!(bodies[0]["title"], TITLES[0]);
    assert!(std::path::Path::new(bodies[0]["dir"].as_str().unwrap()).join("digest.json").is_file());
    assert!(bodies[0]["url"].as_str().unwrap().ends_with("/ldjh/a0.html"));
    // A webhook answering 500: said, without its URL; the item done all the same.
    listing.set(&listing_html(&[(2, 6), (0, 5), (1, 4)]), "\"w2\"");
    let c = t.read("speechdigest.toml").replace("tok-SECRET-1", "tok-SECRET-2");
    t.write("speechdigest.toml", c);
    let r = once(&t);
    r.success().stdout_has("1 new").stdout_has("on_item failed").stdout_has("500");
    assert!(!r.stdout.contains("SECRET") && !r.stderr.contains("SECRET"), "{r}");
    assert_eq!(bad.bodies.lock().unwrap().len(), 1);
    once(&t).success().stdout_has("0 new, 0 updated, 3 unchanged");
}
