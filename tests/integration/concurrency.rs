//! Two writers at once on one case file: a large letters batch while someone else confirms
//! receipts, adds notes and logs new requests — in one process and in two. No write may fail
//! and none may be lost; every write begins `IMMEDIATE` and reads what it depends on inside
//! itself, so the batch and the other writer take turns.

use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use privacydesk::domain::clock::Acknowledgment;
use privacydesk::domain::letter::LetterKind;
use privacydesk::domain::{CaseNumber, Channel, NewCase};
use privacydesk::service::history::verify_audit;
use privacydesk::service::intake::{list_cases, log_request, log_requests};
use privacydesk::service::letters::{batch, batch_cases, BatchRequest};
use privacydesk::service::{clocks, lifecycle};
use privacydesk::store::audit::ChainReport;
use std::process::Command;
use std::sync::atomic::AtomicBool;

const LETTERS: usize = 1_000;

fn requests(count: usize) -> Vec<NewCase> {
    (0..count)
        .map(|i| sample_request(&format!("Requester {i}"), "2026-03-02T17:05:00Z"))
        .collect()
}

fn acknowledgments() -> BatchRequest {
    BatchRequest {
        kind: LetterKind::Acknowledgment,
        due_before: "2026-12-31".parse().unwrap(),
        fold_marks: true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_letters_batch_and_another_writer_never_collide_and_lose_nothing() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let inputs = requests(LETTERS + 50);
    let numbers = log_requests(&file, &inputs.iter().collect::<Vec<_>>(), now(), ACTOR)
        .await
        .unwrap();
    let (in_batch, others) = numbers.split_at(LETTERS);
    let listed = batch_cases(&file, &acknowledgments(), now()).await.unwrap();
    assert_eq!(listed.len(), LETTERS + 50);
    let batch_numbers: Vec<CaseNumber> = in_batch.to_vec();

    let printing = {
        let file = file.clone();
        tokio::spawn(async move {
            let never = AtomicBool::new(false);
            batch(
                &file,
                &batch_numbers,
                &acknowledgments(),
                now(),
                "Batch Officer",
                &never,
                std::io::sink(),
                |_, _| {},
            )
            .await
        })
    };
    let other_writer = {
        let file = file.clone();
        let others = others.to_vec();
        let first_batch_case = in_batch[LETTERS - 1];
        tokio::spawn(async move {
            for (i, number) in others.iter().enumerate() {
                let ack = Acknowledgment {
                    on: "2026-03-05".parse().unwrap(),
                    channel: Channel::Phone,
                };
                clocks::record_acknowledgment(&file, *number, &ack, now(), ACTOR).await?;
                lifecycle::add_note(&file, *number, &format!("Called back ({i})"), now(), ACTOR).await?;
                log_request(
                    &file,
                    &sample_request(&format!("Newcomer {i}"), "2026-03-03"),
                    now(),
                    ACTOR,
                )
                .await?;
            }
            // A case the batch prints last, confirmed by phone while the batch runs.
            lifecycle::add_note(&file, first_batch_case, "Confirmed by phone too", now(), ACTOR).await?;
            Ok::<_, privacydesk::service::ServiceError>(())
        })
    };
    other_writer.await.unwrap().expect("no write of the other writer fails");
    let outcome = printing.await.unwrap().expect("the batch does not fail");
    assert_eq!(
        outcome.letters + outcome.not_needed,
        LETTERS,
        "every case of the batch is printed or counted as no longer needing it"
    );
    assert_eq!(outcome.letters, LETTERS, "nobody confirmed the batch's cases meanwhile");
    assert!(outcome.skipped.is_empty(), "{:?}", outcome.skipped);

    // Nothing was lost: every note, acknowledgment, new case and letter is there.
    assert_eq!(list_cases(&file).await.unwrap().len(), LETTERS + 100);
    let count = |sql: &str| {
        let pool = file.pool().clone();
        let sql = sql.to_owned();
        async move { sqlx::query_scalar::<_, i64>(&sql).fetch_one(&pool).await.unwrap() }
    };
    assert_eq!(count("SELECT count(*) FROM case_note").await, 51);
    assert_eq!(count("SELECT count(*) FROM case_acknowledgment").await, 50);
    assert_eq!(count("SELECT count(*) FROM letter").await, LETTERS as i64);
    // … and the profile completed for letters.
    let expected_events = (LETTERS + 50) + LETTERS + 50 * 4 + 1 + 1;
    assert_eq!(
        verify_audit(&file).await.unwrap(),
        ChainReport::Intact {
            events: expected_events as i64,
            purged_payloads: 0
        },
        "creations, letters, and per other case: receipt, status, note, a new case; one more note"
    );
}

fn cli(t: &TempCaseFile, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_privacydesk"));
    c.arg("--db")
        .arg(t.db())
        .arg("--key-file")
        .arg(t.dir.path().join("case.key"))
        .args(args);
    c
}

#[tokio::test]
async fn two_processes_write_the_same_file_through_the_cli() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let inputs = requests(300);
    log_requests(&file, &inputs.iter().collect::<Vec<_>>(), now(), ACTOR)
        .await
        .unwrap();
    file.close().await;
    let out = t.dir.path().join("batch.pdf");
    let mut printing = cli(
        &t,
        &[
            "letters",
            "batch",
            "--kind",
            "acknowledgment",
            "--due-before",
            "2026-12-31",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .spawn()
    .unwrap();
    for i in 0..20 {
        let added = cli(
            &t,
            &[
                "case",
                "add",
                "--name",
                &format!("Second {i}"),
                "--email",
                "s@example.com",
                "--kinds",
                "delete",
                "--channel",
                "phone",
                "--received",
                "2026-03-04",
            ],
        )
        .output()
        .unwrap();
        assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
        let number = String::from_utf8_lossy(&added.stdout).trim().to_owned();
        let noted = cli(
            &t,
            &["case", "note", "--case", &number, "--text", "Logged while printing"],
        )
        .output()
        .unwrap();
        assert!(noted.status.success(), "{}", String::from_utf8_lossy(&noted.stderr));
    }
    assert!(
        printing.wait().unwrap().success(),
        "the batch process finishes without an error"
    );
    assert!(out.exists());
    let file = t.open_for_letters().await;
    assert_eq!(list_cases(&file).await.unwrap().len(), 320);
    assert!(matches!(verify_audit(&file).await.unwrap(), ChainReport::Intact { .. }));
    let letters: i64 = sqlx::query_scalar("SELECT count(*) FROM letter")
        .fetch_one(file.pool())
        .await
        .unwrap();
    assert!(letters >= 300, "every case due was printed: {letters}");
}
