//! Figures: a number with its unit, what it measures, the clause it is in,
//! which way it moves and whether it is a target. A figure read out of its
//! clause loses its meaning (`18%` of what, rising or falling; `$30
//! million`, but a *day*), so every figure carries its whole clause, and
//! [`key_figures`] picks the few a newsletter or briefing shows.
//!
//! Verbatim: the rules only choose. `value`, `measures` and `clause` are
//! substrings of the sentence; the words that give them meaning (direction
//! words, target markers, units) are data in `data/figures.tsv`.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Direction, Figure, Lang, SentenceRef};
use crate::text::is_han;

const DATA: &str = include_str!("../data/figures.tsv");

/// One language's rules, built once from the table.
struct Rules {
    /// A figure in Arabic numerals (both languages; en also word numerals).
    figure: Regex,
    /// A figure in Chinese numerals (`百分之十八`, `两个百分点`); zh only.
    numeral: Option<Regex>,
    directions: Vec<(String, Direction)>,
    /// Target markers that reach every figure after them in the sentence.
    targets: Vec<String>,
    /// Target markers that reach only the figures in their own clause.
    clause_targets: Vec<String>,
    /// Markers of the year's headline targets.
    headline: Vec<String>,
    /// Units that make a figure a span of time.
    periods: Vec<String>,
    /// Strips function words from the end of what a figure measures.
    trim: Regex,
    /// Strips connectives and ordinals from its start.
    lead: Regex,
}

/// The words of one kind for one language, longest first (so an
/// alternation tries `万亿元` before `元`).
fn words(lang: &str, kind: &str) -> Vec<String> {
    let mut w: Vec<String> = DATA
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            let (word, lg, k) = (f.next()?, f.next()?, f.next()?);
            (lg == lang && k == kind).then(|| word.to_owned())
        })
        .collect();
    w.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    w
}

fn alternation(ws: &[String]) -> String {
    ws.iter().map(|w| regex::escape(w)).collect::<Vec<_>>().join("|")
}

fn directions(lang: &str) -> Vec<(String, Direction)> {
    [("up", Direction::Up), ("down", Direction::Down), ("level", Direction::Level)]
        .into_iter()
        .flat_map(|(k, d)| words(lang, k).into_iter().map(move |w| (w, d)))
        .collect()
}

static ZH: LazyLock<Rules> = LazyLock::new(|| {
    let all_units: Vec<String> = {
        let mut u = words("zh", "unit-zh");
        u.extend(words("zh", "unit"));
        u.extend(words("zh", "period"));
        u.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        u
    };
    let mut zh_units = words("zh", "unit-zh");
    zh_units.extend(words("zh", "period"));
    zh_units.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    let num = r"[0-9０-９]+(?:[.．][0-9０-９]+)?";
    let figure = format!(
        r"(?:约|近|超过|逾)?(?P<num>{num})(?:(?:%|％)?(?:到|至|—|–|-|～|~){num})?(?P<mag>万亿|亿|万|千)?(?:多|余)?(?P<unit>{})?(?:左右|以上|以内|以下)?",
        alternation(&all_units)
    );
    let numeral = format!(
        r"(?:约|近)?(?:百分之[零〇一二两三四五六七八九十百点]+|(?P<zn>[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?)多?(?P<zu>{}))(?:左右|以上|以内|以下)?",
        alternation(&zh_units)
    );
    let mut trim = words("zh", "trim");
    trim.extend(directions("zh").into_iter().map(|(w, _)| w));
    trim.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    Rules {
        figure: Regex::new(&figure).expect("static regex"),
        numeral: Some(Regex::new(&numeral).expect("static regex")),
        directions: directions("zh"),
        targets: words("zh", "target"),
        clause_targets: words("zh", "target-clause"),
        headline: words("zh", "headline"),
        periods: words("zh", "period"),
        trim: Regex::new(&format!(r"(?:{}|\s)+$", alternation(&trim))).expect("static regex"),
        lead: Regex::new(&format!(r"^(?:(?:{})\s*)+", alternation(&words("zh", "lead"))))
            .expect("static regex"),
    }
});

/// English numerals as words: a figure only with a unit or a scale word.
const EN_WORD_NUMBERS: &str = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a";

static EN: LazyLock<Rules> = LazyLock::new(|| {
    let word = format!(r"(?:{EN_WORD_NUMBERS})(?:-(?:{EN_WORD_NUMBERS}))?");
    // `2..65` is a typo for 2.65 in the corpus: both dots stay inside the
    // figure, so it never reads `65 billion`.
    let num = format!(r"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.{{1,2}}\d+)?|\b(?:{word})\b");
    let scale = r"(?:\s(?:million|billion|trillion|thousand|hundred))";
    let mut units = words("en", "unit");
    units.extend(words("en", "period"));
    let units = alternation(&units);
    let figure = format!(
        r"(?i)(?P<cur>\$\s?)?(?P<num>{num})(?:\s(?:to|-|–)\s\$?(?:{num}))?(?P<scale>{scale}+)?(?:,\s(?:{num}){scale}+)*(?:(?P<pct>%|\spercent\b|\sper\scent\b)|\s(?:(?:new|more|additional|extra|other)\s)?(?P<unit>(?:{units})\b))?(?:\s(?:a|per|each)\s(?:day|week|month|year)\b)?"
    );
    Rules {
        figure: Regex::new(&figure).expect("static regex"),
        numeral: None,
        directions: directions("en"),
        targets: words("en", "target"),
        clause_targets: words("en", "target-clause"),
        headline: words("en", "headline"),
        periods: words("en", "period"),
        trim: {
            let mut t = words("en", "trim");
            t.extend(directions("en").into_iter().map(|(w, _)| w));
            Regex::new(&format!(r"(?i)(?:\b(?:{})\b|[\s,$])+$", alternation(&t)))
                .expect("static regex")
        },
        lead: Regex::new(&format!(
            r"(?i)^(?:\b(?:{})\b[\s,]*)+",
            alternation(&words("en", "lead"))
        ))
        .expect("static regex"),
    }
});

/// `by 1970`, `到2035年`: a deadline year makes a figure in its clause a target.
static BY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bby\s(?:the\s(?:end\s)?(?:of\s)?)?(?:19|20)\d\d\b|到(?:19|20)\d\d年")
        .expect("static regex")
});

/// A byte range in a sentence.
type Range = (usize, usize);

/// A figure found in a sentence: its byte range there.
#[derive(Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
}

fn prev_char(t: &str, i: usize) -> Option<char> {
    t[..i].chars().next_back()
}

/// True when the match at `i` starts in the middle of a number or a word
/// (`PM2.5`, the `65` of `2.65`, `G20`): a figure starts at its first digit.
fn starts_mid_token(t: &str, i: usize) -> bool {
    match prev_char(t, i) {
        Some(c) if c.is_ascii_alphanumeric() || c == '_' => true,
        Some(c @ ('.' | ',' | '．')) => {
            prev_char(t, i - c.len_utf8()).is_some_and(|p| p.is_ascii_digit())
        }
        Some('第') => true,
        _ => false,
    }
}

fn candidates(t: &str, lang: Lang) -> Vec<Hit> {
    let rules = rules(lang);
    let mut hits = Vec::new();
    for c in rules.figure.captures_iter(t) {
        let m = c.get(0).expect("whole match");
        let v = m.as_str();
        if v.trim().is_empty() || starts_mid_token(t, m.start()) {
            continue;
        }
        let num = c.name("num").map_or("", |x| x.as_str());
        let digits = num.chars().filter(char::is_ascii_digit).count();
        let year_like = digits == 4
            && num.chars().all(|c| c.is_ascii_digit())
            && (num.starts_with("19") || num.starts_with("20"));
        match lang {
            Lang::Zh => {
                let unit = c.name("unit").map(|x| x.as_str());
                if unit.is_none() && c.name("mag").is_none() {
                    continue; // a bare number
                }
                let period = unit.is_some_and(|u| rules.periods.iter().any(|p| p == u));
                if period && (digits >= 4 || year_like) {
                    continue; // `2025年` is a date
                }
                if t[m.end()..].starts_with(['月', '日']) {
                    continue;
                }
            }
            Lang::En => {
                let word_num = !num.starts_with(|ch: char| ch.is_ascii_digit());
                let has_unit = c.name("unit").is_some() || c.name("pct").is_some();
                let has_scale = c.name("scale").is_some();
                let has_cur = c.name("cur").is_some();
                if !(has_unit || has_scale || has_cur) {
                    continue; // a bare number, a year
                }
                let lower = num.to_ascii_lowercase();
                if word_num && (lower == "a" || lower == "one") && !has_scale {
                    continue; // `a year`, `one nation`
                }
                if year_like && !has_cur && !has_scale && c.name("pct").is_none() {
                    continue;
                }
            }
        }
        hits.push(Hit { start: m.start(), end: m.end() });
    }
    if let Some(re) = &rules.numeral {
        for c in re.captures_iter(t) {
            let m = c.get(0).expect("whole match");
            if starts_mid_token(t, m.start())
                || hits.iter().any(|h| h.start < m.end() && m.start() < h.end)
            {
                continue;
            }
            if let Some(zn) = c.name("zn") {
                let z = zn.as_str();
                // `亿万人民`, `一年多以来`: a numeral with a digit, more than `一`.
                if z == "一" || !z.chars().any(|ch| "一二两三四五六七八九十".contains(ch))
                {
                    continue;
                }
                // `一二三`-like runs or a numeral inside a word (`统一`).
                if prev_char(t, m.start()).is_some_and(|p| "统单唯万千第周逐专".contains(p))
                {
                    continue;
                }
            }
            hits.push(Hit { start: m.start(), end: m.end() });
        }
        hits.sort_by_key(|h| h.start);
    }
    hits
}

fn rules(lang: Lang) -> &'static Rules {
    if lang == Lang::Zh { &ZH } else { &EN }
}

/// Where clauses end: punctuation and dashes outside any figure (the comma
/// of `2 million, 400 thousand` and the dot of `2.65` belong to the figure).
/// Each is (start, end) in bytes; `、` is returned separately, because it
/// splits a clause only between figures (`重复举报、越级举报数量` is one subject).
fn boundaries(t: &str, hits: &[Hit]) -> (Vec<Range>, Vec<Range>) {
    let inside = |i: usize| hits.iter().any(|h| h.start <= i && i < h.end);
    let (mut hard, mut soft) = (Vec::new(), Vec::new());
    let mut it = t.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if inside(i) {
            continue;
        }
        let next = it.peek().map(|&(_, n)| n);
        let len = c.len_utf8();
        let between_digits = prev_char(t, i).is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit());
        match c {
            '，' | '；' | '。' | '：' | '！' | '？' | ';' | '!' | '?' | '—' => {
                hard.push((i, i + len))
            }
            ',' | '.' | ':' if !between_digits => hard.push((i, i + len)),
            '-' if next == Some('-') => {
                hard.push((i, i + 2));
                it.next();
            }
            '–' if prev_char(t, i) == Some(' ') => hard.push((i, i + len)),
            '、' => soft.push((i, i + len)),
            _ => {}
        }
    }
    (hard, soft)
}

/// The byte range of the clause a figure is in.
fn clause_of(
    t: &str,
    h: Hit,
    hits: &[Hit],
    hard: &[(usize, usize)],
    soft: &[(usize, usize)],
) -> (usize, usize) {
    let start = hard.iter().filter(|b| b.1 <= h.start).map(|b| b.1).max().unwrap_or(0);
    let end = hard.iter().filter(|b| b.0 >= h.end).map(|b| b.0).min().unwrap_or(t.len());
    // `城乡居民人均可支配收入分别增长4.4%、5.6%`: the values of a 分别 list
    // mean something only together.
    if t[start..h.start].contains("分别") {
        return (start, end);
    }
    // Split at `、` only where the pieces on both sides hold figures.
    let cuts: Vec<(usize, usize)> =
        soft.iter().copied().filter(|b| start <= b.0 && b.1 <= end).collect();
    let has_fig = |a: usize, b: usize| hits.iter().any(|x| a <= x.start && x.end <= b);
    let mut s = start;
    for c in cuts.iter().rev().filter(|c| c.1 <= h.start) {
        let prev_start = cuts.iter().filter(|p| p.1 <= c.0).map(|p| p.1).max().unwrap_or(start);
        if has_fig(prev_start, c.0) {
            s = c.1;
            break;
        }
    }
    let mut e = end;
    for c in cuts.iter().filter(|c| c.0 >= h.end) {
        let next_end = cuts.iter().filter(|p| p.0 >= c.1).map(|p| p.0).min().unwrap_or(end);
        if has_fig(c.1, next_end) {
            e = c.0;
            break;
        }
    }
    (s, e)
}

/// Trims whitespace from a byte range of `t`.
fn trimmed(t: &str, (s, e): (usize, usize)) -> (usize, usize) {
    let piece = &t[s..e];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail >= piece.len() { (s, s) } else { (s + lead, e - trail) }
}

/// What a figure measures: the words before it in its clause (after any
/// earlier figure there), without the function words that only link them.
fn measure_of(t: &str, from: usize, to: usize, lang: Lang) -> (usize, usize) {
    let r = rules(lang);
    let piece = &t[from..to];
    let end = from + r.trim.find(piece).map_or(piece.len(), |m| m.start());
    let from = from + (t[from..end].len() - t[from..end].trim_start().len());
    let start = from + r.lead.find(&t[from..end]).map_or(0, |m| m.end());
    trimmed(t, (start.min(end), end))
}

fn says_what(m: &str, lang: Lang) -> bool {
    match lang {
        Lang::Zh => m.chars().filter(|&c| is_han(c)).count() >= 2,
        Lang::En => m.split(|c: char| !c.is_alphabetic()).any(|w| w.chars().count() >= 3),
    }
}

fn find_word(hay: &str, w: &str, lang: Lang) -> Vec<usize> {
    let mut out = Vec::new();
    if lang == Lang::Zh {
        out.extend(hay.match_indices(w).map(|(i, _)| i));
        return out;
    }
    let lower = hay.to_ascii_lowercase();
    let w = w.to_ascii_lowercase();
    for (i, _) in lower.match_indices(&w) {
        let before = lower[..i].chars().next_back();
        let after = lower[i + w.len()..].chars().next();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        out.push(i);
    }
    out
}

/// The direction word nearest before the figure in `t[from..to]`; in
/// English `more than`/`up to` are qualifiers, not directions.
fn direction_before(t: &str, from: usize, to: usize, lang: Lang) -> Option<Direction> {
    let hay = &t[from..to];
    let mut best: Option<(usize, Direction)> = None;
    for (w, d) in &rules(lang).directions {
        for i in find_word(hay, w, lang) {
            let end = i + w.len();
            let rest = hay[end..].to_ascii_lowercase();
            if lang == Lang::En
                && (rest.starts_with(" than") || (w == "up" && rest.starts_with(" to")))
            {
                continue;
            }
            if best.is_none_or(|(b, _)| end > b) {
                best = Some((end, *d));
            }
        }
    }
    best.map(|(_, d)| d)
}

/// English puts a comparative after the figure: `12 percent more`, `2 more divisions`.
fn direction_after(value: &str, rest: &str) -> Option<Direction> {
    let v = value.to_ascii_lowercase();
    let next = rest
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_ascii_lowercase();
    if v.contains(" more ") || matches!(next.as_str(), "more" | "higher") {
        Some(Direction::Up)
    } else if matches!(next.as_str(), "less" | "fewer" | "lower") {
        Some(Direction::Down)
    } else {
        None
    }
}

/// A span of time (`五年`, `100 hours`, `近两年`): a figure, but neither a
/// target nor a key figure; a rate (`$30 million a day`) is not one.
fn is_span_of_time(value: &str, lang: Lang) -> bool {
    let v = value.trim_end_matches(['左', '右', '以', '上', '内', '下', '多']);
    match lang {
        Lang::Zh => rules(lang).periods.iter().any(|p| v.ends_with(p.as_str())),
        Lang::En => {
            let last =
                v.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("").to_ascii_lowercase();
            let rate = [" a ", " per ", " each "].iter().any(|w| v.contains(w));
            !rate && !v.contains('$') && rules(lang).periods.contains(&last)
        }
    }
}

/// A target: a sentence-wide marker before the figure (`主要预期目标是：`,
/// `goal`), a clause-wide one in its clause (`力争`, `确保`, `by 1970`), or
/// an approximate growth figure for this year (`今年…增长5%左右`).
fn is_target(
    t: &str,
    clause_start: usize,
    at: usize,
    value: &str,
    dir: Option<Direction>,
    lang: Lang,
) -> bool {
    if is_span_of_time(value, lang) {
        return false;
    }
    let r = rules(lang);
    let has = |ws: &[String], hay: &str| ws.iter().any(|w| !find_word(hay, w, lang).is_empty());
    let clause = &t[clause_start..at];
    has(&r.targets, &t[..at])
        || has(&r.clause_targets, clause)
        || BY_YEAR.is_match(clause)
        || (lang == Lang::Zh
            && value.ends_with("左右")
            && dir == Some(Direction::Up)
            && t.contains("今年"))
}

/// True when `cur` goes on the list `prev` began: the splitter ends a
/// sentence at `；`, but `主要预期目标是：A；B；C。` is one list of targets.
fn continues(prev: &SentenceRef, cur: &SentenceRef, max_gap: usize) -> bool {
    prev.text.trim_end().ends_with(['；', ';'])
        && cur.span.start >= prev.span.end
        && cur.span.start - prev.span.end <= max_gap
}

/// For each figure, whether it is a headline target (the year's main
/// targets, which rank first): its sentence names them (`主要预期目标`), or
/// it goes on the `；` list of an earlier headline figure's sentence (a
/// list item without figures may lie between, hence the wider gap).
fn headlines(figures: &[Figure]) -> Vec<bool> {
    let mut out: Vec<bool> = Vec::with_capacity(figures.len());
    for (i, f) in figures.iter().enumerate() {
        let lang = lang_of(f);
        let t = f.source.text.as_str();
        let at = t.find(&f.clause).map_or(0, |i| i + f.clause.find(&f.value).unwrap_or(0));
        let own = rules(lang).headline.iter().any(|w| !find_word(&t[..at], w, lang).is_empty());
        let prev =
            figures[..i].iter().zip(&out).rev().find(|(g, _)| g.source.span != f.source.span);
        let listed = prev.is_some_and(|(g, &h)| h && continues(&g.source, &f.source, 300));
        let same = figures[..i]
            .iter()
            .zip(&out)
            .rev()
            .find(|(g, _)| g.source.span == f.source.span)
            .map(|(_, &h)| h);
        out.push(f.target && (own || listed || same == Some(true)));
    }
    out
}

/// Every figure of the speech, in speech order, each with its whole clause
/// (verbatim), what it measures, its direction and whether it is a target.
/// A figure whose clause says nothing about what it measures borrows the
/// clause before it when that one holds a figure (`满意度达到96.2%，同比提升了
/// 3.1个百分点`); otherwise it is dropped, as are bare numbers and dates.
pub(crate) fn figures(sentences: &[SentenceRef], lang: Lang) -> Vec<Figure> {
    let mut out = Vec::new();
    // A sentence-wide target marker reaches on down its `；` list.
    let mut listed_target = false;
    for (si, s) in sentences.iter().enumerate() {
        let t = s.text.as_str();
        listed_target = listed_target && si > 0 && continues(&sentences[si - 1], s, 2);
        let marked = rules(lang).targets.iter().any(|w| !find_word(t, w, lang).is_empty());
        let hits = candidates(t, lang);
        let (hard, soft) = boundaries(t, &hits);
        let clauses: Vec<(usize, usize)> =
            hits.iter().map(|&h| clause_of(t, h, &hits, &hard, &soft)).collect();
        // The measure of each clause's first figure, for a clause that borrows it.
        let mut prev_measure: Option<((usize, usize), (usize, usize))> = None;
        // Each hit's direction, for the figure listed right after it.
        let mut dirs: Vec<Option<Direction>> = Vec::with_capacity(hits.len());
        for (k, &h) in hits.iter().enumerate() {
            dirs.push(None);
            let (cs, ce) = clauses[k];
            let after_prev = hits[..k]
                .iter()
                .rev()
                .find(|p| p.end <= h.start && p.start >= cs)
                .map_or(cs, |p| p.end);
            let value = t[h.start..h.end].trim_end();
            // `比重从26.7%提高到52.1%`: nothing between the figures, so the
            // clause's first figure lends its measure.
            let m = match measure_of(t, after_prev, h.start, lang) {
                m if !says_what(&t[m.0..m.1], lang) && after_prev > cs => {
                    let first =
                        hits[..k].iter().find(|p| p.start >= cs).map_or(h.start, |p| p.start);
                    measure_of(t, cs, first, lang)
                }
                m => m,
            };
            let mut dir = direction_before(t, after_prev, h.start, lang);
            if dir.is_none() && lang == Lang::En {
                dir = direction_after(value, &t[h.end..ce]);
            }
            // `分别增长97.3%、27.7%`: a figure listed right after another shares its direction.
            if dir.is_none() && k > 0 {
                let gap = t[hits[k - 1].end..h.start].trim();
                if ["、", "和", "及", "与", ",", "and"].contains(&gap) {
                    dir = dirs[k - 1];
                }
            }
            // What it measures: the words before it; else (`810个省重点项目…`)
            // the words after it, up to the next figure; else the clause
            // before, taken with it (`满意度达到96.2%，同比提升了3.1个百分点`).
            let next_fig = hits[k + 1..].iter().find(|x| x.start < ce).map_or(ce, |x| x.start);
            let after = measure_of(t, h.end, next_fig, lang);
            let prev_clause = hard.iter().filter(|b| b.1 <= cs).max_by_key(|b| b.1).map(|b| {
                let ps = hard.iter().filter(|x| x.1 <= b.0).map(|x| x.1).max().unwrap_or(0);
                (ps, b.0)
            });
            let (clause, measures) = if says_what(&t[m.0..m.1], lang) {
                (trimmed(t, (cs, ce)), m)
            } else if t[h.end..next_fig].trim().chars().count() > 1
                && says_what(&t[after.0..after.1], lang)
            {
                (trimmed(t, (cs, ce)), after)
            } else if let Some((pc, pm)) = prev_measure.filter(|(pc, _)| pc.1 <= cs && pc.0 < cs) {
                (trimmed(t, (pc.0, ce)), pm)
            } else if let Some((ps, pe)) = prev_clause {
                let pm = measure_of(t, ps, pe, lang);
                if !says_what(&t[pm.0..pm.1], lang) {
                    continue;
                }
                (trimmed(t, (ps, ce)), pm)
            } else {
                continue;
            };
            dirs[k] = dir;
            if after_prev == cs {
                // The clause as taken (a borrowing one included), for the next to borrow.
                prev_measure = Some(((clause.0.min(cs), ce), measures));
            }
            out.push(Figure {
                value: value.to_owned(),
                measures: t[measures.0..measures.1].to_owned(),
                clause: t[clause.0..clause.1].to_owned(),
                direction: dir,
                target: (listed_target && !is_span_of_time(value, lang))
                    || is_target(t, cs, h.start, value, dir, lang),
                source: s.clone(),
            });
        }
        listed_target = listed_target || marked;
    }
    out
}

/// How long a clause reads: 字 in Chinese, words in English.
fn clause_len(c: &str, lang: Lang) -> usize {
    match lang {
        Lang::Zh => c.chars().filter(|&ch| is_han(ch) || ch.is_ascii_alphanumeric()).count(),
        Lang::En => c.split_whitespace().count(),
    }
}

fn lang_of(f: &Figure) -> Lang {
    if f.clause.chars().any(is_han) { Lang::Zh } else { Lang::En }
}

/// A clause a reader takes in at a glance: whole when short, else the
/// longest tail of it that fits and still has a subject, the direction
/// word (when the figure has one) and the value. `None` when no tail does.
fn shown(f: &Figure) -> Option<Figure> {
    let lang = lang_of(f);
    let max = if lang == Lang::Zh { 60 } else { 30 };
    if clause_len(&f.clause, lang) <= max {
        return Some(f.clone());
    }
    let c = f.clause.as_str();
    let vpos = c.find(&f.value)?;
    let vend = vpos + f.value.len();
    let mut starts: Vec<usize> = match lang {
        Lang::Zh => c[..vpos].match_indices(['、', '的', '和']).map(|(i, m)| i + m.len()).collect(),
        Lang::En => c[..vpos].match_indices(' ').map(|(i, _)| i + 1).collect(),
    };
    starts.insert(0, 0);
    for st in starts {
        for en in [c.len(), vend] {
            let cand = &c[st..en];
            if clause_len(cand, lang) > max {
                continue;
            }
            let m = measure_of(c, st, vpos, lang);
            let dir_ok =
                f.direction.is_none() || direction_before(c, st, vpos, lang) == f.direction;
            if says_what(&c[m.0..m.1], lang) && dir_ok {
                return Some(Figure {
                    clause: cand.trim().to_owned(),
                    measures: c[m.0..m.1].to_owned(),
                    ..f.clone()
                });
            }
        }
    }
    None
}

/// The figures worth showing in a newsletter or briefing, at most `n`:
/// targets first (at most half, rounded up, unless nothing else fills the
/// list), then figures with a direction, then the other figures, each tier
/// in speech order; never two from one clause, and other than targets
/// (a work report lists its targets in one sentence) never two from one
/// sentence unless too few remain. Over-long clauses are cut to a tail
/// that still reads (see [`shown`]). Deterministic.
pub(crate) fn key_figures(figures: &[Figure], n: usize) -> Vec<Figure> {
    let heads = headlines(figures);
    let usable: Vec<(Figure, bool)> = figures
        .iter()
        .zip(heads)
        .filter(|(f, _)| !f.measures.is_empty() && !is_span_of_time(&f.value, lang_of(f)))
        .filter_map(|(f, h)| shown(f).map(|x| (x, h)))
        .collect();
    let headline_of = |f: &Figure| usable.iter().any(|(x, h)| *h && x == f);
    let mut out: Vec<Figure> = Vec::new();
    let mut clauses: HashSet<(usize, String)> = HashSet::new();
    let mut sentences: HashSet<usize> = HashSet::new();
    let tiers: [&dyn Fn(&Figure) -> bool; 4] = [
        &|f| headline_of(f),
        &|f| f.target && !headline_of(f),
        &|f| !f.target && f.direction.is_some(),
        &|f| !f.target && f.direction.is_none(),
    ];
    let target_cap = n.div_ceil(2);
    // Pass 0 keeps sentences distinct (and caps targets); pass 1 fills.
    'fill: for pass in 0..2 {
        for (tier, keep) in tiers.iter().enumerate() {
            for f in usable.iter().map(|(f, _)| f).filter(|f| keep(f)) {
                if out.len() >= n {
                    break 'fill;
                }
                let key = (f.source.span.start, f.clause.clone());
                let whole = figures
                    .iter()
                    .find(|g| g.value == f.value && g.source == f.source)
                    .map_or(f.clause.clone(), |g| g.clause.clone());
                if clauses.contains(&key)
                    || clauses.contains(&(f.source.span.start, whole.clone()))
                    || out.contains(f)
                {
                    continue;
                }
                if pass == 0 {
                    let targets = out.iter().filter(|x| x.target).count();
                    if tier <= 1 && targets >= target_cap {
                        continue;
                    }
                    if tier > 1 && sentences.contains(&f.source.span.start) {
                        continue;
                    }
                }
                clauses.insert(key);
                clauses.insert((f.source.span.start, whole));
                sentences.insert(f.source.span.start);
                out.push(f.clone());
            }
        }
    }
    // Headline targets, other targets, the rest: each in speech order.
    out.sort_by_key(|f| {
        (!headline_of(f), !f.target, f.source.span.start, f.source.text.find(&f.clause))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn sref(text: &str) -> SentenceRef {
        SentenceRef::for_test(text)
    }

    /// Sentences of one paragraph, with their spans in it.
    fn paragraph(texts: &[&str]) -> Vec<SentenceRef> {
        let mut at = 0;
        texts
            .iter()
            .map(|t| {
                let s = SentenceRef { span: Span { start: at, end: at + t.len() }, ..sref(t) };
                at += t.len();
                s
            })
            .collect()
    }

    fn find<'a>(f: &'a [Figure], value: &str) -> Option<&'a Figure> {
        f.iter().find(|x| x.value == value)
    }

    /// (rule, lang, sentence, value, clause, direction, target).
    type Row =
        (&'static str, Lang, &'static str, &'static str, &'static str, Option<Direction>, bool);

    /// One row per rule.
    /// An empty clause means the value must not be a figure.
    #[rustfmt::skip]
    const ROWS: &[Row] = &[
        ("subject before the comma stays, 、 inside the subject", Lang::Zh,
         "根据最新统计,去年以来,全市纪检监察机关收到的重复举报、越级举报数量同比下降了18%,群众对党风廉政建设和反腐败工作的满意度达到96.2%,同比提升了3.1个百分点。",
         "18%", "全市纪检监察机关收到的重复举报、越级举报数量同比下降了18%", Some(Direction::Down), false),
        ("达到 is no direction", Lang::Zh,
         "群众对党风廉政建设和反腐败工作的满意度达到96.2%,同比提升了3.1个百分点。",
         "96.2%", "群众对党风廉政建设和反腐败工作的满意度达到96.2%", None, false),
        ("a clause without a subject takes the one before", Lang::Zh,
         "群众对党风廉政建设和反腐败工作的满意度达到96.2%,同比提升了3.1个百分点。",
         "3.1个百分点", "群众对党风廉政建设和反腐败工作的满意度达到96.2%,同比提升了3.1个百分点", Some(Direction::Up), false),
        ("主要预期目标 makes every later figure a target", Lang::Zh,
         "今年经济社会发展主要预期目标是：地区生产总值增长5%左右，一般公共预算收入增长4%左右，城镇调查失业率控制在5%以内。",
         "5%左右", "地区生产总值增长5%左右", Some(Direction::Up), true),
        ("a cap is a target without direction", Lang::Zh,
         "今年经济社会发展主要预期目标是：地区生产总值增长5%左右，一般公共预算收入增长4%左右，城镇调查失业率控制在5%以内。",
         "5%以内", "城镇调查失业率控制在5%以内", None, true),
        ("a range stays whole", Lang::Zh,
         "包括：地区生产总值年均增速4.5%-5%、努力争取更好结果，全员劳动生产率达58万元/人左右。",
         "4.5%-5%", "地区生产总值年均增速4.5%-5%、努力争取更好结果", Some(Direction::Up), false),
        ("magnitude and unit stay whole; 保持在 is level", Lang::Zh,
         "粮食产量保持在1.3万亿斤以上。",
         "1.3万亿斤以上", "粮食产量保持在1.3万亿斤以上", Some(Direction::Level), false),
        ("亿 before a unit (1亿千瓦); 、 with no figure after does not cut", Lang::Zh,
         "水电装机容量突破1亿千瓦、保持全国第1位。",
         "1亿千瓦", "水电装机容量突破1亿千瓦、保持全国第1位", None, false),
        ("第1 is an ordinal", Lang::Zh, "水电装机容量突破1亿千瓦、保持全国第1位。", "1位", "", None, false),
        ("、 between figures cuts; the second borrows the subject", Lang::Zh,
         "北京输出到津冀技术合同成交额996亿元、增长18.1%。",
         "18.1%", "北京输出到津冀技术合同成交额996亿元、增长18.1%", Some(Direction::Up), false),
        ("Chinese numerals with a unit", Lang::Zh,
         "我国经济总量占世界经济的比重达百分之十八点五，提高七点二个百分点。",
         "七点二个百分点", "我国经济总量占世界经济的比重达百分之十八点五，提高七点二个百分点", Some(Direction::Up), false),
        ("a figure listed after another shares its direction", Lang::Zh,
         "营业总收入、利润总额五年分别增长97.3%、27.7%。",
         "27.7%", "营业总收入、利润总额五年分别增长97.3%、27.7%", Some(Direction::Up), false),
        ("the first value of a 分别 list keeps the rest of it", Lang::Zh,
         "城乡居民人均可支配收入分别增长4.4%、5.6%。",
         "4.4%", "城乡居民人均可支配收入分别增长4.4%、5.6%", Some(Direction::Up), false),
        ("余 after the magnitude stays in the figure", Lang::Zh, "举办促消费活动3万余场次。",
         "3万余场次", "举办促消费活动3万余场次", None, false),
        ("百分之… and 稳定在", Lang::Zh, "基本医疗保险参保率稳定在百分之九十五。",
         "百分之九十五", "基本医疗保险参保率稳定在百分之九十五", Some(Direction::Level), false),
        ("确保 in the clause makes a target", Lang::Zh, "确保粮食播种面积稳定在100万亩以上、蔬菜产量稳定在200万吨左右。",
         "100万亩以上", "确保粮食播种面积稳定在100万亩以上", Some(Direction::Level), true),
        ("a count before its noun measures what follows", Lang::Zh, "810个省重点项目完成投资10428.6亿元。",
         "810个", "810个省重点项目完成投资10428.6亿元", None, false),
        ("从A提高到B: the second takes the clause's measure", Lang::Zh,
         "开工项目超1万个、完成投资近1万亿元，产业投资占全部投资比重从26.7%提高到52.1%。",
         "52.1%", "产业投资占全部投资比重从26.7%提高到52.1%", Some(Direction::Up), false),
        ("years and dates are not figures", Lang::Zh, "2025年是“十四五”规划收官之年。", "2025年", "", None, false),
        ("a bare number is not a figure", Lang::Zh, "浏览量:110", "110", "", None, false),
        ("亿万 has no digit", Lang::Zh, "造福亿万人民。", "亿万人", "", None, false),
        ("a typo'd decimal stays whole, the aside takes its subject", Lang::En,
         "The total amount requested--now raised to 2..65 billion dollars--is both minimal and crucial.",
         "2..65 billion dollars", "The total amount requested--now raised to 2..65 billion dollars", Some(Direction::Up), false),
        ("a rate keeps its period", Lang::En,
         "We have spent more than a billion dollars a month -- over $30 million a day -- and we must be prepared for future operations.",
         "$30 million a day", "We have spent more than a billion dollars a month -- over $30 million a day", None, false),
        ("more than is no direction", Lang::En,
         "We have spent more than a billion dollars a month -- over $30 million a day -- and we must be prepared for future operations.",
         "a billion dollars a month", "We have spent more than a billion dollars a month", None, false),
        ("a compound stays whole", Lang::En,
         "I am requesting that the funds previously requested for this effort be not only approved in full, but increased by 2 million, 400 thousand dollars, to a total of 121 million dollars.",
         "2 million, 400 thousand dollars", "I am requesting that the funds previously requested for this effort be not only approved in full, but increased by 2 million, 400 thousand dollars", Some(Direction::Up), false),
        ("a worded range stays whole", Lang::En,
         "It is estimated at 531 million dollars in fiscal '62--an estimated seven to nine billion dollars additional over the next five years.",
         "seven to nine billion dollars", "an estimated seven to nine billion dollars additional over the next five years", None, false),
        ("a comparative after the figure", Lang::En,
         "In 1961 we asked for an additional 23 million dollars, or 12 percent more.",
         "12 percent", "In 1961 we asked for an additional 23 million dollars, or 12 percent more", Some(Direction::Up), false),
        ("a year is not a figure", Lang::En, "This is also our great opportunity in 1961.", "1961", "", None, false),
        ("a bare number is not a figure", Lang::En, "Reorganization Plan No. 1 of 1958 is in effect.", "1", "", None, false),
        // Not from the corpus: no English speech there states a numeric goal.
        ("a goal is a target", Lang::En, "Our goal is to train 100,000 teachers by 1970.",
         "100,000 teachers", "Our goal is to train 100,000 teachers by 1970", None, true),
    ];

    #[test]
    fn each_rule_gives_its_figure() {
        for &(rule, lang, text, value, clause, dir, target) in ROWS {
            let s = [sref(text)];
            let f = figures(&s, lang);
            for x in &f {
                assert!(
                    text.contains(&x.clause) && x.clause.contains(&x.value),
                    "{rule}: not verbatim: {x:?}"
                );
                assert!(x.clause.contains(&x.measures), "{rule}: measure outside clause: {x:?}");
            }
            let got = find(&f, value);
            if clause.is_empty() {
                assert!(got.is_none(), "{rule}: {value} should not be a figure: {f:?}");
                continue;
            }
            let got = got.unwrap_or_else(|| panic!("{rule}: {value} not found in {f:?}"));
            assert_eq!(
                (got.clause.as_str(), got.direction, got.target),
                (clause, dir, target),
                "{rule}"
            );
        }
    }

    #[test]
    fn no_figure_starts_mid_number() {
        let s = [sref(
            "The total amount requested--now raised to 2..65 billion dollars--is both minimal and crucial.",
        )];
        let f = figures(&s, Lang::En);
        assert!(f.iter().all(|x| !x.value.starts_with("65")), "{f:?}");
    }

    #[test]
    fn spans_of_time_are_not_key_figures() {
        for (v, lang, span) in [
            ("五年", Lang::Zh, true),
            ("100 hours", Lang::En, true),
            ("$30 million a day", Lang::En, false),
            ("5%左右", Lang::Zh, false),
        ] {
            assert_eq!(is_span_of_time(v, lang), span, "{v}");
        }
    }

    #[test]
    fn key_figures_put_headline_targets_first_and_keep_clauses_distinct() {
        // The splitter ends a sentence at `；`: the list of targets goes on.
        let s = paragraph(&[
            "全市地区生产总值5.2万亿元、增长5.4%，一般公共预算收入增长3.2%。",
            "过去五年，城镇调查失业率下降了0.5个百分点。",
            "今年经济社会发展主要预期目标是：地区生产总值增长5%左右，一般公共预算收入增长4%左右；",
            "城镇调查失业率控制在5%以内，居民消费价格涨幅2%左右。",
        ]);
        let k = key_figures(&figures(&s, Lang::Zh), 5);
        let got: Vec<&str> = k.iter().map(|f| f.clause.as_str()).collect();
        assert_eq!(
            got,
            [
                "地区生产总值增长5%左右",
                "一般公共预算收入增长4%左右",
                "城镇调查失业率控制在5%以内",
                "全市地区生产总值5.2万亿元、增长5.4%",
                "城镇调查失业率下降了0.5个百分点",
            ]
        );
        assert_eq!(key_figures(&figures(&s, Lang::Zh), 5), k, "deterministic");
    }

    #[test]
    fn a_long_clause_is_cut_to_a_tail_that_still_reads() {
        let long = "全市各级纪检监察机关围绕群众反映强烈的突出问题持续开展专项整治和集中攻坚并统筹推进以案促改以案促治工作后收到的重复举报数量同比下降了18%";
        let s = [sref(&format!("{long}。"))];
        let f = figures(&s, Lang::Zh);
        let k = key_figures(&f, 1);
        assert!(clause_len(&k[0].clause, Lang::Zh) <= 60, "{:?}", k[0].clause);
        assert!(k[0].clause.ends_with("同比下降了18%") && long.contains(&k[0].clause));
    }
}
