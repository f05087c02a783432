//! What is done with each category of personal information a request covers, and on which legal
//! basis: the shipped catalogue of bases (the eight deletion exceptions of Civ. Code
//! § 1798.105(d), the general exemptions of § 1798.145 and § 1798.146, the grounds for denying a
//! correction in 11 CCR § 7023(f)-(h)), the organisation's retention schedule (what the law makes
//! it keep, and for how long), and the rules a decision must meet: an outcome the kind has, a
//! basis where something is withheld, kept or not corrected, a basis that applies to that kind,
//! no § 1798.145(a)(1) shield for information about contraception, pregnancy or perinatal care
//! (§ 1798.145(a)(2)(A); the legal-obligation exception § 1798.105(d)(8) is outside it), and for
//! "kept because the law requires it" the record type and its citation.

use super::request::RequestKind;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use ts_rs::TS;

/// One basis on which a part of a request may be refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Basis {
    pub code: String,
    pub citation: String,
    /// The kinds of request it can refuse.
    pub kinds: Vec<RequestKind>,
    /// One of the § 1798.145(a)(1) shields (switched off by § 1798.145(a)(2)(A)).
    #[serde(default)]
    pub shield: bool,
    /// "The law requires us to keep it": a decision on it names a record type of the retention
    /// schedule.
    #[serde(default)]
    pub retention: bool,
    /// What a letter says, per language code.
    pub sentence: BTreeMap<String, String>,
}

/// The shipped catalogue (`src/domain/exemptions.toml`), with its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub version: String,
    #[serde(rename = "entry")]
    pub entries: Vec<Basis>,
}

impl Catalogue {
    pub fn basis(&self, code: &str) -> Option<&Basis> {
        self.entries.iter().find(|b| b.code == code)
    }
}

/// The catalogue shipped with this version, read once.
pub fn catalogue() -> &'static Catalogue {
    static PARSED: OnceLock<Catalogue> = OnceLock::new();
    PARSED.get_or_init(|| {
        toml::from_str(include_str!("exemptions.toml")).expect("the shipped catalogue is valid (a test checks)")
    })
}

/// A type of record the law makes the organisation keep, with the minimum period, its citation
/// and the categories of personal information it holds (the profile's `[[retention]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RecordType {
    pub code: String,
    /// What staff and letters call it ("Personnel file").
    pub record: String,
    /// The minimum, in words ("4 years from creation").
    pub minimum: String,
    pub citation: String,
    /// Whole years counted from today when the period runs from the record's creation or the
    /// last entry (an upper bound of the date it is kept until); `None` when it runs from an event
    /// still to come (the end of employment).
    #[serde(default)]
    pub years_from_now: Option<u32>,
    /// The profile's category codes the record holds.
    pub categories: Vec<String>,
    /// How sure the period is (reference § 12.4): `verified`, `secondary`, `unconfirmed`.
    #[serde(default)]
    pub certainty: String,
}

/// An employer's retention schedule (the demo organisation's; 11 CCR review § 12.4).
pub fn employer_retention() -> Vec<RecordType> {
    let all_hr = ["name", "contact", "identifiers", "education-and-employment"];
    let entry = |code: &str,
                 record: &str,
                 minimum: &str,
                 citation: &str,
                 years: Option<u32>,
                 categories: &[&str],
                 certainty: &str| RecordType {
        code: code.into(),
        record: record.into(),
        minimum: minimum.into(),
        citation: citation.into(),
        years_from_now: years,
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        certainty: certainty.into(),
    };
    vec![
        entry(
            "personnel-file",
            "Application and personnel file",
            "4 years from the record's creation or the employment action",
            "Gov. Code § 12946",
            Some(4),
            &all_hr,
            "verified",
        ),
        entry(
            "personnel-records",
            "Personnel records (performance, grievances)",
            "3 years after employment ends",
            "Lab. Code § 1198.5(c)(1)",
            None,
            &all_hr,
            "secondary",
        ),
        entry(
            "wage-statements",
            "Itemized wage statements",
            "3 years",
            "Lab. Code § 226(a)",
            Some(3),
            &[
                "name",
                "identifiers",
                "financial-and-insurance",
                "education-and-employment",
            ],
            "verified",
        ),
        entry(
            "payroll",
            "Payroll records (hours and wages)",
            "3 years",
            "Lab. Code § 1174(d)",
            Some(3),
            &[
                "name",
                "identifiers",
                "financial-and-insurance",
                "education-and-employment",
            ],
            "verified",
        ),
        entry(
            "employment-tax",
            "Employment-tax records",
            "4 years",
            "26 CFR 31.6001-1(e)(2); IRS Publication 15",
            Some(4),
            &["name", "contact", "identifiers", "financial-and-insurance"],
            "verified",
        ),
        entry(
            "exposure-medical",
            "Employee exposure and medical records",
            "the duration of employment plus 30 years",
            "8 CCR § 3204(d)(1)(A); 29 CFR 1910.1020(d)",
            None,
            &["name", "identifiers", "screening-and-workers-comp"],
            "secondary",
        ),
        entry(
            "i-9",
            "Form I-9",
            "the later of 3 years after hire or 1 year after employment ends",
            "8 CFR 274a.2(b)(2)(i)(A)",
            None,
            &["name", "contact", "identifiers"],
            "unconfirmed",
        ),
    ]
}

/// What was done with one category for one kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionOutcome {
    /// Know categories: the category is disclosed.
    Disclosed,
    /// Know specific pieces: the pieces are provided.
    SpecificProvided,
    /// Know: not disclosed, on a basis.
    Withheld,
    /// Nothing of this category is held about the person.
    NoneHeld,
    Deleted,
    Deidentified,
    /// Delete: kept, on a basis.
    Retained,
    Corrected,
    /// Correct: not corrected, on a basis.
    Denied,
}

impl DecisionOutcome {
    pub const ALL: [DecisionOutcome; 9] = [
        DecisionOutcome::Disclosed,
        DecisionOutcome::SpecificProvided,
        DecisionOutcome::Withheld,
        DecisionOutcome::NoneHeld,
        DecisionOutcome::Deleted,
        DecisionOutcome::Deidentified,
        DecisionOutcome::Retained,
        DecisionOutcome::Corrected,
        DecisionOutcome::Denied,
    ];

    pub fn token(self) -> &'static str {
        match self {
            DecisionOutcome::Disclosed => "disclosed",
            DecisionOutcome::SpecificProvided => "specific-provided",
            DecisionOutcome::Withheld => "withheld",
            DecisionOutcome::NoneHeld => "none-held",
            DecisionOutcome::Deleted => "deleted",
            DecisionOutcome::Deidentified => "deidentified",
            DecisionOutcome::Retained => "retained",
            DecisionOutcome::Corrected => "corrected",
            DecisionOutcome::Denied => "denied",
        }
    }

    pub fn parse(token: &str) -> Option<DecisionOutcome> {
        DecisionOutcome::ALL.into_iter().find(|o| o.token() == token)
    }

    /// The outcomes a kind of request has (opt-out and limit have none: they are complied with
    /// as a whole, §§ 7026, 7027).
    pub fn of(kind: RequestKind) -> &'static [DecisionOutcome] {
        match kind {
            RequestKind::KnowCategories => &[
                DecisionOutcome::Disclosed,
                DecisionOutcome::Withheld,
                DecisionOutcome::NoneHeld,
            ],
            RequestKind::KnowSpecific => &[
                DecisionOutcome::SpecificProvided,
                DecisionOutcome::Withheld,
                DecisionOutcome::NoneHeld,
            ],
            RequestKind::Delete => &[
                DecisionOutcome::Deleted,
                DecisionOutcome::Deidentified,
                DecisionOutcome::Retained,
                DecisionOutcome::NoneHeld,
            ],
            RequestKind::Correct => &[
                DecisionOutcome::Corrected,
                DecisionOutcome::Denied,
                DecisionOutcome::NoneHeld,
            ],
            RequestKind::OptOut | RequestKind::Limit => &[],
        }
    }

    /// Refuses something, so it must say on which basis (Civ. Code § 1798.145(h)(2)).
    pub fn needs_basis(self) -> bool {
        matches!(
            self,
            DecisionOutcome::Withheld | DecisionOutcome::Retained | DecisionOutcome::Denied
        )
    }
}

/// A decision as staff ask for it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct DecisionInput {
    pub kind: RequestKind,
    pub category: String,
    pub outcome: DecisionOutcome,
    #[ts(optional = nullable)]
    pub basis: Option<String>,
    #[ts(optional = nullable)]
    pub record_type: Option<String>,
    /// The category holds information about contraception, pregnancy or perinatal care
    /// (§ 1798.145(a)(2)(A)).
    #[serde(default)]
    pub reproductive_health: bool,
    #[serde(default)]
    pub note: String,
}

/// Until when retained information is kept: a date (no later than), or the rule in words when
/// the period runs from an event still to come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case", tag = "type", content = "value")]
pub enum Until {
    #[ts(type = "string")]
    Date(NaiveDate),
    Rule(String),
}

/// Checks a decision against the catalogue and the profile; returns until when retained
/// information is kept. The error says why, in words, with the rule.
pub fn check(
    input: &DecisionInput,
    categories: &[&str],
    hidden: &[String],
    schedule: &[RecordType],
    today: NaiveDate,
) -> Result<Option<Until>, String> {
    let kind = input.kind;
    if !categories.contains(&input.category.as_str()) {
        return Err(format!(
            "“{}” is not a category of the profile; the categories are: {}.",
            input.category,
            categories.join(", ")
        ));
    }
    let outcomes = DecisionOutcome::of(kind);
    if outcomes.is_empty() {
        return Err(format!(
            "A request {} has no decisions per category: it is complied with as a whole (11 CCR §§ 7026, 7027).",
            kind.token()
        ));
    }
    if !outcomes.contains(&input.outcome) {
        return Err(format!(
            "“{}” is not an outcome of a {} request; its outcomes are: {}.",
            input.outcome.token(),
            kind.token(),
            outcomes.iter().map(|o| o.token()).collect::<Vec<_>>().join(", ")
        ));
    }
    let basis = input.basis.as_deref().map(str::trim).filter(|b| !b.is_empty());
    let Some(code) = basis else {
        if input.outcome.needs_basis() {
            return Err(format!(
                "Say on which basis the information is {}: every refusal states its basis (Civ. Code § 1798.145(h)(2)).",
                input.outcome.token()
            ));
        }
        if input.record_type.is_some() {
            return Err("A record type goes with “kept because the law requires it” (§ 1798.105(d)(8)) only.".into());
        }
        return Ok(None);
    };
    if !input.outcome.needs_basis() {
        return Err(format!(
            "A basis goes with what is withheld, kept or not corrected; “{}” needs none.",
            input.outcome.token()
        ));
    }
    let b = catalogue()
        .basis(code)
        .filter(|b| !hidden.iter().any(|h| h == &b.code))
        .ok_or_else(|| format!("“{code}” is not a basis in the catalogue (privacydesk exemptions list)."))?;
    if !b.kinds.contains(&kind) {
        return Err(format!(
            "{} does not apply to a {} request; it covers: {}.",
            b.citation,
            kind.token(),
            b.kinds.iter().map(|k| k.token()).collect::<Vec<_>>().join(", ")
        ));
    }
    if b.shield && input.reproductive_health {
        return Err(format!(
            "{} does not reach information about contraception, pregnancy or perinatal care (Civ. Code § 1798.145(a)(2)(A)); keeping it under a legal obligation (§ 1798.105(d)(8)) is not cut back.",
            b.citation
        ));
    }
    match (b.retention, input.record_type.as_deref()) {
        (true, None) => Err(format!(
            "Name the record type the law makes you keep (the profile's retention schedule: {}).",
            schedule.iter().map(|r| r.code.as_str()).collect::<Vec<_>>().join(", ")
        )),
        (true, Some(code)) => {
            let record = schedule
                .iter()
                .find(|r| r.code == code)
                .ok_or_else(|| format!("“{code}” is not a record type of the profile's retention schedule."))?;
            if !record.categories.iter().any(|c| c == &input.category) {
                return Err(format!(
                    "The {} ({}) does not hold “{}” in the profile's retention schedule; it holds: {}.",
                    record.record,
                    record.citation,
                    input.category,
                    record.categories.join(", ")
                ));
            }
            Ok(Some(match record.years_from_now {
                Some(years) => Until::Date(add_years(today, years)),
                None => Until::Rule(record.minimum.clone()),
            }))
        }
        (false, Some(_)) => {
            Err("A record type goes with “kept because the law requires it” (§ 1798.105(d)(8)) only.".into())
        }
        (false, None) => Ok(None),
    }
}

fn add_years(day: NaiveDate, years: u32) -> NaiveDate {
    let year = day.year() + years as i32;
    day.with_year(year)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 2, 28).expect("28 February exists"))
}

/// What is still undecided before a kind can be answered: each (kind, category) with no
/// decision, for the kinds that have decisions.
pub fn missing(
    kinds: &[RequestKind],
    categories: &[&str],
    decided: &[(RequestKind, String)],
) -> Vec<(RequestKind, String)> {
    kinds
        .iter()
        .filter(|k| !DecisionOutcome::of(**k).is_empty())
        .flat_map(|k| categories.iter().map(move |c| (*k, (*c).to_owned())))
        .filter(|(k, c)| !decided.iter().any(|(dk, dc)| dk == k && dc == c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CATEGORIES: [&str; 3] = ["name", "identifiers", "screening-and-workers-comp"];

    fn input(
        kind: RequestKind,
        outcome: DecisionOutcome,
        basis: Option<&str>,
        record_type: Option<&str>,
    ) -> DecisionInput {
        DecisionInput {
            kind,
            category: "identifiers".into(),
            outcome,
            basis: basis.map(str::to_owned),
            record_type: record_type.map(str::to_owned),
            reproductive_health: false,
            note: String::new(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    fn run(i: &DecisionInput) -> Result<Option<Until>, String> {
        check(i, &CATEGORIES, &[], &employer_retention(), today())
    }

    #[test]
    fn the_catalogue_has_the_eight_deletion_exceptions_of_section_1798_105d_not_nine() {
        let c = catalogue();
        let deletion: Vec<&Basis> = c
            .entries
            .iter()
            .filter(|b| b.citation.starts_with("Civ. Code § 1798.105(d)"))
            .collect();
        assert_eq!(deletion.len(), 8);
        for (i, b) in deletion.iter().enumerate() {
            assert_eq!(b.citation, format!("Civ. Code § 1798.105(d)({})", i + 1));
            assert_eq!(b.kinds, vec![RequestKind::Delete], "{}", b.code);
        }
        let mut codes: Vec<&str> = c.entries.iter().map(|b| b.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), c.entries.len(), "codes are unique");
        for b in &c.entries {
            for lang in ["en", "es"] {
                assert!(
                    !b.sentence.get(lang).map_or("", String::as_str).trim().is_empty(),
                    "{} {lang}",
                    b.code
                );
            }
        }
    }

    #[test]
    fn which_bases_fit_which_kinds_sections_1798_105d_145_and_7023f() {
        use RequestKind::*;
        let table = [
            (Delete, "105d8-legal-obligation", true),
            (KnowSpecific, "105d8-legal-obligation", false),
            (Correct, "105d2-security", false),
            (KnowSpecific, "145b-privilege", true),
            (Delete, "145b-privilege", false),
            (KnowSpecific, "145k-other-persons", true),
            (Delete, "145a1E-legal-claims", true),
            (Correct, "145c-cmia-hipaa", true),
            (Correct, "7023-inadequate-documentation", true),
            (Delete, "7023-inadequate-documentation", false),
        ];
        for (kind, code, fits) in table {
            let b = catalogue().basis(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(b.kinds.contains(&kind), fits, "{code} for {kind:?}");
        }
    }

    #[test]
    fn a_refusal_needs_a_basis_that_applies_to_its_kind_section_1798_145h2() {
        let e = run(&input(RequestKind::Delete, DecisionOutcome::Retained, None, None)).unwrap_err();
        assert!(e.contains("on which basis") && e.contains("§ 1798.145(h)(2)"), "{e}");
        let e = run(&input(
            RequestKind::KnowSpecific,
            DecisionOutcome::Withheld,
            Some("105d2-security"),
            None,
        ))
        .unwrap_err();
        assert!(e.contains("does not apply to a know-specific request"), "{e}");
        let e = run(&input(
            RequestKind::Delete,
            DecisionOutcome::Deleted,
            Some("105d2-security"),
            None,
        ))
        .unwrap_err();
        assert!(e.contains("needs none"), "{e}");
        let e = run(&input(RequestKind::Delete, DecisionOutcome::Corrected, None, None)).unwrap_err();
        assert!(e.contains("not an outcome of a delete request"), "{e}");
        let e = run(&input(RequestKind::OptOut, DecisionOutcome::Deleted, None, None)).unwrap_err();
        assert!(e.contains("§§ 7026, 7027"), "{e}");
        let e = run(&DecisionInput {
            category: "shoe-size".into(),
            ..input(RequestKind::Delete, DecisionOutcome::Deleted, None, None)
        })
        .unwrap_err();
        assert!(e.contains("not a category of the profile"), "{e}");
        assert_eq!(
            run(&input(
                RequestKind::Delete,
                DecisionOutcome::Retained,
                Some("105d2-security"),
                None
            )),
            Ok(None)
        );
        // A basis the profile hides is not offered.
        let hidden = vec!["105d2-security".to_owned()];
        assert!(check(
            &input(
                RequestKind::Delete,
                DecisionOutcome::Retained,
                Some("105d2-security"),
                None
            ),
            &CATEGORIES,
            &hidden,
            &employer_retention(),
            today()
        )
        .is_err());
    }

    #[test]
    fn kept_under_a_legal_obligation_names_the_record_type_and_until_when_section_1798_105d8() {
        let e = run(&input(
            RequestKind::Delete,
            DecisionOutcome::Retained,
            Some("105d8-legal-obligation"),
            None,
        ))
        .unwrap_err();
        assert!(e.contains("record type") && e.contains("payroll"), "{e}");
        assert_eq!(
            run(&input(
                RequestKind::Delete,
                DecisionOutcome::Retained,
                Some("105d8-legal-obligation"),
                Some("payroll")
            )),
            Ok(Some(Until::Date(NaiveDate::from_ymd_opt(2029, 12, 2).unwrap()))),
            "Lab. Code § 1174(d): 3 years"
        );
        assert_eq!(
            run(&input(
                RequestKind::Delete,
                DecisionOutcome::Retained,
                Some("105d8-legal-obligation"),
                Some("personnel-records")
            )),
            Ok(Some(Until::Rule("3 years after employment ends".into()))),
            "Lab. Code § 1198.5(c)(1): from an event still to come"
        );
        let e = run(&DecisionInput {
            category: "screening-and-workers-comp".into(),
            ..input(
                RequestKind::Delete,
                DecisionOutcome::Retained,
                Some("105d8-legal-obligation"),
                Some("payroll"),
            )
        })
        .unwrap_err();
        assert!(e.contains("does not hold"), "{e}");
        let e = run(&input(
            RequestKind::Delete,
            DecisionOutcome::Retained,
            Some("105d2-security"),
            Some("payroll"),
        ))
        .unwrap_err();
        assert!(e.contains("only"), "{e}");
    }

    #[test]
    fn reproductive_health_information_is_outside_the_a1_shields_but_not_d8_section_1798_145a2a() {
        let shielded = DecisionInput {
            reproductive_health: true,
            ..input(
                RequestKind::Delete,
                DecisionOutcome::Retained,
                Some("145a1E-legal-claims"),
                None,
            )
        };
        let e = run(&shielded).unwrap_err();
        assert!(e.contains("§ 1798.145(a)(2)(A)"), "{e}");
        let obligation = DecisionInput {
            reproductive_health: true,
            ..input(
                RequestKind::Delete,
                DecisionOutcome::Retained,
                Some("105d8-legal-obligation"),
                Some("payroll"),
            )
        };
        assert!(run(&obligation).is_ok());
        for b in &catalogue().entries {
            assert_eq!(
                b.shield,
                b.citation.starts_with("Civ. Code § 1798.145(a)(1)"),
                "{}",
                b.code
            );
        }
    }

    #[test]
    fn every_category_of_every_kind_with_decisions_must_be_decided() {
        use RequestKind::*;
        let decided = vec![(Delete, "name".to_owned()), (Delete, "identifiers".to_owned())];
        assert_eq!(
            missing(&[Delete, OptOut], &CATEGORIES, &decided),
            vec![(Delete, "screening-and-workers-comp".to_owned())]
        );
        assert!(missing(&[OptOut, Limit], &CATEGORIES, &[]).is_empty());
    }

    proptest! {
        /// Whatever is asked, a decision that passes has an outcome of its kind, and a basis
        /// exactly when it refuses something, one that applies to its kind.
        #[test]
        fn a_decision_that_passes_is_coherent(
            kind in prop::sample::select(vec![RequestKind::KnowCategories, RequestKind::KnowSpecific, RequestKind::Delete, RequestKind::Correct, RequestKind::OptOut]),
            outcome in prop::sample::select(DecisionOutcome::ALL.to_vec()),
            basis in prop::option::of(prop::sample::select(catalogue().entries.iter().map(|b| b.code.clone()).collect::<Vec<_>>())),
            record in prop::option::of(prop::sample::select(vec!["payroll".to_owned(), "personnel-file".to_owned()])),
            reproductive in any::<bool>(),
        ) {
            let i = DecisionInput {
                kind,
                category: "identifiers".into(),
                outcome,
                basis: basis.clone(),
                record_type: record,
                reproductive_health: reproductive,
                note: String::new(),
            };
            if run(&i).is_ok() {
                prop_assert!(DecisionOutcome::of(kind).contains(&outcome));
                prop_assert_eq!(basis.is_some(), outcome.needs_basis());
                if let Some(code) = basis {
                    let b = catalogue().basis(&code).unwrap();
                    prop_assert!(b.kinds.contains(&kind));
                    prop_assert!(!(b.shield && reproductive));
                }
            }
        }
    }
}
