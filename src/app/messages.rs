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

/// Prints an error that stopped the run, with its causes.
pub(crate) fn print_error(e: &Error) {
    eprintln!("error: {}", redact(&e.to_string()));
    for c in error::causes(e).skip(1) {
        eprintln!("  caused by: {}", redact(&c.to_string()));
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
        .with_writer(std::io::stderr)
        .event_format(Plain)
        .try_init();
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
