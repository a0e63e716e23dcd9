//! `speechdigest build`: the files per speech, digest.json against its
//! schema, faithful figures, length limits, escaping, template overrides and
//! errors, snapshots.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{Test, shared_speeches, speech};

/// Every file a default build writes per speech (checked against the output
/// registry by a unit test in src/render/outputs/mod.rs).
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

fn folders(out: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(out).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    v.sort();
    v
}

/// Builds `path` into `out/` of a new test; the test and its one folder.
fn build_one(path: &Path) -> (Test, PathBuf) {
    let t = Test::new();
    t.cmd().arg("build").arg(path).args(["-o", "out"]).run().success();
    let f = folders(&t.join("out"));
    assert_eq!(f.len(), 1, "{f:?}");
    let folder = f[0].clone();
    (t, folder)
}

fn read(folder: &Path, name: &str) -> String {
    std::fs::read_to_string(folder.join(name)).unwrap()
}

/// Every number written with digits in `text`.
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty()) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(cur.trim_end_matches('.').to_owned());
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.push(cur.trim_end_matches('.').to_owned());
    }
    out
}

#[track_caller]
fn figures_are_in_the_source(folder: &Path, source: &str) {
    // The date is metadata, normalised to YYYY-MM-DD; it is not a figure of the speech.
    let d: Value = serde_json::from_str(&read(folder, "digest.json")).unwrap();
    let date = d["meta"]["date"].as_str().unwrap_or("\u{0}").to_owned();
    for name in ["briefing.md", "keypoints.md", "handout.md", "newsletter.md"] {
        let text = read(folder, name).replace(&date, "");
        // Section ids ([2.1]), list numbers and the speaking-time line are ours, not figures.
        let body: String = text
            .lines()
            .filter(|l| {
                !l.contains(" min")
                    && !l.contains("分钟")
                    && !l.starts_with("> 注意")
                    && !l.starts_with("> Note")
            })
            .map(|l| {
                let l = regex_lite_strip_ids(l);
                l.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | ' ' | '#'))
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join("\n");
        for n in numbers(&body) {
            assert!(source.contains(&n), "{name}: figure {n} is not in the source");
        }
    }
}

/// Drops `[1]`, `[2.1]` section references, `Part 4` group names and `N.`
/// answer numbers: ours, not the speech's figures.
fn regex_lite_strip_ids(line: &str) -> String {
    let mut out = String::new();
    let line = match line.find("Part ").or_else(|| line.find("部分 ")) {
        Some(i) => {
            let after = &line[i..];
            let head = after.split(' ').next().unwrap_or("");
            let digits =
                after[head.len()..].trim_start().chars().take_while(|c| c.is_ascii_digit()).count();
            format!("{}{}", &line[..i], &after[head.len() + 1 + digits..])
        }
        None => line.to_owned(),
    };
    let mut rest = line.as_str();
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        match rest[i..].find(']') {
            Some(j) if rest[i + 1..i + j].chars().all(|c| c.is_ascii_digit() || c == '.') => {
                rest = &rest[i + j + 1..]
            }
            _ => {
                out.push('[');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out.split("; ")
        .map(|p| p.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' '))
        .collect::<Vec<_>>()
        .join("; ")
}

fn count(lang: &str, text: &str) -> usize {
    if lang == "zh" {
        text.chars()
            .filter(|c| {
                !c.is_whitespace()
                    && !c.is_ascii_punctuation()
                    && !matches!(c, '*' | '#' | '-' | '>')
            })
            .count()
    } else {
        text.split_whitespace().count()
    }
}

// Regression: issue 3, must-show 2.
#[test]
fn seed_digest_has_points_warning_terms_and_questions() {
    let (_dir, folder) = build_one(&speech("zh-seed-anticorruption-2025.txt"));
    assert!(folder.file_name().unwrap().to_str().unwrap().starts_with("2025-10-29-"));
    for f in OUTPUTS {
        assert!(folder.join(f).is_file(), "{f} missing");
    }
    let kp = read(&folder, "keypoints.md");
    for p in [
        "高压态势持续巩固",
        "突出问题得到有力整治",
        "群众获得感显著增强",
        "压力传导存在衰减现象",
        "腐败手段呈现隐形变异",
        "重点领域风险依然突出",
        "作风顽疾尚未彻底根除",
        "坚持力度不减、尺度不松",
        "坚持抓主抓重、标本兼治",
    ] {
        assert!(kp.contains(p), "keypoints.md lacks {p}");
    }
    let d: Value = serde_json::from_str(&read(&folder, "digest.json")).unwrap();
    assert_eq!(d["warnings"][0]["kind"], "announced_parts_mismatch");
    assert_eq!(d["provider"]["kind"], "extractive");
    let handout = read(&folder, "handout.md");
    for t in ["蝇贪蚁腐", "打伞破网", "查处一案、警示一片、治理一域"] {
        assert!(handout.contains(&format!("**{t}**")), "handout lacks the term {t}");
    }
    assert!(d["questions"].as_array().unwrap().len() >= 3);
    assert!(!d["quiz"].as_array().unwrap().is_empty());
    let source = std::fs::read_to_string(speech("zh-seed-anticorruption-2025.txt")).unwrap();
    figures_are_in_the_source(&folder, &source);
    for q in d["quotes"].as_array().unwrap() {
        assert!(source.contains(q["text"].as_str().unwrap()), "quote not verbatim: {q}");
    }
    // The spoken files say every number in words.
    for f in ["transcript.txt", "briefing.tts.txt", "newsletter.tts.txt"] {
        let t = read(&folder, f);
        assert!(
            !t.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)),
            "{f} has digits"
        );
    }
    assert!(read(&folder, "transcript.txt").contains("百分之九十六点二"));
    assert!(read(&folder, "briefing.tts.txt").contains("百分之十八"));
    for furniture in ["浏览量", "点赞", "发布时间:"] {
        for f in OUTPUTS.iter().filter(|f| !f.ends_with(".docx")) {
            assert!(!read(&folder, f).contains(furniture), "{f} has {furniture}");
        }
    }
}

// Regression: issue 3, must-show 1 and 3 (the whole corpus in one call).
#[test]
fn the_corpus_builds_in_one_call_within_limits() {
    let Some(shared) = shared_speeches() else { return };
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&shared)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    inputs.sort();
    inputs.push(speech("seed-page-gbk.html"));
    inputs.push(speech("seed-page-gbk-undeclared.html"));
    let t = Test::new();
    let out = t.join("out");
    t.cmd().args(["build", "-o", "out"]).args(&inputs).run().success();
    let made = folders(&out);
    assert_eq!(made.len(), inputs.len(), "{:?}", made);
    for folder in &made {
        for f in OUTPUTS {
            assert!(folder.join(f).is_file(), "{}: {f} missing", folder.display());
        }
        let d: Value = serde_json::from_str(&read(folder, "digest.json")).unwrap();
        let src_path = d["meta"]["source"].as_str().unwrap();
        let source = std::fs::read(src_path).unwrap();
        let source_text = match std::str::from_utf8(&source) {
            Ok(s) => s.to_owned(),
            Err(_) => encoding_rs::GBK.decode(&source).0.into_owned(),
        };
        figures_are_in_the_source(folder, &source_text);
        let lang = d["meta"]["lang"].as_str().unwrap();
        let length = d["stats"]["length"].as_u64().unwrap() as usize;
        let news = read(folder, "newsletter.md");
        let news_body: String = news
            .lines()
            .filter(|l| !l.starts_with("来源") && !l.starts_with("Source"))
            .collect::<Vec<_>>()
            .join("\n");
        let n = count(lang, &news_body);
        if length > 2000 {
            assert!(n * 3 <= length, "{}: newsletter {n} of {length}", folder.display());
        }
        if length > 10_000 {
            let cap = if lang == "zh" { 400 } else { 200 };
            assert!(n <= cap, "{}: newsletter {n} > {cap}", folder.display());
            let brief = count(lang, &read(folder, "briefing.md"));
            assert!(brief * 4 <= length, "{}: briefing {brief} of {length}", folder.display());
        }
        assert!(d["questions"].as_array().unwrap().len() >= 3);
    }
}

#[test]
fn stdin_builds_too() {
    let text = std::fs::read(speech("en-johnson-1963-joint-session-nov27.txt")).unwrap();
    let t = Test::new();
    t.cmd().args(["build", "-", "-o", "out"]).stdin(text).run().success();
    let f = folders(&t.join("out"));
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(read(&f[0], "briefing.md").contains("## In brief"));
}

// Regression: issue 3, must-show 3 — scraped text is escaped in HTML.
#[test]
fn script_in_a_speech_is_escaped_in_the_html_handout() {
    let t = Test::new();
    let text = std::fs::read_to_string(speech("zh-seed-anticorruption-2025.txt")).unwrap();
    let evil = t.write(
        "evil.txt",
        text.replace("一是高压态势持续巩固。", "一是高压态势<script>alert('x')</script>持续巩固。"),
    );
    let (_t, folder) = build_one(&evil);
    let html = read(&folder, "handout.html");
    assert!(!html.contains("<script>"), "unescaped script");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

#[test]
fn two_inputs_with_the_same_title_never_share_a_folder() {
    let t = Test::new()
        .arg("build")
        .args([speech("seed-page.html"), speech("seed-page-gbk.html")])
        .args(["-o", "out"]);
    t.run().success();
    assert_eq!(folders(&t.join("out")).len(), 2);
}

#[test]
fn only_selects_outputs_and_rejects_unknown_names() {
    let t = Test::new();
    let build = |only: &str| {
        t.cmd()
            .arg("build")
            .arg(speech("zh-seed-anticorruption-2025.txt"))
            .args(["-o", "out", "--only", only])
            .run()
    };
    build("keypoints,digest").success();
    let folder = &folders(&t.join("out"))[0];
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    assert_eq!(names, ["digest.json", "keypoints.md"]);
    build("brefing").code(2).stderr_has("unknown output `brefing`");
}

// Regression: issue 3, must-show 4.
#[test]
fn templates_init_override_is_used_and_a_broken_template_fails_first() {
    let t = Test::new();
    let tpl = t.join("tpl");
    t.cmd().args(["templates", "init", "tpl"]).run().success();
    assert!(tpl.join("briefing.md.tera").is_file());
    // init must not overwrite without --force.
    t.cmd().args(["templates", "init", "tpl"]).run().code(2);
    // Override one built-in by extending it, and add a new output.
    t.write("tpl/briefing.md.tera", "{% extends \"builtin/briefing.md.tera\" %}");
    t.write("tpl/briefing.md.tera", "BRIEF {{ title }} ({{ stats.parts }} parts)\n");
    t.write("tpl/slide.txt.tera", "{% for k in key_points %}* {{ k.text }}\n{% endfor %}");
    let build = |out: &str| {
        t.cmd()
            .arg("build")
            .arg(speech("zh-seed-anticorruption-2025.txt"))
            .args(["-o", out, "--templates", "tpl"])
            .run()
    };
    build("out").success();
    let folder = &folders(&t.join("out"))[0];
    assert_eq!(
        read(folder, "briefing.md"),
        "BRIEF 在全市深化群众身边不正之风和腐败问题集中整治推进会议上的讲话 (2 parts)\n"
    );
    assert!(read(folder, "slide.txt").contains("* 高压态势持续巩固"));
    t.cmd().args(["templates", "list", "--templates", "tpl"]).run().stdout_has("slide.txt");
    // A broken template: nothing is built, the error names it and its line.
    t.write("tpl/newsletter.md.tera", "ok\n{% for x in %}\n");
    let r = build("out2");
    r.code(2).stderr_has("newsletter.md.tera");
    assert!(r.stderr.contains('2'), "no line number\n{r}");
    assert!(!t.join("out2").exists(), "work was done before the template check");
}

#[test]
fn extending_a_builtin_template_works() {
    let t = Test::new();
    t.write("tpl/keypoints.md.tera", "{% extends \"builtin/keypoints.md.tera\" %}");
    t.cmd()
        .arg("build")
        .arg(speech("zh-seed-anticorruption-2025.txt"))
        .args(["-o", "out", "--templates", "tpl"])
        .run()
        .success();
    assert!(read(&folders(&t.join("out"))[0], "keypoints.md").contains("高压态势持续巩固"));
}

// Regression: issue 3, must-show 7.
#[test]
fn rendered_output_snapshots() {
    for name in ["zh-seed-anticorruption-2025.txt", "en-johnson-1963-joint-session-nov27.txt"] {
        let (t, folder) = build_one(&speech(name));
        let filters = t.filters().path(speech(name), "[FIXTURE]");
        // The written outputs and the digest they come from (the transcript
        // and the spoken twins are checked by other tests).
        for f in OUTPUTS.iter().filter(|f| f.ends_with(".md") || f.ends_with(".html")) {
            let text = filters.apply(&read(&folder, f));
            insta::assert_snapshot!(format!("build-{name}-{f}"), text);
        }
        let mut d: Value = serde_json::from_str(&read(&folder, "digest.json")).unwrap();
        d["generator"] = "speechdigest [VERSION]".into();
        let text = filters.apply(&serde_json::to_string_pretty(&d).unwrap());
        insta::assert_snapshot!(format!("build-{name}-digest.json"), text);
    }
}

#[test]
fn a_bad_input_does_not_stop_the_others() {
    let t = Test::new();
    let empty = t.write("empty.txt", "");
    let out = t.join("out");
    let r = t
        .cmd()
        .arg("build")
        .args([empty, speech("zh-seed-anticorruption-2025.txt")])
        .args(["-o", "out"])
        .run();
    r.code(1).stderr_has("empty.txt");
    assert_eq!(r.errors().len(), 1, "{r}");
    assert_eq!(folders(&out).len(), 1);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".speechdigest"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Checks `value` against `schema` (the subset of JSON Schema that schemars
/// writes: `$ref` into `$defs`, `type`, `properties`, `required`, `items`,
/// `minItems`/`maxItems`, `oneOf`/`anyOf`, `const`, `enum`), and that no
/// object holds a property the schema does not declare.
fn conform(value: &Value, schema: &Value, root: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local $ref");
        return conform(value, &root["$defs"][name], root, at, errors);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let fits = alts.iter().any(|alt| {
                let mut e = Vec::new();
                conform(value, alt, root, at, &mut e);
                e.is_empty()
            });
            if !fits {
                errors.push(format!("{at}: no alternative of {key} fits {value}"));
            }
            return;
        }
    }
    if let Some(c) = schema.get("const")
        && c != value
    {
        errors.push(format!("{at}: {value} is not {c}"));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {e:?}"));
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let is = |t: &str| match t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        };
        if !types.iter().any(|t| is(t)) {
            errors.push(format!("{at}: {value} is not {types:?}"));
            return;
        }
    }
    if let Value::Object(obj) = value {
        for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let r = r.as_str().unwrap();
            if !obj.contains_key(r) {
                errors.push(format!("{at}: required property `{r}` is missing"));
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, v) in obj {
                match props.get(k) {
                    Some(s) => conform(v, s, root, &format!("{at}.{k}"), errors),
                    None => errors.push(format!("{at}: property `{k}` is not in the schema")),
                }
            }
        }
    }
    if let Value::Array(items) = value {
        let n = items.len() as u64;
        if schema.get("minItems").and_then(Value::as_u64).is_some_and(|m| n < m)
            || schema.get("maxItems").and_then(Value::as_u64).is_some_and(|m| n > m)
        {
            errors.push(format!("{at}: {n} items is outside minItems/maxItems"));
        }
        if let Some(s) = schema.get("items") {
            for (i, v) in items.iter().enumerate() {
                conform(v, s, root, &format!("{at}[{i}]"), errors);
            }
        }
    }
}

// The committed schema (schema/digest.schema.json, regenerated by a unit
// test) describes what `build` really writes.
#[test]
fn digest_json_conforms_to_the_committed_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/digest.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    for name in ["zh-seed-anticorruption-2025.txt", "en-johnson-1963-joint-session-nov27.txt"] {
        let (_d, folder) = build_one(&speech(name));
        let digest: Value = serde_json::from_str(&read(&folder, "digest.json")).unwrap();
        assert_eq!(digest["schema_version"], 4);
        let mut errors = Vec::new();
        conform(&digest, &schema, &schema, "digest", &mut errors);
        assert!(
            errors.is_empty(),
            "{name}: digest.json does not fit the schema:\n{}",
            errors.join("\n")
        );
    }
    // The check itself catches a missing required property and a stray one.
    let mut errors = Vec::new();
    conform(
        &serde_json::json!({"schema_version": 1, "extra": true}),
        &schema,
        &schema,
        "d",
        &mut errors,
    );
    assert!(errors.iter().any(|e| e.contains("`title` is missing")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("`extra` is not in the schema")), "{errors:?}");
}
