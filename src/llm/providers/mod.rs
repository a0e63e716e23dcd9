//! The chat provider registry: every kind (`kind = "…"` in a
//! `[providers.NAME]` table) is one file in this folder and one line in the
//! `register_providers!` call below (aichat's `register_client!` pattern,
//! as `render/outputs` registers outputs).
//!
//! A kind's file holds
//! `pub fn connect(spec: &ProviderSpec<'_>) -> Result<Arc<dyn ChatClient>, String>`:
//! its own defaults, environment variables and key, then its client. What
//! every kind resolves the same way (the model, limits, structured output,
//! prices) is [`ProviderSpec::model`] and [`ProviderSpec::chat_config`].
//! `app::settings` knows no kind: it hands the table, the flags and the
//! environment to [`connect`].

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::llm::chat::{ChatClient, ChatConfig, Structured};

/// One `[providers.NAME]` table of `speechdigest.toml` (the file schema; the
/// kind reads the keys it has a use for).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ProviderConfig {
    /// A registered kind (see [`kinds`]); `openai` (the wire format) when unset.
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
    /// Total seconds of retry waits per request at most (default 120: a
    /// 60 s rate-limit window fits).
    pub retry_budget_s: Option<u64>,
    /// Tokens per Han character in the estimates (default 1.6).
    pub tokens_per_han: Option<f64>,
    /// `o200k` (count with OpenAI's tokenizer, floored by the estimate) or
    /// `estimate` (never build the tokenizer: the model's is unknown).
    pub tokenizer: Option<String>,
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

impl ProviderConfig {
    /// Checks the values of table `name` (when the file is parsed). Pure.
    ///
    /// # Errors
    /// A value out of its set, as a message naming the provider.
    pub(crate) fn validate(&self, name: &str) -> Result<(), String> {
        if let Some(f) = &self.max_tokens_field
            && f != "max_tokens"
            && f != "max_completion_tokens"
        {
            return Err(format!(
                "provider `{name}`: max_tokens_field must be `max_tokens` or `max_completion_tokens`"
            ));
        }
        if let Some(s) = &self.structured
            && !["json_schema", "json_object", "off"].contains(&s.as_str())
        {
            return Err(format!(
                "provider `{name}`: structured must be `json_schema`, `json_object` or `off`"
            ));
        }
        if let Some(t) = &self.tokenizer
            && t != "o200k"
            && t != "estimate"
        {
            return Err(format!("provider `{name}`: tokenizer must be `o200k` or `estimate`"));
        }
        if let Some(r) = self.tokens_per_han
            && !(0.5..=8.0).contains(&r)
        {
            return Err(format!("provider `{name}`: tokens_per_han must be between 0.5 and 8"));
        }
        if self.concurrency == Some(0) {
            return Err(format!("provider `{name}`: concurrency must be at least 1"));
        }
        Ok(())
    }
}

/// What the command line says about the provider (it wins over the file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ProviderFlags {
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--model`.
    pub model: Option<String>,
    /// `--concurrency`.
    pub concurrency: Option<usize>,
}

/// One provider to connect, as a kind's constructor sees it: its table, the
/// flags and the environment (file < environment < flags; the kind applies
/// the environment, since only it knows its variables).
pub(crate) struct ProviderSpec<'a> {
    /// The registered kind being connected (from the registry, not the file).
    pub kind: &'static str,
    /// The provider's name (`openai`, `deepseek`, …).
    pub name: &'a str,
    /// Its table (the default one when the file has none).
    pub config: &'a ProviderConfig,
    /// The command line.
    pub flags: &'a ProviderFlags,
    /// Looks an environment variable up (tests pass a map).
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

impl ProviderSpec<'_> {
    /// The model: `--model`, else the table's, else the kind's `default`.
    ///
    /// # Errors
    /// None of them.
    pub(crate) fn model(&self, default: Option<&str>) -> Result<String, String> {
        self.flags
            .model
            .clone()
            .or_else(|| self.config.model.clone())
            .or_else(|| default.map(str::to_owned))
            .ok_or_else(|| format!("provider `{}` has no `model` (use --model)", self.name))
    }

    /// The kind-independent settings, with the kind's base URL and model.
    ///
    /// # Errors
    /// An unknown `structured` value.
    pub(crate) fn chat_config(
        &self,
        base_url: Option<String>,
        model: String,
    ) -> Result<ChatConfig, String> {
        let p = self.config;
        let structured = match p.structured.as_deref() {
            None | Some("json_object") => Structured::JsonObject,
            Some("json_schema") => Structured::JsonSchema,
            Some("off") => Structured::Off,
            Some(other) => return Err(format!("provider `{}`: structured `{other}`", self.name)),
        };
        Ok(ChatConfig {
            kind: self.kind,
            name: self.name.to_owned(),
            model,
            base_url,
            context_window: p.context_window.unwrap_or(32_000).max(1024),
            max_output_tokens: p.max_output_tokens.unwrap_or(1200).max(16),
            structured,
            concurrency: self.flags.concurrency.or(p.concurrency).unwrap_or(4).max(1),
            tokens: crate::llm::chat::Tokens {
                per_han: p.tokens_per_han.unwrap_or(1.6),
                exact: p.tokenizer.as_deref() != Some("estimate"),
            },
            price_prompt_per_mtok: p.price_prompt_per_mtok,
            price_completion_per_mtok: p.price_completion_per_mtok,
        })
    }
}

/// A kind's constructor: the resolved client, or a message for the user.
pub(crate) type Connect = fn(&ProviderSpec<'_>) -> Result<Arc<dyn ChatClient>, String>;

/// One registered kind.
#[derive(Clone, Copy)]
pub(crate) struct Kind {
    /// `kind = "…"` in the file; also `provider.kind` in `digest.json`.
    pub name: &'static str,
    /// Its constructor.
    pub connect: Connect,
}

macro_rules! register_providers {
    ($($module:ident => $name:literal),* $(,)?) => {
        $(pub(crate) mod $module;)*

        static KINDS: &[Kind] = &[$(Kind { name: $name, connect: $module::connect }),*];
    };
}

// One line per kind: its module in this folder and its `kind = "…"` name.
register_providers!(openai => "openai");

/// The kind of a table without `kind` that is not named after a kind.
pub(crate) const DEFAULT_KIND: &str = "openai";

/// Every registered kind, in registry order.
pub(crate) fn kinds() -> &'static [Kind] {
    KINDS
}

/// The kind registered as `name`.
pub(crate) fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// Connects provider `name` with its table (`None` when the file has none).
/// Its kind is the table's `kind`, else `name` itself when that is a
/// registered kind (so `--provider openai` needs no table), else
/// [`DEFAULT_KIND`].
///
/// # Errors
/// An unregistered `kind` (the message lists the registered ones), or what
/// the kind's constructor reports.
pub(crate) fn connect(
    name: &str,
    table: Option<&ProviderConfig>,
    flags: &ProviderFlags,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Arc<dyn ChatClient>, String> {
    let default = ProviderConfig::default();
    let config = table.unwrap_or(&default);
    let wanted =
        config.kind.as_deref().or_else(|| kind(name).map(|k| k.name)).unwrap_or(DEFAULT_KIND);
    let Some(k) = kind(wanted) else {
        let names: Vec<String> = KINDS.iter().map(|k| format!("`{}`", k.name)).collect();
        return Err(format!("provider `{name}`: kind must be {}", names.join(" or ")));
    };
    (k.connect)(&ProviderSpec { kind: k.name, name, config, flags, env })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_unique_and_the_default_is_registered() {
        let mut names: Vec<&str> = kinds().iter().map(|k| k.name).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "a kind registered twice");
        assert!(kind(DEFAULT_KIND).is_some());
    }

    #[test]
    fn the_kind_comes_from_the_table_then_the_name() {
        let env = |_: &str| None;
        let flags = ProviderFlags { model: Some("m".into()), ..ProviderFlags::default() };
        let c = connect("ds", None, &flags, &env).unwrap();
        assert_eq!((c.config().kind, c.config().name.as_str()), ("openai", "ds"));
        let bad = ProviderConfig { kind: Some("nope".into()), ..ProviderConfig::default() };
        let e = connect("x", Some(&bad), &flags, &env).unwrap_err();
        assert!(e.starts_with("provider `x`: kind must be "), "{e}");
        assert!(kinds().iter().all(|k| e.contains(&format!("`{}`", k.name))), "{e}");
    }
}
