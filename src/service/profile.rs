//! The organisation profile as the use cases see it: the time zone, the staff name at this
//! desk, and the versioned profile of who the business is.

use super::case_view::record_file_event;
use super::ServiceError;
use crate::domain::history::{AuditEvent, Subject};
use crate::domain::profile::OrganisationProfile;
use crate::store::{profile as profile_store, settings, CaseFile, StoreError, Tx};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The organisation's time zone: legal dates and the form's wall-clock times are taken there.
pub async fn time_zone(file: &CaseFile) -> Result<Tz, ServiceError> {
    Ok(settings::time_zone(&mut *file.read().await?).await?)
}

/// The time zones an organisation may choose (IANA names), for the profile form.
pub fn time_zones() -> Vec<String> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name().to_owned()).collect()
}

/// The name of the person at this desk, as the audit log names them; asked once on first start.
pub async fn staff_name(file: &CaseFile) -> Result<Option<String>, ServiceError> {
    Ok(settings::staff_name(&mut *file.read().await?).await?)
}

/// Keeps the staff name (trimmed, 1 to 100 characters); the change is in the history.
pub async fn set_staff_name(
    file: &CaseFile,
    name: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<String, ServiceError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut errors = crate::domain::ValidationErrors::default();
    if name.is_empty() {
        errors.add("name", "Enter your name: the case history records who did what.");
    } else if name.chars().count() > 100 {
        errors.add("name", "The name is longer than 100 characters.");
    }
    errors.into_result(())?;
    let mut tx = file.write().await?;
    let before = settings::staff_name(&mut tx).await?;
    if before.as_deref() != Some(name.as_str()) {
        settings::set_staff_name_in_tx(&mut tx, &name).await?;
        let event = AuditEvent::StaffNamed {
            from: before,
            to: name.clone(),
        };
        record_file_event(&mut tx, Subject::Staff, now, actor, event).await?;
        tx.commit().await?;
    }
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
    let stored = profile_store::current(&mut *file.read().await?)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the case file has no organisation profile".into()))?;
    view(stored)
}

/// Saves a new version of the profile from TOML (the Settings editor and `profile import`).
/// The text is checked first; an unchanged profile makes no new version. The version in force
/// is read inside the write, and the new version is in the history with the sections changed.
pub async fn save_profile(
    file: &CaseFile,
    document: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<ProfileView, ServiceError> {
    let profile = OrganisationProfile::from_toml(document)?;
    let mut tx = file.write().await?;
    save_in_tx(&mut tx, &profile, document, now, actor).await?;
    tx.commit().await?;
    current_profile(file).await
}

/// The profile form of the window: the profile and the organisation's time zone, checked
/// together (each problem named by its field) and saved in one write.
pub async fn save_profile_form(
    file: &CaseFile,
    profile: &OrganisationProfile,
    time_zone: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<ProfileView, ServiceError> {
    let mut errors = profile.validate().err().unwrap_or_default();
    let zone = crate::domain::time::parse_time_zone(time_zone.trim());
    if zone.is_err() {
        errors.add(
            "time_zone",
            "Choose the time zone from the list (a name such as America/Los_Angeles).",
        );
    }
    errors.into_result(())?;
    let zone = zone.expect("checked above");
    let mut tx = file.write().await?;
    save_in_tx(&mut tx, profile, &profile.to_toml(), now, actor).await?;
    let before = settings::time_zone(&mut tx).await?;
    if before != zone {
        settings::put_in_tx(&mut tx, "time_zone", zone.name()).await?;
        let event = AuditEvent::SettingsChanged {
            changes: vec![crate::domain::history::FieldChange {
                field: "time_zone".into(),
                before: Some(before.name().to_owned()),
                after: Some(zone.name().to_owned()),
            }],
        };
        record_file_event(&mut tx, Subject::Settings, now, actor, event).await?;
    }
    tx.commit().await?;
    current_profile(file).await
}

/// A new version of the profile, unless it is the one in force; with its history event.
async fn save_in_tx(
    tx: &mut Tx<'_>,
    profile: &OrganisationProfile,
    document: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    let current = profile_store::current(tx)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the case file has no organisation profile".into()))?;
    let before = OrganisationProfile::from_toml(&current.document)
        .map_err(|e| StoreError::Corrupt(format!("stored profile: {e}")))?;
    if before == *profile {
        return Ok(());
    }
    let version = profile_store::insert_in_tx(tx, document, actor, now).await?;
    let (a, b) = (super::json(&before)?, super::json(profile)?);
    let changed = match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => b.keys().filter(|k| a.get(*k) != b.get(*k)).cloned().collect(),
        _ => Vec::new(),
    };
    record_file_event(
        tx,
        Subject::Profile,
        now,
        actor,
        AuditEvent::ProfileSaved { version, changed },
    )
    .await
}
