//! `make bench` (letters part): one acknowledgment letter produced and archived, a batch of
//! 1,000, one intake and one acknowledgment while another batch of 1,000 runs, and the
//! process's memory every 1,000 letters of a batch of 10,000. Prints figures; never asserts a
//! time.

use privacydesk::domain::clock::Acknowledgment;
use privacydesk::domain::{Channel, NewCase, PostalAddress, RequestKind, Requester};
use privacydesk::letters::LetterKind;
use privacydesk::service::clocks::record_acknowledgment;
use privacydesk::service::intake::{log_request, log_requests};
use privacydesk::service::letters::{batch, batch_cases, preview, produce, BatchRequest, LetterRequest};
use privacydesk::store::key::KeySource;
use privacydesk::store::CaseFile;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e3
}

/// Resident memory of this process, MiB.
fn rss_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / 1048576.0
}

/// A batch's printer PDF in the bench's temporary folder, as the CLI writes `--out`.
fn printer_file(dir: &tempfile::TempDir, name: &str) -> std::io::BufWriter<std::fs::File> {
    std::io::BufWriter::new(std::fs::File::create(dir.path().join(name)).expect("printer PDF"))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("letters.db");
    let file = CaseFile::open(&db, &KeySource::File(dir.path().join("letters.key")))
        .await
        .expect("case file");
    let now = chrono::Utc::now();
    // Letters need a signatory and a return address in the profile.
    let mut profile =
        privacydesk::domain::profile::OrganisationProfile::from_toml(privacydesk::domain::profile::DEMO_PROFILE)
            .expect("the demo profile");
    profile.signatory.name = "Dana Whitfield".into();
    profile.signatory.title = "Privacy Officer".into();
    profile.return_address.lines = vec!["1800 Harrison St".into(), "Oakland CA 94612".into()];
    privacydesk::service::profile::save_profile(&file, &profile.to_toml(), now, "bench")
        .await
        .expect("a profile ready for letters");
    let names = [
        "José Núñez",
        "Nguyễn Thị Minh Khai",
        "Łukasz Żółć",
        "Αλέξανδρος Παπαδόπουλος",
        "Анна Смирнова",
    ];
    let inputs: Vec<NewCase> = (0..12_200)
        .map(|i| NewCase {
            requester: Requester {
                name: format!("{} {i}", names[i % names.len()]),
                email: None,
                phone: None,
                address: Some(PostalAddress {
                    lines: vec![format!("{} Franklin St", 100 + i)],
                    city: "Oakland".into(),
                    state: Some("CA".into()),
                    postal_code: Some("94612".into()),
                    country: "US".into(),
                }),
            },
            channel: Channel::PostalMail,
            kinds: vec![RequestKind::Delete, RequestKind::KnowCategories],
            received: (now - chrono::Duration::days(1)).to_rfc3339(),
            details: Default::default(),
        })
        .collect();
    log_requests(&file, &inputs.iter().collect::<Vec<_>>(), now, "bench")
        .await
        .expect("cases");
    let request = BatchRequest {
        kind: LetterKind::Acknowledgment,
        due_before: (now + chrono::Duration::days(30)).date_naive(),
        fold_marks: true,
    };
    let mut numbers = batch_cases(&file, &request, now).await.expect("cases due");

    let one = LetterRequest::of(LetterKind::Acknowledgment);
    // Where a letter's time goes: composing and laying it out (one snapshot), then the PDF.
    let (mut composing, mut writing) = (Vec::new(), Vec::new());
    let mut page_total = 0;
    for number in numbers.iter().take(100) {
        let start = Instant::now();
        let shown = preview(&file, *number, &one, now).await.expect("preview");
        composing.push(start.elapsed());
        let start = Instant::now();
        let bytes = privacydesk::letters::pdf::write(
            &shown.pages,
            &privacydesk::letters::pdf::PdfInfo {
                title: "bench",
                author: "bench",
                created: now,
            },
            None,
        );
        writing.push(start.elapsed());
        page_total += shown.pages.len();
        std::hint::black_box(bytes);
    }
    println!(
        "one letter ({:.1} pages): compose and lay out median {:.2} ms, PDF median {:.2} ms",
        page_total as f64 / 100.0,
        median(composing),
        median(writing)
    );
    let mut times = Vec::new();
    for number in numbers.drain(..100) {
        let start = Instant::now();
        produce(&file, number, &one, now, "bench").await.expect("letter");
        times.push(start.elapsed());
    }
    println!(
        "one letter (compose, lay out, PDF, archive): median {:.2} ms",
        median(times)
    );

    let never = AtomicBool::new(false);
    let thousand: Vec<_> = numbers.drain(..1000).collect();
    let thousand_pdf = dir.path().join("thousand.pdf");
    let mut printer = printer_file(&dir, "thousand.pdf");
    let start = Instant::now();
    let outcome = batch(
        &file,
        &thousand,
        &request,
        now,
        "bench",
        &never,
        &mut printer,
        |_, _| {},
    )
    .await
    .expect("batch");
    println!(
        "batch of {} letters ({} pages, PDF {:.1} MiB): {:.2} s",
        outcome.letters,
        outcome.pages,
        std::fs::metadata(&thousand_pdf).map_or(0, |m| m.len()) as f64 / 1048576.0,
        start.elapsed().as_secs_f64()
    );
    drop(outcome);

    // Someone at the desk keeps working while a batch prints: each write waits its turn.
    let printing = {
        let file = file.clone();
        let letters: Vec<_> = numbers.drain(..1000).collect();
        let request = request.clone();
        tokio::spawn(async move {
            let never = AtomicBool::new(false);
            batch(
                &file,
                &letters,
                &request,
                now,
                "bench",
                &never,
                std::io::sink(),
                |_, _| {},
            )
            .await
        })
    };
    let (mut intakes, mut acks) = (Vec::new(), Vec::new());
    for (i, number) in numbers.drain(..50).enumerate() {
        if printing.is_finished() {
            break;
        }
        let start = Instant::now();
        log_request(&file, &inputs[i], now, "bench")
            .await
            .expect("intake during a batch");
        intakes.push(start.elapsed());
        let ack = Acknowledgment {
            on: now.date_naive() - chrono::Duration::days(1),
            channel: Channel::Phone,
        };
        let start = Instant::now();
        record_acknowledgment(&file, number, &ack, now, "bench")
            .await
            .expect("acknowledgment during a batch");
        acks.push(start.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let during = printing.await.expect("task").expect("batch");
    println!(
        "while a batch of {} letters runs: one intake median {:.2} ms (max {:.2}), one acknowledgment median {:.2} ms (max {:.2}), {} of each",
        during.letters,
        median(intakes.clone()),
        intakes.iter().max().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        median(acks.clone()),
        acks.iter().max().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        acks.len()
    );

    let ten_thousand: Vec<_> = numbers.drain(..10_000).collect();
    let mut samples = vec![(0, rss_mib())];
    let start = Instant::now();
    let outcome = batch(
        &file,
        &ten_thousand,
        &request,
        now,
        "bench",
        &never,
        printer_file(&dir, "ten-thousand.pdf"),
        |done, _| {
            if done % 1000 == 0 {
                samples.push((done, rss_mib()));
            }
        },
    )
    .await
    .expect("batch");
    samples.push((outcome.letters + 1, rss_mib()));
    println!(
        "batch of {} letters: {:.1} s; resident memory (MiB) after n letters: {}",
        outcome.letters,
        start.elapsed().as_secs_f64(),
        samples
            .iter()
            .map(|(n, m)| if *n > outcome.letters {
                format!("with the PDF written {m:.0}")
            } else {
                format!("{n}: {m:.0}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
}
