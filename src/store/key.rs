//! The case file's key: a random 256-bit raw SQLCipher key, and where it is kept.
//!
//! The desktop app keeps it in the OS keyring — for now the Secret Service on Linux only (GNOME
//! Keyring, KWallet); on macOS and Windows this build has no keyring store and says so, and a key
//! file must be given. Headless use (CLI, tests, CI) keeps it in a key file of 64 hex characters,
//! mode 0600. The key is never stored beside the database by the app itself.

use std::fmt;
use std::path::{Path, PathBuf};

/// A raw 256-bit SQLCipher key. Its `Debug` never shows the bytes, and it is wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseKey([u8; 32]);

impl DatabaseKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<DatabaseKey, KeyError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(DatabaseKey(bytes))
    }

    /// Parses 64 hexadecimal characters (surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Result<DatabaseKey, KeyError> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut bytes).map_err(|_| KeyError::Malformed)?;
        Ok(DatabaseKey(bytes))
    }

    /// The key from its 32 bytes (as a sealed key opens).
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> DatabaseKey {
        DatabaseKey(bytes)
    }

    /// The key's bytes, to seal them.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The key of an `ATTACH ... KEY ?` for a raw key, bound as a parameter.
    pub(crate) fn attach_value(&self) -> String {
        format!("x'{}'", self.to_hex())
    }

    /// The value of SQLCipher's `PRAGMA key` for a raw key (no passphrase derivation).
    pub(crate) fn pragma_value(&self) -> String {
        format!("\"x'{}'\"", self.to_hex())
    }
}

impl fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DatabaseKey(..)")
    }
}

impl Drop for DatabaseKey {
    fn drop(&mut self) {
        for b in self.0.iter_mut() {
            // SAFETY: `b` is a valid, aligned, exclusive reference; a volatile write keeps the
            // compiler from eliding the wipe of memory that is about to be freed.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

/// Why a key could not be read or kept.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the key file {0} cannot be read or written: {1}")]
    KeyFileIo(PathBuf, String),
    #[error("the key is not 64 hexadecimal characters")]
    Malformed,
    #[error("the OS keyring is locked; unlock it (log in to the desktop session) and start again")]
    KeyringLocked,
    #[error("the OS keyring is not available ({0}); on a machine without one, give a key file with --key-file or PRIVACYDESK_KEY_FILE")]
    KeyringUnavailable(String),
    #[error("the system's random source failed: {0}")]
    Random(String),
}

/// Where the key of one case file is kept.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// A file holding 64 hex characters.
    File(PathBuf),
    /// The OS keyring entry (`service`, `user`), and the case file it is for: its key is also
    /// kept under the file's identity (see [`file_identity`]), so it follows the file when the
    /// file is moved.
    Keyring {
        service: String,
        user: String,
        database: Option<PathBuf>,
    },
}

/// The keyring service name every PrivacyDesk key is kept under; also the app's identifier
/// (`tauri.conf.json`), which names its data directory.
pub const KEYRING_SERVICE: &str = "org.privacydesk.desk";

impl KeySource {
    /// The OS keyring entry for the case file at `database`: one entry per file, so a second
    /// case file (a copy for training, say) never reuses or overwrites the first one's key.
    pub fn keyring_for(database: &Path) -> KeySource {
        KeySource::Keyring {
            service: KEYRING_SERVICE.to_owned(),
            user: format!("case-file:{}", database.display()),
            database: Some(database.to_owned()),
        }
    }

    /// Keeps `key` under the identity of the case file it opens as well as under its path, so
    /// that the keyring finds it again after the file is moved or its folder renamed (a no-op
    /// for a key file, and where the file has no identity yet).
    pub fn follow_file(&self, key: &DatabaseKey) -> Result<(), KeyError> {
        let KeySource::Keyring {
            service,
            user,
            database: Some(db),
        } = self
        else {
            return Ok(());
        };
        let hex = key.to_hex();
        let mut users = vec![user.clone()];
        users.extend(identity_if_closed(db).map(|id| identity_user(&id)));
        for u in users {
            let entry = keyring_entry(service, &u)?;
            match entry.get_password() {
                Ok(kept) if kept == hex => {}
                Ok(_) | Err(keyring_core::Error::NoEntry) => entry.set_password(&hex).map_err(keyring_error)?,
                Err(e) => return Err(keyring_error(e)),
            }
        }
        Ok(())
    }

    /// Reads the key; `Ok(None)` when none has been stored yet.
    pub fn load(&self) -> Result<Option<DatabaseKey>, KeyError> {
        match self {
            KeySource::File(path) => match read_small_file(path, LONGEST_KEY_FILE) {
                Ok(bytes) => DatabaseKey::from_hex(&String::from_utf8_lossy(&bytes)).map(Some),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(KeyError::KeyFileIo(path.clone(), e.to_string())),
            },
            KeySource::Keyring {
                service,
                user,
                database,
            } => {
                // By the file's identity first: the same wherever the file has been moved.
                let by_identity = database
                    .as_deref()
                    .and_then(identity_if_closed)
                    .map(|id| identity_user(&id));
                for u in by_identity.iter().chain(std::iter::once(user)) {
                    match keyring_entry(service, u)?.get_password() {
                        Ok(text) => return DatabaseKey::from_hex(&text).map(Some),
                        Err(keyring_core::Error::NoEntry) => {}
                        Err(e) => return Err(keyring_error(e)),
                    }
                }
                Ok(None)
            }
        }
    }

    /// Stores a new key. A key file is created with mode 0600 and never overwritten: replacing a
    /// key would make the case file it opens unreadable.
    pub fn store_new(&self, key: &DatabaseKey) -> Result<(), KeyError> {
        match self {
            KeySource::File(path) => write_new_key_file(path, key),
            KeySource::Keyring { service, user, .. } => keyring_entry(service, user)?
                .set_password(&key.to_hex())
                .map_err(keyring_error),
        }
    }

    /// A second place kept beside this one, named `name`: the file `<key>.<name>` beside a key
    /// file, or the keyring entry `<user>#<name>`.
    fn companion(&self, name: &str) -> KeySource {
        match self {
            KeySource::File(path) => KeySource::File(super::beside(path, &format!(".{name}"))),
            KeySource::Keyring { service, user, .. } => KeySource::Keyring {
                service: service.clone(),
                user: format!("{user}#{name}"),
                database: None,
            },
        }
    }

    /// Where a key rotation keeps the new key until the case file has been rekeyed with it
    /// (`<key>.rotating`, or the entry `…#rotating`). Both keys are kept while the rekey runs, so
    /// whichever opens the file afterwards is there.
    pub(crate) fn pending(&self) -> KeySource {
        self.companion("rotating")
    }

    /// Makes `key`, kept in `pending` (see [`KeySource::pending`]), the key of this source, in
    /// place of the one it had: a key file is replaced by a rename (atomic), keyring entries
    /// (by path and by the file's identity) are overwritten, then the pending entry removed.
    pub(crate) fn promote(&self, pending: &KeySource, key: &DatabaseKey) -> Result<(), KeyError> {
        match (self, pending) {
            (KeySource::File(path), KeySource::File(from)) => {
                std::fs::rename(from, path).map_err(|e| KeyError::KeyFileIo(path.clone(), e.to_string()))?;
                super::sync_dir(path);
                Ok(())
            }
            _ => {
                self.follow_file(key)?;
                if let KeySource::Keyring {
                    database: None,
                    service,
                    user,
                } = self
                {
                    keyring_entry(service, user)?
                        .set_password(&key.to_hex())
                        .map_err(keyring_error)?;
                }
                pending.forget();
                Ok(())
            }
        }
    }

    /// Keeps `key`, already checked to open the case file, in place of what is kept here (a
    /// key lost or wrong). Nothing is destroyed: a key file there is renamed
    /// `<key>.replaced-<stamp>`, a different key in the keyring is kept in an entry
    /// `…#replaced-<stamp>`. Returns where the earlier key went, if there was one.
    pub fn replace_with_checked(&self, key: &DatabaseKey, stamp: &str) -> Result<Option<String>, KeyError> {
        match self {
            KeySource::File(path) => {
                let mut aside = None;
                if std::fs::symlink_metadata(path).is_ok() {
                    let to = super::beside(path, &format!(".replaced-{stamp}"));
                    std::fs::rename(path, &to).map_err(|e| KeyError::KeyFileIo(path.clone(), e.to_string()))?;
                    aside = Some(to.display().to_string());
                }
                write_new_key_file(path, key)?;
                Ok(aside)
            }
            KeySource::Keyring { service, user, .. } => {
                let mut aside = None;
                if let Some(old) = self.load()?.filter(|old| old != key) {
                    let kept = format!("{user}#replaced-{stamp}");
                    keyring_entry(service, &kept)?
                        .set_password(&old.to_hex())
                        .map_err(keyring_error)?;
                    aside = Some(format!("the keyring entry {kept}"));
                }
                keyring_entry(service, user)?
                    .set_password(&key.to_hex())
                    .map_err(keyring_error)?;
                self.follow_file(key)?;
                Ok(aside)
            }
        }
    }

    /// Removes the key kept here (a rotation's pending key that did not open the file).
    pub(crate) fn forget(&self) {
        match self {
            KeySource::File(path) => {
                let _ = std::fs::remove_file(path);
            }
            KeySource::Keyring { service, user, .. } => {
                if let Ok(entry) = keyring_entry(service, user) {
                    let _ = entry.delete_credential();
                }
            }
        }
    }

    /// What is unsafe about where the key is kept, as ssh says it of a private key: a key file
    /// that users other than its owner can read.
    pub fn warnings(&self) -> Vec<String> {
        let mut said = Vec::new();
        #[cfg(unix)]
        if let KeySource::File(path) = self {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(path) {
                let mode = meta.permissions().mode() & 0o777;
                if mode & 0o077 != 0 {
                    said.push(format!(
                        "warning: the key file {} can be read by other users (mode {mode:03o}); anyone who reads it can open the case file: chmod 600 it",
                        path.display()
                    ));
                }
            }
        }
        said
    }

    /// Where the passphrase of scheduled backups is kept, beside the key: a file next to a key
    /// file, or a second entry of the keyring.
    fn backup_passphrase_source(&self) -> KeySource {
        self.companion("backup-passphrase")
    }

    /// Keeps the passphrase scheduled backups seal with (replacing one kept before).
    pub fn store_backup_passphrase(&self, passphrase: &str) -> Result<(), KeyError> {
        match self.backup_passphrase_source() {
            KeySource::File(path) => {
                use std::io::Write;
                let io = |e: std::io::Error| KeyError::KeyFileIo(path.clone(), e.to_string());
                let mut staged = path.clone().into_os_string();
                staged.push(".new");
                let staged = PathBuf::from(staged);
                let _ = std::fs::remove_file(&staged);
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let mut file = options.open(&staged).map_err(io)?;
                file.write_all(format!("{passphrase}\n").as_bytes()).map_err(io)?;
                file.sync_all().map_err(io)?;
                std::fs::rename(&staged, &path).map_err(io)
            }
            KeySource::Keyring { service, user, .. } => keyring_entry(&service, &user)?
                .set_password(passphrase)
                .map_err(keyring_error),
        }
    }

    /// The passphrase scheduled backups seal with, if one is kept.
    pub fn backup_passphrase(&self) -> Result<Option<String>, KeyError> {
        match self.backup_passphrase_source() {
            KeySource::File(path) => match read_small_file(&path, 4096) {
                Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).lines().next().map(str::to_owned)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(KeyError::KeyFileIo(path, e.to_string())),
            },
            KeySource::Keyring { service, user, .. } => match keyring_entry(&service, &user)?.get_password() {
                Ok(text) => Ok(Some(text)),
                Err(keyring_core::Error::NoEntry) => Ok(None),
                Err(e) => Err(keyring_error(e)),
            },
        }
    }

    /// Forgets the passphrase of scheduled backups (they were stopped).
    pub fn forget_backup_passphrase(&self) {
        match self.backup_passphrase_source() {
            KeySource::File(path) => {
                let _ = std::fs::remove_file(path);
            }
            KeySource::Keyring { service, user, .. } => {
                if let Ok(entry) = keyring_entry(&service, &user) {
                    let _ = entry.delete_credential();
                }
            }
        }
    }

    /// Says where the key is, for error messages (never the key itself).
    pub fn describe(&self) -> String {
        match self {
            KeySource::File(path) => format!("key file {}", path.display()),
            KeySource::Keyring { .. } => "the OS keyring".to_owned(),
        }
    }
}

/// A case file's identity: the 16 random bytes SQLCipher writes at the head of every encrypted
/// file (its salt), readable without the key and unchanged by moving or copying the file (a
/// backup restored is a new file, with its own). `None` for a file that is missing, too short or
/// not encrypted.
pub fn file_identity(database: &Path) -> Option<String> {
    use std::io::Read;
    if !std::fs::metadata(database).ok()?.is_file() {
        return None;
    }
    let mut head = [0u8; 16];
    std::fs::File::open(database).ok()?.read_exact(&mut head).ok()?;
    (&head != b"SQLite format 3\0" && head.iter().any(|b| *b != 0)).then(|| hex::encode(head))
}

/// The file's identity, unless this process has the file open: reading it opens and closes the
/// file, which would drop the locks SQLite's connections hold on it (POSIX locks belong to the
/// process, and go with any descriptor's close). The path entry serves meanwhile; every open
/// writes both entries before its connections start.
fn identity_if_closed(database: &Path) -> Option<String> {
    if super::open_in_this_process(database) {
        None
    } else {
        file_identity(database)
    }
}

fn identity_user(identity: &str) -> String {
    format!("case-file-id:{identity}")
}

/// The most a key file may hold: 64 hex characters and some whitespace.
const LONGEST_KEY_FILE: u64 = 256;

/// Reads at most `most` bytes of the regular file at `path`: a FIFO, a device (`/dev/zero`) or
/// a folder is refused at once rather than waited on or read without end, and a longer file is
/// refused rather than read whole.
pub(crate) fn read_small_file(path: &Path, most: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    let not_regular = || {
        Error::new(
            ErrorKind::InvalidInput,
            "it is not a regular file (a FIFO, a device or a folder)",
        )
    };
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the path become a FIFO between the check and the open, the open still returns.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc_nonblock());
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(most + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > most {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("it is longer than {most} bytes"),
        ));
    }
    Ok(bytes)
}

/// `O_NONBLOCK`, whose value differs between Linux and the BSDs (macOS).
#[cfg(unix)]
fn libc_nonblock() -> i32 {
    if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )) {
        0x0004
    } else {
        0o4000
    }
}

fn write_new_key_file(path: &Path, key: &DatabaseKey) -> Result<(), KeyError> {
    use std::io::Write;
    let io = |e: std::io::Error| KeyError::KeyFileIo(path.to_owned(), e.to_string());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    file.write_all(format!("{}\n", key.to_hex()).as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)
}

#[cfg(target_os = "linux")]
fn keyring_entry(service: &str, user: &str) -> Result<keyring_core::Entry, KeyError> {
    let store = zbus_secret_service_keyring_store::Store::new().map_err(keyring_error)?;
    let store: std::sync::Arc<keyring_core::CredentialStore> = store;
    keyring_core::Entry::new_in_store(&store, service, user).map_err(keyring_error)
}

#[cfg(not(target_os = "linux"))]
fn keyring_entry(_service: &str, _user: &str) -> Result<keyring_core::Entry, KeyError> {
    Err(KeyError::KeyringUnavailable(
        "this build supports the Secret Service keyring on Linux only".into(),
    ))
}

fn keyring_error(e: keyring_core::Error) -> KeyError {
    match e {
        keyring_core::Error::NoStorageAccess(_) => KeyError::KeyringLocked,
        other => KeyError::KeyringUnavailable(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_redacted_debug() {
        let key = DatabaseKey::generate().unwrap();
        assert_eq!(DatabaseKey::from_hex(&key.to_hex()).unwrap(), key);
        assert_eq!(format!("{key:?}"), "DatabaseKey(..)");
        assert!(matches!(DatabaseKey::from_hex("abc"), Err(KeyError::Malformed)));
        assert!(matches!(
            DatabaseKey::from_hex(&"zz".repeat(32)),
            Err(KeyError::Malformed)
        ));
    }

    #[test]
    fn a_key_file_that_is_a_fifo_a_device_or_too_long_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let long = dir.path().join("long.key");
        std::fs::write(&long, "0".repeat(10_000)).unwrap();
        for path in [long, PathBuf::from("/dev/zero"), dir.path().to_owned()] {
            let err = KeySource::File(path.clone()).load().unwrap_err();
            assert!(matches!(err, KeyError::KeyFileIo(..)), "{path:?}: {err}");
        }
        #[cfg(target_os = "linux")]
        {
            let fifo = dir.path().join("fifo.key");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
            assert!(made.success());
            // Without the check this read would wait for a writer forever.
            let err = KeySource::File(fifo).load().unwrap_err();
            assert!(err.to_string().contains("not a regular file"), "{err}");
        }
    }

    #[test]
    fn a_key_file_others_can_read_is_warned_of() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.key");
        let source = KeySource::File(path.clone());
        source.store_new(&DatabaseKey::generate().unwrap()).unwrap();
        assert!(source.warnings().is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let said = source.warnings();
            assert!(said.len() == 1 && said[0].contains("mode 644"), "{said:?}");
        }
    }

    #[test]
    fn key_file_is_private_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let source = KeySource::File(dir.path().join("sub/case.key"));
        assert!(source.load().unwrap().is_none());
        let key = DatabaseKey::generate().unwrap();
        source.store_new(&key).unwrap();
        assert_eq!(source.load().unwrap(), Some(key));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("sub/case.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "the key file must be readable by its owner only");
        }
        assert!(
            source.store_new(&DatabaseKey::generate().unwrap()).is_err(),
            "an existing key must not be replaced"
        );
    }
}
