//! What intake points out before a request is logged: open cases that look like they come from
//! the same person, and the twice-in-12-months limit on requests to know (§ 1798.130(b)).
//! Advice only; nothing here refuses a request.

use super::ServiceError;
use crate::store::{cases, settings, CaseFile};
use chrono::{DateTime, Utc};

/// An open case that looks like it comes from the same person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct DuplicateHint {
    pub number: crate::domain::CaseNumber,
    pub name: String,
    pub status: crate::domain::CaseStatus,
    /// "same email", "same phone", "same name and address".
    pub reasons: Vec<String>,
}

/// What intake should point out before a request is logged.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct IntakeWarnings {
    pub duplicates: Vec<DuplicateHint>,
    /// Set when the person has had two responses to requests to know in the last 12 months:
    /// the business need not provide the information a third time (§ 1798.130(b)).
    #[ts(optional = nullable)]
    pub know_limit: Option<String>,
}

/// Open cases from the same person (same email, phone, or name and postal address), and, for a
/// request to know, whether the twice-in-12-months limit of § 1798.130(b) is reached. Advice
/// only: nothing stops the request from being logged.
pub async fn intake_warnings(
    file: &CaseFile,
    requester: &crate::domain::Requester,
    kinds: &[crate::domain::RequestKind],
    now: DateTime<Utc>,
) -> Result<IntakeWarnings, ServiceError> {
    use crate::domain::{CaseStatus, RequestKind};
    let cleaned = requester.validated(&mut crate::domain::ValidationErrors::default());
    let keys = cleaned.match_keys();
    if keys.email.is_none() && keys.phone.is_none() && keys.postal_code.is_none() {
        return Ok(IntakeWarnings::default());
    }
    let mut conn = file.read().await?;
    let today = crate::domain::time::legal_date(now, settings::time_zone(&mut conn).await?);
    let similar = cases::similar(&mut conn, &keys).await?;
    let parse_number = |n: &str| n.parse().map_err(|e: String| crate::store::StoreError::Corrupt(e));

    let mut duplicates = Vec::new();
    for s in similar
        .iter()
        .filter(|s| s.same_email || s.same_phone || s.same_name_and_address)
    {
        let status: CaseStatus = s
            .status
            .parse()
            .map_err(|e: crate::domain::request::UnknownToken| crate::store::StoreError::Corrupt(e.to_string()))?;
        if !CaseStatus::OPEN.contains(&status) {
            continue;
        }
        let reasons = [
            (s.same_email, "same email"),
            (s.same_phone, "same phone"),
            (s.same_name_and_address, "same name and address"),
        ]
        .iter()
        .filter(|(hit, _)| *hit)
        .map(|(_, why)| (*why).to_owned())
        .collect();
        duplicates.push(DuplicateHint {
            number: parse_number(&s.number)?,
            name: s.name.clone(),
            status,
            reasons,
        });
    }

    let asks_to_know = kinds
        .iter()
        .any(|k| matches!(k, RequestKind::KnowCategories | RequestKind::KnowSpecific));
    let year_ago = today - chrono::Months::new(12);
    let answered: Vec<&str> = similar
        .iter()
        .filter(|s| s.knows && (s.same_email || s.same_phone || s.same_name_and_address))
        .filter(|s| {
            s.responded_on
                .as_deref()
                .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                .is_some_and(|d| d > year_ago && d <= today)
        })
        .map(|s| s.number.as_str())
        .collect();
    let know_limit = (asks_to_know && answered.len() >= 2).then(|| {
        format!(
            "This person has had {} responses to requests to know in the last 12 months ({}); the business is not obliged to provide the information more than twice in 12 months (§ 1798.130(b)).",
            answered.len(),
            answered.join(", ")
        )
    });
    Ok(IntakeWarnings { duplicates, know_limit })
}
