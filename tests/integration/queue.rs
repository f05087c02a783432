//! The queue on a real case file: full-text search (names in any script, emails, phones,
//! descriptions), filters, paging, and query plans that never sort the whole file.

use crate::support::{now, sample_request, TempCaseFile, ACTOR};
use privacydesk::domain::{CaseStatus, RequestKind};
use privacydesk::service::intake::log_request;
use privacydesk::service::lifecycle::change_status;
use privacydesk::service::queue::queue;
use privacydesk::store::queue::{page_ids, plan, QueueQuery, QueueSort};
use privacydesk::store::CaseFile;

async fn file_with_cases(t: &TempCaseFile) -> CaseFile {
    let file = t.open().await;
    let people = [
        ("Łukasz Żółć", "lukasz@example.pl", "2026-03-01", RequestKind::Delete),
        (
            "Анна Смирнова",
            "anna@example.ru",
            "2026-03-02",
            RequestKind::KnowCategories,
        ),
        (
            "Nguyễn Thị Minh Khai",
            "khai@example.com",
            "2026-03-03",
            RequestKind::OptOut,
        ),
        ("José Núñez", "jose@example.com", "2026-03-04", RequestKind::Delete),
        (
            "Αλέξανδρος Παπαδόπουλος",
            "alex@example.gr",
            "2026-03-05",
            RequestKind::Correct,
        ),
    ];
    for (name, email, received, kind) in people {
        let mut r = sample_request(name, received);
        r.requester.email = Some(email.into());
        r.kinds = vec![kind];
        r.details.description = format!("Request about my payroll records, {name}");
        log_request(&file, &r, now(), ACTOR).await.unwrap();
    }
    file
}

fn names(page: &privacydesk::service::queue::QueuePage) -> Vec<String> {
    page.rows.iter().map(|r| r.requester.clone()).collect()
}

async fn search(file: &CaseFile, text: &str) -> Vec<String> {
    let q = QueueQuery {
        search: Some(text.into()),
        ..Default::default()
    };
    names(&queue(file, &q, now()).await.unwrap())
}

#[tokio::test]
async fn search_finds_names_however_they_are_typed() {
    let t = TempCaseFile::new();
    let file = file_with_cases(&t).await;
    assert_eq!(search(&file, "Żółć").await, ["Łukasz Żółć"]);
    assert_eq!(
        search(&file, "zolc").await,
        ["Łukasz Żółć"],
        "without diacritics or the Ł"
    );
    assert_eq!(search(&file, "lukasz").await, ["Łukasz Żółć"]);
    assert_eq!(search(&file, "Смирнова").await, ["Анна Смирнова"]);
    assert_eq!(
        search(&file, "smirnova").await,
        ["Анна Смирнова"],
        "Cyrillic transliterated"
    );
    assert_eq!(search(&file, "nguyen khai").await, ["Nguyễn Thị Minh Khai"]);
    assert_eq!(
        search(&file, "Παπαδ").await,
        ["Αλέξανδρος Παπαδόπουλος"],
        "prefixes match"
    );
    assert_eq!(search(&file, "jose@example.com").await, ["José Núñez"]);
    assert_eq!(search(&file, "PR-2026-00002").await, ["Анна Смирнова"]);
    assert_eq!(
        search(&file, "510 555 0142").await.len(),
        5,
        "the phone every sample shares"
    );
    assert_eq!(
        search(&file, "payroll nunez").await,
        ["José Núñez"],
        "description and name together"
    );
    assert!(
        search(&file, "\"unbalanced OR (").await.is_empty(),
        "typed syntax is never an FTS5 error"
    );
}

#[tokio::test]
async fn filters_and_pages() {
    let t = TempCaseFile::new();
    let file = file_with_cases(&t).await;
    change_status(
        &file,
        "PR-2026-00001".parse().unwrap(),
        &crate::support::move_to(CaseStatus::Withdrawn, "Asked to stop"),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    let run = |q: QueueQuery| {
        let file = file.clone();
        async move { names(&queue(&file, &q, now()).await.unwrap()) }
    };
    assert_eq!(run(QueueQuery::default()).await.len(), 5);
    assert_eq!(
        run(QueueQuery {
            open_only: true,
            ..Default::default()
        })
        .await
        .len(),
        4
    );
    assert_eq!(
        run(QueueQuery {
            status: Some(CaseStatus::Withdrawn),
            ..Default::default()
        })
        .await,
        ["Łukasz Żółć"]
    );
    assert_eq!(
        run(QueueQuery {
            kind: Some(RequestKind::Delete),
            ..Default::default()
        })
        .await,
        ["José Núñez", "Łukasz Żółć"]
    );
    assert_eq!(
        run(QueueQuery {
            received_from: Some("2026-03-02".parse().unwrap()),
            received_to: Some("2026-03-03".parse().unwrap()),
            ..Default::default()
        })
        .await,
        ["Nguyễn Thị Minh Khai", "Анна Смирнова"]
    );
    assert_eq!(
        run(QueueQuery {
            sort: QueueSort::OldestFirst,
            limit: 2,
            ..Default::default()
        })
        .await,
        ["Łukasz Żółć", "Анна Смирнова"]
    );
    let page = queue(
        &file,
        &QueueQuery {
            limit: 2,
            offset: 4,
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    assert_eq!((page.rows.len(), page.has_more), (1, false));
    let page = queue(
        &file,
        &QueueQuery {
            limit: 2,
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    assert!(page.has_more);
    assert!(page.rows[0].next.is_some(), "open cases carry their next clock");
}

/// The queries a busy desk runs all day must read the first page through an index, never sort
/// every case: "USE TEMP B-TREE FOR ORDER BY" in a plan means a full sort.
#[tokio::test]
async fn first_page_queries_never_sort_the_whole_file() {
    let t = TempCaseFile::new();
    let file = file_with_cases(&t).await;
    let mut conn = file.pool().acquire().await.unwrap();
    for (what, q) in [
        (
            "open, newest first",
            QueueQuery {
                open_only: true,
                ..Default::default()
            },
        ),
        ("all, newest first", QueueQuery::default()),
        (
            "by status",
            QueueQuery {
                status: Some(CaseStatus::New),
                ..Default::default()
            },
        ),
        (
            "by kinds",
            QueueQuery {
                sort: QueueSort::Kinds,
                ..Default::default()
            },
        ),
        (
            "open, next due first",
            QueueQuery {
                open_only: true,
                sort: QueueSort::NextDue,
                ..Default::default()
            },
        ),
        (
            "by channel",
            QueueQuery {
                sort: QueueSort::Channel,
                ..Default::default()
            },
        ),
        (
            "by status and kind",
            QueueQuery {
                status: Some(CaseStatus::New),
                kind: Some(RequestKind::Delete),
                ..Default::default()
            },
        ),
    ] {
        let steps = plan(&mut conn, &q).await.unwrap();
        assert!(!steps.iter().any(|s| s.contains("TEMP B-TREE")), "{what}: {steps:?}");
    }
    let steps = plan(
        &mut conn,
        &QueueQuery {
            open_only: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        steps.iter().any(|s| s.contains("privacy_case_open_by_received")),
        "{steps:?}"
    );
}

/// A search page is the same whichever way `page_ids` finds it (the queue read in order, or all
/// matches sorted): compare with the whole ordered queue filtered by hand, for every order, page
/// size and offset.
#[tokio::test]
async fn search_pages_are_the_ordered_queue_filtered() {
    let t = TempCaseFile::new();
    let file = file_with_cases(&t).await;
    let mut conn = file.pool().acquire().await.unwrap();
    let sorts = [
        QueueSort::NewestFirst,
        QueueSort::OldestFirst,
        QueueSort::Number,
        QueueSort::Requester,
        QueueSort::Status,
        QueueSort::Kinds,
        QueueSort::Channel,
        QueueSort::NextDue,
    ];
    for sort in sorts {
        let all = page_ids(
            &mut conn,
            &QueueQuery {
                sort,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        for text in ["payroll", "example.com", "zolc", "payroll records", "nobody"] {
            let matching = page_ids(
                &mut conn,
                &QueueQuery {
                    search: Some(text.into()),
                    limit: 200,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            let expected: Vec<i64> = all.iter().copied().filter(|id| matching.contains(id)).collect();
            for limit in 1..=3 {
                for offset in 0..6 {
                    let q = QueueQuery {
                        search: Some(text.into()),
                        sort,
                        limit,
                        offset,
                        ..Default::default()
                    };
                    let want: Vec<i64> = expected
                        .iter()
                        .copied()
                        .skip(offset as usize)
                        .take(limit as usize)
                        .collect();
                    assert_eq!(
                        page_ids(&mut conn, &q).await.unwrap(),
                        want,
                        "{text:?} {sort:?} {limit} {offset}"
                    );
                }
            }
        }
    }
}

/// "Next due" sorts the whole file by the pending clock that ends first, and follows the clocks
/// as acts are recorded and cases close (§ 7021(a) acknowledgment, § 7026(f) opt-out).
#[tokio::test]
async fn next_due_sort_follows_the_clocks_as_they_are_met() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let log = |name: &'static str, received: &'static str, kind: RequestKind| {
        let mut r = sample_request(name, received);
        r.kinds = vec![kind];
        r
    };
    let a = log_request(
        &file,
        &log("Ana First", "2026-03-02", RequestKind::Delete),
        now(),
        ACTOR,
    )
    .await
    .unwrap()
    .number;
    let b = log_request(
        &file,
        &log("Bo Opt Out", "2026-03-04", RequestKind::OptOut),
        now(),
        ACTOR,
    )
    .await
    .unwrap()
    .number;
    let c = log_request(
        &file,
        &log("Chloé Third", "2026-03-03", RequestKind::Delete),
        now(),
        ACTOR,
    )
    .await
    .unwrap()
    .number;
    let by_due = |open_only| QueueQuery {
        open_only,
        sort: QueueSort::NextDue,
        ..Default::default()
    };
    let order = |page: privacydesk::service::queue::QueuePage| {
        for row in &page.rows {
            assert!(row.next.is_some(), "{}", row.number);
        }
        let dues: Vec<_> = page
            .rows
            .iter()
            .filter_map(|r| r.next.as_ref().map(|n| n.due))
            .collect();
        assert!(
            dues.windows(2).all(|w| w[0] <= w[1]),
            "sorted by the due date shown: {dues:?}"
        );
        page.rows.iter().map(|r| r.number).collect::<Vec<_>>()
    };
    // Acknowledgments due 16 and 17 March, the opt-out 25 March.
    assert_eq!(order(queue(&file, &by_due(true), now()).await.unwrap()), [a, c, b]);

    let ack = privacydesk::domain::clock::Acknowledgment {
        on: "2026-03-05".parse().unwrap(),
        channel: privacydesk::domain::Channel::Email,
    };
    privacydesk::service::clocks::record_acknowledgment(&file, a, &ack, now(), ACTOR)
        .await
        .unwrap();
    // A's next clock is now the response, 15 April.
    assert_eq!(order(queue(&file, &by_due(true), now()).await.unwrap()), [c, b, a]);

    change_status(
        &file,
        c,
        &crate::support::move_to(CaseStatus::Withdrawn, "Withdrawn by phone"),
        now(),
        ACTOR,
    )
    .await
    .unwrap();
    assert_eq!(order(queue(&file, &by_due(true), now()).await.unwrap()), [b, a]);
    let all = queue(&file, &by_due(false), now()).await.unwrap();
    assert_eq!(
        all.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        [b, a, c],
        "a closed case has no next due and comes last"
    );
}

/// The last word typed is the start of a word while it is being typed ("Anab" finds Anabel)
/// and a whole word once the file has it as one ("Ana" finds Ana, not Anabel): the count of
/// matches agrees with the page either way.
#[tokio::test]
async fn the_last_word_is_a_prefix_only_while_it_is_not_yet_a_whole_word() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    for (name, received) in [("Ana Reyes", "2026-03-01"), ("Anabel Cruz", "2026-03-02")] {
        log_request(&file, &sample_request(name, received), now(), ACTOR)
            .await
            .unwrap();
    }
    assert_eq!(search(&file, "Anab").await, ["Anabel Cruz"]);
    assert_eq!(search(&file, "Ana").await, ["Ana Reyes"]);
    assert_eq!(search(&file, "An").await, ["Anabel Cruz", "Ana Reyes"]);
    let count = |text: &str| {
        let q = QueueQuery {
            search: Some(text.into()),
            ..Default::default()
        };
        let file = file.clone();
        async move { privacydesk::service::queue::queue_count(&file, &q).await.unwrap() }
    };
    assert_eq!((count("Ana").await, count("An").await), (1, 2));
}

#[tokio::test]
async fn the_dashboard_figures_count_open_cases_by_status_and_name_the_oldest() {
    use privacydesk::service::records::dashboard_figures;
    let t = TempCaseFile::new();
    let file = t.open().await;
    let old = log_request(&file, &sample_request("Ana Reyes", "2026-02-02"), now(), ACTOR)
        .await
        .unwrap()
        .number;
    for name in ["Ben Ode", "Cy Park"] {
        log_request(&file, &sample_request(name, "2026-03-02"), now(), ACTOR)
            .await
            .unwrap();
    }
    let f = dashboard_figures(&file, now()).await.unwrap();
    let new = f.open_by_status.iter().find(|s| s.status == CaseStatus::New).unwrap();
    assert_eq!(new.cases, 3);
    let oldest = f.oldest_open.unwrap();
    assert_eq!(oldest.number, old);
    assert_eq!(
        oldest.days_open,
        (now().date_naive() - "2026-02-02".parse::<chrono::NaiveDate>().unwrap()).num_days()
    );
    // Nothing answered yet: the clocks are open, none due and missed unless past its day.
    assert_eq!(f.clocks.len(), 3);
}
