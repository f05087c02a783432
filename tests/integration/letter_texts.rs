//! What the letters say, read from real PDFs against the rules (reference § 12.2), and the
//! § 7024(d) guard tried as an attacker would: every way of getting a Social Security, card,
//! account or ID number, a password or a security answer into a letter is refused, and nothing
//! is archived.

use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use privacydesk::domain::details::{Agent, AgentBasis, AgentKind, Language};
use privacydesk::domain::{CaseNumber, NewCase, PostalAddress, RequestKind};
use privacydesk::letters::LetterKind;
use privacydesk::service::intake::log_request;
use privacydesk::service::letters::{produce, save_template, LetterRequest};
use privacydesk::service::{clocks, profile, AppError, ErrorCode};
use privacydesk::store::CaseFile;
use std::process::Command;

fn pdf_text(dir: &std::path::Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let check = Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
    assert!(
        check.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    let out = Command::new("pdftotext").arg(&path).arg("-").output().unwrap();
    // One paragraph per line makes phrases searchable across the line breaks of the layout.
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn case(file: &CaseFile, kinds: Vec<RequestKind>, agent: Option<AgentBasis>) -> CaseNumber {
    let mut r = sample_request("Ana Reyes", "2026-03-02");
    r.kinds = kinds;
    r.details.agent = agent.map(|basis| Agent {
        kind: AgentKind::Person,
        name: "Marta Ruiz".into(),
        email: Some("marta@example.com".into()),
        phone: None,
        address: r.requester.address.clone(),
        basis,
    });
    log_request(file, &r, now(), ACTOR).await.unwrap().number
}

async fn letter(t: &TempCaseFile, file: &CaseFile, number: CaseNumber, request: LetterRequest) -> String {
    let name = format!("{}-{}.pdf", request.kind.token(), number);
    let (_, bytes) = produce(file, number, &request, now(), ACTOR)
        .await
        .unwrap_or_else(|e| panic!("{number}: {e}"));
    pdf_text(t.dir.path(), &name, &bytes)
}

fn in_spanish(kind: LetterKind) -> LetterRequest {
    LetterRequest {
        language: Some(Language::new("es")),
        ..LetterRequest::of(kind)
    }
}

#[tokio::test]
async fn the_acknowledgment_says_what_the_rules_ask_and_no_more_section_7021a() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;

    // Delete and opt out: verification described for the deletion only; the opt-out acted on
    // without it (§ 7060(b)); what will not be asked; what happens next; when to expect it.
    let mixed = case(&file, vec![RequestKind::Delete, RequestKind::OptOut], None).await;
    let text = letter(&t, &file, mixed, LetterRequest::of(LetterKind::Acknowledgment)).await;
    for expected in [
        "We act on your request to opt out of sale or sharing without asking you to prove who you are (11 CCR § 7060(b))",
        "at the latest by March 23, 2026",
        "Before we act on your request to delete, we make sure",
        // The demo organisation holds sensitive personal information, so its policy raises a
        // deletion to a reasonably high degree of certainty (§ 7062(d)): three details.
        "To delete personal information about you: we compare 3 details you give us with the records we already hold.",
        "We will not ask you for your full Social Security number, for a password, or for a photograph of yourself with an identity document, and there is no fee.",
        "we search our records for the personal information your request covers and answer each part of it",
        "we will tell you which part, and why",
        "We will respond by April 15, 2026",
        "one extension, of up to 45 more days",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert!(
        !text.contains("never ask"),
        "no promise never to ask for any part of an SSN: {text}"
    );
    assert!(
        !text.contains("To opt out of the sale or sharing of your personal information: we compare"),
        "no verification is described for the opt-out"
    );

    // Specific pieces: a reasonably high degree, with the declaration (§ 7062(c)).
    let specific = case(&file, vec![RequestKind::KnowSpecific], None).await;
    let text = letter(&t, &file, specific, LetterRequest::of(LetterKind::Acknowledgment)).await;
    assert!(text.contains("we compare 3 details you give us with the records we already hold, and ask you to sign a declaration under penalty of perjury"), "{text}");

    // An agent with power of attorney is not asked for the person's permission (§ 7063(b));
    // another agent may be (§ 7063(a)).
    let poa = case(&file, vec![RequestKind::Delete], Some(AgentBasis::PowerOfAttorney)).await;
    let text = letter(&t, &file, poa, LetterRequest::of(LetterKind::Acknowledgment)).await;
    assert!(
        text.contains(
            "Because you hold a power of attorney for Ana Reyes, we do not ask you for a separate signed permission"
        ),
        "{text}"
    );
    assert!(!text.contains("A power of attorney is not required"), "{text}");
    let permission = case(&file, vec![RequestKind::Delete], Some(AgentBasis::SignedPermission)).await;
    let text = letter(&t, &file, permission, LetterRequest::of(LetterKind::Acknowledgment)).await;
    assert!(
        text.contains("we may ask you for the signed permission of Ana Reyes"),
        "{text}"
    );
    assert!(text.contains("A power of attorney is not required."), "{text}");

    // In Spanish, the same parts.
    let text = letter(&t, &file, mixed, in_spanish(LetterKind::Acknowledgment)).await;
    assert!(
        text.contains("sin pedirle que demuestre su identidad (11 CCR § 7060(b))"),
        "{text}"
    );
    assert!(
        text.contains("No le pediremos su número de Seguro Social completo, ninguna contraseña"),
        "{text}"
    );

    // An opt-out-only case has no acknowledgment at all.
    let opt_out = case(&file, vec![RequestKind::OptOut], None).await;
    let err: AppError = produce(
        &file,
        opt_out,
        &LetterRequest::of(LetterKind::Acknowledgment),
        now(),
        ACTOR,
    )
    .await
    .map(|_| ())
    .unwrap_err()
    .into();
    assert_eq!(err.code, ErrorCode::Validation);
}

#[tokio::test]
async fn the_opt_out_confirmation_comes_in_its_variants_sections_7026_7027() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case(&file, vec![RequestKind::OptOut, RequestKind::Limit], None).await;

    // The demo organisation neither sells nor shares (its notice says so).
    let not_sold = LetterRequest {
        variant: Some("not-sold".into()),
        ..LetterRequest::of(LetterKind::OptOutConfirmation)
    };
    let text = letter(&t, &file, number, not_sold).await;
    assert!(
        text.contains("does not sell or share personal information about you, and has not done so"),
        "{text}"
    );
    assert!(
        text.contains("We use and disclose your sensitive personal information only for the purposes the law permits"),
        "{text}"
    );

    // Honoured, with the date it was (each letter answers its case: a new one each time).
    let number = case(&file, vec![RequestKind::OptOut, RequestKind::Limit], None).await;
    clocks::record_act(
        &file,
        number,
        &clocks::ActInput {
            clock: privacydesk::domain::deadline::ClockKind::Comply,
            on: "2026-03-06".parse().unwrap(),
        },
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let honoured = LetterRequest {
        variant: Some("honoured".into()),
        ..LetterRequest::of(LetterKind::OptOutConfirmation)
    };
    let text = letter(&t, &file, number, honoured).await;
    assert!(
        text.contains("We honoured your request to opt out on March 6, 2026"),
        "{text}"
    );
    assert!(
        text.contains("We honoured your request to limit on March 6, 2026"),
        "{text}"
    );
    assert!(
        text.contains("We will not ask you to change your mind for at least 12 months."),
        "{text}"
    );

    // Denied for a documented good-faith belief of fraud: the reason is required and printed.
    let number = case(&file, vec![RequestKind::OptOut, RequestKind::Limit], None).await;
    let mut denial = LetterRequest {
        variant: Some("denied-fraud".into()),
        ..LetterRequest::of(LetterKind::OptOutConfirmation)
    };
    let err: AppError = produce(&file, number, &denial, now(), ACTOR)
        .await
        .map(|_| ())
        .unwrap_err()
        .into();
    assert_eq!(err.fields[0].field, "reason");
    denial.reason = Some("The request came from an address used in 40 other requests this week.".into());
    let text = letter(&t, &file, number, denial.clone()).await;
    assert!(
        text.contains("good-faith, reasonable and documented belief that this request is fraudulent"),
        "{text}"
    );
    assert!(
        text.contains("an address used in 40 other requests this week"),
        "{text}"
    );
    // Recorded as denied (other) for both parts; the 15 business days are met by the answer.
    let (answers, complied_on) = opt_out_answers(&file, number).await;
    assert_eq!(
        answers,
        vec![
            (RequestKind::OptOut, "denied".into(), Some("other".into())),
            (RequestKind::Limit, "denied".into(), Some("other".into())),
        ]
    );
    assert!(complied_on.is_some());
    denial.language = Some(Language::new("es"));
    let text = letter(&t, &file, number, denial).await;
    assert!(text.contains("No hemos atendido esta solicitud"), "{text}");

    let unknown = LetterRequest {
        variant: Some("maybe".into()),
        ..LetterRequest::of(LetterKind::OptOutConfirmation)
    };
    let err: AppError = produce(&file, number, &unknown, now(), ACTOR)
        .await
        .map(|_| ())
        .unwrap_err()
        .into();
    assert!(
        err.message
            .contains("honoured, not-sold, limit-declined, email-stopped, denied-fraud"),
        "{err:?}"
    );
}

/// The outcome recorded for each opt-out and limit part of a case, and its compliance date.
async fn opt_out_answers(
    file: &CaseFile,
    number: CaseNumber,
) -> (Vec<(RequestKind, String, Option<String>)>, Option<chrono::NaiveDate>) {
    let matrix = privacydesk::service::decisions::decisions(file, number).await.unwrap();
    let answers = matrix
        .kinds
        .iter()
        .filter_map(|k| {
            k.response
                .as_ref()
                .map(|r| (k.kind, r.outcome.clone(), r.denial_reason.clone()))
        })
        .collect();
    let view = privacydesk::service::case_view::case_view(file, number, now())
        .await
        .unwrap();
    let complied_on = view
        .clocks
        .clocks
        .iter()
        .find(|c| c.deadline.clock == privacydesk::domain::deadline::ClockKind::Comply)
        .and_then(|c| c.done_on);
    (answers, complied_on)
}

#[tokio::test]
async fn a_request_to_limit_is_declined_as_the_notice_says_and_the_answer_recorded_notice_section_7() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case(&file, vec![RequestKind::Limit], None).await;

    // The demo profile declines limits beyond its e-mail opt-out: that is the default letter.
    let text = letter(&t, &file, number, LetterRequest::of(LetterKind::OptOutConfirmation)).await;
    for expected in [
        "We have not agreed to limit how we use and disclose your personal information.",
        "Our privacy notice of January 24, 2023 says:",
        "the law does not require us to agree, and we do not agree to limits beyond the e-mail opt-out our notice describes.",
        "only for the purposes the law permits without a request to limit (Civil Code § 1798.121)",
        "What we do agree to: if you want us to stop sending you job alerts and other e-mails about employment opportunities",
        "you may ask us to reconsider",
        "(Civil Code § 1798.145(h)(2))",
        "for 24 months, as the law requires (11 CCR § 7101)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    assert!(!text.contains("We honoured"), "{text}");
    // The answer is data: denied (other), the 15 business days met, the case answered.
    let (answers, complied_on) = opt_out_answers(&file, number).await;
    assert_eq!(
        answers,
        vec![(RequestKind::Limit, "denied".into(), Some("other".into()))]
    );
    assert!(complied_on.is_some());
    let view = privacydesk::service::case_view::case_view(&file, number, now())
        .await
        .unwrap();
    assert_eq!(view.case.status, privacydesk::domain::CaseStatus::Responded);

    // In Spanish, from the profile's own words.
    let mut es = in_spanish(LetterKind::OptOutConfirmation);
    es.variant = Some("limit-declined".into());
    let text = letter(&t, &file, number, es).await;
    assert!(text.contains("No hemos aceptado limitar"), "{text}");
    assert!(
        text.contains("no aceptamos límites más allá de la exclusión de correos"),
        "{text}"
    );
}

#[tokio::test]
async fn the_job_alert_opt_out_is_honoured_and_a_limit_beyond_it_declined_notice_sections_6_7() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;

    // A limit request that asks to stop job alerts: stopped (complied in part), the rest declined.
    let number = case(&file, vec![RequestKind::Limit], None).await;
    let stopped = LetterRequest {
        variant: Some("email-stopped".into()),
        ..LetterRequest::of(LetterKind::OptOutConfirmation)
    };
    let text = letter(&t, &file, number, stopped.clone()).await;
    assert!(
        text.contains(
            "We stopped sending you job alerts and other e-mails about employment opportunities on March 10, 2026"
        ),
        "{text}"
    );
    assert!(
        text.contains("We have not agreed to limit how we use and disclose your personal information beyond that."),
        "{text}"
    );
    assert!(!text.contains("What we do agree to"), "{text}");
    let (answers, _) = opt_out_answers(&file, number).await;
    assert_eq!(answers, vec![(RequestKind::Limit, "complied-in-part".into(), None)]);

    // An opt-out that asks to stop them: honoured in full, and nothing is sold either.
    let number = case(&file, vec![RequestKind::OptOut], None).await;
    let text = letter(&t, &file, number, stopped).await;
    assert!(text.contains("We stopped sending you job alerts"), "{text}");
    assert!(
        text.contains("does not sell or share personal information about you, and has not done so"),
        "{text}"
    );
    assert!(!text.contains("We have not agreed"), "{text}");
    assert!(!text.contains("reconsider"), "{text}");
    let (answers, complied_on) = opt_out_answers(&file, number).await;
    assert_eq!(answers, vec![(RequestKind::OptOut, "complied".into(), None)]);
    assert!(complied_on.is_some());

    // Declining a limit the case does not ask for is refused, and nothing is archived.
    let declined = LetterRequest {
        variant: Some("limit-declined".into()),
        ..LetterRequest::of(LetterKind::OptOutConfirmation)
    };
    let other = case(&file, vec![RequestKind::OptOut], None).await;
    let err: AppError = produce(&file, other, &declined, now(), ACTOR)
        .await
        .map(|_| ())
        .unwrap_err()
        .into();
    assert!(err.message.contains("does not ask to limit"), "{err:?}");
    let (answers, _) = opt_out_answers(&file, other).await;
    assert!(answers.is_empty());
}

#[tokio::test]
async fn the_not_covered_letter_takes_its_facts_from_the_profile_section_1798_145h() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let mut r = sample_request("Ana Reyes", "2026-03-02");
    r.details.relationship = Some("not-listed".into());
    r.details.entity = Some("TPMG".into());
    let number = log_request(&file, &r, now(), ACTOR).await.unwrap().number;
    let text = letter(&t, &file, number, LetterRequest::of(LetterKind::NotCovered)).await;
    for expected in [
        "covers only people in one of these roles with The Permanente Medical Group and Southern California Permanente Medical Group: • Job applicant • Employee • Owner • Director • Officer • Medical staff member • Contractor",
        "Members and patients of Kaiser Permanente: the Notice of Privacy Practices at kp.org/privacy",
        "governed by the California Confidentiality of Medical Information Act and by HIPAA",
        "you may ask us to reconsider",
        "(version of January 24, 2023)",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    let text = letter(&t, &file, number, in_spanish(LetterKind::NotCovered)).await;
    assert!(
        text.contains("Miembros y pacientes de Kaiser Permanente"),
        "the profile's Spanish text: {text}"
    );
    assert!(text.contains("puede pedirnos que la reconsideremos"), "{text}");
}

#[tokio::test]
async fn the_extension_notice_gives_the_statutory_reason_and_leaves_the_opt_out_alone_section_7021b() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let number = case(&file, vec![RequestKind::Delete, RequestKind::OptOut], None).await;
    let request = LetterRequest {
        reason: Some("Your records are held by two medical groups, and we received many requests this month.".into()),
        ..LetterRequest::of(LetterKind::Extension)
    };
    let text = letter(&t, &file, number, request).await;
    for expected in [
        "when that is reasonably necessary taking into account the complexity and number of the requests",
        "held by two medical groups",
        "We will respond by May 30, 2026",
        "This extension does not apply to your request to opt out of sale or sharing: we act on it by March 23, 2026",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
}

/// Tried as an attacker would: a forbidden number in each place a letter prints, written every
/// way people (or scripts) write them. Each is refused, naming where and what, and nothing is
/// archived.
#[tokio::test]
async fn no_forbidden_number_prints_however_it_is_written_or_wherever_it_is_section_7024d() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    let address = |line: &str, postal: &str, country: &str| PostalAddress {
        lines: vec![line.to_owned()],
        city: "Oakland".into(),
        state: (country == "US").then(|| "CA".to_owned()),
        postal_code: Some(postal.to_owned()),
        country: country.to_owned(),
    };
    let intakes: Vec<(&str, NewCase)> = vec![
        ("the street", {
            let mut r = sample_request("Ana Reyes", "2026-03-02");
            r.requester.address = Some(address("1950 Franklin St 123-45-6789", "94612", "US"));
            r
        }),
        ("a foreign postal code", {
            let mut r = sample_request("Ana Reyes", "2026-03-02");
            r.requester.address = Some(address("12 High Street", "4111 1111 1111 1111", "GB"));
            r
        }),
        ("the name", sample_request("Ana 123456789 Reyes", "2026-03-02")),
        ("an address line with dots", {
            let mut r = sample_request("Ana Reyes", "2026-03-02");
            r.requester.address = Some(address("Apt 123.45.6789", "94612", "US"));
            r
        }),
    ];
    for (place, input) in intakes {
        let number = log_request(&file, &input, now(), ACTOR).await.unwrap().number;
        let err: AppError = produce(
            &file,
            number,
            &LetterRequest::of(LetterKind::Acknowledgment),
            now(),
            ACTOR,
        )
        .await
        .map(|_| ())
        .unwrap_err()
        .into();
        assert!(err.message.contains("§ 7024(d)"), "{place}: {err:?}");
    }

    // Staff-written text: every way of writing the numbers.
    let number = case(&file, vec![RequestKind::Delete], None).await;
    let ssn_ways = [
        "123-45-6789",
        "123.45.6789",
        "123/45/6789",
        "123–45–6789",
        "123\u{a0}45\u{a0}6789",
        "1 2 3 4 5 6 7 8 9",
        "123\u{200b}-45-\u{200b}6789",
        "123\u{ad}45\u{ad}6789",
        "１２３４５６７８９",
        "card 4111 1111 1111 1111",
        "routing 121000358",
        "account 000123456789",
        "driver licence A1234567",
        "Medicare 1EG4-TE5-MK73",
        "Member ID: KP 1234 5678",
        "password: Hunter2",
        "The security answer is Fluffy",
    ];
    for way in ssn_ways {
        let request = LetterRequest {
            body: Some(format!("We looked at the record for {way} in our files.")),
            ..LetterRequest::of(LetterKind::General)
        };
        let err: AppError = produce(&file, number, &request, now(), ACTOR)
            .await
            .map(|_| ())
            .unwrap_err()
            .into();
        assert!(err.message.contains("§ 7024(d)"), "{way:?}: {err:?}");
    }
    // A number split over two lines by the layout is still read whole.
    let filler = "word ".repeat(17);
    let request = LetterRequest {
        body: Some(format!(
            "{filler}abcdefghij 123-45-6789 and more text after the number."
        )),
        ..LetterRequest::of(LetterKind::General)
    };
    let err: AppError = produce(&file, number, &request, now(), ACTOR)
        .await
        .map(|_| ())
        .unwrap_err()
        .into();
    assert!(err.message.contains("§ 7024(d)"), "{err:?}");

    // A template edit that prints a number in its own text.
    save_template(
        &file,
        LetterKind::General,
        Language::new("en"),
        "Dear {{ recipient.name }}, your number on file is 123-45-6789.\n\n{{ body }}",
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let request = LetterRequest {
        body: Some("We finished.".into()),
        ..LetterRequest::of(LetterKind::General)
    };
    let err: AppError = produce(&file, number, &request, now(), ACTOR)
        .await
        .map(|_| ())
        .unwrap_err()
        .into();
    assert!(err.message.contains("the letter's text"), "{err:?}");
    privacydesk::service::letters::reset_template(&file, LetterKind::General, Language::new("en"), now(), ACTOR)
        .await
        .unwrap();

    // The letterhead (return address) and signature come from the profile.
    let view = profile::current_profile(&file).await.unwrap();
    let mut with_number = view.profile.clone();
    with_number.return_address.lines = vec!["Privacy Office".into(), "Account 000123456789012".into()];
    profile::save_profile(&file, &with_number.to_toml(), now(), ACTOR)
        .await
        .unwrap();
    let err: AppError = produce(&file, number, &request, now(), ACTOR)
        .await
        .map(|_| ())
        .unwrap_err()
        .into();
    assert!(err.message.contains("the letterhead"), "{err:?}");
    let mut signed = view.profile.clone();
    signed.signatory.title = "PIN: 4431".into();
    let signed = signed.to_toml();
    profile::save_profile(&file, &signed, now(), ACTOR).await.unwrap();
    let err: AppError = produce(&file, number, &request, now(), ACTOR)
        .await
        .map(|_| ())
        .unwrap_err()
        .into();
    assert!(err.message.contains("§ 7024(d)"), "{err:?}");

    assert!(
        privacydesk::service::case_view::case_view(&file, number, now())
            .await
            .unwrap()
            .letters
            .is_empty(),
        "no refused letter was archived"
    );
    // Saying that a type was collected is fine.
    profile::save_profile(&file, &view.document, now(), ACTOR)
        .await
        .unwrap();
    let fine = LetterRequest {
        body: Some("We hold your Social Security number in payroll records; we do not print it.".into()),
        ..LetterRequest::of(LetterKind::General)
    };
    letter(&t, &file, number, fine).await;
}

#[tokio::test]
async fn control_and_invisible_characters_are_refused_at_intake() {
    let t = TempCaseFile::new();
    let file = t.open_for_letters().await;
    for (field, input) in [
        ("requester.name", {
            let mut r = sample_request("Ana\u{7}Reyes", "2026-03-02");
            r.requester.name = "Ana\u{7}Reyes".into();
            r
        }),
        ("requester.address.lines", {
            let mut r = sample_request("Ana Reyes", "2026-03-02");
            r.requester.address.as_mut().unwrap().lines[0] = "1950 Franklin\u{200b} St".into();
            r
        }),
        ("details.description", {
            let mut r = sample_request("Ana Reyes", "2026-03-02");
            r.details.description = "Please delete\u{1b}[31m my data".into();
            r
        }),
    ] {
        let err: AppError = log_request(&file, &input, now(), ACTOR).await.unwrap_err().into();
        assert!(err.fields.iter().any(|f| f.field == field), "{field}: {err:?}");
    }
    let mut fine = sample_request("Ana Reyes", "2026-03-02");
    fine.details.description = "Line one.\nLine two.".into();
    log_request(&file, &fine, now(), ACTOR).await.unwrap();
}
