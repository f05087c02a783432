//! The organisation profile as the use cases see it: the time zone, the staff name at this
//! desk, and the versioned profile of who the business is.

use super::ServiceError;
use crate::domain::profile::OrganisationProfile;
use crate::store::{profile as profile_store, settings, CaseFile, StoreError};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The organisation's time zone: legal dates and the form's wall-clock times are taken there.
pub async fn time_zone(file: &CaseFile) -> Result<Tz, ServiceError> {
    let mut conn = file.acquire().await?;
    Ok(settings::time_zone(&mut conn).await?)
}

/// The name of the person at this desk, as the audit log names them; asked once on first start.
pub async fn staff_name(file: &CaseFile) -> Result<Option<String>, ServiceError> {
    let mut conn = file.acquire().await?;
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
    let mut conn = file.acquire().await?;
    settings::set_staff_name(&mut conn, &name).await?;
    Ok(name)
}

/// The profile in force, with its version and what is missing for letters.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct ProfileView {
    #[ts(type = "number")]
    pub version: i64,
    pub saved_at: String,
    pub saved_by: String,
    pub profile: OrganisationProfile,
    /// The profile as TOML, for editing and export.
    pub document: String,
    pub warnings: Vec<String>,
}

fn view(stored: profile_store::StoredProfile) -> Result<ProfileView, ServiceError> {
    let profile = OrganisationProfile::from_toml(&stored.document)
        .map_err(|e| StoreError::Corrupt(format!("stored profile version {}: {e}", stored.version)))?;
    Ok(ProfileView {
        version: stored.version,
        saved_at: stored.saved_at,
        saved_by: stored.saved_by,
        warnings: profile.warnings(),
        profile,
        document: stored.document,
    })
}

/// The profile in force.
pub async fn current_profile(file: &CaseFile) -> Result<ProfileView, ServiceError> {
    let mut conn = file.acquire().await?;
    let stored = profile_store::current(&mut conn)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the case file has no organisation profile".into()))?;
    view(stored)
}

/// Saves a new version of the profile from TOML (the Settings editor and `profile import`).
/// The text is checked first; an unchanged profile makes no new version.
pub async fn save_profile(
    file: &CaseFile,
    document: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<ProfileView, ServiceError> {
    let profile = OrganisationProfile::from_toml(document)?;
    let current = current_profile(file).await?;
    if current.profile == profile {
        return Ok(current);
    }
    let mut tx = file.begin().await?;
    profile_store::insert_in_tx(&mut tx, document, actor, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    current_profile(file).await
}
