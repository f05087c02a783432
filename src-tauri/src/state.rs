//! The app's one state: the open case file (or why it could not be opened) and the clock.
//!
//! Where the case file is: `PRIVACYDESK_DATA_DIR` if set (tests use a temporary directory),
//! otherwise the app's data directory. Its key: the key file named by `PRIVACYDESK_KEY_FILE` if
//! set (headless use), otherwise the OS keyring.

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
    pub case_file: Result<CaseFile, AppError>,
    pub clock: Box<dyn Clock>,
    /// Who the audit log names for changes made in this window: the staff name kept in the
    /// case file, or the OS user until one is given.
    actor: std::sync::RwLock<String>,
    /// The letter batch running now, if any.
    pub batch: BatchState,
}

/// Progress and cancel flag of the one letter batch that may run at a time.
#[derive(Default)]
pub struct BatchState {
    pub cancel: std::sync::atomic::AtomicBool,
    done: std::sync::atomic::AtomicUsize,
    total: std::sync::atomic::AtomicUsize,
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

impl BatchState {
    pub fn report(&self, done: usize, total: usize) {
        self.done.store(done, std::sync::atomic::Ordering::Relaxed);
        self.total.store(total, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Drop for RunningBatch<'_> {
    fn drop(&mut self) {
        self.0.report(0, 0);
        self.0.running.store(false, std::sync::atomic::Ordering::Relaxed);
    }
}

impl AppState {
    pub async fn open_from_environment() -> AppState {
        let data_dir = std::env::var_os("PRIVACYDESK_DATA_DIR")
            .map(PathBuf::from)
            .or_else(default_data_dir);
        let case_file = match data_dir {
            None => Err(AppError::new(
                ErrorCode::Storage,
                "No data directory is known for this user.",
            )),
            Some(dir) => {
                let db = dir.join(DATABASE_FILE);
                let keys = match std::env::var_os("PRIVACYDESK_KEY_FILE") {
                    Some(path) => KeySource::File(PathBuf::from(path)),
                    None => KeySource::keyring_for(&db),
                };
                CaseFile::open(&db, &keys).await.map_err(AppError::from)
            }
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
            case_file,
            clock: Box::new(SystemClock),
            actor,
            batch: BatchState::default(),
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
    pub fn start_batch(&self, total: usize) -> Result<RunningBatch<'_>, AppError> {
        use std::sync::atomic::Ordering;
        if self.batch.running.swap(true, Ordering::Relaxed) {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "A batch of letters is already being printed.",
            ));
        }
        self.batch.cancel.store(false, Ordering::Relaxed);
        self.batch.report(0, total);
        Ok(RunningBatch(&self.batch))
    }

    /// Letters done and in all, in the batch running now.
    pub fn batch_progress(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering;
        (
            self.batch.done.load(Ordering::Relaxed),
            self.batch.total.load(Ordering::Relaxed),
        )
    }

    /// The open case file, or the reason it is not open.
    pub fn file(&self) -> Result<&CaseFile, AppError> {
        self.case_file.as_ref().map_err(Clone::clone)
    }
}
