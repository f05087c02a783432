//! Backups and the key from the window: the last backup, one made now into a chosen folder,
//! daily ones kept to a number, a restore that sets the open case file aside and swaps the
//! restored one in without a restart; the key exported under a passphrase, replaced by a new
//! one (the file reopened with it), and put back from a key export when it was lost.

use crate::state::AppState;
use privacydesk::domain::ValidationErrors;
use privacydesk::service::backup::{self, BackupDone, BackupSchedule, BackupStatus, RestoreDone};
use privacydesk::service::{AppError, ErrorCode};
use privacydesk::store::CaseFile;
use std::path::PathBuf;

fn default_folder() -> Result<PathBuf, AppError> {
    Ok(crate::state::downloads()?.join("PrivacyDesk backups"))
}

pub async fn backup_status(state: &AppState) -> Result<BackupStatus, AppError> {
    let file = state.file()?;
    Ok(BackupStatus {
        last: backup::last_backup(&file).await?,
        folder: default_folder()?.display().to_string(),
        schedule: backup::schedule(&file).await?,
        problem: state.backup_problem(),
    })
}

/// The folder a backup or a key export (`what`) goes to, made if missing, once the form is
/// checked: a folder named, and the passphrase typed the same twice.
fn sealed_file_folder(folder: &str, passphrase: &str, again: &str, what: &str) -> Result<PathBuf, AppError> {
    let mut errors = ValidationErrors::default();
    if folder.trim().is_empty() {
        errors.add("folder", format!("Name the folder the {what} goes to."));
    }
    if passphrase != again {
        errors.add("again", "The two passphrases differ; type the same one twice.");
    }
    if !errors.0.is_empty() {
        return Err(privacydesk::service::ServiceError::Invalid(errors).into());
    }
    let folder = PathBuf::from(folder.trim());
    std::fs::create_dir_all(&folder).map_err(|e| {
        AppError::on_field(
            ErrorCode::Validation,
            "folder",
            format!("The folder {} cannot be made: {e}.", folder.display()),
        )
    })?;
    Ok(folder)
}

pub async fn back_up_now(
    state: &AppState,
    folder: String,
    passphrase: String,
    again: String,
) -> Result<BackupDone, AppError> {
    let folder = sealed_file_folder(&folder, &passphrase, &again, "backup")?;
    let file = state.file()?;
    let now = state.clock.now();
    let out = folder.join(backup::backup_name(now));
    let info = backup::backup(&file, keys(state)?, &out, &passphrase, now, &state.actor()).await?;
    Ok(BackupDone {
        path: out.display().to_string(),
        cases: info.cases,
    })
}

pub async fn restore_backup(state: &AppState, path: String, passphrase: String) -> Result<RestoreDone, AppError> {
    if path.trim().is_empty() {
        return Err(AppError::on_field(
            ErrorCode::Validation,
            "path",
            "Give the backup file's full path.".to_owned(),
        ));
    }
    if state.batch.running() {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "A batch of letters or a retention run is running; wait for it to finish before restoring.",
        ));
    }
    let (db, keys) = state
        .location
        .clone()
        .ok_or_else(|| AppError::new(ErrorCode::Storage, "No data directory is known for this user."))?;
    // The open file is closed first (its connections finish what they are doing).
    let was = state.replace_file(Err(AppError::new(
        ErrorCode::Busy,
        "The case file is being restored from a backup; wait a moment.",
    )));
    if let Ok(file) = &was {
        crate::viewer::clear(file.path());
        file.close().await;
    }
    let now = state.clock.now();
    let from = PathBuf::from(path.trim());
    // Opening a case file is not a `Send` future (the driver's connect borrows across awaits), so the
    // restore and the reopening run on a blocking thread of the same runtime.
    let (restored, reopened) = tauri::async_runtime::spawn_blocking(move || {
        tauri::async_runtime::block_on(async move {
            let restored = privacydesk::store::backup::restore_with(&from, &passphrase, &db, &keys, true, now).await;
            let reopened = CaseFile::open(&db, &keys).await.map_err(AppError::from);
            (restored, reopened)
        })
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Internal, format!("the restore stopped: {e}")))?;
    if let Ok(file) = &reopened {
        if let Ok(Some(name)) = privacydesk::service::profile::staff_name(file).await {
            state.set_actor(name);
        }
    }
    // What goes out is the "being restored" placeholder.
    let _ = state.replace_file(reopened.clone());
    let restored = restored?;
    reopened?;
    Ok(RestoreDone {
        made_at: restored.info.made_at,
        cases: restored.info.cases,
        set_aside: restored.set_aside.iter().map(|p| p.display().to_string()).collect(),
    })
}

/// Writes the case file's key, sealed under a passphrase typed twice, into `folder`; returns
/// the export's path.
pub async fn export_key(
    state: &AppState,
    folder: String,
    passphrase: String,
    again: String,
) -> Result<String, AppError> {
    let folder = sealed_file_folder(&folder, &passphrase, &again, "key export")?;
    let file = state.file()?;
    let now = state.clock.now();
    let out = folder.join(backup::key_export_name(now));
    backup::export_key(&file, keys(state)?, &out, &passphrase, now, &state.actor()).await?;
    Ok(out.display().to_string())
}

/// Replaces the case file's key with a new one: the file is closed, rekeyed (the new key kept
/// first, beside the old, until the rekey is done) and opened again with the new key.
pub async fn rotate_key(state: &AppState) -> Result<(), AppError> {
    if state.batch.running() {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "A batch of letters or a retention run is running; wait for it to finish before replacing the key.",
        ));
    }
    let (db, keys) = state
        .location
        .clone()
        .ok_or_else(|| AppError::new(ErrorCode::Storage, "No data directory is known for this user."))?;
    // The rekey needs the file to itself: the open one is closed first.
    let was = state.replace_file(Err(AppError::new(
        ErrorCode::Busy,
        "The case file's key is being replaced; wait a moment.",
    )));
    if let Ok(file) = &was {
        file.close().await;
    }
    let (now, actor) = (state.clock.now(), state.actor());
    let (rotated, reopened) = tauri::async_runtime::spawn_blocking(move || {
        tauri::async_runtime::block_on(async move {
            let rotated = privacydesk::store::backup::rotate_key(&db, &keys, now, &actor).await;
            // Whatever happened, one of the two keys opens the file (see `rotate_key`).
            let reopened = CaseFile::open(&db, &keys).await.map_err(AppError::from);
            (rotated, reopened)
        })
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Internal, format!("the key replacement stopped: {e}")))?;
    let _ = state.replace_file(reopened.clone());
    rotated?;
    reopened?;
    Ok(())
}

/// From the start-up screen, when the key is lost: takes the key from a key export (or a
/// backup) at `path`, keeps it where the key belongs once it is checked to open the case file
/// (what was there is kept aside), and opens the file. Returns where the earlier key went.
pub async fn use_key_export(state: &AppState, path: String, passphrase: String) -> Result<Option<String>, AppError> {
    if path.trim().is_empty() {
        return Err(AppError::on_field(
            ErrorCode::Validation,
            "path",
            "Give the key export's (or the backup's) full path.".to_owned(),
        ));
    }
    if state.file().is_ok() {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "The case file is open, so its key is where it belongs; nothing was changed.",
        ));
    }
    let (db, keys) = state
        .location
        .clone()
        .ok_or_else(|| AppError::new(ErrorCode::Storage, "No data directory is known for this user."))?;
    let now = state.clock.now();
    let from = PathBuf::from(path.trim());
    let (installed, opened) = tauri::async_runtime::spawn_blocking(move || {
        tauri::async_runtime::block_on(async move {
            match privacydesk::store::backup::install_key(&db, &keys, &from, &passphrase, now).await {
                Ok(aside) => (
                    Ok(aside),
                    Some(CaseFile::open(&db, &keys).await.map_err(AppError::from)),
                ),
                Err(e) => (Err(e), None),
            }
        })
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Internal, format!("taking the key stopped: {e}")))?;
    let aside = installed?;
    if let Some(opened) = opened {
        if let Ok(file) = &opened {
            if let Ok(Some(name)) = privacydesk::service::profile::staff_name(file).await {
                state.set_actor(name);
            }
        }
        let _ = state.replace_file(opened.clone());
        opened?;
    }
    Ok(aside)
}

pub async fn set_backup_schedule(
    state: &AppState,
    folder: String,
    keep: u32,
    passphrase: String,
    again: String,
) -> Result<BackupStatus, AppError> {
    if passphrase != again {
        return Err(AppError::on_field(
            ErrorCode::Validation,
            "again",
            "The two passphrases differ; type the same one twice.".to_owned(),
        ));
    }
    let file = state.file()?;
    let keys = keys(state)?;
    let schedule = BackupSchedule {
        folder: folder.trim().to_owned(),
        keep,
    };
    backup::set_schedule(
        &file,
        keys,
        Some((schedule, &passphrase)),
        state.clock.now(),
        &state.actor(),
    )
    .await?;
    // One is made now (unless the folder has one less than a day old), not at the next tick.
    run_due(state).await;
    backup_status(state).await
}

pub async fn stop_backup_schedule(state: &AppState) -> Result<BackupStatus, AppError> {
    let file = state.file()?;
    backup::set_schedule(&file, keys(state)?, None, state.clock.now(), &state.actor()).await?;
    state.set_backup_problem(None);
    backup_status(state).await
}

fn keys(state: &AppState) -> Result<&privacydesk::store::key::KeySource, AppError> {
    state
        .location
        .as_ref()
        .map(|(_, keys)| keys)
        .ok_or_else(|| AppError::new(ErrorCode::Storage, "No data directory is known for this user."))
}

/// Makes the scheduled backup if one is due; a failure is kept for the Backups screen to say
/// (and written to stderr without personal data), never raised into whatever the person does.
pub async fn run_due(state: &AppState) {
    let (Ok(file), Ok(keys)) = (state.file(), keys(state)) else {
        return;
    };
    match backup::run_scheduled(&file, keys, state.clock.now(), &state.actor()).await {
        Ok(_) => state.set_backup_problem(None),
        Err(e) => {
            let message = AppError::from(e).message;
            eprintln!("privacydesk: the daily backup failed: {message}");
            state.set_backup_problem(Some(message));
        }
    }
}
