//! Complete intake on a real case file: entity, relationship and coverage, agent, language,
//! delivery, description and correction details are stored and come back as given.

use crate::support::find_case;
use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use privacydesk::domain::details::{
    Agent, AgentBasis, AgentKind, CaseDetails, Correction, Coverage, Delivery, Language, NOT_LISTED,
};
use privacydesk::domain::RequestKind;
use privacydesk::service::intake::log_request;
use std::process::Command;

#[tokio::test]
async fn every_intake_detail_is_kept_and_coverage_is_derived_from_the_profile() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let mut request = sample_request("Łukasz Żółć", "2026-03-02");
    request.kinds = vec![RequestKind::Correct];
    request.details = CaseDetails {
        entity: Some("SCPMG".into()),
        relationship: Some("medical-staff-member".into()),
        language: Language::new("es"),
        delivery: Some(Delivery::PostalMail),
        description: "Please fix my address.\nIt changed in January.".into(),
        correction: Some(Correction {
            wrong: "1 Oak St".into(),
            right: "2 Elm St".into(),
        }),
        agent: Some(Agent {
            kind: AgentKind::Business,
            name: "Consumer Rights LLC".into(),
            email: Some("cases@rights.example".into()),
            phone: None,
            address: None,
            basis: AgentBasis::SignedPermission,
        }),
    };
    let mut for_agent = request.clone();
    for_agent.details.delivery = Some(Delivery::Email);
    let logged = log_request(&file, &for_agent, now(), ACTOR).await.unwrap();
    assert_eq!(logged.coverage, Coverage::Covered);
    let stored = find_case(&file, logged.number).await;
    assert_eq!(stored, logged, "what was stored comes back exactly");
    assert_eq!(
        stored.details.agent.as_ref().unwrap().basis,
        AgentBasis::SignedPermission
    );
    assert_eq!(
        stored.details.description,
        "Please fix my address.\nIt changed in January."
    );

    // Postal delivery goes to the agent, who has no postal address: refused, nothing stored.
    assert!(log_request(&file, &request, now(), ACTOR).await.is_err());

    let mut outsider = sample_request("Bo Chen", "2026-03-03");
    outsider.details.entity = Some("TPMG".into());
    outsider.details.relationship = Some(NOT_LISTED.into());
    let logged = log_request(&file, &outsider, now(), ACTOR).await.unwrap();
    let Coverage::NotCovered { reason } = find_case(&file, logged.number).await.coverage else {
        panic!("a relationship the notice does not cover is flagged");
    };
    assert!(reason.contains("not a job applicant, employee"), "{reason}");
}

#[test]
fn cli_case_add_takes_the_intake_details() {
    let t = TempCaseFile::new();
    let out = Command::new(env!("CARGO_BIN_EXE_privacydesk"))
        .arg("--db")
        .arg(t.db())
        .arg("--key-file")
        .arg(t.dir.path().join("case.key"))
        .args([
            "case",
            "add",
            "--name",
            "Ana Reyes",
            "--email",
            "ana@example.com",
            "--kinds",
            "correct",
        ])
        .args([
            "--channel",
            "email",
            "--received",
            "2026-03-02",
            "--entity",
            "TPMG",
            "--relationship",
            "employee",
        ])
        .args([
            "--language",
            "es",
            "--delivery",
            "email",
            "--description",
            "Mi dirección está mal",
        ])
        .args([
            "--correction-wrong",
            "1 Oak St",
            "--correction-right",
            "2 Elm St",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let case: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(case["coverage"]["state"], "covered");
    assert_eq!(case["details"]["language"], "es");
    assert_eq!(case["details"]["delivery"], "email");
    assert_eq!(case["details"]["correction"]["right"], "2 Elm St");
}

mod warnings {
    use crate::support::{sample_request, TempCaseFile, ACTOR};
    use chrono::{DateTime, Utc};
    use privacydesk::domain::deadline::ClockKind;
    use privacydesk::domain::{CaseStatus, RequestKind, Requester};
    use privacydesk::service::clocks::{record_act, ActInput};
    use privacydesk::service::intake::log_request;
    use privacydesk::service::lifecycle::change_status;
    use privacydesk::service::warnings::intake_warnings;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn person(email: Option<&str>, phone: Option<&str>) -> Requester {
        let mut r = sample_request("Nguyễn Thị Minh Khai", "2026-03-02").requester;
        r.email = email.map(Into::into);
        r.phone = phone.map(Into::into);
        r
    }

    #[tokio::test]
    async fn open_cases_from_the_same_person_are_pointed_out_with_the_reason() {
        let t = TempCaseFile::new();
        let file = t.open().await;
        let now = at("2026-03-10T18:00:00Z");
        let first = log_request(&file, &sample_request("Nguyễn Thị Minh Khai", "2026-03-02"), now, ACTOR)
            .await
            .unwrap();

        let same_email = person(Some("NGUYEN.KHAI@example.com "), None);
        let w = intake_warnings(&file, &same_email, &[RequestKind::Delete], now)
            .await
            .unwrap();
        assert_eq!(w.duplicates.len(), 1);
        assert_eq!(w.duplicates[0].number, first.number);
        assert!(
            w.duplicates[0].reasons.contains(&"same email".to_owned()),
            "{:?}",
            w.duplicates
        );

        let same_phone = person(Some("other@example.com"), Some("+1 510.555.0142"));
        let w = intake_warnings(&file, &same_phone, &[], now).await.unwrap();
        assert!(w.duplicates[0].reasons.contains(&"same phone".to_owned()));

        let mut same_address = person(None, None);
        same_address.name = "nguyễn thị  minh khai".into();
        let w = intake_warnings(&file, &same_address, &[], now).await.unwrap();
        assert_eq!(w.duplicates[0].reasons, vec!["same name and address".to_owned()]);

        let stranger = Requester {
            name: "Bo Chen".into(),
            email: Some("bo@example.com".into()),
            ..Default::default()
        };
        assert!(intake_warnings(&file, &stranger, &[], now)
            .await
            .unwrap()
            .duplicates
            .is_empty());

        change_status(
            &file,
            first.number,
            &crate::support::move_to(CaseStatus::Withdrawn, "Asked to stop"),
            now,
            ACTOR,
        )
        .await
        .unwrap();
        let w = intake_warnings(&file, &same_email, &[], now).await.unwrap();
        assert!(w.duplicates.is_empty(), "a withdrawn case is not an open duplicate");
    }

    #[tokio::test]
    async fn a_third_request_to_know_in_12_months_is_flagged_section_1798_130b() {
        let t = TempCaseFile::new();
        let file = t.open().await;
        let mut know = sample_request("Ana Reyes", "2025-05-01");
        know.kinds = vec![RequestKind::KnowCategories];
        for (received, answered) in [
            ("2025-05-01", "2025-05-20"),
            ("2025-11-03", "2025-11-28"),
            ("2026-01-05", "2026-01-30"),
        ] {
            know.received = received.into();
            let case = log_request(&file, &know, at("2026-02-01T18:00:00Z"), ACTOR)
                .await
                .unwrap();
            record_act(
                &file,
                case.number,
                &ActInput {
                    clock: ClockKind::Respond,
                    on: answered.parse().unwrap(),
                },
                at("2026-02-01T18:00:00Z"),
                ACTOR,
            )
            .await
            .unwrap();
        }
        // On 1 June 2026 the May 2025 response is more than 12 months old: two remain.
        let w = intake_warnings(
            &file,
            &know.requester,
            &[RequestKind::KnowSpecific],
            at("2026-06-01T18:00:00Z"),
        )
        .await
        .unwrap();
        let message = w.know_limit.expect("two responses in 12 months");
        assert!(
            message.contains("2 responses") && message.contains("§ 1798.130(b)"),
            "{message}"
        );
        assert!(!message.contains("PR-2025-00001"), "{message}");
        let w = intake_warnings(
            &file,
            &know.requester,
            &[RequestKind::Delete],
            at("2026-06-01T18:00:00Z"),
        )
        .await
        .unwrap();
        assert!(w.know_limit.is_none(), "the limit concerns requests to know only");
        let w = intake_warnings(
            &file,
            &know.requester,
            &[RequestKind::KnowCategories],
            at("2026-12-01T18:00:00Z"),
        )
        .await
        .unwrap();
        assert!(
            w.know_limit.is_none(),
            "by December only one response is within 12 months"
        );
    }
}

/// A half-typed request is kept in the encrypted case file: it survives closing and reopening
/// the file, is replaced by the next save, and is gone once discarded; it is never readable on
/// disk.
#[tokio::test]
async fn an_intake_draft_survives_a_restart_and_is_encrypted() {
    use privacydesk::service::drafts;
    let t = TempCaseFile::new();
    let file = t.open().await;
    assert_eq!(drafts::draft(&file).await.unwrap(), None);
    drafts::save_draft(&file, r#"{"name":"Ximena Quiñones-Draft"}"#, now())
        .await
        .unwrap();
    drafts::save_draft(
        &file,
        r#"{"name":"Ximena Quiñones-Draft","email":"x@example.com"}"#,
        now(),
    )
    .await
    .unwrap();
    file.close().await;
    let mut bytes = std::fs::read(t.db()).unwrap();
    bytes.extend(std::fs::read(format!("{}-wal", t.db().display())).unwrap_or_default());
    assert!(
        !bytes
            .windows(14)
            .any(|w| w == b"Quinones-Draft" || w == "Quiñones-Draf".as_bytes()),
        "the draft is encrypted on disk"
    );

    let file = t.open().await;
    let kept = drafts::draft(&file).await.unwrap().expect("the draft is still there");
    assert!(kept.document.contains("x@example.com"));
    assert_eq!(kept.saved_at, now());
    let too_long = "x".repeat(300 * 1024);
    assert!(drafts::save_draft(&file, &too_long, now()).await.is_err());
    drafts::discard_draft(&file).await.unwrap();
    assert_eq!(drafts::draft(&file).await.unwrap(), None);
}
