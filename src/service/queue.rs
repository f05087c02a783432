//! What needs doing: the queue (a page of cases matching filters and a search, each with its
//! next pending clock), its total, and the dashboard of clocks overdue, due today or due soon.

use super::ServiceError;
use crate::domain::clock::{self, ClockState, PendingClock};
use crate::domain::deadline::{ClockKind, ClockSettings};
use crate::domain::details::Coverage;
use crate::domain::queue::QueueQuery;
use crate::domain::time::legal_date;
use crate::domain::{CaseNumber, CaseStatus, Channel, RequestKind};
use crate::store::clocks::{self as clock_store, CaseClockRecord};
use crate::store::{queue as queue_store, settings, CaseFile};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

/// One pending clock of one case, as the dashboard and the queue list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DueItem {
    pub number: CaseNumber,
    pub requester: String,
    pub clock: ClockKind,
    #[ts(type = "string")]
    pub due: NaiveDate,
    #[ts(type = "number")]
    pub days_left: i64,
    pub state: ClockState,
}

/// What needs doing: pending clocks that are overdue, due today, or due in the next 7 days.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Dashboard {
    #[ts(type = "string")]
    pub today: NaiveDate,
    pub overdue: Vec<DueItem>,
    pub due_today: Vec<DueItem>,
    pub due_soon: Vec<DueItem>,
}

/// A row of the queue: what it shows of a case, and the pending clock that ends first.
#[derive(Debug, Clone, Serialize, TS)]
pub struct QueueRow {
    pub number: CaseNumber,
    pub requester: String,
    pub kinds: Vec<RequestKind>,
    #[ts(type = "string")]
    pub received_date: NaiveDate,
    pub channel: Channel,
    pub status: CaseStatus,
    pub coverage: Coverage,
    pub assignee: Option<String>,
    pub next: Option<DueItem>,
}

/// One page of the queue, and whether more follow.
#[derive(Debug, Clone, Serialize, TS)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub has_more: bool,
}

fn due_item(number: CaseNumber, requester: &str, p: &PendingClock) -> DueItem {
    DueItem {
        number,
        requester: requester.to_owned(),
        clock: p.clock,
        due: p.due,
        days_left: p.days_left,
        state: p.state,
    }
}

/// One page of cases matching the query, each with its next pending clock (kept on the case,
/// so the page is one statement after the date rules), from one snapshot.
pub async fn queue(file: &CaseFile, query: &QueueQuery, now: DateTime<Utc>) -> Result<QueuePage, ServiceError> {
    let mut snapshot = file.read().await?;
    let today = legal_date(now, settings::time_zone(&mut snapshot).await?);
    let size = query.page_size() as usize;
    let mut probe = query.clone();
    probe.limit = query.page_size() + 1;
    let mut lines = queue_store::page(&mut snapshot, &probe).await?;
    let has_more = lines.len() > size;
    lines.truncate(size);
    let rows = lines
        .into_iter()
        .map(|line| QueueRow {
            next: line
                .next
                .map(|(kind, due)| due_item(line.number, &line.requester, &clock::pending_on(kind, due, today))),
            number: line.number,
            requester: line.requester,
            kinds: line.kinds,
            received_date: line.received_date,
            channel: line.channel,
            status: line.status,
            coverage: line.coverage,
            assignee: line.assignee,
        })
        .collect();
    Ok(QueuePage { rows, has_more })
}

/// How many cases match the query (all pages).
pub async fn queue_count(file: &CaseFile, query: &QueueQuery) -> Result<u64, ServiceError> {
    Ok(queue_store::count(&mut *file.read().await?, query).await?)
}

/// Every pending clock of every open case that is overdue, due today or due in the next 7 days,
/// each list soonest first.
pub async fn dashboard(file: &CaseFile, now: DateTime<Utc>) -> Result<Dashboard, ServiceError> {
    let mut snapshot = file.read().await?;
    let rules = settings::date_rules(&mut snapshot).await?;
    let records = clock_store::open_cases(&mut snapshot).await?;
    Ok(dashboard_of(&records, legal_date(now, rules.time_zone), &rules.clocks))
}

/// The dashboard of already-loaded cases (also what the benchmark measures).
pub fn dashboard_of(records: &[CaseClockRecord], today: NaiveDate, settings: &ClockSettings) -> Dashboard {
    let calendar = settings.business_calendar();
    let week = today + Duration::days(7);
    let (mut overdue, mut due_today, mut due_soon) = (Vec::new(), Vec::new(), Vec::new());
    for record in records {
        for p in clock::pending(&record.facts, today, &calendar, settings.rules()) {
            let due = p.due;
            let list = if due < today {
                &mut overdue
            } else if due == today {
                &mut due_today
            } else if due <= week {
                &mut due_soon
            } else {
                continue;
            };
            list.push(due_item(record.number, &record.requester, &p));
        }
    }
    for list in [&mut overdue, &mut due_today, &mut due_soon] {
        list.sort_by_key(|a| (a.due, a.number));
    }
    Dashboard {
        today,
        overdue,
        due_today,
        due_soon,
    }
}
