//! Bytes → text: byte-order marks, UTF-8, and legacy Chinese encodings
//! (GBK/GB18030, Big5) detected without a declared charset.
//!
//! Detection uses `encoding_rs` with `chardetng`; what is ours is the order of
//! the evidence (BOM, then valid UTF-8, then a declared charset, then the
//! detector) and the refusal of input that is not text at all.

use encoding_rs::Encoding;

/// Why bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DecodeProblem {
    /// The bytes hold nothing but whitespace.
    Empty,
    /// The bytes look like a binary file; the string says which kind.
    Binary(String),
    /// Too many bytes did not decode in the best guess.
    Undecodable(String),
}

/// The decoded text and the encoding that was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The WHATWG name of the encoding (e.g. `UTF-8`, `GBK`).
    pub encoding: &'static str,
}

/// Decodes `bytes`, honouring `declared` (an HTTP or `<meta>` charset) only
/// when the bytes are not valid UTF-8, since pages often declare a charset
/// they do not use.
///
/// Undeclared high bytes that read as Chinese in GB18030 are GB18030, not
/// the windows-1252 a detector falls back to; Big5 and the other multi-byte
/// encodings the detector names are kept. Valid UTF-8 but for a few broken
/// bytes stays UTF-8 (each broken sequence a U+FFFD, with a warning). Text
/// that still reads as mojibake (runs of accented Latin letters where a
/// language would have words) is an error, never English.
pub(crate) fn decode(bytes: &[u8], declared: Option<&str>) -> Result<Decoded, DecodeProblem> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeProblem::Empty);
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(DecodeProblem::Binary(kind));
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return finish(text.into_owned(), enc, had_errors);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: text.to_owned(), encoding: "UTF-8" });
    }
    if let Some(text) = nearly_utf8(bytes) {
        return Ok(Decoded { text, encoding: "UTF-8" });
    }
    let declared = declared
        .map(str::to_owned)
        .or_else(|| sniff_meta_charset(bytes))
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()));
    let mut enc = match declared {
        // A page that declares UTF-8 but is not valid UTF-8 is most often a
        // mislabelled legacy page: let the detector decide.
        Some(enc) if enc != encoding_rs::UTF_8 => enc,
        _ => {
            let mut det = chardetng::EncodingDetector::new();
            det.feed(bytes, true);
            det.guess(None, false)
        }
    };
    if enc.is_single_byte() && reads_as_chinese(bytes) {
        enc = encoding_rs::GB18030;
    }
    let (text, _, had_errors) = enc.decode(bytes);
    if enc.is_single_byte() && is_mojibake(&text) {
        return Err(DecodeProblem::Undecodable(format!(
            "the text reads as mojibake in {} (its charset is neither declared nor recognisable)",
            enc.name()
        )));
    }
    finish(text.into_owned(), enc, had_errors)
}

/// UTF-8 with at most one broken sequence in 2,000 bytes (a truncated or
/// patched download): decoded with U+FFFD for each, and a warning.
fn nearly_utf8(bytes: &[u8]) -> Option<String> {
    let (mut bad, mut rest) = (0usize, bytes);
    while let Err(e) = std::str::from_utf8(rest) {
        bad += 1;
        if bad * 2000 > bytes.len().max(2000) || bad > 8 {
            return None;
        }
        let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to());
        rest = &rest[skip..];
    }
    tracing::warn!("{bad} invalid UTF-8 sequence(s) replaced with U+FFFD");
    Some(String::from_utf8_lossy(bytes).into_owned())
}

/// True when the high bytes decode in GB18030 without error and mostly as
/// Han characters (the Chinese a detector may call windows-1252).
fn reads_as_chinese(bytes: &[u8]) -> bool {
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return false;
    }
    let (mut han, mut other) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if crate::text::is_han(c) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
        {
            han += 1;
        } else {
            other += 1;
        }
    }
    han >= 4 && han >= other * 4
}

/// Text whose non-ASCII letters come mostly in runs of four or more from
/// the Latin-1 range (`Ã©ÃÂ`, `ÖÐ¹ú`): bytes of another encoding read as
/// windows-1252. Accented European words have them one or two at a time.
fn is_mojibake(text: &str) -> bool {
    let (mut in_runs, mut total, mut run) = (0usize, 0usize, 0usize);
    let close = |run: usize, in_runs: &mut usize| {
        if run >= 4 {
            *in_runs += run;
        }
    };
    for c in text.chars() {
        if ('\u{A1}'..='\u{FF}').contains(&c) || ('\u{152}'..='\u{2122}').contains(&c) {
            run += 1;
            total += 1;
        } else {
            close(run, &mut in_runs);
            run = 0;
        }
    }
    close(run, &mut in_runs);
    total >= 20 && in_runs * 2 >= total
}

fn finish(
    text: String,
    enc: &'static Encoding,
    had_errors: bool,
) -> Result<Decoded, DecodeProblem> {
    if had_errors {
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        let total = text.chars().count().max(1);
        // A few broken bytes (a truncated download) are tolerated; more means
        // the guess was wrong or the input is not text.
        if bad * 100 > total {
            return Err(DecodeProblem::Undecodable(format!(
                "{bad} of {total} characters are invalid as {}",
                enc.name()
            )));
        }
    }
    Ok(Decoded { text, encoding: enc.name() })
}

/// Recognises common binary formats by magic number, and anything else by NUL
/// bytes or a high share of control characters in the first 8 KiB.
fn binary_kind(bytes: &[u8]) -> Option<String> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"\x7FELF", "an executable"),
        (b"\xD0\xCF\x11\xE0", "an old Office document"),
        (b"RIFF", "a RIFF media file"),
        (b"ID3", "an MP3 file"),
        (b"SQLite format 3", "an SQLite database"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some((*what).to_owned());
    }
    // UTF-16 text has NULs but carries a BOM, which is handled before this.
    if Encoding::for_bom(bytes).is_some() {
        return None;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let nul = head.iter().filter(|&&b| b == 0).count();
    let control =
        head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)).count();
    if nul > 0 || control * 20 > head.len() {
        return Some("binary data (control bytes)".to_owned());
    }
    None
}

/// Finds `<meta charset="…">` or `<meta http-equiv … content="…charset=…">`
/// in the first 4 KiB, as browsers do before parsing.
fn sniff_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len() && lower[i] == b' ' {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < lower.len() && matches!(lower[i], b' ' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len()
            && (lower[i].is_ascii_alphanumeric() || matches!(lower[i], b'-' | b'_'))
        {
            i += 1;
        }
        if i > start {
            return Some(String::from_utf8_lossy(&lower[start..i]).into_owned());
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("\u{FEFF}同志们：".as_bytes(), None).unwrap();
        assert_eq!(d.text, "同志们：");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(decode("同志们".as_bytes(), None).unwrap().text, "同志们");
    }

    #[test]
    fn gbk_without_declaration_is_detected() {
        let text = "同志们：今天，市委召开这次全市深化群众身边不正之风和腐败问题集中整治推进会议。";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, text);
        assert!(d.encoding == "GBK" || d.encoding == "gb18030", "{}", d.encoding);
    }

    #[test]
    fn big5_without_declaration_is_detected() {
        let text = "各位代表：現在，我代表政府向大會報告工作，請予審議，並請委員提出意見。";
        let (bytes, _, _) = encoding_rs::BIG5.encode(text);
        assert_eq!(decode(&bytes, None).unwrap().text, text);
    }

    #[test]
    fn meta_charset_is_honoured() {
        let body = "<html><head><meta charset=\"gbk\"></head><body>讲话</body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(body);
        assert_eq!(sniff_meta_charset(&bytes).as_deref(), Some("gbk"));
        assert_eq!(decode(&bytes, None).unwrap().text, body);
        let http_equiv =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GB2312\">";
        assert_eq!(sniff_meta_charset(http_equiv).as_deref(), Some("gb2312"));
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b"  \n\t ", None), Err(DecodeProblem::Empty));
        assert!(matches!(decode(b"%PDF-1.7 ...", None), Err(DecodeProblem::Binary(_))));
        assert!(matches!(decode(&[0u8, 1, 2, 3, 0, 0, 7], None), Err(DecodeProblem::Binary(_))));
    }

    // Issue 11: a GBK page without a declared charset came out as
    // windows-1252 mojibake, detected as English.
    #[test]
    fn undeclared_chinese_bytes_prefer_gb18030() {
        let page = "<html><head><title>政府工作报告</title></head><body><p>各位代表：现在，我代表省人民政府，向大会报告工作。</p><p>Page 1 of 2 © 2026</p></body></html>";
        let (bytes, _, _) = encoding_rs::GB18030.encode(page);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, page);
        assert!(matches!(d.encoding, "GBK" | "gb18030"), "{}", d.encoding);
        // A page that wrongly declares a Latin charset is read the same way.
        assert_eq!(decode(&bytes, Some("iso-8859-1")).unwrap().text, page);
    }

    #[test]
    fn big5_still_wins_over_gb18030() {
        let text = "各位代表：現在，我代表政府向大會報告工作，請予審議，並請委員提出意見。過去一年，經濟穩定增長。";
        let (bytes, _, _) = encoding_rs::BIG5.encode(text);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "Big5");
    }

    #[test]
    fn one_broken_byte_leaves_utf8_alone() {
        let mut bytes = "同志们：今天我们召开会议，研究部署下一步工作。".repeat(20).into_bytes();
        bytes.insert(30, 0xFF);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text.chars().filter(|&c| c == '\u{FFFD}').count(), 1);
        assert!(d.text.starts_with("同志们"));
    }

    #[test]
    fn mojibake_is_an_error_and_latin_text_is_not_mojibake() {
        let gbk_as_latin = "ÖÐ»ªÈËÃñ¹²ºÍ¹ú¹úÎñÔº ÕþžŽ¹€×÷±š¸æ ×ÜÀí ÀîÇ¿";
        assert!(is_mojibake(gbk_as_latin));
        assert!(!is_mojibake(
            "Le président a été reçu à l'Élysée; ça déçoit où l'on préfère la côte."
        ));
        assert!(!is_mojibake(
            "Ein Gespräch über Straßenbahnen in München und Köln, für alle Bürger."
        ));
        // Bytes no detector can place are refused, not read as English.
        // (High bytes paired with 0xFF, which no GB18030 character holds.)
        let bytes: Vec<u8> =
            (0..200u32).flat_map(|i| [0xC0 + (i * 7 % 0x30) as u8, 0xFF]).collect();
        let mut page = b"<html><body><p>".to_vec();
        page.extend(&bytes);
        page.extend(b"</p></body></html>");
        match decode(&page, Some("windows-1252")) {
            Err(DecodeProblem::Undecodable(m)) => assert!(m.contains("mojibake"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
