//! What the CLI prints: data on stdout (one line, a table or `--json`), refusals as one line on
//! stderr. A closed pipe (`privacydesk case list | head`) ends the command quietly, never with a
//! panic: what it was asked to change was committed before anything was printed.

use privacydesk::service::{AppError, ErrorCode};
use std::io::Write;

/// Prints one line (or lines) to stdout; a closed pipe ends the process quietly.
pub fn line(text: impl std::fmt::Display) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}").and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: the output could not be written: {e}");
        std::process::exit(1);
    }
}

/// Prints a value as pretty JSON.
pub fn json<T: serde::Serialize>(value: &T) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    line(text);
    Ok(())
}

/// Prints to stderr (notes, warnings, progress); a closed stderr is ignored.
pub fn note(text: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// Text from imported or stored data as a terminal shows it: control characters (escape
/// sequences among them) are replaced, so data can never drive the terminal.
pub fn safe(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\t' { '\u{fffd}' } else { c })
        .collect()
}

/// A refusal as the one line scripts read, and the exit code: 2 for bad input, 1 otherwise.
pub fn refusal(e: &AppError) -> (String, u8) {
    let text = if e.fields.is_empty() {
        e.message.clone()
    } else {
        e.fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ")
    };
    (
        format!("error: {}", safe(&text).replace('\n', " ")),
        if e.code.is_bad_input() { 2 } else { 1 },
    )
}

/// A file the command was given, read whole; a missing or unreadable one is bad input.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, AppError> {
    std::fs::read(path)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("{} cannot be read: {e}", path.display())))
}

/// Writes a file the command was asked to produce; refused (nothing else done) if it cannot.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), AppError> {
    std::fs::write(path, bytes)
        .map_err(|e| AppError::new(ErrorCode::Storage, format!("{} cannot be written: {e}", path.display())))
}
