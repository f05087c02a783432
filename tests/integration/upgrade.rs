//! Upgrading a case file made by the previous release (`tests/data/release-0.1`, made with that
//! release's own code: cases, notes, files, status moves, acknowledgments, an extension, a
//! response, letters produced and mailed, an edit): everything is there after, the audit chain
//! is carried over and verifies, the copy kept before the upgrade opens with the key, and a file
//! whose old chain was tampered with is refused untouched. Also pins every landed migration.

use crate::support::{file_bytes, history};
use privacydesk::domain::clock::ClockState;
use privacydesk::domain::history::AuditEvent;
use privacydesk::domain::{CaseNumber, CaseStatus};
use privacydesk::service::history::{file_history, verify_audit};
use privacydesk::service::intake::list_cases;
use privacydesk::store::audit::ChainReport;
use privacydesk::store::key::KeySource;
use privacydesk::store::{CaseFile, OpenError};
use sqlx::ConnectOptions;
use std::path::{Path, PathBuf};

fn fixture() -> std::path::PathBuf {
    crate::support::manifest_dir().join("tests/data/release-0.1")
}

/// A copy of the previous release's file and key in a fresh directory.
fn copy_of_release() -> (tempfile::TempDir, PathBuf, KeySource) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("privacydesk.db");
    std::fs::copy(fixture().join("release-0.1.db"), &db).unwrap();
    let key = dir.path().join("case.key");
    std::fs::copy(fixture().join("release-0.1.key"), &key).unwrap();
    (dir, db, KeySource::File(key))
}

async fn raw(db: &Path, keys: &KeySource) -> sqlx::SqliteConnection {
    let key = keys.load().unwrap().unwrap();
    sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .pragma("key", format!("\"x'{}'\"", key.to_hex()))
        .connect()
        .await
        .unwrap()
}

fn n(s: &str) -> CaseNumber {
    s.parse().unwrap()
}

#[tokio::test]
async fn a_file_of_the_previous_release_upgrades_with_everything_in_it() {
    let (dir, db, keys) = copy_of_release();
    let file = CaseFile::open(&db, &keys)
        .await
        .expect("the previous release's file opens");

    let cases = list_cases(&file).await.unwrap();
    let mut numbers: Vec<String> = cases.iter().map(|c| c.number.to_string()).collect();
    numbers.sort();
    assert_eq!(
        numbers,
        ["PR-2026-00001", "PR-2026-00002", "PR-2026-00003", "PR-2026-00004"]
    );
    let khai = cases.iter().find(|c| c.number == n("PR-2026-00001")).unwrap();
    assert_eq!(khai.requester.name, "Nguyễn Thị Minh Khai");
    assert_eq!(khai.status, CaseStatus::Verifying);
    assert_eq!(khai.assignee.as_deref(), Some("Dana Whitfield"));

    // 21 events of the first form, carried over in order, then the upgrade itself.
    assert_eq!(
        verify_audit(&file).await.unwrap(),
        ChainReport::Intact {
            events: 22,
            purged_payloads: 0
        }
    );
    let upgraded = file_history(&file, 5).await.unwrap();
    let Some(AuditEvent::ChainUpgraded {
        previous_events,
        previous_head,
    }) = &upgraded[0].event
    else {
        panic!("the upgrade is recorded: {upgraded:?}");
    };
    assert_eq!(*previous_events, 21);
    assert_eq!(previous_head.len(), 64);

    // The old events are typed now: the history reads them with no hand decoding.
    let actions: Vec<String> = history(&file, n("PR-2026-00001"))
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "case.created",
            "note.added",
            "file.attached",
            "case.assigned",
            "letter.produced",
            "letter.mailed",
            "receipt.confirmed",
            "status.moved",
            "status.moved"
        ]
    );
    let edited = history(&file, n("PR-2026-00004")).await;
    let Some(AuditEvent::CaseEdited { changes }) = &edited.last().unwrap().event else {
        panic!("the edit is typed: {edited:?}");
    };
    assert!(changes.iter().any(|c| c.field == "requester.email"), "{changes:?}");
    assert!(
        history(&file, n("PR-2026-00003"))
            .await
            .iter()
            .all(|e| !matches!(e.event, Some(AuditEvent::Legacy { .. }))),
        "every event of the previous release has its typed form"
    );

    // Letters and their bytes are there, and their hashes still hold.
    let view = privacydesk::service::case_view::case_view(&file, n("PR-2026-00001"), crate::support::now())
        .await
        .unwrap();
    assert_eq!(view.letters.len(), 1);
    assert!(view.letters[0].mailed_on.is_some());
    privacydesk::service::letters::archived_pdf(&file, view.letters[0].id)
        .await
        .expect("the archived letter matches its SHA-256");
    assert_eq!(view.notes.len(), 1);
    assert_eq!(view.files.len(), 1);

    // Each open case's next clock is kept on the case after the upgrade: the queue shows it.
    let page = privacydesk::service::queue::queue(
        &file,
        &privacydesk::domain::queue::QueueQuery {
            open_only: true,
            ..Default::default()
        },
        crate::support::now(),
    )
    .await
    .unwrap();
    assert!(!page.rows.is_empty());
    for row in &page.rows {
        let view = privacydesk::service::case_view::case_view(&file, row.number, crate::support::now())
            .await
            .unwrap();
        let pending = view
            .clocks
            .clocks
            .iter()
            .filter(|c| matches!(c.state, ClockState::Open | ClockState::Overdue))
            .map(|c| (c.deadline.clock, c.deadline.due))
            .min_by_key(|(_, due)| *due);
        assert_eq!(row.next.as_ref().map(|n| (n.clock, n.due)), pending, "{}", row.number);
    }

    // The file keeps the calendar it chose: new files start on weekends only, but this one's
    // due dates stay on the US federal calendar it was made with.
    let settings = privacydesk::service::clocks::clock_settings(&file).await.unwrap();
    assert_eq!(
        settings.calendar,
        privacydesk::domain::calendar::CalendarPreset::UsFederal
    );
    file.close().await;

    // The copy made before the upgrade opens with the same key and still holds the old form.
    let bak = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(".pre-"))
        .expect("a copy is kept before the upgrade");
    let mut old = raw(&bak, &keys).await;
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM case_event")
        .fetch_one(&mut old)
        .await
        .unwrap();
    assert_eq!(events, 21);

    // Opening the upgraded file again changes nothing more.
    let file = CaseFile::open(&db, &keys).await.unwrap();
    assert!(matches!(
        verify_audit(&file).await.unwrap(),
        ChainReport::Intact { events: 22, .. }
    ));
}

#[tokio::test]
async fn a_previous_release_file_whose_chain_was_tampered_with_is_refused_untouched() {
    let (_dir, db, keys) = copy_of_release();
    let mut conn = raw(&db, &keys).await;
    sqlx::query("UPDATE case_event SET actor = 'Someone Else' WHERE id = 7")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);
    let before = file_bytes(&db);
    let err = CaseFile::open(&db, &keys).await.unwrap_err();
    let OpenError::AuditBroken { at_event, .. } = &err else {
        panic!("expected the upgrade to be refused, got {err:?}");
    };
    assert_eq!(*at_event, 7);
    assert_eq!(file_bytes(&db), before, "a refused upgrade leaves the file as it was");
    assert!(
        privacydesk::service::AppError::from(err)
            .message
            .contains("changed outside PrivacyDesk"),
        "the message says what happened"
    );
}

/// Every migration that has landed, with the SHA-256 of its text. A landed migration is never
/// edited (a case file that applied it would refuse to open): add a new one instead, and its
/// line here.
const LANDED: &[(&str, &str)] = &[
    (
        "20261127000001_case_file.sql",
        "937b0d12e77f6001642bf1e2404a5fbaa1ea19d5baed576c5a082a4d9be9f24f",
    ),
    (
        "20261127000002_clocks.sql",
        "b46c8fad613c9678d195735e908a6684b94b70ef6296b291c0ce5e77492d78f5",
    ),
    (
        "20261127000003_audit.sql",
        "32a775038dea2ab28a0fb528a7bdfb1d6a327d3df43857589d3da81c4096a234",
    ),
    (
        "20261127000004_profile.sql",
        "b5aedb3eccab39d1ffe1aa595eb6f13d0740f29737d83806b72968f72a1cb716",
    ),
    (
        "20261127000005_intake_details.sql",
        "fcffaac109e374347e610ac81d9f718f255ec4224542c3de439bf912085e5c3a",
    ),
    (
        "20261127000006_requester_match.sql",
        "f2963af5acad1894270882c07006cfe983ebceae73e890f2e2b3b198e3b4ff94",
    ),
    (
        "20261127000007_queue_search.sql",
        "dd89d958a546e4e31afad39ef0a137b8f7ea8984f6bc3ab438f2be3d23a293af",
    ),
    (
        "20261127000008_notes.sql",
        "bf920ddb68549a9f2bb357ba6a44ddacf4ad75d5775bf6601267ac440ea1ab5a",
    ),
    (
        "20261127000009_attachments.sql",
        "bb789319abfaff55bfabae117d4ae3f36b68aff7391eb0c8b9e7fdbf2d9dffdc",
    ),
    (
        "20261127000010_assignment.sql",
        "84f3bc9b86e33cff381a0b9588e0797789d747fad5ffa6d76c47adc4322eb6bf",
    ),
    (
        "20261127000011_letters.sql",
        "0370bffcbcb2787c0fd86f62feec31d88392fbb1f9d69a0fb6d05409bd06d040",
    ),
    (
        "20261127000012_queue_sorts.sql",
        "9e49071f0d9f6925868e2ed306f6289bdb18d71f43d20490786d281f0b0b13d7",
    ),
    (
        "20261127000013_letterhead_logo.sql",
        "409dbc43e72963e97e3720aeacafe8d3d2cf832348f2dc9440426fdc74899b1b",
    ),
    (
        "20261127000014_next_due.sql",
        "ffc40e94b347f1def97d53cf2bf221c6adb55bf3e5b197797116dce049da5804",
    ),
    (
        "20261201000001_audit_payloads.sql",
        "c9d8147624da7e62afeed342e7717ba5af832da3df2cd9390f452fe02901b3b7",
    ),
    (
        "20261201000002_case_number_order.sql",
        "f7a4e083ed5332dbf683b623eba45f116cdfab02b1252a415680f59a7344d689",
    ),
    (
        "20261201000003_case_email.sql",
        "797b58cae25fc0a7c161bc754b1548eff2485d5bc5b8ee405a04fe32ff619c95",
    ),
    (
        "20261201000004_language_codes.sql",
        "c697a968541296159f04c9db71664bec87312f4b2b41c1514d23b344dcdff30b",
    ),
    (
        "20261201000005_next_clock.sql",
        "9f6ac5f9df4f1eff0029d8813f169e3f8cd6df635aecc41e828d6f32d237db6a",
    ),
    (
        "20261201000006_intake_draft.sql",
        "642785fefe3a6cdbf41c86fe18edbd52453217bf82f26cbc9ae6794973d21c11",
    ),
    (
        "20261202000001_verification.sql",
        "e612caf5447b754023a8fe00c206424d0162842883f377264abd3e26bf2e5b0c",
    ),
    (
        "20261202000002_verification_answers_reference.sql",
        "3fc670cbb3928b4df6b5be91423d71383ff791774da7f729bdcdb64a7f1bc27f",
    ),
    (
        "20261202000003_decisions_responses.sql",
        "8d63a67c0385a3437df7f677ff93bbae36ad2b3f9fc14b39ea53a0f40b7d2f83",
    ),
    (
        "20261202000004_provider_notices.sql",
        "64c7048539689c7f2e56f7353f199a9bd8418bee876112f75c6a5c448e2eb921",
    ),
    (
        "20261202000005_specific_items.sql",
        "7fcc8f547cc81e22a977f538891b792d9b67aebbbf31d7e192b37338d2531def",
    ),
    (
        "20261202000006_case_rows_statements.sql",
        "04b4c735c3b14c32b4dbd5b880271cb6c126bc7890d5a0bc186317447739a104",
    ),
    (
        "20261202000007_retention.sql",
        "8c91717698702fcf3e763a427c351fd0809c3aa320ce17bf357372f29625a753",
    ),
    (
        "20261202000008_letter_layout.sql",
        "612804fac0ef6d72e8ca4a95b377ded714b5c73d89937f3be2c8e20af424cce3",
    ),
];

#[test]
fn no_landed_migration_is_ever_edited() {
    use sha2::{Digest, Sha256};
    let dir = crate::support::manifest_dir().join("migrations");
    let mut found: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, hex::encode(Sha256::digest(std::fs::read(&path).unwrap())))
        })
        .collect();
    found.sort();
    if std::env::var_os("PRINT_MIGRATION_DIGESTS").is_some() {
        for (name, digest) in &found {
            println!("    (\"{name}\", \"{digest}\"),");
        }
    }
    for (name, digest) in LANDED {
        let now = found.iter().find(|(n, _)| n == name).map(|(_, d)| d.as_str());
        assert_eq!(
            now,
            Some(*digest),
            "the landed migration {name} was edited or removed: add a new migration instead"
        );
    }
    let pinned: Vec<&str> = LANDED.iter().map(|(n, _)| *n).collect();
    for (name, _) in &found {
        assert!(
            pinned.contains(&name.as_str()),
            "pin the new migration {name} in LANDED"
        );
    }
}
