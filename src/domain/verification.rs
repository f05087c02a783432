//! Identity verification: how sure the business must be that a request comes from the person it
//! is about, per kind of request (11 CCR §§ 7060-7063), what has been checked, and whether a
//! kind may be marked verified.
//!
//! Opt-out and limit need none (§ 7060(b)); know categories a reasonable degree of certainty,
//! e.g. two data points matched against reliable data the business holds (§ 7062(b)); know
//! specific pieces a reasonably high degree, e.g. three data points and a signed declaration
//! under penalty of perjury (§ 7062(c)); delete and correct reasonable or reasonably high by the
//! sensitivity of the data (§ 7062(d)) — a profile that holds a sensitive category raises them.
//! The counts are the regulation's examples; the organisation's profile sets its own
//! ([`VerificationPolicy`]). An agent with power of attorney is never asked for the person's
//! permission (§ 7063(b)); a correction is verified on data that is not being corrected
//! (§ 7060(h)).

use super::details::AgentBasis;
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
#[serde(deny_unknown_fields)]
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

/// A fact the organisation holds about people in its records, against which what a person
/// gives is matched, and where staff look it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DataPoint {
    /// `employee-id`, `date-of-birth`… (what the CLI's `--field` names).
    pub code: String,
    pub label: String,
    /// Where staff find the organisation's own value.
    #[serde(default)]
    pub lookup: String,
}

/// The organisation's verification policy (in its profile): per kind of request the degree of
/// certainty, the data points and whether a declaration is needed, the data points it can
/// check, and what it asks of an authorised agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct VerificationPolicy {
    #[serde(default = "know_categories")]
    pub know_categories: KindPolicy,
    #[serde(default = "know_specific")]
    pub know_specific: KindPolicy,
    #[serde(default = "delete")]
    pub delete: KindPolicy,
    #[serde(default = "correct")]
    pub correct: KindPolicy,
    /// Whether an agent without power of attorney must bring the person's signed permission
    /// (§ 7063(a) allows it; on by default, the reading that protects the person).
    #[serde(default = "yes")]
    pub agent_signed_permission: bool,
    #[serde(default = "employer_data_points")]
    pub data_points: Vec<DataPoint>,
}

fn know_categories() -> KindPolicy {
    default_policy(RequestKind::KnowCategories)
}
fn know_specific() -> KindPolicy {
    default_policy(RequestKind::KnowSpecific)
}
fn delete() -> KindPolicy {
    default_policy(RequestKind::Delete)
}
fn correct() -> KindPolicy {
    default_policy(RequestKind::Correct)
}
fn yes() -> bool {
    true
}

/// The data points an employer holds about its workforce and applicants (the demo
/// organisation's), none of them a new sensitive identifier (§ 7060(c)(2)).
pub fn employer_data_points() -> Vec<DataPoint> {
    [
        ("employee-id", "Employee or applicant ID", "HR system, person record"),
        ("date-of-birth", "Date of birth", "HR system, personal details"),
        ("hire-date", "Hire or application date", "HR system, employment history"),
        ("job-title", "Job title or position applied for", "HR system, position"),
        ("work-location", "Work location", "HR system, assignment"),
        ("home-postal-code", "Home ZIP code", "HR system, home address"),
        ("personal-email", "Personal email address", "HR system, contact details"),
        ("personal-phone", "Personal phone number", "HR system, contact details"),
    ]
    .into_iter()
    .map(|(code, label, lookup)| DataPoint {
        code: code.into(),
        label: label.into(),
        lookup: lookup.into(),
    })
    .collect()
}

impl Default for VerificationPolicy {
    fn default() -> Self {
        VerificationPolicy {
            know_categories: know_categories(),
            know_specific: know_specific(),
            delete: delete(),
            correct: correct(),
            agent_signed_permission: true,
            data_points: employer_data_points(),
        }
    }
}

/// What one kind of request needs before it may be marked verified, and the rule that says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Requirement {
    pub kind: RequestKind,
    pub certainty: Certainty,
    pub data_points: u8,
    pub declaration: bool,
    /// The rule applied, cited.
    pub why: String,
}

impl VerificationPolicy {
    fn kind_policy(&self, kind: RequestKind) -> KindPolicy {
        match kind {
            RequestKind::OptOut | RequestKind::Limit => default_policy(kind),
            RequestKind::KnowCategories => self.know_categories,
            RequestKind::KnowSpecific => self.know_specific,
            RequestKind::Delete => self.delete,
            RequestKind::Correct => self.correct,
        }
    }

    /// What `kind` needs under this policy; `sensitive_held`: the organisation holds a category
    /// of sensitive personal information, which raises delete and correct to a reasonably high
    /// degree (§ 7062(d)).
    pub fn requirement(&self, kind: RequestKind, sensitive_held: bool) -> Requirement {
        let mut p = self.kind_policy(kind);
        let raised = sensitive_held
            && matches!(kind, RequestKind::Delete | RequestKind::Correct)
            && p.certainty < Certainty::ReasonablyHigh;
        if raised {
            p.certainty = Certainty::ReasonablyHigh;
            p.data_points = p.data_points.max(3);
        }
        let why = match kind {
            RequestKind::OptOut | RequestKind::Limit => {
                "No verification may be required for an opt-out or a limit; it may be denied only on a documented good-faith belief that it is fraudulent (11 CCR § 7060(b), § 7026(e), § 7027(f)).".to_owned()
            }
            RequestKind::KnowCategories => format!(
                "A reasonable degree of certainty: {} data points matched against reliable data the organisation holds (11 CCR § 7062(b)).",
                p.data_points
            ),
            RequestKind::KnowSpecific => format!(
                "A reasonably high degree of certainty: {} data points matched{} (11 CCR § 7062(c)).",
                p.data_points,
                if p.declaration { " and a signed declaration under penalty of perjury, kept as a record" } else { "" }
            ),
            RequestKind::Delete | RequestKind::Correct if raised => format!(
                "A reasonably high degree of certainty, because the organisation holds sensitive personal information: {} data points matched{} (11 CCR § 7062(d)).",
                p.data_points,
                if p.declaration { " and a signed declaration" } else { "" }
            ),
            RequestKind::Delete | RequestKind::Correct => format!(
                "{}: {} data points matched{} (11 CCR § 7062(d)){}.",
                if p.certainty == Certainty::ReasonablyHigh { "A reasonably high degree of certainty" } else { "A reasonable degree of certainty" },
                p.data_points,
                if p.declaration { " and a signed declaration" } else { "" },
                if kind == RequestKind::Correct { "; on data that is not the subject of the correction (§ 7060(h))" } else { "" }
            ),
        };
        Requirement {
            kind,
            certainty: p.certainty,
            data_points: p.data_points,
            declaration: p.declaration,
            why,
        }
    }

    pub fn data_point(&self, code: &str) -> Option<&DataPoint> {
        self.data_points.iter().find(|d| d.code == code)
    }
}

/// How a data point the person gave compared with the organisation's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum PointResult {
    Matched,
    NotMatched,
    /// The organisation holds no value to compare it with.
    NotHeld,
}

impl PointResult {
    pub fn token(self) -> &'static str {
        match self {
            PointResult::Matched => "matched",
            PointResult::NotMatched => "not-matched",
            PointResult::NotHeld => "not-held",
        }
    }
    pub fn parse(token: &str) -> Option<PointResult> {
        [PointResult::Matched, PointResult::NotMatched, PointResult::NotHeld]
            .into_iter()
            .find(|r| r.token() == token)
    }
}

/// What an authorised agent showed (§ 7063).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum AgentEvidence {
    /// The person's signed permission for the agent (§ 7063(a)(1)).
    SignedPermission,
    /// The person confirmed directly with the organisation that they gave it (§ 7063(a)(2)(B)).
    DirectConfirmation,
    /// A power of attorney under Probate Code §§ 4121-4130, seen (§ 7063(b)).
    PowerOfAttorney,
}

impl AgentEvidence {
    pub fn token(self) -> &'static str {
        match self {
            AgentEvidence::SignedPermission => "signed-permission",
            AgentEvidence::DirectConfirmation => "direct-confirmation",
            AgentEvidence::PowerOfAttorney => "power-of-attorney",
        }
    }
    pub fn parse(token: &str) -> Option<AgentEvidence> {
        [
            AgentEvidence::SignedPermission,
            AgentEvidence::DirectConfirmation,
            AgentEvidence::PowerOfAttorney,
        ]
        .into_iter()
        .find(|e| e.token() == token)
    }
}

/// What an agent must show, given their authority, and the rule that says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AgentRequirement {
    pub evidence: Vec<AgentEvidence>,
    pub why: String,
}

/// What an agent acting on `basis` must show under `policy` (§ 7063). Power of attorney is never
/// required, and an agent holding one is asked for nothing more (§ 7063(b)); a parent of a minor
/// or a conservator acts as the person (Civ. Code § 1798.140(ak)).
pub fn agent_requirement(basis: AgentBasis, policy: &VerificationPolicy) -> AgentRequirement {
    match basis {
        AgentBasis::PowerOfAttorney => AgentRequirement {
            evidence: vec![AgentEvidence::PowerOfAttorney],
            why: "An agent holding a power of attorney under Probate Code §§ 4121-4130 is not asked for the person's permission, nor is the person asked to confirm it (11 CCR § 7063(b)); record that the power of attorney was seen.".into(),
        },
        AgentBasis::ParentOfMinor | AgentBasis::Conservator => AgentRequirement {
            evidence: vec![],
            why: "A parent or guardian of a minor, or a conservator, acts as the person (Civ. Code § 1798.140(ak)): verify the person's identity as for their own request; § 7063's permission does not apply.".into(),
        },
        AgentBasis::SignedPermission if policy.agent_signed_permission => AgentRequirement {
            evidence: vec![AgentEvidence::SignedPermission],
            why: "The agent brings the person's signed permission, and the person verifies their own identity (the data points) or confirms the permission directly (11 CCR § 7063(a)); a power of attorney is never required.".into(),
        },
        AgentBasis::SignedPermission => AgentRequirement {
            evidence: vec![],
            why: "The organisation's policy does not ask agents for the person's signed permission (11 CCR § 7063(a) allows, and does not require, it).".into(),
        },
    }
}

/// One data point as checked, for deciding a kind (the value the person gave is not needed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub field: String,
    pub result: PointResult,
}

/// Whether `field` is part of what a correction asks to change (§ 7060(h)): its code or its
/// label (or a value the person gave for it) appears in what is said to be wrong or right.
pub fn corrected(point: &DataPoint, given: Option<&str>, correction: &str) -> bool {
    let text = correction.to_lowercase();
    let words = |s: &str| s.to_lowercase().replace('-', " ");
    let label = words(&point.label);
    text.contains(&words(&point.code))
        || text.contains(&point.code.to_lowercase())
        || label
            .split(" or ")
            .any(|part| !part.trim().is_empty() && text.contains(part.trim()))
        || given.is_some_and(|g| g.trim().len() >= 3 && text.contains(&g.trim().to_lowercase()))
}

/// What is still missing before `req` is met, in words; empty when it is met. `excluded`: data
/// points that do not count for this kind (for a correction, the fields being corrected).
pub fn missing(
    req: &Requirement,
    points: &[Checked],
    excluded: &[String],
    declaration: bool,
    agent: Option<(&AgentRequirement, &[AgentEvidence])>,
) -> Vec<String> {
    let mut out = Vec::new();
    if req.certainty == Certainty::None {
        return out;
    }
    let matched = points
        .iter()
        .filter(|p| p.result == PointResult::Matched && !excluded.contains(&p.field))
        .count();
    if matched < usize::from(req.data_points) {
        let short = usize::from(req.data_points) - matched;
        out.push(format!(
            "{short} more matched data point{} ({} of {} matched{})",
            if short == 1 { "" } else { "s" },
            matched,
            req.data_points,
            if excluded.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} does not count, as it is being corrected (§ 7060(h))",
                    excluded.join(", ")
                )
            }
        ));
    }
    if req.declaration && !declaration {
        out.push("the signed declaration under penalty of perjury (§ 7062(c))".into());
    }
    if let Some((need, shown)) = agent {
        for e in &need.evidence {
            if !shown.contains(e) {
                out.push(format!("the agent's evidence: {} (§ 7063)", e.token()));
            }
        }
    }
    out
}

/// What the law lets the organisation do when `kind` cannot be verified.
pub fn failure_path(kind: RequestKind, sells_or_shares: bool) -> &'static str {
    match kind {
        RequestKind::KnowSpecific => "Deny the specific pieces, say so, and treat the request as one to know categories (11 CCR § 7024(a)).",
        RequestKind::KnowCategories => "The request may be denied; the response points the person to the privacy notice (11 CCR § 7024(b)).",
        RequestKind::Delete if sells_or_shares => "The request may be denied and the person told so; ask whether they want to opt out of sale or sharing (11 CCR § 7022(a), (g)).",
        RequestKind::Delete => "The request may be denied and the person told so (11 CCR § 7022(a)).",
        RequestKind::Correct => "The request may be denied and the person told so (11 CCR § 7023(a)).",
        RequestKind::OptOut | RequestKind::Limit => "Not verified: an opt-out or limit is denied only on a documented good-faith belief of fraud (11 CCR § 7026(e), § 7027(f)).",
    }
}

/// How a data point's values are compared: the form they are reduced to before hashing, so
/// that "03/04/1981" and "1981-03-04", or "(415) 555-0100" and "415.555.0100", match. Read from
/// the data point's code (a code naming a date, a phone, an email or a postal code), so a
/// profile's own data points compare sensibly without a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointForm {
    Date,
    Phone,
    Email,
    PostalCode,
    Text,
}

impl PointForm {
    pub fn of(code: &str) -> PointForm {
        let code = code.to_ascii_lowercase();
        if code.contains("date") || code.contains("birth") {
            PointForm::Date
        } else if code.contains("phone") {
            PointForm::Phone
        } else if code.contains("email") {
            PointForm::Email
        } else if code.contains("postal") || code.contains("zip") {
            PointForm::PostalCode
        } else {
            PointForm::Text
        }
    }
}

/// A value as it is compared: a date as ISO (from ISO or US month/day/year), a phone number's
/// ten digits (a leading 1 dropped), an email and text lower-cased with spaces collapsed, a ZIP
/// code's first five digits. A value that does not read in its form is compared as text.
pub fn normalise(code: &str, value: &str) -> String {
    let text = || value.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    match PointForm::of(code) {
        PointForm::Date => {
            let v = value.trim();
            ["%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%m-%d-%Y"]
                .iter()
                .find_map(|f| chrono::NaiveDate::parse_from_str(v, f).ok())
                .map_or_else(text, |d| d.format("%Y-%m-%d").to_string())
        }
        PointForm::Phone if digits.len() == 11 && digits.starts_with('1') => digits[1..].to_owned(),
        PointForm::Phone if digits.len() >= 7 => digits,
        PointForm::PostalCode if digits.len() >= 5 => digits[..5].to_owned(),
        PointForm::Email | PointForm::Phone | PointForm::PostalCode | PointForm::Text => text(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn values_compare_in_their_form_not_as_typed() {
        let table = [
            ("date-of-birth", "03/04/1981", "1981-03-04"),
            ("date-of-birth", " 1981-03-04 ", "1981-03-04"),
            ("hire-date", "2019/11/30", "2019-11-30"),
            ("personal-phone", "(415) 555-0100", "4155550100"),
            ("personal-phone", "+1 415.555.0100", "4155550100"),
            ("personal-email", " Ana.Reyes@Example.ORG ", "ana.reyes@example.org"),
            ("home-postal-code", "94612-1234", "94612"),
            ("job-title", "  Registered   Nurse ", "registered nurse"),
            ("employee-id", "E-10442", "e-10442"),
            ("date-of-birth", "the fourth of March", "the fourth of march"),
        ];
        for (code, given, form) in table {
            assert_eq!(normalise(code, given), form, "{code}: {given:?}");
        }
    }

    proptest! {
        /// Normalising twice changes nothing, so a value and its stored form always agree.
        #[test]
        fn normalising_is_idempotent(code in prop::sample::select(vec!["date-of-birth", "personal-phone", "personal-email", "home-postal-code", "job-title"]), value in "[ -~]{0,24}") {
            let once = normalise(code, &value);
            prop_assert_eq!(normalise(code, &once), once);
        }
    }

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
        let policy = VerificationPolicy::default();
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
            let req = policy.requirement(kind, false);
            assert_eq!(
                (req.certainty, req.data_points, req.declaration),
                (certainty, points, declaration)
            );
        }
    }

    #[test]
    fn sensitive_data_raises_delete_and_correct_section_7062d() {
        let policy = VerificationPolicy::default();
        for kind in [RequestKind::Delete, RequestKind::Correct] {
            let req = policy.requirement(kind, true);
            assert_eq!(req.certainty, Certainty::ReasonablyHigh, "{kind:?}");
            assert_eq!(req.data_points, 3);
            assert!(req.why.contains("§ 7062(d)"), "{}", req.why);
        }
        // Know and opt-out are not moved by it.
        assert_eq!(policy.requirement(RequestKind::KnowCategories, true).data_points, 2);
        assert_eq!(policy.requirement(RequestKind::OptOut, true).certainty, Certainty::None);
    }

    #[test]
    fn opt_out_and_limit_need_nothing_section_7060b() {
        let policy = VerificationPolicy::default();
        for kind in [RequestKind::OptOut, RequestKind::Limit] {
            let req = policy.requirement(kind, false);
            assert!(missing(&req, &[], &[], false, None).is_empty());
            assert!(req.why.contains("§ 7060(b)"));
        }
    }

    #[test]
    fn know_specific_needs_three_points_and_the_declaration_section_7062c() {
        let req = VerificationPolicy::default().requirement(RequestKind::KnowSpecific, false);
        let two = [
            Checked {
                field: "employee-id".into(),
                result: PointResult::Matched,
            },
            Checked {
                field: "date-of-birth".into(),
                result: PointResult::Matched,
            },
            Checked {
                field: "hire-date".into(),
                result: PointResult::NotMatched,
            },
        ];
        let gaps = missing(&req, &two, &[], false, None);
        assert_eq!(gaps.len(), 2, "{gaps:?}");
        assert!(gaps[0].starts_with("1 more matched data point (2 of 3"), "{gaps:?}");
        assert!(gaps[1].contains("declaration"));
        let mut three = two.to_vec();
        three[2].result = PointResult::Matched;
        assert!(missing(&req, &three, &[], true, None).is_empty());
    }

    #[test]
    fn agents_section_7063() {
        let policy = VerificationPolicy::default();
        let poa = agent_requirement(AgentBasis::PowerOfAttorney, &policy);
        assert!(!poa.evidence.contains(&AgentEvidence::SignedPermission), "§ 7063(b)");
        assert!(poa.why.contains("§ 7063(b)"));
        let signed = agent_requirement(AgentBasis::SignedPermission, &policy);
        assert_eq!(signed.evidence, vec![AgentEvidence::SignedPermission]);
        assert!(agent_requirement(AgentBasis::ParentOfMinor, &policy)
            .why
            .contains("§ 1798.140(ak)"));
        let relaxed = VerificationPolicy {
            agent_signed_permission: false,
            ..VerificationPolicy::default()
        };
        assert!(agent_requirement(AgentBasis::SignedPermission, &relaxed)
            .evidence
            .is_empty());

        let req = policy.requirement(RequestKind::KnowCategories, false);
        let points = [
            Checked {
                field: "employee-id".into(),
                result: PointResult::Matched,
            },
            Checked {
                field: "hire-date".into(),
                result: PointResult::Matched,
            },
        ];
        let gaps = missing(&req, &points, &[], false, Some((&signed, &[])));
        assert_eq!(
            gaps,
            vec!["the agent's evidence: signed-permission (§ 7063)".to_owned()]
        );
        assert!(missing(
            &req,
            &points,
            &[],
            false,
            Some((&signed, &[AgentEvidence::SignedPermission]))
        )
        .is_empty());
    }

    #[test]
    fn a_correction_is_verified_on_data_not_being_corrected_section_7060h() {
        let policy = VerificationPolicy::default();
        let dob = policy.data_point("date-of-birth").unwrap();
        let title = policy.data_point("job-title").unwrap();
        let correction = "Wrong: date of birth 03/04/1981. Should be: 04/03/1981";
        assert!(corrected(dob, Some("04/03/1981"), correction));
        assert!(!corrected(title, Some("Nurse"), correction));
        let req = policy.requirement(RequestKind::Correct, false);
        let points = [
            Checked {
                field: "date-of-birth".into(),
                result: PointResult::Matched,
            },
            Checked {
                field: "job-title".into(),
                result: PointResult::Matched,
            },
        ];
        let gaps = missing(&req, &points, &["date-of-birth".into()], false, None);
        assert_eq!(gaps.len(), 1);
        assert!(gaps[0].contains("§ 7060(h)"), "{gaps:?}");
    }

    #[test]
    fn failure_paths_section_7022_7023_7024() {
        assert!(failure_path(RequestKind::KnowSpecific, false).contains("§ 7024(a)"));
        assert!(failure_path(RequestKind::KnowCategories, false).contains("§ 7024(b)"));
        assert!(failure_path(RequestKind::Delete, true).contains("opt out"));
        assert!(!failure_path(RequestKind::Delete, false).contains("opt out"));
        assert!(failure_path(RequestKind::Correct, false).contains("§ 7023(a)"));
    }

    proptest! {
        /// § 7062: a further matched point never makes a kind harder to verify.
        #[test]
        fn a_further_matched_point_never_adds_a_gap(results in proptest::collection::vec(0u8..3, 0..8), kind in 0usize..6) {
            let kinds = [RequestKind::KnowCategories, RequestKind::KnowSpecific, RequestKind::Delete, RequestKind::Correct, RequestKind::OptOut, RequestKind::Limit];
            let req = VerificationPolicy::default().requirement(kinds[kind], false);
            let codes: Vec<String> = employer_data_points().into_iter().map(|d| d.code).collect();
            let mut points: Vec<Checked> = results.iter().enumerate().map(|(i, r)| Checked {
                field: codes[i].clone(),
                result: [PointResult::Matched, PointResult::NotMatched, PointResult::NotHeld][usize::from(*r)],
            }).collect();
            let before = missing(&req, &points, &[], false, None).len();
            if let Some(p) = points.iter_mut().find(|p| p.result != PointResult::Matched) {
                p.result = PointResult::Matched;
            }
            prop_assert!(missing(&req, &points, &[], false, None).len() <= before);
        }
    }
}
