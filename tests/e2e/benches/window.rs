//! `make bench-window BENCH_WINDOW_DB=/path/privacydesk.db` (its key file beside it as
//! `privacydesk.key`, as `privacydesk demo` leaves it): the queue's first page through the real
//! window — the IPC round trip from the web view (query, clocks, serialization, JSON) and the
//! time from changing a filter to the new rows on screen — and the memory of the app and its
//! WebKit processes with that file open. Prints figures; asserts no time.

use privacydesk_e2e::{App, Profile, Result, ENTER};
use std::path::PathBuf;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Resident memory (MiB) of every process whose name starts with `prefix`.
fn rss(prefix: &str) -> Vec<f64> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let status = std::fs::read_to_string(entry.path().join("status")).unwrap_or_default();
        let name = status.lines().next().unwrap_or("").trim_start_matches("Name:").trim();
        if name.starts_with(prefix) {
            if let Some(kb) = status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
            {
                out.push(kb / 1024.0);
            }
        }
    }
    out
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let db = PathBuf::from(std::env::var("BENCH_WINDOW_DB").map_err(|_| "set BENCH_WINDOW_DB")?);
    let profile = Profile::new();
    std::fs::create_dir_all(profile.data_dir())?;
    std::os::unix::fs::symlink(&db, profile.data_dir().join("privacydesk.db"))?;
    std::fs::copy(db.with_extension("key"), profile.key_file())?;

    let app = App::start(&profile, 4474).await?;
    let first = app.wait_for_text("h1", "").await?;
    if first.contains("Welcome") {
        app.type_keys("Bench Officer").await?;
        app.type_keys(ENTER).await?;
    }
    app.wait_for_text("tbody", "PR-").await?;

    let invoke = r#"
        const [query, done] = arguments;
        (async () => {
            const times = [];
            for (let i = 0; i < 16; i++) {
                const t = performance.now();
                await window.__TAURI_INTERNALS__.invoke("list_queue", { query });
                times.push(performance.now() - t);
            }
            done(times.slice(1));
        })();
    "#;
    for (what, query) in [
        ("open cases, newest first", serde_json::json!({ "open_only": true })),
        ("all cases, newest first", serde_json::json!({})),
        (
            "status + kind",
            serde_json::json!({ "status": "verifying", "kind": "delete" }),
        ),
        ("search: common surname", serde_json::json!({ "search": "Nguyen" })),
    ] {
        let times: Vec<f64> = serde_json::from_value(app.client().execute_async(invoke, vec![query]).await?)?;
        println!(
            "through the window (IPC round trip), {what}: median {:.1} ms",
            median(times)
        );
    }

    // From a filter change to the new first page on screen.
    let render = r##"
        const [value, done] = arguments;
        const body = document.querySelector("tbody");
        const select = document.querySelector("#queue-status");
        const t = performance.now();
        const seen = new MutationObserver(() => {
            seen.disconnect();
            const inDom = performance.now() - t;
            requestAnimationFrame(() => done([inDom, performance.now() - t]));
        });
        seen.observe(body, { childList: true, subtree: true, characterData: true });
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
    "##;
    let (mut in_dom, mut painted) = (Vec::new(), Vec::new());
    for i in 0..10 {
        let value = if i % 2 == 0 { "verifying" } else { "open" };
        let [dom, frame]: [f64; 2] = serde_json::from_value(
            app.client()
                .execute_async(render, vec![serde_json::json!(value)])
                .await?,
        )?;
        in_dom.push(dom);
        painted.push(frame);
    }
    println!(
        "filter change to the new rows: in the page median {:.1} ms, next frame painted median {:.1} ms",
        median(in_dom),
        median(painted)
    );

    println!(
        "memory with the file open (MiB): app {:?}, WebKit web process {:?}, network process {:?}",
        rss("privacydesk-app").iter().map(|m| m.round()).collect::<Vec<_>>(),
        rss("WebKitWebProces").iter().map(|m| m.round()).collect::<Vec<_>>(),
        rss("WebKitNetworkPr").iter().map(|m| m.round()).collect::<Vec<_>>(),
    );
    app.quit().await;
    Ok(())
}
