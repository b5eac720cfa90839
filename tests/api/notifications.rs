//! E-mail notifications against a real SMTP server process: who gets what for each event,
//! delivery choices and the daily digest, the outbox's exactly-once delivery with two server
//! processes, retries after the mail server was down, and nothing for a rolled-back change.

use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use diesel_async::{AsyncConnection, RunQueryDsl};
use ksbfolio::db::outbox::{self, NewMessage};
use ksbfolio::domain::notifications::Kind;
use ksbfolio::notifications::schedule;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::app::{mail_settings, spawn_app_on, spawn_mail_app};
use crate::helpers::database::TestDatabase;
use crate::helpers::portfolio::{accepted, id, log, review, submit};
use crate::helpers::reviews::{create_review, log_otj, review_otj, sign};
use crate::helpers::smtp::{SmtpServer, free_port};
use crate::helpers::world::World;
use crate::helpers::{TestApp, spawn_app};

async fn set_delivery(app: &TestApp, token: &str, delivery: &str) {
    let response = app
        .as_user(token, Method::PUT, "/api/v1/me/notifications")
        .json(&json!({ "delivery": delivery }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
}

/// Gives the worker time to send anything else it would have sent.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(400)).await;
}

async fn outbox_rows(app: &TestApp, admin: &str, query: &str) -> Value {
    let response = app
        .get_as(admin, &format!("/api/v1/admin/outbox{query}"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn submitted_evidence_emails_the_tutor_a_link_that_opens_its_review_page() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let a = &w.a;
    let evidence = id(&log(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Centrifuge <QC> & calibration",
        &["K1"],
    )
    .await);
    assert_eq!(submit(&app, &a.apprentice.token, &evidence).await.0, 200);

    let messages = smtp.wait_for(1).await;
    settle().await;
    assert_eq!(smtp.messages().len(), 1, "only the tutor is told");
    let message = &messages[0];
    assert_eq!(message.to, a.tutor.email);
    assert!(
        message.subject.starts_with("ksbfolio: "),
        "{}",
        message.subject
    );
    assert!(message.subject.contains("Centrifuge <QC> & calibration"));
    assert!(message.text.contains("ksbfolio"));
    assert!(
        message
            .html
            .contains("Centrifuge &lt;QC&gt; &amp; calibration")
    );
    assert!(!message.html.contains("<QC>"));
    assert_eq!(message.next(), format!("/evidence/{evidence}/review"));
    let link = message.link("http").expect("link");
    assert!(
        link.starts_with(&format!("{}/sign-in/link?token=", app.address)),
        "{link}"
    );
}

#[tokio::test]
async fn changes_requested_and_accepted_email_the_apprentice_and_an_evidenced_ksb_tells_the_mentor()
{
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let a = &w.a;
    set_delivery(&app, &a.mentor.token, "immediate").await;
    let evidence = id(&log(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Audit",
        &["K1", "S2"],
    )
    .await);
    assert_eq!(submit(&app, &a.apprentice.token, &evidence).await.0, 200);
    let sent_back = review(
        &app,
        &a.tutor.token,
        &evidence,
        "changes_requested",
        "Add the dates.",
    )
    .await;
    assert_eq!(sent_back.0, 200);
    smtp.wait_for(2).await;
    let to_apprentice = smtp.to(&a.apprentice.email);
    assert_eq!(to_apprentice.len(), 1);
    assert!(to_apprentice[0].subject.contains("asked for changes"));
    assert_eq!(to_apprentice[0].next(), format!("/evidence/{evidence}"));

    assert_eq!(submit(&app, &a.apprentice.token, &evidence).await.0, 200);
    assert_eq!(
        review(&app, &a.tutor.token, &evidence, "accepted", "")
            .await
            .0,
        200
    );
    smtp.wait_for(5).await;
    settle().await;
    assert_eq!(smtp.to(&a.tutor.email).len(), 2, "two submissions");
    let to_apprentice = smtp.to(&a.apprentice.email);
    assert_eq!(to_apprentice.len(), 2);
    assert!(
        to_apprentice
            .iter()
            .any(|m| m.subject.contains("was accepted"))
    );
    let to_mentor = smtp.to(&a.mentor.email);
    assert_eq!(to_mentor.len(), 1, "{to_mentor:?}");
    assert!(
        to_mentor[0].subject.contains("K1, S2"),
        "{}",
        to_mentor[0].subject
    );
    assert!(to_mentor[0].subject.contains("ready to sign off"));
    assert_eq!(to_mentor[0].next(), "/signoff-queue");
    assert_eq!(smtp.messages().len(), 5, "nobody on side B hears anything");
}

#[tokio::test]
async fn a_new_or_reopened_review_asks_each_party_who_has_not_signed_and_a_rejected_otj_entry_tells_the_apprentice()
 {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let a = &w.a;
    set_delivery(&app, &a.mentor.token, "immediate").await;
    let today = Utc::now().date_naive().to_string();
    let created = create_review(&app, &a.tutor.token, &a.apprenticeship, &today).await;
    smtp.wait_for(2).await;
    settle().await;
    assert_eq!(smtp.to(&a.apprentice.email).len(), 1);
    assert_eq!(smtp.to(&a.mentor.email).len(), 1);
    assert_eq!(smtp.to(&a.tutor.email).len(), 0, "the tutor recorded it");
    let asked = &smtp.to(&a.mentor.email)[0];
    assert!(asked.subject.contains("waits for your signature"));
    assert_eq!(
        asked.next(),
        format!("/apprenticeships/{}/reviews", a.apprenticeship)
    );

    let review_id = id(&created);
    for token in [&a.apprentice.token, &a.mentor.token, &a.tutor.token] {
        assert_eq!(sign(&app, token, &review_id).await.0, 201);
    }
    let (status, _) = crate::helpers::portfolio::act(
        &app,
        &a.tutor.token,
        &format!("/api/v1/reviews/{review_id}/reopen"),
        Some(json!({ "reason": "The date was wrong." })),
    )
    .await;
    assert_eq!(status, 200);
    smtp.wait_for(4).await;
    assert_eq!(smtp.to(&a.apprentice.email).len(), 2);
    assert_eq!(smtp.to(&a.mentor.email).len(), 2);

    let (status, entry) = log_otj(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "2026-02-02",
        60,
    )
    .await;
    assert_eq!(status, 201, "{entry}");
    let (status, _) = review_otj(
        &app,
        &a.tutor.token,
        &id(&entry),
        "rejected",
        Some("Wrong day"),
    )
    .await;
    assert_eq!(status, 200);
    smtp.wait_for(5).await;
    settle().await;
    let to_apprentice = smtp.to(&a.apprentice.email);
    let rejected: Vec<_> = to_apprentice
        .iter()
        .filter(|m| m.subject.contains("rejected"))
        .collect();
    assert_eq!(rejected.len(), 1);
    assert!(rejected[0].text.contains("Wrong day"));
    assert_eq!(
        rejected[0].next(),
        format!("/apprenticeships/{}/otj", a.apprenticeship)
    );
    assert_eq!(smtp.messages().len(), 5);
}

#[tokio::test]
async fn review_reminders_go_to_the_apprentice_mentor_and_tutor_once_per_threshold() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let a = &w.a;
    for person in [&a.apprentice, &a.mentor, &a.tutor] {
        set_delivery(&app, &person.token, "immediate").await;
    }
    set_delivery(&app, &w.b.mentor.token, "off").await;
    let details =
        crate::helpers::reviews::apprenticeship(&app, &a.tutor.token, &a.apprenticeship).await;
    let due: NaiveDate = details["next_review_due_by"]
        .as_str()
        .expect("a deadline")
        .parse()
        .expect("date");
    let noon = |day: NaiveDate| Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).expect("time"));
    let mut conn = app.db.connect().await;

    // Ten days before: due soon, for both sides' apprenticeships with that deadline.
    let soon = noon(due - chrono::Duration::days(10));
    let (written, _) = schedule::run_once(&mut conn, soon, 25).await.expect("job");
    assert!(written >= 1);
    let again = schedule::run_once(&mut conn, soon, 25).await.expect("job");
    assert_eq!(
        again,
        (0, 0),
        "a second run, on this node or another, writes nothing"
    );
    smtp.wait_for(3).await;
    settle().await;
    for person in [&a.apprentice, &a.mentor, &a.tutor] {
        let mine = smtp.to(&person.email);
        assert_eq!(mine.len(), 1, "{}", person.email);
        assert!(
            mine[0].subject.contains(&format!("is due by {due}")),
            "{}",
            mine[0].subject
        );
    }
    assert!(smtp.to(&w.b.mentor.email).is_empty(), "mail off");

    // The day after the deadline: overdue, once.
    let late = noon(due + chrono::Duration::days(1));
    schedule::run_once(&mut conn, late, 25).await.expect("job");
    schedule::run_once(&mut conn, late, 25).await.expect("job");
    smtp.wait_for(6).await;
    settle().await;
    for person in [&a.apprentice, &a.mentor, &a.tutor] {
        let overdue: Vec<_> = smtp
            .to(&person.email)
            .into_iter()
            .filter(|m| m.subject.contains("overdue"))
            .collect();
        assert_eq!(overdue.len(), 1, "{}", person.email);
    }
}

#[tokio::test]
async fn notification_settings_default_by_role_and_off_sends_nothing() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let a = &w.a;
    let get = |token: String| {
        let app = &app;
        async move {
            let response = app.get_as(&token, "/api/v1/me/notifications").await;
            assert_eq!(response.status().as_u16(), 200);
            response.json::<Value>().await.expect("json")
        }
    };
    let mentor = get(a.mentor.token.clone()).await;
    assert_eq!(
        mentor,
        json!({ "delivery": "daily_digest", "default": "daily_digest", "chosen": false })
    );
    let tutor = get(a.tutor.token.clone()).await;
    assert_eq!(
        tutor,
        json!({ "delivery": "immediate", "default": "immediate", "chosen": false })
    );

    let response = app
        .as_user(&a.tutor.token, Method::PUT, "/api/v1/me/notifications")
        .json(&json!({ "delivery": "weekly" }))
        .send()
        .await
        .expect("sent");
    let problem = crate::helpers::app::assert_problem(response, 422).await;
    assert_eq!(problem["errors"][0]["field"], "delivery");

    set_delivery(&app, &a.tutor.token, "off").await;
    assert_eq!(
        get(a.tutor.token.clone()).await,
        json!({ "delivery": "off", "default": "immediate", "chosen": true })
    );
    let evidence = id(&log(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Quiet",
        &["K1"],
    )
    .await);
    assert_eq!(submit(&app, &a.apprentice.token, &evidence).await.0, 200);
    settle().await;
    assert!(smtp.messages().is_empty());
    let rows = outbox_rows(&app, &w.admin.token, "").await;
    assert_eq!(rows["total"], 0, "no row for mail that is off");
}

#[tokio::test]
async fn a_daily_digest_lists_everything_new_in_one_message_once_a_day() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let a = &w.a;
    // The mentor's default: a daily digest.
    accepted(
        &app,
        &a.apprentice.token,
        &a.tutor.token,
        &a.apprenticeship,
        &["K1"],
    )
    .await;
    accepted(
        &app,
        &a.apprentice.token,
        &a.tutor.token,
        &a.apprenticeship,
        &["S3"],
    )
    .await;
    settle().await;
    assert!(smtp.to(&a.mentor.email).is_empty(), "waits for the digest");
    let mut conn = app.db.connect().await;
    let morning = Utc
        .with_ymd_and_hms(2027, 1, 4, 6, 0, 0)
        .single()
        .expect("time");

    // Before the digest hour (7, London): nothing.
    let (_, digests) = schedule::run_once(&mut conn, morning, 7)
        .await
        .expect("job");
    assert_eq!(digests, 0);
    let after_seven = morning + chrono::Duration::hours(2);
    let (_, digests) = schedule::run_once(&mut conn, after_seven, 7)
        .await
        .expect("job");
    // Both mentors: each also hears, in the same digest, that the review is overdue by then.
    assert_eq!(digests, 2);
    let digest = smtp.wait_for_to(&a.mentor.email, 1).await;
    assert_eq!(digest.len(), 1);
    assert!(
        digest[0].subject.contains("daily summary (3 new)"),
        "{}",
        digest[0].subject
    );
    assert!(digest[0].text.contains("is overdue"));
    assert!(
        digest[0].text.contains("K1 of Apprentice A"),
        "{}",
        digest[0].text
    );
    assert!(digest[0].text.contains("S3 of Apprentice A"));
    assert_eq!(digest[0].text.matches("/sign-in/link?token=").count(), 3);

    // Something new the same day waits for tomorrow's digest.
    accepted(
        &app,
        &a.apprentice.token,
        &a.tutor.token,
        &a.apprenticeship,
        &["B1"],
    )
    .await;
    let (_, digests) = schedule::run_once(&mut conn, after_seven + chrono::Duration::hours(3), 7)
        .await
        .expect("job");
    assert_eq!(digests, 0, "once a day");
    let tomorrow = after_seven + chrono::Duration::days(1);
    let (_, digests) = schedule::run_once(&mut conn, tomorrow, 7)
        .await
        .expect("job");
    assert_eq!(digests, 1);
    let mine = smtp.wait_for_to(&a.mentor.email, 2).await;
    assert_eq!(mine.len(), 2);
    assert!(
        mine.iter()
            .any(|m| m.subject.contains("(1 new)") && m.text.contains("B1 of"))
    );
}

fn message(recipient: uuid::Uuid, n: usize) -> NewMessage {
    NewMessage {
        recipient_id: recipient,
        kind: Kind::EvidenceAccepted,
        payload: json!({ "title": format!("Message {n}"), "path": "/" }),
    }
}

async fn user_id(app: &TestApp, email: &str) -> uuid::Uuid {
    let login = app.login(email, crate::helpers::world::PASSWORD).await;
    login["user"]["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid")
}

#[tokio::test]
async fn two_server_processes_on_one_database_send_each_message_exactly_once() {
    let smtp = SmtpServer::start().await;
    let first = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&first).await;
    // A second server process on the same database, with its own worker.
    let data_dir = tempfile::tempdir().expect("dir");
    let mut settings = crate::helpers::app::test_settings(data_dir.path());
    mail_settings(&mut settings, &smtp.url());
    settings.db_pool_size = 8;
    let second =
        ksbfolio::startup::Application::build(&settings, &first.db.url).expect("second app");
    tokio::spawn(second.run_until_stopped());

    let tutor = user_id(&first, &w.a.tutor.email).await;
    let mut conn = first.db.connect().await;
    let messages: Vec<NewMessage> = (0..300).map(|n| message(tutor, n)).collect();
    outbox::enqueue(&conn, &messages).await.expect("enqueue");
    drop(messages);
    smtp.wait_for(300).await;
    settle().await;
    let received = smtp.messages();
    assert_eq!(received.len(), 300);
    let mut subjects: Vec<String> = received.into_iter().map(|m| m.subject).collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 300, "no message twice");
    assert_eq!(outbox::pending_count(&mut conn).await.expect("count"), 0);
}

/// A mail app with 4 delivery tasks at these paces, once what building its world queued has
/// gone, so only the messages of the test are timed.
struct PacedMail {
    smtp: SmtpServer,
    app: TestApp,
    tutor: uuid::Uuid,
    conn: diesel_async::AsyncPgConnection,
}

impl PacedMail {
    async fn start(rate: u32, busy_rate: u32) -> Self {
        let smtp = SmtpServer::start().await;
        let app = spawn_app_on(TestDatabase::new().await, |s| {
            mail_settings(s, &smtp.url());
            s.mail.concurrency = 4;
            s.mail.rate = std::num::NonZeroU32::new(rate);
            s.mail.busy_rate = std::num::NonZeroU32::new(busy_rate);
        })
        .await;
        let w = World::build(&app).await;
        let tutor = user_id(&app, &w.a.tutor.email).await;
        let mut conn = app.db.connect().await;
        while outbox::pending_count(&mut conn).await.expect("count") > 0 {
            settle().await;
        }
        settle().await;
        Self {
            smtp,
            app,
            tutor,
            conn,
        }
    }

    /// Queues `count` messages to the tutor and returns how long until all had arrived.
    async fn deliver(&self, count: usize) -> Duration {
        let before = self.smtp.messages().len();
        let messages: Vec<NewMessage> = (0..count).map(|n| message(self.tutor, n)).collect();
        let started = std::time::Instant::now();
        outbox::enqueue(&self.conn, &messages)
            .await
            .expect("enqueue");
        self.smtp.wait_for(before + count).await;
        let took = started.elapsed();
        assert_eq!(self.smtp.messages().len(), before + count);
        took
    }
}

/// `KSBFOLIO_MAIL_RATE` holds all the tasks of a process to that many messages a second
/// together: 60 messages at 40 a second, the first 4 at once (one per task), the other 56 one
/// every 25 ms, cannot all arrive in less than 1.4 s.
#[tokio::test]
async fn a_paced_worker_sends_no_faster_than_its_rate_across_its_tasks() {
    let mail = PacedMail::start(40, 0).await;
    let took = mail.deliver(60).await;
    assert!(
        took >= Duration::from_millis(1_400),
        "60 messages at 40 a second arrived in {took:?}"
    );
}

/// `KSBFOLIO_MAIL_BUSY_RATE`: while the process is answering a request (here one whose body
/// never finishes arriving, so it stays in flight) its worker sends at the busy pace: 6 messages
/// at 10 a second, the first at once and each of the others 100 ms later, cannot all arrive in
/// under 0.5 s, though the full rate (1,000 a second) would send them in about 5 ms.
#[tokio::test]
async fn a_worker_sends_at_its_busy_rate_while_its_process_answers_a_request() {
    use tokio::io::AsyncWriteExt;

    let mail = PacedMail::start(1_000, 10).await;
    let host = mail.app.address.trim_start_matches("http://");
    let mut in_flight = tokio::net::TcpStream::connect(host).await.expect("connect");
    in_flight
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n\
              Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
        )
        .await
        .expect("write");
    settle().await;
    let took = mail.deliver(6).await;
    assert!(
        took >= Duration::from_millis(500),
        "6 messages at the busy 10 a second arrived in {took:?}"
    );
    drop(in_flight);
}

/// A sign-in link someone asked for goes out before a burst of notifications queued ahead of it
/// (which, under load, trickle out at the busy pace); the notifications then go oldest first.
#[tokio::test]
async fn an_awaited_link_is_claimed_before_older_notifications() {
    let app = spawn_app_on(TestDatabase::new().await, |s| s.mail.worker = false).await;
    let w = World::build(&app).await;
    let tutor = user_id(&app, &w.a.tutor.email).await;
    let mut conn = app.db.connect().await;
    // What building the world queued is set aside: only these messages count.
    diesel::sql_query("UPDATE outbox SET status = 'skipped' WHERE status = 'pending'")
        .execute(&mut conn)
        .await
        .expect("set aside");
    // One statement each, so each has its own time and the order is theirs.
    for n in 0..5 {
        outbox::enqueue(&conn, &[message(tutor, n)])
            .await
            .expect("enqueue the burst");
    }
    let link = NewMessage {
        recipient_id: tutor,
        kind: Kind::SignInLink,
        payload: json!({}),
    };
    outbox::enqueue(&conn, &[link])
        .await
        .expect("enqueue the link");

    let mut claimed = Vec::new();
    for _ in 0..3 {
        let message = outbox::claim_due(&mut conn, 300.0)
            .await
            .expect("claim")
            .expect("a due message");
        claimed.push((message.kind, message.payload["title"].clone()));
    }
    assert_eq!(
        claimed,
        [
            ("sign_in_link".to_string(), Value::Null),
            ("evidence_accepted".to_string(), json!("Message 0")),
            ("evidence_accepted".to_string(), json!("Message 1")),
        ]
    );
}

#[tokio::test]
async fn a_message_is_retried_after_the_mail_server_was_down() {
    let port = free_port();
    let app = spawn_mail_app(&format!("smtp://127.0.0.1:{port}")).await;
    let w = World::build(&app).await;
    let a = &w.a;
    let evidence = id(&log(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Late",
        &["K1"],
    )
    .await);
    assert_eq!(submit(&app, &a.apprentice.token, &evidence).await.0, 200);
    // Wait for a failed attempt to be recorded.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let rows = outbox_rows(&app, &w.admin.token, "?status=pending").await;
        if rows["items"][0]["attempts"].as_i64().unwrap_or(0) >= 1 {
            assert!(
                rows["items"][0]["last_error"]
                    .as_str()
                    .is_some_and(|e| !e.is_empty())
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no failed attempt: {rows}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let smtp = SmtpServer::start_on(port).await;
    let messages = smtp.wait_for(1).await;
    assert_eq!(messages[0].to, a.tutor.email);
    settle().await;
    let sent = outbox_rows(&app, &w.admin.token, "?status=sent").await;
    assert_eq!(sent["total"], 1);
    assert!(sent["items"][0]["attempts"].as_i64().expect("attempts") >= 2);
}

#[tokio::test]
async fn after_eight_failed_attempts_a_message_is_failed_and_listed_for_administrators() {
    let port = free_port();
    let app = spawn_app_on(TestDatabase::new().await, |s| {
        mail_settings(s, &format!("smtp://127.0.0.1:{port}"));
        s.mail.retry_base = Duration::from_millis(5);
    })
    .await;
    let w = World::build(&app).await;
    let a = &w.a;
    let evidence = id(&log(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Never",
        &["K1"],
    )
    .await);
    assert_eq!(submit(&app, &a.apprentice.token, &evidence).await.0, 200);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let failed = loop {
        let rows = outbox_rows(&app, &w.admin.token, "?status=failed").await;
        if rows["total"] == 1 {
            break rows;
        }
        assert!(std::time::Instant::now() < deadline, "not failed yet");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let row = &failed["items"][0];
    assert_eq!(row["attempts"], 8);
    assert_eq!(row["kind"], "evidence_submitted");
    assert_eq!(row["recipient"]["email"], a.tutor.email.as_str());
}

#[tokio::test]
async fn nothing_is_sent_for_a_rolled_back_change() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let tutor = user_id(&app, &w.a.tutor.email).await;
    let mut conn = app.db.connect().await;
    let rolled_back = conn
        .transaction(async |conn| {
            diesel::sql_query("UPDATE evidence SET title = title")
                .execute(conn)
                .await?;
            outbox::enqueue(conn, &[message(tutor, 1)]).await?;
            Err::<(), _>(diesel::result::Error::RollbackTransaction)
        })
        .await;
    assert!(rolled_back.is_err());
    outbox::enqueue(&conn, &[message(tutor, 2)])
        .await
        .expect("committed");
    let messages = smtp.wait_for(1).await;
    settle().await;
    let messages = if messages.len() == 1 {
        smtp.messages()
    } else {
        messages
    };
    assert_eq!(messages.len(), 1);
    assert!(messages[0].subject.contains("Message 2"));
}

#[tokio::test]
async fn without_a_mail_server_each_message_is_a_private_eml_file_in_the_data_folder() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app_on(TestDatabase::new().await, |s| {
        s.mail.worker = true;
        s.mail.poll = Duration::from_millis(20);
    })
    .await;
    let w = World::build(&app).await;
    let a = &w.a;
    let evidence = id(&log(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "On file",
        &["K1"],
    )
    .await);
    assert_eq!(submit(&app, &a.apprentice.token, &evidence).await.0, 200);
    let dir = app.data_dir.path().join("mail");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let file = loop {
        if let Some(entry) = std::fs::read_dir(&dir).ok().and_then(|mut d| d.next()) {
            break entry.expect("entry").path();
        }
        assert!(std::time::Instant::now() < deadline, "no .eml file");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(file.extension().and_then(|e| e.to_str()), Some("eml"));
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&file), 0o600);
    let raw = std::fs::read_to_string(&file).expect("read");
    assert!(raw.contains(&a.tutor.email));
    assert!(raw.contains("multipart/alternative"));
}

#[tokio::test]
async fn the_outbox_is_for_administrators_only() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let response = app.get_as(&w.a.tutor.token, "/api/v1/admin/outbox").await;
    crate::helpers::app::assert_problem(response, 403).await;
    let response = app
        .get_as(&w.admin.token, "/api/v1/admin/outbox?status=lost")
        .await;
    let problem = crate::helpers::app::assert_problem(response, 422).await;
    assert_eq!(problem["errors"][0]["field"], "status");
}

#[tokio::test]
async fn a_graceful_shutdown_finishes_every_message_in_hand_and_leaves_the_rest_due() {
    let smtp = SmtpServer::start().await;
    let db = TestDatabase::new().await;
    let data_dir = tempfile::tempdir().expect("dir");
    let mut settings = crate::helpers::app::test_settings(data_dir.path());
    mail_settings(&mut settings, &smtp.url());
    settings.db_pool_size = 8;
    let app = ksbfolio::startup::Application::build(&settings, &db.url).expect("app");
    let address = format!("http://{}", app.address());
    let handle = app.server_handle();
    let running = tokio::spawn(app.run_until_stopped());
    let client = TestApp {
        address,
        client: reqwest::Client::new(),
        db,
        data_dir,
    };
    let w = World::build(&client).await;
    let tutor = user_id(&client, &w.a.tutor.email).await;
    let mut conn = client.db.connect().await;
    let messages: Vec<NewMessage> = (0..200).map(|n| message(tutor, n)).collect();
    outbox::enqueue(&conn, &messages).await.expect("enqueue");
    smtp.wait_for(5).await;
    handle.stop(true).await;
    running.await.expect("joined").expect("stopped cleanly");

    #[derive(diesel::QueryableByName)]
    struct Standing {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        sent: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        leased: i64,
    }
    let standing: Standing = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE status = 'sent') AS sent, \
                count(*) FILTER (WHERE status = 'pending' AND next_attempt_at > now() + interval '1 minute') AS leased \
         FROM outbox",
    )
    .get_result(&mut conn)
    .await
    .expect("standing");
    assert_eq!(standing.leased, 0, "no message left half-done");
    settle().await;
    assert_eq!(
        smtp.messages().len() as i64,
        standing.sent,
        "every message received is marked sent"
    );
    assert!(
        standing.sent < 200,
        "the worker stopped before the queue was empty"
    );
}

/// During a rolling upgrade a message of a kind only a newer version can write stays pending for
/// that version: an older worker neither sends it nor counts a failed attempt against it.
#[tokio::test]
async fn a_message_of_a_kind_this_version_does_not_know_is_left_for_one_that_does() {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        status: String,
        #[diesel(sql_type = diesel::sql_types::Int4)]
        attempts: i32,
    }
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let tutor = user_id(&app, &w.a.tutor.email).await;
    let mut conn = app.db.connect().await;
    diesel::sql_query(
        "INSERT INTO outbox (recipient_id, kind, payload, delivery) \
         VALUES ($1, 'a_kind_from_a_newer_version', '{}'::jsonb, 'immediate')",
    )
    .bind::<diesel::sql_types::Uuid, _>(tutor)
    .execute(&mut conn)
    .await
    .expect("insert");
    outbox::enqueue(&conn, &[message(tutor, 1)])
        .await
        .expect("enqueue");
    let received = smtp.wait_for(1).await;
    assert!(received[0].subject.contains("Message 1"), "{received:?}");
    settle().await;
    assert_eq!(smtp.messages().len(), 1);
    let row: Row = diesel::sql_query(
        "SELECT status, attempts FROM outbox WHERE kind = 'a_kind_from_a_newer_version'",
    )
    .get_result(&mut conn)
    .await
    .expect("row");
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 0));
}
