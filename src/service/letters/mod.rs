//! Letters for cases, one module per use case: [`compose`] (what a letter says, from the case,
//! the profile, the clocks and the template in force — the preview), [`produce`] (archived with
//! its history event), [`batch`] (every letter a clock calls for, for the printer), [`mailing`],
//! [`templates`] (Settings' editor and the languages) and [`logo`].

mod batch;
mod compose;
mod logo;
mod mailing;
mod produce;
mod templates;

pub use batch::{batch, batch_cases, batch_plan, BatchOutcome, BatchPlan, BatchRequest, BatchSkip};
pub use compose::{preview, sample_preview, LetterPreview, LetterRequest};
pub use logo::{letterhead_logo, set_letterhead_logo};
pub use mailing::{mark_all_mailed, mark_mailed, Mailing};
pub use produce::{archived_pdf, produce, produce_with, save_letter_copy};
pub use templates::{
    kinds, languages, reset_template, save_template, templates, LetterKindInfo, LetterLanguage, LetterTemplate,
    LetterVariantInfo,
};
