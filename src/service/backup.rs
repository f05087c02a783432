//! Backups, restores and the case file's key, as the CLI (and later the window) asks for them:
//! a backup is recorded in the audit log as a file-level event once its file is complete; a
//! restore and a key rotation record theirs in the file they leave (see `store::backup`).

use crate::domain::history::{AuditEvent, Subject};
use crate::store::backup::{self, BackupError, BackupInfo};
use crate::store::key::KeySource;
use crate::store::{audit, CaseFile};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

/// Writes an encrypted backup of `file` to `out`, its key (read from `keys`) sealed under
/// `passphrase`, then records it in the audit log.
pub async fn backup(
    file: &CaseFile,
    keys: &KeySource,
    out: &Path,
    passphrase: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<BackupInfo, BackupError> {
    let key = keys
        .load()
        .map_err(|e| BackupError::Io(file.path().to_owned(), e.to_string()))?
        .ok_or_else(|| {
            BackupError::Io(
                file.path().to_owned(),
                format!("its key is missing from {}", keys.describe()),
            )
        })?;
    let info = backup::write(file.path(), &key, out, passphrase, now).await?;
    let mut tx = file.write().await?;
    audit::append_in_tx(
        &mut tx,
        Subject::CaseFile,
        None,
        now,
        actor,
        AuditEvent::BackupMade {
            file_name: out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            schema_version: info.schema_version,
            audit_events: info.audit_events,
            audit_head: info.audit_head.clone(),
            cases: info.cases,
            bytes: info.database_bytes,
            sha256: info.database_sha256.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(info)
}

/// The last backup recorded in the case file's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LastBackup {
    /// RFC 3339, UTC.
    pub at: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub cases: i64,
}

/// What the window shows of backups: the last one, and the folder a new one goes to unless
/// the person names another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupStatus {
    pub last: Option<LastBackup>,
    pub folder: String,
}

/// A backup made from the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupDone {
    pub path: String,
    #[ts(type = "number")]
    pub cases: i64,
}

/// A restore done from the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RestoreDone {
    pub made_at: String,
    #[ts(type = "number")]
    pub cases: i64,
    /// Where the case file (and key file) that were there are kept.
    pub set_aside: Vec<String>,
}

/// The last `backup.made` event of the file, if any.
pub async fn last_backup(file: &CaseFile) -> Result<Option<LastBackup>, BackupError> {
    let mut snapshot = file.read().await?;
    let Some(event) = audit::latest_of(&mut snapshot, "backup.made").await? else {
        return Ok(None);
    };
    Ok(match event.event {
        Some(AuditEvent::BackupMade { file_name, cases, .. }) => Some(LastBackup {
            at: event.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            file_name,
            cases,
        }),
        // Its details purged: the date is still the record.
        _ => Some(LastBackup {
            at: event.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            file_name: String::new(),
            cases: 0,
        }),
    })
}

/// The name of a backup made at `now`: sorts by time, and says what it is.
pub fn backup_name(now: DateTime<Utc>) -> String {
    format!("PrivacyDesk backup {}.pdbk", now.format("%Y-%m-%d %H%M%S"))
}
