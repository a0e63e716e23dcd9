//! `speechdigest outline` on the fixtures.

use serde_json::Value;

use crate::support::{Test, speech};

fn outline_json(path: &std::path::Path) -> Value {
    Test::new().args(["outline", "--json"]).arg(path).run().success().json()
}

/// Every heading and point lead of a section and its descendants.
fn labels_under(section: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(h) = section["heading"].as_str() {
        out.push(h.to_owned());
    }
    for p in section["points"].as_array().into_iter().flatten() {
        out.push(p["lead"].as_str().unwrap_or_default().to_owned());
    }
    for c in section["children"].as_array().into_iter().flatten() {
        out.extend(labels_under(c));
    }
    out
}

// Regression: issue 2, must-show 2 (the seed speech).
#[test]
fn seed_has_two_parts_nine_points_date_and_warning() {
    let v = outline_json(&speech("zh-seed-anticorruption-2025.txt"));
    assert_eq!(v["meta"]["date"], "2025-10-29");
    assert_eq!(v["meta"]["lang"], "zh");
    let sections = v["sections"].as_array().unwrap();
    let parts: Vec<&Value> = sections.iter().filter(|s| s["kind"] == "part").collect();
    assert_eq!(parts.len(), 2);
    assert!(parts[0]["heading"].as_str().unwrap().starts_with("肯定成绩正视不足"));
    assert!(parts[1]["heading"].as_str().unwrap().starts_with("聚焦重点精准发力"));
    assert_eq!(sections[0]["kind"], "opening");
    assert!(
        sections[0]["paragraphs"][0]["sentences"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("同志们")
    );
    let first = labels_under(parts[0]).join("\n");
    for p in [
        "高压态势持续巩固",
        "突出问题得到有力整治",
        "群众获得感显著增强",
        "压力传导存在衰减现象",
        "腐败手段呈现隐形变异",
        "重点领域风险依然突出",
        "作风顽疾尚未彻底根除",
    ] {
        assert!(first.contains(p), "{p} missing from {first}");
    }
    let second = labels_under(parts[1]).join("\n");
    assert!(second.contains("坚持力度不减、尺度不松"), "{second}");
    assert!(second.contains("坚持抓主抓重、标本兼治"), "{second}");
    let w = &v["warnings"][0];
    assert_eq!(w["kind"], "announced_parts_mismatch");
    assert_eq!(w["announced"], 3);
    assert_eq!(w["found"], 2);
    assert!(!w["message"].as_str().unwrap().is_empty());
}

#[test]
fn sentences_carry_spans_into_the_clean_text() {
    let v = outline_json(&speech("zh-seed-anticorruption-2025.txt"));
    let s = &v["sections"][1]["paragraphs"][0]["sentences"][0];
    let span = s["span"].as_array().unwrap();
    assert!(span[0].as_u64().unwrap() < span[1].as_u64().unwrap());
    assert_eq!(v["sections"][1]["id"], "1");
    assert_eq!(v["sections"][2]["children"][0]["id"], "2.1");
    assert_eq!(v["sections"][2]["children"][0]["label"], "第一");
}

// Regression: issue 2, must-show 3.
#[test]
fn html_pages_in_utf8_and_gbk_give_the_text_files_outline() {
    let outline = |path: std::path::PathBuf| Test::new().arg("outline").arg(path).run();
    let reference = outline(speech("zh-seed-anticorruption-2025.txt"));
    reference.success();
    let body = |s: &str| s.lines().skip(2).collect::<Vec<_>>().join("\n");
    for page in ["seed-page.html", "seed-page-gbk.html", "seed-page-gbk-undeclared.html"] {
        let r = outline(speech(page));
        r.success();
        assert_eq!(body(&r.stdout), body(&reference.stdout), "{page}");
        for furniture in
            ["首页", "分享到", "不应出现", "版权所有", "相关报道", "打印本页", "浏览量"]
        {
            r.stdout_lacks(furniture);
        }
        let v = outline_json(&speech(page));
        assert_eq!(
            v["meta"]["title"],
            "在全市深化群众身边不正之风和腐败问题集中整治推进会议上的讲话"
        );
        assert_eq!(v["meta"]["date"], "2025-10-29");
    }
}

#[test]
fn stdin_is_an_input() {
    let text = std::fs::read(speech("zh-seed-anticorruption-2025.txt")).unwrap();
    Test::new()
        .args(["outline", "-"])
        .stdin(text)
        .run()
        .success()
        .stdout_has("source: -")
        .stdout_has("[2.2] 第二 坚持抓主抓重");
}

#[test]
fn several_inputs_give_json_lines() {
    let docs = Test::new()
        .args(["outline", "--json"])
        .args([
            speech("zh-seed-anticorruption-2025.txt"),
            speech("en-johnson-1963-joint-session-nov27.txt"),
        ])
        .run()
        .success()
        .json_lines();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1]["meta"]["lang"], "en");
    assert_eq!(docs[1]["meta"]["date"], "1963-11-27");
}

#[test]
fn tree_snapshots() {
    for name in ["zh-seed-anticorruption-2025.txt", "en-johnson-1963-joint-session-nov27.txt"] {
        let t = Test::new().arg("outline").arg(speech(name));
        let r = t.run();
        r.success();
        let stable = t.filters().path(speech(name), "[FIXTURE]").apply(&r.stdout);
        insta::assert_snapshot!(format!("outline-tree-{name}"), stable);
    }
}

#[test]
fn urls_are_fetched_from_a_local_server() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(wiremock::MockServer::start());
    let gbk = std::fs::read(speech("seed-page-gbk-undeclared.html")).unwrap();
    rt.block_on(
        wiremock::Mock::given(wiremock::matchers::path("/speech.html"))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(gbk, "text/html"))
            .mount(&server),
    );
    let url = format!("{}/speech.html", server.uri());
    Test::new()
        .args(["outline", &url])
        .run()
        .success()
        .stdout_has("[1] 一 肯定成绩正视不足")
        .stdout_has(&format!("source: {url}"));
}

// Issue 11, must-show 4: `outline --removed` names the rule of every line
// it dropped: on the Sichuan report the editor line and the related-news
// tail; under `--json`, `removed[]` of `{rule, text, span}`.
#[test]
fn removed_lines_are_listed_with_their_rules() {
    let Some(dir) = crate::support::shared_speeches() else { return };
    let path = dir.join("zh-sichuan-gov-work-report-2026.txt");
    let out = Test::new().args(["outline", "--removed"]).arg(&path).run().success().stdout.clone();
    assert!(out.contains("[editor-line] L129: 李莎莎"), "{out}");
    assert!(
        out.contains(
            "[related-tail] L134: 四川省第十四届人民代表大会第五次会议关于政府工作报告的决议"
        ),
        "{out}"
    );
    let v = Test::new().args(["outline", "--json", "--removed"]).arg(&path).run().success().json();
    let removed = v["removed"].as_array().unwrap();
    assert!(removed.iter().any(|r| r["rule"] == "editor-line" && r["text"] == "责任编辑："));
    assert!(removed.iter().all(|r| r["span"][0].as_u64().unwrap() >= 1 && r["text"].is_string()));
    // Without the flag the JSON is as before.
    let plain = outline_json(&path);
    assert!(plain.get("removed").is_none());
}

// Issue 11, must-show 3: none of the furniture the issue lists survives
// into the text of any speech or page fixture.
#[test]
fn no_listed_furniture_survives() {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(crate::support::fixture("pages"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    if let Some(dir) = crate::support::shared_speeches() {
        files.extend(
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt")),
        );
    }
    for f in files {
        let text = Test::new().arg("transcript").arg(&f).run().success().stdout.clone();
        for bad in [
            "THE PRESIDENT:",
            "[At this point",
            "cite_note",
            "](",
            "[编辑]",
            "[edit]",
            "责任编辑",
            "分享让更多人看到",
            "[打印]",
            "HIDE CAPTION",
            "Photo Credit",
            "Public domain",
            "相关链接",
            "-- --",
        ] {
            assert!(!text.contains(bad), "{bad} in the transcript of {}", f.display());
        }
    }
}
