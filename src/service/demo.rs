//! `privacydesk demo --cases N`: fills a case file with realistic, made-up cases for
//! screenshots and benchmarks — names in many scripts, every channel and kind, a spread of
//! receipt dates over two years and of statuses by age. The cases are stored by the same code as
//! an import (numbering, search rows, creation events; many rows per statement), in transactions
//! of a few thousand cases; older cases are then moved to a closing status directly, so their
//! history holds only the creation event. Deterministic for a given seed.

use super::ServiceError;
use crate::domain::details::{CaseDetails, Coverage};
use crate::domain::{CaseStatus, Channel, PostalAddress, RequestKind, Requester};
use crate::store::{settings, CaseFile};
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
const BATCH: usize = 10_000;

/// Demo cases were received over the two years before now.
const SPAN_MINUTES: i64 = 730 * 24 * 60;

/// The most cases one run makes (a bound, so that no count can overflow the arithmetic).
pub const MAX_CASES: usize = 10_000_000;

/// Who the audit log names for demo cases.
const ACTOR: &str = "PrivacyDesk demo";

/// Adds `count` made-up cases received over the two years before `now`; calls `progress` with
/// the number done after each batch. Returns how many were added.
pub async fn generate(
    file: &CaseFile,
    count: usize,
    seed: u64,
    now: DateTime<Utc>,
    mut progress: impl FnMut(usize),
) -> Result<usize, ServiceError> {
    if count > MAX_CASES {
        return Err(ServiceError::invalid(
            "cases",
            format!("At most {MAX_CASES} demo cases can be made at once."),
        ));
    }
    let mut rng = Rng::new(seed);
    let zone = {
        let mut snapshot = file.read().await?;
        // The generator adds to a case file of demo cases only: never to real requests.
        let foreign = crate::store::demo::cases_not_created_by(&mut snapshot, ACTOR).await?;
        if foreign > 0 {
            return Err(ServiceError::invalid(
                "cases",
                format!(
                    "This case file holds {foreign} real cases (not made by the demo generator); demo cases are added only to a case file of demo cases. Give a new --db."
                ),
            ));
        }
        settings::time_zone(&mut snapshot).await?
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
    // One connection for the whole run, with a large page cache: the cases land all over the
    // receipt-date indexes, and a cache the size of those indexes saves most of the reading.
    let mut session = file.bulk().await?;
    let mut done = 0;
    while done < count {
        let size = BATCH.min(count - done);
        let mut batch = Vec::with_capacity(size);
        let mut statuses = Vec::with_capacity(size);
        for _ in 0..size {
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
            // Cases arrive in order over the two years, as at a real desk (so their numbers
            // follow their receipt dates and the receipt-date indexes grow at one end).
            let k = (done + batch.len()) as i64;
            let age_minutes = SPAN_MINUTES * (count as i64 - k) / count as i64;
            let received_at = now - Duration::minutes(age_minutes);
            let age_days = age_minutes / (24 * 60);
            let words: Vec<&str> = (0..6 + rng.below(20)).map(|_| rng.pick(WORDS)).collect();
            let kinds = kinds_mix[rng.below(kinds_mix.len())].to_vec();
            batch.push(crate::domain::ValidNewCase {
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
            });
            statuses.push(match age_days {
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
            });
        }
        let mut tx = session.write().await?;
        let created = super::intake::create_all_in_tx(&mut tx, &batch.iter().collect::<Vec<_>>(), now, ACTOR).await?;
        for status in CaseStatus::ALL.iter().filter(|s| **s != CaseStatus::New) {
            let ids: Vec<i64> = created
                .iter()
                .zip(&statuses)
                .filter(|(_, s)| *s == status)
                .map(|((id, _), _)| *id)
                .collect();
            crate::store::demo::set_status_in_tx(&mut tx, *status, &ids).await?;
            crate::store::demo::answer_in_tx(&mut tx, *status, &ids).await?;
        }
        tx.commit().await?;
        done += created.len();
        progress(done);
    }
    session.finish().await?;
    Ok(done)
}
