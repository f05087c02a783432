//! The organisation profile: who the business is — its legal entities, the relationships that
//! make a person a covered individual, the categories of personal information with their
//! purposes, the contact channels, the notice version, the signatory and the return address.
//! The app's single source for these facts; kept as TOML, versioned in the case file.

use super::requester::is_well_formed_email;
use super::validation::ValidationErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;

/// The demo organisation shipped with the app (`profiles/demo.toml`).
pub const DEMO_PROFILE: &str = include_str!("../../profiles/demo.toml");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct OrganisationProfile {
    pub name: String,
    #[ts(type = "string")]
    pub notice_version: NaiveDate,
    pub entities: Vec<LegalEntity>,
    pub relationships: Vec<Relationship>,
    pub categories: Vec<PiCategory>,
    pub contacts: Contacts,
    pub signatory: Signatory,
    pub return_address: ReturnAddress,
    /// The organisation's positions that letters state.
    #[serde(default)]
    pub policy: Policy,
    /// What the not-covered letter tells people outside the notice.
    #[serde(default)]
    pub not_covered: NotCovered,
    /// How sure the organisation must be of who asks, per kind, and what it can check (§ 7062).
    #[serde(default)]
    pub verification: super::verification::VerificationPolicy,
    /// The records the law makes the organisation keep, for how long, and which categories they
    /// hold: the basis of "kept because the law requires it" (§ 1798.105(d)(8)).
    #[serde(default = "super::decision::employer_retention")]
    pub retention: Vec<super::decision::RecordType>,
    /// Bases of the shipped catalogue the organisation never relies on (not offered to staff).
    #[serde(default)]
    pub hidden_bases: Vec<String>,
    /// The service providers and contractors that hold personal information for the
    /// organisation: each deletion tells them to delete too (11 CCR § 7022(b)).
    #[serde(default)]
    pub service_providers: Vec<ServiceProvider>,
}

/// A service provider or contractor a deletion must reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ServiceProvider {
    pub code: String,
    pub name: String,
    /// What it does for the organisation ("Payroll processing").
    #[serde(default)]
    pub role: String,
}

/// Positions of the organisation that decide what letters say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Whether the organisation sells or shares personal information (§ 1798.120); when it does
    /// not, an opt-out is confirmed with "we do not sell or share", and a denied deletion need
    /// not offer the opt-out (§ 7022(g)).
    #[serde(default)]
    pub sells_or_shares: bool,
    /// The notice declines requests to limit the use and disclosure of personal information
    /// beyond what its e-mail opt-out covers (the law lets it: Civ. Code § 1798.121 applies to
    /// sensitive information used beyond the permitted purposes; the seed notice, section 7). A
    /// request to limit is then answered with the letter that declines it and says why.
    #[serde(default)]
    pub declines_limits: bool,
    /// What the notice says about requests to limit, in its own words, quoted by that letter.
    #[serde(default)]
    pub limit_position: Localized,
    /// What the notice's opt-out lets people stop (the seed notice, section 6: job alerts and
    /// other e-mails about employment), always honoured when asked; empty when it has none.
    #[serde(default)]
    pub email_opt_out: Localized,
    /// How long after a case ends (closed, denied, withdrawn, not covered) it is reduced to its
    /// § 7101 record, in months; at least and by default 24 (11 CCR § 7101(a)).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub reduce_closed_after_months: Option<u32>,
}

impl Policy {
    /// The months after which an ended case is reduced (24 unless the profile says more).
    pub fn reduce_after_months(&self) -> u32 {
        self.reduce_closed_after_months.unwrap_or(RECORD_MONTHS)
    }
}

/// How long the record of a request must be kept (11 CCR § 7101(a)).
pub const RECORD_MONTHS: u32 = 24;

/// Text in each letter language: a plain string (the same in every language) or a table of
/// language code to text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(transparent)]
pub struct Localized(pub std::collections::BTreeMap<String, String>);

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            One(String),
            Per(std::collections::BTreeMap<String, String>),
        }
        Ok(match Form::deserialize(d)? {
            Form::One(text) => Localized([(String::new(), text)].into_iter().collect()),
            Form::Per(map) => Localized(map),
        })
    }
}

impl Localized {
    /// The text for `language`: its own, else the one for every language, else English, else
    /// the first given.
    pub fn get(&self, language: &str) -> &str {
        self.0
            .get(language)
            .or_else(|| self.0.get(""))
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }
}

/// Where people whose request the notice does not cover should go, and what the letter says
/// about medical information (CMIA, HIPAA).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct NotCovered {
    #[serde(default)]
    pub elsewhere: Vec<Localized>,
    #[serde(default)]
    pub medical_note: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct LegalEntity {
    pub code: String,
    pub name: String,
}

/// A relationship that makes a person a covered individual (job applicant, employee, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Relationship {
    pub code: String,
    pub label: String,
}

/// A category of personal information, as a response to know describes it (§ 7024(k)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PiCategory {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub purposes: Vec<String>,
    #[serde(default)]
    pub disclosed_to: Vec<String>,
    /// Sensitive personal information (§ 1798.140(ae)).
    #[serde(default)]
    pub sensitive: bool,
    /// Information collected and analysed about the person's health: a denied correction offers
    /// the 250-word statement (11 CCR § 7023(f)(3)).
    #[serde(default)]
    pub health: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    pub email: String,
    /// The toll-free number (§ 1798.130(a)(1)(A)).
    pub toll_free: String,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub web_form: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub name: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReturnAddress {
    pub lines: Vec<String>,
}

impl OrganisationProfile {
    /// Reads a profile from TOML; a syntax or shape error says where (line and column).
    pub fn from_toml(text: &str) -> Result<OrganisationProfile, ValidationErrors> {
        let profile: OrganisationProfile = toml::from_str(text).map_err(|e| {
            let place = e.span().map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}: ")
            });
            let mut errors = ValidationErrors::default();
            errors.add("toml", format!("{}{}", place.unwrap_or_default(), e.message().trim()));
            errors
        })?;
        profile.validate()?;
        Ok(profile)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a profile always serialises")
    }

    /// Rules a profile must meet to be saved.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.name.trim().is_empty() {
            errors.add("name", "The organisation needs a name.");
        }
        if self.entities.is_empty() {
            errors.add("entities", "Name at least one legal entity the notice covers.");
        }
        check_codes(
            &mut errors,
            "entities",
            self.entities.iter().map(|e| (e.code.as_str(), e.name.as_str())),
        );
        check_codes(
            &mut errors,
            "relationships",
            self.relationships.iter().map(|r| (r.code.as_str(), r.label.as_str())),
        );
        check_codes(
            &mut errors,
            "categories",
            self.categories.iter().map(|c| (c.code.as_str(), c.name.as_str())),
        );
        check_codes(
            &mut errors,
            "service_providers",
            self.service_providers
                .iter()
                .map(|p| (p.code.as_str(), p.name.as_str())),
        );
        check_codes(
            &mut errors,
            "retention",
            self.retention.iter().map(|r| (r.code.as_str(), r.record.as_str())),
        );
        for r in &self.retention {
            if let Some(unknown) = r
                .categories
                .iter()
                .find(|c| !self.categories.iter().any(|k| &k.code == *c))
            {
                errors.add(
                    "retention",
                    format!(
                        "The record type “{}” holds the category “{unknown}”, which the profile does not list.",
                        r.code
                    ),
                );
            }
            if r.citation.trim().is_empty() {
                errors.add("retention", format!("The record type “{}” needs its citation.", r.code));
            }
        }
        if let Some(unknown) = self
            .hidden_bases
            .iter()
            .find(|h| super::decision::catalogue().basis(h).is_none())
        {
            errors.add(
                "hidden_bases",
                format!("“{unknown}” is not a basis of the catalogue (privacydesk exemptions list)."),
            );
        }
        if self.policy.reduce_after_months() < RECORD_MONTHS {
            errors.add(
                "policy.reduce_closed_after_months",
                "A case's record is kept for at least 24 months (11 CCR § 7101(a)); give 24 or more.",
            );
        }
        if self.policy.declines_limits && self.policy.limit_position.is_empty() {
            errors.add(
                "policy.limit_position",
                "Quote what the notice says about requests to limit: the letter that declines one gives it as the reason (Civ. Code § 1798.145(h)(2)).",
            );
        }
        for (field, value) in self.single_lines() {
            if value
                .chars()
                .any(|c| c.is_control() || crate::domain::validation::is_invisible(c))
            {
                errors.add(
                    field,
                    "A line break or an invisible character is in this value; letters print it on one line, so remove it.",
                );
            }
        }
        if !is_well_formed_email(self.contacts.email.trim()) {
            errors.add(
                "contacts.email",
                "The privacy mailbox is not a well-formed email address.",
            );
        }
        let digits = self.contacts.toll_free.chars().filter(char::is_ascii_digit).count();
        if !(10..=11).contains(&digits) {
            errors.add(
                "contacts.toll_free",
                "The toll-free number needs 10 digits (or 11 with the leading 1).",
            );
        }
        errors.into_result(())
    }

    /// What is missing for letters, as warnings (the profile can still be saved).
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.signatory.name.trim().is_empty() {
            w.push("No signatory: response letters need the name of the person who signs them.".to_owned());
        }
        if self.return_address.lines.iter().all(|l| l.trim().is_empty()) {
            w.push("No return address: mailed letters need one.".to_owned());
        }
        w
    }

    /// Why no letter may be produced or mailed yet (no signatory, no return address), with the
    /// way to fix it; `None` when the profile has what letters need.
    pub fn not_ready_for_letters(&self) -> Option<String> {
        let mut missing = Vec::new();
        if self.signatory.name.trim().is_empty() {
            missing.push("the name of the person who signs letters");
        }
        if self.return_address.lines.iter().all(|l| l.trim().is_empty()) {
            missing.push("the return address");
        }
        (!missing.is_empty()).then(|| {
            format!(
                "Letters cannot be produced or mailed until the organisation profile has {}. Add {} in Settings › Organisation profile.",
                missing.join(" and "),
                if missing.len() == 1 { "it" } else { "them" }
            )
        })
    }

    /// Every value letters print on one line, with where it is.
    fn single_lines(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![
            ("name", self.name.as_str()),
            ("contacts.email", self.contacts.email.as_str()),
            ("contacts.toll_free", self.contacts.toll_free.as_str()),
            ("signatory.name", self.signatory.name.as_str()),
            ("signatory.title", self.signatory.title.as_str()),
        ];
        out.extend(self.entities.iter().map(|e| ("entities", e.name.as_str())));
        out.extend(self.relationships.iter().map(|r| ("relationships", r.label.as_str())));
        out.extend(self.categories.iter().map(|c| ("categories", c.name.as_str())));
        out.extend(self.return_address.lines.iter().map(|l| ("return_address", l.as_str())));
        out.extend(
            self.policy
                .limit_position
                .0
                .values()
                .map(|t| ("policy.limit_position", t.as_str())),
        );
        out.extend(
            self.policy
                .email_opt_out
                .0
                .values()
                .map(|t| ("policy.email_opt_out", t.as_str())),
        );
        out
    }

    /// Whether the organisation holds a category of sensitive personal information, which
    /// raises the verification of deletions and corrections (11 CCR § 7062(d)).
    pub fn holds_sensitive(&self) -> bool {
        self.categories.iter().any(|c| c.sensitive)
    }

    pub fn entity(&self, code: &str) -> Option<&LegalEntity> {
        self.entities.iter().find(|e| e.code == code)
    }

    pub fn relationship(&self, code: &str) -> Option<&Relationship> {
        self.relationships.iter().find(|r| r.code == code)
    }
}

fn check_codes<'a>(errors: &mut ValidationErrors, field: &str, items: impl Iterator<Item = (&'a str, &'a str)>) {
    let mut seen = HashSet::new();
    for (code, name) in items {
        if code.trim().is_empty() || name.trim().is_empty() {
            errors.add(field, "Every entry needs a code and a name.");
        } else if !seen.insert(code) {
            errors.add(field, format!("The code \"{code}\" is used twice."));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_profile_is_the_notice() {
        let p = OrganisationProfile::from_toml(DEMO_PROFILE).expect("the shipped demo profile is valid");
        assert_eq!(p.notice_version.to_string(), "2023-01-24");
        assert_eq!(
            p.entities.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(),
            ["TPMG", "SCPMG"]
        );
        assert_eq!(
            p.relationships.len(),
            7,
            "applicant, employee, owner, director, officer, medical staff, contractor"
        );
        assert_eq!(p.categories.len(), 7, "the notice lists seven categories");
        assert_eq!(
            (p.contacts.email.as_str(), p.contacts.toll_free.as_str()),
            ("kp-hires@kp.org", "833-945-2456")
        );
        assert_eq!(
            p.warnings().len(),
            2,
            "the notice names no signatory and no return address"
        );
    }

    #[test]
    fn toml_round_trips() {
        let p = OrganisationProfile::from_toml(DEMO_PROFILE).unwrap();
        assert_eq!(OrganisationProfile::from_toml(&p.to_toml()).unwrap(), p);
    }

    #[test]
    fn errors_say_where_and_what() {
        let err = OrganisationProfile::from_toml("name = \"X\"\nnotice_version = \"soon\"\n").unwrap_err();
        let message = err.for_field("toml").unwrap();
        assert!(message.starts_with("line 2, column 18: "), "{message}");
        assert!(!message.contains('\n'), "one line: {message}");
        let mut p = OrganisationProfile::from_toml(DEMO_PROFILE).unwrap();
        p.entities.push(LegalEntity {
            code: "TPMG".into(),
            name: "Again".into(),
        });
        p.contacts.email = "kp-hires".into();
        let err = OrganisationProfile::from_toml(&p.to_toml()).unwrap_err();
        assert!(err.for_field("entities").unwrap().contains("used twice"));
        assert!(err.for_field("contacts.email").is_some());
        let unknown = DEMO_PROFILE.replace(
            "name = \"Kaiser Permanente\"",
            "name = \"Kaiser Permanente\"\nnmae = \"typo\"",
        );
        assert!(OrganisationProfile::from_toml(&unknown)
            .unwrap_err()
            .for_field("toml")
            .unwrap()
            .contains("nmae"));
    }
}
