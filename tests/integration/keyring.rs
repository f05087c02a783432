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

/// The keyring entry follows the file: moved to another folder (a new laptop's home, a renamed
/// share), the file opens with the keyring entry of its new path, found by the file's identity.
#[tokio::test]
#[ignore = "needs a Secret Service session: run through `make test`"]
async fn the_keyring_entry_follows_the_file_when_it_moves() {
    let t = TempCaseFile::new();
    let file = CaseFile::open(&t.db(), &KeySource::keyring_for(&t.db())).await.unwrap();
    log_request(&file, &sample_request("Moved Person", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    file.close().await;
    let moved = t.dir.path().join("elsewhere/privacydesk.db");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let from = format!("{}{suffix}", t.db().display());
        if std::path::Path::new(&from).exists() {
            std::fs::rename(&from, format!("{}{suffix}", moved.display())).unwrap();
        }
    }
    let file = CaseFile::open(&moved, &KeySource::keyring_for(&moved))
        .await
        .expect("the key is found by the file's identity");
    assert_eq!(list_cases(&file).await.unwrap().len(), 1);
    file.close().await;
    assert!(privacydesk::store::key::file_identity(&moved).is_some());
}
