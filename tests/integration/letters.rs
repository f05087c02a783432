//! Letters on real PDFs: produced from a real case file, checked with the PDF tools (qpdf
//! --check, pdffonts, pdftotext, pdftotext -bbox for the #10 window zone, pdftoppm), archived
//! with the case, and refused before printing when they cannot be printed right.

use crate::support::find_case;
use crate::support::{now, sample_request, tool, TempCaseFile, ACTOR};
use privacydesk::domain::details::{Agent, AgentBasis, AgentKind, Language};
use privacydesk::domain::{CaseNumber, PostalAddress, RequestKind};
use privacydesk::letters::LetterKind;
use privacydesk::service::intake::log_request;
use privacydesk::service::letters::{
    archived_pdf, batch, batch_cases, mark_mailed, preview, produce, save_template, set_letterhead_logo, BatchRequest,
    LetterRequest, Mailing,
};
use privacydesk::service::ServiceError;
use privacydesk::store::letters::MailMethod;
use privacydesk::store::CaseFile;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn request(kind: LetterKind) -> LetterRequest {
    LetterRequest::of(kind)
}

fn lang(code: &str) -> Language {
    Language::new(code)
}

/// A case's archived letters, oldest first.
async fn letters_for_case(
    file: &CaseFile,
    number: CaseNumber,
) -> Result<Vec<privacydesk::domain::letter::ArchivedLetter>, ServiceError> {
    Ok(privacydesk::service::case_view::case_view(file, number, now())
        .await?
        .letters)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

async fn case_with(file: &CaseFile, name: &str, address: Option<PostalAddress>, kinds: Vec<RequestKind>) -> CaseNumber {
    let mut r = sample_request(name, "2026-03-02");
    r.requester.address = address;
    r.kinds = kinds;
    log_request(file, &r, now(), ACTOR).await.unwrap().number
}

fn us_address() -> Option<PostalAddress> {
    sample_request("x", "2026-03-02").requester.address
}

/// Words of page 1 with their boxes, from `pdftotext -bbox` (points from the top-left corner).
fn words_on_page_1(pdf: &Path) -> Vec<(String, f32, f32, f32, f32)> {
    let html = tool(
        "pdftotext",
        &["-bbox", "-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
    );
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| {
            let attr = |name: &str| -> f32 {
                let start = l.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                l[start..start + l[start..].find('"').unwrap()].parse().unwrap()
            };
            let text = &l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()];
            (text.to_owned(), attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"))
        })
        .collect()
}

/// Every word printed between the letterhead and the date must be inside the window zone.
fn assert_recipient_block_in_window(pdf: &Path, expect_words: &[&str]) {
    let words = words_on_page_1(pdf);
    let block: Vec<_> = words.iter().filter(|w| w.2 > 130.0 && w.4 < 240.0).collect();
    for word in expect_words {
        assert!(
            block.iter().any(|w| w.0 == *word),
            "{word:?} is in the recipient block: {block:?}"
        );
    }
    for (text, x0, y0, x1, y1) in &block {
        assert!(
            *x0 >= 72.0 && *x1 <= 306.0 && *y0 >= 151.2 && *y1 <= 219.6,
            "{text:?} at x {x0}-{x1}, y {y0}-{y1} pt is outside the window zone (x 72-306, y 151.2-219.6)"
        );
    }
}

#[tokio::test]
async fn an_acknowledgment_is_a_valid_pdf_with_embedded_fonts_and_the_right_text_section_7021_a() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, "Nguyễn Thị Minh Khai", us_address(), vec![RequestKind::Delete]).await;
    let (letter, bytes) = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
        .await
        .unwrap();
    let pdf = write(t.dir.path(), "ack.pdf", &bytes);

    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "embedded, subset, unicode: {row}"
        );
    }
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(
        info.contains(&format!("Title:           We received your privacy request · {number}")),
        "{info}"
    );
    assert!(info.contains("Author:          Kaiser Permanente"), "{info}");
    assert!(info.contains("CreationDate:    Tue Mar 10 18:00:00 2026"), "{info}");

    let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    for expected in [
        "Nguyễn Thị Minh Khai",
        &number.to_string(),
        "March 2, 2026",  // received
        "April 15, 2026", // respond by (§ 7021(b): day 1 = receipt day)
        "March 10, 2026", // the letter's date
        "To delete personal information about you",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert_eq!(
        letter.pages as usize,
        text.matches("Page ").count(),
        "Page N of M on every page"
    );
    assert_recipient_block_in_window(&pdf, &["Nguyễn", "Thị", "Khai", "Franklin", "94612"]);

    // A person looks at this rendering during development; the test keeps it for them.
    let out = std::env::var_os("E2E_OUTPUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| t.dir.path().to_owned());
    std::fs::create_dir_all(&out).unwrap();
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().unwrap(),
            out.join("letter-acknowledgment").to_str().unwrap(),
        ],
    );
}

#[tokio::test]
async fn the_recipient_block_stays_in_the_window_for_foreign_addresses_and_very_long_names() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let cases = [
        (
            "Łukasz Żółć",
            PostalAddress {
                lines: vec!["ul. Długa 5".into(), "lok. 12".into(), "Śródmieście".into()],
                city: "Gdańsk".into(),
                state: None,
                postal_code: Some("80-831".into()),
                country: "PL".into(),
            },
            vec!["Łukasz", "Żółć", "POLAND"],
        ),
        (
            "Αλέξανδρος Παπαδόπουλος-Χατζηγεωργίου",
            PostalAddress {
                lines: vec!["Λεωφόρος Βασιλίσσης Σοφίας 123, Διαμέρισμα 45".into()],
                city: "Αθήνα".into(),
                state: None,
                postal_code: Some("106 75".into()),
                country: "GR".into(),
            },
            vec!["Αλέξανδρος", "GREECE"],
        ),
        (
            "Анна Смирнова",
            PostalAddress {
                lines: vec!["ул. Тверская, д. 7, кв. 15".into()],
                city: "Москва".into(),
                state: None,
                postal_code: Some("125009".into()),
                country: "RU".into(),
            },
            vec!["Анна", "Смирнова", "RUSSIA"],
        ),
    ];
    for (i, (name, address, words)) in cases.into_iter().enumerate() {
        let number = case_with(&file, name, Some(address), vec![RequestKind::KnowCategories]).await;
        let (_, bytes) = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
            .await
            .unwrap();
        let pdf = write(t.dir.path(), &format!("foreign-{i}.pdf"), &bytes);
        tool("qpdf", &["--check", pdf.to_str().unwrap()]);
        assert_recipient_block_in_window(&pdf, &words);
        let lines = words_on_page_1(&pdf)
            .iter()
            .filter(|w| w.2 > 130.0 && w.4 < 240.0)
            .map(|w| w.2 as i32)
            .collect::<std::collections::BTreeSet<_>>();
        assert!(lines.len() <= 5, "at most five lines: {lines:?}");
    }
    // A name and street too long for five lines is refused, with what to shorten, never cut.
    let number = case_with(
        &file,
        "Αλέξανδρος Παπαδόπουλος-Χατζηγεωργίου Κωνσταντινόπουλος του Δημητρίου",
        Some(PostalAddress {
            lines: vec!["Λεωφόρος Βασιλίσσης Σοφίας 123, Διαμέρισμα 45".into()],
            city: "Αθήνα".into(),
            state: None,
            postal_code: Some("106 75".into()),
            country: "GR".into(),
        }),
        vec![RequestKind::KnowCategories],
    )
    .await;
    let err = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
        .await
        .map(|_| ())
        .unwrap_err();
    assert!(err.to_string().contains("too long for the envelope window"), "{err}");
}

#[tokio::test]
async fn spanish_letters_and_the_opt_out_confirmation_section_7026() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, "José Núñez", us_address(), vec![RequestKind::OptOut]).await;
    let mut req = request(LetterKind::OptOutConfirmation);
    req.language = Some(lang("es"));
    req.variant = Some("honoured".into());
    let (letter, bytes) = produce(&file, number, &req, now(), ACTOR).await.unwrap();
    assert_eq!(letter.language, lang("es"));
    let pdf = write(t.dir.path(), "opt.pdf", &bytes);
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("Estimado/a José Núñez:"), "{text}");
    assert!(text.contains("2 de marzo de 2026"), "{text}");
    // Not yet recorded as honoured: the letter's own date is the date honoured, and producing
    // the letter records it, so that the case says what the letter says.
    assert!(
        text.contains("Atendimos su solicitud de exclusión el 10 de marzo de 2026"),
        "{text}"
    );
    let view = privacydesk::service::case_view::case_view(&file, number, now())
        .await
        .unwrap();
    assert!(
        view.history.iter().any(|e| e.action == "compliance.recorded"),
        "{:?}",
        view.history
    );
    let facts = privacydesk::store::clocks::find(&mut file.read().await.unwrap(), number)
        .await
        .unwrap()
        .unwrap()
        .facts;
    assert_eq!(facts.complied_on, Some("2026-03-10".parse().unwrap()));
    assert!(text.contains("Página 1 de 1"), "{text}");
    let err = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no confirmation of receipt"), "{err}");
}

#[tokio::test]
async fn every_letter_is_archived_with_its_bytes_hash_and_versions_and_reprints_identically() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, "José Núñez", us_address(), vec![RequestKind::Delete]).await;
    let (letter, bytes) = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
        .await
        .unwrap();
    assert_eq!(letter.template_version, 0, "the shipped template");
    assert_eq!(letter.profile_version, Some(2), "the profile completed for letters");
    let listed = letters_for_case(&file, number).await.unwrap();
    assert_eq!(listed, vec![letter.clone()]);
    let (_, again) = archived_pdf(&file, letter.id).await.unwrap();
    assert_eq!(again, bytes, "a reprint is the archived letter, byte for byte");
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), letter.sha256);
    let history = crate::support::history(&file, number).await;
    assert!(history.iter().any(|e| e.action == "letter.produced"), "{history:?}");

    // Mailing: once, certified needs its tracking number, never in the future.
    let mut mailing = Mailing {
        on: "2026-03-10".parse().unwrap(),
        method: MailMethod::Certified,
        tracking_number: None,
    };
    assert!(matches!(
        mark_mailed(&file, letter.id, &mailing, now(), ACTOR).await,
        Err(ServiceError::Invalid(_))
    ));
    mailing.tracking_number = Some("9407 1000 0000 0000 0000 00".into());
    let mailed = mark_mailed(&file, letter.id, &mailing, now(), ACTOR).await.unwrap();
    assert_eq!(mailed.mail_method, Some(MailMethod::Certified));
    let clocks = crate::support::clocks_at(&file, number, now()).await;
    let ack = clocks
        .acknowledgment
        .expect("mailing the acknowledgment confirmed receipt (§ 7021(a))");
    assert_eq!(
        (ack.on.to_string().as_str(), ack.channel),
        ("2026-03-10", privacydesk::domain::Channel::PostalMail)
    );
    assert!(matches!(
        mark_mailed(&file, letter.id, &mailing, now(), ACTOR).await,
        Err(ServiceError::LetterAlreadyMailed { .. })
    ));
    let history = crate::support::history(&file, number).await;
    assert!(history.iter().any(|e| e.action == "letter.mailed"), "{history:?}");
}

#[tokio::test]
async fn an_extension_notice_records_the_extension_and_only_while_one_may_be_recorded_section_7021_b() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, "José Núñez", us_address(), vec![RequestKind::Delete]).await;
    let mut req = request(LetterKind::Extension);
    let err = produce(&file, number, &req, now(), ACTOR).await.unwrap_err();
    assert!(err.to_string().contains("reason"), "{err}");
    req.reason = Some("The records are held by two medical groups.".into());
    let (_, bytes) = produce(&file, number, &req, now(), ACTOR).await.unwrap();
    let text = tool(
        "pdftotext",
        &[write(t.dir.path(), "ext.pdf", &bytes).to_str().unwrap(), "-"],
    );
    assert!(text.contains("The records are held by two medical groups."), "{text}");
    assert!(text.contains("May 30, 2026"), "the extended date, day 90: {text}");
    let clocks = crate::support::clocks_at(&file, number, now()).await;
    assert!(
        clocks.extension.is_some(),
        "producing the notice recorded the extension"
    );
    let err = produce(&file, number, &req, now(), ACTOR).await.unwrap_err();
    assert!(err.to_string().contains("already"), "one extension only: {err}");
    let err = preview(&file, number, &req, now()).await.unwrap_err();
    assert!(
        err.to_string().contains("already"),
        "nor previewed once recorded: {err}"
    );
    assert_eq!(letters_for_case(&file, number).await.unwrap().len(), 1);
}

#[tokio::test]
async fn letters_that_cannot_be_printed_right_are_refused_before_printing() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    // No postal address: nothing to put in the window.
    let number = case_with(&file, "José Núñez", None, vec![RequestKind::Delete]).await;
    let err = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no postal address for the requester"), "{err}");

    // A name in a script the fonts do not cover is refused, never printed as boxes.
    let number = case_with(&file, "王小明", us_address(), vec![RequestKind::Delete]).await;
    let err = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Chinese/Japanese (Han)"), "{err}");
    assert!(letters_for_case(&file, number).await.unwrap().is_empty());

    // An address too long for the envelope window is refused with what to shorten, never cut.
    let long = PostalAddress {
        lines: vec!["Apartment1234BuildingOfTheLongIndustrialEstateRoadNumberOneHundred".into()],
        city: "San Francisco".into(),
        state: Some("CA".into()),
        postal_code: Some("94103".into()),
        country: "US".into(),
    };
    let number = case_with(
        &file,
        "Nguyễn Thị Minh Khai Trần Lê Phạm Hoàng Võ Đặng Bùi",
        Some(long),
        vec![RequestKind::Delete],
    )
    .await;
    let err = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
        .await
        .map(|_| ())
        .unwrap_err();
    assert!(err.to_string().contains("too long for the envelope window"), "{err}");
    assert!(letters_for_case(&file, number).await.unwrap().is_empty());

    // § 7024(d): a general letter never prints an SSN or an account number.
    let number = case_with(&file, "José Núñez", us_address(), vec![RequestKind::KnowSpecific]).await;
    let mut req = request(LetterKind::General);
    req.body = Some("We hold your Social Security number 123-45-6789 in payroll.".into());
    let err = produce(&file, number, &req, now(), ACTOR).await.unwrap_err();
    assert!(err.to_string().contains("§ 7024(d)"), "{err}");
    assert!(letters_for_case(&file, number).await.unwrap().is_empty());
    req.body = Some("We hold your Social Security number in payroll records.".into());
    assert!(
        produce(&file, number, &req, now(), ACTOR).await.is_ok(),
        "saying the type was collected is fine"
    );

    // The letter goes to the agent when there is one, at the agent's address.
    let mut r = sample_request("José Núñez", "2026-03-02");
    r.details.agent = Some(Agent {
        kind: AgentKind::Business,
        name: "Privacy Helpers LLC".into(),
        email: Some("help@example.com".into()),
        phone: None,
        address: Some(PostalAddress {
            lines: vec!["500 Capitol Mall".into()],
            city: "Sacramento".into(),
            state: Some("CA".into()),
            postal_code: Some("95814".into()),
            country: "US".into(),
        }),
        basis: AgentBasis::SignedPermission,
    });
    let number = log_request(&file, &r, now(), ACTOR).await.unwrap().number;
    let (_, bytes) = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
        .await
        .unwrap();
    let pdf = write(t.dir.path(), "agent.pdf", &bytes);
    assert_recipient_block_in_window(&pdf, &["Privacy", "Helpers", "LLC", "Sacramento"]);
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("on behalf of José Núñez"), "{text}");
}

#[tokio::test]
async fn edited_templates_are_checked_when_saved_and_used_with_their_version() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let err = save_template(
        &file,
        LetterKind::General,
        lang("en"),
        "Dear {{ recipient.nam }},",
        now(),
        ACTOR,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("“recipient.nam”"), "{err}");
    let saved = save_template(
        &file,
        LetterKind::General,
        lang("en"),
        "Hello {{ recipient.name }},\n\n{{ body }}\n\n# Details\n- Contact details: deleted\n",
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    assert_eq!(saved.version, 1);
    let number = case_with(&file, "José Núñez", us_address(), vec![RequestKind::Delete]).await;
    let mut req = request(LetterKind::General);
    req.body = Some("Your records | all of them | were deleted.\n# Not a heading\n- not a list item".into());
    let shown = preview(&file, number, &req, now()).await.unwrap();
    assert_eq!(shown.pages.len(), 1);
    assert!(
        letters_for_case(&file, number).await.unwrap().is_empty(),
        "a preview archives nothing"
    );
    let (letter, bytes) = produce(&file, number, &req, now(), ACTOR).await.unwrap();
    assert_eq!(letter.template_version, 1);
    let text = tool(
        "pdftotext",
        &[write(t.dir.path(), "general.pdf", &bytes).to_str().unwrap(), "-"],
    );
    assert!(
        text.contains("Hello José Núñez,") && text.contains("Contact details: deleted"),
        "{text}"
    );
    assert!(
        text.contains("Your records | all of them | were deleted. # Not a heading - not a list item"),
        "what staff typed prints as itself, never as markup: {text}"
    );
}

/// Tables are built from data (the deletion response's exemptions, later); laid out, a long one
/// breaks across pages with its header repeated, and any character in a cell prints as itself.
#[test]
fn a_long_table_breaks_across_pages_with_its_header_repeated() {
    use privacydesk::letters::content::Block;
    use privacydesk::letters::layout::{lay_out, LetterText};
    use privacydesk::letters::pdf::{write as write_pdf, PdfInfo};
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<Vec<String>> = (1..=70)
        .map(|i| {
            vec![
                format!("Category {i} | with a bar"),
                format!("Kept under the exemption for legal obligations, row {i}"),
            ]
        })
        .collect();
    let text = LetterText {
        letterhead: vec!["Kaiser Permanente".into()],
        recipient_name: "José Núñez".into(),
        recipient_address: us_address().unwrap(),
        date: "March 10, 2026".into(),
        reference: "Your privacy request · Reference PR-2026-00001".into(),
        continuation: "José Núñez · PR-2026-00001".into(),
        body: vec![
            Block::Paragraph {
                text: "What we kept:".into(),
            },
            Block::Table {
                header: vec!["Category".into(), "What happened".into()],
                rows,
            },
        ],
        closing: "Sincerely,".into(),
        signature: vec!["Privacy Office".into()],
        page_of: "Page {n} of {m}".into(),
        fold_marks: true,
        logo: None,
    };
    let laid = lay_out(&text).unwrap();
    assert!(laid.pages.len() >= 2, "{}", laid.pages.len());
    let info = PdfInfo {
        title: "table",
        author: "PrivacyDesk",
        created: now(),
    };
    let pdf = write(dir.path(), "table.pdf", &write_pdf(&laid.pages, &info, None));
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    for page in 2..=laid.pages.len() {
        let p = page.to_string();
        let text = tool("pdftotext", &["-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"]);
        assert!(text.contains("What happened"), "header repeated on page {page}: {text}");
        assert!(
            text.contains("José Núñez · PR-2026-00001"),
            "continuation header on page {page}"
        );
        assert!(text.contains(&format!("Page {page} of {}", laid.pages.len())), "{text}");
    }
    let all = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(
        all.contains("Category 70 | with a bar"),
        "no row lost, and a | prints as itself"
    );
}

#[tokio::test]
async fn a_batch_prints_every_acknowledgment_due_into_one_pdf_and_archives_each() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let mut numbers = Vec::new();
    for name in ["Анна Смирнова", "José Núñez", "Łukasz Żółć"] {
        numbers.push(case_with(&file, name, us_address(), vec![RequestKind::Delete]).await);
    }
    let without_address = case_with(&file, "Mai Tran", None, vec![RequestKind::Delete]).await;
    case_with(&file, "Opt Out Only", us_address(), vec![RequestKind::OptOut]).await;
    let req = BatchRequest {
        kind: LetterKind::Acknowledgment,
        due_before: "2026-03-20".parse().unwrap(),
        fold_marks: true,
    };
    let due = batch_cases(&file, &req, now()).await.unwrap();
    assert_eq!(due.len(), 4, "the four know/delete cases, not the opt-out: {due:?}");
    let mut seen = Vec::new();
    let pdf = t.dir.path().join("batch.pdf");
    let outcome = batch(
        &file,
        &due,
        &req,
        now(),
        ACTOR,
        &AtomicBool::new(false),
        std::fs::File::create(&pdf).unwrap(),
        |done, total| seen.push((done, total)),
    )
    .await
    .unwrap();
    assert_eq!(seen.last(), Some(&(4, 4)));
    assert_eq!(outcome.letters, 3);
    assert_eq!(outcome.skipped.len(), 1);
    assert_eq!(outcome.skipped[0].number, without_address);
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    for number in &numbers {
        assert!(text.contains(&number.to_string()), "{number}");
        assert_eq!(
            letters_for_case(&file, *number).await.unwrap().len(),
            1,
            "archived {number}"
        );
    }
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains(&format!("Pages:           {}", outcome.pages)), "{info}");

    // Mailing the batch confirms receipt for each case (§ 7021(a)).
    let marked = privacydesk::service::letters::mark_all_mailed(
        &file,
        &outcome.letter_ids,
        &Mailing {
            on: "2026-03-10".parse().unwrap(),
            method: MailMethod::FirstClass,
            tracking_number: None,
        },
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    assert_eq!(marked, 3);
    for number in &numbers {
        let clocks = crate::support::clocks_at(&file, *number, now()).await;
        assert!(clocks.acknowledgment.is_some(), "{number}");
    }
    assert_eq!(
        batch_cases(&file, &req, now()).await.unwrap(),
        vec![without_address],
        "only the unprinted one is left"
    );

    // A cancelled batch stops before the next letter and keeps what it printed.
    let empty = t.dir.path().join("cancelled.pdf");
    let cancelled = batch(
        &file,
        &due,
        &req,
        now(),
        ACTOR,
        &AtomicBool::new(true),
        std::fs::File::create(&empty).unwrap(),
        |_, _| {},
    )
    .await
    .unwrap();
    assert!(cancelled.cancelled && cancelled.letters == 0);
    tool("qpdf", &["--check", empty.to_str().unwrap()]);
    find_case(&file, numbers[0]).await;
}

#[tokio::test]
async fn a_png_logo_goes_on_the_letterhead_and_anything_else_is_refused() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let err = set_letterhead_logo(&file, Some(b"GIF89a not a png"), now(), ACTOR)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("PNG"), "{err}");
    let png = std::fs::read(crate::support::manifest_dir().join("icons/128x128.png")).unwrap();
    set_letterhead_logo(&file, Some(&png), now(), ACTOR).await.unwrap();
    let number = case_with(&file, "José Núñez", us_address(), vec![RequestKind::Delete]).await;
    let shown = preview(&file, number, &request(LetterKind::Acknowledgment), now())
        .await
        .unwrap();
    let logo = shown.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            privacydesk::letters::layout::Item::Logo { x, y, width, height } => Some((*x, *y, *width, *height)),
            _ => None,
        })
        .expect("the logo is placed");
    assert!(
        logo.3 <= 0.6 * 72.0 + 0.01 && logo.0 + logo.2 <= 540.01 && logo.1 + logo.3 < 151.2,
        "{logo:?}"
    );
    let (_, bytes) = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
        .await
        .unwrap();
    let pdf = write(t.dir.path(), "logo.pdf", &bytes);
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let kinds: Vec<&str> = images
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert_eq!(
        kinds,
        ["image", "smask"],
        "the logo (with its transparency) on page 1: {images}"
    );
    assert_recipient_block_in_window(&pdf, &["José", "Núñez"]);
    set_letterhead_logo(&file, None, now(), ACTOR).await.unwrap();
    let shown = preview(&file, number, &request(LetterKind::Acknowledgment), now())
        .await
        .unwrap();
    assert!(!shown.has_logo);
}

/// Every kind of letter, in English and in Spanish, for a case that calls for it: a valid PDF
/// with the person's name, the case number and a page count in the letter's language.
#[tokio::test]
async fn every_kind_in_english_and_spanish_passes_the_pdf_checks() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    for language in [lang("en"), lang("es")] {
        let delete = case_with(&file, "Анна Смирнова", us_address(), vec![RequestKind::Delete]).await;
        let opt_out = case_with(&file, "Анна Смирнова", us_address(), vec![RequestKind::OptOut]).await;
        let mut r = sample_request("Анна Смирнова", "2026-03-02");
        r.details.entity = Some("not-listed".into());
        let not_covered = log_request(&file, &r, now(), ACTOR).await.unwrap().number;
        for (kind, number) in [
            (LetterKind::Acknowledgment, delete),
            (LetterKind::Extension, delete),
            (LetterKind::OptOutConfirmation, opt_out),
            (LetterKind::NotCovered, not_covered),
            (LetterKind::General, delete),
        ] {
            let req = LetterRequest {
                language: Some(language.clone()),
                body: Some("We have finished our search of the payroll records.".into()),
                reason: Some("The records are held in two archives.".into()),
                ..LetterRequest::of(kind)
            };
            let (letter, bytes) = produce(&file, number, &req, now(), ACTOR)
                .await
                .unwrap_or_else(|e| panic!("{kind:?} {language:?}: {e}"));
            let pdf = write(t.dir.path(), &format!("{}-{language}.pdf", kind.token()), &bytes);
            tool("qpdf", &["--check", pdf.to_str().unwrap()]);
            let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
            let page = if language.code() == "es" {
                "Página 1 de"
            } else {
                "Page 1 of"
            };
            assert!(
                text.contains("Анна Смирнова") && text.contains(&number.to_string()) && text.contains(page),
                "{kind:?} {language:?}:\n{text}"
            );
            assert_eq!(letter.kind, kind);
        }
    }
}

/// A batch's printer PDF is streamed letter by letter: one valid PDF, every page in order, the
/// names extractable, one document information, each font subset and the logo written once
/// (a subset again only when a letter brings characters the last one lacked).
#[test]
fn a_printer_pdf_streams_letters_in_order_with_fonts_and_logo_written_once() {
    use privacydesk::letters::layout::{Item, Page};
    use privacydesk::letters::pdf::{PdfInfo, Press, PrinterPdf};
    let dir = tempfile::tempdir().unwrap();
    let png = std::fs::read(crate::support::manifest_dir().join("icons/32x32.png")).unwrap();
    let info = PdfInfo {
        title: "acknowledgment letters · 2026-03-10",
        author: "Kaiser Permanente",
        created: now(),
    };
    let page = |name: &str| Page {
        items: vec![
            Item::Text {
                x: 72.0,
                y: 160.0,
                size: 10.0,
                bold: false,
                text: name.into(),
                unit: 0,
            },
            Item::Logo {
                x: 500.0,
                y: 36.0,
                width: 40.0,
                height: 40.0,
            },
        ],
    };
    let pdf = dir.path().join("printer.pdf");
    let mut press = Press::new(Some(&png));
    let mut printer = PrinterPdf::new(std::fs::File::create(&pdf).unwrap()).unwrap();
    let letters: [&[Page]; 4] = [
        &[page("Łukasz Żółć"), page("Анна Смирнова")],
        &[page("Nguyễn Thị Minh Khai")],
        &[page("Αλέξανδρος Παπαδόπουλος")],
        &[page("Ana Lee")],
    ];
    for pages in letters {
        // The archived copy and the printer's pages come from the same press.
        let pressed = press.press(pages);
        assert!(pressed.pdf(&info).starts_with(b"%PDF-1.7"));
        printer.add(&pressed).unwrap();
    }
    assert_eq!(printer.pages(), 5);
    printer.finish(&info).unwrap();
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let pdfinfo = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(pdfinfo.contains("Pages:           5"), "{pdfinfo}");
    assert!(
        pdfinfo.contains("Title:           acknowledgment letters · 2026-03-10"),
        "{pdfinfo}"
    );
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let order: Vec<&str> = text.split('\u{c}').map(str::trim).filter(|p| !p.is_empty()).collect();
    assert_eq!(
        order,
        [
            "Łukasz Żółć",
            "Анна Смирнова",
            "Nguyễn Thị Minh Khai",
            "Αλέξανδρος Παπαδόπουλος",
            "Ana Lee"
        ]
    );
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(fonts.lines().skip(2).all(|l| l.contains(" yes yes yes ")), "{fonts}");
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let logos = images
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count();
    assert_eq!(logos, 5, "the logo on every page: {images}");
    let logo_objects: std::collections::BTreeSet<&str> = images
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .filter_map(|l| l.split_whitespace().nth(10))
        .collect();
    assert_eq!(logo_objects.len(), 1, "one image object for every page: {images}");
    // Regular: the first subset, grown for Vietnamese, then for Greek ("Ana Lee" needs nothing
    // new); bold: one subset.
    assert_eq!(fonts.lines().skip(2).count(), 4, "{fonts}");
}

/// No letter is produced or mailed while the profile lacks a signatory or a return address
/// (the demo notice names neither); the refusal says what to add and where, and writes nothing.
#[tokio::test]
async fn letters_wait_for_a_signatory_and_a_return_address() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let number = case_with(&file, "José Núñez", us_address(), vec![RequestKind::Delete]).await;
    let err: privacydesk::service::AppError =
        produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
            .await
            .map(|_| ())
            .unwrap_err()
            .into();
    assert_eq!(err.fields[0].field, "profile");
    assert!(
        err.fields[0]
            .message
            .contains("the name of the person who signs letters and the return address")
            && err.fields[0].message.contains("Settings › Organisation profile"),
        "{err:?}"
    );
    assert!(letters_for_case(&file, number).await.unwrap().is_empty());
    // The preview still shows the letter, so staff can read it while the profile is completed.
    preview(&file, number, &request(LetterKind::Acknowledgment), now())
        .await
        .unwrap();

    privacydesk::service::profile::save_profile(&file, &crate::support::letter_ready_profile(), now(), ACTOR)
        .await
        .unwrap();
    let (letter, _) = produce(&file, number, &request(LetterKind::Acknowledgment), now(), ACTOR)
        .await
        .unwrap();
    // Taking the return address out again stops the mailing too.
    let mut profile = privacydesk::service::profile::current_profile(&file)
        .await
        .unwrap()
        .profile;
    profile.return_address.lines.clear();
    privacydesk::service::profile::save_profile(&file, &profile.to_toml(), now(), ACTOR)
        .await
        .unwrap();
    let mailing = Mailing {
        on: "2026-03-10".parse().unwrap(),
        method: MailMethod::FirstClass,
        tracking_number: None,
    };
    let err = mark_mailed(&file, letter.id, &mailing, now(), ACTOR).await.unwrap_err();
    assert!(err.to_string().contains("the return address"), "{err}");
    assert!(letters_for_case(&file, number).await.unwrap()[0].mailed_on.is_none());
}

/// Before a batch prints, its plan says how many letters it can print and which cases it
/// cannot, each with the reason; and that nothing can print while the profile is incomplete.
#[tokio::test]
async fn a_batch_plan_lists_what_it_cannot_print_before_printing() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let req = BatchRequest {
        kind: LetterKind::Acknowledgment,
        due_before: "2026-03-20".parse().unwrap(),
        fold_marks: true,
    };
    let ready = case_with(&file, "José Núñez", us_address(), vec![RequestKind::Delete]).await;
    let no_address = case_with(&file, "Mai Tran", None, vec![RequestKind::Delete]).await;
    let mut far = us_address().unwrap();
    far.lines = vec!["王府井大街 1 号".into()];
    let unprintable = case_with(&file, "Ana Reyes", Some(far), vec![RequestKind::KnowCategories]).await;
    let plan = privacydesk::service::letters::batch_plan(&file, &req, now())
        .await
        .unwrap();
    assert_eq!(plan.printable, vec![ready]);
    let cannot: Vec<_> = plan.cannot.iter().map(|s| s.number).collect();
    assert_eq!(cannot.len(), 2);
    assert!(
        cannot.contains(&no_address) && cannot.contains(&unprintable),
        "{plan:?}"
    );
    let why = |n| plan.cannot.iter().find(|s| s.number == n).unwrap().reason.clone();
    assert!(why(no_address).contains("no postal address"), "{plan:?}");
    assert!(why(unprintable).contains("cannot print"), "{plan:?}");
    assert!(plan
        .blocked
        .as_deref()
        .unwrap_or("")
        .contains("Settings › Organisation profile"));

    privacydesk::service::profile::save_profile(&file, &crate::support::letter_ready_profile(), now(), ACTOR)
        .await
        .unwrap();
    let plan = privacydesk::service::letters::batch_plan(&file, &req, now())
        .await
        .unwrap();
    assert_eq!(plan.blocked, None);
    assert!(
        letters_for_case(&file, ready).await.unwrap().is_empty(),
        "a plan prints nothing"
    );
}
