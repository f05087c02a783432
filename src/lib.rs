//! PrivacyDesk core: everything that is not the window.
//!
//! Layers point one way (see `docs/DESIGN.md`): [`domain`] holds pure types and rules with no
//! I/O; [`store`] keeps them in an encrypted SQLite file; [`service`] is the use cases, each in
//! one transaction, called alike by the CLI, the desktop shell and the tests.

pub mod domain;
pub mod letters;
pub mod service;
pub mod store;
