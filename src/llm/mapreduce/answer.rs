//! What the model answers: the JSON shapes asked for (the schemas), read
//! tolerantly, and the script check. Pure.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::model::Lang;
use crate::text::is_han;

/// The JSON asked for a section.
pub(super) fn section_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "summary": {"type": "string"},
            "key_points": {"type": "array", "items": {
                "type": "object",
                "properties": {"text": {"type": "string"}, "sentence": {"type": "string"}},
                "required": ["text", "sentence"], "additionalProperties": false}},
            "quotes": {"type": "array", "items": {"type": "string"}},
            "terms": {"type": "array", "items": {"type": "string"}},
            "figures": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["summary", "key_points", "quotes", "terms", "figures"],
        "additionalProperties": false
    })
}

/// The JSON asked for the overview.
pub(super) fn reduce_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "overview": {"type": "string"},
            "newsletter": {"type": "array", "items": {"type": "string"}},
            "questions": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["overview", "newsletter", "questions"],
        "additionalProperties": false
    })
}

/// What the model returns for a section.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub(crate) struct ModelSection {
    /// The summary.
    pub summary: String,
    /// Key points with their source sentence.
    pub key_points: Vec<ModelPoint>,
    /// Verbatim quotations.
    pub quotes: Vec<String>,
    /// Terms.
    pub terms: Vec<String>,
    /// Figures.
    pub figures: Vec<String>,
}

/// A key point as the model gives it: an object, or a bare string.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub(crate) enum ModelPoint {
    /// `{"text", "sentence"}`.
    Full {
        /// The point.
        text: String,
        /// Its sentence in the source.
        #[serde(default)]
        sentence: String,
    },
    /// A string.
    Bare(String),
}

/// What the model returns for the reduce step.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub(crate) struct ModelReduce {
    /// The overview.
    pub overview: String,
    /// Some servers answer `summary` instead (used when `overview` is empty).
    pub summary: String,
    /// Newsletter lines.
    pub newsletter: Vec<String>,
    /// Discussion questions.
    pub questions: Vec<String>,
}

impl ModelReduce {
    pub(super) fn normalized(mut self) -> ModelReduce {
        if self.overview.trim().is_empty() {
            self.overview = std::mem::take(&mut self.summary);
        }
        self
    }
}

/// Reads the JSON object of an answer, tolerating code fences and prose
/// around it. Pure.
///
/// # Errors
/// No JSON object of the expected shape in the text.
pub(crate) fn extract_json<T: DeserializeOwned>(content: &str) -> Result<T, String> {
    let t = content.trim();
    let t = t.strip_prefix("```json").or_else(|| t.strip_prefix("```")).unwrap_or(t);
    let t = t.strip_suffix("```").unwrap_or(t).trim();
    match serde_json::from_str::<T>(t) {
        Ok(v) => Ok(v),
        Err(first) => {
            if let (Some(a), Some(b)) = (t.find('{'), t.rfind('}'))
                && a < b
                && let Ok(v) = serde_json::from_str::<T>(&t[a..=b])
            {
                return Ok(v);
            }
            Err(first.to_string())
        }
    }
}

/// Share of Han characters among letters; `None` for too little text.
fn han_share(s: &str) -> Option<f64> {
    let han = s.chars().filter(|c| is_han(*c)).count();
    let latin = s.chars().filter(char::is_ascii_alphabetic).count();
    (han + latin >= 8).then(|| han as f64 / (han + latin) as f64)
}

/// True when `s` is written in `lang`'s script (or too short to tell). Pure.
pub(crate) fn in_script(s: &str, lang: Lang) -> bool {
    match (han_share(s), lang) {
        (None, _) => true,
        (Some(r), Lang::Zh) => r >= 0.4,
        (Some(r), Lang::En) => r <= 0.2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_read_tolerantly() {
        let m: ModelSection = extract_json("```json\n{\"summary\": \"s\", \"key_points\": [\"a\", {\"text\": \"b\", \"sentence\": \"c\"}]}\n```").unwrap();
        assert_eq!(m.summary, "s");
        assert_eq!(m.key_points.len(), 2);
        let m: ModelSection =
            extract_json("Here you go: {\"summary\": \"x\"} hope it helps").unwrap();
        assert_eq!(m.summary, "x");
        assert!(extract_json::<ModelSection>("{\"summary\": ").is_err());
        let r: ModelReduce =
            extract_json::<ModelReduce>("{\"summary\": \"o\"}").unwrap().normalized();
        assert_eq!(r.overview, "o");
    }

    #[test]
    fn scripts() {
        assert!(in_script("全面从严治党永远在路上。", Lang::Zh));
        assert!(!in_script("The party must govern itself strictly.", Lang::Zh));
        assert!(in_script("The party must govern itself strictly.", Lang::En));
    }
}
