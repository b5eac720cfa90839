//! The sign-in throttle behind the proxy: failures count across both nodes (they are database
//! rows) against the client address HAProxy forwards, which the nodes believe only from the
//! proxy's own source address (KSBFOLIO_TRUSTED_PROXIES=127.0.0.2). A client that writes its own
//! X-Forwarded-For, through the proxy or straight to a node, cannot pick its key.
//!
//! Each test is a different client: it connects from a loopback address of its own.

use std::collections::BTreeSet;
use std::net::IpAddr;

use serde_json::json;

use crate::topology::{Topology, client_from, fresh_loopback, node_of};

/// A failed sign-in at a new e-mail (so the per-account limit never interferes), sent from
/// `source` to `base` with `forwarded` as X-Forwarded-For; the status and the node that answered.
async fn fail(base: &str, source: IpAddr, forwarded: Option<&str>) -> (u16, String) {
    let mut request = client_from(Some(source))
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({
            "email": format!("nobody-{}@ksbfolio.test", uuid::Uuid::new_v4()),
            "password": "wrong password",
        }));
    if let Some(forwarded) = forwarded {
        request = request.header("X-Forwarded-For", forwarded);
    }
    let response = request.send().await.expect("sent");
    (response.status().as_u16(), node_of(&response))
}

#[tokio::test]
async fn behind_the_proxy_failures_on_both_nodes_count_together_against_the_forwarded_client() {
    let t = Topology::load();
    let limit = t.login_failures_per_address();
    let client = fresh_loopback();
    let mut nodes = BTreeSet::new();
    for _ in 0..limit {
        let (status, node) = fail(&t.proxy, client, None).await;
        assert_eq!(status, 401);
        nodes.insert(node);
    }
    assert_eq!(
        nodes.into_iter().collect::<Vec<_>>(),
        ["a", "b"],
        "the failures were spread over both nodes"
    );
    // Throttled on whichever node answers next.
    for _ in 0..2 {
        assert_eq!(fail(&t.proxy, client, None).await.0, 429);
    }
    // Another client behind the same proxy is not.
    assert_eq!(fail(&t.proxy, fresh_loopback(), None).await.0, 401);
}

#[tokio::test]
async fn an_x_forwarded_for_written_by_the_client_through_the_proxy_does_not_reset_its_count() {
    let t = Topology::load();
    let limit = t.login_failures_per_address();
    let client = fresh_loopback();
    for n in 0..limit {
        let spoofed = format!("198.51.100.{n}");
        assert_eq!(fail(&t.proxy, client, Some(&spoofed)).await.0, 401);
    }
    // HAProxy appends the address it saw; what the client wrote to the left of it is ignored.
    assert_eq!(
        fail(&t.proxy, client, Some("203.0.113.99")).await.0,
        429,
        "a fresh address in the header bought no more guesses"
    );
}

#[tokio::test]
async fn an_x_forwarded_for_sent_straight_to_a_node_is_ignored_and_the_peer_is_throttled() {
    let t = Topology::load();
    let limit = t.login_failures_per_address();
    // A peer other than the proxy's source address: the header counts for nothing.
    let client = fresh_loopback();
    for n in 0..limit {
        let spoofed = format!("198.51.100.{n}");
        let base = if n % 2 == 0 { &t.node_a } else { &t.node_b };
        assert_eq!(fail(base, client, Some(&spoofed)).await.0, 401);
    }
    for base in [&t.node_a, &t.node_b] {
        assert_eq!(
            fail(base, client, Some("203.0.113.98")).await.0,
            429,
            "{base} keyed on the peer, not the header"
        );
    }
    // The addresses it wrote were never counted: another peer sending them is not throttled.
    assert_eq!(
        fail(&t.node_a, fresh_loopback(), Some("198.51.100.0"))
            .await
            .0,
        401
    );
}
