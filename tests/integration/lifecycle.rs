//! The status lifecycle on a real case file: allowed moves only, a reason each time, who and why
//! in the history, and a move refused when the case moved meanwhile. And the staff name.

use crate::support::{find_case, history};
use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use privacydesk::domain::CaseStatus;
use privacydesk::service::intake::log_request;
use privacydesk::service::lifecycle::change_status;
use privacydesk::service::{profile, AppError, ErrorCode};

#[tokio::test]
async fn a_case_moves_forward_with_who_and_why_and_never_back() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let case = log_request(&file, &sample_request("Ana", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    let detail = change_status(
        &file,
        case.number,
        &crate::support::move_to(CaseStatus::Verifying, "Asked for two data points"),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    assert_eq!(detail.case.status, CaseStatus::Verifying);
    assert!(detail.next_statuses.contains(&CaseStatus::InProgress));

    let back: AppError = change_status(
        &file,
        case.number,
        &crate::support::move_to(CaseStatus::New, "undo"),
        now(),
        ACTOR,
    )
    .await
    .unwrap_err()
    .into();
    assert_eq!(back.code, ErrorCode::Validation);
    let no_reason: AppError = change_status(
        &file,
        case.number,
        &crate::support::move_to(CaseStatus::InProgress, " "),
        now(),
        ACTOR,
    )
    .await
    .unwrap_err()
    .into();
    assert_eq!(no_reason.fields[0].field, "reason");
    assert_eq!(
        find_case(&file, case.number).await.status,
        CaseStatus::Verifying,
        "refusals change nothing"
    );

    let events = history(&file, case.number).await;
    let last = events.last().unwrap();
    assert_eq!((last.action.as_str(), last.actor.as_str()), ("status.moved", ACTOR));
    assert_eq!(
        last.event,
        Some(privacydesk::domain::history::AuditEvent::StatusMoved {
            from: CaseStatus::New,
            to: CaseStatus::Verifying,
            reason: "Asked for two data points".into()
        })
    );
}

#[tokio::test]
async fn a_move_from_a_stale_view_is_refused_as_a_conflict() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let case = log_request(&file, &sample_request("Ana", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    // Another window moves the case on after this one showed it as new.
    change_status(
        &file,
        case.number,
        &crate::support::move_to(CaseStatus::Withdrawn, "Asked to stop"),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let mut seen_new = crate::support::move_to(CaseStatus::Verifying, "Asked for ID");
    seen_new.from = Some(CaseStatus::New);
    let err: AppError = change_status(&file, case.number, &seen_new, now(), ACTOR)
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.code, ErrorCode::Conflict, "a move from a stale view must not apply");
    assert_eq!(find_case(&file, case.number).await.status, CaseStatus::Withdrawn);
}

#[tokio::test]
async fn the_staff_name_is_kept_once_given() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    assert_eq!(profile::staff_name(&file).await.unwrap(), None);
    let err: AppError = profile::set_staff_name(&file, "   ", now(), ACTOR)
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(
        profile::set_staff_name(&file, "  Dana   Officer ", now(), ACTOR)
            .await
            .unwrap(),
        "Dana Officer"
    );
    file.close().await;
    assert_eq!(
        profile::staff_name(&t.open().await).await.unwrap().as_deref(),
        Some("Dana Officer")
    );
}

#[tokio::test]
async fn a_case_is_assigned_in_the_history_and_the_queue_filters_by_assignee() {
    use privacydesk::service::lifecycle::{assign, staff_names};
    use privacydesk::service::queue::queue;
    use privacydesk::store::queue::QueueQuery;
    let t = TempCaseFile::new();
    let file = t.open().await;
    let a = log_request(&file, &sample_request("Ana", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    log_request(&file, &sample_request("Bo", "2026-03-03"), now(), ACTOR)
        .await
        .unwrap();
    let detail = assign(&file, a.number, "  Dana   Officer ", now(), ACTOR)
        .await
        .unwrap();
    assert_eq!(detail.case.assignee.as_deref(), Some("Dana Officer"));
    let mine = queue(
        &file,
        &QueueQuery {
            assignee: Some("Dana Officer".into()),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    assert_eq!(mine.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [a.number]);
    let event = history(&file, a.number).await.pop().unwrap();
    assert_eq!(event.action, "case.assigned");
    assert_eq!(
        event.event,
        Some(privacydesk::domain::history::AuditEvent::Assigned {
            from: None,
            to: Some("Dana Officer".into())
        })
    );
    assert_eq!(staff_names(&file).await.unwrap(), ["Dana Officer", ACTOR]);
    assert_eq!(
        assign(&file, a.number, "", now(), ACTOR).await.unwrap().case.assignee,
        None,
        "unassigned"
    );
}
