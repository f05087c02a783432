//! Logging requests and reading the queue.

use super::ServiceError;
use crate::domain::{Case, NewCase};
use crate::store::{audit, cases, settings, CaseFile};
use chrono::{DateTime, Utc};

/// Validates a request and stores it as a new case with the next number, with its
/// `case.created` event, in one transaction.
/// Legal dates are taken in the organisation's time zone as stored in the case file.
pub async fn log_request(
    file: &CaseFile,
    input: &NewCase,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Case, ServiceError> {
    let mut tx = file.pool().begin().await.map_err(crate::store::StoreError::from)?;
    let zone = settings::time_zone(&mut tx).await?;
    let stored = crate::store::profile::current(&mut tx)
        .await?
        .ok_or_else(|| crate::store::StoreError::Corrupt("the case file has no organisation profile".into()))?;
    let profile = crate::domain::profile::OrganisationProfile::from_toml(&stored.document)
        .map_err(|e| crate::store::StoreError::Corrupt(format!("stored profile: {e}")))?;
    let valid = input.validate(now, zone, &profile)?;
    let (case_id, case) = cases::insert_in_tx(&mut tx, &valid, now).await?;
    let after = serde_json::to_value(&case).map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
    audit::append_in_tx(
        &mut tx,
        case_id,
        case.number,
        now,
        actor,
        "case.created",
        None,
        Some(&after),
    )
    .await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(case)
}

/// Every case, newest received first.
pub async fn list_cases(file: &CaseFile) -> Result<Vec<Case>, ServiceError> {
    let mut conn = file.pool().acquire().await.map_err(crate::store::StoreError::from)?;
    Ok(cases::list(&mut conn).await?)
}

/// One case by its number.
pub async fn find_case(file: &CaseFile, number: crate::domain::CaseNumber) -> Result<Case, ServiceError> {
    let mut conn = file.pool().acquire().await.map_err(crate::store::StoreError::from)?;
    cases::find(&mut conn, number)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("Case {number}")))
}

/// Everything that happened to a case, oldest first.
pub async fn history(
    file: &CaseFile,
    number: crate::domain::CaseNumber,
) -> Result<Vec<audit::CaseEvent>, ServiceError> {
    let mut conn = file.pool().acquire().await.map_err(crate::store::StoreError::from)?;
    find_case(file, number).await?;
    Ok(audit::for_case(&mut conn, number).await?)
}

/// Checks the whole audit chain.
pub async fn verify_audit(file: &CaseFile) -> Result<audit::ChainReport, ServiceError> {
    let mut conn = file.pool().acquire().await.map_err(crate::store::StoreError::from)?;
    Ok(audit::verify(&mut conn).await?)
}

/// A case with the statuses it may move to next.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct CaseDetail {
    pub case: Case,
    pub next_statuses: Vec<crate::domain::CaseStatus>,
}

/// One case and where it may go next.
pub async fn case_detail(file: &CaseFile, number: crate::domain::CaseNumber) -> Result<CaseDetail, ServiceError> {
    let case = find_case(file, number).await?;
    Ok(CaseDetail {
        next_statuses: case.status.next().to_vec(),
        case,
    })
}

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
    let mut tx = file.pool().begin().await.map_err(crate::store::StoreError::from)?;
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
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    case_detail(file, number).await
}
