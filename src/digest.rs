//! The `Digest`: everything known about one speech, assembled from the
//! outline, the summaries and the facts. It is the whole Tera context of
//! every template and is written out as `digest.json`; its fields are the
//! contract with users' templates and are documented in the README.

use crate::model::Lang;
use crate::model::{
    Background, Digest, DigestWarning, Labels, Newsletter, OutlineEntry, ProviderInfo,
    ProviderOutput, SCHEMA_VERSION, Stats,
};
use crate::model::{Figure, Quote};
use crate::model::{KeyPoint, SentenceRef, Summaries};
use crate::model::{Outline, SectionKind, Warning};
use crate::summarize::facts;

fn measure(lang: Lang, s: &str) -> usize {
    match lang {
        Lang::Zh => s.chars().filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation()).count(),
        Lang::En => s.split_whitespace().count(),
    }
}

/// Assembles the digest. Pure.
pub(crate) fn assemble(outline: &Outline, summaries: Summaries, from: ProviderOutput) -> Digest {
    let lang = outline.meta.lang;
    let all: Vec<SentenceRef> = summaries.scores.iter().map(|(s, _)| s.clone()).collect();
    let figures = facts::figures(&all, lang);
    let quotes = facts::quotes(&all, &summaries.scores, lang, 5);
    let terms = facts::terms(outline, &all, lang, 15);
    let questions = facts::questions(&summaries.sections, lang, 5);
    let quiz = facts::quiz(&terms, &figures, 6);
    let qa = facts::qa(outline, lang, 8);
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
            announced: match w {
                Warning::AnnouncedPartsMismatch { announced, .. } => Some(*announced),
                Warning::NoNumbering { .. } => None,
            },
            found: match w {
                Warning::AnnouncedPartsMismatch { found, .. } => Some(*found),
                Warning::NoNumbering { .. } => None,
            },
        })
        .collect();
    let background = Background {
        text: summaries.overview.first().map(|s| s.text.clone()).unwrap_or_default(),
        sentences: summaries.overview.first().cloned().into_iter().collect(),
    };
    let mut digest = Digest {
        schema_version: SCHEMA_VERSION,
        meta: outline.meta.clone(),
        title,
        labels: Labels::for_stats(lang, &stats),
        overview,
        overview_sentences: summaries.overview,
        sections: summaries.sections,
        outline: outline_entries,
        key_points,
        quotes,
        terms,
        figures,
        key_facts: Vec::new(),
        background,
        questions,
        qa,
        quiz,
        newsletter,
        warnings,
        provider: ProviderInfo {
            kind: "extractive".to_owned(),
            name: None,
            model: None,
            base_url: None,
        },
        api: None,
        stats,
        generator: concat!("speechdigest ", env!("CARGO_PKG_VERSION")).to_owned(),
    };
    // A chat provider's prose replaces the extractive parts it covers.
    if let Some(o) = from.overview.filter(|o| !o.trim().is_empty()) {
        digest.overview = o;
    }
    let lines: Vec<String> = from.newsletter.into_iter().filter(|l| !l.trim().is_empty()).collect();
    if !lines.is_empty() {
        digest.newsletter.takeaways = lines;
    }
    let qs: Vec<String> = from.questions.into_iter().filter(|l| !l.trim().is_empty()).collect();
    if !qs.is_empty() {
        digest.questions = qs;
    }
    digest.warnings.extend(from.warnings);
    if let Some(p) = from.provider {
        digest.provider = p;
    }
    digest.api = from.api;
    digest
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
    Newsletter {
        headline: title.to_owned(),
        lede: dek.clone(),
        dek,
        takeaways,
        pull_quote,
        figures: figs,
    }
}

/// A stored `digest.json` read back: its `schema_version` checked first (a
/// newer one than [`SCHEMA_VERSION`] is refused: its fields may mean
/// something else), then the whole digest. A digest without a version
/// (written before versions existed) is version 0 and is accepted when it
/// deserialises. Pure; `path` only names the file in errors.
///
/// # Errors
/// Invalid JSON, a newer version, or JSON that is not a digest.
pub(crate) fn from_json(path: &std::path::Path, bytes: &[u8]) -> crate::error::Result<Digest> {
    use crate::error::Error;
    let invalid = |e| Error::DigestInvalid { path: path.to_owned(), source: e };
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(invalid)?;
    let found = value.get("schema_version").and_then(serde_json::Value::as_u64).unwrap_or(0);
    if found > u64::from(SCHEMA_VERSION) {
        return Err(Error::DigestTooNew { path: path.to_owned(), found, known: SCHEMA_VERSION });
    }
    serde_json::from_value(value).map_err(invalid)
}

/// Reads and checks the `digest.json` at `path` (see [`from_json`]).
///
/// # Errors
/// An unreadable file, and what [`from_json`] refuses.
pub(crate) fn read(path: &std::path::Path) -> crate::error::Result<Digest> {
    let bytes = std::fs::read(path)
        .map_err(|e| crate::error::Error::Read { path: path.to_owned(), source: e })?;
    from_json(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use std::path::Path;

    fn seed_digest() -> Digest {
        let text = "同志们：今天我们召开会议。\n一、总体情况\n过去一年，全年地区生产总值增长5.2%，民生持续改善。\n二、下一步工作\n下一步，我们要坚定信心，攻坚克难，奋力完成全年目标任务。\n";
        let doc = crate::ingest::ingest_bytes(
            text.as_bytes(),
            "seed.txt",
            &crate::ingest::Hint::default(),
        )
        .unwrap();
        let o = crate::outline::outline(&doc);
        let s =
            crate::summarize::summarize(&o, &crate::summarize::SummaryOptions { overview: None });
        assemble(&o, s, ProviderOutput::default())
    }

    #[test]
    fn a_digest_reads_back_as_it_was_written() {
        let d = seed_digest();
        assert_eq!(d.schema_version, SCHEMA_VERSION);
        let json = serde_json::to_vec(&d).unwrap();
        assert_eq!(from_json(Path::new("d.json"), &json).unwrap(), d);
    }

    #[test]
    fn versions_zero_and_current_are_read_newer_ones_refused() {
        let d = seed_digest();
        let mut v = serde_json::to_value(&d).unwrap();
        v.as_object_mut().unwrap().remove("schema_version");
        let old = from_json(Path::new("old.json"), v.to_string().as_bytes()).unwrap();
        assert_eq!(old.schema_version, 0);
        v["schema_version"] = (SCHEMA_VERSION + 1).into();
        let e = from_json(Path::new("new.json"), v.to_string().as_bytes()).unwrap_err();
        let newer = u64::from(SCHEMA_VERSION + 1);
        assert!(
            matches!(e, Error::DigestTooNew { found, known: SCHEMA_VERSION, .. } if found == newer),
            "{e}"
        );
        let msg = format!("`new.json` has digest schema version {newer}");
        assert!(e.to_string().contains(&msg), "{e}");
    }

    #[test]
    fn broken_json_and_other_json_are_invalid_digests() {
        for bad in [&b"{\"title\": "[..], b"[1, 2]", b"{\"title\": \"x\"}"] {
            let e = from_json(Path::new("bad.json"), bad).unwrap_err();
            assert!(matches!(e, Error::DigestInvalid { .. }), "{e}");
            let line = crate::error::chain(&e);
            assert!(line.starts_with("`bad.json` is not a valid digest.json: "), "{line}");
            assert!(!line.contains('\n'), "{line}");
        }
    }
}
