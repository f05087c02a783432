// The app's commands, as `AppManifest::commands` must know them at build time (build.rs
// includes this file). A test in `ipc.rs` checks it against the commands actually registered,
// so a command cannot be added without its permission, nor a permission without its command.
pub const COMMAND_NAMES: &[&str] = &[
    "app_status",
    "current_profile",
    "save_profile",
    "set_staff_name",
    "create_case",
    "intake_warnings",
    "get_case",
    "change_status",
    "case_history",
    "list_queue",
    "case_clocks",
    "record_acknowledgment",
    "record_extension",
    "record_act",
    "dashboard",
    "clock_settings",
    "save_clock_settings",
    "holidays",
];
