//! The queue on a large case file: one page of cases matching the filters and the search, in
//! the chosen order, read through indexes (`privacy_case_open_by_received`, FTS5 `case_search`)
//! so the first page stays fast at a million cases. Also keeps `case_search` up to date.

use super::StoreError;
use crate::domain::{Case, CaseStatus, RequestKind};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use ts_rs::TS;

/// The exact text of the partial index's condition (see the migration).
pub const OPEN_FILTER: &str = "c.status IN ('new', 'acknowledged', 'verifying', 'in-progress')";

/// Which cases, in which order, which page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct QueueQuery {
    /// Only cases whose clocks still run (new, acknowledged, verifying, in progress).
    pub open_only: bool,
    #[ts(optional = nullable)]
    pub status: Option<CaseStatus>,
    #[ts(optional = nullable)]
    pub kind: Option<RequestKind>,
    #[ts(optional = nullable)]
    pub entity: Option<String>,
    /// Staff name the cases are assigned to.
    #[ts(optional = nullable)]
    pub assignee: Option<String>,
    /// Legal dates of receipt, inclusive, `YYYY-MM-DD`.
    #[ts(optional = nullable)]
    pub received_from: Option<String>,
    #[ts(optional = nullable)]
    pub received_to: Option<String>,
    /// Words to find in numbers, names, emails, phones, addresses and descriptions.
    #[ts(optional = nullable)]
    pub search: Option<String>,
    pub sort: QueueSort,
    /// Rows to skip (pages of `limit`).
    pub offset: u32,
    /// Page size, 1 to 200 (50 when 0).
    pub limit: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum QueueSort {
    #[default]
    NewestFirst,
    OldestFirst,
    Number,
    Requester,
    Status,
}

impl QueueQuery {
    pub fn page_size(&self) -> u32 {
        match self.limit {
            0 => 50,
            n => n.min(200),
        }
    }
}

/// Turns what a person typed into an FTS5 query: every word must match as a prefix, words are
/// also tried transliterated (Żółć finds Zolc and the other way round), and no FTS5 syntax the
/// person typed is interpreted.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '@' && c != '.' && c != '-')
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let folded = deunicode::deunicode(w);
            let quote = |s: &str| format!("\"{}\"*", s.replace('"', ""));
            if folded != w && !folded.trim().is_empty() {
                format!("({} OR {})", quote(w), quote(folded.trim()))
            } else {
                quote(w)
            }
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

/// One page of case ids in order; the caller loads the cases.
pub async fn page_ids(conn: &mut SqliteConnection, q: &QueueQuery) -> Result<Vec<i64>, StoreError> {
    Ok(build("SELECT c.id", q).build_query_scalar().fetch_all(conn).await?)
}

/// SQLite's plan for the page query (`EXPLAIN QUERY PLAN`), one line per step, so tests can
/// insist that no query sorts the whole file.
pub async fn plan(conn: &mut SqliteConnection, q: &QueueQuery) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(i64, i64, i64, String)> = build("EXPLAIN QUERY PLAN SELECT c.id", q)
        .build_query_as()
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|(_, _, _, detail)| detail).collect())
}

fn build<'a>(select: &str, q: &'a QueueQuery) -> QueryBuilder<'a, Sqlite> {
    // SQLite would rather look up each open status in `privacy_case_by_status` and then sort
    // every open case; reading the partial index in order stops after one page.
    let by_receipt = matches!(q.sort, QueueSort::NewestFirst | QueueSort::OldestFirst);
    let hint = if q.open_only && q.status.is_none() && by_receipt {
        " INDEXED BY privacy_case_open_by_received"
    } else {
        ""
    };
    let mut b: QueryBuilder<Sqlite> = QueryBuilder::new(format!("{select} FROM privacy_case c{hint}"));
    if q.sort == QueueSort::Requester {
        b.push(" JOIN requester r ON r.id = c.requester_id");
    }
    b.push(" WHERE 1 = 1");
    if q.open_only {
        b.push(" AND ").push(OPEN_FILTER);
    }
    if let Some(status) = q.status {
        b.push(" AND c.status = ").push_bind(status.token());
    }
    if let Some(kind) = q.kind {
        b.push(" AND EXISTS (SELECT 1 FROM case_request_kind k WHERE k.case_id = c.id AND k.kind = ")
            .push_bind(kind.token())
            .push(")");
    }
    if let Some(entity) = q.entity.as_deref().filter(|e| !e.is_empty()) {
        b.push(" AND c.entity_code = ").push_bind(entity.to_owned());
    }
    if let Some(assignee) = q.assignee.as_deref().filter(|a| !a.is_empty()) {
        b.push(" AND c.assignee = ").push_bind(assignee.to_owned());
    }
    if let Some(from) = q.received_from.as_deref().filter(|d| !d.is_empty()) {
        b.push(" AND c.received_date >= ").push_bind(from.to_owned());
    }
    if let Some(to) = q.received_to.as_deref().filter(|d| !d.is_empty()) {
        b.push(" AND c.received_date <= ").push_bind(to.to_owned());
    }
    if let Some(fts) = q.search.as_deref().and_then(fts_query) {
        b.push(" AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ")
            .push_bind(fts)
            .push(")");
    }
    b.push(match q.sort {
        QueueSort::NewestFirst => " ORDER BY c.received_at DESC, c.id DESC",
        QueueSort::OldestFirst => " ORDER BY c.received_at ASC, c.id ASC",
        QueueSort::Number => " ORDER BY c.number ASC",
        QueueSort::Requester => " ORDER BY r.name_norm ASC, c.id DESC",
        QueueSort::Status => " ORDER BY c.status ASC, c.received_at DESC, c.id DESC",
    });
    b.push(" LIMIT ")
        .push_bind(i64::from(q.page_size()))
        .push(" OFFSET ")
        .push_bind(i64::from(q.offset));
    b
}

/// Writes a case's search row; `replace` when the case had one already (an edit, a note), in
/// which case its notes are read back too. Call in the transaction that changes the case.
pub async fn index_case_in_tx(
    conn: &mut SqliteConnection,
    case_id: i64,
    case: &Case,
    replace: bool,
) -> Result<(), StoreError> {
    let notes = if replace {
        super::notes::for_case(&mut *conn, case_id)
            .await?
            .into_iter()
            .map(|n| n.body)
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        String::new()
    };
    let r = &case.requester;
    let agent = case.details.agent.as_ref();
    let names = [Some(r.name.as_str()), agent.map(|a| a.name.as_str())]
        .into_iter()
        .flatten()
        .map(|n| {
            let folded = deunicode::deunicode(n);
            if folded == n {
                n.to_owned()
            } else {
                format!("{n} {folded}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let emails = [r.email.as_deref(), agent.and_then(|a| a.email.as_deref())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let phones = [r.phone.as_deref(), agent.and_then(|a| a.phone.as_deref())]
        .into_iter()
        .flatten()
        .map(|p| format!("{p} {}", p.chars().filter(char::is_ascii_digit).collect::<String>()))
        .collect::<Vec<_>>()
        .join(" ");
    let address = r
        .address
        .as_ref()
        .map(|a| {
            format!(
                "{} {} {} {}",
                a.lines.join(" "),
                a.city,
                a.state.as_deref().unwrap_or(""),
                a.postal_code.as_deref().unwrap_or("")
            )
        })
        .unwrap_or_default();
    if replace {
        sqlx::query("DELETE FROM case_search WHERE rowid = ?1")
            .bind(case_id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO case_search (rowid, number, names, emails, phones, address, description, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(case_id)
    .bind(case.number.to_string())
    .bind(names)
    .bind(emails)
    .bind(phones)
    .bind(address)
    .bind(&case.details.description)
    .bind(notes)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_become_safe_prefix_queries_with_transliteration() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("ana oak").as_deref(), Some("\"ana\"* AND \"oak\"*"));
        assert_eq!(fts_query("Żółć").as_deref(), Some("(\"Żółć\"* OR \"Zolc\"*)"));
        assert_eq!(
            fts_query("a\"b OR c*").as_deref(),
            Some("\"a\"* AND \"b\"* AND \"OR\"* AND \"c\"*")
        );
        assert_eq!(fts_query("PR-2026-00042").as_deref(), Some("\"PR-2026-00042\"*"));
    }
}
