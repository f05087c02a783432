//! The records a business keeps of its requests and the figures it reports on them: the § 7101
//! log (one line per case: when, what, how it came, how and when each part was answered, on
//! which basis a denial rests) and the § 7102 metrics of a calendar year. Pure: the rows come
//! from the store, today and the calendar are passed in. The screen, the PDF, the CSV and the
//! CLI all take their figures from [`metrics`], so they agree to the digit.

use super::calendar::BusinessCalendar;
use super::clock::{self, ClockFacts, ClockState};
use super::deadline::{ClockKind, ClockRules};
use super::{CaseNumber, CaseStatus, Channel, RequestKind};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

/// How one kind of a case was answered, as stored (`case_response`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub kind: RequestKind,
    /// `complied`, `complied-in-part` or `denied`.
    pub outcome: String,
    pub denial_reason: Option<String>,
    pub basis: Option<String>,
    pub on: NaiveDate,
}

/// What the records hold of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub number: CaseNumber,
    /// Only when staff ask for names (§ 7101 needs no more than the case number).
    pub name: Option<String>,
    pub channel: Channel,
    pub status: CaseStatus,
    /// The person is outside the notice (not a covered individual of a covered entity).
    pub outside_notice: bool,
    pub facts: ClockFacts,
    pub responses: Vec<StoredResponse>,
}

/// The kinds § 7102 counts: a request to know counts once, whether it asks for categories,
/// specific pieces or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    Know,
    Delete,
    Correct,
    OptOut,
    Limit,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] = [
        ReportKind::Know,
        ReportKind::Delete,
        ReportKind::Correct,
        ReportKind::OptOut,
        ReportKind::Limit,
    ];

    pub fn token(self) -> &'static str {
        match self {
            ReportKind::Know => "know",
            ReportKind::Delete => "delete",
            ReportKind::Correct => "correct",
            ReportKind::OptOut => "opt-out",
            ReportKind::Limit => "limit",
        }
    }

    fn parts(self) -> &'static [RequestKind] {
        match self {
            ReportKind::Know => &[RequestKind::KnowCategories, RequestKind::KnowSpecific],
            ReportKind::Delete => &[RequestKind::Delete],
            ReportKind::Correct => &[RequestKind::Correct],
            ReportKind::OptOut => &[RequestKind::OptOut],
            ReportKind::Limit => &[RequestKind::Limit],
        }
    }
}

/// Why a request was denied, as § 7102 splits denials.
pub const DENIAL_REASONS: [&str; 4] = ["unverifiable", "not-covered", "exempt", "other"];

/// Where one kind of one case stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Not answered yet.
    Pending,
    /// Complied with in whole (`part: false`) or in part, on a day.
    Complied { on: NaiveDate, part: bool },
    /// Denied on a day (not known for a case closed as denied with no response recorded), for
    /// one of [`DENIAL_REASONS`], on a basis when exempt.
    Denied {
        on: Option<NaiveDate>,
        reason: String,
        basis: Option<String>,
    },
    /// The person withdrew the request before it was answered.
    Withdrawn,
    /// Answered with no outcome kept per kind (`respond` without `--kind`, or a case moved on
    /// by hand): the day, when recorded.
    Unrecorded { on: Option<NaiveDate> },
}

impl Answer {
    pub fn on(&self) -> Option<NaiveDate> {
        match self {
            Answer::Complied { on, .. } => Some(*on),
            Answer::Denied { on, .. } | Answer::Unrecorded { on } => *on,
            Answer::Pending | Answer::Withdrawn => None,
        }
    }
}

/// The answer to one request kind of a case, from the stored outcome (never from the history).
/// A case closed as not covered or denied without a per-kind outcome is a denial (not covered,
/// other) on the day its response was recorded, if any.
pub fn answer_of(case: &CaseRecord, part: RequestKind) -> Answer {
    if let Some(r) = case.responses.iter().find(|r| r.kind == part) {
        return match r.outcome.as_str() {
            "denied" => Answer::Denied {
                on: Some(r.on),
                reason: r.denial_reason.clone().unwrap_or_else(|| "other".into()),
                basis: r.basis.clone(),
            },
            outcome => Answer::Complied {
                on: r.on,
                part: outcome == "complied-in-part",
            },
        };
    }
    let act = if matches!(part, RequestKind::OptOut | RequestKind::Limit) {
        case.facts.complied_on
    } else {
        case.facts.responded_on
    };
    match (case.status, act) {
        (CaseStatus::NotCovered, on) => Answer::Denied {
            on,
            reason: "not-covered".into(),
            basis: None,
        },
        (CaseStatus::Denied, on) => Answer::Denied {
            on,
            reason: "other".into(),
            basis: None,
        },
        (CaseStatus::Withdrawn, None) => Answer::Withdrawn,
        (CaseStatus::Responded | CaseStatus::Closed, on) => Answer::Unrecorded { on },
        (_, Some(on)) => Answer::Unrecorded { on: Some(on) },
        (_, None) => Answer::Pending,
    }
}

/// The answer to a report kind of a case (`None`: the case does not ask for it). A request to
/// know in two parts is complied with when either part is (in part when the other is denied),
/// denied when both are, pending while either is; its day is the later part's.
pub fn report_answer(case: &CaseRecord, kind: ReportKind) -> Option<Answer> {
    let answers: Vec<Answer> = kind
        .parts()
        .iter()
        .filter(|p| case.facts.kinds.contains(p))
        .map(|p| answer_of(case, *p))
        .collect();
    let first = answers.first()?.clone();
    if answers.len() == 1 {
        return Some(first);
    }
    if answers.contains(&Answer::Pending) {
        return Some(Answer::Pending);
    }
    if answers.iter().all(|a| *a == Answer::Withdrawn) {
        return Some(Answer::Withdrawn);
    }
    let on = answers.iter().filter_map(Answer::on).max();
    let complied: Vec<bool> = answers
        .iter()
        .filter_map(|a| match a {
            Answer::Complied { part, .. } => Some(*part),
            _ => None,
        })
        .collect();
    if !complied.is_empty() {
        let whole = complied.len() == answers.len() && complied.iter().all(|p| !p);
        return Some(Answer::Complied {
            on: on.unwrap_or(case.facts.received_date),
            part: !whole,
        });
    }
    if answers.iter().any(|a| matches!(a, Answer::Unrecorded { .. })) {
        return Some(Answer::Unrecorded { on });
    }
    Some(
        answers
            .into_iter()
            .find(|a| matches!(a, Answer::Denied { .. }))
            .map(|a| match a {
                Answer::Denied { reason, basis, .. } => Answer::Denied { on, reason, basis },
                other => other,
            })
            .unwrap_or(Answer::Withdrawn),
    )
}

/// The figures of one kind for a year (§ 7102(a)).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct KindFigures {
    pub kind: ReportKind,
    pub received: u64,
    pub complied_in_whole_or_part: u64,
    /// Of those, in part.
    pub complied_in_part: u64,
    pub denied: u64,
    /// `unverifiable`, `not-covered`, `exempt`, `other`: each present, 0 when none.
    #[ts(type = "Record<string, number>")]
    pub denied_by_reason: std::collections::BTreeMap<String, u64>,
    pub pending: u64,
    pub withdrawn: u64,
    /// Answered before outcomes were kept per kind: neither complied nor denied is known.
    pub outcome_not_recorded: u64,
    /// Days from receipt to the substantive response (for opt-out and limit, to compliance),
    /// over the requests answered; `null` when none was.
    pub median_days: Option<f64>,
    pub mean_days: Option<f64>,
}

/// How one clock was met over the year.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ClockFigures {
    pub clock: ClockKind,
    pub on_time: u64,
    pub late: u64,
    /// Not met and past due.
    pub overdue: u64,
    /// Met on time over those met or due; `null` when none was due yet.
    pub on_time_share: Option<f64>,
}

/// A bar of the days-to-respond distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DaysBucket {
    /// "0–10", …, "91+".
    pub label: String,
    pub requests: u64,
}

/// The § 7102 figures of a calendar year.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Metrics {
    pub year: i32,
    /// Requests received in the year, per kind, in [`ReportKind::ALL`] order.
    pub kinds: Vec<KindFigures>,
    /// Cases received per month (January first).
    pub months: Vec<u64>,
    pub days: Vec<DaysBucket>,
    pub clocks: Vec<ClockFigures>,
    /// Requests from people outside the notice, when shown apart (then not in `kinds`).
    pub outside_notice: Option<Vec<KindFigures>>,
}

const BUCKETS: [(i64, &str); 7] = [
    (10, "0–10"),
    (20, "11–20"),
    (30, "21–30"),
    (45, "31–45"),
    (60, "46–60"),
    (90, "61–90"),
    (i64::MAX, "91+"),
];

fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 {
        sorted[n / 2] as f64
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0
    })
}

/// Rounded to one decimal, as the report prints it (the JSON says what the page says).
fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Accumulates one kind's figures.
#[derive(Default)]
struct Tally {
    received: u64,
    complied: u64,
    in_part: u64,
    denied: std::collections::BTreeMap<String, u64>,
    pending: u64,
    withdrawn: u64,
    unrecorded: u64,
    days: Vec<i64>,
}

impl Tally {
    fn add(&mut self, received: NaiveDate, answer: &Answer) {
        self.received += 1;
        match answer {
            Answer::Pending => self.pending += 1,
            Answer::Withdrawn => self.withdrawn += 1,
            Answer::Complied { part, .. } => {
                self.complied += 1;
                self.in_part += u64::from(*part);
            }
            Answer::Denied { reason, .. } => *self.denied.entry(reason.clone()).or_default() += 1,
            Answer::Unrecorded { .. } => self.unrecorded += 1,
        }
        if let Some(on) = answer.on() {
            self.days.push((on - received).num_days().max(0));
        }
    }

    fn figures(mut self, kind: ReportKind) -> KindFigures {
        self.days.sort_unstable();
        let mut by_reason: std::collections::BTreeMap<String, u64> =
            DENIAL_REASONS.iter().map(|r| ((*r).to_owned(), 0)).collect();
        for (reason, n) in self.denied {
            *by_reason.entry(reason).or_default() += n;
        }
        let mean =
            (!self.days.is_empty()).then(|| one_decimal(self.days.iter().sum::<i64>() as f64 / self.days.len() as f64));
        KindFigures {
            kind,
            received: self.received,
            complied_in_whole_or_part: self.complied,
            complied_in_part: self.in_part,
            denied: by_reason.values().sum(),
            denied_by_reason: by_reason,
            pending: self.pending,
            withdrawn: self.withdrawn,
            outcome_not_recorded: self.unrecorded,
            median_days: median(&self.days).map(one_decimal),
            mean_days: mean,
        }
    }
}

/// The § 7102 figures of `year` over `cases` (any received outside the year are left out):
/// per kind received, complied with in whole or in part, denied (split by reason), and the
/// median and mean days to the substantive response; requests per month, the days-to-respond
/// distribution and how each clock was met (as of `today`). With `apart`, requests from people
/// outside the notice are counted on their own.
pub fn metrics(
    cases: &[CaseRecord],
    year: i32,
    today: NaiveDate,
    calendar: &BusinessCalendar,
    rules: ClockRules,
    apart: bool,
) -> Metrics {
    let mut inside: Vec<Tally> = ReportKind::ALL.iter().map(|_| Tally::default()).collect();
    let mut outside: Vec<Tally> = ReportKind::ALL.iter().map(|_| Tally::default()).collect();
    let mut months = vec![0u64; 12];
    let mut days = vec![0u64; BUCKETS.len()];
    for case in cases.iter().filter(|c| c.facts.received_date.year() == year) {
        let received = case.facts.received_date;
        months[received.month0() as usize] += 1;
        let tallies = if apart && case.outside_notice {
            &mut outside
        } else {
            &mut inside
        };
        for (i, kind) in ReportKind::ALL.iter().enumerate() {
            if let Some(answer) = report_answer(case, *kind) {
                if let Some(on) = answer.on() {
                    let d = (on - received).num_days().max(0);
                    let bucket = BUCKETS
                        .iter()
                        .position(|(max, _)| d <= *max)
                        .unwrap_or(BUCKETS.len() - 1);
                    days[bucket] += 1;
                }
                tallies[i].add(received, &answer);
            }
        }
    }
    let figures = |tallies: Vec<Tally>| -> Vec<KindFigures> {
        tallies
            .into_iter()
            .zip(ReportKind::ALL)
            .map(|(t, k)| t.figures(k))
            .collect()
    };
    Metrics {
        year,
        kinds: figures(inside),
        months,
        days: BUCKETS
            .iter()
            .zip(days)
            .map(|((_, label), requests)| DaysBucket {
                label: (*label).to_owned(),
                requests,
            })
            .collect(),
        clocks: clock_figures(
            cases.iter().filter(|c| c.facts.received_date.year() == year),
            today,
            calendar,
            rules,
        ),
        outside_notice: apart.then(|| figures(outside)),
    }
}

/// How each clock was met over `cases`, as of `today`: on time, late, or overdue while the
/// case is open (a case closed without its act is not counted as overdue).
pub fn clock_figures<'a>(
    cases: impl IntoIterator<Item = &'a CaseRecord>,
    today: NaiveDate,
    calendar: &BusinessCalendar,
    rules: ClockRules,
) -> Vec<ClockFigures> {
    let mut clocks = [(0u64, 0u64, 0u64); 3];
    for case in cases {
        for (kind, state) in clock::states(&case.facts, today, calendar, rules) {
            // The extended respond clock stands for the respond clock once an extension runs.
            let slot = match kind {
                ClockKind::Acknowledge => 0,
                ClockKind::Respond | ClockKind::RespondExtended => 1,
                ClockKind::Comply => 2,
            };
            let tally = &mut clocks[slot];
            match state {
                ClockState::Met => tally.0 += 1,
                ClockState::MetLate => tally.1 += 1,
                ClockState::Overdue if CaseStatus::OPEN.contains(&case.status) => tally.2 += 1,
                _ => {}
            }
        }
    }
    [ClockKind::Acknowledge, ClockKind::Respond, ClockKind::Comply]
        .into_iter()
        .zip(clocks)
        .map(|(clock, (on_time, late, overdue))| {
            let due = on_time + late + overdue;
            ClockFigures {
                clock,
                on_time,
                late,
                overdue,
                on_time_share: (due > 0).then(|| one_decimal(on_time as f64 * 100.0 / due as f64) / 100.0),
            }
        })
        .collect()
}

/// One line of the § 7101 log: one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LogLine {
    pub number: CaseNumber,
    /// Only with names asked for.
    pub name: Option<String>,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    /// The nature of the request: its kinds.
    pub kinds: Vec<RequestKind>,
    /// The manner in which it was made.
    pub channel: Channel,
    pub responses: Vec<LogResponse>,
}

/// How one kind of a logged case was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LogResponse {
    pub kind: RequestKind,
    /// `complied`, `complied-in-part`, `denied`, `pending`, `withdrawn` or `answered` (the day
    /// known, the outcome not recorded).
    pub nature: String,
    #[ts(type = "string | null")]
    pub on: Option<NaiveDate>,
    pub denial_reason: Option<String>,
    pub basis: Option<String>,
}

/// The § 7101(b) line of a case: date of request, nature, manner, and per kind the date and
/// nature of the response and the basis of any denial.
pub fn log_line(case: &CaseRecord) -> LogLine {
    LogLine {
        number: case.number,
        name: case.name.clone(),
        received_on: case.facts.received_date,
        kinds: case.facts.kinds.clone(),
        channel: case.channel,
        responses: case
            .facts
            .kinds
            .iter()
            .map(|kind| {
                let answer = answer_of(case, *kind);
                let (nature, reason, basis) = match &answer {
                    Answer::Pending => ("pending", None, None),
                    Answer::Withdrawn => ("withdrawn", None, None),
                    Answer::Complied { part: false, .. } => ("complied", None, None),
                    Answer::Complied { part: true, .. } => ("complied-in-part", None, None),
                    Answer::Denied { reason, basis, .. } => ("denied", Some(reason.clone()), basis.clone()),
                    Answer::Unrecorded { .. } => ("answered", None, None),
                };
                LogResponse {
                    kind: *kind,
                    nature: nature.to_owned(),
                    on: answer.on(),
                    denial_reason: reason,
                    basis,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::deadline::ClockSettings;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn case(
        n: u32,
        received: &str,
        kinds: Vec<RequestKind>,
        responses: Vec<(RequestKind, &str, Option<&str>, &str)>,
    ) -> CaseRecord {
        CaseRecord {
            number: format!("PR-2026-{n:05}").parse().unwrap(),
            name: None,
            channel: Channel::Email,
            status: CaseStatus::InProgress,
            outside_notice: false,
            facts: ClockFacts {
                received_date: d(received),
                time_zone: "America/Los_Angeles".into(),
                kinds,
                acknowledgment: None,
                extension: None,
                responded_on: None,
                complied_on: None,
            },
            responses: responses
                .into_iter()
                .map(|(kind, outcome, reason, on)| StoredResponse {
                    kind,
                    outcome: outcome.into(),
                    denial_reason: reason.map(str::to_owned),
                    basis: None,
                    on: d(on),
                })
                .collect(),
        }
    }

    fn figures(m: &Metrics, kind: ReportKind) -> &KindFigures {
        m.kinds.iter().find(|k| k.kind == kind).unwrap()
    }

    fn run(cases: &[CaseRecord], apart: bool) -> Metrics {
        let s = ClockSettings::default();
        metrics(cases, 2026, d("2026-12-31"), &s.business_calendar(), s.rules(), apart)
    }

    #[test]
    fn a_request_to_know_in_two_parts_counts_once_section_7102a() {
        use RequestKind::*;
        // Categories complied with, specific pieces denied as unverifiable: complied in part.
        let both = case(
            1,
            "2026-03-02",
            vec![KnowCategories, KnowSpecific],
            vec![
                (KnowCategories, "complied", None, "2026-03-20"),
                (KnowSpecific, "denied", Some("unverifiable"), "2026-03-10"),
            ],
        );
        assert_eq!(
            report_answer(&both, ReportKind::Know),
            Some(Answer::Complied {
                on: d("2026-03-20"),
                part: true
            })
        );
        let m = run(&[both], false);
        let know = figures(&m, ReportKind::Know);
        assert_eq!((know.received, know.complied_in_whole_or_part, know.denied), (1, 1, 0));
        assert_eq!(know.median_days, Some(18.0));
    }

    #[test]
    fn median_and_mean_days_and_denials_by_reason_match_a_hand_count_section_7102a() {
        use RequestKind::*;
        let cases = vec![
            case(
                1,
                "2026-01-05",
                vec![Delete],
                vec![(Delete, "complied", None, "2026-01-15")],
            ), // 10
            case(
                2,
                "2026-02-02",
                vec![Delete],
                vec![(Delete, "complied-in-part", None, "2026-03-04")],
            ), // 30
            case(
                3,
                "2026-03-02",
                vec![Delete],
                vec![(Delete, "denied", Some("exempt"), "2026-03-22")],
            ), // 20
            case(
                4,
                "2026-04-01",
                vec![Delete],
                vec![(Delete, "denied", Some("unverifiable"), "2026-05-16")],
            ), // 45
            case(5, "2026-05-01", vec![Delete], vec![]), // pending
            case(
                6,
                "2025-12-30",
                vec![Delete],
                vec![(Delete, "complied", None, "2026-01-02")],
            ), // last year
            case(
                7,
                "2026-06-01",
                vec![OptOut],
                vec![(OptOut, "complied", None, "2026-06-05")],
            ), // 4
        ];
        let mut closed = case(8, "2026-07-01", vec![Correct], vec![]);
        closed.status = CaseStatus::Closed; // moved on by hand: answered, outcome not kept
        let mut cases = cases;
        cases.push(closed);
        let m = run(&cases, false);
        let correct = figures(&m, ReportKind::Correct);
        assert_eq!(
            (correct.outcome_not_recorded, correct.pending, correct.median_days),
            (1, 0, None)
        );
        let del = figures(&m, ReportKind::Delete);
        assert_eq!(del.received, 5);
        assert_eq!(del.complied_in_whole_or_part, 2);
        assert_eq!(del.complied_in_part, 1);
        assert_eq!(del.denied, 2);
        assert_eq!(del.denied_by_reason["exempt"], 1);
        assert_eq!(del.denied_by_reason["unverifiable"], 1);
        assert_eq!(del.denied_by_reason["other"], 0);
        assert_eq!(del.pending, 1);
        // Days 10, 20, 30, 45: median 25, mean 26.25 -> 26.3.
        assert_eq!(del.median_days, Some(25.0));
        assert_eq!(del.mean_days, Some(26.3));
        let opt = figures(&m, ReportKind::OptOut);
        assert_eq!(
            (opt.received, opt.complied_in_whole_or_part, opt.median_days),
            (1, 1, Some(4.0))
        );
        assert_eq!(m.months.iter().sum::<u64>(), 7);
        assert_eq!(m.months[0], 1);
        assert_eq!(m.days.iter().map(|b| b.requests).sum::<u64>(), 5);
    }

    #[test]
    fn a_case_closed_not_covered_without_an_outcome_is_a_denial_not_covered_section_7102a() {
        use RequestKind::*;
        let mut c = case(1, "2026-03-02", vec![Delete, OptOut], vec![]);
        c.status = CaseStatus::NotCovered;
        c.outside_notice = true;
        let m = run(std::slice::from_ref(&c), false);
        assert_eq!(figures(&m, ReportKind::Delete).denied_by_reason["not-covered"], 1);
        assert_eq!(figures(&m, ReportKind::OptOut).denied_by_reason["not-covered"], 1);
        // Shown apart when asked: the covered figures hold none of it.
        let m = run(&[c], true);
        assert_eq!(figures(&m, ReportKind::Delete).received, 0);
        let outside = m.outside_notice.unwrap();
        assert_eq!(outside.iter().find(|k| k.kind == ReportKind::Delete).unwrap().denied, 1);
    }

    #[test]
    fn the_log_line_holds_what_section_7101b_asks_and_no_name_unless_asked() {
        use RequestKind::*;
        let c = case(
            9,
            "2026-03-02",
            vec![Delete, Correct],
            vec![(Delete, "denied", Some("exempt"), "2026-03-30")],
        );
        let line = log_line(&c);
        assert_eq!(line.name, None);
        assert_eq!(line.received_on, d("2026-03-02"));
        assert_eq!(line.channel, Channel::Email);
        assert_eq!(line.responses[0].nature, "denied");
        assert_eq!(line.responses[0].denial_reason.as_deref(), Some("exempt"));
        assert_eq!(line.responses[1].nature, "pending");
    }

    proptest::proptest! {
        /// Every request received in the year is counted once: complied, denied, pending,
        /// withdrawn or not recorded (§ 7102(a)).
        #[test]
        fn every_request_is_accounted_for_section_7102a(outcomes in proptest::collection::vec(0u8..5, 0..60)) {
            use RequestKind::*;
            let cases: Vec<CaseRecord> = outcomes
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let r = match o {
                        0 => vec![(Delete, "complied", None, "2026-04-01")],
                        1 => vec![(Delete, "complied-in-part", None, "2026-04-02")],
                        2 => vec![(Delete, "denied", Some("other"), "2026-04-03")],
                        3 => vec![(Delete, "denied", Some("exempt"), "2026-04-04")],
                        _ => vec![],
                    };
                    case(i as u32 + 1, "2026-03-02", vec![Delete], r)
                })
                .collect();
            let m = run(&cases, false);
            let del = figures(&m, ReportKind::Delete);
            proptest::prop_assert_eq!(
                del.complied_in_whole_or_part + del.denied + del.pending + del.withdrawn + del.outcome_not_recorded,
                del.received
            );
            proptest::prop_assert_eq!(del.received, outcomes.len() as u64);
            proptest::prop_assert_eq!(del.denied_by_reason.values().sum::<u64>(), del.denied);
        }
    }
}
