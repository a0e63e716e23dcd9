//! Resolved settings: the command line, the config file and the
//! environment merged in one place (file < environment < flags), the way uv
//! resolves its settings. The file schema (`config.rs`) knows nothing of the
//! command line; the commands read only what this module resolves.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tracing::info;

use crate::app::cli::{ApiArgs, WatchArgs};
use crate::app::config::{Config, ProviderConfig};
use crate::app::pipeline::Provider;
use crate::app::watch::WatchOptions;
use crate::error::{Error, Result};
use crate::ingest::fetch::FetchOptions;
use crate::llm::chat::{ChatConfig, Secret, Structured};
use crate::llm::mapreduce::ApiRun;
use crate::llm::openai::{Client, OpenAiConfig};
use crate::llm::prompts;
use crate::store::Store;

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
    pub(crate) fn resolve(
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
                chat: ChatConfig {
                    kind: "openai",
                    name: name.clone(),
                    base_url: Some(base_url.trim_end_matches('/').to_owned()),
                    model,
                    max_output_tokens: p.max_output_tokens.unwrap_or(1200).max(16),
                    context_window: p.context_window.unwrap_or(32_000).max(1024),
                    concurrency,
                    structured,
                    price_prompt_per_mtok: p.price_prompt_per_mtok,
                    price_completion_per_mtok: p.price_completion_per_mtok,
                },
                api_key,
                api_key_env: key_env,
                temperature: p.temperature,
                use_max_completion_tokens: p.max_tokens_field.as_deref()
                    == Some("max_completion_tokens"),
                timeout: std::time::Duration::from_secs(p.timeout_s.unwrap_or(180).max(1)),
                requests_per_minute: p.requests_per_minute.filter(|r| *r > 0),
                extra_headers: p.extra_headers.clone(),
                extra_body,
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

impl Settings {
    /// The summariser these settings name: the extractive one, or a chat
    /// provider with its client, cache and prompts (parsed now, before any
    /// input is read).
    ///
    /// # Errors
    /// A prompt that does not parse, a cache that cannot be opened, an HTTP
    /// client that cannot start.
    pub(crate) fn provider(&self) -> Result<Provider> {
        match &self.provider {
            ProviderSettings::Extractive => Ok(Provider::Extractive),
            ProviderSettings::OpenAi(cfg) => Ok(Provider::Chat(api_run(cfg, self)?)),
        }
    }
}

/// The shared state of an API run: client, cache, prompts.
fn api_run(cfg: &OpenAiConfig, settings: &Settings) -> Result<Arc<ApiRun>> {
    let prompts = prompts::load(settings.prompts.as_deref())?;
    let cache = match &settings.cache {
        Some(p) if !settings.dry_run => {
            info!("cache: {}", p.display());
            Some(std::sync::Mutex::new(Store::open(p)?))
        }
        _ => None,
    };
    let client = Client::new(Arc::new(cfg.clone()))
        .map_err(|e| Error::Usage(format!("cannot start the HTTP client: {e}")))?;
    if cfg.api_key.is_none() {
        info!("no key in `{}`: calling {} without one", cfg.api_key_env, cfg.endpoint());
    }
    Ok(Arc::new(ApiRun {
        client: Arc::new(client),
        cache,
        prompts,
        strict: settings.strict,
        fallback: settings.fallback,
        cached: Default::default(),
    }))
}

/// Resolves watch settings from the config file (paths relative to its
/// folder) and the flags.
///
/// # Errors
/// A config without sources.
pub(crate) fn watch_options(
    config: &Config,
    config_dir: &Path,
    args: &WatchArgs,
) -> Result<WatchOptions> {
    if config.sources.is_empty() {
        return Err(Error::Usage("the config has no [[sources]]: nothing to watch".to_owned()));
    }
    // Everything absolute: the state records output folders, and a later run
    // may start from another directory (cron vs systemd).
    let config_dir = std::path::absolute(config_dir).unwrap_or_else(|_| config_dir.to_owned());
    let abs = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
    let rel = |p: &Path| if p.is_absolute() { p.to_owned() } else { config_dir.join(p) };
    let out_dir = abs(args
        .out
        .clone()
        .or_else(|| config.output.dir.as_deref().map(rel))
        .unwrap_or_else(|| config_dir.join("out")));
    let state_path = args
        .state
        .clone()
        .or_else(|| config.state.path.as_deref().map(rel))
        .or_else(|| project_dirs().map(|d| d.data_dir().join("state.sqlite")))
        .unwrap_or_else(|| config_dir.join("speechdigest-state.sqlite"));
    let state_path = abs(state_path);
    let sources = config
        .sources
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.path = s.path.as_deref().map(rel);
            s.templates = s.templates.as_deref().map(rel);
            s
        })
        .collect();
    if let Some(since) = &args.since
        && (since.len() != 10 || chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d").is_err())
    {
        return Err(Error::Usage(format!("--since wants YYYY-MM-DD, not `{since}`")));
    }
    Ok(WatchOptions {
        once: args.once,
        interval: args.interval,
        max_items: args.max_items,
        since: args.since.clone(),
        json: args.json,
        out_dir,
        state_path,
        max_attempts: config.state.max_attempts.unwrap_or(3).max(1),
        rollup: config.output.rollup,
        fetch: FetchOptions::default(),
        sources,
        pipelines: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

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
        assert_eq!(api(&s).base_url(), "http://file/v1");
        assert_eq!(api(&s).chat.concurrency, 2);
        assert!(api(&s).api_key.is_none());
        let env = env_of(&[("OPENAI_BASE_URL", "http://env/v1/"), ("OPENAI_API_KEY", "sk-x")]);
        let s = Settings::resolve(&none, Some(&file), &env).unwrap();
        assert_eq!(api(&s).base_url(), "http://env/v1");
        assert_eq!(api(&s).api_key.as_ref().map(Secret::expose), Some("sk-x"));
        let flags = ApiArgs {
            base_url: Some("http://flag/v1".into()),
            model: Some("m-flag".into()),
            concurrency: Some(8),
            ..ApiArgs::default()
        };
        let s = Settings::resolve(&flags, Some(&file), &env).unwrap();
        assert_eq!(
            (api(&s).base_url(), api(&s).chat.model.as_str(), api(&s).chat.concurrency),
            ("http://flag/v1", "m-flag", 8)
        );
        // A named provider reads its own key variable; OPENAI_BASE_URL is not its.
        let ds = ApiArgs { provider: Some("ds".into()), ..ApiArgs::default() };
        let s = Settings::resolve(&ds, Some(&file), &env).unwrap();
        assert_eq!(api(&s).base_url(), "https://api.deepseek.com");
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
