//! The binary: the web app on wasm32, the command-line scenario runner natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    kinesis_playground::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    kinesis_playground::cli::main(&args)
}
