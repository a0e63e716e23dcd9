//! The `speechdigest` binary: argv → [`speechdigest::app::main`] → exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    speechdigest::app::main()
}
