//! Scraped text → the speech alone: whitespace normalised, page furniture
//! removed (counters, publish lines, toolbars, share bars, breadcrumbs,
//! related-article tails, a duplicated tail), header lines turned into
//! metadata (title, subtitle with occasion and date, speaker line).
//!
//! No crate knows the furniture of Chinese government and news pages, so the
//! rules are ours: a table of whole-line patterns, a set of tail markers after
//! which nothing belongs to the speech, and a small classifier for the lines
//! before the salutation (`同志们：`, `各位代表：`, `Mr. Speaker, …`).

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Lang, Removed};
use crate::text::is_han;
use crate::text::salutations::{self, Kind};

/// What cleaning found out about the speech while removing lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Cleaned {
    /// The clean text: one paragraph per line, `\n` between lines, no blank lines.
    pub text: String,
    /// Byte offsets (into `text`) of lines that were headings in the source markup.
    pub heading_starts: Vec<usize>,
    /// The headline, when the text carried one.
    pub title: Option<String>,
    /// The delivery date (`YYYY-MM-DD`), from a subtitle, a parenthesised date or a date line.
    pub date: Option<String>,
    /// The publication date (`YYYY-MM-DD`), from `发布时间`, `时间：` and similar lines.
    pub published: Option<String>,
    /// The speaker, when a header line or the title names one.
    pub speaker: Option<String>,
    /// The meeting or occasion, when stated.
    pub occasion: Option<String>,
    /// The news source (`来源：…`), when stated.
    pub outlet: Option<String>,
    /// Lines removed as page furniture or read as header metadata, in
    /// order, each with the rule that removed it (`outline --removed`).
    pub removed: Vec<Removed>,
}

impl Cleaned {
    fn drop(&mut self, rule: &'static str, line: &Line) {
        self.removed.push(Removed {
            rule: rule.to_owned(),
            text: line.text.clone(),
            span: [line.no, line.no],
        });
    }

    fn drop_text(&mut self, rule: &'static str, text: &str, no: usize) {
        self.removed.push(Removed { rule: rule.to_owned(), text: text.to_owned(), span: [no, no] });
    }
}

/// Input lines with a flag saying whether the markup marked them as headings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// The line's text.
    pub text: String,
    /// True when the source markup made this line a heading (`<h2>`, `## …`).
    pub is_heading: bool,
    /// How many of the line's characters were link text (0 for plain text).
    pub link_chars: usize,
    /// True for a table row made a sentence (exempt from the separator rule).
    pub is_table: bool,
    /// Where the line starts in the extracted text, 1-based (for `outline --removed`).
    pub no: usize,
}

impl Line {
    /// A line of plain text.
    pub(crate) fn plain(text: String, no: usize) -> Line {
        Line { text, is_heading: false, link_chars: 0, is_table: false, no }
    }
}

/// Splits raw text into normalised lines: BOM and zero-width characters
/// dropped, CR/CRLF folded, full-width and no-break spaces turned into spaces,
/// runs of spaces collapsed, lines trimmed, blank lines dropped.
pub(crate) fn lines_of(raw: &str) -> Vec<Line> {
    let normalised: Vec<String> = raw.lines().map(normalise_line).collect();
    let unwrap = is_hard_wrapped(&normalised);
    let mut out: Vec<Line> = Vec::new();
    let mut previous_blank = true;
    for (i, text) in normalised.into_iter().enumerate() {
        if text.is_empty() {
            previous_blank = true;
            continue;
        }
        // The title on the first line is never joined to the next paragraph.
        let after_title = out.len() == 1 && out[0].no == 1 && is_title_like(&out[0].text);
        match out.last_mut() {
            // A hard-wrapped paragraph continues until a blank line.
            Some(last) if unwrap && !previous_blank && !after_title => {
                let glue = last.text.ends_with(is_han) && text.starts_with(is_han);
                if !glue {
                    last.text.push(' ');
                }
                last.text.push_str(&text);
            }
            _ => out.push(Line::plain(text, i + 1)),
        }
        previous_blank = false;
    }
    out
}

/// True for a line that reads as a headline: no sentence punctuation at
/// its end, and in Latin script every word of four letters or more
/// capitalised (`Remarks at the Harbor City Infrastructure Summit`).
fn is_title_like(t: &str) -> bool {
    if t.ends_with(['.', '!', '?', ',', ';', ':', '。', '，', '；', '：', '！', '？']) {
        return false;
    }
    if t.chars().any(is_han) {
        return !t.contains(['，', '。']) && t.chars().count() <= 60;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 20
        && words
            .iter()
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic()))
}

/// True for text wrapped at a fixed width, paragraphs separated by blank
/// lines: most lines inside paragraphs stop mid-sentence and none is long.
fn is_hard_wrapped(lines: &[String]) -> bool {
    let (mut inner, mut open, mut open_chars, mut long, mut blocks) =
        (0usize, 0usize, 0usize, false, 0usize);
    for (i, l) in lines.iter().enumerate() {
        if !l.is_empty() && i.checked_sub(1).is_none_or(|p| lines[p].is_empty()) {
            blocks += 1;
        }
        let next_in_block = lines.get(i + 1).is_some_and(|n| !n.is_empty());
        if l.is_empty() || !next_in_block {
            continue;
        }
        inner += 1;
        let n = l.chars().count();
        long |= n > 120;
        if !l.ends_with([
            '.', '!', '?', '。', '！', '？', '；', ':', '：', '"', '”', '」', ')', '）',
        ]) {
            open += 1;
            open_chars += n;
        }
    }
    // Paragraphs separated by blank lines, most lines inside them cut
    // mid-sentence at a similar, fairly long width.
    blocks >= 3 && inner >= 5 && !long && open * 2 >= inner && open_chars >= 30 * open
}

/// Normalises the whitespace of one line (see [`lines_of`]) and removes
/// stage directions such as `(Applause.)`.
pub(crate) fn normalise_line(line: &str) -> String {
    let mut s = String::with_capacity(line.len());
    let mut pending_space = false;
    for c in line.chars() {
        match c {
            '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' => {}
            ' ' | '\t' | '\u{3000}' | '\u{00A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}'
            | '\u{202F}' | '\u{0B}' | '\u{0C}' => pending_space = true,
            c if c.is_control() => {}
            c => {
                if pending_space && !s.is_empty() {
                    s.push(' ');
                }
                pending_space = false;
                s.push(c);
            }
        }
    }
    if s.contains('(') || s.contains('[') {
        let stripped = STAGE_DIRECTION.replace_all(&s, "");
        if stripped.len() != s.len() {
            // `rights -- (Applause.) -- to give` leaves `-- --`: one dash pair.
            return DASH_PAIRS.replace_all(stripped.trim(), " --").into_owned();
        }
    }
    s
}

static DASH_PAIRS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\s+--)+\s+--").expect("static regex"));

static STAGE_DIRECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[\(\[](?:applause|laughter|cheers|laughter and applause|applause and laughter|inaudible|crosstalk)\.?[\)\]]")
        .expect("static regex")
});

/// Whole lines that are page furniture wherever they appear, by rule name
/// (`data/furniture.tsv`).
static FURNITURE: LazyLock<(regex::RegexSet, Vec<&'static str>)> = LazyLock::new(|| {
    let mut names = Vec::new();
    let mut patterns = Vec::new();
    for row in include_str!("data/furniture.tsv").lines() {
        if row.starts_with('#') || row.trim().is_empty() {
            continue;
        }
        let (name, re) = row.split_once('\t').expect("furniture.tsv: rule<TAB>regex");
        names.push(name);
        patterns.push(format!("^(?:{re})$"));
    }
    (regex::RegexSet::new(patterns).expect("furniture.tsv regexes"), names)
});

/// `责任编辑：` with no name after it (the name is on the next line).
static EMPTY_EDITOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]?\s*(?:责任编辑|编辑|责编|编审|审核|校对)\s*[:：]\s*[)）]?$")
        .expect("static regex")
});

/// A bare Chinese name (the editor's, on the line after `责任编辑：`).
static BARE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[\p{Han}·](?:\s?[\p{Han}·]){1,4}(?:\s+[\p{Han}·](?:\s?[\p{Han}·]){1,4}){0,2}[)）]?$",
    )
    .expect("static regex")
});

/// An editor's bracketed note about the text, as transcripts print them:
/// `[At this point the following paragraph … was omitted in the reading:`,
/// `[The President spoke in Spanish.]`.
static EDITOR_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\[(?:[^\[\]]*\b(?:at this point|paragraph|omitted|in the reading|as delivered|as prepared|transcript|text of|editor'?s? note|the president (?:spoke|paused|departed)|speaking in|translation|inaudible|begin|end of)\b[^\[\]]*)(?:\]|:)$")
        .expect("static regex")
});

/// A transcript's speaker label: `THE PRESIDENT:`, `MR. SMITH:`, `Q:`
/// (capitals, at most four words, at the start of a line).
static SPEAKER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:THE PRESIDENT|THE VICE PRESIDENT|THE FIRST LADY|AUDIENCE(?: MEMBER)?|Q|(?:MR|MRS|MS|DR|SENATOR|SECRETARY|GOVERNOR|MAYOR)\.?\s+[A-Z][A-Z'-]+|PRESIDENT\s+[A-Z][A-Z'-]+)\s*:\s*")
        .expect("static regex")
});

/// `-- --` residue at the end of a line (what a table of dashes leaves).
static DASH_RESIDUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\s+-{2,}){2,}\s*$").expect("static regex"));

/// The back-link marker that opens a reference: `5 ^`, `^ a b`, `↑`.
static CITATION_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,3}\.?\s+)?[\^↑](?:\s+[a-z]{1,2}\b)*\s+").expect("static regex")
});

/// A line short enough to be furniture when it recurs: at most 60
/// characters, not ending as a sentence ends.
fn is_repeatable(t: &str) -> bool {
    t.chars().count() <= 60 && !t.ends_with(['。', '！', '？', '.', '!', '?', '；', '”', '"'])
}

/// Separators of navigation and share bars: `|`, `·`, `>`, `»`, `/`.
fn is_separator(c: char) -> bool {
    matches!(c, '|' | '｜' | '·' | '•' | '>' | '»' | '›' | '＞' | '/' | '丨')
}

/// Furniture by the line's features rather than its words: a line of only
/// dashes or rules, a short line mostly of link text that does not read as
/// a sentence, a short line cut by separators into a few short items.
fn feature_rule(line: &Line) -> Option<&'static str> {
    let t = line.text.as_str();
    let chars = t.chars().count();
    if chars >= 2 && t.chars().all(|c| matches!(c, '-' | '–' | '—' | '_' | '=' | '*' | '~' | ' '))
    {
        return Some("dashes");
    }
    if line.is_table || line.is_heading || chars > 80 {
        return None;
    }
    let sentence = t.ends_with(['。', '！', '？', '.', '!', '?', '；', '”', '"', ':', '：']);
    if line.link_chars * 10 >= chars * 7 && !sentence {
        return Some("link-line");
    }
    let seps = t.chars().filter(|&c| is_separator(c)).count();
    if seps >= 2 && !sentence {
        let items: Vec<&str> =
            t.split(is_separator).map(str::trim).filter(|s| !s.is_empty()).collect();
        let short_items = items
            .iter()
            .filter(|s| s.split_whitespace().count() <= 4 && s.chars().count() <= 24)
            .count();
        if items.len() >= 2 && short_items * 4 >= items.len() * 3 {
            return Some("separators");
        }
    }
    None
}

/// Lines after which nothing belongs to the speech, when they occur in the
/// second half of the text.
static TAIL_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:相关(?:报道|文档|链接|附件|新闻|阅读|推荐)|责任编辑|扫一扫在手机|打印本页|【打印本页】|关闭窗口|",
        r"》》点击|>>点击|分享到|上一篇|下一篇|Share this|Back to top|Related (?:articles|stories|news))"
    ))
    .expect("static regex")
});

/// `发布时间：2025-10-29`, `时间：2026-02-02`, `2026-02-03 09:02:33`, `2026年02月10日 07时41分`.
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:(?:发布|发表|更新|日期|时间|发布日期|发稿时间|来源时间)[^:：]{0,4}\s*[:：]\s*)?",
        r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?",
        r"(?:\s*\d{1,2}\s*[:时]\s*\d{1,2}(?:\s*[:分]\s*\d{1,2})?\s*(?:秒)?\s*分?)?",
        r"(?:\s*(?:来源|作者)\s*[:：].*)?$"
    ))
    .expect("static regex")
});

/// `您的位置：` alone on a line, followed by one crumb per line.
static BREADCRUMB_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:您(?:的|当前)?(?:所在)?位置|当前位置)\s*[:：]?$").expect("static regex")
});

static OUTLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:来源|稿源|出处)\s*[:：]\s*(.{0,40})$").expect("static regex")
});

/// `（2022年10月16日）` and `(2026年3月5日)` on a line of their own.
static PAREN_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]$")
        .expect("static regex")
});

/// `March 6, 1991`, `September 20, 2001`, `6 March 1991`.
static EN_DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)(?:[A-Z][a-z]+day,\s*)?(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2}),?\s+(\d{4})\.?$")
        .expect("static regex")
});

/// A subtitle such as `——2026年1月25日在北京市第十六届人民代表大会第四次会议上`
/// or `——在中国共产党第二十次全国代表大会上的报告`.
static SUBTITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:——|—|--|－－|-)?\s*(?:[（(]?(\d{4})年(\d{1,2})月(\d{1,2})日[)）]?)?\s*",
        r"在(.{2,60}?)(?:上|开幕会上|闭幕会上)(?:的(?:讲话|报告|致辞|发言|主旨演讲|演讲))?$"
    ))
    .expect("static regex")
});

/// `XXX在…上的讲话` in a title.
static TITLE_SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:.*?[：:])?\s*([\p{Han}·]{2,12}?)(?:同志)?在(.{2,60}?)(?:上|开幕会上|闭幕会上)的(?:讲话|报告|致辞|发言|主旨演讲|演讲)")
        .expect("static regex")
});

/// `Remarks by President X at Y`.
static EN_REMARKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:remarks|address|speech|statement)\s+(?:by|of)\s+(.+?)\s+(?:at|to|before|on)\s+(?:the\s+)?(.+?)$")
        .expect("static regex")
});

/// The occasion an English title names: `ADDRESS BEFORE A JOINT SESSION OF
/// THE CONGRESS ON …` → `JOINT SESSION OF THE CONGRESS`, `… MESSAGE TO THE
/// CONGRESS ON …` → `CONGRESS`.
static EN_OCCASION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:address|message|remarks|speech|statement)\b(?:\s+(?:of|by)\s+the\s+president)?\s+(?:before|to|at)\s+(?:a\s+|an\s+|the\s+)?(.+?)(?:\s+(?:on|in|regarding|concerning|about)\s+.+)?$")
        .expect("static regex")
});

/// `… ADDRESS OF THE PRESIDENT TO …`.
static EN_OF_THE_PRESIDENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:address|message|remarks|speech|statement)\s+(?:of|by)\s+the\s+president\b",
    )
    .expect("static regex")
});

/// `PRESIDENT JOHN F. KENNEDY'S SPECIAL MESSAGE …`.
static EN_POSSESSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:president\s+)?([A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){1,3})['’]S\s")
        .expect("static regex")
});

/// The speaker line under a Chinese headline: `北京市市长 殷勇`, `省长 王予波`, `习近平`.
static SPEAKER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:[\p{Han}]{0,16}(?:长|书记|主任|总理|主席|部长|厅长|局长|委员|代表))\s+)?([\p{Han}·]{2,4})$")
        .expect("static regex")
});

/// Salutations that open the body of a speech.
static SALUTATION: LazyLock<Regex> = LazyLock::new(|| {
    let zh = salutations::alternation(Lang::Zh, &[Kind::Vocative, Kind::Opener]);
    let label = salutations::alternation(Lang::En, &[Kind::Label]);
    let title = salutations::alternation(Lang::En, &[Kind::Title]);
    let office = salutations::alternation(Lang::En, &[Kind::Office]);
    let en = salutations::alternation(Lang::En, &[Kind::Vocative]);
    Regex::new(&format!(
        r"^(?:(?:{zh})[^。！？]{{0,40}}[：:！!，,]|(?:{label})[.:]|(?:{title})\s+(?:{office})|(?:{en}))"
    ))
    .expect("static regex built from the salutation table")
});

static OCCASION_IN_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:召开|举行)(?:这次|今天的|本次|此次)?([\p{Han}“”]{2,40}?(?:会议|大会|座谈会|推进会|动员会|报告会)议?)")
        .expect("static regex")
});

static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:记者|摄影|通讯员)\s*[\p{Han}]{2,4}\s*摄$|新华社(?:记者)?.{0,10}摄$|^图为")
        .expect("static regex")
});

/// The rule under which `line` is page furniture on its own, if any.
pub(crate) fn furniture_rule(line: &str) -> Option<&'static str> {
    if line.chars().count() > 200 {
        return None;
    }
    let (set, names) = &*FURNITURE;
    set.matches(line).iter().next().map(|i| names[i])
}

/// True when `line` is page furniture on its own.
#[cfg(test)]
pub(crate) fn is_furniture(line: &str) -> bool {
    furniture_rule(line).is_some()
}

/// Cleans `lines` (already normalised) into the speech text and metadata.
/// `known_title` is a title found elsewhere (HTML `<title>`, `og:title`).
pub(crate) fn clean(lines: Vec<Line>, known_title: Option<&str>) -> Cleaned {
    let mut meta = Cleaned { title: known_title.map(str::to_owned), ..Cleaned::default() };

    // 1. Furniture lines anywhere (and the metadata they carry), toolbar blocks.
    let mut kept: Vec<Line> = Vec::with_capacity(lines.len());
    let mut in_toolbar = false;
    let mut breadcrumb_left = 0usize;
    let mut outlet_next = false;
    let mut editor_next = false;
    let mut close_note = false;
    // Where a tail marker (editor line, related links, print/close) stood,
    // as an index into `kept`: what follows one in the second half of the
    // text is the page's, not the speech's.
    let mut tail_marks: Vec<(usize, &'static str)> = Vec::new();
    // Short non-sentences that recur three times or more (a caption
    // credit under every photo, a promo repeated down the page).
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for l in &lines {
        if is_repeatable(&l.text) {
            *seen.entry(l.text.as_str()).or_default() += 1;
        }
    }
    let repeated: std::collections::HashSet<String> =
        seen.into_iter().filter(|&(_, n)| n >= 3).map(|(t, _)| t.to_owned()).collect();
    for mut line in lines {
        let t = line.text.as_str();
        let short = t.chars().count() <= 8 && !t.contains(['。', '，', '：', ':', '；']);
        if breadcrumb_left > 0 {
            breadcrumb_left -= 1;
            if short {
                meta.drop("breadcrumb", &line);
                continue;
            }
            breadcrumb_left = 0;
        }
        if outlet_next {
            outlet_next = false;
            if t.chars().count() <= 20 && !t.contains(['。', '，']) {
                meta.outlet = Some(t.to_owned());
                meta.drop("source-line", &line);
                continue;
            }
        }
        if editor_next {
            editor_next = false;
            if BARE_NAME.is_match(t) {
                meta.drop("editor-line", &line);
                continue;
            }
        }
        if BREADCRUMB_START.is_match(t) {
            breadcrumb_left = 8;
            meta.drop("breadcrumb", &line);
            continue;
        }
        if in_toolbar {
            if t.contains('】') || t.contains(']') {
                in_toolbar = false;
            }
            meta.drop("toolbar", &line);
            continue;
        }
        if (t.starts_with('【') && !t.contains('】') && t.chars().count() <= 8)
            || t == "【字号："
            || t == "【字体："
        {
            in_toolbar = true;
            meta.drop("toolbar", &line);
            continue;
        }
        if let Some(c) = OUTLET.captures(t) {
            let v = c[1].trim();
            if v.is_empty() {
                outlet_next = true;
            } else if meta.outlet.is_none() {
                meta.outlet = Some(v.to_owned());
            }
            meta.drop("source-line", &line);
            continue;
        }
        if let Some(c) = PUBLISHED.captures(t) {
            if meta.published.is_none() {
                meta.published = ymd(&c[1], &c[2], &c[3]);
            }
            meta.drop("date-line", &line);
            continue;
        }
        if let Some(rule) = furniture_rule(t).or_else(|| feature_rule(&line)) {
            if rule == "editor-line" && EMPTY_EDITOR.is_match(t) {
                editor_next = true;
            }
            if matches!(rule, "editor-line" | "related-heading" | "prev-next" | "qr-code")
                || TAIL_MARKER.is_match(t)
            {
                tail_marks.push((kept.len(), "related-tail"));
            }
            meta.drop(rule, &line);
            continue;
        }
        if repeated.contains(t) {
            meta.drop("repeated", &line);
            continue;
        }
        if EDITOR_NOTE.is_match(t) {
            // The note goes; the passage it introduces is the speaker's
            // text as published, and stays (its closing `]` goes).
            close_note = !t.ends_with(']');
            meta.drop("editor-note", &line);
            continue;
        }
        if close_note && t.ends_with(']') && !t.contains('[') {
            close_note = false;
            line.text.pop();
        }
        // A reference's back-link marker (`5 ^`, `^ a b`): the reference
        // stays, the marker goes.
        if let Some(m) = CITATION_MARK.find(&line.text) {
            meta.drop_text("citation-mark", m.as_str().trim(), line.no);
            line.text = line.text[m.end()..].to_owned();
            if line.text.is_empty() {
                continue;
            }
        }
        if let Some(m) = SPEAKER_LABEL.find(&line.text) {
            let label = m.as_str().trim().to_owned();
            meta.drop_text("speaker-label", &label, line.no);
            line.text = line.text[m.end()..].trim_start().to_owned();
            if line.text.is_empty() {
                continue;
            }
        }
        if let Some(m) = DASH_RESIDUE.find(&line.text) {
            meta.drop_text("dashes", m.as_str().trim(), line.no);
            let end = m.start();
            line.text.truncate(end);
        }
        kept.push(line);
    }

    // A lone opening bracket or quote is a line break the scraper put in the
    // wrong place (`（` / `三）改革开放…`): glue it to the next line.
    let mut i = 0;
    while i + 1 < kept.len() {
        if matches!(kept[i].text.as_str(), "（" | "(" | "“" | "【" | "《" | "[") {
            let opener = kept.remove(i).text;
            kept[i].text.insert_str(0, &opener);
        } else {
            i += 1;
        }
    }

    // 2. Tail: related articles, editor lines, print/close links and what follows them.
    let total: usize = kept.iter().map(|l| l.text.len()).sum();
    let mut acc = 0;
    let mut cut = None;
    for (i, line) in kept.iter().enumerate() {
        if acc * 2 >= total && TAIL_MARKER.is_match(&line.text) {
            cut = Some(i);
            break;
        }
        acc += line.text.len();
    }
    let mut tail_rule = "related-tail";
    if cut.is_none() {
        let mut acc = 0;
        let mut marks = tail_marks.iter().peekable();
        for (i, line) in kept.iter().enumerate() {
            while let Some(&(_, rule)) = marks.next_if(|&&(m, _)| m <= i) {
                if acc * 2 >= total && cut.is_none() {
                    cut = Some(i);
                    tail_rule = rule;
                }
            }
            if cut.is_some() {
                break;
            }
            acc += line.text.len();
        }
    }
    if let Some(i) = cut {
        for l in kept.drain(i..) {
            meta.drop(tail_rule, &l);
        }
    }

    // 3. Header: lines before the body become metadata.
    let body_start = body_start(&kept);
    let header: Vec<Line> = kept.drain(..body_start).collect();
    let mut title_lines: Vec<String> = Vec::new();
    let title_no = header.first().map_or(0, |l| l.no);
    for line in header {
        classify_header_line(&line.text, line.no, &mut meta, &mut title_lines);
    }
    if !title_lines.is_empty() {
        let joined = join_title(&title_lines);
        match &meta.title {
            // A markup title wins, but a header line that repeats it is still dropped.
            Some(_) => meta.drop_text("title-repeat", &joined, title_no),
            None => meta.title = Some(joined),
        }
    }
    // A first body line that repeats the title (HTML pages put the headline in the body too).
    if let (Some(title), Some(first)) = (&meta.title, kept.first())
        && squash(&first.text) == squash(title)
    {
        let first = kept.remove(0);
        meta.drop("title-repeat", &first);
    }

    // 4. A duplicated tail: the title and/or the opening repeated at the very end.
    drop_duplicated_tail(&mut kept, &mut meta);

    // 5. Speaker and occasion from the title or the opening paragraphs.
    if let Some(title) = meta.title.clone() {
        if let Some(c) = TITLE_SPEAKER.captures(&title) {
            meta.speaker.get_or_insert_with(|| c[1].to_owned());
            meta.occasion.get_or_insert_with(|| c[2].to_owned());
        } else if let Some(c) = EN_REMARKS.captures(&title) {
            meta.speaker.get_or_insert_with(|| tidy_en_name(&c[1]));
            meta.occasion.get_or_insert_with(|| c[2].trim().to_owned());
        } else if let Some(c) = EN_POSSESSIVE.captures(&title) {
            meta.speaker.get_or_insert_with(|| tidy_en_name(&c[1]));
        }
        // `ADDRESS OF THE PRESIDENT TO …`: the office names the speaker.
        if meta.speaker.is_none() && EN_OF_THE_PRESIDENT.is_match(&title) {
            meta.speaker = Some("The President".to_owned());
        }
        if meta.occasion.is_none()
            && let Some(c) = EN_OCCASION.captures(&title)
        {
            meta.occasion = Some(crate::text::case::display_case(c[1].trim()));
        }
    }
    if meta.occasion.is_none() {
        for line in kept.iter().take(3) {
            if line.text.chars().count() < 10 {
                continue;
            }
            if let Some(c) = OCCASION_IN_BODY.captures(&line.text) {
                meta.occasion = Some(c[1].to_owned());
                break;
            }
        }
    }

    meta.title = meta.title.take().and_then(|t| cut_title(&t));

    let mut text = String::with_capacity(total);
    for line in kept {
        if line.is_heading {
            meta.heading_starts.push(text.len());
        }
        text.push_str(&line.text);
        text.push('\n');
    }
    text.pop();
    meta.text = text;
    meta
}

/// A title cut at the first date, source or pagination token that a
/// scraper glued to it (`…严重(图) 2005-04-05 06:40更新 来源：… 第1页/共1页`).
pub(crate) fn cut_title(t: &str) -> Option<String> {
    let cut = TITLE_CUT.find(t).map_or(t, |m| &t[..m.start()]).trim();
    (!cut.is_empty()).then(|| cut.to_owned())
}

static TITLE_CUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s+\d{1,2}[:时]|(?:来源|稿源|作者|发布时间|发布日期)\s*[:：]|第\s*\d+\s*页|<<|上一页|下一页|(?i:published|updated)\s*:)")
        .expect("static regex")
});

/// `YYYY-MM-DD` from parts, when they make a plausible date.
pub(crate) fn ymd(y: &str, m: &str, d: &str) -> Option<String> {
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1000..=2999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// English month names, lower case (also read by the English normaliser).
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month name → number.
pub(crate) fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() >= 3 && m.starts_with(&lower)))
        .map(|i| i as u32 + 1)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '#' | '*')).collect()
}

fn join_title(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        if !out.is_empty() {
            // Chinese headlines broken over two lines read as one with a space;
            // so do English ones.
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

fn tidy_en_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().any(|c| c.is_ascii_lowercase()) {
        return name.to_owned();
    }
    // ALL-CAPS headline → Title Case, keeping initials such as `F.`.
    name.split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().chain(cs.flat_map(char::to_lowercase)).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Index of the first line of the speech proper.
fn body_start(lines: &[Line]) -> usize {
    let limit = lines.len().min(30);
    for (i, line) in lines.iter().enumerate().take(limit) {
        let t = &line.text;
        if SALUTATION.is_match(t) || crate::outline::markers::is_top_heading(t) {
            return i;
        }
        if looks_like_body(t) {
            return i;
        }
    }
    0
}

fn looks_like_body(t: &str) -> bool {
    if SUBTITLE.is_match(t) || CAPTION.is_match(t) {
        return false;
    }
    let chars = t.chars().count();
    let cjk = t.chars().filter(|&c| is_han(c)).count();
    if cjk * 3 <= chars && !t.chars().any(|c| c.is_lowercase()) {
        // An all-capitals line is a headline, however long.
        return false;
    }
    if cjk * 3 > chars {
        chars >= 40 && t.contains(['。', '，', '；', ','])
    } else {
        t.split_whitespace().count() >= 14 && t.contains(['.', ',', '!', '?', ';'])
    }
}

fn classify_header_line(t: &str, no: usize, meta: &mut Cleaned, title_lines: &mut Vec<String>) {
    if let Some(c) = PAREN_DATE.captures(t) {
        meta.date = meta.date.take().or_else(|| ymd(&c[1], &c[2], &c[3]));
    } else if let Some(c) = EN_DATE_LINE.captures(t) {
        if meta.date.is_none()
            && let Some(m) = month_number(&c[1])
        {
            meta.date = ymd(&c[3], &m.to_string(), &c[2]);
        }
    } else if let Some(c) = SUBTITLE.captures(t) {
        if let (Some(y), Some(m), Some(d)) = (c.get(1), c.get(2), c.get(3)) {
            meta.date = meta.date.take().or_else(|| ymd(y.as_str(), m.as_str(), d.as_str()));
        }
        meta.occasion.get_or_insert_with(|| c[4].to_owned());
    } else if CAPTION.is_match(t) {
        // A photo caption: not part of the speech, says nothing we keep.
    } else if let Some(c) = SPEAKER_LINE.captures(t)
        && (t.contains(' ') || !title_lines.is_empty())
    {
        meta.speaker.get_or_insert_with(|| c[1].to_owned());
    } else {
        title_lines.push(t.to_owned());
        return;
    }
    meta.drop_text("header", t, no);
}

fn drop_duplicated_tail(kept: &mut Vec<Line>, meta: &mut Cleaned) {
    if kept.len() < 4 {
        return;
    }
    let opening: String = kept.iter().take(2).map(|l| squash(&l.text)).collect();
    let title = meta.title.as_deref().map(squash);
    let n = kept.len();
    for i in n.saturating_sub(3)..n {
        let s = squash(&kept[i].text);
        let repeats_title = title.as_deref() == Some(s.as_str());
        let repeats_opening = s.chars().count() >= 20 && opening.starts_with(&s)
            || (s.chars().count() >= 20 && s.starts_with(&opening));
        if repeats_title || repeats_opening {
            // A headline just before the repeated opening goes with it.
            let prev_is_title = i > 0 && {
                let p = &kept[i - 1].text;
                p.chars().count() <= 30 && !p.ends_with(['。', '！', '？', '.', '!', '?', '；'])
            };
            let from = if repeats_opening && prev_is_title { i - 1 } else { i };
            for l in kept.drain(from..) {
                meta.drop("duplicated-tail", &l);
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(raw: &str) -> Cleaned {
        clean(lines_of(raw), None)
    }

    #[track_caller]
    fn furniture(line: &str, expected: bool) {
        assert_eq!(is_furniture(line), expected, "{line}");
    }

    #[test]
    fn furniture_lines() {
        for line in [
            "浏览量:110",
            "点赞 0",
            "收藏 0",
            "浏览次数：1234",
            "字号：大 中 小",
            "【打印本页】【关闭窗口】",
            "分享到：微信 微博",
            "您的位置：首页 > 要闻",
            "相关报道：",
            "Share this page | Print | Email",
            "Back to top",
            "Tweet",
            "责任编辑：李莎莎",
            "扫一扫在手机打开当前页",
            "abcd39f1fb7f426d9dfb6bd0fa1f2146:",
            "》》点击图片进入专题《《",
        ] {
            furniture(line, true);
        }
        for line in
            ["一、总体情况", "同志们：", "大力推进改革。", "Thank you.", "收藏家协会积极参与。"]
        {
            furniture(line, false);
        }
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let raw = "My fellow citizens, we meet tonight at a time of\ngreat trial for the nation and for the world, and\nI ask for your help.\n\nThe economy has grown in the last year, and\nmore people are at work than ever before in our\nhistory.\n\nWe will not fail. We will not falter, and we will\nnot tire, because the cause we serve is just and\nthe people we serve are strong.\n";
        let texts: Vec<String> = lines_of(raw).into_iter().map(|l| l.text).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts[2].ends_with("and we will not tire, because the cause we serve is just and the people we serve are strong."));
        assert!(texts[0].ends_with(
            "of great trial for the nation and for the world, and I ask for your help."
        ));
        // One paragraph per line is left alone.
        let flat = "第一段内容很长。\n第二段内容也很长。\n第三段。\n第四段。\n第五段。\n第六段。";
        assert_eq!(lines_of(flat).len(), 6);
    }

    #[test]
    fn whitespace_is_normalised() {
        let lines = lines_of("\u{FEFF}标题\r\n \r\n\u{3000}\u{3000}正文　内容\r\n");
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["标题", "正文 内容"]);
        assert_eq!(normalise_line("Thank you.  (Applause.) "), "Thank you.");
        assert_eq!(
            normalise_line("a bill of rights -- (Applause.) -- to give workers"),
            "a bill of rights -- to give workers"
        );
    }

    #[test]
    fn seed_header_gives_date_and_keeps_salutation() {
        let c = run(
            "浏览量:110\n发布时间:2025-10-29\n同志们:\n今天,市委召开这次全市深化群众身边不正之风和腐败问题集中整治推进会议,主要任务是学习。\n点赞 0\n收藏 0\n",
        );
        assert_eq!(c.published.as_deref(), Some("2025-10-29"));
        assert!(c.text.starts_with("同志们:"), "{}", c.text);
        assert!(!c.text.contains("点赞"));
        assert_eq!(
            c.occasion.as_deref(),
            Some("全市深化群众身边不正之风和腐败问题集中整治推进会议")
        );
    }

    #[test]
    fn header_gives_title_subtitle_speaker() {
        let c = run(
            "下载\n打印\n【字号：\n加大\n还原\n减小\n】\n2026年北京市政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n来源：北京日报\n时间：2026-02-02\n北京市市长 殷勇\n殷勇同志作政府工作报告。本报记者 戴冰摄\n各位代表：\n现在，我代表北京市人民政府，向大会报告政府工作，请予审议，并请市政协委员提出意见。",
        );
        assert_eq!(c.title.as_deref(), Some("2026年北京市政府工作报告"));
        assert_eq!(c.date.as_deref(), Some("2026-01-25"));
        assert_eq!(c.published.as_deref(), Some("2026-02-02"));
        assert_eq!(c.speaker.as_deref(), Some("殷勇"));
        assert_eq!(c.occasion.as_deref(), Some("北京市第十六届人民代表大会第四次会议"));
        assert_eq!(c.outlet.as_deref(), Some("北京日报"));
        assert!(c.text.starts_with("各位代表："));
    }

    #[test]
    fn a_lone_bracket_is_glued_to_its_line() {
        let c = run(
            "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。\n（\n三）改革开放持续深化。",
        );
        assert!(c.text.ends_with("\n（三）改革开放持续深化。"), "{}", c.text);
    }

    #[test]
    fn english_header() {
        let c = run(
            "PRESIDENT JOHN F. KENNEDY'S SPECIAL MESSAGE TO THE CONGRESS ON URGENT NATIONAL NEEDS\n \nMay 25, 1961\n\nMr. Speaker, Mr. Vice President, my copartners in Government, gentlemen-and ladies:\nThe Constitution imposes upon me the obligation.",
        );
        assert_eq!(c.date.as_deref(), Some("1961-05-25"));
        assert_eq!(c.speaker.as_deref(), Some("John F. Kennedy"));
        assert!(c.text.starts_with("Mr. Speaker"));
    }

    #[test]
    fn duplicated_tail_and_related_links_are_cut() {
        let body = "一、总体情况\n过去一年，我们坚持稳中求进工作总基调，经济运行总体平稳，民生持续改善，社会大局保持稳定。\n二、下一步工作\n下一步，我们要坚定信心，攻坚克难，奋力完成全年目标任务，为实现长远目标打下坚实基础。";
        let raw = format!(
            "报告标题\n各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n{body}\n打印本页\n关闭窗口\n报告标题\n各位代表：现在，我代表省人民政府，向大会报告工作，请予审议。"
        );
        let c = run(&raw);
        assert!(c.text.ends_with("打下坚实基础。"), "{}", c.text);
        let c = run(&format!(
            "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议，并请委员提出意见。\n{body}\n报告标题\n各位代表：现在，我代表省人民政府，向大会报告工作，请予审议，并请委员提出意见。"
        ));
        assert!(c.text.ends_with("打下坚实基础。"), "{}", c.text);
    }

    #[test]
    fn furniture_by_rule() {
        let rule =
            |t: &str| furniture_rule(t).or_else(|| feature_rule(&Line::plain(t.to_owned(), 1)));
        for (line, expected) in [
            ("Related: Press releases | Tweet | Back to top", "related-heading"),
            ("Home | News | Sports | Weather", "separators"),
            ("字号：大 中 小", "toolbar"),
            ("【大】【中】【小】", "toolbar"),
            ("（责任编辑：魏喆）", "editor-line"),
            ("[打印]", "toolbar"),
            ("HIDE CAPTION", "caption-credit"),
            ("Photo CreditErik Carter", "caption-credit"),
            ("Image 1 of 5", "caption-credit"),
            ("Public domain", "licence"),
            ("*分享让更多人看到*", "share"),
            ("Want more stories like this? Sign up here.", "promo"),
            ("------", "dashes"),
            ("-- --", "dashes"),
            ("PUBLISHED: 10:48, Tue, Nov 19, 2019", "dateline"),
        ] {
            assert_eq!(rule(line), Some(expected), "{line}");
        }
        for line in [
            "II. ECONOMIC AND SOCIAL PROGRESS AT HOME",
            "by guerrillas striking at night, by assassins striking alone--assassins who",
            "——坚持稳中求进工作总基调",
            "一、2025年工作回顾",
            "The copyright office was moved in 1897.",
            "Closing the gap between regions is our first task.",
        ] {
            assert_eq!(rule(line), None, "{line}");
        }
        // A mostly-link line is navigation; a table row with links is not.
        let mut nav = Line::plain("Press releases Speeches".to_owned(), 1);
        nav.link_chars = 22;
        assert_eq!(feature_rule(&nav), Some("link-line"));
        nav.is_table = true;
        assert_eq!(feature_rule(&nav), None);
    }

    #[test]
    fn transcript_apparatus_goes_and_the_words_stay() {
        let c = run(
            "THE PRESIDENT: Mr. Speaker, members of Congress, and fellow Americans, we meet tonight in a time of war and of great trial for the nation.\n[At this point the following paragraph, which appears in the text as signed, was omitted in the reading of the message:\nThey possess a powerful striking force, and they make the most of it in every part of the world.]\nWe will not tire, we will not falter, and we will not fail. -- --\n---------\n",
        );
        assert!(c.text.starts_with("Mr. Speaker, members"), "{}", c.text);
        assert!(c.text.contains("\nThey possess a powerful striking force, and they make the most of it in every part of the world.\n"), "{}", c.text);
        assert!(c.text.ends_with("we will not fail."), "{}", c.text);
        let rules: Vec<&str> = c.removed.iter().map(|r| r.rule.as_str()).collect();
        for r in ["speaker-label", "editor-note", "dashes"] {
            assert!(rules.contains(&r), "{rules:?}");
        }
    }

    #[test]
    fn editor_line_and_related_tail_are_named() {
        let body = "过去一年，我们坚持稳中求进工作总基调，经济运行总体平稳，民生持续改善，社会大局保持稳定。".repeat(3);
        let c = run(&format!(
            "各位代表：\n{body}\n{body}\n责任编辑：\n李莎莎\n相关链接>>\n关于政府工作报告的决议\n干部群众热议政府工作报告\n"
        ));
        assert!(c.text.ends_with("保持稳定。"), "{}", c.text);
        let got: Vec<(&str, &str)> =
            c.removed.iter().map(|r| (r.rule.as_str(), r.text.as_str())).collect();
        assert!(got.contains(&("editor-line", "李莎莎")), "{got:?}");
        assert!(got.contains(&("related-tail", "关于政府工作报告的决议")), "{got:?}");
        assert!(got.iter().all(|(_, t)| !t.is_empty()));
    }

    #[test]
    fn a_title_line_is_never_joined_to_the_greeting() {
        let raw = "Remarks at the Harbor City Infrastructure Summit\nThank you, Mayor Alvarez, and thank you all for\ncoming out this morning to talk about the roads and\nbridges we share.\n\nWe have a great deal of work ahead of us, and I\nwant to begin with the bridges, because they are\nthe oldest part of what we own.\n\nThe second thing I want to talk about is the\nharbor itself, and the jobs that depend on it\nevery single day of the year.\n";
        let lines = lines_of(raw);
        assert_eq!(lines[0].text, "Remarks at the Harbor City Infrastructure Summit");
        assert!(
            lines[1].text.starts_with("Thank you, Mayor Alvarez, and thank you all for coming")
        );
        let c = clean(lines, None);
        assert_eq!(c.title.as_deref(), Some("Remarks at the Harbor City Infrastructure Summit"));
    }

    #[test]
    fn swallowed_titles_are_cut() {
        assert_eq!(
            cut_title("男子吸毒后驾车撞人 伤势严重(图) 2005-04-05 06:40更新 来源：转载文章 第1页/共1页 << 上一页 | 下一页 >> 资料图：").as_deref(),
            Some("男子吸毒后驾车撞人 伤势严重(图)")
        );
        assert_eq!(
            cut_title("2026年北京市政府工作报告").as_deref(),
            Some("2026年北京市政府工作报告")
        );
        assert_eq!(
            cut_title("Remarks by the President Published: May 1").as_deref(),
            Some("Remarks by the President")
        );
    }

    #[test]
    fn recurring_short_lines_are_furniture() {
        let para = "The storm moved east overnight, and the city opened its shelters to anyone who needed one.";
        let c = run(&format!(
            "{para}\nWeather threatens holiday plans\n{para} Again.\nWeather threatens holiday plans\n{para} Once more.\nWeather threatens holiday plans\nThank you.\n"
        ));
        assert!(!c.text.contains("Weather threatens"), "{}", c.text);
        assert!(c.text.ends_with("Thank you."));
    }
}
