//! The `Digest`: everything known about one speech, assembled from the
//! outline, the summaries and the facts. It is the whole Tera context of
//! every template and is written out as `digest.json`; its fields are the
//! contract with users' templates and are documented in the README.

use serde::{Deserialize, Serialize};

use crate::ingest::{Lang, Meta};
use crate::outline::{Outline, SectionKind, Warning};
use crate::summarize::facts::{self, Figure, QuizItem, Quote, Term};
use crate::summarize::{KeyPoint, SectionSummary, SentenceRef, Summaries};

/// One line of the speech's own outline, flattened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// The newsletter's parts, within 400 字 / 200 words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Newsletter {
    /// The headline (the speech's title).
    pub headline: String,
    /// One sentence that says what the speech is about (verbatim).
    pub dek: String,
    /// Three to five takeaways (verbatim headings, points or sentences).
    pub takeaways: Vec<String>,
    /// A pull quote, when there is one.
    pub pull_quote: Option<Quote>,
    /// Up to three figures.
    pub figures: Vec<Figure>,
}

/// A warning for readers of the outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// Who wrote the summaries. Never holds the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// What the API calls of one speech cost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        }
    }
}

/// Everything a template can use. See the README for each field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
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
    /// Notable quotations.
    pub quotes: Vec<Quote>,
    /// Terms with their sentences.
    pub terms: Vec<Term>,
    /// Figures with what they measure.
    pub figures: Vec<Figure>,
    /// Discussion questions (at least three).
    pub questions: Vec<String>,
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
}

fn measure(lang: Lang, s: &str) -> usize {
    match lang {
        Lang::Zh => s.chars().filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation()).count(),
        Lang::En => s.split_whitespace().count(),
    }
}

/// Assembles the digest. Pure.
pub fn assemble(outline: &Outline, summaries: Summaries, provider: &str) -> Digest {
    let lang = outline.meta.lang;
    let all: Vec<SentenceRef> = summaries.scores.iter().map(|(s, _)| s.clone()).collect();
    let figures = facts::figures(&all, lang);
    let quotes = facts::quotes(&all, &summaries.scores, lang, 5);
    let terms = facts::terms(outline, &all, &summaries.scores, lang, 12);
    let questions = facts::questions(&summaries.sections, lang, 5);
    let quiz = facts::quiz(&terms, &figures, 5);
    let outline_entries: Vec<OutlineEntry> = outline
        .walk()
        .into_iter()
        .map(|s| {
            let summary = summaries.sections.iter().find(|x| x.section_id == s.id);
            let points = if s.children.is_empty() || s.points.is_empty() {
                summary
                    .map(|x| {
                        x.key_points
                            .iter()
                            .filter(|k| k.section_id == s.id || k.label.is_none())
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                summary
                    .map(|x| {
                        x.key_points.iter().filter(|k| k.section_id == s.id).cloned().collect()
                    })
                    .unwrap_or_default()
            };
            OutlineEntry {
                id: s.id.clone(),
                kind: s.kind,
                level: s.level,
                label: s.label.clone(),
                heading: s.heading.clone(),
                points,
            }
        })
        .collect();
    let key_points: Vec<KeyPoint> =
        outline_entries.iter().flat_map(|e| e.points.iter().cloned()).collect();
    let title = outline.meta.title.clone().unwrap_or_else(|| {
        std::path::Path::new(&outline.meta.source)
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty() && *s != "-")
            .unwrap_or("speech")
            .to_owned()
    });
    let newsletter = newsletter(&title, lang, &summaries, &key_points, &quotes, &figures);
    let joiner = if lang == Lang::Zh { "" } else { " " };
    let overview =
        summaries.overview.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(joiner);
    let sentences = all.len();
    let length = all.iter().map(|s| measure(lang, &s.text)).sum::<usize>();
    let stats = Stats {
        chars: outline.meta.chars,
        length,
        length_unit: if lang == Lang::Zh { "字" } else { "words" }.to_owned(),
        sentences,
        parts: outline.parts().count(),
        sections: outline.walk().len(),
        points: outline.walk().iter().map(|s| s.points.len()).sum(),
        speaking_minutes: (length / if lang == Lang::Zh { 250 } else { 150 }).max(1),
    };
    let warnings = outline
        .warnings
        .iter()
        .map(|w| DigestWarning {
            kind: match w {
                Warning::AnnouncedPartsMismatch { .. } => "announced_parts_mismatch",
                Warning::NoNumbering { .. } => "no_numbering",
            }
            .to_owned(),
            message: w.message().to_owned(),
            section_id: None,
            text: None,
        })
        .collect();
    Digest {
        meta: outline.meta.clone(),
        title,
        labels: Labels::for_lang(lang),
        overview,
        overview_sentences: summaries.overview,
        sections: summaries.sections,
        outline: outline_entries,
        key_points,
        quotes,
        terms,
        figures,
        questions,
        quiz,
        newsletter,
        warnings,
        provider: ProviderInfo {
            kind: provider.to_owned(),
            name: None,
            model: None,
            base_url: None,
        },
        api: None,
        stats,
        generator: concat!("speechdigest ", env!("CARGO_PKG_VERSION")).to_owned(),
    }
}

/// The newsletter within its budget: 400 字 (zh) or 200 words (en), and at
/// most a third of the speech.
fn newsletter(
    title: &str,
    lang: Lang,
    s: &Summaries,
    kps: &[KeyPoint],
    quotes: &[Quote],
    figures: &[Figure],
) -> Newsletter {
    let total: usize = s.scores.iter().map(|(x, _)| measure(lang, &x.text)).sum();
    let cap = (if lang == Lang::Zh { 400 } else { 200 }).min(total / 3).max(1);
    let mut ranked: Vec<&(SentenceRef, f64)> = s.scores.iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.span.start.cmp(&b.0.span.start)));
    // The dek: the best sentence of the overview that stands on its own and
    // fits one line; else the best such sentence anywhere.
    let (dek_min, dek_max) = if lang == Lang::Zh { (15, 80) } else { (8, 40) };
    let fits = |t: &str| {
        let m = measure(lang, t);
        (dek_min..=dek_max).contains(&m)
            && facts::reads_on_its_own(t)
            && !crate::summarize::is_procedural(t, false, lang)
    };
    let dek = s
        .overview
        .iter()
        .map(|x| x.text.as_str())
        .find(|t| fits(t))
        .or_else(|| ranked.iter().map(|(x, _)| x.text.as_str()).find(|t| fits(t)))
        .or_else(|| ranked.first().map(|(x, _)| x.text.as_str()))
        .unwrap_or_default()
        .to_owned();
    let mut used = measure(lang, title) + measure(lang, &dek);
    let mut takeaways: Vec<String> = Vec::new();
    // Part headings first (they are the speech's own summary), then point leads, then best sentences.
    let mut candidates: Vec<String> = s
        .sections
        .iter()
        .filter(|x| x.level == 1 && x.kind == SectionKind::Part)
        .filter_map(|x| x.heading.clone())
        .collect();
    candidates.extend(kps.iter().filter(|k| k.label.is_some()).map(|k| k.text.clone()));
    candidates.extend(ranked.iter().map(|(x, _)| x.text.clone()));
    for c in candidates {
        if takeaways.len() >= 5 {
            break;
        }
        let m = measure(lang, &c);
        if c == dek || takeaways.contains(&c) || m < 4 || used + m > cap * 8 / 10 {
            continue;
        }
        used += m;
        takeaways.push(c);
    }
    let pull_quote = quotes
        .iter()
        .filter(|q| used + measure(lang, &q.text) <= cap)
        .min_by_key(|q| (q.attribution.is_none(), measure(lang, &q.text)))
        .cloned();
    if let Some(q) = &pull_quote {
        used += measure(lang, &q.text);
    }
    let mut figs = Vec::new();
    for f in figures {
        if figs.len() >= 3 {
            break;
        }
        let m = measure(lang, &f.value) + measure(lang, &f.measures);
        if used + m <= cap && !f.measures.is_empty() {
            used += m;
            figs.push(f.clone());
        }
    }
    Newsletter { headline: title.to_owned(), dek, takeaways, pull_quote, figures: figs }
}
