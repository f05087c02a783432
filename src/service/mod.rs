//! Use cases: what a command does, each in one transaction, shared by the CLI, the desktop shell
//! and the tests. "Now" comes from a [`Clock`] so every rule that depends on it is testable.

pub mod backup;
pub mod case_view;
pub mod clocks;
pub mod decisions;
pub mod demo;
pub mod dossier;
pub mod drafts;
pub mod email;
pub mod error;
pub mod files;
pub mod history;
pub mod import;
pub mod intake;
pub mod letters;
pub mod lifecycle;
pub mod profile;
pub mod queue;
pub mod records;
pub mod reference;
pub mod retention;
pub mod specific;
pub mod verification;
pub mod warnings;

pub use error::{AppError, ErrorCode, ServiceError};

use chrono::{DateTime, Utc};

/// The source of "now". The shell and the CLI use [`SystemClock`]; tests pass a fixed instant.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The computer's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The name of the operating-system user, for the audit log when no staff name is given.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "unknown user".to_owned())
}

/// A value as the JSON the audit log keeps.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ServiceError> {
    serde_json::to_value(value).map_err(|e| crate::store::StoreError::Corrupt(e.to_string()).into())
}

/// Writes `content` as `name` in `folder` without overwriting anything ("name (2).ext" when
/// taken); returns the path written.
pub fn save_copy(folder: &std::path::Path, name: &str, content: &[u8]) -> Result<std::path::PathBuf, ServiceError> {
    let (path, mut out) = create_new(folder, name)?;
    std::io::Write::write_all(&mut out, content)
        .map_err(|e| ServiceError::Io(format!("{} could not be written: {e}", path.display())))?;
    Ok(path)
}

/// The longest file name a copy gets, in bytes (file systems allow 255; room is left for " (2)").
const LONGEST_FILE_NAME: usize = 200;

/// A name that stays inside the folder a copy is saved to, whatever a sender put in it: only
/// the last part of a path, no control characters (NUL among them), no leading or trailing dots
/// and spaces (so never `.` or `..`), not one of Windows' reserved device names, at most 200
/// bytes with its extension kept; "file" when nothing is left.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).collect();
    let mut clean = clean.trim_matches(|c: char| c == '.' || c.is_whitespace()).to_owned();
    if clean.is_empty() {
        clean = "file".to_owned();
    }
    let stem_upper = clean.split('.').next().unwrap_or("").trim().to_ascii_uppercase();
    let reserved = matches!(stem_upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem_upper.len() == 4
            && (stem_upper.starts_with("COM") || stem_upper.starts_with("LPT"))
            && stem_upper.as_bytes()[3].is_ascii_digit());
    if reserved {
        clean.insert(0, '_');
    }
    if clean.len() > LONGEST_FILE_NAME {
        let ext = match clean.rsplit_once('.') {
            Some((_, e)) if e.len() <= 16 => format!(".{e}"),
            _ => String::new(),
        };
        let mut cut = LONGEST_FILE_NAME - ext.len();
        while !clean.is_char_boundary(cut) {
            cut -= 1;
        }
        clean = format!("{}{ext}", &clean[..cut]);
    }
    clean
}

/// Creates `name` in `folder` without overwriting anything ("name (2).ext" when taken), for
/// something written as it is made (a batch's printer PDF).
pub fn create_new(folder: &std::path::Path, name: &str) -> Result<(std::path::PathBuf, std::fs::File), ServiceError> {
    let io =
        |e: std::io::Error| ServiceError::Io(format!("The copy could not be written to {}: {e}", folder.display()));
    std::fs::create_dir_all(folder).map_err(io)?;
    let name = &safe_file_name(name);
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_owned(), format!(".{e}")),
        _ => (name.to_owned(), String::new()),
    };
    for n in 1..1000 {
        let candidate = if n == 1 {
            folder.join(name)
        } else {
            folder.join(format!("{stem} ({n}){ext}"))
        };
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(out) => return Ok((candidate, out)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(e)),
        }
    }
    Err(io(std::io::Error::other("too many files with this name")))
}
