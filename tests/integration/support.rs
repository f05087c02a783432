//! Shared fixtures: a temporary case file with a key file, and a sample request.

use chrono::{DateTime, Utc};
use privacydesk::domain::{Channel, NewCase, PostalAddress, RequestKind, Requester};
use privacydesk::store::key::KeySource;
use privacydesk::store::CaseFile;
use std::path::PathBuf;

pub struct TempCaseFile {
    pub dir: tempfile::TempDir,
}

impl TempCaseFile {
    pub fn new() -> TempCaseFile {
        TempCaseFile {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("privacydesk.db")
    }
    pub fn keys(&self) -> KeySource {
        KeySource::File(self.dir.path().join("case.key"))
    }
    pub async fn open(&self) -> CaseFile {
        CaseFile::open(&self.db(), &self.keys())
            .await
            .expect("the case file opens")
    }

    /// The case file with a profile letters may be mailed under (see [`letter_ready_profile`]).
    pub async fn open_for_letters(&self) -> CaseFile {
        let file = self.open().await;
        privacydesk::service::profile::save_profile(&file, &letter_ready_profile(), now(), ACTOR)
            .await
            .expect("the profile is saved");
        file
    }
}

/// The demo profile with what mailed letters need: its notice names no signatory and no return
/// address, and no letter is produced or mailed without them.
pub fn letter_ready_profile() -> String {
    use privacydesk::domain::profile::{OrganisationProfile, ReturnAddress, Signatory, DEMO_PROFILE};
    let mut profile = OrganisationProfile::from_toml(DEMO_PROFILE).expect("the demo profile");
    profile.signatory = Signatory {
        name: "Dana Whitfield".into(),
        title: "Privacy Officer".into(),
    };
    profile.return_address = ReturnAddress {
        lines: vec!["1800 Harrison St".into(), "Oakland CA 94612".into()],
    };
    profile.to_toml()
}

pub fn now() -> DateTime<Utc> {
    "2026-03-10T18:00:00Z".parse().unwrap()
}

pub fn sample_request(name: &str, received: &str) -> NewCase {
    NewCase {
        requester: Requester {
            name: name.to_owned(),
            email: Some("nguyen.khai@example.com".to_owned()),
            phone: Some("(510) 555-0142".to_owned()),
            address: Some(PostalAddress {
                lines: vec!["1950 Franklin St".to_owned(), "Apt 4".to_owned()],
                city: "Oakland".to_owned(),
                state: Some("CA".to_owned()),
                postal_code: Some("94612".to_owned()),
                country: "US".to_owned(),
            }),
        },
        channel: Channel::Email,
        kinds: vec![RequestKind::Delete, RequestKind::KnowCategories],
        received: received.to_owned(),
        details: Default::default(),
    }
}

/// Every byte of the case file and its WAL, to look for plaintext.
pub fn file_bytes(db: &std::path::Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).unwrap_or_default();
    bytes.extend(std::fs::read(format!("{}-wal", db.display())).unwrap_or_default());
    bytes
}

/// Every page of the case file and of its WAL, decrypted with the key in the key file (SQLCipher
/// 4: 4096-byte pages encrypted with AES-256-CBC under the raw key, each with its IV in the 80
/// reserved bytes at its end; page 1 starts with the 16-byte salt). Free pages and the unused
/// space of pages are included: what a purge deleted must not be in any of them.
pub fn decrypted_pages(db: &std::path::Path, key_file: &std::path::Path) -> Vec<u8> {
    use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, KeyIvInit};
    const PAGE: usize = 4096;
    const RESERVE: usize = 80;
    let hex = std::fs::read_to_string(key_file).expect("the key file");
    let hex = hex.trim();
    let key: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex key"))
        .collect();
    let mut out = Vec::new();
    let mut page_out = |page: &[u8], first: bool| {
        let end = PAGE - RESERVE;
        let mut data = page[if first { 16 } else { 0 }..end].to_vec();
        let iv = &page[end..end + 16];
        let dec = cbc::Decryptor::<aes::Aes256>::new_from_slices(&key, iv).expect("key and iv sizes");
        if let Ok(plain) = dec.decrypt_padded_mut::<NoPadding>(&mut data) {
            out.extend_from_slice(plain);
        }
    };
    let main = std::fs::read(db).unwrap_or_default();
    for (i, page) in main.chunks_exact(PAGE).enumerate() {
        page_out(page, i == 0);
    }
    let wal = std::fs::read(format!("{}-wal", db.display())).unwrap_or_default();
    if wal.len() > 32 {
        for frame in wal[32..].chunks_exact(24 + PAGE) {
            let number = u32::from_be_bytes([frame[0], frame[1], frame[2], frame[3]]);
            page_out(&frame[24..], number == 1);
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}
/// Closes the case file and reads its pages decrypted, once the WAL has been folded into the
/// file: a connection of its own checkpoints it (TRUNCATE), retrying while the pool's last
/// connections are still closing on their threads, so that no old page is read before the
/// checkpoint overwrites it, however loaded the machine.
pub async fn pages_after_close(t: &TempCaseFile, file: CaseFile) -> Vec<u8> {
    use sqlx::{ConnectOptions, Connection};
    file.close().await;
    let key = t.keys().load().unwrap().unwrap();
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(t.db())
        .pragma("key", format!("\"x'{}'\"", key.to_hex()))
        .busy_timeout(std::time::Duration::from_secs(10))
        .connect()
        .await
        .expect("the case file opens for the checkpoint");
    for _ in 0..200 {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&mut conn)
            .await
            .expect("the checkpoint runs");
        if busy == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    conn.close().await.expect("the checkpoint's connection closes");
    decrypted_pages(&t.db(), &t.dir.path().join("case.key"))
}

/// This package's folder, read when the test runs (cargo sets it): never the folder the test
/// binary was compiled in, which is another checkout when two share a build cache.
/// The CLI on the case file of `t` (its `--db` and `--key-file`), never a case file named by the
/// environment.
pub fn privacydesk(t: &TempCaseFile, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_privacydesk"))
        .arg("--db")
        .arg(t.db())
        .arg("--key-file")
        .arg(t.dir.path().join("case.key"))
        .args(args)
        .env_remove("PRIVACYDESK_DB")
        .env_remove("PRIVACYDESK_KEY_FILE")
        .output()
        .expect("the CLI runs")
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"))
}

pub const ACTOR: &str = "Test Officer";

/// A case as stored (through its view).
pub async fn find_case(file: &CaseFile, number: privacydesk::domain::CaseNumber) -> privacydesk::domain::Case {
    privacydesk::service::case_view::case_view(file, number, now())
        .await
        .expect("the case exists")
        .case
}

/// A case's clocks on the legal date of `at`.
pub async fn clocks_at(
    file: &CaseFile,
    number: privacydesk::domain::CaseNumber,
    at: DateTime<Utc>,
) -> privacydesk::service::case_view::CaseClocks {
    privacydesk::service::case_view::case_view(file, number, at)
        .await
        .expect("the case exists")
        .clocks
}

/// A case's history, oldest first.
pub async fn history(
    file: &CaseFile,
    number: privacydesk::domain::CaseNumber,
) -> Vec<privacydesk::service::case_view::HistoryEntry> {
    privacydesk::service::case_view::case_view(file, number, now())
        .await
        .expect("the case exists")
        .history
}

/// A status move as the CLI makes it (from wherever the case stands).
pub fn move_to(to: privacydesk::domain::CaseStatus, reason: &str) -> privacydesk::service::lifecycle::StatusMove {
    privacydesk::service::lifecycle::StatusMove {
        from: None,
        to,
        reason: reason.to_owned(),
        acknowledgment: None,
    }
}

/// Runs one of the PDF tools (qpdf, poppler-utils) and returns what it printed; fails the test
/// when the tool reports a problem.
pub fn tool(program: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (apt: qpdf poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
