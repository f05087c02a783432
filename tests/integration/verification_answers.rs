//! The letters of identity verification, produced as real PDFs and read back with the PDF tools
//! (request for verification information, the declaration form, the agent's permission,
//! unable-to-verify), the answers an unable-to-verify letter gives per kind (§§ 7022(a), (g),
//! 7023(a), 7024(a)-(b)), and the system-of-record extract matched by keyed hashes.

use crate::support::*;
use privacydesk::domain::details::{Agent, AgentBasis, AgentKind, Language};
use privacydesk::domain::profile::OrganisationProfile;
use privacydesk::domain::verification::PointResult;
use privacydesk::domain::{CaseNumber, CaseStatus, RequestKind};
use privacydesk::letters::LetterKind;
use privacydesk::service::intake::log_request;
use privacydesk::service::letters::{produce, LetterRequest};
use privacydesk::service::reference;
use privacydesk::service::verification::{self as verify, Outcome};
use privacydesk::service::{AppError, ErrorCode};
use privacydesk::store::CaseFile;

async fn case_with(file: &CaseFile, kinds: Vec<RequestKind>, agent: Option<AgentBasis>) -> CaseNumber {
    let mut request = sample_request("Ana Reyes", "2026-03-02");
    request.kinds = kinds;
    request.details.agent = agent.map(|basis| Agent {
        kind: AgentKind::Person,
        name: "Marta Ruiz".into(),
        email: Some("marta@example.org".into()),
        phone: None,
        address: request.requester.address.clone(),
        basis,
    });
    log_request(file, &request, now(), ACTOR).await.expect("logged").number
}

/// Produces a letter, checks the PDF with qpdf and pdffonts, and returns its text.
async fn letter_text(file: &CaseFile, number: CaseNumber, request: &LetterRequest, dir: &std::path::Path) -> String {
    let (letter, bytes) = produce(file, number, request, now(), ACTOR)
        .await
        .unwrap_or_else(|e| panic!("{:?}: {:?}", request.kind, AppError::from(e)));
    let path = dir.join(format!("{}-{}.pdf", request.kind.token(), letter.id));
    std::fs::write(&path, &bytes).unwrap();
    tool("qpdf", &["--check", path.to_str().unwrap()]);
    let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "fonts embedded:\n{fonts}"
    );
    if let Ok(out) = std::env::var("LETTER_SAMPLES") {
        std::fs::copy(&path, std::path::Path::new(&out).join(path.file_name().unwrap())).unwrap();
    }
    // One line per paragraph line; joined so a phrase broken across lines is still found.
    tool("pdftotext", &[path.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn kind(view: &verify::VerificationView, kind: RequestKind) -> &verify::KindVerification {
    view.kinds.iter().find(|k| k.requirement.kind == kind).unwrap()
}

#[tokio::test]
async fn the_request_for_verification_information_says_what_is_missing_and_that_the_clock_runs_section_7021b() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, vec![RequestKind::KnowSpecific], None).await;
    verify::check_point(&file, number, "employee-id", "E-1", PointResult::Matched, now(), ACTOR)
        .await
        .unwrap();
    let text = letter_text(
        &file,
        number,
        &LetterRequest::of(LetterKind::VerificationRequest),
        t.dir.path(),
    )
    .await;
    for said in [
        "2 more details that match our records, and the declaration under penalty of perjury",
        "Date of birth",
        "Hire or application date",
        "We have already received and compared: • Employee or applicant ID",
        "By post to 1800 Harrison St, Oakland CA 94612",
        "There is no fee",
        "notarised",
        "still respond by April 15, 2026",
        "§ 7021(b)",
        "1800 Harrison St",
    ] {
        assert!(text.contains(said), "{said:?} in:\n{text}");
    }
    assert!(!text.contains("E-1"), "never a value the person gave");

    // The same in Spanish, with the data points named in Spanish.
    let es = LetterRequest {
        language: Some(Language::new("es")),
        ..LetterRequest::of(LetterKind::VerificationRequest)
    };
    let text = letter_text(&file, number, &es, t.dir.path()).await;
    for said in [
        "2 datos más que coincidan",
        "Fecha de nacimiento",
        "No hay ningún cargo",
        "15 de abril de 2026",
    ] {
        assert!(text.contains(said), "{said:?} in:\n{text}");
    }

    // Nothing pending: the letter is refused, with why.
    let closed = case_with(&file, vec![RequestKind::OptOut], None).await;
    let e = AppError::from(
        produce(
            &file,
            closed,
            &LetterRequest::of(LetterKind::VerificationRequest),
            now(),
            ACTOR,
        )
        .await
        .unwrap_err(),
    );
    assert!(e.message.contains("waiting for verification"), "{e:?}");
}

#[tokio::test]
async fn the_declaration_form_is_the_california_form_with_name_and_case_number_ccp_2015_5() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, vec![RequestKind::KnowSpecific], None).await;
    let text = letter_text(
        &file,
        number,
        &LetterRequest::of(LetterKind::DeclarationForm),
        t.dir.path(),
    )
    .await;
    for said in [
        "I, Ana Reyes, declare",
        &format!("privacy request {number}"),
        "I declare under penalty of perjury under the laws of the State of California that the foregoing is true and correct",
        "§ 2015.5",
        "Executed on",
        "Signature:",
        "Printed name: Ana Reyes",
    ] {
        assert!(text.contains(said), "{said:?} in:\n{text}");
    }
    // Once the declaration is recorded, there is no form left to send.
    verify::record_declaration(&file, number, None, Some("2026-03-09".parse().unwrap()), now(), ACTOR)
        .await
        .unwrap();
    let e = AppError::from(
        produce(
            &file,
            number,
            &LetterRequest::of(LetterKind::DeclarationForm),
            now(),
            ACTOR,
        )
        .await
        .unwrap_err(),
    );
    assert!(e.message.contains("declaration is recorded already"), "{e:?}");
}

#[tokio::test]
async fn the_agent_permission_goes_to_the_agent_or_to_the_person_section_7063a() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, vec![RequestKind::Delete], Some(AgentBasis::SignedPermission)).await;
    let (to_agent, _) = produce(
        &file,
        number,
        &LetterRequest::of(LetterKind::AgentPermission),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    assert_eq!(to_agent.recipient, "Marta Ruiz");
    let direct = LetterRequest {
        variant: Some("direct-confirmation".into()),
        ..LetterRequest::of(LetterKind::AgentPermission)
    };
    let text = letter_text(&file, number, &direct, t.dir.path()).await;
    assert!(
        text.starts_with("Ana Reyes") || text.contains("Dear Ana Reyes"),
        "{text}"
    );
    assert!(text.contains("made on your behalf by Marta Ruiz"), "{text}");
    assert!(text.contains("§ 7063(a)"), "{text}");

    // Power of attorney: nothing to ask (§ 7063(b)).
    let poa = case_with(&file, vec![RequestKind::Delete], Some(AgentBasis::PowerOfAttorney)).await;
    let e = AppError::from(
        produce(
            &file,
            poa,
            &LetterRequest::of(LetterKind::AgentPermission),
            now(),
            ACTOR,
        )
        .await
        .unwrap_err(),
    );
    assert!(e.message.contains("§ 7063(b)"), "{e:?}");
}

#[tokio::test]
async fn specific_pieces_unverified_are_denied_and_handled_as_categories_section_7024a() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, vec![RequestKind::KnowSpecific], None).await;
    let e = AppError::from(
        produce(
            &file,
            number,
            &LetterRequest::of(LetterKind::UnableToVerify),
            now(),
            ACTOR,
        )
        .await
        .unwrap_err(),
    );
    assert!(e.message.contains("conclude the verification as failed first"), "{e:?}");

    verify::conclude(
        &file,
        number,
        RequestKind::KnowSpecific,
        false,
        "No declaration came back.",
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let text = letter_text(
        &file,
        number,
        &LetterRequest::of(LetterKind::UnableToVerify),
        t.dir.path(),
    )
    .await;
    for said in [
        "we will not disclose any (11 CCR § 7024(a))",
        "request to know the categories",
        "Why: No declaration came back.",
    ] {
        assert!(text.contains(said), "{said:?} in:\n{text}");
    }
    let case = find_case(&file, number).await;
    assert_eq!(case.kinds, vec![RequestKind::KnowCategories, RequestKind::KnowSpecific]);
    assert_ne!(case.status, CaseStatus::Denied, "the categories are still to answer");
    let view = verify::verification(&file, number).await.unwrap();
    assert!(kind(&view, RequestKind::KnowSpecific)
        .answer
        .is_some_and(|a| a.as_categories));
    assert_eq!(kind(&view, RequestKind::KnowCategories).outcome, Outcome::Pending);
    assert!(view.purged_at.is_none());
    // An answered kind is not concluded again, nor answered twice.
    assert!(
        verify::conclude(&file, number, RequestKind::KnowSpecific, false, "again", now(), ACTOR)
            .await
            .is_err()
    );

    // The categories fail too: the pointer to the notice, the response recorded, the case denied
    // and what the person gave purged.
    verify::check_point(
        &file,
        number,
        "date-of-birth",
        "1980-01-01",
        PointResult::NotMatched,
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    verify::conclude(
        &file,
        number,
        RequestKind::KnowCategories,
        false,
        "The date of birth does not match.",
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let text = letter_text(
        &file,
        number,
        &LetterRequest::of(LetterKind::UnableToVerify),
        t.dir.path(),
    )
    .await;
    assert!(text.contains("§ 7024(b)") && text.contains("privacy notice"), "{text}");
    assert!(
        text.contains("Unique personal identifiers"),
        "the notice's categories are listed: {text}"
    );
    let case = find_case(&file, number).await;
    assert_eq!(case.status, CaseStatus::Denied);
    let actions: Vec<String> = history(&file, number).await.into_iter().map(|h| h.action).collect();
    assert!(
        actions.contains(&"response.sent".to_owned()),
        "the letter is the response: {actions:?}"
    );
    let view = verify::verification(&file, number).await.unwrap();
    assert!(view.purged_at.is_some() && view.points.iter().all(|p| p.given.is_none()));
    let actions: Vec<String> = history(&file, number).await.into_iter().map(|h| h.action).collect();
    assert!(actions.contains(&"verification.answered".to_owned()), "{actions:?}");
}

#[tokio::test]
async fn a_deletion_unverified_is_denied_and_asks_about_the_opt_out_only_where_the_business_sells_section_7022() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, vec![RequestKind::Delete], None).await;
    verify::conclude(
        &file,
        number,
        RequestKind::Delete,
        false,
        "Two details did not match.",
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let text = letter_text(
        &file,
        number,
        &LetterRequest::of(LetterKind::UnableToVerify),
        t.dir.path(),
    )
    .await;
    assert!(
        text.contains("not deleting personal information at this request (11 CCR § 7022(a))"),
        "{text}"
    );
    assert!(
        !text.contains("opt out"),
        "the demo organisation does not sell or share: {text}"
    );
    assert_eq!(find_case(&file, number).await.status, CaseStatus::Denied);

    // An organisation that sells or shares asks (§ 7022(g)).
    let mut selling = OrganisationProfile::from_toml(&letter_ready_profile()).unwrap();
    selling.policy.sells_or_shares = true;
    privacydesk::service::profile::save_profile(&file, &selling.to_toml(), now(), ACTOR)
        .await
        .unwrap();
    let other = case_with(&file, vec![RequestKind::Delete, RequestKind::Correct], None).await;
    for k in [RequestKind::Delete, RequestKind::Correct] {
        verify::conclude(&file, other, k, false, "No reply to our request.", now(), ACTOR)
            .await
            .unwrap();
    }
    let es = LetterRequest {
        language: Some(Language::new("es")),
        ..LetterRequest::of(LetterKind::UnableToVerify)
    };
    let text = letter_text(&file, other, &es, t.dir.path()).await;
    for said in [
        "¿Desea que dejemos de vender o compartir la suya?",
        "§ 7023(a)",
        "Motivo: No reply to our request.",
    ] {
        assert!(text.contains(said), "{said:?} in:\n{text}");
    }
    assert_eq!(find_case(&file, other).await.status, CaseStatus::Denied);
}

#[tokio::test]
async fn the_extract_matches_by_keyed_hash_and_its_values_are_nowhere_in_the_file() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let csv = "id,employee-id,date-of-birth,personal-phone\n\
               HR-1,E-40411,1981-03-04,(415) 555-0100\n\
               HR-2,E-93517,07/22/1990,\n";
    let loaded = reference::load(&file, csv.as_bytes(), now(), ACTOR).await.unwrap();
    assert_eq!(loaded.records, 2);
    assert_eq!(loaded.fields, vec!["employee-id", "date-of-birth", "personal-phone"]);

    let number = case_with(&file, vec![RequestKind::Delete], None).await;
    // Written differently from the extract, the same value matches.
    let m = reference::suggest(&file, number, "date-of-birth", "03/04/1981")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.result, PointResult::Matched);
    verify::check_point(
        &file,
        number,
        "date-of-birth",
        "03/04/1981",
        PointResult::Matched,
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    // Another record's ID does not match this person's record.
    let m = reference::suggest(&file, number, "employee-id", "E-93517")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.result, PointResult::NotMatched);
    let m = reference::suggest(&file, number, "personal-phone", "415.555.0100")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((m.result, m.agreeing), (PointResult::Matched, 2));
    let m = reference::suggest(&file, number, "hire-date", "2019-01-01")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.result, PointResult::NotHeld, "the extract has no hire dates");
    let view = verify::verification(&file, number).await.unwrap();
    assert_eq!(view.points[0].reference.map(|m| m.result), Some(PointResult::Matched));

    // A bad extract names its line and changes nothing.
    for (bad, said) in [
        (
            "id,employee-id,shoe-size\nHR-1,E-1,9\n",
            "“shoe-size” is not a data point",
        ),
        (
            "id,employee-id\nHR-1,E-1\nHR-1,E-2\n",
            "Line 3: this identifier comes earlier",
        ),
        (
            "id,employee-id,date-of-birth\nHR-1,E-1\n",
            "Line 2: 2 columns where the header has 3",
        ),
        ("id,employee-id\nHR-1,\"E-1\nHR-2,E-2\n", "Line 2"),
        ("id,employee-id\n", "no records"),
    ] {
        let e = AppError::from(reference::load(&file, bad.as_bytes(), now(), ACTOR).await.unwrap_err());
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.message.contains(said), "{said:?}: {e:?}");
    }
    assert_eq!(
        reference::extract(&file).await.unwrap().unwrap().records,
        2,
        "the old extract stands"
    );

    // A new extract replaces the old: its records no longer match.
    reference::load(&file, "id,employee-id\nX-9,E-55501\n".as_bytes(), now(), ACTOR)
        .await
        .unwrap();
    let m = reference::suggest(&file, number, "employee-id", "E-40411")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.result, PointResult::NotMatched);

    // The extract's values (and identifiers) are in no page of the file, nor in the history.
    let pages = pages_after_close(&t, file).await;
    assert!(contains(&pages, "Ana Reyes"), "the pages decrypt");
    for value in ["E-40411", "E-93517", "E-55501", "HR-1", "X-9", "555-0100", "07/22/1990"] {
        assert!(!contains(&pages, value), "{value} is not kept");
    }
    let file = t.open().await;
    let events = privacydesk::service::history::file_history(&file, 10).await.unwrap();
    assert!(events.iter().any(|e| e.action == "reference.loaded"));
}
