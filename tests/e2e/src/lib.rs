//! The end-to-end harness: starts `tauri-driver` (which starts `WebKitWebDriver` and the real
//! app binary) with a temporary data directory and key file, and drives the window through
//! WebDriver. Every call has a timeout; dropping the harness kills tauri-driver and with it the
//! app. Needs `PRIVACYDESK_APP_BINARY`, `PRIVACYDESK_CLI_BINARY` and `TAURI_DRIVER` (set by `make test`) and an X
//! display (`xvfb-run`).

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";
pub const ESCAPE: &str = "\u{E00C}";
pub const ARROW_DOWN: &str = "\u{E015}";
pub const ARROW_RIGHT: &str = "\u{E014}";

/// How long any one step may take before the test fails.
const STEP: Duration = Duration::from_secs(30);

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A temporary case file: its data directory and key file, kept across app restarts.
pub struct Profile {
    pub dir: tempfile::TempDir,
}

impl Profile {
    pub fn new() -> Profile {
        Profile {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    /// Where the app saves copies (letters, files) in this run.
    pub fn downloads(&self) -> PathBuf {
        self.data_dir().join("downloads")
    }
    pub fn key_file(&self) -> PathBuf {
        self.dir.path().join("case.key")
    }
}

impl Default for Profile {
    fn default() -> Self {
        Profile::new()
    }
}

fn required_env(name: &str) -> PathBuf {
    let value = std::env::var_os(name)
        .unwrap_or_else(|| panic!("{name} is not set: run the end-to-end suite with `make test`"));
    let path = PathBuf::from(value);
    assert!(
        path.exists(),
        "{name}={} does not exist (build it with `make app`)",
        path.display()
    );
    path
}

/// This package's folder, read when the test runs (cargo sets it): never the folder the binary
/// was compiled in, which is another checkout when two share a build cache.
pub fn manifest_dir() -> PathBuf {
    required_env("CARGO_MANIFEST_DIR")
}

/// The `privacydesk` CLI (`PRIVACYDESK_CLI_BINARY`), to compare its answers with the window's.
pub fn cli_binary() -> PathBuf {
    required_env("PRIVACYDESK_CLI_BINARY")
}

/// Where screenshots go (`E2E_OUTPUT`, default `test-output/` in the current directory).
pub fn output_dir() -> PathBuf {
    let dir = std::env::var_os("E2E_OUTPUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("test-output"));
    std::fs::create_dir_all(&dir).expect("output dir");
    dir
}

/// One run of the app: tauri-driver, the WebDriver session and the window.
pub struct App {
    driver: Child,
    pub client: Option<Client>,
}

impl App {
    /// Starts the app on `profile` and waits until its window answers.
    pub async fn start(profile: &Profile, port: u16) -> Result<App> {
        let binary = required_env("PRIVACYDESK_APP_BINARY");
        let tauri_driver = required_env("TAURI_DRIVER");
        // The previous run's WebKitWebDriver must be gone before a new one takes its port.
        wait_until_free(port).await?;
        wait_until_free(port + 1).await?;
        let mut command = Command::new(tauri_driver);
        // Its own process group, so that dropping the harness ends WebKitWebDriver and the app too.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let driver = command
            .args(["--port", &port.to_string(), "--native-port", &(port + 1).to_string()])
            // The app inherits these through WebKitWebDriver: the test's own case file and key.
            .env("PRIVACYDESK_DATA_DIR", profile.data_dir())
            .env("PRIVACYDESK_KEY_FILE", profile.key_file())
            .env("PRIVACYDESK_DOWNLOADS", profile.downloads())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut app = App { driver, client: None };
        let deadline = Instant::now() + STEP;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("tauri-driver did not start listening".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": absolute(&binary) }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        // tauri-driver listens before WebKitWebDriver behind it is ready; a session request in
        // that gap gets a cut-off reply. Retry such transport failures until the step's deadline.
        let deadline = Instant::now() + STEP;
        let client = loop {
            let attempt = tokio::time::timeout(
                STEP,
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps.clone())
                    .connect(&format!("http://127.0.0.1:{port}")),
            )
            .await?;
            match attempt {
                Ok(client) => break client,
                Err(fantoccini::error::NewSessionError::FailedC(e)) if Instant::now() < deadline => {
                    eprintln!("e2e: WebDriver not ready yet ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => return Err(format!("starting a WebDriver session: {e}").into()),
            }
        };
        app.client = Some(client);
        Ok(app)
    }

    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("session is open")
    }

    /// Waits for the element matching `css`.
    pub async fn find(&self, css: &str) -> Result<Element> {
        Ok(self
            .client()
            .wait()
            .at_most(STEP)
            .for_element(Locator::Css(css))
            .await?)
    }

    /// Waits until the element matching `css` contains `text`, and returns its text.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Result<String> {
        let deadline = Instant::now() + STEP;
        loop {
            if let Ok(el) = self.client().find(Locator::Css(css)).await {
                let seen = el.text().await.unwrap_or_default();
                if seen.contains(text) {
                    return Ok(seen);
                }
                if Instant::now() > deadline {
                    return Err(format!("\"{css}\" shows {seen:?}, not {text:?}").into());
                }
            } else if Instant::now() > deadline {
                return Err(format!("no element \"{css}\"").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) -> Result<()> {
        let el = self.find(css).await?;
        tokio::time::timeout(STEP, el.click())
            .await?
            .map_err(|e| format!("clicking {css}: {e}"))?;
        Ok(())
    }

    /// Replaces the text of the field matching `css`.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let el = self.find(css).await?;
        tokio::time::timeout(STEP, el.clear())
            .await?
            .map_err(|e| format!("clearing {css}: {e}"))?;
        if !text.is_empty() {
            tokio::time::timeout(STEP, el.send_keys(text))
                .await?
                .map_err(|e| format!("typing into {css}: {e}"))?;
        }
        Ok(())
    }

    /// Chooses `path` in the file input matching `css`, as the file dialog would.
    pub async fn choose_file(&self, css: &str, path: &Path) -> Result<()> {
        let el = self.find(css).await?;
        tokio::time::timeout(STEP, el.send_keys(&path.display().to_string()))
            .await?
            .map_err(|e| format!("choosing {} in {css}: {e}", path.display()))?;
        Ok(())
    }

    /// The value of attribute `name` of the element matching `css`.
    pub async fn attr(&self, css: &str, name: &str) -> Result<String> {
        let el = self.find(css).await?;
        Ok(el
            .attr(name)
            .await
            .map_err(|e| format!("reading {name} of {css}: {e}"))?
            .unwrap_or_default())
    }

    /// Types into whatever has the focus, as a person at the keyboard would.
    pub async fn type_keys(&self, keys: &str) -> Result<()> {
        let active = tokio::time::timeout(STEP, self.client().active_element())
            .await?
            .map_err(|e| format!("finding the focused element to type {keys:?}: {e}"))?;
        tokio::time::timeout(STEP, active.send_keys(keys))
            .await?
            .map_err(|e| format!("typing {keys:?}: {e}"))?;
        Ok(())
    }

    /// The `id` of the focused element.
    pub async fn focused_id(&self) -> Result<String> {
        let active = tokio::time::timeout(STEP, self.client().active_element())
            .await?
            .map_err(|e| format!("finding the focused element: {e}"))?;
        Ok(active
            .attr("id")
            .await
            .map_err(|e| format!("reading the focused element's id: {e}"))?
            .unwrap_or_default())
    }

    /// A PNG of the window, after two animation frames so the last DOM change is painted.
    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        let settle = "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        tokio::time::timeout(STEP, self.client().execute_async(settle, vec![]))
            .await?
            .map_err(|e| format!("waiting for a painted frame: {e}"))?;
        let png = tokio::time::timeout(STEP, self.client().screenshot())
            .await?
            .map_err(|e| format!("taking a screenshot: {e}"))?;
        std::fs::write(path, png)?;
        Ok(())
    }

    /// Runs axe-core (from the UI's own npm packages, pinned in its lock file) on the screen as
    /// it is, against WCAG 2.1 A and AA, and fails with every violation named: its rule, its
    /// impact and the elements it found.
    pub async fn check_accessibility(&self, screen: &str) -> Result<()> {
        let path = manifest_dir().join("../../ui/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {} (run `npm ci` in ui/): {e}", path.display()))?;
        tokio::time::timeout(STEP, self.client().execute(&source, vec![]))
            .await?
            .map_err(|e| format!("loading axe-core: {e}"))?;
        let run = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
              .then((r) => done(r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary.replace(/\s+/g, " ")),
              }))))
              .catch((e) => done([{ id: "axe-error", impact: "critical", help: String(e), nodes: [] }]));
        "#;
        let found = tokio::time::timeout(Duration::from_secs(60), self.client().execute_async(run, vec![]))
            .await?
            .map_err(|e| format!("running axe-core: {e}"))?;
        let violations = found.as_array().cloned().unwrap_or_default();
        if violations.is_empty() {
            return Ok(());
        }
        let report: Vec<String> = violations
            .iter()
            .map(|v| {
                let nodes: Vec<&str> = v["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|n| n.as_str())
                    .collect();
                format!(
                    "{} ({}): {}\n    {}",
                    v["id"],
                    v["impact"],
                    v["help"],
                    nodes.join("\n    ")
                )
            })
            .collect();
        Err(format!(
            "{screen}: {} accessibility violation(s):\n  {}",
            violations.len(),
            report.join("\n  ")
        )
        .into())
    }

    /// Ends the session, which closes the app, and stops tauri-driver and WebKitWebDriver.
    pub async fn quit(mut self) {
        if let Some(client) = self.client.take() {
            // WebKitWebDriver may drop the connection while the app exits, so the reply to
            // "delete session" can be cut short; the app is gone either way, and dropping
            // `self` ends whatever is left of the process group.
            let _ = tokio::time::timeout(STEP, client.close()).await;
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // SIGTERM to the whole group (tauri-driver, WebKitWebDriver, the app), then reap.
        let _ = Command::new("kill")
            .args(["-s", "TERM", "--"])
            .arg(format!("-{}", self.driver.id()))
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

async fn wait_until_free(port: u16) -> Result<()> {
    let deadline = Instant::now() + STEP;
    while TcpStream::connect(("127.0.0.1", port)).is_ok() {
        if Instant::now() > deadline {
            return Err(format!("port {port} is still taken by an earlier WebDriver").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

fn absolute(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string()
}
