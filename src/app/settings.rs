//! Resolved settings: the command line, the config file and the
//! environment merged in one place (file < environment < flags), the way uv
//! resolves its settings. The file schema (`config.rs`) knows nothing of the
//! command line; the commands read only what this module resolves.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tracing::info;

use crate::app::cli::{ApiArgs, WatchArgs};
use crate::app::config::Config;
use crate::app::pipeline::Provider;
use crate::app::watch::WatchOptions;
use crate::error::{Error, Result};
use crate::ingest::fetch::FetchOptions;
use crate::llm::chat::ChatClient;
use crate::llm::mapreduce::ApiRun;
use crate::llm::prompts;
use crate::llm::providers::{self, ProviderFlags};
use crate::store::Store;

/// The summariser a `build` uses, resolved. Chat providers of every kind
/// are one variant: the kind is the registry's business (`llm::providers`).
#[derive(Debug, Clone)]
pub(super) enum ProviderSettings {
    /// The built-in offline summariser.
    Extractive,
    /// A chat provider, connected (its client makes no call until asked).
    Chat(Arc<dyn ChatClient>),
}

/// Everything `build` needs to know about summarising, resolved from the
/// config file, the environment and the flags (in that order of precedence).
#[derive(Debug, Clone)]
pub(super) struct Settings {
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
    /// Keep a digest whose sections all degraded (`--allow-degraded`).
    pub allow_degraded: bool,
    /// Calls a run may make at most (`--max-calls`).
    pub max_calls: Option<u64>,
    /// The user's prompt folder.
    pub prompts: Option<PathBuf>,
}

impl Settings {
    /// Resolves the settings: file < environment < flags, in this one place.
    ///
    /// `env` looks a variable up (tests pass a map; the binary passes
    /// `std::env::var`). A chat provider is handed to its kind's constructor
    /// (`llm::providers::connect`), which applies its own defaults and
    /// environment variables and reads its key (kept in a `Secret` that
    /// never prints).
    ///
    /// # Errors
    /// An unknown provider name or kind, or an invalid value, as a message.
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
            let table = file.providers.get(&name);
            if table.is_none() && providers::kind(&name).is_none() {
                let mut known = vec!["extractive"];
                known.extend(providers::kinds().iter().map(|k| k.name));
                for n in file.providers.keys() {
                    if !known.contains(&n.as_str()) {
                        known.push(n);
                    }
                }
                return Err(format!("unknown provider `{name}` (known: {})", known.join(", ")));
            }
            let flags = ProviderFlags {
                base_url: cli.base_url.clone(),
                model: cli.model.clone(),
                concurrency: cli.concurrency.map(|c| c as usize),
            };
            ProviderSettings::Chat(providers::connect(&name, table, &flags, env)?)
        };
        Ok(Settings {
            provider,
            cache,
            strict: cli.strict,
            dry_run: cli.dry_run,
            fallback: cli.fallback.as_deref() == Some("extractive"),
            allow_degraded: cli.allow_degraded,
            max_calls: cli.max_calls,
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
pub(super) fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "speechdigest")
}

impl Settings {
    /// The summariser these settings name: the extractive one, or a chat
    /// provider with its client, cache and prompts (parsed now, before any
    /// input is read).
    ///
    /// # Errors
    /// A prompt that does not parse, a cache that cannot be opened.
    pub(crate) fn provider(&self) -> Result<Provider> {
        match &self.provider {
            ProviderSettings::Extractive => Ok(Provider::Extractive),
            ProviderSettings::Chat(client) => Ok(Provider::Chat(api_run(client.clone(), self)?)),
        }
    }
}

/// The shared state of an API run: client, cache, prompts.
fn api_run(client: Arc<dyn ChatClient>, settings: &Settings) -> Result<Arc<ApiRun>> {
    let prompts = prompts::load(settings.prompts.as_deref())?;
    let cache = match &settings.cache {
        Some(p) if !settings.dry_run => {
            info!("cache: {}", p.display());
            Some(std::sync::Mutex::new(Store::open(p)?))
        }
        _ => None,
    };
    Ok(Arc::new(ApiRun {
        client,
        cache,
        prompts,
        strict: settings.strict,
        fallback: settings.fallback,
        cached: Default::default(),
        allow_degraded: settings.allow_degraded,
        max_calls: settings.max_calls,
        sent: Default::default(),
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
        jobs: args.jobs.map_or_else(
            || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            usize::from,
        ),
        since: args.since.clone(),
        json: args.json,
        out_dir,
        state_path,
        max_attempts: config.state.max_attempts.unwrap_or(3).max(1),
        rollup: config.output.rollup,
        feed: config
            .output
            .base_url
            .clone()
            .filter(|_| config.output.audio.as_ref().and_then(|a| a.names()).is_some()),
        fetch: FetchOptions {
            allow_private_hosts: config
                .sources
                .iter()
                .filter(|s| s.allow_private)
                .filter_map(|s| s.url.as_deref())
                .filter_map(|u| reqwest::Url::parse(u).ok()?.host_str().map(str::to_owned))
                .collect(),
            user_agent: config.http.user_agent.clone(),
            ..FetchOptions::default()
        },
        delay: std::time::Duration::from_millis(config.http.delay_ms.unwrap_or(1000)),
        robots: config.http.robots.unwrap_or(true),
        sources,
        pipelines: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::chat::ChatConfig;
    use std::collections::BTreeMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: BTreeMap<String, String> =
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |k: &str| m.get(k).cloned()
    }

    fn chat(s: &Settings) -> &ChatConfig {
        match &s.provider {
            ProviderSettings::Chat(c) => c.config(),
            ProviderSettings::Extractive => panic!("extractive"),
        }
    }

    fn base_url(s: &Settings) -> &str {
        chat(s).base_url.as_deref().unwrap_or_default()
    }

    #[test]
    fn default_is_extractive_with_a_cache_under_xdg() {
        let s = Settings::resolve(&ApiArgs::default(), None, &env_of(&[("HOME", "/h")])).unwrap();
        assert!(matches!(s.provider, ProviderSettings::Extractive));
        assert_eq!(s.cache, Some(PathBuf::from("/h/.cache/speechdigest/cache.sqlite")));
        let s = Settings::resolve(
            &ApiArgs { no_cache: true, ..ApiArgs::default() },
            None,
            &env_of(&[("XDG_CACHE_HOME", "/c")]),
        )
        .unwrap();
        assert_eq!(s.cache, None);
    }

    /// The kind's own part (the key, `OPENAI_BASE_URL` for which providers)
    /// is tested in `llm::providers::openai`.
    #[test]
    fn file_then_env_then_flags() {
        let file = Config::parse(
            "provider = \"openai\"\n[providers.openai]\nbase_url = \"http://file/v1\"\nmodel = \"m-file\"\nconcurrency = 2\n[providers.ds]\nbase_url = \"https://api.deepseek.com\"\nmodel = \"deepseek-chat\"\napi_key_env = \"DS_KEY\"\n",
        )
        .unwrap();
        let none = ApiArgs::default();
        let s = Settings::resolve(&none, Some(&file), &env_of(&[])).unwrap();
        assert_eq!((base_url(&s), chat(&s).concurrency), ("http://file/v1", 2));
        assert_eq!((chat(&s).kind, chat(&s).name.as_str()), ("openai", "openai"));
        let env = env_of(&[("OPENAI_BASE_URL", "http://env/v1/"), ("OPENAI_API_KEY", "sk-x")]);
        let s = Settings::resolve(&none, Some(&file), &env).unwrap();
        assert_eq!(base_url(&s), "http://env/v1");
        assert!(!format!("{s:?}").contains("sk-x"), "the key never prints");
        let flags = ApiArgs {
            base_url: Some("http://flag/v1".into()),
            model: Some("m-flag".into()),
            concurrency: Some(8),
            ..ApiArgs::default()
        };
        let s = Settings::resolve(&flags, Some(&file), &env).unwrap();
        assert_eq!(
            (base_url(&s), chat(&s).model.as_str(), chat(&s).concurrency),
            ("http://flag/v1", "m-flag", 8)
        );
        let ds = ApiArgs { provider: Some("ds".into()), ..ApiArgs::default() };
        let s = Settings::resolve(&ds, Some(&file), &env).unwrap();
        assert_eq!((base_url(&s), chat(&s).name.as_str()), ("https://api.deepseek.com", "ds"));
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
        assert!(e.contains("(known: extractive, openai"), "every registered kind: {e}");
        let file = Config::parse("[providers.x]\nkind = \"nope\"\nmodel = \"m\"\n").unwrap();
        let x = ApiArgs { provider: Some("x".into()), ..ApiArgs::default() };
        let e = Settings::resolve(&x, Some(&file), &env_of(&[])).unwrap_err();
        assert!(e.contains("provider `x`: kind must be `openai`"), "{e}");
        let e = Settings::resolve(
            &ApiArgs { provider: Some("y".into()), ..ApiArgs::default() },
            Some(&file),
            &env_of(&[]),
        )
        .unwrap_err();
        assert!(e.contains("(known: extractive, openai") && e.ends_with(", x)"), "{e}");
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
