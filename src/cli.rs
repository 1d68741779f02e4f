//! STUB: the command-line scenario runner.

use std::process::ExitCode;

pub fn main(_args: &[String]) -> ExitCode {
    ExitCode::SUCCESS
}
