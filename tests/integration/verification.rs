//! Identity verification on a real encrypted case file: the policy per kind (11 CCR § 7062),
//! agents (§ 7063), a correction's own fields (§ 7060(h)), and the purge of what the person gave
//! once the request has served (§ 7060(d)) — gone from every table, the search tables, the
//! history and the file's pages, read back decrypted.

use crate::support::*;
use privacydesk::domain::details::{Agent, AgentBasis, AgentKind, Correction};
use privacydesk::domain::verification::{AgentEvidence, PointResult};
use privacydesk::domain::{CaseNumber, CaseStatus, RequestKind};
use privacydesk::service::clocks::{record_act, ActInput};
use privacydesk::service::intake::log_request;
use privacydesk::service::lifecycle::change_status;
use privacydesk::service::verification::{self as verify, Outcome};
use privacydesk::service::{AppError, ErrorCode, ServiceError};

trait IntoApp {
    fn into_app(self) -> AppError;
}
impl IntoApp for ServiceError {
    fn into_app(self) -> AppError {
        AppError::from(self)
    }
}

const SECRET_ID: &str = "EMP-7731-QX";
const SECRET_DOB: &str = "1981-04-03-Zq";

async fn case_with(file: &privacydesk::store::CaseFile, kinds: Vec<RequestKind>) -> CaseNumber {
    let mut request = sample_request("Ana Reyes", "2026-03-02");
    request.kinds = kinds;
    log_request(file, &request, now(), ACTOR).await.expect("logged").number
}

async fn points(file: &privacydesk::store::CaseFile, number: CaseNumber, fields: &[(&str, &str)]) {
    for (field, given) in fields {
        verify::check_point(file, number, field, given, PointResult::Matched, now(), ACTOR)
            .await
            .expect("the point is recorded");
    }
}

#[tokio::test]
async fn know_specific_is_verified_only_with_three_points_and_the_declaration_section_7062c() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let number = case_with(&file, vec![RequestKind::KnowSpecific, RequestKind::OptOut]).await;
    let view = verify::verification(&file, number).await.unwrap();
    let opt_out = view
        .kinds
        .iter()
        .find(|k| k.requirement.kind == RequestKind::OptOut)
        .unwrap();
    assert_eq!(opt_out.outcome, Outcome::NotNeeded, "§ 7060(b)");

    points(
        &file,
        number,
        &[("employee-id", SECRET_ID), ("date-of-birth", SECRET_DOB)],
    )
    .await;
    let refused = verify::conclude(&file, number, RequestKind::KnowSpecific, true, "", now(), ACTOR)
        .await
        .unwrap_err()
        .into_app();
    assert_eq!(refused.code, ErrorCode::Validation);
    let said = refused
        .fields
        .iter()
        .map(|f| f.message.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        said.contains("1 more matched data point") && said.contains("declaration") && said.contains("§ 7062(c)"),
        "{said}"
    );

    points(&file, number, &[("hire-date", "2019-05-01")]).await;
    verify::record_declaration(&file, number, None, Some("2026-03-09".parse().unwrap()), now(), ACTOR)
        .await
        .unwrap();
    let view = verify::conclude(&file, number, RequestKind::KnowSpecific, true, "", now(), ACTOR)
        .await
        .expect("met: 3 points and the declaration");
    let k = view
        .kinds
        .iter()
        .find(|k| k.requirement.kind == RequestKind::KnowSpecific)
        .unwrap();
    assert_eq!(k.outcome, Outcome::Verified);

    // The history says what was checked, never the value given.
    let events = history(&file, number).await;
    let text = serde_json::to_string(&events).unwrap();
    assert!(
        text.contains("verification.point") && text.contains("employee-id"),
        "{text}"
    );
    assert!(!text.contains(SECRET_ID), "the value is not in the history");
    // Nor does the search find it.
    let found = privacydesk::service::queue::queue(
        &file,
        &privacydesk::domain::queue::QueueQuery {
            search: Some(SECRET_ID.into()),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    assert!(found.rows.is_empty(), "the search never sees a verification value");
}

#[tokio::test]
async fn an_unknown_data_point_and_a_failure_without_reason_are_refused() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let number = case_with(&file, vec![RequestKind::Delete]).await;
    let e = verify::check_point(&file, number, "shoe-size", "9", PointResult::Matched, now(), ACTOR)
        .await
        .unwrap_err()
        .into_app();
    assert!(
        e.fields[0].message.contains("employee-id"),
        "names the profile's codes: {e:?}"
    );
    let e = verify::conclude(&file, number, RequestKind::Delete, false, " ", now(), ACTOR)
        .await
        .unwrap_err()
        .into_app();
    assert_eq!(e.fields[0].field, "reason");
    let view = verify::conclude(
        &file,
        number,
        RequestKind::Delete,
        false,
        "Nothing matched",
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let k = &view.kinds[0];
    assert_eq!(k.outcome, Outcome::Failed);
    assert!(k.failure_path.contains("§ 7022(a)"), "{}", k.failure_path);
}

#[tokio::test]
async fn an_agent_with_power_of_attorney_needs_no_permission_section_7063b() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    for (basis, needs_permission) in [
        (AgentBasis::SignedPermission, true),
        (AgentBasis::PowerOfAttorney, false),
    ] {
        let mut request = sample_request("Ana Reyes", "2026-03-02");
        request.kinds = vec![RequestKind::KnowCategories];
        request.details.agent = Some(Agent {
            kind: AgentKind::Person,
            name: "Rita Advocate".into(),
            email: Some("rita@example.org".into()),
            phone: None,
            address: None,
            basis,
        });
        let number = log_request(&file, &request, now(), ACTOR).await.unwrap().number;
        points(&file, number, &[("employee-id", "E1"), ("hire-date", "2019-05-01")]).await;
        let view = verify::verification(&file, number).await.unwrap();
        let missing = view.kinds[0].missing.join("; ");
        assert_eq!(
            missing.contains("signed-permission"),
            needs_permission,
            "{basis:?}: {missing}"
        );
        assert!(
            verify::conclude(&file, number, RequestKind::KnowCategories, true, "", now(), ACTOR)
                .await
                .is_err()
        );
        // What the agent's authority calls for is the one missing piece: the person's signed
        // permission, or (§ 7063(b)) only that the power of attorney was seen.
        let evidence = if needs_permission {
            AgentEvidence::SignedPermission
        } else {
            AgentEvidence::PowerOfAttorney
        };
        verify::record_agent_evidence(&file, number, evidence, now(), ACTOR)
            .await
            .unwrap();
        verify::conclude(&file, number, RequestKind::KnowCategories, true, "", now(), ACTOR)
            .await
            .expect("the agent's evidence was the missing piece");
    }
}

#[tokio::test]
async fn a_correction_is_not_verified_on_the_field_it_corrects_section_7060h() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let mut request = sample_request("Ana Reyes", "2026-03-02");
    request.kinds = vec![RequestKind::Correct];
    request.details.correction = Some(Correction {
        wrong: "My date of birth is 03/04/1981".into(),
        right: "It is 04/03/1981".into(),
    });
    let number = log_request(&file, &request, now(), ACTOR).await.unwrap().number;
    // The demo profile holds sensitive categories: a correction needs 3 points (§ 7062(d)).
    points(
        &file,
        number,
        &[
            ("date-of-birth", "04/03/1981"),
            ("employee-id", "E1"),
            ("hire-date", "2019-05-01"),
        ],
    )
    .await;
    let view = verify::verification(&file, number).await.unwrap();
    let k = &view.kinds[0];
    assert!(k.missing.iter().any(|m| m.contains("§ 7060(h)")), "{:?}", k.missing);
    assert!(
        verify::conclude(&file, number, RequestKind::Correct, true, "", now(), ACTOR)
            .await
            .is_err()
    );
    points(&file, number, &[("job-title", "Nurse")]).await;
    verify::conclude(&file, number, RequestKind::Correct, true, "", now(), ACTOR)
        .await
        .expect("three points that are not being corrected");
}

#[tokio::test]
async fn the_purge_is_refused_before_a_response_and_then_leaves_no_value_anywhere_section_7060d() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let number = case_with(&file, vec![RequestKind::KnowCategories]).await;
    points(
        &file,
        number,
        &[("employee-id", SECRET_ID), ("date-of-birth", SECRET_DOB)],
    )
    .await;
    let e = verify::purge(&file, number, now(), ACTOR).await.unwrap_err().into_app();
    assert!(e.fields[0].message.contains("not been answered"), "{e:?}");

    // Before the purge the values are in the file's pages: the search below can find them.
    let key = t.dir.path().join("case.key");
    let before = decrypted_pages(&t.db(), &key);
    assert!(contains(&before, "Ana Reyes"), "the pages decrypt");
    assert!(contains(&before, SECRET_ID), "the value is there before the purge");

    record_act(
        &file,
        number,
        &ActInput {
            clock: privacydesk::domain::deadline::ClockKind::Respond,
            on: "2026-03-09".parse().unwrap(),
        },
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let view = verify::purge(&file, number, now(), ACTOR)
        .await
        .expect("answered: the values may go");
    assert!(view.purged_at.is_some());
    assert!(view.points.iter().all(|p| p.given.is_none()));
    assert!(
        view.points.iter().all(|p| p.result == PointResult::Matched),
        "the results stay, as the record"
    );
    // Once purged, nothing more is recorded against it.
    assert!(
        verify::check_point(&file, number, "hire-date", "x", PointResult::Matched, now(), ACTOR)
            .await
            .is_err()
    );
    let after = pages_after_close(&t, file).await;
    assert!(contains(&after, "Ana Reyes"), "the pages still decrypt");
    for secret in [SECRET_ID, SECRET_DOB] {
        assert!(
            !contains(&after, secret),
            "{secret} is gone from every page, free space included"
        );
    }
    let file = t.open().await;
    privacydesk::service::history::verify_audit(&file)
        .await
        .expect("the chain still verifies");
}

#[tokio::test]
async fn closing_a_case_purges_its_values_in_the_same_write() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let number = case_with(&file, vec![RequestKind::Delete]).await;
    points(&file, number, &[("employee-id", SECRET_ID)]).await;
    let view = change_status(
        &file,
        number,
        &move_to(CaseStatus::Withdrawn, "The person withdrew it"),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    assert_eq!(view.case.status, CaseStatus::Withdrawn);
    let v = verify::verification(&file, number).await.unwrap();
    assert!(v.purged_at.is_some() && v.points[0].given.is_none());
    let actions: Vec<String> = history(&file, number).await.into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"verification.purged".to_owned()), "{actions:?}");
}
