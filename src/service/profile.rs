//! The organisation profile as the use cases see it.

use super::ServiceError;
use crate::store::{settings, CaseFile, StoreError};
use chrono_tz::Tz;

/// The organisation's time zone: legal dates and the form's wall-clock times are taken there.
pub async fn time_zone(file: &CaseFile) -> Result<Tz, ServiceError> {
    let mut conn = file.pool().acquire().await.map_err(StoreError::from)?;
    Ok(settings::time_zone(&mut conn).await?)
}
