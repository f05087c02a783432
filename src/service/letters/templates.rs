//! Letter templates as Settings edits them: the one in force for every kind and language (an
//! edit, or the shipped text), saving a new version after checking it, going back to the
//! shipped text — each in the case file's history — and the languages letters can be written in.

use super::super::case_view::record_file_event;
use super::super::ServiceError;
use crate::domain::details::Language;
use crate::domain::history::{AuditEvent, Subject};
use crate::letters::templates as tpl;
use crate::letters::LetterKind;
use crate::store::letters as letter_store;
use crate::store::CaseFile;
use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

/// A letter template as Settings shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LetterTemplate {
    pub kind: LetterKind,
    pub language: Language,
    /// 0 for the template shipped with PrivacyDesk.
    #[ts(type = "number")]
    pub version: i64,
    pub body: String,
    /// The text shipped with PrivacyDesk, for comparison and for going back to it.
    pub shipped: String,
}

/// A language letters can be written in.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LetterLanguage {
    pub code: Language,
    /// Its own name ("English", "Español").
    pub name: String,
}

/// A kind of letter as the window offers it: what it asks staff for and its variants.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LetterKindInfo {
    pub kind: LetterKind,
    pub label: String,
    /// The rule it answers.
    pub section: String,
    /// Staff give a reason (an extension's).
    pub needs_reason: bool,
    /// Staff write the text (a general letter).
    pub needs_body: bool,
    /// The first is the default; empty when the kind has none.
    pub variants: Vec<LetterVariantInfo>,
    /// Printed in batches, for the clock it answers.
    pub batch: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct LetterVariantInfo {
    pub code: String,
    pub label: String,
    pub needs_reason: bool,
}

/// Every kind of letter, from its spec.
pub fn kinds() -> Vec<LetterKindInfo> {
    use crate::letters::spec::{spec, Input};
    LetterKind::ALL
        .into_iter()
        .map(|kind| {
            let s = spec(kind);
            LetterKindInfo {
                kind,
                label: s.label.to_owned(),
                section: s.section.to_owned(),
                needs_reason: s.inputs.contains(&Input::Reason),
                needs_body: s.inputs.contains(&Input::Body),
                variants: s
                    .variants
                    .iter()
                    .map(|v| LetterVariantInfo {
                        code: v.code.to_owned(),
                        label: v.label.to_owned(),
                        needs_reason: v.needs_reason,
                    })
                    .collect(),
                batch: s.answers.is_some(),
            }
        })
        .collect()
}

/// Every language letters can be written in (a folder of `templates/letters/` each).
pub fn languages() -> Vec<LetterLanguage> {
    tpl::languages()
        .into_iter()
        .filter_map(|code| {
            let name = tpl::words(&code).ok()?.name.clone();
            Some(LetterLanguage { code, name })
        })
        .collect()
}

/// The template in force for every kind and language.
pub async fn templates(file: &CaseFile) -> Result<Vec<LetterTemplate>, ServiceError> {
    let mut snapshot = file.read().await?;
    let mut out = Vec::new();
    for kind in LetterKind::ALL {
        for language in tpl::languages() {
            let shipped = tpl::shipped(kind, &language).unwrap_or("").to_owned();
            let (version, body) = letter_store::template(&mut snapshot, kind.token(), language.code())
                .await?
                .unwrap_or_else(|| (0, shipped.clone()));
            out.push(LetterTemplate {
                kind,
                language,
                version,
                body,
                shipped,
            });
        }
    }
    Ok(out)
}

fn known_language(language: &Language) -> Result<(), ServiceError> {
    tpl::words(language)
        .map(|_| ())
        .map_err(|e| ServiceError::invalid("language", e.to_string()))
}

/// Saves a new version of a template after checking it (an unknown field is named).
pub async fn save_template(
    file: &CaseFile,
    kind: LetterKind,
    language: Language,
    body: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<LetterTemplate, ServiceError> {
    known_language(&language)?;
    if body.trim().is_empty() {
        return Err(ServiceError::invalid(
            "template",
            "The template is empty; write the letter, or reset it to the shipped text.",
        ));
    }
    tpl::check(kind, body).map_err(|e| ServiceError::invalid("template", e.to_string()))?;
    let mut tx = file.write().await?;
    let version = letter_store::save_template_in_tx(&mut tx, kind.token(), language.code(), body, now, actor).await?;
    let event = AuditEvent::TemplateSaved {
        kind,
        language: language.clone(),
        version,
    };
    record_file_event(&mut tx, Subject::Templates, now, actor, event).await?;
    tx.commit().await?;
    Ok(LetterTemplate {
        shipped: tpl::shipped(kind, &language).unwrap_or("").to_owned(),
        kind,
        language,
        version,
        body: body.to_owned(),
    })
}

/// Puts a template back to the text shipped with PrivacyDesk (a new version that says so: an
/// empty body), keeping the history of edits.
pub async fn reset_template(
    file: &CaseFile,
    kind: LetterKind,
    language: Language,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<LetterTemplate, ServiceError> {
    known_language(&language)?;
    let mut tx = file.write().await?;
    letter_store::save_template_in_tx(&mut tx, kind.token(), language.code(), "", now, actor).await?;
    let event = AuditEvent::TemplateSaved {
        kind,
        language: language.clone(),
        version: 0,
    };
    record_file_event(&mut tx, Subject::Templates, now, actor, event).await?;
    tx.commit().await?;
    let shipped = tpl::shipped(kind, &language).unwrap_or("").to_owned();
    Ok(LetterTemplate {
        kind,
        language,
        version: 0,
        body: shipped.clone(),
        shipped,
    })
}
