//! Backups of the case file and their restore, and the rotation of its key.
//!
//! A backup is one file: a first line naming the format, a line describing what it holds
//! ([`BackupInfo`]: when it was made, the schema version, the audit chain's head, the case count,
//! the size and SHA-256 of the database that follows), a line with the case file's key sealed
//! under the person's passphrase ([`sealed`], bound to the description line, so that line
//! cannot be edited without the passphrase failing), then the database itself: a SQLCipher file
//! written by `sqlcipher_export` on a connection of its own inside one read transaction, so the
//! copy is consistent while the app keeps working. A restore needs only that file and the
//! passphrase.
//!
//! A restore writes beside its target and checks everything before anything is moved: the
//! passphrase, the database's SHA-256, `PRAGMA integrity_check`, the schema (older is migrated
//! forward, newer refused), and the audit chain (it must verify and end at the head the backup
//! names). Only then is an existing target set aside (renamed, never deleted) and the restored
//! file moved in, the database before its key, so that a crash between the two leaves a file
//! whose key is missing (refused at open) rather than a key with no file (a new empty one).
//!
//! A key rotation stores the new key first (`<key>.rotating`, or a second keyring entry), then
//! rekeys the database in one step, then puts the new key in the old one's place. At every
//! point one of the two opens the file; [`recover_rotation`] (run at open) finishes or forgets
//! an interrupted rotation.

use super::key::{DatabaseKey, KeySource};
use super::sealed::{self, SealError, SealedKey};
use super::{audit, beside, connect_options, sync_dir, OpenError, StoreError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{ConnectOptions, Connection};
use std::io::{BufRead, BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The first line of every backup file.
pub const MAGIC: &str = "PRIVACYDESK BACKUP 1";
/// The first line of a key export.
pub const KEY_MAGIC: &str = "PRIVACYDESK KEY 1";

/// What a backup holds, as its second line says (and its passphrase seal is bound to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupInfo {
    /// RFC 3339, UTC.
    pub made_at: String,
    /// The PrivacyDesk version that made it.
    pub made_by: String,
    /// The newest migration applied to the copy.
    pub schema_version: i64,
    /// The audit chain's head in the copy.
    pub audit_events: i64,
    pub audit_head: String,
    pub cases: i64,
    pub database_bytes: u64,
    pub database_sha256: String,
}

/// What a key export's second line says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyExportInfo {
    pub made_at: String,
    /// The case file's name when it was exported (to tell exports apart; not checked).
    pub case_file: String,
}

/// Why a backup, a restore, a key export or a rotation did not happen. Each leaves what was
/// there as it was.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("not a PrivacyDesk backup (or key export): {0}")]
    NotABackup(PathBuf),
    #[error("the backup {0} is damaged: {1}")]
    Damaged(PathBuf, String),
    #[error("{1}: {0}")]
    Seal(PathBuf, SealError),
    #[error("cannot read or write {0}: {1}")]
    Io(PathBuf, String),
    #[error("there is a file at {0} already; {1}")]
    TargetExists(PathBuf, &'static str),
    #[error("the backup was made by a newer PrivacyDesk (schema {found}, this version knows up to {known}); install the newer version to restore it")]
    NewerSchema { found: i64, known: i64 },
    #[error("the backup's audit log does not verify at event {at_event} ({reason}); it is not restored")]
    AuditBroken { at_event: i64, reason: String },
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Open(#[from] OpenError),
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |e| BackupError::Io(path.to_owned(), e.to_string())
}

/// A backup file's head, read and checked for shape (not yet opened with a passphrase).
#[derive(Debug)]
pub struct BackupFile {
    pub path: PathBuf,
    pub info: BackupInfo,
    info_line: Vec<u8>,
    seal: SealedKey,
    database_at: u64,
}

/// The longest description line read (a backup's is a few hundred bytes).
const LONGEST_LINE: u64 = 16 * 1024;

/// Reads one line of at most [`LONGEST_LINE`] bytes, without its `\n`.
fn read_line(reader: &mut impl BufRead, path: &Path) -> Result<Vec<u8>, BackupError> {
    let mut line = Vec::new();
    reader
        .take(LONGEST_LINE)
        .read_until(b'\n', &mut line)
        .map_err(io(path))?;
    if line.pop() != Some(b'\n') {
        return Err(BackupError::NotABackup(path.to_owned()));
    }
    Ok(line)
}

/// Reads the three lines that open a backup or a key export (`magic`), and where the rest starts.
fn read_head(path: &Path, magic: &str) -> Result<(Vec<u8>, SealedKey, u64, u64), BackupError> {
    let file = std::fs::File::open(path).map_err(io(path))?;
    let meta = file.metadata().map_err(io(path))?;
    if !meta.is_file() {
        return Err(BackupError::Io(path.to_owned(), "it is not a regular file".into()));
    }
    let mut reader = BufReader::new(file);
    if read_line(&mut reader, path)? != magic.as_bytes() {
        return Err(BackupError::NotABackup(path.to_owned()));
    }
    let info_line = read_line(&mut reader, path)?;
    let seal_line = read_line(&mut reader, path)?;
    let seal: SealedKey = serde_json::from_slice(&seal_line)
        .map_err(|e| BackupError::Damaged(path.to_owned(), format!("its sealed key: {e}")))?;
    let at = reader.stream_position().map_err(io(path))?;
    Ok((info_line, seal, at, meta.len()))
}

impl BackupFile {
    /// Reads a backup's head; refuses a file that is not one, or whose length is not the
    /// database's size it names (a copy cut short).
    pub fn read(path: &Path) -> Result<BackupFile, BackupError> {
        let (info_line, seal, at, len) = read_head(path, MAGIC)?;
        let info: BackupInfo = serde_json::from_slice(&info_line)
            .map_err(|e| BackupError::Damaged(path.to_owned(), format!("its description: {e}")))?;
        if len.checked_sub(at) != Some(info.database_bytes) {
            return Err(BackupError::Damaged(
                path.to_owned(),
                format!(
                    "it holds {} bytes of database where its description says {} (a copy cut short?)",
                    len.saturating_sub(at),
                    info.database_bytes
                ),
            ));
        }
        Ok(BackupFile {
            path: path.to_owned(),
            info,
            info_line,
            seal,
            database_at: at,
        })
    }

    /// The case file's key, if `passphrase` is the one the backup was made with.
    pub fn key(&self, passphrase: &str) -> Result<DatabaseKey, BackupError> {
        sealed::open(&self.seal, passphrase, &self.info_line).map_err(|e| BackupError::Seal(self.path.clone(), e))
    }

    /// Copies the database out to `to`, checking its SHA-256 on the way.
    fn extract(&self, to: &Path) -> Result<(), BackupError> {
        let mut from = std::fs::File::open(&self.path).map_err(io(&self.path))?;
        from.seek(std::io::SeekFrom::Start(self.database_at))
            .map_err(io(&self.path))?;
        let mut out = new_file(to)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = from.read(&mut buf).map_err(io(&self.path))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(io(to))?;
        }
        out.sync_all().map_err(io(to))?;
        if hex::encode(hasher.finalize()) != self.info.database_sha256 {
            return Err(BackupError::Damaged(
                self.path.clone(),
                "its database does not have the SHA-256 it was made with".into(),
            ));
        }
        Ok(())
    }
}

/// A new private file (mode 0600), replacing a stale one of the same name.
fn new_file(path: &Path) -> Result<std::fs::File, BackupError> {
    let _ = std::fs::remove_file(path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(io(path))
}

/// Writes the three head lines and, when given, the database that follows, to `out` through a
/// `.partial` file renamed into place once complete and synced.
fn write_container(
    out: &Path,
    magic: &str,
    info_line: &[u8],
    seal: &SealedKey,
    database: Option<&Path>,
) -> Result<(), BackupError> {
    let partial = beside(out, ".partial");
    let result = (|| {
        let mut file = new_file(&partial)?;
        let seal_line = serde_json::to_vec(seal).map_err(|e| BackupError::Io(out.to_owned(), e.to_string()))?;
        for line in [magic.as_bytes(), info_line, &seal_line] {
            file.write_all(line).map_err(io(&partial))?;
            file.write_all(b"\n").map_err(io(&partial))?;
        }
        if let Some(db) = database {
            let mut from = std::fs::File::open(db).map_err(io(db))?;
            std::io::copy(&mut from, &mut file).map_err(io(&partial))?;
        }
        file.sync_all().map_err(io(&partial))?;
        std::fs::rename(&partial, out).map_err(io(out))?;
        sync_dir(out);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// The SHA-256 and size of a file, streamed.
fn digest(path: &Path) -> Result<(String, u64), BackupError> {
    let mut file = std::fs::File::open(path).map_err(io(path))?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher).map_err(io(path))?;
    Ok((hex::encode(hasher.finalize()), bytes))
}

/// The newest migration applied, read on `conn`.
async fn schema_version(conn: &mut sqlx::SqliteConnection) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar::<_, Option<i64>>("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await?
            .unwrap_or(0),
    )
}

/// Writes a backup of the case file at `database` (open with `key`) to `out`, its key sealed
/// under `passphrase`. Reads on a connection of its own, in one read transaction: writers go on
/// meanwhile, and the copy is the file as it was when the transaction began.
pub async fn write(
    database: &Path,
    key: &DatabaseKey,
    out: &Path,
    passphrase: &str,
    made_at: chrono::DateTime<chrono::Utc>,
) -> Result<BackupInfo, BackupError> {
    // Sealing first: a passphrase too short is refused before any work.
    sealed::check_new_passphrase(passphrase).map_err(|e| BackupError::Seal(out.to_owned(), e))?;
    if out.is_dir() {
        return Err(BackupError::Io(
            out.to_owned(),
            "it is a folder; name the backup file".into(),
        ));
    }
    let copy = beside(out, ".db-partial");
    // ATTACH on a connection that may not create files opens an empty one as a new database.
    new_file(&copy)?;
    let result = async {
        let mut conn = connect_options(database, key)
            .connect()
            .await
            .map_err(StoreError::from)?;
        let copy_text = copy
            .to_str()
            .ok_or_else(|| BackupError::Io(copy.clone(), "the path is not UTF-8".into()))?
            .to_owned();
        sqlx::query("ATTACH DATABASE ?1 AS backup KEY ?2")
            .bind(&copy_text)
            .bind(key.attach_value())
            .execute(&mut conn)
            .await
            .map_err(StoreError::from)?;
        let exported = async {
            let mut tx = conn.begin().await?;
            let version = schema_version(&mut tx).await?;
            let (events, head) = audit::head(&mut tx).await?;
            let cases: i64 = sqlx::query_scalar("SELECT count(*) FROM privacy_case")
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("SELECT sqlcipher_export('backup')")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>((version, events, head, cases))
        }
        .await;
        let detached = sqlx::query("DETACH DATABASE backup").execute(&mut conn).await;
        let _ = conn.close().await;
        let (version, events, head, cases) = exported?;
        detached.map_err(StoreError::from)?;
        let (sha256, bytes) = digest(&copy)?;
        let info = BackupInfo {
            made_at: super::instant_text(made_at),
            made_by: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version: version,
            audit_events: events,
            audit_head: head,
            cases,
            database_bytes: bytes,
            database_sha256: sha256,
        };
        let info_line = serde_json::to_vec(&info).map_err(|e| BackupError::Io(out.to_owned(), e.to_string()))?;
        let seal = sealed::seal(key, passphrase, &info_line).map_err(|e| BackupError::Seal(out.to_owned(), e))?;
        write_container(out, MAGIC, &info_line, &seal, Some(&copy))?;
        Ok(info)
    }
    .await;
    let _ = std::fs::remove_file(&copy);
    result
}

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
pub struct Restored {
    pub info: BackupInfo,
    /// Where the file and key that were there before were set aside.
    pub set_aside: Vec<PathBuf>,
    /// The schema the restored file has now (newer than the backup's when it was migrated).
    pub schema_version: i64,
}

/// Restores the backup at `from` into the case file `database` with its key in `key_file`.
/// Checks everything on a copy beside the target first; an existing target (file or key) is
/// refused unless `replace`, which sets both aside with a `.replaced-<time>` suffix.
pub async fn restore(
    from: &Path,
    passphrase: &str,
    database: &Path,
    key_file: &Path,
    replace: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Restored, BackupError> {
    restore_with(
        from,
        passphrase,
        database,
        &KeySource::File(key_file.to_owned()),
        replace,
        now,
    )
    .await
}

/// [`restore`] with the key kept in `keys`: a key file, or the OS keyring (where the key of a
/// file set aside is kept under the set-aside file's own entry, so that it still opens).
pub async fn restore_with(
    from: &Path,
    passphrase: &str,
    database: &Path,
    keys: &KeySource,
    replace: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Restored, BackupError> {
    let backup = BackupFile::read(from)?;
    let key = backup.key(passphrase)?;
    let key_file = match keys {
        KeySource::File(path) => Some(path.as_path()),
        KeySource::Keyring { .. } => None,
    };
    if !replace {
        if occupied(database) {
            return Err(BackupError::TargetExists(
                database.to_owned(),
                "give --replace to set it aside (it is renamed, not deleted) and restore in its place",
            ));
        }
        if let Some(key_file) = key_file.filter(|k| occupied(k)) {
            return Err(BackupError::TargetExists(
                key_file.to_owned(),
                "a key file is never overwritten; name a new one, or give --replace to set it aside",
            ));
        }
    }
    for path in [Some(database), key_file].into_iter().flatten() {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
    }
    let staged_db = beside(database, ".restoring");
    let staged_key = beside(key_file.unwrap_or(database), ".key-restoring");
    let result = stage(&backup, &key, &staged_db, &staged_key, now)
        .await
        .map_err(|e| match e {
            // Damage found in the staged copy is the backup's, not the open case file's.
            BackupError::Store(StoreError::Damaged(why)) => BackupError::Damaged(from.to_owned(), why),
            e => e,
        });
    let schema = match result {
        Ok(schema) => schema,
        Err(e) => {
            for p in [&staged_db, &staged_key] {
                remove_with_sidecars(p);
            }
            return Err(e);
        }
    };
    // Everything checked: the old target aside, the database in, then its key.
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut set_aside = Vec::new();
    for path in [Some(database), key_file].into_iter().flatten() {
        if occupied(path) {
            let aside = beside(path, &format!(".replaced-{stamp}"));
            if path == database {
                if let KeySource::Keyring { .. } = keys {
                    // The set-aside file keeps its key, under its own entry.
                    if let Ok(Some(old)) = keys.load() {
                        KeySource::keyring_for(&aside)
                            .store_new(&old)
                            .map_err(|e| BackupError::Io(aside.clone(), e.to_string()))?;
                    }
                }
            }
            std::fs::rename(path, &aside).map_err(io(path))?;
            if path == database {
                for sidecar in ["-wal", "-shm"] {
                    let from = beside(path, sidecar);
                    if occupied(&from) {
                        std::fs::rename(&from, beside(&aside, sidecar)).map_err(io(&from))?;
                    }
                }
            }
            set_aside.push(aside);
        }
    }
    for sidecar in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(beside(&staged_db, sidecar));
    }
    for stale in std::fs::read_dir(staged_db.parent().unwrap_or(Path::new(".")))
        .into_iter()
        .flatten()
        .flatten()
    {
        // The copy `CaseFile::open` keeps before migrating belongs to the staged name.
        let name = stale.file_name();
        let staged_name = staged_db.file_name().unwrap_or_default();
        if name
            .to_string_lossy()
            .starts_with(&format!("{}.pre-", staged_name.to_string_lossy()))
        {
            let _ = std::fs::remove_file(stale.path());
        }
    }
    std::fs::rename(&staged_db, database).map_err(io(database))?;
    sync_dir(database);
    match key_file {
        Some(key_file) => {
            std::fs::rename(&staged_key, key_file).map_err(io(key_file))?;
            sync_dir(key_file);
        }
        None => {
            keys.store_new(&key)
                .map_err(|e| BackupError::Io(database.to_owned(), e.to_string()))?;
            let _ = std::fs::remove_file(&staged_key);
        }
    }
    Ok(Restored {
        info: backup.info,
        set_aside,
        schema_version: schema,
    })
}

/// Extracts, checks and migrates the backup's database at `staged_db` (its key in `staged_key`),
/// records the restore in it and folds its WAL in, leaving one file; its schema version after.
async fn stage(
    backup: &BackupFile,
    key: &DatabaseKey,
    staged_db: &Path,
    staged_key: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64, BackupError> {
    backup.extract(staged_db)?;
    let _ = std::fs::remove_file(staged_key);
    KeySource::File(staged_key.to_owned())
        .store_new(key)
        .map_err(|e| BackupError::Io(staged_key.to_owned(), e.to_string()))?;
    check_restored(staged_db, key, &backup.info).await?;
    // Brought up to this version's schema (a copy of the older file is kept beside it).
    let file = super::CaseFile::open(staged_db, &KeySource::File(staged_key.to_owned())).await?;
    let mut tx = file.write().await?;
    audit::append_in_tx(
        &mut tx,
        crate::domain::history::Subject::CaseFile,
        None,
        now,
        "restore",
        crate::domain::history::AuditEvent::FileRestored {
            made_at: backup.info.made_at.clone(),
            audit_head: backup.info.audit_head.clone(),
            from_schema: backup.info.schema_version,
        },
    )
    .await?;
    tx.commit().await?;
    let schema = schema_version(&mut *file.read().await?).await?;
    file.close().await;
    fold_wal(staged_db, key).await?;
    Ok(schema)
}

/// Folds the WAL of a file no one else has open into it and leaves it in rollback-journal mode
/// (no `-wal` beside it), retrying while connections just closed are still letting go, so the
/// one file can be renamed whole.
async fn fold_wal(db: &Path, key: &DatabaseKey) -> Result<(), BackupError> {
    let mut conn = connect_options(db, key).connect().await.map_err(StoreError::from)?;
    let mut last = None;
    // Connections just closed let go on their own threads, later under load (seen: past 5 s
    // while a test suite ran beside); a minute is far beyond that.
    for _ in 0..1200 {
        match sqlx::query_scalar::<_, String>("PRAGMA journal_mode = DELETE")
            .fetch_one(&mut conn)
            .await
        {
            Ok(mode) if mode.eq_ignore_ascii_case("delete") => {
                last = None;
                break;
            }
            Ok(mode) => last = Some(format!("the journal stayed {mode}")),
            Err(e) => last = Some(StoreError::from(e).to_string()),
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = conn.close().await;
    match last {
        None => Ok(()),
        Some(why) => Err(BackupError::Io(db.to_owned(), why)),
    }
}

/// Whether something (a file, a link, a folder) is at `path`.
fn occupied(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(beside(path, suffix));
    }
}

/// The checks of a restored copy before it goes anywhere: it opens with the key, passes
/// `PRAGMA integrity_check`, has a schema this version knows, and its audit chain verifies and
/// ends at the head the backup names.
async fn check_restored(db: &Path, key: &DatabaseKey, info: &BackupInfo) -> Result<(), BackupError> {
    let mut conn = connect_options(db, key).connect().await.map_err(StoreError::from)?;
    let result = async {
        let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut conn)
            .await
            .map_err(StoreError::from)?;
        if integrity != ["ok"] {
            return Err(BackupError::Damaged(
                db.to_owned(),
                format!("integrity check: {}", integrity.join("; ")),
            ));
        }
        let version = schema_version(&mut conn).await?;
        let known = super::MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        if version > known {
            return Err(BackupError::NewerSchema { found: version, known });
        }
        match audit::verify(&mut conn).await? {
            audit::ChainReport::Broken { at_event, reason } => {
                return Err(BackupError::AuditBroken { at_event, reason })
            }
            audit::ChainReport::Intact { .. } => {}
        }
        let (events, head) = audit::head(&mut conn).await?;
        if (events, head.as_str()) != (info.audit_events, info.audit_head.as_str()) {
            return Err(BackupError::AuditBroken {
                at_event: events,
                reason: format!(
                    "the chain ends at event {events}, the backup says {} ({})",
                    info.audit_events, info.audit_head
                ),
            });
        }
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    result
}

/// Writes `key` sealed under `passphrase` to `out` (a key export for a second machine).
pub fn export_key(
    key: &DatabaseKey,
    database: &Path,
    out: &Path,
    passphrase: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), BackupError> {
    let info = KeyExportInfo {
        made_at: super::instant_text(now),
        case_file: database
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let info_line = serde_json::to_vec(&info).map_err(|e| BackupError::Io(out.to_owned(), e.to_string()))?;
    let seal = sealed::seal(key, passphrase, &info_line).map_err(|e| BackupError::Seal(out.to_owned(), e))?;
    write_container(out, KEY_MAGIC, &info_line, &seal, None)
}

/// The key in a key export (or a backup), opened with `passphrase`.
pub fn import_key(from: &Path, passphrase: &str) -> Result<DatabaseKey, BackupError> {
    if let Ok(backup) = BackupFile::read(from) {
        return backup.key(passphrase);
    }
    let (info_line, seal, at, len) = read_head(from, KEY_MAGIC)?;
    if at != len {
        return Err(BackupError::Damaged(
            from.to_owned(),
            "it holds more than a key export does".into(),
        ));
    }
    sealed::open(&seal, passphrase, &info_line).map_err(|e| BackupError::Seal(from.to_owned(), e))
}

/// Puts the key held by the key export (or backup) at `from` in `keys`, as the key of the case
/// file at `database` whose key was lost: only once it is checked to open that file, and
/// keeping aside whatever `keys` held (see [`KeySource::replace_with_checked`]). Returns where
/// that went, if anything was there.
pub async fn install_key(
    database: &Path,
    keys: &KeySource,
    from: &Path,
    passphrase: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<String>, BackupError> {
    let key = import_key(from, passphrase)?;
    if !key_opens(database, &key).await {
        return Err(BackupError::Invalid {
            field: "path",
            message: format!(
                "the key in {} does not open the case file {}: it is the key of another case file, or of this one before its key was replaced",
                from.display(),
                database.display()
            ),
        });
    }
    keys.replace_with_checked(&key, &now.format("%Y%m%dT%H%M%SZ").to_string())
        .map_err(|e| BackupError::Io(PathBuf::from(keys.describe()), e.to_string()))
}

/// Replaces the key of the case file at `database` (kept in `keys`: a key file or the OS
/// keyring) with a new one. The new key is stored first, beside the old ([`KeySource::pending`]);
/// the database is rekeyed in one step; then the new key takes the old one's place. No other
/// connection may be open on the file.
pub async fn rotate_key(
    database: &Path,
    keys: &KeySource,
    now: chrono::DateTime<chrono::Utc>,
    actor: &str,
) -> Result<(), BackupError> {
    let place = || PathBuf::from(keys.describe());
    let key_io = |e: super::key::KeyError| BackupError::Io(place(), e.to_string());
    let old = keys
        .load()
        .map_err(key_io)?
        .ok_or_else(|| BackupError::Io(place(), "there is no key".into()))?;
    let new = DatabaseKey::generate().map_err(key_io)?;
    let pending = keys.pending();
    // One left from before did not open the file (the open that came first would have
    // finished its rotation), so it is no key of anything.
    pending.forget();
    pending.store_new(&new).map_err(key_io)?;
    if let KeySource::File(path) = &pending {
        sync_dir(path);
    }
    let rekeyed = async {
        // The rekey rewrites every page in one transaction; out of WAL mode so that it is one
        // rollback-journal transaction with no WAL frames left under the old key.
        // Out of WAL mode needs the file to itself: connections of this process just closed
        // may still be letting go on their threads, so a busy answer is tried again (a minute).
        let mut tries = 0;
        let mut conn = loop {
            match connect_options(database, &old)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Delete)
                .connect()
                .await
                .map_err(StoreError::from)
            {
                Err(StoreError::Busy) if tries < 1200 => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                other => break other?,
            }
        };
        let mut tx = super::Tx {
            tx: sqlx::Connection::begin_with(&mut conn, "BEGIN IMMEDIATE")
                .await
                .map_err(StoreError::from)?,
            _turn: None,
        };
        audit::append_in_tx(
            &mut tx,
            crate::domain::history::Subject::CaseFile,
            None,
            now,
            actor,
            crate::domain::history::AuditEvent::KeyRotated {},
        )
        .await?;
        tx.commit().await?;
        sqlx::query(&format!("PRAGMA rekey = {}", new.pragma_value()))
            .execute(&mut conn)
            .await
            .map_err(StoreError::from)?;
        let _ = conn.close().await;
        Ok::<_, BackupError>(())
    }
    .await;
    if let Err(e) = rekeyed {
        // Whether the rekey happened decides which key is kept.
        recover_rotation(database, keys).await;
        return Err(e);
    }
    keys.promote(&pending, &new).map_err(key_io)
}

/// Finishes or forgets a key rotation that was interrupted: when a pending key is kept (a
/// `<key>.rotating` file, a keyring entry), it becomes the key if it is the one that opens the
/// database, and is removed if the old key still opens it.
pub async fn recover_rotation(database: &Path, keys: &KeySource) {
    let pending = keys.pending();
    let Ok(Some(new)) = pending.load() else {
        return;
    };
    if key_opens(database, &new).await {
        let _ = keys.promote(&pending, &new);
    } else if let Ok(Some(old)) = keys.load() {
        if key_opens(database, &old).await {
            pending.forget();
        }
    }
}

/// Whether `key` opens the case file at `database`.
pub async fn key_opens(database: &Path, key: &DatabaseKey) -> bool {
    let Ok(mut conn) = connect_options(database, key).connect().await else {
        return false;
    };
    let ok = sqlx::query("SELECT count(*) FROM sqlite_master")
        .execute(&mut conn)
        .await
        .is_ok();
    let _ = conn.close().await;
    ok
}
