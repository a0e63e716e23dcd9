//! The reduce step: the overview, newsletter lines and discussion questions
//! from the section summaries, hierarchically when they are too big, then
//! guarded against the whole speech.

use std::sync::Arc;

use crate::error::{ApiError, SectionError};
use crate::llm::chat::Message;
use crate::llm::mapreduce::answer::{ModelReduce, reduce_example, reduce_schema};
use crate::llm::mapreduce::plan::{Plan, Tokens, clearly_within};
use crate::llm::mapreduce::{ApiRun, fences, joiner, strip_fences};
use crate::llm::prompts::PromptContext;
use crate::model::{DigestWarning, Lang, Outline, SectionSummary, Summaries};
use crate::summarize::guard;

/// The overview of a speech from its top-level section summaries, guarded;
/// `None` when there is nothing to reduce or (with `--fallback`) the call
/// failed.
///
/// # Errors
/// A failed call without `--fallback`, or a fatal one even with it.
pub(super) async fn overview(
    run: &Arc<ApiRun>,
    outline: &Outline,
    base: &Summaries,
    sections: &[SectionSummary],
    plan: &Plan,
    progress: &indicatif::ProgressBar,
    warnings: &mut Vec<DigestWarning>,
) -> Result<Option<ModelReduce>, SectionError> {
    let lang = outline.meta.lang;
    let items: Vec<String> = sections
        .iter()
        .filter(|s| s.level == 1 && !s.summary.is_empty())
        .map(|s| {
            let head =
                s.heading.clone().or(s.label.clone()).unwrap_or_else(|| s.section_id.clone());
            format!("[{head}] {}", s.summary)
        })
        .collect();
    Ok(if items.is_empty() {
        None
    } else {
        let ctx = PromptContext {
            title: outline.meta.title.clone().unwrap_or_default(),
            speaker: outline.meta.speaker.clone(),
            date: outline.meta.date.clone(),
            section_id: "overview".into(),
            part_no: 1,
            part_of: 1,
            length: match lang {
                Lang::Zh => 300,
                Lang::En => 150,
            },
            schema: serde_json::to_string(&reduce_schema()).unwrap_or_default(),
            example: reduce_example(lang).to_string(),
            fence_open: fences(lang).0.to_owned(),
            fence_close: fences(lang).1.to_owned(),
            ..PromptContext::default()
        };
        match reduce_all(run, lang, ctx, items, plan.budget.max(512), plan.tokens).await {
            Ok(mut r) => {
                progress.inc(1);
                let whole: String = base
                    .scores
                    .iter()
                    .map(|(s, _)| s.text.as_str())
                    .collect::<Vec<_>>()
                    .join(joiner(lang));
                r.overview = strip_fences(&r.overview, lang);
                let mut all = r.overview.clone();
                for l in r.newsletter.iter().chain(&r.questions) {
                    all.push('\n');
                    all.push_str(l);
                }
                let flags = guard::check(&all, &whole);
                for f in &flags {
                    warnings.push(DigestWarning {
                        kind: f.kind.as_str().to_owned(),
                        message: if run.strict {
                            format!(
                                "overview: an {} was dropped",
                                f.kind.as_str().replace('_', " ")
                            )
                        } else {
                            format!("overview: `{}` is not in the source", f.text)
                        },
                        section_id: Some("overview".into()),
                        text: Some(f.text.clone()),
                        announced: None,
                        found: None,
                    });
                }
                if run.strict {
                    r.overview = guard::drop_flagged(&r.overview, &flags);
                    r.newsletter.retain(|l| !guard::mentions(l, &flags));
                    r.questions.retain(|l| !guard::mentions(l, &flags));
                }
                Some(r)
            }
            Err(e) if run.fallback && !e.is_fatal() => {
                warnings.push(DigestWarning {
                    kind: "degraded".into(),
                    message: format!("overview: the API failed ({e}); written extractively"),
                    section_id: Some("overview".into()),
                    text: None,
                    announced: None,
                    found: None,
                });
                None
            }
            Err(e) => return Err(SectionError { section: "overview".into(), source: e }),
        }
    })
}

fn reduce_prompt(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "reduce.zh.tera" } else { "reduce.en.tera" }
}

/// The reduce step, hierarchical when the items are over the budget: each
/// level packs the items into groups of at least two and reduces each group
/// to one, so the item count at least halves and the loop ends. A context
/// error (the estimate was low for this server's tokenizer) halves the
/// budget and packs again: the reduce collapses instead of failing.
async fn reduce_all(
    run: &Arc<ApiRun>,
    lang: Lang,
    ctx: PromptContext,
    mut items: Vec<String>,
    mut budget: usize,
    tokens: Tokens,
) -> Result<ModelReduce, ApiError> {
    for _level in 0..12 {
        let joined = items.join("\n");
        if items.len() == 1 || tokens.fits(&joined, budget) {
            let text = if items.len() == 1 { cap_chars(&joined, budget, tokens) } else { joined };
            match reduce_one(run, lang, &ctx, text).await {
                Err(ApiError::ContextLength { .. }) if budget > 64 => {
                    budget /= 2;
                    tracing::info!("overview: over the context, collapsing within {budget} tokens");
                    continue;
                }
                r => return r,
            }
        }
        let groups = pack(std::mem::take(&mut items), budget, tokens);
        let mut next = Vec::new();
        let mut over = false;
        for g in &groups {
            let text = cap_chars(&g.join("\n"), budget, tokens);
            match reduce_one(run, lang, &ctx, text).await {
                Ok(r) => next.push(r.overview),
                Err(ApiError::ContextLength { .. }) if budget > 64 => {
                    over = true;
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        if over {
            // Pack the same items again, in smaller groups.
            budget /= 2;
            tracing::info!("overview: over the context, collapsing within {budget} tokens");
            items = groups.into_iter().flatten().collect();
            continue;
        }
        items = next;
    }
    let text = cap_chars(&items.join("\n"), budget, tokens);
    reduce_one(run, lang, &ctx, text).await
}

/// One reduce call over `text`.
async fn reduce_one(
    run: &Arc<ApiRun>,
    lang: Lang,
    ctx: &PromptContext,
    text: String,
) -> Result<ModelReduce, ApiError> {
    let plain =
        |s: &str| Some(ModelReduce { overview: s.trim().to_owned(), ..ModelReduce::default() });
    let c = PromptContext { text, ..ctx.clone() };
    let (sys, user) = run
        .prompts
        .render(reduce_prompt(lang), &c)
        .map_err(|e| ApiError::Invalid(crate::error::chain(&e)))?;
    run.call_json::<ModelReduce>(
        lang,
        vec![Message::new("system", sys), Message::new("user", user)],
        ("digest", &reduce_schema()),
        &reduce_example(lang),
        plain,
    )
    .await
    .map(ModelReduce::normalized)
}

/// A single item over the budget, cut (rare: a summary is short).
fn cap_chars(s: &str, budget: usize, tokens: Tokens) -> String {
    if clearly_within(tokens.estimate(s), budget) {
        return s.to_owned();
    }
    let mut out = String::new();
    for c in s.chars() {
        if tokens.count(&out) >= budget {
            break;
        }
        out.push(c);
    }
    out
}

/// The items in groups of at least two within `budget` each (a last
/// single item joins the group before it).
fn pack(items: Vec<String>, budget: usize, tokens: Tokens) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut used = 0;
    for it in items {
        let t = tokens.count(&it);
        if cur.len() >= 2 && used + t > budget {
            groups.push(std::mem::take(&mut cur));
            used = 0;
        }
        used += t;
        cur.push(it);
    }
    if !cur.is_empty() {
        if cur.len() == 1 && !groups.is_empty() {
            let last = groups.len() - 1;
            groups[last].extend(cur);
        } else {
            groups.push(cur);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_at_least_halves() {
        let items: Vec<String> = (0..7).map(|i| format!("[{i}] {}", "word ".repeat(40))).collect();
        let t = Tokens::default();
        let g = pack(items.clone(), 100, t);
        assert!(g.iter().all(|g| g.len() >= 2), "{g:?}");
        assert!(g.len() <= items.len() / 2);
        assert_eq!(g.iter().map(Vec::len).sum::<usize>(), 7);
        assert!(t.count(&cap_chars(&"全面从严治党".repeat(100), 50, t)) <= 52);
    }
}
