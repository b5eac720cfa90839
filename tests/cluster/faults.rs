//! Faults on the running topology, each put right at the end (and before, should an earlier
//! test have failed half-way): an app node killed during a burst of writes, the standby stopped,
//! the primary restarted.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::Value;

use crate::topology::{Session, Topology, client, evidence, node_of, sign_in, within};

const WRITES: usize = 500;
const KILL_AFTER: usize = 100;

/// One acknowledged write: the evidence id the server answered, which node, when, after how
/// many attempts.
struct Ack {
    id: String,
    node: String,
    at: Instant,
    attempts: u32,
}

/// Creates evidence through the proxy with an Idempotency-Key, retrying what fails as a careful
/// client does (a lost answer, or a 5xx while a node goes away), with the same key and body.
async fn write_until_acknowledged(
    proxy: &str,
    session: &Session,
    apprenticeship: &str,
    key: &str,
    title: &str,
) -> Ack {
    let http = client();
    let body = evidence(title);
    for attempt in 1..=50 {
        let sent = http
            .post(format!(
                "{proxy}/api/v1/apprenticeships/{apprenticeship}/evidence"
            ))
            .bearer_auth(&session.access)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await;
        if let Ok(response) = sent {
            let status = response.status().as_u16();
            let node = node_of(&response);
            if status == 201 {
                let created: Value = response.json().await.expect("json");
                return Ack {
                    id: created["id"].as_str().expect("id").to_string(),
                    node,
                    at: Instant::now(),
                    attempts: attempt,
                };
            }
            let text = response.text().await.unwrap_or_default();
            assert!(status >= 500, "{title}: {status} {text}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{title} was never acknowledged");
}

/// Requests through the proxy until `n` in a row were answered by `node`.
async fn proxy_routes_only_to(t: &Topology, node: &str, limit: Duration) -> Duration {
    let http = client();
    within(
        limit,
        &format!("the proxy sends everything to node {node}"),
        || async {
            for _ in 0..6 {
                match http.get(format!("{}/readyz", t.proxy)).send().await {
                    Ok(r) if r.status().as_u16() == 200 && node_of(&r) == node => {}
                    _ => return false,
                }
            }
            true
        },
    )
    .await
}

#[tokio::test]
async fn killing_a_node_during_500_writes_loses_and_duplicates_none_and_the_proxy_moves_to_the_other()
 {
    let t = Topology::load();
    t.restore();
    let people = t.apprentices(10, 8).await;
    let mut sessions = Vec::new();
    for (email, apprenticeship) in &people {
        sessions.push((sign_in(&t, &t.proxy, email).await, apprenticeship.clone()));
    }
    let sessions = Arc::new(sessions);
    let run = uuid::Uuid::new_v4().simple().to_string();
    let acked = Arc::new(AtomicUsize::new(0));
    let node_a = t.pid("node-a");

    let killer = {
        let acked = acked.clone();
        tokio::spawn(async move {
            while acked.load(Ordering::SeqCst) < KILL_AFTER {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(node_a),
                nix::sys::signal::Signal::SIGKILL,
            )
            .expect("kill -9 node a");
            Instant::now()
        })
    };
    let started = Instant::now();
    let proxy = t.proxy.clone();
    let acks: Vec<(usize, Ack)> = futures_util::stream::iter(0..WRITES)
        .map(|i| {
            let sessions = sessions.clone();
            let acked = acked.clone();
            let proxy = proxy.clone();
            let run = run.clone();
            async move {
                let (session, apprenticeship) = &sessions[i % sessions.len()];
                let ack = write_until_acknowledged(
                    &proxy,
                    session,
                    apprenticeship,
                    &format!("{run}-{i}"),
                    &format!("burst {run} #{i}"),
                )
                .await;
                acked.fetch_add(1, Ordering::SeqCst);
                (i, ack)
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let elapsed = started.elapsed();
    let killed_at = killer.await.expect("killer");

    // Every write was acknowledged once, with its own evidence row …
    assert_eq!(acks.len(), WRITES);
    let ids: BTreeSet<&str> = acks.iter().map(|(_, a)| a.id.as_str()).collect();
    assert_eq!(ids.len(), WRITES, "each write has its own id");
    // … present exactly once in the database, with the id the client was given.
    let db = t.primary().await;
    let rows = db
        .query(
            "SELECT title, id::text FROM evidence WHERE title LIKE $1",
            &[&format!("burst {run} #%")],
        )
        .await
        .expect("query");
    let mut stored: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        stored.entry(row.get(0)).or_default().push(row.get(1));
    }
    assert_eq!(stored.len(), WRITES, "every acknowledged write is stored");
    for (i, ack) in &acks {
        let title = format!("burst {run} #{i}");
        assert_eq!(stored[&title], vec![ack.id.clone()], "{title} exactly once");
    }
    // Node a is gone: what was acknowledged after the kill came from node b.
    let after: Vec<&Ack> = acks
        .iter()
        .map(|(_, a)| a)
        .filter(|a| a.at > killed_at + Duration::from_millis(200))
        .collect();
    assert!(
        after.len() >= WRITES - KILL_AFTER - 50,
        "most writes came after the kill"
    );
    assert!(after.iter().all(|a| a.node == "b"), "node b took over");
    let retried = acks.iter().filter(|(_, a)| a.attempts > 1).count();
    let reroute = proxy_routes_only_to(&t, "b", Duration::from_secs(5)).await;
    eprintln!(
        "FAULT node-kill: {WRITES} writes in {:.2} s, {retried} needed a client retry, \
         max attempts {}, proxy health checks had node a out {:.2} s after the burst",
        elapsed.as_secs_f64(),
        acks.iter().map(|(_, a)| a.attempts).max().unwrap_or(0),
        reroute.as_secs_f64()
    );

    t.cluster("start", "node-a");
    let back = within(Duration::from_secs(10), "node a serves again", || async {
        client()
            .get(format!("{}/readyz", t.proxy))
            .send()
            .await
            .is_ok_and(|r| node_of(&r) == "a")
    })
    .await;
    eprintln!(
        "FAULT node-kill: node a back in rotation {:.2} s after its restart",
        back.as_secs_f64()
    );
}

async fn coverage(base: &str, session: &Session, apprenticeship: &str) -> reqwest::Response {
    client()
        .get(format!(
            "{base}/api/v1/apprenticeships/{apprenticeship}/coverage"
        ))
        .bearer_auth(&session.access)
        .send()
        .await
        .expect("an answer")
}

#[tokio::test]
async fn with_the_standby_stopped_reads_and_writes_continue_and_it_catches_up_when_back() {
    let t = Topology::load();
    t.restore();
    let (email, apprenticeship) = t.apprentices(20, 1).await.remove(0);
    let session = sign_in(&t, &t.proxy, &email).await;
    t.cluster("stop", "standby");
    assert!(
        tokio_postgres::connect(t.get("STANDBY_URL"), tokio_postgres::NoTls)
            .await
            .is_err(),
        "the standby is down"
    );
    let until = Instant::now() + Duration::from_secs(3);
    let mut reads = 0;
    while Instant::now() < until {
        let response = coverage(&t.proxy, &session, &apprenticeship).await;
        assert_eq!(
            response.status().as_u16(),
            200,
            "a read without the standby"
        );
        reads += 1;
    }
    let created = client()
        .post(format!(
            "{}/api/v1/apprenticeships/{apprenticeship}/evidence",
            t.proxy
        ))
        .bearer_auth(&session.access)
        .json(&evidence("Written while the standby was down"))
        .send()
        .await
        .expect("sent");
    assert_eq!(created.status().as_u16(), 201);
    let id = created.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert!(reads > 10, "{reads} reads");

    t.cluster("start", "standby");
    let standby = t.standby().await;
    let caught_up = within(
        Duration::from_secs(30),
        "the standby replays what was written while it was down",
        || async {
            standby
                .query_opt("SELECT 1 FROM evidence WHERE id = $1::text::uuid", &[&id])
                .await
                .is_ok_and(|row| row.is_some())
        },
    )
    .await;
    let primary = t.primary().await;
    within(
        Duration::from_secs(30),
        "the standby streams again",
        || async {
            primary
                .query_opt(
                    "SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'",
                    &[],
                )
                .await
                .is_ok_and(|row| row.is_some())
        },
    )
    .await;
    eprintln!(
        "FAULT standby-stop: {reads} reads in 3 s without it; caught up {:.2} s after its start",
        caught_up.as_secs_f64()
    );
}

/// A 503 problem within the nodes' database deadline (3 s) and a margin.
async fn assert_unavailable(response: reqwest::Response, asked: Instant, through: &str) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, 503, "through {through}: {body}");
    assert_eq!(
        content_type, "application/problem+json",
        "through {through}"
    );
    let problem: Value = serde_json::from_str(&body).expect("a problem");
    assert_eq!(problem["status"], 503);
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "answered in {:?}",
        asked.elapsed()
    );
}

#[tokio::test]
async fn while_the_primary_restarts_the_app_answers_503_problems_and_recovers_within_5_s_of_it() {
    let t = Topology::load();
    t.restore();
    let (email, apprenticeship) = t.apprentices(21, 1).await.remove(0);
    let session = sign_in(&t, &t.proxy, &email).await;
    assert_eq!(
        coverage(&t.proxy, &session, &apprenticeship)
            .await
            .status()
            .as_u16(),
        200
    );
    let nodes = (t.pid("node-a"), t.pid("node-b"));

    t.cluster("stop", "primary");
    let down = Instant::now();
    let mut answers = 0;
    while down.elapsed() < Duration::from_secs(4) {
        for base in [&t.proxy, &t.node_a, &t.node_b] {
            let asked = Instant::now();
            assert_unavailable(coverage(base, &session, &apprenticeship).await, asked, base).await;
            answers += 1;
        }
    }

    t.cluster("start", "primary");
    let back = Instant::now();
    let mut recovered = Vec::new();
    for base in [&t.proxy, &t.node_a, &t.node_b] {
        within(
            Duration::from_secs(5).saturating_sub(back.elapsed()),
            &format!("{base} answers again"),
            || async {
                coverage(base, &session, &apprenticeship)
                    .await
                    .status()
                    .as_u16()
                    == 200
            },
        )
        .await;
        recovered.push(back.elapsed());
    }
    assert_eq!(
        (t.pid("node-a"), t.pid("node-b")),
        nodes,
        "the nodes were not restarted"
    );
    // And writes work again through the proxy.
    let created = client()
        .post(format!(
            "{}/api/v1/apprenticeships/{apprenticeship}/evidence",
            t.proxy
        ))
        .bearer_auth(&session.access)
        .json(&evidence("Written after the primary came back"))
        .send()
        .await
        .expect("sent");
    assert_eq!(created.status().as_u16(), 201);
    eprintln!(
        "FAULT primary-restart: {answers} answers while it was down, all 503 problems; \
         proxy, node a, node b answering {:.2?} after it was back",
        recovered
    );
}
