//! Batches: every letter a clock calls for, due by a date, produced and archived one case at a
//! time (each in its own write, so other writers get their turn between letters and a cancelled
//! batch keeps what it printed), and one PDF of them all for the printer, streamed to its file
//! as the batch goes (each letter is in it before its write commits).

use super::super::case_view::clock_record;
use super::super::case_view::find_case;
use super::super::ServiceError;
use super::compose::{mailable, sender, LetterRequest};
use super::produce::produce_in_tx;
use crate::domain::deadline::ClockKind;
use crate::domain::time::legal_date;
use crate::domain::CaseNumber;
use crate::letters::pdf::{PdfInfo, Press, PrinterPdf};
use crate::letters::{spec, LetterKind};
use crate::store::letters as letter_store;
use crate::store::{settings, CaseFile, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;

fn yes() -> bool {
    true
}

/// Which letters a batch prints.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct BatchRequest {
    pub kind: LetterKind,
    /// Cases whose clock for this kind is due on or before this date (and still pending).
    #[ts(type = "string")]
    pub due_before: NaiveDate,
    #[serde(default = "yes")]
    pub fold_marks: bool,
}

/// A printed batch: one PDF of every letter, and the cases left out with the reason.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchOutcome {
    #[ts(type = "number")]
    pub letters: usize,
    /// The archived letters, in the order printed.
    #[ts(type = "Array<number>")]
    pub letter_ids: Vec<i64>,
    #[ts(type = "number")]
    pub pages: usize,
    pub skipped: Vec<BatchSkip>,
    /// Cases that no longer needed the letter when their turn came (met or printed meanwhile).
    #[ts(type = "number")]
    pub not_needed: usize,
    /// Why the batch stopped before the end (a broken template); the letters before it are kept.
    pub stopped: Option<String>,
    pub cancelled: bool,
    /// Where the printer PDF was written (the window's Downloads folder; the CLI's `--out`).
    pub saved_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchSkip {
    pub number: CaseNumber,
    pub reason: String,
}

/// What a batch would do, said before it runs: the cases it can print, the ones it cannot
/// (each with the reason and what to do), and, when no letter can be printed at all, why.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchPlan {
    pub printable: Vec<CaseNumber>,
    pub cannot: Vec<BatchSkip>,
    /// Why nothing can be printed yet (the profile lacks a signatory or a return address).
    pub blocked: Option<String>,
}

/// The plan of a batch of `request` (one snapshot): [`batch_cases`], each checked for what a
/// mailed letter needs from the case.
pub async fn batch_plan(
    file: &CaseFile,
    request: &BatchRequest,
    now: DateTime<Utc>,
) -> Result<BatchPlan, ServiceError> {
    let numbers = batch_cases(file, request, now).await?;
    let mut snapshot = file.read().await?;
    let sender = sender(&mut snapshot).await?;
    let (mut printable, mut cannot) = (Vec::new(), Vec::new());
    for number in numbers {
        let case = find_case(&mut snapshot, number).await?;
        match mailable(&case) {
            Ok(()) => printable.push(number),
            Err(e) => cannot.push(BatchSkip {
                number,
                reason: e.to_string(),
            }),
        }
    }
    Ok(BatchPlan {
        printable,
        cannot,
        blocked: sender.profile.not_ready_for_letters(),
    })
}

/// The cases a batch of `kind` would print, in due-date order.
pub async fn batch_cases(
    file: &CaseFile,
    request: &BatchRequest,
    now: DateTime<Utc>,
) -> Result<Vec<CaseNumber>, ServiceError> {
    let clock = batch_clock(request.kind)?;
    let mut snapshot = file.read().await?;
    let rules = settings::date_rules(&mut snapshot).await?;
    let today = legal_date(now, rules.time_zone);
    let clock_settings = &rules.clocks;
    let calendar = clock_settings.business_calendar();
    // A case whose letter of this kind is archived already is not printed twice.
    let printed = letter_store::cases_with(&mut snapshot, request.kind.token()).await?;
    let mut due: Vec<(NaiveDate, CaseNumber)> = crate::store::clocks::open_cases(&mut snapshot)
        .await?
        .into_iter()
        .filter(|record| !printed.contains(&record.id))
        .flat_map(|record| {
            crate::domain::clock::pending(&record.facts, today, &calendar, clock_settings.rules())
                .into_iter()
                .filter(|p| p.clock == clock && p.due <= request.due_before)
                .map(move |p| (p.due, record.number))
        })
        .collect();
    due.sort();
    Ok(due.into_iter().map(|(_, n)| n).collect())
}

/// Produces and archives the letter of every case in `numbers` (each in its own write, so a
/// cancelled batch keeps what it printed, and other writers get their turn between letters),
/// writing each into one printer PDF on `printer` before its write commits, and calling
/// `progress(done, total)` after each. A case that cannot get the letter (no postal address, a
/// name the fonts cannot print) is listed with the reason; one that no longer needs it (its
/// clock met, or its letter printed meanwhile) is counted. A broken template stops the batch
/// with the reason, keeping what was printed. `cancel` stops after the letter in hand. When
/// the printer PDF cannot be written, the letter in hand is not archived and the batch fails
/// saying how many were.
#[allow(clippy::too_many_arguments)]
pub async fn batch<W: std::io::Write + Send>(
    file: &CaseFile,
    numbers: &[CaseNumber],
    request: &BatchRequest,
    now: DateTime<Utc>,
    actor: &str,
    cancel: &AtomicBool,
    printer: W,
    mut progress: impl FnMut(usize, usize),
) -> Result<BatchOutcome, ServiceError> {
    let mut letter_ids = Vec::new();
    let mut skipped = Vec::new();
    let mut not_needed = 0;
    let mut stopped = None;
    let sender = sender(&mut *file.read().await?).await?;
    sender.ready()?;
    let clock = batch_clock(request.kind)?;
    let title = format!("{} letters, {}", spec::spec(request.kind).label, now.format("%Y-%m-%d"));
    let info = PdfInfo {
        title: &title,
        author: &sender.profile.name,
        created: now,
    };
    let unwritten = |e: std::io::Error, archived: usize| {
        ServiceError::Io(format!(
            "The printer PDF could not be written: {e}. The batch stopped; the {archived} letters \
             before it are archived with their cases (each can be printed from its case)."
        ))
    };
    let mut press = Press::new(sender.logo.as_deref());
    let mut out = PrinterPdf::new(printer).map_err(|e| unwritten(e, 0))?;
    let letter_request = LetterRequest {
        fold_marks: request.fold_marks,
        ..LetterRequest::of(request.kind)
    };
    for (i, number) in numbers.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let mut tx = file.write().await?;
        if !still_needed(&mut tx, *number, request.kind, clock, now).await? {
            not_needed += 1;
            progress(i + 1, numbers.len());
            continue;
        }
        match produce_in_tx(&mut tx, &sender, &mut press, *number, &letter_request, now, actor).await {
            Ok((letter, _, pressed)) => {
                // The printer PDF holds the same pages, in the same fonts, as the archived letter.
                out.add(&pressed).map_err(|e| unwritten(e, letter_ids.len()))?;
                tx.commit().await?;
                letter_ids.push(letter.id);
            }
            Err(ServiceError::Invalid(e)) => {
                drop(tx);
                skipped.push(BatchSkip {
                    number: *number,
                    reason: e.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" "),
                });
            }
            Err(ServiceError::LetterBroken(reason)) => {
                stopped = Some(format!(
                    "The batch stopped at {number}: {reason} Fix the template in Settings › Letter templates; the letters printed before it are kept."
                ));
                break;
            }
            Err(e) => return Err(e),
        }
        progress(i + 1, numbers.len());
    }
    let cancelled = cancel.load(Ordering::Relaxed);
    let pages = out.pages();
    out.finish(&info).map_err(|e| unwritten(e, letter_ids.len()))?;
    Ok(BatchOutcome {
        letters: letter_ids.len(),
        letter_ids,
        pages,
        skipped,
        not_needed,
        stopped,
        cancelled,
        saved_to: None,
    })
}

/// The clock a batch of this kind of letter answers (its spec says).
fn batch_clock(kind: LetterKind) -> Result<ClockKind, ServiceError> {
    let spec = spec::spec(kind);
    spec.answers.ok_or_else(|| {
        ServiceError::invalid(
            "kind",
            format!(
                "A batch prints letters that a clock calls for (acknowledgments, opt-out confirmations); \
                 {} letters are written one case at a time.",
                spec.label.to_lowercase()
            ),
        )
    })
}

/// Whether a case still needs the batch's letter, read inside the write that would print it:
/// its clock still pending and no letter of the kind archived.
async fn still_needed(
    tx: &mut Tx<'_>,
    number: CaseNumber,
    kind: LetterKind,
    clock: ClockKind,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let record_ = clock_record(tx, number).await?;
    if !crate::domain::CaseStatus::OPEN.contains(&record_.status) {
        return Ok(false);
    }
    let rules = settings::date_rules(tx).await?;
    let today = legal_date(now, rules.time_zone);
    let pending = crate::domain::clock::pending(
        &record_.facts,
        today,
        &rules.clocks.business_calendar(),
        rules.clocks.rules(),
    )
    .iter()
    .any(|p| p.clock == clock);
    Ok(pending
        && !letter_store::for_case(tx, record_.id)
            .await?
            .iter()
            .any(|l| l.kind == kind))
}
