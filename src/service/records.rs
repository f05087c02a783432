//! The § 7101 records log and the § 7102 metrics as staff and counsel receive them: read in one
//! snapshot, computed by `domain::records` (one place for every figure), and written as JSON,
//! CSV (cells a spreadsheet would run as formulas neutralised) or PDF (with the charts).

use super::specific::cell;
use super::ServiceError;
use crate::domain::records::{self, KindFigures, LogLine, Metrics, ReportKind};
use crate::domain::RequestKind;
use crate::letters::pdf::{PdfInfo, Press};
use crate::letters::report::ReportPages;
use crate::store::{self, CaseFile};
use chrono::{DateTime, NaiveDate, Utc};
use ts_rs::TS;

/// The § 7101 log of the cases received from `from` to `to`; names only `with_names`.
pub async fn records_log(
    file: &CaseFile,
    from: NaiveDate,
    to: NaiveDate,
    with_names: bool,
) -> Result<Vec<LogLine>, ServiceError> {
    if from > to {
        return Err(ServiceError::invalid(
            "from",
            format!("--from {from} is after --to {to}."),
        ));
    }
    let mut snapshot = file.read().await?;
    let cases = store::records::received_between(&mut snapshot, from, to, with_names).await?;
    Ok(cases.iter().map(records::log_line).collect())
}

/// The § 7102 figures of a calendar year, as of now; `apart`: people outside the notice
/// counted on their own.
pub async fn metrics(file: &CaseFile, year: i32, apart: bool, now: DateTime<Utc>) -> Result<Metrics, ServiceError> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(ServiceError::invalid(
            "year",
            format!("{year} is not a year the calendar knows."),
        ));
    };
    // The CCPA's first requests came in 2020 (Civ. Code § 1798.198).
    if !(2020..=9999).contains(&year) {
        return Err(ServiceError::invalid(
            "year",
            format!("{year}: give a calendar year from 2020 on."),
        ));
    }
    let mut snapshot = file.read().await?;
    let rules = store::settings::date_rules(&mut snapshot).await?;
    let today = crate::domain::time::legal_date(now, rules.time_zone);
    let cases = store::records::received_between(&mut snapshot, from, to, false).await?;
    Ok(records::metrics(
        &cases,
        year,
        today,
        &rules.clocks.business_calendar(),
        rules.clocks.rules(),
        apart,
    ))
}

fn kinds_text(kinds: &[RequestKind]) -> String {
    kinds.iter().map(|k| k.token()).collect::<Vec<_>>().join(" ")
}

/// The log as CSV: one row per kind of each case (the request's date, nature and manner
/// repeated), so a spreadsheet can filter by kind.
pub fn log_csv(lines: &[LogLine]) -> Vec<u8> {
    let with_names = lines.iter().any(|l| l.name.is_some());
    let mut csv = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "case",
        "received_on",
        "request",
        "channel",
        "kind",
        "response",
        "responded_on",
        "denial_reason",
        "basis",
    ];
    if with_names {
        header.insert(1, "name");
    }
    csv.write_record(&header).expect("in memory");
    for l in lines {
        for r in &l.responses {
            let mut row = vec![
                l.number.to_string(),
                l.received_on.to_string(),
                kinds_text(&l.kinds),
                l.channel.token().to_owned(),
                r.kind.token().to_owned(),
                r.nature.clone(),
                r.on.map(|d| d.to_string()).unwrap_or_default(),
                r.denial_reason.clone().unwrap_or_default(),
                r.basis.clone().unwrap_or_default(),
            ];
            if with_names {
                row.insert(1, l.name.clone().unwrap_or_default());
            }
            csv.write_record(row.iter().map(|c| cell(c))).expect("in memory");
        }
    }
    csv.into_inner().expect("in memory")
}

/// The log as a PDF: the same rows as the CSV, a table per page.
pub fn log_pdf(lines: &[LogLine], from: NaiveDate, to: NaiveDate, organisation: &str, now: DateTime<Utc>) -> Vec<u8> {
    let with_names = lines.iter().any(|l| l.name.is_some());
    let mut r = ReportPages::new(
        "Records of consumer requests (11 CCR § 7101)",
        &format!(
            "{organisation}. Requests received from {from} to {to}: {} {}. Each row is one part of a request: when it was made, how, and how and when it was answered, with the basis of any denial. Kept for 24 months (§ 7101(a)).",
            lines.len(),
            if lines.len() == 1 { "case" } else { "cases" }
        ),
    );
    let mut header = vec![
        "Case",
        "Received",
        "Channel",
        "Part",
        "Response",
        "On",
        "Denial: reason, basis",
    ];
    let mut widths = vec![1.3, 1.0, 1.0, 1.2, 1.2, 1.0, 1.8];
    if with_names {
        header.insert(1, "Name");
        widths.insert(1, 1.4);
    }
    let rows: Vec<Vec<String>> = lines
        .iter()
        .flat_map(|l| {
            l.responses.iter().map(move |resp| {
                let mut row = vec![
                    l.number.to_string(),
                    l.received_on.to_string(),
                    l.channel.token().to_owned(),
                    resp.kind.token().to_owned(),
                    resp.nature.clone(),
                    resp.on.map(|d| d.to_string()).unwrap_or_default(),
                    [resp.denial_reason.clone(), resp.basis.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", "),
                ];
                if with_names {
                    row.insert(1, l.name.clone().unwrap_or_default());
                }
                row
            })
        })
        .collect();
    r.table(&header, &widths, &rows);
    pdf(r, "Records of consumer requests", organisation, now)
}

fn pdf(r: ReportPages, title: &str, author: &str, now: DateTime<Utc>) -> Vec<u8> {
    let pages = r.finish();
    Press::new(None).letter(
        &pages,
        &PdfInfo {
            title,
            author,
            created: now,
        },
    )
}

fn days(v: Option<f64>) -> String {
    v.map(|d| format!("{d:.1}")).unwrap_or_default()
}

const CSV_HEADER: [&str; 14] = [
    "kind",
    "received",
    "complied_in_whole_or_part",
    "complied_in_part",
    "denied",
    "denied_unverifiable",
    "denied_not_covered",
    "denied_exempt",
    "denied_other",
    "pending",
    "withdrawn",
    "outcome_not_recorded",
    "median_days",
    "mean_days",
];

fn figure_row(k: &KindFigures) -> Vec<String> {
    let by = |r: &str| k.denied_by_reason.get(r).copied().unwrap_or(0).to_string();
    vec![
        k.kind.token().to_owned(),
        k.received.to_string(),
        k.complied_in_whole_or_part.to_string(),
        k.complied_in_part.to_string(),
        k.denied.to_string(),
        by("unverifiable"),
        by("not-covered"),
        by("exempt"),
        by("other"),
        k.pending.to_string(),
        k.withdrawn.to_string(),
        k.outcome_not_recorded.to_string(),
        days(k.median_days),
        days(k.mean_days),
    ]
}

/// The metrics as CSV: one row per kind (and per kind outside the notice, when apart).
pub fn metrics_csv(m: &Metrics) -> Vec<u8> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["year", "group"];
    header.extend(CSV_HEADER);
    csv.write_record(&header).expect("in memory");
    let groups = [
        ("covered", Some(&m.kinds)),
        ("outside-notice", m.outside_notice.as_ref()),
    ];
    for (group, kinds) in groups {
        for k in kinds.into_iter().flatten() {
            let mut row = vec![m.year.to_string(), group.to_owned()];
            row.extend(figure_row(k));
            csv.write_record(row).expect("in memory");
        }
    }
    csv.into_inner().expect("in memory")
}

const KIND_NAMES: [(ReportKind, &str); 5] = [
    (ReportKind::Know, "To know"),
    (ReportKind::Delete, "To delete"),
    (ReportKind::Correct, "To correct"),
    (ReportKind::OptOut, "To opt out"),
    (ReportKind::Limit, "To limit"),
];

fn kind_name(kind: ReportKind) -> &'static str {
    KIND_NAMES.iter().find(|(k, _)| *k == kind).map_or("", |(_, n)| n)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The metrics as a PDF: the § 7102 table, then the charts (counts per kind, days to respond,
/// requests per month, on-time share per clock).
pub fn metrics_pdf(m: &Metrics, organisation: &str, now: DateTime<Utc>) -> Vec<u8> {
    let mut r = ReportPages::new(
        &format!("Privacy request metrics {} (11 CCR § 7102)", m.year),
        &format!(
            "{organisation}. Requests received from January 1 to December 31, {}, counted by kind, with how they were answered and the median and mean number of days to the substantive response (for opt-out and limit, to compliance). Figures as of {}.",
            m.year,
            now.date_naive()
        ),
    );
    let table = |r: &mut ReportPages, kinds: &[KindFigures]| {
        let rows: Vec<Vec<String>> = kinds
            .iter()
            .map(|k| {
                let by = |reason: &str| k.denied_by_reason.get(reason).copied().unwrap_or(0);
                vec![
                    kind_name(k.kind).to_owned(),
                    k.received.to_string(),
                    k.complied_in_whole_or_part.to_string(),
                    format!(
                        "{} ({} unverifiable, {} not covered, {} exempt, {} other)",
                        k.denied,
                        by("unverifiable"),
                        by("not-covered"),
                        by("exempt"),
                        by("other")
                    ),
                    k.pending.to_string(),
                    days(k.median_days),
                    days(k.mean_days),
                ]
            })
            .collect();
        r.table(
            &[
                "Request",
                "Received",
                "Complied (whole or part)",
                "Denied",
                "Open",
                "Median days",
                "Mean days",
            ],
            &[1.1, 0.9, 1.1, 2.6, 0.7, 0.9, 0.9],
            &rows,
        );
    };
    r.heading("Requests and how they were answered");
    table(&mut r, &m.kinds);
    if let Some(outside) = &m.outside_notice {
        r.heading("Requests from people outside the notice");
        table(&mut r, outside);
    }
    r.heading("Charts");
    let counts: Vec<(String, String, f64)> = m
        .kinds
        .iter()
        .map(|k| (kind_name(k.kind).to_owned(), k.received.to_string(), k.received as f64))
        .collect();
    r.bars("Requests received, per kind", &counts, None);
    let days_bars: Vec<(String, String, f64)> = m
        .days
        .iter()
        .map(|b| (format!("{} days", b.label), b.requests.to_string(), b.requests as f64))
        .collect();
    r.bars("Days from receipt to the response", &days_bars, None);
    let months: Vec<(String, String, f64)> = m
        .months
        .iter()
        .zip(MONTHS)
        .map(|(n, month)| (month.to_owned(), n.to_string(), *n as f64))
        .collect();
    r.bars("Cases received per month", &months, None);
    let clocks: Vec<(String, String, f64)> = m
        .clocks
        .iter()
        .map(|c| {
            let share = c.on_time_share.unwrap_or(0.0);
            (
                match c.clock {
                    crate::domain::deadline::ClockKind::Acknowledge => "Confirm receipt",
                    crate::domain::deadline::ClockKind::Comply => "Opt-out and limit",
                    _ => "Respond",
                }
                .to_owned(),
                match c.on_time_share {
                    Some(s) => format!(
                        "{:.1}% on time ({} of {})",
                        s * 100.0,
                        c.on_time,
                        c.on_time + c.late + c.overdue
                    ),
                    None => "none due yet".to_owned(),
                },
                share,
            )
        })
        .collect();
    r.bars(
        "Clocks met on time (the bar's full length: every one)",
        &clocks,
        Some(1.0),
    );
    pdf(r, &format!("Privacy request metrics {}", m.year), organisation, now)
}

/// The organisation's name, for the reports' first line.
pub async fn organisation_name(file: &CaseFile) -> Result<String, ServiceError> {
    let mut snapshot = file.read().await?;
    let (_, profile) = super::intake::intake_rules(&mut snapshot).await?;
    Ok(profile.name)
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ReportFormat {
    Csv,
    Pdf,
    Json,
}

impl ReportFormat {
    fn extension(self) -> &'static str {
        match self {
            ReportFormat::Csv => "csv",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Json => "json",
        }
    }
}

/// The log in a format, as written to a file.
pub async fn log_bytes(
    file: &CaseFile,
    lines: &[LogLine],
    format: ReportFormat,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ServiceError> {
    Ok(match format {
        ReportFormat::Csv => log_csv(lines),
        ReportFormat::Json => serde_json::to_vec_pretty(lines).expect("plain data"),
        ReportFormat::Pdf => log_pdf(lines, from, to, &organisation_name(file).await?, now),
    })
}

/// The metrics in a format, as written to a file.
pub async fn metrics_bytes(
    file: &CaseFile,
    m: &Metrics,
    format: ReportFormat,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ServiceError> {
    Ok(match format {
        ReportFormat::Csv => metrics_csv(m),
        ReportFormat::Json => serde_json::to_vec_pretty(m).expect("plain data"),
        ReportFormat::Pdf => metrics_pdf(m, &organisation_name(file).await?, now),
    })
}

/// Saves the metrics of a year in `folder` ("PrivacyDesk metrics 2026.pdf", never over
/// another file) and says where.
pub async fn save_metrics(
    file: &CaseFile,
    year: i32,
    apart: bool,
    format: ReportFormat,
    folder: &std::path::Path,
    now: DateTime<Utc>,
) -> Result<std::path::PathBuf, ServiceError> {
    let m = metrics(file, year, apart, now).await?;
    let bytes = metrics_bytes(file, &m, format, now).await?;
    super::save_copy(
        folder,
        &format!("PrivacyDesk metrics {year}.{}", format.extension()),
        &bytes,
    )
}

/// Saves the records log of a date range in `folder` and says where.
pub async fn save_records_log(
    file: &CaseFile,
    from: NaiveDate,
    to: NaiveDate,
    with_names: bool,
    format: ReportFormat,
    folder: &std::path::Path,
    now: DateTime<Utc>,
) -> Result<std::path::PathBuf, ServiceError> {
    let lines = records_log(file, from, to, with_names).await?;
    let bytes = log_bytes(file, &lines, format, from, to, now).await?;
    super::save_copy(
        folder,
        &format!("PrivacyDesk records {from} to {to}.{}", format.extension()),
        &bytes,
    )
}

/// How many open cases have a status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, TS)]
pub struct StatusCount {
    pub status: crate::domain::CaseStatus,
    #[ts(type = "number")]
    pub cases: u64,
}

/// The open case received first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, TS)]
pub struct OldestOpen {
    pub number: crate::domain::CaseNumber,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    #[ts(type = "number")]
    pub days_open: i64,
}

/// What the dashboard shows beside the deadlines.
#[derive(Debug, Clone, PartialEq, serde::Serialize, TS)]
pub struct DashboardFigures {
    pub open_by_status: Vec<StatusCount>,
    /// Over the cases received in the last 12 months.
    pub clocks: Vec<records::ClockFigures>,
    pub oldest_open: Option<OldestOpen>,
}

/// Open cases by status, how each clock was met over the cases received in the last 12
/// months, and the oldest open case (one snapshot).
pub async fn dashboard_figures(file: &CaseFile, now: DateTime<Utc>) -> Result<DashboardFigures, ServiceError> {
    use crate::domain::CaseStatus;
    let mut snapshot = file.read().await?;
    let rules = store::settings::date_rules(&mut snapshot).await?;
    let today = crate::domain::time::legal_date(now, rules.time_zone);
    let counts = store::records::open_by_status(&mut snapshot).await?;
    let open_by_status = CaseStatus::OPEN
        .iter()
        .map(|s| StatusCount {
            status: *s,
            cases: counts.iter().find(|(t, _)| t == s).map_or(0, |(_, n)| *n),
        })
        .collect();
    let oldest_open = store::records::oldest_open(&mut snapshot)
        .await?
        .map(|(number, received_on)| OldestOpen {
            number,
            received_on,
            days_open: (today - received_on).num_days(),
        });
    let from = today.checked_sub_months(chrono::Months::new(12)).unwrap_or(today);
    let cases = store::records::received_between(&mut snapshot, from, today, false).await?;
    Ok(DashboardFigures {
        open_by_status,
        clocks: records::clock_figures(&cases, today, &rules.clocks.business_calendar(), rules.clocks.rules()),
        oldest_open,
    })
}
