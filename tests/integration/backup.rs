//! Backups, restores and key rotation on real encrypted files: a backup taken while writers run
//! restores elsewhere with only the file and its passphrase; every bad backup or target is
//! refused touching nothing; an older backup is recognised and migrated forward; a rotation
//! interrupted at any step leaves a file that opens.

use crate::support::*;
use chrono::Timelike;
use privacydesk::service::intake::{list_cases, log_request};
use privacydesk::service::{history, AppError};
use privacydesk::store::audit::ChainReport;
use privacydesk::store::backup::{self, BackupError, BackupFile};
use privacydesk::store::key::{DatabaseKey, KeySource};
use privacydesk::store::CaseFile;
use std::path::{Path, PathBuf};

const PASSPHRASE: &str = "correct horse battery staple";

async fn with_cases(t: &TempCaseFile, n: usize) -> CaseFile {
    let file = t.open().await;
    for i in 0..n {
        log_request(
            &file,
            &sample_request(&format!("Person {i}"), "2026-03-02"),
            now(),
            ACTOR,
        )
        .await
        .unwrap();
    }
    file
}

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_backup_taken_while_writers_run_restores_on_a_fresh_machine_with_only_its_passphrase() {
    let t = TempCaseFile::new();
    let file = with_cases(&t, 20).await;
    let out = t.dir.path().join("monday.pdbk");
    // Writers go on while the backup reads its snapshot.
    let writer = {
        let file = file.clone();
        tokio::spawn(async move {
            for i in 0..30 {
                log_request(
                    &file,
                    &sample_request(&format!("Later {i}"), "2026-03-03"),
                    now(),
                    ACTOR,
                )
                .await
                .unwrap();
            }
        })
    };
    let info = privacydesk::service::backup::backup(&file, &t.keys(), &out, PASSPHRASE, now(), ACTOR)
        .await
        .unwrap();
    writer.await.unwrap();
    assert!(info.cases >= 20 && info.cases <= 50, "{info:?}");
    // The backup is an audited event of the file, after the head it holds.
    let log = history::file_history(&file, 100).await.unwrap();
    assert!(
        format!("{log:?}").contains("backup.made"),
        "the backup is in the file's history: {log:?}"
    );
    file.close().await;

    // Another machine: a fresh folder, no key, only the backup and the passphrase.
    let elsewhere = tempfile::tempdir().unwrap();
    let db = elsewhere.path().join("data/privacydesk.db");
    let key_file = elsewhere.path().join("keys/case.key");
    let restored = backup::restore(&out, PASSPHRASE, &db, &key_file, false, now())
        .await
        .unwrap();
    assert_eq!(restored.info, info);
    assert!(restored.set_aside.is_empty());
    let file = CaseFile::open(&db, &KeySource::File(key_file.clone())).await.unwrap();
    assert_eq!(list_cases(&file).await.unwrap().len() as i64, info.cases);
    let ChainReport::Intact { events, .. } = history::verify_audit(&file).await.unwrap() else {
        panic!("the restored chain verifies")
    };
    // The chain as backed up, then the restore's own event.
    assert_eq!(events, info.audit_events + 1);
    let log = history::file_history(&file, 5).await.unwrap();
    assert!(format!("{log:?}").contains("file.restored"), "{log:?}");
    // Its key file is private, and nothing staged is left behind.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let names: Vec<String> = listing(&elsewhere.path().join("data"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("restoring") && !n.contains(".pre-")),
        "{names:?}"
    );
    // The backup itself is encrypted: no name in it.
    let bytes = std::fs::read(&out).unwrap();
    assert!(!bytes.windows(8).any(|w| w == b"Person 1"));
}

#[tokio::test]
async fn a_bad_backup_or_an_occupied_target_is_refused_touching_nothing() {
    let t = TempCaseFile::new();
    let file = with_cases(&t, 3).await;
    let out = t.dir.path().join("b.pdbk");
    privacydesk::service::backup::backup(&file, &t.keys(), &out, PASSPHRASE, now(), ACTOR)
        .await
        .unwrap();
    file.close().await;
    let good = std::fs::read(&out).unwrap();
    let variant = |name: &str, bytes: &[u8]| -> PathBuf {
        let p = t.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    // The description line edited (an older head passed off as newer): the seal fails.
    let text = String::from_utf8_lossy(&good[..400]).into_owned();
    let edited = text.replacen("\"cases\":3", "\"cases\":4", 1);
    assert_ne!(edited, text);
    let mut altered = edited.into_bytes();
    altered.extend_from_slice(&good[400..]);
    let altered = variant("altered.pdbk", &altered);
    // One byte of the database flipped: its SHA-256 fails.
    let mut flipped = good.clone();
    let last = flipped.len() - 100;
    flipped[last] ^= 0x01;
    let flipped = variant("flipped.pdbk", &flipped);
    let cut = variant("cut.pdbk", &good[..good.len() / 2]);
    let junk = variant("junk.pdbk", b"PRIVACYDESK BACKUP 1\nnot json\n{}\n");
    let empty = variant("empty.pdbk", b"");

    let target = tempfile::tempdir().unwrap();
    let db = target.path().join("privacydesk.db");
    let key_file = target.path().join("case.key");
    let refused = |r: Result<backup::Restored, BackupError>| -> String {
        let e = r.expect_err("refused");
        AppError::from(e).message
    };
    let says = [
        (
            refused(backup::restore(&out, "wrong horse battery staple", &db, &key_file, false, now()).await),
            "passphrase does not open",
        ),
        (
            refused(backup::restore(&altered, PASSPHRASE, &db, &key_file, false, now()).await),
            "passphrase does not open",
        ),
        (
            refused(backup::restore(&flipped, PASSPHRASE, &db, &key_file, false, now()).await),
            "SHA-256",
        ),
        (
            refused(backup::restore(&cut, PASSPHRASE, &db, &key_file, false, now()).await),
            "cut short",
        ),
        (
            refused(backup::restore(&junk, PASSPHRASE, &db, &key_file, false, now()).await),
            "damaged",
        ),
        (
            refused(backup::restore(&empty, PASSPHRASE, &db, &key_file, false, now()).await),
            "Not a PrivacyDesk backup",
        ),
    ];
    for (message, expected) in says {
        assert!(message.contains(expected), "{expected:?} in {message:?}");
    }
    assert!(
        listing(target.path()).is_empty(),
        "nothing written: {:?}",
        listing(target.path())
    );

    // An occupied target is refused as it is, and set aside (not deleted) with --replace.
    std::fs::write(&db, b"the case file that was here").unwrap();
    let before = listing(target.path());
    let message = refused(backup::restore(&out, PASSPHRASE, &db, &key_file, false, now()).await);
    assert!(message.contains("--replace"), "{message}");
    assert_eq!(listing(target.path()), before);
    let restored = backup::restore(&out, PASSPHRASE, &db, &key_file, true, now())
        .await
        .unwrap();
    assert_eq!(restored.set_aside.len(), 1);
    assert_eq!(
        std::fs::read(&restored.set_aside[0]).unwrap(),
        b"the case file that was here"
    );
    CaseFile::open(&db, &KeySource::File(key_file))
        .await
        .unwrap()
        .close()
        .await;
}

#[tokio::test]
async fn a_backup_whose_audit_chain_was_altered_is_refused() {
    let t = TempCaseFile::new();
    let file = with_cases(&t, 2).await;
    sqlx::query("UPDATE audit_event SET actor = 'Mallory' WHERE seq = 1")
        .execute(file.pool())
        .await
        .unwrap();
    let out = t.dir.path().join("b.pdbk");
    privacydesk::service::backup::backup(&file, &t.keys(), &out, PASSPHRASE, now(), ACTOR)
        .await
        .unwrap();
    file.close().await;
    let target = tempfile::tempdir().unwrap();
    let e = backup::restore(
        &out,
        PASSPHRASE,
        &target.path().join("p.db"),
        &target.path().join("k"),
        false,
        now(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, BackupError::AuditBroken { at_event: 1, .. }), "{e}");
    assert!(listing(target.path()).is_empty());
}

/// A backup made at an earlier schema (this file with the last migration undone, as the
/// release before it wrote it) is recognised as older and migrated forward on restore.
#[tokio::test]
async fn an_older_backup_is_recognised_and_migrated_forward() {
    let t = TempCaseFile::new();
    let file = with_cases(&t, 2).await;
    let newest: i64 = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
        .fetch_one(file.pool())
        .await
        .unwrap();
    assert_eq!(
        newest, 20261202000008,
        "update this test's undo to the newest migration"
    );
    sqlx::query("ALTER TABLE letter DROP COLUMN layout")
        .execute(file.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?1")
        .bind(newest)
        .execute(file.pool())
        .await
        .unwrap();
    file.close().await;
    let key = t.keys().load().unwrap().unwrap();
    let out = t.dir.path().join("old.pdbk");
    let info = backup::write(&t.db(), &key, &out, PASSPHRASE, now()).await.unwrap();
    assert_eq!(info.schema_version, 20261202000007);
    assert_eq!(BackupFile::read(&out).unwrap().info, info);

    let target = tempfile::tempdir().unwrap();
    let db = target.path().join("p.db");
    let restored = backup::restore(&out, PASSPHRASE, &db, &target.path().join("k"), false, now())
        .await
        .unwrap();
    assert_eq!(
        (restored.info.schema_version, restored.schema_version),
        (20261202000007, newest)
    );
}

/// The three moments a rotation can be cut: before the rekey (the new key waits beside the
/// old), after it (the old key file no longer opens the file), and after the rename. At each,
/// the file opens, and the pending key is promoted or forgotten.
#[tokio::test]
async fn a_rotation_cut_at_any_step_leaves_a_file_that_opens() {
    let t = TempCaseFile::new();
    let file = with_cases(&t, 2).await;
    file.close().await;
    let KeySource::File(key_file) = t.keys() else {
        unreachable!()
    };
    let pending = PathBuf::from(format!("{}.rotating", key_file.display()));
    let old = std::fs::read(&key_file).unwrap();

    // Cut before the rekey: a new key waits, the file still has the old one.
    KeySource::File(pending.clone())
        .store_new(&DatabaseKey::generate().unwrap())
        .unwrap();
    CaseFile::open(&t.db(), &t.keys()).await.unwrap().close().await;
    assert!(!pending.exists(), "the rotation that never happened is forgotten");
    assert_eq!(std::fs::read(&key_file).unwrap(), old);

    // A whole rotation, then put back as it stood between the rekey and the rename.
    backup::rotate_key(&t.db(), &t.keys(), now(), ACTOR).await.unwrap();
    let new = std::fs::read(&key_file).unwrap();
    assert_ne!(new, old);
    assert!(!pending.exists());
    std::fs::write(&pending, &new).unwrap();
    std::fs::write(&key_file, &old).unwrap();
    let file = CaseFile::open(&t.db(), &t.keys())
        .await
        .expect("the pending key is the one that opens");
    assert_eq!(std::fs::read(&key_file).unwrap(), new, "and it is promoted");
    assert!(!pending.exists());
    assert_eq!(list_cases(&file).await.unwrap().len(), 2);
    assert!(matches!(
        history::verify_audit(&file).await.unwrap(),
        ChainReport::Intact { .. }
    ));
    file.close().await;
    // The old key no longer opens it.
    std::fs::write(t.dir.path().join("old.key"), &old).unwrap();
    assert!(CaseFile::open(&t.db(), &KeySource::File(t.dir.path().join("old.key")))
        .await
        .is_err());
}

#[test]
fn reading_any_bytes_as_a_backup_never_panics() {
    use proptest::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdbk");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::default());
    let head = b"PRIVACYDESK BACKUP 1\n".to_vec();
    runner
        .run(
            &(any::<bool>(), proptest::collection::vec(any::<u8>(), 0..600)),
            |(prefixed, tail)| {
                let mut bytes = if prefixed { head.clone() } else { Vec::new() };
                bytes.extend(tail);
                std::fs::write(&path, &bytes).unwrap();
                let _ = BackupFile::read(&path);
                let _ = backup::import_key(&path, PASSPHRASE);
                Ok(())
            },
        )
        .unwrap();
}

/// Daily backups: one when none is a day old in the folder, none otherwise, the newest `keep`
/// kept and nothing else in the folder touched; stopping them forgets their passphrase.
#[tokio::test]
async fn daily_backups_run_when_due_and_keep_the_newest_ones_only() {
    use privacydesk::service::backup::{run_scheduled, schedule, scheduled_backups, set_schedule, BackupSchedule};
    let t = TempCaseFile::new();
    let file = with_cases(&t, 2).await;
    let folder = t.dir.path().join("daily");
    let plan = BackupSchedule {
        folder: folder.display().to_string(),
        keep: 2,
    };
    let refused = set_schedule(
        &file,
        &t.keys(),
        Some((
            BackupSchedule {
                keep: 0,
                ..plan.clone()
            },
            PASSPHRASE,
        )),
        now(),
        ACTOR,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, BackupError::Invalid { field: "keep", .. }),
        "{refused}"
    );
    assert!(
        set_schedule(&file, &t.keys(), Some((plan.clone(), "short")), now(), ACTOR)
            .await
            .is_err()
    );
    set_schedule(&file, &t.keys(), Some((plan.clone(), PASSPHRASE)), now(), ACTOR)
        .await
        .unwrap();
    assert_eq!(schedule(&file).await.unwrap(), Some(plan));
    let kept = t.dir.path().join("case.key.backup-passphrase");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777, 0o600);
    }
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    std::fs::write(folder.join("PrivacyDesk backup of March.pdbk"), "mine too").unwrap();

    let hours = |h: i64| now() + chrono::Duration::hours(h);
    assert!(run_scheduled(&file, &t.keys(), hours(0), ACTOR)
        .await
        .unwrap()
        .is_some());
    assert!(
        run_scheduled(&file, &t.keys(), hours(5), ACTOR)
            .await
            .unwrap()
            .is_none(),
        "not a day old yet"
    );
    assert!(run_scheduled(&file, &t.keys(), hours(25), ACTOR)
        .await
        .unwrap()
        .is_some());
    assert!(run_scheduled(&file, &t.keys(), hours(50), ACTOR)
        .await
        .unwrap()
        .is_some());
    let made: Vec<_> = scheduled_backups(&folder).into_iter().map(|(at, _)| at).collect();
    assert_eq!(made.len(), 2, "the newest two are kept");
    assert_eq!(made[1], hours(50).with_nanosecond(0).unwrap());
    assert!(folder.join("notes.txt").exists() && folder.join("PrivacyDesk backup of March.pdbk").exists());
    // The newest opens with the passphrase.
    BackupFile::read(&scheduled_backups(&folder).last().unwrap().1)
        .unwrap()
        .key(PASSPHRASE)
        .unwrap();

    set_schedule(&file, &t.keys(), None, hours(51), ACTOR).await.unwrap();
    assert_eq!(schedule(&file).await.unwrap(), None);
    assert!(!kept.exists(), "the passphrase is forgotten");
    assert!(run_scheduled(&file, &t.keys(), hours(100), ACTOR)
        .await
        .unwrap()
        .is_none());
    assert_eq!(scheduled_backups(&folder).len(), 2, "those made stay");
}

/// The start-up screen's way back when the key is lost (issue 15, "Keys"): the key of a key
/// export is kept only once it is checked to open the case file; a wrong one (another file's,
/// or this file's before a rotation) is refused touching nothing; what was where the key
/// belongs is renamed, never overwritten.
#[tokio::test]
async fn a_lost_key_is_put_back_from_a_key_export_only_if_it_opens_the_file() {
    let t = TempCaseFile::new();
    let file = with_cases(&t, 2).await;
    let KeySource::File(key_file) = t.keys() else {
        unreachable!()
    };
    let good = t.dir.path().join("good.pdkey");
    privacydesk::service::backup::export_key(&file, &t.keys(), &good, PASSPHRASE, now(), ACTOR)
        .await
        .unwrap();
    file.close().await;
    let other = TempCaseFile::new();
    let other_file = other.open().await;
    let wrong = t.dir.path().join("wrong.pdkey");
    privacydesk::service::backup::export_key(&other_file, &other.keys(), &wrong, PASSPHRASE, now(), ACTOR)
        .await
        .unwrap();
    other_file.close().await;

    // The key file now holds a wrong key (a mix-up), then nothing at all.
    let real = std::fs::read(&key_file).unwrap();
    std::fs::remove_file(&key_file).unwrap();
    KeySource::File(key_file.clone())
        .store_new(&DatabaseKey::generate().unwrap())
        .unwrap();
    let mixed_up = std::fs::read(&key_file).unwrap();
    let refused = backup::install_key(&t.db(), &t.keys(), &wrong, PASSPHRASE, now())
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("does not open the case file"), "{refused}");
    assert_eq!(std::fs::read(&key_file).unwrap(), mixed_up, "nothing was touched");
    let bad_pass = backup::install_key(&t.db(), &t.keys(), &good, "not the passphrase at all", now())
        .await
        .unwrap_err();
    assert!(matches!(bad_pass, BackupError::Seal(..)), "{bad_pass}");

    let aside = backup::install_key(&t.db(), &t.keys(), &good, PASSPHRASE, now())
        .await
        .unwrap()
        .expect("the mixed-up key was kept aside");
    assert_eq!(std::fs::read(&aside).unwrap(), mixed_up);
    assert_eq!(std::fs::read(&key_file).unwrap(), real);
    let file = CaseFile::open(&t.db(), &t.keys()).await.expect("the file opens again");
    assert_eq!(list_cases(&file).await.unwrap().len(), 2);
    let log = history::file_history(&file, 10).await.unwrap();
    assert!(
        log.iter().any(|e| e.action == "key.exported"),
        "the export is in the history"
    );
    file.close().await;

    // With no key file at all, it is simply written.
    std::fs::remove_file(&key_file).unwrap();
    assert!(backup::install_key(&t.db(), &t.keys(), &good, PASSPHRASE, now())
        .await
        .unwrap()
        .is_none());
    assert_eq!(std::fs::read(&key_file).unwrap(), real);
}
