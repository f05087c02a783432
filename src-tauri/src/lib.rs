//! The PrivacyDesk desktop shell: opens the case file into [`state::AppState`] and exposes the
//! core's services as thin commands ([`ipc`]). No business logic lives here.

pub mod commands;
pub mod ipc;
pub mod state;
pub mod viewer;

use tauri::Manager;

/// Starts the app. A case file that cannot be opened does not stop the window: the reason is
/// kept in the state and shown full-screen by the UI (`app_status`).
pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let state = tauri::async_runtime::block_on(state::AppState::open_from_environment());
            if let Ok(file) = state.file() {
                viewer::clear(file.path());
            }
            app.manage(state);
            // Daily backups: checked at start and every ten minutes (a laptop that slept
            // catches up when it wakes); nothing is done unless a schedule is set.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                loop {
                    commands::backup::run_due(&handle.state::<state::AppState>()).await;
                    tokio::time::sleep(std::time::Duration::from_secs(600)).await;
                }
            });
            Ok(())
        })
        .invoke_handler(ipc::handler())
        .build(tauri::generate_context!())
        .expect("the PrivacyDesk window could not be created")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                if let Ok(file) = app.state::<state::AppState>().file() {
                    viewer::clear(file.path());
                    tauri::async_runtime::block_on(file.close());
                }
            }
        });
}
