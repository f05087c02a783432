//! Intake: the request as staff type it (or a script passes it), checked and normalised into a
//! [`ValidNewCase`] that the store can number and save.
//!
//! Rules: name required; at least one way to reach the person; at least one request kind; the
//! received time parses and is neither in the future nor before the CCPA took effect.

use super::details::{CaseDetails, Coverage};
use super::profile::OrganisationProfile;
use super::request::{Channel, RequestKind};
use super::requester::Requester;
use super::time::{legal_date, local_to_instant};
use super::validation::ValidationErrors;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SubsecRound, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The CCPA took effect on 1 January 2020; no request can have been received under it earlier.
pub const CCPA_EFFECTIVE: NaiveDate = match NaiveDate::from_ymd_opt(2020, 1, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// A request as entered. `received` is text so that every source is checked by the same rule:
/// an RFC 3339 instant (`2026-03-02T17:05:00Z`), a wall-clock time in the organisation's time
/// zone (`2026-03-02T09:05`, as the form's date-time field gives it) or a date (`2026-03-02`,
/// taken as the start of that day there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewCase {
    pub requester: Requester,
    pub channel: Channel,
    pub kinds: Vec<RequestKind>,
    pub received: String,
    #[serde(default)]
    pub details: CaseDetails,
}

/// A request that passed every intake rule, ready to be numbered and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNewCase {
    pub requester: Requester,
    pub channel: Channel,
    pub kinds: Vec<RequestKind>,
    pub received_at: DateTime<Utc>,
    pub received_date: NaiveDate,
    pub time_zone: Tz,
    pub details: CaseDetails,
    pub coverage: Coverage,
}

/// What a `received` text denotes, before the future/too-early checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceivedAt {
    Instant(DateTime<Utc>),
    Local(NaiveDateTime),
    Date(NaiveDate),
}

impl ReceivedAt {
    pub fn parse(text: &str) -> Result<ReceivedAt, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("Enter when the request was received.".into());
        }
        if let Ok(i) = DateTime::parse_from_rfc3339(t) {
            return Ok(ReceivedAt::Instant(i.with_timezone(&Utc)));
        }
        // ISO forms, and the US month/day/year people type (with a 24- or 12-hour time).
        for fmt in [
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%m/%d/%Y %H:%M",
            "%m/%d/%Y %I:%M %p",
            "%m/%d/%Y %I:%M%p",
        ] {
            if let Ok(l) = NaiveDateTime::parse_from_str(t, fmt) {
                return Ok(ReceivedAt::Local(l));
            }
        }
        for fmt in ["%Y-%m-%d", "%m/%d/%Y"] {
            if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
                return Ok(ReceivedAt::Date(d));
            }
        }
        Err(format!(
            "“{t}” is not a date and time the form can read: write it as 2026-03-02 09:05 or 03/02/2026 9:05 AM (or just the date)."
        ))
    }

    /// The instant, whole seconds, in UTC.
    pub fn to_instant(self, zone: Tz) -> Result<DateTime<Utc>, String> {
        let instant = match self {
            ReceivedAt::Instant(i) => i,
            ReceivedAt::Local(l) => local_to_instant(l, zone)?,
            ReceivedAt::Date(d) => local_to_instant(d.and_hms_opt(0, 0, 0).expect("midnight exists"), zone)?,
        };
        Ok(instant.trunc_subsecs(0))
    }
}

impl NewCase {
    /// Checks every rule and reports every problem at once, each under its field.
    /// `profile` supplies the entities and relationships that decide coverage.
    pub fn validate(
        &self,
        now: DateTime<Utc>,
        zone: Tz,
        profile: &OrganisationProfile,
    ) -> Result<ValidNewCase, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.refuse_unprintable(&mut errors);
        let requester = self.requester.validated(&mut errors);

        let mut kinds = self.kinds.clone();
        kinds.sort();
        kinds.dedup();
        if kinds.is_empty() {
            errors.add("kinds", "Choose at least one kind of request.");
        }

        let received_at = ReceivedAt::parse(&self.received)
            .and_then(|r| r.to_instant(zone))
            .and_then(|at| {
                if at > now {
                    Err("The received time is in the future.".to_owned())
                } else if legal_date(at, zone) < CCPA_EFFECTIVE {
                    Err("The received date is before the CCPA took effect (1 January 2020).".to_owned())
                } else {
                    Ok(at)
                }
            });
        let received_at = match received_at {
            Ok(at) => Some(at),
            Err(message) => {
                errors.add("received", message);
                None
            }
        };

        let (details, coverage) = self.details.validated(&requester, &kinds, profile, &mut errors);

        errors.into_result(()).map(|()| {
            let received_at = received_at.expect("no error means the time parsed");
            ValidNewCase {
                requester,
                channel: self.channel,
                kinds,
                received_at,
                received_date: legal_date(received_at, zone),
                time_zone: zone,
                details,
                coverage,
            }
        })
    }
}

impl NewCase {
    /// Control and invisible characters are refused in every field, never stored to be printed
    /// as boxes or to hide what is written (only the request in the person's words and the
    /// correction may hold line breaks).
    fn refuse_unprintable(&self, errors: &mut ValidationErrors) {
        use super::validation::has_unprintable;
        let r = &self.requester;
        let mut single: Vec<(&str, &str)> = vec![("requester.name", r.name.as_str())];
        single.extend(r.email.as_deref().map(|v| ("requester.email", v)));
        single.extend(r.phone.as_deref().map(|v| ("requester.phone", v)));
        let mut owned: Vec<(String, &str)> = Vec::new();
        for (prefix, a) in [
            ("requester.address", r.address.as_ref()),
            (
                "details.agent.address",
                self.details.agent.as_ref().and_then(|g| g.address.as_ref()),
            ),
        ] {
            if let Some(a) = a {
                owned.extend(a.lines.iter().map(|l| (format!("{prefix}.lines"), l.as_str())));
                owned.push((format!("{prefix}.city"), a.city.as_str()));
                owned.extend(a.state.as_deref().map(|v| (format!("{prefix}.state"), v)));
                owned.extend(a.postal_code.as_deref().map(|v| (format!("{prefix}.postal_code"), v)));
                owned.push((format!("{prefix}.country"), a.country.as_str()));
            }
        }
        if let Some(g) = &self.details.agent {
            single.push(("details.agent.name", g.name.as_str()));
            single.extend(g.email.as_deref().map(|v| ("details.agent.email", v)));
            single.extend(g.phone.as_deref().map(|v| ("details.agent.phone", v)));
        }
        single.extend(self.details.entity.as_deref().map(|v| ("details.entity", v)));
        single.extend(
            self.details
                .relationship
                .as_deref()
                .map(|v| ("details.relationship", v)),
        );
        let message = "This holds a control or invisible character (for example pasted from another program); type it again without it.";
        let mut flagged: Vec<String> = Vec::new();
        for (field, value) in single.iter().map(|(f, v)| ((*f).to_owned(), *v)).chain(owned) {
            if has_unprintable(value, false) && !flagged.contains(&field) {
                errors.add(&field, message);
                flagged.push(field);
            }
        }
        let mut multi: Vec<(&str, &str)> = vec![("details.description", self.details.description.as_str())];
        if let Some(c) = &self.details.correction {
            multi.push(("details.correction.wrong", c.wrong.as_str()));
            multi.push(("details.correction.right", c.right.as_str()));
        }
        for (field, value) in multi {
            if has_unprintable(value, true) {
                errors.add(field, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::DEMO_PROFILE;
    use crate::domain::time::DEFAULT_TIME_ZONE;

    fn profile() -> OrganisationProfile {
        OrganisationProfile::from_toml(DEMO_PROFILE).unwrap()
    }

    #[test]
    fn received_reads_iso_and_us_forms_and_says_plainly_what_it_could_not() {
        let local = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        for (typed, expected) in [
            ("2026-11-01 09:05", ReceivedAt::Local(local("2026-11-01 09:05"))),
            ("11/01/2026 09:05", ReceivedAt::Local(local("2026-11-01 09:05"))),
            ("11/01/2026 9:05 PM", ReceivedAt::Local(local("2026-11-01 21:05"))),
            ("11/01/2026", ReceivedAt::Date(date("2026-11-01"))),
            ("2026-11-01", ReceivedAt::Date(date("2026-11-01"))),
        ] {
            assert_eq!(ReceivedAt::parse(typed), Ok(expected), "{typed}");
        }
        let err = ReceivedAt::parse("2026-13-45").unwrap_err();
        assert!(err.contains("2026-03-02 09:05") && !err.contains("RFC"), "{err}");
    }

    fn now() -> DateTime<Utc> {
        "2026-03-10T12:00:00Z".parse().unwrap()
    }

    fn input(received: &str) -> NewCase {
        NewCase {
            requester: Requester {
                name: "Ana Reyes".into(),
                email: Some("ana@example.com".into()),
                ..Default::default()
            },
            channel: Channel::Email,
            kinds: vec![RequestKind::Delete],
            received: received.into(),
            details: CaseDetails::default(),
        }
    }

    #[test]
    fn received_forms_all_give_the_legal_date_in_the_organisation_zone() {
        let tz = DEFAULT_TIME_ZONE;
        let cases = [
            ("2026-03-02T17:05:00Z", "2026-03-02T17:05:00Z", "2026-03-02"),
            ("2026-03-02T07:30:00Z", "2026-03-02T07:30:00Z", "2026-03-01"),
            ("2026-03-02T09:05", "2026-03-02T17:05:00Z", "2026-03-02"),
            ("2026-03-02", "2026-03-02T08:00:00Z", "2026-03-02"),
            ("2026-03-02T09:05:00.789-08:00", "2026-03-02T17:05:00Z", "2026-03-02"),
        ];
        for (text, instant, date) in cases {
            let valid = input(text).validate(now(), tz, &profile()).unwrap();
            assert_eq!(valid.received_at, instant.parse::<DateTime<Utc>>().unwrap(), "{text}");
            assert_eq!(valid.received_date.to_string(), date, "{text}");
        }
    }

    #[test]
    fn every_problem_is_reported_under_its_field() {
        let mut bad = input("2026-03-11T00:00:00Z");
        bad.requester = Requester {
            name: " ".into(),
            email: Some("ana@".into()),
            ..Default::default()
        };
        bad.kinds.clear();
        let errors = bad.validate(now(), DEFAULT_TIME_ZONE, &profile()).unwrap_err();
        assert!(errors.for_field("requester.name").is_some());
        assert!(errors.for_field("requester.email").is_some());
        assert!(errors.for_field("kinds").is_some());
        assert_eq!(
            errors.for_field("received"),
            Some("The received time is in the future.")
        );
    }

    #[test]
    fn a_way_to_reach_the_person_is_required() {
        let mut bad = input("2026-03-02");
        bad.requester.email = None;
        let errors = bad.validate(now(), DEFAULT_TIME_ZONE, &profile()).unwrap_err();
        assert!(errors.for_field("requester.contact").is_some(), "{errors}");
    }

    #[test]
    fn unparseable_and_pre_ccpa_dates_are_refused() {
        for text in ["", "yesterday", "2026-02-30", "2019-12-31"] {
            let errors = input(text).validate(now(), DEFAULT_TIME_ZONE, &profile()).unwrap_err();
            assert!(errors.for_field("received").is_some(), "{text}");
        }
    }

    #[test]
    fn received_now_is_accepted() {
        assert!(input("2026-03-10T12:00:00Z")
            .validate(now(), DEFAULT_TIME_ZONE, &profile())
            .is_ok());
    }
}
