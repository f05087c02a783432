//! The decision matrix and the response per kind on a real case file: the rules of
//! `domain::decision` enforced in the write, the retention schedule's until-when, the matrix's
//! completeness, and the response recorded as data (Civ. Code §§ 1798.105(d), 1798.145; 11 CCR
//! §§ 7022-7024, 7101).

use crate::support::*;
use privacydesk::domain::decision::{DecisionInput, DecisionOutcome, Until};
use privacydesk::domain::{CaseNumber, CaseStatus, RequestKind};
use privacydesk::service::decisions::{decide, decisions, record_response, ResponseInput};
use privacydesk::service::intake::log_request;
use privacydesk::service::{AppError, ErrorCode};
use privacydesk::store::CaseFile;

async fn case_with(file: &CaseFile, kinds: Vec<RequestKind>) -> CaseNumber {
    let mut request = sample_request("Ana Reyes", "2026-03-02");
    request.kinds = kinds;
    log_request(file, &request, now(), ACTOR).await.expect("logged").number
}

fn decision(kind: RequestKind, category: &str, outcome: DecisionOutcome) -> DecisionInput {
    DecisionInput {
        kind,
        category: category.into(),
        outcome,
        basis: None,
        record_type: None,
        reproductive_health: false,
        note: String::new(),
    }
}

#[tokio::test]
async fn a_mixed_deletion_matrix_is_checked_in_the_write_and_kept_as_data_section_1798_105d() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let number = case_with(&file, vec![RequestKind::Delete]).await;
    let m = decisions(&file, number).await.unwrap();
    assert_eq!(m.categories.len(), 7);
    assert_eq!(m.kinds[0].missing.len(), 7, "nothing decided yet");
    assert!(
        m.kinds[0].bases.iter().all(|b| b.citation.contains("1798.1")),
        "{:?}",
        m.kinds[0].bases
    );

    // Refused, with the reason: no basis; a basis of another kind; a record type that does not
    // hold the category.
    let e = AppError::from(
        decide(
            &file,
            number,
            &decision(RequestKind::Delete, "identifiers", DecisionOutcome::Retained),
            now(),
            ACTOR,
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("§ 1798.145(h)(2)"), "{e:?}");
    let privilege = DecisionInput {
        basis: Some("145b-privilege".into()),
        ..decision(RequestKind::Delete, "identifiers", DecisionOutcome::Retained)
    };
    let e = AppError::from(decide(&file, number, &privilege, now(), ACTOR).await.unwrap_err());
    assert!(e.message.contains("does not apply to a delete request"), "{e:?}");
    let wrong_record = DecisionInput {
        basis: Some("105d8-legal-obligation".into()),
        record_type: Some("payroll".into()),
        ..decision(
            RequestKind::Delete,
            "screening-and-workers-comp",
            DecisionOutcome::Retained,
        )
    };
    let e = AppError::from(decide(&file, number, &wrong_record, now(), ACTOR).await.unwrap_err());
    assert!(e.message.contains("does not hold"), "{e:?}");
    let e = AppError::from(
        decide(
            &file,
            number,
            &decision(RequestKind::KnowSpecific, "name", DecisionOutcome::SpecificProvided),
            now(),
            ACTOR,
        )
        .await
        .unwrap_err(),
    );
    assert!(e.message.contains("does not ask for"), "{e:?}");

    // A mixed matrix: deleted, kept under a legal obligation (payroll, Lab. Code § 1174(d)),
    // kept for a legal claim, none held.
    let payroll = DecisionInput {
        basis: Some("105d8-legal-obligation".into()),
        record_type: Some("payroll".into()),
        ..decision(
            RequestKind::Delete,
            "financial-and-insurance",
            DecisionOutcome::Retained,
        )
    };
    decide(&file, number, &payroll, now(), ACTOR).await.unwrap();
    let claims = DecisionInput {
        basis: Some("145a1E-legal-claims".into()),
        note: "Open grievance".into(),
        ..decision(
            RequestKind::Delete,
            "education-and-employment",
            DecisionOutcome::Retained,
        )
    };
    decide(&file, number, &claims, now(), ACTOR).await.unwrap();
    for category in ["name", "contact", "identifiers"] {
        decide(
            &file,
            number,
            &decision(RequestKind::Delete, category, DecisionOutcome::Deleted),
            now(),
            ACTOR,
        )
        .await
        .unwrap();
    }
    decide(
        &file,
        number,
        &decision(RequestKind::Delete, "browsing", DecisionOutcome::NoneHeld),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let m = decisions(&file, number).await.unwrap();
    assert_eq!(m.kinds[0].missing, vec!["screening-and-workers-comp".to_owned()]);
    let kept = m
        .decisions
        .iter()
        .find(|d| d.category == "financial-and-insurance")
        .unwrap();
    assert_eq!(kept.citation.as_deref(), Some("Civ. Code § 1798.105(d)(8)"));
    assert_eq!(
        kept.record.as_deref(),
        Some("Payroll records (hours and wages) (Lab. Code § 1174(d))")
    );
    assert_eq!(kept.until, Some(Until::Date("2029-03-10".parse().unwrap())));
    let actions: Vec<String> = history(&file, number).await.into_iter().map(|h| h.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "decision.recorded").count(), 6);

    // Reproductive-health information: the legal-claims shield does not reach it
    // (§ 1798.145(a)(2)(A)); the legal obligation does.
    let shielded = DecisionInput {
        reproductive_health: true,
        ..claims.clone()
    };
    let e = AppError::from(decide(&file, number, &shielded, now(), ACTOR).await.unwrap_err());
    assert!(e.message.contains("§ 1798.145(a)(2)(A)"), "{e:?}");
}

#[tokio::test]
async fn a_response_per_kind_is_data_and_the_last_one_moves_the_case_to_responded() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let number = case_with(&file, vec![RequestKind::Delete, RequestKind::OptOut]).await;
    let on: chrono::NaiveDate = "2026-03-09".parse().unwrap();
    let bad = ResponseInput {
        kind: RequestKind::Delete,
        outcome: "denied".into(),
        denial_reason: None,
        basis: None,
        on,
    };
    let e = AppError::from(record_response(&file, number, &bad, now(), ACTOR).await.unwrap_err());
    assert!(e.message.contains("Say why it was denied"), "{e:?}");
    let exempt = ResponseInput {
        denial_reason: Some("exempt".into()),
        ..bad.clone()
    };
    let e = AppError::from(record_response(&file, number, &exempt, now(), ACTOR).await.unwrap_err());
    assert!(e.message.contains("--basis"), "{e:?}");

    let partly = ResponseInput {
        outcome: "complied-in-part".into(),
        ..bad.clone()
    };
    record_response(&file, number, &partly, now(), ACTOR).await.unwrap();
    assert_ne!(
        find_case(&file, number).await.status,
        CaseStatus::Responded,
        "the opt-out is still open"
    );
    let e = AppError::from(record_response(&file, number, &partly, now(), ACTOR).await.unwrap_err());
    assert_eq!(e.code, ErrorCode::AlreadyRecorded);
    // Decisions stand once the kind is answered.
    let e = AppError::from(
        decide(
            &file,
            number,
            &decision(RequestKind::Delete, "name", DecisionOutcome::Deleted),
            now(),
            ACTOR,
        )
        .await
        .unwrap_err(),
    );
    assert!(e.message.contains("was answered on"), "{e:?}");

    let opt_out = ResponseInput {
        kind: RequestKind::OptOut,
        outcome: "complied".into(),
        denial_reason: None,
        basis: None,
        on,
    };
    record_response(&file, number, &opt_out, now(), ACTOR).await.unwrap();
    assert_eq!(find_case(&file, number).await.status, CaseStatus::Responded);
    let m = decisions(&file, number).await.unwrap();
    let delete = m.kinds.iter().find(|k| k.kind == RequestKind::Delete).unwrap();
    assert_eq!(
        delete.response.as_ref().map(|r| r.outcome.as_str()),
        Some("complied-in-part")
    );
    let actions: Vec<String> = history(&file, number).await.into_iter().map(|h| h.action).collect();
    for action in ["kind.answered", "response.sent", "compliance.recorded", "status.moved"] {
        assert!(actions.contains(&action.to_owned()), "{action}: {actions:?}");
    }
}

/// Produces a letter and returns its text (qpdf-checked), copying it to `LETTER_SAMPLES`.
async fn letter(
    file: &CaseFile,
    number: CaseNumber,
    kind: privacydesk::letters::LetterKind,
    dir: &std::path::Path,
) -> Result<String, AppError> {
    use privacydesk::service::letters::{produce, LetterRequest};
    let (archived, bytes) = produce(file, number, &LetterRequest::of(kind), now(), ACTOR)
        .await
        .map_err(AppError::from)?;
    let path = dir.join(format!("{}-{}.pdf", kind.token(), archived.id));
    std::fs::write(&path, &bytes).unwrap();
    tool("qpdf", &["--check", path.to_str().unwrap()]);
    if let Ok(out) = std::env::var("LETTER_SAMPLES") {
        std::fs::copy(&path, std::path::Path::new(&out).join(path.file_name().unwrap())).unwrap();
    }
    Ok(tool("pdftotext", &[path.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" "))
}

async fn verified(file: &CaseFile, number: CaseNumber, kind: RequestKind) {
    use privacydesk::domain::verification::PointResult;
    use privacydesk::service::verification as verify;
    for (field, value) in [
        ("employee-id", "E-1"),
        ("hire-date", "2019-05-01"),
        ("job-title", "Nurse"),
    ] {
        verify::check_point(file, number, field, value, PointResult::Matched, now(), ACTOR)
            .await
            .unwrap();
    }
    verify::conclude(file, number, kind, true, "", now(), ACTOR)
        .await
        .unwrap();
}

/// Where the two kept rows start in the letter's text.
fn tool_rows(text: &str) -> (usize, usize) {
    (
        text.find("Financial account and").expect("the financial row"),
        text.find("Education, professional").expect("the education row"),
    )
}

#[tokio::test]
async fn the_deletion_response_shows_the_mixed_matrix_row_by_row_and_records_the_response_section_7022() {
    use privacydesk::letters::LetterKind;
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, vec![RequestKind::Delete]).await;
    let e = letter(&file, number, LetterKind::DeletionResponse, t.dir.path())
        .await
        .unwrap_err();
    assert!(e.message.contains("Verify the person's identity"), "{e:?}");
    verified(&file, number, RequestKind::Delete).await;
    let e = letter(&file, number, LetterKind::DeletionResponse, t.dir.path())
        .await
        .unwrap_err();
    assert!(
        e.message.contains("Decide every category first") && e.message.contains("Contact information"),
        "{e:?}"
    );

    let kept = [
        ("financial-and-insurance", "105d8-legal-obligation", Some("payroll")),
        ("education-and-employment", "145a1E-legal-claims", None),
    ];
    for (category, basis, record) in kept {
        let input = DecisionInput {
            basis: Some(basis.into()),
            record_type: record.map(str::to_owned),
            note: "SSN 123-45-6789 seen in the file".into(),
            ..decision(RequestKind::Delete, category, DecisionOutcome::Retained)
        };
        decide(&file, number, &input, now(), ACTOR).await.unwrap();
    }
    for category in ["name", "contact", "identifiers"] {
        decide(
            &file,
            number,
            &decision(RequestKind::Delete, category, DecisionOutcome::Deleted),
            now(),
            ACTOR,
        )
        .await
        .unwrap();
    }
    decide(
        &file,
        number,
        &decision(RequestKind::Delete, "browsing", DecisionOutcome::Deidentified),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    decide(
        &file,
        number,
        &decision(
            RequestKind::Delete,
            "screening-and-workers-comp",
            DecisionOutcome::NoneHeld,
        ),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    // Every service provider of the profile is told first, or the reason there was no need is
    // recorded (§ 7022(b)); the letter lists those told.
    let mut profile = privacydesk::domain::profile::OrganisationProfile::from_toml(&letter_ready_profile()).unwrap();
    profile.service_providers = vec![
        privacydesk::domain::profile::ServiceProvider {
            code: "payroll-co".into(),
            name: "Bay Payroll Services".into(),
            role: "Payroll processing".into(),
        },
        privacydesk::domain::profile::ServiceProvider {
            code: "benefits-co".into(),
            name: "Golden Benefits".into(),
            role: "Benefits administration".into(),
        },
    ];
    privacydesk::service::profile::save_profile(&file, &profile.to_toml(), now(), ACTOR)
        .await
        .unwrap();
    let e = letter(&file, number, LetterKind::DeletionResponse, t.dir.path())
        .await
        .unwrap_err();
    assert!(
        e.message.contains("Bay Payroll Services; Golden Benefits") && e.message.contains("§ 7022(b)"),
        "{e:?}"
    );
    use privacydesk::service::decisions::provider_notice;
    let e = AppError::from(
        provider_notice(&file, number, "payroll-co", None, None, now(), ACTOR)
            .await
            .unwrap_err(),
    );
    assert!(e.message.contains("one of them"), "{e:?}");
    provider_notice(
        &file,
        number,
        "payroll-co",
        Some("2026-03-09".parse().unwrap()),
        None,
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    provider_notice(
        &file,
        number,
        "benefits-co",
        None,
        Some("Never received this person's information"),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let text = letter(&file, number, LetterKind::DeletionResponse, t.dir.path())
        .await
        .unwrap();
    assert!(text.contains("Bay Payroll Services (March 9, 2026)"), "{text}");
    assert!(!text.contains("Golden Benefits"), "only those told are named: {text}");
    for said in [
        "We have done part of what you asked",
        "What we deleted",
        "Name",
        "Contact information",
        "Unique personal identifiers",
        "What we deidentified",
        "What we kept, and why",
        "Financial account and",
        "The law requires",
        "Civ. Code § 1798.105(d)(8); Lab. Code § 1174(d)",
        "March 10, 2029",
        "Education, professional and employment history",
        "exercise or defend legal claims",
        "(reference PR-2026-00001). We have done part",
        "Civ. Code § 1798.145(a)(1)(E)",
        "What we do not hold",
        "Drug and health screening",
        "service providers and contractors",
        "§ 7022(d)",
        "24 months",
        "§ 7101",
        "§ 1798.145(h)(2)",
    ] {
        assert!(text.contains(said), "{said:?} in:\n{text}");
    }
    assert!(
        !text.contains("123-45-6789") && !text.contains("SSN"),
        "a decision's note is never printed"
    );
    // Row by row, in the notice's order of categories: the table's rows are the matrix's kept
    // decisions; the lists follow the same order.
    let table = tool_rows(&text);
    assert!(
        table.0 < table.1,
        "financial before education, as the profile lists them: {text}"
    );
    assert!(
        text.contains("• Name • Contact information • Unique personal identifiers"),
        "{text}"
    );

    let m = decisions(&file, number).await.unwrap();
    let response = m.kinds[0].response.as_ref().expect("the letter recorded the response");
    assert_eq!(response.outcome, "complied-in-part");
    assert!(response.letter.is_some());
    assert_eq!(find_case(&file, number).await.status, CaseStatus::Responded);
    let e = letter(&file, number, LetterKind::DeletionResponse, t.dir.path())
        .await
        .unwrap_err();
    assert!(e.message.contains("answered already"), "{e:?}");
}

#[tokio::test]
async fn the_know_response_lists_categories_sources_purposes_and_separate_sold_and_disclosed_lists_section_7024() {
    use privacydesk::letters::LetterKind;
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, vec![RequestKind::KnowCategories]).await;
    verified(&file, number, RequestKind::KnowCategories).await;
    for category in ["name", "contact", "identifiers", "education-and-employment"] {
        decide(
            &file,
            number,
            &decision(RequestKind::KnowCategories, category, DecisionOutcome::Disclosed),
            now(),
            ACTOR,
        )
        .await
        .unwrap();
    }
    let withheld = DecisionInput {
        basis: Some("145b-privilege".into()),
        ..decision(
            RequestKind::KnowCategories,
            "screening-and-workers-comp",
            DecisionOutcome::Withheld,
        )
    };
    decide(&file, number, &withheld, now(), ACTOR).await.unwrap();
    for category in ["financial-and-insurance", "browsing"] {
        decide(
            &file,
            number,
            &decision(RequestKind::KnowCategories, category, DecisionOutcome::NoneHeld),
            now(),
            ACTOR,
        )
        .await
        .unwrap();
    }
    let text = letter(&file, number, LetterKind::KnowResponse, t.dir.path())
        .await
        .unwrap();
    for said in [
        "from March 2, 2025 to March 2, 2026",
        "The personal information we collected about you",
        "Unique personal identifiers",
        "Personnel-related functions",
        "Sold or shared",
        "None: we did not sell or share",
        "Disclosed for a business purpose",
        "Third parties needed to carry out personnel-related functions",
        "never show in a letter",
        "§ 7024(d)",
        "What we did not disclose, and why",
        "evidentiary privilege",
        "1798.14",
        "What we do not hold",
    ] {
        assert!(text.contains(said), "{said:?} in:\n{text}");
    }
    assert!(
        !text.contains("Social Security number") || text.contains("collect"),
        "{text}"
    );
    let m = decisions(&file, number).await.unwrap();
    assert_eq!(m.kinds[0].response.as_ref().unwrap().outcome, "complied-in-part");
}

#[tokio::test]
async fn the_correction_response_gives_the_basis_and_offers_the_health_statement_section_7023f() {
    use privacydesk::domain::details::Correction;
    use privacydesk::letters::LetterKind;
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let mut request = sample_request("Ana Reyes", "2026-03-02");
    request.kinds = vec![RequestKind::Correct];
    request.details.correction = Some(Correction {
        wrong: "Mailing address 12 Elm St".into(),
        right: "14 Elm St".into(),
    });
    let number = log_request(&file, &request, now(), ACTOR).await.unwrap().number;
    verified(&file, number, RequestKind::Correct).await;
    decide(
        &file,
        number,
        &decision(RequestKind::Correct, "contact", DecisionOutcome::Corrected),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let screening = DecisionInput {
        basis: Some("7023-inadequate-documentation".into()),
        ..decision(
            RequestKind::Correct,
            "screening-and-workers-comp",
            DecisionOutcome::Denied,
        )
    };
    decide(&file, number, &screening, now(), ACTOR).await.unwrap();
    for category in [
        "name",
        "identifiers",
        "financial-and-insurance",
        "education-and-employment",
        "browsing",
    ] {
        decide(
            &file,
            number,
            &decision(RequestKind::Correct, category, DecisionOutcome::NoneHeld),
            now(),
            ACTOR,
        )
        .await
        .unwrap();
    }
    let text = letter(&file, number, LetterKind::CorrectionResponse, t.dir.path())
        .await
        .unwrap();
    for said in [
        "Mailing address 12 Elm St",
        "14 Elm St",
        "We have corrected part of it",
        "What we corrected",
        "Contact information",
        "What we did not correct, and why",
        "more likely than not accurate",
        "Why we did not correct it",
        "11 CCR § 702",
        "250 words",
        "§ 7023(f)(3)",
        "delete this information instead",
        "§ 7023(f)(4)",
    ] {
        assert!(text.contains(said), "{said:?} in:\n{text}");
    }
    assert_eq!(find_case(&file, number).await.status, CaseStatus::Responded);

    // The statement arrives after the response: made part of the record, its words kept here
    // and out of the history (only its digest goes there).
    use privacydesk::service::decisions::{record_statement, StatementInput};
    let words = "The screening result of April 2025 was taken while I was on a prescribed medication that my physician documented";
    let statement = |category: &str, text: String| StatementInput {
        category: category.into(),
        item: "Drug screening result, April 2025".into(),
        text,
        received_on: "2026-03-09".parse().unwrap(),
    };
    let refused = |e: privacydesk::service::ServiceError| AppError::from(e).message;
    let long = "word ".repeat(251);
    let e = refused(
        record_statement(
            &file,
            number,
            &statement("screening-and-workers-comp", long),
            now(),
            ACTOR,
        )
        .await
        .unwrap_err(),
    );
    assert!(e.contains("251 words") && e.contains("250"), "{e}");
    let e = refused(
        record_statement(&file, number, &statement("contact", words.into()), now(), ACTOR)
            .await
            .unwrap_err(),
    );
    assert!(e.contains("not health information"), "{e}");
    let early = StatementInput {
        received_on: "2026-03-01".parse().unwrap(),
        ..statement("screening-and-workers-comp", words.into())
    };
    let e = refused(record_statement(&file, number, &early, now(), ACTOR).await.unwrap_err());
    assert!(e.contains("between the request"), "{e}");
    let matrix = record_statement(
        &file,
        number,
        &statement("screening-and-workers-comp", words.into()),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    assert_eq!(matrix.statements.len(), 1);
    assert_eq!(matrix.statements[0].text, words);
    assert_eq!(matrix.statements[0].words, 19);
    let history = privacydesk::service::case_view::case_view(&file, number, now())
        .await
        .unwrap()
        .history;
    let entry = history
        .iter()
        .find(|h| h.action == "statement.recorded")
        .expect("the statement's event");
    let payload = serde_json::to_string(&entry.event).unwrap();
    assert!(!payload.contains("prescribed medication"), "{payload}");
    assert!(payload.contains("sha256"), "{payload}");
}

#[tokio::test]
async fn a_statement_goes_only_with_a_denied_health_correction_section_7023f3() {
    use privacydesk::service::decisions::{record_statement, StatementInput};
    let file = TempCaseFile::new();
    let file = file.open().await;
    let number = case_with(&file, vec![RequestKind::Correct]).await;
    let input = StatementInput {
        category: "screening-and-workers-comp".into(),
        item: "Fitness-for-duty report".into(),
        text: "It is wrong.".into(),
        received_on: "2026-03-05".parse().unwrap(),
    };
    // Not decided yet: nothing was denied, so there is no statement to keep.
    let e = AppError::from(record_statement(&file, number, &input, now(), ACTOR).await.unwrap_err());
    assert!(e.message.contains("was not denied"), "{e:?}");
    decide(
        &file,
        number,
        &decision(
            RequestKind::Correct,
            "screening-and-workers-comp",
            DecisionOutcome::Corrected,
        ),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let e = AppError::from(record_statement(&file, number, &input, now(), ACTOR).await.unwrap_err());
    assert!(e.message.contains("was not denied"), "{e:?}");
    let blank = StatementInput {
        text: "   ".into(),
        ..input.clone()
    };
    let e = AppError::from(record_statement(&file, number, &blank, now(), ACTOR).await.unwrap_err());
    assert_eq!(e.fields[0].field, "text");
    assert!(decisions(&file, number).await.unwrap().statements.is_empty());
}

#[tokio::test]
async fn rows_staff_add_are_decided_like_the_profiles_and_printed_by_name_section_7022() {
    use privacydesk::letters::LetterKind;
    use privacydesk::service::decisions::{add_row, remove_row, RowInput};
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(&file, vec![RequestKind::Delete]).await;
    verified(&file, number, RequestKind::Delete).await;
    let row = RowInput {
        name: "Badge photographs".into(),
        source: "Security office".into(),
        ..RowInput::default()
    };
    let matrix = add_row(&file, number, &row, now(), ACTOR).await.unwrap();
    let added = matrix.categories.last().unwrap();
    assert_eq!((added.code.as_str(), added.added), ("badge-photographs", true));
    let delete = matrix.kinds.iter().find(|k| k.kind == RequestKind::Delete).unwrap();
    assert!(delete.missing.contains(&"badge-photographs".to_owned()));

    // The same code twice, a profile's code, a line break: refused, with the reason.
    for (bad, field) in [
        (row.clone(), "code"),
        (
            RowInput {
                name: "Contact".into(),
                code: "contact".into(),
                ..RowInput::default()
            },
            "code",
        ),
        (
            RowInput {
                name: "Badge\n# Heading".into(),
                ..RowInput::default()
            },
            "name",
        ),
    ] {
        let e = AppError::from(add_row(&file, number, &bad, now(), ACTOR).await.unwrap_err());
        assert_eq!(e.fields[0].field, field, "{e:?}");
    }
    // A row added by mistake is removed while undecided; the profile's stay.
    let spare = RowInput {
        name: "Parking permits".into(),
        ..RowInput::default()
    };
    add_row(&file, number, &spare, now(), ACTOR).await.unwrap();
    let matrix = remove_row(&file, number, "parking-permits", now(), ACTOR)
        .await
        .unwrap();
    assert!(!matrix.categories.iter().any(|c| c.code == "parking-permits"));
    assert!(remove_row(&file, number, "contact", now(), ACTOR).await.is_err());

    // The deletion response is refused until the added row is decided too, then lists it.
    for category in [
        "name",
        "contact",
        "identifiers",
        "financial-and-insurance",
        "screening-and-workers-comp",
        "education-and-employment",
        "browsing",
    ] {
        decide(
            &file,
            number,
            &decision(RequestKind::Delete, category, DecisionOutcome::Deleted),
            now(),
            ACTOR,
        )
        .await
        .unwrap();
    }
    let e = letter(&file, number, LetterKind::DeletionResponse, t.dir.path())
        .await
        .unwrap_err();
    assert!(e.message.contains("Badge photographs"), "{e:?}");
    let kept = DecisionInput {
        basis: Some("105d2-security".into()),
        ..decision(RequestKind::Delete, "badge-photographs", DecisionOutcome::Retained)
    };
    decide(&file, number, &kept, now(), ACTOR).await.unwrap();
    let e = AppError::from(
        remove_row(&file, number, "badge-photographs", now(), ACTOR)
            .await
            .unwrap_err(),
    );
    assert!(e.message.contains("has decisions"), "{e:?}");
    let text = letter(&file, number, LetterKind::DeletionResponse, t.dir.path())
        .await
        .unwrap();
    assert!(text.contains("Badge photographs"), "{text}");
    assert!(text.contains("§ 1798.105(d)(2)"), "{text}");
    // Once answered, the matrix is the record: no more rows.
    let e = AppError::from(add_row(&file, number, &spare, now(), ACTOR).await.unwrap_err());
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
}

#[tokio::test]
async fn a_denial_answers_every_open_part_with_the_reason_in_full_section_1798_145h() {
    use privacydesk::letters::LetterKind;
    use privacydesk::service::letters::{produce, LetterRequest};
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case_with(
        &file,
        vec![RequestKind::KnowCategories, RequestKind::Delete, RequestKind::OptOut],
    )
    .await;
    let request = LetterRequest {
        variant: Some("excessive".into()),
        ..LetterRequest::of(LetterKind::Denial)
    };
    let e = AppError::from(produce(&file, number, &request, now(), ACTOR).await.unwrap_err());
    assert!(e.message.contains("Give the reason in full"), "{e:?}");
    let request = LetterRequest {
        reason: Some("This is the fifth identical request this month; the earlier four were answered in full.".into()),
        ..request
    };
    let (_, bytes) = produce(&file, number, &request, now(), ACTOR).await.unwrap();
    let pdf = t.dir.path().join("denial.pdf");
    std::fs::write(&pdf, bytes).unwrap();
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for said in [
        "manifestly unfounded or excessive",
        "§ 1798.145(h)(3)",
        "fifth identical request",
        "To delete personal information about you",
    ] {
        assert!(text.contains(said), "{said:?} in:\n{text}");
    }
    assert!(
        !text.contains("To opt out"),
        "the opt-out is not denied by this letter: {text}"
    );
    let m = decisions(&file, number).await.unwrap();
    let answered: Vec<(RequestKind, String)> = m
        .kinds
        .iter()
        .filter_map(|k| {
            k.response
                .as_ref()
                .map(|r| (k.kind, r.denial_reason.clone().unwrap_or_default()))
        })
        .collect();
    assert_eq!(
        answered,
        vec![
            (RequestKind::KnowCategories, "other".to_owned()),
            (RequestKind::Delete, "other".to_owned())
        ]
    );
    assert_ne!(
        find_case(&file, number).await.status,
        CaseStatus::Responded,
        "the opt-out is still open"
    );
}
