//! Bad input never panics and never half-writes: each parser a dropped or imported file reaches
//! (.eml and mbox, CSV and JSON imports, the profile's TOML, letter templates, the
//! system-of-record extract) takes valid samples with random edits (bytes flipped, inserted,
//! removed, the file cut) and plain random bytes, and answers with a value or a reason. Copy
//! names from senders stay inside their folder. `PROPTEST_CASES` sets how many inputs each
//! property tries (`make soak`: 20,000).

use crate::support::*;
use privacydesk::letters::LetterKind;
use proptest::prelude::*;

const EML: &str = "From: =?UTF-8?Q?Jos=C3=A9_N=C3=BA=C3=B1ez?= <jose@example.com>\r\nTo: privacy@example.com\r\nSubject: Delete my data\r\nMessage-ID: <a1@example.com>\r\nDate: Mon, 2 Nov 2026 09:05:00 -0800\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease delete everything you hold about me.\r\n--b1\r\nContent-Type: application/pdf; name=\"../../id card.pdf\"\r\nContent-Disposition: attachment; filename=\"../../id card.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n";

const CSV: &str = "name,email,phone,kinds,channel,received,description\n\
José Núñez,jose@example.com,,delete;know-categories,web-form,2026-03-02T17:05:00Z,Please delete\n\
\"Chen, Bo\",bo@example.com,(510) 555-0100,opt-out,web-form,2026-03-03,\"Stop selling, please\"\n";

const JSON: &str = r#"[{"name": "Анна", "email": "anna@example.ru", "kinds": ["know-specific"], "channel": "email", "received": "2026-03-02"}]"#;

/// A sample with up to eight random edits, then perhaps cut short.
fn mutated(sample: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..8),
        proptest::option::of(any::<prop::sample::Index>()),
        any::<bool>(),
        proptest::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(move |(edits, cut, random, noise)| {
            if random {
                return noise;
            }
            let mut bytes = sample.to_vec();
            for (at, byte, op) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match op {
                    0 => bytes[i] = byte,
                    1 => bytes.insert(i, byte),
                    _ => {
                        bytes.remove(i);
                    }
                }
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            bytes
        })
}

proptest! {
    #[test]
    fn an_email_or_mbox_never_panics(bytes in mutated(EML.as_bytes())) {
        let _ = privacydesk::service::email::read_eml(&bytes);
        for message in privacydesk::service::email::messages(&bytes) {
            let _ = privacydesk::service::email::read_eml(&message);
        }
    }

    #[test]
    fn a_profile_never_panics(bytes in mutated(privacydesk::domain::profile::DEMO_PROFILE.as_bytes())) {
        let _ = privacydesk::domain::profile::OrganisationProfile::from_toml(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn a_letter_template_never_panics(
        bytes in mutated(privacydesk::letters::templates::shipped(LetterKind::Acknowledgment, &privacydesk::domain::details::Language::new("en")).unwrap().as_bytes())
    ) {
        let _ = privacydesk::letters::templates::check(LetterKind::Acknowledgment, &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn a_copy_name_from_a_sender_stays_in_its_folder(name in any::<String>()) {
        let safe = privacydesk::service::safe_file_name(&name);
        prop_assert!(!safe.is_empty() && safe.len() <= 200);
        prop_assert!(!safe.contains(['/', '\\', '\0']) && safe != "." && safe != "..");
        let folder = std::path::Path::new("/some/folder");
        let joined = folder.join(&safe);
        prop_assert_eq!(joined.parent(), Some(folder));
    }
}

#[test]
fn a_csv_or_json_import_never_panics_and_checks_without_writing() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let t = TempCaseFile::new();
    let file = rt.block_on(t.open());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::default());
    runner
        .run(&(mutated(CSV.as_bytes()), mutated(JSON.as_bytes())), |(csv, json)| {
            rt.block_on(async {
                let _ = privacydesk::service::import::check(&file, "export.csv", &csv[..], now(), |_| {}).await;
                let _ = privacydesk::service::import::check(&file, "export.json", &json[..], now(), |_| {}).await;
            });
            Ok(())
        })
        .unwrap();
    let cases = rt.block_on(privacydesk::service::intake::list_cases(&file)).unwrap();
    assert!(cases.is_empty(), "checking stores nothing");
}

#[test]
fn a_system_of_record_extract_never_panics_and_a_bad_one_changes_nothing() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let t = TempCaseFile::new();
    let file = rt.block_on(t.open());
    const EXTRACT: &str = "employee_id,date_of_birth,personal_email\nE-1001,1990-04-12,ana@example.com\nE-1002,1985-11-30,bo@example.com\n";
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: ProptestConfig::default().cases.min(64),
        ..ProptestConfig::default()
    });
    runner
        .run(&mutated(EXTRACT.as_bytes()), |bytes| {
            rt.block_on(async {
                let _ = privacydesk::service::reference::load(&file, &bytes[..], now(), ACTOR).await;
            });
            Ok(())
        })
        .unwrap();
    let report = rt.block_on(privacydesk::service::history::verify_audit(&file)).unwrap();
    assert!(
        matches!(report, privacydesk::store::audit::ChainReport::Intact { .. }),
        "{report:?}"
    );
}

#[test]
fn attachment_names_from_emails_cannot_escape_the_folder_a_copy_is_saved_to() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("copies");
    for name in [
        "../../etc/passwd",
        "/etc/passwd",
        "..",
        ".",
        "a\0b.pdf",
        "CON",
        "com1.txt",
        "..\\..\\boot.ini",
        &format!("{}.pdf", "é".repeat(200)),
    ] {
        let path = privacydesk::service::save_copy(&folder, name, b"x").unwrap();
        assert_eq!(path.parent(), Some(folder.as_path()), "{name:?} -> {path:?}");
        assert!(path.file_name().unwrap().len() <= 200, "{path:?}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing outside the folder"
    );
}
