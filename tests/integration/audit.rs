//! The audit log: every change is a typed event naming who, when and what, chained by hash over
//! its payload's digest; `audit verify` finds the first broken link after any edit, deletion
//! or reordering outside the app, and tells payloads purged on record apart from tampering.

use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use chrono::NaiveDate;
use privacydesk::domain::clock::{Acknowledgment, Extension};
use privacydesk::domain::history::{AuditEvent, PurgeScope, Subject};
use privacydesk::domain::{CaseNumber, CaseStatus, Channel};
use privacydesk::service::case_view::case_view;
use privacydesk::service::history::{file_history, verify_audit};
use privacydesk::service::intake::log_request;
use privacydesk::service::{clocks, profile};
use privacydesk::store::audit::{self, ChainReport};
use privacydesk::store::CaseFile;
use std::process::Command;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn first() -> CaseNumber {
    "PR-2026-00001".parse().unwrap()
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
    clocks::record_acknowledgment(&file, case.number, &ack, now(), "Second Officer")
        .await
        .unwrap();
    let ext = Extension {
        reason: "Records held by two entities".into(),
        notice_on: d("2026-03-09"),
    };
    clocks::record_extension(&file, case.number, &ext, now(), ACTOR)
        .await
        .unwrap();
    log_request(&file, &sample_request("Cy Diaz", "2026-03-05"), now(), ACTOR)
        .await
        .unwrap();
    file
}

fn intact(events: i64, purged_payloads: i64) -> ChainReport {
    ChainReport::Intact {
        events,
        purged_payloads,
    }
}

#[tokio::test]
async fn every_change_is_a_typed_event_with_who_and_what() {
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    let history = case_view(&file, first(), now()).await.unwrap().history;
    let summary: Vec<(&str, &str)> = history.iter().map(|e| (e.action.as_str(), e.actor.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("case.created", ACTOR),
            ("receipt.confirmed", "Second Officer"),
            ("status.moved", "Second Officer"),
            ("response.extended", ACTOR)
        ]
    );
    let Some(AuditEvent::CaseCreated { case }) = &history[0].event else {
        panic!("the first event is the creation: {:?}", history[0]);
    };
    assert_eq!(case.requester.name, "Ana Reyes");
    assert_eq!(
        history[2].event,
        Some(AuditEvent::StatusMoved {
            from: CaseStatus::New,
            to: CaseStatus::Acknowledged,
            reason: "Receipt confirmed on 2026-03-04".into()
        })
    );
    assert_eq!(
        history[3].event,
        Some(AuditEvent::ResponseExtended {
            reason: "Records held by two entities".into(),
            notice_on: d("2026-03-09")
        })
    );
    assert_eq!(verify_audit(&file).await.unwrap(), intact(6, 0));
}

#[tokio::test]
async fn an_edit_keeps_only_the_changed_fields() {
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    let view = case_view(&file, first(), now()).await.unwrap();
    let mut input = sample_request("Ana Reyes", "2026-03-02");
    input.requester.email = Some("ana.reyes@example.com".into());
    let after = privacydesk::service::intake::edit_case(&file, first(), view.case.version, &input, now(), ACTOR)
        .await
        .unwrap();
    let Some(AuditEvent::CaseEdited { changes }) = &after.history.last().unwrap().event else {
        panic!("an edit event");
    };
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].field, "requester.email");
    assert_eq!(changes[0].before.as_deref(), Some("nguyen.khai@example.com"));
    assert_eq!(changes[0].after.as_deref(), Some("ana.reyes@example.com"));
}

#[tokio::test]
async fn a_refused_change_writes_no_event() {
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    let again = Extension {
        reason: "Second try".into(),
        notice_on: d("2026-03-09"),
    };
    assert!(clocks::record_extension(&file, first(), &again, now(), ACTOR)
        .await
        .is_err());
    assert_eq!(case_view(&file, first(), now()).await.unwrap().history.len(), 4);
    assert_eq!(verify_audit(&file).await.unwrap(), intact(6, 0));
}

#[tokio::test]
async fn changes_to_the_case_file_itself_are_in_its_history() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let mut settings = clocks::clock_settings(&file).await.unwrap();
    settings.closures.push(d("2026-12-24"));
    clocks::save_clock_settings(&file, &settings, now(), ACTOR)
        .await
        .unwrap();
    // Saving the same settings again changes nothing and records nothing.
    clocks::save_clock_settings(&file, &settings, now(), ACTOR)
        .await
        .unwrap();
    profile::set_staff_name(&file, "Dana Whitfield", now(), ACTOR)
        .await
        .unwrap();
    let doc = profile::current_profile(&file).await.unwrap().document.replace(
        "name = \"\"\ntitle = \"\"",
        "name = \"Dana Whitfield\"\ntitle = \"Privacy Officer\"",
    );
    profile::save_profile(&file, &doc, now(), ACTOR).await.unwrap();
    let log = file_history(&file, 50).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["profile.saved", "staff.named", "settings.changed"],
        "newest first"
    );
    let Some(AuditEvent::SettingsChanged { changes }) = &log[2].event else {
        panic!("a settings event");
    };
    assert_eq!(changes[0].field, "closures");
    assert_eq!(changes[0].after.as_deref(), Some("2026-12-24"));
    let Some(AuditEvent::ProfileSaved { changed, .. }) = &log[0].event else {
        panic!("a profile event");
    };
    assert_eq!(changed, &["signatory".to_owned()]);
    assert_eq!(verify_audit(&file).await.unwrap(), intact(3, 0));
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
    let (at, reason) = broken_at(tampered("UPDATE audit_event SET actor = 'Someone Else' WHERE seq = 3").await);
    assert_eq!(at, 3);
    assert!(reason.contains("edited"), "{reason}");
}

#[tokio::test]
async fn an_edited_payload_is_found_by_its_digest() {
    let (at, reason) = broken_at(
        tampered("UPDATE audit_payload SET payload = replace(payload, 'Ana Reyes', 'Somebody') WHERE seq = 1").await,
    );
    assert_eq!(at, 1);
    assert!(reason.contains("payload was edited"), "{reason}");
}

#[tokio::test]
async fn a_payload_removed_without_a_purge_record_is_tampering() {
    let (at, reason) = broken_at(tampered("DELETE FROM audit_payload WHERE seq = 2").await);
    assert_eq!(at, 2);
    assert!(reason.contains("without a purge record"), "{reason}");
    // Pointing at a purge that does not exist does not help.
    let (at, _) = broken_at(
        tampered("DELETE FROM audit_payload WHERE seq = 2; UPDATE audit_event SET purged_by = 6 WHERE seq = 2").await,
    );
    assert_eq!(at, 2);
}

/// A tamperer who rewrites an event and recomputes its hash (the format is documented in the
/// migration) still breaks the next event's link to it.
#[tokio::test]
async fn an_edit_with_a_correctly_recomputed_hash_breaks_the_next_link() {
    use sha2::{Digest, Sha256};
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    type Row = (String, i64, String, String, String, String);
    let (prev, seq, subject, at, action, digest): Row =
        sqlx::query_as("SELECT prev_hash, seq, subject, at, action, payload_sha256 FROM audit_event WHERE seq = 2")
            .fetch_one(file.pool())
            .await
            .unwrap();
    let forged_actor = "Someone Else";
    let content = serde_json::json!([prev, seq, subject, at, forged_actor, action, digest]).to_string();
    let forged_hash = hex::encode(Sha256::digest(content.as_bytes()));
    sqlx::query("UPDATE audit_event SET actor = ?1, hash = ?2 WHERE seq = 2")
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
async fn deleted_and_reordered_events_are_found() {
    let (at, reason) =
        broken_at(tampered("DELETE FROM audit_payload WHERE seq = 4; DELETE FROM audit_event WHERE seq = 4").await);
    assert_eq!(at, 4);
    assert!(reason.contains("missing"), "{reason}");
    let (at, reason) =
        broken_at(tampered("DELETE FROM audit_payload WHERE seq = 6; DELETE FROM audit_event WHERE seq = 6").await);
    assert_eq!(at, 6);
    assert!(reason.contains("removed"), "{reason}");
    // Swapping two events' places: each keeps its own hash, but the links no longer follow.
    let (at, _) = broken_at(
        tampered(
            "BEGIN; PRAGMA defer_foreign_keys = ON;
             UPDATE audit_payload SET seq = -1 WHERE seq = 2; UPDATE audit_event SET seq = -1 WHERE seq = 2;
             UPDATE audit_payload SET seq = 2 WHERE seq = 3; UPDATE audit_event SET seq = 2 WHERE seq = 3;
             UPDATE audit_payload SET seq = 3 WHERE seq = -1; UPDATE audit_event SET seq = 3 WHERE seq = -1;
             COMMIT;",
        )
        .await,
    );
    assert_eq!(at, 2);
}

#[tokio::test]
async fn a_purged_payload_keeps_the_chain_intact_and_is_reported_apart() {
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    let mut tx = file.write().await.unwrap();
    let scope = PurgeScope::Cases {
        numbers: vec![first()],
        before: 6,
    };
    let removed = audit::purge_in_tx(&mut tx, scope.clone(), "retention period over", now(), ACTOR)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(removed, 4, "the four events of the first case");
    assert_eq!(verify_audit(&file).await.unwrap(), intact(7, 4));

    // The history still says what happened and who did it; only the payloads are gone.
    let history = case_view(&file, first(), now()).await.unwrap().history;
    assert_eq!(history.len(), 4);
    assert!(history.iter().all(|e| e.event.is_none()));
    assert_eq!(history[1].action, "receipt.confirmed");
    let purge = audit::file_level(&mut file.read().await.unwrap(), 1).await.unwrap();
    assert_eq!(
        purge[0].event,
        Some(AuditEvent::PayloadPurged {
            purged: scope,
            reason: "retention period over".into()
        })
    );
    // Nothing of the purged payloads is left in the file.
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_payload WHERE payload LIKE '%Ana Reyes%'")
        .fetch_one(file.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);

    // The other cases' payloads are untouched, and tampering is still caught after a purge.
    sqlx::query("DELETE FROM audit_payload WHERE seq = 2")
        .execute(file.pool())
        .await
        .unwrap();
    assert_eq!(broken_at(verify_audit(&file).await.unwrap()).0, 2);
}

#[tokio::test]
async fn a_purge_of_named_events_covers_only_those() {
    let t = TempCaseFile::new();
    let file = file_with_history(&t).await;
    let mut tx = file.write().await.unwrap();
    audit::purge_in_tx(&mut tx, PurgeScope::Events { seqs: vec![3, 5] }, "test", now(), ACTOR)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(verify_audit(&file).await.unwrap(), intact(7, 2));
    // Reusing the purge record for another payload is tampering.
    sqlx::query("DELETE FROM audit_payload WHERE seq = 4; UPDATE audit_event SET purged_by = 7 WHERE seq = 4")
        .execute(file.pool())
        .await
        .unwrap();
    assert_eq!(broken_at(verify_audit(&file).await.unwrap()).0, 4);
    let subject: String = sqlx::query_scalar("SELECT subject FROM audit_event WHERE seq = 7")
        .fetch_one(file.pool())
        .await
        .unwrap();
    assert_eq!(subject, Subject::CaseFile.to_string());
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
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout).trim(),
        "audit log intact: 6 events (0 payloads purged as recorded)"
    );

    let file = t.open().await;
    sqlx::query("UPDATE audit_payload SET payload = '{}' WHERE seq = 5")
        .execute(file.pool())
        .await
        .unwrap();
    file.close().await;
    let bad = verify();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("audit log broken at event 5"), "{err}");
}
