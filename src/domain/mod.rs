//! Pure types and rules: no SQL, no files, no clock. "Now" and the organisation's time zone are
//! always passed in, so every rule is deterministic under test.

pub mod calendar;
pub mod case;
pub mod clock;
pub mod deadline;
pub mod decision;
pub mod details;
pub mod history;
pub mod intake;
pub mod letter;
pub mod profile;
pub mod queue;
pub mod records;
pub mod request;
pub mod requester;
pub mod time;
pub mod validation;
pub mod verification;

pub use case::{Case, CaseNumber, CaseStatus};
pub use intake::{NewCase, ReceivedAt, ValidNewCase};
pub use request::{Channel, RequestKind};
pub use requester::{PostalAddress, Requester};
pub use validation::{FieldError, ValidationErrors};
