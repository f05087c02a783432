//! Logging requests and reading the queue.

use super::ServiceError;
use crate::domain::{Case, NewCase};
use crate::store::{cases, settings, CaseFile};
use chrono::{DateTime, Utc};

/// Validates a request and stores it as a new case with the next number, in one transaction.
/// Legal dates are taken in the organisation's time zone as stored in the case file.
pub async fn log_request(file: &CaseFile, input: &NewCase, now: DateTime<Utc>) -> Result<Case, ServiceError> {
    let mut tx = file.pool().begin().await.map_err(crate::store::StoreError::from)?;
    let zone = settings::time_zone(&mut tx).await?;
    let valid = input.validate(now, zone)?;
    let case = cases::insert_in_tx(&mut tx, &valid, now).await?;
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
