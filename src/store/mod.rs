//! The case file: one SQLite database encrypted whole by SQLCipher, opened through sqlx.
//!
//! [`CaseFile::open`] owns every start-up rule: where the key comes from, what happens on first
//! start, and the refusals that leave an existing file untouched (no key, wrong key, keyring
//! locked, schema newer than this build). Migrations run at open, after a backup copy of an
//! existing file. Query functions in the submodules take a connection so that the service
//! decides the transaction.

pub mod attachments;
pub mod audit;
pub mod backup;
pub mod cases;
pub mod clocks;
pub mod decisions;
pub mod demo;
pub mod drafts;
pub mod emails;
mod journal;
pub mod key;
pub mod letters;
pub mod notes;
pub mod profile;
pub mod queue;
pub mod records;
pub mod reference;
pub mod retention;
pub mod sealed;
pub mod settings;
pub mod specific;
pub mod verification;

use chrono::{DateTime, NaiveDate, Utc};
use key::{DatabaseKey, KeyError, KeySource};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqliteConnection, SqlitePool};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The file name of the case file inside the data directory.
pub const DATABASE_FILE: &str = "privacydesk.db";

/// The app's data directory: `$XDG_DATA_HOME/org.privacydesk.desk` on Linux, the matching folder
/// on macOS and Windows (the same one Tauri uses for the app's identifier).
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(key::KEYRING_SERVICE))
}

/// Where "save a copy" puts files: the user's Downloads folder, else the home folder.
pub fn downloads_dir() -> Option<PathBuf> {
    dirs::download_dir().or_else(dirs::home_dir)
}

/// Why the case file could not be opened. Every variant leaves an existing file as it was.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the case file {database} exists but its key is missing from {key_source}; restore the key (or give the right --key-file) — PrivacyDesk will not create a new, empty case file in its place")]
    KeyMissing { database: PathBuf, key_source: String },
    #[error("the key in {key_source} does not open the case file {database} (wrong key, or the file is not a PrivacyDesk case file)")]
    WrongKey { database: PathBuf, key_source: String },
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("the case file {database} was written by a newer PrivacyDesk (schema {found}, this version knows up to {known}); install the newer version to open it")]
    NewerSchema { database: PathBuf, found: i64, known: i64 },
    #[error("the case file {0} cannot be created or read: {1}")]
    Io(PathBuf, String),
    #[error("the case file could not be brought up to date: {0}")]
    Migration(String),
    #[error("the audit log of {database} does not verify at event {at_event} ({reason}): it was changed outside PrivacyDesk, so the file is not upgraded and was left as it is; keep it as evidence and open a backup instead")]
    AuditBroken {
        database: PathBuf,
        at_event: i64,
        reason: String,
    },
    #[error("the case file could not be opened: {0}")]
    Database(String),
}

/// Why a query failed, sorted by what the caller can do about it. SQL text and values never
/// reach the user through this type's message.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another writer (this window, a batch, the CLI) held the file for the whole busy timeout.
    #[error("the case file stayed busy with another change")]
    Busy,
    /// The disk (or the file system the case file is on) is full.
    #[error("the disk holding the case file is full")]
    DiskFull,
    /// A unique key or primary key already has this value: `table.column` as SQLite names it.
    #[error("a record with the same {0} exists already")]
    Duplicate(String),
    /// A row refers to one that is not there.
    #[error("a record refers to one that does not exist")]
    MissingReference,
    #[error("database error: {0}")]
    Sql(sqlx::Error),
    #[error("a stored row could not be read: {0}")]
    Corrupt(String),
    /// SQLite found pages that do not fit together, or that do not decrypt (`SQLITE_CORRUPT`,
    /// `SQLITE_NOTADB` after the key was accepted): damage, not a passing fault.
    #[error("the case file is damaged: {0}")]
    Damaged(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        let Some(db) = e.as_database_error() else {
            return StoreError::Sql(e);
        };
        // SQLite's extended result code; the primary code is its low byte.
        let code: i64 = db.code().and_then(|c| c.parse().ok()).unwrap_or(0);
        match code & 0xff {
            SQLITE_BUSY | SQLITE_LOCKED => StoreError::Busy,
            SQLITE_FULL => StoreError::DiskFull,
            SQLITE_CORRUPT | SQLITE_NOTADB => StoreError::Damaged(db.message().to_owned()),
            _ if db.is_unique_violation() => {
                // "UNIQUE constraint failed: case_acknowledgment.case_id"
                let columns = db.message().rsplit(": ").next().unwrap_or("").to_owned();
                StoreError::Duplicate(columns)
            }
            _ if db.is_foreign_key_violation() => StoreError::MissingReference,
            _ => StoreError::Sql(e),
        }
    }
}

impl From<StoreError> for OpenError {
    fn from(e: StoreError) -> OpenError {
        OpenError::Database(e.to_string())
    }
}

impl From<sqlx::Error> for OpenError {
    fn from(e: sqlx::Error) -> OpenError {
        OpenError::Database(StoreError::from(e).to_string())
    }
}

const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;
const SQLITE_CORRUPT: i64 = 11;
const SQLITE_FULL: i64 = 13;
const SQLITE_NOTADB: i64 = 26;

/// How long a write waits for another writer to finish before giving up with
/// [`StoreError::Busy`] (SQLite's busy timeout; a letter of a batch holds the lock a few ms).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The connection every store function runs its statements on. Service code only passes it on
/// (as a [`Tx`] or a [`Snapshot`]); it never issues SQL itself.
pub type Conn = SqliteConnection;

/// A write: one transaction begun with `BEGIN IMMEDIATE`, so that it holds the case file's write
/// lock from its first statement and every read inside it sees the data it will change (no
/// other writer can commit in between). Dropped without [`Tx::commit`], it rolls back.
/// Store functions that change the file take a `Tx`, so no change is made outside one.
pub struct Tx<'c> {
    tx: sqlx::Transaction<'c, sqlx::Sqlite>,
    /// This process's turn to write (see [`CaseFile::write`]); released after the transaction
    /// ends, since fields drop in order.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Tx<'_> {
    /// Makes every change of the transaction durable at once.
    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit().await?)
    }

    pub(crate) fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

/// A consistent read: every query on it sees the case file as it was at its first query (one
/// connection, one read transaction), so a screen built from several queries never mixes
/// before and after a concurrent change. Writes nothing; ends when dropped.
pub struct Snapshot(sqlx::Transaction<'static, sqlx::Sqlite>);

impl std::ops::Deref for Snapshot {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.0
    }
}

impl std::ops::DerefMut for Snapshot {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.0
    }
}

/// An open, migrated case file.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pool: SqlitePool,
    path: PathBuf,
    /// Writers of this process queue here, first come first served. SQLite's busy handler
    /// polls, so a writer that begins again at once (a batch, letter after letter) would win
    /// the lock over one that is waiting; the queue gives the waiting one its turn.
    writers: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// What the open did that the person should be told of (a write-ahead log that was not the
    /// file's own, set aside).
    notices: Vec<String>,
    /// Marks the file open in this process until [`CaseFile::close`] (or the last clone's drop).
    _open: std::sync::Arc<OpenHere>,
}

/// The case files this process has open now (by path, with how many handles), so that nothing
/// opens and closes their database file behind SQLite's back while its connections hold it:
/// closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
/// included (see `key::file_identity`, `journal`).
static OPEN_HERE: std::sync::Mutex<Vec<(PathBuf, usize)>> = std::sync::Mutex::new(Vec::new());

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// Whether this process has the case file at `path` open.
pub(crate) fn open_in_this_process(path: &Path) -> bool {
    let path = canonical(path);
    OPEN_HERE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .any(|(p, n)| *p == path && *n > 0)
}

#[derive(Debug)]
struct OpenHere {
    path: PathBuf,
    released: std::sync::atomic::AtomicBool,
}

impl OpenHere {
    fn mark(path: &Path) -> std::sync::Arc<OpenHere> {
        let path = canonical(path);
        let mut open = OPEN_HERE.lock().unwrap_or_else(|p| p.into_inner());
        match open.iter_mut().find(|(p, _)| *p == path) {
            Some((_, n)) => *n += 1,
            None => open.push((path.clone(), 1)),
        }
        std::sync::Arc::new(OpenHere {
            path,
            released: Default::default(),
        })
    }

    fn release(&self) {
        if self.released.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let mut open = OPEN_HERE.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = open.iter().position(|(p, _)| *p == self.path) {
            open[i].1 -= 1;
            if open[i].1 == 0 {
                open.swap_remove(i);
            }
        }
    }
}

impl Drop for OpenHere {
    fn drop(&mut self) {
        self.release();
    }
}

impl CaseFile {
    /// Opens the case file at `path` with the key kept in `keys`, creating both on first start.
    ///
    /// - neither file nor key: a new random key is stored in `keys` first, then the file is
    ///   created (so a file never exists whose key was not kept);
    /// - file but no key: [`OpenError::KeyMissing`]; wrong key: [`OpenError::WrongKey`];
    /// - schema newer than this build: [`OpenError::NewerSchema`];
    /// - pending migrations on an existing file: a copy `<file>.pre-<version>.bak` is written
    ///   first, then the migrations run.
    pub async fn open(path: &Path, keys: &KeySource) -> Result<CaseFile, OpenError> {
        keep_crypto_until_exit();
        let existed = std::fs::metadata(path).map(|m| m.len() > 0).unwrap_or(false);
        if existed {
            backup::recover_rotation(path, keys).await;
        }
        let key = match (keys.load()?, existed) {
            (Some(key), _) => key,
            (None, true) => {
                return Err(OpenError::KeyMissing {
                    database: path.to_owned(),
                    key_source: keys.describe(),
                })
            }
            (None, false) => {
                let key = DatabaseKey::generate()?;
                keys.store_new(&key)?;
                key
            }
        };
        if !existed {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| OpenError::Io(path.to_owned(), e.to_string()))?;
            }
        }
        let mut notices = Vec::new();
        if existed {
            notices.extend(journal::check_leftover(path, &key).await.set_aside);
        }
        let options = connect_options(path, &key);
        let result = Self::prepare(path, &options, &key, existed, keys).await;
        if result.is_err() && !existed {
            // A file this call created and could not finish is removed, never left half-made.
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        result?;
        // The keyring's entry follows the file from now on (also for a file opened by its path
        // entry, made before entries followed files). Failing that, the path entry still works.
        let _ = keys.follow_file(&key);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| OpenError::Database(e.to_string()))?;
        Ok(CaseFile {
            pool,
            path: path.to_owned(),
            writers: Default::default(),
            notices,
            _open: OpenHere::mark(path),
        })
    }

    /// Checks the key and the schema on a single connection, backs up and migrates.
    async fn prepare(
        path: &Path,
        options: &SqliteConnectOptions,
        key: &DatabaseKey,
        existed: bool,
        keys: &KeySource,
    ) -> Result<(), OpenError> {
        let wrong_key = || OpenError::WrongKey {
            database: path.to_owned(),
            key_source: keys.describe(),
        };
        let mut conn = options
            .clone()
            .create_if_missing(!existed)
            .connect()
            .await
            .map_err(|e| {
                if is_not_a_database(&e) {
                    wrong_key()
                } else {
                    OpenError::Io(path.to_owned(), e.to_string())
                }
            })?;
        sqlx::query("SELECT count(*) FROM sqlite_master")
            .execute(&mut conn)
            .await
            .map_err(|e| {
                if is_not_a_database(&e) {
                    wrong_key()
                } else {
                    OpenError::Database(e.to_string())
                }
            })?;

        let applied = applied_migrations(&mut conn).await?;
        let known: BTreeSet<i64> = MIGRATOR.iter().map(|m| m.version).collect();
        let newest_known = known.last().copied().unwrap_or(0);
        if let Some(&unknown) = applied.iter().rev().find(|v| !known.contains(v)) {
            return Err(OpenError::NewerSchema {
                database: path.to_owned(),
                found: unknown,
                known: newest_known,
            });
        }
        let pending = known.difference(&applied).count();
        // An audit log in the first form is carried over only if its chain verifies; checked
        // before anything is written, so a refused file is left exactly as it was.
        let legacy_chain = if existed && audit::legacy::present(&mut conn).await? {
            match audit::legacy::verify(&mut conn).await? {
                Ok(head) => Some(head),
                Err((at_event, reason)) => {
                    return Err(OpenError::AuditBroken {
                        database: path.to_owned(),
                        at_event,
                        reason,
                    })
                }
            }
        } else {
            None
        };
        if existed && pending > 0 {
            let current = applied.last().copied().unwrap_or(0);
            backup(&mut conn, path, key, current).await?;
        }
        MIGRATOR
            .run(&mut conn)
            .await
            .map_err(|e| OpenError::Migration(e.to_string()))?;
        if !existed {
            // A new case file takes the conservative calendar (weekends only); files made by
            // earlier versions keep the calendar they had (the first migration wrote one).
            let mut tx = Tx {
                tx: sqlx::Connection::begin_with(&mut conn, "BEGIN IMMEDIATE").await?,
                _turn: None,
            };
            settings::put_in_tx(
                &mut tx,
                "calendar",
                crate::domain::calendar::CalendarPreset::default().token(),
            )
            .await?;
            tx.commit().await?;
        }
        // A case file always has a profile: the first is the shipped demo organisation.
        if profile::current(&mut conn).await?.is_none() {
            let mut tx = Tx {
                tx: sqlx::Connection::begin_with(&mut conn, "BEGIN IMMEDIATE").await?,
                _turn: None,
            };
            let demo = crate::domain::profile::DEMO_PROFILE;
            profile::insert_in_tx(&mut tx, demo, "PrivacyDesk (demo profile)", chrono::Utc::now()).await?;
            tx.commit().await?;
        }
        if settings::get(&mut conn, "audit_upgrade").await?.as_deref() == Some("pending") {
            let mut tx = Tx {
                tx: sqlx::Connection::begin_with(&mut conn, "BEGIN IMMEDIATE").await?,
                _turn: None,
            };
            if let Some((events, head)) = legacy_chain {
                audit::legacy::upgrade_in_tx(&mut tx, events, head).await?;
            }
            settings::put_in_tx(&mut tx, "audit_upgrade", "done").await?;
            tx.commit().await?;
        }
        // Next due dates are computed in Rust, so a migration cannot fill them for the cases
        // already in the file: done once here.
        if settings::get(&mut conn, "next_due_filled").await?.as_deref() == Some("0") {
            let mut tx = Tx {
                tx: sqlx::Connection::begin_with(&mut conn, "BEGIN IMMEDIATE").await?,
                _turn: None,
            };
            clocks::refresh_all_next_due_in_tx(&mut tx).await?;
            settings::put_in_tx(&mut tx, "next_due_filled", "1").await?;
            tx.commit().await?;
        }
        Ok(conn.close().await?)
    }

    /// The connection pool itself, for tests that must reach under the store (to tamper with the
    /// file as an attacker would). Nothing in the app uses it: service code goes through
    /// [`CaseFile::write`] and [`CaseFile::read`] (a test checks).
    #[doc(hidden)]
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Begins a write ([`Tx`]). Waits while another writer (a batch in this window, the CLI on
    /// the same file) holds the file, retrying for up to the busy timeout, then gives up with
    /// [`StoreError::Busy`] having changed nothing.
    pub async fn write(&self) -> Result<Tx<'static>, StoreError> {
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        let turn = tokio::time::timeout(BUSY_TIMEOUT, self.writers.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Busy)?;
        loop {
            match self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(StoreError::from) {
                Ok(tx) => return Ok(Tx { tx, _turn: Some(turn) }),
                // SQLite's own busy handler has waited already; a busy answer can still come at
                // once (a WAL being recovered), so try again until the deadline.
                Err(StoreError::Busy) if std::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Begins a consistent read ([`Snapshot`]) for one screen or one report.
    pub async fn read(&self) -> Result<Snapshot, StoreError> {
        Ok(Snapshot(self.pool.begin().await?))
    }

    /// A session for writing a very large number of rows (the demo generator): one connection
    /// with a large page cache, for as long as the session lasts. [`BulkSession::finish`] gives
    /// the connection back with the usual cache.
    pub async fn bulk(&self) -> Result<BulkSession, StoreError> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("PRAGMA cache_size = -1048576").execute(&mut *conn).await?;
        Ok(BulkSession { conn })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SQLite's `PRAGMA quick_check` of the whole file: the problems it finds (at most ten),
    /// none when every page fits (what `audit verify` adds to the chain's check, so that a file
    /// damaged outside the audit's pages is not reported sound).
    pub async fn quick_check(&self) -> Result<Vec<String>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let lines: Vec<String> = match sqlx::query_scalar("PRAGMA quick_check(10)").fetch_all(&mut *conn).await {
            Ok(lines) => lines,
            Err(e) => match StoreError::from(e) {
                StoreError::Damaged(why) => vec![why],
                other => return Err(other),
            },
        };
        Ok(if lines == ["ok"] { Vec::new() } else { lines })
    }

    /// What opening the file did that the person should be told of, as sentences.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Closes every connection, then folds the WAL into the file on one connection of its own
    /// and closes that too. SQLite folds and removes the WAL when the last connection closes,
    /// but the pool's connections close at once on threads of their own, and each may see
    /// another still open: the WAL could stay behind, for the next start to check as a
    /// leftover (see `journal`).
    pub async fn close(&self) {
        let options = self.pool.connect_options();
        self.pool.close().await;
        if let Ok(mut conn) = (*options).clone().connect().await {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await;
            let _ = conn.close().await;
        }
        self._open.release();
    }
}

/// One connection kept for many write transactions in a row (see [`CaseFile::bulk`]). SQLite keeps
/// its page cache between transactions only while no other connection writes, so a bulk writer
/// that stays on one connection reads most index pages once.
pub struct BulkSession {
    conn: sqlx::pool::PoolConnection<sqlx::Sqlite>,
}

impl BulkSession {
    /// Begins one write transaction on the session's connection (`BEGIN IMMEDIATE`).
    pub async fn write(&mut self) -> Result<Tx<'_>, StoreError> {
        Ok(Tx {
            tx: sqlx::Connection::begin_with(&mut *self.conn, "BEGIN IMMEDIATE").await?,
            _turn: None,
        })
    }

    /// Restores the usual page cache and returns the connection to the pool.
    pub async fn finish(mut self) -> Result<(), StoreError> {
        sqlx::query(&format!("PRAGMA cache_size = {CACHE_SIZE}"))
            .execute(&mut *self.conn)
            .await?;
        Ok(())
    }
}

/// Tells OpenSSL (SQLCipher's cipher, the system libcrypto) not to free its state in an
/// `atexit` handler. sqlx closes each connection on its own worker thread; a process that ends
/// while one of them is still closing (a window closed mid-batch) would otherwise have OpenSSL
/// freed under that thread, and abort with a double free. Must run before SQLCipher's first
/// use of OpenSSL; the operating system frees everything at exit anyway.
fn keep_crypto_until_exit() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // OpenSSL 1.1.0 and later (`include/openssl/crypto.h`).
    const OPENSSL_INIT_NO_ATEXIT: u64 = 0x0008_0000;
    extern "C" {
        fn OPENSSL_init_crypto(opts: u64, settings: *const std::ffi::c_void) -> std::ffi::c_int;
    }
    ONCE.call_once(|| {
        // SAFETY: called once, before any other OpenSSL call of this process, with no settings.
        unsafe { OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, std::ptr::null()) };
    });
}

/// `path` with `suffix` added to its file name (`case.db` + `-wal`, `case.key` + `.rotating`).
pub(crate) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Makes a rename or a new file at `path` survive a power cut (syncs the folder holding it).
pub(crate) fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// SQLite's page cache per connection, in KiB when negative (64 MiB).
pub(crate) const CACHE_SIZE: &str = "-65536";

fn connect_options(path: &Path, key: &DatabaseKey) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        // sqlx sends `key` before every other pragma, as SQLCipher requires.
        .pragma("key", key.pragma_value())
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        // With SQLCipher, the default 2 MiB page cache makes searches several times slower.
        .pragma("cache_size", CACHE_SIZE)
        // What is deleted or purged (verification values, drafts, retention) is overwritten
        // in its page, not left in free space to be read back with the key (11 CCR § 7060(d)).
        .pragma("secure_delete", "ON")
        .create_if_missing(false)
}

/// SQLite's "file is not a database" (code 26): what SQLCipher reports for a wrong key.
fn is_not_a_database(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("26"))
}

async fn applied_migrations(conn: &mut SqliteConnection) -> Result<BTreeSet<i64>, OpenError> {
    let has_table: Option<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_optional(&mut *conn)
            .await
            .map_err(|e| OpenError::Database(e.to_string()))?;
    if has_table.is_none() {
        return Ok(BTreeSet::new());
    }
    let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| OpenError::Database(e.to_string()))?;
    Ok(versions.into_iter().collect())
}

/// Copies the whole file, encrypted with the same key, before migrations touch it. The copy is
/// written by SQLCipher (`sqlcipher_export` into an attached file, in one read transaction),
/// never by reading the file's bytes from here: opening and closing the file beside the
/// connection would drop the locks SQLite holds on it (see [`open_in_this_process`]).
async fn backup(conn: &mut SqliteConnection, path: &Path, key: &DatabaseKey, version: i64) -> Result<(), OpenError> {
    let target = PathBuf::from(format!("{}.pre-{version}.bak", path.display()));
    let io = |e: String| OpenError::Io(target.clone(), e);
    let text = target
        .to_str()
        .ok_or_else(|| io("the path is not UTF-8".into()))?
        .to_owned();
    // One left by an upgrade that stopped half-way is made again. The connection may not
    // create files, so the (empty, private) file is made here for ATTACH to fill.
    let _ = std::fs::remove_file(&target);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(&target).map_err(|e| io(e.to_string()))?;
    sqlx::query("ATTACH DATABASE ?1 AS upgrade_copy KEY ?2")
        .bind(&text)
        .bind(key.attach_value())
        .execute(&mut *conn)
        .await
        .map_err(|e| io(e.to_string()))?;
    let exported = async {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::query("SELECT sqlcipher_export('upgrade_copy')")
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
    .await;
    let detached = sqlx::query("DETACH DATABASE upgrade_copy").execute(&mut *conn).await;
    exported.map_err(|e| io(e.to_string()))?;
    detached.map_err(|e| io(e.to_string()))?;
    Ok(())
}

/// `{select} WHERE c.id IN (?, ?, ...)` with `ids` bound: how a page of cases is loaded.
pub(crate) fn where_id_in<'a>(select: &str, ids: &'a [i64]) -> sqlx::QueryBuilder<'a, sqlx::Sqlite> {
    let mut b = sqlx::QueryBuilder::new(format!("{select} WHERE c.id IN ("));
    let mut list = b.separated(", ");
    for id in ids {
        list.push_bind(id);
    }
    b.push(")");
    b
}

/// How instants are stored: RFC 3339, UTC, whole seconds, so text order is time order.
pub(crate) fn instant_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(crate) fn parse_instant(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("instant \"{text}\"")))
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| StoreError::Corrupt(format!("date \"{text}\"")))
}
