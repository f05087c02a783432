//! Where a case stands and who handles it: forward-only status moves with a reason, and
//! assignment to a staff member, each in the case's history.

use super::cases::{case_detail, case_id, find_case, CaseDetail};
use super::ServiceError;
use crate::store::{audit, cases, CaseFile};
use chrono::{DateTime, Utc};

/// Moves a case along its lifecycle, with who and why in its history. Refused when the move is
/// not allowed, without a reason, or when the case moved meanwhile (then nothing is changed).
pub async fn change_status(
    file: &CaseFile,
    number: crate::domain::CaseNumber,
    to: crate::domain::CaseStatus,
    reason: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseDetail, ServiceError> {
    let from = find_case(file, number).await?.status;
    let reason = from.check_move(to, reason)?;
    let mut tx = file.begin().await?;
    let Some(case_id) = cases::set_status_in_tx(&mut tx, number, from, to, now).await? else {
        return Err(ServiceError::Conflict(format!(
            "Case {number} changed while you were looking at it; reload it and try again."
        )));
    };
    let before = serde_json::json!({ "status": from });
    let after = serde_json::json!({ "status": to, "reason": reason });
    audit::append_in_tx(
        &mut tx,
        case_id,
        number,
        now,
        actor,
        "status.changed",
        Some(&before),
        Some(&after),
    )
    .await?;
    crate::store::clocks::refresh_next_due_in_tx(&mut tx, &[case_id]).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    case_detail(file, number).await
}

/// Assigns a case to a staff member (or to nobody with an empty name); in the history.
pub async fn assign(
    file: &CaseFile,
    number: crate::domain::CaseNumber,
    assignee: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseDetail, ServiceError> {
    let assignee = assignee.split_whitespace().collect::<Vec<_>>().join(" ");
    if assignee.chars().count() > 100 {
        let mut errors = crate::domain::ValidationErrors::default();
        errors.add("assignee", "The name is longer than 100 characters.");
        return Err(errors.into());
    }
    let before = find_case(file, number).await?.assignee;
    let after = (!assignee.is_empty()).then_some(assignee);
    if before == after {
        return case_detail(file, number).await;
    }
    let mut tx = file.begin().await?;
    let case_id = case_id(&mut tx, number).await?;
    cases::assign_in_tx(&mut tx, case_id, after.as_deref(), now).await?;
    let (b, a) = (
        serde_json::json!({ "assignee": before }),
        serde_json::json!({ "assignee": after }),
    );
    audit::append_in_tx(
        &mut tx,
        case_id,
        number,
        now,
        actor,
        "case.assigned",
        Some(&b),
        Some(&a),
    )
    .await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    case_detail(file, number).await
}

/// The names of the staff known to this case file (acted on or assigned a case).
pub async fn staff_names(file: &CaseFile) -> Result<Vec<String>, ServiceError> {
    let mut conn = file.acquire().await?;
    Ok(cases::staff_names(&mut conn).await?)
}
