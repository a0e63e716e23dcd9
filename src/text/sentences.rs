//! Sentence splitting for Chinese and English with byte spans into the clean
//! text: the one splitter (the outline cuts paragraphs into sentences with it).
//!
//! Ours, on purpose (CRATES.md §3): UAX#29 breaks English after `Mr.` and
//! knows nothing of ASCII punctuation between Chinese characters, which
//! scraped pages are full of. The rules: `。！？；…` end a sentence (with any
//! closing quotes), `!?;` do so next to Chinese text, `.!?` end an English
//! sentence before white space and a capital, except after abbreviations,
//! initials and inside numbers; nothing ends inside `《》`, or inside `“”`
//! unless the quotation runs on for very long (an unclosed quote in a scrape).

use crate::model::Span;
use crate::text::script::is_cjk_or_fullwidth;

/// Words after which a full stop does not end an English sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col",
    "capt", "sgt", "rev", "hon", "no", "nos", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n",
    "u.s.a", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "ltd", "co", "corp", "mt", "ft", "ave", "a.m", "p.m", "approx", "dept", "est", "fig",
    "vol", "op", "pres", "adm", "gov't", "messrs", "cf", "al",
];

/// A quotation that has not closed after this many bytes is treated as an
/// unbalanced quote, and sentences may end inside it again.
const MAX_QUOTE_BYTES: usize = 600;

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '】' | ']' | '"' | '\'' | '》')
}

/// Splits `para` (which starts at byte `base` of the clean text) into sentence
/// spans. Every non-white-space character of `para` lies in exactly one span.
pub(crate) fn split(para: &str, base: usize) -> Vec<Span> {
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    // Lower-cased text (transcripts, tokenised corpora) has no capitals to
    // mark sentence starts; there any full stop before a space ends one.
    let caseless = !para.chars().any(char::is_uppercase);
    let mut spans = Vec::new();
    let mut start = 0usize; // byte offset in para
    let mut book_depth = 0i32;
    let mut quote_open: Option<usize> = None; // byte offset where the open quote began
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        match c {
            '《' => book_depth += 1,
            '》' => book_depth = (book_depth - 1).max(0),
            '“' | '「' | '『' => {
                quote_open.get_or_insert(pos);
            }
            '”' | '」' | '』' => quote_open = None,
            _ => {}
        }
        let in_quote = quote_open.is_some_and(|q| pos - q < MAX_QUOTE_BYTES);
        let prev = i.checked_sub(1).map(|j| chars[j].1);
        let next = chars.get(i + 1).map(|x| x.1);
        let closes_quoted_sentence = matches!(c, '”' | '」' | '』')
            && prev.is_some_and(|p| matches!(p, '。' | '！' | '？' | '…' | '!' | '?'));
        let ends = if closes_quoted_sentence {
            true
        } else if book_depth > 0 || in_quote {
            false
        } else {
            match c {
                '。' | '！' | '？' | '；' | '…' => true,
                '!' | '?' | ';' => {
                    prev.is_some_and(is_cjk_or_fullwidth)
                        || next.is_some_and(is_cjk_or_fullwidth)
                        || (c != ';' && next.is_none_or(char::is_whitespace))
                }
                '.' => ascii_period_ends(para, &chars, i, caseless),
                _ => false,
            }
        };
        if ends {
            // Take the whole run of terminators and closing quotes/brackets.
            let mut j = i + 1;
            while j < chars.len() {
                let c = chars[j].1;
                if matches!(c, '。' | '！' | '？' | '；' | '…' | '!' | '?' | '.') || is_closing(c)
                {
                    if matches!(c, '”' | '」' | '』') {
                        quote_open = None;
                    }
                    if c == '》' {
                        book_depth = (book_depth - 1).max(0);
                    }
                    j += 1;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(para.len(), |x| x.0);
            push_trimmed(&mut spans, para, start, end, base);
            start = end;
            i = j;
            continue;
        }
        i += 1;
    }
    push_trimmed(&mut spans, para, start, para.len(), base);
    spans
}

fn push_trimmed(spans: &mut Vec<Span>, para: &str, start: usize, end: usize, base: usize) {
    let piece = &para[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        spans.push(Span { start: base + start + lead, end: base + end - trail });
    }
}

fn ascii_period_ends(para: &str, chars: &[(usize, char)], i: usize, caseless: bool) -> bool {
    let prev = i.checked_sub(1).map(|j| chars[j].1);
    let next = chars.get(i + 1).map(|x| x.1);
    // Inside a number, even a mistyped one (`2..65 billion`).
    let after_dots = chars[i..].iter().map(|x| x.1).find(|&c| c != '.');
    if prev.is_some_and(|p| p.is_ascii_digit()) && after_dots.is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    // Between Chinese characters a full stop is a sentence end.
    if prev.is_some_and(is_cjk_or_fullwidth)
        && next.is_none_or(|n| is_cjk_or_fullwidth(n) || n.is_whitespace())
    {
        return true;
    }
    match next {
        None => {}
        Some(n) if n.is_whitespace() => {
            // The next visible character must start a sentence.
            let following = chars[i + 1..].iter().map(|x| x.1).find(|c| !c.is_whitespace());
            if let Some(f) = following
                && !caseless
                && !(f.is_uppercase()
                    || f.is_ascii_digit()
                    || is_cjk_or_fullwidth(f)
                    || matches!(f, '"' | '“' | '\'' | '‘' | '(' | '['))
            {
                return false;
            }
        }
        Some(n) if is_closing(n) || n == '.' => {}
        Some(n) if is_cjk_or_fullwidth(n) => return prev.is_some_and(|p| !p.is_ascii_digit()),
        Some(_) => return false,
    }
    // The word before the full stop.
    let pos = chars[i].0;
    let before = &para[..pos];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '—' | '-'))
        .map_or(0, |k| k + before[k..].chars().next().map_or(1, char::len_utf8));
    let word = &before[word_start..];
    if word.is_empty() {
        return true;
    }
    // A single capital letter is an initial (`John F. Kennedy`).
    if word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()) {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    !ABBREVIATIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(input: &str, expected: &[&str]) {
        let got: Vec<&str> = split(input, 0).iter().map(|s| &input[s.start..s.end]).collect();
        assert_eq!(got, expected, "{input}");
    }

    #[test]
    fn chinese() {
        case(
            "一是高压态势持续巩固。始终坚持“严”的主基调。",
            &["一是高压态势持续巩固。", "始终坚持“严”的主基调。"],
        );
        case(
            "习近平总书记强调，“必须坚持治国必先治党、党兴才能国强。”这说明问题。",
            &["习近平总书记强调，“必须坚持治国必先治党、党兴才能国强。”", "这说明问题。"],
        );
        case("他说：“好。很好！”我们走吧", &["他说：“好。很好！”", "我们走吧"]);
        case(
            "有的通过白手套搞利益输送；有的转移非法所得。",
            &["有的通过白手套搞利益输送；", "有的转移非法所得。"],
        );
        case(
            "出台了《关于加强监管。的办法》，效果好。",
            &["出台了《关于加强监管。的办法》，效果好。"],
        );
        case("这是为什么？……我们要想一想……", &["这是为什么？……", "我们要想一想……"]);
        case(
            "今天,市委召开会议.主要任务是学习!下面讲三点",
            &["今天,市委召开会议.", "主要任务是学习!", "下面讲三点"],
        );
        case("增长5.5%，总量居第5位。", &["增长5.5%，总量居第5位。"]);
    }

    #[test]
    fn english() {
        case(
            "Mr. Speaker, Dr. Smith came. He left.",
            &["Mr. Speaker, Dr. Smith came.", "He left."],
        );
        case(
            "John F. Kennedy spoke in the U.S. Congress today.",
            &["John F. Kennedy spoke in the U.S. Congress today."],
        );
        case(
            "It cost 2.5 billion dollars. No. 10 agreed.",
            &["It cost 2.5 billion dollars.", "No. 10 agreed."],
        );
        case(
            "Why? Because we must! \"Yes,\" he said.",
            &["Why?", "Because we must!", "\"Yes,\" he said."],
        );
        case("The end", &["The end"]);
        case(
            "He said \"we will win.\" Then he left.",
            &["He said \"we will win.\"", "Then he left."],
        );
        case("e.g. this one. And that.", &["e.g. this one.", "And that."]);
        case(
            "now raised to 2..65 billion dollars. Next.",
            &["now raised to 2..65 billion dollars.", "Next."],
        );
    }

    #[test]
    fn spans_cover_every_visible_char() {
        let text = "  First one.  Second one!  ";
        let spans = split(text, 10);
        assert_eq!(spans, vec![Span { start: 12, end: 22 }, Span { start: 24, end: 35 }]);
    }
}
