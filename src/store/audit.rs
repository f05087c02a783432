//! The audit log (`case_event`, `audit_head`): append-only events chained by SHA-256.
//!
//! Each event's hash covers the previous event's hash and its own content, and `audit_head`
//! holds the newest id and hash. [`append_in_tx`] runs inside the transaction that makes the
//! change, so a change and its event land together or not at all. [`verify`] walks the chain and
//! names the first event that does not match.

use super::{instant_text, StoreError};
use crate::domain::CaseNumber;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use ts_rs::TS;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CaseEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    #[ts(type = "unknown")]
    pub before: Option<serde_json::Value>,
    #[ts(type = "unknown")]
    pub after: Option<serde_json::Value>,
}

#[allow(clippy::too_many_arguments)]
fn event_hash(
    prev: &str,
    id: i64,
    case_number: &str,
    at: &str,
    actor: &str,
    action: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let content = serde_json::json!([prev, id, case_number, at, actor, action, before, after]).to_string();
    hex::encode(Sha256::digest(content.as_bytes()))
}

/// Appends one event to the chain. Call inside the transaction that makes the change.
#[allow(clippy::too_many_arguments)]
pub async fn append_in_tx(
    conn: &mut SqliteConnection,
    case_id: i64,
    case_number: CaseNumber,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Result<(), StoreError> {
    let event = NewEvent {
        case_id,
        case_number,
        at,
        actor,
        action,
        before: before.map(|v| v.to_string()),
        after: after.map(|v| v.to_string()),
    };
    append_all_in_tx(conn, &[event]).await
}

/// An event to append; `before` and `after` are JSON text.
pub struct NewEvent<'a> {
    pub case_id: i64,
    pub case_number: CaseNumber,
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Appends events to the chain in order, a few statements per 500 (an import, the demo).
pub async fn append_all_in_tx(conn: &mut SqliteConnection, events: &[NewEvent<'_>]) -> Result<(), StoreError> {
    let (mut last_id, mut prev): (i64, String) =
        sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
            .fetch_one(&mut *conn)
            .await?;
    for chunk in events.chunks(500) {
        let mut rows = Vec::with_capacity(chunk.len());
        for e in chunk {
            let id = last_id + 1;
            let at = instant_text(e.at);
            let number = e.case_number.to_string();
            let hash = event_hash(
                &prev,
                id,
                &number,
                &at,
                e.actor,
                e.action,
                e.before.as_deref(),
                e.after.as_deref(),
            );
            rows.push((id, e, number, at, std::mem::replace(&mut prev, hash.clone()), hash));
            last_id = id;
        }
        let mut b = sqlx::QueryBuilder::new(
            "INSERT INTO case_event (id, case_id, case_number, at, actor, action, before, after, prev_hash, hash) ",
        );
        b.push_values(rows, |mut row, (id, e, number, at, prev_hash, hash)| {
            row.push_bind(id)
                .push_bind(e.case_id)
                .push_bind(number)
                .push_bind(at)
                .push_bind(e.actor)
                .push_bind(e.action)
                .push_bind(e.before.as_deref())
                .push_bind(e.after.as_deref())
                .push_bind(prev_hash)
                .push_bind(hash);
        });
        b.build().execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE audit_head SET last_id = ?1, last_hash = ?2 WHERE singleton = 1")
        .bind(last_id)
        .bind(&prev)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A case's events, oldest first.
pub async fn for_case(conn: &mut SqliteConnection, case_number: CaseNumber) -> Result<Vec<CaseEvent>, StoreError> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT id, at, actor, action, before, after FROM case_event WHERE case_number = ?1 ORDER BY id",
    )
    .bind(case_number.to_string())
    .fetch_all(conn)
    .await?;
    let json = |text: Option<String>| -> Result<Option<serde_json::Value>, StoreError> {
        text.map(|t| serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("event JSON: {e}"))))
            .transpose()
    };
    rows.into_iter()
        .map(|r| {
            Ok(CaseEvent {
                id: r.id,
                at: r.at,
                actor: r.actor,
                action: r.action,
                before: json(r.before)?,
                after: json(r.after)?,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    at: String,
    actor: String,
    action: String,
    before: Option<String>,
    after: Option<String>,
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainReport {
    Intact {
        events: i64,
    },
    /// The first event (by id) where the chain does not hold, and why.
    Broken {
        at_event: i64,
        reason: String,
    },
}

/// Walks the whole chain in id order and checks every link, every hash and the head.
pub async fn verify(conn: &mut SqliteConnection) -> Result<ChainReport, StoreError> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, case_number, at, actor, action, before, after, prev_hash, hash FROM case_event ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_id = 1;
    for (id, number, at, actor, action, before, after, prev_hash, hash) in &rows {
        let broken = |reason: &str| {
            Ok(ChainReport::Broken {
                at_event: *id,
                reason: reason.to_owned(),
            })
        };
        if *id != expected_id {
            return Ok(ChainReport::Broken {
                at_event: expected_id,
                reason: format!("event {expected_id} is missing (the next one found is {id})"),
            });
        }
        if *prev_hash != expected_prev {
            return broken("its link to the previous event does not match (an earlier event was changed or removed)");
        }
        if event_hash(
            prev_hash,
            *id,
            number,
            at,
            actor,
            action,
            before.as_deref(),
            after.as_deref(),
        ) != *hash
        {
            return broken("its content does not match its hash (the event was edited)");
        }
        expected_prev = hash.clone();
        expected_id += 1;
    }
    let (last_id, last_hash): (i64, String) =
        sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
            .fetch_one(&mut *conn)
            .await?;
    if last_id != expected_id - 1 || last_hash != expected_prev {
        return Ok(ChainReport::Broken {
            at_event: expected_id,
            reason: format!(
                "the chain ends at event {} but its head says {last_id} (newest events removed)",
                expected_id - 1
            ),
        });
    }
    Ok(ChainReport::Intact {
        events: expected_id - 1,
    })
}
