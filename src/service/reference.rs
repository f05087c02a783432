//! Matching what a person gives against the organisation's system of record without holding
//! that record in the clear (11 CCR § 7062: data points matched against reliable data the
//! business holds). Staff load an extract (CSV: an identifier, then one column per data point
//! of the profile); the case file keeps only a keyed hash (HMAC-SHA-256, under a key made for
//! the extract and kept inside the encrypted file) of each normalised value. A point the person
//! gives is then hashed the same way and looked up: staff see whether the record it belongs to
//! holds the same value, and confirm. Loading a new extract replaces the old one, key and all.
//! The extract never enters the search index, the history (only how many records and which
//! data points) or a letter.

use super::case_view::{case_id, record_file_event};
use super::intake::intake_rules;
use super::ServiceError;
use crate::domain::history::{AuditEvent, Subject};
use crate::domain::verification::{normalise, PointResult, VerificationPolicy};
use crate::domain::CaseNumber;
use crate::store::reference::{self as store, ExtractRecord};
use crate::store::{verification as verification_store, CaseFile, Conn};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use std::collections::HashSet;
use ts_rs::TS;

/// The extract in force, as staff see it (no value, no identifier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReferenceExtract {
    #[ts(type = "number")]
    pub records: u64,
    /// The data points it holds (profile codes).
    pub fields: Vec<String>,
    #[ts(type = "string")]
    pub loaded_at: DateTime<Utc>,
    pub loaded_by: String,
}

/// What the extract says of a value a person gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct PointMatch {
    /// `matched`: the record that best fits what the person gave holds this value;
    /// `not-matched`: it holds another (or no record holds it); `not-held`: the extract has no
    /// value for this data point in that record.
    pub result: PointResult,
    /// How many of the details given for the case (this one included) that record matches.
    pub agreeing: u32,
}

fn digest(key: &[u8], field: &str, value: &str) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    // The field is part of what is hashed, so a value matches only under its own data point.
    mac.update(field.as_bytes());
    mac.update(&[0]);
    mac.update(normalise(field, value).as_bytes());
    mac.finalize().into_bytes().into()
}

pub async fn extract(file: &CaseFile) -> Result<Option<ReferenceExtract>, ServiceError> {
    Ok(store::current(&mut *file.read().await?).await?.map(summary))
}

fn summary(e: ExtractRecord) -> ReferenceExtract {
    ReferenceExtract {
        records: e.records,
        fields: e.fields,
        loaded_at: e.loaded_at,
        loaded_by: e.loaded_by,
    }
}

/// The data-point columns of an extract's header, after the identifier; refused, with the
/// reason, when a column is not a data point of the profile or comes twice.
fn columns(header: &csv::StringRecord, policy: &VerificationPolicy) -> Result<Vec<String>, ServiceError> {
    let bad = |m: String| ServiceError::invalid("extract", m);
    let mut names = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned());
    match names.next() {
        Some(id) if !id.is_empty() => {}
        _ => {
            return Err(bad(
                "Line 1: the first column must name the record's identifier (for example “id”).".into(),
            ))
        }
    }
    let codes: Vec<&str> = policy.data_points.iter().map(|d| d.code.as_str()).collect();
    let mut fields = Vec::new();
    for name in names {
        let code = name.to_ascii_lowercase();
        if !codes.contains(&code.as_str()) {
            return Err(bad(format!(
                "Line 1: the column “{name}” is not a data point of the profile; the columns after the identifier must be among: {}.",
                codes.join(", ")
            )));
        }
        if fields.contains(&code) {
            return Err(bad(format!("Line 1: the column “{name}” comes twice.")));
        }
        fields.push(code);
    }
    if fields.is_empty() {
        return Err(bad(format!(
            "Line 1: after the identifier, give at least one data point column ({}).",
            codes.join(", ")
        )));
    }
    Ok(fields)
}

/// Loads a system-of-record extract, replacing the one in force, in one write: every row is
/// read and hashed as it comes (the memory used does not grow with the values), and any bad
/// row refuses the whole file, naming its line, with nothing changed.
pub async fn load(
    file: &CaseFile,
    csv_bytes: impl std::io::Read,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<ReferenceExtract, ServiceError> {
    let bad = |m: String| ServiceError::invalid("extract", m);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(csv_bytes);
    let mut tx = file.write().await?;
    let (_, profile) = intake_rules(tx.conn()).await?;
    let header = reader
        .headers()
        .map_err(|e| bad(format!("Line 1: the header cannot be read: {e}.")))?
        .clone();
    let fields = columns(&header, &profile.verification)?;
    let mut key = vec![0u8; 32];
    getrandom::fill(&mut key)
        .map_err(|e| ServiceError::invalid("extract", format!("No random key could be made: {e}.")))?;
    store::clear_in_tx(&mut tx).await?;
    let mut identifiers: HashSet<[u8; 32]> = HashSet::new();
    let mut batch: Vec<(i64, &str, [u8; 32])> = Vec::with_capacity(4096);
    let mut records: u64 = 0;
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            bad(match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
                    "Line {line}: {len} columns where the header has {expected_len}; every record must have a cell for each column (empty when the record has no value)."
                ),
                _ => format!("Line {line}: {e}."),
            })
        })?;
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let id = row.get(0).unwrap_or("").trim();
        if id.is_empty() {
            return Err(bad(format!("Line {line}: the identifier is empty.")));
        }
        if !identifiers.insert(digest(&key, "\u{0}identifier", id)) {
            return Err(bad(format!(
                "Line {line}: this identifier comes earlier in the file too; give each record once."
            )));
        }
        records += 1;
        for (i, field) in fields.iter().enumerate() {
            let value = row.get(i + 1).unwrap_or("");
            if value.contains(['\n', '\r']) {
                return Err(bad(format!(
                    "Line {line}: the {field} value runs over more than one line (an unbalanced quote?)."
                )));
            }
            if value.trim().is_empty() {
                continue;
            }
            batch.push((records as i64, field.as_str(), digest(&key, field, value)));
        }
        if batch.len() >= 4096 {
            store::insert_values_in_tx(&mut tx, &batch).await?;
            batch.clear();
        }
    }
    store::insert_values_in_tx(&mut tx, &batch).await?;
    if records == 0 {
        return Err(bad("The extract has no records after its header.".into()));
    }
    let extract = ExtractRecord {
        key,
        records,
        fields: fields.clone(),
        loaded_at: now,
        loaded_by: actor.to_owned(),
    };
    store::insert_extract_in_tx(&mut tx, &extract).await?;
    record_file_event(
        &mut tx,
        Subject::CaseFile,
        now,
        actor,
        AuditEvent::ReferenceLoaded { records, fields },
    )
    .await?;
    tx.commit().await?;
    Ok(summary(extract))
}

/// What the extract says of each of `given` (field, value), looked at together: the record
/// matching most of them is the person's, and each value is compared with what that record
/// holds. `None` for every value when no extract is loaded.
pub(crate) async fn compare(
    conn: &mut Conn,
    given: &[(String, String)],
) -> Result<Vec<Option<PointMatch>>, ServiceError> {
    let Some(extract) = store::current(conn).await? else {
        return Ok(vec![None; given.len()]);
    };
    let digests: Vec<(String, [u8; 32])> = given
        .iter()
        .map(|(field, value)| (field.clone(), digest(&extract.key, field, value)))
        .collect();
    let best = store::best_record(conn, &digests).await?;
    let held = match best {
        Some((record, _)) => store::record_values(conn, record).await?,
        None => Vec::new(),
    };
    let agreeing = best.map_or(0, |(_, n)| n);
    Ok(digests
        .iter()
        .map(|(field, d)| {
            let result = match held.iter().find(|(f, _)| f == field) {
                Some((_, v)) if v.as_slice() == d.as_slice() => PointResult::Matched,
                Some(_) => PointResult::NotMatched,
                None if best.is_none() && extract.fields.contains(field) => PointResult::NotMatched,
                None => PointResult::NotHeld,
            };
            Some(PointMatch { result, agreeing })
        })
        .collect())
}

/// What the extract says of a value the person gave for `field`, with the case's other given
/// details (before staff record it; staff confirm).
pub async fn suggest(
    file: &CaseFile,
    number: CaseNumber,
    field: &str,
    given: &str,
) -> Result<Option<PointMatch>, ServiceError> {
    let mut snapshot = file.read().await?;
    let id = case_id(&mut snapshot, number).await?;
    let records = verification_store::for_case(&mut snapshot, id).await?;
    let mut points: Vec<(String, String)> = records
        .points
        .into_iter()
        .filter(|p| p.field != field)
        .filter_map(|p| p.given.map(|g| (p.field, g)))
        .filter(|(_, g)| !g.trim().is_empty())
        .collect();
    if given.trim().is_empty() {
        return Ok(None);
    }
    points.push((field.to_owned(), given.to_owned()));
    Ok(compare(&mut snapshot, &points).await?.pop().flatten())
}
