//! The audit log (`audit_event`, `audit_payload`, `audit_chain_head`): append-only events
//! chained by SHA-256 over their payloads' digests.
//!
//! Each event's hash covers the previous event's hash, its sequence number, subject, time, actor,
//! action and the SHA-256 of its payload; the payload itself lives beside it, so it can be purged
//! (its digest stays) and the chain still verifies. A purge is itself an event naming what went
//! and why; [`verify`] tells purged payloads apart from tampering (an edited payload, an edited,
//! deleted or reordered event, a payload removed without a purge record).
//!
//! [`append_in_tx`] runs inside the transaction that makes the change, so a change and its event
//! land together or not at all. [`verify`] streams the chain: its memory does not grow with the
//! number of events.

pub mod legacy;

use super::{instant_text, parse_instant, Conn, StoreError, Tx};
use crate::domain::history::{AuditEvent, PurgeScope, Subject};
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event to append.
pub struct NewEvent<'a> {
    pub subject: Subject,
    /// The case's row id, for a case subject.
    pub case_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub event: AuditEvent,
}

/// An event as stored: its payload is `None` once purged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub seq: i64,
    pub subject: Subject,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub event: Option<AuditEvent>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The chain hash of one event.
pub(crate) fn event_hash(
    prev: &str,
    seq: i64,
    subject: &str,
    at: &str,
    actor: &str,
    action: &str,
    payload_sha256: &str,
) -> String {
    let content = serde_json::json!([prev, seq, subject, at, actor, action, payload_sha256]).to_string();
    sha256_hex(content.as_bytes())
}

/// Appends one event to the chain; returns its sequence number. Call inside the transaction that
/// makes the change.
pub async fn append_in_tx(
    tx: &mut Tx<'_>,
    subject: Subject,
    case_id: Option<i64>,
    at: DateTime<Utc>,
    actor: &str,
    event: AuditEvent,
) -> Result<i64, StoreError> {
    let seqs = append_all_in_tx(
        tx,
        vec![NewEvent {
            subject,
            case_id,
            at,
            actor,
            event,
        }],
    )
    .await?;
    Ok(seqs[0])
}

/// Appends events to the chain in order, a few statements per 500 (an import, the demo);
/// returns their sequence numbers. The head is read inside the write, so two writers can never
/// hand out the same number.
pub async fn append_all_in_tx(tx: &mut Tx<'_>, events: Vec<NewEvent<'_>>) -> Result<Vec<i64>, StoreError> {
    let (mut last, mut prev): (i64, String) =
        sqlx::query_as("SELECT last_seq, last_hash FROM audit_chain_head WHERE singleton = 1")
            .fetch_one(tx.conn())
            .await?;
    let mut seqs = Vec::with_capacity(events.len());
    let mut rows = Vec::with_capacity(events.len());
    for e in &events {
        let seq = last + 1;
        let payload = serde_json::to_string(&e.event).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let digest = sha256_hex(payload.as_bytes());
        let at = instant_text(e.at);
        let subject = e.subject.to_string();
        let hash = event_hash(&prev, seq, &subject, &at, e.actor, e.event.action(), &digest);
        rows.push((
            seq,
            subject,
            e.case_id,
            at,
            e.actor,
            e.event.action(),
            digest,
            prev.clone(),
            hash.clone(),
            payload,
        ));
        prev = hash;
        last = seq;
        seqs.push(seq);
    }
    for chunk in rows.chunks(500) {
        let mut b = sqlx::QueryBuilder::new(
            "INSERT INTO audit_event (seq, subject, case_id, at, actor, action, payload_sha256, prev_hash, hash) ",
        );
        b.push_values(chunk, |mut row, r| {
            row.push_bind(r.0)
                .push_bind(&r.1)
                .push_bind(r.2)
                .push_bind(&r.3)
                .push_bind(r.4)
                .push_bind(r.5)
                .push_bind(&r.6)
                .push_bind(&r.7)
                .push_bind(&r.8);
        });
        b.build().execute(tx.conn()).await?;
        let mut b = sqlx::QueryBuilder::new("INSERT INTO audit_payload (seq, payload) ");
        b.push_values(chunk, |mut row, r| {
            row.push_bind(r.0).push_bind(&r.9);
        });
        b.build().execute(tx.conn()).await?;
    }
    sqlx::query("UPDATE audit_chain_head SET last_seq = ?1, last_hash = ?2 WHERE singleton = 1")
        .bind(last)
        .bind(&prev)
        .execute(tx.conn())
        .await?;
    Ok(seqs)
}

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    subject: String,
    at: String,
    actor: String,
    action: String,
    payload: Option<String>,
}

impl TryFrom<EventRow> for StoredEvent {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<StoredEvent, StoreError> {
        let event = r
            .payload
            .map(|p| serde_json::from_str(&p).map_err(|e| StoreError::Corrupt(format!("event {}: {e}", r.seq))))
            .transpose()?;
        Ok(StoredEvent {
            seq: r.seq,
            subject: r.subject.parse().map_err(StoreError::Corrupt)?,
            at: parse_instant(&r.at)?,
            actor: r.actor,
            action: r.action,
            event,
        })
    }
}

const SELECT_EVENT: &str = "SELECT e.seq, e.subject, e.at, e.actor, e.action, p.payload
    FROM audit_event e LEFT JOIN audit_payload p ON p.seq = e.seq";

/// A subject's events, oldest first.
pub async fn for_subject(conn: &mut Conn, subject: Subject) -> Result<Vec<StoredEvent>, StoreError> {
    let rows: Vec<EventRow> = sqlx::query_as(&format!("{SELECT_EVENT} WHERE e.subject = ?1 ORDER BY e.seq"))
        .bind(subject.to_string())
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(StoredEvent::try_from).collect()
}

/// The newest events about the case file itself (every subject but cases), newest first.
pub async fn file_level(conn: &mut Conn, limit: u32) -> Result<Vec<StoredEvent>, StoreError> {
    let rows: Vec<EventRow> = sqlx::query_as(&format!(
        "{SELECT_EVENT} WHERE e.case_id IS NULL ORDER BY e.seq DESC LIMIT ?1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(StoredEvent::try_from).collect()
}

/// The newest event of the case file's own (not a case's) with this action.
pub async fn latest_of(conn: &mut Conn, action: &str) -> Result<Option<StoredEvent>, StoreError> {
    let row: Option<EventRow> = sqlx::query_as(&format!(
        "{SELECT_EVENT} WHERE e.case_id IS NULL AND e.action = ?1 ORDER BY e.seq DESC LIMIT 1"
    ))
    .bind(action)
    .fetch_optional(conn)
    .await?;
    row.map(StoredEvent::try_from).transpose()
}

/// The newest event's hash (what a backup or a dossier records), and how many events there are.
pub async fn head(conn: &mut Conn) -> Result<(i64, String), StoreError> {
    Ok(
        sqlx::query_as("SELECT last_seq, last_hash FROM audit_chain_head WHERE singleton = 1")
            .fetch_one(conn)
            .await?,
    )
}

/// Removes the payloads `scope` names (their digests stay) and appends the `payload.purged`
/// event that says so; returns how many payloads went. Call inside the transaction of the purge.
pub async fn purge_in_tx(
    tx: &mut Tx<'_>,
    scope: PurgeScope,
    reason: &str,
    at: DateTime<Utc>,
    actor: &str,
) -> Result<u64, StoreError> {
    let (last, _) = head(tx.conn()).await?;
    let purge_seq = last + 1;
    // The seqs whose payloads go, decided by the same rule verify applies.
    let seqs: Vec<i64> = match &scope {
        PurgeScope::Events { seqs } => seqs.clone(),
        PurgeScope::Cases { numbers, before } => {
            let mut all = Vec::new();
            for chunk in numbers.chunks(500) {
                let mut b = sqlx::QueryBuilder::new(
                    "SELECT e.seq FROM audit_event e JOIN audit_payload p ON p.seq = e.seq WHERE e.seq < ",
                );
                b.push_bind(*before).push(" AND e.subject IN (");
                let mut list = b.separated(", ");
                for n in chunk {
                    list.push_bind(n.to_string());
                }
                b.push(")");
                let found: Vec<i64> = b.build_query_scalar().fetch_all(tx.conn()).await?;
                all.extend(found);
            }
            all
        }
    };
    let mut removed = 0;
    for chunk in seqs.chunks(500) {
        let mut b = sqlx::QueryBuilder::new("DELETE FROM audit_payload WHERE seq IN (");
        let mut list = b.separated(", ");
        for s in chunk {
            list.push_bind(*s);
        }
        b.push(")");
        removed += b.build().execute(tx.conn()).await?.rows_affected();
        let mut b = sqlx::QueryBuilder::new("UPDATE audit_event SET purged_by = ");
        b.push_bind(purge_seq).push(" WHERE seq IN (");
        let mut list = b.separated(", ");
        for s in chunk {
            list.push_bind(*s);
        }
        b.push(")");
        b.build().execute(tx.conn()).await?;
    }
    let seq = append_in_tx(
        tx,
        Subject::CaseFile,
        None,
        at,
        actor,
        AuditEvent::PayloadPurged {
            purged: scope,
            reason: reason.to_owned(),
        },
    )
    .await?;
    debug_assert_eq!(
        seq, purge_seq,
        "the purge event takes the next number in the same write"
    );
    Ok(removed)
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainReport {
    /// Every event links to the one before and matches its hash; every payload present matches
    /// its digest, and every one missing was removed by a recorded purge.
    Intact { events: i64, purged_payloads: i64 },
    /// The first event (by sequence number) where the chain does not hold, and why.
    Broken { at_event: i64, reason: String },
}

#[derive(sqlx::FromRow)]
struct ChainRow {
    seq: i64,
    subject: String,
    at: String,
    actor: String,
    action: String,
    payload_sha256: String,
    prev_hash: String,
    hash: String,
    purged_by: Option<i64>,
    payload: Option<String>,
}

/// What one purge event removed, as `verify` looks it up (sets, so that a million events are
/// checked against it quickly).
enum Purged {
    Events(HashSet<i64>),
    Cases { subjects: HashSet<String>, before: i64 },
}

impl Purged {
    fn covers(&self, seq: i64, subject: &str) -> bool {
        match self {
            Purged::Events(seqs) => seqs.contains(&seq),
            Purged::Cases { subjects, before } => seq < *before && subjects.contains(subject),
        }
    }
}

/// Walks the whole chain in order, one row at a time, and checks every link, every hash, every
/// payload and the head. Memory stays flat whatever the number of events: only the purge
/// events' scopes are held. Run it on a [`super::Snapshot`], so that it sees one state.
pub async fn verify(conn: &mut Conn) -> Result<ChainReport, StoreError> {
    // The purge events first (a handful): a missing payload names the one that removed it. Each
    // purge event's own hash and payload are checked when the walk reaches it.
    let purge_rows: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT e.seq, p.payload FROM audit_event e LEFT JOIN audit_payload p ON p.seq = e.seq
         WHERE e.action = 'payload.purged'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut purges: HashMap<i64, Purged> = HashMap::new();
    for (seq, payload) in purge_rows {
        if let Some(Ok(AuditEvent::PayloadPurged { purged, .. })) =
            payload.map(|p| serde_json::from_str::<AuditEvent>(&p))
        {
            purges.insert(
                seq,
                match purged {
                    PurgeScope::Events { seqs } => Purged::Events(seqs.into_iter().collect()),
                    PurgeScope::Cases { numbers, before } => Purged::Cases {
                        subjects: numbers.iter().map(ToString::to_string).collect(),
                        before,
                    },
                },
            );
        }
    }

    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut purged = 0;
    {
        let mut rows = sqlx::query_as::<_, ChainRow>(
            "SELECT e.seq, e.subject, e.at, e.actor, e.action, e.payload_sha256, e.prev_hash, e.hash, e.purged_by,
                    p.payload
             FROM audit_event e LEFT JOIN audit_payload p ON p.seq = e.seq ORDER BY e.seq",
        )
        .fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            let broken = |reason: &str| ChainReport::Broken {
                at_event: row.seq,
                reason: reason.to_owned(),
            };
            if row.seq != expected_seq {
                return Ok(ChainReport::Broken {
                    at_event: expected_seq,
                    reason: format!("event {expected_seq} is missing (the next one found is {})", row.seq),
                });
            }
            if row.prev_hash != expected_prev {
                return Ok(broken(
                    "its link to the previous event does not match (an earlier event was changed or removed)",
                ));
            }
            let hash = event_hash(
                &row.prev_hash,
                row.seq,
                &row.subject,
                &row.at,
                &row.actor,
                &row.action,
                &row.payload_sha256,
            );
            if hash != row.hash {
                return Ok(broken("its content does not match its hash (the event was edited)"));
            }
            match &row.payload {
                Some(payload) if sha256_hex(payload.as_bytes()) != row.payload_sha256 => {
                    return Ok(broken(
                        "its payload does not match the digest in the chain (the payload was edited)",
                    ));
                }
                Some(_) => {}
                None => {
                    let recorded = row
                        .purged_by
                        .filter(|by| *by > row.seq)
                        .and_then(|by| purges.get(&by))
                        .is_some_and(|p| p.covers(row.seq, &row.subject));
                    if !recorded {
                        return Ok(broken("its payload was removed without a purge record"));
                    }
                    purged += 1;
                }
            }
            expected_prev = row.hash;
            expected_seq += 1;
        }
    }
    let (last_seq, last_hash) = head(conn).await?;
    if last_seq != expected_seq - 1 || last_hash != expected_prev {
        return Ok(ChainReport::Broken {
            at_event: expected_seq,
            reason: format!(
                "the chain ends at event {} but its head says {last_seq} (newest events removed)",
                expected_seq - 1
            ),
        });
    }
    Ok(ChainReport::Intact {
        events: expected_seq - 1,
        purged_payloads: purged,
    })
}

/// One link of the chain as a dossier prints it: which event, and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainLink {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub hash: String,
    /// The payload is still there (not purged).
    pub payload: bool,
}

/// The links of one case's events, in order.
pub async fn links_of(conn: &mut Conn, number: crate::domain::CaseNumber) -> Result<Vec<ChainLink>, StoreError> {
    let rows: Vec<(i64, String, String, String, String, bool)> = sqlx::query_as(
        "SELECT e.seq, e.at, e.actor, e.action, e.hash, p.seq IS NOT NULL FROM audit_event e \
         LEFT JOIN audit_payload p ON p.seq = e.seq WHERE e.subject = ?1 ORDER BY e.seq",
    )
    .bind(number.to_string())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(seq, at, actor, action, hash, payload)| ChainLink {
            seq,
            at,
            actor,
            action,
            hash,
            payload,
        })
        .collect())
}
