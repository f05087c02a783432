//! Complete intake on a real case file: entity, relationship and coverage, agent, language,
//! delivery, description and correction details are stored and come back as given.

use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use privacydesk::domain::details::{
    Agent, AgentBasis, AgentKind, CaseDetails, Correction, Coverage, Delivery, Language, NOT_LISTED,
};
use privacydesk::domain::RequestKind;
use privacydesk::service::cases::{find_case, log_request};
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
        language: Language::Es,
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
    let stored = find_case(&file, logged.number).await.unwrap();
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
    let Coverage::NotCovered { reason } = find_case(&file, logged.number).await.unwrap().coverage else {
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
