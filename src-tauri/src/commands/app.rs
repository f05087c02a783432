//! Whether the case file is open, and the facts the UI needs to show it.

use crate::state::AppState;
use privacydesk::domain::profile::OrganisationProfile;
use privacydesk::service::drafts::{self, IntakeDraft};
use privacydesk::service::profile::ProfileView;
use privacydesk::service::{profile, AppError};
use serde::Serialize;
use ts_rs::TS;

/// What the window shows first: the queue, or why the case file is not open.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppStatus {
    /// `null` when the case file is open; otherwise why it is not.
    pub error: Option<AppError>,
    /// The organisation's time zone (IANA name): the form's times are wall-clock times there.
    pub time_zone: Option<String>,
    /// The staff name kept for this desk; `null` until given (the window asks once).
    pub staff_name: Option<String>,
    pub version: String,
    /// What opening the case file did that the person should know (a write-ahead log that was
    /// not the file's own, set aside), as sentences.
    pub notices: Vec<String>,
}

pub async fn app_status(state: &AppState) -> Result<AppStatus, AppError> {
    let version = env!("CARGO_PKG_VERSION").to_owned();
    let file = match state.file() {
        Ok(file) => file,
        Err(error) => {
            return Ok(AppStatus {
                error: Some(error),
                time_zone: None,
                staff_name: None,
                version,
                notices: Vec::new(),
            })
        }
    };
    let zone = profile::time_zone(&file).await?;
    let staff_name = profile::staff_name(&file).await?;
    Ok(AppStatus {
        error: None,
        time_zone: Some(zone.name().to_owned()),
        staff_name,
        version,
        notices: file.notices().to_vec(),
    })
}

/// Keeps the name of the person at this desk; changes made from now on carry it.
pub async fn set_staff_name(state: &AppState, name: String) -> Result<String, AppError> {
    let name = profile::set_staff_name(&state.file()?, &name, state.clock.now(), &state.actor()).await?;
    state.set_actor(name.clone());
    Ok(name)
}

pub async fn current_profile(state: &AppState) -> Result<ProfileView, AppError> {
    Ok(profile::current_profile(&state.file()?).await?)
}

pub async fn save_profile(state: &AppState, document: String) -> Result<ProfileView, AppError> {
    Ok(profile::save_profile(&state.file()?, &document, state.clock.now(), &state.actor()).await?)
}

/// Saves the profile form: the profile and the organisation's time zone, in one write.
pub async fn save_profile_form(
    state: &AppState,
    profile_form: OrganisationProfile,
    time_zone: String,
) -> Result<ProfileView, AppError> {
    Ok(profile::save_profile_form(
        &state.file()?,
        &profile_form,
        &time_zone,
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}

/// The time zones the profile form offers.
pub async fn time_zones(_state: &AppState) -> Result<Vec<String>, AppError> {
    Ok(profile::time_zones())
}

/// The new request left half-typed at this desk, if any.
pub async fn intake_draft(state: &AppState) -> Result<Option<IntakeDraft>, AppError> {
    Ok(drafts::draft(&state.file()?).await?)
}

/// Keeps the new request as typed so far.
pub async fn save_intake_draft(state: &AppState, document: String) -> Result<(), AppError> {
    Ok(drafts::save_draft(&state.file()?, &document, state.clock.now()).await?)
}

/// Throws the draft away (logged, or given up).
pub async fn discard_intake_draft(state: &AppState) -> Result<(), AppError> {
    Ok(drafts::discard_draft(&state.file()?).await?)
}
