//! The shape of the code, checked: SQL (and sqlx, and PRAGMAs) stays inside `store/`, so a
//! PostgreSQL store could sit beside it with the same service code; and the use cases depend on
//! one another without a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

fn root() -> PathBuf {
    crate::support::manifest_dir()
}

#[test]
fn only_the_store_names_sqlx_or_issues_sql_settings() {
    let outside_store = [
        root().join("src/service"),
        root().join("src/cli"),
        root().join("src/domain"),
        root().join("src/letters"),
        root().join("src-tauri/src"),
    ];
    for dir in outside_store {
        for file in rust_files(&dir) {
            let text = std::fs::read_to_string(&file).unwrap();
            for forbidden in ["sqlx", "PRAGMA", ".pool()", "SqliteConnection"] {
                assert!(
                    !text.contains(forbidden),
                    "{} names `{forbidden}`: SQL belongs in src/store",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn use_cases_do_not_depend_on_each_other_in_a_circle() {
    let dir = root().join("src/service");
    let modules: BTreeSet<String> = rust_files(&dir)
        .iter()
        .filter_map(|f| f.strip_prefix(&dir).ok())
        .map(|p| {
            p.components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned()
        })
        .filter(|m| m != "mod")
        .collect();
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&dir) {
        let rel = file.strip_prefix(&dir).unwrap();
        let me = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if me == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for other in &modules {
            let named = [
                format!("super::{other}::"),
                format!("super::{other}::{{"),
                format!("crate::service::{other}::"),
                format!("super::super::{other}::"),
            ];
            if *other != me && named.iter().any(|n| text.contains(n.as_str())) {
                uses.entry(me.clone()).or_default().insert(other.clone());
            }
        }
    }
    // Depth-first search for a cycle.
    fn visit(m: &str, uses: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>, done: &mut BTreeSet<String>) {
        if done.contains(m) {
            return;
        }
        if let Some(at) = path.iter().position(|p| p == m) {
            panic!(
                "service modules depend on each other in a circle: {} -> {m}",
                path[at..].join(" -> ")
            );
        }
        path.push(m.to_owned());
        for next in uses.get(m).into_iter().flatten() {
            visit(next, uses, path, done);
        }
        path.pop();
        done.insert(m.to_owned());
    }
    let mut done = BTreeSet::new();
    for m in &modules {
        visit(m, &uses, &mut Vec::new(), &mut done);
    }
    // `case_view` is what the use cases share; it depends on none of them.
    assert!(
        uses.get("case_view").is_none_or(BTreeSet::is_empty),
        "case_view uses {:?}",
        uses.get("case_view")
    );
}
