//! The `Digest`: everything known about one speech, assembled from the
//! outline, the summaries and the facts. It is the whole Tera context of
//! every template and is written out as `digest.json`; its fields are the
//! contract with users' templates and are documented in the README.
//!
//! `lift.rs` decides what may be lifted out of the speech and keeps it
//! lifted once; `parts.rs` shapes the parts for the handout and briefing;
//! `news.rs` assembles the newsletter and the briefing.

mod lift;
mod news;
mod parts;

use crate::model::Lang;
use crate::model::{
    Background, Digest, DigestWarning, Labels, OutlineEntry, ProviderInfo, ProviderOutput,
    SCHEMA_VERSION, Stats,
};
use crate::model::{KeyFact, KeyFactKind, QaItem};
use crate::model::{KeyPoint, SentenceRef, Summaries};
use crate::model::{Outline, SectionKind, Warning};
use crate::summarize::facts;

/// Assembles the digest. Pure.
pub(crate) fn assemble(outline: &Outline, summaries: Summaries, from: ProviderOutput) -> Digest {
    let lang = outline.meta.lang;
    let all: Vec<SentenceRef> = summaries.scores.iter().map(|(s, _)| s.clone()).collect();
    // Targets first (in speech order), then the others in speech order.
    let mut figures = facts::figures(&all, lang);
    figures.sort_by_key(|f| !f.target);
    // An English quotation that starts in lower case was cut from a sentence
    // (`from time to time give to the Congress…`): it is no 金句.
    let quotes: Vec<_> = facts::quotes(&all, &summaries.scores, lang, 5)
        .into_iter()
        .filter(|q| lang == Lang::Zh || !q.text.starts_with(char::is_lowercase))
        .collect();
    let terms = facts::terms(outline, &all, lang, 15);
    let genre = genre_noun(outline);
    let questions: Vec<String> = facts::questions(&summaries.sections, lang, 5)
        .into_iter()
        .map(|q| in_genre(q, genre))
        .collect();
    let quiz = facts::quiz(&terms, &figures, 5);
    // A printed handout has room for terms the speech defines or uses in a
    // short sentence, and for short answers that are short.
    // A term shown by a sentence that is cut (`…体制机制不健全；`) is no entry.
    let terms: Vec<_> = terms
        .into_iter()
        .filter(|t| {
            t.definition.is_some()
                || lift::measure(lang, &t.source.text) <= if lang == Lang::Zh { 90 } else { 45 }
                    && t.source
                        .text
                        .trim_end()
                        .ends_with(['。', '！', '？', '.', '!', '?', '”', '"'])
        })
        .collect();
    let terms = merge_terms(terms, lang);
    let mut qa: Vec<_> = facts::qa(outline, lang, 8)
        .into_iter()
        .filter(|q| lift::measure(lang, &q.answer) <= if lang == Lang::Zh { 160 } else { 45 })
        .map(|mut q| {
            q.question = in_genre(q.question, genre);
            q
        })
        .collect();
    let quiz: Vec<_> = quiz
        .into_iter()
        .filter(|q| lift::measure(lang, &q.question) <= if lang == Lang::Zh { 100 } else { 40 })
        .collect();
    // A fact cut from its sentence is shown without the mark that ends the
    // cut, and ends in an ellipsis: a reader sees it goes on in the speech.
    let key_facts: Vec<KeyFact> = crate::summarize::keyfacts::key_facts(outline)
        .into_iter()
        .map(|mut f| {
            let marks = ['；', ';', '，', ',', '、', '：', ':'];
            f.text = f.text.trim_end_matches(marks).to_owned();
            let whole = f.source.text.trim().trim_end_matches(marks);
            let ends = ['。', '！', '？', '.', '!', '?', '”', '"'];
            if f.text.trim_end() != whole && !f.text.trim_end().ends_with(ends) {
                f.text.push_str(if lang == Lang::Zh { "……" } else { "…" });
            }
            f
        })
        .collect();
    if let Some(q) = purpose_question(lang, &key_facts)
        && qa.len() < 8
        && !qa.iter().any(|x| x.answer == q.answer)
    {
        qa.insert(0, q);
    }
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
                heading: s.heading.as_deref().map(crate::text::case::display_case),
                points,
            }
        })
        .collect();
    let key_points: Vec<KeyPoint> =
        outline_entries.iter().flat_map(|e| e.points.iter().cloned()).collect();
    let title = crate::text::case::display_case(&outline.meta.title.clone().unwrap_or_else(|| {
        std::path::Path::new(&outline.meta.source)
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty() && *s != "-")
            .unwrap_or("speech")
            .to_owned()
    }));
    let ranked = lift::in_context(lift::ranked(&summaries.scores), &all, lang);
    // What the handout lifts, once: background, then key passages, then the parts' excerpts.
    let mut used = lift::Used::default();
    for q in &quotes {
        used.take(&q.source);
    }
    let background = background(outline, &key_facts, &ranked, &mut used);
    // The self-test's answers are not also shown as a part's request.
    let answers: Vec<&str> = qa.iter().map(|q| q.answer.as_str()).collect();
    let mut parts = parts::parts(outline, &summaries.sections, &ranked, &mut used, &answers);
    let newsletter = news::newsletter(
        &outline.meta,
        &title,
        &key_facts,
        &summaries.overview,
        &ranked,
        &parts,
        &quotes,
        &figures,
        all.iter().map(|s| lift::measure(lang, &s.text)).sum(),
    );
    let briefing = news::briefing(
        &outline.meta,
        &summaries.overview,
        &ranked,
        &mut parts,
        &key_facts,
        &figures,
        &background,
    );
    let joiner = if lang == Lang::Zh { "" } else { " " };
    // The title is the source's too: a headline that falls back to it is faithful.
    let source_text = std::iter::once(title.as_str())
        .chain(all.iter().map(|s| s.text.as_str()))
        .collect::<Vec<_>>()
        .join(joiner);
    let offline_flags = offline_guard(&newsletter, &key_facts, &source_text);
    let overview =
        summaries.overview.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(joiner);
    let sentences = all.len();
    let length = all.iter().map(|s| lift::measure(lang, &s.text)).sum::<usize>();
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
        parts,
        briefing,
        quotes,
        terms,
        figures,
        key_facts,
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
            degraded: None,
        },
        api: None,
        stats,
        generator: concat!("speechdigest ", env!("CARGO_PKG_VERSION")).to_owned(),
        audio: Vec::new(),
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
    digest.warnings.extend(offline_flags);
    digest.warnings.extend(from.warnings);
    if let Some(p) = from.provider {
        digest.provider = p;
    }
    digest.api = from.api;
    digest
}

/// Terms the speech uses in one sentence only are one entry
/// (`港人治港、澳人治澳`), not two that print the same sentence; a sentence
/// shown for a term loses its `——` series mark.
fn merge_terms(terms: Vec<crate::model::Term>, lang: Lang) -> Vec<crate::model::Term> {
    let mut out: Vec<crate::model::Term> = Vec::new();
    for mut t in terms {
        t.source.text = t.source.text.trim_start_matches(['—', ' ', '　']).to_owned();
        let same = out.iter_mut().find(|o| {
            o.definition.is_none() && t.definition.is_none() && o.source.span == t.source.span
        });
        match same {
            Some(o) => {
                o.term.push_str(if lang == Lang::Zh { "、" } else { ", " });
                o.term.push_str(&t.term);
            }
            None => out.push(t),
        }
    }
    out
}

/// The faithfulness guard over the newsletter's offline text: its headline
/// clause, dek, takeaways and headline facts are the speech's own words, so
/// a flag here is a bug; it is reported like the API's, never hidden. The
/// lede's dateline frame is metadata and is not checked.
fn offline_guard(
    n: &crate::model::Newsletter,
    key_facts: &[KeyFact],
    source: &str,
) -> Vec<DigestWarning> {
    let mut texts: Vec<&str> = vec![n.headline.as_str(), n.dek.as_str()];
    texts.extend(n.takeaways.iter().map(String::as_str));
    texts.extend(key_facts.iter().map(|f| f.text.as_str()));
    let mut out: Vec<DigestWarning> = Vec::new();
    for t in texts {
        for f in crate::summarize::guard::check(t, source) {
            if out.iter().any(|w| w.text.as_deref() == Some(f.text.as_str())) {
                continue;
            }
            out.push(DigestWarning {
                kind: f.kind.as_str().to_owned(),
                message: format!("newsletter: `{}` is not in the source", f.text),
                section_id: None,
                text: Some(f.text),
                announced: None,
                found: None,
            });
        }
    }
    out
}

/// 背景和意义: the speech's stated purpose (a key fact), the sentences that
/// say when and why it is given, then the opening's best sentences that
/// stand alone; within 220 字 / 110 words.
fn background(
    outline: &Outline,
    key_facts: &[KeyFact],
    ranked: &[&SentenceRef],
    used: &mut lift::Used,
) -> Background {
    let lang = outline.meta.lang;
    let cap = if lang == Lang::Zh { 220 } else { 110 };
    let mut chosen: Vec<SentenceRef> = Vec::new();
    let mut spent = 0;
    for f in key_facts.iter().filter(|f| f.kind == KeyFactKind::Purpose) {
        if used.take(&f.source) {
            spent += lift::measure(lang, &f.source.text);
            chosen.push(f.source.clone());
        }
    }
    // The headline facts are printed beside the background: never inside it too.
    for f in key_facts.iter().filter(|f| f.kind != KeyFactKind::Purpose) {
        used.take(&f.source);
    }
    // When and why the speech is given (`今年是“十五五”开局之年`), at most two.
    for s in crate::summarize::keyfacts::context(outline) {
        let m = lift::measure(lang, &s.text);
        if chosen.len() >= 2 || spent + m > cap {
            break;
        }
        if !used.has(&s) && lift::stands_alone(&s.text, lang) {
            used.take(&s);
            spent += m;
            chosen.push(s);
        }
    }
    let purposes = chosen.len();
    let opening: Vec<&str> = outline
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Opening)
        .map(|s| s.id.as_str())
        .collect();
    let in_opening = |s: &SentenceRef| opening.iter().any(|id| lift::within(s, id));
    // An English address with no opening of its own begins with the
    // situation it answers: its first sentences, read in order.
    // A headline fact among them is read there, after the sentence it leans
    // on (`Yet the state of our Union has never been stronger.`); the
    // templates do not print a fact twice.
    if lang == Lang::En && chosen.is_empty() {
        let is_fact = |s: &SentenceRef| key_facts.iter().any(|f| f.source.span == s.span);
        for s in first_sentences(outline, cap) {
            if used.take(&s) || is_fact(&s) {
                spent += lift::measure(lang, &s.text);
                chosen.push(s);
            }
        }
    }
    // The opening's sentences first; when it has none to give (no opening,
    // or only a salutation), the speech's best overall.
    let from_opening: Vec<&&SentenceRef> = ranked.iter().filter(|s| in_opening(s)).collect();
    let best: Vec<&&SentenceRef> = ranked.iter().take(40).collect();
    for (i, pool) in [from_opening, best].into_iter().enumerate() {
        // The speech's best overall only when nothing says when or why it is
        // given: a policy sentence picked for its score is no background.
        if chosen.len() > purposes || i == 1 && !chosen.is_empty() {
            break;
        }
        for s in pool {
            if chosen.len() >= 3 {
                break;
            }
            let m = lift::measure(lang, &s.text);
            let min = if lang == Lang::Zh { 14 } else { 8 };
            if m >= min
                && spent + m <= cap
                && !used.has(s)
                && lift::has_clause(lang, &s.text)
                && lift::stands_alone(&s.text, lang)
            {
                used.take(s);
                spent += m;
                chosen.push((*s).clone());
            }
        }
    }
    chosen.sort_by_key(|s| s.span.start);
    let joiner = if lang == Lang::Zh { "" } else { " " };
    Background {
        text: chosen.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(joiner),
        sentences: chosen,
    }
}

/// The self-test's first question, when a Chinese speech states what the
/// meeting is for (`这次会议的主要任务是…`): answered by the speech's own
/// words after `主要任务是`, verbatim.
fn purpose_question(lang: Lang, facts: &[KeyFact]) -> Option<QaItem> {
    if lang != Lang::Zh {
        return None;
    }
    let f = facts.iter().find(|f| f.kind == KeyFactKind::Purpose)?;
    let text = f.source.text.trim();
    let (i, key) = ["主要任务是", "主要任务就是", "目的是", "目的就是"]
        .iter()
        .find_map(|k| text.find(k).map(|i| (i, *k)))?;
    let answer =
        text[i + key.len()..].trim_start_matches(['：', ':']).trim_end_matches(['。', '；']);
    if lift::measure(lang, answer) < 8 || lift::measure(lang, answer) > 160 {
        return None;
    }
    let what = if key.starts_with("目的") { "目的" } else { "主要任务" };
    let whose = if text[..i].contains("会议") || text[..i].contains("会上") {
        "这次会议的"
    } else {
        "讲话提出的"
    };
    Some(QaItem {
        question: format!("{whose}{what}是什么？"),
        answer: answer.to_owned(),
        section_id: f.source.section_id.clone(),
    })
}

/// What a Chinese speech calls itself in questions: `报告` for a report (a
/// 政府工作报告, a congress report), else `讲话`. English questions say `the speaker`.
fn genre_noun(outline: &Outline) -> &'static str {
    let title = outline.meta.title.as_deref().unwrap_or_default();
    if outline.meta.lang == Lang::Zh && news::is_report(&outline.meta, title) {
        "报告"
    } else {
        "讲话"
    }
}

/// `q` with `讲话` said as the speech's own genre noun.
fn in_genre(q: String, genre: &str) -> String {
    if genre == "讲话" { q } else { q.replace("讲话", genre) }
}

/// The first sentences of an English address, in order, up to three and
/// `cap` words: the salutation, thanks and speaker labels before them
/// skipped (a salutation the splitter joined to the first sentence, `Mr.
/// Speaker, …, and fellow Americans: In the normal course of events…`, is
/// cut at its colon), the first one standing alone, the next ones read with
/// the one before (`Yet the state of our Union has never been stronger.`
/// follows its antecedent). Nothing when the address opens with no such
/// run (the caller falls back to the speech's best sentences).
fn first_sentences(outline: &Outline, cap: usize) -> Vec<SentenceRef> {
    use crate::summarize::standalone::{Reason, why_not};
    let lang = outline.meta.lang;
    let mut out: Vec<SentenceRef> = Vec::new();
    let mut spent = 0;
    let sentences = outline
        .walk()
        .into_iter()
        .flat_map(|sec| sec.paragraphs.iter().flat_map(|p| &p.sentences).map(|s| (&sec.id, s)))
        .take(12);
    for (id, s) in sentences {
        let (text, start) = match s.text.find(": ") {
            Some(i) if lift::opens_with_address(&s.text) || s.text[..i].contains(", and ") => {
                let rest = s.text[i + 2..].trim_start();
                (rest, s.span.end - rest.len())
            }
            _ => (s.text.as_str(), s.span.start),
        };
        let m = lift::measure(lang, text);
        let reason = why_not(text, lang);
        if out.is_empty() {
            if reason.is_some() || !lift::stands_alone(text, lang) || m < 6 {
                continue;
            }
        } else if !matches!(reason, None | Some(Reason::Dangling))
            || text.ends_with([';', ',', ':'])
        {
            break;
        }
        if out.len() >= 3 || spent + m > cap {
            break;
        }
        spent += m;
        out.push(SentenceRef {
            section_id: id.clone(),
            text: text.to_owned(),
            span: crate::model::Span { start, end: s.span.end },
        });
    }
    // A run of one short line is no background.
    if spent < 15 { Vec::new() } else { out }
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

    fn en_outline(text: &str) -> Outline {
        let doc = crate::ingest::ingest_bytes(
            text.as_bytes(),
            "address.txt",
            &crate::ingest::Hint::default(),
        )
        .unwrap();
        crate::outline::outline(&doc)
    }

    #[test]
    fn a_stated_purpose_is_the_first_short_answer() {
        let fact = |t: &str| KeyFact {
            kind: KeyFactKind::Purpose,
            text: t.into(),
            source: SentenceRef {
                section_id: "0".into(),
                text: t.into(),
                span: crate::model::Span { start: 0, end: t.len() },
            },
        };
        let q = purpose_question(
            Lang::Zh,
            &[fact(
                "今天,市委召开这次推进会议,主要任务是回顾总结前一阶段工作,部署下一步重点任务。",
            )],
        )
        .unwrap();
        assert_eq!(q.question, "这次会议的主要任务是什么？");
        assert_eq!(q.answer, "回顾总结前一阶段工作,部署下一步重点任务");
        assert!(purpose_question(Lang::Zh, &[fact("主要任务是学习。")]).is_none());
        assert!(purpose_question(Lang::En, &[fact("I am here to ask your help.")]).is_none());
        assert_eq!(in_genre("讲话提出了哪些任务？".into(), "报告"), "报告提出了哪些任务？");
    }

    #[test]
    fn an_english_address_opens_with_its_situation() {
        let o = en_outline(
            "Mr. Speaker, Vice President Cheney, members of Congress, and fellow citizens: As we gather tonight, our nation is at war, our economy is in recession, and the civilized world faces unprecedented dangers. Yet the state of our Union has never been stronger.\nWe last met in an hour of shock and suffering. In four short months, our nation has comforted the victims.\nOur budget is the largest in two decades and it funds the troops.\n",
        );
        let got: Vec<String> = first_sentences(&o, 110).into_iter().map(|s| s.text).collect();
        assert_eq!(
            got,
            [
                "As we gather tonight, our nation is at war, our economy is in recession, and the civilized world faces unprecedented dangers.",
                "Yet the state of our Union has never been stronger.",
                "We last met in an hour of shock and suffering.",
            ]
        );
        // The span is the sentence's own, without the salutation.
        let s = &first_sentences(&o, 110)[0];
        assert!(s.span.end - s.span.start == s.text.len());
        // A word cap stops the run; an address that opens with a lone
        // short line gives nothing.
        assert_eq!(first_sentences(&o, 30).len(), 1);
        assert!(first_sentences(&en_outline("Thank you.\nGood night.\n"), 110).is_empty());
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
