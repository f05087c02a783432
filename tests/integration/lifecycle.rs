//! The status lifecycle on a real case file: allowed moves only, a reason each time, who and why
//! in the history, and a move refused when the case moved meanwhile. And the staff name.

use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use privacydesk::domain::CaseStatus;
use privacydesk::service::cases::{find_case, history, log_request};
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
        CaseStatus::Verifying,
        "Asked for two data points",
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    assert_eq!(detail.case.status, CaseStatus::Verifying);
    assert!(detail.next_statuses.contains(&CaseStatus::InProgress));

    let back: AppError = change_status(&file, case.number, CaseStatus::New, "undo", now(), ACTOR)
        .await
        .unwrap_err()
        .into();
    assert_eq!(back.code, ErrorCode::Validation);
    let no_reason: AppError = change_status(&file, case.number, CaseStatus::InProgress, " ", now(), ACTOR)
        .await
        .unwrap_err()
        .into();
    assert_eq!(no_reason.fields[0].field, "reason");
    assert_eq!(
        find_case(&file, case.number).await.unwrap().status,
        CaseStatus::Verifying,
        "refusals change nothing"
    );

    let events = history(&file, case.number).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!((last.action.as_str(), last.actor.as_str()), ("status.changed", ACTOR));
    assert_eq!(last.before.as_ref().unwrap()["status"], "new");
    assert_eq!(last.after.as_ref().unwrap()["reason"], "Asked for two data points");
}

#[tokio::test]
async fn a_move_from_a_stale_view_is_refused_as_a_conflict() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let case = log_request(&file, &sample_request("Ana", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    // Another window moves the case on between this one's read and its write.
    sqlx::query("UPDATE privacy_case SET status = 'withdrawn' WHERE number = ?1")
        .bind(case.number.to_string())
        .execute(file.pool())
        .await
        .unwrap();
    let stale = privacydesk::store::cases::set_status_in_tx(
        &mut file.pool().acquire().await.unwrap(),
        case.number,
        CaseStatus::New,
        CaseStatus::Verifying,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(stale, None, "a write that expects the old status must not apply");
    assert_eq!(
        find_case(&file, case.number).await.unwrap().status,
        CaseStatus::Withdrawn
    );
}

#[tokio::test]
async fn the_staff_name_is_kept_once_given() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    assert_eq!(profile::staff_name(&file).await.unwrap(), None);
    let err: AppError = profile::set_staff_name(&file, "   ").await.unwrap_err().into();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(
        profile::set_staff_name(&file, "  Dana   Officer ").await.unwrap(),
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
    use privacydesk::service::deadlines::queue;
    use privacydesk::service::lifecycle::{assign, staff_names};
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
    assert_eq!(mine.rows.iter().map(|r| r.case.number).collect::<Vec<_>>(), [a.number]);
    let event = history(&file, a.number).await.unwrap().pop().unwrap();
    assert_eq!(event.action, "case.assigned");
    assert_eq!(event.after.as_ref().unwrap()["assignee"], "Dana Officer");
    assert_eq!(staff_names(&file).await.unwrap(), ["Dana Officer", ACTOR]);
    assert_eq!(
        assign(&file, a.number, "", now(), ACTOR).await.unwrap().case.assignee,
        None,
        "unassigned"
    );
}
