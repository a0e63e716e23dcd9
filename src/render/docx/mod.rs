//! The Word outputs' container (issue 14): a template whose output name ends
//! in `.docx` (`handout.docx.tera`, `briefing.docx.tera`, or a user's own)
//! renders `word/document.xml`, and [`pack`] puts it in a `.docx` with the
//! parts a body needs: the styles (built in per language, or those of a
//! `--reference-docx`), two footers with a PAGE field (`— 1 —` on the
//! outside edge: odd pages right, even pages left), the settings that turn on
//! even/odd footers, the font table naming each font's fallback, the content
//! types, the relationships and the document properties.
//!
//! Why by hand and not `docx-rs`: the body is a user-editable template, so
//! what is left is a fixed set of small parts and a zip; `docx-rs` builds
//! documents from code and would own the body. The container is the `zip`
//! crate (deflate through flate2's pure-Rust backend); the reference file's
//! styles are read with `quick-xml`. The built-in parts are the files beside
//! this one, embedded with `include_str!`.

use std::io::{Cursor, Read, Write};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use zip::write::SimpleFileOptions;

use crate::error::TemplateError;
use crate::model::Lang;

const CONTENT_TYPES: &str = include_str!("content_types.xml");
const ROOT_RELS: &str = include_str!("rels.xml");
const DOCUMENT_RELS: &str = include_str!("document.xml.rels");
const SETTINGS: &str = include_str!("settings.xml");
const FONT_TABLE: &str = include_str!("font_table.xml");
const FOOTER_ODD: &str = include_str!("footer_odd.xml");
const FOOTER_EVEN: &str = include_str!("footer_even.xml");
/// GB/T 9704 conventions: 仿宋 三号 body, 方正小标宋简体 title, 黑体 / 楷体 headings.
const STYLES_ZH: &str = include_str!("styles_zh.xml");
/// A plain report: a serif 12 pt body, bold headings.
const STYLES_EN: &str = include_str!("styles_en.xml");

/// The largest `word/styles.xml` read from a reference file (a zip can
/// claim anything; a real styles part is well under 1 MiB).
const MAX_STYLES_BYTES: u64 = 16 * 1024 * 1024;

/// Whether template output `name` is a Word document (`handout.docx`).
pub(crate) fn is_docx(name: &str) -> bool {
    name.ends_with(".docx")
}

/// The styles of a `--reference-docx`: its `word/styles.xml`, used in place
/// of the built-in one, and the id of each of its styles by name.
#[derive(Debug, Clone)]
pub(crate) struct ReferenceStyles {
    xml: String,
    styles: Vec<StyleName>,
    /// The types it has a default style of (`paragraph`, `character`).
    defaults: Vec<String>,
}

/// One `<w:style>`: its type, id and name (`paragraph`, `Heading1`, `heading 1`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct StyleName {
    kind: String,
    id: String,
    name: String,
    default: bool,
}

impl ReferenceStyles {
    /// The styles of the `.docx` at `path`.
    ///
    /// # Errors
    /// A file that cannot be read, is not a zip archive, has no
    /// `word/styles.xml`, or whose styles part is not a styles part.
    pub(crate) fn read(path: &Path) -> Result<ReferenceStyles, TemplateError> {
        let fail = |reason: String| TemplateError::ReferenceDocx { path: path.to_owned(), reason };
        let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read it: {e}")))?;
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| fail(format!("not a .docx (not a zip archive: {e})")))?;
        let entry = zip
            .by_name("word/styles.xml")
            .map_err(|_| fail("not a .docx: it has no `word/styles.xml`".to_owned()))?;
        let mut xml = String::new();
        entry
            .take(MAX_STYLES_BYTES)
            .read_to_string(&mut xml)
            .map_err(|e| fail(format!("cannot read its `word/styles.xml`: {e}")))?;
        ReferenceStyles::parse(xml).map_err(fail)
    }

    /// The styles part `xml`, checked and indexed.
    fn parse(xml: String) -> Result<ReferenceStyles, String> {
        let styles = style_names(&xml)?;
        if !xml.contains("</w:styles>") {
            return Err("its `word/styles.xml` has no `<w:styles>` element".to_owned());
        }
        let defaults = styles.iter().filter(|s| s.default).map(|s| s.kind.clone()).collect();
        Ok(ReferenceStyles { xml, styles, defaults })
    }
}

/// The `<w:style>` elements of a styles part, in order.
fn style_names(xml: &str) -> Result<Vec<StyleName>, String> {
    let attr = |e: &BytesStart<'_>, key: &str| -> Option<String> {
        e.attributes().flatten().find(|a| a.key.local_name().as_ref() == key).and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned())
        })
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<StyleName> = Vec::new();
    let mut in_style = false;
    let mut seen_root = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "styles" => seen_root = true,
                "style" => {
                    out.push(StyleName {
                        kind: attr(&e, "type").unwrap_or_else(|| "paragraph".to_owned()),
                        id: attr(&e, "styleId").unwrap_or_default(),
                        name: String::new(),
                        default: matches!(attr(&e, "default").as_deref(), Some("1" | "true")),
                    });
                    in_style = true;
                }
                "name" if in_style => {
                    if let (Some(last), Some(v)) = (out.last_mut(), attr(&e, "val")) {
                        last.name = v;
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => in_style = false,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("its `word/styles.xml` is not XML: {e}")),
        }
    }
    if !seen_root {
        return Err("its `word/styles.xml` has no `<w:styles>` element".to_owned());
    }
    Ok(out)
}

/// `s` without the characters XML 1.0 forbids (controls other than tab,
/// newline and carriage return; U+FFFE, U+FFFF): a speech scraped from a
/// page may carry them, and one would make the whole document unreadable.
pub(crate) fn xml_clean(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c < '\u{20}' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if s.chars().any(bad) {
        std::borrow::Cow::Owned(s.chars().filter(|&c| !bad(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// `s` escaped for XML text and attribute values: cleaned of what XML 1.0
/// forbids, then the shared escaping (`tts::xml`).
fn escape(s: &str) -> String {
    crate::tts::xml::escape(&xml_clean(s))
}

/// The `<w:style …>…</w:style>` blocks of one of the built-in styles parts.
fn builtin_blocks(xml: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<w:style ") {
        let Some(len) = rest[start..].find("</w:style>") else { break };
        let end = start + len + "</w:style>".len();
        blocks.push(&rest[start..end]);
        rest = &rest[end..];
    }
    blocks
}

/// The styles part to write and the id renames for the body: the built-in
/// one, or the reference's with every built-in style it lacks (by name)
/// added, and the body's style ids turned into the reference's ids for the
/// same names (a Chinese Word names `heading 1` with the id `1`).
fn styles_for(lang: Lang, reference: Option<&ReferenceStyles>) -> (String, Vec<(String, String)>) {
    let builtin = if lang == Lang::Zh { STYLES_ZH } else { STYLES_EN };
    let Some(reference) = reference else { return (builtin.to_owned(), Vec::new()) };
    let mut renames = Vec::new();
    let mut added = String::new();
    let ours = style_names(builtin).unwrap_or_default();
    for (style, block) in ours.iter().zip(builtin_blocks(builtin)) {
        let theirs = reference
            .styles
            .iter()
            .find(|s| s.kind == style.kind && s.name.eq_ignore_ascii_case(&style.name));
        match theirs {
            Some(t) if t.id != style.id => renames.push((style.id.clone(), t.id.clone())),
            Some(_) => {}
            // Only when the id is free: a different style of theirs with our id wins.
            None if !reference.styles.iter().any(|s| s.id == style.id) => {
                // Their default of a type stays the only one.
                if reference.defaults.contains(&style.kind) {
                    added.push_str(&block.replacen(" w:default=\"1\"", "", 1));
                } else {
                    added.push_str(block);
                }
                added.push('\n');
            }
            None => {}
        }
    }
    let mut xml = reference.xml.clone();
    if let Some(at) = xml.rfind("</w:styles>") {
        xml.insert_str(at, &added);
    }
    (xml, renames)
}

/// `xml` with each `w:pStyle` / `w:rStyle` of an id in `renames` pointing
/// at the new id.
fn rename_styles(xml: &str, renames: &[(String, String)]) -> String {
    let mut out = xml.to_owned();
    for (from, to) in renames {
        for tag in ["pStyle", "rStyle"] {
            out = out.replace(
                &format!("<w:{tag} w:val=\"{from}\"/>"),
                &format!("<w:{tag} w:val=\"{}\"/>", escape(to)),
            );
        }
    }
    out
}

/// `docProps/core.xml`: the title and the language.
fn core_props(title: &str, lang: Lang) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:language>{}</dc:language><dc:creator>speechdigest</dc:creator>\
         </cp:coreProperties>\n",
        escape(title),
        if lang == Lang::Zh { "zh-CN" } else { "en-US" }
    )
}

/// `docProps/app.xml`: the application that made it.
fn app_props(generator: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>{}</Application></Properties>\n",
        escape(generator)
    )
}

/// What a Word document is made of besides its body.
pub(crate) struct Package<'a> {
    /// The speech's language: which built-in styles.
    pub(crate) lang: Lang,
    /// The document's title (its properties).
    pub(crate) title: &'a str,
    /// `speechdigest <version>`.
    pub(crate) generator: &'a str,
    /// The styles of a `--reference-docx`, used instead of the built-in ones.
    pub(crate) reference: Option<&'a ReferenceStyles>,
}

/// The `.docx` of `document` (the rendered `word/document.xml`): the parts
/// in a deflated zip with fixed timestamps, so one digest always makes the
/// same bytes. Pure (the archive is written in memory).
///
/// # Errors
/// The zip writer's (not expected in memory), as a sentence.
pub(crate) fn pack(document: &str, p: &Package<'_>) -> Result<Vec<u8>, String> {
    let (styles, renames) = styles_for(p.lang, p.reference);
    let document = rename_styles(&xml_clean(document), &renames);
    let footer_odd = rename_styles(FOOTER_ODD, &renames);
    let footer_even = rename_styles(FOOTER_EVEN, &renames);
    let core = core_props(p.title, p.lang);
    let app = app_props(p.generator);
    let parts: [(&str, &str); 11] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("word/document.xml", &document),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", &styles),
        ("word/settings.xml", SETTINGS),
        ("word/fontTable.xml", FONT_TABLE),
        ("word/footer1.xml", &footer_odd),
        ("word/footer2.xml", &footer_even),
        ("docProps/core.xml", &core),
        ("docProps/app.xml", &app),
    ];
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, options).map_err(|e| format!("cannot pack `{name}`: {e}"))?;
        zip.write_all(text.as_bytes()).map_err(|e| format!("cannot pack `{name}`: {e}"))?;
    }
    let cursor = zip.finish().map_err(|e| format!("cannot finish the .docx: {e}"))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_clean_drops_only_what_xml_forbids() {
        assert_eq!(xml_clean("a\u{0}b\u{1b}c\u{c}d\te\nf\r\u{FFFF}g"), "abcd\te\nf\rg");
        assert!(matches!(xml_clean("纯文本 & <ok>"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn builtin_styles_parse_and_split_into_their_blocks() {
        for xml in [STYLES_ZH, STYLES_EN] {
            let names = style_names(xml).unwrap();
            let blocks = builtin_blocks(xml);
            assert_eq!(names.len(), blocks.len());
            for (n, b) in names.iter().zip(&blocks) {
                assert!(b.contains(&format!("w:styleId=\"{}\"", n.id)), "{b}");
            }
            for id in ["Normal", "Title", "Heading1", "Heading2", "Heading3", "Quote", "Footer"] {
                assert!(names.iter().any(|n| n.id == id), "{id}");
            }
        }
    }

    #[test]
    fn a_reference_keeps_its_styles_renames_ours_by_name_and_gains_the_missing() {
        let theirs = "<?xml version=\"1.0\"?><w:styles xmlns:w=\"w\">\
            <w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"Heading 1\"/><w:rPr><w:color w:val=\"FF0000\"/></w:rPr></w:style>\
            <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>\
            </w:styles>";
        let r = ReferenceStyles::parse(theirs.to_owned()).unwrap();
        let (xml, renames) = styles_for(Lang::Zh, Some(&r));
        assert_eq!(renames, [("Heading1".to_owned(), "1".to_owned())]);
        assert!(xml.contains("FF0000"));
        assert!(xml.contains("w:styleId=\"Heading2\""), "a missing style is added");
        assert_eq!(xml.matches("w:styleId=\"Normal\"").count(), 1, "theirs wins");
        let body =
            rename_styles("<w:pStyle w:val=\"Heading1\"/><w:pStyle w:val=\"Heading2\"/>", &renames);
        assert_eq!(body, "<w:pStyle w:val=\"1\"/><w:pStyle w:val=\"Heading2\"/>");
        assert!(ReferenceStyles::parse("<w:document/>".to_owned()).is_err());
        assert!(ReferenceStyles::parse("<w:styles><oops></w:styles>".to_owned()).is_err());
    }

    #[test]
    fn a_package_is_a_zip_with_every_part() {
        let doc = "<w:document><w:body><w:p/></w:body></w:document>";
        let p =
            Package { lang: Lang::En, title: "A & B", generator: "speechdigest", reference: None };
        let bytes = pack(doc, &p).unwrap();
        assert_eq!(bytes, pack(doc, &p).unwrap(), "the same bytes each time");
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut core = String::new();
        zip.by_name("docProps/core.xml").unwrap().read_to_string(&mut core).unwrap();
        assert!(core.contains("<dc:title>A &amp; B</dc:title>"));
        for part in ["[Content_Types].xml", "word/document.xml", "word/footer2.xml"] {
            assert!(zip.by_name(part).is_ok(), "{part}");
        }
    }
}
