//! Response letters: from a kind of letter and a case to print-ready US Letter pages and a PDF.
//!
//! The steps, each its own module: [`spec`] says for each kind when it may be produced and what
//! it needs; [`templates`] fills a template (wording per language, in `templates/letters/`)
//! with the fields a letter may print; [`content`] reads the result into blocks; [`address`]
//! builds the recipient block for the #10 window envelope; [`layout`] wraps, places and
//! paginates everything with the bundled fonts' own glyph widths; [`guard`] reads what will be
//! printed for § 7024(d) numbers; [`pdf`] writes the pages with printpdf. Nothing here touches
//! the case file: `service::letters` gathers the inputs and archives the output.

pub mod address;
pub mod appendix;
pub mod content;
pub mod fonts;
pub mod guard;
pub mod layout;
pub mod pdf;
pub mod report;
pub mod spec;
pub mod templates;

pub use crate::domain::letter::LetterKind;

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
