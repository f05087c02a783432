//! The audit log's first form (`case_event`, `audit_head`: each event hashed over its whole
//! before/after JSON), kept only to upgrade files written by earlier versions: [`verify`]
//! checks the old chain, and [`upgrade_in_tx`] carries every event over into the current form as
//! a typed event, then records a `chain.upgraded` event with the old head and drops the old
//! tables. An old chain that does not verify is never upgraded (`store::CaseFile::open` refuses
//! the file, untouched).

use super::super::{parse_instant, Conn, StoreError, Tx};
use super::{append_all_in_tx, NewEvent, GENESIS};
use crate::domain::history::{changes, AuditEvent, Subject};
use crate::domain::Case;
use futures_util::TryStreamExt;
use serde_json::Value;
use sha2::{Digest, Sha256};

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

/// Whether the file still holds the first form of the log.
pub async fn present(conn: &mut Conn) -> Result<bool, StoreError> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'case_event'")
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

type Row = (
    i64,
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

const SELECT: &str =
    "SELECT id, case_id, case_number, at, actor, action, before, after, prev_hash, hash FROM case_event";

/// Checks the first form's chain (streamed); `Ok(Err((event, reason)))` names the first broken
/// link. Returns the number of events and the head hash when it holds.
pub async fn verify(conn: &mut Conn) -> Result<Result<(i64, String), (i64, String)>, StoreError> {
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_id = 1;
    {
        let sql = format!("{SELECT} ORDER BY id");
        let mut rows = sqlx::query_as::<_, Row>(&sql).fetch(&mut *conn);
        while let Some((id, _, number, at, actor, action, before, after, prev_hash, hash)) = rows.try_next().await? {
            if id != expected_id {
                return Ok(Err((expected_id, format!("event {expected_id} is missing"))));
            }
            if prev_hash != expected_prev {
                return Ok(Err((id, "its link to the previous event does not match".to_owned())));
            }
            if event_hash(
                &prev_hash,
                id,
                &number,
                &at,
                &actor,
                &action,
                before.as_deref(),
                after.as_deref(),
            ) != hash
            {
                return Ok(Err((
                    id,
                    "its content does not match its hash (the event was edited)".to_owned(),
                )));
            }
            expected_prev = hash;
            expected_id += 1;
        }
    }
    let (last_id, last_hash): (i64, String) =
        sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
            .fetch_one(&mut *conn)
            .await?;
    if last_id != expected_id - 1 || last_hash != expected_prev {
        return Ok(Err((expected_id, "the newest events were removed".to_owned())));
    }
    Ok(Ok((last_id, last_hash)))
}

/// Events carried over per round: bounded memory whatever the size of the log.
const CHUNK: i64 = 5_000;

/// Carries every event of the first form over into the current one (same order and numbers),
/// appends `chain.upgraded` and drops the old tables. The old chain must have verified
/// (`verify`) in this same write.
pub async fn upgrade_in_tx(tx: &mut Tx<'_>, previous_events: i64, previous_head: String) -> Result<(), StoreError> {
    let mut after_id = 0;
    loop {
        let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE id > ?1 ORDER BY id LIMIT ?2"))
            .bind(after_id)
            .bind(CHUNK)
            .fetch_all(tx.conn())
            .await?;
        let Some(last) = rows.last() else { break };
        after_id = last.0;
        let mut events = Vec::with_capacity(rows.len());
        let actors: Vec<String> = rows.iter().map(|r| r.4.clone()).collect();
        for (row, actor) in rows.into_iter().zip(&actors) {
            let (_, case_id, number, at, _, action, before, after, _, _) = row;
            let subject = Subject::Case(number.parse().map_err(StoreError::Corrupt)?);
            events.push(NewEvent {
                subject,
                case_id: Some(case_id),
                at: parse_instant(&at)?,
                actor,
                event: typed(&action, before.as_deref(), after.as_deref()),
            });
        }
        append_all_in_tx(tx, events).await?;
    }
    super::append_in_tx(
        tx,
        Subject::CaseFile,
        None,
        chrono::Utc::now(),
        "PrivacyDesk (upgrade)",
        AuditEvent::ChainUpgraded {
            previous_head,
            previous_events,
        },
    )
    .await?;
    sqlx::query("DROP TABLE case_event").execute(tx.conn()).await?;
    sqlx::query("DROP TABLE audit_head").execute(tx.conn()).await?;
    Ok(())
}

/// An event of the first form as a typed event; one this version cannot read is kept as it was.
fn typed(action: &str, before: Option<&str>, after: Option<&str>) -> AuditEvent {
    let parse = |t: Option<&str>| t.and_then(|t| serde_json::from_str::<Value>(t).ok());
    let (b, a) = (parse(before), parse(after));
    convert(action, b.as_ref(), a.as_ref()).unwrap_or_else(|| AuditEvent::Legacy {
        original_action: action.to_owned(),
        before: b,
        after: a,
    })
}

fn convert(action: &str, before: Option<&Value>, after: Option<&Value>) -> Option<AuditEvent> {
    fn field(v: Option<&Value>, name: &str) -> Option<Value> {
        v.and_then(|v| v.get(name)).cloned()
    }
    fn from<T: serde::de::DeserializeOwned>(v: Option<Value>) -> Option<T> {
        v.and_then(|v| serde_json::from_value(v).ok())
    }
    Some(match action {
        "case.created" => AuditEvent::CaseCreated {
            case: Box::new(serde_json::from_value::<Case>(after?.clone()).ok()?),
        },
        "case.edited" => AuditEvent::CaseEdited {
            changes: changes(before?, after?)
                .into_iter()
                .filter(|c| c.field != "version")
                .collect(),
        },
        "status.changed" => AuditEvent::StatusMoved {
            from: from(field(before, "status"))?,
            to: from(field(after, "status"))?,
            reason: field(after, "reason")
                .and_then(|r| r.as_str().map(str::to_owned))
                .unwrap_or_else(|| "Confirmation of receipt recorded".to_owned()),
        },
        "case.assigned" => AuditEvent::Assigned {
            from: from(field(before, "assignee")).unwrap_or(None),
            to: from(field(after, "assignee")).unwrap_or(None),
        },
        "acknowledgment.recorded" => AuditEvent::ReceiptConfirmed {
            on: from(field(after, "on"))?,
            channel: from(field(after, "channel"))?,
        },
        "extension.recorded" => AuditEvent::ResponseExtended {
            reason: from(field(after, "reason"))?,
            notice_on: from(field(after, "notice_on"))?,
        },
        "response.recorded" => AuditEvent::ResponseSent {
            on: from(field(after, "on"))?,
        },
        "compliance.recorded" => AuditEvent::Complied {
            on: from(field(after, "on"))?,
        },
        "note.added" => AuditEvent::NoteAdded {
            note: from(field(after, "id"))?,
            body: from(field(after, "body"))?,
        },
        "attachment.added" => AuditEvent::FileAttached {
            file: from(field(after, "id"))?,
            name: from(field(after, "name"))?,
            media_type: from(field(after, "media_type"))?,
            size: from(field(after, "size"))?,
            sha256: from(field(after, "sha256"))?,
        },
        "letter.produced" => AuditEvent::LetterProduced {
            letter: from(field(after, "letter"))?,
            kind: from(field(after, "kind"))?,
            language: from(field(after, "language"))?,
            pages: from(field(after, "pages"))?,
            sha256: from(field(after, "sha256"))?,
            template_version: from(field(after, "template_version"))?,
        },
        "letter.mailed" => AuditEvent::LetterMailed {
            letter: from(field(after, "letter"))?,
            on: from(field(after, "on"))?,
            method: from(field(after, "method"))?,
            tracking_number: from(field(after, "tracking_number")).unwrap_or(None),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_form_events_become_typed_events() {
        let moved = typed(
            "status.changed",
            Some(r#"{"status":"new"}"#),
            Some(r#"{"status":"verifying","reason":"ID asked"}"#),
        );
        assert_eq!(
            moved,
            AuditEvent::StatusMoved {
                from: crate::domain::CaseStatus::New,
                to: crate::domain::CaseStatus::Verifying,
                reason: "ID asked".into()
            }
        );
        let mailed = typed(
            "letter.mailed",
            None,
            Some(r#"{"letter":3,"on":"2026-03-05","method":"first-class","tracking_number":null}"#),
        );
        assert!(matches!(
            mailed,
            AuditEvent::LetterMailed {
                letter: 3,
                tracking_number: None,
                ..
            }
        ));
        let unknown = typed("something.else", None, Some("{\"x\":1}"));
        assert!(
            matches!(unknown, AuditEvent::Legacy { ref original_action, .. } if original_action == "something.else")
        );
    }
}
