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

/// An example object of a section's answer in `lang`, shown in the prompt
/// and the repair request instead of the schema: a small model copies a
/// schema back (`{"additionalProperties":false,…}`, issue 17) but follows
/// an example. The schema itself goes in `response_format`.
pub(crate) fn section_example(lang: Lang) -> Value {
    match lang {
        Lang::Zh => json!({
            "summary": "用两三句话概括本部分讲了什么。",
            "key_points": [{"text": "一条要点，一句话。", "sentence": "原文中支撑这条要点的一句，逐字照抄。"}],
            "quotes": ["原文中值得引用的一句原话"],
            "terms": ["原文中的术语"],
            "figures": ["原文中的数据，照抄"]
        }),
        Lang::En => json!({
            "summary": "Two or three sentences on what this part says.",
            "key_points": [{"text": "One key point, in one sentence.", "sentence": "The sentence of the speech that supports it, copied exactly."}],
            "quotes": ["A sentence of the speech worth quoting"],
            "terms": ["A term the speech uses"],
            "figures": ["A figure from the speech, copied exactly"]
        }),
    }
}

/// An example object of the reduce step's answer in `lang` (see
/// [`section_example`]).
pub(crate) fn reduce_example(lang: Lang) -> Value {
    match lang {
        Lang::Zh => json!({
            "overview": "全篇讲话的概述。",
            "newsletter": ["一句简报要点"],
            "questions": ["一个供学习讨论的问题？"]
        }),
        Lang::En => json!({
            "overview": "An overview of the whole speech.",
            "newsletter": ["One newsletter line"],
            "questions": ["A discussion question?"]
        }),
    }
}

/// What makes an answer unusable although it parses: the schema or the
/// example copied back, or its required content missing. An unusable answer
/// gets one repair and is never cached.
pub(crate) trait Answer: DeserializeOwned {
    /// Why the answer cannot be used, in `lang`; `None` when it can.
    fn problem(&self, lang: Lang) -> Option<String>;
}

/// Whether the raw answer is a JSON Schema rather than an answer. Pure.
pub(crate) fn is_schema_echo(content: &str) -> bool {
    let c: String = content.chars().filter(|c| !c.is_whitespace()).collect();
    c.contains("\"additionalProperties\":") || c.contains("\"properties\":{")
}

fn missing(lang: Lang, field: &str) -> String {
    match lang {
        Lang::Zh => format!("缺少 {field} 的内容"),
        Lang::En => format!("`{field}` is missing or empty"),
    }
}

fn copies_example(s: &str, example: &Value, field: &str) -> bool {
    example.get(field).and_then(Value::as_str).is_some_and(|e| s.trim() == e)
}

impl Answer for ModelSection {
    fn problem(&self, lang: Lang) -> Option<String> {
        if self.summary.trim().is_empty() {
            return Some(missing(lang, "summary"));
        }
        if copies_example(&self.summary, &section_example(lang), "summary") {
            return Some(match lang {
                Lang::Zh => "照抄了示例，没有写本部分的内容".to_owned(),
                Lang::En => "it repeats the example instead of this part's content".to_owned(),
            });
        }
        None
    }
}

impl Answer for ModelReduce {
    fn problem(&self, lang: Lang) -> Option<String> {
        let o = if self.overview.trim().is_empty() { &self.summary } else { &self.overview };
        if o.trim().is_empty() {
            return Some(missing(lang, "overview"));
        }
        if copies_example(o, &reduce_example(lang), "overview") {
            return Some(match lang {
                Lang::Zh => "照抄了示例，没有写全篇的概述".to_owned(),
                Lang::En => "it repeats the example instead of the overview".to_owned(),
            });
        }
        None
    }
}

/// The repair request after an unusable answer, in the prompt's language,
/// with the example object (not the schema).
pub(crate) fn repair_request(lang: Lang, why: &str, example: &Value) -> String {
    match lang {
        Lang::Zh => format!(
            "上面的回答不能用：{why}。请重新回答：只输出一个 JSON 对象，不要输出其他文字，不要输出 JSON Schema，按照这个示例的格式填入真实内容：{example}"
        ),
        Lang::En => format!(
            "That answer cannot be used: {why}. Answer again with only one JSON object and nothing else, not a JSON Schema, in the format of this example, filled with the real content: {example}"
        ),
    }
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
    fn unusable_answers_are_told_apart() {
        let echo =
            r#"{"additionalProperties": false, "properties": {"summary": {"type": "string"}}}"#;
        assert!(is_schema_echo(echo));
        let m: ModelSection = extract_json(echo).unwrap();
        assert!(m.problem(Lang::En).is_some(), "a schema copied back parses to nothing");
        let m: ModelSection = extract_json(r#"{"type": "json"}"#).unwrap();
        assert_eq!(m.problem(Lang::Zh).as_deref(), Some("缺少 summary 的内容"));
        let ex = section_example(Lang::En);
        let m: ModelSection = serde_json::from_value(ex.clone()).unwrap();
        assert!(m.problem(Lang::En).unwrap().contains("example"));
        assert!(!is_schema_echo(&ex.to_string()), "the example is not a schema");
        let m: ModelSection =
            extract_json(r#"{"summary": "The speaker thanked the House."}"#).unwrap();
        assert_eq!(m.problem(Lang::En), None);
        let r: ModelReduce = extract_json(r#"{"summary": "o"}"#).unwrap();
        assert_eq!(r.problem(Lang::En), None, "`summary` stands in for `overview`");
        let r: ModelReduce = extract_json(r#"{"title": "深化行业整治"}"#).unwrap();
        assert!(r.problem(Lang::Zh).is_some());
        assert!(
            repair_request(Lang::Zh, "缺少 summary 的内容", &ex).starts_with("上面的回答不能用")
        );
    }

    #[test]
    fn scripts() {
        assert!(in_script("全面从严治党永远在路上。", Lang::Zh));
        assert!(!in_script("The party must govern itself strictly.", Lang::Zh));
        assert!(in_script("The party must govern itself strictly.", Lang::En));
    }
}
