//! The specific pieces of personal information a response to know gives (11 CCR § 7024):
//! what staff type per category, kept with the case, and the machine-readable export (JSON and
//! CSV, structured and commonly used) archived with the response. A value of a § 7024(d) type is
//! never kept nor exported: the item says it was collected, without the value.

use super::case_view::{case_id, find_case, record};
use super::ServiceError;
use crate::domain::history::AuditEvent;
use crate::domain::{CaseNumber, RequestKind};
use crate::letters::guard::{self, SafeNumbers};
use crate::store::specific as store;
use crate::store::{CaseFile, Conn};
use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

/// What an export says in place of a § 7024(d) value.
pub const NOT_SHOWN: &str = "collected — not shown";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SpecificItem {
    #[ts(type = "number")]
    pub id: i64,
    pub category: String,
    pub category_name: String,
    pub label: String,
    /// `null`: a § 7024(d) value, collected but never shown.
    pub value: Option<String>,
}

pub(crate) async fn items_in(conn: &mut Conn, number: CaseNumber) -> Result<Vec<SpecificItem>, ServiceError> {
    let id = case_id(conn, number).await?;
    let rows = super::decisions::categories_in(conn, id).await?;
    Ok(store::for_case(conn, id)
        .await?
        .into_iter()
        .map(|i| SpecificItem {
            id: i.id,
            category_name: rows
                .iter()
                .find(|c| c.code == i.category)
                .map_or_else(|| i.category.clone(), |c| c.name.clone()),
            category: i.category,
            label: i.label,
            value: i.value,
        })
        .collect())
}

pub async fn items(file: &CaseFile, number: CaseNumber) -> Result<Vec<SpecificItem>, ServiceError> {
    items_in(&mut *file.read().await?, number).await
}

/// Adds one specific piece for a category of a request for specific pieces; a value of a
/// § 7024(d) type is not kept (the item records that it was collected).
pub async fn add_item(
    file: &CaseFile,
    number: CaseNumber,
    category: &str,
    label: &str,
    value: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Vec<SpecificItem>, ServiceError> {
    let (label, value) = (label.trim(), value.trim());
    if label.is_empty() {
        return Err(ServiceError::invalid(
            "label",
            "Say what the piece is (for example “Hire date”).",
        ));
    }
    let mut tx = file.write().await?;
    let case = find_case(&mut tx, number).await?;
    if !case.kinds.contains(&RequestKind::KnowSpecific) {
        return Err(ServiceError::invalid(
            "category",
            format!("Case {number} does not ask for specific pieces of personal information."),
        ));
    }
    let id = case_id(&mut tx, number).await?;
    if !super::decisions::categories_in(tx.conn(), id)
        .await?
        .iter()
        .any(|c| c.code == category)
    {
        return Err(ServiceError::invalid(
            "category",
            format!("“{category}” is not a category of the profile nor a row added to {number}."),
        ));
    }
    let hidden = guard::forbidden(&format!("{label}: {value}"), &SafeNumbers { digits: vec![] }).is_some()
        || guard::forbidden(value, &SafeNumbers { digits: vec![] }).is_some();
    let kept = (!hidden && !value.is_empty()).then_some(value);
    store::insert_in_tx(&mut tx, id, category, label, kept, actor, now).await?;
    record(
        &mut tx,
        id,
        number,
        now,
        actor,
        AuditEvent::ItemAdded {
            category: category.to_owned(),
            label: label.to_owned(),
            shown: kept.is_some(),
        },
    )
    .await?;
    tx.commit().await?;
    items(file, number).await
}

/// Neutralises a CSV cell a spreadsheet would run as a formula.
pub(crate) fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The export of a case's specific pieces: JSON and CSV.
pub fn export(number: CaseNumber, items: &[SpecificItem]) -> (Vec<u8>, Vec<u8>) {
    let rows: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            serde_json::json!({
                "category": i.category,
                "category_name": i.category_name,
                "item": i.label,
                "value": i.value.as_deref().unwrap_or(NOT_SHOWN),
            })
        })
        .collect();
    let json = serde_json::to_vec_pretty(&serde_json::json!({ "case": number.to_string(), "items": rows }))
        .expect("plain data");
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["category", "category_name", "item", "value"])
        .expect("in memory");
    for i in items {
        csv.write_record([
            cell(&i.category),
            cell(&i.category_name),
            cell(&i.label),
            cell(i.value.as_deref().unwrap_or(NOT_SHOWN)),
        ])
        .expect("in memory");
    }
    (json, csv.into_inner().expect("in memory"))
}

/// The export of a case's specific pieces as its files are named.
pub async fn export_of(file: &CaseFile, number: CaseNumber) -> Result<(Vec<u8>, Vec<u8>), ServiceError> {
    Ok(export(number, &items(file, number).await?))
}
