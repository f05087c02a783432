//! One spec per kind of letter: when it may be produced for a case, what it asks staff for and
//! adds to the template's context, what producing it records, and which clock it answers (what a
//! batch prints). The wording is in the templates (`templates/letters/<language>/<kind>.txt`);
//! adding a kind is a spec here and its templates.

use super::LetterKind;
use crate::domain::clock::ClockFacts;
use crate::domain::deadline::{self, ClockKind};
use crate::domain::details::Coverage;
use crate::domain::{Case, CaseStatus, RequestKind};

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
}

/// What producing the letter records besides the letter itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Records {
    Nothing,
    /// The one extension of the response period (§ 7021(b)), with the reason, notice given today.
    Extension,
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
    pub fits: fn(&Case, &ClockFacts) -> Result<(), &'static str>,
}

fn has_clock(facts: &ClockFacts, clock: ClockKind) -> bool {
    deadline::clocks_for(&facts.kinds).contains(&clock)
}

fn acknowledgment_fits(_: &Case, facts: &ClockFacts) -> Result<(), &'static str> {
    has_clock(facts, ClockKind::Acknowledge).then_some(()).ok_or(
        "Opt-out and limit requests have no confirmation of receipt (§ 7021(a) covers know, delete and correct).",
    )
}

fn extension_fits(_: &Case, facts: &ClockFacts) -> Result<(), &'static str> {
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

fn opt_out_fits(case: &Case, _: &ClockFacts) -> Result<(), &'static str> {
    case.kinds
        .iter()
        .any(|k| matches!(k, RequestKind::OptOut | RequestKind::Limit))
        .then_some(())
        .ok_or("This case has no opt-out or limit request to confirm.")
}

fn not_covered_fits(case: &Case, _: &ClockFacts) -> Result<(), &'static str> {
    (matches!(case.coverage, Coverage::NotCovered { .. }) || case.status == CaseStatus::NotCovered)
        .then_some(())
        .ok_or("This case is not flagged as not covered; set its entity or relationship to “None of these” first.")
}

fn always(_: &Case, _: &ClockFacts) -> Result<(), &'static str> {
    Ok(())
}

/// The specs of every kind, in `LetterKind::ALL` order.
pub const SPECS: [LetterSpec; 5] = [
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
            },
            Variant {
                code: "not-sold",
                label: "We do not sell or share (and use sensitive information only as permitted)",
                needs_reason: false,
            },
            Variant {
                code: "denied-fraud",
                label: "Denied: documented good-faith belief of fraud",
                needs_reason: true,
            },
        ],
        records: Records::Nothing,
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
