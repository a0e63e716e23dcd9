//! Speech engines: the `[tts]` schema, resolving a named engine, and the two
//! ways of getting audio for one piece of text. `kind = "openai"` posts to
//! any OpenAI-compatible `{base_url}/audio/speech` (with the chat client's
//! HTTP client builder, retry loop, `Retry-After` handling, bounded body
//! reads and error classification, reused from `providers::openai`, and a
//! concurrency cap); `kind = "command"` runs a local program (`espeak-ng`,
//! `piper`, …) with the text on its stdin or in a temporary file named by
//! `{input}` in its arguments — never through a shell. [`synthesize_all`]
//! runs a speech plan through the cache: every piece is looked up by its
//! whole request and stored as soon as it arrives, so a rerun sends nothing
//! and a run that died sends only what is missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;
use tokio::io::AsyncWriteExt;

use crate::error::ApiError;
use crate::ingest::fetch;
use crate::llm::chat::Secret;
use crate::llm::providers::openai::{self, Bounded};
use crate::model::Lang;
use crate::redact::{self, Redactor};
use crate::store::Store;
use crate::tts::Engine;
use crate::tts::audio::{self, Markup, Pcm};
use crate::tts::chunk::Limit;

/// `[tts]`: which engine speaks, the lexicon, the engines.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct TtsConfig {
    /// The engine used when no `--tts` is given (default: `espeak-ng` when installed).
    pub engine: Option<String>,
    /// A pronunciation lexicon (TSV, see `tts::lexicon`), relative to the config file.
    pub lexicon: Option<PathBuf>,
    /// Named engines: `[tts.engines.NAME]`.
    pub engines: BTreeMap<String, TtsEngineConfig>,
}

/// One `[tts.engines.NAME]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct TtsEngineConfig {
    /// `openai` (an OpenAI-compatible server) or `command` (a local program).
    pub kind: Option<String>,
    /// openai: the base URL, version segment included (`http://127.0.0.1:8880/v1`).
    pub base_url: Option<String>,
    /// openai: the model (`tts-1`, `gpt-4o-mini-tts`, `kokoro`).
    pub model: Option<String>,
    /// The voice for every language (`alloy`; for espeak-ng a voice name).
    pub voice: Option<String>,
    /// A voice per language (`{ zh = "…", en = "…" }`), before `voice`.
    pub voices: BTreeMap<String, String>,
    /// openai: `wav` (default) or `pcm` (16-bit, 24 kHz, mono).
    pub response_format: Option<String>,
    /// openai: speaking rate (0.25–4), sent only when set.
    pub speed: Option<f64>,
    /// openai: the variable holding the key (default `OPENAI_API_KEY`).
    pub api_key_env: Option<String>,
    /// Largest request in characters (default: the engine's row of the chunk table).
    pub max_chars: Option<usize>,
    /// Requests in flight at most (default 4 for openai, 2 for command).
    pub concurrency: Option<usize>,
    /// Price per million characters, for `--dry-run`.
    pub price_per_mchar: Option<f64>,
    /// Per-request (per-run) timeout in seconds (default 120).
    pub timeout_s: Option<u64>,
    /// command: the program (looked up on `PATH`).
    pub program: Option<String>,
    /// command: its arguments; `{input}` (a file holding the text; else the
    /// text goes to stdin), `{output}` (the WAV it writes; else its stdout),
    /// `{voice}` and `{lang}` are replaced.
    pub args: Option<Vec<String>>,
    /// Whether it reads SSML (command default: false; espeak-ng: true).
    pub ssml: Option<bool>,
}

/// How an engine is reached.
#[derive(Debug, Clone)]
pub(crate) enum Wire {
    /// An OpenAI-compatible server.
    OpenAi {
        /// The base URL requests go to (a [`Secret`]: it may hold credentials).
        base_url: Secret,
        /// The model.
        model: String,
        /// `wav` or `pcm`.
        format: String,
        /// Speaking rate, sent when set.
        speed: Option<f64>,
        /// The key, when its variable is set.
        api_key: Option<Secret>,
    },
    /// A local program.
    Command {
        /// The program as configured.
        program: String,
        /// Its resolved path.
        path: PathBuf,
        /// Its arguments, placeholders unreplaced.
        args: Vec<String>,
    },
}

/// A resolved engine: everything a speech plan and a request need.
#[derive(Debug)]
pub(crate) struct SpeechEngine {
    /// Its name (`espeak-ng`, a `[tts.engines.NAME]`).
    pub name: String,
    /// How it is reached.
    pub wire: Wire,
    /// What it reads.
    pub markup: Markup,
    /// Its row of the chunk table.
    pub preset: Engine,
    /// The `max_chars` override.
    pub max_chars: Option<usize>,
    /// Voices per language code, and the fallback.
    voices: BTreeMap<String, String>,
    voice: String,
    /// Requests in flight at most.
    pub concurrency: usize,
    /// Price per million characters.
    pub price_per_mchar: Option<f64>,
    timeout: Duration,
    secrets: Redactor,
    http: Option<reqwest::Client>,
    /// Requests sent (attempts included).
    pub requests: AtomicU64,
    /// Retries.
    pub retries: AtomicU64,
}

/// The built-in offline engine, used when no engine is configured and
/// `espeak-ng` is on `PATH`.
pub(crate) const ESPEAK: &str = "espeak-ng";

fn builtin(name: &str) -> Option<TtsEngineConfig> {
    match name {
        ESPEAK => Some(TtsEngineConfig {
            kind: Some("command".into()),
            program: Some(ESPEAK.into()),
            args: Some(vec![
                "-m".into(),
                "-v".into(),
                "{voice}".into(),
                "-w".into(),
                "{output}".into(),
            ]),
            ssml: Some(true),
            voices: BTreeMap::from([("zh".into(), "cmn".into()), ("en".into(), "en-us".into())]),
            ..TtsEngineConfig::default()
        }),
        "openai" => Some(TtsEngineConfig {
            kind: Some("openai".into()),
            base_url: Some(openai::OPENAI_BASE_URL.into()),
            model: Some("gpt-4o-mini-tts".into()),
            voice: Some("alloy".into()),
            ..TtsEngineConfig::default()
        }),
        _ => None,
    }
}

/// `program` on `PATH` (or as a path when it holds a `/`).
fn find_program(program: &str, path_var: Option<&str>) -> Option<PathBuf> {
    if program.contains('/') {
        return Path::new(program).is_file().then(|| PathBuf::from(program));
    }
    std::env::split_paths(path_var?).map(|d| d.join(program)).find(|p| p.is_file())
}

/// Resolves the engine to use: `flag` (`--tts`), else `[tts] engine`, else
/// `espeak-ng` when it is installed. A `[tts.engines.NAME]` table is laid
/// over the built-in of the same name (`espeak-ng`, `openai`).
///
/// # Errors
/// No engine, an unknown name or kind, a missing model, a program that is
/// not installed: one message each.
pub(crate) fn resolve(
    flag: Option<&str>,
    file: &TtsConfig,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<SpeechEngine, String> {
    let path_var = env("PATH");
    let name = match flag.map(str::to_owned).or_else(|| file.engine.clone()) {
        Some(n) => n,
        None if find_program(ESPEAK, path_var.as_deref()).is_some() => ESPEAK.to_owned(),
        None => {
            return Err(
                "no speech engine: set `[tts] engine` or `--tts NAME`, or install espeak-ng"
                    .to_owned(),
            );
        }
    };
    let table = file.engines.get(&name);
    let base = builtin(&name);
    if table.is_none() && base.is_none() {
        let mut known: Vec<&str> = vec![ESPEAK, "openai"];
        known.extend(
            file.engines.keys().map(String::as_str).filter(|n| *n != ESPEAK && *n != "openai"),
        );
        return Err(format!("unknown speech engine `{name}` (known: {})", known.join(", ")));
    }
    let c = merge(base.unwrap_or_default(), table.cloned().unwrap_or_default());
    let what = format!("speech engine `{name}`");
    let mut secrets = Redactor::new();
    let timeout = Duration::from_secs(c.timeout_s.unwrap_or(120).max(1));
    let (wire, markup, preset, http) = match c.kind.as_deref() {
        Some("openai") => {
            let base_url = c.base_url.clone().unwrap_or_else(|| openai::OPENAI_BASE_URL.to_owned());
            let base_url = base_url.trim_end_matches('/').to_owned();
            let model = c.model.clone().ok_or_else(|| format!("{what} has no `model`"))?;
            let format = c.response_format.clone().unwrap_or_else(|| "wav".to_owned());
            if !matches!(format.as_str(), "wav" | "pcm") {
                return Err(format!(
                    "{what}: response_format `{format}` cannot be joined without a decoder (use wav or pcm)"
                ));
            }
            if let Some(s) = c.speed
                && !(0.25..=4.0).contains(&s)
            {
                return Err(format!("{what}: speed {s} is outside 0.25–4"));
            }
            let key_env = c.api_key_env.clone().unwrap_or_else(|| "OPENAI_API_KEY".to_owned());
            let api_key = env(&key_env).filter(|k| !k.trim().is_empty()).map(Secret::new);
            if let Some(k) = &api_key {
                secrets.add(k.expose());
            }
            secrets.add_url(&base_url);
            let https = !base_url.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("http://"));
            let http = fetch::http_client(timeout, Duration::from_secs(5), https)
                .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
            let wire = Wire::OpenAi {
                base_url: Secret::new(base_url),
                model,
                format,
                speed: c.speed,
                api_key,
            };
            (wire, Markup::Text, Engine::Openai, Some(http))
        }
        Some("command") => {
            let program = c.program.clone().ok_or_else(|| format!("{what} has no `program`"))?;
            let path = find_program(&program, path_var.as_deref()).ok_or_else(|| {
                format!("{what}: program `{program}` is not found (install it, or set `program` to its path)")
            })?;
            let markup = if c.ssml.unwrap_or(false) { Markup::Ssml } else { Markup::Text };
            let wire = Wire::Command { program, path, args: c.args.clone().unwrap_or_default() };
            (wire, markup, Engine::Generic, None)
        }
        Some(k) => return Err(format!("{what}: unknown kind `{k}` (openai, command)")),
        None => return Err(format!("{what} has no `kind` (openai, command)")),
    };
    if c.max_chars == Some(0) || c.concurrency == Some(0) {
        return Err(format!("{what}: max_chars and concurrency must be at least 1"));
    }
    redact::remember(&secrets);
    let concurrency = c.concurrency.unwrap_or(if http.is_some() { 4 } else { 2 }).min(64);
    Ok(SpeechEngine {
        name,
        wire,
        markup,
        preset,
        max_chars: c.max_chars,
        voices: c.voices,
        voice: c.voice.unwrap_or_else(|| "alloy".to_owned()),
        concurrency,
        price_per_mchar: c.price_per_mchar,
        timeout,
        secrets,
        http,
        requests: AtomicU64::new(0),
        retries: AtomicU64::new(0),
    })
}

/// `over`'s fields where set, else `base`'s.
fn merge(base: TtsEngineConfig, over: TtsEngineConfig) -> TtsEngineConfig {
    let mut voices = base.voices;
    voices.extend(over.voices);
    TtsEngineConfig {
        kind: over.kind.or(base.kind),
        base_url: over.base_url.or(base.base_url),
        model: over.model.or(base.model),
        voice: over.voice.or(base.voice),
        voices,
        response_format: over.response_format.or(base.response_format),
        speed: over.speed.or(base.speed),
        api_key_env: over.api_key_env.or(base.api_key_env),
        max_chars: over.max_chars.or(base.max_chars),
        concurrency: over.concurrency.or(base.concurrency),
        price_per_mchar: over.price_per_mchar.or(base.price_per_mchar),
        timeout_s: over.timeout_s.or(base.timeout_s),
        program: over.program.or(base.program),
        args: over.args.or(base.args),
        ssml: over.ssml.or(base.ssml),
    }
}

impl SpeechEngine {
    /// The largest request for `lang`: `max_chars`, else the chunk table's row.
    pub(crate) fn limit(&self, lang: Lang) -> Limit {
        let chars = self.max_chars.unwrap_or_else(|| self.preset.default_max_chars(lang));
        let chars = self.preset.hard_max_chars().map_or(chars, |h| chars.min(h));
        Limit { chars: chars.max(1), bytes: self.preset.max_bytes() }
    }

    /// The voice for `lang`.
    pub(crate) fn voice(&self, lang: Lang) -> &str {
        self.voices.get(lang.code()).map_or(self.voice.as_str(), String::as_str)
    }

    /// `{base_url}/audio/speech` redacted, or the program: for messages.
    pub(crate) fn shown(&self) -> String {
        match &self.wire {
            Wire::OpenAi { base_url, .. } => {
                self.secrets.redact(&format!("{}/audio/speech", base_url.expose())).into_owned()
            }
            Wire::Command { program, .. } => format!("program {program}"),
        }
    }

    /// Everything besides the text that changes the audio, for the cache key.
    pub(crate) fn key_fields(
        &self,
        lang: Lang,
        lexicon_version: &str,
    ) -> Vec<(&'static str, String)> {
        let mut f = vec![("engine", self.name.clone()), ("voice", self.voice(lang).to_owned())];
        match &self.wire {
            Wire::OpenAi { base_url, model, format, speed, .. } => {
                f.push(("base_url", base_url.expose().to_owned()));
                f.push(("model", model.clone()));
                f.push(("format", format.clone()));
                f.push(("speed", speed.map(|s| s.to_string()).unwrap_or_default()));
            }
            Wire::Command { program, args, .. } => {
                f.push(("program", program.clone()));
                f.push(("args", args.join("\u{1f}")));
                f.push(("format", "wav".to_owned()));
            }
        }
        f.push(("lexicon", lexicon_version.to_owned()));
        f
    }

    /// One piece of text as audio bytes (as the engine gave them, checked to
    /// be audio that [`audio::read_wav`] reads).
    ///
    /// # Errors
    /// What the server or program did wrong, after retries.
    pub(crate) async fn synthesize(&self, input: &str, lang: Lang) -> Result<Vec<u8>, ApiError> {
        let bytes = match &self.wire {
            Wire::OpenAi { .. } => {
                let (times, budget) = (4, Duration::from_secs(60));
                openai::with_retries(times, budget, &self.retries, || self.post(input, lang))
                    .await?
            }
            Wire::Command { .. } => self.run(input, lang).await?,
        };
        decode(&bytes, self.format()).map_err(ApiError::Audio)?;
        Ok(bytes)
    }

    fn format(&self) -> &str {
        match &self.wire {
            Wire::OpenAi { format, .. } => format,
            Wire::Command { .. } => "wav",
        }
    }

    async fn post(&self, input: &str, lang: Lang) -> Result<Vec<u8>, ApiError> {
        let Wire::OpenAi { base_url, model, format, speed, api_key } = &self.wire else {
            unreachable!("post is only called for the openai wire")
        };
        let Some(http) = &self.http else { unreachable!("the openai wire has a client") };
        let url = format!("{}/audio/speech", base_url.expose());
        let endpoint = self.shown();
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut body = json!({"model": model, "input": input, "voice": self.voice(lang), "response_format": format});
        if let Some(s) = speed {
            body["speed"] = json!(s);
        }
        let mut rb = http.post(&url).json(&body);
        if let Some(k) = api_key {
            rb = rb.bearer_auth(k.expose());
        }
        let transport = |e: reqwest::Error| {
            let what = if e.is_timeout() {
                format!("timed out after {} s", self.timeout.as_secs())
            } else if e.is_connect() {
                "cannot connect".to_owned()
            } else {
                "request failed".to_owned()
            };
            ApiError::Transport { endpoint: endpoint.clone(), message: what }
        };
        let resp = rb.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let h = |n: &str| resp.headers().get(n).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let (ms, secs) = (h("retry-after-ms"), h("retry-after"));
        // A piece is seconds of speech: far less than a minute of 48 kHz
        // stereo float a character.
        let limit = (1usize << 20)
            .saturating_add(input.chars().count().saturating_mul(1 << 18))
            .min(1 << 30);
        let bytes = openai::read_bounded_bytes(resp, limit).await.map_err(|e| match e {
            Bounded::Http(e) => transport(e),
            Bounded::Over(n) => ApiError::Audio(format!("the answer is larger than {n} bytes")),
        })?;
        if !(200..300).contains(&status) {
            let ra = openai::parse_retry_after(ms.as_deref(), secs.as_deref(), chrono::Utc::now());
            let text = String::from_utf8_lossy(&bytes);
            let text = self.secrets.redact(&text);
            return Err(
                openai::classify_status(&endpoint, status, &text, ra).redacted(&self.secrets)
            );
        }
        Ok(bytes)
    }

    async fn run(&self, input: &str, lang: Lang) -> Result<Vec<u8>, ApiError> {
        let Wire::Command { program, path, args } = &self.wire else {
            unreachable!("run is only called for the command wire")
        };
        let fail = |message: String| ApiError::Program { program: program.clone(), message };
        self.requests.fetch_add(1, Ordering::Relaxed);
        let dir = tempfile::tempdir().map_err(|e| fail(format!("no temporary folder: {e}")))?;
        let ext = if self.markup == Markup::Ssml { "ssml" } else { "txt" };
        let in_path = dir.path().join(format!("input.{ext}"));
        let out_path = dir.path().join("output.wav");
        let by_file = args.iter().any(|a| a.contains("{input}"));
        let to_file = args.iter().any(|a| a.contains("{output}"));
        if by_file {
            std::fs::write(&in_path, input)
                .map_err(|e| fail(format!("cannot write its input: {e}")))?;
        }
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                a.replace("{input}", &in_path.to_string_lossy())
                    .replace("{output}", &out_path.to_string_lossy())
                    .replace("{voice}", self.voice(lang))
                    .replace("{lang}", lang.code())
            })
            .collect();
        let mut cmd = tokio::process::Command::new(path);
        cmd.args(&args)
            .stdin(if by_file { std::process::Stdio::null() } else { std::process::Stdio::piped() })
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn().map_err(|e| fail(format!("cannot start: {e}")))?;
        if !by_file && let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(input.as_bytes())
                .await
                .map_err(|e| fail(format!("cannot write to its stdin: {e}")))?;
        }
        let out = tokio::time::timeout(self.timeout, child.wait_with_output())
            .await
            .map_err(|_| fail(format!("no answer after {} s", self.timeout.as_secs())))?
            .map_err(|e| fail(e.to_string()))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let tail: String =
                err.trim().chars().rev().take(300).collect::<Vec<_>>().into_iter().rev().collect();
            return Err(fail(format!("{} ({})", out.status, tail.replace('\n', " "))));
        }
        if to_file {
            std::fs::read(&out_path).map_err(|e| fail(format!("wrote no `{{output}}` file: {e}")))
        } else {
            Ok(out.stdout)
        }
    }
}

/// Audio bytes of `format` (`wav` or `pcm`) decoded.
///
/// # Errors
/// Bytes that are not audio, as a message.
pub(crate) fn decode(bytes: &[u8], format: &str) -> Result<Pcm, String> {
    if format == "pcm" {
        return Ok(audio::from_pcm16(bytes, 24_000));
    }
    audio::read_wav(bytes)
}

fn task_failed(e: tokio::task::JoinError) -> ApiError {
    ApiError::Audio(format!("a synthesis task failed: {e}"))
}

/// What a run through the cache did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct SpeechStats {
    /// Pieces taken from the cache.
    pub cached: usize,
    /// Pieces synthesised now.
    pub synthesized: usize,
}

/// Synthesises every `(key, input)` in order, at most `engine.concurrency`
/// at once, each looked up in `cache` first and stored there as soon as it
/// arrives (`cap` bytes at most in the cache, oldest out first). Returns the
/// decoded pieces in order.
///
/// # Errors
/// The first piece that fails (the ones already stored stay stored).
pub(crate) async fn synthesize_all(
    engine: &Arc<SpeechEngine>,
    cache: Option<&Arc<Mutex<Store>>>,
    cap: u64,
    jobs: Vec<(String, String)>,
    lang: Lang,
) -> Result<(Vec<Pcm>, SpeechStats), ApiError> {
    let mut stats = SpeechStats::default();
    let mut set = tokio::task::JoinSet::new();
    let mut out: Vec<Option<Vec<u8>>> = vec![None; jobs.len()];
    for (i, (key, input)) in jobs.into_iter().enumerate() {
        if let Some(c) = cache
            && let Ok(Some(b)) =
                c.lock().map_err(|_| ()).and_then(|s| s.audio_get(&key).map_err(|_| ()))
        {
            out[i] = Some(b);
            stats.cached += 1;
            continue;
        }
        // Started in order, at most `concurrency` in flight: with one at a
        // time, a run that dies has cached exactly the pieces before the one
        // in flight. A failure stops the run before more is sent.
        while set.len() >= engine.concurrency.max(1) {
            if let Some(r) = set.join_next().await {
                let (i, bytes) = r.map_err(task_failed)??;
                out[i] = Some(bytes);
                stats.synthesized += 1;
            }
        }
        let (engine, cache) = (engine.clone(), cache.cloned());
        set.spawn(async move {
            let bytes = engine.synthesize(&input, lang).await?;
            if let Some(c) = &cache
                && let Ok(s) = c.lock()
                && let Err(e) = s.audio_put(&key, &engine.name, &bytes, cap)
            {
                tracing::warn!("speech cache: {e}");
            }
            Ok::<_, ApiError>((i, bytes))
        });
    }
    while let Some(r) = set.join_next().await {
        let (i, bytes) = r.map_err(task_failed)??;
        out[i] = Some(bytes);
        stats.synthesized += 1;
    }
    let format = engine.format().to_owned();
    let pcm = out
        .into_iter()
        .map(|b| decode(&b.unwrap_or_default(), &format).map_err(ApiError::Audio))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((pcm, stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn engines_resolve_with_their_defaults_and_overrides() {
        let file: TtsConfig = toml::from_str("engine = \"mock\"\n").unwrap();
        assert!(
            resolve(None, &file, &env(&[])).unwrap_err().contains("unknown speech engine `mock`")
        );
        let file: TtsConfig = toml::from_str(
            r#"[engines.mock]
kind = "openai"
base_url = "http://127.0.0.1:9/v1/"
model = "m"
voices = { zh = "xiaoxiao" }
max_chars = 200
"#,
        )
        .unwrap();
        let e = resolve(Some("mock"), &file, &env(&[("OPENAI_API_KEY", "sk-tts-secret")])).unwrap();
        assert_eq!(e.limit(Lang::Zh).chars, 200);
        assert_eq!((e.voice(Lang::Zh), e.voice(Lang::En)), ("xiaoxiao", "alloy"));
        assert_eq!(e.shown(), "http://127.0.0.1:9/v1/audio/speech");
        assert!(!format!("{e:?}").contains("sk-tts-secret"));
        let o = resolve(Some("openai"), &TtsConfig::default(), &env(&[])).unwrap();
        assert_eq!(o.limit(Lang::En).chars, 4096, "the chunk table's openai row");
        let missing: TtsConfig =
            toml::from_str("[engines.p]\nkind = \"command\"\nprogram = \"no-such-tts-program\"\n")
                .unwrap();
        let e = resolve(Some("p"), &missing, &env(&[("PATH", "/nonexistent")])).unwrap_err();
        assert_eq!(
            e,
            "speech engine `p`: program `no-such-tts-program` is not found (install it, or set `program` to its path)"
        );
        assert!(resolve(None, &TtsConfig::default(), &env(&[("PATH", "/nonexistent")])).is_err());
        let bad: TtsConfig = toml::from_str(
            "[engines.x]\nkind = \"openai\"\nmodel = \"m\"\nresponse_format = \"mp3\"\n",
        )
        .unwrap();
        assert!(resolve(Some("x"), &bad, &env(&[])).unwrap_err().contains("mp3"));
    }

    #[test]
    fn the_key_holds_every_field() {
        let file: TtsConfig =
            toml::from_str("[engines.a]\nkind = \"openai\"\nmodel = \"m\"\nspeed = 1.5\n").unwrap();
        let a = resolve(Some("a"), &file, &env(&[])).unwrap();
        let f = a.key_fields(Lang::En, "v1");
        let names: Vec<&str> = f.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["engine", "voice", "base_url", "model", "format", "speed", "lexicon"]);
        assert!(f.contains(&("speed", "1.5".to_owned())));
    }
}
