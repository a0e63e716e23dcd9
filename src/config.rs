//! `speechdigest.toml`: named API providers, the response cache, the output
//! folder, the scheduled-run state and the watched sources.
//!
//! `Config::parse` is pure and validates; `Config::discover` finds the file
//! (`--config`, then `./speechdigest.toml`, then the XDG config dir) and
//! returns `Ok(None)` when there is none. Precedence file < environment <
//! flags is applied in one place, by the command that needs the setting.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::ApiArgs;
use crate::summarize::openai::{OpenAiConfig, Secret, Structured};

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

/// A configuration problem.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML for this schema.
    #[error("invalid config `{}`", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The cause (with line and column).
        #[source]
        source: toml::de::Error,
    },
    /// A value is out of range or inconsistent.
    #[error("invalid config `{}`: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
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
                l.parse::<crate::ingest::Lang>().map_err(|e| format!("source `{what}`: {e}"))?;
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

/// The summariser a `build` uses, resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum ProviderSettings {
    /// The built-in offline summariser.
    Extractive,
    /// An OpenAI-compatible endpoint.
    OpenAi(Box<OpenAiConfig>),
}

/// Everything `build` needs to know about summarising, resolved from the
/// config file, the environment and the flags (in that order of precedence).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Which summariser.
    pub provider: ProviderSettings,
    /// The response cache file, `None` when the cache is off.
    pub cache: Option<PathBuf>,
    /// Drop unsupported figures and quotations instead of marking them.
    pub strict: bool,
    /// Print the plan and call nothing.
    pub dry_run: bool,
    /// Fill failing sections extractively.
    pub fallback: bool,
    /// The user's prompt folder.
    pub prompts: Option<PathBuf>,
}

/// The default OpenAI base URL (as in the OpenAI SDKs).
pub const OPENAI_BASE_URL: &str = "https://api.openai.com/v1";
/// The model used by `--provider openai` when none is configured.
pub const OPENAI_MODEL: &str = "gpt-4o-mini";

impl Settings {
    /// Resolves the settings: file < environment < flags, in this one place.
    ///
    /// `env` looks a variable up (tests pass a map; the binary passes
    /// `std::env::var`). The API key is read here, from the variable named by
    /// the provider's `api_key_env` (default `OPENAI_API_KEY`), and is kept
    /// in a [`Secret`] that never prints. `OPENAI_BASE_URL` applies to the
    /// providers that use `OPENAI_API_KEY`, as the OpenAI SDKs do.
    ///
    /// # Errors
    /// An unknown provider name or an invalid value, as a message.
    pub fn resolve(
        cli: &ApiArgs,
        file: Option<&Config>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, String> {
        let empty = Config::default();
        let file = file.unwrap_or(&empty);
        let name = cli
            .provider
            .clone()
            .or_else(|| file.provider.clone())
            .unwrap_or_else(|| "extractive".to_owned());
        let cache = if cli.no_cache || (file.cache.disabled && cli.cache.is_none()) {
            None
        } else {
            cli.cache.clone().or_else(|| file.cache.path.clone()).or_else(|| default_cache(env))
        };
        let provider = if name == "extractive" {
            if cli.base_url.is_some() || cli.model.is_some() {
                return Err(
                    "--base-url and --model need an API provider (e.g. `--provider openai`)"
                        .to_owned(),
                );
            }
            ProviderSettings::Extractive
        } else {
            let p = match file.providers.get(&name) {
                Some(p) => p.clone(),
                None if name == "openai" => ProviderConfig::default(),
                None => {
                    let known: Vec<&str> = file.providers.keys().map(String::as_str).collect();
                    return Err(format!(
                        "unknown provider `{name}` (known: extractive, openai{}{})",
                        if known.is_empty() { "" } else { ", " },
                        known.join(", ")
                    ));
                }
            };
            if let Some(k) = &p.kind
                && k != "openai"
            {
                return Err(format!("provider `{name}`: kind must be `openai`"));
            }
            let key_env = p.api_key_env.clone().unwrap_or_else(|| "OPENAI_API_KEY".to_owned());
            let env_base = if key_env == "OPENAI_API_KEY" { env("OPENAI_BASE_URL") } else { None };
            let base_url = cli
                .base_url
                .clone()
                .or(env_base.filter(|s| !s.trim().is_empty()))
                .or(p.base_url.clone())
                .unwrap_or_else(|| OPENAI_BASE_URL.to_owned());
            let model = cli
                .model
                .clone()
                .or(p.model.clone())
                .or_else(|| (name == "openai").then(|| OPENAI_MODEL.to_owned()))
                .ok_or_else(|| format!("provider `{name}` has no `model` (use --model)"))?;
            let api_key = env(&key_env).filter(|k| !k.trim().is_empty()).map(Secret::new);
            let extra_body = match &p.extra_body {
                Some(t) => match serde_json::to_value(t) {
                    Ok(serde_json::Value::Object(m)) => Some(m),
                    _ => return Err(format!("provider `{name}`: extra_body is not a table")),
                },
                None => None,
            };
            let structured = match p.structured.as_deref() {
                None | Some("json_object") => Structured::JsonObject,
                Some("json_schema") => Structured::JsonSchema,
                Some("off") => Structured::Off,
                Some(other) => return Err(format!("provider `{name}`: structured `{other}`")),
            };
            let concurrency =
                cli.concurrency.map(|c| c as usize).or(p.concurrency).unwrap_or(4).max(1);
            ProviderSettings::OpenAi(Box::new(OpenAiConfig {
                name: name.clone(),
                base_url: base_url.trim_end_matches('/').to_owned(),
                model,
                api_key,
                api_key_env: key_env,
                temperature: p.temperature,
                max_output_tokens: p.max_output_tokens.unwrap_or(1200).max(16),
                use_max_completion_tokens: p.max_tokens_field.as_deref()
                    == Some("max_completion_tokens"),
                context_window: p.context_window.unwrap_or(32_000).max(1024),
                timeout: std::time::Duration::from_secs(p.timeout_s.unwrap_or(180).max(1)),
                concurrency,
                requests_per_minute: p.requests_per_minute.filter(|r| *r > 0),
                structured,
                extra_headers: p.extra_headers.clone(),
                extra_body,
                price_prompt_per_mtok: p.price_prompt_per_mtok,
                price_completion_per_mtok: p.price_completion_per_mtok,
                max_retries: 4,
                retry_budget: std::time::Duration::from_secs(45),
            }))
        };
        Ok(Settings {
            provider,
            cache,
            strict: cli.strict,
            dry_run: cli.dry_run,
            fallback: cli.fallback.as_deref() == Some("extractive"),
            prompts: cli.prompts.clone(),
        })
    }
}

/// `$XDG_CACHE_HOME/speechdigest/cache.sqlite` (or `~/.cache/…`), from `env`.
fn default_cache(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env("XDG_CACHE_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".cache")))
        .map(|d| d.join("speechdigest"))
        .or_else(|| project_dirs().map(|d| d.cache_dir().to_owned()))?;
    Some(base.join("cache.sqlite"))
}

/// Default folders: the XDG data dir for state, the XDG cache dir for the cache.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "speechdigest")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_parses() {
        let text = include_str!("../speechdigest.example.toml");
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

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: BTreeMap<String, String> =
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |k: &str| m.get(k).cloned()
    }

    fn api(s: &Settings) -> &OpenAiConfig {
        match &s.provider {
            ProviderSettings::OpenAi(c) => c,
            ProviderSettings::Extractive => panic!("extractive"),
        }
    }

    #[test]
    fn default_is_extractive_with_a_cache_under_xdg() {
        let s = Settings::resolve(&ApiArgs::default(), None, &env_of(&[("HOME", "/h")])).unwrap();
        assert_eq!(s.provider, ProviderSettings::Extractive);
        assert_eq!(s.cache, Some(PathBuf::from("/h/.cache/speechdigest/cache.sqlite")));
        let s = Settings::resolve(
            &ApiArgs { no_cache: true, ..ApiArgs::default() },
            None,
            &env_of(&[("XDG_CACHE_HOME", "/c")]),
        )
        .unwrap();
        assert_eq!(s.cache, None);
    }

    #[test]
    fn file_then_env_then_flags() {
        let file = Config::parse(
            "provider = \"openai\"\n[providers.openai]\nbase_url = \"http://file/v1\"\nmodel = \"m-file\"\nconcurrency = 2\n[providers.ds]\nbase_url = \"https://api.deepseek.com\"\nmodel = \"deepseek-chat\"\napi_key_env = \"DS_KEY\"\n",
        )
        .unwrap();
        let none = ApiArgs::default();
        let s = Settings::resolve(&none, Some(&file), &env_of(&[])).unwrap();
        assert_eq!(api(&s).base_url, "http://file/v1");
        assert_eq!(api(&s).concurrency, 2);
        assert!(api(&s).api_key.is_none());
        let env = env_of(&[("OPENAI_BASE_URL", "http://env/v1/"), ("OPENAI_API_KEY", "sk-x")]);
        let s = Settings::resolve(&none, Some(&file), &env).unwrap();
        assert_eq!(api(&s).base_url, "http://env/v1");
        assert_eq!(api(&s).api_key.as_ref().map(Secret::expose), Some("sk-x"));
        let flags = ApiArgs {
            base_url: Some("http://flag/v1".into()),
            model: Some("m-flag".into()),
            concurrency: Some(8),
            ..ApiArgs::default()
        };
        let s = Settings::resolve(&flags, Some(&file), &env).unwrap();
        assert_eq!(
            (api(&s).base_url.as_str(), api(&s).model.as_str(), api(&s).concurrency),
            ("http://flag/v1", "m-flag", 8)
        );
        // A named provider reads its own key variable; OPENAI_BASE_URL is not its.
        let ds = ApiArgs { provider: Some("ds".into()), ..ApiArgs::default() };
        let s = Settings::resolve(&ds, Some(&file), &env).unwrap();
        assert_eq!(api(&s).base_url, "https://api.deepseek.com");
        assert!(api(&s).api_key.is_none());
        let s = Settings::resolve(&ds, Some(&file), &env_of(&[("DS_KEY", "k2")])).unwrap();
        assert_eq!(api(&s).api_key.as_ref().map(Secret::expose), Some("k2"));
        assert!(!format!("{s:?}").contains("k2"), "the key never prints");
    }

    #[test]
    fn unknown_provider_and_stray_flags_are_errors() {
        let e = Settings::resolve(
            &ApiArgs { provider: Some("nope".into()), ..ApiArgs::default() },
            None,
            &env_of(&[]),
        )
        .unwrap_err();
        assert!(e.contains("unknown provider `nope`"), "{e}");
        assert!(
            Settings::resolve(
                &ApiArgs { model: Some("m".into()), ..ApiArgs::default() },
                None,
                &env_of(&[])
            )
            .is_err()
        );
    }
}
