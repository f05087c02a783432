//! A case: one request from one person, from receipt to closure.
//!
//! Its number is `PR-YYYY-NNNNN`: the year of the legal date of receipt and a sequence that
//! starts at 1 each year (the store hands out the sequence).

use super::details::{CaseDetails, Coverage};
use super::request::{token_enum, Channel, RequestKind, UnknownToken};
use super::requester::Requester;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

/// `PR-2026-00042`. At least five digits; a sixth appears after the 99,999th case of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CaseNumber {
    pub year: i32,
    pub sequence: u32,
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PR-{:04}-{:05}", self.year, self.sequence)
    }
}

impl FromStr for CaseNumber {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("\"{s}\" is not a case number such as PR-2026-00042");
        let rest = s.trim().strip_prefix("PR-").ok_or_else(bad)?;
        let (year, seq) = rest.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || seq.len() < 5 || !year.bytes().chain(seq.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let number = CaseNumber {
            year: year.parse().map_err(|_| bad())?,
            sequence: seq.parse().map_err(|_| bad())?,
        };
        (number.sequence > 0).then_some(number).ok_or_else(bad)
    }
}

impl Serialize for CaseNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CaseNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

impl TS for CaseNumber {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "string".to_owned()
    }
    fn inline(cfg: &ts_rs::Config) -> String {
        Self::name(cfg)
    }
}

/// Where a case stands. Only `new` is produced by intake; the lifecycle that moves a case on is
/// enforced in the service layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum CaseStatus {
    New,
    Acknowledged,
    Verifying,
    InProgress,
    Responded,
    Closed,
    Denied,
    Withdrawn,
    NotCovered,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 9] = [
        CaseStatus::New,
        CaseStatus::Acknowledged,
        CaseStatus::Verifying,
        CaseStatus::InProgress,
        CaseStatus::Responded,
        CaseStatus::Closed,
        CaseStatus::Denied,
        CaseStatus::Withdrawn,
        CaseStatus::NotCovered,
    ];

    pub fn token(self) -> &'static str {
        match self {
            CaseStatus::New => "new",
            CaseStatus::Acknowledged => "acknowledged",
            CaseStatus::Verifying => "verifying",
            CaseStatus::InProgress => "in-progress",
            CaseStatus::Responded => "responded",
            CaseStatus::Closed => "closed",
            CaseStatus::Denied => "denied",
            CaseStatus::Withdrawn => "withdrawn",
            CaseStatus::NotCovered => "not-covered",
        }
    }
}

token_enum!(CaseStatus, "case status");

impl CaseStatus {
    /// The statuses whose clocks still run.
    pub const OPEN: [CaseStatus; 4] = [
        CaseStatus::New,
        CaseStatus::Acknowledged,
        CaseStatus::Verifying,
        CaseStatus::InProgress,
    ];

    /// Where a case may go from here: new -> acknowledged -> verifying -> in progress ->
    /// responded -> closed, with denied, withdrawn and not covered on the way, and every ending
    /// closing. A step may be skipped forward (a request that needs no verification), never
    /// taken back.
    pub fn next(self) -> &'static [CaseStatus] {
        use CaseStatus::*;
        match self {
            New => &[Acknowledged, Verifying, InProgress, Denied, Withdrawn, NotCovered],
            Acknowledged => &[Verifying, InProgress, Denied, Withdrawn, NotCovered],
            Verifying => &[InProgress, Denied, Withdrawn, NotCovered],
            InProgress => &[Responded, Denied, Withdrawn],
            Responded | Denied | Withdrawn | NotCovered => &[Closed],
            Closed => &[],
        }
    }

    /// Checks a move and its reason (required: the log says why, not only what).
    pub fn check_move(self, to: CaseStatus, reason: &str) -> Result<String, super::ValidationErrors> {
        let mut errors = super::ValidationErrors::default();
        if !self.next().contains(&to) {
            let allowed = self.next().iter().map(|s| s.token()).collect::<Vec<_>>().join(", ");
            let allowed = if allowed.is_empty() {
                "none: the case is closed".to_owned()
            } else {
                allowed
            };
            errors.add(
                "status",
                format!("A case that is {self} cannot become {to} (allowed: {allowed})."),
            );
        }
        let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        if reason.is_empty() {
            errors.add("reason", "Say why the status changes; the case history keeps it.");
        }
        errors.into_result(reason)
    }
}

/// A case as stored. `received_at` is the instant (UTC, whole seconds); `received_date` its
/// legal date in `time_zone`, the zone in force when the case was logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Case {
    pub number: CaseNumber,
    #[ts(type = "string")]
    pub received_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub received_date: NaiveDate,
    pub time_zone: String,
    pub channel: Channel,
    pub kinds: Vec<RequestKind>,
    pub requester: Requester,
    pub status: CaseStatus,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// The organisation profile version the case was logged under.
    #[ts(type = "number | null")]
    pub profile_version: Option<i64>,
    pub details: CaseDetails,
    pub coverage: Coverage,
    /// The staff member handling the case, if any.
    #[ts(optional = nullable)]
    pub assignee: Option<String>,
    /// Bumped by every change; an edit names the version it started from (optimistic
    /// concurrency: a save over someone else's change is refused).
    #[ts(type = "number")]
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_format_and_parse() {
        let n = CaseNumber {
            year: 2026,
            sequence: 42,
        };
        assert_eq!(n.to_string(), "PR-2026-00042");
        assert_eq!("PR-2026-00042".parse::<CaseNumber>(), Ok(n));
        assert_eq!("PR-2026-123456".parse::<CaseNumber>().unwrap().sequence, 123_456);
        for bad in [
            "PR-2026-42",
            "2026-00042",
            "PR-26-00042",
            "PR-2026-0004a",
            "PR-2026-00000",
        ] {
            assert!(bad.parse::<CaseNumber>().is_err(), "{bad}");
        }
    }

    #[test]
    fn lifecycle_moves_forward_only_and_ends_closed() {
        use CaseStatus::*;
        assert!(New.check_move(Acknowledged, "Confirmed by email").is_ok());
        assert!(InProgress.check_move(Responded, "Letter mailed").is_ok());
        assert!(Responded.check_move(Closed, "Done").is_ok());
        let back = Responded.check_move(InProgress, "oops").unwrap_err();
        assert!(back.for_field("status").unwrap().contains("allowed: closed"), "{back}");
        let closed = Closed.check_move(New, "reopen").unwrap_err();
        assert!(closed.for_field("status").unwrap().contains("the case is closed"));
        assert!(New
            .check_move(Withdrawn, "  ")
            .unwrap_err()
            .for_field("reason")
            .is_some());
        for s in CaseStatus::ALL {
            assert!(!s.next().contains(&s), "{s} cannot move to itself");
            assert!(
                s == Closed
                    || s.next().contains(&Closed)
                    || s.next().iter().any(|n| n.next().contains(&Closed))
                    || CaseStatus::OPEN.contains(&s)
            );
        }
    }

    #[test]
    fn status_tokens_round_trip() {
        for s in CaseStatus::ALL {
            assert_eq!(s.token().parse::<CaseStatus>(), Ok(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.token()));
        }
    }
}
