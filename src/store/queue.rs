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
    Kinds,
    Channel,
    /// The pending clock that ends first, soonest first; cases with none last.
    NextDue,
}

impl QueueQuery {
    pub fn page_size(&self) -> u32 {
        match self.limit {
            0 => 50,
            n => n.min(200),
        }
    }
}

/// Turns what a person typed into an FTS5 query: every word must match, the last one as a prefix
/// (the person may still be typing it) unless it is an email address, words are also tried transliterated (Żółć finds Zolc and
/// the other way round), and no FTS5 syntax the person typed is interpreted.
///
/// Only the last word is a prefix because FTS5 answers a prefix by merging the lists of every
/// matching term, several times slower than a whole word on a large file.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '@' && c != '.' && c != '-')
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.len().checked_sub(1)?;
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            // An email address is matched by its whole parts: as a prefix its last part
            // ("com") would match most of the file.
            let star = if i == last && !w.contains('@') { "*" } else { "" };
            let quote = |s: &str| format!("\"{}\"{star}", s.replace('"', ""));
            let folded = deunicode::deunicode(w);
            if folded != *w && !folded.trim().is_empty() {
                format!("({} OR {})", quote(w), quote(folded.trim()))
            } else {
                quote(w)
            }
        })
        .collect();
    Some(terms.join(" AND "))
}

/// How many cases, in queue order, a search first looks through for its page (see `page_ids`).
const SEARCH_WINDOW: i64 = 10_000;

/// One page of case ids in order; the caller loads the cases.
///
/// A search is answered one of two ways, because neither is fast for every search on a large
/// file: reading the queue in order and keeping the cases that match is fast when matches are
/// common and slow when they are rare (it reads the whole file to fill a page); looking up
/// every match and sorting them is the reverse. So the first `SEARCH_WINDOW` cases in queue
/// order are checked first; only when they hold less than the page are all matches sorted.
/// Both give exactly the same page: the window is the start of the same ordered list.
pub async fn page_ids(conn: &mut SqliteConnection, q: &QueueQuery) -> Result<Vec<i64>, StoreError> {
    let Some(fts) = q.search.as_deref().and_then(fts_query) else {
        return Ok(build("SELECT c.id", q, None)
            .build_query_scalar()
            .fetch_all(conn)
            .await?);
    };
    let keys = order_keys(q.sort);
    let mut b: QueryBuilder<Sqlite> = QueryBuilder::new("WITH w AS MATERIALIZED (");
    let inner_select = std::iter::once("SELECT c.id AS id".to_owned())
        .chain(keys.iter().enumerate().map(|(i, (expr, _))| format!("{expr} AS k{i}")))
        .collect::<Vec<_>>()
        .join(", ");
    push_page(&mut b, &inner_select, q, None, SEARCH_WINDOW, 0);
    // The match is asked only for the window's range of ids: FTS5 then reads that stretch of
    // each word's list instead of handing SQLite every match in the file.
    b.push(") SELECT w.id FROM w WHERE w.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ")
        .push_bind(fts.clone())
        .push(" AND rowid BETWEEN (SELECT min(id) FROM w) AND (SELECT max(id) FROM w)) ORDER BY ");
    b.push(
        keys.iter()
            .enumerate()
            .map(|(i, (_, dir))| format!("w.k{i} {dir}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    b.push(" LIMIT ")
        .push_bind(i64::from(q.page_size()))
        .push(" OFFSET ")
        .push_bind(i64::from(q.offset));
    let in_window: Vec<i64> = b.build_query_scalar().fetch_all(&mut *conn).await?;
    if in_window.len() == q.page_size() as usize {
        return Ok(in_window);
    }
    Ok(build("SELECT c.id", q, Some(fts))
        .build_query_scalar()
        .fetch_all(conn)
        .await?)
}

/// SQLite's plan for the page query (`EXPLAIN QUERY PLAN`) without a search, one line per step,
/// so tests can insist that no query sorts the whole file.
pub async fn plan(conn: &mut SqliteConnection, q: &QueueQuery) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(i64, i64, i64, String)> = build("EXPLAIN QUERY PLAN SELECT c.id", q, None)
        .build_query_as()
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|(_, _, _, detail)| detail).collect())
}

/// The columns of each order, with their direction; the case id last breaks ties.
fn order_keys(sort: QueueSort) -> &'static [(&'static str, &'static str)] {
    match sort {
        QueueSort::NewestFirst => &[("c.received_at", "DESC"), ("c.id", "DESC")],
        QueueSort::OldestFirst => &[("c.received_at", "ASC"), ("c.id", "ASC")],
        QueueSort::Number => &[("c.number", "ASC")],
        QueueSort::Requester => &[("r.name_norm", "ASC"), ("c.id", "DESC")],
        QueueSort::Status => &[("c.status", "ASC"), ("c.received_at", "DESC"), ("c.id", "DESC")],
        QueueSort::Kinds => &[("c.kinds", "ASC"), ("c.received_at", "DESC"), ("c.id", "DESC")],
        QueueSort::Channel => &[("c.channel", "ASC"), ("c.received_at", "DESC"), ("c.id", "DESC")],
        // Must match the expressions of `privacy_case_by_next_due` for SQLite to read it in order.
        QueueSort::NextDue => &[("(c.next_due IS NULL)", "ASC"), ("c.next_due", "ASC"), ("c.id", "ASC")],
    }
}

/// The page query, restricted to the cases matching `fts` when given.
fn build<'a>(select: &str, q: &'a QueueQuery, fts: Option<String>) -> QueryBuilder<'a, Sqlite> {
    let mut b = QueryBuilder::new("");
    push_page(&mut b, select, q, fts, i64::from(q.page_size()), i64::from(q.offset));
    b
}

fn push_page<'a>(
    b: &mut QueryBuilder<'a, Sqlite>,
    select: &str,
    q: &'a QueueQuery,
    fts: Option<String>,
    limit: i64,
    offset: i64,
) {
    // SQLite would rather look up each open status in `privacy_case_by_status` and then sort
    // every open case; reading the partial index in order stops after one page.
    let by_receipt = matches!(q.sort, QueueSort::NewestFirst | QueueSort::OldestFirst);
    let hint = if q.sort == QueueSort::NextDue {
        // Otherwise SQLite picks the status index and sorts every open case by due date.
        " INDEXED BY privacy_case_by_next_due"
    } else if q.open_only && q.status.is_none() && by_receipt {
        " INDEXED BY privacy_case_open_by_received"
    } else {
        ""
    };
    b.push(format!("{select} FROM privacy_case c{hint}"));
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
        b.push(" AND c.entity_code = ").push_bind(entity);
    }
    if let Some(assignee) = q.assignee.as_deref().filter(|a| !a.is_empty()) {
        b.push(" AND c.assignee = ").push_bind(assignee);
    }
    if let Some(from) = q.received_from.as_deref().filter(|d| !d.is_empty()) {
        b.push(" AND c.received_date >= ").push_bind(from);
    }
    if let Some(to) = q.received_to.as_deref().filter(|d| !d.is_empty()) {
        b.push(" AND c.received_date <= ").push_bind(to);
    }
    if let Some(fts) = fts {
        b.push(" AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ")
            .push_bind(fts)
            .push(")");
    }
    b.push(" ORDER BY ");
    b.push(
        order_keys(q.sort)
            .iter()
            .map(|(expr, dir)| format!("{expr} {dir}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    b.push(" LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
}

/// Rewrites a case's search row after an edit or a note (its notes are read back). Call in the
/// transaction that changes the case.
pub async fn reindex_case_in_tx(conn: &mut SqliteConnection, case_id: i64, case: &Case) -> Result<(), StoreError> {
    let notes = super::notes::for_case(&mut *conn, case_id)
        .await?
        .into_iter()
        .map(|n| n.body)
        .collect::<Vec<_>>()
        .join("\n");
    sqlx::query("DELETE FROM case_search WHERE rowid = ?1")
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    insert_rows(conn, &[(case_id, search_row(case, notes))]).await
}

/// Writes the search rows of new cases (no notes yet). Call in the transaction that logs them.
pub async fn index_new_cases_in_tx(conn: &mut SqliteConnection, new: &[(i64, Case)]) -> Result<(), StoreError> {
    let rows: Vec<(i64, [String; 7])> = new
        .iter()
        .map(|(id, case)| (*id, search_row(case, String::new())))
        .collect();
    insert_rows(conn, &rows).await
}

async fn insert_rows(conn: &mut SqliteConnection, rows: &[(i64, [String; 7])]) -> Result<(), StoreError> {
    for chunk in rows.chunks(500) {
        let mut b = QueryBuilder::new(
            "INSERT INTO case_search (rowid, number, names, emails, phones, address, description, notes) ",
        );
        b.push_values(chunk, |mut row, (id, columns)| {
            row.push_bind(*id);
            for column in columns {
                row.push_bind(column.as_str());
            }
        });
        b.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The columns of a case's search row, in `case_search` order after the rowid: number, names
/// (each also transliterated), emails, phones (also digits only), address, description, notes.
fn search_row(case: &Case, notes: String) -> [String; 7] {
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
    [
        case.number.to_string(),
        names,
        emails,
        phones,
        address,
        case.details.description.clone(),
        notes,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_become_safe_queries_with_transliteration_and_a_prefix_last() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("ana oak").as_deref(), Some("\"ana\" AND \"oak\"*"));
        assert_eq!(fts_query("Żółć").as_deref(), Some("(\"Żółć\"* OR \"Zolc\"*)"));
        assert_eq!(
            fts_query("a\"b OR c*").as_deref(),
            Some("\"a\" AND \"b\" AND \"OR\" AND \"c\"*")
        );
        assert_eq!(fts_query("PR-2026-00042").as_deref(), Some("\"PR-2026-00042\"*"));
        assert_eq!(fts_query("jose@example.com").as_deref(), Some("\"jose@example.com\""));
    }
}
