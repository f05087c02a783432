//! Opening a file kept with a case, or an archived letter, in the desktop's own application.
//!
//! The application needs a file on disk, so a decrypted copy is written into a folder beside the
//! case file that only this user can read (`opened/`, mode 0700), and that folder is emptied
//! when the app starts and when it quits: copies made for viewing do not pile up outside the
//! encryption.

use privacydesk::service::{AppError, ErrorCode};
use std::path::{Path, PathBuf};

/// The folder of copies made for viewing, beside the case file.
pub fn folder(case_file: &Path) -> PathBuf {
    case_file.with_file_name("opened")
}

/// Removes every copy made for viewing.
pub fn clear(case_file: &Path) {
    let _ = std::fs::remove_dir_all(folder(case_file));
}

/// Writes `content` as `name` into the viewing folder and opens it with the desktop's
/// application for its type.
pub fn open(case_file: &Path, name: &str, content: &[u8]) -> Result<(), AppError> {
    let dir = folder(case_file);
    let fail = |e: std::io::Error| AppError::new(ErrorCode::Storage, format!("The file could not be opened: {e}"));
    std::fs::create_dir_all(&dir).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).map_err(fail)?;
    }
    // Only the file's own name (no folders) is used.
    let safe = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "file".to_owned());
    let path = privacydesk::service::save_copy(&dir, &safe, content)?;
    open::that_detached(&path).map_err(|e| {
        AppError::new(
            ErrorCode::Storage,
            format!("No application could open {safe}: {e}. Use “Save a copy” instead."),
        )
    })
}
