//! A write-ahead log that is not the case file's own (issue 15, found as an attacker or a sync
//! folder would do it: "a `-wal` from another copy is reported as a disk fault while `audit
//! verify` says intact"), and damage that lies outside the audit's pages.
//!
//! The opens under test run in a CLI process of their own, as they would on a desk: this test
//! process has opened the same files, and a file a process has open itself is never checked
//! (its WAL may be live there).

use crate::support::{now, privacydesk as cli, sample_request, TempCaseFile, ACTOR};
use privacydesk::service::intake::log_request;
use privacydesk::store::CaseFile;
use std::path::Path;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn log(file: &CaseFile, name: &str) {
    log_request(file, &sample_request(name, "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
}

/// Waits for a closed file's WAL to be folded in and removed (connections just closed let go
/// on their own threads, later under load).
async fn gone(wal: &str) {
    for _ in 0..600 {
        if !Path::new(wal).exists() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{wal} is still there a minute after the file was closed");
}

fn set_aside_logs(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("privacydesk.db-wal.not-its-own-"))
        .collect()
}

/// A copy of the file takes one more case and keeps its WAL; the file itself goes on to 200
/// more. That copy's WAL put beside the file is not applied: it is set aside (kept), the
/// person is told, and the file opens whole with its own 203 cases.
#[tokio::test]
async fn a_write_ahead_log_from_another_copy_is_set_aside_not_applied() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    for i in 0..3 {
        log(&file, &format!("Shared {i}")).await;
    }
    file.close().await;

    let copy_dir = tempfile::tempdir().unwrap();
    let copy = copy_dir.path().join("privacydesk.db");
    std::fs::copy(t.db(), &copy).unwrap();
    let other = CaseFile::open(&copy, &t.keys()).await.unwrap();
    log(&other, "Only In The Copy").await;
    let foreign_wal = copy_dir.path().join("foreign-wal");
    // Taken while the copy is open, as a sync folder would take it.
    std::fs::copy(format!("{}-wal", copy.display()), &foreign_wal).unwrap();
    assert!(
        std::fs::metadata(&foreign_wal).unwrap().len() > 32,
        "the copy's WAL holds frames"
    );
    other.close().await;

    let file = t.open().await;
    for i in 0..200 {
        log(&file, &format!("Own {i}")).await;
    }
    file.close().await;
    gone(&format!("{}-wal", t.db().display())).await;
    std::fs::copy(&foreign_wal, format!("{}-wal", t.db().display())).unwrap();

    let out = cli(&t, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("audit log intact"),
        "{}",
        text(&out.stdout)
    );
    let said = text(&out.stderr);
    assert!(
        said.contains("warning: the write-ahead log beside the case file did not belong to it"),
        "{said}"
    );
    let aside = set_aside_logs(t.dir.path());
    assert_eq!(aside.len(), 1, "the WAL is kept, renamed: {aside:?}");
    assert!(said.contains(&aside[0]), "the warning says where it went: {said}");

    let listed = text(&cli(&t, &["case", "list", "--json"]).stdout);
    let cases: Vec<serde_json::Value> = serde_json::from_str(&listed).unwrap();
    assert_eq!(cases.len(), 203);
    assert!(!listed.contains("Only In The Copy"));
    // Said once: the next open finds nothing to set aside.
    let again = cli(&t, &["audit", "verify"]);
    assert!(again.status.success());
    assert!(
        !text(&again.stderr).contains("write-ahead log"),
        "{}",
        text(&again.stderr)
    );
}

/// A WAL left by a crash of PrivacyDesk itself (the CLI killed after committing) is the file's
/// own: it is applied, and what it held is there.
#[tokio::test]
async fn the_files_own_write_ahead_log_after_a_crash_is_applied() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    log(&file, "Before").await;
    file.close().await;
    // The file open with a committed case in its WAL, copied as a crash would leave it.
    let file = t.open().await;
    log(&file, "In The Log").await;
    let saved = tempfile::tempdir().unwrap();
    for suffix in ["", "-wal"] {
        std::fs::copy(
            format!("{}{suffix}", t.db().display()),
            saved.path().join(format!("db{suffix}")),
        )
        .unwrap();
    }
    file.close().await;
    for suffix in ["", "-wal"] {
        std::fs::copy(
            saved.path().join(format!("db{suffix}")),
            format!("{}{suffix}", t.db().display()),
        )
        .unwrap();
    }
    let _ = std::fs::remove_file(format!("{}-shm", t.db().display()));

    let out = cli(&t, &["case", "list", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("write-ahead log"), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("In The Log"));
    assert!(set_aside_logs(t.dir.path()).is_empty());
}

/// Damage on pages the audit chain does not use (here: an index of the cases) is reported by
/// `audit verify` too, not only by the screens that read them.
#[tokio::test]
async fn audit_verify_reports_damage_outside_the_chain() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    for i in 0..50 {
        log(&file, &format!("Person {i}")).await;
    }
    let root: i64 = sqlx::query_scalar("SELECT rootpage FROM sqlite_master WHERE name = 'privacy_case_by_requester'")
        .fetch_one(file.pool())
        .await
        .unwrap();
    // SQLCipher answers this pragma as text.
    let page_size: String = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(file.pool())
        .await
        .unwrap();
    let page_size: i64 = page_size.parse().unwrap();
    file.close().await;
    let mut bytes = std::fs::read(t.db()).unwrap();
    let at = ((root - 1) * page_size + 200) as usize;
    for b in &mut bytes[at..at + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(t.db(), &bytes).unwrap();

    let out = cli(&t, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let said = text(&out.stderr);
    assert!(
        said.contains("audit log intact (50 events), but the case file is damaged"),
        "{said}"
    );
    assert!(said.contains("restore the latest backup"), "{said}");
}
