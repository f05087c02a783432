//! Letter templates: the shipped defaults (one per kind and language, in `templates/letters/`),
//! the fields a template may use, the check run when a template is saved, and rendering.
//!
//! A template sees only [`LetterContext`]: names, dates, the case number, the kinds of request,
//! the organisation's contact channels. Nothing the case file might hold about a person beyond
//! that (and never a § 7024(d) item) is reachable from a template.

use super::{LetterError, LetterKind};
use crate::domain::details::Language;
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use std::collections::BTreeSet;

/// Everything a template can print.
#[derive(Debug, Clone, Serialize)]
pub struct LetterContext {
    pub letter: LetterFields,
    pub organisation: OrganisationFields,
    pub case: CaseFields,
    pub recipient: RecipientFields,
    /// Extension notices only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<ExtensionFields>,
    /// General letters only: the text staff wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LetterFields {
    /// The date of the letter, written out in its language.
    pub date: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganisationFields {
    pub name: String,
    /// The legal entity the request is about, or the organisation's name when not known.
    pub entity: String,
    pub email: String,
    pub phone: String,
    pub notice_date: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseFields {
    pub number: String,
    pub received_on: String,
    /// The kinds of request, in words, in the letter's language.
    pub kinds: Vec<String>,
    /// The response due date (§ 7021(b)), written out; empty for opt-out/limit-only cases.
    pub respond_by: String,
    /// The date the opt-out or limit was (or will be) honoured by (§ 7026(f), § 7027(g)).
    pub comply_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecipientFields {
    /// Who the letter is addressed to: the requester, or the agent acting for them.
    pub name: String,
    pub is_agent: bool,
    /// The requester's name (the same as `name` without an agent).
    pub requester_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExtensionFields {
    pub reason: String,
    pub new_date: String,
}

/// The shipped template of a kind and language.
pub fn default_template(kind: LetterKind, language: Language) -> &'static str {
    use Language::*;
    use LetterKind::*;
    match (kind, language) {
        (Acknowledgment, En) => include_str!("../../templates/letters/acknowledgment.en.txt"),
        (Acknowledgment, Es) => include_str!("../../templates/letters/acknowledgment.es.txt"),
        (Extension, En) => include_str!("../../templates/letters/extension.en.txt"),
        (Extension, Es) => include_str!("../../templates/letters/extension.es.txt"),
        (OptOutConfirmation, En) => include_str!("../../templates/letters/opt-out-confirmation.en.txt"),
        (OptOutConfirmation, Es) => include_str!("../../templates/letters/opt-out-confirmation.es.txt"),
        (NotCovered, En) => include_str!("../../templates/letters/not-covered.en.txt"),
        (NotCovered, Es) => include_str!("../../templates/letters/not-covered.es.txt"),
        (General, En) => include_str!("../../templates/letters/general.en.txt"),
        (General, Es) => include_str!("../../templates/letters/general.es.txt"),
    }
}

/// A context with every field a letter of `kind` has, for checking templates.
pub fn sample_context(kind: LetterKind) -> LetterContext {
    LetterContext {
        letter: LetterFields { date: "date".into() },
        organisation: OrganisationFields {
            name: "organisation".into(),
            entity: "entity".into(),
            email: "email".into(),
            phone: "phone".into(),
            notice_date: "date".into(),
        },
        case: CaseFields {
            number: "PR-2026-00001".into(),
            received_on: "date".into(),
            kinds: vec!["kind".into()],
            respond_by: "date".into(),
            comply_by: "date".into(),
        },
        recipient: RecipientFields {
            name: "name".into(),
            is_agent: false,
            requester_name: "name".into(),
        },
        extension: (kind == LetterKind::Extension).then(|| ExtensionFields {
            reason: "reason".into(),
            new_date: "date".into(),
        }),
        body: (kind == LetterKind::General).then(|| "body".into()),
    }
}

/// The dotted names of every field in a context (`case.number`, ...).
fn field_names(context: &LetterContext) -> BTreeSet<String> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut BTreeSet<String>) {
        if let serde_json::Value::Object(map) = value {
            for (key, v) in map {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                out.insert(name.clone());
                walk(&name, v, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(
        "",
        &serde_json::to_value(context).expect("the context is plain data"),
        &mut out,
    );
    out
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // A field a letter does not have is an error, never an empty gap in a mailed letter.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    // Block tags on their own line leave no blank line behind (lists stay one list).
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env
}

/// Checks a template for a kind before it is saved: it must parse, use only fields letters of
/// that kind have (the first unknown one is named), and render with sample values.
pub fn check(kind: LetterKind, source: &str) -> Result<(), LetterError> {
    let env = environment();
    let template = env
        .template_from_str(source)
        .map_err(|e| LetterError::Template(describe(&e)))?;
    let known = field_names(&sample_context(kind));
    if let Some(unknown) = template
        .undeclared_variables(true)
        .into_iter()
        .filter(|name| !known.contains(name))
        .min()
    {
        return Err(LetterError::Template(format!(
            "The template uses “{unknown}”, which {} letters do not have. Fields: {}.",
            kind.label(),
            known.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    render(source, &sample_context(kind)).map(|_| ())
}

/// Renders a template with a letter's context.
pub fn render(source: &str, context: &LetterContext) -> Result<String, LetterError> {
    let env = environment();
    env.render_str(source, context)
        .map_err(|e| LetterError::Template(describe(&e)))
}

fn describe(e: &minijinja::Error) -> String {
    match e.line() {
        Some(line) => format!("Line {line}: {}", e.detail().unwrap_or(&e.kind().to_string())),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_template_passes_its_own_check() {
        for kind in LetterKind::ALL {
            for language in [Language::En, Language::Es] {
                check(kind, default_template(kind, language)).unwrap_or_else(|e| panic!("{kind:?} {language:?}: {e}"));
            }
        }
    }

    #[test]
    fn an_unknown_field_is_refused_with_its_name() {
        let err = check(
            LetterKind::Acknowledgment,
            "Dear {{ recipient.name }}, your {{ case.numbr }}",
        )
        .unwrap_err();
        assert!(err.to_string().contains("“case.numbr”"), "{err}");
        let err = check(LetterKind::Acknowledgment, "{{ extension.reason }}").unwrap_err();
        assert!(
            err.to_string().contains("“extension.reason”"),
            "only extension notices have the extension: {err}"
        );
        assert!(check(LetterKind::Extension, "{{ extension.reason }}").is_ok());
        let err = check(LetterKind::General, "{% if x %}").unwrap_err();
        assert!(err.to_string().starts_with("Line 1"), "{err}");
    }

    #[test]
    fn section_7024_d_values_are_out_of_reach_of_templates() {
        // The context has no field that could hold one; a template asking for one is refused.
        for field in [
            "case.ssn",
            "recipient.ssn",
            "case.requester.account",
            "case.description",
        ] {
            assert!(
                check(LetterKind::General, &format!("{{{{ {field} }}}}")).is_err(),
                "{field}"
            );
        }
    }
}
