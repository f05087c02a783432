//! The queue on a large case file: one page of cases matching the filters and the search, in
//! the chosen order, read through indexes (`privacy_case_open_by_received`, the number order,
//! FTS5 `case_search`) so the first page stays fast at a million cases. A row is what the queue
//! shows, all from the case's own row and its requester's name (the next clock is kept on the
//! case). Also keeps `case_search` up to date.

use super::{parse_date, Conn, StoreError, Tx};
use crate::domain::deadline::ClockKind;
use crate::domain::details::Coverage;
pub use crate::domain::queue::{QueueQuery, QueueSort};
use crate::domain::{Case, CaseNumber, CaseStatus, Channel, RequestKind};
use chrono::NaiveDate;
use sqlx::{QueryBuilder, Sqlite};

/// The exact text of the partial index's condition (see the migration).
pub const OPEN_FILTER: &str = "c.status IN ('new', 'acknowledged', 'verifying', 'in-progress')";

/// One row of the queue, as stored.
#[derive(Debug, Clone)]
pub struct QueueLine {
    pub number: CaseNumber,
    pub requester: String,
    pub kinds: Vec<RequestKind>,
    pub received_date: NaiveDate,
    pub channel: Channel,
    pub status: CaseStatus,
    pub coverage: Coverage,
    pub assignee: Option<String>,
    /// The pending clock that ends first, and its due date (none once the case is closed).
    pub next: Option<(ClockKind, NaiveDate)>,
}

/// The columns of a row, all from the case itself and its requester.
const LINE_COLUMNS: &str = "c.id, c.number, r.name, c.kinds, c.received_date, c.channel, c.status, \
     c.coverage, c.coverage_reason, c.assignee, c.next_due, c.next_clock";

/// The requester, kept the outer loop's partner (a LEFT JOIN keeps the case the outer loop, so
/// a page read in index order stops after one page).
const LINE_JOINS: &str = " LEFT JOIN requester r ON r.id = c.requester_id";

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    number: String,
    name: Option<String>,
    kinds: Option<String>,
    received_date: String,
    channel: String,
    status: String,
    coverage: String,
    coverage_reason: Option<String>,
    assignee: Option<String>,
    next_due: Option<String>,
    next_clock: Option<String>,
}

impl TryFrom<LineRow> for QueueLine {
    type Error = StoreError;
    fn try_from(row: LineRow) -> Result<QueueLine, StoreError> {
        let corrupt = |what: String| StoreError::Corrupt(what);
        let mut kinds =
            RequestKind::parse_list(row.kinds.as_deref().unwrap_or("")).map_err(|e| corrupt(e.to_string()))?;
        kinds.sort();
        let next = match (row.next_due, row.next_clock) {
            (Some(due), Some(clock)) => Some((
                ClockKind::ALL
                    .into_iter()
                    .find(|k| k.token() == clock)
                    .ok_or_else(|| corrupt(format!("unknown clock {clock:?}")))?,
                parse_date(&due)?,
            )),
            _ => None,
        };
        Ok(QueueLine {
            number: row.number.parse().map_err(corrupt)?,
            requester: row.name.unwrap_or_default(),
            kinds,
            received_date: parse_date(&row.received_date)?,
            channel: row.channel.parse::<Channel>().map_err(|e| corrupt(e.to_string()))?,
            status: row.status.parse::<CaseStatus>().map_err(|e| corrupt(e.to_string()))?,
            coverage: match row.coverage.as_str() {
                "covered" => Coverage::Covered,
                "not-covered" => Coverage::NotCovered {
                    reason: row.coverage_reason.unwrap_or_default(),
                },
                _ => Coverage::Unchecked,
            },
            assignee: row.assignee,
            next,
        })
    }
}

/// One page of the queue, in order. Without a search it is one statement that reads the cases
/// in index order and stops after the page.
pub async fn page(conn: &mut Conn, q: &QueueQuery) -> Result<Vec<QueueLine>, StoreError> {
    if let Some(fts) = words_of(conn, q).await? {
        let ids = page_ids_matching(&mut *conn, q, fts).await?;
        return load(conn, &ids).await;
    }
    let rows: Vec<LineRow> = build(&format!("SELECT {LINE_COLUMNS}"), LINE_JOINS, q, None)
        .build_query_as()
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(QueueLine::try_from).collect()
}

/// The rows of the cases with these ids, in the order of `ids`.
async fn load(conn: &mut Conn, ids: &[i64]) -> Result<Vec<QueueLine>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let select = format!("SELECT {LINE_COLUMNS} FROM privacy_case c{LINE_JOINS}");
    let rows: Vec<LineRow> = super::where_id_in(&select, ids)
        .build_query_as()
        .fetch_all(conn)
        .await?;
    let mut by_id: std::collections::HashMap<i64, QueueLine> = rows
        .into_iter()
        .map(|row| Ok((row.id, QueueLine::try_from(row)?)))
        .collect::<Result<_, StoreError>>()?;
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// How many cases match the query's filters and search (every page together).
pub async fn count(conn: &mut Conn, q: &QueueQuery) -> Result<u64, StoreError> {
    let mut unpaged = q.clone();
    unpaged.offset = 0;
    let fts = words_of(&mut *conn, q).await?;
    let mut b = QueryBuilder::new("SELECT count(*) FROM privacy_case c");
    push_filters(&mut b, &unpaged, fts);
    let n: i64 = b.build_query_scalar().fetch_one(conn).await?;
    Ok(n as u64)
}

/// The FTS5 query for what a person typed (see [`fts_query`]), with the last word as a whole
/// word when the file has cases matching it so, and as a prefix only while it matches none (the
/// person is still typing it: "Nguy", "payr"). A prefix costs FTS5 a merge of the whole list of
/// every term it starts, tens of milliseconds on a large file when one is common, where whole
/// words are read only as far as the page needs.
pub async fn search_query(conn: &mut Conn, text: &str) -> Result<Option<String>, StoreError> {
    let Some(whole) = fts_query(text, false) else {
        return Ok(None);
    };
    let found: Option<i64> = sqlx::query_scalar("SELECT rowid FROM case_search WHERE case_search MATCH ?1 LIMIT 1")
        .bind(&whole)
        .fetch_optional(conn)
        .await?;
    Ok(if found.is_some() {
        Some(whole)
    } else {
        fts_query(text, true)
    })
}

/// Turns what a person typed into an FTS5 query: every word must match, the last one as a prefix
/// when `last_as_prefix` (unless it is an email address), words are also tried transliterated
/// (Żółć finds Zolc and the other way round), and no FTS5 syntax the person typed is
/// interpreted. Only the last word may be a prefix, because FTS5 answers a prefix by merging
/// the lists of every matching term.
pub fn fts_query(text: &str, last_as_prefix: bool) -> Option<String> {
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
            let star = if last_as_prefix && i == last && !w.contains('@') {
                "*"
            } else {
                ""
            };
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

/// One page of case ids in order.
///
/// A search is answered one of two ways, because neither is fast for every search on a large
/// file: reading the queue in order and keeping the cases that match is fast when matches are
/// common and slow when they are rare (it reads the whole file to fill a page); looking up
/// every match and sorting them is the reverse. So the first `SEARCH_WINDOW` cases in queue
/// order are checked first; only when they hold less than the page are all matches sorted.
/// Both give exactly the same page: the window is the start of the same ordered list.
pub async fn page_ids(conn: &mut Conn, q: &QueueQuery) -> Result<Vec<i64>, StoreError> {
    match words_of(&mut *conn, q).await? {
        Some(fts) => page_ids_matching(conn, q, fts).await,
        None => Ok(build("SELECT c.id", "", q, None)
            .build_query_scalar()
            .fetch_all(conn)
            .await?),
    }
}

/// The FTS5 query of the query's word search, if it has one (a case number is not a word
/// search: it is a range of the number index).
async fn words_of(conn: &mut Conn, q: &QueueQuery) -> Result<Option<String>, StoreError> {
    match (q.number_prefix(), q.search.as_deref()) {
        (None, Some(text)) => search_query(conn, text).await,
        _ => Ok(None),
    }
}

/// [`page_ids`] of a word search.
async fn page_ids_matching(conn: &mut Conn, q: &QueueQuery, fts: String) -> Result<Vec<i64>, StoreError> {
    let keys = order_keys(q.sort);
    let mut b: QueryBuilder<Sqlite> = QueryBuilder::new("WITH w AS MATERIALIZED (");
    let inner_select = std::iter::once("SELECT c.id AS id".to_owned())
        .chain(keys.iter().enumerate().map(|(i, (expr, _))| format!("{expr} AS k{i}")))
        .collect::<Vec<_>>()
        .join(", ");
    push_page(&mut b, &inner_select, "", q, None, SEARCH_WINDOW, 0);
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
    Ok(build("SELECT c.id", "", q, Some(fts))
        .build_query_scalar()
        .fetch_all(conn)
        .await?)
}

/// SQLite's plan for the page statement without a word search (`EXPLAIN QUERY PLAN`), one line
/// per step, so tests can insist that no page sorts the whole file.
pub async fn plan(conn: &mut Conn, q: &QueueQuery) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(i64, i64, i64, String)> = build(
        &format!("EXPLAIN QUERY PLAN SELECT {LINE_COLUMNS}"),
        LINE_JOINS,
        q,
        None,
    )
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
        // Must match `privacy_case_by_number_order`.
        QueueSort::Number => &[("c.number_year", "ASC"), ("c.number_seq", "ASC")],
        QueueSort::Requester => &[("r.name_norm", "ASC"), ("c.id", "DESC")],
        QueueSort::Status => &[("c.status", "ASC"), ("c.received_at", "DESC"), ("c.id", "DESC")],
        QueueSort::Kinds => &[("c.kinds", "ASC"), ("c.received_at", "DESC"), ("c.id", "DESC")],
        QueueSort::Channel => &[("c.channel", "ASC"), ("c.received_at", "DESC"), ("c.id", "DESC")],
        // Must match the expressions of `privacy_case_by_next_due` for SQLite to read it in order.
        QueueSort::NextDue => &[("(c.next_due IS NULL)", "ASC"), ("c.next_due", "ASC"), ("c.id", "ASC")],
    }
}

/// The page statement, restricted to the cases matching `fts` when given.
fn build<'a>(select: &str, joins: &str, q: &'a QueueQuery, fts: Option<String>) -> QueryBuilder<'a, Sqlite> {
    let mut b = QueryBuilder::new("");
    push_page(
        &mut b,
        select,
        joins,
        q,
        fts,
        i64::from(q.page_size()),
        i64::from(q.offset),
    );
    b
}

fn push_page<'a>(
    b: &mut QueryBuilder<'a, Sqlite>,
    select: &str,
    joins: &str,
    q: &'a QueueQuery,
    fts: Option<String>,
    limit: i64,
    offset: i64,
) {
    // SQLite would rather look up each open status in `privacy_case_by_status` and then sort
    // every open case; reading the partial index in order stops after one page.
    let by_receipt = matches!(q.sort, QueueSort::NewestFirst | QueueSort::OldestFirst);
    let hint = if q.number_prefix().is_some() {
        // A number (or its start) is a short range of the number index.
        ""
    } else if q.sort == QueueSort::NextDue {
        // Otherwise SQLite picks the status index and sorts every open case by due date.
        " INDEXED BY privacy_case_by_next_due"
    } else if q.open_only && q.status.is_none() && by_receipt {
        " INDEXED BY privacy_case_open_by_received"
    } else {
        ""
    };
    b.push(format!("{select} FROM privacy_case c{hint}"));
    if q.sort == QueueSort::Requester && !joins.contains("requester r") {
        b.push(" JOIN requester r ON r.id = c.requester_id");
    }
    b.push(joins);
    push_filters(b, q, fts);
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

/// The WHERE clause of the query's filters, its number or its word search.
fn push_filters<'a>(b: &mut QueryBuilder<'a, Sqlite>, q: &'a QueueQuery, fts: Option<String>) {
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
    if let Some(from) = q.received_from {
        b.push(" AND c.received_date >= ").push_bind(from.to_string());
    }
    if let Some(to) = q.received_to {
        b.push(" AND c.received_date <= ").push_bind(to.to_string());
    }
    if let Some(prefix) = q.number_prefix() {
        // The numbers that start with the prefix: a range of the unique index on `number`.
        let mut end = prefix.clone();
        let last = end.pop().expect("a number prefix is never empty");
        end.push(char::from_u32(u32::from(last) + 1).expect("an ASCII character has a successor"));
        b.push(" AND c.number >= ")
            .push_bind(prefix)
            .push(" AND c.number < ")
            .push_bind(end);
    } else if let Some(fts) = fts {
        b.push(" AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ")
            .push_bind(fts)
            .push(")");
    }
}

/// Rewrites a case's search row after an edit or a note (its notes are read back). Call in the
/// transaction that changes the case.
pub async fn reindex_case_in_tx(tx: &mut Tx<'_>, case_id: i64, case: &Case) -> Result<(), StoreError> {
    let notes = super::notes::for_case(tx, case_id)
        .await?
        .into_iter()
        .map(|n| n.body)
        .collect::<Vec<_>>()
        .join("\n");
    sqlx::query("DELETE FROM case_search WHERE rowid = ?1")
        .bind(case_id)
        .execute(tx.conn())
        .await?;
    insert_rows(tx, &[(case_id, search_row(case, notes))]).await
}

/// Writes the search rows of new cases (no notes yet). Call in the transaction that logs them.
pub async fn index_new_cases_in_tx(tx: &mut Tx<'_>, new: &[(i64, Case)]) -> Result<(), StoreError> {
    let rows: Vec<(i64, [String; 7])> = new
        .iter()
        .map(|(id, case)| (*id, search_row(case, String::new())))
        .collect();
    insert_rows(tx, &rows).await
}

async fn insert_rows(tx: &mut Tx<'_>, rows: &[(i64, [String; 7])]) -> Result<(), StoreError> {
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
        b.build().execute(tx.conn()).await?;
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
        assert_eq!(fts_query("  ", true), None);
        assert_eq!(fts_query("ana oak", true).as_deref(), Some("\"ana\" AND \"oak\"*"));
        assert_eq!(fts_query("Żółć", true).as_deref(), Some("(\"Żółć\"* OR \"Zolc\"*)"));
        assert_eq!(
            fts_query("a\"b OR c*", true).as_deref(),
            Some("\"a\" AND \"b\" AND \"OR\" AND \"c\"*")
        );
        assert_eq!(fts_query("PR-2026-00042", true).as_deref(), Some("\"PR-2026-00042\"*"));
        assert_eq!(
            fts_query("jose@example.com", true).as_deref(),
            Some("\"jose@example.com\"")
        );
        assert_eq!(fts_query("ana oak", false).as_deref(), Some("\"ana\" AND \"oak\""));
    }
}
