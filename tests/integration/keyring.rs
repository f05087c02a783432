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

/// A key kept in the keyring is rotated as a key file is: the new key waits in an entry of its
/// own until the rekey is done, then replaces the old one; cut between the two, the next open
/// finds the pending key and promotes it (the "Keys": rotate with the new key stored
/// first and the old one kept until the rotation is committed).
#[tokio::test]
#[ignore = "needs a Secret Service session: run through `make test`"]
async fn a_key_in_the_keyring_is_rotated_and_a_cut_rotation_finishes_at_open() {
    let t = TempCaseFile::new();
    let keys = KeySource::keyring_for(&t.db());
    let file = CaseFile::open(&t.db(), &keys).await.unwrap();
    log_request(&file, &sample_request("Rotated Person", "2026-03-02"), now(), ACTOR)
        .await
        .unwrap();
    file.close().await;
    let old = keys.load().unwrap().unwrap();

    privacydesk::store::backup::rotate_key(&t.db(), &keys, now(), ACTOR)
        .await
        .expect("a key in the keyring rotates");
    let new = keys.load().unwrap().unwrap();
    assert_ne!(new, old);
    assert!(!privacydesk::store::backup::key_opens(&t.db(), &old).await);
    let file = CaseFile::open(&t.db(), &keys).await.expect("the new key opens it");
    assert_eq!(list_cases(&file).await.unwrap().len(), 1);
    file.close().await;

    // As it stands when the rekey is done and the entries are not yet replaced: the old key
    // in the file's entries, the new one pending.
    let KeySource::Keyring { service, user, .. } = &keys else {
        unreachable!()
    };
    let pending = KeySource::Keyring {
        service: service.clone(),
        user: format!("{user}#rotating"),
        database: None,
    };
    pending.store_new(&new).unwrap();
    let by_path = KeySource::Keyring {
        service: service.clone(),
        user: user.clone(),
        database: None,
    };
    by_path.store_new(&old).unwrap();
    let moved_away = t.dir.path().join("elsewhere.db");
    // The identity entry too holds the old key: written through a copy's identity lookup.
    std::fs::copy(t.db(), &moved_away).unwrap();
    KeySource::keyring_for(&moved_away).follow_file(&old).unwrap();
    std::fs::remove_file(&moved_away).unwrap();
    assert_eq!(keys.load().unwrap().unwrap(), old, "both entries hold the old key now");

    let file = CaseFile::open(&t.db(), &keys)
        .await
        .expect("the pending key is found and promoted");
    assert_eq!(list_cases(&file).await.unwrap().len(), 1);
    file.close().await;
    assert_eq!(keys.load().unwrap().unwrap(), new);
    assert!(pending.load().unwrap().is_none(), "the pending entry is gone");
}
