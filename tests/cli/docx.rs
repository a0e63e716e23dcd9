//! Issue 14: `handout.docx` and `briefing.docx`. Each document is unzipped
//! and its `word/document.xml`, `styles.xml`, footers and settings parsed
//! (roxmltree, which also refuses anything that is not well-formed XML):
//! the heading styles follow the outline, the default styles carry the
//! GB/T 9704 fonts and sizes (zh) or the report's (en), the footers hold a
//! PAGE field on the outside edge, speech text round-trips as text, and
//! `--reference-docx` brings its own styles by name.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{Test, folders, speech};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The parts of a `.docx` by name.
fn parts(path: &Path) -> std::collections::BTreeMap<String, String> {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a .docx is a zip archive");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        out.insert(f.name().unwrap().to_string(), s);
    }
    out
}

/// `(style id, text)` of each paragraph of the body.
fn paragraphs(document: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(document).expect("word/document.xml is XML");
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            let style = p
                .descendants()
                .find(|n| n.has_tag_name((W, "pStyle")))
                .and_then(|n| n.attribute((W, "val")))
                .unwrap_or("Normal")
                .to_owned();
            let text: String = p
                .descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .filter_map(|n| n.text())
                .collect();
            (style, text)
        })
        .collect()
}

/// The texts of the paragraphs in style `id`.
fn in_style(paras: &[(String, String)], id: &str) -> Vec<String> {
    paras.iter().filter(|(s, _)| s == id).map(|(_, t)| t.clone()).collect()
}

/// One property of style `id`: the attribute `attr` of its first element `tag`.
fn style_prop(styles: &str, id: &str, tag: &str, attr: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(styles).expect("styles.xml is XML");
    let style = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "style")) && n.attribute((W, "styleId")) == Some(id))?;
    style
        .descendants()
        .find(|n| n.has_tag_name((W, tag)))
        .and_then(|n| n.attribute((W, attr)))
        .map(str::to_owned)
}

/// Builds `input` (with `extra` arguments) and returns the item folder.
fn build(t: &Test, input: &Path, extra: &[&str]) -> PathBuf {
    t.cmd().args(["build", "-o", "out"]).arg(input).args(extra).run().success();
    let made = folders(&t.join("out"));
    assert_eq!(made.len(), 1, "{made:?}");
    made.into_iter().next().unwrap()
}

fn digest(folder: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(folder.join("digest.json")).unwrap()).unwrap()
}

/// The headings the handout must have, from the digest: the handout's own
/// parts (level 1), the speech's parts (2) and their headed sub-parts (3).
fn expected_headings(d: &Value) -> (Vec<String>, Vec<String>, Vec<String>) {
    let zh = d["meta"]["lang"] == "zh";
    let l = &d["labels"];
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let has = |k: &str| d[k].as_array().is_some_and(|a| !a.is_empty());
    let mut h1 = vec![s(&l["background"]), s(&l["main_points"])];
    if has("quotes") {
        h1.push(s(&l["key_passages"]));
    }
    h1.push(s(&l["study_questions"]));
    if has("qa") || has("quiz") {
        h1.push(s(&l["self_test"]));
    }
    if zh {
        let nums = ["一、", "二、", "三、", "四、", "五、"];
        h1 = h1.into_iter().zip(nums).map(|(h, n)| format!("{n}{h}")).collect();
    }
    if has("terms") {
        h1.push(format!("{}{}", if zh { "附：" } else { "" }, s(&l["terms"])));
    }
    let parts = d["parts"].as_array().unwrap();
    let h2 = parts
        .iter()
        .map(|p| format!("{}{}{}", s(&p["number"]), if zh { "" } else { " " }, s(&p["title"])))
        .collect();
    let h3 = parts
        .iter()
        .flat_map(|p| p["groups"].as_array().unwrap().iter())
        .filter(|g| g["heading"].is_string())
        .map(|g| format!("{}{}", s(&g["label"]), s(&g["heading"])))
        .collect();
    (h1, h2, h3)
}

/// What every handout has, whatever its language.
fn check_handout(folder: &Path) -> std::collections::BTreeMap<String, String> {
    let d = digest(folder);
    let p = parts(&folder.join("handout.docx"));
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/_rels/document.xml.rels",
        "word/settings.xml",
        "word/fontTable.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ] {
        roxmltree::Document::parse(&p[part]).unwrap_or_else(|e| panic!("{part}: {e}"));
    }
    let paras = paragraphs(&p["word/document.xml"]);
    let (h1, h2, h3) = expected_headings(&d);
    assert_eq!(in_style(&paras, "Title"), [d["title"].as_str().unwrap()]);
    assert_eq!(in_style(&paras, "Heading1"), h1);
    assert_eq!(in_style(&paras, "Heading2"), h2);
    // A sub-part's heading may carry a separator after its label (`一是，`).
    let got3 = in_style(&paras, "Heading3");
    assert_eq!(got3.len(), h3.len(), "{got3:?} vs {h3:?}");
    for (g, e) in got3.iter().zip(&h3) {
        assert_eq!(g.replace(['，', ' '], ""), e.replace(' ', ""));
    }
    // Levels: heading N is outline level N-1 and named as Word names it.
    let styles = &p["word/styles.xml"];
    for (n, id) in ["Heading1", "Heading2", "Heading3"].iter().enumerate() {
        assert_eq!(style_prop(styles, id, "outlineLvl", "val"), Some(n.to_string()), "{id}");
        assert_eq!(style_prop(styles, id, "name", "val"), Some(format!("heading {}", n + 1)));
    }
    // Excerpts and quotations are in `Quote`: a part's first excerpt (the
    // Word handout is printed at 三号 and carries one per part), never a second.
    let quotes = in_style(&paras, "Quote");
    for p in d["parts"].as_array().unwrap() {
        for (i, x) in p["excerpts"].as_array().unwrap().iter().enumerate() {
            let text = x["text"].as_str().unwrap();
            let shown = quotes.iter().any(|q| q == text);
            assert_eq!(shown, i == 0, "excerpt {i}: {x}");
        }
    }
    // The first six terms, each a run in `Strong` (used for nothing else).
    let terms = p["word/document.xml"].matches(r#"<w:rStyle w:val="Strong"/>"#).count();
    assert_eq!(terms, d["terms"].as_array().unwrap().len().min(6));
    for q in d["quotes"].as_array().unwrap() {
        let text = q["text"].as_str().unwrap();
        assert!(quotes.iter().any(|t| t.contains(text)), "quote {text}");
    }
    // The answers start a page of their own.
    if !d["qa"].as_array().unwrap().is_empty() {
        let doc = roxmltree::Document::parse(&p["word/document.xml"]).unwrap();
        let key = d["labels"]["answer_key"].as_str().unwrap();
        let para = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "p")))
            .find(|n| {
                n.descendants()
                    .filter(|t| t.has_tag_name((W, "t")))
                    .filter_map(|t| t.text())
                    .eq([key])
            })
            .expect("the answer key");
        assert!(para.descendants().any(|n| n.has_tag_name((W, "pageBreakBefore"))));
    }
    // Page numbers: a PAGE field, `— n —`, odd pages right, even pages left.
    assert!(p["word/settings.xml"].contains("<w:evenAndOddHeaders/>"));
    for (footer, side) in [("word/footer1.xml", "right"), ("word/footer2.xml", "left")] {
        let doc = roxmltree::Document::parse(&p[footer]).unwrap();
        let instr: String = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "instrText")))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(instr.trim(), "PAGE", "{footer}");
        let jc = doc.descendants().find(|n| n.has_tag_name((W, "jc"))).unwrap();
        assert_eq!(jc.attribute((W, "val")), Some(side), "{footer}");
        let text: String = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "t")))
            .filter_map(|n| n.text())
            .collect();
        assert!(text.starts_with("— ") && text.ends_with(" —"), "{footer}: {text}");
    }
    let doc = roxmltree::Document::parse(&p["word/document.xml"]).unwrap();
    let refs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "footerReference")))
        .filter_map(|n| n.attribute((W, "type")))
        .collect();
    assert_eq!(refs, ["default", "even"]);
    p
}

/// A page property of the body's `w:sectPr`.
fn page(document: &str, tag: &str, attr: &str) -> String {
    let doc = roxmltree::Document::parse(document).unwrap();
    let n = doc.descendants().find(|n| n.has_tag_name((W, tag))).unwrap();
    n.attribute((W, attr)).unwrap().to_owned()
}

#[test]
fn the_chinese_handout_is_laid_out_to_gbt_9704() {
    let t = Test::new();
    let folder = build(&t, &speech("zh-seed-anticorruption-2025.txt"), &[]);
    let p = check_handout(&folder);
    let styles = &p["word/styles.xml"];
    let font = |id: &str| style_prop(styles, id, "rFonts", "eastAsia").unwrap();
    let size = |id: &str| style_prop(styles, id, "sz", "val").unwrap();
    assert_eq!((font("Normal"), size("Normal")), ("仿宋".to_owned(), "32".to_owned()), "三号");
    assert_eq!((font("Title"), size("Title")), ("方正小标宋简体".to_owned(), "44".to_owned()));
    assert_eq!(font("Heading1"), "黑体");
    assert_eq!(font("Heading2"), "楷体");
    assert_eq!(font("Quote"), "楷体");
    assert_eq!(style_prop(styles, "Normal", "spacing", "line").unwrap(), "579", "22 lines");
    // The fonts' fallbacks are named in the font table.
    for (font, alt) in [("仿宋", "FangSong"), ("黑体", "SimHei"), ("楷体", "KaiTi")] {
        assert!(
            p["word/fontTable.xml"]
                .contains(&format!("<w:font w:name=\"{font}\"><w:altName w:val=\"{alt}\"/>"))
        );
    }
    // A4, margins 37 / 35 / 28 / 26 mm.
    let doc = &p["word/document.xml"];
    assert_eq!((page(doc, "pgSz", "w"), page(doc, "pgSz", "h")), ("11906".into(), "16838".into()));
    let mm = |tw: String| (tw.parse::<f64>().unwrap() / 1440.0 * 25.4).round() as i64;
    let margins = ["top", "bottom", "left", "right"].map(|s| mm(page(doc, "pgMar", s)));
    assert_eq!(margins, [37, 35, 28, 26]);
    // The briefing is a Word document too, in the same styles.
    let b = parts(&folder.join("briefing.docx"));
    let paras = paragraphs(&b["word/document.xml"]);
    let d = digest(&folder);
    assert_eq!(in_style(&paras, "Title"), [d["title"].as_str().unwrap()]);
    assert_eq!(
        in_style(&paras, "Heading1")[0],
        format!("一、{}", d["labels"]["gist"].as_str().unwrap())
    );
    assert_eq!(b["word/styles.xml"], p["word/styles.xml"]);
}

#[test]
fn the_english_handout_is_a_plain_report() {
    let t = Test::new();
    let folder = build(&t, &speech("en-johnson-1963-joint-session-nov27.txt"), &[]);
    let p = check_handout(&folder);
    let styles = &p["word/styles.xml"];
    assert_eq!(style_prop(styles, "Normal", "rFonts", "ascii").unwrap(), "Times New Roman");
    assert_eq!(style_prop(styles, "Normal", "sz", "val").unwrap(), "24", "12 pt");
    assert!(style_prop(styles, "Heading1", "b", "val").is_none(), "bold");
    assert!(styles.contains("w:styleId=\"Quote\""));
    let doc = &p["word/document.xml"];
    assert_eq!(page(doc, "pgMar", "top"), "1440");
}

/// A speech whose headings and sentences are full of markup and quotes.
const HOSTILE: &str = "Remarks on <script>alert(\"x\")</script> & \"Friends\"\n\n\
First, we must keep \"faith\" & <script>hope</script> alive in every town of this great nation today.\n\
Second, we must build roads & bridges for \"all\" our people, and we must do it now.\n\n\
II. The <i>second</i> part\n\n\
We will not rest until the work is done & done \"well\" for every family in the land.\n\
First, taxes must fall for those <who> need it most, this year and the next.\n\
Second, schools must open their doors to every child, rich & poor.\n";

#[test]
fn speech_text_round_trips_as_text_and_forbidden_characters_go() {
    let t = Test::new();
    let input = t.write("hostile.txt", HOSTILE);
    let folder = build(&t, &input, &["--only", "handout.docx,digest"]);
    let p = parts(&folder.join("handout.docx"));
    let doc = &p["word/document.xml"];
    assert!(!doc.contains("<script>") && !doc.contains("<who>"), "markup left unescaped");
    let text: String = paragraphs(doc).into_iter().map(|(_, t)| t).collect::<Vec<_>>().join("\n");
    for needle in [
        "<script>alert(\"x\")</script> & \"Friends\"",
        "\"faith\" & <script>hope</script>",
        "<who>",
    ] {
        assert!(text.contains(needle), "{needle} is not in the text:\n{text}");
    }
    let core = roxmltree::Document::parse(&p["docProps/core.xml"]).unwrap();
    let title = core.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text());
    assert!(title.unwrap().starts_with("Remarks on <script>"));
    // A digest carrying characters XML 1.0 forbids (as a scraped page may):
    // re-rendered, they are dropped and the document still parses.
    let mut d = digest(&folder);
    d["title"] = Value::from("Bell\u{7} and \u{1b}[31mescape\u{b} & <b>");
    std::fs::write(folder.join("digest.json"), serde_json::to_vec(&d).unwrap()).unwrap();
    t.cmd().args(["render", "--only", "handout.docx"]).arg(&folder).run().success();
    let p = parts(&folder.join("handout.docx"));
    let paras = paragraphs(&p["word/document.xml"]);
    assert_eq!(in_style(&paras, "Title"), ["Bell and [31mescape & <b>"]);
}

/// A `.docx` whose styles are `styles`: the built-in one's parts with its
/// `word/styles.xml` replaced, as a user's house template would be.
fn docx_with_styles(template: &Path, styles: &str, to: &Path) {
    let p = parts(template);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, text) in &p {
        zip.start_file(name.as_str(), opts).unwrap();
        let text = if name == "word/styles.xml" { styles } else { text.as_str() };
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn a_reference_docx_with_a_red_heading_1_makes_red_first_level_headings() {
    let t = Test::new();
    let seed = speech("zh-seed-anticorruption-2025.txt");
    let plain = build(&t, &seed, &["--only", "handout.docx,digest"]);
    let (h1, _, _) = expected_headings(&digest(&plain));
    // As a Chinese Word writes it: `heading 1` has the id `1`.
    let red = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\"><w:name w:val=\"Normal\"/>\
        <w:rPr><w:rFonts w:eastAsia=\"宋体\"/><w:sz w:val=\"24\"/></w:rPr></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"a\"/>\
        <w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:color w:val=\"FF0000\"/><w:sz w:val=\"36\"/></w:rPr></w:style>\
        </w:styles>";
    let reference = t.join("house.docx");
    docx_with_styles(&plain.join("handout.docx"), red, &reference);
    std::fs::remove_dir_all(t.join("out")).unwrap();
    let folder = build(&t, &seed, &["--only", "handout.docx", "--reference-docx", "house.docx"]);
    let p = parts(&folder.join("handout.docx"));
    let paras = paragraphs(&p["word/document.xml"]);
    assert_eq!(in_style(&paras, "1"), h1, "first-level headings use the reference's `heading 1`");
    assert!(in_style(&paras, "Heading1").is_empty());
    let styles = &p["word/styles.xml"];
    assert_eq!(style_prop(styles, "1", "color", "val").as_deref(), Some("FF0000"));
    // Theirs wins for what it has (their Normal, the default, is `a`), ours
    // is added for the rest.
    assert_eq!(styles.matches("w:type=\"paragraph\" w:default=\"1\"").count(), 1);
    assert_eq!(style_prop(styles, "a", "sz", "val").as_deref(), Some("24"));
    assert!(!styles.contains("w:styleId=\"Normal\""));
    assert_eq!(style_prop(styles, "Heading2", "rFonts", "eastAsia").as_deref(), Some("楷体"));
    // The config key does the same, relative to the config's folder.
    t.write("speechdigest.toml", "[output]\nreference_docx = \"house.docx\"\n");
    std::fs::remove_dir_all(t.join("out")).unwrap();
    let folder = build(&t, &seed, &["--only", "handout.docx,digest"]);
    let p = parts(&folder.join("handout.docx"));
    assert!(!in_style(&paras_of(&p), "1").is_empty());
    // So does `render` (which reads no config).
    std::fs::remove_file(folder.join("handout.docx")).unwrap();
    t.cmd()
        .args(["render", "--only", "handout.docx", "--reference-docx"])
        .arg(&reference)
        .arg(&folder)
        .run()
        .success();
    assert!(!in_style(&paras_of(&parts(&folder.join("handout.docx"))), "1").is_empty());
}

fn paras_of(p: &std::collections::BTreeMap<String, String>) -> Vec<(String, String)> {
    paragraphs(&p["word/document.xml"])
}

#[test]
fn a_bad_reference_docx_is_one_error_before_any_work() {
    let t = Test::new();
    let seed = speech("zh-seed-anticorruption-2025.txt");
    t.write("notes.docx", "just text");
    t.write("empty.zip", b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    for (file, says) in [
        ("missing.docx", "cannot read it"),
        ("notes.docx", "not a zip archive"),
        ("empty.zip", "has no `word/styles.xml`"),
    ] {
        let out = t.cmd().args(["build", "-o", "out", "--reference-docx", file]).arg(&seed).run();
        out.code(2);
        let errors = out.errors();
        assert_eq!(errors.len(), 1, "{out}");
        assert!(errors[0].contains(file) && errors[0].contains("--reference-docx"), "{out}");
        assert!(out.stderr.contains(says), "{out}");
        assert!(!t.join("out").exists(), "work was done");
    }
}

#[test]
fn only_selects_the_word_outputs_with_their_families() {
    let t = Test::new();
    let seed = speech("zh-seed-anticorruption-2025.txt");
    let names = |only: &str| {
        let _ = std::fs::remove_dir_all(t.join("out"));
        let folder = build(&t, &seed, &["--only", only]);
        let mut v: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("handout.docx"), ["handout.docx"]);
    assert_eq!(names("handout"), ["handout.docx", "handout.html", "handout.md"]);
    assert_eq!(names("briefing.docx"), ["briefing.docx"]);
    assert_eq!(names("briefing"), ["briefing.docx", "briefing.md"]);
}
