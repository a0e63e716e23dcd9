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
pub(crate) use crate::llm::providers::ProviderConfig;
pub(crate) use crate::llm::speech::TtsConfig;
use serde::Deserialize;

/// The whole configuration file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Config {
    /// The provider used when no `--provider` is given (`extractive` when unset).
    pub provider: Option<String>,
    /// Named chat providers: `[providers.deepseek]` (schema and kinds in `llm::providers`).
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
    /// Speech engines and the pronunciation lexicon: `[tts]` (schema in `llm::speech`).
    pub tts: TtsConfig,
    /// Politeness of `watch`'s requests to listing pages: `[http]`.
    pub http: HttpConfig,
}

/// How `watch` treats the sites of `page` sources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct HttpConfig {
    /// The `User-Agent` of every request (default `speechdigest/VERSION`).
    pub user_agent: Option<String>,
    /// Time between two requests to one host, in milliseconds (default 1000).
    pub delay_ms: Option<u64>,
    /// Honour `robots.txt` (default true; a source's `robots` wins).
    pub robots: Option<bool>,
}

/// The response cache.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CacheConfig {
    /// The SQLite file (default under the XDG cache dir).
    pub path: Option<PathBuf>,
    /// Turn the cache off.
    pub disabled: bool,
    /// Largest size of the synthesised speech kept in it, in MiB (default
    /// 1024; the oldest pieces go first).
    pub audio_max_mib: Option<u64>,
}

/// Output of scheduled runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct OutputConfig {
    /// Folder for item folders (default `out`).
    pub dir: Option<PathBuf>,
    /// Write a `rollup.md` per pass (needs at least one new item).
    pub rollup: bool,
    /// Largest output one template may render, in MiB (default 20; `--max-output-mib` wins).
    pub max_output_mib: Option<u64>,
    /// Longest one template may take to render, in seconds (default 60; `--template-timeout` wins).
    pub template_timeout: Option<u64>,
    /// Audio for every item `watch` digests: `true` (the transcript, as
    /// `build --audio`) or a list (`["transcript", "newsletter"]`).
    pub audio: Option<AudioSetting>,
    /// The public URL of the output folder: with audio, `watch` writes a
    /// podcast feed (`feed.xml`, enclosures under this URL) beside the roll-up.
    pub base_url: Option<String>,
    /// A .docx whose styles the Word outputs use (`--reference-docx` wins).
    pub reference_docx: Option<PathBuf>,
}

/// `[output] audio`: on/off, or which outputs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub(crate) enum AudioSetting {
    /// `true`: the transcript.
    On(bool),
    /// `["transcript", "briefing", "newsletter"]`.
    List(Vec<String>),
}

impl AudioSetting {
    /// The names selected, `None` when off.
    pub(crate) fn names(&self) -> Option<Vec<String>> {
        match self {
            AudioSetting::On(false) => None,
            AudioSetting::On(true) => Some(vec!["transcript".to_owned()]),
            AudioSetting::List(l) => Some(l.clone()),
        }
    }
}

/// State of scheduled runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct StateConfig {
    /// The SQLite file (default under the XDG data dir).
    pub path: Option<PathBuf>,
    /// Attempts before a failing item is parked (default 3).
    pub max_attempts: Option<u32>,
}

/// What kind of source `watch` follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SourceKind {
    /// Files in a folder.
    Folder,
    /// An RSS or Atom feed.
    Feed,
    /// A file with one URL per line.
    Urls,
    /// A listing page (栏目页) whose article links are followed.
    Page,
}

/// One watched source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceConfig {
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
    /// Follow redirects from this source's host into private and loopback
    /// addresses (refused by default: a public page may not send the fetcher
    /// into the local network).
    #[serde(default)]
    pub allow_private: bool,
    /// Pages of the listing read per pass (`page`; default 1).
    #[serde(default)]
    pub pages: Option<usize>,
    /// Items the first pass of a `page` source takes (default 10); the
    /// older ones are recorded as seen.
    #[serde(default)]
    pub backfill: Option<usize>,
    /// A CSS selector for the listing's links, instead of the detection (`page`).
    #[serde(default)]
    pub selector: Option<String>,
    /// A regex each article link must match (`page`).
    #[serde(default)]
    pub link_pattern: Option<String>,
    /// A regex each article title must match (`page`): `讲话|报告`.
    #[serde(default)]
    pub title_contains: Option<String>,
    /// Honour `robots.txt` for this source (default: `[http] robots`).
    #[serde(default)]
    pub robots: Option<bool>,
    /// A command run (by `sh -c`) after each item of this source is written,
    /// with `SPEECHDIGEST_DIR`, `_ID`, `_SOURCE`, `_TITLE`, `_URL`, `_STATUS`
    /// in its environment: to notify or mail.
    #[serde(default)]
    pub on_item: Option<String>,
    /// Audio for this source's items, as `[output] audio` (which it
    /// overrides: `false` turns audio off for this source).
    pub audio: Option<AudioSetting>,
}

impl Config {
    /// Parses and validates a configuration text. Pure.
    ///
    /// # Errors
    /// TOML syntax, unknown keys, and inconsistent values (as `Err(message)`).
    pub(crate) fn parse(text: &str) -> Result<Config, Result<toml::de::Error, String>> {
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
                SourceKind::Feed | SourceKind::Page if s.url.is_none() => {
                    return Err(format!("source `{what}` needs `url`"));
                }
                _ => {}
            }
            for re in [&s.link_pattern, &s.title_contains].into_iter().flatten() {
                regex::Regex::new(re).map_err(|e| format!("source `{what}`: `{re}`: {e}"))?;
            }
            if let Some(l) = &s.lang {
                l.parse::<crate::model::Lang>().map_err(|e| format!("source `{what}`: {e}"))?;
            }
        }
        for (name, p) in &self.providers {
            p.validate(name)?;
        }
        Ok(())
    }

    /// Reads and parses `path`.
    ///
    /// # Errors
    /// An unreadable file or invalid contents, naming the file.
    pub(crate) fn from_file(path: &Path) -> Result<Config, ConfigError> {
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
    pub(crate) fn discover(
        explicit: Option<&Path>,
    ) -> Result<Option<(PathBuf, Config)>, ConfigError> {
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
