//! Every command of the CLI, as scripts call it: the exact flags of the contract, `--json`
//! where it prints data, exit 2 with one line on bad input, nothing written on a refusal, and a
//! closed pipe ending a listing quietly.

use crate::support::TempCaseFile;
use std::io::Read;
use std::process::{Command, Output, Stdio};

fn cli(t: &TempCaseFile, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_privacydesk"))
        .arg("--db")
        .arg(t.db())
        .arg("--key-file")
        .arg(t.dir.path().join("case.key"))
        .args(["--actor", "Script"])
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// A refusal: exit 2, one line on stderr that says what is wrong.
fn refused(out: &Output, says: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "bad input exits with 2: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(says), "{says:?} in {err}");
}

fn add(t: &TempCaseFile, name: &str, kinds: &str) -> String {
    ok(&cli(
        t,
        &[
            "case",
            "add",
            "--name",
            name,
            "--email",
            "ana@example.com",
            "--address-line",
            "1950 Franklin St",
            "--city",
            "Oakland",
            "--state",
            "CA",
            "--postal-code",
            "94612",
            "--kinds",
            kinds,
            "--channel",
            "email",
            "--received",
            "2026-11-02",
        ],
    ))
    .trim()
    .to_owned()
}

/// Imports a profile letters may be mailed under (the demo notice names no signatory and no
/// return address).
fn ready_for_letters(t: &TempCaseFile) {
    let path = t.dir.path().join("ready-profile.toml");
    std::fs::write(&path, crate::support::letter_ready_profile()).unwrap();
    ok(&cli(t, &["profile", "import", path.to_str().unwrap()]));
}

fn events(t: &TempCaseFile, number: &str) -> usize {
    json(&cli(t, &["case", "show", "--case", number, "--json"]))["history"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn case_show_move_assign_note_attach_and_edit() {
    let t = TempCaseFile::new();
    let n = add(&t, "Ana Reyes", "delete,opt-out");
    let view = json(&cli(&t, &["case", "show", "--case", &n, "--json"]));
    assert_eq!(view["case"]["number"], n.as_str());
    assert_eq!(view["case"]["status"], "new");
    assert!(view["clocks"]["clocks"].as_array().unwrap().len() >= 3);
    assert_eq!(view["history"][0]["action"], "case.created");
    assert!(ok(&cli(&t, &["case", "show", "--case", &n])).contains("Ana Reyes"));

    // Moving to acknowledged records the confirmation of receipt, or asks for it.
    let before = events(&t, &n);
    refused(
        &cli(
            &t,
            &[
                "case",
                "move",
                "--case",
                &n,
                "--to",
                "acknowledged",
                "--reason",
                "Called",
            ],
        ),
        "confirmation of receipt",
    );
    assert_eq!(events(&t, &n), before, "nothing written on a refusal");
    let moved = json(&cli(
        &t,
        &[
            "case",
            "move",
            "--case",
            &n,
            "--to",
            "acknowledged",
            "--reason",
            "Called back",
            "--on",
            "2026-11-03",
            "--json",
        ],
    ));
    assert_eq!(moved["case"]["status"], "acknowledged");
    assert_eq!(moved["clocks"]["acknowledgment"]["on"], "2026-11-03");
    assert_eq!(moved["clocks"]["acknowledgment"]["channel"], "email");
    let moved = ok(&cli(
        &t,
        &[
            "case",
            "move",
            "--case",
            &n,
            "--to",
            "verifying",
            "--reason",
            "Asked for two details",
        ],
    ));
    assert!(moved.contains("is now verifying"), "{moved}");
    refused(
        &cli(&t, &["case", "move", "--case", &n, "--to", "new", "--reason", "back"]),
        "cannot become new",
    );
    refused(
        &cli(&t, &["case", "move", "--case", &n, "--to", "sideways", "--reason", "x"]),
        "sideways",
    );

    assert!(ok(&cli(&t, &["case", "assign", "--case", &n, "--to", "Dana Whitfield"])).contains("Dana Whitfield"));
    assert!(ok(&cli(
        &t,
        &["case", "note", "--case", &n, "--text", "Spoke to her | twice"]
    ))
    .contains("note added"));
    refused(
        &cli(&t, &["case", "note", "--case", &n, "--text", "  "]),
        "Write the note",
    );
    let file = t.dir.path().join("scan.pdf");
    std::fs::write(&file, b"%PDF-1.4 a scanned letter").unwrap();
    assert!(ok(&cli(
        &t,
        &["case", "attach", "--case", &n, "--file", file.to_str().unwrap()]
    ))
    .contains("scan.pdf"));
    refused(
        &cli(&t, &["case", "attach", "--case", &n, "--file", "/nonexistent/file.pdf"]),
        "cannot be read",
    );

    let edited = json(&cli(
        &t,
        &[
            "case",
            "edit",
            "--case",
            &n,
            "--email",
            "ana.reyes@example.com",
            "--json",
        ],
    ));
    assert_eq!(edited["case"]["requester"]["email"], "ana.reyes@example.com");
    assert_eq!(
        edited["case"]["requester"]["name"], "Ana Reyes",
        "flags not given keep their value"
    );
    let last = edited["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "case.edited");
    assert_eq!(last["event"]["changes"][0]["field"], "requester.email");
    refused(
        &cli(&t, &["case", "edit", "--case", &n, "--email", "not-an-email"]),
        "email",
    );

    let view = json(&cli(&t, &["case", "show", "--case", &n, "--json"]));
    assert_eq!(view["notes"][0]["body"], "Spoke to her | twice");
    assert_eq!(view["files"][0]["name"], "scan.pdf");
    assert_eq!(view["case"]["assignee"], "Dana Whitfield");
    let id = view["files"][0]["id"].as_i64().unwrap().to_string();
    let copy = t.dir.path().join("copy.pdf");
    ok(&cli(
        &t,
        &["case", "copy", "--file-id", &id, "--out", copy.to_str().unwrap()],
    ));
    assert_eq!(std::fs::read(&copy).unwrap(), b"%PDF-1.4 a scanned letter");

    refused(&cli(&t, &["case", "show", "--case", "PR-2026-09999"]), "was not found");
    refused(&cli(&t, &["case", "show", "--case", "42"]), "not a case number");
}

#[test]
fn ack_extend_respond_and_comply_record_the_acts_on_the_clocks() {
    let t = TempCaseFile::new();
    let n = add(&t, "Ana Reyes", "delete");
    let acked = json(&cli(
        &t,
        &[
            "ack",
            "--case",
            &n,
            "--on",
            "2026-11-04",
            "--channel",
            "postal-mail",
            "--json",
        ],
    ));
    assert_eq!(acked["clocks"]["acknowledgment"]["channel"], "postal-mail");
    assert_eq!(acked["case"]["status"], "acknowledged", "the status follows the act");
    refused(
        &cli(&t, &["ack", "--case", &n, "--on", "2026-11-05"]),
        "already confirmed",
    );
    refused(&cli(&t, &["ack", "--case", &n, "--on", "2026-13-45"]), "--on");

    refused(
        &cli(
            &t,
            &["extend", "--case", &n, "--on", "2026-12-20", "--reason", "Volume"],
        ),
        "Too late",
    );
    let out = ok(&cli(
        &t,
        &[
            "extend",
            "--case",
            &n,
            "--on",
            "2026-11-20",
            "--reason",
            "Records in two systems",
        ],
    ));
    assert!(out.contains("due by 2027-01-30"), "{out}");
    refused(
        &cli(&t, &["extend", "--case", &n, "--on", "2026-11-21", "--reason", "Again"]),
        "already has an extension",
    );

    let responded = json(&cli(&t, &["respond", "--case", &n, "--on", "2026-11-25", "--json"]));
    let respond = responded["clocks"]["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["deadline"]["clock"] == "respond_extended")
        .unwrap()
        .clone();
    assert_eq!(respond["state"], "met");
    refused(
        &cli(&t, &["respond", "--case", &n, "--on", "2026-11-26"]),
        "already recorded",
    );
    refused(
        &cli(&t, &["comply", "--case", &n, "--on", "2026-11-26"]),
        "no such clock",
    );

    let o = add(&t, "Bo Chen", "opt-out");
    assert!(ok(&cli(&t, &["comply", "--case", &o, "--on", "2026-11-06"])).contains("opt-out/limit honoured"));
}

#[test]
fn the_queue_is_a_page_with_filters_sort_and_search() {
    let t = TempCaseFile::new();
    for (name, kinds) in [
        ("Ana Reyes", "delete"),
        ("Bo Chen", "opt-out"),
        ("Cy Diaz", "know-categories"),
        ("Di Eze", "delete"),
    ] {
        add(&t, name, kinds);
    }
    let page = json(&cli(&t, &["queue", "--limit", "2", "--json"]));
    assert_eq!(page["rows"].as_array().unwrap().len(), 2, "a page, not the whole file");
    assert_eq!(page["has_more"], true);
    let next = json(&cli(&t, &["queue", "--limit", "2", "--offset", "2", "--json"]));
    assert_eq!(next["has_more"], false);
    let deletes = json(&cli(
        &t,
        &["queue", "--kind", "delete", "--sort", "requester", "--json"],
    ));
    let names: Vec<&str> = deletes["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["requester"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ana Reyes", "Di Eze"]);
    let found = json(&cli(&t, &["queue", "--open", "--search", "Chen", "--json"]));
    assert_eq!(found["rows"][0]["requester"], "Bo Chen");
    assert_eq!(found["rows"][0]["next"]["clock"], "comply");
    let by_number = json(&cli(
        &t,
        &["queue", "--search", "PR-2026-0000", "--sort", "number", "--json"],
    ));
    assert_eq!(
        by_number["rows"].as_array().unwrap().len(),
        4,
        "a case number's start, by index"
    );
    assert!(ok(&cli(&t, &["queue"])).contains("Ana Reyes"));
    refused(&cli(&t, &["queue", "--sort", "sideways"]), "sideways");
    refused(&cli(&t, &["queue", "--received-from", "11/01/2026"]), "--received-from");
    let board = json(&cli(&t, &["dashboard", "--json"]));
    assert!(board["today"].is_string());
}

const EML: &str = "From: =?UTF-8?Q?Jos=C3=A9_N=C3=BA=C3=B1ez?= <jose@example.com>\r\nTo: kp-hires@kp.org\r\nSubject: Delete my data\r\nMessage-ID: <a1@example.com>\r\nDate: Mon, 2 Nov 2026 09:05:00 -0800\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease delete everything you hold about me.\r\n";

#[test]
fn intake_email_logs_an_eml_and_each_message_of_an_mbox_once() {
    let t = TempCaseFile::new();
    let eml = t.dir.path().join("request.eml");
    std::fs::write(&eml, EML).unwrap();
    let out = ok(&cli(&t, &["intake", "email", eml.to_str().unwrap()]));
    assert!(out.contains("request.eml: logged as PR-2026-00001"), "{out}");
    let view = json(&cli(&t, &["case", "show", "--case", "PR-2026-00001", "--json"]));
    assert_eq!(view["case"]["requester"]["name"], "José Núñez");
    assert_eq!(view["case"]["channel"], "email");
    assert_eq!(view["case"]["kinds"], serde_json::json!(["delete"]));
    assert_eq!(view["case"]["received_date"], "2026-11-02");
    assert_eq!(view["files"][0]["media_type"], "message/rfc822");

    let mbox = t.dir.path().join("inbox.mbox");
    let second = "From: Ana <ana@example.com>\nSubject: Opt out\nMessage-ID: <b2@example.com>\nDate: Tue, 3 Nov 2026 10:00:00 -0800\n\nDo not sell my data.\n";
    let third = "From: Cy <cy@example.com>\nSubject: Hello\nMessage-ID: <c3@example.com>\n\nJust a question about my payslip.\n";
    std::fs::write(
        &mbox,
        format!(
            "From jose@example.com Mon Nov  2 09:05:00 2026\n{}\nFrom ana@example.com Tue Nov  3 10:00:00 2026\n{second}\nFrom cy@example.com Tue Nov  3 11:00:00 2026\n{third}",
            EML.replace("\r\n", "\n")
        ),
    )
    .unwrap();
    let out = cli(&t, &["intake", "email", mbox.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(2), "one email could not be logged");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["result"]["outcome"], "already-logged");
    assert_eq!(rows[0]["result"]["number"], "PR-2026-00001");
    assert_eq!(rows[1]["result"]["outcome"], "logged");
    assert_eq!(rows[2]["result"]["outcome"], "refused", "names no kind of request");
    let with_kinds = ok(&cli(
        &t,
        &["intake", "email", mbox.to_str().unwrap(), "--kinds", "know-categories"],
    ));
    assert!(with_kinds.contains("#3: logged as"), "{with_kinds}");
    assert!(with_kinds.contains("#2: skipped, already logged"), "{with_kinds}");
    refused(&cli(&t, &["intake", "email", "/nonexistent.eml"]), "cannot be read");
}

/// `letters batch`: `--out` is opened before the first letter is archived (a path that cannot
/// be written archives nothing), the printer PDF is complete and valid, and a batch with
/// nothing due writes no file.
#[test]
fn a_letters_batch_opens_its_out_file_before_archiving_and_writes_a_valid_pdf() {
    let t = TempCaseFile::new();
    let first = add(&t, "Ana Reyes", "delete");
    let second = add(&t, "José Núñez", "know-categories");
    let pdf = t.dir.path().join("refused.pdf");
    let unready = cli(
        &t,
        &[
            "letters",
            "batch",
            "--kind",
            "acknowledgment",
            "--due-before",
            "2026-12-31",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    refused(&unready, "Settings › Organisation profile");
    assert!(!pdf.exists(), "a refused batch leaves no file");
    ready_for_letters(&t);
    let batch = |out: &str| {
        cli(
            &t,
            &[
                "letters",
                "batch",
                "--kind",
                "acknowledgment",
                "--due-before",
                "2026-12-31",
                "--out",
                out,
            ],
        )
    };
    let before = (events(&t, &first), events(&t, &second));
    let refused = batch("/nonexistent/dir/batch.pdf");
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("/nonexistent/dir/batch.pdf cannot be written"),
        "{refused:?}"
    );
    assert_eq!((events(&t, &first), events(&t, &second)), before, "nothing archived");

    let pdf = t.dir.path().join("batch.pdf");
    let text = ok(&batch(pdf.to_str().unwrap()));
    assert!(
        text.contains("2 acknowledgment of receipt letters (4 pages) written to"),
        "{text}"
    );
    crate::support::tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let printed = crate::support::tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(printed.contains(&first) && printed.contains("José Núñez"), "{printed}");
    for n in [&first, &second] {
        let view = json(&cli(&t, &["case", "show", "--case", n, "--json"]));
        assert_eq!(view["letters"].as_array().unwrap().len(), 1, "{n} archived once");
    }

    let again = t.dir.path().join("again.pdf");
    let text = ok(&batch(again.to_str().unwrap()));
    assert!(text.contains("no acknowledgment of receipt letters due"), "{text}");
    assert!(!again.exists(), "no empty PDF is written");
}

#[test]
fn letters_write_their_out_file_before_anything_is_archived() {
    let t = TempCaseFile::new();
    let n = add(&t, "Ana Reyes", "delete");
    ready_for_letters(&t);
    let before = events(&t, &n);
    let out = cli(
        &t,
        &[
            "letter",
            "--case",
            &n,
            "--kind",
            "acknowledgment",
            "--out",
            "/nonexistent/dir/ack.pdf",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        events(&t, &n),
        before,
        "a letter that could not be written is not archived"
    );
    let pdf = t.dir.path().join("ack.pdf");
    let text = ok(&cli(
        &t,
        &[
            "letter",
            "--case",
            &n,
            "--kind",
            "acknowledgment",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    assert!(text.contains("written to") && pdf.exists(), "{text}");
    let view = json(&cli(&t, &["case", "show", "--case", &n, "--json"]));
    let id = view["letters"][0]["id"].as_i64().unwrap().to_string();
    let copy = t.dir.path().join("copy.pdf");
    ok(&cli(
        &t,
        &["letters", "copy", "--letter", &id, "--out", copy.to_str().unwrap()],
    ));
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&pdf).unwrap(),
        "the archived bytes"
    );
    // The letter was produced today (the CLI's clock is the real one).
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .date_naive()
        .to_string();
    refused(
        &cli(
            &t,
            &[
                "letters",
                "mail",
                "--letter",
                &id,
                "--on",
                &today,
                "--method",
                "certified",
            ],
        ),
        "tracking",
    );
    ok(&cli(&t, &["letters", "mail", "--letter", &id, "--on", &today]));
    refused(
        &cli(&t, &["letters", "mail", "--letter", &id, "--on", &today]),
        "already marked as mailed",
    );
    let view = json(&cli(&t, &["case", "show", "--case", &n, "--json"]));
    assert_eq!(view["letters"][0]["mail_method"], "first-class");
    assert_eq!(
        view["clocks"]["acknowledgment"]["on"],
        today.as_str(),
        "mailing it confirmed receipt"
    );
    refused(
        &cli(&t, &["letter", "--case", &n, "--kind", "shouting", "--out", "x.pdf"]),
        "shouting",
    );

    // Templates: show, save a checked edit, reset.
    let shipped = ok(&cli(&t, &["letters", "template", "--kind", "general", "--lang", "es"]));
    assert!(shipped.contains("Estimado/a"), "{shipped}");
    let edit = t.dir.path().join("general.txt");
    std::fs::write(&edit, "Hello {{ recipient.nam }}").unwrap();
    refused(
        &cli(
            &t,
            &[
                "letters",
                "template",
                "--kind",
                "general",
                "--lang",
                "en",
                "--set",
                edit.to_str().unwrap(),
            ],
        ),
        "recipient.nam",
    );
    std::fs::write(&edit, "Hello {{ recipient.name }},\n\n{{ body }}").unwrap();
    assert!(ok(&cli(
        &t,
        &[
            "letters",
            "template",
            "--kind",
            "general",
            "--lang",
            "en",
            "--set",
            edit.to_str().unwrap()
        ]
    ))
    .contains("version 1"));
    assert!(ok(&cli(
        &t,
        &["letters", "template", "--kind", "general", "--lang", "en", "--reset"]
    ))
    .contains("shipped text"));
    let log = json(&cli(&t, &["audit", "log", "--json"]));
    assert_eq!(log[0]["action"], "template.saved");
}

#[test]
fn settings_staff_holidays_and_the_audit_log() {
    let t = TempCaseFile::new();
    let shown = json(&cli(&t, &["settings", "show", "--json"]));
    assert_eq!(
        shown["calendar"], "weekends",
        "a new case file takes the conservative calendar"
    );
    let set = json(&cli(
        &t,
        &[
            "settings",
            "set",
            "--calendar",
            "ca-state",
            "--add-closure",
            "2026-12-24",
            "--json",
        ],
    ));
    assert_eq!(set["calendar"], "ca-state");
    assert_eq!(set["closures"], serde_json::json!(["2026-12-24"]));
    refused(&cli(&t, &["settings", "set", "--calendar", "lunar"]), "lunar");
    let holidays = json(&cli(&t, &["holidays", "--year", "2026", "--json"]));
    assert!(holidays
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["name"] == "Cesar Chavez Day"));
    refused(&cli(&t, &["holidays", "--year", "1800"]), "between 2000 and 2100");
    ok(&cli(&t, &["staff", "name", "Dana Whitfield"]));
    let log = json(&cli(&t, &["audit", "log", "--json"]));
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["staff.named", "settings.changed"]);
    let verified = json(&cli(&t, &["audit", "verify", "--json"]));
    assert_eq!(verified["intact"], true);
}

#[test]
fn the_demo_refuses_a_case_file_with_real_cases_and_absurd_counts() {
    let t = TempCaseFile::new();
    ok(&cli(&t, &["demo", "--cases", "20"]));
    ok(&cli(&t, &["demo", "--cases", "5"]));
    add(&t, "Ana Reyes", "delete");
    refused(&cli(&t, &["demo", "--cases", "5"]), "real cases");
    refused(&cli(&t, &["demo", "--cases", "18446744073709551615"]), "At most");
}

#[test]
fn a_closed_pipe_ends_a_listing_quietly() {
    let t = TempCaseFile::new();
    ok(&cli(&t, &["demo", "--cases", "300"]));
    let mut child = Command::new(env!("CARGO_BIN_EXE_privacydesk"))
        .arg("--db")
        .arg(t.db())
        .arg("--key-file")
        .arg(t.dir.path().join("case.key"))
        .args(["case", "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(status.success(), "{status:?}: {err}");
}

#[test]
fn control_characters_from_data_never_reach_the_terminal() {
    let t = TempCaseFile::new();
    let csv = t.dir.path().join("rows.csv");
    std::fs::write(
        &csv,
        "name,email,kinds,channel,received\n\"Evil\u{1b}]0;pwned\u{7}\",bad@example.com,delete,email,2026-11-02\n",
    )
    .unwrap();
    let out = cli(&t, &["import", csv.to_str().unwrap(), "--yes"]);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!printed.contains('\u{1b}') && !printed.contains('\u{7}'), "{printed:?}");
}

/// The commands a `--help` lists (the names under "Commands:", without `help`).
fn subcommands(args: &[&str]) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_privacydesk"))
        .args(args)
        .arg("--help")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|name| name != "help")
        .collect()
}

/// The README's command-line section names every command the CLI has, so that nobody has to
/// read `--help` to find one.
#[test]
fn the_readme_lists_every_command() {
    let readme = std::fs::read_to_string(crate::support::manifest_dir().join("README.md")).unwrap();
    let section = readme
        .split("## Command line")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a command-line section");
    let commands = subcommands(&[]);
    assert!(
        commands.len() >= 15 && commands.contains(&"letters".to_owned()),
        "{commands:?}"
    );
    let mut missing = Vec::new();
    for command in commands {
        let nested = subcommands(&[&command]);
        let names: Vec<String> = if nested.is_empty() {
            vec![command.clone()]
        } else {
            nested.iter().map(|sub| format!("{command} {sub}")).collect()
        };
        for name in names {
            if !section.contains(&format!("`{name} ")) && !section.contains(&format!("`{name}`")) {
                missing.push(name);
            }
        }
    }
    assert!(missing.is_empty(), "not in the README: {missing:?}");
}

#[test]
fn verify_follows_its_contract_and_refuses_verified_while_the_policy_is_not_met() {
    let t = TempCaseFile::new();
    let number = add(&t, "Ana Reyes", "know-specific");
    let n = number.as_str();
    let shown = json(&cli(&t, &["verify", "show", "--case", n, "--json"]));
    assert_eq!(shown["kinds"][0]["outcome"], "pending");
    assert_eq!(shown["kinds"][0]["requirement"]["data_points"], 3);
    ok(&cli(
        &t,
        &[
            "verify",
            "point",
            "--case",
            n,
            "--field",
            "employee-id",
            "--given",
            "E-55-A",
            "--result",
            "matched",
        ],
    ));
    refused(
        &cli(
            &t,
            &[
                "verify",
                "point",
                "--case",
                n,
                "--field",
                "employee-id",
                "--given",
                "x",
                "--result",
                "maybe",
            ],
        ),
        "matched, not-matched or not-held",
    );
    // Two of three points, no declaration: exit 2 with what is missing.
    ok(&cli(
        &t,
        &[
            "verify",
            "point",
            "--case",
            n,
            "--field",
            "hire-date",
            "--given",
            "2019-05-01",
            "--result",
            "matched",
        ],
    ));
    refused(
        &cli(
            &t,
            &[
                "verify",
                "conclude",
                "--case",
                n,
                "--kind",
                "know-specific",
                "--outcome",
                "verified",
            ],
        ),
        "1 more matched data point",
    );
    ok(&cli(
        &t,
        &[
            "verify",
            "point",
            "--case",
            n,
            "--field",
            "job-title",
            "--given",
            "Nurse",
            "--result",
            "matched",
        ],
    ));
    ok(&cli(
        &t,
        &["verify", "declaration", "--case", n, "--received-on", "2026-11-09"],
    ));
    refused(
        &cli(&t, &["verify", "agent", "--case", n, "--evidence", "signed-permission"]),
        "not made by an authorised agent",
    );
    ok(&cli(
        &t,
        &[
            "verify",
            "conclude",
            "--case",
            n,
            "--kind",
            "know-specific",
            "--outcome",
            "verified",
        ],
    ));
    refused(&cli(&t, &["verify", "purge", "--case", n]), "not been answered yet");
    ok(&cli(&t, &["respond", "--case", n, "--on", "2026-11-20"]));
    ok(&cli(&t, &["verify", "purge", "--case", n]));
    let shown = json(&cli(&t, &["verify", "show", "--case", n, "--json"]));
    assert_eq!(shown["kinds"][0]["outcome"], "verified");
    let points = shown["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    assert!(
        points.iter().all(|p| p["given"].is_null() && p["result"] == "matched"),
        "{points:?}"
    );
    assert!(!shown.to_string().contains("E-55-A"), "no value after the purge");
    assert!(shown["purged_at"].is_string());
}

#[test]
fn verify_reference_load_keeps_the_extract_as_hashes_and_names_a_bad_line() {
    let t = TempCaseFile::new();
    let csv = t.dir.path().join("hr.csv");
    std::fs::write(
        &csv,
        "person,employee-id,date-of-birth\nHR-1,E-40411,1981-03-04\nHR-2,E-93517,\n",
    )
    .unwrap();
    let loaded = json(&cli(
        &t,
        &["verify", "reference", "load", csv.to_str().unwrap(), "--json"],
    ));
    assert_eq!(loaded["records"], 2);
    assert_eq!(loaded["fields"], serde_json::json!(["employee-id", "date-of-birth"]));
    let shown = ok(&cli(&t, &["verify", "reference", "show"]));
    assert!(
        shown.starts_with("extract\t2 records\temployee-id,date-of-birth"),
        "{shown}"
    );

    // A point given is compared with the extract: `verify show` says what it found.
    let n = add(&t, "Ana Reyes", "delete");
    ok(&cli(
        &t,
        &[
            "verify",
            "point",
            "--case",
            &n,
            "--field",
            "date-of-birth",
            "--given",
            "03/04/1981",
            "--result",
            "matched",
        ],
    ));
    let view = json(&cli(&t, &["verify", "show", "--case", &n, "--json"]));
    assert_eq!(view["points"][0]["reference"]["result"], "matched");

    let bad = t.dir.path().join("bad.csv");
    std::fs::write(&bad, "person,employee-id\nHR-1,E-1\nHR-1,E-2\n").unwrap();
    refused(
        &cli(&t, &["verify", "reference", "load", bad.to_str().unwrap()]),
        "Line 3: this identifier comes earlier in the file too",
    );
    let shown = json(&cli(&t, &["verify", "reference", "show", "--json"]));
    assert_eq!(shown["records"], 2, "a refused extract changes nothing");
}

#[test]
fn the_unable_to_verify_letter_answers_a_failed_deletion_and_denies_the_case() {
    let t = TempCaseFile::new();
    let n = add(&t, "Ana Reyes", "delete");
    ready_for_letters(&t);
    let pdf = t.dir.path().join("unable.pdf");
    let early = cli(
        &t,
        &[
            "letter",
            "--case",
            &n,
            "--kind",
            "unable-to-verify",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    refused(&early, "conclude the verification as failed first");
    ok(&cli(
        &t,
        &[
            "verify",
            "conclude",
            "--case",
            &n,
            "--kind",
            "delete",
            "--outcome",
            "failed",
            "--reason",
            "No reply to our request for details",
        ],
    ));
    ok(&cli(
        &t,
        &[
            "letter",
            "--case",
            &n,
            "--kind",
            "unable-to-verify",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    let text = crate::support::tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("§ 7022(a)"), "{text}");
    let view = json(&cli(&t, &["case", "show", "--case", &n, "--json"]));
    assert_eq!(view["case"]["status"], "denied");
    let shown = json(&cli(&t, &["verify", "show", "--case", &n, "--json"]));
    assert_eq!(shown["kinds"][0]["outcome"], "failed");
    assert!(shown["kinds"][0]["answer"]["letter"].is_number(), "{shown}");
}

#[test]
fn exemptions_decide_decisions_and_respond_by_kind_follow_their_contract() {
    let t = TempCaseFile::new();
    let list = json(&cli(&t, &["exemptions", "list", "--json"]));
    let entries = list["entries"].as_array().unwrap();
    assert!(entries
        .iter()
        .all(|e| e["code"].is_string() && e["citation"].is_string() && e["kinds"].is_array()));
    assert_eq!(
        entries
            .iter()
            .filter(|e| e["citation"].as_str().unwrap().starts_with("Civ. Code § 1798.105(d)"))
            .count(),
        8
    );
    let n = add(&t, "Ana Reyes", "delete");
    refused(
        &cli(
            &t,
            &[
                "decide",
                "--case",
                &n,
                "--kind",
                "delete",
                "--category",
                "identifiers",
                "--outcome",
                "retained",
            ],
        ),
        "on which basis",
    );
    refused(
        &cli(
            &t,
            &[
                "decide",
                "--case",
                &n,
                "--kind",
                "delete",
                "--category",
                "identifiers",
                "--outcome",
                "kept",
            ],
        ),
        "--outcome \"kept\"",
    );
    ok(&cli(
        &t,
        &[
            "decide",
            "--case",
            &n,
            "--kind",
            "delete",
            "--category",
            "financial-and-insurance",
            "--outcome",
            "retained",
            "--basis",
            "105d8-legal-obligation",
            "--record-type",
            "wage-statements",
        ],
    ));
    let m = json(&cli(&t, &["decisions", "--case", &n, "--json"]));
    assert_eq!(m["decisions"][0]["record_type"], "wage-statements");
    assert_eq!(m["decisions"][0]["until"]["type"], "date");
    assert_eq!(m["kinds"][0]["missing"].as_array().unwrap().len(), 6);
    refused(
        &cli(
            &t,
            &[
                "respond",
                "--case",
                &n,
                "--on",
                "2026-11-20",
                "--kind",
                "delete",
                "--outcome",
                "denied",
            ],
        ),
        "Say why it was denied",
    );
    ok(&cli(
        &t,
        &[
            "respond",
            "--case",
            &n,
            "--on",
            "2026-11-20",
            "--kind",
            "delete",
            "--outcome",
            "complied-in-part",
        ],
    ));
    let view = json(&cli(&t, &["case", "show", "--case", &n, "--json"]));
    assert_eq!(view["case"]["status"], "responded");
}

#[test]
fn the_specific_pieces_are_exported_as_json_or_csv_without_a_section_7024d_value() {
    let t = TempCaseFile::new();
    let n = add(&t, "Ana Reyes", "know-specific");
    ready_for_letters(&t);
    for (field, value) in [
        ("employee-id", "E-1"),
        ("hire-date", "2019-05-01"),
        ("job-title", "Nurse"),
    ] {
        ok(&cli(
            &t,
            &[
                "verify", "point", "--case", &n, "--field", field, "--given", value, "--result", "matched",
            ],
        ));
    }
    ok(&cli(
        &t,
        &["verify", "declaration", "--case", &n, "--received-on", "2026-11-09"],
    ));
    ok(&cli(
        &t,
        &[
            "verify",
            "conclude",
            "--case",
            &n,
            "--kind",
            "know-specific",
            "--outcome",
            "verified",
        ],
    ));
    ok(&cli(
        &t,
        &[
            "items",
            "add",
            "--case",
            &n,
            "--category",
            "education-and-employment",
            "--label",
            "Hire date",
            "--value",
            "2019-05-01",
        ],
    ));
    ok(&cli(
        &t,
        &[
            "items",
            "add",
            "--case",
            &n,
            "--category",
            "identifiers",
            "--label",
            "Social Security number",
            "--value",
            "123-45-6789",
        ],
    ));
    ok(&cli(
        &t,
        &[
            "items",
            "add",
            "--case",
            &n,
            "--category",
            "education-and-employment",
            "--label",
            "Note",
            "--value",
            "=HYPERLINK(\"x\")",
        ],
    ));
    let listed = ok(&cli(&t, &["items", "list", "--case", &n]));
    assert!(
        listed.contains("collected — not shown") && !listed.contains("6789"),
        "{listed}"
    );
    for (category, outcome) in [
        ("name", "none-held"),
        ("contact", "none-held"),
        ("identifiers", "specific-provided"),
        ("financial-and-insurance", "none-held"),
        ("screening-and-workers-comp", "none-held"),
        ("education-and-employment", "specific-provided"),
        ("browsing", "specific-provided"),
    ] {
        ok(&cli(
            &t,
            &[
                "decide",
                "--case",
                &n,
                "--kind",
                "know-specific",
                "--category",
                category,
                "--outcome",
                outcome,
            ],
        ));
    }
    let pdf = t.dir.path().join("specific.pdf");
    let csv = t.dir.path().join("pieces.csv");
    refused(
        &cli(
            &t,
            &[
                "letter",
                "--case",
                &n,
                "--kind",
                "know-specific-response",
                "--out",
                pdf.to_str().unwrap(),
                "--export-out",
                csv.to_str().unwrap(),
            ],
        ),
        "Add the specific pieces for browsing",
    );
    ok(&cli(
        &t,
        &[
            "decide",
            "--case",
            &n,
            "--kind",
            "know-specific",
            "--category",
            "browsing",
            "--outcome",
            "none-held",
        ],
    ));
    ok(&cli(
        &t,
        &[
            "letter",
            "--case",
            &n,
            "--kind",
            "know-specific-response",
            "--out",
            pdf.to_str().unwrap(),
            "--export-out",
            csv.to_str().unwrap(),
        ],
    ));
    let exported = std::fs::read_to_string(&csv).unwrap();
    assert!(exported.starts_with("category,category_name,item,value"), "{exported}");
    assert!(exported.contains("Hire date,2019-05-01"), "{exported}");
    assert!(
        exported.contains("collected — not shown") && !exported.contains("6789"),
        "{exported}"
    );
    assert!(exported.contains("'=HYPERLINK"), "a formula is neutralised: {exported}");
    let text = crate::support::tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("JSON and CSV") && !text.contains("6789"), "{text}");
    let view = json(&cli(&t, &["case", "show", "--case", &n, "--json"]));
    let files: Vec<String> = view["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with("specific pieces.json"))
            && files.iter().any(|f| f.ends_with("specific pieces.csv")),
        "the export is kept with the case: {files:?}"
    );
    assert_eq!(view["case"]["status"], "responded");
}

/// A case logged on a given day through a given channel.
fn add_received(t: &TempCaseFile, name: &str, kinds: &str, received: &str, channel: &str) -> String {
    ok(&cli(
        t,
        &[
            "case",
            "add",
            "--name",
            name,
            "--kinds",
            kinds,
            "--channel",
            channel,
            "--received",
            received,
            "--email",
            "person@example.com",
        ],
    ))
    .trim()
    .to_owned()
}

fn respond_kind(t: &TempCaseFile, number: &str, kind: &str, on: &str, outcome: &[&str]) {
    let mut args = vec!["respond", "--case", number, "--on", on, "--kind", kind, "--outcome"];
    args.extend_from_slice(outcome);
    ok(&cli(t, &args));
}

#[test]
fn report_metrics_match_a_hand_count_of_a_scripted_year_section_7102() {
    let t = TempCaseFile::new();
    let a = add_received(&t, "Ana", "delete", "2026-01-05", "email");
    respond_kind(&t, &a, "delete", "2026-01-15", &["complied"]); // 10 days
    let b = add_received(&t, "Ben", "delete", "2026-02-02", "phone");
    respond_kind(&t, &b, "delete", "2026-03-04", &["complied-in-part"]); // 30
    let c = add_received(&t, "Cy", "delete", "2026-03-02", "web-form");
    respond_kind(
        &t,
        &c,
        "delete",
        "2026-03-22",
        &[
            "denied",
            "--denial-reason",
            "exempt",
            "--basis",
            "105d8-legal-obligation",
        ],
    ); // 20
       // Extended, then answered in two parts: the deletion denied as unverifiable after 45
       // days, the request to know after 80 (within the 90 the extension allows).
    let d = add_received(&t, "Di", "delete,know-categories", "2026-04-01", "postal-mail");
    ok(&cli(
        &t,
        &[
            "extend",
            "--case",
            &d,
            "--on",
            "2026-04-20",
            "--reason",
            "Records held by three separate systems",
        ],
    ));
    respond_kind(
        &t,
        &d,
        "delete",
        "2026-05-16",
        &["denied", "--denial-reason", "unverifiable"],
    );
    respond_kind(&t, &d, "know-categories", "2026-06-20", &["complied"]);
    // Answered late: 61 days, no extension.
    let i = add_received(&t, "Ivo", "delete", "2026-05-01", "phone");
    respond_kind(&t, &i, "delete", "2026-07-01", &["complied"]);
    let e = add_received(&t, "Ed", "opt-out", "2026-06-01", "email");
    respond_kind(&t, &e, "opt-out", "2026-06-05", &["complied"]); // 4
    add_received(&t, "Fay", "correct", "2026-07-01", "email"); // never answered: overdue
    let h = add_received(&t, "Hal", "limit", "2026-08-03", "email");
    respond_kind(&t, &h, "limit", "2026-08-04", &["denied", "--denial-reason", "other"]);
    add_received(&t, "Gus", "know-specific", "2025-12-30", "email"); // another year

    let m = json(&cli(&t, &["report", "metrics", "--year", "2026", "--format", "json"]));
    let kind = |k: &str| {
        m["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["kind"] == k)
            .unwrap()
            .clone()
    };
    let delete = kind("delete");
    assert_eq!(delete["received"], 5);
    assert_eq!(delete["complied_in_whole_or_part"], 3);
    assert_eq!(delete["denied"], 2);
    assert_eq!(delete["denied_by_reason"]["exempt"], 1);
    assert_eq!(delete["denied_by_reason"]["unverifiable"], 1);
    assert_eq!(delete["denied_by_reason"]["other"], 0);
    // 10, 20, 30, 45, 61 days: median 30, mean 33.2.
    assert_eq!(delete["median_days"], 30.0);
    assert_eq!(delete["mean_days"], 33.2);
    let know = kind("know");
    assert_eq!(
        (know["received"].as_u64(), know["median_days"].as_f64()),
        (Some(1), Some(80.0))
    );
    assert_eq!(kind("correct")["pending"], 1);
    assert_eq!(kind("opt-out")["median_days"], 4.0);
    assert_eq!(kind("limit")["denied_by_reason"]["other"], 1);
    assert_eq!(
        m["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .sum::<u64>(),
        8
    );
    // The response clock: four met (the extended one within its 90 days), Ivo's late, Fay's
    // overdue: 4 of 6 on time.
    let respond = m["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clock"] == "respond")
        .unwrap();
    assert_eq!(
        (
            respond["on_time"].as_u64(),
            respond["late"].as_u64(),
            respond["overdue"].as_u64()
        ),
        (Some(4), Some(1), Some(1))
    );
    assert_eq!(respond["on_time_share"], 0.667);

    // The CSV and the PDF say the same, to the digit.
    let csv = ok(&cli(&t, &["report", "metrics", "--year", "2026", "--format", "csv"]));
    assert!(
        csv.lines()
            .any(|l| l == "2026,covered,delete,5,3,1,2,1,0,1,0,0,0,0,30.0,33.2"),
        "{csv}"
    );
    let pdf = t.dir.path().join("metrics.pdf");
    ok(&cli(
        &t,
        &[
            "report",
            "metrics",
            "--year",
            "2026",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    crate::support::tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let fonts = crate::support::tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(fonts.contains("DejaVuSans") && !fonts.contains(" no "), "{fonts}");
    let text = crate::support::tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    for said in [
        "11 CCR § 7102",
        "To delete",
        "30.0",
        "33.2",
        "1 unverifiable",
        "Clocks met on time",
        "66.7% on time (4 of 6)",
    ] {
        assert!(text.contains(said), "{said:?} in {text}");
    }
    refused(
        &cli(&t, &["report", "metrics", "--year", "2026", "--format", "pdf"]),
        "--out",
    );
    refused(&cli(&t, &["report", "metrics", "--year", "1999"]), "from 2020");
}

#[test]
fn report_records_holds_the_section_7101b_fields_and_no_name_unless_asked() {
    let t = TempCaseFile::new();
    let a = add_received(&t, "=HYPERLINK(\"http://x\")", "delete,opt-out", "2026-03-02", "phone");
    respond_kind(&t, &a, "opt-out", "2026-03-05", &["complied"]);
    respond_kind(
        &t,
        &a,
        "delete",
        "2026-03-30",
        &["denied", "--denial-reason", "exempt", "--basis", "145a1E-legal-claims"],
    );
    add_received(&t, "Bo", "correct", "2026-04-01", "email");
    add_received(&t, "Out", "correct", "2025-04-01", "email");
    let out = t.dir.path().join("log.csv");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "report",
            "records",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--out",
            out.to_str().unwrap(),
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        v.extend(extra.iter().map(|s| (*s).to_owned()));
        v
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        ok(&cli(&t, &a.iter().map(String::as_str).collect::<Vec<_>>()))
    };
    assert!(run(&["--format", "csv"]).contains("records of 2 cases"));
    let csv = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "case,received_on,request,channel,kind,response,responded_on,denial_reason,basis"
    );
    assert!(
        lines.contains(
            &"PR-2026-00001,2026-03-02,delete opt-out,phone,delete,denied,2026-03-30,exempt,145a1E-legal-claims"
        ),
        "{csv}"
    );
    assert!(
        lines.contains(&"PR-2026-00001,2026-03-02,delete opt-out,phone,opt-out,complied,2026-03-05,,"),
        "{csv}"
    );
    assert!(
        lines.contains(&"PR-2026-00002,2026-04-01,correct,email,correct,pending,,,"),
        "{csv}"
    );
    assert!(
        !csv.contains("HYPERLINK") && !csv.contains("2025-04-01"),
        "no name, nothing outside the range: {csv}"
    );
    // With names: a name a spreadsheet would run as a formula is neutralised.
    run(&["--format", "csv", "--with-names"]);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    let json_out = t.dir.path().join("log.json");
    let a = [
        "report",
        "records",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "json",
        "--out",
        json_out.to_str().unwrap(),
    ];
    ok(&cli(&t, &a));
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_out).unwrap()).unwrap();
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert_eq!(log[0]["name"], serde_json::Value::Null);
    let pdf = t.dir.path().join("log.pdf");
    let a = [
        "report",
        "records",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "pdf",
        "--out",
        pdf.to_str().unwrap(),
    ];
    ok(&cli(&t, &a));
    crate::support::tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let text = crate::support::tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(
        text.contains("11 CCR § 7101") && text.contains("PR-2026-00002"),
        "{text}"
    );
    refused(
        &cli(
            &t,
            &[
                "report",
                "records",
                "--from",
                "2026-12-31",
                "--to",
                "2026-01-01",
                "--format",
                "csv",
                "--out",
                out.to_str().unwrap(),
            ],
        ),
        "after",
    );
}

#[test]
fn retention_run_lists_on_a_dry_run_and_refuses_a_day_inside_the_24_months_section_7101a() {
    let t = TempCaseFile::new();
    let a = add_received(&t, "Ana", "delete", "2026-01-05", "email");
    ok(&cli(
        &t,
        &[
            "case",
            "move",
            "--case",
            &a,
            "--to",
            "withdrawn",
            "--reason",
            "The person withdrew it",
        ],
    ));
    let plan = json(&cli(&t, &["retention", "run", "--dry-run", "--json"]));
    assert_eq!(plan["dry_run"], true);
    // Withdrawn today: its 24 months have not run.
    assert_eq!(plan["cases"].as_array().unwrap().len(), 0);
    let today = chrono::Utc::now().date_naive();
    refused(
        &cli(&t, &["retention", "run", "--before", &today.to_string(), "--json"]),
        "24 months",
    );
    let run = json(&cli(&t, &["retention", "run", "--json"]));
    assert_eq!(
        (run["dry_run"].as_bool(), run["cases"].as_array().map(Vec::len)),
        (Some(false), Some(0))
    );
    assert_eq!(
        json(&cli(&t, &["case", "show", "--case", &a, "--json"]))["case"]["requester"]["name"],
        "Ana"
    );
}

#[test]
fn report_dossier_prints_one_case_or_a_selection_and_refuses_an_unknown_case() {
    let t = TempCaseFile::new();
    let a = add_received(&t, "Ana", "delete", "2026-03-02", "email");
    let b = add_received(&t, "Bo", "correct", "2026-03-03", "phone");
    let out = t.dir.path().join("dossier.pdf");
    let path = out.to_str().unwrap();
    assert_eq!(
        ok(&cli(&t, &["report", "dossier", "--case", &a, "--out", path])).trim(),
        format!("dossier of {a} written to {path}")
    );
    let text = crate::support::tool("pdftotext", &[path, "-"]);
    assert!(
        text.contains(&format!("Case dossier {a}")) && !text.contains(&b),
        "{text}"
    );
    assert_eq!(
        ok(&cli(
            &t,
            &["report", "dossier", "--case", &a, "--case", &b, "--case", &a, "--out", path]
        ))
        .trim(),
        format!("dossier of 2 cases written to {path}")
    );
    crate::support::tool("qpdf", &["--check", path]);
    let text = crate::support::tool("pdftotext", &[path, "-"]);
    assert!(
        text.contains("Case dossiers of 2 cases") && text.contains(&format!("Case dossier {b}")),
        "{text}"
    );
    let before = std::fs::read(&out).unwrap();
    refused(
        &cli(
            &t,
            &[
                "report",
                "dossier",
                "--case",
                &a,
                "--case",
                "PR-2026-09999",
                "--out",
                path,
            ],
        ),
        "PR-2026-09999",
    );
    assert_eq!(std::fs::read(&out).unwrap(), before, "a refused dossier writes nothing");
    refused(&cli(&t, &["report", "dossier", "--out", path]), "--case");
}

/// The backup, restore and key commands as scripts call them (the exact contract of issue 15).
#[test]
fn backup_restore_and_the_key_commands_keep_their_contract() {
    let t = TempCaseFile::new();
    let a = add_received(&t, "Ana", "delete", "2026-03-02", "email");
    let dir = t.dir.path();
    let pass = dir.join("pass.txt");
    std::fs::write(&pass, "correct horse battery staple\n").unwrap();
    let out = dir.join("b.pdbk");
    let said = ok(&cli(
        &t,
        &[
            "backup",
            "--out",
            out.to_str().unwrap(),
            "--passphrase-file",
            pass.to_str().unwrap(),
        ],
    ));
    assert!(
        said.starts_with(&format!("backup written to {}: 1 cases", out.display())),
        "{said}"
    );

    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_privacydesk"))
            .args(args)
            .output()
            .unwrap()
    };
    let new_db = dir.join("elsewhere/p.db");
    let new_key = dir.join("elsewhere/p.key");
    let restore = |extra: &[&str]| {
        let mut args = vec![
            "restore",
            out.to_str().unwrap(),
            "--passphrase-file",
            pass.to_str().unwrap(),
            "--db",
            new_db.to_str().unwrap(),
            "--key-file",
            new_key.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    assert!(ok(&restore(&[])).starts_with("restored "));
    let shown = ok(&run(&[
        "--db",
        new_db.to_str().unwrap(),
        "--key-file",
        new_key.to_str().unwrap(),
        "case",
        "show",
        "--case",
        &a,
    ]));
    assert!(shown.contains("Ana"), "{shown}");
    refused(&restore(&[]), "--replace");
    let replaced = restore(&["--replace"]);
    assert!(String::from_utf8_lossy(&replaced.stderr).contains("set aside: "));
    ok(&replaced);

    // A wrong passphrase: one line, exit 2.
    let wrong = dir.join("wrong.txt");
    std::fs::write(&wrong, "wrong horse battery staple\n").unwrap();
    refused(
        &run(&[
            "restore",
            out.to_str().unwrap(),
            "--passphrase-file",
            wrong.to_str().unwrap(),
            "--db",
            dir.join("z.db").to_str().unwrap(),
            "--key-file",
            dir.join("z.key").to_str().unwrap(),
        ]),
        "passphrase does not open",
    );
    assert!(!dir.join("z.db").exists() && !dir.join("z.key").exists());

    // Rotation: the key file changes, the file still opens, the old key no longer does.
    let key = dir.join("case.key");
    let before = std::fs::read(&key).unwrap();
    assert!(ok(&cli(&t, &["key", "rotate"])).starts_with("key of "));
    assert_ne!(std::fs::read(&key).unwrap(), before);
    assert!(ok(&cli(&t, &["audit", "verify"])).starts_with("audit log intact"));

    // Export, then import on "another machine".
    let export = dir.join("k.export");
    ok(&cli(
        &t,
        &[
            "key",
            "export",
            "--out",
            export.to_str().unwrap(),
            "--passphrase-file",
            pass.to_str().unwrap(),
        ],
    ));
    let imported = dir.join("imported.key");
    let import = || {
        run(&[
            "key",
            "import",
            export.to_str().unwrap(),
            "--passphrase-file",
            pass.to_str().unwrap(),
            "--key-file",
            imported.to_str().unwrap(),
        ])
    };
    ok(&import());
    assert_eq!(std::fs::read(&imported).unwrap(), std::fs::read(&key).unwrap());
    // Never over an existing key file.
    refused(&import(), "never overwritten");
    // A passphrase too short for a new backup.
    let short = dir.join("short.txt");
    std::fs::write(&short, "hunter2\n").unwrap();
    refused(
        &cli(
            &t,
            &[
                "backup",
                "--out",
                dir.join("s.pdbk").to_str().unwrap(),
                "--passphrase-file",
                short.to_str().unwrap(),
            ],
        ),
        "shorter than 12",
    );
    assert!(!dir.join("s.pdbk").exists());
}

#[test]
fn a_mistyped_db_beside_an_existing_key_file_is_refused_and_a_readable_key_file_is_warned_of() {
    let t = TempCaseFile::new();
    add_received(&t, "Ana", "delete", "2026-03-02", "email");
    let key = t.dir.path().join("case.key");
    let typo = t.dir.path().join("privacydsk.db");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_privacydesk"))
            .arg("--db")
            .arg(&typo)
            .arg("--key-file")
            .arg(&key)
            .args(extra)
            .output()
            .unwrap()
    };
    refused(&run(&["queue"]), "--create");
    assert!(!typo.exists(), "no new empty case file");
    ok(&run(&["--create", "queue"]));
    assert!(typo.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = cli(&t, &["queue"]);
        ok(&out);
        assert!(String::from_utf8_lossy(&out.stderr).contains("can be read by other users"));
    }
}
