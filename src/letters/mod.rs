//! Response letters: from a kind of letter and a case to print-ready US Letter pages and a PDF.
//!
//! The steps, each its own module: [`template`] fills a template with the fields a letter may
//! print; [`content`] reads the result into blocks (and guards against § 7024(d) numbers);
//! [`address`] builds the recipient block for the #10 window envelope; [`layout`] wraps, places
//! and paginates everything with the bundled fonts' own glyph widths; [`pdf`] writes the pages
//! with printpdf. Nothing here touches the case file: `service::letters` gathers the inputs and
//! archives the output.

pub mod address;
pub mod content;
pub mod fonts;
pub mod layout;
pub mod pdf;
pub mod template;

use crate::domain::details::Language;

pub use crate::domain::letter::LetterKind;

/// Wording that is not yet in the templates.
pub trait KindWords {
    fn subject(self, language: Language) -> &'static str;
}

impl KindWords for LetterKind {
    /// The reference line's subject, in the letter's language.
    fn subject(self, language: Language) -> &'static str {
        match (self, language) {
            (LetterKind::Acknowledgment, Language::En) => "We received your privacy request",
            (LetterKind::Acknowledgment, Language::Es) => "Hemos recibido su solicitud de privacidad",
            (LetterKind::Extension, Language::En) => "More time to respond to your privacy request",
            (LetterKind::Extension, Language::Es) => "Prórroga para responder a su solicitud de privacidad",
            (LetterKind::OptOutConfirmation, Language::En) => "Your opt-out or limit request is honoured",
            (LetterKind::OptOutConfirmation, Language::Es) => "Hemos atendido su solicitud de exclusión o limitación",
            (LetterKind::NotCovered, Language::En) => "Your privacy request",
            (LetterKind::NotCovered, Language::Es) => "Su solicitud de privacidad",
            (LetterKind::General, Language::En) => "Your privacy request",
            (LetterKind::General, Language::Es) => "Su solicitud de privacidad",
        }
    }
}

/// Why a letter cannot be produced; each message says what to do.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LetterError {
    #[error("{0}")]
    Template(String),
    #[error("{0}")]
    Unprintable(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NoAddress(String),
}

/// Dates written out as a letter writes them: "March 2, 2026" / "2 de marzo de 2026".
pub fn long_date(date: chrono::NaiveDate, language: Language) -> String {
    use chrono::Datelike;
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const ES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    let month = date.month0() as usize;
    match language {
        Language::En => format!("{} {}, {}", EN[month], date.day(), date.year()),
        Language::Es => format!("{} de {} de {}", date.day(), ES[month], date.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_out_per_language() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(long_date(d, Language::En), "March 2, 2026");
        assert_eq!(long_date(d, Language::Es), "2 de marzo de 2026");
    }

    #[test]
    fn kinds_read_back_from_their_tokens() {
        for kind in LetterKind::ALL {
            assert_eq!(LetterKind::from_token(kind.token()), Some(kind));
        }
    }
}
