//! The case file's write-ahead log (`<file>-wal`) found at open with nobody using it.
//!
//! SQLite replays a leftover WAL into the file on the first open, and checks only that the WAL
//! is whole, not that it belongs to this copy of the file: a `-wal` copied in from another copy
//! (a sync folder, a restore by hand, a colleague's files) would be written over pages it does
//! not belong to, leaving a file that fails in some queries while the audit chain, on other
//! pages, still verifies. So before any connection touches a file whose WAL was left behind,
//! the two are checked together on a copy; when the file passes alone and not with its WAL, the
//! WAL is not its own and is set aside (renamed, never deleted) before the file is opened.
//!
//! A WAL left by this app's own crash passes (SQLite keeps file and WAL consistent), so after a
//! crash the only cost is the copy and a `PRAGMA quick_check` of it. A WAL that another process
//! is using (the app open while the CLI runs) is never looked at: that process holds a lock on
//! the file, and its WAL is live; nor one of a file this process has open (the lock test cannot
//! see its own process's locks, and its probe would drop them).

use super::key::DatabaseKey;
use super::{beside, connect_options};
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};

/// A WAL holds frames past its 32-byte header.
fn has_frames(wal: &Path) -> bool {
    std::fs::metadata(wal).map(|m| m.len() > 32).unwrap_or(false)
}

/// Whether another process holds a lock on the database file: an SQLite connection in WAL mode
/// keeps a shared lock on it for as long as it is open.
#[cfg(unix)]
fn locked_by_another_process(db: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let Ok(file) = std::fs::File::open(db) else {
        return false;
    };
    // SAFETY: `flock` is plain data, zeroed is a valid value; F_GETLK only reads the open file
    // descriptor and writes into `lock`.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as libc::c_short;
    lock.l_whence = libc::SEEK_SET as libc::c_short;
    lock.l_start = 0;
    lock.l_len = 0; // to the end of any file, past SQLite's lock bytes at 1 GiB
    let got = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut lock) };
    // When the test itself fails, the WAL is treated as live: left alone, as SQLite would.
    got != 0 || lock.l_type != libc::F_UNLCK as libc::c_short
}

#[cfg(not(unix))]
fn locked_by_another_process(_db: &Path) -> bool {
    true
}

/// What [`check_leftover`] did.
#[derive(Debug, Default)]
pub(super) struct LeftoverCheck {
    /// Where a WAL that was not the file's own was moved, with a sentence for the person.
    pub set_aside: Option<String>,
}

/// Checks a WAL left beside `db` that no one is using, and sets it aside when it does not
/// belong to the file (see the module's doc). Changes nothing when there is no such WAL, when
/// the two pass together, or when the file fails even alone (real damage, which the open that
/// follows reports). When the check itself cannot be made (no room for the copies on a full
/// disk, say), the file is opened as SQLite would open it: the check must not stop work.
pub(super) async fn check_leftover(db: &Path, key: &DatabaseKey) -> LeftoverCheck {
    let wal = beside(db, "-wal");
    if !has_frames(&wal) || super::open_in_this_process(db) || locked_by_another_process(db) {
        return LeftoverCheck::default();
    }
    // Nothing is said when it cannot be made: a CLI's refusal is one line, and the open goes on
    // as it always did.
    check_on_copies(db, &wal, key).await.unwrap_or_default()
}

async fn check_on_copies(db: &Path, wal: &Path, key: &DatabaseKey) -> std::io::Result<LeftoverCheck> {
    let scratch = ScratchDir::beside(db)?;
    let copy = scratch.0.join("check.db");
    std::fs::copy(db, &copy)?;
    std::fs::copy(wal, beside(&copy, "-wal"))?;
    if passes(&copy, key).await {
        return Ok(LeftoverCheck::default());
    }
    let alone = scratch.0.join("alone.db");
    std::fs::copy(db, &alone)?;
    if !passes(&alone, key).await {
        return Ok(LeftoverCheck::default());
    }
    // Nobody may have started using it since.
    if locked_by_another_process(db) {
        return Ok(LeftoverCheck::default());
    }
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let to = beside(db, &format!("-wal.not-its-own-{stamp}"));
    std::fs::rename(wal, &to)?;
    // The shared-memory index describes that WAL; SQLite rebuilds it.
    let _ = std::fs::remove_file(beside(db, "-shm"));
    Ok(LeftoverCheck {
        set_aside: Some(format!(
            "the write-ahead log beside the case file did not belong to it (it was copied from another copy of the file?), so it was not applied; it is kept as {}",
            to.display()
        )),
    })
}

/// Whether the file at `path` opens with `key` and passes `PRAGMA quick_check`.
async fn passes(path: &Path, key: &DatabaseKey) -> bool {
    let Ok(mut conn) = connect_options(path, key).connect().await else {
        return false;
    };
    let ok = matches!(
        sqlx::query_scalar::<_, String>("PRAGMA quick_check").fetch_all(&mut conn).await,
        Ok(lines) if lines == ["ok"]
    );
    let _ = conn.close().await;
    ok
}

/// A folder beside the case file (on the same disk, as private as it), removed when dropped.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn beside(db: &Path) -> std::io::Result<ScratchDir> {
        let dir = beside(db, &format!(".walcheck-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&dir)?;
        Ok(ScratchDir(dir))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
