//! What a person asks for ([`RequestKind`]) and how the request reached the business
//! ([`Channel`]). Each kind carries the statute and regulation it comes from
//! (`reference/ccpa-rules.md` §1).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

/// A right the requester exercises. A case holds one or more kinds.
///
/// The token (`know-categories`, ...) is the one the CLI, JSON and the database use; the order of
/// the variants is the canonical display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum RequestKind {
    /// Know the categories of personal information (§ 1798.110(a)(1)-(4); § 7024(b)).
    KnowCategories,
    /// Know the specific pieces of personal information (§ 1798.110(a)(5); § 7024(a)).
    KnowSpecific,
    /// Delete (§ 1798.105; § 7022).
    Delete,
    /// Correct inaccurate personal information (§ 1798.106; § 7023).
    Correct,
    /// Opt out of sale or sharing (§ 1798.120; § 7026).
    OptOut,
    /// Limit the use of sensitive personal information (§ 1798.121; § 7027).
    Limit,
}

impl RequestKind {
    pub const ALL: [RequestKind; 6] = [
        RequestKind::KnowCategories,
        RequestKind::KnowSpecific,
        RequestKind::Delete,
        RequestKind::Correct,
        RequestKind::OptOut,
        RequestKind::Limit,
    ];

    /// The token used by the CLI, JSON and the database.
    pub fn token(self) -> &'static str {
        match self {
            RequestKind::KnowCategories => "know-categories",
            RequestKind::KnowSpecific => "know-specific",
            RequestKind::Delete => "delete",
            RequestKind::Correct => "correct",
            RequestKind::OptOut => "opt-out",
            RequestKind::Limit => "limit",
        }
    }

    /// Parses a comma-separated list such as `delete,know-categories`; the result is sorted in
    /// canonical order with duplicates removed.
    pub fn parse_list(list: &str) -> Result<Vec<RequestKind>, UnknownToken> {
        let mut kinds = list
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(RequestKind::from_str)
            .collect::<Result<Vec<_>, _>>()?;
        kinds.sort();
        kinds.dedup();
        Ok(kinds)
    }
}

/// How the request reached the business (§ 7020: the methods a business offers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    Email,
    /// The toll-free number (§ 1798.130(a)(1)(A)).
    Phone,
    WebForm,
    PostalMail,
    InPerson,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Email,
        Channel::Phone,
        Channel::WebForm,
        Channel::PostalMail,
        Channel::InPerson,
    ];

    pub fn token(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::WebForm => "web-form",
            Channel::PostalMail => "postal-mail",
            Channel::InPerson => "in-person",
        }
    }
}

/// A token that names no known kind, channel or status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{token}\" (expected one of: {expected})")]
pub struct UnknownToken {
    pub what: &'static str,
    pub token: String,
    pub expected: String,
}

/// `FromStr` and `Display` through the token tables above, so CLI, database and JSON agree.
macro_rules! token_enum {
    ($ty:ty, $what:literal) => {
        impl FromStr for $ty {
            type Err = UnknownToken;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty>::ALL
                    .into_iter()
                    .find(|v| v.token() == s)
                    .ok_or_else(|| UnknownToken {
                        what: $what,
                        token: s.to_owned(),
                        expected: <$ty>::ALL.map(|v| v.token()).join(", "),
                    })
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.token())
            }
        }
    };
}
pub(crate) use token_enum;

token_enum!(RequestKind, "request kind");
token_enum!(Channel, "channel");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_through_from_str_and_serde() {
        for kind in RequestKind::ALL {
            assert_eq!(kind.token().parse::<RequestKind>(), Ok(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.token()));
        }
        for channel in Channel::ALL {
            assert_eq!(channel.token().parse::<Channel>(), Ok(channel));
            assert_eq!(
                serde_json::to_string(&channel).unwrap(),
                format!("\"{}\"", channel.token())
            );
        }
    }

    #[test]
    fn kind_list_is_sorted_and_deduplicated() {
        assert_eq!(
            RequestKind::parse_list("delete, know-categories,delete").unwrap(),
            vec![RequestKind::KnowCategories, RequestKind::Delete]
        );
    }

    #[test]
    fn unknown_kind_names_the_choices() {
        let err = RequestKind::parse_list("delete,erase").unwrap_err();
        assert_eq!(err.token, "erase");
        assert!(err.to_string().contains("know-categories"), "{err}");
    }
}
