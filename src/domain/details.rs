//! What intake records beyond who, how and when: the legal entity and relationship (and so
//! whether the person is covered at all), an authorised agent, preferred language and delivery,
//! the request in the person's words, and for corrections what is wrong and what it should be.

use super::profile::OrganisationProfile;
use super::request::RequestKind;
use super::requester::{PostalAddress, Requester};
use super::validation::ValidationErrors;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The relationship or entity code that says "none of the covered ones".
pub const NOT_LISTED: &str = "not-listed";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CaseDetails {
    /// Code of the legal entity the request is about (`TPMG`), or `not-listed`.
    #[ts(optional = nullable)]
    pub entity: Option<String>,
    /// Code of the person's relationship to it (`employee`), or `not-listed`.
    #[ts(optional = nullable)]
    pub relationship: Option<String>,
    pub language: Language,
    /// How the person wants the response; `null` until they say.
    #[ts(optional = nullable)]
    pub delivery: Option<Delivery>,
    /// The request as the person wrote or said it.
    pub description: String,
    /// For requests to correct: what is said to be wrong and what it should be (§ 7023).
    #[ts(optional = nullable)]
    pub correction: Option<Correction>,
    /// Someone acting for the requester (§ 7063); the requester is still recorded.
    #[ts(optional = nullable)]
    pub agent: Option<Agent>,
}

/// A language letters are written in: the code of a folder of `templates/letters/` (`en`,
/// `es`; a third language is a third folder). Intake checks the code's form here and that
/// letters exist in it in the service, which knows the folders.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Language(String);

impl Language {
    /// A code as given; [`Language::is_well_formed`] says whether it looks like one.
    pub fn new(code: impl Into<String>) -> Language {
        Language(code.into())
    }

    pub fn code(&self) -> &str {
        &self.0
    }

    /// Two or three lower-case letters, optionally a region (`en`, `es`, `pt-BR`).
    pub fn is_well_formed(&self) -> bool {
        let (lang, region) = self.0.split_once('-').unwrap_or((&self.0, ""));
        (2..=3).contains(&lang.len())
            && lang.bytes().all(|b| b.is_ascii_lowercase())
            && (region.is_empty() || region.len() == 2 && region.bytes().all(|b| b.is_ascii_uppercase()))
    }
}

impl Default for Language {
    fn default() -> Language {
        Language("en".to_owned())
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TS for Language {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "string".to_owned()
    }
    fn inline(cfg: &ts_rs::Config) -> String {
        Self::name(cfg)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    PostalMail,
    Email,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Correction {
    pub wrong: String,
    pub right: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum AgentKind {
    Person,
    Business,
}

/// Why the agent may act (§ 7063; § 1798.140(ak)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum AgentBasis {
    /// Signed permission from the consumer (§ 7063(a)).
    SignedPermission,
    /// Power of attorney under Probate Code §§ 4121-4130 (§ 7063(b)).
    PowerOfAttorney,
    /// A parent acting for a minor child.
    ParentOfMinor,
    Conservator,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Agent {
    pub kind: AgentKind,
    pub name: String,
    #[ts(optional = nullable)]
    pub email: Option<String>,
    #[ts(optional = nullable)]
    pub phone: Option<String>,
    #[ts(optional = nullable)]
    pub address: Option<PostalAddress>,
    pub basis: AgentBasis,
}

/// Whether the requester is a covered individual of a covered entity, per the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Coverage {
    Covered,
    NotCovered {
        reason: String,
    },
    /// Entity or relationship not recorded yet.
    Unchecked,
}

fn clean_block(text: &str) -> String {
    text.trim().replace("\r\n", "\n")
}

impl CaseDetails {
    /// The details cleaned and checked against the profile, with the coverage they imply.
    pub fn validated(
        &self,
        requester: &Requester,
        kinds: &[RequestKind],
        profile: &OrganisationProfile,
        errors: &mut ValidationErrors,
    ) -> (CaseDetails, Coverage) {
        let code = |c: &Option<String>| c.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
        let entity = code(&self.entity);
        let relationship = code(&self.relationship);
        if let Some(e) = entity
            .as_deref()
            .filter(|e| *e != NOT_LISTED && profile.entity(e).is_none())
        {
            errors.add(
                "details.entity",
                format!("\"{e}\" is not an entity of the organisation profile."),
            );
        }
        if let Some(r) = relationship
            .as_deref()
            .filter(|r| *r != NOT_LISTED && profile.relationship(r).is_none())
        {
            errors.add(
                "details.relationship",
                format!("\"{r}\" is not a relationship of the organisation profile."),
            );
        }
        let entity_names = profile
            .entities
            .iter()
            .map(|e| e.code.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let coverage = match (entity.as_deref(), relationship.as_deref()) {
            (Some(NOT_LISTED), _) => Coverage::NotCovered {
                reason: format!("The request is not about an entity the notice covers ({entity_names})."),
            },
            (_, Some(NOT_LISTED)) => Coverage::NotCovered {
                reason: "The person is not a job applicant, employee, owner, director, officer, medical staff member or contractor of a covered entity: the notice covers only those relationships.".to_owned(),
            },
            (Some(_), Some(_)) => Coverage::Covered,
            _ => Coverage::Unchecked,
        };

        let agent = self.agent.as_ref().map(|a| {
            let mut agent_errors = ValidationErrors::default();
            let as_requester = Requester {
                name: a.name.clone(),
                email: a.email.clone(),
                phone: a.phone.clone(),
                address: a.address.clone(),
            }
            .validated(&mut agent_errors);
            for e in agent_errors.0 {
                errors.add(&e.field.replacen("requester.", "details.agent.", 1), e.message);
            }
            Agent {
                kind: a.kind,
                name: as_requester.name,
                email: as_requester.email,
                phone: as_requester.phone,
                address: as_requester.address,
                basis: a.basis,
            }
        });

        // The response goes to the agent when there is one, otherwise to the requester.
        let (to_email, to_address) = match &agent {
            Some(a) => (a.email.is_some(), a.address.is_some()),
            None => (requester.email.is_some(), requester.address.is_some()),
        };
        let whom = if agent.is_some() { "the agent" } else { "the requester" };
        match self.delivery {
            Some(Delivery::Email) if !to_email => errors.add(
                "details.delivery",
                format!("Delivery by email needs an email address for {whom}."),
            ),
            Some(Delivery::PostalMail) if !to_address => errors.add(
                "details.delivery",
                format!("Delivery by post needs a postal address for {whom}."),
            ),
            _ => {}
        }

        // Not required at intake: a request is logged (and its clocks start) even before the
        // person has said what exactly is wrong.
        let correction = match &self.correction {
            Some(c) if kinds.contains(&RequestKind::Correct) => Some(Correction {
                wrong: clean_block(&c.wrong),
                right: clean_block(&c.right),
            })
            .filter(|c| !c.wrong.is_empty() || !c.right.is_empty()),
            _ => None,
        };

        if !self.language.is_well_formed() {
            errors.add(
                "details.language",
                format!("\"{}\" is not a language code such as en or es.", self.language),
            );
        }
        let details = CaseDetails {
            entity,
            relationship,
            language: self.language.clone(),
            delivery: self.delivery,
            description: clean_block(&self.description),
            correction,
            agent,
        };
        (details, coverage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::DEMO_PROFILE;

    fn profile() -> OrganisationProfile {
        OrganisationProfile::from_toml(DEMO_PROFILE).unwrap()
    }

    fn requester() -> Requester {
        Requester {
            name: "Ana".into(),
            email: Some("ana@example.com".into()),
            ..Default::default()
        }
    }

    fn check(details: CaseDetails, kinds: &[RequestKind]) -> (CaseDetails, Coverage, ValidationErrors) {
        let mut errors = ValidationErrors::default();
        let (d, c) = details.validated(&requester(), kinds, &profile(), &mut errors);
        (d, c, errors)
    }

    #[test]
    fn coverage_follows_the_profile_entities_and_relationships() {
        let d = |e: Option<&str>, r: Option<&str>| CaseDetails {
            entity: e.map(Into::into),
            relationship: r.map(Into::into),
            ..Default::default()
        };
        assert_eq!(check(d(Some("TPMG"), Some("employee")), &[]).1, Coverage::Covered);
        assert_eq!(check(d(Some("TPMG"), None), &[]).1, Coverage::Unchecked);
        let Coverage::NotCovered { reason } = check(d(Some(NOT_LISTED), Some("employee")), &[]).1 else {
            panic!()
        };
        assert!(reason.contains("TPMG, SCPMG"), "{reason}");
        assert!(matches!(
            check(d(Some("SCPMG"), Some(NOT_LISTED)), &[]).1,
            Coverage::NotCovered { .. }
        ));
        let (_, _, errors) = check(d(Some("KFHP"), Some("patient")), &[]);
        assert!(errors.for_field("details.entity").is_some() && errors.for_field("details.relationship").is_some());
    }

    #[test]
    fn delivery_needs_a_way_to_reach_the_recipient() {
        let (_, _, errors) = check(
            CaseDetails {
                delivery: Some(Delivery::PostalMail),
                ..Default::default()
            },
            &[],
        );
        assert!(errors
            .for_field("details.delivery")
            .unwrap()
            .contains("postal address for the requester"));
        let (_, _, errors) = check(
            CaseDetails {
                delivery: Some(Delivery::Email),
                ..Default::default()
            },
            &[],
        );
        assert!(errors.is_empty());
        let agent = Agent {
            kind: AgentKind::Business,
            name: "Consumer Rights LLC".into(),
            email: None,
            phone: Some("(510) 555-0100".into()),
            address: None,
            basis: AgentBasis::SignedPermission,
        };
        let (_, _, errors) = check(
            CaseDetails {
                delivery: Some(Delivery::Email),
                agent: Some(agent),
                ..Default::default()
            },
            &[],
        );
        assert!(
            errors.for_field("details.delivery").unwrap().contains("the agent"),
            "the agent receives the response"
        );
    }

    #[test]
    fn agent_problems_are_reported_under_the_agent_fields_section_7063() {
        let agent = Agent {
            kind: AgentKind::Person,
            name: " ".into(),
            email: Some("bad@".into()),
            phone: None,
            address: None,
            basis: AgentBasis::PowerOfAttorney,
        };
        let (_, _, errors) = check(
            CaseDetails {
                agent: Some(agent),
                ..Default::default()
            },
            &[],
        );
        assert!(errors.for_field("details.agent.name").is_some());
        assert!(errors.for_field("details.agent.email").is_some());
    }

    #[test]
    fn a_correction_request_keeps_what_is_wrong_and_what_it_should_be_section_7023() {
        let (d, _, errors) = check(CaseDetails::default(), &[RequestKind::Correct]);
        assert!(
            errors.is_empty() && d.correction.is_none(),
            "logged before the details are known"
        );
        let c = Correction {
            wrong: " Address: 1 Oak St ".into(),
            right: "Address: 2 Elm St".into(),
        };
        let (d, _, errors) = check(
            CaseDetails {
                correction: Some(c),
                ..Default::default()
            },
            &[RequestKind::Correct],
        );
        assert!(errors.is_empty(), "{errors}");
        assert_eq!(d.correction.unwrap().wrong, "Address: 1 Oak St");
        let (d, _, _) = check(
            CaseDetails {
                correction: Some(Correction::default()),
                ..Default::default()
            },
            &[RequestKind::Delete],
        );
        assert_eq!(
            d.correction, None,
            "no correction details on a request that is not to correct"
        );
    }
}
