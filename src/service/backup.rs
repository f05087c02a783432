//! Backups, restores and the case file's key, as the CLI (and later the window) asks for them:
//! a backup is recorded in the audit log as a file-level event once its file is complete; a
//! restore and a key rotation record theirs in the file they leave (see `store::backup`).

use crate::domain::history::{AuditEvent, Subject};
use crate::store::backup::{self, BackupError, BackupInfo};
use crate::store::key::KeySource;
use crate::store::{audit, CaseFile};
use chrono::{DateTime, Utc};
use std::path::Path;

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
            bytes: info.database_bytes,
            sha256: info.database_sha256.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(info)
}
