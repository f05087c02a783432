//! One spec per kind of letter: when it may be produced for a case, what it asks staff for and
//! adds to the template's context, what producing it records, and which clock it answers (what a
//! batch prints). The wording is in the templates (`templates/letters/<language>/<kind>.txt`);
//! adding a kind is a spec here and its templates.

use super::LetterKind;
use crate::domain::clock::ClockFacts;
use crate::domain::deadline::{self, ClockKind};
use crate::domain::details::Coverage;
use crate::domain::{Case, CaseStatus, RequestKind};

/// Where a case stands, as the specs look at it to say whether it calls for their letter.
#[derive(Debug, Clone, Copy)]
pub struct Standing<'a> {
    pub case: &'a Case,
    pub facts: &'a ClockFacts,
    /// Where the verification of the case stands (11 CCR §§ 7060-7063).
    pub verification: &'a VerificationStanding,
    /// The kinds already answered (a response recorded).
    pub answered: &'a [RequestKind],
}

/// What the verification letters depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerificationStanding {
    /// Kinds that need verification and are not concluded yet.
    pub pending: Vec<RequestKind>,
    /// Kinds concluded as not verified.
    pub failed: Vec<RequestKind>,
    /// A pending kind's policy asks for a signed declaration and none is recorded.
    pub declaration_missing: bool,
    /// The agent has not shown what the policy asks of them (§ 7063(a)).
    pub agent_evidence_missing: bool,
    /// What the person gave was purged: the verification is over.
    pub purged: bool,
    /// Kinds verified (or needing no verification): they may be answered.
    pub verified: Vec<RequestKind>,
}

/// Whether a response letter for `kind` fits: the case asks for it, it is not answered yet, and
/// the person's identity is verified for it.
fn response_fits(s: &Standing, kind: RequestKind) -> Result<(), &'static str> {
    if !s.case.kinds.contains(&kind) {
        return Err("This case does not ask for what this letter answers.");
    }
    if s.answered.contains(&kind) {
        return Err("This part of the request is answered already.");
    }
    if !s.verification.verified.contains(&kind) {
        return Err("Verify the person's identity for this part first (Verification panel), or answer it with the unable-to-verify letter.");
    }
    Ok(())
}

fn deletion_response_fits(s: &Standing) -> Result<(), &'static str> {
    response_fits(s, RequestKind::Delete)
}

fn know_response_fits(s: &Standing) -> Result<(), &'static str> {
    response_fits(s, RequestKind::KnowCategories)
}

fn know_specific_response_fits(s: &Standing) -> Result<(), &'static str> {
    response_fits(s, RequestKind::KnowSpecific)
}

fn correction_response_fits(s: &Standing) -> Result<(), &'static str> {
    response_fits(s, RequestKind::Correct)
}

fn denial_fits(s: &Standing) -> Result<(), &'static str> {
    s.case
        .kinds
        .iter()
        .any(|k| !matches!(k, RequestKind::OptOut | RequestKind::Limit) && !s.answered.contains(k))
        .then_some(())
        .ok_or("No request to know, delete or correct in this case is left to answer.")
}

/// Something staff give when producing the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A reason the letter gives (the extension's; a refusal's, for the variants that refuse).
    Reason,
    /// The text of the letter itself.
    Body,
}

/// A variant of a letter kind (what the letter says depends on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    pub code: &'static str,
    /// What it says, for staff choosing it.
    pub label: &'static str,
    /// It refuses the request and must say why.
    pub needs_reason: bool,
    /// Addressed to the person the request is about even when an agent made it (what only
    /// they can do: confirm the agent's permission, § 7063(a)(2)).
    pub to_requester: bool,
}

/// What producing the letter records besides the letter itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Records {
    Nothing,
    /// The one extension of the response period (§ 7021(b)), with the reason, notice given today.
    Extension,
    /// The answer to every kind whose verification failed (§§ 7022(a), 7023(a), 7024(a)-(b)): a
    /// request for specific pieces is also handled as one for categories, the others are denied;
    /// the response is recorded once nothing else is left to answer, and the case is denied
    /// when nothing at all is.
    UnverifiedAnswer,
    /// The response to one kind, with its outcome from the decision matrix (complied in whole or
    /// in part, or denied as exempt); refused until every category of that kind is decided.
    Response(RequestKind),
    /// Every know, delete and correct part not answered yet is denied as a whole, for the
    /// reason staff give (the response recorded, denied: other).
    Denial,
    /// The answer to the opt-out and limit parts not answered yet, as the variant says:
    /// honoured (complied), refused for fraud or declined as the notice says (denied: other),
    /// e-mails stopped with a limit beyond them declined (complied in part); the compliance
    /// clock is met on the letter's date (§§ 7026(f), 7027(g)).
    OptOutAnswer,
}

/// Everything about one kind of letter that is not its wording.
#[derive(Debug, Clone, Copy)]
pub struct LetterSpec {
    pub kind: LetterKind,
    /// What staff call it.
    pub label: &'static str,
    /// The rule it answers.
    pub section: &'static str,
    pub inputs: &'static [Input],
    /// The first is the default.
    pub variants: &'static [Variant],
    pub records: Records,
    /// The clock a batch of these letters answers (`None`: written one case at a time).
    pub answers: Option<ClockKind>,
    /// Whether the case calls for it; `Err` says why not, for staff.
    pub fits: fn(&Standing) -> Result<(), &'static str>,
}

impl LetterSpec {
    /// Whether the letter depends on where the case's decisions and responses stand (a
    /// response, a denial, an opt-out confirmation: what is answered already).
    pub fn reads_decisions(&self) -> bool {
        matches!(
            self.records,
            Records::Response(_) | Records::Denial | Records::OptOutAnswer
        )
    }

    /// Whether the letter depends on where verification stands: the verification letters, and
    /// a response (the kind must be verified). The others (what a batch prints) never read it.
    pub fn reads_verification(&self) -> bool {
        matches!(
            self.kind,
            LetterKind::VerificationRequest
                | LetterKind::DeclarationForm
                | LetterKind::AgentPermission
                | LetterKind::UnableToVerify
        ) || matches!(self.records, Records::Response(_) | Records::Denial)
    }
}

fn has_clock(facts: &ClockFacts, clock: ClockKind) -> bool {
    deadline::clocks_for(&facts.kinds).contains(&clock)
}

fn acknowledgment_fits(s: &Standing) -> Result<(), &'static str> {
    has_clock(s.facts, ClockKind::Acknowledge).then_some(()).ok_or(
        "Opt-out and limit requests have no confirmation of receipt (§ 7021(a) covers know, delete and correct).",
    )
}

fn extension_fits(s: &Standing) -> Result<(), &'static str> {
    let facts = s.facts;
    if !has_clock(facts, ClockKind::Respond) {
        return Err("Only requests to know, delete or correct have a response period to extend.");
    }
    if facts.extension.is_some() {
        return Err("This case already has an extension; the law allows one (at most 90 days in all).");
    }
    if facts.responded_on.is_some() {
        return Err("The response is recorded already; there is nothing to extend.");
    }
    Ok(())
}

fn opt_out_fits(s: &Standing) -> Result<(), &'static str> {
    s.case
        .kinds
        .iter()
        .any(|k| matches!(k, RequestKind::OptOut | RequestKind::Limit))
        .then_some(())
        .ok_or("This case has no opt-out or limit request to confirm.")
}

fn not_covered_fits(s: &Standing) -> Result<(), &'static str> {
    let case: &Case = s.case;
    (matches!(case.coverage, Coverage::NotCovered { .. }) || case.status == CaseStatus::NotCovered)
        .then_some(())
        .ok_or("This case is not flagged as not covered; set its entity or relationship to “None of these” first.")
}

fn verification_request_fits(s: &Standing) -> Result<(), &'static str> {
    let v = s.verification;
    if v.purged {
        return Err("The verification of this case is over: what the person gave was deleted (§ 7060(d)).");
    }
    if v.pending.is_empty() {
        return Err("No part of this request is waiting for verification: each kind that needs it is concluded, or none needs it.");
    }
    Ok(())
}

fn declaration_form_fits(s: &Standing) -> Result<(), &'static str> {
    let v = s.verification;
    if v.purged {
        return Err("The verification of this case is over: what the person gave was deleted (§ 7060(d)).");
    }
    v.declaration_missing.then_some(()).ok_or(
        "No part of this request still being verified asks for a signed declaration, or the declaration is recorded already.",
    )
}

fn agent_permission_fits(s: &Standing) -> Result<(), &'static str> {
    use crate::domain::details::AgentBasis;
    let Some(agent) = &s.case.details.agent else {
        return Err("This request was not made by an authorised agent.");
    };
    match agent.basis {
        AgentBasis::PowerOfAttorney => {
            return Err("An agent holding a power of attorney is not asked for the person's permission, nor is the person asked to confirm it (§ 7063(b)).")
        }
        AgentBasis::ParentOfMinor | AgentBasis::Conservator => {
            return Err("A parent of a minor or a conservator acts as the person (Civ. Code § 1798.140(ak)); there is no permission to ask for.")
        }
        AgentBasis::SignedPermission => {}
    }
    if s.verification.purged {
        return Err("The verification of this case is over: what the person gave was deleted (§ 7060(d)).");
    }
    (s.verification.agent_evidence_missing || !s.verification.pending.is_empty())
        .then_some(())
        .ok_or("The agent's permission is recorded and nothing is waiting for verification.")
}

fn unable_to_verify_fits(s: &Standing) -> Result<(), &'static str> {
    (!s.verification.failed.is_empty()).then_some(()).ok_or(
        "No part of this request is concluded as not verified and still unanswered: conclude the verification as failed first (Verification panel).",
    )
}

fn always(_: &Standing) -> Result<(), &'static str> {
    Ok(())
}

/// The specs of every kind, in `LetterKind::ALL` order.
pub const SPECS: [LetterSpec; 14] = [
    LetterSpec {
        kind: LetterKind::Acknowledgment,
        label: "Acknowledgment of receipt",
        section: "11 CCR § 7021(a)",
        inputs: &[],
        variants: &[],
        records: Records::Nothing,
        answers: Some(ClockKind::Acknowledge),
        fits: acknowledgment_fits,
    },
    LetterSpec {
        kind: LetterKind::Extension,
        label: "Extension notice",
        section: "Civ. Code § 1798.130(a)(2)(A); 11 CCR § 7021(b)",
        inputs: &[Input::Reason],
        variants: &[],
        records: Records::Extension,
        answers: None,
        fits: extension_fits,
    },
    LetterSpec {
        kind: LetterKind::OptOutConfirmation,
        label: "Opt-out / limit confirmation",
        section: "11 CCR §§ 7026, 7027",
        inputs: &[],
        variants: &[
            Variant {
                code: "honoured",
                label: "Honoured, with the date",
                needs_reason: false,
                to_requester: false,
            },
            Variant {
                code: "not-sold",
                label: "We do not sell or share (and use sensitive information only as permitted)",
                needs_reason: false,
                to_requester: false,
            },
            Variant {
                code: "limit-declined",
                label: "Limit declined, as the privacy notice says (its e-mail opt-out offered)",
                needs_reason: false,
                to_requester: false,
            },
            Variant {
                code: "email-stopped",
                label: "E-mails stopped, as the notice's opt-out says (a limit beyond them declined)",
                needs_reason: false,
                to_requester: false,
            },
            Variant {
                code: "denied-fraud",
                label: "Denied: documented good-faith belief of fraud",
                needs_reason: true,
                to_requester: false,
            },
        ],
        records: Records::OptOutAnswer,
        answers: Some(ClockKind::Comply),
        fits: opt_out_fits,
    },
    LetterSpec {
        kind: LetterKind::NotCovered,
        label: "Not covered",
        section: "Civ. Code § 1798.145(h)(2)",
        inputs: &[],
        variants: &[],
        records: Records::Nothing,
        answers: None,
        fits: not_covered_fits,
    },
    LetterSpec {
        kind: LetterKind::VerificationRequest,
        label: "Request for verification information",
        section: "11 CCR §§ 7060, 7062; § 7021(b)",
        inputs: &[],
        variants: &[],
        records: Records::Nothing,
        answers: None,
        fits: verification_request_fits,
    },
    LetterSpec {
        kind: LetterKind::DeclarationForm,
        label: "Declaration under penalty of perjury (form to sign)",
        section: "11 CCR § 7062(c); Code Civ. Proc. § 2015.5",
        inputs: &[],
        variants: &[],
        records: Records::Nothing,
        answers: None,
        fits: declaration_form_fits,
    },
    LetterSpec {
        kind: LetterKind::AgentPermission,
        label: "Authorised agent: permission",
        section: "11 CCR § 7063(a)",
        inputs: &[],
        variants: &[
            Variant {
                code: "signed-permission",
                label: "To the agent: send the person's signed permission",
                needs_reason: false,
                to_requester: false,
            },
            Variant {
                code: "direct-confirmation",
                label: "To the person: confirm the permission, or verify your own identity",
                needs_reason: false,
                to_requester: true,
            },
        ],
        records: Records::Nothing,
        answers: None,
        fits: agent_permission_fits,
    },
    LetterSpec {
        kind: LetterKind::UnableToVerify,
        label: "Unable to verify identity",
        section: "11 CCR §§ 7022(a), (g), 7023(a), 7024(a)-(b)",
        inputs: &[],
        variants: &[],
        records: Records::UnverifiedAnswer,
        answers: None,
        fits: unable_to_verify_fits,
    },
    LetterSpec {
        kind: LetterKind::KnowResponse,
        label: "Response to a request to know (categories)",
        section: "Civ. Code §§ 1798.110, 1798.130(a)(4); 11 CCR § 7024",
        inputs: &[],
        variants: &[],
        records: Records::Response(RequestKind::KnowCategories),
        answers: None,
        fits: know_response_fits,
    },
    LetterSpec {
        kind: LetterKind::KnowSpecificResponse,
        label: "Response to a request to know (specific pieces)",
        section: "Civ. Code §§ 1798.110(a)(5), 1798.130(a)(3)(B)(iii); 11 CCR § 7024",
        inputs: &[],
        variants: &[],
        records: Records::Response(RequestKind::KnowSpecific),
        answers: None,
        fits: know_specific_response_fits,
    },
    LetterSpec {
        kind: LetterKind::DeletionResponse,
        label: "Response to a request to delete",
        section: "Civ. Code § 1798.105; 11 CCR § 7022",
        inputs: &[],
        variants: &[],
        records: Records::Response(RequestKind::Delete),
        answers: None,
        fits: deletion_response_fits,
    },
    LetterSpec {
        kind: LetterKind::CorrectionResponse,
        label: "Response to a request to correct",
        section: "Civ. Code § 1798.106; 11 CCR § 7023",
        inputs: &[],
        variants: &[],
        records: Records::Response(RequestKind::Correct),
        answers: None,
        fits: correction_response_fits,
    },
    LetterSpec {
        kind: LetterKind::Denial,
        label: "Denial of the request",
        section: "Civ. Code §§ 1798.130(b), 1798.145(h)",
        inputs: &[],
        variants: &[
            Variant {
                code: "excessive",
                label: "Manifestly unfounded or excessive (§ 1798.145(h)(3))",
                needs_reason: true,
                to_requester: false,
            },
            Variant {
                code: "twice-in-12-months",
                label: "A third request to know within 12 months (§ 1798.130(b))",
                needs_reason: true,
                to_requester: false,
            },
            Variant {
                code: "other",
                label: "Another reason, explained in full",
                needs_reason: true,
                to_requester: false,
            },
        ],
        records: Records::Denial,
        answers: None,
        fits: denial_fits,
    },
    LetterSpec {
        kind: LetterKind::General,
        label: "General letter",
        section: "",
        inputs: &[Input::Body],
        variants: &[],
        records: Records::Nothing,
        answers: None,
        fits: always,
    },
];

/// The spec of a kind.
pub fn spec(kind: LetterKind) -> &'static LetterSpec {
    SPECS
        .iter()
        .find(|s| s.kind == kind)
        .expect("every kind has its spec (a test checks)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_spec_in_order() {
        assert_eq!(SPECS.map(|s| s.kind), LetterKind::ALL);
    }
}
