//! `backup`, `restore` and `key rotate|export|import`: the case file's safety, as scripts call it.

use super::output::{json, line, note, safe};
use super::Context;
use privacydesk::service::{AppError, ErrorCode};
use privacydesk::store::backup as store_backup;
use privacydesk::store::key::KeySource;
use privacydesk::store::sealed::read_passphrase_file;
use std::path::Path;

fn passphrase(path: &Path) -> Result<String, AppError> {
    read_passphrase_file(path).map_err(|e| AppError::new(ErrorCode::Validation, e))
}

fn shown(path: &Path) -> String {
    safe(&path.display().to_string())
}

pub async fn backup(ctx: &Context, out: &Path, passphrase_file: &Path, as_json: bool) -> Result<(), AppError> {
    let pass = passphrase(passphrase_file)?;
    let info = privacydesk::service::backup::backup(&ctx.file, &ctx.keys, out, &pass, ctx.now, &ctx.actor).await?;
    if as_json {
        return json(&info);
    }
    line(format!(
        "backup written to {}: {} cases, schema {}, audit head {} at event {}",
        shown(out),
        info.cases,
        info.schema_version,
        info.audit_head,
        info.audit_events
    ));
    Ok(())
}

pub async fn restore(
    from: &Path,
    passphrase_file: &Path,
    db: &Path,
    key_file: &Path,
    replace: bool,
    as_json: bool,
) -> Result<(), AppError> {
    let pass = passphrase(passphrase_file)?;
    let restored = store_backup::restore(from, &pass, db, key_file, replace, chrono::Utc::now()).await?;
    if as_json {
        return json(&restored);
    }
    for aside in &restored.set_aside {
        note(format!("set aside: {}", shown(aside)));
    }
    let migrated = if restored.schema_version > restored.info.schema_version {
        format!(
            " (an older backup: migrated from schema {} to {})",
            restored.info.schema_version, restored.schema_version
        )
    } else {
        String::new()
    };
    line(format!(
        "restored {} into {}: {} cases, made {}, audit head {} at event {}{migrated}",
        shown(from),
        shown(db),
        restored.info.cases,
        restored.info.made_at,
        restored.info.audit_head,
        restored.info.audit_events
    ));
    Ok(())
}

pub async fn rotate(db: &Path, keys: &KeySource, actor: &str) -> Result<(), AppError> {
    // Opened (and migrated, and an interrupted rotation finished) first, then closed: the
    // rekey needs the file to itself.
    let file = privacydesk::store::CaseFile::open(db, keys).await?;
    file.close().await;
    store_backup::rotate_key(db, keys, chrono::Utc::now(), actor).await?;
    let kept = match keys {
        KeySource::File(path) => shown(path),
        KeySource::Keyring { .. } => keys.describe(),
    };
    line(format!("key of {} rotated; the new key is in {kept}", shown(db)));
    Ok(())
}

pub async fn export_key(ctx: &Context, out: &Path, passphrase_file: &Path) -> Result<(), AppError> {
    let pass = passphrase(passphrase_file)?;
    privacydesk::service::backup::export_key(&ctx.file, &ctx.keys, out, &pass, ctx.now, &ctx.actor).await?;
    line(format!("key exported to {}", shown(out)));
    Ok(())
}

pub async fn import_key(
    export: &Path,
    passphrase_file: &Path,
    db: Option<&Path>,
    key_file: &Path,
) -> Result<(), AppError> {
    let pass = passphrase(passphrase_file)?;
    if std::fs::symlink_metadata(key_file).is_ok() {
        return Err(AppError::new(
            ErrorCode::Validation,
            format!(
                "{} exists already; a key file is never overwritten: name a new one",
                shown(key_file)
            ),
        ));
    }
    let key = store_backup::import_key(export, &pass)?;
    if let Some(db) = db.filter(|d| d.exists()) {
        if !store_backup::key_opens(db, &key).await {
            return Err(AppError::new(
                ErrorCode::WrongKey,
                format!(
                    "the key in {} does not open {}; nothing was written",
                    shown(export),
                    shown(db)
                ),
            ));
        }
    }
    KeySource::File(key_file.to_owned())
        .store_new(&key)
        .map_err(|e| AppError::new(ErrorCode::Storage, e.to_string()))?;
    line(format!("key imported into {}", shown(key_file)));
    Ok(())
}
