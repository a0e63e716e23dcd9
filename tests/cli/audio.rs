//! Issue 15: speeches as audio. A speech server on 127.0.0.1 (wiremock,
//! `POST /v1/audio/speech`, a WAV whose length is proportional to the
//! input, with 429 + Retry-After, 500 and slow answers on demand) and the
//! local `espeak-ng`: limits, pauses, chapters, the cache, a killed run,
//! the lexicon, the dry run, and clear errors. No network.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::{Output, Test, espeak_ng, fixture, folders, speech};

const KEY: &str = "sk-tts-NEVER-SHOWN-9191";
const SEED: &str = "zh-seed-anticorruption-2025.txt";
/// The mock's audio: 8 kHz, 100 frames (12.5 ms) per character of input.
const RATE: u32 = 8000;
const FRAMES_PER_CHAR: usize = 100;

fn kennedy() -> PathBuf {
    fixture("audio/en-kennedy-1961-excerpt.txt")
}

/// A WAV of `frames` frames of a quiet saw tooth.
fn wav(frames: usize) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut c = Cursor::new(Vec::new());
    let mut w = hound::WavWriter::new(&mut c, spec).unwrap();
    for i in 0..frames {
        w.write_sample(((i % 64) as i16 - 32) * 8).unwrap();
    }
    w.finalize().unwrap();
    c.into_inner()
}

/// The speech server: counts requests, records inputs, and injects
/// failures by request number.
#[derive(Clone, Default)]
struct Tts {
    served: Arc<AtomicUsize>,
    inputs: Arc<Mutex<Vec<String>>>,
    /// Request numbers (1-based) answered 429 with `Retry-After: 1`.
    too_many: Vec<usize>,
    /// Request numbers answered 500.
    broken: Vec<usize>,
    /// Request numbers answered after 300 ms.
    slow: Vec<usize>,
    /// Requests after this number wait ten minutes (a run to be killed).
    hang_after: Arc<AtomicUsize>,
    /// Every request carried the key.
    keyed: Arc<AtomicBool>,
    /// When each request arrived.
    arrivals: Arc<Mutex<Vec<std::time::Instant>>>,
    /// Every answer waits this long.
    delay: Option<Duration>,
}

impl Respond for Tts {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::SeqCst) + 1;
        self.arrivals.lock().unwrap().push(std::time::Instant::now());
        let auth = req.headers.get("authorization").and_then(|v| v.to_str().ok());
        if auth != Some(&format!("Bearer {KEY}")) {
            self.keyed.store(false, Ordering::SeqCst);
        }
        if self.too_many.contains(&n) {
            return ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_string(r#"{"error":{"message":"slow down","code":"rate_limit"}}"#);
        }
        if self.broken.contains(&n) {
            return ResponseTemplate::new(500).set_body_string("boom");
        }
        let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
        let input = body["input"].as_str().unwrap_or_default().to_owned();
        assert_eq!(body["response_format"], "wav", "{body}");
        let frames = input.chars().count() * FRAMES_PER_CHAR;
        self.inputs.lock().unwrap().push(input);
        let r = ResponseTemplate::new(200)
            .insert_header("content-type", "audio/wav")
            .set_body_bytes(wav(frames));
        if n > self.hang_after.load(Ordering::SeqCst) {
            r.set_delay(Duration::from_secs(600))
        } else if self.slow.contains(&n) {
            r.set_delay(Duration::from_millis(300))
        } else if let Some(d) = self.delay {
            r.set_delay(d)
        } else {
            r
        }
    }
}

impl Tts {
    fn new() -> Tts {
        Tts {
            keyed: Arc::new(AtomicBool::new(true)),
            hang_after: Arc::new(AtomicUsize::new(usize::MAX)),
            ..Tts::default()
        }
    }

    fn served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }

    fn inputs(&self) -> Vec<String> {
        self.inputs.lock().unwrap().clone()
    }

    async fn start(&self) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/audio/speech"))
            .respond_with(self.clone())
            .mount(&server)
            .await;
        server
    }
}

/// `speechdigest.toml` naming the mock engine (`max_chars = 200`).
fn config(t: &Test, server: &MockServer, extra: &str) {
    t.write(
        "speechdigest.toml",
        format!(
            "[tts]\nengine = \"mock\"\n{extra}\n[tts.engines.mock]\nkind = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"tts-test\"\nvoice = \"alloy\"\nmax_chars = 200\nconcurrency = 1\nprice_per_mchar = 15.0\n",
            server.uri()
        ),
    );
}

fn build(t: &Test, input: &Path, extra: &[&str]) -> Output {
    t.cmd()
        .args(["build", "--audio", "-o", "out"])
        .args(extra)
        .arg(input)
        .env("OPENAI_API_KEY", KEY)
        .run()
}

/// The item folder of `input`'s digest under `out`.
fn item(t: &Test, stem: &str) -> PathBuf {
    let all = folders(&t.join("out"));
    all.into_iter()
        .find(|f| {
            std::fs::read_to_string(f.join(".speechdigest-source")).is_ok_and(|s| s.contains(stem))
        })
        .unwrap_or_else(|| panic!("no folder for {stem}"))
}

fn wav_seconds(path: &Path) -> f64 {
    let r = hound::WavReader::open(path).unwrap();
    f64::from(r.duration()) / f64::from(r.spec().sample_rate)
}

/// What the transcript's SSML says about the requests for a 200-character
/// engine: each request's text, and the pauses between them in seconds.
fn expected(t: &Test, input: &Path) -> (Vec<String>, f64) {
    let base = ["transcript", "--engine", "openai", "--max-chars", "200"];
    let text = t.cmd().args(base).arg(input).run();
    text.success();
    let chunks: Vec<String> = text.stdout.split("\n\n").map(|c| c.trim().to_owned()).collect();
    let docs = t.cmd().args(base).args(["--ssml", "--split"]).arg(input).run();
    let docs: Vec<&str> = docs.stdout.lines().collect();
    assert_eq!(docs.len(), chunks.len());
    let pauses: f64 = docs[..docs.len() - 1]
        .iter()
        .map(|d| {
            if d.ends_with(r#"<break time="1500ms"/></speak>"#) {
                1.5
            } else if d.ends_with(r#"<break time="700ms"/></speak>"#) {
                0.7
            } else {
                0.0
            }
        })
        .sum();
    (chunks, pauses)
}

// Must-show 1: the seed and Kennedy through the speech server, with a 429,
// a 500 and a slow answer on the way; a rerun sends nothing.
#[tokio::test(flavor = "multi_thread")]
async fn the_seed_and_kennedy_are_spoken_within_the_limit_and_a_rerun_sends_nothing() {
    let tts = Tts { too_many: vec![1], broken: vec![3], slow: vec![4, 5], ..Tts::new() };
    let server = tts.start().await;
    let t = Test::new();
    config(&t, &server, "");
    let mut sent = 0;
    for (input, stem) in [(speech(SEED), "zh-seed"), (kennedy(), "kennedy")] {
        let before = tts.inputs().len();
        let r = build(&t, &input, &[]);
        r.success();
        assert!(!r.stderr.contains(KEY) && !r.stdout.contains(KEY), "{r}");
        let inputs: Vec<String> = tts.inputs()[before..].to_vec();
        let (chunks, pauses) = expected(&t, &input);
        assert_eq!(inputs, chunks, "one request per chunk of the transcript, in order");
        assert!(inputs.iter().all(|i| i.chars().count() <= 200), "a request over the limit");
        assert!(inputs.len() >= 10, "{stem}: only {} requests", inputs.len());
        let chars: usize = inputs.iter().map(|i| i.chars().count()).sum();
        let folder = item(&t, stem);
        let seconds = wav_seconds(&folder.join("transcript.wav"));
        let want = (chars * FRAMES_PER_CHAR) as f64 / f64::from(RATE) + pauses;
        assert!((seconds - want).abs() < 0.001, "{stem}: {seconds} s, chunks + pauses {want} s");
        let digest: Value =
            serde_json::from_str(&std::fs::read_to_string(folder.join("digest.json")).unwrap())
                .unwrap();
        assert_eq!(digest["audio"][0]["what"], "transcript");
        assert_eq!(digest["audio"][0]["file"], "transcript.wav");
        assert!((digest["audio"][0]["seconds"].as_f64().unwrap() - seconds).abs() < 0.001);
        let vtt = std::fs::read_to_string(folder.join("transcript.vtt")).unwrap();
        assert!(vtt.starts_with("WEBVTT\n"), "{vtt}");
        println!(
            "{stem}: {} requests, {chars} characters, {seconds:.3} s ({pauses:.1} s of pauses)",
            inputs.len()
        );
        sent += inputs.len();
    }
    // The 429 and the 500 were retried: two requests more than pieces.
    assert_eq!(tts.served(), sent + 2);
    assert!(tts.keyed.load(Ordering::SeqCst), "a request without the key");
    // Rerun: everything from the cache.
    let served = tts.served();
    for input in [speech(SEED), kennedy()] {
        build(&t, &input, &[]).success();
    }
    assert_eq!(tts.served(), served, "a rerun sent requests");
}

// The concurrency cap: with every answer taking 200 ms and `concurrency = 3`,
// request k + 3 cannot arrive before request k was answered.
#[tokio::test(flavor = "multi_thread")]
async fn requests_in_flight_stay_under_the_cap() {
    let tts = Tts { delay: Some(Duration::from_millis(200)), ..Tts::new() };
    let server = tts.start().await;
    let t = Test::new();
    config(&t, &server, "");
    let toml = std::fs::read_to_string(t.join("speechdigest.toml")).unwrap();
    t.write("speechdigest.toml", toml.replace("concurrency = 1", "concurrency = 3"));
    build(&t, &speech(SEED), &[]).success();
    let at = tts.arrivals.lock().unwrap().clone();
    assert!(at.len() >= 20, "{} requests", at.len());
    for k in 0..at.len() - 3 {
        let gap = at[k + 3] - at[k];
        assert!(
            gap >= Duration::from_millis(195),
            "request {} came {gap:?} after request {k}",
            k + 3
        );
    }
}

// Must-show 1: a run killed midway resumes with the missing pieces only.
#[tokio::test(flavor = "multi_thread")]
async fn a_killed_run_resumes_with_only_the_missing_pieces() {
    let tts = Tts::new();
    let server = tts.start().await;
    let t = Test::new();
    config(&t, &server, "");
    let (chunks, _) = expected(&t, &kennedy());
    let done = 7;
    tts.hang_after.store(done, Ordering::SeqCst);
    let mut child = {
        let mut c = t
            .cmd()
            .args(["build", "--audio", "-o", "out"])
            .arg(kennedy())
            .env("OPENAI_API_KEY", KEY)
            .std_command();
        c.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
        c.spawn().unwrap()
    };
    // Request `done + 1` hangs: by then `done` pieces are cached (one at a time).
    let waited = std::time::Instant::now();
    while tts.served() < done + 1 {
        assert!(waited.elapsed() < Duration::from_secs(120), "the run never got going");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(folders(&t.join("out")).is_empty(), "a killed run left a folder");
    tts.hang_after.store(usize::MAX, Ordering::SeqCst);
    let before = tts.served();
    build(&t, &kennedy(), &[]).success();
    let resumed = tts.served() - before;
    println!("killed after {done} of {} pieces; the rerun sent {resumed}", chunks.len());
    assert_eq!(resumed, chunks.len() - done, "the rerun sent what was cached");
    assert_eq!(tts.inputs()[done + 1..], chunks[done..], "the rerun asked for the rest, in order");
}

// Must-show 3: the lexicon reaches the SSML (phonemes) and the text sent
// (respellings); the transcript keeps the written form.
#[tokio::test(flavor = "multi_thread")]
async fn the_lexicon_reaches_the_ssml_and_the_engine() {
    let tts = Tts::new();
    let server = tts.start().await;
    let t = Test::new();
    t.write(
        "lexicon.tsv",
        "# written\talias\tphoneme\n重庆\t虫庆\tchóng qìng\n行长\t航长\tháng zhǎng\n",
    );
    config(&t, &server, "lexicon = \"lexicon.tsv\"");
    let input = t.write(
        "cq.txt",
        "关于重庆工作的讲话\n\n一、总体情况\n今天，重庆银行行长来到会场。我们欢迎行长讲话。\n二、下一步工作\n重庆要继续努力。\n",
    );
    build(&t, &input, &[]).success();
    let folder = item(&t, "cq.txt");
    let ssml = std::fs::read_to_string(folder.join("transcript.ssml")).unwrap();
    assert!(
        ssml.contains(r#"<phoneme alphabet="x-pinyin" ph="chóng qìng">重庆</phoneme>"#),
        "{ssml}"
    );
    assert!(
        ssml.contains(r#"<phoneme alphabet="x-pinyin" ph="háng zhǎng">行长</phoneme>"#),
        "{ssml}"
    );
    let txt = std::fs::read_to_string(folder.join("transcript.txt")).unwrap();
    assert!(txt.contains("重庆银行行长") && !txt.contains("虫庆"), "{txt}");
    let sent = tts.inputs().join("\n");
    assert!(sent.contains("虫庆银行航长") && sent.contains("欢迎航长"), "{sent}");
    assert!(
        !sent.contains("重庆") && !sent.contains("chóng"),
        "raw pinyin or the written form sent: {sent}"
    );
    // A changed lexicon is a new version: the pieces it touches are asked again.
    let served = tts.served();
    t.write("lexicon.tsv", "重庆\t崇庆\n");
    build(&t, &input, &[]).success();
    assert!(tts.served() > served);
    assert!(tts.inputs().join("\n").contains("崇庆"));
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_the_speech_plan_and_sends_nothing() {
    let tts = Tts::new();
    let server = tts.start().await;
    let t = Test::new();
    config(&t, &server, "");
    let r = build(&t, &kennedy(), &["--dry-run"]);
    r.success();
    let (chunks, _) = expected(&t, &kennedy());
    let chars: usize = chunks.iter().map(|c| c.chars().count()).sum();
    r.stdout_has(&format!(
        "audio transcript with mock ({}/v1/audio/speech), {} requests, {chars} characters",
        server.uri(),
        chunks.len()
    ));
    r.stdout_has(&format!("~{:.4} at 15 per million characters", chars as f64 * 15.0 / 1e6));
    r.stdout_has("provider extractive");
    assert_eq!(tts.served(), 0);
    assert!(folders(&t.join("out")).is_empty());
    // `--audio=` selects; `--audio FILE` reads FILE as an input.
    let r = build(&t, &kennedy(), &["--dry-run", "--audio=transcript,briefing,newsletter"]);
    r.success().stdout_has("audio briefing with mock").stdout_has("audio newsletter with mock");
    let r = t.cmd().args(["build", "--dry-run", "--audio"]).arg(kennedy()).run();
    r.success().stdout_has("audio transcript with mock");
    let r = t.cmd().args(["build", "--dry-run", "--audio=podcast"]).arg(kennedy()).run();
    r.code(2);
    assert!(r.stderr.contains("unknown audio output `podcast`"), "{r}");
}

#[test]
fn a_missing_program_is_one_clear_error() {
    let t = Test::new();
    t.write(
        "speechdigest.toml",
        "[tts.engines.local]\nkind = \"command\"\nprogram = \"no-such-tts-program\"\nargs = [\"{output}\"]\n",
    );
    let r = t
        .cmd()
        .args(["build", "--audio", "--tts", "local", "-o", "out"])
        .arg(speech(SEED))
        .arg(kennedy())
        .run();
    r.code(2);
    assert_eq!(
        r.stderr.trim(),
        "error: speech engine `local`: program `no-such-tts-program` is not found (install it, or set `program` to its path)",
        "{r}"
    );
    assert!(folders(&t.join("out")).is_empty());
    let r = t.cmd().args(["build", "--audio", "--tts", "nope", "-o", "out"]).arg(kennedy()).run();
    r.code(2);
    assert!(r.stderr.contains("unknown speech engine `nope`"), "{r}");
}

/// `soxi -D FILE`, when sox is installed (`.ci/run` installs it with espeak-ng).
fn soxi(file: &Path) -> Option<f64> {
    let out = std::process::Command::new("soxi").arg("-D").arg(file).output().ok()?;
    assert!(out.status.success(), "soxi failed on {}: {out:?}", file.display());
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

// Must-show 2: espeak-ng as the local engine: the seed's audio plays (sox
// reads its length) and its chapters list every section.
#[test]
fn espeak_ng_speaks_the_seed_with_a_chapter_per_section() {
    if !espeak_ng() {
        return;
    }
    let t = Test::new();
    t.write("lexicon.tsv", "重庆\t虫庆\tchóng qìng\n");
    t.write("speechdigest.toml", "[tts]\nlexicon = \"lexicon.tsv\"\n");
    let r = t.cmd().args(["build", "--audio", "-o", "out"]).arg(speech(SEED)).run();
    r.success();
    let folder = folders(&t.join("out")).remove(0);
    let wav = folder.join("transcript.wav");
    let seconds = wav_seconds(&wav);
    assert!(seconds > 60.0, "{seconds} s for the seed");
    if let Some(d) = soxi(&wav) {
        assert!((d - seconds).abs() < 0.01, "soxi says {d} s, the WAV {seconds} s");
        println!("espeak-ng seed: soxi -D {d:.2} s");
    } else if std::env::var_os("SPEECHDIGEST_REQUIRE_ESPEAK").is_some() {
        panic!("soxi is not installed (apt-get install sox)");
    }
    let vtt = std::fs::read_to_string(folder.join("transcript.vtt")).unwrap();
    let outline = t.cmd().args(["outline", "--json"]).arg(speech(SEED)).run();
    let outline: Value = serde_json::from_str(&outline.stdout).unwrap();
    let mut headings = 0;
    fn walk(s: &Value, vtt: &str, n: &mut usize) {
        for sec in s.as_array().into_iter().flatten() {
            if let Some(h) = sec["heading"].as_str().filter(|h| !h.is_empty()) {
                let first: String = h.chars().take(6).collect();
                assert!(vtt.contains(&first), "no chapter for `{h}`:\n{vtt}");
                *n += 1;
            }
            walk(&sec["children"], vtt, n);
        }
    }
    walk(&outline["sections"], &vtt, &mut headings);
    assert!(headings >= 2, "{headings} headings");
    let cues = vtt.matches(" --> ").count();
    assert!(cues > headings, "{cues} cues for {headings} headings and the title:\n{vtt}");
    // A second run is all from the cache, so it makes the same file.
    let first = std::fs::read(&wav).unwrap();
    t.cmd().args(["build", "--audio", "-o", "out"]).arg(speech(SEED)).run().success();
    assert_eq!(
        std::fs::read(folders(&t.join("out")).remove(0).join("transcript.wav")).unwrap(),
        first
    );
}

// `speak`: the transcript alone, through espeak-ng, for the seed and an English speech.
#[test]
fn speak_writes_a_wav_and_chapters_per_input() {
    if !espeak_ng() {
        return;
    }
    let t = Test::new();
    let r = t.cmd().args(["speak", "-o", "audio"]).arg(speech(SEED)).arg(kennedy()).run();
    r.success();
    for stem in ["zh-seed-anticorruption-2025", "en-kennedy-1961-excerpt"] {
        let wav = t.join(format!("audio/{stem}.wav"));
        let seconds = wav_seconds(&wav);
        assert!(r.stdout.contains(&format!("{stem}.wav\t{seconds:.2}")), "{r}");
        assert!(t.join(format!("audio/{stem}.vtt")).is_file());
        if let Some(d) = soxi(&wav) {
            println!("espeak-ng {stem}: soxi -D {d:.2} s");
        }
    }
}

/// The value of `name="…"` in `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let at = tag.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("no {name} in {tag}"));
    let rest = &tag[at + name.len() + 2..];
    &rest[..rest.find('"').unwrap()]
}

// Must-show 4: watch publishes the audio newsletter as a podcast feed:
// RSS 2.0 with every required element and each enclosure's length and type.
#[tokio::test(flavor = "multi_thread")]
async fn watch_publishes_a_podcast_feed_with_enclosures() {
    let tts = Tts::new();
    let server = tts.start().await;
    let t = Test::new();
    t.copy(speech(SEED), "inbox/seed.txt");
    t.copy(kennedy(), "inbox/kennedy.txt");
    t.write(
        "speechdigest.toml",
        format!(
            "[output]\ndir = \"digests\"\naudio = [\"transcript\", \"newsletter\"]\nbase_url = \"https://pod.example.org/speeches/\"\n[state]\npath = \"state.sqlite\"\n[[sources]]\nname = \"inbox\"\nkind = \"folder\"\npath = \"inbox\"\n[tts]\nengine = \"mock\"\n[tts.engines.mock]\nkind = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"tts-test\"\nmax_chars = 200\n",
            server.uri()
        ),
    );
    let r = t
        .cmd()
        .args(["watch", "--once", "--config", "speechdigest.toml"])
        .env("OPENAI_API_KEY", KEY)
        .run();
    r.success();
    let xml =
        std::fs::read_to_string(t.join("digests/feed.xml")).unwrap_or_else(|e| panic!("{e}\n{r}"));
    // It parses as RSS 2.0 …
    let parsed = feed_rs::parser::parse(xml.as_bytes()).expect("feed.xml parses");
    assert_eq!(parsed.feed_type, feed_rs::model::FeedType::RSS2);
    assert_eq!(parsed.entries.len(), 2);
    // … with the channel's required elements …
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\""));
    let channel = &xml[xml.find("<channel>").unwrap()..xml.find("<item>").unwrap()];
    for el in ["<title>", "<link>https://pod.example.org/speeches/</link>", "<description>"] {
        assert!(channel.contains(el), "the channel lacks {el}:\n{channel}");
    }
    // … and each item a title, a guid and an enclosure of the file's length and type.
    let items: Vec<&str> = xml.split("<item>").skip(1).collect();
    for item in &items {
        assert!(
            item.contains("<title>") && item.contains("<guid") && item.contains("<pubDate>"),
            "{item}"
        );
        let tag = &item[item.find("<enclosure ").unwrap()..];
        let tag = &tag[..tag.find("/>").unwrap()];
        assert_eq!(attr(tag, "type"), "audio/wav");
        let url = attr(tag, "url");
        let rel = url.strip_prefix("https://pod.example.org/speeches/").expect(url);
        assert!(rel.ends_with("/newsletter.wav") && rel.is_ascii(), "{url}");
        let decoded = percent_decode(rel);
        let file = t.join("digests").join(&decoded);
        let len: u64 = attr(tag, "length").parse().unwrap();
        assert_eq!(
            len,
            std::fs::metadata(&file).unwrap_or_else(|e| panic!("{decoded}: {e}")).len()
        );
        assert!(len > 44);
    }
    for e in &parsed.entries {
        let m = &e.media[0].content[0];
        assert_eq!(m.content_type.as_ref().map(|t| t.to_string()), Some("audio/wav".to_owned()));
    }
}

// A source's `audio` wins over `[output] audio`: one source spoken, one not.
#[tokio::test(flavor = "multi_thread")]
async fn a_source_chooses_its_own_audio() {
    let tts = Tts::new();
    let server = tts.start().await;
    let t = Test::new();
    t.copy(speech(SEED), "spoken/seed.txt");
    t.copy(speech(SEED), "silent/seed.txt");
    t.write(
        "speechdigest.toml",
        format!(
            "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n[[sources]]\nname = \"spoken\"\nkind = \"folder\"\npath = \"spoken\"\nsubdir = \"spoken\"\naudio = [\"transcript\"]\n[[sources]]\nname = \"silent\"\nkind = \"folder\"\npath = \"silent\"\nsubdir = \"silent\"\n[tts]\nengine = \"mock\"\n[tts.engines.mock]\nkind = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"tts-test\"\nmax_chars = 200\n",
            server.uri()
        ),
    );
    let r = t
        .cmd()
        .args(["watch", "--once", "--config", "speechdigest.toml"])
        .env("OPENAI_API_KEY", KEY)
        .run();
    r.success();
    let folder = |sub: &str| {
        let dir = t.join("digests").join(sub);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}\n{r}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        found.remove(0)
    };
    assert!(folder("spoken").join("transcript.wav").is_file(), "{r}");
    assert!(!folder("silent").join("transcript.wav").exists(), "{r}");
    assert!(tts.served() > 0);
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 1 {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

// A server that answers 200 with something that is not audio: one error
// naming the engine, no folder, nothing cached (the next run asks again).
#[tokio::test(flavor = "multi_thread")]
async fn an_answer_that_is_not_audio_is_an_error_and_is_not_cached() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/audio/speech"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!("<html>{KEY}</html>")))
        .mount(&server)
        .await;
    let t = Test::new();
    config(&t, &server, "");
    let r = build(&t, &kennedy(), &[]);
    r.code(1);
    assert!(r.stderr.contains("cannot synthesise") && r.stderr.contains("`mock`"), "{r}");
    assert!(r.stderr.contains("the audio is not usable"), "{r}");
    assert!(!r.stderr.contains(KEY), "{r}");
    assert!(folders(&t.join("out")).is_empty());
    let first = server.received_requests().await.unwrap().len();
    assert_eq!(first, 1, "the run stopped at the first bad answer");
    build(&t, &kennedy(), &[]).code(1);
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "a bad answer was cached");
}
