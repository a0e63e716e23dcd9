//! Outline → TTS-ready transcript: every heading and sentence of the speech,
//! in order, rewritten into what should be *said* (numbers, dates, symbols
//! and abbreviations as words: [`zh`], [`en`]) and packed into chunks that fit
//! a synthesiser's request limit ([`chunk`]), each ending with the pause the
//! speech's structure asks for. [`ssml`] renders a transcript as SSML or plain
//! text. The normalisers' rule tables are TSV files embedded from
//! `src/tts/data/` and parsed once on first use (`data`). Pure and sync: no
//! I/O, no clock, no mutable globals.

pub(crate) mod audio;
pub(crate) mod chunk;
mod data;
pub(crate) mod en;
pub(crate) mod lexicon;
pub(crate) mod ssml;
pub(crate) mod xml;
pub(crate) use xml::escape as escape_xml;
pub(crate) mod zh;

use serde::{Deserialize, Serialize};

use crate::model::Lang;
use crate::model::{Outline, Section, SectionKind};

use crate::model::{Chunk, ChunkKind, Pause, TITLE_ID, Transcript};
pub(crate) use ssml::{to_ssml, to_ssml_chunks, to_ssml_with, to_text};

/// The normaliser's conventions, per language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NormalizeOptions {
    /// Chinese conventions (两/二, 幺, 到/至, …).
    pub zh: zh::ZhOptions,
    /// English conventions ("and" in cardinals, "minus", date style).
    pub en: en::EnOptions,
}

/// Rewrites written numbers, symbols and abbreviations of `text` into words
/// as a `lang` voice should say them; every other character is kept, in order.
pub fn normalize(text: &str, lang: Lang, opts: &NormalizeOptions) -> String {
    match lang {
        Lang::Zh => zh::normalize(text, &opts.zh),
        Lang::En => en::normalize(text, &opts.en),
    }
}

/// The synthesiser the chunks are sized for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// No particular engine: chunks of a comfortable size for any synthesiser
    /// (300 characters zh, 600 en, about 75 and 40 seconds of speech).
    #[default]
    Generic,
    /// Google Cloud Text-to-Speech: at most 5,000 bytes of input per request,
    /// SSML markup included. Chunks are kept to 4,500 bytes of text so that the
    /// markup of a per-chunk SSML document fits in the rest.
    Google,
    /// Amazon Polly: at most 3,000 billed characters (markup not counted) per
    /// `SynthesizeSpeech` request.
    Polly,
    /// Azure AI Speech: at most 10 minutes of audio per request. At a brisk
    /// 4 characters a second in Chinese and 15 in English that is 2,400 and
    /// 9,000 characters; the presets stay well below (2,000 and 6,000).
    Azure,
    /// OpenAI's `audio/speech` (and the servers that copy it): at most 4,096
    /// characters of input per request.
    Openai,
}

impl Engine {
    /// Every engine, for help texts and tests.
    pub const ALL: [Engine; 5] =
        [Engine::Generic, Engine::Google, Engine::Polly, Engine::Azure, Engine::Openai];

    /// The default largest chunk in characters for `lang`.
    pub fn default_max_chars(self, lang: Lang) -> usize {
        match (self, lang) {
            (Engine::Generic, Lang::Zh) => 300,
            (Engine::Generic, Lang::En) => 600,
            // 4,500 bytes: 1,500 three-byte Chinese characters.
            (Engine::Google, Lang::Zh) => 1_500,
            (Engine::Google, Lang::En) => 4_500,
            (Engine::Polly, _) => 3_000,
            (Engine::Azure, Lang::Zh) => 2_000,
            (Engine::Azure, Lang::En) => 6_000,
            (Engine::Openai, _) => 4_096,
        }
    }

    /// A hard cap on characters per request that `max_chars` cannot raise.
    pub fn hard_max_chars(self) -> Option<usize> {
        match self {
            Engine::Polly => Some(3_000),
            Engine::Openai => Some(4_096),
            _ => None,
        }
    }

    /// A cap on the UTF-8 bytes of a chunk's text, when the engine counts bytes.
    pub fn max_bytes(self) -> Option<usize> {
        match self {
            Engine::Google => Some(4_500),
            _ => None,
        }
    }

    /// Whether one request's SSML document fits the engine: Google counts
    /// 5,000 bytes and Polly 6,000 characters, markup included; the others
    /// set no such limit.
    pub fn ssml_fits(self, document: &str) -> bool {
        match self {
            Engine::Google => document.len() <= 5_000,
            Engine::Polly => document.chars().count() <= 6_000,
            Engine::Generic | Engine::Azure | Engine::Openai => true,
        }
    }

    /// `generic`, `google`, `polly` or `azure`.
    pub fn code(self) -> &'static str {
        match self {
            Engine::Generic => "generic",
            Engine::Google => "google",
            Engine::Polly => "polly",
            Engine::Azure => "azure",
            Engine::Openai => "openai",
        }
    }
}

impl std::str::FromStr for Engine {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Engine::ALL
            .into_iter()
            .find(|e| e.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown engine `{s}` (generic, google, polly, azure, openai)"))
    }
}

/// How transcripts are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TtsOptions {
    /// Largest chunk, in characters of normalised text (at least 1). The
    /// engine's own hard limits ([`Engine::hard_max_chars`],
    /// [`Engine::max_bytes`]) apply on top.
    pub max_chars: usize,
    /// The synthesiser the chunks are sized for.
    pub engine: Engine,
    /// Normalisation conventions.
    pub normalize: NormalizeOptions,
}

impl TtsOptions {
    /// The engine's default chunk size for `lang`, default normalisation.
    pub fn for_engine(engine: Engine, lang: Lang) -> Self {
        TtsOptions {
            max_chars: engine.default_max_chars(lang),
            engine,
            normalize: NormalizeOptions::default(),
        }
    }

    /// The effective limit: `max_chars` within the engine's caps.
    pub fn limit(&self) -> chunk::Limit {
        let chars = self.engine.hard_max_chars().map_or(self.max_chars, |h| self.max_chars.min(h));
        chunk::Limit { chars: chars.max(1), bytes: self.engine.max_bytes() }
    }
}

/// Makes the transcript of `outline`: the title, then each section in order
/// (its heading with the label spoken, its paragraphs, its children),
/// normalised and packed into chunks of at most [`TtsOptions::limit`]. Pure.
pub fn transcript(outline: &Outline, opts: &TtsOptions) -> Transcript {
    let lang = outline.meta.lang;
    let limit = opts.limit();
    let mut chunks = Vec::new();
    let norm = |s: &str| normalize(s, lang, &opts.normalize);
    if let Some(title) = outline.meta.title.as_deref().filter(|t| !t.trim().is_empty()) {
        // A title in capitals is read as a title (`ADDRESS OF THE PRESIDENT…`).
        let text = end_sentence(&norm(&crate::text::case::display_case(title.trim())), lang);
        push_heading(&mut chunks, TITLE_ID, &text, Pause::Section, lang, &limit);
    }
    for section in &outline.sections {
        section_chunks(&mut chunks, section, lang, opts, &limit);
    }
    Transcript { lang, chunks }
}

fn section_chunks(
    out: &mut Vec<Chunk>,
    sec: &Section,
    lang: Lang,
    opts: &TtsOptions,
    limit: &chunk::Limit,
) {
    if let Some(h) = heading_text(sec, lang) {
        let text = end_sentence(&normalize(&h, lang, &opts.normalize), lang);
        push_heading(out, &sec.id, &text, Pause::Paragraph, lang, limit);
    }
    let before = out.len();
    for p in &sec.paragraphs {
        let sentences: Vec<&str> = p
            .sentences
            .iter()
            .enumerate()
            .map(|(i, s)| if i == 0 { without_speaker_label(&s.text) } else { s.text.as_str() })
            .filter(|s| !s.trim().is_empty())
            .collect();
        let pieces = chunk::pack(&sentences, lang, &opts.normalize, limit);
        let n = pieces.len();
        out.extend(pieces.into_iter().enumerate().map(|(i, piece)| Chunk {
            section_id: sec.id.clone(),
            kind: ChunkKind::Body,
            text: piece.text,
            pause_after: if i + 1 == n { Pause::Paragraph } else { Pause::Sentence },
        }));
    }
    if out.len() > before
        && let Some(last) = out.last_mut()
    {
        last.pause_after = Pause::Section;
    }
    for c in &sec.children {
        section_chunks(out, c, lang, opts, limit);
    }
}

/// A transcript's speaker label at the start of a paragraph
/// (`THE PRESIDENT:  Mr. Speaker, …`, `MR. SMITH: …`): the printed page's
/// furniture, never read aloud. An all-capitals name of two to five words
/// before a colon (one word, `NATO:`, may be the text).
static SPEAKER_LABEL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^\s*(?:[A-Z][A-Z.'’-]*\s+){1,4}[A-Z][A-Z.'’-]*[A-Z.]:\s+")
        .expect("static regex")
});

fn without_speaker_label(s: &str) -> &str {
    SPEAKER_LABEL.find(s).map_or(s, |m| &s[m.end()..])
}

fn push_heading(
    out: &mut Vec<Chunk>,
    id: &str,
    text: &str,
    pause: Pause,
    lang: Lang,
    limit: &chunk::Limit,
) {
    let pieces = chunk::fit_normalized(text, lang, limit);
    let n = pieces.len();
    out.extend(pieces.into_iter().enumerate().map(|(i, text)| Chunk {
        section_id: id.to_owned(),
        kind: ChunkKind::Heading,
        text,
        pause_after: if i + 1 == n { pause } else { Pause::Sentence },
    }));
}

/// Ends a heading with `。` or `.` when it has no final punctuation, so that
/// synthesisers fall in pitch and pause as after a sentence.
fn end_sentence(text: &str, lang: Lang) -> String {
    let t = text.trim_end();
    let ends = t.ends_with(|c: char| "。！？!?.…：:；;”\"）)".contains(c));
    match (ends || t.is_empty(), lang) {
        (true, _) => t.to_owned(),
        (false, Lang::Zh) => format!("{t}。"),
        (false, Lang::En) => format!("{t}."),
    }
}

/// The heading as it should be read: its label made speakable (`一` → `一、`,
/// `1` → `1.`, `I` → `Part I.`) then the heading; `None` for sections without
/// either (openings, groups).
fn heading_text(sec: &Section, lang: Lang) -> Option<String> {
    if matches!(sec.kind, SectionKind::Opening | SectionKind::Group | SectionKind::Closing)
        && sec.heading.is_none()
    {
        return None;
    }
    // A heading in capitals is read as a heading (`CIVIL DEFENSE` → `Civil Defense`).
    let heading = sec
        .heading
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(crate::text::case::display_case);
    let label = sec.label.as_deref().map(str::trim).filter(|l| !l.is_empty());
    let label = label.map(|l| spoken_label(l, lang));
    match (label, heading) {
        (None, None) => None,
        (Some(l), None) => Some(l.trim_end_matches(['、', '，', ' ', '.']).to_owned()),
        (None, Some(h)) => Some(h),
        (Some(l), Some(h)) => Some(format!("{l}{h}")),
    }
}

fn spoken_label(label: &str, lang: Lang) -> String {
    let is_digits = label.chars().all(|c| c.is_ascii_digit());
    let is_roman = label.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'));
    match lang {
        // `（一）` and `（1）` are read fine as written; a bare `一`/`1` needs its `、`.
        Lang::Zh if label.starts_with('（') || label.starts_with('(') => label.to_owned(),
        Lang::Zh if label.starts_with('第') => format!("{label}，"),
        Lang::Zh => format!("{label}、"),
        Lang::En if is_roman || is_digits => format!("Part {label}. "),
        Lang::En if label.ends_with(|c: char| c.is_alphanumeric()) => format!("{label}. "),
        Lang::En => format!("{label} "),
    }
}

/// One SSML document per chunk, each within the engine's request limit
/// markup included: when markup and escapes push a document over, the
/// chunks are made smaller until every document fits. Pure.
pub(crate) fn ssml_requests(outline: &Outline, opts: &TtsOptions) -> Vec<String> {
    let mut o = opts.clone();
    loop {
        let docs = to_ssml_chunks(&transcript(outline, &o));
        if o.max_chars <= 40 || docs.iter().all(|d| opts.engine.ssml_fits(d)) {
            return docs;
        }
        // Never above what the engine itself allows.
        o.max_chars = o.limit().chars * 4 / 5;
    }
}

/// The spoken form of a rendered Markdown output (briefing, newsletter):
/// Markdown markup, section references (`[2.1]`) and list numbering dropped,
/// each line normalised, paragraphs separated by a blank line. Pure.
pub(crate) fn spoken_markdown(md: &str, lang: Lang, opts: &NormalizeOptions) -> String {
    let mut out = String::new();
    let mut blank = true;
    for raw in md.lines() {
        let mut t = raw.trim();
        t = t.trim_start_matches('#').trim_start();
        t = t.trim_start_matches('>').trim_start();
        for bullet in ["- ", "* ", "+ "] {
            if let Some(rest) = t.strip_prefix(bullet) {
                t = rest;
            }
        }
        // `12. ` list numbers are layout, not speech.
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && t[digits..].starts_with(". ") {
            t = &t[digits + 2..];
        }
        let mut line = String::with_capacity(t.len());
        let mut rest = t;
        while let Some(i) = rest.find('[') {
            line.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            match after.find(']') {
                Some(j) if after[..j].chars().all(|c| c.is_ascii_digit() || c == '.') && j > 0 => {
                    rest = &after[j + 1..];
                }
                _ => {
                    line.push('[');
                    rest = after;
                }
            }
        }
        line.push_str(rest);
        let line = line.replace("**", "").replace('*', "").replace('_', " ");
        let line = line.trim();
        if line.is_empty() {
            if !blank {
                out.push('\n');
                blank = true;
            }
            continue;
        }
        out.push_str(&normalize(line, lang, opts));
        out.push('\n');
        blank = false;
    }
    out.trim_end().to_owned() + "\n"
}

#[cfg(test)]
mod tests {
    #[test]
    fn speaker_labels_are_not_read_aloud() {
        use super::without_speaker_label as w;
        assert_eq!(
            w("THE PRESIDENT:  Mr. Speaker, members of Congress:"),
            "Mr. Speaker, members of Congress:"
        );
        assert_eq!(w("MR. FOLEY: Thank you."), "Thank you.");
        assert_eq!(w("THE PRESIDENT:"), "THE PRESIDENT:");
        for kept in
            ["Tonight: we act.", "I say: no.", "NATO: an alliance.", "同志们：今天我们开会。"]
        {
            assert_eq!(w(kept), kept);
        }
    }

    use super::*;
    use crate::model::Meta;
    use crate::model::{Paragraph, Sentence, Span};

    fn sentence(t: &str) -> Sentence {
        Sentence { text: t.to_owned(), span: Span { start: 0, end: t.len() } }
    }

    fn section(id: &str, kind: SectionKind, label: Option<&str>, heading: Option<&str>) -> Section {
        Section {
            id: id.to_owned(),
            kind,
            label: label.map(str::to_owned),
            heading: heading.map(str::to_owned),
            heading_span: None,
            level: 1,
            paragraphs: Vec::new(),
            points: Vec::new(),
            children: Vec::new(),
        }
    }

    fn para(sentences: &[&str]) -> Paragraph {
        Paragraph {
            span: Span { start: 0, end: 0 },
            sentences: sentences.iter().map(|s| sentence(s)).collect(),
        }
    }

    fn outline(lang: Lang, title: Option<&str>, sections: Vec<Section>) -> Outline {
        let meta = Meta {
            title: title.map(str::to_owned),
            date: None,
            published: None,
            speaker: None,
            occasion: None,
            outlet: None,
            lang,
            source: "test".to_owned(),
            source_label: String::new(),
            chars: 0,
            encoding: "UTF-8".to_owned(),
        };
        Outline { meta, sections, warnings: Vec::new() }
    }

    #[track_caller]
    fn norm_case(lang: Lang, input: &str, expected: &str) {
        assert_eq!(normalize(input, lang, &NormalizeOptions::default()), expected, "{input}");
    }

    #[test]
    fn normalize_dispatches_by_language() {
        for (lang, i, e) in [
            (Lang::Zh, "增长18%", "增长百分之十八"),
            (Lang::Zh, "96.2%", "百分之九十六点二"),
            (Lang::Zh, "3.1个百分点", "三点一个百分点"),
            (Lang::En, "18%", "eighteen percent"),
            (Lang::En, "in 1999", "in nineteen ninety nine"),
        ] {
            norm_case(lang, i, e);
        }
    }

    #[test]
    fn engines_parse_and_have_limits() {
        for e in Engine::ALL {
            assert_eq!(e.code().parse::<Engine>(), Ok(e));
            for lang in [Lang::Zh, Lang::En] {
                let o = TtsOptions::for_engine(e, lang);
                assert!(o.limit().chars >= 300);
                if let Some(b) = e.max_bytes() {
                    assert!(o.max_chars * if lang == Lang::Zh { 3 } else { 1 } <= b);
                }
            }
        }
        assert!("festival".parse::<Engine>().is_err());
        let big =
            TtsOptions { max_chars: 10_000, ..TtsOptions::for_engine(Engine::Polly, Lang::En) };
        assert_eq!(big.limit().chars, 3_000);
    }

    #[test]
    fn title_headings_and_pauses() {
        let mut opening = section("0", SectionKind::Opening, None, None);
        opening.paragraphs.push(para(&["同志们：", "今年以来，查处问题增长18%。"]));
        let mut part = section("1", SectionKind::Part, Some("一"), Some("肯定成绩正视不足"));
        part.paragraphs.push(para(&["去年4月以来，共查处2.5万件。"]));
        part.paragraphs.push(para(&["满意度达96.2%。"]));
        let mut child = section("1.1", SectionKind::Part, Some("（一）"), Some("高压态势"));
        child.paragraphs.push(para(&["第一句。"]));
        part.children.push(child);
        let o = outline(Lang::Zh, Some("在2025年会议上的讲话"), vec![opening, part]);
        let t = transcript(&o, &TtsOptions::for_engine(Engine::Generic, Lang::Zh));
        let got: Vec<(&str, ChunkKind, &str, Pause)> = t
            .chunks
            .iter()
            .map(|c| (c.section_id.as_str(), c.kind, c.text.as_str(), c.pause_after))
            .collect();
        use ChunkKind::*;
        use Pause::*;
        assert_eq!(
            got,
            vec![
                ("title", Heading, "在二零二五年会议上的讲话。", Section),
                ("0", Body, "同志们：今年以来，查处问题增长百分之十八。", Section),
                ("1", Heading, "一、肯定成绩正视不足。", Paragraph),
                ("1", Body, "去年四月以来，共查处二点五万件。", Paragraph),
                ("1", Body, "满意度达百分之九十六点二。", Section),
                ("1.1", Heading, "（一）高压态势。", Paragraph),
                ("1.1", Body, "第一句。", Section),
            ]
        );
        assert_eq!(t.lang, Lang::Zh);
    }

    #[test]
    fn english_labels_are_spoken() {
        for (label, heading, expected) in [
            (Some("II"), Some("The Economy"), "Part two. The Economy."),
            (Some("3"), None, "Part three."),
            (None, Some("Jobs!"), "Jobs!"),
            (Some("Part Two"), Some("Jobs"), "Part Two. Jobs."),
        ] {
            let sec = section("1", SectionKind::Part, label, heading);
            let o = outline(Lang::En, None, vec![sec]);
            let t = transcript(&o, &TtsOptions::for_engine(Engine::Generic, Lang::En));
            assert_eq!(t.chunks[0].text, expected, "{label:?} {heading:?}");
            assert_eq!(t.chunks[0].kind, ChunkKind::Heading);
        }
    }

    #[test]
    fn openings_and_groups_have_no_heading_chunk() {
        let mut g = section("1", SectionKind::Group, None, None);
        g.paragraphs.push(para(&["We met in 1963."]));
        let o = outline(Lang::En, Some(" "), vec![g]);
        let t = transcript(&o, &TtsOptions::for_engine(Engine::Generic, Lang::En));
        assert_eq!(t.chunks.len(), 1);
        assert_eq!(t.chunks[0].text, "We met in nineteen sixty three.");
        assert_eq!(t.chunks[0].pause_after, Pause::Section);
    }
}

#[cfg(test)]
mod ssml_request_tests {
    use super::*;
    use crate::ingest::{Hint, ingest_bytes};

    // Regression: review of stop 7 — markup pushed per-chunk documents over the limits.
    #[test]
    fn per_chunk_documents_fit_the_engines_limits() {
        for text in ["We will. We can. Yes. ".repeat(400), "R&D & \"Q&A\" <x> ".repeat(1200)] {
            let doc = ingest_bytes(text.as_bytes(), "t", &Hint::default()).unwrap();
            let o = crate::outline::outline(&doc);
            for engine in [Engine::Google, Engine::Polly] {
                let docs = ssml_requests(&o, &TtsOptions::for_engine(engine, doc.meta.lang));
                assert!(docs.iter().all(|d| engine.ssml_fits(d)), "{engine:?}");
            }
        }
    }
}

#[cfg(test)]
mod spoken_markdown_tests {
    use super::*;

    #[test]
    fn markup_and_references_are_not_spoken() {
        let md = "## 标题\n\n- **96.2%** — 满意度 [1]\n1. 讨论题一\n\n> 注意: 讲话宣布3个部分";
        let got = spoken_markdown(md, Lang::Zh, &NormalizeOptions::default());
        assert_eq!(got, "标题\n\n百分之九十六点二 — 满意度\n讨论题一\n\n注意: 讲话宣布三个部分\n");
    }
}
