//! The app's one state: the open case file (or why it could not be opened) and the clock.
//!
//! Where the case file is: `PRIVACYDESK_DATA_DIR` if set (tests use a temporary directory),
//! otherwise the app's data directory. Its key: the key file named by `PRIVACYDESK_KEY_FILE` if
//! set (headless use), otherwise the OS keyring.

use privacydesk::service::files::NewAttachment;
use privacydesk::service::{profile, AppError, Clock, ErrorCode, SystemClock};
use privacydesk::store::key::KeySource;
use privacydesk::store::{default_data_dir, CaseFile, DATABASE_FILE};
use std::path::PathBuf;

/// Where "save a copy" puts files: `PRIVACYDESK_DOWNLOADS` (the tests), else the Downloads
/// folder, else the home folder.
pub fn downloads() -> Result<PathBuf, AppError> {
    std::env::var_os("PRIVACYDESK_DOWNLOADS")
        .map(PathBuf::from)
        .or_else(privacydesk::store::downloads_dir)
        .ok_or_else(|| AppError::new(ErrorCode::Storage, "No folder is known to save the copy in."))
}

pub struct AppState {
    /// The open case file, or why it is not open; replaced whole when a backup is restored.
    case_file: std::sync::RwLock<Result<CaseFile, AppError>>,
    /// Where the case file and its key are, to reopen it after a restore.
    pub location: Option<(PathBuf, KeySource)>,
    pub clock: Box<dyn Clock>,
    /// Who the audit log names for changes made in this window: the staff name kept in the
    /// case file, or the OS user until one is given.
    actor: std::sync::RwLock<String>,
    /// The letter batch running now, if any.
    pub batch: BatchState,
    /// Files the window has handed over (as raw bytes) for a command still to come.
    pub uploads: Uploads,
    /// Why the last scheduled backup failed, for the Backups screen to say.
    backup_problem: std::sync::Mutex<Option<String>>,
}

/// Files chosen in the window, kept in memory (never on disk: they are personal data) from the
/// moment they are chosen until the command that keeps them with a case, reads them or imports
/// them succeeds; so a form refused for a typo keeps its files. Bounded, so a stray upload
/// cannot exhaust memory.
#[derive(Default)]
pub struct Uploads(std::sync::Mutex<UploadsInner>);

#[derive(Default)]
struct UploadsInner {
    next: u64,
    files: std::collections::HashMap<u64, std::sync::Arc<NewAttachment>>,
    bytes: usize,
}

/// Everything staged at once, at most (a few large attachments and an import file).
const MAX_STAGED: usize = 256 * 1024 * 1024;

impl Uploads {
    fn lock(&self) -> std::sync::MutexGuard<'_, UploadsInner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps a file until it is used; returns its id.
    pub fn stage(&self, file: NewAttachment) -> Result<u64, AppError> {
        let mut inner = self.lock();
        if inner.bytes + file.content.len() > MAX_STAGED {
            return Err(AppError::new(
                ErrorCode::Validation,
                "Too many large files are waiting to be kept at once; save the form with the files already chosen first.",
            ));
        }
        inner.next += 1;
        let id = inner.next;
        inner.bytes += file.content.len();
        inner.files.insert(id, std::sync::Arc::new(file));
        Ok(id)
    }

    /// A copy of the staged file `id`.
    pub fn get(&self, id: u64) -> Result<NewAttachment, AppError> {
        self.shared(id).map(|file| (*file).clone())
    }

    /// The staged file `id` itself, not copied (an import file can be large).
    pub fn shared(&self, id: u64) -> Result<std::sync::Arc<NewAttachment>, AppError> {
        self.lock().files.get(&id).cloned().ok_or_else(|| {
            AppError::new(
                ErrorCode::Validation,
                "The file is no longer waiting to be kept (the window was reloaded); choose it again.",
            )
        })
    }

    /// Forgets files that were used, or that the person removed from the form.
    pub fn release(&self, ids: &[u64]) {
        let mut inner = self.lock();
        for id in ids {
            if let Some(file) = inner.files.remove(id) {
                inner.bytes -= file.content.len();
            }
        }
    }
}

/// The cancel flag of the one letter batch that may run at a time (its progress goes to the
/// window through the batch's own channel).
#[derive(Default)]
pub struct BatchState {
    pub cancel: std::sync::atomic::AtomicBool,
    running: std::sync::atomic::AtomicBool,
}

/// A running batch; dropping it marks the batch finished.
pub struct RunningBatch<'a>(&'a BatchState);

impl std::ops::Deref for RunningBatch<'_> {
    type Target = BatchState;
    fn deref(&self) -> &BatchState {
        self.0
    }
}

impl Drop for RunningBatch<'_> {
    fn drop(&mut self) {
        self.0.running.store(false, std::sync::atomic::Ordering::Relaxed);
    }
}

impl BatchState {
    /// Whether a batch is running now.
    pub fn running(&self) -> bool {
        self.running.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl AppState {
    pub async fn open_from_environment() -> AppState {
        let data_dir = std::env::var_os("PRIVACYDESK_DATA_DIR")
            .map(PathBuf::from)
            .or_else(default_data_dir);
        let location = data_dir.map(|dir| {
            let db = dir.join(DATABASE_FILE);
            let keys = match std::env::var_os("PRIVACYDESK_KEY_FILE") {
                Some(path) => KeySource::File(PathBuf::from(path)),
                None => KeySource::keyring_for(&db),
            };
            (db, keys)
        });
        let case_file = match &location {
            None => Err(AppError::new(
                ErrorCode::Storage,
                "No data directory is known for this user.",
            )),
            Some((db, keys)) => CaseFile::open(db, keys).await.map_err(AppError::from),
        };
        if let Err(e) = &case_file {
            // The message names files and the key's location, never personal data.
            eprintln!("privacydesk: the case file is not open: {}", e.message);
        }
        let staff = match &case_file {
            Ok(file) => profile::staff_name(file).await.ok().flatten(),
            Err(_) => None,
        };
        let actor = std::sync::RwLock::new(staff.unwrap_or_else(privacydesk::service::os_user));
        AppState {
            case_file: std::sync::RwLock::new(case_file),
            location,
            clock: Box::new(SystemClock),
            actor,
            batch: BatchState::default(),
            uploads: Uploads::default(),
            backup_problem: Default::default(),
        }
    }

    /// Who is acting, for the audit log.
    pub fn actor(&self) -> String {
        self.actor
            .read()
            .map(|a| a.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    pub fn set_actor(&self, name: String) {
        match self.actor.write() {
            Ok(mut a) => *a = name,
            Err(p) => *p.into_inner() = name,
        }
    }

    /// Starts the letter batch, refused while another one runs.
    pub fn start_batch(&self) -> Result<RunningBatch<'_>, AppError> {
        use std::sync::atomic::Ordering;
        if self.batch.running.swap(true, Ordering::Relaxed) {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "A batch of letters or a retention run is already running; wait for it to finish, or cancel it.",
            ));
        }
        self.batch.cancel.store(false, Ordering::Relaxed);
        Ok(RunningBatch(&self.batch))
    }

    /// The open case file (a handle: its pool is shared), or the reason it is not open. A
    /// command keeps the handle it took for its whole run, so a restore meanwhile never pulls
    /// the file from under it.
    pub fn file(&self) -> Result<CaseFile, AppError> {
        self.case_file.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn backup_problem(&self) -> Option<String> {
        self.backup_problem.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_backup_problem(&self, problem: Option<String>) {
        *self.backup_problem.lock().unwrap_or_else(|p| p.into_inner()) = problem;
    }

    /// Puts `next` in place of the case file (or of the reason it was not open) and returns
    /// what was there.
    pub fn replace_file(&self, next: Result<CaseFile, AppError>) -> Result<CaseFile, AppError> {
        let mut slot = self.case_file.write().unwrap_or_else(|p| p.into_inner());
        std::mem::replace(&mut *slot, next)
    }
}
