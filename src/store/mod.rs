//! The case file: one SQLite database encrypted whole by SQLCipher, opened through sqlx.
//!
//! [`CaseFile::open`] owns every start-up rule: where the key comes from, what happens on first
//! start, and the refusals that leave an existing file untouched (no key, wrong key, keyring
//! locked, schema newer than this build). Migrations run at open, after a backup copy of an
//! existing file. Query functions in the submodules take a connection so that the service
//! decides the transaction.

pub mod attachments;
pub mod audit;
pub mod cases;
pub mod clocks;
pub mod key;
pub mod letters;
pub mod notes;
pub mod profile;
pub mod queue;
pub mod settings;

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
    #[error("the case file could not be opened: {0}")]
    Database(String),
}

/// Why a query failed. SQL text and values never reach the user through this type's message.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("a stored row could not be read: {0}")]
    Corrupt(String),
}

/// An open, migrated case file.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pool: SqlitePool,
    path: PathBuf,
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
        let existed = std::fs::metadata(path).map(|m| m.len() > 0).unwrap_or(false);
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
        let options = connect_options(path, &key);
        let result = Self::prepare(path, &options, existed, keys).await;
        if result.is_err() && !existed {
            // A file this call created and could not finish is removed, never left half-made.
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        result?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| OpenError::Database(e.to_string()))?;
        Ok(CaseFile {
            pool,
            path: path.to_owned(),
        })
    }

    /// Checks the key and the schema on a single connection, backs up and migrates.
    async fn prepare(
        path: &Path,
        options: &SqliteConnectOptions,
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
        if existed && pending > 0 {
            let current = applied.last().copied().unwrap_or(0);
            backup(&mut conn, path, current).await?;
        }
        MIGRATOR
            .run(&mut conn)
            .await
            .map_err(|e| OpenError::Migration(e.to_string()))?;
        // A case file always has a profile: the first is the shipped demo organisation.
        let db_error = |e: StoreError| OpenError::Database(e.to_string());
        if profile::current(&mut conn).await.map_err(db_error)?.is_none() {
            let demo = crate::domain::profile::DEMO_PROFILE;
            profile::insert_in_tx(&mut conn, demo, "PrivacyDesk (demo profile)", chrono::Utc::now())
                .await
                .map_err(db_error)?;
        }
        // Next due dates are computed in Rust, so a migration cannot fill them for the cases
        // already in the file: done once here.
        let unfilled: Option<String> =
            sqlx::query_scalar("SELECT value FROM organisation_setting WHERE key = 'next_due_filled' AND value = '0'")
                .fetch_optional(&mut conn)
                .await
                .map_err(|e| OpenError::Database(e.to_string()))?;
        if unfilled.is_some() {
            let mut tx = sqlx::Connection::begin(&mut conn)
                .await
                .map_err(|e| OpenError::Database(e.to_string()))?;
            clocks::refresh_all_next_due_in_tx(&mut tx).await.map_err(db_error)?;
            sqlx::query("UPDATE organisation_setting SET value = '1' WHERE key = 'next_due_filled'")
                .execute(&mut *tx)
                .await
                .map_err(|e| OpenError::Database(e.to_string()))?;
            tx.commit().await.map_err(|e| OpenError::Database(e.to_string()))?;
        }
        conn.close().await.map_err(|e| OpenError::Database(e.to_string()))
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A connection for reads that need no transaction.
    pub async fn acquire(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    /// A transaction: the unit every change is made in.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes every connection (the WAL is checkpointed by SQLite on the last close).
    pub async fn close(&self) {
        self.pool.close().await;
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
        .busy_timeout(Duration::from_secs(5))
        // With SQLCipher, the default 2 MiB page cache makes searches several times slower.
        .pragma("cache_size", CACHE_SIZE)
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

/// Copies the whole (encrypted) file before migrations touch it; the copy opens with the same key.
async fn backup(conn: &mut SqliteConnection, path: &Path, version: i64) -> Result<(), OpenError> {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *conn)
        .await
        .map_err(|e| OpenError::Database(e.to_string()))?;
    let target = PathBuf::from(format!("{}.pre-{version}.bak", path.display()));
    std::fs::copy(path, &target).map_err(|e| OpenError::Io(target.clone(), e.to_string()))?;
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
