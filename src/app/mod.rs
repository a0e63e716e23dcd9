//! The application: arguments (`cli`), the config file's schema (`config`),
//! settings resolved from both and the environment (`settings`), the one
//! pipeline (`pipeline`), the commands (`cmd`), scheduled runs (`watch`) and
//! what the user sees (`messages`). No stage logic of its own.

mod audio;
pub(crate) mod cli;
mod cmd;
pub(crate) mod config;
mod input;
mod messages;
pub(crate) mod pipeline;
mod settings;
mod watch;

use std::process::ExitCode;

use clap::Parser;

use crate::error::Result;
use cli::{Cli, Command};
pub(crate) use messages::Report;

/// Runs one command.
///
/// # Errors
/// Only what stops the whole run (usage errors); per-input failures are
/// counted in the [`Report`].
pub(crate) async fn run(cli: Cli) -> Result<Report> {
    match cli.command {
        Command::Outline(args) => cmd::outline::run(args).await,
        Command::Build(args) => cmd::build::run(args).await,
        Command::Summary(args) => cmd::summary::run(args).await,
        Command::Templates(c) => cmd::templates::run(c),
        Command::Render(args) => cmd::render::run(args),
        Command::Watch(args) => cmd::watch::run(args).await,
        Command::Transcript(args) => cmd::transcript::run(args).await,
        Command::Normalize(args) => cmd::normalize::run(args).await,
        Command::Speak(args) => cmd::speak::run(args).await,
    }
}

/// The binary: parse argv, set up logging on stderr, run one command, map
/// the outcome to an exit code (0 ok, 1 some inputs failed, 2 usage or
/// configuration error).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    messages::init_logging(cli.verbose, cli.quiet);
    if let Some(n) = cli.max_depth.and_then(|n| usize::try_from(n).ok()) {
        crate::ingest::Limits::set_process_default(crate::ingest::Limits { max_depth: n });
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            messages::write_stderr(&format!("error: cannot start the async runtime: {e}"));
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(report) => ExitCode::from(report.exit_code()),
        Err(e) => {
            messages::print_error(&e);
            ExitCode::from(2)
        }
    }
}
