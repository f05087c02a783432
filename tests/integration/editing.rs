//! Editing a case and adding notes: checked like intake, refused over someone else's save
//! (optimistic concurrency), every change in the history, notes found by the search.

use crate::support::{find_case, history};
use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use privacydesk::service::history::verify_audit;
use privacydesk::service::intake::{edit_case, log_request};
use privacydesk::service::lifecycle::add_note;
use privacydesk::service::queue::queue;
use privacydesk::service::{AppError, ErrorCode};
use privacydesk::store::audit::ChainReport;
use privacydesk::store::queue::QueueQuery;

#[tokio::test]
async fn an_edit_replaces_the_intake_and_the_history_keeps_both_versions() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let case = log_request(&file, &sample_request("Jose Nunez", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    let mut fixed = sample_request("José Núñez", "2026-03-02");
    fixed.requester.email = Some("jose.nunez@example.com".into());
    fixed.details.description = "Delete my application records".into();
    let detail = edit_case(&file, case.number, case.version, &fixed, now(), "Second Officer")
        .await
        .unwrap();
    assert_eq!(detail.case.requester.name, "José Núñez");
    assert_eq!(detail.case.version, case.version + 1);
    assert_eq!(detail.case.number, case.number, "the number never changes");

    let events = history(&file, case.number).await;
    let edit = events.last().unwrap();
    assert_eq!(
        (edit.action.as_str(), edit.actor.as_str()),
        ("case.edited", "Second Officer")
    );
    let Some(privacydesk::domain::history::AuditEvent::CaseEdited { changes }) = &edit.event else {
        panic!("an edit event: {edit:?}");
    };
    let change = |field: &str| changes.iter().find(|c| c.field == field).cloned();
    let name = change("requester.name").expect("the name changed");
    assert_eq!(name.before.as_deref(), Some("Jose Nunez"));
    assert_eq!(
        change("requester.email").and_then(|c| c.after).as_deref(),
        Some("jose.nunez@example.com")
    );

    let found = queue(
        &file,
        &QueueQuery {
            search: Some("application".into()),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    assert_eq!(found.rows.len(), 1, "the search row follows the edit");
    assert!(matches!(verify_audit(&file).await.unwrap(), ChainReport::Intact { .. }));
}

#[tokio::test]
async fn the_second_of_two_edits_from_the_same_version_is_refused_and_nothing_is_lost() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let case = log_request(&file, &sample_request("Ana Reyes", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    let mut first = sample_request("Ana Reyes", "2026-03-02");
    first.details.description = "First window".into();
    let mut second = sample_request("Ana Reyes", "2026-03-02");
    second.details.description = "Second window".into();
    edit_case(&file, case.number, case.version, &first, now(), ACTOR)
        .await
        .unwrap();
    let err: AppError = edit_case(&file, case.number, case.version, &second, now(), ACTOR)
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("changed by someone else"), "{}", err.message);
    assert_eq!(
        find_case(&file, case.number).await.details.description,
        "First window",
        "the first save stands"
    );

    let mut invalid = sample_request("", "2026-03-02");
    invalid.kinds.clear();
    let current = find_case(&file, case.number).await;
    let err: AppError = edit_case(&file, case.number, current.version, &invalid, now(), ACTOR)
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.code, ErrorCode::Validation, "an edit is checked like an intake");
}

#[tokio::test]
async fn notes_are_kept_in_order_searchable_and_in_the_history() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let case = log_request(&file, &sample_request("Ana Reyes", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    add_note(
        &file,
        case.number,
        "Called back; she asked about payroll records",
        now(),
        "Dana",
    )
    .await
    .unwrap();
    let detail = add_note(&file, case.number, "  Sent the verification form  ", now(), ACTOR)
        .await
        .unwrap();
    let bodies: Vec<&str> = detail.notes.iter().map(|n| n.body.as_str()).collect();
    assert_eq!(
        bodies,
        [
            "Called back; she asked about payroll records",
            "Sent the verification form"
        ]
    );
    assert_eq!(detail.notes[0].author, "Dana");
    let err: AppError = add_note(&file, case.number, "   ", now(), ACTOR)
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.code, ErrorCode::Validation);
    let found = queue(
        &file,
        &QueueQuery {
            search: Some("verification form".into()),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    assert_eq!(found.rows.len(), 1);
    assert_eq!(
        history(&file, case.number)
            .await
            .iter()
            .filter(|e| e.action == "note.added")
            .count(),
        2
    );
}

#[tokio::test]
async fn an_email_becomes_a_case_with_the_message_attached_inside_the_encrypted_file() {
    use privacydesk::service::email::read_eml;
    use privacydesk::service::files::{add_attachment, save_attachment_copy, NewAttachment};
    let t = TempCaseFile::new();
    let file = t.open().await;
    let eml = "From: Zenobia Quackenbush <zq@example.com>\r\nSubject: Please delete my data\r\nDate: Mon, 2 Mar 2026 09:05:00 -0800\r\n\r\nI applied in 2024. Delete everything.\r\n";
    let email = read_eml(eml.as_bytes()).unwrap();
    let mut request = sample_request(&email.sender_name, email.sent_at.as_deref().unwrap());
    request.requester.email = email.sender_email.clone();
    request.details.description = email.description.clone();
    let case = log_request(&file, &request, now(), ACTOR).await.unwrap();
    let email_file = NewAttachment {
        name: "request.eml".into(),
        media_type: "message/rfc822".into(),
        content: eml.as_bytes().to_vec(),
    };
    let detail = add_attachment(&file, case.number, &email_file, now(), ACTOR)
        .await
        .unwrap();
    let attached = &detail.files[0];
    assert_eq!(
        (attached.name.as_str(), attached.size),
        ("request.eml", eml.len() as i64)
    );

    let found = queue(
        &file,
        &QueueQuery {
            search: Some("applied 2024".into()),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    assert_eq!(found.rows.len(), 1, "a word of the email's body finds the case");
    let event = history(&file, case.number).await.pop().unwrap();
    assert_eq!(event.action, "file.attached");
    let Some(privacydesk::domain::history::AuditEvent::FileAttached { sha256, .. }) = &event.event else {
        panic!("a file event: {event:?}");
    };
    assert_eq!(sha256, &attached.sha256);

    file.close().await;
    let bytes = crate::support::file_bytes(&t.db());
    assert!(
        !crate::support::contains(&bytes, "Delete everything"),
        "the attachment is encrypted with the case file"
    );
    let file = t.open().await;
    let out = t.dir.path().join("copies");
    let first = save_attachment_copy(&file, attached.id, &out).await.unwrap();
    let second = save_attachment_copy(&file, attached.id, &out).await.unwrap();
    assert_eq!(std::fs::read(&first).unwrap(), eml.as_bytes());
    assert_eq!(
        second.file_name().unwrap(),
        "request (2).eml",
        "an existing copy is never overwritten"
    );

    let empty = NewAttachment {
        name: "empty.txt".into(),
        media_type: String::new(),
        content: Vec::new(),
    };
    let err: AppError = add_attachment(&file, case.number, &empty, now(), ACTOR)
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.code, ErrorCode::Validation);
}
