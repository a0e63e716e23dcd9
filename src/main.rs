//! The `speechdigest` binary: argv → [`speechdigest::main`] → exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    speechdigest::main()
}
