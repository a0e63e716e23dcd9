//! The harness every test goes through.
//!
//! - [`Test`]: a builder around the `speechdigest` binary. Each `Test` owns a
//!   temp dir, which is the working directory, `HOME` and the `XDG_*`
//!   folders of every run, and a clean environment, so that nothing of the
//!   developer's machine (a key, a config, `RUST_LOG`) changes a result.
//! - [`Output`]: what a run gave, with assertions that print the command and
//!   both streams when they fail.
//! - [`Filters`]: placeholders (`[TEMP]`, `[ROOT]`, …) for the paths that
//!   differ between machines, applied to text before it is snapshotted.
//! - Fixture paths, and the team's shared folder (`../shared`), which a test
//!   may skip without, unless `SPEECHDIGEST_REQUIRE_SHARED=1` says it must
//!   be there (see `tests/README.md`).

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use regex::Regex;

/// One run of the binary, and the temp dir it runs in.
///
/// Builder methods take and return `self`; [`Test::run`] borrows, so one
/// `Test` can be run again (a second `watch --once`), and [`Test::cmd`]
/// starts another command in the same directory.
#[derive(Clone)]
pub(crate) struct Test {
    dir: Arc<tempfile::TempDir>,
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    env: Vec<(OsString, OsString)>,
    cwd: Option<PathBuf>,
}

impl Test {
    /// A new temp dir and a command with no arguments yet.
    pub(crate) fn new() -> Test {
        let dir = tempfile::tempdir().expect("create the test's temp dir");
        Test { dir: Arc::new(dir), args: Vec::new(), stdin: None, env: Vec::new(), cwd: None }
    }

    /// Another command in the same temp dir: no arguments, stdin, extra
    /// environment or working directory of this one.
    #[must_use]
    pub(crate) fn cmd(&self) -> Test {
        Test {
            dir: Arc::clone(&self.dir),
            args: Vec::new(),
            stdin: None,
            env: Vec::new(),
            cwd: None,
        }
    }

    #[must_use]
    pub(crate) fn arg(mut self, arg: impl AsRef<OsStr>) -> Test {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    #[must_use]
    pub(crate) fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Bytes written to the binary's stdin (otherwise stdin is empty).
    #[must_use]
    pub(crate) fn stdin(mut self, input: impl Into<Vec<u8>>) -> Test {
        self.stdin = Some(input.into());
        self
    }

    /// An environment variable on top of the clean environment.
    #[must_use]
    pub(crate) fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Test {
        self.env.push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// The working directory of the run; a relative path is taken inside the
    /// temp dir. `HOME` and `XDG_*` stay in the temp dir.
    #[must_use]
    pub(crate) fn current_dir(mut self, dir: impl AsRef<Path>) -> Test {
        self.cwd = Some(self.join(dir));
        self
    }

    /// The temp dir.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `rel` inside the temp dir (an absolute `rel` is returned as it is).
    pub(crate) fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.path().join(rel)
    }

    /// Writes `contents` to `rel` inside the temp dir, creating its folders,
    /// and returns the file's path.
    pub(crate) fn write(&self, rel: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    /// Copies the file `from` to `rel` inside the temp dir, creating its folders.
    pub(crate) fn copy(&self, from: impl AsRef<Path>, rel: impl AsRef<Path>) -> PathBuf {
        let from = from.as_ref();
        let bytes = std::fs::read(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
        self.write(rel, bytes)
    }

    /// Creates the folder `rel` (and its parents) inside the temp dir.
    pub(crate) fn create_dir(&self, rel: impl AsRef<Path>) -> PathBuf {
        let path = self.join(rel);
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
        path
    }

    /// The text of `rel` inside the temp dir.
    pub(crate) fn read(&self, rel: impl AsRef<Path>) -> String {
        let path = self.join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// [`Filters::new`] plus this test's own temp dir as `[TEMP]`.
    pub(crate) fn filters(&self) -> Filters {
        Filters::new().path(self.path(), "[TEMP]")
    }

    /// The configured command, for a test that spawns the binary itself (to
    /// kill it, or to run two at once). Stdin, stdout and stderr are left to
    /// the caller; [`Output::from`] turns its result into an [`Output`].
    pub(crate) fn std_command(&self) -> Command {
        let home = self.path();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_speechdigest"));
        cmd.args(&self.args).current_dir(self.cwd.as_deref().unwrap_or(home));
        // Nothing of the developer's environment leaks in: no key, base URL,
        // log filter, XDG folder or (future) SPEECHDIGEST_ setting.
        for (key, _) in std::env::vars_os() {
            let k = key.to_string_lossy();
            if k == "RUST_LOG"
                || k.starts_with("OPENAI_")
                || k.starts_with("XDG_")
                || k.starts_with("SPEECHDIGEST_")
            {
                cmd.env_remove(&key);
            }
        }
        cmd.env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("NO_COLOR", "1");
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// Runs the binary to its end.
    pub(crate) fn run(&self) -> Output {
        let mut cmd = self.std_command();
        cmd.stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child =
            cmd.spawn().unwrap_or_else(|e| panic!("spawn {}: {e}", self.command_line()));
        // Written from a thread: a large input would otherwise block on a full
        // pipe while the child blocks on a full stdout.
        let writer = match (self.stdin.clone(), child.stdin.take()) {
            (Some(input), Some(mut pipe)) => Some(std::thread::spawn(move || {
                // The binary may stop reading early (a usage error): not ours to report.
                let _ = pipe.write_all(&input);
            })),
            _ => None,
        };
        let out = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("wait for {}: {e}", self.command_line()));
        if let Some(w) = writer {
            w.join().expect("the stdin writer");
        }
        let mut out = Output::from(out);
        out.command = self.command_line();
        out
    }

    fn command_line(&self) -> String {
        let mut line = String::from("speechdigest");
        for a in &self.args {
            let a = a.to_string_lossy();
            if a.is_empty() || a.contains(char::is_whitespace) {
                line.push_str(&format!(" {a:?}"));
            } else {
                line.push(' ');
                line.push_str(&a);
            }
        }
        if self.stdin.is_some() {
            line.push_str(" < (stdin)");
        }
        line
    }
}

/// What a run gave: the exit code (-1 when killed by a signal) and both
/// streams, lossily decoded. `Display` shows all of it, so `assert!(…, "{out}")`
/// explains itself.
pub(crate) struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    command: String,
}

impl From<std::process::Output> for Output {
    fn from(out: std::process::Output) -> Output {
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            command: String::from("speechdigest (spawned)"),
        }
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "command: {}", self.command)?;
        writeln!(f, "exit code: {}", self.code)?;
        writeln!(f, "--- stdout ---\n{}", self.stdout.trim_end())?;
        write!(f, "--- stderr ---\n{}", self.stderr.trim_end())
    }
}

impl Output {
    /// Exit code 0.
    #[track_caller]
    pub(crate) fn success(&self) -> &Output {
        self.code(0)
    }

    #[track_caller]
    pub(crate) fn code(&self, expected: i32) -> &Output {
        assert!(self.code == expected, "expected exit code {expected}\n{self}");
        self
    }

    #[track_caller]
    pub(crate) fn stdout_has(&self, needle: &str) -> &Output {
        assert!(self.stdout.contains(needle), "stdout lacks {needle:?}\n{self}");
        self
    }

    #[track_caller]
    pub(crate) fn stderr_has(&self, needle: &str) -> &Output {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}\n{self}");
        self
    }

    #[track_caller]
    pub(crate) fn stdout_lacks(&self, needle: &str) -> &Output {
        assert!(!self.stdout.contains(needle), "stdout has {needle:?}\n{self}");
        self
    }

    #[track_caller]
    pub(crate) fn stderr_lacks(&self, needle: &str) -> &Output {
        assert!(!self.stderr.contains(needle), "stderr has {needle:?}\n{self}");
        self
    }

    /// Neither stream contains `needle` (a key, say).
    #[track_caller]
    pub(crate) fn never_shows(&self, needle: &str) -> &Output {
        self.stdout_lacks(needle).stderr_lacks(needle)
    }

    #[track_caller]
    pub(crate) fn stdout_is(&self, expected: &str) -> &Output {
        assert!(self.stdout == expected, "stdout is not {expected:?}\n{self}");
        self
    }

    /// The lines of stderr that start with `error:`.
    pub(crate) fn errors(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.starts_with("error:")).collect()
    }

    /// Stdout as one JSON document.
    #[track_caller]
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document: {e}\n{self}"))
    }

    /// Stdout as JSON lines.
    #[track_caller]
    pub(crate) fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("a stdout line is not JSON: {e}: {l}\n{self}"))
            })
            .collect()
    }
}

/// Replacements of machine-specific paths by placeholders, in the manner of
/// insta's `Settings::add_filter` (regex → replacement). The crate's `insta`
/// is built without its `filters` feature, so the text is filtered here,
/// before `insta::assert_snapshot!`; with the feature on, the same rules
/// would go into `Settings::add_filter` calls here.
///
/// Longer paths are replaced first, so that a fixture inside the
/// repository becomes its own placeholder and not `[ROOT]/…`.
pub(crate) struct Filters {
    rules: Vec<(usize, Regex, String)>,
}

impl Filters {
    /// `[ROOT]` for the repository, `[TEMP]` for any temp dir of a test
    /// (`<temp_dir>/.tmpXXXXXX`).
    pub(crate) fn new() -> Filters {
        let mut f = Filters { rules: Vec::new() }.path(env!("CARGO_MANIFEST_DIR"), "[ROOT]");
        for base in spellings(&std::env::temp_dir()) {
            let re = format!(r"{}/\.tmp[A-Za-z0-9_]+", regex::escape(&base));
            f.rules.push((
                base.len(),
                Regex::new(&re).expect("a valid temp-dir regex"),
                "[TEMP]".into(),
            ));
        }
        f
    }

    /// `placeholder` for `path` (and for its canonical spelling, if that differs).
    #[must_use]
    pub(crate) fn path(mut self, path: impl AsRef<Path>, placeholder: &str) -> Filters {
        for p in spellings(path.as_ref()) {
            let re = Regex::new(&regex::escape(&p)).expect("an escaped path is a valid regex");
            self.rules.push((p.len(), re, placeholder.to_owned()));
        }
        self
    }

    pub(crate) fn apply(&self, text: &str) -> String {
        let mut rules: Vec<&(usize, Regex, String)> = self.rules.iter().collect();
        rules.sort_by_key(|r| std::cmp::Reverse(r.0));
        let mut text = text.to_owned();
        for (_, re, to) in rules {
            text = re.replace_all(&text, regex::NoExpand(to)).into_owned();
        }
        text
    }
}

/// The ways a path can be printed: as given and canonical (`/tmp` may be
/// `/private/tmp`), without a trailing separator.
fn spellings(path: &Path) -> Vec<String> {
    let mut out = vec![path.display().to_string()];
    if let Ok(c) = path.canonicalize() {
        out.push(c.display().to_string());
    }
    for s in &mut out {
        while s.len() > 1 && s.ends_with(std::path::MAIN_SEPARATOR) {
            s.pop();
        }
    }
    out.dedup();
    out
}

/// The text of an output file: the file itself, or for a Word document
/// (`.docx`, a zip archive) its parts' text one after the other, so that a
/// check on what the outputs say covers the Word outputs too.
pub(crate) fn output_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    if path.extension().is_none_or(|e| e != "docx") {
        return String::from_utf8(bytes).unwrap();
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    for i in 0..zip.len() {
        std::io::Read::read_to_string(&mut zip.by_index(i).unwrap(), &mut text).unwrap();
    }
    text
}

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub(crate) fn speech(name: &str) -> PathBuf {
    fixture(&format!("speeches/{name}"))
}

/// Set to anything but empty, `0` or `false`.
fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// What a test needs is not on this machine: a failure when `require` is
/// set, otherwise `None` and a line saying what is skipped.
#[track_caller]
fn unavailable<T>(require: &str, what: &str) -> Option<T> {
    if flag(require) {
        panic!("{what}; {require}=1, so this test fails instead of skipping");
    }
    eprintln!("skipped: {what} (set {require}=1 to make this a failure)");
    None
}

/// The team's shared folder: `SPEECHDIGEST_SHARED` (a relative path is
/// taken from the repository), else `../shared` beside the repository.
pub(crate) fn shared_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("SPEECHDIGEST_SHARED") {
        Some(p) if !p.is_empty() => root.join(p),
        _ => root.join("../shared"),
    }
}

/// `rel` inside the shared folder, if it is there. If not: `None`, or a
/// failure under `SPEECHDIGEST_REQUIRE_SHARED=1`.
#[track_caller]
pub(crate) fn shared(rel: &str) -> Option<PathBuf> {
    let p = shared_dir().join(rel);
    if p.exists() {
        Some(p)
    } else {
        unavailable(
            "SPEECHDIGEST_REQUIRE_SHARED",
            &format!("{} is missing (SPEECHDIGEST_SHARED names the shared folder)", p.display()),
        )
    }
}

/// The evaluation corpus, `<shared>/eval/speeches`.
#[track_caller]
pub(crate) fn shared_speeches() -> Option<PathBuf> {
    shared("eval/speeches")
}

/// A Python script of the shared folder, if it and `python3` are there;
/// both fall under `SPEECHDIGEST_REQUIRE_SHARED`.
#[track_caller]
pub(crate) fn shared_python_tool(rel: &str) -> Option<PathBuf> {
    let script = shared(rel)?;
    let python = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if python.is_ok_and(|s| s.success()) {
        Some(script)
    } else {
        unavailable("SPEECHDIGEST_REQUIRE_SHARED", &format!("python3 (to run {rel}) is not found"))
    }
}

/// Whether `espeak-ng` runs here. Without it: `false`, or a failure under
/// `SPEECHDIGEST_REQUIRE_ESPEAK=1` (set by `.ci/run` once it installed it).
#[track_caller]
pub(crate) fn espeak_ng() -> bool {
    match Command::new("espeak-ng").arg("--version").output() {
        Ok(out) => {
            assert!(out.status.success(), "espeak-ng --version failed: {out:?}");
            true
        }
        Err(e) => unavailable::<()>(
            "SPEECHDIGEST_REQUIRE_ESPEAK",
            &format!("espeak-ng cannot be run ({e}; apt-get install espeak-ng)"),
        )
        .is_some(),
    }
}

#[test]
fn filters_put_placeholders_on_paths() {
    let t = Test::new();
    let speech = speech("zh-seed-anticorruption-2025.txt");
    let text = format!(
        "source: {}\nout: {}\nother temp: {}/.tmpAb12Cd/x\nroot: {}/Cargo.toml\n",
        speech.display(),
        t.join("out/a.md").display(),
        std::env::temp_dir().display().to_string().trim_end_matches('/'),
        env!("CARGO_MANIFEST_DIR"),
    );
    assert_eq!(
        t.filters().path(&speech, "[FIXTURE]").apply(&text),
        "source: [FIXTURE]\nout: [TEMP]/out/a.md\nother temp: [TEMP]/x\nroot: [ROOT]/Cargo.toml\n"
    );
}

/// The item folders in `out` (not hidden ones), sorted; none when `out` is missing.
pub(crate) fn folders(out: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(out) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd
        .flatten()
        .filter(|e| e.path().is_dir() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

/// What killed or concurrent runs left in `dir`: `.speechdigest…` temporaries.
pub(crate) fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".speechdigest"))
                .collect()
        })
        .unwrap_or_default()
}

/// The `N new` and `M unchanged` counts of a watch pass's report line
/// (`2 new, 0 updated, 2 unchanged`); panics when the line is missing.
pub(crate) fn new_and_unchanged(stdout: &str) -> (usize, usize) {
    let words: Vec<&str> =
        stdout.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let count = |word: &str| {
        words
            .windows(2)
            .find_map(|w| (w[1] == word).then(|| w[0].parse::<usize>().ok()).flatten())
            .unwrap_or_else(|| panic!("no `{word}` count in {stdout}"))
    };
    (count("new"), count("unchanged"))
}
