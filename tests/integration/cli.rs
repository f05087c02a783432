//! The CLI contract other tools script against: `case add` prints the number (or JSON),
//! `case list --json` prints an array, key files are created only for a new case file, and bad
//! input is one line on stderr with a non-zero exit code.

use crate::support::{privacydesk, TempCaseFile};
use std::process::{Command, Output};

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const ADD: &[&str] = &[
    "case",
    "add",
    "--name",
    "José Núñez",
    "--email",
    "jose@example.com",
    "--address-line",
    "1950 Franklin St",
    "--city",
    "Oakland",
    "--state",
    "CA",
    "--postal-code",
    "94612",
    "--kinds",
    "delete,know-categories",
    "--channel",
    "email",
    "--received",
    "2026-03-02T17:05:00Z",
];

#[test]
fn case_add_prints_the_number_and_list_json_returns_every_case() {
    let t = TempCaseFile::new();
    let out = privacydesk(&t, ADD);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "PR-2026-00001\n");

    let out = privacydesk(&t, &[&ADD[..ADD.len()], &["--json"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let case: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(case["number"], "PR-2026-00002");
    assert_eq!(case["kinds"], serde_json::json!(["know-categories", "delete"]));
    assert_eq!(case["channel"], "email");
    assert_eq!(case["received_date"], "2026-03-02");
    assert_eq!(case["requester"]["address"]["country"], "US");

    let out = privacydesk(&t, &["case", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[0]["requester"]["name"], "José Núñez");
}

#[test]
fn a_new_key_file_is_private_and_an_existing_file_without_it_is_refused() {
    let t = TempCaseFile::new();
    assert!(privacydesk(&t, ADD).status.success());
    let key = std::fs::read_to_string(t.dir.path().join("case.key")).unwrap();
    assert_eq!(key.trim().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(t.dir.path().join("case.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    std::fs::remove_file(t.dir.path().join("case.key")).unwrap();
    let out = privacydesk(&t, &["case", "list", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("key is missing"), "{}", stderr(&out));
    assert!(
        !t.dir.path().join("case.key").exists(),
        "no new key may be written for an existing case file"
    );
}

#[test]
fn bad_input_is_one_line_with_a_non_zero_exit() {
    let t = TempCaseFile::new();
    for (args, expect) in [
        (vec!["--kinds", "delete,erase"], "erase"),
        (vec!["--channel", "fax"], "fax"),
        (vec!["--email", "jose@"], "requester.email"),
        (vec!["--postal-code", "9461"], "ZIP"),
        (vec!["--received", "2999-01-01"], "future"),
    ] {
        let mut all: Vec<&str> = ADD.to_vec();
        for pair in args.chunks(2) {
            let at = all.iter().position(|a| *a == pair[0]).unwrap();
            all[at + 1] = pair[1];
        }
        let out = privacydesk(&t, &all);
        assert!(!out.status.success(), "{args:?} must fail");
        let err = stderr(&out);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one-line reason: {err}");
        assert_eq!(out.status.code(), Some(2), "bad input exits with 2");
    }
    let out = privacydesk(&t, &["case", "list", "--json"]);
    assert_eq!(stdout(&out).trim(), "[]", "nothing was stored by the refused commands");
}

fn deadlines(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_privacydesk"))
        .arg("deadlines")
        .args(args)
        .output()
        .expect("the CLI runs")
}

#[test]
fn deadlines_cli_contract_sections_7021_7026() {
    let out = deadlines(&[
        "--received",
        "2026-03-02",
        "--kinds",
        "delete,know-categories",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["received_date"], "2026-03-02");
    assert_eq!(
        v["calendar"], "weekends",
        "the conservative calendar by default (reference §10)"
    );
    let clocks: Vec<(String, String)> = v["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["clock"].as_str().unwrap().to_owned(),
                c["due"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        clocks,
        [
            ("acknowledge", "2026-03-16"),
            ("respond", "2026-04-15"),
            ("respond_extended", "2026-05-30")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert!(v["clocks"][1]["explanation"]
        .as_str()
        .unwrap()
        .contains("+44 calendar days"));

    let out = deadlines(&[
        "--received",
        "2026-03-02T07:30:00Z",
        "--kinds",
        "opt-out",
        "--calendar",
        "weekends",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["received_date"], "2026-03-01",
        "07:30 UTC is still 1 March in Los Angeles"
    );
    assert_eq!(v["clocks"][0]["clock"], "comply");
    assert_eq!(v["clocks"][0]["due"], "2026-03-20");

    let out = deadlines(&[
        "--received",
        "2026-03-02T07:30:00Z",
        "--kinds",
        "opt-out",
        "--time-zone",
        "UTC",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["received_date"], "2026-03-02");
}

#[test]
fn deadlines_cli_refuses_bad_input_in_one_line() {
    for (args, expect) in [
        (vec!["--received", "someday", "--kinds", "delete"], "not a date"),
        (vec!["--received", "2026-03-02", "--kinds", "erase"], "erase"),
        (
            vec!["--received", "2026-03-02", "--kinds", "delete", "--calendar", "moon"],
            "moon",
        ),
        (
            vec![
                "--received",
                "2026-03-02",
                "--kinds",
                "delete",
                "--time-zone",
                "Mars/Olympus",
            ],
            "unknown time zone",
        ),
    ] {
        let out = deadlines(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(expect), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).trim_end().lines().count(), 1);
    }
}

/// Without a key file the OS keyring is used; when no keyring answers, the command says so and
/// neither creates a case file nor touches an existing one.
#[test]
fn an_unreachable_keyring_is_a_clear_refusal_and_nothing_is_created() {
    let t = TempCaseFile::new();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_privacydesk"))
            .arg("--db")
            .arg(t.db())
            .args(args)
            .env_remove("PRIVACYDESK_KEY_FILE")
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/privacydesk-test-bus",
            )
            .output()
            .unwrap()
    };
    let out = run(&["case", "list", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("keyring is not available"), "{}", stderr(&out));
    assert!(!t.db().exists(), "no case file may be created without a kept key");

    assert!(
        privacydesk(&t, ADD).status.success(),
        "a case file made with a key file"
    );
    let before = std::fs::read(t.db()).unwrap();
    let out = run(&["case", "list", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("keyring"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(t.db()).unwrap(),
        before,
        "the existing case file is untouched"
    );
}
