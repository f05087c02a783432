//! Integration tests of the core against real encrypted case files in temporary directories.
//! One test binary (ripgrep style); each module covers one area.

mod calendar;
mod cli;
mod keyring;
mod storage;
mod support;
