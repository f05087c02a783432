//! Crash safety: the CLI killed with SIGKILL at a random moment of intake, an import, a letters
//! batch, a retention run, a backup and a key rotation, and the app killed during the daily
//! backup it makes as it starts (where the app is built and a display is there: `make test`
//! runs under Xvfb), on a copy of one prepared case file.
//! After each kill the file opens, `PRAGMA integrity_check` is ok, the audit chain verifies,
//! every case the CLI reported is there, and nothing half-done is visible: no case without its
//! `case.created` event, no letter whose archived bytes do not match its SHA-256, an import
//! either whole or absent, a backup either complete or not there.
//!
//! `make test` runs 10 runs (`CRASH_RUNS`); `make soak` runs 100 and prints the figures. The
//! seed is printed, and `CRASH_SEED` replays it.

use crate::support::*;
use privacydesk::domain::CaseStatus;
use privacydesk::service::intake::log_request;
use privacydesk::service::lifecycle::change_status;
use privacydesk::store::audit::ChainReport;
use privacydesk::store::backup::BackupFile;
use privacydesk::store::CaseFile;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASSPHRASE: &str = "correct horse battery staple";

/// A tiny deterministic generator (xorshift), so a seed replays a run.
struct Dice(u64);
impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Clone, Copy, Debug)]
enum Operation {
    Intake,
    Import,
    LettersBatch,
    Retention,
    Backup,
    KeyRotate,
    /// The app, started on a file with daily backups due, killed during that backup.
    AppDailyBackup,
}

const OPERATIONS: [Operation; 7] = [
    Operation::Intake,
    Operation::Import,
    Operation::LettersBatch,
    Operation::Retention,
    Operation::Backup,
    Operation::KeyRotate,
    Operation::AppDailyBackup,
];

/// The app's binary when it can run here (built, and a display to open its window on).
fn app_binary() -> Option<PathBuf> {
    let app = PathBuf::from(std::env::var_os("PRIVACYDESK_APP_BINARY")?);
    (app.exists() && std::env::var_os("DISPLAY").is_some()).then_some(app)
}

/// Starts the app on `db` (its data directory) with daily backups into `daily`, and kills it
/// after `after`, or once the first backup is there when `after` is `None`; whether it was
/// killed before that backup was complete.
// The loop only leaves through the kill and the wait (clippy cannot see that it never ends
// otherwise).
#[allow(clippy::zombie_processes)]
fn app_until(app: &Path, db: &Path, key: &Path, daily: &Path, after: Option<Duration>) -> bool {
    let mut child = Command::new(app)
        .env("PRIVACYDESK_DATA_DIR", db.parent().unwrap())
        .env("PRIVACYDESK_KEY_FILE", key)
        .env("NO_AT_BRIDGE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let made = || !privacydesk::service::backup::scheduled_backups(daily).is_empty();
    loop {
        let done = made();
        let due = match after {
            Some(after) => started.elapsed() >= after || done,
            None => done || started.elapsed() > Duration::from_secs(120),
        };
        if due {
            let _ = child.kill();
            let _ = child.wait();
            return !done;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The prepared file: cases that ended in January 2024 (due for retention), and recent ones
/// whose receipt is yet to be confirmed (for the letters batch).
async fn prepare(dir: &Path) -> (PathBuf, PathBuf) {
    let t = TempCaseFile {
        dir: tempfile::tempdir_in(dir).unwrap(),
    };
    let file = t.open_for_letters().await;
    let old: chrono::DateTime<chrono::Utc> = "2024-01-10T18:00:00Z".parse().unwrap();
    for i in 0..60 {
        let number = log_request(
            &file,
            &sample_request(&format!("Old Person {i}"), "2024-01-08"),
            old,
            ACTOR,
        )
        .await
        .unwrap()
        .number;
        change_status(
            &file,
            number,
            &move_to(CaseStatus::Withdrawn, "Withdrawn by phone"),
            old,
            ACTOR,
        )
        .await
        .unwrap();
    }
    let recent: chrono::DateTime<chrono::Utc> = chrono::Utc::now();
    let today = recent.date_naive().to_string();
    for i in 0..120 {
        log_request(
            &file,
            &sample_request(&format!("New Person {i}"), &today),
            recent,
            ACTOR,
        )
        .await
        .unwrap();
    }
    file.close().await;
    let db = t.db();
    let key = dir.join("base.key");
    std::fs::copy(t.dir.path().join("case.key"), &key).unwrap();
    let base = dir.join("base.db");
    // Closed: the WAL is folded in, so the one file is the whole case file.
    std::fs::copy(&db, &base).unwrap();
    for sidecar in ["-wal", "-shm"] {
        let _ = std::fs::copy(
            format!("{}{sidecar}", db.display()),
            format!("{}{sidecar}", base.display()),
        );
    }
    (base, key)
}

fn cli(db: &Path, key: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_privacydesk"));
    c.arg("--db")
        .arg(db)
        .arg("--key-file")
        .arg(key)
        .args(["--actor", "Crash"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Runs `command`, killing it with SIGKILL after `after` if it is still running; whether it was
/// killed, and what it printed.
fn run_and_kill(mut command: Command, after: Duration) -> (bool, String) {
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    let killed = loop {
        if child.try_wait().unwrap().is_some() {
            break false;
        }
        if started.elapsed() >= after {
            child.kill().unwrap();
            break true;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let out = child.wait_with_output().unwrap();
    (killed, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// What one run did: killed mid-way or finished first.
struct Outcome {
    killed: bool,
}

fn import_csv(dir: &Path) -> PathBuf {
    let path = dir.join("export.csv");
    let mut csv = String::from("name,email,phone,kinds,channel,received,description\n");
    let today = chrono::Utc::now().date_naive();
    for i in 0..300 {
        csv.push_str(&format!(
            "Imported {i},imp{i}@example.com,,delete,web-form,{today},row {i}\n"
        ));
    }
    std::fs::write(&path, csv).unwrap();
    path
}

/// One run of `operation`, killed after a random moment below `span` (how long the operation
/// takes when left alone, measured first), or never when `span` is `None`.
async fn one_run(
    run: usize,
    operation: Operation,
    dice: &mut Dice,
    span: Option<Duration>,
    base: &Path,
    base_key: &Path,
    csv: &Path,
) -> Outcome {
    let kill_at = |d: &mut Dice| match span {
        Some(span) => Duration::from_micros(d.below(span.as_micros().max(1) as u64)),
        None => Duration::from_secs(600),
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("privacydesk.db");
    let key = dir.path().join("case.key");
    std::fs::copy(base, &db).unwrap();
    std::fs::copy(base_key, &key).unwrap();
    let before = cases(&db, &key).await;
    let mut reported: Vec<String> = Vec::new();
    let mut killed = false;
    let mut backup_out = None;
    match operation {
        Operation::Intake => {
            // One `case add` after another, the kill landing inside one of them.
            // `span` is one `case add`: the kill lands in one of the first five.
            let deadline = Instant::now() + kill_at(dice) * 5;
            let today = chrono::Utc::now().date_naive().to_string();
            for i in 0.. {
                let left = deadline.saturating_duration_since(Instant::now());
                let (k, out) = run_and_kill(
                    cli(
                        &db,
                        &key,
                        &[
                            "case",
                            "add",
                            "--name",
                            &format!("Intake {i}"),
                            "--email",
                            "a@example.com",
                            "--kinds",
                            "delete",
                            "--channel",
                            "email",
                            "--received",
                            &today,
                        ],
                    ),
                    left,
                );
                reported.extend(out.lines().filter(|l| l.starts_with("PR-")).map(str::to_owned));
                if k {
                    killed = true;
                    break;
                }
                if left.is_zero() || (span.is_none() && i == 0) {
                    break;
                }
            }
        }
        Operation::Import => {
            let (k, _) = run_and_kill(
                cli(&db, &key, &["import", csv.to_str().unwrap(), "--yes"]),
                kill_at(dice),
            );
            killed = k;
        }
        Operation::LettersBatch => {
            let out = dir.path().join("batch.pdf");
            let (k, _) = run_and_kill(
                cli(
                    &db,
                    &key,
                    &[
                        "letters",
                        "batch",
                        "--kind",
                        "acknowledgment",
                        "--due-before",
                        "2030-01-01",
                        "--out",
                        out.to_str().unwrap(),
                    ],
                ),
                kill_at(dice),
            );
            killed = k;
        }
        Operation::Retention => {
            let (k, _) = run_and_kill(cli(&db, &key, &["retention", "run", "--json"]), kill_at(dice));
            killed = k;
        }
        Operation::Backup => {
            let pass = dir.path().join("pass.txt");
            std::fs::write(&pass, format!("{PASSPHRASE}\n")).unwrap();
            let out = dir.path().join("b.pdbk");
            let (k, _) = run_and_kill(
                cli(
                    &db,
                    &key,
                    &[
                        "backup",
                        "--out",
                        out.to_str().unwrap(),
                        "--passphrase-file",
                        pass.to_str().unwrap(),
                    ],
                ),
                kill_at(dice),
            );
            killed = k;
            backup_out = Some(out);
        }
        Operation::KeyRotate => {
            let (k, _) = run_and_kill(cli(&db, &key, &["key", "rotate"]), kill_at(dice));
            killed = k;
        }
        Operation::AppDailyBackup => {
            let Some(app) = app_binary() else {
                return Outcome { killed: false };
            };
            let daily = dir.path().join("daily");
            let file = CaseFile::open(&db, &privacydesk::store::key::KeySource::File(key.clone()))
                .await
                .unwrap();
            privacydesk::service::backup::set_schedule(
                &file,
                &privacydesk::store::key::KeySource::File(key.clone()),
                Some((
                    privacydesk::service::backup::BackupSchedule {
                        folder: daily.display().to_string(),
                        keep: 3,
                    },
                    PASSPHRASE,
                )),
                chrono::Utc::now(),
                ACTOR,
            )
            .await
            .unwrap();
            file.close().await;
            killed = app_until(&app, &db, &key, &daily, span.map(|_| kill_at(dice)));
            for (_, made) in privacydesk::service::backup::scheduled_backups(&daily) {
                backup_out = Some(made);
            }
        }
    }
    check(run, operation, &db, &key, before, &reported, backup_out.as_deref()).await;
    Outcome { killed }
}

async fn cases(db: &Path, key: &Path) -> i64 {
    let file = CaseFile::open(db, &privacydesk::store::key::KeySource::File(key.to_owned()))
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM privacy_case")
        .fetch_one(file.pool())
        .await
        .unwrap();
    file.close().await;
    n
}

async fn check(
    run: usize,
    operation: Operation,
    db: &Path,
    key: &Path,
    before: i64,
    reported: &[String],
    backup: Option<&Path>,
) {
    let what = format!("run {run} ({operation:?})");
    let file = CaseFile::open(db, &privacydesk::store::key::KeySource::File(key.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{what}: the file opens after the kill: {e}"));
    // A WAL left by the kill is the file's own: never taken for another copy's and set aside.
    let set_aside: Vec<String> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-wal.not-its-own-"))
        .collect();
    assert!(set_aside.is_empty(), "{what}: its own WAL was set aside: {set_aside:?}");
    let pool = file.pool();
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(pool)
        .await
        .unwrap();
    assert_eq!(integrity, ["ok"], "{what}");
    let report = privacydesk::service::history::verify_audit(&file).await.unwrap();
    assert!(matches!(report, ChainReport::Intact { .. }), "{what}: {report:?}");
    let orphans: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM privacy_case c WHERE NOT EXISTS
           (SELECT 1 FROM audit_event e WHERE e.subject = c.number AND e.action = 'case.created')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(orphans, 0, "{what}: a case without its event");
    let letters: Vec<(i64, Vec<u8>, String)> = sqlx::query_as("SELECT id, pdf, sha256 FROM letter")
        .fetch_all(pool)
        .await
        .unwrap();
    for (id, pdf, sha) in letters {
        assert!(
            pdf.is_empty() || hex::encode(Sha256::digest(&pdf)) == sha,
            "{what}: letter {id}'s bytes"
        );
        let events: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_event WHERE action = 'letter.produced' AND payload_sha256 IS NOT NULL AND subject IN (SELECT c.number FROM privacy_case c JOIN letter l ON l.case_id = c.id WHERE l.id = ?1)")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap();
        assert!(events > 0, "{what}: letter {id} without its event");
    }
    let now: i64 = sqlx::query_scalar("SELECT count(*) FROM privacy_case")
        .fetch_one(pool)
        .await
        .unwrap();
    for number in reported {
        let found: i64 = sqlx::query_scalar("SELECT count(*) FROM privacy_case WHERE number = ?1")
            .bind(number)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(found, 1, "{what}: {number} was reported, so it is there");
    }
    if let Operation::Import = operation {
        assert!(
            now == before || now == before + 300,
            "{what}: an import whole or absent ({before} -> {now})"
        );
    }
    file.close().await;
    if let Some(out) = backup.filter(|p| p.exists()) {
        let b = BackupFile::read(out).unwrap_or_else(|e| panic!("{what}: a backup that exists is whole: {e}"));
        b.key(PASSPHRASE).unwrap();
    }
}

async fn crash_runs(runs: usize) {
    let seed: u64 = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    let mut dice = Dice(seed);
    let work = tempfile::tempdir().unwrap();
    let (base, key) = prepare(work.path()).await;
    let csv = import_csv(work.path());
    let started = Instant::now();
    // How long each operation takes when left alone (checked like the others).
    let operations = if app_binary().is_some() {
        OPERATIONS.len()
    } else {
        OPERATIONS.len() - 1
    };
    let mut spans = [Duration::ZERO; OPERATIONS.len()];
    for (i, op) in OPERATIONS.iter().enumerate().take(operations) {
        let t = Instant::now();
        one_run(usize::MAX, *op, &mut dice, None, &base, &key, &csv).await;
        spans[i] = t.elapsed();
    }
    let mut kills = [0usize; OPERATIONS.len()];
    let mut finished = [0usize; OPERATIONS.len()];
    let operations = if app_binary().is_some() {
        OPERATIONS.len()
    } else {
        OPERATIONS.len() - 1
    };
    for run in 0..runs {
        // Each operation in turn, so that even 10 runs reach them all (the app's only where it runs).
        let at = run % operations;
        let outcome = one_run(run, OPERATIONS[at], &mut dice, Some(spans[at]), &base, &key, &csv).await;
        if outcome.killed {
            kills[at] += 1;
        } else {
            finished[at] += 1;
        }
    }
    println!(
        "crash runs: {runs} runs, {} killed mid-way, {} finished before the kill, failures: 0 (seed {seed}, {:.1} s)",
        kills.iter().sum::<usize>(),
        finished.iter().sum::<usize>(),
        started.elapsed().as_secs_f64()
    );
    if operations < OPERATIONS.len() {
        println!("  (the app was not run: no PRIVACYDESK_APP_BINARY or no display)");
    }
    for (i, op) in OPERATIONS.iter().enumerate().take(operations) {
        println!(
            "  {op:?}: {} killed, {} finished (alone it takes {} ms)",
            kills[i],
            finished[i],
            spans[i].as_millis()
        );
    }
}

#[tokio::test]
async fn the_case_file_survives_kill_9_at_random_moments() {
    let runs = std::env::var("CRASH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    crash_runs(runs).await;
}

/// A full disk during writes: a small tmpfs holds the case file, a filler takes the rest of
/// it, and `case add` runs until the disk refuses. The refusal says the disk is full (exit 1,
/// one line), and once space is freed the file opens, verifies and holds every case that was
/// reported. Mounting needs root (CI and `make test` here run as root); elsewhere it says so.
#[test]
fn a_full_disk_gives_a_clear_message_and_no_corruption() {
    let mount = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(mount.path())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !mounted {
        eprintln!("the full-disk test needs to mount a tmpfs (root): not run here");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(mount.path());
    let db = mount.path().join("privacydesk.db");
    let key = mount.path().join("case.key");
    let today = chrono::Utc::now().date_naive().to_string();
    let add = |i: usize| {
        cli(
            &db,
            &key,
            &[
                "case",
                "add",
                "--name",
                &format!("Full {i}"),
                "--email",
                "a@example.com",
                "--kinds",
                "delete",
                "--channel",
                "email",
                "--received",
                &today,
                "--description",
                &"words ".repeat(300),
            ],
        )
        .output()
        .unwrap()
    };
    assert!(add(0).status.success());
    // Leave about 200 KiB.
    let filler = mount.path().join("filler");
    let free = {
        let out = Command::new("df")
            .args(["-B1", "--output=avail"])
            .arg(mount.path())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse::<u64>()
            .unwrap()
    };
    std::fs::write(&filler, vec![0u8; free.saturating_sub(200 * 1024) as usize]).unwrap();
    let mut reported: Vec<String> = Vec::new();
    let mut refusal = None;
    for i in 1..400 {
        let out = add(i);
        if out.status.success() {
            reported.extend(
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .filter(|l| l.starts_with("PR-"))
                    .map(str::to_owned),
            );
        } else {
            refusal = Some((out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned()));
            break;
        }
    }
    let (code, said) = refusal.expect("the disk fills up");
    eprintln!("full disk after {} cases: {said}", reported.len());
    assert_eq!(code, Some(1), "{said}");
    assert_eq!(said.trim_end().lines().count(), 1, "{said}");
    assert!(said.contains("full"), "the message says the disk is full: {said}");
    std::fs::remove_file(&filler).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(check(0, Operation::Intake, &db, &key, 0, &reported, None));
}
