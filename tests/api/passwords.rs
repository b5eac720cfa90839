//! Passwords a person can manage: changing one's own, and the administrator's single-use link.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::app::assert_problem;
use crate::helpers::spawn_app;
use crate::helpers::world::{PASSWORD, World};

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn change(app: &TestApp, token: &str, current: &str, new: &str) -> reqwest::Response {
    app.post_as(
        token,
        "/api/v1/me/password",
        &json!({ "current_password": current, "new_password": new }),
    )
    .await
}

async fn sign_in_status(app: &TestApp, email: &str, password: &str) -> u16 {
    app.post(
        "/api/v1/auth/login",
        &json!({ "email": email, "password": password }),
    )
    .await
    .status()
    .as_u16()
}

#[tokio::test]
async fn changing_your_password_ends_every_other_session_but_this_one() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice;
    let other = app.token(&me.email, PASSWORD).await;
    let response = change(&app, &me.token, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(
        app.get_as(&me.token, "/api/v1/me").await.status().as_u16(),
        200
    );
    assert_problem(app.get_as(&other, "/api/v1/me").await, 401).await;
    assert_eq!(sign_in_status(&app, &me.email, PASSWORD).await, 401);
    assert_eq!(sign_in_status(&app, &me.email, NEW_PASSWORD).await, 200);
}

#[tokio::test]
async fn a_wrong_current_password_names_the_field_and_guesses_are_throttled() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.mentor;
    let body = assert_problem(
        change(&app, &me.token, "not my password at all", NEW_PASSWORD).await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "current_password");
    let body = assert_problem(change(&app, &me.token, PASSWORD, "short").await, 422).await;
    assert_eq!(body["errors"][0]["field"], "new_password");
    for _ in 0..4 {
        assert_problem(
            change(&app, &me.token, "still not my password", NEW_PASSWORD).await,
            422,
        )
        .await;
    }
    // Five wrong guesses lock the account like five wrong sign-ins.
    assert_problem(change(&app, &me.token, PASSWORD, NEW_PASSWORD).await, 429).await;
}

async fn link(app: &TestApp, token: &str, user: &str) -> reqwest::Response {
    app.as_user(
        token,
        Method::POST,
        &format!("/api/v1/users/{user}/password-link"),
    )
    .send()
    .await
    .expect("sent")
}

async fn redeem(app: &TestApp, token: &str, new: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/password-link/redeem",
        &json!({ "token": token, "new_password": new }),
    )
    .await
}

fn token_of(body: &Value) -> String {
    body["path"]
        .as_str()
        .and_then(|p| p.strip_prefix("/set-password?token="))
        .expect("a set-password path")
        .to_string()
}

#[tokio::test]
async fn an_admins_password_link_sets_the_password_once_and_a_newer_link_voids_it() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let mentor = &w.a.mentor;
    let first: Value = link(&app, &w.admin.token, &mentor.id)
        .await
        .json()
        .await
        .expect("json");
    let second: Value = link(&app, &w.admin.token, &mentor.id)
        .await
        .json()
        .await
        .expect("json");
    assert!(first["expires_at"].as_str().is_some());
    // The older link is void once a newer one is made; an unknown one gets the same answer.
    let voided = assert_problem(redeem(&app, &token_of(&first), NEW_PASSWORD).await, 401).await;
    let unknown = assert_problem(redeem(&app, "not-a-link", NEW_PASSWORD).await, 401).await;
    assert_eq!(voided["detail"], unknown["detail"]);
    assert_eq!(
        redeem(&app, &token_of(&second), NEW_PASSWORD)
            .await
            .status()
            .as_u16(),
        204
    );
    // Single use, and every old session of the mentor has ended.
    assert_problem(
        redeem(&app, &token_of(&second), "yet another passphrase").await,
        401,
    )
    .await;
    assert_problem(app.get_as(&mentor.token, "/api/v1/me").await, 401).await;
    assert_eq!(sign_in_status(&app, &mentor.email, NEW_PASSWORD).await, 200);
}

#[tokio::test]
async fn only_administrators_make_password_links() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let target = &w.a.apprentice.id;
    for (who, token, expected) in [
        ("admin", &w.admin.token, 201),
        ("tutor A", &w.a.tutor.token, 403),
        ("mentor A", &w.a.mentor.token, 403),
        ("apprentice A", &w.a.apprentice.token, 403),
        ("tutor B", &w.b.tutor.token, 404),
        ("mentor B", &w.b.mentor.token, 404),
        ("apprentice B", &w.b.apprentice.token, 404),
    ] {
        assert_eq!(
            link(&app, token, target).await.status().as_u16(),
            expected,
            "{who}"
        );
    }
    let anonymous = app
        .request(
            Method::POST,
            &format!("/api/v1/users/{target}/password-link"),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(anonymous.status().as_u16(), 401);
    let anonymous = app
        .request(Method::POST, "/api/v1/me/password")
        .json(&json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD }))
        .send()
        .await
        .expect("sent");
    assert_eq!(anonymous.status().as_u16(), 401);
}
