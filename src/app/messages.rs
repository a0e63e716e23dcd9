//! What the user sees on the terminal: log lines on stderr (`error: …`,
//! `warning: …`), the error that stopped a run with its causes, and results
//! on stdout (a closed pipe is not an error). Every log line and every error
//! line passes through the process's redactor (`crate::redact`) first, at
//! every verbosity: a server that echoes the key gets it into no line.

use std::fmt;
use std::io::Write;

use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

use crate::error::{self, Error, Result};
use crate::redact::redact;

/// What a command did: how many inputs succeeded and failed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Report {
    /// Inputs fully processed.
    pub ok: usize,
    /// Inputs that failed (each already reported on stderr).
    pub failed: usize,
}

impl Report {
    /// 0 when nothing failed, 1 when some input failed.
    pub(crate) fn exit_code(&self) -> u8 {
        u8::from(self.failed > 0)
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Write { path: "<stdout>".into(), source: e }),
    }
}

/// Writes one line to stderr, redacted. A closed or full stderr is not
/// worth dying for (`eprintln!` panics on it): the line is dropped.
pub(crate) fn write_stderr(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", redact(line)).and_then(|()| err.flush());
}

/// Writes one line to stdout; a closed pipe is not an error (as [`write_stdout`]).
pub(crate) fn stdout_line(line: &str) -> Result<()> {
    write_stdout(format!("{line}\n").as_bytes())
}

/// Prints an error that stopped the run, with its causes.
pub(crate) fn print_error(e: &Error) {
    write_stderr(&format!("error: {e}"));
    for c in error::causes(e).skip(1) {
        write_stderr(&format!("  caused by: {c}"));
    }
}

/// Logs to stderr as `error: …` / `warning: …`, at the level chosen by
/// `-v`/`-q` or `RUST_LOG`.
pub(crate) fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("speechdigest={default}")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| QuietStderr)
        .event_format(Plain)
        .try_init();
}

/// stderr for the log: a write that fails (a closed pipe, a full disk) is
/// dropped, as [`write_stderr`] does; tracing-subscriber would otherwise
/// report the failure with `eprintln!`, which panics.
struct QuietStderr;

impl Write for QuietStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = std::io::stderr().write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = std::io::stderr().flush();
        Ok(())
    }
}

struct Plain;

impl<S, N> FormatEvent<S, N> for Plain
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut w: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let level = match *event.metadata().level() {
            tracing::Level::ERROR => "error",
            tracing::Level::WARN => "warning",
            tracing::Level::INFO => "info",
            tracing::Level::DEBUG => "debug",
            tracing::Level::TRACE => "trace",
        };
        // Formatted whole, then redacted, then written.
        let mut line = String::new();
        ctx.field_format().format_fields(Writer::new(&mut line), event)?;
        writeln!(w, "{level}: {}", redact(&line))
    }
}
