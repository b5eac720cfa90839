//! Passwords a person can manage: changing one's own, and the single-use link an administrator
//! has e-mailed to them (read from a real SMTP server).

use reqwest::Method;
use serde_json::{Value, json};

use diesel_async::RunQueryDsl;

use crate::helpers::TestApp;
use crate::helpers::app::{assert_problem, mail_settings, spawn_app_on, spawn_mail_app};
use crate::helpers::database::TestDatabase;
use crate::helpers::smtp::SmtpServer;
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

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    payload: String,
}

/// The outbox rows for the user with this e-mail: (kind, payload as text).
async fn outbox_of(app: &TestApp, email: &str) -> Vec<(String, String)> {
    let mut conn = app.db.connect().await;
    diesel::sql_query(
        "SELECT o.kind, o.payload::text AS payload FROM outbox o \
         JOIN users u ON u.id = o.recipient_id WHERE u.email = $1 ORDER BY o.id",
    )
    .bind::<diesel::sql_types::Text, _>(email)
    .load::<Row>(&mut conn)
    .await
    .expect("outbox")
    .into_iter()
    .map(|r| (r.kind, r.payload))
    .collect()
}

#[tokio::test]
async fn an_admins_password_link_is_emailed_to_the_person_and_never_shown_to_the_admin() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let mentor = &w.a.mentor;
    let response = link(&app, &w.admin.token, &mentor.id).await;
    assert_eq!(response.status().as_u16(), 202);
    let raw = response.text().await.expect("body");
    let body: Value = serde_json::from_str(&raw).expect("json");
    assert_eq!(
        body,
        json!({
            "email": mentor.email,
            "valid_hours": 24,
            "detail": format!(
                "A link to set a password was e-mailed to {}. It works once, for 24 hours.",
                mentor.email
            ),
        })
    );
    let message = smtp.wait_for_to(&mentor.email, 1).await.remove(0);
    assert_eq!(message.subject, "ksbfolio: set your password");
    let url = message.link("http").expect("a link");
    assert!(
        url.starts_with(&format!("{}/set-password?token=", app.address)),
        "{url}"
    );
    assert!(
        message.text.contains("once, for 24 hours"),
        "{}",
        message.text
    );
    assert!(
        message.html.contains(">Set your password</a>"),
        "{}",
        message.html
    );
    let token = message.token();
    assert!(token.len() >= 40, "{token}");
    // Neither the response nor the outbox row ever held the secret.
    assert!(
        !raw.contains(&token) && !raw.contains("set-password"),
        "{raw}"
    );
    let rows = outbox_of(&app, &mentor.email).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "password_link");
    let payload: Value = serde_json::from_str(&rows[0].1).expect("json");
    assert_eq!(payload, json!({ "sent_by": w.admin.id }));

    assert_eq!(
        redeem(&app, &token, NEW_PASSWORD).await.status().as_u16(),
        204
    );
    // Single use, and every old session of the mentor has ended.
    assert_problem(redeem(&app, &token, "yet another passphrase").await, 401).await;
    assert_problem(app.get_as(&mentor.token, "/api/v1/me").await, 401).await;
    assert_eq!(sign_in_status(&app, &mentor.email, NEW_PASSWORD).await, 200);
    let audit: Value = app
        .get_as(&w.admin.token, "/api/v1/audit?entity_type=user")
        .await
        .json()
        .await
        .expect("json");
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["action"].as_str())
        .collect();
    assert!(actions.contains(&"user.password_link_sent"), "{actions:?}");
    assert!(
        actions.contains(&"user.password_set_by_link"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_newer_password_link_voids_the_older_one_and_bad_links_get_one_answer() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let email = &w.a.apprentice.email;
    let person = &w.a.apprentice.id;
    assert_eq!(
        link(&app, &w.admin.token, person).await.status().as_u16(),
        202
    );
    let first = smtp.wait_for_to(email, 1).await.remove(0).token();
    assert_eq!(
        link(&app, &w.admin.token, person).await.status().as_u16(),
        202
    );
    let second = smtp
        .wait_for_to(email, 2)
        .await
        .into_iter()
        .map(|m| m.token())
        .find(|t| *t != first)
        .expect("a second link");
    let voided = assert_problem(redeem(&app, &first, NEW_PASSWORD).await, 401).await;
    let unknown = assert_problem(redeem(&app, "not-a-link", NEW_PASSWORD).await, 401).await;
    assert_eq!(voided["detail"], unknown["detail"]);
    assert_eq!(
        redeem(&app, &second, NEW_PASSWORD).await.status().as_u16(),
        204
    );
}

#[tokio::test]
async fn a_password_link_that_could_not_be_sent_leaves_no_link_and_is_sent_again() {
    let mut smtp = SmtpServer::start().await;
    // No retry of its own while the test looks: the test hurries it when the server is back.
    let url = smtp.url();
    let app = spawn_app_on(TestDatabase::new().await, |s| {
        mail_settings(s, &url);
        s.mail.retry_base = std::time::Duration::from_secs(3600);
    })
    .await;
    let w = World::build(&app).await;
    let tutor = &w.a.tutor;
    smtp.stop();
    assert_eq!(
        link(&app, &w.admin.token, &tutor.id)
            .await
            .status()
            .as_u16(),
        202
    );
    let mut conn = app.db.connect().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let failed: i64 = diesel::sql_query(
            "SELECT count(*) AS n FROM outbox WHERE kind = 'password_link' AND attempts >= 1",
        )
        .get_result::<Count>(&mut conn)
        .await
        .expect("count")
        .n;
        if failed > 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no failed attempt");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let links: i64 =
        diesel::sql_query("SELECT count(*) AS n FROM password_links WHERE user_id = $1::uuid")
            .bind::<diesel::sql_types::Text, _>(&tutor.id)
            .get_result::<Count>(&mut conn)
            .await
            .expect("count")
            .n;
    assert_eq!(links, 0, "the link of an unsent e-mail is removed");
    smtp.restart().await;
    diesel::sql_query("UPDATE outbox SET next_attempt_at = now() WHERE kind = 'password_link'")
        .execute(&mut conn)
        .await
        .expect("due now");
    let token = smtp.wait_for_to(&tutor.email, 1).await.remove(0).token();
    assert_eq!(
        redeem(&app, &token, NEW_PASSWORD).await.status().as_u16(),
        204
    );
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[tokio::test]
async fn a_deactivated_account_gets_no_password_link() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let response = app
        .as_user(
            &w.admin.token,
            Method::PATCH,
            &format!("/api/v1/users/{}", w.b.mentor.id),
        )
        .header("if-match", "\"1\"")
        .json(&json!({ "active": false }))
        .send()
        .await
        .expect("sent");
    assert!(response.status().is_success(), "{}", response.status());
    let body = assert_problem(link(&app, &w.admin.token, &w.b.mentor.id).await, 409).await;
    assert_eq!(body["code"], "user_inactive");
    assert!(outbox_of(&app, &w.b.mentor.email).await.is_empty());
}

#[tokio::test]
async fn only_administrators_make_password_links() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let target = &w.a.apprentice.id;
    for (who, token, expected) in [
        ("admin", &w.admin.token, 202),
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
