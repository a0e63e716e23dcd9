//! Figures: a number with its unit, what it measures, the clause it is in
//! and which way it moves. Verbatim: the rules only choose.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Lang;
use crate::model::{Figure, SentenceRef};

static ZH_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:约|近|超过|逾)?[0-9０-９][0-9０-９,，.．]*(?:[0-9０-９])?\s*",
        r"(?:%|％|‰|个百分点|万亿元|亿元|万元|千元|元|万亿|亿|万人次|万人|人次|人|万户|户|家|个|项|次|倍|公里|千米|平方公里|平方米|万吨|吨|万亩|亩|件|所|座|条|套|辆|台|名|位|岁|天|小时|分钟|美元|欧元|千瓦|万千瓦|度|GW|MW|kW|km|公顷)"
    ))
    .expect("static regex")
});

static EN_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\$\s?)?\b\d[\d,]*(?:\.\d+)?(?:\s?(?:%|percent|per cent))?(?:\s(?:million|billion|trillion|thousand|hundred))?(?:\s(?:dollars|people|Americans|nations|countries|jobs|troops|men|miles|years|months|days|tons|units|students|schools|percent))?\b")
        .expect("static regex")
});

static MEASURE_TRIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:同比|分别|累计|共|达到|达|为|是|增长|下降|提升|提高|减少|降低|超过|突破|约|近|了|到|至|在|the|of|to|by|is|was|were|about|nearly|over|some|an additional|additional|a total of|total of|\s)+$")
        .expect("static regex")
});

fn is_year_like(v: &str) -> bool {
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    digits.len() == 4
        && !v.contains(['%', '.', '$'])
        && v.trim().chars().all(|c| c.is_ascii_digit())
}

/// Every figure of the speech, in order, with its clause.
pub(crate) fn figures(sentences: &[SentenceRef], lang: Lang) -> Vec<Figure> {
    let mut out = Vec::new();
    for s in sentences {
        let re = if lang == Lang::Zh { &*ZH_FIGURE } else { &*EN_FIGURE };
        for m in re.find_iter(&s.text) {
            let value = m.as_str().trim();
            if value.is_empty()
                || (lang == Lang::En
                    && (is_year_like(value)
                        || value.chars().all(|c| c.is_ascii_digit()) && value.len() < 3))
            {
                continue;
            }
            // A bare English number without unit is only a figure when large.
            if lang == Lang::En
                && value.chars().all(|c| c.is_ascii_digit() || c == ',')
                && value.len() < 5
            {
                continue;
            }
            let before = &s.text[..m.start()];
            let clause_start = before
                .rfind(['，', '；', '：', ',', ';', ':', '。', '—'])
                .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
            let clause = before[clause_start..].trim();
            let trimmed = MEASURE_TRIM.replace(clause, "").trim().to_owned();
            // "同比提升了3.1个百分点": nothing left once trimmed, so keep the clause.
            let measures = if trimmed.is_empty() { clause.to_owned() } else { trimmed };
            out.push(Figure {
                value: value.to_owned(),
                measures,
                clause: clause.to_owned(),
                direction: None,
                target: false,
                source: s.clone(),
            });
        }
    }
    out
}
