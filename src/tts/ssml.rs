//! A [`Transcript`] as text for a synthesiser: plain text (chunks separated
//! by a blank line) or W3C SSML 1.1, core elements only (`speak`, `p`, `s`,
//! `break`), so that every engine that reads SSML reads it the same way.
//!
//! SSML is written in code rather than a template because its escaping must be
//! exact: every character of the speech is escaped here, and nowhere else.

use crate::model::Lang;

use crate::model::{Chunk, Pause, Transcript};
use crate::tts::lexicon::Lexicon;

/// The pause after a paragraph (and after a heading).
pub(crate) const PARAGRAPH_BREAK: &str = "700ms";
/// The pause after the title and after each section's text.
pub(crate) const SECTION_BREAK: &str = "1500ms";

/// The transcript as plain text: the chunks separated by a blank line.
pub(crate) fn to_text(t: &Transcript) -> String {
    let mut s = t.chunks.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("\n\n");
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

/// The transcript as one SSML document: a `<p>` per paragraph or heading, an
/// `<s>` per sentence, a `<break>` after each paragraph ([`PARAGRAPH_BREAK`])
/// and a longer one after each section ([`SECTION_BREAK`]).
pub(crate) fn to_ssml(t: &Transcript) -> String {
    to_ssml_with(t, &Lexicon::default())
}

/// [`to_ssml`] with the user's lexicon: its entries as `<phoneme>` or `<sub>`.
pub(crate) fn to_ssml_with(t: &Transcript, lexicon: &Lexicon) -> String {
    let mut s = open_speak(t.lang);
    s.push('\n');
    let mut para = String::new();
    let n = t.chunks.len();
    for (i, c) in t.chunks.iter().enumerate() {
        if !para.is_empty() && t.lang == Lang::En {
            para.push(' ');
        }
        para.push_str(&c.text);
        if c.pause_after != Pause::Sentence || i + 1 == n {
            s.push_str(&paragraph(&para, t.lang, lexicon));
            s.push('\n');
            para.clear();
            if i + 1 < n
                && let Some(b) = break_tag(c.pause_after)
            {
                s.push_str(&b);
                s.push('\n');
            }
        }
    }
    s.push_str("</speak>\n");
    s
}

/// The transcript as one SSML document per chunk (one synthesiser request
/// each), every document on one line, with the chunk's pause at its end.
pub(crate) fn to_ssml_chunks(t: &Transcript) -> Vec<String> {
    t.chunks.iter().map(|c| chunk_document(c, t.lang)).collect()
}

/// One synthesiser request as SSML: the text as a paragraph, the lexicon
/// applied, no closing `<break>` (the pause is silence added when the
/// pieces are joined, so that it is exact whatever the engine makes of it).
pub(crate) fn chunk_request(text: &str, lang: Lang, lexicon: &Lexicon) -> String {
    format!("{}{}</speak>", open_speak(lang), paragraph(text, lang, lexicon))
}

fn chunk_document(c: &Chunk, lang: Lang) -> String {
    let mut s = open_speak(lang);
    s.push_str(&paragraph(&c.text, lang, &Lexicon::default()));
    if let Some(b) = break_tag(c.pause_after) {
        s.push_str(&b);
    }
    s.push_str("</speak>");
    s
}

fn open_speak(lang: Lang) -> String {
    let tag = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en-US",
    };
    format!(r#"<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="{tag}">"#)
}

fn break_tag(p: Pause) -> Option<String> {
    let time = match p {
        Pause::Sentence => return None,
        Pause::Paragraph => PARAGRAPH_BREAK,
        Pause::Section => SECTION_BREAK,
    };
    Some(format!(r#"<break time="{time}"/>"#))
}

/// `<p><s>…</s><s>…</s></p>`, the sentences split at their final punctuation.
fn paragraph(text: &str, lang: Lang, lexicon: &Lexicon) -> String {
    let mut s = String::from("<p>");
    for sentence in sentences(text, lang) {
        s.push_str("<s>");
        s.push_str(&lexicon.to_ssml(sentence));
        s.push_str("</s>");
    }
    s.push_str("</p>");
    s
}

/// Splits after `。！？!?…` (and `.` before a space) plus closing quotes.
fn sentences(text: &str, lang: Lang) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((_, c)) = it.next() {
        if !matches!(c, '。' | '！' | '？' | '!' | '?' | '…' | '.') {
            continue;
        }
        while let Some(&(_, n)) = it.peek() {
            if matches!(n, '”' | '’' | '"' | '\'' | '」' | '）' | ')' | '。' | '！' | '？' | '…')
            {
                it.next();
            } else {
                break;
            }
        }
        // An English `.` ends a sentence only before a space (not in `1.5`, `a.m.`).
        let next = it.peek().map(|&(_, n)| n);
        if c == '.' && lang == Lang::En && !next.is_none_or(char::is_whitespace) {
            continue;
        }
        let at = it.peek().map_or(text.len(), |&(i, _)| i);
        let piece = text[start..at].trim();
        if !piece.is_empty() {
            out.push(piece);
        }
        start = at;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChunkKind;
    use crate::tts::xml::escape;

    fn chunk(id: &str, kind: ChunkKind, text: &str, pause_after: Pause) -> Chunk {
        Chunk { section_id: id.to_owned(), kind, text: text.to_owned(), pause_after }
    }

    fn sample() -> Transcript {
        use ChunkKind::*;
        Transcript {
            lang: Lang::Zh,
            chunks: vec![
                chunk("title", Heading, "讲话", Pause::Section),
                chunk("0", Body, "同志们：今天开会。第一，", Pause::Sentence),
                chunk("0", Body, "要<script>&\"'。", Pause::Paragraph),
                chunk("0", Body, "散会。", Pause::Section),
            ],
        }
    }

    #[test]
    fn escapes_the_five_characters() {
        for (i, e) in [
            ("<script>&\"'", "&lt;script&gt;&amp;&quot;&apos;"),
            ("a &amp; b", "a &amp;amp; b"),
            ("百分之十八", "百分之十八"),
            ("", ""),
        ] {
            assert_eq!(escape(i), e);
        }
    }

    #[test]
    fn text_is_chunks_with_blank_lines() {
        assert_eq!(
            to_text(&sample()),
            "讲话\n\n同志们：今天开会。第一，\n\n要<script>&\"'。\n\n散会。\n"
        );
        assert_eq!(to_text(&Transcript { lang: Lang::En, chunks: vec![] }), "");
    }

    #[test]
    fn one_document() {
        let expected = r#"<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="zh-CN">
<p><s>讲话</s></p>
<break time="1500ms"/>
<p><s>同志们：今天开会。</s><s>第一，要&lt;script&gt;&amp;&quot;&apos;。</s></p>
<break time="700ms"/>
<p><s>散会。</s></p>
</speak>
"#;
        assert_eq!(to_ssml(&sample()), expected);
    }

    #[test]
    fn one_document_per_chunk() {
        let docs = to_ssml_chunks(&sample());
        assert_eq!(docs.len(), 4);
        assert_eq!(
            docs[0],
            r#"<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="zh-CN"><p><s>讲话</s></p><break time="1500ms"/></speak>"#
        );
        assert!(
            docs[1].ends_with("<p><s>同志们：今天开会。</s><s>第一，</s></p></speak>"),
            "{}",
            docs[1]
        );
        assert!(docs.iter().all(|d| !d.contains('\n')));
    }

    #[test]
    fn english_sentences() {
        assert_eq!(
            sentences("He said \"no.\" Then he left! Mister Smith came at nine", Lang::En),
            vec!["He said \"no.\"", "Then he left!", "Mister Smith came at nine"]
        );
        let t = Transcript {
            lang: Lang::En,
            chunks: vec![
                chunk("1", ChunkKind::Body, "One, two,", Pause::Sentence),
                chunk("1", ChunkKind::Body, "three.", Pause::Section),
            ],
        };
        assert!(to_ssml(&t).contains(r#"xml:lang="en-US">"#));
        assert!(to_ssml(&t).contains("<p><s>One, two, three.</s></p>"));
    }
}
