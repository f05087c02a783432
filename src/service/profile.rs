//! The organisation profile as the use cases see it.

use super::ServiceError;
use crate::store::{settings, CaseFile, StoreError};
use chrono_tz::Tz;

/// The organisation's time zone: legal dates and the form's wall-clock times are taken there.
pub async fn time_zone(file: &CaseFile) -> Result<Tz, ServiceError> {
    let mut conn = file.pool().acquire().await.map_err(StoreError::from)?;
    Ok(settings::time_zone(&mut conn).await?)
}

/// The name of the person at this desk, as the audit log names them; asked once on first start.
pub async fn staff_name(file: &CaseFile) -> Result<Option<String>, ServiceError> {
    let mut conn = file.pool().acquire().await.map_err(StoreError::from)?;
    Ok(settings::staff_name(&mut conn).await?)
}

/// Keeps the staff name (trimmed, 1 to 100 characters).
pub async fn set_staff_name(file: &CaseFile, name: &str) -> Result<String, ServiceError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut errors = crate::domain::ValidationErrors::default();
    if name.is_empty() {
        errors.add("name", "Enter your name: the case history records who did what.");
    } else if name.chars().count() > 100 {
        errors.add("name", "The name is longer than 100 characters.");
    }
    errors.into_result(())?;
    let mut conn = file.pool().acquire().await.map_err(StoreError::from)?;
    settings::set_staff_name(&mut conn, &name).await?;
    Ok(name)
}
