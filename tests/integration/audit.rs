//! The audit log: every change is an event naming who, when, what, before and after, chained by
//! hash; `audit verify` finds the first broken link after any edit or deletion outside the app.

use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use chrono::NaiveDate;
use privacydesk::domain::clock::{Acknowledgment, Extension};
use privacydesk::domain::Channel;
use privacydesk::service::cases::{history, log_request, verify_audit};
use privacydesk::service::deadlines;
use privacydesk::store::audit::ChainReport;
use privacydesk::store::CaseFile;
use std::process::Command;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Three cases with an acknowledgment and an extension: 6 events.
async fn file_with_history(t: &TempCaseFile) -> CaseFile {
    let file = t.open().await;
    let case = log_request(&file, &sample_request("Ana Reyes", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    log_request(&file, &sample_request("Bo Chen", "2026-03-03"), now(), ACTOR)
        .await
        .unwrap();
    let ack = Acknowledgment {
        on: d("2026-03-04"),
        channel: Channel::Email,
    };
    deadlines::record_acknowledgment(&file, case.number, &ack, now(), "Second Officer")
        .await
        .unwrap();
    let ext = Extension {
        reason: "Records held by two entities".into(),
        notice_on: d("2026-03-09"),
    };
    deadlines::record_extension(&file, case.number, &ext, now(), ACTOR)
        .await
        .unwrap();
    log_request(&file, &sample_request("Cy Diaz", "2026-03-05"), now(), ACTOR)
        .await
        .unwrap();
    file
}

#[tokio::test]
async fn every_change_is_an_event_with_who_what_before_and_after() {
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    let first = "PR-2026-00001".parse().unwrap();
    let events = history(&file, first).await.unwrap();
    let summary: Vec<(&str, &str)> = events.iter().map(|e| (e.action.as_str(), e.actor.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("case.created", ACTOR),
            ("acknowledgment.recorded", "Second Officer"),
            ("status.changed", "Second Officer"),
            ("extension.recorded", ACTOR)
        ]
    );
    assert_eq!(events[0].after.as_ref().unwrap()["requester"]["name"], "Ana Reyes");
    assert_eq!(events[2].before.as_ref().unwrap()["status"], "new");
    assert_eq!(events[2].after.as_ref().unwrap()["status"], "acknowledged");
    assert_eq!(events[3].after.as_ref().unwrap()["notice_on"], "2026-03-09");
    assert_eq!(verify_audit(&file).await.unwrap(), ChainReport::Intact { events: 6 });
}

#[tokio::test]
async fn a_refused_change_writes_no_event() {
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    let first = "PR-2026-00001".parse().unwrap();
    let again = Extension {
        reason: "Second try".into(),
        notice_on: d("2026-03-09"),
    };
    assert!(deadlines::record_extension(&file, first, &again, now(), ACTOR)
        .await
        .is_err());
    assert_eq!(history(&file, first).await.unwrap().len(), 4);
    assert_eq!(verify_audit(&file).await.unwrap(), ChainReport::Intact { events: 6 });
}

async fn tampered(sql: &str) -> ChainReport {
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    sqlx::query(sql).execute(file.pool()).await.unwrap();
    verify_audit(&file).await.unwrap()
}

fn broken_at(report: ChainReport) -> (i64, String) {
    match report {
        ChainReport::Broken { at_event, reason } => (at_event, reason),
        intact => panic!("tampering must be detected, got {intact:?}"),
    }
}

#[tokio::test]
async fn an_edited_event_is_the_first_broken_link() {
    let (at, reason) = broken_at(tampered("UPDATE case_event SET actor = 'Someone Else' WHERE id = 3").await);
    assert_eq!(at, 3);
    assert!(reason.contains("edited"), "{reason}");
}

/// A tamperer who rewrites an event and recomputes its hash (the format is documented in the
/// migration) still breaks the next event's link to it.
#[tokio::test]
async fn an_edit_with_a_correctly_recomputed_hash_breaks_the_next_link() {
    use sha2::{Digest, Sha256};
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    type Row = (String, i64, String, String, String, Option<String>, Option<String>);
    let (prev, id, number, at, action, before, after): Row =
        sqlx::query_as("SELECT prev_hash, id, case_number, at, action, before, after FROM case_event WHERE id = 2")
            .fetch_one(file.pool())
            .await
            .unwrap();
    let forged_actor = "Someone Else";
    let content = serde_json::json!([prev, id, number, at, forged_actor, action, before, after]).to_string();
    let forged_hash = hex::encode(Sha256::digest(content.as_bytes()));
    sqlx::query("UPDATE case_event SET actor = ?1, hash = ?2 WHERE id = 2")
        .bind(forged_actor)
        .bind(forged_hash)
        .execute(file.pool())
        .await
        .unwrap();
    let (at, reason) = broken_at(verify_audit(&file).await.unwrap());
    assert_eq!(
        at, 3,
        "event 2 is self-consistent now; event 3's link to it is not: {reason}"
    );
    assert!(reason.contains("previous event"), "{reason}");
}

#[tokio::test]
async fn a_deleted_event_is_found_in_the_middle_and_at_the_end() {
    let (at, reason) = broken_at(tampered("DELETE FROM case_event WHERE id = 4").await);
    assert_eq!(at, 4);
    assert!(reason.contains("missing"), "{reason}");
    let (at, reason) = broken_at(tampered("DELETE FROM case_event WHERE id = 6").await);
    assert_eq!(at, 6);
    assert!(reason.contains("removed"), "{reason}");
}

#[tokio::test]
async fn cli_audit_verify_reports_intact_and_broken_chains() {
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    file.close().await;
    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_privacydesk"))
            .arg("--db")
            .arg(t.db())
            .arg("--key-file")
            .arg(t.dir.path().join("case.key"))
            .args(["audit", "verify"])
            .output()
            .unwrap()
    };
    let ok = verify();
    assert!(ok.status.success());
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "audit log intact: 6 events");

    let file = t.open().await;
    sqlx::query("UPDATE case_event SET after = '{}' WHERE id = 5")
        .execute(file.pool())
        .await
        .unwrap();
    file.close().await;
    let bad = verify();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("audit log broken at event 5"), "{err}");
}
