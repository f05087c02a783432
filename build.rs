//! Embeds the shipped letter templates: every file of every language folder of
//! `templates/letters/` (`en/acknowledgment.txt`, `en/strings.toml`, ...), so that a language is
//! added by adding a folder — no Rust to change.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a build script compiled for one
    // checkout may be run for another sharing the target directory.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("templates/letters");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut languages: Vec<_> = std::fs::read_dir(&root)
        .expect("templates/letters exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    languages.sort();
    let mut out = String::from("/// (language, file name, text) of every shipped template file.\npub const SHIPPED: &[(&str, &str, &str)] = &[\n");
    for dir in languages {
        println!("cargo:rerun-if-changed={}", dir.display());
        let language = dir.file_name().expect("a folder name").to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("a readable folder")
            .map(|e| e.expect("a readable entry").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let name = file.file_name().expect("a file name").to_string_lossy().into_owned();
            writeln!(
                out,
                "    ({language:?}, {name:?}, include_str!({:?})),",
                file.display().to_string()
            )
            .unwrap();
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("shipped_templates.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
