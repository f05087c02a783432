//! Errors of the use cases, and the one error shape that leaves the core: [`AppError`], a code
//! from a closed set plus a message fit for the person at the desk (and per-field messages for
//! validation). SQL text and stored values never appear in it; internal details go to the log
//! without personal data.

use crate::domain::{FieldError, ValidationErrors};
use crate::store::key::KeyError;
use crate::store::{OpenError, StoreError};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    #[error("{0} was not found")]
    NotFound(String),
    /// Someone else changed the record first; nothing was saved.
    #[error("{0}")]
    Conflict(String),
    /// A file outside the case file could not be read or written (message names the path).
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What kind of failure this is, so the UI and scripts can branch on it. Closed set: a code is
/// added only when a caller needs to act differently on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input broke a rule; `fields` says which.
    Validation,
    NotFound,
    /// Someone else changed the record first; reload and try again.
    Conflict,
    /// The case file exists but its key is not where it should be.
    KeyMissing,
    /// The key does not open the case file.
    WrongKey,
    /// The OS keyring is locked.
    KeyringLocked,
    /// The OS keyring cannot be reached.
    KeyringUnavailable,
    /// The case file was written by a newer version.
    NewerSchema,
    /// The case file could not be read or written.
    Storage,
    /// A fault in PrivacyDesk itself.
    Internal,
}

/// The error shape crossing every boundary (IPC, CLI JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// Per-field problems, for `validation` errors; empty otherwise.
    pub fields: Vec<FieldError>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }
}

const STORAGE_MESSAGE: &str = "The case file could not be read or written. Nothing was changed; try again, and if it keeps failing, check the disk.";

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> AppError {
        match e {
            ServiceError::Invalid(errors) => AppError {
                code: ErrorCode::Validation,
                message: "Some fields need attention.".to_owned(),
                fields: errors.0,
            },
            ServiceError::NotFound(what) => AppError::new(ErrorCode::NotFound, format!("{what} was not found.")),
            ServiceError::Conflict(message) => AppError::new(ErrorCode::Conflict, message),
            ServiceError::Io(message) => AppError::new(ErrorCode::Storage, message),
            ServiceError::Store(e) => {
                // The sqlx message can name tables and columns, never values: safe to log.
                eprintln!("privacydesk: storage error: {e}");
                AppError::new(ErrorCode::Storage, STORAGE_MESSAGE)
            }
        }
    }
}

impl From<OpenError> for AppError {
    fn from(e: OpenError) -> AppError {
        let code = match &e {
            OpenError::KeyMissing { .. } => ErrorCode::KeyMissing,
            OpenError::WrongKey { .. } => ErrorCode::WrongKey,
            OpenError::NewerSchema { .. } => ErrorCode::NewerSchema,
            OpenError::Key(KeyError::KeyringLocked) => ErrorCode::KeyringLocked,
            OpenError::Key(KeyError::KeyringUnavailable(_)) => ErrorCode::KeyringUnavailable,
            OpenError::Key(_) | OpenError::Io(..) | OpenError::Migration(_) | OpenError::Database(_) => {
                ErrorCode::Storage
            }
        };
        AppError::new(code, capitalise(&e.to_string()))
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str().trim_end_matches('.')),
        None => String::new(),
    }
}
