//! The `speechdigest` binary: parse arguments, set up logging on stderr, run
//! one command, map the outcome to an exit code (0 ok, 1 some inputs failed,
//! 2 usage or configuration error).

use std::process::ExitCode;

use clap::Parser;
use speechdigest::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    speechdigest::run::init_logging(cli.verbose, cli.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(speechdigest::run::run(cli)) {
        Ok(report) => ExitCode::from(report.exit_code()),
        Err(e) => {
            speechdigest::run::print_error(&e);
            ExitCode::from(2)
        }
    }
}
