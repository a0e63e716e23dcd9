//! `speechdigest transcript` and `speechdigest normalize` on the fixtures:
//! spoken text with no digits or furniture, chunk limits and boundaries,
//! well-formed SSML that espeak-ng can read, line-preserving normalisation.

use std::path::Path;

use crate::support::{Test, espeak_ng, fixture, shared_speeches, speech};

const SEED: &str = "zh-seed-anticorruption-2025.txt";
const JOHNSON: &str = "en-johnson-1963-joint-session-nov27.txt";

fn transcript(args: &[&str], path: &Path) -> String {
    let r = Test::new().arg("transcript").args(args).arg(path).run();
    r.success();
    r.stdout.clone()
}

fn chunks(text: &str) -> Vec<&str> {
    text.split("\n\n").map(str::trim).filter(|c| !c.is_empty()).collect()
}

/// Ends at a sentence or clause boundary (after closing quotes and brackets).
fn ends_at_boundary(chunk: &str) -> bool {
    let t = chunk.trim_end_matches(['”', '’', '"', '\'', ')', '）', ']', '」']);
    t.ends_with([
        '。', '！', '？', '!', '?', '.', '…', '；', ';', '：', ':', '，', ',', '、', '—', '-',
    ])
}

fn speeches() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> =
        std::fs::read_dir(fixture("speeches")).unwrap().map(|e| e.unwrap().path()).collect();
    if let Some(dir) = shared_speeches() {
        files.extend(
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt")),
        );
    }
    files.sort();
    files
}

// Regression: issue 4, must-show 2.
#[test]
fn transcripts_have_no_digits_and_no_furniture() {
    for path in speeches() {
        let t = transcript(&[], &path);
        let digits: String =
            t.chars().filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c)).collect();
        assert!(digits.is_empty(), "{}: digits left: {digits}", path.display());
        for furniture in ["浏览量", "发布时间", "分享到", "打印本页", "关闭窗口", "Back to top"]
        {
            assert!(!t.contains(furniture), "{}: {furniture}", path.display());
        }
    }
}

// Regression: issue 4, must-show 2 (the seed speech).
#[test]
fn seed_figures_are_spoken() {
    let t = transcript(&[], &speech(SEED));
    for said in ["百分之十八", "百分之九十六点二", "三点一个百分点", "去年四月"]
    {
        assert!(t.contains(said), "{said} missing");
    }
    let first = chunks(&t)[0];
    assert_eq!(first, "在全市深化群众身边不正之风和腐败问题集中整治推进会议上的讲话。");
    assert!(t.contains("\n\n一、肯定成绩正视不足,在深化思想认识中增强行动自觉。\n\n"), "{t}");
}

// Regression: issue 4, must-show 3.
#[test]
fn max_chars_120_chunks_fit_and_end_at_boundaries() {
    for path in speeches() {
        for engine in ["generic", "google"] {
            let t = transcript(&["--max-chars", "120", "--engine", engine], &path);
            let cs = chunks(&t);
            assert!(!cs.is_empty());
            for c in &cs {
                assert!(c.chars().count() <= 120, "{}: {c}", path.display());
            }
            let good = cs.iter().filter(|c| ends_at_boundary(c)).count();
            let share = good as f64 / cs.len() as f64;
            assert!(share >= 0.9, "{}: {good}/{} at boundaries", path.display(), cs.len());
        }
    }
}

#[test]
fn engine_presets_size_the_chunks() {
    let generic = chunks(&transcript(&[], &speech(SEED))).len();
    let polly = chunks(&transcript(&["--engine", "polly"], &speech(SEED))).len();
    assert!(polly <= generic, "{polly} > {generic}");
    let google = transcript(&["--engine", "google"], &speech(SEED));
    assert!(chunks(&google).iter().all(|c| c.len() <= 4500));
    Test::new()
        .args(["transcript", "--engine", "festival", "x.txt"])
        .run()
        .code(2)
        .stderr_has("unknown engine");
    // --split needs --ssml.
    Test::new().args(["transcript", "--split", "x.txt"]).run().code(2);
}

/// A small well-formedness check: tags nest and close, attributes are
/// quoted, `&` starts a known entity, `<` never appears in text.
fn check_xml(doc: &str) -> Result<(), String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = doc.trim();
    let mut roots = 0;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').ok_or("unclosed tag")?;
            let tag = &after[..end];
            rest = &after[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack.pop().ok_or(format!("stray </{name}>"))?;
                if open != name.trim() {
                    return Err(format!("<{open}> closed by </{name}>"));
                }
                continue;
            }
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name = tag.split_whitespace().next().ok_or("empty tag")?;
            if tag.matches('"').count() % 2 != 0 || tag.contains('<') {
                return Err(format!("bad attributes in <{tag}>"));
            }
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name);
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if stack.is_empty() && !text.trim().is_empty() {
                return Err(format!("text outside the root: {text}"));
            }
            let mut amp = text;
            while let Some(i) = amp.find('&') {
                amp = &amp[i + 1..];
                let ok =
                    ["amp;", "lt;", "gt;", "quot;", "apos;"].iter().any(|e| amp.starts_with(e));
                if !ok {
                    return Err(format!("bare & in {text}"));
                }
            }
            if text.contains('>') {
                return Err(format!("bare > in {text}"));
            }
            rest = &rest[end..];
        }
    }
    if !stack.is_empty() || roots != 1 {
        return Err(format!("unclosed {stack:?} or {roots} roots"));
    }
    Ok(())
}

#[test]
fn xml_checker_catches_errors() {
    assert!(check_xml("<speak><p><s>a &amp; b</s></p><break time=\"1s\"/></speak>").is_ok());
    for bad in ["<speak><p></speak>", "<speak>a & b</speak>", "<a></a><b></b>", "<a>x > y</a>"] {
        assert!(check_xml(bad).is_err(), "{bad}");
    }
}

// Regression: issue 4, must-show 3 (SSML).
#[test]
fn ssml_is_well_formed_and_escaped() {
    for path in speeches() {
        let doc = transcript(&["--ssml"], &path);
        assert!(doc.starts_with(
            r#"<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang=""#
        ));
        check_xml(&doc).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let split = transcript(&["--ssml", "--split", "--max-chars", "200"], &path);
        for line in split.lines() {
            check_xml(line).unwrap_or_else(|e| panic!("{}: {e}\n{line}", path.display()));
        }
    }
    let doc = transcript(&["--ssml"], &speech(SEED));
    assert!(doc.contains(r#"xml:lang="zh-CN""#));
    assert!(doc.contains(r#"<break time="1500ms"/>"#) && doc.contains(r#"<break time="700ms"/>"#));
    let tricky = "Tom & Jerry <script> said \"hi\" in 1999.\n";
    let r = Test::new().args(["transcript", "--ssml", "--lang", "en", "-"]).stdin(tricky).run();
    r.success()
        .stdout_has("Tom &amp; Jerry &lt;script&gt; said &quot;hi&quot; in nineteen ninety nine.");
    check_xml(&r.stdout).unwrap_or_else(|e| panic!("{e}\n{r}"));
}

// Regression: issue 4, must-show 3 (espeak-ng reads the SSML).
#[test]
fn espeak_ng_speaks_the_ssml() {
    if !espeak_ng() {
        return;
    }
    let t = Test::new();
    for name in [SEED, JOHNSON] {
        let doc = transcript(&["--ssml"], &speech(name));
        // A few paragraphs are enough to show it reads; the whole speech takes long.
        let mut short: String = doc.lines().take(6).collect::<Vec<_>>().join("\n");
        short.push_str("\n</speak>\n");
        let ssml = t.write("speech.ssml", &short);
        let wav = t.join("speech.wav");
        let st = std::process::Command::new("espeak-ng")
            .arg("-m")
            .arg("-w")
            .arg(&wav)
            .arg("-f")
            .arg(&ssml)
            .status()
            .unwrap();
        assert!(st.success(), "espeak-ng failed on {name}");
        let len = std::fs::metadata(&wav).unwrap().len();
        assert!(len > 44 + 1000, "{name}: WAV of {len} bytes");
    }
}

#[test]
fn bad_inputs_behave_like_outline() {
    let t = Test::new();
    let empty = t.write("empty.txt", "");
    let r = t.cmd().arg("transcript").args([empty, speech(SEED), t.join("missing.txt")]).run();
    r.code(1).stdout_has("百分之十八");
    assert_eq!(r.stderr.lines().count(), 2, "{r}");
    assert!(r.stderr.lines().all(|l| l.starts_with("error: ")), "{r}");
}

#[test]
fn normalize_keeps_one_line_per_line() {
    let input = "增长18%\r\n\n2025-10-29\nIn 1999, $1.2 billion\n110\n";
    let normalize =
        |args: &[&str], input: &[u8]| Test::new().arg("normalize").args(args).stdin(input).run();
    normalize(&[], input.as_bytes()).success().stdout_is(
        "增长百分之十八\r\n\n二零二五年十月二十九日\nIn nineteen ninety nine, one point two billion dollars\none hundred ten\n",
    );
    let r = normalize(&["--lang", "zh"], b"110\n2\xff3");
    assert_eq!(r.stdout.lines().count(), 2, "{r}");
    assert!(r.stdout.starts_with("一百一十\n"), "{r}");
    normalize(&["--lang", "zh", "--liang", "measure-only"], b"200\n").stdout_is("二百\n");
    normalize(&["--lang", "en", "--hundred-and"], b"123\n")
        .stdout_is("one hundred and twenty three\n");
}

/// Every row of the small TN fixtures, through the binary in one run.
#[test]
fn normalize_reads_the_tn_fixture_rows() {
    for lang in ["zh", "en"] {
        let tsv = std::fs::read_to_string(fixture(&format!("tn/{lang}.tsv"))).unwrap();
        let rows: Vec<Vec<&str>> = tsv.lines().skip(1).map(|l| l.split('\t').collect()).collect();
        assert!(rows.len() >= 30, "{lang}: {} rows", rows.len());
        let input: String = rows.iter().map(|r| format!("{}\n", r[0])).collect();
        let r = Test::new().args(["normalize", "--lang", lang]).stdin(input).run();
        r.success();
        let got: Vec<&str> = r.stdout.lines().collect();
        assert_eq!(got.len(), rows.len());
        for (row, out) in rows.iter().zip(got) {
            assert_eq!(out, row[1], "{lang} {} ({})", row[0], row[2]);
        }
    }
}
