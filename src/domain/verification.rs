//! Identity verification: how sure the business must be that a request comes from the person it
//! is about, per kind of request (11 CCR §§ 7060, 7062). Opt-out and limit need none (§ 7060(b));
//! know categories a reasonable degree of certainty, e.g. two data points (§ 7062(b)); know
//! specific pieces a reasonably high degree, e.g. three data points and a signed declaration
//! under penalty of perjury (§ 7062(c)); delete and correct reasonable or reasonably high by
//! the sensitivity of the data (§ 7062(d)). The counts are the regulation's examples; the
//! organisation sets its own.

use super::request::RequestKind;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The degree of certainty a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Certainty {
    /// No verification may be required (§ 7060(b)).
    None,
    /// A reasonable degree of certainty (§ 7062(b)).
    Reasonable,
    /// A reasonably high degree of certainty (§ 7062(c)).
    ReasonablyHigh,
}

impl Certainty {
    pub fn token(self) -> &'static str {
        match self {
            Certainty::None => "none",
            Certainty::Reasonable => "reasonable",
            Certainty::ReasonablyHigh => "reasonably-high",
        }
    }
}

/// What verifying one kind of request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KindPolicy {
    pub certainty: Certainty,
    /// Data points the person gives that must match the organisation's reliable records.
    pub data_points: u8,
    /// A signed declaration under penalty of perjury, kept as a record (§ 7062(c)).
    pub declaration: bool,
}

/// The regulation's examples, as the default policy per kind (§ 7062).
pub fn default_policy(kind: RequestKind) -> KindPolicy {
    let (certainty, data_points, declaration) = match kind {
        RequestKind::OptOut | RequestKind::Limit => (Certainty::None, 0, false),
        RequestKind::KnowCategories | RequestKind::Delete | RequestKind::Correct => (Certainty::Reasonable, 2, false),
        RequestKind::KnowSpecific => (Certainty::ReasonablyHigh, 3, true),
    };
    KindPolicy {
        certainty,
        data_points,
        declaration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_levels_follow_the_regulation_section_7060b_7062() {
        let table = [
            (RequestKind::OptOut, Certainty::None, 0, false),
            (RequestKind::Limit, Certainty::None, 0, false),
            (RequestKind::KnowCategories, Certainty::Reasonable, 2, false),
            (RequestKind::KnowSpecific, Certainty::ReasonablyHigh, 3, true),
            (RequestKind::Delete, Certainty::Reasonable, 2, false),
            (RequestKind::Correct, Certainty::Reasonable, 2, false),
        ];
        for (kind, certainty, points, declaration) in table {
            assert_eq!(
                default_policy(kind),
                KindPolicy {
                    certainty,
                    data_points: points,
                    declaration
                },
                "{kind:?}"
            );
        }
    }
}
