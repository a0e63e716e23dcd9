//! The card: every detector run on every speech, printed as a table or
//! JSON, and compared with a baseline.

use serde_json::{Map, Value, json};

use crate::detect::DETECTORS;
use crate::speech::Speech;

/// One speech's findings, per detector in [`DETECTORS`] order.
pub(crate) struct Row {
    pub(crate) speech: String,
    pub(crate) findings: Vec<Vec<String>>,
}

impl Row {
    fn total(&self) -> usize {
        self.findings.iter().map(Vec::len).sum()
    }
}

pub(crate) struct Card {
    pub(crate) rows: Vec<Row>,
}

impl Card {
    pub(crate) fn score(speeches: &[Speech]) -> Card {
        let rows = speeches
            .iter()
            .map(|s| Row {
                speech: s.name.clone(),
                findings: DETECTORS.iter().map(|(_, detect)| detect(s)).collect(),
            })
            .collect();
        Card { rows }
    }

    pub(crate) fn total(&self) -> usize {
        self.rows.iter().map(Row::total).sum()
    }

    fn detector_total(&self, i: usize) -> usize {
        self.rows.iter().map(|r| r.findings[i].len()).sum()
    }

    /// The table: one line per speech, a count per detector, the total; then
    /// the totals line.
    pub(crate) fn table(&self) -> String {
        let width =
            self.rows.iter().map(|r| display_width(&r.speech)).max().unwrap_or(6).clamp(6, 48);
        let mut out = format!("{:<width$}", "speech");
        for (name, _) in DETECTORS {
            out.push_str(&format!(" {name:>w$}", w = name.len().max(3)));
        }
        out.push_str("  total\n");
        for r in &self.rows {
            out.push_str(&pad(&r.speech, width));
            for (i, (name, _)) in DETECTORS.iter().enumerate() {
                out.push_str(&format!(" {:>w$}", r.findings[i].len(), w = name.len().max(3)));
            }
            out.push_str(&format!("  {:>5}\n", r.total()));
        }
        out.push_str(&pad("TOTAL", width));
        for (i, (name, _)) in DETECTORS.iter().enumerate() {
            out.push_str(&format!(" {:>w$}", self.detector_total(i), w = name.len().max(3)));
        }
        out.push_str(&format!("  {:>5}\n", self.total()));
        out
    }

    /// Every finding, under its speech and detector.
    pub(crate) fn explain(&self) -> String {
        let mut out = String::new();
        for r in &self.rows {
            out.push_str(&format!("\n## {}\n", r.speech));
            for (i, (name, _)) in DETECTORS.iter().enumerate() {
                for f in &r.findings[i] {
                    out.push_str(&format!("{name}: {f}\n"));
                }
            }
        }
        out
    }

    /// `{"speeches": [{"speech", "counts", "total", "findings"?}], "totals", "total"}`.
    pub(crate) fn to_json(&self, findings: bool) -> Value {
        let speeches: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let counts: Map<String, Value> = DETECTORS
                    .iter()
                    .enumerate()
                    .map(|(i, (n, _))| ((*n).to_owned(), json!(r.findings[i].len())))
                    .collect();
                let mut v = json!({"speech": r.speech, "counts": counts, "total": r.total()});
                if findings {
                    let f: Map<String, Value> = DETECTORS
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !r.findings[*i].is_empty())
                        .map(|(i, (n, _))| ((*n).to_owned(), json!(r.findings[i])))
                        .collect();
                    v["findings"] = Value::Object(f);
                }
                v
            })
            .collect();
        let totals: Map<String, Value> = DETECTORS
            .iter()
            .enumerate()
            .map(|(i, (n, _))| ((*n).to_owned(), json!(self.detector_total(i))))
            .collect();
        json!({"speeches": speeches, "totals": totals, "total": self.total()})
    }

    /// What rose above `base` (a `--json` output, findings optional): one
    /// line per speech and detector whose count is higher. A speech or
    /// detector the baseline lacks counts from 0.
    pub(crate) fn rises_over(&self, base: &Value) -> Vec<String> {
        let empty = Vec::new();
        let rows = base.get("speeches").and_then(Value::as_array).unwrap_or(&empty);
        let mut out = Vec::new();
        for r in &self.rows {
            let counts = rows
                .iter()
                .find(|b| b.get("speech").and_then(Value::as_str) == Some(&r.speech))
                .and_then(|b| b.get("counts"));
            for (i, (name, _)) in DETECTORS.iter().enumerate() {
                let was = counts.and_then(|c| c.get(*name)).and_then(Value::as_u64).unwrap_or(0);
                let now = r.findings[i].len() as u64;
                if now > was {
                    out.push(format!("{} {name}: {was} -> {now}", r.speech));
                }
            }
        }
        out
    }
}

/// Columns of `s` in a terminal: a Han character takes two.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if crate::speech::is_han(c) || !c.is_ascii() { 2 } else { 1 }).sum()
}

/// `s` padded to `width` columns, or elided in the middle to fit (the end
/// of a folder name tells `…-2` from its twin).
fn pad(s: &str, width: usize) -> String {
    let shown = if display_width(s) > width {
        let tail: String = s.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
        format!("{}…{tail}", cut(s, width - display_width(&tail) - 1))
    } else {
        s.to_owned()
    };
    // The ellipsis takes one column, not the two display_width gives it.
    let used = display_width(&shown) - usize::from(shown.contains('…'));
    format!("{shown}{}", " ".repeat(width.saturating_sub(used)))
}

/// `s` cut to at most `width` columns.
fn cut(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = display_width(c.encode_utf8(&mut [0; 4]));
        if w + cw > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(counts: &[usize]) -> Card {
        let mut findings = vec![Vec::new(); DETECTORS.len()];
        for (i, n) in counts.iter().enumerate() {
            findings[i] = vec![String::from("x"); *n];
        }
        Card { rows: vec![Row { speech: "s".into(), findings }] }
    }

    #[test]
    fn totals_json_and_rises() {
        let c = card(&[2, 1]);
        assert_eq!(c.total(), 3);
        let j = c.to_json(false);
        assert_eq!(j["total"], 3);
        assert_eq!(j["speeches"][0]["counts"][DETECTORS[0].0], 2);
        assert!(c.rises_over(&j).is_empty());
        let lower = card(&[1, 1]).to_json(false);
        assert_eq!(c.rises_over(&lower), vec![format!("s {}: 1 -> 2", DETECTORS[0].0)]);
        assert_eq!(c.rises_over(&json!({})).len(), 2);
        assert!(c.table().lines().last().unwrap().starts_with("TOTAL"));
    }

    #[test]
    fn padding_counts_han_twice() {
        assert_eq!(pad("讲话abcdefgh", 10), "讲…cdefgh ");
        assert_eq!(cut("讲话abc", 6), "讲话ab");
        assert_eq!(pad("abc", 6), "abc   ");
    }
}
