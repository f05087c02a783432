//! What the queue is asked for: which cases (filters, search words), in which order, which page.
//! The store answers it through its indexes (`store::queue`).

use super::{CaseStatus, RequestKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// Legal dates of receipt, inclusive.
    #[ts(optional = nullable, type = "string")]
    pub received_from: Option<NaiveDate>,
    #[ts(optional = nullable, type = "string")]
    pub received_to: Option<NaiveDate>,
    /// Words to find in numbers, names, emails, phones, addresses, descriptions and notes; a
    /// case number (or the start of one, `PR-2026-0004`) is looked up by number.
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
    /// Case number order (year, then sequence: PR-2026-99999 before PR-2026-100000).
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

    /// The search, when it is a case number or the start of one (`PR-2026`, `pr-2026-0004`),
    /// upper-cased: answered through the number index, not the word search.
    pub fn number_prefix(&self) -> Option<String> {
        let text = self.search.as_deref()?.trim().to_uppercase();
        let rest = text.strip_prefix("PR-")?;
        let (year, seq) = rest.split_once('-').unwrap_or((rest, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let ok = !year.is_empty()
            && digits(year)
            && digits(seq)
            && (year.len() < 4 && !rest.contains('-') || year.len() == 4 && seq.len() <= 7);
        ok.then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_number_or_its_start_is_a_number_search() {
        let q = |s: &str| QueueQuery {
            search: Some(s.into()),
            ..Default::default()
        };
        assert_eq!(q("pr-2026-0004").number_prefix().as_deref(), Some("PR-2026-0004"));
        assert_eq!(q(" PR-2026-00042 ").number_prefix().as_deref(), Some("PR-2026-00042"));
        assert_eq!(q("PR-2026").number_prefix().as_deref(), Some("PR-2026"));
        assert_eq!(q("PR-2026-").number_prefix().as_deref(), Some("PR-2026-"));
        assert_eq!(q("PR-20").number_prefix().as_deref(), Some("PR-20"));
        for words in ["PR-2026-00042 Ana", "Ana", "PR", "PR-2026-x", "PR-20-1", "2026-00042"] {
            assert_eq!(q(words).number_prefix(), None, "{words}");
        }
    }
}
