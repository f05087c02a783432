//! Importing many requests at once from a web-form export (CSV or JSON): every row is checked
//! first with the intake rules ([`check`]), a report names file, line, field and reason for each
//! bad row, and only the good rows are logged ([`import`]) — all in one transaction, so a
//! failure never leaves half a file in the case file. Nothing is logged unless the caller
//! confirms (the CLI asks, or takes `--yes`; the window has a button). Both read the export as
//! a stream and keep no row: a CSV of any size is checked and imported in the same memory (a
//! JSON array is parsed whole).
//!
//! Columns (CSV header or JSON object keys): `name`, `email`, `phone`, `address_line1`,
//! `address_line2`, `city`, `state`, `postal_code`, `country`, `kinds` (e.g.
//! `delete;know-categories`), `channel`, `received`, `description`, `entity`, `relationship`,
//! `language`, `delivery`.

use super::ServiceError;
use crate::domain::details::CaseDetails;
use crate::domain::{Channel, NewCase, PostalAddress, RequestKind, Requester};
use crate::store::CaseFile;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportProblem {
    pub file: String,
    /// Line in the file (CSV: the header is line 1) or position in the JSON array (from 1).
    #[ts(type = "number")]
    pub line: u64,
    pub field: String,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Record {
    name: String,
    email: String,
    phone: String,
    address_line1: String,
    address_line2: String,
    city: String,
    state: String,
    postal_code: String,
    country: String,
    kinds: String,
    channel: String,
    received: String,
    description: String,
    entity: String,
    relationship: String,
    language: String,
    delivery: String,
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn token<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_owned()))
        .map_err(|_| format!("\"{}\" is not a known value", text.trim()))
}

impl Record {
    /// The row as an intake, or the problems with its tokens (the intake rules run later).
    fn to_new_case(&self) -> Result<NewCase, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let kinds = RequestKind::parse_list(&self.kinds.replace(';', ","))
            .map_err(|e| problems.push(("kinds".to_owned(), e.to_string())))
            .unwrap_or_default();
        let channel = self
            .channel
            .trim()
            .parse::<Channel>()
            .map_err(|e| problems.push(("channel".to_owned(), e.to_string())))
            .ok();
        let language = if self.language.trim().is_empty() {
            Default::default()
        } else {
            token(&self.language)
                .map_err(|e| problems.push(("language".to_owned(), e)))
                .unwrap_or_default()
        };
        let delivery =
            opt(&self.delivery).and_then(|d| token(&d).map_err(|e| problems.push(("delivery".to_owned(), e))).ok());
        let has_address = [
            &self.address_line1,
            &self.address_line2,
            &self.city,
            &self.state,
            &self.postal_code,
        ]
        .iter()
        .any(|v| !v.trim().is_empty());
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(NewCase {
            requester: Requester {
                name: self.name.clone(),
                email: opt(&self.email),
                phone: opt(&self.phone),
                address: has_address.then(|| PostalAddress {
                    lines: [&self.address_line1, &self.address_line2]
                        .iter()
                        .filter_map(|l| opt(l))
                        .collect(),
                    city: self.city.clone(),
                    state: opt(&self.state),
                    postal_code: opt(&self.postal_code),
                    country: opt(&self.country).unwrap_or_else(|| "US".to_owned()),
                }),
            },
            channel: channel.expect("no problems means the channel parsed"),
            kinds,
            received: self.received.clone(),
            details: CaseDetails {
                entity: opt(&self.entity),
                relationship: opt(&self.relationship),
                language,
                delivery,
                description: self.description.trim().to_owned(),
                ..Default::default()
            },
        })
    }
}

/// A row of an export with its line number, or why it could not be read.
type NumberedRecord = (u64, Result<Record, String>);

/// The rows of a CSV or JSON export read from `reader`, with their line numbers (a CSV's as
/// they are read; a JSON array's after parsing it whole).
fn export_rows<'r, R: std::io::Read + Send + 'r>(
    file_name: &str,
    mut reader: R,
) -> Result<Box<dyn Iterator<Item = NumberedRecord> + Send + 'r>, ServiceError> {
    let refuse = |reason: String| {
        let mut errors = crate::domain::ValidationErrors::default();
        errors.add("file", format!("{file_name}: {reason}"));
        ServiceError::from(errors)
    };
    let lower = file_name.to_lowercase();
    if lower.ends_with(".json") {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(format!("cannot be read ({e})")))?;
        let values: Vec<serde_json::Value> =
            serde_json::from_slice(&bytes).map_err(|e| refuse(format!("not a JSON array of requests ({e})")))?;
        Ok(Box::new(values.into_iter().enumerate().map(|(i, v)| {
            let flat = match v {
                serde_json::Value::Object(map) => serde_json::Value::Object(
                    map.into_iter()
                        .map(|(k, v)| match v {
                            serde_json::Value::String(_) => (k, v),
                            serde_json::Value::Array(items) => (
                                k,
                                serde_json::Value::String(
                                    items.iter().filter_map(|i| i.as_str()).collect::<Vec<_>>().join(","),
                                ),
                            ),
                            serde_json::Value::Null => (k, serde_json::Value::String(String::new())),
                            other => (k, serde_json::Value::String(other.to_string())),
                        })
                        .collect(),
                ),
                other => other,
            };
            (
                i as u64 + 1,
                serde_json::from_value::<Record>(flat).map_err(|e| e.to_string()),
            )
        })))
    } else if lower.ends_with(".csv") {
        Ok(Box::new(csv_rows(file_name, reader)?))
    } else {
        Err(refuse("only .csv and .json exports can be imported".to_owned()))
    }
}

/// The rows of a CSV export as they are read, with their line numbers: the file is never held
/// whole, so a check or an import of any size runs in the same memory.
fn csv_rows<R: std::io::Read>(
    file_name: &str,
    reader: R,
) -> Result<impl Iterator<Item = NumberedRecord>, ServiceError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::Headers).from_reader(reader);
    let headers = reader
        .headers()
        .map_err(|e| {
            let mut errors = crate::domain::ValidationErrors::default();
            errors.add("file", format!("{file_name}: the header line cannot be read ({e})"));
            ServiceError::from(errors)
        })?
        .clone();
    Ok(reader.into_records().map(move |row| match row {
        Ok(row) => {
            let line = row.position().map_or(0, |p| p.line());
            if let Some(why) = swallowed_rows(&row, headers.len(), line) {
                return (line, Err(why));
            }
            (
                line,
                row.deserialize::<Record>(Some(&headers)).map_err(|e| e.to_string()),
            )
        }
        Err(e) => (e.position().map_or(0, |p| p.line()), Err(e.to_string())),
    }))
}

/// A quote opened in a row and not closed where it should be makes the CSV reader take the
/// rows after it into one field, up to the next quote or the end of the file: those rows would
/// vanish without a word. A quoted field may hold line breaks, but a line inside it that has
/// as many commas as a row of its own is read as rows swallowed, and the row is refused naming
/// the lines it took in.
fn swallowed_rows(row: &csv::StringRecord, columns: usize, line: u64) -> Option<String> {
    let commas = columns.saturating_sub(1).max(1);
    let looks_like_rows = row
        .iter()
        .any(|field| field.split('\n').skip(1).any(|l| l.matches(',').count() >= commas));
    if !looks_like_rows {
        return None;
    }
    // An unclosed quote at the end of the file takes the last line break too.
    let breaks: u64 = row
        .iter()
        .map(|f| f.trim_end_matches(['\r', '\n']).matches('\n').count() as u64)
        .sum();
    Some(format!(
        "a quote opened on this line is not closed until line {}, so lines {}-{} were read as part of this row; close the quote (or remove it) and import again",
        line + breaks,
        line + 1,
        line + breaks
    ))
}

/// The column of the export a problem found by the intake rules is in: the name the person
/// sees in the file, never the path of the field inside PrivacyDesk.
fn column_of(field: &str) -> &str {
    match field {
        "requester.name" => "name",
        "requester.email" => "email",
        "requester.phone" => "phone",
        "requester.contact" => "email",
        "requester.address" | "requester.address.lines" => "address_line1",
        "requester.address.city" => "city",
        "requester.address.state" => "state",
        "requester.address.postal_code" => "postal_code",
        "requester.address.country" => "country",
        "details.description" => "description",
        "details.entity" => "entity",
        "details.relationship" => "relationship",
        "details.language" => "language",
        "details.delivery" => "delivery",
        other => other.rsplit('.').next().unwrap_or(other),
    }
}

/// The problems a streamed check lists at most (all are counted).
pub const LISTED_PROBLEMS: usize = 1000;
/// Rows stored per statement batch in a streamed import (all in one transaction).
const IMPORT_CHUNK: usize = 500;

/// What checking an export found: how many rows are good, how many have problems, and the
/// first [`LISTED_PROBLEMS`] problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportCheck {
    pub file: String,
    #[ts(type = "number")]
    pub good: u64,
    #[ts(type = "number")]
    pub bad_rows: u64,
    pub problems: Vec<ImportProblem>,
    /// Problems found beyond those listed.
    #[ts(type = "number")]
    pub unlisted: u64,
}

/// What an import logged: how many requests, and the first and last case numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportDone {
    #[ts(type = "number")]
    pub logged: u64,
    pub first: Option<crate::domain::CaseNumber>,
    pub last: Option<crate::domain::CaseNumber>,
}

/// The intake of one row, or its problems as (column, reason).
fn row_intake(
    record: Result<Record, String>,
    now: DateTime<Utc>,
    zone: chrono_tz::Tz,
    profile: &crate::domain::profile::OrganisationProfile,
) -> Result<crate::domain::intake::ValidNewCase, Vec<(String, String)>> {
    let input = record
        .map_err(|e| vec![("row".to_owned(), e)])
        .and_then(|r| r.to_new_case())?;
    super::intake::validate(&input, now, zone, profile).map_err(|errors| {
        errors
            .0
            .into_iter()
            .map(|e| (column_of(&e.field).to_owned(), e.message))
            .collect()
    })
}

fn short_name(file_name: &str) -> String {
    std::path::Path::new(file_name)
        .file_name()
        .map_or(file_name.to_owned(), |n| n.to_string_lossy().into_owned())
}

fn no_rows(short: &str) -> ServiceError {
    let mut errors = crate::domain::ValidationErrors::default();
    errors.add(
        "file",
        format!("{short}: the file holds no requests (no rows after the header line). Check that it is the web form's export."),
    );
    errors.into()
}

/// Checks every row of an export (`.csv` or `.json`, by `file_name`) read from `reader`, keeping
/// no row: for a CSV, memory does not grow with the file. `progress` is told how many rows were
/// read, every 10,000. Stores nothing.
pub async fn check<R: std::io::Read + Send>(
    file: &CaseFile,
    file_name: &str,
    reader: R,
    now: DateTime<Utc>,
    mut progress: impl FnMut(u64),
) -> Result<ImportCheck, ServiceError> {
    let short = short_name(file_name);
    let zone = super::profile::time_zone(file).await?;
    let profile = super::profile::current_profile(file).await?.profile;
    let mut check = ImportCheck {
        file: short.clone(),
        good: 0,
        bad_rows: 0,
        problems: Vec::new(),
        unlisted: 0,
    };
    for (read, (line, record)) in export_rows(&short, reader)?.enumerate() {
        match row_intake(record, now, zone, &profile) {
            Ok(_) => check.good += 1,
            Err(found) => {
                check.bad_rows += 1;
                for (field, reason) in found {
                    if check.problems.len() < LISTED_PROBLEMS {
                        check.problems.push(ImportProblem {
                            file: short.clone(),
                            line,
                            field,
                            reason,
                        });
                    } else {
                        check.unlisted += 1;
                    }
                }
            }
        }
        if (read + 1) % 10_000 == 0 {
            progress(read as u64 + 1);
        }
    }
    if check.good + check.bad_rows == 0 {
        return Err(no_rows(&short));
    }
    Ok(check)
}

/// Logs every good row of an export read from `reader` (the bad ones, as a check reports
/// them, are skipped: each row is checked again) in one transaction, a batch of statements per
/// 500 rows: all of them or, on any failure, none. `progress` is told how many were logged
/// after each batch.
pub async fn import<R: std::io::Read + Send>(
    file: &CaseFile,
    file_name: &str,
    reader: R,
    now: DateTime<Utc>,
    actor: &str,
    mut progress: impl FnMut(u64),
) -> Result<ImportDone, ServiceError> {
    let short = short_name(file_name);
    let rows = export_rows(&short, reader)?;
    let mut tx = file.write().await?;
    let (zone, profile) = super::intake::intake_rules(&mut tx).await?;
    let mut chunk: Vec<crate::domain::intake::ValidNewCase> = Vec::with_capacity(IMPORT_CHUNK);
    let mut logged = 0u64;
    let mut range: Option<(crate::domain::CaseNumber, crate::domain::CaseNumber)> = None;
    let mut rows = rows.peekable();
    while let Some((_, record)) = rows.next() {
        if let Ok(valid) = row_intake(record, now, zone, &profile) {
            chunk.push(valid);
        }
        if chunk.len() == IMPORT_CHUNK || (rows.peek().is_none() && !chunk.is_empty()) {
            let created =
                super::intake::create_all_in_tx(&mut tx, &chunk.iter().collect::<Vec<_>>(), now, actor).await?;
            logged += created.len() as u64;
            if let (Some((_, first)), Some((_, last))) = (created.first(), created.last()) {
                range = Some((range.map_or(first.number, |(f, _)| f), last.number));
            }
            chunk.clear();
            progress(logged);
        }
    }
    tx.commit().await?;
    Ok(ImportDone {
        logged,
        first: range.map(|(first, _)| first),
        last: range.map(|(_, last)| last),
    })
}
