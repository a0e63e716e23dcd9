//! `speechdigest.toml`: named API providers, the response cache, the output
//! folder, the scheduled-run state and the watched sources.
//!
//! `Config::parse` is pure and validates; `Config::discover` finds the file
//! (`--config`, then `./speechdigest.toml`, then the XDG config dir) and
//! returns `Ok(None)` when there is none. Precedence file < environment <
//! flags is applied in one place, by the command that needs the setting.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::ConfigError;
use serde::Deserialize;

/// The whole configuration file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The provider used when no `--provider` is given (`extractive` when unset).
    pub provider: Option<String>,
    /// Named OpenAI-compatible providers: `[providers.deepseek]`.
    pub providers: BTreeMap<String, ProviderConfig>,
    /// The API response cache.
    pub cache: CacheConfig,
    /// Where `watch` writes item folders.
    pub output: OutputConfig,
    /// Where `watch` keeps its state.
    pub state: StateConfig,
    /// A template folder used by `build` and `watch` unless `--templates` is given.
    pub templates: Option<PathBuf>,
    /// Sources that `watch` follows: `[[sources]]`.
    pub sources: Vec<SourceConfig>,
}

/// One OpenAI-compatible endpoint.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderConfig {
    /// Always `openai` (the wire format); kept for future kinds.
    pub kind: Option<String>,
    /// Base URL including the version segment (`https://api.deepseek.com`, `http://127.0.0.1:11434/v1`).
    pub base_url: Option<String>,
    /// Model id.
    pub model: Option<String>,
    /// The *name* of the environment variable holding the key (never the key itself).
    pub api_key_env: Option<String>,
    /// Sampling temperature.
    pub temperature: Option<f64>,
    /// Output cap in tokens.
    pub max_output_tokens: Option<u32>,
    /// Which request field carries the cap: `max_tokens` (default) or `max_completion_tokens`.
    pub max_tokens_field: Option<String>,
    /// The model's context window in tokens.
    pub context_window: Option<u32>,
    /// Per-request timeout in seconds.
    pub timeout_s: Option<u64>,
    /// Requests in flight at most.
    pub concurrency: Option<usize>,
    /// Requests per minute at most.
    pub requests_per_minute: Option<u32>,
    /// `json_schema`, `json_object` or `off`.
    pub structured: Option<String>,
    /// Extra HTTP headers.
    pub extra_headers: BTreeMap<String, String>,
    /// Extra JSON merged into the request body.
    pub extra_body: Option<toml::Table>,
    /// Price per million prompt tokens (for `--dry-run` estimates).
    pub price_prompt_per_mtok: Option<f64>,
    /// Price per million completion tokens.
    pub price_completion_per_mtok: Option<f64>,
}

/// The response cache.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// The SQLite file (default under the XDG cache dir).
    pub path: Option<PathBuf>,
    /// Turn the cache off.
    pub disabled: bool,
}

/// Output of scheduled runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutputConfig {
    /// Folder for item folders (default `out`).
    pub dir: Option<PathBuf>,
    /// Write a `rollup.md` per pass (needs at least one new item).
    pub rollup: bool,
}

/// State of scheduled runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StateConfig {
    /// The SQLite file (default under the XDG data dir).
    pub path: Option<PathBuf>,
    /// Attempts before a failing item is parked (default 3).
    pub max_attempts: Option<u32>,
}

/// What kind of source `watch` follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Files in a folder.
    Folder,
    /// An RSS or Atom feed.
    Feed,
    /// A file with one URL per line.
    Urls,
}

/// One watched source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// A name for reports (default: the path or URL).
    #[serde(default)]
    pub name: Option<String>,
    /// `folder`, `feed` or `urls`.
    pub kind: SourceKind,
    /// Folder path (`folder`) or URL list file (`urls`).
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// Feed URL (`feed`).
    #[serde(default)]
    pub url: Option<String>,
    /// File-name pattern for folders (`*.txt`, `*.{txt,html}`); default: all files.
    #[serde(default)]
    pub glob: Option<String>,
    /// Language of the source's speeches (detected when unset).
    #[serde(default)]
    pub lang: Option<String>,
    /// Provider for this source.
    #[serde(default)]
    pub provider: Option<String>,
    /// Template folder for this source.
    #[serde(default)]
    pub templates: Option<PathBuf>,
    /// Sub-folder of the output dir for this source's items.
    #[serde(default)]
    pub subdir: Option<PathBuf>,
}

impl Config {
    /// Parses and validates a configuration text. Pure.
    ///
    /// # Errors
    /// TOML syntax, unknown keys, and inconsistent values (as `Err(message)`).
    pub fn parse(text: &str) -> Result<Config, Result<toml::de::Error, String>> {
        let c: Config = toml::from_str(text).map_err(Ok)?;
        c.validate().map_err(Err)?;
        Ok(c)
    }

    fn validate(&self) -> Result<(), String> {
        for (i, s) in self.sources.iter().enumerate() {
            let what = s.name.clone().unwrap_or_else(|| format!("sources[{i}]"));
            match s.kind {
                SourceKind::Folder | SourceKind::Urls if s.path.is_none() => {
                    return Err(format!("source `{what}` needs `path`"));
                }
                SourceKind::Feed if s.url.is_none() => {
                    return Err(format!("source `{what}` needs `url`"));
                }
                _ => {}
            }
            if let Some(l) = &s.lang {
                l.parse::<crate::model::Lang>().map_err(|e| format!("source `{what}`: {e}"))?;
            }
        }
        for (name, p) in &self.providers {
            if let Some(f) = &p.max_tokens_field
                && f != "max_tokens"
                && f != "max_completion_tokens"
            {
                return Err(format!(
                    "provider `{name}`: max_tokens_field must be `max_tokens` or `max_completion_tokens`"
                ));
            }
            if let Some(s) = &p.structured
                && !["json_schema", "json_object", "off"].contains(&s.as_str())
            {
                return Err(format!(
                    "provider `{name}`: structured must be `json_schema`, `json_object` or `off`"
                ));
            }
            if p.concurrency == Some(0) {
                return Err(format!("provider `{name}`: concurrency must be at least 1"));
            }
        }
        Ok(())
    }

    /// Reads and parses `path`.
    ///
    /// # Errors
    /// An unreadable file or invalid contents, naming the file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::Read { path: path.to_owned(), source: e })?;
        Config::parse(&text).map_err(|e| match e {
            Ok(source) => ConfigError::Parse { path: path.to_owned(), source },
            Err(message) => ConfigError::Invalid { path: path.to_owned(), message },
        })
    }

    /// Finds the configuration: `explicit` (must exist), else
    /// `./speechdigest.toml`, else `$XDG_CONFIG_HOME/speechdigest/config.toml`.
    /// Returns the file and its config, or `None` when there is no file.
    ///
    /// # Errors
    /// A file that exists but cannot be read or parsed; a missing `explicit` file.
    pub fn discover(explicit: Option<&Path>) -> Result<Option<(PathBuf, Config)>, ConfigError> {
        if let Some(p) = explicit {
            return Config::from_file(p).map(|c| Some((p.to_owned(), c)));
        }
        let mut candidates = vec![PathBuf::from("speechdigest.toml")];
        if let Some(d) = directories::ProjectDirs::from("", "", "speechdigest") {
            candidates.push(d.config_dir().join("config.toml"));
        }
        for p in candidates {
            if p.is_file() {
                tracing::debug!("config: {}", p.display());
                return Config::from_file(&p).map(|c| Some((p, c)));
            }
            tracing::debug!("config: no {}", p.display());
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_parses() {
        let text = include_str!("../../speechdigest.example.toml");
        let c = Config::parse(text).expect("example parses");
        assert!(!c.sources.is_empty());
        assert!(c.providers.contains_key("deepseek"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        assert!(matches!(Config::parse("colour = 1"), Err(Ok(_))));
        assert!(
            matches!(Config::parse("[[sources]]\nkind = \"feed\"\n"), Err(Err(m)) if m.contains("needs `url`"))
        );
        assert!(matches!(Config::parse("[providers.x]\nconcurrency = 0\n"), Err(Err(_))));
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }
}
