//! Command bodies, grouped by domain. Each takes the state, calls one service function and maps
//! the error; the `#[tauri::command]` wrappers are generated in [`crate::ipc`].

pub mod app;
pub mod backup;
pub mod cases;
pub mod deadlines;
pub mod letters;
pub mod raw;
