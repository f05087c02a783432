//! `privacydesk`: the CLI over the same service functions as the window, for scripts, imports
//! and batch work. Output is one line, a table or JSON; a refusal is one line on stderr with a
//! non-zero exit code (2 for bad input, 1 for anything else). The commands are in `cli`.

mod cli;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::main().await)
}
