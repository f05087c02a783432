//! Errors of the use cases, and the one error shape that leaves the core: [`AppError`], a code
//! from a closed set plus a message fit for the person at the desk (and per-field messages for
//! validation). SQL text and stored values never appear in it; internal details go to the log
//! without personal data.

use crate::domain::{CaseNumber, FieldError, ValidationErrors};
use crate::letters::LetterError;
use crate::store::backup::BackupError;
use crate::store::key::KeyError;
use crate::store::sealed::SealError;
use crate::store::{OpenError, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    /// `what` names the kind of record ("Case", "Letter"), `which` the one asked for.
    #[error("{what} {which} was not found")]
    NotFound { what: &'static str, which: String },
    /// Someone else changed the record first; nothing was saved.
    #[error("{0}")]
    Conflict(String),
    /// The confirmation of receipt is recorded already (§ 7021(a) asks for one).
    #[error("receipt of {number} was already confirmed on {on}")]
    AlreadyAcknowledged { number: CaseNumber, on: NaiveDate },
    /// The response or the compliance is recorded already.
    #[error("{what} was already recorded on {on}")]
    AlreadyRecorded { what: &'static str, on: NaiveDate },
    /// An extension notice given after the response date cannot extend it (§ 7021(b)).
    #[error("too late for an extension: the notice had to be given by {due}")]
    ExtensionTooLate { due: NaiveDate },
    #[error("letter {letter} was already marked as mailed on {on}")]
    LetterAlreadyMailed { letter: i64, on: NaiveDate },
    /// A letter template (or the letter engine) is broken: no letter of this kind can be made
    /// until it is fixed, so a batch stops here rather than skip every case.
    #[error("{0}")]
    LetterBroken(String),
    /// A file outside the case file could not be read or written (message names the path).
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    pub fn case_not_found(number: CaseNumber) -> ServiceError {
        ServiceError::NotFound {
            what: "Case",
            which: number.to_string(),
        }
    }

    pub fn not_found(what: &'static str, which: impl ToString) -> ServiceError {
        ServiceError::NotFound {
            what,
            which: which.to_string(),
        }
    }

    /// One validation problem on one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
        let mut errors = ValidationErrors::default();
        errors.add(field, message);
        ServiceError::Invalid(errors)
    }
}

impl From<crate::domain::clock::ExtensionRefused> for ServiceError {
    fn from(e: crate::domain::clock::ExtensionRefused) -> ServiceError {
        match e {
            crate::domain::clock::ExtensionRefused::TooLate { due } => ServiceError::ExtensionTooLate { due },
            crate::domain::clock::ExtensionRefused::Invalid(errors) => ServiceError::Invalid(errors),
        }
    }
}

impl From<LetterError> for ServiceError {
    fn from(e: LetterError) -> ServiceError {
        let field = match &e {
            // The template itself (a staff edit, or the engine) is at fault, not the case.
            LetterError::Template(_) => return ServiceError::LetterBroken(e.to_string()),
            LetterError::Unprintable(_) => "letter",
            LetterError::Forbidden(_) => "body",
            LetterError::NoAddress(_) => "recipient",
        };
        ServiceError::invalid(field, e.to_string())
    }
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
    /// What was asked is recorded already (a confirmation of receipt, a response, a mailing).
    AlreadyRecorded,
    /// A date that had to be met has passed (an extension notice after the response date).
    TooLate,
    /// A letter template is broken; fix it in Settings › Letter templates.
    LetterBroken,
    /// Another change held the case file; nothing was changed, try again.
    Busy,
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
    /// The case file's audit log was changed outside PrivacyDesk.
    AuditBroken,
    /// The case file could not be read or written.
    Storage,
    /// A fault in PrivacyDesk itself.
    Internal,
}

impl ErrorCode {
    /// Whether the command was given something it cannot act on (the CLI exits 2 for these).
    pub fn is_bad_input(self) -> bool {
        matches!(
            self,
            ErrorCode::Validation | ErrorCode::NotFound | ErrorCode::AlreadyRecorded | ErrorCode::TooLate
        )
    }
}

/// The error shape crossing every boundary (IPC, CLI JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// Per-field problems, for `validation` errors (and others tied to a field); empty otherwise.
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

    pub fn on_field(code: ErrorCode, field: &str, message: String) -> AppError {
        AppError {
            code,
            message: message.clone(),
            fields: vec![FieldError {
                field: field.to_owned(),
                message,
            }],
        }
    }
}

const STORAGE_MESSAGE: &str = "The case file could not be read or written. Nothing was changed; try again, and if it keeps failing, check the disk.";

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::Busy => AppError::new(
                ErrorCode::Busy,
                "The case file is busy with another change (a batch of letters, or another window). Nothing was changed; try again in a moment.",
            ),
            StoreError::DiskFull => AppError::new(
                ErrorCode::Storage,
                "The disk holding the case file is full. Nothing was changed; free some space and try again.",
            ),
            StoreError::Duplicate(_) | StoreError::MissingReference => AppError::new(
                ErrorCode::Conflict,
                "Someone else changed this at the same moment, so nothing was saved. Reload to see the change and try again.",
            ),
            e @ StoreError::Damaged(_) => {
                eprintln!("privacydesk: storage error: {e}");
                AppError::new(
                    ErrorCode::Storage,
                    "The case file is damaged: some of its pages do not fit together. Nothing was changed. Restore the latest backup (Settings › Backups); the damaged file is kept aside, not deleted, for examination.",
                )
            }
            e @ (StoreError::Sql(_) | StoreError::Corrupt(_)) => {
                // The store's message can name tables and columns, never values: safe to log.
                eprintln!("privacydesk: storage error: {e}");
                AppError::new(ErrorCode::Storage, STORAGE_MESSAGE)
            }
        }
    }
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> AppError {
        match e {
            ServiceError::Invalid(errors) => AppError {
                code: ErrorCode::Validation,
                message: match errors.0.as_slice() {
                    [one] => one.message.clone(),
                    _ => "Some fields need attention.".to_owned(),
                },
                fields: errors.0,
            },
            ServiceError::NotFound { what, which } => {
                AppError::new(ErrorCode::NotFound, format!("{what} {which} was not found."))
            }
            ServiceError::Conflict(message) => AppError::new(ErrorCode::Conflict, message),
            ServiceError::AlreadyAcknowledged { number, on } => AppError::on_field(
                ErrorCode::AlreadyRecorded,
                "acknowledgment",
                format!("Receipt of {number} was already confirmed on {on}."),
            ),
            ServiceError::AlreadyRecorded { what, on } => AppError::on_field(
                ErrorCode::AlreadyRecorded,
                "clock",
                format!("{what} was already recorded on {on}."),
            ),
            ServiceError::ExtensionTooLate { due } => AppError::on_field(
                ErrorCode::TooLate,
                "notice_on",
                format!(
                    "Too late: the notice of an extension had to be given by the response date, {} (§ 7021(b)); a notice given later cannot extend the period.",
                    crate::domain::deadline::long_date(due)
                ),
            ),
            ServiceError::LetterAlreadyMailed { letter, on } => AppError::new(
                ErrorCode::AlreadyRecorded,
                format!("Letter {letter} is already marked as mailed on {on}."),
            ),
            ServiceError::LetterBroken(message) => AppError::new(ErrorCode::LetterBroken, message),
            ServiceError::Io(message) => AppError::new(ErrorCode::Storage, message),
            ServiceError::Store(e) => e.into(),
        }
    }
}

impl From<BackupError> for AppError {
    fn from(e: BackupError) -> AppError {
        let code = match &e {
            BackupError::Seal(_, SealError::ShortPassphrase | SealError::WrongPassphrase) => {
                return AppError::on_field(ErrorCode::Validation, "passphrase", capitalise(&e.to_string()))
            }
            BackupError::NotABackup(_)
            | BackupError::Damaged(..)
            | BackupError::Seal(..)
            | BackupError::TargetExists(..) => ErrorCode::Validation,
            BackupError::Invalid { field, message } => {
                return AppError::on_field(ErrorCode::Validation, field, message.clone())
            }
            BackupError::NewerSchema { .. } => ErrorCode::NewerSchema,
            BackupError::AuditBroken { .. } => ErrorCode::AuditBroken,
            BackupError::Io(..) => ErrorCode::Storage,
            BackupError::Store(_) | BackupError::Open(_) => {
                return match e {
                    BackupError::Store(s) => s.into(),
                    BackupError::Open(o) => o.into(),
                    _ => unreachable!("matched above"),
                }
            }
        };
        AppError::new(code, capitalise(&e.to_string()))
    }
}

impl From<OpenError> for AppError {
    fn from(e: OpenError) -> AppError {
        let code = match &e {
            OpenError::KeyMissing { .. } => ErrorCode::KeyMissing,
            OpenError::WrongKey { .. } => ErrorCode::WrongKey,
            OpenError::NewerSchema { .. } => ErrorCode::NewerSchema,
            OpenError::AuditBroken { .. } => ErrorCode::AuditBroken,
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
