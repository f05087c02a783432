//! The encrypted case file: create, reopen, the refusals that leave a file untouched, and
//! migrations from an older schema.

use crate::support::{contains, file_bytes, now, sample_request, TempCaseFile, ACTOR};
use privacydesk::domain::{CaseStatus, RequestKind};
use privacydesk::service::intake::{list_cases, log_request};
use privacydesk::service::{AppError, ErrorCode, ServiceError};
use privacydesk::store::key::{DatabaseKey, KeySource};
use privacydesk::store::{CaseFile, OpenError};
use std::process::Command;

#[tokio::test]
async fn first_open_creates_key_and_file_and_cases_survive_reopening() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    assert!(
        t.dir.path().join("case.key").exists(),
        "first start must keep the new key"
    );
    let logged = log_request(
        &file,
        &sample_request("Nguyễn Thị Minh Khai", "2026-03-02T17:05:00Z"),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    assert_eq!(logged.number.to_string(), "PR-2026-00001");
    assert_eq!(logged.status, CaseStatus::New);
    assert_eq!(logged.received_date.to_string(), "2026-03-02");
    assert_eq!(logged.kinds, vec![RequestKind::KnowCategories, RequestKind::Delete]);
    file.close().await;

    let reopened = t.open().await;
    let cases = list_cases(&reopened).await.unwrap();
    assert_eq!(cases, vec![logged], "the case must come back exactly as stored");
}

#[tokio::test]
async fn numbers_run_per_year_of_the_legal_date_and_the_queue_is_newest_first() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let a = log_request(&file, &sample_request("A", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    let b = log_request(&file, &sample_request("B", "2026-03-05T10:00:00Z"), now(), ACTOR)
        .await
        .unwrap();
    // 07:30 UTC on 1 January is still 31 December in Los Angeles: a 2025 case.
    let c = log_request(&file, &sample_request("C", "2026-01-01T07:30:00Z"), now(), ACTOR)
        .await
        .unwrap();
    assert_eq!(
        [a.number.to_string(), b.number.to_string(), c.number.to_string()],
        ["PR-2026-00001", "PR-2026-00002", "PR-2025-00001"]
    );
    let names: Vec<String> = list_cases(&file)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.requester.name)
        .collect();
    assert_eq!(names, ["B", "A", "C"]);
}

#[tokio::test]
async fn invalid_request_stores_nothing_and_consumes_no_number() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let mut bad = sample_request("", "2026-03-02");
    bad.kinds.clear();
    let err = log_request(&file, &bad, now(), ACTOR).await.unwrap_err();
    let ServiceError::Invalid(errors) = &err else {
        panic!("expected a validation error, got {err:?}")
    };
    assert!(errors.for_field("requester.name").is_some() && errors.for_field("kinds").is_some());
    let app: AppError = err.into();
    assert_eq!(app.code, ErrorCode::Validation);
    assert!(list_cases(&file).await.unwrap().is_empty());
    let next = log_request(&file, &sample_request("Ana", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    assert_eq!(next.number.to_string(), "PR-2026-00001");
}

#[tokio::test]
async fn nothing_about_the_person_is_readable_without_the_key() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    log_request(
        &file,
        &sample_request("Zenobia Quackenbush", "2026-03-02"),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let bytes = file_bytes(&t.db());
    assert!(
        !bytes.starts_with(b"SQLite format 3"),
        "an encrypted file has no plaintext header"
    );
    for secret in [
        "Zenobia",
        "Quackenbush",
        "nguyen.khai@example.com",
        "Franklin",
        "privacy_case",
    ] {
        assert!(
            !contains(&bytes, secret),
            "\"{secret}\" must not appear in the file or its WAL"
        );
    }
    file.close().await;

    let out = Command::new("sqlite3")
        .arg(t.db())
        .arg("SELECT count(*) FROM privacy_case;")
        .output()
        .expect("sqlite3 is installed by make");
    assert!(!out.status.success(), "plain sqlite3 must not read the case file");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a database"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn wrong_key_is_refused_and_the_file_is_left_untouched() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    log_request(&file, &sample_request("Ana", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    file.close().await;
    let before = file_bytes(&t.db());

    let other = t.dir.path().join("other.key");
    KeySource::File(other.clone())
        .store_new(&DatabaseKey::generate().unwrap())
        .unwrap();
    let err = CaseFile::open(&t.db(), &KeySource::File(other)).await.unwrap_err();
    assert!(matches!(err, OpenError::WrongKey { .. }), "{err:?}");
    assert_eq!(AppError::from(err).code, ErrorCode::WrongKey);
    assert_eq!(file_bytes(&t.db()), before, "a refused open must not change the file");
    assert_eq!(
        list_cases(&t.open().await).await.unwrap().len(),
        1,
        "the right key still opens it"
    );
}

#[tokio::test]
async fn missing_key_is_refused_and_no_new_key_or_file_is_made() {
    let t = TempCaseFile::new();
    t.open().await.close().await;
    let before = file_bytes(&t.db());
    let missing = t.dir.path().join("missing.key");
    let err = CaseFile::open(&t.db(), &KeySource::File(missing.clone()))
        .await
        .unwrap_err();
    assert!(matches!(err, OpenError::KeyMissing { .. }), "{err:?}");
    assert!(
        err.to_string().contains("will not create a new, empty case file"),
        "{err}"
    );
    assert!(!missing.exists(), "no key may be invented for an existing file");
    assert_eq!(file_bytes(&t.db()), before);
}

#[tokio::test]
async fn malformed_key_file_is_refused() {
    let t = TempCaseFile::new();
    std::fs::write(t.dir.path().join("case.key"), "not a key").unwrap();
    let err = CaseFile::open(&t.db(), &t.keys()).await.unwrap_err();
    assert!(err.to_string().contains("64 hexadecimal"), "{err}");
    assert!(!t.db().exists(), "no file is created under a bad key");
}

#[tokio::test]
async fn a_newer_schema_is_refused_and_left_untouched() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) VALUES (99991231000000, 'from the future', '2099-01-01', 1, x'00', 0)")
        .execute(file.pool())
        .await
        .unwrap();
    file.close().await;
    let before = file_bytes(&t.db());
    let err = CaseFile::open(&t.db(), &t.keys()).await.unwrap_err();
    assert!(
        matches!(
            err,
            OpenError::NewerSchema {
                found: 99991231000000,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(AppError::from(err).code, ErrorCode::NewerSchema);
    assert_eq!(file_bytes(&t.db()), before);
}

/// A file at the previous schema (every migration but the newest) is backed up, migrated, and
/// keeps its data.
#[tokio::test]
async fn migration_from_the_previous_schema_backs_up_and_keeps_data() {
    use sqlx::migrate::Migrator;
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};

    let t = TempCaseFile::new();
    let key = DatabaseKey::generate().unwrap();
    t.keys().store_new(&key).unwrap();
    // The previous schema: every migration file but the newest, in a directory of their own.
    let previous = t.dir.path().join("previous-migrations");
    std::fs::create_dir(&previous).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(crate::support::manifest_dir().join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.pop();
    for f in &files {
        std::fs::copy(f, previous.join(f.file_name().unwrap())).unwrap();
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(t.db())
        .pragma("key", format!("\"x'{}'\"", key.to_hex()))
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    // A marker that must survive the migration (the first schema has no tables of its own).
    sqlx::query("CREATE TABLE migration_marker (note TEXT)")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO migration_marker VALUES ('kept')")
        .execute(&mut conn)
        .await
        .unwrap();
    let older = Migrator::new(previous.as_path()).await.unwrap();
    older.run(&mut conn).await.unwrap();
    conn.close().await.unwrap();

    let file = t.open().await;
    let marker: String = sqlx::query_scalar("SELECT note FROM migration_marker")
        .fetch_one(file.pool())
        .await
        .unwrap();
    assert_eq!(marker, "kept");
    log_request(&file, &sample_request("Ana", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    let backups: Vec<_> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with("privacydesk.db.pre-") && n.ends_with(".bak"))
        .collect();
    assert_eq!(backups.len(), 1, "one backup before migrating: {backups:?}");
}
