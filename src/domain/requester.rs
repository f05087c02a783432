//! The person a request is about, and how to reach them.
//!
//! Validation trims every field, turns blank fields into "absent", upper-cases state and country
//! codes, and requires at least one way to reach the person (email, phone or a complete postal
//! address), since every response has to be delivered somewhere.

use super::validation::ValidationErrors;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A requester as entered and as stored. After [`Requester::validated`] every present field is
/// trimmed and non-empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Requester {
    pub name: String,
    #[ts(optional = nullable)]
    pub email: Option<String>,
    #[ts(optional = nullable)]
    pub phone: Option<String>,
    #[ts(optional = nullable)]
    pub address: Option<PostalAddress>,
}

/// A postal address. `lines` are the street lines (one to five); `country` is an ISO 3166-1
/// alpha-2 code, `US` unless said otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PostalAddress {
    pub lines: Vec<String>,
    pub city: String,
    #[ts(optional = nullable)]
    pub state: Option<String>,
    #[ts(optional = nullable)]
    pub postal_code: Option<String>,
    pub country: String,
}

const MAX_NAME: usize = 200;
const MAX_ADDRESS_LINES: usize = 5;

/// Two-letter codes of the US states, DC and the territories that use US ZIP codes.
const US_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI", "AA",
    "AE", "AP",
];

fn clean(value: &str) -> Option<String> {
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

fn clean_opt(value: &Option<String>) -> Option<String> {
    value.as_deref().and_then(clean)
}

/// A deliberately plain check: one `@`, a non-empty local part, a dotted domain of letters,
/// digits and hyphens, no spaces. It rejects typing slips without refusing real addresses.
pub fn is_well_formed_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !local.contains('@')
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

/// A US ZIP code: five digits, optionally followed by `-` and four digits.
pub fn is_well_formed_zip(zip: &str) -> bool {
    let b = zip.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match b.len() {
        5 => digits(b),
        10 => digits(&b[..5]) && b[5] == b'-' && digits(&b[6..]),
        _ => false,
    }
}

fn is_plausible_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().x".contains(c) || c.is_ascii_alphabetic())
        && !phone
            .chars()
            .take_while(|c| !c.is_ascii_digit())
            .any(|c| c.is_ascii_alphabetic())
}

/// A requester's identifiers in the form used to recognise the same person again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchKeys {
    pub email: Option<String>,
    /// The last ten digits of the phone number.
    pub phone: Option<String>,
    pub name: String,
    pub postal_code: Option<String>,
    pub first_line: Option<String>,
}

impl Requester {
    /// The normalised identifiers (lower-cased email and name, phone digits).
    pub fn match_keys(&self) -> MatchKeys {
        let digits: String = self
            .phone
            .as_deref()
            .unwrap_or("")
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let phone = (digits.len() >= 7).then(|| digits[digits.len().saturating_sub(10)..].to_owned());
        MatchKeys {
            email: self
                .email
                .as_deref()
                .map(|e| e.trim().to_lowercase())
                .filter(|e| !e.is_empty()),
            phone,
            name: self
                .name
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
            postal_code: self.address.as_ref().and_then(|a| a.postal_code.clone()),
            first_line: self
                .address
                .as_ref()
                .and_then(|a| a.lines.first().map(|l| l.trim().to_lowercase())),
        }
    }

    /// The requester with every field cleaned, or the problems found, each under its field path
    /// (`requester.name`, `requester.email`, `requester.phone`, `requester.address.*`,
    /// `requester.contact` when there is no way to reach the person at all).
    pub fn validated(&self, errors: &mut ValidationErrors) -> Requester {
        let name = clean(&self.name).unwrap_or_default();
        if name.is_empty() {
            errors.add("requester.name", "Enter the requester's name.");
        } else if name.chars().count() > MAX_NAME {
            errors.add(
                "requester.name",
                format!("The name is longer than {MAX_NAME} characters."),
            );
        }

        let email = clean_opt(&self.email);
        if let Some(e) = &email {
            if !is_well_formed_email(e) {
                errors.add("requester.email", "Enter an email address such as name@example.com.");
            }
        }

        let phone = clean_opt(&self.phone);
        if let Some(p) = &phone {
            if !is_plausible_phone(p) {
                errors.add(
                    "requester.phone",
                    "Enter a phone number of 7 to 15 digits, such as (510) 555-0142.",
                );
            }
        }

        let address = self.address.as_ref().and_then(|a| a.validated(errors));

        if email.is_none()
            && phone.is_none()
            && address.is_none()
            && !errors.0.iter().any(|e| e.field.starts_with("requester.address"))
        {
            errors.add(
                "requester.contact",
                "Give at least one way to reach the requester: email, phone or postal address.",
            );
        }

        Requester {
            name,
            email,
            phone,
            address,
        }
    }
}

impl PostalAddress {
    /// `None` when every field is blank (no address given); otherwise the cleaned address, with
    /// problems added to `errors`.
    fn validated(&self, errors: &mut ValidationErrors) -> Option<PostalAddress> {
        let lines: Vec<String> = self.lines.iter().filter_map(|l| clean(l)).collect();
        let city = clean(&self.city).unwrap_or_default();
        let state = clean_opt(&self.state).map(|s| s.to_uppercase());
        let postal_code = clean_opt(&self.postal_code).map(|s| s.to_uppercase());
        let country = clean(&self.country)
            .map(|s| s.to_uppercase())
            .unwrap_or_else(|| "US".to_owned());

        if lines.is_empty() && city.is_empty() && state.is_none() && postal_code.is_none() {
            return None;
        }
        if lines.is_empty() {
            errors.add("requester.address.lines", "Enter the street address.");
        } else if lines.len() > MAX_ADDRESS_LINES {
            errors.add(
                "requester.address.lines",
                format!("An address has at most {MAX_ADDRESS_LINES} street lines."),
            );
        }
        if city.is_empty() {
            errors.add("requester.address.city", "Enter the city.");
        }
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            errors.add(
                "requester.address.country",
                "Enter the country as a two-letter code, such as US or MX.",
            );
        }
        if country == "US" {
            match &state {
                None => errors.add("requester.address.state", "Enter the state, such as CA."),
                Some(s) if !US_STATES.contains(&s.as_str()) => errors.add(
                    "requester.address.state",
                    "Enter the state as its two-letter code, such as CA.",
                ),
                Some(_) => {}
            }
            match &postal_code {
                None => errors.add("requester.address.postal_code", "Enter the ZIP code."),
                Some(z) if !is_well_formed_zip(z) => errors.add(
                    "requester.address.postal_code",
                    "Enter a ZIP code of 5 digits, or ZIP+4 such as 94612-3401.",
                ),
                Some(_) => {}
            }
        }
        Some(PostalAddress {
            lines,
            city,
            state,
            postal_code,
            country,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in ["ana@example.com", "j.nunez+privacy@mail.example.org", "anna@пример.рф"] {
            assert!(is_well_formed_email(good), "{good} should be accepted");
        }
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana @example.com",
            "ana@@example.com",
            "ana@example.c",
            "ana@exa_mple.com",
            "ana.@example.com",
        ] {
            assert!(!is_well_formed_email(bad), "{bad} should be refused");
        }
    }

    #[test]
    fn zip_codes() {
        for good in ["94612", "94612-3401"] {
            assert!(is_well_formed_zip(good), "{good}");
        }
        for bad in ["9461", "946123", "94612-34", "94612 3401", "ABCDE"] {
            assert!(!is_well_formed_zip(bad), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert!(is_plausible_phone("(510) 555-0142"));
        assert!(is_plausible_phone("+48 22 555 01 42"));
        assert!(is_plausible_phone("833-945-2456 x12"));
        assert!(!is_plausible_phone("555-01"));
        assert!(!is_plausible_phone("call me"));
    }

    #[test]
    fn blank_fields_become_absent_and_codes_upper_case() {
        let mut errors = ValidationErrors::default();
        let r = Requester {
            name: "  José   Núñez ".into(),
            email: Some("  ".into()),
            phone: None,
            address: Some(PostalAddress {
                lines: vec!["1 Main St".into(), " ".into()],
                city: "Oakland".into(),
                state: Some("ca".into()),
                postal_code: Some("94612".into()),
                country: "us".into(),
            }),
        }
        .validated(&mut errors);
        assert!(errors.is_empty(), "{errors}");
        assert_eq!(r.name, "José Núñez");
        assert_eq!(r.email, None);
        let a = r.address.unwrap();
        assert_eq!(
            (a.lines.len(), a.state.as_deref(), a.country.as_str()),
            (1, Some("CA"), "US")
        );
    }

    #[test]
    fn foreign_address_needs_no_state_or_zip() {
        let mut errors = ValidationErrors::default();
        Requester {
            name: "Łukasz Żółć".into(),
            address: Some(PostalAddress {
                lines: vec!["ul. Marszałkowska 1".into()],
                city: "Warszawa".into(),
                state: None,
                postal_code: Some("00-001".into()),
                country: "PL".into(),
            }),
            ..Default::default()
        }
        .validated(&mut errors);
        assert!(errors.is_empty(), "{errors}");
    }

    #[test]
    fn incomplete_us_address_names_each_missing_field() {
        let mut errors = ValidationErrors::default();
        Requester {
            name: "Ana".into(),
            address: Some(PostalAddress {
                lines: vec![],
                city: "Oakland".into(),
                state: None,
                postal_code: Some("946".into()),
                country: "US".into(),
            }),
            ..Default::default()
        }
        .validated(&mut errors);
        assert!(errors.for_field("requester.address.lines").is_some());
        assert!(errors.for_field("requester.address.state").is_some());
        assert!(errors
            .for_field("requester.address.postal_code")
            .unwrap()
            .contains("ZIP"));
        assert!(
            errors.for_field("requester.contact").is_none(),
            "the address problems already say what to fix"
        );
    }
}
