//! KSBFOLIO_TRUSTED_PROXIES: the sign-in throttle keys on the forwarded client address only when
//! the request comes from a trusted proxy; a forwarded header from anyone else is ignored.

use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_on;
use crate::helpers::database::TestDatabase;

/// A failed sign-in at a new e-mail (so no account lock interferes), with `forwarded` as
/// `X-Forwarded-For`; returns the status.
async fn fail_from(app: &TestApp, n: usize, forwarded: &str) -> u16 {
    app.request(reqwest::Method::POST, "/api/v1/auth/login")
        .header("X-Forwarded-For", forwarded)
        .json(&json!({ "email": format!("nobody{n}@ksbfolio.test"), "password": "wrong password" }))
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

async fn app_trusting(proxies: &[&str]) -> TestApp {
    let proxies = proxies
        .iter()
        .map(|p| ksbfolio::auth::client_address::parse_proxy(p).expect("proxy"))
        .collect();
    spawn_app_on(TestDatabase::new().await, move |s| {
        s.login_throttle.per_address = 3;
        s.trusted_proxies = ksbfolio::auth::client_address::TrustedProxies::new(proxies);
    })
    .await
}

#[tokio::test]
async fn a_forwarded_address_from_an_untrusted_peer_is_ignored_and_the_peer_is_throttled() {
    // The test client (127.0.0.1) is not a trusted proxy here.
    let app = app_trusting(&["10.0.0.0/8"]).await;
    for n in 0..3 {
        assert_eq!(fail_from(&app, n, &format!("198.51.100.{n}")).await, 401);
    }
    // A fresh address in the header does not buy more guesses.
    assert_eq!(fail_from(&app, 3, "198.51.100.99").await, 429);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_throttle_keys_on_the_forwarded_client_address() {
    // The test client plays the proxy: it is the trusted peer.
    let app = app_trusting(&["127.0.0.1"]).await;
    for n in 0..3 {
        assert_eq!(fail_from(&app, n, "198.51.100.7").await, 401);
    }
    assert_eq!(
        fail_from(&app, 3, "198.51.100.7").await,
        429,
        "that client is throttled"
    );
    // What a client wrote itself, left of the address the proxy saw, changes nothing.
    assert_eq!(fail_from(&app, 4, "203.0.113.1, 198.51.100.7").await, 429);
    // Another client behind the same proxy is not.
    assert_eq!(fail_from(&app, 5, "198.51.100.8").await, 401);
}
