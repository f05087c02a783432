//! Validation errors that name the field they belong to, so the intake form can show each
//! message beside its field and the CLI can print them one per line.

use serde::Serialize;
use std::fmt;
use ts_rs::TS;

/// One problem with one input field. `field` is a dotted path into the input
/// (`requester.email`, `requester.address.postal_code`, `kinds`, `received`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every problem found in one input; never empty when returned as an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for a field, if it has one (used by tests and the CLI).
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// `Ok(value)` when nothing was added, otherwise the collected errors.
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for ValidationErrors {}

/// Characters that print as nothing or steer how text is shown (zero-width spaces, joiners,
/// bidirectional controls, soft hyphens, byte-order marks, private-use and non-characters): never
/// wanted in a name, an address or a profile value, and able to hide what is really written.
pub fn is_invisible(c: char) -> bool {
    matches!(u32::from(c),
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFF | 0xE000..=0xF8FF | 0xE0000..=0xE0FFF | 0xF0000..=0x10FFFF)
}

/// Whether text holds a control character (other than the line breaks and tabs `multiline`
/// allows) or an invisible one: such text is refused at intake rather than printed as boxes.
pub fn has_unprintable(text: &str, multiline: bool) -> bool {
    text.chars()
        .any(|c| is_invisible(c) || c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}
