//! Sessions and the sign-in throttle under attack: concurrent guesses, a success that must not
//! wipe an address's record, deactivation, token lifetimes and the session's absolute end.

use diesel_async::{AsyncConnection, RunQueryDsl};
use reqwest::Method;
use serde_json::{Value, json};

use crate::auth::sign;
use crate::helpers::app::{assert_problem, spawn_app_on};
use crate::helpers::database::TestDatabase;
use crate::helpers::world::{PASSWORD, World, admin};
use crate::helpers::{TestApp, spawn_app};

async fn guess(app: &TestApp, email: &str) -> u16 {
    app.post(
        "/api/v1/auth/login",
        &json!({ "email": email, "password": "a wrong guess, again" }),
    )
    .await
    .status()
    .as_u16()
}

/// The audit rows about one entity, oldest first, read as an admin through the API.
async fn audit_actions(
    app: &TestApp,
    admin_token: &str,
    entity_type: &str,
    id: &str,
) -> Vec<String> {
    let response = app
        .get_as(
            admin_token,
            &format!("/api/v1/audit?entity_type={entity_type}&entity_id={id}&limit=200"),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|row| row["action"].as_str().expect("action").to_string())
        .collect()
}

#[tokio::test]
async fn forty_concurrent_guesses_check_at_most_five_passwords() {
    // A high address limit, so only the account's limit is under test.
    let app = spawn_app_on(TestDatabase::new().await, |s| {
        s.login_throttle.per_address = 1000;
    })
    .await;
    let w = World::build(&app).await;
    let target = &w.a.mentor;
    let guesses = (0..40).map(|_| guess(&app, &target.email));
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, 40, "{statuses:?}");
    assert!(
        checked <= 5,
        "{checked} passwords were checked: {statuses:?}"
    );
    assert!(checked >= 1, "{statuses:?}");
    // Every checked guess is in the audit trail, and nothing more.
    let failed = audit_actions(&app, &w.admin.token, "user", &target.id)
        .await
        .into_iter()
        .filter(|a| a == "auth.login_failed")
        .count();
    assert_eq!(failed, checked);
    // Locked now, the right password too.
    let response = app
        .post(
            "/api/v1/auth/login",
            &json!({ "email": target.email, "password": PASSWORD }),
        )
        .await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(
        (1..=60).contains(&retry_after),
        "the first lock is a minute: {retry_after}"
    );
    assert_problem(response, 429).await;
}

#[tokio::test]
async fn a_successful_sign_in_clears_only_its_own_account_not_the_address() {
    let app = spawn_app_on(TestDatabase::new().await, |s| {
        s.login_throttle.per_address = 6;
    })
    .await;
    let mine = admin(&app).await;
    for n in 0..3 {
        assert_eq!(
            guess(&app, &format!("stranger{n}@ksbfolio.test")).await,
            401
        );
    }
    // Someone behind the same address signs in to their own account…
    app.login(&mine, PASSWORD).await;
    // …and the address's three failures still count: three more lock it.
    for n in 3..6 {
        assert_eq!(
            guess(&app, &format!("stranger{n}@ksbfolio.test")).await,
            401
        );
    }
    assert_eq!(guess(&app, "stranger6@ksbfolio.test").await, 429);
}

#[tokio::test]
async fn deactivation_ends_every_session_and_reactivation_revives_none() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let apprentice = &w.a.apprentice;
    let second = app.login(&apprentice.email, PASSWORD).await;
    let refresh_token = second["refresh_token"].as_str().expect("refresh");
    let access = second["access_token"].as_str().expect("access");
    let patch = |active: bool| {
        app.as_user(
            &w.admin.token,
            Method::PATCH,
            &format!("/api/v1/users/{}", apprentice.id),
        )
        .json(&json!({ "active": active }))
        .send()
    };
    let deactivated: Value = patch(false)
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(deactivated["active"], false);
    assert_eq!(patch(true).await.expect("sent").status().as_u16(), 200);

    // Active again, but the old sign-ins are gone: both access tokens and the refresh token.
    for token in [apprentice.token.as_str(), access] {
        assert_problem(app.get_as(token, "/api/v1/me").await, 401).await;
    }
    assert_problem(
        app.post(
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": refresh_token }),
        )
        .await,
        401,
    )
    .await;
    // A new sign-in works.
    let fresh = app.token(&apprentice.email, PASSWORD).await;
    assert_eq!(
        app.get_as(&fresh, "/api/v1/me").await.status().as_u16(),
        200
    );
    // And the trail says who did it, and how many sessions ended.
    let actions = audit_actions(&app, &w.admin.token, "user", &apprentice.id).await;
    assert!(
        actions.contains(&"user.deactivated".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"user.reactivated".to_string()),
        "{actions:?}"
    );
    let response = app
        .get_as(
            &w.admin.token,
            &format!("/api/v1/audit?entity_type=user&entity_id={}", apprentice.id),
        )
        .await;
    let body: Value = response.json().await.expect("json");
    let row = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["action"] == "user.deactivated")
        .expect("deactivation row")
        .clone();
    assert_eq!(row["actor_id"], w.admin.id.as_str());
    assert_eq!(row["summary"]["revoked_sessions"], 2);
}

#[tokio::test]
async fn a_signed_token_that_lives_longer_than_fifteen_minutes_is_refused() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let token = &w.a.apprentice.token;
    let secret = std::fs::read(app.data_dir.path().join("jwt-secret")).expect("secret");
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let mut claims: Value = serde_json::from_slice(
        &engine
            .decode(token.split('.').nth(1).expect("claims"))
            .expect("b64"),
    )
    .expect("json");
    let now = chrono::Utc::now().timestamp();
    claims["iat"] = now.into();
    claims["exp"] = (now + 15 * 60).into();
    let fifteen = sign(&claims, &secret, jsonwebtoken::Algorithm::HS256);
    assert_eq!(
        app.get_as(&fifteen, "/api/v1/me").await.status().as_u16(),
        200
    );
    claims["exp"] = (now + 24 * 3600).into();
    let day = sign(&claims, &secret, jsonwebtoken::Algorithm::HS256);
    assert_problem(app.get_as(&day, "/api/v1/me").await, 401).await;
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let response = app
            .request(Method::GET, "/api/v1/me")
            .header("Authorization", format!("{scheme} {}", w.a.tutor.token))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 200, "{scheme}");
    }
    let response = app
        .request(Method::GET, "/api/v1/me")
        .header("Authorization", format!("Basic {}", w.a.tutor.token))
        .send()
        .await
        .expect("sent");
    assert_problem(response, 401).await;
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_it_is_used() {
    let app = spawn_app().await;
    let email = admin(&app).await;
    let login = app.login(&email, PASSWORD).await;
    let access = login["access_token"].as_str().expect("access");
    let refresh_token = login["refresh_token"].as_str().expect("refresh");
    assert_eq!(
        app.get_as(access, "/api/v1/me").await.status().as_u16(),
        200
    );
    // Thirty days later (the session's end moved to the past; its refresh token is still fresh).
    let mut conn = diesel_async::AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("connect");
    diesel::sql_query("UPDATE sessions SET expires_at = now() - interval '1 second'")
        .execute(&mut conn)
        .await
        .expect("moved");
    assert_problem(app.get_as(access, "/api/v1/me").await, 401).await;
    assert_problem(
        app.post(
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": refresh_token }),
        )
        .await,
        401,
    )
    .await;
}

/// The refresh token from a `Set-Cookie` answer, checking the cookie's protections.
fn refresh_cookie(response: &reqwest::Response) -> String {
    let set = response.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_string();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(set.contains(attribute), "{attribute} missing from {set}");
    }
    set.split(';')
        .next()
        .and_then(|pair| pair.strip_prefix("ksbfolio_refresh="))
        .expect("the refresh cookie")
        .to_string()
}

async fn refresh_with_cookie(app: &TestApp, cookie: &str, browser: bool) -> reqwest::Response {
    let mut request = app
        .request(Method::POST, "/api/v1/auth/refresh")
        .header("Cookie", format!("ksbfolio_refresh={cookie}"))
        .json(&json!({}));
    if browser {
        request = request.header("X-Ksbfolio-Client", "browser");
    }
    request.send().await.expect("sent")
}

#[tokio::test]
async fn the_browser_keeps_its_refresh_token_in_an_http_only_cookie_that_needs_the_client_header() {
    let app = spawn_app().await;
    let email = admin(&app).await;
    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("X-Ksbfolio-Client", "browser")
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let first = refresh_cookie(&response);
    let body: Value = response.json().await.expect("json");
    assert!(
        body.get("refresh_token").is_none(),
        "no script may read it: {body}"
    );
    assert!(body["access_token"].as_str().is_some());

    // The cookie alone, as a forged cross-site request would send it: refused, session intact.
    assert_problem(refresh_with_cookie(&app, &first, false).await, 401).await;
    let renewed = refresh_with_cookie(&app, &first, true).await;
    assert_eq!(renewed.status().as_u16(), 200);
    let second = refresh_cookie(&renewed);
    assert_ne!(first, second, "rotated");

    // Sign-out through the cookie ends the session and clears the cookie.
    let out = app
        .request(Method::POST, "/api/v1/auth/logout")
        .header("Cookie", format!("ksbfolio_refresh={second}"))
        .header("X-Ksbfolio-Client", "browser")
        .json(&json!({}))
        .send()
        .await
        .expect("sent");
    assert_eq!(out.status().as_u16(), 204);
    let cleared = out.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_problem(refresh_with_cookie(&app, &second, true).await, 401).await;
}

#[tokio::test]
async fn api_clients_still_get_and_send_the_refresh_token_in_the_body() {
    let app = spawn_app().await;
    let email = admin(&app).await;
    let login = app.login(&email, PASSWORD).await;
    let token = login["refresh_token"].as_str().expect("in the body");
    let response = app
        .post("/api/v1/auth/refresh", &json!({ "refresh_token": token }))
        .await;
    assert!(response.headers().get("set-cookie").is_none());
    let body: Value = response.json().await.expect("json");
    assert!(body["refresh_token"].as_str().is_some_and(|t| t != token));
}
