//! Use cases: what a command does, each in one transaction, shared by the CLI, the desktop shell
//! and the tests. "Now" comes from a [`Clock`] so every rule that depends on it is testable.

pub mod cases;
pub mod deadlines;
pub mod demo;
pub mod email;
pub mod error;
pub mod import;
pub mod letters;
pub mod profile;

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
