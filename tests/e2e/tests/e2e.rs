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
    let table = again.wait_for_text("tbody", "Nguyễn Thị Minh Khai").await?;
    assert!(table.contains("Email"), "{table}");
    again.screenshot(&out.join("queue-after-restart.png")).await?;
    again.quit().await;
    Ok(())
}
