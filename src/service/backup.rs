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

/// The key of `file`, read from `keys`.
fn key_of(file: &CaseFile, keys: &KeySource) -> Result<crate::store::key::DatabaseKey, BackupError> {
    keys.load()
        .map_err(|e| BackupError::Io(file.path().to_owned(), e.to_string()))?
        .ok_or_else(|| {
            BackupError::Io(
                file.path().to_owned(),
                format!("its key is missing from {}", keys.describe()),
            )
        })
}

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
    let key = key_of(file, keys)?;
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

/// Writes the key of `file` (read from `keys`) sealed under `passphrase` to `out`, a key
/// export for a second machine or for the day the keyring loses it, and records that it was
/// made (its name, never the key).
pub async fn export_key(
    file: &CaseFile,
    keys: &KeySource,
    out: &Path,
    passphrase: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), BackupError> {
    let key = key_of(file, keys)?;
    backup::export_key(&key, file.path(), out, passphrase, now)?;
    let mut tx = file.write().await?;
    audit::append_in_tx(
        &mut tx,
        Subject::CaseFile,
        None,
        now,
        actor,
        AuditEvent::KeyExported {
            file_name: out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The name of a key export made at `now`.
pub fn key_export_name(now: DateTime<Utc>) -> String {
    format!("PrivacyDesk key {}.pdkey", now.format("%Y-%m-%d %H%M%S"))
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

/// What the window shows of backups: the last one, the folder a new one goes to unless the
/// person names another, the daily schedule, and why the last scheduled one failed, if it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupStatus {
    pub last: Option<LastBackup>,
    pub folder: String,
    pub schedule: Option<BackupSchedule>,
    pub problem: Option<String>,
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

/// Daily backups: the folder they go to and how many of them are kept there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct BackupSchedule {
    pub folder: String,
    pub keep: u32,
}

/// The setting the schedule is kept under, in the case file (it travels with a backup).
const SCHEDULE_SETTING: &str = "backup_schedule";
/// The most backups a schedule keeps (a year of days).
pub const MOST_KEPT: u32 = 366;
/// A scheduled backup is due once the newest in its folder is this old.
pub fn every() -> chrono::Duration {
    chrono::Duration::hours(24)
}

/// The schedule in force, if any.
pub async fn schedule(file: &CaseFile) -> Result<Option<BackupSchedule>, BackupError> {
    let mut snapshot = file.read().await?;
    match crate::store::settings::get(&mut snapshot, SCHEDULE_SETTING).await? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| BackupError::Store(crate::store::StoreError::Corrupt(format!("the backup schedule: {e}")))),
    }
}

/// Sets (or, with `None`, stops) daily backups. The passphrase they seal with is kept where the
/// key is (`keys`): they run unattended, and whoever can read the key can open the file anyway.
pub async fn set_schedule(
    file: &CaseFile,
    keys: &KeySource,
    next: Option<(BackupSchedule, &str)>,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), BackupError> {
    let keep_err = |m: &str| BackupError::Invalid {
        field: "keep",
        message: m.to_owned(),
    };
    if let Some((s, passphrase)) = &next {
        if s.folder.trim().is_empty() {
            return Err(BackupError::Invalid {
                field: "folder",
                message: "Name the folder the backups go to.".into(),
            });
        }
        if s.keep == 0 || s.keep > MOST_KEPT {
            return Err(keep_err("Keep between 1 and 366 backups."));
        }
        crate::store::sealed::check_new_passphrase(passphrase)
            .map_err(|e| BackupError::Seal(std::path::PathBuf::from(&s.folder), e))?;
        std::fs::create_dir_all(s.folder.trim())
            .map_err(|e| BackupError::Io(std::path::PathBuf::from(&s.folder), e.to_string()))?;
        keys.store_backup_passphrase(passphrase)
            .map_err(|e| BackupError::Io(file.path().to_owned(), e.to_string()))?;
    }
    let mut tx = file.write().await?;
    match &next {
        Some((s, _)) => {
            let text = serde_json::to_string(s).map_err(|e| BackupError::Io(file.path().to_owned(), e.to_string()))?;
            crate::store::settings::put_in_tx(&mut tx, SCHEDULE_SETTING, &text).await?;
        }
        None => crate::store::settings::remove_in_tx(&mut tx, SCHEDULE_SETTING).await?,
    }
    audit::append_in_tx(
        &mut tx,
        Subject::CaseFile,
        None,
        now,
        actor,
        AuditEvent::BackupScheduled {
            folder: next.as_ref().map(|(s, _)| s.folder.clone()),
            keep: next.as_ref().map(|(s, _)| s.keep),
        },
    )
    .await?;
    tx.commit().await?;
    if next.is_none() {
        keys.forget_backup_passphrase();
    }
    Ok(())
}

/// The backups a schedule made in `folder`, oldest first, with when each was made (from its
/// name: only files named as [`backup_name`] names them count, so nothing else is ever pruned).
pub fn scheduled_backups(folder: &Path) -> Vec<(DateTime<Utc>, std::path::PathBuf)> {
    let mut found: Vec<(DateTime<Utc>, std::path::PathBuf)> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stamp = name.strip_prefix("PrivacyDesk backup ")?.strip_suffix(".pdbk")?;
            let at = chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d %H%M%S").ok()?;
            Some((at.and_utc(), e.path()))
        })
        .collect();
    found.sort();
    found
}

/// Makes the scheduled backup if one is due (none in its folder for a day), then keeps only the
/// newest `keep` there. `Ok(None)` when nothing was due.
pub async fn run_scheduled(
    file: &CaseFile,
    keys: &KeySource,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Option<BackupInfo>, BackupError> {
    let Some(s) = schedule(file).await? else {
        return Ok(None);
    };
    let folder = std::path::PathBuf::from(s.folder.trim());
    if let Some((newest, _)) = scheduled_backups(&folder).last() {
        if now - *newest < every() {
            return Ok(None);
        }
    }
    let passphrase = keys
        .backup_passphrase()
        .map_err(|e| BackupError::Io(file.path().to_owned(), e.to_string()))?
        .ok_or_else(|| {
            BackupError::Io(
                file.path().to_owned(),
                "the passphrase of the daily backups is no longer kept; set the daily backups again".into(),
            )
        })?;
    std::fs::create_dir_all(&folder).map_err(|e| BackupError::Io(folder.clone(), e.to_string()))?;
    let info = backup(file, keys, &folder.join(backup_name(now)), &passphrase, now, actor).await?;
    let made = scheduled_backups(&folder);
    let extra = made.len().saturating_sub(s.keep as usize);
    for (_, old) in made.into_iter().take(extra) {
        let _ = std::fs::remove_file(old);
    }
    Ok(Some(info))
}
