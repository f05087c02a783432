//! `privacydesk demo --cases N`: fills a case file with realistic, made-up cases for
//! screenshots and benchmarks — names in many scripts, every channel and kind, a spread of
//! receipt dates over two years and of statuses by age. Each case goes through the same intake
//! as a real one (validation, numbering, search index, creation event), in transactions of a
//! few thousand cases; older cases are then moved to a closing status directly, so their
//! history holds only the creation event. Deterministic for a given seed.

use super::ServiceError;
use crate::domain::details::{CaseDetails, Coverage};
use crate::domain::{CaseStatus, Channel, PostalAddress, RequestKind, Requester};
use crate::store::{audit, cases, queue, settings, CaseFile, StoreError};
use chrono::{DateTime, Duration, Utc};

const FIRST: &[&str] = &[
    "José",
    "María",
    "Nguyễn Thị",
    "Łukasz",
    "Αλέξανδρος",
    "Анна",
    "Søren",
    "Zoë",
    "Ana",
    "Bo",
    "Chloé",
    "Dmitri",
    "Émile",
    "Fatima",
    "Giulia",
    "Hiroshi",
    "Inés",
    "Jürgen",
    "Kateřina",
    "Liam",
    "Mohammed",
    "Noémie",
    "Oluwaseun",
    "Priya",
    "Quang",
    "Rosa",
    "Siobhán",
    "Tomás",
    "Ursula",
    "Valentina",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Mai",
    "Ελένη",
    "Ольга",
    "David",
];
const LAST: &[&str] = &[
    "Núñez",
    "García",
    "Minh Khai",
    "Żółć",
    "Παπαδόπουλος",
    "Смирнова",
    "Ørsted",
    "Müller",
    "Reyes",
    "Chen",
    "Dubois",
    "Ivanov",
    "Kowalski",
    "Nakamura",
    "O'Brien",
    "Papadakis",
    "Quiñones",
    "Rossi",
    "Sánchez",
    "Tran",
    "Okafor",
    "Patel",
    "Lefèvre",
    "Novák",
    "Haddad",
    "Kim",
    "Lopez",
    "Johnson",
    "Nguyen",
    "Smith",
    "Brown",
    "Wilson",
    "Martínez",
    "Hernández",
];
const STREETS: &[&str] = &[
    "Franklin St",
    "Broadway",
    "Telegraph Ave",
    "Mission St",
    "Sunset Blvd",
    "El Camino Real",
    "Oak St",
    "Main St",
];
const CITIES: &[(&str, &str)] = &[
    ("Oakland", "94612"),
    ("San Francisco", "94103"),
    ("Los Angeles", "90012"),
    ("Pasadena", "91101"),
    ("Sacramento", "95814"),
    ("San Diego", "92101"),
    ("Fresno", "93721"),
    ("Riverside", "92501"),
];
const WORDS: &[&str] = &[
    "please",
    "delete",
    "my",
    "records",
    "from",
    "the",
    "application",
    "portal",
    "and",
    "tell",
    "me",
    "what",
    "you",
    "have",
    "about",
    "payroll",
    "benefits",
    "address",
    "changed",
    "last",
    "year",
    "thank",
    "opt",
    "out",
    "sharing",
];

/// A small deterministic generator (SplitMix64): the same seed gives the same demo data, which
/// the benchmarks rely on too.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Cases per transaction: large enough to amortise commits, small enough to report progress.
const BATCH: usize = 5_000;

/// Adds `count` made-up cases received over the two years before `now`; calls `progress` with
/// the number done after each batch. Returns how many were added.
pub async fn generate(
    file: &CaseFile,
    count: usize,
    seed: u64,
    now: DateTime<Utc>,
    mut progress: impl FnMut(usize),
) -> Result<usize, ServiceError> {
    let mut rng = Rng::new(seed);
    let zone = {
        let mut conn = file.acquire().await?;
        settings::time_zone(&mut conn).await?
    };
    let kinds_mix: [&[RequestKind]; 8] = [
        &[RequestKind::Delete],
        &[RequestKind::KnowCategories],
        &[RequestKind::KnowSpecific],
        &[RequestKind::KnowCategories, RequestKind::Delete],
        &[RequestKind::Correct],
        &[RequestKind::OptOut],
        &[RequestKind::OptOut, RequestKind::Limit],
        &[RequestKind::Delete],
    ];
    let mut done = 0;
    while done < count {
        let mut tx = file.begin().await?;
        for _ in 0..BATCH.min(count - done) {
            let first = rng.pick(FIRST);
            let last = rng.pick(LAST);
            let name = format!("{first} {last}");
            let mail_name = deunicode::deunicode(&format!("{first}.{last}"))
                .to_lowercase()
                .replace([' ', '\''], "");
            let (city, zip) = CITIES[rng.below(CITIES.len())];
            let requester = Requester {
                name,
                email: (rng.below(10) < 8).then(|| format!("{mail_name}{}@example.com", rng.below(1000))),
                phone: (rng.below(10) < 5).then(|| format!("({}) 555-{:04}", 200 + rng.below(700), rng.below(10_000))),
                address: (rng.below(10) < 6).then(|| PostalAddress {
                    lines: vec![format!("{} {}", 1 + rng.below(9000), rng.pick(STREETS))],
                    city: city.to_owned(),
                    state: Some("CA".to_owned()),
                    postal_code: Some(zip.to_owned()),
                    country: "US".to_owned(),
                }),
            };
            let age_days = rng.below(730) as i64;
            let received_at = now - Duration::days(age_days) - Duration::minutes(rng.below(600) as i64);
            let words: Vec<&str> = (0..6 + rng.below(20)).map(|_| rng.pick(WORDS)).collect();
            let kinds = kinds_mix[rng.below(kinds_mix.len())].to_vec();
            let valid = crate::domain::ValidNewCase {
                requester,
                channel: Channel::ALL[rng.below(Channel::ALL.len())],
                kinds,
                received_at,
                received_date: crate::domain::time::legal_date(received_at, zone),
                time_zone: zone,
                details: CaseDetails {
                    description: words.join(" "),
                    ..Default::default()
                },
                coverage: Coverage::Unchecked,
            };
            let (case_id, case) = cases::insert_in_tx(&mut tx, &valid, now).await?;
            queue::index_case_in_tx(&mut tx, case_id, &case, false).await?;
            let after = serde_json::json!({ "number": case.number, "demo": true });
            audit::append_in_tx(
                &mut tx,
                case_id,
                case.number,
                now,
                "PrivacyDesk demo",
                "case.created",
                None,
                Some(&after),
            )
            .await?;
            let status = match age_days {
                0..=44 => [
                    CaseStatus::New,
                    CaseStatus::New,
                    CaseStatus::Verifying,
                    CaseStatus::InProgress,
                ][rng.below(4)],
                45..=120 => [
                    CaseStatus::InProgress,
                    CaseStatus::Responded,
                    CaseStatus::Closed,
                    CaseStatus::Closed,
                ][rng.below(4)],
                _ => [
                    CaseStatus::Closed,
                    CaseStatus::Closed,
                    CaseStatus::Closed,
                    CaseStatus::Denied,
                    CaseStatus::Withdrawn,
                ][rng.below(5)],
            };
            if status != CaseStatus::New {
                sqlx::query("UPDATE privacy_case SET status = ?2 WHERE id = ?1")
                    .bind(case_id)
                    .bind(status.token())
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from)?;
            }
            done += 1;
        }
        tx.commit().await.map_err(StoreError::from)?;
        progress(done);
    }
    Ok(done)
}
