//! The `Digest`: everything known about one speech. It is the whole Tera
//! context of every template and is written out as `digest.json`; its fields
//! are the contract with users' templates and are documented in the README.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{
    Figure, KeyFact, KeyPoint, Lang, Meta, QaItem, QuizItem, Quote, SectionKind, SectionSummary,
    SentenceRef, Term,
};

/// One line of the speech's own outline, flattened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OutlineEntry {
    /// Section id (`1`, `2.1`).
    pub id: String,
    /// `opening`, `part`, `group`, `closing`, `notes`.
    pub kind: SectionKind,
    /// Depth, 1 for top level.
    pub level: usize,
    /// Label as written (`一`, `（一）`, `第一`, `I`).
    pub label: Option<String>,
    /// Heading, when the speech gives one.
    pub heading: Option<String>,
    /// The section's enumerated points and, for unnumbered sections, its best sentence.
    pub points: Vec<KeyPoint>,
}

/// A top-level part of the speech as the handout and the briefing show it:
/// its heading, its points grouped as the speech groups them, excerpts that
/// stand on their own and appear nowhere else in the handout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Part {
    /// Section id (`1`, `2`).
    pub section_id: String,
    /// The handout's number for it: `（一）` / `1.`.
    pub number: String,
    /// The speech's own label (`一`, `I`), when numbered.
    pub label: Option<String>,
    /// Its heading, or `第一部分` / `Part 1` when the speech gives none.
    pub title: String,
    /// True when `title` is the speech's own heading.
    pub has_heading: bool,
    /// Its own enumerated points (lead clauses, verbatim).
    pub points: Vec<KeyPoint>,
    /// The same points in the runs the speech enumerates them in (`一是…
    /// 三是` of the achievements, then `其一…其四` of the shortcomings).
    pub runs: Vec<Vec<KeyPoint>>,
    /// Its second-level sections, with their points.
    pub groups: Vec<PartGroup>,
    /// One or two sentences that stand on their own, not repeated elsewhere.
    pub excerpts: Vec<SentenceRef>,
    /// The briefing's sentence for this part, when the one-page budget allows.
    pub gist: Option<SentenceRef>,
    /// What the briefing lists for a part the speech divides under
    /// sub-headings or enumerates in short points, instead of a `gist`.
    #[serde(default)]
    pub brief: Option<Brief>,
}

/// A part summed up by its own sub-headings or point leads, verbatim and in
/// speech order, as many as the briefing's page allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Brief {
    /// The sub-headings or point leads shown.
    pub items: Vec<String>,
    /// True when the part has more than `items` (the briefing adds `等` /
    /// `and more`).
    pub more: bool,
}

/// A second-level section inside a [`Part`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PartGroup {
    /// Section id (`2.1`).
    pub section_id: String,
    /// Its label as written (`（一）`, `1.`), when numbered.
    pub label: Option<String>,
    /// Its heading, when the speech gives one.
    pub heading: Option<String>,
    /// Its enumerated points (lead clauses, verbatim).
    pub points: Vec<KeyPoint>,
    /// Its best standalone sentence when it has no points and no heading.
    pub excerpt: Option<SentenceRef>,
}

/// The one-page briefing's own selection (the parts' `gist` sentences are in
/// [`Part::gist`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Briefing {
    /// Who, when, where, in one line of the speech's language.
    pub dateline: String,
    /// The gist: the overview's three best sentences that are not a headline
    /// fact, in speech order.
    pub gist: Vec<SentenceRef>,
    /// The key figures with their clauses, targets first.
    pub figures: Vec<Figure>,
}

/// The handout's 背景和意义 / Background: occasion, speaker, the speech's
/// stated purpose and the situation it answers, in its own words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Background {
    /// The sentences joined.
    pub text: String,
    /// The sentences, verbatim, with their sections.
    pub sentences: Vec<SentenceRef>,
}

/// The newsletter's parts, within 400 字 / 200 words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Newsletter {
    /// The headline: who + the thesis or key target clause, quoted from
    /// the speech (offline); the title when nothing better is found.
    pub headline: String,
    /// One standalone sentence under the headline (verbatim).
    pub dek: String,
    /// The opening paragraph: who said what, when and where, then the
    /// speech's headline fact.
    #[serde(default)]
    pub lede: String,
    /// Three to five takeaways, each a standalone sentence of the speech.
    pub takeaways: Vec<String>,
    /// A pull quote, when there is one.
    pub pull_quote: Option<Quote>,
    /// Up to three figures.
    pub figures: Vec<Figure>,
}

/// A warning for readers of the outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DigestWarning {
    /// Machine-readable kind (`announced_parts_mismatch`, `no_numbering`, …).
    pub kind: String,
    /// A sentence for people.
    pub message: String,
    /// The section concerned (guard and API warnings; `overview` for the reduce step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_id: Option<String>,
    /// The text concerned (the unsupported figure or quotation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// For `announced_parts_mismatch`: how many parts the speech announces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<u32>,
    /// For `announced_parts_mismatch`: how many top-level parts were found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<u32>,
}

/// Who wrote the summaries. Never holds the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProviderInfo {
    /// `extractive` or `openai` (the wire format).
    pub kind: String,
    /// The configured provider name (`deepseek`, `openai`), for API providers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The model id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// `all` when every section the provider was asked for failed and the
    /// digest is the extractive one (`--fallback extractive --allow-degraded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degraded: Option<String>,
}

/// What a chat provider wrote for the whole speech besides the section
/// summaries, and what it cost. It enters `digest::assemble` with the
/// summaries; the offline provider passes [`ProviderOutput::default`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderOutput {
    /// Who wrote it; `None` for the built-in extractive summariser.
    pub provider: Option<ProviderInfo>,
    /// The overview, replacing the extractive one when not empty.
    pub overview: Option<String>,
    /// Newsletter takeaways, replacing the extractive ones when any.
    pub newsletter: Vec<String>,
    /// Discussion questions, replacing the extractive ones when any.
    pub questions: Vec<String>,
    /// Guard, language and fallback warnings (after the outline's).
    pub warnings: Vec<DigestWarning>,
    /// The calls' cost.
    pub api: Option<ApiStats>,
}

/// What the API calls of one speech cost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApiStats {
    /// Successful calls to the endpoint.
    pub calls: u64,
    /// Answers taken from the cache.
    pub cached: u64,
    /// Retries (attempts after the first of a request).
    pub retries: u64,
    /// HTTP requests sent, failed ones included.
    pub requests: u64,
    /// Prompt tokens reported by the server.
    pub prompt_tokens: u64,
    /// Completion tokens reported by the server.
    pub completion_tokens: u64,
    /// Wall time of the summarisation, in milliseconds.
    pub wall_ms: u64,
    /// The most requests in flight at once.
    pub max_in_flight: usize,
    /// Sections filled extractively after a failure.
    pub degraded_sections: usize,
}

/// Numbers about the speech and the digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Stats {
    /// Characters of the clean text.
    pub chars: usize,
    /// Words (en) or characters (zh) of the speech.
    pub length: usize,
    /// `字` or `words`.
    pub length_unit: String,
    /// Sentences.
    pub sentences: usize,
    /// Top-level parts (numbered or grouped).
    pub parts: usize,
    /// All sections.
    pub sections: usize,
    /// Enumerated points.
    pub points: usize,
    /// Minutes to read it aloud (zh 250 字/min, en 150 words/min).
    pub speaking_minutes: usize,
}

/// Labels in the speech's language, so that one template serves both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Labels {
    /// e.g. `概要` / `Overview`.
    pub overview: String,
    /// e.g. `主要内容` / `Main points`.
    pub main_points: String,
    /// e.g. `数据` / `Figures`.
    pub figures: String,
    /// e.g. `要点` / `Key points`.
    pub key_points: String,
    /// e.g. `学习提纲` / `Study handout`.
    pub handout: String,
    /// e.g. `基本情况` / `Basic facts`.
    pub basics: String,
    /// e.g. `核心要义` / `Core message`.
    pub core: String,
    /// e.g. `结构` / `Structure`.
    pub structure: String,
    /// e.g. `原文摘录` / `Excerpts`.
    pub excerpts: String,
    /// e.g. `金句` / `Quotations`.
    pub quotes: String,
    /// e.g. `术语` / `Terms`.
    pub terms: String,
    /// e.g. `讨论题` / `Discussion questions`.
    pub questions: String,
    /// e.g. `小测验` / `Quiz`.
    pub quiz: String,
    /// e.g. `答案` / `Answers`.
    pub answers: String,
    /// e.g. `讲话人` / `Speaker`.
    pub speaker: String,
    /// e.g. `日期` / `Date`.
    pub date: String,
    /// e.g. `场合` / `Occasion`.
    pub occasion: String,
    /// e.g. `来源` / `Source`.
    pub source: String,
    /// e.g. `开场` / `Opening`.
    pub opening: String,
    /// e.g. `结语` / `Closing`.
    pub closing: String,
    /// e.g. `第` … `部分` for unnamed groups: `第{n}部分` / `Part {n}`.
    pub part: String,
    /// e.g. `注意` / `Note`.
    pub note: String,
    /// e.g. `位置` / `Location`.
    pub location: String,
    /// e.g. `背景和意义` / `Background`.
    #[serde(default)]
    pub background: String,
    /// e.g. `重点论述` / `Key passages`.
    #[serde(default)]
    pub key_passages: String,
    /// e.g. `学习思考题` / `Questions for discussion`.
    #[serde(default)]
    pub study_questions: String,
    /// e.g. `自测` / `Self-test`.
    #[serde(default)]
    pub self_test: String,
    /// e.g. `参考答案` / `Answer key`.
    #[serde(default)]
    pub answer_key: String,
    /// e.g. `填空` / `Fill in the blanks`.
    #[serde(default)]
    pub cloze: String,
    /// e.g. `简答题` / `Short answers`.
    #[serde(default)]
    pub short_answer: String,
    /// e.g. `要旨` / `In brief`.
    #[serde(default)]
    pub gist: String,
    /// e.g. `核心目标与论断` / `Headline facts`.
    #[serde(default)]
    pub key_facts: String,
    /// The length line in words of the language, numbers and plurals right:
    /// `2471字 · 2个部分 · 约9分钟` / `2,471 words · 2 parts · about 9 minutes`.
    #[serde(default)]
    pub counts: String,
}

impl Labels {
    /// Labels for `lang`.
    pub fn for_lang(lang: Lang) -> Labels {
        let l = |zh: &str, en: &str| if lang == Lang::Zh { zh.to_owned() } else { en.to_owned() };
        Labels {
            overview: l("概要", "Overview"),
            main_points: l("主要内容", "Main points"),
            figures: l("数据", "Figures"),
            key_points: l("要点", "Key points"),
            handout: l("学习提纲", "Study handout"),
            basics: l("基本情况", "Basic facts"),
            core: l("核心要义", "Core message"),
            structure: l("结构", "Structure"),
            excerpts: l("原文摘录", "Excerpts"),
            quotes: l("金句", "Quotations"),
            terms: l("术语", "Terms"),
            questions: l("讨论题", "Discussion questions"),
            quiz: l("小测验", "Quiz"),
            answers: l("答案", "Answers"),
            speaker: l("讲话人", "Speaker"),
            date: l("日期", "Date"),
            occasion: l("场合", "Occasion"),
            source: l("来源", "Source"),
            opening: l("开场", "Opening"),
            closing: l("结语", "Closing"),
            part: l("部分", "Part"),
            note: l("注意", "Note"),
            location: l("位置", "Location"),
            background: l("背景和意义", "Background"),
            key_passages: l("重点论述", "Key passages"),
            study_questions: l("学习思考题", "Questions for discussion"),
            self_test: l("自测", "Self-test"),
            answer_key: l("参考答案", "Answer key"),
            cloze: l("填空", "Fill in the blanks"),
            gist: l("要旨", "In brief"),
            short_answer: l("简答题", "Short answers"),
            key_facts: l("核心目标与论断", "Headline facts"),
            counts: String::new(),
        }
    }

    /// [`Labels::for_lang`] with [`Labels::counts`] filled from `stats`.
    pub fn for_stats(lang: Lang, stats: &Stats) -> Labels {
        let mut l = Labels::for_lang(lang);
        l.counts = counts_line(lang, stats);
        l
    }
}

/// `2471字 · 2个部分 · 约9分钟` / `2,471 words · 2 parts · about 9 minutes`.
fn counts_line(lang: Lang, s: &Stats) -> String {
    match lang {
        Lang::Zh => {
            let mut out = format!("{}字", s.length);
            if s.parts > 0 {
                out.push_str(&format!(" · {}个部分", s.parts));
            }
            out.push_str(&format!(" · 约{}分钟", s.speaking_minutes));
            out
        }
        Lang::En => {
            let plural = |n: usize, one: &str, many: &str| {
                format!("{} {}", thousands(n), if n == 1 { one } else { many })
            };
            let mut out = plural(s.length, "word", "words");
            if s.parts > 0 {
                out.push_str(&format!(" · {}", plural(s.parts, "part", "parts")));
            }
            out.push_str(&format!(" · about {}", plural(s.speaking_minutes, "minute", "minutes")));
            out
        }
    }
}

/// `12345` → `12,345`.
fn thousands(n: usize) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The version of the [`Digest`] this speechdigest writes, as
/// `schema_version` in every `digest.json`. Raised with every change of the
/// template contract (a field added, renamed, removed or changing meaning);
/// the README's "Changes for template authors" lists what each version
/// changed. A digest written before versions existed has none and reads as 0.
pub const SCHEMA_VERSION: u32 = 4;

/// Everything a template can use: the whole Tera context of every template,
/// written as `digest.json`. The README documents each field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Digest {
    /// The version of this structure ([`SCHEMA_VERSION`] when written by
    /// this speechdigest; 0 for a digest written before versions existed).
    #[serde(default)]
    pub schema_version: u32,
    /// The speech's metadata (title, date, speaker, occasion, lang, source, …).
    pub meta: Meta,
    /// The title to show: `meta.title`, else the source's name.
    pub title: String,
    /// Labels in the speech's language.
    pub labels: Labels,
    /// The overview: selected sentences joined (verbatim).
    pub overview: String,
    /// The overview's sentences with their sections.
    pub overview_sentences: Vec<SentenceRef>,
    /// One summary per top-level and second-level section.
    pub sections: Vec<SectionSummary>,
    /// The speech's outline, flattened in order.
    pub outline: Vec<OutlineEntry>,
    /// Every key point in order.
    pub key_points: Vec<KeyPoint>,
    /// The top-level parts as the handout and briefing show them.
    #[serde(default)]
    pub parts: Vec<Part>,
    /// The briefing's selection.
    #[serde(default)]
    pub briefing: Briefing,
    /// Notable quotations.
    pub quotes: Vec<Quote>,
    /// Terms with their sentences.
    pub terms: Vec<Term>,
    /// Figures with what they measure; targets first.
    pub figures: Vec<Figure>,
    /// The speech's headline facts: purpose, thesis, targets, verbatim.
    #[serde(default)]
    pub key_facts: Vec<KeyFact>,
    /// The handout's background (背景和意义).
    #[serde(default)]
    pub background: Background,
    /// Discussion questions (思考题, at least three).
    pub questions: Vec<String>,
    /// Short-answer self-test with answers from the speech's own points.
    #[serde(default)]
    pub qa: Vec<QaItem>,
    /// Cloze quiz.
    pub quiz: Vec<QuizItem>,
    /// The newsletter's parts.
    pub newsletter: Newsletter,
    /// Warnings for readers.
    pub warnings: Vec<DigestWarning>,
    /// Who wrote the summaries: `kind` `extractive` (offline, built in) or
    /// `openai` with the provider's name, model and base URL.
    pub provider: ProviderInfo,
    /// API calls, tokens and time, for API providers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiStats>,
    /// Numbers about the speech.
    pub stats: Stats,
    /// The speechdigest version that made this.
    pub generator: String,
    /// The audio files made by `build --audio` (absent without).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audio: Vec<AudioFile>,
}

/// One audio file in the item's folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AudioFile {
    /// What it speaks: `transcript`, `briefing` or `newsletter`.
    pub what: String,
    /// Its file name in the folder (`transcript.wav`).
    pub file: String,
    /// Its length in seconds.
    pub seconds: f64,
}

impl Digest {
    /// The JSON Schema (draft 2020-12) of `digest.json` as this speechdigest
    /// writes it, generated from the types; committed as
    /// `schema/digest.schema.json`.
    pub fn json_schema() -> serde_json::Value {
        schemars::generate::SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<Digest>()
            .to_value()
    }

    /// [`Digest::json_schema`] as the committed file's text: pretty-printed,
    /// with a final newline.
    pub fn json_schema_text() -> String {
        let mut s = serde_json::to_string_pretty(&Digest::json_schema())
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_know_numbers_and_plurals() {
        let st = |length, parts, speaking_minutes| Stats {
            chars: 0,
            length,
            length_unit: String::new(),
            sentences: 0,
            parts,
            sections: 0,
            points: 0,
            speaking_minutes,
        };
        assert_eq!(counts_line(Lang::Zh, &st(2471, 2, 9)), "2471字 · 2个部分 · 约9分钟");
        assert_eq!(
            counts_line(Lang::En, &st(12345, 1, 1)),
            "12,345 words · 1 part · about 1 minute"
        );
        assert_eq!(counts_line(Lang::En, &st(999, 0, 7)), "999 words · about 7 minutes");
    }

    /// The committed `schema/digest.schema.json` is the one the types make.
    /// `SPEECHDIGEST_UPDATE_SCHEMA=1 cargo test schema` rewrites it.
    #[test]
    fn committed_schema_is_current() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/digest.schema.json");
        let fresh = Digest::json_schema_text();
        if std::env::var_os("SPEECHDIGEST_UPDATE_SCHEMA").is_some_and(|v| v != "0") {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is not the schema the Digest types make (a field changed?). Update it with \
             `SPEECHDIGEST_UPDATE_SCHEMA=1 cargo test schema`, raise SCHEMA_VERSION if the \
             template contract changed, and say what changed in the README's \
             \"Changes for template authors\".",
            path.display()
        );
    }

    #[test]
    fn schema_requires_the_version_and_describes_fields() {
        let s = Digest::json_schema();
        let required: Vec<&str> =
            s["required"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
        assert!(required.contains(&"schema_version"), "{required:?}");
        assert!(!required.contains(&"api"), "api is written only for API providers");
        assert!(s["properties"]["schema_version"]["description"].is_string());
        // A span is serialised as `[start, end]`.
        assert_eq!(s["$defs"]["Span"]["type"], "array", "{}", s["$defs"]["Span"]);
    }
}
