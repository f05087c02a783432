include!("command_names.rs");

fn main() {
    // Every app command is denied unless a capability grants its `allow-*` permission.
    let manifest = tauri_build::AppManifest::new().commands(COMMAND_NAMES);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build step");
}
