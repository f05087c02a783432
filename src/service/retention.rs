//! The end of a case's life: a case that ended (closed, denied, withdrawn, not covered) more
//! than the profile's period ago (24 months unless it says more, 11 CCR § 7101(a)) is reduced to
//! its § 7101 record — dates, kinds, channel, outcomes per kind and denial bases stay; names,
//! contacts, addresses, the request's text, notes, files, e-mails, letters' bytes (their SHA-256
//! stays), specific pieces, statements and the history's payloads (their digests stay, so the
//! chain still verifies) go. A dry run lists what would go; a run reduces in batches, each one
//! write with one audited purge event, and can be cancelled between batches.

use super::ServiceError;
use crate::domain::history::PurgeScope;
use crate::domain::CaseNumber;
use crate::store::{self, CaseFile};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;

/// Cases reduced per write: each batch is one transaction and one purge event.
pub const BATCH: usize = 200;

/// What a run would reduce, or did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RetentionReport {
    /// Cases whose last change came before this day are reduced.
    #[ts(type = "string")]
    pub before: NaiveDate,
    pub dry_run: bool,
    /// The cases (all of them on a dry run; those reduced on a run).
    pub cases: Vec<CaseNumber>,
    /// What went, summed over the cases (on a run).
    #[ts(type = "number")]
    pub notes: u64,
    #[ts(type = "number")]
    pub files: u64,
    #[ts(type = "number")]
    pub letters: u64,
    #[ts(type = "number")]
    pub history_payloads: u64,
    /// The run was cancelled between batches (what was reduced before stays reduced).
    pub cancelled: bool,
}

/// The day before which ended cases are due: `before` when given (refused when later than the
/// profile's period allows), else today minus the period.
async fn cutoff(file: &CaseFile, before: Option<NaiveDate>, now: DateTime<Utc>) -> Result<NaiveDate, ServiceError> {
    let mut snapshot = file.read().await?;
    let (_, profile) = super::intake::intake_rules(&mut snapshot).await?;
    let today = super::case_view::today(&mut snapshot, now).await?;
    let months = profile.policy.reduce_after_months();
    let latest = today
        .checked_sub_months(chrono::Months::new(months))
        .ok_or_else(|| ServiceError::invalid("before", "The retention period reaches before the calendar."))?;
    match before {
        Some(day) if day > latest => Err(ServiceError::invalid(
            "before",
            format!(
                "--before {day} would reduce cases ended less than {months} months ago; the record is kept that long (11 CCR § 7101(a); the profile's policy). Give {latest} or earlier."
            ),
        )),
        Some(day) => Ok(day),
        None => Ok(latest),
    }
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).expect("midnight").and_utc()
}

/// What a run would reduce, touching nothing.
pub async fn plan(
    file: &CaseFile,
    before: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<RetentionReport, ServiceError> {
    let before = cutoff(file, before, now).await?;
    let due = store::retention::due(&mut *file.read().await?, start_of(before)).await?;
    Ok(RetentionReport {
        before,
        dry_run: true,
        cases: due.into_iter().map(|(_, n)| n).collect(),
        notes: 0,
        files: 0,
        letters: 0,
        history_payloads: 0,
        cancelled: false,
    })
}

/// Reduces the ended cases due, `BATCH` per write (each with its purge event), reading the
/// cases due again inside each write; `progress(done, total)` after each batch; stops between
/// cases once `cancel` is set (the cases of the batch reduced so far are committed). The search index is rewritten at the end so that no segment
/// keeps what went.
pub async fn run(
    file: &CaseFile,
    before: Option<NaiveDate>,
    now: DateTime<Utc>,
    actor: &str,
    cancel: &AtomicBool,
    mut progress: impl FnMut(usize, usize),
) -> Result<RetentionReport, ServiceError> {
    let before = cutoff(file, before, now).await?;
    let total = store::retention::due(&mut *file.read().await?, start_of(before))
        .await?
        .len();
    let mut report = RetentionReport {
        before,
        dry_run: false,
        cases: Vec::new(),
        notes: 0,
        files: 0,
        letters: 0,
        history_payloads: 0,
        cancelled: false,
    };
    loop {
        if cancel.load(Ordering::Relaxed) {
            report.cancelled = true;
            break;
        }
        let mut tx = file.write().await?;
        let due = store::retention::due(tx.conn(), start_of(before)).await?;
        if due.is_empty() {
            break;
        }
        let mut numbers = Vec::new();
        for (id, number) in due.into_iter().take(BATCH) {
            // Cancelled between cases: what this batch reduced so far is committed below.
            if cancel.load(Ordering::Relaxed) {
                report.cancelled = true;
                break;
            }
            super::verification::purge_in_tx(&mut tx, id, number, now, actor).await?;
            if let Some(removed) = store::retention::reduce_in_tx(&mut tx, id, now).await? {
                report.notes += removed.notes;
                report.files += removed.files;
                report.letters += removed.letters;
                numbers.push(number);
            }
        }
        if numbers.is_empty() {
            break;
        }
        let (last, _) = store::audit::head(tx.conn()).await?;
        report.history_payloads += store::audit::purge_in_tx(
            &mut tx,
            PurgeScope::Cases {
                numbers: numbers.clone(),
                before: last + 1,
            },
            &format!(
                "Retention: {} {} ended before {before} reduced to the § 7101 record (11 CCR § 7101(a)).",
                numbers.len(),
                if numbers.len() == 1 { "case" } else { "cases" }
            ),
            now,
            actor,
        )
        .await?;
        tx.commit().await?;
        report.cases.extend(numbers);
        progress(report.cases.len(), total);
        if report.cancelled {
            break;
        }
    }
    if !report.cases.is_empty() {
        let mut tx = file.write().await?;
        store::retention::compact_search(tx.conn()).await?;
        tx.commit().await?;
    }
    Ok(report)
}
