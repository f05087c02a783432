//! Importing a web-form export: every row checked first, a report of file, line, field and
//! reason, only the good rows logged and all of them in one transaction.

use crate::support::{now, TempCaseFile, ACTOR};
use privacydesk::service::import::{check, import, LISTED_PROBLEMS};
use privacydesk::service::intake::list_cases;
use std::process::Command;

const CSV: &str = "name,email,phone,kinds,channel,received,description\n\
José Núñez,jose@example.com,,delete;know-categories,web-form,2026-03-02T17:05:00Z,Please delete my data\n\
,missing@example.com,,delete,web-form,2026-03-02,\n\
Ana Reyes,ana@,,erase,fax,2026-03-02,\n\
\"Chen, Bo\",bo@example.com,(510) 555-0100,opt-out,web-form,2026-03-03,\"Stop selling, please\"\n";

#[tokio::test]
async fn a_csv_export_is_checked_row_by_row_and_only_good_rows_are_logged() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let c = check(&file, "/exports/web-form.csv", CSV.as_bytes(), now(), |_| {})
        .await
        .unwrap();
    assert_eq!((c.good, c.bad_rows, c.unlisted), (2, 2, 0));
    let problems: Vec<(u64, &str)> = c.problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    // Problems name the file's own columns, never a path inside PrivacyDesk.
    assert_eq!(problems, [(3, "name"), (4, "kinds"), (4, "channel")]);
    assert!(c.problems.iter().all(|p| p.file == "web-form.csv"));
    assert!(list_cases(&file).await.unwrap().is_empty(), "checking stores nothing");

    let done = import(&file, "/exports/web-form.csv", CSV.as_bytes(), now(), ACTOR, |_| {})
        .await
        .unwrap();
    assert_eq!(done.logged, 2);
    assert_eq!(
        (done.first.unwrap().to_string(), done.last.unwrap().to_string()),
        ("PR-2026-00001".to_owned(), "PR-2026-00002".to_owned())
    );
    let names: Vec<String> = list_cases(&file)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.requester.name)
        .collect();
    assert_eq!(names, ["Chen, Bo", "José Núñez"]);
}

#[tokio::test]
async fn json_exports_work_too_and_a_bad_file_is_refused_whole() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let json = r#"[{"name": "Анна Смирнова", "email": "anna@example.ru", "kinds": ["know-specific"], "channel": "email", "received": "2026-03-02"},
                   {"name": "X", "email": "x@example.com", "kinds": "delete", "channel": "email", "received": "2026-03-02", "colour": "blue"}]"#;
    let c = check(&file, "export.json", json.as_bytes(), now(), |_| {})
        .await
        .unwrap();
    assert_eq!(c.good, 1);
    assert_eq!((c.problems[0].line, c.problems[0].field.as_str()), (2, "row"));
    assert!(c.problems[0].reason.contains("colour"), "{}", c.problems[0].reason);
    let no = |name: &'static str, bytes: &'static [u8]| {
        let file = file.clone();
        async move { check(&file, name, bytes, now(), |_| {}).await.is_err() }
    };
    assert!(no("export.xlsx", b"PK").await);
    assert!(no("export.json", b"{not json").await);
    // A file with nothing to import says so, instead of "0 good rows, 0 problems".
    let empty: privacydesk::service::AppError = check(&file, "export.csv", &b"name,email,kinds\n"[..], now(), |_| {})
        .await
        .unwrap_err()
        .into();
    assert!(empty.fields[0].message.contains("holds no requests"), "{empty:?}");
    assert!(no("export.json", b"[]").await);
    let done = import(&file, "export.json", json.as_bytes(), now(), ACTOR, |_| {})
        .await
        .unwrap();
    assert_eq!(done.logged, 1);
    assert_eq!(list_cases(&file).await.unwrap()[0].requester.name, "Анна Смирнова");
}

/// A failure in the middle of an import (here: the case file refuses the 600th row, in the
/// second batch, after 500 were written in the same transaction) leaves no row of the file.
#[tokio::test]
async fn an_import_is_all_or_nothing() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let mut csv = String::from("name,email,phone,kinds,channel,received,description\n");
    for i in 0..700 {
        csv.push_str(&format!("Person {i},p{i}@example.com,,delete,web-form,2026-03-02,\n"));
    }
    sqlx::query(
        "CREATE TRIGGER refuse_600 BEFORE INSERT ON requester WHEN NEW.name = 'Person 599' \
         BEGIN SELECT RAISE(ABORT, 'refused for the test'); END",
    )
    .execute(file.pool())
    .await
    .unwrap();
    let mut batches = Vec::new();
    let result = import(&file, "web-form.csv", csv.as_bytes(), now(), ACTOR, |n| batches.push(n)).await;
    assert!(result.is_err());
    assert_eq!(batches, [500], "the first batch was written before the failure");
    assert!(list_cases(&file).await.unwrap().is_empty(), "no half-imported file");
    assert!(matches!(
        privacydesk::service::history::verify_audit(&file).await.unwrap(),
        privacydesk::store::audit::ChainReport::Intact { events: 0, .. }
    ));
}

#[test]
fn cli_import_reports_and_needs_confirmation() {
    let t = TempCaseFile::new();
    let csv = t.dir.path().join("web-form.csv");
    std::fs::write(&csv, CSV).unwrap();
    let cli = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_privacydesk"))
            .arg("--db")
            .arg(t.db())
            .arg("--key-file")
            .arg(t.dir.path().join("case.key"))
            .arg("import")
            .arg(&csv)
            .args(extra)
            .output()
            .unwrap()
    };
    let dry = cli(&[]);
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(
        out.contains("web-form.csv:3: name: Enter the requester's name."),
        "{out}"
    );
    assert!(out.contains("2 good rows, 2 rows with problems"), "{out}");
    assert!(
        out.contains("nothing imported"),
        "without a terminal or --yes nothing is logged: {out}"
    );
    let done = cli(&["--yes"]);
    assert!(String::from_utf8_lossy(&done.stdout).contains("imported 2 requests: PR-2026-00001 … PR-2026-00002"));
}

/// Found as an attacker would try it (issue 15): a quote left open swallowed the valid rows
/// after it, and the report named only one line. Every row is accounted for now.
#[tokio::test]
async fn an_unbalanced_quote_is_reported_with_the_rows_it_swallowed() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let csv = "name,email,phone,kinds,channel,received,description\n\
Ana,ana@example.com,,delete,web-form,2026-03-02,\"unclosed\n\
Bo,bo@example.com,,delete,web-form,2026-03-02,ok\n\
Cy,cy@example.com,,delete,web-form,2026-03-02,ok\n";
    let c = check(&file, "q.csv", csv.as_bytes(), now(), |_| {}).await.unwrap();
    assert_eq!((c.good, c.bad_rows), (0, 1));
    assert_eq!(c.problems.len(), 1);
    assert_eq!(c.problems[0].line, 2);
    assert!(c.problems[0].reason.contains("lines 3-4"), "{}", c.problems[0].reason);
    // A quoted description with a line break of its own is still one good row.
    let csv = "name,email,phone,kinds,channel,received,description\n\
Ana,ana@example.com,,delete,web-form,2026-03-02,\"first line\nsecond line\"\n\
Bo,bo@example.com,,delete,web-form,2026-03-02,ok\n";
    let c = check(&file, "ok.csv", csv.as_bytes(), now(), |_| {}).await.unwrap();
    assert_eq!(c.good, 2, "{:?}", c.problems);
}

/// A CSV export is checked and imported as a stream (issue 15: a 200 MB file took 2.4 GB to
/// check): the check keeps no row and lists at most 1,000 problems while counting them all; the
/// import logs the good rows in one transaction, 500 per batch, skipping the bad ones.
#[tokio::test]
async fn a_csv_export_streams_through_the_check_and_the_import() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let mut csv = String::from("name,email,phone,kinds,channel,received,description\n");
    for i in 0..2500 {
        if i % 2 == 1 && i < 2401 {
            csv.push_str(&format!("Bad {i},bad{i}@example.com,,erase,fax,2026-03-02,\n"));
        } else {
            csv.push_str(&format!(
                "Good {i},good{i}@example.com,,delete,web-form,2026-03-02,row {i}\n"
            ));
        }
    }
    let mut seen = Vec::new();
    let found = check(&file, "big.csv", csv.as_bytes(), now(), |n| seen.push(n))
        .await
        .unwrap();
    assert_eq!((found.good, found.bad_rows), (1300, 1200));
    assert_eq!(found.problems.len(), LISTED_PROBLEMS);
    assert_eq!(
        found.unlisted,
        2 * 1200 - LISTED_PROBLEMS as u64,
        "two problems a bad row, all counted"
    );
    assert!(list_cases(&file).await.unwrap().is_empty(), "a check stores nothing");

    let mut batches = Vec::new();
    let done = import(&file, "big.csv", csv.as_bytes(), now(), ACTOR, |n| batches.push(n))
        .await
        .unwrap();
    assert_eq!(done.logged, 1300);
    assert_eq!(batches, [500, 1000, 1300], "progress after each batch");
    assert_eq!(
        (done.first.unwrap().to_string(), done.last.unwrap().to_string()),
        ("PR-2026-00001".to_owned(), "PR-2026-01300".to_owned())
    );
    assert_eq!(list_cases(&file).await.unwrap().len(), 1300);
    assert!(matches!(
        privacydesk::service::history::verify_audit(&file).await.unwrap(),
        privacydesk::store::audit::ChainReport::Intact { events: 1300, .. }
    ));
    // A file without rows says so.
    assert!(check(&file, "empty.csv", &b"name,email\n"[..], now(), |_| {})
        .await
        .is_err());
}
