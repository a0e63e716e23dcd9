//! The speech as it enters the pipeline: its language, metadata and clean text.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The language of a speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "chinese" => Ok(Lang::Zh),
            "en" | "english" => Ok(Lang::En),
            other => Err(format!("unknown language `{other}` (use zh or en)")),
        }
    }
}

/// What is known about a speech.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Meta {
    /// The headline, without site names.
    pub title: Option<String>,
    /// The date the speech was given (`YYYY-MM-DD`), else its publication date.
    pub date: Option<String>,
    /// The publication date of the page (`YYYY-MM-DD`), when stated.
    pub published: Option<String>,
    /// Who gave it, when stated.
    pub speaker: Option<String>,
    /// The meeting or occasion, when stated.
    pub occasion: Option<String>,
    /// The news outlet the page credits (`来源：北京日报`).
    pub outlet: Option<String>,
    /// The language of the speech.
    pub lang: Lang,
    /// The path or URL exactly as given (`-` for standard input). Folder
    /// ownership depends on it; outputs show [`Meta::source_label`].
    pub source: String,
    /// What outputs show as the source: the URL, else the outlet, else the
    /// file's name (never its path); empty for standard input.
    #[serde(default)]
    pub source_label: String,
    /// Characters in the clean text.
    pub chars: usize,
    /// The encoding the input was decoded from.
    pub encoding: String,
}

#[cfg(test)]
impl Meta {
    /// Metadata with nothing known but the language, for unit tests.
    pub(crate) fn for_test(lang: Lang) -> Meta {
        Meta {
            title: None,
            date: None,
            published: None,
            speaker: None,
            occasion: None,
            outlet: None,
            lang,
            source: String::new(),
            source_label: String::new(),
            chars: 0,
            encoding: String::new(),
        }
    }
}

/// A speech: clean text and metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Metadata.
    pub meta: Meta,
    /// The clean text: one paragraph per line, no page furniture.
    pub text: String,
    /// Byte offsets of lines that the source markup marked as headings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heading_starts: Vec<usize>,
    /// What ingest dropped as page furniture or read as header metadata
    /// (`outline --removed`); not stored.
    #[serde(skip)]
    pub removed: Vec<Removed>,
}

/// A line that ingest dropped, with the rule that dropped it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// The rule's name (`editor-line`, `related-tail`, `separators`, …).
    pub rule: String,
    /// The text dropped.
    pub text: String,
    /// First and last line (1-based) of the extracted text it came from:
    /// the file's lines for text, the article's lines for a page.
    pub span: [usize; 2],
}
