//! A small builder around the binary: a temp dir as the working directory,
//! a clean environment, and helpers to read stdout/stderr.

use std::path::{Path, PathBuf};
use std::process::Output;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn speech(name: &str) -> PathBuf {
    fixture(&format!("speeches/{name}"))
}

/// The evaluation corpus beside the repository, when it is there.
pub fn shared_speeches() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/speeches");
    p.is_dir().then_some(p)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run_with_stdin(args, None)
}

pub fn run_with_stdin<I, S>(args: I, stdin: Option<&[u8]>) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    run_full(dir.path(), args, stdin)
}

/// Runs in `dir` (which the caller keeps).
pub fn run_in<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run_full(dir, args, None)
}

fn run_full<I, S>(dir: &Path, args: I, stdin: Option<&[u8]>) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run_env(dir, args, stdin, &[])
}

/// Runs in `dir` with extra environment variables (e.g. `OPENAI_API_KEY`).
pub fn run_env<I, S>(dir: &Path, args: I, stdin: Option<&[u8]>, envs: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cmd = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("speechdigest"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("NO_COLOR", "1");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    let out: Output = cmd.output().expect("run speechdigest");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
