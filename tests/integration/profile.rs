//! The organisation profile in the case file: the demo organisation from the notice on first
//! open, versions on every change, cases remembering theirs, TOML import and export.

use crate::support::find_case;
use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use privacydesk::domain::profile::DEMO_PROFILE;
use privacydesk::service::intake::log_request;
use privacydesk::service::profile::{current_profile, save_profile};
use privacydesk::service::{AppError, ErrorCode};
use std::process::Command;

#[tokio::test]
async fn a_new_case_file_holds_the_demo_profile_and_cases_remember_their_version() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let v1 = current_profile(&file).await.unwrap();
    assert_eq!((v1.version, v1.profile.name.as_str()), (1, "Kaiser Permanente"));
    assert_eq!(v1.profile.entities.len(), 2);
    let first = log_request(&file, &sample_request("Ana", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    assert_eq!(first.profile_version, Some(1));

    let edited = DEMO_PROFILE.replace(
        "name = \"\"\ntitle = \"\"",
        "name = \"Dana Officer\"\ntitle = \"Privacy Officer\"",
    );
    let v2 = save_profile(&file, &edited, now(), ACTOR).await.unwrap();
    assert_eq!((v2.version, v2.saved_by.as_str()), (2, ACTOR));
    assert_eq!(v2.profile.signatory.name, "Dana Officer");
    assert_eq!(v2.warnings.len(), 1, "only the return address is still missing");
    assert_eq!(
        save_profile(&file, &edited, now(), ACTOR).await.unwrap().version,
        2,
        "no new version for no change"
    );

    let second = log_request(&file, &sample_request("Bo", "2026-03-03"), now(), ACTOR)
        .await
        .unwrap();
    assert_eq!(second.profile_version, Some(2));
    assert_eq!(
        find_case(&file, first.number).await.profile_version,
        Some(1),
        "the first case keeps version 1"
    );
    file.close().await;
    assert_eq!(
        current_profile(&t.open().await).await.unwrap().version,
        2,
        "versions survive reopening"
    );
}

#[tokio::test]
async fn a_bad_profile_is_refused_with_the_reason_and_nothing_changes() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let err: AppError = save_profile(&file, "name = \"X\"\n[[entities]\n", now(), ACTOR)
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.fields[0].message.contains("line 2"), "{err:?}");
    let no_entities = DEMO_PROFILE.replace("[[entities]]", "[[ignored_entities]]");
    assert!(save_profile(&file, &no_entities, now(), ACTOR).await.is_err());
    assert_eq!(current_profile(&file).await.unwrap().version, 1);
}

#[test]
fn cli_exports_and_imports_the_profile_as_toml() {
    let t = TempCaseFile::new();
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_privacydesk"))
            .arg("--db")
            .arg(t.db())
            .arg("--key-file")
            .arg(t.dir.path().join("case.key"))
            .args(["--actor", ACTOR])
            .args(args)
            .output()
            .unwrap()
    };
    let out = cli(&["profile", "export"]);
    assert!(out.status.success());
    let exported = String::from_utf8(out.stdout).unwrap();
    assert!(exported.contains("The Permanente Medical Group"));

    let path = t.dir.path().join("profile.toml");
    std::fs::write(
        &path,
        exported.replace(
            "lines = []",
            "lines = [\"Privacy Office\", \"1 Main St\", \"Oakland, CA 94612\"]",
        ),
    )
    .unwrap();
    let out = cli(&["profile", "import", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "profile version 2 in force"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("No signatory"),
        "warnings are shown"
    );

    std::fs::write(&path, "not = [toml").unwrap();
    let out = cli(&["profile", "import", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end().lines().count(),
        1,
        "one-line reason"
    );
}

/// The window's profile form: every problem named by its field (the email, the time zone)
/// and nothing saved; a good form saves the profile and the time zone in one write, each change
/// in the history.
#[tokio::test]
async fn the_profile_form_checks_each_field_and_saves_the_time_zone_with_it() {
    use privacydesk::domain::history::AuditEvent;
    use privacydesk::service::profile::{current_profile, save_profile_form, time_zone, time_zones};
    let t = TempCaseFile::new();
    let file = t.open().await;
    let before = current_profile(&file).await.unwrap();
    let mut form = before.profile.clone();
    form.contacts.email = "kp-hires".into();
    let err: privacydesk::service::AppError = save_profile_form(&file, &form, "Mars/Olympus", now(), ACTOR)
        .await
        .unwrap_err()
        .into();
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert!(
        fields.contains(&"contacts.email") && fields.contains(&"time_zone"),
        "{err:?}"
    );
    assert!(
        err.fields.iter().all(|f| !f.message.contains("contacts.")),
        "messages are words: {err:?}"
    );
    assert_eq!(
        current_profile(&file).await.unwrap().version,
        before.version,
        "nothing saved"
    );

    form.contacts.email = "privacy@example.org".into();
    form.signatory.name = "Dana Whitfield".into();
    assert!(time_zones().iter().any(|z| z == "America/New_York"));
    let saved = save_profile_form(&file, &form, "America/New_York", now(), ACTOR)
        .await
        .unwrap();
    assert_eq!(saved.version, before.version + 1);
    assert_eq!(saved.profile.signatory.name, "Dana Whitfield");
    assert_eq!(time_zone(&file).await.unwrap().name(), "America/New_York");
    let history = privacydesk::service::history::file_history(&file, 5).await.unwrap();
    assert!(history
        .iter()
        .any(|e| matches!(&e.event, Some(AuditEvent::SettingsChanged { .. }))));
    assert!(history
        .iter()
        .any(|e| matches!(&e.event, Some(AuditEvent::ProfileSaved { .. }))));
}
