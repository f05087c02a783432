//! Integration tests of the core against real encrypted case files in temporary directories.
//! One test binary (ripgrep style); each module covers one area.

mod architecture;
mod audit;
mod backup;
mod bad_input;
mod calendar;
mod cli;
mod cli_commands;
mod concurrency;
mod crash;
mod deadlines;
mod decisions;
mod editing;
mod import;
mod intake;
mod journal;
mod keyring;
mod letter_texts;
mod letters;
mod lifecycle;
mod profile;
mod queue;
mod retention;
mod storage;
mod support;
mod upgrade;
mod verification;
mod verification_answers;
