//! The OS keyring for real (Secret Service). Ignored by a plain `cargo test`, because it needs a
//! private D-Bus session with an unlocked gnome-keyring; `make test` runs it in one
//! (target `test-rust`), so it never touches the user's own keyring.

use crate::support::{contains, file_bytes, now, sample_request, TempCaseFile, ACTOR};
use privacydesk::service::intake::{list_cases, log_request};
use privacydesk::store::key::KeySource;
use privacydesk::store::{CaseFile, OpenError};

#[tokio::test]
#[ignore = "needs a Secret Service session: run through `make test`"]
async fn keyring_keeps_the_key_across_opens_and_never_beside_the_file() {
    let t = TempCaseFile::new();
    let keys = KeySource::keyring_for(&t.db());
    assert!(
        keys.load().expect("the keyring answers").is_none(),
        "a fresh keyring has no entry for this file"
    );

    let file = CaseFile::open(&t.db(), &keys)
        .await
        .expect("first start creates the key in the keyring");
    log_request(
        &file,
        &sample_request("Zenobia Quackenbush", "2026-03-02"),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    file.close().await;

    let key = keys.load().unwrap().expect("the key was stored in the keyring");
    let beside: Vec<_> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for path in &beside {
        let bytes = std::fs::read(path).unwrap_or_default();
        assert!(
            !contains(&bytes, &key.to_hex()),
            "the key must not be written beside the case file ({})",
            path.display()
        );
    }
    assert!(!contains(&file_bytes(&t.db()), "Quackenbush"));

    let reopened = CaseFile::open(&t.db(), &keys)
        .await
        .expect("the keyring's key reopens the file");
    assert_eq!(list_cases(&reopened).await.unwrap().len(), 1);
    reopened.close().await;

    // Another case file's entry does not open this one.
    let other = KeySource::keyring_for(&t.dir.path().join("other.db"));
    let err = CaseFile::open(&t.db(), &other).await.unwrap_err();
    assert!(matches!(err, OpenError::KeyMissing { .. }), "{err:?}");
}
