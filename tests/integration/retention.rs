//! Retention on a real encrypted file: a case ended more than 24 months ago is reduced to its
//! § 7101 record — it still verifies in the audit, its log line and the metrics are unchanged —
//! and none of its personal values remains in any table, the search index or a free page.

use crate::support::*;
use privacydesk::domain::{CaseStatus, RequestKind};
use privacydesk::letters::LetterKind;
use privacydesk::service::decisions::{record_response, ResponseInput};
use privacydesk::service::files::{add_attachment, NewAttachment};
use privacydesk::service::intake::log_request;
use privacydesk::service::letters::{produce, LetterRequest};
use privacydesk::service::lifecycle::{add_note, change_status};
use privacydesk::service::{history, records, retention, AppError};
use std::sync::atomic::AtomicBool;

#[tokio::test]
async fn a_reduced_case_keeps_its_section_7101_record_and_nothing_personal() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let mut request = sample_request("Zelda Quillfeather", "2026-03-02");
    request.requester.email = Some("zelda.q@example.com".into());
    request.kinds = vec![RequestKind::Delete];
    request.details.description = "Please erase the Marrowfield incident file".into();
    let number = log_request(&file, &request, now(), ACTOR).await.unwrap().number;
    // One that stays: still open.
    let open = log_request(&file, &sample_request("Ursula Brightwater", "2026-03-03"), now(), ACTOR)
        .await
        .unwrap()
        .number;
    add_note(&file, number, "Called back about the Xyzzyplugh matter", now(), ACTOR)
        .await
        .unwrap();
    add_attachment(
        &file,
        number,
        &NewAttachment {
            name: "request.txt".into(),
            media_type: "text/plain".into(),
            content: b"Zelda Quillfeather asks for deletion".to_vec(),
        },
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let (letter, _) = produce(
        &file,
        number,
        &LetterRequest::of(LetterKind::Acknowledgment),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    record_response(
        &file,
        number,
        &ResponseInput {
            kind: RequestKind::Delete,
            outcome: "denied".into(),
            denial_reason: Some("exempt".into()),
            basis: Some("105d8-legal-obligation".into()),
            on: "2026-03-09".parse().unwrap(),
        },
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    change_status(&file, number, &move_to(CaseStatus::Closed, "Answered"), now(), ACTOR)
        .await
        .unwrap();
    let log_before = records::records_log(
        &file,
        "2026-01-01".parse().unwrap(),
        "2026-12-31".parse().unwrap(),
        false,
    )
    .await
    .unwrap();
    let metrics_before = records::metrics(&file, 2026, false, now()).await.unwrap();

    // Not yet: the 24 months have not run, and a day inside them is refused.
    let plan = retention::plan(&file, None, now()).await.unwrap();
    assert!(plan.cases.is_empty());
    let e = AppError::from(
        retention::plan(&file, Some("2026-03-01".parse().unwrap()), now())
            .await
            .unwrap_err(),
    );
    assert!(e.message.contains("24 months"), "{e:?}");

    // Two years and more later: the dry run lists it, touching nothing; the run reduces it.
    let later = now() + chrono::Duration::days(800);
    let plan = retention::plan(&file, None, later).await.unwrap();
    assert_eq!(plan.cases, vec![number]);
    assert!(plan.dry_run);
    let mut seen = Vec::new();
    let report = retention::run(&file, None, later, ACTOR, &AtomicBool::new(false), |done, total| {
        seen.push((done, total))
    })
    .await
    .unwrap();
    assert_eq!(report.cases, vec![number]);
    assert_eq!((report.notes, report.files, report.letters), (1, 1, 1));
    assert!(report.history_payloads > 0);
    assert_eq!(seen, vec![(1, 1)]);
    // Once only.
    assert!(retention::plan(&file, None, later).await.unwrap().cases.is_empty());

    // The record stands, the chain verifies, the figures are the same.
    assert_eq!(
        records::records_log(
            &file,
            "2026-01-01".parse().unwrap(),
            "2026-12-31".parse().unwrap(),
            false
        )
        .await
        .unwrap(),
        log_before
    );
    assert_eq!(
        records::metrics(&file, 2026, false, now()).await.unwrap(),
        metrics_before
    );
    assert!(
        matches!(
            history::verify_audit(&file).await.unwrap(),
            privacydesk::store::audit::ChainReport::Intact { .. }
        ),
        "the chain verifies with the payloads gone"
    );
    let e = AppError::from(
        privacydesk::service::letters::archived_pdf(&file, letter.id)
            .await
            .unwrap_err(),
    );
    assert!(e.message.contains("reduced"), "{e:?}");
    let case = find_case(&file, number).await;
    assert_eq!(case.requester.name, "(removed)");
    assert_eq!(case.kinds, vec![RequestKind::Delete]);
    assert_eq!(find_case(&file, open).await.requester.name, "Ursula Brightwater");

    // Nothing of what went is in any page of the file (tables, search index, free pages). The
    // WAL is folded into the file first, so that what is read is the file as it now stands
    // (under load the checkpoint at close can come later than the read).
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(file.pool())
        .await
        .unwrap();
    let pages = pages_after_close(&t, file).await;
    for gone in [
        "Quillfeather",
        "zelda.q@example.com",
        "Marrowfield",
        "Xyzzyplugh",
        "asks for deletion",
    ] {
        assert!(!contains(&pages, gone), "{gone} is still in the file");
    }
    assert!(contains(&pages, "Brightwater"), "the open case keeps its requester");
}

#[tokio::test]
async fn the_dossier_reads_without_the_app_and_ends_with_the_chains_head() {
    use privacydesk::domain::verification::PointResult;
    use privacydesk::service::verification as verify;
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let mut request = sample_request("Ana Reyes", "2026-03-02");
    request.kinds = vec![RequestKind::Delete];
    let number = log_request(&file, &request, now(), ACTOR).await.unwrap().number;
    verify::check_point(
        &file,
        number,
        "employee-id",
        "E-90210",
        PointResult::Matched,
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let (letter, _) = produce(
        &file,
        number,
        &LetterRequest::of(LetterKind::Acknowledgment),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = t.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        tool("qpdf", &["--check", path.to_str().unwrap()]);
        let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
        assert!(!fonts.contains(" no "), "every font embedded: {fonts}");
        tool("pdftotext", &[path.to_str().unwrap(), "-"])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let pdf = privacydesk::service::dossier::dossier(&file, number, now())
        .await
        .unwrap();
    let text = write("dossier.pdf", &pdf);
    let (_, head) = history::head(&file).await.unwrap();
    for said in [
        "Case dossier PR-2026-00001",
        "Ana Reyes",
        "Identity verification",
        "matched",
        letter.sha256.as_str(),
        "The head of the chain",
        head.as_str(),
    ] {
        // Long hashes wrap inside their cells: compare without the breaks.
        let squeezed = text.replace(' ', "");
        assert!(squeezed.contains(&said.replace(' ', "")), "{said:?} in {text}");
    }
    assert!(!text.contains("E-90210"), "never a value the person gave: {text}");
    // The acknowledgment itself follows as pages.
    assert!(text.contains("follow the pages of letter 1"), "{text}");
    assert!(text.contains("Dear Ana Reyes"), "the letter's own text: {text}");

    // Reduced: it prints only what it still holds.
    change_status(
        &file,
        number,
        &move_to(CaseStatus::Withdrawn, "Withdrawn by phone"),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    retention::run(
        &file,
        None,
        now() + chrono::Duration::days(800),
        ACTOR,
        &AtomicBool::new(false),
        |_, _| {},
    )
    .await
    .unwrap();
    let pdf = privacydesk::service::dossier::dossier(&file, number, now())
        .await
        .unwrap();
    let text = write("reduced.pdf", &pdf);
    assert!(text.contains("reduced to its § 7101 record"), "{text}");
    assert!(!text.contains("Ana Reyes") && !text.contains("Franklin"), "{text}");
    assert!(
        !text.contains("follow the pages"),
        "the letters' pages went with the reduction: {text}"
    );
    assert!(text.contains("(details purged)"), "{text}");
}

/// A letter archived before migration 0008 has only its PDF: the dossier copies its pages from
/// it; and a selection of cases is one PDF that lists them first.
#[tokio::test]
async fn a_dossier_reproduces_letters_archived_before_their_pages_were_kept_and_holds_a_selection() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let first = log_request(&file, &sample_request("Ana Reyes", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap()
        .number;
    let second = log_request(&file, &sample_request("Bo Lindqvist", "2026-03-03"), now(), ACTOR)
        .await
        .unwrap()
        .number;
    for number in [first, second] {
        produce(
            &file,
            number,
            &LetterRequest::of(LetterKind::Acknowledgment),
            now(),
            ACTOR,
        )
        .await
        .unwrap();
    }
    // As a file from the release before 0008 holds it: the PDF, no layout.
    sqlx::query("UPDATE letter SET layout = NULL WHERE id = 1")
        .execute(file.pool())
        .await
        .unwrap();

    let pdf = privacydesk::service::dossier::dossier_of(&file, &[first, second, first], now())
        .await
        .unwrap();
    let path = t.dir.path().join("selection.pdf");
    std::fs::write(&path, &pdf).unwrap();
    tool("qpdf", &["--check", path.to_str().unwrap()]);
    let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
    assert!(!fonts.contains(" no "), "every font embedded: {fonts}");
    let text = tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages[0].contains("Case dossiers of 2 cases"), "{}", pages[0]);
    assert!(pages[0].contains("PR-2026-00001") && pages[0].contains("PR-2026-00002"));
    assert_eq!(
        text.matches("The head of the chain").count(),
        2,
        "each case once, though the first was named twice: {text}"
    );
    assert!(text.contains("reproduced from the archived PDF"), "{text}");
    // The archived letter comes last, copied page for page from its PDF; the other letter
    // (laid out again) follows its own case.
    let second_at = text.find("Case dossier PR-2026-00002").unwrap();
    let bo = text.find("Dear Bo Lindqvist").unwrap();
    let ana = text.find("Dear Ana Reyes").expect("the archived letter's own text");
    assert!(
        second_at < bo && bo < ana,
        "the archived letter ends the dossier: {text}"
    );
    assert!(pages.last().unwrap().contains("PR-2026-00001"), "its last page too");
    // Rendered, the archived page has its text (its fonts came with it).
    let png = t.dir.path().join("selection-last");
    let count = pages.len().to_string();
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "40",
            "-f",
            &count,
            "-l",
            &count,
            path.to_str().unwrap(),
            png.to_str().unwrap(),
        ],
    );

    // Nothing to print is refused with a reason.
    let none = privacydesk::service::dossier::selection(" , ;\n");
    assert!(
        matches!(none, Err(ref e) if e.to_string().contains("at least one case")),
        "{none:?}"
    );
    let typo = privacydesk::service::dossier::selection("PR-2026-00001, PR-26-1").unwrap_err();
    assert!(
        typo.to_string().contains("PR-26-1") || format!("{typo:?}").contains("PR-26-1"),
        "{typo:?}"
    );
    assert_eq!(
        privacydesk::service::dossier::selection("PR-2026-00001;PR-2026-00002\nPR-2026-00003")
            .unwrap()
            .len(),
        3
    );
}
