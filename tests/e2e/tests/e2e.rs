//! End to end through the real window: log a request with the keyboard alone, see it in the
//! queue, quit, start again and still see it. Fails if the form, the storage or the restart
//! breaks.

use privacydesk_e2e::{output_dir, App, Profile, Result, ENTER, ESCAPE, TAB};

const PORT: u16 = 4444;

#[tokio::test(flavor = "current_thread")]
async fn log_a_request_by_keyboard_and_find_it_after_a_restart() -> Result<()> {
    let profile = Profile::new();
    let out = output_dir();

    let app = App::start(&profile, PORT).await?;
    // First start asks once who is at the desk; Enter continues.
    app.wait_for_text("h1", "Welcome to PrivacyDesk").await?;
    assert_eq!(app.focused_id().await?, "staff-name");
    app.type_keys("Dana Officer").await?;
    app.type_keys(ENTER).await?;
    app.wait_for_text("main", "No requests yet").await?;
    assert!(
        profile.key_file().exists(),
        "first start must create the key file it was given"
    );

    // "N" opens the form with the focus in the name field.
    app.find("main h1").await?;
    app.type_keys("n").await?;
    app.wait_for_text("main h1", "New request").await?;
    assert_eq!(app.focused_id().await?, "f-name");

    // Esc on an empty form goes back to the queue; "N" again reopens it.
    app.type_keys(ESCAPE).await?;
    app.wait_for_text("main", "No requests yet").await?;
    app.type_keys("n").await?;
    app.wait_for_text("main h1", "New request").await?;

    // A submission with a bad email is refused and the message sits beside the field.
    app.type_keys("Nguyễn Thị Minh Khai").await?;
    app.type_keys(TAB).await?;
    app.type_keys("minh.khai@").await?;
    app.type_keys(ENTER).await?;
    app.wait_for_text("form", "Enter an email address such as name@example.com.")
        .await?;
    assert_eq!(
        app.focused_id().await?,
        "f-email",
        "focus moves to the first field with a problem"
    );

    // Fix it and walk the rest of the form with Tab, Space for the kinds, Enter to log.
    app.type_keys("example.com").await?;
    for (keys, expect_id) in [
        (TAB, "f-phone"),
        (TAB, "f-line1"),
        ("1950 Franklin St", "f-line1"),
        (TAB, "f-line2"),
        (TAB, "f-city"),
        ("Oakland", "f-city"),
        (TAB, "f-state"),
        ("CA", "f-state"),
        (TAB, "f-zip"),
        ("94612", "f-zip"),
        (TAB, "f-country"),
        (TAB, "f-kind-know-categories"),
        (TAB, "f-kind-know-specific"),
        (TAB, "f-kind-delete"),
        (" ", "f-kind-delete"),
    ] {
        app.type_keys(keys).await?;
        assert_eq!(app.focused_id().await?, expect_id, "after typing {keys:?}");
    }
    app.type_keys(ENTER).await?;

    let row = app.wait_for_text("tbody", "Nguyễn Thị Minh Khai").await?;
    assert!(
        row.contains("Delete") && row.contains("Email") && row.contains("PR-"),
        "the queue row shows the case: {row}"
    );
    let status = app.wait_for_text("main header", "Logged PR-").await?;
    assert!(status.contains("Logged PR-"), "{status}");
    app.screenshot(&out.join("queue-after-intake.png")).await?;
    app.quit().await;

    // The case file is encrypted: the name is nowhere in its bytes.
    let db = profile.data_dir().join("privacydesk.db");
    let mut bytes = std::fs::read(&db)?;
    bytes.extend(std::fs::read(format!("{}-wal", db.display())).unwrap_or_default());
    for plain in ["Minh Khai", "minh.khai@example.com", "Franklin"] {
        assert!(
            !bytes.windows(plain.len()).any(|w| w == plain.as_bytes()),
            "{plain:?} must not be readable on disk"
        );
    }

    let again = App::start(&profile, PORT).await?;
    // The staff name was kept: no welcome screen the second time.
    let table = again.wait_for_text("tbody", "Nguyễn Thị Minh Khai").await?;
    again.wait_for_text("nav", "Dana Officer").await?;
    assert!(table.contains("Email"), "{table}");
    again.screenshot(&out.join("queue-after-restart.png")).await?;

    // A letter for the person, in Spanish: preview (nothing archived), produce and archive,
    // save a copy for the printer, mark as mailed; the history shows both.
    again.click("tbody tr:first-child button.link").await?;
    again.wait_for_text("main h1", "Nguyễn Thị Minh Khai").await?;
    again.click("#letter-language option[value='es']").await?;
    again.click("section.letters button:not(.primary)").await?;
    again
        .find("section.letters svg[aria-label='Page 1 of 1'], section.letters svg[aria-label='Page 1 of 2']")
        .await?;
    again.wait_for_text("section.letters", "No letters yet.").await?;
    again
        .client()
        .execute("document.querySelector('section.letters svg').scrollIntoView()", vec![])
        .await?;
    again.screenshot(&out.join("letter-preview.png")).await?;
    again.click("section.letters .row button.primary").await?;
    again.wait_for_text("section.letters p.ok", "archived").await?;
    again
        .click("section.letters tbody tr:first-child button[data-action='save-copy']")
        .await?;
    let saved = again.wait_for_text("section.letters p.ok", "Copy saved: ").await?;
    let path = saved.trim().trim_start_matches("Copy saved: ");
    assert!(path.starts_with(&profile.downloads().display().to_string()), "{path}");
    let text = std::process::Command::new("pdftotext").args([path, "-"]).output()?;
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Estimado/a Nguyễn Thị Minh Khai:"), "{text}");
    assert!(
        text.contains("1950 Franklin St") && text.contains("Oakland CA 94612"),
        "{text}"
    );
    again.click("section.letters button[data-action='mark-mailed']").await?;
    again.click("form[aria-label^='Mark letter'] button.primary").await?;
    again.wait_for_text("section.letters tbody", "First-class mail").await?;
    let history = again
        .wait_for_text("section[aria-labelledby='history-title']", "Letter mailed")
        .await?;
    assert!(history.contains("Letter produced"), "{history}");
    again.screenshot(&out.join("letter-archived.png")).await?;
    again.quit().await;
    Ok(())
}

/// The deadline engine through the window: a request received 60 days ago shows overdue
/// clocks with the same dates as the CLI, an extension noticed today (after day 45) is refused,
/// and the dashboard lists the case as overdue.
#[tokio::test(flavor = "current_thread")]
async fn overdue_request_shows_cli_dates_refuses_a_late_extension_and_reaches_the_dashboard() -> Result<()> {
    use chrono::{Duration, Utc};
    let profile = Profile::new();
    let out = output_dir();
    let today = Utc::now().with_timezone(&chrono_tz::America::Los_Angeles).date_naive();
    let received = today - Duration::days(60);

    let app = App::start(&profile, PORT + 10).await?;
    app.wait_for_text("h1", "Welcome to PrivacyDesk").await?;
    app.type_keys("Lee Analyst").await?;
    app.type_keys(ENTER).await?;
    app.wait_for_text("main", "No requests yet").await?;
    app.type_keys("n").await?;
    app.wait_for_text("main h1", "New request").await?;
    // The request came in by email: reading the .eml fills the sender, the time sent and the
    // text, and the email is kept with the case.
    let sent = received
        .and_hms_opt(9, 0, 0)
        .unwrap()
        .and_local_timezone(chrono_tz::America::Los_Angeles)
        .unwrap();
    let eml = profile.data_dir().join("request.eml");
    std::fs::write(
        &eml,
        format!(
            "From: Ана Ковальова <ana.k@example.org>\r\nTo: privacy@example.org\r\nDate: {}\r\n\
             Subject: Delete my data\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             Please erase my applicant file.\r\n",
            sent.to_rfc2822()
        ),
    )?;
    app.choose_file("form input[type='file']", &eml).await?;
    app.wait_for_text("form .from-email", "Filled in from request.eml")
        .await?;
    assert_eq!(app.attr("#f-name", "value").await?, "Ана Ковальова");
    assert_eq!(app.attr("#f-received", "value").await?, format!("{received} 09:00"));
    app.click("#f-kind-delete").await?;
    // Enter logs the request from any single-line field (in the description it starts a new line).
    app.click("#f-received").await?;
    app.type_keys(ENTER).await?;
    let row = app.wait_for_text("tbody", "Ана Ковальова").await?;
    assert!(
        row.contains("overdue"),
        "a 60-day-old request has an overdue clock: {row}"
    );

    // The CLI derives the same dates from the same receipt date.
    let cli = std::process::Command::new(privacydesk_e2e::cli_binary())
        .args([
            "deadlines",
            "--received",
            &received.to_string(),
            "--kinds",
            "delete",
            "--json",
        ])
        .output()?;
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout)?;

    app.click("tbody tr:first-child button.link").await?;
    app.wait_for_text("main h1", "Ана Ковальова").await?;
    for clock in cli["clocks"].as_array().expect("clocks") {
        let name = clock["clock"].as_str().unwrap();
        let shown = app
            .attr(&format!("tr[data-clock='{name}'] td[data-due]"), "data-due")
            .await?;
        assert_eq!(
            shown,
            clock["due"].as_str().unwrap(),
            "the window and the CLI agree on {name}"
        );
    }

    app.fill("#ext-reason", "Records are held by two medical groups")
        .await?;
    app.click("form[aria-labelledby='ext-title'] button[type='submit']")
        .await?;
    let refusal = app
        .wait_for_text("form[aria-labelledby='ext-title']", "Too late")
        .await?;
    assert!(refusal.contains("§ 7021(b)"), "{refusal}");
    let history = app
        .wait_for_text("section[aria-labelledby='history-title']", "Request logged")
        .await?;
    assert!(
        !history.contains("Extension recorded"),
        "a refused extension leaves no event: {history}"
    );
    app.screenshot(&out.join("case-late-extension-refused.png")).await?;

    app.click("nav li:nth-child(2) button").await?;
    let overdue = app
        .wait_for_text("section[aria-labelledby='overdue']", "Ана Ковальова")
        .await?;
    assert!(
        overdue.contains("Confirm receipt") && overdue.contains("Respond"),
        "{overdue}"
    );
    app.screenshot(&out.join("dashboard.png")).await?;

    // Find it by a word of the request, open it, edit it, and see the edit in its history.
    app.click("nav li:nth-child(1) button").await?;
    app.wait_for_text("main h1", "Queue").await?;
    app.type_keys("/").await?;
    assert_eq!(app.focused_id().await?, "queue-search");
    app.type_keys("applicant").await?;
    app.wait_for_text("tbody", "Ана Ковальова").await?;
    app.type_keys(privacydesk_e2e::ARROW_DOWN).await?;
    app.type_keys(ENTER).await?;
    app.wait_for_text("main h1", "Ана Ковальова").await?;
    app.wait_for_text("section.files", "request.eml").await?;
    app.click("div.title button").await?;
    app.fill("#f-phone", "(510) 555-0199").await?;
    app.fill("#f-line1", "77 Sunset Blvd").await?;
    app.fill("#f-city", "Los Angeles").await?;
    app.fill("#f-state", "CA").await?;
    app.fill("#f-zip", "90012").await?;
    app.click("form[aria-labelledby='intake-title'] button[type='submit']")
        .await?;
    app.wait_for_text("p.ok", "Changes saved.").await?;
    let history = app
        .wait_for_text("section[aria-labelledby='history-title']", "Details edited")
        .await?;
    assert!(history.contains("Lee Analyst"), "{history}");
    app.wait_for_text("dl.facts", "77 Sunset Blvd").await?;
    app.screenshot(&out.join("case-edited.png")).await?;
    app.quit().await;
    Ok(())
}
