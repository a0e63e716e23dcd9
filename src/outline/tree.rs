//! Flat lines with markers → the nested section tree, points inside
//! sections, the opening and closing sections, grouping of unnumbered
//! speeches by topic shifts, and the announced-vs-found check.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Lang;
use crate::model::{Paragraph, Point, Section, SectionKind, Sentence, Span, Warning};
use crate::outline::markers::{Marker, MarkerKind, dash_marker_len, line_marker, point_marker};
use crate::text::numerals::zh_number;
use crate::text::salutations::{self, Kind};
use crate::text::sentences::split;

struct Node {
    kind: SectionKind,
    label: Option<String>,
    heading: Option<String>,
    heading_span: Option<Span>,
    paragraphs: Vec<Paragraph>,
    children: Vec<usize>,
}

impl Node {
    fn new(kind: SectionKind) -> Self {
        Node {
            kind,
            label: None,
            heading: None,
            heading_span: None,
            paragraphs: Vec::new(),
            children: Vec::new(),
        }
    }
}

static CLOSING_START: LazyLock<Regex> = LazyLock::new(|| {
    let zh = salutations::alternation(Lang::Zh, &[Kind::Vocative]);
    let en = salutations::alternation(Lang::En, &[Kind::Closing, Kind::Vocative]);
    Regex::new(&format!(r"^(?:(?:{zh})[！!]|(?:{en})\b)"))
        .expect("static regex built from the salutation table")
});

static NOTES_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:名词解释|名词注释|注释|附注|注|Notes|NOTES|Glossary|GLOSSARY)[:：]?$")
        .expect("static regex")
});

static ZH_ANNOUNCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:讲|谈|说|提|强调)(?:以下|这样|如下)?([一二三四五六七八九十两])(?:点|个方面|个问题|层意思|条)|([一二三四五六七八九十两])点(?:意见|看法|体会|要求)")
        .expect("static regex")
});

static EN_ANNOUNCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(two|three|four|five|six|seven|eight|nine|ten) (?:things|points|priorities|areas|goals|tasks|challenges|steps|parts|topics|subjects)\b")
        .expect("static regex")
});

static SALUTATION_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    let zh = salutations::alternation(Lang::Zh, &[Kind::Vocative, Kind::Opener]);
    let en = salutations::alternation(Lang::En, &[Kind::Title, Kind::Vocative, Kind::Label]);
    Regex::new(&format!(r"^(?:{zh}|{en})")).expect("static regex built from the salutation table")
});

/// Builds the section tree of `text`.
pub(super) fn build(
    text: &str,
    heading_starts: &[usize],
    lang: Lang,
) -> (Vec<Section>, Vec<Warning>) {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut pos = 0;
    for line in text.split('\n') {
        if !line.trim().is_empty() {
            lines.push((pos, line));
        }
        pos += line.len() + 1;
    }
    // Notes after the speech (`名词解释` and its numbered entries) are kept
    // apart, so that their numbering does not nest under the last part.
    let notes_at = lines
        .iter()
        .position(|(start, l)| *start * 2 > text.len() && NOTES_HEADING.is_match(l.trim()));
    let notes_lines: Vec<(usize, &str)> = notes_at.map(|i| lines.split_off(i)).unwrap_or_default();
    let mut markers: Vec<Option<Marker>> = lines
        .iter()
        .enumerate()
        .map(|(i, (start, line))| {
            line_marker(line).filter(|m| !m.kind.is_point()).or_else(|| {
                let next = lines.get(i + 1).map(|l| l.1);
                (heading_starts.contains(start)
                    || (lang == Lang::En && is_en_heading_line(line, next)))
                .then(|| Marker {
                    kind: MarkerKind::Unnumbered,
                    number: 0,
                    label: String::new(),
                    len: 0,
                })
            })
        })
        .collect();
    validate_runs(&mut markers, |k| k.is_heading() || k.is_opener(), true);
    join_cut_headings(text, &mut lines, &mut markers);
    let numbered = markers
        .iter()
        .flatten()
        .any(|m| m.kind != MarkerKind::Unnumbered || heading_starts.len() > 1);
    if !numbered {
        markers.iter_mut().for_each(|m| *m = None);
    }

    let mut nodes: Vec<Node> = Vec::new();
    let mut top: Vec<usize> = Vec::new();
    let mut stack: Vec<(MarkerKind, usize)> = Vec::new();
    for ((start, line), marker) in lines.iter().zip(markers) {
        match marker {
            Some(m) => {
                if let Some(p) = stack.iter().position(|(k, _)| *k == m.kind) {
                    stack.truncate(p);
                }
                let mut node = Node::new(SectionKind::Part);
                if m.kind != MarkerKind::Unnumbered {
                    node.label = Some(m.label.clone());
                }
                let rest_para = fill_heading(&mut node, line, *start, &m);
                let idx = nodes.len();
                nodes.push(node);
                if let Some(p) = rest_para {
                    nodes[idx].paragraphs.push(p);
                }
                match stack.last() {
                    Some(&(_, parent)) => nodes[parent].children.push(idx),
                    None => top.push(idx),
                }
                stack.push((m.kind, idx));
            }
            None => {
                let para = paragraph(line, *start);
                let Some(para) = para else { continue };
                match stack.last() {
                    Some(&(_, cur)) => nodes[cur].paragraphs.push(para),
                    None => {
                        if top.first().is_none_or(|&t| nodes[t].kind != SectionKind::Opening) {
                            top.insert(0, nodes.len());
                            nodes.push(Node::new(SectionKind::Opening));
                        }
                        nodes[top[0]].paragraphs.push(para);
                    }
                }
            }
        }
    }

    let mut warnings = Vec::new();
    if !numbered {
        // No numbering: an optional salutation opening, then groups by topic.
        let mut paras: Vec<Paragraph> =
            top.first().map(|&t| std::mem::take(&mut nodes[t].paragraphs)).unwrap_or_default();
        nodes.clear();
        top.clear();
        if paras.len() > 1 && is_salutation_paragraph(text, &paras[0]) {
            let mut opening = Node::new(SectionKind::Opening);
            opening.paragraphs.push(paras.remove(0));
            top.push(nodes.len());
            nodes.push(opening);
        }
        let closing = split_closing(&mut paras, text);
        for group in group_by_topic(paras, text, lang) {
            let mut node = Node::new(SectionKind::Group);
            node.paragraphs = group;
            top.push(nodes.len());
            nodes.push(node);
        }
        if let Some(c) = closing {
            top.push(nodes.len());
            nodes.push(c);
        }
        if !text.trim().is_empty() {
            warnings.push(Warning::NoNumbering {
                message: match lang {
                    Lang::Zh => "未发现序号或小标题：按段落主题分组".to_owned(),
                    Lang::En => "no numbering or headings found: sections are groups of paragraphs"
                        .to_owned(),
                },
            });
        }
    } else if let Some(&last_top) = top.last() {
        // The closing appeal sits in the deepest last section; lift it out.
        let mut cur = last_top;
        while let Some(&c) = nodes[cur].children.last() {
            cur = c;
        }
        if nodes[cur].kind != SectionKind::Opening && nodes[cur].paragraphs.len() > 1 {
            let mut paras = std::mem::take(&mut nodes[cur].paragraphs);
            let closing = split_closing(&mut paras, text);
            nodes[cur].paragraphs = paras;
            if let Some(c) = closing {
                top.push(nodes.len());
                nodes.push(c);
            }
        }
    }

    if let Some(((hstart, hline), rest)) = notes_lines.split_first() {
        let mut node = Node::new(SectionKind::Notes);
        node.heading = Some(strip_end_punct(hline.trim()).to_owned());
        node.heading_span = Some(Span { start: *hstart, end: hstart + hline.trim_end().len() });
        node.paragraphs = rest.iter().filter_map(|(s, l)| paragraph(l, *s)).collect();
        top.push(nodes.len());
        nodes.push(node);
    }

    let mut sections: Vec<Section> = Vec::with_capacity(top.len());
    let mut part_no = 0;
    for &t in &top {
        let id = if nodes[t].kind == SectionKind::Opening {
            "0".to_owned()
        } else {
            part_no += 1;
            part_no.to_string()
        };
        sections.push(to_section(&mut nodes, t, id, 1));
    }
    if let Some(w) = announced_check(&sections, text, lang) {
        warnings.push(w);
    }
    (sections, warnings)
}

/// The shape of a short English heading line: few words, no closing
/// punctuation, mostly capitalised, followed by a longer paragraph.
fn is_en_heading_line(line: &str, next: Option<&str>) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 10 || line.len() > 80 {
        return false;
    }
    if line.ends_with(['.', ',', ';', ':', '!', '?', '"', '”', '-']) {
        return false;
    }
    let small = ["a", "an", "the", "of", "and", "or", "for", "to", "in", "on", "at", "by", "with"];
    let content: Vec<&&str> =
        words.iter().filter(|w| !small.contains(&w.to_ascii_lowercase().as_str())).collect();
    let capitalised = content
        .iter()
        .filter(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
        .count();
    !content.is_empty()
        && capitalised == content.len()
        && next.is_some_and(|n| n.len() > 2 * line.len() && n.len() > 120)
}

/// Marks as `None` the markers that do not form a real sequence: a kind must
/// start at 1 and count up; kinds with `min_run` 2 need at least two. Opener
/// runs end at the next heading marker.
fn validate_runs(
    markers: &mut [Option<Marker>],
    eligible: impl Fn(MarkerKind) -> bool,
    openers_close: bool,
) {
    struct Run {
        kind: MarkerKind,
        idxs: Vec<usize>,
        next: u32,
    }
    fn close(run: Run, markers: &mut [Option<Marker>]) {
        if run.idxs.len() < run.kind.min_run() {
            for i in run.idxs {
                markers[i] = None;
            }
        }
    }
    let mut open: Vec<Run> = Vec::new();
    for i in 0..markers.len() {
        let Some(m) = markers[i].as_ref() else { continue };
        if !eligible(m.kind) {
            markers[i] = None;
            continue;
        }
        let (kind, number) = (m.kind, m.number);
        if kind == MarkerKind::Unnumbered {
            continue;
        }
        if openers_close && kind.is_heading() {
            let (openers, rest): (Vec<Run>, Vec<Run>) =
                open.drain(..).partition(|r| r.kind.is_opener());
            open = rest;
            for r in openers {
                close(r, markers);
            }
        }
        let existing = open.iter().position(|r| r.kind == kind);
        if number == 1 {
            if let Some(p) = existing {
                let r = open.remove(p);
                close(r, markers);
            }
            open.push(Run { kind, idxs: vec![i], next: 2 });
        } else if let Some(p) = existing {
            if number == open[p].next {
                open[p].idxs.push(i);
                open[p].next += 1;
            } else if number == 0 && open[p].idxs.len() >= 2 {
                let mut r = open.remove(p);
                r.idxs.push(i);
                close(r, markers);
            } else {
                markers[i] = None;
            }
        } else {
            markers[i] = None;
        }
    }
    for r in open {
        close(r, markers);
    }
}

fn sentences_of(line: &str, base: usize) -> Vec<Sentence> {
    split(line, base)
        .into_iter()
        .map(|span| Sentence { text: line[span.start - base..span.end - base].to_owned(), span })
        .collect()
}

fn paragraph(line: &str, start: usize) -> Option<Paragraph> {
    let sentences = sentences_of(line, start);
    let first = sentences.first()?.span.start;
    let last = sentences.last()?.span.end;
    Some(Paragraph { span: Span { start: first, end: last }, sentences })
}

fn strip_end_punct(s: &str) -> &str {
    s.trim_end_matches(['。', '.', '！', '!', '？', '?', '；', ';', '：', ':', '，', ',', ' '])
}

/// True when `rest` (a heading line after its marker) ends a sentence.
fn ends_sentence(rest: &str) -> bool {
    rest.trim_end().ends_with(['。', '！', '？', '.', '!', '?', '；', ';'])
}

/// A numbered heading cut in two by the page it was scraped from
/// (`（二）坚持不懈用` / `新时代中国特色社会主义思想凝心铸魂。用党的…`: a link or
/// bold run inside the heading became its own line). Recognised by its
/// siblings: where most headings of the same kind are run-in (`（三）完善…体系。坚持…`,
/// the heading a sentence that ends on its own line), one that stops on its
/// line without ending a sentence, followed by an unmarked line, is joined
/// with that line. Headings that stand alone on their lines (a report's
/// `一、…` parts) are never joined: there a bare heading line is the norm.
fn join_cut_headings<'t>(
    text: &'t str,
    lines: &mut Vec<(usize, &'t str)>,
    markers: &mut Vec<Option<Marker>>,
) {
    let run_in = |line: &str, m: &Marker| {
        let rest = line.get(m.len..).unwrap_or("").trim();
        sentences_of(rest, 0).len() > 1
    };
    let mut i = 0;
    while i + 1 < lines.len() {
        let cut = markers[i].as_ref().filter(|m| {
            m.kind.is_heading() && m.kind != MarkerKind::Unnumbered && {
                let rest = lines[i].1.get(m.len..).unwrap_or("").trim();
                !rest.is_empty() && !ends_sentence(rest) && sentences_of(rest, 0).len() == 1
            }
        });
        if let Some(m) = cut
            && markers[i + 1].is_none()
        {
            let kind = m.kind;
            let (mut same, mut inline) = (0usize, 0usize);
            for (l, mm) in lines.iter().zip(markers.iter()) {
                if let Some(mm) = mm.as_ref().filter(|mm| mm.kind == kind) {
                    same += 1;
                    inline += usize::from(run_in(l.1, mm));
                }
            }
            if same >= 3 && inline * 2 > same {
                let (start, _) = lines[i];
                let (next_start, next) = lines[i + 1];
                let end = next_start + next.len();
                lines[i] = (start, &text[start..end]);
                lines.remove(i + 1);
                markers.remove(i + 1);
            }
        }
        i += 1;
    }
}

/// A heading as a reader sees it: a line break that a scrape left inside it
/// is closed up (between Chinese characters) or becomes one space.
fn close_up(h: &str) -> String {
    if !h.contains('\n') {
        return h.to_owned();
    }
    let mut out = String::with_capacity(h.len());
    for (i, part) in h.split('\n').map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        let cjk_join = out.chars().last().is_some_and(crate::text::script::is_cjk_or_fullwidth)
            || part.chars().next().is_some_and(crate::text::script::is_cjk_or_fullwidth);
        if i > 0 && !cjk_join {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Fills the heading of `node` from its marker line and returns the rest of
/// the line as a paragraph.
fn fill_heading(node: &mut Node, line: &str, start: usize, m: &Marker) -> Option<Paragraph> {
    let rest_off = m.len + (line[m.len..].len() - line[m.len..].trim_start().len());
    let rest = &line[rest_off..];
    let sents = sentences_of(rest, start + rest_off);
    let whole_line = m.kind.is_heading() && sents.len() <= 1;
    if whole_line || sents.is_empty() {
        let h = strip_end_punct(rest.trim());
        node.heading = (!h.is_empty()).then(|| close_up(h));
        node.heading_span = Some(Span { start, end: start + line.trim_end().len() });
        return None;
    }
    let first = &sents[0];
    node.heading = Some(close_up(strip_end_punct(&first.text))).filter(|h| !h.is_empty());
    node.heading_span = Some(Span { start, end: first.span.end });
    let rest_sents: Vec<Sentence> = sents[1..].to_vec();
    let s = rest_sents.first()?.span.start;
    let e = rest_sents.last()?.span.end;
    Some(Paragraph { span: Span { start: s, end: e }, sentences: rest_sents })
}

fn is_salutation_paragraph(text: &str, p: &Paragraph) -> bool {
    let t = &text[p.span.start..p.span.end];
    SALUTATION_ONLY.is_match(t) && (t.ends_with(['：', ':']) || t.chars().count() <= 30)
}

/// Takes a closing appeal (at most the last two paragraphs, each opening
/// with a vocative or a thank-you) off the end of `paras`.
fn split_closing(paras: &mut Vec<Paragraph>, text: &str) -> Option<Node> {
    let n = paras.len();
    let mut from = n;
    while from > 0
        && n - from < 2
        && CLOSING_START.is_match(&text[paras[from - 1].span.start..paras[from - 1].span.end])
    {
        from -= 1;
    }
    if from == n || from == 0 {
        return None;
    }
    let mut node = Node::new(SectionKind::Closing);
    node.paragraphs = paras.split_off(from);
    Some(node)
}

fn to_section(nodes: &mut [Node], idx: usize, id: String, level: usize) -> Section {
    let children_idx = std::mem::take(&mut nodes[idx].children);
    let children: Vec<Section> = children_idx
        .iter()
        .enumerate()
        .map(|(i, &c)| to_section(nodes, c, format!("{id}.{}", i + 1), level + 1))
        .collect();
    let node = &mut nodes[idx];
    let paragraphs = std::mem::take(&mut node.paragraphs);
    let points = find_points(&paragraphs);
    Section {
        id,
        kind: node.kind,
        label: node.label.take(),
        heading: node.heading.take(),
        heading_span: node.heading_span.take(),
        level,
        paragraphs,
        points,
        children,
    }
}

/// Enumerated points in a section's paragraphs: each sentence that opens with
/// a point marker (or has one right after a colon), kept when its kind forms a
/// sequence from 1.
fn find_points(paragraphs: &[Paragraph]) -> Vec<Point> {
    let mut found: Vec<(usize, usize, usize, Marker)> = Vec::new(); // (para, sentence, byte offset in sentence, marker)
    // `——` paragraphs are numbered by their place in a series of consecutive ones.
    let mut dash_series: Option<(usize, u32)> = None; // (last paragraph, its number)
    for (pi, p) in paragraphs.iter().enumerate() {
        if let Some(first) = p.sentences.first()
            && let Some(len) = dash_marker_len(&first.text)
        {
            let number = match dash_series {
                Some((last, n)) if last + 1 == pi => n + 1,
                _ => 1,
            };
            dash_series = Some((pi, number));
            let label = "——".to_owned();
            found.push((pi, 0, 0, Marker { kind: MarkerKind::ZhDash, number, label, len }));
            continue;
        }
        for (si, s) in p.sentences.iter().enumerate() {
            let t = s.text.as_str();
            let m = point_marker(t)
                .or_else(|| line_marker(t).filter(|m| m.kind == MarkerKind::EnOrdinal));
            if let Some(m) = m {
                found.push((pi, si, 0, m));
            } else if let Some(colon) = t.find(['：', ':']) {
                let off = colon + t[colon..].chars().next().map_or(1, char::len_utf8);
                if let Some(m) = point_marker(&t[off..]) {
                    found.push((pi, si, off, m));
                }
            }
        }
    }
    let mut markers: Vec<Option<Marker>> = found.iter().map(|f| Some(f.3.clone())).collect();
    validate_runs(&mut markers, MarkerKind::is_point, false);
    found
        .into_iter()
        .zip(markers)
        .filter_map(|((pi, si, off, _), m)| {
            let m = m?;
            let s = &paragraphs[pi].sentences[si];
            let body_start = off + m.len;
            let body = s.text.get(body_start..)?;
            let mut lead = strip_end_punct(body.trim_start_matches(['，', ',', ' ']));
            if lead.chars().count() > 60
                && let Some(c) = lead.find(['，', ',', '；'])
                && lead[..c].chars().count() >= 4
            {
                lead = &lead[..c];
            }
            let lead_off = s.text.len() - body.len()
                + (body.len() - body.trim_start_matches(['，', ',', ' ']).len());
            let start = s.span.start + lead_off;
            Some(Point {
                label: m.label,
                number: m.number,
                lead: lead.to_owned(),
                span: Span { start, end: start + lead.len() },
                paragraph: pi,
                sentence: si,
            })
        })
        .collect()
}

fn bag(text: &str, lang: Lang) -> HashMap<String, f64> {
    let mut bag: HashMap<String, f64> = HashMap::new();
    match lang {
        Lang::Zh => {
            let cs: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
            for w in cs.windows(2) {
                *bag.entry(w.iter().collect()).or_default() += 1.0;
            }
        }
        Lang::En => {
            for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 4) {
                *bag.entry(w.to_lowercase()).or_default() += 1.0;
            }
        }
    }
    bag
}

fn cosine(a: &HashMap<String, f64>, b: &HashMap<String, f64>) -> f64 {
    let dot: f64 = a.iter().filter_map(|(k, v)| b.get(k).map(|w| v * w)).sum();
    let na: f64 = a.values().map(|v| v * v).sum::<f64>().sqrt();
    let nb: f64 = b.values().map(|v| v * v).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na * nb) }
}

/// Groups paragraphs of an unnumbered speech into sections, cutting at the
/// weakest lexical links between neighbouring windows of paragraphs (the idea
/// of TextTiling, kept small): about one section per five paragraphs, never a
/// section of a single paragraph when it can be avoided.
fn group_by_topic(paras: Vec<Paragraph>, text: &str, lang: Lang) -> Vec<Vec<Paragraph>> {
    let n = paras.len();
    if n < 6 {
        return if n == 0 { Vec::new() } else { vec![paras] };
    }
    let target = (n / 5).clamp(2, 10);
    let bags: Vec<HashMap<String, f64>> =
        paras.iter().map(|p| bag(&text[p.span.start..p.span.end], lang)).collect();
    let window = |from: usize, to: usize| {
        let mut acc: HashMap<String, f64> = HashMap::new();
        for b in &bags[from..to] {
            for (k, v) in b {
                *acc.entry(k.clone()).or_default() += v;
            }
        }
        acc
    };
    // Gap g lies between paragraphs g-1 and g.
    let mut gaps: Vec<(f64, usize)> = (2..n - 1)
        .map(|g| (cosine(&window(g.saturating_sub(2), g), &window(g, (g + 2).min(n))), g))
        .collect();
    gaps.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut cuts: Vec<usize> = Vec::new();
    for (_, g) in gaps {
        if cuts.len() + 1 >= target {
            break;
        }
        if cuts.iter().all(|&c| c.abs_diff(g) >= 2) {
            cuts.push(g);
        }
    }
    cuts.sort_unstable();
    let mut groups = Vec::new();
    let mut rest = paras;
    for &c in cuts.iter().rev() {
        groups.push(rest.split_off(c));
    }
    groups.push(rest);
    groups.reverse();
    groups
}

fn announced_check(sections: &[Section], text: &str, lang: Lang) -> Option<Warning> {
    let opening = sections.iter().find(|s| s.kind == SectionKind::Opening)?;
    let found = sections.iter().filter(|s| s.kind == SectionKind::Part).count() as u32;
    if found == 0 {
        return None;
    }
    let body: String = opening
        .paragraphs
        .iter()
        .map(|p| &text[p.span.start..p.span.end])
        .collect::<Vec<_>>()
        .join("\n");
    let announced = match lang {
        Lang::Zh => {
            let c = ZH_ANNOUNCED.captures_iter(&body).last()?;
            zh_number(c.get(1).or(c.get(2))?.as_str())?
        }
        Lang::En => {
            let c = EN_ANNOUNCED.captures_iter(&body).last()?;
            let words = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
            words.iter().position(|w| w.eq_ignore_ascii_case(&c[1]))? as u32 + 2
        }
    };
    (announced != found).then(|| Warning::AnnouncedPartsMismatch {
        announced,
        found,
        message: match lang {
            Lang::Zh => format!("讲话宣布{announced}个部分，实际只找到{found}个：原文可能不完整"),
            Lang::En => format!("the speech announces {announced} parts but {found} were found: the text may be incomplete"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline_of(text: &str, lang: Lang) -> (Vec<Section>, Vec<Warning>) {
        build(text, &[], lang)
    }

    #[test]
    fn numbered_parts_nest() {
        let text = "各位代表：\n现在，我代表政府报告工作。\n一、过去一年的工作\n（一）经济稳中有进。\n全年增长5%。\n（二）民生持续改善。\n就业稳定。\n二、今年的任务\n一是稳增长。二是促改革。\n各位代表！让我们团结奋斗！";
        let (s, w) = outline_of(text, Lang::Zh);
        let ids: Vec<(&str, SectionKind)> = s.iter().map(|x| (x.id.as_str(), x.kind)).collect();
        assert_eq!(
            ids,
            [
                ("0", SectionKind::Opening),
                ("1", SectionKind::Part),
                ("2", SectionKind::Part),
                ("3", SectionKind::Closing)
            ]
        );
        assert_eq!(s[1].heading.as_deref(), Some("过去一年的工作"));
        assert_eq!(s[1].children.len(), 2);
        assert_eq!(s[1].children[1].id, "1.2");
        assert_eq!(s[1].children[1].label.as_deref(), Some("（二）"));
        assert_eq!(s[1].children[1].heading.as_deref(), Some("民生持续改善"));
        let leads: Vec<&str> = s[2].points.iter().map(|p| p.lead.as_str()).collect();
        assert_eq!(leads, ["稳增长", "促改革"]);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn announced_mismatch_warns() {
        let text = "同志们：\n下面，我讲三点意见。\n一、第一部分\n内容。\n二、第二部分\n内容。";
        let (_, w) = outline_of(text, Lang::Zh);
        assert!(
            matches!(
                w.as_slice(),
                [Warning::AnnouncedPartsMismatch { announced: 3, found: 2, .. }]
            ),
            "{w:?}"
        );
    }

    #[test]
    fn a_heading_cut_in_two_by_the_page_is_joined_when_its_siblings_run_in() {
        let text = "一、党的建设\n（一）坚持和加强党中央集中统一领导。党的领导是全面的。\n\n（二）坚持不懈用\n\n\n新时代中国特色社会主义思想凝心铸魂。用党的创新理论武装全党。\n（三）完善党的自我革命制度规范体系。坚持制度治党。\n（四）建设高素质干部队伍。干部是事业的骨干。";
        let (sections, _) = outline_of(text, Lang::Zh);
        let kids = &sections[0].children;
        assert_eq!(kids.len(), 4);
        assert_eq!(
            kids[1].heading.as_deref(),
            Some("坚持不懈用新时代中国特色社会主义思想凝心铸魂")
        );
        assert_eq!(kids[1].paragraphs[0].sentences[0].text, "用党的创新理论武装全党。");
        // Bare heading lines are the norm here: nothing is joined.
        let text = "（一）构建高水平社会主义市场经济体制\n坚持和完善社会主义基本经济制度。\n（二）建设现代化产业体系\n坚持把发展经济的着力点放在实体经济上。\n（三）全面推进乡村振兴\n全面建设社会主义现代化国家。";
        let (sections, _) = outline_of(text, Lang::Zh);
        assert_eq!(sections[0].heading.as_deref(), Some("构建高水平社会主义市场经济体制"));
        assert_eq!(sections.len(), 3);
    }

    #[test]
    fn a_series_of_dash_paragraphs_is_a_run_of_points() {
        let text = "二、开辟马克思主义中国化时代化新境界\n我们要用好这些方法。\n——必须坚持人民至上。人民性是马克思主义的本质属性。\n——必须坚持自信自立。中国的问题必须从中国基本国情出发。\n——必须坚持守正创新。守正才能不迷失方向。\n这些都是根本要求。\n——毛泽东";
        let (sections, _) = outline_of(text, Lang::Zh);
        let pts = &sections[0].points;
        let leads: Vec<&str> = pts.iter().map(|p| p.lead.as_str()).collect();
        assert_eq!(leads, ["必须坚持人民至上", "必须坚持自信自立", "必须坚持守正创新"]);
        assert_eq!(pts.iter().map(|p| p.number).collect::<Vec<_>>(), [1, 2, 3]);
        assert!(pts.iter().all(|p| p.label == "——"));
        // A lone dash paragraph (an attribution) is no run.
        let (sections, _) =
            outline_of("一、总结\n我们说过。\n——必须坚持人民至上。这很重要。\n别的话。", Lang::Zh);
        assert!(sections[0].points.is_empty());
    }

    #[test]
    fn lone_ordinal_is_not_a_section() {
        let text = "同志们：\n第一，这是唯一的一段。\n没有第二。";
        let (s, _) = outline_of(text, Lang::Zh);
        assert!(s.iter().all(|x| x.kind != SectionKind::Part), "{s:?}");
    }

    #[test]
    fn unnumbered_english_is_grouped() {
        let mut text = String::from("Mr. Speaker, members of Congress:\n");
        for i in 0..12 {
            let topic = if i < 6 {
                "economy jobs growth taxes"
            } else {
                "security defense military troops"
            };
            text.push_str(&format!("Paragraph {i} talks about {topic} again and again.\n"));
        }
        text.push_str("Thank you. God bless America.");
        let (s, w) = outline_of(&text, Lang::En);
        assert_eq!(s.first().map(|x| x.kind), Some(SectionKind::Opening));
        assert_eq!(s.last().map(|x| x.kind), Some(SectionKind::Closing));
        let groups: Vec<usize> =
            s.iter().filter(|x| x.kind == SectionKind::Group).map(|x| x.paragraphs.len()).collect();
        assert_eq!(groups, [6, 6]);
        assert!(matches!(w.as_slice(), [Warning::NoNumbering { .. }]));
    }
}
