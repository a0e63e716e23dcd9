//! Offline extractive summarisation: sentence scoring, redundancy-aware
//! selection and keyphrases for long Chinese and English speeches.
//!
//! This module owns everything between "the outline stage has cut the text
//! into sentences with structure" and "these sentence indices are the
//! summary": tokenisation for similarity (jieba words / stemmed English
//! words minus stop words), a sentence graph with TF-IDF cosine edges ranked
//! by weighted PageRank, a global degree (centroid) term, structure and
//! position priors, MMR selection under a sentence/char/word budget, and
//! keyphrase extraction.
//!
//! It is hand-written because no crate does this job: jieba-rs's TextRank
//! ranks *keywords* in a word co-occurrence graph, not sentences, and no
//! Rust crate ranks sentences in a similarity graph combined with the
//! structure priors (section headings, enumerated point leads, paragraph
//! leads) that speeches and work reports need. Everything here is pure,
//! deterministic and synchronous: no I/O, no randomness, no hash-order
//! dependence in the results.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use jieba_rs::{Jieba, KeywordExtract, TextRank};
use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use crate::model::Lang;

/// One candidate sentence with the structure the outline stage found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit<'a> {
    pub text: &'a str,
    /// Index of the top-level section.
    pub section: usize,
    /// Global paragraph index.
    pub paragraph: usize,
    pub index_in_paragraph: usize,
    /// A section heading line.
    pub is_heading: bool,
    /// The lead clause of an enumerated point (一是…, First, …).
    pub is_point_lead: bool,
    /// The sentence can be read without the one before it
    /// (`summarize::standalone`). Others are scored like any body sentence,
    /// so the scores of their neighbours do not move, but never selected
    /// while a sentence that stands alone is left.
    pub stands_alone: bool,
}

impl<'a> Unit<'a> {
    #[cfg(test)]
    /// A plain body sentence.
    pub(crate) fn new(text: &'a str, paragraph: usize, index_in_paragraph: usize) -> Self {
        Unit {
            text,
            section: 0,
            paragraph,
            index_in_paragraph,
            is_heading: false,
            is_point_lead: false,
            stands_alone: true,
        }
    }
}

/// Summary length limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Budget {
    /// At most this many sentences.
    Sentences(usize),
    /// At most this many characters (Unicode scalar values, whitespace
    /// excluded); meant for Chinese.
    Chars(usize),
    /// At most this many words (Unicode word segments); meant for English.
    Words(usize),
}

// ---------------------------------------------------------------------------
// Tunable weights (general, never per document). See REPORT.md for how they
// were chosen.
// ---------------------------------------------------------------------------

/// Scoring and selection weights. `Weights::default()` holds the values
/// tuned on the evaluation sets (see REPORT.md); they are general, never
/// per document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Weights {
    /// Neighbourhood (in sentences, either side) within which graph edges
    /// are built. Covers every pair in news-length documents and keeps the
    /// graph linear in long speeches; global centrality comes from the
    /// centroid term.
    pub edge_window: usize,
    /// Minimum cosine similarity for a graph edge.
    pub edge_min_sim: f64,
    /// Share of windowed PageRank (vs. global centroid similarity) in the
    /// centrality term.
    pub pagerank_share: f64,
    /// Weight of the graph centrality term.
    pub centrality: f64,
    /// Lead prior: `lead * exp(-ordinal / lead_decay)` over body sentences.
    pub lead: f64,
    pub lead_decay: f64,
    /// Documents with more body sentences than this get a proportionally
    /// weaker lead prior (`lead * lead_full_len / n`): a news lead is the
    /// gist, the opening of a 700-sentence speech is mostly ceremony.
    pub lead_full_len: f64,
    /// Bonus for the first sentence of a paragraph (topic sentence).
    pub para_lead: f64,
    /// Bonus for the lead clause of an enumerated point.
    pub point_lead: f64,
    /// Sentences with fewer content tokens than this are scaled down
    /// linearly.
    pub min_content_tokens: f64,
    /// Sentences with more content tokens than this are scaled down by
    /// `(max / len)^long_penalty`.
    pub max_content_tokens: f64,
    pub long_penalty: f64,
    /// Headings keep only this share of their score.
    pub heading_factor: f64,
    /// Sentences that open with a connective or anaphor (但是 / 该 / But /
    /// This / He …) depend on context; they keep this share of their score.
    pub dangling_factor: f64,
    /// MMR trade-off between relevance and novelty.
    pub mmr_lambda: f64,
    /// A candidate at least this similar to a selected sentence is a
    /// duplicate and is skipped.
    pub duplicate_sim: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            edge_window: 48,
            edge_min_sim: 0.03,
            pagerank_share: 0.5,
            centrality: 1.0,
            lead: 1.2,
            lead_decay: 8.0,
            lead_full_len: 60.0,
            para_lead: 0.1,
            point_lead: 0.1,
            min_content_tokens: 6.0,
            max_content_tokens: 12.0,
            long_penalty: 0.5,
            heading_factor: 0.05,
            dangling_factor: 0.8,
            mmr_lambda: 0.5,
            duplicate_sim: 0.8,
        }
    }
}

/// PageRank damping factor and iteration limits.
const DAMPING: f64 = 0.85;
const PR_MAX_ITERS: usize = 60;
const PR_TOLERANCE: f64 = 1e-9;

// ---------------------------------------------------------------------------
// Tokeniser state and stop words (data/stopwords.*.txt)
// ---------------------------------------------------------------------------

/// A small deterministic FNV-1a hasher: fast for short keys, no random seed.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// The one segmenter of the process, shared by every user (facts::terms
/// too). Its dictionary is prebuilt at compile time by the vendored
/// jieba-rs (`vendor/jieba-rs`, issue 16) and read in place from the
/// binary: building it at run time cost 0.23 s CPU and +31 MB on every
/// command that segmented Chinese (perf: trie insertion 28 %, decompressing
/// and pushing records ~9 %); now `summary` on one Chinese line costs about
/// what it costs on English. Still lazy, so English-only runs never touch
/// its pages. `tests/cli/segmenter.rs` checks that it cuts every corpus
/// speech exactly as the run-time-built dictionary.
pub(crate) static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);
static EN_STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
static ZH_STOPS: LazyLock<FastMap<&'static str, ()>> =
    LazyLock::new(|| word_list(include_str!("../data/stopwords.zh.txt")));
static EN_STOPS: LazyLock<FastMap<&'static str, ()>> =
    LazyLock::new(|| word_list(include_str!("../data/stopwords.en.txt")));

/// The words of a list file: one a line, `#` starts a comment line.
fn word_list(text: &'static str) -> FastMap<&'static str, ()> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|w| (w, ()))
        .collect()
}

/// Whether `word` is a stop word of `lang` (English: compare lower case).
// Unused since facts::terms dropped keyphrases (issue 9): kept for the integrator to decide.
#[allow(dead_code)]
fn is_stop_word(word: &str, lang: Lang) -> bool {
    match lang {
        Lang::Zh => ZH_STOPS.contains_key(word),
        Lang::En => EN_STOPS.contains_key(word),
    }
}

// ---------------------------------------------------------------------------
// Tokenisation
// ---------------------------------------------------------------------------

fn has_alnum(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Calls `emit` with each content token of `text`: Chinese: jieba words
/// minus stop words and punctuation (no allocation); English: lower-cased,
/// stemmed (Porter 2 / English), stop words removed.
fn for_each_token(text: &str, lang: Lang, mut emit: impl FnMut(&str)) {
    match lang {
        Lang::Zh => {
            for tok in JIEBA.cut(text, true) {
                let w = tok.word.trim();
                if w.is_empty() || !has_alnum(w) || ZH_STOPS.contains_key(w) {
                    continue;
                }
                if w.is_ascii() {
                    // Latin words inside Chinese text: normalise case.
                    let lower = w.to_ascii_lowercase();
                    if !EN_STOPS.contains_key(lower.as_str()) {
                        emit(&lower);
                    }
                } else {
                    emit(w);
                }
            }
        }
        Lang::En => {
            for word in text.unicode_words() {
                let lower: Cow<str> = if word.chars().any(char::is_uppercase) {
                    Cow::Owned(word.to_lowercase())
                } else {
                    Cow::Borrowed(word)
                };
                let lower = lower.replace('\u{2019}', "'");
                if !has_alnum(&lower) || EN_STOPS.contains_key(lower.as_str()) {
                    continue;
                }
                let stem = EN_STEMMER.stem(&lower);
                emit(&stem);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Sparse TF-IDF vectors
// ---------------------------------------------------------------------------

/// A unit-length sparse vector: term ids sorted ascending.
#[derive(Debug, Clone, Default)]
struct SparseVec {
    ids: Vec<u32>,
    weights: Vec<f64>,
}

impl SparseVec {
    fn dot(&self, other: &SparseVec) -> f64 {
        let (mut i, mut j, mut acc) = (0, 0, 0.0);
        while i < self.ids.len() && j < other.ids.len() {
            match self.ids[i].cmp(&other.ids[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    acc += self.weights[i] * other.weights[j];
                    i += 1;
                    j += 1;
                }
            }
        }
        acc
    }

    fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Per-unit analysis shared by scoring and selection.
struct Analysis {
    vecs: Vec<SparseVec>,
    /// Number of content tokens per unit.
    lens: Vec<usize>,
}

/// Units tokenised once, for scoring the whole speech and then selecting
/// within sections without tokenising again (tokenising is most of the cost).
pub(crate) struct Analysed(Analysis);

/// Tokenises `units` once.
pub(crate) fn analyse_units(units: &[Unit], lang: Lang) -> Analysed {
    Analysed(analyse(units, lang))
}

/// Scores each unit: sentence-graph centrality (TF-IDF cosine edges within a
/// window, weighted PageRank, plus global centroid similarity) combined with
/// lead, paragraph-lead and point-lead priors and a short-sentence
/// penalty. Headings get a small fraction of their score. Always finite and
/// non-negative; same length as `units`.
pub(crate) fn score_analysed_units(units: &[Unit], lang: Lang, a: &Analysed) -> Vec<f64> {
    score_analysed(units, lang, &a.0, &Weights::default())
}

/// Picks a summary among the units at `subset` (indices into `units`, in
/// order), reusing their analysis; returns indices into `subset`, in order.
/// Greedy MMR (relevance = normalised `scores`, novelty = max cosine to the
/// sentences already picked; near-duplicates are skipped) within `budget`.
/// Headings are only picked when nothing else exists; a sentence that does
/// not stand alone only right after the sentence before it (its antecedent)
/// or when no body sentence stands alone. At least one sentence
/// is returned when any non-empty unit exists, even for a zero budget or
/// when no single sentence fits (then the best one); otherwise the budget is
/// never exceeded. `scores` shorter than `units` or non-finite count as 0.
pub(crate) fn select_in(
    units: &[Unit],
    scores: &[f64],
    budget: Budget,
    a: &Analysed,
    subset: &[usize],
) -> Vec<usize> {
    let sub_units: Vec<Unit> = subset.iter().map(|&i| units[i]).collect();
    let sub_scores: Vec<f64> =
        subset.iter().map(|&i| scores.get(i).copied().unwrap_or(0.0)).collect();
    let sub = Analysis {
        vecs: subset.iter().map(|&i| a.0.vecs[i].clone()).collect(),
        lens: subset.iter().map(|&i| a.0.lens[i]).collect(),
    };
    select_analysed(&sub_units, &sub_scores, budget, &sub, &Weights::default())
}

fn analyse(units: &[Unit], lang: Lang) -> Analysis {
    let mut vocab: FastMap<String, u32> = FastMap::default();
    let mut counts: Vec<Vec<(u32, u32)>> = Vec::with_capacity(units.len());
    let mut lens = Vec::with_capacity(units.len());
    let mut ids: Vec<u32> = Vec::new();
    for u in units {
        ids.clear();
        for_each_token(u.text, lang, |t| {
            let id = match vocab.get(t) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(vocab.len()).unwrap_or(u32::MAX);
                    vocab.insert(t.to_string(), id);
                    id
                }
            };
            ids.push(id);
        });
        lens.push(ids.len());
        ids.sort_unstable();
        let mut tf: Vec<(u32, u32)> = Vec::new();
        for &id in &ids {
            match tf.last_mut() {
                Some((last, c)) if *last == id => *c += 1,
                _ => tf.push((id, 1)),
            }
        }
        counts.push(tf);
    }
    let mut df = vec![0u32; vocab.len()];
    for tf in &counts {
        for &(id, _) in tf {
            if let Some(d) = df.get_mut(id as usize) {
                *d += 1;
            }
        }
    }
    let n = units.len().max(1) as f64;
    let vecs = counts
        .into_iter()
        .map(|tf| {
            let mut v = SparseVec {
                ids: Vec::with_capacity(tf.len()),
                weights: Vec::with_capacity(tf.len()),
            };
            for (id, c) in tf {
                let d = f64::from(df.get(id as usize).copied().unwrap_or(1).max(1));
                let w = (1.0 + f64::from(c).ln()) * (1.0 + n / d).ln();
                v.ids.push(id);
                v.weights.push(w);
            }
            let norm = v.weights.iter().map(|w| w * w).sum::<f64>().sqrt();
            if norm > 0.0 && norm.is_finite() {
                for w in &mut v.weights {
                    *w /= norm;
                }
            } else {
                v.ids.clear();
                v.weights.clear();
            }
            v
        })
        .collect();
    Analysis { vecs, lens }
}

// ---------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------

/// Weighted PageRank over a graph given as symmetric adjacency lists.
fn pagerank(adj: &[Vec<(usize, f64)>]) -> Vec<f64> {
    let n = adj.len();
    if n == 0 {
        return Vec::new();
    }
    let nf = n as f64;
    let out_w: Vec<f64> = adj.iter().map(|e| e.iter().map(|&(_, w)| w).sum()).collect();
    let mut r = vec![1.0 / nf; n];
    let mut next = vec![0.0; n];
    for _ in 0..PR_MAX_ITERS {
        let dangling: f64 = (0..n).filter(|&i| out_w[i] <= 0.0).map(|i| r[i]).sum();
        let base = (1.0 - DAMPING) / nf + DAMPING * dangling / nf;
        next.iter_mut().for_each(|x| *x = base);
        for (i, edges) in adj.iter().enumerate() {
            if out_w[i] <= 0.0 {
                continue;
            }
            let share = DAMPING * r[i] / out_w[i];
            for &(j, w) in edges {
                next[j] += share * w;
            }
        }
        let delta: f64 = r.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut r, &mut next);
        if delta < PR_TOLERANCE {
            break;
        }
    }
    r
}

fn normalise_max(v: &mut [f64]) {
    let max = v.iter().copied().filter(|x| x.is_finite()).fold(0.0, f64::max);
    for x in v.iter_mut() {
        *x = if max > 0.0 && x.is_finite() { *x / max } else { 0.0 };
    }
}

fn score_analysed(units: &[Unit], lang: Lang, a: &Analysis, w: &Weights) -> Vec<f64> {
    let n = units.len();
    if n == 0 {
        return Vec::new();
    }
    // Windowed similarity graph (headings are not nodes with edges).
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for i in 0..n {
        if units[i].is_heading || a.vecs[i].is_empty() {
            continue;
        }
        let end = (i + w.edge_window + 1).min(n);
        for j in (i + 1)..end {
            if units[j].is_heading || a.vecs[j].is_empty() {
                continue;
            }
            let s = a.vecs[i].dot(&a.vecs[j]);
            if s >= w.edge_min_sim && s.is_finite() {
                adj[i].push((j, s));
                adj[j].push((i, s));
            }
        }
    }
    let mut pr = pagerank(&adj);
    normalise_max(&mut pr);

    // Global degree centrality via the centroid: sum_j cos(i, j), j != i.
    let mut centroid: FastMap<u32, f64> = FastMap::default();
    for (u, v) in units.iter().zip(&a.vecs) {
        if u.is_heading {
            continue;
        }
        for (&id, &w) in v.ids.iter().zip(&v.weights) {
            *centroid.entry(id).or_insert(0.0) += w;
        }
    }
    let mut deg: Vec<f64> = a
        .vecs
        .iter()
        .map(|v| {
            let s: f64 = v
                .ids
                .iter()
                .zip(&v.weights)
                .map(|(id, w)| w * centroid.get(id).copied().unwrap_or(0.0))
                .sum();
            // Remove the self-similarity (1 for a non-empty unit vector).
            let self_sim = if v.is_empty() { 0.0 } else { 1.0 };
            (s - self_sim).max(0.0)
        })
        .collect();
    normalise_max(&mut deg);

    let body = units.iter().filter(|u| !u.is_heading).count() as f64;
    let lead_w = if body > w.lead_full_len && w.lead_full_len > 0.0 {
        w.lead * w.lead_full_len / body
    } else {
        w.lead
    };
    let mut ordinal = 0usize;
    let mut out = Vec::with_capacity(n);
    for (i, u) in units.iter().enumerate() {
        let centrality = w.pagerank_share * pr[i] + (1.0 - w.pagerank_share) * deg[i];
        let mut s = w.centrality * centrality;
        if !u.is_heading {
            s += lead_w * (-(ordinal as f64) / w.lead_decay.max(1e-9)).exp();
            ordinal += 1;
        }
        if u.index_in_paragraph == 0 {
            s += w.para_lead;
        }
        if u.is_point_lead {
            s += w.point_lead;
        }
        let len = a.lens[i] as f64;
        s *= (len / w.min_content_tokens.max(1e-9)).min(1.0);
        if len > w.max_content_tokens && w.max_content_tokens > 0.0 {
            s *= (w.max_content_tokens / len).powf(w.long_penalty);
        }
        if u.is_heading {
            s *= w.heading_factor;
        } else if !u.is_point_lead && opens_dangling(u.text, lang) {
            s *= w.dangling_factor;
        }
        out.push(if s.is_finite() { s.max(0.0) } else { 0.0 });
    }
    out
}

/// Connectives and anaphors that make a sentence lean on the one before.
#[rustfmt::skip]
const ZH_DANGLING_OPENERS: &[&str] = &[
    "但", "而", "且", "并", "因此", "所以", "因而", "于是", "该", "这", "此", "其", "它", "他", "她", "另外", "此外",
    "然而", "不过", "同时", "也", "还", "从而", "进而",
];
#[rustfmt::skip]
const EN_DANGLING_OPENERS: &[&str] = &[
    "but", "however", "this", "that", "these", "those", "it", "he", "she", "they", "his", "her",
    "their", "its", "and", "so", "also", "yet", "moreover", "furthermore", "then", "such",
    "thus", "therefore", "meanwhile", "instead", "or", "nor",
];

fn opens_dangling(text: &str, lang: Lang) -> bool {
    let t = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    match lang {
        Lang::Zh => ZH_DANGLING_OPENERS.iter().any(|p| t.starts_with(p)),
        Lang::En => {
            let first = t.unicode_words().next().unwrap_or("").to_lowercase();
            EN_DANGLING_OPENERS.contains(&first.as_str())
        }
    }
}

// ---------------------------------------------------------------------------
// Selection
// ---------------------------------------------------------------------------

fn char_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

fn word_len(s: &str) -> usize {
    s.unicode_words().count()
}

fn cost(u: &Unit, budget: Budget) -> (usize, usize) {
    match budget {
        Budget::Sentences(n) => (1, n),
        Budget::Chars(n) => (char_len(u.text), n),
        Budget::Words(n) => (word_len(u.text), n),
    }
}

fn select_analysed(
    units: &[Unit],
    scores: &[f64],
    budget: Budget,
    a: &Analysis,
    w: &Weights,
) -> Vec<usize> {
    let n = units.len();
    if n == 0 {
        return Vec::new();
    }
    let rel: Vec<f64> = {
        let mut r: Vec<f64> = (0..n)
            .map(|i| scores.get(i).copied().filter(|x| x.is_finite()).unwrap_or(0.0))
            .collect();
        let max = r.iter().copied().fold(f64::MIN, f64::max);
        let min = r.iter().copied().fold(f64::MAX, f64::min);
        let span = max - min;
        for x in &mut r {
            *x = if span > 0.0 { (*x - min) / span } else { 1.0 };
        }
        r
    };
    let body: Vec<usize> =
        (0..n).filter(|&i| !units[i].is_heading && !units[i].text.trim().is_empty()).collect();
    // Sentences that do not stand alone are candidates only when some body
    // sentence does (then they wait for their antecedent, below).
    let any_lifts = body.iter().any(|&i| units[i].stands_alone);
    let pool: Vec<usize> = if body.is_empty() {
        (0..n).filter(|&i| !units[i].text.trim().is_empty()).collect()
    } else {
        body
    };
    if pool.is_empty() {
        return Vec::new();
    }

    let costs: Vec<usize> = units.iter().map(|u| cost(u, budget).0).collect();
    let limit = cost(&units[0], budget).1;
    let mut chosen: Vec<usize> = Vec::new();
    let mut used = 0usize;
    let mut max_sim = vec![0.0f64; n];
    let mut open: Vec<bool> = vec![false; n];
    for &i in &pool {
        open[i] = true;
    }
    loop {
        let mut best: Option<(usize, f64)> = None;
        for &i in &pool {
            if !open[i] {
                continue;
            }
            if used + costs[i] > limit || max_sim[i] >= w.duplicate_sim {
                open[i] = false;
                continue;
            }
            // A sentence that leans on the one before is taken only right
            // after it: then its antecedent is there and it does not dangle.
            let antecedent_in =
                i > 0 && units[i - 1].paragraph == units[i].paragraph && chosen.contains(&(i - 1));
            if any_lifts && !units[i].stands_alone && !antecedent_in {
                continue;
            }
            let m = w.mmr_lambda * rel[i] - (1.0 - w.mmr_lambda) * max_sim[i];
            // Ties go to the earlier sentence: strict comparison.
            if best.is_none_or(|(_, b)| m > b) {
                best = Some((i, m));
            }
        }
        let Some((i, _)) = best else { break };
        open[i] = false;
        used += costs[i];
        chosen.push(i);
        for &j in &pool {
            if open[j] {
                let s = a.vecs[i].dot(&a.vecs[j]);
                let s = if a.vecs[i].is_empty() && units[i].text.trim() == units[j].text.trim() {
                    1.0
                } else {
                    s
                };
                if s > max_sim[j] {
                    max_sim[j] = s;
                }
            }
        }
    }
    if chosen.is_empty() {
        // Nothing fits the budget: the single best sentence (ties: earliest).
        let lifts: Vec<usize> =
            pool.iter().copied().filter(|&i| units[i].stands_alone || !any_lifts).collect();
        let mut best = lifts[0];
        for &i in &lifts {
            if rel[i] > rel[best] {
                best = i;
            }
        }
        chosen.push(best);
    }
    chosen.sort_unstable();
    chosen
}

// ---------------------------------------------------------------------------
// Keyphrases
// ---------------------------------------------------------------------------

#[rustfmt::skip]
// Unused since facts::terms dropped keyphrases (issue 9): kept for the integrator to decide.
#[allow(dead_code)]
const ZH_KEY_POS: &[&str] = &[
    "n", "nr", "ns", "nt", "nz", "vn", "nrt", "an", "l", "j",
];

/// Top `n` keyphrases of `texts` with scores, best first; ties broken by
/// the phrase, so the order is deterministic. Chinese: jieba TextRank over
/// nouns / verbal nouns of at least 2 characters, minus stop words. English:
/// candidate unigrams and bigrams from runs of non-stop words (grouped by
/// stem, shown in their most frequent surface form), scored by frequency,
/// bigrams boosted, numbers and adverbs (-ly) dropped.
// Unused since facts::terms dropped keyphrases (issue 9): kept for the integrator to decide.
#[allow(dead_code)]
pub(crate) fn keyphrases(texts: &[&str], lang: Lang, n: usize) -> Vec<(String, f64)> {
    if n == 0 || texts.iter().all(|t| t.trim().is_empty()) {
        return Vec::new();
    }
    let mut out: Vec<(String, f64)> = match lang {
        Lang::Zh => {
            let joined = texts.join("\n");
            let tr = TextRank::default();
            let pos: Vec<String> = ZH_KEY_POS.iter().map(|s| (*s).to_string()).collect();
            tr.extract_keywords(&JIEBA, &joined, n * 2 + 10, pos)
                .into_iter()
                .filter(|k| k.keyword.chars().count() >= 2 && !is_stop_word(&k.keyword, Lang::Zh))
                .filter(|k| k.weight.is_finite())
                .map(|k| (k.keyword, k.weight))
                .collect()
        }
        Lang::En => en_keyphrases(texts),
    };
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.truncate(n);
    out
}

// Unused since facts::terms dropped keyphrases (issue 9): kept for the integrator to decide.
#[allow(dead_code)]
fn en_keyphrases(texts: &[&str]) -> Vec<(String, f64)> {
    // key (stems joined by space) -> (count, surface forms with counts)
    let mut cands: FastMap<String, (f64, FastMap<String, usize>)> = FastMap::default();
    let mut add = |key: String, surface: String, w: f64| {
        let e = cands.entry(key).or_insert_with(|| (0.0, FastMap::default()));
        e.0 += w;
        *e.1.entry(surface).or_insert(0) += 1;
    };
    for text in texts {
        // Phrase runs end at punctuation and stop words.
        for chunk in text.split(|c: char| ",.;:!?()\"“”[]—–".contains(c) || c == '\n') {
            let mut prev: Option<(String, String)> = None;
            for word in chunk.unicode_words() {
                let lower = word.to_lowercase().replace('\u{2019}', "'");
                let keep = lower.chars().count() >= 3
                    && lower.chars().any(char::is_alphabetic)
                    && !lower.ends_with("ly")
                    && !lower.contains('\'')
                    && !EN_STOPS.contains_key(lower.as_str());
                if !keep {
                    prev = None;
                    continue;
                }
                let stem = EN_STEMMER.stem(&lower).into_owned();
                add(stem.clone(), lower.clone(), 1.0);
                if let Some((pstem, psurf)) = prev.take() {
                    add(format!("{pstem} {stem}"), format!("{psurf} {lower}"), 1.0);
                }
                prev = Some((stem, lower));
            }
        }
    }
    let mut out = Vec::new();
    for (key, (count, forms)) in cands {
        let is_bigram = key.contains(' ');
        if is_bigram && count < 2.0 {
            continue;
        }
        let score = if is_bigram { count * 2.5 } else { count };
        let mut forms: Vec<(String, usize)> = forms.into_iter().collect();
        forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if let Some((surface, _)) = forms.into_iter().next() {
            out.push((surface, score));
        }
    }
    out
}

#[cfg(test)]
mod tests;
